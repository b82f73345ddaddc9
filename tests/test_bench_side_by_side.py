"""The pages under load and the side-by-side run with Oxigraph server (bench/side_by_side.py, through
``python -m bench.load --pages --versus-oxigraph``): small runs, and the request plans they send."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.side_by_side import PAGES, Latencies, cpu_seconds, distinct_requests, oxigraph_binary

ROOT = Path(__file__).resolve().parent.parent


def test_distinct_requests_append_a_numbered_comment_and_ask_for_the_form_s_format() -> None:
    texts = {"b": "SELECT * WHERE { ?s ?p ?o }", "a": "CONSTRUCT WHERE { ?s ?p ?o }"}
    plan = distinct_requests(texts, 3, distinct=True, path="/sparql")
    assert [r.body.decode() for r in plan] == [
        "CONSTRUCT WHERE { ?s ?p ?o }\n# request 0\n",
        "SELECT * WHERE { ?s ?p ?o }\n# request 1\n",
        "CONSTRUCT WHERE { ?s ?p ?o }\n# request 2\n",
    ]
    assert [r.accept for r in plan[:2]] == ["application/n-triples", "application/sparql-results+json"]
    assert {(r.method, r.path, r.content_type) for r in plan} == {("POST", "/sparql", "application/sparql-query")}
    again = distinct_requests(texts, 3, distinct=False, path="/query")
    assert [r.body.decode() for r in again] == [texts["a"], texts["b"], texts["a"]]


def test_latency_percentiles_in_milliseconds() -> None:
    latencies = Latencies(seconds=[n / 1000 for n in range(1, 101)])  # 1 ms .. 100 ms
    assert latencies.percentile(50) == pytest.approx(50.5)
    assert latencies.percentile(99) == pytest.approx(100)
    assert Latencies(errors={"503": 2, "ReadTimeout": 1}).error_count == 3


def test_cpu_seconds_count_a_process_and_its_children() -> None:
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time; end = time.process_time() + 0.3\nwhile time.process_time() < end: pass\ninput()",
        ],
        stdin=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while cpu_seconds(child.pid) < 0.3:
            assert time.monotonic() < deadline, "the child never used 0.3 s of processor time"
            time.sleep(0.05)
        assert cpu_seconds(os.getpid()) >= cpu_seconds(child.pid) + time.process_time() - 0.05
    finally:
        child.communicate(b"\n", timeout=30)


@pytest.mark.load
def test_the_pages_and_the_side_by_side_run_print_their_tables(built_home: Path) -> None:
    if oxigraph_binary() is None:
        pytest.skip("no oxigraph command (pip install 'oxigraph>=0.5,<0.6', as .ci/servers.sh does)")
    from kgtool.paths import project_paths
    from kgtool.queries import load_queries

    command = [sys.executable, "-m", "bench.load", "--home", str(built_home), "--pages", "--versus-oxigraph"]
    command += ["--clients", "4", "--side-requests", "40"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    rows = {line.split("|")[1].strip(): line.split("|")[2:-1] for line in done.stdout.splitlines() if line[:2] == "| "}
    for kind in [kind for kind, _ in PAGES] + ["named query"]:
        answers, errors = int(rows[kind][0]), rows[kind][1].strip()
        assert answers > 0 and errors == "0", (kind, rows[kind])
    named = len(load_queries(project_paths().queries_dir))
    assert f"answers of the same size on both: {named} of {named}" in done.stdout
    for run in ("cold (every request distinct)", "warm (the same texts repeat)"):
        ours, theirs = float(rows[run][0]), float(rows[run][1])
        assert ours > 0 and theirs > 0 and rows[run][-1].strip() == "0, 0"


@pytest.mark.load
def test_the_side_by_side_run_of_distinct_requests_alone(built_home: Path) -> None:
    if oxigraph_binary() is None:
        pytest.skip("no oxigraph command (pip install 'oxigraph>=0.5,<0.6', as .ci/servers.sh does)")
    command = [sys.executable, "-m", "bench.load", "--home", str(built_home), "--versus-oxigraph"]
    command += ["--answer-cache", "cold", "--clients", "4", "--side-requests", "40"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    runs = [line.split("|")[1].strip() for line in done.stdout.splitlines() if line.startswith("| c") or "warm" in line]
    assert runs == ["cold (every request distinct)"], done.stdout
    floor = re.search(r"pyoxigraph itself, in this process, on the same requests: ([0-9.]+) ms", done.stdout)
    assert floor is not None and float(floor.group(1)) > 0, done.stdout
