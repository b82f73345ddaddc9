"""kgtool's SPARQL parser (kgtool.sparql_syntax) accepts what the engines accept, finds SERVICE wherever
rdflib's algebra has it, and refuses requests beyond its limits at once.

Differential: on every named query (as written and with its parameters bound), every rule, the W3C
protocol tests' queries, hand-written requests for each production (tests/fixtures/sparql-syntax.txt)
and requests Hypothesis writes from the grammar (tests/sparql_corpus.py), kgtool's parser must accept a
request exactly when rdflib's parser and pyoxigraph's both do, and refuse it when both refuse it. Where
the two engines disagree (each has its own leniencies, listed in SECURITY.md), either answer is allowed.
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from pyparsing import ParseBaseException
from rdflib.plugins.sparql.algebra import translateQuery, translateUpdate
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

sys.path.insert(0, str(Path(__file__).parent))
from sparql_corpus import named_query_texts, requests, w3c_protocol_texts  # noqa: E402

from kgtool import sparql  # noqa: E402
from kgtool.errors import QueryError  # noqa: E402
from kgtool.namespaces import QUERY_PREFIXES  # noqa: E402
from kgtool.sandbox import run_without_network  # noqa: E402
from kgtool.sparql import check_query, deep_recursion, parse_sparql  # noqa: E402

CASES = Path(__file__).parent / "fixtures" / "sparql-syntax.txt"


def _hand_cases() -> list[str]:
    """The hand-written requests: one a line; \u2424 stands for a line break."""
    lines = CASES.read_text(encoding="utf-8").splitlines()
    return [line.replace("\u2424", "\n") for line in lines if line.strip() and not line.startswith("##")]


def _is_update(text: str) -> bool:
    body = re.sub(r"^(?:\s|#[^\n]*\n|PREFIX\s*[^\s<]*\s*<[^>]*>|BASE\s*<[^>]*>)*", "", text, flags=re.I)
    return not re.match(r"(?i)(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", body)


def _rdflib(text: str, update: bool) -> object | None:
    """rdflib's parse tree, or None if rdflib's parser refuses the text."""

    def parse() -> object | None:
        with deep_recursion():
            try:
                return (parseUpdate if update else parseQuery)(text)
            except (ParseBaseException, ValueError, TypeError, RecursionError):  # TypeError: '- -2.5'
                return None

    return run_without_network(parse)


def _oxigraph(text: str, update: bool) -> bool:
    """Whether pyoxigraph's parser accepts the text (run on an empty store, without network: only a
    SyntaxError says it did not parse)."""

    def run() -> bool:
        try:
            store = ox.Store()
            if update:
                store.update(text, prefixes=QUERY_PREFIXES)
            else:
                store.query(text, prefixes=QUERY_PREFIXES)
        except SyntaxError:
            return False
        except Exception:  # noqa: BLE001 - evaluated: it was parsed
            return True
        return True

    return run_without_network(run)


def _ours(text: str) -> bool:
    try:
        parse_sparql(text)
    except QueryError:
        return False
    return True


def _compare(text: str, update: bool | None = None) -> None:
    update = _is_update(text) if update is None else update
    ours, theirs, oxigraph = _ours(text), _rdflib(text, update) is not None, _oxigraph(text, update)
    if theirs == oxigraph:
        assert ours == theirs, f"rdflib and pyoxigraph {'accept' if theirs else 'refuse'} {text!r}"


def _algebra_names(text: str, update: bool) -> set[str] | None:
    """The names of the parts of rdflib's algebra for the text (None where rdflib cannot translate it)."""
    tree = _rdflib(text, update)
    if tree is None:
        return None

    def translate() -> object:
        with deep_recursion():
            return translateUpdate(tree) if update else translateQuery(tree)  # type: ignore[arg-type]

    try:
        algebra = run_without_network(translate)
    except Exception:  # noqa: BLE001 - rdflib refuses it in translation (an undeclared prefix...)
        return None
    names, stack, seen = set(), [algebra], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, CompValue):
            names.add(node.name)
            stack.extend(dict.values(node))
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)):
            stack.extend(node)
        elif hasattr(node, "algebra"):
            stack.append(node.algebra)
        elif hasattr(node, "request"):
            stack.extend(node.request)
    return names


# -- the corpus --------------------------------------------------------------------------------------------

NAMED = named_query_texts()


@pytest.mark.parametrize("name", sorted(NAMED))
def test_every_named_query_and_rule_is_accepted(name: str) -> None:
    text = NAMED[name]
    assert _ours(text), name
    _compare(text, update=False)


