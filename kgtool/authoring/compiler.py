"""The compiler: every data file by the compiler of its kind, definitions before what refers to them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from rdflib import Graph
from rdflib.plugins.parsers.notation3 import BadSyntax

from ..errors import DataError
from ..namespaces import bind_prefixes
from ..ontology import event_types
from ..utf8 import read_utf8
from .clusters import compile_clusters, compile_sectors
from .compilation import Compilation
from .events import compile_events
from .figures import compile_figures
from .files import authoring_files, kind_of
from .statements import compile_statements
from .tables import compile_agents, compile_definitions, compile_measures, compile_places, compile_sources
from .versions import compile_versions_file

__all__ = ["compile_graph", "COMPILERS"]


def compile_turtle(c: Compilation, path: Path) -> None:
    """``*.ttl``: hand-written Turtle, parsed into the graph as it is."""
    try:
        read_utf8(path)  # names the line of a byte that is not UTF-8
        c.graph.parse(path, format="turtle")
    except DataError as error:
        c.problems.extend(error.problems)
    except BadSyntax as error:
        c.problems.append((path, error.lines + 1, f"Turtle syntax: {error._why}"))  # noqa: SLF001
    except Exception as error:  # rdflib raises several kinds for bad Turtle
        c.problems.append((path, None, f"Turtle: {error}"))


#: The compiler of each kind of file (see :func:`~kgtool.authoring.files.kind_of`), in the order they run:
#: definitions first, then the records that refer to them. A new kind of file is a new line here.
COMPILERS: tuple[tuple[str, Callable[[Compilation, Path], None]], ...] = (
    ("sources", compile_sources),
    ("agents", compile_agents),
    ("places", compile_places),
    ("measures", compile_measures),
    ("definitions", compile_definitions),
    ("versions", compile_versions_file),
    ("sectors", compile_sectors),
    ("clusters", compile_clusters),
    ("events", compile_events),
    ("observations", compile_figures),
    ("targets", compile_figures),
    ("statements", compile_statements),
    ("turtle", compile_turtle),
)


def compile_graph(graph_dir: Path, extra: Sequence[Path] = (), ontology_file: Path | None = None) -> Graph:
    """Compile the data files of ``graph_dir`` (plus ``extra`` files) into one rdflib graph.

    Args:
        graph_dir: the ``graph/`` directory.
        extra: more data files to check together with it (see :func:`authoring_files`).
        ontology_file: the ontology that defines the event types (default: the project's).

    Returns:
        The instance data, with the project's prefixes bound.

    Raises:
        DataError: naming every file, line and cause that is wrong.
    """
    c = Compilation(event_types=event_types(ontology_file))
    bind_prefixes(c.graph)
    by_kind: dict[str, list[Path]] = {}
    for path in authoring_files(graph_dir, extra):
        by_kind.setdefault(kind_of(path) or "", []).append(path)
    for kind, compile_file in COMPILERS:
        for path in by_kind.get(kind, []):
            compile_file(c, path)
    c.problems.extend(c.unresolved())
    if c.problems:
        first, *more = c.problems
        raise DataError(*first, more=more)
    return c.graph
