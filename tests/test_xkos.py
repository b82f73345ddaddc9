"""The classification versions against the XKOS best-practice shapes (../shared/vocab/).

The versions and the correspondence follow the XKOS guide's mandatory properties, with two documented
deviations that the sources force or that SKOS allows:

- ``dcterms:issued`` must be an ``xsd:date``: version 2.0 is known only to the month (2024-03) and 3.0
  has not been issued, so they have none (``sz:issued`` keeps the real precision; no day is invented),
  and neither has the 1.0 → 2.0 correspondence, made by 2.0;
- versions are named with ``rdfs:label`` (@en, @zh) like every other resource that is not a SKOS
  concept, not ``skos:prefLabel``: one label property per resource keeps queries over
  ``rdfs:label|skos:prefLabel`` free of duplicate rows;
- notes (``skos:definition``...) are literals, as SKOS allows, not the guide's resources.
"""

from __future__ import annotations

import pyshacl
from rdflib import Graph
from rdflib.namespace import RDF, SH
from shared_files import SHARED, needs_shared

from kgtool.authoring import compile_graph
from kgtool.paths import project_paths

VOCAB = SHARED / "vocab"
XKOS = "http://rdf-vocabulary.ddialliance.org/xkos#"
BASE = "https://w3id.org/sz20plus8/"

pytestmark = needs_shared(VOCAB / "xkos.ttl")

#: (shape, focus node) pairs the guide would have otherwise, for the reasons in the module docstring.
DEVIATIONS = {
    *((XKOS + "P_classification_skosprefLabel_en", BASE + f"version/{v}") for v in ("1.0", "2.0", "3.0")),
    (XKOS + "P_classification_dctissued", BASE + "version/2.0"),
    (XKOS + "P_classification_dctissued", BASE + "version/3.0"),
    (XKOS + "P_correspondence_dctissued", BASE + "correspondence/1.0-2.0"),
}


def _violations(shapes_file: str) -> set[tuple[str, str]]:
    data = compile_graph(project_paths().graph_dir)
    _, report, _ = pyshacl.validate(
        data,
        shacl_graph=Graph().parse(VOCAB / shapes_file),
        ont_graph=Graph().parse(VOCAB / "xkos.ttl"),
        inference="none",
        allow_warnings=True,
    )
    found = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        shape = str(report.value(result, SH.sourceShape))
        if shape == XKOS + "VersionedNoteShape" or shape.startswith(XKOS + "P_note_"):
            continue  # literal notes: SKOS allows them; the guide prefers resources
        found.add((shape, str(report.value(result, SH.focusNode))))
    return found


def test_versions_and_correspondence_meet_the_mandatory_xkos_practice() -> None:
    assert _violations("xkos-best-practices-conformance-shapes.ttl") == DEVIATIONS


def test_the_recommended_and_optional_xkos_shapes_hold() -> None:
    assert _violations("xkos-best-practices-recommended-optional-shapes.ttl") == set()
