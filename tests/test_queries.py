"""The named queries: their answers on the real graph, the same from every store and entry point.

- golden answers (tests/golden/*.json, reviewed against the fact sheet) from the Oxigraph and rdflib
  stores, the Python methods and the CLI;
- the query files: documented headers, portable SPARQL 1.1 (parsed with no prefixes predeclared, by
  both engines), explicit ORDER BY;
- parameters: values that try to change a query stay plain values; unknown queries, unknown or
  missing parameters and ill-typed values are errors that say what is valid (exit code 2 on the CLI);
- logic that the real data does not exercise yet, on small extra data files (a 3.0 with events for
  lineage; targets and actuals of every qualifier for targets-vs-actuals).
"""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
from ci_servers import SERVER_PARAMS, server_options
from rdflib import Literal
from rdflib.plugins.sparql import prepareQuery
from wcwidth import wcwidth

import kgtool
from kgtool.build import source_graphs
from kgtool.cli import main
from kgtool.errors import ParameterError, UsageError
from kgtool.graph import KnowledgeGraph
from kgtool.paths import project_paths
from kgtool.queries import NamedQuery, Param, load_queries
from kgtool.results import QueryResult
from kgtool.sparql import strip_literals
from kgtool.stores.oxigraph import OxigraphStore

GOLDEN_DIR = Path(__file__).parent / "golden"
GOLDEN = sorted(GOLDEN_DIR.glob("*.json"))
QUERIES = load_queries(project_paths().queries_dir)

#: The Python method that runs each named query (its keyword arguments are the query's parameters).
METHOD = {
    "clusters": "clusters",
    "taxonomy-as-of": "clusters",  # clusters(as_of=...)
    "version-diff": "diff",
    "lineage": "lineage",
    "events": "events",
    "event-types": "event_types",
    "counts": "counts",
    "versions": "versions",
    "priorities": "priorities",
    "announcement": "announcement",
    "announcement-by-cluster": "announcement_by_cluster",
    "achievement-claims": "achievement_claims",
    "corrections": "corrections",
    "growth": "growth",
    "metric-series": "metric_series",
    "targets-vs-actuals": "targets_vs_actuals",
    "above-threshold": "above_threshold",
    "conflicts": "conflicts",
    "measures": "measures",
    "sources-of": "sources_of",
    "statements-from-source": "statements_from_source",
    "single-source-statements": "single_source_statements",
    "uncertain-facts": "uncertain_facts",
    "search": "search",
    "memberships": "memberships",
    "event-clusters": "event_clusters",
    "figures": "figures",
    "citations": "citations",
    "labels": "labels",
    "properties": "properties",
    "links-to": "links_to",
    "ontology-terms": "ontology_terms",
    "ontology-axioms": "ontology_axioms",
}


@pytest.fixture(params=["oxigraph", pytest.param("memory", marks=pytest.mark.rdflib_engine)])
def any_kg(request: pytest.FixtureRequest) -> KnowledgeGraph:
    """The real graph in each store in turn."""
    return request.getfixturevalue("kg" if request.param == "oxigraph" else "kg_memory")


def golden(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def answer(result: QueryResult) -> list[dict[str, Any]]:
    """The rows as the CLI's --format json prints them."""
    return json.loads(result.to_json())


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def examples(query: NamedQuery) -> dict[str, str]:
    return {p.name: p.example for p in query.params if p.example}


# -- golden answers -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.stem)
def test_golden_answer(any_kg: KnowledgeGraph, path: Path) -> None:
    expected = golden(path)
    assert answer(any_kg.query(expected["query"], **expected["params"])) == expected["rows"]


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.stem)
def test_golden_answer_from_the_python_method(kg: KnowledgeGraph, path: Path) -> None:
    expected = golden(path)
    params = dict(expected["params"])
    if expected["query"] == "taxonomy-as-of":
        params["as_of"] = params.pop("date")
    result = getattr(kg, METHOD[expected["query"]])(**params)
    assert answer(result) == expected["rows"]


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.stem)
def test_golden_answer_from_the_cli(built_home: Path, capsys: pytest.CaptureFixture[str], path: Path) -> None:
    expected = golden(path)
    argv = ["query", expected["query"], "--format", "json", "--home", str(built_home)]
    for key, value in expected["params"].items():
        argv += ["-p", f"{key}={value}"]
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    assert json.loads(out) == expected["rows"]


@pytest.fixture(scope="module", params=SERVER_PARAMS)
def remote_kg(request: pytest.FixtureRequest) -> Iterator[KnowledgeGraph]:
    """Each SPARQL server CI starts (tests/ci_servers.py), holding a fresh copy of the project's graphs."""
    graph = kgtool.open("sparql", options=server_options(request.param))
    graph.store.replace(source_graphs())
    yield graph
    graph.close()


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.stem)
def test_golden_answer_on_a_sparql_server(remote_kg: KnowledgeGraph, path: Path) -> None:
    expected = golden(path)
    assert answer(remote_kg.query(expected["query"], **expected["params"])) == expected["rows"]


