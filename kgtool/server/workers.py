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
import time
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
    "WorkerMemory",
    "WorkersDown",
    "NotAdmitted",
    "prepare_source",
    "resident_memory",
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
Operation = SparqlQuery | SparqlUpdate | NamedQuery | GraphSizes | Describe | Export | GraphGet | GraphWrite | WebPage
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
        # Import and warm the query guard's parser now, while the server starts, rather than in a client's
        # first query (kgtool.sparql.check_query parses every client query).
        from ..sparql import check_query

        check_query("ASK {}")

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
        return _text(
            406,
            "none of the media types asked for is available; available: " + ", ".join(offers),
            (("Vary", "Accept"),),
        )

    # -- SPARQL

    def sparql(self, op: SparqlQuery) -> Reply:
        from ..namespaces import QUERY_PREFIXES
        from ..sparql import inspect_query
        from ..stores.base import BOOLEAN_MEDIA_TYPES, GRAPH_MEDIA_TYPES, RESULTS_MEDIA_TYPES

        info = inspect_query(op.text)
        offers = (
            GRAPH_MEDIA_TYPES
            if info.returns_graph
            else BOOLEAN_MEDIA_TYPES
            if info.form == "ASK"
            else RESULTS_MEDIA_TYPES
        )
        kind: Answer = "graph" if info.returns_graph else "results"
        media_type = negotiate(op.accept, with_aliases(offers, kind))
        if media_type is None:
            return self._no_match(offers)
        media_type = canonical(media_type, kind)
        result = self.store.serialize_query(
            op.text,
            media_type,
            default_graph=list(op.default_graph) if op.default_graph else None,
            named_graphs=list(op.named_graphs) if op.named_graphs else None,
            max_rows=op.max_rows,
            base_iri=op.base_iri,
            prefixes=QUERY_PREFIXES,
        )
        headers: list[tuple[str, str]] = [("Vary", "Accept")]
        if result.truncated:
            headers += [("X-SPARQL-MaxRows", str(op.max_rows)), ("X-SPARQL-Truncated", "true")]
        return Reply(200, result.media_type, result.body, tuple(headers))

    def update(self, op: SparqlUpdate) -> Reply:
        from ..namespaces import QUERY_PREFIXES
        from .protocol import add_using

        self.store.update(
            add_using(op.text, list(op.using), list(op.using_named)), base_iri=op.base_iri, prefixes=QUERY_PREFIXES
        )
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
        version_iris = {
            t.object.value
            for t in ld.triples_matching(
                self.native, ox.NamedNode(str(ONTOLOGY_IRI)), ox.NamedNode("http://www.w3.org/2002/07/owl#versionIRI")
            )
            if isinstance(t.object, ox.NamedNode)
        }
        ontology = iri == str(ONTOLOGY_IRI) or iri in version_iris
        shapes = iri == pages.SHAPES_IRI
        graph = not ontology and not shapes and self.native.contains_named_graph(ox.NamedNode(iri))
        # Browsers get the pages of kgtool.web for everything but the shapes and the named graphs, which
        # are rendered here.
        offers: tuple[str, ...] = RESOURCE_MEDIA_TYPES
        if shapes or graph:
            offers = (RESOURCE_MEDIA_TYPES[0], _HTML, *RESOURCE_MEDIA_TYPES[1:])
        media_type = negotiate(op.accept, with_aliases(offers, "graph"))  # application/json: JSON-LD
        if media_type is None:
            unknown = not (ontology or shapes or graph) and not ld.resource_description(self.native, iri)
            if unknown and not ld.incoming_links(self.native, iri):  # nothing to offer in any format
                return _text(404, f"nothing is known about <{iri}>", (("Vary", "Accept"),))
            return self._no_match(offers)
        media_type = canonical(media_type, "graph")
        if ontology:
            triples = ld.ontology_triples(self.native)
        elif shapes:
            triples = self._shapes()
        elif graph:
            triples = ld.triples_matching(self.native, graph=ox.NamedNode(iri))
            if media_type == _HTML:
                body = pages.render_graph(iri, len(triples))
                return Reply(200, "text/html; charset=utf-8", body.encode("utf-8"), (("Vary", "Accept"),))
        else:
            triples = ld.resource_description(self.native, iri)
        if not triples:  # an IRI only linked to: what points at it
            triples = ld.incoming_links(self.native, iri)
        if not triples:
            return _text(404, f"nothing is known about <{iri}>", (("Vary", "Accept"),))
        headers = (("Vary", "Accept"),)
        if media_type != _HTML:
            return Reply(200, media_type, serialize_triples(triples, media_type), headers)
        names = {
            term.value for t in triples for term in (t.subject, t.predicate, t.object) if isinstance(term, ox.NamedNode)
        }
        labels = ld.labels_for(self.native, names, triples)
        body = pages.render_ontology(
            triples,
            labels,
            iri=iri,
            namespace=pages.SHAPES_IRI + "#",
            prefix="szsh",
            kinds=pages.SHAPE_KINDS,
            others="Other",
            path="/shapes",
        )
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
        from ..export import export_graphs

        return Reply(200, formats.get(op.fmt).media_type, export_graphs(self.store.dump_graphs(), op.fmt))

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
        body = serialize_triples((q.triple for q in quads), media_type)  # sorted, each triple once
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
        from ..errors import DataError
        from ..rdf_limits import check_rdf

        try:
            check_rdf(op.data, fmt.name, "the request body")  # nesting and size, before any parser
        except DataError as error:
            return _text(400, f"cannot parse the graph: {error}")
        try:  # pyoxigraph never fetches a remote JSON-LD context nor an XML entity
            quads = [
                ox.Quad(t.subject, t.predicate, t.object, target)
                for t in ox.parse(op.data, format=fmt.oxigraph_format, base_iri=op.base_iri)
            ]
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
        return StoreSource(path=str(path) if path else None, nquads=str(nquads) if nquads else None, project_root=root)
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


