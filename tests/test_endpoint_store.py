"""The endpoint store: kgtool's client for any SPARQL 1.1 store.

- the protocol, on a fake server (httpx.MockTransport): GET or form POST (never a direct
  application/sparql-query body), the Accept header, the project's graphs as default-graph-uri and
  named-graph-uri unless the query has a FROM, SERVICE and updates refused before anything is sent;
- answers read back the same as from the local stores (Virtuoso's typed-literal, booleans as 1);
- credentials: sent only after a challenge, in its scheme (Digest or Basic), never in messages;
- errors: HTTP status, timeouts and refused connections become StoreError/QueryError with the
  server's message (exit code 2);
- writes: Graph Store Protocol PUT per graph or SPARQL Update in chunks, blank nodes kept together;
- on the real servers of .ci/servers.sh, when their environment is set: load, count, read back,
  refuse bad credentials, report syntax errors, and the CLI's --endpoint.
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import threading
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from urllib.parse import parse_qs

import httpx
import pytest
from ci_servers import SERVER_PARAMS, server_options
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

import kgtool
from kgtool.build import source_graphs
from kgtool.cli import main
from kgtool.errors import EXIT_BAD_INPUT, QueryError, StoreError, UsageError, exit_code_for
from kgtool.stores import store_class
from kgtool.stores.endpoint import PROJECT_GRAPHS, EndpointStore, chunk_triples, ntriples_term

ONTOLOGY, DATA = PROJECT_GRAPHS
SELECT = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"
EMPTY_RESULTS = {"head": {"vars": ["s"]}, "results": {"bindings": []}}
TEST_GRAPH = "urn:kgtool-test:endpoint-store"


class FakeServer:
    """Records every request; answers with ``handler`` (default: an empty SELECT result)."""

    def __init__(self, handler: Callable[[httpx.Request], httpx.Response] | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self.handler = handler or (lambda request: httpx.Response(200, json=EMPTY_RESULTS))

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        # a copy: an authentication flow sends the same request object again with more headers
        self.requests.append(
            httpx.Request(request.method, request.url, headers=request.headers.copy(), content=request.content)
        )
        return self.handler(request)

    def store(self, **options: object) -> EndpointStore:
        options.setdefault("endpoint", "http://127.0.0.1:9/sparql")
        return EndpointStore(transport=httpx.MockTransport(self), **options)  # type: ignore[arg-type]


def params_of(request: httpx.Request) -> dict[str, list[str]]:
    """The protocol parameters of a query request, from the URL (GET) or the form body (POST)."""
    if request.method == "GET":
        return parse_qs(request.url.query.decode())
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    return parse_qs(request.content.decode())


# -- the protocol ---------------------------------------------------------------------------------------


def test_a_select_is_sent_with_the_projects_graphs_and_an_accept_header() -> None:
    server = FakeServer()
    server.store().query(SELECT)
    (request,) = server.requests
    assert request.method == "GET"
    assert request.headers["accept"] == "application/sparql-results+json"
    params = params_of(request)
    assert params["query"] == [SELECT]
    assert params["default-graph-uri"] == [ONTOLOGY, DATA]
    assert params["named-graph-uri"] == [ONTOLOGY, DATA]


def test_a_query_with_its_own_from_is_sent_without_protocol_graphs() -> None:
    server = FakeServer()
    server.store().query("SELECT ?s FROM <urn:g> WHERE { ?s ?p ?o }")
    params = params_of(server.requests[0])
    assert "default-graph-uri" not in params and "named-graph-uri" not in params


def test_a_variable_named_from_is_no_from_clause() -> None:
    server = FakeServer()
    server.store().query("SELECT ?from WHERE { ?e <urn:from> ?from }")
    assert params_of(server.requests[0])["default-graph-uri"] == [ONTOLOGY, DATA]


def test_a_long_query_is_a_form_post_never_a_direct_sparql_query_body() -> None:
    server = FakeServer()
    text = "SELECT ?s WHERE { ?s ?p ?o } # " + "x" * 3000
    server.store().query(text)
    (request,) = server.requests
    assert request.method == "POST"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert params_of(request)["query"] == [text]


def test_graphs_of_the_callers_choice_replace_the_projects() -> None:
    server = FakeServer()
    server.store(graphs=["urn:one"]).query(SELECT)
    assert params_of(server.requests[0])["default-graph-uri"] == ["urn:one"]


def test_service_and_updates_are_refused_before_anything_is_sent() -> None:
    server = FakeServer()
    store = server.store()
    with pytest.raises(QueryError, match="SERVICE"):
        store.query("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    with pytest.raises(QueryError, match="Update"):
        store.query("INSERT DATA { <urn:s> <urn:p> <urn:o> }")
    assert server.requests == []


def test_a_construct_asks_for_n_triples_and_reads_the_graph() -> None:
    body = '<urn:s> <urn:p> "人工智能"@zh .\n<urn:s> <urn:q> "1.50"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n'
    server = FakeServer(lambda r: httpx.Response(200, text=body, headers={"content-type": "application/n-triples"}))
    result = server.store().query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert server.requests[0].headers["accept"].startswith("application/n-triples")
    assert result.kind == "graph" and len(result) == 2
    assert (URIRef("urn:s"), URIRef("urn:p"), Literal("人工智能", lang="zh")) in result.graph


def test_an_ask_answer() -> None:
    server = FakeServer(lambda r: httpx.Response(200, json={"head": {}, "boolean": True}))
    result = server.store().query("ASK { ?s ?p ?o }")
    assert result.kind == "ask" and result.boolean is True


def test_answers_read_the_same_as_from_the_local_stores_virtuoso_json_included() -> None:
    xsd = str(XSD)
    doc = {  # as Virtuoso 7 writes it: SPARQL 1.0 "typed-literal", "link" in head, booleans as 1
        "head": {"link": [], "vars": ["iri", "dec", "int", "bool", "day", "zh", "year", "blank", "unbound"]},
        "results": {
            "bindings": [
                {
                    "iri": {"type": "uri", "value": "https://w3id.org/sz20plus8/version/2.0"},
                    "dec": {"type": "typed-literal", "datatype": xsd + "decimal", "value": "1.50"},
                    "int": {"type": "typed-literal", "datatype": xsd + "integer", "value": "42"},
                    "bool": {"type": "typed-literal", "datatype": xsd + "boolean", "value": "1"},
                    "day": {"type": "typed-literal", "datatype": xsd + "date", "value": "2022-06-06"},
                    "zh": {"type": "literal", "xml:lang": "zh", "value": "人工智能"},
                    "year": {"type": "typed-literal", "datatype": xsd + "gYear", "value": "2024"},
                    "blank": {"type": "bnode", "value": "nodeID://b10000"},
                }
            ]
        },
    }
    server = FakeServer(lambda r: httpx.Response(200, json=doc))
    (row,) = server.store().query(SELECT).rows
    assert row[:7] == (
        URIRef("https://w3id.org/sz20plus8/version/2.0"),
        Decimal("1.5"),
        42,
        True,
        date(2022, 6, 6),
        "人工智能",
        "2024",
    )
    assert [type(v) for v in row[1:5]] == [Decimal, int, bool, date]
    assert isinstance(row[7], BNode) and row[8] is None


# -- credentials ----------------------------------------------------------------------------------------


def digest_server(user: str, password: str, realm: str = "SPARQL") -> FakeServer:
    """A fake server that wants HTTP Digest (qop=auth, as Virtuoso) and checks the answer."""
    nonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093"

    def md5(text: str) -> str:
        return hashlib.md5(text.encode()).hexdigest()  # noqa: S324 - what HTTP Digest uses

    def handler(request: httpx.Request) -> httpx.Response:
        header = request.headers.get("authorization", "")
        if not header.startswith("Digest "):
            return httpx.Response(
                401,
                headers={"www-authenticate": f'Digest realm="{realm}", nonce="{nonce}", qop="auth", algorithm="MD5"'},
            )
        fields = dict(re.findall(r'(\w+)="?([^",]*)"?', header[7:]))
        ha1 = md5(f"{user}:{realm}:{password}")
        ha2 = md5(f"{request.method}:{fields['uri']}")
        expected = md5(f"{ha1}:{nonce}:{fields['nc']}:{fields['cnonce']}:auth:{ha2}")
        if fields.get("username") != user or fields.get("response") != expected:
            return httpx.Response(401, text="wrong credentials")
        return httpx.Response(200, json=EMPTY_RESULTS)

    return FakeServer(handler)


def test_digest_auth_when_the_server_asks_for_it() -> None:
    server = digest_server("kg", "s3cret")
    store = server.store(user="kg", password="s3cret")
    store.query(SELECT)
    first, second = server.requests
    assert "authorization" not in first.headers  # nothing is sent before the challenge
    assert second.headers["authorization"].startswith("Digest ") and "s3cret" not in second.headers["authorization"]
    store.query(SELECT)  # the challenge is remembered: one request
    assert len(server.requests) == 3 and server.requests[2].headers["authorization"].startswith("Digest ")


def test_basic_auth_when_the_server_asks_for_it() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.headers.get("authorization") == httpx.BasicAuth("kg", "pw")._auth_header:
            return httpx.Response(200, json=EMPTY_RESULTS)
        return httpx.Response(401, headers={"www-authenticate": 'Basic realm="sparql"'})

    server = FakeServer(handler)
    store = server.store(user="kg", password="pw")
    store.query(SELECT)
    store.query(SELECT)
    assert ["authorization" in r.headers for r in server.requests] == [False, True, True]


def test_credentials_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KGTOOL_ENDPOINT_USER", "kg")
    monkeypatch.setenv("KGTOOL_ENDPOINT_PASSWORD", "from-env")
    server = digest_server("kg", "from-env")
    server.store().query(SELECT)
    assert len(server.requests) == 2


def test_no_credentials_are_sent_to_a_server_that_does_not_ask() -> None:
    server = FakeServer()
    server.store(user="kg", password="pw").query(SELECT)
    assert all("authorization" not in r.headers for r in server.requests)


def test_wrong_credentials_are_a_store_error_that_never_shows_the_password() -> None:
    server = digest_server("kg", "right")
    store = server.store(user="kg", password="wrong-password")
    with pytest.raises(StoreError, match="HTTP 401") as caught:
        store.query(SELECT)
    assert "wrong-password" not in str(caught.value) and "wrong-password" not in repr(store)
    assert exit_code_for(caught.value) == EXIT_BAD_INPUT


# -- errors ---------------------------------------------------------------------------------------------


def test_a_syntax_error_is_a_query_error_with_the_servers_message() -> None:
    message = "Virtuoso 37000 Error SP030: SPARQL compiler, line 1: syntax error at '}' before '}'"
    server = FakeServer(lambda r: httpx.Response(400, text=message, headers={"content-type": "text/plain"}))
    with pytest.raises(QueryError, match="SP030") as caught:
        server.store().query(SELECT)
    assert "HTTP 400" in str(caught.value) and exit_code_for(caught.value) == EXIT_BAD_INPUT


def test_a_server_error_is_a_store_error_with_the_message_as_text_and_truncated() -> None:
    html = "<html><head><style>p{}</style></head><body><h1>Error</h1><p>" + "boom " * 500 + "</p></body></html>"
    server = FakeServer(lambda r: httpx.Response(500, text=html, headers={"content-type": "text/html"}))
    with pytest.raises(StoreError) as caught:
        server.store().query(SELECT)
    text = str(caught.value)
    assert "HTTP 500: Error boom boom" in text and "<" not in text.split("sparql", 1)[1]
    assert len(text) < 600 and text.endswith("...")


def test_an_answer_that_is_not_sparql_json_is_a_store_error() -> None:
    server = FakeServer(
        lambda r: httpx.Response(200, text="<html>login page</html>", headers={"content-type": "text/html"})
    )
    with pytest.raises(StoreError, match="did not answer with SPARQL JSON results"):
        server.store().query(SELECT)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_refused_connection_is_a_store_error() -> None:
    store = EndpointStore(f"http://kg:secret@127.0.0.1:{free_port()}/sparql", timeout=5)
    with pytest.raises(StoreError, match="cannot connect to http://127.0.0.1:") as caught:
        store.query(SELECT)
    assert "secret" not in str(caught.value)


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A server on 127.0.0.1 that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join(5)
    for conn in accepted:
        conn.close()
    listener.close()


def test_a_server_that_does_not_answer_in_time_is_a_store_error(silent_server: int) -> None:
    store = EndpointStore(f"http://127.0.0.1:{silent_server}/sparql", timeout=0.5)
    with pytest.raises(StoreError, match=r"did not answer within 0.5 s"):
        store.query(SELECT)


def test_options_that_are_not_urls_or_iris_are_usage_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KGTOOL_ENDPOINT", raising=False)
    with pytest.raises(UsageError, match="--endpoint"):
        EndpointStore()
    with pytest.raises(UsageError, match="http"):
        EndpointStore("ftp://127.0.0.1/sparql")
    with pytest.raises(UsageError, match="graph IRI"):
        EndpointStore("http://127.0.0.1/sparql", graphs=["not an iri"])


def test_the_store_is_registered_as_sparql_and_opened_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert store_class("sparql") is EndpointStore
    monkeypatch.setenv("KGTOOL_STORE", "sparql")
    monkeypatch.setenv("KGTOOL_ENDPOINT", "http://127.0.0.1:9/query")
    monkeypatch.setenv("KGTOOL_STORE_ENDPOINT", "http://127.0.0.1:9/store")
    with kgtool.open() as kg:
        assert isinstance(kg.store, EndpointStore)
        assert (kg.store.endpoint, kg.store.store_endpoint) == ("http://127.0.0.1:9/query", "http://127.0.0.1:9/store")


# -- writes ---------------------------------------------------------------------------------------------


def small_graph() -> Graph:
    graph = Graph()
    s, p = URIRef("urn:s"), URIRef("urn:p")
    node, inner = BNode(), BNode()
    graph.add((s, p, node))
    graph.add((node, p, inner))
    graph.add((inner, p, Literal('quote " and \\u and\nnewline', lang="en-US")))
    for i in range(5):
        graph.add((s, URIRef(f"urn:p{i}"), Literal(f"{i}.50", datatype=XSD.decimal)))
    return graph


def test_replace_puts_each_graph_with_the_graph_store_protocol() -> None:
    server = FakeServer(lambda r: httpx.Response(201))
    graph = small_graph()
    server.store(store_endpoint="http://127.0.0.1:9/store").replace(
        {URIRef("urn:g1"): graph, URIRef("urn:g2"): Graph()}
    )
    put1, put2 = server.requests
    assert (put1.method, put1.url.params["graph"], put1.headers["content-type"]) == (
        "PUT",
        "urn:g1",
        "application/n-triples",
    )
    assert isomorphic(Graph().parse(data=put1.content.decode(), format="nt"), graph)
    assert (put2.method, put2.url.params["graph"], put2.content) == ("PUT", "urn:g2", b"")  # an empty graph empties


def test_replace_through_sparql_update_drops_then_inserts_in_chunks() -> None:
    server = FakeServer(lambda r: httpx.Response(204))
    graph = small_graph()
    server.store(update_endpoint="http://127.0.0.1:9/update", chunk_size=2).replace({URIRef("urn:g"): graph})
    updates = [parse_qs(r.content.decode())["update"][0] for r in server.requests]
    assert updates[0].startswith("DROP SILENT GRAPH <urn:g> ;\n")
    # the three triples linked by blank nodes travel together, in a template (Virtuoso refuses them in INSERT DATA)
    assert sum("_:" in u for u in updates) == 1
    linked = next(u for u in updates if "_:" in u)
    assert "INSERT { GRAPH <urn:g>" in linked and "WHERE {}" in linked and linked.count(" .\n") + 1 >= 3
    assert all("INSERT DATA" in u for u in updates if "_:" not in u)
    sent = Graph()
    for update in updates:
        body = re.search(r"GRAPH <urn:g> \{\n(.*)\n\}", update, re.S)[1]
        sent.parse(data=body, format="nt")
    assert isomorphic(sent, graph)


def test_replace_refuses_virtuosos_system_graph_and_needs_a_url() -> None:
    server = FakeServer()
    with pytest.raises(StoreError, match="system graph"):
        server.store(store_endpoint="http://127.0.0.1:9/store").replace(
            {URIRef("http://www.openlinksw.com/schemas/virtrdf#"): small_graph()}
        )
    with pytest.raises(StoreError, match="--store-endpoint"):
        server.store().replace({URIRef("urn:g"): small_graph()})
    with pytest.raises(QueryError, match="--update-endpoint"):
        server.store().update("CLEAR ALL")
    assert server.requests == []


def test_chunks_keep_blank_nodes_together() -> None:
    graph = small_graph()
    chunks = chunk_triples(graph, 1)
    assert sorted(len(c) for c in chunks) == [1, 1, 1, 1, 1, 3]
    assert sum(len(c) for c in chunks) == len(graph)


def test_terms_are_written_for_n_triples_and_sparql_alike() -> None:
    labels: dict[object, str] = {}
    assert ntriples_term(BNode("weird id!"), labels) == "_:b0" == ntriples_term(BNode("weird id!"), labels)
    assert ntriples_term(Literal("x", datatype=XSD.decimal)) == '"x"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    tricky = Literal('a\\u0041 "quoted"\n', lang="zh")
    line = f"<urn:s> <urn:p> {ntriples_term(tricky)} ."
    assert Graph().parse(data=line, format="nt").value(URIRef("urn:s"), URIRef("urn:p")) == tricky


# -- on real servers (.ci/servers.sh) -------------------------------------------------------------------


@pytest.fixture(scope="module", params=SERVER_PARAMS)
def server(request: pytest.FixtureRequest) -> Iterator[tuple[str, EndpointStore]]:
    """A real server holding the project's graphs (loaded afresh), as an endpoint store."""
    store = EndpointStore(timeout=120, **server_options(request.param))
    store.replace(source_graphs())
    yield request.param, store
    store.close()