def test_every_named_query_has_a_golden_answer_and_a_method() -> None:
    assert set(QUERIES) <= {golden(path)["query"] for path in GOLDEN}
    assert set(QUERIES) == set(METHOD)


def test_golden_files_name_their_query() -> None:
    for path in GOLDEN:
        name = golden(path)["query"]
        assert path.stem == name or path.stem.startswith(name + "-"), path


# -- the query files ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_header_documents_parameters_and_the_columns_returned(kg: KnowledgeGraph, name: str) -> None:
    query = QUERIES[name]
    assert query.summary and query.description
    for param in query.params:
        assert param.doc, f"{name}: parameter {param.name} has no doc"
        assert not param.required or param.example, f"{name}: required parameter {param.name} has no example"
    result = kg.query(name, **examples(query))
    assert [c.name for c in query.columns] == list(result.variables), "the documented columns, in order"
    assert all(c.doc for c in query.columns)
    assert len(result) > 0, "the examples of the header give an answer"


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_is_plain_portable_sparql(name: str) -> None:
    text = QUERIES[name].text
    bare = strip_literals(text)
    # parses with no prefix predeclared, by both engines
    prepareQuery(text, initNs={})
    pyoxigraph.Store().query(text)
    assert re.search(r"\bORDER\s+BY\b", bare, re.I), "an explicit ORDER BY"
    assert not re.search(r"\bSELECT\s+(?:DISTINCT\s+|REDUCED\s+)?\*", bare, re.I), "named columns, not SELECT *"
    # no engine-specific functions: the only prefixed names called are XSD casts
    calls = {m.group(1) for m in re.finditer(r"\b([A-Za-z][\w-]*):[\w-]+\s*\(", bare)}
    assert calls <= {"xsd"}, calls
    assert not re.search(r"<[^>\s]*>\s*\(", text), "no function IRIs"


@pytest.mark.rdflib_engine
@pytest.mark.parametrize("name", sorted(QUERIES))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_same_answer_from_both_stores(kg: KnowledgeGraph, kg_memory: KnowledgeGraph, name: str, lang: str) -> None:
    params = examples(QUERIES[name])
    if "lang" in {p.name for p in QUERIES[name].params}:
        params["lang"] = lang
    on_oxigraph, in_memory = kg.query(name, **params), kg_memory.query(name, **params)
    assert on_oxigraph.variables == in_memory.variables
    assert on_oxigraph.rows == in_memory.rows
    assert on_oxigraph.serialize("table") == in_memory.serialize("table")
    assert on_oxigraph.to_json() == in_memory.to_json()


def test_queries_can_be_listed_without_a_graph(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "queries")
    assert code == 0
    for name, query in QUERIES.items():
        assert f"{name}\n    {query.summary}" in out
        for param in query.params:
            assert f"-p {param.name}=<{param.type}>" in out


def test_one_query_is_shown_in_full(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "queries", "targets-vs-actuals")
    assert code == 0
    assert out.startswith("targets-vs-actuals: Targets against actuals")
    for column in QUERIES["targets-vs-actuals"].columns:
        assert f"  {column.name} " in out
    assert "example: kgtool query targets-vs-actuals" in out
    code, out, err = run(capsys, "queries", "no-such-query")
    assert (code, out) == (2, "")
    assert "known queries: above-threshold, achievement-claims, announcement-by-cluster, announcement, citations" in err


# -- the answers in detail ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "version"),
    [
        ("2022-06-05", None),  # before 1.0
        ("2022-06-06", "1.0"),  # the day 1.0 was released
        ("2024-02-29", "1.0"),
        ("2024-03-01", "2.0"),  # 2.0 is known to the month: March 2024
        ("2024-03-31", "2.0"),
        ("2026-02-09", "2.0"),  # 3.0 announced that day, but only announced
        ("2031-01-01", "2.0"),
    ],
)
def test_the_version_in_force_on_a_date(any_kg: KnowledgeGraph, day: str, version: str | None) -> None:
    result = any_kg.clusters(as_of=date.fromisoformat(day))
    assert set(result.column("version")) == ({version} if version else set())
    assert len(result) == (28 if version else 0)


def test_diff_spans_every_version_between(kg: KnowledgeGraph) -> None:
    """1.0 -> 3.0 is what 2.0 changed, then what 3.0's announcement ties to 2.0 (its priorities' links)."""
    assert kg.diff("1.0", "3.0").rows == kg.diff("1.0", "2.0").rows + kg.diff("2.0", "3.0").rows
    announced = kg.diff("2.0", "3.0").dicts()
    assert {r["change"] for r in announced} == {"priority", "related"}
    assert {r["certainty"] for r in announced if r["fromCluster"] or r["fromSector"]} == {"uncertain"}
    assert sorted(r["toLabel"] for r in announced if not (r["fromCluster"] or r["fromSector"])) == [
        "Future energy",
        "New energy vehicles",
        "Sixth-Generation Mobile Communication (6G)",
    ]
    assert kg.query("version-diff", old="2.0", new="1.0").rows == []  # the query; kg.diff says it is reversed
    assert kg.diff("2.0", "2.0").rows == []


