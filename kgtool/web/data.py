"""What each page shows, read from the graph through the library (:class:`~kgtool.KnowledgeGraph`, its
named queries, and SPARQL where no named query fits).

Every function returns plain JSON-ready data (strings, numbers, lists, dicts) holding names in both
languages, so one answer serves the English and the Chinese page, and the server can compute it in a
query worker and render it in the web process. A *node* is ``{"iri", "href", "en", "zh"}``.

>>> import kgtool
>>> kg = kgtool.open(store="memory")
>>> [v["number"] for v in home(kg)["versions"]]
['1.0', '2.0', '3.0']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from ..errors import UsageError
from ..graph import KnowledgeGraph
from ..namespaces import BASE, ONTOLOGY_GRAPH, ONTOLOGY_IRI
from .links import curie, local_href

__all__ = [
    "home",
    "evolution",
    "version",
    "cluster",
    "resource",
    "ontology",
    "search",
    "queries",
    "labels",
    "node_of",
    "format_value",
    "event_types",
]

_SZ = BASE + "def#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_PREFIXES = """PREFIX sz: <https://w3id.org/sz20plus8/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <https://schema.org/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
"""
_LABEL_PATH = "skos:prefLabel|rdfs:label|dcterms:title|foaf:name|schema:name"
#: The headline figures of the home page: measures of Shenzhen as a whole.
HEADLINE_MEASURES = ("sei-added-value", "sei-added-value-share-of-gdp")


def _iri(term: Any) -> str:
    return str(term)


def _text(value: Any) -> Any:
    """A JSON-ready value: decimals and dates as strings, the rest as is."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _values(iris: Iterable[str]) -> str:
    return " ".join(f"<{iri}>" for iri in sorted(set(iris)) if _safe_iri(iri))


def _safe_iri(iri: str) -> bool:
    return bool(iri) and not re.search(r'[\s<>"{}|^`\\]', iri)


def labels(kg: KnowledgeGraph, iris: Iterable[str]) -> dict[str, dict[str, str]]:
    """The names of each IRI by language (``en``, ``zh``, ``""``), the preferred label winning
    (skos:prefLabel, rdfs:label, dcterms:title, foaf:name, schema:name)."""
    iris = [i for i in set(iris) if _safe_iri(i)]
    found: dict[str, dict[str, str]] = {}
    for start in range(0, len(iris), 400):
        chunk = _values(iris[start : start + 400])
        rows = kg.sparql(
            _PREFIXES
            + f"""SELECT ?x ?label (LANG(?label) AS ?lang) ?rank WHERE {{
  VALUES ?x {{ {chunk} }}
  VALUES (?p ?rank) {{ (skos:prefLabel 1) (rdfs:label 2) (dcterms:title 3) (foaf:name 4) (schema:name 5) }}
  ?x ?p ?label . FILTER(isLiteral(?label))
}} ORDER BY ?x ?rank ?label"""
        )
        for iri, label, lang, _rank in rows:
            key = "zh" if str(lang).lower().startswith("zh") else ("en" if str(lang).lower().startswith("en") else "")
            found.setdefault(str(iri), {}).setdefault(key, str(label))
    return found


def node_of(iri: str, names: dict[str, dict[str, str]]) -> dict[str, str]:
    """The node of ``iri`` (``{"iri", "href", "en", "zh"}``), named from ``names`` (:func:`labels`)."""
    own = names.get(iri, {})
    en = own.get("en") or own.get("") or own.get("zh") or _fallback_name(iri)
    zh = own.get("zh") or own.get("") or en
    return {"iri": iri, "href": local_href(iri), "en": en, "zh": zh}


def _fallback_name(iri: str) -> str:
    """A readable name for an IRI without a label: the local name, with spaces, of a term of a known
    namespace (``qb:Observation`` is "Observation"); any other IRI (a web page) as itself."""
    if curie(iri) == iri:
        return iri
    tail = re.split(r"[#/]", iri.rstrip("/#"))[-1] or iri
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", tail).replace("-", " ").replace("_", " ")
    return words[:1].upper() + words[1:] if words else curie(iri)