def test_the_w3c_protocol_queries_agree() -> None:
    texts = w3c_protocol_texts()
    if not texts and not os.environ.get("CI"):  # in CI a missing suite fails
        pytest.skip("the W3C protocol suite is not in ../shared/w3c (or $KG_SHARED/w3c)")
    assert len(texts) >= 15
    for text in texts.values():
        _compare(text)


@pytest.mark.parametrize("text", _hand_cases())
def test_hand_written_requests_agree(text: str) -> None:
    _compare(text)


GENERATED = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


@GENERATED
@given(requests())
def test_generated_requests_agree(request: tuple[str, bool]) -> None:
    text, update = request
    _compare(text, update)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(requests())
def test_service_is_found_wherever_rdflib_algebra_has_it(request: tuple[str, bool]) -> None:
    text, update = request
    names = _algebra_names(text, update)
    if names is None or not _ours(text):
        return
    assert parse_sparql(text).uses_service == ("ServiceGraphPattern" in names), text


def test_service_in_every_place_rdflib_puts_it() -> None:
    places = [
        "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "SELECT * { { SELECT * { SERVICE ?x { ?s ?p ?o } } } }",
        "ASK { FILTER EXISTS { SERVICE SILENT <http://127.0.0.1:9/> { } } }",
        "ASK { BIND(NOT EXISTS { OPTIONAL { SERVICE <http://127.0.0.1:9/> { } } } AS ?b) }",
        "SELECT (EXISTS { SERVICE <http://127.0.0.1:9/> { } } AS ?e) {}",
        "SELECT * {} ORDER BY (EXISTS { SERVICE <http://127.0.0.1:9/> { } })",
        "SELECT * {} GROUP BY ?x HAVING (EXISTS { MINUS { SERVICE <http://127.0.0.1:9/> { } } })",
        "DELETE { ?s ?p ?o } WHERE { GRAPH ?g { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } }",
    ]
    for text in places:
        update = _is_update(text)
        assert "ServiceGraphPattern" in (_algebra_names(text, update) or {"ServiceGraphPattern"})
        assert parse_sparql(text).uses_service, text
        with pytest.raises(QueryError, match="SERVICE is not allowed"):
            check_query(text, allow_update=True)


# -- what the parse records --------------------------------------------------------------------------------


def test_dataset_clauses_load_and_form_come_from_the_parse() -> None:
    assert parse_sparql('SELECT ?from { ?s <http://e/from> "FROM <x:y>" } # FROM <a:b>').names_dataset is False
    assert parse_sparql("ASK FROM NAMED <http://e/g> {}").from_named == ["<http://e/g>"]
    assert parse_sparql("PREFIX load: <http://e/> INSERT DATA { load: load: load: }").uses_load is False
    assert parse_sparql("CLEAR ALL ; load <http://e/d>").uses_load is True
    assert parse_sparql("PREFIX select: <http://e/> INSERT DATA { select: select: 1 }").form == "UPDATE"


def test_a_syntax_error_names_line_and_column() -> None:
    with pytest.raises(QueryError, match=r"line 3, column 12: expected .*found 'WHERE'"):
        parse_sparql("PREFIX e: <http://e/>\nSELECT ?s\n{ ?s ?p ?o WHERE }")
    with pytest.raises(QueryError, match="line 1, column 16: unexpected character '%'"):
        parse_sparql("ASK { ?s ?p ?o % }")


def test_a_less_than_sign_after_an_operand_is_the_operator() -> None:
    """Read by longest match, ``<?b&&?c>`` would be an IRI; the engines read the comparison."""
    assert parse_sparql("ASK { FILTER(?a<?b&&?c>?d) }").operators == 3
    assert _rdflib("ASK { FILTER(?a<?b&&?c>?d) }", False) is not None


# -- limits: each deep tree of issue 19 refused at once ------------------------------------------------------

DEEP = {
    "path": "ASK { ?s <urn:p>" + "/<urn:p>" * 2000 + " ?o }",
    "optional": "ASK { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o } " * 2000 + "}",
    "sum": "ASK { FILTER(" + " + ".join(["1"] * 50_000) + ") }",
    "union": "ASK { " + " UNION ".join(["{ ?s ?p ?o }"] * 2000) + " }",
    "and": "ASK { FILTER(" + " && ".join(["?x"] * 3000) + ") }",
    "brackets": "ASK { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
    "groups": "ASK " + "{" * 6000 + "}" * 6000,
    "patterns": "ASK { " + " . ".join(f"?s{i} ?p ?o" for i in range(3000)) + " }",
    "tokens": "SELECT * { VALUES ?x { " + "1 " * 200_000 + "} }",
}


