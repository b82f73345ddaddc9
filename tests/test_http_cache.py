"""The caching and compression middleware on a small application of its own (the server's use of it is
tested in test_server_clients.py): validators, 304s, Cache-Control and gzip for any response."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email.utils import formatdate

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from kgtool.http_cache import BuildValidator, http_middleware

BUILT = time.time() - 3600


class _Client:
    """Requests to an ASGI application in this process (httpx's ASGI transport), one at a time."""

    def __init__(self, app: Starlette) -> None:
        self.transport = httpx.ASGITransport(app=app)

    def request(self, method: str, url: str, **kwargs: object) -> httpx.Response:
        async def send() -> httpx.Response:
            async with httpx.AsyncClient(transport=self.transport, base_url="http://testserver") as client:
                return await client.request(method, url, **kwargs)

        return asyncio.run(send())

    def get(self, url: str, **kwargs: object) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def head(self, url: str, **kwargs: object) -> httpx.Response:
        return self.request("HEAD", url, **kwargs)

    def post(self, url: str, **kwargs: object) -> httpx.Response:
        return self.request("POST", url, **kwargs)


@contextmanager
def TestClient(app: Starlette) -> Iterator[_Client]:  # noqa: N802 - reads like Starlette's
    yield _Client(app)


BIG = ("a line of a large answer that compresses well\n" * 200).encode()


@pytest.fixture()
def app_and_calls() -> tuple[Starlette, list[str], dict]:
    calls: list[str] = []
    build = {"validator": BuildValidator("build-1", BUILT)}

    async def page(request: Request) -> Response:
        calls.append(request.url.path)
        kind = request.headers.get("accept", "text/plain")
        return Response(
            BIG if request.path_params["name"] == "big" else b"small",
            media_type=kind.split(",")[0],
            headers={"Vary": "Accept"},
        )

    async def missing(request: Request) -> Response:
        calls.append("missing")
        return PlainTextResponse("no such thing", status_code=404)

    async def broken(request: Request) -> Response:
        return PlainTextResponse("overloaded", status_code=503)

    async def post(request: Request) -> Response:
        return PlainTextResponse("posted")

    app = Starlette(
        routes=[
            Route("/missing", missing),
            Route("/broken", broken),
            Route("/post", post, methods=["POST"]),
            Route("/{name}", page, methods=["GET", "HEAD"]),
        ],
        middleware=http_middleware(lambda: build["validator"], max_age=120),
    )
    return app, calls, build


def test_answers_carry_validators_and_cache_control(app_and_calls: tuple) -> None:
    app, _, _ = app_and_calls
    with TestClient(app) as client:
        response = client.get("/small")
    assert response.status_code == 200
    assert response.headers["etag"].startswith('W/"')
    assert response.headers["last-modified"] == formatdate(BUILT, usegmt=True)
    assert response.headers["cache-control"] == "public, max-age=120"


def test_if_none_match_is_answered_304_without_running_the_request(app_and_calls: tuple) -> None:
    app, calls, _ = app_and_calls
    with TestClient(app) as client:
        etag = client.get("/small").headers["etag"]
        response = client.get("/small", headers={"If-None-Match": etag})
        assert response.status_code == 304 and response.content == b""
        assert response.headers["etag"] == etag
        assert calls == ["/small"]  # the second request never reached the application
        # a list of tags, and the strong form of the tag, match too
        assert client.get("/small", headers={"If-None-Match": f'"x", {etag[2:]}'}).status_code == 304
        assert client.get("/small", headers={"If-None-Match": '"other"'}).status_code == 200


def test_the_etag_follows_the_representation_and_the_build(app_and_calls: tuple) -> None:
    app, _, build = app_and_calls
    with TestClient(app) as client:
        turtle = client.get("/small", headers={"Accept": "text/turtle"}).headers["etag"]
        json = client.get("/small", headers={"Accept": "application/ld+json"}).headers["etag"]
        other_path = client.get("/other", headers={"Accept": "text/turtle"}).headers["etag"]
        query = client.get("/small?x=1", headers={"Accept": "text/turtle"}).headers["etag"]
        chinese = client.get("/small", headers={"Accept": "text/turtle", "Cookie": "lang=zh"}).headers["etag"]
        assert len({turtle, json, other_path, query, chinese}) == 5
        build["validator"] = BuildValidator("build-2", time.time())  # a new build: every old tag is stale
        response = client.get("/small", headers={"Accept": "text/turtle", "If-None-Match": turtle})
        assert response.status_code == 200 and response.headers["etag"] != turtle


def test_if_modified_since(app_and_calls: tuple) -> None:
    app, _, _ = app_and_calls
    with TestClient(app) as client:
        later = formatdate(BUILT + 10, usegmt=True)
        earlier = formatdate(BUILT - 10, usegmt=True)
        assert client.get("/small", headers={"If-Modified-Since": later}).status_code == 304
        assert client.get("/small", headers={"If-Modified-Since": earlier}).status_code == 200
        assert client.get("/small", headers={"If-Modified-Since": "not a date"}).status_code == 200
        assert client.get("/missing", headers={"If-Modified-Since": later}).status_code == 404  # never a 304
        assert client.get("/missing", headers={"If-None-Match": "*"}).status_code == 404
        assert client.get("/small", headers={"If-None-Match": "*"}).status_code == 304


def test_errors_and_posts_get_no_validators(app_and_calls: tuple) -> None:
    app, _, _ = app_and_calls
    with TestClient(app) as client:
        missing = client.get("/missing")
        assert "etag" not in missing.headers
        broken = client.get("/broken")
        assert "etag" not in broken.headers and broken.headers["cache-control"] == "no-store"
        posted = client.post("/post")
        assert "etag" not in posted.headers and "cache-control" not in posted.headers


def test_no_validator_means_no_caching(app_and_calls: tuple) -> None:
    app, _, build = app_and_calls
    build["validator"] = None
    with TestClient(app) as client:
        response = client.get("/small")
    assert response.status_code == 200 and "etag" not in response.headers


def test_large_answers_are_gzipped_for_clients_that_accept_it(app_and_calls: tuple) -> None:
    app, _, _ = app_and_calls
    with TestClient(app) as client:
        zipped = client.get("/big", headers={"Accept-Encoding": "gzip"})
        plain = client.get("/big", headers={"Accept-Encoding": "identity"})
        head = client.head("/big", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["vary"] and "Accept" in zipped.headers["vary"]
    assert int(zipped.headers["content-length"]) < len(BIG) / 10
    assert zipped.content == BIG  # httpx decodes it
    assert "content-encoding" not in plain.headers and plain.content == BIG
    assert zipped.headers["etag"] == plain.headers["etag"]  # the same representation, weakly
    assert head.status_code == 200 and head.content == b""
