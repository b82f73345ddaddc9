"""Compiler of ``statements.toml``: qualified statements, one statement of a node (a subject, a property and
its one value) with a certainty and citations of its own."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from ..namespaces import KINDS, SZ, instance
from .compilation import Compilation
from .records import read_toml, toml_record
from .values import SLUG

__all__ = ["compile_statements"]


def compile_statements(c: Compilation, path: Path) -> None:
    """Each ``[[statement]]``: its subject (KIND/SLUG), property (a prefixed name) and, for a text, language."""
    data, text = read_toml(path, c.problems)
    for raw in data.get("statement", []):
        rec = toml_record(path, text, raw)
        if not c.required(rec, "subject", "property", "certainty"):
            continue
        kind, _, slug = str(rec.get("subject")).partition("/")
        if kind not in KINDS or not SLUG.match(slug):
            c.problem(rec, f"bad subject {rec.get('subject')!r}: expected KIND/SLUG, such as document/2022-opinions")
            continue
        subject = instance(kind, slug)
        prefix, _, local = str(rec.get("property")).partition(":")
        namespace = dict(c.graph.namespaces()).get(prefix)
        if namespace is None or not local:
            c.problem(rec, f"bad property {rec.get('property')!r}: expected a prefixed name, such as sz:documentNumber")
            continue
        predicate = URIRef(str(namespace) + local)
        language = rec.get("language") or None
        values = [
            o
            for o in c.graph.objects(subject, predicate)
            if language is None or (isinstance(o, Literal) and o.language == language)
        ]
        if len(values) != 1:
            c.problem(
                rec,
                f"{rec.get('subject')} has {len(values)} value(s) of {rec.get('property')}"
                + (f"@{language}" if language else "")
                + ": a qualified statement needs exactly one",
            )
            continue
        words = re.sub(r"(?<!^)([A-Z])", r"-\1", local).lower()
        ident = f"{kind}/{slug}/{words}" + (f"-{language}" if language else "")
        seen = c.defined.setdefault("statement", {})
        if ident in seen:
            first = f"{seen[ident][0]}:{seen[ident][1]}"
            c.problem(rec, f"duplicate qualified statement {ident!r} (first at {first})")
            continue
        seen[ident] = (rec.path, rec.line)
        node = instance("statement", ident)
        c.add(node, RDF.type, SZ.QualifiedStatement)
        c.add(node, SZ.statementSubject, subject)
        c.add(node, SZ.statementProperty, predicate)
        c.add(node, SZ.statementValue, values[0])
        c.fact(node, rec, c.toml_sources(rec))
