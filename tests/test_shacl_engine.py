"""kgtool's SHACL engine on Oxigraph (kgtool/shacl.py) gives the results of pySHACL, the reference engine.

The differential tests compare the set of (focus node, path, value, source shape, severity) of both engines
on every invalid fixture (base.ttl + the fixture + the ontology) and on a generated graph with planted
violations of every kind bench/generate.py knows. Features the project's shapes do not use yet are
compared on a small graph of their own; features the engine does not support stop it with a clear error.
"""

from __future__ import annotations

import collections
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

import kgtool
from kgtool.errors import DataError
from kgtool.shacl import validate_store
from kgtool.validate import pyshacl_results, validate_graph

ROOT = Path(__file__).resolve().parent.parent
SHAPES = ROOT / "ontology" / "shapes.ttl"
FIXTURES = sorted((ROOT / "tests" / "fixtures" / "shapes").glob("*.ttl")) + sorted(
    (ROOT / "tests" / "fixtures" / "rules").glob("*.ttl")
)


@pytest.fixture(scope="module")
def ontology_and_base() -> Graph:
    graph = Graph()
    graph.parse(ROOT / "ontology" / "sz20plus8.ttl", format="turtle")
    graph.parse(ROOT / "tests" / "fixtures" / "base.ttl", format="turtle")
    return graph


def oxigraph_keys(graph: Graph, shapes: Path | str = SHAPES) -> set[tuple]:
    store = ox.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return {r.key() for r in validate_store(store, shapes)}


def pyshacl_keys(graph: Graph, shapes: Path) -> set[tuple]:
    return {r.key() for r in pyshacl_results(graph, shapes)}


# pySHACL on each of the ~200 fixtures: half a second each, a quarter of the default run, so a slow group
# (pyproject.toml). The default run keeps the comparison on the generated graph (a planted violation of every
# kind) and test_shapes.py's check of each fixture with kgtool's engine.
@pytest.mark.pyshacl
@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_same_results_as_pyshacl_on_every_invalid_fixture(fixture: Path, ontology_and_base: Graph) -> None:
    graph = Graph()
    graph += ontology_and_base
    graph.parse(fixture, format="turtle")
    mine = oxigraph_keys(graph)
    assert mine == pyshacl_keys(graph, SHAPES)
    if fixture.parent.name == "shapes":  # each shape fixture breaks its shape, so both found something
        assert mine


def test_same_results_on_a_generated_graph_with_planted_violations(tmp_path: Path) -> None:
    import bench.generate

    path = tmp_path / "planted.nq"
    _, planted = bench.generate.write_nquads(path, 10_000, violations=2, seed=7)
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    mine = validate_store(store, SHAPES, union=True)
    graph = Graph()
    for quad in store:
        graph.add(tuple(_rdflib(t) for t in (quad.subject, quad.predicate, quad.object)))
    assert {r.key() for r in mine} == pyshacl_keys(graph, SHAPES)
    focus = collections.defaultdict(set)
    for result in mine:
        focus[result.shape.value.rsplit("#", 1)[1]].add(result.focus)
    assert {shape: len(nodes) for shape, nodes in focus.items()} == planted


def test_the_generated_graph_without_plants_conforms(tmp_path: Path) -> None:
    import bench.generate

    path = tmp_path / "clean.nq"
    bench.generate.write_nquads(path, 10_000)
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    assert validate_store(store, SHAPES, union=True) == []


def _rdflib(term: object) -> object:
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):  # the ontology's (OWL lists and restrictions)
        return BNode(term.value)
    assert isinstance(term, ox.Literal)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


# -- features the project's shapes do not use (yet) -------------------------------------------------------

MORE_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

ex:Thing a sh:NodeShape, rdfs:Class ;
    sh:closed true ; sh:ignoredProperties ( <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ) ;
    sh:property ex:Thing-size , ex:Thing-name , ex:Thing-kind , ex:Thing-part , ex:Thing-start , ex:Thing-link .
ex:Thing-size a sh:PropertyShape ; sh:path ex:size ; sh:minExclusive 0 ; sh:maxExclusive 100 ;
    sh:severity sh:Warning ; sh:lessThan ex:limit .
ex:Thing-name a sh:PropertyShape ; sh:path ex:name ; sh:minLength 2 ; sh:maxLength 5 ; sh:pattern "^a" ;
    sh:flags "i" ; sh:disjoint ex:alias .
ex:Thing-kind a sh:PropertyShape ; sh:path ex:kind ; sh:hasValue ex:K1 ;
    sh:xone ( [ sh:hasValue ex:K1 ] [ sh:nodeKind sh:IRI ] ) .
ex:Thing-part a sh:PropertyShape ; sh:path ( ex:part [ sh:zeroOrMorePath ex:sub ] ) ;
    sh:not [ sh:class ex:Bad ] ; sh:node ex:Named ; sh:minCount 2 .
ex:Named a sh:NodeShape ; sh:nodeKind sh:IRI .
ex:Thing-start a sh:PropertyShape ; sh:path [ sh:alternativePath ( ex:start ex:begin ) ] ;
    sh:lessThanOrEquals ex:end ; sh:maxCount 1 ; sh:datatype xsd:integer .
ex:Thing-link a sh:PropertyShape ; sh:path [ sh:oneOrMorePath ex:next ] ; sh:and ( [ sh:class ex:Thing ] ) ;
    sh:deactivated false .
