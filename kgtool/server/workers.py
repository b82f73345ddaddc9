"""The server's query workers: a small pool of processes, each holding the store open, so that queries
run off the event loop and a query that runs too long can really be stopped.

pyoxigraph has no query timeout and a thread cannot be killed, so each query runs in a worker process
(a fresh ``python`` running :func:`worker_main`, talking over a socket pair; it never re-imports the
caller's ``__main__`` as ``multiprocessing``'s spawn would). The server sends it a request and waits at
most the timeout; a worker that has not answered by then is killed and replaced, the request is
answered with an error, and the other workers go on serving. A worker that dies is replaced the same way.

Each worker opens the store once: the built Oxigraph store read-only (any number of workers), or an
N-Quads file loaded into memory, or, when SPARQL Update is enabled, one writable on-disk store (one
worker only, as Oxigraph allows one writer).

What a worker can be asked is a small set of typed requests (:data:`Operation`: :class:`SparqlQuery`,
:class:`Describe`, ...), each answered by the :class:`Engine` method the table :data:`HANDLERS` names.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..format_param import Answer, canonical, with_aliases
from .protocol import RESOURCE_MEDIA_TYPES, TEXT, negotiate

if TYPE_CHECKING:
    from .config import ServerConfig

__all__ = [
    "StoreSource",
    "Reply",
    "Operation",
    "SparqlQuery",
    "SparqlUpdate",
    "NamedQuery",
    "GraphSizes",
    "Describe",
    "Export",
    "GraphGet",
    "GraphWrite",
    "WebPage",
    "HANDLERS",
    "WorkerPool",
    "WorkerError",
    "WorkerTimeout",
    "WorkerBusy",
    "prepare_source",
]

log = logging.getLogger("kgtool.server")

_HTML = "text/html"


@dataclass(frozen=True)
class StoreSource:
    """What each worker opens: an on-disk Oxigraph store (``path``), or an N-Quads file loaded into
    memory (``nquads``); ``writable`` for a store SPARQL Update may change. ``project_root`` is where
    ``queries/`` is (default: the project's own)."""

    path: str | None = None
    nquads: str | None = None
    writable: bool = False
    project_root: str | None = None


@dataclass(frozen=True)
class Reply:
    """An answer ready to send: status, media type, body and extra headers."""

    status: int
    media_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = field(default=())


def _text(status: int, message: str, headers: tuple[tuple[str, str], ...] = ()) -> Reply:
    return Reply(status, TEXT, (message.rstrip() + "\n").encode("utf-8"), headers)


# -- what a worker can be asked --------------------------------------------------------------------


@dataclass(frozen=True)
class SparqlQuery:
    """Run a SPARQL query; answer in the media type ``accept`` prefers."""

    text: str
    accept: str | None
    default_graph: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    max_rows: int | None = None
    base_iri: str | None = None


@dataclass(frozen=True)
class SparqlUpdate:
    """Run a SPARQL Update (with the protocol's ``using-graph-uri`` and ``using-named-graph-uri``)."""

    text: str
    base_iri: str | None = None
    using: tuple[str, ...] = ()
    using_named: tuple[str, ...] = ()


@dataclass(frozen=True)
class NamedQuery:
    """Run a named query of ``queries/`` with its parameters, checked and bound as ``kgtool query`` does."""

    name: str
    params: tuple[tuple[str, str], ...]
    accept: str | None
    max_rows: int | None = None


@dataclass(frozen=True)
class GraphSizes:
    """The named graphs and their sizes, as JSON (for the service description)."""


@dataclass(frozen=True)
class Describe:
    """What the server answers for an IRI: its description as RDF, or its page."""

    iri: str
    accept: str | None


@dataclass(frozen=True)
class Export:
    """The whole graph in an export format (the bytes ``kgtool export`` writes)."""

    fmt: str


@dataclass(frozen=True)
class GraphGet:
    """Graph Store Protocol GET: a named graph, or the union default graph (``graph`` None)."""

    graph: str | None
    accept: str | None


@dataclass(frozen=True)
class GraphWrite:
    """Graph Store Protocol PUT, POST or DELETE of a graph."""

    method: str
    graph: str | None
    data: bytes
    media_type: str
    base_iri: str | None = None


@dataclass(frozen=True)
class WebPage:
    """The data of a page of :mod:`kgtool.web` (:func:`kgtool.web.data.page_data`), as JSON."""

    page: str
    args: tuple[tuple[str, str], ...] = ()


#: Everything a worker can be asked (each is answered by the :class:`Engine` method :data:`HANDLERS` names).
Operation = (SparqlQuery | SparqlUpdate | NamedQuery | GraphSizes | Describe | Export | GraphGet | GraphWrite
             | WebPage)
#: Operations that change the store (the server forgets its cached answers after one).
WRITES = (SparqlUpdate, GraphWrite)


# -- the worker side --------------------------------------------------------------------------------


class Engine:
    """What a worker process holds (the open store) and does (each request kind is a method)."""

    def __init__(self, source: StoreSource) -> None:
        import pyoxigraph as ox

        from ..paths import ProjectPaths, project_paths
        from ..stores.oxigraph import OxigraphStore

        if source.nquads is not None:
            self.store = OxigraphStore()
            self.store.native.load(path=source.nquads, format=ox.RdfFormat.N_QUADS)
        else:
            self.store = OxigraphStore(source.path, writable=source.writable)
        self.native = self.store.native
        self.paths = ProjectPaths(Path(source.project_root)) if source.project_root else project_paths()
        self._shapes_triples: list | None = None

    def handle(self, op: Operation) -> Reply:
        """Answer one request; a bad parameter or query is 400, an unknown name 404."""
        from ..errors import ParameterError, QueryError, UsageError

        try:
            return HANDLERS[type(op)](self, op)
        except ParameterError as error:
            return _text(400, str(error))
        except UsageError as error:
            return _text(404, str(error))
        except QueryError as error:
            return _text(400, str(error))

    @staticmethod
    def _no_match(offers: tuple[str, ...] | list[str]) -> Reply:
        return _text(406, "none of the media types asked for is available; available: " + ", ".join(offers),
                     (("Vary", "Accept"),))

    # -- SPARQL

    def sparql(self, op: SparqlQuery) -> Reply:
        from ..namespaces import QUERY_PREFIXES
        from ..sparql import inspect_query
        from ..stores.base import BOOLEAN_MEDIA_TYPES, GRAPH_MEDIA_TYPES, RESULTS_MEDIA_TYPES

        info = inspect_query(op.text)
        offers = (GRAPH_MEDIA_TYPES if info.returns_graph
                  else BOOLEAN_MEDIA_TYPES if info.form == "ASK" else RESULTS_MEDIA_TYPES)
        kind: Answer = "graph" if info.returns_graph else "results"
        media_type = negotiate(op.accept, with_aliases(offers, kind))
        if media_type is None:
            return self._no_match(offers)
        media_type = canonical(media_type, kind)
        result = self.store.serialize_query(
            op.text, media_type, default_graph=list(op.default_graph) if op.default_graph else None,
            named_graphs=list(op.named_graphs) if op.named_graphs else None, max_rows=op.max_rows,
            base_iri=op.base_iri, prefixes=QUERY_PREFIXES)
        headers: list[tuple[str, str]] = [("Vary", "Accept")]
        if result.truncated:
            headers += [("X-SPARQL-MaxRows", str(op.max_rows)), ("X-SPARQL-Truncated", "true")]
        return Reply(200, result.media_type, result.body, tuple(headers))

    def update(self, op: SparqlUpdate) -> Reply:
        from ..namespaces import QUERY_PREFIXES
        from .protocol import add_using

        self.store.update(add_using(op.text, list(op.using), list(op.using_named)), base_iri=op.base_iri,
                          prefixes=QUERY_PREFIXES)
        return Reply(204, TEXT, b"")

    def named_query(self, op: NamedQuery) -> Reply:
        from ..graph import KnowledgeGraph

        kg = KnowledgeGraph(self.store, self.paths)
        named = kg.named_query(op.name)
        values = named.check_params(dict(op.params))
        terms = {key: kg.resolve(named.param(key), value, op.name) for key, value in values.items()}
        return self.sparql(SparqlQuery(named.bind(terms), op.accept, max_rows=op.max_rows))

    def graph_sizes(self, op: GraphSizes) -> Reply:
        """The named graphs and their sizes, as JSON (for the service description)."""
        graphs = {}
        for graph in self.native.named_graphs():
            name = getattr(graph, "value", None)
            if name is not None:
                graphs[name] = sum(1 for _ in self.native.quads_for_pattern(None, None, None, graph))
        union = len({str(q.triple) for q in self.native})
        answer = {"graphs": graphs, "union": union}
        return Reply(200, "application/json", json.dumps(answer, sort_keys=True).encode("utf-8"))

    # -- linked data

    def _shapes(self) -> list:
        """The SHACL shapes graph (``ontology/shapes.ttl``), which is not in the store."""
        if self._shapes_triples is None:
            import pyoxigraph as ox

            path = self.paths.shapes_file
            # Canonical blank node labels (RDFC-1.0): every worker, and every run, names them the same.
            parsed = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE) if path.is_file() else ()
            dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in parsed)
            dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
            self._shapes_triples = sorted((q.triple for q in dataset), key=str)
        return self._shapes_triples

    def describe(self, op: Describe) -> Reply:
        import pyoxigraph as ox

        from ..namespaces import ONTOLOGY_IRI
        from ..stores.oxigraph import serialize_triples
        from . import describe as ld
        from . import pages

        iri = op.iri
        offers = (RESOURCE_MEDIA_TYPES[0], _HTML, *RESOURCE_MEDIA_TYPES[1:])
        media_type = negotiate(op.accept, with_aliases(offers, "graph"))  # application/json: JSON-LD
        if media_type is None:
            return self._no_match(offers)
        media_type = canonical(media_type, "graph")
        version_iris = {t.object.value for t in ld.triples_matching(
            self.native, ox.NamedNode(str(ONTOLOGY_IRI)), ox.NamedNode("http://www.w3.org/2002/07/owl#versionIRI"))
            if isinstance(t.object, ox.NamedNode)}
        ontology = iri == str(ONTOLOGY_IRI) or iri in version_iris
        shapes = iri == pages.SHAPES_IRI
        incoming: list = []
        if ontology:
            triples = ld.ontology_triples(self.native)
        elif shapes:
            triples = self._shapes()
        elif self.native.contains_named_graph(ox.NamedNode(iri)):
            graph = ox.NamedNode(iri)
            triples = ld.triples_matching(self.native, graph=graph)
            if media_type == _HTML:
                body = pages.render_graph(iri, len(triples))
                return Reply(200, "text/html; charset=utf-8", body.encode("utf-8"), (("Vary", "Accept"),))
        else:
            triples = ld.resource_description(self.native, iri)
            if media_type == _HTML or not triples:
                incoming = ld.incoming_links(self.native, iri)
        if not triples and not incoming:
            return _text(404, f"nothing is known about <{iri}>", (("Vary", "Accept"),))
        headers = (("Vary", "Accept"),)
        if media_type != _HTML:
            return Reply(200, media_type, serialize_triples(triples or incoming, media_type), headers)
        names = set()
        for t in [*triples, *incoming]:
            for term in (t.subject, t.predicate, t.object):
                if isinstance(term, ox.NamedNode):
                    names.add(term.value)
        extra = triples if shapes else ()
        labels = ld.labels_for(self.native, names, extra or ())
        if shapes:
            body = pages.render_ontology(triples, labels, iri=iri, namespace=pages.SHAPES_IRI + "#", prefix="szsh",
                                      kinds=pages.SHAPE_KINDS, others="Other", path="/shapes")
        elif ontology:
            body = pages.render_ontology(triples, labels)
        else:
            body = pages.render_resource(iri, triples, incoming, labels)
        return Reply(200, "text/html; charset=utf-8", body.encode("utf-8"), headers)

    def web_page(self, op: WebPage) -> Reply:
        """The data of a page of :mod:`kgtool.web`, as JSON (computed through :class:`~kgtool.KnowledgeGraph`)."""
        from ..graph import KnowledgeGraph
        from ..web.data import page_data

        data = page_data(KnowledgeGraph(self.store, self.paths), op.page, dict(op.args))
        return Reply(200, "application/json", json.dumps(data, ensure_ascii=False).encode("utf-8"))

    # -- exports and the graph store

    def export(self, op: Export) -> Reply:
        from .. import formats
        from ..export import export_dataset

        return Reply(200, formats.get(op.fmt).media_type, export_dataset(self.store.dataset(), op.fmt))

    def graph_get(self, op: GraphGet) -> Reply:
        import pyoxigraph as ox

        from ..stores.base import GRAPH_MEDIA_TYPES
        from ..stores.oxigraph import serialize_triples

        graph = op.graph
        media_type = negotiate(op.accept, with_aliases(GRAPH_MEDIA_TYPES, "graph"))
        if media_type is None:
            return self._no_match(GRAPH_MEDIA_TYPES)
        media_type = canonical(media_type, "graph")
        if graph is None:
            quads = self.native.quads_for_pattern(None, None, None, None)  # the union default graph
        else:
            name = ox.NamedNode(graph)
            if not self.native.contains_named_graph(name):
                return _text(404, f"no graph <{graph}>")
            quads = self.native.quads_for_pattern(None, None, None, name)
        triples = {str(q.triple): q.triple for q in quads}
        body = serialize_triples([triples[k] for k in sorted(triples)], media_type)
        return Reply(200, media_type, body, (("Vary", "Accept"),))

    def graph_write(self, op: GraphWrite) -> Reply:
        import pyoxigraph as ox

        method, graph, media_type = op.method, op.graph, op.media_type

        target = ox.DefaultGraph() if graph is None else ox.NamedNode(graph)
        existed = graph is None or self.native.contains_named_graph(target)
        if method == "DELETE":
            if not existed:
                return _text(404, f"no graph <{graph}>")
            if graph is None:
                self.native.clear_graph(target)
            else:
                self.native.remove_graph(target)
            return Reply(204, TEXT, b"")
        from .. import formats

        fmt = formats.by_media_type(media_type, "rdf")
        if fmt is None or fmt.keeps_graphs:  # a graph, not a dataset
            labels = ", ".join(f.label for f in formats.formats("rdf") if not f.keeps_graphs)
            return _text(415, f"cannot read a graph in {media_type!r}: send {labels}")
        try:  # pyoxigraph never fetches a remote JSON-LD context nor an XML entity
            quads = [ox.Quad(t.subject, t.predicate, t.object, target)
                     for t in ox.parse(op.data, format=fmt.oxigraph_format, base_iri=op.base_iri)]
        except (SyntaxError, ValueError) as error:
            return _text(400, f"cannot parse the graph: {error}")
        if method == "PUT" and existed:
            self.native.clear_graph(target)
        self.native.extend(quads)
        return Reply(204 if existed else 201, TEXT, b"")


