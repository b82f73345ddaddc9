"""The pages of ``kgtool serve`` for people: an ASGI middleware in front of the server that answers the
requests of browsers (those that prefer HTML to the route's other formats) with pages rendered from
Jinja2 templates, and serves the static assets; every other request goes on to the server unchanged.

The page data is computed in the server's query workers (the worker operation ``web`` calls
:func:`kgtool.web.data.page_data`), named and ad-hoc queries run through the workers' own operations,
so no query ever runs on the event loop. Pages are in English or Chinese: ``?_lang=zh`` (the leading
underscore keeps it apart from the named queries' own ``lang`` parameter, as datasette does).
"""

from __future__ import annotations

import json
import mimetypes
import re
from collections.abc import Awaitable, Callable
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from .. import formats
from ..namespaces import BASE, PREFIXES
from ..server.protocol import RESOURCE_MEDIA_TYPES, alternate_headers, negotiate
from . import charts, i18n

__all__ = ["WebPages", "environment", "VENDOR_DIR", "STATIC_DIR", "vendor_file", "LANG_PARAM"]

HERE = Path(__file__).parent
STATIC_DIR = HERE / "static"
#: Where ``scripts/fetch-web-assets`` installs the npm packages (gitignored).
VENDOR_DIR = HERE / "vendor" / "node_modules"
#: The vendored files the server serves under ``/static/vendor/``, by the name in the URL.
VENDOR_FILES = {
    "yasgui.min.js": "@zazuko/yasgui/build/yasgui.min.js",
    "yasgui.min.css": "@zazuko/yasgui/build/yasgui.min.css",
}
#: The query parameter that chooses the language of a page.
LANG_PARAM = "_lang"
#: The most rows a page shows of a query's answer (the download links give all of them).
PAGE_ROWS = 2000

# The media types of answers the server gives itself (kgtool.formats): the results formats and application/json,
# not the XML aliases, which browsers list in their Accept header for pages.
_RESULTS = [*formats.media_types("results"), *formats.get("json", "results").media_aliases]
_RDF = list(RESOURCE_MEDIA_TYPES)
#: Paths the server answers itself, whatever the client accepts.
_NOT_PAGES = re.compile(r"^/(store|download/|context\.jsonld|\.well-known/|graph/|shapes)")

Run = Callable[..., Awaitable[Any]]
#: Site-absolute links and sources in the pages (every attribute value is escaped, so only the pages' own).
_SITE_LINK = re.compile(r'\b(href|action|src|data-endpoint)="/')
_TEXT = "text/plain; charset=utf-8"


def _route_path(scope: Scope) -> str:
    """The request's path within the application (without the prefix it is mounted at)."""
    path, root = scope["path"], scope.get("root_path", "")
    return (path[len(root) :] or "/") if root and path.startswith(root) else path


def vendor_file(name: str) -> Path | None:
    """The installed file of a vendored asset, or None when ``npm ci`` has not been run."""
    relative = VENDOR_FILES.get(name)
    if relative is None:
        return None
    path = VENDOR_DIR / relative
    return path if path.is_file() else None


# -- templates --------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def environment() -> Any:
    """The Jinja2 environment of the pages (autoescaped HTML and SVG)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(HERE / "templates")),
        autoescape=jinja2.select_autoescape(["html", "svg"], default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["ucfirst"] = lambda text: text[:1].upper() + text[1:]
    env.filters["fmt"] = lambda value, unit, lang: _format(value, unit, lang)
    env.globals.update(
        change_word=i18n.change_word,
        certainty_word=i18n.certainty_word,
        tier_word=i18n.tier_word,
        status_word=i18n.status_word,
        colours=charts.CHANGE_COLOURS,
    )
    return env


def _format(value: Any, unit: str | None, lang: str) -> str:
    from .data import format_value

    return format_value(value, unit, lang)


class Page:
    """What a template needs to know about the request: the language and how to link."""

    def __init__(self, request: Request, lang: str) -> None:
        self.request = request
        self.lang = lang
        self.path = _route_path(request.scope)

    def t(self, key: str) -> str:
        return i18n.text(key, self.lang)

    def name(self, node: dict[str, Any] | None) -> str:
        """A node's name in the page's language (the other language when it has none)."""
        if not node:
            return ""
        return node.get(self.lang) or node.get("en") or node.get("zh") or node.get("iri", "")

    def other(self, node: dict[str, Any] | None) -> str:
        """The node's name in the other language, when it differs."""
        if not node:
            return ""
        other = node.get("en" if self.lang == "zh" else "zh")
        return other if other and other != self.name(node) else ""

    def link(self, href: str, **params: str) -> str:
        """A local link that keeps the page's language (external links are left alone)."""
        if not href.startswith("/"):
            return href
        path, hash_, fragment = href.partition("#")
        query = {k: v for k, v in params.items() if v not in (None, "")}
        if self.lang != "en":
            query[LANG_PARAM] = self.lang
        if query:
            path += ("&" if "?" in path else "?") + urlencode(query)
        return path + hash_ + fragment

    def switch(self, lang: str) -> str:
        """This page's address in another language."""
        params = [(k, v) for k, v in self.request.query_params.multi_items() if k != LANG_PARAM]
        if lang != "en":
            params.append((LANG_PARAM, lang))
        return self.path + ("?" + urlencode(params) if params else "")


