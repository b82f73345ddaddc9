"""The statements a writer writes, prepared once for every format: each graph's statements as pyoxigraph's
N-Triples lines, blank nodes canonically labelled, each statement once, in sorted order.

A store hands its graphs over as N-Triples (:meth:`kgtool.stores.Store.dump_graphs`: Oxigraph's own
serialiser, no Python object per statement); sorting and de-duplicating those lines as bytes costs little,
and only the statements with a blank node are parsed, to relabel their blank nodes by RDFC-1.0 (which
labels a blank node from the statements it is in, so the labels are those of the whole dataset). The order
is that of the lines, except that a subject's ``rdf:type`` comes before its other predicates (Turtle writes
``a`` first, RDF/XML names the element after the type); graphs come in order of their names, the default
graph first. N-Triples and N-Quads are these lines; other formats parse them back into pyoxigraph terms for
pyoxigraph's serialisers (:mod:`kgtool.writers`).

>>> import pyoxigraph as ox
>>> ex = "http://example.org/"
>>> a, b = ox.NamedNode(ex + "a"), ox.BlankNode("x")
>>> rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
>>> ready = SortedStatements.of([ox.Triple(a, ox.NamedNode(ex + "p"), b), ox.Triple(b, rdf_type, a),
...                              ox.Triple(a, rdf_type, ox.NamedNode(ex + "C"))])
>>> print(ready.document(keep_graphs=False).decode(), end="")
<http://example.org/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://example.org/C> .
<http://example.org/a> <http://example.org/p> _:c14n0 .
_:c14n0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://example.org/a> .
"""

from __future__ import annotations

import bisect
from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import Any

import pyoxigraph as ox

__all__ = ["SortedStatements", "ntriples_by_graph", "canonical_statements", "graph_sort_key"]

# A statement's rdf:type predicate as N-Triples writes it (before an IRI: a class), and the byte that stands
# for it while lines are sorted, so that it sorts first (canonical N-Triples escapes every control character,
# so no line holds it). rdf:type as an object is followed by " .", and so never taken for the predicate.
_TYPE_GAP = b" <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
_TYPE_GAP_IRI = _TYPE_GAP + b"<"
_MARK = b"\x00"
_MARK_IRI = _MARK + b"<"


def _lines(data: bytes) -> list[bytes]:
    """An N-Triples document's lines, with the rdf:type mark: line breaks end statements only (N-Triples
    escapes the line breaks of literals)."""
    return data.replace(_TYPE_GAP_IRI, _MARK_IRI).split(b"\n")


def _parse(document: bytes, format: ox.RdfFormat) -> Any:  # noqa: A002
    """Quads read back from N-Triples or N-Quads that pyoxigraph wrote (leniently: its IRIs and language tags
    were checked when they were first read, and checking them again is most of the parsing time)."""
    return ox.parse(document, format, lenient=True)


def _subject(line: bytes) -> bytes:
    """The subject of an N-Triples line, as written (the line may hold the rdf:type mark after it)."""
    return line.split(b" ", 1)[0].split(_MARK, 1)[0]


def graph_sort_key(graph: Any) -> str:
    """The order of graphs: the default graph first, then by name."""
    return "" if isinstance(graph, ox.DefaultGraph) else str(graph)


def ntriples_by_graph(statements: Iterable[Any]) -> dict[Any, bytes]:
    """Pyoxigraph triples (in the default graph) or quads as N-Triples by pyoxigraph's serialiser, by graph,
    each statement once."""
    graphs: dict[Any, dict[ox.Triple, None]] = {}
    for statement in statements:
        if type(statement) is ox.Quad:
            graphs.setdefault(statement.graph_name, {})[statement.triple] = None
        else:
            graphs.setdefault(ox.DefaultGraph(), {})[statement] = None
    return {graph: ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"" for graph, triples in graphs.items()}


def canonical_statements(statements: Iterable[Any]) -> list[Any]:
    """Pyoxigraph triples or quads with their blank nodes relabelled by RDFC-1.0 (``_:c14n0``...): stable
    labels, the same every run and from every store. A triple counts as in the default graph."""
    quads = [s if type(s) is ox.Quad else ox.Quad(s.subject, s.predicate, s.object) for s in statements]
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return list(dataset)


