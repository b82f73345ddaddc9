"""What a draft reads from the graph: the versions, each version's list of clusters, the sectors and sources,
and the priorities of each version's announcement with the clusters they are tied to."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..errors import UsageError
from ..paths import ProjectPaths

__all__ = ["KnownCluster", "AnnouncedPriority", "GraphView", "SparqlGraph", "graph_view", "slug_of", "version_key"]


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
class AnnouncedPriority:
    """A priority named with the announcement of a version, and one cluster of an earlier version it is tied to
    (``cluster`` "" for a priority tied to none): evidence for the drafted events of that version."""

    id: str
    label_en: str
    quote: str  #: the words of its source (the announcement as reported)
    source: str  #: the id of that source
    cluster: str = ""  #: the id of the cluster it concerns or is related to, or ""
    relation: str = ""  #: concerns (dcterms:subject) or related (skos:related)
    certainty: str = ""  #: of that link: never confirmed for a link made by an English name

    def evidence(self, version: str, cluster_name: str = "") -> str:
        """The priority as a sentence of a proposal's reason."""
        if self.cluster:
            how = "concerns" if self.relation == "concerns" else "has a name related to"
            tie = f"which {how} {cluster_name} (a link by the English name, {self.certainty})"
        else:
            tie = "whose English name this cluster has"
        return f"{version}'s announcement names the priority “{self.label_en}”, {tie}: “{self.quote}”."


@dataclass(frozen=True)
class GraphView:
    """What a draft needs from the graph: versions, the previous list, ids in use, sectors, sources."""

    versions: dict[str, str | None]  # number -> the number it revises
    announced: set[str]  # numbers of versions only announced so far
    members: dict[str, list[KnownCluster]]  # version -> its clusters
    cluster_ids: dict[str, set[str]]  # version -> ids of its clusters
    sectors: dict[str, tuple[str, str]]  # id -> (zh, en)
    sources: dict[str, tuple[str, str]]  # id -> (address, title)
    priorities: dict[str, list[AnnouncedPriority]] = field(default_factory=dict)  # version -> its priorities


_PREFIXES = """PREFIX sz: <https://w3id.org/sz20plus8/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
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
            SELECT ?s ?page (COALESCE(?en, ?zh) AS ?title) WHERE { ?s a sz:Source
              OPTIONAL { ?s foaf:page ?page }
              OPTIONAL { ?s dcterms:title ?en FILTER(LANG(?en) = "en") }
              OPTIONAL { ?s dcterms:title ?zh FILTER(LANG(?zh) = "zh") } }"""
        )
    }
    cluster_ids = {number: {c.id for c in clusters} for number, clusters in members.items()}
    return GraphView(
        versions,
        announced_versions,
        members,
        cluster_ids,
        sources=sources,
        sectors=sectors,
        priorities=_priorities(kg),
    )


def _priorities(kg: SparqlGraph) -> dict[str, list[AnnouncedPriority]]:
    """The priorities of each version's announcement, once for each cluster they concern or are related to
    (with the certainty of that link), once with no cluster where they are tied to none; the first citation."""
    priorities: dict[str, list[AnnouncedPriority]] = {}
    for number, priority, label, quote, source, cluster, relation, certainty in kg.sparql(
        _PREFIXES
        + """
        SELECT ?n ?p ?label ?quote ?source ?c ?relation ?certainty WHERE {
          ?p a sz:AnnouncedPriority ; sz:version/sz:versionNumber ?n ; sz:certainty ?pc ;
             sz:citation ?citation .
          ?citation sz:quote ?quote ; prov:entity ?source .
          OPTIONAL { ?p rdfs:label ?label FILTER(LANG(?label) = "en") }
          OPTIONAL {
            ?p ?property ?c . VALUES (?property ?relation) { (dcterms:subject "concerns") (skos:related "related") }
            ?c a ?class . VALUES ?class { sz:StrategicEmergingIndustryCluster sz:FutureIndustry }
            OPTIONAL { ?s sz:statementSubject ?p ; sz:statementProperty ?property ; sz:statementValue ?c ;
                          sz:certainty ?lc }
          }
          BIND(COALESCE(?lc, ?pc) AS ?linkCertainty)
          BIND(LCASE(STRAFTER(STR(?linkCertainty), "#")) AS ?certainty)
        } ORDER BY ?n ?p ?c ?citation"""
    ):
        entry = AnnouncedPriority(
            slug_of(priority),
            str(label or slug_of(priority)),
            str(quote),
            slug_of(source),
            slug_of(cluster) if cluster else "",
            str(relation or ""),
            str(certainty or "") if cluster else "",
        )
        known = priorities.setdefault(str(number), [])
        if not any(e.id == entry.id and e.cluster == entry.cluster for e in known):  # its first citation only
            known.append(entry)
    return priorities


def slug_of(iri: object) -> str:
    """The last segment of an instance IRI (``.../cluster/robotics`` -> ``robotics``)."""
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


def version_key(number: str) -> tuple[int, ...]:
    """A version number as a key that sorts as numbers do (``"10.0"`` after ``"9.0"``)."""
    try:
        return tuple(int(part) for part in number.split("."))
    except ValueError:
        raise UsageError(f"bad version {number!r}: expected a number such as 3.0") from None
