"""A release of the dataset can be cited: its version and date are in the dataset description and in
CITATION.cff, they agree with the package and the ontology, and every correction names a release that exists."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import DCAT, DCTERMS, OWL, XSD

import kgtool
from kgtool.build import source_graphs, union
from kgtool.namespaces import DATASET_IRI, ONTOLOGY_IRI
from kgtool.version import package_version

ROOT = Path(__file__).resolve().parent.parent
CITATION = ROOT / "CITATION.cff"
DCAT_VERSION = DCAT["version"]


def version_key(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


@pytest.fixture(scope="module")
def graph() -> Graph:
    return union(source_graphs())


def cff_value(key: str) -> str:
    """The value of a top-level ``key: value`` line of CITATION.cff (quotes removed)."""
    match = re.search(rf"^{re.escape(key)}:[ \t]*(.+)$", CITATION.read_text(encoding="utf-8"), re.M)
    assert match, f"CITATION.cff has no {key}"
    return match.group(1).strip().strip('"')


def test_the_description_gives_the_release_version_and_date(graph: Graph) -> None:
    version = package_version()
    issued = graph.value(DATASET_IRI, DCTERMS.issued)
    assert issued is not None and issued.datatype == XSD.date
    assert str(graph.value(DATASET_IRI, DCAT_VERSION)) == version
    assert str(graph.value(ONTOLOGY_IRI, OWL.versionInfo)) == version
    description = str(graph.value(DATASET_IRI, DCTERMS.description))
    day = issued.toPython()
    assert f"Release {version} of {day.day} {day:%B %Y}" in description


def test_citation_cff_names_the_same_release(graph: Graph) -> None:
    assert cff_value("cff-version") == "1.2.0"
    assert cff_value("version") == package_version()
    assert cff_value("date-released") == str(graph.value(DATASET_IRI, DCTERMS.issued))
    text = CITATION.read_text(encoding="utf-8")
    assert [
        key for key in ("message", "title", "authors", "license", "type") if not re.search(rf"^{key}:", text, re.M)
    ] == []
    yaml = pytest.importorskip("yaml")
    cff = yaml.safe_load(CITATION.read_text(encoding="utf-8"))
    assert cff["authors"] and cff["license"] == ["CC-BY-4.0", "MIT"]
    assert str(cff["date-released"]) == cff_value("date-released")


def test_every_correction_is_in_a_release_that_has_been_made(graph: Graph) -> None:
    from kgtool.namespaces import SZ

    released = graph.value(DATASET_IRI, DCTERMS.issued).toPython()
    corrections = list(graph.subjects(SZ.inRelease, None))
    assert corrections
    for correction in corrections:
        release = str(graph.value(correction, SZ.inRelease))
        assert version_key(release) <= version_key(package_version()), correction
        made = graph.value(correction, DCTERMS.date)
        assert isinstance(made, Literal) and isinstance(made.toPython(), date)
        if release == package_version():
            assert made.toPython() <= released, f"{correction} is dated after its release"
    assert kgtool.__version__ == package_version()
