"""The pages for people: one async function per page, each a route of the application's one table
(:data:`kgtool.server.app.ROUTES`) beside the view that answers programs at the same address.

A page's data is computed in the server's query workers: :func:`page_data` sends a
:class:`~kgtool.workers.requests.LibraryCall` of a function of :mod:`kgtool.web.data`, and named and ad-hoc
queries run through the workers' own requests, so no query ever runs on the event loop and the server's
timeout applies. The page is rendered here, from the templates (:mod:`kgtool.web.render`).
"""

from __future__ import annotations

import json
import mimetypes
import re
from collections.abc import Callable
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from .. import formats
from ..dataset_description import DOWNLOADS
from ..format_param import HTML, negotiate
from ..http.negotiation import PLAIN, alternate_headers
from ..http.router import PassOn, route_path
from ..http.state import server_state
from ..http.views import plain_error
from ..namespaces import BASE, PREFIXES
from ..workers.requests import (
    TEXT,
    GraphSizes,
    LibraryCall,
    Reply,
    RunNamedQuery,
    SparqlQuery,
)
from . import charts, data, figures, i18n, query_text, vocabulary
from .links import curie
from .render import FIRST_QUERY, STATIC_DIR, Page, editor_installed, environment, page_lang, render, vendor_file

__all__ = [
    "PAGE_ROWS",
    "asset",
    "cluster",
    "evolution",
    "evolution_svg",
    "figure",
    "graph",
    "home",
    "http_error",
    "named_query",
    "ontology",
    "page_data",
    "queries",
    "resource",
    "search",
    "shapes",
    "sparql",
    "version",
]

#: The most rows a page shows of a query's answer (the download links give all of them).
PAGE_ROWS = 2000
#: The media type of the tables pages read (SPARQL JSON results).
_RESULTS_JSON = formats.get("json", "results").media_type
# What the generic resource page, a cluster, a version and the ontology's versions answer to (other paths are
# not pages: the view answers them).
_RESOURCE_PATH = re.compile(r"[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*")
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
_NUMBER = re.compile(r"[0-9][0-9.]*")
_QUERY_NAME = re.compile(r"[A-Za-z0-9_.-]+")


async def page_data(request: Request, function: Callable[..., dict[str, Any]], **args: str) -> dict[str, Any] | None:
    """``function(kg, **args)`` of :mod:`kgtool.web.data`, computed by a worker (and cached); None when the
    graph knows nothing of what was asked. The request's client waits for its own fair turn (as for the
    protocol's requests), and a client that goes away cancels it.

    Raises:
        HTTPException: the worker failed or timed out (the error page says so).
    """
    reply = await server_state(request).run(
        LibraryCall(function, tuple(sorted(args.items()))), request=request, cache=True
    )
    if reply.status == 404:
        return None
    if reply.status != 200:
        raise HTTPException(reply.status, reply.body.decode("utf-8", "replace"))
    return json.loads(reply.body)


async def _run(request: Request, op: Any, cache: bool = False) -> Reply:
    return await server_state(request).run(op, request=request, cache=cache)


def _described(response: Response, request: Request) -> Response:
    """A page of a resource that is also served as RDF says where its other formats are, as the RDF does."""
    if response.status_code == 200:
        path = request.scope.get("root_path", "").rstrip("/") + route_path(request.scope)
        response.headers.update(alternate_headers(path, HTML))
    return response


def not_found(request: Request) -> Response:
    return render("not_found.html", Page(request), status=404)


# -- the pages --------------------------------------------------------------------------------------


async def home(request: Request) -> Response:
    page = Page(request)
    found = await page_data(request, data.home)
    assert found is not None
    chart_list = [(c, s) for s in found["charts"] if (c := charts.line_chart(s, page.lang))]
    decided = [v for v in found["targets"] if v["ratio"] is not None]
    return render(
        "home.html",
        page,
        data=found,
        charts=chart_list,
        targets=charts.target_chart(decided, page.lang) if decided else None,
        undecided=[v for v in found["targets"] if v["ratio"] is None],
        breakdowns=[(b, charts.bar_chart(b["bars"], b["unit"], page.lang)) for b in found["breakdowns"]],
    )


