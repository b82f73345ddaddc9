"""Exports that lose nothing: every format reads back isomorphic to the graph as the store holds it and to
what kgtool wrote before its exports went through pyoxigraph's writers (tests/fixtures/export), the same
graph gives the same bytes from every store and every run, and the JSON-LD reads back through a second
implementation (pyld)."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, BNode, Dataset, Graph, URIRef
from rdflib.compare import isomorphic, to_isomorphic
from rdflib.namespace import DCAT, DCTERMS, VOID

import kgtool
from kgtool import formats
from kgtool.dataset_description import DCAT_VERSION, DOWNLOADS, describe_dataset, distribution_iri
from kgtool.errors import UsageError
from kgtool.export import (
    CONTEXT_FILE,
    CONTEXT_IRI,
    export_dataset,
    jsonld_context,
    published_graph,
    read_jsonld,
)
from kgtool.namespaces import DATA_GRAPH, DATASET_IRI, KINDS

PARSERS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "xml": "xml", "trig": "trig", "nq": "nquads"}
FIXTURE = Path(__file__).parent / "fixtures" / "export"


@pytest.fixture(scope="module")
def dataset(built_home: Path) -> Dataset:
    with kgtool.open("oxigraph", home=built_home) as kg:
        return kg.store.dataset()


def _parse(data: bytes, fmt: str) -> Dataset:
    if fmt == "jsonld":
        return read_jsonld(data)
    parsed = Dataset()
    parsed.parse(data=data, format=PARSERS[fmt])
    return parsed


def _union(parsed: Dataset) -> Graph:
    union = Graph()
    for s, p, o, _ in parsed.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def _canonical(dataset: Dataset, graphs: bool = True) -> dict[object, int]:
    """What rdflib's ``isomorphic`` compares (a canonical hash): of the union of ``dataset``'s graphs (key
    None) and, with ``graphs``, of each of its non-empty graphs (key: its name)."""
    hashes: dict[object, int] = {None: to_isomorphic(_union(dataset)).internal_hash()}
    if graphs:
        hashes.update({g.identifier: to_isomorphic(g).internal_hash() for g in dataset.graphs() if len(g)})
    return hashes


def _reads_back_as(data: bytes, fmt: str, expected: dict[object, int]) -> None:
    """``data`` parses (by rdflib; JSON-LD without fetching) into the graphs whose ``_canonical`` hashes are
    ``expected``: the union of its graphs, and each graph too (the same names) in a format that keeps them."""
    keeps_graphs = formats.get(fmt).keeps_graphs
    parsed = _canonical(_parse(data, fmt), graphs=keeps_graphs)
    assert parsed == (expected if keeps_graphs else {None: expected[None]})


@pytest.fixture(scope="module")
def store_hashes(dataset: Dataset) -> dict[object, int]:
    """The canonical hashes of the graphs as the store holds them, computed once for every format."""
    return _canonical(dataset)


@pytest.mark.parametrize("fmt", formats.names("rdf"))
def test_every_format_reads_back_as_the_store_holds_the_graph(
    store_hashes: dict[object, int], built_home: Path, fmt: str
) -> None:
    """The expectation is the store's own N-Quads read by rdflib (``dataset``), not kgtool's export code."""
    with kgtool.open("oxigraph", home=built_home) as kg:
        _reads_back_as(kg.export(fmt), fmt, store_hashes)


@pytest.fixture(scope="module")
def fixture_graph() -> kgtool.KnowledgeGraph:
    """The small dataset of tests/fixtures/export in an Oxigraph store in memory."""
    import pyoxigraph as ox

    from kgtool.stores.oxigraph import OxigraphStore

    store = OxigraphStore()
    store.native.load(path=str(FIXTURE / "dataset.trig"), format=ox.RdfFormat.TRIG)
    return kgtool.KnowledgeGraph(store)


@pytest.mark.parametrize("fmt", formats.names("rdf"))
def test_exports_hold_what_kgtool_wrote_before(fixture_graph: kgtool.KnowledgeGraph, fmt: str) -> None:
    """expected.* are the exports of the fixture as kgtool wrote them with rdflib (before pyoxigraph's
    writers): each export reads back as the same graphs, and the JSON-LD is the same document."""
    data = fixture_graph.export(fmt)
    before = (FIXTURE / f"expected.{fmt}").read_bytes()
    _reads_back_as(data, fmt, _canonical(_parse(before, fmt)))
    source = Dataset()
    source.parse(FIXTURE / "dataset.trig", format="trig")
    _reads_back_as(data, fmt, _canonical(source))
    if fmt == "jsonld":
        assert json.loads(data) == json.loads(before)
    assert fixture_graph.export(fmt) == data


def test_every_store_writes_the_same_bytes(kg: kgtool.KnowledgeGraph, kg_memory: kgtool.KnowledgeGraph) -> None:
    for fmt in formats.names("rdf"):
        assert kg_memory.export(fmt) == kg.export(fmt), fmt


def test_turtle_and_trig_declare_the_prefixes_they_use_sorted(fixture_graph: kgtool.KnowledgeGraph) -> None:
    for fmt in ("ttl", "trig"):
        text = fixture_graph.export(fmt).decode("utf-8")
        header = [line for line in text.splitlines() if line.startswith("@prefix")]
        assert header == sorted(header)
        declared = {line.split()[1][:-1] for line in header}
        assert declared == {"cluster", "dcterms", "owl", "qb", "rdf", "rdfs", "sh", "skos", "sz", "version", "xsd"}, fmt
        assert "cluster:artificial-intelligence a sz:StrategicEmergingIndustryCluster ;" in text  # rdf:type first


def test_trig_written_graph_by_graph_is_pyoxigraphs_trig_of_the_same_quads() -> None:
    """TriG is written one graph at a time (no graph name per statement to write and read back): the same
    bytes as pyoxigraph's TriG writer gives for all the quads at once, graph names abbreviated or not."""
    import pyoxigraph as ox

    from kgtool.statements import SortedStatements

    ex, other = "http://example.org/", "urn:other:"
    p, name = ox.NamedNode(ex + "p"), ox.Literal("a\nb", language="en")
    quads = [
        ox.Quad(ox.NamedNode(ex + "s"), p, name, ox.DefaultGraph()),
        ox.Quad(ox.NamedNode(ex + "s"), p, ox.NamedNode(ex + "o"), ox.NamedNode(ex + "g")),
        ox.Quad(ox.NamedNode(ex + "t"), p, ox.Literal("1", datatype=ox.NamedNode(ex + "n")), ox.NamedNode(ex + "g")),
        ox.Quad(ox.NamedNode(other + "x"), p, ox.NamedNode(other + "y"), ox.NamedNode(other + "graph")),
    ]
    ready = SortedStatements.of(quads)
    by_graph = [(g, list(triples)) for g, triples in ready.triples_by_graph()]
    assert [g for g, _ in by_graph] == ready.graphs
    assert [ox.Quad(t.subject, t.predicate, t.object, g) for g, ts in by_graph for t in ts] == list(
        ready.statements(keep_graphs=True)
    )
    written = formats.get("trig").write(ready, prefixes={"ex": ex})
    theirs = ox.serialize(ready.statements(keep_graphs=True), format=ox.RdfFormat.TRIG, prefixes={"ex": ex})
    assert theirs.startswith(b"@prefix ex: <http://example.org/> .\n")
    assert written == theirs.replace(b" .\n", b" .\n\n", 1)  # kgtool leaves a line after the prefixes
    assert b"ex:g {\n\tex:s ex:p ex:o .\n" in written and b"<urn:other:graph> {\n" in written


