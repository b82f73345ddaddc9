"""Pages for people: the home page, the evolution of the 20+8 system, versions, clusters, every other
resource, a SPARQL editor, the named queries as forms and the ontology, in English and Chinese.

:mod:`kgtool.web.data` reads what each page shows through :class:`kgtool.KnowledgeGraph`;
:mod:`kgtool.web.charts` lays out the SVG charts and diagrams; :mod:`kgtool.web.app` is the ASGI
middleware that ``kgtool serve`` puts in front of its routes, rendering Jinja2 templates
(``templates/``) and serving ``static/`` and the vendored editor (``vendor/``, fetched by npm).
"""

from __future__ import annotations

from .app import WebPages

__all__ = ["WebPages"]
