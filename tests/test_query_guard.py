"""No query can make kgtool open a network connection (issue 8, part 1), and over-deep queries are refused.

Hypothesis writes queries and updates that hide ``SERVICE`` or ``LOAD`` among strings with either
quote, long strings, IRIs holding quotes, comments, ``\\uXXXX`` escapes, nesting and subqueries, all
aimed at a listener on 127.0.0.1. The listener must receive no connection, whether the query goes
through the Python API on each embedded store, the CLI or the HTTP server. Each of the two lines of
defence is tested with the other one disabled, and with both disabled the same query does connect
(so these tests can fail).
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))
from server_fixtures import running_server  # noqa: E402

import kgtool.sparql  # noqa: E402
import kgtool.stores.memory  # noqa: E402
import kgtool.stores.oxigraph  # noqa: E402
from kgtool.cli import main  # noqa: E402
from kgtool.errors import QueryError, StoreError  # noqa: E402
from kgtool.sandbox import sandbox_available  # noqa: E402
from kgtool.server import ServerConfig  # noqa: E402
from kgtool.sparql import MAX_NESTING, check_query, inspect_query  # noqa: E402
from kgtool.stores.endpoint import EndpointStore  # noqa: E402
from kgtool.stores.memory import MemoryStore  # noqa: E402
from kgtool.stores.oxigraph import OxigraphStore  # noqa: E402

FEW = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
SOME = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)

needs_sandbox = pytest.mark.skipif(not sandbox_available(), reason="seccomp is not available on this machine")


# -- a listener on 127.0.0.1 that counts the connections it gets -----------------------------------------


class Listener:
    """A TCP listener on 127.0.0.1 that accepts connections, answers each with an empty SPARQL result
    (so an engine that does connect gets an answer and does not hang) and counts them."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.connections = 0
        self._stop = False
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        body = json.dumps({"head": {"vars": ["s"]}, "results": {"bindings": []}}).encode()
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            if self._stop:
                conn.close()
                return
            self.connections += 1
            try:
                conn.settimeout(2)
                conn.recv(65536)
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                    b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body
                )
            except OSError:
                pass
            finally:
                conn.close()

    def close(self) -> None:
        self._stop = True
        with suppress(OSError):
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
        self.sock.close()
        self._thread.join(5)


@pytest.fixture(scope="module")
def _module_listener() -> Iterator[Listener]:
    target = Listener()
    yield target
    target.close()


@pytest.fixture
def listener(_module_listener: Listener) -> Listener:
    """The listener, its count set to zero for each test (a leak in one test does not fail the next)."""
    _module_listener.connections = 0
    return _module_listener


# -- strategies: SERVICE and LOAD in disguise ----------------------------------------------------------

_TRICKY = "<>\"'#{}()[] \t\\SERVICELOADservice:/.?&|^`;,"
_content = st.text(alphabet=st.sampled_from(_TRICKY) | st.characters(codec="utf-8", categories=("L", "N")), max_size=12)


def _string(content: str, quote: str) -> str:
    """A SPARQL string literal holding ``content`` with the quote style given."""
    escaped = content.replace("\\", "\\\\").replace(quote[0], "\\" + quote[0])
    if len(quote) == 1:
        escaped = escaped.replace("\n", "\\n").replace("\r", "\\r")
    return f"{quote}{escaped}{quote}"


strings = st.builds(_string, _content, st.sampled_from(['"', "'", '"""', "'''"]))
one_char_strings = st.builds(_string, st.sampled_from(list("<>'\"#{}")), st.sampled_from(['"', "'"]))
quoted_iris = st.sampled_from(
    ["<http://example.org/'>", "<http://example.org/a'b>", "<x:'>", "<http://example.org/#'>"]
)


@st.composite
def decoy(draw: st.DrawFn, n: int = 0) -> str:
    """A graph pattern element that looks like it could make a tokenizer lose track of strings."""
    s, c = draw(strings), draw(one_char_strings)
    v = f"?d{n}"
    return draw(
        st.sampled_from(
            [
                f"FILTER({v} <{c})",
                f"FILTER({v} < {c} || {v} > {s})",
                f"FILTER({v} <{c} && {v} >{c})",
                f"BIND({s} AS ?b{n})",
                f"{v} <http://example.org/p> {s} .",
                f"{v} {draw(quoted_iris)} {s} .",
                f"# {s.replace(chr(10), ' ').replace(chr(13), ' ')} SERVICE <http://127.0.0.1:9/> {{}}\n",
                f"OPTIONAL {{ {v} ?p{n} {s} }}",
                f"{{ SELECT {v} WHERE {{ {v} ?q{n} {c} }} }}",
                f"VALUES {v} {{ {s} {c} }}",
            ]
        )
    )


