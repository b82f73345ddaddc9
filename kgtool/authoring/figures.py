"""Compiler of the figures: observations (``observations*.csv``, published as an RDF Data Cube) and
targets (``targets*.csv``, a version's goals), each a reported value with its unit, qualifier and bounds."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from ..namespaces import QB, SZ
from ..results import decimal_lexical
from .compilation import Compilation
from .files import COLUMNS, OPTIONAL_COLUMNS, kind_of
from .records import Record, read_csv
from .values import MAX_EXPONENT, OBSERVATION_DATASET, QUALIFIER, SUBJECT_KINDS, UNITS, figure_bounds

__all__ = ["compile_figures"]

_REQUIRED = ("measure", "subject", "period", "reported_value", "unit", "qualifier")


def compile_figures(c: Compilation, path: Path) -> None:
    """``observations*.csv`` or ``targets*.csv`` (a target also names its version)."""
    table = "targets" if kind_of(path) == "targets" else "observations"
    is_target = table == "targets"
    for rec in read_csv(path, COLUMNS[table], c.problems, OPTIONAL_COLUMNS[table]):
        node = c.define("target" if is_target else "observation", rec.get("id"), rec)
        if node is None or not c.required(rec, *_REQUIRED, *(("version",) if is_target else ())):
            continue
        c.add(node, RDF.type, SZ.Target if is_target else SZ.Observation)
        if not is_target:
            # Targets stay out of the Data Cube: qb:dataSet's domain would make them observations.
            c.add(node, RDF.type, QB.Observation)
            c.add(node, QB.dataSet, OBSERVATION_DATASET)
            c.observation_dataset()
        if is_target:
            c.add(node, SZ.version, c.ref("version", rec.get("version"), rec))
        c.add(node, SZ.measure, c.ref("measure", rec.get("measure"), rec))
        subject_kind, _, subject_id = rec.get("subject").partition("/")
        if subject_kind not in SUBJECT_KINDS or not subject_id:
            c.problem(rec, f"bad subject {rec.get('subject')!r}: expected place/ID, cluster/ID or sector/ID")
        else:
            c.add(node, SZ.subject, c.ref(subject_kind, subject_id, rec))
        period = c.period(rec.get("period"), rec)
        if period is not None:
            c.add(node, SZ.refPeriod, period)
        if not _value(c, rec, node):
            continue
        if rec.get("definition"):
            c.add(node, SZ.underDefinition, c.ref("definition", rec.get("definition"), rec))
        c.text(node, SZ.reportedText, rec.get("reported_text"))
        c.fact(node, rec, c.cell_sources(rec))


def _number(c: Compilation, rec: Record) -> tuple[Decimal, int] | None:
    """The reported value and its power of ten, checked finite and within 10^±MAX_EXPONENT."""
    try:
        reported = Decimal(rec.get("reported_value").replace(",", ""))
        multiplier = int(rec.get("unit_multiplier") or "0")
    except (InvalidOperation, ValueError):
        c.problem(
            rec,
            f"bad number: reported_value {rec.get('reported_value')!r}, unit_multiplier {rec.get('unit_multiplier')!r}",
        )
        return None
    if (
        not reported.is_finite()
        or abs(multiplier) > MAX_EXPONENT
        or (reported and abs(reported.adjusted() + multiplier) > MAX_EXPONENT)
    ):
        c.problem(
            rec,
            f"number out of range: reported_value {rec.get('reported_value')!r}"
            f", unit_multiplier {rec.get('unit_multiplier')!r} (figures must be finite and "
            f"within 10^±{MAX_EXPONENT})",
        )
        return None
    return reported, multiplier


def _value(c: Compilation, rec: Record, node: URIRef) -> bool:
    """A figure's unit, value as reported and normalised, qualifier and bounds (False: a bad number)."""
    unit = c.choice(UNITS, rec.get("unit"), "unit", rec)
    measure_unit = c.measure_units.get(rec.get("measure"))
    if unit is not None and measure_unit is not None and measure_unit != rec.get("unit"):
        c.problem(
            rec,
            f"unit {rec.get('unit')!r} differs from the unit {measure_unit!r} of measure {rec.get('measure')!r}",
        )
    number = _number(c, rec)
    if number is None:
        return False
    reported, multiplier = number
    if unit is not None:
        c.add(node, SZ.unit, unit)
    c.add(node, SZ.reportedValue, Literal(decimal_lexical(reported), datatype=XSD.decimal))
    c.add(node, SZ.unitMultiplier, Literal(multiplier))
    # Canonical lexical forms, so that every store holds (and exports) the same literal.
    c.add(node, SZ.value, Literal(decimal_lexical(reported.scaleb(multiplier)), datatype=XSD.decimal))
    qualifier = c.choice(QUALIFIER, rec.get("qualifier"), "qualifier", rec)
    if qualifier is not None:
        c.add(node, SZ.qualifier, qualifier)
        lower, upper = figure_bounds(reported, multiplier, rec.get("qualifier"))
        for bound, predicate in ((lower, SZ.lowerBound), (upper, SZ.upperBound)):
            if bound is not None:
                c.add(node, predicate, Literal(decimal_lexical(bound), datatype=XSD.decimal))
    return True
