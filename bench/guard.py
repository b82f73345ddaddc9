"""What the query guard costs: kgtool's SPARQL parser against rdflib's, on every named query's text.

    python -m bench.guard                 # the median of 20 runs of each
    python bench/guard.py --repeat 50

For each named query (its parameters bound from their examples where they need no graph), prints the
median time of :func:`kgtool.sparql.check_query` on a text the cache has not seen (a numbered comment
appended, as distinct client queries are) and of rdflib's parse and translation, which the guard
used before; then the same for the deep requests of issue 19, which the guard refuses at once.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):  # run as a script: python bench/guard.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

__all__ = ["named_texts", "deep_texts", "measure", "main"]


def named_texts() -> dict[str, str]:
    """The named queries' text, parameters bound from their examples (except those the graph resolves)."""
    from kgtool.errors import ParameterError
    from kgtool.paths import project_paths
    from kgtool.queries import load_queries, param_term

    texts = {}
    for name, query in load_queries(project_paths().queries_dir).items():
        terms = {}
        for param in query.params:
            value = param.example if param.example is not None else param.default
            if value is None or param.type == "cluster":
                continue
            try:
                terms[param.name] = param_term(param, value, name)
            except ParameterError:
                continue
        texts[name] = str(query.bind(terms))
    return texts


def deep_texts() -> dict[str, str]:
    """The requests of issue 19 that pinned a worker for the whole time limit."""
    return {
        "path of 2,001 steps": "ASK { ?s <urn:p>" + "/<urn:p>" * 2000 + " ?o }",
        "2,000 OPTIONALs": "ASK { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o } " * 2000 + "}",
        "50,000-term sum": "ASK { FILTER(" + " + ".join(["1"] * 50_000) + ") }",
    }


def _median_ms(run: Callable[[int], object], repeat: int) -> float:
    times = []
    for n in range(repeat):
        start = time.perf_counter()
        run(n)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def measure(texts: dict[str, str], repeat: int, rdflib_repeat: int) -> list[tuple[str, int, float, float | None]]:
    """(name, bytes, guard ms, rdflib ms or None) for each text; each run on a text not seen before."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    from kgtool.errors import QueryError
    from kgtool.sparql import check_query, deep_recursion

    rows = []
    for name, text in texts.items():

        def guard(n: int, text: str = text) -> None:
            with contextlib.suppress(QueryError):  # the deep requests are refused
                check_query(f"{text}\n# {n} {time.perf_counter_ns()}")

        def rdflib(n: int, text: str = text) -> None:
            with deep_recursion():
                translateQuery(parseQuery(f"{text}\n# {n}"))

        ours = _median_ms(guard, repeat)
        theirs: float | None
        if len(text) > 20_000:  # rdflib's parser takes minutes on these (issue 19)
            theirs = None
        else:
            try:
                theirs = _median_ms(rdflib, rdflib_repeat)
            except (ParseBaseException, RecursionError, ValueError):
                theirs = None
        rows.append((name, len(text.encode("utf-8")), ours, theirs))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=20, help="runs of the guard per query (default 20)")
    parser.add_argument("--rdflib-repeat", type=int, default=3, help="runs of rdflib's parse per query (default 3)")
    args = parser.parse_args(argv)
    print(f"{'query':<28} {'bytes':>7} {'guard ms':>9} {'rdflib ms':>10} {'ratio':>7}")
    for title, texts in (("named queries", named_texts()), ("refused at once", deep_texts())):
        print(f"-- {title}")
        rows = measure(texts, args.repeat, args.rdflib_repeat)
        for name, size, ours, theirs in rows:
            ratio = f"{theirs / ours:6.0f}x" if theirs else "      -"
            rdflib = f"{theirs:10.1f}" if theirs is not None else "         -"
            print(f"{name:<28} {size:>7} {ours:9.2f} {rdflib} {ratio}")
        if title == "named queries":
            print(f"{'largest':<28} {'':>7} {max(r[2] for r in rows):9.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
