"""The HTTP/1.1 protocol ``kgtool serve`` runs uvicorn with: uvicorn's h11 protocol, except that a request
line or headers too long to read are answered ``414 URI Too Long`` or ``431 Request Header Fields Too
Large`` and the connection is closed gracefully, not with a reset.

A GET query lives in the URL. uvicorn reads a request's head into a buffer of bounded size and, when it
overflows, answers a bare 400 and closes the socket while the client is still sending, which the
client sees as a connection reset and no answer at all. Here the buffer holds any URL up to the server's
body limit (so that the application itself answers 414 beyond it, with its own message), and beyond the
buffer the protocol answers 414 (or 431 for headers), stops writing and keeps reading and discarding
what the client still sends for a moment before closing, so that the client reads the answer.
"""

from __future__ import annotations

import asyncio
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = ["LimitedH11Protocol", "head_limit", "LINGER_SECONDS"]

#: How long a connection that was refused keeps reading (and discarding) before it is closed.
LINGER_SECONDS = 2.0
#: Room for the request line's method and version, and for the headers, beyond the URL limit.
_HEAD_ROOM = 64 * 1024


def head_limit(max_url: int) -> int:
    """The size of the buffer a request's head is read into, for URLs up to ``max_url`` bytes."""
    return max_url + _HEAD_ROOM


class LimitedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with 414/431 answers and a lingering close for oversized request heads."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._oversized = False
        self._draining = False
        next_event = self.conn.next_event

        def checked_next_event() -> Any:
            try:
                return next_event()
            except h11.RemoteProtocolError as error:
                self._oversized = error.error_status_hint == 431  # h11: "Receive buffer too long"
                raise

        self.conn.next_event = checked_next_event  # type: ignore[method-assign]

    def data_received(self, data: bytes) -> None:
        if self._draining:
            return  # the answer is sent: what the client still sends is read and dropped
        super().data_received(data)

    def send_400_response(self, msg: str) -> None:
        if not self._oversized:
            super().send_400_response(msg)
            return
        head = self.conn.trailing_data[0]
        in_request_line = b"\r\n" not in head and b"\n" not in head
        status, reason = (414, b"URI Too Long") if in_request_line else (431, b"Request Header Fields Too Large")
        message = (
            "the URL is too long: send the query with POST\n"
            if status == 414
            else "the request's headers are too large\n"
        ).encode("ascii")
        self.logger.warning("refused a request whose %s is too long (%d)", "URL" if status == 414 else "head", status)
        response = (
            f"HTTP/1.1 {status} ".encode("ascii") + reason + b"\r\ncontent-type: text/plain; charset=utf-8"
            b"\r\nconnection: close\r\ncontent-length: " + str(len(message)).encode("ascii") + b"\r\n\r\n" + message
        )
        self.transport.write(response)
        self._draining = True
        if self.transport.can_write_eof():
            self.transport.write_eof()
        asyncio.get_running_loop().call_later(LINGER_SECONDS, self.transport.close)
