"""The W3C SPARQL 1.1 Protocol test suite, run against ``kgtool serve``.

The manifest and its data files are read from ``../shared/w3c/sparql11-protocol/`` (never copied into
the project). For each test the runner loads the data files the test names (``ut:graphData``: each file
into the named graph its label gives) into a store served by a real uvicorn server on 127.0.0.1, maps the
manifest's ``/sparql/`` paths to the endpoint, sends the requests with httpx, and checks the expected
status class, result format and boolean.

The query and bad-query tests run against the read-only server. The update tests apply only where update
is enabled, so they run against a server started with update enabled and a token (the runner sends
``Authorization: Bearer``); against the read-only server their updates must be refused with 403.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, Dataset, Graph, Namespace, URIRef
from rdflib.collection import Collection

sys.path.insert(0, str(Path(__file__).parent))
from server_fixtures import running_server  # noqa: E402
from shared_files import SHARED, needs_shared  # noqa: E402

from kgtool.server import ServerConfig  # noqa: E402

SUITE = SHARED / "w3c" / "sparql11-protocol"
MANIFEST = SUITE / "manifest.ttl"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
TOKEN = "w3c-test-token"

RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
RDF_TYPES = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml"}

# Skipped only outside CI: in CI a missing suite must fail, not pass silently.
pytestmark = needs_shared(MANIFEST)


def _load_manifest() -> list[dict]:
    if not MANIFEST.is_file():
        return []
    g = Graph().parse(MANIFEST, format="turtle")
    manifest = next(g.subjects(RDF.type, MF.Manifest))
    tests = []
    for entry in Collection(g, g.value(manifest, MF.entries)):
        data = tuple(
            sorted(
                (str(g.value(d, RDFS.label)), Path(str(g.value(d, UT.graph)).removeprefix("file://")))
                for d in g.objects(entry, UT.graphData)
            )
        )
        requests = []
        for req in Collection(g, g.value(g.value(entry, MF.action), HT.requests)):
            body = g.value(req, HT.body)
            headers = g.value(req, HT.headers)
            resp = g.value(req, HT.resp)
            requests.append(
                {
                    "method": str(g.value(req, HT.methodName)),
                    "path": str(g.value(req, HT.absolutePath)),
                    "body": None
                    if body is None
                    else (str(g.value(body, CNT.chars)), str(g.value(body, CNT.characterEncoding) or "UTF-8")),
                    "headers": []
                    if headers is None
                    else [
                        (str(g.value(h, HT.fieldName)), str(g.value(h, HT.fieldValue))) for h in Collection(g, headers)
                    ],
                    "status": {str(s).removeprefix(HTS) for s in g.objects(resp, MF.expectedStatus)},
                    "format": None
                    if g.value(resp, MF.expectedFormat) is None
                    else str(g.value(resp, MF.expectedFormat)),
                    "boolean": None
                    if g.value(resp, MF.expectedBoolean) is None
                    else g.value(resp, MF.expectedBoolean).toPython(),
                }
            )
        name = str(entry).rsplit("#", 1)[1]
        tests.append({"name": name, "data": data, "requests": requests, "update": "update" in name})
    return tests


TESTS = _load_manifest()
QUERY_TESTS = [t for t in TESTS if not t["name"].startswith("update_")]
UPDATE_TESTS = [t for t in TESTS if t["name"].startswith("update_")]


def _dataset(data: tuple[tuple[str, Path], ...]) -> Dataset:
    dataset = Dataset()
    for label, path in data:
        dataset.graph(URIRef(label)).parse(path, format="nt")
    return dataset


@pytest.fixture(scope="module")
def servers() -> Iterator[dict]:
    """Read-only servers, one per set of data files a test loads (started on first use)."""
    started: dict = {}
    with ExitStack() as stack:

        def get(data: tuple) -> str:
            if data not in started:
                started[data] = stack.enter_context(running_server(ServerConfig(store=_dataset(data), workers=1)))
            return started[data]

        yield get


@pytest.fixture(scope="module")
def update_server() -> Iterator[str]:
    """A server with update enabled (token required), on an empty store."""
    with running_server(ServerConfig(store=Dataset(), workers=1, allow_update=True, token=TOKEN)) as url:
        yield url


def _send(client: httpx.Client, base: str, request: dict, token: str | None = None) -> httpx.Response:
    path = request["path"]
    assert path.startswith("/sparql/")
    url = base + "/sparql" + path[len("/sparql/") - 1 :].removeprefix("/")
    headers = dict(request["headers"])
    if token:
        headers["Authorization"] = f"Bearer {token}"
    content = None
    if request["body"] is not None:
        chars, encoding = request["body"]
        content = chars.encode(encoding)
    return client.request(request["method"], httpx.URL(url), headers=headers, content=content)


def _check(response: httpx.Response, request: dict) -> None:
    classes = {f"{response.status_code // 100}xx"}
    assert classes & request["status"], f"{response.status_code}: {response.text[:300]}"
    if response.status_code // 100 != 2 or request["format"] is None:
        return
    media_type = response.headers["content-type"].split(";")[0].strip()
    if request["format"] == "boolean":
        assert media_type in ("application/sparql-results+json", "application/sparql-results+xml")
        answer = ox.parse_query_results(response.content, RESULT_TYPES[media_type])
        assert isinstance(answer, ox.QueryBoolean)
        if request["boolean"] is not None:
            assert bool(answer) is request["boolean"]
    elif request["format"] == "tabular":
        assert media_type in RESULT_TYPES
        if media_type != "text/csv":
            assert isinstance(ox.parse_query_results(response.content, RESULT_TYPES[media_type]), ox.QuerySolutions)
    elif request["format"] == "RDF":
        assert media_type in RDF_TYPES
        Graph().parse(data=response.content, format=RDF_TYPES[media_type])
    else:  # pragma: no cover - the manifest uses only these three
        pytest.fail(f"unknown expected format {request['format']!r}")


def test_the_suite_is_complete() -> None:
    assert len(TESTS) == 34
    assert len(QUERY_TESTS) == 27 and len(UPDATE_TESTS) == 7


@pytest.mark.parametrize("test", QUERY_TESTS, ids=[t["name"] for t in QUERY_TESTS])
def test_query_and_bad_request(test: dict, servers) -> None:  # noqa: ANN001
    base = servers(test["data"])
    with httpx.Client(timeout=30) as client:
        for request in test["requests"]:
            _check(_send(client, base, request), request)


@pytest.mark.parametrize(
    "test", [t for t in QUERY_TESTS if t["update"]], ids=[t["name"] for t in QUERY_TESTS if t["update"]]
)
def test_bad_update_with_update_enabled(test: dict, update_server: str) -> None:
    with httpx.Client(timeout=30) as client:
        for request in test["requests"]:
            _check(_send(client, update_server, request, TOKEN), request)


@pytest.mark.parametrize("test", UPDATE_TESTS, ids=[t["name"] for t in UPDATE_TESTS])
def test_update_with_update_enabled(test: dict, update_server: str) -> None:
    with httpx.Client(timeout=30) as client:
        for request in test["requests"]:
            _check(_send(client, update_server, request, TOKEN), request)


@pytest.mark.parametrize("test", UPDATE_TESTS, ids=[t["name"] for t in UPDATE_TESTS])
def test_update_is_refused_when_read_only(test: dict, servers) -> None:  # noqa: ANN001
    base = servers(test["data"])
    with httpx.Client(timeout=30) as client:
        first = test["requests"][0]
        assert _send(client, base, first).status_code == 403
