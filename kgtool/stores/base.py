"""The interface every store implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping

from rdflib import Dataset, Graph, URIRef

from ..errors import QueryError
from ..results import QueryResult
from ..sparql import QueryInfo, inspect_query

__all__ = ["Store"]


class Store(ABC):
    """A place the graph is kept and queried.

    Queries see the union of the store's graphs as their default graph. Stores answer with
    :class:`~kgtool.results.QueryResult` rows of Python values converted the same way everywhere.
    """

    #: The registry name of the store.
    name: str = ""

    def query(self, text: str, *, allow_update: bool = False) -> QueryResult:
        """Run a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE).

        Raises:
            QueryError: for a syntax error, a ``SERVICE`` clause, or an update.
        """
        info = self.check(text, allow_update=allow_update)
        if info.is_update:
            self.update(text)
            return QueryResult("ask", boolean=True)
        return self._query(text, info)

    @staticmethod
    def check(text: str, *, allow_update: bool = False) -> QueryInfo:
        """Refuse what no store may run: ``SERVICE`` (never fetched), and updates unless allowed."""
        info = inspect_query(text)
        if info.uses_service:
            raise QueryError("SERVICE is not allowed: kgtool never sends queries to other endpoints")
        if info.is_update and not allow_update:
            raise QueryError("SPARQL Update is not allowed here: the store is read-only")
        return info

    @abstractmethod
    def _query(self, text: str, info: QueryInfo) -> QueryResult:
        """Run a checked query."""

    def update(self, text: str) -> None:
        """Run a SPARQL Update (only on stores that allow writes)."""
        raise QueryError(f"the {self.name} store does not accept updates")

    @abstractmethod
    def replace(self, graphs: Mapping[URIRef, Graph]) -> None:
        """Replace the named graphs given (and only those) with the given contents."""

    @abstractmethod
    def dataset(self) -> Dataset:
        """An rdflib view of the whole store, for validation, reasoning and export."""

    @abstractmethod
    def __len__(self) -> int:
        """The number of triples in all graphs."""

    def close(self) -> None:  # noqa: B027 - most stores hold nothing to release
        """Release what the store holds."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
