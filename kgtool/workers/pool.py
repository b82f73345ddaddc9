"""The query workers: a small pool of processes, each holding the store open, so that queries run off the
event loop and a query that runs too long can really be stopped.

pyoxigraph has no query timeout and a thread cannot be killed, so each query runs in a worker process
(a fresh ``python`` running :func:`kgtool.engine.main.main`, talking over a socket pair; it never
re-imports the caller's ``__main__`` as ``multiprocessing``'s spawn would). The server sends it a request
and waits at most the timeout; a worker that has not answered by then is killed and replaced, the request
is answered with an error, and the other workers go on serving. A worker that dies is replaced the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from .requests import Operation, Reply, StoreSource

__all__ = [
    "WorkerPool",
    "WorkerError",
    "WorkerTimeout",
    "WorkerBusy",
    "WorkerMemory",
    "WorkersDown",
    "resident_memory",
]

log = logging.getLogger("kgtool.server")


class WorkerError(Exception):
    """A request could not be answered by a worker; ``status`` is the HTTP status to answer with."""

    status = 500


class WorkerTimeout(WorkerError):
    """The request ran longer than the timeout; its worker was stopped and replaced."""

    status = 503


class WorkerBusy(WorkerError):
    """Every worker stayed busy for longer than the timeout."""

    status = 503


class WorkerMemory(WorkerError):
    """The request made its worker grow beyond the memory limit; the worker was stopped and replaced."""

    status = 503


class WorkersDown(WorkerError):
    """No worker is running, and starting one failed (the reason says why); starts are retried."""

    status = 503


@dataclass(eq=False)
class _Worker:
    process: subprocess.Popen
    conn: Connection
    death_pipe: int  # the write end of the pipe the worker watches: closed when the server dies


#: How often a waiting request checks its worker's memory, in seconds.
_MEMORY_POLL = 0.05
_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def resident_memory(pid: int) -> int | None:
    """The resident memory of process ``pid`` in bytes (``None`` where ``/proc`` cannot tell)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return None


class _OverMemory(Exception):
    """A worker holds more resident memory than its limit."""


#: A limit of processor time in seconds, or a function that says it (asked again at each check).
CpuLimit = float | Callable[[], float]


def _seconds(limit: CpuLimit) -> float:
    return limit() if callable(limit) else limit


