"""The pages in a real browser: Debian's Chromium driven by Playwright, against ``kgtool serve`` on 127.0.0.1.

Each test opens pages as a reader would, fails on any console error or on any request that would leave
127.0.0.1 (such requests are also blocked), runs axe-core on every page (no serious or critical
violation), and writes a screenshot of each page to ``screenshots/`` (or ``$KG_SCREENSHOTS``).

Needs ``/usr/bin/chromium`` (``apt-get install chromium``), the ``playwright`` package and the front-end
code of ``scripts/fetch-web-assets``; .ci/run installs all three, and in CI a missing one fails the tests.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from kgtool.server import ServerConfig
from kgtool.web.render import VENDOR_DIR

CHROMIUM = Path("/usr/bin/chromium")
AXE = VENDOR_DIR / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(os.environ.get("KG_SCREENSHOTS") or Path(__file__).resolve().parents[1] / "screenshots")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

_missing = [
    what
    for what, ok in (("/usr/bin/chromium", CHROMIUM.is_file()), ("axe-core (scripts/fetch-web-assets)", AXE.is_file()))
    if not ok
]
try:
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:  # pragma: no cover - the test extra installs it
    _missing.append("the playwright package")
if _missing and (os.environ.get("CI") or os.environ.get("KG_REQUIRE_BROWSER")):
    raise RuntimeError(f"the browser tests need {', '.join(_missing)}: .ci/run installs them")
pytestmark = [pytest.mark.browser, pytest.mark.skipif(bool(_missing), reason=f"needs {', '.join(_missing)}")]

from server_fixtures import running_server  # noqa: E402


@pytest.fixture(scope="module")
def base(built_home: Path) -> Iterator[str]:
    with running_server(ServerConfig(home=built_home, timeout=30, workers=2)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


class Visit:
    """A browser page that records console errors and every request, and blocks any not to 127.0.0.1."""

    def __init__(self, browser: Browser, base: str, width: int = 1280) -> None:
        self.base = base
        self.page: Page = browser.new_page(viewport={"width": width, "height": 844 if width < 500 else 900})
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.route("**/*", self._route)

    def _route(self, route) -> None:  # noqa: ANN001 - playwright's Route
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def open(self, path: str) -> Page:
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == 200, (path, response and response.status)
        self.page.wait_for_load_state("networkidle")
        return self.page

    def check(self, name: str, height: int | None = None) -> None:
        """No console error, no request outside 127.0.0.1, no serious accessibility violation; screenshot."""
        assert self.errors == [], (name, self.errors)
        assert self.outside == [], (name, self.outside)
        self.page.add_script_tag(path=str(AXE))
        result = self.page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        serious = [
            (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], (name, "; ".join(map(str, serious)))
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        clip = {"x": 0, "y": 0, "width": self.page.viewport_size["width"], "height": height} if height else None
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True, clip=clip)

    def close(self) -> None:
        self.page.close()


@pytest.fixture()
def visit(browser: Browser, base: str) -> Iterator[Visit]:
    v = Visit(browser, base)
    yield v
    v.close()


PAGES = [
    ("home", "/", "Shenzhen “20+8” knowledge graph"),
    ("version-2.0", "/version/2.0", 'Shenzhen "20+8" policy, version 2.0'),
    ("version-3.0", "/version/3.0", 'Shenzhen "20+8" policy, version 3.0'),
    ("cluster-artificial-intelligence", "/cluster/artificial-intelligence", "Artificial Intelligence"),
    ("cluster-high-end-equipment", "/cluster/high-end-equipment-and-instruments", "High-end Equipment & Instruments"),
    (
        "event-merged-blockchain",
        "/event/2.0/merged-blockchain-into-software-and-information-services",
        "Blockchain merged into the software & information services cluster",
    ),
    (
        "observation",
        "/observation/sei-added-value-2020",
        "Strategic emerging industry added value · Shenzhen · 2020",
    ),
    ("membership", "/membership/2.0/artificial-intelligence", 'Artificial Intelligence in Shenzhen "20+8" policy'),
    ("target", "/target/1.0-sei-added-value-2025", "Strategic emerging industry added value · Shenzhen · 2025"),
    ("source", "/source/itiger-2026-article", 'Shenzhen\'s "20+8" Industrial Policy Advances to Version 3.0'),
    ("source-zh", "/source/niita-2022?_lang=zh", "深圳20大先进制造业园区空间布局规划出炉"),  # its original title
    ("source-zh-untitled", "/source/8net-net-2022?_lang=zh", "Report on the Shenzhen opinions"),
    ("ontology", "/def", "The sz20plus8 ontology"),
    ("shapes", "/shapes", "SHACL shapes of the sz20plus8 graph"),
    ("shapes-zh", "/shapes?_lang=zh", "SHACL shapes of the sz20plus8 graph"),
    ("graph-data", "/graph/data", "Named graph"),
    ("named-queries", "/queries", "Named queries"),
    ("search", "/search?q=机器人", "Search results"),
]


@pytest.mark.parametrize("name, path, heading", PAGES, ids=[p[0] for p in PAGES])
def test_each_page_opens_with_a_human_heading(visit: Visit, name: str, path: str, heading: str) -> None:
    page = visit.open(path)
    assert heading in page.locator("h1").inner_text()
    assert not re.search(r"\b(sz|cluster|membership|observation):[a-z]", page.locator("h1").inner_text())
    visit.check(name)


def test_evolution_flow_leads_to_the_artificial_intelligence_page(visit: Visit) -> None:
    page = visit.open("/evolution")
    visit.check("evolution", height=1320)  # before any flow is focused: the README's screenshot, the diagram
    flow = page.locator('a.flow[data-change="elevated"]')
    assert flow.count() == 1
    flow.focus()  # keyboard focus shows the event, its certainty and its sources
    details = page.locator("#flow-details")
    assert "Artificial intelligence elevated" in details.inner_text()
    assert "confirmed" in details.inner_text() and "163.com" in details.inner_text()
    competing = page.locator("a.flow.dashed")
    assert competing.count() >= 2  # blockchain and space technology: competing claims drawn as such
    page.locator('a.flow[data-change="merged"].dashed').first.hover()
    assert "Competes with" in details.inner_text()
    assert visit.errors == [] and visit.outside == []
    flow.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/cluster/artificial-intelligence")
    assert page.locator("h1").inner_text() == "Artificial Intelligence"
    assert "Software & Information Services" in page.locator("main").inner_text()  # its lineage


@pytest.mark.parametrize("width", [1366, 390])
def test_3_0_in_view(browser: Browser, base: str, width: int) -> None:
    """The 3.0 announcement's ties to 2.0's clusters: dotted flows in the evolution diagram (announced, not
    events), a section on each cluster page, and the priorities of the 3.0 page tied to their clusters."""
    visit = Visit(browser, base, width)
    try:
        page = visit.open("/evolution")
        ties = page.locator("a.flow.announced")
        assert ties.count() == 7 and page.locator("a.flow.announced[data-event]").count() == 0
        ties.first.focus()
        details = page.locator("#flow-details").inner_text()
        assert "announced tie (not an event)" in details and "uncertain" in details
        page.locator('a.box[data-iri$="/cluster/safety-energy-conservation-environmental-protection"]').first.focus()
        assert "Safety, Energy Conservation & Environmental Protection" in page.locator("#flow-details").inner_text()
        assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 1
        visit.check(f"evolution-3.0-{width}")
        page = visit.open("/cluster/semiconductors-and-integrated-circuits")
        section = page.locator("section.outlook")
        assert section.locator("h2").inner_text() == "What the 3.0 announcement says about this cluster"
        assert "Semiconductors and integrated circuits" in section.inner_text()
        assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 1
        visit.check(f"cluster-3.0-section-{width}")
        page = visit.open("/version/3.0?_lang=zh")
        assert (
            page.locator("ul.columns li", has_text="Biomedicine")
            .inner_text()
            .split("\n")[-1]
            .startswith("关联 生物医药")
        )
        assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 1
        visit.check(f"version-3.0-zh-{width}")
    finally:
        visit.close()


def test_the_standalone_svg(visit: Visit) -> None:
    response = visit.page.goto(visit.base + "/evolution.svg")
    assert response is not None and response.headers["content-type"].startswith("image/svg+xml")
    assert visit.page.locator("svg a.flow").count() >= 13
    assert visit.errors == [] and visit.outside == []


@pytest.mark.parametrize("width", [1366, 390])  # 1366x900 and 390x844
def test_figure_and_target_pages_show_the_verdict_the_chart_and_the_sources(
    browser: Browser, base: str, width: int
) -> None:
    visit = Visit(browser, base, width=width)
    try:
        page = visit.open("/target/1.0-sei-added-value-2025")
        verdict = page.locator(".verdict.met").inner_text()
        assert "Met" in verdict and "1.67 trillion yuan" in verdict and "over 1.5 trillion yuan" in verdict
        assert "111.3% of the target" in verdict
        assert page.locator("svg.line-chart .ring").is_visible()  # this target, ringed in its series
        assert page.locator("ul.legend").inner_text().count("\n") >= 4  # a legend line for every mark
        refs = page.locator(".verdict details.refs").first
        refs.locator("summary").click()
        assert "reached 1.67 trillion yuan" in refs.inner_text()  # the actual's sources, beside it
        visit.check(f"target-{width}")
        page = visit.open("/observation/sei-added-value-2024")
        cards = page.locator(".side-by-side .figure-card")
        assert cards.count() == 2 and "预计超1.5万亿元" in page.locator(".side-by-side").inner_text()
        assert page.locator("svg.line-chart .break-label").count() == 1  # 2019's older definition
        visit.check(f"figure-{width}")
        page = visit.open("/")
        assert page.locator("svg.target-chart a").count() >= 6 and page.locator("svg.bar-chart").count() >= 4
        visit.check(f"home-charts-{width}")
        page = visit.open("/cluster/blockchain")
        assert "fact sheet alone" in page.locator("main").inner_text()
        summary = page.locator("table.stack details.refs summary").first.bounding_box()
        assert summary is not None and summary["x"] + summary["width"] <= width  # in view, not scrolled away
        for path in ("/", "/target/1.0-sei-added-value-2025", "/observation/sei-added-value-2024"):
            page = visit.open(path)
            overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, (path, overflow)
    finally:
        visit.close()


def test_a_named_query_form_shows_the_right_rows(visit: Visit) -> None:
    page = visit.open("/queries")
    form = page.locator('form[action="/queries/clusters"]')
    form.locator('input[name="version"]').fill("1.0")  # lang stays empty: "not given"
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/queries/clusters?**")
    table = page.locator("table.results")
    assert table.locator("tbody tr").count() == 28
    first = table.locator("tbody tr").first.inner_text()
    assert "Network & Communications" in first and "1.0" in first
    assert page.locator('a[download][href*="format=csv"]').count() == 1
    visit.check("named-query-clusters")


def test_every_named_query_form_answers_when_submitted_untouched(visit: Visit) -> None:
    """Required fields start with their documented example, so every form answers as shown: on the list of
    queries, and on each query's own page in Chinese, where the labels come back in Chinese."""
    page = visit.open("/queries")
    names = page.locator("section.query-card").evaluate_all("els => els.map(e => e.id)")
    assert len(names) == len(list((Path(__file__).resolve().parents[1] / "queries").glob("*.rq")))  # every one
    for name in names:
        page.goto(visit.base + "/queries")
        page.locator(f'form[action="/queries/{name}"] button[type=submit]').click()
        page.wait_for_load_state("networkidle")
        assert page.locator(".error").count() == 0, (name, page.locator(".error").inner_text())
        assert page.locator("section.results-section").count() == 1, name
        assert page.locator("table.results tbody tr, p.boolean").count() >= 1, name
    for name in names:
        page.goto(f"{visit.base}/queries/{name}?_lang=zh")
        assert page.locator("html").get_attribute("lang") == "zh-Hans"
        page.locator(f'form[action="/queries/{name}"] button[type=submit]').click()
        page.wait_for_load_state("networkidle")
        assert page.locator(".error").count() == 0, (name, page.locator(".error").inner_text())
        assert page.locator("table.results tbody tr, p.boolean").count() >= 1, name
        if page.locator('select[name="lang"]').count():
            assert "lang=zh" in page.url, (name, page.url)
    assert visit.errors == [] and visit.outside == []


