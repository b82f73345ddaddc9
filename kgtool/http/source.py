"""What each query worker of the server opens (:class:`~kgtool.workers.requests.StoreSource`), decided from the
server's configuration by :func:`prepare_source`, which copies the store into a scratch directory where it must."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..workers.requests import StoreSource

if TYPE_CHECKING:
    from .config import ServerConfig

__all__ = ["prepare_source"]


def prepare_source(config: ServerConfig, scratch: Path) -> StoreSource:
    """Decide what each worker opens; copy the store into ``scratch`` where it must be (blocking)."""
    from rdflib import Dataset

    from ..errors import NotBuiltError, UsageError
    from ..stores.base import Store

    root = str(config.paths.root) if config.paths else None
    store = config.store
    path: Path | None = None
    nquads: Path | None = None
    if store is None or isinstance(store, (str, Path)):
        path = config.store_path()
        if not path.is_dir():
            raise NotBuiltError(f"no built store at {path}: run 'kgtool build' first")
        path = path.resolve()  # a rebuild swaps the link; the server keeps serving the store it started with
    elif getattr(store, "path", None) is not None and getattr(store, "name", "") == "oxigraph":
        path = Path(store.path).resolve()
    elif isinstance(store, (Store, Dataset)):
        dataset = store.dataset() if isinstance(store, Store) else store
        nquads = scratch / "graph.nq"
        dataset.serialize(destination=str(nquads), format="nquads", encoding="utf-8")
    else:
        raise UsageError(f"cannot serve {type(store).__name__}: give a store path, a Store or an rdflib Dataset")
    if not config.allow_update:
        return StoreSource(path=str(path) if path else None, nquads=str(nquads) if nquads else None, project_root=root)
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
    return StoreSource(path=str(copy), writable=True, project_root=root)
