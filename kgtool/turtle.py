"""A Turtle and TriG writer that reads like hand-written Turtle: RDF lists as ``( ... )`` and blank nodes
used once as ``[ ... ]``.

Oxigraph's writer (used for the other formats) writes every blank node with a label and every list as
its ``rdf:first``/``rdf:rest`` chain, so an OWL ``owl:unionOf`` or a SHACL ``sh:in`` reads as a puzzle.
This writer nests them, and is deterministic: subjects, predicates and objects are written in a fixed
order, whatever order the triples come in. Terms are pyoxigraph terms.

>>> import pyoxigraph as ox
>>> ex = "http://example.org/"
>>> head, rest = ox.BlankNode("l1"), ox.BlankNode("l2")
>>> nil = ox.NamedNode(RDF + "nil")
>>> triples = [ox.Triple(ox.NamedNode(ex + "C"), ox.NamedNode(OWL + "unionOf"), head),
...            ox.Triple(head, ox.NamedNode(RDF + "first"), ox.NamedNode(ex + "A")),
...            ox.Triple(head, ox.NamedNode(RDF + "rest"), rest),
...            ox.Triple(rest, ox.NamedNode(RDF + "first"), ox.NamedNode(ex + "B")),
...            ox.Triple(rest, ox.NamedNode(RDF + "rest"), nil)]
>>> print(turtle_bytes(triples, {"ex": ex, "owl": OWL}).decode())
@prefix ex: <http://example.org/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
<BLANKLINE>
ex:C owl:unionOf ( ex:A ex:B ) .
<BLANKLINE>
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

import pyoxigraph as ox

__all__ = ["turtle_bytes", "trig_bytes", "RDF", "OWL"]

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
OWL = "http://www.w3.org/2002/07/owl#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_TYPE, _FIRST, _REST, _NIL = RDF + "type", RDF + "first", RDF + "rest", RDF + "nil"
# A conservative PN_LOCAL: names that every Turtle parser reads without escapes.
_LOCAL = re.compile(r"^(?:[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?)?$")
# The lexical forms Turtle writes without quotes (its INTEGER, DECIMAL and BOOLEAN productions).
_BARE = {
    _XSD + "integer": re.compile(r"^[+-]?[0-9]+$"),
    _XSD + "decimal": re.compile(r"^[+-]?[0-9]*\.[0-9]+$"),
    _XSD + "boolean": re.compile(r"^(?:true|false)$"),
}
_INDENT = "    "


def _sort_key(term: object) -> tuple[int, str]:
    kind = 0 if isinstance(term, ox.NamedNode) else 1 if isinstance(term, ox.BlankNode) else 2
    return kind, str(term)


class _Writer:
    def __init__(self, triples: Iterable[ox.Triple], prefixes: Mapping[str, str]) -> None:
        # longest namespace first, so that the most specific prefix wins
        self.prefixes = sorted(prefixes.items(), key=lambda item: (-len(item[1]), item[0]))
        self.by_namespace = {namespace: prefix for prefix, namespace in reversed(sorted(prefixes.items()))}
        self._iris: dict[str, str] = {}
        self._literals: dict[object, str] = {}
        self.used: set[str] = set()
        by_subject: dict[object, dict[ox.NamedNode, set]] = defaultdict(lambda: defaultdict(set))
        references: Counter = Counter()
        for t in triples:
            by_subject[t.subject][t.predicate].add(t.object)
            if isinstance(t.object, ox.BlankNode):
                references[t.object] += 1
        self.subjects = by_subject
        self.references = references
        self.lists = self._find_lists(references)
        members = {node for head in self.lists for node in self._chain(head)[1]}
        inline = {
            node for node, count in references.items() if count == 1 and node in by_subject and node not in members
        }
        self.inline = self._reachable(inline, members)
        self.members = members

    def _chain(self, head: object) -> tuple[list[object], list[object]]:
        """The items and nodes of the list starting at ``head`` (valid only for detected lists)."""
        items, nodes, node = [], [], head
        while not (isinstance(node, ox.NamedNode) and node.value == _NIL):
            nodes.append(node)
            properties = self.subjects[node]
            items.append(next(iter(properties[ox.NamedNode(_FIRST)])))
            node = next(iter(properties[ox.NamedNode(_REST)]))
        return items, nodes

    def _find_lists(self, references: Counter) -> set[object]:
        """The blank nodes that head a well-formed list: every node of the chain has exactly one rdf:first
        and one rdf:rest and nothing else, is referenced exactly once, and the chain ends in rdf:nil."""
        first, rest = ox.NamedNode(_FIRST), ox.NamedNode(_REST)
        nodes = set()
        for node, properties in self.subjects.items():
            if (
                isinstance(node, ox.BlankNode)
                and set(properties) == {first, rest}
                and len(properties[first]) == 1
                and len(properties[rest]) == 1
                and references[node] == 1
            ):
                nodes.add(node)
        pointed = {next(iter(self.subjects[n][rest])) for n in nodes}
        heads: set[object] = set()
        for node in nodes - pointed:
            seen, current = set(), node
            while current in nodes and current not in seen:
                seen.add(current)
                current = next(iter(self.subjects[current][rest]))
            if isinstance(current, ox.NamedNode) and current.value == _NIL:
                heads.add(node)
        return heads

    def _reachable(self, inline: set[object], members: set[object]) -> set[object]:
        """Inline blank nodes that a written subject reaches; one in a cycle of its own is written with a label."""
        inline = set(inline)
        while True:
            reached: set[object] = set()
            todo = [
                o
                for s, properties in self.subjects.items()
                if s not in inline and s not in members
                for objects in properties.values()
                for o in objects
            ]
            while todo:
                term = todo.pop()
                if term in self.lists:
                    todo.extend(self._chain(term)[0])
                elif term in inline and term not in reached:
                    reached.add(term)
                    todo.extend(o for objects in self.subjects[term].values() for o in objects)
            lost = inline - reached
            if not lost:
                return inline
            inline.discard(min(lost, key=_sort_key))

    # -- terms

    def term(self, term: object, depth: int) -> str:
        kind = type(term)
        if kind is ox.NamedNode:
            return self.iri(term.value)  # type: ignore[attr-defined]
        if kind is ox.Literal:
            written = self._literals.get(term)
            if written is None:
                written = self._literals[term] = self.literal(term)  # type: ignore[arg-type]
            return written
        if isinstance(term, ox.BlankNode):
            if term in self.lists:
                items, _ = self._chain(term)
                return "( " + " ".join(self.term(i, depth) for i in items) + " )" if items else "()"
            if term in self.inline:
                return self.block(term, depth + 1, nested=True)
            return f"_:{term.value}"
        if isinstance(term, ox.Literal):
            return self.literal(term)
        return str(term)

    def iri(self, value: str) -> str:
        written = self._iris.get(value)
        if written is None:
            written = self._iris[value] = self._prefixed(value) or str(ox.NamedNode(value))
        return written

    def _prefixed(self, value: str) -> str | None:
        cut = max(value.rfind("#"), value.rfind("/")) + 1  # most namespaces end at the last # or /
        prefix = self.by_namespace.get(value[:cut])
        if prefix is not None and _LOCAL.match(value[cut:]):
            self.used.add(prefix)
            return f"{prefix}:{value[cut:]}"
        for prefix, namespace in self.prefixes:
            if value.startswith(namespace) and _LOCAL.match(value[len(namespace) :]):
                self.used.add(prefix)
                return f"{prefix}:{value[len(namespace) :]}"
        return None

    def literal(self, literal: ox.Literal) -> str:
        if literal.language:
            return str(literal)
        datatype = literal.datatype.value
        if datatype == _XSD + "string":
            return str(literal)
        bare = _BARE.get(datatype)
        if bare is not None and bare.match(literal.value):
            return literal.value
        return f"{ox.Literal(literal.value)}^^{self.iri(datatype)}"

    # -- statements

    def block(self, subject: object, depth: int, *, nested: bool = False) -> str:
        properties = self.subjects[subject]
        indent = _INDENT * depth
        parts = []
        for predicate in sorted(properties, key=lambda p: (p.value != _TYPE, _sort_key(p))):
            verb = "a" if predicate.value == _TYPE else self.iri(predicate.value)
            values = properties[predicate]
            objects = sorted(values, key=_sort_key) if len(values) > 1 else list(values)
            parts.append(f"{verb} " + " , ".join(self.term(o, depth) for o in objects))
        if nested:
            return "[ " + f" ;\n{indent}".join(parts) + " ]"
        return f" ;\n{indent}".join(parts)

    def statements(self, depth: int = 0) -> list[str]:
        out = []
        for subject in sorted(self.subjects, key=_sort_key):
            if subject in self.inline or subject in self.members:
                continue
            if isinstance(subject, ox.BlankNode) and not self.references[subject]:
                out.append(_INDENT * depth + self.block(subject, depth + 1, nested=True) + " .")  # [ ... ] .
                continue
            head = self.term(subject, depth) if not isinstance(subject, ox.BlankNode) else f"_:{subject.value}"
            out.append(_INDENT * depth + f"{head} {self.block(subject, depth + 1)} .")
        return out


def _header(prefixes: Mapping[str, str], used: set[str]) -> str:
    lines = [f"@prefix {p}: <{ns}> ." for p, ns in sorted(prefixes.items()) if p in used]
    return "\n".join(lines) + "\n\n" if lines else ""


def turtle_bytes(triples: Iterable[ox.Triple], prefixes: Mapping[str, str] | None = None) -> bytes:
    """The triples as Turtle, with the ``prefixes`` (name -> namespace) that are used declared first."""
    prefixes = dict(prefixes or {})
    writer = _Writer(triples, prefixes)
    body = writer.statements()
    text = "\n".join(body) + "\n" if body else ""
    return (_header(prefixes, writer.used) + text).encode("utf-8")


def trig_bytes(quads: Iterable[ox.Quad], prefixes: Mapping[str, str] | None = None) -> bytes:
    """The quads as TriG: the default graph's triples first, then each named graph in a ``{ ... }`` block."""
    prefixes = dict(prefixes or {})
    graphs: dict[object, list[ox.Triple]] = defaultdict(list)
    for q in quads:
        graphs[q.graph_name].append(ox.Triple(q.subject, q.predicate, q.object))
    used: set[str] = set()
    chunks = []
    for name in sorted(graphs, key=lambda g: (not isinstance(g, ox.DefaultGraph), _sort_key(g))):
        writer = _Writer(graphs[name], prefixes)
        if isinstance(name, ox.DefaultGraph):
            chunks.append("\n".join(writer.statements()) + "\n")
        else:
            label = writer.term(name, 0)
            chunks.append(f"{label} {{\n" + "\n".join(writer.statements(1)) + "\n}\n")
        used |= writer.used
    return (_header(prefixes, used) + "".join(chunks)).encode("utf-8")
