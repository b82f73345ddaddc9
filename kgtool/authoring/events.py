"""Compiler of ``events-VERSION.toml``: the reclassification events from the previous version to this one,
typed by the event classes of the ontology (their ``sz:slug``), grouped in one XKOS correspondence."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from ..namespaces import SZ, XKOS, instance
from .compilation import Compilation
from .records import Record, read_toml, toml_record
from .values import SLUG

__all__ = ["compile_events"]


def compile_events(c: Compilation, path: Path) -> None:
    """``events-VERSION.toml``: ``version`` and ``previous`` at the top, then one ``[[event]]`` each."""
    data, text = read_toml(path, c.problems)
    if not data:
        return
    file_version = re.fullmatch(r"events-([0-9.]+)\.toml", path.name).group(1)  # type: ignore[union-attr]
    head = Record(path, 1, data)
    if str(data.get("version", "")) != file_version or not data.get("previous"):
        c.problems.append((path, 1, f'expected version = "{file_version}" and previous = "..." at the top'))
        return
    version = c.ref("version", file_version, head)
    correspondence = _correspondence(c, data, file_version, version, head)
    events: dict[str, URIRef] = {}
    competing: list[tuple[Record, URIRef, list[str]]] = []
    for raw in data.get("event", []):
        rec = toml_record(path, text, raw)
        ident = str(rec.get("id"))
        if not c.required(rec, "id", "type", "label_en"):
            continue
        if not SLUG.match(ident) or ident in events:
            c.problem(rec, f"bad or duplicate event id {ident!r}")
            continue
        node = instance("event", f"{file_version}/{ident}")
        events[ident] = node
        if _event(c, rec, node, version, correspondence):
            competing.append((rec, node, list(rec.values.get("competing", []))))
            c.fact(node, rec, c.toml_sources(rec))
    for rec, node, others in competing:
        for other in others:
            if other not in events:
                c.problem(rec, f"unknown competing event {other!r} in this file")
            else:
                c.add(node, SZ.competingClaim, events[other])
                c.add(events[other], SZ.competingClaim, node)


def _correspondence(c: Compilation, data: dict[str, Any], file_version: str, version: URIRef, head: Record) -> URIRef:
    """The xkos:Correspondence of the previous version and this one, which groups the events."""
    previous = c.ref("version", str(data["previous"]), head)
    correspondence = instance("correspondence", f"{data['previous']}-{file_version}")
    c.add(correspondence, RDF.type, XKOS.Correspondence)
    c.add(correspondence, XKOS.compares, previous)
    c.add(correspondence, XKOS.compares, version)
    c.add(
        correspondence,
        SKOS.prefLabel,
        Literal(f"Changes from version {data['previous']} to {file_version}", lang="en"),
    )
    return correspondence


def _event(c: Compilation, rec: Record, node: URIRef, version: URIRef, correspondence: URIRef) -> bool:
    """One event's type, clusters and sectors (False: its type is not one of the ontology's)."""
    event_type = c.choice(c.event_types, rec.get("type"), "event type", rec)
    if event_type is None:
        return False
    c.add(node, RDF.type, event_type)
    c.add(node, SZ.version, version)
    c.add(correspondence, XKOS.madeOf, node)
    c.text(node, RDFS.label, rec.get("label_en"), "en")
    for key, predicate in (("from", SZ.fromCluster), ("to", SZ.toCluster)):
        for cluster in rec.values.get(key, []):
            c.add(node, predicate, c.ref("cluster", cluster, rec))
    for key, predicate in (("from_sector", SZ.fromSector), ("to_sector", SZ.toSector)):
        if rec.get(key):
            c.add(node, predicate, c.ref("sector", rec.get(key), rec))
    if not rec.values.get("from") and not rec.values.get("to"):
        c.problem(rec, "an event needs 'from' or 'to' clusters")
    return True