async def evolution(request: Request) -> Response:
    page = Page(request)
    found = await page_data(request, data.evolution)
    assert found is not None
    return render("evolution.html", page, data=found, layout=charts.evolution_layout(found, page.lang))


async def search(request: Request) -> Response:
    text = request.query_params.get("q", "")[:200]
    found = await page_data(request, data.search, text=text) if text.strip() else None
    return render("search.html", Page(request), data=found or {"text": text, "hits": []})


async def version(request: Request) -> Response:
    number = request.path_params["number"]
    if not _NUMBER.fullmatch(number):
        return await resource(request)
    found = await page_data(request, data.version, number=number)
    if found is None:
        return not_found(request)
    return _described(render("version.html", Page(request), data=found, iri=BASE + "version/" + number), request)


async def cluster(request: Request) -> Response:
    slug = request.path_params["slug"]
    if not _SLUG.fullmatch(slug):
        return await resource(request)
    page = Page(request)
    iri = BASE + "cluster/" + slug
    found = await page_data(request, data.cluster, iri=iri)
    if found is None:
        return await resource(request)
    chart_list = [(c, s) for s in found["charts"] if (c := charts.line_chart(s, page.lang))]
    return _described(render("cluster.html", page, data=found, iri=iri, charts=chart_list), request)


async def figure(request: Request) -> Response:
    """An observation or a target: the value in words and figures with its sources beside it, the other
    values for its period, its series as a chart with it marked, and for a target whether it was met."""
    path = route_path(request.scope)[1:]
    if not _RESOURCE_PATH.fullmatch(request.path_params["slug"]):
        return await resource(request)
    page = Page(request)
    found = await page_data(request, figures.figure, iri=BASE + path)
    if found is None:
        return await resource(request)
    chart = charts.line_chart(found["series"], page.lang, highlight=BASE + path)
    return _described(render("figure.html", page, data=found, iri=BASE + path, chart=chart), request)


async def resource(request: Request) -> Response:
    """Any other resource of the graph (``/PATH`` is the IRI ``BASE + PATH``)."""
    path = route_path(request.scope)[1:]
    if not _RESOURCE_PATH.fullmatch(path):
        raise PassOn
    found = await page_data(request, data.resource, iri=BASE + path)
    if found is None:
        return not_found(request)
    return _described(render("resource.html", Page(request), data=found, iri=BASE + path), request)


async def ontology(request: Request) -> Response:
    """The ontology, at ``/def`` and at its version IRIs (``/def/0.1.0``)."""
    number = request.path_params.get("number")
    if number is not None and not _NUMBER.fullmatch(number):
        return await resource(request)
    page = Page(request)
    found = await page_data(request, data.ontology)
    assert found is not None
    return _described(
        render("ontology.html", page, data=found, diagram=charts.ontology_diagram(found, page.lang)), request
    )


async def shapes(request: Request) -> Response:
    """The SHACL shapes, documented shape by shape."""
    found = await page_data(request, vocabulary.shapes)
    assert found is not None
    return _described(render("shapes.html", Page(request), data=found), request)


async def graph(request: Request) -> Response:
    """A named graph of the store: its size, and where to get its triples."""
    iri = BASE + "graph/" + request.path_params["name"]
    sizes = json.loads((await _run(request, GraphSizes(), cache=True)).body)
    if iri not in sizes["graphs"]:
        return not_found(request)
    return render("graph.html", Page(request), iri=iri, name=iri[len(BASE) :], size=sizes["graphs"][iri])


