"""The package's rooms stay small: no module of kgtool over 800 lines, no function over 80 lines unless a
comment says why.

A function may be longer where splitting it would hide what it does (a table-like dispatch, say): the line
just above its ``def`` (or its first decorator) is then a comment ``# long: <why>``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import kgtool

PACKAGE = Path(kgtool.__file__).parent
MODULE_LINES = 800
FUNCTION_LINES = 80
MARKER = "# long:"


def _sources() -> dict[str, str]:
    """Every module of kgtool (its vendored third-party code left out), by its path inside the package."""
    return {
        str(path.relative_to(PACKAGE)): path.read_text(encoding="utf-8")
        for path in sorted(PACKAGE.rglob("*.py"))
        if "vendor" not in path.parts
    }


def long_functions(source: str) -> list[tuple[str, int, int, str]]:
    """(name, first line, length in lines, the reason given or "") of each function or method over
    :data:`FUNCTION_LINES` lines in ``source``, decorators counted, nested functions measured on their own."""
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        first = min([node.lineno] + [d.lineno for d in node.decorator_list])
        length = (node.end_lineno or node.lineno) - first + 1
        if length > FUNCTION_LINES:
            above = lines[first - 2].strip() if first >= 2 else ""
            reason = above[len(MARKER) :].strip() if above.startswith(MARKER) else ""
            found.append((node.name, first, length, reason))
    return found


def test_the_check_finds_a_long_function_and_reads_its_reason():
    body = "".join(f"    x{i} = {i}\n" for i in range(FUNCTION_LINES))
    assert long_functions(f"def short():\n    pass\n\n\ndef long():\n{body}") == [("long", 5, 81, "")]
    marked = (
        f"class C:\n    # long: one step per field, in the file's order\n    @staticmethod\n    def read():\n{body}"
    )
    assert long_functions(marked.replace("\n    x", "\n        x")) == [
        ("read", 3, 82, "one step per field, in the file's order")
    ]


def test_no_module_over_800_lines():
    sizes = {name: len(text.splitlines()) for name, text in _sources().items()}
    assert sizes, "no modules found"
    assert {name: n for name, n in sizes.items() if n > MODULE_LINES} == {}


def test_no_function_over_80_lines_without_a_reason():
    unexplained = [
        f"{name}:{first} {function} ({length} lines)"
        for name, text in _sources().items()
        for function, first, length, reason in long_functions(text)
        if not reason
    ]
    assert unexplained == []
