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
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .authoring import COLUMNS, SOURCE_KIND
from .errors import DataError, UsageError

if TYPE_CHECKING:
    from .graph import KnowledgeGraph

__all__ = [
    "PublishedList",
    "ListedCluster",
    "DraftSource",
    "DraftCluster",
    "ProposedEvent",
    "Option",
    "Question",
    "Draft",
    "read_list",
    "draft_version",
    "TODO_SOURCE",
]

#: More names than any list of the policy will have (it has 28): beyond this the input is not a list.
MAX_CLUSTERS = 500
#: A published list is a few kilobytes; a larger file is refused before it is read.
MAX_LIST_BYTES = 1_000_000

#: The source id written where the draft does not know the list's source: a person fills it in.
TODO_SOURCE = "TODO-source"

TIER_NAMES = {"sei": "strategic emerging industry cluster", "future": "future industry"}
_TIER_PLURAL = {"sei": "strategic emerging industry clusters", "future": "future industries"}
_TIER_KEYWORDS = {"sei": ("战略性新兴产业", "strategic emerging"), "future": ("未来产业", "future industr")}
#: Slug suffix of a cluster that takes a name another tier held (docs/MODEL.md, identity rule).
_TIER_SUFFIX = {"future": "-future-industry", "sei": "-strategic-cluster"}

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_ARABIC_NUMBER = re.compile(r"^(?:[(（]\s*\d{1,3}\s*[)）]|\d{1,3}\s*[.．、)）:：]|\d{1,3}\s+|[①-⑳])\s*")
_CHINESE_NUMBER = re.compile(r"^(?:[(（]\s*[一二三四五六七八九十]+\s*[)）]|[一二三四五六七八九十]+\s*[、.．])\s*")
_BULLET = re.compile(r"^(?:[-*•·]\s+)")
_COUNT = re.compile(r"\s*[(（]\s*(?:共\s*)?\d+\s*个?\s*[)）]\s*$")
_ITEM_SEPARATORS = re.compile(r"[、；;，]")
#: Words too common in cluster names to link two names by themselves.
_COMMON_WORDS = frozenset({"产业", "集群", "技术", "工程", "信息", "智能", "经济", "服务"})


# -- the list as published ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ListedCluster:
    """One cluster as the list gives it."""

    tier: str  #: ``sei`` or ``future``
    position: int  #: 1-based, in the order of the list within its tier
    label_zh: str  #: the Chinese name (without a trailing 产业集群)
    label_en: str  #: the English name the list gives, or ""
    sector: str  #: the sector heading it is listed under, or ""
    quote: str  #: the name as the list gives it
    line: int  #: the line of the file it was read from


@dataclass(frozen=True)
class PublishedList:
    """A version's list as published: its clusters in order, and the lines read as titles."""

    name: str
    clusters: tuple[ListedCluster, ...]
    ignored: tuple[tuple[int, str], ...] = ()

    def tier(self, tier: str) -> list[ListedCluster]:
        return [c for c in self.clusters if c.tier == tier]


def read_list(text: str, name: str = "list.txt", format: str | None = None) -> PublishedList:  # noqa: A002
    """Read a published list of clusters.

    Args:
        text: the list as published.
        name: its file name, for messages (and its format: ``.csv`` is CSV, anything else text).
        format: ``"text"`` or ``"csv"`` to override the guess from the name.

    Plain text: one name per line or several separated by 、 or ；, numbered (1. 1、 (1) ①) or not.
    A line naming 战略性新兴产业 or 未来产业 (or "strategic emerging" / "future industries") starts that
    tier; lines before the first such heading are titles and are ignored (the review lists them). Under a
    tier, a line ending with a colon, a ``#`` heading or a line numbered 一、 / （一） is a sector heading
    (``sector：name、name`` gives both). An English name follows the Chinese one after spaces, a tab,
    `` | `` or in brackets. CSV: a header naming the Chinese column (``label_zh``, ``zh``, ``中文``,
    ``名称``), and optionally ``label_en``/``en``/``英文``, ``tier``/``层级``, ``sector``/``门类``; a
    row of one cell outside the column of names is a heading, and in it, one read as a line of text.

    Raises:
        DataError: naming the line and the cause (no tier heading, a name without Chinese, a
            duplicate, an unknown tier, no clusters at all).
    """
    fmt = format or ("csv" if name.lower().endswith(".csv") else "text")
    if fmt not in ("text", "csv"):
        raise UsageError(f"unknown list format {fmt!r}: expected text or csv")
    reader = _ListReader(name)
    if fmt == "csv":
        reader.read_csv(text)
    else:
        for number, line in enumerate(text.splitlines(), start=1):
            reader.line(number, line)
    return reader.result()


@dataclass
class _ListReader:
    name: str
    tier: str | None = None
    sector: str = ""
    clusters: list[ListedCluster] = field(default_factory=list)
    ignored: list[tuple[int, str]] = field(default_factory=list)

    def fail(self, line: int | None, cause: str) -> DataError:
        return DataError(self.name, line, cause)

    def line(self, number: int, raw: str, heading: bool = False) -> None:
        text = raw.strip().lstrip("\ufeff")
        if not text:
            return
        heading_form = bool(heading or text.startswith("#") or _CHINESE_NUMBER.match(text))
        body = _CHINESE_NUMBER.sub("", _BULLET.sub("", text.lstrip("#").strip())).strip()
        head, colon, rest = _split_heading(body)
        tier = _tier_of(head)
        if tier == "both":  # a title naming both tiers
            self.ignored.append((number, text))
            return
        if tier is not None:
            self.tier, self.sector = tier, ""
            if colon:
                self.items(number, rest)
            return
        if self.tier is None:
            self.ignored.append((number, text))
            return
        if colon or heading_form:
            self.sector = _COUNT.sub("", head).strip()
            if rest:
                self.items(number, rest)
            return
        self.items(number, body)

    def items(self, number: int, text: str) -> None:
        # The line's own number first ("1、name" is numbered with the separator of names).
        for part in _ITEM_SEPARATORS.split(_ARABIC_NUMBER.sub("", _BULLET.sub("", text.strip()))):
            self.item(number, part)

    def item(
        self, number: int, text: str, label_en: str = "", tier: str | None = None, sector: str | None = None
    ) -> None:
        text = _ARABIC_NUMBER.sub("", _BULLET.sub("", text.strip())).strip().rstrip("。.;；")
        if not text:
            return
        tier = tier or self.tier
        if tier is None:
            raise self.fail(
                number,
                f"{text!r} comes before any tier heading: start the list of each tier with "
                "a line naming 战略性新兴产业集群 or 未来产业",
            )
        quote, label_zh, english = _split_names(text)
        label_en = label_en or english
        if not _HAN.search(label_zh):
            raise self.fail(
                number,
                f"{text!r} has no Chinese name: the list gives each name in Chinese (an English name may follow it)",
            )
        for other in self.clusters:
            if other.tier == tier and other.label_zh == label_zh:
                raise self.fail(
                    number, f"{label_zh} is listed twice among the {_TIER_PLURAL[tier]} (first at line {other.line})"
                )
        self.check_size(number)
        position = sum(1 for c in self.clusters if c.tier == tier) + 1
        self.clusters.append(
            ListedCluster(tier, position, label_zh, label_en, self.sector if sector is None else sector, quote, number)
        )

    def read_csv(self, text: str) -> None:
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
        if not rows:
            raise self.fail(None, "empty file")
        header = [cell.strip().lower() for cell in rows[0]]
        columns = {key: _column(header, names) for key, names in _CSV_COLUMNS.items()}
        if columns["zh"] is None:
            raise self.fail(
                1, f"header: no column of Chinese names (label_zh, zh, 中文 or 名称); found: {', '.join(rows[0])}"
            )
        for number, row in enumerate(rows[1:], start=2):
            cells = [cell.strip() for cell in row]
            filled = [cell for cell in cells if cell]
            if not filled:
                continue

            def cell(key: str, cells: list[str] = cells) -> str:
                index = columns[key]
                return cells[index] if index is not None and index < len(cells) else ""

            if len(filled) == 1 and not cell("en") and not cell("tier"):
                # A row of one cell: a heading, unless it is a name in the column of names (then it is read
                # as a line of text: a heading only with a tier's name, a colon or heading numbers).
                self.line(number, filled[0], heading=not cell("zh"))
                continue
            tier = None
            if cell("tier"):
                tier = _tier_value(cell("tier"))
                if tier is None:
                    raise self.fail(
                        number, f"unknown tier {cell('tier')!r}: expected sei or future, 战略性新兴产业集群 or 未来产业"
                    )
                if tier != self.tier:
                    self.tier, self.sector = tier, ""
            self.item(number, cell("zh"), cell("en"), tier, cell("sector") or None)

    def check_size(self, number: int) -> None:
        if len(self.clusters) >= MAX_CLUSTERS:
            raise self.fail(number, f"more than {MAX_CLUSTERS} names: this is not a list of clusters")

    def result(self) -> PublishedList:
        if not self.clusters:
            titles = ", ".join(str(number) for number, _ in self.ignored[:10])
            raise self.fail(
                None,
                "no clusters read: expected a tier heading (战略性新兴产业集群 or 未来产业) followed by the names of "
                "its clusters" + (f"; read as titles before any tier heading: line(s) {titles}" if titles else ""),
            )
        return PublishedList(self.name, tuple(self.clusters), tuple(self.ignored))


