"""Every store is opened one way: ``Store.open(StoreConfig)``, so a new backend needs no code elsewhere."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import kgtool
from kgtool import stores
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
