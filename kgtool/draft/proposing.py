"""Proposing: the events and questions a draft has proposed so far, which clusters they explain, and how
an event is named and labelled. The rules (:mod:`.rules`) decide what to propose; this is their ledger."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .known import GraphView, KnownCluster
from .listing import TIER_PLURAL, ListedCluster, PublishedList
from .matching import Gap, Identities
from .model import EventTypes, ProposedEvent, Question
from .names import join

__all__ = ["Proposals"]


@dataclass
class Proposals:
    """What the draft of ``version`` from ``listing`` proposes against ``previous`` (its clusters ``old``)."""

    version: str
    previous: str
    listing: PublishedList
    old: list[KnownCluster]
    view: GraphView
    ids: Identities
    types: EventTypes
    events: list[ProposedEvent] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    explained_old: set[str] = field(default_factory=set)
    explained_new: set[int] = field(default_factory=set)
    event_ids: set[str] = field(default_factory=set)

    # -- names

    def cid(self, listed: ListedCluster) -> str:
        """The id of a listed cluster."""
        return self.ids.of(listed)

    def label(self, ident: str) -> str:
        """A cluster's English name for an event's label (its Chinese name where it has none yet)."""
        for c in self.old:
            if c.id == ident and c.label_en:
                return c.label_en
        for listed in self.listing.clusters:
            if self.cid(listed) == ident:
                return listed.label_en or listed.label_zh
        return next((c.label_zh for c in self.old if c.id == ident), ident)

    def name_of(self, ident: str) -> str:
        """A cluster's Chinese name, as listed or as the previous version had it."""
        return next(
            (c.label_zh for c in self.listing.clusters if self.cid(c) == ident),
            next((c.label_zh for c in self.old if c.id == ident), ident),
        )

    def quote_of(self, ident: str) -> str:
        """The list's words for a listed cluster."""
        return next((c.quote for c in self.listing.clusters if self.cid(c) == ident), "")

    def place(self, new: ListedCluster) -> str:
        """Where a listed cluster is in its tier's list, in words."""
        tier = self.listing.tier(new.tier)
        if new.position == len(tier):
            return f"at the end of the {TIER_PLURAL[new.tier]}"
        return f"at position {new.position} of the {TIER_PLURAL[new.tier]}"

    def sector_id(self, heading: str) -> str:
        """The id of the sector a heading of the list names ("" where the graph has no such sector)."""
        if not heading:
            return ""
        names = {heading, re.sub(r"(产业|领域|板块)$", "", heading)}
        for ident, (zh, en) in self.view.sectors.items():
            if zh in names or en.casefold() == heading.casefold():
                return ident
        return ""

    # -- what is still unexplained

    def open_old(self, gap: Gap) -> list[KnownCluster]:
        """The clusters that left in ``gap`` and that no proposed event explains yet."""
        return [c for c in gap.old if c.id not in self.explained_old]

    def open_new(self, gap: Gap) -> list[ListedCluster]:
        """The clusters that joined in ``gap`` and that no proposed event explains yet."""
        return [c for c in gap.new if id(c) not in self.explained_new]

    # -- events

    def event(
        self,
        type_: str,
        from_: Sequence[str],
        to: Sequence[str],
        confidence: str,
        reason: str,
        quote: str = "",
        sectors: tuple[str, str] = ("", ""),
    ) -> ProposedEvent:
        """A new event of type ``type_`` (a slug of :class:`EventTypes`) with a fresh id; not yet proposed."""
        types = self.types
        subject = to[0] if to and type_ != types.removal else (from_[0] if from_ else "cluster")
        if type_ == types.merger and len(from_) == 1:  # one cluster absorbed by another: name both
            subject = f"{from_[0]}-into-{to[0]}" if to else from_[0]
        base = f"{type_}-{subject}"
        ident, n = base, 2
        while ident in self.event_ids:
            ident, n = f"{base}-{n}", n + 1
        self.event_ids.add(ident)
        label = self.event_label(type_, from_, to)
        if type_ == types.regrouping:
            label = f"{self.label(from_[0])} regrouped from sector {sectors[0]} to {sectors[1]}"
        return ProposedEvent(ident, type_, tuple(from_), tuple(to), label, confidence, reason, quote, *sectors)

    def event_label(self, type_: str, from_: Sequence[str], to: Sequence[str]) -> str:
        """An event's English label, such as "Machine Tools merged into High-end Equipment & Instruments"."""
        types = self.types
        before = join([self.label(i) for i in from_])
        after = join([self.label(i) for i in to])
        tier_of = {self.cid(c): c.tier for c in self.listing.clusters} | {c.id: c.tier for c in self.old}
        if type_ == types.addition:
            where = (
                "to the future industries"
                if tier_of.get(to[0]) == "future"
                else "as a strategic emerging industry cluster"
            )
            return f"{after} added {where}"
        if type_ == types.elevation:
            return f"{after} elevated out of {before} to a cluster of its own"
        if type_ == types.merger:
            return f"{before} merged into {after or 'another cluster'}"
        if type_ == types.renaming:
            return f"{before} renamed {after}"
        if type_ == types.move:
            return f"{before} moved to the {TIER_PLURAL[tier_of.get(to[0], 'future')]}"
        if type_ == types.removal:
            return f"{before} removed from the {TIER_PLURAL[tier_of.get(from_[0], 'sei')]}"
        return f"{before} {type_}"

    def propose(self, event: ProposedEvent) -> ProposedEvent:
        """Propose ``event``: the clusters it joins count as explained."""
        self.events.append(event)
        self.explained_old.update(event.from_)
        for listed in self.listing.clusters:
            if self.cid(listed) in event.to:
                self.explained_new.add(id(listed))
        return event