def test_diff_counts_match_the_lists(kg: KnowledgeGraph) -> None:
    """20 − 3 merged + 1 + AI + low-altitude = 20; the future list loses 2 and gains 2 (fact sheet §2.3)."""
    rows = kg.diff("1.0", "2.0").dicts()
    changes = [(r["change"], r["certainty"]) for r in rows]
    assert changes.count(("merged", "confirmed")) == 3
    assert {r["toLabel"] for r in rows if r["change"] == "added"} == {
        "Low-altitude Economy & Aerospace",
        "Intelligent Robots (Humanoid & Embodied)",
        "Frontier New Materials",
    }
    assert {r["fromLabel"] for r in rows if r["contested"]} == {"Blockchain", "Space Technology"}


def test_clusters_of_every_version_and_both_tiers(kg: KnowledgeGraph) -> None:
    counts = {(r.version, r.tier): r.clusters for r in kg.counts()}
    assert counts == {
        ("1.0", "sei"): 20,
        ("1.0", "future"): 8,
        ("2.0", "sei"): 20,
        ("2.0", "future"): 8,
        ("3.0", "sei"): 0,
        ("3.0", "future"): 0,
    }
    result = kg.clusters()
    assert {(v, sum(1 for x in result.column("version") if x == v)) for v in ("1.0", "2.0")} == {
        ("1.0", 28),
        ("2.0", 28),
    }


def test_clusters_are_grouped_by_sector(kg: KnowledgeGraph) -> None:
    sectors = [r.sectorLabel for r in kg.clusters(version="1.0") if r.tier == "sei"]
    runs = [s for i, s in enumerate(sectors) if i == 0 or sectors[i - 1] != s]
    assert len(runs) == len(set(runs)) == 7


def test_clusters_by_version_and_date_not_both(kg: KnowledgeGraph) -> None:
    with pytest.raises(UsageError, match="not both"):
        kg.clusters(version="2.0", as_of="2024-06-30")


def test_results_are_python_values(kg: KnowledgeGraph) -> None:
    series = kg.metric_series("sei-added-value", since=2025)
    row = series[0]
    assert row.value == Decimal("1670000000000") and isinstance(row.value, Decimal)
    assert row.start == date(2025, 1, 1)
    assert row.observation == "https://w3id.org/sz20plus8/observation/sei-added-value-2025"
    target = next(r for r in kg.targets_vs_actuals(version="2.0", measure="sei-added-value") if r.period == "2025")
    assert target.met is True and target.difference == Decimal("7E+10") and target.ratio == Decimal("1.0438")
    assert isinstance(kg.counts()[0].clusters, int)
    assert kg.lineage("artificial-intelligence")[0].contested is False


def test_results_convert_to_dicts_json_csv_and_a_dataframe(kg: KnowledgeGraph) -> None:
    result = kg.metric_series("sei-added-value-share-of-gdp", until=2019)
    assert result.dicts()[0]["value"] == Decimal("37.7")
    assert json.loads(result.to_json())[0]["value"] == 37.7
    rows = list(csv.reader(io.StringIO(result.to_csv())))
    assert rows[0] == list(result.variables) and rows[1][3] == "37.7"
    frame = result.to_dataframe()
    assert list(frame.columns) == list(result.variables) and frame["value"][0] == Decimal("37.7")


def test_sources_of_a_statement_and_statements_of_a_source_agree(kg: KnowledgeGraph) -> None:
    event = "https://w3id.org/sz20plus8/event/2.0/merged-high-end-equipment-and-instruments"
    sources = {r.source for r in kg.sources_of(event)}
    assert sources == {"https://w3id.org/sz20plus8/source/163-com-2024"}
    for source in sources:
        assert event in kg.statements_from_source(source).column("statement")


def test_conflicts_are_values_whose_intervals_do_not_overlap(kg: KnowledgeGraph) -> None:
    for key, rows in _groups(kg.conflicts().dicts(), ("measure", "subject", "period")).items():
        assert len({r["value"] for r in rows}) > 1, key
        # every listed value lies wholly above or below some other listed value
        for row in rows:
            assert any(
                (
                    row["upperBound"] is not None
                    and other["lowerBound"] is not None
                    and row["upperBound"] <= other["lowerBound"]
                )
                or (
                    other["upperBound"] is not None
                    and row["lowerBound"] is not None
                    and other["upperBound"] <= row["lowerBound"]
                )
                for other in rows
            ), (key, row)
    gdp_2020 = {r["value"] for r in kg.conflicts("gdp") if r["period"] == "2020"}
    assert gdp_2020 == {Decimal("2.76E12"), Decimal("2.78E12"), Decimal("2.83E12")}


