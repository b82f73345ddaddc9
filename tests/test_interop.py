"""What users of other tools rely on, without a server: JSON-LD that reads as plain JSON, Turtle with
lists as ``( ... )``, export files other users can read, and the server in the default install."""

from __future__ import annotations

import json
import os
import re
import tomllib
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic, to_isomorphic

import kgtool
from kgtool.cli import main
from kgtool.context import context_document, term_context
from kgtool.errors import UsageError
from kgtool.export import CONTEXT_FILE, CONTEXT_IRI, export_dataset, published_graph, rdf_bytes
from kgtool.namespaces import BASE, PREFIXES

ROOT = Path(__file__).resolve().parent.parent
AI = BASE + "cluster/artificial-intelligence"


@pytest.fixture(scope="module")
def dataset(built_home: Path) -> Dataset:
    with kgtool.open("oxigraph", home=built_home) as kg:
        return kg.store.dataset()


@pytest.fixture(scope="module")
def jsonld(dataset: Dataset) -> dict:
    return json.loads(export_dataset(dataset, "jsonld"))


def _node(document: dict, iri: str) -> dict:
    return next(n for n in document["@graph"] if n.get("id") == iri)


# -- the JSON-LD term context ----------------------------------------------------------------------------


def test_jsonld_reads_as_plain_json(jsonld: dict) -> None:
    cluster = _node(jsonld, AI)
    assert cluster["prefLabel"] == {"en": "Artificial Intelligence", "zh": "人工智能"}
    assert "StrategicEmergingIndustryCluster" in cluster["type"]
    assert cluster["inScheme"] == BASE + "version/2.0"  # a link is an IRI string that resolves
    # typed values are plain strings under their term; no key is a CURIE of the project's vocabulary
    figures = [n for n in jsonld["@graph"] if "reportedValue" in n]
    assert figures and all(isinstance(n["reportedValue"], str) for n in figures)
    assert all(isinstance(n["unitMultiplier"], str) for n in figures)
    assert not [k for n in jsonld["@graph"] for k in n if k.startswith("sz:")]


def test_jsonld_keeps_what_rdflibs_writer_lost() -> None:
    """The compaction writes every triple where rdflib's JSON-LD writer (kgtool's before) lost some; the
    values below are worked out by hand from the published context, and the document reads back through
    pyld as the Turtle it was written from."""
    from pyld import jsonld as pyld

    turtle = f"""
    @prefix sz: <{PREFIXES["sz"]}> . @prefix rdfs: <{PREFIXES["rdfs"]}> . @prefix xsd: <{PREFIXES["xsd"]}> .
    sz:a rdfs:seeAlso ( sz:b sz:c ) ;
        sz:note "" , "x" ;
        sz:count "007"^^xsd:integer , "7"^^xsd:integer , "1.5E0"^^xsd:double , "true"^^xsd:boolean ;
        rdfs:member ( ( sz:b ) [ rdfs:label "y"@en ] ) .
    _:p rdfs:seeAlso _:q . _:q rdfs:seeAlso _:p .
    """
    triples = list(ox.parse(turtle.encode("utf-8"), ox.RdfFormat.TURTLE))
    document = json.loads(rdf_bytes(triples, "jsonld"))
    nodes = {node["id"]: node for node in document["@graph"]}
    a = nodes["sz:a"]
    listed = nodes[a["seeAlso"]]  # under a term typed "@id" a list's first node is written as a node, its rest a list
    assert listed["rdf:first"] == {"id": "sz:b"} and listed["rdf:rest"] == {"@list": [{"id": "sz:c"}]}
    assert a["sz:note"] == ["", "x"]
    assert a["sz:count"] == [
        7,
        True,
        {"@value": "007", "type": "xsd:integer"},
        {"@value": "1.5E0", "type": "xsd:double"},
    ]
    held = a["rdfs:member"]["@list"]
    assert held[0] == {"@list": [{"id": "sz:b"}]} and nodes[held[1]["id"]]["label"] == {"en": "y"}
    assert sum(1 for node in nodes.values() if "seeAlso" in node and node["id"].startswith("_:")) == 2  # the cycle
    nquads = pyld.to_rdf(document, {"format": "application/n-quads"})
    assert isomorphic(Graph().parse(data=nquads, format="nquads"), Graph().parse(data=turtle, format="turtle"))
    import gc

    assert gc.isenabled()  # paused while the document is built, and on again
    with pytest.raises(UsageError, match="@vocab"):
        rdf_bytes(triples, "jsonld", context={"@vocab": "http://example.org/"})
    assert gc.isenabled()


