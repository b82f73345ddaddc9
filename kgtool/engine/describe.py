"""Linked data: what a worker answers for an IRI of the graph, read from a pyoxigraph store.

A resource's RDF description is its concise bounded description (its triples, and recursively those of
the blank nodes they reach) together with the hash IRIs of its own document (``<IRI>#source-...``
citations, and any other ``<IRI>#...`` it links to). These functions run in the query workers.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from ..namespaces import ONTOLOGY_GRAPH

__all__ = [
    "INCOMING_LIMIT",
    "incoming_links",
    "ontology_triples",
    "resource_description",
    "triples_matching",
]

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


def ontology_triples(store: ox.Store) -> list[ox.Triple]:
    """The triples of the ontology graph."""
    return triples_matching(store, graph=ox.NamedNode(str(ONTOLOGY_GRAPH)))
