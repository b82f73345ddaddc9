"""The pages people open and the queries people send, under load, and kgtool serve side by side with Oxigraph
server on the same store and the same queries (``python -m bench.load --pages --versus-oxigraph``).

- **pages**: ``clients`` clients (16) loop over the pages a reader opens (home, evolution, a version, a
  cluster, an observation, the query list) and the named queries' own URLs, for ``requests`` requests in
  all; for each kind of page and for the named queries, the answers, errors (any answer but 200, or none),
  p50 and p99 latency.
- **versus Oxigraph**: every named query's text (parameters bound from their examples, as
  :func:`bench.guard.named_texts` gives them) POSTed to ``/sparql`` of ``kgtool serve`` and to ``/query``
  of ``oxigraph serve-read-only`` (opened on the same store, with the union default graph kgtool uses),
  by ``clients`` clients, ``requests`` requests on each server, twice: with every request distinct (a
  numbered comment appended, as real clients' ad-hoc queries are: no cache of kgtool's can answer them)
  and with the same texts repeating (every cache warm). Each is run in two rounds, the servers in turn in
  opposite orders (a shared machine's other load weighs on both alike). Prints req/s, p50 and p99 for
  both and kgtool's ratios, and the processor time each server (kgtool's with its query workers) spent per
  request, which the machine's other load does not change.

Both servers run on this machine, on loopback only, with the clients in this process; the clients' own
cost is the same for both. Nothing leaves the machine.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import statistics
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.load import HOST, free_port, running_process

__all__ = [
    "ANSWER_CACHE",
    "PAGES",
    "Latencies",
    "drive",
    "distinct_requests",
    "run_pages",
    "run_versus_oxigraph",
    "running_oxigraph",
    "cpu_seconds",
    "pyoxigraph_cpu_per_request",
]


#: The pages of a reader's visit, by kind: (kind, path). Named queries are timed beside them (as CSV).
PAGES: list[tuple[str, str]] = [
    ("home", "/"),
    ("evolution", "/evolution"),
    ("version", "/version/2.0"),
    ("cluster", "/cluster/artificial-intelligence"),
    ("observation", "/observation/application-scenario-batches-2025"),
    ("query list", "/queries"),
]
#: The named queries a page's visitor (or a program) fetches by URL, timed as the kind "named query".
NAMED_QUERY_URLS = [
    "/queries/clusters?version=2.0",
    "/queries/counts",
    "/queries/events?version=2.0",
    "/queries/memberships",
    "/queries/figures",
]


@dataclass
class Latencies:
    """Answers (seconds each) and errors of one kind of request."""

    seconds: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def percentile(self, p: float) -> float:
        """The ``p``-th percentile latency in milliseconds (nan without answers)."""
        if not self.seconds:
            return float("nan")
        ordered = sorted(self.seconds)
        if p == 50:
            return statistics.median(ordered) * 1000
        return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] * 1000


@dataclass(frozen=True)
class Request:
    kind: str
    method: str
    path: str
    accept: str
    body: bytes = b""
    content_type: str = ""


async def drive(url: str, requests: list[Request], clients: int) -> tuple[dict[str, Latencies], float]:
    """Send ``requests`` (in order, each taken by the next free client) from ``clients`` clients, each on its own
    keep-alive connection from its own loopback address (127.0.1.N: as many clients as the servers see); the
    latencies by kind and the wall time."""
    kinds: dict[str, Latencies] = {r.kind: Latencies() for r in requests}
    queue: asyncio.Queue[Request] = asyncio.Queue()
    for request in requests:
        queue.put_nowait(request)

    async def client(number: int) -> None:
        transport = httpx.AsyncHTTPTransport(local_address=f"127.0.1.{number + 1}")
        async with httpx.AsyncClient(base_url=url, transport=transport, timeout=120) as http:
            while not queue.empty():
                request = queue.get_nowait()
                headers = {"Accept": request.accept}
                if request.content_type:
                    headers["Content-Type"] = request.content_type
                started = time.perf_counter()
                try:
                    response = await http.request(
                        request.method, request.path, headers=headers, content=request.body or None
                    )
                    error = None if response.status_code == 200 else str(response.status_code)
                except httpx.HTTPError as failure:
                    error = type(failure).__name__
                into = kinds[request.kind]
                if error is None:
                    into.seconds.append(time.perf_counter() - started)
                else:
                    into.errors[error] = into.errors.get(error, 0) + 1

    started = time.perf_counter()
    await asyncio.gather(*(client(n) for n in range(clients)))
    return kinds, time.perf_counter() - started


# -- the pages ----------------------------------------------------------------------------------------


def run_pages(url: str, *, clients: int = 16, requests: int = 600) -> tuple[list[str], int]:
    """The pages and the named queries' URLs under ``clients`` clients: a Markdown table, one row per kind,
    and the number of errors."""
    mix = [Request(kind, "GET", path, "text/html") for kind, path in PAGES]
    mix += [Request("named query", "GET", path, "text/csv") for path in NAMED_QUERY_URLS]
    plan = [mix[n % len(mix)] for n in range(requests)]
    asyncio.run(drive(url, mix, 1))  # each page once first: what a server caches per page is warm, as in use
    kinds, wall = asyncio.run(drive(url, plan, clients))
    rows = [
        f"pages and named queries, {clients} clients, {requests} requests in {wall:.1f} s "
        f"({requests / wall:.0f} req/s in all)",
        "",
        "| kind | answers | errors | p50 ms | p99 ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for kind, latencies in kinds.items():
        errors = ", ".join(f"{n}×{k}" for k, n in latencies.errors.items())
        rows.append(
            f"| {kind} | {len(latencies.seconds)} | {latencies.error_count}{f' ({errors})' if errors else ''} | "
            f"{latencies.percentile(50):.0f} | {latencies.percentile(99):.0f} |"
        )
    return rows, sum(latencies.error_count for latencies in kinds.values())


# -- side by side with Oxigraph server ----------------------------------------------------------------


def distinct_requests(texts: dict[str, str], count: int, *, distinct: bool, path: str, first: int = 0) -> list[Request]:
    """``count`` POSTs of the texts in turn; each ``distinct`` with a numbered comment appended (numbered from
    ``first``)."""
    from kgtool.sparql import inspect_query

    accepts = {
        name: "application/n-triples" if inspect_query(text).returns_graph else "application/sparql-results+json"
        for name, text in texts.items()
    }
    names = sorted(texts)
    plan = []
    for n in range(first, first + count):
        name = names[n % len(names)]
        text = f"{texts[name]}\n# request {n}\n" if distinct else texts[name]
        plan.append(Request("query", "POST", path, accepts[name], text.encode("utf-8"), "application/sparql-query"))
    return plan


def oxigraph_binary() -> str | None:
    """The ``oxigraph`` command (the CLI .ci/servers.sh installs with pip), next to this Python or on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


