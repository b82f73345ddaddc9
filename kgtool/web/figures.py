"""What the page of a figure shows, an observation or a target (``/observation/...``, ``/target/...``): read
through the named queries as the other pages' data is (:mod:`kgtool.web.data`), and computed in a query
worker (the request :class:`~kgtool.workers.requests.LibraryCall`).
"""

from __future__ import annotations

from typing import Any

from ..errors import UsageError
from ..graph import KnowledgeGraph
from .data import _fact_sheet_only, _figure, _sources, series, targets_vs_actuals
from .links import local_href
from .names import Names, format_figures

__all__ = ["figure"]


def figure(kg: KnowledgeGraph, iri: str) -> dict[str, Any]:
    """An observation or a target as a reader meets it: the value with its qualifier, measure (and what it
    measures), subject, period and industry definition; its sources with their quotes; the other values
    for the same period side by side (those that cannot both be true marked, from ``conflicts``); its
    series with the targets of the measure (``metric-series``); and for a target, whether it was met, by
    which actual, with the ratio (``targets-vs-actuals``)."""
    names = Names(kg)
    row = names.figures.get(iri)
    if row is None:
        raise UsageError(f"<{iri}> is not an observation or a target")
    measure, subject = str(row.measure), str(row.subject)
    slug, subject_path = measure.rsplit("/", 1)[-1], local_href(subject).lstrip("/")
    shown = series(kg, slug, subject_path, names)
    own = next((p for p in shown["points"] if p["observation"]["iri"] == iri), None)
    sources = _sources(kg, names, [iri])
    fact_sheet_only = _fact_sheet_only(kg)
    conflicting = {str(r.observation) for r in kg.query("conflicts", measure=slug) if str(r.subject) == subject}
    same_period = [
        {**p, "conflicts": p["observation"]["iri"] in conflicting, "this": p["observation"]["iri"] == iri}
        for p in shown["points"]
        if names.figures[p["observation"]["iri"]].period == row.period
    ]
    if row.kind == "target":
        same_period = [p for p in same_period if not p["this"]]
    about_measure = {str(r.measure): r for r in kg.query("measures")}.get(measure)
    return {
        **_figure(row, names),
        "kind": row.kind,
        "figures": {lang: format_figures(row.value, row.unit, lang) for lang in ("en", "zh")},
        "subject": names.node(subject),
        "measureDefinition": about_measure.definition if about_measure is not None else None,
        "industryDefinition": own["definition"] if own else None,
        "sources": sources.get(iri, []),
        "factSheetOnly": iri in fact_sheet_only,
        "samePeriod": same_period,
        "conflicts": iri in conflicting,
        "series": shown,
        "verdicts": _verdicts(kg, names, row) if row.kind == "target" else [],
    }


def _verdicts(kg: KnowledgeGraph, names: Names, target: Any) -> list[dict[str, Any]]:
    """Whether a target was met: one verdict per actual figure of its measure, subject and period (one
    "not yet known" without any)."""
    slug = str(target.measure).rsplit("/", 1)[-1]
    rows = targets_vs_actuals(kg, names, version=target.version, measure=slug)
    return [v for v in rows if v["target"]["iri"] == str(target.figure)]
