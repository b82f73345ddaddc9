"""What each page shows, read from the graph through the library: named queries of ``queries/`` (run with
:meth:`KnowledgeGraph.query <kgtool.KnowledgeGraph.query>`) and :meth:`KnowledgeGraph.stats`, never SPARQL
written here. Each function is called in a query worker (the request
:class:`~kgtool.workers.requests.LibraryCall`).

Every function returns plain JSON-ready data (strings, numbers, lists, dicts) holding names in both
languages, so one answer serves the English and the Chinese page, and the server can compute it in a
query worker and render it in the web process. A *node* is ``{"iri", "href", "en", "zh"}``
(:mod:`kgtool.web.names`).

>>> import kgtool
>>> kg = kgtool.open()  # the store ``kgtool build`` wrote
>>> [v["number"] for v in home(kg)["versions"]]
['1.0', '2.0', '3.0']
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..errors import UsageError
from ..graph import KnowledgeGraph
from ..namespaces import BASE, ONTOLOGY_IRI, PREFIXES, instance_iri
from .announced import announced_links, cluster_outlook
from .links import curie, local_href
from .names import Names, format_value, json_value

__all__ = [
    "home",
    "evolution",
    "version",
    "cluster",
    "resource",
    "ontology",
    "search",
    "queries",
    "event_types",
    "series",
    "targets_vs_actuals",
    "breakdowns",
    "format_value",
]

_SZ = BASE + "def#"
_RDF_TYPE = PREFIXES["rdf"] + "type"
#: The headline figures of the home page: measures of Shenzhen as a whole.
HEADLINE_MEASURES = ("sei-added-value", "sei-added-value-share-of-gdp")
#: The measures the home page charts across sectors and clusters, where the graph has three or more of a period.
BREAKDOWN_MEASURES = ("sei-added-value", "sei-added-value-growth", "cluster-scale-unspecified")


def _version_key(number: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in number.split("."))


# -- the pieces pages share -------------------------------------------------------------------------


def event_types(kg: KnowledgeGraph) -> dict[str, dict[str, Any]]:
    """The event types by slug, in the ontology's order: their change label in English and Chinese, colour and
    order (the named query ``event-types``)."""
    zh = {r.change: r.label for r in kg.query("event-types", lang="zh")}
    return {
        r.change: {
            "iri": str(r.type),
            "en": r.label,
            "zh": zh.get(r.change) or r.label,
            "colour": r.colour,
            "order": r.order,
        }
        for r in kg.query("event-types")
    }


def _sources(kg: KnowledgeGraph, names: Names, statements: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """The sources each statement rests on, named, with the words quoted from each (the named query
    ``citations``: of the one statement, or of every statement when there are several)."""
    wanted = set(statements)
    if not wanted:
        return {}
    params = {"statement": next(iter(wanted))} if len(wanted) == 1 else {}
    out: dict[str, list[dict[str, Any]]] = {}
    for r in kg.query("citations", **params):
        if str(r.statement) in wanted:
            out.setdefault(str(r.statement), []).append(
                {
                    **names.node(str(r.source)),
                    "quote": r.quote,
                    "lang": r.language,
                    "locator": r.locator,
                    "address": None if r.page is None else str(r.page),
                }
            )
    return out


def _versions(kg: KnowledgeGraph, names: Names) -> list[dict[str, Any]]:
    """The versions in order, with their counts per tier and their documents (``counts``, ``versions``)."""
    counts: dict[str, dict[str, Any]] = {}
    for row in kg.query("counts"):
        entry = counts.setdefault(row.version, {"status": row.status, "tiers": {}})
        entry["tiers"][row.tier] = {"clusters": row.clusters, "sectors": row.sectors, "priorities": row.priorities}
    out: dict[str, dict[str, Any]] = {}
    documents: dict[str, set[str]] = {}
    for row in kg.query("versions"):
        iri = instance_iri("version", row.version)
        entry = out.setdefault(
            row.version,
            {
                "number": row.version,
                "iri": iri,
                "status": row.status,
                "previous": row.revises,
                "issued": json_value(row.issued),
                "issuedCertainty": row.issuedCertainty,
                "announced": json_value(row.announced),
                **counts.get(row.version, {"tiers": {}}),
                "node": names.node(iri),
            },
        )
        entry["status"] = row.status
        if row.document is not None:
            documents.setdefault(row.version, set()).add(str(row.document))
    for number, entry in out.items():
        entry["documents"] = [names.node(d) for d in sorted(documents.get(number, ()))]
    return [out[k] for k in sorted(out, key=_version_key)]


def series(kg: KnowledgeGraph, measure: str, subject: str, names: Names | None = None) -> dict[str, Any]:
    """A measure's figures about a subject, each with its sources (for a chart and its table): the named
    query ``metric-series``."""
    names = names or Names(kg)
    rows = list(kg.query("metric-series", measure=measure, subject=subject))
    sources = _sources(kg, names, [str(r.observation) for r in rows])
    points = []
    for r in rows:
        whole_year = (
            r.start is not None
            and r.end is not None
            and r.start.year == r.end.year
            and (r.start.month, r.start.day, r.end.month, r.end.day) == (1, 1, 12, 31)
        )
        points.append(
            {
                "period": r.period,
                "start": json_value(r.start),
                "end": json_value(r.end),
                "year": r.start.year if r.start else None,
                "wholeYear": whole_year,
                "value": json_value(r.value),
                "unit": r.unit,
                "qualifier": r.qualifier,
                "reportedText": r.reportedText,
                "certainty": r.certainty,
                "observation": names.node(str(r.observation)),
                "sources": [
                    {k: s[k] for k in ("iri", "href", "en", "zh", "quote")} for s in sources.get(str(r.observation), [])
                ],
                "display": {lang: format_value(r.value, r.unit, lang) for lang in ("en", "zh")},
                "definition": None if r.definition is None else names.node(str(r.definition)),
            }
        )
    measure_iri = instance_iri("measure", measure)
    subject_iri = subject if subject.startswith(("http:", "https:")) else BASE + subject
    targets = [
        {**_figure(t, names), "year": _year_of(names.node(str(t.period))["en"])}
        for t in names.figures.values()
        if t.kind == "target" and str(t.measure) == measure_iri and str(t.subject) == subject_iri
    ]
    return {
        "measure": names.node(measure_iri),
        "slug": measure,
        "subject": subject,
        "unit": rows[0].unit if rows else (targets[0]["unit"] if targets else None),
        "points": points,
        "targets": sorted(targets, key=lambda t: (t["year"] or 0, t["version"] or "")),
    }


def _year_of(period: str) -> int | None:
    """The year a period named by its year ("2025") is; None for any other period ("2021–2025", "2024 H1")."""
    return int(period) if period.isdigit() and len(period) == 4 else None


def _events(kg: KnowledgeGraph, names: Names, version: str | None = None) -> list[dict[str, Any]]:
    """The reclassification events (of one version), with the clusters they took and gave, their
    competing claims and their sources (``event-clusters``), in the order of their versions and types."""
    types = event_types(kg)
    events: dict[str, dict[str, Any]] = {}
    for r in kg.query("event-clusters", **({"version": version} if version else {})):
        entry = events.setdefault(
            str(r.event),
            {"iri": str(r.event), "version": r.version, "change": r.change, "certainty": r.certainty},
        )
        for key, value in (("from", r.fromCluster), ("to", r.toCluster), ("competing", r.competingClaim)):
            entry.setdefault(key, set())
            if value is not None:
                entry[key].add(str(value))
    sources = _sources(kg, names, events)
    out = []
    for iri, entry in events.items():
        entry["node"] = names.node(iri)
        for key in ("from", "to", "competing"):
            entry[key] = [names.node(i) for i in sorted(entry[key])]
        entry["sources"] = sources.get(iri, [])
        out.append(entry)
    # Events are labelled in English only: their Chinese name says what they did with the clusters' names.
    for entry in out:
        if entry["node"]["zh"] == entry["node"]["en"]:
            entry["node"]["zh"] = _event_zh(entry, types)
    by_iri = {e["iri"]: e for e in out}
    for entry in out:
        for other in entry["competing"]:
            if other["iri"] in by_iri:
                other["zh"] = by_iri[other["iri"]]["node"]["zh"]
    return sorted(out, key=lambda e: (_version_key(e["version"]), types[e["change"]]["order"], e["node"]["en"]))


def _event_zh(event: dict[str, Any], types: dict[str, dict[str, Any]]) -> str:
    """``合并：区块链 → 软件与信息服务``: an event in Chinese, from its type and its clusters' names."""
    before = "、".join(n["zh"] for n in event["from"])
    after = "、".join(n["zh"] for n in event["to"])
    return f"{types[event['change']]['zh']}：" + " → ".join(part for part in (before, after) if part)


