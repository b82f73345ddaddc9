"""The named queries in the reader's language: the Chinese of their summaries, descriptions, parameter help,
column names and column notes (the ``#+`` headers of ``queries/*.rq`` are in English; their Chinese, UI text
translated by hand, is the one table in ``query_text_zh.toml`` beside this module, loaded once), column names in
words, and the cells of a result table formatted for the language.

A text with no entry there stays English (``lang="en"`` on the page); tests/test_web.py checks that every
summary, description, parameter help, column name and column note of the named queries has one.
"""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from .names import format_value

__all__ = [
    "COLUMNS_ZH",
    "COLUMN_DOCS_ZH",
    "DESCRIPTIONS_ZH",
    "PARAM_DOCS_ZH",
    "SUMMARIES_ZH",
    "column_doc",
    "column_heading",
    "localized",
    "number_text",
    "param_doc",
    "summary",
]


def _load_tables() -> dict[str, dict[str, str]]:
    """The tables of ``query_text_zh.toml``: TOML rather than Python because the texts are long and many, and a
    key given twice (a note translated twice) is an error when it is read."""
    return tomllib.loads(Path(__file__).with_name("query_text_zh.toml").read_text(encoding="utf-8"))


_TABLES = _load_tables()
#: The summary line of each named query, in Chinese, by query name.
SUMMARIES_ZH: dict[str, str] = _TABLES["summaries"]
#: The longer description of each named query, in Chinese, by query name.
DESCRIPTIONS_ZH: dict[str, str] = _TABLES["descriptions"]
#: Parameter help, by its English text (several queries share one).
PARAM_DOCS_ZH: dict[str, str] = _TABLES["param_docs"]
#: Column names in Chinese words.
COLUMNS_ZH: dict[str, str] = _TABLES["columns"]
#: The note on each result column (its ``doc:``), by its English text (several queries share one).
COLUMN_DOCS_ZH: dict[str, str] = _TABLES["column_docs"]

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def column_heading(name: str, lang: str) -> str:
    """A result column's name in words: ``measureLabel`` -> "Measure label" (指标名称 in Chinese, where known)."""
    if lang == "zh" and name in COLUMNS_ZH:
        return COLUMNS_ZH[name]
    words = _CAMEL.sub(" ", name).replace("_", " ").lower()
    return words[:1].upper() + words[1:]


def summary(name: str, english: str, lang: str) -> str:
    """A named query's summary in ``lang`` (English where no Chinese is known)."""
    return SUMMARIES_ZH.get(name, english) if lang == "zh" else english


def param_doc(english: str, lang: str) -> str:
    """A parameter's help in ``lang`` (English where no Chinese is known)."""
    return PARAM_DOCS_ZH.get(english, english) if lang == "zh" else english


def column_doc(english: str, lang: str) -> str:
    """A result column's note in ``lang`` (English where no Chinese is known).

    >>> column_doc("The version number.", "zh"), column_doc("The version number.", "en")
    ('版本号。', 'The version number.')
    """
    return COLUMN_DOCS_ZH.get(english, english) if lang == "zh" else english


def number_text(value: str, lang: str) -> str:
    """A number of a result table as a reader of ``lang`` writes it: digits grouped from 10,000 up (years and
    small counts as they are); in Chinese, 亿 and 万亿 from 100 million up.

    >>> number_text("1500000000000", "en"), number_text("1500000000000", "zh"), number_text("2023", "en")
    ('1,500,000,000,000', '1.5万亿', '2023')
    >>> number_text("5.0E10", "zh"), number_text("41.25", "en"), number_text("12345", "zh")
    ('500亿', '41.25', '12,345')
    """
    try:
        number = Decimal(value)
    except InvalidOperation:
        return value
    if not number.is_finite() or abs(number) < 10_000:
        return value
    if lang == "zh" and abs(number) >= Decimal(10) ** 8:
        power, word = (12, "万亿") if abs(number) >= Decimal(10) ** 12 else (8, "亿")
        return format_value(number / Decimal(10) ** power, None, "zh") + word
    return format_value(number, None, lang)


def localized(query: dict[str, Any], lang: str) -> dict[str, Any]:
    """A named query's listing (:func:`kgtool.web.data.queries`) with its summary, description, parameter help,
    column names and column notes in ``lang``; ``*_lang`` says where a text stays English on a Chinese page."""
    if lang != "zh":
        return query
    params = [
        {**p, "doc": param_doc(p["doc"], lang), "doc_lang": "" if p["doc"] in PARAM_DOCS_ZH else "en"}
        for p in query["params"]
    ]
    columns = [
        {
            **c,
            "heading": column_heading(c["name"], lang),
            "doc": column_doc(c.get("doc", ""), lang),
            "doc_lang": "" if c.get("doc", "") in COLUMN_DOCS_ZH else "en",
        }
        for c in query["columns"]
    ]
    return {
        **query,
        "summary": summary(query["name"], query["summary"], lang),
        "summary_lang": "" if query["name"] in SUMMARIES_ZH else "en",
        "description": DESCRIPTIONS_ZH.get(query["name"], query["description"]),
        "description_lang": "" if query["name"] in DESCRIPTIONS_ZH else "en",
        "params": params,
        "columns": columns,
    }
