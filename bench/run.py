"""The benchmark suite: kgtool side by side with the raw engines on generated policy graphs and the real one.

    python -m bench.run --sizes 10k,100k,1M --json bench.json     # --sizes 10k is the CI smoke run

For each size, bench/generate.py writes a graph conforming to the ontology and shapes (and a copy with
``--violations`` planted violations of each kind); then, each in a fresh process so that its peak RSS is its
own, and each figure the median of ``--repeat`` runs:

- load: the N-Quads bulk-loaded into kgtool's store vs raw pyoxigraph's;
- every named query in queries/ (with its documented example parameters; diff and lineage are the named
  queries version-diff and lineage) through kgtool (``KnowledgeGraph.query``: parameters checked, rows of
  Python values) vs raw pyoxigraph (the same bound text, every term of every row taken) and rdflib's memory
  store (the same text; a query over ``--rdflib-timeout`` is stopped), with the number of rows compared;
- each export format through kgtool (``KnowledgeGraph.export``) vs pyoxigraph's serialiser for the same format
  (a dataset format dumped from the store, a graph format written from the store's triples); JSON-LD, which
  kgtool compacts with the term context, is compared with pyoxigraph's N-Triples writer;
- validation of the planted graph: kgtool's engine (load + shapes + rules) vs pySHACL (``advanced=True`` on
  an rdflib graph, parse included), each as a whole process, with their result sets compared, and the
  planted counts checked;
- peak RSS of kgtool's validation vs raw pyoxigraph holding the same data in memory.

On the real graph (``"real"`` in the JSON): ``kgtool validate`` vs pySHACL as processes, ``kgtool build`` vs
``kgtool validate``, and a cold ``kgtool query clusters --format csv`` vs a minimal pyoxigraph script.
Times are wall-clock seconds (medians); CPU seconds are given beside them because this machine is shared, and the
ratios and growth exponents are computed from the least CPU seconds of a figure's runs (kgtool and pyoxigraph run
in turn, after a warm-up each: another process on the machine stretches wall-clock time, and disturbs some runs
more than others, not the work done). After the last size, for every named query and export format, the growth exponent
between consecutive sizes (log of the time ratio over log of the size ratio: 1 grows as the graph, 2 with its
square) is printed, and the goals are checked: every export at most 1.5x pyoxigraph (JSON-LD 3x its N-Triples
writer), every named query at most 1.3x raw pyoxigraph, no growth exponent above 1.2 (``goals`` in the JSON).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    import pyoxigraph as ox

    from kgtool.graph import KnowledgeGraph

if __package__ in (None, ""):  # run as a script: python bench/run.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

__all__ = ["main", "parse_size", "growth_exponents", "goals", "EXPORT_FORMATS", "GOALS"]

ROOT = Path(__file__).resolve().parent.parent
EXPORT_FORMATS = ("ttl", "nt", "jsonld", "xml", "trig", "nq")
_RAW_EXPORT = {
    "nt": "N_TRIPLES",
    "nq": "N_QUADS",
    "trig": "TRIG",
    "ttl": "TURTLE",
    "xml": "RDF_XML",
    "jsonld": "JSON_LD",
}
#: The goals the run is checked against: kgtool's time over raw pyoxigraph's, and the growth exponent.
GOALS = {"export_ratio": 1.5, "jsonld_ratio_vs_ntriples": 3.0, "query_ratio": 1.3, "growth_exponent": 1.2}

MINIMAL_SCRIPT = """import sys
import pyoxigraph as ox
store = ox.Store.read_only(sys.argv[1])
query = open(sys.argv[2]).read()
out = store.query(query, use_default_graph_as_union=True).serialize(format=ox.QueryResultsFormat.CSV)
sys.stdout.buffer.write(out)
"""


def parse_size(text: str) -> int:
    """``10k`` → 10000, ``1M`` → 1000000."""
    text = text.strip()
    factor = {"k": 1_000, "K": 1_000, "m": 1_000_000, "M": 1_000_000}.get(text[-1:], 1)
    return int(float(text[:-1] if factor > 1 else text) * factor)


def _peak_mb() -> float:
    """This process's peak RSS in MB (VmHWM: unlike ru_maxrss, not inherited across exec)."""
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024 / 1e6
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6


def _limited(run: Callable[[], object], seconds: float) -> object:
    """``run()``, stopped with TimeoutError after ``seconds``."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"over {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return run()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _clock(run: Callable[[], object], timeout: float) -> tuple[float, float, object]:
    """(wall-clock seconds, CPU seconds of this process, result) of one run of ``run``."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = _limited(run, timeout)
    return time.perf_counter() - wall, time.process_time() - cpu, result


def _timed(run: Callable[[], object], repeat: int, timeout: float = 600.0) -> dict[str, Any]:
    """Median wall-clock and CPU seconds of ``repeat`` runs after a warm-up run (see :func:`_paired`)."""
    return _paired({"run": run}, repeat, timeout)["run"]