def _nodes(kg: KnowledgeGraph, iris: Iterable[str]) -> dict[str, dict[str, str]]:
    """Nodes for IRIs, named by their labels, or by a generated heading for memberships and figures."""
    iris = set(iris)
    names = labels(kg, iris)
    unnamed = [i for i in iris if i not in names]
    if unnamed:
        names.update(_generated_names(kg, unnamed))
    return {iri: node_of(iri, names) for iri in iris}


def _generated_names(kg: KnowledgeGraph, iris: list[str]) -> dict[str, dict[str, str]]:
    """Headings for nodes without a label: "Artificial Intelligence in version 2.0" for a membership,
    "Strategic emerging industry added value · Shenzhen · 2020 · 1.03 trillion yuan" for a figure."""
    values = _values(iris)
    if not values:
        return {}
    rows = list(
        kg.sparql(
            _PREFIXES
            + f"""SELECT ?x ?cluster ?version ?measure ?subject ?period ?value WHERE {{
  VALUES ?x {{ {values} }}
  {{ ?x sz:cluster ?cluster ; sz:version ?version }}
  UNION {{ ?x sz:measure ?measure ; sz:value ?value . OPTIONAL {{ ?x sz:subject ?subject }}
           OPTIONAL {{ ?x sz:refPeriod ?period }} }}
}}"""
        )
    )
    parts = {str(t) for row in rows for t in row[1:6] if t is not None}
    names = labels(kg, parts)
    named = {iri: node_of(iri, names) for iri in parts}
    units = _measure_units(kg) if any(r[3] is not None for r in rows) else {}
    out: dict[str, dict[str, str]] = {}
    for x, cluster_, version_, measure, subject, period, value in rows:
        if cluster_ is not None:
            c, v = named[str(cluster_)], named[str(version_)]
            out[str(x)] = {"en": f"{c['en']} in {v['en']}", "zh": f"{v['zh']}：{c['zh']}"}
        elif measure is not None:
            unit = units.get(str(measure))
            pieces = [named[str(t)] for t in (measure, subject, period) if t is not None]
            out[str(x)] = {
                lang: " · ".join([*(p[lang] for p in pieces), format_value(_text(value), unit, lang)])
                for lang in ("en", "zh")
            }
    return out


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


# -- the pages --------------------------------------------------------------------------------------


def home(kg: KnowledgeGraph) -> dict[str, Any]:
    """The versions side by side with their counts per tier, and the headline figures."""
    versions = _versions(kg)
    charts = [series(kg, measure, "place/shenzhen") for measure in HEADLINE_MEASURES]
    stats = kg.stats()
    return {
        "versions": versions,
        "charts": [c for c in charts if c["points"]],
        "stats": {
            "triples": stats.triples,
            "events": stats.events,
            "observations": stats.observations,
            "targets": stats.targets,
            "sources": stats.sources,
        },
    }


def _versions(kg: KnowledgeGraph) -> list[dict[str, Any]]:
    counts: dict[str, dict[str, Any]] = {}
    for row in kg.query("counts"):
        entry = counts.setdefault(row.version, {"status": row.status, "tiers": {}})
        entry["tiers"][row.tier] = {"clusters": row.clusters, "sectors": row.sectors, "priorities": row.priorities}
    out: dict[str, dict[str, Any]] = {}
    documents: dict[str, list[str]] = {}
    for row in kg.query("versions"):
        entry = out.setdefault(
            row.version,
            {
                "number": row.version,
                "iri": BASE + "version/" + row.version,
                "status": row.status,
                "previous": row.revises,
                "issued": _text(row.issued),
                "issuedCertainty": row.issuedCertainty,
                "announced": _text(row.announced),
                **counts.get(row.version, {"tiers": {}}),
            },
        )
        entry["status"] = row.status
        if row.document is not None:
            documents.setdefault(row.version, []).append(str(row.document))
    nodes = _nodes(kg, [v["iri"] for v in out.values()] + [d for ds in documents.values() for d in ds])
    for number, entry in out.items():
        entry["node"] = nodes[entry["iri"]]
        entry["documents"] = [nodes[d] for d in sorted(set(documents.get(number, [])))]
    return [out[k] for k in sorted(out, key=_version_key)]


