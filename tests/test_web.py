"""The pages for people (kgtool.web): their data read from the real graph, and what the server answers
browsers (the browser itself is in test_web_browser.py)."""

from __future__ import annotations

import csv
import html
import io
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from server_fixtures import running_server

from kgtool.build import source_graphs, union
from kgtool.graph import KnowledgeGraph
from kgtool.namespaces import BASE, KINDS, SZSH
from kgtool.paths import ProjectPaths, project_paths
from kgtool.server import ServerConfig
from kgtool.stores.memory import MemoryStore
from kgtool.validate import validate_graph
from kgtool.web import charts, data, figures, i18n
from kgtool.web import render as web_render

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
AI = BASE + "cluster/artificial-intelligence"


# -- the data of the pages ----------------------------------------------------------------------------


def test_home_has_the_three_versions_with_counts_and_the_headline_series(kg: KnowledgeGraph) -> None:
    home = data.home(kg)
    by_number = {v["number"]: v for v in home["versions"]}
    assert by_number["2.0"]["tiers"]["sei"]["clusters"] == 20 and by_number["2.0"]["tiers"]["future"]["clusters"] == 8
    assert by_number["3.0"]["status"] == "announced" and by_number["3.0"]["node"]["zh"] == "深圳“20+8”政策3.0版"
    series = {c["slug"]: c for c in home["charts"]}
    point = next(p for p in series["sei-added-value"]["points"] if p["period"] == "2020")
    assert point["display"] == {"en": "1.03 trillion yuan", "zh": "1.03 万亿元"}
    assert {s["iri"] for s in point["sources"]} >= {BASE + "source/itiger-2026-article"}


def test_evolution_has_every_event_with_its_clusters_and_competing_claims(kg: KnowledgeGraph) -> None:
    evolution = data.evolution(kg)
    assert [c["version"]["number"] for c in evolution["columns"]] == ["1.0", "2.0", "3.0"]
    assert len(evolution["columns"][1]["clusters"]) == 28 and evolution["columns"][2]["priorities"]
    events = {e["iri"].rsplit("/", 1)[1]: e for e in evolution["events"]}
    assert len(events) == kg.stats().events
    elevated = events["elevated-artificial-intelligence"]
    assert [n["iri"] for n in elevated["to"]] == [AI] and elevated["certainty"] == "confirmed"
    merged = events["merged-blockchain-into-software-and-information-services"]
    assert [n["iri"] for n in merged["competing"]] == [BASE + "event/2.0/removed-blockchain"]
    assert merged["sources"] and merged["sources"][0]["quote"]


def test_the_evolution_layout_draws_a_flow_per_event(kg: KnowledgeGraph) -> None:
    evolution = data.evolution(kg)
    layout = charts.evolution_layout(evolution, "en")
    drawn = [f for f in layout["flows"] if f["event"]]
    assert len(drawn) == len(evolution["events"])
    elevated = next(f for f in drawn if f["change"] == "elevated")
    assert elevated["href"] == "/cluster/artificial-intelligence" and not elevated["dashed"]
    assert all(f["dashed"] for f in drawn if f["event"]["competing"])
    assert sum(1 for f in layout["flows"] if f["change"] == "unchanged") >= 15  # same cluster in 1.0 and 2.0
    assert "人工智能" in {
        i.get("text") for c in charts.evolution_layout(evolution, "zh")["columns"] for i in c["items"]
    }


def test_the_3_0_announcements_ties_to_2_0_clusters_are_drawn_as_announced_not_as_events(kg: KnowledgeGraph) -> None:
    evolution = data.evolution(kg)
    ties = {
        (a["cluster"]["iri"].rsplit("/", 1)[1], a["priority"]["iri"].rsplit("/", 1)[1], a["mention"], a["certainty"])
        for a in evolution["announced"]
        if a["priority"]
    }
    # announcement-by-cluster with version 2.0 (queries/announcement-by-cluster.rq, tests/golden): every tie
    # made by an English name, so none is confirmed
    assert ties == {
        (
            "semiconductors-and-integrated-circuits",
            "3.0-semiconductors-and-integrated-circuits",
            "priority",
            "uncertain",
        ),
        ("low-altitude-economy-and-aerospace", "3.0-low-altitude-economy-and-aerospace", "priority", "uncertain"),
        ("high-performance-materials", "3.0-high-performance-materials", "priority", "uncertain"),
        ("biomedicine", "3.0-biomedicine", "priority", "uncertain"),
        ("synthetic-biology", "3.0-bio-manufacturing", "related", "uncertain"),
        ("brain-science-and-brain-computer-engineering", "3.0-brain-computer-interfaces", "related", "uncertain"),
        ("quantum-information", "3.0-quantum-technology", "related", "uncertain"),
    }
    flows = [f for f in charts.evolution_layout(evolution, "en")["flows"] if f["change"] == "announced"]
    assert len(flows) == 7 and all(f["dashed"] and f["event"] is None for f in flows)
    assert "announced" in {item["change"] for item in charts.evolution_layout(evolution, "en")["legend"]}