#: Which :class:`Engine` method answers each kind of request.
HANDLERS: dict[type, Callable[[Engine, Any], Reply]] = {
    SparqlQuery: Engine.sparql,
    SparqlUpdate: Engine.update,
    NamedQuery: Engine.named_query,
    GraphSizes: Engine.graph_sizes,
    Describe: Engine.describe,
    Export: Engine.export,
    GraphGet: Engine.graph_get,
    GraphWrite: Engine.graph_write,
    WebPage: Engine.web_page,
}


def worker_main(conn: Connection, source: StoreSource) -> None:
    """The loop of a worker process: open the store once, then answer requests until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server shuts its workers down itself
    try:
        engine = Engine(source)
    except Exception as error:  # reported to the server, which refuses to start
        conn.send(("failed", f"{type(error).__name__}: {error}"))
        return
    conn.send(("ready", None))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        try:
            reply = engine.handle(message)
        except Exception:  # never a stack trace to the client; the server log has it
            traceback.print_exc()
            reply = _text(500, "internal error while answering the request")
        try:
            conn.send(reply)
        except (BrokenPipeError, OSError):
            return


# -- the server side --------------------------------------------------------------------------------


def prepare_source(config: ServerConfig, scratch: Path) -> StoreSource:
    """Decide what each worker opens; copy the store into ``scratch`` where it must be (blocking)."""
    from rdflib import Dataset

    from ..errors import NotBuiltError, UsageError
    from ..stores.base import Store

    root = str(config.paths.root) if config.paths else None
    store = config.store
    path: Path | None = None
    nquads: Path | None = None
    if store is None or isinstance(store, (str, Path)):
        path = config.store_path()
        if not path.is_dir():
            raise NotBuiltError(f"no built store at {path}: run 'kgtool build' first")
        path = path.resolve()  # a rebuild swaps the link; the server keeps serving the store it started with
    elif getattr(store, "path", None) is not None and getattr(store, "name", "") == "oxigraph":
        path = Path(store.path).resolve()
    elif isinstance(store, (Store, Dataset)):
        dataset = store.dataset() if isinstance(store, Store) else store
        nquads = scratch / "graph.nq"
        dataset.serialize(destination=str(nquads), format="nquads", encoding="utf-8")
    else:
        raise UsageError(f"cannot serve {type(store).__name__}: give a store path, a Store or an rdflib Dataset")
    if not config.allow_update:
        return StoreSource(path=str(path) if path else None, nquads=str(nquads) if nquads else None,
                           project_root=root)
    # Updates change a writable copy in the scratch directory, never the built store.
    import pyoxigraph as ox

    copy = scratch / "writable-store"
    target = ox.Store(str(copy))
    if nquads is not None:
        target.load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    else:
        source = ox.Store.read_only(str(path))
        target.load(source.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
        del source
    target.flush()
    del target
    return StoreSource(path=str(copy), writable=True, project_root=root)


class WorkerError(Exception):
    """A request could not be answered by a worker; ``status`` is the HTTP status to answer with."""

    status = 500


class WorkerTimeout(WorkerError):
    """The request ran longer than the timeout; its worker was stopped and replaced."""

    status = 503


class WorkerBusy(WorkerError):
    """Every worker stayed busy for longer than the timeout."""

    status = 503


@dataclass(eq=False)
class _Worker:
    process: subprocess.Popen
    conn: Connection


def _receive(conn: Connection, timeout: float) -> Any:
    if not conn.poll(timeout):
        raise TimeoutError
    return conn.recv()


def _child_main() -> None:
    """The entry point of a worker process: ``python -c ... FD`` (FD: its end of the socket pair)."""
    conn = Connection(int(sys.argv[1]))
    worker_main(conn, conn.recv())


class WorkerPool:
    """``size`` worker processes serving requests from an asyncio server, each bounded by ``timeout``."""

    def __init__(self, source: StoreSource, size: int = 2, *, timeout: float = 30.0,
                 start_timeout: float = 120.0) -> None:
        if size < 1:
            raise ValueError("a pool needs at least one worker")
        self.source = source
        self.size = size
        self.timeout = timeout
        self.start_timeout = start_timeout
        self._executor = ThreadPoolExecutor(max_workers=2 * size + 2, thread_name_prefix="kgtool-worker-wait")
        self._idle: asyncio.Queue[_Worker] | None = None
        self._workers: set[_Worker] = set()
        self._tasks: set[asyncio.Task] = set()
        self._starting = 0
        self._closed = False
        self.restarts = 0

    def _spawn(self) -> _Worker:
        """Start one worker and wait until it has opened the store (blocking: run in a thread)."""
        ours, theirs = socket.socketpair()
        env = dict(os.environ)
        package_parent = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_parent, env.get("PYTHONPATH")) if p)
        try:
            process = subprocess.Popen(
                [sys.executable, "-c", "from kgtool.server.workers import _child_main; _child_main()",
                 str(theirs.fileno())],
                pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, env=env,
            )
        finally:
            theirs.close()
        conn = Connection(ours.detach())
        try:
            conn.send(self.source)
            status, message = _receive(conn, self.start_timeout)
        except (TimeoutError, EOFError, OSError):
            process.kill()
            process.wait()
            conn.close()
            raise WorkerError("a query worker did not start") from None
        if status != "ready":
            process.wait(5)
            conn.close()
            raise WorkerError(f"a query worker could not open the store: {message}")
        return _Worker(process, conn)

    async def _add_worker(self) -> None:
        loop = asyncio.get_running_loop()
        self._starting += 1
        try:
            worker = await loop.run_in_executor(self._executor, self._spawn)
        finally:
            self._starting -= 1
        if self._closed:
            self._stop(worker)
            return
        self._workers.add(worker)
        assert self._idle is not None
        self._idle.put_nowait(worker)

    async def start(self) -> None:
        """Start every worker; raise :class:`WorkerError` if they cannot open the store."""
        self._idle = asyncio.Queue()
        results = await asyncio.gather(*(self._add_worker() for _ in range(self.size)), return_exceptions=True)
        errors = [r for r in results if isinstance(r, BaseException)]
        if errors:
            await self.close()
            raise errors[0]

    def _stop(self, worker: _Worker) -> None:
        with contextlib.suppress(Exception):
            worker.process.kill()
        with contextlib.suppress(Exception):
            worker.conn.close()
        with contextlib.suppress(Exception):
            worker.process.wait(2)
        self._workers.discard(worker)

    def _replace(self, worker: _Worker) -> None:
        self._stop(worker)
        if self._closed:
            return
        self.restarts += 1
        task = asyncio.get_running_loop().create_task(self._respawn())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _respawn(self) -> None:
        try:
            await self._add_worker()
        except WorkerError as error:
            log.error("cannot replace a query worker: %s", error)

    async def run(self, op: Operation, *, timeout: float | None = None) -> Reply:
        """Have a worker answer one request.

        Raises:
            WorkerTimeout: the request took longer than ``timeout`` (the worker is replaced).
            WorkerBusy: no worker was free within the timeout.
            WorkerError: the worker died, or no worker is running.
        """
        if self._idle is None or self._closed:
            raise WorkerError("the query workers are not running")
        timeout = self.timeout if timeout is None else timeout
        if not self._workers and not self._starting:
            raise WorkerError("no query worker is running")
        try:
            worker = await asyncio.wait_for(self._idle.get(), timeout)
        except TimeoutError:
            raise WorkerBusy(f"every query worker stayed busy for {timeout:g} s; try again later") from None
        loop = asyncio.get_running_loop()
        try:
            worker.conn.send(op)
            reply = await loop.run_in_executor(self._executor, _receive, worker.conn, timeout)
        except TimeoutError:
            self._replace(worker)
            raise WorkerTimeout(f"the query was cancelled after the time limit of {timeout:g} s") from None
        except (EOFError, OSError):
            self._replace(worker)
            raise WorkerError("the query worker stopped unexpectedly; it has been replaced") from None
        except BaseException:  # cancelled: the worker may still be busy, so replace it
            self._replace(worker)
            raise
        self._idle.put_nowait(worker)
        return reply

    async def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        for worker in list(self._workers):
            with contextlib.suppress(Exception):
                worker.conn.send(None)
            self._stop(worker)
        for task in list(self._tasks):
            task.cancel()
        self._executor.shutdown(wait=False, cancel_futures=True)