async def endpoints(request: Request) -> Response:
    """The machine endpoints as a page, for a browser that opens ``/store`` without naming a graph or
    ``/download/`` without a file (a program gets the data, or the protocol's own answer)."""
    named = "graph" in request.query_params or "default" in request.query_params
    if request.method not in ("GET", "HEAD") or named or request.path_params.get("name"):
        raise PassOn
    sizes = json.loads((await _run(request, GraphSizes(), cache=True)).body)
    return render(
        "endpoints.html",
        Page(request),
        downloads=DOWNLOADS,
        graphs=sorted(sizes["graphs"].items()),
        union=sizes["union"],
    )


# -- the named queries and the SPARQL editor ----------------------------------------------------------


async def queries(request: Request) -> Response:
    found = await page_data(request, data.queries)
    assert found is not None
    page = Page(request)
    return render("queries.html", page, queries=[query_text.localized(q, page.lang) for q in found["queries"]])


async def named_query(request: Request) -> Response:
    """A named query as a form, and its answer as a table when the form is filled in."""
    name = request.path_params["name"]
    if not _QUERY_NAME.fullmatch(name):
        raise PassOn
    found = await page_data(request, data.queries)
    assert found is not None
    known = {q["name"]: q for q in found["queries"]}
    if name not in known:
        return not_found(request)
    page = Page(request)
    query = query_text.localized(known[name], page.lang)
    # The browser sends every field of the form: an empty one means "not given".
    given = {
        k: v for k, v in request.query_params.items() if not k.startswith("_") and k != "format" and v.strip() != ""
    }
    # Labels in the page's language unless the reader chose another (the queries' own default is English)
    for param in query["params"]:
        if param["type"] == "lang" and param["name"] not in given and page.lang != "en":
            given[param["name"]] = page.lang
    required = [p["name"] for p in query["params"] if p["required"] and p["default"] is None]
    result = error = None
    if all(name in given for name in required):
        reply = await _run(request, RunNamedQuery(name, tuple(sorted(given.items())), _RESULTS_JSON, PAGE_ROWS))
        if reply.status == 200:
            result = _table(reply, page.lang)
        else:
            error = reply.body.decode("utf-8", "replace").strip()
    return render(
        "named_query.html",
        page,
        query=query,
        given=given,
        result=result,
        error=error,
        status=400 if error else 200,
    )


async def sparql(request: Request) -> Response:
    """The SPARQL editor (YASGUI, or a plain form), and an ad-hoc query's answer as a table."""
    from ..errors import QueryError
    from ..sparql import inspect_query

    if "update" in request.query_params:
        raise PassOn
    found = await page_data(request, data.queries)
    assert found is not None
    text = request.query_params.get("query")
    result = error = None
    if text is not None and text.strip():
        try:
            info = inspect_query(text)
        except QueryError as problem:
            info, error = None, str(problem)
        if info is not None and info.uses_service:
            error = "SERVICE is not allowed: this endpoint never sends queries to other endpoints"
        elif info is not None and info.is_update:
            error = "this is an update, not a query"
        elif info is not None:
            turtle = formats.get("ttl").media_type
            reply = await _run(
                request,
                SparqlQuery(
                    text,
                    f"{_RESULTS_JSON}, {turtle};q=0.9",
                    max_rows=PAGE_ROWS,
                    base_iri=str(request.url.replace(query="")),
                ),
            )
            if reply.status != 200:
                error = reply.body.decode("utf-8", "replace").strip()
            elif reply.media_type.startswith(turtle):
                result = {"turtle": reply.body.decode("utf-8")}
            else:
                result = _table(reply, page_lang(request))
    editor = editor_installed()
    default = FIRST_QUERY.read_text(encoding="utf-8")
    return render(
        "sparql.html",
        Page(request),
        status=400 if error else 200,
        text=text or default,
        result=result,
        error=error,
        editor=editor,
        accept=f"{_RESULTS_JSON},*/*;q=0.9",  # what the editor asks its answers in
        examples=found["queries"],
        prefixes=sorted(PREFIXES.items()),
        default_query=default,
    )


