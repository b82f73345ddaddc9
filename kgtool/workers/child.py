"""The entry point of a worker process (``python -P -c "from kgtool.workers.child import main; main()" ...``,
started by :class:`~kgtool.workers.pool.WorkerPool`): it ties its life to the server's and runs the engine's
loop (:func:`kgtool.workers.engine.worker_main`)."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from multiprocessing.connection import Connection

__all__ = ["main"]


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
    from .engine import worker_main  # once the worker dies with the server

    worker_main(conn, conn.recv())
