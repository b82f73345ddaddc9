"""The format registry: one entry per format, read by exports, stores, the CLI and the server."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.plugin import Parser, Serializer
from rdflib.plugin import get as rdflib_plugin

from kgtool import formats
from kgtool.errors import UsageError
from kgtool.formats import Format


@pytest.mark.parametrize("fmt", formats.formats("rdf") + formats.formats("results"), ids=lambda f: f"{f.kind}-{f.name}")
def test_every_format_agrees_with_rdflib_and_pyoxigraph(fmt: Format) -> None:
    """The identifiers of each format are the ones both libraries know, for the same media type."""
    native = fmt.oxigraph_format
    assert native.media_type.split(";")[0] == fmt.media_type
    if fmt.kind == "rdf":
        assert rdflib_plugin(fmt.rdflib, Parser) and rdflib_plugin(fmt.rdflib, Serializer)
        # JSON-LD could hold named graphs, but kgtool writes it compacted, the union of the graphs
        assert native.supports_datasets == (fmt.keeps_graphs or fmt.name == "jsonld")
        assert native.file_extension == fmt.extension
    assert fmt.w3c.startswith(formats.W3C_FORMATS)
    assert formats.get(fmt.name, fmt.kind) is fmt
    for alias in fmt.aliases:
        assert formats.get(alias.upper(), fmt.kind) is fmt
    for media_type in fmt.all_media_types:
        assert formats.by_media_type(f"{media_type}; charset=utf-8", fmt.kind) is fmt
    assert formats.by_extension("." + fmt.extension, fmt.kind) is fmt


def test_every_format_names_a_writer_that_writes_it() -> None:
    """Each format carries its writer: pyoxigraph's serialiser for RDF (JSON-LD then compacted, Turtle and TriG
    with lists nested), kgtool's for SPARQL results; what each writes parses back with pyoxigraph."""
    from kgtool.statements import SortedStatements

    ex = "http://example.org/"
    triple = ox.Triple(ox.NamedNode(ex + "s"), ox.NamedNode(ex + "p"), ox.Literal("o", language="en"))
    ready = SortedStatements.of([ox.Quad(triple.subject, triple.predicate, triple.object, ox.NamedNode(ex + "g"))])
    for fmt in formats.formats("rdf"):
        assert fmt.load_writer().__module__.startswith("kgtool.")
        data = fmt.write(ready, prefixes={"ex": ex})
        quads = list(ox.parse(data, fmt.oxigraph_format))
        assert [q.triple for q in quads] == [triple], fmt.name
        assert [q.graph_name for q in quads] == [ox.NamedNode(ex + "g") if fmt.keeps_graphs else ox.DefaultGraph()]
    assert {fmt.writer for fmt in formats.formats("rdf")} == {
        "kgtool.writers:write_lines",
        "kgtool.writers:write_with_oxigraph",
        "kgtool.turtle:write_turtle",
        "kgtool.jsonld:write_jsonld",
    }
    for fmt in formats.formats("results"):
        data = fmt.write(["x"], [(triple.object,)])
        if fmt.name == "csv":  # plain values: pyoxigraph does not read CSV results back
            assert data == b"x\r\no\r\n"
            continue
        solutions = ox.parse_query_results(data, fmt.oxigraph_format)
        assert [solution["x"] for solution in solutions] == [triple.object], fmt.name


def test_rdf_and_results_names_are_separate_spaces() -> None:
    assert formats.get("xml").media_type == "application/rdf+xml"
    assert formats.get("xml", "results").media_type == "application/sparql-results+xml"
    assert formats.by_media_type("application/xml").name == "xml"  # only results XML claims it
    assert formats.by_media_type("application/xml").kind == "results"
    assert formats.by_media_type("image/png") is None
    assert formats.media_types("results", boolean=True) == (
        "application/sparql-results+json",
        "application/sparql-results+xml",
    )
    assert formats.names("rdf") == ["ttl", "nt", "jsonld", "xml", "trig", "nq"]


def test_an_unknown_format_is_a_usage_error_that_lists_the_known_ones() -> None:
    with pytest.raises(UsageError, match=r"unknown RDF format 'n3'; known: ttl, nt, jsonld, xml, trig, nq"):
        formats.get("n3")


def test_an_alias_cannot_take_another_formats_name() -> None:
    with pytest.raises(ValueError, match="already taken by 'ttl'"):
        formats.register(
            Format("n3", "rdf", "N3", "text/n3", "n3", "n3", "N3", formats.W3C_FORMATS + "N3", aliases=("turtle",))
        )
    assert formats.find("n3") is None


def test_a_registered_format_reaches_export_and_the_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """Adding a format is one registration: exports and ``--format`` choices read the registry."""
    from kgtool.cli import build_parser
    from kgtool.export import graph_bytes

    n3 = Format("n3", "rdf", "N3", "text/n3", "n3", "n3", "N3", formats.W3C_FORMATS + "N3", prefixes=True)
    monkeypatch.setitem(formats._REGISTRY["rdf"], "n3", n3)
    graph = Graph()
    graph.add((URIRef("urn:a"), URIRef("urn:b"), URIRef("urn:c")))
    assert set(Graph().parse(data=graph_bytes(graph, "n3"), format="n3")) == set(graph)
    args = build_parser().parse_args(["export", "--format", "n3"])
    assert args.format == "n3"
    assert n3.oxigraph_format == ox.RdfFormat.N3


def test_the_registry_imports_neither_rdflib_nor_pyoxigraph() -> None:
    """The command line reads the registry to build its parser: it must stay cheap to import.

    The package's ``__init__`` is bypassed, so that only what ``kgtool.formats`` itself imports counts.
    """
    package = Path(formats.__file__).parent
    code = (
        f"import sys, types; pkg = types.ModuleType('kgtool'); pkg.__path__ = [{str(package)!r}]; "
        "sys.modules['kgtool'] = pkg; import kgtool.formats as f; assert f.get('ttl').oxigraph == 'TURTLE'; "
        "print(sorted(m for m in ('rdflib', 'pyoxigraph') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
