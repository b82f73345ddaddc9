"""Compile the authored data files of ``graph/`` (CSV tables, TOML records, Turtle) into RDF.

The formats are specified in ``docs/MODEL.md``. Regular content (cluster lists, figures, sources) is
authored as tables so that it is easy to review and extend; irregular content (versions, events) as
TOML records; anything else as hand-written Turtle. The compiler checks every reference and value and
reports each problem with its file, line and cause, all of them at once.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD
from rdflib.plugins.parsers.notation3 import BadSyntax

from .errors import DataError
from .namespaces import BASE, CUR, KINDS, QB, SCHEMA, SZ, UNIT, XKOS, bind_prefixes, instance
from .ontology import event_types
from .results import decimal_lexical

__all__ = ["compile_graph", "authoring_files", "figure_bounds", "read_utf8", "SEPARATOR", "MAX_EXPONENT", "COLUMNS"]

#: Separates several values in one CSV cell (sources, quotes, alternative labels).
SEPARATOR = " | "

#: Figures are refused beyond 10^±MAX_EXPONENT (a typo such as 1e999999999 would exhaust memory).
MAX_EXPONENT = 60

_SLUG = re.compile(r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$")
_KANA = re.compile(r"[\u3040-\u30ff]")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

CERTAINTY = {"confirmed": SZ.Confirmed, "secondary": SZ.Secondary, "uncertain": SZ.Uncertain}
STATUS = {"superseded": SZ.Superseded, "in-force": SZ.InForce, "announced": SZ.Announced}
TIER = {"sei": SZ.StrategicEmergingIndustryCluster, "future": SZ.FutureIndustry}
QUALIFIER = {
    "exact": SZ.Exact,
    "over": SZ.Over,
    "at-least": SZ.AtLeast,
    "at-most": SZ.AtMost,
    "nearly": SZ.Nearly,
    "about": SZ.About,
}
UNITS = {
    "yuan": CUR.CNY,
    "percent": UNIT.PERCENT,
    "count": UNIT.NUM,
    "rank": UNIT.UNITLESS,
    "km2": UNIT.KiloM2,
}
#: Units whose figures add up, so that parts can be checked against their whole.
ADDITIVE_UNITS = {"yuan", "count", "km2"}
SOURCE_KIND = {
    "policy-text": SZ.PolicyText,
    "news-report": SZ.NewsReport,
    "government-page": SZ.GovernmentPage,
    "third-party-file": SZ.ThirdPartyFile,
    "low-quality-mirror": SZ.LowQualityMirror,
    "fact-sheet": SZ.FactSheet,
}
PRIORITY_KIND = {"future": SZ.FutureIndustryPriority, "strategic": SZ.StrategicIndustryPriority}
CLAIM_KIND = {
    "breakthrough": SZ.Breakthrough,
    "innovation": SZ.Innovation,
    "deployment": SZ.Deployment,
    "initiative": SZ.Initiative,
    "world-first": SZ.WorldFirst,
    "economic-outcome": SZ.EconomicOutcome,
}
CORRECTION_STATUS = {"applied": SZ.Applied, "not-applied": SZ.NotApplied}
#: How a record says what it concerns: the key of its list or of a link's ``relation`` -> the property.
RELATIONS = {"concerns": DCTERMS.subject, "related": SKOS.related}
#: The kinds of node a link may point to (``to = "cluster/biomedicine"``).
LINK_TARGETS = ("cluster", "sector", "priority", "technology")
AGENT_KIND = {
    "organization": (PROV.Organization, FOAF.Organization),
    "person": (PROV.Person, FOAF.Person),
}
SUBJECT_KINDS = ("place", "cluster", "sector")

OBSERVATION_DATASET = URIRef(BASE + "dataset/observations")


def __getattr__(name: str) -> Any:
    # EVENT_TYPE (slug -> event class) is read from the ontology, its one definition.
    if name == "EVENT_TYPE":
        return event_types()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: The columns of each CSV file of graph/, in order (docs/MODEL.md): what is read, and what drafts write.
COLUMNS = {
    "sources": ["id", "title", "publisher", "date", "address", "kind", "language", "note"],
    "agents": ["id", "label_en", "label_zh", "kind"],
    "places": ["id", "label_en", "label_zh", "wikidata"],
    "sectors": [
        "id",
        "label_en",
        "label_zh",
        "label_fr",
        "label_ja",
        "versions",
        "certainty",
        "sources",
        "quotes",
        "note",
    ],
    "clusters": [
        "position",
        "id",
        "tier",
        "label_zh",
        "label_en",
        "alt_labels_en",
        "sector",
        "sector_certainty",
        "certainty",
        "sources",
        "quotes",
        "note",
    ],
    "measures": ["id", "label_en", "label_zh", "unit", "definition"],
    "definitions": ["id", "label_en", "label_zh", "definition"],
    "observations": [
        "id",
        "measure",
        "subject",
        "period",
        "reported_value",
        "unit_multiplier",
        "unit",
        "qualifier",
        "reported_text",
        "certainty",
        "sources",
        "quotes",
        "note",
    ],
}
COLUMNS["targets"] = ["id", "version", *COLUMNS["observations"][1:]]
#: Columns a table may leave out.
_OPTIONAL = {"measures": ["additive"], "observations": ["definition"], "targets": ["definition"]}


def authoring_files(graph_dir: Path, extra: Sequence[Path] = ()) -> list[Path]:
    """The files that make up the graph: those of ``graph_dir``, with ``extra`` files added.

    An extra file whose name matches one in ``graph_dir`` takes its place, so a contributor can check
    an edited copy; any other extra file is added (such as a new ``clusters-3.0.csv``).
    """
    files = {p.name: p for p in sorted(graph_dir.iterdir()) if p.is_file() and _kind_of(p) is not None}
    for path in extra:
        if not path.is_file():
            raise DataError(path, None, "no such file")
        if _kind_of(path) is None:
            raise DataError(
                path,
                None,
                "not a data file: expected sources*.csv, agents.csv, places.csv, sectors.csv, "
                "clusters-VERSION.csv, measures.csv, definitions.csv, observations*.csv, targets*.csv, "
                "versions.toml, events-VERSION.toml, statements.toml, plans-and-claims.toml, corrections.toml "
                "or *.ttl",
            )
        files[path.name] = path
    return list(files.values())


def _kind_of(path: Path) -> str | None:
    name = path.name
    if path.suffix == ".ttl":
        return "turtle"
    if path.suffix == ".toml":
        if name == "versions.toml":
            return "versions"
        if name == "statements.toml":
            return "statements"
        if name == "plans-and-claims.toml":
            return "plans"
        if name == "corrections.toml":
            return "corrections"
        if re.fullmatch(r"events-[0-9.]+\.toml", name):
            return "events"
        return None
    if path.suffix != ".csv":
        return None
    if re.fullmatch(r"clusters-[0-9.]+\.csv", name):
        return "clusters"
    for kind in ("sources", "observations", "targets"):
        if name.startswith(kind):
            return kind
    stem = path.stem
    return stem if stem in ("agents", "places", "sectors", "measures", "definitions") else None


def compile_graph(graph_dir: Path, extra: Sequence[Path] = (), ontology_file: Path | None = None) -> Graph:
    """Compile the data files of ``graph_dir`` (plus ``extra`` files) into one rdflib graph.

    Args:
        graph_dir: the ``graph/`` directory.
        extra: more data files to check together with it (see :func:`authoring_files`).
        ontology_file: the ontology that defines the event types (default: the project's).

    Returns:
        The instance data, with the project's prefixes bound.

    Raises:
        DataError: naming every file, line and cause that is wrong.
    """
    compiler = _Compiler(event_types=event_types(ontology_file))
    compiler.run(authoring_files(graph_dir, extra))
    return compiler.graph


# -- Reading -------------------------------------------------------------------------------------


@dataclass
class _Record:
    """One row or record of a data file, with where it came from."""

    path: Path
    line: int
    values: dict[str, Any]
    #: For a TOML record: its own lines (number, text), to point at the line of a bad value.
    source_lines: tuple[tuple[int, str], ...] = ()

    def line_of(self, value: str | None) -> int:
        """The line of the record where ``value`` is written (the record's first line if not found)."""
        if value:
            for number, text in self.source_lines:
                if f'"{value}"' in text:
                    return number
        return self.line

    def get(self, key: str) -> str:
        value = self.values.get(key)
        if value is None:
            return ""
        return value.strip() if isinstance(value, str) else value


def read_utf8(path: Path) -> str:
    """The text of a UTF-8 file (a byte order mark is allowed and dropped).

    Raises:
        DataError: naming the file, the line and the cause when the file is missing or not UTF-8.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataError(path, None, "no such file") from None
    except OSError as error:
        raise DataError(path, None, f"cannot read the file: {error.strerror or error}") from None
    if data.startswith(b"\xef\xbb\xbf"):  # a byte order mark, as spreadsheet programs write
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        if error.reason == "unexpected end of data":
            cause = "the file ends in the middle of a UTF-8 character (it was cut short)"
        else:
            cause = (
                f"not UTF-8: byte 0x{data[error.start]:02x} at column {column} cannot be decoded; "
                "save the file as UTF-8 (it may be GB18030, GBK or Latin-1)"
            )
        raise DataError(path, line, cause) from None


def _read_csv(path: Path, columns: list[str], problems: list, optional: Sequence[str] = ()) -> list[_Record]:
    records: list[_Record] = []
    try:
        return _read_rows(path, read_utf8(path), columns, problems, records, optional)
    except DataError as error:
        problems.extend(error.problems)
    return records


def _read_rows(
    path: Path, text: str, columns: list[str], problems: list, records: list[_Record], optional: Sequence[str] = ()
) -> list[_Record]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    start = 1  # the line of the row being read
    try:
        header = reader.fieldnames or []
        missing = [c for c in columns if c not in header]
        unknown = [c for c in header if c not in columns and c not in optional]
        if missing or unknown:
            cause = (
                "header: "
                + "; ".join(
                    part
                    for part in (
                        f"missing column(s) {', '.join(missing)}" if missing else "",
                        f"unknown column(s) {', '.join(unknown)}" if unknown else "",
                    )
                    if part
                )
                + f" (expected: {','.join(columns)}"
                + (f"; optional: {','.join(optional)}" if optional else "")
                + ")"
            )
            problems.append((path, 1, cause))
            return records
        start = 2
        for row in reader:
            if None in row:
                problems.append((path, start, f"more cells than the {len(header)} columns of the header"))
            elif any(v is None for v in row.values()):
                problems.append((path, start, f"fewer cells than the {len(header)} columns of the header"))
            elif any((v or "").strip() for v in row.values()):
                records.append(_Record(path, start, row))
            start = reader.line_num + 1
    except csv.Error as error:
        cause = str(error)
        if "field larger than field limit" in cause:
            cause = f"a cell is longer than {csv.field_size_limit()} characters (a missing closing quote?)"
        problems.append((path, start, f"CSV: {cause}"))
    return records


def _read_toml(path: Path, problems: list) -> tuple[dict[str, Any], str]:
    try:
        text = read_utf8(path)
    except DataError as error:
        problems.extend(error.problems)
        return {}, ""
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"at line (\d+)", str(error))
        problems.append((path, int(match.group(1)) if match else None, f"TOML syntax: {error}"))
        return {}, text


def _toml_record(path: Path, text: str, raw: dict[str, Any]) -> _Record:
    """A TOML record, located by its ``id = "..."`` line, with its lines up to the next record."""
    ident = str(raw.get("id", ""))
    lines = text.splitlines()
    pattern = re.compile(rf'^\s*id\s*=\s*"{re.escape(ident)}"')
    start = next((i for i, line in enumerate(lines) if pattern.match(line)), None)
    if start is None:
        return _Record(path, 1, raw)
    # up to the next record of the file (a top-level [[table]]), its nested tables ([[event.source]]) included
    end = next((i for i in range(start + 1, len(lines)) if re.match(r"^\s*\[\[[^.\]]+\]\]", lines[i])), len(lines))
    return _Record(path, start + 1, raw, tuple((i + 1, lines[i]) for i in range(start, end)))


# -- Compiling -------------------------------------------------------------------------------------


@dataclass
class _Compiler:
    graph: Graph = field(default_factory=Graph)
    problems: list[tuple[Path, int | None, str]] = field(default_factory=list)
    # ids defined so far, by kind, with where each was defined
    defined: dict[str, dict[str, tuple[Path, int]]] = field(default_factory=dict)
    cluster_names: dict[str, tuple[str, str, Path, int]] = field(default_factory=dict)
    measure_units: dict[str, str] = field(default_factory=dict)
    periods: set[str] = field(default_factory=set)
    source_languages: dict[str, str] = field(default_factory=dict)
    #: slug -> event class, from the ontology
    event_types: dict[str, URIRef] = field(default_factory=dict)

    def run(self, files: list[Path]) -> None:
        bind_prefixes(self.graph)
        by_kind: dict[str, list[Path]] = {}
        for path in files:
            by_kind.setdefault(_kind_of(path) or "", []).append(path)
        # Definitions first, then the records that refer to them.
        order: list[tuple[str, Callable[[Path], None]]] = [
            ("sources", self.sources),
            ("agents", self.agents),
            ("places", self.places),
            ("measures", self.measures),
            ("definitions", self.definitions),
            ("versions", self.versions),
            ("sectors", self.sectors),
            ("clusters", self.clusters),
            ("events", self.events),
            ("observations", self.figures),
            ("targets", self.figures),
            ("statements", self.statements),
            ("plans", lambda path: compile_plans_and_claims(self, path)),
            ("turtle", self.turtle),
            # last: a correction names a node of any kind, looked up in the finished graph
            ("corrections", lambda path: compile_corrections(self, path)),
        ]
        for kind, step in order:
            for path in by_kind.get(kind, []):
                step(path)
        for path, line, kind, ident in self._deferred:
            if ident not in self.defined.get(kind, {}):
                self.problems.append((path, line, self._unknown(kind, ident)))
        if self.problems:
            first, *more = self.problems
            raise DataError(*first, more=more)

    # -- helpers

    @property
    def _deferred(self) -> list[tuple[Path, int, str, str]]:
        return self.__dict__.setdefault("_refs", [])

    def _unknown(self, kind: str, ident: str) -> str:
        known = sorted(self.defined.get(kind, {}))
        listing = ", ".join(known[:12]) + (", ..." if len(known) > 12 else "")
        return f"unknown {kind} {ident!r} (known: {listing or 'none'})"

    def problem(self, rec: _Record, cause: str, value: str | None = None) -> None:
        self.problems.append((rec.path, rec.line_of(value), cause))

    def add(self, s: URIRef, p: URIRef, o: Any) -> None:
        self.graph.add((s, p, o))

    def define(self, kind: str, ident: str, rec: _Record) -> URIRef | None:
        if not ident:
            self.problem(rec, f"missing id of {kind}")
            return None
        if not _SLUG.match(ident):
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

    def ref(self, kind: str, ident: str, rec: _Record) -> URIRef:
        """A reference to an instance that must be defined somewhere (checked at the end)."""
        self._deferred.append((rec.path, rec.line_of(ident), kind, ident))
        return instance(kind, ident) if _SLUG.match(ident) else URIRef(f"{BASE}{kind}/invalid")

    def choice(self, table: dict[str, URIRef], value: str, what: str, rec: _Record) -> URIRef | None:
        if value in table:
            return table[value]
        self.problem(rec, f"bad {what} {value!r} (expected one of: {', '.join(table)})", value)
        return None

    def required(self, rec: _Record, *keys: str) -> bool:
        missing = [k for k in keys if not rec.get(k)]
        if missing:
            self.problem(rec, f"missing value for {', '.join(missing)}")
        return not missing

    def text(self, subject: URIRef, predicate: URIRef, value: str, lang: str | None = None) -> None:
        if value:
            self.add(subject, predicate, Literal(value, lang=lang or _language(value)))

    def fact(self, node: URIRef, rec: _Record, sources: list[tuple[str, str]]) -> None:
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

    def cell_sources(self, rec: _Record) -> list[tuple[str, str]]:
        ids = _split(rec.get("sources"))
        quotes = _split(rec.get("quotes"))
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

    def toml_sources(self, rec: _Record) -> list[tuple[str, str]]:
        sources = rec.values.get("source", [])
        if not isinstance(sources, list):
            self.problem(rec, "'source' must be an array of tables [[...source]]")
            return []
        return [(str(s.get("id", "")).strip(), str(s.get("quote", ""))) for s in sources]

    def precise_date(self, value: Any, rec: _Record, what: str) -> Literal | None:
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

    def planned_year(self, rec: _Record) -> Literal | None:
        """The year (xsd:gYear) of a record's ``planned`` (a version or a measure planned for it), if it has one."""
        if rec.values.get("planned") in (None, ""):
            return None
        planned = str(rec.values["planned"]).strip()
        if re.fullmatch(r"\d{4}", planned):
            return Literal(planned, datatype=XSD.gYear)
        self.problem(rec, f"bad planned {planned!r}: expected a year YYYY", planned)
        return None

    # -- files

    def sources(self, path: Path) -> None:
        for rec in _read_csv(path, COLUMNS["sources"], self.problems):
            node = self.define("source", rec.get("id"), rec)
            if node is None or not self.required(rec, "title", "kind"):
                continue
            self.add(node, RDF.type, SZ.Source)
            language = rec.get("language")
            if language:
                if not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]+)*", language):
                    self.problem(rec, f"bad language {language!r}: expected a BCP 47 tag such as zh, en, fr, ja")
                    continue
                self.source_languages[rec.get("id")] = language
                self.add(node, DCTERMS.language, Literal(language))
            self.text(node, DCTERMS.title, rec.get("title"))
            self.text(node, DCTERMS.publisher, rec.get("publisher"))
            issued = self.precise_date(rec.get("date"), rec, "date")
            if issued is not None:
                self.add(node, DCTERMS.date, issued)
            address = rec.get("address")
            if address:
                if re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", address):
                    self.add(node, FOAF.page, URIRef(address))
                else:
                    self.problem(rec, f"bad address {address!r}: expected an http(s) URL")
            kind = self.choice(SOURCE_KIND, rec.get("kind"), "kind", rec)
            if kind is not None:
                self.add(node, SZ.sourceKind, kind)
            self.text(node, RDFS.comment, rec.get("note"), "en")

    def agents(self, path: Path) -> None:
        for rec in _read_csv(path, COLUMNS["agents"], self.problems):
            node = self.define("agent", rec.get("id"), rec)
            if node is None or not self.required(rec, "label_en"):
                continue
            types = AGENT_KIND.get(rec.get("kind"))
            if types is None:
                self.choice({k: OWL.Thing for k in AGENT_KIND}, rec.get("kind"), "kind", rec)
                continue
            for t in types:
                self.add(node, RDF.type, t)
            self.text(node, RDFS.label, rec.get("label_en"), "en")
            self.text(node, RDFS.label, rec.get("label_zh"), "zh")

    def places(self, path: Path) -> None:
        for rec in _read_csv(path, COLUMNS["places"], self.problems):
            node = self.define("place", rec.get("id"), rec)
            if node is None or not self.required(rec, "label_en"):
                continue
            self.add(node, RDF.type, DCTERMS.Location)
            self.text(node, RDFS.label, rec.get("label_en"), "en")
            self.text(node, RDFS.label, rec.get("label_zh"), "zh")
            wikidata = rec.get("wikidata")
            if wikidata:
                if re.fullmatch(r"Q\d+", wikidata):
                    self.add(node, RDFS.seeAlso, URIRef(f"http://www.wikidata.org/entity/{wikidata}"))
                else:
                    self.problem(rec, f"bad wikidata id {wikidata!r}: expected Q123")

    def measures(self, path: Path) -> None:
        for rec in _read_csv(path, COLUMNS["measures"], self.problems, _OPTIONAL["measures"]):
            node = self.define("measure", rec.get("id"), rec)
            if node is None or not self.required(rec, "label_en", "unit", "definition"):
                continue
            unit = self.choice(UNITS, rec.get("unit"), "unit", rec)
            if unit is None:
                continue
            self.measure_units[rec.get("id")] = rec.get("unit")
            for t in (SZ.Measure, SKOS.Concept):
                self.add(node, RDF.type, t)
            self.text(node, SKOS.prefLabel, rec.get("label_en"), "en")
            self.text(node, SKOS.prefLabel, rec.get("label_zh"), "zh")
            self.text(node, SKOS.definition, rec.get("definition"), "en")
            self.add(node, SZ.unit, unit)
            additive = rec.get("additive").lower() if rec.get("additive") else None
            if additive not in (None, "true", "false"):
                self.problem(rec, f"bad additive {additive!r}: expected true or false")
                continue
            is_additive = additive == "true" if additive else rec.get("unit") in ADDITIVE_UNITS
            self.add(node, SZ.additive, Literal(is_additive))

    def definitions(self, path: Path) -> None:
        for rec in _read_csv(path, COLUMNS["definitions"], self.problems):
            node = self.define("definition", rec.get("id"), rec)
            if node is None or not self.required(rec, "label_en", "definition"):
                continue
            for t in (SZ.IndustryDefinition, SKOS.Concept):
                self.add(node, RDF.type, t)
            self.text(node, SKOS.prefLabel, rec.get("label_en"), "en")
            self.text(node, SKOS.prefLabel, rec.get("label_zh"), "zh")
            self.text(node, SKOS.definition, rec.get("definition"), "en")

    def versions(self, path: Path) -> None:
        data, text = _read_toml(path, self.problems)
        for raw in data.get("version", []):
            rec = _toml_record(path, text, raw)
            ident = str(rec.get("id"))
            if not re.fullmatch(r"\d+\.\d+", ident):
                self.problem(rec, f"bad version id {ident!r}: expected a number such as 2.0")
                continue
            node = self.define("version", ident, rec)
            if node is None or not self.required(rec, "label_en", "label_zh", "status"):
                continue
            for t in (SZ.PolicyVersion, SKOS.ConceptScheme):
                self.add(node, RDF.type, t)
            self.add(node, SZ.versionNumber, Literal(ident))
            # XKOS best practice gives a classification a short name (skos:notation).
            self.add(node, SKOS.notation, Literal(ident))
            self.text(node, RDFS.label, rec.get("label_en"), "en")
            self.text(node, RDFS.label, rec.get("label_zh"), "zh")
            status = self.choice(STATUS, rec.get("status"), "status", rec)
            if status is not None:
                self.add(node, SZ.status, status)
            if rec.get("revises"):
                self.add(node, SZ.revises, self.ref("version", str(rec.get("revises")), rec))
            issued = self.precise_date(rec.values.get("issued"), rec, "issued")
            if issued is not None:
                self.add(node, SZ.issued, issued)
                if issued.datatype == XSD.date:
                    # XKOS best practice: dcterms:issued, an xsd:date; a month or a year is not a date,
                    # and no day is invented for it (sz:issued keeps its real precision).
                    self.add(node, DCTERMS.issued, issued)
                certainty = self.choice(CERTAINTY, rec.get("issued_certainty"), "issued_certainty", rec)
                if certainty is not None:
                    self.add(node, SZ.issuedCertainty, certainty)
            announced = self.precise_date(rec.values.get("announced"), rec, "announced")
            if announced is not None:
                self.add(node, SZ.announced, announced)
            if rec.get("announced_by"):
                self.add(node, SZ.announcedBy, self.ref("agent", rec.get("announced_by"), rec))
            self.text(node, SZ.announcementOccasion, rec.get("occasion_en"), "en")
            self.text(node, SZ.announcementOccasion, rec.get("occasion_zh"), "zh")
            if rec.get("announced_in"):
                self.add(node, SZ.announcedIn, self.ref("document", str(rec.get("announced_in")), rec))
            planned = self.planned_year(rec)
            if planned is not None:
                self.add(node, SZ.plannedFor, planned)
            self.fact(node, rec, self.toml_sources(rec))
        for raw in data.get("related_document", []):
            rec = _toml_record(path, text, raw)
            node = self.define("document", str(rec.get("id")), rec)
            if node is None or not self.required(rec, "title_en"):
                continue
            self.add(node, RDF.type, SZ.RelatedDocument)
            self.text(node, DCTERMS.title, rec.get("title_en"), "en")
            self.text(node, DCTERMS.title, rec.get("title_zh"), "zh")
            for agent in rec.values.get("publishers", []):
                self.add(node, DCTERMS.publisher, self.ref("agent", agent, rec))
            for key, predicate in (("issued", DCTERMS.issued), ("accepted", DCTERMS.dateAccepted)):
                value = self.precise_date(rec.values.get(key), rec, key)
                if value is not None:
                    self.add(node, predicate, value)
            self.fact(node, rec, self.toml_sources(rec))
        for raw in data.get("document", []):
            rec = _toml_record(path, text, raw)
            node = self.define("document", str(rec.get("id")), rec)
            if node is None or not self.required(rec, "version", "title_zh"):
                continue
            for t in (SZ.PolicyDocument,):
                self.add(node, RDF.type, t)
            version = self.ref("version", str(rec.get("version")), rec)
            self.add(node, SZ.partOfVersion, version)
            self.add(version, SZ.document, node)
            self.text(node, DCTERMS.title, rec.get("title_zh"), "zh")
            self.text(node, DCTERMS.title, rec.get("title_en"), "en")
            for agent in rec.values.get("publishers", []):
                self.add(node, DCTERMS.publisher, self.ref("agent", agent, rec))
            issued = self.precise_date(rec.values.get("issued"), rec, "issued")
            if issued is not None:
                self.add(node, DCTERMS.issued, issued)
            if rec.get("number"):
                self.add(node, SZ.documentNumber, Literal(rec.get("number")))
            self.fact(node, rec, self.toml_sources(rec))
        for raw in data.get("priority", []):
            rec = _toml_record(path, text, raw)
            node = self.define("priority", str(rec.get("id")), rec)
            if node is None or not self.required(rec, "kind", "label_en"):
                continue
            if not rec.get("version") and not rec.get("named_in"):
                self.problem(rec, "a priority needs a version (whose announcement named it) or named_in (a document)")
            self.add(node, RDF.type, SZ.AnnouncedPriority)
            if rec.get("version"):
                self.add(node, SZ.version, self.ref("version", str(rec.get("version")), rec))
            if rec.get("named_in"):
                self.add(node, SZ.namedIn, self.ref("document", str(rec.get("named_in")), rec))
            kind = self.choice(PRIORITY_KIND, rec.get("kind"), "kind", rec)
            if kind is not None:
                self.add(node, SZ.priorityKind, kind)
            self.text(node, RDFS.label, rec.get("label_en"), "en")
            self.text(node, RDFS.label, rec.get("label_zh"), "zh")
            self.fact(node, rec, self.toml_sources(rec))
            compile_links(self, node, "priority", str(rec.get("id")), rec)

    def sectors(self, path: Path) -> None:
        for rec in _read_csv(path, COLUMNS["sectors"], self.problems):
            node = self.define("sector", rec.get("id"), rec)
            if node is None or not self.required(rec, "label_en", "label_zh", "versions"):
                continue
            for t in (SZ.Sector, SKOS.Concept):
                self.add(node, RDF.type, t)
            for column, lang in (("label_en", "en"), ("label_zh", "zh")):
                self.text(node, SKOS.prefLabel, rec.get(column), lang)
            for column, lang in (("label_fr", "fr"), ("label_ja", "ja")):
                self.text(node, SKOS.altLabel, rec.get(column), lang)
            for version in _split(rec.get("versions")):
                self.add(node, SKOS.inScheme, self.ref("version", version, rec))
            self.fact(node, rec, self.cell_sources(rec))

    def clusters(self, path: Path) -> None:
        version_id = re.fullmatch(r"clusters-([0-9.]+)\.csv", path.name).group(1)  # type: ignore[union-attr]
        header = _Record(path, 1, {})
        version = self.ref("version", version_id, header)
        positions: set[tuple[str, int]] = set()
        for rec in _read_csv(path, COLUMNS["clusters"], self.problems):
            ident = rec.get("id")
            if not self.required(rec, "id", "tier", "label_zh", "label_en", "position"):
                continue
            tier = self.choice(TIER, rec.get("tier"), "tier", rec)
            if tier is None:
                continue
            if not _SLUG.match(ident):
                self.problem(rec, f"bad cluster id {ident!r}: use lower-case ASCII words joined by '-'")
                continue
            try:
                position = int(rec.get("position"))
            except ValueError:
                self.problem(rec, f"bad position {rec.get('position')!r}: expected a whole number")
                continue
            if (rec.get("tier"), position) in positions:
                self.problem(rec, f"duplicate position {position} in tier {rec.get('tier')}")
            positions.add((rec.get("tier"), position))
            cluster = instance("cluster", ident)
            known = self.cluster_names.get(ident)
            if known is None:
                self.defined.setdefault("cluster", {})[ident] = (path, rec.line)
                self.cluster_names[ident] = (rec.get("label_zh"), rec.get("tier"), path, rec.line)
                for t in (tier, SKOS.Concept):
                    self.add(cluster, RDF.type, t)
                self.text(cluster, SKOS.prefLabel, rec.get("label_en"), "en")
                self.text(cluster, SKOS.prefLabel, rec.get("label_zh"), "zh")
            elif known[:2] != (rec.get("label_zh"), rec.get("tier")):
                # The identity rule: one id is one name in one tier.
                self.problems.append(
                    (
                        path,
                        rec.line,
                        f"cluster {ident!r} is {known[0]} ({known[1]}) at {known[2]}:{known[3]}, "
                        f"but {rec.get('label_zh')} ({rec.get('tier')}) here: "
                        "a renamed or moved cluster needs a new id",
                    )
                )
                continue
            for alt in _split(rec.get("alt_labels_en")):
                self.add(cluster, SKOS.altLabel, Literal(alt, lang="en"))
            self.add(cluster, SKOS.inScheme, version)
            membership = instance("membership", f"{version_id}/{ident}")
            self.add(membership, RDF.type, SZ.Membership)
            self.add(membership, SZ.cluster, cluster)
            self.add(membership, SZ.version, version)
            self.add(membership, SZ.position, Literal(position))
            if rec.get("sector"):
                self.add(membership, SZ.sector, self.ref("sector", rec.get("sector"), rec))
                certainty = self.choice(CERTAINTY, rec.get("sector_certainty"), "sector_certainty", rec)
                if certainty is not None:
                    self.add(membership, SZ.sectorCertainty, certainty)
            self.fact(membership, rec, self.cell_sources(rec))

    def events(self, path: Path) -> None:
        data, text = _read_toml(path, self.problems)
        if not data:
            return
        file_version = re.fullmatch(r"events-([0-9.]+)\.toml", path.name).group(1)  # type: ignore[union-attr]
        head = _Record(path, 1, data)
        if str(data.get("version", "")) != file_version or not data.get("previous"):
            self.problems.append((path, 1, f'expected version = "{file_version}" and previous = "..." at the top'))
            return
        version = self.ref("version", file_version, head)
        previous = self.ref("version", str(data["previous"]), head)
        correspondence = instance("correspondence", f"{data['previous']}-{file_version}")
        self.add(correspondence, RDF.type, XKOS.Correspondence)
        self.add(correspondence, XKOS.compares, previous)
        self.add(correspondence, XKOS.compares, version)
        self.add(
            correspondence,
            SKOS.prefLabel,
            Literal(f"Changes from version {data['previous']} to {file_version}", lang="en"),
        )
        events: dict[str, URIRef] = {}
        competing: list[tuple[_Record, URIRef, list[str]]] = []
        for raw in data.get("event", []):
            rec = _toml_record(path, text, raw)
            ident = str(rec.get("id"))
            if not self.required(rec, "id", "type", "label_en"):
                continue
            if not _SLUG.match(ident) or ident in events:
                self.problem(rec, f"bad or duplicate event id {ident!r}")
                continue
            node = instance("event", f"{file_version}/{ident}")
            events[ident] = node
            event_type = self.choice(self.event_types, rec.get("type"), "event type", rec)
            if event_type is None:
                continue
            self.add(node, RDF.type, event_type)
            self.add(node, SZ.version, version)
            self.add(correspondence, XKOS.madeOf, node)
            self.text(node, RDFS.label, rec.get("label_en"), "en")
            for key, predicate in (("from", SZ.fromCluster), ("to", SZ.toCluster)):
                for cluster in rec.values.get(key, []):
                    self.add(node, predicate, self.ref("cluster", cluster, rec))
            for key, predicate in (("from_sector", SZ.fromSector), ("to_sector", SZ.toSector)):
                if rec.get(key):
                    self.add(node, predicate, self.ref("sector", rec.get(key), rec))
            if not rec.values.get("from") and not rec.values.get("to"):
                self.problem(rec, "an event needs 'from' or 'to' clusters")
            competing.append((rec, node, list(rec.values.get("competing", []))))
            self.fact(node, rec, self.toml_sources(rec))
        for rec, node, others in competing:
            for other in others:
                if other not in events:
                    self.problem(rec, f"unknown competing event {other!r} in this file")
                else:
                    self.add(node, SZ.competingClaim, events[other])
                    self.add(events[other], SZ.competingClaim, node)

    def figures(self, path: Path) -> None:
        is_target = _kind_of(path) == "targets"
        kind = "target" if is_target else "observation"
        for rec in _read_csv(
            path,
            COLUMNS["targets" if is_target else "observations"],
            self.problems,
            _OPTIONAL["targets" if is_target else "observations"],
        ):
            node = self.define(kind, rec.get("id"), rec)
            required = ("measure", "subject", "period", "reported_value", "unit", "qualifier")
            if node is None or not self.required(rec, *required, *(("version",) if is_target else ())):
                continue
            self.add(node, RDF.type, SZ.Target if is_target else SZ.Observation)
            if not is_target:
                # Targets stay out of the Data Cube: qb:dataSet's domain would make them observations.
                self.add(node, RDF.type, QB.Observation)
                self.add(node, QB.dataSet, OBSERVATION_DATASET)
                self.observation_dataset()
            if is_target:
                self.add(node, SZ.version, self.ref("version", rec.get("version"), rec))
            self.add(node, SZ.measure, self.ref("measure", rec.get("measure"), rec))
            subject_kind, _, subject_id = rec.get("subject").partition("/")
            if subject_kind not in SUBJECT_KINDS or not subject_id:
                self.problem(rec, f"bad subject {rec.get('subject')!r}: expected place/ID, cluster/ID or sector/ID")
            else:
                self.add(node, SZ.subject, self.ref(subject_kind, subject_id, rec))
            period = self.period(rec.get("period"), rec)
            if period is not None:
                self.add(node, SZ.refPeriod, period)
            unit = self.choice(UNITS, rec.get("unit"), "unit", rec)
            measure_unit = self.measure_units.get(rec.get("measure"))
            if unit is not None and measure_unit is not None and measure_unit != rec.get("unit"):
                self.problem(
                    rec,
                    f"unit {rec.get('unit')!r} differs from the unit "
                    f"{measure_unit!r} of measure {rec.get('measure')!r}",
                )
            try:
                reported = Decimal(rec.get("reported_value").replace(",", ""))
                multiplier = int(rec.get("unit_multiplier") or "0")
            except (InvalidOperation, ValueError):
                self.problem(
                    rec,
                    f"bad number: reported_value {rec.get('reported_value')!r}"
                    f", unit_multiplier {rec.get('unit_multiplier')!r}",
                )
                continue
            if (
                not reported.is_finite()
                or abs(multiplier) > MAX_EXPONENT
                or (reported and abs(reported.adjusted() + multiplier) > MAX_EXPONENT)
            ):
                self.problem(
                    rec,
                    f"number out of range: reported_value {rec.get('reported_value')!r}"
                    f", unit_multiplier {rec.get('unit_multiplier')!r} (figures must be finite and "
                    f"within 10^±{MAX_EXPONENT})",
                )
                continue
            if unit is not None:
                self.add(node, SZ.unit, unit)
            self.add(node, SZ.reportedValue, Literal(decimal_lexical(reported), datatype=XSD.decimal))
            self.add(node, SZ.unitMultiplier, Literal(multiplier))
            # Canonical lexical forms, so that every store holds (and exports) the same literal.
            self.add(node, SZ.value, Literal(decimal_lexical(reported.scaleb(multiplier)), datatype=XSD.decimal))
            qualifier = self.choice(QUALIFIER, rec.get("qualifier"), "qualifier", rec)
            if qualifier is not None:
                self.add(node, SZ.qualifier, qualifier)
                lower, upper = figure_bounds(reported, multiplier, rec.get("qualifier"))
                for bound, predicate in ((lower, SZ.lowerBound), (upper, SZ.upperBound)):
                    if bound is not None:
                        self.add(node, predicate, Literal(decimal_lexical(bound), datatype=XSD.decimal))
            if rec.get("definition"):
                self.add(node, SZ.underDefinition, self.ref("definition", rec.get("definition"), rec))
            self.text(node, SZ.reportedText, rec.get("reported_text"))
            self.fact(node, rec, self.cell_sources(rec))

    def statements(self, path: Path) -> None:
        """Qualified statements: one statement of a node with a certainty and citations of its own."""
        data, text = _read_toml(path, self.problems)
        for raw in data.get("statement", []):
            rec = _toml_record(path, text, raw)
            if not self.required(rec, "subject", "property", "certainty"):
                continue
            kind, _, slug = str(rec.get("subject")).partition("/")
            if kind not in KINDS or not _SLUG.match(slug):
                self.problem(
                    rec, f"bad subject {rec.get('subject')!r}: expected KIND/SLUG, such as document/2022-opinions"
                )
                continue
            subject = instance(kind, slug)
            prefix, _, local = str(rec.get("property")).partition(":")
            namespace = dict(self.graph.namespaces()).get(prefix)
            if namespace is None or not local:
                self.problem(
                    rec, f"bad property {rec.get('property')!r}: expected a prefixed name, such as sz:documentNumber"
                )
                continue
            predicate = URIRef(str(namespace) + local)
            language = rec.get("language") or None
            values = [
                o
                for o in self.graph.objects(subject, predicate)
                if language is None or (isinstance(o, Literal) and o.language == language)
            ]
            if len(values) != 1:
                self.problem(
                    rec,
                    f"{rec.get('subject')} has {len(values)} value(s) of {rec.get('property')}"
                    + (f"@{language}" if language else "")
                    + ": a qualified statement needs exactly one",
                )
                continue
            words = re.sub(r"(?<!^)([A-Z])", r"-\1", local).lower()
            ident = f"{kind}/{slug}/{words}" + (f"-{language}" if language else "")
            seen = self.defined.setdefault("statement", {})
            if ident in seen:
                first = f"{seen[ident][0]}:{seen[ident][1]}"
                self.problem(rec, f"duplicate qualified statement {ident!r} (first at {first})")
                continue
            seen[ident] = (rec.path, rec.line)
            node = instance("statement", ident)
            self.add(node, RDF.type, SZ.QualifiedStatement)
            self.add(node, SZ.statementSubject, subject)
            self.add(node, SZ.statementProperty, predicate)
            self.add(node, SZ.statementValue, values[0])
            self.fact(node, rec, self.toml_sources(rec))

    def observation_dataset(self) -> None:
        """The qb:DataSet the observations are published in, with its structure."""
        if (OBSERVATION_DATASET, RDF.type, QB.DataSet) in self.graph:
            return
        self.add(OBSERVATION_DATASET, RDF.type, QB.DataSet)
        self.add(OBSERVATION_DATASET, QB.structure, SZ.figureStructure)
        self.add(OBSERVATION_DATASET, RDFS.label, Literal("Observations of the 20+8 policy", lang="en"))
        self.add(OBSERVATION_DATASET, RDFS.label, Literal("“20+8”政策观测值", lang="zh"))

    def period(self, text: str, rec: _Record) -> URIRef | None:
        bounds = _period_bounds(text)
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

    def turtle(self, path: Path) -> None:
        try:
            read_utf8(path)  # names the line of a byte that is not UTF-8
            self.graph.parse(path, format="turtle")
        except DataError as error:
            self.problems.extend(error.problems)
        except BadSyntax as error:
            self.problems.append((path, error.lines + 1, f"Turtle syntax: {error._why}"))  # noqa: SLF001
        except Exception as error:  # rdflib raises several kinds for bad Turtle
            self.problems.append((path, None, f"Turtle: {error}"))


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(SEPARATOR.strip())] if cell.strip() else []


