"""Content negotiation: which representation of a resource a request asks for, and the headers that say
where the others are. The pages and the protocol's views both answer through these.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from starlette.exceptions import HTTPException

from ..format_param import (
    FORMAT_PARAMETERS,
    HTML,
    Answer,
    FormatParameterError,
    format_values,
    negotiate,
    requested_accept,
)
from ..workers.requests import RESOURCE_FORMATS

if TYPE_CHECKING:
    from starlette.requests import Request

__all__ = ["PLAIN", "accept_header", "alternate_headers", "wants_page"]

#: The media type of plain-text answers (errors, messages), without its charset.
PLAIN = "text/plain"


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