def test_the_shipped_context_is_generated_from_the_sources(tmp_path: Path) -> None:
    from kgtool.context import write_context

    written = write_context(tmp_path / "context.jsonld")
    assert written.read_bytes() == CONTEXT_FILE.read_bytes(), "run: python -m kgtool.context"


def test_term_context_types_terms_from_the_values() -> None:
    from rdflib import BNode, Literal, URIRef

    sz, dcterms = PREFIXES["sz"], PREFIXES["dcterms"]
    s = URIRef(BASE + "x")
    context = term_context(
        [
            (s, URIRef(sz + "value"), Literal("1.5", datatype=URIRef(PREFIXES["xsd"] + "decimal"))),
            (s, URIRef(sz + "issued"), Literal("2024-01-01", datatype=URIRef(PREFIXES["xsd"] + "date"))),
            (s, URIRef(dcterms + "issued"), Literal("2024")),  # the same local name: sz wins
            (s, URIRef(sz + "unit"), URIRef("http://qudt.org/vocab/unit/PERCENT")),  # "unit" is no longer a prefix
            (s, URIRef(PREFIXES["owl"] + "unionOf"), BNode()),  # a list: never "@type": "@id"
            (s, URIRef(dcterms + "publisher"), Literal("x", lang="en")),
            (s, URIRef(dcterms + "publisher"), URIRef(BASE + "agent/y")),  # mixed: no coercion
        ]
    )
    assert context["value"] == {"@id": "sz:value", "@type": "xsd:decimal"}
    assert context["issued"] == {"@id": "sz:issued", "@type": "xsd:date"}
    assert context["unit"] == {"@id": "sz:unit", "@type": "@id"}
    assert context["unionOf"] == {"@id": "owl:unionOf"}
    assert context["publisher"] == {"@id": "dcterms:publisher"}
    assert context["id"] == "@id" and context["type"] == "@type"
    assert json.loads(context_document(context))["@context"] == context


@pytest.mark.pyld  # pyld reads the whole graph twice and compacts it: a slow group (pyproject.toml)
def test_the_term_context_round_trips_through_pyld_without_network(dataset: Dataset, jsonld: dict) -> None:
    from pyld import jsonld as pyld

    fetched: list[str] = []

    def loader(url: str, options: dict | None = None) -> dict:
        fetched.append(url)
        if url == CONTEXT_IRI:
            return {"contextUrl": None, "documentUrl": url, "document": json.loads(CONTEXT_FILE.read_bytes())}
        raise pyld.JsonLdError(f"no network: {url}", "loading document failed", code="loading document failed")

    expected = published_graph(dataset)
    for document in (jsonld, dict(jsonld, **{"@context": CONTEXT_IRI})):
        nquads = pyld.to_rdf(document, {"format": "application/n-quads", "documentLoader": loader})
        assert isomorphic(Graph().parse(data=nquads, format="nquads"), expected)
    assert fetched == [CONTEXT_IRI]  # only the published context, from the local file
    # and compacting with pyld gives the same short keys
    compacted = pyld.compact(pyld.expand(jsonld, {"documentLoader": loader}), CONTEXT_IRI, {"documentLoader": loader})
    assert _node(compacted, AI)["prefLabel"] == {"en": "Artificial Intelligence", "zh": "人工智能"}


# -- Turtle ----------------------------------------------------------------------------------------------


