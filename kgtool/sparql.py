"""What a SPARQL request is, read before any engine sees it: its form, and whether it must be refused.

Engines differ in what they do with ``SERVICE`` and ``LOAD`` (rdflib and Oxigraph fetch the remote
IRI) and with updates, so kgtool decides in one place, for every store (:func:`check_query`):

- a request nested deeper than :data:`MAX_NESTING` brackets is refused before any parser sees it
  (recursive parsers crash on a few thousand levels);
- the request is parsed with rdflib's full SPARQL 1.1 grammar, after SPARQL's ``\\uXXXX`` escapes are
  processed as the engines do; text it cannot parse is refused (fail closed);
- the parsed request is refused if it holds ``SERVICE`` anywhere, or ``LOAD`` unless the operator
  allows it, or is an update where updates are not enabled.

The second, independent line is :mod:`kgtool.sandbox`: engines run where no socket to the network
can be opened. Named queries (``queries/*.rq`` with parameters bound by VALUES) are trusted text
(:class:`TrustedQuery`): they skip the parse, so running one does not import rdflib's SPARQL parser.
"""

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

__all__ = [
    "QueryInfo",
    "TrustedQuery",
    "check_query",
    "inspect_query",
    "nesting_depth",
    "load_allowed",
    "strip_literals",
    "mask_literals",
    "names_dataset",
    "MAX_NESTING",
    "ALLOW_LOAD_ENV",
    "is_iri",
    "check_iri",
]

#: The deepest nesting of ``{``, ``(`` and ``[`` a client's query may have.
MAX_NESTING = 64
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
_QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_UPDATE_OPS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")


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


@text_cache()
def inspect_query(text: str) -> QueryInfo:
    """Read the form of a SPARQL query or update.

    >>> inspect_query("PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ?p ?o }")
    QueryInfo(form='SELECT', uses_service=False)
    >>> inspect_query("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }").uses_service
    True

    Raises:
        QueryError: when the text is no SPARQL query or update.
    """
    bare = strip_literals(text)
    words = re.findall(r"[A-Za-z_]+", re.sub(r"\?\w+|\$\w+|\w*:\w*", " ", bare))
    form = None
    for word in words:
        upper = word.upper()
        if upper in ("PREFIX", "BASE"):
            continue
        if upper in _QUERY_FORMS:
            form = upper
        elif upper in _UPDATE_OPS:
            form = "UPDATE"
        break
    if form is None:
        raise QueryError("not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE after the prologue")
    uses_service = re.search(r"\bSERVICE\b", bare, re.I) is not None
    return QueryInfo(form, uses_service)


@text_cache()
def names_dataset(text: str) -> bool:
    """Whether a query names its own dataset with ``FROM`` or ``FROM NAMED`` (a variable ``?from`` does not).

    >>> names_dataset("SELECT * FROM <http://example.org/g> { ?s ?p ?o }"), names_dataset('ASK { ?s ?p "FROM" }')
    (True, False)
    >>> names_dataset("SELECT ?from WHERE { ?e <http://example.org/from> ?from }")
    False
    """
    bare = re.sub(r"[?$]\w+", " ", strip_literals(text))
    return re.search(r"\bFROM\b", bare, re.I) is not None


class TrustedQuery(str):
    """Query text kgtool wrote itself (a named query with its parameters bound as VALUES terms).

    Stores run it without the parsed check of :func:`check_query`; anything else is checked.
    """

    __slots__ = ()


def load_allowed() -> bool:
    """Whether the operator allows SPARQL ``LOAD`` (``$KGTOOL_ALLOW_LOAD`` set to ``1``)."""
    return os.environ.get(ALLOW_LOAD_ENV, "").strip().lower() in ("1", "true", "yes")


def nesting_depth(text: str) -> int:
    """The deepest nesting of ``{``, ``(`` and ``[`` outside strings, IRIs and comments.

    >>> nesting_depth('SELECT * { FILTER((1)) ?s ?p "((((" }')
    3
    """
    depth = deepest = 0
    for char in mask_literals(text):
        if char in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "})]":
            depth = max(0, depth - 1)
    return deepest


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_ESCAPE_RDFLIB = re.compile(r"\\u([0-9a-f]{4}(?:[0-9a-f]{4})?)", re.I)  # how rdflib reads them


def _check_escapes(text: str) -> None:
    r"""Refuse ``\uXXXX`` escapes that stand for ASCII punctuation, spaces or controls.

    rdflib expands escapes everywhere before parsing; Oxigraph only inside strings and IRIs; and the
    two read ``\u`` followed by eight hex digits differently. An escaped letter or non-ASCII character
    means the same to both, but an escaped quote, bracket or ``#`` could end a string for one engine
    and not for the other, and so hide a clause from the check: such escapes are refused.
    """
    for pattern in (_ESCAPE, _ESCAPE_RDFLIB):
        for match in pattern.finditer(text):
            code = int(match.group(1) or match.group(2), 16)
            if code > 0x10FFFF or (code < 0x80 and not chr(code).isalnum()):
                raise QueryError(
                    f"the escape {match.group(0)!r} stands for {chr(code)!r}"
                    if code <= 0x10FFFF
                    else f"the escape {match.group(0)!r} is no Unicode character"
                )


