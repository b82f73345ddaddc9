from __future__ import annotations

import os
import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from .cache import text_cache
from .errors import QueryError
from .sparql_syntax import LimitExceeded, Limits, Parsed, SparqlSyntaxError, parse_request

__all__ = [
    "QueryInfo",
    "TrustedQuery",
    "check_query",
    "check_regex",
    "inspect_query",
    "parse_sparql",
    "load_allowed",
    "strip_literals",
    "mask_literals",
    "names_dataset",
    "LIMITS",
    "MAX_QUERY_BYTES",
    "MAX_NESTING",
    "MAX_TOKENS",
    "MAX_PATTERNS",
    "MAX_GROUP_PARTS",
    "MAX_PATH_STEPS",
    "MAX_OPERATORS",
    "MAX_EXPRESSION_DEPTH",
    "ALLOW_LOAD_ENV",
    "is_iri",
    "check_iri",
]

# -- the bounds of a client's request (SECURITY.md lists them): the parse stops at the first one passed.
# The named queries reach at most 1,532 tokens, 22 levels of nesting, 87 patterns, 319 operators, paths of
# 4 steps and expressions 10 operators deep.

#: The longest request, in bytes of UTF-8.
MAX_QUERY_BYTES = 1 << 20
#: The deepest nesting of groups, brackets, subqueries, function arguments and path groups.
MAX_NESTING = 64
#: The most tokens (keywords, terms, punctuation) in one request.
MAX_TOKENS = 100_000
#: The most triple patterns, paths and graph patterns (groups, OPTIONAL, UNION branches, FILTER...) in all.
MAX_PATTERNS = 2_000
#: The most parts of one group (triples blocks, OPTIONAL, MINUS, FILTER, BIND, subgroups...), the most
#: branches of one UNION, the most blocks of one update's quads: how long one chain of joins can be.
MAX_GROUP_PARTS = 256
#: The most steps (IRIs, negated sets) in one property path.
MAX_PATH_STEPS = 32
#: The most operators and function calls in all the request's expressions.
MAX_OPERATORS = 2_000
#: The deepest expression tree, each operator of a chain one level (``1 + 1 + 1`` is two deep).
MAX_EXPRESSION_DEPTH = 256
#: All of them, as the parser takes them.
LIMITS = Limits(
    nesting=MAX_NESTING,
    tokens=MAX_TOKENS,
    patterns=MAX_PATTERNS,
    group=MAX_GROUP_PARTS,
    path=MAX_PATH_STEPS,
    operators=MAX_OPERATORS,
    expression_depth=MAX_EXPRESSION_DEPTH,
)
#: The environment variable by which an operator allows ``LOAD`` in updates (``1``); refused otherwise.
ALLOW_LOAD_ENV = "KGTOOL_ALLOW_LOAD"

_TOKENS = re.compile(
    r"""
      (?P<iri><[^<>"{}|^`\\\s]*>)
    | (?P<long>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\")
    | (?P<short>'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
    | (?P<comment>\#[^\n]*)
    """,
    re.X | re.S,
)


@dataclass(frozen=True)
class QueryInfo:
    """The form of a SPARQL request (``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE`` or ``UPDATE``)."""

    form: str
    uses_service: bool

    @property
    def is_update(self) -> bool:
        return self.form == "UPDATE"

    @property
    def returns_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


@text_cache()  # read twice per query (its form, its FROM), and named queries come back; bounded in bytes
def strip_literals(text: str) -> str:
    """The request with IRIs, strings and comments blanked, so keywords can be found safely.

    >>> strip_literals('SELECT * { ?s ?p "SERVICE" } # SERVICE')
    'SELECT * { ?s ?p "" } '
    """

    def blank(match: re.Match[str]) -> str:
        kind = match.lastgroup
        if kind == "iri":
            return "<>"
        if kind in ("long", "short"):
            return '""'
        return " "

    return _TOKENS.sub(blank, text)