def _groups(rows: list[dict[str, Any]], keys: tuple[str, ...]) -> dict[tuple[Any, ...], list[dict[str, Any]]]:
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(row[k] for k in keys), []).append(row)
    return groups


def test_uncertain_facts_are_not_confirmed(kg: KnowledgeGraph) -> None:
    rows = kg.uncertain_facts().dicts()
    assert {r["certainty"] for r in rows} == {"uncertain", "secondary"}
    assert {r["aspect"] for r in rows} == {"statement", "sector", "property"}
    # the document number only a third-party file gives, less certain than its (confirmed) document
    assert ("secondary", "property", "https://w3id.org/sz20plus8/statement/document/2022-opinions/document-number") in {
        (r["certainty"], r["aspect"], r["statement"]) for r in rows
    }


def test_search_in_english_and_chinese(kg: KnowledgeGraph) -> None:
    assert kg.search("Artificial Intelligence")[0].node == kg.search("人工智能")[0].node
    assert kg.search("ROBOTICS")[0].label == "Robotics"
    # quotes are searched for as they are
    assert [r.node.rsplit("/", 1)[1] for r in kg.search('"AI+"')] == [
        "ai-plus-and-robot-plus-initiatives",
        "ai-robot-application-scenarios",
    ]


# -- lineage and targets on data the real graph does not have yet -------------------------------------

EVENTS_3_0 = """version = "3.0"
previous = "2.0"

[[event]]
id = "renamed-ai-plus"
type = "renamed"
from = ["artificial-intelligence"]
to = ["ai-plus"]
label_en = "Artificial intelligence renamed AI plus (test data)"
certainty = "uncertain"
competing = []
[[event.source]]
id = "fact-sheet"
quote = "test data"

[[event]]
id = "merged-intelligent-equipment"
type = "merged"
from = ["robotics", "high-end-equipment-and-instruments"]
to = ["intelligent-equipment"]
label_en = "Robotics and high-end equipment merged (test data)"
certainty = "uncertain"
competing = []
[[event.source]]
id = "fact-sheet"
quote = "test data"
"""


def _clusters_3_0() -> str:
    """2.0's list with AI renamed and robotics + high-end equipment merged (test data)."""
    rows = list(csv.reader(io.StringIO((project_paths().graph_dir / "clusters-2.0.csv").read_text("utf-8"))))
    out = [rows[0]]
    for row in rows[1:]:
        if row[1] == "robotics":
            continue
        if row[1] == "artificial-intelligence":
            row[1:6] = ["ai-plus", "sei", "人工智能+", "AI Plus", ""]
        if row[1] == "high-end-equipment-and-instruments":
            row[1:6] = ["intelligent-equipment", "sei", "智能装备", "Intelligent Equipment", ""]
        out.append(row)
    positions: dict[str, int] = {}
    for row in out[1:]:
        positions[row[2]] = positions.get(row[2], 0) + 1
        row[0] = str(positions[row[2]])
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(out)
    return buffer.getvalue()


def _graphs_with(tmp_path: Path, files: dict[str, str]) -> list[KnowledgeGraph]:
    """The project graph with extra data files, in the memory store and in an Oxigraph store."""
    paths = []
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(tmp_path / name)
    oxigraph = OxigraphStore()
    oxigraph.replace(source_graphs(project_paths(), paths))
    return [kgtool.open("memory", extra=paths), KnowledgeGraph(oxigraph)]


@pytest.fixture(scope="module")
def with_3_0(tmp_path_factory: pytest.TempPathFactory) -> list[KnowledgeGraph]:
    return _graphs_with(
        tmp_path_factory.mktemp("v3"), {"clusters-3.0.csv": _clusters_3_0(), "events-3.0.toml": EVENTS_3_0}
    )


def _steps(result: QueryResult) -> list[str]:
    def slug(iri: str | None) -> str:
        return iri.rsplit("/", 1)[1] if iri else "-"

    return [f"{r.direction} {r.version} {r.change} {slug(r.fromCluster)} > {slug(r.toCluster)}" for r in result]


