"""The graph says exactly what its sources say: certainties, figures and their periods, priorities, event types.

Each test is one finding of the audit of the graph against the article and the fact sheet (issue 12), checked
on the real graph: certainties recomputed from the kinds of the sources, statements less certain than their
node, figures compared by the intervals their qualifiers define, reference periods and definitions kept
apart, priorities belonging to the document that names them, events typed by the model's definitions, and
the event types defined once, in the ontology.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS
from shared_files import SHARED, missing

import kgtool
from kgtool.authoring import compile_graph, figure_bounds
from kgtool.build import source_graphs, union
from kgtool.graph import KnowledgeGraph
from kgtool.namespaces import BASE, SZ
from kgtool.ontology import event_types
from kgtool.paths import ProjectPaths, project_paths
from kgtool.queries import load_queries
from kgtool.stores.memory import MemoryStore
from kgtool.validate import validate_graph

#: The kinds of source whose statements are confirmed, and those whose statements are secondary (the
#: definitions of sz:Confirmed and sz:Secondary in the ontology).
CONFIRMING = {SZ.PolicyText, SZ.NewsReport, SZ.GovernmentPage}
SECONDARY = {SZ.ThirdPartyFile, SZ.LowQualityMirror}


@pytest.fixture(scope="module")
def data() -> Graph:
    return compile_graph(project_paths().graph_dir)


def _ontology_definition(term: URIRef) -> str:
    from rdflib.namespace import SKOS

    from kgtool.ontology import ontology_graph

    return str(ontology_graph().value(term, SKOS.definition))


# -- certainty ------------------------------------------------------------------------------------------


def test_the_certainty_definitions_name_the_source_kinds() -> None:
    """The recomputation below follows the ontology's own words."""
    assert "policy text, a news report or a government page" in _ontology_definition(SZ.Confirmed)
    assert "third-party file or a low-quality mirror" in _ontology_definition(SZ.Secondary)


def test_every_certainty_follows_from_the_kinds_of_its_sources(data: Graph) -> None:
    """Confirmed when a policy text, news report or government page states it; secondary when only a
    third-party file or a low-quality mirror does. Uncertain (conflicting sources, an inference) is a
    judgement the kinds cannot make, so it must be explained in a note; a fact resting on the fact sheet
    alone is what the fact sheet concludes, which the kinds do not define either."""
    wrong = []
    for node, certainty in data.subject_objects(SZ.certainty):
        kinds = {data.value(source, SZ.sourceKind) for source in data.objects(node, PROV.wasDerivedFrom)}
        assert kinds, f"{node} rests on no source"
        if certainty == SZ.Uncertain:
            assert data.value(node, RDFS.comment), f"{node} is uncertain without a note saying why"
            continue
        expected = SZ.Confirmed if kinds & CONFIRMING else SZ.Secondary if kinds & SECONDARY else None
        if expected is not None and certainty != expected:
            wrong.append((str(node).removeprefix(BASE), str(certainty).rpartition("#")[2]))
    assert wrong == []


def test_what_the_article_states_is_confirmed(data: Graph) -> None:
    for event in ("added-intelligent-robots-future-industry", "added-frontier-new-materials"):
        assert data.value(URIRef(f"{BASE}event/2.0/{event}"), SZ.certainty) == SZ.Confirmed


def test_a_statement_less_certain_than_its_node_has_a_certainty_of_its_own(kg: KnowledgeGraph) -> None:
    document = f"{BASE}document/2022-opinions"
    rows = kg.sparql(f"""PREFIX sz: <https://w3id.org/sz20plus8/def#>
        SELECT ?node ?statement ?c WHERE {{ <{document}> sz:certainty ?node .
          ?statement sz:statementSubject <{document}> ; sz:statementProperty sz:documentNumber ;
                     sz:statementValue "深府〔2022〕1号" ; sz:certainty ?c }}""").rows
    assert [(str(n).rpartition("#")[2], str(c).rpartition("#")[2]) for n, _, c in rows] == [("Confirmed", "Secondary")]
    sources = {r["source"].rsplit("/", 1)[1] for r in kg.sources_of(str(rows[0][1]))}
    assert sources == {"github-slide-deck"}
    listed = {r["statement"] for r in kg.uncertain_facts(level="secondary") if r["aspect"] == "property"}
    assert str(rows[0][1]) in listed