def test_a_chinese_form_reads_in_chinese(browser: Browser, base: str) -> None:
    for width in (1366, 390):
        visit = Visit(browser, base, width)
        page = visit.open("/queries/targets-vs-actuals?_lang=zh")
        assert page.locator("main strong").first.inner_text() == "目标与实际：每个目标是否达成，以及达成程度"
        assert page.locator("main p.muted").first.inner_text().startswith("某版本的每个目标，与同一指标、对象和时期")
        page.locator("details", has=page.locator("dl.facts")).locator("summary").click()  # the columns, opened
        english = (
            'main > p[lang="en"], main > p > strong[lang="en"], form.named-query [lang="en"], dl.facts [lang="en"]'
        )
        assert page.locator(english).count() == 0  # summary, description, help and column notes all in Chinese
        assert "actualValue ÷ targetValue，四舍五入到小数点后4位。" in page.locator("dl.facts").inner_text()
        assert page.locator('select[name="lang"]').input_value() == "zh"
        assert "仅限此版本设定的目标" in page.locator("form.named-query").inner_text()
        headers = page.locator("table.results thead th").all_inner_texts()
        assert headers[:4] == ["版本", "指标名称", "对象名称", "时期"] and "是否达成" in headers
        row = page.locator("table.results tbody tr", has_text="1.67万亿").first.inner_text()
        assert "战略性新兴产业增加值" in row and "1.5万亿" in row and "是" in row
        assert page.locator('a[download][href*="format=csv"][href*="lang=zh"]').count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        visit.check(f"named-query-zh-{width}")
        visit.close()
        visit = Visit(browser, base, width)  # the same page in English, for the screenshots side by side
        page = visit.open("/queries/targets-vs-actuals")
        assert page.locator("main p.muted").first.inner_text().startswith("Each target of a version joined")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        visit.check(f"named-query-en-{width}")
        visit.close()


