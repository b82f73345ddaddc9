"""What a SPARQL request is, read before any engine sees it: its form, and whether it must be refused.

Engines differ in what they do with ``SERVICE`` (rdflib and Oxigraph fetch the remote IRI) and with
updates, so kgtool decides in one place, for every store: ``SERVICE`` is refused, updates are refused
unless a caller enables them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .cache import text_cache
from .errors import QueryError

__all__ = ["QueryInfo", "inspect_query", "strip_literals", "mask_literals", "names_dataset"]

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
