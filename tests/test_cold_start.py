"""A command imports only what it needs: printing a named query's answer from the built store loads
neither rdflib nor importlib.metadata (the start-up time itself is measured by bench/, not here).

An answer of the Oxigraph store is decoded from pyoxigraph's terms when its rows are first read; printed
before that, it is decoded with plain-string IRIs through the same formatting. These tests pin that both
give the same text, and that the public API (rows of IRI, rdflib terms as parameters, ``kgtool.build``)
is what it was.
"""

from __future__ import annotations

import copy
import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import BNode, Literal, URIRef

from kgtool.errors import ParameterError
from kgtool.graph import KnowledgeGraph
from kgtool.iri import IRI
from kgtool.namespaces import PREFIXES
from kgtool.queries import Param, Term, param_term, sparql_term, to_term
from kgtool.results import RESULT_FORMATS, QueryResult

#: Modules a printed named query must not import: rdflib and its SPARQL engine, the entry-point reader, the
#: compiler and the validators.
NOT_NEEDED = ("rdflib", "importlib.metadata", "pyshacl", "kgtool.build", "kgtool.validate", "kgtool.shacl")

_RUN = f"""
import json, sys
from kgtool.cli import main
code = main(sys.argv[1:])
sys.stdout.flush()
print(json.dumps({{"code": code, "loaded": [m for m in {NOT_NEEDED!r} if m in sys.modules]}}), file=sys.stderr)
"""


