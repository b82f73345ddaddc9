"""Compilers of the reference tables: sources, agents, places, measures and industry definitions (one row of a
CSV file a record, defined before anything refers to them)."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, RDFS, SKOS

from ..namespaces import SZ
from .compilation import Compilation
from .files import COLUMNS, OPTIONAL_COLUMNS
from .records import read_csv
from .values import ADDITIVE_UNITS, AGENT_KIND, SOURCE_KIND, UNITS

__all__ = ["compile_sources", "compile_agents", "compile_places", "compile_measures", "compile_definitions"]


def compile_sources(c: Compilation, path: Path) -> None:
    """``sources*.csv``: the documents and pages facts are quoted from."""
    for rec in read_csv(path, COLUMNS["sources"], c.problems):
        node = c.define("source", rec.get("id"), rec)
        untitled = not (rec.get("title_en") or rec.get("title_zh"))
        if untitled:
            c.problem(rec, "missing value for title_en or title_zh (a source needs a title in English or Chinese)")
        if node is None or not c.required(rec, "kind") or untitled:
            continue
        c.add(node, RDF.type, SZ.Source)
        language = rec.get("language")
        if language:
            if not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]+)*", language):
                c.problem(rec, f"bad language {language!r}: expected a BCP 47 tag such as zh, en, fr, ja")
                continue
            c.source_languages[rec.get("id")] = language
            c.add(node, DCTERMS.language, Literal(language))
        # title_en: the source's own title where it is English, else the project's description of it;
        # title_zh: its original Chinese title, only where it was read (never a translation)
        c.text(node, DCTERMS.title, rec.get("title_en"), "en")
        c.text(node, DCTERMS.title, rec.get("title_zh"), "zh")
        c.text(node, DCTERMS.publisher, rec.get("publisher"))
        issued = c.precise_date(rec.get("date"), rec, "date")
        if issued is not None:
            c.add(node, DCTERMS.date, issued)
        address = rec.get("address")
        if address:
            if re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", address):
                c.add(node, FOAF.page, URIRef(address))
            else:
                c.problem(rec, f"bad address {address!r}: expected an http(s) URL")
        kind = c.choice(SOURCE_KIND, rec.get("kind"), "kind", rec)
        if kind is not None:
            c.add(node, SZ.sourceKind, kind)
        c.text(node, RDFS.comment, rec.get("note"), "en")


def compile_agents(c: Compilation, path: Path) -> None:
    """``agents.csv``: organisations and people that publish or announce."""
    for rec in read_csv(path, COLUMNS["agents"], c.problems):
        node = c.define("agent", rec.get("id"), rec)
        if node is None or not c.required(rec, "label_en"):
            continue
        types = AGENT_KIND.get(rec.get("kind"))
        if types is None:
            c.choice({k: OWL.Thing for k in AGENT_KIND}, rec.get("kind"), "kind", rec)
            continue
        for t in types:
            c.add(node, RDF.type, t)
        c.text(node, RDFS.label, rec.get("label_en"), "en")
        c.text(node, RDFS.label, rec.get("label_zh"), "zh")


def compile_places(c: Compilation, path: Path) -> None:
    """``places.csv``: the places figures are about."""
    for rec in read_csv(path, COLUMNS["places"], c.problems):
        node = c.define("place", rec.get("id"), rec)
        if node is None or not c.required(rec, "label_en"):
            continue
        c.add(node, RDF.type, DCTERMS.Location)
        c.text(node, RDFS.label, rec.get("label_en"), "en")
        c.text(node, RDFS.label, rec.get("label_zh"), "zh")
        wikidata = rec.get("wikidata")
        if wikidata:
            if re.fullmatch(r"Q\d+", wikidata):
                c.add(node, RDFS.seeAlso, URIRef(f"http://www.wikidata.org/entity/{wikidata}"))
            else:
                c.problem(rec, f"bad wikidata id {wikidata!r}: expected Q123")


def compile_measures(c: Compilation, path: Path) -> None:
    """``measures.csv``: what figures measure, with the unit every figure of a measure must have."""
    for rec in read_csv(path, COLUMNS["measures"], c.problems, OPTIONAL_COLUMNS["measures"]):
        node = c.define("measure", rec.get("id"), rec)
        if node is None or not c.required(rec, "label_en", "unit", "definition"):
            continue
        unit = c.choice(UNITS, rec.get("unit"), "unit", rec)
        if unit is None:
            continue
        c.measure_units[rec.get("id")] = rec.get("unit")
        for t in (SZ.Measure, SKOS.Concept):
            c.add(node, RDF.type, t)
        c.text(node, SKOS.prefLabel, rec.get("label_en"), "en")
        c.text(node, SKOS.prefLabel, rec.get("label_zh"), "zh")
        c.text(node, SKOS.definition, rec.get("definition"), "en")
        c.add(node, SZ.unit, unit)
        additive = rec.get("additive").lower() if rec.get("additive") else None
        if additive not in (None, "true", "false"):
            c.problem(rec, f"bad additive {additive!r}: expected true or false")
            continue
        is_additive = additive == "true" if additive else rec.get("unit") in ADDITIVE_UNITS
        c.add(node, SZ.additive, Literal(is_additive))


def compile_definitions(c: Compilation, path: Path) -> None:
    """``definitions.csv``: the industry definitions a figure may be counted under."""
    for rec in read_csv(path, COLUMNS["definitions"], c.problems):
        node = c.define("definition", rec.get("id"), rec)
        if node is None or not c.required(rec, "label_en", "definition"):
            continue
        for t in (SZ.IndustryDefinition, SKOS.Concept):
            c.add(node, RDF.type, t)
        c.text(node, SKOS.prefLabel, rec.get("label_en"), "en")
        c.text(node, SKOS.prefLabel, rec.get("label_zh"), "zh")
        c.text(node, SKOS.definition, rec.get("definition"), "en")
