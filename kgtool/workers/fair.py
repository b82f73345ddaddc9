"""Fair shares of a lane of workers: :class:`FairQueue` hands its places (one per worker) to waiting
requests client by client, so that no client waits behind more than its share of the others' work.

When a place frees, it goes to the waiting request whose client has the fewest requests running in the
lane, then the least worker time used recently (seconds, halved every :attr:`FairQueue.half_life`), then
the one that came first: a client that sends few or fast requests goes ahead of one that keeps the lane
busy, whoever else shares its address. Clients whose recent worker time differs by less than
:attr:`FairQueue.tolerance` count as equal and are served in the order their requests came: a client
that happened to draw a few of the costlier ordinary queries is not sent behind every other client's
next requests (which made first-come waits of a few tens of milliseconds into waits of seconds), while
one whose queries keep a worker busy for seconds still waits behind the others. A client (``per_client``) or
a kind of request (``per_kind``) may be held to fewer places than the lane has; nothing else is refused,
and a request waits at most until its own deadline.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass, field

__all__ = ["FairQueue"]


@dataclass(eq=False)
class _Waiter:
    client: str
    kind: str
    order: int
    granted: asyncio.Future[None] = field(repr=False)


class FairQueue:
    """``capacity`` places, each held by one request while it runs on a worker of the lane.

    Args:
        capacity: the places (the lane's workers).
        per_client: the most places one client holds at once (default: all).
        per_kind: the most places the requests of each named kind hold at once (default: all).
        half_life: seconds after which a client's recorded worker time counts half.
        tolerance: seconds of recent worker time within which clients count as equal (first come, first
            served among them).
    """

    #: Forget clients that hold nothing and used less than this (seconds) once this many are known.
    _FORGET_BELOW, _KNOWN = 0.01, 10_000

    def __init__(
        self,
        capacity: int,
        *,
        per_client: int | None = None,
        per_kind: dict[str, int] | None = None,
        half_life: float = 60.0,
        tolerance: float = 0.5,
    ) -> None:
        if capacity < 1:
            raise ValueError("a fair queue needs at least one place")
        self.capacity = capacity
        self.per_client = per_client or capacity
        self.per_kind = dict(per_kind or {})
        self.half_life = half_life
        self.tolerance = tolerance
        self._waiting: list[_Waiter] = []
        self._held = 0
        self._held_by: dict[str, int] = {}
        self._held_for: dict[str, int] = {}
        self._used: dict[str, tuple[float, float]] = {}  # client: (seconds, when recorded)
        self._order = itertools.count()

    @property
    def free(self) -> int:
        """Places no request holds."""
        return self.capacity - self._held

    @property
    def waiting(self) -> int:
        """Requests waiting for a place."""
        return len(self._waiting)

    def waiting_for(self, kind: str) -> int:
        """Requests of ``kind`` waiting for a place."""
        return sum(1 for w in self._waiting if w.kind == kind)

    def running(self, client: str) -> int:
        """Places ``client`` holds."""
        return self._held_by.get(client, 0)

    def can_start(self, client: str, kind: str = "") -> bool:
        """Whether a request of ``client`` (of ``kind``) would get a place at once: one is free, and neither
        its client nor its kind holds its most already."""
        return self._held < self.capacity and self._allowed(client, kind)

    def used(self, client: str, now: float | None = None) -> float:
        """The worker time ``client`` used recently (seconds, decayed)."""
        seconds, when = self._used.get(client, (0.0, 0.0))
        if not seconds:
            return 0.0
        now = time.monotonic() if now is None else now
        return seconds * 0.5 ** ((now - when) / self.half_life)

    async def acquire(self, client: str, deadline: float, kind: str = "") -> None:
        """Wait for a place for a request of ``client`` (of ``kind``) until ``deadline`` (``time.monotonic``).

        Raises:
            TimeoutError: no place was given by the deadline.
        """
        waiter = _Waiter(client, kind, next(self._order), asyncio.get_running_loop().create_future())
        self._waiting.append(waiter)
        self._grant()
        try:
            await asyncio.wait_for(asyncio.shield(waiter.granted), max(0.0, deadline - time.monotonic()))
        except BaseException:  # timed out or cancelled: give back a place given meanwhile
            if waiter in self._waiting:
                self._waiting.remove(waiter)
            if waiter.granted.done() and not waiter.granted.cancelled():
                self.release(client, 0.0, kind)
            else:
                waiter.granted.cancel()
            raise

    def release(self, client: str, seconds: float, kind: str = "") -> None:
        """Give back a place of ``client`` that its request held for ``seconds`` of worker time."""
        self._held -= 1
        self._count(self._held_by, client, -1)
        self._count(self._held_for, kind, -1)
        now = time.monotonic()
        if seconds > 0:
            self._used[client] = (self.used(client, now) + seconds, now)
        if len(self._used) > self._KNOWN:
            self._used = {
                c: (self.used(c, now), now)
                for c in self._used
                if c in self._held_by or self.used(c, now) >= self._FORGET_BELOW
            }
        self._grant()

    def _allowed(self, client: str, kind: str) -> bool:
        return self._held_by.get(client, 0) < self.per_client and self._held_for.get(kind, 0) < self.per_kind.get(
            kind, self.capacity
        )

    def _grant(self) -> None:
        """Give the free places to the waiting requests, the least served client first."""
        now = time.monotonic()
        while self._held < self.capacity:
            allowed = [w for w in self._waiting if self._allowed(w.client, w.kind)]
            if not allowed:
                return
            fewest = min(self._held_by.get(w.client, 0) for w in allowed)
            least = [w for w in allowed if self._held_by.get(w.client, 0) == fewest]
            used = {w.client: self.used(w.client, now) for w in least}
            within = min(used.values()) + self.tolerance
            chosen = min((w for w in least if used[w.client] <= within), key=lambda w: w.order)
            self._waiting.remove(chosen)
            self._held += 1
            self._count(self._held_by, chosen.client, 1)
            self._count(self._held_for, chosen.kind, 1)
            chosen.granted.set_result(None)

    @staticmethod
    def _count(counts: dict[str, int], key: str, step: int) -> None:
        value = counts.get(key, 0) + step
        if value > 0:
            counts[key] = value
        else:
            counts.pop(key, None)
