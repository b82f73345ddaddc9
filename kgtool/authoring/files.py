"""Which files make up the graph, the kind of record each holds, and the columns of each table."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from ..errors import DataError

__all__ = ["COLUMNS", "OPTIONAL_COLUMNS", "authoring_files", "kind_of"]

#: The columns of each CSV file of graph/, in order (docs/MODEL.md): what is read, and what drafts write.
COLUMNS = {
    "sources": ["id", "title_en", "title_zh", "publisher", "date", "address", "kind", "language", "note"],
    "agents": ["id", "label_en", "label_zh", "kind"],
    "places": ["id", "label_en", "label_zh", "wikidata"],
    "sectors": [
        "id",
        "label_en",
        "label_zh",
        "label_fr",
        "label_ja",
        "versions",
        "certainty",
        "sources",
        "quotes",
        "note",
    ],
    "clusters": [
        "position",
        "id",
        "tier",
        "label_zh",
        "label_en",
        "alt_labels_en",
        "sector",
        "sector_certainty",
        "certainty",
        "sources",
        "quotes",
        "note",
    ],
    "measures": ["id", "label_en", "label_zh", "unit", "definition"],
    "definitions": ["id", "label_en", "label_zh", "definition"],
    "observations": [
        "id",
        "measure",
        "subject",
        "period",
        "reported_value",
        "unit_multiplier",
        "unit",
        "qualifier",
        "reported_text",
        "certainty",
        "sources",
        "quotes",
        "note",
    ],
}
COLUMNS["targets"] = ["id", "version", *COLUMNS["observations"][1:]]
#: Columns a table may leave out.
OPTIONAL_COLUMNS = {"measures": ["additive"], "observations": ["definition"], "targets": ["definition"]}


def authoring_files(graph_dir: Path, extra: Sequence[Path] = ()) -> list[Path]:
    """The files that make up the graph: those of ``graph_dir``, with ``extra`` files added.

    An extra file whose name matches one in ``graph_dir`` takes its place, so a contributor can check
    an edited copy; any other extra file is added (such as a new ``clusters-3.0.csv``).
    """
    files = {p.name: p for p in sorted(graph_dir.iterdir()) if p.is_file() and kind_of(p) is not None}
    for path in extra:
        if not path.is_file():
            raise DataError(path, None, "no such file")
        if kind_of(path) is None:
            raise DataError(
                path,
                None,
                "not a data file: expected sources*.csv, agents.csv, places.csv, sectors.csv, "
                "clusters-VERSION.csv, measures.csv, definitions.csv, observations*.csv, targets*.csv, "
                "versions.toml, events-VERSION.toml, statements.toml, plans-and-claims.toml, corrections.toml "
                "or *.ttl",
            )
        files[path.name] = path
    return list(files.values())


def kind_of(path: Path) -> str | None:
    """The kind of records a data file holds, from its name (None: not a data file)."""
    name = path.name
    if path.suffix == ".ttl":
        return "turtle"
    if path.suffix == ".toml":
        if name == "versions.toml":
            return "versions"
        if name == "statements.toml":
            return "statements"
        if name == "plans-and-claims.toml":
            return "plans"
        if name == "corrections.toml":
            return "corrections"
        if re.fullmatch(r"events-[0-9.]+\.toml", name):
            return "events"
        return None
    if path.suffix != ".csv":
        return None
    if re.fullmatch(r"clusters-[0-9.]+\.csv", name):
        return "clusters"
    for kind in ("sources", "observations", "targets"):
        if name.startswith(kind):
            return kind
    stem = path.stem
    return stem if stem in ("agents", "places", "sectors", "measures", "definitions") else None
