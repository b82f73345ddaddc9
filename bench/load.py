"""The server under load and under attack, on loopback only: throughput, latency, errors and memory.

    python -m bench.load                          # 15 scenarios of 10 s each (about 4 minutes)
    python bench/load.py --duration 3 --concurrency 1 8 --attacks none shared-slow
    python -m bench.load --concurrency 1 --attacks none shared-slow none shared-slow   # repeated, interleaved

It starts ``kgtool serve`` (its defaults, on 127.0.0.1 and a free port) on the built store (``--home``;
built into a temporary directory if there is none) and runs, for each concurrency (1, 8 and 32 normal
clients) and each attack, one scenario of ``--duration`` seconds and at most ``--requests`` requests.
Normal clients loop over a mix of named queries, resource pages and a SPARQL query of their own, each
client from its own loopback address (127.0.1.N), unless the attack shares theirs; attackers come from
other addresses:

- none: the normal clients alone (the latency to compare with);
- slow: ``--slow-attackers`` clients on as many addresses, each looping a query that would run for ever
  (the server stops each one at its time limit): with one normal client, five addresses, four of them slow;
- idle: ``--idle-attackers`` sockets that connect and send nothing, and as many again that send a request
  head one byte a second, each reopened as soon as the server closes it;
- shared-idle: twice ``--idle-attackers`` silent sockets (1,000 by default) from the normal clients' own
  address (one address, as behind a NAT or a proxy), each reopened as soon as the server closes it;
- shared-slow: two clients looping slow queries from the normal clients' own address.

The table gives, for normal clients: requests answered, errors (any answer but 200, or no answer), the
share answered, throughput, median and 99th-percentile latency, and that p99 divided by the p99 of the last
run without attack (*none*) with as many clients (so run *none* first, as by default); the attackers'
requests sent (slow) or connections opened (idle); the resident memory of the server and its workers
before and after each scenario; and the machine's load average (1 minute) at its end.
The exit code is 1 if a normal client saw an error. Nothing leaves the machine: every address is 127.x.

Two more runs (:mod:`bench.side_by_side`), instead of the scenarios when asked for:

    python -m bench.load --pages               # p50/p99 and errors per page kind, 16 clients
    python -m bench.load --versus-oxigraph     # kgtool serve against oxigraph serve-read-only, same queries
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

if __package__ in (None, ""):  # run as a script: python bench/load.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

__all__ = ["ATTACKS", "NORMAL_MIX", "Scenario", "Result", "run_scenarios", "main"]

#: What a normal client asks for, in turn: (path, Accept).
NORMAL_MIX: list[tuple[str, str]] = [
    ("/sparql?query=SELECT%20%3Fv%20WHERE%20%7B%20%3Fv%20a%20%3Fc%20%7D%20LIMIT%2010", "text/csv"),
    ("/queries/clusters?version=2.0", "text/csv"),
    ("/cluster/artificial-intelligence", "text/html"),
    ("/queries/counts", "application/sparql-results+json"),
    ("/version/2.0", "text/turtle"),
    ("/queries/events?version=2.0", "text/csv"),
    ("/cluster/synthetic-biology", "text/html"),
    ("/def", "text/html"),
]
#: A query that runs for ever (a four-way cross product): the server stops it at its time limit.
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
HOST = "127.0.0.1"
#: The attacks a scenario can run (see above).
ATTACKS = ("none", "slow", "idle", "shared-idle", "shared-slow")


@dataclass(frozen=True)
class Scenario:
    concurrency: int
    attack: str  # one of ATTACKS


@dataclass
class Result:
    scenario: Scenario
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    attack_requests: int = 0
    memory_before: int = 0
    memory_after: int = 0
    load: str = ""  # the machine's load average (1 minute) at the scenario's end

    def p99(self) -> float:
        """The 99th percentile of the normal clients' latency, in seconds (NaN if none was answered)."""
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] if ordered else float("nan")

    def row(self, baseline: Result | None = None) -> str:
        """The table's row; ``baseline``: the scenario without attack whose p99 this one's is compared with."""
        answered = len(self.latencies)
        p50 = statistics.median(self.latencies) * 1000 if self.latencies else float("nan")
        share = 100 * answered / (answered + self.errors) if answered + self.errors else float("nan")
        ratio = f"{self.p99() / baseline.p99():.1f}x" if baseline is not None and baseline is not self else "–"
        return (
            f"| {self.scenario.concurrency} | {self.scenario.attack} | {answered} | {self.errors} | {share:.1f} | "
            f"{answered / self.seconds:.0f} | {p50:.0f} | {self.p99() * 1000:.0f} | {ratio} | {self.attack_requests} | "
            f"{self.memory_before / 2**20:.0f} → {self.memory_after / 2**20:.0f} | {self.load} |"
        )


