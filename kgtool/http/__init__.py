"""The protocol layer of ``kgtool serve``: what programs get over HTTP, one module per concern.

- :mod:`~kgtool.http.config`: :class:`~kgtool.http.config.ServerConfig` and the default limits;
- :mod:`~kgtool.http.negotiation`: content negotiation and the headers naming a resource's other formats;
- :mod:`~kgtool.http.protocol`: reading SPARQL 1.1 Protocol requests;
- :mod:`~kgtool.http.router`: a path's route, to a view or (for a browser) a page of a layer above;
- :mod:`~kgtool.http.views`: one function per endpoint, answering in RDF, SPARQL results and JSON;
- :mod:`~kgtool.http.requests`: the typed requests a query worker answers, and its :class:`Reply`;
- :mod:`~kgtool.http.engine`: what a worker does with each request; :mod:`~kgtool.http.pool`: the workers;
- :mod:`~kgtool.http.source`: what each worker opens; :mod:`~kgtool.http.state`: what a running server holds;
- :mod:`~kgtool.http.describe`: what an IRI's description holds; :mod:`~kgtool.http.service_description`.

It never imports the pages (:mod:`kgtool.web`) nor the application (:mod:`kgtool.server`).
"""
