"""The ``kgtool`` command line: a thin layer over the library.

Results go to stdout, diagnostics to stderr. Exit codes: 0 ok, 1 does not conform, 2 bad input or
usage (and any unexpected error: one line, the traceback with ``--debug``), 3 an optional part missing
(see :mod:`kgtool.errors`). The global options (:data:`GLOBAL_OPTIONS`) may come before the command as
well as after it.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from . import formats
from .cli_arguments import STORE, add_argument
from .errors import EXIT_BAD_INPUT, EXIT_DOES_NOT_CONFORM, EXIT_OK, KgError, UsageError, exit_code_for
from .results import RESULT_FORMATS
from .version import package_version

__all__ = ["main", "build_parser", "GLOBAL_OPTIONS"]

Command = Callable[[argparse.Namespace], int]

#: Options that may come before the command as well as after it (``kgtool --home DIR stats``).
GLOBAL_OPTIONS = ("--home", "--store", "--endpoint")
#: Command-line options of a remote store, and the name of each among the sparql store's options.
_ENDPOINT_OPTIONS = {
    "endpoint": "endpoint",
    "update_endpoint": "update_endpoint",
    "store_endpoint": "store_endpoint",
    "user": "user",
    "password": "password",
    "graph": "graphs",
}
_HINT = (
    "kgtool: no command given. Start with 'kgtool build' (compile and check the graph), then 'kgtool stats' or "
    "'kgtool queries'; 'kgtool --help' lists every command."
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse exits 2 on usage errors, as documented
        command = self.prog.removeprefix("kgtool").strip()  # main() prefixes the one "kgtool: "
        raise UsageError(f"{command + ': ' if command else ''}{message} (see '{self.prog} --help')")


def _out(text: str | bytes, out: Path | None = None) -> None:
    """Write a result to ``out`` atomically (temp file + rename), or to stdout."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    import tempfile  # here: a command that prints to stdout need not import it

    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, _file_mode())  # mkstemp makes 0600: a web server running as another user could not serve it
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _file_mode() -> int:
    """The mode a written file gets: what ``open()`` would give a new file, 0666 less the umask (0644 under
    the usual umask 022)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _err(text: str) -> None:
    print(text, file=sys.stderr)


def _open(args: argparse.Namespace):  # noqa: ANN202 - a KnowledgeGraph
    """The graph in the store the options name, opened as the library opens every store."""
    from .graph import open_graph
    from .stores import store_class

    options = {name: value for dest, name in _ENDPOINT_OPTIONS.items() if (value := getattr(args, dest, None))}
    store = getattr(args, "store", None) or ("sparql" if options else None)
    if not set(options) <= set(store_class(store).options):
        given = ", ".join("--" + dest.replace("_", "-") for dest in _ENDPOINT_OPTIONS if getattr(args, dest, None))
        raise UsageError(f"{given}: options of a remote store: use them with --endpoint URL")
    return open_graph(store, home=getattr(args, "home", None), options=options)


# -- commands ---------------------------------------------------------------------------------------


def cmd_build(args: argparse.Namespace) -> int:
    """Compile graph/ and the ontology, validate, and write the embedded store (atomically)."""
    from .build import build
    from .graph import open_graph

    result = build(args.home, extra=args.paths, validate=not args.no_validate, wait=args.wait, engine=args.engine)
    _err(f"built {result.store} ({result.triples} triples)")
    with open_graph("oxigraph", home=args.home) as kg:
        _out(kg.stats().text())
    if result.report is not None:
        _out("conforms\n")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate the project graph, or the given data files together with it, against shapes and rules."""
    from .sources import source_graphs
    from .validate import validate_sources

    report = validate_sources(source_graphs(extra=args.paths), engine=args.engine)
    _out(report.to_json() + "\n" if args.format == "json" else report.text())
    return EXIT_OK if report.conforms else EXIT_DOES_NOT_CONFORM


def cmd_reason(args: argparse.Namespace) -> int:
    """Check the ontology and data for consistency with HermiT; optionally write OWL RL inferences."""
    from .reason import check_consistency, materialize
    from .sources import source_graphs, union

    graph = union(source_graphs())
    report = check_consistency(graph)
    _err(report.text().rstrip())
    if not report.consistent or report.unsatisfiable_classes:
        return EXIT_DOES_NOT_CONFORM
    if args.materialize:
        inferred = materialize(graph)
        _err(f"{len(inferred)} inferred triples")
        _out(inferred.serialize(format="longturtle", encoding="utf-8"), args.out)
    else:
        _out(report.text())
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    """Print a summary of the graph: triples, clusters per version and tier, events, figures, sources."""
    with _open(args) as kg:
        _out(kg.stats().text())
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    """Export the graph as Turtle, N-Triples, JSON-LD, RDF/XML, TriG or N-Quads."""
    with _open(args) as kg:
        _out(kg.export(args.format), args.out)
    return EXIT_OK