HEADER = (
    "| clients | attack | requests | errors | answered % | req/s | p50 ms | p99 ms | p99 / none | attacks "
    "| server MiB before → after | load average |\n"
    "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"
)


# -- the server -------------------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now (for a server this benchmark starts)."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _tree_memory(pid: int) -> int:
    """The resident memory of process ``pid`` and its children (the query workers), in bytes."""
    page = os.sysconf("SC_PAGE_SIZE")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            rss = int((entry / "statm").read_text().split()[1]) * page
        except (OSError, ValueError, IndexError):
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if int(entry.name) == pid or ppid == pid:
            total += rss
    return total


@contextlib.contextmanager
def running_server(home: Path) -> Iterator[tuple[str, int]]:
    """``kgtool serve`` with its defaults on 127.0.0.1: yields (base URL, process id)."""
    port = free_port()
    script = (
        "import logging; logging.disable(logging.WARNING); from pathlib import Path; "
        "from kgtool.server import ServerConfig, serve; "
        f"serve(ServerConfig(home=Path({str(home)!r})), host={HOST!r}, port={port})"
    )
    url = f"http://{HOST}:{port}"
    with running_process([sys.executable, "-c", script], url + "/health", "the server") as pid:
        yield url, pid


@contextlib.contextmanager
def running_process(argv: list[str], ready_url: str, what: str) -> Iterator[int]:
    """Start a server process, wait (60 s at most) until ``ready_url`` answers 200, yield its process id;
    stop it afterwards (killed if it does not end within 15 s)."""
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(ready_url, timeout=2).status_code == 200:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not start")
            time.sleep(0.2)
        yield process.pid
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


# -- clients ----------------------------------------------------------------------------------------


async def _normal(url: str, address: str, stop: float, budget: list[int], result: Result, offset: int) -> None:
    transport = httpx.AsyncHTTPTransport(local_address=address)
    async with httpx.AsyncClient(base_url=url, transport=transport, timeout=60) as client:
        turn = offset
        while time.monotonic() < stop and budget[0] > 0:
            budget[0] -= 1
            path, accept = NORMAL_MIX[turn % len(NORMAL_MIX)]
            turn += 1
            started = time.monotonic()
            try:
                response = await client.get(path, headers={"Accept": accept})
                kind = None if response.status_code == 200 else str(response.status_code)
            except httpx.HTTPError as error:
                kind = type(error).__name__
            if kind is None:
                result.latencies.append(time.monotonic() - started)
            else:
                result.errors += 1
                result.error_kinds[kind] = result.error_kinds.get(kind, 0) + 1


async def _slow_attacker(url: str, address: str, stop: float, result: Result, number: int = 0) -> None:
    """A client looping a slow query of its own (each attacker's text differs)."""
    transport = httpx.AsyncHTTPTransport(local_address=address)
    query = f"{ENDLESS} # attacker {address} {number}"
    async with httpx.AsyncClient(base_url=url, transport=transport, timeout=120) as client:
        while time.monotonic() < stop:
            result.attack_requests += 1
            with contextlib.suppress(httpx.HTTPError, TimeoutError):
                answer = client.get("/sparql", params={"query": query})
                await asyncio.wait_for(answer, max(0.1, stop - time.monotonic()))