class WorkerMemory(WorkerError):
    """The request made its worker grow beyond the memory limit; the worker was stopped and replaced."""

    status = 503


class NotAdmitted(WorkerError):
    """The request was no longer wanted on this pool once a worker was free (see :meth:`WorkerPool.run`)."""

    status = 503


class WorkersDown(WorkerError):
    """No worker is running, and starting one failed (the reason says why); starts are retried."""

    status = 503


@dataclass(eq=False)
class _Worker:
    process: subprocess.Popen
    conn: Connection
    death_pipe: int  # the write end of the pipe the worker watches: closed when the server dies


#: How often a waiting request checks its worker's memory, in seconds.
_MEMORY_POLL = 0.05
_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def resident_memory(pid: int) -> int | None:
    """The resident memory of process ``pid`` in bytes (``None`` where ``/proc`` cannot tell)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return None


class _OverMemory(Exception):
    """A worker holds more resident memory than its limit."""


def _receive(conn: Connection, timeout: float, pid: int | None = None, max_memory: int | None = None) -> Any:
    """The worker's answer within ``timeout`` seconds (else :class:`TimeoutError`); :class:`_OverMemory`
    as soon as process ``pid`` holds more than ``max_memory`` bytes."""
    if pid is None or max_memory is None:
        if not conn.poll(timeout):
            raise TimeoutError
        return conn.recv()
    deadline = time.monotonic() + timeout
    while not conn.poll(min(_MEMORY_POLL, max(0.0, deadline - time.monotonic()))):
        size = resident_memory(pid)
        if size is not None and size > max_memory:
            raise _OverMemory(size)
        if time.monotonic() >= deadline:
            raise TimeoutError
    return conn.recv()


def _hung_up(conn: Connection) -> bool:
    """Whether an idle worker's end of the connection was closed (an idle worker never writes, so a
    readable connection means end of file: the worker died)."""
    try:
        return conn.poll(0)
    except OSError:
        return True


def _die_with_parent(parent: int, death_pipe: int) -> None:
    """Make this worker exit when the server process dies, however it dies (even ``kill -9``).

    Two independent ways: the kernel sends SIGKILL when the parent dies (``PR_SET_PDEATHSIG``, Linux),
    and a thread waiting on a pipe whose only writer is the server exits the process when it reads EOF.
    """
    import ctypes
    import ctypes.util
    import threading

    with contextlib.suppress(Exception):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG = 1
    if os.getppid() != parent:  # the server died before the line above took effect
        os._exit(1)

    def watch() -> None:
        while True:
            try:
                if not os.read(death_pipe, 1):
                    break
            except InterruptedError:
                continue
            except OSError:
                break
        os._exit(1)

    threading.Thread(target=watch, name="kgtool-parent-watch", daemon=True).start()


def _child_main() -> None:
    """The entry point of a worker process: ``python -c ... FD PARENT PIPE NICE`` (FD: its end of the socket
    pair; PARENT: the server's process id; PIPE: the read end of the pipe that closes when the server dies;
    NICE: how much lower its CPU priority is)."""
    conn = Connection(int(sys.argv[1]))
    _die_with_parent(int(sys.argv[2]), int(sys.argv[3]))
    if int(sys.argv[4]):
        os.nice(int(sys.argv[4]))
    worker_main(conn, conn.recv())


class WorkerPool:
    """``size`` worker processes serving requests from an asyncio server, each bounded by ``timeout``
    and, where ``/proc`` tells, by ``max_memory`` bytes of resident memory.

    A worker that dies, runs too long or grows too large is replaced; a replacement that cannot start
    (say, the store is gone) is retried with exponential backoff, and :attr:`last_error` says why.
    """

    #: The first and the longest wait between attempts to start a worker, in seconds.
    BACKOFF = (0.5, 30.0)

    def __init__(
        self,
        source: StoreSource,
        size: int = 2,
        *,
        timeout: float = 30.0,
        start_timeout: float = 120.0,
        max_memory: int | None = None,
        name: str = "query",
        spares: int = 0,
        nice: int = 0,
    ) -> None:
        if size < 1:
            raise ValueError("a pool needs at least one worker")
        self.source = source
        self.size = size
        self.timeout = timeout
        self.start_timeout = start_timeout
        self.max_memory = max_memory
        self.name = name
        self.spares = spares
        self.nice = nice
        self._spares: list[_Worker] = []  # started and ready, put to work when a worker is replaced
        self._executor = ThreadPoolExecutor(
            max_workers=2 * (size + spares) + 2, thread_name_prefix="kgtool-worker-wait"
        )
        self._idle: asyncio.Queue[_Worker] | None = None
        self._workers: set[_Worker] = set()
        self._tasks: set[asyncio.Task] = set()
        self._starting = 0
        self._closed = False
        self.restarts = 0
        #: Why the last attempt to start a worker failed (``None`` once one started).
        self.last_error: str | None = None

    @property
    def alive(self) -> int:
        """How many workers are running."""
        return sum(1 for w in self._workers if w.process.poll() is None)

    @property
    def idle(self) -> int:
        """How many workers are waiting for a request."""
        return self._idle.qsize() if self._idle is not None else 0

    def pids(self) -> list[int]:
        """The process ids of the running workers."""
        return [w.process.pid for w in self._workers]

    def _launch(self) -> tuple[subprocess.Popen, Connection, int]:
        """Start one worker process (from the event loop's thread: the kernel ties the worker's
        death signal to the thread that started it, and that thread lives as long as the server)."""
        ours, theirs = socket.socketpair()
        watch_read, watch_write = os.pipe()  # not inherited by other children (PEP 446)
        env = dict(os.environ)
        package_parent = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_parent, env.get("PYTHONPATH")) if p)
        try:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    "from kgtool.server.workers import _child_main; _child_main()",
                    str(theirs.fileno()),
                    str(os.getpid()),
                    str(watch_read),
                    str(self.nice),
                ],
                pass_fds=[theirs.fileno(), watch_read],
                stdin=subprocess.DEVNULL,
                env=env,
            )
        except BaseException:
            os.close(watch_write)
            ours.close()
            raise
        finally:
            theirs.close()
            os.close(watch_read)
        return process, Connection(ours.detach()), watch_write

    def _wait_ready(self, process: subprocess.Popen, conn: Connection, death_pipe: int) -> _Worker:
        """Wait until a started worker has opened the store (blocking: run in a thread)."""
        try:
            conn.send(self.source)
            status, message = _receive(conn, self.start_timeout)
        except (TimeoutError, EOFError, OSError):
            process.kill()
            process.wait()
            conn.close()
            os.close(death_pipe)
            raise WorkerError("a query worker did not start") from None
        if status != "ready":
            process.wait(5)
            conn.close()
            os.close(death_pipe)
            raise WorkerError(f"a query worker could not open the store: {message}")
        return _Worker(process, conn, death_pipe)

    async def _add_worker(self, spare: bool = False) -> None:
        loop = asyncio.get_running_loop()
        self._starting += 1
        try:
            process, conn, death_pipe = self._launch()
            worker = await loop.run_in_executor(self._executor, self._wait_ready, process, conn, death_pipe)
        except WorkerError as error:
            self.last_error = str(error)
            raise
        finally:
            self._starting -= 1
        self.last_error = None
        if self._closed:
            self._stop(worker)
            return
        if spare:
            self._spares.append(worker)
            return
        self._workers.add(worker)
        assert self._idle is not None
        self._idle.put_nowait(worker)

    async def start(self) -> None:
        """Start every worker; raise :class:`WorkerError` if they cannot open the store."""
        self._idle = asyncio.Queue()
        starts = [self._add_worker() for _ in range(self.size)] + [self._add_worker(True) for _ in range(self.spares)]
        results = await asyncio.gather(*starts, return_exceptions=True)
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
        if worker.death_pipe >= 0:  # closed once: the number may name another file afterwards
            with contextlib.suppress(OSError):
                os.close(worker.death_pipe)
            worker.death_pipe = -1
        self._workers.discard(worker)

    def _replace(self, worker: _Worker) -> None:
        self._stop(worker)
        if self._closed:
            return
        self.restarts += 1
        spare = None
        while self._spares and spare is None:
            candidate = self._spares.pop()
            if candidate.process.poll() is None:
                spare = candidate
            else:
                self._stop(candidate)
        if spare is not None:  # a spare takes over at once; a new spare starts in the background
            self._workers.add(spare)
            assert self._idle is not None
            self._idle.put_nowait(spare)
        task = asyncio.get_running_loop().create_task(self._respawn(spare=spare is not None))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _respawn(self, spare: bool = False) -> None:
        """Start a replacement (or a new spare), retrying with exponential backoff until one starts or the
        pool closes."""
        delay, longest = self.BACKOFF
        while not self._closed:
            try:
                await self._add_worker(spare)
                return
            except WorkerError as error:
                log.error("cannot replace a %s worker (retrying in %g s): %s", self.name, delay, error)
            await asyncio.sleep(delay)
            delay = min(delay * 2, longest)

    async def run(
        self,
        op: Operation,
        *,
        timeout: float | None = None,
        limit: float | None = None,
        run_timeout: float | None = None,
        admit: Callable[[], bool] | None = None,
    ) -> Reply:
        """Have a worker answer one request within ``timeout`` seconds (waiting for a worker included),
        running it at most ``run_timeout`` seconds; ``limit``: the time limit the client is told of, if
        not ``timeout``; ``admit``: asked once a worker is free, whether the request still runs here.

        Raises:
            WorkerTimeout: the request took longer than ``timeout`` (the worker is replaced).
            WorkerMemory: the worker grew beyond ``max_memory`` (it is replaced).
            WorkerBusy: no worker was free within the timeout.
            WorkersDown: no worker is running and the last start failed.
            NotAdmitted: ``admit`` said no.
            WorkerError: the worker died, or the pool is closed.
        """
        if self._idle is None or self._closed:
            raise WorkerError("the query workers are not running")
        timeout = self.timeout if timeout is None else timeout
        limit = timeout if limit is None else limit
        deadline = time.monotonic() + timeout
        while True:
            worker = await self._take(deadline, limit)
            if worker not in self._workers:  # replaced already (see reap)
                continue
            if worker.process.poll() is not None or _hung_up(worker.conn):
                self._replace(worker)  # died while idle: the request has not started, so try another
                continue
            if admit is not None and not admit():
                self._idle.put_nowait(worker)
                raise NotAdmitted
            try:
                worker.conn.send(op)
            except OSError:
                self._replace(worker)
                continue
            break
        loop = asyncio.get_running_loop()
        try:
            remaining = max(0.0, deadline - time.monotonic())
            reply = await loop.run_in_executor(
                self._executor,
                _receive,
                worker.conn,
                remaining if run_timeout is None else min(run_timeout, remaining),
                worker.process.pid,
                self.max_memory,
            )
        except TimeoutError:
            self._replace(worker)
            raise WorkerTimeout(f"the query was cancelled after the time limit of {limit:g} s") from None
        except _OverMemory:
            self._replace(worker)
            limit = (self.max_memory or 0) / (1 << 20)
            raise WorkerMemory(
                f"the query was cancelled: it needed more than the memory limit of {limit:g} MiB"
            ) from None
        except (EOFError, OSError):
            self._replace(worker)
            raise WorkerError("the query worker stopped unexpectedly; it has been replaced") from None
        except BaseException:  # cancelled (say, the client went away): the worker may still be busy, so replace it
            self._replace(worker)
            raise
        self._idle.put_nowait(worker)
        return reply

    async def _take(self, deadline: float, timeout: float) -> _Worker:
        """An idle worker, waiting until ``deadline``; :class:`WorkersDown` as soon as none runs and
        starting one failed."""
        assert self._idle is not None
        while True:
            if not self._workers and self.last_error is not None:
                raise WorkersDown(f"no {self.name} worker is running ({self.last_error}); starting one is retried")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WorkerBusy(f"every query worker stayed busy for {timeout:g} s; try again later")
            try:  # in slices, so that a failed start is noticed while waiting
                return await asyncio.wait_for(self._idle.get(), min(remaining, 0.5))
            except TimeoutError:
                continue

    def reap(self) -> None:
        """Replace the workers that died while idle."""
        for worker in list(self._workers):
            if worker.process.poll() is not None:
                self._replace(worker)

    async def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        for worker in [*self._workers, *self._spares]:
            with contextlib.suppress(Exception):
                worker.conn.send(None)
            self._stop(worker)
        for task in list(self._tasks):
            task.cancel()
        self._executor.shutdown(wait=False, cancel_futures=True)
