"""Expressions (SPARQL 1.1 Query, productions [110]-[127]): operators, built-in calls with their number of
arguments, aggregates, and the regular expressions given as strings, each operator and call counted and the
depth of each expression's tree bounded."""

from __future__ import annotations

from .lexer import Cursor, string_value
from .limits import LimitExceeded

__all__ = ["BUILTINS", "Expressions"]

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
BUILTINS = frozenset(_BUILTIN_ARITY) | _NO_ARGS | _AGGREGATES | _LIST_CALLS | {"BOUND", "BNODE", "EXISTS", "NOT"}
_RELATIONAL = frozenset({"=", "!=", "<", ">", "<=", ">="})


class Expressions(Cursor):
    """The expression productions of the parser (:class:`kgtool.sparql_syntax.grammar.Parser` adds the rest)."""

    def group_graph_pattern(self) -> None:
        """EXISTS holds a group graph pattern: the grammar's (this class is only ever used through it)."""
        raise NotImplementedError

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
        elif kind == "word" and self.val in BUILTINS:
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