@pytest.mark.parametrize(
    ("cluster", "steps"),
    [
        # AI came out of software (2.0) and was renamed in 3.0; software's own merger with blockchain in 2.0
        # is no part of AI's history.
        (
            "ai-plus",
            [
                "backward 2.0 elevated software-and-information-services > artificial-intelligence",
                "backward 3.0 renamed artificial-intelligence > ai-plus",
            ],
        ),
        (
            "software-and-information-services",
            [
                "backward 2.0 merged blockchain > software-and-information-services",
                "forward 2.0 elevated software-and-information-services > artificial-intelligence",
                "forward 3.0 renamed artificial-intelligence > ai-plus",
            ],
        ),
        # blockchain went into software in 2.0, the same version AI left it: AI is not its descendant
        (
            "blockchain",
            ["forward 2.0 merged blockchain > software-and-information-services", "forward 2.0 removed blockchain > -"],
        ),
        (
            "machine-tools",
            [
                "forward 2.0 merged machine-tools > high-end-equipment-and-instruments",
                "forward 3.0 merged high-end-equipment-and-instruments > intelligent-equipment",
            ],
        ),
        (
            "intelligent-equipment",
            [
                "backward 2.0 merged laser-and-additive-manufacturing > high-end-equipment-and-instruments",
                "backward 2.0 merged machine-tools > high-end-equipment-and-instruments",
                "backward 2.0 merged precision-instruments-and-equipment > high-end-equipment-and-instruments",
                "backward 2.0 renamed intelligent-robots > robotics",
                "backward 3.0 merged high-end-equipment-and-instruments > intelligent-equipment",
                "backward 3.0 merged robotics > intelligent-equipment",
            ],
        ),
    ],
)
def test_lineage_follows_events_through_every_version(
    with_3_0: list[KnowledgeGraph], cluster: str, steps: list[str]
) -> None:
    for graph in with_3_0:
        assert _steps(graph.lineage(cluster)) == steps


# (target qualifier, target, actual qualifier, actual, met)
VERDICTS = [
    ("over", 100, "exact", 101, True),
    ("over", 100, "exact", 100, False),
    ("over", 100, "over", 100, True),  # "over 100" is above 100
    ("over", 100, "over", 90, None),  # above 90: maybe above 100, maybe not
    ("over", 100, "at-least", 100, None),
    ("over", 100, "at-most", 100, False),
    ("over", 100, "at-most", 120, None),
    ("at-least", 100, "at-least", 100, True),
    ("at-least", 100, "exact", 99, False),
    ("at-least", 100, "at-most", 99, False),
    ("exact", 100, "exact", 100, True),  # a target of 100 is met by reaching it
    ("exact", 100, "about", 120, True),
    ("at-most", 3, "exact", 2, True),
    ("at-most", 3, "exact", 4, False),
    ("at-most", 3, "at-most", 3, True),
    ("at-most", 3, "over", 3, False),
    ("at-most", 3, "at-least", 3, None),
]


@pytest.fixture(scope="module")
def with_verdicts(tmp_path_factory: pytest.TempPathFactory) -> list[KnowledgeGraph]:
    head = "measure,subject,period,reported_value,unit_multiplier,unit,qualifier,reported_text,certainty,sources,quotes,note"
    targets, actuals = [f"id,version,{head}"], [f"id,{head}"]
    for i, (tq, tv, aq, av, _) in enumerate(VERDICTS):
        year = 2040 + i
        common = "ai-enterprises,place/shenzhen,{year},{value},0,count,{q},test data,uncertain,fact-sheet,test data,"
        targets.append(f"t{year},3.0," + common.format(year=year, value=tv, q=tq))
        actuals.append(f"a{year}," + common.format(year=year, value=av, q=aq))
    return _graphs_with(
        tmp_path_factory.mktemp("verdicts"),
        {"targets-test.csv": "\n".join(targets) + "\n", "observations-test.csv": "\n".join(actuals) + "\n"},
    )


def test_targets_are_met_by_what_the_actual_figure_says(with_verdicts: list[KnowledgeGraph]) -> None:
    for graph in with_verdicts:
        rows = {int(r.period): r for r in graph.targets_vs_actuals(version="3.0", measure="ai-enterprises")}
        for i, (tq, tv, aq, av, met) in enumerate(VERDICTS):
            row = rows[2040 + i]
            assert (row.targetQualifier, row.actualQualifier, row.met) == (tq, aq, met), (tq, tv, aq, av)
            assert row.difference == av - tv


# -- parameters: plain values, and errors that say what is valid --------------------------------------

HOSTILE = [
    '"} UNION { ?node ?p ?name } #',
    "') } UNION { ?node ?p ?name } #",
    '人工智能" . } #',
    "x\n} UNION {\n?node ?p ?name",
    "line\r\nbreak\ttab",
    '\\"} UNION { ?node ?p ?name } #',
    "\\u0022} UNION { ?node ?p ?name } #",
    "\\U00000022} UNION {",
    "\\\\u0022",
    '"""',
    "'''",
    "# not a comment",
    "}",
    "\\",
    "a\\",
    "\\n",
    "\x00\x07",
]


@pytest.mark.parametrize("text", HOSTILE, ids=repr)
def test_a_value_that_tries_to_change_the_query_is_a_plain_value(any_kg: KnowledgeGraph, text: str) -> None:
    assert len(any_kg.search(text)) == 0
    echo = NamedQuery("echo", Path("echo.rq"), "SELECT ?text WHERE { }", "echo", (Param("text", required=True),))
    assert any_kg.store.query(echo.bind({"text": Literal(text)})).rows == [(text,)]


