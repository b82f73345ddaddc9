"""The server's HTML pages: a resource, the ontology and the shapes, a named graph, the home page, the
named queries and the SPARQL query form.

Every IRI under ``https://w3id.org/sz20plus8/`` resolves on the server at the same path (the *local
mapping* of the base: ``https://w3id.org/sz20plus8/cluster/artificial-intelligence`` is
``/cluster/artificial-intelligence``); pages link to that mapping. Pages are plain HTML generated here
with every text escaped, no scripts and no external assets. What a page shows of a resource is read from
the store by :mod:`kgtool.server.describe`; resource pages are rendered in the worker processes.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..namespaces import BASE, ONTOLOGY_IRI, PREFIXES
from .describe import INCOMING_LIMIT, LABEL_PREDICATES
from .protocol import RESOURCE_FORMATS

if TYPE_CHECKING:
    from ..queries import NamedQuery

__all__ = [
    "render_resource",
    "render_ontology",
    "render_graph",
    "home_page",
    "queries_page",
    "sparql_form_page",
    "page",
    "local_href",
    "curie",
    "RDF_FORMAT_LINKS",
    "SHAPES_IRI",
    "SHAPE_KINDS",
    "error_page",
]

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_SZ = BASE + "def#"
_PROV = "http://www.w3.org/ns/prov#"
_OWL = "http://www.w3.org/2002/07/owl#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

#: Formats offered as links on every page: (``format`` parameter, label, media type); the parameter is
#: the format's file extension (``rdf`` for RDF/XML: ``xml`` asks for SPARQL XML results).
RDF_FORMAT_LINKS = tuple((fmt.extension, fmt.label, fmt.media_type) for fmt in RESOURCE_FORMATS)


def _namespaces() -> list[tuple[str, str]]:
    """The prefixes of the published JSON-LD context (a superset of PREFIXES), longest namespace first."""
    from ..export import jsonld_context

    known = {**{k: v for k, v in jsonld_context().items() if isinstance(v, str)}, **PREFIXES}
    return sorted(known.items(), key=lambda item: (-len(item[1]), item[0]))


_NAMESPACES = _namespaces()


# -- names and links --------------------------------------------------------------------------------


def curie(iri: str) -> str:
    """``sz:Cluster`` for a known namespace, else the IRI itself.

    >>> curie("https://w3id.org/sz20plus8/def#Cluster"), curie("http://example.org/x")
    ('sz:Cluster', 'http://example.org/x')
    """
    for prefix, namespace in _NAMESPACES:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def local_href(iri: str) -> str:
    """Where an IRI is served: its path on this server for IRIs under the base, else the IRI.

    >>> local_href("https://w3id.org/sz20plus8/cluster/artificial-intelligence")
    '/cluster/artificial-intelligence'
    >>> local_href("https://w3id.org/sz20plus8/def#Cluster"), local_href("https://schema.org/startDate")
    ('/def#Cluster', 'https://schema.org/startDate')
    """
    if iri.startswith(BASE):
        return "/" + iri[len(BASE) :]
    return iri


def _label(labels: dict[str, dict[str, str]], iri: str, lang: str = "en") -> str | None:
    found = labels.get(iri, {})
    return found.get(lang) or found.get("") or (next(iter(sorted(found.items())))[1] if found else None)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


# -- pages ------------------------------------------------------------------------------------------

_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC",sans-serif;margin:0 auto;
max-width:72rem;padding:0 1rem 3rem;line-height:1.45;color:#1d1d1f}
header{border-bottom:1px solid #ddd;padding:.6rem 0;margin-bottom:1rem}header a{margin-right:1rem}
a{color:#0b57d0;text-decoration:none}a:hover{text-decoration:underline}
h1{font-size:1.6rem;margin:.4rem 0}h1 .zh{color:#555;margin-left:.6rem}
h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #eee}h3{margin-bottom:.2rem}
code,.iri{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em;word-break:break-all}
table{border-collapse:collapse;width:100%}td,th{border-top:1px solid #eee;padding:.35rem .5rem;
vertical-align:top;text-align:left}th{width:16rem;font-weight:600}.tag{color:#777;font-size:.8em}
ul.values{list-style:none;margin:0;padding:0}blockquote{margin:.3rem 0 .3rem 1rem;color:#333}
textarea{width:100%;font-family:ui-monospace,Menlo,Consolas,monospace}section.term{margin-bottom:1.5rem}
"""


