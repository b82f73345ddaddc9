"""The benchmark suite (bench/) runs: the generated graphs have the project's shape and conform to its shapes
and rules, planting gives the announced violations, and ``python -m bench.run --sizes 10k`` (the CI smoke
run) writes the JSON the issue lists. Timings are printed by the suite, never asserted here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.load


@pytest.fixture
def bench(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201 - the bench package
    monkeypatch.syspath_prepend(str(ROOT))
    import bench.generate
    import bench.run

    return bench


def test_the_generated_graph_has_the_projects_shape(bench, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "graph.nq"
    count, planted = bench.generate.write_nquads(path, 20_000)
    assert planted == {}
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    assert len(store) == count >= 15_000
    kinds = {
        row[0].value.rsplit("#", 1)[-1]: int(row[1].value)
        for row in store.query(
            "SELECT ?t (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/sz20plus8/graph/data> { ?x a ?t } } GROUP BY ?t"
        )
    }
    events = {"Addition", "Elevation", "Merger", "Renaming", "Move", "Removal", "Regrouping"}
    assert events | {"Membership", "Observation", "Target", "Citation", "PolicyVersion", "Source", "Sector"} <= set(
        kinds
    )
    regions = kinds["PolicyVersion"] // 3
    assert regions >= 3 and kinds["PolicyVersion"] == 3 * regions
    labels = store.query(  # every cluster has both labels
        "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a <https://w3id.org/sz20plus8/def#FutureIndustry> ; "
        "<http://www.w3.org/2004/02/skos/core#prefLabel> ?en, ?zh . "
        "FILTER(lang(?en) = 'en' && lang(?zh) = 'zh') }",
        use_default_graph_as_union=True,
    )
    assert int(next(labels)[0].value) == kinds["FutureIndustry"]


def test_the_generated_graph_conforms_to_the_rules(bench, tmp_path: Path) -> None:  # noqa: ANN001
    from kgtool.validate import load_rules

    path = tmp_path / "graph.nq"
    bench.generate.write_nquads(path, 12_000)
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    fired = {name for name, text in load_rules().items() if list(store.query(text, use_default_graph_as_union=True))}
    assert fired == set()


def test_sizes_read_as_people_write_them(bench) -> None:  # noqa: ANN001
    assert [bench.run.parse_size(s) for s in ("10k", "100k", "1M", "2500")] == [10_000, 100_000, 1_000_000, 2500]


def test_the_smoke_run_writes_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.run",
            "--sizes",
            "10k",
            "--repeat",
            "1",
            "--violations",
            "1",
            "--no-real",
            "--export-timeout",
            "60",
            "--json",
            str(out),
            "--workdir",
            str(tmp_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("| | 10k |")
    figures = json.loads(out.read_text(encoding="utf-8"))["10k"]
    for key in (
        "query_ratio_vs_pyoxigraph",
        "load_ratio_vs_pyoxigraph",
        "validate_seconds",
        "validate_speedup_vs_pyshacl",
        "validate_same_results",
        "peak_rss_mb",
        "peak_rss_ratio_vs_pyoxigraph",
        "same_results",
    ):
        assert figures[key] is not None, key
    assert figures["validate_same_results"] is True and figures["same_results"] is True
    assert figures["planted_found"] == figures["planted"] and figures["unplanted_found"] == []
    assert {"version-diff", "lineage", "clusters"} <= set(figures["queries"])
    assert set(figures["exports"]) == {"ttl", "nt", "jsonld", "xml", "trig", "nq"}
    assert set(figures["export_ratio_vs_pyoxigraph"]) == set(figures["exports"])
    assert all(ratio > 0 for ratio in figures["export_ratio_vs_pyoxigraph"].values())
    assert set(figures["query_ratios_vs_pyoxigraph"]) == set(figures["queries"])
    everything = json.loads(out.read_text(encoding="utf-8"))
    assert set(everything["growth_exponent"]["queries"]) == set(figures["queries"])  # one size: no pair yet
    assert set(everything["growth_exponent"]["exports"]) == set(figures["exports"])
    assert {"exports_over", "queries_over", "growth_over", "met"} <= set(everything["goals"])
    assert "| named query | 10k s |" in done.stdout and "| export | 10k s |" in done.stdout
    assert set(everything["growth_exponent_pyoxigraph"]["queries"]) == set(figures["queries"])


def test_growth_exponents_and_goals_read_the_figures_of_each_size(bench) -> None:  # noqa: ANN001
    """Worked out by hand: 10x the quads and 10x the time is exponent 1; 100x the time is 2."""
    figures = {
        "100k": {
            "quads": 100_000,
            "queries": {"linear": {"kgtool_cpu_s": 0.1}, "square": {"kgtool_cpu_s": 0.1}},
            "exports": {"nt": {"kgtool_cpu_s": 1.0}, "jsonld": {"kgtool_cpu_s": 2.0}},
            "query_ratios_vs_pyoxigraph": {"linear": 1.0, "square": 1.4},
            "export_ratio_vs_pyoxigraph": {"nt": 1.1, "jsonld": 2.9},
            "queries_stopped": [],
        },
        "1M": {
            "quads": 1_000_000,
            "queries": {"linear": {"kgtool_cpu_s": 1.0}, "square": {"kgtool_cpu_s": 10.0}},
            "exports": {"nt": {"kgtool_cpu_s": 10.0}, "jsonld": {"kgtool_cpu_s": None}},
            "query_ratios_vs_pyoxigraph": {"linear": 1.0, "square": 1.2},
            "export_ratio_vs_pyoxigraph": {"nt": 1.6, "jsonld": None},
            "queries_stopped": [],
        },
    }
    growth = bench.run.growth_exponents(figures, ["100k", "1M"])
    assert growth["queries"]["linear"]["100k-1M"] == pytest.approx(1.0)
    assert growth["queries"]["square"]["100k-1M"] == pytest.approx(2.0)
    assert growth["exports"] == {"jsonld": {"100k-1M": None}, "nt": {"100k-1M": pytest.approx(1.0)}}
    checked = bench.run.goals(figures, ["100k", "1M"], growth)
    assert [(g["name"], g["exponent"]) for g in checked["growth_over"]] == [("square", pytest.approx(2.0))]
    assert [(q["size"], q["query"]) for q in checked["queries_over"]] == [("100k", "square")]
    assert [(e["size"], e["format"]) for e in checked["exports_over"]] == [("1M", "nt")]  # JSON-LD: 2.9 < 3
    assert checked["met"] is False


# -- bench/stores.py: the stores side by side on a synthetic graph (docs/STORES.md) ---------------------


@pytest.fixture
def stores(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201 - the bench.stores module
    monkeypatch.syspath_prepend(str(ROOT))
    import bench.stores
    import bench.stores_graph

    return bench


def test_the_stores_graph_has_the_projects_shape(stores, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "graph.nq"
    count = stores.stores_graph.write_nquads(path, 5000)
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    assert len(store) == count >= 5000
    assert list(stores.stores_graph.generate(300)) == list(stores.stores_graph.generate(300))  # deterministic


def test_every_store_answers_the_same_number_of_rows(stores, tmp_path: Path) -> None:  # noqa: ANN001
    data, store_dir, quads, _ = stores.stores.prepare(3000, tmp_path)
    results = [stores.stores.run_backend(name, data, store_dir, 1) for name in stores.stores.BACKENDS]
    rows = [{name: q["rows"] for name, q in r["queries"].items()} for r in results]
    assert all(r == rows[0] for r in rows) and rows[0]["clusters"] > 0
    text = stores.stores.table(results, quads)
    assert "| kgtool / pyoxigraph |" in text and text.count("\n|") >= 5
