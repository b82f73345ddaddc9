"""What a running server holds: its configuration, its worker pool and its cache of answers."""

from __future__ import annotations

from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.requests import Request

from ..paths import project_paths
from .config import ServerConfig
from .workers import WRITES, Operation, Reply, WorkerError, WorkerPool

__all__ = ["ServerState", "server_state"]

#: The most answers the cache holds.
_CACHE_ENTRIES = 256


class ServerState:
    """The server's runtime: the pool of workers answering :data:`~kgtool.server.workers.Operation`
    requests, and the answers kept for requests that are asked often and never change."""

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self.paths = config.paths or project_paths()
        self.pool: WorkerPool | None = None
        self.cache: dict[Operation, Reply] = {}
        self.scratch: Path | None = None

    async def run(self, op: Operation, *, cache: bool = False, timeout: float | None = None) -> Reply:
        """A worker's answer to ``op`` (from the cache when ``cache`` and it was answered before).

        Raises:
            HTTPException: 503 when no worker answered in time or none is running, 500 when one died.
        """
        if cache and op in self.cache:
            return self.cache[op]
        if self.pool is None:
            raise HTTPException(503, "the query workers are not running (a mounted server needs its lifespan)")
        try:
            reply = await self.pool.run(op, timeout=timeout)
        except WorkerError as error:
            raise HTTPException(error.status, str(error)) from None
        if isinstance(op, WRITES):
            self.cache.clear()
        elif cache and reply.status == 200 and len(self.cache) < _CACHE_ENTRIES:
            self.cache[op] = reply
        return reply


def server_state(request: Request) -> ServerState:
    """The state of the server answering ``request``."""
    state: ServerState = request.app.state.kg
    return state