@contextlib.contextmanager
def running_oxigraph(store: Path) -> Iterator[tuple[str, int]]:
    """``oxigraph serve-read-only`` on ``store`` (the union default graph, as kgtool queries it): its URL and
    process id."""
    binary = oxigraph_binary()
    if binary is None:
        raise RuntimeError("no oxigraph command: pip install 'oxigraph>=0.5,<0.6' (as .ci/servers.sh does)")
    port = free_port()
    command = [binary, "serve-read-only", "--location", str(store), "--bind", f"{HOST}:{port}"]
    url = f"http://{HOST}:{port}"
    ready = url + "/query?query=ASK%20%7B%7D"
    with running_process([*command, "--union-default-graph"], ready, "oxigraph serve-read-only") as pid:
        yield url, pid


def _same_answers(kgtool_url: str, oxigraph_url: str, texts: dict[str, str]) -> list[str]:
    """The named queries whose answers differ in size between the servers (rows, or bytes of N-Triples)."""
    differ = []
    with httpx.Client(timeout=120) as http:
        for name, (request,) in ((n, distinct_requests({n: t}, 1, distinct=False, path="")) for n, t in texts.items()):
            sizes = []
            for url, path in ((kgtool_url, "/sparql"), (oxigraph_url, "/query")):
                response = http.post(
                    url + path,
                    content=request.body,
                    headers={"Content-Type": request.content_type, "Accept": request.accept},
                )
                if response.status_code != 200:
                    sizes.append(f"status {response.status_code}")
                elif request.accept.endswith("json"):
                    answer = response.json()
                    sizes.append(str(len(answer["results"]["bindings"]) if "results" in answer else answer["boolean"]))
                else:
                    sizes.append(str(len(set(response.text.splitlines()))))
            if sizes[0] != sizes[1]:
                differ.append(f"{name} ({sizes[0]} against {sizes[1]})")
    return differ


