"""Terms that the ontology defines once and the compiler and queries read from it.

The event types are the subclasses of ``sz:ReclassificationEvent`` in ``ontology/sz20plus8.ttl``, each
with its ``sz:slug`` (the word authors write in ``events-VERSION.toml`` and queries answer with) and its
``sz:listOrder``. Nothing else lists them: adding an event type is adding a class there.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from .errors import DataError
from .namespaces import SZ

__all__ = ["event_types", "ontology_graph"]


@cache
def ontology_graph(path: Path | None = None) -> Graph:
    """The ontology as parsed from ``path`` (default: the project's ``ontology/sz20plus8.ttl``), cached."""
    from .paths import project_paths

    path = path or project_paths().ontology_file
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except FileNotFoundError:
        raise DataError(path, None, "no such file") from None
    return graph


@cache
def event_types(path: Path | None = None) -> dict[str, URIRef]:
    """The event types: slug -> event class, in the ontology's list order.

    >>> list(event_types())[:3]
    ['added', 'elevated', 'merged']
    >>> event_types()["merged"]
    rdflib.term.URIRef('https://w3id.org/sz20plus8/def#Merger')

    Raises:
        DataError: an event class without a slug or an order, or two with the same slug.
    """
    graph = ontology_graph(path)
    found: list[tuple[int, str, URIRef]] = []
    for cls in graph.subjects(RDFS.subClassOf, SZ.ReclassificationEvent):
        slug, order = graph.value(cls, SZ.slug), graph.value(cls, SZ.listOrder)
        if not isinstance(slug, Literal) or not isinstance(order, Literal):
            raise DataError(
                path or Path("ontology/sz20plus8.ttl"), None, f"event class {cls} needs a sz:slug and a sz:listOrder"
            )
        found.append((int(order), str(slug), URIRef(str(cls))))
    slugs = [slug for _, slug, _ in found]
    if len(set(slugs)) != len(slugs):
        raise DataError(path or Path("ontology/sz20plus8.ttl"), None, f"two event classes share a sz:slug: {slugs}")
    return {slug: cls for _, slug, cls in sorted(found)}
