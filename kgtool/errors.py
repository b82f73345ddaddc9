"""The errors kgtool raises, and the exit code each one maps to.

The CLI is the only place that turns these into exit codes (see :data:`EXIT_CODES`):

=====  ==========================================================
code   meaning
=====  ==========================================================
0      ok (the graph conforms, the query ran)
1      the graph does not conform (validation or reasoning found problems)
2      bad input or usage (a data file, a query, a parameter, an option)
3      an optional part is missing (an extra not installed, no Java)
=====  ==========================================================
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

__all__ = [
    "KgError",
    "UsageError",
    "DataError",
    "QueryError",
    "ParameterError",
    "StoreError",
    "NotBuiltError",
    "MissingOptionalError",
    "DoesNotConformError",
    "EXIT_OK",
    "EXIT_DOES_NOT_CONFORM",
    "EXIT_BAD_INPUT",
    "EXIT_MISSING_OPTIONAL",
    "exit_code_for",
    "check_arg",
]

EXIT_OK = 0
EXIT_DOES_NOT_CONFORM = 1
EXIT_BAD_INPUT = 2
EXIT_MISSING_OPTIONAL = 3


class KgError(Exception):
    """Base class of every error kgtool raises on purpose."""

    exit_code = EXIT_BAD_INPUT


class UsageError(KgError):
    """A command, option or argument was used wrongly."""


class DataError(KgError):
    """A data, ontology or shapes file cannot be read: names the file, the line and the cause.

    A compiler that finds several problems raises one DataError carrying all of them in
    :attr:`problems` (``(path, line, cause)`` triples), the first one also in ``path``/``line``/``cause``.
    """

    def __init__(
        self,
        path: Path | str,
        line: int | None,
        cause: str,
        more: list[tuple[Path, int | None, str]] | None = None,
    ) -> None:
        self.path = Path(path)
        self.line = line
        self.cause = cause
        self.problems: list[tuple[Path, int | None, str]] = [(self.path, line, cause), *(more or [])]
        super().__init__("\n".join(_where(p, n) + ": " + c for p, n, c in self.problems))


def _where(path: Path, line: int | None) -> str:
    return f"{path}:{line}" if line else str(path)


class QueryError(KgError):
    """A SPARQL query is malformed, unknown, or asks for something refused (such as SERVICE)."""


class ParameterError(QueryError):
    """A named query's parameter is unknown, missing or of the wrong type."""


class StoreError(KgError):
    """A store cannot be opened, read or written (including a remote endpoint's errors)."""


class NotBuiltError(StoreError):
    """The embedded store has not been built yet: run ``kgtool build``."""


class MissingOptionalError(KgError):
    """An optional dependency (a pip extra, Java) is not installed."""

    exit_code = EXIT_MISSING_OPTIONAL


class DoesNotConformError(KgError):
    """The graph does not conform to its shapes and rules, or is inconsistent."""

    exit_code = EXIT_DOES_NOT_CONFORM


def exit_code_for(error: BaseException) -> int:
    """Return the documented exit code for an exception (2 for anything kgtool did not expect)."""
    if isinstance(error, KgError):
        return error.exit_code
    return EXIT_BAD_INPUT


#: What :func:`check_arg` accepts for a path: a str or an ``os.PathLike`` (``pathlib.Path``).
PATH = (str, os.PathLike)


def check_arg(value: Any, kinds: type | tuple[type, ...], name: str, *, optional: bool = False) -> Any:
    """``value`` if it is of one of ``kinds`` (or None, if ``optional``): the check of every public entry
    point's arguments, so that a misuse is a :class:`UsageError` naming the argument, never a TypeError
    from deep inside. A bool is no number here.

    >>> check_arg("ASK {}", str, "text")
    'ASK {}'
    >>> check_arg(b"ASK {}", str, "text")
    Traceback (most recent call last):
    kgtool.errors.UsageError: text must be a str, not bytes (b'ASK {}')
    """
    kinds = kinds if isinstance(kinds, tuple) else (kinds,)
    if value is None and optional:
        return value
    if isinstance(value, kinds) and (bool in kinds or not isinstance(value, bool)):
        return value
    if os.PathLike in kinds:
        wanted = ["a path"] + [_a(k) for k in kinds if k not in (str, os.PathLike)]
    else:
        wanted = [_a(k) for k in kinds]
    shown = repr(value)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    none = " or None" if optional else ""
    raise UsageError(f"{name} must be {' or '.join(wanted)}{none}, not {type(value).__name__} ({shown})")


def _a(kind: type) -> str:
    return ("an " if kind.__name__[0] in "aeiou" else "a ") + kind.__name__