def test_each_cluster_page_says_what_the_3_0_announcement_says_about_it(client: httpx.Client) -> None:
    chips = client.get("/cluster/semiconductors-and-integrated-circuits", headers=BROWSER).text
    assert "What the 3.0 announcement says about this cluster" in chips
    assert "major integrated circuit manufacturing projects" in chips  # a planned measure, with its quote
    assert "These are not reclassification events" in chips
    ai = client.get("/cluster/artificial-intelligence", params={"_lang": "zh"}, headers=BROWSER).text
    assert "3.0版政策发布对该集群的表述" in ai and "图谱中没有记录3.0版政策发布对该集群的任何表述" in ai
    assert "来源中的成就声明" in ai  # the claims of achievement tied to AI by their technology
    machine_tools = client.get("/cluster/machine-tools", headers=BROWSER).text
    assert "This cluster is not in version 2.0" in machine_tools
    v3 = client.get("/version/3.0", params={"_lang": "zh"}, headers=BROWSER).text
    assert re.search(
        r'Biomedicine</a>.*?关联</span> <a href="/cluster/biomedicine\?_lang=zh">生物医药</a> \(2\.0\)', v3, re.S
    )
    event = client.get("/event/2.0/elevated-artificial-intelligence", params={"_lang": "zh"}, headers=BROWSER).text
    assert "<h1>升格：软件与信息服务 → 人工智能</h1>" in event
    ai_sources = client.get("/cluster/artificial-intelligence", params={"_lang": "zh"}, headers=BROWSER).text
    assert ">升格：软件与信息服务 → 人工智能</a></p>" in ai_sources  # the lineage row's sources name their event
    v2 = client.get("/version/2.0", params={"_lang": "zh"}, headers=BROWSER).text
    assert "<h2>相对于1.0版的变化</h2>" in v2


def test_version_clusters_are_in_the_official_order_with_both_names(kg: KnowledgeGraph) -> None:
    version = data.version(kg, "2.0")
    sei = [c for c in version["clusters"] if c["tier"] == "sei"]
    assert [c["position"] for c in sei] == list(range(1, 21))
    assert sei[6]["node"] == {
        "iri": AI,
        "href": "/cluster/artificial-intelligence",
        "en": "Artificial Intelligence",
        "zh": "人工智能",
    }
    assert version["previous"]["number"] == "1.0" and len(version["events"]) == 13
    with pytest.raises(Exception, match="no version"):
        data.version(kg, "9.9")


def test_cluster_has_membership_lineage_and_sources(kg: KnowledgeGraph) -> None:
    cluster = data.cluster(kg, AI)
    assert [m["version"] for m in cluster["memberships"]] == ["2.0"]
    assert cluster["lineage"][0]["from"]["en"] == "Software & Information Services"
    headings = [s["statement"]["en"] for s in cluster["sources"]]
    assert 'Artificial Intelligence in Shenzhen "20+8" policy, version 2.0' in headings
    assert all(s["sources"] for s in cluster["sources"])


def test_every_node_has_a_human_heading(kg: KnowledgeGraph) -> None:
    observation = data.resource(kg, BASE + "observation/sei-added-value-2020")
    assert observation["node"]["en"] == "Strategic emerging industry added value · Shenzhen · 2020 · 1.03 trillion yuan"
    value = next(p for p in observation["properties"] if p["predicate"]["iri"].endswith("#value"))
    assert value["values"][0]["display"]["zh"] == "1.03 万亿元"
    measure = next(p for p in observation["properties"] if p["predicate"]["iri"].endswith("#measure"))
    assert measure["predicate"]["zh"] == "指标"  # the ontology's Chinese labels
    assert [s["iri"].rsplit("/", 1)[1] for s in observation["sources"]] == [
        "ettoday-2025-12-19",
        "hk01-2025-12",
        "itiger-2026-article",
    ]
    with pytest.raises(Exception, match="nothing is known"):
        data.resource(kg, BASE + "cluster/no-such-thing")


def test_ontology_has_the_hierarchy_domains_and_ranges(kg: KnowledgeGraph) -> None:
    ontology = data.ontology(kg)
    roots = {c["local"]: c for c in ontology["hierarchy"]}
    assert {c["local"] for c in roots["Cluster"]["children"]} == {"StrategicEmergingIndustryCluster", "FutureIndustry"}
    version = next(c for c in ontology["classes"] if c["local"] == "PolicyVersion")
    assert version["node"]["zh"] == "政策版本"
    assert "version number" in {n["en"] for n in version["domainOf"]}
    diagram = charts.ontology_diagram(ontology, "en")
    assert diagram["width"] <= 1100 and diagram["unlabelled"] == []  # fits a desktop page, every arrow named
    both = [a["label"] for a in diagram["arrows"] if a["both"]]
    assert both == ["part of version / document"]  # policy document <-> policy version: one two-headed arrow


def test_search_and_queries(kg: KnowledgeGraph) -> None:
    hits = data.search(kg, "人工智能")["hits"]
    assert hits[0]["node"]["iri"] == AI and hits[0]["node"]["zh"] == "人工智能"
    assert data.search(kg, "  ")["hits"] == []
    listing = {q["name"]: q for q in data.queries(kg)["queries"]}
    assert listing["clusters"]["params"][1]["choices"] == ["en", "zh"]
    assert data.search(kg, "robot")["hits"]


def test_labels_and_units() -> None:
    assert data.format_value("1500000000000", "yuan") == "1.5 trillion yuan"
    assert data.format_value(None, "yuan") == ""
    assert charts.nice_ticks(0, 10)[0] == 0 and charts.axis_label(2e12, "yuan", 2e12, "zh") == "2万亿"
    assert i18n.certainty_word("uncertain", "en") == "uncertain"
    assert i18n.tier_word("future", "zh") == "未来产业" and i18n.status_word("in-force", "en") == "in force"
    assert set(i18n.MESSAGES) >= {"site", "evolution", "query"}


# -- what the server answers browsers -------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(built_home: Path) -> Iterator[httpx.Client]:
    with (
        running_server(ServerConfig(home=built_home, timeout=30, workers=1)) as url,
        httpx.Client(base_url=url, timeout=60) as c,
    ):
        yield c


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/evolution",
        "/version/1.0",
        "/cluster/robotics",
        "/sector/digital-and-fashion",
        "/event/2.0/removed-blockchain",
        "/def",
        "/queries",
        "/queries/events",
        "/sparql",
        "/search?q=robot",
        "/dataset",
        "/graph/data",
    ],
)
def test_pages_are_small_escaped_html_in_both_languages(client: httpx.Client, path: str) -> None:
    for lang in ("en", "zh"):
        response = client.get(path, params={"_lang": lang} if lang == "zh" else None, headers=BROWSER)
        assert response.status_code == 200, (path, response.text[:300])
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert len(response.content) < 300_000  # before charts, a few hundred kB at most
        assert f'<html lang="{"zh-Hans" if lang == "zh" else "en"}">' in response.text
        assert not re.search(r'(src|href)="(https?:)?//(?!w3id\.org)', response.text.split("<main", 1)[0])