def _paired(runs: dict[str, Callable[[], object]], repeat: int, timeout: float = 600.0) -> dict[str, dict[str, Any]]:
    """Each of ``runs`` timed side by side: a warm-up run of each, then ``repeat`` rounds in which each runs once
    in turn (so that other work on the machine falls on both alike; fast ones are repeated for 0.3 s in all, and a
    warm-up over 30 s is the one measurement). For each: the median wall-clock seconds, the median and the least
    CPU seconds (the least is the run least disturbed by other processes), the rounds, the first result; a run
    stopped after ``timeout`` seconds has ``None`` for its times."""
    out: dict[str, dict[str, Any]] = {}
    walls: dict[str, list[float]] = {}
    cpus: dict[str, list[float]] = {}
    slowest = 0.0
    for name, run in runs.items():
        try:
            wall, cpu, result = _clock(run, timeout)
        except Exception as error:  # noqa: BLE001 - a timeout may come wrapped (kgtool's store reports it as a QueryError)
            if not _is_timeout(error):
                raise
            out[name] = {"median_s": None, "median_cpu_s": None, "min_cpu_s": None, "runs": 0, "result": None}
            out[name]["timeout_s"] = timeout
            continue
        out[name] = {"result": result}
        walls[name], cpus[name] = [wall], [cpu]
        slowest = max(slowest, wall)
    rounds = 0 if slowest > 30 else max(repeat, min(200, int(0.3 / max(slowest, 1e-6))))
    if rounds:
        walls = {name: [] for name in walls}
        cpus = {name: [] for name in cpus}
    for _ in range(rounds):
        for name in walls:
            wall, cpu, _ = _clock(runs[name], timeout)
            walls[name].append(wall)
            cpus[name].append(cpu)
    for name in walls:
        out[name].update(
            median_s=statistics.median(walls[name]),
            median_cpu_s=statistics.median(cpus[name]),
            min_cpu_s=min(cpus[name]),
            runs=len(walls[name]),
        )
    return out


def _is_timeout(error: BaseException) -> bool:
    cause: BaseException | None = error
    while cause is not None and not isinstance(cause, TimeoutError):
        cause = cause.__cause__
    return cause is not None


# -- workers: each runs in its own process -----------------------------------------------------------------------


def _named_queries(kg: KnowledgeGraph) -> dict[str, tuple[dict[str, str], str]]:
    """Each named query's example parameters and the text kgtool runs for them."""
    out: dict[str, tuple[dict[str, str], str]] = {}
    for name, named in kg.queries.items():
        params = {p.name: p.example for p in named.params if p.required and p.example}
        values = named.check_params(params)
        terms = {key: kg.resolve(named.param(key), value, name) for key, value in values.items()}
        out[name] = (params, str(named.bind(terms)))
    return out


def _kgtool_rows(kg: KnowledgeGraph, name: str, params: dict[str, str]) -> int:
    return len(kg.query(name, **params).rows)


def _raw_rows(store: ox.Store, text: str) -> int:
    solutions = cast("ox.QuerySolutions", store.query(text, use_default_graph_as_union=True))
    return len([tuple(s) for s in solutions])


def worker_queries(store_dir: Path, repeat: int, timeout: float = 120.0) -> dict[str, Any]:
    """Every named query through kgtool and through raw pyoxigraph, on the same on-disk store."""
    import pyoxigraph as ox

    from kgtool.graph import KnowledgeGraph
    from kgtool.stores.oxigraph import OxigraphStore

    kg = KnowledgeGraph(OxigraphStore(store_dir))
    raw = ox.Store.read_only(str(store_dir))
    out: dict[str, Any] = {}
    for name, (params, text) in _named_queries(kg).items():
        timed = _paired(
            {"kgtool": partial(_kgtool_rows, kg, name, params), "raw": partial(_raw_rows, raw, text)}, repeat, timeout
        )
        mine, theirs = timed["kgtool"], timed["raw"]
        out[name] = {
            "kgtool_s": mine["median_s"],
            "pyoxigraph_s": theirs["median_s"],
            "kgtool_cpu_s": mine["min_cpu_s"],
            "pyoxigraph_cpu_s": theirs["min_cpu_s"],
            "rows": mine["result"],
            "raw_rows": theirs["result"],
        }
    return {"queries": out, "peak_mb": _peak_mb()}


def worker_rdflib(data: Path, store_dir: Path, repeat: int, timeout: float) -> dict[str, Any]:
    """rdflib's memory store: parse the N-Quads, then run the text kgtool runs for each named query."""
    from rdflib import Dataset

    from kgtool.graph import KnowledgeGraph
    from kgtool.stores.oxigraph import OxigraphStore

    texts = _named_queries(KnowledgeGraph(OxigraphStore(store_dir)))
    started = time.perf_counter()
    dataset = Dataset(default_union=True)
    dataset.parse(str(data), format="nquads")
    load_s = time.perf_counter() - started
    out: dict[str, Any] = {}
    for name, (_params, text) in texts.items():
        timed = _timed(partial(lambda query: len(list(dataset.query(query))), str(text)), repeat, timeout)
        out[name] = {"rdflib_s": timed["median_s"], "rows": timed["result"]}
    return {"load_s": load_s, "queries": out, "peak_mb": _peak_mb()}


