"""``kgtool serve`` with the clients and habits of the field: SPARQLWrapper (every return format, GET and
POST, every query form), rdflib's SPARQLStore, HTTP caches (validators, 304) and compression, linked-data
clients (Link, Content-Location, JSON), browsers (HTML errors), predeclared prefixes, long GET queries,
and the OpenAPI description of the named queries, each against a real server on 127.0.0.1."""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import warnings
from collections.abc import Iterator
from pathlib import Path
from xml.dom.minidom import Document

import httpx
import jsonschema
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import SKOS
from server_fixtures import running_server
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, POSTDIRECTLY, RDF, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

import kgtool
from kgtool.namespaces import BASE
from kgtool.server import ServerConfig

AI = BASE + "cluster/artificial-intelligence"
LABELS = {("Artificial Intelligence", "en"), ("人工智能", "zh")}
SELECT = f"PREFIX skos: <{SKOS}> SELECT ?label WHERE {{ <{AI}> skos:prefLabel ?label }} ORDER BY ?label"
ASK = f"ASK {{ <{AI}> ?p ?o }}"
CONSTRUCT = f"PREFIX skos: <{SKOS}> CONSTRUCT {{ <{AI}> skos:prefLabel ?l }} WHERE {{ <{AI}> skos:prefLabel ?l }}"
DESCRIBE = f"DESCRIBE <{AI}>"
MAX_BODY = 32 * 1024
# SPARQLWrapper reads RDF into rdflib's ConjunctiveGraph, which rdflib 7 deprecates
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def base(built_home: Path) -> Iterator[str]:
    config = ServerConfig(home=built_home, timeout=20, max_rows=10_000, max_body=MAX_BODY, workers=2)
    with running_server(config) as url:
        yield url


@pytest.fixture(scope="module")
def client(base: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base, timeout=30) as c:
        yield c


@pytest.fixture(scope="module")
def store_graph(built_home: Path) -> Graph:
    with kgtool.open("oxigraph", home=built_home) as kg:
        dataset: Dataset = kg.store.dataset()
    union = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def _labels_graph() -> Graph:
    graph = Graph()
    for text, lang in LABELS:
        graph.add((URIRef(AI), SKOS.prefLabel, Literal(text, lang=lang)))
    return graph


def _description(store_graph: Graph) -> Graph:
    graph = Graph()
    for triple in store_graph.triples((URIRef(AI), None, None)):
        graph.add(triple)
    return graph


# -- SPARQLWrapper: every return format, GET and POST, every query form ----------------------------------

METHODS = ["GET", "POST", "POSTDIRECTLY"]


def _wrapper(base: str, query: str, fmt: str, method: str) -> SPARQLWrapper:
    sparql = SPARQLWrapper(base + "/sparql")
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    if method != "GET":
        sparql.setMethod(POST)
    if method == "POSTDIRECTLY":
        sparql.setRequestMethod(POSTDIRECTLY)
    return sparql


def _convert(sparql: SPARQLWrapper) -> object:
    with warnings.catch_warnings():
        warnings.simplefilter(
            "error", RuntimeWarning
        )  # SPARQLWrapper warns when an answer's type is not the one asked for
        # ... and when it has no Accept header of its own for a format (RDF), which is no answer's fault
        warnings.filterwarnings("ignore", "Sending Accept header", RuntimeWarning)
        return sparql.query().convert()


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_select(base: str, fmt: str, method: str) -> None:
    result = _convert(_wrapper(base, SELECT, fmt, method))
    if fmt == JSON:
        assert isinstance(result, dict)
        labels = {(b["label"]["value"], b["label"]["xml:lang"]) for b in result["results"]["bindings"]}
    elif fmt == XML:
        assert isinstance(result, Document)
        labels = {
            (node.firstChild.data, node.getAttribute("xml:lang")) for node in result.getElementsByTagName("literal")
        }
    else:
        assert isinstance(result, bytes)
        if fmt == CSV:
            rows = list(csv.reader(io.StringIO(result.decode("utf-8"))))
            assert rows[0] == ["label"]
            assert {r[0] for r in rows[1:]} == {text for text, _ in LABELS}
            return
        lines = result.decode("utf-8").splitlines()  # TSV holds terms in SPARQL syntax: "text"@lang
        assert lines[0] == "?label"
        labels = {tuple(line[1:].split('"@')) for line in lines[1:]}
    assert labels == LABELS


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fmt", [JSON, XML])
def test_sparqlwrapper_ask(base: str, fmt: str, method: str) -> None:
    sparql = _wrapper(base, ASK, fmt, method)
    result = _convert(sparql)
    if fmt == JSON:
        assert result == {"head": {}, "boolean": True}
    else:
        assert isinstance(result, Document)
        assert result.getElementsByTagName("boolean")[0].firstChild.data == "true"


