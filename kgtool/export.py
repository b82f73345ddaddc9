"""Serialise the graph in the usual RDF formats, deterministically: the same graph gives the same bytes."""

from __future__ import annotations

from rdflib import Dataset, Graph, URIRef

from .errors import UsageError
from .namespaces import bind_prefixes

__all__ = ["EXPORT_FORMATS", "export_dataset", "MEDIA_TYPES"]

#: Export formats by their short name: (rdflib format, keeps named graphs).
EXPORT_FORMATS: dict[str, tuple[str, bool]] = {
    "ttl": ("longturtle", False),
    "nt": ("nt", False),
    "jsonld": ("json-ld", False),
    "xml": ("pretty-xml", False),
    "trig": ("trig", True),
    "nq": ("nquads", True),
}

MEDIA_TYPES: dict[str, str] = {
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "xml": "application/rdf+xml",
    "trig": "application/trig",
    "nq": "application/n-quads",
}


def _sorted_copy(graph: Graph, identifier: URIRef | None = None) -> Graph:
    """A copy whose triples were added in sorted order, so serialisers walk them in that order."""
    copy = Graph(identifier=identifier) if identifier is not None else Graph()
    bind_prefixes(copy)
    for triple in sorted(graph):
        copy.add(triple)
    return copy


def export_dataset(dataset: Dataset, format: str, context: dict | None = None) -> bytes:  # noqa: A002
    """Serialise ``dataset`` in ``format`` (one of :data:`EXPORT_FORMATS`).

    Triple formats (ttl, nt, jsonld, xml) hold the union of the named graphs; quad formats (trig, nq)
    keep each graph. ``context`` is the JSON-LD context to compact with.

    Raises:
        UsageError: for an unknown format.
    """
    if format not in EXPORT_FORMATS:
        raise UsageError(f"unknown export format {format!r}; known: {', '.join(EXPORT_FORMATS)}")
    rdflib_format, quads = EXPORT_FORMATS[format]
    graphs = sorted((g for g in dataset.graphs() if len(g)), key=lambda g: str(g.identifier))
    if format == "nq":
        lines = set()
        for graph in graphs:
            for line in graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines():
                if line.strip():
                    lines.add(f"{line[:-1].rstrip()} <{graph.identifier}> .")
        return ("\n".join(sorted(lines)) + "\n").encode("utf-8")
    if quads:
        out = Dataset()
        bind_prefixes(out)
        for graph in graphs:
            target = out.graph(graph.identifier)
            for triple in sorted(graph):
                target.add(triple)
        return out.serialize(format=rdflib_format, encoding="utf-8")
    union = Graph()
    for graph in graphs:
        for triple in graph:
            union.add(triple)
    if format == "nt":
        lines = {line for line in union.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
                 if line.strip()}
        return ("\n".join(sorted(lines)) + "\n").encode("utf-8")
    ordered = _sorted_copy(union)
    if format == "jsonld":
        return ordered.serialize(format="json-ld", context=context or {}, encoding="utf-8", indent=1,
                                 sort_keys=True)
    return ordered.serialize(format=rdflib_format, encoding="utf-8")