def mask_literals(text: str) -> str:
    """The request with IRIs, strings and comments replaced by spaces of the same length, so that
    offsets found in the result hold in the original.

    >>> mask_literals('ASK { ?s ?p "{" }')
    'ASK { ?s ?p     }'
    """
    return _TOKENS.sub(lambda m: " " * len(m.group(0)), text)


def parse_sparql(text: str) -> Parsed:
    """A client's request as :mod:`kgtool.sparql_syntax` reads it, within :data:`LIMITS`.

    >>> parse_sparql("SELECT * FROM <http://example.org/g> { ?s ?p ?o }").from_graphs
    ['<http://example.org/g>']

    Raises:
        QueryError: a syntax error (with its line and column), an escape that could hide a clause, or a
            request beyond a limit (naming it).
    """
    if not isinstance(text, str):
        raise QueryError(f"a SPARQL query must be a str, not {type(text).__name__}")
    return _parsed(text)


@text_cache()  # clients repeat queries; bounded in bytes, and keeps no text over a quarter of the budget
def _parsed(text: str) -> Parsed:
    if len(text) > MAX_QUERY_BYTES // 4 and len(text.encode("utf-8", "surrogatepass")) > MAX_QUERY_BYTES:
        raise QueryError(f"the query is longer than the limit of {MAX_QUERY_BYTES} bytes")
    _check_escapes(text)
    try:
        return parse_request(_expand_escapes(text), LIMITS)
    except SparqlSyntaxError as error:
        raise QueryError(f"SPARQL syntax error at {error}") from None
    except LimitExceeded as error:
        raise QueryError(f"the query is too large: {error} (kgtool's limits are listed in SECURITY.md)") from None


@text_cache()
def inspect_query(text: str) -> QueryInfo:
    """Read the form of a SPARQL query or update (parsed: see :func:`parse_sparql`).

    >>> inspect_query("PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ?p ?o }")
    QueryInfo(form='SELECT', uses_service=False)
    >>> inspect_query("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }").uses_service
    True

    Raises:
        QueryError: when the text is no SPARQL query or update, or is beyond a limit.
    """
    parsed = parse_sparql(text)
    return QueryInfo(parsed.form, parsed.uses_service)


def names_dataset(text: str) -> bool:
    """Whether a query names its own dataset with ``FROM`` or ``FROM NAMED`` (a variable ``?from`` does not).

    >>> names_dataset("SELECT * FROM <http://example.org/g> { ?s ?p ?o }"), names_dataset('ASK { ?s ?p "FROM" }')
    (True, False)
    >>> names_dataset("SELECT ?from WHERE { ?e <http://example.org/from> ?from }")
    False
    """
    return parse_sparql(text).names_dataset


class TrustedQuery(str):
    """Query text kgtool wrote itself (a named query with its parameters bound as VALUES terms).

    Stores run it without the checks of :func:`check_query` (it is parsed for its form only).
    """

    __slots__ = ()


def load_allowed() -> bool:
    """Whether the operator allows SPARQL ``LOAD`` (``$KGTOOL_ALLOW_LOAD`` set to ``1``)."""
    return os.environ.get(ALLOW_LOAD_ENV, "").strip().lower() in ("1", "true", "yes")


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_ESCAPE_RDFLIB = re.compile(r"\\u([0-9a-f]{4}(?:[0-9a-f]{4})?)", re.I)  # how rdflib reads them


def _check_escapes(text: str) -> None:
    r"""Refuse ``\uXXXX`` escapes that stand for ASCII punctuation, spaces or controls.

    rdflib expands escapes everywhere before parsing; Oxigraph only inside strings and IRIs; and the
    two read ``\u`` followed by eight hex digits differently. An escaped letter or non-ASCII character
    means the same to both, but an escaped quote, bracket or ``#`` could end a string for one engine
    and not for the other, and so hide a clause from the check: such escapes are refused.
    """
    if "\\" not in text:
        return
    for pattern in (_ESCAPE, _ESCAPE_RDFLIB):
        for match in pattern.finditer(text):
            code = int(match.group(1) or match.group(2), 16)
            if code > 0x10FFFF or (code < 0x80 and not chr(code).isalnum()):
                raise QueryError(
                    f"the escape {match.group(0)!r} stands for {chr(code)!r}"
                    if code <= 0x10FFFF
                    else f"the escape {match.group(0)!r} is no Unicode character"
                )


