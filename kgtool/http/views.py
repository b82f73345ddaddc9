"""The protocol's views: one async function per endpoint (in the manner of Datasette's views), answering
programs in RDF, SPARQL results and JSON. The pages for people (:mod:`kgtool.web`) share the paths; the
application's one route table (:data:`kgtool.server.app.ROUTES`) sends each request to a page or a view.

Queries never run on the event loop: a pool of worker processes (:mod:`kgtool.workers`) holds the store
open and answers them, each request bounded by the query timeout, so a slow query is cancelled and answered
with 503 while other requests keep being served. See ``docs/SERVER.md`` for the routes, the local mapping of
the base IRI and the limits.

The server is read-only unless started with ``allow_update`` and a token: then SPARQL Update and Graph
Store writes are accepted with ``Authorization: Bearer TOKEN``; otherwise they are refused with 403.
``SERVICE`` is refused with 400 before any engine sees the query; ``FROM`` never fetches anything.
"""

from __future__ import annotations

import json
import logging
import re

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from .. import formats
from ..dataset_description import DOWNLOADS
from ..errors import QueryError
from ..export import CONTEXT_FILE
from ..format_param import FORMAT_PARAMETERS, JSON, format_values, negotiate
from ..namespaces import BASE, DATASET_IRI, ONTOLOGY_IRI, SHAPES_IRI
from ..sparql import QueryInfo, inspect_query, is_iri, strip_literals
from ..workers.requests import (
    TEXT,
    Describe,
    Export,
    GraphGet,
    GraphSizes,
    GraphWrite,
    Reply,
    RunNamedQuery,
    SparqlQuery,
    SparqlUpdate,
)
from .negotiation import accept_header, alternate_headers
from .protocol import (
    check_charset,
    check_operator,
    check_token,
    check_url,
    parse_sparql_request,
    read_body,
    request_media_type,
)
from .router import route_path
from .service_description import MEDIA_TYPES as SD_MEDIA_TYPES
from .service_description import service_description
from .state import ServerState, server_state

__all__ = [
    "context",
    "download",
    "graph_store",
    "health",
    "health_details",
    "home",
    "named_query",
    "openapi",
    "plain_error",
    "queries_list",
    "resource",
    "respond",
    "sparql_endpoint",
    "unexpected_error",
    "well_known_void",
]

log = logging.getLogger("kgtool.server")

#: N-Triples is text too (UTF-8), though its media type does not say so.
_NTRIPLES = formats.get("nt").media_type
#: Export downloads by file name: ``sz20plus8.ttl`` -> ``ttl``.
_DOWNLOADS = {file_name: fmt for fmt, (file_name, *_) in DOWNLOADS.items()}


# -- answers ----------------------------------------------------------------------------------------


def respond(reply: Reply, request: Request) -> Response:
    """The worker's answer as a response; an error answer goes through the error handler."""
    if reply.status >= 400:
        raise HTTPException(reply.status, reply.body.decode("utf-8", "replace"), dict(reply.headers))
    media_type = reply.media_type
    if (media_type.startswith("text/") or media_type == _NTRIPLES) and "charset" not in media_type:
        media_type += "; charset=utf-8"
    body = reply.body
    response = Response(
        b"" if request.method == "HEAD" else body,
        status_code=reply.status,
        media_type=media_type,
        headers=dict(reply.headers),
    )
    if request.method == "HEAD":
        response.headers["content-length"] = str(len(body))
    return response


def plain_error(request: Request, exc: HTTPException) -> Response:
    """A refusal or an error for a program: its status and a one-line message, in plain text."""
    headers = {"Vary": "Accept", **(exc.headers or {})}
    return PlainTextResponse(exc.detail.rstrip() + "\n", status_code=exc.status_code, headers=headers, media_type=TEXT)


async def unexpected_error(request: Request, exc: Exception) -> Response:
    log.exception("error answering %s %s", request.method, request.url.path)
    return PlainTextResponse("internal server error\n", status_code=500)


# -- /sparql ----------------------------------------------------------------------------------------