async def _idle_attacker(port: int, address: str, stop: float, talk: bool, result: Result) -> None:
    """One socket kept open: silent, or sending a request head a byte a second; reopened when closed."""
    while time.monotonic() < stop:
        try:
            reader, writer = await asyncio.open_connection(HOST, port, local_addr=(address, 0))
        except OSError:
            await asyncio.sleep(0.2)
            continue
        result.attack_requests += 1
        try:
            head = b"GET /sparql HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 10_000
            for byte in head:
                if time.monotonic() >= stop:
                    break
                if talk:
                    writer.write(bytes([byte]))
                    await writer.drain()
                try:
                    if await asyncio.wait_for(reader.read(1), timeout=1.0) == b"":
                        break  # closed by the server: open another
                except TimeoutError:
                    continue
        except OSError:
            pass
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()


async def _attack(url: str, attack: str, number: int, stop: float, slow_attackers: int, idle_attackers: int) -> int:
    """Run one attack until ``stop``; the number of requests or connections the attackers made."""
    result = Result(Scenario(0, attack))
    port = int(url.rsplit(":", 1)[1])
    if attack == "slow":
        attacks = [_slow_attacker(url, f"127.0.{2 + number}.{i + 1}", stop, result) for i in range(slow_attackers)]
    elif attack == "shared-slow":  # two loops on the normal clients' address
        attacks = [_slow_attacker(url, _shared_address(number), stop, result, i) for i in range(2)]
    elif attack == "shared-idle":
        address = _shared_address(number)
        attacks = [_idle_attacker(port, address, stop, False, result) for _ in range(2 * idle_attackers)]
    else:  # idle: one attacker, from a few addresses
        attacks = [
            _idle_attacker(port, f"127.0.{2 + number}.{i % 4 + 1}", stop, i % 2 == 1, result)
            for i in range(2 * idle_attackers)
        ]
    await asyncio.gather(*attacks, return_exceptions=True)
    return result.attack_requests


def _shared_address(number: int) -> str:
    """The one address of scenario ``number``'s normal clients and attackers, when they share it."""
    return f"127.0.{2 + number}.1"


def _attack_process(
    url: str, attack: str, number: int, stop_in: float, slow_attackers: int, idle_attackers: int, out: Any
) -> None:
    """The attackers run in a process of their own, so that they do not slow the normal clients' loop."""
    count = asyncio.run(_attack(url, attack, number, time.monotonic() + stop_in, slow_attackers, idle_attackers))
    out.send(count)


async def _scenario(
    url: str, scenario: Scenario, number: int, duration: float, requests: int, slow_attackers: int, idle_attackers: int
) -> Result:
    result = Result(scenario)
    attacker = None
    if scenario.attack != "none":
        ours, theirs = multiprocessing.Pipe()
        attacker = multiprocessing.get_context("fork").Process(
            target=_attack_process,
            args=(url, scenario.attack, number, duration + 1.0, slow_attackers, idle_attackers, theirs),
            daemon=True,
        )
        attacker.start()
        await asyncio.sleep(1.0)  # the attack is under way
    stop = time.monotonic() + duration
    budget = [requests]
    started = time.monotonic()
    shared = scenario.attack.startswith("shared-")
    addresses = [_shared_address(number) if shared else f"127.0.1.{i + 1}" for i in range(scenario.concurrency)]
    await asyncio.gather(*(_normal(url, addresses[i], stop, budget, result, i) for i in range(scenario.concurrency)))
    result.seconds = time.monotonic() - started
    if attacker is not None:
        attacker.join(duration + 30)
        if attacker.is_alive():
            attacker.kill()
        result.attack_requests = ours.recv() if ours.poll(1) else -1
    return result


def run_scenarios(
    home: Path,
    scenarios: list[Scenario],
    *,
    duration: float,
    requests: int,
    slow_attackers: int = 4,
    idle_attackers: int = 500,
) -> list[Result]:
    """Run every scenario against one server on ``home``; the results in order. Each row compares its p99 with
    that of the last scenario without attack run before it with as many clients (the same server, minutes
    apart: on a shared machine, the one fair comparison)."""
    results = []
    baselines: dict[int, Result] = {}
    with running_server(home) as (url, pid):
        for number, scenario in enumerate(scenarios):
            before = _tree_memory(pid)
            result = asyncio.run(_scenario(url, scenario, number, duration, requests, slow_attackers, idle_attackers))
            result.load = f"{os.getloadavg()[0]:.1f}"
            time.sleep(0.5)
            result.memory_before, result.memory_after = before, _tree_memory(pid)
            results.append(result)
            if scenario.attack == "none":
                baselines[scenario.concurrency] = result
            print(result.row(baselines.get(scenario.concurrency)), flush=True)
    return results


