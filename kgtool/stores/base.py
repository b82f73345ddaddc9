"""The interface every store implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import formats
from ..errors import QueryError, UsageError, check_arg
from ..results import QueryResult
from ..sparql import QueryInfo, check_query, load_allowed

if TYPE_CHECKING:
    from rdflib import Dataset, Graph, URIRef

    from ..paths import ProjectPaths

__all__ = [
    "Store",
    "StoreConfig",
    "SerializedResult",
    "RESULTS_MEDIA_TYPES",
    "BOOLEAN_MEDIA_TYPES",
    "GRAPH_MEDIA_TYPES",
]

#: SPARQL results media types a SELECT can be serialised in, the first the default (:mod:`kgtool.formats`).
RESULTS_MEDIA_TYPES = formats.media_types("results")
#: The media types of an ASK answer (CSV and TSV define no boolean form).
BOOLEAN_MEDIA_TYPES = formats.media_types("results", boolean=True)
#: RDF media types a CONSTRUCT or DESCRIBE can be serialised in, the first the default.
GRAPH_MEDIA_TYPES = formats.media_types("rdf")


@dataclass(frozen=True)
class SerializedResult:
    """A query answer serialised in a media type, ready to send.

    ``count`` is the number of rows (SELECT) or triples (CONSTRUCT, DESCRIBE) written (``None`` where the
    engine's own writer wrote a whole answer without counting); ``truncated`` says that the answer had more
    than the ``max_rows`` asked for, and only the first ``max_rows`` were written.
    """

    form: str
    media_type: str
    body: bytes
    count: int | None = None
    truncated: bool = False


@dataclass(frozen=True)
class StoreConfig:
    """What opening a store may need, the same for every store: each store takes what applies to it
    (as every rdflib store is opened with one ``configuration``).

    Args:
        home: where kgtool keeps the built store (default: :func:`kgtool.paths.data_home`).
        paths: where the project's sources are (default: :func:`kgtool.paths.project_paths`).
        extra: more data files, for a store compiled from the sources when it is opened.
        options: the store's own options, by name (``endpoint`` for the sparql store...); each store
            lists them in :attr:`Store.options`, and refuses any other.
    """

    home: Path | None = None
    paths: ProjectPaths | None = None
    extra: tuple[Path, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)

    def checked_options(self, store: type[Store]) -> dict[str, Any]:
        """The options, checked against what ``store`` takes; ``extra`` only for a store that compiles sources.

        Raises:
            UsageError: an option the store does not take, or extra data files it cannot hold.
        """
        unknown = sorted(set(self.options) - set(store.options))
        if unknown:
            takes = f"; it takes: {', '.join(store.options)}" if store.options else "; it takes none"
            raise UsageError(f"the {store.name} store does not take the option(s) {', '.join(unknown)}{takes}")
        if self.extra and not store.compiles_sources:
            raise UsageError(
                f"extra data files can only be added to a store compiled from the sources (memory), "
                f"not to the {store.name} store"
            )
        return dict(self.options)


class Store(ABC):
    """A place the graph is kept and queried.

    Queries see the union of the store's graphs as their default graph. Stores answer with
    :class:`~kgtool.results.QueryResult` rows of Python values converted the same way everywhere.

    Every store is opened the same way, by :meth:`open` with a :class:`StoreConfig`
    (:func:`kgtool.open` does it for the store named); its constructor is its own.
    """

    #: The registry name of the store.
    name: str = ""
    #: The names of the options :meth:`open` takes in :attr:`StoreConfig.options`.
    options: tuple[str, ...] = ()
    #: Whether :meth:`open` compiles the project's sources (and so takes :attr:`StoreConfig.extra`).
    compiles_sources: bool = False
    #: Whether queries are evaluated in this process (a time-limited query then runs in a worker process,
    #: :mod:`kgtool.timelimit`); False for a remote endpoint, which has its own timeout.
    runs_locally: bool = True
    #: How many times the store was changed through :meth:`update` or :meth:`replace` (a worker holding a
    #: copy of it starts again when this changes).
    revision: int = 0

    @classmethod
    def open(cls, config: StoreConfig) -> Store:
        """Open the store as ``config`` says. The default passes the checked options to the constructor as
        keyword arguments; stores that need the home or the sources override it.

        Raises:
            UsageError: an option the store does not take.
        """
        return cls(**config.checked_options(cls))

    def query(self, text: str, *, allow_update: bool = False) -> QueryResult:
        """Run a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE).

        Raises:
            QueryError: for a syntax error, a ``SERVICE`` clause, or an update (see :meth:`check`).
        """
        info = self.check(check_arg(text, str, "text"), allow_update=allow_update)
        if info.is_update:
            self.update(text)
            return QueryResult("ask", boolean=True)
        return self._query(text, info)

    @staticmethod
    def check(text: str, *, allow_update: bool = False) -> QueryInfo:
        """Refuse what no store may run (see :func:`kgtool.sparql.check_query`): ``SERVICE`` (never
        fetched), ``LOAD`` unless the operator allows it (``$KGTOOL_ALLOW_LOAD``), updates unless
        ``allow_update``, a request beyond kgtool's limits, and text that is no SPARQL 1.1."""
        return check_query(text, allow_update=allow_update, allow_load=load_allowed())

    @abstractmethod
    def _query(self, text: str, info: QueryInfo) -> QueryResult:
        """Run a checked query."""

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
        """Run a checked query and serialise its answer natively in ``media_type`` (one of
        :data:`RESULTS_MEDIA_TYPES` for SELECT, :data:`BOOLEAN_MEDIA_TYPES` for ASK,
        :data:`GRAPH_MEDIA_TYPES` for CONSTRUCT and DESCRIBE; default: the first of each).

        ``default_graph`` and ``named_graphs`` (graph IRIs) give the RDF dataset of the SPARQL Protocol,
        overriding the query's ``FROM``/``FROM NAMED``; by default the default graph is the union of all
        graphs unless the query names its own. At most ``max_rows`` rows or triples are written.
        ``prefixes`` (name -> namespace) are predeclared: the query may use them without ``PREFIX`` lines.

        Raises:
            QueryError: a syntax error, a refused query, or a media type the answer has no form in.
        """
        raise QueryError(f"the {self.name} store cannot serialise answers natively")

    def update(self, text: str) -> None:
        """Run a SPARQL Update (only on stores that allow writes)."""
        raise QueryError(f"the {self.name} store does not accept updates")

    @abstractmethod
    def replace(self, graphs: Mapping[URIRef, Graph]) -> None:
        """Replace the named graphs given (and only those) with the given contents."""

    @abstractmethod
    def dataset(self) -> Dataset:
        """An rdflib view of the whole store, for validation and reasoning."""

    def dump_graphs(self) -> dict[Any, bytes]:
        """Each graph of the store as N-Triples written by pyoxigraph, by graph name (a ``pyoxigraph.NamedNode``,
        or ``DefaultGraph``): what an export reads (:func:`kgtool.export.export_graphs`). The default reads
        :meth:`dataset`; a store that holds pyoxigraph terms dumps them directly."""
        from ..export import dataset_quads
        from ..statements import ntriples_by_graph

        return ntriples_by_graph(dataset_quads(self.dataset()))

    @abstractmethod
    def __len__(self) -> int:
        """The number of triples in all graphs."""

    def close(self) -> None:  # noqa: B027 - most stores hold nothing to release
        """Release what the store holds."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
