"""Compilers of the taxonomy: sectors (``sectors.csv``) and each version's list of clusters
(``clusters-VERSION.csv``), with the identity rule of docs/MODEL.md (one id is one name in one tier)."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SKOS

from ..namespaces import SZ, instance
from .compilation import Compilation
from .files import COLUMNS
from .records import Record, read_csv
from .values import CERTAINTY, SLUG, TIER, split_cell

__all__ = ["compile_sectors", "compile_clusters"]


def compile_sectors(c: Compilation, path: Path) -> None:
    """``sectors.csv``: the sectors clusters are grouped under, with the versions that use each."""
    for rec in read_csv(path, COLUMNS["sectors"], c.problems):
        node = c.define("sector", rec.get("id"), rec)
        if node is None or not c.required(rec, "label_en", "label_zh", "versions"):
            continue
        for t in (SZ.Sector, SKOS.Concept):
            c.add(node, RDF.type, t)
        for column, lang in (("label_en", "en"), ("label_zh", "zh")):
            c.text(node, SKOS.prefLabel, rec.get(column), lang)
        for column, lang in (("label_fr", "fr"), ("label_ja", "ja")):
            c.text(node, SKOS.altLabel, rec.get(column), lang)
        for version in split_cell(rec.get("versions")):
            c.add(node, SKOS.inScheme, c.ref("version", version, rec))
        c.fact(node, rec, c.cell_sources(rec))


def compile_clusters(c: Compilation, path: Path) -> None:
    """``clusters-VERSION.csv``: a version's clusters, each a membership of the version at its position."""
    version_id = re.fullmatch(r"clusters-([0-9.]+)\.csv", path.name).group(1)  # type: ignore[union-attr]
    version = c.ref("version", version_id, Record(path, 1, {}))
    positions: set[tuple[str, int]] = set()
    for rec in read_csv(path, COLUMNS["clusters"], c.problems):
        ident = rec.get("id")
        if not c.required(rec, "id", "tier", "label_zh", "label_en", "position"):
            continue
        tier = c.choice(TIER, rec.get("tier"), "tier", rec)
        if tier is None:
            continue
        if not SLUG.match(ident):
            c.problem(rec, f"bad cluster id {ident!r}: use lower-case ASCII words joined by '-'")
            continue
        try:
            position = int(rec.get("position"))
        except ValueError:
            c.problem(rec, f"bad position {rec.get('position')!r}: expected a whole number")
            continue
        if (rec.get("tier"), position) in positions:
            c.problem(rec, f"duplicate position {position} in tier {rec.get('tier')}")
        positions.add((rec.get("tier"), position))
        cluster = _cluster(c, rec, tier)
        if cluster is None:
            continue
        for alt in split_cell(rec.get("alt_labels_en")):
            c.add(cluster, SKOS.altLabel, Literal(alt, lang="en"))
        c.add(cluster, SKOS.inScheme, version)
        _membership(c, rec, version_id, version, cluster, position)


def _cluster(c: Compilation, rec: Record, tier: URIRef) -> URIRef | None:
    """The cluster of a row: defined by its first row, checked against it by every later one (None: a
    row that breaks the identity rule)."""
    ident = rec.get("id")
    cluster = instance("cluster", ident)
    known = c.cluster_names.get(ident)
    if known is None:
        c.defined.setdefault("cluster", {})[ident] = (rec.path, rec.line)
        c.cluster_names[ident] = (rec.get("label_zh"), rec.get("tier"), rec.path, rec.line)
        for t in (tier, SKOS.Concept):
            c.add(cluster, RDF.type, t)
        c.text(cluster, SKOS.prefLabel, rec.get("label_en"), "en")
        c.text(cluster, SKOS.prefLabel, rec.get("label_zh"), "zh")
    elif known[:2] != (rec.get("label_zh"), rec.get("tier")):
        # The identity rule: one id is one name in one tier.
        c.problems.append(
            (
                rec.path,
                rec.line,
                f"cluster {ident!r} is {known[0]} ({known[1]}) at {known[2]}:{known[3]}, "
                f"but {rec.get('label_zh')} ({rec.get('tier')}) here: "
                "a renamed or moved cluster needs a new id",
            )
        )
        return None
    return cluster


def _membership(c: Compilation, rec: Record, version_id: str, version: URIRef, cluster: URIRef, position: int) -> None:
    membership = instance("membership", f"{version_id}/{rec.get('id')}")
    c.add(membership, RDF.type, SZ.Membership)
    c.add(membership, SZ.cluster, cluster)
    c.add(membership, SZ.version, version)
    c.add(membership, SZ.position, Literal(position))
    if rec.get("sector"):
        c.add(membership, SZ.sector, c.ref("sector", rec.get("sector"), rec))
        certainty = c.choice(CERTAINTY, rec.get("sector_certainty"), "sector_certainty", rec)
        if certainty is not None:
            c.add(membership, SZ.sectorCertainty, certainty)
    c.fact(membership, rec, c.cell_sources(rec))