def test_machines_still_get_rdf_and_results(client: httpx.Client) -> None:
    assert (
        client.get("/cluster/robotics", headers={"Accept": "text/turtle"})
        .headers["content-type"]
        .startswith("text/turtle")
    )
    assert (
        client.get("/cluster/robotics", params={"format": "jsonld"}, headers=BROWSER)
        .headers["content-type"]
        .startswith("application/ld+json")
    )
    assert client.get("/queries", headers={"Accept": "application/json"}).json()[0]["name"]
    answer = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": "*/*"})
    assert answer.headers["content-type"].startswith("application/sparql-results+json")


@pytest.mark.parametrize("path", ["/cluster/robotics", "/version/2.0", "/def", "/source/itiger-2026-article"])
def test_a_page_says_where_its_resource_is_as_rdf(client: httpx.Client, path: str) -> None:
    """As the RDF answers do: Link names every format of the description, Content-Location the page."""
    page = client.get(path, headers=BROWSER)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.headers["content-location"] == f"{path}?format=html"
    links = page.headers["link"]
    for name, media_type in (
        ("ttl", "text/turtle"),
        ("jsonld", "application/ld+json"),
        ("nt", "application/n-triples"),
    ):
        assert f'<{path}?format={name}>; rel="alternate"; type="{media_type}"' in links
    turtle = client.get(path, headers={"Accept": "text/turtle"})
    assert turtle.headers["link"] == links and turtle.headers["content-location"] == f"{path}?format=ttl"


def test_a_source_is_titled_in_its_original_chinese_on_chinese_pages(client: httpx.Client) -> None:
    original, described = (
        "深圳20大先进制造业园区空间布局规划出炉",
        "Report on the spatial layout plan of Shenzhen&#39;s 20",
    )
    zh = client.get("/source/niita-2022", params={"_lang": "zh"}, headers=BROWSER).text
    assert f"<h1>{original}</h1>" in zh and described in zh.split("</h1>", 1)[1]  # the English below it
    assert f"<h1>{described}" in client.get("/source/niita-2022", headers=BROWSER).text
    figure = client.get("/observation/planned-industrial-land-release-2022", params={"_lang": "zh"}, headers=BROWSER)
    assert f">{original}</a>" in figure.text  # beside the fact it is cited for
    # a Chinese source whose title was not read keeps the project's English description, and says so
    other = client.get("/source/8net-net-2022", params={"_lang": "zh"}, headers=BROWSER).text
    assert '<h1 lang="en">Report on the Shenzhen opinions' in other and "未读到此来源的中文原标题" in other
    assert "未读到" not in zh


def test_other_vocabularies_properties_are_named_in_the_pages_language(client: httpx.Client) -> None:
    # dcterms, foaf and rdfs have no Chinese labels in the graph: a Chinese page names them in Chinese all the same
    def names(lang: str) -> list[str]:
        page = client.get("/source/niita-2022", params={"_lang": lang}, headers=BROWSER).text
        return re.findall(r'<th scope="row"><a [^>]*title="[^"]*">([^<]+)</a></th>', page)

    assert {"Title", "Comment", "Date", "Page", "Publisher"} <= set(names("en"))
    zh = names("zh")
    assert {"标题", "说明", "日期", "网页", "发布者"} <= set(zh)
    assert not [name for name in zh if re.fullmatch(r"[A-Za-z ]+", name)], zh


def test_a_chinese_resource_page_names_kinds_in_chinese(client: httpx.Client) -> None:
    page = client.get("/source/niita-2022", params={"_lang": "zh"}, headers=BROWSER).text
    assert re.search(r'<p class="crumbs"><a [^>]*>首页</a> › 来源</p>', page)
    assert "<tr><td>观测值</td>" in page  # what the source is cited for
    english = client.get("/source/niita-2022", headers=BROWSER).text
    assert "› source</p>" in english and "<tr><td>observation</td>" in english
    # every kind of instance has its words, so a new kind cannot show up untranslated
    assert set(KINDS) == set(i18n.KIND_WORDS) and all(zh for _, zh in i18n.KIND_WORDS.values())


def test_empty_optional_fields_mean_not_given(client: httpx.Client) -> None:
    page = client.get("/queries/clusters", params={"version": "2.0", "lang": ""}, headers=BROWSER)
    assert page.status_code == 200
    assert re.search(r'<span class="row-count">28</span>', page.text)
    assert 'href="/queries/clusters?version=2.0&amp;format=csv"' in page.text
    wrong = client.get("/queries/clusters", params={"version": "9.9"}, headers=BROWSER)
    assert wrong.status_code == 400 and "unknown version" in wrong.text and 'role="alert"' in wrong.text


def test_ad_hoc_query_without_the_editor_and_service_is_refused(client: httpx.Client) -> None:
    page = client.get("/sparql", params={"query": f"SELECT ?l WHERE {{ <{AI}> ?p ?l }} LIMIT 3"}, headers=BROWSER)
    assert page.status_code == 200 and '<span class="row-count">3</span>' in page.text
    refused = client.get(
        "/sparql", params={"query": "SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }"}, headers=BROWSER
    )
    assert refused.status_code == 400 and "SERVICE is not allowed" in refused.text


def test_query_page_without_the_bundle_says_how_to_get_the_editor(
    client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(web_render, "vendor_file", lambda name: None)
    page = client.get("/sparql", headers=BROWSER).text
    assert "python -m kgtool.web.assets" in page and "yasgui.min.js" not in page


# -- the named queries as forms -------------------------------------------------------------------------


def _untranslated(query: dict[str, object]) -> list[str]:
    """What of a named query's listing (data.queries) stays English on a Chinese page: its title (the summary,
    the line the pages head it with), description, parameter help, column names and column notes."""
    from kgtool.web import query_text

    zh = query_text.localized(query, "zh")
    missing = [] if zh["summary_lang"] == "" else ["title and summary (SUMMARIES_ZH)"]
    missing += [] if zh["description_lang"] == "" else ["description (DESCRIPTIONS_ZH)"]
    missing += [f"help of parameter {p['name']} (PARAM_DOCS_ZH)" for p in zh["params"] if p["doc_lang"]]
    missing += [f"column {c['name']} (COLUMNS_ZH)" for c in zh["columns"] if c["name"] not in query_text.COLUMNS_ZH]
    missing += [f"note on column {c['name']} (COLUMN_DOCS_ZH)" for c in zh["columns"] if c["doc_lang"]]
    return missing


def test_every_named_query_has_its_title_description_help_and_columns_in_chinese(kg: KnowledgeGraph) -> None:
    """Each text of kgtool/web/query_text_zh.toml is the Chinese of a named query; a test naming what lacks it."""
    from kgtool.web import query_text

    listing = data.queries(kg)["queries"]
    assert len(listing) == len(list(project_paths().queries_dir.glob("*.rq"))) == 33
    missing = {q["name"]: _untranslated(q) for q in listing}
    assert not any(missing.values()), (
        "named queries without their Chinese in kgtool/web/query_text_zh.toml: "
        + "; ".join(f"{name}: {', '.join(parts)}" for name, parts in missing.items() if parts)
    )
    for q in listing:  # translated, not copied: every description has Chinese text of its own
        zh = query_text.localized(q, "zh")
        assert zh["description"] != q["description"] and re.search(r"[\u4e00-\u9fff]", zh["description"]), q["name"]
        for english, chinese in zip(q["columns"], zh["columns"], strict=True):
            assert chinese["doc"] != english["doc"] and re.search(r"[\u4e00-\u9fff]", chinese["doc"]), english["doc"]
    # no note translated that no query has any more (its English was edited: translate the new text)
    notes = {c["doc"] for q in listing for c in q["columns"]}
    assert sorted(set(query_text.COLUMN_DOCS_ZH) - notes) == []
    # the check names what a new query lacks
    new = {"name": "new-query", "summary": "New", "description": "Something new.",
           "params": [{"name": "colour", "doc": "The colour."}], "columns": [{"name": "hue", "doc": "The hue."}]}  # fmt: skip
    assert _untranslated(new) == [
        "title and summary (SUMMARIES_ZH)",
        "description (DESCRIPTIONS_ZH)",
        "help of parameter colour (PARAM_DOCS_ZH)",
        "column hue (COLUMNS_ZH)",
        "note on column hue (COLUMN_DOCS_ZH)",
    ]
    assert query_text.column_heading("measureLabel", "en") == "Measure label"
    assert query_text.column_heading("annualRatePercent", "zh") == "年均增长率（%）"


@pytest.mark.parametrize("name", ["lineage", "targets-vs-actuals", "version-diff", "conflicts"])
def test_a_chinese_query_page_has_no_english_description_or_column_note(client: httpx.Client, name: str) -> None:
    page = client.get(f"/queries/{name}", params={"_lang": "zh"}, headers=BROWSER).text
    main = page.split("<main", 1)[1]
    assert '<p class="muted" lang="en">' not in main and '<strong lang="en">' not in main
    columns = re.search(r'<dl class="facts">(.*?)</dl>', main, re.S)
    assert columns and "<dd" in columns.group(1) and 'lang="en"' not in columns.group(1), name
    notes = re.findall(r"<dd>([^<]+)</dd>", columns.group(1))
    assert len(notes) == columns.group(1).count("<dd") and all(re.search(r"[\u4e00-\u9fff]", n) for n in notes)
    described = re.search(r'<p class="muted">([^<]+)</p>', main)
    assert described and re.search(r"[\u4e00-\u9fff]", described.group(1)), name
    header = (project_paths().queries_dir / f"{name}.rq").read_text(encoding="utf-8")
    first_words = re.search(r"^#\+ description: (.{30})", header, re.M)
    english = client.get(f"/queries/{name}", headers=BROWSER).text
    assert first_words and '<p class="muted">' + first_words.group(1) in english
    first_note = re.search(r"^#\+ column: \S+\n(?:#\+ {3}(?!doc:).*\n)*#\+ {3}doc: (.{20})", header, re.M)
    assert first_note and "<dd>" + html.escape(first_note.group(1), quote=False) in english


def test_a_form_starts_with_its_examples_and_answers_in_the_pages_language(client: httpx.Client) -> None:
    form = client.get("/queries/version-diff", headers=BROWSER).text
    assert 'name="old" value="1.0"' in form and 'name="new" value="2.0"' in form  # required: the example
    assert 'name="lang" value=""' not in form and "<option selected>zh</option>" not in form
    zh = client.get("/queries/lineage", params={"_lang": "zh"}, headers=BROWSER).text
    assert "某集群的沿革：各版本中在它之前和之后的调整事件" in zh and "<option selected>zh</option>" in zh
    assert " (默认: en; 本表单预选: zh)" in zh  # the query's own default, and what this form chose
    assert "; chosen here" not in form
    assert '<p class="muted">沿两个方向传递地追踪调整事件。' in zh and 'lang="en">Follows' not in zh
    clusters = client.get("/queries/clusters", params={"_lang": "zh"}, headers=BROWSER).text
    assert '<p class="muted">该版本的每个集群一行：先列战略性新兴产业集群，再列未来产业。' in clusters
    answered = client.get(
        "/queries/lineage", params={"_lang": "zh", "cluster": "artificial-intelligence"}, headers=BROWSER
    )
    assert "人工智能" in answered.text and "cluster=artificial-intelligence&amp;lang=zh&amp;format=csv" in answered.text
    one = client.get("/queries/announcement", params={"version": "3.0"}, headers=BROWSER).text
    assert re.search(r'<span class="row-count">1</span> row\b(?!s)', one)


def test_result_cells_are_written_for_the_language(client: httpx.Client) -> None:
    en = client.get(
        "/queries/targets-vs-actuals", params={"version": "1.0", "measure": "sei-added-value"}, headers=BROWSER
    )
    zh = client.get(
        "/queries/targets-vs-actuals",
        params={"version": "1.0", "measure": "sei-added-value", "_lang": "zh"},
        headers=BROWSER,
    )
    # the 1.0 target for 2025: over 1.5 trillion yuan; actual 1.67 trillion (sources: graph/observations.csv), met
    assert '<span title="1500000000000">1,500,000,000,000</span>' in en.text and ">yes</span>" in en.text
    assert '<th scope="col" title="measureLabel">Measure label</th>' in en.text
    assert (
        '<span title="1500000000000">1.5万亿</span>' in zh.text
        and '<span title="1670000000000">1.67万亿</span>' in zh.text
    )
    assert '<th scope="col" title="met">是否达成</th>' in zh.text and ">是</span>" in zh.text
    csv_rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(
                    "/queries/targets-vs-actuals",
                    params={"version": "1.0", "measure": "sei-added-value", "format": "csv"},
                ).text
            )
        )
    )
    assert "1500000000000" in [r["targetValue"] for r in csv_rows]  # downloads keep the plain value


# -- the machine endpoints in a browser ------------------------------------------------------------------


def test_every_machine_endpoint_answers_a_browser(client: httpx.Client) -> None:
    """A browser (HTML first in its Accept header) gets each endpoint's content, or a page of it: never 404."""
    for path in ("/openapi.json", "/context.jsonld", "/download/sz20plus8.ttl", "/queries/counts?format=csv"):
        response = client.get(path, headers=BROWSER)
        assert response.status_code == 200 and not response.text.lstrip().startswith("<!DOCTYPE"), path
    assert client.get("/.well-known/void", headers=BROWSER).headers["location"].endswith("/dataset")
    for path in ("/store", "/download", "/download/"):
        page = client.get(path, headers=BROWSER)
        assert page.status_code == 200 and "<h1>Data for programs</h1>" in page.text, path
        assert 'href="/download/sz20plus8.ttl"' in page.text and 'href="/store?default"' in page.text
        assert 'href="/store?graph=https%3A%2F%2Fw3id.org%2Fsz20plus8%2Fgraph%2Fdata"' in page.text
    graph = client.get("/store", params={"graph": BASE + "graph/data"}, headers=BROWSER)
    assert graph.status_code == 200 and "rdf" in graph.headers["content-type"]
    # programs get the protocol's own answers, as before
    assert client.get("/store").status_code == 400 and client.get("/download/nothing.ttl").status_code == 404
    assert client.get("/download/", headers={"Accept": "text/turtle"}).status_code == 404


# -- the editor's files from the npm registry (kgtool.web.assets, run by hatch_build.py) ---------------


@pytest.fixture()
def registry(tmp_path: Path) -> Iterator[tuple[str, Path, dict[str, bytes]]]:
    """A local npm registry on 127.0.0.1 serving one tarball of a package "@demo/editor" 1.0.0, and the
    lockfile pinning its sha512: yields (registry URL, lockfile, the served paths and bodies)."""
    import base64
    import hashlib
    import http.server
    import json
    import tarfile
    import threading

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, content in (("package/build/editor.js", b"var Editor = 1;\n"), ("package/README", b"r")):
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    tarball = buffer.getvalue()
    served = {"/@demo/editor/-/editor-1.0.0.tgz": tarball}
    integrity = "sha512-" + base64.b64encode(hashlib.sha512(tarball).digest()).decode()
    lockfile = tmp_path / "package-lock.json"
    lockfile.write_text(
        json.dumps({"packages": {"node_modules/@demo/editor": {"version": "1.0.0", "integrity": integrity}}})
    )

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            body = served.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", lockfile, served
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_the_editor_is_fetched_from_the_registry_with_its_pinned_hash(
    registry: tuple[str, Path, dict[str, bytes]], tmp_path: Path
) -> None:
    from kgtool.web import assets

    url, lockfile, _ = registry
    target = tmp_path / "node_modules"
    packages = {"@demo/editor": ("build/editor.js",)}
    assert not assets.installed(packages, target)
    written = assets.fetch(packages, target, lockfile=lockfile, registry=url, timeout=10)
    assert written == [target / "@demo/editor/build/editor.js"] and written[0].read_bytes() == b"var Editor = 1;\n"
    assert assets.installed(packages, target) and not (target / "@demo/editor/README").exists()


def test_a_tampered_or_unreachable_package_writes_nothing(
    registry: tuple[str, Path, dict[str, bytes]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kgtool.web import assets

    url, lockfile, served = registry
    target = tmp_path / "node_modules"
    packages = {"@demo/editor": ("build/editor.js",)}
    served["/@demo/editor/-/editor-1.0.0.tgz"] += b"\0"  # one byte more than the pinned tarball
    with pytest.raises(assets.FetchError, match="is not the pinned sha512-"):
        assets.fetch(packages, target, lockfile=lockfile, registry=url, timeout=10)
    with pytest.raises(assets.FetchError, match="127.0.0.1:9"):  # the discard port: nothing listens (offline)
        assets.fetch(packages, target, lockfile=lockfile, registry="http://127.0.0.1:9", timeout=10)
    with pytest.raises(assets.FetchError, match="no version with a sha512"):
        assets.fetch({"left-pad": ("index.js",)}, target, lockfile=lockfile, registry=url, timeout=10)
    assert not target.exists()
    # python -m kgtool.web.assets: exit 1 and the reason when the registry cannot be reached
    monkeypatch.setattr(assets, "REGISTRY", "http://127.0.0.1:9")
    monkeypatch.setattr(assets, "TARGET", target)
    assert assets.main([]) == 1 and not target.exists()


def test_the_pinned_editor_is_the_lockfiles_yasgui() -> None:
    from kgtool.web import assets

    version, integrity = assets.pinned("@zazuko/yasgui")
    assert version == "4.6.2" and integrity.startswith("sha512-Zw45KdPoAE1KRaAoxIHdQqeJxvaVG1oQdntw0hy0ktX35Zu8Z")
    assert (
        assets.tarball_url("@zazuko/yasgui", version) == "https://registry.npmjs.org/@zazuko/yasgui/-/yasgui-4.6.2.tgz"
    )
    assert {f"{p}/{n}" for p, names in assets.PACKAGES.items() for n in names} >= {
        f"@zazuko/yasgui/{path.split('/', 2)[-1]}" for path in web_render.VENDOR_FILES.values()
    }


def test_svg_static_and_unknown(client: httpx.Client) -> None:
    svg = client.get("/evolution.svg", params={"_lang": "zh"})
    assert svg.headers["content-type"].startswith("image/svg+xml") and "人工智能" in svg.text
    assert svg.text.startswith("<?xml") and svg.text.count('class="flow ') >= 13
    assert client.get("/static/site.css").headers["content-type"].startswith("text/css")
    assert client.get("/static/../app.py").status_code == 404
    assert client.get("/static/vendor/secret.js").status_code == 404
    missing = client.get("/cluster/no-such-cluster", headers=BROWSER)
    assert missing.status_code == 404 and "<h1>Not found</h1>" in missing.text


def test_a_malicious_label_is_escaped(tmp_path: Path) -> None:
    from rdflib import Dataset, Literal, URIRef

    from kgtool.namespaces import DATA_GRAPH

    dataset = Dataset()
    dataset.graph(DATA_GRAPH).add(
        (
            URIRef(BASE + "place/evil"),
            URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
            Literal("<script>alert(1)</script>", lang="en"),
        )
    )
    with running_server(ServerConfig(store=dataset, workers=1)) as url:
        page = httpx.get(url + "/place/evil", headers=BROWSER, timeout=30).text
        search = httpx.get(url + "/search", params={"q": "<script>"}, headers=BROWSER, timeout=30).text
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>" not in search.split("<main", 1)[1]


def test_a_source_page_lists_what_it_is_cited_for(kg: KnowledgeGraph) -> None:
    source = data.resource(kg, BASE + "source/itiger-2026-article")
    assert len(source["statements"]) > 20 and all(s["statement"]["en"] for s in source["statements"])
    assert all("#" not in s["iri"] for group in source["incoming"] for s in group["subjects"])  # no citation nodes
    page = next(p for p in source["properties"] if p["predicate"]["iri"] == "http://xmlns.com/foaf/0.1/page")
    assert page["values"][0]["node"]["en"] == "https://www.itiger.com/news/1150874134"  # a web page shows its address


def test_a_page_table_offers_its_query_s_answer(client: httpx.Client) -> None:
    """The version page's cluster table is the named query clusters; its link gives the same rows as CSV."""
    page = client.get("/version/2.0", headers=BROWSER).text
    table = re.findall(r'<td lang="en"[^>]*><a href="/cluster/([^"]+)">', page)
    assert len(table) == 28
    link = html.unescape(re.search(r'href="(/queries/clusters\?[^"]*format=csv)"', page)[1])
    assert link == "/queries/clusters?version=2.0&format=csv"
    answer = client.get(link)
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert [r["cluster"].rsplit("/", 1)[1] for r in rows] == table


def test_the_shapes_and_named_graphs_are_pages_like_the_others(client: httpx.Client) -> None:
    """/shapes and /graph/... are rendered by the site's templates: its navigation, its language switch."""
    for lang, heading in (("en", "<h2>Node shapes</h2>"), ("zh", "<h2>节点形状</h2>")):
        shapes = client.get("/shapes", params={"_lang": lang}, headers=BROWSER)
        assert shapes.status_code == 200 and heading in shapes.text
        assert 'class="lang"' in shapes.text and 'href="/static/site.css"' in shapes.text
        assert 'id="Elevation"' in shapes.text and ">FactNode-certainty<" in shapes.text
    assert "合并" in client.get("/shapes", params={"_lang": "zh"}, headers=BROWSER).text  # sz:Merger, named
    graph = client.get("/graph/ontology", params={"_lang": "zh"}, headers=BROWSER)
    assert graph.status_code == 200 and "命名图" in graph.text and 'class="lang"' in graph.text
    assert client.get("/graph/nothing", headers=BROWSER).status_code == 404


@pytest.mark.parametrize("path", ["/openapi.json", "/health", "/context.jsonld"])
def test_machine_endpoints_answer_a_browser_with_their_content(client: httpx.Client, path: str) -> None:
    """A browser's Accept header (text/html first) gets the JSON itself, as curl does, never a 404 page."""
    for headers in (BROWSER, {"Accept": "*/*"}):
        response = client.get(path, headers=headers)
        assert response.status_code == 200 and response.json(), (path, headers)
    assert "/queries/clusters" in client.get("/openapi.json", headers=BROWSER).json()["paths"]