_recursion_lock = threading.Lock()
_recursion_users = 0
_saved_limit = 0
_PARSE_RECURSION = 20_000


@contextmanager
def deep_recursion() -> Iterator[None]:
    """Raise Python's recursion limit while rdflib's recursive parser or evaluator runs on a query
    nested up to :data:`MAX_NESTING` levels (call it in a :mod:`kgtool.sandbox` thread, whose stack is
    large)."""
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


_QUERY_NAMES = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}


def _parse(text: str, update: bool) -> tuple[str, set[str]]:
    """The form of the request as rdflib parses it, and the names of the parts it holds."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    from .sandbox import run_without_network

    def parse() -> object:
        with deep_recursion():
            return parseUpdate(text) if update else parseQuery(text)

    try:
        tree = run_without_network(parse)
    except ParseBaseException as error:
        message = None if update else run_without_network(lambda: _oxigraph_syntax_error(text))
        if message:
            raise QueryError(f"SPARQL syntax error: {message}") from None
        raise QueryError(
            f"SPARQL syntax error (kgtool checks every query with rdflib's SPARQL 1.1 parser and "
            f"runs only what it reads): {error}"
        ) from None
    except RecursionError:
        raise QueryError("the query is nested too deeply to be parsed") from None
    except ValueError as error:  # an escape rdflib cannot expand
        raise QueryError(f"SPARQL syntax error: {error}") from None
    names = _part_names(tree)
    if update:
        return "UPDATE", names
    form = next((_QUERY_NAMES[n] for n in _QUERY_NAMES if n in names), None)
    if form is None:  # pragma: no cover - the grammar has no other query form
        raise QueryError("not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")
    return form, names


def _oxigraph_syntax_error(text: str) -> str | None:
    """Oxigraph's message for a query rdflib could not parse (it gives line and column, and is the
    message users of the default store know), read in a thread without network, on an empty store."""
    from .sandbox import network_denied

    if not network_denied():
        return None
    import pyoxigraph as ox

    try:
        ox.Store().query(text)
    except SyntaxError as error:
        return str(error)
    except Exception:  # noqa: BLE001 - any other failure: rdflib's message is given
        return None
    return None


def _part_names(tree: object) -> set[str]:
    """The names of every grammar production in a parse tree (``ServiceGraphPattern``, ``Load``, ...)."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    names: set[str] = set()
    stack = [tree]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, CompValue):
            names.add(node.name)
            stack.extend(dict.values(node))
        elif isinstance(node, ParseResults):
            stack.extend(node)
            stack.extend(node.values())
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)):
            stack.extend(node)
    return names


@text_cache()  # bounded in bytes: clients' query texts can be large
def _checked(text: str) -> tuple[str, frozenset[str]]:
    form, names = _parse(text, inspect_query(text).is_update)
    return form, frozenset(names)


def check_query(
    text: str, *, allow_update: bool = False, allow_load: bool = False, max_nesting: int = MAX_NESTING
) -> QueryInfo:
    """Read a client's SPARQL query or update, and refuse what no store may run.

    ``SERVICE`` is always refused (kgtool never sends queries to other endpoints); ``LOAD`` unless
    ``allow_load``; an update unless ``allow_update``; a request nested deeper than ``max_nesting``.
    A :class:`TrustedQuery` is not parsed.

    >>> check_query("SELECT * WHERE { ?s ?p ?o }")
    QueryInfo(form='SELECT', uses_service=False)
    >>> check_query('ASK { FILTER(?x <"a") ?s ?p "x" . SERVICE <http://example.org/> { ?s ?p ?o } }')
    Traceback (most recent call last):
    kgtool.errors.QueryError: SERVICE is not allowed: kgtool never sends queries to other endpoints

    Raises:
        QueryError: naming what is refused, or rdflib's syntax error.
    """
    if isinstance(text, TrustedQuery):
        return inspect_query(text)
    depth = nesting_depth(text)
    if depth > max_nesting:
        raise QueryError(f"the query nests brackets {depth} levels deep; at most {max_nesting} are accepted")
    _check_escapes(text)
    # Clients repeat queries; the cache is bounded in bytes, and keeps no text over a quarter of it.
    form, names = _checked(text)
    if "ServiceGraphPattern" in names:
        raise QueryError("SERVICE is not allowed: kgtool never sends queries to other endpoints")
    if form == "UPDATE":
        if not allow_update:
            raise QueryError("SPARQL Update is not allowed here: the store is read-only")
        if "Load" in names and not allow_load:
            raise QueryError(f"LOAD is not allowed: kgtool fetches nothing unless the operator sets {ALLOW_LOAD_ENV}=1")
    return QueryInfo(form, False)


def runs_allowed_load(text: str) -> bool:
    """Whether an update holds a ``LOAD`` the operator allowed: only then may it run where the network
    is reachable (both conditions, so that a bypassed check alone never grants the network)."""
    return load_allowed() and not isinstance(text, TrustedQuery) and "Load" in _checked(text)[1]


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
