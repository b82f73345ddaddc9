"""The data of the shapes page: the SHACL shapes graph (``ontology/shapes.ttl``, served at ``/shapes``)
documented shape by shape, each with its labelled properties, nested nodes and lists written out.

The shapes are read by the library (:func:`kgtool.validate.shapes_triples`, the triples ``/shapes`` serves
as RDF), the names of the terms they use from the graph (the named query ``labels``, :class:`Names`).
"""

from __future__ import annotations

from typing import Any

from ..graph import KnowledgeGraph
from ..namespaces import PREFIXES, SHAPES_IRI
from .links import curie
from .names import Names, language_key

__all__ = ["shapes", "SHAPE_KINDS"]

_RDF = PREFIXES["rdf"]
_SH = "http://www.w3.org/ns/shacl#"
#: The groups of the shapes page, by the i18n key of their heading: the classes of their members.
SHAPE_KINDS = (("node_shapes", (_SH + "NodeShape",)), ("property_shapes", (_SH + "PropertyShape",)))
#: Predicates shown first, in this order (the rest by their prefixed name).
_FIRST = (
    _RDF + "type",
    PREFIXES["skos"] + "prefLabel",
    PREFIXES["rdfs"] + "label",
    PREFIXES["dcterms"] + "title",
    "http://xmlns.com/foaf/0.1/name",
    PREFIXES["skos"] + "altLabel",
)
_MAX_DEPTH = 8


def shapes(kg: KnowledgeGraph) -> dict[str, Any]:
    """The shapes graph: its own description, then every shape (``szsh:`` term) by kind, each with its
    properties (values named in English and Chinese, blank nodes nested, RDF lists as lists)."""
    import pyoxigraph as ox

    from ..validate import shapes_triples

    iri = str(SHAPES_IRI)
    namespace = iri + "#"
    by_subject: dict[str, list[Any]] = {}
    nested: dict[str, list[Any]] = {}
    for t in shapes_triples(kg.paths):
        if isinstance(t.subject, ox.BlankNode):
            nested.setdefault(t.subject.value, []).append(t)
        elif isinstance(t.subject, ox.NamedNode):
            by_subject.setdefault(t.subject.value, []).append(t)
    names = Names(kg)
    for ts in by_subject.values():  # the shapes' own labels (the shapes graph is not in the store)
        for t in ts:
            if t.predicate.value in _FIRST[1:5] and isinstance(t.object, ox.Literal):
                own = names.labels.setdefault(t.subject.value, {})
                own.setdefault(language_key(t.object.language), t.object.value)
    writer = _Writer(nested, names)
    groups: dict[str, list[dict[str, Any]]] = {key: [] for key, _ in SHAPE_KINDS}
    groups["other_terms"] = []
    for term in sorted(s for s in by_subject if s.startswith(namespace) and len(s) > len(namespace)):
        types = {t.object.value for t in by_subject[term] if t.predicate.value == _RDF + "type"}
        key = next((k for k, classes in SHAPE_KINDS if types & set(classes)), "other_terms")
        local = term[len(namespace) :]
        groups[key].append({"local": local, "curie": "szsh:" + local, "rows": writer.rows(by_subject[term])})
    return {
        "node": names.node(iri),
        "header": writer.rows(by_subject.get(iri, [])),
        "groups": [{"key": key, "terms": terms} for key, terms in groups.items() if terms],
    }


class _Writer:
    """Triples as rows of a property table: each predicate with its values, named."""

    def __init__(self, nested: dict[str, list[Any]], names: Names) -> None:
        self.nested = nested
        self.names = names

    def rows(self, triples: list[Any], depth: int = 0) -> list[dict[str, Any]]:
        by_predicate: dict[str, list[Any]] = {}
        for t in triples:
            by_predicate.setdefault(t.predicate.value, []).append(t.object)
        order = sorted(by_predicate, key=lambda p: (_FIRST.index(p), "") if p in _FIRST else (len(_FIRST), curie(p)))
        return [{"predicate": self.node(p), "values": [self.value(v, depth) for v in by_predicate[p]]} for p in order]

    def node(self, iri: str) -> dict[str, Any]:
        return {**self.names.node(iri), "curie": curie(iri), "named": iri in self.names.labels}

    def value(self, term: Any, depth: int) -> dict[str, Any]:
        import pyoxigraph as ox

        if isinstance(term, ox.NamedNode):
            return {"node": self.node(term.value)}
        if isinstance(term, ox.Literal):
            datatype = term.datatype.value if not term.language else ""
            plain = datatype in ("", PREFIXES["xsd"] + "string")
            return {"text": term.value, "lang": term.language or "", "datatype": "" if plain else curie(datatype)}
        inner = self.nested.get(getattr(term, "value", ""), [])
        if not inner or depth > _MAX_DEPTH:
            return {"text": f"_:{term.value}", "lang": "", "datatype": ""}
        members = self._list(term)
        if members is not None:
            return {"list": [self.value(m, depth + 1) for m in members]}
        return {"rows": self.rows(inner, depth + 1)}

    def _list(self, node: Any) -> list[Any] | None:
        """The members of an RDF list starting at ``node``, or None when it is not one."""
        import pyoxigraph as ox

        members: list[Any] = []
        current = node
        for _ in range(10_000):
            if isinstance(current, ox.NamedNode) and current.value == _RDF + "nil":
                return members
            if not isinstance(current, ox.BlankNode):
                return None
            props = {t.predicate.value: t.object for t in self.nested.get(current.value, [])}
            if set(props) != {_RDF + "first", _RDF + "rest"}:
                return None
            members.append(props[_RDF + "first"])
            current = props[_RDF + "rest"]
        return None