async def sparql_endpoint(request: Request) -> Response:
    """The SPARQL 1.1 Protocol: query via GET, POST form or POST direct; update via POST."""
    state = server_state(request)
    config = state.config
    sparql = await parse_sparql_request(request, config.max_body, config.header_timeout)
    if sparql.update is not None:
        return await _update(request, state, sparql.update, sparql.params)
    if sparql.query is None:
        return await _service_description(request, state)
    # The query is read (parsed and checked: a syntax error, an update, SERVICE are 400) by the worker that
    # answers it, before any engine sees it: never on the event loop, which serves every client.
    reply = await state.run(
        SparqlQuery(
            sparql.query,
            request.headers.get("accept", "*/*"),
            default_graph=tuple(sparql.param("default-graph-uri")) or None,
            named_graphs=tuple(sparql.param("named-graph-uri")) or None,
            max_rows=config.max_rows,
            base_iri=str(request.url.replace(query="")),
            formats=tuple(format_values(sparql.params)),
        ),
        request=request,
    )
    return respond(reply, request)


def _inspect(text: str) -> QueryInfo:
    """The form of a query or update; a malformed one, or one with SERVICE, is refused with 400 before
    any engine sees it (no outbound request is ever made)."""
    try:
        info = inspect_query(text)
    except QueryError as error:
        raise HTTPException(400, str(error)) from None
    if info.uses_service:
        raise HTTPException(400, "SERVICE is not allowed: this endpoint never sends queries to other endpoints")
    return info


async def _update(request: Request, state: ServerState, text: str, params: dict[str, list[str]]) -> Response:
    check_token(request, state.config)
    info = _inspect(text)
    if not info.is_update:
        raise HTTPException(400, "update= holds a query, not an update")
    using, using_named = params.get("using-graph-uri", []), params.get("using-named-graph-uri", [])
    if (using or using_named) and re.search(r"\b(USING|WITH)\b", strip_literals(text), re.I):
        raise HTTPException(400, "using-graph-uri/using-named-graph-uri cannot be combined with USING or WITH")
    reply = await state.run(
        SparqlUpdate(
            text, base_iri=str(request.url.replace(query="")), using=tuple(using), using_named=tuple(using_named)
        ),
        request=request,
    )
    return respond(reply, request)


async def _service_description(request: Request, state: ServerState) -> Response:
    accept = accept_header(request)
    offers = list(SD_MEDIA_TYPES)  # browsers get the SPARQL editor of kgtool.web
    media_type = negotiate(accept, offers)
    if media_type is None:
        raise HTTPException(406, "available: " + ", ".join(offers))
    endpoint = str(request.url.replace(query=""))
    sizes = json.loads((await state.run(GraphSizes(), request=request, cache=True)).body)
    body = service_description(endpoint, sizes, media_type, allow_update=state.config.allow_update)
    return respond(Reply(200, media_type, body, (("Vary", "Accept"),)), request)


# -- other routes -----------------------------------------------------------------------------------


async def home(request: Request) -> Response:
    """The dataset description (browsers get the home page of kgtool.web)."""
    return await _describe(request, str(DATASET_IRI))


async def queries_list(request: Request) -> Response:
    """The named queries, as JSON (browsers get the queries page of kgtool.web)."""
    from ..queries import load_queries

    queries = load_queries(server_state(request).paths.queries_dir)
    media_type = negotiate(accept_header(request, kind="listing"), [JSON])
    if media_type is None:
        raise HTTPException(406, "available: " + JSON)
    root = request.scope.get("root_path", "").rstrip("/")
    listing = [{"name": q.name, "url": f"{root}/queries/{q.name}", **q.to_dict()} for q in queries.values()]
    return Response(
        json.dumps(listing, ensure_ascii=False, indent=1).encode("utf-8"),
        media_type=JSON,
        headers={"Vary": "Accept"},
    )


async def named_query(request: Request) -> Response:
    """Run one named query with its parameters from the query string."""
    state = server_state(request)
    check_url(request, state.config.max_body)
    name = request.path_params["name"]
    params: dict[str, str] = {}
    for key in request.query_params:
        if key in FORMAT_PARAMETERS:
            continue
        values = request.query_params.getlist(key)
        if len(values) > 1:
            raise HTTPException(400, f"parameter {key!r} given {len(values)} times")
        params[key] = values[0]
    reply = await state.run(
        RunNamedQuery(
            name, tuple(sorted(params.items())), accept_header(request, kind="results"), max_rows=state.config.max_rows
        ),
        request=request,
    )
    return respond(reply, request)


async def openapi(request: Request) -> Response:
    """The OpenAPI description of the named queries (and of /sparql), for API clients and viewers."""
    from ..openapi import openapi_document
    from ..queries import load_queries

    root = str(request.base_url).rstrip("/") + request.scope.get("root_path", "").rstrip("/")
    document = openapi_document(load_queries(server_state(request).paths.queries_dir), server_url=root)
    return Response(
        json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8"),
        media_type="application/vnd.oai.openapi+json",
    )


