"""A remote SPARQL 1.1 endpoint as a store: Oxigraph server, Virtuoso, Fuseki, GraphDB...

Queries go out as ``GET`` (short ones) or form ``POST`` (``query=...``), never as a direct
``application/sparql-query`` body (Virtuoso 7.2 never answers that), always with an ``Accept`` header:
``application/sparql-results+json`` for SELECT and ASK, N-Triples (or Turtle) for CONSTRUCT and
DESCRIBE. A query that names no dataset of its own (no ``FROM``) is sent with the project's graphs as
``default-graph-uri`` and ``named-graph-uri``, so that it sees the same graphs on every engine: neither
Oxigraph's empty default graph nor Virtuoso's system graphs (see docs/STORES.md). Answers are read back
through :func:`kgtool.results.python_value`, so a row is the same as from the local stores.

Writes: :meth:`EndpointStore.replace` puts each named graph with the Graph Store Protocol (``PUT``,
then ``POST`` for further chunks) when a store URL is given, otherwise with SPARQL Update
(``DROP SILENT GRAPH`` + ``INSERT DATA`` in chunks; ``INSERT { } WHERE { }`` for chunks with blank
nodes, which Virtuoso refuses in ``INSERT DATA``). Triples that share a blank node always travel in the
same chunk, so blank nodes keep their identity.

Credentials (``user``/``password``, else ``$KGTOOL_ENDPOINT_USER``/``$KGTOOL_ENDPOINT_PASSWORD``) are
sent only when the server asks for them, in the scheme its challenge names (HTTP Digest, as Virtuoso
wants, or Basic), and never appear in messages.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Generator, Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD

from .. import formats
from ..errors import QueryError, StoreError, UsageError
from ..namespaces import DATA_GRAPH, ONTOLOGY_GRAPH
from ..results import QueryResult, sparql_json_result
from ..sparql import QueryInfo, is_iri, names_dataset
from .base import Store

__all__ = [
    "EndpointStore",
    "ChallengeAuth",
    "PROJECT_GRAPHS",
    "USER_ENV",
    "PASSWORD_ENV",
    "ENDPOINT_ENV",
    "UPDATE_ENDPOINT_ENV",
    "STORE_ENDPOINT_ENV",
    "ntriples_term",
    "chunk_triples",
]

#: The named graphs the project's data lives in on a shared store (see :func:`kgtool.build.source_graphs`).
PROJECT_GRAPHS: tuple[str, ...] = (str(ONTOLOGY_GRAPH), str(DATA_GRAPH))
#: Environment variables read when no option gives the value.
USER_ENV = "KGTOOL_ENDPOINT_USER"
PASSWORD_ENV = "KGTOOL_ENDPOINT_PASSWORD"
ENDPOINT_ENV = "KGTOOL_ENDPOINT"
UPDATE_ENDPOINT_ENV = "KGTOOL_UPDATE_ENDPOINT"
STORE_ENDPOINT_ENV = "KGTOOL_STORE_ENDPOINT"

_RESULTS_JSON = formats.get("json", "results").media_type
_GRAPH_ACCEPT = (
    f"{formats.get('nt').media_type}, {formats.get('ttl').media_type};q=0.9, {formats.get('xml').media_type};q=0.5"
)
#: Graphs no client of this project may write: Virtuoso's own schema graph, which a SPARQL_UPDATE user can
#: overwrite.
_PROTECTED_GRAPHS = ("http://www.openlinksw.com/schemas/virtrdf#",)
_MAX_GET_URL = 2000
_GSP_CHUNK = 100_000
_MESSAGE_LIMIT = 400


class ChallengeAuth(httpx.Auth):
    """HTTP authentication in whatever scheme the server's challenge names: Digest or Basic.

    Nothing is sent until a server answers 401; after that, each URL remembers its scheme (Basic is
    then sent up front, Digest reuses the server's nonce), so the credentials reach only the URLs that
    asked for them.
    """

    requires_request_body = True  # a challenged request is sent again, body and all

    def __init__(self, user: str, password: str) -> None:
        self._user = user
        self._password = password
        self._schemes: dict[str, httpx.Auth] = {}

    def __repr__(self) -> str:  # never show the password
        return f"ChallengeAuth(user={self._user!r})"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        key = str(request.url.copy_with(query=None, fragment=None))
        known = self._schemes.get(key)
        if known is not None:
            yield from known.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        offered = {h.split(None, 1)[0].lower() for h in response.headers.get_list("www-authenticate") if h.strip()}
        if "digest" in offered:
            digest = httpx.DigestAuth(self._user, self._password)
            self._schemes[key] = digest
            flow = digest.auth_flow(request)
            next(flow)  # the unauthenticated request, already sent: answer it with the challenge
            try:
                retry = flow.send(response)
            except StopIteration:
                return
            response = yield retry
            with contextlib.suppress(StopIteration):
                flow.send(response)
        elif "basic" in offered:
            basic = httpx.BasicAuth(self._user, self._password)
            self._schemes[key] = basic
            yield from basic.auth_flow(request)


def safe_url(url: str) -> str:
    """A URL fit for messages: no user information, no query string.

    >>> safe_url("http://kg:secret@127.0.0.1:8890/sparql-auth?graph=x")
    'http://127.0.0.1:8890/sparql-auth'
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def _server_message(response: httpx.Response) -> str:
    """The server's explanation of an error, as one short line of text."""
    try:
        text = response.text
    except Exception:  # noqa: BLE001 - undecodable bodies say nothing useful
        text = ""
    if "html" in response.headers.get("content-type", "") or text.lstrip().startswith("<"):
        text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S | re.I)
        text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) > _MESSAGE_LIMIT:
        text = text[:_MESSAGE_LIMIT] + "..."
    return text or response.reason_phrase or "no message"