_CSV_COLUMNS = {
    "zh": ("label_zh", "name_zh", "zh", "chinese", "中文", "中文名称", "名称", "name"),
    "en": ("label_en", "name_en", "en", "english", "英文", "英文名称"),
    "tier": ("tier", "层级", "类别", "type"),
    "sector": ("sector", "门类", "领域", "产业门类", "板块"),
}


def _column(header: list[str], names: Iterable[str]) -> int | None:
    for name in names:
        if name in header:
            return header.index(name)
    return None


def _split_heading(text: str) -> tuple[str, bool, str]:
    """``head：rest`` -> (head, True, rest); a line without a colon -> (line, False, "")."""
    match = re.match(r"^([^:：]*)[:：]\s*(.*)$", text)
    if match is None:
        return text, False, ""
    return match.group(1).strip(), True, match.group(2).strip()


def _tier_of(text: str) -> str | None:
    """The tier a heading names, ``"both"`` for a title naming both, or None."""
    folded = text.casefold()
    found = [tier for tier, words in _TIER_KEYWORDS.items() if any(w in folded for w in words)]
    if len(found) == 2:
        return "both"
    return found[0] if found else None


def _tier_value(text: str) -> str | None:
    value = text.strip().casefold()
    if value in TIER_NAMES:
        return value
    tier = _tier_of(value)
    return tier if tier in TIER_NAMES else None


def _split_names(text: str) -> tuple[str, str, str]:
    """(the name as given, its Chinese name, its English name) of one listed item."""
    english = ""
    chinese = text
    parts = re.split(r"\t|\s+\|\s+|\s+/\s+|\s{2,}", text, maxsplit=1)
    bracket = re.match(r"^(.*?)\s*[(（]([^()（）]*)[)）]$", text)
    if len(parts) == 2 and _HAN.search(parts[0]) and not _HAN.search(parts[1]):
        chinese, english = parts
    elif (
        bracket
        and _HAN.search(bracket.group(1))
        and not _HAN.search(bracket.group(2))
        and len(re.findall(r"[A-Za-z]", bracket.group(2))) >= 4
    ):
        chinese, english = bracket.group(1), bracket.group(2)
    else:
        match = re.match(r"^(.*[\u3400-\u9fff\uf900-\ufaff][^A-Za-z]*?)\s+([A-Za-z][^\u3400-\u9fff]*)$", text)
        if match:
            chinese, english = match.group(1), match.group(2)
    chinese = chinese.strip()
    return chinese, _without_cluster_suffix(chinese), english.strip()


def _with_known_names(listing: PublishedList, known: set[str]) -> PublishedList:
    """Names that lost 产业 with the suffix 产业集群 (海洋产业集群 is 海洋产业 where a list had that name)."""
    clusters = tuple(
        dataclasses.replace(c, label_zh=c.label_zh + "产业")
        if c.quote.endswith("产业集群") and c.label_zh not in known and c.label_zh + "产业" in known
        else c
        for c in listing.clusters
    )
    return dataclasses.replace(listing, clusters=clusters)


def _without_cluster_suffix(name: str) -> str:
    """The name without a trailing 产业集群 ("industry cluster"), which lists add to some names."""
    if name.endswith("产业集群") and len(name) > 4:
        return name[: -len("产业集群")]
    return name


# -- what the graph knows ----------------------------------------------------------------------------


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
class _GraphView:
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


def _graph_view(kg: KnowledgeGraph) -> _GraphView:
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
                _slug_of(cluster),
                tier,
                str(zh or ""),
                str(en or ""),
                int(position),
                _slug_of(sector) if sector else "",
                str(sector_zh or ""),
            )
        )
    sectors = {
        _slug_of(s): (str(zh or ""), str(en or ""))
        for s, zh, en in kg.sparql(
            _PREFIXES
            + """
            SELECT ?s ?zh ?en WHERE { ?s a sz:Sector
              OPTIONAL { ?s skos:prefLabel ?zh FILTER(LANG(?zh) = "zh") }
              OPTIONAL { ?s skos:prefLabel ?en FILTER(LANG(?en) = "en") } }"""
        )
    }
    sources = {
        _slug_of(s): (str(page or ""), str(title or ""))
        for s, page, title in kg.sparql(
            _PREFIXES
            + """
            SELECT ?s ?page ?title WHERE { ?s a sz:Source
              OPTIONAL { ?s foaf:page ?page } OPTIONAL { ?s dcterms:title ?title } }"""
        )
    }
    cluster_ids = {number: {c.id for c in clusters} for number, clusters in members.items()}
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
            _slug_of(priority),
            str(label or _slug_of(priority)),
            str(quote),
            _slug_of(source),
            _slug_of(cluster) if cluster else "",
            str(relation or ""),
            str(certainty or "") if cluster else "",
        )
        known = priorities.setdefault(str(number), [])
        if not any(e.id == entry.id and e.cluster == entry.cluster for e in known):  # its first citation only
            known.append(entry)
    return _GraphView(
        versions, announced_versions, members, cluster_ids, sources=sources, sectors=sectors, priorities=priorities
    )


def _slug_of(iri: object) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


def _version_key(number: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in number.split("."))
    except ValueError:
        raise UsageError(f"bad version {number!r}: expected a number such as 3.0") from None


# -- the draft ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DraftSource:
    """The source the list comes from: an existing source of the graph, or a new row for sources.csv."""

    id: str
    title: str = ""
    date: str = ""
    address: str = ""
    kind: str = ""
    new: bool = False  #: not in the graph yet: its row must be added to sources.csv

    def csv_row(self, version: str) -> list[str]:
        """Its row in ``sources.csv`` (``id,title,publisher,date,address,kind,language,note``)."""
        note = f"The published list of version {version} (added by kgtool draft)."
        return [self.id, self.title, "", self.date, self.address, self.kind, "", note]


