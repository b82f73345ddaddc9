"""Reading the data files into records (a CSV row, a TOML table), each with the file and line it came from.

A file that cannot be read adds its problems (file, line, cause) to the list it is given and yields
what it could read, so that the compiler reports every problem at once.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DataError
from ..utf8 import read_utf8

__all__ = ["Problem", "Record", "read_csv", "read_toml", "toml_record"]

#: One problem of the sources: the file, the line (None: the whole file) and the cause.
Problem = tuple[Path, int | None, str]


@dataclass
class Record:
    """One row or record of a data file, with where it came from."""

    path: Path
    line: int
    values: dict[str, Any]
    #: For a TOML record: its own lines (number, text), to point at the line of a bad value.
    source_lines: tuple[tuple[int, str], ...] = ()

    def line_of(self, value: str | None) -> int:
        """The line of the record where ``value`` is written (the record's first line if not found)."""
        if value:
            for number, text in self.source_lines:
                if f'"{value}"' in text:
                    return number
        return self.line

    def get(self, key: str) -> str:
        value = self.values.get(key)
        if value is None:
            return ""
        return value.strip() if isinstance(value, str) else value


def read_csv(path: Path, columns: list[str], problems: list[Problem], optional: Sequence[str] = ()) -> list[Record]:
    """The non-empty rows of a CSV file whose header must have ``columns`` (and may have ``optional`` ones)."""
    records: list[Record] = []
    try:
        return _read_rows(path, read_utf8(path), columns, problems, records, optional)
    except DataError as error:
        problems.extend(error.problems)
    return records


def _header_problem(header: Sequence[str], columns: list[str], optional: Sequence[str]) -> str | None:
    missing = [c for c in columns if c not in header]
    unknown = [c for c in header if c not in columns and c not in optional]
    if not missing and not unknown:
        return None
    parts = (
        f"missing column(s) {', '.join(missing)}" if missing else "",
        f"unknown column(s) {', '.join(unknown)}" if unknown else "",
    )
    return (
        "header: "
        + "; ".join(part for part in parts if part)
        + f" (expected: {','.join(columns)}"
        + (f"; optional: {','.join(optional)}" if optional else "")
        + ")"
    )


def _read_rows(
    path: Path,
    text: str,
    columns: list[str],
    problems: list[Problem],
    records: list[Record],
    optional: Sequence[str] = (),
) -> list[Record]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    start = 1  # the line of the row being read
    try:
        header = reader.fieldnames or []
        cause = _header_problem(header, columns, optional)
        if cause is not None:
            problems.append((path, 1, cause))
            return records
        start = 2
        for row in reader:
            if None in row:
                problems.append((path, start, f"more cells than the {len(header)} columns of the header"))
            elif any(v is None for v in row.values()):
                problems.append((path, start, f"fewer cells than the {len(header)} columns of the header"))
            elif any((v or "").strip() for v in row.values()):
                records.append(Record(path, start, row))
            start = reader.line_num + 1
    except csv.Error as error:
        cause = str(error)
        if "field larger than field limit" in cause:
            cause = f"a cell is longer than {csv.field_size_limit()} characters (a missing closing quote?)"
        problems.append((path, start, f"CSV: {cause}"))
    return records


def read_toml(path: Path, problems: list[Problem]) -> tuple[dict[str, Any], str]:
    """The tables of a TOML file and its text (``{}`` where it cannot be read)."""
    try:
        text = read_utf8(path)
    except DataError as error:
        problems.extend(error.problems)
        return {}, ""
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"at line (\d+)", str(error))
        problems.append((path, int(match.group(1)) if match else None, f"TOML syntax: {error}"))
        return {}, text


def toml_record(path: Path, text: str, raw: dict[str, Any]) -> Record:
    """A TOML record, located by its ``id = "..."`` line, with its lines up to the next record."""
    ident = str(raw.get("id", ""))
    lines = text.splitlines()
    pattern = re.compile(rf'^\s*id\s*=\s*"{re.escape(ident)}"')
    start = next((i for i, line in enumerate(lines) if pattern.match(line)), None)
    if start is None:
        return Record(path, 1, raw)
    end = next((i for i in range(start + 1, len(lines)) if re.match(r"^\s*id\s*=", lines[i])), len(lines))
    return Record(path, start + 1, raw, tuple((i + 1, lines[i]) for i in range(start, end)))