def test_an_ad_hoc_query_in_the_editor_shows_a_table(visit: Visit) -> None:
    page = visit.open("/sparql")
    page.wait_for_selector(".yasqe .CodeMirror")
    page.evaluate("""() => window.kgYasgui.getTab().getYasqe().setValue(
      'PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\\n' +
      'SELECT ?label WHERE { <https://w3id.org/sz20plus8/cluster/artificial-intelligence> skos:prefLabel ?label }')""")
    page.locator(".yasqe_queryButton").click()
    page.wait_for_selector(".yasr table tbody tr")
    text = page.locator(".yasr table").inner_text()
    assert "人工智能" in text and "Artificial Intelligence" in text
    visit.check("sparql-editor")


def test_the_editor_under_a_prefix_shows_the_servers_syntax_error_and_plain_cells(
    browser: Browser, built_home: Path
) -> None:
    with running_server(ServerConfig(home=built_home, timeout=30, workers=1), mount="/kg") as base:
        visit = Visit(browser, base)
        page = visit.open("/sparql")
        page.wait_for_selector(".yasqe .CodeMirror")
        page.evaluate("() => window.kgYasgui.getTab().getYasqe().setValue('SELECT ?x WHERE { ?x ?y }')")
        page.locator(".yasqe_queryButton").click()
        page.wait_for_selector(".yasr .errorResult")
        error = page.locator(".yasr .errorResult").inner_text()
        assert "syntax" in error.lower() and "line 1" in error.lower(), error
        # Chromium logs the 400 answer itself; no script error (YASGUI's own TypeError before the fix)
        assert visit.errors == ["Failed to load resource: the server responded with a status of 400 (Bad Request)"]
        visit.errors.clear()
        visit.check("sparql-editor-syntax-error")
        page.evaluate("""() => window.kgYasgui.getTab().getYasqe().setValue(
          'PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\\n' +
          'SELECT ?label (1 AS ?one) WHERE { <https://w3id.org/sz20plus8/cluster/artificial-intelligence> ' +
          'skos:prefLabel ?label FILTER(lang(?label) = "zh") }')""")
        page.locator(".yasqe_queryButton").click()
        page.wait_for_selector(".yasr table tbody tr")
        cells = page.locator(".yasr table tbody tr td").all_inner_texts()
        assert [c.strip() for c in cells[1:]] == ["人工智能 zh", "1 integer"], cells  # value, then the hint
        assert page.locator(".yasr .term-hint").first.inner_text() == "zh"
        visit.check("sparql-editor-cells")
        visit.close()


