"""Named queries: one ``.rq`` file each in ``queries/``, the file name being the query's name.

A comment header documents the query and stays valid SPARQL, so the file can be pasted into any
endpoint::

    #+ summary: The clusters of a policy version, both tiers
    #+ description: One row per cluster of the version, in the order of its list.
    #+ param: version
    #+   type: version
    #+   required: true
    #+   example: 2.0
    #+   doc: The policy version number.
    #+ column: cluster
    #+   doc: The cluster's IRI.

Parameters are bound as RDF terms in a ``VALUES`` block placed at the start of the query's outermost
``WHERE`` group, never by formatting strings into the query, so a value such as ``"} UNION {"`` stays a
plain value; the same block works on every engine.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from .errors import DataError, ParameterError
from .namespaces import BASE, instance
from .sparql import mask_literals

__all__ = ["NamedQuery", "Param", "Column", "load_queries", "PARAM_TYPES"]

#: The types a parameter can have, and what a value of each looks like.
PARAM_TYPES: dict[str, str] = {
    "string": "any text",
    "lang": "a language tag: en or zh",
    "integer": "a whole number, such as 2025",
    "decimal": "a number, such as 1.5e12 or 43.0",
    "date": "a date, YYYY-MM-DD",
    "iri": "an absolute IRI",
    "version": "a policy version number, such as 2.0",
    "cluster": "a cluster: its slug, IRI, or English or Chinese label",
    "measure": "a measure: its slug or IRI, such as sei-added-value",
    "subject": "a subject of figures: place/shenzhen, cluster/SLUG, sector/SLUG or an IRI",
    "source": "a source: its slug or IRI",
    "event-type": "an event type: added, elevated, merged, renamed, moved, removed or regrouped",
    "certainty": "confirmed, secondary or uncertain",
}

_IRI_OK = re.compile(r'^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>"{}|^`\\]*$')


@dataclass(frozen=True)
class Param:
    """A parameter of a named query."""

    name: str
    type: str = "string"
    required: bool = False
    default: str | None = None
    example: str | None = None
    doc: str = ""


@dataclass(frozen=True)
class Column:
    """A column a named query returns."""

    name: str
    doc: str = ""


@dataclass(frozen=True)
class NamedQuery:
    """A query file of ``queries/`` with its documented header."""

    name: str
    path: Path
    text: str
    summary: str
    description: str = ""
    params: tuple[Param, ...] = ()
    columns: tuple[Column, ...] = ()
    tags: tuple[str, ...] = field(default=())

    def param(self, name: str) -> Param:
        for param in self.params:
            if param.name == name:
                return param
        raise ParameterError(self._unknown_param(name))

    def _unknown_param(self, name: str) -> str:
        known = ", ".join(f"{p.name} ({p.type})" for p in self.params) or "none"
        return f"query {self.name!r} has no parameter {name!r}; its parameters: {known}"

    def check_params(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The given values with defaults filled in, checked for unknown and missing parameters."""
        for name in values:
            self.param(name)
        result: dict[str, Any] = {}
        for param in self.params:
            if param.name in values and values[param.name] is not None:
                result[param.name] = values[param.name]
            elif param.default is not None:
                result[param.name] = param.default
            elif param.required:
                example = f", for example {param.name}={param.example}" if param.example else ""
                raise ParameterError(
                    f"query {self.name!r} needs the parameter {param.name!r} "
                    f"({PARAM_TYPES.get(param.type, param.type)}{example})"
                )
        return result

    def bind(self, terms: Mapping[str, URIRef | Literal]) -> str:
        """The query text with ``terms`` bound in a VALUES block at the start of its WHERE group."""
        if not terms:
            return self.text
        names = sorted(terms)
        block = (
            "VALUES (" + " ".join(f"?{n}" for n in names) + ") { ("
            + " ".join(terms[n].n3() for n in names) + ") }"
        )
        position = where_position(self.text)
        if position is None:
            raise DataError(self.path, None, "no WHERE { ... } group to bind parameters in")
        return self.text[:position] + "\n  " + block + self.text[position:]


def where_position(text: str) -> int | None:
    """The offset just after the ``{`` that opens the outermost WHERE group (or the first group)."""
    masked = mask_literals(text)
    match = re.search(r"\bWHERE\s*\{", masked, re.I) or re.search(r"\{", masked)
    return match.end() if match else None


