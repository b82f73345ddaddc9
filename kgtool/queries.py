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
    #+   type: iri
    #+   doc: The cluster's IRI.

A parameter is a variable of the query with the parameter's name. Its value is bound as an RDF term
in a ``VALUES`` block placed at the start of the query's outermost ``WHERE`` group, never by
formatting text into the query, so a value such as ``"} UNION {"`` stays a plain value; the same
block works on every engine. A parameter that is not given stays unbound: the query then answers for
every value (``clusters`` without ``version`` lists every version's clusters).

Values are bound as :class:`Term` (made without rdflib, so that running a named query does not import it);
rdflib terms are accepted wherever a term is, and :func:`to_term` gives one.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from .errors import DataError, ParameterError
from .namespaces import BASE, KINDS, PREFIXES, instance_iri
from .paths import FileState, file_state
from .results import decimal_lexical
from .sparql import TrustedQuery, is_iri, mask_literals

if TYPE_CHECKING:
    from rdflib import Literal, URIRef

__all__ = [
    "NamedQuery",
    "Param",
    "Column",
    "Term",
    "AnyTerm",
    "param_term",
    "load_queries",
    "load_query",
    "parse_header",
    "PARAM_TYPES",
    "CHOICES",
    "COLUMN_TYPES",
    "choices",
    "sparql_term",
    "to_term",
    "where_position",
]

#: The types a parameter can have, and what a value of each looks like.
PARAM_TYPES: dict[str, str] = {
    "string": "any text",
    "lang": "a language tag: en or zh",
    "integer": "a whole number, such as 2025",
    "decimal": "a number, such as 1.5e12 or 43.0",
    "date": "a date, YYYY-MM-DD",
    "iri": "an absolute IRI, or a path under https://w3id.org/sz20plus8/ such as event/2.0/renamed-robotics",
    "version": "a policy version number, such as 2.0",
    "cluster": "a cluster: its slug, IRI, or English or Chinese label",
    "measure": "a measure: its slug or IRI, such as sei-added-value",
    "subject": "a subject of figures: place/shenzhen, cluster/SLUG, sector/SLUG or an IRI",
    "source": "a source: its slug or IRI",
    "event-type": "an event type (the sz:slug of an event class of the ontology), such as merged",
    "certainty": "confirmed, secondary or uncertain",
    "subject-kind": "a kind of subject: place, cluster or sector",
}

#: The values of the parameter types that are closed lists (the event types: :func:`choices`).
CHOICES: dict[str, tuple[str, ...]] = {
    "lang": ("en", "zh"),
    "certainty": ("confirmed", "secondary", "uncertain"),
    "subject-kind": ("place", "cluster", "sector"),
}

#: The types a column can have: what each value of the column is, when it is bound.
COLUMN_TYPES: dict[str, str] = {
    "iri": "an IRI",
    "string": "a plain string",
    "text": "a string with a language tag (en or zh for names; a quote has its source's, such as fr)",
    "integer": "an xsd:integer",
    "decimal": "an xsd:decimal",
    "boolean": "an xsd:boolean",
    "date": "an xsd:date",
}


def choices(kind: str) -> tuple[str, ...] | None:
    """The values a parameter of type ``kind`` may take, or None when it is not a closed list.

    The event types are read from the ontology (:func:`kgtool.ontology.event_types`).
    """
    if kind == "event-type":
        from .ontology import event_type_iris

        return tuple(event_type_iris())
    return CHOICES.get(kind)


_XSD = PREFIXES["xsd"]
_XSD_STRING, _XSD_DECIMAL, _XSD_INTEGER, _XSD_DATE = (_XSD + t for t in ("string", "decimal", "integer", "date"))


@dataclass(frozen=True)
class Term:
    """An RDF term bound to a query parameter: an IRI (``kind="iri"``), or a literal with its lexical form and a
    datatype IRI or a language tag. Equal to another when it is the same term, as rdflib terms are.

    >>> Term.literal("2.0"), Term.iri("https://w3id.org/sz20plus8/version/2.0").to_rdflib()
    (Term(kind='literal', value='2.0', datatype=None, language=None), \
rdflib.term.URIRef('https://w3id.org/sz20plus8/version/2.0'))
    """

    kind: str
    value: str
    datatype: str | None = None
    language: str | None = None

    @classmethod
    def iri(cls, value: str) -> Term:
        return cls("iri", value)

    @classmethod
    def literal(cls, value: str, datatype: str | None = None, language: str | None = None) -> Term:
        return cls("literal", value, datatype, language)

    @classmethod
    def of(cls, term: AnyTerm) -> Term:
        """The term itself, or the term of an rdflib ``URIRef`` or ``Literal``.

        Raises:
            ParameterError: anything else (an rdflib blank node, a plain string...).
        """
        if isinstance(term, Term):
            return term
        rdflib = sys.modules.get("rdflib")  # an rdflib term exists only once rdflib is imported
        if rdflib is not None:
            if isinstance(term, rdflib.URIRef):
                return cls.iri(str(term))
            if isinstance(term, rdflib.Literal):
                return cls.literal(str(term), None if term.datatype is None else str(term.datatype), term.language)
        raise ParameterError(f"not an IRI or a literal: {term!r}")

    def to_rdflib(self) -> URIRef | Literal:
        """The rdflib ``URIRef`` or ``Literal`` of the term."""
        from rdflib import Literal, URIRef

        if self.kind == "iri":
            return URIRef(self.value)
        datatype = None if self.datatype is None else URIRef(self.datatype)
        return Literal(self.value, datatype=datatype, lang=self.language)


#: What a parameter may be bound to: a :class:`Term`, or an rdflib ``URIRef`` or ``Literal``.
AnyTerm: TypeAlias = "Term | URIRef | Literal"

_SLUG = re.compile(r"[a-z0-9]+(?:[.-][a-z0-9]+)*")
_PATH = re.compile(r"(?P<kind>[a-z]+)/(?P<rest>[A-Za-z0-9._~-]+(?:/[A-Za-z0-9._~-]+)*(?:#[A-Za-z0-9._~-]+)?)")


@dataclass(frozen=True)
class Param:
    """A parameter of a named query."""

    name: str
    type: str = "string"
    required: bool = False
    default: str | None = None
    example: str | None = None
    doc: str = ""

    def describe(self) -> str:
        """What values the parameter takes, in words."""
        return PARAM_TYPES.get(self.type, self.type)


@dataclass(frozen=True)
class Column:
    """A column a named query returns, and the type of its values (one of :data:`COLUMN_TYPES`)."""

    name: str
    doc: str = ""
    type: str = "string"


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
        """The parameter ``name``.

        Raises:
            ParameterError: the query has no such parameter; the message lists its parameters.
        """
        for param in self.params:
            if param.name == name:
                return param
        raise ParameterError(self._unknown_param(name))

    def _unknown_param(self, name: str) -> str:
        known = ", ".join(f"{p.name} ({p.type})" for p in self.params) or "none"
        return f"query {self.name!r} has no parameter {name!r}; its parameters: {known}"

    def to_dict(self) -> dict[str, Any]:
        """What the header documents, as JSON-ready data (the server's ``/queries`` listing, the pages' forms)."""
        return {
            "name": self.name,
            "summary": self.summary,
            "description": self.description,
            "tags": list(self.tags),
            "params": [dataclasses.asdict(p) for p in self.params],
            "columns": [dataclasses.asdict(c) for c in self.columns],
        }

    def usage(self) -> str:
        """A command line that runs the query with its example values.

        >>> NamedQuery("lineage", Path("lineage.rq"), "", "", params=(
        ...     Param("cluster", "cluster", True, example="artificial-intelligence"),
        ...     Param("lang", "lang", default="en"))).usage()
        'kgtool query lineage -p cluster=artificial-intelligence'
        """
        parts = [f"kgtool query {self.name}"]
        for param in self.params:
            if param.required or (param.example and param.default is None):
                parts.append(f"-p {param.name}={param.example or '<' + param.type + '>'}")
        return " ".join(parts)

    def check_params(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The given values with defaults filled in, checked for unknown and missing parameters.

        A value of ``None`` counts as not given.

        Raises:
            ParameterError: an unknown parameter, or a required one missing.
        """
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
                    f"({param.describe()}{example}); usage: {self.usage()}"
                )
        return result

    def bind(self, terms: Mapping[str, AnyTerm]) -> TrustedQuery:
        """The query text with ``terms`` bound in a VALUES block at the start of its WHERE group.

        >>> q = NamedQuery("q", Path("q.rq"), "SELECT ?text WHERE { }", "s", (Param("text"),))
        >>> q.bind({"text": Term.literal('"} UNION { ?s ?p ?o } #')})
        'SELECT ?text WHERE {\\n  VALUES (?text) { ("\\\\"} UNION { ?s ?p ?o } #") }\\n }'
        """
        if not terms:
            return TrustedQuery(self.text)
        names = sorted(terms)
        for name in names:
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                raise ParameterError(f"query {self.name!r}: {name!r} cannot be a SPARQL variable name")
        block = (
            "VALUES ("
            + " ".join(f"?{n}" for n in names)
            + ") { ("
            + " ".join(sparql_term(terms[n]) for n in names)
            + ") }"
        )
        position = _where_position(self.text)
        if position is None:
            raise DataError(self.path, None, "no WHERE { ... } group to bind parameters in")
        return TrustedQuery(self.text[:position] + "\n  " + block + "\n" + self.text[position:])


@functools.lru_cache(maxsize=256)
def _where_position(text: str) -> int | None:
    """:func:`where_position`, remembered for the texts of the named queries (bound on every run)."""
    return where_position(text)


def where_position(text: str) -> int | None:
    """The offset just after the ``{`` that opens the outermost WHERE group (or the first group).

    IRIs, strings, comments and variable names are masked first, so none of them is taken for the
    keyword or the brace.

    >>> text = 'SELECT ?where # WHERE {\\nWHERE { ?s ?p "WHERE {" }'
    >>> text[:where_position(text)].splitlines()[-1]
    'WHERE {'
    """
    masked = re.sub(r"[?$][A-Za-z0-9_]+", lambda m: " " * len(m.group(0)), mask_literals(text))
    match = re.search(r"\bWHERE\s*\{", masked, re.I) or re.search(r"\{", masked)
    return match.end() if match else None


def sparql_term(term: AnyTerm) -> str:
    """An RDF term written for a SPARQL query, the same on every engine, for any value.

    Strings are written as short quoted literals with every character that could end or change
    them escaped: ``\\``, ``"``, line breaks. A ``u`` or ``U`` after a backslash is itself written
    as an escape (``\\U00000075``), because engines that expand ``\\uXXXX`` escapes before parsing
    the query (as the SPARQL grammar says, and rdflib does) would otherwise read a different value.

    >>> sparql_term(Term.literal('say "hi"\\n'))
    '"say \\\\"hi\\\\"\\\\n"'
    >>> sparql_term(Term.literal("1.5E+12", "http://www.w3.org/2001/XMLSchema#decimal"))
    '"1500000000000"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    >>> from rdflib import URIRef
    >>> sparql_term(URIRef("https://w3id.org/sz20plus8/version/2.0"))
    '<https://w3id.org/sz20plus8/version/2.0>'

    Raises:
        ParameterError: an IRI with characters no IRI may hold, a bad language tag, or no IRI or literal.
    """
    term = Term.of(term)
    if term.kind == "iri":
        if not is_iri(term.value):
            raise ParameterError(f"not an IRI: {term.value!r}")
        return f"<{term.value}>"
    lexical = term.value
    if term.datatype == _XSD_DECIMAL:
        lexical = decimal_lexical(Decimal(lexical))
    out = []
    backslash = False
    for char in lexical:
        if backslash and char in "uU":
            out.append("\\U00000075" if char == "u" else "\\U00000055")
        else:
            out.append(_ESCAPES.get(char, char))
        backslash = char == "\\"
    quoted = '"' + "".join(out) + '"'
    if term.language:
        if not re.fullmatch(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*", term.language):
            raise ParameterError(f"not a language tag: {term.language!r}")
        return f"{quoted}@{term.language}"
    if term.datatype is not None and term.datatype != _XSD_STRING:
        return f"{quoted}^^{sparql_term(Term.iri(term.datatype))}"
    return quoted


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def to_term(param: Param, value: Any, query: str) -> URIRef | Literal:
    """:func:`param_term` as an rdflib term.

    >>> to_term(Param("q"), '"} UNION { ?s ?p ?o } #', "search").n3()
    '"\\\\"} UNION { ?s ?p ?o } #"'
    >>> to_term(Param("v", "version"), "2", "q")
    rdflib.term.Literal('2.0')
    >>> to_term(Param("m", "measure"), "sei-added-value", "q")
    rdflib.term.URIRef('https://w3id.org/sz20plus8/measure/sei-added-value')

    Raises:
        ParameterError: when the value does not fit the type; the message says what would.
    """
    return param_term(param, value, query).to_rdflib()


def param_term(param: Param, value: Any, query: str) -> Term:
    """Turn a parameter value into an RDF term of the parameter's type (resolution of labels aside).

    Versions are bound as their number (``"2.0"``, the ``sz:versionNumber``), everything that names
    a thing of the graph as its IRI, and the rest as typed literals.

    >>> param_term(Param("v", "version"), "2", "q"), param_term(Param("n", "integer"), "+05", "q").value
    (Term(kind='literal', value='2.0', datatype=None, language=None), '5')

    Raises:
        ParameterError: when the value does not fit the type; the message says what would.
    """

    def bad(why: str) -> ParameterError:
        return ParameterError(f"query {query!r}: parameter {param.name!r} is {param.describe()}; {value!r} {why}")

    if isinstance(value, datetime):
        value = value.date()
    text = str(value)  # a plain str: rdflib's URIRef.startswith does not take a tuple
    kind = param.type
    allowed = choices(kind)
    if allowed is not None:
        if text not in allowed:
            raise bad(f"is not one of: {', '.join(allowed)}")
        return _choice_term(kind, text)
    convert = _TERMS.get(kind) or (_named_term if kind in ("cluster", "measure", "source") else None)
    if convert is None:
        raise bad("has an unknown type")
    term, why = convert(kind, value, text)
    if term is None:
        raise bad(why)
    return term


#: What a parameter converter gives: the term, or None and why the value does not fit.
_Converted: TypeAlias = tuple[Term | None, str]


def _choice_term(kind: str, text: str) -> Term:
    """A value of a closed list: a certainty or an event type as its class, anything else as itself."""
    if kind == "certainty":
        return Term.iri(f"{BASE}def#{text.capitalize()}")
    if kind == "event-type":
        from .ontology import event_type_iris

        return Term.iri(event_type_iris()[text])
    return Term.literal(text)


def _string_term(kind: str, value: Any, text: str) -> _Converted:
    return Term.literal(text), ""


def _integer_term(kind: str, value: Any, text: str) -> _Converted:
    if isinstance(value, bool) or not re.fullmatch(r"[+-]?\d+", text.strip()):
        return None, "is not a whole number"
    return Term.literal(str(int(text)), _XSD_INTEGER), ""


def _decimal_term(kind: str, value: Any, text: str) -> _Converted:
    if isinstance(value, bool):
        return None, "is not a number"
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        return None, "is not a number"
    if not number.is_finite():
        return None, "is not a finite number"
    return Term.literal(decimal_lexical(number), _XSD_DECIMAL), ""


def _date_term(kind: str, value: Any, text: str) -> _Converted:
    try:
        return Term.literal(date.fromisoformat(text.strip()).isoformat(), _XSD_DATE), ""
    except ValueError:
        return None, "is not a date YYYY-MM-DD"


def _version_term(kind: str, value: Any, text: str) -> _Converted:
    version = text.strip().removeprefix(f"{BASE}version/")
    if re.fullmatch(r"\d+", version):
        version += ".0"
    if not re.fullmatch(r"\d+\.\d+", version):
        return None, "is not a version number"
    return Term.literal(version), ""


def _absolute(text: str) -> bool:
    return is_iri(text) and text.startswith(("http://", "https://", "urn:"))


def _iri_term(kind: str, value: Any, text: str) -> _Converted:
    if _absolute(text):
        return Term.iri(text), ""
    match = _PATH.fullmatch(text)
    if match and match["kind"] in KINDS:
        return Term.iri(BASE + text), ""
    return None, "is not an absolute IRI or a path such as cluster/artificial-intelligence"


def _subject_term(kind: str, value: Any, text: str) -> _Converted:
    if _absolute(text):
        return Term.iri(text), ""
    prefix, _, slug = text.partition("/")
    if prefix in CHOICES["subject-kind"] and _SLUG.fullmatch(slug):
        return Term.iri(instance_iri(prefix, slug)), ""
    return None, "is not place/SLUG, cluster/SLUG or sector/SLUG"


def _named_term(kind: str, value: Any, text: str) -> _Converted:
    """A cluster, measure or source: its IRI, its slug, or ``KIND/SLUG``."""
    if _absolute(text):
        return Term.iri(text), ""
    slug = text[len(kind) + 1 :] if text.startswith(f"{kind}/") else text
    if _SLUG.fullmatch(slug):
        return Term.iri(instance_iri(kind, slug)), ""
    return None, f"is not a {kind} slug or IRI"


#: The converter of each parameter type that is not a closed list (clusters, measures, sources: _named_term).
_TERMS: dict[str, Callable[[str, Any, str], _Converted]] = {
    "string": _string_term,
    "integer": _integer_term,
    "decimal": _decimal_term,
    "date": _date_term,
    "version": _version_term,
    "iri": _iri_term,
    "subject": _subject_term,
}


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
            key, value = m[1], m[2].strip()
            if key == "doc" and "doc" in current:
                value = current["doc"] + " " + value
            current[key] = value
            continue
        m = _HEADER.match(line)
        if m is None:
            raise DataError(path, number, "malformed header line: expected '#+ key: value'")
        key, value = m[1], m[2].strip()
        if key == "param":
            current = {"name": value, "line": str(number)}
            params.append(current)
        elif key == "column":
            current = {"name": value, "line": str(number)}
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
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", p["name"]):
            raise DataError(path, int(p["line"]), f"parameter name {p['name']!r} is not a SPARQL variable name")
        parsed_params.append(
            Param(
                p["name"],
                kind,
                p.get("required", "false") == "true",
                p.get("default"),
                p.get("example"),
                p.get("doc", ""),
            )
        )
    for c in columns:
        if c.get("type", "string") not in COLUMN_TYPES:
            known = ", ".join(COLUMN_TYPES)
            raise DataError(path, int(c["line"]), f"unknown column type {c['type']!r}; known: {known}")
    return NamedQuery(
        name=path.stem,
        path=path,
        text=text,
        summary=fields["summary"],
        description=fields.get("description", ""),
        params=tuple(parsed_params),
        columns=tuple(Column(c["name"], c.get("doc", ""), c.get("type", "string")) for c in columns),
        tags=tuple(t.strip() for t in fields.get("tags", "").split(",") if t.strip()),
    )


def load_queries(directory: Path) -> dict[str, NamedQuery]:
    """Every named query of ``directory``, by name (``*-violation.rq`` quality rules excluded), as the files
    are now."""
    queries = {}
    for path in sorted(directory.glob("*.rq")):
        if _is_named_query(path.stem):
            named = _read_query(str(path))
            if named is not None:
                queries[path.stem] = named
    return queries


def load_query(directory: Path, name: str) -> NamedQuery | None:
    """The named query ``name`` of ``directory`` alone (what :func:`load_queries` would give under that name),
    or None when there is none: a command that runs one query reads one file."""
    if not (_QUERY_NAME.fullmatch(name) and _is_named_query(name)):
        return None
    return _read_query(os.path.join(directory, name + ".rq"))  # a str: no Path made on every run of a query


#: The named queries read so far, by path, with the file's state they were read from (see _read_query).
_READ: dict[str, tuple[FileState, NamedQuery]] = {}


def _read_query(path: str) -> NamedQuery | None:
    """The named query of the file at ``path`` as it is now (None if there is none), parsed again only when
    the file changed since it was last read (its inode, size, modification or change time): servers and
    notebooks run the same queries many times, and a developer may edit them meanwhile."""
    state = file_state(path)
    if state is None:
        return None
    known = _READ.get(path)
    if known is not None and known[0] == state:
        return known[1]
    named = parse_header(Path(path), Path(path).read_text(encoding="utf-8"))
    if len(_READ) >= 4096:  # far more files than any project has: only a program reading many directories
        _READ.clear()
    _READ[path] = (state, named)
    return named


_QUERY_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # a file name in queries/, never a path


def _is_named_query(stem: str) -> bool:
    return not stem.endswith("-violation")  # the quality rules beside them
