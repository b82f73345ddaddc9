"""What an announced version's announcement says about the clusters of the version it will revise (3.0's
about 2.0's), for the evolution diagram, the version page and each cluster page: the named queries
``announcement-by-cluster`` (priorities and planned measures tied to each cluster, each tie with its
certainty and the announcement's words) and ``achievement-claims`` (claims of achievement by cluster).

These are announced links, not reclassification events: nothing is merged, renamed or added until the
version's list is published, and the pages draw and word them so.
"""

from __future__ import annotations

from typing import Any

from ..graph import KnowledgeGraph
from .names import Names

__all__ = ["announced_links", "cluster_outlook"]


def announced_links(kg: KnowledgeGraph, names: Names, versions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per (cluster, priority) that an announced version's announcement ties together, with the
    mention (``priority``: the priority concerns the cluster; ``related``: a priority with a related name;
    ``plan``: only a planned measure concerns it), the tie's certainty, the words quoted, and the planned
    measures. ``versions``: the versions as :func:`kgtool.web.data._versions` lists them."""
    links: dict[tuple[str, str], dict[str, Any]] = {}
    for version in versions:
        if version["status"] != "announced" or not version["previous"]:
            continue
        for r in kg.query("announcement-by-cluster", version=version["previous"]):
            if r.mention == "none":
                continue
            target = str(r.priority) if r.priority is not None else str(r.plan)
            key = (str(r.cluster), target)
            link = links.setdefault(
                key,
                {
                    "version": version["number"],
                    "from_version": version["previous"],
                    "cluster": names.node(str(r.cluster)),
                    "mention": r.mention,
                    "priority": names.node(str(r.priority)) if r.priority is not None else None,
                    "certainty": r.linkCertainty,
                    "priorityCertainty": r.priorityCertainty,
                    "statement": names.node(str(r.link)) if r.link is not None else None,
                    "quote": None,
                    "plans": [],
                },
            )
            if r.plan is None:
                link["quote"] = r.quote
            elif r.plan is not None and all(p["node"]["iri"] != str(r.plan) for p in link["plans"]):
                link["plans"].append({"node": names.node(str(r.plan)), "certainty": r.planCertainty, "quote": r.quote})
    return list(links.values())


def cluster_outlook(
    kg: KnowledgeGraph, names: Names, versions: list[dict[str, Any]], iri: str, member_of: set[str]
) -> list[dict[str, Any]]:
    """For each announced version: whether the cluster (a member of the versions ``member_of``) is in the
    version it revises, what its announcement says about the cluster (:func:`announced_links`) and the
    claims of achievement that concern the cluster."""
    outlook = []
    slug = iri.rsplit("/", 1)[-1]
    links = [link for link in announced_links(kg, names, versions) if link["cluster"]["iri"] == iri]
    claims: dict[str, dict[str, Any]] = {}
    for r in kg.query("achievement-claims", cluster=slug):
        claim = claims.setdefault(
            str(r.claim),
            {
                "node": names.node(str(r.claim)),
                "kind": r.kind,
                "period": r.period,
                "certainty": r.certainty,
                "linkCertainty": r.linkCertainty,
                "quote": r.quote,
                "technologies": [],
            },
        )
        if r.technology is not None and all(t["iri"] != str(r.technology) for t in claim["technologies"]):
            claim["technologies"].append(names.node(str(r.technology)))
    for version in versions:
        if version["status"] != "announced" or not version["previous"]:
            continue
        outlook.append(
            {
                "version": version["number"],
                "revises": version["previous"],
                "member": version["previous"] in member_of,
                "links": [link for link in links if link["version"] == version["number"]],
                "claims": list(claims.values()),
            }
        )
    return outlook