def _table(reply: Reply, lang: str) -> dict[str, Any]:
    """A SPARQL JSON answer as columns (named in words) and rows of cells ready for a table, numbers and
    booleans written for ``lang``."""
    answer = json.loads(reply.body)
    truncated = any(k.lower() == "x-sparql-truncated" for k, _ in reply.headers)
    if "boolean" in answer:
        return {"boolean": answer["boolean"], "columns": [], "headings": [], "rows": [], "truncated": False}
    columns = answer["head"].get("vars", [])
    rows = []
    for binding in answer["results"]["bindings"]:
        row: list[dict[str, Any] | None] = []
        for column in columns:
            cell = binding.get(column)
            if cell is None:
                row.append(None)
            elif cell["type"] == "uri":
                iri = cell["value"]
                row.append(
                    {"iri": iri, "href": iri[len(BASE) - 1 :] if iri.startswith(BASE) else None, "text": curie(iri)}
                )
            else:
                datatype = cell.get("datatype", "")
                numeric = datatype.rsplit("#", 1)[-1] in ("integer", "decimal", "double", "float", "int", "long")
                text = cell["value"]
                if numeric:
                    text = query_text.number_text(text, lang)
                elif datatype == PREFIXES["xsd"] + "boolean" and text in ("true", "false", "1", "0"):
                    text = i18n.text("yes" if text in ("true", "1") else "no", lang)
                row.append(
                    {
                        "text": text,
                        "value": cell["value"],
                        "lang": cell.get("xml:lang"),
                        "numeric": numeric,
                        "blank": cell["type"] == "bnode",
                    }
                )
        rows.append(row)
    headings = [query_text.column_heading(c, lang) for c in columns]
    return {"columns": columns, "headings": headings, "rows": rows, "truncated": truncated, "boolean": None}


# -- assets and errors --------------------------------------------------------------------------------


async def evolution_svg(request: Request) -> Response:
    """The evolution diagram as a standalone SVG."""
    found = await page_data(request, data.evolution)
    assert found is not None
    page = Page(request)
    body = (
        environment()
        .get_template("evolution.svg")
        .render(layout=charts.evolution_layout(found, page.lang), page=page, t=page.t, lang=page.lang, standalone=True)
    )
    return Response(body.encode("utf-8"), media_type="image/svg+xml; charset=utf-8")


async def asset(request: Request) -> Response:
    """A file of ``static/``, or a vendored one under ``/static/vendor/``."""
    name = request.path_params["name"]
    if name.startswith("vendor/"):
        file = vendor_file(name[len("vendor/") :])
    else:
        file = STATIC_DIR / name
        if ".." in name or not file.resolve().is_relative_to(STATIC_DIR.resolve()) or not file.is_file():
            file = None
    if file is None:
        return Response(b"not found\n", status_code=404, media_type=TEXT)
    media_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    if media_type.startswith("text/") or media_type.endswith("javascript"):
        media_type += "; charset=utf-8"
    body = b"" if request.method == "HEAD" else file.read_bytes()
    headers = {"Cache-Control": "public, max-age=3600"}
    if request.method == "HEAD":
        headers["Content-Length"] = str(file.stat().st_size)
    return Response(body, media_type=media_type, headers=headers)


async def http_error(request: Request, exc: Exception) -> Response:
    """Every refusal and error: a page for a browser (a client whose Accept header names text/html before
    text/plain), in the page's language; plain text for a program."""
    assert isinstance(exc, HTTPException)
    accept = request.headers.get("accept", "")
    if HTML in accept and negotiate(accept, [PLAIN, HTML]) == HTML:
        headers = {"Vary": "Accept", **(exc.headers or {})}
        page = Page(request, page_lang(request))
        return render("error.html", page, status=exc.status_code, headers=headers, message=exc.detail.strip())
    return plain_error(request, exc)
