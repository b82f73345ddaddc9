"""Reasoning behind one door: owlready2 and Java are touched here only.

``check_consistency`` runs HermiT (through owlready2) over the ontology and data; ``materialize``
adds the OWL 2 RL inferences (through owlrl, in Python). Nothing is fetched: the graph is handed to
owlready2 as a local file and the ontology has no ``owl:imports``.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from .errors import MissingOptionalError

__all__ = ["ConsistencyReport", "check_consistency", "materialize", "java_available"]


@dataclass(frozen=True)
class ConsistencyReport:
    """HermiT's verdict: consistent or not, with its explanation when not."""

    consistent: bool
    reasoner: str
    explanation: str = ""
    unsatisfiable_classes: tuple[str, ...] = ()

    def text(self) -> str:
        if self.consistent and not self.unsatisfiable_classes:
            return f"consistent ({self.reasoner})\n"
        lines = [f"inconsistent ({self.reasoner})" if not self.consistent else f"consistent ({self.reasoner})"]
        if self.explanation:
            lines.append(self.explanation)
        lines += [f"unsatisfiable class: {c}" for c in self.unsatisfiable_classes]
        return "\n".join(lines) + "\n"


def java_available() -> bool:
    """Whether a Java runtime (needed by HermiT) is on the PATH."""
    return shutil.which("java") is not None


def check_consistency(graph: Graph) -> ConsistencyReport:
    """Check the ontology plus data for consistency with HermiT.

    Raises:
        MissingOptionalError: owlready2 (the ``reason`` extra) or Java is missing.
    """
    try:
        import owlready2
    except ImportError as error:
        raise MissingOptionalError("owlready2 is not installed: pip install 'sz20plus8[reason]'") from error
    if not java_available():
        raise MissingOptionalError(
            "Java is not installed: HermiT needs a Java runtime (e.g. apt-get install default-jre-headless)"
        )
    with tempfile.TemporaryDirectory(prefix="kgtool-reason-") as tmp:
        path = Path(tmp) / "graph.nt"
        graph.serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        ontology = world.get_ontology(path.as_uri()).load()
        try:
            with ontology:
                # xsd:gYear, xsd:gYearMonth and xsd:date are outside the OWL 2 datatype map: HermiT
                # must skip their values rather than fail on them.
                owlready2.sync_reasoner_hermit(
                    world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True
                )
        except owlready2.OwlReadyInconsistentOntologyError as error:
            return ConsistencyReport(False, "HermiT", str(error).strip())
        unsatisfiable = tuple(sorted(c.iri for c in world.inconsistent_classes()))
        world.close()
    return ConsistencyReport(True, "HermiT", "", unsatisfiable)


def materialize(graph: Graph) -> Graph:
    """The OWL 2 RL inferences of ``graph``: the triples the closure adds, not the input itself."""
    import owlrl

    closure = Graph()
    for triple in graph:
        closure.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(closure)
    inferred = Graph()
    for prefix, namespace in graph.namespaces():
        inferred.bind(prefix, namespace)
    for triple in closure:
        if triple not in graph:
            inferred.add(triple)
    return inferred