def to_term(param: Param, value: Any, query: str) -> URIRef | Literal:
    """Turn a parameter value into an RDF term of the parameter's type (resolution of labels aside).

    >>> to_term(Param("q"), '"} UNION { ?s ?p ?o } #', "search").n3()
    '"\\\\"} UNION { ?s ?p ?o } #"'
    >>> to_term(Param("v", "version"), "2.0", "q")
    rdflib.term.URIRef('https://w3id.org/sz20plus8/version/2.0')

    Raises:
        ParameterError: when the value does not fit the type.
    """

    def bad(why: str) -> ParameterError:
        return ParameterError(
            f"query {query!r}: parameter {param.name!r} is {PARAM_TYPES.get(param.type, param.type)}; "
            f"{value!r} {why}"
        )

    text = value if isinstance(value, str) else str(value)
    kind = param.type
    if kind == "string":
        return Literal(text)
    if kind == "lang":
        if text not in ("en", "zh"):
            raise bad("is not en or zh")
        return Literal(text)
    if kind == "integer":
        try:
            return Literal(int(text), datatype=XSD.integer)
        except ValueError:
            raise bad("is not a whole number") from None
    if kind == "decimal":
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise bad("is not a number") from None
        if not number.is_finite():
            raise bad("is not a finite number")
        return Literal(number, datatype=XSD.decimal)
    if kind == "date":
        try:
            return Literal(date.fromisoformat(text), datatype=XSD.date)
        except ValueError:
            raise bad("is not a date YYYY-MM-DD") from None
    if kind == "certainty":
        if text not in ("confirmed", "secondary", "uncertain"):
            raise bad("is not confirmed, secondary or uncertain")
        return URIRef(f"{BASE}def#{text.capitalize()}")
    if kind == "event-type":
        from .authoring import EVENT_TYPE

        if text not in EVENT_TYPE:
            raise bad("is not an event type")
        return EVENT_TYPE[text]
    if _IRI_OK.match(text) and text.startswith(("http://", "https://", "urn:")):
        return URIRef(text)
    if kind == "iri":
        raise bad("is not an absolute IRI")
    if kind == "version":
        if not re.fullmatch(r"\d+\.\d+", text):
            raise bad("is not a version number")
        return instance("version", text)
    if kind == "subject":
        prefix, _, slug = text.partition("/")
        if prefix in ("place", "cluster", "sector") and re.fullmatch(r"[a-z0-9.-]+", slug):
            return instance(prefix, slug)
        raise bad("is not place/SLUG, cluster/SLUG or sector/SLUG")
    if kind in ("cluster", "measure", "source"):
        if re.fullmatch(r"[a-z0-9]+(?:[.-][a-z0-9]+)*", text):
            return instance(kind, text)
        raise bad(f"is not a {kind} slug or IRI")
    raise bad("has an unknown type")


_HEADER = re.compile(r"^#\+\s*(\w[\w-]*)\s*:\s*(.*)$")
_CONTINUATION = re.compile(r"^#\+\s{2,}(\w[\w-]*)\s*:\s*(.*)$")


def parse_header(path: Path, text: str) -> NamedQuery:
    """Read the ``#+`` comment header of a query file.

    Raises:
        DataError: for a header that is malformed (naming the line).
    """
    fields: dict[str, str] = {}
    params: list[dict[str, str]] = []
    columns: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#+"):
            continue
        if m := _CONTINUATION.match(line):
            if current is None:
                raise DataError(path, number, "an indented header line must follow '#+ param:' or '#+ column:'")
            current[m[1]] = m[2].strip()
            continue
        m = _HEADER.match(line)
        if m is None:
            raise DataError(path, number, "malformed header line: expected '#+ key: value'")
        key, value = m[1], m[2].strip()
        if key == "param":
            current = {"name": value, "line": str(number)}
            params.append(current)
        elif key == "column":
            current = {"name": value}
            columns.append(current)
        elif key in ("summary", "description", "tags"):
            fields[key] = (fields[key] + " " + value) if key == "description" and key in fields else value
            current = None
        else:
            raise DataError(path, number, f"unknown header key {key!r} (summary, description, tags, param, column)")
    if not fields.get("summary"):
        raise DataError(path, 1, "a named query needs a '#+ summary:' line")
    parsed_params = []
    for p in params:
        kind = p.get("type", "string")
        if kind not in PARAM_TYPES:
            raise DataError(path, int(p["line"]), f"unknown parameter type {kind!r}; known: {', '.join(PARAM_TYPES)}")
        parsed_params.append(
            Param(p["name"], kind, p.get("required", "false") == "true", p.get("default"), p.get("example"),
                  p.get("doc", ""))
        )
    return NamedQuery(
        name=path.stem,
        path=path,
        text=text,
        summary=fields["summary"],
        description=fields.get("description", ""),
        params=tuple(parsed_params),
        columns=tuple(Column(c["name"], c.get("doc", "")) for c in columns),
        tags=tuple(t.strip() for t in fields.get("tags", "").split(",") if t.strip()),
    )


def load_queries(directory: Path) -> dict[str, NamedQuery]:
    """Every named query of ``directory``, by name (``*-violation.rq`` quality rules excluded)."""
    queries = {}
    for path in sorted(directory.glob("*.rq")):
        if path.stem.endswith("-violation"):
            continue
        queries[path.stem] = parse_header(path, path.read_text(encoding="utf-8"))
    return queries