def _language(text: str) -> str:
    """A guess of the language of a text: Japanese if it has kana, Chinese if it has Han, else English."""
    if _KANA.search(text):
        return "ja"
    return "zh" if _CJK.search(text) else "en"


_QUARTER_END = {1: "03-31", 2: "06-30", 3: "09-30", 4: "12-31"}
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def figure_bounds(reported: Decimal, multiplier: int, qualifier: str) -> tuple[Decimal | None, Decimal | None]:
    """The interval of true values (normalised) that a printed figure and its qualifier allow.

    ``exact``: half a unit of the last printed digit either side; ``about``: one unit of the last non-zero
    digit either side; ``nearly``: up to one unit of the last non-zero digit below (the figure itself
    excluded); ``over`` (excluded) and ``at-least``: the figure and above; ``at-most``: the figure and below.
    None is an open side.

    >>> figure_bounds(Decimal("3.68"), 12, "exact")
    (Decimal('3.675E+12'), Decimal('3.685E+12'))
    >>> figure_bounds(Decimal("1.3"), 12, "about")
    (Decimal('1.2E+12'), Decimal('1.4E+12'))
    >>> figure_bounds(Decimal("400"), 0, "nearly")
    (Decimal('300'), Decimal('400'))
    >>> figure_bounds(Decimal("40"), 0, "over")
    (Decimal('40'), None)
    """
    value = reported.scaleb(multiplier)
    last_digit = Decimal(1).scaleb(reported.as_tuple().exponent + multiplier)  # type: ignore[operator]
    significant = reported.normalize()
    last_nonzero = Decimal(1).scaleb(significant.as_tuple().exponent + multiplier)  # type: ignore[operator]
    if qualifier == "exact":
        return value - last_digit / 2, value + last_digit / 2
    if qualifier == "about":
        return value - last_nonzero, value + last_nonzero
    if qualifier == "nearly":
        return value - last_nonzero, value
    if qualifier in ("over", "at-least"):
        return value, None
    if qualifier == "at-most":
        return None, value
    raise ValueError(f"unknown qualifier {qualifier!r}")


