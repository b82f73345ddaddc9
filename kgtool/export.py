"""Serialise the graph in the usual RDF formats, deterministically and without loss.

The same graph gives the same bytes: triples are written in sorted order and blank nodes get the
canonical labels of RDFC-1.0 (``_:c14n0``...). Each format reads back into a graph isomorphic to the
exported one (tested for every format). JSON-LD is compacted with the published context
(:data:`CONTEXT_FILE`, served at ``https://w3id.org/sz20plus8/context.jsonld``), embedded inline so
that no reader ever fetches it; :func:`read_jsonld` reads JSON-LD without fetching remote contexts.

Every export holds the computed VoID/DCAT description of the dataset
(:mod:`kgtool.dataset_description`), which ``kgtool build`` adds to the data graph.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import BNode, Dataset, Graph, Literal, URIRef

from . import formats
from .errors import UsageError
from .namespaces import BASE, bind_prefixes

__all__ = [
    "export_dataset",
    "described_dataset",
    "published_graph",
    "graph_bytes",
    "CONTEXT_IRI",
    "CONTEXT_FILE",
    "jsonld_context",
    "jsonld_bytes",
    "read_jsonld",
    "oxigraph_term",
    "rdflib_term",
]


#: The published IRI of the JSON-LD context.
CONTEXT_IRI = BASE + "context.jsonld"
#: The JSON-LD context file shipped with kgtool (the prefixes of :data:`kgtool.namespaces.PREFIXES`).
CONTEXT_FILE = Path(__file__).with_name("context.jsonld")


@lru_cache(maxsize=1)
def _context_document() -> dict[str, Any]:
    return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))


def jsonld_context() -> dict[str, Any]:
    """The published JSON-LD context: the value of its ``@context`` (a fresh copy)."""
    return copy.deepcopy(_context_document()["@context"])


def _sorted_copy(graph: Graph, identifier: URIRef | None = None) -> Graph:
    """A copy whose triples were added in sorted order, so serialisers walk them in that order."""
    copy_ = Graph(identifier=identifier) if identifier is not None else Graph()
    bind_prefixes(copy_)
    for triple in sorted(graph):
        copy_.add(triple)
    return copy_


def jsonld_bytes(graph: Graph, context: dict | None = None, *, only_used: bool = False) -> bytes:
    """``graph`` as JSON-LD compacted with ``context`` (default: the published one, inline).

    With ``only_used``, the inline context keeps only the entries the document uses (the terms and
    prefixes of its keys and values, and the prefixes those need), so that a small description does not
    carry the whole published context; each kept entry is the published one.

    The output is deterministic: keys are sorted, and so are the (unordered) arrays of nodes and
    values; ``@list`` arrays keep their order.
    """
    context = context if context is not None else jsonld_context()
    text = _sorted_copy(graph).serialize(format="json-ld", context=context, encoding="utf-8")
    document = _sort_arrays(json.loads(text))
    if only_used and isinstance(document, dict) and isinstance(document.get("@context"), dict):
        document["@context"] = _used_context(document, document["@context"])
    return (json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def _used_context(document: dict, context: dict) -> dict:
    """The entries of ``context`` that ``document`` (compacted with it) needs to expand as it did."""
    words: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key != "@context":
                    words.add(key)
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str):
            words.add(value)

    walk(document)
    names = {w for w in words if w in context} | {w.split(":", 1)[0] for w in words if ":" in w}
    kept = {name: context[name] for name in names if name in context}
    for definition in list(kept.values()):  # the prefixes the kept term definitions are written with
        if isinstance(definition, dict):
            for part in definition.values():
                prefix = part.split(":", 1)[0] if isinstance(part, str) and ":" in part else None
                if prefix is not None and prefix in context:
                    kept[prefix] = context[prefix]
    return kept


def _sort_arrays(value: Any, key: str | None = None) -> Any:
    if isinstance(value, dict):
        return {k: (v if k == "@context" else _sort_arrays(v, k)) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sort_arrays(v) for v in value]
        if key == "@list":
            return items
        return sorted(items, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    return value


# -- terms and blank nodes ---------------------------------------------------------------------------------


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


def _canonical(graphs: dict[URIRef, Graph]) -> dict[URIRef, Graph]:
    """The graphs with their blank nodes relabelled by RDFC-1.0 (stable labels, the same every run)."""
    if not any(isinstance(t, BNode) for g in graphs.values() for triple in g for t in triple):
        return graphs
    import pyoxigraph as ox

    dataset = ox.Dataset(
        ox.Quad(oxigraph_term(s), oxigraph_term(p), oxigraph_term(o), ox.NamedNode(str(name)))
        for name, g in graphs.items()
        for s, p, o in g
    )
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    out: dict[URIRef, Graph] = {name: Graph(identifier=name) for name in graphs}
    for quad in dataset:
        out[URIRef(quad.graph_name.value)].add(
            (rdflib_term(quad.subject), rdflib_term(quad.predicate), rdflib_term(quad.object))
        )
    return out


# -- export -----------------------------------------------------------------------------------------


def described_dataset(dataset: Dataset) -> dict[URIRef, Graph]:
    """The named graphs an export writes: the non-empty graphs of ``dataset``, blank nodes canonically
    labelled. (The computed dataset description is already in the data graph: ``kgtool build`` adds it.)"""
    return _canonical({URIRef(str(g.identifier)): g for g in dataset.graphs() if len(g)})


def published_graph(dataset: Dataset) -> Graph:
    """The union graph every triple export holds: the triples of all the store's graphs (the computed
    description among them), blank nodes canonically labelled."""
    union = Graph()
    bind_prefixes(union)
    for graph in described_dataset(dataset).values():
        for triple in graph:
            union.add(triple)
    return union


def _ox_sorted(named: dict[URIRef, Graph], quads: bool) -> list:
    """The triples (or quads) of ``named`` as pyoxigraph terms, without duplicates, in sorted order."""
    import pyoxigraph as ox

    seen: set = set()
    for name in sorted(named):
        graph_name = oxigraph_term(name) if quads else None
        for s, p, o in named[name]:
            seen.add((str(name) if quads else "", s, p, o, graph_name))
    items = sorted(seen, key=lambda item: (item[0], _order(item[1]), _order(item[2]), _order(item[3])))
    if quads:
        return [ox.Quad(oxigraph_term(s), oxigraph_term(p), oxigraph_term(o), g) for _, s, p, o, g in items]
    return [ox.Triple(oxigraph_term(s), oxigraph_term(p), oxigraph_term(o)) for _, s, p, o, _ in items]


def _order(term: Any) -> tuple[int, str]:
    return (0 if isinstance(term, URIRef) else 1 if isinstance(term, BNode) else 2, term.n3())


def export_dataset(
    dataset: Dataset,
    format: str,
    context: dict | None = None,  # noqa: A002
) -> bytes:
    """Serialise ``dataset`` in ``format``: an RDF format's short name or alias (see :mod:`kgtool.formats`).

    Triple formats (ttl, nt, jsonld, xml) hold the union of the named graphs; quad formats (trig, nq)
    keep each graph. ``context`` is the JSON-LD context to compact with (default: the published one).
    Turtle and TriG are written by :mod:`kgtool.turtle` (lists as ``( ... )``, blank nodes used once nested
    as ``[ ... ]``), N-Triples, N-Quads and RDF/XML by Oxigraph, all from sorted input; both keep every
    literal's lexical form (rdflib's Turtle writer turns ``"10"^^xsd:decimal`` into ``10.0``, another
    literal, and its RDF/XML writers depend on hash order); JSON-LD by rdflib, its arrays then sorted.

    Raises:
        UsageError: for an unknown format.
    """
    fmt = formats.get(format)
    named = described_dataset(dataset)
    if fmt.name == "jsonld":
        union = Graph()
        for graph in named.values():
            for triple in graph:
                union.add(triple)
        return jsonld_bytes(union, context)
    return _rdf_bytes(_ox_sorted(named, fmt.keeps_graphs), fmt)


def graph_bytes(graph: Graph, format: str = "ttl") -> bytes:  # noqa: A002
    """One graph (a CONSTRUCT answer, say) serialised in an RDF format, deterministically as
    :func:`export_dataset` writes (a dataset format holds it as its default graph).

    Raises:
        UsageError: for an unknown format.
    """
    fmt = formats.get(format)
    name = URIRef("urn:x-kgtool:graph")
    named = _canonical({name: graph})
    if fmt.name == "jsonld":
        return jsonld_bytes(named[name])
    return _rdf_bytes(_ox_sorted(named, False), fmt)


def _rdf_bytes(items: list, fmt: formats.Format) -> bytes:
    import pyoxigraph as ox

    from .namespaces import PREFIXES
    from .turtle import trig_bytes, turtle_bytes

    if fmt.name == "ttl":
        return turtle_bytes(items, PREFIXES)
    if fmt.name == "trig":
        return trig_bytes(items, PREFIXES)
    data = ox.serialize(items, format=fmt.oxigraph_format, prefixes=PREFIXES if fmt.prefixes else None)
    if data is None:  # pyoxigraph returns None only when given an output file
        raise TypeError("pyoxigraph.serialize wrote to a file instead of returning bytes")
    return data


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
