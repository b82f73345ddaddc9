"""The VoID and DCAT description of the dataset, computed from the graph.

The hand-written part of the description (title, licence, publisher, keywords, language) is
``graph/dataset.ttl``, compiled into the data graph like any other data file. This module computes the
rest from the graph itself: the statistics open-data portals and VoID tools expect (triples, classes and
properties with their partitions, distinct subjects and objects, entities), example resources, the
vocabularies used, the sources, the SPARQL endpoint, one DCAT distribution per export format and the
release version.

**Where it is added (one place):** at build time. :func:`kgtool.sources.source_graphs` adds it to the
data graph, so it is in the built store (and queryable), in every store the graph is pushed to, in every
export (``kgtool export``, the server's ``/download/`` files), and the server serves it with the dataset
IRI (``/dataset``). Its counts describe the ontology and data as compiled: ``void:triples`` does not
count the description's own computed triples.

The description is deterministic: no timestamps, hash IRIs under the dataset IRI instead of blank nodes
(``<dataset#class-sz-Cluster>``, ``<dataset#download-ttl>``), everything computed from sorted input.

>>> from rdflib import Graph
>>> g = Graph().parse(data='<https://w3id.org/sz20plus8/cluster/x> a <https://w3id.org/sz20plus8/def#Cluster> .',
...                   format="turtle")
>>> d = describe_dataset(g, version="1.2.3")
>>> int(d.value(DATASET_IRI, VOID.triples))
1
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, VOID, XSD
from rdflib.term import Node

from . import formats
from .namespaces import BASE, DATASET_IRI, ONTOLOGY_IRI, PREFIXES, SZ, bind_prefixes
from .version import package_version

__all__ = [
    "describe_dataset",
    "DOWNLOADS",
    "DOWNLOAD_BASE",
    "SPARQL_ENDPOINT",
    "SPARQL_SERVICE",
    "distribution_iri",
    "EXAMPLE_CLASSES",
]

#: Where the export files are published (``https://w3id.org/sz20plus8/download/sz20plus8.ttl``...).
DOWNLOAD_BASE = BASE + "download/"
#: The public IRI of the SPARQL endpoint (served by ``kgtool serve`` at ``/sparql``).
SPARQL_ENDPOINT = URIRef(BASE + "sparql")
#: The DCAT data service that is the SPARQL endpoint.
SPARQL_SERVICE = URIRef(str(DATASET_IRI) + "#sparql-service")

#: Export format -> (file name, IANA media type, W3C format IRI, English name), one per RDF format of
#: :mod:`kgtool.formats`.
DOWNLOADS: dict[str, tuple[str, str, str, str]] = {
    f.name: (f"sz20plus8.{f.extension}", f.media_type, f.w3c, f.label) for f in formats.formats("rdf")
}

#: Classes whose first instance (in IRI order) is given as a ``void:exampleResource``.
EXAMPLE_CLASSES = (
    SZ.PolicyVersion,
    SZ.PolicyDocument,
    SZ.StrategicEmergingIndustryCluster,
    SZ.FutureIndustry,
    SZ.Sector,
    SZ.Membership,
    SZ.Elevation,
    SZ.Observation,
    SZ.Target,
    SZ.Source,
)

#: ``dcat:version`` (DCAT 3; not in rdflib's DCAT 2 namespace).
DCAT_VERSION = URIRef("http://www.w3.org/ns/dcat#version")
_IANA = "https://www.iana.org/assignments/media-types/"


def distribution_iri(fmt: str) -> URIRef:
    """The IRI of the distribution of one export format: ``<dataset#download-ttl>``."""
    return URIRef(f"{DATASET_IRI}#download-{fmt}")


def _key(iri: str) -> str:
    """A readable, stable fragment for a class or property: ``sz-Cluster``, else a short hash."""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        local = iri[len(namespace) :]
        if iri.startswith(namespace) and local and all(c.isalnum() or c in "-_." for c in local):
            return f"{prefix}-{local}"
    return "h" + hashlib.sha256(iri.encode("utf-8")).hexdigest()[:16]


def describe_dataset(graph: Collection[tuple[Node, Node, Node]], *, version: str | None = None) -> Graph:
    """The computed VoID and DCAT description of the dataset whose triples are ``graph``.

    Args:
        graph: the whole graph (ontology and data; the union of the store's graphs): an rdflib graph, or
            any collection of its triples (such as a set, which is quicker to make than a merged graph).
        version: the release version (default: the installed ``sz20plus8`` package's version).

    Returns:
        A new graph about :data:`~kgtool.namespaces.DATASET_IRI`, its partitions, distributions and
        SPARQL service (to be merged with the hand-written description already in the data).
    """
    if version is None:
        version = package_version()
    out = Graph()
    bind_prefixes(out)
    counts = _Counts.of(graph)
    _describe_contents(out, counts, len(graph), version)
    _describe_access(out, counts.licences, version)
    return out


