"""Stores the graph can live in, registered by name in the manner of rdflib's plugins.

===========  ====================================================================================
name         what
===========  ====================================================================================
memory       rdflib's in-memory store, compiled from the sources at open time (tests, small use)
oxigraph     an embedded, persistent Oxigraph store on disk, written by ``kgtool build`` (default)
sparql       a remote SPARQL 1.1 endpoint (``--endpoint URL``)
===========  ====================================================================================

Third parties add stores with the entry point group ``kgtool.stores`` (``name = "module:Class"``), or
with :func:`register`. A store is a subclass of :class:`Store`; :func:`kgtool.open` opens every store
the same way, with ``Store.open(StoreConfig(home, paths, extra, options))``: a store declares the
options it takes, and overrides :meth:`Store.open` only if it needs the home or the sources.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable

from ..errors import UsageError
from .base import Store, StoreConfig

__all__ = ["Store", "StoreConfig", "register", "store_names", "store_class", "DEFAULT_STORE", "STORE_ENV"]

#: The store the CLI and the server use when none is named.
DEFAULT_STORE = "oxigraph"
#: The environment variable that names the store when no option does.
STORE_ENV = "KGTOOL_STORE"

_REGISTRY: dict[str, str | Callable[[], type[Store]]] = {
    "memory": "kgtool.stores.memory:MemoryStore",
    "oxigraph": "kgtool.stores.oxigraph:OxigraphStore",
    "sparql": "kgtool.stores.endpoint:EndpointStore",
}


def register(name: str, target: str | Callable[[], type[Store]]) -> None:
    """Register a store class under ``name`` (a ``"module:Class"`` path, loaded lazily, or a factory)."""
    _REGISTRY[name] = target


def store_names() -> list[str]:
    """The names of every registered store, entry points included."""
    from importlib.metadata import entry_points  # slow to import: only when the names are asked for

    names = set(_REGISTRY)
    names.update(ep.name for ep in entry_points(group="kgtool.stores"))
    return sorted(names)


def store_class(name: str | None = None) -> type[Store]:
    """The store class registered under ``name`` (default: ``$KGTOOL_STORE``, else ``oxigraph``).

    Raises:
        UsageError: for an unknown name, listing the known ones.
    """
    name = name or os.environ.get(STORE_ENV) or DEFAULT_STORE
    target = _REGISTRY.get(name)
    if target is None:
        from importlib.metadata import entry_points

        for ep in entry_points(group="kgtool.stores"):
            if ep.name == name:
                return ep.load()
        raise UsageError(f"unknown store {name!r}; known stores: {', '.join(store_names())}")
    if callable(target):
        return target()
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)
