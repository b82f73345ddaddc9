"""What each query worker of the server opens (:class:`~kgtool.workers.requests.StoreSource`), decided from the
server's configuration by :func:`prepare_source`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..workers.requests import StoreSource
from ..workers.source import store_source

if TYPE_CHECKING:
    from .config import ServerConfig

__all__ = ["prepare_source"]


def prepare_source(config: ServerConfig, scratch: Path) -> StoreSource:
    """Decide what each worker opens; copy the store into ``scratch`` where it must be (blocking).

    Raises:
        NotBuiltError: the configuration names the built store, and there is none.
        UsageError: the configuration's store is no store.
    """
    from ..errors import NotBuiltError

    store = config.store
    if store is None or isinstance(store, (str, Path)):
        path = config.store_path()
        if not path.is_dir():
            raise NotBuiltError(f"no built store at {path}: run 'kgtool build' first")
        store = path.resolve()  # a rebuild swaps the link; the server keeps serving the store it started with
    root = str(config.paths.root) if config.paths else None
    return store_source(store, scratch, project_root=root, writable=config.allow_update)