@dataclass
class _Counts:
    """What the description counts in a graph: subjects, objects, triples per property, instances per class."""

    subjects: set = field(default_factory=set)
    objects: set = field(default_factory=set)
    properties: Counter = field(default_factory=Counter)
    instances: dict[URIRef, set] = field(default_factory=dict)
    licences: list[URIRef] = field(default_factory=list)  # the dataset's own dcterms:license, sorted

    @classmethod
    def of(cls, graph: Collection[tuple[Node, Node, Node]]) -> _Counts:
        counts = cls()
        licensed: set[URIRef] = set()
        for s, p, o in graph:
            if s == DATASET_IRI and p == DCTERMS.license and isinstance(o, URIRef):
                licensed.add(o)
            counts.subjects.add(s)
            counts.objects.add(o)
            counts.properties[p] += 1
            if p == RDF.type and isinstance(o, URIRef):
                counts.instances.setdefault(o, set()).add(s)
        counts.licences = sorted(licensed)
        return counts


def _describe_contents(out: Graph, counts: _Counts, triples: int, version: str) -> None:
    """The VoID statistics, class and property partitions, vocabularies and example resources."""
    ds = DATASET_IRI
    add = out.add
    instances, properties = counts.instances, counts.properties
    entities = {s for s in counts.subjects if isinstance(s, URIRef) and str(s).startswith(BASE)}

    add((ds, RDF.type, DCAT.Dataset))
    add((ds, RDF.type, VOID.Dataset))
    add((ds, VOID.triples, Literal(triples, datatype=XSD.integer)))
    add((ds, VOID.entities, Literal(len(entities), datatype=XSD.integer)))
    add((ds, VOID.classes, Literal(len(instances), datatype=XSD.integer)))
    add((ds, VOID.properties, Literal(len(properties), datatype=XSD.integer)))
    add((ds, VOID.distinctSubjects, Literal(len(counts.subjects), datatype=XSD.integer)))
    add((ds, VOID.distinctObjects, Literal(len(counts.objects), datatype=XSD.integer)))
    add((ds, VOID.uriSpace, Literal(BASE)))
    add((ds, VOID.sparqlEndpoint, SPARQL_ENDPOINT))
    add((ds, DCAT.landingPage, URIRef(BASE)))
    add((ds, DCTERMS.conformsTo, ONTOLOGY_IRI))
    add((ds, DCAT_VERSION, Literal(version)))
    add((ds, OWL.versionInfo, Literal(version)))

    for cls in sorted(instances):
        part = URIRef(f"{ds}#class-{_key(str(cls))}")
        add((ds, VOID.classPartition, part))
        add((part, VOID["class"], cls))
        add((part, VOID.entities, Literal(len(instances[cls]), datatype=XSD.integer)))
    for prop in sorted(properties):
        part = URIRef(f"{ds}#property-{_key(str(prop))}")
        add((ds, VOID.propertyPartition, part))
        add((part, VOID.property, prop))
        add((part, VOID.triples, Literal(properties[prop], datatype=XSD.integer)))

    used = {str(t) for t in properties} | {str(t) for t in instances}
    for namespace in sorted(set(PREFIXES.values())):
        if namespace.startswith(BASE) and namespace != str(SZ):
            continue  # instance namespaces are the dataset's own, not vocabularies
        if any(term.startswith(namespace) for term in used):
            add((ds, VOID.vocabulary, URIRef(namespace)))

    for cls in EXAMPLE_CLASSES:
        members = sorted(m for m in instances.get(cls, ()) if isinstance(m, URIRef))
        if members:
            add((ds, VOID.exampleResource, members[0]))
    for source in sorted(m for m in instances.get(SZ.Source, ()) if isinstance(m, URIRef)):
        add((ds, DCTERMS.source, source))


def _describe_access(out: Graph, licences: list[URIRef], version: str) -> None:
    """The distributions (one per export format) and the SPARQL service, under the dataset's licences."""
    ds = DATASET_IRI
    add = out.add
    for fmt, (name, media, w3c, label) in DOWNLOADS.items():
        dist = distribution_iri(fmt)
        url = URIRef(DOWNLOAD_BASE + name)
        add((ds, DCAT.distribution, dist))
        add((ds, VOID.dataDump, url))
        add((dist, RDF.type, DCAT.Distribution))
        add((dist, DCTERMS.title, Literal(f"sz20plus8 {version} in {label}", lang="en")))
        add((dist, DCAT.downloadURL, url))
        add((dist, DCAT.accessURL, url))
        add((dist, DCAT.mediaType, URIRef(_IANA + media)))
        add((dist, DCTERMS["format"], URIRef(w3c)))
        for licence in licences:
            add((dist, DCTERMS.license, licence))

    service = SPARQL_SERVICE
    add((service, RDF.type, DCAT.DataService))
    add((service, DCTERMS.title, Literal("sz20plus8 SPARQL endpoint", lang="en")))
    add((service, DCAT.endpointURL, SPARQL_ENDPOINT))
    add((service, DCAT.endpointDescription, SPARQL_ENDPOINT))
    add((service, DCAT.servesDataset, ds))
    add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    for licence in licences:
        add((service, DCTERMS.license, licence))
