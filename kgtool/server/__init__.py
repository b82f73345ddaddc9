"""``kgtool serve``: a SPARQL 1.1 Protocol endpoint, linked-data server and pages for people, as one
application in three layers, each depending only on those below it:

- :mod:`kgtool.server` (this package): the application, its one route table and running it
  (:mod:`~kgtool.server.app`; connection limits: :mod:`~kgtool.server.connections`);
- :mod:`kgtool.web`: the pages for people (templates, page data from named queries, charts);
- :mod:`kgtool.http`: the protocol: requests read and negotiated, the views that answer programs, the typed
  requests of the query workers, their engine and their pool, and the server's state and configuration.

Importing this package is cheap (the command line reads :data:`DEFAULTS`); Starlette is imported when
:func:`create_app` or :func:`serve` is first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..http.config import DEFAULTS, TOKEN_ENV, ServerConfig

if TYPE_CHECKING:
    from .app import create_app, serve

__all__ = ["DEFAULTS", "TOKEN_ENV", "ServerConfig", "create_app", "serve"]


def __getattr__(name: str) -> Any:
    if name in ("create_app", "serve"):
        from . import app

        return getattr(app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