def cpu_time(pid: int) -> float | None:
    """The processor time process ``pid`` has used, in seconds (``None`` where ``/proc`` cannot tell)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS
    except (OSError, ValueError, IndexError):
        return None


def _receive(
    conn: Connection,
    timeout: float,
    pid: int | None = None,
    max_memory: int | None = None,
    max_cpu: CpuLimit | None = None,
) -> Any:
    """The worker's answer within ``timeout`` seconds (else :class:`TimeoutError`); :class:`_OverMemory`
    as soon as process ``pid`` holds more than ``max_memory`` bytes; :class:`TimeoutError` too as soon as it
    has used ``max_cpu`` seconds of processor time on this request (its cost, whatever else runs; a
    function is asked again at each check)."""
    if pid is None or (max_memory is None and max_cpu is None):
        if not conn.poll(timeout):
            raise TimeoutError
        return conn.recv()
    deadline = time.monotonic() + timeout
    started = cpu_time(pid) if max_cpu is not None else None
    if max_cpu is not None and started is None:  # no /proc: the wall-clock time is the cost
        deadline = min(deadline, time.monotonic() + _seconds(max_cpu))
    while not conn.poll(min(_MEMORY_POLL, max(0.0, deadline - time.monotonic()))):
        if max_memory is not None:
            size = resident_memory(pid)
            if size is not None and size > max_memory:
                raise _OverMemory(size)
        if started is not None and max_cpu is not None:
            used = cpu_time(pid)
            if used is not None and used - started > _seconds(max_cpu):
                raise TimeoutError
        if time.monotonic() >= deadline:
            raise TimeoutError
    return conn.recv()


def _hung_up(conn: Connection) -> bool:
    """Whether an idle worker's end of the connection was closed (an idle worker never writes, so a
    readable connection means end of file: the worker died)."""
    try:
        return conn.poll(0)
    except OSError:
        return True


class WorkerPool:
    """``size`` worker processes serving requests from an asyncio server, each bounded by ``timeout``
    and, where ``/proc`` tells, by ``max_memory`` bytes of resident memory.

    A worker that dies, runs too long or grows too large is replaced; a replacement that cannot start
    (say, the store is gone) is retried with exponential backoff, and :attr:`last_error` says why.
    """

    #: The first and the longest wait between attempts to start a worker, in seconds.
    BACKOFF = (0.5, 30.0)

    def __init__(
        self,
        source: StoreSource,
        size: int = 2,
        *,
        timeout: float = 30.0,
        start_timeout: float = 120.0,
        max_memory: int | None = None,
        name: str = "query",
        spares: int = 0,
        nice: int = 0,
    ) -> None:
        if size < 1:
            raise ValueError("a pool needs at least one worker")
        self.source = source
        self.size = size
        self.timeout = timeout
        self.start_timeout = start_timeout
        self.max_memory = max_memory
        self.name = name
        self.spares = spares
        self.nice = nice
        self._spares: list[_Worker] = []  # started and ready, put to work when a worker is replaced
        self._executor = ThreadPoolExecutor(
            max_workers=2 * (size + spares) + 2, thread_name_prefix="kgtool-worker-wait"
        )
        self._idle: asyncio.Queue[_Worker] | None = None
        self._workers: set[_Worker] = set()
        self._tasks: set[asyncio.Task] = set()
        self._starting = 0
        self._closed = False
        self.restarts = 0
        #: Why the last attempt to start a worker failed (``None`` once one started).
        self.last_error: str | None = None

    @property
    def alive(self) -> int:
        """How many workers are running."""
        return sum(1 for w in self._workers if w.process.poll() is None)

    @property
    def idle(self) -> int:
        """How many workers are waiting for a request."""
        return self._idle.qsize() if self._idle is not None else 0

    def pids(self) -> list[int]:
        """The process ids of the running workers."""
        return [w.process.pid for w in self._workers]

    def _launch(self) -> tuple[subprocess.Popen, Connection, int]:
        """Start one worker process (from the event loop's thread: the kernel ties the worker's
        death signal to the thread that started it, and that thread lives as long as the server)."""
        ours, theirs = socket.socketpair()
        watch_read, watch_write = os.pipe()  # not inherited by other children (PEP 446)
        env = dict(os.environ)
        package_parent = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_parent, env.get("PYTHONPATH")) if p)
        try:
            process = subprocess.Popen(
                [
                    sys.executable,
                    # not the working directory first on the path: in kgtool/, kgtool/http would hide the stdlib's http
                    "-P",
                    "-c",
                    "from kgtool.engine.main import main; main()",
                    str(theirs.fileno()),
                    str(os.getpid()),
                    str(watch_read),
                    str(self.nice),
                ],
                pass_fds=[theirs.fileno(), watch_read],
                stdin=subprocess.DEVNULL,
                env=env,
            )
        except BaseException:
            os.close(watch_write)
            ours.close()
            raise
        finally:
            theirs.close()
            os.close(watch_read)
        return process, Connection(ours.detach()), watch_write

    def _wait_ready(self, process: subprocess.Popen, conn: Connection, death_pipe: int) -> _Worker:
        """Wait until a started worker has opened the store (blocking: run in a thread)."""
        try:
            conn.send(self.source)
            status, message = _receive(conn, self.start_timeout)
        except (TimeoutError, EOFError, OSError):
            process.kill()
            process.wait()
            conn.close()
            os.close(death_pipe)
            raise WorkerError("a query worker did not start") from None
        if status != "ready":
            process.wait(5)
            conn.close()
            os.close(death_pipe)
            raise WorkerError(f"a query worker could not open the store: {message}")
        return _Worker(process, conn, death_pipe)

    async def _add_worker(self, spare: bool = False) -> None:
        loop = asyncio.get_running_loop()
        self._starting += 1
        try:
            process, conn, death_pipe = self._launch()
            worker = await loop.run_in_executor(self._executor, self._wait_ready, process, conn, death_pipe)
        except WorkerError as error:
            self.last_error = str(error)
            raise
        finally:
            self._starting -= 1
        self.last_error = None
        if self._closed:
            self._stop(worker)
            return
        if spare:
            self._spares.append(worker)
            return
        self._workers.add(worker)
        assert self._idle is not None
        self._idle.put_nowait(worker)

    async def start(self) -> None:
        """Start every worker; raise :class:`WorkerError` if they cannot open the store."""
        self._idle = asyncio.Queue()
        starts = [self._add_worker() for _ in range(self.size)] + [self._add_worker(True) for _ in range(self.spares)]
        results = await asyncio.gather(*starts, return_exceptions=True)
        errors = [r for r in results if isinstance(r, BaseException)]
        if errors:
            await self.close()
            raise errors[0]

    def _stop(self, worker: _Worker) -> None:
        with contextlib.suppress(Exception):
            worker.process.kill()
        with contextlib.suppress(Exception):
            worker.conn.close()
        with contextlib.suppress(Exception):
            worker.process.wait(2)
        if worker.death_pipe >= 0:  # closed once: the number may name another file afterwards
            with contextlib.suppress(OSError):
                os.close(worker.death_pipe)
            worker.death_pipe = -1
        self._workers.discard(worker)

    def _replace(self, worker: _Worker) -> None:
        self._stop(worker)
        if self._closed:
            return
        self.restarts += 1
        spare = None
        while self._spares and spare is None:
            candidate = self._spares.pop()
            if candidate.process.poll() is None:
                spare = candidate
            else:
                self._stop(candidate)
        if spare is not None:  # a spare takes over at once; a new spare starts in the background
            self._workers.add(spare)
            assert self._idle is not None
            self._idle.put_nowait(spare)
        task = asyncio.get_running_loop().create_task(self._respawn(spare=spare is not None))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _respawn(self, spare: bool = False) -> None:
        """Start a replacement (or a new spare), retrying with exponential backoff until one starts or the
        pool closes."""
        delay, longest = self.BACKOFF
        while not self._closed:
            try:
                await self._add_worker(spare)
                return
            except WorkerError as error:
                log.error("cannot replace a %s worker (retrying in %g s): %s", self.name, delay, error)
            await asyncio.sleep(delay)
            delay = min(delay * 2, longest)

    async def run(
        self,
        op: Operation,
        *,
        timeout: float | None = None,
        limit: float | None = None,
        max_cpu: CpuLimit | None = None,
    ) -> Reply:
        """Have a worker answer one request within ``timeout`` seconds (waiting for a worker included),
        letting it use at most ``max_cpu`` seconds of processor time (its cost: a request that waits for
        the processors while others run is not stopped for it; a function is asked again as it runs);
        ``limit``: the time limit the client is
        told of, if not ``timeout``.

        Raises:
            WorkerTimeout: the request took longer than ``timeout`` (the worker is replaced).
            WorkerMemory: the worker grew beyond ``max_memory`` (it is replaced).
            WorkerBusy: no worker was free within the timeout.
            WorkersDown: no worker is running and the last start failed.
            WorkerError: the worker died, or the pool is closed.
        """
        if self._idle is None or self._closed:
            raise WorkerError("the query workers are not running")
        timeout = self.timeout if timeout is None else timeout
        limit = timeout if limit is None else limit
        deadline = time.monotonic() + timeout
        while True:
            worker = await self._take(deadline, limit)
            if worker not in self._workers:  # replaced already (see reap)
                continue
            if worker.process.poll() is not None or _hung_up(worker.conn):
                self._replace(worker)  # died while idle: the request has not started, so try another
                continue
            try:
                worker.conn.send(op)
            except OSError:
                self._replace(worker)
                continue
            break
        loop = asyncio.get_running_loop()
        try:
            remaining = max(0.0, deadline - time.monotonic())
            reply = await loop.run_in_executor(
                self._executor,
                _receive,
                worker.conn,
                remaining,
                worker.process.pid,
                self.max_memory,
                max_cpu,
            )
        except TimeoutError:
            self._replace(worker)
            raise WorkerTimeout(f"the query was cancelled after the time limit of {limit:g} s") from None
        except _OverMemory:
            self._replace(worker)
            limit = (self.max_memory or 0) / (1 << 20)
            raise WorkerMemory(
                f"the query was cancelled: it needed more than the memory limit of {limit:g} MiB"
            ) from None
        except (EOFError, OSError):
            self._replace(worker)
            raise WorkerError("the query worker stopped unexpectedly; it has been replaced") from None
        except BaseException:  # cancelled (say, the client went away): the worker may still be busy, so replace it
            self._replace(worker)
            raise
        self._idle.put_nowait(worker)
        return reply

    async def _take(self, deadline: float, timeout: float) -> _Worker:
        """An idle worker, waiting until ``deadline``; :class:`WorkersDown` as soon as none runs and
        starting one failed."""
        assert self._idle is not None
        while True:
            if not self._workers and self.last_error is not None:
                raise WorkersDown(f"no {self.name} worker is running ({self.last_error}); starting one is retried")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WorkerBusy(f"every query worker stayed busy for {timeout:g} s; try again later")
            try:  # in slices, so that a failed start is noticed while waiting
                return await asyncio.wait_for(self._idle.get(), min(remaining, 0.5))
            except TimeoutError:
                continue

    def reap(self) -> None:
        """Replace the workers that died while idle."""
        for worker in list(self._workers):
            if worker.process.poll() is not None:
                self._replace(worker)

    async def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        for worker in [*self._workers, *self._spares]:
            with contextlib.suppress(Exception):
                worker.conn.send(None)
            self._stop(worker)
        for task in list(self._tasks):
            task.cancel()
        self._executor.shutdown(wait=False, cancel_futures=True)
