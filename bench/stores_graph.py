"""A policy-like graph of about N triples, shaped like graph/ but scaled: for the store benchmark (bench/stores.py).

Ten policy versions that revise one another; sectors and measures with labels in English and Chinese
(sectors also in French and Japanese); sources; yearly periods; and, for each cluster, its labels,
memberships of several versions (positions, certainties, sectors, citations with Chinese quotes),
a reclassification event, and observations with decimal values, units, qualifiers and citations. The
project's ontology is the ontology graph. Deterministic for a given N and seed.

    python -m bench.stores_graph --triples 1000000 --out /tmp/graph-1m.nq
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

__all__ = ["generate", "write_nquads", "VERSIONS", "MEASURES"]

BASE = "https://w3id.org/sz20plus8/"
SZ = BASE + "def#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "https://schema.org/"
QB = "http://purl.org/linked-data/cube#"
XSD = "http://www.w3.org/2001/XMLSchema#"
DATA_GRAPH = f"<{BASE}graph/data>"
ONTOLOGY_GRAPH = f"<{BASE}graph/ontology>"

VERSIONS = [f"{n}.0" for n in range(1, 11)]
MEASURES = [f"measure-{n:02d}" for n in range(20)]
YEARS = list(range(2000, 2031))
SECTORS = [f"sector-{n:02d}" for n in range(30)]
UNITS = ["http://qudt.org/vocab/currency/CNY", "http://qudt.org/vocab/unit/PERCENT", "http://qudt.org/vocab/unit/NUM"]
QUALIFIERS = ["Exact", "Exact", "Exact", "Over", "AtLeast", "About", "Nearly", "AtMost"]
CERTAINTIES = ["Confirmed", "Confirmed", "Secondary", "Uncertain"]
EVENTS = ["Renaming", "Elevation", "Merger", "Move", "Regrouping"]
ZH = (
    "人工智能半导体集成电路网络通信超高清视频显示智能终端智能传感器"
    "软件信息服务数字创意现代时尚工业母机智能机器人精密仪器新能源安全节能环保"
)


def _iri(kind: str, slug: str) -> str:
    return f"<{BASE}{kind}/{slug}>"


def _sz(term: str) -> str:
    return f"<{SZ}{term}>"


def _lit(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    quoted = '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if lang:
        return f"{quoted}@{lang}"
    if datatype:
        return f"{quoted}^^<{XSD}{datatype}>"
    return quoted


def _zh(rng: random.Random, length: int) -> str:
    return "".join(rng.choice(ZH) for _ in range(length))


def _citation(fact: str, source: str, rng: random.Random) -> Iterator[tuple[str, str, str]]:
    """A fact's citation: the hash IRI under the fact, the source and a Chinese quote."""
    citation = fact[:-1] + f"#source-{source}>"
    yield fact, _sz("citation"), citation
    yield fact, f"<{PROV}wasDerivedFrom>", _iri("source", source)
    yield citation, RDF_TYPE, _sz("Citation")
    yield citation, f"<{PROV}entity>", _iri("source", source)
    yield citation, _sz("quote"), _lit(_zh(rng, 12), "zh")


def _globals(rng: random.Random, sources: int) -> Iterator[tuple[str, str, str]]:
    previous = None
    for i, number in enumerate(VERSIONS):
        version = _iri("version", number)
        yield version, RDF_TYPE, _sz("PolicyVersion")
        yield version, _sz("versionNumber"), _lit(number)
        yield version, f"<{RDFS}label>", _lit(f"Policy version {number}", "en")
        yield version, f"<{RDFS}label>", _lit(f"政策{number}版", "zh")
        yield version, _sz("status"), _sz("InForce" if number == VERSIONS[-1] else "Superseded")
        yield version, _sz("issued"), _lit(f"{2012 + i * 2}-06-0{1 + i % 9}", datatype="date")
        yield version, _sz("certainty"), _sz("Confirmed")
        if previous:
            yield version, _sz("revises"), previous
        yield from _citation(version, f"s{i % sources}", rng)
        previous = version
    for slug in SECTORS:
        sector = _iri("sector", slug)
        yield sector, RDF_TYPE, _sz("Sector")
        yield sector, f"<{SKOS}prefLabel>", _lit(f"Sector {slug[-2:]}", "en")
        yield sector, f"<{SKOS}prefLabel>", _lit(_zh(rng, 6), "zh")
        yield sector, f"<{SKOS}altLabel>", _lit(f"Secteur {slug[-2:]}", "fr")
        yield sector, f"<{SKOS}altLabel>", _lit(f"セクター{slug[-2:]}", "ja")
    for slug in MEASURES:
        measure = _iri("measure", slug)
        yield measure, RDF_TYPE, _sz("Measure")
        yield measure, f"<{SKOS}prefLabel>", _lit(f"Measure {slug[-2:]}", "en")
        yield measure, f"<{SKOS}prefLabel>", _lit(_zh(rng, 8), "zh")
        yield measure, _sz("unit"), f"<{UNITS[int(slug[-2:]) % len(UNITS)]}>"
    for year in YEARS:
        period = _iri("period", str(year))
        yield period, RDF_TYPE, _sz("Period")
        yield period, f"<{RDFS}label>", _lit(str(year))
        yield period, f"<{SCHEMA}startDate>", _lit(f"{year}-01-01", datatype="date")
        yield period, f"<{SCHEMA}endDate>", _lit(f"{year}-12-31", datatype="date")
    for n in range(sources):
        source = _iri("source", f"s{n}")
        yield source, RDF_TYPE, _sz("Source")
        yield source, "<http://purl.org/dc/terms/title>", _lit(f"Report number {n}: {_zh(rng, 10)}")
        yield source, "<http://purl.org/dc/terms/publisher>", _lit(f"Publisher {n % 97}")
        yield source, _sz("sourceKind"), _sz(rng.choice(["NewsReport", "PolicyText", "GovernmentPage"]))


