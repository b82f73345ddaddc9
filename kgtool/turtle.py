"""Turtle and TriG that read like hand-written Turtle: pyoxigraph's writer, with RDF lists written as
``( ... )`` and blank nodes used once as ``[ ... ]``.

pyoxigraph writes every blank node with a label and every list as its ``rdf:first``/``rdf:rest`` chain, so
an OWL ``owl:unionOf`` or a SHACL ``sh:in`` would read as a puzzle. :func:`write_turtle` lets pyoxigraph
write every statement whose subject is not such a node, then writes each of these nodes in the place of its
one reference; only the statements with a blank node are looked at in Python. It declares the prefixes the
document uses, sorted, and keeps the order of the statements (:class:`~kgtool.statements.SortedStatements`).

>>> import pyoxigraph as ox
>>> from kgtool import formats
>>> from kgtool.statements import SortedStatements
>>> ex = "http://example.org/"
>>> head, rest = ox.BlankNode("l1"), ox.BlankNode("l2")
>>> nil = ox.NamedNode(RDF + "nil")
>>> triples = [ox.Triple(ox.NamedNode(ex + "C"), ox.NamedNode(OWL + "unionOf"), head),
...            ox.Triple(head, ox.NamedNode(RDF + "first"), ox.NamedNode(ex + "A")),
...            ox.Triple(head, ox.NamedNode(RDF + "rest"), rest),
...            ox.Triple(rest, ox.NamedNode(RDF + "first"), ox.NamedNode(ex + "B")),
...            ox.Triple(rest, ox.NamedNode(RDF + "rest"), nil)]
>>> ready = SortedStatements.of(triples, canonical=False)
>>> print(write_turtle(formats.get("ttl"), ready, prefixes={"ex": ex, "owl": OWL}).decode())
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
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

if TYPE_CHECKING:
    from .formats import Format
    from .statements import SortedStatements

__all__ = ["write_turtle", "RDF", "OWL"]

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
# A blank node written by pyoxigraph in object position (after a predicate or a comma).
_BLANK_OBJECT = re.compile(rb" _:(\S+)")
# pyoxigraph indents with tabs: a subject's further predicates one tab in, a named graph's statements too.
_INDENT = "\t"


def _sort_key(term: object) -> tuple[int, str]:
    kind = 0 if isinstance(term, ox.NamedNode) else 1 if isinstance(term, ox.BlankNode) else 2
    return kind, str(term)


def write_turtle(
    fmt: Format, ready: SortedStatements, *, prefixes: Mapping[str, str] | None = None, **_options: Any
) -> bytes:
    """The statements as Turtle (the union of the graphs) or TriG (each named graph in a ``{ ... }`` block),
    in order, by pyoxigraph's writer; lists and blank nodes used once are then written in place, and the
    ``prefixes`` (name -> namespace) that are used are declared first."""
    prefixes = dict(prefixes or {})
    keep_graphs = fmt.keeps_graphs
    by_graph: dict[object, list[ox.Triple]] = defaultdict(list)
    for s in ready.statements(keep_graphs=keep_graphs, blank_only=True):
        if isinstance(s.subject, ox.BlankNode) or isinstance(s.object, ox.BlankNode):
            by_graph[s.graph_name].append(s.triple)
    # A blank node in two graphs is the same node in both: nested in one, it would be two nodes.
    graphs_of: Counter = Counter(
        node for triples in by_graph.values() for node in {t for s in triples for t in (s.subject, s.object)}
    )
    shared: set[object] = {node for node, count in graphs_of.items() if count > 1 and isinstance(node, ox.BlankNode)}
    nestings = {graph: _Nesting(triples, prefixes, shared) for graph, triples in by_graph.items()}
    nested = {node.value for nesting in nestings.values() for node in nesting.nested}  # type: ignore[attr-defined]
    if keep_graphs:  # graph by graph: no graph name per statement to write out and read back
        body = b"".join(
            _graph_block(graph, _written(triples, fmt.oxigraph_format, prefixes), prefixes)
            for graph, triples in ready.triples_by_graph(except_subjects=nested)
        )
    else:
        body = _written(ready.statements(keep_graphs=False, except_subjects=nested), fmt.oxigraph_format, prefixes)
    used: set[str] = set()
    if nested:
        body = _write_in_place(body, nestings, used)
    used |= {p for p in prefixes if _uses(body, p)}
    header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(prefixes.items()) if p in used)
    return (header + "\n").encode("utf-8") + body if header else body


def _written(statements: Iterable[ox.Quad], rdf_format: ox.RdfFormat, prefixes: dict[str, str]) -> bytes:
    """The statements as pyoxigraph writes them in ``rdf_format``, without its prefix declarations."""
    body = ox.serialize(statements, format=rdf_format, prefixes=prefixes) or b""
    start = 0
    while body.startswith(b"@prefix ", start):  # pyoxigraph declares every prefix given: declared below, if used
        start = body.index(b"\n", start) + 1
    return body[start:]


def _graph_block(graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph, body: bytes, prefixes: dict[str, str]) -> bytes:
    """A graph's statements, written in the default graph (``body``), as TriG writes them in that graph: in a
    ``{ ... }`` block after the graph's name (named as pyoxigraph names it), every line one tab in."""
    if isinstance(graph, ox.DefaultGraph) or not body:
        return body
    probe = ox.Quad(ox.NamedNode(_NIL), ox.NamedNode(_NIL), ox.NamedNode(_NIL), graph)
    head = _written([probe], ox.RdfFormat.TRIG, prefixes).split(b"\n", 1)[0]  # "NAME {"
    indent = _INDENT.encode("ascii")
    return head + b"\n" + indent + body[:-1].replace(b"\n", b"\n" + indent) + b"\n}\n"


