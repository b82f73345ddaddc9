"""Policy-like graphs of about N triples for the benchmarks, conforming to the project's ontology and shapes.

The graph is the project's own data, compiled from graph/, copied once per region: region 0 is the data as
it is, and each further region is the same data with every instance IRI moved under its own prefix
(``https://w3id.org/sz20plus8/r0001/cluster/...``), so that each region has three policy versions, their
clusters with English and Chinese labels, sectors, every kind of reclassification event, yearly
observations and targets with their sources and quotes, and the copies stay as valid as the original (the
shapes and the quality rules hold in each). The compiled data has no regrouping, so one is added to the
template: a cluster moved to another sector in 2.0, with its event, citation and correspondence; nor a move
(a cluster changing tier), so the first renaming becomes one.

With ``violations=K`` the generator also plants K violations of each kind in :data:`KINDS` (each a small
edit of one node that breaks exactly one shape), in regions chosen with ``seed``, and returns how many it
planted per shape: a validator must report each planted shape on exactly K focus nodes.

    python -m bench.generate --triples 100000 --violations 3 --out /tmp/graph-100k.nq
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import pyoxigraph as ox

__all__ = ["write_nquads", "template", "KINDS", "Kind", "DATA_GRAPH", "ONTOLOGY_GRAPH", "region_prefix"]

BASE = "https://w3id.org/sz20plus8/"
DATA_GRAPH = BASE + "graph/data"
ONTOLOGY_GRAPH = BASE + "graph/ontology"
_INSTANCE = re.compile(r"<https://w3id\.org/sz20plus8/(?!def[#>]|shapes[#>]|graph/)")
PREFIXES = """PREFIX sz: <https://w3id.org/sz20plus8/def#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xkos: <http://rdf-vocabulary.ddialliance.org/xkos#>
PREFIX schema: <https://schema.org/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

_REGROUPING = (
    PREFIXES
    + """
INSERT {
  ?m2 sz:sector ?s2 ; sz:sectorCertainty sz:Uncertain .
  ?s2 skos:inScheme ?v2 .
  ?event a sz:Regrouping ; sz:version ?v2 ; rdfs:label "Regrouping generated for the benchmarks"@en ;
         sz:fromCluster ?c ; sz:toCluster ?c ; sz:fromSector ?s1 ; sz:toSector ?s2 ; sz:certainty sz:Uncertain ;
         sz:citation ?citation ; prov:wasDerivedFrom ?source .
  ?citation a sz:Citation ; prov:entity ?source ; sz:quote "基准测试生成的数据"@zh .
  ?correspondence xkos:madeOf ?event .
}
WHERE {
  { SELECT ?c ?m2 ?v2 ?s1 WHERE {
      ?m1 sz:cluster ?c ; sz:version ?v1 ; sz:sector ?s1 .
      ?m2 sz:cluster ?c ; sz:version ?v2 .
      ?v2 sz:revises ?v1 .
      FILTER NOT EXISTS { ?m2 sz:sector [] }
    } ORDER BY ?c LIMIT 1 }
  { SELECT ?s2 WHERE { ?s2 a sz:Sector } ORDER BY DESC(?s2) LIMIT 1 }
  FILTER (?s2 != ?s1)
  { SELECT ?source WHERE { ?source a sz:Source } ORDER BY ?source LIMIT 1 }
  ?correspondence a xkos:Correspondence ; xkos:compares ?v2 .
  BIND (IRI(CONCAT(REPLACE(STR(?v2), "/version/", "/event/"), "/regrouping-", REPLACE(STR(?c), "^.*/", ""))) AS ?event)
  BIND (IRI(CONCAT(STR(?event), "#source-", REPLACE(STR(?source), "^.*/", ""))) AS ?citation)
}
"""
)


