"""The knowledge graph as one object: open it, query it, validate it, export it."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import PATH, ParameterError, UsageError, check_arg
from .namespaces import BASE
from .paths import ProjectPaths, project_paths
from .queries import NamedQuery, Param, Term, load_queries, load_query, param_term, sparql_term
from .questions import Questions
from .results import QueryResult
from .sparql import TrustedQuery
from .stores import Store, StoreConfig, store_class

if TYPE_CHECKING:
    from rdflib import Graph, Literal, URIRef

    from .draft import Draft, PublishedList
    from .timelimit import QueryRunner
    from .validate import ValidationReport

__all__ = ["KnowledgeGraph", "open_graph", "Stats"]

#: What makes a parameter value known, by parameter type: an ASK pattern about the value (``{value}``), the
#: values :meth:`KnowledgeGraph._instances` lists.
_KNOWN = {
    "version": "?x a sz:PolicyVersion ; sz:versionNumber {value}",
    "measure": "{value} a sz:Measure",
    "source": "{value} a sz:Source",
    "subject": "?figure sz:subject {value}",
    "cluster": "?membership sz:cluster {value}",
}
# A value that may be an IRI as is (no characters an IRI cannot hold)
_IRI_LIKE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+")


class Default:
    """The type of :data:`DEFAULT`: an argument left to its documented default."""

    def __repr__(self) -> str:
        return "DEFAULT"


#: An argument left to its default (where None means something else, such as no time limit).
DEFAULT = Default()


@dataclass(frozen=True)
class Stats:
    """A summary of the graph: triples, versions with their clusters per tier, events, figures, sources."""

    triples: int
    versions: tuple[tuple[str, str, int, int], ...]  # (version, status, strategic clusters, future industries)
    events: int
    observations: int
    targets: int
    sources: int

    def text(self) -> str:
        lines = [f"triples       {self.triples}", "versions"]
        for version, status, sei, future in self.versions:
            members = (
                f"{sei} strategic emerging industry clusters, {future} future industries"
                if sei or future
                else "no list of clusters published yet"
            )
            lines.append(f"  {version:<5} {status:<11} {members}")
        lines += [
            f"events        {self.events}",
            f"observations  {self.observations}",
            f"targets       {self.targets}",
            f"sources       {self.sources}",
        ]
        return "\n".join(lines) + "\n"


_STATS_QUERY = """
PREFIX sz: <https://w3id.org/sz20plus8/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?version ?status
       (COUNT(DISTINCT ?sei) AS ?strategic) (COUNT(DISTINCT ?future) AS ?futures)
WHERE {
  ?v a sz:PolicyVersion ; sz:versionNumber ?version ; sz:status ?s .
  BIND(REPLACE(STR(?s), "^.*#", "") AS ?status)
  OPTIONAL { ?m a sz:Membership ; sz:version ?v ; sz:cluster ?c .
             OPTIONAL { ?c a sz:StrategicEmergingIndustryCluster . BIND(?c AS ?sei) }
             OPTIONAL { ?c a sz:FutureIndustry . BIND(?c AS ?future) } }
}
GROUP BY ?version ?status
ORDER BY ?version
"""

_COUNTS_QUERY = """
PREFIX sz: <https://w3id.org/sz20plus8/def#>
SELECT
  (SUM(IF(?kind = "event", 1, 0)) AS ?events)
  (SUM(IF(?kind = "observation", 1, 0)) AS ?observations)
  (SUM(IF(?kind = "target", 1, 0)) AS ?targets)
  (SUM(IF(?kind = "source", 1, 0)) AS ?sources)
