"""Compilers of ``plans-and-claims.toml``: technologies, planned measures and claims of achievement, each with
what it concerns (:func:`~kgtool.authoring.links.compile_links`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rdflib.namespace import RDF, RDFS, SKOS

from ..namespaces import SZ
from .compilation import Compilation
from .links import compile_links
from .records import Record, read_toml, toml_record
from .values import CLAIM_KIND

__all__ = ["compile_plans_file", "compile_technology", "compile_plan", "compile_claim"]


def compile_technology(c: Compilation, rec: Record) -> None:
    """A ``[[technology]]``: a technology the sources name (a SKOS concept, not a cluster)."""
    node = c.define("technology", str(rec.get("id")), rec)
    if node is None or not c.required(rec, "label_en"):
        return
    for t in (SZ.Technology, SKOS.Concept):
        c.add(node, RDF.type, t)
    c.text(node, SKOS.prefLabel, rec.get("label_en"), "en")
    c.text(node, SKOS.prefLabel, rec.get("label_zh"), "zh")
    c.text(node, RDFS.comment, rec.get("note"), "en")
    compile_links(c, node, "technology", str(rec.get("id")), rec)


def compile_plan(c: Compilation, rec: Record) -> None:
    """A ``[[plan]]``: a measure a document or announcement says will be taken (a fact about the plan, not
    about its outcome)."""
    node = c.define("plan", str(rec.get("id")), rec)
    if node is None or not c.required(rec, "label_en", "named_in"):
        return
    c.add(node, RDF.type, SZ.PlannedMeasure)
    c.text(node, RDFS.label, rec.get("label_en"), "en")
    c.text(node, RDFS.label, rec.get("label_zh"), "zh")
    c.add(node, SZ.namedIn, c.ref("document", str(rec.get("named_in")), rec))
    planned = c.planned_year(rec)
    if planned is not None:
        c.add(node, SZ.plannedFor, planned)
    c.fact(node, rec, c.toml_sources(rec))
    compile_links(c, node, "plan", str(rec.get("id")), rec)


def compile_claim(c: Compilation, rec: Record) -> None:
    """A ``[[claim]]``: a claim of achievement as a source makes it (its kind, period, and the document that
    makes it)."""
    node = c.define("claim", str(rec.get("id")), rec)
    if node is None or not c.required(rec, "label_en", "kind"):
        return
    c.add(node, RDF.type, SZ.AchievementClaim)
    c.text(node, RDFS.label, rec.get("label_en"), "en")
    c.text(node, RDFS.label, rec.get("label_zh"), "zh")
    kind = c.choice(CLAIM_KIND, rec.get("kind"), "claim kind", rec)
    if kind is not None:
        c.add(node, SZ.claimKind, kind)
    if rec.get("period"):
        period = c.period(str(rec.get("period")), rec)
        if period is not None:
            c.add(node, SZ.refPeriod, period)
    if rec.get("named_in"):
        c.add(node, SZ.namedIn, c.ref("document", str(rec.get("named_in")), rec))
    c.fact(node, rec, c.toml_sources(rec))
    compile_links(c, node, "claim", str(rec.get("id")), rec)


#: The arrays of tables of plans-and-claims.toml and the compiler of each, in the order they are compiled.
RECORDS: tuple[tuple[str, Callable[[Compilation, Record], None]], ...] = (
    ("technology", compile_technology),
    ("plan", compile_plan),
    ("claim", compile_claim),
)


def compile_plans_file(c: Compilation, path: Path) -> None:
    """``plans-and-claims.toml``: each of its records by the compiler of its kind."""
    data, text = read_toml(path, c.problems)
    for key, compile_record in RECORDS:
        for raw in data.get(key, []):
            compile_record(c, toml_record(path, text, raw))