def test_the_language_switch_changes_every_label(visit: Visit) -> None:
    page = visit.open("/version/2.0")
    page.locator('nav.lang a[lang="zh-Hans"]').click()
    page.wait_for_url("**_lang=zh")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.locator("h1").inner_text() == "深圳“20+8”政策2.0版"
    assert "战略性新兴产业集群" in page.locator("main").inner_text()
    page.locator('a[href="/evolution?_lang=zh"]').first.click()  # links keep the language
    assert page.locator("h1").inner_text() == "“20+8”体系的演变"
    assert "人工智能" in (page.locator("svg.evolution").text_content() or "")
    visit.check("evolution-zh")
    page.goto(visit.base + "/?_lang=zh")
    visit.check("home-zh")
    page.locator('nav.lang a[lang="en"]').click()
    assert page.locator("h1").inner_text() == "Shenzhen “20+8” knowledge graph"


def test_pages_are_readable_on_a_phone(browser: Browser, base: str) -> None:
    visit = Visit(browser, base, width=390)
    try:
        for name, path in (
            ("home-phone", "/"),
            ("cluster-phone", "/cluster/artificial-intelligence"),
            ("source-phone", "/source/itiger-2026-article"),
            ("dataset-phone", "/dataset"),
            ("shapes-phone", "/shapes"),
            ("store-phone", "/store"),
            ("evolution-zh-phone", "/evolution?_lang=zh"),
            ("version-1.0-phone", "/version/1.0"),
            ("version-2.0-phone", "/version/2.0"),
        ):
            page = visit.open(path)
            overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, (path, overflow)  # wide tables and diagrams scroll inside their box
            if path.startswith("/evolution"):  # the diagram scrolls inside its box, and says so
                assert page.locator("#scroll-hint").is_visible()
            if path.startswith("/version"):  # each table row a card, each cell named: nothing scrolls sideways
                tables = page.locator("main table")
                stacked = page.locator("main table.stack").count()  # 1.0: two tiers; 2.0: and its events
                assert stacked == tables.count() == (2 if "1.0" in path else 3), (path, stacked)
                sideways = tables.evaluate_all(
                    "ts => ts.map(t => t.parentElement.scrollWidth - t.parentElement.clientWidth)"
                )
                assert max(sideways) <= 1, (path, sideways)
                en, zh = (
                    ("Intelligent Robots", "智能机器人") if "1.0" in path else ("Artificial Intelligence", "人工智能")
                )
                cells = page.locator("table.clusters tbody tr", has_text=en).locator("td:visible")
                named = cells.evaluate_all("""tds => tds.map(td =>
                    getComputedStyle(td, '::before').content.replace(/^"|"$/g, '') + td.innerText)""")
                assert named[1:3] == [f"Chinese name: {zh}", f"English name: {en}"], named
                assert [n.split(":")[0] for n in named] == (
                    ["No.", "Chinese name", "English name", "Sector", "Certainty", "Sources"]
                    if "1.0" in path
                    else ["No.", "Chinese name", "English name", "Certainty", "Sources"]  # no empty "Sector:"
                ), named
                summary = page.locator("table.stack details.refs summary").last.bounding_box()
                assert summary is not None and summary["x"] + summary["width"] <= 390  # in view
            visit.check(name)
    finally:
        visit.close()