def _period_bounds(text: str) -> tuple[date, date, str] | None:
    """Start, end and label of a period written as in the data files."""
    if m := re.fullmatch(r"(\d{4})", text):
        y = int(m[1])
        return date(y, 1, 1), date(y, 12, 31), text
    if m := re.fullmatch(r"(\d{4})-(\d{4})", text):
        a, b = int(m[1]), int(m[2])
        return (date(a, 1, 1), date(b, 12, 31), f"{a}–{b}") if a < b else None
    if m := re.fullmatch(r"(\d{4})-q([1-4])(?:-q([1-4]))?", text):
        y, q1 = int(m[1]), int(m[2])
        q2 = int(m[3] or q1)
        if q2 < q1:
            return None
        start = date(y, 3 * (q1 - 1) + 1, 1)
        end = date.fromisoformat(f"{y}-{_QUARTER_END[q2]}")
        return start, end, f"{y} Q{q1}" + (f"–Q{q2}" if q2 != q1 else "")
    if m := re.fullmatch(r"(\d{4})-m(\d{2})-m(\d{2})", text):
        y, first, last = int(m[1]), int(m[2]), int(m[3])
        if not 1 <= first < last <= 12:
            return None
        end = date(y + (last == 12), last % 12 + 1, 1) - timedelta(days=1)
        return date(y, first, 1), end, f"{y} {_MONTHS[first - 1]}–{_MONTHS[last - 1]}"
    if m := re.fullmatch(r"(\d{4})-reported-(\d{4}-\d{2}-\d{2})", text):
        y = int(m[1])
        try:
            reported = date.fromisoformat(m[2])
        except ValueError:
            return None
        if reported.year != y:
            return None
        return date(y, 1, 1), reported, f"{y}, as reported on {reported.isoformat()}"
    if m := re.fullmatch(r"(\d{4})-h([12])", text):
        y, h = int(m[1]), int(m[2])
        return (date(y, 1, 1), date(y, 6, 30), f"{y} H1") if h == 1 else (date(y, 7, 1), date(y, 12, 31), f"{y} H2")
    return None