def _clusters(kg: KnowledgeGraph, version: str | None = None) -> list[dict[str, Any]]:
    """The clusters of a version (or of every version) in the official order, both names and the sector."""
    args = {"version": version} if version else {}
    zh = {(r.version, str(r.cluster)): r for r in kg.query("clusters", lang="zh", **args)}
    out = []
    for r in kg.query("clusters", **args):
        other = zh.get((r.version, str(r.cluster)))
        sector = None
        if r.sector is not None:
            sector = {
                "iri": str(r.sector),
                "href": local_href(str(r.sector)),
                "en": r.sectorLabel,
                "zh": (other.sectorLabel if other else None) or r.sectorLabel,
                "certainty": r.sectorCertainty,
            }
        out.append(
            {
                "version": r.version,
                "tier": r.tier,
                "position": r.position,
                "certainty": r.certainty,
                "node": {
                    "iri": str(r.cluster),
                    "href": local_href(str(r.cluster)),
                    "en": r.label,
                    "zh": (other.label if other else None) or r.label,
                },
                "sector": sector,
            }
        )
    return out


def _priorities(kg: KnowledgeGraph, version: str | None = None) -> list[dict[str, Any]]:
    args = {"version": version} if version else {}
    zh = {str(r.priority): r.label for r in kg.query("priorities", lang="zh", **args)}
    return [
        {
            "version": r.version,
            "tier": r.tier,
            "certainty": r.certainty,
            "node": {
                "iri": str(r.priority),
                "href": local_href(str(r.priority)),
                "en": r.label,
                "zh": zh.get(str(r.priority)) or r.label,
            },
        }
        for r in kg.query("priorities", **args)
    ]


