"""An embedded Oxigraph store (pyoxigraph): persistent on disk, or in memory.

Named queries run directly on pyoxigraph and their rows are converted straight to Python values, with
no rdflib terms in between, so they run at Oxigraph's speed; the rdflib view (:meth:`dataset`) is made
only for what needs rdflib: validation, reasoning and export.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef

from ..errors import NotBuiltError, QueryError, StoreError
from ..results import QueryResult, python_value
from ..sparql import QueryInfo
from .base import Store

__all__ = ["OxigraphStore", "oxigraph_value"]


def oxigraph_value(term: object) -> object:
    """The Python value of a pyoxigraph term (see :func:`kgtool.results.python_value`)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return python_value("iri", term.value)
    if isinstance(term, ox.Literal):
        return python_value("literal", term.value, term.datatype.value)
    if isinstance(term, ox.BlankNode):
        return python_value("bnode", term.value)
    return str(term)


class OxigraphStore(Store):
    """The graph in Oxigraph: at ``path`` on disk (read-only unless ``writable``), or in memory."""

    name = "oxigraph"

    def __init__(self, path: Path | str | None = None, *, writable: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self.writable = writable or path is None
        try:
            if self.path is None:
                self._store = ox.Store()
            elif writable:
                self._store = ox.Store(str(self.path))
            else:
                if not self.path.is_dir():
                    raise NotBuiltError(f"no built store at {self.path}: run 'kgtool build' first")
                self._store = ox.Store.read_only(str(self.path))
        except OSError as error:
            raise StoreError(f"cannot open the Oxigraph store at {self.path}: {error}") from error

    @property
    def native(self) -> ox.Store:
        """The pyoxigraph store itself."""
        return self._store

    def _query(self, text: str, info: QueryInfo) -> QueryResult:
        try:
            result = self._store.query(text, use_default_graph_as_union=True)
        except SyntaxError as error:
            raise QueryError(f"SPARQL syntax error: {error}") from error
        except (OSError, ValueError) as error:
            raise QueryError(f"query failed: {error}") from error
        if isinstance(result, ox.QueryBoolean):
            return QueryResult("ask", boolean=bool(result))
        if isinstance(result, ox.QueryTriples):
            data = ox.serialize(result, format=ox.RdfFormat.N_TRIPLES)
            graph = Graph()
            if data:
                graph.parse(data=data.decode("utf-8"), format="nt")
            return QueryResult("graph", graph=graph)
        variables = tuple(v.value for v in result.variables)
        width = range(len(variables))
        rows = [tuple(oxigraph_value(solution[i]) for i in width) for solution in result]
        return QueryResult("select", variables, rows)

    def update(self, text: str) -> None:
        try:
            self._store.update(text)
        except (SyntaxError, OSError, ValueError) as error:
            raise QueryError(f"update failed: {error}") from error

    def replace(self, graphs: Mapping[URIRef, Graph]) -> None:
        for name, graph in graphs.items():
            target = ox.NamedNode(str(name))
            if self._store.contains_named_graph(target):
                self._store.remove_graph(target)
            data = graph.serialize(format="nt", encoding="utf-8")
            self._store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=target)
        if self.path is not None:
            self._store.flush()

    def dataset(self) -> Dataset:
        data = self._store.dump(format=ox.RdfFormat.N_QUADS)
        dataset = Dataset(default_union=True)
        if data:
            dataset.parse(data=data.decode("utf-8"), format="nquads")
        return dataset

    def __len__(self) -> int:
        return len(self._store)

    def close(self) -> None:
        """Flush and release the store (another process may then open it)."""
        if getattr(self, "_store", None) is not None and self.path is not None and self.writable:
            self._store.flush()
        self._store = None  # type: ignore[assignment]