def _version_key(number: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in number.split("."))


def series(kg: KnowledgeGraph, measure: str, subject: str) -> dict[str, Any]:
    """A measure's figures about a subject, each with its sources (for a chart and its table)."""
    rows = list(kg.query("metric-series", measure=measure, subject=subject))
    observations = [str(r.observation) for r in rows]
    sources = _sources_of(kg, observations)
    measure_iri = BASE + "measure/" + measure
    nodes = _nodes(kg, [measure_iri, *observations, *(s["iri"] for ss in sources.values() for s in ss)])
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
                "start": _text(r.start),
                "end": _text(r.end),
                "year": r.start.year if r.start else None,
                "wholeYear": whole_year,
                "value": _text(r.value),
                "unit": r.unit,
                "qualifier": r.qualifier,
                "reportedText": r.reportedText,
                "certainty": r.certainty,
                "observation": nodes[str(r.observation)],
                "sources": [{**nodes[s["iri"]], "quote": s["quote"]} for s in sources.get(str(r.observation), [])],
                "display": {lang: format_value(r.value, r.unit, lang) for lang in ("en", "zh")},
            }
        )
    return {
        "measure": nodes[measure_iri],
        "slug": measure,
        "subject": subject,
        "unit": rows[0].unit if rows else None,
        "points": points,
    }