def test_the_ontology_version_iri_is_the_ontology_page(client: httpx.Client) -> None:
    page = client.get("/def/0.2.0", headers=BROWSER)
    assert page.status_code == 200 and 'id="PolicyVersion"' in page.text


# -- a new event type is the ontology's alone ---------------------------------------------------------------

SPLIT = """
sz:Split a owl:Class ;
    sz:slug "split" ;
    sz:listOrder 8 ;
    sz:changeLabel "split"@en , "拆分"@zh ;
    sz:displayColour "#123456" ;
    sz:toClusterIsNew true ;
    rdfs:label "split"@en ;
    skos:definition "A test event type: one cluster split into new ones."@en ;
    rdfs:subClassOf sz:ReclassificationEvent ;
    rdfs:isDefinedBy <https://w3id.org/sz20plus8/def> .
"""


def _project_with(tmp_path: Path, ontology_text: str) -> ProjectPaths:
    """A copy of the project whose ontology has ``ontology_text`` added, and whose artificial intelligence
    event has the type sz:Split."""
    root = project_paths().root
    for part in ("ontology", "graph", "queries"):
        shutil.copytree(root / part, tmp_path / part)
    ontology = tmp_path / "ontology" / "sz20plus8.ttl"
    ontology.write_text(ontology.read_text(encoding="utf-8") + ontology_text, encoding="utf-8")
    events = tmp_path / "graph" / "events-2.0.toml"
    text = events.read_text(encoding="utf-8")
    changed = text.replace(
        'id = "elevated-artificial-intelligence"\ntype = "elevated"',
        'id = "elevated-artificial-intelligence"\ntype = "split"',
    )
    assert changed != text
    events.write_text(changed, encoding="utf-8")
    return ProjectPaths(tmp_path)


