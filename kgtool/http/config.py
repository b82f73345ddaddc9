"""How the server runs: :class:`ServerConfig` and the default limits.

Cheap to import (no Starlette, no store): the command line reads the defaults from here to show them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import NotBuiltError, UsageError
from ..paths import ProjectPaths, data_home

__all__ = ["DEFAULTS", "TOKEN_ENV", "ServerConfig"]

#: The server's default limits (documented in docs/SERVER.md).
DEFAULTS: dict[str, Any] = {
    "timeout": 30.0,
    "max_rows": 100_000,
    "max_body": 1 << 20,
    "workers": 2,
    "short_workers": 2,
    "short_timeout": 2.0,
    "max_memory": 1 << 30,
    "cache_bytes": 64 << 20,
    "max_connections": 512,
    "max_per_client": 64,
    "header_timeout": 10.0,
    "keepalive_timeout": 5.0,
}
#: The environment variable the update token is read from by default.
TOKEN_ENV = "KGTOOL_SERVER_TOKEN"


@dataclass(frozen=True)
class ServerConfig:
    """How the server runs.

    Args:
        store: what to serve: the path of a built Oxigraph store, or a kgtool :class:`~kgtool.stores.Store`
            or an rdflib ``Dataset`` (copied to each worker); default: the store ``kgtool build`` wrote.
        home: where the built store is (default: :func:`kgtool.paths.data_home`).
        paths: where the named queries are (default: the project's).
        timeout: seconds a request may run before it is cancelled (answered 503).
        max_rows: the most rows (SELECT) or triples (CONSTRUCT, DESCRIBE) an answer holds; longer
            answers are truncated and say so in the ``X-SPARQL-Truncated`` and ``X-SPARQL-MaxRows`` headers.
        max_body: the largest request body accepted, in bytes (larger: 413).
        workers: the number of query worker processes (1 when update is enabled).
        short_workers: worker processes reserved for short requests (pages, named queries, and queries
            that finish within ``short_timeout``); 0 sends everything to the other workers.
        short_timeout: seconds of processor time a request may use on a short worker; one that uses more is
            stopped there and run again on the other workers (and goes to them at once when asked again).
        max_memory: the resident memory a worker may hold, in bytes; a request that grows its worker beyond
            it is cancelled (503) and the worker replaced.
        cache_bytes: the most bytes of answers the server keeps for repeated requests.
        max_connections: open connections; beyond it, an idle one (no request in flight; never-answered
            silent ones first, oldest first) is closed (idle connections cannot keep clients out).
        max_per_client: open connections from one address (0: no limit); beyond it, an idle one of that
            address is closed the same way; a new one is refused (503) only if all the others have a
            request in flight.
        header_timeout: seconds a client has to send a request's head (and its body) once it may send one.
        keepalive_timeout: seconds an idle keep-alive connection stays open after an answer.
        allow_update: accept SPARQL Update and Graph Store writes from clients holding ``token``.
        token: the bearer token writes need (required with ``allow_update``; never logged); it also opens
            the operator's ``/health/details`` to clients on other machines.
    """

    store: Any = None
    home: Path | None = None
    paths: ProjectPaths | None = None
    timeout: float = DEFAULTS["timeout"]
    max_rows: int = DEFAULTS["max_rows"]
    max_body: int = DEFAULTS["max_body"]
    workers: int = DEFAULTS["workers"]
    short_workers: int = DEFAULTS["short_workers"]
    short_timeout: float = DEFAULTS["short_timeout"]
    max_memory: int = DEFAULTS["max_memory"]
    cache_bytes: int = DEFAULTS["cache_bytes"]
    max_connections: int = DEFAULTS["max_connections"]
    max_per_client: int = DEFAULTS["max_per_client"]
    header_timeout: float = DEFAULTS["header_timeout"]
    keepalive_timeout: float = DEFAULTS["keepalive_timeout"]
    allow_update: bool = False
    token: str | None = field(default=None, repr=False)

    def check(self) -> None:
        """Raise :class:`UsageError` for limits that make no sense or update without a token, and
        :class:`NotBuiltError` when there is no built store to serve."""
        if self.timeout <= 0:
            raise UsageError("the query timeout must be positive")
        if self.max_rows < 1 or self.max_body < 1 or self.workers < 1:
            raise UsageError("max-rows, max-body and workers must be at least 1")
        if self.short_workers < 0 or self.cache_bytes < 0 or self.max_per_client < 0:
            raise UsageError("short-workers, max-per-client and the cache size cannot be negative")
        if min(self.short_timeout, self.header_timeout, self.keepalive_timeout) <= 0:
            raise UsageError("the short-query, header and keep-alive timeouts must be positive")
        if self.max_memory < 64 << 20:
            raise UsageError("the worker memory limit must be at least 64 MiB")
        if self.max_connections < 2:
            raise UsageError("max-connections must be at least 2")
        if self.allow_update and not self.token:
            raise UsageError("updates need a token: set it in an environment variable and name it with --token-env")
        if self.store is None or isinstance(self.store, (str, Path)):
            path = self.store_path()
            if not path.is_dir():
                raise NotBuiltError(f"no built store at {path}: run 'kgtool build' first")

    def store_path(self) -> Path:
        """The built store's path (its link, as ``kgtool build`` keeps it) when ``store`` is a path or unset."""
        from ..build import store_path

        return Path(self.store) if self.store is not None else store_path(self.home or data_home())