def test_turtle_writes_owl_and_shacl_lists_as_collections(dataset: Dataset, published_hash: int) -> None:
    text = export_dataset(dataset, "ttl").decode("utf-8")
    assert not re.search(r"^\s*rdf:(first|rest) ", text, re.M)  # (the VoID statistics name them as objects)
    assert re.search(r"owl:unionOf \( sz:\w+ sz:\w+", text)
    assert to_isomorphic(Graph().parse(data=text, format="turtle")).internal_hash() == published_hash
    shapes = (ROOT / "ontology" / "shapes.ttl").read_bytes()
    triples = list(ox.parse(shapes, format=ox.RdfFormat.TURTLE))
    written = rdf_bytes(triples, "ttl", canonical=False).decode("utf-8")
    assert re.search(r"sh:in \(", written) and "rdf:first" not in written and "_:" not in written
    assert isomorphic(Graph().parse(data=written, format="turtle"), Graph().parse(data=shapes, format="turtle"))


def _parse_any(data: bytes, fmt: str) -> Graph:
    from kgtool.export import read_jsonld

    parsed = read_jsonld(data) if fmt == "jsonld" else Dataset()
    if fmt != "jsonld":
        parsed.parse(data=data, format={"nt": "nt", "nq": "nquads", "xml": "xml"}[fmt])
    union = Graph()
    for s, p, o, _ in parsed.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def test_turtle_edge_cases_read_back() -> None:
    ex = "http://example.org/"
    n = ox.NamedNode
    a, b, c, loop1, loop2 = (ox.BlankNode(x) for x in ("a", "b", "c", "l1", "l2"))
    first, rest, nil = n(PREFIXES["rdf"] + "first"), n(PREFIXES["rdf"] + "rest"), n(PREFIXES["rdf"] + "nil")
    triples = [
        ox.Triple(n(ex + "s"), n(ex + "p"), a),  # a list whose item is a nested node
        ox.Triple(a, first, b),
        ox.Triple(a, rest, nil),
        ox.Triple(b, n(ex + "q"), ox.Literal('x\n"y"', language="en")),
        ox.Triple(n(ex + "s"), n(ex + "empty"), nil),
        ox.Triple(n(ex + "s"), n(ex + "d"), ox.Literal("1.50", datatype=n(PREFIXES["xsd"] + "decimal"))),
        ox.Triple(n(ex + "s"), n(ex + "e"), ox.Literal("1e3", datatype=n(PREFIXES["xsd"] + "double"))),
        ox.Triple(n(ex + "s"), n(ex + "slash"), n(ex + "a/b")),
        ox.Triple(loop1, n(ex + "next"), loop2),
        ox.Triple(loop2, n(ex + "next"), loop1),  # a cycle of blank nodes
        ox.Triple(c, first, n(ex + "x")),
        ox.Triple(c, rest, c),  # a list that never ends
        ox.Triple(n(ex + "t"), n(ex + "r"), c),
        ox.Triple(n(ex + "t"), n(ex + "text"), ox.Literal("looks like syntax: _:a , _:b ( _:c ) .")),
        ox.Triple(n(ex + "t"), n(PREFIXES["rdf"] + "type"), n(ex + "T")),  # sorted first among t's statements
        ox.Triple(n(ex + "t"), n(ex + "about"), n(PREFIXES["rdf"] + "type")),  # rdf:type as an object, last
        ox.Triple(n(ex + "t"), n(ex + "say"), ox.Literal(f" <{PREFIXES['rdf']}type> . ")),
    ]
    prefixes = {"ex": ex, "xsd": PREFIXES["xsd"]}
    text = rdf_bytes(triples, "ttl", prefixes=prefixes, canonical=False)
    expected = Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    assert isomorphic(Graph().parse(data=text, format="turtle"), expected)
    assert b"ex:empty rdf:nil" not in text and b"1.50" in text
    assert b"( [ ex:q " in text  # the list, and the node it holds, written in place
    assert b"ex:t a ex:T ;" in text
    for fmt in ("nt", "nq", "xml", "jsonld"):  # the line-based sort and every writer keep them all
        data = rdf_bytes(triples, fmt, canonical=False)
        assert isomorphic(_parse_any(data, fmt), expected), fmt
    assert rdf_bytes(list(reversed(triples)), "ttl", prefixes=prefixes, canonical=False) == text  # order-independent
    quads = [ox.Quad(t.subject, t.predicate, t.object, n(ex + "g")) for t in triples]
    parsed = Dataset()
    parsed.parse(data=rdf_bytes(quads, "trig", prefixes={"ex": ex}, canonical=False), format="trig")
    assert isomorphic(parsed.graph(ex + "g"), expected)