def test_the_projects_graphs_are_loaded_counted_and_read_back(server: tuple[str, EndpointStore]) -> None:
    _, store = server
    graphs = source_graphs()
    assert store.graph_sizes() == {str(name): len(graph) for name, graph in graphs.items()}
    assert len(store) == sum(len(g) for g in graphs.values())
    dataset = store.dataset()
    for name, graph in graphs.items():
        back = dataset.graph(name)
        assert len(back) == len(graph)
        # decimals come back canonical (1.50 -> 1.5): compare values, not lexical forms
        assert {
            (s, p, o.toPython() if isinstance(o, Literal) else o)
            for s, p, o in back
            if not isinstance(s, BNode) and not isinstance(o, BNode)
        } == {
            (s, p, o.toPython() if isinstance(o, Literal) else o)
            for s, p, o in graph
            if not isinstance(s, BNode) and not isinstance(o, BNode)
        }


def test_queries_see_the_projects_graphs_and_nothing_else(server: tuple[str, EndpointStore]) -> None:
    _, store = server
    # Virtuoso's system graphs and Oxigraph's empty default graph are both out of sight
    count = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0]
    assert count == len(store)
    graphs = {row[0] for row in store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")}
    assert graphs == {URIRef(ONTOLOGY), URIRef(DATA)}


def test_replace_writes_one_graph_and_leaves_the_others(server: tuple[str, EndpointStore]) -> None:
    name, store = server
    before = store.graph_sizes()
    options = server_options(name)
    gsp = {key: value for key, value in options.items() if key != "update_endpoint"}
    update = {key: value for key, value in options.items() if key != "store_endpoint"}
    for writer_options in (gsp, update):  # Graph Store Protocol, then SPARQL Update
        with EndpointStore(timeout=60, graphs=[TEST_GRAPH], **writer_options) as writer:
            writer.replace({URIRef(TEST_GRAPH): small_graph()})
            writer.replace({URIRef(TEST_GRAPH): small_graph()})  # replaced, not added to
            assert writer.graph_sizes() == {TEST_GRAPH: len(small_graph())}
            writer.replace({URIRef(TEST_GRAPH): Graph()})
            assert writer.graph_sizes() == {TEST_GRAPH: 0}
    assert store.graph_sizes() == before


def test_an_export_from_the_server_is_byte_identical_to_a_local_one(
    server: tuple[str, EndpointStore], kg_memory: kgtool.KnowledgeGraph
) -> None:
    _, store = server
    assert kgtool.KnowledgeGraph(store).export("nq") == kg_memory.export("nq")


def test_a_syntax_error_is_refused_before_it_is_sent(server: tuple[str, EndpointStore]) -> None:
    # kgtool parses every query it is given (issue 8): a syntax error never reaches the server; the
    # server's own 400 message is passed on for what it alone refuses (test_a_syntax_error_is_a_query_error_...).
    _, store = server
    with pytest.raises(QueryError, match="SPARQL syntax error"):
        store.query("SELECT ?s WHERE { ?s ?p ?o FILTER(?o = ) }")


def test_wrong_credentials_are_refused(server: tuple[str, EndpointStore]) -> None:
    name, _ = server
    options = server_options(name)
    if "user" not in options:
        pytest.skip(f"{name} asks for no credentials")
    options["password"] = "not-the-password"
    with (
        EndpointStore(timeout=30, graphs=[TEST_GRAPH], **options) as store,
        pytest.raises(StoreError, match="HTTP 401") as caught,
    ):
        store.replace({URIRef(TEST_GRAPH): small_graph()})
    assert "not-the-password" not in str(caught.value)


def test_the_cli_queries_an_endpoint(server: tuple[str, EndpointStore], capsys: pytest.CaptureFixture[str]) -> None:
    _, store = server
    assert main(["query", "counts", "--endpoint", store.endpoint, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {(r["version"], r["tier"]): r["clusters"] for r in rows}[("2.0", "sei")] == 20
    assert main(["stats", "--endpoint", store.endpoint]) == 0
    assert f"triples       {len(store)}" in capsys.readouterr().out


def test_the_cli_refuses_graph_without_an_endpoint(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "counts", "--graph", "urn:g", "--store", "memory"]) == EXIT_BAD_INPUT
    assert "--endpoint" in capsys.readouterr().err