# -- the pages --------------------------------------------------------------------------------------


def home(kg: KnowledgeGraph) -> dict[str, Any]:
    """The versions side by side with their counts per tier, and the headline figures."""
    names = Names(kg)
    charts = [series(kg, measure, "place/shenzhen", names) for measure in HEADLINE_MEASURES]
    stats = kg.stats()
    return {
        "versions": _versions(kg, names),
        "charts": [c for c in charts if c["points"]],
        "targets": targets_vs_actuals(kg, names),
        "breakdowns": breakdowns(names),
        "stats": {
            "triples": stats.triples,
            "events": stats.events,
            "observations": stats.observations,
            "targets": stats.targets,
            "sources": stats.sources,
        },
    }


def evolution(kg: KnowledgeGraph) -> dict[str, Any]:
    """The clusters of every version in columns, and every reclassification event between them."""
    names = Names(kg)
    clusters = _clusters(kg)
    priorities = _priorities(kg)
    columns = []
    versions = _versions(kg, names)
    for v in versions:
        members = [c for c in clusters if c["version"] == v["number"]]
        announced = [p for p in priorities if p["version"] == v["number"]]
        columns.append({"version": v, "clusters": members, "priorities": announced if not members else []})
    return {
        "columns": columns,
        "events": _events(kg, names),
        "changes": event_types(kg),
        "announced": announced_links(kg, names, versions),
    }