def test_one_date_has_one_certainty_wherever_it_is_stated(data: Graph) -> None:
    """The 2.0 month is on the version (sz:issued, sz:issuedCertainty) and on its document (dcterms:issued)."""
    version, document = URIRef(f"{BASE}version/2.0"), URIRef(f"{BASE}document/2024-implementation-plan")
    assert data.value(version, SZ.issued) == data.value(document, URIRef("http://purl.org/dc/terms/issued"))
    assert data.value(version, SZ.issuedCertainty) == data.value(document, SZ.certainty)


# -- figures: intervals, periods and definitions ----------------------------------------------------------

PAIRS_THAT_AGREE = [
    # (reported value, multiplier, qualifier) twice: the pairs the audit found listed as conflicts
    (("3.68", 12, "exact"), ("36801.87", 8, "exact")),  # GDP 2024 at two precisions
    (("40", 0, "over"), ("41.1", 0, "exact")),  # share of GDP 2022
    (("1.3", 12, "about"), ("1.33", 12, "exact")),  # added value 2022
    (("1.5", 12, "over"), ("1.56", 12, "exact")),  # added value 2024
]
PAIRS_THAT_CONFLICT = [
    (("2.76", 12, "exact"), ("2.78", 12, "exact")),  # GDP 2020 (2022 report, December 2025)
    (("2.78", 12, "exact"), ("2.83", 12, "exact")),  # GDP 2020 (December 2025, 2026 work report)
    (("2.76", 12, "exact"), ("2.83", 12, "exact")),
    (("45", 0, "nearly"), ("42.3", 0, "exact")),  # share of GDP 2024: a low-quality estimate
]


def _overlap(a: tuple[str, int, str], b: tuple[str, int, str]) -> bool:
    """Whether two printed figures can both be true: the intervals of their qualifiers overlap."""
    (alo, ahi), (blo, bhi) = (figure_bounds(Decimal(v), m, q) for v, m, q in (a, b))

    def below(hi: Decimal | None, lo: Decimal | None, open_end: bool) -> bool:
        return hi is not None and lo is not None and (hi < lo or (hi == lo and open_end))

    return not (
        below(ahi, blo, a[2] == "nearly" or b[2] == "over") or below(bhi, alo, b[2] == "nearly" or a[2] == "over")
    )


@pytest.mark.parametrize(("a", "b"), PAIRS_THAT_AGREE, ids=lambda p: " ".join(map(str, p)))
def test_values_that_agree_at_their_precision_and_qualifier_overlap(a: tuple, b: tuple) -> None:
    assert _overlap(a, b) and _overlap(b, a)


@pytest.mark.parametrize(("a", "b"), PAIRS_THAT_CONFLICT, ids=lambda p: " ".join(map(str, p)))
def test_values_that_disagree_do_not_overlap(a: tuple, b: tuple) -> None:
    assert not _overlap(a, b) and not _overlap(b, a)


def test_conflicts_lists_the_2020_gdp_and_none_of_the_pairs_that_agree(kg: KnowledgeGraph) -> None:
    listed = {(r["measure"].rsplit("/", 1)[1], r["period"], r["value"]) for r in kg.conflicts()}
    assert {("gdp", "2020", Decimal(v) * 10**12) for v in ("2.76", "2.78", "2.83")} <= listed
    for measure, period, value in [
        ("gdp", "2024", Decimal("3.68E12")),
        ("gdp", "2024", Decimal("3680187000000")),
        ("sei-added-value-share-of-gdp", "2022", Decimal(40)),
        ("sei-added-value-share-of-gdp", "2022", Decimal("41.1")),
        ("sei-added-value", "2022", Decimal("1.3E12")),
        ("sei-added-value", "2022", Decimal("1.33E12")),
        ("sei-added-value", "2024", Decimal("1.5E12")),
        ("sei-added-value", "2024", Decimal("1.56E12")),
        ("gdp", "2023", Decimal("3.46E12")),
    ]:
        assert (measure, period, value) not in listed


