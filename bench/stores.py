"""Speed and memory of the stores on a policy-like graph: rdflib's memory store, raw pyoxigraph, kgtool's
Oxigraph store (the default) and oxrdflib.

    python -m bench.stores                      # 1,000,000 triples (minutes)
    python bench/stores.py --triples 100000     # quicker

(The benchmark suite of kgtool as a whole, validation included, is :mod:`bench.run`.)

The graph comes from :mod:`bench.stores_graph` (cached in ``--workdir``) and is bulk-loaded once into an
Oxigraph store on disk, which raw pyoxigraph, kgtool and oxrdflib then open read-only; rdflib parses the
same N-Quads into memory. Each backend runs in a fresh process, so its peak RSS
(``resource.getrusage``) is its own. Each query runs once to warm up, then ``--repeat`` times; the
table gives the median, the RSS once the data is loaded or opened, and the peak RSS after answering.

What each backend does with an answer:

- raw pyoxigraph: ``Store.query`` and every term of every row taken (pyoxigraph objects);
- kgtool: ``OxigraphStore.query``: the checked query, rows of Python values (``URIRef``, ``Decimal``...);
- oxrdflib: rdflib's ``Dataset.query`` over the same store, rows of rdflib terms;
- rdflib: rdflib's SPARQL engine over its in-memory store, rows of rdflib terms.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import cast

if __package__ in (None, ""):  # run as a script: python bench/run.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

__all__ = ["QUERIES", "BACKENDS", "run_backend", "main"]

PREFIXES = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
PREFIX sz: <https://w3id.org/sz20plus8/def#>
"""

#: Named-query-like queries: (name, what it stresses, text). ``clusters`` is the real named query.
QUERIES: list[tuple[str, str, str]] = [
    (
        "aggregate",
        "observations per measure and year: COUNT, SUM, MAX of decimals",
        PREFIXES
        + """
SELECT ?measure ?year (COUNT(?o) AS ?observations) (SUM(?value) AS ?total) (MAX(?value) AS ?largest)
WHERE {
  ?o a sz:Observation ; sz:measure ?measure ; sz:refPeriod ?p ; sz:value ?value .
  ?p rdfs:label ?year .
}
GROUP BY ?measure ?year
ORDER BY ?measure ?year
""",
    ),
    (
        "lookup",
        "one cluster: labels, memberships, sectors and sources",
        PREFIXES
        + """
SELECT ?label ?version ?position ?sector ?source ?quote
WHERE {
  VALUES ?cluster { <https://w3id.org/sz20plus8/cluster/c000042> }
  ?cluster skos:prefLabel ?label .
  ?m sz:cluster ?cluster ; sz:version ?v ; sz:position ?position ; sz:citation ?citation .
  ?v sz:versionNumber ?version .
  ?citation prov:entity ?source ; sz:quote ?quote .
  OPTIONAL { ?m sz:sector ?sector }
}
ORDER BY ?version ?label
""",
    ),
    (
        "join-order",
        "figures since 2020 with cluster and measure labels, largest first (many rows)",
        PREFIXES
        + """
SELECT ?cluster ?clusterLabel ?measureLabel ?year ?value ?text
WHERE {
  ?o a sz:Observation ; sz:subject ?cluster ; sz:measure ?measure ; sz:refPeriod ?p ; sz:value ?value ;
     sz:reportedText ?text .
  ?p rdfs:label ?year ; schema:startDate ?start .
  FILTER(?start >= "2020-01-01"^^<http://www.w3.org/2001/XMLSchema#date>)
  ?cluster skos:prefLabel ?clusterLabel . FILTER(langMatches(lang(?clusterLabel), "en"))
  ?measure skos:prefLabel ?measureLabel . FILTER(langMatches(lang(?measureLabel), "en"))
}
ORDER BY DESC(?value) STR(?o)
""",
    ),
]

BACKENDS = ("rdflib", "pyoxigraph", "kgtool", "oxrdflib")


def _named_clusters() -> tuple[str, str, str]:
    """The real named query ``clusters`` for version 5.0, bound as kgtool binds it."""
    from rdflib import Literal

    from kgtool.paths import project_paths
    from kgtool.queries import load_queries

    query = load_queries(project_paths().queries_dir)["clusters"]
    return (
        "clusters",
        "the named query clusters (version 5.0): OPTIONALs, a subquery, ORDER BY",
        query.bind({"version": Literal("5.0"), "lang": Literal("en")}),
    )


