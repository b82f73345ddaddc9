"""Bad files and stores end in a clear error (file, line, cause; exit 2), never a traceback (issue 8, part 4).

Also: builds in one home are serialised by a lock, a killed build's leftovers are cleaned up, the store
link is followed once per open (a build swapping it meanwhile cannot mix two stores), a corrupt store
is a StoreError, and kgtool.open() and kgtool.build() take strings as well as paths.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import kgtool
from kgtool.authoring import compile_graph
from kgtool.build import build_lock, store_path
from kgtool.cli import main
from kgtool.errors import DataError, KgError, StoreError
from kgtool.paths import project_paths
from kgtool.stores.oxigraph import OxigraphStore
from kgtool.utf8 import read_utf8

GRAPH = project_paths().graph_dir


def _sources() -> str:
    return (GRAPH / "sources.csv").read_text(encoding="utf-8")


def _observation(**cells: str) -> str:
    rows = list(csv.reader(io.StringIO((GRAPH / "observations.csv").read_text(encoding="utf-8"))))
    header, row = rows[0], rows[1]
    for key, value in cells.items():
        row[header.index(key)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, row])
    return out.getvalue()


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# Each case: file name, its bytes, the line the error must name, and words of the cause.
_SOURCES = _sources()
_CHINESE_LINE = next(
    n for n, line in enumerate(_SOURCES.splitlines(), 1) if any("\u4e00" <= c <= "\u9fff" for c in line)
)
CASES = {
    "gb18030": ("sources.csv", _SOURCES.encode("gb18030"), _CHINESE_LINE, "not UTF-8"),
    "latin-1": (
        "sources.csv",
        _SOURCES.encode("utf-8") + "x,caf\u00e9\n".encode("latin-1"),
        _SOURCES.count("\n") + 1,
        "not UTF-8: byte 0xe9",
    ),
    "truncated": (
        "sources.csv",
        _SOURCES.encode("utf-8") + "深".encode()[:2],
        _SOURCES.count("\n") + 1,
        "ends in the middle of a UTF-8 character",
    ),
    "huge cell": (
        "sources.csv",
        (_SOURCES + 'x,"' + "a" * 200_000 + '",p,2020,,news-report,en,\n').encode(),
        _SOURCES.count("\n") + 1,
        "cell is longer than 131072 characters",
    ),
    "huge decimal": (
        "observations.csv",
        _observation(reported_value="1e999999999").encode(),
        2,
        "number out of range: reported_value '1e999999999'",
    ),
    "huge multiplier": (
        "observations.csv",
        _observation(unit_multiplier="999999999").encode(),
        2,
        "number out of range",
    ),
    "infinite": ("observations.csv", _observation(reported_value="Infinity").encode(), 2, "number out of range"),
    "turtle": ("extra.ttl", b'@prefix ex: <http://example.org/> .\nex:a ex:b "caf\xe9" .\n', 2, "not UTF-8"),
    "toml": (
        "versions.toml",
        (GRAPH / "versions.toml").read_bytes() + b"\n# \xff\n",
        (GRAPH / "versions.toml").read_bytes().count(b"\n") + 2,
        "not UTF-8: byte 0xff",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_file_is_a_data_error_naming_file_line_and_cause(case: str, tmp_path: Path) -> None:
    name, data, line, cause = CASES[case]
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(DataError) as caught:
        compile_graph(GRAPH, [path])
    assert (caught.value.path, caught.value.line) == (path, line)
    assert cause in caught.value.cause


@pytest.mark.parametrize("case", ["gb18030", "huge cell", "huge decimal"])
def test_cli_exits_2_with_the_place_and_no_traceback(case: str, tmp_path: Path) -> None:
    name, data, line, cause = CASES[case]
    path = tmp_path / name
    path.write_bytes(data)
    done = subprocess.run(
        [sys.executable, "-m", "kgtool.cli", "validate", str(path)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 2
    assert done.stderr.startswith(f"kgtool: {path}:{line}: ")
    assert cause in done.stderr
    assert "Traceback" not in done.stderr


def test_a_byte_order_mark_is_read_as_utf8(tmp_path: Path) -> None:
    path = tmp_path / "sources.csv"
    path.write_bytes(b"\xef\xbb\xbf" + _SOURCES.encode("utf-8"))
    assert read_utf8(path) == _SOURCES
    assert len(compile_graph(GRAPH, [path])) == len(compile_graph(GRAPH))


def test_cli_query_file_that_is_not_utf8_exits_2(
    tmp_path: Path, built_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "q.rq"
    path.write_bytes(b'SELECT * WHERE { ?s ?p "caf\xe9" }')
    assert main(["sparql", str(path), "--home", str(built_home)]) == 2
    assert f"{path}:1: not UTF-8" in capsys.readouterr().err


# -- builds -----------------------------------------------------------------------------------------------


def test_a_second_build_is_refused_while_one_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with build_lock(tmp_path):
        with pytest.raises(StoreError, match=f"another build is running in {tmp_path} \\(pid {os.getpid()}\\)"):
            kgtool.build(tmp_path, validate=False)
        assert main(["build", "--no-validate", "--home", str(tmp_path)]) == 2
        assert "another build is running" in capsys.readouterr().err
    assert not store_path(tmp_path).exists()


def test_a_build_can_wait_for_the_running_one(tmp_path: Path) -> None:
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with build_lock(tmp_path):
            held.set()
            release.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait(10)
    threading.Timer(0.5, release.set).start()
    result = kgtool.build(str(tmp_path), validate=False, wait=30)  # a str home
    thread.join()
    assert result.triples > 0


def test_concurrent_builds_one_wins_the_others_exit_2(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "kgtool.cli", "build", "--no-validate", "--home", str(tmp_path)]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    results = [(run.wait(timeout=300), run.stderr.read()) for run in runs]
    for run in runs:
        run.stdout.close()
        run.stderr.close()
    codes = sorted(code for code, _ in results)
    assert codes[0] == 0
    assert all(code in (0, 2) for code in codes)
    for code, err in results:
        assert "Traceback" not in err
        if code == 2:
            assert "another build is running" in err
    with kgtool.open("oxigraph", home=tmp_path) as kg:
        assert len(kg.store) > 0


def test_a_build_removes_what_a_killed_build_left(tmp_path: Path) -> None:
    staging = tmp_path / "stores" / "0123456789abcdef.k1ll3d.tmp"
    (staging / "oxigraph").mkdir(parents=True)
    (staging / "oxigraph" / "000001.sst").write_bytes(b"half written")
    link = tmp_path / ".store.4242.tmp"
    link.symlink_to("stores/gone")
    kgtool.build(tmp_path, validate=False)
    assert not staging.exists()
    assert not link.is_symlink()


def test_a_store_that_cannot_be_written_is_a_store_error(tmp_path: Path) -> None:
    (tmp_path / "stores").write_text("not a directory")
    with pytest.raises(StoreError, match="cannot write the store"):
        kgtool.build(tmp_path, validate=False)


# -- opening stores ---------------------------------------------------------------------------------------


def test_the_store_link_is_followed_once_per_open(tmp_path: Path) -> None:
    """A build swapping the link while a reader opens the store must not mix files of two builds."""
    kgtool.build(tmp_path, validate=False)
    first = store_path(tmp_path).resolve()
    extra = tmp_path / "more.ttl"
    extra.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n", encoding="utf-8")
    kgtool.build(tmp_path, validate=False, extra=[str(extra)])
    second = store_path(tmp_path).resolve()
    assert first != second and first.is_dir()
    stop = threading.Event()

    def flip() -> None:
        temp = tmp_path / ".flip"
        target = True
        while not stop.is_set():
            temp.unlink(missing_ok=True)
            temp.symlink_to(first if target else second)
            os.replace(temp, store_path(tmp_path))
            target = not target

    thread = threading.Thread(target=flip, daemon=True)
    thread.start()
    sizes, errors = set(), []
    try:
        for _ in range(150):
            try:
                store = OxigraphStore(store_path(tmp_path))
                sizes.add(len(store))
                store.close()
            except KgError as error:
                errors.append(str(error))
    finally:
        stop.set()
        thread.join(10)
    assert errors == []
    assert len(sizes) <= 2


def test_a_corrupt_store_is_a_store_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corrupt = tmp_path / "store"
    corrupt.mkdir()
    (corrupt / "CURRENT").write_text("garbage\n")  # RocksDB: "Corruption: CURRENT file corrupted"
    with pytest.raises(StoreError, match="cannot open the Oxigraph store"):
        kgtool.open("oxigraph", home=str(tmp_path))
    assert main(["stats", "--home", str(tmp_path)]) == 2
    assert "cannot open the Oxigraph store" in capsys.readouterr().err


def test_open_takes_strings(built_home: Path) -> None:
    with kgtool.open("oxigraph", home=str(built_home), paths=str(project_paths().root)) as kg:
        assert kg.stats().triples == len(kg.store)
        assert len(kg.query("counts")) > 0  # the named queries are found under the str root
    with pytest.raises(KgError):
        kgtool.open("oxigraph", home=str(built_home / "nowhere"))
