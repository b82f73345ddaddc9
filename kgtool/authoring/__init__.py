"""Compile the authored data files of ``graph/`` (CSV tables, TOML records, Turtle) into RDF.

The formats are specified in ``docs/MODEL.md``. Regular content (cluster lists, figures, sources) is
authored as tables so that it is easy to review and extend; irregular content (versions, events) as
TOML records; anything else as hand-written Turtle. The compiler checks every reference and value and
reports each problem with its file, line and cause, all of them at once.

One module a concern: :mod:`.files` (which files, their columns), :mod:`.records` (reading rows and
records with their lines), :mod:`.values` (the closed lists and the forms of cells),
:mod:`.compilation` (what every compiler shares: ids, references, facts), one compiler per kind of
record (:mod:`.tables`, :mod:`.versions`, :mod:`.clusters`, :mod:`.events`, :mod:`.figures`,
:mod:`.statements`, :mod:`.plans`, :mod:`.corrections`), :mod:`.links` (what a record concerns), and
:mod:`.compiler`, which runs them in order.
"""

from __future__ import annotations

from typing import Any

from .compiler import compile_graph
from .files import COLUMNS, authoring_files
from .values import MAX_EXPONENT, SEPARATOR, SOURCE_KIND, figure_bounds, language_of

__all__ = [
    "compile_graph",
    "authoring_files",
    "figure_bounds",
    "language_of",
    "SEPARATOR",
    "MAX_EXPONENT",
    "COLUMNS",
    "SOURCE_KIND",
]


def __getattr__(name: str) -> Any:
    # EVENT_TYPE (slug -> event class) is read from the ontology, its one definition.
    if name == "EVENT_TYPE":
        from ..ontology import event_types

        return event_types()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
