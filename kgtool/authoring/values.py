"""The values data files may hold: the words of each closed list (certainty, status, tier, unit, ...) with
the term each stands for, and the forms of cells (several values in one cell, periods, figures' bounds)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

from rdflib import URIRef
from rdflib.namespace import FOAF, PROV

from ..namespaces import BASE, CUR, SZ, UNIT

__all__ = [
    "SEPARATOR",
    "MAX_EXPONENT",
    "SLUG",
    "CERTAINTY",
    "STATUS",
    "TIER",
    "QUALIFIER",
    "UNITS",
    "ADDITIVE_UNITS",
    "SOURCE_KIND",
    "PRIORITY_KIND",
    "AGENT_KIND",
    "SUBJECT_KINDS",
    "OBSERVATION_DATASET",
    "split_cell",
    "language_of",
    "figure_bounds",
    "period_bounds",
]

#: Separates several values in one CSV cell (sources, quotes, alternative labels).
SEPARATOR = " | "

#: Figures are refused beyond 10^±MAX_EXPONENT (a typo such as 1e999999999 would exhaust memory).
MAX_EXPONENT = 60

#: An id: lower-case ASCII words joined by '-' (or '.').
SLUG = re.compile(r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$")
_KANA = re.compile(r"[\u3040-\u30ff]")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

CERTAINTY = {"confirmed": SZ.Confirmed, "secondary": SZ.Secondary, "uncertain": SZ.Uncertain}
STATUS = {"superseded": SZ.Superseded, "in-force": SZ.InForce, "announced": SZ.Announced}
TIER = {"sei": SZ.StrategicEmergingIndustryCluster, "future": SZ.FutureIndustry}
QUALIFIER = {
    "exact": SZ.Exact,
    "over": SZ.Over,
    "at-least": SZ.AtLeast,
    "at-most": SZ.AtMost,
    "nearly": SZ.Nearly,
    "about": SZ.About,
}
UNITS = {
    "yuan": CUR.CNY,
    "percent": UNIT.PERCENT,
    "count": UNIT.NUM,
    "rank": UNIT.UNITLESS,
    "km2": UNIT.KiloM2,
}
#: Units whose figures add up, so that parts can be checked against their whole.
ADDITIVE_UNITS = {"yuan", "count", "km2"}
SOURCE_KIND = {
    "policy-text": SZ.PolicyText,
    "news-report": SZ.NewsReport,
    "government-page": SZ.GovernmentPage,
    "third-party-file": SZ.ThirdPartyFile,
    "low-quality-mirror": SZ.LowQualityMirror,
    "fact-sheet": SZ.FactSheet,
}
PRIORITY_KIND = {"future": SZ.FutureIndustryPriority, "strategic": SZ.StrategicIndustryPriority}
AGENT_KIND = {
    "organization": (PROV.Organization, FOAF.Organization),
    "person": (PROV.Person, FOAF.Person),
}
SUBJECT_KINDS = ("place", "cluster", "sector")

OBSERVATION_DATASET = URIRef(BASE + "dataset/observations")


def split_cell(cell: str) -> list[str]:
    """The values of a cell that holds several, separated by :data:`SEPARATOR`.

    >>> split_cell("a | b |c"), split_cell("  ")
    (['a', 'b', 'c'], [])
    """
    return [part.strip() for part in cell.split(SEPARATOR.strip())] if cell.strip() else []


def language_of(text: str) -> str:
    """A guess of the language of a text: Japanese if it has kana, Chinese if it has Han, else English.

    >>> language_of("人工智能"), language_of("ロボット"), language_of("Robotics")
    ('zh', 'ja', 'en')
    """
    if _KANA.search(text):
        return "ja"
    return "zh" if _CJK.search(text) else "en"


_QUARTER_END = {1: "03-31", 2: "06-30", 3: "09-30", 4: "12-31"}
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def figure_bounds(reported: Decimal, multiplier: int, qualifier: str) -> tuple[Decimal | None, Decimal | None]:
    """The interval of true values (normalised) that a printed figure and its qualifier allow.

    ``exact``: half a unit of the last printed digit either side; ``about``: one unit of the last non-zero
    digit either side; ``nearly``: up to one unit of the last non-zero digit below (the figure itself
    excluded); ``over`` (excluded) and ``at-least``: the figure and above; ``at-most``: the figure and below.
    None is an open side.

    >>> figure_bounds(Decimal("3.68"), 12, "exact")
    (Decimal('3.675E+12'), Decimal('3.685E+12'))
    >>> figure_bounds(Decimal("1.3"), 12, "about")
    (Decimal('1.2E+12'), Decimal('1.4E+12'))
    >>> figure_bounds(Decimal("400"), 0, "nearly")
    (Decimal('300'), Decimal('400'))
    >>> figure_bounds(Decimal("40"), 0, "over")
    (Decimal('40'), None)
    """
    value = reported.scaleb(multiplier)
    last_digit = Decimal(1).scaleb(reported.as_tuple().exponent + multiplier)  # type: ignore[operator]
    significant = reported.normalize()
    last_nonzero = Decimal(1).scaleb(significant.as_tuple().exponent + multiplier)  # type: ignore[operator]
    if qualifier == "exact":
        return value - last_digit / 2, value + last_digit / 2
    if qualifier == "about":
        return value - last_nonzero, value + last_nonzero
    if qualifier == "nearly":
        return value - last_nonzero, value
    if qualifier in ("over", "at-least"):
        return value, None
    if qualifier == "at-most":
        return None, value
    raise ValueError(f"unknown qualifier {qualifier!r}")


def period_bounds(text: str) -> tuple[date, date, str] | None:
    """Start, end and label of a period written as in the data files (None: not a period).

    >>> period_bounds("2023-q1-q3")
    (datetime.date(2023, 1, 1), datetime.date(2023, 9, 30), '2023 Q1–Q3')
    >>> period_bounds("2025-m01-m11")[1:]
    (datetime.date(2025, 11, 30), '2025 January–November')
    """
    for pattern, bounds in _PERIODS:
        if m := re.fullmatch(pattern, text):
            return bounds(m)
    return None


def _year(m: re.Match[str]) -> tuple[date, date, str] | None:
    y = int(m[1])
    return date(y, 1, 1), date(y, 12, 31), m[0]


def _years(m: re.Match[str]) -> tuple[date, date, str] | None:
    a, b = int(m[1]), int(m[2])
    return (date(a, 1, 1), date(b, 12, 31), f"{a}–{b}") if a < b else None


def _quarters(m: re.Match[str]) -> tuple[date, date, str] | None:
    y, q1 = int(m[1]), int(m[2])
    q2 = int(m[3] or q1)
    if q2 < q1:
        return None
    start = date(y, 3 * (q1 - 1) + 1, 1)
    end = date.fromisoformat(f"{y}-{_QUARTER_END[q2]}")
    return start, end, f"{y} Q{q1}" + (f"–Q{q2}" if q2 != q1 else "")


def _months(m: re.Match[str]) -> tuple[date, date, str] | None:
    y, first, last = int(m[1]), int(m[2]), int(m[3])
    if not 1 <= first < last <= 12:
        return None
    end = date(y + (last == 12), last % 12 + 1, 1) - timedelta(days=1)
    return date(y, first, 1), end, f"{y} {_MONTHS[first - 1]}–{_MONTHS[last - 1]}"


def _reported(m: re.Match[str]) -> tuple[date, date, str] | None:
    y = int(m[1])
    try:
        reported = date.fromisoformat(m[2])
    except ValueError:
        return None
    if reported.year != y:
        return None
    return date(y, 1, 1), reported, f"{y}, as reported on {reported.isoformat()}"


def _half(m: re.Match[str]) -> tuple[date, date, str] | None:
    y, h = int(m[1]), int(m[2])
    return (date(y, 1, 1), date(y, 6, 30), f"{y} H1") if h == 1 else (date(y, 7, 1), date(y, 12, 31), f"{y} H2")


#: The forms of a period, tried in order: a year, years, quarters, months, a year as reported on a date, a half.
_PERIODS = (
    (r"(\d{4})", _year),
    (r"(\d{4})-(\d{4})", _years),
    (r"(\d{4})-q([1-4])(?:-q([1-4]))?", _quarters),
    (r"(\d{4})-m(\d{2})-m(\d{2})", _months),
    (r"(\d{4})-reported-(\d{4}-\d{2}-\d{2})", _reported),
    (r"(\d{4})-h([12])", _half),
)