def _expand_escapes(text: str) -> str:
    """The text with its ``\\uXXXX`` and ``\\UXXXXXXXX`` escapes replaced by the characters they stand for,
    as SPARQL defines them (before the grammar is applied); checked by :func:`_check_escapes` first."""
    if "\\" not in text:
        return text
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


_recursion_lock = threading.Lock()
_recursion_users = 0
_saved_limit = 0
_PARSE_RECURSION = 20_000


@contextmanager
def deep_recursion() -> Iterator[None]:
    """Raise Python's recursion limit while rdflib's recursive parser or evaluator runs on a query
    within :data:`LIMITS` (call it in a :mod:`kgtool.sandbox` thread, whose stack is large)."""
    global _recursion_users, _saved_limit
    with _recursion_lock:
        if _recursion_users == 0:
            _saved_limit = sys.getrecursionlimit()
            sys.setrecursionlimit(max(_saved_limit, _PARSE_RECURSION))
        _recursion_users += 1
    try:
        yield
    finally:
        with _recursion_lock:
            _recursion_users -= 1
            if _recursion_users == 0:
                sys.setrecursionlimit(_saved_limit)


def check_query(text: str, *, allow_update: bool = False, allow_load: bool = False) -> QueryInfo:
    """Read a client's SPARQL query or update, and refuse what no store may run.

    ``SERVICE`` is always refused (kgtool never sends queries to other endpoints); ``LOAD`` unless
    ``allow_load``; an update unless ``allow_update``; a request beyond :data:`LIMITS`; a regular
    expression that can backtrack exponentially (:func:`check_regex`). A :class:`TrustedQuery` is read
    for its form only.

    >>> check_query("SELECT * WHERE { ?s ?p ?o }")
    QueryInfo(form='SELECT', uses_service=False)
    >>> check_query('ASK { FILTER(?x <"a") ?s ?p "x" . SERVICE <http://example.org/> { ?s ?p ?o } }')
    Traceback (most recent call last):
    kgtool.errors.QueryError: SERVICE is not allowed: kgtool never sends queries to other endpoints

    Raises:
        QueryError: naming what is refused, or the syntax error with its line and column.
    """
    parsed = parse_sparql(text)
    if isinstance(text, TrustedQuery):
        return QueryInfo(parsed.form, parsed.uses_service)
    if parsed.uses_service:
        raise QueryError("SERVICE is not allowed: kgtool never sends queries to other endpoints")
    if parsed.form == "UPDATE":
        if not allow_update:
            raise QueryError("SPARQL Update is not allowed here: the store is read-only")
        if parsed.uses_load and not allow_load:
            raise QueryError(f"LOAD is not allowed: kgtool fetches nothing unless the operator sets {ALLOW_LOAD_ENV}=1")
    for pattern, _flags in parsed.regexes:
        if pattern is not None:
            check_regex(pattern)
    return QueryInfo(parsed.form, False)


_REPEAT = re.compile(r"[*+]|\{\d+(,\d*)?\}")
_GROUP_KIND = re.compile(r"\?(?:P?<[A-Za-z_][A-Za-z0-9_]*>|<[=!]|[:=!>]|[aiLmsux-]+[:)])")


