"""Fair to every client: a client that sends fast requests is answered while others (on its own address
or on others) loop slow queries or hold idle sockets, and nobody is refused for what others sent.

All servers listen on 127.0.0.1; clients use other loopback addresses (127.0.0.x) to be other clients.
Each test is bounded in time (seconds) and in connections and requests.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import sys
import time
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from server_fixtures import running_server  # noqa: E402

from kgtool.server import ServerConfig  # noqa: E402

pytestmark = pytest.mark.load

#: Runs for ever (a four-way cross product of the store); the server stops it at its time limit.
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
CSV = {"Accept": "text/csv"}


async def _loop_slow(url: str, address: str, stop: float, unique: bool = False) -> list[int]:
    """Loop the endless query from ``address`` until ``stop``; the statuses it got."""
    statuses = []
    transport = httpx.AsyncHTTPTransport(local_address=address)
    async with httpx.AsyncClient(base_url=url, timeout=30, transport=transport) as client:
        number = 0
        while time.monotonic() < stop:
            number += 1
            query = ENDLESS + (f" LIMIT {number}" if unique else "")
            statuses.append((await client.get("/sparql", params={"query": query})).status_code)
    return statuses


async def _fast(url: str, address: str, stop: float, start_after: float) -> list[tuple[int, float, str]]:
    """A client that only sends fast requests: named queries and its own small SPARQL queries, each new."""
    answers = []
    transport = httpx.AsyncHTTPTransport(local_address=address)
    async with httpx.AsyncClient(base_url=url, timeout=30, transport=transport) as client:
        await asyncio.sleep(start_after)  # the slow loops are under way
        number = 0
        while time.monotonic() < stop:
            number += 1
            for path, params in (
                ("/queries/clusters", {"version": "2.0"}),
                ("/sparql", {"query": f"SELECT ?s WHERE {{ ?s a ?c }} LIMIT {number}"}),
                ("/queries/counts", {}),
            ):
                started = time.monotonic()
                status = (await client.get(path, params=params, headers=CSV)).status_code
                answers.append((status, time.monotonic() - started, path))
    return answers


def test_slow_loops_on_a_clients_own_address_cost_it_no_answers(built_home: Path) -> None:
    """Two loops of slow queries and a fast client behind one address (a NAT): the fast client's queries
    all answer, quickly, because slow queries go to the long lane by their cost, not by their address
    (once, the whole address was sent to the long lane and its fast queries got 503)."""
    config = ServerConfig(home=built_home, timeout=6, short_timeout=1.0)
    with running_server(config) as url:

        async def scenario() -> list[tuple[int, float, str]]:
            stop = time.monotonic() + 10
            # from 4 s on: each loop's first query has run on the short lane (1 s of processor time) and is
            # known to be slow; until then the client waits behind them, as behind any request of its own
            *_, fast = await asyncio.gather(
                _loop_slow(url, "127.0.0.4", stop), _loop_slow(url, "127.0.0.4", stop), _fast(url, "127.0.0.4", stop, 4)
            )
            return fast

        answers = asyncio.run(scenario())
        assert len(answers) >= 15 and all(status == 200 for status, *_ in answers), answers
        assert max(seconds for _, seconds, _ in answers) < 3.0, sorted(answers, key=lambda a: -a[1])[:5]


def test_four_addresses_looping_slow_queries_cost_a_fifth_no_answers(built_home: Path) -> None:
    """Four addresses loop slow queries, each one new (so none is known to be slow before it runs, and each
    first runs up to 1 s on the short lane): the fifth client, which never sent a slow query, gets every
    answer within its time limit; its pages and named queries, which never wait behind the others' new
    queries, stay quick. Nobody gets a 503 that blames queries it did not send (once, the fifth client
    waited 30 s and got 503 "your earlier queries kept this server's query workers busy")."""
    config = ServerConfig(home=built_home, timeout=5, short_timeout=1.0)
    with running_server(config) as url:

        async def scenario() -> tuple[list[list[int]], list[tuple[int, float, str]]]:
            stop = time.monotonic() + 10
            *slow, fast = await asyncio.gather(
                *(_loop_slow(url, f"127.0.0.{n}", stop, unique=True) for n in (11, 12, 13, 14)),
                _fast(url, "127.0.0.15", stop, 1.5),
            )
            return slow, fast

        slow, answers = asyncio.run(scenario())
        assert len(answers) >= 6 and all(status == 200 for status, *_ in answers), answers
        named = [seconds for _, seconds, path in answers if path != "/sparql"]
        assert max(named) < 3.0, sorted(answers, key=lambda a: -a[1])[:5]
        assert all(status == 503 for statuses in slow for status in statuses)  # stopped at their time limit


def test_idle_sockets_of_an_address_are_shed_before_its_requests(built_home: Path) -> None:
    """200 silent sockets from one address, more than its share of connections: its normal client is
    served on new connections, and its keep-alive connection is never the one closed."""
    config = ServerConfig(home=built_home, workers=1, max_per_client=16, header_timeout=30)
    with running_server(config) as url:
        port = int(url.rsplit(":", 1)[1])
        keep = socket.socket()
        keep.settimeout(10)
        keep.bind(("127.0.0.6", 0))
        keep.connect(("127.0.0.1", port))
        request = b"GET /queries/counts HTTP/1.1\r\nHost: x\r\nAccept: text/csv\r\n\r\n"
        held: list[socket.socket] = []
        try:
            keep.sendall(request)
            assert _answer(keep).startswith(b"HTTP/1.1 200")
            for _ in range(200):
                sock = socket.socket()
                sock.bind(("127.0.0.6", 0))
                sock.connect(("127.0.0.1", port))
                held.append(sock)
            transport = httpx.HTTPTransport(local_address="127.0.0.6")
            with httpx.Client(base_url=url, timeout=10, transport=transport) as client:
                statuses = []
                for _ in range(10):
                    statuses.append(client.get("/queries/counts", headers=CSV).status_code)
                    held.append(socket.create_connection(("127.0.0.1", port), source_address=("127.0.0.6", 0)))
                assert statuses == [200] * 10
            keep.sendall(request)  # the keep-alive connection answered before is still open
            assert _answer(keep).startswith(b"HTTP/1.1 200")
        finally:
            for sock in [keep, *held]:
                sock.close()


def _answer(sock: socket.socket) -> bytes:
    """One whole answer read from ``sock`` (its head and the Content-Length bytes of body)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")
    )
    while len(body) < length:
        body += sock.recv(65536)
    return data