def _graph_of(result: object, fmt: str) -> Graph:
    if isinstance(result, Graph):
        return result
    assert isinstance(result, bytes), type(result)
    return Graph().parse(data=result, format="turtle")


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fmt", [XML, RDFXML, RDF, TURTLE, N3, JSONLD])
@pytest.mark.parametrize("form", ["CONSTRUCT", "DESCRIBE"])
def test_sparqlwrapper_graph_queries(base: str, store_graph: Graph, form: str, fmt: str, method: str) -> None:
    query = CONSTRUCT if form == "CONSTRUCT" else DESCRIBE
    expected = _labels_graph() if form == "CONSTRUCT" else _description(store_graph)
    result = _convert(_wrapper(base, query, fmt, method))
    assert isomorphic(_graph_of(result, fmt), expected)


@pytest.mark.parametrize("form", ["CONSTRUCT", "DESCRIBE"])
def test_sparqlwrapper_json_for_a_graph_query_is_json_ld(base: str, store_graph: Graph, form: str) -> None:
    query = CONSTRUCT if form == "CONSTRUCT" else DESCRIBE
    sparql = _wrapper(base, query, JSON, "GET")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # SPARQLWrapper itself says it sends Accept: */*
        response = sparql.query()
    assert response.response.headers["Content-Type"].startswith("application/ld+json")
    expected = _labels_graph() if form == "CONSTRUCT" else _description(store_graph)
    converted = response.convert()  # SPARQLWrapper reads a JSON-LD answer into a graph
    assert isinstance(converted, Graph) and isomorphic(converted, expected)


@pytest.mark.parametrize(
    ("params", "media_type"),
    [
        ({"format": ["tsv", "text/tab-separated-values"]}, "text/tab-separated-values"),
        ({"format": "text/csv"}, "text/csv"),
        ({"output": "json"}, "application/sparql-results+json"),
        ({"results": "xml"}, "application/sparql-results+xml"),
        ({"format": "application/sparql-results+json; charset=utf-8"}, "application/sparql-results+json"),
    ],
)
def test_format_parameters_as_clients_send_them(client: httpx.Client, params: dict, media_type: str) -> None:
    response = client.get("/sparql", params={"query": SELECT, **params})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media_type


@pytest.mark.parametrize(
    ("fmt", "media_type"),
    [
        ("xml", "application/rdf+xml"),
        ("rdf+xml", "application/rdf+xml"),
        ("json-ld", "application/ld+json"),
        ("n3", "text/turtle"),
        ("text/n3", "text/turtle"),
        ("application/rdf+xml", "application/rdf+xml"),
    ],
)
def test_graph_queries_take_rdf_format_names(client: httpx.Client, fmt: str, media_type: str) -> None:
    response = client.get("/sparql", params={"query": CONSTRUCT, "format": fmt})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media_type


def test_unknown_or_unsuitable_formats_are_refused_clearly(client: httpx.Client) -> None:
    unknown = client.get("/sparql", params={"query": SELECT, "format": "pdf"})
    assert unknown.status_code == 400 and "unknown format 'pdf'" in unknown.text
    unsuitable = client.get("/sparql", params={"query": CONSTRUCT, "format": "csv"})
    assert unsuitable.status_code == 406 and "text/turtle" in unsuitable.text


# -- rdflib's SPARQLStore ------------------------------------------------------------------------------


@pytest.mark.parametrize("return_format", ["xml", "json"])
@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
def test_rdflib_sparqlstore(base: str, store_graph: Graph, return_format: str, method: str) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(base + "/sparql", returnFormat=return_format, method=method)
    graph = Graph(store=store)
    rows = graph.query(SELECT)
    assert {(str(r.label), r.label.language) for r in rows} == LABELS
    assert graph.query(ASK).askAnswer is True
    if return_format == "xml":  # rdflib asks for SPARQL JSON results only, even for a graph, with "json"
        assert isomorphic(Graph() + graph.query(CONSTRUCT).graph, _labels_graph())
    assert set(graph.triples((URIRef(AI), None, None))) == set(store_graph.triples((URIRef(AI), None, None)))
    assert len(graph) == len(store_graph)
    store.close()


# -- predeclared prefixes ------------------------------------------------------------------------------