def version(kg: KnowledgeGraph, number: str) -> dict[str, Any]:
    """A version: its clusters by tier in the official order, its changes, documents and sources."""
    names = Names(kg)
    known = {v["number"]: v for v in _versions(kg, names)}
    if number not in known:
        raise UsageError(f"no version {number!r}; known: {', '.join(known)}")
    entry = known[number]
    membership_of = {str(r.cluster): str(r.membership) for r in kg.query("memberships", version=number)}
    sources = _sources(kg, names, [entry["iri"], *(d["iri"] for d in entry["documents"]), *membership_of.values()])
    following = [v for v in known.values() if v["previous"] == number]
    clusters = _clusters(kg, number)
    events = _events(kg, names, number)
    alone = _fact_sheet_only(kg)
    for c in clusters:  # each membership and event with its own sources, beside it
        statement = membership_of.get(c["node"]["iri"], "")
        c.update(sources=sources.get(statement, []), factSheetOnly=statement in alone)
        c["statement"] = names.node(statement) if statement else None
    for e in events:
        e["factSheetOnly"] = e["iri"] in alone
    return {
        "version": entry,
        "clusters": clusters,
        "priorities": _priorities(kg, number),
        "events": events,
        "changes": event_types(kg),
        "sources": sources.get(entry["iri"], []),
        "documentSources": {d["iri"]: sources.get(d["iri"], []) for d in entry["documents"]},
        "previous": known.get(entry["previous"] or ""),
        "next": following[0] if following else None,
        "properties": _properties(kg, names, entry["iri"])[0],
        "announced": [a for a in announced_links(kg, names, list(known.values())) if a["version"] == number],
    }


def cluster(kg: KnowledgeGraph, iri: str) -> dict[str, Any]:
    """A cluster: both names, membership across versions, lineage, figures and every source."""
    names = Names(kg)
    memberships = [c for c in _clusters(kg) if c["node"]["iri"] == iri]
    if not memberships and iri not in names.labels:
        raise UsageError(f"nothing is known about <{iri}>")
    events = [e for e in _events(kg, names) if iri in {n["iri"] for n in e["from"] + e["to"]}]
    figures = [r for r in names.figures.values() if str(r.subject) == iri]
    measures = sorted({str(r.measure) for r in figures if r.kind == "observation"})
    slug = iri.rsplit("/", 1)[-1]
    membership_of = {r.version: str(r.membership) for r in kg.query("memberships", cluster=iri)}
    lineage = _lineage(kg, iri)
    statements = [
        iri,
        *membership_of.values(),
        *(e["iri"] for e in events),
        *(step["event"]["iri"] for step in lineage),
        *(str(r.figure) for r in figures),
    ]
    sources = _sources(kg, names, statements)
    alone = _fact_sheet_only(kg)
    # every row of the page carries its own sources, as a reference beside the fact
    for m in memberships:
        m["statement"] = names.node(membership_of[m["version"]]) if m["version"] in membership_of else None
    for step in lineage:  # the event named as on every page (its Chinese says what it did with the names)
        step["statement"] = next((e["node"] for e in events if e["iri"] == step["event"]["iri"]), None)
    for row in [*memberships, *lineage, *events]:
        statement = (row["statement"] or {}).get("iri") if "statement" in row else row.get("iri")
        statement = row["event"]["iri"] if "event" in row else statement
        row["sources"] = sources.get(statement or "", [])
        row["factSheetOnly"] = statement in alone
    out: dict[str, Any] = {
        "node": names.node(iri),
        "ownSources": sources.get(iri, []),
        "altLabels": names.alternatives(iri),
        "memberships": memberships,
        "lineage": lineage,
        "changes": event_types(kg),
        "events": events,
        "charts": [series(kg, m.rsplit("/", 1)[-1], "cluster/" + slug, names) for m in measures],
        "observations": [_figure(r, names) for r in figures if r.kind == "observation"],
        "targets": [_figure(r, names) for r in figures if r.kind == "target"],
        # an event's heading as on every page: its Chinese says what it did with the clusters' names
        "sources": [
            {
                "statement": next((e["node"] for e in events if e["iri"] == s), None) or names.node(s),
                "sources": sources[s],
            }
            for s in sorted(sources)
        ],
        "outlook": cluster_outlook(kg, names, _versions(kg, names), iri, {m["version"] for m in memberships}),
    }
    for row in [*out["observations"], *out["targets"]]:
        _sourced(row, sources, alone)
    _with_state(kg, names, out["targets"])
    return out


