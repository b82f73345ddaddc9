"""The command line as a newcomer meets it: options in either place, one-line errors, a hint when lost."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kgtool import cli
from kgtool.cli import GLOBAL_OPTIONS, main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    "argv",
    [
        ["--home", "{home}", "stats"],
        ["stats", "--home", "{home}"],
        ["--store", "oxigraph", "--home", "{home}", "stats"],
        ["--home", "{home}", "stats", "--store", "oxigraph"],
    ],
    ids=["before", "after", "both-before", "split"],
)
def test_global_options_work_before_and_after_the_command(
    built_home: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    code, out, err = run(capsys, *(a.replace("{home}", str(built_home)) for a in argv))
    assert (code, err) == (0, "")
    assert out.startswith("triples ")


def test_an_option_after_the_command_wins_over_the_same_before_it(
    built_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "--home", str(tmp_path), "stats", "--home", str(built_home))[0] == 0
    code, _, err = run(capsys, "--home", str(built_home), "stats", "--home", str(tmp_path))
    assert code == 2 and f"no built store at {tmp_path}" in err


def test_a_global_option_before_a_command_that_does_not_take_it_is_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "--endpoint", "http://127.0.0.1:9/query", "build")
    assert (code, out) == (2, "")
    assert err == "kgtool: build: --endpoint does not apply to this command (see 'kgtool build --help')\n"


def test_every_global_option_is_taken_by_the_commands_that_read_the_graph() -> None:
    parser = cli.build_parser()
    commands = parser._subparsers._group_actions[0].choices  # noqa: SLF001
    for name in ("stats", "export", "query", "diff", "lineage", "sparql", "serve", "draft"):
        options = {o for action in commands[name]._actions for o in action.option_strings}  # noqa: SLF001
        assert set(GLOBAL_OPTIONS) <= options, name


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["stats", "--bogus"], "kgtool: stats: unrecognized arguments: --bogus (see 'kgtool stats --help')"),
        (["--bogus"], "kgtool: unrecognized arguments: --bogus (see 'kgtool --help')"),
        (["export", "--format", "n3"], "kgtool: export: argument --format: invalid choice: 'n3'"),
        (["frobnicate"], "kgtool: argument COMMAND: invalid choice: 'frobnicate'"),
        (["push"], "kgtool: push: the following arguments are required: --endpoint URL"),
    ],
)
def test_usage_errors_have_one_kgtool_prefix(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert err.startswith(message), err
    assert err.count("kgtool:") == 1 and err.count("\n") == 1


def test_bare_kgtool_prints_usage_and_where_to_start(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys)
    assert (code, out) == (2, "")
    assert err.startswith("usage: kgtool ")
    assert "kgtool: no command given. Start with 'kgtool build'" in err
    assert "'kgtool --help' lists every command" in err


def test_endpoint_options_without_an_endpoint_are_refused(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run(capsys, "stats", "--store", "oxigraph", "--graph", "urn:x", "--user", "me")
    assert code == 2
    assert err == "kgtool: --user, --graph: options of a remote store: use them with --endpoint URL\n"
    monkeypatch.delenv("KGTOOL_ENDPOINT", raising=False)
    code, _, err = run(capsys, "stats", "--graph", "urn:x")  # the sparql store, which has no URL yet
    assert (code, err) == (2, "kgtool: the sparql store needs a query URL: --endpoint URL (or $KGTOOL_ENDPOINT)\n")


def _boom(args: object) -> int:
    """A command with a bug."""
    raise RuntimeError("the disk\nis on fire")


def test_an_unexpected_error_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "cmd_queries", _boom)
    code, out, err = run(capsys, "queries")
    assert (code, out) == (2, "")
    assert err == ("kgtool: unexpected error: RuntimeError: the disk is on fire (run with --debug for the traceback)\n")


def test_debug_adds_the_traceback(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(cli, "cmd_queries", _boom)
    code, _, err = run(capsys, "--debug", "queries")
    assert code == 2
    assert err.startswith("Traceback (most recent call last):")
    assert "in _boom" in err
    assert err.endswith("kgtool: unexpected error: RuntimeError: the disk is on fire\n")


def test_a_query_file_that_is_not_text_is_a_usage_error(tmp_path: Path) -> None:
    """In a process of its own: a query file that is not text is a one-line usage error, not a crash."""
    query = tmp_path / "q.rq"
    query.write_bytes(b"\xff\xfe not utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "kgtool.cli", "sparql", str(query), "--store", "memory"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith(f"kgtool: {query}") and "UTF-8" in done.stderr
    assert done.stderr.count("\n") == 1


def test_every_argument_is_written_once_and_taken_by_a_command() -> None:
    from kgtool.cli_arguments import ARGUMENTS, GROUPS

    taken = {name for _, takes in cli._COMMANDS for name in takes}  # noqa: SLF001
    in_groups = {member for group in GROUPS.values() for member in group}
    assert {name[1:] for name in taken if name.startswith("@")} <= set(GROUPS)
    assert set(ARGUMENTS) == {name for name in taken if not name.startswith("@")} | in_groups
    # one entry per option with the same flags and settings (two entries differ in help, choices or default)
    written = [repr((flags, sorted(settings.items()))) for flags, settings in ARGUMENTS.values()]
    assert len(written) == len(set(written))
    parser = cli.build_parser()
    commands = parser._subparsers._group_actions[0].choices  # noqa: SLF001
    assert list(commands) == [name for name, _ in cli._COMMANDS]  # noqa: SLF001