def cmd_queries(args: argparse.Namespace) -> int:
    """List the named queries with their summaries and parameters (or one query in full)."""
    from .paths import project_paths
    from .queries import load_queries

    queries = load_queries(project_paths().queries_dir)
    if args.name:
        if args.name not in queries:
            raise UsageError(f"unknown query {args.name!r}; known queries: {', '.join(queries)}")
        _out(_describe_query(queries[args.name]))
        return EXIT_OK
    lines = []
    for name, query in queries.items():
        lines.append(f"{name}\n    {query.summary}")
        for param in query.params:
            need = "required" if param.required else (f"default {param.default}" if param.default else "optional")
            example = f", e.g. {param.example}" if param.example else ""
            lines.append(f"    -p {param.name}=<{param.type}>  ({need}{example}) {param.doc}".rstrip())
    _out("\n".join(lines) + "\n")
    return EXIT_OK


def _describe_query(query) -> str:  # noqa: ANN001 - a NamedQuery
    """A named query's documentation: summary, description, parameters, columns and an example."""
    import textwrap

    lines = [f"{query.name}: {query.summary}", ""]
    if query.description:
        lines += [*textwrap.wrap(query.description, 100), ""]
    lines.append("parameters:" if query.params else "parameters: none")
    for param in query.params:
        need = "required" if param.required else (f"default {param.default}" if param.default else "optional")
        example = f", e.g. {param.example}" if param.example else ""
        lines.append(f"  {param.name} ({param.describe()}; {need}{example})")
        lines += [f"      {line}" for line in textwrap.wrap(param.doc, 94)]
    lines += ["", "columns:"]
    lines += [f"  {column.name:<18} {column.doc}".rstrip() for column in query.columns]
    lines += ["", f"example: {query.usage()}", f"file:    {query.path}"]
    return "\n".join(lines) + "\n"


