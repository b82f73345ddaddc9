"""The graph's sources compiled: the ontology and the data of ``graph/`` as named graphs.

What a build validates and writes, what the in-memory store holds and what ``kgtool push`` loads: each
of them starts here, below the stores (a store compiled from the sources imports this module, never
:mod:`kgtool.build`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rdflib import Graph, URIRef

from .namespaces import DATA_GRAPH, ONTOLOGY_GRAPH, bind_prefixes
from .ontology import read_turtle
from .paths import ProjectPaths, project_paths

__all__ = ["source_graphs", "union"]


def source_graphs(paths: ProjectPaths | None = None, extra: Sequence[Path] = ()) -> dict[URIRef, Graph]:
    """The named graphs of the build: the ontology and the compiled data.

    Raises:
        DataError: naming the file, line and cause of anything wrong in the sources.
    """
    from .authoring import compile_graph
    from .dataset_description import describe_dataset

    paths = paths or project_paths()
    ontology = read_turtle(paths.ontology_file)
    data = compile_graph(paths.graph_dir, extra, paths.ontology_file)
    bind_prefixes(ontology)
    graphs = {ONTOLOGY_GRAPH: ontology, DATA_GRAPH: data}
    # The VoID/DCAT statistics describe the ontology and data as compiled (not counting themselves),
    # so that they can be queried, served and exported like any other triple.
    for triple in describe_dataset(set(ontology).union(data)):  # a set: quicker to make than a merged graph
        data.add(triple)
    return graphs


def union(graphs: dict[URIRef, Graph]) -> Graph:
    """One rdflib graph holding the triples of all ``graphs``."""
    merged = Graph()
    bind_prefixes(merged)
    for graph in graphs.values():
        for triple in graph:
            merged.add(triple)
    return merged
