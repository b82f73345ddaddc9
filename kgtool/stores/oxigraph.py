"""An embedded Oxigraph store (pyoxigraph): persistent on disk, or in memory.

Named queries run directly on pyoxigraph and their rows are converted straight to Python values, with
no rdflib terms in between, so they run at Oxigraph's speed; an answer that is only printed is decoded
without rdflib at all (:meth:`kgtool.results.QueryResult.decoded`). The rdflib view (:meth:`dataset`) is
made only for what needs rdflib (reasoning, pySHACL); exports read the store's quads directly.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from .. import formats
from ..errors import NotBuiltError, QueryError, StoreError
from ..results import ROW_TERMS, QueryResult, TermMakers, literal_value
from ..sandbox import run_without_network
from ..sparql import QueryInfo, check_iri, names_dataset, runs_allowed_load
from .base import BOOLEAN_MEDIA_TYPES, GRAPH_MEDIA_TYPES, RESULTS_MEDIA_TYPES, SerializedResult, Store, StoreConfig

if TYPE_CHECKING:
    from rdflib import Dataset, Graph, URIRef

__all__ = [
    "OxigraphStore",
    "oxigraph_value",
    "term_decoder",
    "decode_solutions",
    "serialize_triples",
    "write_solutions",
]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def serialize_triples(
    triples: Iterable[ox.Triple], media_type: str = "text/turtle", extra_prefixes: Mapping[str, str] | None = None
) -> bytes:
    """Triples in an RDF media type (one of :data:`~kgtool.stores.base.GRAPH_MEDIA_TYPES`, or an alias) by the
    format's writer (:func:`kgtool.export.rdf_bytes`, blank node labels kept), declaring the project's
    prefixes and ``extra_prefixes`` it uses; JSON-LD is compacted with the published context, of which it
    carries the entries it uses.

    Raises:
        QueryError: a media type that is no RDF format of :mod:`kgtool.formats`.
    """
    from ..export import rdf_bytes
    from ..namespaces import PREFIXES

    fmt = formats.by_media_type(media_type, "rdf")
    if fmt is None:
        raise QueryError(f"no RDF serialisation for {media_type!r}; known: {', '.join(GRAPH_MEDIA_TYPES)}")
    known = {**PREFIXES, **(extra_prefixes or {})}
    return rdf_bytes(triples, fmt, prefixes=known, only_used=True, canonical=False)


def write_solutions(variables: Sequence[str], rows: Sequence[Sequence[object]], media_type: str) -> bytes:
    """SELECT rows (pyoxigraph terms, ``None`` where unbound) in a SPARQL results media type, by the
    format's writer (:mod:`kgtool.writers`).

    Raises:
        QueryError: a media type that is no results format of :mod:`kgtool.formats`.
    """
    fmt = formats.by_media_type(media_type, "results")
    if fmt is None:
        raise QueryError(f"no SPARQL results serialisation for {media_type!r}; known: {', '.join(RESULTS_MEDIA_TYPES)}")
    return fmt.write(variables, rows)


def term_decoder(terms: TermMakers = ROW_TERMS) -> Callable[[object], object]:
    """The function that gives the Python value of a pyoxigraph term (see :func:`kgtool.results.python_value`),
    its IRIs and blank nodes made by ``terms``.

    The hot path of every answer of the default store: exact type checks, one look-up per IRI
    (:func:`~kgtool.results.iri_value`) and per datatype (:func:`~kgtool.results.literal_value`); see bench/.
    """
    make_iri, make_bnode = terms

    def value(term: Any) -> object:
        kind = type(term)
        if kind is _LITERAL:
            if term.language:
                return term.value
            return literal_value(term.value, term.datatype.value)
        if kind is _NAMED_NODE:
            return make_iri(term.value)
        if term is None:
            return None
        if kind is _BLANK_NODE:
            return make_bnode(term.value)
        return str(term)

    return value


def decode_solutions(solutions: Sequence[ox.QuerySolution], terms: TermMakers) -> list[tuple[object, ...]]:
    """The rows of pyoxigraph's solutions, their IRIs and blank nodes made by ``terms`` (a
    :data:`~kgtool.results.RowDecoder`)."""
    value = term_decoder(terms)
    return [tuple(map(value, solution)) for solution in solutions]


#: The Python value of a pyoxigraph term, as in rows (see :func:`term_decoder`).
oxigraph_value = term_decoder(ROW_TERMS)

_LITERAL, _NAMED_NODE, _BLANK_NODE = ox.Literal, ox.NamedNode, ox.BlankNode


def _graph_name(iri: str, what: str) -> ox.NamedNode:
    """A graph IRI given by a client; a malformed one is a :class:`QueryError`."""
    return ox.NamedNode(check_iri(iri, what))


class OxigraphStore(Store):
    """The graph in Oxigraph: at ``path`` on disk (read-only unless ``writable``), or in memory."""

    name = "oxigraph"
    options = ("path", "writable")

    @classmethod
    def open(cls, config: StoreConfig) -> OxigraphStore:
        """The store ``kgtool build`` wrote under ``config.home`` (or the one at option ``path``), read-only
        unless option ``writable``.

        Raises:
            NotBuiltError: there is no built store there.
        """
        options = config.checked_options(cls)
        path = options.get("path")
        if path is None:
            from ..paths import store_path

            path = store_path(config.home)
        return cls(path, writable=bool(options.get("writable", False)))

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
                # Follow the store link once: RocksDB opens many files by path, and a build may swap the
                # link meanwhile, so that files of two builds would be mixed (read as corruption).
                self._store = ox.Store.read_only(os.path.realpath(self.path))
        except (OSError, RuntimeError, ValueError) as error:  # RocksDB reports corruption as RuntimeError
            raise StoreError(f"cannot open the Oxigraph store at {self.path}: {error}") from error

    @property
    def native(self) -> ox.Store:
        """The pyoxigraph store itself."""
        return self._store

    def _query(self, text: str, info: QueryInfo) -> QueryResult:
        return run_without_network(lambda: self._run(text))

    def _run(self, text: str) -> QueryResult:
        try:
            # A FROM clause names the default graph; otherwise it is the union of all graphs.
            result = self._store.query(text, use_default_graph_as_union=not names_dataset(text))
        except SyntaxError as error:
            raise QueryError(f"SPARQL syntax error: {error}") from error
        except (OSError, ValueError, RuntimeError) as error:
            raise QueryError(f"query failed: {error}") from error
        try:
            return self._answer(result)
        except (OSError, ValueError, RuntimeError) as error:  # solutions are computed while iterated
            raise QueryError(f"query failed: {error}") from error

    def _answer(self, result: Any) -> QueryResult:
        if isinstance(result, ox.QueryBoolean):
            return QueryResult("ask", boolean=bool(result))
        if isinstance(result, ox.QueryTriples):
            from rdflib import Graph

            data = ox.serialize(result, format=ox.RdfFormat.N_TRIPLES)
            graph = Graph()
            if data:
                graph.parse(data=data.decode("utf-8"), format="nt")
            return QueryResult("graph", graph=graph)
        variables = tuple(v.value for v in result.variables)
        return QueryResult.decoded(variables, list(result), decode_solutions)

    def serialize_query(
        self,
        text: str,
        media_type: str | None = None,
        *,
        default_graph: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        max_rows: int | None = None,
        base_iri: str | None = None,
        prefixes: Mapping[str, str] | None = None,
    ) -> SerializedResult:
        info = self.check(text)
        options: dict[str, Any] = {}
        if default_graph is not None:
            options["default_graph"] = [_graph_name(g, "default-graph-uri") for g in default_graph]
        elif named_graphs is not None:
            options["default_graph"] = []  # a dataset with named graphs only has an empty default graph
        elif not names_dataset(text):
            options["use_default_graph_as_union"] = True
        if named_graphs is not None:
            options["named_graphs"] = [_graph_name(g, "named-graph-uri") for g in named_graphs]
        if prefixes:
            options["prefixes"] = dict(prefixes)  # predeclared: the query may use them without PREFIX lines
        return run_without_network(lambda: self._serialize(text, info, media_type, options, max_rows, base_iri))

    def _serialize(
        self,
        text: str,
        info: QueryInfo,
        media_type: str | None,
        options: dict[str, Any],
        max_rows: int | None,
        base_iri: str | None,
    ) -> SerializedResult:
        try:
            result = self._store.query(text, base_iri=base_iri, **options)
            if isinstance(result, ox.QueryBoolean):
                media_type = media_type or BOOLEAN_MEDIA_TYPES[0]
                fmt = formats.by_media_type(media_type, "results")
                if fmt is None or not fmt.boolean:
                    raise QueryError(f"an ASK answer has no form in {media_type!r}")
                body = result.serialize(format=fmt.oxigraph_format)
                assert body is not None  # pyoxigraph returns None only when writing to a file
                return SerializedResult("ASK", media_type, body, 1)
            limit = None if max_rows is None else max_rows + 1
            if isinstance(result, ox.QueryTriples):
                media_type = media_type or GRAPH_MEDIA_TYPES[0]
                triples = list(islice(result, limit))
                truncated = max_rows is not None and len(triples) > max_rows
                triples = triples[:max_rows] if truncated else triples
                return SerializedResult(
                    info.form, media_type, serialize_triples(triples, media_type), len(triples), truncated
                )
            media_type = media_type or RESULTS_MEDIA_TYPES[0]
            fmt = formats.by_media_type(media_type, "results")
            if fmt is not None and fmt.row_marker is not None:
                # pyoxigraph's writer, without a Python object per value; an answer that may pass the row
                # limit is read again row by row, capped, and written by kgtool's writer
                body = result.serialize(format=fmt.oxigraph_format)
                assert body is not None  # pyoxigraph returns None only when writing to a file
                marker, plus = fmt.row_marker
                if max_rows is None or body.count(marker) + plus <= max_rows:
                    return SerializedResult("SELECT", media_type, body)
                result = self._store.query(text, base_iri=base_iri, **options)
                assert isinstance(result, ox.QuerySolutions)
            variables = [v.value for v in result.variables]
            width = range(len(variables))
            rows = [tuple(solution[i] for i in width) for solution in islice(result, limit)]
        except SyntaxError as error:
            raise QueryError(f"SPARQL syntax error: {error}") from error
        except (OSError, ValueError, RuntimeError) as error:
            raise QueryError(f"query failed: {error}") from error
        truncated = max_rows is not None and len(rows) > max_rows
        rows = rows[:max_rows] if truncated else rows
        body = write_solutions(variables, rows, media_type)
        return SerializedResult("SELECT", media_type, body, len(rows), truncated)

    def update(self, text: str, *, base_iri: str | None = None, prefixes: Mapping[str, str] | None = None) -> None:
        """Run a SPARQL Update (checked: ``SERVICE`` refused, ``LOAD`` only where the operator allows it);
        ``prefixes`` are predeclared."""
        self.check(text, allow_update=True)
        self.revision += 1

        def run() -> None:
            try:
                self._store.update(text, base_iri=base_iri, prefixes=dict(prefixes or {}))
            except (SyntaxError, OSError, ValueError, RuntimeError) as error:
                raise QueryError(f"update failed: {error}") from error

        run() if runs_allowed_load(text) else run_without_network(run)

    def replace(self, graphs: Mapping[URIRef, Graph]) -> None:
        self.revision += 1
        for name, graph in graphs.items():
            target = ox.NamedNode(str(name))
            if self._store.contains_named_graph(target):
                self._store.remove_graph(target)
            data = graph.serialize(format="nt", encoding="utf-8")
            self._store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=target)
        if self.path is not None:
            self._store.flush()

    def dump_graphs(self) -> dict[Any, bytes]:
        """Each graph dumped by Oxigraph as N-Triples: no Python object per statement, no copy through rdflib."""
        graphs: dict[Any, bytes] = {}
        for graph in (ox.DefaultGraph(), *self._store.named_graphs()):
            data = self._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
            if data:
                graphs[graph] = data
        return graphs

    def dataset(self) -> Dataset:
        from rdflib import Dataset

        data = self._store.dump(format=ox.RdfFormat.N_QUADS)
        dataset = Dataset(default_union=True)
        if data:
            dataset.parse(data=data.decode("utf-8"), format="nquads")
        return dataset

    def rdflib_view(self) -> Dataset:
        """rdflib's API over this very store, through oxrdflib: no copy, unlike :meth:`dataset`, for code
        that needs rdflib (graph walks, rdflib SPARQL features) on a graph too large to copy. Its default
        graph is the union of the named graphs. Named queries do not go through it: rows of rdflib terms
        cost more than kgtool's own conversion (see bench/).

        Raises:
            MissingOptionalError: oxrdflib is not installed (``pip install 'sz20plus8[oxrdflib]'``).
        """
        from ..errors import MissingOptionalError

        try:
            from oxrdflib import OxigraphStore as OxRdflibStore
        except ImportError as error:
            raise MissingOptionalError("the rdflib view needs oxrdflib: pip install 'sz20plus8[oxrdflib]'") from error
        from rdflib import Dataset

        return Dataset(store=OxRdflibStore(store=self._store), default_union=True)

    def __len__(self) -> int:
        return len(self._store)

    def close(self) -> None:
        """Flush and release the store (another process may then open it)."""
        if getattr(self, "_store", None) is not None and self.path is not None and self.writable:
            self._store.flush()
        self._store = None  # type: ignore[assignment]