def test_queries_may_use_predeclared_prefixes(client: httpx.Client) -> None:
    query = f"SELECT ?label WHERE {{ <{AI}> skos:prefLabel ?label . ?v a sz:PolicyVersion ; dct:title ?t }} LIMIT 1"
    response = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    # a query's own declaration of a prefix wins
    own = "PREFIX skos: <http://example.org/not-skos#> ASK { ?s skos:prefLabel ?o }"
    assert client.get("/sparql", params={"query": own}).json()["boolean"] is False


def test_the_service_description_lists_the_predeclared_prefixes(client: httpx.Client) -> None:
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=response.text, format="turtle")
    declared = {
        str(p): str(ns)
        for p, ns in graph.query(
            "PREFIX sh: <http://www.w3.org/ns/shacl#> SELECT ?p ?ns WHERE { ?s sh:declare [ sh:prefix ?p ; sh:namespace ?ns ] }"
        )
    }
    assert declared == PREDECLARED


#: The prefixes docs/SERVER.md promises, written out here: the project's (docs/MODEL.md: its vocabulary, its
#: shapes and one namespace per kind of instance) and the common vocabularies' namespaces as their
#: specifications give them.
PREDECLARED = {
    "sz": "https://w3id.org/sz20plus8/def#",
    "szsh": "https://w3id.org/sz20plus8/shapes#",
    **{
        kind: f"https://w3id.org/sz20plus8/{kind}/"
        for kind in (
            "version",
            "document",
            "cluster",
            "sector",
            "membership",
            "event",
            "correspondence",
            "measure",
            "observation",
            "target",
            "period",
            "place",
            "agent",
            "priority",
            "source",
            "statement",
            "definition",
            "plan",
            "claim",
            "technology",
            "correction",
        )
    },
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xkos": "http://rdf-vocabulary.ddialliance.org/xkos#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "dct": "http://purl.org/dc/terms/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "time": "http://www.w3.org/2006/time#",
    "qb": "http://purl.org/linked-data/cube#",
    "schema": "https://schema.org/",
    "sh": "http://www.w3.org/ns/shacl#",
    "org": "http://www.w3.org/ns/org#",
    "geo": "http://www.opengis.net/ont/geosparql#",
    "wgs": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "fn": "http://www.w3.org/2005/xpath-functions#",
    "vann": "http://purl.org/vocab/vann/",
    "qudt": "http://qudt.org/schema/qudt/",
    "unit": "http://qudt.org/vocab/unit/",
    "cur": "http://qudt.org/vocab/currency/",
    "sdmx-attribute": "http://purl.org/linked-data/sdmx/2009/attribute#",
    "sdmx-dimension": "http://purl.org/linked-data/sdmx/2009/dimension#",
    "sdmx-measure": "http://purl.org/linked-data/sdmx/2009/measure#",
}


def test_every_predeclared_prefix_works_in_a_query(client: httpx.Client) -> None:
    for prefix, namespace in PREDECLARED.items():
        query = f"SELECT ?x WHERE {{ BIND({prefix}:x AS ?x) }}"
        response = client.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
        assert response.status_code == 200, (prefix, response.text)
        assert response.text.splitlines()[1] == namespace + "x", prefix


# -- HTTP caching and compression ----------------------------------------------------------------------


