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
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NoReturn

__all__ = ["Limits", "Parsed", "SparqlSyntaxError", "LimitExceeded", "parse_request"]


class SparqlSyntaxError(ValueError):
    """The text is no SPARQL 1.1 query or update: names the line, the column and what was expected."""


class LimitExceeded(ValueError):
    """The request is larger than a :class:`Limits` allows in one dimension (named in the message)."""


@dataclass(frozen=True)
class Limits:
    """How large a request may be, in each dimension the parser measures (see :mod:`kgtool.sparql`)."""

    nesting: int  # groups, brackets, subqueries, function arguments and path groups inside each other
    tokens: int  # tokens in the whole request
    patterns: int  # triple patterns, paths and graph patterns (OPTIONAL, UNION branches, FILTER...) in all
    group: int  # parts of one group (triples blocks, OPTIONALs, MINUSes, FILTERs...), branches of one UNION
    path: int  # steps of one property path (IRIs, negated sets)
    operators: int  # operators and function calls in all expressions
    expression_depth: int  # depth of one expression's tree, each operator of a chain one level


@dataclass
class Parsed:
    """What a request holds, as read by :func:`parse_request`."""

    form: str = ""  # SELECT, ASK, CONSTRUCT, DESCRIBE or UPDATE
    uses_service: bool = False
    uses_load: bool = False
    from_graphs: list[str] = field(default_factory=list)  # FROM <iri> (as written)
    from_named: list[str] = field(default_factory=list)  # FROM NAMED <iri>
    uses_using: bool = False  # USING or USING NAMED in an update
    uses_with: bool = False  # WITH in an update
    operations: list[str] = field(default_factory=list)  # the update operations: LOAD, INSERT DATA, MODIFY...
    #: (pattern, flags) of each REGEX and REPLACE, each None where it is no string literal (a variable...)
    regexes: list[tuple[str | None, str | None]] = field(default_factory=list)
    tokens: int = 0
    patterns: int = 0
    operators: int = 0
    deepest: int = 0  # the deepest nesting reached
    longest_path: int = 0
    deepest_expression: int = 0

    @property
    def names_dataset(self) -> bool:
        return bool(self.from_graphs or self.from_named)


# -- terminals (SPARQL 1.1 Query, section 19.8) -------------------------------------------------------------

