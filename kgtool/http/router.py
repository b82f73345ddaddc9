"""The entries of the application's one route table: each path answered for people by a page and for
programs by a view of the protocol, chosen by content negotiation.

A :func:`route` names the view (RDF, SPARQL results, JSON...) and, where there is one, the page (HTML) of a
path, with the media types the path answers in (``text/html`` among them when it has a page): a GET or HEAD
that asks for HTML (:func:`~kgtool.http.negotiation.wants_page`) gets the page, every other request the
view. A page that finds the request is not one of its own after all raises :class:`PassOn`, and the view
answers. Pages live in a layer above this one (:mod:`kgtool.web`); this module never imports them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Scope

from .negotiation import wants_page

__all__ = ["Endpoint", "Offers", "PassOn", "route", "route_path"]

#: An async function answering a request.
Endpoint = Callable[[Request], Awaitable[Response]]
#: The media types a path answers in, or a function of the request that says them.
Offers = Sequence[str] | Callable[[Request], Sequence[str]]


class PassOn(Exception):
    """Raised by a page: the request is not a page after all (the view answers it)."""


def route_path(scope: Scope) -> str:
    """The request's path within the application (without the prefix it is mounted at)."""
    path, root = scope["path"], scope.get("root_path", "")
    return (path[len(root) :] or "/") if root and path.startswith(root) else path


def route(
    path: str,
    view: Endpoint,
    *,
    page: Endpoint | None = None,
    offers: Offers = (),
    methods: Sequence[str] = ("GET", "HEAD"),
) -> Route:
    """The route of ``path``: ``page`` for a request that asks for HTML among ``offers``, ``view`` otherwise."""
    if page is None:
        return Route(path, view, methods=list(methods))

    async def endpoint(request: Request) -> Response:
        assert page is not None
        media_types = offers(request) if callable(offers) else offers
        if wants_page(request, media_types):
            try:
                response = await page(request)
            except PassOn:
                return await view(request)
            if request.method == "HEAD":
                response.body = b""  # the headers (Content-Length too) are those of the GET
            return response
        return await view(request)

    endpoint.__name__ = getattr(page, "__name__", "page")
    return Route(path, endpoint, methods=list(methods))
