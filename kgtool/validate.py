"""Validation: the SHACL shapes and the ``*-violation.rq`` quality rules, in one typed report."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pyoxigraph as ox
from rdflib import Graph, Literal

from .errors import MissingOptionalError, UsageError
from .ontology import read_turtle
from .paths import ProjectPaths, project_paths

if TYPE_CHECKING:
    from rdflib.plugins.sparql.sparql import Query

    from .shacl import ShaclResult

__all__ = [
    "Violation",
    "ValidationReport",
    "validate_graph",
    "validate_sources",
    "validate_store",
    "pyshacl_results",
    "load_shapes",
    "load_rules",
    "ENGINES",
    "DEFAULT_ENGINE",
]


@dataclass(frozen=True)
class Violation:
    """One problem: which constraint (a shape's IRI or a rule's name) fired, on what, and why."""

    constraint: str
    focus: str
    message: str
    path: str | None = None
    value: str | None = None
    severity: str = "Violation"


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating a graph: ``conforms`` is true when no violation was found."""

    conforms: bool
    violations: tuple[Violation, ...]
    triples: int
    engine: str = "oxigraph"  # the SHACL engine that ran: "oxigraph" or "pyshacl"

    @property
    def constraints(self) -> set[str]:
        """The constraints that fired."""
        return {v.constraint for v in self.violations}

    def text(self) -> str:
        """A report for people: one line per violation, then the verdict."""
        lines = [
            f"{v.severity}: {v.constraint}: {v.focus}" + (f" {v.path}" if v.path else "") + f": {v.message}"
            for v in self.violations
        ]
        lines.append("conforms" if self.conforms else f"does not conform: {len(self.violations)} problem(s)")
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        return json.dumps(
            {"conforms": self.conforms, "triples": self.triples, "violations": [asdict(v) for v in self.violations]},
            ensure_ascii=False,
            indent=2,
        )


def load_shapes(paths: ProjectPaths | None = None) -> Graph:
    """A fresh copy of the shapes graph (pySHACL changes the graph it is given, so never share one)."""
    paths = paths or project_paths()
    return read_turtle(paths.shapes_file)


def load_rules(paths: ProjectPaths | None = None) -> dict[str, str]:
    """The quality rules: ``*-violation.rq`` files by name."""
    paths = paths or project_paths()
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(paths.rules_dir.glob("*-violation.rq"))}


class _PreparedQueryGraph(Graph):
    """A graph that parses each SPARQL text once.

    pySHACL runs a shape's SPARQL constraint once per focus node and rdflib parses the text every
    time: parsing, not evaluating, was 95% of validation time (RDFLib/pySHACL#237).
    """

    def __init__(self) -> None:
        super().__init__()
        self._prepared: dict[str, Query] = {}

    def query(self, query_object, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201 - rdflib's signature
        if isinstance(query_object, str):
            prepared = self._prepared.get(query_object)
            if prepared is None:
                from rdflib.plugins.sparql import prepareQuery

                prepared = self._prepared[query_object] = prepareQuery(query_object)
            query_object = prepared
        return super().query(query_object, *args, **kwargs)


#: The SHACL engines: kgtool's own on Oxigraph (the default), and pySHACL on rdflib (the reference).
ENGINES = ("oxigraph", "pyshacl")
DEFAULT_ENGINE = "oxigraph"


def validate_graph(
    graph: Graph, paths: ProjectPaths | None = None, *, engine: str = DEFAULT_ENGINE
) -> ValidationReport:
    """Validate ``graph`` (the ontology and the data together) against the shapes and the rules.

    Args:
        graph: the ontology plus instance data.
        paths: where the shapes and rules are (default: those shipped with kgtool).
        engine: ``"oxigraph"`` (the shapes compiled to SPARQL on Oxigraph, :mod:`kgtool.shacl`) or
            ``"pyshacl"`` (the reference engine); both give the same results.

    Returns:
        A report listing every violation; ``conforms`` is true when there is none.
    """
    from .shacl import ntriples_rewrites

    data = graph.serialize(format="nt", encoding="utf-8")
    store = ox.Store()
    store.load(data, format=ox.RdfFormat.N_TRIPLES)
    return _validate(store, lambda: graph, paths, engine, union=False, rewrites=ntriples_rewrites(data))


def validate_sources(
    graphs: Mapping[Any, Graph],
    paths: ProjectPaths | None = None,
    *,
    engine: str = DEFAULT_ENGINE,
    into: ox.Store | None = None,
) -> ValidationReport:
    """Validate named graphs (such as :func:`kgtool.sources.source_graphs`) as one graph, as :func:`validate_graph`
    does, without first copying them into one rdflib graph (the engine on Oxigraph never needs it).

    ``into``, an empty in-memory store, receives the graphs (default: a new one): a caller that writes the same
    graphs elsewhere takes them from it rather than serialising them again.
    """
    from .shacl import ntriples_rewrites

    store = ox.Store() if into is None else into
    rewrites = False
    for name, graph in graphs.items():
        data = graph.serialize(format="nt", encoding="utf-8")
        rewrites = rewrites or ntriples_rewrites(data)
        store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(name)))

    def union() -> Graph:
        merged = Graph()
        for graph in graphs.values():
            for triple in graph:
                merged.add(triple)
        return merged

    return _validate(store, union, paths, engine, union=True, rewrites=rewrites)


