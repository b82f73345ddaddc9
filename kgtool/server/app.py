"""The server as an ASGI application (:func:`create_app`), and running it with uvicorn (:func:`serve`).

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
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware

from ..errors import StoreError
from ..http_cache import http_middleware
from ..http_protocol import LimitedH11Protocol, head_limit
from .config import ServerConfig
from .state import ServerState
from .views import ROUTES, http_error, unexpected_error
from .workers import WorkerPool, prepare_source

__all__ = ["create_app", "serve", "uvicorn_options", "CACHE_MAX_AGE"]

log = logging.getLogger("kgtool.server")

#: How long (seconds) clients and shared caches may reuse an answer before asking again (a 304 is cheap).
CACHE_MAX_AGE = 60


def uvicorn_options(config: ServerConfig) -> dict[str, Any]:
    """The uvicorn settings the server runs with: its HTTP protocol reads URLs up to the body limit (a GET
    query is the request's payload) and answers longer ones 414, never a reset (:mod:`kgtool.http_protocol`)."""
    return {"http": LimitedH11Protocol, "h11_max_incomplete_event_size": head_limit(config.max_body)}


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
        state.scratch = scratch
        try:
            source = await asyncio.to_thread(prepare_source, config, scratch)
            size = 1 if config.allow_update else config.workers
            state.pool = WorkerPool(source, size, timeout=config.timeout)
            await state.pool.start()
            state.start(source)
            log.info(
                "serving with %d query worker(s), timeout %g s, max rows %d, max body %d bytes, %s",
                size,
                config.timeout,
                config.max_rows,
                config.max_body,
                "updates enabled (token required)" if config.allow_update else "read-only",
            )
            yield
        finally:
            if state.pool is not None:
                await state.pool.close()
                state.pool = None
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
    """Run the server with uvicorn until interrupted."""
    import uvicorn

    config = config or ServerConfig()
    app = create_app(config)
    log_config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    log_config["loggers"]["kgtool.server"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    try:
        uvicorn.run(
            app,
            host=host,
            port=port,
            log_level="info",
            log_config=log_config,
            limit_concurrency=1000,
            timeout_graceful_shutdown=5,
            **uvicorn_options(config),
        )
    except SystemExit as stop:  # uvicorn exits 3 when the application cannot start
        if stop.code not in (0, None):
            raise StoreError("the server could not start (see the messages above)") from None
