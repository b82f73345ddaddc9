"""The server under hostile or unlucky conditions: idle and slow connections, queries that grow too large
or run too long, clients that go away, workers that die, stores rebuilt under it, a server killed with -9.

Every test here fails without the guard it names. All of them run on 127.0.0.1, with a bounded number
of connections and requests, and finish within seconds.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from server_fixtures import running_server  # noqa: E402

import kgtool  # noqa: E402
from kgtool.server import ServerConfig  # noqa: E402

pytestmark = pytest.mark.load  # the server under hostile conditions: a slow group (pyproject.toml)

ASK = {"query": "ASK { ?s ?p ?o }"}
#: Runs for ever (a four-way cross product of the store), in constant memory.
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
#: Grows its worker by hundreds of megabytes a second (it sorts a cross product).
GREEDY = "SELECT * WHERE { GRAPH ?g { ?a ?p ?b } GRAPH ?h { ?c ?q ?d } } ORDER BY ?d ?b ?a ?c LIMIT 1"
AI = "/cluster/artificial-intelligence"


def _worker_pids(parent: int) -> set[int]:
    """The query workers whose parent is process ``parent``."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == parent and b"kgtool.engine.main" in cmdline:
            found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _wait_until(condition, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.fixture
def own_home(built_home: Path, tmp_path: Path) -> Path:
    """A home of its own holding a copy of the built store (these tests rebuild and break it)."""
    home = tmp_path / "home"
    shutil.copytree(built_home, home, symlinks=True)
    return home


# -- connections ------------------------------------------------------------------------------------


def test_idle_connections_cannot_keep_clients_out(built_home: Path) -> None:
    """Guard: the connection limit closes the longest-idle socket, and the request-head timeout closes
    idle and slowly-talking sockets (uvicorn alone keeps them for ever, and refuses others beyond its limit)."""
    config = ServerConfig(home=built_home, workers=1, max_connections=16, max_per_client=0, header_timeout=1.5)
    with running_server(config) as url:
        port = int(url.rsplit(":", 1)[1])
        idle = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(64)]
        slow = socket.create_connection(("127.0.0.1", port), timeout=5)
        try:
            with httpx.Client(base_url=url, timeout=10) as client:
                for _ in range(5):
                    assert client.get("/sparql", params=ASK).status_code == 200
            slow.sendall(b"GET /sparql HTTP/1.1\r\n")
            started = time.monotonic()
            for _ in range(20):  # one header byte every 0.2 s: never a whole head
                try:
                    slow.sendall(b"X")
                except OSError:
                    break
                time.sleep(0.2)
            assert _closed(slow)
            assert time.monotonic() - started < 4.5
            time.sleep(1.0)
            assert all(_closed(sock) for sock in idle)
        finally:
            for sock in [*idle, slow]:
                sock.close()


def test_one_address_cannot_take_every_connection(built_home: Path) -> None:
    """Guard: the per-address connection limit; the others are served while one address holds its share."""
    config = ServerConfig(home=built_home, workers=1, max_per_client=8, header_timeout=30)
    with running_server(config) as url:
        port = int(url.rsplit(":", 1)[1])
        held = []
        try:
            for _ in range(12):
                sock = socket.socket()
                sock.settimeout(5)
                sock.bind(("127.0.0.2", 0))
                sock.connect(("127.0.0.1", port))
                held.append(sock)
            time.sleep(0.5)
            refused = [sock for sock in held if _closed(sock, wait=0.2)]
            assert len(refused) == 4
            with httpx.Client(base_url=url, timeout=10) as client:
                assert client.get("/sparql", params=ASK).status_code == 200
        finally:
            for sock in held:
                sock.close()


def _closed(sock: socket.socket, wait: float = 2.0) -> bool:
    """Whether the server closed ``sock`` (after answering 503, or silently)."""
    sock.settimeout(wait)
    try:
        data = sock.recv(4096)
    except TimeoutError:
        return False
    except OSError:
        return True
    if data.startswith(b"HTTP/1.1 503"):
        try:
            return sock.recv(4096) == b""
        except OSError:
            return True
    return data == b""