# -- What a record concerns, planned measures, claims of achievement, corrections ------------------------
# Functions of the compiler (``c``) rather than methods, one per kind of record, as the compilers of the
# other kinds will be once the compiler is split into a module per kind.


def compile_links(c: _Compiler, node: URIRef, kind: str, slug: str, rec: _Record) -> None:
    """What a record concerns (``concerns``: dcterms:subject) or is related to (``related``: skos:related).

    ``concerns = ["cluster/biomedicine"]`` states a link as certain as the record itself (its quote is the
    record's). Each ``[[KIND.link]]`` (``relation``, ``to``, ``certainty``, ``note``, ``[[KIND.link.source]]``)
    states a link less certain than the record: the triple, and a qualified statement of it with its own
    certainty, note and citations (``statement/KIND/SLUG/subject/cluster/biomedicine``).
    """
    for relation, predicate in RELATIONS.items():
        targets = rec.values.get(relation, [])
        if not isinstance(targets, list):
            c.problem(rec, f'{relation!r} must be a list of KIND/SLUG, such as ["cluster/biomedicine"]')
            continue
        for target in targets:
            reference = _link_target(c, str(target), rec)
            if reference is not None:
                c.add(node, predicate, reference)
    links = rec.values.get("link", [])
    if not isinstance(links, list):
        c.problem(rec, "'link' must be an array of tables [[...link]]")
        return
    for raw in links:
        link = _Record(rec.path, rec.line_of(str(raw.get("to", ""))), raw, rec.source_lines)
        if not c.required(link, "relation", "to", "certainty"):
            continue
        linked_by = c.choice(RELATIONS, link.get("relation"), "relation", link)
        target = _link_target(c, str(link.get("to")), link)
        if linked_by is None or target is None:
            continue
        words = "subject" if linked_by == DCTERMS.subject else "related"
        ident = f"{kind}/{slug}/{words}/{link.get('to')}"
        seen = c.defined.setdefault("statement", {})
        if ident in seen:
            c.problem(link, f"duplicate link {ident!r} (first at {seen[ident][0]}:{seen[ident][1]})")
            continue
        seen[ident] = (link.path, link.line)
        c.add(node, linked_by, target)
        statement = instance("statement", ident)
        c.add(statement, RDF.type, SZ.QualifiedStatement)
        c.add(statement, SZ.statementSubject, node)
        c.add(statement, SZ.statementProperty, linked_by)
        c.add(statement, SZ.statementValue, target)
        c.fact(statement, link, c.toml_sources(link))


