"""The published JSON-LD context: short terms for the properties and classes of the graph, so that its
JSON-LD reads as plain JSON.

Each property used in the graph gets a term named after its local name (``prefLabel``,
``partOfVersion``), typed from the values the graph holds: ``"@type": "@id"`` when they are all IRIs
(``"version": "https://w3id.org/sz20plus8/version/2.0"``), ``"@container": "@language"`` when they are all
language-tagged (``"prefLabel": {"en": "...", "zh": "..."}``), the datatype when they all share one
(``"value": "23.5"`` for an ``xsd:decimal``). Classes get terms too (``"type": "Cluster"``), and ``id``
and ``type`` stand for ``@id`` and ``@type``. Where two vocabularies use the same local name, the
project's own (``sz:``) wins and the other keeps its prefixed name (``dcterms:issued``); a prefix whose
name a term takes (``unit``) is left out, and so are the prefixes of instance IRIs (``cluster:``...), so
that links are written as full IRIs that resolve.

The context is a file shipped with kgtool (:data:`kgtool.export.CONTEXT_FILE`), served at
:data:`kgtool.export.CONTEXT_IRI` and embedded in every JSON-LD kgtool writes. It is generated from the
project's sources by :func:`term_context`; ``python -m kgtool.context`` rewrites the file after the
ontology or data gain a property (a test checks that the file is up to date).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD

from .namespaces import KINDS, PREFIXES

__all__ = ["term_context", "context_prefixes", "context_document", "write_context"]

#: Vocabularies in the order their terms win a clash of local names (the project's own first).
_PRIORITY = (
    "sz",
    "rdfs",
    "owl",
    "skos",
    "xkos",
    "dcterms",
    "dcat",
    "prov",
    "void",
    "qb",
    "schema",
    "foaf",
    "time",
    "sh",
    "vann",
    "qudt",
)
#: Prefixes the context declares beyond :data:`kgtool.namespaces.PREFIXES` (vocabularies the graph cites).
EXTRA_PREFIXES = {
    "sdmx-attribute": "http://purl.org/linked-data/sdmx/2009/attribute#",
    "sdmx-dimension": "http://purl.org/linked-data/sdmx/2009/dimension#",
    "sdmx-measure": "http://purl.org/linked-data/sdmx/2009/measure#",
    "qudt": "http://qudt.org/schema/qudt/",
    "vann": "http://purl.org/vocab/vann/",
}
_KEYWORDS = {"id": "@id", "type": "@type"}


def context_prefixes() -> dict[str, str]:
    """The vocabulary prefixes a context may declare (instance prefixes such as ``cluster:`` left out)."""
    return {p: ns for p, ns in {**PREFIXES, **EXTRA_PREFIXES}.items() if p not in KINDS}


def _split(iri: str, prefixes: dict[str, str]) -> tuple[str, str] | None:
    """(prefix, local name) of ``iri`` under the longest matching namespace, if the local name is a plain word."""
    best = None
    for prefix, namespace in prefixes.items():
        local = iri[len(namespace) :]
        if iri.startswith(namespace) and local.isidentifier() and (best is None or len(namespace) > len(best[2])):
            best = (prefix, local, namespace)
    return (best[0], best[1]) if best else None


def _rank(prefix: str) -> int:
    return _PRIORITY.index(prefix) if prefix in _PRIORITY else len(_PRIORITY)


def term_context(triples: Iterable[tuple[Any, Any, Any]]) -> dict[str, Any]:
    """The ``@context`` value for a graph: prefixes, ``id``/``type`` aliases, and a term for each property
    and class the triples use (rdflib terms), typed from their values.

    >>> from rdflib import URIRef, Literal
    >>> sz = PREFIXES["sz"]
    >>> context = term_context([(URIRef(sz + "x"), URIRef(sz + "partOfVersion"), URIRef(sz + "y")),
    ...                         (URIRef(sz + "x"), URIRef(PREFIXES["skos"] + "prefLabel"), Literal("X", lang="en"))])
    >>> context["partOfVersion"] == {"@id": "sz:partOfVersion", "@type": "@id"}
    True
    >>> context["prefLabel"] == {"@id": "skos:prefLabel", "@container": "@language"}
    True
    """
    prefixes = context_prefixes()
    values: dict[str, set[str]] = defaultdict(set)  # property IRI -> kinds of values
    classes: set[str] = set()
    for _, p, o in triples:
        if p == RDF.type and isinstance(o, URIRef):
            classes.add(str(o))
        if isinstance(o, URIRef):
            kind = "@id"
        elif isinstance(o, BNode):  # rdflib writes a list node under an "@id"-typed term as a bare label: no coercion
            kind = "bnode"
        elif isinstance(o, Literal) and o.language:
            kind = "@language"
        elif isinstance(o, Literal) and o.datatype is not None and o.datatype != XSD.string:
            kind = str(o.datatype)
        else:
            kind = "string"
        values[str(p)].add(kind)

    candidates: dict[str, list[tuple[int, str, str]]] = defaultdict(list)  # term -> [(rank, prefix, IRI)]
    for iri in sorted(set(values) | classes):
        if iri.startswith(str(RDF)):  # rdf:type is "type"; lists are written as @list
            continue
        split = _split(iri, prefixes)
        if split is not None and split[1] not in _KEYWORDS:
            candidates[split[1]].append((_rank(split[0]), split[0], iri))

    context: dict[str, Any] = dict(_KEYWORDS)
    for term in sorted(candidates):
        _, prefix, iri = min(candidates[term])
        definition: dict[str, str] = {"@id": f"{prefix}:{term}"}
        kinds = values.get(iri, set())
        if kinds == {"@id"}:
            definition["@type"] = "@id"
        elif kinds == {"@language"}:
            definition["@container"] = "@language"
        elif len(kinds) == 1 and next(iter(kinds)) not in ("string", "bnode", "@id", "@language"):
            split = _split(next(iter(kinds)), prefixes)
            definition["@type"] = f"{split[0]}:{split[1]}" if split else next(iter(kinds))
        context[term] = definition
    for prefix, namespace in sorted(prefixes.items()):
        if prefix not in context:
            context[prefix] = namespace
    return context


def context_document(context: dict[str, Any]) -> bytes:
    """The context as the published file: ``{"@context": ...}``, keys sorted, UTF-8."""
    return (json.dumps({"@context": context}, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def write_context(path: Path | None = None) -> Path:
    """Regenerate the published context from the project's sources (ontology, data and shapes) into ``path``
    (default: the file kgtool ships)."""
    from rdflib import Graph

    from .export import CONTEXT_FILE
    from .paths import project_paths
    from .sources import source_graphs, union

    path = path or CONTEXT_FILE
    graph = union(source_graphs())
    graph += Graph().parse(project_paths().shapes_file)  # served at /shapes, in JSON-LD too
    path.write_bytes(context_document(term_context(graph)))
    return path


if __name__ == "__main__":
    print(f"wrote {write_context()}")
