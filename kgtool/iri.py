"""The IRI of a query result: an rdflib ``URIRef`` that equals its string.

A module of its own because importing it imports rdflib: :mod:`kgtool.results` makes rows of it only
when they are read, so that printing an answer does not import rdflib.
"""

from __future__ import annotations

from typing import Any

from rdflib import BNode, Literal, URIRef

__all__ = ["IRI"]


class IRI(URIRef):
    """An IRI in a query result: an rdflib ``URIRef`` that also equals (and hashes as) its plain string,
    so that ``row.cluster == "https://w3id.org/sz20plus8/cluster/robotics"`` holds.

    >>> IRI("https://w3id.org/sz20plus8/cluster/robotics") == "https://w3id.org/sz20plus8/cluster/robotics"
    True
    >>> "https://w3id.org/sz20plus8/cluster/robotics" in {IRI("https://w3id.org/sz20plus8/cluster/robotics")}
    True
    """

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (Literal, BNode)) or not isinstance(other, str):
            return False
        return str.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return str.__hash__(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return (IRI, (str(self),))
