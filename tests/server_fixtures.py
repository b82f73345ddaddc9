"""Running ``kgtool serve`` for tests: a real uvicorn server on 127.0.0.1 with a free port, in a thread.

Import the fixtures into a test module with ``from server_fixtures import ...`` (tests/ is on the path).
"""

from __future__ import annotations

import http.server
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from kgtool.server import ServerConfig, create_app
from kgtool.server.connections import uvicorn_config

#: How long a server may take to start (its workers open the store) before a test fails.
START_TIMEOUT = 60.0


@contextmanager
def running_server(config: ServerConfig, mount: str = "") -> Iterator[str]:
    """Run the server for ``config`` on 127.0.0.1 with a free port; yield its base URL (with ``mount``, the
    application mounted at that prefix of another one, as the docstring of kgtool.server.app shows)."""
    app = create_app(config)
    if mount:
        from starlette.applications import Starlette
        from starlette.routing import Mount

        app = Starlette(routes=[Mount(mount, app=app)], lifespan=app.router.lifespan_context)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn_config(app, config, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True, name="kgtool-test-server")
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError("the test server did not start (see the log above)")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}{mount}"
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str]

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/turtle")
        self.end_headers()
        self.wfile.write(b"<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n")

    do_POST = do_GET  # noqa: N815

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def recording_http_server() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server on 127.0.0.1 that records every request it gets: yields (base URL, hits).

    A test points FROM or SERVICE at it and checks that nothing was fetched.
    """
    hits: list[str] = []
    handler = type("Recorder", (_Recorder,), {"hits": hits})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", hits
    finally:
        httpd.shutdown()
        httpd.server_close()
