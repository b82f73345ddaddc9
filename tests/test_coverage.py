"""The coverage ledger: every sentence of the article is in the graph, or deliberately not, with a reason.

``graph/coverage/itiger-2026-article.toml`` lists each sentence of the article the project started from
(read from ``../shared/sources/``, never copied into the project) with the graph statements it became, or
with the reason it is not modelled. A sentence in neither list, a listed statement the graph lacks, a
listed fact that does not cite the article, or a sentence with a fact in it that is marked not modelled
fails here. A sentence has a fact in it when it holds a number, or names something the graph knows by
an English name (a cluster, sector, priority, technology, place, agent or measure): only the publisher's
disclaimer is left out.
"""

from __future__ import annotations

import re
import tomllib

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDFS, SKOS
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


#: Kinds of node whose English names, found in a sentence, make it a sentence with a fact in it.
NAMED_KINDS = ("cluster", "sector", "priority", "technology", "place", "agent", "measure")
NUMBER_WORDS = r"one|two|three|four|five|six|seven|eight|nine|ten|hundred|thousand|million|billion|trillion"


def facts_in(sentence: str, names: set[str]) -> list[str]:
    """What makes ``sentence`` a sentence with a fact in it: its numbers and the graph's names it contains."""
    found = re.findall(rf"\d+(?:[.,]\d+)*%?|\b(?:{NUMBER_WORDS})\b", sentence, re.I)
    lower = sentence.casefold()
    return found + sorted(n for n in names if re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", lower))


@pytest.fixture(scope="module")
def names(data: Graph) -> set[str]:
    """The English names of the graph's clusters, sectors, priorities, technologies, places, agents, measures."""
    kinds = tuple(BASE + kind + "/" for kind in NAMED_KINDS)
    return {
        str(label).casefold()
        for predicate in (RDFS.label, SKOS.prefLabel, SKOS.altLabel)
        for node, label in data.subject_objects(predicate)
        if str(node).startswith(kinds) and getattr(label, "language", None) == "en"
    }


def test_the_fact_finder_finds_numbers_and_names(names: set[str]) -> None:
    assert facts_in("In the field of artificial intelligence, Shenzhen is accelerating AI.", names) == [
        "artificial intelligence",
        "shenzhen",
    ]
    assert facts_in("It rose by over 7% in 2026, one of three.", names) == ["7%", "2026", "one", "three"]
    assert facts_in("This is not financial advice.", names) == []


def test_no_sentence_with_a_fact_is_left_out(ledger: dict, names: set[str], article: list[str]) -> None:
    """Only the publisher's disclaimer is not modelled, and a sentence left out has no number and names
    nothing the graph knows."""
    disclaimer = next(
        line for line in ARTICLE.read_text(encoding="utf-8").splitlines() if line.startswith("Disclaimer:")
    )
    left_out = [e for e in ledger["sentence"] if e.get("not_modelled")]
    assert [e["text"] for e in left_out if e["text"] not in disclaimer] == []
    assert {e["text"]: facts_in(e["text"], names) for e in left_out} == {e["text"]: [] for e in left_out}
    assert [e["text"] for e in left_out] == sentences(disclaimer)


# -- the ledger of the outside check of December 2026 ---------------------------------------------------

CHECK = SHARED / "sources" / "outside-check-2026-12.md"
CHECK_LEDGER = project_paths().graph_dir / "coverage" / "outside-check-2026-12.toml"
STATUSES = {"applied", "answered", "not-confirmed"}


def leads(text: str) -> list[tuple[str, str]]:
    """The check's leads as (section, first line): each numbered or bulleted item of a section, or the
    section's first paragraph when it has no items."""
    found: list[tuple[str, str]] = []
    for block in re.split(r"^## ", text, flags=re.M)[1:]:
        title, _, body = block.partition("\n")
        items = [line for line in body.splitlines() if re.match(r"(\d+\. |- )", line)]
        paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
        found += [(title.strip(), item) for item in items or paragraphs[:1]]
    return found


@pytest.fixture(scope="module")
def check_ledger() -> dict:
    return tomllib.loads(CHECK_LEDGER.read_text(encoding="utf-8"))


def test_every_lead_of_the_outside_check_is_answered(check_ledger: dict) -> None:
    if not CHECK.is_file():
        missing(CHECK)
    expected = leads(CHECK.read_text(encoding="utf-8"))
    assert len(expected) == 12
    entries = check_ledger["lead"]
    answered = [(e["section"], e["lead"]) for e in entries]
    unanswered = [lead for lead in expected if not any(s == lead[0] and lead[1].startswith(p) for s, p in answered)]
    assert unanswered == []
    assert len(entries) == len(expected)


def test_each_lead_says_what_became_of_it(check_ledger: dict, data: Graph) -> None:
    for entry in check_ledger["lead"]:
        assert entry["status"] in STATUSES, entry["lead"]
        assert set(entry) <= {"section", "lead", "status", "statements", "note"}, entry["lead"]
        if entry["status"] != "applied":
            assert entry.get("note", "").strip(), f"{entry['lead']}: say why it was not applied"
        for path in entry.get("statements", []):
            assert (URIRef(BASE + path), None, None) in data, f"{path} (for {entry['lead'][:40]!r}) is not in the graph"
        if entry["status"] == "applied":
            corrections = [p for p in entry["statements"] if p.startswith("correction/")]
            additions = entry["section"] == "Additions a user would expect"
            assert corrections or additions, f"{entry['lead']}: an applied correction is recorded as one"