def test_a_new_event_type_in_the_ontology_appears_on_the_pages(tmp_path: Path) -> None:
    """sz:Split, added to the ontology with its change labels, order and colour, is drawn and named on the
    evolution diagram, its legend, the version page and the cluster page, in both languages, with no change to
    kgtool's code or templates."""
    paths = _project_with(tmp_path, SPLIT)
    graphs = source_graphs(paths)
    assert validate_graph(union(graphs), paths).conforms
    with running_server(ServerConfig(store=MemoryStore(graphs), paths=paths, workers=1)) as url:
        pages = {
            (path, lang): httpx.get(url + path, params={"_lang": lang}, headers=BROWSER, timeout=60)
            for path in ("/evolution", "/version/2.0", "/cluster/artificial-intelligence")
            for lang in ("en", "zh")
        }
    assert all(page.status_code == 200 for page in pages.values())
    evolution = pages["/evolution", "zh"].text
    flow = re.search(r'<a [^>]*class="flow split"[^>]*data-change="split".*?</a>', evolution, re.S)
    assert flow and 'stroke="#123456"' in flow.group(0) and "拆分" in flow.group(0)
    legend = evolution.split('<g class="legend"', 1)[1]
    assert 'stroke="#123456"' in legend and ">拆分<" in legend
    assert legend.index(">拆分<") > legend.index(">合并<")  # sz:listOrder 8: after the merger (3)
    assert ">split<" in pages["/evolution", "en"].text.split('<g class="legend"', 1)[1]
    for path in ("/version/2.0", "/cluster/artificial-intelligence"):
        assert '<span class="change" style="--c: #123456">拆分</span>' in pages[path, "zh"].text
        assert '<span class="change" style="--c: #123456">split</span>' in pages[path, "en"].text


