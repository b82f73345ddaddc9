"""The rules that propose events, each for one kind of change, in the order they run (strong renamings
first, since they decide a merger's members; then mergers, weaker renamings, one-for-one renamings, moves,
new names, regroupings, and questions for what nothing explains).

Each rule proposes events of the ontology's event types (:class:`~kgtool.draft.model.EventTypes`) on the
ledger it is given (:class:`~kgtool.draft.proposing.Proposals`)."""

from __future__ import annotations

import re

from .known import KnownCluster
from .listing import TIER_NAMES, TIER_PLURAL, ListedCluster
from .matching import Gap, gaps
from .model import Option, ProposedEvent, Question
from .names import in_order, rename_evidence, words
from .proposing import Proposals

__all__ = ["apply_rules"]


def apply_rules(p: Proposals) -> None:
    """Run every rule, then put the events in the order of the list."""
    found = [gap for tier in TIER_NAMES for gap in gaps(p.old, p.listing, tier)]
    for gap in found:
        renamings(p, gap, strength=3)
    for gap in found:
        mergers(p, gap)
    for gap in found:
        renamings(p, gap, strength=2)
    for gap in found:
        one_for_one(p, gap)
    moves(p)
    for gap in found:
        new_names(p, gap)
    regroupings(p)
    disappearances(p)
    order = {p.cid(c): (list(TIER_NAMES).index(c.tier), c.position) for c in p.listing.clusters}
    old_order = {c.id: (list(TIER_NAMES).index(c.tier), c.position) for c in p.old}

    def key(event: ProposedEvent) -> tuple[int, int]:
        if event.to:
            return order.get(event.to[0], (9, 0))
        return old_order.get(event.from_[0], (9, 0))

    p.events.sort(key=key)


def renamings(p: Proposals, gap: Gap, strength: int) -> None:
    """Pairs of one old and one new name in the same place whose names say they are one cluster."""
    pairs = []
    for old in p.open_old(gap):
        for new in p.open_new(gap):
            evidence = rename_evidence(old.label_zh, new.label_zh)
            if evidence and evidence[0] == strength:
                pairs.append((-evidence[0], abs(old.position - new.position), old, new, evidence))
    for _, _, old, new, (strength, reason) in sorted(pairs, key=lambda pair: pair[:2]):
        if old.id in p.explained_old or id(new) in p.explained_new:
            continue
        p.propose(
            p.event(
                p.types.renaming,
                [old.id],
                [p.cid(new)],
                "high" if strength == 3 else "medium",
                f"{reason}; both in the same place of the list ({gap.where()}), where {old.label_zh} "
                f"left and {new.label_zh} joined the {TIER_PLURAL[gap.tier]}.",
                new.quote,
            )
        )


def mergers(p: Proposals, gap: Gap) -> None:
    """One new name made of the words of several old names of its place (or of their sector's name)."""
    olds = p.open_old(gap)
    if len(olds) < 2:
        return
    candidates = []
    for new in p.open_new(gap):
        new_words = words(new.label_zh)
        linked: dict[str, str] = {}  # old id -> where the new name takes words from
        for old in olds:
            shared = new_words & words(old.label_zh)
            if shared:
                linked[old.id] = f"{in_order(shared, new.label_zh)} from {old.label_zh}"
        for sector in sorted({old.sector_zh for old in olds if old.sector_zh}):
            shared = new_words & words(sector)
            if shared:
                for old in olds:
                    if old.sector_zh == sector:
                        linked.setdefault(old.id, f"{in_order(shared, new.label_zh)} from their sector {sector}")
        if len(linked) >= 2:
            candidates.append((new, linked))
    if len(candidates) != 1:
        return  # none, or several new names competing for the same old ones: left to the questions
    new, linked = candidates[0]
    members = [old for old in olds if old.id in linked]
    reasons = "; ".join(dict.fromkeys(linked[old.id] for old in members))
    p.propose(
        p.event(
            p.types.merger,
            [old.id for old in members],
            [p.cid(new)],
            "medium",
            f"{len(members)} clusters ({'、'.join(old.label_zh for old in members)}) left the same place of the "
            "list "
            f"({gap.where()}) where one new name joined, and {new.label_zh} is made of their words "
            f"({reasons}).",
            new.quote,
        )
    )