def _escape_letter(word: str, index: int) -> str:
    index %= len(word)
    return word[:index] + f"\\u{ord(word[index]):04X}" + word[index + 1 :]


@st.composite
def keyword(draw: st.DrawFn, word: str) -> str:
    """``word`` in any case, perhaps with a letter written as a \\u escape."""
    cased = "".join(draw(st.sampled_from([ch.lower(), ch.upper()])) for ch in word)
    if draw(st.booleans()):
        cased = _escape_letter(cased, draw(st.integers(0, 10)))
    return cased


@st.composite
def service_queries(draw: st.DrawFn, url: str) -> str:
    """A query that calls ``url`` with SERVICE, disguised."""
    kw = draw(keyword("SERVICE"))
    silent = draw(st.sampled_from(["", "SILENT ", "silent "]))
    gap = draw(st.sampled_from([" ", "\n", " # a comment\n", "\t"]))
    target, prologue, tail = draw(
        st.sampled_from(
            [
                (f"<{url}>", "", ""),
                ("e:", f"PREFIX e: <{url}>\n", ""),
                ("<>", f"BASE <{url}>\n", ""),
                ("?svc", "", f" VALUES ?svc {{ <{url}> }}"),
            ]
        )
    )
    clause = f"{kw}{gap}{silent}{target} {{ ?s ?p ?o }}{tail}"
    for _ in range(draw(st.integers(0, 3))):
        clause = draw(
            st.sampled_from(
                [
                    "{{ {} }}",
                    "OPTIONAL {{ {} }}",
                    "{{ SELECT * WHERE {{ {} }} }}",
                    "{{ ?x ?y ?z }} UNION {{ {} }}",
                    "MINUS {{ {} }}",
                    "FILTER EXISTS {{ {} }}",
                    "GRAPH ?g {{ {} }}",
                ]
            )
        ).format(clause)
    before = " ".join(draw(decoy(i)) for i in range(draw(st.integers(0, 3))))
    after = " ".join(draw(decoy(i + 10)) for i in range(draw(st.integers(0, 2))))
    form = draw(
        st.sampled_from(["SELECT * WHERE", "select * where", "ASK", "CONSTRUCT { ?s ?p ?o } WHERE", "SELECT ?s WHERE"])
    )
    return f"{prologue}{form} {{ {before} {clause} {after} }}"


@st.composite
def fetching_updates(draw: st.DrawFn, url: str) -> str:
    """An update that fetches ``url`` with LOAD or SERVICE, disguised."""
    s = draw(strings)
    load = draw(keyword("LOAD"))
    gap = draw(st.sampled_from([" ", "\n", " # c\n"]))
    op = draw(
        st.sampled_from(
            [
                f"{load}{gap}<{url}>",
                f"{load}{gap}SILENT <{url}> INTO GRAPH <urn:kgtool:g>",
                f"PREFIX e: <{url}>\n{load}{gap}e:",
                f"INSERT {{ GRAPH <urn:kgtool:g> {{ ?s ?p ?o }} }} WHERE {{ {draw(keyword('SERVICE'))} <{url}> {{ ?s ?p ?o }} }}",
                f"DELETE {{ ?s ?p ?o }} WHERE {{ {draw(decoy())} SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
            ]
        )
    )
    decoy_op = f"INSERT DATA {{ <urn:kgtool:s> <urn:kgtool:p> {s} }}"
    return draw(st.sampled_from([op, f"{decoy_op} ;\n{op}", f"{op} ;\n{decoy_op}"]))


# -- running queries on each surface ----------------------------------------------------------------------


def _refused_by_api(store: object, text: str, **kwargs: object) -> bool:
    try:
        store.query(text, **kwargs)  # type: ignore[attr-defined]
    except QueryError:
        return True
    return False


