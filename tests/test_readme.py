"""The README tells the truth: its quickstart output, its Python example and its commands."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from kgtool.cli import build_parser, main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    """The README's fenced code blocks of ``language`` ("" for blocks with none)."""
    blocks, current, fence = [], [], None
    for line in README.splitlines(keepends=True):
        if line.startswith("```"):
            if fence is None:
                fence, current = line[3:].strip(), []
            else:
                if fence == language:
                    blocks.append("".join(current))
                fence = None
        elif fence is not None:
            current.append(line)
    return blocks


def test_the_quickstart_output_is_what_build_prints(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    printed = next(b for b in _blocks("") if b.startswith("triples"))
    assert main(["build", "--home", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert out == printed
    assert err == f"built {tmp_path / 'store'} ({printed.split()[1]} triples)\n"


def test_the_python_example_runs(
    built_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KGTOOL_HOME", str(built_home))
    (code,) = _blocks("python")
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 - the README's own example
    kg = namespace["kg"]
    assert namespace["report"].conforms
    expected = re.search(r"\.rows\s+# (.*)", code).group(1)
    assert repr(kg.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows) == expected
    assert "cluster/network-and-communications" in capsys.readouterr().out


def test_every_command_in_the_readme_exists() -> None:
    commands = {line.split()[1] for block in _blocks("sh") for line in block.splitlines() if line.startswith("kgtool ")}
    commands |= set(re.findall(r"\| `kgtool (\w+)", README))
    known = set(build_parser()._subparsers._group_actions[0].choices)  # noqa: SLF001
    assert commands <= known
    assert {
        "build",
        "validate",
        "reason",
        "stats",
        "export",
        "queries",
        "query",
        "sparql",
        "diff",
        "lineage",
        "serve",
        "push",
    } <= commands


@pytest.mark.parametrize(
    "line",
    [
        line
        for block in _blocks("sh")
        for line in block.splitlines()
        if line.startswith(("kgtool query", "kgtool diff", "kgtool lineage")) and "--endpoint" not in line
    ],
)  # remote stores: tests/test_cross_backend.py
def test_the_example_questions_answer(line: str, built_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = shlex.split(line.split("#")[0])[1:]
    assert main([*argv, "--home", str(built_home)]) == 0
    assert capsys.readouterr().out.count("\n") > 2


_OUTPUT_EXAMPLE = re.compile(r"```sh\n(kgtool [^\n]+)\n```\n\n((?:\|[^\n]*\n)+)")


@pytest.mark.parametrize(("command", "output"), _OUTPUT_EXAMPLE.findall(README), ids=lambda v: v[:60])
def test_the_readme_shows_real_output(
    command: str, output: str, built_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A table shown right after a command is what the command prints on the graph as built."""
    assert main([*shlex.split(command)[1:], "--home", str(built_home)]) == 0
    assert capsys.readouterr().out == output


def test_the_readme_shows_what_3_0_plans_for_semiconductors() -> None:
    assert any("announcement-by-cluster" in command for command, _ in _OUTPUT_EXAMPLE.findall(README))


def test_every_image_the_readme_shows_is_in_the_repository() -> None:
    root = Path(__file__).resolve().parents[1]
    images = re.findall(r"!\[[^\]]+\]\(([^)]+\.png)\)", README)
    assert images, "the README shows its screenshots"
    assert [image for image in images if not (root / image).is_file()] == []