def one_for_one(p: Proposals, gap: Gap) -> None:
    """One old name and one new name left alone in the same place: a renaming, of low confidence."""
    olds, news = p.open_old(gap), p.open_new(gap)
    if len(olds) != 1 or len(news) != 1:
        return
    old, new = olds[0], news[0]
    shared = sorted(set(old.label_zh) & set(new.label_zh) - {"与", "和"}, key=old.label_zh.index)
    in_common = f"; the names share {'、'.join(shared)}" if shared else "; the names share no character"
    event = p.event(
        p.types.renaming,
        [old.id],
        [p.cid(new)],
        "low",
        f"{old.label_zh} left and {new.label_zh} joined the same place of the list "
        f"({gap.where()}), and nothing else changed there{in_common}.",
        new.quote,
    )
    p.propose(event)
    added = p.event(p.types.addition, [], [p.cid(new)], "low", "a name not in the previous list.", new.quote)
    p.questions.append(
        Question(
            (old.id, p.cid(new)),
            f"Was {old.label_zh} ({p.previous}) renamed {new.label_zh}? Only their place in the list links them.",
            (
                Option(f"renamed: {old.label_zh} → {new.label_zh}", (event,)),
                Option(
                    f"two changes: {new.label_zh} added, and {old.label_zh} removed or merged into another cluster",
                    (added,),
                ),
            ),
            proposed=0,
        )
    )


def moves(p: Proposals) -> None:
    """A name that left one tier and joined the other."""
    for new in p.listing.clusters:
        if id(new) in p.explained_new or not p.ids.is_new(new):
            continue
        for old in p.old:
            if old.label_zh != new.label_zh or old.tier == new.tier:
                continue
            if any(c.label_zh == old.label_zh and c.tier == old.tier for c in p.listing.clusters):
                continue  # the name is still in its tier
            move = p.event(
                p.types.move,
                [old.id],
                [p.cid(new)],
                "high",
                f"{old.label_zh} left the {TIER_PLURAL[old.tier]} and the same name joined the "
                f"{TIER_PLURAL[new.tier]}.",
                new.quote,
            )
            if old.id not in p.explained_old:
                p.propose(move)
            else:
                _move_or_addition(p, new, old, move)


def _move_or_addition(p: Proposals, new: ListedCluster, old: KnownCluster, move: ProposedEvent) -> None:
    """The old cluster is already explained (say, renamed in its own tier): the same name in the other tier
    is then an addition, or the account is a move and the renaming an addition. Proposes the first and asks."""
    other = next(e for e in p.events if old.id in e.from_)
    added = p.propose(
        p.event(
            p.types.addition,
            [],
            [p.cid(new)],
            "medium",
            f"a name new to the {TIER_PLURAL[new.tier]}, listed {p.place(new)}. It is the name of "
            f"{old.label_zh} ({TIER_NAMES[old.tier]} of {p.previous}), proposed as "
            f"{other.type} ({other.id}): see the question.",
            new.quote,
        )
    )
    replacement = (
        [p.event(p.types.addition, [], list(other.to), "low", "the alternative account.", p.quote_of(other.to[0]))]
        if other.type == p.types.renaming
        else []
    )
    p.questions.append(
        Question(
            (old.id, p.cid(new)),
            f"{new.label_zh} joined the {TIER_PLURAL[new.tier]} with the name of the "
            f"{TIER_NAMES[old.tier]} {old.label_zh} of {p.previous}. Is it a new cluster, or did "
            f"{old.label_zh} move tier?",
            (
                Option(f"as proposed: {other.id} and {added.id}", (other, added)),
                Option(
                    f"{old.label_zh} moved to the {TIER_PLURAL[new.tier]}"
                    + (f", and {p.name_of(other.to[0])} was added" if replacement else ""),
                    (move, *replacement),
                ),
            ),
            proposed=0,
        )
    )


def new_names(p: Proposals, gap: Gap) -> None:
    """New names not explained so far: elevated out of a cluster that continues, or added."""
    continuing = [c for c in p.old if any(c.label_zh == n.label_zh and c.tier == n.tier for n in p.listing.clusters)]
    for new in p.open_new(gap):
        if not p.ids.is_new(new):
            continue
        parents = [c for c in continuing if c.tier == new.tier and new.label_zh in re.split(r"[与和及]", c.label_zh)]
        if parents:
            parent = parents[0]
            p.propose(
                p.event(
                    p.types.elevation,
                    [parent.id],
                    [p.cid(new)],
                    "medium",
                    f"{new.label_zh} is a part of the name of {parent.label_zh}, which continues.",
                    new.quote,
                )
            )
        elif gap.before is not None and gap.after is not None and not gap.old and new is gap.new[0]:
            _elevation_or_addition(p, gap, new)
        else:
            _addition(p, gap, new)


