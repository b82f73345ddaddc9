"""sz20plus8: a knowledge graph of Shenzhen's "20+8" industrial policy, and the tools to query it.

>>> import kgtool
>>> kg = kgtool.open(store="memory")          # compiled from the sources; "oxigraph" reads the built store
>>> sorted(v for v, *_ in kg.stats().versions)
['1.0', '2.0', '3.0']
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Any

# Names are imported on first use, so that a command imports only what it needs: ``kgtool query`` does not
# load the compiler, the validators or rdflib (see bench/ for the start-up time).
_LAZY = {
    "build": (".build", "build"),
    "BuildResult": (".build", "BuildResult"),
    "open": (".graph", "open_graph"),
    "KnowledgeGraph": (".graph", "KnowledgeGraph"),
    "Stats": (".graph", "Stats"),
    "QueryResult": (".results", "QueryResult"),
    "ValidationReport": (".validate", "ValidationReport"),
    "Violation": (".validate", "Violation"),
    **{
        name: (".errors", name)
        for name in (
            "KgError",
            "DataError",
            "DoesNotConformError",
            "MissingOptionalError",
            "NotBuiltError",
            "ParameterError",
            "QueryError",
            "StoreError",
            "UsageError",
        )
    },
}

if TYPE_CHECKING:
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


def __getattr__(name: str) -> object:
    value: object
    if name == "__version__":
        from .version import package_version  # importlib.metadata is slow to import: only when asked

        value = package_version()
    elif name in _LAZY:
        import importlib

        module, attribute = _LAZY[name]
        value = getattr(importlib.import_module(module, __name__), attribute)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


class _Package(types.ModuleType):
    """The package ``kgtool``, whose ``build`` stays the function however the module ``kgtool.build`` is imported.

    ``kgtool.build`` is both a module and the function users call, and the function is imported lazily (the
    compiler imports rdflib). Importing a submodule sets it as an attribute of its package, so ``from
    kgtool.build import source_graphs`` run first would make ``kgtool.build`` the module: the package keeps
    the module's function under that name instead.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "build" and isinstance(value, types.ModuleType):
            value = value.build
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

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
