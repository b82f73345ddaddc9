"""The geometry of the charts and of the evolution diagram, computed from page data; the SVG itself is
written by the templates (``macros.html`` for charts, ``evolution.svg``): no chart library, no script needed.

>>> nice_ticks(0, 1.3e12), nice_ticks(37.7, 43.7)
([0.0, 500000000000.0, 1000000000000.0, 1500000000000.0], [36.0, 38.0, 40.0, 42.0, 44.0])
"""

from __future__ import annotations

import math
from typing import Any

__all__ = [
    "ANNOUNCED_COLOUR",
    "UNCHANGED_COLOUR",
    "nice_ticks",
    "axis_label",
    "line_chart",
    "evolution_layout",
    "ontology_diagram",
]

#: The colour of a cluster that stays the same from one version to the next (each event type has its own colour
#: in the ontology, sz:displayColour).
UNCHANGED_COLOUR = "#c3c7cf"
#: The colour of a tie an announcement makes between a cluster and an announced priority (not an event): the
#: pages' colour of the status "announced".
ANNOUNCED_COLOUR = "#6a3fb5"


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round axis values covering ``low``..``high``, about ``count`` of them."""
    if high <= low:
        high = low + 1
    raw = (high - low) / max(1, count - 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value < high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return [float(t) for t in ticks]


def line_chart(series: dict[str, Any], lang: str, *, width: int = 560, height: int = 260) -> dict[str, Any] | None:
    """Points and axes of a measure's series over whole years (None when fewer than two years).

    Each point keeps its figure and sources, so the template can link it to its source."""
    points = [p for p in series["points"] if p["wholeYear"] and p["year"] is not None]
    years = sorted({p["year"] for p in points})
    if len(years) < 2:
        return None
    values = [float(p["value"]) for p in points]
    unit = series.get("unit")
    low = 0.0 if unit == "yuan" or min(values) <= 0 else min(values)
    ticks = nice_ticks(low, max(values))
    left, right, top, bottom = 56, 16, 16, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    y_min, y_max = ticks[0], ticks[-1]

    def x_of(year: int) -> float:
        return left + plot_w * (year - years[0]) / (years[-1] - years[0])

    def y_of(value: float) -> float:
        return top + plot_h * (1 - (value - y_min) / ((y_max - y_min) or 1))

    drawn = []
    for p in sorted(points, key=lambda p: (p["year"], p["qualifier"] != "exact", float(p["value"]))):
        drawn.append({**p, "x": round(x_of(p["year"]), 1), "y": round(y_of(float(p["value"])), 1)})
    line: list[str] = []
    seen: set[int] = set()
    for p in drawn:  # the line joins the first (most exact) value of each year; the others stay points
        if p["year"] not in seen:
            seen.add(p["year"])
            line.append(f"{p['x']},{p['y']}")
    return {
        "width": width,
        "height": height,
        "left": left,
        "right": width - right,
        "top": top,
        "bottom": height - bottom,
        "points": drawn,
        "line": " ".join(line),
        "xticks": [{"x": round(x_of(y), 1), "label": str(y)} for y in years],
        "yticks": [{"y": round(y_of(t), 1), "label": axis_label(t, unit, max(values), lang)} for t in ticks],
        "title": series["measure"]["zh" if lang == "zh" else "en"],
        "others": [p for p in series["points"] if p not in points],
    }


def axis_label(value: float, unit: str | None, largest: float, lang: str) -> str:
    """A short label for an axis value: yuan in the scale of the largest value (trillions, 万亿).

    >>> axis_label(1.5e12, "yuan", 1.3e12, "en"), axis_label(1.5e12, "yuan", 1.3e12, "zh")
    ('1.5 tn', '1.5万亿')
    >>> axis_label(40.0, "percent", 43, "en")
    '40%'
    """
    if unit == "yuan":
        for power, en, zh in ((12, "tn", "万亿"), (9, "bn", None), (8, None, "亿")):
            word = zh if lang == "zh" else en
            if word and largest >= 10**power:
                return f"{_trim(value / 10**power)}{word if lang == 'zh' else ' ' + word}"
    if unit == "percent":
        return f"{_trim(value)}%"
    return _trim(value)


def _trim(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text if text != "-0" else "0"


# -- the evolution diagram --------------------------------------------------------------------------

_ROW = 24
_BOX_W = 226
_GAP = 150
_TOP = 64
_LEFT = 16


def _short(name: str, limit: int) -> str:
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def evolution_layout(data: dict[str, Any], lang: str) -> dict[str, Any]:
    """Boxes for every cluster (or announced priority) of every version, in columns, and a flow for
    every event from the clusters it took to those it gave, in its type's colour (``data["changes"]``: the
    event types, in their order); same clusters in consecutive versions get a grey flow."""
    columns, boxes, height = _columns(data, lang)
    numbers = [c["version"]["number"] for c in data["columns"]]
    flows = _unchanged_flows(numbers, boxes) + _event_flows(data["events"], numbers, boxes)
    flows += _announced_flows(data.get("announced", []), boxes)
    width = _LEFT * 2 + len(columns) * _BOX_W + (len(columns) - 1) * _GAP
    legend_y = height + 12
    legend = [
        {"change": c, "x": _LEFT + i * 112, "y": legend_y}
        for i, c in enumerate(
            [c for c in data["changes"] if any(f["change"] == c for f in flows)]
            + ["unchanged"]
            + (["announced"] if any(f["change"] == "announced" for f in flows) else [])
        )
    ]
    return {
        "width": width,
        "height": legend_y + 44,
        "columns": columns,
        "flows": flows,
        "legend": legend,
        "colours": {
            **{c: t["colour"] for c, t in data["changes"].items()},
            "unchanged": UNCHANGED_COLOUR,
            "announced": ANNOUNCED_COLOUR,
        },
        "changes": data["changes"],
        "box_w": _BOX_W,
    }


_Boxes = dict[tuple[str, str], dict[str, Any]]


def _columns(data: dict[str, Any], lang: str) -> tuple[list[dict[str, Any]], _Boxes, int]:
    """A column per version, with its tiers' headings and a box per cluster (or priority); the boxes by
    (version, IRI); the height of the tallest column."""
    key = "zh" if lang == "zh" else "en"
    limit = 16 if lang == "zh" else 32
    columns: list[dict[str, Any]] = []
    boxes: _Boxes = {}
    height = 0
    for index, column in enumerate(data["columns"]):
        x = _LEFT + index * (_BOX_W + _GAP)
        y = _TOP
        items = []
        members = column["clusters"] or column["priorities"]
        for tier in ("sei", "future"):
            tier_items = [m for m in members if m["tier"] == tier]
            if not tier_items:
                continue
            items.append({"kind": "tier", "tier": tier, "x": x, "y": y + 16})
            y += _ROW
            for m in tier_items:
                box = {
                    "kind": "priority" if column["priorities"] else "cluster",
                    "x": x,
                    "y": y,
                    "w": _BOX_W,
                    "h": _ROW - 4,
                    "node": m["node"],
                    "certainty": m.get("certainty"),
                    "text": _short(m["node"][key], limit + limit // 4),
                    "long": len(m["node"][key]) > limit,
                    "full": m["node"][key],
                }
                items.append(box)
                boxes[(column["version"]["number"], m["node"]["iri"])] = box
                y += _ROW
            y += 8
        height = max(height, y)
        announced = bool(column["priorities"]) and not column["clusters"]
        columns.append({"version": column["version"], "x": x, "items": items, "announced": announced})
    return columns, boxes, height


def _unchanged_flows(numbers: list[str], boxes: _Boxes) -> list[dict[str, Any]]:
    """A grey flow for each cluster that is in two consecutive versions."""
    flows = []
    for before, after in zip(numbers, numbers[1:], strict=False):
        old = {iri for (v, iri) in boxes if v == before}
        for (v, iri), box in boxes.items():
            if v == after and iri in old and box["kind"] == "cluster":
                flows.append(
                    {
                        "change": "unchanged",
                        "paths": [_curve(boxes[(before, iri)], box)],
                        "event": None,
                        "href": box["node"]["href"],
                    }
                )
    return flows


def _event_flows(events: list[dict[str, Any]], numbers: list[str], boxes: _Boxes) -> list[dict[str, Any]]:
    """A flow for each event, from the boxes of the clusters it took to those it gave (or into or out of the
    gap, for an addition or a removal)."""
    flows = []
    for number, event in enumerate(events):
        v = event["version"]
        if v not in numbers or numbers.index(v) == 0:
            continue
        previous = numbers[numbers.index(v) - 1]
        sources_found = [b for b in (boxes.get((previous, n["iri"])) for n in event["from"]) if b]
        targets_found = [b for b in (boxes.get((v, n["iri"])) for n in event["to"]) if b]
        paths = [_curve(s, t) for s in sources_found for t in targets_found]
        if not sources_found:  # an addition: the flow starts in the gap before the new cluster
            paths += [_curve(None, t) for t in targets_found]
        if not targets_found:  # a removal: the flow ends in the gap after the old cluster
            paths += [_curve(s, None) for s in sources_found]
        if not paths:
            continue
        to = event["to"][0] if event["to"] else event["node"]
        flows.append(
            {
                "change": event["change"],
                "paths": paths,
                "event": event,
                "id": f"event-{number}",
                "href": to["href"],
                "dashed": bool(event["competing"]),
            }
        )
    return flows


def _announced_flows(links: list[dict[str, Any]], boxes: _Boxes) -> list[dict[str, Any]]:
    """A dotted flow for each tie an announcement makes between a cluster of the version it revises and one
    of its priorities (:func:`kgtool.web.announced.announced_links`): announced, not an event."""
    flows = []
    for number, link in enumerate(links):
        start = boxes.get((link["from_version"], link["cluster"]["iri"]))
        end = boxes.get((link["version"], link["priority"]["iri"])) if link["priority"] else None
        if start is None or end is None:  # a planned measure alone has no box of its own
            continue
        flows.append(
            {
                "change": "announced",
                "paths": [_curve(start, end)],
                "event": None,
                "announced": link,
                "id": f"announced-{number}",
                "href": link["cluster"]["href"],
                "dashed": True,
            }
        )
    return flows


def _curve(start: dict[str, Any] | None, end: dict[str, Any] | None) -> dict[str, Any]:
    """A horizontal S-curve from the right edge of ``start`` to the left edge of ``end`` (or a stub
    into or out of the gap when one is missing)."""
    if start is not None:
        x1, y1 = start["x"] + start["w"], start["y"] + start["h"] / 2
    else:
        assert end is not None
        x1, y1 = end["x"] - _GAP * 0.45, end["y"] + end["h"] / 2
    if end is not None:
        x2, y2 = end["x"], end["y"] + end["h"] / 2
    else:
        x2, y2 = x1 + _GAP * 0.45, y1
    mid = (x1 + x2) / 2
    return {
        "d": f"M{x1:.1f},{y1:.1f} C{mid:.1f},{y1:.1f} {mid:.1f},{y2:.1f} {x2:.1f},{y2:.1f}",
        "start": start is None,
        "end": end is None,
        "x1": x1,
        "y1": y1,
        "x2": x2,
        "y2": y2,
    }


# -- the ontology diagram ---------------------------------------------------------------------------


def ontology_diagram(data: dict[str, Any], lang: str) -> dict[str, Any]:
    """The classes linked by object properties as boxes in layers (a property's domain above its range,
    as far as cycles allow), with one arrow per linked pair naming its properties."""
    key = "zh" if lang == "zh" else "en"
    names = {c["node"]["iri"]: c["node"] for c in data["classes"]}
    pairs: dict[tuple[str, str], list[str]] = {}
    for p in data["objectProperties"]:
        for d in p["domain"]:
            for r in p["range"]:
                if d["iri"] != r["iri"] and d["iri"] in names and r["iri"] in names:
                    pairs.setdefault((d["iri"], r["iri"]), []).append(p["node"][key])
    chosen = sorted({i for pair in pairs for i in pair}, key=lambda i: names[i]["en"])
    layer = {iri: 0 for iri in chosen}
    for _ in range(len(chosen)):  # longest path from the domains, bounded so that cycles stop
        changed = False
        for d, r in pairs:
            if layer[r] < layer[d] + 1 <= 3:
                layer[r] = layer[d] + 1
                changed = True
        if not changed:
            break
    rows: dict[int, list[str]] = {}
    for iri in chosen:
        rows.setdefault(layer[iri], []).append(iri)
    box_w, box_h, gap_x, gap_y = 150, 30, 36, 110
    widest = max((len(r) for r in rows.values()), default=1)
    width = 20 + widest * box_w + (widest - 1) * gap_x
    boxes = {}
    for level, members in sorted(rows.items()):
        span = len(members) * box_w + (len(members) - 1) * gap_x
        for index, iri in enumerate(members):
            boxes[iri] = {
                "x": 10 + (width - 20 - span) / 2 + index * (box_w + gap_x),
                "y": 10 + level * (box_h + gap_y),
                "w": box_w,
                "h": box_h,
                "node": names[iri],
                "text": _short(names[iri][key], 22),
            }
    arrows = []
    for (d, r), labels in sorted(pairs.items()):
        a, b = boxes[d], boxes[r]
        x1, y1 = _edge(a, b["x"] + b["w"] / 2, b["y"] + b["h"] / 2)
        x2, y2 = _edge(b, a["x"] + a["w"] / 2, a["y"] + a["h"] / 2)
        arrows.append(
            {
                "x1": round(x1, 1),
                "y1": round(y1, 1),
                "x2": round(x2, 1),
                "y2": round(y2, 1),
                "label": ", ".join(sorted(set(labels))),
                "lx": round(x1 + (x2 - x1) * 0.7, 1),
                "ly": round(y1 + (y2 - y1) * 0.7 - 3, 1),
            }
        )
    levels = max(rows, default=0) + 1
    return {
        "width": width,
        "height": 20 + levels * box_h + (levels - 1) * gap_y,
        "boxes": list(boxes.values()),
        "arrows": arrows,
    }


def _edge(box: dict[str, Any], tx: float, ty: float) -> tuple[float, float]:
    """Where the line from the centre of ``box`` towards (tx, ty) leaves the box."""
    cx, cy = box["x"] + box["w"] / 2, box["y"] + box["h"] / 2
    dx, dy = tx - cx, ty - cy
    if dx == 0 and dy == 0:
        return cx, cy
    scale = min((box["w"] / 2) / abs(dx) if dx else math.inf, (box["h"] / 2) / abs(dy) if dy else math.inf)
    return cx + dx * scale, cy + dy * scale
