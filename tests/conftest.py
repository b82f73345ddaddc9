"""Shared fixtures: the real graph, built once per test session into a temporary home."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import kgtool
from kgtool.graph import KnowledgeGraph

#: The slow groups: a test marked with one of them is slow (pyproject.toml's markers; the default run leaves
#: them out).
SLOW_GROUPS = ("hermit", "cross_store", "browser", "load", "rdflib_engine")


@pytest.hookimpl(tryfirst=True)  # before -m deselects
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if any(item.get_closest_marker(group) for group in SLOW_GROUPS):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def built_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home directory holding a fresh build of the project's graph (the embedded Oxigraph store)."""
    home = tmp_path_factory.mktemp("home")
    kgtool.build(home)
    return home


@pytest.fixture(scope="session")
def kg(built_home: Path) -> Iterator[KnowledgeGraph]:
    """The real graph in the default (Oxigraph) store."""
    with kgtool.open("oxigraph", home=built_home) as graph:
        yield graph


@pytest.fixture(scope="session")
def kg_memory() -> Iterator[KnowledgeGraph]:
    """The real graph in rdflib's in-memory store, compiled from the sources."""
    with kgtool.open("memory") as graph:
        yield graph


@pytest.fixture(scope="session")
def described_triples() -> int:
    """The number of triples the dataset description counts: the ontology and data as compiled (the
    description, which the build adds to the data graph, does not count itself)."""
    from rdflib import Graph

    from kgtool.authoring import compile_graph
    from kgtool.build import union
    from kgtool.namespaces import DATA_GRAPH, ONTOLOGY_GRAPH
    from kgtool.paths import project_paths

    paths = project_paths()
    ontology = Graph().parse(paths.ontology_file)
    return len(union({ONTOLOGY_GRAPH: ontology, DATA_GRAPH: compile_graph(paths.graph_dir)}))
