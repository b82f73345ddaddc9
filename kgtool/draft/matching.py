"""Matching the list with the previous version: which listed cluster keeps which id (the identity rule of
docs/MODEL.md), and where in each tier's list clusters left and joined (the gaps between unchanged
neighbours, where each change is looked for)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .known import GraphView, KnownCluster, version_key
from .listing import ListedCluster, PublishedList
from .names import lcs, slugify

__all__ = ["Identities", "Gap", "identities", "gaps"]

#: Slug suffix of a cluster that takes a name another tier held (docs/MODEL.md, identity rule).
_TIER_SUFFIX = {"future": "-future-industry", "sei": "-strategic-cluster"}


@dataclass
class Identities:
    """The id of each listed cluster and why it has it: kept by the identity rule, or new."""

    ids: dict[int, str] = field(default_factory=dict)  # id(listed) -> cluster id
    matches: dict[int, tuple[str, str]] = field(default_factory=dict)  # id(listed) -> (match, predecessor)
    #: Clusters the list gives no English name for (their ids are placeholders), for a person to fill in.
    unnamed: list[str] = field(default_factory=list)

    def of(self, listed: ListedCluster) -> str:
        """The id of a listed cluster."""
        return self.ids[id(listed)]

    def is_new(self, listed: ListedCluster) -> bool:
        """Whether the listed cluster has a new id (no earlier version had its name in its tier)."""
        return self.matches[id(listed)][0] == "new"

    def predecessor(self, listed: ListedCluster) -> str:
        """The id a listed cluster keeps ("" for a new one)."""
        return self.matches[id(listed)][1]


def identities(
    version: str, previous: str, listing: PublishedList, old: list[KnownCluster], view: GraphView
) -> Identities:
    """The ids of the listed clusters: a name and tier that ``previous`` (or an older version) had keeps its
    id; any other is a new id, from its English name (with a suffix where the other tier had the name)."""
    later = version_key(version)
    used = {i for number, ids in view.cluster_ids.items() if version_key(number) < later for i in ids}
    by_name = {(c.label_zh, c.tier): c for c in old}
    older = {(c.label_zh, c.tier): c for number, cs in view.members.items() if version_key(number) < later for c in cs}
    found = Identities()
    for listed in listing.clusters:
        same = by_name.get((listed.label_zh, listed.tier))
        if same is not None:
            found.ids[id(listed)] = same.id
            found.matches[id(listed)] = (f"kept: same name and tier as in {previous}", same.id)
            continue
        earlier = older.get((listed.label_zh, listed.tier))
        if earlier is not None:  # a name and tier an older version had: the identity rule keeps its id
            found.ids[id(listed)] = earlier.id
            found.matches[id(listed)] = ("kept: same name and tier as in an older version", earlier.id)
            continue
        other_tier = [c for (zh, tier), c in older.items() if zh == listed.label_zh and tier != listed.tier]
        if other_tier:
            base = other_tier[0].id + _TIER_SUFFIX[listed.tier]
        elif listed.label_en:
            base = slugify(listed.label_en)
        else:
            base = f"new-{listed.tier}-{listed.position}"
            found.unnamed.append(f"{listed.label_zh} (line {listed.line}, id {base})")
        ident = base
        suffix = 2
        while ident in used:
            ident, suffix = f"{base}-{suffix}", suffix + 1
        used.add(ident)
        found.ids[id(listed)] = ident
        found.matches[id(listed)] = ("new", "")
    return found


@dataclass
class Gap:
    """The place between two unchanged neighbours where clusters left and joined a tier's list."""

    tier: str
    old: list[KnownCluster]
    new: list[ListedCluster]
    before: KnownCluster | None  # the unchanged cluster just before the place (None at the start)
    after: KnownCluster | None  # the unchanged cluster just after it (None at the end)

    def where(self) -> str:
        """The place in words: between, after or before its unchanged neighbours."""
        if self.before and self.after:
            return f"between {self.before.label_zh} and {self.after.label_zh}"
        if self.before:
            return f"after {self.before.label_zh}"
        if self.after:
            return f"before {self.after.label_zh}, at the start of the list"
        return "in a list that shares no name with the previous one"


def gaps(old: list[KnownCluster], listing: PublishedList, tier: str) -> list[Gap]:
    """The places of one tier's list where names left or joined: the two lists are aligned on the names they
    share in the same order (a longest common subsequence), and each stretch between two of them is a gap."""
    before = sorted((c for c in old if c.tier == tier), key=lambda c: c.position)
    after = listing.tier(tier)
    anchors = lcs([c.label_zh for c in before], [c.label_zh for c in after])
    kept = {c.label_zh for c in before} & {c.label_zh for c in after}
    found: list[Gap] = []
    bounds = [(-1, -1), *anchors, (len(before), len(after))]
    for (i0, j0), (i1, j1) in zip(bounds, bounds[1:], strict=False):
        gap_old = [c for c in before[i0 + 1 : i1] if c.label_zh not in kept]
        gap_new = [c for c in after[j0 + 1 : j1] if c.label_zh not in kept]
        if gap_old or gap_new:
            found.append(
                Gap(
                    tier,
                    gap_old,
                    gap_new,
                    before[i0] if i0 >= 0 else None,
                    before[i1] if i1 < len(before) else None,
                )
            )
    return found