def _lineage(kg: KnowledgeGraph, iri: str) -> list[dict[str, Any]]:
    """A cluster's lineage with both names of each cluster (the named query ``lineage``, in each language)."""
    zh_lineage = {str(r.event): r for r in kg.query("lineage", cluster=iri, lang="zh")}

    def side(term: Any, en: Any, zh: Any) -> dict[str, str] | None:
        if term is None:
            return None
        return {"iri": str(term), "href": local_href(str(term)), "en": en, "zh": zh or en}

    steps = []
    for r in kg.query("lineage", cluster=iri):
        other = zh_lineage.get(str(r.event))
        steps.append(
            {
                "direction": r.direction,
                "version": r.version,
                "change": r.change,
                "certainty": r.certainty,
                "contested": bool(r.contested),
                "from": side(r.fromCluster, r.fromLabel, other.fromLabel if other else None),
                "to": side(r.toCluster, r.toLabel, other.toLabel if other else None),
                "event": {"iri": str(r.event), "href": local_href(str(r.event))},
            }
        )
    return steps


def _figure(r: Any, names: Names) -> dict[str, Any]:
    """An observation or target (a row of the named query ``figures``) as the pages show it."""
    return {
        "node": names.node(str(r.figure)),
        "measure": names.node(str(r.measure)),
        "period": names.node(str(r.period)),
        "value": json_value(r.value),
        "unit": r.unit,
        "qualifier": r.qualifier,
        "display": {lang: format_value(r.value, r.unit, lang) for lang in ("en", "zh")},
        "reportedText": r.reportedText,
        "certainty": r.certainty,
        "version": r.version,
    }


# -- figures and targets (the figure page itself: kgtool.web.figures) ---------------------------------


def targets_vs_actuals(kg: KnowledgeGraph, names: Names | None = None, **params: str) -> list[dict[str, Any]]:
    """Every target (of a version, of a measure) against each actual figure, met or not met or not yet known,
    with the ratio, from the named query ``targets-vs-actuals``; the actual's sources beside it."""
    names = names or Names(kg)
    rows = list(kg.query("targets-vs-actuals", **params))
    actuals = _sources(kg, names, [str(r.actual) for r in rows if r.actual is not None])
    out = []
    for r in rows:
        actual = None
        if r.actual is not None:
            actual = {
                "node": names.node(str(r.actual)),
                "qualifier": r.actualQualifier,
                "certainty": r.actualCertainty,
                "display": {lang: format_value(r.actualValue, r.unit, lang) for lang in ("en", "zh")},
                "sources": actuals.get(str(r.actual), []),
            }
        target = names.figures[str(r.target)]
        out.append(
            {
                "target": names.node(str(r.target)),
                "version": r.version,
                "measure": names.node(str(target.measure)),
                "subject": names.node(str(target.subject)),
                "period": r.period,
                "qualifier": r.targetQualifier,
                "display": {lang: format_value(r.targetValue, r.unit, lang) for lang in ("en", "zh")},
                "met": r.met,
                "actual": actual,
                "ratio": json_value(r.ratio),
                "percent": None if r.ratio is None else f"{float(r.ratio) * 100:.1f}%",
                "difference": None
                if r.difference is None
                else {lang: format_value(r.difference, r.unit, lang) for lang in ("en", "zh")},
            }
        )
    return out


