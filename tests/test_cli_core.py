"""The core commands as a user runs them: build, validate, reason, stats, export; and their exit codes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import to_isomorphic

import kgtool
from kgtool.cli import main
from kgtool.graph import KnowledgeGraph
from kgtool.paths import project_paths


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_build_prints_a_summary_and_conforms(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "build", "--home", str(tmp_path))
    assert code == 0, err
    assert "triples" in out
    assert "1.0   superseded  20 strategic emerging industry clusters, 8 future industries" in out
    assert out.rstrip().endswith("conforms")
    assert (tmp_path / "store").is_symlink()


def test_stats_reads_the_built_store(built_home: Path, kg: KnowledgeGraph, capsys: pytest.CaptureFixture[str]) -> None:
    """Each figure ``kgtool stats`` prints is what the graph holds, counted here another way."""
    code, out, _ = run(capsys, "stats", "--home", str(built_home))
    assert code == 0
    lines = out.splitlines()
    first, last = lines.index("versions") + 1, next(i for i, line in enumerate(lines) if line.startswith("events"))
    versions, figures = lines[first:last], dict(line.split() for line in lines[: first - 1] + lines[last:])
    sz = "PREFIX sz: <https://w3id.org/sz20plus8/def#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"

    def count(where: str) -> int:
        return int(kg.sparql(f"{sz}SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {where} }}").rows[0][0])

    assert figures == {
        "triples": str(len(kg.store)),
        "events": str(count("?x a/rdfs:subClassOf* sz:ReclassificationEvent")),
        "observations": str(count("?x a sz:Observation")),
        "targets": str(count("?x a sz:Target")),
        "sources": str(count("?x a sz:Source")),
    }
    assert figures["events"] == "13"  # the 1.0 -> 2.0 reclassifications the sources report
    tiers = {
        (str(number), str(tier).rsplit("#", 1)[1]): int(n)
        for number, tier, n in kg.sparql(
            f"{sz}SELECT ?number ?tier (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?m a sz:Membership ; sz:cluster ?c ; "
            "sz:version/sz:versionNumber ?number . ?c a ?tier . "
            "FILTER(?tier IN (sz:StrategicEmergingIndustryCluster, sz:FutureIndustry)) } GROUP BY ?number ?tier"
        )
    }
    assert tiers == {
        (v, t): n for v in ("1.0", "2.0") for t, n in (("StrategicEmergingIndustryCluster", 20), ("FutureIndustry", 8))
    }
    assert versions == [
        "  1.0   superseded  20 strategic emerging industry clusters, 8 future industries",
        "  2.0   in-force    20 strategic emerging industry clusters, 8 future industries",
        "  3.0   announced   no list of clusters published yet",
    ]


def test_stats_before_any_build_says_to_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "stats", "--home", str(tmp_path / "nothing"))
    assert code == 2
    assert "kgtool build" in err


def test_validate_conforms_on_the_project_graph(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate")
    assert code == 0, out + err
    assert out.strip().endswith("conforms")


def test_validate_checks_a_contributors_file_with_the_graph(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A contributor adds version 3.0's list, but names a sector that does not exist.
    clusters = (project_paths().graph_dir / "clusters-2.0.csv").read_text(encoding="utf-8")
    header, first, *_ = clusters.splitlines()
    cells = first.split(",")
    cells[6] = "no-such-sector"
    bad = tmp_path / "clusters-3.0.csv"
    bad.write_text(header + "\n" + ",".join(cells) + "\n", encoding="utf-8")
    code, _, err = run(capsys, "validate", str(bad))
    assert code == 2
    assert f"{bad}:2: unknown sector 'no-such-sector'" in err


def test_a_failed_build_leaves_the_last_good_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "home"
    assert run(capsys, "build", "--home", str(home))[0] == 0
    good = (home / "store").resolve()
    with kgtool.open("oxigraph", home=home) as kg:
        before = len(kg.store)
    broken = tmp_path / "measures.csv"
    broken.write_text("id,label_en\nx,y\n", encoding="utf-8")
    code, _, err = run(capsys, "build", "--home", str(home), str(broken))
    assert code == 2
    assert "measures.csv:1: header" in err
    assert (home / "store").resolve() == good
    with kgtool.open("oxigraph", home=home) as kg:
        assert len(kg.store) == before


def test_a_build_that_does_not_conform_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A figure whose source has no quote would not compile; one without a unit conforms to the compiler
    # but not to the shapes: remove a cluster's Chinese label through an extra Turtle file instead.
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<https://w3id.org/sz20plus8/cluster/artificial-intelligence> skos:prefLabel "AI"@en .\n',
        encoding="utf-8",
    )
    home = tmp_path / "home"
    code, out, err = run(capsys, "build", "--home", str(home), str(extra))
    assert code == 1
    assert "artificial-intelligence" in err
    assert not (home / "store").exists()


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "xml", "trig", "nq"])
def test_export_writes_every_format_and_reads_back(
    built_home: Path, tmp_path: Path, fmt: str, published_hash: int, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / f"graph.{fmt}"
    code, _, err = run(capsys, "export", "--home", str(built_home), "--format", fmt, "--out", str(out))
    assert code == 0, err
    parsed = Dataset() if fmt in ("trig", "nq") else Graph()
    parsed.parse(out, format={"ttl": "turtle", "jsonld": "json-ld", "nq": "nquads"}.get(fmt, fmt))
    union = Graph()
    for triple in (
        parsed.triples((None, None, None))
        if fmt not in ("trig", "nq")
        else ((s, p, o) for s, p, o, _ in parsed.quads((None, None, None, None)))
    ):
        union.add(triple)
    # isomorphic to the store plus the computed dataset description (what rdflib's isomorphic() compares)
    assert to_isomorphic(union).internal_hash() == published_hash


def test_export_to_stdout(built_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "export", "--home", str(built_home), "--format", "nt")
    assert code == 0
    assert "<https://w3id.org/sz20plus8/version/2.0>" in out


@pytest.mark.hermit
def test_reason_finds_the_graph_consistent(capsys: pytest.CaptureFixture[str]) -> None:
    if shutil.which("java") is None:
        pytest.skip("no Java on this machine (CI installs it)")
    code, out, err = run(capsys, "reason")
    assert code == 0, err
    assert "consistent (HermiT)" in err


@pytest.mark.hermit
def test_reason_materialize_writes_inferences(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if shutil.which("java") is None:
        pytest.skip("no Java on this machine (CI installs it)")
    out = tmp_path / "inferred.ttl"
    code, _, err = run(capsys, "reason", "--materialize", "--out", str(out))
    assert code == 0, err
    inferred = Graph().parse(out)
    # Every strategic cluster is inferred to be a sz:Cluster.
    assert any("Cluster" in str(o) for o in inferred.objects())


def test_reason_without_java_exits_3(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    code, _, err = run(capsys, "reason")
    assert code == 3
    assert "Java is not installed" in err


def test_unknown_command_and_bad_option_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "frobnicate")[0] == 2
    code, _, err = run(capsys, "export", "--format", "docx")
    assert code == 2
    assert "invalid choice" in err


def test_every_store_holds_the_same_literals(kg: kgtool.KnowledgeGraph, kg_memory: kgtool.KnowledgeGraph) -> None:
    # Decimals are written in canonical form by the compiler, so rdflib and Oxigraph hold (and export)
    # the very same bytes.
    assert kg.export("nq") == kg_memory.export("nq")


def test_the_dataset_description_can_be_queried(kg: kgtool.KnowledgeGraph, described_triples: int) -> None:
    result = kg.sparql(
        "PREFIX void: <http://rdfs.org/ns/void#>\n"
        "SELECT ?triples ?endpoint WHERE { <https://w3id.org/sz20plus8/dataset> void:triples ?triples ;"
        " void:sparqlEndpoint ?endpoint }"
    )
    assert result.rows == [(described_triples, "https://w3id.org/sz20plus8/sparql")]
