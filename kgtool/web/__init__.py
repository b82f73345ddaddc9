"""Pages for people: the home page, the evolution of the 20+8 system, versions, clusters, every other
resource, a SPARQL editor, the named queries as forms, the ontology and the shapes, in English and Chinese.

:mod:`kgtool.web.pages` has one function per page (routes of :data:`kgtool.server.app.ROUTES`);
:mod:`kgtool.web.data` reads what each page shows through :class:`kgtool.KnowledgeGraph`;
:mod:`kgtool.web.charts` lays out the SVG charts and diagrams; :mod:`kgtool.web.render` renders the Jinja2
templates (``templates/``) and finds ``static/`` and the vendored editor (``vendor/``, fetched by
:mod:`kgtool.web.assets`).
The pages use the protocol layer (:mod:`kgtool.http`), never the other way round.
"""
