"""Where kgtool finds the ontology, data and queries, and where it keeps the built store."""

from __future__ import annotations

import functools
import os
import stat
from dataclasses import dataclass
from pathlib import Path

__all__ = ["FileState", "ProjectPaths", "data_home", "file_state", "project_paths", "store_path"]

_PACKAGE_DIR = Path(__file__).resolve().parent


#: A file's state as far as reading it again goes: inode, size, modification and change time (ns).
FileState = tuple[int, int, int, int]


def file_state(path: str | os.PathLike[str]) -> FileState | None:
    """The state of the regular file at ``path`` (None when there is none): what is read from it is read
    again when this changes."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


@dataclass(frozen=True)
class ProjectPaths:
    """The source directories of the graph: ``ontology/``, ``graph/`` and ``queries/``."""

    root: Path

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def ontology_file(self) -> Path:
        return self.ontology_dir / "sz20plus8.ttl"

    @property
    def shapes_file(self) -> Path:
        return self.ontology_dir / "shapes.ttl"

    @property
    def rules_dir(self) -> Path:
        return self.ontology_dir / "rules"

    @property
    def graph_dir(self) -> Path:
        return self.root / "graph"

    @functools.cached_property  # read on every run of a named query
    def queries_dir(self) -> Path:
        return self.root / "queries"

    def edits_stamp(self) -> str:
        """The named queries and the shapes as they are now on disk (each file's name, modification time and
        size): what a running server reads from the project and a developer may edit while it runs, so that
        what is made from them is made again when this changes."""
        try:
            entries = sorted(
                (entry.name, entry.stat())
                for entry in os.scandir(self.queries_dir)
                if entry.name.endswith(".rq") and entry.is_file()
            )
        except OSError:
            entries = []
        if self.shapes_file.is_file():
            entries.append((self.shapes_file.name, self.shapes_file.stat()))
        return "|".join(f"{name}:{stat.st_mtime_ns}:{stat.st_size}" for name, stat in entries)


def _checkout_root() -> Path | None:
    """The repository root when kgtool runs from a source checkout (an editable install)."""
    root = _PACKAGE_DIR.parent
    if (root / "pyproject.toml").is_file() and (root / "graph").is_dir():
        return root
    return None


def project_paths() -> ProjectPaths:
    """The directories of the ontology, data and queries shipped with this kgtool.

    From a source checkout they are the checkout's own directories; from a wheel they are the copies
    packaged under ``kgtool/_data``.
    """
    root = _checkout_root()
    return ProjectPaths(root if root is not None else _PACKAGE_DIR / "_data")


def data_home() -> Path:
    """Where ``kgtool build`` writes the embedded store.

    ``$KGTOOL_HOME`` if set; else ``build/`` in a source checkout; else ``$XDG_DATA_HOME/sz20plus8``
    (``~/.local/share/sz20plus8``).
    """
    env = os.environ.get("KGTOOL_HOME")
    if env:
        return Path(env).expanduser()
    root = _checkout_root()
    if root is not None:
        return root / "build"
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "sz20plus8"


def store_path(home: Path | str | None = None) -> Path:
    """The path of the current embedded store under ``home`` (default: :func:`data_home`): a link to the
    last good build (see :mod:`kgtool.build`)."""
    return Path(home or data_home()) / "store"