def page(title: str, body: str, *, alternates: Sequence[tuple[str, str]] = ()) -> str:
    """A complete HTML page (``title`` and ``body`` must already be escaped HTML)."""
    links = "".join(f'<link rel="alternate" type="{_e(t)}" href="{_e(h)}">' for t, h in alternates)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>{_STYLE}</style>{links}</head><body>"
        '<header><a href="/"><b>sz20plus8</b></a><a href="/sparql">SPARQL</a><a href="/queries">Named queries</a>'
        '<a href="/def">Ontology</a><a href="/dataset">Dataset</a></header>'
        f"{body}</body></html>\n"
    )


def _formats_links(path: str) -> str:
    items = " · ".join(f'<a href="{_e(path)}?format={f}" type="{_e(t)}">{_e(n)}</a>' for f, n, t in RDF_FORMAT_LINKS)
    return f"<p>This description as {items}.</p>"


def _value(term: object, labels: dict[str, dict[str, str]], nested: dict[str, list[ox.Triple]], depth: int = 0) -> str:
    if isinstance(term, ox.NamedNode):
        text = _label(labels, term.value)
        shown = _e(text) if text else f"<code>{_e(curie(term.value))}</code>"
        return f'<a href="{_e(local_href(term.value))}" title="{_e(term.value)}">{shown}</a>'
    if isinstance(term, ox.Literal):
        if term.language:
            return (
                f'<span lang="{_e(term.language)}">{_e(term.value)}</span> '
                f'<span class="tag">@{_e(term.language)}</span>'
            )
        datatype = term.datatype.value
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            return _e(term.value)
        return f'{_e(term.value)} <span class="tag">{_e(curie(datatype))}</span>'
    if isinstance(term, ox.BlankNode):
        inner = nested.get(term.value, [])
        if not inner or depth > 8:
            return f"<code>_:{_e(term.value)}</code>"
        members = _rdf_list(term, nested)
        if members is not None:
            return "(" + ", ".join(_value(m, labels, nested, depth + 1) for m in members) + ")"
        return _table(inner, labels, nested, depth + 1)
    return _e(str(term))


def _rdf_list(node: ox.BlankNode, nested: dict[str, list[ox.Triple]]) -> list[object] | None:
    members: list[object] = []
    current: object = node
    for _ in range(10_000):
        if isinstance(current, ox.NamedNode) and current.value == _RDF + "nil":
            return members
        if not isinstance(current, ox.BlankNode):
            return None
        props = {t.predicate.value: t.object for t in nested.get(current.value, [])}
        if set(props) != {_RDF + "first", _RDF + "rest"}:
            return None
        members.append(props[_RDF + "first"])
        current = props[_RDF + "rest"]
    return None


def _order(predicate: str) -> tuple[int, str]:
    first = [RDF_TYPE, *LABEL_PREDICATES, _SKOS + "altLabel"]
    return (first.index(predicate), "") if predicate in first else (len(first), curie(predicate))


def _table(
    triples: Sequence[ox.Triple], labels: dict[str, dict[str, str]], nested: dict[str, list[ox.Triple]], depth: int = 0
) -> str:
    by_predicate: dict[str, list[object]] = {}
    for t in triples:
        by_predicate.setdefault(t.predicate.value, []).append(t.object)
    rows = []
    for predicate in sorted(by_predicate, key=_order):
        values = "".join(f"<li>{_value(v, labels, nested, depth)}</li>" for v in by_predicate[predicate])
        name = _label(labels, predicate)
        shown = f'{_e(name)} <span class="tag">{_e(curie(predicate))}</span>' if name else _e(curie(predicate))
        rows.append(
            f'<tr><th><a href="{_e(local_href(predicate))}" title="{_e(predicate)}">{shown}</a></th>'
            f'<td><ul class="values">{values}</ul></td></tr>'
        )
    return f"<table>{''.join(rows)}</table>"


