"""Compilers of ``versions.toml``: one per kind of record it holds (policy versions, their documents,
related documents, announced priorities)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from ..namespaces import SZ
from .compilation import Compilation
from .records import Record, read_toml, toml_record
from .values import CERTAINTY, PRIORITY_KIND, STATUS

__all__ = ["compile_versions_file", "compile_version", "compile_document", "compile_related_document"]


def compile_version(c: Compilation, rec: Record) -> None:
    """A ``[[version]]``: a policy version (an XKOS classification) with its status and dates."""
    ident = str(rec.get("id"))
    if not re.fullmatch(r"\d+\.\d+", ident):
        c.problem(rec, f"bad version id {ident!r}: expected a number such as 2.0")
        return
    node = c.define("version", ident, rec)
    if node is None or not c.required(rec, "label_en", "label_zh", "status"):
        return
    for t in (SZ.PolicyVersion, SKOS.ConceptScheme):
        c.add(node, RDF.type, t)
    c.add(node, SZ.versionNumber, Literal(ident))
    # XKOS best practice gives a classification a short name (skos:notation).
    c.add(node, SKOS.notation, Literal(ident))
    c.text(node, RDFS.label, rec.get("label_en"), "en")
    c.text(node, RDFS.label, rec.get("label_zh"), "zh")
    status = c.choice(STATUS, rec.get("status"), "status", rec)
    if status is not None:
        c.add(node, SZ.status, status)
    if rec.get("revises"):
        c.add(node, SZ.revises, c.ref("version", str(rec.get("revises")), rec))
    _issued(c, node, rec)
    _announcement(c, node, rec)
    c.fact(node, rec, c.toml_sources(rec))


def _issued(c: Compilation, node: URIRef, rec: Record) -> None:
    issued = c.precise_date(rec.values.get("issued"), rec, "issued")
    if issued is None:
        return
    c.add(node, SZ.issued, issued)
    if issued.datatype == XSD.date:
        # XKOS best practice: dcterms:issued, an xsd:date; a month or a year is not a date,
        # and no day is invented for it (sz:issued keeps its real precision).
        c.add(node, DCTERMS.issued, issued)
    certainty = c.choice(CERTAINTY, rec.get("issued_certainty"), "issued_certainty", rec)
    if certainty is not None:
        c.add(node, SZ.issuedCertainty, certainty)


def _announcement(c: Compilation, node: URIRef, rec: Record) -> None:
    """When, by whom, on what occasion and in which document a version was announced; the year planned."""
    announced = c.precise_date(rec.values.get("announced"), rec, "announced")
    if announced is not None:
        c.add(node, SZ.announced, announced)
    if rec.get("announced_by"):
        c.add(node, SZ.announcedBy, c.ref("agent", rec.get("announced_by"), rec))
    c.text(node, SZ.announcementOccasion, rec.get("occasion_en"), "en")
    c.text(node, SZ.announcementOccasion, rec.get("occasion_zh"), "zh")
    if rec.get("announced_in"):
        c.add(node, SZ.announcedIn, c.ref("document", str(rec.get("announced_in")), rec))
    if rec.values.get("planned") not in (None, ""):
        planned = str(rec.values["planned"]).strip()
        if re.fullmatch(r"\d{4}", planned):
            c.add(node, SZ.plannedFor, Literal(planned, datatype=XSD.gYear))
        else:
            c.problem(rec, f"bad planned {planned!r}: expected a year YYYY", planned)


def compile_related_document(c: Compilation, rec: Record) -> None:
    """A ``[[related_document]]``: a document that bears on the policy without being one of its versions."""
    node = c.define("document", str(rec.get("id")), rec)
    if node is None or not c.required(rec, "title_en"):
        return
    c.add(node, RDF.type, SZ.RelatedDocument)
    c.text(node, DCTERMS.title, rec.get("title_en"), "en")
    c.text(node, DCTERMS.title, rec.get("title_zh"), "zh")
    for agent in rec.values.get("publishers", []):
        c.add(node, DCTERMS.publisher, c.ref("agent", agent, rec))
    for key, predicate in (("issued", DCTERMS.issued), ("accepted", DCTERMS.dateAccepted)):
        value = c.precise_date(rec.values.get(key), rec, key)
        if value is not None:
            c.add(node, predicate, value)
    c.fact(node, rec, c.toml_sources(rec))


def compile_document(c: Compilation, rec: Record) -> None:
    """A ``[[document]]``: a policy document that is part of a version."""
    node = c.define("document", str(rec.get("id")), rec)
    if node is None or not c.required(rec, "version", "title_zh"):
        return
    c.add(node, RDF.type, SZ.PolicyDocument)
    version = c.ref("version", str(rec.get("version")), rec)
    c.add(node, SZ.partOfVersion, version)
    c.add(version, SZ.document, node)
    c.text(node, DCTERMS.title, rec.get("title_zh"), "zh")
    c.text(node, DCTERMS.title, rec.get("title_en"), "en")
    for agent in rec.values.get("publishers", []):
        c.add(node, DCTERMS.publisher, c.ref("agent", agent, rec))
    issued = c.precise_date(rec.values.get("issued"), rec, "issued")
    if issued is not None:
        c.add(node, DCTERMS.issued, issued)
    if rec.get("number"):
        c.add(node, SZ.documentNumber, Literal(rec.get("number")))
    c.fact(node, rec, c.toml_sources(rec))


def compile_priority(c: Compilation, rec: Record) -> None:
    """A ``[[priority]]``: a priority a version's announcement or a document named."""
    node = c.define("priority", str(rec.get("id")), rec)
    if node is None or not c.required(rec, "kind", "label_en"):
        return
    if not rec.get("version") and not rec.get("named_in"):
        c.problem(rec, "a priority needs a version (whose announcement named it) or named_in (a document)")
    c.add(node, RDF.type, SZ.AnnouncedPriority)
    if rec.get("version"):
        c.add(node, SZ.version, c.ref("version", str(rec.get("version")), rec))
    if rec.get("named_in"):
        c.add(node, SZ.namedIn, c.ref("document", str(rec.get("named_in")), rec))
    kind = c.choice(PRIORITY_KIND, rec.get("kind"), "kind", rec)
    if kind is not None:
        c.add(node, SZ.priorityKind, kind)
    c.text(node, RDFS.label, rec.get("label_en"), "en")
    c.text(node, RDFS.label, rec.get("label_zh"), "zh")
    c.fact(node, rec, c.toml_sources(rec))


#: The arrays of tables of versions.toml and the compiler of each, in the order they are compiled.
RECORDS: tuple[tuple[str, Callable[[Compilation, Record], None]], ...] = (
    ("version", compile_version),
    ("related_document", compile_related_document),
    ("document", compile_document),
    ("priority", compile_priority),
)


def compile_versions_file(c: Compilation, path: Path) -> None:
    """``versions.toml``: each of its records by the compiler of its kind."""
    data, text = read_toml(path, c.problems)
    for key, compile_record in RECORDS:
        for raw in data.get(key, []):
            compile_record(c, toml_record(path, text, raw))
