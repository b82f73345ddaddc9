"""Every request is bounded (issue 19): deep query trees refused at once on the API, the CLI and the
server; a time limit on API and CLI queries that really stops them; exponential regexes; untrusted RDF
checked before a parser sees it; API misuse as KgErrors naming the argument; invalid UTF-8 is 400."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from server_fixtures import running_server  # noqa: E402

import kgtool  # noqa: E402
from kgtool.cli import main  # noqa: E402
from kgtool.errors import DataError, KgError, QueryError, UsageError  # noqa: E402
from kgtool.graph import KnowledgeGraph  # noqa: E402
from kgtool.server import ServerConfig  # noqa: E402

DEEP = {
    "path": "ASK { ?s <urn:p>" + "/<urn:p>" * 2000 + " ?o }",
    "optional": "ASK { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o } " * 2000 + "}",
    "sum": "ASK { FILTER(" + " + ".join(["1"] * 50_000) + ") }",
}
#: A query that runs for minutes on the real graph: every triple three times over.
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def server_url(built_home: Path) -> Iterator[str]:
    with running_server(ServerConfig(home=built_home, allow_update=True, token="t0ken", workers=1)) as url:
        yield url


# -- deep trees: refused in well under a second everywhere ------------------------------------------------


@pytest.mark.parametrize("name", sorted(DEEP))
def test_the_api_refuses_deep_trees_at_once(kg: KnowledgeGraph, kg_memory: KnowledgeGraph, name: str) -> None:
    for graph in (kg, kg_memory):
        started = time.perf_counter()
        with pytest.raises(QueryError, match="too large"):
            graph.sparql(DEEP[name])
        assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize("name", sorted(DEEP))
def test_the_cli_exits_2_on_deep_trees_at_once(
    built_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    path = tmp_path / "deep.rq"
    path.write_text(DEEP[name], encoding="utf-8")
    started = time.perf_counter()
    assert main(["sparql", str(path), "--home", str(built_home)]) == 2
    assert time.perf_counter() - started < 1.0
    assert "too large" in capsys.readouterr().err


def test_kgtool_sparql_on_stdin_refuses_a_deep_tree(built_home: Path) -> None:
    """The issue's case: ``kgtool sparql -`` had not finished after 120 s."""
    done = subprocess.run(
        [sys.executable, "-m", "kgtool.cli", "sparql", "-", "--home", str(built_home)],
        input=DEEP["path"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "a property path has more than 32 steps" in done.stderr


@pytest.mark.parametrize("name", sorted(DEEP))
def test_the_server_answers_400_to_deep_trees_at_once(server_url: str, name: str) -> None:
    with httpx.Client(base_url=server_url, timeout=30) as client:
        started = time.perf_counter()
        response = client.post(
            "/sparql", content=DEEP[name].encode(), headers={"Content-Type": "application/sparql-query"}
        )
        assert response.status_code == 400 and "too large" in response.text
        assert time.perf_counter() - started < 1.0


# -- the time limit ---------------------------------------------------------------------------------------


def test_an_api_query_is_stopped_at_its_time_limit(kg: KnowledgeGraph) -> None:
    started = time.perf_counter()
    with pytest.raises(QueryError, match="cancelled after the time limit of 2 s"):
        kg.sparql(ENDLESS, timeout=2)
    assert time.perf_counter() - started < 10
    assert kg.sparql("ASK { ?s ?p ?o }").boolean is True  # a new worker answers the next one


def test_the_default_time_limit_comes_from_the_environment(kg: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KGTOOL_QUERY_TIMEOUT", "1.5")
    with pytest.raises(QueryError, match="time limit of 1.5 s"):
        kg.sparql(ENDLESS)
    monkeypatch.setenv("KGTOOL_QUERY_TIMEOUT", "soon")
    with pytest.raises(UsageError, match="KGTOOL_QUERY_TIMEOUT must be a number of seconds"):
        kg.sparql("ASK {}")


def test_the_cli_stops_a_query_at_its_timeout(built_home: Path, tmp_path: Path) -> None:
    path = tmp_path / "endless.rq"
    path.write_text(ENDLESS, encoding="utf-8")
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "kgtool.cli", "sparql", str(path), "--home", str(built_home), "--timeout", "2"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "time limit of 2 s" in done.stderr
    assert time.perf_counter() - started < 20


def test_time_limited_answers_are_those_of_the_store(kg: KnowledgeGraph, kg_memory: KnowledgeGraph) -> None:
    query = """PREFIX sz: <https://w3id.org/sz20plus8/def#>
        SELECT ?v (COUNT(?m) AS ?n) WHERE { ?m a sz:Membership ; sz:version/sz:versionNumber ?v } GROUP BY ?v ORDER BY ?v"""
    for graph in (kg, kg_memory):
        assert graph.sparql(query).rows == graph.sparql(query, timeout=None).rows
        assert graph.sparql(query).rows[0][0] == "1.0"
    construct = "CONSTRUCT { ?s a ?t } WHERE { ?s a ?t } LIMIT 5"
    assert len(kg.sparql(construct).graph or ()) == 5


# -- regular expressions ----------------------------------------------------------------------------------


def test_an_exponential_regex_is_refused_on_every_store(kg: KnowledgeGraph, kg_memory: KnowledgeGraph) -> None:
    query = 'ASK { BIND("aaaaaaaaaaaaaaaaaaaaaaaaaa!" AS ?s) FILTER(REGEX(?s, "^(a+)+$")) }'
    for graph in (kg, kg_memory):
        started = time.perf_counter()
        with pytest.raises(QueryError, match="exponential time"):
            graph.sparql(query)
        assert time.perf_counter() - started < 1.0


def test_a_regex_from_a_variable_answers_within_the_time_limit(kg_memory: KnowledgeGraph) -> None:
    """A pattern the check cannot see (bound at run time) is still bounded by the time limit."""
    query = 'ASK { BIND("^(a+)+$" AS ?p) BIND("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!" AS ?s) FILTER(REGEX(?s, ?p)) }'
    started = time.perf_counter()
    try:
        assert kg_memory.sparql(query, timeout=5).boolean is False
    except QueryError as error:
        assert "time limit" in str(error)
    assert time.perf_counter() - started < 15


# -- untrusted RDF ----------------------------------------------------------------------------------------


def test_deep_json_ld_is_a_data_error() -> None:
    from kgtool.export import read_jsonld

    for document in ("[" * 3000 + "]" * 3000, '{"@id": "urn:a", "urn:p": ' * 5000 + "1" + "}" * 5000):
        with pytest.raises(DataError, match="nested more than 100 levels deep"):
            read_jsonld(document)


def test_the_server_refuses_a_json_ld_bomb_before_parsing(server_url: str) -> None:
    bomb = ('{"@id": "urn:a", "urn:p": ' * 5000 + '"x"' + "}" * 5000).encode()
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">&b;</rdf:RDF>'
    )
    with httpx.Client(base_url=server_url, timeout=30, headers={"Authorization": "Bearer t0ken"}) as client:
        before = client.get("/health/details").json()
        for body, media, cause in (
            (bomb, "application/ld+json", "nested more than 100 levels deep"),
            (laughs, "application/rdf+xml", "refers to other entities"),
        ):
            response = client.put(
                "/store", params={"graph": "http://example.org/g"}, content=body, headers={"Content-Type": media}
            )
            assert response.status_code == 400 and cause in response.text, response.text
        assert client.get("/health/details").json() == before  # no worker was lost
        assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200


# -- API misuse -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda kg: kg.sparql(None), "text"),
        (lambda kg: kg.sparql(b"ASK {}"), "text"),
        (lambda kg: kg.sparql("ASK {}", timeout="1"), "timeout"),
        (lambda kg: kg.sparql("ASK {}", timeout=-1), "timeout"),
        (lambda kg: kg.query(123), "name"),
        (lambda kg: kg.export(None), "format"),
        (lambda kg: kg.validate(engine=1), "engine"),
        (lambda kg: kg.resolve_cluster(None), "value"),
        (lambda kg: kg.store.query(42), "text"),
        (lambda kg: kgtool.open(home=123), "home"),
        (lambda kg: kgtool.open(store=1), "store"),
        (lambda kg: kgtool.open(paths=1.5), "paths"),
        (lambda kg: kgtool.open(extra="data.ttl"), "extra"),
        (lambda kg: kgtool.open(extra=[1]), "each of extra"),
        (lambda kg: kgtool.open(options=[("endpoint", "x")]), "options"),
        (lambda kg: kgtool.build(home=123), "home"),
        (lambda kg: kgtool.build(wait="1"), "wait"),
        (lambda kg: kgtool.build(validate="yes"), "validate"),
        (lambda kg: KnowledgeGraph("store"), "store"),  # type: ignore[arg-type]
    ],
)
def test_api_misuse_is_a_kgerror_naming_the_argument(kg: KnowledgeGraph, call, argument: str) -> None:  # noqa: ANN001
    with pytest.raises(KgError, match=f"^{argument} must be"):
        call(kg)


