"""Tests of the ontology (ontology/sz20plus8.ttl): header, documentation, OWL 2 DL typing, alignments,
and that the shapes and rules use only terms the ontology declares.

Quality checks are SPARQL queries or set comparisons that must come back empty; each failure names the
offending terms. Nothing here reaches the network: files are parsed locally and the reasoner (HermiT
through owlready2, run only when Java is present) reads a local N-Triples copy.
"""

from __future__ import annotations

import re
import shutil
import warnings
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SKOS, TIME, XSD

from kgtool.namespaces import ONTOLOGY_IRI, QB, SH, SZ, XKOS

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_FILE = ROOT / "ontology" / "sz20plus8.ttl"
SHAPES_FILE = ROOT / "ontology" / "shapes.ttl"
RULES_DIR = ROOT / "ontology" / "rules"
BASE_FIXTURE = ROOT / "tests" / "fixtures" / "base.ttl"

VANN = Namespace("http://purl.org/vocab/vann/")
SDMX_ATTRIBUTE = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
SDMX_DIMENSION = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
SDMX_MEASURE = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")

#: The kinds of declaration an OWL 2 DL ontology gives its entities.
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.NamedIndividual)
PROPERTY_KINDS = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
#: Vocabularies built into OWL 2: their terms need no declaration.
BUILT_IN = (
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/2001/XMLSchema#",
)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


def sz_terms(graph: Graph) -> set[URIRef]:
    """Every IRI of the sz: namespace that occurs anywhere in ``graph``."""
    return {t for triple in graph for t in triple if isinstance(t, URIRef) and t.startswith(str(SZ))}


def declared(ontology: Graph) -> set[URIRef]:
    """The sz: terms the ontology declares: typed with an OWL kind and defined by the ontology."""
    return {
        t
        for t in sz_terms(ontology)
        if any((t, RDF.type, kind) in ontology for kind in KINDS) and (t, RDFS.isDefinedBy, ONTOLOGY_IRI) in ontology
    }


