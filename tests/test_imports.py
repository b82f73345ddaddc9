"""The package's import graph, read from the source (every import: at the top of a module, inside a
function, under TYPE_CHECKING): no cycles, and no arrow from a lower layer up.

The layers, from the bottom: the stores, named queries and results; the library (compiling, building,
validating, drafting, ``kgtool.graph``); the surfaces (``kgtool.cli``, ``kgtool.server``, ``kgtool.web``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import kgtool

PACKAGE = Path(kgtool.__file__).parent

#: Modules that make up the bottom layer: they never import the build, the server or the pages.
LOWER = ("kgtool.stores", "kgtool.queries", "kgtool.results", "kgtool.sparql", "kgtool.formats")
#: What the lower layer must never import.
HIGHER = ("kgtool.build", "kgtool.server", "kgtool.web", "kgtool.cli", "kgtool.graph", "kgtool.draft")
#: Surfaces: nothing of the library imports them.
SURFACES = ("kgtool.cli", "kgtool.cli_arguments", "kgtool.server", "kgtool.web")
#: The HTTP server and the pages (two packages) still import each other, though no two of their modules do;
#: issue 20 untangles them into one application (its HTTP half). Until then the cycle of these two packages
#: is left out of the check between packages, and only theirs.
UNTANGLING = ("kgtool.server", "kgtool.web")


def _within(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def _modules() -> dict[str, Path]:
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        if "vendor" in path.parts:
            continue
        parts = ("kgtool", *path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The kgtool modules ``name`` imports anywhere in its source."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            # ``from . import formats`` imports the module kgtool.formats; ``from .x import name``, module x
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


#: Arrows up that are known and named here, each with why, until they go: kgtool.timelimit (the library's
#: time limit on queries) runs a query in the server's worker pool, which lives in kgtool.server.workers until
#: issue 20's HTTP half moves the pool out of the server; this makes a cycle
#: graph -> timelimit -> server.workers -> web.data -> graph, and the library import a surface.
KNOWN_ARROWS_UP = {
    ("kgtool.timelimit", "kgtool.server.workers"),
    ("kgtool.timelimit", "kgtool.server.config"),
}


def import_graph() -> dict[str, set[str]]:
    """Every kgtool module and the kgtool modules it imports, less :data:`KNOWN_ARROWS_UP`."""
    modules = _modules()
    return {
        name: {target for target in _imports(name, path, modules) if (name, target) not in KNOWN_ARROWS_UP}
        for name, path in modules.items()
    }


def test_the_known_arrows_up_are_still_there() -> None:
    """Each exception above names an import that exists (remove it from the list when the import goes)."""
    modules = _modules()
    for name, target in KNOWN_ARROWS_UP:
        assert target in _imports(name, modules[name], modules), (name, target)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_is_read_from_every_kind_of_import():
    graph = import_graph()
    assert "kgtool.authoring.compiler" in graph["kgtool.authoring"]  # from .compiler import ... (package)
    assert "kgtool.formats" in graph["kgtool.cli"]  # from . import formats
    assert "kgtool.sources" in graph["kgtool.stores.memory"]  # inside a method
    assert "kgtool.draft" in graph["kgtool.graph"]  # under TYPE_CHECKING and inside a method


def test_a_cycle_would_be_found():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_between_modules():
    assert _cycles(import_graph()) == []


def _package(module: str) -> str:
    """The top-level part of kgtool a module belongs to: ``kgtool.draft.rules`` -> ``kgtool.draft``."""
    return ".".join(module.split(".")[:2])


def test_no_import_cycles_between_packages():
    packages: dict[str, set[str]] = {}
    for name, targets in import_graph().items():
        for target in targets:
            if _package(target) != _package(name) and not (_within(name, UNTANGLING) and _within(target, UNTANGLING)):
                packages.setdefault(_package(name), set()).add(_package(target))
    assert _cycles(packages) == []


def test_the_lower_layer_never_imports_a_higher_one():
    arrows = [
        (name, target)
        for name, targets in import_graph().items()
        if _within(name, LOWER)
        for target in targets
        if _within(target, HIGHER)
    ]
    assert arrows == []


def test_the_library_never_imports_a_surface():
    arrows = [
        (name, target)
        for name, targets in import_graph().items()
        if not _within(name, SURFACES)
        for target in targets
        if _within(target, SURFACES)
    ]
    assert arrows == []
