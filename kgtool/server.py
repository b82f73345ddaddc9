"""``kgtool serve``: a SPARQL 1.1 Protocol endpoint and linked-data server for the graph.

A Starlette application run by uvicorn. Queries never run on the event loop: a pool of worker
processes (:mod:`kgtool.workers`) holds the store open and answers them, each request bounded by the
query timeout, so a slow query is cancelled and answered with 503 while other requests keep being
served. See ``docs/SERVER.md`` for the routes, the local mapping of the base IRI and the limits.

Routes (every path is also the local mapping of ``https://w3id.org/sz20plus8/`` + path):

==========================  ==========================================================================
``/sparql``                 SPARQL 1.1 Protocol: GET, POST form, POST direct; a service description
                            without a query (an HTML query form for browsers)
``/queries``                the named queries (JSON, or HTML with a form per query)
``/queries/NAME``           run a named query: ``?param=value``
``/store``                  SPARQL 1.1 Graph Store Protocol (reads; writes only with update enabled)
``/context.jsonld``         the published JSON-LD context
``/dataset``                the VoID/DCAT description of the dataset (also ``/.well-known/void``)
``/download/FILE``          the exports: ``sz20plus8.ttl``, ``.nt``, ``.jsonld``, ``.rdf``, ``.trig``, ``.nq``
``/def``                    the ontology (HTML documentation of every class and property, or RDF)
``/shapes``                 the SHACL shapes (HTML documentation, or RDF)
``/graph/ontology``, ...    the named graphs of the store (their triples, or an HTML summary)
``/{anything else}``        the resource ``https://w3id.org/sz20plus8/{anything else}`` (HTML or RDF)
==========================  ==========================================================================

The server is read-only unless started with ``allow_update`` and a token: then SPARQL Update and Graph
Store writes are accepted with ``Authorization: Bearer TOKEN``; otherwise they are refused with 403.
``SERVICE`` is refused with 400 before any engine sees the query; ``FROM`` never fetches anything.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import hmac
import json
import logging
import re
import shutil
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from .errors import NotBuiltError, QueryError, StoreError, UsageError
from .export import CONTEXT_FILE, EXPORT_FORMATS
from .linked_data import page
from .namespaces import BASE, DATASET_IRI
from .paths import ProjectPaths, data_home, project_paths
from .sparql import QueryInfo, inspect_query, strip_literals
from .workers import DEFAULTS, TEXT, TOKEN_ENV, Reply, StoreSource, WorkerError, WorkerPool, negotiate

__all__ = ["ServerConfig", "create_app", "serve", "DEFAULTS", "TOKEN_ENV"]

log = logging.getLogger("kgtool.server")

#: Export downloads by file name: ``sz20plus8.ttl`` -> ``ttl``.
_DOWNLOADS = {"sz20plus8." + ("rdf" if fmt == "xml" else fmt): fmt for fmt in EXPORT_FORMATS}
_FORMAT_PARAM = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml", "csv": "text/csv",
    "tsv": "text/tab-separated-values", "ttl": "text/turtle", "turtle": "text/turtle",
    "nt": "application/n-triples", "jsonld": "application/ld+json", "rdf": "application/rdf+xml",
    "rdfxml": "application/rdf+xml", "trig": "application/trig", "nq": "application/n-quads", "html": "text/html",
}
_SD = "http://www.w3.org/ns/sparql-service-description#"
_FORMATS_NS = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True)
class ServerConfig:
    """How the server runs.

    Args:
        store: what to serve: the path of a built Oxigraph store, or a kgtool :class:`~kgtool.stores.Store`
            or an rdflib ``Dataset`` (copied to each worker); default: the store ``kgtool build`` wrote.
        home: where the built store is (default: :func:`kgtool.paths.data_home`).
        paths: where the named queries are (default: the project's).
        timeout: seconds a request may run before it is cancelled (answered 503).
        max_rows: the most rows (SELECT) or triples (CONSTRUCT, DESCRIBE) an answer holds; longer
            answers are truncated and say so in the ``X-SPARQL-Truncated`` and ``X-SPARQL-MaxRows`` headers.
        max_body: the largest request body accepted, in bytes (larger: 413).
        workers: the number of query worker processes (1 when update is enabled).
        allow_update: accept SPARQL Update and Graph Store writes from clients holding ``token``.
        token: the bearer token writes need (required with ``allow_update``; never logged).
    """

    store: Any = None
    home: Path | None = None
    paths: ProjectPaths | None = None
    timeout: float = DEFAULTS["timeout"]
    max_rows: int = DEFAULTS["max_rows"]
    max_body: int = DEFAULTS["max_body"]
    workers: int = DEFAULTS["workers"]
    allow_update: bool = False
    token: str | None = field(default=None, repr=False)

    def check(self) -> None:
        """Raise :class:`UsageError` for limits that make no sense or update without a token, and
        :class:`NotBuiltError` when there is no built store to serve."""
        if self.timeout <= 0:
            raise UsageError("the query timeout must be positive")
        if self.max_rows < 1 or self.max_body < 1 or self.workers < 1:
            raise UsageError("max-rows, max-body and workers must be at least 1")
        if self.allow_update and not self.token:
            raise UsageError("updates need a token: set it in an environment variable and name it with --token-env")
        if self.store is None or isinstance(self.store, (str, Path)):
            from .build import store_path

            path = Path(self.store) if self.store is not None else store_path(self.home or data_home())
            if not path.is_dir():
                raise NotBuiltError(f"no built store at {path}: run 'kgtool build' first")


class HTTPError(Exception):
    """An answer with an error status and a message for the client."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


# -- the store the workers open ---------------------------------------------------------------------


def _prepare_source(config: ServerConfig, scratch: Path) -> StoreSource:
    """Decide what each worker opens; copy the store into ``scratch`` where it must be (blocking)."""
    from rdflib import Dataset

    from .build import store_path
    from .stores.base import Store

    root = str(config.paths.root) if config.paths else None
    store = config.store
    path: Path | None = None
    nquads: Path | None = None
    if store is None or isinstance(store, (str, Path)):
        path = Path(store) if store is not None else store_path(config.home or data_home())
        if not path.is_dir():
            raise NotBuiltError(f"no built store at {path}: run 'kgtool build' first")
        path = path.resolve()  # a rebuild swaps the link; the server keeps serving the store it started with
    elif getattr(store, "path", None) is not None and getattr(store, "name", "") == "oxigraph":
        path = Path(store.path).resolve()
    elif isinstance(store, (Store, Dataset)):
        dataset = store.dataset() if isinstance(store, Store) else store
        nquads = scratch / "graph.nq"
        dataset.serialize(destination=str(nquads), format="nquads", encoding="utf-8")
    else:
        raise UsageError(f"cannot serve {type(store).__name__}: give a store path, a Store or an rdflib Dataset")
    if not config.allow_update:
        return StoreSource(path=str(path) if path else None, nquads=str(nquads) if nquads else None,
                           project_root=root)
    # Updates change a writable copy in the scratch directory, never the built store.
    import pyoxigraph as ox

    copy = scratch / "writable-store"
    target = ox.Store(str(copy))
    if nquads is not None:
        target.load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    else:
        source = ox.Store.read_only(str(path))
        target.load(source.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
        del source
    target.flush()
    del target
    return StoreSource(path=str(copy), writable=True, project_root=root)


# -- the application --------------------------------------------------------------------------------


class _State:
    """What the application holds while it runs."""

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self.paths = config.paths or project_paths()
        self.pool: WorkerPool | None = None
        self.cache: dict[tuple, Reply] = {}
        self.scratch: Path | None = None

    async def run(self, op: str, *, cache: bool = False, timeout: float | None = None, **args: Any) -> Reply:
        key = (op, *sorted((k, repr(v)) for k, v in args.items()))
        if cache and key in self.cache:
            return self.cache[key]
        assert self.pool is not None
        try:
            reply = await self.pool.run(op, timeout=timeout, **args)
        except WorkerError as error:
            raise HTTPError(error.status, str(error)) from None
        if cache and reply.status == 200 and len(self.cache) < 256:
            self.cache[key] = reply
        return reply


def _state(request: Request) -> _State:
    return request.app.state.kg


def _respond(reply: Reply, request: Request) -> Response:
    media_type = reply.media_type
    if (media_type.startswith("text/") or media_type == "application/n-triples") and "charset" not in media_type:
        media_type += "; charset=utf-8"
    body = b"" if request.method == "HEAD" else reply.body
    response = Response(body, status_code=reply.status, media_type=media_type, headers=dict(reply.headers))
    if request.method == "HEAD":
        response.headers["content-length"] = str(len(reply.body))
    return response


def _accept(request: Request, params: dict[str, list[str]] | None = None) -> str:
    """The Accept header, or the media type a ``format`` parameter names (for links and downloads)."""
    fmt = (params or {}).get("format") or request.query_params.getlist("format")
    if fmt:
        if fmt[-1] not in _FORMAT_PARAM:
            raise HTTPError(400, f"unknown format {fmt[-1]!r}; known: {', '.join(_FORMAT_PARAM)}")
        return _FORMAT_PARAM[fmt[-1]]
    return request.headers.get("accept", "*/*")


async def _read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 beyond ``limit`` bytes (checked before and while reading)."""
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > limit:
        raise HTTPError(413, f"the request body is larger than the limit of {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPError(413, f"the request body is larger than the limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _check_url(request: Request, limit: int) -> None:
    """A query string counts against the body limit too (a GET query is the request's payload)."""
    if len(request.scope.get("query_string", b"")) > limit:
        raise HTTPError(414, f"the query string is longer than the limit of {limit} bytes: send the query with POST")


def _media_type(request: Request) -> tuple[str | None, str | None]:
    """The request's media type and charset."""
    header = request.headers.get("content-type")
    if not header:
        return None, None
    kind, *params = [p.strip() for p in header.split(";")]
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return kind.lower(), charset


def _decode(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise HTTPError(400, f"the {what} is not UTF-8") from None


def _check_token(request: Request, config: ServerConfig) -> None:
    """Refuse a write unless update is enabled and the request holds the token."""
    if not config.allow_update:
        raise HTTPError(403, "this endpoint is read-only: SPARQL Update and Graph Store writes are disabled")
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given:
        raise HTTPError(401, "writes need a token: Authorization: Bearer TOKEN", {"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(given.strip().encode("utf-8"), (config.token or "").encode("utf-8")):
        raise HTTPError(403, "the token is not valid")


# -- /sparql ----------------------------------------------------------------------------------------


async def sparql_endpoint(request: Request) -> Response:
    """The SPARQL 1.1 Protocol: query via GET, POST form or POST direct; update via POST."""
    state = _state(request)
    config = state.config
    _check_url(request, config.max_body)
    url = {k: request.query_params.getlist(k) for k in request.query_params}
    params: dict[str, list[str]] = {}
    if request.method in ("GET", "HEAD"):
        params = url
    else:
        kind, charset = _media_type(request)
        if kind is None:
            raise HTTPError(400, "a POST needs a Content-Type: application/x-www-form-urlencoded, "
                                 "application/sparql-query or application/sparql-update")
        if charset and charset not in ("utf-8", "utf8"):
            raise HTTPError(415, f"requests must be UTF-8, not {charset}")
        body = await _read_body(request, config.max_body)
        if kind == "application/x-www-form-urlencoded":
            if "query" in url or "update" in url:
                raise HTTPError(400, "with a form POST, the query or update goes in the body")
            form = parse_qs(_decode(body, "form"), keep_blank_values=True)
            params = {k: url.get(k, []) + form.get(k, []) for k in set(url) | set(form)}
        elif kind == "application/sparql-query":
            params = {**url, "query": [_decode(body, "query")]}
        elif kind == "application/sparql-update":
            params = {**url, "update": [_decode(body, "update")]}
        else:
            raise HTTPError(415, f"unsupported Content-Type {kind!r}: use application/x-www-form-urlencoded, "
                                 "application/sparql-query or application/sparql-update")
        if "query" in url and kind != "application/x-www-form-urlencoded":
            raise HTTPError(400, "with a direct POST, the query goes in the body")
    queries, updates = params.get("query", []), params.get("update", [])
    if len(queries) + len(updates) > 1:
        raise HTTPError(400, "send exactly one query or one update per request")
    if updates:
        if request.method != "POST":
            raise HTTPError(400, "SPARQL Update must be sent with POST")
        return await _update(request, state, updates[0], params)
    if not queries:
        return await _service_description(request, state)
    text = queries[0]
    info = _inspect(text)
    if info.is_update:
        raise HTTPError(400, "this is an update, not a query: send it with POST as update= or "
                             "application/sparql-update")
    reply = await state.run(
        "sparql", text=text, accept=_accept(request, params),
        default_graph=params.get("default-graph-uri") or None, named_graphs=params.get("named-graph-uri") or None,
        max_rows=config.max_rows, base_iri=str(request.url.replace(query="")),
    )
    return _respond(reply, request)


def _inspect(text: str) -> QueryInfo:
    """The form of a query or update; a malformed one, or one with SERVICE, is refused with 400 before
    any engine sees it (no outbound request is ever made)."""
    try:
        info = inspect_query(text)
    except QueryError as error:
        raise HTTPError(400, str(error)) from None
    if info.uses_service:
        raise HTTPError(400, "SERVICE is not allowed: this endpoint never sends queries to other endpoints")
    return info


async def _update(request: Request, state: _State, text: str, params: dict[str, list[str]]) -> Response:
    _check_token(request, state.config)
    info = _inspect(text)
    if not info.is_update:
        raise HTTPError(400, "update= holds a query, not an update")
    using, using_named = params.get("using-graph-uri", []), params.get("using-named-graph-uri", [])
    if (using or using_named) and re.search(r"\b(USING|WITH)\b", strip_literals(text), re.I):
        raise HTTPError(400, "using-graph-uri/using-named-graph-uri cannot be combined with USING or WITH")
    reply = await state.run("update", text=text, base_iri=str(request.url.replace(query="")),
                            using=using, using_named=using_named)
    state.cache.clear()
    return _respond(reply, request)


async def _service_description(request: Request, state: _State) -> Response:
    import pyoxigraph as ox

    from .stores.oxigraph import serialize_triples

    accept = _accept(request)
    offers = ["text/turtle", "text/html", "application/ld+json", "application/n-triples", "application/rdf+xml"]
    media_type = negotiate(accept, offers)
    if media_type is None:
        raise HTTPError(406, "available: " + ", ".join(offers))
    endpoint = str(request.url.replace(query=""))
    if media_type == "text/html":
        return _html(_sparql_form(endpoint))
    sizes = json.loads((await state.run("graphs", cache=True)).body)
    graphs = sizes["graphs"]
    sd = ox.NamedNode
    service, dataset, default = ox.BlankNode("service"), ox.BlankNode("dataset"), ox.BlankNode("default")
    rdf_type = sd("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    void_triples = sd("http://rdfs.org/ns/void#triples")
    integer = sd("http://www.w3.org/2001/XMLSchema#integer")
    triples = [
        ox.Triple(service, rdf_type, sd(_SD + "Service")),
        ox.Triple(service, sd(_SD + "endpoint"), sd(endpoint)),
        ox.Triple(service, sd(_SD + "supportedLanguage"), sd(_SD + "SPARQL11Query")),
        ox.Triple(service, sd(_SD + "feature"), sd(_SD + "UnionDefaultGraph")),
        ox.Triple(service, sd(_SD + "defaultDataset"), dataset),
        ox.Triple(service, sd("http://purl.org/dc/terms/title"),
                  ox.Literal("sz20plus8 SPARQL endpoint", language="en")),
        ox.Triple(dataset, rdf_type, sd(_SD + "Dataset")),
        ox.Triple(dataset, sd("http://purl.org/dc/terms/source"), sd(str(DATASET_IRI))),
        ox.Triple(dataset, sd(_SD + "defaultGraph"), default),
        ox.Triple(default, rdf_type, sd(_SD + "Graph")),
        ox.Triple(default, void_triples, ox.Literal(str(sizes["union"]), datatype=integer)),
    ]
    if state.config.allow_update:
        triples.append(ox.Triple(service, sd(_SD + "supportedLanguage"), sd(_SD + "SPARQL11Update")))
    for fmt in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                "Turtle", "N-Triples", "JSON-LD", "RDF_XML", "TriG", "N-Quads"):
        triples.append(ox.Triple(service, sd(_SD + "resultFormat"), sd(_FORMATS_NS + fmt)))
    for number, (name, size) in enumerate(sorted(graphs.items())):
        named, graph = ox.BlankNode(f"named{number}"), ox.BlankNode(f"graph{number}")
        triples += [
            ox.Triple(dataset, sd(_SD + "namedGraph"), named),
            ox.Triple(named, rdf_type, sd(_SD + "NamedGraph")),
            ox.Triple(named, sd(_SD + "name"), sd(name)),
            ox.Triple(named, sd(_SD + "graph"), graph),
            ox.Triple(graph, rdf_type, sd(_SD + "Graph")),
            ox.Triple(graph, void_triples, ox.Literal(str(size), datatype=integer)),
        ]
    body = serialize_triples(triples, media_type, {"sd": _SD, "formats": _FORMATS_NS})
    return _respond(Reply(200, media_type, body, (("Vary", "Accept"),)), request)


def _html(body: str, status: int = 200) -> Response:
    return Response(body.encode("utf-8"), status_code=status, media_type="text/html; charset=utf-8",
                    headers={"Vary": "Accept"})


def _sparql_form(endpoint: str) -> str:
    from html import escape

    example = ("PREFIX sz: <https://w3id.org/sz20plus8/def#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
               "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
               "SELECT ?cluster ?label WHERE {\n  ?cluster a/rdfs:subClassOf* sz:Cluster ; skos:prefLabel ?label .\n"
               "  FILTER(LANG(?label) = \"en\")\n} ORDER BY ?label LIMIT 20")
    options = "".join(f'<option value="{k}">{k}</option>' for k in ("json", "xml", "csv", "tsv", "ttl", "jsonld"))
    return page("SPARQL endpoint — sz20plus8", (
        "<h1>SPARQL endpoint</h1>"
        f'<p>SPARQL 1.1 Protocol endpoint at <code>{escape(endpoint)}</code>. Send queries with GET '
        '(<code>?query=</code>), POST form or POST <code>application/sparql-query</code>; the answer\'s format '
        'follows the <code>Accept</code> header. Its service description is served in Turtle, JSON-LD, N-Triples '
        'and RDF/XML. <code>SERVICE</code> is refused; the endpoint is read-only unless its operator enabled '
        'updates.</p>'
        '<form method="get" action="/sparql"><p><textarea name="query" rows="14">'
        f"{escape(example)}</textarea></p><p>Answer as <select name=\"format\">{options}</select> "
        '<button type="submit">Run</button></p></form>'
        '<p><a href="/sparql?format=ttl">Service description (Turtle)</a></p>'
    ))


# -- other routes -----------------------------------------------------------------------------------


async def home(request: Request) -> Response:
    """The home page; RDF clients get the dataset description."""
    accept = _accept(request)
    if negotiate(accept, ["text/html", "text/turtle", "application/ld+json"]) != "text/html":
        return await _describe(request, str(DATASET_IRI))
    links = "".join(f'<li><a href="/download/{name}">{name}</a></li>' for name in _DOWNLOADS)
    return _html(page("sz20plus8", (
        "<h1>sz20plus8 <span class=\"zh\" lang=\"zh\">深圳“20+8”产业政策知识图谱</span></h1>"
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
    )))


async def queries_list(request: Request) -> Response:
    """The named queries, as JSON or as HTML with a form per query."""
    from html import escape

    from .queries import load_queries

    queries = load_queries(_state(request).paths.queries_dir)
    media_type = negotiate(_accept(request), ["application/json", "text/html"])
    if media_type is None:
        raise HTTPError(406, "available: application/json, text/html")
    if media_type == "application/json":
        listing = [{
            "name": q.name, "url": f"/queries/{q.name}", "summary": q.summary, "description": q.description,
            "tags": list(q.tags),
            "params": [{"name": p.name, "type": p.type, "required": p.required, "default": p.default,
                        "example": p.example, "doc": p.doc} for p in q.params],
            "columns": [{"name": c.name, "doc": c.doc} for c in q.columns],
        } for q in queries.values()]
        return Response(json.dumps(listing, ensure_ascii=False, indent=1).encode("utf-8"),
                        media_type="application/json", headers={"Vary": "Accept"})
    items = []
    for q in queries.values():
        fields = "".join(
            f'<label>{escape(p.name)} <input name="{escape(p.name)}" placeholder="{escape(p.example or "")}"'
            f'{" required" if p.required and p.default is None else ""} title="{escape(p.doc)}"></label> '
            for p in q.params)
        items.append(f'<section class="term" id="{escape(q.name)}"><h3><a href="/queries/{escape(q.name)}">'
                     f"{escape(q.name)}</a></h3><p>{escape(q.summary)}</p><p>{escape(q.description)}</p>"
                     f'<form method="get" action="/queries/{escape(q.name)}">{fields}'
                     '<select name="format"><option>csv</option><option>json</option><option>tsv</option>'
                     '<option>xml</option></select> <button type="submit">Run</button></form></section>')
    return _html(page("Named queries — sz20plus8", "<h1>Named queries</h1>" + "".join(items)))


async def named_query(request: Request) -> Response:
    """Run one named query with its parameters from the query string."""
    state = _state(request)
    _check_url(request, state.config.max_body)
    name = request.path_params["name"]
    params: dict[str, str] = {}
    for key in request.query_params:
        if key == "format":
            continue
        values = request.query_params.getlist(key)
        if len(values) > 1:
            raise HTTPError(400, f"parameter {key!r} given {len(values)} times")
        params[key] = values[0]
    reply = await state.run("named_query", name=name, params=params, accept=_accept(request),
                            max_rows=state.config.max_rows)
    return _respond(reply, request)


async def context(request: Request) -> Response:
    """The published JSON-LD context."""
    return Response(CONTEXT_FILE.read_bytes(), media_type="application/ld+json")


async def download(request: Request) -> Response:
    """An export of the whole graph (with its dataset description)."""
    state = _state(request)
    name = request.path_params["name"]
    if name not in _DOWNLOADS:
        raise HTTPError(404, f"no download {name!r}; available: {', '.join(_DOWNLOADS)}")
    reply = await state.run("export", cache=True, timeout=max(state.config.timeout, 120.0), fmt=_DOWNLOADS[name])
    response = _respond(reply, request)
    response.headers["content-disposition"] = f'attachment; filename="{name}"'
    return response


async def well_known_void(request: Request) -> Response:
    return RedirectResponse("/dataset", status_code=303)


async def graph_store(request: Request) -> Response:
    """The SPARQL 1.1 Graph Store Protocol: ``?graph=IRI`` or ``?default`` (the union of all graphs)."""
    state = _state(request)
    graphs = request.query_params.getlist("graph")
    default = "default" in request.query_params
    if len(graphs) + int(default) != 1:
        raise HTTPError(400, "name exactly one graph: ?graph=IRI or ?default")
    graph = graphs[0] if graphs else None
    if request.method in ("GET", "HEAD"):
        return _respond(await state.run("graph_get", graph=graph, accept=_accept(request)), request)
    _check_token(request, state.config)
    data = b""
    kind = ""
    if request.method in ("PUT", "POST"):
        kind, charset = _media_type(request)
        if kind is None:
            raise HTTPError(400, "a graph needs a Content-Type")
        if charset and charset not in ("utf-8", "utf8"):
            raise HTTPError(415, f"requests must be UTF-8, not {charset}")
        data = await _read_body(request, state.config.max_body)
    reply = await state.run("graph_write", method=request.method, graph=graph, data=data, media_type=kind,
                            base_iri=graph or str(request.url.replace(query="")))
    state.cache.clear()
    return _respond(reply, request)


async def _describe(request: Request, iri: str) -> Response:
    state = _state(request)
    cacheable = iri in (str(DATASET_IRI), BASE + "def", BASE + "shapes")
    reply = await state.run("describe", cache=cacheable, iri=iri, accept=_accept(request))
    return _respond(reply, request)


async def resource(request: Request) -> Response:
    """Any other IRI under the base: its description (HTML for people, RDF for programs)."""
    path = request.url.path.lstrip("/")
    if not path or "\\" in path or any(c.isspace() for c in path):
        raise HTTPError(404, "not found")
    return await _describe(request, BASE + path)


async def _error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPError)
    return PlainTextResponse(exc.message.rstrip() + "\n", status_code=exc.status,
                             headers={"Vary": "Accept", **exc.headers}, media_type=TEXT)


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("error answering %s %s", request.method, request.url.path)
    return PlainTextResponse("internal server error\n", status_code=500)


def create_app(config: ServerConfig | None = None) -> Starlette:
    """The server as an ASGI application (the workers start with the application's lifespan).

    Raises:
        UsageError: for a configuration that makes no sense (see :meth:`ServerConfig.check`).
    """
    config = config or ServerConfig()
    config.check()
    state = _State(config)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        scratch = Path(tempfile.mkdtemp(prefix="kgtool-serve-"))
        state.scratch = scratch
        try:
            source = await asyncio.to_thread(_prepare_source, config, scratch)
            size = 1 if config.allow_update else config.workers
            state.pool = WorkerPool(source, size, timeout=config.timeout)
            await state.pool.start()
            log.info("serving with %d query worker(s), timeout %g s, max rows %d, max body %d bytes, %s",
                     size, config.timeout, config.max_rows, config.max_body,
                     "updates enabled (token required)" if config.allow_update else "read-only")
            yield
        finally:
            if state.pool is not None:
                await state.pool.close()
            shutil.rmtree(scratch, ignore_errors=True)

    methods = ["GET", "HEAD"]
    routes = [
        Route("/", home, methods=methods),
        Route("/sparql", sparql_endpoint, methods=["GET", "HEAD", "POST"]),
        Route("/sparql/", sparql_endpoint, methods=["GET", "HEAD", "POST"]),
        Route("/queries", queries_list, methods=methods),
        Route("/queries/{name}", named_query, methods=methods),
        Route("/store", graph_store, methods=["GET", "HEAD", "PUT", "POST", "DELETE"]),
        Route("/context.jsonld", context, methods=methods),
        Route("/download/{name}", download, methods=methods),
        Route("/.well-known/void", well_known_void, methods=methods),
        Route("/{path:path}", resource, methods=methods),
    ]
    from .web import WebPages

    middleware = [Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "HEAD", "POST"],
                             allow_headers=["Accept", "Content-Type"],
                             expose_headers=["X-SPARQL-Truncated", "X-SPARQL-MaxRows"]),
                  Middleware(WebPages, run=state.run)]  # pages for browsers (kgtool.web)
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan,
                    exception_handlers={HTTPError: _error, Exception: _unexpected})
    app.state.kg = state
    return app


def serve(config: ServerConfig | None = None, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the server with uvicorn until interrupted."""
    import uvicorn

    app = create_app(config)
    log_config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    log_config["loggers"]["kgtool.server"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    try:
        uvicorn.run(app, host=host, port=port, log_level="info", log_config=log_config, limit_concurrency=1000,
                    timeout_graceful_shutdown=5)
    except SystemExit as stop:  # uvicorn exits 3 when the application cannot start
        if stop.code not in (0, None):
            raise StoreError("the server could not start (see the messages above)") from None