def test_a_body_that_never_arrives_gets_408(built_home: Path) -> None:
    with running_server(ServerConfig(home=built_home, workers=1, header_timeout=1.0)) as url:
        port = int(url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(
                b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                b"Content-Length: 100\r\n\r\nASK {"
            )
            started = time.monotonic()
            answer = b""
            while chunk := sock.recv(4096):  # the server closes the connection after its answer
                answer += chunk
            assert answer.startswith(b"HTTP/1.1 408") and b"did not arrive" in answer
            assert time.monotonic() - started < 5


# -- workers ----------------------------------------------------------------------------------------


def test_a_query_over_the_memory_limit_gets_503_and_its_worker_is_replaced(built_home: Path) -> None:
    config = ServerConfig(home=built_home, workers=1, short_workers=0, timeout=25, max_memory=256 << 20)
    with running_server(config) as url, httpx.Client(base_url=url, timeout=60) as client:
        before = _worker_pids(os.getpid())
        started = time.monotonic()
        answer = client.get("/sparql", params={"query": GREEDY})
        assert answer.status_code == 503 and "memory limit of 256 MiB" in answer.text
        assert time.monotonic() - started < 15  # stopped for its memory, long before the time limit
        assert client.get("/sparql", params=ASK).status_code == 200
        assert _worker_pids(os.getpid()) - before  # a new worker answers


def test_a_client_that_goes_away_frees_its_worker(built_home: Path) -> None:
    config = ServerConfig(home=built_home, workers=1, short_workers=0, timeout=60)
    with running_server(config) as url:

        async def scenario() -> None:
            async with httpx.AsyncClient(base_url=url, timeout=5) as quitter:
                with pytest.raises(httpx.ReadTimeout):
                    await quitter.get("/sparql", params={"query": ENDLESS}, timeout=1.0)
            async with httpx.AsyncClient(base_url=url, timeout=15) as client:
                started = time.monotonic()
                assert (await client.get("/sparql", params=ASK)).status_code == 200
                assert time.monotonic() - started < 10  # not the 60 s the abandoned query could run

        asyncio.run(scenario())


def test_fast_requests_keep_answering_while_slow_queries_run(built_home: Path) -> None:
    """Guard: the short lane and the per-client share of the long lane. Two attackers on other loopback
    addresses loop endless queries; every request of a normal client is answered quickly."""
    config = ServerConfig(home=built_home, timeout=6, short_timeout=1.0)  # default workers: 2 long, 2 short
    with running_server(config) as url:

        async def attacker(address: str, stop: float) -> int:
            transport = httpx.AsyncHTTPTransport(local_address=address)
            sent = 0
            async with httpx.AsyncClient(base_url=url, timeout=30, transport=transport) as c:
                while time.monotonic() < stop:
                    await c.get("/sparql", params={"query": ENDLESS})
                    sent += 1
            return sent

        async def normal(stop: float) -> list[tuple[int, float]]:
            out = []
            t0 = time.monotonic()
            async with httpx.AsyncClient(base_url=url, timeout=30) as c:
                await asyncio.sleep(1.5)  # the attack is under way
                paths = ["/queries/clusters?version=2.0", AI, "/queries/counts", "/def"]
                while time.monotonic() < stop:
                    for path in paths:
                        started = time.monotonic()
                        status = (await c.get(path, headers={"Accept": "text/csv, text/html;q=0.9"})).status_code
                        out.append((status, time.monotonic() - started, path, round(started - t0, 2)))
            return out

        async def scenario() -> None:
            stop = time.monotonic() + 8
            results = await asyncio.gather(
                attacker("127.0.0.2", stop), attacker("127.0.0.2", stop), attacker("127.0.0.3", stop), normal(stop)
            )
            answers = results[-1]
            assert answers and all(a[0] == 200 for a in answers), answers
            assert max(a[1] for a in answers) < 3.0, [a for a in answers if a[1] > 0.5]

        asyncio.run(scenario())


def test_health_says_why_and_worker_starts_are_retried(own_home: Path) -> None:
    config = ServerConfig(home=own_home, workers=1, short_workers=0, timeout=10)
    with running_server(config) as url, httpx.Client(base_url=url, timeout=20) as client:
        health = client.get("/health/details")
        assert health.status_code == 200 and health.json()["status"] == "ok"
        served = Path(health.json()["store"])
        away = served.parent.with_name(served.parent.name + "-away")
        served.parent.rename(away)  # the store disappears: a new worker cannot open it
        killed = _worker_pids(os.getpid())
        for pid in killed:
            os.kill(pid, signal.SIGKILL)
        assert _wait_until(lambda: not any(_alive(pid) for pid in killed), 5)
        time.sleep(0.5)  # the server notices a dead worker when it next hands it a request
        refused = client.get("/sparql", params=ASK)
        assert refused.status_code == 503, refused.text
        unhealthy = client.get("/health/details")
        assert unhealthy.status_code == 503
        reasons = " ".join(unhealthy.json()["reasons"])
        assert "no query worker is running" in reasons and "store" in reasons
        away.rename(served.parent)  # back: the retried start succeeds
        assert _wait_until(lambda: client.get("/health/details").status_code == 200, 15)
        assert client.get("/sparql", params=ASK).status_code == 200


def test_rebuilds_do_not_take_the_served_store_away(own_home: Path) -> None:
    """Guard: the server holds the build it serves, so pruning skips it and replacement workers open it."""
    config = ServerConfig(home=own_home, workers=1, short_workers=0, timeout=10)
    with running_server(config) as url, httpx.Client(base_url=url, timeout=20) as client:
        served = Path(client.get("/health/details").json()["store"])
        files = {p.relative_to(served) for p in served.rglob("*") if p.is_file()}
        for _ in range(3):
            kgtool.build(own_home, validate=False)
        assert files <= {p.relative_to(served) for p in served.rglob("*") if p.is_file()}  # untouched
        assert client.get("/health/details").json()["newer_build"] == str((own_home / "store").resolve())
        killed = _worker_pids(os.getpid())
        for pid in killed:
            os.kill(pid, signal.SIGKILL)
        assert _wait_until(lambda: not any(_alive(pid) for pid in killed), 5)
        time.sleep(0.5)  # the server notices a dead worker when it next hands it a request
        answer = client.get("/sparql", params=ASK)
        assert answer.status_code == 200, answer.text  # a replacement opened the same build
        assert client.get("/health/details").status_code == 200
    kgtool.build(own_home, validate=False)  # once the server is gone, its build is pruned
    assert not served.parent.exists()


def test_workers_exit_when_the_server_is_killed(own_home: Path) -> None:
    """Guard: PR_SET_PDEATHSIG and the parent pipe; a busy worker would otherwise run on, orphaned."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    script = (
        f"from pathlib import Path; from kgtool.server import ServerConfig, serve; "
        f"serve(ServerConfig(home=Path({str(own_home)!r}), workers=1, short_workers=1, timeout=300), "
        f"port={port})"
    )
    server = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        assert _wait_until(lambda: _healthy(url), 60)
        busy = subprocess.Popen(
            [
                sys.executable,
                "-c",
                f"import httpx; httpx.get({url + '/sparql'!r}, params={{'query': {ENDLESS!r}}}, timeout=30)",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(2.0)  # the endless query is running
        workers = _worker_pids(server.pid)
        assert len(workers) == 3  # a query worker, a short-query worker and its spare
        server.send_signal(signal.SIGKILL)
        server.wait(10)
        assert _wait_until(lambda: not any(_alive(pid) for pid in workers), 5)
        busy.kill()
        busy.wait(10)
    finally:
        server.kill()
        server.wait(10)


def _healthy(url: str) -> bool:
    try:
        return httpx.get(url + "/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


# -- caches -----------------------------------------------------------------------------------------


def test_the_query_text_caches_are_bounded_in_bytes() -> None:
    from kgtool.sparql import inspect_query, names_dataset, strip_literals

    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for number in range(48):
            text = f'SELECT * WHERE {{ ?s ?p "{number}{"x" * ((1 << 20) - 64)}" }}'  # just within the limit
            inspect_query(text)
            names_dataset(text)
            strip_literals(text)
            del text
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert held < 16 << 20  # lru_cache(256) held every one of them: 48 MiB and more


def test_the_answer_cache_is_bounded_in_bytes(built_home: Path) -> None:
    config = ServerConfig(home=built_home, workers=1, cache_bytes=4 << 20)
    with running_server(config) as url, httpx.Client(base_url=url, timeout=60) as client:
        for name in ("ttl", "nt", "jsonld", "rdf", "trig", "nq"):
            assert client.get(f"/download/sz20plus8.{name}").status_code == 200
        cache = client.get("/health/details").json()["cache"]
        assert 0 < cache["bytes"] <= 4 << 20 and cache["max_bytes"] == 4 << 20


def test_health_is_json(built_home: Path) -> None:
    with running_server(ServerConfig(home=built_home, workers=1)) as url:
        health = httpx.get(url + "/health/details", timeout=10)
        assert health.status_code == 200 and health.headers["content-type"] == "application/json"
        info = json.loads(health.text)
        assert info["workers"]["long"]["running"] == 1 and info["workers"]["short"]["running"] == 2
        assert info["build"] and "newer_build" not in info


@pytest.fixture(autouse=True)
def _no_orphans() -> Iterator[None]:
    """No test leaves a worker behind."""
    yield
    assert _wait_until(lambda: not _worker_pids(os.getpid()), 10)
