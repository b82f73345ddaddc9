"""What the compilers of all kinds of records share: the graph being made, the problems found, the ids
defined so far, and the checks every record goes through (ids, references, closed lists, facts)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from ..namespaces import BASE, QB, SCHEMA, SZ, instance
from .records import Problem, Record
from .values import CERTAINTY, OBSERVATION_DATASET, SEPARATOR, SLUG, language_of, period_bounds, split_cell

__all__ = ["Compilation"]


@dataclass
class Compilation:
    """One compilation of the data files: the graph, the problems, and what was defined where."""

    graph: Graph = field(default_factory=Graph)
    problems: list[Problem] = field(default_factory=list)
    #: ids defined so far, by kind, with where each was defined
    defined: dict[str, dict[str, tuple[Path, int]]] = field(default_factory=dict)
    #: references to ids (file, line, kind, id), checked once every file is read
    references: list[tuple[Path, int, str, str]] = field(default_factory=list)
    cluster_names: dict[str, tuple[str, str, Path, int]] = field(default_factory=dict)
    measure_units: dict[str, str] = field(default_factory=dict)
    periods: set[str] = field(default_factory=set)
    source_languages: dict[str, str] = field(default_factory=dict)
    #: slug -> event class, from the ontology
    event_types: dict[str, URIRef] = field(default_factory=dict)

    def unresolved(self) -> list[Problem]:
        """A problem for each reference to an id that no file defines."""
        return [
            (path, line, self._unknown(kind, ident))
            for path, line, kind, ident in self.references
            if ident not in self.defined.get(kind, {})
        ]

    def _unknown(self, kind: str, ident: str) -> str:
        known = sorted(self.defined.get(kind, {}))
        listing = ", ".join(known[:12]) + (", ..." if len(known) > 12 else "")
        return f"unknown {kind} {ident!r} (known: {listing or 'none'})"

    def problem(self, rec: Record, cause: str, value: str | None = None) -> None:
        self.problems.append((rec.path, rec.line_of(value), cause))

    def add(self, s: URIRef, p: URIRef, o: Any) -> None:
        self.graph.add((s, p, o))

    def define(self, kind: str, ident: str, rec: Record) -> URIRef | None:
        """The IRI of a new instance of ``kind``, once its id is checked well-formed and not yet defined."""
        if not ident:
            self.problem(rec, f"missing id of {kind}")
            return None
        if not SLUG.match(ident):
            self.problems.append(
                (rec.path, rec.line, f"bad {kind} id {ident!r}: use lower-case ASCII words joined by '-'")
            )
            return None
        seen = self.defined.setdefault(kind, {})
        if ident in seen:
            path, line = seen[ident]
            self.problem(rec, f"duplicate {kind} id {ident!r} (first at {path}:{line})")
            return None
        seen[ident] = (rec.path, rec.line)
        return instance(kind, ident)

    def ref(self, kind: str, ident: str, rec: Record) -> URIRef:
        """A reference to an instance that must be defined somewhere (checked at the end)."""
        self.references.append((rec.path, rec.line_of(ident), kind, ident))
        return instance(kind, ident) if SLUG.match(ident) else URIRef(f"{BASE}{kind}/invalid")

    def choice(self, table: dict[str, URIRef], value: str, what: str, rec: Record) -> URIRef | None:
        if value in table:
            return table[value]
        self.problem(rec, f"bad {what} {value!r} (expected one of: {', '.join(table)})", value)
        return None

    def required(self, rec: Record, *keys: str) -> bool:
        missing = [k for k in keys if not rec.get(k)]
        if missing:
            self.problem(rec, f"missing value for {', '.join(missing)}")
        return not missing

    def text(self, subject: URIRef, predicate: URIRef, value: str, lang: str | None = None) -> None:
        if value:
            self.add(subject, predicate, Literal(value, lang=lang or language_of(value)))

    def fact(self, node: URIRef, rec: Record, sources: list[tuple[str, str]]) -> None:
        """Certainty, citations and note of a fact node (or of a qualified statement)."""
        certainty = self.choice(CERTAINTY, rec.get("certainty"), "certainty", rec)
        if certainty is not None:
            self.add(node, SZ.certainty, certainty)
        if not sources:
            self.problem(rec, "a fact needs at least one source")
        seen: dict[str, int] = {}
        for source_id, quote in sources:
            if not quote.strip():
                self.problem(rec, f"missing quote for source {source_id!r}")
                continue
            seen[source_id] = seen.get(source_id, 0) + 1
            suffix = "" if seen[source_id] == 1 else f"-{seen[source_id]}"
            source = self.ref("source", source_id, rec)
            citation = URIRef(f"{node}#source-{source_id}{suffix}")
            self.add(node, SZ.citation, citation)
            self.add(node, PROV.wasDerivedFrom, source)
            self.add(citation, RDF.type, SZ.Citation)
            self.add(citation, PROV.entity, source)
            self.text(citation, SZ.quote, quote.strip(), self.source_languages.get(source_id))
        self.text(node, RDFS.comment, rec.get("note"), "en")

    def cell_sources(self, rec: Record) -> list[tuple[str, str]]:
        """The (source, quote) pairs of a CSV row's ``sources`` and ``quotes`` cells."""
        ids = split_cell(rec.get("sources"))
        quotes = split_cell(rec.get("quotes"))
        if len(ids) != len(quotes):
            self.problems.append(
                (
                    rec.path,
                    rec.line,
                    f"{len(ids)} source(s) but {len(quotes)} quote(s): give one quote per "
                    f"source, separated by {SEPARATOR.strip()!r}",
                )
            )
            return []
        return list(zip(ids, quotes, strict=True))

    def toml_sources(self, rec: Record) -> list[tuple[str, str]]:
        """The (source, quote) pairs of a TOML record's ``[[...source]]`` tables."""
        sources = rec.values.get("source", [])
        if not isinstance(sources, list):
            self.problem(rec, "'source' must be an array of tables [[...source]]")
            return []
        return [(str(s.get("id", "")).strip(), str(s.get("quote", ""))) for s in sources]

    def precise_date(self, value: Any, rec: Record, what: str) -> Literal | None:
        """A date as precise as written: an xsd:date, xsd:gYearMonth or xsd:gYear (None if not given)."""
        if value in ("", None):
            return None
        if isinstance(value, date):
            return Literal(value.isoformat(), datatype=XSD.date)
        text = str(value).strip()
        for pattern, datatype in (
            (r"\d{4}-\d{2}-\d{2}", XSD.date),
            (r"\d{4}-\d{2}", XSD.gYearMonth),
            (r"\d{4}", XSD.gYear),
        ):
            if re.fullmatch(pattern, text):
                if datatype == XSD.date:
                    try:
                        date.fromisoformat(text)
                    except ValueError:
                        break
                return Literal(text, datatype=datatype)
        self.problem(rec, f"bad {what} {text!r}: use YYYY, YYYY-MM or YYYY-MM-DD", text)
        return None

    def period(self, text: str, rec: Record) -> URIRef | None:
        """The period node a figure refers to, made the first time it is named."""
        bounds = period_bounds(text)
        if bounds is None:
            self.problem(
                rec,
                f"bad period {text!r}: expected 2025, 2021-2025, 2023-q1-q3, 2024-q2, 2024-h1, "
                "2025-m01-m11 (months) or 2025-reported-2025-12-19 (as reported on a date)",
            )
            return None
        node = instance("period", text)
        if text not in self.periods:
            self.periods.add(text)
            start, end, label = bounds
            self.add(node, RDF.type, SZ.Period)
            self.add(node, RDFS.label, Literal(label, lang="en"))
            self.add(node, SCHEMA.startDate, Literal(start, datatype=XSD.date))
            self.add(node, SCHEMA.endDate, Literal(end, datatype=XSD.date))
            if m := re.fullmatch(r"\d{4}-reported-(\d{4}-\d{2}-\d{2})", text):
                self.add(node, SZ.reportedOn, Literal(m[1], datatype=XSD.date))
        return node

    def observation_dataset(self) -> None:
        """The qb:DataSet the observations are published in, with its structure."""
        if (OBSERVATION_DATASET, RDF.type, QB.DataSet) in self.graph:
            return
        self.add(OBSERVATION_DATASET, RDF.type, QB.DataSet)
        self.add(OBSERVATION_DATASET, QB.structure, SZ.figureStructure)
        self.add(OBSERVATION_DATASET, RDFS.label, Literal("Observations of the 20+8 policy", lang="en"))
        self.add(OBSERVATION_DATASET, RDFS.label, Literal("“20+8”政策观测值", lang="zh"))
