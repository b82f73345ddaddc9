"""IRIs and namespaces of the sz20plus8 graph (see docs/MODEL.md)."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, TIME, VOID, XSD

BASE = "https://w3id.org/sz20plus8/"

SZ = Namespace(BASE + "def#")
SZSH = Namespace(BASE + "shapes#")
ONTOLOGY_IRI = URIRef(BASE + "def")
DATASET_IRI = URIRef(BASE + "dataset")
ONTOLOGY_GRAPH = URIRef(BASE + "graph/ontology")
DATA_GRAPH = URIRef(BASE + "graph/data")

XKOS = Namespace("http://rdf-vocabulary.ddialliance.org/xkos#")
QB = Namespace("http://purl.org/linked-data/cube#")
SCHEMA = Namespace("https://schema.org/")
UNIT = Namespace("http://qudt.org/vocab/unit/")
CUR = Namespace("http://qudt.org/vocab/currency/")
SH = Namespace("http://www.w3.org/ns/shacl#")

#: Namespaces of instance IRIs, one per kind (``version/1.0``, ``cluster/artificial-intelligence``...).
KINDS = (
    "version",
    "document",
    "cluster",
    "sector",
    "membership",
    "event",
    "correspondence",
    "measure",
    "observation",
    "target",
    "period",
    "place",
    "agent",
    "priority",
    "source",
    "statement",
    "definition",
)


def instance(kind: str, slug: str) -> URIRef:
    """The IRI of an instance of ``kind`` with the given slug.

    >>> instance("cluster", "artificial-intelligence")
    rdflib.term.URIRef('https://w3id.org/sz20plus8/cluster/artificial-intelligence')
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind of instance {kind!r}; known: {', '.join(KINDS)}")
    return URIRef(f"{BASE}{kind}/{slug}")


#: Prefixes bound in every graph kgtool writes, and in the named queries.
PREFIXES: dict[str, str] = {
    "sz": str(SZ),
    "szsh": str(SZSH),
    **{kind: f"{BASE}{kind}/" for kind in KINDS},
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "xkos": str(XKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "dcat": str(DCAT),
    "void": str(VOID),
    "foaf": str(FOAF),
    "time": str(TIME),
    "qb": str(QB),
    "schema": str(SCHEMA),
    "unit": str(UNIT),
    "cur": str(CUR),
    "sh": str(SH),
}


#: Prefixes a query sent to ``kgtool serve`` may use without declaring them (as WDQS and Fuseki
#: predeclare theirs): the project's, and common vocabularies' usual names. A query's own ``PREFIX``
#: declaration of a name wins.
QUERY_PREFIXES: dict[str, str] = {
    **PREFIXES,
    "dc": "http://purl.org/dc/elements/1.1/",
    "dct": str(DCTERMS),
    "vann": "http://purl.org/vocab/vann/",
    "qudt": "http://qudt.org/schema/qudt/",
    "sdmx-attribute": "http://purl.org/linked-data/sdmx/2009/attribute#",
    "sdmx-dimension": "http://purl.org/linked-data/sdmx/2009/dimension#",
    "sdmx-measure": "http://purl.org/linked-data/sdmx/2009/measure#",
    "org": "http://www.w3.org/ns/org#",
    "geo": "http://www.opengis.net/ont/geosparql#",
    "wgs": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "fn": "http://www.w3.org/2005/xpath-functions#",
}


def bind_prefixes(graph) -> None:  # noqa: ANN001 - any rdflib Graph or Dataset
    """Bind :data:`PREFIXES` on an rdflib graph (replacing rdflib's defaults of the same name)."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
