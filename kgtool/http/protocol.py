"""Reading HTTP requests as the SPARQL 1.1 Protocol defines them.

Everything here turns what a client sent into plain values, or refuses it with a Starlette
:class:`~starlette.exceptions.HTTPException` (4xx) whose detail is the message the client reads.
"""

from __future__ import annotations

import asyncio
import hmac
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, unquote_to_bytes

from starlette.exceptions import HTTPException

if TYPE_CHECKING:
    from starlette.requests import Request

    from .config import ServerConfig

__all__ = [
    "SparqlRequest",
    "check_charset",
    "check_operator",
    "check_token",
    "check_url",
    "decode",
    "parse_sparql_request",
    "read_body",
    "request_media_type",
]


# -- request bodies ---------------------------------------------------------------------------------


async def read_body(request: Request, limit: int, timeout: float | None = None) -> bytes:
    """The request body, refused with 413 beyond ``limit`` bytes (checked before and while reading) and
    with 408 if it takes longer than ``timeout`` seconds to arrive."""
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > limit:
        raise HTTPException(413, f"the request body is larger than the limit of {limit} bytes")
    chunks: list[bytes] = []

    async def read() -> None:
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise HTTPException(413, f"the request body is larger than the limit of {limit} bytes")
            chunks.append(chunk)

    try:
        await asyncio.wait_for(read(), timeout)
    except TimeoutError:
        raise HTTPException(
            408, f"the request body did not arrive within {timeout:g} s", {"Connection": "close"}
        ) from None
    return b"".join(chunks)


def check_url(request: Request, limit: int) -> None:
    """A query string counts against the body limit too (a GET query is the request's payload), and must be
    UTF-8 once its ``%XX`` escapes are decoded (400 otherwise, rather than the replacement characters a
    lenient decoder would put in the query)."""
    query_string = request.scope.get("query_string", b"")
    if len(query_string) > limit:
        raise HTTPException(
            414, f"the query string is longer than the limit of {limit} bytes: send the query with POST"
        )
    try:
        unquote_to_bytes(query_string.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        raise HTTPException(400, "the query string is not UTF-8 once its %XX escapes are decoded") from None


def request_media_type(request: Request) -> tuple[str | None, str | None]:
    """The request's media type and charset."""
    header = request.headers.get("content-type")
    if not header:
        return None, None
    kind, *params = [p.strip() for p in header.split(";")]
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return kind.lower(), charset


def check_charset(charset: str | None) -> None:
    """Requests are UTF-8 (415 otherwise)."""
    if charset and charset not in ("utf-8", "utf8"):
        raise HTTPException(415, f"requests must be UTF-8, not {charset}")


def decode(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise HTTPException(400, f"the {what} is not UTF-8") from None


def check_token(request: Request, config: ServerConfig) -> None:
    """Refuse a write unless update is enabled and the request holds the token."""
    if not config.allow_update:
        raise HTTPException(403, "this endpoint is read-only: SPARQL Update and Graph Store writes are disabled")
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given:
        raise HTTPException(401, "writes need a token: Authorization: Bearer TOKEN", {"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(given.strip().encode("utf-8"), (config.token or "").encode("utf-8")):
        raise HTTPException(403, "the token is not valid")


#: Headers a reverse proxy adds: a request that holds one came from elsewhere, whatever its address.
_FORWARDED = ("forwarded", "x-forwarded-for", "x-real-ip")


def check_operator(request: Request, config: ServerConfig) -> None:
    """Refuse (403) what only the operator may see, unless the request comes from the server's own machine
    (a loopback address, not through a proxy) or holds the server's token."""
    import ipaddress

    host = request.client.host if request.client else ""
    try:
        local = ipaddress.ip_address(host).is_loopback
    except ValueError:
        local = False
    if local and not any(name in request.headers for name in _FORWARDED):
        return
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if (
        config.token
        and scheme.lower() == "bearer"
        and hmac.compare_digest(given.strip().encode("utf-8"), config.token.encode("utf-8"))
    ):
        return
    raise HTTPException(
        403, "this is for the server's operator: ask from its own machine, or with Authorization: Bearer TOKEN"
    )


# -- the SPARQL 1.1 Protocol ------------------------------------------------------------------------


@dataclass(frozen=True)
class SparqlRequest:
    """What a request to the SPARQL endpoint asks: at most one of ``query`` and ``update``, and the
    protocol's parameters (``default-graph-uri``, ``named-graph-uri``, ``using-graph-uri``, ``format``...)."""

    query: str | None
    update: str | None
    params: dict[str, list[str]]

    def param(self, name: str) -> list[str]:
        return self.params.get(name, [])


async def parse_sparql_request(request: Request, max_body: int, timeout: float | None = None) -> SparqlRequest:
    """Read a query via GET, POST form or POST direct, or an update via POST, as the protocol defines them."""
    check_url(request, max_body)
    url = {k: request.query_params.getlist(k) for k in request.query_params}
    params: dict[str, list[str]] = {}
    if request.method in ("GET", "HEAD"):
        params = url
    else:
        kind, charset = request_media_type(request)
        if kind is None:
            raise HTTPException(
                400,
                "a POST needs a Content-Type: application/x-www-form-urlencoded, "
                "application/sparql-query or application/sparql-update",
            )
        check_charset(charset)
        body = await read_body(request, max_body, timeout)
        if kind == "application/x-www-form-urlencoded":
            if "query" in url or "update" in url:
                raise HTTPException(400, "with a form POST, the query or update goes in the body")
            try:
                form = parse_qs(decode(body, "form"), keep_blank_values=True, errors="strict")
            except UnicodeDecodeError:
                raise HTTPException(400, "the form is not UTF-8 once its %XX escapes are decoded") from None
            params = {k: url.get(k, []) + form.get(k, []) for k in set(url) | set(form)}
        elif kind == "application/sparql-query":
            params = {**url, "query": [decode(body, "query")]}
        elif kind == "application/sparql-update":
            params = {**url, "update": [decode(body, "update")]}
        else:
            raise HTTPException(
                415,
                f"unsupported Content-Type {kind!r}: use application/x-www-form-urlencoded, "
                "application/sparql-query or application/sparql-update",
            )
        if "query" in url and kind != "application/x-www-form-urlencoded":
            raise HTTPException(400, "with a direct POST, the query goes in the body")
    queries, updates = params.get("query", []), params.get("update", [])
    if len(queries) + len(updates) > 1:
        raise HTTPException(400, "send exactly one query or one update per request")
    if updates and request.method != "POST":
        raise HTTPException(400, "SPARQL Update must be sent with POST")
    return SparqlRequest(queries[0] if queries else None, updates[0] if updates else None, params)
