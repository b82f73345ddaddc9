"""The RDF and SPARQL results formats kgtool reads and writes, registered by name in one place.

In the manner of rdflib's plugin registry: each format is registered once, as a :class:`Format`, under
its short name, and every part of kgtool that names, parses, serialises, negotiates or describes a
format reads it from here: exports, the dataset description's distributions, the stores' native
serialisation, the endpoint store's parsing of answers, the command line's ``--format`` choices and
the server's content negotiation, ``format`` parameter, downloads and service description.

Each format also names its writer (:attr:`Format.writer`, as rdflib names a plugin by module and name),
imported only when something is written: pyoxigraph's serialiser for every RDF format
(:func:`kgtool.writers.write_with_oxigraph`; N-Triples and N-Quads are the lines it wrote,
:func:`kgtool.writers.write_lines`), with kgtool's finishing where the project writes more than
pyoxigraph does (Turtle and TriG nest lists and blank nodes used once, :mod:`kgtool.turtle`; JSON-LD is
compacted with the published context, :mod:`kgtool.jsonld`), and kgtool's own writers of SPARQL results
(:mod:`kgtool.writers`), which write rows read into Python and capped answers, which pyoxigraph cannot (the
Oxigraph store has pyoxigraph write an answer known to be within the row limit: :attr:`Format.row_marker`).

============  ======  =================================  =========  ======  ====================================
short name    kind    media type                         extension  graphs  writer
============  ======  =================================  =========  ======  ====================================
ttl           rdf     text/turtle                        .ttl       no      pyoxigraph, lists nested (turtle)
nt            rdf     application/n-triples              .nt        no      pyoxigraph
jsonld        rdf     application/ld+json                .jsonld    no      pyoxigraph, compacted (jsonld)
xml           rdf     application/rdf+xml                .rdf       no      pyoxigraph
trig          rdf     application/trig                   .trig      yes     pyoxigraph, lists nested (turtle)
nq            rdf     application/n-quads                .nq        yes     pyoxigraph
json          results application/sparql-results+json    .srj       --      kgtool (writers)
xml           results application/sparql-results+xml     .srx       --      kgtool (writers)
csv           results text/csv                           .csv       --      kgtool (writers)
tsv           results text/tab-separated-values          .tsv       --      kgtool (writers)
============  ======  =================================  =========  ======  ====================================

"graphs": whether the format keeps named graphs.

RDF formats and results formats are two name spaces (``xml`` is RDF/XML among RDF formats and SPARQL
XML results among results formats). Importing this module imports neither rdflib nor pyoxigraph;
:attr:`Format.oxigraph_format` loads pyoxigraph when asked.

>>> get("turtle").name, get("ttl").media_type
('ttl', 'text/turtle')
>>> by_media_type("text/turtle; charset=utf-8").name
'ttl'
>>> [f.name for f in formats("results") if f.boolean]
['json', 'xml']
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from .errors import UsageError

__all__ = [
    "Format",
    "Kind",
    "register",
    "get",
    "find",
    "formats",
    "names",
    "media_types",
    "by_media_type",
    "by_extension",
    "W3C_FORMATS",
]

Kind = Literal["rdf", "results"]

#: The namespace of the W3C's format IRIs (``http://www.w3.org/ns/formats/Turtle``...).
W3C_FORMATS = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True)
class Format:
    """One RDF or SPARQL results format.

    Attributes:
        name: the short name (``ttl``), used by ``kgtool export --format`` and the server's ``format``
            parameter; unique within its kind.
        kind: ``rdf`` (a graph or dataset) or ``results`` (SPARQL SELECT/ASK results).
        label: the English name (``Turtle``).
        media_type: the IANA media type, as kgtool sends it.
        extension: the file name extension, without the dot (``rdf`` for RDF/XML).
        aliases: other short names that mean this format (``turtle``).
        media_aliases: other media types that mean this format, as some clients and servers send them
            (``application/x-turtle``; ``application/json`` for SPARQL JSON results).
        rdflib: the name of rdflib's parser and serialiser plugin (``turtle``).
        oxigraph: the name of the ``pyoxigraph.RdfFormat`` or ``pyoxigraph.QueryResultsFormat`` member.
        w3c: the W3C format IRI (``http://www.w3.org/ns/formats/Turtle``), as ``dcterms:format`` and
            ``sd:resultFormat`` name it.
        keeps_graphs: a dataset format that keeps named graphs (TriG, N-Quads); a graph format holds
            the union of the graphs.
        boolean: a results format that can hold an ASK answer (CSV and TSV define none).
        prefixes: an RDF format that declares prefixes (Turtle, TriG, RDF/XML), so that writers pass the
            project's prefixes.
        writer: the function that writes the format, as ``module:function`` (imported when first used; see
            :meth:`write`). The default, pyoxigraph's serialiser, writes any RDF format pyoxigraph knows.
        row_marker: a results format: bytes that pyoxigraph's writer of the format writes at least once per
            row but the first or last, and a number: an answer it wrote has at most as many rows as the
            bytes occur plus the number (``(b",{", 1)`` in JSON), so that an answer within a row limit is
            known to be whole without reading its rows.
    """

    name: str
    kind: Kind
    label: str
    media_type: str
    extension: str
    rdflib: str
    oxigraph: str
    w3c: str
    aliases: tuple[str, ...] = ()
    media_aliases: tuple[str, ...] = ()
    keeps_graphs: bool = False
    boolean: bool = False
    prefixes: bool = False
    writer: str = "kgtool.writers:write_with_oxigraph"
    row_marker: tuple[bytes, int] | None = None

    def write(self, *content: Any, **options: Any) -> bytes:
        """``content`` written in this format by its :attr:`writer`.

        An RDF format writes ``(statements)``, :class:`~kgtool.statements.SortedStatements` (a graph format
        their union, a dataset format each graph), with the options ``prefixes`` (name -> namespace, those
        the document may declare), ``context`` (JSON-LD: the context to compact with, default the published
        one) and ``only_used`` (declare only the prefixes or context entries used). A results format writes
        ``(variables, rows)``: rows of pyoxigraph terms, ``None`` where unbound.
        """
        return self.load_writer()(self, *content, **options)

    def load_writer(self) -> Callable[..., bytes]:
        """The function named by :attr:`writer`, imported."""
        module, _, name = self.writer.partition(":")
        function: Callable[..., bytes] = getattr(importlib.import_module(module), name)
        return function

    @property
    def oxigraph_format(self) -> Any:
        """The pyoxigraph format object (``pyoxigraph.RdfFormat.TURTLE``...); imports pyoxigraph."""
        import pyoxigraph as ox

        enum = ox.RdfFormat if self.kind == "rdf" else ox.QueryResultsFormat
        return getattr(enum, self.oxigraph)

    @property
    def all_media_types(self) -> tuple[str, ...]:
        """The media type followed by its aliases."""
        return (self.media_type, *self.media_aliases)


_REGISTRY: dict[Kind, dict[str, Format]] = {"rdf": {}, "results": {}}


def register(fmt: Format) -> None:
    """Register ``fmt`` under its short name (replacing a format of the same kind and name).

    Raises:
        ValueError: one of its aliases is already another format's name or alias.
    """
    taken = {
        alias: other.name
        for other in _REGISTRY[fmt.kind].values()
        if other.name != fmt.name
        for alias in (other.name, *other.aliases)
    }
    clash = [alias for alias in (fmt.name, *fmt.aliases) if alias in taken]
    if clash:
        raise ValueError(f"format name {clash[0]!r} is already taken by {taken[clash[0]]!r}")
    _REGISTRY[fmt.kind][fmt.name] = fmt


def formats(kind: Kind = "rdf") -> tuple[Format, ...]:
    """The registered formats of ``kind``, in registration order (the first is the default)."""
    return tuple(_REGISTRY[kind].values())


def names(kind: Kind = "rdf") -> list[str]:
    """The short names of the formats of ``kind`` (for ``--format`` choices), without aliases."""
    return list(_REGISTRY[kind])


def media_types(kind: Kind = "rdf", *, boolean: bool = False) -> tuple[str, ...]:
    """The media types of the formats of ``kind``, the default first; with ``boolean``, only those that
    hold an ASK answer."""
    return tuple(f.media_type for f in formats(kind) if f.boolean or not boolean)


def find(name: str, kind: Kind = "rdf") -> Format | None:
    """The format of ``kind`` whose short name or alias is ``name`` (case-insensitive), or ``None``."""
    wanted = name.strip().lower()
    for fmt in _REGISTRY[kind].values():
        if wanted == fmt.name or wanted in fmt.aliases:
            return fmt
    return None


def get(name: str, kind: Kind = "rdf") -> Format:
    """The format of ``kind`` whose short name or alias is ``name``.

    Raises:
        UsageError: no such format; the message lists the known ones.
    """
    fmt = find(name, kind)
    if fmt is None:
        what = "RDF" if kind == "rdf" else "SPARQL results"
        raise UsageError(f"unknown {what} format {name!r}; known: {', '.join(names(kind))}")
    return fmt


def by_media_type(media_type: str, kind: Kind | None = None) -> Format | None:
    """The format a media type names (parameters such as ``charset`` ignored; aliases count), or ``None``.

    Without ``kind``, RDF formats are looked up first.
    """
    wanted = media_type.split(";", 1)[0].strip().lower()
    for fmt in _candidates(kind):
        if wanted in fmt.all_media_types:
            return fmt
    return None


def by_extension(extension: str, kind: Kind | None = None) -> Format | None:
    """The format of a file name extension (``ttl`` or ``.ttl``), or ``None``."""
    wanted = extension.lower().lstrip(".")
    for fmt in _candidates(kind):
        if wanted == fmt.extension:
            return fmt
    return None


def _candidates(kind: Kind | None) -> Iterator[Format]:
    for each in ("rdf", "results") if kind is None else (kind,):
        yield from _REGISTRY[each].values()


for _format in (
    Format(
        "ttl",
        "rdf",
        "Turtle",
        "text/turtle",
        "ttl",
        "turtle",
        "TURTLE",
        W3C_FORMATS + "Turtle",
        aliases=("turtle",),
        media_aliases=("application/x-turtle",),
        prefixes=True,
        writer="kgtool.turtle:write_turtle",
    ),
    Format(
        "nt",
        "rdf",
        "N-Triples",
        "application/n-triples",
        "nt",
        "nt",
        "N_TRIPLES",
        W3C_FORMATS + "N-Triples",
        aliases=("ntriples", "n-triples"),
        media_aliases=("text/plain",),
        writer="kgtool.writers:write_lines",
    ),
    Format(
        "jsonld",
        "rdf",
        "JSON-LD",
        "application/ld+json",
        "jsonld",
        "json-ld",
        "JSON_LD",
        W3C_FORMATS + "JSON-LD",
        aliases=("json-ld",),
        writer="kgtool.jsonld:write_jsonld",
    ),
    Format(
        "xml",
        "rdf",
        "RDF/XML",
        "application/rdf+xml",
        "rdf",
        "xml",
        "RDF_XML",
        W3C_FORMATS + "RDF_XML",
        aliases=("rdf", "rdfxml", "rdf/xml"),
        prefixes=True,
    ),
    Format(
        "trig",
        "rdf",
        "TriG",
        "application/trig",
        "trig",
        "trig",
        "TRIG",
        W3C_FORMATS + "TriG",
        keeps_graphs=True,
        prefixes=True,
        writer="kgtool.turtle:write_turtle",
    ),
    Format(
        "nq",
        "rdf",
        "N-Quads",
        "application/n-quads",
        "nq",
        "nquads",
        "N_QUADS",
        W3C_FORMATS + "N-Quads",
        aliases=("nquads", "n-quads"),
        keeps_graphs=True,
        writer="kgtool.writers:write_lines",
    ),
    Format(
        "json",
        "results",
        "SPARQL JSON results",
        "application/sparql-results+json",
        "srj",
        "json",
        "JSON",
        W3C_FORMATS + "SPARQL_Results_JSON",
        media_aliases=("application/json",),
        boolean=True,
        writer="kgtool.writers:write_json_results",
        row_marker=(b",{", 1),  # "[{" before the first row, ",{" before each other (a value's only adds)
    ),
    Format(
        "xml",
        "results",
        "SPARQL XML results",
        "application/sparql-results+xml",
        "srx",
        "xml",
        "XML",
        W3C_FORMATS + "SPARQL_Results_XML",
        media_aliases=("application/xml", "text/xml"),
        boolean=True,
        writer="kgtool.writers:write_xml_results",
        row_marker=(b"<result>", 0),  # each row a <result> element (a literal's '<' is escaped)
    ),
    Format(
        "csv",
        "results",
        "SPARQL CSV results",
        "text/csv",
        "csv",
        "csv",
        "CSV",
        W3C_FORMATS + "SPARQL_Results_CSV",
        writer="kgtool.writers:write_csv_results",
        row_marker=(b"\n", -1),  # a line each, the header's too (a value's line break only adds)
    ),
    Format(
        "tsv",
        "results",
        "SPARQL TSV results",
        "text/tab-separated-values",
        "tsv",
        "tsv",
        "TSV",
        W3C_FORMATS + "SPARQL_Results_TSV",
        writer="kgtool.writers:write_tsv_results",
        row_marker=(b"\n", -1),  # a line each, the header's too (values' line breaks are escaped)
    ),
):
    register(_format)
del _format