def _elevation_or_addition(p: Proposals, gap: Gap, new: ListedCluster) -> None:
    """A new name listed right after a cluster that continues: split out of it (proposed), or new (asked)."""
    parent = gap.before
    assert parent is not None
    event = p.propose(
        p.event(
            p.types.elevation,
            [parent.id],
            [p.cid(new)],
            "low",
            f"{new.label_zh} is new and listed right after {parent.label_zh}, which continues, in the "
            f"middle of the {TIER_PLURAL[new.tier]} ({gap.where()}): a list puts a cluster "
            "split out of another beside it. Nothing else in the list links them.",
            new.quote,
        )
    )
    added = p.event(p.types.addition, [], [p.cid(new)], "low", "a name not in the previous list.", new.quote)
    p.questions.append(
        Question(
            (parent.id, p.cid(new)),
            f"Was {new.label_zh} split out of {parent.label_zh} (listed just before it), or is it new?",
            (
                Option(f"elevated out of {parent.label_zh}", (event,)),
                Option(f"added ({new.label_zh} is new, not part of {parent.label_zh} before)", (added,)),
            ),
            proposed=0,
        )
    )


def _addition(p: Proposals, gap: Gap, new: ListedCluster) -> None:
    """A new name nothing else explains: added (medium confidence where old names left the same place)."""
    near = [
        c
        for c in p.old
        if c.tier != new.tier
        and c.label_zh != new.label_zh
        and (c.label_zh in new.label_zh or new.label_zh in c.label_zh)
    ]
    also = f" Its name contains {near[0].label_zh} ({TIER_NAMES[near[0].tier]} of {p.previous})." if near else ""
    left = p.open_old(gap)
    if left:  # then it may be one of them renamed: see their questions
        also += f" In the same place {'、'.join(c.label_zh for c in left)} left the list: see the questions."
    p.propose(
        p.event(
            p.types.addition,
            [],
            [p.cid(new)],
            "medium" if left else "high",
            f"a name not in the {p.previous} list, listed {p.place(new)} ({gap.where()}).{also}",
            new.quote,
        )
    )


def regroupings(p: Proposals) -> None:
    """A cluster that kept its identity but is listed under another sector than before."""
    before = {c.id: c for c in p.old}
    for listed in p.listing.clusters:
        old = before.get(p.ids.predecessor(listed))
        sector = p.sector_id(listed.sector)
        if old is None or not sector or not old.sector or sector == old.sector:
            continue
        p.events.append(
            p.event(
                p.types.regrouping,
                [old.id],
                [old.id],
                "medium",
                f"listed under {listed.sector}; in {p.previous} it was under {old.sector_zh}.",
                listed.quote,
                (old.sector, sector),
            )
        )


def disappearances(p: Proposals) -> None:
    """Old clusters nothing in the list explains: removed, or merged into another? A question each."""
    for old in sorted(p.old, key=lambda c: (list(TIER_NAMES).index(c.tier), c.position)):
        if old.id in p.explained_old:
            continue
        if any(c.label_zh == old.label_zh and c.tier == old.tier for c in p.listing.clusters):
            continue
        old_words = words(old.label_zh)
        related = [c for c in p.listing.clusters if old_words & words(c.label_zh)]
        removed = p.event(
            p.types.removal,
            [old.id],
            [],
            "low",
            f"{old.label_zh} is not in the {p.version} list; the list can only show an absence.",
        )
        options = [Option(f"removed from the {TIER_PLURAL[old.tier]}", (removed,))]
        for new in related:
            shared = in_order(old_words & words(new.label_zh), old.label_zh)
            merged = p.event(
                p.types.merger,
                [old.id],
                [p.cid(new)],
                "low",
                f"{new.label_zh} shares {shared} with {old.label_zh}.",
                new.quote,
            )
            tier = "" if new.tier == old.tier else f", a {TIER_NAMES[new.tier]}"
            options.append(Option(f"merged into {new.label_zh}{tier} (the names share {shared})", (merged,)))
        merged = p.event(
            p.types.merger,
            [old.id],
            [],
            "low",
            f"{old.label_zh} is not in the {p.version} list; name the cluster it merged into.",
        )
        options.append(Option("merged into a cluster the list does not name", (merged,)))
        p.questions.append(
            Question(
                (old.id,),
                f"{old.label_zh} ({old.label_en or old.id}, {TIER_NAMES[old.tier]} of {p.previous}) is not in "
                f"the {p.version} list, and nothing in the list says what became of it.",
                tuple(options),
            )
        )
