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
    from .build import source_graphs
    from .validate import validate_sources

    report = validate_sources(source_graphs(extra=args.paths), engine=args.engine)
    _out(report.to_json() + "\n" if args.format == "json" else report.text())
    return EXIT_OK if report.conforms else EXIT_DOES_NOT_CONFORM


def cmd_reason(args: argparse.Namespace) -> int:
    """Check the ontology and data for consistency with HermiT; optionally write OWL RL inferences."""
    from .build import source_graphs, union
    from .reason import check_consistency, materialize

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
        result = kg.diff(args.old, args.new, lang=args.lang)
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
            "it belongs to"
        )
    return EXIT_OK


def cmd_sparql(args: argparse.Namespace) -> int:
    """Run an ad-hoc SPARQL query from a file or stdin (-)."""
    from .authoring import read_utf8

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

    token = None
    if args.allow_update:
        token = os.environ.get(args.token_env)
        if not token:
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


class _LazyChoices:
    """Choices computed when argparse first looks at them: listing the stores reads the installed packages'
    entry points (importlib.metadata), which a command that names no store need not pay for."""

    def __init__(self, compute: Callable[[], list[str]]) -> None:
        self._compute = compute
        self._values: list[str] | None = None

    def _get(self) -> list[str]:
        if self._values is None:
            self._values = self._compute()
        return self._values

    def __contains__(self, value: object) -> bool:
        return value in self._get()

    def __iter__(self):  # noqa: ANN204 - an iterator of str
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())


def _store_options(parser: argparse.ArgumentParser) -> None:
    from .stores import store_names

    group = parser.add_argument_group("store")
    group.add_argument(
        "--store",
        choices=_LazyChoices(store_names),
        help="the store to use (default: $KGTOOL_STORE, else oxigraph, the store 'build' writes)",
    )
    group.add_argument("--home", type=Path, help="where the built store is (default: $KGTOOL_HOME, else build/)")
    group.add_argument("--endpoint", metavar="URL", help="query a remote SPARQL 1.1 endpoint instead")
    group.add_argument("--update-endpoint", metavar="URL", help="the endpoint's SPARQL Update URL")
    group.add_argument("--store-endpoint", metavar="URL", help="the endpoint's Graph Store Protocol URL")
    group.add_argument("--user", help="user name for the endpoint (default: $KGTOOL_ENDPOINT_USER)")
    group.add_argument("--password", help="password for the endpoint (default: $KGTOOL_ENDPOINT_PASSWORD)")
    group.add_argument(
        "--graph",
        action="append",
        metavar="IRI",
        help="a named graph holding the data on the endpoint (repeatable; default: the project's "
        "ontology and data graphs)",
    )