def worker_exports(store_dir: Path, repeat: int, timeout: float) -> dict[str, Any]:
    """Each export format through kgtool vs pyoxigraph's own serialiser for it, on the same on-disk store: a
    dataset format dumped from the store, a graph format written from the store's triples."""
    import pyoxigraph as ox

    from kgtool.graph import KnowledgeGraph
    from kgtool.stores.oxigraph import OxigraphStore

    kg = KnowledgeGraph(OxigraphStore(store_dir))
    raw = ox.Store.read_only(str(store_dir))

    def raw_export(rdf_format: ox.RdfFormat) -> int:
        if rdf_format.supports_datasets and rdf_format != ox.RdfFormat.JSON_LD:
            return len(raw.dump(format=rdf_format) or b"")
        triples = (ox.Triple(q.subject, q.predicate, q.object) for q in raw)
        return len(ox.serialize(triples, format=rdf_format) or b"")

    out: dict[str, Any] = {}
    for fmt in EXPORT_FORMATS:
        timed = _paired(
            {
                "kgtool": partial(lambda name: len(kg.export(name)), fmt),
                "raw": partial(raw_export, getattr(ox.RdfFormat, _RAW_EXPORT[fmt])),
            },
            repeat,
            timeout,
        )
        mine, theirs = timed["kgtool"], timed["raw"]
        out[fmt] = {
            "kgtool_s": mine["median_s"],
            "pyoxigraph_s": theirs["median_s"],
            "kgtool_cpu_s": mine["min_cpu_s"],
            "pyoxigraph_cpu_s": theirs["min_cpu_s"],
            "bytes": mine["result"],
        }
    return {"exports": out, "peak_mb": _peak_mb()}


def worker_load(data: Path, engine: str) -> dict[str, Any]:
    """Bulk-load the N-Quads into a fresh on-disk store: through kgtool's store, or raw pyoxigraph."""
    import pyoxigraph as ox

    from kgtool.stores.oxigraph import OxigraphStore

    with tempfile.TemporaryDirectory(prefix="kgtool-bench-load.") as tmp:
        started = time.perf_counter()
        if engine == "kgtool":
            store = OxigraphStore(Path(tmp) / "store", writable=True)
            store.native.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
            count = len(store)
            store.close()
        else:
            raw = ox.Store(str(Path(tmp) / "store"))
            raw.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
            count = len(raw)
            raw.flush()
        seconds = time.perf_counter() - started
    return {"load_s": seconds, "quads": count, "peak_mb": _peak_mb()}


def worker_validate(data: Path, engine: str, keys_out: Path) -> dict[str, Any]:
    """Validate the N-Quads: kgtool's engine on Oxigraph (shapes and rules), or pySHACL on rdflib; the SHACL
    results' keys go to ``keys_out`` (JSON)."""
    started = time.perf_counter()
    split: dict[str, float] = {}
    if engine == "kgtool":
        import pyoxigraph as ox

        from kgtool.validate import load_rules

        store = ox.Store()
        store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
        loaded = time.perf_counter()
        from kgtool.paths import project_paths
        from kgtool.shacl import validate_store as shacl_validate

        results = shacl_validate(store, project_paths().shapes_file, union=True)
        shapes_done = time.perf_counter()
        for rule in load_rules().values():  # and the quality rules, as kgtool validate runs them
            list(cast(ox.QuerySolutions, store.query(rule, use_default_graph_as_union=True)))
        split = {"shapes_s": shapes_done - loaded, "rules_s": time.perf_counter() - shapes_done}
        keys = sorted({r.key() for r in results})
    elif engine == "raw":  # pyoxigraph holding the same data, for memory
        import pyoxigraph as ox

        store = ox.Store()
        store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
        loaded = time.perf_counter()
        list(
            cast(
                ox.QuerySolutions,
                store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", use_default_graph_as_union=True),
            )
        )
        keys = []
    else:
        from rdflib import Dataset, Graph

        from kgtool.paths import project_paths
        from kgtool.validate import pyshacl_results

        # pySHACL as it comes (advanced=True, on rdflib's memory store), without kgtool's cache of parsed
        # SPARQL (kgtool validate --engine pyshacl has it): the yardstick the issue names.
        dataset = Dataset()
        dataset.parse(str(data), format="nquads")
        graph = Graph()
        for s, p, o, _g in dataset.quads():
            graph.add((s, p, o))
        del dataset
        loaded = time.perf_counter()
        keys = sorted({r.key() for r in pyshacl_results(graph, project_paths().shapes_file, prepared=False)})
    done = time.perf_counter()
    keys_out.write_text(json.dumps(keys), encoding="utf-8")
    return {
        "load_s": loaded - started,
        "validate_s": done - loaded,
        "total_s": done - started,
        "results": len(keys),
        "peak_mb": _peak_mb(),
        **split,
    }