def _heading(iri: str, labels: dict[str, dict[str, str]]) -> tuple[str, str]:
    found = labels.get(iri, {})
    en = found.get("en") or found.get("")
    zh = found.get("zh")
    title = " / ".join(x for x in (en, zh) if x) or curie(iri)
    heading = _e(en or (zh and not en and "") or curie(iri))
    if zh:
        heading += f' <span class="zh" lang="zh">{_e(zh)}</span>'
    return _e(title), heading


def render_resource(
    iri: str, triples: Sequence[ox.Triple], incoming: Sequence[ox.Triple], labels: dict[str, dict[str, str]]
) -> str:
    """The page of a resource: its labels in English and Chinese, every property with linked values,
    its sources (citations with their quotes), and the links that point to it."""
    own = [t for t in triples if isinstance(t.subject, ox.NamedNode) and t.subject.value == iri]
    nested: dict[str, list[ox.Triple]] = {}
    hashes: dict[str, list[ox.Triple]] = {}
    for t in triples:
        if isinstance(t.subject, ox.BlankNode):
            nested.setdefault(t.subject.value, []).append(t)
        elif isinstance(t.subject, ox.NamedNode) and t.subject.value != iri:
            hashes.setdefault(t.subject.value, []).append(t)
    title, heading = _heading(iri, labels)
    path = local_href(iri)
    parts = [f"<h1>{heading}</h1>", f'<p class="iri">{_e(iri)}</p>']
    types = [t.object for t in own if t.predicate.value == RDF_TYPE]
    if types:
        parts.append("<p>" + ", ".join(_value(t, labels, nested) for t in types) + "</p>")
    parts.append("<h2>Properties</h2>" + _table(own, labels, nested))

    citations = [h for h in sorted(hashes) if any(t.predicate.value == _PROV + "entity" for t in hashes[h])]
    if citations:
        items = []
        for cite in citations:
            props: dict[str, list[object]] = {}
            for t in hashes[cite]:
                props.setdefault(t.predicate.value, []).append(t.object)
            sources = ", ".join(_value(s, labels, nested) for s in props.get(_PROV + "entity", []))
            quotes = "".join(
                f'<blockquote lang="{_e(q.language or "")}">“{_e(q.value)}”</blockquote>'
                for q in props.get(_SZ + "quote", [])
                if isinstance(q, ox.Literal)
            )
            locator = "".join(
                f' <span class="tag">{_e(x.value)}</span>'
                for x in props.get(_SZ + "locator", [])
                if isinstance(x, ox.Literal)
            )
            fragment = cite.split("#", 1)[1]
            items.append(f'<li id="{_e(fragment)}">{sources}{locator}{quotes}</li>')
        parts.append(f"<h2>Sources</h2><ol>{''.join(items)}</ol>")
    others = [h for h in sorted(hashes) if h not in citations]
    for other in others:
        fragment = other.split("#", 1)[1]
        parts.append(
            f'<h3 id="{_e(fragment)}"><code>#{_e(fragment)}</code></h3>' + _table(hashes[other], labels, nested)
        )

    if incoming:
        rows = "".join(
            f"<tr><td>{_value(t.subject, labels, nested)}</td><td><code>{_e(curie(t.predicate.value))}</code></td></tr>"
            for t in incoming
        )
        note = f"<p>The first {len(incoming)}.</p>" if len(incoming) >= INCOMING_LIMIT else ""
        parts.append(f"<h2>Incoming links</h2>{note}<table><tr><th>from</th><th>property</th></tr>{rows}</table>")
    parts.append("<h2>Other formats</h2>" + _formats_links(path))
    alternates = [(t, f"{path}?format={f}") for f, _, t in RDF_FORMAT_LINKS]
    return page(f"{title} — sz20plus8", "".join(parts), alternates=alternates)


_TERM_KINDS = (
    ("Classes", (_OWL + "Class", _RDFS + "Class")),
    ("Object properties", (_OWL + "ObjectProperty",)),
    ("Datatype properties", (_OWL + "DatatypeProperty",)),
    ("Annotation properties", (_OWL + "AnnotationProperty",)),
    (
        "Other properties",
        (_RDF + "Property", _OWL + "SymmetricProperty", _OWL + "TransitiveProperty", _OWL + "FunctionalProperty"),
    ),
)


