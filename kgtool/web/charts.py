"""The geometry of the charts and of the evolution diagram, computed from page data; the SVG itself is
written by the templates (``macros.html`` for charts, ``evolution.svg``): no chart library, no script needed.

>>> nice_ticks(0, 1.3e12), nice_ticks(37.7, 43.7)
([0.0, 500000000000.0, 1000000000000.0, 1500000000000.0], [36.0, 38.0, 40.0, 42.0, 44.0])
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

__all__ = [
    "ANNOUNCED_COLOUR",
    "UNCHANGED_COLOUR",
    "nice_ticks",
    "axis_label",
    "line_chart",
    "bar_chart",
    "target_chart",
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


def line_chart(
    series: dict[str, Any], lang: str, *, width: int = 440, height: int = 250, highlight: str | None = None
) -> dict[str, Any] | None:
    """Points, targets and axes of a measure's series over whole years (None when fewer than two years).

    Each point keeps its figure and sources, so the template can link it to its source. The line joins the
    most exact value of each year among figures of one industry definition: a figure compiled under another
    definition (the 2019 figures, of the seven industries of before 2022) is not joined to the rest, and the
    break is labelled. ``highlight`` is the IRI of the figure the page is about (ringed). The legend names
    every kind of mark the chart draws, in its order."""
    points = [p for p in series["points"] if p["wholeYear"] and p["year"] is not None]
    targets = [t for t in series.get("targets", []) if t["year"] is not None]
    years = sorted({p["year"] for p in points} | {t["year"] for t in targets})
    if len({p["year"] for p in points}) < 2 and not (points and targets and len(years) >= 2):
        return None
    values = [float(p["value"]) for p in points] + [float(t["value"]) for t in targets]
    unit = series.get("unit")
    low = 0.0 if unit == "yuan" or min(values) <= 0 else min(values)
    ticks = nice_ticks(low, max(values), count=4)
    left, right, top, bottom = 52, 40, 14, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    y_min, y_max = ticks[0], ticks[-1]

    def x_of(year: int) -> float:
        return round(left + 10 + (plot_w - 20) * (year - years[0]) / ((years[-1] - years[0]) or 1), 1)

    def y_of(value: float) -> float:
        return round(top + plot_h * (1 - (value - y_min) / ((y_max - y_min) or 1)), 1)

    def definition_of(p: dict[str, Any]) -> str:
        return p["definition"]["iri"] if p.get("definition") else ""

    drawn = []
    for p in sorted(points, key=lambda p: (p["year"], p["qualifier"] != "exact", float(p["value"]))):
        mark = "exact" if p["qualifier"] == "exact" else "bound"
        drawn.append(
            {
                **p,
                "x": x_of(p["year"]),
                "y": y_of(float(p["value"])),
                "mark": mark,
                "lowQuality": p["certainty"] != "confirmed",
                "this": p["observation"]["iri"] == highlight,
            }
        )
    lines: list[dict[str, Any]] = []
    for p in drawn:  # one line per run of years under one definition, through its most exact value
        if lines and lines[-1]["definition"] == definition_of(p):
            if lines[-1]["years"][-1] != p["year"]:
                lines[-1]["years"].append(p["year"])
                lines[-1]["coords"].append(f"{p['x']},{p['y']}")
        else:
            lines.append({"definition": definition_of(p), "years": [p["year"]], "coords": [f"{p['x']},{p['y']}"]})
    breaks = []
    for before, after in zip(lines, lines[1:], strict=False):
        x = round((x_of(before["years"][-1]) + x_of(after["years"][0])) / 2, 1)
        older = before if before["definition"] else after
        node = next(p["definition"] for p in drawn if definition_of(p) == older["definition"])
        breaks.append({"x": x, "definition": node, "left": older is before})
    marked = _target_marks(targets, x_of, y_of, highlight)
    legend = [m for m in ("exact", "bound") if any(p["mark"] == m for p in drawn)]
    legend += [k for k, shown in (("low-quality", any(p["lowQuality"] for p in drawn)), ("target", marked)) if shown]
    legend += [k for k, shown in (("definition", breaks), ("this", any(p["this"] for p in drawn + marked))) if shown]
    return {
        "width": width,
        "height": height,
        "left": left,
        "right": width - right,
        "top": top,
        "bottom": height - bottom,
        "points": drawn,
        "lines": [" ".join(line["coords"]) for line in lines if len(line["coords"]) > 1],
        "breaks": breaks,
        "targets": marked,
        "legend": legend,
        "xticks": [{"x": x_of(y), "label": str(y)} for y in years],
        "yticks": [{"y": y_of(t), "label": axis_label(t, unit, max(values), lang)} for t in ticks],
        "title": series["measure"]["zh" if lang == "zh" else "en"],
        "others": [p for p in series["points"] if p not in points],
    }


def _target_marks(
    targets: list[dict[str, Any]], x_of: Callable[[int], float], y_of: Callable[[float], float], highlight: str | None
) -> list[dict[str, Any]]:
    """Where each target of a line chart is drawn: beside its year's points, not on them, the labels of one
    year at least a line apart."""
    marked: list[dict[str, Any]] = []
    for t in sorted(targets, key=lambda t: (t["year"], -float(t["value"]))):
        y = y_of(float(t["value"]))
        label_y = y + 4
        if marked and marked[-1]["year"] == t["year"]:
            label_y = max(label_y, marked[-1]["label_y"] + 12)
        mark = "exact" if t["qualifier"] == "exact" else "bound"
        this = t["node"]["iri"] == highlight
        marked.append({**t, "x": x_of(t["year"]) + 10, "y": y, "label_y": label_y, "mark": mark, "this": this})
    return marked


def bar_chart(bars: list[dict[str, Any]], unit: str | None, lang: str, *, width: int = 440) -> dict[str, Any]:
    """Horizontal bars, one per figure (``{"label", "value", "qualifier", "certainty", ...}``), longest
    first, each with its label above it: figures of one measure and period across sectors or clusters."""
    row_h, label_h, left, right = 36, 15, 8, 150  # room for the value after the longest bar
    largest = max((float(b["value"]) for b in bars), default=1.0) or 1.0
    ticks = nice_ticks(0, largest, count=3)
    scale = (width - left - right) / (ticks[-1] or 1)
    rows = []
    for index, bar in enumerate(sorted(bars, key=lambda b: -float(b["value"]))):
        y = 6 + index * row_h
        rows.append(
            {
                **bar,
                "y": y,
                "label_y": y + label_h - 3,
                "bar_y": y + label_h,
                "w": round(float(bar["value"]) * scale, 1),
                "mark": "exact" if bar["qualifier"] == "exact" else "bound",
                "lowQuality": bar["certainty"] != "confirmed",
            }
        )
    legend = [m for m in ("exact", "bound") if any(r["mark"] == m for r in rows)]
    legend += ["low-quality"] if any(r["lowQuality"] for r in rows) else []
    return {
        "width": width,
        "height": 12 + len(rows) * row_h,
        "left": left,
        "bar_h": 12,
        "rows": rows,
        "legend": legend,
    }


def target_chart(verdicts: list[dict[str, Any]], lang: str, *, width: int = 440) -> dict[str, Any]:
    """Targets against actuals: per target and actual, a bar of the actual as a share of the target (the
    target is the line at 100%), coloured met or not met; a target without a deciding actual is a row
    saying it is not yet known. ``verdicts`` are rows of ``targets-vs-actuals`` as
    :func:`kgtool.web.data.targets_vs_actuals` gives them."""
    row_h, label_h, left, right = 40, 16, 8, 64
    key = "zh" if lang == "zh" else "en"
    ratios = [float(v["ratio"]) for v in verdicts if v["ratio"] is not None]
    top_ratio = max([1.2, *ratios])
    scale = (width - left - right) / top_ratio
    rows = []
    for index, v in enumerate(verdicts):
        y = 20 + index * row_h
        rows.append(
            {
                **v,
                "y": y,
                "label_y": y + label_h - 3,
                "bar_y": y + label_h,
                "w": None if v["ratio"] is None else round(float(v["ratio"]) * scale, 1),
                "label": _short(f"{v['version']} · {v['measure'][key]} · {v['period']}", 50 if key == "en" else 30),
                "state": "met" if v["met"] is True else "missed" if v["met"] is False else "unknown",
                "lowQuality": v["actual"] is not None and v["actual"]["certainty"] != "confirmed",
            }
        )
    return {
        "width": width,
        "height": 28 + len(rows) * row_h,
        "left": left,
        "target_x": round(left + scale, 1),
        "bar_h": 13,
        "rows": rows,
        "legend": [
            s for s in ("met", "missed", "unknown") if any(r["state"] == s and not r["lowQuality"] for r in rows)
        ]
        + (["met-secondary"] if any(r["state"] == "met" and r["lowQuality"] for r in rows) else []),
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


def ontology_diagram(data: dict[str, Any], lang: str, *, max_width: int = 1100) -> dict[str, Any]:
    """The classes linked by object properties as boxes, one arrow per linked pair naming its properties.

    Each group of linked classes is laid out in layers (a property's domain above its range; a pair linked
    both ways is one two-headed arrow), and the groups are packed side by side in bands no wider than
    ``max_width``, so the diagram fits a desktop page. Each arrow's label goes where it overlaps no other
    label and no box; an arrow with no such place is left unlabelled and listed in ``unlabelled``."""
    key = "zh" if lang == "zh" else "en"
    names = {c["node"]["iri"]: c["node"] for c in data["classes"]}
    pairs: dict[tuple[str, str], list[str]] = {}
    for p in data["objectProperties"]:
        for d in p["domain"]:
            for r in p["range"]:
                if d["iri"] != r["iri"] and d["iri"] in names and r["iri"] in names:
                    pairs.setdefault((d["iri"], r["iri"]), []).append(p["node"][key])
    edges: dict[tuple[str, str], dict[str, Any]] = {}  # one per linked pair, downwards where cycles allow
    for d, r in sorted(pairs):
        if (r, d) in edges:
            edges[(r, d)]["back"] = sorted(set(pairs[(d, r)]))
        elif not _reaches(edges, r, d):
            edges[(d, r)] = {"labels": sorted(set(pairs[(d, r)])), "back": None}
        else:
            edges[(d, r)] = {"labels": sorted(set(pairs[(d, r)])), "back": None, "up": True}
    chosen = sorted({i for pair in edges for i in pair}, key=lambda i: names[i]["en"])
    box_w = max(140, 16 + max((_text_width(names[i][key], 12) for i in chosen), default=0))
    box_h, gap_x, gap_y, gap_band = 30, 34, 120, 50
    boxes: dict[str, dict[str, Any]] = {}
    x, y, band_h = 10.0, 10.0, 0.0
    for group in _groups(chosen, edges):
        rows = _layers(group, [e for e, v in edges.items() if not v.get("up")])
        widest = max(len(r) for r in rows)
        group_w = widest * box_w + (widest - 1) * gap_x
        if x > 10 and x + group_w > max_width - 10:
            x, y, band_h = 10.0, y + band_h + gap_band, 0.0
        for level, members in enumerate(rows):
            span = len(members) * box_w + (len(members) - 1) * gap_x
            for index, iri in enumerate(members):
                boxes[iri] = {
                    "x": round(x + (group_w - span) / 2 + index * (box_w + gap_x), 1),
                    "y": round(y + level * (box_h + gap_y), 1),
                    "w": box_w,
                    "h": box_h,
                    "node": names[iri],
                    "text": names[iri][key],
                }
        x += group_w + gap_band
        band_h = max(band_h, len(rows) * box_h + (len(rows) - 1) * gap_y)
    arrows, unlabelled = _arrows(edges, boxes)
    return {
        "width": round(max((b["x"] + b["w"] for b in boxes.values()), default=0) + 10),
        "height": round(max((b["y"] + b["h"] for b in boxes.values()), default=0) + 10),
        "boxes": list(boxes.values()),
        "arrows": arrows,
        "unlabelled": unlabelled,
    }


def _arrows(
    edges: dict[tuple[str, str], dict[str, Any]], boxes: dict[str, dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """An arrow between the boxes of each edge, its label at the first place along it that overlaps no box
    and no label placed before; the arrows with no such place, for a list beside the diagram."""
    taken = [(b["x"] - 2, b["y"] - 2, b["x"] + b["w"] + 2, b["y"] + b["h"] + 2) for b in boxes.values()]
    arrows, unlabelled = [], []
    for (d, r), edge in sorted(edges.items(), key=lambda e: (boxes[e[0][0]]["y"], boxes[e[0][0]]["x"])):
        a, b = boxes[d], boxes[r]
        x1, y1 = _edge(a, b["x"] + b["w"] / 2, b["y"] + b["h"] / 2)
        x2, y2 = _edge(b, a["x"] + a["w"] / 2, a["y"] + a["h"] / 2)
        label = ", ".join(edge["labels"]) + (" / " + ", ".join(edge["back"]) if edge["back"] else "")
        arrow: dict[str, Any] = {
            "x1": round(x1, 1),
            "y1": round(y1, 1),
            "x2": round(x2, 1),
            "y2": round(y2, 1),
            "both": edge["back"] is not None,
            "label": label,
            "lx": None,
            "ly": None,
        }
        half_w, half_h = _text_width(label, 11) / 2 + 2, 8
        for t in (0.5, 0.38, 0.62, 0.28, 0.72, 0.2, 0.8):
            cx, cy = x1 + (x2 - x1) * t, y1 + (y2 - y1) * t
            rect = (cx - half_w, cy - half_h, cx + half_w, cy + half_h)
            if not any(rect[0] < o[2] and o[0] < rect[2] and rect[1] < o[3] and o[1] < rect[3] for o in taken):
                taken.append(rect)
                arrow["lx"], arrow["ly"] = round(cx, 1), round(cy + 4, 1)
                break
        else:
            unlabelled.append({"from": a["node"], "to": b["node"], "label": label})
        arrows.append(arrow)
    return arrows, unlabelled


def _text_width(text: str, size: float) -> float:
    """About how wide ``text`` is at ``size`` px in the pages' sans-serif font (CJK characters are square)."""
    return sum(size if ord(c) >= 0x2E80 else size * 0.6 for c in text)


