"""Run query engines where no network connection can be opened: the second line of the query guard.

The first line (:func:`kgtool.sparql.check_query`) refuses ``SERVICE`` and ``LOAD`` in the parsed
query. This module makes sure that a bug in that line alone still cannot open a connection: every
engine call on a query (rdflib's evaluator, and pyoxigraph, which performs HTTP itself in Rust) runs in
a thread of a small pool in which the kernel refuses to create Internet sockets (``socket(AF_INET)``
and ``socket(AF_INET6)`` fail with ``EACCES``), by a seccomp filter installed on that thread only. The
rest of the process (the server's own socket, the remote endpoint store, a user's program) is not
affected, and threads the engine starts inherit the filter.

The pool's threads also have a large stack, so that a deeply nested query that passed the nesting
limit cannot overflow the stack of a recursive parser.

Where seccomp is not available (not Linux, an unknown architecture, a kernel or container that
refuses it), the engine runs in the calling thread and a warning is logged once: then the parsed
check is the only line.
"""

from __future__ import annotations

import ctypes
import os
import queue
import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["run_without_network", "network_denied", "sandbox_available", "SandboxUnavailable"]

T = TypeVar("T")

_STACK_SIZE = 256 * 1024 * 1024  # virtual: only the pages touched are used
_POOL_SIZE = max(2, min(8, (os.cpu_count() or 2) * 2))

# struct seccomp_data: int nr; u32 arch; u64 instruction_pointer; u64 args[6]
_NR, _ARCH, _ARG0 = 0, 4, 16
_BPF_LD_W_ABS, _BPF_JEQ_K, _BPF_RET_K = 0x20, 0x15, 0x06
_SECCOMP_RET_ALLOW, _SECCOMP_RET_ERRNO, _EACCES = 0x7FFF0000, 0x00050000, 13
_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2
_AF_INET, _AF_INET6 = 2, 10
#: (audit architecture, number of the socket syscall) by machine.
_ARCHITECTURES = {
    "x86_64": (0xC000003E, 41),
    "amd64": (0xC000003E, 41),
    "aarch64": (0xC00000B7, 198),
    "arm64": (0xC00000B7, 198),
}


class SandboxUnavailable(OSError):
    """Engine calls cannot be run with the network denied on this machine."""


class _SockFilter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint32)]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_SockFilter))]


def _deny_internet_sockets() -> None:
    """Install, on the calling thread only, a seccomp filter that makes ``socket(AF_INET*)`` fail.

    Raises:
        OSError: seccomp is not available here.
    """
    if not sys.platform.startswith("linux"):
        raise OSError("seccomp needs Linux")
    machine = os.uname().machine  # what platform.machine() gives on Linux, without importing platform
    arch = _ARCHITECTURES.get(machine.lower())
    if arch is None:
        raise OSError(f"no seccomp filter for the {machine} architecture")
    audit_arch, socket_nr = arch
    program = [
        (_BPF_LD_W_ABS, 0, 0, _ARCH),
        (_BPF_JEQ_K, 0, 5, audit_arch),  # another ABI: allow (the filter is for this one)
        (_BPF_LD_W_ABS, 0, 0, _NR),
        (_BPF_JEQ_K, 0, 3, socket_nr),
        (_BPF_LD_W_ABS, 0, 0, _ARG0),  # the address family (low 32 bits of the first argument)
        (_BPF_JEQ_K, 2, 0, _AF_INET),
        (_BPF_JEQ_K, 1, 0, _AF_INET6),
        (_BPF_RET_K, 0, 0, _SECCOMP_RET_ALLOW),
        (_BPF_RET_K, 0, 0, _SECCOMP_RET_ERRNO | _EACCES),
    ]
    filters = (_SockFilter * len(program))(*(_SockFilter(*ins) for ins in program))
    fprog = _SockFprog(len(program), filters)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"prctl(PR_SET_NO_NEW_PRIVS): {os.strerror(errno)}")
    if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"prctl(PR_SET_SECCOMP): {os.strerror(errno)}")