def cpu_seconds(pid: int) -> float:
    """The processor time (user and system) process ``pid`` and its running children (kgtool's query workers)
    have used, in seconds."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(entry.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def pyoxigraph_cpu_per_request(store: Path, plan: list[Request]) -> float:
    """The processor time (milliseconds) pyoxigraph takes in this process to evaluate each request of ``plan``
    on ``store`` (read-only, the union default graph) and write its answer in the format asked for: what
    any server built on pyoxigraph spends at least."""
    import pyoxigraph as ox

    from kgtool import formats

    native = ox.Store.read_only(str(store))
    started = time.process_time()
    for request in plan:
        answer = native.query(request.body.decode("utf-8"), use_default_graph_as_union=True)
        if isinstance(answer, ox.QueryTriples):
            answer.serialize(format=ox.RdfFormat.N_TRIPLES)
        else:
            fmt = formats.by_media_type(request.accept, "results")
            assert fmt is not None
            answer.serialize(format=fmt.oxigraph_format)
    return 1000 * (time.process_time() - started) / len(plan)


#: The runs of :func:`run_versus_oxigraph` by the state of kgtool's answer cache: (row label, requests distinct).
ANSWER_CACHE = {"cold": ("cold (every request distinct)", True), "warm": ("warm (the same texts repeat)", False)}


def run_versus_oxigraph(
    kgtool_url: str,
    kgtool_pid: int,
    store: Path,
    *,
    clients: int = 16,
    requests: int = 600,
    caches: tuple[str, ...] = tuple(ANSWER_CACHE),
) -> tuple[list[str], int]:
    """kgtool serve against oxigraph serve-read-only on ``store``: a Markdown table, cold (every request
    distinct) and warm (the same texts again), or only those of ``caches``, each server in turn on the same
    plan; and the number of errors (kgtool's and Oxigraph's, and answers that differ in size)."""
    from bench.guard import named_texts

    texts = named_texts()
    rows = []
    errors = 0
    with running_oxigraph(store) as (oxigraph_url, oxigraph_pid):
        differ = _same_answers(kgtool_url, oxigraph_url, texts)
        errors += len(differ)
        rows += [
            f"{len(texts)} named queries' text, {clients} clients, {requests} requests on each server",
            f"answers of the same size on both: {len(texts) - len(differ)} of {len(texts)}"
            + (f"; differ: {', '.join(differ)}" if differ else ""),
            "",
            "| answer cache | kgtool req/s | oxigraph req/s | ratio | kgtool p50 ms | oxigraph p50 ms | "
            "kgtool p99 ms | oxigraph p99 ms | p99 ratio | CPU ms per request (kgtool, oxigraph) | "
            "errors (kgtool, oxigraph) |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
        ]
        servers = {"kgtool": (kgtool_url, "/sparql", kgtool_pid), "oxigraph": (oxigraph_url, "/query", oxigraph_pid)}
        for label, distinct in (ANSWER_CACHE[cache] for cache in caches):
            # Two rounds, the servers in turn in opposite orders, so that a change in the machine's other load
            # during the run weighs on both alike; each round's requests are distinct from the other's too.
            latencies = {name: Latencies() for name in servers}
            walls = dict.fromkeys(servers, 0.0)
            cpu = dict.fromkeys(servers, 0.0)  # the servers' own processor time: what the machine's load cannot change
            for turn, order in enumerate((("kgtool", "oxigraph"), ("oxigraph", "kgtool"))):
                for name in order:
                    url, path, pid = servers[name]
                    before = cpu_seconds(pid)
                    plan = distinct_requests(texts, requests // 2, distinct=distinct, path=path, first=turn * requests)
                    kinds, wall = asyncio.run(drive(url, plan, clients))
                    latencies[name].seconds += kinds["query"].seconds
                    for kind, n in kinds["query"].errors.items():
                        latencies[name].errors[kind] = latencies[name].errors.get(kind, 0) + n
                    walls[name] += wall
                    cpu[name] += cpu_seconds(pid) - before
            ours, theirs = latencies["kgtool"], latencies["oxigraph"]
            ours_rate, their_rate = len(ours.seconds) / walls["kgtool"], len(theirs.seconds) / walls["oxigraph"]
            errors += ours.error_count + theirs.error_count
            rows.append(
                f"| {label} | {ours_rate:.0f} | {their_rate:.0f} | {ours_rate / their_rate:.2f}x | "
                f"{ours.percentile(50):.0f} | {theirs.percentile(50):.0f} | {ours.percentile(99):.0f} | "
                f"{theirs.percentile(99):.0f} | {ours.percentile(99) / theirs.percentile(99):.2f}x | "
                f"{1000 * cpu['kgtool'] / requests:.1f}, {1000 * cpu['oxigraph'] / requests:.1f} | "
                f"{ours.error_count}, {theirs.error_count} |"
            )
    floor = pyoxigraph_cpu_per_request(store, distinct_requests(texts, requests, distinct=True, path=""))
    rows += [
        "",
        f"pyoxigraph itself, in this process, on the same requests: {floor:.1f} ms of processor time per request "
        "(evaluating each query and writing its answer: what any server built on pyoxigraph spends at least)",
    ]
    return rows, errors