def _link_target(c: _Compiler, target: str, rec: _Record) -> URIRef | None:
    rec = _Record(rec.path, rec.line_of(target), rec.values, rec.source_lines)  # errors point at the target
    kind, _, slug = target.partition("/")
    if kind not in LINK_TARGETS or not _SLUG.match(slug):
        c.problem(rec, f"bad link target {target!r}: expected {', '.join(k + '/SLUG' for k in LINK_TARGETS)}", target)
        return None
    return c.ref(kind, slug, rec)


def compile_plans_and_claims(c: _Compiler, path: Path) -> None:
    """``plans-and-claims.toml``: ``[[technology]]``, ``[[plan]]`` (planned measures) and ``[[claim]]`` (claims
    of achievement), each with what it concerns (:func:`compile_links`)."""
    data, text = _read_toml(path, c.problems)
    for raw in data.get("technology", []):
        rec = _toml_record(path, text, raw)
        node = c.define("technology", str(rec.get("id")), rec)
        if node is None or not c.required(rec, "label_en"):
            continue
        for t in (SZ.Technology, SKOS.Concept):
            c.add(node, RDF.type, t)
        c.text(node, SKOS.prefLabel, rec.get("label_en"), "en")
        c.text(node, SKOS.prefLabel, rec.get("label_zh"), "zh")
        c.text(node, RDFS.comment, rec.get("note"), "en")
        compile_links(c, node, "technology", str(rec.get("id")), rec)
    for raw in data.get("plan", []):
        rec = _toml_record(path, text, raw)
        node = c.define("plan", str(rec.get("id")), rec)
        if node is None or not c.required(rec, "label_en", "named_in"):
            continue
        c.add(node, RDF.type, SZ.PlannedMeasure)
        c.text(node, RDFS.label, rec.get("label_en"), "en")
        c.text(node, RDFS.label, rec.get("label_zh"), "zh")
        c.add(node, SZ.namedIn, c.ref("document", str(rec.get("named_in")), rec))
        planned = c.planned_year(rec)
        if planned is not None:
            c.add(node, SZ.plannedFor, planned)
        c.fact(node, rec, c.toml_sources(rec))
        compile_links(c, node, "plan", str(rec.get("id")), rec)
    for raw in data.get("claim", []):
        rec = _toml_record(path, text, raw)
        node = c.define("claim", str(rec.get("id")), rec)
        if node is None or not c.required(rec, "label_en", "kind"):
            continue
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


