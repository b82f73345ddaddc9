"""rdflib's in-memory store."""

from __future__ import annotations

from collections.abc import Mapping

import rdflib.plugins.sparql as rdflib_sparql
from pyparsing import ParseException
from rdflib import BNode, Dataset, Graph, Literal, URIRef

from ..errors import QueryError
from ..results import QueryResult, python_value
from ..sparql import QueryInfo
from .base import Store, StoreConfig

__all__ = ["MemoryStore", "rdflib_value"]

# rdflib would fetch the IRIs of FROM / FROM NAMED: never do that.
rdflib_sparql.SPARQL_LOAD_GRAPHS = False


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
        from ..build import source_graphs

        config.checked_options(cls)
        return cls(source_graphs(config.paths, config.extra))

    def __init__(self, graphs: Mapping[URIRef, Graph] | None = None) -> None:
        self._dataset = Dataset(default_union=True)
        if graphs:
            self.replace(graphs)

    def _query(self, text: str, info: QueryInfo) -> QueryResult:
        try:
            result = self._dataset.query(text)
        except ParseException as error:
            raise QueryError(f"SPARQL syntax error: {error}") from error
        except Exception as error:  # rdflib raises many kinds while evaluating
            raise QueryError(f"query failed: {error}") from error
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
        try:
            self._dataset.update(text)
        except Exception as error:
            raise QueryError(f"update failed: {error}") from error

    def replace(self, graphs: Mapping[URIRef, Graph]) -> None:
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
