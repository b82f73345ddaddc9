"""docs/CONTRIBUTING.md's table of where each change goes says what each change really costs: the files it
names exist, every module that lists the event types is among the places it gives for a new one, a new
named query is one file, and each command is one function and one line."""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import kgtool
from kgtool.authoring.compiler import COMPILERS
from kgtool.authoring.files import kind_of
from kgtool.ontology import event_type_iris
from kgtool.paths import ProjectPaths, project_paths

ROOT = Path(__file__).resolve().parents[1]
GUIDE = (ROOT / "docs" / "CONTRIBUTING.md").read_text(encoding="utf-8")
NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _row(change: str) -> str:
    """The row of the table for ``a new **change**``."""
    found = [line for line in GUIDE.splitlines() if line.startswith(f"| a new **{change}**")]
    assert len(found) == 1, change
    return found[0]


def test_every_file_the_guide_names_exists() -> None:
    named = set(re.findall(r"`((?:kgtool|tests|ontology|queries|docs|bench|graph)/[^`*… ]*)`", GUIDE))
    placeholders = re.compile(r"NAME|VERSION|\*")
    missing = [path for path in sorted(named) if not placeholders.search(path) and not (ROOT / path).exists()]
    assert missing == []


def _lists_every(slugs: set[str], path: Path) -> bool:
    """Whether a module writes out a table (a dict, list, tuple or set) holding every event type's slug."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, (ast.Dict, ast.List, ast.Tuple, ast.Set)):
            words = {n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
            if slugs <= words:
                return True
    return False


def test_the_cost_of_a_new_event_type_names_every_module_that_lists_them() -> None:
    slugs = set(event_type_iris())
    package = Path(kgtool.__file__).parent
    listing = sorted(
        str(path.relative_to(ROOT))
        for path in package.rglob("*.py")
        if "vendor" not in path.parts and _lists_every(slugs, path)
    )
    row = _row("event type")
    assert [path for path in listing if f"`{path}`" not in row] == []
    # the ontology's class and its shape, and one more place for each module that lists the types
    assert f"today {NUMBERS[2 + len(listing)]} places" in row


def test_a_new_event_type_in_the_ontology_is_compiled_with_no_other_change(tmp_path: Path) -> None:
    from rdflib import URIRef
    from rdflib.namespace import RDF

    from kgtool.authoring import compile_graph

    paths = project_paths()
    ontology = tmp_path / "sz20plus8.ttl"
    ontology.write_text(
        paths.ontology_file.read_text(encoding="utf-8")
        + '\nsz:Split a owl:Class ; sz:slug "split" ; sz:listOrder 8 ; rdfs:label "split"@en ;\n'
        '    skos:definition "A cluster divided into two."@en ; rdfs:subClassOf sz:ReclassificationEvent .\n',
        encoding="utf-8",
    )
    events = tmp_path / "events-2.0.toml"
    events.write_text(
        (paths.graph_dir / "events-2.0.toml").read_text(encoding="utf-8")
        + '\n[[event]]\nid = "split-marine-industry"\ntype = "split"\nfrom = ["marine-industry"]\n'
        'to = ["marine-industry"]\nlabel_en = "A test event"\ncertainty = "uncertain"\ncompeting = []\n\n'
        '[[event.source]]\nid = "163-com-2024"\nquote = "海洋产业"\n',
        encoding="utf-8",
    )
    graph = compile_graph(paths.graph_dir, [events], ontology)
    event = URIRef("https://w3id.org/sz20plus8/event/2.0/split-marine-industry")
    assert (event, RDF.type, URIRef("https://w3id.org/sz20plus8/def#Split")) in graph


def test_a_new_named_query_is_one_file(tmp_path: Path) -> None:
    paths = project_paths()
    queries = tmp_path / "queries"
    shutil.copytree(paths.queries_dir, queries)
    (queries / "cluster-count.rq").write_text(
        "#+ summary: How many clusters a version has\n"
        "#+ param: version\n#+   type: version\n#+   required: true\n#+   example: 2.0\n#+   doc: The version.\n"
        "#+ column: clusters\n#+   type: integer\n#+   doc: How many.\n"
        "PREFIX sz: <https://w3id.org/sz20plus8/def#>\n"
        "SELECT (COUNT(?m) AS ?clusters) WHERE { ?m a sz:Membership ; sz:version/sz:versionNumber ?version }\n",
        encoding="utf-8",
    )
    for name in ("ontology", "graph"):
        (tmp_path / name).symlink_to(paths.root / name)
    with kgtool.open("memory", paths=ProjectPaths(tmp_path)) as kg:
        assert "cluster-count" in kg.queries
        assert kg.query("cluster-count", version="2.0").rows == [(28,)]  # 20 + 8 (README)


def test_a_new_command_is_one_function_and_one_line() -> None:
    from kgtool import cli

    functions = sorted(name.removeprefix("cmd_") for name in vars(cli) if name.startswith("cmd_"))
    assert functions == sorted(name for name, _ in cli._COMMANDS)  # noqa: SLF001


def test_a_new_kind_of_data_file_is_compiled_by_one_line_of_compilers() -> None:
    kinds = [kind for kind, _ in COMPILERS]
    assert len(kinds) == len(set(kinds))
    for path in project_paths().graph_dir.iterdir():
        if path.is_file() and kind_of(path) is not None:
            assert kind_of(path) in kinds, path
