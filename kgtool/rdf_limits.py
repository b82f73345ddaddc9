"""Limits checked before RDF from a client reaches a parser: nesting and size, in one place.

JSON parsers recurse on nesting (Python's raises RecursionError at about a thousand levels) and
pyoxigraph's JSON-LD parser needs memory that grows with the square of the depth (3,000 levels of objects
took 1.7 GB); XML entities can expand exponentially. So a JSON-LD or RDF/XML document is scanned first,
without recursion and in time linear in its size, and refused as a :class:`~kgtool.errors.DataError` beyond:

- :data:`MAX_RDF_BYTES` bytes;
- :data:`MAX_RDF_DEPTH` levels of JSON objects and arrays, or of XML elements;
- in XML, :data:`MAX_XML_ENTITIES` entity declarations, or an entity whose value refers to another (the
  "billion laughs"), or an external entity.
"""

from __future__ import annotations

import re

from .errors import DataError

__all__ = ["MAX_RDF_BYTES", "MAX_RDF_DEPTH", "MAX_XML_ENTITIES", "check_json", "check_xml", "check_rdf"]

#: The largest JSON-LD or RDF/XML document read from a client (the server's --max-body is smaller).
MAX_RDF_BYTES = 256 << 20
#: The deepest nesting of JSON objects and arrays, or of XML elements (the project's exports reach 7).
MAX_RDF_DEPTH = 100
#: The most entity declarations in an XML document.
MAX_XML_ENTITIES = 256

_JSON_STRUCTURE = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.S)


def _size(data: bytes, where: str) -> None:
    if len(data) > MAX_RDF_BYTES:
        raise DataError(where, None, f"the document is larger than the limit of {MAX_RDF_BYTES} bytes")


def check_json(data: bytes | str, where: str = "<JSON-LD>") -> None:
    """Refuse a JSON document nested deeper than :data:`MAX_RDF_DEPTH` or larger than :data:`MAX_RDF_BYTES`.

    >>> check_json('{"a": [[{"b": "]]]"}]]}')
    >>> check_json("[" * 5000 + "]" * 5000)
    Traceback (most recent call last):
    kgtool.errors.DataError: <JSON-LD>:1: JSON nested more than 100 levels deep (at byte 100)
    """
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    _size(raw, where)
    depth = 0
    for match in _JSON_STRUCTURE.finditer(raw):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
            if depth > MAX_RDF_DEPTH:
                line = raw.count(b"\n", 0, match.start()) + 1
                raise DataError(
                    where, line, f"JSON nested more than {MAX_RDF_DEPTH} levels deep (at byte {match.start()})"
                )
        elif token in (b"]", b"}"):
            depth -= 1


def check_xml(data: bytes | str, where: str = "<RDF/XML>") -> None:
    """Refuse an XML document nested deeper than :data:`MAX_RDF_DEPTH`, larger than :data:`MAX_RDF_BYTES`,
    or whose entities could expand without bound; a document that is no XML is left to the RDF parser.

    >>> check_xml("<a><b/></a>")
    >>> check_xml('<!DOCTYPE a [<!ENTITY x "y"><!ENTITY z "&x;&x;">]><a>&z;</a>')
    Traceback (most recent call last):
    kgtool.errors.DataError: <RDF/XML>:1: the XML entity 'z' refers to other entities (they could expand without bound)
    """
    from xml.parsers import expat

    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    _size(raw, where)
    parser = expat.ParserCreate()
    depth = 0
    entities = 0

    def refuse(cause: str) -> None:
        raise DataError(where, parser.CurrentLineNumber, cause)

    def start(name: str, attributes: object) -> None:
        nonlocal depth
        depth += 1
        if depth > MAX_RDF_DEPTH:
            refuse(f"XML nested more than {MAX_RDF_DEPTH} levels deep")

    def end(name: str) -> None:
        nonlocal depth
        depth -= 1

    def entity(name: str, is_parameter: bool, value: str | None, base: object, system: str | None, *_: object) -> None:
        nonlocal entities
        entities += 1
        if entities > MAX_XML_ENTITIES:
            refuse(f"the XML declares more than {MAX_XML_ENTITIES} entities")
        if value is None or system is not None or is_parameter:
            refuse(f"the XML declares the external or parameter entity {name!r}")
        if "&" in (value or "") or "%" in (value or ""):
            refuse(f"the XML entity {name!r} refers to other entities (they could expand without bound)")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.EntityDeclHandler = entity
    try:
        parser.Parse(raw, True)
    except expat.ExpatError:
        return  # not well-formed: the RDF parser reports it with its own message


def check_rdf(data: bytes | str, format_name: str, where: str) -> None:
    """The checks for a document in a format of :mod:`kgtool.formats` (``jsonld``, ``xml``; others stream
    through parsers that do not recurse)."""
    if format_name == "jsonld":
        check_json(data, where)
    elif format_name == "xml":
        check_xml(data, where)
