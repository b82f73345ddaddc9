"""The lexer and the cursor the parser moves: SPARQL 1.1's terminals (section 19.8 of the Query Language), read
one token at a time as the parser asks, the errors that name a line and a column, the counters that stop a
parse at its first limit, and the readers of single terms (IRIs, variables, literals).

The lexer is driven by the parser, so it cannot lose track of strings, IRIs and comments; where the parser
knows that a ``<`` is the operator, it reads it again as one (:meth:`Cursor.relex_operator`).
"""

from __future__ import annotations

import re
from typing import NoReturn

from .limits import LimitExceeded, Limits, Parsed, SparqlSyntaxError

__all__ = ["EOF", "Cursor", "string_value"]

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
# The white space and comments before a token and the token, in one match (one regular expression run per token).
_TOKEN = re.compile(
    rf"""
    (?:[ \t\r\n]++|\#[^\r\n]*+)*+
    (?:
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
    | (?P<eof>\Z)
    )
    """,
    re.X,
)
_OPERATOR = re.compile(r"<=|<")  # a '<' read again as the operator (see the module's docstring)
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", "\\": "\\", '"': '"', "'": "'"}

EOF = "eof"


class Cursor:
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
        self.advance()

    # -- the lexer

    def _lex(self) -> tuple[str, str, str, int, int]:
        match = _TOKEN.match(self.text, self.pos)
        if match is None:
            pos = _SKIP.match(self.text, self.pos).end()  # type: ignore[union-attr] # it matches the empty string
            self._fail_at(pos, f"unexpected character {self.text[pos]!r}")
        kind = match.lastgroup or ""
        end = self.pos = match.end()
        if kind == "eof":
            return (EOF, "", "", end, end)
        raw = match.group(kind)
        self.out.tokens += 1
        if self.out.tokens > self.limits.tokens:
            raise LimitExceeded(f"the request has more than {self.limits.tokens} tokens")
        return (kind, raw.upper() if kind == "word" else raw, raw, end - len(raw), end)

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
        found = "the end of the request" if self.kind == EOF else repr(self.raw[:40])
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

    # -- single terms

    def iriref(self) -> str:
        if self.kind != "iri":
            self.fail("an IRI in angle brackets")
        value = self.raw
        self.advance()
        return value

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


def string_value(token: str) -> str:
    """The value of a SPARQL string literal token (its quotes removed, its ``\\`` escapes read).

    >>> string_value("'a\\\\tb'"), string_value('\"\"\"x\"\"\"')
    ('a\\tb', 'x')
    """
    body = token[3:-3] if token[:3] in ("'''", '"""') and len(token) >= 6 else token[1:-1]
    if "\\" not in body:
        return body
    return re.sub(r"\\(.)", lambda m: _ECHARS.get(m.group(1), m.group(1)), body)
