"""Linked data: what the server answers for an IRI of the graph, read from a pyoxigraph store.

A resource's RDF description is its concise bounded description (its triples, and recursively those of
the blank nodes they reach) together with the hash IRIs of its own document (``<IRI>#source-...``
citations, and any other ``<IRI>#...`` it links to). These functions run in the server's worker
processes; :mod:`kgtool.server.pages` renders what they find for people.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pyoxigraph as ox

from ..namespaces import ONTOLOGY_GRAPH

__all__ = [
    "INCOMING_LIMIT",
    "LABEL_PREDICATES",
    "incoming_links",
    "labels_for",
    "ontology_triples",
    "resource_description",
    "triples_matching",
]

#: Predicates whose values name a resource, in order of preference.
LABEL_PREDICATES = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://purl.org/dc/terms/title",
    "http://xmlns.com/foaf/0.1/name",
)
#: The most incoming links a resource's page lists.
INCOMING_LIMIT = 500


def triples_matching(
    store: ox.Store, subject: Any = None, predicate: Any = None, obj: Any = None, graph: Any = None
) -> list[ox.Triple]:
    """Distinct triples matching a pattern in any graph (or in ``graph``), in a stable order."""
    seen = {}
    for quad in store.quads_for_pattern(subject, predicate, obj, graph):
        triple = quad.triple
        seen[str(triple)] = triple
    return [seen[key] for key in sorted(seen)]


def resource_description(store: ox.Store, iri: str) -> list[ox.Triple]:
    """The concise bounded description of ``iri``: its triples, those of the blank nodes they reach
    (recursively), and those of the hash IRIs ``<iri>#...`` it links to (recursively)."""
    start = ox.NamedNode(iri)
    out: dict[str, ox.Triple] = {}
    todo: list[object] = [start]
    done: set[str] = set()
    while todo:
        node = todo.pop()
        key = str(node)
        if key in done:
            continue
        done.add(key)
        for triple in triples_matching(store, node):
            out[str(triple)] = triple
            value = triple.object
            if isinstance(value, ox.BlankNode) or (
                isinstance(value, ox.NamedNode) and value.value.startswith(iri + "#")
            ):
                todo.append(value)
    return [out[key] for key in sorted(out)]


def incoming_links(store: ox.Store, iri: str, limit: int = INCOMING_LIMIT) -> list[ox.Triple]:
    """Triples whose object is ``iri`` (at most ``limit``), hash IRIs of its own document excluded."""
    triples = [
        t
        for t in triples_matching(store, None, None, ox.NamedNode(iri))
        if not (isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(iri + "#"))
    ]
    return triples[:limit]


def labels_for(store: ox.Store, iris: Iterable[str], extra: Sequence[ox.Triple] = ()) -> dict[str, dict[str, str]]:
    """The labels of each IRI by language tag ("" for none), the most preferred predicate winning;
    ``extra`` triples (not in the store) may label them too."""
    predicates = [ox.NamedNode(p) for p in LABEL_PREDICATES]
    labels: dict[str, dict[str, str]] = {}
    for iri in sorted(set(iris)):
        found: dict[str, str] = {}
        for predicate in predicates:
            triples = [
                *triples_matching(store, ox.NamedNode(iri), predicate),
                *(t for t in extra if t.subject == ox.NamedNode(iri) and t.predicate == predicate),
            ]
            for triple in triples:
                if isinstance(triple.object, ox.Literal):
                    found.setdefault(triple.object.language or "", triple.object.value)
        if found:
            labels[iri] = found
    return labels


def ontology_triples(store: ox.Store) -> list[ox.Triple]:
    """The triples of the ontology graph."""
    return triples_matching(store, graph=ox.NamedNode(str(ONTOLOGY_GRAPH)))
