"""Serialise the graph in the usual RDF formats, deterministically and without loss.

The same graph gives the same bytes: blank nodes get the canonical labels of RDFC-1.0 (``_:c14n0``...),
and statements are written in sorted order: by graph (dataset formats), then as N-Quads lines sort, each
subject's ``rdf:type`` first (:func:`sorted_statements`). Each format is then written by the writer the
format registry names for it (:attr:`kgtool.formats.Format.writer`): pyoxigraph's serialiser, finished by
kgtool where the project writes more than pyoxigraph (lists nested in Turtle and TriG, :mod:`kgtool.turtle`;
JSON-LD compacted with the published context, :mod:`kgtool.jsonld`). An export reads the store's quads
(:meth:`kgtool.stores.Store.quads`) as pyoxigraph terms, without a pass through rdflib graphs, and each
format reads back into a graph isomorphic to the exported one (tested for every format).
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

if TYPE_CHECKING:
    import pyoxigraph as ox

__all__ = [
    "export_quads",
    "export_dataset",
    "graph_bytes",
    "rdf_bytes",
    "canonical_statements",
    "sorted_statements",
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

# An rdf:type statement as pyoxigraph writes it, between its subject and object (for the sort key).
_TYPE_GAP = " <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "


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


# -- canonical labels and order ------------------------------------------------------------------------------


def canonical_statements(statements: Iterable[Any]) -> list[Any]:
    """The statements (pyoxigraph triples or quads) with their blank nodes relabelled by RDFC-1.0: stable
    labels, the same every run and for every store.

    Only the statements with a blank node are canonicalised (RDFC-1.0 labels a blank node from the
    statements it is in, so the labels are those of the whole dataset); a triple counts as in the default
    graph.
    """
    import pyoxigraph as ox

    blank_node, quad = ox.BlankNode, ox.Quad
    plain, blank = [], []
    for statement in statements:
        if (
            type(statement.subject) is blank_node
            or type(statement.object) is blank_node
            or (type(statement) is quad and type(statement.graph_name) is blank_node)
        ):
            blank.append(statement)
        else:
            plain.append(statement)
    if not blank:
        return plain
    dataset = ox.Dataset(s if type(s) is quad else ox.Quad(s.subject, s.predicate, s.object) for s in blank)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return plain + list(dataset)


def sorted_statements(statements: Iterable[Any], *, keep_graphs: bool) -> list[Any]:
    """The statements without duplicates, in the order exports write them.

    With ``keep_graphs``, quads (a triple is in the default graph) by graph, the default graph first then
    by name; without, the triples of all graphs (their union). Within a graph, in the order of their
    N-Quads lines, except that a subject's ``rdf:type`` comes before its other predicates (as Turtle writes
    ``a`` first, and RDF/XML names the element after the type).
    """
    import pyoxigraph as ox

    quad, default_graph = ox.Quad, ox.DefaultGraph
    graphs: dict[Any, list[Any]] = {}
    for statement in statements:
        graph = statement.graph_name if type(statement) is quad else default_graph()
        graphs.setdefault(graph, []).append(statement)
    if not keep_graphs and len(graphs) > 1:  # the union: one graph, each triple once
        graphs = {default_graph(): [s.triple if type(s) is quad else s for group in graphs.values() for s in group]}
    out: list[Any] = []
    for graph in sorted(graphs, key=lambda g: "" if type(g) is default_graph else str(g)):
        # a quad's text ends with its graph name: the same in the whole group, so it does not change the order
        unique: dict[str, Any] = {}
        for statement in graphs[graph]:
            text = str(statement)
            cut = text.find(" ")
            if text.startswith(_TYPE_GAP, cut):
                text = text[:cut] + "\0" + text[cut + len(_TYPE_GAP) :]
            unique[text] = statement
        group = [unique[key] for key in sorted(unique)]
        if keep_graphs:
            group = [s if type(s) is quad else quad(s.subject, s.predicate, s.object) for s in group]
        else:
            group = [s.triple if type(s) is quad else s for s in group]
        out += group
    return out


# -- export -----------------------------------------------------------------------------------------


def rdf_bytes(
    statements: Iterable[Any],
    format: str | formats.Format,  # noqa: A002
    *,
    prefixes: Mapping[str, str] | None = None,
    context: Mapping[str, Any] | None = None,
    only_used: bool = False,
    canonical: bool = True,
) -> bytes:
    """Pyoxigraph triples or quads in an RDF format (a short name or alias, or a registered format), by the
    format's writer: blank nodes canonically labelled (unless not ``canonical``), sorted, each once.

    A graph format holds the union of the graphs; a dataset format keeps them (a triple goes to the default
    graph). ``prefixes`` are those a document may declare (default: the project's), ``context`` the JSON-LD
    context (default: the published one); with ``only_used``, RDF/XML and JSON-LD declare only the
    prefixes or context entries they use (Turtle and TriG always do).

    Raises:
        UsageError: for an unknown format.
    """
    fmt = format if isinstance(format, formats.Format) else formats.get(format)
    if canonical:
        statements = canonical_statements(statements)
    ordered = sorted_statements(statements, keep_graphs=fmt.keeps_graphs)
    return fmt.write(ordered, prefixes=PREFIXES if prefixes is None else prefixes, context=context, only_used=only_used)


def export_quads(quads: Iterable[ox.Quad], format: str, context: Mapping[str, Any] | None = None) -> bytes:  # noqa: A002
    """Serialise a store's quads (:meth:`kgtool.stores.Store.quads`) in ``format``: an RDF format's short name
    or alias (see :mod:`kgtool.formats`).

    Graph formats (ttl, nt, jsonld, xml) hold the union of the named graphs; dataset formats (trig, nq)
    keep each graph. ``context`` is the JSON-LD context to compact with (default: the published one).

    Raises:
        UsageError: for an unknown format.
    """
    return rdf_bytes(quads, format, context=context)


def export_dataset(
    dataset: Dataset,
    format: str,  # noqa: A002
    context: dict | None = None,
) -> bytes:
    """Serialise an rdflib dataset in ``format``, as :func:`export_quads` does (the same bytes for the same
    graphs).

    Raises:
        UsageError: for an unknown format.
    """
    return export_quads(dataset_quads(dataset), format, context)


def graph_bytes(graph: Graph, format: str = "ttl") -> bytes:  # noqa: A002
    """One rdflib graph (a CONSTRUCT answer, say) serialised in an RDF format, deterministically as
    :func:`export_quads` writes (a dataset format holds it as its default graph).

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
    for quad in canonical_statements(dataset_quads(dataset)):
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

    Raises:
        UsageError: invalid JSON, or a remote context other than the published one.
    """
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        raise UsageError(f"not JSON: {error}") from error
    dataset = Dataset()
    dataset.parse(data=json.dumps(_local_contexts(document)), format="json-ld", publicID=base)
    return dataset
