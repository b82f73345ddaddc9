"""Every store is opened one way: ``Store.open(StoreConfig)``, so a new backend needs no code elsewhere."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import kgtool
from kgtool import formats, stores
from kgtool.cli import main
from kgtool.errors import NotBuiltError, UsageError
from kgtool.stores import Store, StoreConfig, store_class
from kgtool.stores.endpoint import EndpointStore
from kgtool.stores.memory import MemoryStore
from kgtool.stores.oxigraph import OxigraphStore


class LabelledStore(MemoryStore):
    """A third party's store: the memory store under another name, with an option of its own."""

    name = "labelled"
    options = ("label",)

    @classmethod
    def open(cls, config: StoreConfig) -> LabelledStore:
        options = config.checked_options(cls)
        store = super().open(StoreConfig(paths=config.paths, extra=config.extra))
        assert isinstance(store, LabelledStore)
        store.label = options.get("label", "")
        return store

    label = ""


@pytest.fixture
def labelled(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setitem(stores._REGISTRY, "labelled", lambda: LabelledStore)  # noqa: SLF001
    yield


@pytest.mark.parametrize(
    ("name", "cls"), [("memory", MemoryStore), ("oxigraph", OxigraphStore), ("sparql", EndpointStore)]
)
def test_every_registered_store_declares_how_it_opens(name: str, cls: type[Store]) -> None:
    assert store_class(name) is cls
    assert cls.name == name


def test_the_oxigraph_store_opens_the_build_under_home(built_home: Path) -> None:
    with OxigraphStore.open(StoreConfig(home=built_home)) as store:
        assert store.path == built_home / "store"
        assert len(store) > 6000
        assert not store.writable


def test_the_oxigraph_store_says_to_build_first(tmp_path: Path) -> None:
    with pytest.raises(NotBuiltError, match="run 'kgtool build' first"):
        kgtool.open("oxigraph", home=tmp_path)


def test_the_sparql_store_takes_its_options_as_keywords() -> None:
    store = EndpointStore.open(StoreConfig(options={"endpoint": "http://127.0.0.1:9/query", "timeout": 5}))
    assert (store.endpoint, store.timeout) == ("http://127.0.0.1:9/query", 5.0)
    store.close()


@pytest.mark.parametrize(
    ("name", "options", "message"),
    [
        (
            "oxigraph",
            {"endpoint": "http://x/"},
            r"the oxigraph store does not take the option\(s\) endpoint; "
            r"it takes: path, writable",
        ),
        ("memory", {"path": "/tmp"}, r"the memory store does not take the option\(s\) path; it takes none"),
        ("sparql", {"endpoint": "http://x/", "home": "/tmp"}, r"does not take the option\(s\) home"),
    ],
)
def test_an_option_a_store_does_not_take_is_a_usage_error(name: str, options: dict[str, Any], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        kgtool.open(name, options=options)


def test_extra_files_need_a_store_compiled_from_the_sources(built_home: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="extra data files can only be added to a store compiled from the sources"):
        kgtool.open("oxigraph", home=built_home, extra=[tmp_path / "more.csv"])


def test_a_registered_store_reaches_the_library_and_the_command_line(
    labelled: None, capsys: pytest.CaptureFixture[str]
) -> None:
    with kgtool.open("labelled", options={"label": "mine"}) as kg:
        assert isinstance(kg.store, LabelledStore) and kg.store.label == "mine"
        expected = kg.stats().text()
    assert main(["--store", "labelled", "stats"]) == 0
    assert capsys.readouterr().out == expected


def test_a_registered_store_reaches_the_server(labelled: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """``kgtool serve`` opens any store as the library does; one that is not on disk is served as a copy."""
    import kgtool.server
    from kgtool.http.source import prepare_source

    served: list[Any] = []
    monkeypatch.setattr(kgtool.server, "serve", lambda config, **kw: served.append((config, kw)), raising=False)
    assert main(["serve", "--store", "labelled", "--port", "8123"]) == 0
    ((config, where),) = served
    assert isinstance(config.store, LabelledStore)
    assert where == {"host": "127.0.0.1", "port": 8123}
    source = prepare_source(config, tmp_path)  # what each worker process opens
    assert source.path is None and source.nquads is not None
    assert len(Path(source.nquads).read_text(encoding="utf-8").split(" .\n")) - 1 == len(config.store)


def test_the_server_serves_the_built_store_in_place(
    built_home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import kgtool.server
    from kgtool.http.source import prepare_source

    served: list[Any] = []
    monkeypatch.setattr(kgtool.server, "serve", lambda config, **kw: served.append(config), raising=False)
    assert main(["--home", str(built_home), "serve"]) == 0
    (config,) = served
    source = prepare_source(config, tmp_path)
    assert source.path == str((built_home / "store").resolve()) and source.nquads is None


# -- answers within and past the row limit ------------------------------------------------------------

_NINE_ROWS = "SELECT ?n WHERE { VALUES ?n { 1 2 3 4 5 6 7 8 9 } }"


def _rows(body: bytes, fmt: str) -> list[str]:
    """The values of ``?n`` in an answer, read back by pyoxigraph's parser of the format."""
    import pyoxigraph as ox

    if fmt == "csv":  # pyoxigraph does not read CSV answers (they lose the kind of each term)
        return [row[0] for row in list(csv.reader(io.StringIO(body.decode())))[1:]]
    solutions = ox.parse_query_results(body, format=formats.get(fmt, "results").oxigraph_format)
    assert isinstance(solutions, ox.QuerySolutions)
    return [solution["n"].value for solution in solutions]


@pytest.mark.parametrize("fmt", [f.name for f in formats.formats("results")])
def test_an_answer_within_the_row_limit_is_whole_and_one_past_it_is_capped(fmt: str) -> None:
    """An answer of exactly ``max_rows`` rows is sent whole, as pyoxigraph writes it; with one row more it is
    capped at ``max_rows`` and says so, in every results format."""
    import pyoxigraph as ox

    store = OxigraphStore()
    media_type = formats.get(fmt, "results").media_type
    whole = store.serialize_query(_NINE_ROWS, media_type, max_rows=9)
    assert not whole.truncated
    assert _rows(whole.body, fmt) == [str(n) for n in range(1, 10)]
    expected = ox.Store().query(_NINE_ROWS).serialize(format=formats.get(fmt, "results").oxigraph_format)
    assert whole.body == expected
    capped = store.serialize_query(_NINE_ROWS, media_type, max_rows=8)
    assert capped.truncated and capped.count == 8
    assert _rows(capped.body, fmt) == [str(n) for n in range(1, 9)]


def test_the_row_bound_of_each_format_never_counts_fewer_rows_than_the_answer_has(built_home: Path) -> None:
    """The bytes each results format's writer writes per row (:attr:`Format.row_marker`), counted in
    pyoxigraph's answers, are never fewer than the rows (so an answer over the limit never passes as whole):
    the named queries' answers on the real graph, and values with line breaks, braces and angle brackets."""
    import pyoxigraph as ox

    from bench.guard import named_texts

    tricky = ox.Store()
    tricky.add(
        ox.Quad(ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/p"), ox.Literal("}<\n\r\n"))
    )
    cases = [(tricky, "SELECT ?o ?unbound WHERE { ?s ?p ?o }"), (tricky, "SELECT * WHERE {}")]
    with kgtool.open("oxigraph", home=built_home) as graph:
        assert isinstance(graph.store, OxigraphStore)
        real = graph.store.native
        cases += [(real, text) for text in named_texts().values() if real.query(text).__class__ is ox.QuerySolutions]
        assert len(cases) > 20
        for store, text in cases:
            rows = len(list(store.query(text, use_default_graph_as_union=True)))
            for fmt in formats.formats("results"):
                assert fmt.row_marker is not None, fmt.name
                marker, plus = fmt.row_marker
                answer = store.query(text, use_default_graph_as_union=True).serialize(format=fmt.oxigraph_format)
                assert answer.count(marker) + plus >= rows, (fmt.name, text[:60])
