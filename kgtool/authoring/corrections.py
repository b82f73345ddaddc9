"""Compiler of ``corrections.toml``: each correction of the graph (what, from what to what, why, on which
source, when, in which release), applied or answered without a change."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from ..namespaces import BASE, KINDS, SZ
from .compilation import Compilation
from .records import Record, read_toml, toml_record
from .values import CORRECTION_STATUS

__all__ = ["compile_corrections"]

#: The path of a corrected node: ``observation/gdp-2025``, or ``observation/gdp-2025#source-yicai-2026``.
_NODE_PATH = re.compile(r"^(?P<kind>[a-z]+)/(?P<rest>[a-z0-9.-]+(?:/[a-z0-9.-]+)*(?:#[a-z0-9.-]+)?)$")


def compile_correction(c: Compilation, rec: Record) -> None:
    """A ``[[correction]]``: the node (and property) corrected, the values before and after, status, date,
    release, the reason (its note) and the sources it rests on."""
    node = c.define("correction", str(rec.get("id")), rec)
    if node is None or not c.required(rec, "node", "before", "after", "status", "date", "release", "note"):
        return
    c.add(node, RDF.type, SZ.Correction)
    match = _NODE_PATH.match(str(rec.get("node")))
    if match is None or match["kind"] not in KINDS:
        c.problem(rec, f"bad node {rec.get('node')!r}: expected a path such as observation/gdp-2025")
    else:
        corrected = URIRef(BASE + str(rec.get("node")))
        if (corrected, None, None) not in c.graph:
            c.problem(rec, f"node {rec.get('node')!r} is not in the graph", str(rec.get("node")))
        c.add(node, SZ.correctedNode, corrected)
    if rec.get("property"):
        prefix, _, local = str(rec.get("property")).partition(":")
        namespace = dict(c.graph.namespaces()).get(prefix)
        if namespace is None or not local:
            c.problem(rec, f"bad property {rec.get('property')!r}: expected a prefixed name, such as sz:refPeriod")
        else:
            c.add(node, SZ.correctedProperty, URIRef(str(namespace) + local))
    c.add(node, SZ.valueBefore, Literal(str(rec.get("before"))))
    c.add(node, SZ.valueAfter, Literal(str(rec.get("after"))))
    status = c.choice(CORRECTION_STATUS, rec.get("status"), "status", rec)
    if status is not None:
        c.add(node, SZ.correctionStatus, status)
    made = c.precise_date(rec.values.get("date"), rec, "date")
    if made is not None and made.datatype != XSD.date:
        c.problem(rec, f"bad date {rec.values.get('date')!r}: a correction is dated by its day, YYYY-MM-DD", str(made))
    elif made is not None:
        c.add(node, DCTERMS.date, made)
    release = str(rec.get("release"))
    if re.fullmatch(r"\d+\.\d+\.\d+", release):
        c.add(node, SZ.inRelease, Literal(release))
    else:
        c.problem(rec, f"bad release {release!r}: expected a version number such as 0.2.0", release)
    c.fact(node, rec, c.toml_sources(rec))


def compile_corrections(c: Compilation, path: Path) -> None:
    """``corrections.toml``: each ``[[correction]]``. Run after every other file: the corrected ``node`` must
    be a node of the compiled graph."""
    data, text = read_toml(path, c.problems)
    for raw in data.get("correction", []):
        compile_correction(c, toml_record(path, text, raw))
