"""The benchmark suite (bench/) runs, small: the generated graph has the project's shape and the table
compares the four backends on the same answers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def bench(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201 - the bench package
    monkeypatch.syspath_prepend(str(ROOT))
    import bench.generate
    import bench.run

    return bench


def test_the_generated_graph_has_the_projects_shape(bench, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "graph.nq"
    count = bench.generate.write_nquads(path, 5000)
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    assert len(store) == count >= 5000
    kinds = {row[0].value.rsplit("#", 1)[1]: int(row[1].value) for row in store.query(
        "SELECT ?t (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/sz20plus8/graph/data> { ?x a ?t } } GROUP BY ?t")}
    assert {"Membership", "Observation", "Citation", "PolicyVersion", "Source", "Measure", "Sector", "Period"} <= set(kinds)
    assert kinds["StrategicEmergingIndustryCluster"] + kinds["FutureIndustry"] > 10
    assert list(bench.generate.generate(300)) == list(bench.generate.generate(300))  # deterministic


def test_every_backend_answers_the_same_number_of_rows(bench, tmp_path: Path) -> None:  # noqa: ANN001
    data, store_dir, quads, _ = bench.run.prepare(3000, tmp_path)
    results = [bench.run.run_backend(name, data, store_dir, 1) for name in bench.run.BACKENDS]
    rows = [{name: q["rows"] for name, q in r["queries"].items()} for r in results]
    assert all(r == rows[0] for r in rows) and rows[0]["clusters"] > 0
    text = bench.run.table(results, quads)
    assert "| kgtool / pyoxigraph |" in text and text.count("\n|") >= 5


def test_the_command_prints_the_table(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "bench/run.py", "--triples", "2000", "--repeat", "1", "--backends",
                           "pyoxigraph,kgtool", "--workdir", str(tmp_path)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("| backend |") and "| kgtool |" in done.stdout