def _rss_mb() -> float:
    """The process's resident set size now, in MB."""
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def _peak_mb() -> float:
    """The process's peak RSS in MB: VmHWM, which (unlike getrusage's ru_maxrss, kept across exec on Linux)
    does not start from the RSS of the process that launched this one."""
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024 / 1e6
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6


def run_backend(
    backend: str, data: Path, store_dir: Path, repeat: int, query_timeout: float = 600.0
) -> dict[str, object]:
    """Load or open the graph in one backend, run every query, and measure; in this process.

    Every library any backend needs is imported before the baseline RSS is taken, so the memory
    columns count the data and the answering only.
    """
    import pyoxigraph as ox
    from oxrdflib import OxigraphStore as OxRdflibStore
    from rdflib import Dataset

    from kgtool.stores.oxigraph import OxigraphStore

    queries = [*QUERIES, _named_clusters()]
    baseline = _rss_mb()
    started = time.perf_counter()
    if backend == "rdflib":
        dataset = Dataset(default_union=True)
        dataset.parse(str(data), format="nquads")

        def run(text: str) -> int:
            return len(list(dataset.query(text)))
    elif backend == "pyoxigraph":
        store = ox.Store.read_only(str(store_dir))

        def run(text: str) -> int:
            result = cast(ox.QuerySolutions, store.query(text, use_default_graph_as_union=True))
            return len([tuple(solution) for solution in result])
    elif backend == "kgtool":
        kg_store = OxigraphStore(store_dir)

        def run(text: str) -> int:
            return len(kg_store.query(text).rows)
    elif backend == "oxrdflib":
        dataset = Dataset(store=OxRdflibStore(store=ox.Store.read_only(str(store_dir))), default_union=True)

        def run(text: str) -> int:
            return len(list(dataset.query(text)))
    else:
        raise ValueError(f"unknown backend {backend!r}; known: {', '.join(BACKENDS)}")
    load_s = time.perf_counter() - started
    loaded_mb = _rss_mb() - baseline
    results: dict[str, dict[str, object]] = {}
    for name, _, text in queries:
        try:
            started = time.perf_counter()
            rows = _limited(run, text, query_timeout)  # warm-up
            first = time.perf_counter() - started
            times = []
            # a query that takes long the first time is timed once more, not `repeat` times: the run stays bounded;
            # one that takes under a millisecond is timed for about half a second, so that its median is stable
            runs = 1 if first >= SLOW_S else max(repeat, min(500, int(0.5 / max(first, 1e-6))))
            for _ in range(runs):
                started = time.perf_counter()
                _limited(run, text, query_timeout)
                times.append(time.perf_counter() - started)
            results[name] = {"median_s": statistics.median(times), "rows": rows, "runs": len(times)}
        except TimeoutError:
            results[name] = {"median_s": None, "rows": None, "runs": 0, "timeout_s": query_timeout}
    return {
        "backend": backend,
        "load_s": load_s,
        "loaded_mb": loaded_mb,
        "peak_mb": _peak_mb() - baseline,
        "baseline_mb": baseline,
        "queries": results,
    }


#: A first run slower than this is followed by one timed run only.
SLOW_S = 10.0