@pytest.mark.parametrize("name", sorted(DEEP))
def test_deep_trees_are_refused_in_well_under_a_second(name: str) -> None:
    text = DEEP[name]
    started = time.perf_counter()
    with pytest.raises(QueryError, match="too large"):
        check_query(text)
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize("gap", [" " * 100_000, "# a comment\n" * 20_000, " \r\n\t" * 30_000])
def test_a_bad_character_after_long_white_space_is_refused_in_well_under_a_second(gap: str) -> None:
    """White space and comments before a token are read once: a character no token starts with, after a long
    run of them, is refused at once (a pattern that could split the run in many ways backtracks for ages)."""
    started = time.perf_counter()
    with pytest.raises(QueryError, match=re.escape(f"unexpected character {chr(1)!r}")):
        check_query("SELECT * WHERE { ?s ?p ?o }" + gap + "\x01")
    assert time.perf_counter() - started < 1.0


def test_the_limits_hold_where_they_say() -> None:
    """Each limit accepts a request at it and refuses one just past it."""
    path = lambda n: "ASK { ?s " + "/".join(["<urn:p>"] * n) + " ?o }"  # noqa: E731
    parse_sparql(path(sparql.MAX_PATH_STEPS))
    with pytest.raises(QueryError, match=f"more than {sparql.MAX_PATH_STEPS} steps"):
        parse_sparql(path(sparql.MAX_PATH_STEPS + 1))
    chain = lambda n: "ASK { FILTER(" + " + ".join(["1"] * (n + 1)) + ") }"  # noqa: E731
    parse_sparql(chain(sparql.MAX_EXPRESSION_DEPTH))
    with pytest.raises(QueryError, match=f"more than {sparql.MAX_EXPRESSION_DEPTH} operators deep"):
        parse_sparql(chain(sparql.MAX_EXPRESSION_DEPTH + 1))
    group = lambda n: "ASK { " + " ".join(["FILTER(1)"] * n) + " }"  # noqa: E731
    parse_sparql(group(sparql.MAX_GROUP_PARTS))
    with pytest.raises(QueryError, match=f"more than {sparql.MAX_GROUP_PARTS} parts"):
        parse_sparql(group(sparql.MAX_GROUP_PARTS + 1))
    nested = lambda n: "ASK " + "{" * n + "}" * n  # noqa: E731
    parse_sparql(nested(sparql.MAX_NESTING))
    with pytest.raises(QueryError, match=f"more than {sparql.MAX_NESTING} levels deep"):
        parse_sparql(nested(sparql.MAX_NESTING + 1))
    filters = sparql.MAX_OPERATORS // 20  # each: 10 calls and 10 operators
    calls = "ASK { " + " ".join("FILTER(" + " && ".join(["STR(?x)"] * 10) + " || 1)" for _ in range(filters)) + " }"
    assert parse_sparql(calls).operators == sparql.MAX_OPERATORS
    with pytest.raises(QueryError, match=f"more than {sparql.MAX_OPERATORS} operators"):
        parse_sparql(calls.replace("ASK {", "ASK { FILTER(!?x)"))
    with pytest.raises(QueryError, match=f"longer than the limit of {sparql.MAX_QUERY_BYTES} bytes"):
        parse_sparql('ASK { ?s ?p "' + "x" * sparql.MAX_QUERY_BYTES + '" }')


def test_exponential_regexes_are_refused_and_others_run() -> None:
    with pytest.raises(QueryError, match="exponential time"):
        check_query('ASK { ?s ?p ?o FILTER(REGEX(?o, "^(a+)+$")) }')
    with pytest.raises(QueryError, match="exponential time"):
        check_query('SELECT (REPLACE(?o, "(x|xx)*y", "") AS ?r) { ?s ?p ?o }')
    with pytest.raises(QueryError, match="back-reference"):
        check_query('ASK { FILTER(REGEX("aa", "(a)\\\\1")) }')
    assert check_query('ASK { FILTER(REGEX(?o, "^(ab)+[0-9]*$", "i")) }').form == "ASK"


@pytest.mark.load  # a benchmark run (bench/guard.py)
def test_the_guard_bench_prints_every_named_query(capsys: pytest.CaptureFixture[str]) -> None:
    from bench import guard

    assert guard.main(["--repeat", "1", "--rdflib-repeat", "1"]) == 0
    out = capsys.readouterr().out
    for name in guard.named_texts():
        assert re.search(rf"^{re.escape(name)} +\d+ +\d+\.\d\d +\d+\.\d +\d+x$", out, re.M), name
    assert re.search(r"^50,000-term sum +200013 +\d+\.\d\d +- +-$", out, re.M)