def ntriples_term(term: Any, bnodes: dict[Any, str] | None = None) -> str:
    """An RDF term written the same way for N-Triples and for SPARQL (``INSERT DATA``), literals with
    their lexical form unchanged.

    Blank nodes get short labels from ``bnodes`` (filled as needed), so labels stay valid whatever
    rdflib named them.

    >>> ntriples_term(Literal("人工智能", lang="zh")), ntriples_term(Literal("1.50", datatype=XSD.decimal))
    ('"人工智能"@zh', '"1.50"^^<http://www.w3.org/2001/XMLSchema#decimal>')
    >>> ntriples_term(BNode("x y"), {})
    '_:b0'

    Raises:
        ParameterError: an IRI or language tag that no RDF term may hold.
    """
    from ..queries import sparql_term

    if isinstance(term, BNode):
        table = bnodes if bnodes is not None else {}
        label = table.get(term)
        if label is None:
            label = table[term] = f"b{len(table)}"
        return f"_:{label}"
    if isinstance(term, Literal):
        quoted = sparql_term(Literal(str(term)))  # the escapes of a plain string, whatever the datatype
        if term.language:
            return sparql_term(Literal(str(term), lang=term.language))
        if term.datatype is not None and term.datatype != XSD.string:
            return f"{quoted}^^{sparql_term(URIRef(term.datatype))}"
        return quoted
    return sparql_term(term)


def chunk_triples(triples: Iterable[tuple[Any, Any, Any]], size: int) -> list[list[tuple[Any, Any, Any]]]:
    """The triples in chunks of about ``size``, the triples that share blank nodes always in one chunk
    (a chunk is a document of its own: a blank node split over two would become two nodes).

    >>> b = BNode()
    >>> s, p = URIRef("urn:s"), URIRef("urn:p")
    >>> [len(c) for c in chunk_triples([(s, p, b), (b, p, Literal(1)), (s, p, Literal(2))], 1)]
    [2, 1]
    """
    parent: dict[Any, Any] = {}

    def find(node: Any) -> Any:
        root = node
        while parent.get(root, root) is not root:
            root = parent[root]
        while parent.get(node, node) is not root:  # path compression
            parent[node], node = root, parent[node]
        return root

    plain: list[tuple[Any, Any, Any]] = []
    linked: list[tuple[Any, tuple[Any, Any, Any]]] = []
    for triple in triples:
        nodes = [t for t in (triple[0], triple[2]) if isinstance(t, BNode)]
        if not nodes:
            plain.append(triple)
            continue
        first = find(nodes[0])
        for other in nodes[1:]:
            root = find(other)
            if root is not first:
                parent[root] = first
        linked.append((nodes[0], triple))
    groups: dict[Any, list[tuple[Any, Any, Any]]] = {}
    for node, triple in linked:
        groups.setdefault(find(node), []).append(triple)
    chunks: list[list[tuple[Any, Any, Any]]] = []
    current: list[tuple[Any, Any, Any]] = []
    for group in [*groups.values(), *([t] for t in plain)]:
        if current and len(current) + len(group) > size:
            chunks.append(current)
            current = []
        current.extend(group)
    if current:
        chunks.append(current)
    return chunks