def check_regex(pattern: str) -> None:
    """Refuse a regular expression (of ``REGEX`` or ``REPLACE``) that can take exponential time to match.

    A backtracking engine (Python's ``re``, which rdflib uses) takes time exponential in the length of the
    text for a repeated group that itself repeats or alternates, such as ``(a+)+`` or ``(a|aa)*``, and a
    back-reference makes matching harder still; Oxigraph's engine is linear, but the same query is
    refused on every store. Such patterns can be written without the nesting (``a+``, ``[ab]*``).

    >>> check_regex("^(ab)+[0-9]*$")
    >>> check_regex("^(a+)+$")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    kgtool.errors.QueryError: the regular expression '^(a+)+$' repeats a group that itself repeats or alternates ...
    """
    groups: list[bool] = [False]  # per open group: whether it holds a quantifier or an alternation
    last_group_risky = False  # the atom just read is a group that holds a quantifier or an alternation
    i, n = 0, len(pattern)
    while i < n:
        char = pattern[i]
        atom_group = False
        if char == "\\":
            if i + 1 < n and pattern[i + 1] in "123456789":
                raise QueryError(
                    f"the regular expression {pattern!r} has a back-reference, which can take exponential time"
                )
            i += 2
            if i < n and pattern[i - 1] in "pP" and pattern[i] == "{":
                i = pattern.find("}", i) + 1 or n
        elif char == "[":
            depth, i = 1, i + 1
            while i < n and depth:
                if pattern[i] == "\\":
                    i += 1
                elif pattern[i] == "[":
                    depth += 1
                elif pattern[i] == "]" and pattern[i - 1] != "[":
                    depth -= 1
                i += 1
        elif char == "(":
            groups.append(False)
            i += 1
            if pattern.startswith("?", i):  # (?:...), (?=...), (?<name>...): the kind of group, no quantifier
                if pattern.startswith("?P=", i):
                    raise QueryError(
                        f"the regular expression {pattern!r} has a back-reference, which can take exponential time"
                    )
                marker = _GROUP_KIND.match(pattern, i)
                i = marker.end() if marker is not None else i + 1
        elif char == ")":
            risky = groups.pop() if len(groups) > 1 else False
            atom_group, last_group_risky = True, risky
            if risky:
                groups[-1] = True
            i += 1
        elif char == "|":
            groups[-1] = True
            i += 1
        elif char in "*+?{":
            match = _REPEAT.match(pattern, i)
            if match is None and char == "{":
                i += 1  # a brace that is no quantifier
                continue
            repeats = match is not None and (char in "*+" or match.group(1) is not None or match.group(0) != "{1}")
            if repeats and last_group_risky:
                raise QueryError(
                    f"the regular expression {pattern!r} repeats a group that itself repeats or alternates "
                    "(such as (a+)+ or (a|b)*), which can take exponential time: write it without the nesting "
                    "(a+, [ab]*)"
                )
            groups[-1] = True
            i = match.end() if match is not None else i + 1
            if i < n and pattern[i] in "?+":  # lazy or possessive
                i += 1
        else:
            i += 1
        if not atom_group:
            last_group_risky = False


def runs_allowed_load(text: str) -> bool:
    """Whether an update holds a ``LOAD`` the operator allowed: only then may it run where the network
    is reachable (both conditions, so that a bypassed check alone never grants the network)."""
    return load_allowed() and not isinstance(text, TrustedQuery) and parse_sparql(text).uses_load


_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|^`\\]*")


def is_iri(value: str) -> bool:
    """Whether ``value`` is an absolute IRI that can be written in SPARQL (``<...>``) and that Oxigraph
    accepts.

    >>> is_iri("https://w3id.org/sz20plus8/cluster/a"), is_iri("not an iri"), is_iri(""), is_iri("x:a>b")
    (True, False, False, False)
    """
    if not isinstance(value, str) or not _IRI.fullmatch(value):
        return False
    import pyoxigraph as ox

    try:
        ox.NamedNode(value)
    except ValueError:
        return False
    return True


def check_iri(value: str, what: str = "IRI") -> str:
    """``value`` if it is an IRI (see :func:`is_iri`).

    Raises:
        QueryError: naming ``what`` (a parameter such as ``default-graph-uri``) and the value.
    """
    if not is_iri(value):
        raise QueryError(f"{what}: {value!r} is not an absolute IRI")
    return value
