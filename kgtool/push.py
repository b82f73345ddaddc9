"""Load the graph into a shared SPARQL 1.1 store, replacing the previous copy, and check what arrived.

The graph goes in named graphs: by default the project's own two (``.../graph/ontology`` and
``.../graph/data``), or all of it in one graph of the caller's choice. Only those graphs are replaced
(Graph Store Protocol ``PUT`` per graph, or ``DROP SILENT GRAPH`` + ``INSERT DATA`` through SPARQL Update
where a store offers nothing else); every other graph of the store is left as it was. Afterwards the
triples of each graph are counted on the store and compared with what was sent.

>>> from kgtool.push import GraphCount
>>> GraphCount("https://w3id.org/sz20plus8/graph/data", 5031, 5031).ok
True
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from .errors import StoreError
from .paths import ProjectPaths

__all__ = ["push", "PushReport", "GraphCount", "load_graphs"]


@dataclass(frozen=True)
class GraphCount:
    """One named graph of a push: the triples sent and the triples the store then held."""

    graph: str
    expected: int
    found: int

    @property
    def ok(self) -> bool:
        return self.expected == self.found


@dataclass(frozen=True)
class PushReport:
    """What :func:`push` did: where it wrote, how, from what, and the count of each graph afterwards.

    ``ok`` is true when every graph holds exactly the triples sent. URLs carry no credentials.
    """

    endpoint: str
    written_to: str
    method: str  # "graph-store-protocol" or "sparql-update"
    source: str
    graphs: tuple[GraphCount, ...]
    seconds: float

    @property
    def ok(self) -> bool:
        return all(count.ok for count in self.graphs)

    @property
    def triples(self) -> int:
        return sum(count.expected for count in self.graphs)

    def text(self) -> str:
        """The report for people: one line per graph, then the verdict."""
        how = "Graph Store Protocol" if self.method == "graph-store-protocol" else "SPARQL Update"
        width = max(len(c.graph) for c in self.graphs)
        lines = [
            f"pushed {self.triples} triples from {self.source}",
            f"  to {self.written_to} ({how}) in {self.seconds:.1f} s",
            f"  {'graph':<{width}}  {'sent':>8}  {'found':>8}",
        ]
        for count in self.graphs:
            mark = "ok" if count.ok else "MISMATCH"
            lines.append(f"  {count.graph:<{width}}  {count.expected:>8}  {count.found:>8}  {mark}")
        lines.append(
            f"verified: {self.endpoint} answers with the same triple counts"
            if self.ok
            else f"NOT verified: {self.endpoint} holds other triple counts than were sent"
        )
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        doc = asdict(self)
        doc["ok"] = self.ok
        doc["triples"] = self.triples
        for graph, count in zip(doc["graphs"], self.graphs, strict=True):
            graph["ok"] = count.ok
        return json.dumps(doc, indent=2)


def load_graphs(
    home: Path | None = None,
    *,
    paths: ProjectPaths | None = None,
    from_sources: bool = False,
) -> tuple[dict[URIRef, Graph], str]:
    """The project's named graphs, from the store ``kgtool build`` wrote (when there is one and
    ``from_sources`` is false) or compiled from the sources now; with a description of where from.

    Raises:
        DataError: the sources cannot be compiled.
        StoreError: the built store cannot be read.
    """
    from .paths import data_home, store_path
    from .sources import source_graphs
    from .stores.endpoint import PROJECT_GRAPHS

    path = store_path(home or data_home())
    if not from_sources and path.exists():
        from .stores.oxigraph import OxigraphStore

        with OxigraphStore(path) as store:
            dataset = store.dataset()
        found = {
            str(g.identifier): g
            for g in dataset.graphs()
            if isinstance(g.identifier, URIRef) and len(g) and not str(g.identifier).startswith("urn:x-rdflib:")
        }
        order = [g for g in PROJECT_GRAPHS if g in found] + sorted(set(found) - set(PROJECT_GRAPHS))
        graphs = {URIRef(name): found[name] for name in order}
        if graphs:
            return graphs, f"the built store {path}"
    return source_graphs(paths), "the sources (compiled now)"


def push(
    endpoint: str,
    *,
    update_endpoint: str | None = None,
    store_endpoint: str | None = None,
    graph: str | None = None,
    user: str | None = None,
    password: str | None = None,
    home: Path | None = None,
    paths: ProjectPaths | None = None,
    from_sources: bool = False,
    graphs: Mapping[URIRef, Graph] | None = None,
    timeout: float = 300.0,
) -> PushReport:
    """Replace this dataset's named graphs on a remote store and verify them by counting triples.

    Args:
        endpoint: the store's query URL (used to verify).
        update_endpoint: its SPARQL Update URL (used to write when there is no ``store_endpoint``).
        store_endpoint: its Graph Store Protocol URL (preferred for writing).
        graph: put everything in this one named graph instead of the project's two.
        user, password: credentials, sent when the server asks (default ``$KGTOOL_ENDPOINT_USER``,
            ``$KGTOOL_ENDPOINT_PASSWORD``).
        home: where the built store is; ``from_sources`` compiles the sources instead;
            ``graphs`` gives the named graphs directly (then neither is read).
        timeout: seconds to wait for any one request.

    Returns:
        The report; its ``ok`` is always true (a mismatch raises).

    Raises:
        StoreError: no URL to write to, an HTTP or connection error, or a store that holds other counts
            than were sent afterwards (the error's ``report`` attribute has the counts).
        UsageError: a URL or graph IRI that is not one.
    """
    from .sources import union
    from .stores.endpoint import EndpointStore, safe_url

    if not store_endpoint and not update_endpoint:
        raise StoreError(
            "push needs somewhere to write: --store-endpoint URL (Graph Store Protocol) "
            "or --update-endpoint URL (SPARQL Update)"
        )
    if graphs is not None:
        source = "the graphs given"
    else:
        graphs, source = load_graphs(home, paths=paths, from_sources=from_sources)
    targets: dict[URIRef, Graph] = {URIRef(graph): union(dict(graphs))} if graph else dict(graphs)
    started = time.monotonic()
    store = EndpointStore(
        endpoint,
        update_endpoint,
        store_endpoint,
        user=user,
        password=password,
        graphs=[str(g) for g in targets],
        timeout=timeout,
    )
    with store:
        store.replace(targets)
        found = store.graph_sizes()
    counts = tuple(GraphCount(str(name), len(content), found.get(str(name), 0)) for name, content in targets.items())
    written_to = store_endpoint or update_endpoint or ""
    report = PushReport(
        endpoint=safe_url(endpoint),
        written_to=safe_url(written_to),
        method="graph-store-protocol" if store_endpoint else "sparql-update",
        source=source,
        graphs=counts,
        seconds=time.monotonic() - started,
    )
    if not report.ok:
        wrong = "; ".join(f"<{c.graph}> sent {c.expected}, found {c.found}" for c in counts if not c.ok)
        error = StoreError(f"the store does not hold what was pushed: {wrong}")
        error.report = report  # type: ignore[attr-defined]
        raise error
    return report
