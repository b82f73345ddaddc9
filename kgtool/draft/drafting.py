"""Drafting a version: the list read, matched with the previous version, the rules applied, the result a
:class:`~kgtool.draft.Draft`; and the list's source, found in the graph or proposed as a new one."""

from __future__ import annotations

import re
from pathlib import Path

from ..authoring import SOURCE_KIND
from ..errors import DataError, UsageError
from .known import GraphView, SparqlGraph, graph_view, version_key
from .listing import PublishedList, read_list, with_known_names
from .matching import identities
from .model import TODO_SOURCE, DraftCluster, DraftSource, EventTypes
from .names import slugify
from .proposing import Proposals
from .result import Draft
from .rules import apply_rules

__all__ = ["draft_version", "MAX_LIST_BYTES"]

#: A published list is a few kilobytes; a larger file is refused before it is read.
MAX_LIST_BYTES = 1_000_000


def _source_slug(address: str, date: str) -> str:
    """An id for a new source: its host and year (``https://www.sz.gov.cn/x``, 2024 -> ``sz-gov-cn-2024``)."""
    host = re.sub(r"^https?://", "", address).split("/", 1)[0].split(":", 1)[0]
    host = re.sub(r"^(www|m)\.", "", host.casefold())
    return "-".join(p for p in (slugify(host.replace(".", " ")), date[:4]) if p)


def resolve_source(
    view: GraphView,
    version: str,
    source_id: str | None,
    address: str | None,
    title: str | None,
    date: str | None,
    kind: str | None,
) -> tuple[DraftSource, list[str]]:
    """The list's source: one of the graph (by id or address), a new one from the options, or
    :data:`TODO_SOURCE`; with what a person must fill in about it.

    Raises:
        UsageError: a bad source kind, date, address or id.
    """
    todo: list[str] = []
    _check_source_options(kind, date, address)
    known = _known_source(view, source_id, address)
    if known is not None:
        return known, todo
    if not (source_id or address or title):
        todo.append(
            f"the source of the list: draft again with --source-iri, --source-title and --source-date "
            f"(or --source-id of a source in graph/sources.csv), or replace {TODO_SOURCE} in the drafts."
        )
        return DraftSource(TODO_SOURCE), todo
    ident = source_id or (_source_slug(address, date or "") if address else f"published-list-{version}")
    if not re.fullmatch(r"[a-z0-9]+(?:[.-][a-z0-9]+)*", ident):
        raise UsageError(f"bad source id {ident!r}: use lower-case ASCII words joined by '-'")
    base, n = ident, 2
    while ident in view.sources:
        ident, n = f"{base}-{n}", n + 1
    if not title:
        todo.append(f"the title of source {ident} (its row for graph/sources.csv has none).")
    if not kind:
        todo.append(f"the kind of source {ident} ({', '.join(SOURCE_KIND)}) in its row for graph/sources.csv.")
    return DraftSource(ident, title or "", date or "", address or "", kind or "", new=True), todo


