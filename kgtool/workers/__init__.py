"""The query workers, seen from the process that uses them: :mod:`~kgtool.workers.pool` (a pool of worker
processes: starting, timing out, replacing them), :mod:`~kgtool.workers.requests` (what a worker opens, is
asked and answers) and :mod:`~kgtool.workers.source` (what a worker opens for a store).

What a worker process runs is :mod:`kgtool.engine`, started by its command line, never imported here: the
server (:mod:`kgtool.http`) and the library's time limit (:mod:`kgtool.timelimit`) both drive a pool.
"""