def project_version() -> str:
    """``version`` of the ``[project]`` table of pyproject.toml (read without tomllib, new in 3.11)."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    table = re.search(r"^\[project\]\s*$(.*?)(?=^\[|\Z)", text, re.M | re.S)
    assert table, "pyproject.toml has no [project] table"
    version = re.search(r'^version\s*=\s*"([^"]+)"', table.group(1), re.M)
    assert version, "[project] has no version"
    return version.group(1)


# -- Header ---------------------------------------------------------------------------------------


def test_parses_and_declares_the_ontology(ontology: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert len(sz_terms(ontology)) > 50


def test_version_info_is_the_package_version(ontology: Graph) -> None:
    info = ontology.value(ONTOLOGY_IRI, OWL.versionInfo)
    assert str(info) == project_version()


def test_version_iri_ends_with_version_info(ontology: Graph) -> None:
    info = str(ontology.value(ONTOLOGY_IRI, OWL.versionInfo))
    version_iri = ontology.value(ONTOLOGY_IRI, OWL.versionIRI)
    assert version_iri == URIRef(f"{ONTOLOGY_IRI}/{info}")
    assert str(version_iri).endswith(info)


@pytest.mark.parametrize(
    ("predicate", "expected"),
    [
        (DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")),
        (VANN.preferredNamespacePrefix, Literal("sz")),
        (VANN.preferredNamespaceUri, Literal(str(SZ))),
    ],
)
def test_header_values(ontology: Graph, predicate: URIRef, expected: object) -> None:
    assert ontology.value(ONTOLOGY_IRI, predicate) == expected


@pytest.mark.parametrize("predicate", [DCTERMS.title, DCTERMS.description])
def test_header_text_in_english(ontology: Graph, predicate: URIRef) -> None:
    values = list(ontology.objects(ONTOLOGY_IRI, predicate))
    assert [v.language for v in values] == ["en"]


def test_created_is_a_date(ontology: Graph) -> None:
    created = ontology.value(ONTOLOGY_IRI, DCTERMS.created)
    assert created is not None and created.datatype == XSD.date


def test_nothing_is_imported(ontology: Graph) -> None:
    assert list(ontology.objects(None, OWL.imports)) == []


# -- Documentation of every term --------------------------------------------------------------------


def test_every_term_has_an_english_label(ontology: Graph) -> None:
    missing = sorted(
        t
        for t in sz_terms(ontology)
        if not any(getattr(v, "language", None) == "en" for v in ontology.objects(t, RDFS.label))
    )
    assert missing == []


def test_every_term_has_an_english_definition(ontology: Graph) -> None:
    missing = sorted(
        t
        for t in sz_terms(ontology)
        if not any(getattr(v, "language", None) == "en" for v in ontology.objects(t, SKOS.definition))
    )
    assert missing == []


def test_every_term_is_defined_by_the_ontology(ontology: Graph) -> None:
    missing = sorted(t for t in sz_terms(ontology) if (t, RDFS.isDefinedBy, ONTOLOGY_IRI) not in ontology)
    assert missing == []


def test_cluster_documents_the_identity_rule(ontology: Graph) -> None:
    text = " ".join(str(v) for p in (SKOS.definition, RDFS.comment) for v in ontology.objects(SZ.Cluster, p))
    for words in ("name and its tier", "keeps its IRI", "new IRI", "reclassification event", "-future-industry"):
        assert words in text


# -- OWL 2 DL typing --------------------------------------------------------------------------------


def test_every_sz_term_is_declared(ontology: Graph) -> None:
    assert sorted(sz_terms(ontology) - declared(ontology)) == []


def test_every_sz_term_has_one_kind(ontology: Graph) -> None:
    """A term is a class, a property of one kind, or an individual (plus at most the class it belongs to)."""
    wrong = []
    for term in sz_terms(ontology):
        kinds = [k for k in KINDS if (term, RDF.type, k) in ontology]
        if len(kinds) != 1:
            wrong.append((term, kinds))
    assert wrong == []


def test_no_term_has_two_property_kinds(ontology: Graph) -> None:
    """OWL 2 DL forbids an IRI to be, say, both an object and a datatype property (external terms too)."""
    terms = {s for kind in PROPERTY_KINDS for s in ontology.subjects(RDF.type, kind)}
    wrong = sorted(t for t in terms if sum((t, RDF.type, k) in ontology for k in PROPERTY_KINDS) > 1)
    assert wrong == []


def test_external_terms_used_are_declared(ontology: Graph) -> None:
    """Every external class or property the ontology uses has a declaration (OWL 2 DL needs one)."""
    annotation_properties = set(ontology.subjects(RDF.type, OWL.AnnotationProperty))
    annotation_properties |= {RDFS.label, RDFS.comment, RDFS.isDefinedBy, RDFS.seeAlso, OWL.versionInfo}
    used: set[URIRef] = set()
    for s, p, o in ontology:
        used.add(p)
        is_annotation = p in annotation_properties or p == OWL.versionIRI
        if p == RDF.type or (not is_annotation and isinstance(o, URIRef)):
            used.add(o)
        if s != ONTOLOGY_IRI:
            used.add(s)
    external = {t for t in used if isinstance(t, URIRef) and not str(t).startswith((*BUILT_IN, str(SZ)))}
    undeclared = sorted(t for t in external if not any((t, RDF.type, k) in ontology for k in KINDS))
    assert undeclared == []


def test_literal_ranges_are_in_the_owl2_datatype_map(ontology: Graph) -> None:
    """xsd:date, xsd:gYear and xsd:gYearMonth are not OWL 2 datatypes: no range may use them."""
    outside = {XSD.date, XSD.gYear, XSD.gYearMonth, XSD.gMonth, XSD.gDay, XSD.time, XSD.duration}
    assert sorted(s for s, o in ontology.subject_objects(RDFS.range) if o in outside) == []


# -- Alignments, disjointness, individuals -------------------------------------------------------


@pytest.mark.parametrize(
    ("term", "relation", "parent"),
    [
        (SZ.PolicyVersion, RDFS.subClassOf, SKOS.ConceptScheme),
        (SZ.PolicyVersion, RDFS.subClassOf, PROV.Entity),
        (SZ.PolicyDocument, RDFS.subClassOf, DCTERMS.BibliographicResource),
        (SZ.PolicyDocument, RDFS.subClassOf, PROV.Entity),
        (SZ.Cluster, RDFS.subClassOf, SKOS.Concept),
        (SZ.StrategicEmergingIndustryCluster, RDFS.subClassOf, SZ.Cluster),
        (SZ.FutureIndustry, RDFS.subClassOf, SZ.Cluster),
        (SZ.Sector, RDFS.subClassOf, SKOS.Concept),
        (SZ.Measure, RDFS.subClassOf, SKOS.Concept),
        (SZ.ReclassificationEvent, RDFS.subClassOf, PROV.Activity),
        (SZ.ReclassificationEvent, RDFS.subClassOf, XKOS.ConceptAssociation),
        (SZ.Observation, RDFS.subClassOf, SZ.Figure),
        (SZ.Observation, RDFS.subClassOf, QB.Observation),
        (SZ.Target, RDFS.subClassOf, SZ.Figure),
        (SZ.Period, RDFS.subClassOf, TIME.ProperInterval),
        (SZ.Source, RDFS.subClassOf, PROV.Entity),
        (SZ.Source, RDFS.subClassOf, DCTERMS.BibliographicResource),
        (SZ.Citation, RDFS.subClassOf, PROV.Derivation),
        (SZ.revises, RDFS.subPropertyOf, XKOS.follows),
        (SZ.revises, RDFS.subPropertyOf, PROV.wasRevisionOf),
        (SZ.fromCluster, RDFS.subPropertyOf, XKOS.sourceConcept),
        (SZ.fromCluster, RDFS.subPropertyOf, PROV.used),
        (SZ.toCluster, RDFS.subPropertyOf, XKOS.targetConcept),
        (SZ.toCluster, RDFS.subPropertyOf, PROV.generated),
        (SZ.citation, RDFS.subPropertyOf, PROV.qualifiedDerivation),
        (SZ.unitMultiplier, RDFS.subPropertyOf, SDMX_ATTRIBUTE.unitMult),
        (SZ.unit, RDFS.subPropertyOf, SDMX_ATTRIBUTE.unitMeasure),
        (SZ.value, RDFS.subPropertyOf, SDMX_MEASURE.obsValue),
        (SZ.refPeriod, RDFS.subPropertyOf, SDMX_DIMENSION.refPeriod),
    ],
)
def test_alignment(ontology: Graph, term: URIRef, relation: URIRef, parent: URIRef) -> None:
    assert (term, relation, parent) in ontology


def _all_disjoint_groups(ontology: Graph) -> list[set[URIRef]]:
    groups = [
        set(ontology.items(ontology.value(node, OWL.members)))
        for node in ontology.subjects(RDF.type, OWL.AllDisjointClasses)
    ]
    groups += [set(ontology.items(union)) for union in ontology.objects(None, OWL.disjointUnionOf)]
    groups += [{a, b} for a, b in ontology.subject_objects(OWL.disjointWith)]
    return groups


@pytest.mark.parametrize(
    "classes",
    [
        {SZ.StrategicEmergingIndustryCluster, SZ.FutureIndustry},
        {SZ.Observation, SZ.Target},
        {SZ.Addition, SZ.Elevation, SZ.Merger, SZ.Renaming, SZ.Move, SZ.Removal, SZ.Regrouping},
    ],
)
def test_disjoint(ontology: Graph, classes: set[URIRef]) -> None:
    assert any(classes <= group for group in _all_disjoint_groups(ontology))


def test_the_two_tiers_cover_the_clusters(ontology: Graph) -> None:
    unions = [set(ontology.items(u)) for u in ontology.objects(SZ.Cluster, OWL.disjointUnionOf)]
    assert unions == [{SZ.StrategicEmergingIndustryCluster, SZ.FutureIndustry}]


@pytest.mark.parametrize(
    ("cls", "individuals"),
    [
        (SZ.Certainty, {SZ.Confirmed, SZ.Secondary, SZ.Uncertain}),
        (SZ.Qualifier, {SZ.Exact, SZ.Over, SZ.AtLeast, SZ.AtMost, SZ.Nearly, SZ.About}),
        (SZ.VersionStatus, {SZ.Superseded, SZ.InForce, SZ.Announced}),
        (
            SZ.SourceKind,
            {SZ.PolicyText, SZ.NewsReport, SZ.GovernmentPage, SZ.ThirdPartyFile, SZ.LowQualityMirror, SZ.FactSheet},
        ),
        (SZ.PriorityKind, {SZ.FutureIndustryPriority, SZ.StrategicIndustryPriority}),
    ],
)
def test_value_sets_are_closed_sets_of_named_individuals(
    ontology: Graph, cls: URIRef, individuals: set[URIRef]
) -> None:
    assert set(ontology.subjects(RDF.type, cls)) == individuals
    assert all((i, RDF.type, OWL.NamedIndividual) in ontology for i in individuals)
    one_of = [set(ontology.items(ontology.value(e, OWL.oneOf))) for e in ontology.objects(cls, OWL.equivalentClass)]
    assert one_of == [individuals]


@pytest.mark.parametrize(
    ("prop", "kind", "range_"),
    [
        (SZ.value, OWL.DatatypeProperty, XSD.decimal),
        (SZ.reportedValue, OWL.DatatypeProperty, XSD.decimal),
        (SZ.unitMultiplier, OWL.DatatypeProperty, XSD.integer),
        (SZ.position, OWL.DatatypeProperty, XSD.integer),
        (SZ.additive, OWL.DatatypeProperty, XSD.boolean),
        (SZ.certainty, OWL.ObjectProperty, SZ.Certainty),
        (SZ.qualifier, OWL.ObjectProperty, SZ.Qualifier),
        (SZ.status, OWL.ObjectProperty, SZ.VersionStatus),
        (SZ.measure, OWL.ObjectProperty, SZ.Measure),
        (SZ.refPeriod, OWL.ObjectProperty, SZ.Period),
        (SZ.citation, OWL.ObjectProperty, SZ.Citation),
    ],
)
def test_property_kind_and_range(ontology: Graph, prop: URIRef, kind: URIRef, range_: URIRef) -> None:
    assert (prop, RDF.type, kind) in ontology
    assert list(ontology.objects(prop, RDFS.range)) == [range_]


def test_competing_claim_is_symmetric(ontology: Graph) -> None:
    assert (SZ.competingClaim, RDF.type, OWL.SymmetricProperty) in ontology


def test_figure_structure_components(ontology: Graph) -> None:
    structure = SZ.figureStructure
    assert (structure, RDF.type, QB.DataStructureDefinition) in ontology
    components = {
        (p, ontology.value(c, p))
        for c in ontology.objects(structure, QB.component)
        for p in (QB.dimension, QB.measure, QB.attribute)
        if ontology.value(c, p) is not None
    }
    assert components == {
        (QB.dimension, SZ.measure),
        (QB.dimension, SZ.subject),
        (QB.dimension, SZ.refPeriod),
        (QB.measure, SZ.value),
        (QB.attribute, SZ.unit),
        (QB.attribute, SZ.unitMultiplier),
        (QB.attribute, SZ.qualifier),
    }


# -- Shapes and rules use only declared terms -------------------------------------------------------


def test_shapes_use_only_declared_terms(ontology: Graph) -> None:
    shapes = Graph().parse(SHAPES_FILE, format="turtle")
    used = sz_terms(shapes)
    for query in shapes.objects(None, SH.select):  # terms written inside SHACL-SPARQL constraints
        used |= {SZ[name] for name in re.findall(r"\bsz:([A-Za-z][\w-]*)", str(query))}
    assert sorted(used - declared(ontology)) == []


@pytest.mark.parametrize("rule", sorted(RULES_DIR.glob("*.rq")), ids=lambda p: p.name)
def test_rules_use_only_declared_terms(ontology: Graph, rule: Path) -> None:
    text = rule.read_text(encoding="utf-8")
    query = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    used = {SZ[name] for name in re.findall(r"\bsz:([A-Za-z][\w-]*)", query)}
    used |= {URIRef(iri) for iri in re.findall(r"<(https://w3id\.org/sz20plus8/def#[^>]+)>", query)}
    assert sorted(used - declared(ontology)) == []


def test_every_shape_constraint_has_a_message() -> None:
    """Each property shape carries an sh:message, or each of its SHACL-SPARQL constraints does."""
    shapes = Graph().parse(SHAPES_FILE, format="turtle")
    silent = []
    for shape in set(shapes.subjects(RDF.type, SH.PropertyShape)):
        sparql = list(shapes.objects(shape, SH.sparql))
        has_core = any(
            p not in (RDF.type, SH.path, SH.sparql, SH.message, SH.targetSubjectsOf) for p in shapes.predicates(shape)
        )
        if (has_core or not sparql) and (shape, SH.message, None) not in shapes:
            silent.append(shape)
        silent += [shape for c in sparql if (c, SH.message, None) not in shapes]
    assert sorted(silent) == []


# -- Reasoning (HermiT through owlready2) ---------------------------------------------------------

#: Literals HermiT refuses: these datatypes are outside the OWL 2 datatype map. Only properties with
#: no OWL range carry them, so dropping them changes nothing a reasoner could conclude.
NON_OWL_DATATYPES = {XSD.date, XSD.gYear, XSD.gYearMonth}

needs_reasoner = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs a Java runtime")


def _hermit_consistent(graph: Graph, tmp_path: Path) -> bool:
    """Whether HermiT finds ``graph`` consistent; it also fails the test if a class is unsatisfiable."""
    owlready2 = pytest.importorskip("owlready2")
    copy = Graph()
    for s, p, o in graph:
        if not (isinstance(o, Literal) and o.datatype in NON_OWL_DATATYPES):
            copy.add((s, p, o))
    path = tmp_path / "ontology.nt"
    copy.serialize(path, format="nt", encoding="utf-8")
    world = owlready2.World()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            world.get_ontology(path.as_uri()).load()
            owlready2.sync_reasoner(world, infer_property_values=False, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError:
        return False
    else:
        assert list(world.inconsistent_classes()) == []
        return True
    finally:
        world.close()


@pytest.mark.hermit
@needs_reasoner
def test_ontology_is_consistent_in_hermit(ontology: Graph, tmp_path: Path) -> None:
    assert _hermit_consistent(ontology, tmp_path)


@pytest.mark.hermit
@needs_reasoner
def test_ontology_with_the_base_fixture_is_consistent(ontology: Graph, tmp_path: Path) -> None:
    data = Graph().parse(BASE_FIXTURE, format="turtle")
    assert _hermit_consistent(ontology + data, tmp_path)


@pytest.mark.hermit
@needs_reasoner
def test_hermit_rejects_a_cluster_in_both_tiers(ontology: Graph, tmp_path: Path) -> None:
    data = Graph().parse(BASE_FIXTURE, format="turtle")
    data.add((URIRef("https://w3id.org/sz20plus8/cluster/robotics"), RDF.type, SZ.FutureIndustry))
    assert not _hermit_consistent(ontology + data, tmp_path)


def test_a_turtle_file_with_a_syntax_error_names_its_line(tmp_path: Path) -> None:
    """The ontology and the shapes are read by one function, which names the file and line of an error."""
    from kgtool.errors import DataError
    from kgtool.ontology import read_turtle

    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix sz: <https://w3id.org/sz20plus8/def#> .\n\nsz:a sz:b sz:c ;\n  sz:d .\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_turtle(bad)
    assert (caught.value.path, caught.value.line) == (bad, 4)
    assert "Turtle syntax" in caught.value.cause
