"""Writing a draft: ``clusters-VERSION.csv``, ``events-VERSION.toml`` (each question's answers commented out)
and a new source's row, each file written atomically and never over an existing one."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ..authoring import COLUMNS
from ..errors import UsageError
from .model import DraftData, ProposedEvent

__all__ = ["clusters_csv", "events_toml", "event_toml", "write_drafts"]


def clusters_csv(draft: DraftData) -> str:
    """The drafted ``clusters-VERSION.csv`` (columns of docs/MODEL.md)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS["clusters"])  # the columns authoring reads, in its order
    for c in draft.clusters:
        writer.writerow(
            [
                c.position,
                c.id,
                c.tier,
                c.label_zh,
                c.label_en,
                "",
                c.sector,
                "uncertain" if c.sector else "",
                "uncertain",
                draft.source.id,
                c.listed.quote,
                f"Drafted by kgtool draft from {draft.list_name}: {c.match}.",
            ]
        )
    return out.getvalue()


def events_toml(draft: DraftData) -> str:
    """The drafted ``events-VERSION.toml``: the proposed events, then each question's options commented out."""
    lines = [
        f"# Reclassification events from version {draft.previous} to version {draft.version} (docs/MODEL.md).",
        f'# Drafted by kgtool draft from {draft.list_name}: every event is a proposal (certainty "uncertain")',
        "# until a person checks it against its sources and confirms it. Questions are at the end.",
        "",
        f"version = {_toml(draft.version)}",
        f"previous = {_toml(draft.previous)}",
    ]
    for event in draft.events:
        lines += ["", *_event_lines(draft, event)]
    if draft.questions:
        lines += [
            "",
            "# -- Questions for a person " + "-" * 74,
            "# The list alone cannot decide these. For each, uncomment the events of one answer (or of",
            "# several, listed as `competing` claims when sources disagree) and fill in their sources.",
        ]
    for number, question in enumerate(draft.questions, start=1):
        lines += ["", f"# Question {number}: {question.text}"]
        for letter, option in zip("abcdefghij", question.options, strict=False):
            proposed = (
                " (proposed above)"
                if question.proposed is not None and question.options[question.proposed] is option
                else ""
            )
            lines += ["#", f"# {letter}) {option.description}{proposed}"]
            if not proposed:
                lines += [
                    "# " + line if line else "#" for event in option.events for line in _event_lines(draft, event)
                ]
    return "\n".join(lines) + "\n"


def event_toml(draft: DraftData, event: ProposedEvent) -> str:
    """One event as an ``[[event]]`` record of ``events-VERSION.toml`` (to add an answer to a question)."""
    return "\n".join(_event_lines(draft, event)) + "\n"


def _event_lines(draft: DraftData, event: ProposedEvent) -> list[str]:
    merger = draft.event_types.merger
    to = list(event.to) if event.to else (["CLUSTER-ID"] if event.type == merger else [])
    lines = [
        "[[event]]",
        f"id = {_toml(event.id)}",
        f"type = {_toml(event.type)}",
        f"from = {_toml_list(event.from_)}",
        f"to = {_toml_list(to)}"
        + ("  # the cluster it merged into: the list does not say" if not event.to and event.type == merger else ""),
    ]
    if event.type == draft.event_types.regrouping:
        lines += [f"from_sector = {_toml(event.from_sector)}", f"to_sector = {_toml(event.to_sector)}"]
    lines += [
        f"label_en = {_toml(event.label_en)}",
        f"certainty = {_toml(event.certainty)}",
        f"note = {_toml(f'Drafted ({event.confidence} confidence): {event.reason}')}",
        "competing = []",
        "",
        "[[event.source]]",
        f"id = {_toml(draft.source.id)}",
        f"quote = {_toml(event.quote)}"
        + ("  # the list can only show an absence: quote a source that states it" if not event.quote else ""),
    ]
    return lines


def write_drafts(draft: DraftData, directory: Path, sources_file: Path | None = None) -> list[Path]:
    """Write the drafts into ``directory``; never over an existing file (see :meth:`kgtool.draft.Draft.write`)."""
    clusters = directory / f"clusters-{draft.version}.csv"
    events = directory / f"events-{draft.version}.toml"
    targets = [clusters, events]
    if draft.source.new and sources_file is None:
        sources_file = directory / f"sources-{draft.version}.csv"
        targets.append(sources_file)
    existing = [str(p) for p in targets if p.exists()]
    if existing:
        raise UsageError(
            f"not overwriting {', '.join(existing)}: move it away, or write the draft elsewhere (--out DIR)"
        )
    directory.mkdir(parents=True, exist_ok=True)
    _write_atomically(clusters, clusters_csv(draft))
    _write_atomically(events, events_toml(draft))
    written = [clusters, events]
    if draft.source.new and sources_file is not None:
        row = io.StringIO()
        csv.writer(row, lineterminator="\n").writerow(draft.source.csv_row(draft.version))
        if sources_file.exists():
            text = sources_file.read_text(encoding="utf-8")
            _write_atomically(sources_file, text + ("" if text.endswith("\n") else "\n") + row.getvalue())
        else:
            header = ",".join(COLUMNS["sources"]) + "\n"
            _write_atomically(sources_file, header + row.getvalue())
        written.append(sources_file)
    return written


def _toml(value: str) -> str:
    # A JSON string is a TOML basic string (same escapes), so the draft is always valid TOML.
    return json.dumps(value, ensure_ascii=False)


def _toml_list(values: Iterable[str]) -> str:
    return "[" + ", ".join(_toml(v) for v in values) + "]"


def _write_atomically(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
