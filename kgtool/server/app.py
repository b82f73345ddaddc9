"""The server as an ASGI application (:func:`create_app`), and running it with uvicorn (:func:`serve`).

The application can be mounted inside another ASGI application at any prefix; the workers start with
the application's lifespan, which the enclosing application runs::

    kg = create_app(ServerConfig())
    site = Starlette(routes=[Mount("/kg", app=kg)], lifespan=kg.router.lifespan_context)
"""

from __future__ import annotations

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

from ..errors import StoreError
from ..http_cache import http_middleware
from .config import ServerConfig
from .connections import uvicorn_config
from .state import ServerState
from .views import ROUTES, http_error, unexpected_error

__all__ = ["create_app", "serve", "CACHE_MAX_AGE"]

log = logging.getLogger("kgtool.server")

#: How long (seconds) clients and shared caches may reuse an answer before asking again (a 304 is cheap).
CACHE_MAX_AGE = 60


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

    from ..web import WebPages  # the pages for people, in front of the routes

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
        Middleware(WebPages, run=state.run),
    ]
    app = Starlette(
        routes=list(ROUTES),
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={HTTPException: http_error, Exception: unexpected_error},
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
