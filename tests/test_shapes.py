"""Tests of the SHACL shapes (ontology/shapes.ttl) and the quality rules (ontology/rules/*-violation.rq).

Every check runs on one small valid graph, tests/fixtures/base.ttl, together with the ontology (the
shapes rely on its subclass axioms). Each invalid fixture adds a few triples to it and names, in its
header, what it breaks:

- ``tests/fixtures/shapes/*.ttl``: ``# shape: szsh:NAME``; validating base + fixture must report
  violations of exactly that shape (sh:sourceShape), and every named property shape has a fixture;
- ``tests/fixtures/rules/*.ttl``: ``# rule: NAME`` and ``# expect: rows`` (or ``none`` for a fixture
  that shows a documented exception); running every rule on base + ontology + fixture must return rows
  from exactly that rule (or from none), on rdflib and on Oxigraph alike.

The shapes are checked through kgtool's own validator (:func:`kgtool.validate.validate_graph`, given the
shapes without the rules), as ``kgtool validate`` and ``kgtool build`` run them. Nothing here reaches the
network.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.plugins.sparql import prepareQuery

from kgtool.paths import ProjectPaths
from kgtool.validate import validate_graph

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_FILE = ROOT / "ontology" / "sz20plus8.ttl"
SHAPES_FILE = ROOT / "ontology" / "shapes.ttl"
RULES_DIR = ROOT / "ontology" / "rules"
FIXTURES = ROOT / "tests" / "fixtures"
BASE_FIXTURE = FIXTURES / "base.ttl"
SHAPE_FIXTURES = sorted((FIXTURES / "shapes").glob("*.ttl"))
RULE_FIXTURES = sorted((FIXTURES / "rules").glob("*.ttl"))
RULES = sorted(RULES_DIR.glob("*-violation.rq"))

SH = Namespace("http://www.w3.org/ns/shacl#")
SZSH = Namespace("https://w3id.org/sz20plus8/shapes#")


def header(path: Path, key: str) -> str:
    """The value of a ``# key: value`` line at the top of a fixture."""
    match = re.search(rf"^# {key}: (\S+)\s*$", path.read_text(encoding="utf-8"), re.M)
    assert match, f"{path.name} has no '# {key}:' line"
    return match.group(1)


def rule_name(path: Path) -> str:
    return path.name.removesuffix("-violation.rq")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


@pytest.fixture(scope="module")
def base() -> Graph:
    return Graph().parse(BASE_FIXTURE, format="turtle")


@pytest.fixture(scope="module")
def shapes_text() -> str:
    return SHAPES_FILE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def shapes_only(tmp_path_factory: pytest.TempPathFactory) -> ProjectPaths:
    """The project's shapes without its rules, so that a fixture's violations are its shape's alone."""
    root = tmp_path_factory.mktemp("shapes-only")
    (root / "ontology" / "rules").mkdir(parents=True)
    shutil.copy(SHAPES_FILE, root / "ontology" / "shapes.ttl")
    return ProjectPaths(root)


@pytest.fixture(scope="module")
def validate(ontology: Graph, shapes_only: ProjectPaths) -> Callable[[Graph], tuple[bool, set[str]]]:
    """Validate data together with the ontology as kgtool does (:func:`kgtool.validate.validate_graph`);
    returns (conforms, the shapes that reported a violation)."""

    def run(data: Graph) -> tuple[bool, set[str]]:
        report = validate_graph(data + ontology, shapes_only)
        return report.conforms, {v.constraint.removeprefix(str(SZSH)) for v in report.violations}

    return run


# -- The shapes graph itself ----------------------------------------------------------------------


def test_shapes_parse_and_are_named(shapes_text: str) -> None:
    shapes = Graph().parse(data=shapes_text, format="turtle")
    kinds = (SH.NodeShape, SH.PropertyShape)
    named = {s for k in kinds for s in shapes.subjects(RDF.type, k)}
    assert named, "no shapes"
    assert sorted(s for s in named if not (isinstance(s, URIRef) and s.startswith(str(SZSH)))) == []
    assert sorted(s for s in shapes.subjects(RDF.type, SH.PropertyShape) if (s, SH.path, None) not in shapes) == []


def test_every_property_shape_is_used(shapes_text: str) -> None:
    """A property shape either belongs to a node shape or has a target of its own."""
    shapes = Graph().parse(data=shapes_text, format="turtle")
    targets = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
    unused = [
        s
        for s in shapes.subjects(RDF.type, SH.PropertyShape)
        if (None, SH.property, s) not in shapes and not any((s, t, None) in shapes for t in targets)
    ]
    assert unused == []