@dataclass(frozen=True)
class DraftCluster:
    """One row of the drafted ``clusters-VERSION.csv``, with how it was matched to the previous list."""

    listed: ListedCluster
    id: str
    label_en: str
    sector: str  #: a sector id, or ""
    match: str  #: why it has this id: "same name and tier as in 1.0 (...)" or "new"
    predecessor: str = ""  #: the id it keeps, for a cluster matched by the identity rule

    @property
    def tier(self) -> str:
        return self.listed.tier

    @property
    def label_zh(self) -> str:
        return self.listed.label_zh

    @property
    def position(self) -> int:
        return self.listed.position


@dataclass(frozen=True)
class ProposedEvent:
    """A reclassification event the draft proposes (``certainty = "uncertain"`` until confirmed)."""

    id: str
    type: str  #: a type of ``events-VERSION.toml``: added, elevated, merged, renamed, moved, removed, regrouped
    from_: tuple[str, ...]  #: cluster ids before
    to: tuple[str, ...]  #: cluster ids after (empty for a merger whose target the list does not name)
    label_en: str
    confidence: str  #: high, medium or low: how strongly the list supports it
    reason: str
    quote: str = ""  #: the list's words it rests on ("" where the list can only show an absence)
    from_sector: str = ""
    to_sector: str = ""
    certainty: str = "uncertain"
    #: (source id, quote) of the evidence besides the list: the announcement's priorities tied to the clusters
    evidence: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Option:
    """One possible answer to a question: a description and the events it would record."""

    description: str
    events: tuple[ProposedEvent, ...]


@dataclass(frozen=True)
class Question:
    """An ambiguity the list cannot decide, for a person: what it is about, and the possible answers."""

    about: tuple[str, ...]  #: the ids of the clusters concerned
    text: str
    options: tuple[Option, ...]
    proposed: int | None = None  #: the index of the option the draft proposes, if it proposes one


@dataclass(frozen=True)
class Draft:
    """A drafted version: clusters, proposed events, questions, and what is left to fill in."""

    version: str
    previous: str
    list_name: str
    source: DraftSource
    clusters: tuple[DraftCluster, ...]
    events: tuple[ProposedEvent, ...]
    questions: tuple[Question, ...]
    to_fill_in: tuple[str, ...]
    previous_clusters: tuple[KnownCluster, ...]
    ignored: tuple[tuple[int, str], ...] = ()
    replaces_existing: bool = False  #: the graph already has a list for this version (a replay)

    def cluster(self, ident: str) -> DraftCluster | KnownCluster | None:
        """The drafted or previous cluster with this id."""
        clusters: list[DraftCluster | KnownCluster] = [*self.clusters, *self.previous_clusters]
        for cluster in clusters:
            if cluster.id == ident:
                return cluster
        return None

    def name(self, ident: str) -> str:
        """A cluster's Chinese name (its id if unknown)."""
        cluster = self.cluster(ident)
        return cluster.label_zh if cluster is not None else ident

    # -- the files

    def clusters_csv(self) -> str:
        """The drafted ``clusters-VERSION.csv`` (columns of docs/MODEL.md)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS["clusters"])  # the columns authoring reads, in its order
        for c in self.clusters:
            writer.writerow(
                [
                    c.position,
                    c.id,
                    c.tier,
                    c.label_zh,
                    c.label_en,
                    "",
                    c.sector,
                    "uncertain" if c.sector else "",
                    "uncertain",
                    self.source.id,
                    c.listed.quote,
                    f"Drafted by kgtool draft from {self.list_name}: {c.match}.",
                ]
            )
        return out.getvalue()

    def events_toml(self) -> str:
        """The drafted ``events-VERSION.toml``: the proposed events, then each question's options commented out."""
        lines = [
            f"# Reclassification events from version {self.previous} to version {self.version} (docs/MODEL.md).",
            f'# Drafted by kgtool draft from {self.list_name}: every event is a proposal (certainty "uncertain")',
            "# until a person checks it against its sources and confirms it. Questions are at the end.",
            "",
            f"version = {_toml(self.version)}",
            f"previous = {_toml(self.previous)}",
        ]
        for event in self.events:
            lines += ["", *self._event_lines(event)]
        if self.questions:
            lines += [
                "",
                "# -- Questions for a person " + "-" * 74,
                "# The list alone cannot decide these. For each, uncomment the events of one answer (or of",
                "# several, listed as `competing` claims when sources disagree) and fill in their sources.",
            ]
        for number, question in enumerate(self.questions, start=1):
            lines += ["", f"# Question {number}: {question.text}"]
            for letter, option in zip("abcdefghij", question.options, strict=False):
                proposed = (
                    " (proposed above)"
                    if question.proposed is not None and question.options[question.proposed] is option
                    else ""
                )
                lines += ["#", f"# {letter}) {option.description}{proposed}"]
                if not proposed:
                    lines += [
                        "# " + line if line else "#" for event in option.events for line in self._event_lines(event)
                    ]
        return "\n".join(lines) + "\n"

    def event_toml(self, event: ProposedEvent) -> str:
        """One event as an ``[[event]]`` record of ``events-VERSION.toml`` (to add an answer to a question)."""
        return "\n".join(self._event_lines(event)) + "\n"

    def _event_lines(self, event: ProposedEvent) -> list[str]:
        to = list(event.to) if event.to else (["CLUSTER-ID"] if event.type == "merged" else [])
        lines = [
            "[[event]]",
            f"id = {_toml(event.id)}",
            f"type = {_toml(event.type)}",
            f"from = {_toml_list(event.from_)}",
            f"to = {_toml_list(to)}"
            + (
                "  # the cluster it merged into: the list does not say"
                if not event.to and event.type == "merged"
                else ""
            ),
        ]
        if event.type == "regrouped":
            lines += [f"from_sector = {_toml(event.from_sector)}", f"to_sector = {_toml(event.to_sector)}"]
        lines += [
            f"label_en = {_toml(event.label_en)}",
            f"certainty = {_toml(event.certainty)}",
            f"note = {_toml(f'Drafted ({event.confidence} confidence): {event.reason}')}",
            "competing = []",
            "",
            "[[event.source]]",
            f"id = {_toml(self.source.id)}",
            f"quote = {_toml(event.quote)}"
            + ("  # the list can only show an absence: quote a source that states it" if not event.quote else ""),
        ]
        for source, quote in event.evidence:  # the announcement's words: evidence, not proof
            lines += ["", "[[event.source]]", f"id = {_toml(source)}", f"quote = {_toml(quote)}"]
        return lines

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
        clusters = directory / f"clusters-{self.version}.csv"
        events = directory / f"events-{self.version}.toml"
        targets = [clusters, events]
        if self.source.new and sources_file is None:
            sources_file = directory / f"sources-{self.version}.csv"
            targets.append(sources_file)
        existing = [str(p) for p in targets if p.exists()]
        if existing:
            raise UsageError(
                f"not overwriting {', '.join(existing)}: move it away, or write the draft elsewhere (--out DIR)"
            )
        directory.mkdir(parents=True, exist_ok=True)
        _write_atomically(clusters, self.clusters_csv())
        _write_atomically(events, self.events_toml())
        written = [clusters, events]
        if self.source.new and sources_file is not None:
            row = io.StringIO()
            csv.writer(row, lineterminator="\n").writerow(self.source.csv_row(self.version))
            if sources_file.exists():
                text = sources_file.read_text(encoding="utf-8")
                _write_atomically(sources_file, text + ("" if text.endswith("\n") else "\n") + row.getvalue())
            else:
                header = "id,title,publisher,date,address,kind,language,note\n"
                _write_atomically(sources_file, header + row.getvalue())
            written.append(sources_file)
        return written

    # -- the review

    def review(self) -> str:
        """The draft for a person to review: clusters, proposed events, questions and what to fill in."""
        listed = {tier: sum(1 for c in self.clusters if c.tier == tier) for tier in TIER_NAMES}
        before = {tier: sum(1 for c in self.previous_clusters if c.tier == tier) for tier in TIER_NAMES}
        lines = [
            f"Draft of version {self.version} from {self.list_name}, compared with version {self.previous} "
            "as it is in the graph.",
            f"Read {listed['sei']} {_TIER_PLURAL['sei']} and {listed['future']} {_TIER_PLURAL['future']} "
            f"({self.previous} has {before['sei']} and {before['future']}).",
            f"Source of the list: {self._source_text()}.",
            'Every proposal has certainty "uncertain" until a person confirms it.',
        ]
        if self.replaces_existing:
            lines.append(f"The graph already has a list for {self.version}: this draft ignores it (a replay).")
        for number, text in self.ignored:
            lines.append(f"Line {number} read as a title, not a cluster: {text}")
        lines += ["", f"Clusters of {self.version}"]
        rows = [[c.tier, str(c.position), c.label_zh, c.id, c.match] for c in self.clusters]
        lines += _indent(_table(["tier", "#", "name", "id", "match"], rows))
        lines += ["", f"Proposed events ({len(self.events)})"]
        for event in self.events:
            lines += [
                f"  {event.id}: {event.type}, {event.confidence} confidence",
                f"      {self._change(event)}",
                *_wrap(event.reason, "      "),
            ]
        if not self.events:
            lines.append("  none")
        lines += ["", f"Questions for a person ({len(self.questions)})"]
        for number, question in enumerate(self.questions, start=1):
            lines += _wrap(question.text, "     ", f"  {number}. ")
            for letter, option in zip("abcdefghij", question.options, strict=False):
                proposed = (
                    " [proposed]"
                    if question.proposed is not None and question.options[question.proposed] is option
                    else ""
                )
                lines += _wrap(f"{option.description}{proposed}", "        ", f"     {letter}) ")
        if not self.questions:
            lines.append("  none")
        if self.to_fill_in:
            lines += ["", "To fill in"]
            lines += [line for item in self.to_fill_in for line in _wrap(item, "    ", "  - ")]
        lines += [
            "",
            "Next: write the drafts (kgtool draft --write, or --out DIR), answer the questions in "
            f"events-{self.version}.toml",
            f"(each answer's events are there, commented out), then kgtool validate clusters-{self.version}.csv "
            f"events-{self.version}.toml.",
        ]
        return "\n".join(lines) + "\n"

    def _source_text(self) -> str:
        if self.source.id == TODO_SOURCE:
            return f"not given: each citation names {TODO_SOURCE} for a person to fill in"
        if self.source.new:
            return f"{self.source.id} (new: written with the drafts, its row for graph/sources.csv)"
        return f"{self.source.id} (in the graph)"

    def _change(self, event: ProposedEvent) -> str:
        before = " + ".join(self.name(i) for i in event.from_) or "(none)"
        after = " + ".join(self.name(i) for i in event.to) or "(a cluster the list does not name)"
        if event.type == "regrouped":
            return f"{before}: sector {event.from_sector} → {event.to_sector}"
        return f"{before} → {after}"


