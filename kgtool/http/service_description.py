"""The SPARQL 1.1 Service Description of the endpoint: what it supports, the graphs it holds, and the
prefixes it predeclares (``sh:declare``, as SHACL and the SPARQL endpoints that list theirs use)."""

from __future__ import annotations

from typing import Any

from .. import formats
from ..namespaces import DATASET_IRI, QUERY_PREFIXES
from ..workers.requests import RESOURCE_MEDIA_TYPES

__all__ = ["SD", "MEDIA_TYPES", "service_description"]

SD = "http://www.w3.org/ns/sparql-service-description#"
_SH = "http://www.w3.org/ns/shacl#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
#: The media types the description is served in (the SPARQL endpoint offers HTML to browsers first).
MEDIA_TYPES = RESOURCE_MEDIA_TYPES
#: The W3C format IRIs of the answers the endpoint gives: every results and RDF format.
_RESULT_FORMATS = tuple(fmt.w3c for fmt in (*formats.formats("results"), *formats.formats("rdf")))


def service_description(endpoint: str, sizes: dict[str, Any], media_type: str, *, allow_update: bool) -> bytes:
    """The description of the endpoint at ``endpoint`` in ``media_type``; ``sizes`` is what the
    workers. :class:`~kgtool.workers.requests.GraphSizes` answers (``graphs``: name -> triples, ``union``)."""
    import pyoxigraph as ox

    from ..stores.oxigraph import serialize_triples

    graphs = sizes["graphs"]
    sd = ox.NamedNode
    service, dataset, default = ox.BlankNode("service"), ox.BlankNode("dataset"), ox.BlankNode("default")
    rdf_type = sd("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    void_triples = sd("http://rdfs.org/ns/void#triples")
    integer = sd("http://www.w3.org/2001/XMLSchema#integer")
    triples = [
        ox.Triple(service, rdf_type, sd(SD + "Service")),
        ox.Triple(service, sd(SD + "endpoint"), sd(endpoint)),
        ox.Triple(service, sd(SD + "supportedLanguage"), sd(SD + "SPARQL11Query")),
        ox.Triple(service, sd(SD + "feature"), sd(SD + "UnionDefaultGraph")),
        ox.Triple(service, sd(SD + "defaultDataset"), dataset),
        ox.Triple(
            service, sd("http://purl.org/dc/terms/title"), ox.Literal("sz20plus8 SPARQL endpoint", language="en")
        ),
        ox.Triple(dataset, rdf_type, sd(SD + "Dataset")),
        ox.Triple(dataset, sd("http://purl.org/dc/terms/source"), sd(str(DATASET_IRI))),
        ox.Triple(dataset, sd(SD + "defaultGraph"), default),
        ox.Triple(default, rdf_type, sd(SD + "Graph")),
        ox.Triple(default, void_triples, ox.Literal(str(sizes["union"]), datatype=integer)),
    ]
    if allow_update:
        triples.append(ox.Triple(service, sd(SD + "supportedLanguage"), sd(SD + "SPARQL11Update")))
    # The prefixes a query may use without declaring them, as SHACL declares prefixes (sh:declare).
    for number, (prefix, namespace) in enumerate(sorted(QUERY_PREFIXES.items())):
        declaration = ox.BlankNode(f"prefix{number}")
        triples += [
            ox.Triple(service, sd(_SH + "declare"), declaration),
            ox.Triple(declaration, sd(_SH + "prefix"), ox.Literal(prefix)),
            ox.Triple(declaration, sd(_SH + "namespace"), ox.Literal(namespace, datatype=sd(_XSD + "anyURI"))),
        ]
    for fmt in _RESULT_FORMATS:
        triples.append(ox.Triple(service, sd(SD + "resultFormat"), sd(fmt)))
    for number, (name, size) in enumerate(sorted(graphs.items())):
        named, graph = ox.BlankNode(f"named{number}"), ox.BlankNode(f"graph{number}")
        triples += [
            ox.Triple(dataset, sd(SD + "namedGraph"), named),
            ox.Triple(named, rdf_type, sd(SD + "NamedGraph")),
            ox.Triple(named, sd(SD + "name"), sd(name)),
            ox.Triple(named, sd(SD + "graph"), graph),
            ox.Triple(graph, rdf_type, sd(SD + "Graph")),
            ox.Triple(graph, void_triples, ox.Literal(str(size), datatype=integer)),
        ]
    return serialize_triples(triples, media_type, {"sd": SD, "formats": formats.W3C_FORMATS, "sh": _SH})
