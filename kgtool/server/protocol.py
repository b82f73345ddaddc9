"""Reading HTTP requests as the SPARQL 1.1 Protocol defines them, and content negotiation.

Everything here turns what a client sent into plain values, or refuses it with a Starlette
:class:`~starlette.exceptions.HTTPException` (4xx) whose detail is the message the client reads.
"""

from __future__ import annotations

import asyncio
import hmac
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, unquote_to_bytes

from starlette.exceptions import HTTPException

from .. import formats
from ..format_param import FORMAT_PARAMETERS, Answer, FormatParameterError, format_values, requested_accept

if TYPE_CHECKING:
    from starlette.requests import Request

    from .config import ServerConfig

__all__ = [
    "RESOURCE_FORMATS",
    "alternate_headers",
    "RESOURCE_MEDIA_TYPES",
    "TEXT",
    "SparqlRequest",
    "accept_header",
    "add_using",
    "check_token",
    "check_url",
    "decode",
    "negotiate",
    "parse_sparql_request",
    "read_body",
    "request_media_type",
]

#: The media type of plain-text answers (errors, messages).
TEXT = "text/plain; charset=utf-8"

#: The RDF formats a resource, its page's alternate links and the service description are offered in
#: (Turtle first, the default).
RESOURCE_FORMATS = tuple(formats.get(name) for name in ("ttl", "jsonld", "nt", "xml"))
#: Their media types, in the same order.
RESOURCE_MEDIA_TYPES = tuple(fmt.media_type for fmt in RESOURCE_FORMATS)


# -- content negotiation ----------------------------------------------------------------------------


def alternate_headers(path: str, served: str) -> dict[str, str]:
    """The headers that tell programs where the other formats of a description are: ``Link`` naming each
    RDF format and the page (``?format=``, the format's extension), and ``Content-Location`` for the one
    ``served`` (a media type)."""
    links = [(fmt.extension, fmt.media_type) for fmt in RESOURCE_FORMATS] + [("html", "text/html")]
    headers = {"Link": ", ".join(f'<{path}?format={name}>; rel="alternate"; type="{media}"' for name, media in links)}
    served = served.split(";")[0].strip()
    name = next((name for name, media in links if media == served), None)
    if name is not None:
        headers["Content-Location"] = f"{path}?format={name}"
    return headers


def _accept_ranges(accept: str) -> list[tuple[str, str, float]]:
    ranges = []
    for part in accept.split(","):
        pieces = [p.strip() for p in part.split(";")]
        if not pieces[0]:
            continue
        kind, _, sub = pieces[0].lower().partition("/")
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((kind, sub or "*", q))
    return ranges


def negotiate(accept: str | None, offers: list[str] | tuple[str, ...]) -> str | None:
    """The offer the ``Accept`` header prefers (ties go to the earlier offer), or ``None`` if none is
    acceptable. A missing header accepts anything.

    >>> negotiate("text/html,application/xhtml+xml,*/*;q=0.8", ["text/turtle", "text/html"])
    'text/html'
    >>> negotiate("*/*", ["text/turtle", "text/html"]), negotiate("image/png", ["text/turtle"])
    ('text/turtle', None)
    """
    ranges = _accept_ranges(accept or "*/*") or [("*", "*", 1.0)]
    best, best_q = None, 0.0
    for offer in offers:
        kind, _, sub = offer.lower().partition("/")
        q, specificity = 0.0, -1
        for r_kind, r_sub, r_q in ranges:
            if r_kind == kind and r_sub == sub:
                level = 2
            elif r_kind == kind and r_sub == "*":
                level = 1
            elif r_kind == "*":
                level = 0
            else:
                continue
            if level > specificity:
                q, specificity = r_q, level
        if q > best_q:
            best, best_q = offer, q
    return best


def accept_header(request: Request, params: dict[str, list[str]] | None = None, kind: Answer = "graph") -> str:
    """The media types the request asks for: those its ``format``/``output``/``results`` parameters name
    (as SPARQL clients send them, see :mod:`kgtool.format_param`), else its Accept header. ``kind`` is
    what it is answered with (``results`` for SELECT and ASK), which decides what ``xml`` and ``json`` mean."""
    values = format_values(
        params if params is not None else {k: request.query_params.getlist(k) for k in FORMAT_PARAMETERS}
    )
    try:
        wanted = requested_accept(values, kind)
    except FormatParameterError as error:
        raise HTTPException(400, str(error)) from None
    return wanted if wanted is not None else request.headers.get("accept", "*/*")


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


def add_using(text: str, using: list[str], using_named: list[str]) -> str:
    """The update with ``USING``/``USING NAMED`` clauses added to each ``DELETE``/``INSERT ... WHERE``
    operation, which is what the protocol's ``using-graph-uri`` and ``using-named-graph-uri`` mean.

    >>> add_using("INSERT { ?s a <x:y> } WHERE { ?s ?p ?o }", ["http://g"], [])
    'INSERT { ?s a <x:y> } USING <http://g> WHERE { ?s ?p ?o }'
    """
    from ..sparql import mask_literals

    if not using and not using_named:
        return text
    clause = " ".join([f"USING <{g}>" for g in using] + [f"USING NAMED <{g}>" for g in using_named]) + " "
    masked = mask_literals(text)
    depth, inserts = 0, []
    for match in re.finditer(r"[{}]|\bWHERE\b", masked, re.I):
        token = match.group(0)
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        elif depth == 0:
            before = masked[: match.start()].rstrip()
            if not re.search(r"\bDELETE$", before, re.I):  # DELETE WHERE takes no USING
                inserts.append(match.start())
    for position in reversed(inserts):
        text = text[:position] + clause + text[position:]
    return text
