"""The review of a draft: what a person reads before writing it (clusters, events, questions, what to fill in)."""

from __future__ import annotations

import textwrap

from ..table import render_table
from .listing import TIER_NAMES, TIER_PLURAL
from .model import TODO_SOURCE, DraftData, ProposedEvent

__all__ = ["review_text"]


def review_text(draft: DraftData) -> str:
    """The draft for a person to review: clusters, proposed events, questions and what to fill in."""
    listed = {tier: sum(1 for c in draft.clusters if c.tier == tier) for tier in TIER_NAMES}
    before = {tier: sum(1 for c in draft.previous_clusters if c.tier == tier) for tier in TIER_NAMES}
    lines = [
        f"Draft of version {draft.version} from {draft.list_name}, compared with version {draft.previous} "
        "as it is in the graph.",
        f"Read {listed['sei']} {TIER_PLURAL['sei']} and {listed['future']} {TIER_PLURAL['future']} "
        f"({draft.previous} has {before['sei']} and {before['future']}).",
        f"Source of the list: {_source_text(draft)}.",
        'Every proposal has certainty "uncertain" until a person confirms it.',
    ]
    if draft.replaces_existing:
        lines.append(f"The graph already has a list for {draft.version}: this draft ignores it (a replay).")
    for number, text in draft.ignored:
        lines.append(f"Line {number} read as a title, not a cluster: {text}")
    lines += ["", f"Clusters of {draft.version}"]
    rows = [[c.tier, str(c.position), c.label_zh, c.id, c.match] for c in draft.clusters]
    lines += ["  " + line for line in render_table(["tier", "#", "name", "id", "match"], rows).splitlines()]
    lines += ["", f"Proposed events ({len(draft.events)})"]
    for event in draft.events:
        lines += [
            f"  {event.id}: {event.type}, {event.confidence} confidence",
            f"      {_change(draft, event)}",
            *_wrap(event.reason, "      "),
        ]
    if not draft.events:
        lines.append("  none")
    lines += ["", f"Questions for a person ({len(draft.questions)})", *_questions(draft)]
    if draft.to_fill_in:
        lines += ["", "To fill in"]
        lines += [line for item in draft.to_fill_in for line in _wrap(item, "    ", "  - ")]
    lines += [
        "",
        "Next: write the drafts (kgtool draft --write, or --out DIR), answer the questions in "
        f"events-{draft.version}.toml",
        f"(each answer's events are there, commented out), then kgtool validate clusters-{draft.version}.csv "
        f"events-{draft.version}.toml.",
    ]
    return "\n".join(lines) + "\n"


def _questions(draft: DraftData) -> list[str]:
    lines: list[str] = []
    for number, question in enumerate(draft.questions, start=1):
        lines += _wrap(question.text, "     ", f"  {number}. ")
        for letter, option in zip("abcdefghij", question.options, strict=False):
            proposed = (
                " [proposed]" if question.proposed is not None and question.options[question.proposed] is option else ""
            )
            lines += _wrap(f"{option.description}{proposed}", "        ", f"     {letter}) ")
    return lines or ["  none"]


def _source_text(draft: DraftData) -> str:
    if draft.source.id == TODO_SOURCE:
        return f"not given: each citation names {TODO_SOURCE} for a person to fill in"
    if draft.source.new:
        return f"{draft.source.id} (new: written with the drafts, its row for graph/sources.csv)"
    return f"{draft.source.id} (in the graph)"


def _change(draft: DraftData, event: ProposedEvent) -> str:
    before = " + ".join(draft.name(i) for i in event.from_) or "(none)"
    after = " + ".join(draft.name(i) for i in event.to) or "(a cluster the list does not name)"
    if event.type == draft.event_types.regrouping:
        return f"{before}: sector {event.from_sector} → {event.to_sector}"
    return f"{before} → {after}"


def _wrap(text: str, indent: str, first: str | None = None) -> list[str]:
    return textwrap.wrap(
        text,
        110,
        initial_indent=first if first is not None else indent,
        subsequent_indent=indent,
        break_on_hyphens=False,
    ) or [first or indent]
