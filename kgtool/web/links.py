"""How pages name and link the IRIs of the graph.

Every IRI under ``https://w3id.org/sz20plus8/`` resolves on the server at the same path (the *local mapping*
of the base: ``https://w3id.org/sz20plus8/cluster/artificial-intelligence`` is
``/cluster/artificial-intelligence``); pages link to that mapping, and to any other IRI as it is.
"""

from __future__ import annotations

from functools import cache

from ..namespaces import BASE, PREFIXES

__all__ = ["curie", "local_href"]


@cache
def _namespaces() -> tuple[tuple[str, str], ...]:
    """The prefixes of the published JSON-LD context (a superset of PREFIXES), longest namespace first."""
    from ..export import jsonld_context

    known = {**{k: v for k, v in jsonld_context().items() if isinstance(v, str)}, **PREFIXES}
    return tuple(sorted(known.items(), key=lambda item: (-len(item[1]), item[0])))


def curie(iri: str) -> str:
    """``sz:Cluster`` for a known namespace, else the IRI itself.

    >>> curie("https://w3id.org/sz20plus8/def#Cluster"), curie("http://example.org/x")
    ('sz:Cluster', 'http://example.org/x')
    """
    for prefix, namespace in _namespaces():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def local_href(iri: str) -> str:
    """Where an IRI is served: its path on this server for IRIs under the base, else the IRI.

    >>> local_href("https://w3id.org/sz20plus8/cluster/artificial-intelligence")
    '/cluster/artificial-intelligence'
    >>> local_href("https://w3id.org/sz20plus8/def#Cluster"), local_href("https://schema.org/startDate")
    ('/def#Cluster', 'https://schema.org/startDate')
    """
    if iri.startswith(BASE):
        return "/" + iri[len(BASE) :]
    return iri
