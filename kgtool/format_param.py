"""What format a request asks for: its ``format``/``output``/``results`` parameters, as SPARQL clients send
them, and its ``Accept`` header (:func:`negotiate`).

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

from . import formats
from .errors import UsageError

__all__ = [
    "FORMAT_PARAMETERS",
    "HTML",
    "JSON",
    "negotiate",
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

#: The media types of a listing (the named queries, a server's health): JSON for programs, HTML for people. Neither
#: is a format of the registry (:mod:`kgtool.formats`), which holds the RDF and SPARQL results formats.
JSON = "application/json"
HTML = "text/html"
# What SPARQL clients send that no format of the registry names (SPARQLWrapper's ``n3`` and ``rdf+xml``,
# its N3 and JSON-LD media types, Joseki's JavaScript for JSON), and the generic JSON and XML types,
# which mean JSON-LD and RDF/XML for a graph: by kind of answer, the registry format each stands for.
_CLIENT_NAMES: dict[str, dict[str, str]] = {"graph": {"json": "jsonld", "n3": "ttl", "rdf+xml": "xml"}, "results": {}}
_CLIENT_MEDIA: dict[str, dict[str, str]] = {
    "graph": {
        JSON: "jsonld",
        "application/x-json+ld": "jsonld",
        "application/xml": "xml",
        "text/xml": "xml",
        "application/turtle": "ttl",
        "text/n3": "ttl",
        "text/rdf+n3": "ttl",
        "application/n3": "ttl",
    },
    "results": {"text/javascript": "json", "application/javascript": "json"},
}


def _tables() -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """Short names and media types by kind of answer, each with the media type it asks for: every
    format's name, aliases and extension and its media types in :mod:`kgtool.formats`, the client
    spellings above, and ``html``."""
    names: dict[str, dict[str, str]] = {"listing": {"json": JSON, "html": HTML}}
    media: dict[str, dict[str, str]] = {"listing": {JSON: JSON, HTML: HTML}}
    for kind, registry in (("results", "results"), ("graph", "rdf")):
        names[kind], media[kind] = {"html": HTML}, {HTML: HTML}
        for fmt in formats.formats(registry):  # type: ignore[arg-type]
            for name in (fmt.name, *fmt.aliases, fmt.extension):
                names[kind].setdefault(name, fmt.media_type)
            for media_type in fmt.all_media_types:
                media[kind].setdefault(media_type, fmt.media_type)
        for name, format_name in _CLIENT_NAMES[kind].items():
            names[kind].setdefault(name, formats.get(format_name, registry).media_type)  # type: ignore[arg-type]
        for media_type, format_name in _CLIENT_MEDIA[kind].items():
            media[kind].setdefault(media_type, formats.get(format_name, registry).media_type)  # type: ignore[arg-type]
    return names, media


_NAMES, _MEDIA = _tables()


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

    >>> aliases = with_aliases(["text/turtle", "application/ld+json"], "graph")
    >>> aliases[:2], {"application/json", "text/n3", "application/x-turtle"} <= set(aliases)
    (['text/turtle', 'application/ld+json'], True)
    """
    return [*offers, *(alias for alias, target in _MEDIA[kind].items() if alias != target and target in offers)]


def canonical(media_type: str, kind: Answer) -> str:
    """The offer a media type alias stands for (``application/json`` -> JSON-LD for a graph)."""
    return _MEDIA[kind].get(media_type, media_type)


def _accept_ranges(accept: str) -> list[tuple[str, str, float]]:
    ranges = []
    for part in accept.split(","):
        pieces = [p.strip() for p in part.split(";")]
        if not pieces[0]:
            continue
        kind, _, sub = pieces[0].lower().partition("/")
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((kind, sub or "*", q))
    return ranges


def negotiate(accept: str | None, offers: Sequence[str]) -> str | None:
    """The offer the ``Accept`` header prefers (ties go to the earlier offer), or ``None`` if none is
    acceptable. A missing header accepts anything.

    >>> negotiate("text/html,application/xhtml+xml,*/*;q=0.8", ["text/turtle", "text/html"])
    'text/html'
    >>> negotiate("*/*", ["text/turtle", "text/html"]), negotiate("image/png", ["text/turtle"])
    ('text/turtle', None)
    """
    ranges = _accept_ranges(accept or "*/*") or [("*", "*", 1.0)]
    best, best_q = None, 0.0
    for offer in offers:
        kind, _, sub = offer.lower().partition("/")
        q, specificity = 0.0, -1
        for r_kind, r_sub, r_q in ranges:
            if r_kind == kind and r_sub == sub:
                level = 2
            elif r_kind == kind and r_sub == "*":
                level = 1
            elif r_kind == "*":
                level = 0
            else:
                continue
            if level > specificity:
                q, specificity = r_q, level
        if q > best_q:
            best, best_q = offer, q
    return best
