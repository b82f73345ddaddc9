"""Rendering pages: the Jinja2 templates (``templates/``, autoescaped HTML and SVG), what a template knows of
the request (:class:`Page`: its language and how to link), and the static and vendored files.

Pages are in English or Chinese: ``?_lang=zh`` (the leading underscore keeps it apart from the named
queries' own ``lang`` parameter, as datasette does).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from .. import formats
from ..dataset_description import DOWNLOADS
from ..http.router import route_path
from ..workers.requests import RESOURCE_FORMATS
from . import assets, i18n

__all__ = [
    "FIRST_QUERY",
    "LANG_PARAM",
    "STATIC_DIR",
    "VENDOR_DIR",
    "VENDOR_FILES",
    "Page",
    "compile_templates",
    "editor_installed",
    "environment",
    "render",
    "page_lang",
    "vendor_file",
]

HERE = Path(__file__).parent
STATIC_DIR = HERE / "static"
#: The query the SPARQL editor starts with (an example, served as it is at /static/first-query.rq).
FIRST_QUERY = STATIC_DIR / "first-query.rq"
#: Where the build (``hatch_build.py``) or ``python -m kgtool.web.assets`` puts the npm packages (gitignored).
VENDOR_DIR = assets.TARGET
#: The vendored files the server serves under ``/static/vendor/``, by the name in the URL.
VENDOR_FILES = {
    "yasgui.min.js": "@zazuko/yasgui/build/yasgui.min.js",
    "yasgui.min.css": "@zazuko/yasgui/build/yasgui.min.css",
}
#: The query parameter that chooses the language of a page.
LANG_PARAM = "_lang"
#: Site-absolute links and sources in the pages (every attribute value is escaped, so only the pages' own).
_SITE_LINK = re.compile(r'\b(href|action|src|data-endpoint)="/')


def editor_installed() -> bool:
    """Whether the SPARQL editor's files (YASGUI) are installed (:mod:`kgtool.web.assets`)."""
    return all(vendor_file(name) for name in VENDOR_FILES)


def vendor_file(name: str) -> Path | None:
    """The installed file of a vendored asset, or None when it was not fetched (offline build)."""
    relative = VENDOR_FILES.get(name)
    if relative is None:
        return None
    path = VENDOR_DIR / relative
    return path if path.is_file() else None


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
        # the formats a table of the pages can be downloaded in: every SPARQL results format of the registry
        table_formats=[fmt.name for fmt in formats.formats("results")],
        # the formats a resource's description is offered in, and the files of the whole graph
        resource_formats=RESOURCE_FORMATS,
        download_files=[file_name for file_name, *_ in DOWNLOADS.values()],
        certainty_word=i18n.certainty_word,
        tier_word=i18n.tier_word,
        status_word=i18n.status_word,
        qualifier_word=i18n.qualifier_word,
        kind_word=i18n.kind_word,
    )
    return env


def compile_templates() -> None:
    """Compile every template now (the server calls this as it starts, so that no visitor waits for it)."""
    env = environment()
    for name in env.list_templates(filter_func=lambda name: name.endswith((".html", ".svg"))):
        env.get_template(name)


def _format(value: Any, unit: str | None, lang: str) -> str:
    from .names import format_value

    return format_value(value, unit, lang)


def page_lang(request: Request) -> str:
    """The language a page is asked in (``?_lang=``), English by default."""
    lang = request.query_params.get(LANG_PARAM, "en")
    return lang if lang in i18n.LANGS else "en"


class Page:
    """What a template needs to know about the request: the language and how to link."""

    def __init__(self, request: Request, lang: str | None = None) -> None:
        self.request = request
        self.lang = lang or page_lang(request)
        self.path = route_path(request.scope)

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


def render(
    template: str, page: Page, status: int = 200, headers: dict[str, str] | None = None, **context: Any
) -> Response:
    """The page ``template`` rendered for ``page`` (its site-absolute links under the prefix the application
    is mounted at, if any)."""
    body = environment().get_template(template).render(page=page, t=page.t, lang=page.lang, **context)
    root = page.request.scope.get("root_path", "").rstrip("/")
    if root:  # mounted under a prefix: every site-absolute link goes under it
        body = _SITE_LINK.sub(lambda m: m.group(0)[:-1] + root + "/", body)
    return Response(
        body.encode("utf-8"),
        status_code=status,
        media_type="text/html; charset=utf-8",
        headers={"Vary": "Accept", "Content-Language": "zh-Hans" if page.lang == "zh" else "en", **(headers or {})},
    )
