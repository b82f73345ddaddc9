"""What a query worker does: :class:`Engine` holds the store open and answers each kind of request
(:mod:`kgtool.workers.requests`) with the method the table :data:`HANDLERS` names.

Each worker opens the store once: the built Oxigraph store read-only (any number of workers), or an
N-Quads file loaded into memory, or, when SPARQL Update is enabled, one writable on-disk store (one
worker only, as Oxigraph allows one writer).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..format_param import (
    JSON,
    Answer,
    FormatParameterError,
    canonical,
    negotiate,
    requested_accept,
    with_aliases,
)
from ..workers.requests import (
    RESOURCE_MEDIA_TYPES,
    TEXT,
    Describe,
    Export,
    GraphGet,
    GraphSizes,
    GraphWrite,
    LibraryCall,
    Operation,
    Reply,
    RunNamedQuery,
    SparqlQuery,
    SparqlUpdate,
    StoreSource,
    text_reply,
)

if TYPE_CHECKING:
    from ..graph import KnowledgeGraph
    from ..paths import FileState

__all__ = ["Engine", "HANDLERS", "add_using"]


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
        self._shapes_triples: tuple[FileState | None, list] | None = None  # the file's state, its triples
        self._kg: KnowledgeGraph | None = None
        # Import and warm the query guard's parser now, while the server starts, rather than in a client's
        # first query (kgtool.sparql.check_query parses every client query).
        from ..sparql import check_query

        check_query("ASK {}")
        # Likewise the library's path of a page or a named query (modules, the queries' headers, the store's
        # first reads): a fresh worker's first page otherwise took about a second longer than the next.
        graph = self._graph()
        if "counts" in graph.queries:  # a project of its own may not have it
            graph.query("counts")

    def handle(self, op: Operation) -> Reply:
        """Answer one request; a bad parameter or query is 400, an unknown name 404."""
        from ..errors import ParameterError, QueryError, UsageError

        try:
            return HANDLERS[type(op)](self, op)
        except ParameterError as error:
            return text_reply(400, str(error))
        except UsageError as error:
            return text_reply(404, str(error))
        except QueryError as error:
            return text_reply(400, str(error))

    @staticmethod
    def _no_match(offers: tuple[str, ...] | list[str]) -> Reply:
        return text_reply(
            406,
            "none of the media types asked for is available; available: " + ", ".join(offers),
            (("Vary", "Accept"),),
        )

    # -- SPARQL

    def sparql(self, op: SparqlQuery) -> Reply:
        from ..namespaces import QUERY_PREFIXES
        from ..sparql import inspect_query
        from ..stores.base import BOOLEAN_MEDIA_TYPES, GRAPH_MEDIA_TYPES, RESULTS_MEDIA_TYPES

        info = inspect_query(op.text)  # the check of the client's query, in the worker (see kgtool.http.views)
        if info.uses_service:  # refused by the store's check too; this message names the endpoint
            return text_reply(400, "SERVICE is not allowed: this endpoint never sends queries to other endpoints")
        if info.is_update:
            return text_reply(
                400, "this is an update, not a query: send it with POST as update= or application/sparql-update"
            )
        kind: Answer = "graph" if info.returns_graph else "results"
        try:  # format=xml names a graph's XML or a table's, as the query's form says
            accept = requested_accept(op.formats, kind) or op.accept
        except FormatParameterError as error:
            return text_reply(400, str(error))
        offers = (
            GRAPH_MEDIA_TYPES
            if info.returns_graph
            else BOOLEAN_MEDIA_TYPES
            if info.form == "ASK"
            else RESULTS_MEDIA_TYPES
        )
        media_type = negotiate(accept, with_aliases(offers, kind))
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

        self.store.update(
            add_using(op.text, list(op.using), list(op.using_named)), base_iri=op.base_iri, prefixes=QUERY_PREFIXES
        )
        return Reply(204, TEXT, b"")

    def _graph(self) -> KnowledgeGraph:
        """The library's view of the store, made once: it reads each named query as its file is now (parsed
        again only when it changed: a developer may edit them while the server runs)."""
        if self._kg is None:
            from ..graph import KnowledgeGraph

            self._kg = KnowledgeGraph(self.store, self.paths)
        return self._kg

    def named_query(self, op: RunNamedQuery) -> Reply:
        """A named query, checked, resolved and bound by the library (as ``kg.query`` runs it), then answered
        in the media type asked for."""
        text = self._graph().bind(op.name, **dict(op.params))
        return self.sparql(SparqlQuery(text, op.accept, max_rows=op.max_rows))

    def graph_sizes(self, op: GraphSizes) -> Reply:
        """The named graphs and their sizes, as JSON (for the service description)."""
        graphs = {}
        for graph in self.native.named_graphs():
            name = getattr(graph, "value", None)
            if name is not None:
                graphs[name] = sum(1 for _ in self.native.quads_for_pattern(None, None, None, graph))
        union = len({str(q.triple) for q in self.native})
        answer = {"graphs": graphs, "union": union}
        return Reply(200, JSON, json.dumps(answer, sort_keys=True).encode("utf-8"))

    def library_call(self, op: LibraryCall) -> Reply:
        """``op.function(kg, **args)`` as JSON (the data of a page, say)."""
        data = op.function(self._graph(), **dict(op.args))
        return Reply(200, JSON, json.dumps(data, ensure_ascii=False).encode("utf-8"))

    # -- linked data

    def _shapes(self) -> list:
        """The SHACL shapes graph (``ontology/shapes.ttl``, which is not in the store) as the file is now."""
        from ..paths import file_state

        state = file_state(self.paths.shapes_file)
        if self._shapes_triples is None or self._shapes_triples[0] != state:
            from ..validate import shapes_triples

            self._shapes_triples = (state, shapes_triples(self.paths))
        return self._shapes_triples[1]

    def describe(self, op: Describe) -> Reply:
        import pyoxigraph as ox

        from ..namespaces import ONTOLOGY_IRI, SHAPES_IRI
        from ..stores.oxigraph import serialize_triples
        from . import describe as ld

        iri = op.iri
        version_iris = {
            t.object.value
            for t in ld.triples_matching(
                self.native, ox.NamedNode(str(ONTOLOGY_IRI)), ox.NamedNode("http://www.w3.org/2002/07/owl#versionIRI")
            )
            if isinstance(t.object, ox.NamedNode)
        }
        ontology = iri == str(ONTOLOGY_IRI) or iri in version_iris
        shapes = iri == str(SHAPES_IRI)
        graph = not ontology and not shapes and self.native.contains_named_graph(ox.NamedNode(iri))
        media_type = negotiate(op.accept, with_aliases(RESOURCE_MEDIA_TYPES, "graph"))  # application/json: JSON-LD
        if media_type is None:
            unknown = not (ontology or shapes or graph) and not ld.resource_description(self.native, iri)
            if unknown and not ld.incoming_links(self.native, iri):  # nothing to offer in any format
                return text_reply(404, f"nothing is known about <{iri}>", (("Vary", "Accept"),))
            return self._no_match(RESOURCE_MEDIA_TYPES)
        media_type = canonical(media_type, "graph")
        if ontology:
            triples = ld.ontology_triples(self.native)
        elif shapes:
            triples = self._shapes()
        elif graph:
            triples = ld.triples_matching(self.native, graph=ox.NamedNode(iri))
        else:
            triples = ld.resource_description(self.native, iri)
        if not triples:  # an IRI only linked to: what points at it
            triples = ld.incoming_links(self.native, iri)
        if not triples:
            return text_reply(404, f"nothing is known about <{iri}>", (("Vary", "Accept"),))
        return Reply(200, media_type, serialize_triples(triples, media_type), (("Vary", "Accept"),))

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
                return text_reply(404, f"no graph <{graph}>")
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
                return text_reply(404, f"no graph <{graph}>")
            if graph is None:
                self.native.clear_graph(target)
            else:
                self.native.remove_graph(target)
            self.store.revision += 1
            return Reply(204, TEXT, b"")
        from .. import formats

        fmt = formats.by_media_type(media_type, "rdf")
        if fmt is None or fmt.keeps_graphs:  # a graph, not a dataset
            labels = ", ".join(f.label for f in formats.formats("rdf") if not f.keeps_graphs)
            return text_reply(415, f"cannot read a graph in {media_type!r}: send {labels}")
        from ..errors import DataError
        from ..rdf_limits import check_rdf

        try:
            check_rdf(op.data, fmt.name, "the request body")  # nesting and size, before any parser
        except DataError as error:
            return text_reply(400, f"cannot parse the graph: {error}")
        try:  # pyoxigraph never fetches a remote JSON-LD context nor an XML entity
            quads = [
                ox.Quad(t.subject, t.predicate, t.object, target)
                for t in ox.parse(op.data, format=fmt.oxigraph_format, base_iri=op.base_iri)
            ]
        except (SyntaxError, ValueError) as error:
            return text_reply(400, f"cannot parse the graph: {error}")
        if method == "PUT" and existed:
            self.native.clear_graph(target)
        self.native.extend(quads)
        self.store.revision += 1  # written past the store's own methods: what the library remembers is out of date
        return Reply(204 if existed else 201, TEXT, b"")


#: Which :class:`Engine` method answers each kind of request.
HANDLERS: dict[type, Callable[[Engine, Any], Reply]] = {
    SparqlQuery: Engine.sparql,
    SparqlUpdate: Engine.update,
    RunNamedQuery: Engine.named_query,
    GraphSizes: Engine.graph_sizes,
    Describe: Engine.describe,
    Export: Engine.export,
    GraphGet: Engine.graph_get,
    GraphWrite: Engine.graph_write,
    LibraryCall: Engine.library_call,
}


def add_using(text: str, using: list[str], using_named: list[str]) -> str:
    """The update with ``USING``/``USING NAMED`` clauses added to each ``DELETE``/``INSERT ... WHERE``
    operation, which is what the protocol's ``using-graph-uri`` and ``using-named-graph-uri`` mean.

    >>> add_using("INSERT { ?s a <x:y> } WHERE { ?s ?p ?o }", ["http://g"], [])
    'INSERT { ?s a <x:y> } USING <http://g> WHERE { ?s ?p ?o }'
    """
    from ..sparql import mask_literals

    if not using and not using_named:
        return text
    clause = " ".join([f"USING <{g}>" for g in using] + [f"USING NAMED <{g}>" for g in using_named]) + " "
    masked = mask_literals(text)
    depth, inserts = 0, []
    for match in re.finditer(r"[{}]|\bWHERE\b", masked, re.I):
        token = match.group(0)
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        elif depth == 0:
            before = masked[: match.start()].rstrip()
            if not re.search(r"\bDELETE$", before, re.I):  # DELETE WHERE takes no USING
                inserts.append(match.start())
    for position in reversed(inserts):
        text = text[:position] + clause + text[position:]
    return text