# The compiled data has no move either: the first renaming becomes one, its new cluster put in the other tier
# (at a position of its own there).
_MOVE = (
    PREFIXES
    + """
DELETE { ?event a sz:Renaming . ?b a ?tier . ?m sz:position ?position }
INSERT { ?event a sz:Move . ?b a ?other . ?m sz:position 99 }
WHERE {
  { SELECT ?event WHERE { ?event a sz:Renaming } ORDER BY ?event LIMIT 1 }
  ?event sz:toCluster ?b ; sz:version ?v .
  ?b a ?tier .
  VALUES (?tier ?other) { (sz:StrategicEmergingIndustryCluster sz:FutureIndustry)
                          (sz:FutureIndustry sz:StrategicEmergingIndustryCluster) }
  ?m sz:cluster ?b ; sz:version ?v ; sz:position ?position .
}
"""
)


def template() -> tuple[list[str], list[str]]:
    """The project's ontology and data (with the added regrouping) as N-Triples lines."""
    from kgtool.build import source_graphs
    from kgtool.namespaces import DATA_GRAPH as DATA
    from kgtool.namespaces import ONTOLOGY_GRAPH as ONTOLOGY

    graphs = source_graphs()
    store = ox.Store()
    store.load(graphs[DATA].serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    before = len(store)
    store.update(_REGROUPING)
    if len(store) <= before:
        raise RuntimeError("the template got no regrouping: the data has changed, see bench/generate.py")
    if not store.query(PREFIXES + "ASK { ?e a sz:Move }"):
        store.update(_MOVE)
        if not store.query(PREFIXES + "ASK { ?e a sz:Move }"):
            raise RuntimeError("the template got no move: the data has changed, see bench/generate.py")
    data = sorted((ox.serialize(store, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8").splitlines())
    ontology = sorted(graphs[ONTOLOGY].serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines())
    return [line for line in ontology if line], [line for line in data if line]


def region_prefix(region: int) -> str:
    """The IRI prefix of a region's instances (region 0: the project's own IRIs)."""
    return BASE if region == 0 else f"{BASE}r{region:04d}/"


def _copy(lines: list[str], region: int) -> list[str]:
    if region == 0:
        return lines
    replacement = "<" + region_prefix(region)
    return [_INSTANCE.sub(replacement, line) for line in lines]


# -- planted violations --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """A kind of planted violation: one node ?x of a region chosen by ``pick`` (its IRI under ``{R}folder/``),
    edited by deleting and inserting triples (``where`` binds what they use)."""

    folder: str
    pick: str
    where: str = ""
    delete: str = ""
    insert: str = ""

    def select(self, prefix: str, offset: int) -> str:
        return (
            f'{PREFIXES}SELECT ?x WHERE {{ {self.pick} FILTER(STRSTARTS(STR(?x), "{prefix}{self.folder}/")) }} '
            f"ORDER BY ?x LIMIT 1 OFFSET {offset}"
        )

    def update(self, node: str, prefix: str) -> str:
        where = self.where.replace("?x", node)
        delete, insert = (t.replace("?x", node).replace("{R}", prefix) for t in (self.delete, self.insert))
        return (
            PREFIXES
            + (f"DELETE {{ {delete} }}\n" if delete else "")
            + (f"INSERT {{ {insert} }}\n" if insert else "")
            + f"WHERE {{ {where} }}"
        )


#: The kinds of violation planted, by the shape each breaks (and only that shape).
KINDS: dict[str, Kind] = {
    "FactNode-certainty": Kind("membership", "?x a sz:Membership .", "?x sz:certainty ?c .", "?x sz:certainty ?c"),
    "Cluster-prefLabel-zh": Kind(
        "cluster",
        "?x a sz:StrategicEmergingIndustryCluster .",
        '?x skos:prefLabel ?l . FILTER(lang(?l) = "zh")',
        "?x skos:prefLabel ?l",
    ),
    "Membership-position": Kind(
        "membership", "?x a sz:Membership .", "?x sz:position ?p .", "?x sz:position ?p", "?x sz:position 0"
    ),
    "Citation-quote": Kind(
        "observation",
        "?f a sz:Observation ; sz:citation ?x .",
        "?x sz:quote ?q . BIND(STR(?q) AS ?plain)",
        "?x sz:quote ?q",
        "?x sz:quote ?plain",
    ),
    "Period-order": Kind(
        "period",
        "?x a sz:Period .",
        "?x schema:endDate ?e .",
        "?x schema:endDate ?e",
        '?x schema:endDate "1999-12-31"^^xsd:date',
    ),
    "Figure-value-normalised": Kind(
        "observation",
        "?x a sz:Observation .",
        "?x sz:value ?v . BIND(?v + 1 AS ?w)",
        "?x sz:value ?v",
        "?x sz:value ?w",
    ),
    "Figure-unit-measure": Kind(
        "observation",
        "?x a sz:Observation ; sz:measure/sz:unit ?mu . FILTER(?mu != <http://qudt.org/vocab/unit/NUM>)",
        "?x sz:unit ?u .",
        "?x sz:unit ?u",
        "?x sz:unit <http://qudt.org/vocab/unit/NUM>",
    ),
    "Cluster-tier": Kind(
        "cluster",
        "?x a sz:StrategicEmergingIndustryCluster . FILTER NOT EXISTS { ?e sz:fromCluster|sz:toCluster ?x }",
        insert="?x a sz:FutureIndustry",
    ),
    "FactNode-wasDerivedFrom": Kind(
        "observation", "?x a sz:Observation .", insert="?x prov:wasDerivedFrom <{R}source/planted>"
    ),
    "ReclassificationEvent-competingClaim-version": Kind(
        "event", "?x a sz:Renaming .", insert="?x sz:competingClaim ?x"
    ),
    "PolicyVersion-status": Kind("version", "?x a sz:PolicyVersion .", insert="?x sz:status sz:Announced"),
}


def _plant(store: ox.Store, regions: int, violations: int, seed: int) -> dict[str, int]:
    """Plant ``violations`` of each kind, in regions chosen with ``seed``; returns the number planted per shape."""
    rng = random.Random(seed)
    planted: dict[str, int] = {}
    for shape, kind in KINDS.items():
        chosen = [rng.randrange(regions) for _ in range(violations)]
        for n, region in enumerate(chosen):
            offset = chosen[:n].count(region)  # a second plant in one region takes the next node
            prefix = region_prefix(region)
            found = list(cast(ox.QuerySolutions, store.query(kind.select(prefix, offset))))
            if not found:
                raise RuntimeError(f"no node to plant {shape} in region {region} (number {offset + 1})")
            store.update(kind.update(str(found[0][0]), prefix))
        planted[shape] = violations
    return planted


def write_nquads(path: Path, triples: int, *, violations: int = 0, seed: int = 2008) -> tuple[int, dict[str, int]]:
    """Write about ``triples`` triples (the ontology, then whole regions) as N-Quads: the data in
    ``.../graph/data``, the ontology in ``.../graph/ontology``. Returns the number of quads and the number of
    violations planted per shape."""
    ontology, data = template()
    regions = max(1, round((triples - len(ontology)) / len(data)))
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_suffix(".tmp")
    planted: dict[str, int] = {}
    with temp.open("w", encoding="utf-8") as out:
        for line in ontology:
            out.write(f"{line[:-1]}<{ONTOLOGY_GRAPH}> .\n")
        if violations:
            store = ox.Store()
            for region in range(regions):
                store.load("\n".join(_copy(data, region)).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
            planted = _plant(store, regions, violations, seed)
            for line in (ox.serialize(store, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8").splitlines():
                if line:
                    out.write(f"{line[:-1]}<{DATA_GRAPH}> .\n")
        else:
            for region in range(regions):
                for line in _copy(data, region):
                    out.write(f"{line[:-1]}<{DATA_GRAPH}> .\n")
    temp.replace(path)
    count = sum(1 for _ in path.open("rb"))
    return count, planted


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--violations", type=int, default=0, help="plant this many violations of each kind")
    parser.add_argument("--seed", type=int, default=2008)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    count, planted = write_nquads(args.out, args.triples, violations=args.violations, seed=args.seed)
    print(f"wrote {count} quads to {args.out}; planted: {planted or 'nothing'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