def render(template: str, page: Page, status: int = 200, **context: Any) -> Response:
    body = environment().get_template(template).render(page=page, t=page.t, lang=page.lang, **context)
    root = page.request.scope.get("root_path", "").rstrip("/")
    if root:  # mounted under a prefix: every site-absolute link goes under it
        body = _SITE_LINK.sub(lambda m: m.group(0)[:-1] + root + "/", body)
    return Response(
        body.encode("utf-8"),
        status_code=status,
        media_type="text/html; charset=utf-8",
        headers={"Vary": "Accept", "Content-Language": "zh-Hans" if page.lang == "zh" else "en"},
    )


# -- the middleware ---------------------------------------------------------------------------------


class WebPages:
    """Answer browsers' page requests from :mod:`kgtool.web`; pass everything else to ``app``.

    Args:
        app: the server application.
        run: the server's way to run a worker operation: ``await run(op, cache=..., **args)`` returning a
            reply with ``status``, ``media_type``, ``body`` and ``headers``.
    """

    def __init__(self, app: ASGIApp, run: Run) -> None:
        self.app = app
        self.run = run
        self.routes: list[tuple[re.Pattern[str], list[str], Callable[..., Awaitable[Response]]]] = [
            (re.compile(r"^/$"), ["text/html", "text/turtle", "application/ld+json"], self.home),
            (re.compile(r"^/evolution$"), ["text/html"], self.evolution),
            (re.compile(r"^/search$"), ["text/html"], self.search),
            (re.compile(r"^/sparql/?$"), [], self.sparql),
            (re.compile(r"^/queries$"), ["application/json", "text/html"], self.queries),
            (re.compile(r"^/queries/(?P<name>[A-Za-z0-9_.-]+)$"), [*_RESULTS, "text/html"], self.named_query),
            (re.compile(r"^/def(/[0-9][0-9.]*)?$"), [_RDF[0], "text/html", *_RDF[1:]], self.ontology),  # and versions
            (re.compile(r"^/version/(?P<number>[0-9][0-9.]*)$"), [_RDF[0], "text/html", *_RDF[1:]], self.version),
            (re.compile(r"^/cluster/(?P<slug>[a-z0-9][a-z0-9-]*)$"), [_RDF[0], "text/html", *_RDF[1:]], self.cluster),
            (
                re.compile(r"^/(?P<path>[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*)$"),
                [_RDF[0], "text/html", *_RDF[1:]],
                self.resource,
            ),
        ]

        #: The pages of a resource that is also served as RDF.
        self._descriptions = (self.ontology, self.version, self.cluster, self.resource)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        path = _route_path(scope)
        request = Request(scope)
        if path.startswith("/static/") or path == "/evolution.svg":
            try:
                response = await self.asset(request, path)
            except _Failed as error:
                response = Response(error.message.encode("utf-8"), status_code=error.status, media_type=_TEXT)
            await response(scope, receive, send)
            return
        for pattern, offers, handler in self.routes:
            match = pattern.match(path)
            if match is None:
                continue
            if _NOT_PAGES.match(path) or not self._wants_html(request, handler, offers):
                break
            page = Page(request, _lang(request))
            try:
                response = await handler(request, page, **match.groupdict())
            except _PassOn:
                break
            except _Failed as error:  # a worker timed out or died: say so on a page
                response = render("error.html", page, status=error.status, message=error.message)
            if response.status_code == 200 and handler in self._descriptions:
                # as for the RDF answers: where the other formats of this page's resource are
                response.headers.update(alternate_headers(scope.get("root_path", "").rstrip("/") + path, "text/html"))
            if scope["method"] == "HEAD":
                response.body = b""
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _wants_html(self, request: Request, handler: Callable[..., Any], offers: list[str]) -> bool:
        formats = request.query_params.getlist("format")
        if formats:
            return formats[-1] == "html"
        accept = request.headers.get("accept", "*/*")
        if handler == self.sparql:
            asks = "query" in request.query_params or "update" in request.query_params
            offers = [*_RESULTS, *_RDF, "text/html"] if asks else [_RDF[0], "text/html", *_RDF[1:]]
        return negotiate(accept, offers) == "text/html"

    async def data(self, page: str, **args: Any) -> dict[str, Any] | None:
        """The data of a page from a worker; None when the graph knows nothing of it."""
        from ..server.workers import WebPage

        reply = await self._run(WebPage(page, tuple(sorted(args.items()))), cache=True)
        if reply.status == 404:
            return None
        if reply.status != 200:
            raise _Failed(reply.status, reply.body.decode("utf-8", "replace"))
        return json.loads(reply.body)

    async def _run(self, op: Any, cache: bool = False) -> Any:
        from starlette.exceptions import HTTPException

        try:
            return await self.run(op, cache=cache)
        except HTTPException as error:  # no worker answered in time (503), or one died
            raise _Failed(error.status_code, error.detail) from None

    # -- pages

    async def home(self, request: Request, page: Page) -> Response:
        data = await self.data("home")
        assert data is not None
        chart_list = [c for c in (charts.line_chart(s, page.lang) for s in data["charts"]) if c]
        return render("home.html", page, data=data, charts=list(zip(chart_list, data["charts"], strict=False)))

    async def evolution(self, request: Request, page: Page) -> Response:
        data = await self.data("evolution")
        assert data is not None
        return render("evolution.html", page, data=data, layout=charts.evolution_layout(data, page.lang))

    async def search(self, request: Request, page: Page) -> Response:
        text = request.query_params.get("q", "")[:200]
        data = await self.data("search", text=text) if text.strip() else {"text": text, "hits": []}
        return render("search.html", page, data=data or {"text": text, "hits": []})

    async def version(self, request: Request, page: Page, number: str) -> Response:
        data = await self.data("version", number=number)
        if data is None:
            return await self.not_found(request, page)
        return render("version.html", page, data=data, iri=BASE + "version/" + number)

    async def cluster(self, request: Request, page: Page, slug: str) -> Response:
        iri = BASE + "cluster/" + slug
        data = await self.data("cluster", iri=iri)
        if data is None:
            return await self.resource(request, page, "cluster/" + slug)
        chart_list = [(c, s) for s in data["charts"] if (c := charts.line_chart(s, page.lang))]
        return render("cluster.html", page, data=data, iri=iri, charts=chart_list)

    async def resource(self, request: Request, page: Page, path: str) -> Response:
        data = await self.data("resource", iri=BASE + path)
        if data is None:
            return await self.not_found(request, page)
        return render("resource.html", page, data=data, iri=BASE + path)

    async def ontology(self, request: Request, page: Page) -> Response:
        data = await self.data("ontology")
        assert data is not None
        return render("ontology.html", page, data=data, diagram=charts.ontology_diagram(data, page.lang))

    async def not_found(self, request: Request, page: Page) -> Response:
        return render("not_found.html", page, status=404)

    async def queries(self, request: Request, page: Page) -> Response:
        data = await self.data("queries")
        assert data is not None
        return render("queries.html", page, queries=data["queries"])

    async def named_query(self, request: Request, page: Page, name: str) -> Response:
        data = await self.data("queries")
        assert data is not None
        known = {q["name"]: q for q in data["queries"]}
        if name not in known:
            return await self.not_found(request, page)
        query = known[name]
        # The browser sends every field of the form: an empty one means "not given".
        given = {
            k: v for k, v in request.query_params.items() if not k.startswith("_") and k != "format" and v.strip() != ""
        }
        required = [p["name"] for p in query["params"] if p["required"] and p["default"] is None]
        result = error = None
        if all(name in given for name in required):
            from ..server.workers import NamedQuery

            reply = await self._run(NamedQuery(name, tuple(sorted(given.items())), _RESULTS[0], PAGE_ROWS))
            if reply.status == 200:
                result = _table(reply)
            else:
                error = reply.body.decode("utf-8", "replace").strip()
        downloads = [
            (fmt, f"/queries/{name}?" + urlencode({**given, "format": fmt})) for fmt in ("csv", "tsv", "json", "xml")
        ]
        return render(
            "named_query.html",
            page,
            query=query,
            given=given,
            result=result,
            error=error,
            downloads=downloads,
            status=400 if error else 200,
        )

    async def sparql(self, request: Request, page: Page) -> Response:
        from ..errors import QueryError
        from ..sparql import inspect_query

        data = await self.data("queries")
        assert data is not None
        text = request.query_params.get("query")
        result = error = None
        if "update" in request.query_params:
            raise _PassOn
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
                from ..server.workers import SparqlQuery

                reply = await self._run(
                    SparqlQuery(
                        text,
                        f"{_RESULTS[0]}, text/turtle;q=0.9",
                        max_rows=PAGE_ROWS,
                        base_iri=str(request.url.replace(query="")),
                    )
                )
                if reply.status != 200:
                    error = reply.body.decode("utf-8", "replace").strip()
                elif reply.media_type.startswith("text/turtle"):
                    result = {"turtle": reply.body.decode("utf-8")}
                else:
                    result = _table(reply)
        editor = all(vendor_file(n) for n in VENDOR_FILES)
        prefixes = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(PREFIXES.items()) if p in _EDITOR_PREFIXES)
        default = prefixes + _DEFAULT_QUERY
        return render(
            "sparql.html",
            page,
            status=400 if error else 200,
            text=text or default,
            result=result,
            error=error,
            editor=editor,
            examples=data["queries"],
            prefixes=sorted(PREFIXES.items()),
            default_query=default,
        )

    # -- assets

    async def asset(self, request: Request, path: str) -> Response:
        if path == "/evolution.svg":
            data = await self.data("evolution")
            assert data is not None
            lang = _lang(request)
            page = Page(request, lang)
            body = (
                environment()
                .get_template("evolution.svg")
                .render(layout=charts.evolution_layout(data, lang), page=page, t=page.t, lang=lang, standalone=True)
            )
            return Response(body.encode("utf-8"), media_type="image/svg+xml; charset=utf-8")
        name = path[len("/static/") :]
        if name.startswith("vendor/"):
            file = vendor_file(name[len("vendor/") :])
        else:
            file = STATIC_DIR / name
            if ".." in name or not file.resolve().is_relative_to(STATIC_DIR.resolve()) or not file.is_file():
                file = None
        if file is None:
            return Response(b"not found\n", status_code=404, media_type="text/plain; charset=utf-8")
        media_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if media_type.startswith("text/") or media_type.endswith("javascript"):
            media_type += "; charset=utf-8"
        body = b"" if request.method == "HEAD" else file.read_bytes()
        headers = {"Cache-Control": "public, max-age=3600"}
        if request.method == "HEAD":
            headers["Content-Length"] = str(file.stat().st_size)
        return Response(body, media_type=media_type, headers=headers)