def test_an_event_type_without_its_colour_is_refused_by_the_shapes(tmp_path: Path) -> None:
    paths = _project_with(tmp_path, SPLIT.replace('    sz:displayColour "#123456" ;\n', ""))
    report = validate_graph(union(source_graphs(paths)), paths)
    assert not report.conforms
    assert {v.constraint for v in report.violations} == {str(SZSH) + "EventType-displayColour"}


# -- figures, targets, charts and sources beside facts -------------------------------------------------

TARGET_1_0 = BASE + "target/1.0-sei-added-value-2025"


def test_a_target_says_it_was_met_by_which_actual_with_the_ratio(kg: KnowledgeGraph) -> None:
    target = figures.figure(kg, TARGET_1_0)
    assert (target["kind"], target["qualifier"], target["version"]) == ("target", "over", "1.0")
    assert target["display"] == {"en": "1.5 trillion yuan", "zh": "1.5 万亿元"}
    assert target["figures"]["en"] == "1,500,000,000,000 yuan"
    [verdict] = target["verdicts"]
    assert verdict["met"] is True and verdict["actual"]["node"]["iri"] == BASE + "observation/sei-added-value-2025"
    assert verdict["actual"]["display"]["en"] == "1.67 trillion yuan"
    assert verdict["percent"] == "111.3%"  # 1.67 / 1.5, by hand
    assert verdict["difference"] == {"en": "170 billion yuan", "zh": "1,700 亿元"}
    unknown = figures.figure(kg, BASE + "target/3.0-sei-added-value-growth-2026")
    assert [v["met"] for v in unknown["verdicts"]] == [None] and unknown["verdicts"][0]["actual"] is None