def _uses(body: bytes, prefix: str) -> bool:
    """Whether pyoxigraph wrote a prefixed name of ``prefix`` (a false yes only in a literal's text)."""
    name = prefix.encode("utf-8") + b":"
    at = body.find(name)
    while at != -1:
        if at == 0 or body[at - 1] in b" \t\n^":  # a token starts there (a subject, predicate, object, datatype)
            return True
        at = body.find(name, at + 1)
    return False


def _write_in_place(body: bytes, nestings: Mapping[object, _Nesting], used: set[str]) -> bytes:
    """``body`` with each reference to a nested blank node replaced by the node written in place."""
    written: dict[str, tuple[_Nesting, ox.BlankNode, str]] = {}
    for graph, nesting in nestings.items():
        indent = _INDENT if isinstance(graph, ox.NamedNode | ox.BlankNode) else ""  # a named graph's block
        for node in nesting.referenced_from_statements():
            written[node.value] = (nesting, node, indent + _INDENT)
    out, done = [], 0
    for match in _BLANK_OBJECT.finditer(body):
        label = match.group(1).decode("utf-8")
        if label not in written or _in_string(body[body.rfind(b"\n", 0, match.start()) + 1 : match.start()]):
            continue
        nesting, node, indent = written.pop(label)
        out += [body[done : match.start() + 1], nesting.term(node, indent).encode("utf-8")]
        done = match.end()
        used |= nesting.used
    if written:  # never expected: a node not found would lose its statements
        raise RuntimeError(f"blank node(s) {sorted(written)} not found where pyoxigraph wrote them")
    out.append(body[done:])
    return b"".join(out)


def _in_string(line: bytes) -> bool:
    """Whether the end of ``line`` (as pyoxigraph writes it: literals on one line) is inside a quoted string."""
    inside = escaped = False
    for byte in line:
        if escaped:
            escaped = False
        elif inside and byte == 0x5C:  # a backslash escapes what follows
            escaped = True
        elif byte == 0x22:  # a quote opens or closes
            inside = not inside
    return inside


class _Nesting:
    """Which blank nodes of one graph are written in place, and how: ``triples`` are the graph's statements
    that have a blank node (as subject or object)."""

    def __init__(self, triples: Iterable[ox.Triple], prefixes: Mapping[str, str], shared: set[object]) -> None:
        # longest namespace first, so that the most specific prefix wins
        self.prefixes = sorted(prefixes.items(), key=lambda item: (-len(item[1]), item[0]))
        self.by_namespace = {namespace: prefix for prefix, namespace in reversed(sorted(prefixes.items()))}
        self._iris: dict[str, str] = {}
        self.used: set[str] = set()
        by_subject: dict[object, dict[ox.NamedNode, set]] = defaultdict(lambda: defaultdict(set))
        references: Counter = Counter()
        for t in triples:
            by_subject[t.subject][t.predicate].add(t.object)
            if isinstance(t.object, ox.BlankNode):
                references[t.object] += 1
        for node in shared:  # written with its label
            references[node] += 2
        self.subjects = by_subject
        self.references = references
        self.lists = self._find_lists(references)
        members = {node for head in self.lists for node in self._chain(head)[1]}
        inline = {
            node for node, count in references.items() if count == 1 and node in by_subject and node not in members
        }
        self.inline = self._reachable(inline, members)
        self.members = members
        #: The blank nodes whose statements are written in place, not by pyoxigraph.
        self.nested = self.inline | self.members

    def referenced_from_statements(self) -> list[ox.BlankNode]:
        """The nested nodes that a statement pyoxigraph writes refers to (the others are inside them)."""
        return [
            o
            for s, properties in self.subjects.items()
            if s not in self.nested
            for objects in properties.values()
            for o in objects
            if o in self.lists or o in self.inline
        ]

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

    def term(self, term: object, indent: str) -> str:
        """``term`` as Turtle; a nested node's further predicates on lines indented by ``indent`` and a tab."""
        if isinstance(term, ox.NamedNode):
            return self.iri(term.value)
        if isinstance(term, ox.Literal):
            return self.literal(term)
        if isinstance(term, ox.BlankNode):
            if term in self.lists:
                items, _ = self._chain(term)
                return "( " + " ".join(self.term(i, indent) for i in items) + " )" if items else "()"
            if term in self.inline:
                return self.block(term, indent + _INDENT)
            return f"_:{term.value}"
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

    def block(self, subject: object, indent: str) -> str:
        """A nested node as ``[ p o ; ... ]``: ``rdf:type`` first, then by predicate, objects sorted."""
        properties = self.subjects[subject]
        parts = []
        for predicate in sorted(properties, key=lambda p: (p.value != _TYPE, _sort_key(p))):
            verb = "a" if predicate.value == _TYPE else self.iri(predicate.value)
            values = properties[predicate]
            objects = sorted(values, key=_sort_key) if len(values) > 1 else list(values)
            parts.append(f"{verb} " + " , ".join(self.term(o, indent) for o in objects))
        return "[ " + f" ;\n{indent}".join(parts) + " ]"