def test_the_press_conference_share_is_of_the_year_its_sentence_gives(kg: KnowledgeGraph) -> None:
    """The 68.2% of December 2025 follows a sentence about 2020-2024 (outside check, December 2026): filed under
    2024, uncertain (the year is read, not stated), it no longer stands against the 68.4% of 2025."""
    rows = kg.metric_series("advanced-manufacturing-share-of-industry").dicts()
    periods = {r["observation"].rsplit("/", 1)[1]: (r["period"], r["end"].isoformat(), r["certainty"]) for r in rows}
    assert periods["advanced-manufacturing-share-of-industry-2025"] == ("2025", "2025-12-31", "confirmed")
    assert periods["advanced-manufacturing-share-of-industry-2025-press-conference"] == (
        "2024",
        "2024-12-31",
        "uncertain",
    )
    assert not [r for r in kg.conflicts("advanced-manufacturing-share-of-industry")]
    rows = [r for r in kg.corrections().dicts() if r["node"].endswith("2025-press-conference")]
    assert {(r["before"], r["status"], r["certainty"]) for r in rows} == {
        ("2025, as reported on 2025-12-19 (period/2025-reported-2025-12-19), confirmed", "applied", "uncertain")
    }
    assert {r["source"].rsplit("/", 1)[1] for r in rows} == {"ettoday-2025-12-19", "hk01-2025-12"}


def test_month_ranges_and_reported_on_periods_compile(tmp_path: Path) -> None:
    head = "id,measure,subject,period,reported_value,unit_multiplier,unit,qualifier,reported_text,certainty,sources,quotes,note"
    extra = tmp_path / "observations-test.csv"
    extra.write_text(
        head
        + "\njan-nov,gdp,place/shenzhen,2025-m01-m11,3.5,12,yuan,exact,3.5,confirmed,fact-sheet,3.5,test data"
        + "\nby-december,gdp,place/shenzhen,2025-reported-2025-12-19,3.8,12,yuan,exact,3.8,confirmed,fact-sheet,3.8,test\n",
        encoding="utf-8",
    )
    graph = compile_graph(project_paths().graph_dir, [extra])
    period = URIRef(f"{BASE}period/2025-m01-m11")
    assert str(graph.value(period, RDFS.label)) == "2025 January–November"
    assert str(graph.value(period, URIRef("https://schema.org/endDate"))) == "2025-11-30"
    # a figure reported before the year ended is not a full-year figure: its period ends on the day it was reported
    period = URIRef(f"{BASE}period/2025-reported-2025-12-19")
    assert str(graph.value(period, RDFS.label)) == "2025, as reported on 2025-12-19"
    assert str(graph.value(period, URIRef("https://schema.org/endDate"))) == "2025-12-19"
    assert str(graph.value(period, SZ.reportedOn)) == "2025-12-19"


def test_the_seven_industry_definition_is_marked_and_kept_out_of_growth(kg: KnowledgeGraph) -> None:
    series = kg.metric_series("sei-added-value").dicts()
    marked = {r["period"] for r in series if r["definition"]}
    assert marked == {"2019"}
    assert len(kg.growth("sei-added-value", 2019, 2025)) == 0
    assert [r["annualRatePercent"] for r in kg.growth("sei-added-value", 2020, 2025)] == [Decimal("10.15")]


def test_growth_uses_only_comparable_values_and_says_which(kg: KnowledgeGraph) -> None:
    rows = kg.growth("gdp", 2020, 2024).dicts()
    assert {r["fromObservation"].rsplit("/", 1)[1] for r in rows} == {
        "gdp-2020-haibao-2022",
        "gdp-2020-szdaily-2025",
        "gdp-2020-gwr-2026",
    }
    for row in rows:
        ratio = row["toValue"] / row["fromValue"]
        rate = Decimal(1) + row["annualRatePercent"] / 100
        assert abs(rate**4 - ratio) < Decimal("0.001"), row  # (1 + rate)^years = to / from
        assert row["change"] == row["toValue"] - row["fromValue"]
    # "over 1.3 trillion" and "over 1.5 trillion" are bounds, not values: no growth between them
    assert {r["qualifier"] for r in kg.growth("sei-added-value", 2022, 2024)} == {"exact"}


# -- priorities and events ------------------------------------------------------------------------------


def test_the_five_year_plan_items_are_that_documents_priorities(kg: KnowledgeGraph) -> None:
    plan = f"{BASE}document/2025-cpc-shenzhen-committee-15th-five-year-plan-proposal"
    rows = kg.priorities().dicts()
    of_plan = [r for r in rows if r["document"] == plan]
    assert len(of_plan) == 20 and {r["version"] for r in of_plan} == {None}
    of_3_0 = kg.priorities("3.0").dicts()
    assert len(of_3_0) == 11 and not [r for r in of_3_0 if r["document"] == plan]
    assert len({(r["tier"], r["label"]) for r in of_3_0}) == len(of_3_0), "a priority listed twice"
    assert {(r.tier, r.priorities) for r in kg.counts() if r.version == "3.0"} == {("sei", 6), ("future", 5)}