_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_U = _BASE + "_"
_CHARS = _U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_VARNAME = f"[{_U}0-9][{_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*"
_PN_PREFIX = f"[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_LOCAL = f"(?:[{_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"
_ECHAR = r"""\\[tbnrf\\"']"""
_EXPONENT = r"[eE][+-]?[0-9]+"

_SKIP = re.compile(r"(?:[ \t\r\n]+|#[^\r\n]*)*")
_TOKEN = re.compile(
    rf"""
      (?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
    | (?P<str>'''(?:(?:'|'')?(?:[^'\\]|{_ECHAR}))*'''
             |\"\"\"(?:(?:"|"")?(?:[^"\\]|{_ECHAR}))*\"\"\"
             |'(?:[^'\\\n\r]|{_ECHAR})*'
             |"(?:[^"\\\n\r]|{_ECHAR})*")
    | (?P<pname>(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?)
    | (?P<bnode>_:[{_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?)
    | (?P<var>[?$]{_VARNAME})
    | (?P<num>[+-]?(?:[0-9]+\.[0-9]*{_EXPONENT}|\.[0-9]+{_EXPONENT}|[0-9]+{_EXPONENT}|[0-9]*\.[0-9]+|[0-9]+))
    | (?P<lang>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)
    | (?P<word>[A-Za-z][A-Za-z0-9_]*)
    | (?P<punct>\^\^|&&|\|\||!=|<=|>=|[{{}}()\[\];,.=<>!|/^*+\-?])
    """,
    re.X,
)
_OPERATOR = re.compile(r"<=|<")  # a '<' read again as the operator (see the module's docstring)
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", "\\": "\\", '"': '"', "'": "'"}

# -- the built-in calls: the number of arguments each takes (BuiltInCall, [121]) -------------------------------

_ONE = (
    "STR LANG DATATYPE IRI URI ABS CEIL FLOOR ROUND STRLEN UCASE LCASE ENCODE_FOR_URI YEAR MONTH DAY HOURS "
    "MINUTES SECONDS TIMEZONE TZ MD5 SHA1 SHA256 SHA384 SHA512 ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC"
)
_TWO = "LANGMATCHES CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER STRLANG STRDT SAMETERM"
_BUILTIN_ARITY: dict[str, tuple[int, int]] = {
    **{name: (1, 1) for name in _ONE.split()},
    **{name: (2, 2) for name in _TWO.split()},
    "IF": (3, 3),
    "REGEX": (2, 3),
    "SUBSTR": (2, 3),
    "REPLACE": (3, 4),
}
_NO_ARGS = frozenset({"RAND", "NOW", "UUID", "STRUUID"})
_AGGREGATES = frozenset({"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"})
_LIST_CALLS = frozenset({"CONCAT", "COALESCE"})
_BUILTINS = frozenset(_BUILTIN_ARITY) | _NO_ARGS | _AGGREGATES | _LIST_CALLS | {"BOUND", "BNODE", "EXISTS", "NOT"}
_RELATIONAL = frozenset({"=", "!=", "<", ">", "<=", ">="})
_DATA_VALUE_KINDS = frozenset({"iri", "pname", "str", "num"})
_NOT_TRIPLES = frozenset({"OPTIONAL", "MINUS", "GRAPH", "SERVICE", "FILTER", "BIND", "VALUES"})

_EOF = "eof"


class _Parser:
    """One request's parse: the token under the cursor is (``kind``, ``val``) at offset ``start``.

    ``val`` is the token's text, upper-cased for words (keywords are case-insensitive; ``raw`` keeps the
    text, for the keyword ``a``, which is not).
    """

    def __init__(self, text: str, limits: Limits) -> None:
        self.text = text
        self.limits = limits
        self.out = Parsed()
        self.depth = 0
        self.pos = 0  # where the lexer reads next
        self.ahead: list[tuple[str, str, str, int, int]] = []  # tokens read past the cursor
        self.kind = self.val = self.raw = ""
        self.start = self.end = 0
        self.data_mode = ""  # "insert", "delete" or "template": quads where variables or blank nodes are refused
        # A blank node label names one node in one basic graph pattern only (section 19.6): the pattern each
        # label was first used in; patterns are numbered as they start (0: outside any WHERE group).
        self.bgp = 0
        self.bgps = 0
        self.labels: dict[str, int] = {}
        self.advance()

    # -- the lexer

    def _lex(self) -> tuple[str, str, str, int, int]:
        text = self.text
        pos = _SKIP.match(text, self.pos).end()  # type: ignore[union-attr] # it matches the empty string
        if pos >= len(text):
            self.pos = pos
            return (_EOF, "", "", pos, pos)
        match = _TOKEN.match(text, pos)
        if match is None:
            self._fail_at(pos, f"unexpected character {text[pos]!r}")
        kind = match.lastgroup or ""
        raw = match.group()
        self.pos = match.end()
        self.out.tokens += 1
        if self.out.tokens > self.limits.tokens:
            raise LimitExceeded(f"the request has more than {self.limits.tokens} tokens")
        return (kind, raw.upper() if kind == "word" else raw, raw, pos, match.end())

    def advance(self) -> None:
        token = self.ahead.pop(0) if self.ahead else self._lex()
        self.kind, self.val, self.raw, self.start, self.end = token

    def peek(self) -> tuple[str, str]:
        """The token after the cursor (kind, value)."""
        if not self.ahead:
            self.ahead.append(self._lex())
        return self.ahead[0][0], self.ahead[0][1]

    def relex_operator(self) -> None:
        """Read the IRI under the cursor again as the operator ``<`` or ``<=`` (see the module's docstring)."""
        match = _OPERATOR.match(self.text, self.start)
        assert match is not None  # an IRI token starts with '<'
        self.ahead.clear()
        self.kind, self.val, self.raw, self.end = "punct", match.group(), match.group(), match.end()
        self.pos = match.end()

    # -- errors and limits

    def _fail_at(self, offset: int, message: str) -> NoReturn:
        line = self.text.count("\n", 0, offset) + 1
        column = offset - self.text.rfind("\n", 0, offset)
        raise SparqlSyntaxError(f"line {line}, column {column}: {message}")

    def fail(self, expected: str) -> NoReturn:
        found = "the end of the request" if self.kind == _EOF else repr(self.raw[:40])
        self._fail_at(self.start, f"expected {expected}, found {found}")

    def enter(self) -> None:
        self.depth += 1
        if self.depth > self.out.deepest:
            self.out.deepest = self.depth
            if self.depth > self.limits.nesting:
                raise LimitExceeded(
                    f"the request nests groups, brackets or calls more than {self.limits.nesting} levels deep"
                )

    def count_pattern(self, n: int = 1) -> None:
        self.out.patterns += n
        if self.out.patterns > self.limits.patterns:
            raise LimitExceeded(f"the request has more than {self.limits.patterns} triple and graph patterns")

    def count_group(self, n: int, what: str) -> None:
        if n > self.limits.group:
            raise LimitExceeded(f"{what} has more than {self.limits.group} parts")

    # -- token helpers

    def accept(self, value: str) -> bool:
        """Move past the punctuation or keyword ``value`` if it is under the cursor."""
        if self.val == value and self.kind in ("punct", "word"):
            self.advance()
            return True
        return False

    def expect(self, value: str) -> None:
        if not self.accept(value):
            self.fail(repr(value))

    def is_word(self, *words: str) -> bool:
        return self.kind == "word" and self.val in words

    def is_punct(self, value: str) -> bool:
        return self.kind == "punct" and self.val == value

    # -- the request

    def parse(self, update: bool | None) -> Parsed:
        """The request: a query or an update (``update``), or whichever its first keyword says (None)."""
        self.prologue()
        if update is None:
            update = not self.is_word("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
        return self.parse_update() if update else self.parse_query()

    def parse_query(self) -> Parsed:
        word = self.val if self.kind == "word" else ""
        if word == "SELECT":
            self.out.form = "SELECT"
            self.select_clause()
            self.dataset_clauses()
            self.where_clause()
            self.solution_modifier()
        elif word == "CONSTRUCT":
            self.out.form = "CONSTRUCT"
            self.construct_query()
        elif word == "DESCRIBE":
            self.out.form = "DESCRIBE"
            self.advance()
            if not self.accept("*"):
                if not self.var_or_iri():
                    self.fail("a variable, an IRI or '*'")
                while self.var_or_iri():
                    pass
            self.dataset_clauses()
            if self.is_word("WHERE") or self.is_punct("{"):
                self.where_clause()
            self.solution_modifier()
        elif word == "ASK":
            self.out.form = "ASK"
            self.advance()
            self.dataset_clauses()
            self.where_clause()
            self.solution_modifier()
        else:
            self.fail("SELECT, CONSTRUCT, DESCRIBE or ASK")
        self.values_clause()
        if self.kind != _EOF:
            self.fail("the end of the query")
        return self.out

    def parse_update(self) -> Parsed:
        self.out.form = "UPDATE"
        while True:
            self.prologue()
            if self.kind == _EOF:
                break
            self.update1()
            if not self.accept(";"):
                break
        if self.kind != _EOF:
            self.fail("';' or the end of the update")
        return self.out

    def prologue(self) -> None:
        while self.kind == "word":
            if self.val == "BASE":
                self.advance()
                self.iriref()
            elif self.val == "PREFIX":
                self.advance()
                if self.kind != "pname" or not self.raw.endswith(":"):
                    self.fail("a prefix name such as 'ex:'")
                self.advance()
                self.iriref()
            else:
                return

    def iriref(self) -> str:
        if self.kind != "iri":
            self.fail("an IRI in angle brackets")
        value = self.raw
        self.advance()
        return value

    # -- queries

    def select_clause(self) -> None:
        self.expect("SELECT")
        if not self.accept("DISTINCT"):
            self.accept("REDUCED")
        if self.accept("*"):
            return
        count = 0
        while True:
            if self.kind == "var":
                self.advance()
            elif self.is_punct("("):
                self.advance()
                self.enter()
                self.expression()
                self.expect("AS")
                self.var()
                self.expect(")")
                self.depth -= 1
            else:
                break
            count += 1
        if count == 0:
            self.fail("'*', a variable or '(' expression AS variable ')'")

    def dataset_clauses(self) -> None:
        while self.accept("FROM"):
            if self.accept("NAMED"):
                self.out.from_named.append(self.iri())
            else:
                self.out.from_graphs.append(self.iri())

    def where_clause(self) -> None:
        self.accept("WHERE")
        self.group_graph_pattern()

    def construct_query(self) -> None:
        self.advance()
        if self.is_punct("{"):
            self.advance()
            self.enter()
            self.triples_template("}")
            self.expect("}")
            self.depth -= 1
            self.dataset_clauses()
            self.where_clause()
        else:
            self.dataset_clauses()
            self.expect("WHERE")
            self.expect("{")
            self.enter()
            self.triples_template("}")
            self.expect("}")
            self.depth -= 1
        self.solution_modifier()

    def solution_modifier(self) -> None:
        if self.is_word("GROUP"):
            self.advance()
            self.expect("BY")
            if not self.group_condition():
                self.fail("a grouping condition")
            while self.group_condition():
                pass
        if self.accept("HAVING"):
            if not self.constraint():
                self.fail("a HAVING condition")
            while self.constraint():
                pass
        if self.is_word("ORDER"):
            self.advance()
            self.expect("BY")
            if not self.order_condition():
                self.fail("an ORDER BY condition")
            while self.order_condition():
                pass
        if self.accept("LIMIT"):
            self.integer()
            if self.accept("OFFSET"):
                self.integer()
        elif self.accept("OFFSET"):
            self.integer()
            if self.accept("LIMIT"):
                self.integer()

    def integer(self) -> None:
        if self.kind != "num" or not self.raw.isdigit():
            self.fail("an integer")
        self.advance()

    def group_condition(self) -> bool:
        if self.kind == "var":
            self.advance()
            return True
        if self.is_punct("("):
            self.advance()
            self.enter()
            self.expression()
            if self.accept("AS"):
                self.var()
            self.expect(")")
            self.depth -= 1
            return True
        return self.constraint()

    def order_condition(self) -> bool:
        if self.is_word("ASC", "DESC"):
            self.advance()
            self.bracketted_expression(0)
            return True
        if self.kind == "var":
            self.advance()
            return True
        return self.constraint()

    def constraint(self) -> bool:
        """Constraint [69]: a bracketted expression, a built-in call or a function call."""
        if self.is_punct("("):
            self.bracketted_expression(0)
            return True
        if self.kind == "word" and self.val in _BUILTINS and not (self.val == "NOT" and self.peek()[1] != "EXISTS"):
            self.builtin_call(0)
            return True
        if self.kind in ("iri", "pname"):
            self.iri()
            self.arg_list(0)
            return True
        return False

    def values_clause(self) -> None:
        if self.accept("VALUES"):
            self.data_block()

    def data_block(self) -> None:
        self.count_pattern()
        if self.kind == "var":
            self.advance()
            self.expect("{")
            while self.data_block_value():
                pass
            self.expect("}")
            return
        self.expect("(")
        width = 0
        while self.kind == "var":
            self.advance()
            width += 1
        self.expect(")")
        self.expect("{")
        while self.accept("("):
            count = 0
            while self.data_block_value():
                count += 1
            if count != width:
                self.fail(f"{width} values in each row of VALUES")
            self.expect(")")
        self.expect("}")

    def data_block_value(self) -> bool:
        if self.kind in _DATA_VALUE_KINDS:
            self.graph_term()
            return True
        if self.is_word("UNDEF", "TRUE", "FALSE"):
            self.advance()
            return True
        return False

    # -- graph patterns

    def group_graph_pattern(self) -> None:
        """GroupGraphPattern [53]."""
        if not self.is_punct("{"):
            self.fail("'{'")
        self.advance()
        self.enter()
        self.count_pattern()
        if self.is_word("SELECT"):
            self.select_clause()
            self.where_clause()
            self.solution_modifier()
            self.values_clause()
        else:
            self.group_graph_pattern_sub()
        self.expect("}")
        self.depth -= 1

    def group_graph_pattern_sub(self) -> None:
        """GroupGraphPatternSub [54]: its parts are its triples blocks and the graph patterns between them."""
        parts = 0
        in_block = False  # reading a triples block
        after_triples = False  # a triples block must be ended by '.' before another one starts
        outer = self.bgp
        self.new_bgp()
        while not self.is_punct("}"):
            if self.kind == "word" and self.val in _NOT_TRIPLES:
                filter_ = self.val == "FILTER"  # a FILTER does not end a basic graph pattern
                self.graph_pattern_not_triples()
                if not filter_:
                    self.new_bgp()
                in_block = after_triples = False
                self.accept(".")
            elif self.is_punct("{"):
                self.group_or_union()
                self.new_bgp()
                in_block = after_triples = False
                self.accept(".")
            else:
                if after_triples:
                    self.fail("'.', '}' or a graph pattern")
                self.triples_same_subject(path=True)
                after_triples = not self.accept(".")
                if in_block:
                    continue
                in_block = True
            parts += 1
            self.count_group(parts, "a group graph pattern")
        self.bgp = outer

    def new_bgp(self) -> None:
        self.bgps += 1
        self.bgp = self.bgps

    def graph_pattern_not_triples(self) -> None:
        word = self.val
        self.advance()
        if word in ("OPTIONAL", "MINUS"):
            self.group_graph_pattern()
        elif word == "GRAPH":
            self.var_or_iri_required()
            self.group_graph_pattern()
        elif word == "SERVICE":
            self.out.uses_service = True
            self.accept("SILENT")
            self.var_or_iri_required()
            self.group_graph_pattern()
        elif word == "FILTER":
            self.count_pattern()
            if not self.constraint():
                self.fail("a FILTER condition: '(' expression ')', a built-in call or a function call")
        elif word == "BIND":
            self.count_pattern()
            self.expect("(")
            self.enter()
            self.expression()
            self.expect("AS")
            self.var()
            self.expect(")")
            self.depth -= 1
        else:  # VALUES
            self.data_block()

    def group_or_union(self) -> None:
        self.group_graph_pattern()
        branches = 1
        while self.accept("UNION"):
            self.group_graph_pattern()
            branches += 1
            self.count_group(branches, "a UNION")

    # -- triples

    def triples_template(self, end: str) -> None:
        """TriplesTemplate [52] / ConstructTriples [74], up to ``end``: triples without paths."""
        while not self.is_punct(end):
            self.triples_same_subject(path=False)
            if not self.accept("."):
                return

    def triples_same_subject(self, path: bool) -> None:
        """TriplesSameSubject(Path) [75]/[81]."""
        if self.is_punct("[") or self.is_punct("("):
            # '[]' and '()' are terms, which a property list must follow; after '[ ... ]' it is optional
            if self.triples_node(path) or self.starts_verb(path):
                self.property_list_not_empty(path)
        else:
            self.var_or_term()
            self.property_list_not_empty(path)

    def starts_verb(self, path: bool) -> bool:
        if self.kind in ("var", "iri", "pname") or (self.kind == "word" and self.raw == "a"):
            return True
        return path and self.kind == "punct" and self.val in ("^", "!", "(")

    def property_list_not_empty(self, path: bool) -> None:
        """PropertyList(Path)NotEmpty [77]/[83]."""
        self.verb(path)
        self.object_list(path)
        while self.accept(";"):
            if self.starts_verb(path):
                self.verb(path)
                self.object_list(path)

    def verb(self, path: bool) -> None:
        if self.kind == "var":
            self.check_variable()
            self.advance()
        elif path:
            self.path()
        elif self.kind == "word" and self.raw == "a":
            self.advance()
        elif self.kind in ("iri", "pname"):
            self.iri()
        else:
            self.fail("a predicate: a variable, an IRI or 'a'")

    def object_list(self, path: bool) -> None:
        self.count_pattern()  # one triple pattern (or path) per object
        self.graph_node(path)
        while self.accept(","):
            self.count_pattern()
            self.graph_node(path)

    def graph_node(self, path: bool) -> None:
        if self.is_punct("[") or self.is_punct("("):
            self.triples_node(path)
        else:
            self.var_or_term()

    def triples_node(self, path: bool) -> bool:
        """A collection or a blank node property list; True for the terms ``()`` (NIL) and ``[]`` (ANON)."""
        if self.is_punct("("):
            self.advance()
            if self.accept(")"):
                return True
            self.check_blank_node()  # a collection is made of blank nodes
            self.enter()
            while True:
                self.count_pattern(2)  # each item is two triples (rdf:first, rdf:rest)
                self.graph_node(path)
                if self.accept(")"):
                    break
            self.depth -= 1
            return False
        self.expect("[")
        if self.accept("]"):
            self.check_blank_node()
            return True
        self.check_blank_node()
        self.enter()
        self.property_list_not_empty(path)
        self.expect("]")
        self.depth -= 1
        return False

    def var_or_term(self) -> None:
        if self.kind == "var":
            self.check_variable()
            self.advance()
        else:
            self.graph_term()

    def graph_term(self) -> None:
        kind = self.kind
        if kind in ("iri", "pname"):
            self.iri()
        elif kind == "str":
            self.rdf_literal()
        elif kind == "num":
            self.advance()
        elif kind == "bnode":
            self.check_blank_node()
            if self.bgp and self.labels.setdefault(self.raw, self.bgp) != self.bgp:
                self.fail(f"a blank node label not used in another basic graph pattern ({self.raw} is)")
            self.advance()
        elif self.is_word("TRUE", "FALSE"):
            self.advance()
        elif self.is_punct("("):  # NIL
            self.advance()
            self.expect(")")
        elif self.is_punct("["):  # ANON
            self.check_blank_node()
            self.advance()
            self.expect("]")
        else:
            self.fail("an RDF term or a variable")

    def check_variable(self) -> None:
        if self.data_mode in ("insert", "delete"):
            self.fail("no variables in INSERT DATA or DELETE DATA")

    def check_blank_node(self) -> None:
        if self.data_mode in ("delete", "template"):
            self.fail("no blank nodes in DELETE DATA, DELETE WHERE or a DELETE template")

    def rdf_literal(self) -> str:
        value = self.raw
        self.advance()
        if self.kind == "lang":
            self.advance()
        elif self.is_punct("^^"):
            self.advance()
            self.iri()
        return value

    def iri(self) -> str:
        if self.kind not in ("iri", "pname"):
            self.fail("an IRI")
        value = self.raw
        self.advance()
        return value

    def var(self) -> None:
        if self.kind != "var":
            self.fail("a variable")
        self.advance()

    def var_or_iri(self) -> bool:
        if self.kind in ("var", "iri", "pname"):
            self.advance()
            return True
        return False

    def var_or_iri_required(self) -> None:
        if not self.var_or_iri():
            self.fail("a variable or an IRI")

    # -- property paths

    def path(self) -> None:
        """Path [88]: its steps are counted for the whole path, its groups as nesting."""
        steps = self.path_alternative(0)
        if steps > self.out.longest_path:
            self.out.longest_path = steps

    def path_alternative(self, steps: int) -> int:
        steps = self.path_sequence(steps)
        while self.accept("|"):
            steps = self.path_sequence(steps)
        return steps

    def path_sequence(self, steps: int) -> int:
        steps = self.path_elt_or_inverse(steps)
        while self.accept("/"):
            steps = self.path_elt_or_inverse(steps)
        return steps

    def path_elt_or_inverse(self, steps: int) -> int:
        self.accept("^")
        if self.kind in ("iri", "pname") or (self.kind == "word" and self.raw == "a"):
            self.advance()
            steps += 1
        elif self.accept("!"):
            steps = self.negated_property_set(steps)
        elif self.accept("("):
            self.enter()
            steps = self.path_alternative(steps)
            self.expect(")")
            self.depth -= 1
        else:
            self.fail("a property path: an IRI, 'a', '^', '!' or '('")
        if steps > self.limits.path:
            raise LimitExceeded(f"a property path has more than {self.limits.path} steps")
        if self.kind == "punct" and self.val in ("?", "*", "+"):
            self.advance()
        return steps

    def negated_property_set(self, steps: int) -> int:
        if self.accept("("):
            if self.accept(")"):
                return steps + 1
            steps = self.path_one_in_property_set(steps)
            while self.accept("|"):
                steps = self.path_one_in_property_set(steps)
                if steps > self.limits.path:
                    raise LimitExceeded(f"a property path has more than {self.limits.path} steps")
            self.expect(")")
            return steps
        return self.path_one_in_property_set(steps)

    def path_one_in_property_set(self, steps: int) -> int:
        self.accept("^")
        if self.kind in ("iri", "pname") or (self.kind == "word" and self.raw == "a"):
            self.advance()
            return steps + 1
        self.fail("an IRI or 'a' in a negated property set")
        return steps

    # -- expressions: ``depth`` is the depth of the tree above the operand read (each operator of a chain
    # is one level, as in the algebra's left-deep tree)

    def expression(self, depth: int = 0) -> None:
        """Expression [110] .. ConditionalOrExpression [111]."""
        self.and_expression(depth)
        while self.is_punct("||"):
            self.advance()
            depth = self.operator(depth)
            self.and_expression(depth)

    def operator(self, depth: int) -> int:
        """Count an operator or call, one level below ``depth``."""
        self.out.operators += 1
        if self.out.operators > self.limits.operators:
            raise LimitExceeded(
                f"the request has more than {self.limits.operators} operators and function calls in its expressions"
            )
        depth += 1
        if depth > self.out.deepest_expression:
            self.out.deepest_expression = depth
            if depth > self.limits.expression_depth:
                raise LimitExceeded(f"an expression is more than {self.limits.expression_depth} operators deep")
        return depth

    def and_expression(self, depth: int) -> None:
        self.relational_expression(depth)
        while self.is_punct("&&"):
            self.advance()
            depth = self.operator(depth)
            self.relational_expression(depth)

    def relational_expression(self, depth: int) -> None:
        self.additive_expression(depth)
        if self.kind == "iri":  # '<' then an operand, read by longest match as an IRI
            self.relex_operator()
        if self.kind == "punct" and self.val in _RELATIONAL:
            self.advance()
            self.additive_expression(self.operator(depth))
        elif self.is_word("IN") or (self.is_word("NOT") and self.peek()[1] == "IN"):
            self.accept("NOT")
            self.advance()
            self.expression_list(self.operator(depth))

    def additive_expression(self, depth: int) -> None:
        self.multiplicative_expression(depth)
        while True:
            if self.kind == "punct" and self.val in ("+", "-"):
                self.advance()
                depth = self.operator(depth)
                self.multiplicative_expression(depth)
            elif self.kind == "num" and self.raw[0] in "+-":  # '?x +1': the sign is the operator
                self.advance()
                depth = self.operator(depth)
                while self.kind == "punct" and self.val in ("*", "/"):
                    self.advance()
                    depth = self.operator(depth)
                    self.unary_expression(depth)
            else:
                return

    def multiplicative_expression(self, depth: int) -> None:
        self.unary_expression(depth)
        while self.kind == "punct" and self.val in ("*", "/"):
            self.advance()
            depth = self.operator(depth)
            self.unary_expression(depth)

    def unary_expression(self, depth: int) -> None:
        if self.kind == "punct" and self.val in ("!", "+", "-"):
            self.advance()
            depth = self.operator(depth)
        self.primary_expression(depth)

    def primary_expression(self, depth: int) -> None:
        kind = self.kind
        if kind == "punct" and self.val == "(":
            self.bracketted_expression(depth)
        elif kind == "var" or kind == "num":
            self.advance()
        elif kind == "str":
            self.rdf_literal()
        elif kind in ("iri", "pname"):
            self.advance()
            if self.is_punct("("):
                self.arg_list(depth)
        elif kind == "word" and self.val in ("TRUE", "FALSE"):
            self.advance()
        elif kind == "word" and self.val in _BUILTINS:
            self.builtin_call(depth)
        else:
            self.fail("an expression")

    def bracketted_expression(self, depth: int) -> None:
        self.expect("(")
        self.enter()
        self.expression(depth)
        self.expect(")")
        self.depth -= 1

    def arg_list(self, depth: int) -> None:
        """ArgList [71] of a function call."""
        depth = self.operator(depth)
        self.expect("(")
        if self.accept(")"):
            return
        self.enter()
        self.accept("DISTINCT")
        self.expression(depth)
        while self.accept(","):
            self.expression(depth)
        self.expect(")")
        self.depth -= 1

    def expression_list(self, depth: int) -> None:
        """ExpressionList [72]."""
        self.expect("(")
        if self.accept(")"):
            return
        self.enter()
        self.expression(depth)
        while self.accept(","):
            self.expression(depth)
        self.expect(")")
        self.depth -= 1

    def builtin_call(self, depth: int) -> None:
        """BuiltInCall [121], aggregates [127], EXISTS and NOT EXISTS."""
        name = self.val
        self.advance()
        depth = self.operator(depth)
        if name in ("EXISTS", "NOT"):
            if name == "NOT":
                self.expect("EXISTS")
            self.group_graph_pattern()
            return
        if name in _NO_ARGS:
            self.expect("(")
            self.expect(")")
            return
        if name in _LIST_CALLS:
            self.expression_list(depth)
            return
        self.expect("(")
        if name == "BNODE" and self.accept(")"):
            return
        self.enter()
        if name == "BOUND":
            self.var()
        elif name in _AGGREGATES:
            self.accept("DISTINCT")
            if not (name == "COUNT" and self.accept("*")):
                self.expression(depth)
            if name == "GROUP_CONCAT" and self.accept(";"):
                self.expect("SEPARATOR")
                self.expect("=")
                if self.kind != "str":
                    self.fail("a string")
                self.advance()
        elif name == "BNODE":
            self.expression(depth)
        else:
            low, high = _BUILTIN_ARITY[name]
            args: list[str | None] = []  # each argument's string token, if it is a plain string
            while True:
                args.append(self.raw if self.kind == "str" and self.peek()[1] in (",", ")") else None)
                self.expression(depth)
                if len(args) == high or not self.accept(","):
                    break
            if len(args) < low:
                self.fail(f"{low} arguments to {name}")
            if name in ("REGEX", "REPLACE"):
                pattern, flags = args[1], args[low] if len(args) > low else None
                self.out.regexes.append(
                    (
                        string_value(pattern) if pattern else None,
                        string_value(flags) if flags else None if len(args) > low else "",
                    )
                )
        self.expect(")")
        self.depth -= 1

    # -- updates

    def update1(self) -> None:
        word = self.val if self.kind == "word" else ""
        operations = self.out.operations
        if word == "LOAD":
            self.out.uses_load = True
            operations.append(word)
            self.advance()
            self.accept("SILENT")
            self.iri()
            if self.accept("INTO"):
                self.expect("GRAPH")
                self.iri()
        elif word in ("CLEAR", "DROP"):
            operations.append(word)
            self.advance()
            self.accept("SILENT")
            if not (self.accept("DEFAULT") or self.accept("NAMED") or self.accept("ALL")):
                self.expect("GRAPH")
                self.iri()
        elif word == "CREATE":
            operations.append(word)
            self.advance()
            self.accept("SILENT")
            self.expect("GRAPH")
            self.iri()
        elif word in ("ADD", "MOVE", "COPY"):
            operations.append(word)
            self.advance()
            self.accept("SILENT")
            self.graph_or_default()
            self.expect("TO")
            self.graph_or_default()
        elif word == "INSERT" and self.peek()[1] == "DATA":
            operations.append("INSERT DATA")
            self.advance()
            self.advance()
            self.quad_pattern("insert")
        elif word == "DELETE" and self.peek()[1] == "DATA":
            operations.append("DELETE DATA")
            self.advance()
            self.advance()
            self.quad_pattern("delete")
        elif word == "DELETE" and self.peek()[1] == "WHERE":
            operations.append("DELETE WHERE")
            self.advance()
            self.advance()
            self.quad_pattern("template")
        elif word in ("WITH", "DELETE", "INSERT"):
            operations.append("MODIFY")
            if self.accept("WITH"):
                self.out.uses_with = True
                self.iri()
            if self.accept("DELETE"):
                self.quad_pattern("template")
                if self.accept("INSERT"):
                    self.quad_pattern("")
            else:
                self.expect("INSERT")
                self.quad_pattern("")
            while self.accept("USING"):
                self.out.uses_using = True
                self.accept("NAMED")
                self.iri()
            self.expect("WHERE")
            self.group_graph_pattern()
        else:
            self.fail("an update operation (INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, COPY, MOVE, ADD or WITH)")

    def graph_or_default(self) -> None:
        if self.accept("DEFAULT"):
            return
        self.accept("GRAPH")
        self.iri()

    def quad_pattern(self, mode: str) -> None:
        """QuadPattern [48] / QuadData [49]: ``mode`` says which terms are refused (see :meth:`check_variable`)."""
        self.expect("{")
        self.enter()
        self.data_mode = mode
        parts = 0
        while True:
            if self.is_word("GRAPH"):
                self.advance()
                if self.kind == "var":
                    self.check_variable()
                self.var_or_iri_required()
                self.expect("{")
                self.enter()
                self.triples_template("}")
                self.expect("}")
                self.depth -= 1
                self.accept(".")
            elif self.is_punct("}"):
                break
            else:
                self.triples_same_subject(path=False)
                if not self.accept(".") and not self.is_word("GRAPH") and not self.is_punct("}"):
                    self.fail("'.', 'GRAPH' or '}'")
            parts += 1
            self.count_group(parts, "a block of quads")
        self.data_mode = ""
        self.expect("}")
        self.depth -= 1


def string_value(token: str) -> str:
    """The value of a SPARQL string literal token (its quotes removed, its ``\\`` escapes read).

    >>> string_value("'a\\\\tb'"), string_value('\"\"\"x\"\"\"')
    ('a\\tb', 'x')
    """
    body = token[3:-3] if token[:3] in ("'''", '"""') and len(token) >= 6 else token[1:-1]
    if "\\" not in body:
        return body
    return re.sub(r"\\(.)", lambda m: _ECHARS.get(m.group(1), m.group(1)), body)


def parse_request(text: str, limits: Limits, *, update: bool | None = None) -> Parsed:
    """Parse ``text`` as a SPARQL 1.1 query or update (as ``update`` says, or, if None, as its first keyword
    after the prologue says), within ``limits``.

    ``text`` has had its ``\\uXXXX`` escapes expanded (the grammar is defined on the expanded text).

    >>> limits = Limits(nesting=8, tokens=100, patterns=10, group=10, path=4, operators=10, expression_depth=5)
    >>> parse_request("SELECT * { SERVICE <http://example.org/> { ?s ?p ?o } }", limits, update=False).uses_service
    True
    >>> parse_request("ASK { ?s <a:p>/<a:p>/<a:p>/<a:p>/<a:p> ?o }", limits, update=False)
    Traceback (most recent call last):
    kgtool.sparql_syntax.LimitExceeded: a property path has more than 4 steps

    Raises:
        SparqlSyntaxError: the text is not in the grammar (line and column given).
        LimitExceeded: the request is larger than ``limits`` in some dimension.
    """
    return _Parser(text, limits).parse(update)
