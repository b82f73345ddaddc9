"""Draft a new version from its published list: clusters matched by the identity rule, changes proposed.

When a new version's list of clusters is published, :func:`draft_version` reads it as published (plain
text or CSV, Chinese names with English ones where the list has them, under the tier headings
战略性新兴产业集群 / 未来产业, possibly grouped by sector, numbered or not), compares it with the previous
version as it is in the graph, and proposes:

- the rows of ``graph/clusters-VERSION.csv``: a cluster whose Chinese name and tier are unchanged keeps
  its id (the identity rule of docs/MODEL.md); any other cluster is new;
- the events of ``graph/events-VERSION.toml``: every difference as a typed event with its reason and a
  confidence (high, medium, low);
- questions for a person where the list alone cannot decide (a cluster that disappeared may have been
  removed or merged into another; a name that moved tier may have been renamed instead).

Nothing is invented. Every proposal has ``certainty = "uncertain"`` until a person confirms it; an event
the list cannot justify is only an option of a question (written commented out in the TOML draft); a
citation without a known source is left for a person to fill in (``TODO-source``).

How the list reveals a change: lists keep their order, so the two lists of a tier are aligned on the
clusters they share (a longest common subsequence of names) and each change is looked for where it
happened, between the same two unchanged neighbours. There, one name contained in the other, a
one-character change or a shared beginning or ending of two or more characters is a renaming; one new
name made of the words of several old names (or of their sector's name) is a merger; one old and one new
name alone in their place is a renaming of low confidence. A new name inserted right after a cluster that
continues is proposed as elevated out of it (low confidence); a new name at the end, as an addition. A
name that changes tier is a move.

The package, one module a step: :mod:`.listing` reads the list, :mod:`.known` reads what the graph knows,
:mod:`.matching` keeps ids by the identity rule and finds where the lists differ, :mod:`.rules` proposes
events (of the ontology's event types, :class:`~kgtool.draft.model.EventTypes`) on the ledger of
:mod:`.proposing`, :mod:`.drafting` puts it together, and :mod:`.writing` and :mod:`.review` turn the
:class:`Draft` into files and a review.
"""

from __future__ import annotations

from .drafting import MAX_LIST_BYTES, draft_version
from .known import KnownCluster
from .listing import MAX_CLUSTERS, ListedCluster, PublishedList, read_list
from .model import TODO_SOURCE, DraftCluster, DraftSource, EventTypes, Option, ProposedEvent, Question
from .result import Draft

__all__ = [
    "PublishedList",
    "ListedCluster",
    "KnownCluster",
    "DraftSource",
    "DraftCluster",
    "ProposedEvent",
    "Option",
    "Question",
    "Draft",
    "EventTypes",
    "read_list",
    "draft_version",
    "TODO_SOURCE",
    "MAX_CLUSTERS",
    "MAX_LIST_BYTES",
]
