"""What a query worker can be asked, and what it answers: typed requests and :class:`Reply`.

Each request is a small frozen dataclass, sent to a worker process as it is (pickled) and used as the key
of the server's cache of answers; :class:`~kgtool.http.engine.Engine` answers each kind with the method
its table ``HANDLERS`` names. A request that runs a function of the library (:class:`LibraryCall`) names
the function itself: it is pickled by reference, and the worker imports its module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .negotiation import TEXT

__all__ = [
    "Reply",
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
    """Run a SPARQL query; answer in the media type ``accept`` prefers."""

    text: str
    accept: str | None
    default_graph: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    max_rows: int | None = None
    base_iri: str | None = None


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