class SortedStatements:
    """Statements ready to write: by graph, as sorted N-Triples lines (see the module).

    Args:
        graphs: each graph's statements as N-Triples, each statement once, by graph name (a pyoxigraph
            ``NamedNode``, or ``DefaultGraph``), as :meth:`kgtool.stores.Store.dump_graphs` gives them.
        canonical: relabel blank nodes by RDFC-1.0; without, they keep their labels (a query's answer).
    """

    def __init__(self, graphs: Mapping[Any, bytes], *, canonical: bool = True) -> None:
        lines: dict[Any, list[bytes]] = {}
        blank: list[ox.Quad] = []
        for graph, data in graphs.items():
            marked = _lines(data)
            if canonical and isinstance(graph, ox.BlankNode):  # a graph named by a blank node: all its statements
                with_blank, marked = marked, []
            elif canonical and b"_:" in data:  # (or in a literal: parsed, then seen to have no blank node)
                with_blank = [line for line in marked if b"_:" in line]
                marked = [line for line in marked if b"_:" not in line]
            else:
                with_blank = []
            if with_blank:
                text = b"\n".join([*with_blank, b""]).replace(_MARK, _TYPE_GAP)
                blank += [
                    ox.Quad(t.subject, t.predicate, t.object, graph) for t in _parse(text, ox.RdfFormat.N_TRIPLES)
                ]
            lines[graph] = marked
        if blank:
            for graph, data in ntriples_by_graph(canonical_statements(blank)).items():
                lines[graph] += _lines(data)
        self._lines = {}
        for graph, found in lines.items():
            found.sort()
            first = bisect.bisect_right(found, b"")  # the empty lines (after the last line break) sort first
            if first < len(found):
                self._lines[graph] = found[first:]
        self._found: dict[tuple[bool, bool], list[tuple[Any, list[bytes]]]] = {}
        # the graphs where a statement may have a blank node (or a literal hold "_:")
        self._with_blank = {graph for graph, data in graphs.items() if b"_:" in data} | {q.graph_name for q in blank}

    @classmethod
    def of(cls, statements: Iterable[Any], *, canonical: bool = True) -> SortedStatements:
        """Pyoxigraph triples (in the default graph) or quads, prepared."""
        return cls(ntriples_by_graph(statements), canonical=canonical)

    @property
    def graphs(self) -> list[Any]:
        """The names of the graphs that hold statements, in order."""
        return sorted(self._lines, key=graph_sort_key)

    def _groups(self, keep_graphs: bool, blank_only: bool) -> list[tuple[Any, list[bytes]]]:
        """(graph, its lines) in order; without ``keep_graphs``, one group: the union, in the default graph."""
        found = self._found.get((keep_graphs, blank_only))
        if found is None:
            found = self._found[keep_graphs, blank_only] = self._group(keep_graphs, blank_only)
        return found

    def _group(self, keep_graphs: bool, blank_only: bool) -> list[tuple[Any, list[bytes]]]:
        lines_of = self._lines
        if blank_only:  # only in the graphs where there may be one
            lines_of = {g: [line for line in lines_of[g] if b"_:" in line] for g in self._with_blank if g in lines_of}
        if keep_graphs:
            return [(graph, lines_of[graph]) for graph in self.graphs if graph in lines_of]
        groups = [lines for lines in lines_of.values() if lines]
        union = groups[0] if len(groups) == 1 else sorted(set().union(*groups))
        return [(ox.DefaultGraph(), union)] if union else []

    def document(self, *, keep_graphs: bool, blank_only: bool = False, except_subjects: Collection[str] = ()) -> bytes:
        """The statements as N-Quads (each graph in turn) or, without ``keep_graphs``, as N-Triples (the union
        of the graphs, each triple once): with ``blank_only``, only the statements with a blank node (and
        perhaps a few whose literal holds ``_:``); without those whose subject is a blank node labelled as in
        ``except_subjects``."""
        chunks = []
        for graph, chunk in self._documents(keep_graphs, blank_only, except_subjects):
            if not isinstance(graph, ox.DefaultGraph):  # each line ends " .": the graph name goes before
                chunk = chunk.replace(b" .\n", b" " + str(graph).encode("utf-8") + b" .\n")
            chunks.append(chunk)
        return b"".join(chunks)

    def _documents(
        self, keep_graphs: bool, blank_only: bool, except_subjects: Collection[str]
    ) -> Iterator[tuple[Any, bytes]]:
        """Each graph (in order) and its statements as N-Triples, as :meth:`document` selects them."""
        skip = {b"_:" + label.encode("utf-8") for label in except_subjects}
        for graph, lines in self._groups(keep_graphs, blank_only):
            if skip:  # statements about blank nodes sort last (after every IRI, "<")
                first = bisect.bisect_left(lines, b"_:")
                lines = lines[:first] + [line for line in lines[first:] if _subject(line) not in skip]
            if lines:
                yield graph, b"\n".join([*lines, b""]).replace(_MARK, _TYPE_GAP)

    def triples_by_graph(self, *, except_subjects: Collection[str] = ()) -> Iterator[tuple[Any, Iterator[ox.Quad]]]:
        """Each graph (in order) and its statements of :meth:`statements` (with ``keep_graphs``), parsed as
        they are read, in the default graph: a writer that writes graph by graph need not read each
        statement's graph name back."""
        for graph, chunk in self._documents(True, False, except_subjects):
            yield graph, iter(_parse(chunk, ox.RdfFormat.N_TRIPLES))

    def statements(
        self, *, keep_graphs: bool, blank_only: bool = False, except_subjects: Collection[str] = ()
    ) -> Iterator[ox.Quad]:
        """The statements of :meth:`document` as pyoxigraph quads, in order, as they are parsed (a writer that
        streams them on keeps no list of them): in their graphs (with ``keep_graphs``), or the union in the
        default graph (which pyoxigraph writes as triples)."""
        document = self.document(keep_graphs=keep_graphs, blank_only=blank_only, except_subjects=except_subjects)
        return iter(_parse(document, ox.RdfFormat.N_QUADS))