# -- files and installs -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640)])
def test_export_out_files_follow_the_umask(built_home: Path, tmp_path: Path, umask: int, mode: int) -> None:
    out = tmp_path / "graph.ttl"
    out.write_text("old")
    os.chmod(out, 0o600)  # a file an older kgtool wrote
    previous = os.umask(umask)
    try:
        assert main(["export", "--home", str(built_home), "--format", "ttl", "--out", str(out)]) == 0
    finally:
        os.umask(previous)
    assert out.stat().st_mode & 0o777 == mode
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_the_server_is_in_the_default_install() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {re.split(r"[<>=\[ ]", d, maxsplit=1)[0].lower() for d in project["dependencies"]}
    assert {"starlette", "uvicorn"} <= names
    assert project["optional-dependencies"]["server"] == []  # old instructions ('[server]') still install
    assert any(d.lower().startswith("sparqlwrapper") for d in project["optional-dependencies"]["test"])


# -- the OpenAPI description of the named queries (served and checked against the server in test_server_clients)


def test_openapi_describes_every_named_query_with_typed_parameters_and_columns() -> None:
    from openapi_spec_validator import validate

    from kgtool.openapi import openapi_document
    from kgtool.paths import project_paths
    from kgtool.queries import load_queries

    queries = load_queries(project_paths().queries_dir)
    document = openapi_document(queries, server_url="http://127.0.0.1:8000")
    validate(document)  # a valid OpenAPI 3.1 document
    assert set(document["paths"]) == {f"/queries/{name}" for name in queries} | {"/sparql"}
    operation = document["paths"]["/queries/above-threshold"]["get"]
    params = {p["name"]: p for p in operation["parameters"] if "name" in p}
    assert params["year"]["schema"] == {"type": "integer"} and params["year"]["required"] is True
    assert params["threshold"]["schema"] == {"type": "number"}
    assert params["kind"]["schema"]["enum"] == ["place", "cluster", "sector"]
    assert params["lang"]["schema"] == {"type": "string", "enum": ["en", "zh"], "default": "en"}
    assert params["lang"]["required"] is False
    schema = operation["responses"]["200"]["content"]["application/sparql-results+json"]["schema"]
    columns = schema["properties"]["results"]["properties"]["bindings"]["items"]["properties"]
    assert columns["subject"]["properties"]["type"] == {"const": "uri"}
    assert columns["value"]["properties"]["datatype"] == {"const": "http://www.w3.org/2001/XMLSchema#decimal"}
    assert columns["subjectLabel"]["required"] == ["type", "value", "xml:lang"]


def test_an_unknown_column_type_is_a_clear_error(tmp_path: Path) -> None:
    from kgtool.errors import DataError
    from kgtool.queries import parse_header

    path = tmp_path / "q.rq"
    text = "#+ summary: s\n#+ column: x\n#+   type: colour\nSELECT ?x WHERE { ?x ?p ?o }\n"
    with pytest.raises(DataError, match=r"q.rq:2: unknown column type 'colour'"):
        parse_header(path, text)


@pytest.mark.load  # a benchmark run
def test_the_http_benchmark_runs(built_home: Path) -> None:
    import subprocess
    import sys

    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "http_caching.py"), "--home", str(built_home), "--repeat", "2"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    rows = {line.split("  ")[0]: line.split() for line in run.stdout.splitlines()[1:5]}
    assert set(rows) == {"SELECT * as JSON", "Turtle dump", "ontology page", "a cluster as JSON-LD"}
    select = rows["SELECT * as JSON"]
    assert int(select[-5]) > 5 * int(select[-4])  # gzip makes the largest answer several times smaller
    assert "Turtle for" in run.stdout
