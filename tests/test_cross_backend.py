"""Every named query gives the same answer on every backend: rdflib's memory store, the embedded
Oxigraph store, Oxigraph server and Virtuoso.

The cases are every golden answer in tests/golden/ (its query and parameters) and, for every query in
queries/, its documented example parameters and the same in Chinese. Rows are compared with their Python
types (``True`` is not ``1``, ``Decimal('1.5')`` is not ``1.5``), in order, against the embedded
Oxigraph store's answer and against the golden rows, as exactly as the CLI prints them.

The servers are the ones .ci/servers.sh starts (CI always does); the graph is pushed to them once per
session. Without their environment (a local run without servers) their cases are skipped, saying so.
Where an engine differs, the query or the conversion is made portable; the comparison stays exact.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ci_servers import NO_SERVERS, SERVERS, server_options
from rdflib import BNode

from kgtool.build import source_graphs
from kgtool.graph import KnowledgeGraph
from kgtool.paths import project_paths
from kgtool.queries import load_queries
from kgtool.results import QueryResult
from kgtool.stores.endpoint import EndpointStore

GOLDEN_DIR = Path(__file__).parent / "golden"
QUERIES = load_queries(project_paths().queries_dir)


def _cases() -> list[pytest.param]:
    cases = []
    for path in sorted(GOLDEN_DIR.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        cases.append(pytest.param(doc["query"], doc["params"], doc["rows"], id=path.stem))
    for name, query in QUERIES.items():
        examples = {p.name: p.example for p in query.params if p.example}
        cases.append(pytest.param(name, examples, None, id=f"{name}-example"))
        if any(p.name == "lang" for p in query.params):
            cases.append(pytest.param(name, {**examples, "lang": "zh"}, None, id=f"{name}-example-zh"))
    return cases


CASES = _cases()


def _backends() -> list[Any]:
    """rdflib's memory store, and each CI server (tests/ci_servers.py) as ``NAME-server``; without servers, one
    skipped parameter that says how to start them."""
    servers = [pytest.param(f"{name}-server", marks=pytest.mark.cross_store) for name in SERVERS]
    missing = pytest.param("servers", marks=[pytest.mark.cross_store, pytest.mark.skip(reason=NO_SERVERS)])
    return [pytest.param("memory", marks=pytest.mark.rdflib_engine), *(servers or [missing])]


BACKENDS = _backends()


@pytest.fixture(scope="session")
def server_graphs() -> Iterator[dict[str, KnowledgeGraph]]:
    """The servers that are running, each holding a fresh copy of the project's graphs."""
    graphs: dict[str, KnowledgeGraph] = {}
    sources = source_graphs()
    for name in SERVERS:
        store = EndpointStore(**server_options(name), timeout=120)
        store.replace(sources)
        graphs[f"{name}-server"] = KnowledgeGraph(store)
    yield graphs
    for graph in graphs.values():
        graph.close()


@pytest.fixture(scope="module")
def backends(
    kg: KnowledgeGraph, kg_memory: KnowledgeGraph, server_graphs: dict[str, KnowledgeGraph]
) -> dict[str, KnowledgeGraph]:
    return {"oxigraph": kg, "memory": kg_memory, **server_graphs}


def typed(result: QueryResult) -> list[tuple[tuple[str, str], ...]]:
    """The rows with each value's Python type: True and 1, or Decimal and float, are told apart."""
    return [
        tuple(("BNode", "") if isinstance(v, BNode) else (type(v).__name__, repr(v)) for v in row)
        for row in result.rows
    ]


def printed(result: QueryResult) -> str:
    """The rows as the CLI's --format json prints them, compared as text (so true is not 1)."""
    return json.dumps(json.loads(result.to_json()), sort_keys=True, ensure_ascii=False)


_reference: dict[tuple[str, str], QueryResult] = {}


def reference(backends: dict[str, KnowledgeGraph], name: str, params: dict[str, str]) -> QueryResult:
    """The embedded Oxigraph store's answer (the default store), computed once per query and parameters."""
    key = (name, json.dumps(params, sort_keys=True))
    if key not in _reference:
        _reference[key] = backends["oxigraph"].query(name, **params)
    return _reference[key]


def test_every_named_query_has_cases() -> None:
    assert QUERIES and {p.values[0] for p in CASES} == set(QUERIES)


@pytest.mark.parametrize(("name", "params", "golden"), CASES, ids=[p.id for p in CASES])
def test_the_default_store_gives_the_golden_answer(
    backends: dict[str, KnowledgeGraph], name: str, params: dict[str, str], golden: list | None
) -> None:
    result = reference(backends, name, params)
    if golden is None:
        assert result.kind == "select"
    else:
        assert printed(result) == json.dumps(golden, sort_keys=True, ensure_ascii=False)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("name", "params", "golden"), CASES, ids=[p.id for p in CASES])
def test_every_backend_gives_the_same_answer(
    backends: dict[str, KnowledgeGraph], backend: str, name: str, params: dict[str, str], golden: list | None
) -> None:
    expected = reference(backends, name, params)
    result = backends[backend].query(name, **params)
    assert result.variables == expected.variables
    assert typed(result) == typed(expected)
    assert printed(result) == printed(expected)
    if golden is not None:
        assert printed(result) == json.dumps(golden, sort_keys=True, ensure_ascii=False)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_string_constants_are_ascii(name: str) -> None:
    """Virtuoso 7 garbles stored non-ASCII text CONCATenated with a non-ASCII constant of the query
    ("大健康" came back as "å¤§å\\x81¥åº·"): constants stay ASCII, so the servers need not run to catch it."""
    text = "\n".join(line for line in QUERIES[name].text.splitlines() if not line.lstrip().startswith("#"))
    constants = re.findall(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'', text)
    assert [c for c in constants if not c.isascii()] == []


def test_the_default_store_has_an_rdflib_view_without_a_copy(kg: KnowledgeGraph) -> None:
    """oxrdflib over the same pyoxigraph store: rdflib's API where it is needed, the same triples."""
    from rdflib import RDF

    from kgtool.namespaces import SZ

    view = kg.store.rdflib_view()
    assert len(view) == len(kg.store)
    versions = {str(v) for v in view.subjects(RDF.type, SZ.PolicyVersion)}
    assert versions == {
        str(row[0])
        for row in kg.sparql("PREFIX sz: <https://w3id.org/sz20plus8/def#> SELECT ?v WHERE { ?v a sz:PolicyVersion }")
    }
