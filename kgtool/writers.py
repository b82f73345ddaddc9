"""The writers the format registry names (:attr:`kgtool.formats.Format.writer`): pyoxigraph's serialiser for
RDF, and kgtool's writers of SPARQL results.

Every writer takes the :class:`~kgtool.formats.Format` it writes first, then what it writes. An RDF writer
takes :class:`~kgtool.statements.SortedStatements` (canonical blank node labels, sorted, each once) and the
keyword options ``prefixes``, ``context`` and ``only_used`` (each writer uses those that apply to it); a
results writer takes variable names and rows of pyoxigraph terms (``None`` where unbound). Results are
written here rather than by pyoxigraph because a capped answer (``max_rows``) is a list of rows, which
pyoxigraph cannot serialise; the output reads back through pyoxigraph's parsers unchanged.

>>> import pyoxigraph as ox
>>> from kgtool import formats
>>> row = (ox.NamedNode("http://example.org/a"), ox.Literal("1", datatype=ox.NamedNode(XSD_INTEGER)), None)
>>> print(formats.get("csv", "results").write(["s", "n", "x"], [row]).decode(), end="")
s,n,x
http://example.org/a,1,
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .formats import Format
    from .statements import SortedStatements

__all__ = [
    "write_lines",
    "write_with_oxigraph",
    "used_prefixes",
    "write_json_results",
    "write_xml_results",
    "write_csv_results",
    "write_tsv_results",
    "XSD_INTEGER",
]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


# -- RDF ------------------------------------------------------------------------------------------------


def write_lines(fmt: Format, statements: SortedStatements, **_options: Any) -> bytes:
    """N-Triples (the union of the graphs) or N-Quads (each graph): the lines pyoxigraph's serialiser wrote
    for the statements, in order, as they are."""
    return statements.document(keep_graphs=fmt.keeps_graphs)


def write_with_oxigraph(
    fmt: Format,
    statements: SortedStatements,
    *,
    prefixes: Mapping[str, str] | None = None,
    only_used: bool = False,
    **_options: Any,
) -> bytes:
    """The statements in ``fmt`` by pyoxigraph's serialiser; a format that declares prefixes gets
    ``prefixes`` (with ``only_used``, only those whose namespace begins an IRI of the statements)."""
    import pyoxigraph as ox

    ordered: Iterable[Any] = statements.statements(keep_graphs=fmt.keeps_graphs)
    declared = None
    if fmt.prefixes and prefixes:
        if only_used:
            ordered = list(ordered)
            declared = used_prefixes(ordered, prefixes)
        else:
            declared = dict(prefixes)
    data = ox.serialize(ordered, format=fmt.oxigraph_format, prefixes=declared)
    if data is None:  # pyoxigraph returns None only when given an output file
        raise TypeError("pyoxigraph.serialize wrote to a file instead of returning bytes")
    return data


def used_prefixes(statements: Sequence[Any], prefixes: Mapping[str, str]) -> dict[str, str]:
    """The ``prefixes`` whose namespace begins an IRI of the statements (a datatype included)."""
    import pyoxigraph as ox

    iris = set()
    for t in statements:
        for term in (t.subject, t.predicate, t.object):
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
            elif isinstance(term, ox.Literal):
                iris.add(term.datatype.value)
    return {p: ns for p, ns in prefixes.items() if any(iri.startswith(ns) for iri in iris)}


# -- SPARQL results ------------------------------------------------------------------------------------


def write_json_results(fmt: Format, variables: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """SPARQL 1.1 Query Results JSON."""
    import pyoxigraph as ox  # once per answer, not once per value

    def json_term(term: Any) -> dict:
        if isinstance(term, ox.NamedNode):
            return {"type": "uri", "value": term.value}
        if isinstance(term, ox.Literal):
            out = {"type": "literal", "value": term.value}
            if term.language:
                out["xml:lang"] = term.language
            elif term.datatype.value != _XSD_STRING:
                out["datatype"] = term.datatype.value
            return out
        if isinstance(term, ox.BlankNode):
            return {"type": "bnode", "value": term.value}
        if isinstance(term, ox.Triple):
            return {
                "type": "triple",
                "value": {
                    "subject": json_term(term.subject),
                    "predicate": json_term(term.predicate),
                    "object": json_term(term.object),
                },
            }
        raise TypeError(f"not an RDF term: {term!r}")

    bindings = [{v: json_term(t) for v, t in zip(variables, row, strict=True) if t is not None} for row in rows]
    document = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


_XML_ENTITIES = {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;", '"': "&quot;"}


def write_xml_results(fmt: Format, variables: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """SPARQL Query Results XML."""
    # xml.sax.saxutils imports urllib.request: imported here, not by every command that opens the store
    from xml.sax.saxutils import escape, quoteattr

    import pyoxigraph as ox

    def xml_term(term: Any) -> str:
        if isinstance(term, ox.NamedNode):
            return f"<uri>{escape(term.value)}</uri>"
        if isinstance(term, ox.BlankNode):
            return f"<bnode>{escape(term.value)}</bnode>"
        if isinstance(term, ox.Literal):
            if term.language:
                return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value, _XML_ENTITIES)}</literal>"
            if term.datatype.value != _XSD_STRING:
                datatype = quoteattr(term.datatype.value)
                return f"<literal datatype={datatype}>{escape(term.value, _XML_ENTITIES)}</literal>"
            return f"<literal>{escape(term.value, _XML_ENTITIES)}</literal>"
        if isinstance(term, ox.Triple):
            return (
                f"<triple><subject>{xml_term(term.subject)}</subject><predicate>{xml_term(term.predicate)}"
                f"</predicate><object>{xml_term(term.object)}</object></triple>"
            )
        raise TypeError(f"not an RDF term: {term!r}")

    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
    out += [f"<variable name={quoteattr(v)}/>" for v in variables]
    out.append("</head>\n<results>")
    for row in rows:
        cells = "".join(
            f"<binding name={quoteattr(v)}>{xml_term(t)}</binding>"
            for v, t in zip(variables, row, strict=True)
            if t is not None
        )
        out.append(f"<result>{cells}</result>")
    out.append("</results>\n</sparql>\n")
    return "\n".join(out).encode("utf-8")


def write_csv_results(fmt: Format, variables: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """SPARQL 1.1 Query Results CSV: plain values, blank nodes as ``_:label``."""
    import pyoxigraph as ox  # once per answer, not once per value

    def csv_term(term: Any) -> str:
        if term is None:
            return ""
        if isinstance(term, ox.BlankNode):
            return f"_:{term.value}"
        if isinstance(term, (ox.NamedNode, ox.Literal)):
            return term.value
        return str(term)

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    writer.writerows([csv_term(t) for t in row] for row in rows)
    return buffer.getvalue().encode("utf-8")


def write_tsv_results(fmt: Format, variables: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """SPARQL 1.1 Query Results TSV: terms as in Turtle."""
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")