# -- the protocol -----------------------------------------------------------------------------------------


def test_invalid_utf8_anywhere_in_a_query_is_400(server_url: str) -> None:
    with httpx.Client(base_url=server_url, timeout=30) as client:
        assert client.get("/sparql?query=ASK%7B%3Fs%20%3Fp%20%22%FF%22%7D").status_code == 400
        assert client.get("/sparql?query=ASK%7B%3Fs%20%3Fp%20%22%C3%A9%22%7D").status_code == 200
        form = client.post(
            "/sparql",
            content=b"query=ASK%7B%22%FF%22%7D",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert form.status_code == 400 and "not UTF-8" in form.text
        assert client.get("/queries/clusters?version=%FF").status_code == 400


def test_an_idle_query_worker_is_stopped(built_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    import kgtool.timelimit

    def workers() -> list[str]:
        found = []
        for entry in Path("/proc").iterdir():
            try:
                stat, cmdline = (entry / "stat").read_text(), (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == os.getpid() and b"kgtool.engine.main" in cmdline:
                found.append(entry.name)
        return found

    monkeypatch.setattr(kgtool.timelimit, "IDLE_SECONDS", 0.5)
    with kgtool.open(home=built_home) as graph:
        before = set(workers())
        assert graph.sparql("ASK { ?s ?p ?o }").boolean is True
        assert set(workers()) - before  # the query ran in a worker
        deadline = time.monotonic() + 10
        while set(workers()) - before and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not set(workers()) - before
        assert graph.sparql("ASK { ?s ?p ?o }").boolean is True  # the next query starts another
