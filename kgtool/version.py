"""The version of the installed ``sz20plus8`` distribution (``kgtool.__version__``).

A module of its own, importing nothing of kgtool, so that any module can name the version without
importing the package (whose ``__init__`` imports the library).
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["package_version"]


@lru_cache(maxsize=1)
def package_version() -> str:
    """The installed version of ``sz20plus8`` (``0.0.0`` when running from a tree that is not installed)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("sz20plus8")
    except PackageNotFoundError:  # pragma: no cover - a tree that is not installed
        return "0.0.0"
