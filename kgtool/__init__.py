"""sz20plus8: a knowledge graph of Shenzhen's "20+8" industrial policy, and the tools to query it.

>>> import kgtool
>>> kg = kgtool.open(store="memory")          # compiled from the sources; "oxigraph" reads the built store
>>> sorted(v for v, *_ in kg.stats().versions)
['1.0', '2.0', '3.0']
"""

from __future__ import annotations

from .build import BuildResult, build
from .errors import (
    DataError,
    DoesNotConformError,
    KgError,
    MissingOptionalError,
    NotBuiltError,
    ParameterError,
    QueryError,
    StoreError,
    UsageError,
)
from .graph import KnowledgeGraph, Stats
from .graph import open_graph as open  # noqa: A001 - kgtool.open() is the entry point users expect
from .results import QueryResult
from .validate import ValidationReport, Violation
from .version import package_version

__version__ = package_version()

__all__ = [
    "open",
    "build",
    "BuildResult",
    "KnowledgeGraph",
    "Stats",
    "QueryResult",
    "ValidationReport",
    "Violation",
    "KgError",
    "DataError",
    "DoesNotConformError",
    "MissingOptionalError",
    "NotBuiltError",
    "ParameterError",
    "QueryError",
    "StoreError",
    "UsageError",
    "__version__",
]
