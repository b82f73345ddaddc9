"""The server as one ASGI application (:func:`create_app`), its one route table (:data:`ROUTES`), and
running it with uvicorn (:func:`serve`).

Every path of the server is one entry of :data:`ROUTES`: the view of the protocol layer
(:mod:`kgtool.http.views`) that answers programs, and, where people read it too, the page of
:mod:`kgtool.web.pages` that answers browsers, chosen by content negotiation (:func:`kgtool.http.router.route`).
The layers depend one way: this module on both, the pages on the protocol layer, the protocol layer on
neither.

The application can be mounted inside another ASGI application at any prefix; the workers start with
the application's lifespan, which the enclosing application runs::

    kg = create_app(ServerConfig())
    site = Starlette(routes=[Mount("/kg", app=kg)], lifespan=kg.router.lifespan_context)
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import logging
import shutil
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request

from .. import formats
from ..errors import StoreError
from ..format_param import HTML, JSON
from ..http import views
from ..http.config import ServerConfig
from ..http.router import route
from ..http.state import ServerState
from ..http_cache import http_middleware
from ..web import pages
from ..web.render import compile_templates
from ..workers.requests import RESOURCE_MEDIA_TYPES
from .connections import uvicorn_config

__all__ = ["create_app", "serve", "ROUTES", "CACHE_MAX_AGE"]

log = logging.getLogger("kgtool.server")

#: How long (seconds) clients and shared caches may reuse an answer before asking again (a 304 is cheap).
CACHE_MAX_AGE = 60

# What each kind of path answers in (the page's place among them decides what a browser's Accept gets).
_RDF = list(RESOURCE_MEDIA_TYPES)
_DESCRIBED = [_RDF[0], HTML, *_RDF[1:]]  # a resource: Turtle for */*, the page for a browser
# SPARQL results, and application/json (not the XML aliases, which browsers list in their Accept header)
_RESULTS = [*formats.media_types("results"), *formats.get("json", "results").media_aliases]


def _sparql_offers(request: Request) -> list[str]:
    """A query's answer, or (without one) the service description; the editor page for a browser."""
    if "query" in request.query_params or "update" in request.query_params:
        return [*_RESULTS, *_RDF, HTML]
    return _DESCRIBED


#: Every path of the server, in the order they are matched: the view for programs, the page for people.
ROUTES = [
    route("/", views.home, page=pages.home, offers=[HTML, *_RDF[:2]]),
    route("/evolution", views.resource, page=pages.evolution, offers=[HTML]),
    route("/evolution.svg", pages.evolution_svg),
    route("/search", views.resource, page=pages.search, offers=[HTML]),
    route("/static/{name:path}", pages.asset),
    route("/sparql", views.sparql_endpoint, page=pages.sparql, offers=_sparql_offers, methods=["GET", "HEAD", "POST"]),
    route("/sparql/", views.sparql_endpoint, page=pages.sparql, offers=_sparql_offers, methods=["GET", "HEAD", "POST"]),
    route("/queries", views.queries_list, page=pages.queries, offers=[JSON, HTML]),
    route("/queries/{name}", views.named_query, page=pages.named_query, offers=[*_RESULTS, HTML]),
    route(
        "/store",
        views.graph_store,
        page=pages.endpoints,
        offers=[*_RDF, HTML],
        methods=["GET", "HEAD", "PUT", "POST", "DELETE"],
    ),
    route("/context.jsonld", views.context),
    route("/openapi.json", views.openapi),
    route("/download", pages.endpoints),
    route("/download/{name:path}", views.download, page=pages.endpoints, offers=[HTML]),
    route("/.well-known/void", views.well_known_void),
    route("/health", views.health),
    route("/health/details", views.health_details),
    route("/def", views.resource, page=pages.ontology, offers=_DESCRIBED),
    route("/def/{number}", views.resource, page=pages.ontology, offers=_DESCRIBED),
    route("/shapes", views.resource, page=pages.shapes, offers=_DESCRIBED),
    route("/graph/{name:path}", views.resource, page=pages.graph, offers=_DESCRIBED),
    route("/version/{number}", views.resource, page=pages.version, offers=_DESCRIBED),
    route("/cluster/{slug}", views.resource, page=pages.cluster, offers=_DESCRIBED),
    route("/observation/{slug}", views.resource, page=pages.figure, offers=_DESCRIBED),
    route("/target/{slug}", views.resource, page=pages.figure, offers=_DESCRIBED),
    route("/{path:path}", views.resource, page=pages.resource, offers=_DESCRIBED),
]


def create_app(config: ServerConfig | None = None) -> Starlette:
    """The server as an ASGI application (the workers start with the application's lifespan).

    Raises:
        UsageError: for a configuration that makes no sense (see :meth:`ServerConfig.check`).
        NotBuiltError: when there is no built store to serve.
    """
    config = config or ServerConfig()
    config.check()
    state = ServerState(config)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        scratch = Path(tempfile.mkdtemp(prefix="kgtool-serve-"))
        try:
            await state.start(scratch)
            await asyncio.to_thread(compile_templates)  # not in the first visitor's request
            log.info(
                "serving with %d query worker(s) and %d short-query worker(s), timeout %g s, max rows %d, "
                "max body %d bytes, worker memory %d MiB, %s",
                state.long.size if state.long else 0,
                state.short.size if state.short else 0,
                config.timeout,
                config.max_rows,
                config.max_body,
                config.max_memory >> 20,
                "updates enabled (token required)" if config.allow_update else "read-only",
            )
            yield
        finally:
            await state.close()
            shutil.rmtree(scratch, ignore_errors=True)

    middleware = [
        Middleware(
            CORSMiddleware,
            allow_origins=["*"],
            allow_methods=["GET", "HEAD", "POST"],
            allow_headers=["Accept", "Content-Type", "If-None-Match", "If-Modified-Since"],
            expose_headers=["X-SPARQL-Truncated", "X-SPARQL-MaxRows", "ETag", "Link", "Content-Location"],
        ),
        # every answer, the pages' included: ETag and Last-Modified from the build, 304s, Cache-Control, gzip
        *http_middleware(state.validator, max_age=CACHE_MAX_AGE),
    ]
    app = Starlette(
        routes=list(ROUTES),
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={HTTPException: pages.http_error, Exception: views.unexpected_error},
    )
    app.state.kg = state
    return app


def serve(config: ServerConfig | None = None, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the server with uvicorn until interrupted (with the connection limits of ``config``)."""
    import uvicorn

    config = config or ServerConfig()
    app = create_app(config)
    log_config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    log_config["loggers"]["kgtool.server"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    server = uvicorn.Server(
        uvicorn_config(
            app, config, host=host, port=port, log_level="info", log_config=log_config, timeout_graceful_shutdown=5
        )
    )
    try:
        server.run()
    except SystemExit as stop:  # uvicorn exits 3 when the application cannot start
        if stop.code not in (0, None):
            raise StoreError("the server could not start (see the messages above)") from None
    if not server.started:
        raise StoreError("the server could not start (see the messages above)")