class _VersionAction(argparse.Action):
    """``--version``, reading the installed version only when asked (importlib.metadata is slow to import)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, help: str | None = None) -> None:  # noqa: A002
        super().__init__(option_strings, dest=dest, default=argparse.SUPPRESS, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        print(f"kgtool {package_version()}")
        parser.exit()


def _engine_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--engine",
        choices=("oxigraph", "pyshacl"),
        default="oxigraph",
        help="the SHACL engine: oxigraph (default: the shapes compiled to SPARQL) or pyshacl (the "
        "reference engine, much slower; same results)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``kgtool``."""
    parser = _Parser(
        prog="kgtool",
        description="Build, check and query the sz20plus8 knowledge graph.",
        epilog="Exit codes: 0 ok, 1 does not conform, 2 bad input or usage, 3 optional part missing.",
    )
    parser.add_argument("--version", action=_VersionAction, help="show the version and exit")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an unexpected error")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, func: Command) -> argparse.ArgumentParser:
        doc = (func.__doc__ or "").strip().splitlines()[0]
        p = sub.add_parser(name, help=doc, description=doc)
        p.set_defaults(func=func)
        return p

    p = command("build", cmd_build)
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="more data files to build with")
    p.add_argument("--home", type=Path, help="where to write the store (default: $KGTOOL_HOME, else build/)")
    p.add_argument("--no-validate", action="store_true", help="write the store without validating first")
    p.add_argument(
        "--wait",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="wait this long for another build in the same home to finish (default: refuse at once)",
    )
    _engine_option(p)

    p = command("validate", cmd_validate)
    p.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="data files to check together with the project graph (a file named like one in graph/ replaces it)",
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    _engine_option(p)

    p = command("reason", cmd_reason)
    p.add_argument("--materialize", action="store_true", help="write the OWL 2 RL inferences as Turtle")
    p.add_argument("--out", type=Path, help="write the inferences to this file instead of stdout")

    p = command("stats", cmd_stats)
    _store_options(p)

    p = command("export", cmd_export)
    p.add_argument("--format", choices=formats.names("rdf"), default="ttl")
    p.add_argument("--out", type=Path, help="write to this file (atomically) instead of stdout")
    _store_options(p)

    p = command("queries", cmd_queries)
    p.add_argument("name", nargs="?", help="show this query in full: description, parameters, columns")

    p = command("query", cmd_query)
    p.add_argument("name", help="the named query (see 'kgtool queries')")
    p.add_argument("-p", "--param", action="append", default=[], metavar="NAME=VALUE")
    p.add_argument("--format", choices=list(RESULT_FORMATS), default="table")
    p.add_argument("--lang", choices=("en", "zh"), help="the language of labels")
    _store_options(p)

    p = command("diff", cmd_diff)
    p.add_argument("old", metavar="OLD", help="the earlier version, such as 1.0")
    p.add_argument("new", metavar="NEW", help="the later version, such as 2.0")
    p.add_argument("--format", choices=list(RESULT_FORMATS), default="table")
    p.add_argument("--lang", choices=("en", "zh"), default="en", help="the language of labels")
    _store_options(p)

    p = command("lineage", cmd_lineage)
    p.add_argument("cluster", metavar="CLUSTER", help="a slug, an IRI, or an English or Chinese name")
    p.add_argument("--format", choices=list(RESULT_FORMATS), default="table")
    p.add_argument("--lang", choices=("en", "zh"), default="en", help="the language of labels")
    _store_options(p)

    p = command("sparql", cmd_sparql)
    p.add_argument("file", metavar="FILE", help="a file holding the query, or - for stdin")
    p.add_argument(
        "--format",
        choices=[*RESULT_FORMATS, *formats.names("rdf")],
        default="table",
        help="table|csv|tsv|json|md for SELECT/ASK; ttl|nt|jsonld|xml|trig|nq for CONSTRUCT/DESCRIBE",
    )
    p.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help="stop the query after this long, exit 2 (default: $KGTOOL_QUERY_TIMEOUT, else 30; 0: no limit)",
    )
    _store_options(p)

    p = command("push", cmd_push)
    p.add_argument("--endpoint", required=True, metavar="URL", help="the store's SPARQL query URL (to verify)")
    p.add_argument("--store-endpoint", metavar="URL", help="its Graph Store Protocol URL (used to write)")
    p.add_argument(
        "--update-endpoint",
        metavar="URL",
        help="its SPARQL Update URL (used to write when there is no --store-endpoint)",
    )
    p.add_argument(
        "--graph",
        metavar="IRI",
        help="put the whole graph in this one named graph (default: the project's ontology and data graphs)",
    )
    p.add_argument("--user", help="user name for the store (default: $KGTOOL_ENDPOINT_USER)")
    p.add_argument("--password", help="password for the store (default: $KGTOOL_ENDPOINT_PASSWORD)")
    p.add_argument("--home", type=Path, help="where the built store is (default: $KGTOOL_HOME, else build/)")
    p.add_argument(
        "--from-sources", action="store_true", help="compile the sources now instead of reading the built store"
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=300.0,
        metavar="SECONDS",
        help="wait this long for any one request (default: %(default)s)",
    )
    p.add_argument("--format", choices=("text", "json"), default="text")

    p = command("draft", cmd_draft)
    p.add_argument("version", metavar="VERSION", help="the new version, such as 3.0")
    p.add_argument(
        "--from",
        dest="from_file",
        required=True,
        type=Path,
        metavar="FILE",
        help="the list as published: plain text or CSV (.csv), Chinese names under their tier headings",
    )
    p.add_argument("--previous", metavar="VERSION", help="compare with this version (default: the one VERSION revises)")
    p.add_argument("--source-id", metavar="ID", help="the list's source: an id in graph/sources.csv, or a new id")
    p.add_argument("--source-iri", metavar="URL", help="the address the list was published at")
    p.add_argument("--source-title", metavar="TITLE", help="the title of the source")
    p.add_argument("--source-date", metavar="DATE", help="its date: YYYY, YYYY-MM or YYYY-MM-DD")
    p.add_argument(
        "--source-kind",
        metavar="KIND",
        help="its kind, for a new source: policy-text, news-report, government-page, ...",
    )
    p.add_argument(
        "--write",
        action="store_true",
        help="write graph/clusters-VERSION.csv and graph/events-VERSION.toml (never over existing files)",
    )
    p.add_argument("--out", type=Path, metavar="DIR", help="write the drafts into DIR instead of graph/")
    _store_options(p)

    from .server import DEFAULTS, TOKEN_ENV

    p = command("serve", cmd_serve)
    p.add_argument("--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="the port to listen on (default: 8000)")
    _store_options(p)
    p.add_argument(
        "--timeout",
        type=float,
        default=DEFAULTS["timeout"],
        metavar="SECONDS",
        help="cancel a query after this long, answering 503 (default: %(default)s)",
    )
    p.add_argument(
        "--max-rows",
        type=int,
        default=DEFAULTS["max_rows"],
        metavar="N",
        help="truncate answers to N rows or triples (default: %(default)s)",
    )
    p.add_argument(
        "--max-body",
        type=int,
        default=DEFAULTS["max_body"],
        metavar="BYTES",
        help="refuse larger request bodies with 413 (default: %(default)s)",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=DEFAULTS["workers"],
        metavar="N",
        help="query worker processes (default: %(default)s; 1 with --allow-update)",
    )
    p.add_argument(
        "--short-workers",
        type=int,
        default=DEFAULTS["short_workers"],
        metavar="N",
        help="workers reserved for short requests (default: %(default)s)",
    )
    p.add_argument(
        "--worker-memory",
        type=int,
        default=DEFAULTS["max_memory"] >> 20,
        metavar="MIB",
        help="cancel a query whose worker grows beyond this (503; default: %(default)s)",
    )
    p.add_argument(
        "--cache-size",
        type=int,
        default=DEFAULTS["cache_bytes"] >> 20,
        metavar="MIB",
        help="keep at most this much of repeated answers (default: %(default)s)",
    )
    p.add_argument(
        "--max-connections",
        type=int,
        default=DEFAULTS["max_connections"],
        metavar="N",
        help="open connections; beyond, the longest-idle one is closed (default: %(default)s)",
    )
    p.add_argument(
        "--max-per-client",
        type=int,
        default=DEFAULTS["max_per_client"],
        metavar="N",
        help="open connections from one address; beyond, 503 (default: %(default)s; 0: no limit)",
    )
    p.add_argument(
        "--header-timeout",
        type=float,
        default=DEFAULTS["header_timeout"],
        metavar="SECONDS",
        help="close a connection that sends no request head for this long (default: %(default)s)",
    )
    p.add_argument(
        "--allow-update",
        action="store_true",
        help="accept SPARQL Update and Graph Store writes from clients holding the token "
        "(on a copy of the store; the built store is never changed)",
    )
    p.add_argument(
        "--token-env",
        default=TOKEN_ENV,
        metavar="VAR",
        help="the environment variable holding the update token (default: %(default)s)",
    )
    _global_options(parser, sub)
    return parser


def _global_options(parser: argparse.ArgumentParser, sub: argparse._SubParsersAction) -> None:
    """Let :data:`GLOBAL_OPTIONS` come before the command too. The main parser holds them; each command's
    own copy has no default (``argparse.SUPPRESS``), so that it never overwrites a value given before the
    command, and each command records which of them it takes."""
    from .stores import store_names

    group = parser.add_argument_group("global options (before or after the command)")
    group.add_argument("--home", type=Path, help="where the built store is (default: $KGTOOL_HOME, else build/)")
    group.add_argument(
        "--store", choices=_LazyChoices(store_names), help="the store to use (default: $KGTOOL_STORE, else oxigraph)"
    )
    group.add_argument("--endpoint", metavar="URL", help="a remote SPARQL 1.1 endpoint (the sparql store)")
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
