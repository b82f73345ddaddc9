"""What a worker opens for a store: :func:`store_source` makes the :class:`~kgtool.workers.requests.StoreSource`
of a built store directory, an Oxigraph store on disk, any other store or an rdflib ``Dataset`` (copied into
a scratch directory as N-Quads), or a writable copy where SPARQL Update may change it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .requests import StoreSource

__all__ = ["store_source"]


def store_source(store: Any, scratch: Path, *, project_root: str | None = None, writable: bool = False) -> StoreSource:
    """What each worker opens for ``store``: the directory of a built Oxigraph store (a :class:`~pathlib.Path`,
    served in place, read-only), an Oxigraph store on disk (the same), or any other kgtool store or rdflib
    ``Dataset`` (copied to ``scratch`` as N-Quads, loaded by each worker); with ``writable``, a writable copy
    in ``scratch``, never the store itself (blocking).

    Raises:
        UsageError: ``store`` is none of these.
    """
    from rdflib import Dataset

    from ..errors import UsageError
    from ..stores.base import Store

    path: Path | None = None
    nquads: Path | None = None
    if isinstance(store, Path):
        path = store
    elif getattr(store, "path", None) is not None and getattr(store, "name", "") == "oxigraph":
        path = Path(store.path).resolve()
    elif isinstance(store, (Store, Dataset)):
        dataset = store.dataset() if isinstance(store, Store) else store
        nquads = scratch / "graph.nq"
        dataset.serialize(destination=str(nquads), format="nquads", encoding="utf-8")
    else:
        raise UsageError(f"cannot serve {type(store).__name__}: give a store path, a Store or an rdflib Dataset")
    if not writable:
        return StoreSource(
            path=str(path) if path else None, nquads=str(nquads) if nquads else None, project_root=project_root
        )
    # Updates change a writable copy in the scratch directory, never the built store.
    import pyoxigraph as ox

    copy = scratch / "writable-store"
    target = ox.Store(str(copy))
    if nquads is not None:
        target.load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    else:
        source = ox.Store.read_only(str(path))
        target.load(source.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
        del source
    target.flush()
    del target
    return StoreSource(path=str(copy), writable=True, project_root=project_root)
