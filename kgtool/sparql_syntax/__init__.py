"""A parser for the SPARQL 1.1 grammar (query and update): fast, complete, and bounded in every dimension.

It reads a request the way the SPARQL 1.1 grammar (section 19 of the Query Language) defines it: a
lexer following the grammar's terminal productions (IRIREF, PNAME_LN, STRING_LITERAL_LONG1, ...) and a
recursive-descent parser with one function per production. It does not evaluate anything; it records
what :func:`kgtool.sparql.check_query` decides on (:class:`Parsed`): the form, ``SERVICE`` anywhere,
``LOAD``, the dataset clauses, the regular expressions given as strings, and the size of the request in
every dimension, which it bounds as it reads (:class:`Limits`): the first limit passed stops the parse
at once, so that a hostile request costs no more than the limits allow.

The lexer is driven by the parser, one token at a time, so it cannot lose track of strings, IRIs and
comments: where SPARQL's longest-match rule reads ``<`` as the start of an IRI inside an expression
(``?a<?b&&?c>?d``), the parser, which knows that no IRI can follow an operand there, reads it again as
the operator, as the engines do. Text it cannot read is a :class:`SparqlSyntaxError` with its line and
column (fail closed).

What it leaves to the engines (they refuse it too, so accepting it here opens nothing): undeclared
prefixes (the server predeclares the project's), and the rules the grammar states outside its
productions about variable scope (``BIND`` or ``AS`` of a variable already in scope) and grouping
(a projected variable that is not grouped).

The package is the lexer and its cursor (:mod:`.lexer`), the expressions (:mod:`.expressions`), the rest of
the grammar (:mod:`.grammar`) and what a parse measures and bounds (:mod:`.limits`).
"""

from __future__ import annotations

from .grammar import Parser
from .limits import LimitExceeded, Limits, Parsed, SparqlSyntaxError

__all__ = ["Limits", "Parsed", "SparqlSyntaxError", "LimitExceeded", "parse_request"]


def parse_request(text: str, limits: Limits, *, update: bool | None = None) -> Parsed:
    """Parse ``text`` as a SPARQL 1.1 query or update (as ``update`` says, or, if None, as its first keyword
    after the prologue says), within ``limits``.

    ``text`` has had its ``\\uXXXX`` escapes expanded (the grammar is defined on the expanded text).

    >>> limits = Limits(nesting=8, tokens=100, patterns=10, group=10, path=4, operators=10, expression_depth=5)
    >>> parse_request("SELECT * { SERVICE <http://example.org/> { ?s ?p ?o } }", limits, update=False).uses_service
    True
    >>> parse_request("ASK { ?s <a:p>/<a:p>/<a:p>/<a:p>/<a:p> ?o }", limits, update=False)
    Traceback (most recent call last):
    kgtool.sparql_syntax.limits.LimitExceeded: a property path has more than 4 steps

    Raises:
        SparqlSyntaxError: the text is not in the grammar (line and column given).
        LimitExceeded: the request is larger than ``limits`` in some dimension.
    """
    return Parser(text, limits).parse(update)
