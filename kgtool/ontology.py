"""Terms that the ontology defines once and the compiler and queries read from it.

The event types are the subclasses of ``sz:ReclassificationEvent`` in ``ontology/sz20plus8.ttl``, each
with its ``sz:slug`` (the word authors write in ``events-VERSION.toml`` and queries answer with) and its
``sz:listOrder``. Nothing else lists them: adding an event type is adding a class there.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import DataError
from .namespaces import BASE

if TYPE_CHECKING:
    from rdflib import Graph, URIRef

_SZ = BASE + "def#"
_SUBCLASS_OF = "http://www.w3.org/2000/01/rdf-schema#subClassOf"

__all__ = ["event_types", "event_type_iris", "ontology_graph", "read_turtle"]


def read_turtle(path: Path) -> Graph:
    """A new graph parsed from the Turtle file ``path`` (the ontology, the shapes).

    Raises:
        DataError: naming the file, and the line and cause of a syntax error.
    """
    from rdflib import Graph
    from rdflib.plugins.parsers.notation3 import BadSyntax

    from .utf8 import read_utf8

    graph = Graph()
    try:
        read_utf8(path)  # a file that is not UTF-8 is named with its line
        graph.parse(path, format="turtle")
    except FileNotFoundError:
        raise DataError(path, None, "no such file") from None
    except BadSyntax as error:
        raise DataError(path, error.lines + 1, f"Turtle syntax: {error._why}") from None  # noqa: SLF001
    return graph


@cache
def ontology_graph(path: Path | None = None) -> Graph:
    """The ontology as parsed from ``path`` (default: the project's ``ontology/sz20plus8.ttl``), cached: a
    graph to read, never to change (:func:`read_turtle` gives a fresh one)."""
    from .paths import project_paths

    return read_turtle(path or project_paths().ontology_file)


@cache
def event_type_iris(path: Path | None = None) -> dict[str, str]:
    """The event types: slug -> event class IRI (a plain string: the query path needs no rdflib), in the
    ontology's list order.

    >>> event_type_iris()["merged"]
    'https://w3id.org/sz20plus8/def#Merger'

    Raises:
        DataError: an event class without a slug or an order, or two with the same slug.
    """
    import pyoxigraph as ox

    from .paths import project_paths

    file = path or project_paths().ontology_file
    # Read with Oxigraph's parser (a tenth of rdflib's time: the compiler and queries need only these few
    # triples); a file it cannot read is read again by read_turtle, which names the line and cause.
    try:
        triples = list(ox.parse(path=str(file), format=ox.RdfFormat.TURTLE))
    except (SyntaxError, OSError, ValueError):
        read_turtle(file)
        raise
    subclass, slug_of, order_of = _SUBCLASS_OF, _SZ + "slug", _SZ + "listOrder"
    classes = [
        t.subject.value
        for t in triples
        if t.predicate.value == subclass
        and isinstance(t.subject, ox.NamedNode)
        and t.object == ox.NamedNode(_SZ + "ReclassificationEvent")
    ]
    values: dict[tuple[str, str], str] = {
        (t.subject.value, t.predicate.value): t.object.value
        for t in triples
        if isinstance(t.subject, ox.NamedNode)
        and t.predicate.value in (slug_of, order_of)
        and isinstance(t.object, ox.Literal)
    }
    found: list[tuple[int, str, str]] = []
    for cls in classes:
        slug, order = values.get((cls, slug_of)), values.get((cls, order_of))
        if slug is None or order is None:
            raise DataError(file, None, f"event class {cls} needs a sz:slug and a sz:listOrder")
        found.append((int(order), slug, cls))
    slugs = [slug for _, slug, _ in found]
    if len(set(slugs)) != len(slugs):
        raise DataError(file, None, f"two event classes share a sz:slug: {slugs}")
    return {slug: cls for _, slug, cls in sorted(found)}


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
    from rdflib import URIRef

    return {slug: URIRef(iri) for slug, iri in event_type_iris(path).items()}
