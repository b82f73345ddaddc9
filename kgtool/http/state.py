"""What a running server holds, and which worker answers each request.

The server serves the build it opened at start: it holds that build (:func:`kgtool.build.hold_build`) so
that later ``kgtool build`` runs do not prune it while it is served, and every replacement worker opens
the same snapshot. A new build is served after a restart; :meth:`ServerState.health` says when one exists.

Requests go to one of two lanes of workers, so that fast requests keep answering while slow ones run, and
each lane hands its workers out fairly (:class:`~kgtool.workers.fair.FairQueue`): when a worker frees, the
waiting request whose client (address) has the fewest requests running there and has used the least worker
time recently goes first, so a client waits behind at most its share of the others' work.

- the **short lane** (``short_workers``) answers everything but exports and writes, each request using at
  most ``short_timeout`` seconds of processor time (its measured cost: waiting for the processors does
  not count); clients' own SPARQL queries take at most all but one of its workers, so pages and named
  queries always have one, and while others wait for their turn there the time is divided among them
  (down to a quarter of a second), so that a newcomer's query is never stuck behind a row of others' slow
  ones. A request it cannot start at once takes a free long worker if its address may have one now;
  otherwise it waits here, never behind the long lane's slow queries (its own address's included). A
  request that costs more is stopped there and run again on the long lane, and that request (not its
  client) goes straight to the long lane when it is asked again;
- the **long lane** (``workers``) answers the rest within ``timeout``; one client holds at most half of
  its workers at once, so one address looping slow queries cannot take them all; its workers run at a
  lower CPU priority, so slow queries leave the processors to short ones.

No client is refused for what others sent: a request is answered 503 only when it ran out of its own time
limit, or waited that long for its turn.

A request whose client disconnects is cancelled, and the worker running it is replaced.

:meth:`ServerState.validator` says what every answer derives from (the build, the writes since), for the
HTTP caching of :mod:`kgtool.http_cache`.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import time
import uuid
from collections import OrderedDict
from collections.abc import Awaitable
from dataclasses import replace
from pathlib import Path
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request

from ..cache import BytesLRU
from ..http_cache import BuildValidator
from ..paths import project_paths
from ..workers.fair import FairQueue
from ..workers.pool import CpuLimit, WorkerBusy, WorkerError, WorkerPool, WorkerTimeout
from ..workers.requests import WRITES, Export, GraphWrite, Operation, Reply, SparqlQuery, StoreSource
from .config import ServerConfig
from .source import prepare_source

__all__ = ["ServerState", "server_state"]

#: How much lower the CPU priority of the long lane's workers is (``nice``).
LONG_LANE_NICE = 10
#: How many requests that overran the short lane are remembered (and sent straight to the long lane).
_SLOW_OPS_KEPT = 4096
#: The kind of short-lane request held to all but one short worker: a client's own SPARQL query.
_TRIAL = "sparql"
#: The graph the write-parsing worker puts each document in (its own store's, never the served one).
_PARSED_GRAPH = "urn:kgtool:write-parsing"
#: The least processor time (seconds) a client's own query has on the short lane while others wait: the
#: short lane's time is divided among the queries waiting for it, down to this.
_SHORTEST_TRIAL = 0.25


class _KnownSlow(Exception):
    """The request is known to overrun the short lane: it goes to the long lane."""


class _ClientGone(Exception):
    """The client closed its connection before its answer was ready."""


class ServerState:
    """The server's runtime: its worker lanes, the build it holds, and the cache of answers."""

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self.paths = config.paths or project_paths()
        self.long: WorkerPool | None = None
        self.short: WorkerPool | None = None
        self.cache: BytesLRU[Operation, Reply] = BytesLRU(config.cache_bytes)
        self.scratch: Path | None = None
        self.source: StoreSource | None = None
        self._held: int | None = None
        self._long_queue: FairQueue | None = None
        self._short_queue: FairQueue | None = None
        self._slow_ops: OrderedDict[int, None] = OrderedDict()  # the requests that overran the short lane
        self.parser: WorkerPool | None = None  # parses writes first, on an empty store of its own
        self.started = False
        self.build: BuildValidator | None = None  # set when the workers have started
        self.writes = 0

    @property
    def pool(self) -> WorkerPool | None:
        """The long lane (every request can run there)."""
        return self.long

    @property
    def queues(self) -> dict[str, FairQueue]:
        """The fair queue of each lane that runs, by name (``long``, ``short``)."""
        lanes = (("long", self._long_queue), ("short", self._short_queue))
        return {name: queue for name, queue in lanes if queue is not None}

    # -- starting and stopping

    async def start(self, scratch: Path) -> None:
        """Prepare the store, hold the build it comes from, and start the workers."""
        from ..build import hold_build

        config = self.config
        self.scratch = scratch
        self.source = await asyncio.to_thread(prepare_source, config, scratch)
        if self.source.path is not None and not self.source.writable:
            self._held = hold_build(Path(self.source.path))
        size = 1 if config.allow_update else config.workers
        lanes = bool(config.short_workers) and not config.allow_update  # a writable store has one worker only
        self.long = WorkerPool(
            self.source,
            size,
            timeout=config.timeout,
            max_memory=config.max_memory,
            name="query",
            nice=LONG_LANE_NICE if lanes else 0,  # slow queries yield the processors to short ones
        )
        # one address holds at most half of the long lane, so that slow queries of one cannot take it all
        self._long_queue = FairQueue(size, per_client=max(1, size // 2))
        pools = [self.long]
        if lanes:
            self.short = WorkerPool(
                self.source,
                config.short_workers,
                timeout=config.short_timeout,
                max_memory=config.max_memory,
                name="short-query",
                spares=1,  # a short worker stopped for running too long is replaced at once
            )
            pools.append(self.short)
            self._short_queue = FairQueue(config.short_workers, per_kind={_TRIAL: max(1, config.short_workers - 1)})
        if config.allow_update:
            # A write is parsed first by a worker of its own (an empty store in memory): a document that
            # kills it or runs out of time costs the readers' worker nothing.
            empty = scratch / "empty.nq"
            empty.write_bytes(b"")
            self.parser = WorkerPool(
                StoreSource(nquads=str(empty), project_root=self.source.project_root),
                1,
                timeout=config.timeout,
                max_memory=config.max_memory,
                name="write-parsing",
            )
            pools.append(self.parser)
        try:
            await asyncio.gather(*(pool.start() for pool in pools))
        except BaseException:
            await self.close()
            raise
        self.started = True
        self._record_build(self.source)

    def _record_build(self, source: StoreSource) -> None:
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
        if self.build is None or not self.started:
            return None
        tag = f"{self.build.tag}|{self.writes}|{self.paths.edits_stamp()}"
        return BuildValidator(tag, self.build.modified)

    async def close(self) -> None:
        for pool in (self.short, self.long, self.parser):
            if pool is not None:
                await pool.close()
        self.short = self.long = self.parser = None
        if self._held is not None:
            os.close(self._held)
            self._held = None
        self.started = False

    # -- answering

    async def run(
        self, op: Operation, *, request: Request | None = None, cache: bool = False, timeout: float | None = None
    ) -> Reply:
        """A worker's answer to ``op`` (from the cache when ``cache`` and it was answered before);
        cancelled, and its worker replaced, if the client of ``request`` disconnects first.

        Raises:
            HTTPException: 503 when no worker answered in time or none is running, 500 when one died.
        """
        if cache:
            found = self.cache.get(op)
            if found is not None:
                return found
        if self.long is None:
            raise HTTPException(503, "the query workers are not running (a mounted server needs its lifespan)")
        answer = self._dispatch(op, _client(request), self.config.timeout if timeout is None else timeout)
        try:
            reply = await (answer if request is None else _unless_disconnected(answer, request))
        except WorkerError as error:
            headers = {"Retry-After": "5"} if error.status == 503 else None
            raise HTTPException(error.status, str(error), headers) from None
        except _ClientGone:
            raise HTTPException(499, "the client closed the connection") from None
        if isinstance(op, WRITES):
            self.cache.clear()
            self.writes += 1  # the validators change with the data
            if self.build is not None:
                self.build = BuildValidator(self.build.tag, time.time())
        elif cache and reply.status == 200:
            self.cache.put(op, reply)
        return reply

    async def _dispatch(self, op: Operation, client: str, timeout: float) -> Reply:
        assert self.long is not None and self._long_queue is not None
        deadline = time.monotonic() + timeout
        if self.parser is not None and isinstance(op, GraphWrite) and op.method != "DELETE":
            # the parsing worker replaces its one scratch graph each time: its memory holds one document
            trial = replace(op, method="PUT", graph=_PARSED_GRAPH)
            try:
                parsed = await self.parser.run(trial, timeout=timeout)
            except WorkerError as error:
                raise type(error)(f"the graph was refused while it was parsed: {error}") from None
            if parsed.status >= 400:
                return parsed  # the parser's refusal (400, 415): the store never saw the document
        short, queue = self.short, self._short_queue
        # A client's own SPARQL takes at most all but one short worker: pages and named queries always have one.
        kind = _TRIAL if isinstance(op, SparqlQuery) else ""
        if (
            short is not None
            and queue is not None
            and not isinstance(op, (Export, *WRITES))
            and _key(op) not in self._slow_ops
            # a long worker this client may have now beats waiting for a short one; waiting for a long one
            # (behind slow queries, maybe its own address's) never beats waiting for a short one
            and (queue.can_start(client, kind) or not self._long_queue.can_start(client))
        ):
            try:
                return await self._run_on(short, queue, op, client, kind, deadline, timeout, self.config.short_timeout)
            except WorkerTimeout:
                if time.monotonic() >= deadline:
                    raise
                self._remember_slow(op)  # it used more than the short lane's time: the long lane, now and next time
            except _KnownSlow:
                pass  # the same request overran the short lane while this one waited for its turn there
        try:
            return await self._run_on(self.long, self._long_queue, op, client, "", deadline, timeout, None)
        except WorkerTimeout:
            self._remember_slow(op)
            raise

    async def _run_on(
        self,
        pool: WorkerPool,
        queue: FairQueue,
        op: Operation,
        client: str,
        kind: str,
        deadline: float,
        timeout: float,
        max_cpu: float | None,
    ) -> Reply:
        """``op`` answered on ``pool`` once ``client``'s fair turn comes, charged the worker time it took."""
        try:
            await queue.acquire(client, deadline, kind)
        except TimeoutError:
            if queue.running(client) >= queue.per_client:  # its own requests hold its share
                raise WorkerBusy(
                    f"your other queries held this address's share of the query workers ({queue.per_client}) "
                    f"for {timeout:g} s; wait for them to finish"
                ) from None
            raise WorkerBusy(f"every query worker stayed busy for {timeout:g} s; try again later") from None
        if max_cpu is not None and _key(op) in self._slow_ops:
            queue.release(client, 0.0, kind)
            raise _KnownSlow
        cpu: CpuLimit | None = max_cpu
        if max_cpu is not None and kind == _TRIAL:  # while others' new queries wait for this place, share its time
            cpu = lambda: max(_SHORTEST_TRIAL, max_cpu / (1 + queue.waiting_for(kind)))  # noqa: E731
        started = time.monotonic()
        try:
            return await pool.run(op, timeout=deadline - started, limit=timeout, max_cpu=cpu)
        finally:
            queue.release(client, time.monotonic() - started, kind)

    def _remember_slow(self, op: Operation) -> None:
        """Send ``op`` straight to the long lane when it is asked again (its measured cost, whoever asks)."""
        key = _key(op)
        self._slow_ops[key] = None
        self._slow_ops.move_to_end(key)
        while len(self._slow_ops) > _SLOW_OPS_KEPT:
            self._slow_ops.popitem(last=False)

    # -- health

    def health(self) -> tuple[bool, dict[str, Any]]:
        """Whether the server can answer queries, and what it knows about itself (reasons when not)."""
        reasons: list[str] = []
        lanes: dict[str, Any] = {}
        for name, pool in (("long", self.long), ("short", self.short), ("write-parsing", self.parser)):
            if pool is None:
                continue
            pool.reap()
            lanes[name] = {
                "running": pool.alive,
                "size": pool.size,
                "restarts": pool.restarts,
                "last_error": pool.last_error,
                "pids": sorted(pool.pids()),
            }
            if pool.alive == 0:
                reasons.append(
                    f"no {pool.name} worker is running" + (f": {pool.last_error}" if pool.last_error else " (starting)")
                )
        if self.long is None:
            reasons.append("the query workers are not running")
        info: dict[str, Any] = {
            "status": "ok" if not reasons else "unhealthy",
            "reasons": reasons,
            "workers": lanes,
            "cache": {"entries": len(self.cache), "bytes": self.cache.size, "max_bytes": self.cache.max_bytes},
            "queues": {name: {"free": queue.free, "waiting": queue.waiting} for name, queue in self.queues.items()},
            "slow_requests_remembered": len(self._slow_ops),
        }
        if self.source is not None and self.source.path is not None:
            store = Path(self.source.path)
            info["store"] = str(store)
            if not store.is_dir():
                reasons.append(f"the store the server serves is gone: {store}")
                info["status"] = "unhealthy"
            info.update(_builds(self.config, store))
        return not reasons, info


def _builds(config: ServerConfig, served: Path) -> dict[str, Any]:
    """The build served and, if ``kgtool build`` made a newer one since, that one (served after a restart)."""
    from ..build import BUILD_INFO

    out: dict[str, Any] = {}
    try:
        out["build"] = json.loads((served.parent / BUILD_INFO).read_text(encoding="utf-8")).get("digest")
    except (OSError, ValueError):
        return out
    # A build is <home>/stores/<build>/oxigraph, and <home>/store links to the current one.
    link = (
        config.store_path()
        if config.store is None or isinstance(config.store, (str, Path))
        else served.parents[2] / "store"
    )
    try:
        current = link.resolve()
    except OSError:
        return out
    if current != served.resolve():
        out["newer_build"] = str(current)
    return out


def _key(op: Operation) -> int:
    """What a request is remembered by (a hash: the text of a query may be a megabyte)."""
    return hash(op)


def _client(request: Request | None) -> str:
    """Who is asking: the client's address (behind a proxy, every client is the proxy)."""
    if request is None or request.client is None:
        return "local"
    return request.client.host


async def _unless_disconnected(answer: Awaitable[Reply], request: Request) -> Reply:
    """``answer``, unless the client disconnects first (then the answer is cancelled)."""
    task = asyncio.ensure_future(answer)
    watch = asyncio.ensure_future(_disconnected(request))
    try:
        done, _ = await asyncio.wait({task, watch}, return_when=asyncio.FIRST_COMPLETED)
    except BaseException:  # this request was cancelled itself (the server is stopping)
        task.cancel()
        watch.cancel()
        raise
    watch.cancel()
    if task in done:
        return task.result()
    task.cancel()  # the worker running it is replaced (see WorkerPool.run)
    await asyncio.gather(task, return_exceptions=True)
    raise _ClientGone


async def _disconnected(request: Request) -> None:
    """Return when the client has closed its connection (the request body must have been read)."""
    receive = request.receive
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return


def server_state(request: Request) -> ServerState:
    """The state of the server answering ``request``."""
    state: ServerState = request.app.state.kg
    return state