@pytest.mark.parametrize("fmt", formats.names("rdf"))
def test_the_same_graph_gives_the_same_bytes(dataset: Dataset, built_home: Path, fmt: str) -> None:
    first = export_dataset(dataset, fmt)
    with kgtool.open("oxigraph", home=built_home) as kg:  # a fresh rdflib view: new blank node ids
        assert kg.export(fmt) == first


@pytest.mark.processes  # two new processes export the graph: a slow group (pyproject.toml)
def test_bytes_do_not_depend_on_the_process(built_home: Path, dataset: Dataset) -> None:
    """Hash seeds differ between processes; the output must not."""
    script = (
        "import hashlib, sys, kgtool; from pathlib import Path\n"
        "kg = kgtool.open('oxigraph', home=Path(sys.argv[1]))\n"
        "print(' '.join(hashlib.sha256(kg.export(f)).hexdigest() for f in ('jsonld', 'ttl', 'xml')))\n"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", script, str(built_home)], capture_output=True, text=True, check=True, timeout=120
        ).stdout
        for _ in range(2)
    }
    here = " ".join(hashlib.sha256(export_dataset(dataset, f)).hexdigest() for f in ("jsonld", "ttl", "xml"))
    assert runs == {here + "\n"}


def test_blank_nodes_get_canonical_labels(dataset: Dataset) -> None:
    nt = export_dataset(dataset, "nt").decode("utf-8")
    labels = {word for line in nt.splitlines() for word in line.split() if word.startswith("_:")}
    assert labels and all(label.startswith("_:c14n") for label in labels)


@pytest.mark.pyld  # pyld reads the whole graph twice: a slow group (pyproject.toml)
def test_jsonld_reads_back_through_pyld(dataset: Dataset) -> None:
    from pyld import jsonld

    context = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))
    fetched: list[str] = []

    def loader(url: str, options: dict | None = None) -> dict:
        fetched.append(url)
        if url == CONTEXT_IRI:
            return {"contextUrl": None, "documentUrl": url, "document": context}
        raise jsonld.JsonLdError(f"no network: {url}", "loading document failed", code="loading document failed")

    document = json.loads(export_dataset(dataset, "jsonld"))
    assert document["@context"] == context["@context"]  # the published context, inline
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": loader})
    assert fetched == []
    published = to_isomorphic(published_graph(dataset)).internal_hash()  # what isomorphic() compares, once
    parsed = Graph().parse(data=nquads, format="nquads")
    assert to_isomorphic(parsed).internal_hash() == published
    # a document that names the context by its IRI reads the same, from the local file
    by_reference = dict(document, **{"@context": CONTEXT_IRI})
    nquads = jsonld.to_rdf(by_reference, {"format": "application/n-quads", "documentLoader": loader})
    assert fetched == [CONTEXT_IRI]
    assert to_isomorphic(Graph().parse(data=nquads, format="nquads")).internal_hash() == published
    assert to_isomorphic(_union(read_jsonld(json.dumps(by_reference)))).internal_hash() == published


