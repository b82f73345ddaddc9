"""The compiler of graph/: what a contributor's files become, and the errors a mistake gets.

Each error test writes a small data directory with one mistake and checks that the error names the
file, the line and the cause.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from kgtool.authoring import authoring_files, compile_graph
from kgtool.errors import DataError
from kgtool.namespaces import SZ, instance

SOURCES = """id,title_en,title_zh,publisher,date,address,kind,language,note
news-1,A report on the list,报告,A paper,2024-03,https://example.org/news,news-report,,
list-1,A list,,,,,third-party-file,,no address
fr-1,A French page,,,,,government-page,fr,
"""
VERSIONS = """
[[version]]
id = "1.0"
label_en = "Version 1.0"
label_zh = "1.0版"
status = "superseded"
issued = 2022-06-06
issued_certainty = "confirmed"
certainty = "confirmed"
[[version.source]]
id = "news-1"
quote = "6月6日,深圳出台"

[[version]]
id = "2.0"
label_en = "Version 2.0"
label_zh = "2.0版"
status = "in-force"
revises = "1.0"
issued = "2024-03"
issued_certainty = "secondary"
certainty = "confirmed"
[[version.source]]
id = "news-1"
quote = "2.0版本"

[[related_document]]
id = "2026-report"
title_en = "Government work report of 2026"
issued = 2026-02-09
certainty = "confirmed"
[[related_document.source]]
id = "news-1"
quote = "In his government work report"

[[priority]]
id = "3.0-materials"
named_in = "2026-report"
kind = "strategic"
label_en = "High-performance materials"
certainty = "confirmed"
[[priority.source]]
id = "news-1"
quote = "high-performance materials"

[[priority.link]]
relation = "concerns"
to = "cluster/high-performance-materials"
certainty = "uncertain"
note = "The same English name: an inference."
[[priority.link.source]]
id = "news-1"
quote = "high-performance materials"
"""
SECTORS = """id,label_en,label_zh,label_fr,label_ja,versions,certainty,sources,quotes,note
materials,New materials,新材料,nouveaux matériaux,新材料,1.0,confirmed,news-1,新材料,
"""
CLUSTERS_1 = """position,id,tier,label_zh,label_en,alt_labels_en,sector,sector_certainty,certainty,sources,quotes,note
1,new-materials,sei,新材料,New Materials,new materials,materials,uncertain,confirmed,news-1 | list-1,新材料 | 新材料,
1,blockchain,future,区块链,Blockchain,,,,confirmed,news-1,区块链,
"""
CLUSTERS_2 = """position,id,tier,label_zh,label_en,alt_labels_en,sector,sector_certainty,certainty,sources,quotes,note
1,high-performance-materials,sei,高性能材料,High-performance Materials,,,,secondary,list-1,高性能材料,
"""
EVENTS_2 = """version = "2.0"
previous = "1.0"

[[event]]
id = "renamed-new-materials"
type = "renamed"
from = ["new-materials"]
to = ["high-performance-materials"]
label_en = "New Materials renamed High-performance Materials"
certainty = "confirmed"
[[event.source]]
id = "news-1"
quote = "新材料产业集群调整为高性能"

[[event]]
id = "removed-blockchain"
type = "removed"
from = ["blockchain"]
label_en = "Blockchain removed"
certainty = "secondary"
[[event.source]]
id = "list-1"
quote = "(absent)"
"""
MEASURES = """id,label_en,label_zh,unit,definition
sei-added-value,SEI added value,战略性新兴产业增加值,yuan,Added value of strategic emerging industries.
"""
PLACES = """id,label_en,label_zh,wikidata
shenzhen,Shenzhen,深圳,Q15174
"""
OBSERVATIONS = """id,measure,subject,period,reported_value,unit_multiplier,unit,qualifier,reported_text,certainty,sources,quotes,note
sei-added-value-2021,sei-added-value,place/shenzhen,2021,"12,146.37",8,yuan,exact,12146.37亿元,confirmed,news-1,12146.37亿元,
"""

PLANS = """
[[technology]]
id = "advanced-materials"
label_en = "Advanced materials"
related = ["cluster/high-performance-materials"]

