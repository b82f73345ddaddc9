"""What HTTP caching and compression save on ``kgtool serve``, and what Turtle with nested lists costs.

    python -m bench.http_caching                   # the built graph in the default home
    python bench/http_caching.py --home DIR --repeat 50

Starts the server on 127.0.0.1 (a free port) and prints, for a few typical answers: the bytes on the
wire without and with gzip, and the median time of a full answer and of a conditional request answered
304. Then times the Turtle writer (:mod:`kgtool.turtle`, lists as ``( ... )``) against Oxigraph's on the
whole graph, as the exports and CONSTRUCT answers use it.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import threading
import time
import urllib.parse
from pathlib import Path
from typing import cast

if __package__ in (None, ""):  # run as a script: python bench/http_caching.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

__all__ = ["measure_http", "measure_turtle", "main"]

ANSWERS = {
    "SELECT * as JSON": "/sparql?" + urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p ?o }"}),
    "Turtle dump": "/download/sz20plus8.ttl",
    "ontology page": "/def",
    "a cluster as JSON-LD": "/cluster/artificial-intelligence?format=jsonld",
}


def _median_ms(run, repeat: int) -> float:  # noqa: ANN001 - a callable
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure_http(home: Path, repeat: int) -> list[tuple[str, int, int, float, float]]:
    """(answer, bytes, gzipped bytes, median ms of a 200, median ms of a 304) for each of :data:`ANSWERS`."""
    import httpx
    import uvicorn

    from kgtool.server import ServerConfig, create_app
    from kgtool.server.connections import uvicorn_config

    config = ServerConfig(home=home)
    app = create_app(config)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn_config(app, config, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    rows = []
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{sock.getsockname()[1]}", timeout=120) as client:
            for name, url in ANSWERS.items():
                plain = client.get(url, headers={"Accept-Encoding": "identity"})
                with client.stream("GET", url, headers={"Accept-Encoding": "gzip"}) as response:
                    zipped = sum(len(chunk) for chunk in response.iter_raw())
                etag = plain.headers["etag"]
                full = _median_ms(lambda url=url: client.get(url, headers={"Accept-Encoding": "gzip"}), repeat)
                cached = _median_ms(lambda url=url, etag=etag: client.get(url, headers={"If-None-Match": etag}), repeat)
                rows.append((name, len(plain.content), zipped, full, cached))
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()
    return rows


def measure_turtle(home: Path, repeat: int) -> tuple[int, float, float]:
    """(triples, median ms of kgtool's Turtle writer (Oxigraph's, lists nested), median ms of Oxigraph's alone)
    on the whole graph."""
    import pyoxigraph as ox

    import kgtool
    from kgtool import formats
    from kgtool.namespaces import PREFIXES
    from kgtool.statements import SortedStatements
    from kgtool.stores.oxigraph import OxigraphStore

    with kgtool.open("oxigraph", home=home) as kg:
        triples = sorted({q.triple for q in cast(OxigraphStore, kg.store).native}, key=str)
    turtle = formats.get("ttl")
    ready = SortedStatements.of(triples, canonical=False)
    ours = _median_ms(lambda: turtle.write(ready, prefixes=PREFIXES), repeat)
    oxigraph = _median_ms(lambda: ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES), repeat)
    return len(triples), ours, oxigraph


def main(argv: list[str] | None = None) -> int:
    from kgtool.paths import data_home

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=None, help="where the built store is (default: kgtool's)")
    parser.add_argument("--repeat", type=int, default=20, help="runs per timing (the median is printed)")
    args = parser.parse_args(argv)
    home = args.home or data_home()
    print(f"{'answer':<22} {'bytes':>10} {'gzip':>9} {'ratio':>6} {'200 ms':>8} {'304 ms':>8}")
    for name, size, zipped, full, cached in measure_http(home, args.repeat):
        print(f"{name:<22} {size:>10} {zipped:>9} {size / max(zipped, 1):>5.1f}x {full:>8.2f} {cached:>8.2f}")
    count, ours, oxigraph = measure_turtle(home, max(1, args.repeat // 4))
    print(
        f"\nTurtle for {count} triples: kgtool's writer {ours:.1f} ms (Oxigraph's, lists nested), "
        f"Oxigraph's alone {oxigraph:.1f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