@pytest.fixture(scope="module")
def oxigraph_store() -> Iterator[OxigraphStore]:
    store = OxigraphStore()
    store.native.update("INSERT DATA { <urn:kgtool:a> <urn:kgtool:b> <urn:kgtool:c> }")
    yield store


@pytest.fixture(scope="module")
def memory_store() -> MemoryStore:
    store = MemoryStore()
    store.dataset().update("INSERT DATA { GRAPH <urn:kgtool:g> { <urn:kgtool:a> <urn:kgtool:b> <urn:kgtool:c> } }")
    return store


@SOME
@given(data=st.data())
def test_api_oxigraph_refuses_disguised_service(
    data: st.DataObject, listener: Listener, oxigraph_store: OxigraphStore
) -> None:
    text = data.draw(service_queries(listener.url))
    assert _refused_by_api(oxigraph_store, text)
    assert listener.connections == 0, text


@FEW
@given(data=st.data())
def test_api_memory_refuses_disguised_service(
    data: st.DataObject, listener: Listener, memory_store: MemoryStore
) -> None:
    text = data.draw(service_queries(listener.url))
    assert _refused_by_api(memory_store, text)
    assert listener.connections == 0, text


@FEW
@given(data=st.data())
def test_api_updates_never_fetch_on_either_store(data: st.DataObject, listener: Listener) -> None:
    text = data.draw(fetching_updates(listener.url))
    for store in (OxigraphStore(), MemoryStore()):
        assert _refused_by_api(store, text, allow_update=True)
        with pytest.raises(QueryError):
            store.update(text)
    assert listener.connections == 0, text


def test_load_runs_only_when_the_operator_allows_it(monkeypatch: pytest.MonkeyPatch, listener: Listener) -> None:
    store = OxigraphStore()
    load = f"LOAD <{listener.url}>"
    with pytest.raises(QueryError, match="LOAD is not allowed.*KGTOOL_ALLOW_LOAD"):
        store.update(load)
    assert listener.connections == 0
    monkeypatch.setenv("KGTOOL_ALLOW_LOAD", "1")
    before = listener.connections
    with pytest.raises(QueryError):  # the listener's answer is no RDF, but the operator let it be fetched
        store.update(load)
    assert listener.connections == before + 1


# -- each line with the other one disabled ----------------------------------------------------------------


def _no_parsed_check(text: str, *, allow_update: bool = False, allow_load: bool = False, **_: object):  # noqa: ANN202
    return inspect_query(text)


@pytest.fixture
def without_parsed_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("kgtool.stores.base.check_query", _no_parsed_check)


@pytest.fixture
def without_sandbox(monkeypatch: pytest.MonkeyPatch) -> None:
    def direct(fn):  # noqa: ANN001, ANN202
        return fn()

    monkeypatch.setattr(kgtool.stores.oxigraph, "run_without_network", direct)
    monkeypatch.setattr(kgtool.stores.memory, "run_without_network", direct)


@needs_sandbox
@FEW
@given(data=st.data())
def test_sandbox_alone_stops_service_on_oxigraph(
    data: st.DataObject, listener: Listener, oxigraph_store: OxigraphStore, without_parsed_check: None
) -> None:
    text = data.draw(service_queries(listener.url))
    _refused_by_api(oxigraph_store, text)  # answered or refused: either way nothing is fetched
    assert listener.connections == 0, text


@needs_sandbox
def test_sandbox_alone_stops_load_and_service_updates(listener: Listener, without_parsed_check: None) -> None:
    for store in (OxigraphStore(), MemoryStore()):
        for text in (
            f"LOAD <{listener.url}>",
            f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}",
        ):
            with suppress(QueryError):  # Oxigraph reports the denied socket; rdflib's LOAD swallows it
                store.update(text)
    assert listener.connections == 0


@needs_sandbox
def test_sandbox_alone_stops_service_on_memory(
    monkeypatch: pytest.MonkeyPatch, listener: Listener, memory_store: MemoryStore, without_parsed_check: None
) -> None:
    monkeypatch.delitem(kgtool.stores.memory.rdflib_sparql.CUSTOM_EVALS, "kgtool-refuse-service")
    with pytest.raises(QueryError):
        memory_store.query(f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}")
    assert listener.connections == 0