def test_the_announcement_of_3_0(kg: KnowledgeGraph) -> None:
    (row,) = kg.announcement("3.0").dicts()
    assert (row["announcedBy"], str(row["announced"]), row["plannedFor"]) == ("Qin Weizhong", "2026-02-09", "2026")
    assert row["document"] == f"{BASE}document/2026-shenzhen-government-work-report"
    assert (row["measureLabel"], row["qualifier"], row["value"]) == (
        "Strategic emerging industry added value growth",
        "over",
        Decimal(7),
    )


def test_events_are_typed_by_the_models_definitions(data: Graph) -> None:
    """A move is the same cluster changing tier; space technology absorbed into another cluster is a merger,
    as blockchain's is, and the fact sheet's word "moved" stays in its label."""
    event = URIRef(f"{BASE}event/2.0/merged-space-technology-into-low-altitude-economy-and-aerospace")
    assert (event, RDF.type, SZ.Merger) in data
    assert "moved" in str(data.value(event, RDFS.label))
    assert not list(data.subjects(RDF.type, SZ.Move))


def test_events_name_their_clusters_and_diff_gives_tiers(kg: KnowledgeGraph) -> None:
    merged = {r["event"].rsplit("/", 1)[1]: r for r in kg.events("2.0", type="merged").dicts()}
    assert merged["merged-high-end-equipment-and-instruments"]["fromLabels"] == (
        "Laser & Additive Manufacturing | Machine Tools | Precision Instruments & Equipment"
    )
    tiers = {(r["fromCluster"] or "").rsplit("/", 1)[-1]: (r["fromTier"], r["toTier"]) for r in kg.diff("1.0", "2.0")}
    assert tiers["space-technology"] in {("future", "sei"), ("future", None)}
    assert tiers["machine-tools"] == ("sei", "sei")


# -- what 3.0's announcement says of the clusters ----------------------------------------------------------


def test_3_0_is_tied_to_the_clusters_it_names_and_no_link_is_confirmed(kg: KnowledgeGraph) -> None:
    """The article is an English translation: a priority tied to a 2.0 cluster by its English name is an
    inference, never confirmed; a future priority is at most related to a future industry; every row carries
    the article's own words."""
    path = SHARED / "sources" / "shenzhen-20plus8-v3-article.txt"
    if not path.is_file():
        missing(path)
    article = " ".join(path.read_text(encoding="utf-8").split())
    rows = kg.announcement_by_cluster("2.0").dicts()
    assert len({r["cluster"] for r in rows}) == 28
    said = {r["cluster"].rsplit("/", 1)[1]: r["mention"] for r in rows if r["mention"] != "none"}
    assert said == {
        "semiconductors-and-integrated-circuits": "priority",
        "low-altitude-economy-and-aerospace": "priority",
        "high-performance-materials": "priority",
        "high-end-medical-devices": "plan",
        "biomedicine": "priority",
        "synthetic-biology": "related",
        "brain-science-and-brain-computer-engineering": "related",
        "quantum-information": "related",
    }
    assert {r["linkCertainty"] for r in rows if r["mention"] != "none"} == {"uncertain"}
    assert {r["mention"] for r in rows if r["tier"] == "future"} == {"related", "none"}
    quotes = [r["quote"] for r in rows if r["mention"] != "none"]
    assert quotes and [q for q in quotes if q not in article] == []
    plans = {r["plan"].rsplit("/", 1)[1] for r in rows if r["plan"]}
    assert {"2026-integrated-circuit-manufacturing-projects", "2026-low-altitude-integration"} <= plans
    assert {"2026-biomedical-manufacturing-parks", "2026-innovative-drugs-and-medical-devices"} <= plans


def test_priorities_that_match_no_cluster_say_so(data: Graph) -> None:
    for slug in ("3.0-new-energy-vehicles", "3.0-6g", "3.0-future-energy"):
        priority = URIRef(f"{BASE}priority/{slug}")
        assert not list(data.objects(priority, DCTERMS.subject)) and not list(data.objects(priority, SKOS.related))
        assert "no link is made" in str(data.value(priority, RDFS.comment))
    for priority in data.subjects(SZ.version, URIRef(f"{BASE}version/3.0")):
        names = [label for label in data.objects(priority, RDFS.label) if label.language == "zh"]
        assert names == [], f"{priority}: a Chinese name no source ties to 3.0"


