"""IRIs and namespaces of the sz20plus8 graph (see docs/MODEL.md).

The IRIs are plain strings here (:data:`BASE`, :data:`PREFIXES`); their rdflib forms (:data:`SZ`,
:data:`DATA_GRAPH`...) are made on first use, so that reading a query's answer does not import rdflib.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rdflib import Namespace, URIRef

BASE = "https://w3id.org/sz20plus8/"

#: The namespaces of the vocabularies the graph uses, by prefix (those rdflib.namespace has are the same IRIs).
_VOCABULARIES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xkos": "http://rdf-vocabulary.ddialliance.org/xkos#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "time": "http://www.w3.org/2006/time#",
    "qb": "http://purl.org/linked-data/cube#",
    "schema": "https://schema.org/",
    "unit": "http://qudt.org/vocab/unit/",
    "cur": "http://qudt.org/vocab/currency/",
    "sh": "http://www.w3.org/ns/shacl#",
}

#: The rdflib terms of this module, made on first use: name -> (rdflib class, IRI).
_RDFLIB_TERMS: dict[str, tuple[str, str]] = {
    "SZ": ("Namespace", BASE + "def#"),
    "SZSH": ("Namespace", BASE + "shapes#"),
    "ONTOLOGY_IRI": ("URIRef", BASE + "def"),
    "DATASET_IRI": ("URIRef", BASE + "dataset"),
    "SHAPES_IRI": ("URIRef", BASE + "shapes"),
    "ONTOLOGY_GRAPH": ("URIRef", BASE + "graph/ontology"),
    "DATA_GRAPH": ("URIRef", BASE + "graph/data"),
    **{name.upper(): ("Namespace", _VOCABULARIES[name]) for name in ("xkos", "qb", "schema", "unit", "cur", "sh")},
}

if TYPE_CHECKING:
    SZ: Namespace
    SZSH: Namespace
    ONTOLOGY_IRI: URIRef
    DATASET_IRI: URIRef
    SHAPES_IRI: URIRef
    ONTOLOGY_GRAPH: URIRef
    DATA_GRAPH: URIRef
    XKOS: Namespace
    QB: Namespace
    SCHEMA: Namespace
    UNIT: Namespace
    CUR: Namespace
    SH: Namespace


def __getattr__(name: str) -> Any:
    if name not in _RDFLIB_TERMS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import rdflib

    kind, iri = _RDFLIB_TERMS[name]
    value = globals()[name] = getattr(rdflib, kind)(iri)
    return value


#: Namespaces of instance IRIs, one per kind (``version/1.0``, ``cluster/artificial-intelligence``...).
#: xsd:integer and the datatypes derived from it (their values are Python ints; Oxigraph stores the derived
#: ones as xsd:integer).
INTEGER_DATATYPES = frozenset(
    "http://www.w3.org/2001/XMLSchema#" + name
    for name in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
        "unsignedByte",
    )
)

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
    "plan",
    "claim",
    "technology",
    "correction",
)


def instance(kind: str, slug: str) -> URIRef:
    """The IRI of an instance of ``kind`` with the given slug.

    >>> instance("cluster", "artificial-intelligence")
    rdflib.term.URIRef('https://w3id.org/sz20plus8/cluster/artificial-intelligence')
    """
    from rdflib import URIRef

    return URIRef(instance_iri(kind, slug))


def instance_iri(kind: str, slug: str) -> str:
    """The IRI of an instance of ``kind`` with the given slug, as a string.

    >>> instance_iri("cluster", "artificial-intelligence")
    'https://w3id.org/sz20plus8/cluster/artificial-intelligence'
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind of instance {kind!r}; known: {', '.join(KINDS)}")
    return f"{BASE}{kind}/{slug}"


#: Prefixes bound in every graph kgtool writes, and in the named queries.
PREFIXES: dict[str, str] = {
    "sz": _RDFLIB_TERMS["SZ"][1],
    "szsh": _RDFLIB_TERMS["SZSH"][1],
    **{kind: f"{BASE}{kind}/" for kind in KINDS},
    **_VOCABULARIES,
}


#: Prefixes a query sent to ``kgtool serve`` may use without declaring them (as WDQS and Fuseki
#: predeclare theirs): the project's, and common vocabularies' usual names. A query's own ``PREFIX``
#: declaration of a name wins.
QUERY_PREFIXES: dict[str, str] = {
    **PREFIXES,
    "dc": "http://purl.org/dc/elements/1.1/",
    "dct": _VOCABULARIES["dcterms"],
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