def test_rdflib_service_handler_alone_stops_service(
    listener: Listener, memory_store: MemoryStore, without_parsed_check: None, without_sandbox: None
) -> None:
    with pytest.raises(QueryError, match="SERVICE is not allowed"):
        memory_store.query(f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}")
    assert listener.connections == 0


@FEW
@given(data=st.data())
def test_parsed_check_alone_stops_service(
    data: st.DataObject, listener: Listener, oxigraph_store: OxigraphStore, without_sandbox: None
) -> None:
    text = data.draw(service_queries(listener.url))
    assert _refused_by_api(oxigraph_store, text)
    assert listener.connections == 0, text


def test_with_both_lines_disabled_the_engine_does_connect(
    listener: Listener, oxigraph_store: OxigraphStore, without_parsed_check: None, without_sandbox: None
) -> None:
    """The guards are what keeps the listener silent: without them, Oxigraph calls it."""
    oxigraph_store.query(f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}")
    assert listener.connections == 1


def test_the_old_tokenizer_trick_is_caught() -> None:
    """The query of the issue: a ``<`` compared with a one-character string once hid SERVICE."""
    hidden = "SELECT * WHERE { FILTER(?x <'>') ?s ?p '<' . SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
    with pytest.raises(QueryError, match="SERVICE is not allowed"):
        check_query(hidden)
    with pytest.raises(QueryError, match="SERVICE is not allowed"):
        check_query("SELECT * WHERE { SERVIC\\u0045 <http://127.0.0.1:9/> { ?s ?p ?o } }")


def test_escapes_of_syntax_characters_are_refused() -> None:
    assert check_query('SELECT * WHERE { ?s ?p "caf\\u00E9 \\u0041" }').form == "SELECT"
    with pytest.raises(QueryError, match="escape"):
        check_query('SELECT * WHERE { ?s ?p "a\\u0022 }')


def test_text_rdflib_cannot_parse_is_refused() -> None:
    with pytest.raises(QueryError, match="syntax error"):
        check_query("SELECT * WHERE { ?s ?p ?o ")


# -- the CLI and the server ---------------------------------------------------------------------------------


