"""The analysts' questions as methods of :class:`~kgtool.graph.KnowledgeGraph`.

Each method runs one named query of ``queries/`` (the same query ``kgtool query NAME`` runs and the
same text an endpoint would get), so every entry point gives the same answer. Results are
:class:`~kgtool.results.QueryResult` rows of Python values: IRIs as ``str``, decimals as
:class:`~decimal.Decimal`, dates as :class:`~datetime.date`; ``.dicts()``, ``.to_json()``,
``.to_csv()`` and ``.to_dataframe()`` convert them.

============================  ========================  =========================================
method                        named query               question
============================  ========================  =========================================
``clusters``                  clusters, taxonomy-as-of  the clusters of a version, or on a date
``diff``                      version-diff              what changed between two versions
``lineage``                   lineage                   where a cluster came from, what it became
``events``                    events                    the reclassification events of a version
``event_types``               event-types               the kinds of event, their names and colours
``counts``                    counts                    clusters per version and tier
``versions``                  versions                  the versions and their documents
``priorities``                priorities                priorities of a version or a document
``announcement``              announcement              who announced a version, when, what
``announcement_by_cluster``   announcement-by-cluster   what the next version's announcement says of each cluster
``achievement_claims``        achievement-claims        what was claimed achieved, by technology and cluster
``corrections``               corrections               what changed in the data, from what to what, why
``metric_series``             metric-series             a measure's time series
``targets_vs_actuals``        targets-vs-actuals        were the targets met, by how much
``above_threshold``           above-threshold           who is above a value in a year
``growth``                    growth                    change and annual rate between two years
``conflicts``                 conflicts                 figures the sources disagree on
``measures``                  measures                  the measures and their units
``sources_of``                sources-of                the sources behind a statement
``statements_from_source``    statements-from-source    what rests on one source
``single_source_statements``  single-source-statements  what rests on one source alone
``uncertain_facts``           uncertain-facts           what is not confirmed
``search``                    search                    find things by English or Chinese name
``memberships``               memberships               which cluster is in which version
``event_clusters``            event-clusters            each event's clusters before and after
``figures``                   figures                   every observation and target
``citations``                 citations                 every citation, with its quote
``labels``                    labels                    the names of things, in every language
``properties``                properties                everything said of one thing
``links_to``                  links-to                  what points at one thing
``ontology_terms``            ontology-terms            the ontology's classes, properties, individuals
``ontology_axioms``           ontology-axioms           subclasses, domains and ranges
============================  ========================  =========================================

Every ``lang`` argument is ``"en"`` or ``"zh"``: the language of the labels returned.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .errors import UsageError
from .results import QueryResult

__all__ = ["Questions"]


class Questions:
    """The questions an analyst of the 20+8 policy asks, one method each (mixed into KnowledgeGraph)."""

    if TYPE_CHECKING:  # provided by KnowledgeGraph

        def query(self, name: str, **params: Any) -> QueryResult: ...

    # -- the taxonomy

    def clusters(self, version: str | None = None, as_of: date | str | None = None, lang: str = "en") -> QueryResult:
        """The clusters of a version (both tiers, grouped by sector), or of the version in force on a date.

        Args:
            version: a version number such as ``"2.0"``; default every version (each row says which).
            as_of: a date (``date`` or ``"YYYY-MM-DD"``): the clusters of the version in force then
                (query ``taxonomy-as-of``). Not together with ``version``.
            lang: the language of the labels.

        Raises:
            UsageError: both ``version`` and ``as_of`` given.
            ParameterError: an unknown version or a bad date (the message lists the known versions).

        >>> import kgtool
        >>> kg = kgtool.open()  # the store kgtool build wrote
        >>> rows = kg.clusters(version="2.0", lang="zh").dicts()
        >>> len(rows), rows[6]["label"], rows[-1]["tier"]
        (28, '人工智能', 'future')
        >>> {row["version"] for row in kg.clusters(as_of="2024-02-29")}
        {'1.0'}
        """
        if version is not None and as_of is not None:
            raise UsageError("give a version or a date (as_of), not both")
        if as_of is not None:
            return self.query("taxonomy-as-of", date=as_of, lang=lang)
        return self.query("clusters", version=version, lang=lang)

    def diff(self, old: str, new: str, lang: str = "en") -> QueryResult:
        """What changed from version ``old`` to version ``new``: one row per cluster before and after each
        reclassification event, of every type the ontology defines (:meth:`event_types`).

        >>> import kgtool
        >>> kg = kgtool.open()  # the store kgtool build wrote
        >>> rows = kg.diff("1.0", "2.0").dicts()
        >>> sorted({row["change"] for row in rows})
        ['added', 'elevated', 'merged', 'removed', 'renamed']
        >>> sorted(row["fromLabel"] for row in rows if row["toLabel"] == "High-end Equipment & Instruments")
        ['Laser & Additive Manufacturing', 'Machine Tools', 'Precision Instruments & Equipment']
        >>> kg.diff("2.0", "1.0")
        Traceback (most recent call last):
        ...
        kgtool.errors.UsageError: diff('2.0', '1.0'): version 2.0 comes after 1.0, and the changes go from the older
        version to the newer: diff('1.0', '2.0')

        Raises:
            UsageError: ``old`` comes after ``new`` (the versions are the wrong way round).
            ParameterError: an unknown version (the message lists the known ones).
        """
        result = self.query("version-diff", old=old, new=new, lang=lang)  # checks that both versions exist
        if not result:
            from .queries import Param, param_term

            first, second = (
                param_term(Param(name, "version"), value, "version-diff").value
                for name, value in (("old", old), ("new", new))
            )
            if _version_key(first) > _version_key(second):
                raise UsageError(
                    f"diff({old!r}, {new!r}): version {first} comes after {second}, and the changes go from the older "
                    f"version to the newer: diff({new!r}, {old!r})"
                )
        return result

    def lineage(self, cluster: str, lang: str = "en") -> QueryResult:
        """The reclassification events before (``backward``) and after (``forward``) a cluster, followed
        transitively through every version.

        Args:
            cluster: a slug (``artificial-intelligence``), an IRI, or an English or Chinese name.

        Raises:
            ParameterError: no cluster or several clusters have that name (the message lists them).

        >>> import kgtool
        >>> kg = kgtool.open()  # the store kgtool build wrote
        >>> [(r["direction"], r["change"], r["fromLabel"]) for r in kg.lineage("人工智能", lang="zh").dicts()]
        [('backward', 'elevated', '软件与信息服务')]
        >>> [(r["direction"], r["change"], r["toLabel"]) for r in kg.lineage("machine-tools").dicts()]
        [('forward', 'merged', 'High-end Equipment & Instruments')]
        """
        return self.query("lineage", cluster=cluster, lang=lang)

    def events(self, version: str, type: str | None = None, lang: str = "en") -> QueryResult:  # noqa: A002
        """The reclassification events a version made, by type; ``type`` keeps one type only.

        >>> import kgtool
        >>> kg = kgtool.open()  # the store kgtool build wrote
        >>> [(r["change"], r["fromClusters"], r["certainty"]) for r in kg.events("2.0", type="merged")]
        [('merged', 1, 'uncertain'), ('merged', 3, 'confirmed'), ('merged', 1, 'uncertain')]
        """
        return self.query("events", version=version, type=type, lang=lang)

    def event_types(self, lang: str = "en") -> QueryResult:
        """The kinds of reclassification event the ontology defines, in its list order: each one's slug (the
        ``change`` of :meth:`events`, :meth:`lineage` and :meth:`diff`), its name as a change and its colour.

        >>> import kgtool
        >>> kg = kgtool.open("memory")
        >>> r = kg.event_types(lang="zh").dicts()[2]
        >>> r["change"], r["label"], r["colour"]
        ('merged', '合并', '#CC79A7')
        """
        return self.query("event-types", lang=lang)

    def event_clusters(self, version: str | None = None) -> QueryResult:
        """Every reclassification event (of one version) with the clusters it took and gave and the events it
        competes with: one row per combination, so a merger of three clusters gives three rows.

        >>> import kgtool
        >>> kg = kgtool.open("memory")
        >>> sorted(r["fromCluster"].rsplit("/", 1)[1] for r in kg.event_clusters("2.0")
        ...        if r["event"].endswith("merged-high-end-equipment-and-instruments"))
        ['laser-and-additive-manufacturing', 'machine-tools', 'precision-instruments-and-equipment']
        """
        return self.query("event-clusters", version=version)

    def memberships(self, cluster: str | None = None, version: str | None = None) -> QueryResult:
        """The memberships (a cluster in a version's list, the node its sources hang on), of a cluster or a
        version.

        >>> import kgtool
        >>> kg = kgtool.open("memory")
        >>> [r["version"] for r in kg.memberships(cluster="cluster/software-and-information-services")]
        ['1.0', '2.0']
        """
        return self.query("memberships", cluster=cluster, version=version)

    def counts(self) -> QueryResult:
        """How many clusters each version has per tier, with sectors and announced priorities.

        >>> import kgtool
        >>> kg = kgtool.open()  # the store kgtool build wrote
        >>> [(r["version"], r["tier"], r["clusters"]) for r in kg.counts().dicts()][:4]
        [('1.0', 'sei', 20), ('1.0', 'future', 8), ('2.0', 'sei', 20), ('2.0', 'future', 8)]
        """
        return self.query("counts")

    def versions(self, lang: str = "en") -> QueryResult:
        """The policy versions with their status, dates and documents.

        >>> import kgtool
        >>> kg = kgtool.open()  # the store kgtool build wrote
        >>> [(r["version"], r["status"], r["issued"]) for r in kg.versions().dicts()][1:]
        [('1.0', 'superseded', '2022-06-06'), ('2.0', 'in-force', '2024-03'), ('3.0', 'announced', None)]
        """
        return self.query("versions", lang=lang)

    def priorities(self, version: str | None = None, lang: str = "en") -> QueryResult:
        """The priorities named with a version's announcement or in a related document (not members of a list);
        with ``version``, only that version's.

        >>> import kgtool
        >>> kg = kgtool.open()  # the store kgtool build wrote
        >>> len(kg.priorities("3.0")), len(kg.priorities())
        (11, 31)
        """
        return self.query("priorities", version=version, lang=lang)

    def announcement(self, version: str, lang: str = "en") -> QueryResult:
        """How a version was announced (who, when, on what occasion, in which document, planned for when) and
        what: one row per target it sets.

        >>> import kgtool
        >>> kg = kgtool.open()  # the store kgtool build wrote
        >>> r = kg.announcement("3.0").dicts()[0]
        >>> r["announced"], r["announcedBy"], r["plannedFor"], r["qualifier"], r["value"]
        (datetime.date(2026, 2, 9), 'Qin Weizhong', '2026', 'over', Decimal('7'))
        """
        return self.query("announcement", version=version, lang=lang)

    def announcement_by_cluster(self, version: str, cluster: str | None = None, lang: str = "en") -> QueryResult:
        """For every cluster of ``version``, what the announcement of the next version says about it: the priorities
        that concern it (or only have a related name), the measures planned for them with the announcement's words,
        and how certain each link is; a cluster it does not mention has one row, ``mention`` ``none``.

        >>> import kgtool
        >>> kg = kgtool.open("memory")
        >>> rows = kg.announcement_by_cluster("2.0", cluster="semiconductors-and-integrated-circuits").dicts()
        >>> [(r["mention"], r["linkCertainty"], r["quote"][:38]) for r in rows]  # doctest: +NORMALIZE_WHITESPACE
        [('priority', 'uncertain', 'the city plans to enhance the developm'),
         ('priority', 'uncertain', 'improve the development level of major'),
         ('priority', 'uncertain', 'It will accelerate the construction an')]
        >>> {r["mention"] for r in kg.announcement_by_cluster("2.0", cluster="smart-terminals")}
        {'none'}
        """
        return self.query("announcement-by-cluster", version=version, cluster=cluster, lang=lang)

    def achievement_claims(self, cluster: str | None = None, lang: str = "en") -> QueryResult:
        """Claims of achievement (breakthroughs, innovations, deployments, initiatives, world firsts, economic
        outcomes) with the technologies they name and the clusters those are related to; with ``cluster``, only
        the claims that reach it.

        >>> import kgtool
        >>> kg = kgtool.open("memory")
        >>> sorted({r["technologyLabel"] for r in kg.achievement_claims("semiconductors-and-integrated-circuits")})
        ['Chip technology', 'EDA software', 'High-end chips', 'Semiconductor production equipment']
        """
        return self.query("achievement-claims", cluster=cluster, lang=lang)

    def corrections(self, since: date | str | None = None) -> QueryResult:
        """The corrections of the graph, newest first: the node and property, the value before and after, why,
        when and in which release, and each source with the words read there; ``since`` keeps those made on or
        after a day.

        >>> import kgtool
        >>> kg = kgtool.open("memory")
        >>> rows = kg.corrections().dicts()
        >>> {r["release"] for r in rows}, sorted({r["status"] for r in rows})
        ({'0.2.0'}, ['applied', 'not-applied'])
        """
        return self.query("corrections", since=since)

    # -- figures

    def metric_series(
        self,
        measure: str,
        subject: str = "place/shenzhen",
        since: int | None = None,
        until: int | None = None,
        lang: str = "en",
    ) -> QueryResult:
        """A measure's observed values for one subject, in time order (every source's value).

        >>> import kgtool
        >>> kg = kgtool.open()  # the store kgtool build wrote
        >>> [(r["period"], r["value"]) for r in kg.metric_series("sei-added-value-share-of-gdp", since=2023).dicts()]
        ... # doctest: +NORMALIZE_WHITESPACE
        [('2023 Q1–Q3', Decimal('42.5')), ('2023', Decimal('41.9')), ('2024', Decimal('42.3')),
         ('2024', Decimal('45')), ('2025', Decimal('43'))]
        """
        return self.query("metric-series", measure=measure, subject=subject, since=since, until=until, lang=lang)

    def targets_vs_actuals(
        self, version: str | None = None, measure: str | None = None, lang: str = "en"
    ) -> QueryResult:
        """Each target with the actual figures for its measure, subject and period: met or not, by how much.

        >>> import kgtool
        >>> kg = kgtool.open()  # the store kgtool build wrote
        >>> [(r.version, r.period, r.met, r.difference, r.ratio)
        ...  for r in kg.targets_vs_actuals(measure="sei-added-value") if r.subjectLabel == "Shenzhen"]
        ... # doctest: +NORMALIZE_WHITESPACE
        [('1.0', '2025', True, Decimal('170000000000'), Decimal('1.1133')),
         ('2.0', '2024', True, Decimal('60000000000'), Decimal('1.04')),
         ('2.0', '2024', True, Decimal('0'), Decimal('1')),
         ('2.0', '2025', True, Decimal('70000000000'), Decimal('1.0438'))]
        """
        return self.query("targets-vs-actuals", version=version, measure=measure, lang=lang)

    def above_threshold(
        self,
        measure: str,
        year: int,
        threshold: Decimal | int | float | str,
        kind: str | None = None,
        lang: str = "en",
    ) -> QueryResult:
        """The subjects (clusters, sectors, places; ``kind`` keeps one kind) whose value of the measure for
        the calendar year is above the threshold, largest first. The threshold is in the measure's
        normalised unit (yuan, percent, count).

        >>> import kgtool
        >>> kg = kgtool.open()  # the store kgtool build wrote
        >>> [r["subjectLabel"] for r in kg.above_threshold("sei-added-value", 2023, "2e11", kind="sector")]
        ['New-generation Electronic Information', 'Digital & Fashion', 'Green & Low-carbon']
        """
        return self.query("above-threshold", measure=measure, year=year, threshold=threshold, kind=kind, lang=lang)

    def growth(self, measure: str, start: int, end: int, subject: str = "place/shenzhen") -> QueryResult:
        """The growth of a measure from the year ``start`` to the year ``end``: change, percentage and compound
        annual rate, for every pair of comparable whole-year values (same unit, qualifier and definition).

        >>> import kgtool
        >>> kg = kgtool.open()  # the store kgtool build wrote
        >>> r = kg.growth("sei-added-value", 2020, 2025).dicts()[0]
        >>> r["change"], r["changePercent"], r["annualRatePercent"]
        (Decimal('640000000000'), Decimal('62.14'), Decimal('10.15'))
        """
        return self.query("growth", measure=measure, start=start, end=end, subject=subject)

    def conflicts(self, measure: str | None = None, lang: str = "en") -> QueryResult:
        """Values for the same measure, subject, period and definition whose qualifier intervals do not overlap,
        one row per value and source.

        >>> import kgtool
        >>> kg = kgtool.open()  # the store kgtool build wrote
        >>> sorted({r["value"] for r in kg.conflicts("gdp").dicts() if r["period"] == "2020"})
        [Decimal('2760000000000'), Decimal('2780000000000'), Decimal('2830000000000')]
        """
        return self.query("conflicts", measure=measure, lang=lang)

    def figures(self, subject: str | None = None) -> QueryResult:
        """Every observation and target (about one subject): measure, subject, period, value, unit, qualifier,
        the figure as worded, certainty, and for a target the version that set it.

        >>> import kgtool
        >>> kg = kgtool.open("memory")
        >>> [(r.kind, r.value, r.unit) for r in kg.figures("cluster/artificial-intelligence")]
        [('observation', Decimal('12.7'), 'percent')]
        """
        return self.query("figures", subject=subject)

    def measures(self, lang: str = "en") -> QueryResult:
        """The measures, with their units and how many observations and targets use each.

        >>> import kgtool
        >>> kg = kgtool.open()  # the store kgtool build wrote
        >>> [r["unit"] for r in kg.measures().dicts() if r["measure"].endswith("/gdp")]
        ['yuan']
        """
        return self.query("measures", lang=lang)

    # -- provenance and quality

    def sources_of(self, fact: str) -> QueryResult:
        """The sources behind a statement (an IRI, or a path such as ``event/2.0/renamed-robotics``), with the
        words each says; for a cluster, the sources of its memberships.

        >>> import kgtool
        >>> kg = kgtool.open()  # the store kgtool build wrote
        >>> [r["source"].rsplit("/", 1)[1] for r in kg.sources_of("event/2.0/renamed-robotics")]
        ['163-com-2024']
        """
        return self.query("sources-of", fact=fact)

    def statements_from_source(self, source: str, lang: str = "en") -> QueryResult:
        """Every statement resting on one source (a slug from ``graph/sources.csv`` or an IRI).

        >>> import kgtool
        >>> kg = kgtool.open()  # the store kgtool build wrote
        >>> sorted({r["kind"] for r in kg.statements_from_source("bkwk-cn")})
        ['observation']
        """
        return self.query("statements-from-source", source=source, lang=lang)

    def single_source_statements(self, source: str | None = None, lang: str = "en") -> QueryResult:
        """The statements that rest on one source only (with ``source``: on that source alone), so that a
        reader can see what would fall if it were wrong.

        >>> import kgtool
        >>> kg = kgtool.open()  # the store kgtool build wrote
        >>> [r["statement"].rsplit("/", 1)[1] for r in kg.single_source_statements("github-slide-deck")]
        ['document-number']
        """
        return self.query("single-source-statements", source=source, lang=lang)

    def uncertain_facts(self, level: str | None = None, lang: str = "en") -> QueryResult:
        """The facts that are not confirmed (or, with ``level``, the facts of that certainty), most doubtful
        first; sector groupings, issue dates and qualified statements (one triple of a node) included.

        >>> import kgtool
        >>> kg = kgtool.open()  # the store kgtool build wrote
        >>> r = kg.uncertain_facts("uncertain").dicts()[0]
        >>> r["certainty"], r["kind"], r["about"]
        ('uncertain', 'event', 'Blockchain merged into the software & information services cluster')
        """
        return self.query("uncertain-facts", level=level, lang=lang)

    def citations(self, statement: str | None = None) -> QueryResult:
        """Every citation (of one statement): the source, the words quoted and their language, the locator
        and the source's address.

        >>> import kgtool
        >>> kg = kgtool.open("memory")
        >>> [(r["source"].rsplit("/", 1)[1], r["language"]) for r in kg.citations("event/2.0/renamed-robotics")]
        [('163-com-2024', 'zh')]
        """
        return self.query("citations", statement=statement)

    # -- resources and the ontology

    def labels(self, node: str | None = None) -> QueryResult:
        """The names of things (of one IRI): labels, titles and names ranked by preference, other names
        (rank 6), each with its language.

        >>> import kgtool
        >>> kg = kgtool.open("memory")
        >>> [(r["label"], r["language"], r["rank"]) for r in kg.labels("cluster/artificial-intelligence")]
        [('Artificial Intelligence', 'en', 1), ('人工智能', 'zh', 1), ('artificial intelligence', 'en', 6)]
        """
        return self.query("labels", node=node)

    def properties(self, node: str) -> QueryResult:
        """Everything the graph says of one IRI: each property with its value (an IRI, or a literal's text,
        language and datatype).

        >>> import kgtool
        >>> kg = kgtool.open("memory")
        >>> [(r["kind"], r["text"]) for r in kg.properties("measure/gdp") if r["property"].endswith("#additive")]
        [('literal', 'true')]
        """
        return self.query("properties", node=node)

    def links_to(self, node: str) -> QueryResult:
        """What points at one IRI: each IRI and property whose value it is (citations and
        prov:wasDerivedFrom aside).

        >>> import kgtool
        >>> kg = kgtool.open("memory")
        >>> [r["property"].rsplit("#", 1)[1] for r in kg.links_to("cluster/artificial-intelligence")][1:]
        ['related', 'cluster', 'statementValue', 'subject', 'toCluster']
        """
        return self.query("links-to", node=node)

    def ontology_terms(self) -> QueryResult:
        """The ontology's classes, properties and individuals, each with its kind and English definition.

        >>> import kgtool
        >>> kg = kgtool.open("memory")
        >>> sorted({r["kind"] for r in kg.ontology_terms()})
        ['AnnotationProperty', 'Class', 'DatatypeProperty', 'NamedIndividual', 'ObjectProperty']
        """
        return self.query("ontology-terms")

    def ontology_axioms(self) -> QueryResult:
        """How the ontology's terms relate: subclass, domain, range and the classes of individuals.

        >>> import kgtool
        >>> kg = kgtool.open("memory")
        >>> sorted(r["subject"].rsplit("#", 1)[1] for r in kg.ontology_axioms()
        ...        if r["axiom"] == "subClassOf" and r["object"].endswith("#Cluster"))
        ['FutureIndustry', 'StrategicEmergingIndustryCluster']
        """
        return self.query("ontology-axioms")

    def search(self, text: str, lang: str = "en") -> QueryResult:
        """Things whose English or Chinese name (or slug) contains ``text``, best matches first.

        >>> import kgtool
        >>> kg = kgtool.open()  # the store kgtool build wrote
        >>> [(r["kind"], r["label"]) for r in kg.search("人工智能").dicts()][0]
        ('cluster', 'Artificial Intelligence')
        >>> len(kg.search('"} UNION { ?s ?p ?o } #'))
        0
        """
        return self.query("search", text=text, lang=lang)


def _version_key(number: str) -> tuple[int, ...]:
    """A version number as numbers (``"10.0"`` comes after ``"9.0"``)."""
    return tuple(int(part) for part in number.split("."))