def test_a_figure_has_its_words_sources_and_the_other_values_of_its_period(kg: KnowledgeGraph) -> None:
    figure = figures.figure(kg, BASE + "observation/sei-added-value-2024")
    assert figure["display"]["zh"] == "1.56 万亿元" and figure["figures"]["zh"] == "1,560,000,000,000 元"
    assert figure["subject"]["en"] == "Shenzhen" and figure["period"]["en"] == "2024"
    assert "达1.56万亿元" in {s["quote"] for s in figure["sources"]}
    others = {p["observation"]["iri"].rsplit("/", 1)[1]: p for p in figure["samePeriod"]}
    assert set(others) == {"sei-added-value-2024", "sei-added-value-2024-estimate-bkwk"}
    assert others["sei-added-value-2024-estimate-bkwk"]["qualifier"] == "over"
    assert others["sei-added-value-2024-estimate-bkwk"]["certainty"] == "secondary"
    older = figures.figure(kg, BASE + "observation/sei-added-value-2019")
    assert older["industryDefinition"]["iri"] == BASE + "definition/sei-seven-industries-pre-2022"
    gdp = figures.figure(kg, BASE + "observation/gdp-2020-szdaily-2025")
    assert gdp["conflicts"] and {p["display"]["en"] for p in gdp["samePeriod"] if p["conflicts"]} == {
        "2.76 trillion yuan",
        "2.78 trillion yuan",
        "2.83 trillion yuan",
    }


