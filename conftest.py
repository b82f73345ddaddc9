"""What the tests and the docstring examples share: the graph built once per session, and the slow groups.

A docstring example opens the graph as a user does after ``kgtool build`` (``kgtool.open()``): here it reads
the session's build (``$KGTOOL_HOME``), so that no example compiles the graph again.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import kgtool

#: The slow groups: a test marked with one of them is slow (pyproject.toml's markers; the default run leaves
#: them out).
SLOW_GROUPS = ("hermit", "cross_store", "browser", "load", "rdflib_engine", "processes", "pyld", "pyshacl")


@pytest.hookimpl(tryfirst=True)  # before -m deselects
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if any(item.get_closest_marker(group) for group in SLOW_GROUPS):
            item.add_marker(pytest.mark.slow)


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """How many processes ``-n auto`` (pyproject.toml's addopts) starts: xdist's count, one per core, for the
    default selection; none (one process) for a run that selects slow groups (``-m slow``, ``-m ""``,
    ``-m cross_store``...): their servers, browsers and load tests time what they start and share the SPARQL
    servers of .ci/servers.sh, so they run one at a time as before."""
    return None if config.option.markexpr == "not slow" else 0


@pytest.fixture(scope="session")
def built_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home directory holding a fresh build of the project's graph (the embedded Oxigraph store)."""
    home = tmp_path_factory.mktemp("home")
    kgtool.build(home)
    return home


@pytest.fixture(autouse=True)
def _examples_read_the_session_build(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if isinstance(request.node, pytest.DoctestItem):
        monkeypatch.setenv("KGTOOL_HOME", str(request.getfixturevalue("built_home")))