def _side_by_side(home: Path, pages: bool, versus: bool, clients: int, requests: int, answer_cache: str) -> int:
    """The runs of :mod:`bench.side_by_side` against one ``kgtool serve`` on ``home``; 1 if a request failed."""
    from bench.side_by_side import ANSWER_CACHE, run_pages, run_versus_oxigraph
    from kgtool.build import store_path

    failed = False
    with running_server(home) as (url, pid):
        if pages:
            rows, errors = run_pages(url, clients=clients, requests=requests)
            print("\n".join(rows) + "\n", flush=True)
            failed |= errors > 0
        if versus:
            caches = tuple(ANSWER_CACHE) if answer_cache == "both" else (answer_cache,)
            rows, errors = run_versus_oxigraph(
                url, pid, store_path(home).resolve(), clients=clients, requests=requests, caches=caches
            )
            print("\n".join(rows), flush=True)
            failed |= errors > 0
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--home",
        type=Path,
        help="where the built store is (default: build one in a temporary directory, unless $KGTOOL_HOME holds one)",
    )
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per scenario (default: %(default)s)")
    parser.add_argument(
        "--requests", type=int, default=20_000, help="most requests per scenario (default: %(default)s)"
    )
    parser.add_argument(
        "--concurrency", type=int, nargs="+", default=[1, 8, 32], help="normal clients (default: 1 8 32)"
    )
    parser.add_argument("--attacks", nargs="+", default=list(ATTACKS), choices=ATTACKS)
    parser.add_argument("--slow-attackers", type=int, default=4)
    parser.add_argument("--idle-attackers", type=int, default=500, help="silent sockets (and as many slow ones)")
    parser.add_argument("--pages", action="store_true", help="time the pages, by kind, instead of the scenarios")
    parser.add_argument(
        "--versus-oxigraph",
        action="store_true",
        help="the named queries' text on kgtool serve and oxigraph serve-read-only, instead of the scenarios",
    )
    parser.add_argument("--clients", type=int, default=16, help="clients of --pages and --versus-oxigraph (16)")
    parser.add_argument(
        "--side-requests", type=int, default=600, help="requests of --pages, and of each run of --versus-oxigraph"
    )
    parser.add_argument(
        "--answer-cache",
        choices=["cold", "warm", "both"],
        default="both",
        help="runs of --versus-oxigraph: every request distinct (cold), the same texts repeating (warm), or both",
    )
    args = parser.parse_args(argv)
    scenarios = [Scenario(c, a) for a in args.attacks for c in args.concurrency]
    with tempfile.TemporaryDirectory(prefix="kgtool-bench-load-") as scratch:
        home = args.home
        if home is None:
            from kgtool.build import store_path
            from kgtool.paths import data_home

            home = data_home()
            if not store_path(home).is_dir():
                import kgtool

                home = Path(scratch)
                kgtool.build(home)
        if args.pages or args.versus_oxigraph:
            return _side_by_side(
                home, args.pages, args.versus_oxigraph, args.clients, args.side_requests, args.answer_cache
            )
        print(
            f"kgtool serve (default limits) on {HOST}; {args.duration:g} s and at most {args.requests} requests "
            f"per scenario; attacks: slow = {args.slow_attackers} addresses looping an endless query, idle = "
            f"{args.idle_attackers} silent sockets + {args.idle_attackers} sending a request head a byte a second, "
            f"shared-idle = {2 * args.idle_attackers} silent sockets from the clients' own address, shared-slow = "
            "2 loops of endless queries from the clients' own address\n"
        )
        print(HEADER, flush=True)
        results = run_scenarios(
            home,
            scenarios,
            duration=args.duration,
            requests=args.requests,
            slow_attackers=args.slow_attackers,
            idle_attackers=args.idle_attackers,
        )
    errors = {r.scenario: r.error_kinds for r in results if r.errors}
    if errors:
        print("\nerrors:", errors)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