def test_a_body_sent_a_byte_a_second_gets_408(built_home: Path) -> None:
    """The head arrives at once, the body a byte a second: the documented 408 once the header timeout
    has passed, not a silent close."""
    with running_server(ServerConfig(home=built_home, workers=1, header_timeout=2.0)) as url:
        port = int(url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(
                b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                b"Content-Length: 40\r\n\r\n"
            )
            started = time.monotonic()
            sock.setblocking(False)
            answer = b""
            for byte in b"ASK { ?s ?p ?o }" * 3:
                with contextlib.suppress(OSError):  # the server may have closed it after its answer
                    sock.send(bytes([byte]))
                time.sleep(1.0)
                try:
                    answer += sock.recv(4096)
                except BlockingIOError:
                    continue
                if answer:
                    break
            assert answer.startswith(b"HTTP/1.1 408"), answer
            assert b"did not arrive within 2 s" in answer
            assert time.monotonic() - started < 5


def test_a_failed_json_ld_bomb_update_costs_readers_no_worker(built_home: Path) -> None:
    """A Graph Store PUT of 5,000 nested JSON-LD objects (75 kB) is refused before any parser sees it, and
    the worker that answers reads is the same process before and after (it never restarts)."""
    os.environ["KGTOOL_TEST_TOKEN"] = "secret"
    config = ServerConfig(home=built_home, allow_update=True, token="secret", timeout=10)
    bomb = ('{"@id": "urn:x", "urn:p": ' * 5000 + '"end"' + "}" * 5000).encode()
    with running_server(config) as url, httpx.Client(base_url=url, timeout=30) as client:
        before = client.get("/health/details").json()["workers"]["long"]
        answer = client.put(
            "/store",
            params={"graph": "urn:g"},
            content=bomb,
            headers={"Content-Type": "application/ld+json", "Authorization": "Bearer secret"},
        )
        assert answer.status_code == 400 and "nested more than 100 levels" in answer.text, answer.text
        assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200
        after = client.get("/health/details").json()["workers"]["long"]
        assert after["pids"] == before["pids"] and after["restarts"] == before["restarts"] == 0


def test_a_write_whose_parsing_fails_costs_the_readers_worker_nothing(built_home: Path) -> None:
    """Writes are parsed first by a worker of their own: when that one is lost (here it is frozen, so the
    write runs out of time and it is replaced), the worker that answers reads is the same process, reads
    go on, and the store never saw the document. A good write still lands; a bad one is a 400."""
    import signal

    config = ServerConfig(home=built_home, allow_update=True, token="secret", timeout=3)
    auth = {"Authorization": "Bearer secret", "Content-Type": "text/turtle"}
    triple = b"<urn:s> <urn:p> <urn:o> ."
    with running_server(config) as url, httpx.Client(base_url=url, timeout=30) as client:
        before = client.get("/health/details").json()["workers"]
        (parser,) = before["write-parsing"]["pids"]
        os.kill(parser, signal.SIGSTOP)
        try:
            lost = client.put("/store", params={"graph": "urn:lost"}, content=triple, headers=auth)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.kill(parser, signal.SIGCONT)
        assert lost.status_code == 503 and "refused while it was parsed" in lost.text, lost.text
        after = client.get("/health/details").json()["workers"]
        assert after["long"]["pids"] == before["long"]["pids"] and after["long"]["restarts"] == 0
        assert after["write-parsing"]["restarts"] == 1
        assert client.get("/store", params={"graph": "urn:lost"}).status_code == 404
        bad = client.put("/store", params={"graph": "urn:bad"}, content=b"<urn:s> <urn:p> .", headers=auth)
        assert bad.status_code == 400 and "cannot parse the graph" in bad.text
        good = client.put("/store", params={"graph": "urn:good"}, content=triple, headers=auth)
        assert good.status_code == 201, good.text
        got = client.get("/store", params={"graph": "urn:good"}, headers={"Accept": "application/n-triples"})
        assert got.status_code == 200 and "<urn:s> <urn:p> <urn:o> ." in got.text
        assert client.get("/health/details").json()["workers"]["long"]["pids"] == before["long"]["pids"]