_NODE_PATH = re.compile(r"^(?P<kind>[a-z]+)/(?P<rest>[a-z0-9.-]+(?:/[a-z0-9.-]+)*(?:#[a-z0-9.-]+)?)$")


def compile_corrections(c: _Compiler, path: Path) -> None:
    """``corrections.toml``: each ``[[correction]]`` of the graph, applied or answered without a change.

    Run after every other file: the corrected ``node`` (a path such as ``observation/gdp-2025``, or
    ``observation/gdp-2025#source-yicai-2026`` for a citation) must be a node of the compiled graph.
    """
    data, text = _read_toml(path, c.problems)
    for raw in data.get("correction", []):
        rec = _toml_record(path, text, raw)
        node = c.define("correction", str(rec.get("id")), rec)
        if node is None or not c.required(rec, "node", "before", "after", "status", "date", "release", "note"):
            continue
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
            c.problem(
                rec, f"bad date {rec.values.get('date')!r}: a correction is dated by its day, YYYY-MM-DD", str(made)
            )
        elif made is not None:
            c.add(node, DCTERMS.date, made)
        release = str(rec.get("release"))
        if re.fullmatch(r"\d+\.\d+\.\d+", release):
            c.add(node, SZ.inRelease, Literal(release))
        else:
            c.problem(rec, f"bad release {release!r}: expected a version number such as 0.2.0", release)
        c.fact(node, rec, c.toml_sources(rec))