def _indent(text: str) -> list[str]:
    return ["  " + line for line in text.splitlines()]


def _table(header: list[str], rows: list[list[str]]) -> str:
    from .table import render_table

    return render_table(header, rows)


def _wrap(text: str, indent: str, first: str | None = None) -> list[str]:
    import textwrap

    return textwrap.wrap(
        text,
        110,
        initial_indent=first if first is not None else indent,
        subsequent_indent=indent,
        break_on_hyphens=False,
    ) or [first or indent]


def _toml(value: str) -> str:
    # A JSON string is a TOML basic string (same escapes), so the draft is always valid TOML.
    return json.dumps(value, ensure_ascii=False)


def _toml_list(values: Iterable[str]) -> str:
    return "[" + ", ".join(_toml(v) for v in values) + "]"


def _write_atomically(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# -- matching ----------------------------------------------------------------------------------------


def _words(name: str) -> set[str]:
    """The two-character words of a name, within its parts (split at 与/和), without the commonest ones."""
    words: set[str] = set()
    for part in re.split(r"[与和及、]", name):
        words |= {part[i : i + 2] for i in range(len(part) - 1)}
    return {w for w in words if _HAN.search(w) and w not in _COMMON_WORDS}


def _one_character_change(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _common_end(a: str, b: str) -> tuple[str, str]:
    """The longest shared beginning and the longest shared ending of two names."""
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) and a[-1 - end] == b[-1 - end]:
        end += 1
    return a[:start], (a[len(a) - end :] if end else "")


def _rename_evidence(old: str, new: str) -> tuple[int, str] | None:
    """How strongly two names of one tier look like one renamed cluster: (strength, reason), or None."""
    if old in new or new in old:
        inner, outer = (old, new) if old in new else (new, old)
        return 3, f"one name contains the other ({inner} in {outer})"
    if _one_character_change(old, new):
        return 3, "the names differ by one character"
    beginning, ending = _common_end(old, new)
    shared = max((s for s in (beginning, ending) if _HAN.search(s)), key=len, default="")
    if len(shared) >= 2 and shared not in _COMMON_WORDS:
        return 2, f"the names share their {'beginning' if shared == beginning else 'ending'} {shared}"
    return None


def _lcs(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]]:
    """Index pairs of a longest common subsequence of two name lists (the clusters that kept their place)."""
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) - 1, -1, -1):
        for j in range(len(b) - 1, -1, -1):
            table[i][j] = table[i + 1][j + 1] + 1 if a[i] == b[j] else max(table[i + 1][j], table[i][j + 1])
    pairs, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return pairs


@dataclass
class _Gap:
    """The place between two unchanged neighbours where clusters left and joined a tier's list."""

    tier: str
    old: list[KnownCluster]
    new: list[ListedCluster]
    before: KnownCluster | None  # the unchanged cluster just before the place (None at the start)
    after: KnownCluster | None  # the unchanged cluster just after it (None at the end)

    def where(self, version: str) -> str:
        if self.before and self.after:
            return f"between {self.before.label_zh} and {self.after.label_zh}"
        if self.before:
            return f"after {self.before.label_zh}"
        if self.after:
            return f"before {self.after.label_zh}, at the start of the list"
        return "in a list that shares no name with the previous one"