def validate_store(
    store: ox.Store, paths: ProjectPaths | None = None, *, engine: str = DEFAULT_ENGINE, graph: Graph | None = None
) -> ValidationReport:
    """Validate the union of the named graphs of an Oxigraph store (as :func:`validate_graph` does a graph).

    ``graph``, the same triples as an rdflib graph, is used by the reference engine if given (else the
    store is copied into one), and to find literals that Oxigraph stores rewritten (``"5"^^xsd:int`` as an
    ``xsd:integer``): with any, the reference engine runs, which sees them as written.
    """

    def rdflib_graph() -> Graph:
        if graph is not None:
            return graph
        copy = Graph()
        copy.parse(data=(store.dump(format=ox.RdfFormat.N_QUADS) or b"").decode("utf-8"), format="nquads")
        return copy

    return _validate(store, rdflib_graph, paths, engine, union=True, rewrites=graph is not None and _rewrites(graph))


def _validate(
    store: ox.Store,
    rdflib_graph: Callable[[], Graph],
    paths: ProjectPaths | None,
    engine: str,
    union: bool,
    rewrites: bool,
) -> ValidationReport:
    if engine not in ENGINES:
        raise UsageError(f"unknown validation engine {engine!r}; known: {', '.join(ENGINES)}")
    paths = paths or project_paths()
    if engine == "oxigraph" and rewrites:
        engine = "pyshacl"  # Oxigraph stores some literal rewritten: only the reference engine sees it as written
    if engine == "oxigraph":
        from .shacl import validate_store as shacl_validate

        results = shacl_validate(store, paths.shapes_file, union=union)
    else:
        results = pyshacl_results(rdflib_graph(), paths.shapes_file)
    violations = [
        Violation(
            constraint=_term_text(r.shape),
            focus=_term_text(r.focus),
            message=r.message,
            path=_path_text(r.path),
            value=None if r.value is None else _term_text(r.value),
            severity=r.severity.value.rpartition("#")[2] or "Violation",
        )
        for r in results
    ]
    for name, text in load_rules(paths).items():
        solutions = cast(ox.QuerySolutions, store.query(text, use_default_graph_as_union=union))
        names = [v.value for v in solutions.variables]
        for row in solutions:
            focus = row["focus"] if "focus" in names else None
            message = row["message"] if "message" in names else None
            violations.append(
                Violation(
                    constraint=name,
                    focus="" if focus is None else _term_text(focus),
                    message=message.value if message is not None else f"violates {name}",
                )
            )
    violations = sorted(
        set(violations),
        key=lambda v: (v.severity != "Violation", v.constraint, v.focus, v.path or "", v.value or "", v.message),
    )
    conforms = not any(v.severity == "Violation" for v in violations)
    return ValidationReport(conforms, tuple(violations), len(store), engine)


def _rewrites(graph: Graph) -> bool:
    """Whether Oxigraph would store some literal of ``graph`` rewritten (see :func:`kgtool.shacl.store_rewrites`)."""
    from .shacl import store_rewrites

    return bool(store_rewrites(o for o in graph.objects() if isinstance(o, Literal)))


def pyshacl_results(graph: Graph, shapes_file: Path, *, prepared: bool = True) -> list[ShaclResult]:
    """Validate ``graph`` with pySHACL (``advanced=True``): the reference engine, in :mod:`kgtool.shacl`'s terms.

    With ``prepared`` (the default) each SPARQL text is parsed once rather than once per focus node.
    """
    try:
        import pyshacl
    except ImportError as error:  # pragma: no cover - a core dependency
        raise MissingOptionalError("pyshacl is not installed") from error
    from .shacl import SH, ShaclResult, TripleIndex, render_path

    data = _PreparedQueryGraph() if prepared else Graph()
    for triple in graph:
        data.add(triple)
    _conforms, report, _text = pyshacl.validate(
        data,
        inplace=True,  # ``data`` is our own copy: no need for pySHACL to clone it again
        shacl_graph=read_turtle(shapes_file),
        inference="none",
        advanced=True,
        allow_warnings=True,
        abort_on_first=False,
    )
    index = TripleIndex(ox.parse(report.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES))
    results = []
    for node in index.subjects(SH + "resultSeverity"):
        path = index.one(node, SH + "resultPath")
        messages = index.objects(node, SH + "resultMessage")
        results.append(
            ShaclResult(
                focus=index.one(node, SH + "focusNode"),
                path=None if path is None else render_path(index.objects, path),
                value=index.one(node, SH + "value"),
                shape=index.one(node, SH + "sourceShape"),
                severity=index.one(node, SH + "resultSeverity"),
                message=messages[0].value if messages else "",
                component=index.one(node, SH + "sourceConstraintComponent").value.removeprefix(SH),
            )
        )
    return results


def _term_text(term: object) -> str:
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def _path_text(path: str | None) -> str | None:
    """A result path as text: an IRI as itself, a complex path in SPARQL syntax."""
    if path is None:
        return None
    return path[1:-1] if path.startswith("<") and path.endswith(">") and " " not in path else path


def _short(term: object) -> str:
    return "" if term is None else str(term)
