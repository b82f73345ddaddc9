"""How the pages name things: every IRI of the graph as a *node* (``{"iri", "href", "en", "zh"}``) named in both
languages, and values with their units in words.

Names come from the named query ``labels`` (read once per page); a membership or a figure, which has no
label, gets a heading made from its parts (the named queries ``memberships`` and ``figures``):
"Artificial Intelligence in version 2.0", "Strategic emerging industry added value · Shenzhen · 2020 ·
1.03 trillion yuan".
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from ..graph import KnowledgeGraph
from ..namespaces import instance_iri
from .i18n import VOCABULARY_ZH
from .links import curie, local_href

__all__ = ["Names", "format_value", "format_figures", "json_value", "language_key"]

#: The ranks of the ``labels`` query that name a thing (6 is another name, skos:altLabel).
_NAMING_RANKS = range(1, 6)
_ALTERNATIVE_RANK = 6


def json_value(value: Any) -> Any:
    """A JSON-ready value: decimals and dates as strings, the rest as is."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def language_key(tag: str | None) -> str:
    """``zh`` or ``en`` for a language tag of either language, ``""`` for any other or none."""
    tag = (tag or "").lower()
    return "zh" if tag.startswith("zh") else "en" if tag.startswith("en") else ""


class Names:
    """The names of the graph's IRIs for one page, read from the named queries when first needed."""

    def __init__(self, kg: KnowledgeGraph) -> None:
        self.kg = kg
        self._labels: dict[str, dict[str, str]] | None = None
        self._alternatives: dict[str, list[dict[str, str]]] = {}
        self._headings: dict[str, dict[str, str]] | None = None
        self._figures: dict[str, Any] | None = None

    @property
    def labels(self) -> dict[str, dict[str, str]]:
        """Each IRI's preferred name by language key (``en``, ``zh``, ``""``), the best ranked winning."""
        if self._labels is None:
            self._read_labels()
        assert self._labels is not None
        return self._labels

    def _read_labels(self) -> None:
        self._labels = {}
        for row in self.kg.query("labels"):
            if row.rank in _NAMING_RANKS:
                self._labels.setdefault(str(row.node), {}).setdefault(language_key(row.language), row.label)
            elif row.rank == _ALTERNATIVE_RANK:
                self._alternatives.setdefault(str(row.node), []).append({"text": row.label, "lang": row.language})

    def alternatives(self, iri: str) -> list[dict[str, str]]:
        """The other names of ``iri`` (skos:altLabel), each ``{"text", "lang"}``."""
        if self._labels is None:
            self._read_labels()
        return self._alternatives.get(iri, [])

    def node(self, iri: str) -> dict[str, str]:
        """The node of ``iri``, named by its labels, else by a heading made from its parts, else by its IRI."""
        own = self.labels.get(iri) or self.headings.get(iri, {})
        en = own.get("en") or own.get("") or own.get("zh") or _fallback_name(iri)
        zh = own.get("zh") or VOCABULARY_ZH.get(curie(iri)) or own.get("") or en
        return {"iri": iri, "href": local_href(iri), "en": en, "zh": zh}

    def nodes(self, iris: Any) -> dict[str, dict[str, str]]:
        return {iri: self.node(iri) for iri in set(iris)}

    @property
    def figures(self) -> dict[str, Any]:
        """Every observation and target by IRI: a row of the named query ``figures``."""
        if self._figures is None:
            self._figures = {str(r.figure): r for r in self.kg.query("figures")}
        return self._figures

    @property
    def headings(self) -> dict[str, dict[str, str]]:
        """Headings for the memberships and figures, which have no label."""
        if self._headings is None:
            labelled = self.labels
            named = lambda iri: self._labelled_node(iri, labelled)  # noqa: E731
            self._headings = {}
            for r in self.kg.query("memberships"):
                c, v = named(str(r.cluster)), named(instance_iri("version", r.version))
                self._headings[str(r.membership)] = {"en": f"{c['en']} in {v['en']}", "zh": f"{v['zh']}：{c['zh']}"}
            for iri, r in self.figures.items():
                pieces = [named(str(t)) for t in (r.measure, r.subject, r.period)]
                self._headings[iri] = {
                    lang: " · ".join([*(p[lang] for p in pieces), format_value(r.value, r.unit, lang)])
                    for lang in ("en", "zh")
                }
        return self._headings

    @staticmethod
    def _labelled_node(iri: str, labels: dict[str, dict[str, str]]) -> dict[str, str]:
        own = labels.get(iri, {})
        en = own.get("en") or own.get("") or own.get("zh") or _fallback_name(iri)
        return {"en": en, "zh": own.get("zh") or own.get("") or en}