WHERE {
  { ?x sz:version ?v ; a ?t . ?t rdfs:subClassOf* sz:ReclassificationEvent . BIND("event" AS ?kind) }
  UNION { ?x a sz:Observation . BIND("observation" AS ?kind) }
  UNION { ?x a sz:Target . BIND("target" AS ?kind) }
  UNION { ?x a sz:Source . BIND("source" AS ?kind) }
}
""".replace("PREFIX sz:", "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nPREFIX sz:", 1)


class KnowledgeGraph(Questions):
    """The sz20plus8 graph in a store, with its named queries (:func:`kgtool.open` opens it).

    >>> import kgtool
    >>> kg = kgtool.open("memory")
    >>> kg
    <KnowledgeGraph in the memory store, compiled from .../graph>
    >>> [row.version for row in kg.query("counts") if row.tier == "sei"]
    ['1.0', '2.0', '3.0']
    """

    def __init__(self, store: Store, paths: ProjectPaths | None = None) -> None:
        self.store = check_arg(store, Store, "store")
        self.paths = check_arg(paths, ProjectPaths, "paths", optional=True) or project_paths()
        self._runner: QueryRunner | None = None
        self._known_values: set[tuple[str, Term]] = set()  # parameter values the graph has (see _known)
        self._known_at = store.revision

    # -- queries

    @property
    def queries(self) -> dict[str, NamedQuery]:
        """The named queries, by name, as their files are now (a file is parsed again only when it changed)."""
        return load_queries(self.paths.queries_dir)

    def named_query(self, name: str) -> NamedQuery:
        """The named query ``name``, as its file is now.

        Raises:
            UsageError: for an unknown name, listing the known ones.
        """
        named = load_query(self.paths.queries_dir, name)  # this one file only: a command runs one query
        if named is None:
            raise UsageError(f"unknown query {name!r}; known queries: {', '.join(self.queries)}")
        return named

    def query(self, name: str, **params: Any) -> QueryResult:
        """Run the named query ``name`` with its parameters.

        Values are bound as RDF terms of each parameter's type; clusters may be given as a slug, an
        IRI, or an English or Chinese label; versions, measures and sources are checked against the
        graph, and an unknown one is an error that lists the valid values.

        Raises:
            UsageError: unknown query.
            ParameterError: unknown, missing or ill-typed parameter, or a value the graph lacks.
        """
        return self.store.query(self.bind(name, **params))

    def bind(self, name: str, **params: Any) -> TrustedQuery:
        """The named query ``name`` as :meth:`query` runs it: its parameters checked, resolved against the
        graph and bound in its text (the server's ``/queries/NAME`` sends this text to its store).

        >>> kg = open_graph(store="memory")
        >>> "VALUES (?lang ?version)" in kg.bind("clusters", version="2")
        True

        Raises:
            UsageError: unknown query.
            ParameterError: unknown, missing or ill-typed parameter, or a value the graph lacks.
        """
        named = self.named_query(check_arg(name, str, "name"))
        values = named.check_params(params)
        terms = {key: self._resolve(named.param(key), value, name) for key, value in values.items()}
        return named.bind(terms)

    def sparql(self, text: str, *, timeout: float | None | Default = DEFAULT) -> QueryResult:
        """Run an ad-hoc SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE); ``SERVICE`` and updates are refused.

        The query is checked first (:func:`kgtool.sparql.check_query`: a syntax error, a refused clause or
        a query beyond kgtool's limits is refused at once), then runs at most ``timeout`` seconds: by
        default ``$KGTOOL_QUERY_TIMEOUT``, else 30 (:data:`kgtool.timelimit.DEFAULT_TIMEOUT`); ``None``
        or 0: no limit. A time-limited query runs in a worker process that is stopped when the time runs
        out, as the server's are (:mod:`kgtool.timelimit`); a remote endpoint has its own timeout.

        Raises:
            QueryError: the query is refused, fails, or was stopped at the time limit.
            UsageError: ``text`` is no str, or ``timeout`` no number of seconds.
        """
        from .timelimit import QueryRunner, check_timeout, default_timeout

        check_arg(text, str, "text")
        limit = default_timeout() if timeout is DEFAULT else check_timeout(timeout)
        info = self.store.check(text)
        if limit is None or not self.store.runs_locally or info.is_update:
            return self.store.query(text)
        if self._runner is None:
            self._runner = QueryRunner(self.store)
        return self._runner.query(text, limit)

    def resolve(self, param: Param, value: Any, query: str = "") -> URIRef | Literal:
        """The RDF term for a parameter value, checked against the graph where its type names things."""
        return self._resolve(param, value, query).to_rdflib()

    def _resolve(self, param: Param, value: Any, query: str) -> Term:
        # resolve() without rdflib: named queries bind these terms, so that running one does not import it
        if param.type == "cluster" and isinstance(value, str):
            return Term.iri(self._cluster_iri(value))
        checked = param.type in _KNOWN
        try:
            term = param_term(param, value, query)
        except ParameterError as error:
            if not checked:
                raise
            raise ParameterError(f"{error}; known: {', '.join(sorted(self._instances(param.type).values()))}") from None
        if checked and not self._known(param.type, term):  # the list of known values only for the message
            known = self._instances(param.type)
            if term not in known:
                names = ", ".join(sorted(known.values()))
                what = "subject with figures" if param.type == "subject" else param.type
                raise ParameterError(f"query {query!r}: unknown {what} {value!r} for {param.name!r}; known: {names}")
        return term

    def resolve_cluster(self, value: str) -> URIRef:
        """A cluster's IRI from its slug, IRI, or English or Chinese label (case-insensitive).

        Raises:
            ParameterError: no cluster or several clusters match; the message lists candidates.
        """
        from rdflib import URIRef

        return URIRef(self._cluster_iri(check_arg(value, str, "value")))

    def _cluster_iri(self, value: str) -> str:
        wanted = value.strip()
        # An IRI, or a slug of the project's cluster IRIs, is looked up alone: listing every cluster with its
        # labels (below, for labels and messages) costs as much as the graph is large.
        for iri in (wanted, BASE + "cluster/" + wanted):
            if _IRI_LIKE.fullmatch(iri) and self._known("cluster", Term.iri(iri)):
                return iri
        clusters = self._clusters()
        if wanted in clusters:
            return wanted
        by_slug = {iri.rsplit("/", 1)[1]: iri for iri in clusters}
        if wanted in by_slug:
            return by_slug[wanted]
        folded = wanted.casefold()
        matches = sorted({iri for iri, labels in clusters.items() if folded in (lbl.casefold() for lbl in labels)})
        if len(matches) == 1:
            return matches[0]
        if not matches:
            near = sorted(
                slug
                for slug, iri in by_slug.items()
                if folded in slug or any(folded in lbl.casefold() for lbl in clusters[iri])
            )
            hint = f"; did you mean: {', '.join(near)}" if near else f"; known: {', '.join(sorted(by_slug))}"
            raise ParameterError(f"no cluster {value!r}{hint}")
        slugs = ", ".join(m.rsplit("/", 1)[1] for m in matches)
        raise ParameterError(f"{value!r} names several clusters: {slugs}; give a slug")

    def _clusters(self) -> dict[str, list[str]]:
        # The answers are read as text (QueryResult.text_rows), unbound labels as "": no rdflib terms are made.
        rows = self.store.query(
            TrustedQuery(
                "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
                "PREFIX sz: <https://w3id.org/sz20plus8/def#>\n"
                "SELECT ?c ?label WHERE { ?m sz:cluster ?c . "
                "OPTIONAL { ?c skos:prefLabel|skos:altLabel ?label } }"
            )
        ).text_rows()
        clusters: dict[str, list[str]] = {}
        for iri, label in rows:
            clusters.setdefault(iri, [])
            if label:
                clusters[iri].append(label)
        return clusters

    def _known(self, kind: str, term: Term) -> bool:
        """Whether the graph has ``term`` as a value of a parameter of type ``kind`` (one ASK; a value found is
        remembered until the store is changed through kgtool, except on a remote endpoint, whose data may
        change under it: a query run again with the same values asks nothing more)."""
        if self._known_at != self.store.revision:
            self._known_values.clear()
            self._known_at = self.store.revision
        if (kind, term) in self._known_values:
            return True
        pattern = _KNOWN[kind].format(value=sparql_term(term))
        known = bool(self.store.query(TrustedQuery(f"PREFIX sz: <{BASE}def#>\nASK {{ {pattern} }}")).boolean)
        if known and self.store.runs_locally and len(self._known_values) < 4096:
            self._known_values.add((kind, term))
        return known

    def _instances(self, kind: str) -> dict[Term, str]:
        """The terms a parameter of type ``kind`` may take, with their names for messages."""
        prefix = TrustedQuery("PREFIX sz: <https://w3id.org/sz20plus8/def#>\n")
        if kind == "version":  # versions are bound as their number
            rows = self.store.query(
                TrustedQuery(prefix + "SELECT DISTINCT ?n WHERE { ?x a sz:PolicyVersion ; sz:versionNumber ?n }")
            ).text_rows()
            return {Term.literal(number): number for (number,) in rows}
        if kind == "subject":  # the subjects of figures, named as in the data files (place/shenzhen)
            rows = self.store.query(TrustedQuery(prefix + "SELECT DISTINCT ?x WHERE { ?f sz:subject ?x }")).text_rows()
            return {Term.iri(iri): "/".join(iri.rsplit("/", 2)[1:]) for (iri,) in rows}
        cls = {"measure": "Measure", "source": "Source"}[kind]
        rows = self.store.query(TrustedQuery(prefix + f"SELECT DISTINCT ?x WHERE {{ ?x a sz:{cls} }}")).text_rows()
        return {Term.iri(iri): iri.rsplit("/", 1)[1] for (iri,) in rows}

    # -- the graph as a whole

    def rdflib_graph(self) -> Graph:
        """The whole graph (ontology and data) as one rdflib graph."""
        from rdflib import URIRef

        from .sources import union

        dataset = self.store.dataset()
        return union({URIRef(str(g.identifier)): g for g in dataset.graphs()})

    def export(self, format: str = "ttl") -> bytes:  # noqa: A002 - the name users know
        """The whole graph serialised in ``format``: ttl, nt, jsonld, xml, trig or nq (deterministic)."""
        from .export import export_graphs

        return export_graphs(self.store.dump_graphs(), check_arg(format, str, "format"))

    def validate(self, engine: str = "oxigraph") -> ValidationReport:
        """Check the graph against the shapes and quality rules (``engine``: see :func:`~kgtool.validate.ENGINES`)."""
        from .stores.oxigraph import OxigraphStore
        from .validate import validate_graph, validate_store

        check_arg(engine, str, "engine")
        if isinstance(self.store, OxigraphStore) and engine == "oxigraph":  # no copy: validate the store itself
            return validate_store(self.store.native, self.paths)
        return validate_graph(self.rdflib_graph(), self.paths, engine=engine)

    def stats(self) -> Stats:
        """Counts of triples, clusters per version and tier, events, figures and sources."""
        versions = tuple(
            (str(v), re.sub(r"(?<!^)([A-Z])", r"-\1", str(s)).lower(), int(a), int(b))
            for v, s, a, b in self.store.query(TrustedQuery(_STATS_QUERY))
        )
        counts = self.store.query(TrustedQuery(_COUNTS_QUERY)).rows[0]
        events, observations, targets, sources = (int(c or 0) for c in counts)
        return Stats(len(self.store), versions, events, observations, targets, sources)

    def draft_version(
        self,
        version: str,
        listing: PublishedList | Path | str,
        *,
        previous: str | None = None,
        source_id: str | None = None,
        source_iri: str | None = None,
        source_title: str | None = None,
        source_date: str | None = None,
        source_kind: str | None = None,
    ) -> Draft:
        """Draft ``version`` from its published list (a text or CSV file): see :func:`kgtool.draft.draft_version`.

        Returns the proposals as data: ``.clusters`` (each matched to its predecessor by the identity
        rule), ``.events`` (typed, with reason and confidence), ``.questions`` for a person, and
        ``.review()``, ``.clusters_csv()``, ``.events_toml()``, ``.write(directory)``.
        """
        from .draft import draft_version

        return draft_version(
            self,
            version,
            listing,
            previous=previous,
            source_id=source_id,
            source_iri=source_iri,
            source_title=source_title,
            source_date=source_date,
            source_kind=source_kind,
        )

    def __repr__(self) -> str:
        """What the graph is and where it lives (a store's address without its password; nothing is queried)."""
        where = ""
        path, endpoint = getattr(self.store, "path", None), getattr(self.store, "endpoint", None)
        if path is not None:
            where = f" at {path}"
        elif endpoint is not None:
            from .stores.endpoint import safe_url

            where = f" at {safe_url(endpoint)}"
        elif self.store.compiles_sources:
            where = f", compiled from {self.paths.graph_dir}"
        return f"<KnowledgeGraph in the {self.store.name} store{where}>"

    def close(self) -> None:
        if self._runner is not None:
            self._runner.close()
            self._runner = None
        self.store.close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_graph(
    store: str | None = None,
    *,
    home: Path | str | None = None,
    paths: ProjectPaths | Path | str | None = None,
    extra: Sequence[Path | str] = (),
    options: Mapping[str, Any] | None = None,
) -> KnowledgeGraph:
    """Open the knowledge graph.

    Every store is opened the same way: its class's :meth:`~kgtool.stores.Store.open` gets one
    :class:`~kgtool.stores.StoreConfig` of these arguments and takes what applies to it.

    Args:
        store: the store's name: ``oxigraph`` (the default: the store ``kgtool build`` wrote),
            ``memory`` (compiled from the sources now), ``sparql`` (a remote endpoint, with
            ``options={"endpoint": URL, ...}``) or one a package registered; default ``$KGTOOL_STORE``,
            else ``oxigraph``.
        home: where the built store is (default :func:`kgtool.paths.data_home`); a path or a string.
        paths: where the ontology, data and queries are (a :class:`ProjectPaths`, or its root directory).
        extra: more data files, for a store compiled from the sources (``memory``).
        options: the store's own options (see its ``options`` attribute).

    Raises:
        NotBuiltError: the oxigraph store has not been built yet.
        StoreError: the store cannot be opened (a corrupt store directory, say).
        UsageError: an unknown store name, or an option the store does not take.
    """
    check_arg(store, str, "store", optional=True)
    check_arg(home, PATH, "home", optional=True)
    check_arg(paths, (ProjectPaths, *PATH), "paths", optional=True)
    for item in check_arg(extra, (list, tuple), "extra"):
        check_arg(item, PATH, "each of extra")
    check_arg(options, Mapping, "options", optional=True)
    if isinstance(paths, (str, os.PathLike)):
        paths = ProjectPaths(Path(paths))
    paths = paths or project_paths()
    config = StoreConfig(
        home=Path(home) if home is not None else None,
        paths=paths,
        extra=tuple(Path(p) for p in extra),
        options=dict(options or {}),
    )
    return KnowledgeGraph(store_class(store).open(config), paths)