# -- the parent: runs workers, takes medians, compares -------------------------------------------------------------


def _run_worker(args: list[str], timeout: float) -> tuple[Any, float, float]:
    """(the worker's JSON or None on timeout, wall seconds of the whole process, its CPU seconds)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bench.run", "--worker", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:  # killed and reaped: its CPU time so far is counted
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return None, time.perf_counter() - started, cpu
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise RuntimeError(f"worker {args[0]} failed:\n{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1]), wall, cpu


def _command(argv: list[str], runs: int, env: dict[str, str] | None = None) -> dict[str, float]:
    """Median wall and CPU seconds of a command run ``runs`` times (after one warm-up)."""
    walls, cpus = [], []
    for n in range(runs + 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(argv, cwd=ROOT, capture_output=True, check=True, env={**os.environ, **(env or {})})
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if n:
            walls.append(wall)
            cpus.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return {"wall_s": statistics.median(walls), "cpu_s": statistics.median(cpus)}


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else a / b


def measure_size(
    label: str,
    workdir: Path,
    repeat: int,
    violations: int,
    pyshacl_timeout: float,
    export_timeout: float,
    rdflib_timeout: float = 120.0,
    query_timeout: float = 120.0,
    skip: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    import pyoxigraph as ox

    from bench.generate import write_nquads

    triples = parse_size(label)
    clean, planted_path = workdir / f"graph-{label}.nq", workdir / f"graph-{label}-planted.nq"
    meta = workdir / f"graph-{label}.json"
    if not (clean.exists() and planted_path.exists() and meta.exists()):
        print(f"[{label}] generating", file=sys.stderr)
        quads, _ = write_nquads(clean, triples)
        _, planted = write_nquads(planted_path, triples, violations=violations)
        meta.write_text(json.dumps({"quads": quads, "planted": planted}), encoding="utf-8")
    info = json.loads(meta.read_text(encoding="utf-8"))
    store_dir = workdir / f"oxigraph-{label}"
    if not (store_dir / "done").exists():
        store = ox.Store(str(store_dir))
        store.bulk_load(path=str(clean), format=ox.RdfFormat.N_QUADS)
        store.optimize()
        store.flush()
        del store
        (store_dir / "done").write_text("")

    print(f"[{label}] load", file=sys.stderr)
    loads = {
        engine: statistics.median(
            _run_worker(["load", "--data", str(clean), "--engine", engine], 3600)[0]["load_s"] for _ in range(repeat)
        )
        for engine in ("kgtool", "raw")
    }
    print(f"[{label}] queries", file=sys.stderr)
    queries: dict[str, Any] = {"queries": {}, "peak_mb": None}
    if "queries" not in skip:
        queries, _, _ = _run_worker(
            ["queries", "--store", str(store_dir), "--repeat", str(repeat), "--timeout", str(query_timeout)], 7200
        )
    rdflib: dict[str, Any] = {"load_s": None, "peak_mb": None, "queries": {}}
    if "rdflib" not in skip:
        print(f"[{label}] rdflib's memory store (each query up to {rdflib_timeout:.0f} s)", file=sys.stderr)
        rdflib, _, _ = _run_worker(
            [
                "rdflib",
                "--data",
                str(clean),
                "--store",
                str(store_dir),
                "--repeat",
                str(repeat),
                "--timeout",
                str(rdflib_timeout),
            ],
            7200,
        )
        for name, figures in rdflib["queries"].items():
            queries["queries"][name]["rdflib_s"] = figures["rdflib_s"]
            queries["queries"][name]["rdflib_rows"] = figures["rows"]
    exports: dict[str, Any] = {"exports": {}}
    if "exports" not in skip:
        print(f"[{label}] exports", file=sys.stderr)
        exports, _, _ = _run_worker(
            ["exports", "--store", str(store_dir), "--repeat", str(repeat), "--timeout", str(export_timeout)], 3600
        )
    print(f"[{label}] validate", file=sys.stderr)
    keys_mine, keys_theirs = workdir / f"keys-{label}-kgtool.json", workdir / f"keys-{label}-pyshacl.json"
    mine_runs = [
        _run_worker(["validate", "--data", str(planted_path), "--engine", "kgtool", "--keys", str(keys_mine)], 3600)
        for _ in range(repeat)
    ]
    raw_runs = [
        _run_worker(
            ["validate", "--data", str(planted_path), "--engine", "raw", "--keys", str(workdir / "keys-raw.json")], 3600
        )
        for _ in range(repeat)
    ]
    print(f"[{label}] pySHACL (up to {pyshacl_timeout:.0f} s)", file=sys.stderr)
    theirs, theirs_wall, theirs_cpu = _run_worker(
        ["validate", "--data", str(planted_path), "--engine", "pyshacl", "--keys", str(keys_theirs)], pyshacl_timeout
    )
    mine_wall = statistics.median(w for _, w, _ in mine_runs)
    mine_cpu = statistics.median(c for _, _, c in mine_runs)
    mine = mine_runs[0][0]
    assert mine is not None
    found = json.loads(keys_mine.read_text(encoding="utf-8"))
    per_shape: dict[str, set[str]] = {}
    for focus, _path, _value, shape, _severity in found:
        per_shape.setdefault(shape.rsplit("#", 1)[1].rstrip(">"), set()).add(focus)
    same_validation = None if theirs is None else found == json.loads(keys_theirs.read_text(encoding="utf-8"))
    peak = statistics.median(r["peak_mb"] for r, _, _ in mine_runs)
    raw_peak = statistics.median(r["peak_mb"] for r, _, _ in raw_runs)
    per_query = {name: _ratio(q["kgtool_cpu_s"], q["pyoxigraph_cpu_s"]) for name, q in queries["queries"].items()}
    query_ratios = [r for r in per_query.values() if r is not None]
    per_export = {
        fmt: _ratio(
            e["kgtool_cpu_s"],
            exports["exports"]["nt"]["pyoxigraph_cpu_s"] if fmt == "jsonld" else e["pyoxigraph_cpu_s"],
        )
        for fmt, e in exports["exports"].items()
    }
    rdflib_ratios = [
        q["rdflib_s"] / q["pyoxigraph_s"]
        for q in queries["queries"].values()
        if q.get("rdflib_s") and q["pyoxigraph_s"]
    ]
    same_rows = (
        all(
            q["rows"] == q["raw_rows"] and q.get("rdflib_rows") in (None, q["rows"])
            for q in queries["queries"].values()
        )
        if queries["queries"]
        else None
    )
    return {
        "quads": info["quads"],
        "query_ratio_vs_pyoxigraph": statistics.median(query_ratios) if query_ratios else None,
        "query_ratios_vs_pyoxigraph": per_query,
        "export_ratio_vs_pyoxigraph": per_export,
        "load_ratio_vs_pyoxigraph": loads["kgtool"] / loads["raw"],
        "queries_stopped": sorted(
            n for n, q in queries["queries"].items() if q["kgtool_s"] is None or q["pyoxigraph_s"] is None
        ),
        "rdflib_query_ratio_vs_pyoxigraph": statistics.median(rdflib_ratios) if rdflib_ratios else None,
        "rdflib_queries_stopped": sorted(n for n, q in queries["queries"].items() if q.get("rdflib_s") is None),
        "validate_seconds": statistics.median(r["total_s"] for r, _, _ in mine_runs),
        "validate_speedup_vs_pyshacl": _ratio(theirs_wall, mine_wall) if theirs is not None else None,
        "validate_speedup_at_least": None if theirs is not None else theirs_wall / mine_wall,
        "validate_speedup_cpu": _ratio(theirs_cpu, mine_cpu) if theirs is not None else None,
        "validate_same_results": same_validation,
        "peak_rss_mb": peak,
        "peak_rss_ratio_vs_pyoxigraph": peak / raw_peak,
        "same_results": same_rows,
        "planted": info["planted"],
        "planted_found": {shape: len(per_shape.get(shape, ())) for shape in info["planted"]},
        "unplanted_found": sorted(set(per_shape) - set(info["planted"])),
        "load_seconds": {**loads, "rdflib": rdflib["load_s"]},
        "rdflib_peak_mb": rdflib["peak_mb"],
        "validate": {
            "kgtool": {"process_wall_s": mine_wall, "process_cpu_s": mine_cpu, **mine},
            "pyshacl": {
                "process_wall_s": theirs_wall,
                "process_cpu_s": theirs_cpu,
                **(theirs or {"timeout_s": pyshacl_timeout}),
            },
            "raw_pyoxigraph_peak_mb": raw_peak,
        },
        "queries": queries["queries"],
        "query_worker_peak_mb": queries["peak_mb"],
        "exports": exports["exports"],
    }


def _kgtool_bytecode(compiled: bool) -> None:
    """Compile kgtool's modules into their ``__pycache__`` (as pip does for an installed package), or remove
    that bytecode (as an editable checkout runs under PYTHONDONTWRITEBYTECODE=1: from source every start).
    Only kgtool's own bytecode changes: the standard library and the dependencies keep theirs."""
    import shutil

    if compiled:
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "kgtool")], check=True)
    else:
        for cache in (ROOT / "kgtool").rglob("__pycache__"):
            shutil.rmtree(cache, ignore_errors=True)