def breakdowns(names: Names) -> list[dict[str, Any]]:
    """The figures of a measure and period across sectors or clusters (three or more), one group per
    measure and period, each figure with its subject: for bar charts (the named query ``figures``)."""
    groups: dict[tuple[str, str], list[Any]] = {}
    for r in names.figures.values():
        kind = str(r.subject)[len(BASE) :].split("/", 1)[0]
        if (
            r.kind == "observation"
            and kind in ("sector", "cluster")
            and str(r.measure).rsplit("/", 1)[-1] in BREAKDOWN_MEASURES
        ):
            groups.setdefault((str(r.measure), str(r.period)), []).append(r)
    out = []
    for (measure, period), rows in sorted(
        groups.items(), key=lambda kv: (BREAKDOWN_MEASURES.index(kv[0][0].rsplit("/", 1)[-1]), kv[0][1])
    ):
        if len(rows) < 3:
            continue
        out.append(
            {
                "measure": names.node(measure),
                "period": names.node(period),
                "unit": rows[0].unit,
                "bars": [
                    {**_figure(r, names), "label": names.node(str(r.subject))}
                    for r in sorted(rows, key=lambda r: str(r.subject))
                ],
            }
        )
    return out


def _with_state(kg: KnowledgeGraph, names: Names, targets: list[dict[str, Any]]) -> None:
    """Say of each target whether it was met: ``met`` when an actual meets it, ``missed`` when one misses it
    and none meets it, else ``unknown`` (``targets-vs-actuals``)."""
    if not targets:
        return
    verdicts: dict[str, list[Any]] = {}
    for v in targets_vs_actuals(kg, names):
        verdicts.setdefault(v["target"]["iri"], []).append(v["met"])
    for t in targets:
        found = verdicts.get(t["node"]["iri"], [])
        t["state"] = "met" if True in found else "missed" if False in found else "unknown"


def _sourced(row: dict[str, Any], sources: dict[str, list[dict[str, Any]]], alone: set[str]) -> None:
    """Give a figure's row its sources and whether the project's fact sheet is the only one."""
    iri = row["node"]["iri"]
    row.update(sources=sources.get(iri, []), factSheetOnly=iri in alone)


def _fact_sheet_only(kg: KnowledgeGraph) -> set[str]:
    """The statements whose one source is the project's own fact sheet (``single-source-statements``)."""
    return {str(r.statement) for r in kg.query("single-source-statements") if r.sourceKind == "fact-sheet"}


# -- any other resource -----------------------------------------------------------------------------

_PREFERRED = (
    _RDF_TYPE,
    PREFIXES["skos"] + "prefLabel",
    PREFIXES["rdfs"] + "label",
    PREFIXES["dcterms"] + "title",
    PREFIXES["skos"] + "altLabel",
)
_HIDDEN = {_SZ + "citation", PREFIXES["prov"] + "wasDerivedFrom"}


def resource(kg: KnowledgeGraph, iri: str) -> dict[str, Any]:
    """Any resource of the graph: a heading, its types, every property with named values (units for
    figures), its sources with their quotes, and the links that point to it (``properties``, ``links-to``,
    ``citations``, ``statements-from-source``)."""
    names = Names(kg)
    listed, types = _properties(kg, names, iri)
    incoming = list(kg.query("links-to", node=iri))
    if not listed and not types and not incoming:
        raise UsageError(f"nothing is known about <{iri}>")
    inbound: dict[str, list[dict[str, str]]] = {}
    for r in incoming:
        inbound.setdefault(str(r.property), []).append(names.node(str(r.subject)))
    cited = _SZ + "Source" in {t["iri"] for t in types}
    node = names.node(iri)
    if iri.startswith(BASE + "event/"):  # named in Chinese as on every page: what it did with the clusters' names
        node = next((e["node"] for e in _events(kg, names) if e["iri"] == iri), node)
    return {
        "node": node,
        "types": types,
        "properties": listed,
        "sources": _sources(kg, names, [iri]).get(iri, []),
        "factSheetOnly": iri in _fact_sheet_only(kg),
        "incoming": [{"predicate": names.node(p), "subjects": ss} for p, ss in sorted(inbound.items())],
        "kind": iri[len(BASE) :].split("/", 1)[0] if iri.startswith(BASE) else "",
        "statements": _statements_from(kg, names, iri) if cited else [],
        # a source whose original Chinese title was not read: its title is English only (graph/sources.csv)
        "noChineseTitle": cited and not names.labels.get(iri, {}).get("zh"),
        # things named by a fragment of this page's IRI (the dataset's partitions): shown here, under their anchor
        "parts": [
            {"node": names.node(part), "anchor": part.split("#", 1)[1], "properties": _properties(kg, names, part)[0]}
            for part in sorted({v["node"]["iri"] for p in listed for v in p["values"] if v.get("node")})
            if part.startswith(iri + "#")
        ],
    }


