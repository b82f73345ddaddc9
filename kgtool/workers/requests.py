"""What a query worker opens (:class:`StoreSource`), what it can be asked (typed requests) and what it
answers (:class:`Reply`).

Each request is a small frozen dataclass, sent to a worker process as it is (pickled) and used as the key
of the server's cache of answers; :class:`~kgtool.engine.handlers.Engine` answers each kind with the method
its table ``HANDLERS`` names. A request that runs a function of the library (:class:`LibraryCall`) names
the function itself: it is pickled by reference, and the worker imports its module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .. import formats

__all__ = [
    "StoreSource",
    "Reply",
    "TEXT",
    "RESOURCE_FORMATS",
    "RESOURCE_MEDIA_TYPES",
    "text_reply",
    "Operation",
    "WRITES",
    "SparqlQuery",
    "SparqlUpdate",
    "RunNamedQuery",
    "GraphSizes",
    "Describe",
    "Export",
    "GraphGet",
    "GraphWrite",
    "LibraryCall",
]


#: The media type of plain-text answers (errors, messages).
TEXT = "text/plain; charset=utf-8"
#: The formats a resource's description is offered in (a page's alternate links name them too): the RDF
#: formats of the registry that hold a graph rather than a dataset, in its order (Turtle first, the default).
RESOURCE_FORMATS = tuple(fmt for fmt in formats.formats("rdf") if not fmt.keeps_graphs)
#: Their media types, in the same order.
RESOURCE_MEDIA_TYPES = tuple(fmt.media_type for fmt in RESOURCE_FORMATS)


@dataclass(frozen=True)
class StoreSource:
    """What each worker opens: an on-disk Oxigraph store (``path``), or an N-Quads file loaded into
    memory (``nquads``); ``writable`` for a store SPARQL Update may change. ``project_root`` is where
    ``queries/`` is (default: the project's own)."""

    path: str | None = None
    nquads: str | None = None
    writable: bool = False
    project_root: str | None = None


@dataclass(frozen=True)
class Reply:
    """An answer ready to send: status, media type, body and extra headers."""

    status: int
    media_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = field(default=())


def text_reply(status: int, message: str, headers: tuple[tuple[str, str], ...] = ()) -> Reply:
    """A plain-text answer: a refusal or an error, one message."""
    return Reply(status, TEXT, (message.rstrip() + "\n").encode("utf-8"), headers)


@dataclass(frozen=True)
class SparqlQuery:
    """Run a SPARQL query; answer in the media type ``accept`` prefers, or the one the values of the request's
    ``format``/``output``/``results`` parameters name (``formats``: what ``xml`` and ``json`` mean depends on
    the query's form, which the worker reads, so that the server's event loop never parses a query)."""

    text: str
    accept: str | None
    default_graph: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    max_rows: int | None = None
    base_iri: str | None = None
    formats: tuple[str, ...] = ()


@dataclass(frozen=True)
class SparqlUpdate:
    """Run a SPARQL Update (with the protocol's ``using-graph-uri`` and ``using-named-graph-uri``)."""

    text: str
    base_iri: str | None = None
    using: tuple[str, ...] = ()
    using_named: tuple[str, ...] = ()


@dataclass(frozen=True)
class RunNamedQuery:
    """Run the named query ``name`` of ``queries/`` with its parameters, bound by the library as
    :meth:`kgtool.KnowledgeGraph.query` binds them (:meth:`~kgtool.KnowledgeGraph.bind`)."""

    name: str
    params: tuple[tuple[str, str], ...]
    accept: str | None
    max_rows: int | None = None


@dataclass(frozen=True)
class GraphSizes:
    """The named graphs and their sizes, as JSON (for the service description and the graphs' pages)."""


@dataclass(frozen=True)
class Describe:
    """The RDF description of an IRI, in the media type ``accept`` prefers."""

    iri: str
    accept: str | None


@dataclass(frozen=True)
class Export:
    """The whole graph in an export format (the bytes ``kgtool export`` writes)."""

    fmt: str


@dataclass(frozen=True)
class GraphGet:
    """Graph Store Protocol GET: a named graph, or the union default graph (``graph`` None)."""

    graph: str | None
    accept: str | None


@dataclass(frozen=True)
class GraphWrite:
    """Graph Store Protocol PUT, POST or DELETE of a graph."""

    method: str
    graph: str | None
    data: bytes
    media_type: str
    base_iri: str | None = None


@dataclass(frozen=True)
class LibraryCall:
    """``function(kg, **args)``: a module-level function of the library (or of a layer above it, such as the
    pages' data) applied to the worker's :class:`~kgtool.KnowledgeGraph`, answered as JSON; a
    :class:`~kgtool.errors.UsageError` (nothing known of what was asked) is 404."""

    function: Callable[..., Any]
    args: tuple[tuple[str, str], ...] = ()


#: Everything a worker can be asked (each is answered by the ``Engine`` method its ``HANDLERS`` names).
Operation = (
    SparqlQuery | SparqlUpdate | RunNamedQuery | GraphSizes | Describe | Export | GraphGet | GraphWrite | LibraryCall
)
#: Operations that change the store (the server forgets its cached answers after one).
WRITES = (SparqlUpdate, GraphWrite)