_EDITOR_PREFIXES = {"sz", "skos", "rdfs", "xkos", "prov", "dcterms", "cluster", "version", "measure"}
_DEFAULT_QUERY = """
# The strategic emerging industry clusters of version 2.0 in the official order, with both names
SELECT ?position ?cluster ?en ?zh WHERE {
  ?m a sz:Membership ; sz:version version:2.0 ; sz:cluster ?cluster ; sz:position ?position .
  ?cluster a sz:StrategicEmergingIndustryCluster .
  ?cluster skos:prefLabel ?en , ?zh .
  FILTER(LANG(?en) = "en" && LANG(?zh) = "zh")
} ORDER BY ?position
"""


class _PassOn(Exception):
    """The request is not a page after all: let the server answer it."""


class _Failed(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _lang(request: Request) -> str:
    lang = request.query_params.get(LANG_PARAM, "en")
    return lang if lang in i18n.LANGS else "en"


def _table(reply: Any) -> dict[str, Any]:
    """A SPARQL JSON answer as columns and rows of cells ready for a table."""
    answer = json.loads(reply.body)
    truncated = any(k.lower() == "x-sparql-truncated" for k, _ in reply.headers)
    if "boolean" in answer:
        return {"boolean": answer["boolean"], "columns": [], "rows": [], "truncated": False}
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
                    {"iri": iri, "href": iri[len(BASE) - 1 :] if iri.startswith(BASE) else None, "text": _compact(iri)}
                )
            else:
                datatype = cell.get("datatype", "")
                numeric = datatype.rsplit("#", 1)[-1] in ("integer", "decimal", "double", "float", "int", "long")
                row.append(
                    {
                        "text": cell["value"],
                        "lang": cell.get("xml:lang"),
                        "numeric": numeric,
                        "blank": cell["type"] == "bnode",
                    }
                )
        rows.append(row)
    return {"columns": columns, "rows": rows, "truncated": truncated, "boolean": None}


def _compact(iri: str) -> str:
    from ..server.pages import curie

    return curie(iri)