class EndpointStore(Store):
    """The graph in a remote SPARQL 1.1 store, reached through its endpoints.

    Args:
        endpoint: the query URL (Oxigraph ``/query``, Virtuoso ``/sparql``, Fuseki ``/DATASET/sparql``,
            GraphDB ``/repositories/ID``); default ``$KGTOOL_ENDPOINT``.
        update_endpoint: the SPARQL Update URL, for writes without a Graph Store Protocol URL.
        store_endpoint: the Graph Store Protocol URL (``?graph=IRI`` is added), preferred for writes.
        user, password: credentials, sent only when a server asks (default ``$KGTOOL_ENDPOINT_USER``,
            ``$KGTOOL_ENDPOINT_PASSWORD``).
        graphs: the named graphs that hold the data (default: the project's ontology and data graphs);
            queries see their union as the default graph.
        timeout: seconds to wait for any one answer.
        chunk_size: triples per request when writing with SPARQL Update (Virtuoso refuses updates
            that compile to more than 10 000 lines of SQL, about 1 500 triples); a Graph Store
            Protocol request carries up to 100 000.
        transport: an httpx transport to send requests through (tests, custom TLS or proxies).

    Raises:
        UsageError: no query URL, or one that is not http(s).
    """

    name = "sparql"
    runs_locally = False  # the endpoint's own timeout bounds a query
    options = (
        "endpoint",
        "update_endpoint",
        "store_endpoint",
        "user",
        "password",
        "graphs",
        "timeout",
        "chunk_size",
        "transport",
    )

    def __init__(
        self,
        endpoint: str | None = None,
        update_endpoint: str | None = None,
        store_endpoint: str | None = None,
        user: str | None = None,
        password: str | None = None,
        graphs: Sequence[str] | None = None,
        timeout: float = 60.0,
        chunk_size: int = 500,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        endpoint = endpoint or os.environ.get(ENDPOINT_ENV)
        if not endpoint:
            raise UsageError(f"the sparql store needs a query URL: --endpoint URL (or ${ENDPOINT_ENV})")
        self.endpoint = _check_url(endpoint, "endpoint")
        update_endpoint = update_endpoint or os.environ.get(UPDATE_ENDPOINT_ENV)
        store_endpoint = store_endpoint or os.environ.get(STORE_ENDPOINT_ENV)
        self.update_endpoint = _check_url(update_endpoint, "update endpoint") if update_endpoint else None
        self.store_endpoint = _check_url(store_endpoint, "store endpoint") if store_endpoint else None
        self.graphs = tuple(str(g) for g in (graphs or PROJECT_GRAPHS))
        for graph in self.graphs:
            if not is_iri(graph):
                raise UsageError(f"not a graph IRI: {graph!r}")
        self.timeout = float(timeout)
        self.chunk_size = max(1, int(chunk_size))
        user = user or os.environ.get(USER_ENV)
        password = password if password is not None else os.environ.get(PASSWORD_ENV)
        auth = ChallengeAuth(user, password or "") if user else None
        self._client = httpx.Client(
            auth=auth,
            timeout=httpx.Timeout(self.timeout, connect=min(self.timeout, 10.0)),
            headers={"User-Agent": "kgtool (sz20plus8)"},
            follow_redirects=False,
            transport=transport,
        )

    def __repr__(self) -> str:
        return f"EndpointStore({safe_url(self.endpoint)!r})"

    # -- HTTP

    def _send(self, method: str, url: str, what: str, **kwargs: Any) -> httpx.Response:
        """One request; transport failures become :class:`StoreError`, HTTP errors too (a 400 on a query
        a :class:`QueryError`), with the server's message."""
        if self._client is None:
            raise StoreError("the endpoint store is closed")
        where = safe_url(url)
        try:
            response = self._client.request(method, url, **kwargs)
        except httpx.TimeoutException as error:
            raise StoreError(f"{what}: {where} did not answer within {self.timeout:g} s") from error
        except httpx.ConnectError as error:
            raise StoreError(f"{what}: cannot connect to {where}: {_reason(error)}") from error
        except httpx.HTTPError as error:
            raise StoreError(f"{what}: {where} failed: {_reason(error)}") from error
        if response.is_success:
            return response
        message = _server_message(response)
        status = f"HTTP {response.status_code}"
        if response.status_code in (401, 403):
            hint = "check --user/--password" if response.status_code == 401 else "the user may not do this"
            raise StoreError(f"{what}: {where} refused the request ({status}, {hint}): {message}")
        if response.status_code == 400 and what == "query":
            raise QueryError(f"the endpoint {where} rejected the query ({status}): {message}")
        raise StoreError(f"{what}: {where} answered {status}: {message}")

    def _dataset_params(self, text: str) -> list[tuple[str, str]]:
        if names_dataset(text):
            return []
        return [("default-graph-uri", g) for g in self.graphs] + [("named-graph-uri", g) for g in self.graphs]

    def _request_query(self, text: str, accept: str) -> httpx.Response:
        params = [("query", text), *self._dataset_params(text)]
        headers = {"Accept": accept}
        if len(str(httpx.URL(self.endpoint, params=params))) <= _MAX_GET_URL:
            return self._send("GET", self.endpoint, "query", params=params, headers=headers)
        return self._send("POST", self.endpoint, "query", data=_form(params), headers=headers)

    # -- the Store interface

    def _query(self, text: str, info: QueryInfo) -> QueryResult:
        if info.returns_graph:
            response = self._request_query(text, _GRAPH_ACCEPT)
            return QueryResult("graph", graph=_parse_graph(response, safe_url(self.endpoint)))
        response = self._request_query(text, _RESULTS_JSON)
        try:
            doc = json.loads(response.content)
        except ValueError as error:
            kind = response.headers.get("content-type", "no content type")
            raise StoreError(
                f"query: {safe_url(self.endpoint)} did not answer with SPARQL JSON results "
                f"({kind}): {_server_message(response)}"
            ) from error
        return sparql_json_result(doc)

    def update(self, text: str) -> None:
        """Run a SPARQL Update on the update endpoint.

        Raises:
            QueryError: no update endpoint was given.
            StoreError: the server refused or failed.
        """
        if not self.update_endpoint:
            raise QueryError("this endpoint store has no update URL: give --update-endpoint URL")
        self._send(
            "POST",
            self.update_endpoint,
            "update",
            data={"update": text},
            headers={"Accept": f"{_RESULTS_JSON}, */*;q=0.1"},
        )

    def replace(self, graphs: Mapping[URIRef, Graph]) -> None:
        """Replace the named graphs given (and only those): Graph Store Protocol ``PUT`` per graph when a
        store URL is known, else SPARQL Update (``DROP SILENT GRAPH`` then ``INSERT DATA`` in chunks).

        Raises:
            StoreError: no URL to write to, a protected graph, or the server's refusal.
        """
        if not self.store_endpoint and not self.update_endpoint:
            raise StoreError(
                "cannot write to this endpoint: give --store-endpoint URL (Graph Store Protocol) "
                "or --update-endpoint URL (SPARQL Update)"
            )
        for name in graphs:
            _check_writable(str(name))
        for name, graph in graphs.items():
            if self.store_endpoint:
                self._put_graph(str(name), graph)
            else:
                self._insert_graph(str(name), graph)

    def _put_graph(self, name: str, graph: Graph) -> None:
        assert self.store_endpoint is not None
        chunks = chunk_triples(graph, _GSP_CHUNK) or [[]]
        bnodes: dict[Any, str] = {}
        for number, chunk in enumerate(chunks):
            body = "".join(
                f"{ntriples_term(s, bnodes)} {ntriples_term(p)} {ntriples_term(o, bnodes)} .\n" for s, p, o in chunk
            ).encode("utf-8")
            self._send(
                "PUT" if number == 0 else "POST",
                self.store_endpoint,
                f"load graph <{name}>",
                params={"graph": name},
                content=body,
                headers={"Content-Type": "application/n-triples", "Accept": "*/*"},
            )

    def _insert_graph(self, name: str, graph: Graph) -> None:
        chunks = chunk_triples(graph, self.chunk_size)
        bnodes: dict[Any, str] = {}
        drop = f"DROP SILENT GRAPH <{name}>"
        if not chunks:
            self.update(drop)
            return
        for number, chunk in enumerate(chunks):
            triples = "\n".join(
                f"  {ntriples_term(s, bnodes)} {ntriples_term(p)} {ntriples_term(o, bnodes)} ." for s, p, o in chunk
            )
            if any(isinstance(t, BNode) for s, _, o in chunk for t in (s, o)):
                # blank nodes are not allowed in INSERT DATA by Virtuoso: a template makes them fresh nodes
                insert = f"INSERT {{ GRAPH <{name}> {{\n{triples}\n}} }} WHERE {{}}"
            else:
                insert = f"INSERT DATA {{ GRAPH <{name}> {{\n{triples}\n}} }}"
            self.update(f"{drop} ;\n{insert}" if number == 0 else insert)

    def graph_sizes(self, graphs: Sequence[str] | None = None) -> dict[str, int]:
        """The number of triples in each of ``graphs`` (default: the store's graphs), 0 for a graph the
        store does not hold."""
        wanted = [str(g) for g in (graphs or self.graphs)]
        values = " ".join(f"<{g}>" for g in wanted)
        text = f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"
        params = [("query", text), *(("named-graph-uri", g) for g in wanted)]
        response = self._send("POST", self.endpoint, "query", data=_form(params), headers={"Accept": _RESULTS_JSON})
        result = sparql_json_result(json.loads(response.content))
        sizes = dict.fromkeys(wanted, 0)
        for graph, count in result.rows:
            sizes[str(graph)] = int(count)
        return sizes

    def dataset(self) -> Dataset:
        """The store's graphs (only those) as an rdflib dataset whose default graph is their union."""
        dataset = Dataset(default_union=True)
        for name in self.graphs:
            text = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}"
            response = self._request_query(text, _GRAPH_ACCEPT)
            target = dataset.graph(URIRef(name))
            for triple in _parse_graph(response, safe_url(self.endpoint)):
                target.add(triple)
        return dataset

    def __len__(self) -> int:
        return sum(self.graph_sizes().values())

    def close(self) -> None:
        if getattr(self, "_client", None) is not None:
            self._client.close()
        self._client = None  # type: ignore[assignment]


# -- helpers


def _check_url(url: str, what: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"the {what} must be an http(s) URL, not {safe_url(url) or url!r}")
    return url


def _check_writable(name: str) -> None:
    if any(name.startswith(p) for p in _PROTECTED_GRAPHS):
        raise StoreError(f"refusing to write the store's own system graph <{name}>")


def _form(params: Sequence[tuple[str, str]]) -> dict[str, list[str]]:
    form: dict[str, list[str]] = {}
    for key, value in params:
        form.setdefault(key, []).append(value)
    return form


def _reason(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return text[:_MESSAGE_LIMIT]


def _parse_graph(response: httpx.Response, where: str) -> Graph:
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    # any RDF format of kgtool.formats (aliases such as text/plain for N-Triples too), else Turtle
    fmt = formats.by_media_type(media, "rdf") or formats.get("ttl")
    graph = Graph()
    if response.content.strip():
        try:
            graph.parse(data=response.content, format=fmt.rdflib)
        except Exception as error:  # rdflib's parsers raise many kinds
            raise StoreError(
                f"query: cannot read the graph {where} answered ({media or 'no type'}): {_reason(error)}"
            ) from error
    return graph