def _fallback_name(iri: str) -> str:
    """A readable name for an IRI without a label: the local name, with spaces, of a term of a known
    namespace (``qb:Observation`` is "Observation"); any other IRI (a web page) as itself."""
    if curie(iri) == iri:
        return iri
    tail = re.split(r"[#/]", iri.rstrip("/#"))[-1] or iri
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", tail).replace("-", " ").replace("_", " ")
    return words[:1].upper() + words[1:] if words else curie(iri)


# -- values with units ------------------------------------------------------------------------------

_UNIT_WORDS = {
    "yuan": ("yuan", "元"),
    "percent": ("%", "%"),
    "count": ("", ""),
    "rank": ("", ""),
    "km2": ("km²", "平方公里"),
}


def format_value(value: str | Decimal | float | None, unit: str | None, lang: str = "en") -> str:
    """A normalised value in words a reader knows: yuan in trillions or billions (万亿元 or 亿元 in
    Chinese), percentages with ``%``, areas in km².

    >>> format_value("1030000000000", "yuan"), format_value("1030000000000", "yuan", "zh")
    ('1.03 trillion yuan', '1.03 万亿元')
    >>> format_value("450000000000", "yuan"), format_value("450000000000", "yuan", "zh")
    ('450 billion yuan', '4,500 亿元')
    >>> format_value("41.1", "percent"), format_value("20", "count"), format_value("300", "km2", "zh")
    ('41.1%', '20', '300 平方公里')
    """
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    if unit == "yuan":
        if lang == "zh":
            if abs(number) >= Decimal(10) ** 12:
                return f"{_plain(number / Decimal(10) ** 12)} 万亿元"
            if abs(number) >= Decimal(10) ** 8:
                return f"{_plain(number / Decimal(10) ** 8, group=True)} 亿元"
            return f"{_plain(number, group=True)} 元"
        for power, word in ((12, "trillion"), (9, "billion"), (6, "million")):
            if abs(number) >= Decimal(10) ** power:
                return f"{_plain(number / Decimal(10) ** power)} {word} yuan"
        return f"{_plain(number, group=True)} yuan"
    if unit == "percent":
        return f"{_plain(number)}%"
    words = _UNIT_WORDS.get(unit or "", (unit or "", unit or ""))
    suffix = words[1] if lang == "zh" else words[0]
    return f"{_plain(number, group=True)} {suffix}".strip()


def format_figures(value: str | Decimal | float, unit: str | None, lang: str = "en") -> str:
    """A normalised value in full, its digits grouped, with its unit: the figures beside the words.

    >>> format_figures("1560000000000", "yuan"), format_figures("1560000000000", "yuan", "zh")
    ('1,560,000,000,000 yuan', '1,560,000,000,000 元')
    >>> format_figures("42.3", "percent"), format_figures("300", "km2")
    ('42.3%', '300 km²')
    """
    number = _plain(Decimal(str(value)), group=True)
    if unit == "percent":
        return f"{number}%"
    words = _UNIT_WORDS.get(unit or "", (unit or "", unit or ""))
    return f"{number} {words[1] if lang == 'zh' else words[0]}".strip()


def _plain(number: Decimal, group: bool = False) -> str:
    text = format(number.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if group:
        whole, _, frac = text.partition(".")
        sign = "-" if whole.startswith("-") else ""
        whole = f"{int(whole.lstrip('-')):,}"
        text = sign + whole + (f".{frac}" if frac else "")
    return text