_SH = "http://www.w3.org/ns/shacl#"
SHAPE_KINDS = (("Node shapes", (_SH + "NodeShape",)), ("Property shapes", (_SH + "PropertyShape",)))


def render_ontology(
    triples: Sequence[ox.Triple],
    labels: dict[str, dict[str, str]],
    *,
    iri: str = str(ONTOLOGY_IRI),
    namespace: str = _SZ,
    prefix: str = "sz",
    kinds: Sequence[tuple[str, tuple[str, ...]]] = _TERM_KINDS,
    others: str = "Individuals",
    path: str = "/def",
) -> str:
    """The documentation of the ontology: its header, then every class, property and individual it
    defines (``sz:`` terms), each with its labels, definition and axioms, anchored by local name.
    With other arguments, the same for the SHACL shapes (``szsh:``)."""
    by_subject: dict[str, list[ox.Triple]] = {}
    nested: dict[str, list[ox.Triple]] = {}
    for t in triples:
        if isinstance(t.subject, ox.BlankNode):
            nested.setdefault(t.subject.value, []).append(t)
        elif isinstance(t.subject, ox.NamedNode):
            by_subject.setdefault(t.subject.value, []).append(t)
    ontology = iri
    title, heading = _heading(ontology, labels)
    parts = [f"<h1>{heading}</h1>", f'<p class="iri">{_e(ontology)}</p>']
    if ontology in by_subject:
        parts.append(_table(by_subject[ontology], labels, nested))
    terms = sorted(s for s in by_subject if s.startswith(namespace) and len(s) > len(namespace))
    groups: dict[str, list[str]] = {name: [] for name, _ in kinds}
    groups[others] = []
    for term in terms:
        types = {
            t.object.value
            for t in by_subject[term]
            if t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode)
        }
        for name, classes in kinds:
            if types & set(classes):
                groups[name].append(term)
                break
        else:
            groups[others].append(term)
    index = []
    for name, members in groups.items():
        if members:
            links = ", ".join(f'<a href="#{_e(m[len(namespace) :])}">{_e(m[len(namespace) :])}</a>' for m in members)
            index.append(f"<p><b>{_e(name)}</b> ({len(members)}): {links}</p>")
    parts.append("<h2>Index</h2>" + "".join(index))
    for name, members in groups.items():
        if not members:
            continue
        parts.append(f"<h2>{_e(name)}</h2>")
        for term in members:
            local = term[len(namespace) :]
            _, term_heading = _heading(term, labels)
            parts.append(
                f'<section class="term" id="{_e(local)}"><h3>{term_heading} '
                f'<span class="tag">{_e(prefix)}:{_e(local)}</span></h3>'
                + _table(by_subject[term], labels, nested)
                + "</section>"
            )
    parts.append("<h2>Other formats</h2>" + _formats_links(path))
    alternates = [(t, f"{path}?format={f}") for f, _, t in RDF_FORMAT_LINKS]
    return page(f"{title} — {prefix}", "".join(parts), alternates=alternates)


def render_graph(iri: str, size: int) -> str:
    """The page of a named graph of the store: its size, and where to get it."""
    from urllib.parse import quote

    store = f"/store?graph={quote(iri, safe='')}"
    links = " · ".join(f'<a href="{_e(store)}&amp;format={f}">{_e(n)}</a>' for f, n, _ in RDF_FORMAT_LINKS)
    body = (
        f'<h1>Named graph <code>{_e(curie(iri))}</code></h1><p class="iri">{_e(iri)}</p>'
        f"<p>A named graph of the store, holding {size} triples. Its triples as {links}; "
        'query it with <code>GRAPH</code> or <code>default-graph-uri</code> at <a href="/sparql">/sparql</a>.</p>'
    )
    return page(f"{_e(curie(iri))} — sz20plus8", body)


#: The IRI of the SHACL shapes graph (served from ``ontology/shapes.ttl``).
SHAPES_IRI = BASE + "shapes"


# -- the site's own pages ---------------------------------------------------------------------------


