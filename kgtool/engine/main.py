"""A worker process (``python -P -c "from kgtool.engine.main import main; main()" ...``, started by
:class:`~kgtool.workers.pool.WorkerPool`): :func:`main` ties its life to the server's, then :func:`worker_main`
opens the store and answers requests with the :class:`~kgtool.engine.handlers.Engine` until told to stop."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import traceback
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING

from ..workers.requests import StoreSource, text_reply

if TYPE_CHECKING:
    from .handlers import Engine

__all__ = ["main", "worker_main"]


def _die_with_parent(parent: int, death_pipe: int) -> None:
    """Make this worker exit when the server process dies, however it dies (even ``kill -9``).

    Two independent ways: the kernel sends SIGKILL when the parent dies (``PR_SET_PDEATHSIG``, Linux),
    and a thread waiting on a pipe whose only writer is the server exits the process when it reads EOF.
    """
    import ctypes
    import ctypes.util
    import threading

    with contextlib.suppress(Exception):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG = 1
    if os.getppid() != parent:  # the server died before the line above took effect
        os._exit(1)

    def watch() -> None:
        while True:
            try:
                if not os.read(death_pipe, 1):
                    break
            except InterruptedError:
                continue
            except OSError:
                break
        os._exit(1)

    threading.Thread(target=watch, name="kgtool-parent-watch", daemon=True).start()


def main() -> None:
    """The entry point of a worker process: ``python -c ... FD PARENT PIPE NICE`` (FD: its end of the socket
    pair; PARENT: the server's process id; PIPE: the read end of the pipe that closes when the server dies;
    NICE: how much lower its CPU priority is)."""
    conn = Connection(int(sys.argv[1]))
    _die_with_parent(int(sys.argv[2]), int(sys.argv[3]))
    if int(sys.argv[4]):
        os.nice(int(sys.argv[4]))
    worker_main(conn, conn.recv())


def worker_main(conn: Connection, source: StoreSource) -> None:
    """The loop of a worker process: open the store once, then answer requests until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server shuts its workers down itself
    from .handlers import Engine  # once the worker dies with the server

    try:
        engine = Engine(source)
    except Exception as error:  # reported to the server, which refuses to start
        conn.send(("failed", f"{type(error).__name__}: {error}"))
        return
    conn.send(("ready", None))
    from ..sandbox import run_without_network
    from ..sparql import load_allowed

    if source.writable and load_allowed():  # an allowed LOAD needs the network: each query is sandboxed alone
        _answer(conn, engine)
    else:  # the whole loop where no network connection can be opened: no hand-over to that thread per query
        run_without_network(lambda: _answer(conn, engine))


def _answer(conn: Connection, engine: Engine) -> None:
    """Answer requests until told to stop (``None``) or the server is gone."""
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        try:
            reply = engine.handle(message)
        except Exception:  # never a stack trace to the client; the server log has it
            traceback.print_exc()
            reply = text_reply(500, "internal error while answering the request")
        try:
            conn.send(reply)
        except (BrokenPipeError, OSError):
            return