def test_a_value_cannot_break_out_of_an_iri(kg: KnowledgeGraph) -> None:
    for fact in ["https://w3id.org/sz20plus8/x> } UNION { ?s ?p ?o } #", "event/2.0/x>{", "http://a b"]:
        with pytest.raises(ParameterError, match="IRI"):
            kg.sources_of(fact)


def test_unknown_query_lists_the_known_ones(kg: KnowledgeGraph) -> None:
    with pytest.raises(UsageError, match="known queries: above-threshold, achievement-claims, announcement-by-cluster"):
        kg.query("no-such-query")


def test_unknown_parameter_lists_the_parameters(kg: KnowledgeGraph) -> None:
    with pytest.raises(ParameterError, match=r"no parameter 'versoin'; its parameters: version \(version\), lang"):
        kg.query("clusters", versoin="2.0")


def test_missing_parameter_says_what_to_give(kg: KnowledgeGraph) -> None:
    with pytest.raises(ParameterError, match="needs the parameter 'cluster'.*kgtool query lineage -p cluster="):
        kg.query("lineage")


BAD_VALUES = [
    ("clusters", {"version": "two"}, "known: 1.0, 2.0, 3.0"),
    ("clusters", {"version": "9.0"}, "unknown version '9.0' for 'version'; known: 1.0, 2.0, 3.0"),
    ("clusters", {"lang": "fr"}, "not one of: en, zh"),
    ("taxonomy-as-of", {"date": "2024-13-01"}, "not a date YYYY-MM-DD"),
    ("events", {"version": "2.0", "type": "exploded"}, "not one of: added, elevated, merged, renamed, moved, removed"),
    ("above-threshold", {"measure": "gdp", "year": "twenty", "threshold": "1"}, "not a whole number"),
    ("above-threshold", {"measure": "gdp", "year": "2023", "threshold": "lots"}, "not a number"),
    (
        "above-threshold",
        {"measure": "gdp", "year": "2023", "threshold": "1", "kind": "planet"},
        "not one of: place, cluster, sector",
    ),
    ("metric-series", {"measure": "no-such-measure"}, "known: advanced-manufacturing-share-of-industry"),
    ("metric-series", {"measure": "gdp", "subject": "cluster/nowhere"}, "known: cluster/"),
    ("statements-from-source", {"source": "nowhere"}, "known: 163-com-2024"),
    ("uncertain-facts", {"level": "doubtful"}, "not one of: confirmed, secondary, uncertain"),
    ("lineage", {"cluster": "智能机器人"}, "several clusters: intelligent-robots, intelligent-robots-future-industry"),
    ("lineage", {"cluster": "robotic"}, "did you mean: "),
    ("sources-of", {"fact": "not an iri"}, "absolute IRI"),
]


def test_a_value_the_graph_no_longer_has_is_refused_again(built_home: Path, tmp_path: Path) -> None:
    """A parameter value found in the graph is not looked up again on the next run, until the store is
    changed: then a version removed by an update is refused as unknown."""
    import pyoxigraph as ox

    from kgtool.paths import store_path
    from kgtool.stores.oxigraph import OxigraphStore

    store = OxigraphStore(tmp_path / "store", writable=True)
    store.native.load(
        ox.Store.read_only(str(store_path(built_home).resolve())).dump(format=ox.RdfFormat.N_QUADS),
        format=ox.RdfFormat.N_QUADS,
    )
    kg = KnowledgeGraph(store)
    assert {row.version for row in kg.query("clusters", version="2.0")} == {"2.0"}
    assert {row.version for row in kg.query("clusters", version="2.0")} == {"2.0"}
    store.update(
        "PREFIX sz: <https://w3id.org/sz20plus8/def#> "
        'DELETE WHERE { GRAPH ?g { ?v a sz:PolicyVersion ; sz:versionNumber "2.0" } }'
    )
    with pytest.raises(ParameterError, match=re.escape("unknown version '2.0' for 'version'; known: 1.0, 3.0")):
        kg.query("clusters", version="2.0")


@pytest.mark.parametrize(("name", "params", "message"), BAD_VALUES, ids=lambda v: str(v)[:40])
def test_a_bad_value_is_an_error_that_says_what_is_valid(
    kg: KnowledgeGraph, name: str, params: dict[str, str], message: str
) -> None:
    with pytest.raises(ParameterError, match=re.escape(message)):
        kg.query(name, **params)