def test_conditional_requests_get_304(client: httpx.Client) -> None:
    for url, params in (
        ("/sparql", {"query": SELECT}),
        ("/cluster/artificial-intelligence", {}),
        ("/download/sz20plus8.ttl", {}),
        ("/context.jsonld", {}),
        ("/openapi.json", {}),
    ):
        first = client.get(url, params=params)
        assert first.status_code == 200, url
        etag, last_modified = first.headers["etag"], first.headers["last-modified"]
        assert first.headers["cache-control"].startswith("public, max-age=")
        again = client.get(url, params=params, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag, url
        since = client.get(url, params=params, headers={"If-Modified-Since": last_modified})
        assert since.status_code == 304, url
        assert client.get(url, params=params, headers={"If-None-Match": 'W/"stale"'}).status_code == 200


def test_each_representation_has_its_own_etag(client: httpx.Client) -> None:
    tags = {
        client.get("/cluster/artificial-intelligence", headers={"Accept": media}).headers["etag"]
        for media in ("text/turtle", "application/ld+json", "application/n-triples", "text/html")
    }
    assert len(tags) == 4
    turtle = client.get("/cluster/artificial-intelligence", headers={"Accept": "text/turtle"}).headers["etag"]
    as_json = client.get(
        "/cluster/artificial-intelligence", headers={"Accept": "application/ld+json", "If-None-Match": turtle}
    )
    assert as_json.status_code == 200  # another representation's tag does not match


def test_errors_and_posts_carry_no_validators(client: httpx.Client) -> None:
    missing = client.get("/cluster/no-such-cluster")
    assert missing.status_code == 404 and "etag" not in missing.headers
    posted = client.post("/sparql", data={"query": SELECT})
    assert posted.status_code == 200 and "etag" not in posted.headers


def test_a_write_changes_the_validators(built_home: Path) -> None:
    token = "interop-token"
    config = ServerConfig(home=built_home, timeout=20, workers=1, allow_update=True, token=token)
    with running_server(config) as url, httpx.Client(base_url=url, timeout=30) as client:
        first = client.get("/sparql", params={"query": "ASK { <http://example.org/s> ?p ?o }"})
        assert first.json()["boolean"] is False
        update = client.post(
            "/sparql",
            data={"update": "INSERT DATA { <http://example.org/s> <http://example.org/p> 1 }"},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert update.status_code == 204, update.text
        again = client.get(
            "/sparql",
            params={"query": "ASK { <http://example.org/s> ?p ?o }"},
            headers={"If-None-Match": first.headers["etag"]},
        )
        assert again.status_code == 200 and again.json()["boolean"] is True
        assert again.headers["etag"] != first.headers["etag"]


def _raw_get(base: str, target: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    """A GET as bytes on the wire (httpx would decompress the body)."""
    with httpx.Client(base_url=base, timeout=30) as c:
        request = c.build_request("GET", target, headers=headers)
        response = c.send(request, stream=True)
        raw = b"".join(response.iter_raw())
        return response.status_code, dict(response.headers), raw


def test_large_answers_are_gzipped(base: str) -> None:
    query = urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p ?o }"})
    for target in (f"/sparql?{query}", "/download/sz20plus8.ttl", "/def"):
        status, headers, raw = _raw_get(base, target, {"Accept-Encoding": "gzip", "Accept": "*/*"})
        assert status == 200 and headers["content-encoding"] == "gzip", target
        assert "Accept-Encoding" in headers["vary"]
        body = gzip.decompress(raw)
        assert len(raw) < len(body) / 3, target
        _, plain_headers, plain = _raw_get(base, target, {"Accept": "*/*", "Accept-Encoding": "identity"})
        assert plain == body and "content-encoding" not in plain_headers
        assert plain_headers["etag"] == headers["etag"]  # the same representation (weak validator)


# -- linked data for programs and browsers -------------------------------------------------------------


def test_resources_link_their_other_formats(client: httpx.Client) -> None:
    response = client.get("/cluster/artificial-intelligence", headers={"Accept": "text/turtle"})
    assert response.headers["content-location"] == "/cluster/artificial-intelligence?format=ttl"
    alternates = [part.split(";") for part in response.headers["link"].split(", ")]
    types = {p[2].split('"')[1]: p[0].strip("<> ") for p in alternates}
    assert set(types) == {
        "text/turtle",
        "application/ld+json",
        "application/n-triples",
        "application/rdf+xml",
        "text/html",
    }
    assert all('rel="alternate"' in ";".join(p) for p in alternates)
    for media_type, url in types.items():
        followed = client.get(url)
        assert followed.status_code == 200 and followed.headers["content-type"].startswith(media_type), url
        if media_type != "text/html":  # the HTML page comes from kgtool.web's pages
            assert followed.headers["content-location"] == url


def test_application_json_gets_json_ld(client: httpx.Client) -> None:
    response = client.get("/cluster/artificial-intelligence", headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    document = response.json()
    node = next(n for n in document.get("@graph", [document]) if n.get("id") == AI)
    assert node["prefLabel"] == {"en": "Artificial Intelligence", "zh": "人工智能"}
    graph = client.get("/store", params={"graph": BASE + "graph/ontology"}, headers={"Accept": "application/json"})
    assert graph.headers["content-type"].startswith("application/ld+json")


@pytest.mark.parametrize("path", ["/cluster/artificial-intelligence", "/def", "/shapes", "/dataset"])
def test_json_ld_descriptions_carry_the_terms_they_use_and_round_trip(client: httpx.Client, path: str) -> None:
    from pyld import jsonld as pyld

    from kgtool.export import jsonld_context

    document = client.get(path, headers={"Accept": "application/ld+json"}).json()
    published = jsonld_context()
    assert document["@context"].items() <= published.items()  # entries of the published context, no other
    assert len(document["@context"]) < len(published) or path == "/def"

    def no_network(url: str, options: dict | None = None) -> dict:
        raise AssertionError(f"fetched {url}")

    nquads = pyld.to_rdf(document, {"format": "application/n-quads", "documentLoader": no_network})
    turtle = client.get(path, headers={"Accept": "text/turtle"}).text
    assert isomorphic(Graph().parse(data=nquads, format="nquads"), Graph().parse(data=turtle, format="turtle"))


def test_browsers_get_html_errors_and_programs_plain_text(client: httpx.Client) -> None:
    page = client.get("/cluster/no-such-cluster", headers={"Accept": BROWSER})
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert page.text.lstrip().lower().startswith("<!doctype html>")  # kgtool.web's page, or the server's
    text = client.get("/cluster/no-such-cluster", headers={"Accept": "*/*"})
    assert text.status_code == 404 and text.headers["content-type"].startswith("text/plain")
    bad = client.get("/sparql", params={"query": "SELECT nonsense"}, headers={"Accept": BROWSER})
    assert bad.status_code == 400 and bad.headers["content-type"].startswith("text/html")
    assert "&lt;" not in bad.text.split("<h1>")[0]  # the message is escaped into the page, not the head


def _shapes_from_a_new_server(home: Path, hash_seed: int) -> bytes:
    """The shapes as N-Triples from ``kgtool serve`` started in a process of its own (so a worker of its own),
    with its own hash seed: what one worker's process state might decide differs between them."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PYTHONHASHSEED": str(hash_seed)}
    command = [sys.executable, "-m", "kgtool.cli", "serve", "--home", str(home), "--port", str(port), "--workers", "1"]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/shapes", headers={"Accept": "application/n-triples"})
                if answer.status_code == 200:
                    return answer.content
            except httpx.TransportError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, server.stderr.read() if server.stderr else ""
            time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(30)


@pytest.mark.processes  # two servers started: a slow group (pyproject.toml)
def test_shapes_have_the_same_blank_nodes_in_every_worker(built_home: Path) -> None:
    first, second = (_shapes_from_a_new_server(built_home, seed) for seed in (1, 2))
    assert b"_:c14n" in first  # the shapes' blank nodes, labelled canonically
    assert first == second


# -- long GET queries ----------------------------------------------------------------------------------


def _raw_request(base: str, request: bytes) -> bytes:
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(request)  # the server may answer before reading all of it; the answer is still read
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return data


@pytest.mark.parametrize("size", [MAX_BODY + 1000, 4 * 1024 * 1024])
def test_get_queries_over_the_limit_get_414_not_a_reset(base: str, size: int) -> None:
    query = urllib.parse.quote("SELECT * WHERE { ?s ?p ?o } LIMIT 1 #" + "x" * size)
    answer = _raw_request(base, f"GET /sparql?query={query} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    assert answer.startswith(b"HTTP/1.1 414 "), answer[:100]
    assert b"POST" in answer  # the message says what to do
    within = urllib.parse.quote("SELECT * WHERE { ?s ?p ?o } LIMIT 1 #" + "x" * (MAX_BODY // 2))
    ok = _raw_request(
        base, f"GET /sparql?query={within} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
    )
    assert ok.startswith(b"HTTP/1.1 200 ")


# -- the OpenAPI description, against the server ----------------------------------------------------------


def test_openapi_is_served_and_every_query_answers_as_described(client: httpx.Client, base: str) -> None:
    from kgtool.openapi import openapi_document
    from kgtool.paths import project_paths
    from kgtool.queries import load_queries

    document = client.get("/openapi.json").json()
    # the library's document, which test_interop validates as OpenAPI 3.1 (its schemas included), once
    assert document == openapi_document(load_queries(project_paths().queries_dir), server_url=base)
    assert document["servers"] == [{"url": base}]
    operations = {path: spec["get"] for path, spec in document["paths"].items() if path.startswith("/queries/")}
    assert len(operations) == len(client.get("/queries", headers={"Accept": "application/json"}).json())
    for path, operation in operations.items():
        params = {p["name"]: p["example"] for p in operation["parameters"] if "example" in p}
        response = client.get(path, params={**params, "format": "json"})
        assert response.status_code == 200, (path, response.text)
        schema = operation["responses"]["200"]["content"]["application/sparql-results+json"]["schema"]
        # columns, and the type of every value (the schema itself was checked with the document)
        jsonschema.validators.validator_for(schema)(schema).validate(response.json())
        assert response.json()["results"]["bindings"], f"{path}: its example finds nothing"
        columns = schema["properties"]["head"]["properties"]["vars"]["const"]
        table = client.get(path, params={**params, "format": "csv"})
        assert next(csv.reader(io.StringIO(table.text))) == columns
        required = [p["name"] for p in operation["parameters"] if p.get("required")]
        if required:
            assert client.get(path).status_code == 400, f"{path} without {required}"
