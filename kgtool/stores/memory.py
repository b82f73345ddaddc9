"""rdflib's in-memory store."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextvars import ContextVar
from typing import TypeVar

import rdflib.plugins.sparql as rdflib_sparql
from pyparsing import ParseException
from rdflib import BNode, Dataset, Graph, Literal, URIRef

from ..errors import QueryError
from ..results import QueryResult, python_value
from ..sandbox import run_without_network
from ..sparql import QueryInfo, deep_recursion, runs_allowed_load
from .base import Store, StoreConfig

__all__ = ["MemoryStore", "rdflib_value"]

T = TypeVar("T")

# rdflib would fetch the IRIs of FROM / FROM NAMED: never do that.
rdflib_sparql.SPARQL_LOAD_GRAPHS = False

#: Set while kgtool evaluates a query with rdflib, so that the SERVICE handler below refuses only in
#: kgtool's own evaluations (rdflib's behaviour in a user's program is left alone).
_evaluating: ContextVar[bool] = ContextVar("kgtool_evaluating", default=False)


def _refuse_service(ctx: object, part: object) -> object:
    """rdflib's custom evaluation hook: refuse every SERVICE call in kgtool's evaluations, whatever the
    parsed-query check decided (a second line of defence, with :mod:`kgtool.sandbox`)."""
    if _evaluating.get() and getattr(part, "name", None) == "ServiceGraphPattern":
        raise QueryError("SERVICE is not allowed: kgtool never sends queries to other endpoints")
    raise NotImplementedError  # rdflib's own evaluation goes on


rdflib_sparql.CUSTOM_EVALS["kgtool-refuse-service"] = _refuse_service


def _evaluate(fn: Callable[[], T], *, network: bool = False) -> T:
    """``fn()`` as a kgtool evaluation: with SERVICE refused, deep recursion allowed, and no network
    unless ``network`` (a LOAD the operator allowed)."""

    def run() -> T:
        token = _evaluating.set(True)
        try:
            with deep_recursion():
                return fn()
        finally:
            _evaluating.reset(token)

    return run() if network else run_without_network(run)


def rdflib_value(term: object) -> object:
    """The Python value of an rdflib term (see :func:`kgtool.results.python_value`)."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        return python_value("iri", str(term))
    if isinstance(term, BNode):
        return python_value("bnode", str(term))
    if isinstance(term, Literal):
        datatype = str(term.datatype) if term.datatype else None
        return python_value("literal", str(term), datatype)
    return term


class MemoryStore(Store):
    """The graph held in an rdflib :class:`~rdflib.Dataset` whose default graph is the union."""

    name = "memory"
    compiles_sources = True

    @classmethod
    def open(cls, config: StoreConfig) -> MemoryStore:
        """The project's sources (and ``config.extra``) compiled now."""
        from ..sources import source_graphs

        config.checked_options(cls)
        return cls(source_graphs(config.paths, config.extra))

    def __init__(self, graphs: Mapping[URIRef, Graph] | None = None) -> None:
        self._dataset = Dataset(default_union=True)
        if graphs:
            self.replace(graphs)

    def _query(self, text: str, info: QueryInfo) -> QueryResult:
        try:
            return _evaluate(lambda: self._run(text))
        except (ParseException, QueryError):
            raise
        except Exception as error:  # rdflib raises many kinds while evaluating
            raise QueryError(f"query failed: {error}") from error

    def _run(self, text: str) -> QueryResult:
        try:
            result = self._dataset.query(text)
        except ParseException as error:
            raise QueryError(f"SPARQL syntax error: {error}") from error
        if result.type == "ASK":
            return QueryResult("ask", boolean=bool(result.askAnswer))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            graph = Graph()
            for triple in result:
                graph.add(triple)  # type: ignore[arg-type]
            return QueryResult("graph", graph=graph)
        variables = tuple(str(v) for v in result.vars or ())
        rows = [tuple(rdflib_value(term) for term in row) for row in result]  # type: ignore[union-attr]
        return QueryResult("select", variables, rows)

    def update(self, text: str) -> None:
        """Run a SPARQL Update (checked: ``SERVICE`` refused, ``LOAD`` only where the operator allows it)."""
        self.check(text, allow_update=True)
        self.revision += 1
        try:
            _evaluate(lambda: self._dataset.update(text), network=runs_allowed_load(text))
        except QueryError:
            raise
        except Exception as error:
            raise QueryError(f"update failed: {error}") from error

    def replace(self, graphs: Mapping[URIRef, Graph]) -> None:
        self.revision += 1
        for name, graph in graphs.items():
            target = self._dataset.graph(name)
            target.remove((None, None, None))
            for triple in graph:
                target.add(triple)
            for prefix, namespace in graph.namespaces():
                self._dataset.bind(prefix, namespace, override=False)

    def dataset(self) -> Dataset:
        return self._dataset

    def __len__(self) -> int:
        return sum(len(g) for g in self._dataset.graphs())