@pytest.mark.parametrize(
    "context", ["http://example.org/context.jsonld", ["http://127.0.0.1:9/c"], {"@import": "http://example.org/c"}]
)
def test_read_jsonld_never_fetches_a_remote_context(context: object) -> None:
    document = {"@context": context, "@id": "http://example.org/a", "http://example.org/p": "x"}
    with pytest.raises(UsageError, match="not fetched"):
        read_jsonld(json.dumps(document))


def test_the_context_declares_every_vocabulary_prefix() -> None:
    from kgtool.context import context_prefixes

    context = jsonld_context()
    for prefix, namespace in context_prefixes().items():
        # a prefix whose name a term of the graph takes (sz:unit is "unit") is left out
        assert context[prefix] == namespace or context[prefix]["@id"].split(":")[1] == prefix
    assert not set(KINDS) & {k for k, v in context.items() if isinstance(v, str)}  # links are full IRIs


# -- the dataset description --------------------------------------------------------------------------


def test_the_description_counts_the_graph(dataset: Dataset) -> None:
    union = _union(dataset)
    description = describe_dataset(union, version="9.9.9")
    ds = DATASET_IRI
    assert int(description.value(ds, VOID.triples)) == len(union)
    classes = list(description.objects(ds, VOID.classPartition))
    assert int(description.value(ds, VOID.classes)) == len(classes) > 10
    properties = list(description.objects(ds, VOID.propertyPartition))
    assert sum(int(description.value(p, VOID.triples)) for p in properties) == len(union)
    assert str(description.value(ds, DCAT_VERSION)) == "9.9.9"
    assert not any(isinstance(t, BNode) for triple in description for t in triple)
    assert describe_dataset(union, version="9.9.9").serialize(format="nt") == description.serialize(format="nt")


def test_the_description_has_a_distribution_per_format(dataset: Dataset) -> None:
    union = _union(dataset)
    description = describe_dataset(union)
    licence = union.value(DATASET_IRI, DCTERMS.license)
    assert licence is not None  # written by hand in graph/dataset.ttl
    for fmt, (name, media, _, _) in DOWNLOADS.items():
        dist = distribution_iri(fmt)
        assert (DATASET_IRI, DCAT.distribution, dist) in description
        assert str(description.value(dist, DCAT.downloadURL)).endswith("/download/" + name)
        assert str(description.value(dist, DCAT.mediaType)).endswith(media)
        assert description.value(dist, DCTERMS.license) == licence
    assert set(DOWNLOADS) == set(formats.names("rdf")) == set(PARSERS)
    assert (None, VOID.sparqlEndpoint, URIRef("https://w3id.org/sz20plus8/sparql")) in description
    sources = set(union.subjects(RDF.type, URIRef("https://w3id.org/sz20plus8/def#Source")))
    assert sources <= set(description.objects(DATASET_IRI, DCTERMS.source))


def test_exports_hold_the_description_in_the_data_graph(dataset: Dataset, described_triples: int) -> None:
    parsed = _parse(export_dataset(dataset, "trig"), "trig")
    data = parsed.graph(DATA_GRAPH)
    assert (DATASET_IRI, VOID.triples, None) in data
    assert int(data.value(DATASET_IRI, VOID.triples)) == described_triples


def test_cli_export_writes_the_same_bytes_to_a_file_as_to_stdout(
    built_home: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    from kgtool.cli import main

    out = tmp_path / "graph.jsonld"
    assert main(["export", "--home", str(built_home), "--format", "jsonld", "--out", str(out)]) == 0
    assert main(["export", "--home", str(built_home), "--format", "jsonld"]) == 0
    assert capsysbinary.readouterr().out == out.read_bytes()


def test_cli_export_holds_what_the_store_holds(built_home: Path, tmp_path: Path) -> None:
    import pyoxigraph as ox

    from kgtool.cli import main

    out = tmp_path / "graph.nt"
    assert main(["export", "--home", str(built_home), "--format", "nt", "--out", str(out)]) == 0
    # the store's triples as Oxigraph itself writes them (no kgtool code), against the file read by rdflib
    store = ox.Store.read_only(str((built_home / "store").resolve()))
    held = ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in store), format=ox.RdfFormat.N_TRIPLES)
    assert isomorphic(Graph().parse(data=held, format="nt"), Graph().parse(out, format="nt"))