def _properties(kg: KnowledgeGraph, names: Names, iri: str) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """A resource's properties with their values, in the pages' order, and its types (``properties``)."""
    figure = names.figures.get(iri)
    unit = figure.unit if figure is not None else None
    values: dict[str, list[dict[str, Any]]] = {}
    for r in kg.query("properties", node=iri):
        if str(r.property) in _HIDDEN:
            continue
        values.setdefault(str(r.property), []).append(
            _value(r, names, unit if str(r.property) == _SZ + "value" else None)
        )
    order = {p: i for i, p in enumerate(_PREFERRED)}
    listed: list[dict[str, Any]] = [
        {"predicate": names.node(p), "values": sorted(vs, key=_value_order)}
        for p, vs in sorted(values.items(), key=lambda kv: (order.get(kv[0], 99), names.node(kv[0])["en"]))
    ]
    return listed, [v["node"] for v in values.get(_RDF_TYPE, []) if v.get("node")]


def _value(r: Any, names: Names, unit: str | None) -> dict[str, Any]:
    """A value of a row of ``properties``: a named node, a literal (with its unit in words) or a blank node."""
    if r.kind == "blank":
        return {"text": "( )", "blank": True}
    if r.kind == "iri":
        node = names.node(str(r.object))
        return {"text": node["en"], "node": node}
    out: dict[str, Any] = {"text": r.text, "lang": r.language}
    if unit:
        out["display"] = {lang: format_value(r.text, unit, lang) for lang in ("en", "zh")}
    if r.datatype is not None and not str(r.datatype).endswith(("#string", "#langString")):
        out["datatype"] = curie(str(r.datatype))
    return out


def _value_order(value: dict[str, Any]) -> tuple[str, str]:
    return (value.get("lang") or "", value["text"])


def _statements_from(kg: KnowledgeGraph, names: Names, source: str) -> list[dict[str, Any]]:
    """What a source is cited for, with the words it is cited with (the named query ``statements-from-source``)."""
    return [
        {"kind": r.kind, "statement": names.node(str(r.statement)), "certainty": r.certainty, "quote": r.quote}
        for r in kg.query("statements-from-source", source=source)
    ]


# -- the ontology -----------------------------------------------------------------------------------


