"""Query results as rows of Python values, the same from every store.

Every store turns its own terms into Python values with :func:`python_value`, so an answer reads the
same from rdflib, Oxigraph or a remote endpoint: IRIs become :class:`IRI` (an rdflib ``URIRef`` equal to its string),
``xsd:decimal`` a :class:`~decimal.Decimal`, ``xsd:integer`` an ``int``, ``xsd:date`` a
:class:`~datetime.date`, ``xsd:boolean`` a ``bool``, ``xsd:double``/``xsd:float`` a ``float``; every
other literal (strings, language-tagged text, ``xsd:gYear``...) its lexical form as a ``str``.

A store hands over its engine's own terms with a decoder (:meth:`QueryResult.decoded`): the rows are
made when first read (rdflib is imported then, for the IRIs), and an answer that is only printed
(:meth:`QueryResult.serialize`) is decoded with plain strings for IRIs and blank nodes instead, through
the same decoder and the same formatting as rows, so that printing an answer does not import rdflib.

Decimals are made canonical (``Decimal("43.0")`` becomes ``Decimal("43")``), as Oxigraph stores them,
so that an answer prints the same whichever store gave it. The ``table`` and ``md`` formats abbreviate
IRIs with the project's prefixes (``cluster:artificial-intelligence``); ``csv``, ``tsv`` and ``json``
give them in full.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, NamedTuple

from .namespaces import INTEGER_DATATYPES

if TYPE_CHECKING:
    from rdflib import BNode, Graph

    from .iri import IRI
    from .table import Cell

__all__ = [
    "QueryResult",
    "sparql_json_result",
    "Row",
    "IRI",
    "TermMakers",
    "ROW_TERMS",
    "RowDecoder",
    "python_value",
    "literal_value",
    "iri_value",
    "LITERAL_CONVERTERS",
    "canonical_decimal",
    "compact_iri",
    "RESULT_FORMATS",
]

_XSD = "http://www.w3.org/2001/XMLSchema#"

#: Tabular output formats of :meth:`QueryResult.serialize`.
RESULT_FORMATS = ("table", "csv", "tsv", "json", "md")
#: The most rows a notebook shows of an answer (:meth:`QueryResult._repr_html_`).
HTML_ROWS = 200


def __getattr__(name: str) -> Any:
    if name == "IRI":  # defined with rdflib, which is imported only when asked for
        from .iri import IRI

        return IRI
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def python_value(kind: str, value: str, datatype: str | None = None) -> Any:
    """The Python value of an RDF term given as its kind (``iri``, ``bnode``, ``literal``), lexical
    form and datatype IRI.

    >>> python_value("literal", "1.50", "http://www.w3.org/2001/XMLSchema#decimal")
    Decimal('1.5')
    >>> python_value("literal", "2022-06-06", "http://www.w3.org/2001/XMLSchema#date")
    datetime.date(2022, 6, 6)
    >>> python_value("iri", "https://w3id.org/sz20plus8/version/2.0")
    IRI('https://w3id.org/sz20plus8/version/2.0')
    """
    if kind == "iri":
        return iri_value(value)
    if kind == "bnode":
        return bnode_value(value)
    return literal_value(value, datatype)


def literal_value(value: str, datatype: str | None) -> Any:
    """The Python value of a literal given as its lexical form and datatype IRI: one dictionary look-up
    (:data:`LITERAL_CONVERTERS`), the lexical form itself for any other datatype or an ill-formed value.

    >>> literal_value("42", "http://www.w3.org/2001/XMLSchema#integer"), literal_value("人工智能", None)
    (42, '人工智能')
    """
    convert = LITERAL_CONVERTERS.get(datatype)  # type: ignore[arg-type]
    if convert is None:
        return value
    try:
        return convert(value)
    except (ValueError, InvalidOperation):
        return value


def iri_value(value: str) -> IRI:
    """The :class:`IRI` of a result, built once per IRI and shared: the same clusters, versions and units
    come back in row after row, and building an rdflib term costs more than looking it up.

    >>> iri_value("https://w3id.org/sz20plus8/version/2.0") is iri_value("https://w3id.org/sz20plus8/version/2.0")
    True
    """
    iri = _IRIS.get(value)
    if iri is None:
        from .iri import IRI

        if len(_IRIS) >= _IRI_CACHE_SIZE:
            _IRIS.clear()
        iri = _IRIS[value] = IRI(value)
    return iri


_IRIS: dict[str, IRI] = {}
_IRI_CACHE_SIZE = 200_000


def bnode_value(value: str) -> BNode:
    """The rdflib ``BNode`` of a blank node of a result."""
    from rdflib import BNode

    return BNode(value)


class _IRIText(str):
    """An IRI of an answer decoded for printing: its plain text, marked as an IRI (the ``table`` and ``md``
    formats abbreviate IRIs), made without rdflib."""

    __slots__ = ()


class TermMakers(NamedTuple):
    """How a decoder makes the IRIs and blank nodes of an answer, given as their text; literals are always
    the Python values of :func:`literal_value`."""

    iri: Callable[[str], Any]
    bnode: Callable[[str], Any]


#: The terms of rows: :class:`IRI` and rdflib ``BNode`` (:func:`python_value`).
ROW_TERMS = TermMakers(iri_value, bnode_value)
#: The terms of an answer only printed: the same text, without rdflib (see :func:`_text`).
_TEXT_TERMS = TermMakers(_IRIText, str)

#: How a store turns its engine's solutions into rows of values, making IRIs and blank nodes with the makers
#: given (:meth:`QueryResult.decoded`).
RowDecoder = Callable[[Sequence[Any], TermMakers], list[tuple[Any, ...]]]


def _decimal(value: str) -> Decimal:
    # Oxigraph already writes canonical forms ("1.5", "1200"): only others (1.50, 1.2E3, 5.) need the work
    last = value[-1:]
    if (last in "123456789" or (last == "0" and "." not in value)) and last and "e" not in value and "E" not in value:
        return Decimal(value)
    return canonical_decimal(Decimal(value))


def _date_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _boolean(value: str) -> bool:
    return value in ("true", "1")


#: How the lexical form of each datatype becomes a Python value; literals of other datatypes stay strings.
LITERAL_CONVERTERS: dict[str, Callable[[str], Any]] = {
    _XSD + "decimal": _decimal,
    **dict.fromkeys(INTEGER_DATATYPES, int),
    _XSD + "date": date.fromisoformat,
    _XSD + "dateTime": _date_time,
    _XSD + "boolean": _boolean,
    _XSD + "double": float,
    _XSD + "float": float,
}


def canonical_decimal(number: Decimal) -> Decimal:
    """The canonical form of a decimal: no trailing zeros after the point, no exponent for integers.

    >>> canonical_decimal(Decimal("43.0")), canonical_decimal(Decimal("1.5E+12")), canonical_decimal(Decimal("0.50"))
    (Decimal('43'), Decimal('1500000000000'), Decimal('0.5'))
    """
    if not number.is_finite():
        return number
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()


def decimal_lexical(number: Decimal) -> str:
    """The canonical lexical form of an ``xsd:decimal`` (as Oxigraph writes it): no exponent, no
    trailing zeros.

    >>> decimal_lexical(Decimal("34606.40")), decimal_lexical(Decimal("1.5E+12")), decimal_lexical(Decimal("1E-7"))
    ('34606.4', '1500000000000', '0.0000001')
    """
    return format(canonical_decimal(number), "f")


class Row(tuple):
    """A row of a result: a tuple of values that can also be read by column name.

    >>> row = QueryResult("select", ("cluster", "label"), [("cluster/ai", "人工智能")])[0]
    >>> row[1], row["label"], row.label, row.asdict()
    ('人工智能', '人工智能', '人工智能', {'cluster': 'cluster/ai', 'label': '人工智能'})
    """

    _columns: dict[str, int]

    def __new__(cls, values: tuple[Any, ...], columns: dict[str, int]) -> Row:
        row = super().__new__(cls, values)
        row._columns = columns
        return row

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            try:
                key = self._columns[key]
            except KeyError:
                raise KeyError(f"no column {key!r}; columns: {', '.join(self._columns)}") from None
        return tuple.__getitem__(self, key)

    def __getattr__(self, name: str) -> Any:
        columns = self.__dict__.get("_columns", {})
        if name in columns:
            return tuple.__getitem__(self, columns[name])
        raise AttributeError(name)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Row, (tuple(self), self._columns))

    def asdict(self) -> dict[str, Any]:
        """The row as a dict of column name to value."""
        return {name: tuple.__getitem__(self, i) for name, i in self._columns.items()}


class QueryResult:
    """The answer of a query: a table of rows (SELECT), a boolean (ASK) or a graph (CONSTRUCT, DESCRIBE).

    Iterating gives the rows as tuples that can also be read by column name (``row["label"]``,
    ``row.label``); :meth:`dicts`, :meth:`to_json`, :meth:`to_csv` and :meth:`to_dataframe` convert them.
    """

    def __init__(
        self,
        kind: str,
        variables: tuple[str, ...] = (),
        rows: list[tuple[Any, ...]] | None = None,
        boolean: bool | None = None,
        graph: Graph | None = None,
    ) -> None:
        self.kind = kind
        self.variables = variables
        self.boolean = boolean
        self.graph = graph
        self._rows: list[tuple[Any, ...]] | None = [] if rows is None else rows
        self._solutions: Sequence[Any] = ()
        self._decode: RowDecoder | None = None

    @classmethod
    def decoded(cls, variables: tuple[str, ...], solutions: Sequence[Any], decode: RowDecoder) -> QueryResult:
        """A SELECT answer of an engine's ``solutions``, which ``decode`` turns into rows when they are first
        read (with :data:`ROW_TERMS`), or into text when the answer is only serialised."""
        result = cls("select", variables)
        result._solutions, result._decode, result._rows = solutions, decode, None
        return result

    @property
    def rows(self) -> list[tuple[Any, ...]]:
        """The rows, as tuples of Python values (``None`` where unbound)."""
        rows = self._rows
        if rows is None:
            assert self._decode is not None
            rows = self._rows = self._decode(self._solutions, ROW_TERMS)
            self._solutions = ()  # set after the rows: readers take the solutions first (see _values)
        return rows

    @rows.setter
    def rows(self, rows: list[tuple[Any, ...]]) -> None:
        self._rows, self._solutions = rows, ()

    def _values(self) -> Iterable[Sequence[Any]]:
        """The rows to print: the rows if they were read, else the solutions decoded without rdflib."""
        solutions = self._solutions
        rows = self._rows
        if rows is not None:
            return rows
        assert self._decode is not None
        return self._decode(solutions, _TEXT_TERMS)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, QueryResult):
            return NotImplemented
        return (self.kind, self.variables, self.rows, self.boolean, self.graph) == (
            other.kind,
            other.variables,
            other.rows,
            other.boolean,
            other.graph,
        )

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclass it was

    def __reduce__(self) -> tuple[Any, ...]:
        # the rows, not the engine's solutions (which cannot be pickled)
        return (QueryResult, (self.kind, self.variables, self.rows, self.boolean, self.graph))

    def __repr__(self) -> str:
        """What the answer is, in one line: ``<QueryResult: 28 rows of version, tier, ...>``, ``<QueryResult: ASK
        true>``, ``<QueryResult: a graph of 12 triples>`` (the rows themselves: :meth:`serialize`, :meth:`dicts`)."""
        if self.kind == "ask":
            return f"<QueryResult: ASK {str(self.boolean).lower()}>"
        if self.kind == "graph":
            return f"<QueryResult: a graph of {len(self)} triples>"
        count = len(self)
        return f"<QueryResult: {count} row{'' if count == 1 else 's'} of {', '.join(self.variables) or 'no columns'}>"

    def _repr_html_(self) -> str:
        """The answer as an HTML table, as a notebook (Jupyter) shows it: the table the pages show, with the
        number of rows; at most :data:`HTML_ROWS` rows (a note says how many more there are)."""
        from html import escape

        from .table import render_html_table

        if self.kind == "ask":
            return f'<p class="boolean"><strong>{str(self.boolean).lower()}</strong></p>'
        if self.kind == "graph":
            assert self.graph is not None
            turtle = self.graph.serialize(format="turtle")
            return f"<p>a graph of {len(self)} triples</p>\n<pre>{escape(turtle)}</pre>"
        count = len(self)
        values = list(self._values())[:HTML_ROWS]
        rows = [[_cell(value) for value in row] for row in values]
        more = f" (the first {HTML_ROWS} shown: .dicts() or .to_dataframe() has them all)" if count > HTML_ROWS else ""
        summary = f"<p>{count} row{'' if count == 1 else 's'}{more}</p>"
        return summary + "\n" + render_html_table(self.variables, rows)

    def __iter__(self) -> Iterator[Row]:
        columns = {name: i for i, name in enumerate(self.variables)}
        return (Row(row, columns) for row in self.rows)

    def __getitem__(self, index: int) -> Row:
        """The row at ``index``, readable by position or column name."""
        return Row(self.rows[index], {name: i for i, name in enumerate(self.variables)})

    def __len__(self) -> int:
        if self.kind == "graph" and self.graph is not None:
            return len(self.graph)
        solutions = self._solutions  # before the rows (see _values): counted without decoding them
        rows = self._rows
        return len(solutions) if rows is None else len(rows)

    def __bool__(self) -> bool:
        return bool(self.boolean) if self.kind == "ask" else len(self) > 0

    def column(self, name: str) -> list[Any]:
        """The values of one column."""
        index = self.variables.index(name)
        return [row[index] for row in self.rows]

    def dicts(self) -> list[dict[str, Any]]:
        """The rows as dicts of column name to value (unbound values are ``None``)."""
        return [dict(zip(self.variables, row, strict=True)) for row in self.rows]

    def text_rows(self, compact: bool = False) -> list[list[str]]:
        """The rows as text, as :meth:`to_csv` writes them (unbound values as ``""``); ``compact`` abbreviates
        IRIs with the project's prefixes, as the ``table`` and ``md`` formats do."""
        return [[_text(value, compact) for value in row] for row in self._values()]

    def to_json(self, indent: int | None = 2) -> str:
        """The rows as a JSON array of objects (decimals as numbers, dates as ISO strings)."""
        if self.kind == "ask":
            return json.dumps({"boolean": self.boolean})
        objects = [dict(zip(self.variables, row, strict=True)) for row in self._values()]
        return json.dumps(objects, ensure_ascii=False, indent=indent, default=_json_default)

    def to_csv(self, delimiter: str = ",") -> str:
        """The rows as CSV (or TSV with ``delimiter="\\t"``), with a header row."""
        out = io.StringIO()
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
        if self.kind == "ask":
            writer.writerow(["boolean"])
            writer.writerow([str(self.boolean).lower()])
        else:
            writer.writerow(self.variables)
            writer.writerows(self.text_rows())
        return out.getvalue()

    def to_dataframe(self) -> Any:
        """The rows as a pandas DataFrame (needs the ``pandas`` extra)."""
        from .errors import MissingOptionalError

        try:
            import pandas as pd
        except ImportError as error:
            raise MissingOptionalError("pandas is not installed: pip install 'sz20plus8[pandas]'") from error
        return pd.DataFrame.from_records(self.rows, columns=list(self.variables))

    def serialize(self, format: str = "table") -> str:  # noqa: A002 - the name users know
        """The rows in one of :data:`RESULT_FORMATS`."""
        if format == "csv":
            return self.to_csv()
        if format == "tsv":
            return self.to_csv("\t")
        if format == "json":
            return self.to_json() + "\n"
        if format in ("table", "md"):
            from .table import render_table

            if self.kind == "ask":
                return f"{str(self.boolean).lower()}\n"
            return render_table(self.variables, self.text_rows(compact=True), markdown=format == "md")
        raise ValueError(f"unknown result format {format!r}; known: {', '.join(RESULT_FORMATS)}")