[[plan]]
id = "2026-materials-parks"
label_en = "Build materials parks"
named_in = "2026-report"
planned = "2026"
concerns = ["priority/3.0-materials"]
certainty = "confirmed"
[[plan.source]]
id = "news-1"
quote = "build materials parks"

[[claim]]
id = "materials-breakthroughs"
label_en = "Breakthroughs in advanced materials"
kind = "breakthrough"
period = "2021-2025"
named_in = "2026-report"
concerns = ["technology/advanced-materials"]
certainty = "confirmed"
[[claim.source]]
id = "news-1"
quote = "breakthroughs in advanced materials"
"""
CORRECTIONS = """
[[correction]]
id = "2026-12-materials-source"
node = "observation/sei-added-value-2021"
property = "sz:citation"
before = "cited to a list"
after = "cited to a report: 12146.37亿元"
status = "applied"
date = 2026-12-06
release = "0.2.0"
certainty = "confirmed"
note = "The list does not give the figure."
[[correction.source]]
id = "news-1"
quote = "12146.37亿元"
"""

FILES = {
    "sources.csv": SOURCES,
    "versions.toml": VERSIONS,
    "sectors.csv": SECTORS,
    "clusters-1.0.csv": CLUSTERS_1,
    "clusters-2.0.csv": CLUSTERS_2,
    "events-2.0.toml": EVENTS_2,
    "measures.csv": MEASURES,
    "places.csv": PLACES,
    "observations.csv": OBSERVATIONS,
    "plans-and-claims.toml": PLANS,
    "corrections.toml": CORRECTIONS,
}


@pytest.fixture
def graph_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "graph"
    directory.mkdir()
    for name, text in FILES.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


def test_a_cluster_gets_its_labels_tier_and_versions(graph_dir: Path) -> None:
    g = compile_graph(graph_dir)
    cluster = instance("cluster", "new-materials")
    assert (cluster, RDF.type, SZ.StrategicEmergingIndustryCluster) in g
    assert set(g.objects(cluster, SKOS.prefLabel)) == {
        Literal("New Materials", lang="en"),
        Literal("新材料", lang="zh"),
    }
    assert (cluster, SKOS.inScheme, instance("version", "1.0")) in g


def test_a_membership_carries_position_sector_certainty_and_citations(graph_dir: Path) -> None:
    g = compile_graph(graph_dir)
    m = instance("membership", "1.0/new-materials")
    assert g.value(m, SZ.position) == Literal(1)
    assert g.value(m, SZ.sector) == instance("sector", "materials")
    assert g.value(m, SZ.sectorCertainty) == SZ.Uncertain
    assert g.value(m, SZ.certainty) == SZ.Confirmed
    citations = set(g.objects(m, SZ.citation))
    assert citations == {URIRef(f"{m}#source-news-1"), URIRef(f"{m}#source-list-1")}
    assert set(g.objects(m, PROV.wasDerivedFrom)) == {instance("source", "news-1"), instance("source", "list-1")}
    assert g.value(URIRef(f"{m}#source-news-1"), SZ.quote) == Literal("新材料", lang="zh")


def test_figures_keep_the_reported_value_and_get_a_normalised_one(graph_dir: Path) -> None:
    g = compile_graph(graph_dir)
    obs = instance("observation", "sei-added-value-2021")
    assert g.value(obs, SZ.reportedValue).toPython() == Decimal("12146.37")
    assert g.value(obs, SZ.unitMultiplier) == Literal(8)
    assert g.value(obs, SZ.value) == Literal(Decimal("1214637000000"), datatype=XSD.decimal)
    period = g.value(obs, SZ.refPeriod)
    assert period == instance("period", "2021")


def test_a_quote_takes_its_sources_language_or_a_guess(graph_dir: Path) -> None:
    sectors = SECTORS.replace("news-1,新材料,", "news-1 | fr-1,新材料 | nouveaux matériaux,")
    (graph_dir / "sectors.csv").write_text(sectors, encoding="utf-8")
    g = compile_graph(graph_dir)
    sector = instance("sector", "materials")
    assert g.value(URIRef(f"{sector}#source-fr-1"), SZ.quote) == Literal("nouveaux matériaux", lang="fr")
    assert g.value(URIRef(f"{sector}#source-news-1"), SZ.quote) == Literal("新材料", lang="zh")


def test_a_source_has_its_english_title_and_its_original_chinese_one_where_read(graph_dir: Path) -> None:
    g = compile_graph(graph_dir)
    assert set(g.objects(instance("source", "news-1"), DCTERMS.title)) == {
        Literal("A report on the list", lang="en"),
        Literal("报告", lang="zh"),
    }
    # an English title that names a Chinese paper is still English; no Chinese title is made up for it
    (graph_dir / "sources.csv").write_text(SOURCES.replace("A list,", "A 深圳晚报 list,"), encoding="utf-8")
    titles = list(compile_graph(graph_dir).objects(instance("source", "list-1"), DCTERMS.title))
    assert titles == [Literal("A 深圳晚报 list", lang="en")]


def test_dates_keep_their_precision(graph_dir: Path) -> None:
    g = compile_graph(graph_dir)
    assert g.value(instance("version", "1.0"), SZ.issued) == Literal("2022-06-06", datatype=XSD.date)
    assert g.value(instance("version", "2.0"), SZ.issued) == Literal("2024-03", datatype=XSD.gYearMonth)


def test_events_link_clusters_before_and_after(graph_dir: Path) -> None:
    g = compile_graph(graph_dir)
    event = instance("event", "2.0/renamed-new-materials")
    assert (event, RDF.type, SZ.Renaming) in g
    assert g.value(event, SZ.fromCluster) == instance("cluster", "new-materials")
    assert g.value(event, SZ.toCluster) == instance("cluster", "high-performance-materials")
    assert g.value(event, SZ.version) == instance("version", "2.0")


def test_a_link_less_certain_than_its_record_is_a_qualified_statement(graph_dir: Path) -> None:
    g = compile_graph(graph_dir)
    priority, cluster = instance("priority", "3.0-materials"), instance("cluster", "high-performance-materials")
    assert (priority, DCTERMS.subject, cluster) in g
    statement = instance("statement", "priority/3.0-materials/subject/cluster/high-performance-materials")
    assert g.value(statement, SZ.statementSubject) == priority
    assert g.value(statement, SZ.statementProperty) == DCTERMS.subject
    assert g.value(statement, SZ.statementValue) == cluster
    assert g.value(statement, SZ.certainty) == SZ.Uncertain
    assert g.value(priority, SZ.certainty) == SZ.Confirmed
    assert str(g.value(statement, RDFS.comment)) == "The same English name: an inference."
    assert g.value(URIRef(f"{statement}#source-news-1"), SZ.quote) == Literal("high-performance materials", lang="en")
    # a link as certain as its record is a plain triple, with no statement of its own
    technology = instance("technology", "advanced-materials")
    assert (technology, SKOS.related, cluster) in g
    assert not list(g.subjects(SZ.statementSubject, technology))


def test_a_planned_measure_and_a_claim_say_where_when_and_what_they_concern(graph_dir: Path) -> None:
    g = compile_graph(graph_dir)
    plan, claim = instance("plan", "2026-materials-parks"), instance("claim", "materials-breakthroughs")
    assert (plan, RDF.type, SZ.PlannedMeasure) in g
    assert g.value(plan, SZ.namedIn) == instance("document", "2026-report")
    assert g.value(plan, SZ.plannedFor) == Literal("2026", datatype=XSD.gYear)
    assert g.value(plan, DCTERMS.subject) == instance("priority", "3.0-materials")
    assert g.value(claim, SZ.claimKind) == SZ.Breakthrough
    assert g.value(claim, SZ.refPeriod) == instance("period", "2021-2025")
    assert g.value(claim, DCTERMS.subject) == instance("technology", "advanced-materials")
    assert (instance("technology", "advanced-materials"), RDF.type, SZ.Technology) in g


def test_a_correction_says_what_changed_from_what_to_what_why_and_when(graph_dir: Path) -> None:
    g = compile_graph(graph_dir)
    correction = instance("correction", "2026-12-materials-source")
    assert g.value(correction, SZ.correctedNode) == instance("observation", "sei-added-value-2021")
    assert g.value(correction, SZ.correctedProperty) == SZ.citation
    assert (str(g.value(correction, SZ.valueBefore)), str(g.value(correction, SZ.valueAfter))) == (
        "cited to a list",
        "cited to a report: 12146.37亿元",
    )
    assert g.value(correction, SZ.correctionStatus) == SZ.Applied
    assert g.value(correction, DCTERMS.date) == Literal("2026-12-06", datatype=XSD.date)
    assert str(g.value(correction, SZ.inRelease)) == "0.2.0"
    assert str(g.value(correction, RDFS.comment)) == "The list does not give the figure."
    assert g.value(correction, PROV.wasDerivedFrom) == instance("source", "news-1")


def _error(graph_dir: Path, name: str, text: str) -> DataError:
    (graph_dir / name).write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        compile_graph(graph_dir)
    return caught.value


@pytest.mark.parametrize(
    ("name", "old", "new", "line", "cause"),
    [
        ("clusters-1.0.csv", "materials,uncertain", "metals,uncertain", 2, "unknown sector 'metals'"),
        ("clusters-1.0.csv", "1,blockchain,future", "1,blockchain,later", 3, "bad tier 'later'"),
        (
            "clusters-1.0.csv",
            "news-1 | list-1,新材料 | 新材料",
            "news-1 | list-1,新材料",
            2,
            "2 source(s) but 1 quote(s)",
        ),
        ("clusters-1.0.csv", "news-1,区块链", "nowhere,区块链", 3, "unknown source 'nowhere'"),
        ("clusters-1.0.csv", ",confirmed,news-1,区块链", ",sure,news-1,区块链", 3, "bad certainty 'sure'"),
        ("observations.csv", '"12,146.37"', "twelve", 2, "bad number"),
        ("observations.csv", ",2021,", ",2021-2019,", 2, "bad period '2021-2019'"),
        ("observations.csv", "place/shenzhen", "city/shenzhen", 2, "bad subject"),
        ("observations.csv", ",exact,", ",roughly,", 2, "bad qualifier 'roughly'"),
        ("observations.csv", ",8,yuan,", ",8,percent,", 2, "differs from the unit 'yuan'"),
        ("sources.csv", "https://example.org/news", "example.org/news", 2, "bad address"),
        ("sources.csv", "list-1,A list,,", "list-1,,,", 3, "missing value for title_en or title_zh"),
        ("events-2.0.toml", 'from = ["blockchain"]', 'from = ["blockchian"]', 18, "unknown cluster 'blockchian'"),
        ("events-2.0.toml", 'type = "removed"', 'type = "deleted"', 17, "bad event type 'deleted'"),
        ("versions.toml", 'issued = "2024-03"', 'issued = "March 2024"', 20, "bad issued 'March 2024'"),
        ("versions.toml", 'to = "cluster/high-performance-materials"', 'to = "cluster/metals"', 48, "unknown cluster"),
        ("versions.toml", 'to = "cluster/high-performance-materials"', 'to = "version/2.0"', 48, "bad link target"),
        ("versions.toml", 'relation = "concerns"', 'relation = "is"', 47, "bad relation 'is'"),
        ("plans-and-claims.toml", 'kind = "breakthrough"', 'kind = "triumph"', 21, "bad claim kind 'triumph'"),
        ("plans-and-claims.toml", 'planned = "2026"', 'planned = "next year"', 11, "bad planned 'next year'"),
        ("plans-and-claims.toml", '"priority/3.0-materials"', '"priority/3.0-metals"', 12, "unknown priority"),
        ("corrections.toml", "sei-added-value-2021", "sei-added-value-2031", 4, "is not in the graph"),
        ("corrections.toml", 'release = "0.2.0"', 'release = "December"', 10, "bad release 'December'"),
        ("corrections.toml", 'status = "applied"', 'status = "done"', 8, "bad status 'done'"),
        ("corrections.toml", "date = 2026-12-06", 'date = "2026-12"', 9, "dated by its day"),
    ],
)
def test_a_mistake_is_reported_with_file_line_and_cause(
    graph_dir: Path, name: str, old: str, new: str, line: int, cause: str
) -> None:
    text = FILES[name]
    assert old in text
    error = _error(graph_dir, name, text.replace(old, new, 1))
    assert error.path.name == name
    assert error.line == line
    assert cause in error.cause


def test_a_renamed_cluster_reusing_an_id_breaks_the_identity_rule(graph_dir: Path) -> None:
    text = CLUSTERS_2.replace("1,high-performance-materials,sei,高性能材料", "1,new-materials,sei,高性能材料")
    error = _error(graph_dir, "clusters-2.0.csv", text)
    assert error.line == 2
    assert "needs a new id" in error.cause


def test_a_toml_syntax_error_names_its_line(graph_dir: Path) -> None:
    error = _error(graph_dir, "events-2.0.toml", EVENTS_2.replace('label_en = "Blockchain removed"', "label_en = ["))
    assert error.line == 20  # tomllib reports the line where the unfinished array fails
    assert "TOML syntax" in error.cause


def test_a_turtle_syntax_error_names_its_line(graph_dir: Path) -> None:
    error = _error(graph_dir, "extra.ttl", "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b ;; .\n")
    assert error.line == 3


def test_a_missing_column_is_reported_on_the_header(graph_dir: Path) -> None:
    error = _error(
        graph_dir,
        "measures.csv",
        MEASURES.replace(",definition", "").replace(",Added value of strategic emerging industries.", ""),
    )
    assert error.line == 1
    assert "missing column(s) definition" in error.cause


def test_every_problem_is_reported_at_once(graph_dir: Path) -> None:
    (graph_dir / "sources.csv").write_text(SOURCES.replace("news-report", "gossip"), encoding="utf-8")
    error = _error(graph_dir, "observations.csv", OBSERVATIONS.replace(",exact,", ",roughly,"))
    assert {(p.name, line) for p, line, _ in error.problems} == {("sources.csv", 2), ("observations.csv", 2)}


def test_an_extra_file_is_checked_with_the_graph_and_replaces_its_namesake(graph_dir: Path, tmp_path: Path) -> None:
    new_version = tmp_path / "clusters-3.0.csv"
    new_version.write_text(CLUSTERS_2.replace("1,high-performance-materials", "1,frontier-materials"), encoding="utf-8")
    names = [p.name for p in authoring_files(graph_dir, [new_version])]
    assert "clusters-3.0.csv" in names
    edited = tmp_path / "sources.csv"
    edited.write_text(SOURCES, encoding="utf-8")
    files = authoring_files(graph_dir, [edited])
    assert edited in files and graph_dir / "sources.csv" not in files


def test_an_extra_file_of_unknown_kind_is_refused(graph_dir: Path, tmp_path: Path) -> None:
    stray = tmp_path / "notes.txt"
    stray.write_text("hello", encoding="utf-8")
    with pytest.raises(DataError, match="not a data file"):
        compile_graph(graph_dir, [stray])
