"""The protocol layer of ``kgtool serve``: what programs get over HTTP, one module per concern.

- :mod:`~kgtool.http.config`: :class:`~kgtool.http.config.ServerConfig` and the default limits;
- :mod:`~kgtool.http.negotiation`: content negotiation and the headers naming a resource's other formats;
- :mod:`~kgtool.http.protocol`: reading SPARQL 1.1 Protocol requests;
- :mod:`~kgtool.http.router`: a path's route, to a view or (for a browser) a page of a layer above;
- :mod:`~kgtool.http.views`: one function per endpoint, answering in RDF, SPARQL results and JSON;
- :mod:`~kgtool.http.source`: what the server's workers open; :mod:`~kgtool.http.state`: what a running server
  holds (its worker lanes, the cache of answers, the build it serves);
- :mod:`~kgtool.http.service_description`: the SPARQL service description.

Queries run in the query workers (:mod:`kgtool.workers`), which know nothing of HTTP. This layer never
imports the pages (:mod:`kgtool.web`) nor the application (:mod:`kgtool.server`).
"""