def _cell(value: Any) -> Cell:
    """A value as a cell of an HTML table: its text as the ``table`` format prints it, the full IRI as its title,
    numbers aligned right."""
    from .table import Cell

    numeric = isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)
    return Cell(_text(value, compact=True), str(value) if _is_iri(value) else "", numeric)


def _text(value: Any, compact: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(canonical_decimal(value), "f") if value.is_finite() else str(value)
    if compact and _is_iri(value):
        return compact_iri(value)
    return str(value)


def _is_iri(value: Any) -> bool:
    """Whether a value is an IRI: decoded for printing, or an rdflib ``URIRef`` (an :class:`IRI` of a row); rdflib
    is not imported to tell: no value can be an rdflib term before rdflib is imported."""
    if isinstance(value, _IRIText):
        return True
    rdflib = sys.modules.get("rdflib")
    return rdflib is not None and isinstance(value, rdflib.URIRef)


def compact_iri(iri: str) -> str:
    """An IRI abbreviated with the longest matching prefix of the project, for reading.

    >>> compact_iri("https://w3id.org/sz20plus8/cluster/artificial-intelligence")
    'cluster:artificial-intelligence'
    >>> compact_iri("http://example.org/x")
    'http://example.org/x'
    """
    from .namespaces import PREFIXES

    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")) and len(iri) > len(namespace):
            best = prefix
    return f"{best}:{iri[len(PREFIXES[best]) :]}" if best else iri


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        value = canonical_decimal(value)
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def sparql_json_result(doc: dict[str, Any]) -> QueryResult:
    """SPARQL 1.1 JSON results (with SPARQL 1.0's ``typed-literal``, as Virtuoso writes) as a QueryResult.

    >>> sparql_json_result({"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal",
    ...     "value": "2", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]}}).rows
    [(2,)]
    """
    if "boolean" in doc:
        return QueryResult("ask", boolean=bool(doc["boolean"]))
    variables = tuple(doc.get("head", {}).get("vars", ()))
    rows = []
    for binding in doc.get("results", {}).get("bindings", ()):
        rows.append(tuple(_json_value(binding.get(name)) for name in variables))
    return QueryResult("select", variables, rows)


def _json_value(term: dict[str, Any] | None) -> Any:
    if term is None:
        return None
    kind = term.get("type")
    value = term.get("value", "")
    if kind == "uri":
        return python_value("iri", value)
    if kind == "bnode":
        return python_value("bnode", value)
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in term:
            return value
        return python_value("literal", value, term.get("datatype"))
    return str(value)
