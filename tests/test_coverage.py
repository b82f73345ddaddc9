"""The coverage ledger: every sentence of the article is in the graph, or deliberately not, with a reason.

``graph/coverage/itiger-2026-article.toml`` lists each sentence of the article the project started from
(read from ``../shared/sources/``, never copied into the project) with the graph statements it became, or
with the reason it is not modelled. A sentence in neither list, a listed statement the graph lacks, or a
listed fact that does not cite the article fails here.
"""

from __future__ import annotations

import re
import tomllib

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import PROV
from shared_files import SHARED, missing

from kgtool.authoring import compile_graph
from kgtool.namespaces import BASE, SZ
from kgtool.paths import project_paths

ARTICLE = SHARED / "sources" / "shenzhen-20plus8-v3-article.txt"
LEDGER = project_paths().graph_dir / "coverage" / "itiger-2026-article.toml"


def sentences(text: str) -> list[str]:
    """The sentences of the article: each line split after . ! or ? before a capital, a digit or a quote."""
    found: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if line:
            found += [s for s in re.split(r'(?<=[.!?])\s+(?=[A-Z0-9"“])', line) if s]
    return found


@pytest.fixture(scope="module")
def ledger() -> dict:
    return tomllib.loads(LEDGER.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def data() -> Graph:
    return compile_graph(project_paths().graph_dir)


@pytest.fixture(scope="module")
def article() -> list[str]:
    if not ARTICLE.is_file():
        missing(ARTICLE)
    return sentences(ARTICLE.read_text(encoding="utf-8"))


def test_the_sentence_splitter_keeps_sentences_whole() -> None:
    assert sentences('It rose 5.5%, the highest. Then "20+8" came.\nDeep News\n') == [
        "It rose 5.5%, the highest.",
        'Then "20+8" came.',
        "Deep News",
    ]


def test_every_sentence_of_the_article_is_in_the_ledger_in_order(ledger: dict, article: list[str]) -> None:
    listed = [entry["text"] for entry in ledger["sentence"]]
    missing = [s for s in article if s not in listed]
    stale = [s for s in listed if s not in article]
    assert missing == [], "sentences of the article the ledger does not account for"
    assert stale == [], "ledger entries that are not sentences of the article"
    assert listed == article


def test_each_sentence_is_modelled_or_has_a_reason(ledger: dict) -> None:
    for entry in ledger["sentence"]:
        statements, reason = entry.get("statements", []), entry.get("not_modelled", "")
        assert bool(statements) != bool(reason.strip()), entry["text"]
        assert set(entry) <= {"text", "statements", "not_modelled", "note"}, entry["text"]


def test_listed_statements_are_in_the_graph_and_rest_on_the_article(ledger: dict, data: Graph) -> None:
    article = URIRef(BASE + "source/" + ledger["source"])
    for entry in ledger["sentence"]:
        for path in entry.get("statements", []):
            node = URIRef(BASE + path)
            assert (node, None, None) in data, f"{path} (for {entry['text'][:60]!r}) is not in the graph"
            if (node, SZ.certainty, None) in data:  # a fact: it must cite the article
                assert (node, PROV.wasDerivedFrom, article) in data, f"{path} does not cite {ledger['source']}"


def test_most_of_the_article_is_modelled(ledger: dict) -> None:
    """A guard against answering every sentence with a reason: the article's facts are in the graph."""
    modelled = [e for e in ledger["sentence"] if e.get("statements")]
    assert len(modelled) >= 30