class _Pool:
    """Daemon threads, each with the filter installed, taking calls from one queue."""

    def __init__(self) -> None:
        self.calls: queue.SimpleQueue[tuple[Callable[[], Any], _Call]] = queue.SimpleQueue()
        self.threads: list[threading.Thread] = []
        self.idle = 0
        self.lock = threading.Lock()
        self.error: SandboxUnavailable | None = None

    def submit(self, fn: Callable[[], T]) -> T:
        call = _Call()
        with self.lock:
            if self.error is not None:
                raise self.error
            if self.idle == 0 and len(self.threads) < _POOL_SIZE:
                self._start()
                if self.error is not None:
                    raise self.error
            else:
                self.idle = max(0, self.idle - 1)
        self.calls.put((fn, call))
        return call.result()

    def _start(self) -> None:
        ready = threading.Event()
        old = threading.stack_size()
        try:
            threading.stack_size(_STACK_SIZE)
            thread = threading.Thread(target=self._serve, args=(ready,), name="kgtool-no-network", daemon=True)
            thread.start()
        finally:
            threading.stack_size(old)
        ready.wait()
        if self.error is None:
            self.threads.append(thread)

    def _serve(self, ready: threading.Event) -> None:
        try:
            _deny_internet_sockets()
        except OSError as error:
            self.error = SandboxUnavailable(str(error))
            ready.set()
            return
        _local.sandboxed = True
        ready.set()
        while True:
            fn, call = self.calls.get()
            try:
                call.value = fn()
            except BaseException as error:  # noqa: BLE001 - handed to the caller, who re-raises it
                _drop_locals(error)
                call.error = error
            call.done.release()
            with self.lock:
                self.idle += 1


def _drop_locals(error: BaseException | None) -> None:
    """Release the locals of the frames an exception went through, here in the thread that made them:
    pyoxigraph's result objects must not be dropped in another thread."""
    import traceback  # only for errors: every query runs through here

    while error is not None:
        traceback.clear_frames(error.__traceback__)
        error = error.__cause__ or error.__context__


class _Call:
    def __init__(self) -> None:
        # held until the call is done: a bare lock is the cheapest hand-over (an Event is a Condition and two
        # locks), and every query of the library goes through here
        self.done = threading.Lock()
        self.done.acquire()
        self.value: Any = None
        self.error: BaseException | None = None

    def result(self) -> Any:
        self.done.acquire()
        if self.error is not None:
            raise self.error.with_traceback(self.error.__traceback__)
        return self.value


_local = threading.local()
_pool = _Pool()
_warned = False


def _reset_after_fork() -> None:
    global _pool
    _pool = _Pool()  # the child has none of the parent's threads


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_after_fork)


def network_denied() -> bool:
    """Whether the calling thread is one where Internet sockets cannot be created."""
    return bool(getattr(_local, "sandboxed", False))


def sandbox_available() -> bool:
    """Whether engine calls run with the network denied here (seccomp works on this machine)."""
    try:
        _pool.submit(lambda: None)
    except SandboxUnavailable:
        return False
    return True


def run_without_network(fn: Callable[[], T]) -> T:
    """``fn()``, run in a thread that cannot open network connections; its result or exception.

    Called from such a thread already, it runs ``fn`` there. Where the sandbox is not available, ``fn``
    runs in the calling thread (a warning is logged once).
    """
    global _warned
    if network_denied():
        return fn()
    try:
        return _pool.submit(fn)
    except SandboxUnavailable as error:
        if not _warned:
            _warned = True
            import logging  # only for this warning: every query runs through here

            logging.getLogger(__name__).warning(
                "kgtool: cannot deny network access to query engines here (%s); "
                "SERVICE and LOAD are still refused by the parsed-query check",
                error,
            )
        return fn()
