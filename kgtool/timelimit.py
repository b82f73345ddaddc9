"""A time limit for the queries of the Python API and the command line, enforced as the server enforces its own.

pyoxigraph has no query timeout and a thread cannot be killed, so a query that must be stoppable runs in a
worker process of :mod:`kgtool.server.workers` (the server's own workers, with their sandbox, their
memory limit and their death with the parent), driven here from a private event loop: when the time runs
out the worker is killed and replaced, and the caller gets a :class:`~kgtool.errors.QueryError` at once.

The worker opens the same built store read-only; a store kept in memory (or changed since the worker
started) is copied to it as N-Quads, and evaluated there by Oxigraph. A worker left without a query for
:data:`IDLE_SECONDS` is stopped (the next query starts another, in about half a second).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import QueryError, UsageError

if TYPE_CHECKING:
    from .results import QueryResult
    from .server.workers import Operation, Reply, WorkerPool
    from .stores.base import Store

__all__ = ["DEFAULT_TIMEOUT", "TIMEOUT_ENV", "IDLE_SECONDS", "default_timeout", "check_timeout", "QueryRunner"]

#: Seconds a query of ``kg.sparql()`` or ``kgtool sparql`` may run by default (the server's default too).
DEFAULT_TIMEOUT = 30.0
#: The environment variable that sets another default (seconds; ``0`` or ``none``: no limit).
TIMEOUT_ENV = "KGTOOL_QUERY_TIMEOUT"
#: Seconds a worker waits for the next query before it is stopped.
IDLE_SECONDS = 5.0

_RESULTS_JSON = "application/sparql-results+json"
_NTRIPLES = "application/n-triples"


def check_timeout(value: object, what: str = "timeout") -> float | None:
    """``value`` as a time limit in seconds (None, or 0: no limit).

    >>> check_timeout(2), check_timeout(None), check_timeout(0)
    (2.0, None, None)

    Raises:
        UsageError: naming ``what``, for anything but a number of seconds (or None).
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or value < 0:
        raise UsageError(f"{what} must be a number of seconds (0 or None: no limit), not {value!r}")
    return float(value) or None


def default_timeout() -> float | None:
    """The time limit when none is given: ``$KGTOOL_QUERY_TIMEOUT`` seconds, else :data:`DEFAULT_TIMEOUT`.

    Raises:
        UsageError: the variable holds no number of seconds.
    """
    raw = os.environ.get(TIMEOUT_ENV, "").strip()
    if not raw:
        return DEFAULT_TIMEOUT
    if raw.lower() in ("none", "off"):
        return None
    try:
        return check_timeout(float(raw), TIMEOUT_ENV)
    except ValueError:
        raise UsageError(f"{TIMEOUT_ENV} must be a number of seconds, not {raw!r}") from None


class QueryRunner:
    """One worker process serving ``store``'s graph, for queries with a time limit (see the module)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._revision = -1
        self._pool: WorkerPool | None = None
        self._scratch: Path | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._idle: threading.Timer | None = None

    def query(self, text: str, timeout: float) -> QueryResult:
        """Run a checked query in the worker; its answer within ``timeout`` seconds.

        Raises:
            QueryError: the query's own error, or that it was stopped at the time limit.
        """
        from .sparql import inspect_query

        graph = inspect_query(text).returns_graph
        reply = self._run(text, _NTRIPLES if graph else _RESULTS_JSON, timeout)
        if reply.status != 200:
            raise QueryError(reply.body.decode("utf-8", "replace").strip())
        return _answer(reply, graph)

    def _run(self, text: str, accept: str, timeout: float) -> Reply:
        from .server.workers import SparqlQuery, WorkerError

        with self._lock:
            if self._idle is not None:
                self._idle.cancel()
            pool = self._started()
            op: Operation = SparqlQuery(text, accept)
            assert self._loop is not None
            try:
                return asyncio.run_coroutine_threadsafe(pool.run(op, timeout=timeout), self._loop).result()
            except WorkerError as error:
                raise QueryError(str(error)) from None
            finally:
                self._idle = threading.Timer(IDLE_SECONDS, self._stop_idle)
                self._idle.daemon = True
                self._idle.start()

    def _stop_idle(self) -> None:
        with self._lock:
            self._close()

    def _started(self) -> WorkerPool:
        """The worker pool, (re)started if the store changed since it started."""
        from .server.config import ServerConfig
        from .server.workers import WorkerError, WorkerPool, prepare_source

        revision = getattr(self.store, "revision", 0)
        if self._pool is not None and revision == self._revision:
            return self._pool
        self._close()
        self._loop = asyncio.new_event_loop()
        # The worker dies with the thread that started it (PR_SET_PDEATHSIG): this one lives as long as it.
        self._thread = threading.Thread(target=self._loop.run_forever, name="kgtool-query-runner", daemon=True)
        self._thread.start()
        self._scratch = Path(tempfile.mkdtemp(prefix="kgtool-query-"))
        source = prepare_source(ServerConfig(store=self.store), self._scratch)
        pool = WorkerPool(source, size=1, name="query")
        try:
            asyncio.run_coroutine_threadsafe(pool.start(), self._loop).result()
        except WorkerError as error:
            self._close()
            raise QueryError(f"cannot start the query worker: {error}") from None
        self._pool, self._revision = pool, revision
        return pool

    def close(self) -> None:
        """Stop the worker and its event loop."""
        if self._idle is not None:
            self._idle.cancel()
        with self._lock:
            self._close()

    def _close(self) -> None:
        if self._pool is not None and self._loop is not None:
            asyncio.run_coroutine_threadsafe(self._pool.close(), self._loop).result()
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(5)
        if self._loop is not None and not self._loop.is_running():
            self._loop.close()
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
        self._pool = self._loop = self._thread = self._scratch = None


def _answer(reply: Reply, graph: bool) -> QueryResult:
    from .results import QueryResult

    if graph:
        from rdflib import Graph

        result = Graph()
        if reply.body:
            result.parse(data=reply.body.decode("utf-8"), format="nt")
        return QueryResult("graph", graph=result)
    from .results import sparql_json_result

    return sparql_json_result(json.loads(reply.body))