def _limited(run: Callable[[str], int], text: str, seconds: float) -> int:
    """``run(text)``, stopped with TimeoutError after ``seconds`` (SIGALRM: rdflib's engine is Python)."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"over {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return run(text)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def prepare(triples: int, workdir: Path) -> tuple[Path, Path, int, float]:
    """The generated N-Quads and the Oxigraph store bulk-loaded from them (both cached in ``workdir``)."""
    import pyoxigraph as ox

    from bench.stores_graph import write_nquads

    data = workdir / f"graph-{triples}.nq"
    store_dir = workdir / f"oxigraph-{triples}"
    if not data.exists():
        print(f"generating {triples} triples into {data}", file=sys.stderr)
        write_nquads(data, triples)
    started = time.perf_counter()
    if not (store_dir / "done").exists():
        print(f"bulk-loading {data} into {store_dir}", file=sys.stderr)
        store = ox.Store(str(store_dir))
        store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
        store.optimize()
        store.flush()
        del store
        (store_dir / "done").write_text("")
    load_s = time.perf_counter() - started
    quads = sum(1 for _ in data.open("rb"))
    return data, store_dir, quads, load_s


def table(results: list[dict], quads: int) -> str:
    """The measurements as a Markdown table, with the ratio of kgtool to raw pyoxigraph."""
    names = list(results[0]["queries"])
    head = ["backend", "load/open s", "RSS loaded MB", "peak RSS MB", *[f"{n} ms" for n in names]]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in results:
        cells = [r["backend"], f"{r['load_s']:.2f}", f"{r['loaded_mb']:.0f}", f"{r['peak_mb']:.0f}"]
        cells += [_ms(r["queries"][n]) for n in names]
        lines.append("| " + " | ".join(cells) + " |")
    by = {r["backend"]: r for r in results}
    if "kgtool" in by and "pyoxigraph" in by:
        ratios = [_ratio(by["kgtool"]["queries"][n], by["pyoxigraph"]["queries"][n]) for n in names]
        memory = by["kgtool"]["peak_mb"] / max(by["pyoxigraph"]["peak_mb"], 1)
        lines.append(f"| kgtool / pyoxigraph | | | {memory:.2f}x | " + " | ".join(ratios) + " |")
    counted = next((r for r in results if r["backend"] == "pyoxigraph"), results[0])
    rows = ", ".join(f"{n} {counted['queries'][n]['rows']}" for n in names)
    lines += [
        "",
        f"{quads} quads; rows per answer: {rows}. Memory: RSS above the process's RSS once every "
        f"library is imported ({results[0]['baseline_mb']:.0f} MB).",
    ]
    return "\n".join(lines)


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


def _ms(query: dict) -> str:
    if query["median_s"] is None:
        return f"> {query['timeout_s'] * 1000:.0f}"
    ms = query["median_s"] * 1000
    return (f"{ms:.2f}" if ms < 10 else f"{ms:.1f}") + ("¹" if query["runs"] == 1 else "")


def _ratio(mine: dict, raw: dict) -> str:
    if mine["median_s"] is None or raw["median_s"] is None:
        return "-"
    return f"{mine['median_s'] / raw['median_s']:.2f}x"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000, help="size of the generated graph")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per query (after one warm-up)")
    parser.add_argument("--backends", default=",".join(BACKENDS), help="comma-separated, of: " + ", ".join(BACKENDS))
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(os.environ.get("TMPDIR", "/tmp")) / "kgtool-bench",
        help="where the generated graph and the Oxigraph store are cached",
    )
    parser.add_argument("--timeout", type=float, default=3600, help="seconds allowed per backend")
    parser.add_argument("--query-timeout", type=float, default=600, help="seconds allowed per run of a query")
    parser.add_argument("--json", type=Path, help="also write the measurements as JSON here")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(run_backend(args.worker, args.data, args.store, args.repeat, args.query_timeout)))
        return 0
    data, store_dir, quads, load_s = prepare(args.triples, args.workdir)
    results = []
    root = Path(__file__).resolve().parent.parent
    for backend in args.backends.split(","):
        print(f"measuring {backend}...", file=sys.stderr)
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.stores",
                "--worker",
                backend,
                "--data",
                str(data),
                "--store",
                str(store_dir),
                "--repeat",
                str(args.repeat),
                "--query-timeout",
                str(args.query_timeout),
            ],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=args.timeout,
            check=False,
        )
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            return 1
        results.append(json.loads(done.stdout.splitlines()[-1]))
    counts = {
        json.dumps({n: q["rows"] for n, q in r["queries"].items() if q["rows"] is not None}, sort_keys=True)
        for r in results
        if all(q["rows"] is not None for q in r["queries"].values())
    }
    if len(counts) > 1:
        print(f"backends disagree on the number of rows: {counts}", file=sys.stderr)
        return 1
    print(table(results, quads))
    print(
        f"\nOxigraph bulk load (shared by pyoxigraph, kgtool, oxrdflib): {load_s:.1f} s (0 when cached); "
        f"queries: median of {args.repeat} runs after a warm-up, or of up to 500 runs filling half a second "
        f"for quick ones (¹ one run: the warm-up took over {SLOW_S:.0f} s; "
        f"> a run stopped at --query-timeout); Python {sys.version.split()[0]}, pyoxigraph {_version('pyoxigraph')}, "
        f"rdflib {_version('rdflib')}, oxrdflib {_version('oxrdflib')}."
    )
    if args.json:
        args.json.write_text(json.dumps({"quads": quads, "results": results}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
