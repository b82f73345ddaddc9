"""Shared fixtures: the real graph in each store (built once per session: ``built_home``, in ../conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import kgtool
from kgtool.graph import KnowledgeGraph


@pytest.fixture(scope="session")
def kg(built_home: Path) -> Iterator[KnowledgeGraph]:
    """The real graph in the default (Oxigraph) store."""
    with kgtool.open("oxigraph", home=built_home) as graph:
        yield graph


@pytest.fixture(scope="session")
def published_hash(built_home: Path) -> int:
    """The canonical hash of the graph every export publishes: the store's graphs plus the computed dataset
    description (rdflib's ``isomorphic`` compares two such hashes; this one is computed once per session,
    not once per format and test)."""
    from rdflib.compare import to_isomorphic

    from kgtool.export import published_graph

    with kgtool.open("oxigraph", home=built_home) as graph:
        return int(to_isomorphic(published_graph(graph.store.dataset())).internal_hash())


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
