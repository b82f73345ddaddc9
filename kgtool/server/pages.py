"""The server's own HTML pages: the shapes, a named graph and error pages. Browsers get every other page
(home, versions, clusters, resources, the ontology, the queries and the SPARQL editor) from
:mod:`kgtool.web`, which answers them before a request reaches the server's routes.

Every IRI under ``https://w3id.org/sz20plus8/`` resolves on the server at the same path (the *local
mapping* of the base: ``https://w3id.org/sz20plus8/cluster/artificial-intelligence`` is
``/cluster/artificial-intelligence``); pages link to that mapping. Pages are plain HTML generated here
with every text escaped, no scripts and no external assets. What a page shows of a resource is read from
the store by :mod:`kgtool.server.describe`; resource pages are rendered in the worker processes.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import pyoxigraph as ox

from ..namespaces import BASE, ONTOLOGY_IRI, PREFIXES
from .describe import LABEL_PREDICATES
from .protocol import RESOURCE_FORMATS

__all__ = [
    "render_ontology",
    "render_graph",
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
