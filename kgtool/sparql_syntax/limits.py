"""What a parse measures and the bounds it keeps: :class:`Limits`, the :class:`Parsed` record of a request,
and the two errors a parse ends with."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Limits", "Parsed", "SparqlSyntaxError", "LimitExceeded"]


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
