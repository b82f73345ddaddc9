"""Validation: the SHACL shapes and the ``*-violation.rq`` quality rules, in one typed report."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query

from .errors import DataError, MissingOptionalError
from .namespaces import SH
from .paths import ProjectPaths, project_paths
from .sparql import TrustedQuery
from .stores.oxigraph import OxigraphStore

__all__ = ["Violation", "ValidationReport", "validate_graph", "load_shapes", "load_rules"]


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
        return json.dumps({"conforms": self.conforms, "triples": self.triples,
                           "violations": [asdict(v) for v in self.violations]}, ensure_ascii=False, indent=2)


def load_shapes(paths: ProjectPaths | None = None) -> Graph:
    """A fresh copy of the shapes graph (pySHACL changes the graph it is given, so never share one)."""
    paths = paths or project_paths()
    return _parse_turtle(paths.shapes_file)


def load_rules(paths: ProjectPaths | None = None) -> dict[str, str]:
    """The quality rules: ``*-violation.rq`` files by name."""
    paths = paths or project_paths()
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(paths.rules_dir.glob("*-violation.rq"))}


def _parse_turtle(path: Path) -> Graph:
    from rdflib.plugins.parsers.notation3 import BadSyntax

    from .authoring import read_utf8

    graph = Graph()
    try:
        read_utf8(path)  # a file that is not UTF-8 is named with its line
        graph.parse(path, format="turtle")
    except FileNotFoundError:
        raise DataError(path, None, "no such file") from None
    except BadSyntax as error:
        raise DataError(path, error.lines + 1, f"Turtle syntax: {error._why}") from None  # noqa: SLF001
    return graph


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
                prepared = self._prepared[query_object] = prepareQuery(query_object)
            query_object = prepared
        return super().query(query_object, *args, **kwargs)


def validate_graph(graph: Graph, paths: ProjectPaths | None = None) -> ValidationReport:
    """Validate ``graph`` (the ontology and the data together) against the shapes and the rules.

    Args:
        graph: the ontology plus instance data.
        paths: where the shapes and rules are (default: those shipped with kgtool).

    Returns:
        A report listing every violation; ``conforms`` is true when there is none.
    """
    try:
        import pyshacl
    except ImportError as error:  # pragma: no cover - a core dependency
        raise MissingOptionalError("pyshacl is not installed") from error
    paths = paths or project_paths()
    violations: list[Violation] = []
    data = _PreparedQueryGraph()
    for triple in graph:
        data.add(triple)
    _conforms, results, _text = pyshacl.validate(
        data,
        inplace=True,  # ``data`` is our own copy: no need for pySHACL to clone it again
        shacl_graph=load_shapes(paths),
        inference="none",
        advanced=True,
        allow_warnings=True,
        abort_on_first=False,
    )
    for result in results.subjects(RDF.type, SH.ValidationResult):
        violations.append(
            Violation(
                constraint=_short(results.value(result, SH.sourceShape)),
                focus=_short(results.value(result, SH.focusNode)),
                message=str(results.value(result, SH.resultMessage) or ""),
                path=_short(results.value(result, SH.resultPath)) or None,
                value=_short(results.value(result, SH.value)) or None,
                severity=_short(results.value(result, SH.resultSeverity)).rpartition("#")[2] or "Violation",
            )
        )
    rules = load_rules(paths)
    if rules:
        store = OxigraphStore()
        store.replace({URIRef("urn:kgtool:validate"): graph})
        for name, text in rules.items():
            result = store.query(TrustedQuery(text))  # the project's own rules
            for row in result.dicts():
                violations.append(
                    Violation(constraint=name, focus=str(row.get("focus") or ""),
                              message=str(row.get("message") or f"violates {name}"))
                )
    violations.sort(key=lambda v: (v.severity != "Violation", v.constraint, v.focus, v.message))
    conforms = not any(v.severity == "Violation" for v in violations)
    return ValidationReport(conforms, tuple(violations), len(graph))


def _short(term: object) -> str:
    return "" if term is None else str(term)
