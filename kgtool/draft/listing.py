"""Reading a version's list of clusters as published (plain text or CSV), tier by tier, in its order."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..errors import DataError, UsageError

__all__ = [
    "ListedCluster",
    "PublishedList",
    "read_list",
    "with_known_names",
    "MAX_CLUSTERS",
    "TIER_NAMES",
    "TIER_PLURAL",
    "HAN",
]

#: More names than any list of the policy will have (it has 28): beyond this the input is not a list.
MAX_CLUSTERS = 500

TIER_NAMES = {"sei": "strategic emerging industry cluster", "future": "future industry"}
TIER_PLURAL = {"sei": "strategic emerging industry clusters", "future": "future industries"}
_TIER_KEYWORDS = {"sei": ("战略性新兴产业", "strategic emerging"), "future": ("未来产业", "future industr")}

#: A Han character (a name of the list is Chinese).
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_ARABIC_NUMBER = re.compile(r"^(?:[(（]\s*\d{1,3}\s*[)）]|\d{1,3}\s*[.．、)）:：]|\d{1,3}\s+|[①-⑳])\s*")
_CHINESE_NUMBER = re.compile(r"^(?:[(（]\s*[一二三四五六七八九十]+\s*[)）]|[一二三四五六七八九十]+\s*[、.．])\s*")
_BULLET = re.compile(r"^(?:[-*•·]\s+)")
_COUNT = re.compile(r"\s*[(（]\s*(?:共\s*)?\d+\s*个?\s*[)）]\s*$")
_ITEM_SEPARATORS = re.compile(r"[、；;，]")


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
        if not HAN.search(label_zh):
            raise self.fail(
                number,
                f"{text!r} has no Chinese name: the list gives each name in Chinese (an English name may follow it)",
            )
        for other in self.clusters:
            if other.tier == tier and other.label_zh == label_zh:
                raise self.fail(
                    number, f"{label_zh} is listed twice among the {TIER_PLURAL[tier]} (first at line {other.line})"
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
    if len(parts) == 2 and HAN.search(parts[0]) and not HAN.search(parts[1]):
        chinese, english = parts
    elif (
        bracket
        and HAN.search(bracket.group(1))
        and not HAN.search(bracket.group(2))
        and len(re.findall(r"[A-Za-z]", bracket.group(2))) >= 4
    ):
        chinese, english = bracket.group(1), bracket.group(2)
    else:
        match = re.match(r"^(.*[\u3400-\u9fff\uf900-\ufaff][^A-Za-z]*?)\s+([A-Za-z][^\u3400-\u9fff]*)$", text)
        if match:
            chinese, english = match.group(1), match.group(2)
    chinese = chinese.strip()
    return chinese, _without_cluster_suffix(chinese), english.strip()


def with_known_names(listing: PublishedList, known: set[str]) -> PublishedList:
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