def _check_source_options(kind: str | None, date: str | None, address: str | None) -> None:
    if kind and kind not in SOURCE_KIND:
        raise UsageError(f"bad source kind {kind!r}: expected one of {', '.join(SOURCE_KIND)}")
    if date and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", date):
        raise UsageError(f"bad source date {date!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
    if address and not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", address):
        raise UsageError(f"bad source IRI {address!r}: expected an http(s) URL")


def _known_source(view: GraphView, source_id: str | None, address: str | None) -> DraftSource | None:
    """The graph's source with this id (or, without an id, at this address), if it has one."""
    if source_id and source_id in view.sources:
        page, page_title = view.sources[source_id]
        return DraftSource(source_id, page_title, address=page)
    if not source_id and address:
        for ident, (page, page_title) in view.sources.items():
            if page == address:
                return DraftSource(ident, page_title, address=page)
    return None


def _read_listing(listing: PublishedList | Path | str) -> PublishedList:
    if isinstance(listing, PublishedList):
        return listing
    path = Path(listing)
    try:
        if path.stat().st_size > MAX_LIST_BYTES:
            raise DataError(path, None, f"larger than {MAX_LIST_BYTES} bytes: this is not a list of clusters")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(path, None, "no such file") from None
    except UnicodeDecodeError as error:
        raise DataError(path, None, f"not UTF-8 text ({error.reason} at byte {error.start})") from None
    return read_list(text, str(path))


def _previous_version(view: GraphView, version: str, previous: str | None) -> str:
    """The version to compare with: ``previous``, else the one ``version`` revises, else the latest before it
    with a list."""
    key = version_key(version)
    if previous is None:
        previous = view.versions.get(version)
        if previous is None or previous not in view.members:
            earlier = sorted((v for v in view.members if version_key(v) < key), key=version_key)
            if not earlier:
                raise UsageError(f"no version before {version} has a list of clusters in the graph")
            previous = earlier[-1]
    if previous not in view.members:
        known = ", ".join(sorted(view.members, key=version_key)) or "none"
        raise UsageError(f"version {previous} has no list of clusters in the graph (versions with one: {known})")
    if version_key(previous) >= key:
        raise UsageError(f"the previous version {previous} must come before {version}")
    return previous


def draft_version(
    kg: SparqlGraph,
    version: str,
    listing: PublishedList | Path | str,
    *,
    previous: str | None = None,
    source_id: str | None = None,
    source_iri: str | None = None,
    source_title: str | None = None,
    source_date: str | None = None,
    source_kind: str | None = None,
) -> Draft:
    """Draft ``version`` from its published list, against the previous version as it is in ``kg``.

    Args:
        kg: the graph (only versions before ``version`` are read: a list it already has for
            ``version`` is ignored, so that a past version can be replayed).
        version: the new version, such as ``"3.0"``.
        listing: the list (a :class:`PublishedList`, or the path of a text or CSV file).
        previous: the version to compare with (default: the one ``version`` revises in the graph, else
            the latest earlier version with a list).
        source_id, source_iri, source_title, source_date, source_kind: where the list was published: an
            existing source (by id or address) or a new one. Without them each citation names
            ``TODO-source`` for a person to fill in.

    Returns:
        The :class:`Draft`: clusters, proposed events, questions, things to fill in.

    Raises:
        DataError: the list cannot be read (file, line, cause).
        UsageError: an unknown previous version, one without a list, or a bad source option.
    """
    listing = _read_listing(listing)
    version_key(version)  # a bad version number is a usage error before the graph is read
    view = graph_view(kg)
    previous = _previous_version(view, version, previous)
    listing = with_known_names(listing, {c.label_zh for cs in view.members.values() for c in cs})
    source, to_fill_in = resolve_source(view, version, source_id, source_iri, source_title, source_date, source_kind)
    old = list(view.members[previous])
    ids = identities(version, previous, listing, old, view)
    if ids.unnamed:
        to_fill_in.append(
            f"English names, which the list does not give, of {', '.join(ids.unnamed)}: add them to the list "
            '("人工智能 Artificial Intelligence") and draft again, or fill in label_en and replace the ids in '
            "both drafts."
        )
    types = EventTypes.from_ontology(kg.paths.ontology_file)
    proposals = Proposals(version, previous, listing, old, view, ids, types)
    apply_rules(proposals)
    to_fill_in += _sector_questions(proposals)
    to_fill_in += _version_questions(view, version, previous)
    return Draft(
        version=version,
        previous=previous,
        list_name=listing.name,
        source=source,
        clusters=_draft_clusters(proposals),
        events=tuple(proposals.events),
        # Open questions first: until a person answers them, the cross-version rules report their clusters.
        questions=tuple(sorted(proposals.questions, key=lambda q: q.proposed is not None)),
        to_fill_in=tuple(to_fill_in),
        previous_clusters=tuple(view.members[previous]),
        ignored=listing.ignored,
        replaces_existing=version in view.members,
        event_types=types,
    )


def _draft_clusters(p: Proposals) -> tuple[DraftCluster, ...]:
    """The drafted rows of ``clusters-VERSION.csv``, each with why it has its id."""
    out = []
    for listed in p.listing.clusters:
        match, predecessor = p.ids.matches[id(listed)]
        ident = p.cid(listed)
        if match == "new":
            event = next((e for e in p.events if ident in e.to and e.type != p.types.regrouping), None)
            if event is None:
                match = "new: see the questions"
            elif event.from_:
                match = f"new: {event.type} from {'、'.join(p.name_of(i) for i in event.from_)}"
            else:
                match = f"new: {event.type}"
        label_en = listed.label_en or next((c.label_en for c in p.old if c.id == predecessor), "")
        if not label_en and predecessor:
            label_en = next((c.label_en for cs in p.view.members.values() for c in cs if c.id == predecessor), "")
        out.append(DraftCluster(listed, ident, label_en, p.sector_id(listed.sector), match, predecessor))
    return tuple(out)


def _sector_questions(p: Proposals) -> list[str]:
    """What to fill in about sectors: headings the graph has no sector for, and versions of sectors used."""
    todo = []
    unknown = sorted({c.sector for c in p.listing.clusters if c.sector and not p.sector_id(c.sector)})
    for heading in unknown:
        todo.append(
            f"sector {heading} is not in graph/sectors.csv: add its row (id, labels, versions, sources) and put "
            f"its id in the sector column of its clusters."
        )
    used = sorted({p.sector_id(c.sector) for c in p.listing.clusters if p.sector_id(c.sector)})
    if used:
        todo.append(f"graph/sectors.csv: add {p.version} to the versions of {', '.join(used)}.")
    return todo


def _version_questions(view: GraphView, version: str, previous: str) -> list[str]:
    """What to fill in about the version itself in ``versions.toml``."""
    todo = []
    if version in view.announced:
        todo.append(
            f"graph/versions.toml: version {version} is only announced: set its status (in-force) and issued date, "
            f"and the status of {previous} (superseded)."
        )
    if version not in view.versions:
        todo.append(f'graph/versions.toml: add version {version} (revises = "{previous}").')
    elif view.versions.get(version) != previous:
        todo.append(
            f'graph/versions.toml: set revises = "{previous}" for version {version}, so '
            "that the cross-version rules compare the two lists."
        )
    return todo
