"""What a running server holds: its configuration, its worker pool, its cache of answers, and what its
answers derive from (the validator HTTP caching uses)."""

from __future__ import annotations

import hashlib
import time
import uuid
from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.requests import Request

from ..http_cache import BuildValidator
from ..paths import project_paths
from .config import ServerConfig
from .workers import WRITES, Operation, Reply, StoreSource, WorkerError, WorkerPool

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
        self.build: BuildValidator | None = None  # set when the workers have started
        self.writes = 0

    def start(self, source: StoreSource) -> None:
        """Record what the answers derive from: the built store the workers opened (its build's directory
        names it and its build-info file dates it), or, for a copy of a store or dataset, that copy."""
        from .. import __version__

        modified = time.time()
        if source.nquads is not None:
            tag = hashlib.sha256(Path(source.nquads).read_bytes()).hexdigest()
        elif source.writable:
            tag = uuid.uuid4().hex  # a writable copy: its writes are counted in the validator
        else:
            from ..build import BUILD_INFO

            store = Path(source.path or "")
            info = store.parent / BUILD_INFO
            tag = str(store)
            modified = (info if info.is_file() else store).stat().st_mtime
        config = self.config
        self.build = BuildValidator(f"{tag}|{__version__}|{config.max_rows}|{config.allow_update}", modified)

    def validator(self) -> BuildValidator | None:
        """What every answer derives from now: the build, the writes made since, and the named queries and
        shapes read from the project (which a developer may edit while the server runs)."""
        if self.build is None or self.pool is None:
            return None
        files = sorted(self.paths.queries_dir.glob("*.rq")) + [self.paths.shapes_file]
        stamps = "|".join(f"{f.name}:{s.st_mtime_ns}:{s.st_size}" for f in files if f.is_file() for s in [f.stat()])
        tag = f"{self.build.tag}|{self.writes}|{stamps}"
        return BuildValidator(tag, self.build.modified)

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
            self.writes += 1
            if self.build is not None:
                self.build = BuildValidator(self.build.tag, time.time())
        elif cache and reply.status == 200 and len(self.cache) < _CACHE_ENTRIES:
            self.cache[op] = reply
        return reply


def server_state(request: Request) -> ServerState:
    """The state of the server answering ``request``."""
    state: ServerState = request.app.state.kg
    return state