ex:Off a sh:NodeShape ; sh:targetNode ex:a ; sh:deactivated true ; sh:class ex:Nothing .
ex:Nodes a sh:NodeShape ; sh:targetObjectsOf ex:next ; sh:targetNode ex:zz ; sh:class ex:Thing ;
    sh:message "must be a thing"@en .
"""

MORE_DATA = """
@prefix ex: <http://example.org/> .
ex:a a ex:Thing ; ex:size 0, 50, "x" ; ex:limit 40 ; ex:name "abc", "Apple", "toolong", "b" ; ex:alias "abc" ;
    ex:kind ex:K2, "lit" ; ex:part ex:p1 ; ex:start 3, 9 ; ex:end 5 ; ex:next ex:b ; ex:other 1 .
ex:p1 ex:sub ex:p2 . ex:p2 a ex:Bad ; ex:sub _:p3 .
ex:b a ex:Thing ; ex:kind ex:K1 ; ex:part ex:p4, ex:p5 ; ex:begin "2"^^<http://www.w3.org/2001/XMLSchema#integer> ;
    ex:next ex:c .
ex:c ex:name "ax" .
"""


def test_same_results_on_features_the_project_does_not_use_yet(tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(MORE_SHAPES, encoding="utf-8")
    graph = Graph().parse(data=MORE_DATA, format="turtle")
    blank = {r for r in pyshacl_keys(graph, shapes) if r[0].startswith("_:") or (r[2] or "").startswith("_:")}
    mine = {k for k in oxigraph_keys(graph, shapes) if not (k[0].startswith("_:") or (k[2] or "").startswith("_:"))}
    assert mine == pyshacl_keys(graph, shapes) - blank  # blank nodes are named differently by each engine
    assert len(mine) > 15


@pytest.mark.parametrize(
    ("shape", "feature"),
    [
        ("ex:S sh:targetNode ex:a ; sh:target [ a sh:SPARQLTarget ; sh:select 'SELECT ?this {}' ] .", "sh:target"),
        ("ex:S sh:targetNode ex:a ; sh:or ( [ sh:path ex:p ; sh:minCount 1 ] ) .", "sh:path in a shape nested"),
        (
            "ex:S sh:targetNode ex:a ; sh:sparql [ sh:select 'SELECT $this WHERE { $this ?p ?o . "
            "{ SELECT ?o WHERE { ?o ?q $this } } }' ] .",
            "subquery",
        ),
        (
            "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:qualifiedValueShape [ sh:class ex:C ] ; "
            "sh:qualifiedMinCount 1 ; sh:qualifiedValueShapesDisjoint true ] .",
            "qualifiedValueShapesDisjoint",
        ),
        ("ex:S sh:targetNode ex:a ; sh:frobnicate 1 .", "sh:frobnicate"),
    ],
)
def test_an_unsupported_feature_stops_the_engine_with_a_clear_error(shape: str, feature: str) -> None:
    shapes = "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .\n" + shape
    with pytest.raises(DataError, match=feature) as error:
        validate_store(ox.Store(), shapes)
    assert "--engine pyshacl" in str(error.value)


def test_validate_graph_reports_the_same_with_either_engine(ontology_and_base: Graph) -> None:
    graph = Graph()
    graph += ontology_and_base
    graph.parse(ROOT / "tests" / "fixtures" / "shapes" / "Cluster-inScheme-membership.ttl", format="turtle")
    fast = validate_graph(graph, engine="oxigraph")
    reference = validate_graph(graph, engine="pyshacl")
    assert (fast.engine, reference.engine) == ("oxigraph", "pyshacl")
    strip = [(v.constraint, v.focus, v.path, v.value, v.severity) for v in fast.violations]
    assert strip == [(v.constraint, v.focus, v.path, v.value, v.severity) for v in reference.violations]
    assert any(
        v.path == "((^<https://w3id.org/sz20plus8/def#cluster>)/<https://w3id.org/sz20plus8/def#version>)"
        for v in fast.violations
    )


def test_literals_the_store_would_rewrite_go_to_the_reference_engine(ontology_and_base: Graph) -> None:
    """Oxigraph stores "0"^^xsd:int as an xsd:integer: only pySHACL sees the wrong datatype."""
    graph = Graph()
    graph += ontology_and_base
    graph.parse(
        data="<https://w3id.org/sz20plus8/membership/1.0/network-communications> "
        "<https://w3id.org/sz20plus8/def#position> "
        '"1"^^<http://www.w3.org/2001/XMLSchema#int> .',
        format="nt",
    )
    report = validate_graph(graph)
    assert report.engine == "pyshacl"
    assert "https://w3id.org/sz20plus8/shapes#Membership-position" in report.constraints


def test_kgtool_validate_engine_option(capsys: pytest.CaptureFixture[str]) -> None:
    from kgtool.cli import main

    assert main(["validate", "--engine", "pyshacl", "--format", "json"]) == 0
    assert '"conforms": true' in capsys.readouterr().out
    assert main(["validate", "--engine", "nope"]) == 2


def test_the_package_imports_only_what_a_command_needs() -> None:
    """kgtool and the query path load neither pySHACL, rdflib's SPARQL engine, the SHACL engine nor the server's
    application (Starlette, uvicorn)."""
    import subprocess
    import sys

    code = (
        "import sys, kgtool, kgtool.cli, kgtool.graph; kgtool.cli.build_parser(); "
        "print(sorted(m for m in sys.modules if m.startswith(('pyshacl', 'rdflib.plugins.sparql', "
        "'kgtool.shacl', 'kgtool.server.app', 'starlette', 'uvicorn'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", done.stdout
    assert kgtool.build is not None and callable(kgtool.build)
