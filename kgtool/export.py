"""Serialise the graph in the usual RDF formats, deterministically and without loss.

The same graph gives the same bytes: blank nodes get the canonical labels of RDFC-1.0 (``_:c14n0``...),
and statements are written in sorted order, each once (:class:`kgtool.statements.SortedStatements`). Each
format is written by the writer the format registry names for it (:attr:`kgtool.formats.Format.writer`):
pyoxigraph's serialiser, finished by kgtool where the project writes more than pyoxigraph (lists nested in
Turtle and TriG, :mod:`kgtool.turtle`; JSON-LD compacted with the published context, :mod:`kgtool.jsonld`).
An export reads the store's graphs as Oxigraph writes them (:meth:`kgtool.stores.Store.dump_graphs`), without
a pass through rdflib graphs, and each format reads back into a graph isomorphic to the exported one (tested
for every format).
:func:`read_jsonld` reads JSON-LD without fetching remote contexts.

Every export holds the computed VoID/DCAT description of the dataset
(:mod:`kgtool.dataset_description`), which ``kgtool build`` adds to the data graph.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Dataset, Graph, Literal, URIRef

from . import formats
from .errors import UsageError
from .jsonld import CONTEXT_FILE, CONTEXT_IRI, jsonld_context
from .namespaces import PREFIXES, bind_prefixes
from .statements import SortedStatements, ntriples_by_graph

if TYPE_CHECKING:
    import pyoxigraph as ox

__all__ = [
    "export_graphs",
    "export_dataset",
    "graph_bytes",
    "rdf_bytes",
    "dataset_quads",
    "described_dataset",
    "published_graph",
    "CONTEXT_IRI",
    "CONTEXT_FILE",
    "jsonld_context",
    "read_jsonld",
    "oxigraph_term",
    "rdflib_term",
]

# -- terms ---------------------------------------------------------------------------------------------


def oxigraph_term(term: Any) -> Any:
    """The pyoxigraph term of an rdflib term (IRI, blank node or literal)."""
    import pyoxigraph as ox

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def rdflib_term(term: Any) -> Any:
    """The rdflib term of a pyoxigraph term (IRI, blank node or literal); ``xsd:string`` literals plain."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"not an RDF term: {term!r}")


def dataset_quads(dataset: Dataset) -> list[ox.Quad]:
    """The quads of an rdflib dataset as pyoxigraph terms, each in its graph (rdflib's default graph as
    the default graph)."""
    import pyoxigraph as ox
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    quads = []
    for graph in dataset.graphs():
        name = graph.identifier
        if name == DATASET_DEFAULT_GRAPH_ID:
            graph_name: Any = ox.DefaultGraph()
        else:
            graph_name = oxigraph_term(name if isinstance(name, (URIRef, BNode)) else URIRef(str(name)))
        quads += [ox.Quad(oxigraph_term(s), oxigraph_term(p), oxigraph_term(o), graph_name) for s, p, o in graph]
    return quads


# -- export -----------------------------------------------------------------------------------------


def export_graphs(graphs: Mapping[Any, bytes], format: str, context: Mapping[str, Any] | None = None) -> bytes:  # noqa: A002
    """Serialise a store's graphs (N-Triples by graph, as :meth:`kgtool.stores.Store.dump_graphs` gives them) in
    ``format``: an RDF format's short name or alias (see :mod:`kgtool.formats`).

    Graph formats (ttl, nt, jsonld, xml) hold the union of the named graphs; dataset formats (trig, nq)
    keep each graph. ``context`` is the JSON-LD context to compact with (default: the published one).

    Raises:
        UsageError: for an unknown format.
    """
    fmt = formats.get(format)
    return fmt.write(SortedStatements(graphs), prefixes=PREFIXES, context=context, only_used=False)


def export_dataset(
    dataset: Dataset,
    format: str,  # noqa: A002
    context: dict | None = None,
) -> bytes:
    """Serialise an rdflib dataset in ``format``, as :func:`export_graphs` does (the same bytes for the same
    graphs).

    Raises:
        UsageError: for an unknown format.
    """
    return export_graphs(ntriples_by_graph(dataset_quads(dataset)), format, context)