def run_cli(home: Path, *args: str) -> tuple[str, dict]:
    """``kgtool ARGS`` in a fresh interpreter: its output, and its exit code with the unneeded modules it loaded."""
    done = subprocess.run(
        [sys.executable, "-c", _RUN, "--home", str(home), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=120,
    )
    assert done.stderr, done
    return done.stdout, json.loads(done.stderr.strip().splitlines()[-1])


@pytest.mark.parametrize("fmt", RESULT_FORMATS)
def test_printing_a_named_query_imports_neither_rdflib_nor_importlib_metadata(
    built_home: Path, kg: KnowledgeGraph, fmt: str
) -> None:
    out, status = run_cli(built_home, "query", "clusters", "--format", fmt)
    assert status == {"code": 0, "loaded": []}
    result = kg.query("clusters")
    assert result.rows  # the rows read: the text below is printed from them
    assert out == result.serialize(fmt)


@pytest.mark.parametrize(
    "args",
    [
        ("query", "clusters", "-p", "version=2.0", "--lang", "zh"),  # a version checked against the graph
        ("query", "lineage", "-p", "cluster=机器人"),  # a cluster found by its label
        ("query", "metric-series", "-p", "measure=sei-added-value", "-p", "subject=place/shenzhen"),
        ("query", "events", "-p", "version=2.0", "-p", "type=merged"),  # an event type read from the ontology
        ("lineage", "artificial-intelligence", "--format", "csv"),
    ],
    ids=" ".join,
)
def test_parameters_are_resolved_and_bound_without_rdflib(built_home: Path, args: tuple[str, ...]) -> None:
    out, status = run_cli(built_home, *args)
    assert status == {"code": 0, "loaded": []}
    assert out.strip()


def test_importing_kgtool_imports_neither_rdflib_nor_the_compiler() -> None:
    code = (
        "import sys, kgtool; print([m for m in ('rdflib', 'kgtool.build', 'importlib.metadata') if m in sys.modules])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "code",
    [
        "from kgtool.build import source_graphs\nimport kgtool\n",  # the submodule first
        "import kgtool\nkgtool.build\nfrom kgtool.build import source_graphs\n",  # the function first
        "import kgtool.build\nimport kgtool\n",
    ],
)
def test_kgtool_build_stays_the_function_however_the_module_is_imported(code: str) -> None:
    code += (
        "import types\n"
        "from kgtool import build\n"
        "assert build is kgtool.build and isinstance(build, types.FunctionType), kgtool.build\n"
        "assert callable(source_graphs) if 'source_graphs' in dir() else True\n"
        "print(kgtool.BuildResult.__name__)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "BuildResult"


def _named_answers(kg: KnowledgeGraph) -> list[tuple[str, dict[str, str]]]:
    return [(name, {p.name: p.example for p in q.params if p.required and p.example}) for name, q in kg.queries.items()]


def test_every_named_query_prints_the_same_before_and_after_its_rows_are_read(kg: KnowledgeGraph) -> None:
    for name, params in _named_answers(kg):
        result = kg.query(name, **params)
        printed = {fmt: result.serialize(fmt) for fmt in RESULT_FORMATS}
        texts, length = result.text_rows(compact=True), len(result)
        assert all(type(v) is IRI for row in result.rows for v in row if isinstance(v, URIRef)), name
        assert {fmt: result.serialize(fmt) for fmt in RESULT_FORMATS} == printed, name
        assert (result.text_rows(compact=True), len(result)) == (texts, length), name


def test_blank_nodes_and_every_datatype_print_the_same_from_terms_and_from_rows(kg: KnowledgeGraph) -> None:
    query = """SELECT ?b ?iri ?d ?i ?day ?yes ?f ?text ?year ?none WHERE {
      BIND(BNODE("x") AS ?b) BIND(<https://w3id.org/sz20plus8/cluster/robotics> AS ?iri)
      BIND("1.50"^^<http://www.w3.org/2001/XMLSchema#decimal> AS ?d) BIND(42 AS ?i)
      BIND("2022-06-06"^^<http://www.w3.org/2001/XMLSchema#date> AS ?day) BIND("1"^^<http://www.w3.org/2001/XMLSchema#boolean> AS ?yes)
      BIND("1.5e0"^^<http://www.w3.org/2001/XMLSchema#double> AS ?f) BIND("人工智能"@zh AS ?text)
      BIND("2024"^^<http://www.w3.org/2001/XMLSchema#gYear> AS ?year) }"""
    first, second = kg.sparql(query), kg.sparql(query)
    printed = {fmt: first.serialize(fmt) for fmt in RESULT_FORMATS}
    ((b, iri, *rest),) = second.rows
    assert isinstance(b, BNode) and type(iri) is IRI and iri == "https://w3id.org/sz20plus8/cluster/robotics"
    assert {fmt: second.serialize(fmt) for fmt in RESULT_FORMATS} == printed
    assert "cluster:robotics" in printed["table"] and "https://w3id.org/sz20plus8/cluster/robotics" in printed["csv"]
    assert first == second and len(first) == 1


def test_an_answer_pickles_and_copies_as_its_rows(kg: KnowledgeGraph) -> None:
    result = kg.query("clusters", version="2.0")
    for copied in (pickle.loads(pickle.dumps(result)), copy.deepcopy(kg.query("clusters", version="2.0"))):
        assert copied == result and copied.serialize("table") == result.serialize("table")
        assert type(copied.rows[0][3]) is IRI


def test_a_result_made_of_rdflib_terms_abbreviates_its_iris() -> None:
    result = QueryResult("select", ("x",), [(URIRef("https://w3id.org/sz20plus8/cluster/robotics"),)])
    assert "cluster:robotics" in result.serialize("md")
    assert result.serialize("csv") == "x\nhttps://w3id.org/sz20plus8/cluster/robotics\n"


VALUES = ['"} UNION { ?s ?p ?o } #', "\\u0022", "a\\", "line\r\nbreak\ttab", "人工智能", ""]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_a_term_is_written_as_its_rdflib_term_is(value: str) -> None:
    for term in (
        Term.literal(value),
        Term.literal(value, language="zh-Hans"),
        Term.literal(value, "http://example.org/datatype"),  # one rdflib does not normalise
    ):
        assert sparql_term(term) == sparql_term(term.to_rdflib())
        assert Term.of(term.to_rdflib()) == term


def test_parameters_bound_as_rdflib_terms_keep_working(kg: KnowledgeGraph) -> None:
    named = kg.named_query("clusters")
    as_rdflib = named.bind({"version": Literal("2.0"), "lang": Literal("en")})
    as_terms = named.bind({"version": Term.literal("2.0"), "lang": Term.literal("en")})
    assert as_rdflib == as_terms
    assert kg.store.query(as_rdflib).rows == kg.query("clusters", version="2.0").rows
    assert kg.resolve(named.param("version"), "2") == Literal("2.0")
    assert kg.resolve_cluster("机器人") == URIRef("https://w3id.org/sz20plus8/cluster/robotics")
    assert kg.query("clusters", version=Literal("2.0")).rows == kg.query("clusters", version="2.0").rows
    decimal = Param("t", "decimal")
    assert (
        to_term(decimal, "1.50", "q")
        == Literal("1.5", datatype=URIRef(PREFIXES["xsd"] + "decimal"))
        == param_term(decimal, "1.5", "q").to_rdflib()
    )


@pytest.mark.parametrize(
    "term",
    [
        Term.iri("https://w3id.org/sz20plus8/x> } UNION { ?s ?p ?o } #"),
        URIRef("http://a b"),
        Term.literal("x", language="en} UNION {"),
        Term.literal("x", "http://example.org/dt> ."),
        BNode("x"),
        "a plain string",
    ],
    ids=repr,
)
def test_what_no_term_may_hold_is_refused(term: object) -> None:
    with pytest.raises(ParameterError):
        sparql_term(term)  # type: ignore[arg-type]


def test_prefixes_are_rdflibs_namespaces() -> None:
    from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, TIME, VOID, XSD

    namespaces = {"rdf": RDF, "rdfs": RDFS, "owl": OWL, "xsd": XSD, "skos": SKOS, "prov": PROV, "dcterms": DCTERMS}
    namespaces |= {"dcat": DCAT, "void": VOID, "foaf": FOAF, "time": TIME}
    assert {prefix: PREFIXES[prefix] for prefix in namespaces} == {p: str(ns) for p, ns in namespaces.items()}
