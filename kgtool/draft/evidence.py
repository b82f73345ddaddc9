"""The announcement of the version as evidence: each priority its announcement named and the graph ties to a
cluster of the previous version (:class:`~kgtool.draft.known.AnnouncedPriority`) goes into the proposals and
questions about that cluster, with its words as a second source. Evidence, not proof: proposals stay
uncertain, and no link made by an English name decides a question."""

from __future__ import annotations

import dataclasses

from .known import AnnouncedPriority
from .model import Option, ProposedEvent
from .proposing import Proposals

__all__ = ["priorities_of", "with_evidence", "announced_evidence"]


def priorities_of(p: Proposals, ident: str) -> list[AnnouncedPriority]:
    """The priorities of the version's announcement tied to a cluster of an earlier version (by its id), or,
    for a new cluster, the priorities tied to none whose English name is the cluster's."""
    announced = p.view.priorities.get(p.version, [])
    tied = [a for a in announced if a.cluster == ident]
    new = next((c for c in p.listing.clusters if p.cid(c) == ident and p.ids.is_new(c)), None)
    if new is not None and new.label_en:
        tied += [a for a in announced if not a.cluster and a.label_en.casefold() == new.label_en.casefold()]
    return tied


def with_evidence(p: Proposals, event: ProposedEvent) -> ProposedEvent:
    """The event with the announcement's priorities tied to its clusters: in its reason, and as sources."""
    priorities = [a for ident in (*event.from_, *event.to) for a in priorities_of(p, ident)]
    if not priorities:
        return event
    reason = " ".join([event.reason, *(a.evidence(p.version, p.name_of(a.cluster)) for a in priorities)])
    evidence = tuple(dict.fromkeys((*event.evidence, *((a.source, a.quote) for a in priorities))))
    return dataclasses.replace(event, reason=reason, evidence=evidence)


def announced_evidence(p: Proposals) -> None:
    """Each priority of the announcement tied to a cluster becomes evidence: of the proposals that take or give
    that cluster; of the question about a cluster that left the list (with, where the list has a new cluster of
    the priority's English name, the option that it became that cluster); and, for a cluster that is kept, of
    its match."""
    p.events = [with_evidence(p, e) for e in p.events]
    questions = []
    for question in p.questions:
        options = [Option(o.description, tuple(with_evidence(p, e) for e in o.events)) for o in question.options]
        text = question.text
        for ident in question.about:
            old = next((c for c in p.old if c.id == ident), None)
            for priority in priorities_of(p, ident):
                text += " " + priority.evidence(p.version, p.name_of(ident))
                if old is None:
                    continue
                for new in p.listing.clusters:
                    if not p.ids.is_new(new) or new.label_en.casefold() != priority.label_en.casefold():
                        continue
                    kind = p.types.renaming if new.tier == old.tier else p.types.move
                    change = (kind, (ident,), (p.cid(new),))
                    if any((e.type, e.from_, e.to) == change for o in options for e in o.events):
                        continue  # an option of the question says it already
                    reason = f"{new.label_zh} has the English name of the priority tied to {old.label_zh}."
                    event = p.event(kind, [ident], [p.cid(new)], "low", reason, new.quote)
                    options.append(
                        Option(
                            f"{kind} into {new.label_zh} ({new.label_en}, the English name of the priority of "
                            f"{p.version}'s announcement tied to it)",
                            (with_evidence(p, event),),
                        )
                    )
        questions.append(dataclasses.replace(question, text=text, options=tuple(options)))
    p.questions = questions
    for listed in p.listing.clusters:
        match, predecessor = p.ids.matches[id(listed)]
        priorities = priorities_of(p, predecessor) if match.startswith("kept") else []
        if priorities:
            names = "; ".join(f"{a.label_en} ({a.relation}, {a.certainty})" for a in priorities)
            p.ids.matches[id(listed)] = (f"{match}; {p.version}'s announcement names {names}", predecessor)
