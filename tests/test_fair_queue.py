"""The fair queue that hands out a lane's workers (kgtool.workers.fair): who goes first when a worker frees.

Each test plays a lane with asyncio alone (no workers): places are taken and given back by hand, and the
order in which waiting requests get their place is what a client of the server sees.
"""

from __future__ import annotations

import asyncio
import time

import pytest

from kgtool.workers.fair import FairQueue


def _soon(seconds: float = 5.0) -> float:
    return time.monotonic() + seconds


def test_a_client_with_nothing_running_goes_before_one_that_keeps_the_lane_busy() -> None:
    async def scenario() -> list[str]:
        queue = FairQueue(1)
        await queue.acquire("busy", _soon())  # the busy client's first request runs
        order: list[str] = []

        async def request(client: str) -> None:
            await queue.acquire(client, _soon())
            order.append(client)
            queue.release(client, 0.01)

        waiting = [asyncio.create_task(request(c)) for c in ("busy", "busy", "busy", "fast")]
        await asyncio.sleep(0)  # all four are waiting, the fast client's request last
        queue.release("busy", 6.0)
        await asyncio.gather(*waiting)
        return order

    assert asyncio.run(scenario())[0] == "fast"


async def _order_served(queue: FairQueue, used_before: dict[str, float]) -> list[str]:
    """The order in which one request of each client gets the queue's one place: each client used the seconds
    of ``used_before`` first, and their requests wait in that order while another holds the place."""
    for client, seconds in used_before.items():
        await queue.acquire(client, _soon())
        queue.release(client, seconds)
    await queue.acquire("other", _soon())
    order: list[str] = []

    async def request(client: str) -> None:
        await queue.acquire(client, _soon())
        order.append(client)
        queue.release(client, 0.0)

    waiting = [asyncio.create_task(request(c)) for c in used_before]
    await asyncio.sleep(0)  # all are waiting, in the order above
    queue.release("other", 0.0)
    await asyncio.gather(*waiting)
    return order


def test_worker_time_used_recently_decides_between_clients_with_nothing_running() -> None:
    order = asyncio.run(_order_served(FairQueue(1, half_life=60.0), {"heavy": 20.0, "light": 0.5}))
    assert order == ["light", "heavy"]
    queue = FairQueue(1, half_life=10.0)
    queue._used["c"] = (8.0, time.monotonic() - 10.0)  # recorded one half-life ago
    assert queue.used("c") == pytest.approx(4.0, rel=0.01)


def test_clients_within_the_tolerance_are_served_in_the_order_they_came() -> None:
    """A client that drew a costlier ordinary query (0.2 s more than the others) is not sent behind every
    other client's next request: within half a second of worker time, first come, first served."""
    used = {"drew-a-costly-one": 0.25, "light": 0.05}  # the costlier client's request comes first
    assert asyncio.run(_order_served(FairQueue(1, tolerance=0.5), used)) == ["drew-a-costly-one", "light"]
    # beyond the tolerance: the lighter first
    assert asyncio.run(_order_served(FairQueue(1, tolerance=0.1), used)) == ["light", "drew-a-costly-one"]


def test_one_client_holds_at_most_its_share_and_others_get_the_rest() -> None:
    async def scenario() -> tuple[int, int]:
        queue = FairQueue(4, per_client=2)
        await queue.acquire("a", _soon())
        await queue.acquire("a", _soon())
        third = asyncio.create_task(queue.acquire("a", _soon(0.2)))
        await queue.acquire("b", _soon(0.2))  # served at once: places are free for others
        with pytest.raises(TimeoutError):
            await third
        return queue.running("a"), queue.free

    assert asyncio.run(scenario()) == (2, 1)


def test_a_kind_of_request_can_be_kept_off_the_last_place() -> None:
    async def scenario() -> bool:
        queue = FairQueue(2, per_kind={"sparql": 1})
        await queue.acquire("a", _soon(), "sparql")
        second = asyncio.create_task(queue.acquire("b", _soon(0.2), "sparql"))
        await queue.acquire("c", _soon(0.2))  # a page still gets the last place
        with pytest.raises(TimeoutError):
            await second
        queue.release("a", 1.0, "sparql")
        await queue.acquire("b", _soon(0.2), "sparql")  # given once a SPARQL place is back
        return queue.free == 0

    assert asyncio.run(scenario())


def test_a_request_that_gives_up_leaves_no_place_taken() -> None:
    async def scenario() -> int:
        queue = FairQueue(1)
        await queue.acquire("a", _soon())
        gone = asyncio.create_task(queue.acquire("b", _soon()))
        await asyncio.sleep(0)
        gone.cancel()  # its client went away while it waited
        with pytest.raises(asyncio.CancelledError):
            await gone
        queue.release("a", 0.0)
        return queue.free

    assert asyncio.run(scenario()) == 1
    with pytest.raises(ValueError):
        FairQueue(0)


def test_the_queue_counts_the_waiting_requests_of_each_kind() -> None:
    async def scenario() -> tuple[int, int, int]:
        queue = FairQueue(1)
        await queue.acquire("a", _soon(), "sparql")
        waiting = [
            asyncio.create_task(queue.acquire(c, _soon(), k)) for c, k in (("b", "sparql"), ("c", "sparql"), ("d", ""))
        ]
        await asyncio.sleep(0)
        counts = queue.waiting_for("sparql"), queue.waiting_for(""), queue.waiting
        for task in waiting:
            task.cancel()
        await asyncio.gather(*waiting, return_exceptions=True)
        return counts

    assert asyncio.run(scenario()) == (2, 1, 3)


def test_the_queue_says_whether_a_request_would_start_at_once() -> None:
    async def scenario() -> list[bool]:
        queue = FairQueue(3, per_client=2, per_kind={"sparql": 1})
        await queue.acquire("a", _soon(), "sparql")
        seen = [queue.can_start("b", "sparql"), queue.can_start("a"), queue.can_start("b")]  # kind full; free
        await queue.acquire("a", _soon())
        seen.append(queue.can_start("a"))  # a holds its share
        await queue.acquire("b", _soon())
        seen.append(queue.can_start("c"))  # no place free
        return seen

    assert asyncio.run(scenario()) == [False, True, True, False, False]
