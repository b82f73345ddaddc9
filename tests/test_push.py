"""kgtool push: the graph into a shared store, in named graphs, replacing only its own copy, verified.

The library function on a fake server (what is sent, the report, a mismatch) and, when .ci/servers.sh
has started them, on Oxigraph server and Virtuoso through both the Graph Store Protocol and SPARQL
Update, with an unrelated graph that must survive; the CLI's text and JSON reports and exit codes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from ci_servers import SERVER_PARAMS, server_options
from rdflib import Graph, Literal, URIRef

from kgtool.build import source_graphs
from kgtool.cli import main
from kgtool.errors import EXIT_BAD_INPUT, StoreError
from kgtool.push import GraphCount, PushReport, load_graphs, push
from kgtool.stores.endpoint import PROJECT_GRAPHS, EndpointStore

ONTOLOGY, DATA = PROJECT_GRAPHS
UNRELATED = "urn:kgtool-test:someone-elses-graph"
OWN_GRAPH = "urn:kgtool-test:pushed-in-one-graph"


def tiny() -> dict[URIRef, Graph]:
    graphs = {}
    for name, count in ((URIRef(ONTOLOGY), 2), (URIRef(DATA), 3)):
        graph = Graph()
        for i in range(count):
            graph.add((URIRef(f"urn:{name.rsplit('/', 1)[1]}{i}"), URIRef("urn:p"), Literal(i)))
        graphs[name] = graph
    return graphs


class CountingServer:
    """A fake store: keeps what is PUT per graph and counts it back."""

    def __init__(self, drop: int = 0) -> None:
        self.graphs: dict[str, int] = {}
        self.drop = drop  # triples to lose, to fake a store that did not take everything

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        if request.method == "PUT":
            lines = [line for line in request.content.decode().splitlines() if line.strip()]
            self.graphs[request.url.params["graph"]] = max(0, len(lines) - self.drop)
            return httpx.Response(201)
        form = httpx.QueryParams(request.content.decode())
        bindings = [
            {
                "g": {"type": "uri", "value": g},
                "n": {"type": "literal", "value": str(n), "datatype": "http://www.w3.org/2001/XMLSchema#integer"},
            }
            for g, n in self.graphs.items()
            if g in form.get_list("named-graph-uri")
        ]
        return httpx.Response(200, json={"head": {"vars": ["g", "n"]}, "results": {"bindings": bindings}})


@pytest.fixture
def fake_store(monkeypatch: pytest.MonkeyPatch) -> CountingServer:
    server = CountingServer()
    original = EndpointStore.__init__

    def init(self: EndpointStore, *args: object, **kwargs: object) -> None:
        kwargs["transport"] = httpx.MockTransport(server)
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(EndpointStore, "__init__", init)
    return server


def test_push_puts_each_graph_and_reports_the_counts(fake_store: CountingServer) -> None:
    report = push("http://127.0.0.1:9/query", store_endpoint="http://127.0.0.1:9/store", graphs=tiny())
    assert isinstance(report, PushReport) and report.ok and report.triples == 5
    assert report.graphs == (GraphCount(ONTOLOGY, 2, 2), GraphCount(DATA, 3, 3))
    assert report.method == "graph-store-protocol" and report.written_to == "http://127.0.0.1:9/store"
    assert "verified" in report.text() and json.loads(report.to_json())["ok"] is True


def test_push_into_one_graph_of_the_users_choice(fake_store: CountingServer) -> None:
    report = push(
        "http://127.0.0.1:9/query", store_endpoint="http://127.0.0.1:9/store", graphs=tiny(), graph="urn:mine"
    )
    assert report.graphs == (GraphCount("urn:mine", 5, 5),)
    assert set(fake_store.graphs) == {"urn:mine"}


def test_a_store_that_holds_other_counts_is_an_error_with_the_report(fake_store: CountingServer) -> None:
    fake_store.drop = 1
    with pytest.raises(StoreError, match=r"does not hold what was pushed: <.*ontology> sent 2, found 1") as caught:
        push("http://127.0.0.1:9/query", store_endpoint="http://127.0.0.1:9/store", graphs=tiny())
    report = caught.value.report  # type: ignore[attr-defined]
    assert not report.ok and "MISMATCH" in report.text()


def test_push_needs_somewhere_to_write() -> None:
    with pytest.raises(StoreError, match="--store-endpoint"):
        push("http://127.0.0.1:9/query", graphs=tiny())


def test_the_graphs_come_from_the_built_store_or_the_sources(built_home: Path, tmp_path: Path) -> None:
    built, where = load_graphs(built_home)
    assert where.startswith("the built store") and list(built) == [URIRef(ONTOLOGY), URIRef(DATA)]
    compiled, where = load_graphs(tmp_path)  # nothing built there
    assert where.startswith("the sources")
    assert {name: len(g) for name, g in built.items()} == {name: len(g) for name, g in compiled.items()}
    _, where = load_graphs(built_home, from_sources=True)
    assert where.startswith("the sources")


# -- on the real servers --------------------------------------------------------------------------------


@pytest.fixture(params=SERVER_PARAMS)
def server(request: pytest.FixtureRequest) -> Iterator[dict[str, str]]:
    """The options of a real server, with an unrelated graph of someone else's put there first."""
    options = server_options(request.param)
    unrelated = Graph()
    unrelated.add((URIRef("urn:x"), URIRef("urn:y"), Literal("not ours")))
    with EndpointStore(graphs=[UNRELATED], timeout=60, **options) as store:
        store.replace({URIRef(UNRELATED): unrelated})
    yield options
    with EndpointStore(graphs=[UNRELATED, OWN_GRAPH], timeout=60, **options) as store:
        assert store.graph_sizes()[UNRELATED] == 1, "push touched a graph that is not its own"
        store.replace({URIRef(UNRELATED): Graph(), URIRef(OWN_GRAPH): Graph()})