def home_page(downloads: Iterable[str]) -> str:
    """The home page: what the graph is, where its parts are, and the downloads."""
    links = "".join(f'<li><a href="/download/{name}">{name}</a></li>' for name in downloads)
    return page(
        "sz20plus8",
        (
            '<h1>sz20plus8 <span class="zh" lang="zh">深圳“20+8”产业政策知识图谱</span></h1>'
            "<p>A knowledge graph of Shenzhen's “20+8” industrial policy: its versions, clusters, "
            "reclassifications, figures and targets, each fact with its sources.</p><ul>"
            '<li><a href="/sparql">SPARQL endpoint</a> (<code>/sparql</code>)</li>'
            '<li><a href="/queries">Named queries</a></li>'
            '<li><a href="/def">Ontology</a> (<code>https://w3id.org/sz20plus8/def</code>)</li>'
            '<li><a href="/dataset">Dataset description</a> (VoID, DCAT)</li>'
            '<li><a href="/version/2.0">Policy version 2.0</a></li>'
            '<li><a href="/context.jsonld">JSON-LD context</a></li></ul>'
            f"<h2>Downloads</h2><ul>{links}</ul>"
            "<p>Every IRI under <code>https://w3id.org/sz20plus8/</code> resolves here at the same path.</p>"
        ),
    )


def queries_page(queries: Iterable[NamedQuery]) -> str:
    """The named queries, each with a form that runs it."""
    e = html.escape
    items = []
    for q in queries:
        fields = "".join(
            f'<label>{e(p.name)} <input name="{e(p.name)}" placeholder="{e(p.example or "")}"'
            f'{" required" if p.required and p.default is None else ""} title="{e(p.doc)}"></label> '
            for p in q.params
        )
        items.append(
            f'<section class="term" id="{e(q.name)}"><h3><a href="/queries/{e(q.name)}">'
            f"{e(q.name)}</a></h3><p>{e(q.summary)}</p><p>{e(q.description)}</p>"
            f'<form method="get" action="/queries/{e(q.name)}">{fields}'
            '<select name="format"><option>csv</option><option>json</option><option>tsv</option>'
            '<option>xml</option></select> <button type="submit">Run</button></form></section>'
        )
    return page("Named queries — sz20plus8", "<h1>Named queries</h1>" + "".join(items))


def sparql_form_page(endpoint: str) -> str:
    """The SPARQL endpoint's page for browsers: what it accepts, and a query form."""
    escape = html.escape
    example = (
        "PREFIX sz: <https://w3id.org/sz20plus8/def#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?cluster ?label WHERE {\n  ?cluster a/rdfs:subClassOf* sz:Cluster ; skos:prefLabel ?label .\n"
        '  FILTER(LANG(?label) = "en")\n} ORDER BY ?label LIMIT 20'
    )
    options = "".join(f'<option value="{k}">{k}</option>' for k in ("json", "xml", "csv", "tsv", "ttl", "jsonld"))
    return page(
        "SPARQL endpoint — sz20plus8",
        (
            "<h1>SPARQL endpoint</h1>"
            f"<p>SPARQL 1.1 Protocol endpoint at <code>{escape(endpoint)}</code>. Send queries with GET "
            "(<code>?query=</code>), POST form or POST <code>application/sparql-query</code>; the answer's format "
            "follows the <code>Accept</code> header. Its service description is served in Turtle, JSON-LD, N-Triples "
            "and RDF/XML. <code>SERVICE</code> is refused; the endpoint is read-only unless its operator enabled "
            "updates.</p>"
            '<form method="get" action="/sparql"><p><textarea name="query" rows="14">'
            f'{escape(example)}</textarea></p><p>Answer as <select name="format">{options}</select> '
            '<button type="submit">Run</button></p></form>'
            '<p><a href="/sparql?format=ttl">Service description (Turtle)</a></p>'
        ),
    )


def error_page(status: int, message: str) -> str:
    """The page a browser gets for a refusal or an error: the status and the message, with the site's links."""
    from http import HTTPStatus

    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    return page(
        f"{status} {_e(phrase)} — sz20plus8",
        (
            f"<h1>{status} {_e(phrase)}</h1><p>{_e(message.strip())}</p>"
            '<p>Start from the <a href="/">home page</a>, or ask the <a href="/sparql">SPARQL endpoint</a>.</p>'
        ),
    )