def measure_real(workdir: Path, repeat: int) -> dict[str, Any]:
    """The real graph: kgtool validate / build / a cold query as processes, against their yardsticks, and each
    export format through the API against pyoxigraph's serialiser.

    kgtool runs compiled, as an installed package does (pySHACL and pyoxigraph are installed packages);
    the cold query is measured from source too.
    """
    from kgtool.build import source_graphs, union

    print("[real] validate, build, start-up", file=sys.stderr)
    kgtool_bin = [sys.executable, "-m", "kgtool.cli"]
    data = workdir / "real.nq"
    union(source_graphs()).serialize(data, format="nt", encoding="utf-8")
    home = workdir / "real-home"
    query_file, script = workdir / "clusters.rq", workdir / "minimal.py"
    query_argv = [*kgtool_bin, "query", "clusters", "--format", "csv"]
    minimal_argv = [sys.executable, str(script), str(home / "store"), str(query_file)]
    runs = max(repeat, 11)
    try:
        _kgtool_bytecode(compiled=True)
        validate = _command([*kgtool_bin, "validate"], max(repeat, 5))
        build = _command([*kgtool_bin, "build", "--home", str(home)], max(repeat, 5))
        pyshacl_argv = [sys.executable, "-m", "bench.run", "--worker", "validate", "--data", str(data)]
        theirs = _command([*pyshacl_argv, "--engine", "pyshacl", "--keys", str(workdir / "keys-real.json")], 3)
        from kgtool.graph import open_graph

        with open_graph("oxigraph", home=home) as kg:
            ((_params, text),) = [v for k, v in _named_queries(kg).items() if k == "clusters"]
        query_file.write_text(text, encoding="utf-8")
        script.write_text(MINIMAL_SCRIPT, encoding="utf-8")
        cold = _command(query_argv, runs, {"KGTOOL_HOME": str(home)})
        minimal = _command(minimal_argv, runs)
        _kgtool_bytecode(compiled=False)
        cold_source = _command(query_argv, runs, {"KGTOOL_HOME": str(home), "PYTHONDONTWRITEBYTECODE": "1"})
    finally:
        _kgtool_bytecode(compiled=False)
    print("[real] exports", file=sys.stderr)
    exports, _, _ = _run_worker(
        ["exports", "--store", os.path.realpath(home / "store"), "--repeat", str(max(repeat, 5)), "--timeout", "120"],
        3600,
    )
    return {
        "exports": exports["exports"],
        "validate": validate,
        "build": build,
        "pyshacl_process": theirs,
        "validate_speedup_vs_pyshacl": theirs["wall_s"] / validate["wall_s"],
        "validate_speedup_cpu": theirs["cpu_s"] / validate["cpu_s"],
        "build_over_validate": build["wall_s"] / validate["wall_s"],
        "cold_query": cold,
        "minimal_pyoxigraph_script": minimal,
        "cold_query_ratio": cold["wall_s"] / minimal["wall_s"],
        "cold_query_cpu_ratio": cold["cpu_s"] / minimal["cpu_s"],
        "cold_query_from_source": cold_source,
        "cold_query_from_source_ratio": cold_source["wall_s"] / minimal["wall_s"],
        "cold_query_from_source_cpu_ratio": cold_source["cpu_s"] / minimal["cpu_s"],
    }


