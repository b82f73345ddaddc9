"""The arguments and options of the ``kgtool`` commands, each written once (:data:`ARGUMENTS`), and the groups
they are shown in; :func:`add_argument` adds one to a parser. ``kgtool.cli`` says which command takes which."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import formats
from .results import RESULT_FORMATS

__all__ = ["ARGUMENTS", "GROUPS", "STORE", "add_argument"]


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


def _store_names() -> _LazyChoices:
    from .stores import store_names

    return _LazyChoices(store_names)


def _rdf_formats() -> list[str]:
    return formats.names("rdf")


def _server_default(key: str, shift: int = 0) -> Callable[[], Any]:
    """A default of ``kgtool serve`` from :data:`kgtool.server.DEFAULTS` (``>> 20``: in MiB)."""

    def default() -> Any:
        from .server import DEFAULTS

        return DEFAULTS[key] >> shift if shift else DEFAULTS[key]

    return default


def _token_env() -> str:
    from .server import TOKEN_ENV

    return TOKEN_ENV


def _arg(*flags: str, **settings: Any) -> tuple[tuple[str, ...], dict[str, Any]]:
    return flags, settings


_HOME = "where the built store is (default: $KGTOOL_HOME, else build/)"
_LANG = "the language of labels"

#: Every argument and option of the commands, once, by name: its flags and argparse settings. A ``choices``
#: or ``default`` that is a function is called when the parser is built (so that listing the stores or
#: importing the server's defaults costs nothing until then). ``kgtool.cli`` says which command takes which.
ARGUMENTS: dict[str, tuple[tuple[str, ...], dict[str, Any]]] = {
    # the store a command reads (the group "store"), and the global options
    "store": _arg(
        "--store",
        choices=_store_names,
        help="the store to use (default: $KGTOOL_STORE, else oxigraph, the store 'build' writes)",
    ),
    "home": _arg("--home", type=Path, help=_HOME),
    "endpoint": _arg("--endpoint", metavar="URL", help="query a remote SPARQL 1.1 endpoint instead"),
    "update-endpoint": _arg("--update-endpoint", metavar="URL", help="the endpoint's SPARQL Update URL"),
    "store-endpoint": _arg("--store-endpoint", metavar="URL", help="the endpoint's Graph Store Protocol URL"),
    "user": _arg("--user", help="user name for the endpoint (default: $KGTOOL_ENDPOINT_USER)"),
    "password": _arg("--password", help="password for the endpoint (default: $KGTOOL_ENDPOINT_PASSWORD)"),
    "graph": _arg(
        "--graph",
        action="append",
        metavar="IRI",
        help="a named graph holding the data on the endpoint (repeatable; default: the project's "
        "ontology and data graphs)",
    ),
    "global-store": _arg(
        "--store", choices=_store_names, help="the store to use (default: $KGTOOL_STORE, else oxigraph)"
    ),
    "global-endpoint": _arg("--endpoint", metavar="URL", help="a remote SPARQL 1.1 endpoint (the sparql store)"),
    # build, validate, reason
    "build-paths": _arg("paths", nargs="*", type=Path, metavar="PATH", help="more data files to build with"),
    "build-home": _arg("--home", type=Path, help="where to write the store (default: $KGTOOL_HOME, else build/)"),
    "no-validate": _arg("--no-validate", action="store_true", help="write the store without validating first"),
    "wait": _arg(
        "--wait",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="wait this long for another build in the same home to finish (default: refuse at once)",
    ),
    "engine": _arg(
        "--engine",
        choices=("oxigraph", "pyshacl"),
        default="oxigraph",
        help="the SHACL engine: oxigraph (default: the shapes compiled to SPARQL) or pyshacl (the "
        "reference engine, much slower; same results)",
    ),
    "validate-paths": _arg(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="data files to check together with the project graph (a file named like one in graph/ replaces it)",
    ),
    "report-format": _arg("--format", choices=("text", "json"), default="text"),
    "materialize": _arg("--materialize", action="store_true", help="write the OWL 2 RL inferences as Turtle"),
    "inferences-out": _arg("--out", type=Path, help="write the inferences to this file instead of stdout"),
    # export, queries, query, diff, lineage, sparql
    "rdf-format": _arg("--format", choices=_rdf_formats, default="ttl"),
    "export-out": _arg("--out", type=Path, help="write to this file (atomically) instead of stdout"),
    "show-query": _arg("name", nargs="?", help="show this query in full: description, parameters, columns"),
    "query-name": _arg("name", help="the named query (see 'kgtool queries')"),
    "param": _arg("-p", "--param", action="append", default=list, metavar="NAME=VALUE"),
    "result-format": _arg("--format", choices=list(RESULT_FORMATS), default="table"),
    "query-lang": _arg("--lang", choices=("en", "zh"), help=_LANG),
    "lang": _arg("--lang", choices=("en", "zh"), default="en", help=_LANG),
    "old": _arg("old", metavar="OLD", help="the earlier version, such as 1.0"),
    "new": _arg("new", metavar="NEW", help="the later version, such as 2.0"),
    "cluster": _arg("cluster", metavar="CLUSTER", help="a slug, an IRI, or an English or Chinese name"),
    "query-file": _arg("file", metavar="FILE", help="a file holding the query, or - for stdin"),
    "answer-format": _arg(
        "--format",
        choices=lambda: [*RESULT_FORMATS, *_rdf_formats()],
        default="table",
        help="table|csv|tsv|json|md for SELECT/ASK; ttl|nt|jsonld|xml|trig|nq for CONSTRUCT/DESCRIBE",
    ),
    "query-timeout": _arg(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help="stop the query after this long, exit 2 (default: $KGTOOL_QUERY_TIMEOUT, else 30; 0: no limit)",
    ),
    # push
    "push-endpoint": _arg("--endpoint", required=True, metavar="URL", help="the store's SPARQL query URL (to verify)"),
    "push-store-endpoint": _arg("--store-endpoint", metavar="URL", help="its Graph Store Protocol URL (used to write)"),
    "push-update-endpoint": _arg(
        "--update-endpoint",
        metavar="URL",
        help="its SPARQL Update URL (used to write when there is no --store-endpoint)",
    ),
    "push-graph": _arg(
        "--graph",
        metavar="IRI",
        help="put the whole graph in this one named graph (default: the project's ontology and data graphs)",
    ),
    "push-user": _arg("--user", help="user name for the store (default: $KGTOOL_ENDPOINT_USER)"),
    "push-password": _arg("--password", help="password for the store (default: $KGTOOL_ENDPOINT_PASSWORD)"),
    "from-sources": _arg(
        "--from-sources", action="store_true", help="compile the sources now instead of reading the built store"
    ),
    "push-timeout": _arg(
        "--timeout",
        type=float,
        default=300.0,
        metavar="SECONDS",
        help="wait this long for any one request (default: %(default)s)",
    ),
    # draft
    "version": _arg("version", metavar="VERSION", help="the new version, such as 3.0"),
    "from": _arg(
        "--from",
        dest="from_file",
        required=True,
        type=Path,
        metavar="FILE",
        help="the list as published: plain text or CSV (.csv), Chinese names under their tier headings",
    ),
    "previous": _arg(
        "--previous", metavar="VERSION", help="compare with this version (default: the one VERSION revises)"
    ),
    "source-id": _arg("--source-id", metavar="ID", help="the list's source: an id in graph/sources.csv, or a new id"),
    "source-iri": _arg("--source-iri", metavar="URL", help="the address the list was published at"),
    "source-title": _arg("--source-title", metavar="TITLE", help="the title of the source"),
    "source-date": _arg("--source-date", metavar="DATE", help="its date: YYYY, YYYY-MM or YYYY-MM-DD"),
    "source-kind": _arg(
        "--source-kind",
        metavar="KIND",
        help="its kind, for a new source: policy-text, news-report, government-page, ...",
    ),
    "write": _arg(
        "--write",
        action="store_true",
        help="write graph/clusters-VERSION.csv and graph/events-VERSION.toml (never over existing files)",
    ),
    "drafts-out": _arg("--out", type=Path, metavar="DIR", help="write the drafts into DIR instead of graph/"),
    # serve
    "host": _arg("--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1)"),
    "port": _arg("--port", type=int, default=8000, help="the port to listen on (default: 8000)"),
    "timeout": _arg(
        "--timeout",
        type=float,
        default=_server_default("timeout"),
        metavar="SECONDS",
        help="cancel a query after this long, answering 503 (default: %(default)s)",
    ),
    "max-rows": _arg(
        "--max-rows",
        type=int,
        default=_server_default("max_rows"),
        metavar="N",
        help="truncate answers to N rows or triples (default: %(default)s)",
    ),
    "max-body": _arg(
        "--max-body",
        type=int,
        default=_server_default("max_body"),
        metavar="BYTES",
        help="refuse larger request bodies with 413 (default: %(default)s)",
    ),
    "workers": _arg(
        "--workers",
        type=int,
        default=_server_default("workers"),
        metavar="N",
        help="query worker processes (default: %(default)s; 1 with --allow-update)",
    ),
    "short-workers": _arg(
        "--short-workers",
        type=int,
        default=_server_default("short_workers"),
        metavar="N",
        help="workers reserved for short requests (default: %(default)s)",
    ),
    "worker-memory": _arg(
        "--worker-memory",
        type=int,
        default=_server_default("max_memory", shift=20),
        metavar="MIB",
        help="cancel a query whose worker grows beyond this (503; default: %(default)s)",
    ),
    "cache-size": _arg(
        "--cache-size",
        type=int,
        default=_server_default("cache_bytes", shift=20),
        metavar="MIB",
        help="keep at most this much of repeated answers (default: %(default)s)",
    ),
    "max-connections": _arg(
        "--max-connections",
        type=int,
        default=_server_default("max_connections"),
        metavar="N",
        help="open connections; beyond, the longest-idle one is closed (default: %(default)s)",
    ),
    "max-per-client": _arg(
        "--max-per-client",
        type=int,
        default=_server_default("max_per_client"),
        metavar="N",
        help="open connections from one address; beyond, its longest-idle one is closed "
        "(default: %(default)s; 0: no limit)",
    ),
    "header-timeout": _arg(
        "--header-timeout",
        type=float,
        default=_server_default("header_timeout"),
        metavar="SECONDS",
        help="close a connection that sends no request head for this long (default: %(default)s)",
    ),
    "allow-update": _arg(
        "--allow-update",
        action="store_true",
        help="accept SPARQL Update and Graph Store writes from clients holding the token "
        "(on a copy of the store; the built store is never changed)",
    ),
    "token-env": _arg(
        "--token-env",
        default=_token_env,
        metavar="VAR",
        help="the environment variable holding the update token (default: %(default)s)",
    ),
}

#: Groups of options shown under their own heading: a command lists a group as ``@NAME``.
GROUPS = {
    "store": ("store", "home", "endpoint", "update-endpoint", "store-endpoint", "user", "password", "graph"),
    "global options (before or after the command)": ("home", "global-store", "global-endpoint"),
}
#: The group of options that choose the store a command reads.
STORE = "@store"


def add_argument(parser: argparse.ArgumentParser | argparse._ArgumentGroup, name: str) -> None:
    """Add the argument ``name`` of :data:`ARGUMENTS` (or, for ``@GROUP``, the group's) to ``parser``."""
    if name.startswith("@"):
        title = name[1:]
        assert isinstance(parser, argparse.ArgumentParser)
        group = parser.add_argument_group(title)
        for member in GROUPS[title]:
            add_argument(group, member)
        return
    flags, settings = ARGUMENTS[name]
    resolved = {k: v() if k in ("choices", "default") and callable(v) else v for k, v in settings.items()}
    parser.add_argument(*flags, **resolved)