def _sources_of(kg: KnowledgeGraph, statements: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """The sources each statement rests on, with the quotes, in a stable order."""
    values = _values(statements)
    if not values:
        return {}
    rows = kg.sparql(
        _PREFIXES
        + f"""SELECT ?x ?source ?quote (LANG(?quote) AS ?lang) ?locator ?address WHERE {{
  VALUES ?x {{ {values} }}
  {{ ?x sz:citation ?c . ?c prov:entity ?source . OPTIONAL {{ ?c sz:quote ?quote }}
     OPTIONAL {{ ?c sz:locator ?locator }} }}
  UNION {{ ?x prov:wasDerivedFrom ?source .
           FILTER NOT EXISTS {{ ?x sz:citation ?c2 . ?c2 prov:entity ?source }} }}
  OPTIONAL {{ ?source schema:url|foaf:page|dcterms:source ?address }}
}} ORDER BY ?x ?source ?quote"""
    )
    out: dict[str, list[dict[str, Any]]] = {}
    for x, source, quote, lang, locator, address in rows:
        out.setdefault(str(x), []).append(
            {
                "iri": str(source),
                "quote": None if quote is None else str(quote),
                "lang": str(lang or ""),
                "locator": None if locator is None else str(locator),
                "address": None if address is None else str(address),
            }
        )
    return out


def _with_source_nodes(kg: KnowledgeGraph, sources: dict[str, list[dict[str, Any]]]) -> None:
    nodes = _nodes(kg, [s["iri"] for ss in sources.values() for s in ss])
    for ss in sources.values():
        for s in ss:
            s.update({k: v for k, v in nodes[s["iri"]].items() if k != "iri"})


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


def _events(kg: KnowledgeGraph, version: str | None = None) -> list[dict[str, Any]]:
    """The reclassification events (of one version), with the clusters they took and gave, their
    competing claims and their sources."""
    where = f'?v sz:versionNumber "{version}" .' if version and re.fullmatch(r"[0-9.]+", version) else ""
    rows = kg.sparql(
        _PREFIXES
        + f"""SELECT ?e ?number ?type ?certainty ?from ?to ?other ?note WHERE {{
  ?e sz:version ?v ; a ?type . ?v sz:versionNumber ?number . {where}
  ?type rdfs:subClassOf* sz:ReclassificationEvent . FILTER(?type != sz:ReclassificationEvent)
  OPTIONAL {{ ?e sz:certainty ?certainty }}
  OPTIONAL {{ ?e sz:fromCluster ?from }} OPTIONAL {{ ?e sz:toCluster ?to }}
  OPTIONAL {{ ?e sz:competingClaim ?other }} OPTIONAL {{ ?e rdfs:comment ?note }}
}}"""
    )
    types = event_types(kg)
    by_type = {t["iri"]: change for change, t in types.items()}
    events: dict[str, dict[str, Any]] = {}
    for e, number, kind, certainty, from_, to, other, note in rows:
        if str(kind) not in by_type:
            continue
        entry = events.setdefault(
            str(e),
            {
                "iri": str(e),
                "version": str(number),
                "change": by_type[str(kind)],
                "certainty": _local(certainty),
                "from": [],
                "to": [],
                "competing": [],
                "note": None if note is None else str(note),
            },
        )
        for key, value in (("from", from_), ("to", to), ("competing", other)):
            if value is not None and str(value) not in entry[key]:
                entry[key].append(str(value))
    sources = _sources_of(kg, events)
    _with_source_nodes(kg, sources)
    nodes = _nodes(kg, [*events, *(i for e in events.values() for k in ("from", "to", "competing") for i in e[k])])
    out = []
    for iri, entry in events.items():
        entry["node"] = nodes[iri]
        for key in ("from", "to", "competing"):
            entry[key] = [nodes[i] for i in sorted(entry[key])]
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


def _local(term: Any) -> str | None:
    """``confirmed`` for ``sz:Confirmed``: the pages' word for an individual of the ontology."""
    if term is None:
        return None
    name = str(term).rsplit("#", 1)[-1]
    return re.sub(r"(?<!^)([A-Z])", r"-\1", name).lower()


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


def evolution(kg: KnowledgeGraph) -> dict[str, Any]:
    """The clusters of every version in columns, and every reclassification event between them."""
    versions = _versions(kg)
    clusters = _clusters(kg)
    priorities = _priorities(kg)
    columns = []
    for v in versions:
        members = [c for c in clusters if c["version"] == v["number"]]
        announced = [p for p in priorities if p["version"] == v["number"]]
        columns.append({"version": v, "clusters": members, "priorities": announced if not members else []})
    return {"columns": columns, "events": _events(kg), "changes": event_types(kg)}


def version(kg: KnowledgeGraph, number: str) -> dict[str, Any]:
    """A version: its clusters by tier in the official order, its changes, documents and sources."""
    known = {v["number"]: v for v in _versions(kg)}
    if number not in known:
        raise UsageError(f"no version {number!r}; known: {', '.join(known)}")
    entry = known[number]
    sources = _sources_of(kg, [entry["iri"], *(d["iri"] for d in entry["documents"])])
    _with_source_nodes(kg, sources)
    following = [v for v in known.values() if v["previous"] == number]
    return {
        "version": entry,
        "clusters": _clusters(kg, number),
        "priorities": _priorities(kg, number),
        "events": _events(kg, number),
        "changes": event_types(kg),
        "sources": sources.get(entry["iri"], []),
        "documentSources": {d["iri"]: sources.get(d["iri"], []) for d in entry["documents"]},
        "previous": known.get(entry["previous"] or ""),
        "next": following[0] if following else None,
        "properties": resource(kg, entry["iri"])["properties"],
    }


def cluster(kg: KnowledgeGraph, iri: str) -> dict[str, Any]:
    """A cluster: both names, membership across versions, lineage, figures and every source."""
    names = labels(kg, [iri])
    alt = kg.sparql(_PREFIXES + f"SELECT ?a (LANG(?a) AS ?l) WHERE {{ <{iri}> skos:altLabel ?a }} ORDER BY ?a")
    memberships = [c for c in _clusters(kg) if c["node"]["iri"] == iri]
    if not memberships and iri not in names:
        raise UsageError(f"nothing is known about <{iri}>")
    membership_iris = [
        r[0]
        for r in kg.sparql(
            _PREFIXES
            + f"""SELECT ?m ?n WHERE {{
  ?m a sz:Membership ; sz:cluster <{iri}> ; sz:version/sz:versionNumber ?n }}"""
        )
    ]
    lineage = []
    zh_lineage = {str(r.event): r for r in kg.query("lineage", cluster=iri, lang="zh")}
    for r in kg.query("lineage", cluster=iri):
        other = zh_lineage.get(str(r.event))

        def side(term: Any, en: Any, zh: Any) -> dict[str, str] | None:
            if term is None:
                return None
            return {"iri": str(term), "href": local_href(str(term)), "en": en, "zh": zh or en}

        lineage.append(
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
    events = [e for e in _events(kg) if iri in {n["iri"] for n in e["from"] + e["to"]}]
    slug = iri.rsplit("/", 1)[-1]
    measures = [
        str(m)
        for (m,) in kg.sparql(
            _PREFIXES
            + f"""SELECT DISTINCT ?m WHERE {{
  ?o a sz:Observation ; sz:subject <{iri}> ; sz:measure ?m }} ORDER BY ?m"""
        )
    ]
    charts = [series(kg, m.rsplit("/", 1)[-1], "cluster/" + slug) for m in measures]
    targets = _figures(kg, iri, "Target")
    observations = _figures(kg, iri, "Observation")
    sources = _sources_of(
        kg,
        [
            iri,
            *map(str, membership_iris),
            *(e["iri"] for e in events),
            *(o["node"]["iri"] for o in observations + targets),
        ],
    )
    _with_source_nodes(kg, sources)
    statement_nodes = _nodes(kg, sources)
    return {
        "node": node_of(iri, names),
        "altLabels": [{"text": str(a), "lang": str(lang)} for a, lang in alt],
        "memberships": memberships,
        "lineage": lineage,
        "changes": event_types(kg),
        "events": events,
        "charts": charts,
        "observations": observations,
        "targets": targets,
        "sources": [{"statement": statement_nodes[s], "sources": sources[s]} for s in sorted(sources)],
    }


def _figures(kg: KnowledgeGraph, subject: str, kind: str) -> list[dict[str, Any]]:
    """Observations or targets about ``subject``, with measure, period and value in words."""
    rows = kg.sparql(
        _PREFIXES
        + f"""SELECT ?x ?measure ?period ?value ?qualifier ?text ?certainty ?v WHERE {{
  ?x a sz:{kind} ; sz:subject <{subject}> ; sz:measure ?measure ; sz:value ?value .
  OPTIONAL {{ ?x sz:refPeriod ?period }}
  OPTIONAL {{ ?x sz:qualifier ?qualifier }} OPTIONAL {{ ?x sz:reportedText ?text }}
  OPTIONAL {{ ?x sz:certainty ?certainty }} OPTIONAL {{ ?x sz:version/sz:versionNumber ?v }}
}} ORDER BY ?measure ?period ?x"""
    )
    iris = {str(r[0]) for r in rows} | {str(r[1]) for r in rows} | {str(r[2]) for r in rows if r[2] is not None}
    nodes = _nodes(kg, iris)
    units = _measure_units(kg)
    out = []
    for x, measure, period, value, qualifier, text, certainty, number in rows:
        unit = units.get(str(measure))
        out.append(
            {
                "node": nodes[str(x)],
                "measure": nodes[str(measure)],
                "period": nodes[str(period)] if period is not None else None,
                "value": _text(value),
                "unit": unit,
                "qualifier": _local(qualifier),
                "display": {lang: format_value(value, unit, lang) for lang in ("en", "zh")},
                "reportedText": None if text is None else str(text),
                "certainty": _local(certainty),
                "version": None if number is None else str(number),
            }
        )
    return out


def _measure_units(kg: KnowledgeGraph) -> dict[str, str]:
    """The unit of each measure (yuan, percent, count, rank, km2), from the named query ``measures``."""
    return {str(r.measure): r.unit for r in kg.query("measures")}


# -- any other resource -----------------------------------------------------------------------------

_PREFERRED = (
    _RDF_TYPE,
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://purl.org/dc/terms/title",
    "http://www.w3.org/2004/02/skos/core#altLabel",
)
_HIDDEN = {_SZ + "citation", "http://www.w3.org/ns/prov#wasDerivedFrom"}


def resource(kg: KnowledgeGraph, iri: str) -> dict[str, Any]:
    """Any resource of the graph: a heading, its types, every property with named values (units for
    figures), its sources with their quotes, and the links that point to it."""
    if not _safe_iri(iri):
        raise UsageError(f"not an IRI: {iri!r}")
    rows = list(
        kg.sparql(f"""SELECT ?p ?o (LANG(?o) AS ?lang) (DATATYPE(?o) AS ?dt) (isBlank(?o) AS ?blank) WHERE {{
  <{iri}> ?p ?o }}""")
    )
    # Citations (the hash IRIs of other resources) are shown as those resources' sources, not here.
    incoming = list(
        kg.sparql(f"""SELECT DISTINCT ?s ?p WHERE {{ ?s ?p <{iri}> . FILTER(isIRI(?s) && !CONTAINS(STR(?s), "#"))
  FILTER(?p != <http://www.w3.org/ns/prov#wasDerivedFrom>) }} ORDER BY ?p ?s LIMIT 500""")
    )
    cited = bool(kg.sparql(f"ASK {{ ?c <http://www.w3.org/ns/prov#entity> <{iri}> }}"))
    if not rows and not incoming and not cited:
        raise UsageError(f"nothing is known about <{iri}>")
    blank_rows: dict[str, list[tuple[Any, ...]]] = {}
    blanks = [str(o) for _, o, _, _, blank in rows if blank]
    for b in blanks[:200]:
        blank_rows[b] = []
    iris = {iri} | {str(p) for p, *_ in rows} | {str(o) for _, o, _, _, blank in rows if _is_iri(o, blank)}
    iris |= {str(s) for s, _ in incoming} | {str(p) for _, p in incoming}
    nodes = _nodes(kg, iris)
    units = _measure_units(kg)
    measure = next((str(o) for p, o, *_ in rows if str(p) == _SZ + "measure"), None)
    unit = units.get(measure) if measure else None
    properties: dict[str, list[dict[str, Any]]] = {}
    for p, o, lang, dt, blank in rows:
        if str(p) in _HIDDEN:
            continue
        properties.setdefault(str(p), []).append(
            _term(o, lang, dt, blank, nodes, unit if str(p) == _SZ + "value" else None)
        )
    order = {p: i for i, p in enumerate(_PREFERRED)}
    listed: list[dict[str, Any]] = [
        {"predicate": nodes[p], "values": sorted(vs, key=_value_order)}
        for p, vs in sorted(properties.items(), key=lambda kv: (order.get(kv[0], 99), nodes[kv[0]]["en"]))
    ]
    heading = dict(nodes[iri])
    sources = _sources_of(kg, [iri])
    _with_source_nodes(kg, sources)
    inbound: dict[str, list[dict[str, str]]] = {}
    for s, p in incoming:
        inbound.setdefault(str(p), []).append(nodes[str(s)])
    types = [v for v in properties.get(_RDF_TYPE, []) if v.get("node")]
    return {
        "node": heading,
        "types": [t["node"] for t in types],
        "properties": listed,
        "sources": sources.get(iri, []),
        "incoming": [{"predicate": nodes[p], "subjects": ss} for p, ss in sorted(inbound.items())],
        "kind": iri[len(BASE) :].split("/", 1)[0] if iri.startswith(BASE) else "",
        "statements": _statements_from(kg, iri) if cited else [],
    }


def _statements_from(kg: KnowledgeGraph, source: str) -> list[dict[str, Any]]:
    """What a source is cited for, with the words it is cited with (the named query ``statements-from-source``)."""
    rows = list(kg.query("statements-from-source", source=source))
    nodes = _nodes(kg, [str(r.statement) for r in rows])
    return [
        {"kind": r.kind, "statement": nodes[str(r.statement)], "certainty": r.certainty, "quote": r.quote} for r in rows
    ]


def _value_order(value: dict[str, Any]) -> tuple[str, str]:
    return (value.get("lang") or "", value["text"])


def _is_iri(term: Any, blank: Any) -> bool:
    return not blank and type(term).__name__ == "IRI"


def _term(o: Any, lang: Any, dt: Any, blank: Any, nodes: dict[str, dict[str, str]], unit: str | None) -> dict[str, Any]:
    if blank:
        return {"text": "(" + str(o) + ")", "blank": True}
    if _is_iri(o, blank):
        return {"text": nodes[str(o)]["en"], "node": nodes[str(o)]}
    datatype = str(dt) if dt is not None else ""
    out: dict[str, Any] = {"text": str(_text(o)), "lang": str(lang or "")}
    if unit:
        out["display"] = {lg: format_value(str(_text(o)), unit, lg) for lg in ("en", "zh")}
    if datatype and not datatype.endswith(("#string", "#langString")):
        out["datatype"] = curie(datatype)
    return out


# -- the ontology -----------------------------------------------------------------------------------


def ontology(kg: KnowledgeGraph) -> dict[str, Any]:
    """The ontology's classes as a hierarchy, with the properties each is the domain or range of, and
    its properties and individuals, with English and Chinese labels and definitions."""
    graph = f"<{ONTOLOGY_GRAPH}>"
    rows = kg.sparql(
        _PREFIXES
        + f"""SELECT ?term ?kind ?definition WHERE {{ GRAPH {graph} {{
  ?term a ?kind . FILTER(isIRI(?term) && STRSTARTS(STR(?term), "{_SZ}"))
  FILTER(?kind IN (owl:Class, owl:ObjectProperty, owl:DatatypeProperty, owl:AnnotationProperty, owl:NamedIndividual))
  OPTIONAL {{ ?term skos:definition ?definition . FILTER(LANGMATCHES(LANG(?definition), "en")) }} }} }}"""
    )
    terms: dict[str, dict[str, Any]] = {}
    for term, kind, definition in rows:
        entry = terms.setdefault(str(term), {"iri": str(term), "kinds": [], "definition": None})
        entry["kinds"].append(str(kind).rsplit("#", 1)[-1])
        if definition is not None:
            entry["definition"] = str(definition)
    parents = kg.sparql(
        _PREFIXES
        + f"""SELECT ?c ?parent WHERE {{ GRAPH {graph} {{ ?c rdfs:subClassOf ?parent .
  FILTER(isIRI(?c) && isIRI(?parent) && STRSTARTS(STR(?c), "{_SZ}")) }} }}"""
    )
    domains = kg.sparql(
        _PREFIXES
        + f"""SELECT ?p ?which ?c WHERE {{ GRAPH {graph} {{
  {{ ?p rdfs:domain ?c . BIND("domain" AS ?which) }} UNION {{ ?p rdfs:range ?c . BIND("range" AS ?which) }}
  FILTER(isIRI(?c) && STRSTARTS(STR(?p), "{_SZ}")) }} }}"""
    )
    members = kg.sparql(
        _PREFIXES
        + f"""SELECT ?i ?c WHERE {{ GRAPH {graph} {{ ?i a owl:NamedIndividual, ?c .
  FILTER(?c != owl:NamedIndividual && STRSTARTS(STR(?i), "{_SZ}")) }} }}"""
    )
    iris = (
        set(terms)
        | {str(x) for row in parents for x in row}
        | {str(r[0]) for r in domains}
        | {str(r[2]) for r in domains}
        | {str(ONTOLOGY_IRI)}
    )
    nodes = _nodes(kg, iris)
    supers: dict[str, list[str]] = {}
    for c, parent in parents:
        supers.setdefault(str(c), []).append(str(parent))
    classes = {t for t, e in terms.items() if "Class" in e["kinds"]}
    children: dict[str, list[str]] = {}
    for c in classes:
        for parent in supers.get(c, []):
            if parent in classes:
                children.setdefault(parent, []).append(c)
    roots = sorted(
        (c for c in classes if not any(p in classes for p in supers.get(c, []))),
        key=lambda c: nodes[c]["en"].casefold(),
    )

    def tree(c: str, depth: int = 0) -> dict[str, Any]:
        kids = sorted(children.get(c, []), key=lambda k: nodes[k]["en"].casefold()) if depth < 8 else []
        return {"node": nodes[c], "local": c[len(_SZ) :], "children": [tree(k, depth + 1) for k in kids]}

    used: dict[str, dict[str, list[dict[str, str]]]] = {}
    for p, which, c in domains:
        used.setdefault(str(c), {"domain": [], "range": []})[str(which)].append(nodes[str(p)])
    individuals: dict[str, list[str]] = {}
    for i, c in members:
        individuals.setdefault(str(c), []).append(str(i))

    def describe(t: str) -> dict[str, Any]:
        entry = terms[t]
        return {
            "node": nodes[t],
            "local": t[len(_SZ) :],
            "kinds": sorted(set(entry["kinds"])),
            "definition": entry["definition"],
            "superclasses": [nodes[p] for p in sorted(supers.get(t, []))],
            "domainOf": sorted(used.get(t, {}).get("domain", []), key=lambda n: n["en"]),
            "rangeOf": sorted(used.get(t, {}).get("range", []), key=lambda n: n["en"]),
            "domain": [nodes[str(c)] for p, w, c in domains if str(p) == t and str(w) == "domain"],
            "range": [nodes[str(c)] for p, w, c in domains if str(p) == t and str(w) == "range"],
            "individuals": [nodes.get(i) or node_of(i, {}) for i in sorted(individuals.get(t, []))],
        }

    def group(kind: str) -> list[dict[str, Any]]:
        chosen = [
            t
            for t, e in terms.items()
            if kind in e["kinds"] and (kind != "NamedIndividual" or "Class" not in e["kinds"])
        ]
        return [describe(t) for t in sorted(chosen, key=lambda t: t[len(_SZ) :].casefold())]

    return {
        "node": nodes[str(ONTOLOGY_IRI)],
        "hierarchy": [tree(r) for r in roots],
        "classes": group("Class"),
        "objectProperties": group("ObjectProperty"),
        "datatypeProperties": group("DatatypeProperty"),
        "annotationProperties": group("AnnotationProperty"),
        "individuals": group("NamedIndividual"),
    }


# -- search -----------------------------------------------------------------------------------------


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
    """The named queries with their documented parameters and columns, and their text (for forms)."""
    from ..queries import CHOICES

    listing = []
    for q in kg.queries.values():
        entry = {**q.to_dict(), "text": q.text}
        for param, described in zip(q.params, entry["params"], strict=True):
            described.update(describe=param.describe(), choices=list(CHOICES.get(param.type, ())))
        listing.append(entry)
    return {"queries": listing}