@FEW
@given(data=st.data())
def test_cli_refuses_disguised_service(
    data: st.DataObject,
    listener: Listener,
    built_home: Path,
    tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = data.draw(st.one_of(service_queries(listener.url), fetching_updates(listener.url)))
    path = tmp_path_factory.mktemp("q") / "q.rq"
    path.write_text(text, encoding="utf-8")
    assert main(["sparql", str(path), "--home", str(built_home)]) == 2
    assert capsys.readouterr().err.startswith("kgtool: ")
    assert listener.connections == 0, text


@pytest.fixture(scope="module")
def server_url(built_home: Path) -> Iterator[str]:
    with running_server(ServerConfig(home=built_home, allow_update=True, token="t0ken", workers=1)) as url:
        yield url


@SOME
@given(data=st.data())
def test_server_refuses_disguised_service_and_load(data: st.DataObject, listener: Listener, server_url: str) -> None:
    query = data.draw(service_queries(listener.url))
    update = data.draw(fetching_updates(listener.url))
    with httpx.Client(base_url=server_url, timeout=30) as client:
        assert client.get("/sparql", params={"query": query}).status_code == 400
        assert (
            client.post(
                "/sparql", content=query.encode(), headers={"Content-Type": "application/sparql-query"}
            ).status_code
            == 400
        )
        response = client.post("/sparql", data={"update": update}, headers={"Authorization": "Bearer t0ken"})
        assert response.status_code == 400, response.text
    assert listener.connections == 0, (query, update)


# -- nesting ----------------------------------------------------------------------------------------------


def _nested(depth: int) -> str:
    return "SELECT * WHERE { FILTER(" + "(" * depth + "1" + ")" * depth + ") }"


def test_nesting_limit_refuses_before_any_engine(oxigraph_store: OxigraphStore, memory_store: MemoryStore) -> None:
    assert oxigraph_store.query(_nested(MAX_NESTING - 2)).kind == "select"
    assert memory_store.query(_nested(MAX_NESTING - 2)).kind == "select"
    for store in (oxigraph_store, memory_store):
        with pytest.raises(QueryError, match=f"more than {MAX_NESTING} levels deep"):
            store.query(_nested(5000))
    braces = "SELECT * WHERE " + "{" * 6000 + "}" * 6000
    with pytest.raises(QueryError, match="levels deep"):
        oxigraph_store.query(braces)


def test_cli_exits_2_on_a_5000_level_query(built_home: Path, tmp_path: Path) -> None:
    """pyoxigraph's parser overflows its stack on such a query (exit 139): it must never see it."""
    path = tmp_path / "deep.rq"
    path.write_text(_nested(5000), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "kgtool.cli", "sparql", str(path), "--home", str(built_home)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert "levels deep" in done.stderr


def test_server_answers_400_to_a_5000_level_query(server_url: str) -> None:
    with httpx.Client(base_url=server_url, timeout=30) as client:
        response = client.get("/sparql", params={"query": _nested(5000)})
        assert response.status_code == 400
        assert "levels deep" in response.text
        assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200  # the worker lives on


# -- the remote endpoint store connects only to its endpoint ----------------------------------------------


@contextmanager
def _endpoint_answering(status: int, headers: dict[str, str], body: bytes) -> Iterator[tuple[str, list[str]]]:
    import http.server

    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            seen.append(self.path)
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_GET  # noqa: N815

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/sparql", seen
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def endpoint() -> Iterator[tuple[str, list[str]]]:
    empty = json.dumps({"head": {"vars": []}, "results": {"bindings": []}}).encode()
    with _endpoint_answering(200, {"Content-Type": "application/sparql-results+json"}, empty) as answering:
        yield answering


@FEW
@given(data=st.data())
def test_endpoint_store_sends_nothing_for_disguised_service(
    data: st.DataObject, listener: Listener, endpoint: tuple[str, list[str]]
) -> None:
    url, seen = endpoint
    store = EndpointStore(url)
    text = data.draw(service_queries(listener.url))
    assert _refused_by_api(store, text)
    assert seen == []  # refused before anything is sent
    store.query("SELECT * WHERE { ?s ?p ?o }")
    assert len(seen) == 1  # a plain query goes to the configured endpoint, and only there
    seen.clear()
    store.close()
    assert listener.connections == 0


def test_endpoint_store_does_not_follow_redirects_elsewhere(listener: Listener) -> None:
    with _endpoint_answering(302, {"Location": listener.url}, b"") as (url, seen):
        store = EndpointStore(url)
        with pytest.raises(StoreError, match="302"):
            store.query("SELECT * WHERE { ?s ?p ?o }")
        store.close()
    assert len(seen) == 1
    assert listener.connections == 0


# -- invalid IRIs from clients: 400 or 404, never 500 -------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/cluster/a%3Eb", None, 404),
        ("/cluster/%00", None, 404),
        ("/source/a%22b", None, 404),
        ("/graph/x%3E", None, 404),
        ("/sparql", {"query": "ASK {}", "default-graph-uri": "not an iri"}, 400),
        ("/sparql", {"query": "ASK {}", "named-graph-uri": ""}, 400),
        ("/store", {"graph": ""}, 400),
        ("/store", {"graph": "not an iri"}, 400),
        ("/store", {"graph": "http://example.org/a>b"}, 400),
    ],
)
def test_invalid_iris_from_clients_get_4xx(server_url: str, path: str, params: dict | None, status: int) -> None:
    with httpx.Client(base_url=server_url, timeout=30) as client:
        response = client.get(path, params=params)
        assert response.status_code == status, response.text
        if status == 400:
            assert "is not an absolute IRI" in response.text


def test_invalid_graph_iri_in_a_write_is_400(server_url: str) -> None:
    with httpx.Client(base_url=server_url, timeout=30) as client:
        response = client.put(
            "/store",
            params={"graph": "not an iri"},
            content=b"<a:b> <a:c> <a:d> .",
            headers={"Authorization": "Bearer t0ken", "Content-Type": "application/n-triples"},
        )
        assert response.status_code == 400
        using = client.post(
            "/sparql",
            data={
                "update": "INSERT { ?s ?p ?o } WHERE { ?s ?p ?o }",
                "using-graph-uri": "x> } ; LOAD <http://127.0.0.1:9/",
            },
            headers={"Authorization": "Bearer t0ken"},
        )
        assert using.status_code == 400
