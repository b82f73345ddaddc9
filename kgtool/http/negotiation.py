"""Content negotiation: which representation of a resource a request asks for, and the headers that say
where the others are. The pages and the protocol's views both answer through these.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from starlette.exceptions import HTTPException

from .. import formats
from ..format_param import FORMAT_PARAMETERS, Answer, FormatParameterError, format_values, requested_accept

if TYPE_CHECKING:
    from starlette.requests import Request

__all__ = [
    "HTML",
    "PLAIN",
    "TEXT",
    "RESOURCE_FORMATS",
    "RESOURCE_MEDIA_TYPES",
    "accept_header",
    "alternate_headers",
    "negotiate",
    "wants_page",
]

#: The media type of plain-text answers (errors, messages), and with its charset.
PLAIN = "text/plain"
TEXT = PLAIN + "; charset=utf-8"
#: The media type of pages for people.
HTML = "text/html"

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
    links = [(fmt.extension, fmt.media_type) for fmt in RESOURCE_FORMATS] + [("html", HTML)]
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


def negotiate(accept: str | None, offers: Sequence[str]) -> str | None:
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


def wants_page(request: Request, offers: Sequence[str]) -> bool:
    """Whether a GET or HEAD asks for the page of a path that answers in ``offers`` (media types, ``text/html``
    among them): its last ``format`` parameter says ``html`` or, without one, its Accept header prefers
    ``text/html`` among ``offers``."""
    if request.method not in ("GET", "HEAD"):
        return False
    named = request.query_params.getlist("format")
    if named:
        return named[-1] == "html"
    return negotiate(request.headers.get("accept", "*/*"), offers) == HTML