def test_base_fixture_conforms(base: Graph, validate: Callable[[Graph], tuple[bool, set[str]]]) -> None:
    conforms, fired = validate(base)
    assert conforms, sorted(fired)


# -- One invalid fixture per constraint -------------------------------------------------------------


@pytest.mark.parametrize("fixture", SHAPE_FIXTURES, ids=lambda p: p.stem)
def test_fixture_breaks_exactly_its_shape(
    fixture: Path, base: Graph, validate: Callable[[Graph], tuple[bool, set[str]]]
) -> None:
    expected = header(fixture, "shape").removeprefix("szsh:")
    data = Graph()
    data += base
    data.parse(fixture, format="turtle")
    conforms, fired = validate(data)
    assert not conforms
    assert fired == {expected}


def test_every_property_shape_has_an_invalid_fixture(shapes_text: str) -> None:
    shapes = Graph().parse(data=shapes_text, format="turtle")
    property_shapes = {str(s).removeprefix(str(SZSH)) for s in shapes.subjects(RDF.type, SH.PropertyShape)}
    covered = {header(f, "shape").removeprefix("szsh:") for f in SHAPE_FIXTURES}
    assert sorted(property_shapes - covered) == []
    assert sorted(covered - property_shapes) == []


# -- Quality rules ----------------------------------------------------------------------------------


def run_rdflib(graph: Graph, query: str) -> list[dict[str, str]]:
    return [{str(k): str(v) for k, v in row.asdict().items()} for row in graph.query(query)]


def run_oxigraph(graph: Graph, query: str) -> list[dict[str, str]]:
    pyoxigraph = pytest.importorskip("pyoxigraph")
    store = pyoxigraph.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    solutions = store.query(query)
    names = [v.value for v in solutions.variables]
    return [{name: row[name].value for name in names if row[name] is not None} for row in solutions]


ENGINES = {"rdflib": run_rdflib, "oxigraph": run_oxigraph}
#: The engines as test parameters: rdflib's (the memory store's) is ten times slower, a slow group of its own.
ENGINE_PARAMS = [pytest.param("rdflib", marks=pytest.mark.rdflib_engine), "oxigraph"]


@pytest.fixture(scope="module")
def rules() -> dict[str, str]:
    return {rule_name(p): p.read_text(encoding="utf-8") for p in RULES}


@pytest.mark.parametrize("rule", RULES, ids=lambda p: p.name)
def test_rule_explains_itself_and_selects_focus_and_message(rule: Path) -> None:
    text = rule.read_text(encoding="utf-8")
    assert text.startswith("# Rule: "), "a rule begins with a comment saying what it checks"
    assert re.search(r"^# Why: ", text, re.M), "and why it exists"
    assert re.search(r"^# A returned row ", text, re.M), "and what a returned row means"
    query = prepareQuery(text)
    names = {str(v) for v in query.algebra["PV"]}
    assert {"focus", "message"} <= names


@pytest.mark.parametrize("engine", ENGINE_PARAMS)
@pytest.mark.parametrize("rule", RULES, ids=lambda p: p.name)
def test_rule_finds_nothing_in_the_base_fixture(rule: Path, engine: str, base: Graph, ontology: Graph) -> None:
    rows = ENGINES[engine](base + ontology, rule.read_text(encoding="utf-8"))
    assert rows == []


@pytest.mark.parametrize("engine", ENGINE_PARAMS)
@pytest.mark.parametrize("fixture", RULE_FIXTURES, ids=lambda p: p.stem)
def test_rule_fixture(fixture: Path, engine: str, base: Graph, ontology: Graph, rules: dict[str, str]) -> None:
    rule = header(fixture, "rule")
    expect = header(fixture, "expect")
    assert rule in rules and expect in ("rows", "none")
    data = base + ontology
    data.parse(fixture, format="turtle")
    results = {name: ENGINES[engine](data, query) for name, query in rules.items()}
    fired = {name for name, rows in results.items() if rows}
    assert fired == ({rule} if expect == "rows" else set()), results
    for row in results.get(rule, []):
        assert row.get("focus") and row.get("message")


def test_every_rule_has_a_violating_fixture() -> None:
    violating = {header(f, "rule") for f in RULE_FIXTURES if header(f, "expect") == "rows"}
    assert sorted({rule_name(p) for p in RULES} - violating) == []
