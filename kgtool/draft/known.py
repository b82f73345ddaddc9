"""What a draft reads from the graph: the versions, each version's list of clusters, the sectors and sources."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from ..errors import UsageError
from ..paths import ProjectPaths

__all__ = ["KnownCluster", "GraphView", "SparqlGraph", "graph_view", "slug_of", "version_key"]


class SparqlGraph(Protocol):
    """What a draft needs of a graph (a :class:`~kgtool.graph.KnowledgeGraph` is one): SPARQL answers as rows,
    and the project's files (its ontology names the event types)."""

    paths: ProjectPaths

    def sparql(self, text: str) -> Iterable[Any]: ...


@dataclass(frozen=True)
class KnownCluster:
    """A cluster of the previous version, as it is in the graph."""

    id: str
    tier: str
    label_zh: str
    label_en: str
    position: int
    sector: str = ""  #: the sector id of its membership, or ""
    sector_zh: str = ""


@dataclass(frozen=True)
class GraphView:
    """What a draft needs from the graph: versions, the previous list, ids in use, sectors, sources."""

    versions: dict[str, str | None]  # number -> the number it revises
    announced: set[str]  # numbers of versions only announced so far
    members: dict[str, list[KnownCluster]]  # version -> its clusters
    cluster_ids: dict[str, set[str]]  # version -> ids of its clusters
    sectors: dict[str, tuple[str, str]]  # id -> (zh, en)
    sources: dict[str, tuple[str, str]]  # id -> (address, title)


_PREFIXES = """PREFIX sz: <https://w3id.org/sz20plus8/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
"""


def graph_view(kg: SparqlGraph) -> GraphView:
    """The versions, lists of clusters, sectors and sources of ``kg``."""
    versions: dict[str, str | None] = {}
    announced_versions: set[str] = set()
    for number, previous, announced in kg.sparql(
        _PREFIXES
        + """
        SELECT ?n ?p ?announced WHERE { ?v a sz:PolicyVersion ; sz:versionNumber ?n .
                             OPTIONAL { ?v sz:revises/sz:versionNumber ?p }
                             BIND(EXISTS { ?v sz:status sz:Announced } AS ?announced) }"""
    ):
        versions[str(number)] = None if previous is None else str(previous)
        if announced:
            announced_versions.add(str(number))
    members: dict[str, list[KnownCluster]] = {}
    rows = kg.sparql(
        _PREFIXES
        + """
        SELECT ?n ?c ?class ?zh ?en ?position ?sector ?sectorZh WHERE {
          ?m a sz:Membership ; sz:version/sz:versionNumber ?n ; sz:cluster ?c ; sz:position ?position .
          ?c a ?class . VALUES ?class { sz:StrategicEmergingIndustryCluster sz:FutureIndustry }
          OPTIONAL { ?c skos:prefLabel ?zh FILTER(LANG(?zh) = "zh") }
          OPTIONAL { ?c skos:prefLabel ?en FILTER(LANG(?en) = "en") }
          OPTIONAL { ?m sz:sector ?sector OPTIONAL { ?sector skos:prefLabel ?sectorZh FILTER(LANG(?sectorZh) = "zh") } }
        } ORDER BY ?n ?class ?position"""
    )
    for number, cluster, cls, zh, en, position, sector, sector_zh in rows:
        tier = "future" if str(cls).endswith("FutureIndustry") else "sei"
        members.setdefault(str(number), []).append(
            KnownCluster(
                slug_of(cluster),
                tier,
                str(zh or ""),
                str(en or ""),
                int(position),
                slug_of(sector) if sector else "",
                str(sector_zh or ""),
            )
        )
    sectors = {
        slug_of(s): (str(zh or ""), str(en or ""))
        for s, zh, en in kg.sparql(
            _PREFIXES
            + """
            SELECT ?s ?zh ?en WHERE { ?s a sz:Sector
              OPTIONAL { ?s skos:prefLabel ?zh FILTER(LANG(?zh) = "zh") }
              OPTIONAL { ?s skos:prefLabel ?en FILTER(LANG(?en) = "en") } }"""
        )
    }
    sources = {
        slug_of(s): (str(page or ""), str(title or ""))
        for s, page, title in kg.sparql(
            _PREFIXES
            + """
            SELECT ?s ?page ?title WHERE { ?s a sz:Source
              OPTIONAL { ?s foaf:page ?page } OPTIONAL { ?s dcterms:title ?title } }"""
        )
    }
    cluster_ids = {number: {c.id for c in clusters} for number, clusters in members.items()}
    return GraphView(versions, announced_versions, members, cluster_ids, sources=sources, sectors=sectors)


def slug_of(iri: object) -> str:
    """The last segment of an instance IRI (``.../cluster/robotics`` -> ``robotics``)."""
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


def version_key(number: str) -> tuple[int, ...]:
    """A version number as a key that sorts as numbers do (``"10.0"`` after ``"9.0"``)."""
    try:
        return tuple(int(part) for part in number.split("."))
    except ValueError:
        raise UsageError(f"bad version {number!r}: expected a number such as 3.0") from None
