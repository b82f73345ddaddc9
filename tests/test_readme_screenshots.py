"""The README's screenshots, taken again on every run of the browser group so that they show the pages as
they are: each page is opened in Chromium at 1366x900 (the checks of tests/test_web_browser.py: no console
error, no request off the host, no serious axe finding) and its first screen is written to
``docs/screenshots/NAME.png``, the file the README shows. A page that changed shows as a changed file in
``git status``: commit it with the change."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_web_browser import LAUNCH_ARGS, Visit, pytestmark  # noqa: F401 - the browser marker and skip

from kgtool.server import ServerConfig

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "docs" / "screenshots"

#: The pages a reader of the README sees first: name, path, and the words the page must show.
README_PAGES = [
    ("home", "/", "Shenzhen"),
    ("evolution", "/evolution", "How the 20+8 system changed"),
    ("cluster", "/cluster/semiconductors-and-integrated-circuits", "What the 3.0 announcement says"),
    ("figure", "/target/1.0-sei-added-value-2025", "met"),
    ("query-editor", "/sparql", "SPARQL"),
]


@pytest.fixture(scope="module")
def base(built_home: Path) -> Iterator[str]:
    from server_fixtures import running_server

    with running_server(ServerConfig(home=built_home, timeout=30, workers=2)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=LAUNCH_ARGS)
        yield browser
        browser.close()


def test_the_readme_shows_each_screenshot() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"\]\(docs/screenshots/([a-z0-9-]+)\.png\)", readme))
    assert shown == {name for name, *_ in README_PAGES}


@pytest.mark.parametrize(("name", "path", "words"), README_PAGES, ids=[p[0] for p in README_PAGES])
def test_readme_screenshot(browser, base: str, name: str, path: str, words: str) -> None:  # noqa: ANN001
    visit = Visit(browser, base, width=1366)
    try:
        page = visit.open(path)
        if name == "query-editor":
            page.wait_for_selector(".yasqe .CodeMirror", timeout=15_000)  # the editor, not the plain form
            page.click(".yasqe_queryButton")  # its first query, answered in the table under it
            page.wait_for_selector(".yasr table td", timeout=15_000)
            page.evaluate("document.querySelector('#editor').scrollIntoView()")  # the query over its answer
        assert words in page.inner_text("main")
        visit.check(f"readme-{name}")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"))  # the first screen, 1366x900
    finally:
        visit.close()