def ontology(kg: KnowledgeGraph) -> dict[str, Any]:
    """The ontology's classes as a hierarchy, with the properties each is the domain or range of, and
    its properties and individuals, with English and Chinese labels and definitions (``ontology-terms``,
    ``ontology-axioms``)."""
    names = Names(kg)
    terms: dict[str, dict[str, Any]] = {}
    for r in kg.query("ontology-terms"):
        entry = terms.setdefault(str(r.term), {"kinds": [], "definition": None})
        entry["kinds"].append(r.kind)
        if r.definition is not None:
            entry["definition"] = r.definition
    axioms: dict[str, list[tuple[str, str]]] = {"subClassOf": [], "domain": [], "range": [], "type": []}
    for r in kg.query("ontology-axioms"):
        axioms[r.axiom].append((str(r.subject), str(r.object)))
    supers: dict[str, list[str]] = {}
    for c, parent in axioms["subClassOf"]:
        supers.setdefault(c, []).append(parent)
    classes = {t for t, e in terms.items() if "Class" in e["kinds"]}
    children: dict[str, list[str]] = {}
    for c in classes:
        for parent in supers.get(c, []):
            if parent in classes:
                children.setdefault(parent, []).append(c)
    by_name = lambda iri: names.node(iri)["en"].casefold()  # noqa: E731

    def tree(c: str, depth: int = 0) -> dict[str, Any]:
        kids = sorted(children.get(c, []), key=by_name) if depth < 8 else []
        return {"node": names.node(c), "local": c[len(_SZ) :], "children": [tree(k, depth + 1) for k in kids]}

    used: dict[str, dict[str, list[dict[str, str]]]] = {}
    for which in ("domain", "range"):
        for p, c in axioms[which]:
            used.setdefault(c, {"domain": [], "range": []})[which].append(names.node(p))
    individuals: dict[str, list[str]] = {}
    for i, c in axioms["type"]:
        individuals.setdefault(c, []).append(i)

    def describe(t: str) -> dict[str, Any]:
        return {
            "node": names.node(t),
            "local": t[len(_SZ) :],
            "kinds": sorted(set(terms[t]["kinds"])),
            "definition": terms[t]["definition"],
            "superclasses": [names.node(p) for p in sorted(supers.get(t, []))],
            "domainOf": sorted(used.get(t, {}).get("domain", []), key=lambda n: n["en"]),
            "rangeOf": sorted(used.get(t, {}).get("range", []), key=lambda n: n["en"]),
            "domain": [names.node(c) for p, c in axioms["domain"] if p == t],
            "range": [names.node(c) for p, c in axioms["range"] if p == t],
            "individuals": [names.node(i) for i in sorted(individuals.get(t, []))],
        }

    def group(kind: str) -> list[dict[str, Any]]:
        chosen = [
            t
            for t, e in terms.items()
            if kind in e["kinds"] and (kind != "NamedIndividual" or "Class" not in e["kinds"])
        ]
        return [describe(t) for t in sorted(chosen, key=lambda t: t[len(_SZ) :].casefold())]

    roots = sorted((c for c in classes if not any(p in classes for p in supers.get(c, []))), key=by_name)
    return {
        "node": names.node(str(ONTOLOGY_IRI)),
        "hierarchy": [tree(r) for r in roots],
        "classes": group("Class"),
        "objectProperties": group("ObjectProperty"),
        "datatypeProperties": group("DatatypeProperty"),
        "annotationProperties": group("AnnotationProperty"),
        "individuals": group("NamedIndividual"),
    }


# -- search and the named queries ---------------------------------------------------------------------


def search(kg: KnowledgeGraph, text: str) -> dict[str, Any]:
    """Things whose name in English or Chinese contains ``text`` (the named query ``search``)."""
    text = text.strip()
    if not text:
        return {"text": text, "hits": []}
    zh = {str(r.node): r.label for r in kg.query("search", text=text, lang="zh")}
    hits = [
        {
            "kind": r.kind,
            "matched": r.matched,
            "node": {
                "iri": str(r.node),
                "href": local_href(str(r.node)),
                "en": r.label,
                "zh": zh.get(str(r.node)) or r.label,
            },
        }
        for r in kg.query("search", text=text)
    ]
    return {"text": text, "hits": hits}


def queries(kg: KnowledgeGraph) -> dict[str, Any]:
    """The named queries with their documented parameters and columns, their text (for forms) and an
    example for the SPARQL editor: the text under its summary, without the ``#+`` header, which documents
    the query for people and kgtool and would make every example link several kB longer."""
    from ..queries import choices

    listing = []
    for q in kg.queries.values():
        body = "".join(line for line in q.text.splitlines(keepends=True) if not line.startswith("#+"))
        entry = {**q.to_dict(), "text": q.text, "example": f"# {q.summary}\n{body.lstrip()}"}
        for param, described in zip(q.params, entry["params"], strict=True):
            described.update(describe=param.describe(), choices=list(choices(param.type) or ()))
        listing.append(entry)
    return {"queries": listing}