def rdf_bytes(
    statements: Iterable[Any],
    format: str | formats.Format,  # noqa: A002
    *,
    prefixes: Mapping[str, str] | None = None,
    context: Mapping[str, Any] | None = None,
    only_used: bool = False,
    canonical: bool = True,
) -> bytes:
    """Pyoxigraph triples (in the default graph) or quads in an RDF format (a short name or alias, or a
    registered format), as exports write them: blank nodes canonically labelled (unless not ``canonical``),
    sorted, each once, by the format's writer.

    ``prefixes`` are those a document may declare (default: the project's), ``context`` the JSON-LD
    context (default: the published one); with ``only_used``, RDF/XML and JSON-LD declare only the
    prefixes or context entries they use (Turtle and TriG always do).

    Raises:
        UsageError: for an unknown format.
    """
    fmt = format if isinstance(format, formats.Format) else formats.get(format)
    ready = SortedStatements.of(statements, canonical=canonical)
    return fmt.write(ready, prefixes=PREFIXES if prefixes is None else prefixes, context=context, only_used=only_used)


def graph_bytes(graph: Graph, format: str = "ttl") -> bytes:  # noqa: A002
    """One rdflib graph (a CONSTRUCT answer, say) serialised in an RDF format, deterministically as
    :func:`export_graphs` writes (a dataset format holds it as its default graph).

    Raises:
        UsageError: for an unknown format.
    """
    import pyoxigraph as ox

    triples = [ox.Triple(oxigraph_term(s), oxigraph_term(p), oxigraph_term(o)) for s, p, o in graph]
    return rdf_bytes(triples, format)


def described_dataset(dataset: Dataset) -> dict[URIRef, Graph]:
    """The named graphs an export writes, as rdflib graphs: the non-empty graphs of ``dataset``, blank nodes
    canonically labelled. (The computed dataset description is already in the data graph: ``kgtool build``
    adds it.)"""
    import pyoxigraph as ox

    out: dict[URIRef, Graph] = {}
    for quad in SortedStatements(ntriples_by_graph(dataset_quads(dataset))).statements(keep_graphs=True):
        name = quad.graph_name
        key = URIRef("urn:x-rdflib:default" if isinstance(name, ox.DefaultGraph) else name.value)
        if key not in out:
            out[key] = Graph(identifier=key)
        out[key].add((rdflib_term(quad.subject), rdflib_term(quad.predicate), rdflib_term(quad.object)))
    return out


def published_graph(dataset: Dataset) -> Graph:
    """The union graph every triple export holds: the triples of all the store's graphs (the computed
    description among them), blank nodes canonically labelled."""
    union = Graph()
    bind_prefixes(union)
    for graph in described_dataset(dataset).values():
        for triple in graph:
            union.add(triple)
    return union


# -- reading JSON-LD safely -------------------------------------------------------------------------


def _local_contexts(value: Any) -> Any:
    """``value`` with every ``@context`` that names the published context replaced by its content.

    Raises:
        UsageError: for any other remote context (it would be fetched).
    """
    if isinstance(value, list):
        return [_local_contexts(v) for v in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, item in value.items():
        if key == "@context":
            out[key] = _context_value(item)
        else:
            out[key] = _local_contexts(item)
    return out


def _context_value(item: Any) -> Any:
    if isinstance(item, list):
        return [_context_value(i) for i in item]
    if isinstance(item, str):
        if item in (CONTEXT_IRI, "/context.jsonld", "context.jsonld"):
            return jsonld_context()
        raise UsageError(f"remote JSON-LD context {item!r} is not fetched; embed it or use {CONTEXT_IRI}")
    if isinstance(item, dict) and "@import" in item:
        raise UsageError("JSON-LD @import of a remote context is not fetched")
    return _local_contexts(item) if isinstance(item, dict) else item


def read_jsonld(data: bytes | str, *, base: str | None = None) -> Dataset:
    """Parse JSON-LD into a dataset without fetching anything: the published context is served from
    the local file, and any other remote context is refused.

    The document is checked first against the limits of :mod:`kgtool.rdf_limits` (nesting and size).

    Raises:
        UsageError: invalid JSON, or a remote context other than the published one.
        DataError: a document beyond the limits (nested too deeply, too large).
    """
    from .rdf_limits import check_json

    check_json(data, "<JSON-LD>")
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        raise UsageError(f"not JSON: {error}") from error
    dataset = Dataset()
    dataset.parse(data=json.dumps(_local_contexts(document)), format="json-ld", publicID=base)
    return dataset
