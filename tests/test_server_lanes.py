"""Which lane's queue a request waits in, and as which client: the server's fair queues
(kgtool.workers.fair.FairQueue, one per lane) seen from the requests of real clients.

The application runs in this process (its lifespan starts real workers); each client is an address of its
own (httpx's ASGI transport gives the request that address, as uvicorn would). Places of a lane are held
by hand, as a running request would hold them, so what waits where is decided by the queues alone, not by
timing: every wait below is bounded, and a request that waited in the wrong queue would not be answered
until its time limit.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

from kgtool.http.state import ServerState
from kgtool.server import ServerConfig, create_app
from kgtool.workers.fair import FairQueue

HTML = {"Accept": "text/html"}
CSV = {"Accept": "text/csv"}
RESULTS = {"Accept": "application/sparql-results+json"}
#: Long enough for any request here to be answered on a loaded machine, far below the time limit.
WAIT = 20.0


def _serve(
    built_home: Path, scenario: Callable[[ServerState, Callable[[str], httpx.AsyncClient]], Awaitable[None]]
) -> None:
    """Run ``scenario(state, client_from)`` against the application with two long and two short workers, a
    time limit of 60 s (a request left waiting in the wrong queue fails the test, it does not get a 503)."""
    app = create_app(ServerConfig(home=built_home, workers=2, short_workers=2, timeout=60))

    def client_from(address: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(address, 50_000))
        return httpx.AsyncClient(transport=transport, base_url="http://kg.test", timeout=WAIT)

    async def run() -> None:
        async with app.router.lifespan_context(app):
            await asyncio.wait_for(scenario(app.state.kg, client_from), 3 * WAIT)

    asyncio.run(run())


async def _until(condition: Callable[[], bool]) -> None:
    """Wait (at most ``WAIT`` seconds) until ``condition()`` holds."""
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, "the requests never got where they were expected"
        await asyncio.sleep(0.01)


async def _hold(queue: FairQueue, client: str, places: int, kind: str = "") -> None:
    """Take ``places`` places of ``queue`` for ``client``, as its running requests would."""
    for _ in range(places):
        await queue.acquire(client, time.monotonic() + WAIT, kind)


def test_page_requests_of_two_clients_are_queued_as_two_clients(built_home: Path) -> None:
    """Pages wait for their turn as their own client's requests, not as one client of the server: a reader
    who opens one page goes before a second page of another reader who has already had one."""

    async def scenario(state: ServerState, client_from: Callable[[str], httpx.AsyncClient]) -> None:
        short, long = state.queues["short"], state.queues["long"]
        await _hold(long, "someone", 1)  # the long lane is full: one place each, as two addresses' slow queries
        await _hold(long, "someone else", 1)
        await _hold(short, "holder", 2)  # so is the short lane
        short.tolerance = 0.0  # the recent worker time decides, however little (a page's few milliseconds)
        granted: list[str] = []
        acquire = short.acquire

        async def recording(client: str, deadline: float, kind: str = "") -> None:
            await acquire(client, deadline, kind)
            granted.append(client)

        short.acquire = recording  # type: ignore[method-assign]
        async with client_from("127.0.0.5") as busy, client_from("127.0.0.6") as reader:
            pages = [busy.get(f"/cluster/{slug}", headers=HTML) for slug in ("robotics", "synthetic-biology")]
            waiting = [asyncio.ensure_future(page) for page in pages]
            await _until(lambda: short.waiting == 2)
            waiting.append(asyncio.ensure_future(reader.get("/cluster/artificial-intelligence", headers=HTML)))
            await _until(lambda: short.waiting == 3)
            short.release("holder", 0.0)  # one place frees: the pages run one after another on it
            answers = await asyncio.gather(*waiting)
            short.release("holder", 0.0)
        assert [answer.status_code for answer in answers] == [200, 200, 200]
        # the first come goes first; then the reader who has had nothing, before the busy reader's second page
        assert granted == ["127.0.0.5", "127.0.0.6", "127.0.0.5"]
        assert short.used("127.0.0.5") > 0 and short.used("127.0.0.6") > 0 and short.used("local") == 0
        assert long.waiting == 0  # nothing waited behind the long lane's slow queries

    _serve(built_home, scenario)


def test_a_request_waits_for_a_short_worker_not_behind_its_own_addresss_slow_query(built_home: Path) -> None:
    """An address whose slow query holds its share of the long lane (one of two places) asks for a named
    query while both short workers are busy: it waits for a short worker (each bounded by its short time),
    not for the long lane's free place, which its own slow query keeps it from (once, it waited there for
    the slow query's whole time limit)."""

    async def scenario(state: ServerState, client_from: Callable[[str], httpx.AsyncClient]) -> None:
        short, long = state.queues["short"], state.queues["long"]
        await _hold(long, "127.0.0.7", 1)  # its slow query runs on the long lane
        await _hold(short, "holder", 2)
        async with client_from("127.0.0.7") as client:
            answer = asyncio.ensure_future(client.get("/queries/counts", headers=CSV))
            await _until(lambda: short.waiting == 1)
            assert long.waiting == 0 and long.free == 1
            short.release("holder", 0.0)
            assert (await answer).status_code == 200
        short.release("holder", 0.0)

    _serve(built_home, scenario)


def test_a_query_that_must_wait_for_a_short_worker_takes_a_free_long_one(built_home: Path) -> None:
    """A client's own SPARQL query may take all short workers but one (pages keep the last); while others'
    queries hold those, it runs at once on a long worker its address may have, instead of waiting."""

    async def scenario(state: ServerState, client_from: Callable[[str], httpx.AsyncClient]) -> None:
        short = state.queues["short"]
        await _hold(short, "holder", 1, "sparql")  # another client's query holds the one place for queries
        assert short.free == 1 and not short.can_start("127.0.0.8", "sparql")
        async with client_from("127.0.0.8") as client:
            answer = await client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers=RESULTS)
        assert answer.status_code == 200 and answer.json()["boolean"] is True
        assert short.free == 1  # still held: it was answered by the long lane
        short.release("holder", 0.0, "sparql")

    _serve(built_home, scenario)
