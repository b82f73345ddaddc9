"""The query workers: processes that hold the store open and answer typed requests, so that queries run off
the server's event loop and one that runs too long can really be stopped.

- :mod:`~kgtool.workers.requests`: what a worker opens (``StoreSource``), is asked and answers (``Reply``);
- :mod:`~kgtool.workers.engine`: what a worker does with each request, and its loop;
- :mod:`~kgtool.workers.describe`: what an IRI's RDF description holds;
- :mod:`~kgtool.workers.pool`: the pool of worker processes (starting, timing out, replacing them);
- :mod:`~kgtool.workers.child`: a worker process's entry point.

They know nothing of HTTP: the protocol layer (:mod:`kgtool.http`) turns requests into these and their
replies into responses.
"""