def test_dataset_links_point_at_anchors_that_exist(visit: Visit) -> None:
    page = visit.open("/dataset")
    missing = page.evaluate("""() => [...document.querySelectorAll('a[href*="#"]')]
        .map(a => new URL(a.href)).filter(u => u.pathname === location.pathname && u.hash)
        .map(u => decodeURIComponent(u.hash.slice(1))).filter(id => !document.getElementById(id))""")
    assert page.locator('a[href^="/dataset#"]').count() > 100 and missing == []


@pytest.mark.parametrize("width", [1366, 390])
def test_machine_endpoints_answer_a_browser(browser: Browser, base: str, width: int) -> None:
    visit = Visit(browser, base, width)
    try:
        for path in ("/openapi.json", "/context.jsonld"):
            response = visit.page.goto(base + path)
            assert response is not None and response.status == 200, path
        page = visit.open("/store")
        assert page.locator("h1").inner_text() == "Data for programs"
        assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 1
        visit.check(f"store-{width}")
        assert visit.open("/download/").locator("h1").inner_text() == "Data for programs"
    finally:
        visit.close()


@pytest.mark.parametrize("width", [1366, 390])
def test_the_class_diagram_fits_and_its_labels_do_not_overlap(browser: Browser, base: str, width: int) -> None:
    """On /def every label (class names and property names) keeps clear of every other, the diagram fits a
    desktop page, and on a phone it scrolls inside its box, which says so; the page itself never does."""
    visit = Visit(browser, base, width)
    try:
        for path in ("/def", "/def?_lang=zh"):
            page = visit.open(path)
            boxes = page.evaluate("""() => [...document.querySelectorAll('svg.ontology-diagram text')]
                .map(t => { const b = t.getBBox(); return [t.textContent, b.x, b.y, b.x + b.width, b.y + b.height] })""")
            assert len(boxes) >= 30, path  # 22 classes and a label on each of 16 arrows (none left unlabelled)
            assert page.locator("ul.unlabelled").count() == 0, path
            overlaps = [
                (a[0], b[0])
                for i, a in enumerate(boxes)
                for b in boxes[i + 1 :]
                if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]
            ]
            assert overlaps == [], (path, overlaps)
            assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 1, path
            box = page.locator("#diagram .scroll")
            wider = box.evaluate("e => e.scrollWidth - e.clientWidth")
            if width > 1000:
                assert wider <= 1, (path, wider)  # the whole diagram in view
                assert not page.locator("#diagram-scroll-hint").is_visible()
            else:
                assert wider > 0 and page.locator("#diagram-scroll-hint").is_visible(), path
            box.scroll_into_view_if_needed()
            visit.check(f"ontology-diagram{'-zh' if 'zh' in path else ''}-{width}")
    finally:
        visit.close()