@dataclass
class _Matcher:
    version: str
    previous: str
    listing: PublishedList
    old: list[KnownCluster]
    view: _GraphView
    source: DraftSource
    ids: dict[int, str] = field(default_factory=dict)  # id(listed) -> cluster id
    matches: dict[int, tuple[str, str]] = field(default_factory=dict)  # id(listed) -> (match, predecessor)
    events: list[ProposedEvent] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    explained_old: set[str] = field(default_factory=set)
    explained_new: set[int] = field(default_factory=set)
    to_fill_in: list[str] = field(default_factory=list)
    used_ids: set[str] = field(default_factory=set)
    event_ids: set[str] = field(default_factory=set)

    # -- ids and names

    def known_ids(self) -> set[str]:
        later = _version_key(self.version)
        return {i for number, ids in self.view.cluster_ids.items() if _version_key(number) < later for i in ids}

    def assign_ids(self) -> None:
        known = self.known_ids()
        by_name = {(c.label_zh, c.tier): c for c in self.old}
        older = {
            (c.label_zh, c.tier): c
            for number, cs in self.view.members.items()
            if _version_key(number) < _version_key(self.version)
            for c in cs
        }
        self.used_ids = set(known)
        unnamed: list[str] = []
        for listed in self.listing.clusters:
            same = by_name.get((listed.label_zh, listed.tier))
            if same is not None:
                self.ids[id(listed)] = same.id
                self.matches[id(listed)] = (f"kept: same name and tier as in {self.previous}", same.id)
                continue
            earlier = older.get((listed.label_zh, listed.tier))
            if earlier is not None:  # a name and tier an older version had: the identity rule keeps its id
                self.ids[id(listed)] = earlier.id
                self.matches[id(listed)] = ("kept: same name and tier as in an older version", earlier.id)
                continue
            other_tier = [c for (zh, tier), c in older.items() if zh == listed.label_zh and tier != listed.tier]
            if other_tier:
                base = other_tier[0].id + _TIER_SUFFIX[listed.tier]
            elif listed.label_en:
                base = _slugify(listed.label_en)
            else:
                base = f"new-{listed.tier}-{listed.position}"
                unnamed.append(f"{listed.label_zh} (line {listed.line}, id {base})")
            ident = base
            suffix = 2
            while ident in self.used_ids:
                ident, suffix = f"{base}-{suffix}", suffix + 1
            self.used_ids.add(ident)
            self.ids[id(listed)] = ident
            self.matches[id(listed)] = ("new", "")
        if unnamed:
            self.to_fill_in.append(
                f"English names, which the list does not give, of {', '.join(unnamed)}: add them to the list "
                '("人工智能 Artificial Intelligence") and draft again, or fill in label_en and replace the ids in '
                "both drafts."
            )

    def cid(self, listed: ListedCluster) -> str:
        return self.ids[id(listed)]

    def label(self, ident: str) -> str:
        """A cluster's English name for an event's label (its Chinese name where it has none yet)."""
        for c in self.old:
            if c.id == ident and c.label_en:
                return c.label_en
        for listed in self.listing.clusters:
            if self.cid(listed) == ident:
                return listed.label_en or listed.label_zh
        return next((c.label_zh for c in self.old if c.id == ident), ident)

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
        subject = to[0] if to and type_ != "removed" else (from_[0] if from_ else "cluster")
        if type_ == "merged" and len(from_) == 1:  # one cluster absorbed by another: name both
            subject = f"{from_[0]}-into-{to[0]}" if to else from_[0]
        base = f"{type_}-{subject}"
        ident, n = base, 2
        while ident in self.event_ids:
            ident, n = f"{base}-{n}", n + 1
        self.event_ids.add(ident)
        label = self.event_label(type_, from_, to)
        if type_ == "regrouped":
            label = f"{self.label(from_[0])} regrouped from sector {sectors[0]} to {sectors[1]}"
        return ProposedEvent(ident, type_, tuple(from_), tuple(to), label, confidence, reason, quote, *sectors)

    def event_label(self, type_: str, from_: Sequence[str], to: Sequence[str]) -> str:
        before = _join([self.label(i) for i in from_])
        after = _join([self.label(i) for i in to])
        tier_of = {self.cid(c): c.tier for c in self.listing.clusters} | {c.id: c.tier for c in self.old}
        if type_ == "added":
            where = (
                "to the future industries"
                if tier_of.get(to[0]) == "future"
                else "as a strategic emerging industry cluster"
            )
            return f"{after} added {where}"
        if type_ == "elevated":
            return f"{after} elevated out of {before} to a cluster of its own"
        if type_ == "merged":
            return f"{before} merged into {after or 'another cluster'}"
        if type_ == "renamed":
            return f"{before} renamed {after}"
        if type_ == "moved":
            return f"{before} moved to the {_TIER_PLURAL[tier_of.get(to[0], 'future')]}"
        if type_ == "removed":
            return f"{before} removed from the {_TIER_PLURAL[tier_of.get(from_[0], 'sei')]}"
        return f"{before} {type_}"

    def propose(self, event: ProposedEvent) -> ProposedEvent:
        self.events.append(event)
        self.explained_old.update(event.from_)
        for listed in self.listing.clusters:
            if self.cid(listed) in event.to:
                self.explained_new.add(id(listed))
        return event

    # -- the steps

    def run(self) -> None:
        self.assign_ids()
        gaps = [gap for tier in TIER_NAMES for gap in self.gaps(tier)]
        # Strong renamings first (they decide a merger's members), then mergers, then weaker renamings.
        for gap in gaps:
            self.renamings(gap, strength=3)
        for gap in gaps:
            self.mergers(gap)
        for gap in gaps:
            self.renamings(gap, strength=2)
        for gap in gaps:
            self.one_for_one(gap)
        self.moves()
        for gap in gaps:
            self.new_names(gap)
        self.regroupings()
        self.disappearances()
        self.announced_evidence()
        order = {self.cid(c): (list(TIER_NAMES).index(c.tier), c.position) for c in self.listing.clusters}
        old_order = {c.id: (list(TIER_NAMES).index(c.tier), c.position) for c in self.old}

        def key(event: ProposedEvent) -> tuple[int, int]:
            if event.to:
                return order.get(event.to[0], (9, 0))
            return old_order.get(event.from_[0], (9, 0))

        self.events.sort(key=key)

    def gaps(self, tier: str) -> list[_Gap]:
        old = sorted((c for c in self.old if c.tier == tier), key=lambda c: c.position)
        new = self.listing.tier(tier)
        anchors = _lcs([c.label_zh for c in old], [c.label_zh for c in new])
        kept = {c.label_zh for c in old} & {c.label_zh for c in new}
        gaps: list[_Gap] = []
        bounds = [(-1, -1), *anchors, (len(old), len(new))]
        for (i0, j0), (i1, j1) in zip(bounds, bounds[1:], strict=False):
            gap_old = [c for c in old[i0 + 1 : i1] if c.label_zh not in kept]
            gap_new = [c for c in new[j0 + 1 : j1] if c.label_zh not in kept]
            if gap_old or gap_new:
                gaps.append(
                    _Gap(tier, gap_old, gap_new, old[i0] if i0 >= 0 else None, old[i1] if i1 < len(old) else None)
                )
        return gaps

    def open_old(self, gap: _Gap) -> list[KnownCluster]:
        return [c for c in gap.old if c.id not in self.explained_old]

    def open_new(self, gap: _Gap) -> list[ListedCluster]:
        return [c for c in gap.new if id(c) not in self.explained_new]

    def renamings(self, gap: _Gap, strength: int) -> None:
        """Pairs of one old and one new name in the same place whose names say they are one cluster."""
        pairs = []
        for old in self.open_old(gap):
            for new in self.open_new(gap):
                evidence = _rename_evidence(old.label_zh, new.label_zh)
                if evidence and evidence[0] == strength:
                    pairs.append((-evidence[0], abs(old.position - new.position), old, new, evidence))
        for _, _, old, new, (strength, reason) in sorted(pairs, key=lambda p: p[:2]):
            if old.id in self.explained_old or id(new) in self.explained_new:
                continue
            self.propose(
                self.event(
                    "renamed",
                    [old.id],
                    [self.cid(new)],
                    "high" if strength == 3 else "medium",
                    f"{reason}; both in the same place of the list ({gap.where(self.version)}), where {old.label_zh} "
                    f"left and {new.label_zh} joined the {_TIER_PLURAL[gap.tier]}.",
                    new.quote,
                )
            )

    def mergers(self, gap: _Gap) -> None:
        """One new name made of the words of several old names of its place (or of their sector's name)."""
        olds = self.open_old(gap)
        if len(olds) < 2:
            return
        candidates = []
        for new in self.open_new(gap):
            words = _words(new.label_zh)
            linked: dict[str, str] = {}  # old id -> where the new name takes words from
            for old in olds:
                shared = words & _words(old.label_zh)
                if shared:
                    linked[old.id] = f"{_in_order(shared, new.label_zh)} from {old.label_zh}"
            for sector in sorted({old.sector_zh for old in olds if old.sector_zh}):
                shared = words & _words(sector)
                if shared:
                    for old in olds:
                        if old.sector_zh == sector:
                            linked.setdefault(old.id, f"{_in_order(shared, new.label_zh)} from their sector {sector}")
            if len(linked) >= 2:
                candidates.append((new, linked))
        if len(candidates) != 1:
            return  # none, or several new names competing for the same old ones: left to the questions
        new, linked = candidates[0]
        members = [old for old in olds if old.id in linked]
        reasons = "; ".join(dict.fromkeys(linked[old.id] for old in members))
        self.propose(
            self.event(
                "merged",
                [old.id for old in members],
                [self.cid(new)],
                "medium",
                f"{len(members)} clusters ({'、'.join(old.label_zh for old in members)}) left the same place of the "
                "list "
                f"({gap.where(self.version)}) where one new name joined, and {new.label_zh} is made of their words "
                f"({reasons}).",
                new.quote,
            )
        )

    def one_for_one(self, gap: _Gap) -> None:
        """One old name and one new name left alone in the same place: a renaming, of low confidence."""
        olds, news = self.open_old(gap), self.open_new(gap)
        if len(olds) != 1 or len(news) != 1:
            return
        old, new = olds[0], news[0]
        shared = sorted(set(old.label_zh) & set(new.label_zh) - {"与", "和"}, key=old.label_zh.index)
        words = f"; the names share {'、'.join(shared)}" if shared else "; the names share no character"
        event = self.event(
            "renamed",
            [old.id],
            [self.cid(new)],
            "low",
            f"{old.label_zh} left and {new.label_zh} joined the same place of the list "
            f"({gap.where(self.version)}), and nothing else changed there{words}.",
            new.quote,
        )
        self.propose(event)
        added = self.event("added", [], [self.cid(new)], "low", "a name not in the previous list.", new.quote)
        self.questions.append(
            Question(
                (old.id, self.cid(new)),
                f"Was {old.label_zh} ({self.previous}) renamed {new.label_zh}? Only their place in the list "
                "links them.",
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

    def moves(self) -> None:
        """A name that left one tier and joined the other."""
        for new in self.listing.clusters:
            if id(new) in self.explained_new or self.matches[id(new)][0] != "new":
                continue
            for old in self.old:
                if old.label_zh != new.label_zh or old.tier == new.tier:
                    continue
                still = any(c.label_zh == old.label_zh and c.tier == old.tier for c in self.listing.clusters)
                if still:
                    continue
                move = self.event(
                    "moved",
                    [old.id],
                    [self.cid(new)],
                    "high",
                    f"{old.label_zh} left the {_TIER_PLURAL[old.tier]} and the same name joined the "
                    f"{_TIER_PLURAL[new.tier]}.",
                    new.quote,
                )
                if old.id not in self.explained_old:
                    self.propose(move)
                    continue
                # The old cluster is already explained (say, renamed in its own tier): the same name in the
                # other tier is then an addition, or the account is a move and the renaming an addition.
                other = next(e for e in self.events if old.id in e.from_)
                added = self.propose(
                    self.event(
                        "added",
                        [],
                        [self.cid(new)],
                        "medium",
                        f"a name new to the {_TIER_PLURAL[new.tier]}, listed {self.place(new)}. It is the name of "
                        f"{old.label_zh} ({TIER_NAMES[old.tier]} of {self.previous}), proposed as "
                        f"{other.type} ({other.id}): see the question.",
                        new.quote,
                    )
                )
                replacement = (
                    [
                        self.event(
                            "added", [], list(other.to), "low", "the alternative account.", self.quote_of(other.to[0])
                        )
                    ]
                    if other.type == "renamed"
                    else []
                )
                self.questions.append(
                    Question(
                        (old.id, self.cid(new)),
                        f"{new.label_zh} joined the {_TIER_PLURAL[new.tier]} with the name of the "
                        f"{TIER_NAMES[old.tier]} {old.label_zh} of {self.previous}. Is it a new cluster, or did "
                        f"{old.label_zh} move tier?",
                        (
                            Option(f"as proposed: {other.id} and {added.id}", (other, added)),
                            Option(
                                f"{old.label_zh} moved to the {_TIER_PLURAL[new.tier]}"
                                + (f", and {self.name_of(other.to[0])} was added" if replacement else ""),
                                (move, *replacement),
                            ),
                        ),
                        proposed=0,
                    )
                )

    def place(self, new: ListedCluster) -> str:
        tier = self.listing.tier(new.tier)
        if new.position == len(tier):
            return f"at the end of the {_TIER_PLURAL[new.tier]}"
        return f"at position {new.position} of the {_TIER_PLURAL[new.tier]}"

    def quote_of(self, ident: str) -> str:
        return next((c.quote for c in self.listing.clusters if self.cid(c) == ident), "")

    def name_of(self, ident: str) -> str:
        return next(
            (c.label_zh for c in self.listing.clusters if self.cid(c) == ident),
            next((c.label_zh for c in self.old if c.id == ident), ident),
        )

    def new_names(self, gap: _Gap) -> None:
        """New names not explained so far: elevated out of a cluster that continues, or added."""
        continuing = [
            c for c in self.old if any(c.label_zh == n.label_zh and c.tier == n.tier for n in self.listing.clusters)
        ]
        for new in self.open_new(gap):
            if self.matches[id(new)][0] != "new":
                continue
            parents = [
                c for c in continuing if c.tier == new.tier and new.label_zh in re.split(r"[与和及]", c.label_zh)
            ]
            if parents:
                parent = parents[0]
                self.propose(
                    self.event(
                        "elevated",
                        [parent.id],
                        [self.cid(new)],
                        "medium",
                        f"{new.label_zh} is a part of the name of {parent.label_zh}, which continues.",
                        new.quote,
                    )
                )
                continue
            if gap.before is not None and gap.after is not None and not gap.old and new is gap.new[0]:
                parent = gap.before
                event = self.propose(
                    self.event(
                        "elevated",
                        [parent.id],
                        [self.cid(new)],
                        "low",
                        f"{new.label_zh} is new and listed right after {parent.label_zh}, which continues, in the "
                        f"middle of the {_TIER_PLURAL[new.tier]} ({gap.where(self.version)}): a list puts a cluster "
                        "split out of another beside it. Nothing else in the list links them.",
                        new.quote,
                    )
                )
                added = self.event("added", [], [self.cid(new)], "low", "a name not in the previous list.", new.quote)
                self.questions.append(
                    Question(
                        (parent.id, self.cid(new)),
                        f"Was {new.label_zh} split out of {parent.label_zh} (listed just before it), or is it new?",
                        (
                            Option(f"elevated out of {parent.label_zh}", (event,)),
                            Option(f"added ({new.label_zh} is new, not part of {parent.label_zh} before)", (added,)),
                        ),
                        proposed=0,
                    )
                )
                continue
            near = [
                c
                for c in self.old
                if c.tier != new.tier
                and c.label_zh != new.label_zh
                and (c.label_zh in new.label_zh or new.label_zh in c.label_zh)
            ]
            also = (
                f" Its name contains {near[0].label_zh} ({TIER_NAMES[near[0].tier]} of {self.previous})."
                if near
                else ""
            )
            left = self.open_old(gap)
            if left:  # then it may be one of them renamed: see their questions
                also += f" In the same place {'、'.join(c.label_zh for c in left)} left the list: see the questions."
            self.propose(
                self.event(
                    "added",
                    [],
                    [self.cid(new)],
                    "medium" if left else "high",
                    f"a name not in the {self.previous} list, listed {self.place(new)} "
                    f"({gap.where(self.version)}).{also}",
                    new.quote,
                )
            )

    def regroupings(self) -> None:
        """A cluster that kept its identity but is listed under another sector than before."""
        before = {c.id: c for c in self.old}
        for listed in self.listing.clusters:
            old = before.get(self.matches[id(listed)][1])
            sector = self.sector_id(listed.sector)
            if old is None or not sector or not old.sector or sector == old.sector:
                continue
            self.events.append(
                self.event(
                    "regrouped",
                    [old.id],
                    [old.id],
                    "medium",
                    f"listed under {listed.sector}; in {self.previous} it was under {old.sector_zh}.",
                    listed.quote,
                    (old.sector, sector),
                )
            )

    def disappearances(self) -> None:
        """Old clusters nothing in the list explains: removed, or merged into another? A question each."""
        for old in sorted(self.old, key=lambda c: (list(TIER_NAMES).index(c.tier), c.position)):
            if old.id in self.explained_old:
                continue
            if any(c.label_zh == old.label_zh and c.tier == old.tier for c in self.listing.clusters):
                continue
            words = _words(old.label_zh)
            related = [c for c in self.listing.clusters if words & _words(c.label_zh)]
            removed = self.event(
                "removed",
                [old.id],
                [],
                "low",
                f"{old.label_zh} is not in the {self.version} list; the list can only show an absence.",
            )
            options = [Option(f"removed from the {_TIER_PLURAL[old.tier]}", (removed,))]
            for new in related:
                shared = _in_order(words & _words(new.label_zh), old.label_zh)
                merged = self.event(
                    "merged",
                    [old.id],
                    [self.cid(new)],
                    "low",
                    f"{new.label_zh} shares {shared} with {old.label_zh}.",
                    new.quote,
                )
                tier = "" if new.tier == old.tier else f", a {TIER_NAMES[new.tier]}"
                options.append(Option(f"merged into {new.label_zh}{tier} (the names share {shared})", (merged,)))
            merged = self.event(
                "merged",
                [old.id],
                [],
                "low",
                f"{old.label_zh} is not in the {self.version} list; name the cluster it merged into.",
            )
            options.append(Option("merged into a cluster the list does not name", (merged,)))
            self.questions.append(
                Question(
                    (old.id,),
                    f"{old.label_zh} ({old.label_en or old.id}, {TIER_NAMES[old.tier]} of {self.previous}) is not in "
                    f"the {self.version} list, and nothing in the list says what became of it.",
                    tuple(options),
                )
            )

    # -- the announcement of the version, as evidence

    def priorities_of(self, ident: str) -> list[AnnouncedPriority]:
        """The priorities of this version's announcement tied to a cluster of an earlier version (by its id),
        or, for a new cluster, the priorities tied to none whose English name is the cluster's."""
        announced = self.view.priorities.get(self.version, [])
        tied = [p for p in announced if p.cluster == ident]
        new = next((c for c in self.listing.clusters if self.cid(c) == ident and self.matches[id(c)][0] == "new"), None)
        if new is not None and new.label_en:
            tied += [p for p in announced if not p.cluster and p.label_en.casefold() == new.label_en.casefold()]
        return tied

    def with_evidence(self, event: ProposedEvent) -> ProposedEvent:
        """The event with the announcement's priorities tied to its clusters: in its reason, and as sources."""
        priorities = [p for ident in (*event.from_, *event.to) for p in self.priorities_of(ident)]
        if not priorities:
            return event
        reason = " ".join([event.reason, *(p.evidence(self.version, self.name_of(p.cluster)) for p in priorities)])
        evidence = tuple(dict.fromkeys((*event.evidence, *((p.source, p.quote) for p in priorities))))
        return dataclasses.replace(event, reason=reason, evidence=evidence)

    def announced_evidence(self) -> None:
        """Each priority of the announcement tied to a cluster becomes evidence: of the proposals that take or give
        that cluster; of the question about a cluster that left the list (with, where the list has a new cluster
        of the priority's English name, the option that it became that cluster); and, for a cluster that is kept,
        of its match."""
        self.events = [self.with_evidence(e) for e in self.events]
        questions = []
        for question in self.questions:
            options = [Option(o.description, tuple(self.with_evidence(e) for e in o.events)) for o in question.options]
            text = question.text
            for ident in question.about:
                old = next((c for c in self.old if c.id == ident), None)
                for priority in self.priorities_of(ident):
                    text += " " + priority.evidence(self.version, self.name_of(ident))
                    if old is None:
                        continue
                    for new in self.listing.clusters:
                        if self.matches[id(new)][0] != "new" or new.label_en.casefold() != priority.label_en.casefold():
                            continue
                        kind = "renamed" if new.tier == old.tier else "moved"
                        change = (kind, (ident,), (self.cid(new),))
                        if any((e.type, e.from_, e.to) == change for o in options for e in o.events):
                            continue  # an option of the question says it already
                        reason = f"{new.label_zh} has the English name of the priority tied to {old.label_zh}."
                        event = self.event(kind, [ident], [self.cid(new)], "low", reason, new.quote)
                        options.append(
                            Option(
                                f"{kind} into {new.label_zh} ({new.label_en}, the English name of the priority of "
                                f"{self.version}'s announcement tied to it)",
                                (self.with_evidence(event),),
                            )
                        )
            questions.append(dataclasses.replace(question, text=text, options=tuple(options)))
        self.questions = questions
        for listed in self.listing.clusters:
            match, predecessor = self.matches[id(listed)]
            priorities = self.priorities_of(predecessor) if match.startswith("kept") else []
            if priorities:
                names = "; ".join(f"{p.label_en} ({p.relation}, {p.certainty})" for p in priorities)
                self.matches[id(listed)] = (f"{match}; {self.version}'s announcement names {names}", predecessor)

    def sector_id(self, heading: str) -> str:
        if not heading:
            return ""
        names = {heading, re.sub(r"(产业|领域|板块)$", "", heading)}
        for ident, (zh, en) in self.view.sectors.items():
            if zh in names or en.casefold() == heading.casefold():
                return ident
        return ""

    def draft_clusters(self) -> tuple[DraftCluster, ...]:
        out = []
        for listed in self.listing.clusters:
            match, predecessor = self.matches[id(listed)]
            ident = self.cid(listed)
            if match == "new":
                event = next((e for e in self.events if ident in e.to and e.type != "regrouped"), None)
                if event is None:
                    match = "new: see the questions"
                elif event.from_:
                    match = f"new: {event.type} from {'、'.join(self.name_of(i) for i in event.from_)}"
                else:
                    match = f"new: {event.type}"
            label_en = listed.label_en or next((c.label_en for c in self.old if c.id == predecessor), "")
            if not label_en and predecessor:
                label_en = next(
                    (c.label_en for cs in self.view.members.values() for c in cs if c.id == predecessor), ""
                )
            sector = self.sector_id(listed.sector)
            out.append(DraftCluster(listed, ident, label_en, sector, match, predecessor))
        return tuple(out)

    def sector_questions(self) -> None:
        unknown = sorted({c.sector for c in self.listing.clusters if c.sector and not self.sector_id(c.sector)})
        for heading in unknown:
            self.to_fill_in.append(
                f"sector {heading} is not in graph/sectors.csv: add its row (id, labels, versions, sources) and put "
                f"its id in the sector column of its clusters."
            )
        used = sorted({self.sector_id(c.sector) for c in self.listing.clusters if self.sector_id(c.sector)})
        if used:
            self.to_fill_in.append(f"graph/sectors.csv: add {self.version} to the versions of {', '.join(used)}.")


def _in_order(words: set[str], name: str) -> str:
    """The parts of ``name`` that the two-character ``words`` cover, in order: {医疗, 疗器, 器械} -> 医疗器械."""
    covered = sorted({i + k for i in range(len(name) - 1) if name[i : i + 2] in words for k in (0, 1)})
    runs: list[str] = []
    for i in covered:
        if runs and name[i - 1 : i + 1] in words:  # joined only where the two characters are a shared word
            runs[-1] += name[i]
        else:
            runs.append(name[i])
    return "、".join(runs)


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _slugify(text: str) -> str:
    text = text.replace("&", " and ").casefold()
    words = re.findall(r"[a-z0-9]+", text.encode("ascii", "ignore").decode())
    return "-".join(words) or "cluster"


def _source_slug(address: str, date: str) -> str:
    host = re.sub(r"^https?://", "", address).split("/", 1)[0].split(":", 1)[0]
    host = re.sub(r"^(www|m)\.", "", host.casefold())
    return "-".join(p for p in (_slugify(host.replace(".", " ")), date[:4]) if p)


def _resolve_source(
    view: _GraphView,
    version: str,
    source_id: str | None,
    address: str | None,
    title: str | None,
    date: str | None,
    kind: str | None,
) -> tuple[DraftSource, list[str]]:
    todo: list[str] = []
    if kind and kind not in SOURCE_KIND:
        raise UsageError(f"bad source kind {kind!r}: expected one of {', '.join(SOURCE_KIND)}")
    if date and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", date):
        raise UsageError(f"bad source date {date!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
    if address and not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", address):
        raise UsageError(f"bad source IRI {address!r}: expected an http(s) URL")
    if source_id and source_id in view.sources:
        page, page_title = view.sources[source_id]
        return DraftSource(source_id, page_title, address=page), todo
    if not source_id and address:
        for ident, (page, page_title) in view.sources.items():
            if page == address:
                return DraftSource(ident, page_title, address=page), todo
    if not (source_id or address or title):
        todo.append(
            f"the source of the list: draft again with --source-iri, --source-title and --source-date "
            f"(or --source-id of a source in graph/sources.csv), or replace {TODO_SOURCE} in the drafts."
        )
        return DraftSource(TODO_SOURCE), todo
    ident = source_id or (_source_slug(address, date or "") if address else f"published-list-{version}")
    if not re.fullmatch(r"[a-z0-9]+(?:[.-][a-z0-9]+)*", ident):
        raise UsageError(f"bad source id {ident!r}: use lower-case ASCII words joined by '-'")
    base, n = ident, 2
    while ident in view.sources:
        ident, n = f"{base}-{n}", n + 1
    if not title:
        todo.append(f"the title of source {ident} (its row for graph/sources.csv has none).")
    if not kind:
        todo.append(f"the kind of source {ident} ({', '.join(SOURCE_KIND)}) in its row for graph/sources.csv.")
    return DraftSource(ident, title or "", date or "", address or "", kind or "", new=True), todo


def draft_version(
    kg: KnowledgeGraph,
    version: str,
    listing: PublishedList | Path | str,
    *,
    previous: str | None = None,
    source_id: str | None = None,
    source_iri: str | None = None,
    source_title: str | None = None,
    source_date: str | None = None,
    source_kind: str | None = None,
) -> Draft:
    """Draft ``version`` from its published list, against the previous version as it is in ``kg``.

    Args:
        kg: the graph (only versions before ``version`` are read: a list it already has for
            ``version`` is ignored, so that a past version can be replayed).
        version: the new version, such as ``"3.0"``.
        listing: the list (a :class:`PublishedList`, or the path of a text or CSV file).
        previous: the version to compare with (default: the one ``version`` revises in the graph, else
            the latest earlier version with a list).
        source_id, source_iri, source_title, source_date, source_kind: where the list was published: an
            existing source (by id or address) or a new one. Without them each citation names
            ``TODO-source`` for a person to fill in.

    Returns:
        The :class:`Draft`: clusters, proposed events, questions, things to fill in.

    Raises:
        DataError: the list cannot be read (file, line, cause).
        UsageError: an unknown previous version, one without a list, or a bad source option.
    """
    if not isinstance(listing, PublishedList):
        path = Path(listing)
        try:
            if path.stat().st_size > MAX_LIST_BYTES:
                raise DataError(path, None, f"larger than {MAX_LIST_BYTES} bytes: this is not a list of clusters")
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise DataError(path, None, "no such file") from None
        except UnicodeDecodeError as error:
            raise DataError(path, None, f"not UTF-8 text ({error.reason} at byte {error.start})") from None
        listing = read_list(text, str(path))
    key = _version_key(version)
    view = _graph_view(kg)
    if previous is None:
        previous = view.versions.get(version)
        if previous is None or previous not in view.members:
            earlier = sorted((v for v in view.members if _version_key(v) < key), key=_version_key)
            if not earlier:
                raise UsageError(f"no version before {version} has a list of clusters in the graph")
            previous = earlier[-1]
    if previous not in view.members:
        known = ", ".join(sorted(view.members, key=_version_key)) or "none"
        raise UsageError(f"version {previous} has no list of clusters in the graph (versions with one: {known})")
    if _version_key(previous) >= key:
        raise UsageError(f"the previous version {previous} must come before {version}")
    listing = _with_known_names(listing, {c.label_zh for cs in view.members.values() for c in cs})
    source, todo = _resolve_source(view, version, source_id, source_iri, source_title, source_date, source_kind)
    matcher = _Matcher(version, previous, listing, list(view.members[previous]), view, source, to_fill_in=todo)
    matcher.run()
    matcher.sector_questions()
    if version in view.announced:
        matcher.to_fill_in.append(
            f"graph/versions.toml: version {version} is only announced: set its status (in-force) and issued date, "
            f"and the status of {previous} (superseded)."
        )
    if version not in view.versions:
        matcher.to_fill_in.append(f'graph/versions.toml: add version {version} (revises = "{previous}").')
    elif view.versions.get(version) != previous:
        matcher.to_fill_in.append(
            f'graph/versions.toml: set revises = "{previous}" for version {version}, so '
            "that the cross-version rules compare the two lists."
        )
    return Draft(
        version=version,
        previous=previous,
        list_name=listing.name,
        source=source,
        clusters=matcher.draft_clusters(),
        events=tuple(matcher.events),
        # Open questions first: until a person answers them, the cross-version rules report their clusters.
        questions=tuple(sorted(matcher.questions, key=lambda q: q.proposed is not None)),
        to_fill_in=tuple(matcher.to_fill_in),
        previous_clusters=tuple(view.members[previous]),
        ignored=listing.ignored,
        replaces_existing=version in view.members,
    )
