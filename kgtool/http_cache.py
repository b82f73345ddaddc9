"""HTTP caching and compression for any ASGI application: validators derived from the build, 304 for
conditional requests, ``Cache-Control``, and gzip.

The graph a server answers from only changes with a build (or, on a server that accepts updates, with
a write), so every answer to a ``GET`` or ``HEAD`` is a function of the request and of that build. The
:class:`CachingMiddleware` gives each successful answer a weak ``ETag`` computed from the build's tag and
what selects the representation (path, query string, ``Accept``, ``Accept-Language``, ``Cookie``,
``Host``), a
``Last-Modified`` (the build's time) and a ``Cache-Control``. A request whose ``If-None-Match`` holds that
ETag is answered ``304 Not Modified`` without running the request at all; ``If-Modified-Since`` is
checked against the answer (so a 404 never becomes a 304). The ETag is weak (``W/"..."``) because the
same answer is sent gzipped or not: the representation is the same, its bytes are not.

Compression is Starlette's :class:`~starlette.middleware.gzip.GZipMiddleware`, for every response of
the application above a small size. :func:`http_middleware` gives both, in the order they must wrap
the application.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime

from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["BuildValidator", "CachingMiddleware", "http_middleware", "etag_matches", "GZIP_MINIMUM_SIZE"]

#: Responses smaller than this are sent uncompressed (gzip would not make them smaller).
GZIP_MINIMUM_SIZE = 1000
#: The request headers that select a representation, part of every ETag (a page may follow a cookie,
#: such as a language chosen by the reader).
_SELECTING = (b"accept", b"accept-language", b"cookie", b"host")


@dataclass(frozen=True)
class BuildValidator:
    """What every answer of a server derives from: ``tag`` names the build (and anything else that
    changes answers, such as the server's limits and the number of writes so far), ``modified`` is when
    it was made (POSIX seconds)."""

    tag: str
    modified: float


def etag_matches(header: str, etag: str) -> bool:
    """Whether an ``If-None-Match`` header matches ``etag`` (weak comparison, as RFC 9110 asks for).

    >>> etag_matches('W/"a", "b"', '"b"'), etag_matches('"a"', 'W/"a"'), etag_matches('"c"', '"a"')
    (True, True, False)
    """
    opaque = etag.removeprefix("W/")
    return any(part.strip().removeprefix("W/") == opaque for part in header.split(",") if part.strip())


class CachingMiddleware:
    """Validators, ``Cache-Control`` and 304 answers for the ``GET`` and ``HEAD`` requests of ``app``.

    Args:
        validator: returns what the answers derive from now, or ``None`` when they cannot be cached.
        max_age: how many seconds a client or shared cache may reuse an answer without asking again.
    """

    def __init__(self, app: ASGIApp, validator: Callable[[], BuildValidator | None], max_age: int = 60) -> None:
        self.app = app
        self.validator = validator
        self.max_age = max_age

    def etag(self, scope: Scope, build: BuildValidator) -> str:
        digest = hashlib.sha256(build.tag.encode("utf-8"))
        for part in (
            scope.get("root_path", "").encode("utf-8") + scope["path"].encode("utf-8"),
            scope.get("query_string", b""),
        ):
            digest.update(b"\0" + part)
        headers = dict(scope["headers"])  # each selecting header once
        for name in _SELECTING:
            digest.update(b"\0" + name + b"=" + headers.get(name, b""))
        return f'W/"{digest.hexdigest()[:32]}"'

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        build = self.validator()
        if build is None:
            await self.app(scope, receive, send)
            return
        etag = self.etag(scope, build)
        last_modified = formatdate(build.modified, usegmt=True)
        cache_control = f"public, max-age={self.max_age}"
        request = Headers(scope=scope)
        if_none_match = request.get("if-none-match")
        if if_none_match is not None and if_none_match.strip() != "*" and etag_matches(if_none_match, etag):
            # The client holds this very answer (the tag says so): nothing to run.
            await self._not_modified(send, etag, last_modified, cache_control)
            return
        if_modified_since = None if if_none_match is not None else request.get("if-modified-since")

        replaced = False  # the answer was replaced by a 304: drop its body

        async def send_with_validators(message: Message) -> None:
            nonlocal replaced
            if message["type"] != "http.response.start":
                if not replaced:
                    await send(message)
                return
            headers = MutableHeaders(scope=message)
            status = message["status"]
            if status == 200 and "etag" not in headers and "set-cookie" not in headers:
                star = if_none_match is not None and if_none_match.strip() == "*"
                if star or _not_modified_since(if_modified_since, build.modified):
                    replaced = True
                    await self._not_modified(send, etag, last_modified, cache_control, headers.get("vary"))
                    return
                headers["ETag"] = etag
                headers["Last-Modified"] = last_modified
                headers.setdefault("Cache-Control", cache_control)
            elif status >= 500:
                headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_validators)

    async def _not_modified(
        self, send: Send, etag: str, last_modified: str, cache_control: str, vary: str | None = None
    ) -> None:
        headers = [
            (b"etag", etag.encode()),
            (b"last-modified", last_modified.encode()),
            (b"cache-control", cache_control.encode()),
            (b"vary", (vary or "Accept, Accept-Encoding").encode("latin-1")),
        ]
        await send({"type": "http.response.start", "status": 304, "headers": headers})
        await send({"type": "http.response.body", "body": b""})


def _not_modified_since(header: str | None, modified: float) -> bool:
    if not header:
        return False
    try:
        since = parsedate_to_datetime(header)
    except (TypeError, ValueError, IndexError):
        return False  # an unreadable date is ignored, as RFC 9110 asks
    if since.tzinfo is None:
        return False
    return int(modified) <= since.timestamp()


def http_middleware(validator: Callable[[], BuildValidator | None], *, max_age: int = 60) -> list[Middleware]:
    """The caching and compression middleware for an application, outermost first (validators are
    computed on the uncompressed answer, compression applies to every answer, 304s included)."""
    return [
        Middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM_SIZE),
        Middleware(CachingMiddleware, validator=validator, max_age=max_age),
    ]