def _cluster(n: int, rng: random.Random, sources: int) -> Iterator[tuple[str, str, str]]:
    slug = f"c{n:06d}"
    cluster = _iri("cluster", slug)
    tier = "StrategicEmergingIndustryCluster" if n % 4 else "FutureIndustry"
    yield cluster, RDF_TYPE, _sz(tier)
    yield cluster, f"<{SKOS}prefLabel>", _lit(f"Cluster {n} {rng.choice(['Systems', 'Materials', 'Devices'])}", "en")
    yield cluster, f"<{SKOS}prefLabel>", _lit(_zh(rng, 6), "zh")
    yield cluster, f"<{SKOS}altLabel>", _lit(f"C{n} industry", "en")
    first = rng.randrange(0, len(VERSIONS) - 3)
    versions = VERSIONS[first : first + rng.randint(3, 7)]
    for number in versions:
        version = _iri("version", number)
        membership = _iri("membership", f"{number}/{slug}")
        yield cluster, f"<{SKOS}inScheme>", version
        yield membership, RDF_TYPE, _sz("Membership")
        yield membership, _sz("cluster"), cluster
        yield membership, _sz("version"), version
        yield membership, _sz("position"), _lit(str(n + 1), datatype="integer")
        yield membership, _sz("certainty"), _sz(rng.choice(CERTAINTIES))
        if rng.random() < 0.5:
            yield membership, _sz("sector"), _iri("sector", rng.choice(SECTORS))
            yield membership, _sz("sectorCertainty"), _sz(rng.choice(CERTAINTIES))
        yield from _citation(membership, f"s{rng.randrange(sources)}", rng)
    kind = rng.choice(EVENTS)
    event = _iri("event", f"{versions[-1]}/{kind.lower()}-{slug}")
    yield event, RDF_TYPE, _sz(kind)
    yield event, _sz("version"), _iri("version", versions[-1])
    yield event, _sz("fromCluster"), _iri("cluster", f"c{max(0, n - 1):06d}")
    yield event, _sz("toCluster"), cluster
    yield event, f"<{RDFS}label>", _lit(f"{kind} of cluster {n}", "en")
    yield event, _sz("certainty"), _sz(rng.choice(CERTAINTIES))
    yield from _citation(event, f"s{rng.randrange(sources)}", rng)
    for year in rng.sample(YEARS, rng.randint(4, 8)):
        measure = rng.choice(MEASURES)
        observation = _iri("observation", f"{slug}-{measure}-{year}")
        multiplier = rng.choice([0, 4, 8])
        reported = f"{rng.randint(1, 99999)}.{rng.randint(0, 99):02d}"
        value = format(Decimal(reported).scaleb(multiplier).normalize(), "f")
        yield observation, RDF_TYPE, _sz("Observation")
        yield observation, _sz("measure"), _iri("measure", measure)
        yield observation, _sz("subject"), cluster
        yield observation, _sz("refPeriod"), _iri("period", str(year))
        yield observation, _sz("value"), _lit(value, datatype="decimal")
        yield observation, _sz("reportedValue"), _lit(reported, datatype="decimal")
        yield observation, _sz("unitMultiplier"), _lit(str(multiplier), datatype="integer")
        yield observation, _sz("unit"), f"<{rng.choice(UNITS)}>"
        yield observation, _sz("qualifier"), _sz(rng.choice(QUALIFIERS))
        yield observation, _sz("reportedText"), _lit(f"{reported}{'亿元' if multiplier == 8 else '万元'}", "zh")
        yield observation, _sz("certainty"), _sz(rng.choice(CERTAINTIES))
        yield observation, f"<{QB}dataSet>", f"<{BASE}dataset>"
        yield from _citation(observation, f"s{rng.randrange(sources)}", rng)


def generate(triples: int = 1_000_000, seed: int = 20_08) -> Iterator[tuple[str, str, str]]:
    """About ``triples`` data triples (N-Triples terms), whole clusters at a time."""
    rng = random.Random(seed)
    sources = max(10, triples // 2000)
    count = 0
    for triple in _globals(rng, sources):
        count += 1
        yield triple
    n = 0
    while count < triples:
        for triple in _cluster(n, rng, sources):
            count += 1
            yield triple
        n += 1


def write_nquads(path: Path, triples: int = 1_000_000, seed: int = 20_08, ontology: Path | None = None) -> int:
    """Write the generated data (graph ``.../graph/data``) and the project's ontology (``.../graph/ontology``)
    as N-Quads; returns the number of quads."""
    import pyoxigraph as ox

    from kgtool.paths import project_paths

    ontology = ontology or project_paths().ontology_file
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_suffix(".tmp")
    count = 0
    with temp.open("w", encoding="utf-8") as out:
        for quad in ox.parse(path=str(ontology), format=ox.RdfFormat.TURTLE):
            out.write(f"{quad.subject} {quad.predicate} {quad.object} {ONTOLOGY_GRAPH} .\n")
            count += 1
        for s, p, o in generate(triples, seed):
            out.write(f"{s} {p} {o} {DATA_GRAPH} .\n")
            count += 1
    temp.replace(path)
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20_08)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    count = write_nquads(args.out, args.triples, args.seed)
    print(f"wrote {count} quads to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