@pytest.mark.parametrize("how", ["store_endpoint", "update_endpoint"])
def test_push_to_a_real_server(server: dict[str, str], built_home: Path, how: str) -> None:
    options = {key: value for key, value in server.items() if key in ("endpoint", "user", "password", how)}
    first = push(home=built_home, **options)
    again = push(home=built_home, **options)  # the previous copy is replaced, not added to
    expected = {str(name): len(graph) for name, graph in source_graphs().items()}
    for report in (first, again):
        assert report.ok and {c.graph: c.found for c in report.graphs} == expected
    assert again.method == ("graph-store-protocol" if how == "store_endpoint" else "sparql-update")


def test_push_into_one_graph_on_a_real_server(
    server: dict[str, str], built_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = push(home=built_home, graph=OWN_GRAPH, **server)
    assert report.graphs == (GraphCount(OWN_GRAPH, report.triples, report.triples),)
    with EndpointStore(graphs=[OWN_GRAPH], timeout=60, **server) as store:
        rows = store.query(
            "PREFIX sz: <https://w3id.org/sz20plus8/def#> SELECT (COUNT(*) AS ?n) WHERE { ?v a sz:PolicyVersion }"
        ).rows
    assert rows == [(3,)]
    # and the named queries run on that one graph
    assert main(["query", "versions", "--endpoint", server["endpoint"], "--graph", OWN_GRAPH, "--format", "json"]) == 0
    assert [row["version"] for row in json.loads(capsys.readouterr().out)][:1] == ["1.0"]


def test_the_cli_pushes_and_reports(
    server: dict[str, str], built_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["push", "--home", str(built_home)]
    for key, value in server.items():
        argv += [f"--{key.replace('_', '-')}", value]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "verified" in out and f"{DATA}" in out and server.get("password", "\0") not in out
    assert main([*argv, "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and [g["graph"] for g in report["graphs"]] == [ONTOLOGY, DATA]


def test_the_cli_fails_with_exit_code_2_on_http_errors(
    server: dict[str, str], built_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if "password" not in server:
        pytest.skip("this server asks for no credentials")
    argv = [
        "push",
        "--home",
        str(built_home),
        "--endpoint",
        server["endpoint"],
        "--store-endpoint",
        server["store_endpoint"],
        "--user",
        server["user"],
        "--password",
        "wrong",
    ]
    assert main(argv) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "HTTP 401" in err and "wrong" not in err.replace("--user/--password", "")


def test_the_cli_needs_a_write_url(capsys: pytest.CaptureFixture[str], built_home: Path) -> None:
    assert main(["push", "--endpoint", "http://127.0.0.1:9/query", "--home", str(built_home)]) == EXIT_BAD_INPUT
    assert "--store-endpoint" in capsys.readouterr().err