async def context(request: Request) -> Response:
    """The published JSON-LD context."""
    return Response(CONTEXT_FILE.read_bytes(), media_type=formats.get("jsonld").media_type)


async def download(request: Request) -> Response:
    """An export of the whole graph (with its dataset description)."""
    state = server_state(request)
    name = request.path_params["name"]
    if name not in _DOWNLOADS:
        raise HTTPException(404, f"no download {name!r}; available: {', '.join(_DOWNLOADS)}")
    reply = await state.run(
        Export(_DOWNLOADS[name]), request=request, cache=True, timeout=max(state.config.timeout, 120.0)
    )
    response = respond(reply, request)
    response.headers["content-disposition"] = f'attachment; filename="{name}"'
    return response


async def well_known_void(request: Request) -> Response:
    return RedirectResponse(request.scope.get("root_path", "").rstrip("/") + "/dataset", status_code=303)


async def graph_store(request: Request) -> Response:
    """The SPARQL 1.1 Graph Store Protocol: ``?graph=IRI`` or ``?default`` (the union of all graphs)."""
    state = server_state(request)
    graphs = request.query_params.getlist("graph")
    default = "default" in request.query_params
    if len(graphs) + int(default) != 1:
        raise HTTPException(400, "name exactly one graph: ?graph=IRI or ?default")
    graph = graphs[0] if graphs else None
    if graph is not None and not is_iri(graph):
        raise HTTPException(400, f"graph: {graph!r} is not an absolute IRI")
    if request.method in ("GET", "HEAD"):
        return respond(await state.run(GraphGet(graph, accept_header(request)), request=request), request)
    check_token(request, state.config)
    data = b""
    kind = ""
    if request.method in ("PUT", "POST"):
        media_type, charset = request_media_type(request)
        if media_type is None:
            raise HTTPException(400, "a graph needs a Content-Type")
        check_charset(charset)
        kind = media_type
        data = await read_body(request, state.config.max_body, state.config.header_timeout)
    reply = await state.run(
        GraphWrite(request.method, graph, data, kind, base_iri=graph or str(request.url.replace(query=""))),
        request=request,
    )
    return respond(reply, request)


async def health(request: Request) -> Response:
    """Whether the server can answer queries: ``{"status": "ok"}`` (200) or ``{"status": "unhealthy"}``
    (503), for anyone; why, and what it serves, is for the operator (:func:`health_details`)."""
    healthy, _ = server_state(request).health()
    return _health_answer(healthy, {"status": "ok" if healthy else "unhealthy"})


async def health_details(request: Request) -> Response:
    """For the operator (from the server's own machine, or with the token): the reasons when unhealthy,
    each lane's workers (running, restarts, process ids, last error), the cache, the store and build
    served and a newer build (served after a restart)."""
    state = server_state(request)
    check_operator(request, state.config)
    healthy, info = state.health()
    return _health_answer(healthy, info)


def _health_answer(healthy: bool, info: dict[str, object]) -> Response:
    return Response(
        json.dumps(info, indent=1).encode("utf-8"),
        status_code=200 if healthy else 503,
        media_type=JSON,
        headers={"Cache-Control": "no-store"},
    )


async def _describe(request: Request, iri: str) -> Response:
    state = server_state(request)
    if not is_iri(iri):  # such as /cluster/a%3Eb: no resource can have that name
        raise HTTPException(404, "not found")
    cacheable = iri in (str(DATASET_IRI), str(ONTOLOGY_IRI), str(SHAPES_IRI))
    reply = await state.run(Describe(iri, accept_header(request)), request=request, cache=cacheable)
    response = respond(reply, request)
    # The other formats of this description, and which one this is, for programs that read headers.
    path = request.scope.get("root_path", "").rstrip("/") + request.url.path
    response.headers.update(alternate_headers(path, reply.media_type))
    return response


async def resource(request: Request) -> Response:
    """Any other IRI under the base: its RDF description (the local mapping: ``/PATH`` is ``BASE + PATH``)."""
    path = route_path(request.scope)[1:]
    if not path or "\\" in path or any(c.isspace() for c in path):
        raise HTTPException(404, "not found")
    return await _describe(request, BASE + path)
