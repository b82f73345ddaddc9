"""The ``format``/``output``/``results`` request parameters, as SPARQL clients send them.

Clients name the answer's format in a parameter as well as (or instead of) the ``Accept`` header, and
not in one way: SPARQLWrapper sends ``format``, ``output`` and ``results`` together, each holding a
short name and sometimes a media type too (``format=tsv&format=text/tab-separated-values``); Virtuoso
uses ``format``, Fuseki ``output``; ``xml`` means SPARQL XML results for SELECT and ASK but RDF/XML for
CONSTRUCT and DESCRIBE, and ``json`` JSON-LD for them. :func:`requested_accept` turns those values into
an ``Accept`` value for content negotiation, for the kind of answer a request gets.

>>> requested_accept(["tsv", "text/tab-separated-values"], "results")
'text/tab-separated-values'
>>> requested_accept(["xml"], "graph"), requested_accept(["xml"], "results")
('application/rdf+xml', 'application/sparql-results+xml')
>>> requested_accept(["n3"], "graph")
'text/turtle'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from .errors import UsageError

__all__ = [
    "FORMAT_PARAMETERS",
    "FormatParameterError",
    "requested_accept",
    "format_values",
    "with_aliases",
    "canonical",
    "Answer",
]

#: The request parameters that name an answer's format, in the order their values are read.
FORMAT_PARAMETERS = ("format", "output", "results")

#: What a request is answered with: SPARQL results (SELECT, ASK), RDF (CONSTRUCT, DESCRIBE, a resource,
#: a graph), or a listing (JSON or HTML, such as the list of named queries).
Answer = Literal["results", "graph", "listing"]

_RESULTS_JSON, _RESULTS_XML = "application/sparql-results+json", "application/sparql-results+xml"
_TURTLE, _NT, _JSONLD, _RDFXML = "text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"
_TRIG, _NQ, _CSV, _TSV, _HTML = (
    "application/trig",
    "application/n-quads",
    "text/csv",
    "text/tab-separated-values",
    "text/html",
)

# Short names and the media types clients send for them, by kind of answer; ``json`` and ``xml`` change
# meaning with the kind, as SPARQLWrapper and Virtuoso use them.
_NAMES: dict[str, dict[str, str]] = {
    "results": {
        "json": _RESULTS_JSON,
        "srj": _RESULTS_JSON,
        "xml": _RESULTS_XML,
        "srx": _RESULTS_XML,
        "csv": _CSV,
        "tsv": _TSV,
        "html": _HTML,
    },
    "graph": {
        "ttl": _TURTLE,
        "turtle": _TURTLE,
        "n3": _TURTLE,
        "nt": _NT,
        "ntriples": _NT,
        "n-triples": _NT,
        "jsonld": _JSONLD,
        "json-ld": _JSONLD,
        "json": _JSONLD,
        "xml": _RDFXML,
        "rdf": _RDFXML,
        "rdfxml": _RDFXML,
        "rdf+xml": _RDFXML,
        "rdf/xml": _RDFXML,
        "trig": _TRIG,
        "nq": _NQ,
        "nquads": _NQ,
        "n-quads": _NQ,
        "html": _HTML,
    },
    "listing": {"json": "application/json", "html": _HTML},
}
_MEDIA: dict[str, dict[str, str]] = {
    "results": {
        _RESULTS_JSON: _RESULTS_JSON,
        "application/json": _RESULTS_JSON,
        "text/javascript": _RESULTS_JSON,
        "application/javascript": _RESULTS_JSON,
        _RESULTS_XML: _RESULTS_XML,
        "application/xml": _RESULTS_XML,
        "text/xml": _RESULTS_XML,
        _CSV: _CSV,
        _TSV: _TSV,
        _HTML: _HTML,
    },
    "graph": {
        _TURTLE: _TURTLE,
        "application/turtle": _TURTLE,
        "application/x-turtle": _TURTLE,
        "text/n3": _TURTLE,
        "text/rdf+n3": _TURTLE,
        "application/n3": _TURTLE,
        _NT: _NT,
        "text/plain": _NT,
        _JSONLD: _JSONLD,
        "application/x-json+ld": _JSONLD,
        "application/json": _JSONLD,
        _RDFXML: _RDFXML,
        "application/xml": _RDFXML,
        "text/xml": _RDFXML,
        _TRIG: _TRIG,
        _NQ: _NQ,
        _HTML: _HTML,
    },
    "listing": {"application/json": "application/json", _HTML: _HTML},
}


class FormatParameterError(UsageError):
    """A format parameter names no format kgtool knows (answered with 400)."""


def format_values(params: Mapping[str, Sequence[str]]) -> list[str]:
    """The non-empty values of the format parameters of a request, in the order they are read."""
    return [v.strip() for name in FORMAT_PARAMETERS for v in params.get(name, ()) if v.strip()]


def _resolve(value: str, kind: Answer) -> str | None:
    key = value.lower()
    if "/" in key and key not in _NAMES[kind]:
        return _MEDIA[kind].get(key.split(";", 1)[0].strip())
    return _NAMES[kind].get(key)


def requested_accept(values: Sequence[str], kind: Answer) -> str | None:
    """The ``Accept`` value the format parameter ``values`` ask for, for an answer of ``kind``; ``None``
    when there are none (the request's ``Accept`` header decides).

    Values that name a format of the other kind (``csv`` for a CONSTRUCT) are kept, so that negotiation
    answers 406 and lists what is available; values that name no format at all raise.

    Raises:
        FormatParameterError: no value names a known format.
    """
    if not values:
        return None
    kinds: list[Answer] = [kind, *(k for k in ("results", "graph", "listing") if k != kind)]
    for each in kinds:
        wanted = [m for m in (_resolve(v, each) for v in values) if m]
        if wanted:
            return ",".join(dict.fromkeys(wanted))
    known = sorted({name for names in _NAMES.values() for name in names})
    raise FormatParameterError(f"unknown format {values[0]!r}; known: {', '.join(known)}, or a media type")


def with_aliases(offers: Sequence[str], kind: Answer) -> list[str]:
    """``offers`` followed by the other media types clients ask for them with (``application/json`` for
    SPARQL JSON results, or for JSON-LD), for :func:`negotiate`; :func:`canonical` maps them back.

    >>> with_aliases(["text/turtle", "application/ld+json"], "graph")[2:]
    ['application/turtle', 'application/x-turtle', 'text/n3', 'text/rdf+n3', 'application/n3', \
'application/x-json+ld', 'application/json']
    """
    return [*offers, *(alias for alias, target in _MEDIA[kind].items() if alias != target and target in offers)]


def canonical(media_type: str, kind: Answer) -> str:
    """The offer a media type alias stands for (``application/json`` -> JSON-LD for a graph)."""
    return _MEDIA[kind].get(media_type, media_type)
