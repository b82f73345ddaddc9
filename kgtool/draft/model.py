"""The draft as data: the list's source, the drafted clusters, the proposed events and the questions."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path

from ..authoring import language_of
from ..errors import DataError
from ..ontology import event_type_iris
from ..paths import project_paths
from .known import KnownCluster
from .listing import ListedCluster

__all__ = [
    "TODO_SOURCE",
    "EventTypes",
    "DraftSource",
    "DraftCluster",
    "ProposedEvent",
    "Option",
    "Question",
    "DraftData",
]

#: The source id written where the draft does not know the list's source: a person fills it in.
TODO_SOURCE = "TODO-source"


@dataclass(frozen=True)
class EventTypes:
    """The event types the draft's rules propose, as the ontology names them: each field is the ``sz:slug`` of
    the event class of the same name (``merger`` is the slug of ``sz:Merger``), read from the ontology."""

    addition: str
    elevation: str
    merger: str
    renaming: str
    move: str
    removal: str
    regrouping: str

    @classmethod
    def from_ontology(cls, ontology_file: Path | None = None) -> EventTypes:
        """The slugs of the ontology's event classes (default: the project's ontology).

        >>> EventTypes.from_ontology().merger
        'merged'

        Raises:
            DataError: the ontology lacks one of the event classes the rules propose.
        """
        by_class = {iri.rsplit("#", 1)[-1]: slug for slug, iri in event_type_iris(ontology_file).items()}
        names = [f.name.capitalize() for f in fields(cls)]
        missing = [name for name in names if name not in by_class]
        if missing:
            where = ontology_file or project_paths().ontology_file
            raise DataError(where, None, f"the draft's rules propose events of sz:{', sz:'.join(missing)}: not found")
        return cls(*(by_class[name] for name in names))


@dataclass(frozen=True)
class DraftSource:
    """The source the list comes from: an existing source of the graph, or a new row for sources.csv."""

    id: str
    title: str = ""
    date: str = ""
    address: str = ""
    kind: str = ""
    new: bool = False  #: not in the graph yet: its row must be added to sources.csv

    def csv_row(self, version: str) -> list[str]:
        """Its row in ``sources.csv`` (``id,title_en,title_zh,publisher,date,address,kind,language,note``): the
        title in ``title_zh`` if it is Chinese (by its script), else in ``title_en``."""
        note = f"The published list of version {version} (added by kgtool draft)."
        en, zh = ("", self.title) if language_of(self.title) == "zh" else (self.title, "")
        return [self.id, en, zh, "", self.date, self.address, self.kind, "", note]


@dataclass(frozen=True)
class DraftCluster:
    """One row of the drafted ``clusters-VERSION.csv``, with how it was matched to the previous list."""

    listed: ListedCluster
    id: str
    label_en: str
    sector: str  #: a sector id, or ""
    match: str  #: why it has this id: "same name and tier as in 1.0 (...)" or "new"
    predecessor: str = ""  #: the id it keeps, for a cluster matched by the identity rule

    @property
    def tier(self) -> str:
        return self.listed.tier

    @property
    def label_zh(self) -> str:
        return self.listed.label_zh

    @property
    def position(self) -> int:
        return self.listed.position


@dataclass(frozen=True)
class ProposedEvent:
    """A reclassification event the draft proposes (``certainty = "uncertain"`` until confirmed)."""

    id: str
    type: str  #: the ``sz:slug`` of an event class of the ontology, as ``events-VERSION.toml`` writes it
    from_: tuple[str, ...]  #: cluster ids before
    to: tuple[str, ...]  #: cluster ids after (empty for a merger whose target the list does not name)
    label_en: str
    confidence: str  #: high, medium or low: how strongly the list supports it
    reason: str
    quote: str = ""  #: the list's words it rests on ("" where the list can only show an absence)
    from_sector: str = ""
    to_sector: str = ""
    certainty: str = "uncertain"
    #: (source id, quote) of the evidence besides the list: the announcement's priorities tied to the clusters
    evidence: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Option:
    """One possible answer to a question: a description and the events it would record."""

    description: str
    events: tuple[ProposedEvent, ...]


@dataclass(frozen=True)
class Question:
    """An ambiguity the list cannot decide, for a person: what it is about, and the possible answers."""

    about: tuple[str, ...]  #: the ids of the clusters concerned
    text: str
    options: tuple[Option, ...]
    proposed: int | None = None  #: the index of the option the draft proposes, if it proposes one


@dataclass(frozen=True)
class DraftData:
    """A drafted version as data: clusters, proposed events, questions, and what is left to fill in
    (:class:`~kgtool.draft.Draft` adds its files and review)."""

    version: str
    previous: str
    list_name: str
    source: DraftSource
    clusters: tuple[DraftCluster, ...]
    events: tuple[ProposedEvent, ...]
    questions: tuple[Question, ...]
    to_fill_in: tuple[str, ...]
    previous_clusters: tuple[KnownCluster, ...]
    ignored: tuple[tuple[int, str], ...] = ()
    replaces_existing: bool = False  #: the graph already has a list for this version (a replay)
    event_types: EventTypes = field(default_factory=EventTypes.from_ontology, repr=False)

    def cluster(self, ident: str) -> DraftCluster | KnownCluster | None:
        """The drafted or previous cluster with this id."""
        clusters: list[DraftCluster | KnownCluster] = [*self.clusters, *self.previous_clusters]
        for cluster in clusters:
            if cluster.id == ident:
                return cluster
        return None

    def name(self, ident: str) -> str:
        """A cluster's Chinese name (its id if unknown)."""
        cluster = self.cluster(ident)
        return cluster.label_zh if cluster is not None else ident
