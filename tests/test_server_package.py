"""The server as a package: its public import paths, its typed worker requests, and the application
mounted inside another ASGI application under a prefix (as rdflib-endpoint's router can be)."""

from __future__ import annotations

import typing
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route
from starlette.testclient import TestClient

from kgtool.engine.handlers import HANDLERS
from kgtool.namespaces import BASE
from kgtool.server import DEFAULTS, TOKEN_ENV, ServerConfig, create_app, serve
from kgtool.workers.requests import Operation

SD_ENDPOINT = URIRef("http://www.w3.org/ns/sparql-service-description#endpoint")
AI = "/cluster/artificial-intelligence"


def test_public_names() -> None:
    assert callable(create_app) and callable(serve)
    assert ServerConfig().timeout == DEFAULTS["timeout"] and TOKEN_ENV == "KGTOOL_SERVER_TOKEN"


def test_every_worker_request_has_one_handler() -> None:
    """Requests are dispatched by type: adding a request type without its handler fails here."""
    assert set(HANDLERS) == set(typing.get_args(Operation))


@pytest.fixture(scope="module")
def mounted(built_home: Path) -> Iterator[TestClient]:
    kg = create_app(ServerConfig(home=built_home, workers=1, timeout=20))

    async def own(request: object) -> PlainTextResponse:
        return PlainTextResponse("the enclosing application")

    site = Starlette(routes=[Route("/", own), Mount("/kg", app=kg)], lifespan=kg.router.lifespan_context)
    with TestClient(site) as client:
        yield client


def test_mounted_queries_and_resources(mounted: TestClient) -> None:
    assert mounted.get("/").text == "the enclosing application"
    answer = mounted.get("/kg/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": "application/json"})
    assert answer.status_code == 200 and answer.json()["boolean"] is True
    turtle = mounted.get("/kg" + AI, headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200
    assert (URIRef(BASE + AI[1:]), None, None) in Graph().parse(data=turtle.text, format="turtle")
    listing = {q["name"]: q["url"] for q in mounted.get("/kg/queries", headers={"Accept": "application/json"}).json()}
    assert listing["clusters"] == "/kg/queries/clusters"
    named = mounted.get(listing["clusters"], headers={"Accept": "text/csv"})
    assert named.status_code == 200 and "artificial-intelligence" in named.text


def test_mounted_links_and_errors_keep_the_prefix(mounted: TestClient) -> None:
    page = mounted.get("/kg" + AI, headers={"Accept": "text/html"}).text
    assert 'href="/kg/def' in page and 'href="/kg/sparql"' in page
    assert 'href="/def' not in page and 'href="/sparql"' not in page
    home = mounted.get("/kg/", headers={"Accept": "text/html"}).text
    assert 'href="/kg/download/sz20plus8.ttl"' in home
    void = mounted.get("/kg/.well-known/void", follow_redirects=False)
    assert void.status_code == 303 and void.headers["location"] == "/kg/dataset"
    description = Graph().parse(data=mounted.get("/kg/sparql", headers={"Accept": "text/turtle"}).text, format="turtle")
    assert set(description.objects(None, SD_ENDPOINT)) == {URIRef("http://testserver/kg/sparql")}
    missing = mounted.get("/kg/queries/no-such-query")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/plain")
    refused = mounted.post(
        "/kg/sparql",
        content=b"INSERT DATA { <x:a> <x:b> <x:c> }",
        headers={"Content-Type": "application/sparql-update"},
    )
    assert refused.status_code == 403 and "read-only" in refused.text


def test_mounted_without_its_lifespan_says_so(built_home: Path) -> None:
    kg = create_app(ServerConfig(home=built_home, workers=1))
    with TestClient(Starlette(routes=[Mount("/kg", app=kg)])) as client:
        answer = client.get("/kg/sparql", params={"query": "ASK {}"})
    assert answer.status_code == 503 and "lifespan" in answer.text


def test_serve_limits_options(monkeypatch: pytest.MonkeyPatch, built_home: Path) -> None:
    import kgtool.server as server
    from kgtool.cli import main

    seen: dict[str, ServerConfig] = {}
    monkeypatch.setattr(server, "serve", lambda config, host, port: seen.update(config=config))
    monkeypatch.setenv("KGTOOL_HOME", str(built_home))
    assert (
        main(
            [
                "serve",
                "--short-workers",
                "0",
                "--worker-memory",
                "256",
                "--cache-size",
                "8",
                "--max-connections",
                "100",
                "--max-per-client",
                "10",
                "--header-timeout",
                "3",
            ]
        )
        == 0
    )
    config = seen["config"]
    assert (config.short_workers, config.max_memory, config.cache_bytes) == (0, 256 << 20, 8 << 20)
    assert (config.max_connections, config.max_per_client, config.header_timeout) == (100, 10, 3.0)
    assert main(["serve", "--worker-memory", "1"]) == 2  # below 64 MiB: a clear refusal


def _write_query(path: Path, body: str) -> None:
    path.write_text(
        "#+ summary: A query of this test\n#+ column: n\n#+   type: string\n#+   doc: A number.\n\n" + body,
        encoding="utf-8",
    )


def test_worker_answers_named_queries_as_edited_while_it_runs(built_home: Path, tmp_path: Path) -> None:
    """A worker keeps the named queries it has read from request to request, yet a query edited, added or
    removed while it runs is answered as it now is (a developer edits queries/ with the server running)."""
    import os

    from kgtool.engine.handlers import Engine
    from kgtool.paths import store_path
    from kgtool.workers.requests import RunNamedQuery, StoreSource

    (tmp_path / "queries").mkdir()
    numbers = tmp_path / "queries" / "numbers.rq"
    _write_query(numbers, 'SELECT ?n WHERE { VALUES ?n { "1" } }\n')
    engine = Engine(StoreSource(path=str(store_path(built_home).resolve()), project_root=str(tmp_path)))

    def answer(name: str) -> tuple[int, str]:
        reply = engine.handle(RunNamedQuery(name, (), "text/csv"))
        return reply.status, reply.body.decode("utf-8").replace("\r\n", "\n")

    assert answer("numbers") == (200, "n\n1\n")
    assert answer("numbers") == (200, "n\n1\n")
    _write_query(numbers, 'SELECT ?n WHERE { VALUES ?n { "2" } }\n')  # the same size: its time tells
    stat = numbers.stat()
    os.utime(numbers, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert answer("numbers") == (200, "n\n2\n")
    _write_query(tmp_path / "queries" / "more.rq", 'SELECT ?n WHERE { VALUES ?n { "3" } }\n')
    assert answer("more") == (200, "n\n3\n")
    numbers.unlink()
    assert answer("numbers")[0] == 404
