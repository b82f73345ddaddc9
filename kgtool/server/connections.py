"""Connections: how long a client may take to send a request, and how many connections stay open.

uvicorn closes a keep-alive connection that stays idle after an answer, but not one that never sends a
request, nor one that sends its request head a byte at a time, and beyond its concurrency limit it
refuses everyone with 503. So idle sockets could keep every real client out. This HTTP protocol (uvicorn's
h11 protocol with two guards) closes:

- a connection whose request head has not arrived ``header_timeout`` seconds after it could be sent
  (after connecting, or after the previous answer);
- when an address has more than ``max_per_client`` connections open, or the server more than
  ``max_connections``, an *idle* one of them (no request in flight): first those that never sent a
  request and are silent, then those sending a head, then keep-alive connections that were answered
  before, each group oldest first. Idle sockets are shed, never real requests: a connection whose
  request is being answered is never closed, and a new connection is refused (503) only when every
  other one of its address (or of the server) has a request in flight.

How much work an address may have the workers do is the lanes' business (:mod:`kgtool.workers.fair`),
not the sockets'.
"""

from __future__ import annotations

import asyncio
import socket
from typing import TYPE_CHECKING, Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from ..http_protocol import LimitedH11Protocol, head_limit

if TYPE_CHECKING:
    from starlette.types import ASGIApp

    from ..http.config import ServerConfig

__all__ = ["guarded_protocol", "uvicorn_config"]

_REFUSED = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n"
    b"Retry-After: 1\r\nContent-Length: 44\r\n\r\nthe server has too many connections already\n"
)


class _GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a request-head timeout and a connection limit that evicts idle sockets."""

    header_timeout: float = 10.0
    max_connections: int = 256
    max_per_client: int = 64

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._head_timer: asyncio.TimerHandle | None = None
        self._waiting_since: float | None = None
        self._heard = False  # bytes arrived since it began waiting for a request head
        self._seen_cycle: Any = None
        self._answered = 0  # requests answered on this connection (a keep-alive client's)
        self._wait_for_head()
        # connections closed already but not yet gone (a burst of them, under attack) do not count
        live = [c for c in self.connections if isinstance(c, H11Protocol) and not c.transport.is_closing()]
        host = self.client[0] if self.client else None
        if host is not None and self.max_per_client:
            same = [c for c in live if c.client and c.client[0] == host]
            if len(same) > self.max_per_client and not self._make_room(same):
                return
        if len(live) > self.max_connections:
            self._make_room(live)

    def _refuse(self) -> None:
        self._waiting_since = None
        self.transport.write(_REFUSED)
        self.transport.close()

    def data_received(self, data: bytes) -> None:
        if self._waiting_since is not None:
            self._heard = True
        super().data_received(data)

    def _wait_for_head(self) -> None:
        self._waiting_since = self.loop.time()
        self._heard = False
        if self._head_timer is not None:
            self._head_timer.cancel()
        self._head_timer = self.loop.call_later(self.header_timeout, self._head_timed_out)

    def _head_timed_out(self) -> None:
        if self._waiting_since is not None and not self.transport.is_closing():
            self.transport.close()

    def _make_room(self, among: list[Any]) -> bool:
        """Close the idlest connection ``among`` others (see the module's description); refuse this one
        if none is idle. Whether this one stays open."""
        idle = [
            c
            for c in among
            if isinstance(c, _GuardedH11Protocol)
            and c is not self
            and c._waiting_since is not None
            and not c.transport.is_closing()
        ]
        # never-answered silent sockets first, keep-alive clients last; a request on its way has been heard
        for candidate in sorted(idle, key=lambda c: (c._answered > 0, c._heard, c._waiting_since or 0.0)):
            if _unread(candidate.transport):  # its request arrived, but the loop has not read it yet
                candidate._heard = True
                continue
            candidate.transport.close()
            return True
        self._refuse()
        return False

    def handle_events(self) -> None:
        super().handle_events()
        if self.cycle is not None and self.cycle is not self._seen_cycle:  # a request head arrived
            self._seen_cycle = self.cycle
            self._waiting_since = None
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None

    def on_response_complete(self) -> None:
        self._answered += 1
        if not self.transport.is_closing():
            self._wait_for_head()
        super().on_response_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
        self._waiting_since = None
        super().connection_lost(exc)


def _unread(transport: asyncio.BaseTransport) -> bool:
    """Whether bytes have arrived on ``transport``'s socket that the event loop has not read yet (under a
    storm of connections a request can wait there for a while: such a client is not idle)."""
    sock = transport.get_extra_info("socket")
    if sock is None:
        return False
    try:
        with socket.fromfd(sock.fileno(), socket.AF_INET, socket.SOCK_STREAM) as peek:  # a copy of the descriptor
            return bool(peek.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT))
    except OSError:  # nothing to read (BlockingIOError), or the socket is gone
        return False


def guarded_protocol(config: ServerConfig) -> type[asyncio.Protocol]:
    """The HTTP protocol class for uvicorn, with the limits of ``config`` (and, from
    :mod:`kgtool.http_protocol`, 414/431 for request heads too long to read, never a reset)."""
    return type(
        "GuardedH11Protocol",
        (_GuardedH11Protocol, LimitedH11Protocol),
        {
            "header_timeout": config.header_timeout,
            "max_connections": config.max_connections,
            "max_per_client": config.max_per_client,
        },
    )


def uvicorn_config(app: ASGIApp, config: ServerConfig, **options: Any) -> uvicorn.Config:
    """The uvicorn configuration that serves ``app`` with the connection limits of ``config``
    (``options``: more of uvicorn's, such as ``host``, ``port`` or ``log_level``)."""
    return uvicorn.Config(
        app,
        http=guarded_protocol(config),
        timeout_keep_alive=int(max(1, config.keepalive_timeout)),
        limit_concurrency=None,
        h11_max_incomplete_event_size=head_limit(config.max_body),  # a GET query up to the body limit
        **options,
    )