def table(results: dict[str, dict[str, Any]]) -> str:
    """The JSON's headline figures as a Markdown table, one column per size."""
    sizes = [k for k in results if k not in _NOT_SIZES]
    rows = [
        ("quads", "quads", "{:,}"),
        ("named queries: kgtool / pyoxigraph (median)", "query_ratio_vs_pyoxigraph", "{:.2f}x"),
        (
            "named queries: rdflib's memory store / pyoxigraph (median of those that finished)",
            "rdflib_query_ratio_vs_pyoxigraph",
            "{:.1f}x",
        ),
        ("load: kgtool / pyoxigraph", "load_ratio_vs_pyoxigraph", "{:.2f}x"),
        ("validate (kgtool: load + shapes + rules), s", "validate_seconds", "{:.2f}"),
        ("validate speed-up vs pySHACL (processes)", "validate_speedup_vs_pyshacl", "{:.1f}x"),
        ("validate speed-up vs pySHACL in CPU time", "validate_speedup_cpu", "{:.1f}x"),
        ("same validation results as pySHACL", "validate_same_results", "{}"),
        ("peak RSS of validation, MB", "peak_rss_mb", "{:.0f}"),
        ("peak RSS: kgtool / pyoxigraph", "peak_rss_ratio_vs_pyoxigraph", "{:.2f}x"),
        ("same rows as pyoxigraph, every query", "same_results", "{}"),
    ]
    lines = ["| | " + " | ".join(sizes) + " |", "|---|" + "---|" * len(sizes)]
    for title, key, fmt in rows:
        cells = []
        for size in sizes:
            value = results[size].get(key)
            if value is None and key == "validate_speedup_vs_pyshacl":
                bound = results[size].get("validate_speedup_at_least")
                cells.append(f"> {bound:.1f}x (pySHACL stopped)" if bound else "-")
            else:
                cells.append("-" if value is None else fmt.format(value))
        lines.append(f"| {title} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


_NOT_SIZES = ("real", "growth_exponent", "growth_exponent_pyoxigraph", "goals")


def growth_exponents(
    results: dict[str, dict[str, Any]], sizes: list[str], of: str = "kgtool_cpu_s"
) -> dict[str, dict[str, dict[str, Any]]]:
    """For every named query and export format, the growth exponent of kgtool's CPU time (or of the figure
    ``of``: ``pyoxigraph_cpu_s``) between each two consecutive sizes: log(time ratio) / log(size ratio), from
    the quads of each size (``None`` where a run was stopped or skipped)."""
    out: dict[str, dict[str, dict[str, Any]]] = {"queries": {}, "exports": {}}
    for kind, found in out.items():
        for name in sorted({n for size in sizes for n in results[size][kind]}):
            pairs: dict[str, float | None] = {}
            for small, large in zip(sizes, sizes[1:], strict=False):
                before = results[small][kind].get(name, {}).get(of)
                after = results[large][kind].get(name, {}).get(of)
                grown = results[large]["quads"] / results[small]["quads"]
                exponent = math.log(after / before) / math.log(grown) if before and after and grown > 1 else None
                pairs[f"{small}-{large}"] = exponent
            found[name] = pairs
    return out


def goals(results: dict[str, dict[str, Any]], sizes: list[str], growth: dict[str, Any]) -> dict[str, Any]:
    """What misses the goals (:data:`GOALS`): exports and named queries slower than allowed against raw
    pyoxigraph at some size, growth exponents above the limit, and queries stopped."""

    def export_limit(fmt: str) -> float:
        return GOALS["jsonld_ratio_vs_ntriples"] if fmt == "jsonld" else GOALS["export_ratio"]

    exports_over = [
        {"size": size, "format": fmt, "ratio": ratio, "limit": export_limit(fmt)}
        for size in sizes
        for fmt, ratio in results[size]["export_ratio_vs_pyoxigraph"].items()
        if ratio is not None and ratio > export_limit(fmt)
    ]
    queries_over = [
        {"size": size, "query": name, "ratio": ratio, "limit": GOALS["query_ratio"]}
        for size in sizes
        for name, ratio in results[size]["query_ratios_vs_pyoxigraph"].items()
        if ratio is not None and ratio > GOALS["query_ratio"]
    ]
    growth_over = [
        {"kind": kind, "name": name, "sizes": pair, "exponent": exponent}
        for kind, found in growth.items()
        for name, pairs in found.items()
        for pair, exponent in pairs.items()
        if exponent is not None and exponent > GOALS["growth_exponent"]
    ]
    stopped = sorted({name for size in sizes for name in results[size]["queries_stopped"]})
    return {
        "limits": GOALS,
        "exports_over": exports_over,
        "queries_over": queries_over,
        "growth_over": growth_over,
        "queries_stopped": stopped,
        "met": not (exports_over or queries_over or growth_over or stopped),
    }


def growth_table(
    results: dict[str, dict[str, Any]], sizes: list[str], growth: dict[str, Any], raw_growth: dict[str, Any]
) -> str:
    """Every named query and export format: kgtool's CPU seconds at each size, the growth exponents (raw
    pyoxigraph's, doing the same work, in brackets), and kgtool's time over raw pyoxigraph's at each size
    (JSON-LD: over pyoxigraph's N-Triples writer); a figure over its goal is marked with "!"."""
    pairs = [f"{a}-{b}" for a, b in zip(sizes, sizes[1:], strict=False)]
    head = [
        "",
        *(f"{size} s" for size in sizes),
        *(f"growth {p} (pyoxigraph)" for p in pairs),
        *(f"/ pyoxigraph {s}" for s in sizes),
    ]
    lines = []
    for kind, ratios, limit in (
        ("queries", "query_ratios_vs_pyoxigraph", lambda name: GOALS["query_ratio"]),
        (
            "exports",
            "export_ratio_vs_pyoxigraph",
            lambda name: GOALS["jsonld_ratio_vs_ntriples"] if name == "jsonld" else GOALS["export_ratio"],
        ),
    ):
        title = "named query" if kind == "queries" else "export"
        lines += ["", "| " + " | ".join([title, *head[1:]]) + " |", "|---" * len(head) + "|"]
        for name, found in growth[kind].items():
            cells = [name]
            for size in sizes:
                seconds = results[size][kind].get(name, {}).get("kgtool_cpu_s")
                cells.append("stopped" if seconds is None else f"{seconds:.3f}")
            for pair in pairs:
                exponent, raw = found[pair], raw_growth[kind].get(name, {}).get(pair)
                mark = "!" if exponent is not None and exponent > GOALS["growth_exponent"] else ""
                beside = "" if raw is None else f" ({raw:.2f})"
                cells.append("-" if exponent is None else f"{exponent:.2f}{mark}{beside}")
            for size in sizes:
                ratio = results[size][ratios].get(name)
                cells.append("-" if ratio is None else f"{ratio:.2f}x" + ("!" if ratio > limit(name) else ""))
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines[1:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="10k", help="comma-separated sizes of the generated graphs, e.g. 10k,100k,1M"
    )
    parser.add_argument("--json", type=Path, help="write the measurements as JSON here")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (the median is kept)")
    parser.add_argument("--violations", type=int, default=3, help="violations planted of each kind")
    parser.add_argument("--pyshacl-timeout", type=float, default=3600, help="seconds pySHACL may take per size")
    parser.add_argument("--export-timeout", type=float, default=600, help="seconds an export may take")
    parser.add_argument("--rdflib-timeout", type=float, default=120, help="seconds a query may take on rdflib")
    parser.add_argument(
        "--query-timeout",
        type=float,
        default=120,
        help="seconds a named query may take on kgtool or pyoxigraph (then it is stopped on both)",
    )
    parser.add_argument("--no-real", action="store_true", help="skip the measurements on the real graph")
    parser.add_argument(
        "--skip", default="", help="comma-separated parts to leave out at every size: queries, rdflib, exports"
    )
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "kgtool-bench")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    for hidden in ("--data", "--store", "--engine", "--keys", "--timeout"):
        parser.add_argument(hidden, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        if args.worker == "queries":
            out = worker_queries(Path(args.store), args.repeat, float(args.timeout or 120))
        elif args.worker == "exports":
            out = worker_exports(Path(args.store), args.repeat, float(args.timeout))
        elif args.worker == "rdflib":
            out = worker_rdflib(Path(args.data), Path(args.store), args.repeat, float(args.timeout))
        elif args.worker == "load":
            out = worker_load(Path(args.data), args.engine)
        else:
            out = worker_validate(Path(args.data), args.engine, Path(args.keys))
        print(json.dumps(out))
        return 0
    args.workdir.mkdir(parents=True, exist_ok=True)
    results: dict[str, dict[str, Any]] = {}
    sizes = args.sizes.split(",")
    for label in sizes:
        results[label] = measure_size(
            label,
            args.workdir,
            args.repeat,
            args.violations,
            args.pyshacl_timeout,
            args.export_timeout,
            args.rdflib_timeout,
            args.query_timeout,
            frozenset(filter(None, args.skip.split(","))),
        )
        if args.json:  # after each size, so that a long run stopped later keeps what it measured
            args.json.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    growth = results["growth_exponent"] = growth_exponents(results, sizes)
    raw_growth = results["growth_exponent_pyoxigraph"] = growth_exponents(results, sizes, "pyoxigraph_cpu_s")
    checked = results["goals"] = goals(results, sizes, growth)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    if not args.no_real:
        results["real"] = measure_real(args.workdir, args.repeat)
    print(table(results))
    print()
    print(growth_table(results, sizes, growth, raw_growth))
    misses = len(checked["exports_over"]) + len(checked["queries_over"]) + len(checked["growth_over"])
    print(
        "\ngoals met"
        if checked["met"]
        else f"\ngoals missed: {misses} figure(s) marked !, "
        f"{len(checked['queries_stopped'])} query(ies) stopped (see goals in the JSON)"
    )
    if "real" in results:
        real = results["real"]
        print(
            f"\nreal graph: kgtool validate {real['validate']['wall_s']:.2f} s, pySHACL "
            f"{real['pyshacl_process']['wall_s']:.2f} s ({real['validate_speedup_vs_pyshacl']:.1f}x, "
            f"{real['validate_speedup_cpu']:.1f}x CPU); "
            f"build / validate {real['build_over_validate']:.2f}x; cold kgtool query / minimal pyoxigraph script "
            f"{real['cold_query_ratio']:.2f}x wall, {real['cold_query_cpu_ratio']:.2f}x CPU (kgtool from source: "
            f"{real['cold_query_from_source_ratio']:.2f}x wall, {real['cold_query_from_source_cpu_ratio']:.2f}x CPU)"
        )
        print(
            "real graph exports (kgtool.export, median wall-clock ms): "
            + ", ".join(f"{fmt} {e['kgtool_s'] * 1000:.0f}" for fmt, e in real["exports"].items())
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    bad = [
        label
        for label, r in results.items()
        if label in sizes
        and (
            r["validate_same_results"] is False
            or r["same_results"] is False
            or r["planted_found"] != r["planted"]
            or r["unplanted_found"]
        )
    ]
    if bad:
        print(f"results differ at {', '.join(bad)}: see the JSON", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