# -- the event types are defined once, in the ontology ----------------------------------------------------

SPLIT = """
sz:Split a owl:Class ;
    sz:slug "split" ;
    sz:listOrder 8 ;
    sz:changeLabel "split"@en , "拆分"@zh ;
    sz:displayColour "#000000" ;
    sz:toClusterIsNew true ;
    rdfs:label "split"@en ;
    skos:definition "A test event type: one cluster split into new ones."@en ;
    rdfs:subClassOf sz:ReclassificationEvent ;
    rdfs:isDefinedBy <https://w3id.org/sz20plus8/def> .
"""


def test_a_new_event_type_is_one_class_in_the_ontology(tmp_path: Path) -> None:
    """Adding sz:Split to the ontology alone lets authors write type = "split" and the queries, shapes and
    rules take it as they take the others."""
    root = project_paths().root
    for part in ("ontology", "graph", "queries"):
        shutil.copytree(root / part, tmp_path / part)
    ontology = tmp_path / "ontology" / "sz20plus8.ttl"
    ontology.write_text(ontology.read_text(encoding="utf-8") + SPLIT, encoding="utf-8")
    events = tmp_path / "graph" / "events-2.0.toml"
    events.write_text(
        events.read_text(encoding="utf-8").replace(
            'id = "elevated-artificial-intelligence"\ntype = "elevated"',
            'id = "elevated-artificial-intelligence"\ntype = "split"',
        ),
        encoding="utf-8",
    )
    assert list(event_types(ontology))[-1] == "split"
    paths = ProjectPaths(tmp_path)
    graphs = source_graphs(paths)
    report = validate_graph(union(graphs), paths)
    assert report.conforms, report.text()
    kg = KnowledgeGraph(MemoryStore(graphs), paths)
    changes = {r["event"].rsplit("/", 1)[1]: r["change"] for r in kg.query("events", version="2.0").dicts()}
    assert changes["elevated-artificial-intelligence"] == "split"
    assert list(changes.values())[-1] == "split"  # listed last: sz:listOrder 8


def test_no_query_or_rule_lists_the_event_classes() -> None:
    """At most one event class is named in a query or rule (a regrouping's own sector checks name
    sz:Regrouping): none carries a list of them."""
    paths = project_paths()
    texts = {q.path.name: q.text for q in load_queries(paths.queries_dir).values()}
    texts |= {p.name: p.read_text(encoding="utf-8") for p in paths.rules_dir.glob("*.rq")}
    classes = [str(c).replace(str(SZ), "sz:") for c in event_types().values()]
    for name, text in texts.items():
        assert len([c for c in classes if c in text]) <= 1, name


def test_an_unknown_event_type_is_an_error_naming_the_ontologys_types(tmp_path: Path) -> None:
    from kgtool.errors import DataError

    events = tmp_path / "events-9.0.toml"
    events.write_text(
        'version = "9.0"\nprevious = "2.0"\n\n[[event]]\nid = "x"\ntype = "exploded"\nfrom = ["robotics"]\n'
        'to = []\nlabel_en = "x"\ncertainty = "uncertain"\n[[event.source]]\nid = "fact-sheet"\nquote = "x"\n',
        encoding="utf-8",
    )
    with pytest.raises(DataError, match="bad event type 'exploded' .expected one of: added, elevated, merged"):
        compile_graph(project_paths().graph_dir, [events])


def test_the_graph_conforms_with_the_new_rules(kg: KnowledgeGraph) -> None:
    report = kg.validate()
    assert report.conforms, report.text()
    rules = {p.stem for p in project_paths().rules_dir.glob("*-violation.rq")}
    assert {
        "quote-without-number-violation",
        "uncited-source-violation",
        "certainty-disagreement-violation",
        "qualified-statement-not-in-graph-violation",
    } <= rules


def test_a_quote_without_its_number_fails_validation() -> None:
    graphs = source_graphs()
    data = next(g for g in graphs.values() if (None, SZ.measure, None) in g)
    citation = URIRef(f"{BASE}observation/sei-added-value-2025#source-itiger-2026-article")
    data.set((citation, SZ.quote, Literal("the added value of Shenzhen's strategic emerging industries", lang="en")))
    report = validate_graph(union(graphs))
    assert report.constraints == {"quote-without-number-violation"}
    assert kgtool  # the package imports with the new modules