@pytest.mark.parametrize(("name", "params", "message"), BAD_VALUES, ids=lambda v: str(v)[:40])
def test_a_bad_value_exits_2_from_the_cli(
    built_home: Path, capsys: pytest.CaptureFixture[str], name: str, params: dict[str, str], message: str
) -> None:
    argv = ["query", name, "--home", str(built_home)]
    for key, value in params.items():
        argv += ["-p", f"{key}={value}"]
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert message in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["query", "no-such-query"], "known queries: above-threshold"),
        (["query", "lineage"], "needs the parameter 'cluster'"),
        (["query", "lineage", "-p", "cluster"], "expected -p NAME=VALUE"),
        (["query", "clusters", "-p", "versoin=2.0"], "its parameters: version (version), lang (lang)"),
        (["diff", "1.0", "9.9"], "known: 1.0, 2.0, 3.0"),
        (["lineage", "no such cluster"], "no cluster 'no such cluster'"),
        (["query", "clusters", "--format", "xml"], "invalid choice"),
    ],
)
def test_usage_errors_exit_2(
    built_home: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, *argv, "--home", str(built_home))
    assert (code, out) == (2, "")
    assert message in err


# -- the CLI ------------------------------------------------------------------------------------------


def test_query_in_every_format(built_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["query", "lineage", "-p", "cluster=人工智能", "--home", str(built_home)]
    code, table, _ = run(capsys, *base)
    assert code == 0
    assert table.splitlines()[0].split() == [
        "direction",
        "version",
        "change",
        "fromCluster",
        "fromLabel",
        "toCluster",
        "toLabel",
        "certainty",
        "contested",
        "event",
    ]
    assert "cluster:software-and-information-services" in table  # IRIs abbreviated for reading
    _, text, _ = run(capsys, *base, "--format", "csv")
    assert (
        list(csv.reader(io.StringIO(text)))[1][3]
        == "https://w3id.org/sz20plus8/cluster/software-and-information-services"
    )
    _, text, _ = run(capsys, *base, "--format", "tsv")
    assert text.splitlines()[1].split("\t")[:3] == ["backward", "2.0", "elevated"]
    _, text, _ = run(capsys, *base, "--format", "md")
    assert text.startswith("| direction | version |") and "|---" in text
    _, text, _ = run(capsys, *base, "--format", "json")
    assert json.loads(text)[0]["fromLabel"] == "Software & Information Services"


def test_lang_chooses_the_labels(built_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = ["--home", str(built_home)]
    _, zh, _ = run(capsys, "query", "clusters", "-p", "version=2.0", "--lang", "zh", *home)
    _, en, _ = run(capsys, "query", "clusters", "-p", "version=2.0", *home)
    assert "人工智能" in zh and "Artificial Intelligence" not in zh
    assert "Artificial Intelligence" in en and "人工智能" not in en
    # a query without labels takes --lang too
    assert run(capsys, "query", "counts", "--lang", "zh", *home)[0] == 0


def test_diff_command(built_home: Path, capsys: pytest.CaptureFixture[str], kg: KnowledgeGraph) -> None:
    code, out, err = run(capsys, "diff", "1.0", "2.0", "--format", "json", "--home", str(built_home))
    assert code == 0 and err == ""
    assert json.loads(out) == answer(kg.diff("1.0", "2.0"))
    code, out, err = run(capsys, "diff", "1.0", "2.0", "--lang", "zh", "--home", str(built_home))
    assert "高端装备与仪器" in out
    code, out, err = run(capsys, "diff", "2.0", "1.0", "--home", str(built_home))
    assert code == 0 and len(out.splitlines()) == 2  # the header only
    assert "must come after" in err


def test_lineage_command_by_slug_iri_or_name(built_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = set()
    for cluster in [
        "artificial-intelligence",
        "https://w3id.org/sz20plus8/cluster/artificial-intelligence",
        "Artificial Intelligence",
        "artificial intelligence",
        "人工智能",
    ]:
        code, out, err = run(capsys, "lineage", cluster, "--format", "csv", "--home", str(built_home))
        assert code == 0, err
        answers.add(out)
    assert len(answers) == 1
    code, out, err = run(capsys, "lineage", "network-and-communications", "--home", str(built_home))
    assert code == 0 and len(out.splitlines()) == 2
    assert "unchanged" in err


@pytest.mark.parametrize(
    ("query", "fmt", "check"),
    [
        (
            "PREFIX sz: <https://w3id.org/sz20plus8/def#>\nSELECT (COUNT(*) AS ?n) WHERE { ?e a sz:Merger }",
            "csv",
            lambda out: out == "n\n3\n",
        ),
        (
            "PREFIX sz: <https://w3id.org/sz20plus8/def#>\nASK { ?e a sz:Elevation }",
            "json",
            lambda out: json.loads(out) == {"boolean": True},
        ),
        (
            "PREFIX sz: <https://w3id.org/sz20plus8/def#>\n"
            "CONSTRUCT { ?e sz:toCluster ?c } WHERE { ?e a sz:Elevation ; sz:toCluster ?c }",
            "nt",
            lambda out: (
                out.strip() == "<https://w3id.org/sz20plus8/event/2.0/elevated-artificial-intelligence> "
                "<https://w3id.org/sz20plus8/def#toCluster> "
                "<https://w3id.org/sz20plus8/cluster/artificial-intelligence> ."
            ),
        ),
        ("DESCRIBE <https://w3id.org/sz20plus8/cluster/robotics>", "ttl", lambda out: "机器人" in out),
    ],
)
def test_sparql_command_from_a_file_and_stdin(
    built_home: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    query: str,
    fmt: str,
    check: Any,
) -> None:
    path = tmp_path / "q.rq"
    path.write_text(query, encoding="utf-8")
    code, out, err = run(capsys, "sparql", str(path), "--format", fmt, "--home", str(built_home))
    assert code == 0, err
    assert check(out), out
    monkeypatch.setattr("sys.stdin", io.StringIO(query))
    assert run(capsys, "sparql", "-", "--format", fmt, "--home", str(built_home))[1] == out


def test_named_query_files_run_as_ad_hoc_queries(built_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A query file pasted as is (no parameters bound) is valid and answers for every value."""
    code, out, err = run(capsys, "sparql", str(QUERIES["counts"].path), "--format", "json", "--home", str(built_home))
    assert code == 0, err
    assert len(json.loads(out)) == 6


# -- tables in a terminal ------------------------------------------------------------------------------


def _cells(line: str, starts: list[int]) -> list[str]:
    """The cells of a table line, cut at the display columns where the header's columns start."""
    slots: list[str] = []
    for char in line:
        slots += [char] + [""] * (max(wcwidth(char), 1) - 1)
    bounds = [*starts, len(slots)]
    return ["".join(slots[a:b]).strip() for a, b in zip(bounds, bounds[1:], strict=False)]


def test_chinese_tables_align_by_display_width(kg: KnowledgeGraph) -> None:
    result = kg.clusters(version="2.0", lang="zh")
    lines = result.serialize("table").splitlines()
    starts = [m.start() for m in re.finditer(r"-+", lines[1])]  # the rule line is ASCII
    assert _cells(lines[0], starts) == list(result.variables)
    for line, row in zip(lines[2:], result.rows, strict=True):
        assert _cells(line, starts)[4] == row[4]  # the Chinese label, found where its column starts
        assert _cells(line, starts)[-1] == row[-1]  # and the column after it, not shifted
    widths = {
        sum(max(wcwidth(c), 1) for c in line.rstrip()) for line in lines[2:] if line.rstrip().endswith(("d", "y"))
    }
    assert len(widths) == 1  # rows that end in the same column have the same display width


# -- docs/QUERIES.md is true ---------------------------------------------------------------------------

QUERIES_DOC = project_paths().root / "docs" / "QUERIES.md"
_DOC_EXAMPLE = re.compile(r"```sh\n(kgtool [^\n]+)\n```\n\n((?:\|[^\n]*\n)+)")
_DOC_ERROR = re.compile(r"^\$ (kgtool [^\n]+)\n(kgtool: [^\n]+)$", re.M)


def _doc_examples() -> list[tuple[str, str]]:
    return _DOC_EXAMPLE.findall(QUERIES_DOC.read_text(encoding="utf-8")) if QUERIES_DOC.is_file() else []


def test_the_queries_page_shows_five_questions_and_lists_every_query() -> None:
    text = QUERIES_DOC.read_text(encoding="utf-8")
    assert len(_doc_examples()) >= 5
    for name in QUERIES:
        assert f"[`{name}`](../queries/{name}.rq)" in text


@pytest.mark.parametrize(("command", "output"), _doc_examples(), ids=lambda v: v if v.startswith("kgtool") else "")
def test_the_queries_page_shows_real_output(
    built_home: Path, capsys: pytest.CaptureFixture[str], command: str, output: str
) -> None:
    code, out, err = run(capsys, *shlex.split(command)[1:], "--home", str(built_home))
    assert code == 0, err
    assert out == output


def test_the_queries_page_shows_real_errors(built_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    errors = _DOC_ERROR.findall(QUERIES_DOC.read_text(encoding="utf-8"))
    assert errors
    for command, message in errors:
        code, out, err = run(capsys, *shlex.split(command)[1:], "--home", str(built_home))
        assert (code, out, err) == (2, "", message + "\n")


def test_a_variable_named_from_is_no_from_clause(kg: KnowledgeGraph) -> None:
    result = kg.sparql("PREFIX sz: <https://w3id.org/sz20plus8/def#>\nSELECT ?from WHERE { ?e sz:fromCluster ?from }")
    assert len(result) == 12


def test_file_state_changes_with_the_file_and_is_none_without_one(tmp_path: Path) -> None:
    from kgtool.paths import file_state

    query = tmp_path / "q.rq"
    query.write_text("ASK {}", encoding="utf-8")
    before = file_state(query)
    assert before is not None and before[1] == len("ASK {}")
    query.write_text("ASK { ?s ?p ?o }", encoding="utf-8")
    assert file_state(query) != before  # a named query edited is read again
    assert file_state(tmp_path) is None and file_state(tmp_path / "missing.rq") is None