def test_the_headline_chart_breaks_at_the_older_definition_and_draws_targets(kg: KnowledgeGraph) -> None:
    home = data.home(kg)
    series = next(s for s in home["charts"] if s["slug"] == "sei-added-value")
    chart = charts.line_chart(series, "en", highlight=BASE + "observation/sei-added-value-2024")
    assert chart is not None
    x_2019 = next(t["x"] for t in chart["xticks"] if t["label"] == "2019")
    assert len(chart["lines"]) == 1 and f"{x_2019}," not in chart["lines"][0]  # 2019 is not joined
    [gap] = chart["breaks"]
    assert gap["definition"]["iri"] == BASE + "definition/sei-seven-industries-pre-2022" and gap["x"] > x_2019
    assert {(t["version"], t["year"]) for t in chart["targets"]} == {("2.0", 2024), ("1.0", 2025), ("2.0", 2025)}
    assert chart["legend"] == ["exact", "bound", "low-quality", "target", "definition", "this"]
    bkwk = next(p for p in chart["points"] if p["observation"]["iri"].endswith("estimate-bkwk"))
    assert bkwk["mark"] == "bound" and bkwk["lowQuality"]
    assert [p["this"] for p in chart["points"]].count(True) == 1


def test_targets_against_actuals_and_the_sector_bars(kg: KnowledgeGraph) -> None:
    home = data.home(kg)
    decided = [v for v in home["targets"] if v["ratio"] is not None]
    chart = charts.target_chart(decided, "en")
    row = next(r for r in chart["rows"] if r["target"]["iri"] == TARGET_1_0)
    assert row["state"] == "met" and row["percent"] == "111.3%" and row["w"] > chart["target_x"] - chart["left"]
    assert "met-secondary" in chart["legend"]  # 2.0's 2024 target "met" by the low-quality estimate
    by_sector = next(b for b in home["breakdowns"] if b["measure"]["en"].endswith("added value"))
    assert by_sector["period"]["en"] == "2023" and len(by_sector["bars"]) == 7
    bars = charts.bar_chart(by_sector["bars"], by_sector["unit"], "en")
    assert bars["rows"][0]["label"]["en"] == "New-generation Electronic Information"
    assert bars["rows"][0]["display"]["en"] == "571.712 billion yuan"  # 5,717.12 亿元


def test_every_row_of_a_cluster_carries_its_sources(kg: KnowledgeGraph) -> None:
    cluster = data.cluster(kg, AI)
    assert all(m["sources"] for m in cluster["memberships"]) and all(s["sources"] for s in cluster["lineage"])
    assert all(o["sources"] for o in cluster["observations"])
    blockchain = data.cluster(kg, BASE + "cluster/blockchain")
    alone = {s["event"]["iri"].rsplit("/", 1)[1]: s["factSheetOnly"] for s in blockchain["lineage"]}
    assert alone == {"removed-blockchain": True, "merged-blockchain-into-software-and-information-services": False}
    assert data.resource(kg, BASE + "event/2.0/removed-blockchain")["factSheetOnly"]
    [creative] = data.cluster(kg, BASE + "cluster/digital-creative")["targets"]
    assert (creative["qualifier"], creative["display"]["en"], creative["state"]) == (
        "over",
        "100 billion yuan",
        "unknown",
    )
    assert creative["sources"][0]["quote"] == "digital creative added value > 100 billion yuan by 2025"
    version = data.version(kg, "2.0")
    assert len(version["clusters"]) == 28 and all(c["sources"] for c in version["clusters"])
    ai = next(c for c in version["clusters"] if c["node"]["iri"] == AI)
    assert BASE + "source/itiger-2026-article" in {s["iri"] for s in ai["sources"]}
    assert {e["iri"].rsplit("/", 1)[1] for e in version["events"] if e["factSheetOnly"]} == {
        "removed-blockchain",
        "removed-space-technology",
        "merged-space-technology-into-low-altitude-economy-and-aerospace",
    }


def test_figure_and_target_pages_read_in_both_languages(client: httpx.Client) -> None:
    page = client.get("/target/1.0-sei-added-value-2025", headers=BROWSER).text
    verdict = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.split('class="verdict', 1)[1].split("</p>", 1)[0]))
    assert re.search(
        r"Met : Actual 1\.67 trillion yuan .* Target over 1\.5 trillion yuan · 111\.3% of the target", verdict
    )
    zh = client.get("/target/1.0-sei-added-value-2025", params={"_lang": "zh"}, headers=BROWSER).text
    assert "已达成" in zh and "超过</span> 1.5 万亿元" in zh and '为目标的<span class="ratio">111.3%' in zh
    unknown = client.get("/target/3.0-sei-added-value-growth-2026", headers=BROWSER).text
    assert "Not yet known" in unknown and "no figure for this period" in unknown
    figure = client.get("/observation/sei-added-value-2024", headers=BROWSER).text
    assert "1,560,000,000,000 yuan" in figure and "预计超1.5万亿元" in figure and 'class="ring"' in figure
    assert figure.count('class="point"') >= 10 and "older definition" in figure
    assert "Every figure for the period" not in client.get("/observation/sei-added-value-2019", headers=BROWSER).text
    quarterly = client.get("/observation/sei-added-value-2023-q1-q3", headers=BROWSER).text
    assert "1.039339 trillion yuan" in quarterly and "1,039,339,000,000 yuan" in quarterly  # 10,393.39 亿元
    assert "is not a calendar year, so the chart of yearly figures does not show it" in quarterly
    event = client.get("/event/2.0/removed-blockchain", headers=BROWSER).text
    assert "rests on the project&#39;s own fact sheet alone" in event
    cluster = client.get("/cluster/blockchain", headers=BROWSER).text
    assert cluster.count('<details class="refs">') >= 3 and "the project&#39;s own fact sheet alone" in cluster
    home = client.get("/", headers=BROWSER).text
    assert "Targets against actuals" in home and "target-chart" in home and "By sector and cluster" in home