def _params(pairs: Sequence[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"bad parameter {pair!r}: expected -p NAME=VALUE")
        params[key] = value
    return params


def cmd_query(args: argparse.Namespace) -> int:
    """Run a named query: kgtool query NAME -p key=value ... --format table|csv|tsv|json|md."""
    params = _params(args.param)
    if args.lang:
        params.setdefault("lang", args.lang)
    with _open(args) as kg:
        named = kg.named_query(args.name)
        if args.lang and "lang" not in {p.name for p in named.params}:
            params.pop("lang", None)
        result = kg.query(args.name, **params)
        _out(result.serialize(args.format))
    if result.kind == "select" and not result:  # counted without making the rows (which imports rdflib)
        _err(f"kgtool: no rows: nothing in the graph answers {args.name} with these parameters")
    return EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    """What changed between two versions: kgtool diff 1.0 2.0 (the named query version-diff)."""
    with _open(args) as kg:
        # the named query itself: kg.diff refuses versions given the wrong way round, which this command
        # answers with no rows and a note (below), as it always has
        result = kg.query("version-diff", old=args.old, new=args.new, lang=args.lang)
        _out(result.serialize(args.format))
    if not result:
        _err(
            f"kgtool: no changes recorded from {args.old} to {args.new}"
            + (
                " (the new version must come after the old one)"
                if _version_key(args.old) >= _version_key(args.new)
                else ""
            )
        )
    return EXIT_OK


def _version_key(number: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in number.split("."))
    except ValueError:
        return ()


def cmd_lineage(args: argparse.Namespace) -> int:
    """Where a cluster came from and what it became, through every version (the named query lineage)."""
    with _open(args) as kg:
        result = kg.lineage(args.cluster, lang=args.lang)
        _out(result.serialize(args.format))
    if not result:
        _err(
            f"kgtool: no reclassification event touches {args.cluster!r}: it is unchanged in every version "
            "it belongs to, and no priority of a later version's announcement is tied to it"
        )
    return EXIT_OK


def cmd_sparql(args: argparse.Namespace) -> int:
    """Run an ad-hoc SPARQL query from a file or stdin (-)."""
    from .utf8 import read_utf8

    if args.file == "-":
        stdin = getattr(sys.stdin, "buffer", None)  # bytes, so that a wrong encoding is named
        try:
            text = stdin.read().decode("utf-8") if stdin is not None else sys.stdin.read()
        except UnicodeDecodeError as error:
            raise UsageError(f"the query on stdin is not UTF-8: {error}") from None
    else:
        path = Path(args.file)
        if not path.is_file():
            raise UsageError(f"no such query file: {path}")
        text = read_utf8(path)
    with _open(args) as kg:
        result = kg.sparql(text) if args.timeout is None else kg.sparql(text, timeout=args.timeout)
        if result.kind == "graph":
            from .export import graph_bytes

            assert result.graph is not None
            _out(graph_bytes(result.graph, args.format if formats.find(args.format) else "ttl"))
        else:
            fmt = args.format if args.format in RESULT_FORMATS else "table"
            _out(result.serialize(fmt))
    return EXIT_OK


def cmd_push(args: argparse.Namespace) -> int:
    """Load the graph into a shared SPARQL 1.1 store, replacing its previous copy, and verify the counts.

    kgtool push --endpoint http://127.0.0.1:7878/query --store-endpoint http://127.0.0.1:7878/store
    """
    from .push import push

    if not args.endpoint:
        raise UsageError("push: the following arguments are required: --endpoint URL (see 'kgtool push --help')")
    report = push(
        args.endpoint,
        update_endpoint=args.update_endpoint,
        store_endpoint=args.store_endpoint,
        graph=args.graph,
        user=args.user,
        password=args.password,
        home=args.home,
        from_sources=args.from_sources,
        timeout=args.timeout,
    )
    _out(report.to_json() + "\n" if args.format == "json" else report.text())
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the graph over HTTP: a SPARQL 1.1 endpoint, linked data and downloads (see docs/SERVER.md)."""
    try:
        from . import server
        from .server import app  # noqa: F401 - Starlette and uvicorn are imported with the application
    except ImportError as error:
        from .errors import MissingOptionalError

        raise MissingOptionalError(f"the server's dependencies are missing: pip install sz20plus8 ({error})") from error

    token = os.environ.get(args.token_env) or None  # for writes, and for /health/details from afar
    if args.allow_update and not token:
        raise UsageError(f"--allow-update needs a token: set the environment variable {args.token_env}")
    with _open(args) as kg:  # any store: the built Oxigraph store is served in place, others as a copy
        config = server.ServerConfig(
            store=kg.store,
            home=args.home,
            timeout=args.timeout,
            max_rows=args.max_rows,
            max_body=args.max_body,
            workers=args.workers,
            allow_update=args.allow_update,
            token=token,
            short_workers=args.short_workers,
            max_memory=args.worker_memory << 20,
            cache_bytes=args.cache_size << 20,
            max_connections=args.max_connections,
            max_per_client=args.max_per_client,
            header_timeout=args.header_timeout,
        )
        config.check()
        server.serve(config, host=args.host, port=args.port)
    return EXIT_OK


def cmd_draft(args: argparse.Namespace) -> int:
    """Draft a new version from its published list: clusters matched, every change proposed, questions listed."""
    with _open(args) as kg:
        draft = kg.draft_version(
            args.version,
            args.from_file,
            previous=args.previous,
            source_id=args.source_id,
            source_iri=args.source_iri,
            source_title=args.source_title,
            source_date=args.source_date,
            source_kind=args.source_kind,
        )
        graph_dir = kg.paths.graph_dir
    if args.write or args.out:
        # Into graph/, a new source's row goes to sources.csv; elsewhere, beside the drafts.
        written = draft.write(args.out or graph_dir, None if args.out else graph_dir / "sources.csv")
        _err("wrote " + ", ".join(str(path) for path in written))
    _out(draft.review())
    return EXIT_OK


# -- the parser -------------------------------------------------------------------------------------


#: The commands, in the order ``kgtool --help`` lists them, each with the arguments it takes (in the order its
#: help lists them); the command ``NAME`` runs the function ``cmd_NAME`` of this module.
_COMMANDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("build", ("build-paths", "build-home", "no-validate", "wait", "engine")),
    ("validate", ("validate-paths", "report-format", "engine")),
    ("reason", ("materialize", "inferences-out")),
    ("stats", (STORE,)),
    ("export", ("rdf-format", "export-out", STORE)),
    ("queries", ("show-query",)),
    ("query", ("query-name", "param", "result-format", "query-lang", STORE)),
    ("diff", ("old", "new", "result-format", "lang", STORE)),
    ("lineage", ("cluster", "result-format", "lang", STORE)),
    ("sparql", ("query-file", "answer-format", "query-timeout", STORE)),
    (
        "push",
        (
            "push-endpoint",
            "push-store-endpoint",
            "push-update-endpoint",
            "push-graph",
            "push-user",
            "push-password",
            "home",
            "from-sources",
            "push-timeout",
            "report-format",
        ),
    ),
    (
        "draft",
        (
            "version",
            "from",
            "previous",
            "source-id",
            "source-iri",
            "source-title",
            "source-date",
            "source-kind",
            "write",
            "drafts-out",
            STORE,
        ),
    ),
    (
        "serve",
        (
            "host",
            "port",
            STORE,
            "timeout",
            "max-rows",
            "max-body",
            "workers",
            "short-workers",
            "worker-memory",
            "cache-size",
            "max-connections",
            "max-per-client",
            "header-timeout",
            "allow-update",
            "token-env",
        ),
    ),
)


class _VersionAction(argparse.Action):
    """``--version``, reading the installed version only when asked (importlib.metadata is slow to import)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, help: str | None = None) -> None:  # noqa: A002
        super().__init__(option_strings, dest=dest, default=argparse.SUPPRESS, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        print(f"kgtool {package_version()}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``kgtool``: the commands of :data:`_COMMANDS`, with the arguments they take
    (:data:`kgtool.cli_arguments.ARGUMENTS`)."""
    parser = _Parser(
        prog="kgtool",
        description="Build, check and query the sz20plus8 knowledge graph.",
        epilog="Exit codes: 0 ok, 1 does not conform, 2 bad input or usage, 3 optional part missing.",
    )
    parser.add_argument("--version", action=_VersionAction, help="show the version and exit")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an unexpected error")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, takes in _COMMANDS:
        func: Command = globals()[f"cmd_{name}"]
        doc = (func.__doc__ or "").strip().splitlines()[0]
        command = sub.add_parser(name, help=doc, description=doc)
        command.set_defaults(func=func)
        for argument in takes:
            add_argument(command, argument)
    _global_options(parser, sub)
    return parser


def _global_options(parser: argparse.ArgumentParser, sub: argparse._SubParsersAction) -> None:
    """Let :data:`GLOBAL_OPTIONS` come before the command too. The main parser holds them; each command's
    own copy has no default (``argparse.SUPPRESS``), so that it never overwrites a value given before the
    command, and each command records which of them it takes."""
    add_argument(parser, "@global options (before or after the command)")
    for command in sub.choices.values():
        takes = set()
        for action in command._actions:  # noqa: SLF001 - argparse keeps no public list of a parser's options
            if set(action.option_strings) & set(GLOBAL_OPTIONS):
                action.default = argparse.SUPPRESS
                action.required = False  # given before the command counts too: the command checks
                takes.add(action.dest)
        command.set_defaults(global_options=frozenset(takes))


def _check_global_options(args: argparse.Namespace) -> None:
    """Refuse a global option given before a command that does not take it (``kgtool --endpoint URL build``)."""
    for option in GLOBAL_OPTIONS:
        dest = option.removeprefix("--")
        if getattr(args, dest, None) is not None and dest not in args.global_options:
            raise UsageError(
                f"{args.command}: {option} does not apply to this command (see 'kgtool {args.command} --help')"
            )


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``kgtool`` with ``argv`` (default: the process's arguments) and return its exit code.

    Every error ends as one line on stderr and an exit code: a :class:`~kgtool.errors.KgError` its own
    code, anything unexpected 2 (``--debug`` adds the traceback).
    """
    arguments = sys.argv[1:] if argv is None else list(argv)
    try:
        parser = build_parser()
        args, unknown = parser.parse_known_args(arguments)
        if unknown:  # reported here, where the command is known, rather than by argparse
            where, command = (f"{args.command}: ", f"kgtool {args.command}") if args.command else ("", "kgtool")
            raise UsageError(f"{where}unrecognized arguments: {' '.join(unknown)} (see '{command} --help')")
        if args.command is None:
            _err(parser.format_usage().rstrip() + "\n" + _HINT)
            return EXIT_BAD_INPUT
        _check_global_options(args)
        return args.func(args)
    except KgError as error:
        _err(f"kgtool: {error}")
        return exit_code_for(error)
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        _err("kgtool: interrupted")
        return 130
    except Exception as error:  # a bug or an environment kgtool did not foresee: one line, not a traceback
        if "--debug" in arguments:
            import traceback

            traceback.print_exc()
        where = "" if "--debug" in arguments else " (run with --debug for the traceback)"
        message = " ".join(str(error).split()) or "no message"
        _err(f"kgtool: unexpected error: {type(error).__name__}: {message}{where}")
        return EXIT_BAD_INPUT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
