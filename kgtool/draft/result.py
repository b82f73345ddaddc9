"""The draft a person reviews and writes: :class:`Draft`, its data with its files and review."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .model import DraftData, ProposedEvent
from .review import review_text
from .writing import clusters_csv, event_toml, events_toml, write_drafts

__all__ = ["Draft"]


@dataclass(frozen=True)
class Draft(DraftData):
    """A drafted version: clusters, proposed events, questions, and what is left to fill in; its files
    (:meth:`clusters_csv`, :meth:`events_toml`, :meth:`write`) and its :meth:`review`."""

    def clusters_csv(self) -> str:
        """The drafted ``clusters-VERSION.csv`` (columns of docs/MODEL.md)."""
        return clusters_csv(self)

    def events_toml(self) -> str:
        """The drafted ``events-VERSION.toml``: the proposed events, then each question's options commented out."""
        return events_toml(self)

    def event_toml(self, event: ProposedEvent) -> str:
        """One event as an ``[[event]]`` record of ``events-VERSION.toml`` (to add an answer to a question)."""
        return event_toml(self, event)

    def write(self, directory: Path, sources_file: Path | None = None) -> list[Path]:
        """Write the drafts into ``directory``; never over an existing file.

        Args:
            directory: where to write ``clusters-VERSION.csv`` and ``events-VERSION.toml``.
            sources_file: the ``sources.csv`` to add a new source's row to; default
                ``directory/sources-VERSION.csv`` (a file of that one row, checked with the drafts).

        Returns:
            The files written (or added to).

        Raises:
            UsageError: a draft file already exists (the draft is not written).
        """
        return write_drafts(self, directory, sources_file)

    def review(self) -> str:
        """The draft for a person to review: clusters, proposed events, questions and what to fill in."""
        return review_text(self)
