"""``kgtool serve``: a SPARQL 1.1 Protocol endpoint and linked-data server for the graph.

A Starlette application run by uvicorn, one module per concern:

- :mod:`~kgtool.server.config`: :class:`ServerConfig` and the default limits;
- :mod:`~kgtool.server.protocol`: reading SPARQL Protocol requests, content negotiation;
- :mod:`~kgtool.server.views`: one function per route, and the route table;
- :mod:`~kgtool.server.pages`: the HTML pages; :mod:`~kgtool.server.describe`: what an IRI's description holds;
- :mod:`~kgtool.server.service_description`: the SPARQL service description;
- :mod:`~kgtool.server.workers`: the typed requests workers answer, and the pool of worker processes;
- :mod:`~kgtool.server.state`: what a running server holds; :mod:`~kgtool.server.app`: the ASGI application.

Importing this package is cheap (the command line reads :data:`DEFAULTS`); Starlette is imported when
:func:`create_app` or :func:`serve` is first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .config import DEFAULTS, TOKEN_ENV, ServerConfig

if TYPE_CHECKING:
    from .app import create_app, serve

__all__ = ["DEFAULTS", "TOKEN_ENV", "ServerConfig", "create_app", "serve"]


def __getattr__(name: str) -> Any:
    if name in ("create_app", "serve"):
        from . import app

        return getattr(app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
