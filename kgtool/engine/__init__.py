"""What a query worker process runs: :mod:`~kgtool.engine.main` (the process: it dies with the server, opens
the store and answers requests until told to stop), :mod:`~kgtool.engine.handlers` (the ``Engine``: what it
does with each kind of request, through the library), :mod:`~kgtool.engine.describe` (what an IRI's RDF
description holds).

The pool that starts these processes, and the requests it sends them, are :mod:`kgtool.workers`, which never
imports this package: the library's own time limit (:mod:`kgtool.timelimit`) drives a pool too, and this
package uses the library.
"""