def _reaches(edges: dict[tuple[str, str], Any], start: str, goal: str) -> bool:
    """Whether ``goal`` can be reached from ``start`` along ``edges``."""
    seen, todo = {start}, [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        for d, r in edges:
            if d == node and r not in seen:
                seen.add(r)
                todo.append(r)
    return False


def _groups(nodes: list[str], edges: dict[tuple[str, str], Any]) -> list[list[str]]:
    """The connected groups of ``nodes``, largest first (then by their first node), each in ``nodes``' order."""
    group = {n: n for n in nodes}

    def root(n: str) -> str:
        while group[n] != n:
            n = group[n]
        return n

    for d, r in edges:
        group[root(d)] = root(r)
    found: dict[str, list[str]] = {}
    for n in nodes:
        found.setdefault(root(n), []).append(n)
    return sorted(found.values(), key=lambda g: (-len(g), nodes.index(g[0])))


def _layers(group: list[str], edges: list[tuple[str, str]]) -> list[list[str]]:
    """``group`` in layers by the longest path from a domain (``edges`` have no cycle), each layer ordered by
    the mean place of its nodes' neighbours in the layer above, to keep arrows from crossing."""
    inside = [(d, r) for d, r in edges if d in group]
    layer = dict.fromkeys(group, 0)
    for _ in group:
        for d, r in inside:
            layer[r] = max(layer[r], layer[d] + 1)
    rows = [[n for n in group if layer[n] == level] for level in range(max(layer.values()) + 1)]
    for level in range(1, len(rows)):
        place = {n: i for i, n in enumerate(rows[level - 1])}
        rows[level].sort(key=functools.partial(_mean_place, edges=inside, place=place))
    return rows


def _mean_place(node: str, edges: list[tuple[str, str]], place: dict[str, int]) -> float:
    """The mean place of ``node``'s domains among ``place`` (after all of them when it has none there)."""
    above = [place[d] for d, r in edges if r == node and d in place]
    return sum(above) / len(above) if above else len(place)


def _edge(box: dict[str, Any], tx: float, ty: float) -> tuple[float, float]:
    """Where the line from the centre of ``box`` towards (tx, ty) leaves the box."""
    cx, cy = box["x"] + box["w"] / 2, box["y"] + box["h"] / 2
    dx, dy = tx - cx, ty - cy
    if dx == 0 and dy == 0:
        return cx, cy
    scale = min((box["w"] / 2) / abs(dx) if dx else math.inf, (box["h"] / 2) / abs(dy) if dy else math.inf)
    return cx + dx * scale, cy + dy * scale
