"""Build the graph: compile the sources, validate them, and write the embedded store atomically.

The store lives in ``<home>/stores/<digest>`` and ``<home>/store`` is a symbolic link to the current
one. A build writes a new directory and then swaps the link in one ``rename``, so a build that fails
(bad data, a graph that does not conform, a crash) leaves the last good store untouched, and readers
never see a half-written one (they follow the link once per open: see
:class:`~kgtool.stores.oxigraph.OxigraphStore`).

Builds in one home are serialised by a lock (``<home>/.build.lock``): a second build started while
one runs is refused at once with a :class:`~kgtool.errors.StoreError` (exit 2), unless it is asked to
wait. The staging directories of a build that was killed are removed by the next build.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from .errors import PATH, DoesNotConformError, StoreError, check_arg
from .paths import ProjectPaths, data_home, project_paths, store_path
from .sources import source_graphs, union
from .stores.oxigraph import OxigraphStore
from .validate import DEFAULT_ENGINE, ValidationReport

__all__ = [
    "BuildResult",
    "build",
    "build_lock",
    "source_graphs",
    "union",
    "store_path",
    "hold_build",
    "BUILD_INFO",
    "BUILD_LOCK",
]

#: The file in a built store that records what it was built from.
BUILD_INFO = "build-info.json"
#: The lock file, in the home, that serialises builds.
BUILD_LOCK = ".build.lock"
_KEEP_PREVIOUS = 1


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote: the store's path, its size, and the validation report."""

    store: Path
    triples: int
    digest: str
    report: ValidationReport | None


@contextlib.contextmanager
def build_lock(home: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold the build lock of ``home`` (an advisory ``flock``, released if the process dies).

    Raises:
        StoreError: another build holds it, and it was not released within ``wait`` seconds.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: builds are not serialised
        yield
        return
    home.mkdir(parents=True, exist_ok=True)
    path = home / BUILD_LOCK
    with open(path, "a+") as handle:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    raise StoreError(
                        f"another build is running in {home} ({holder}): wait for it to finish, then build again"
                    ) from None
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)


def _remove_leftovers(home: Path) -> None:
    """Remove what a killed build left: staging directories and temporary links (the lock is held, so
    no build is writing them)."""
    stores = home / "stores"
    if stores.is_dir():
        for path in stores.iterdir():
            if path.name.endswith(".tmp") and path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
    for path in home.glob(".store.*.tmp"):
        path.unlink(missing_ok=True)


def _digest(paths: ProjectPaths, extra: Sequence[Path]) -> str:
    from .authoring import authoring_files

    digest = hashlib.sha256()
    for path in [paths.ontology_file, *authoring_files(paths.graph_dir, extra)]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def build(
    home: Path | str | None = None,
    *,
    paths: ProjectPaths | None = None,
    extra: Sequence[Path | str] = (),
    validate: bool = True,
    wait: float = 0.0,
    engine: str = DEFAULT_ENGINE,
) -> BuildResult:
    """Compile, validate and write the embedded Oxigraph store; swap it in only when all went well.

    Args:
        home: the directory that holds the store (default: :func:`kgtool.paths.data_home`).
        paths: where the ontology and data are (default: those shipped with kgtool).
        extra: more data files to build with (see :func:`kgtool.authoring.authoring_files`).
        validate: check the shapes and rules first, and refuse a graph that does not conform.
        wait: how long to wait, in seconds, for another build in the same home to finish.
        engine: the SHACL engine (see :func:`kgtool.validate.validate_graph`).

    Raises:
        DataError: the sources cannot be compiled.
        DoesNotConformError: the graph does not conform (its ``report`` says why).
        StoreError: another build is running, or the store cannot be written.
    """
    check_arg(home, PATH, "home", optional=True)
    check_arg(paths, ProjectPaths, "paths", optional=True)
    extra_paths = [Path(check_arg(p, PATH, "each of extra")) for p in check_arg(extra, (list, tuple), "extra")]
    check_arg(validate, bool, "validate")
    check_arg(wait, (int, float), "wait")
    check_arg(engine, str, "engine")
    paths = paths or project_paths()
    home = Path(home or data_home())
    with build_lock(home, wait):
        _remove_leftovers(home)
        return _build(home, paths, extra_paths, validate, engine)


def _build(home: Path, paths: ProjectPaths, extra: Sequence[Path], validate: bool, engine: str) -> BuildResult:
    from .validate import validate_sources

    graphs = source_graphs(paths, extra)
    report = None
    validated = None
    if validate:
        validated = ox.Store()  # the graphs as validated, written to disk as they are
        report = validate_sources(graphs, paths, engine=engine, into=validated)
        if not report.conforms:
            error = DoesNotConformError(report.text().rstrip())
            error.report = report  # type: ignore[attr-defined]
            raise error
    digest = _digest(paths, extra)
    try:
        return _write(home, graphs, digest, report, validated)
    except (OSError, RuntimeError) as error:  # a full disk, permissions, RocksDB's own errors
        if isinstance(error, RecursionError):
            raise
        raise StoreError(f"cannot write the store in {home}: {error}") from error


def _write(
    home: Path, graphs: dict[URIRef, Graph], digest: str, report: ValidationReport | None, validated: ox.Store | None
) -> BuildResult:
    stores = home / "stores"
    stores.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{digest}.", suffix=".tmp", dir=stores))
    try:
        store = OxigraphStore(staging / "oxigraph", writable=True)
        if validated is not None:
            store.native.load(validated.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
            store.native.flush()
        else:
            store.replace(graphs)
        triples = len(store)
        store.close()
        del store
        info = {"digest": digest, "triples": triples, "graphs": [str(g) for g in graphs]}
        (staging / BUILD_INFO).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
        final = stores / f"{digest}-{os.getpid()}-{staging.name.split('.')[1]}"
        staging.rename(final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    link = store_path(home)
    temp_link = home / f".store.{os.getpid()}.tmp"
    if temp_link.is_symlink() or temp_link.exists():
        temp_link.unlink()
    temp_link.symlink_to(Path("stores") / final.name / "oxigraph")
    os.replace(temp_link, link)  # the one atomic step
    _prune(stores, keep={final.name})
    return BuildResult(link, triples, digest, report)


def _prune(stores: Path, keep: set[str]) -> None:
    """Remove older builds, keeping the newest few (a reader may still have one open)."""
    builds = sorted(
        (p for p in stores.iterdir() if p.is_dir() and p.name not in keep and not p.name.endswith(".tmp")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in builds[_KEEP_PREVIOUS:]:
        _remove_unless_held(old)


def hold_build(store: Path) -> int | None:
    """Keep the build holding ``store`` (a store directory inside ``<home>/stores/``) from being pruned
    while the returned descriptor is open (a running server holds the build it serves). The hold is a
    shared ``flock`` on the build's directory, so it ends with the process however the process ends.
    ``None`` (nothing held) for a store that is not a build."""
    import fcntl

    build_dir = store.resolve().parent
    if not (build_dir / BUILD_INFO).is_file():
        return None
    fd = os.open(build_dir, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_SH)
    return fd


def _remove_unless_held(build_dir: Path) -> None:
    """Remove an old build, unless a process holds it (see :func:`hold_build`)."""
    import fcntl

    try:
        fd = os.open(build_dir, os.O_RDONLY)
    except OSError:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return  # in use: a later build prunes it once it is free
    try:
        shutil.rmtree(build_dir, ignore_errors=True)
    finally:
        os.close(fd)
