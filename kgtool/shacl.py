"""A SHACL engine on Oxigraph: the shapes compiled to SPARQL queries run over the whole graph at once.

pySHACL walks the data node by node in Python and runs a SHACL-SPARQL constraint once per focus node;
here every constraint of every shape becomes one SPARQL query over the whole graph (the focus nodes
joined in from the shape's targets), evaluated by Oxigraph. The results are those of pySHACL: the same
(focus node, path, value, source shape, severity) for every shape, checked by tests/test_shacl_engine.py
on every invalid fixture and on generated graphs.

What it supports (SHACL Core, and SHACL-SPARQL constraints):

- targets: ``sh:targetClass`` (with the data's ``rdfs:subClassOf``), implicit class targets,
  ``sh:targetNode``, ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``;
- paths: predicates, ``sh:inversePath``, sequences, ``sh:alternativePath``, ``sh:zeroOrMorePath``,
  ``sh:oneOrMorePath``, ``sh:zeroOrOnePath``;
- constraints: ``sh:class``, ``sh:datatype``, ``sh:nodeKind``, ``sh:minCount``, ``sh:maxCount``,
  ``sh:min/maxInclusive``, ``sh:min/maxExclusive``, ``sh:min/maxLength``, ``sh:pattern`` (``sh:flags``),
  ``sh:languageIn``, ``sh:uniqueLang``, ``sh:in``, ``sh:hasValue``, ``sh:equals``, ``sh:disjoint``,
  ``sh:lessThan``, ``sh:lessThanOrEquals``, ``sh:closed`` (``sh:ignoredProperties``),
  ``sh:qualifiedValueShape`` with ``sh:qualifiedMin/MaxCount``, and ``sh:not``, ``sh:and``, ``sh:or``,
  ``sh:xone``, ``sh:node`` over shapes made of value constraints; ``sh:sparql`` (SELECT) constraints;
  ``sh:severity``, ``sh:deactivated``, ``sh:message``.

Anything else in the SHACL namespace (SPARQL-based targets, rules, custom constraint components, nested
shapes with property constraints inside logical constraints...) stops the compilation with a
:class:`~kgtool.errors.DataError` naming the shape and the feature: nothing is skipped silently. The
reference engine (pySHACL, ``kgtool validate --engine pyshacl``) runs everything.

One difference is the store's, not the engine's: Oxigraph keeps literals in a canonical form (it stores
``"5"^^xsd:int`` as ``"5"^^xsd:integer``). :func:`store_rewrites` finds such literals in a graph before it
is loaded, and :mod:`kgtool.validate` hands a graph with any to the reference engine.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox

from .errors import DataError
from .namespaces import INTEGER_DATATYPES

__all__ = [
    "ShaclResult",
    "TripleIndex",
    "CompiledShapes",
    "compile_shapes",
    "validate_store",
    "store_rewrites",
    "ntriples_rewrites",
    "render_path",
    "SH",
]

SH = "http://www.w3.org/ns/shacl#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_OWL = "http://www.w3.org/2002/07/owl#"
_TYPE = ox.NamedNode(_RDF + "type")
_VIOLATION = ox.NamedNode(SH + "Violation")
_ANY = object()

#: Datatypes Oxigraph's storage rewrites to xsd:integer (see :func:`store_rewrites`).
_REWRITTEN_DATATYPES = INTEGER_DATATYPES - {_XSD + "integer"}

#: Datatypes whose well-formedness is checked by casting the lexical form (Oxigraph has the cast function).
_CASTABLE = frozenset(
    _XSD + name
    for name in (
        "integer",
        "decimal",
        "double",
        "float",
        "boolean",
        "date",
        "dateTime",
        "time",
        "gYear",
        "gYearMonth",
        "duration",
        "dayTimeDuration",
        "yearMonthDuration",
    )
)

# Parameters understood, by where they may appear; anything else in sh: is refused.
_SHAPE_KEYS = {
    "targetClass",
    "targetNode",
    "targetSubjectsOf",
    "targetObjectsOf",
    "property",
    "path",
    "message",
    "severity",
    "deactivated",
    "name",
    "description",
    "order",
    "group",
    "defaultValue",
    "declare",
    "prefixes",
}
_VALUE_KEYS = {
    "class",
    "datatype",
    "nodeKind",
    "minExclusive",
    "minInclusive",
    "maxExclusive",
    "maxInclusive",
    "minLength",
    "maxLength",
    "pattern",
    "flags",
    "languageIn",
    "in",
    "not",
    "and",
    "or",
    "xone",
    "node",
}
_FOCUS_KEYS = {
    "minCount",
    "maxCount",
    "uniqueLang",
    "hasValue",
    "equals",
    "disjoint",
    "lessThan",
    "lessThanOrEquals",
    "qualifiedValueShape",
    "qualifiedMinCount",
    "qualifiedMaxCount",
    "qualifiedValueShapesDisjoint",
    "closed",
    "ignoredProperties",
    "sparql",
}


@dataclass(frozen=True)
class ShaclResult:
    """One validation result, as pySHACL reports it (terms are pyoxigraph terms; ``path`` in SPARQL syntax)."""

    focus: ox.NamedNode | ox.BlankNode | ox.Literal
    path: str | None
    value: ox.NamedNode | ox.BlankNode | ox.Literal | None
    shape: ox.NamedNode | ox.BlankNode
    severity: ox.NamedNode
    message: str
    component: str

    def key(self) -> tuple[str, str | None, str | None, str, str]:
        """(focus, path, value, source shape, severity) in N-Triples syntax: what two engines must agree on."""
        return (
            str(self.focus),
            self.path,
            None if self.value is None else str(self.value),
            str(self.shape),
            str(self.severity),
        )


@dataclass
class _Check:
    """One SPARQL query of a compiled shape; each solution is a result (``?this``, and ``?value`` if bound)."""

    shape: ox.NamedNode | ox.BlankNode
    component: str
    query: str
    path: str | None
    message: str
    severity: ox.NamedNode
    template: bool = False  # the message has {?var} placeholders filled from the solution


@dataclass
class CompiledShapes:
    """The shapes graph compiled to SPARQL: the checks, and the classes whose subclasses must be looked up."""

    checks: list[_Check] = field(default_factory=list)
    source: str = ""


# -- reading the shapes graph ---------------------------------------------------------------------------


class TripleIndex:
    """Triples as an index: subject -> predicate IRI -> objects (in file order); the shapes graph, or a
    SHACL report."""

    def __init__(self, quads: Iterable[ox.Quad]) -> None:
        self.index: dict[Any, dict[str, list[Any]]] = {}
        for quad in quads:
            self.index.setdefault(quad.subject, {}).setdefault(quad.predicate.value, []).append(quad.object)

    def objects(self, node: object, predicate: str) -> list[Any]:
        return self.index.get(node, {}).get(predicate, [])

    def one(self, node: object, predicate: str) -> Any:
        values = self.objects(node, predicate)
        return values[0] if values else None

    def subjects(self, predicate: str, obj: object = _ANY) -> Iterator[Any]:
        for subject, predicates in self.index.items():
            if any(obj is _ANY or o == obj for o in predicates.get(predicate, ())):
                yield subject

    def items(self, node: object) -> list[Any]:
        """The members of an RDF list."""
        out = []
        while node != ox.NamedNode(_RDF + "nil"):
            first = self.one(node, _RDF + "first")
            if first is None:
                raise ValueError(f"{node} is not a well-formed RDF list")
            out.append(first)
            node = self.one(node, _RDF + "rest")
        return out


def render_path(objects: Callable[[object, str], list], path: object) -> str:
    """A SHACL path (a node of the shapes graph, read through ``objects(node, predicate)``) in SPARQL syntax."""

    def one(node: object, name: str) -> Any:
        values = objects(node, SH + name)
        return values[0] if values else None

    if isinstance(path, ox.NamedNode):
        return str(path)
    first = objects(path, _RDF + "first")
    if first:
        parts = []
        node = path
        while node != ox.NamedNode(_RDF + "nil"):
            parts.append(render_path(objects, objects(node, _RDF + "first")[0]))
            node = objects(node, _RDF + "rest")[0]
        return "(" + "/".join(parts) + ")"
    for name, template in (
        ("inversePath", "^{}"),
        ("zeroOrMorePath", "{}*"),
        ("oneOrMorePath", "{}+"),
        ("zeroOrOnePath", "{}?"),
    ):
        inner = one(path, name)
        if inner is not None:
            rendered = render_path(objects, inner)
            return "(" + template.format(rendered) + ")"
    alternatives = one(path, "alternativePath")
    if alternatives is not None:
        members = []
        node = alternatives
        while node != ox.NamedNode(_RDF + "nil"):
            members.append(render_path(objects, objects(node, _RDF + "first")[0]))
            node = objects(node, _RDF + "rest")[0]
        return "(" + "|".join(members) + ")"
    raise ValueError(f"{path} is not a SHACL path")


# -- compiling ------------------------------------------------------------------------------------------


class _Compiler:
    def __init__(self, graph: TripleIndex, source: str, classes: Callable[[list[ox.NamedNode]], list[ox.NamedNode]]):
        self.g = graph
        self.source = source
        self.subclasses = classes  # the classes and their subclasses in the data graph
        self.checks: list[_Check] = []

    def fail(self, shape: Any, cause: str) -> DataError:
        return DataError(
            self.source,
            None,
            f"shape {_name(shape)}: {cause}; the Oxigraph engine does not support "
            "it (the reference engine does: --engine pyshacl)",
        )

    def sh(self, node: object, name: str) -> list:
        return self.g.objects(node, SH + name)

    def sh1(self, node: object, name: str) -> object | None:
        return self.g.one(node, SH + name)

    def shapes(self) -> list:
        """Every shape that is validated on its own: node shapes, property shapes, and anything with a target."""
        found: dict[object, None] = {}
        for kind in ("NodeShape", "PropertyShape"):
            for s in self.g.subjects(_RDF + "type", ox.NamedNode(SH + kind)):
                found[s] = None
        for key in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "property"):
            for s in self.g.subjects(SH + key):
                found[s] = None
        for s in self.g.subjects(SH + "property"):
            for p in self.sh(s, "property"):
                found[p] = None
        return list(found)

    def compile(self) -> list[_Check]:
        for unsupported in ("target", "rule", "condition", "entailment", "shapesGraph", "suggestedShapesGraph"):
            for s in self.g.subjects(SH + unsupported):
                raise self.fail(s, f"sh:{unsupported}")
        for kind in ("ConstraintComponent", "SPARQLTarget", "SPARQLTargetType", "JSConstraint", "SPARQLRule"):
            for s in self.g.subjects(_RDF + "type", ox.NamedNode(SH + kind)):
                raise self.fail(s, f"a sh:{kind}")
        for shape in self.shapes():
            self.compile_shape(shape)
        return self.checks

    # Focus nodes ---------------------------------------------------------------------------------------

    def targets(self, shape: Any) -> list[str]:
        """SPARQL groups binding ?this to the shape's own targets."""
        groups = []
        classes = [c for c in self.sh(shape, "targetClass") if isinstance(c, ox.NamedNode)]
        types = {str(t) for t in self.g.objects(shape, _RDF + "type")}
        if isinstance(shape, ox.NamedNode) and types & {f"<{_RDFS}Class>", f"<{_OWL}Class>"}:
            classes.append(shape)
        if classes:
            closure = self.subclasses(classes)
            groups.append(
                "{ SELECT DISTINCT ?this WHERE { VALUES ?__class { "
                + " ".join(map(str, closure))
                + " } ?this a ?__class } }"
            )
        nodes = self.sh(shape, "targetNode")
        if nodes:
            groups.append("{ VALUES ?this { " + " ".join(map(str, nodes)) + " } }")
        for p in self.sh(shape, "targetSubjectsOf"):
            groups.append(f"{{ SELECT DISTINCT ?this WHERE {{ ?this {p} [] }} }}")
        for p in self.sh(shape, "targetObjectsOf"):
            groups.append(f"{{ SELECT DISTINCT ?this WHERE {{ [] {p} ?this }} }}")
        return groups

    def focus(self, shape: Any) -> str | None:
        """One SPARQL group binding ?this to each focus node of the shape once (None: it has none)."""
        groups = self.targets(shape)
        for parent in self.g.subjects(SH + "property", shape):
            if self.deactivated(parent):
                continue
            groups += self.targets(parent)
        if not groups:
            return None
        if len(groups) == 1:
            return groups[0]
        return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(groups) + " } }"

    def deactivated(self, shape: Any) -> bool:
        return any(str(v) == f'"true"^^<{_XSD}boolean>' for v in self.sh(shape, "deactivated"))

    # Shapes ---------------------------------------------------------------------------------------------

    def compile_shape(self, shape: Any) -> None:
        if self.deactivated(shape):
            return
        for predicate in self.g.index.get(shape, {}):
            if predicate.startswith(SH) and predicate[len(SH) :] not in _SHAPE_KEYS | _VALUE_KEYS | _FOCUS_KEYS:
                raise self.fail(shape, f"sh:{predicate[len(SH) :]}")
        focus = self.focus(shape)
        if focus is None:
            return
        path_node = self.sh1(shape, "path")
        path = None if path_node is None else render_path(self.g.objects, path_node)
        severity = cast(ox.NamedNode, self.sh1(shape, "severity") or _VIOLATION)
        message = _message(self.sh(shape, "message"))

        def check(
            component: str,
            where: str,
            select: str = "?this ?value",
            distinct: bool = True,
            tail: str = "",
            result_path: str | None = path,
            text: str = message,
            template: bool = False,
        ) -> None:
            query = f"SELECT {'DISTINCT ' if distinct else ''}{select} WHERE {{ {focus} {where} }}{tail}"
            self.checks.append(_Check(shape, component, query, result_path, text, severity, template))

        values = f"?this {path} ?value ." if path else "BIND(?this AS ?value)"

        # Value constraints: one result per value node that fails
        for name in sorted(_VALUE_KEYS - {"flags"}):
            for parameter in self.sh(shape, name):
                condition = self.value_condition(shape, name, parameter)
                check(name, f"{values} FILTER(!COALESCE({condition}, false))")

        if path is None:
            for name in (
                "minCount",
                "maxCount",
                "uniqueLang",
                "qualifiedValueShape",
                "equals",
                "disjoint",
                "lessThan",
                "lessThanOrEquals",
            ):
                if self.sh(shape, name):
                    raise self.fail(shape, f"sh:{name} on a node shape")
        self.compile_counts(shape, check, values, path)
        self.compile_pairs(shape, check, values)
        self.compile_qualified(shape, check, values)
        self.compile_closed(shape, check)
        for constraint in self.sh(shape, "sparql"):
            self.compile_sparql(shape, constraint, focus, path, severity)

    def compile_counts(self, shape: Any, check: Callable[..., None], values: str, path: str | None) -> None:
        """sh:minCount, sh:maxCount and sh:uniqueLang: one result per focus node."""
        for n in self.sh(shape, "minCount"):
            count = int(n.value)
            if count == 1:
                check("minCount", f"FILTER NOT EXISTS {{ {values} }}", "?this")
            elif count > 1:
                check(
                    "minCount",
                    f"OPTIONAL {{ {values} }}",
                    "?this",
                    False,
                    f" GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {count})",
                )
        for n in self.sh(shape, "maxCount"):
            count = int(n.value)
            if count == 0:
                check("maxCount", values, "?this")
            else:
                check("maxCount", values, "?this", False, f" GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {count})")
        for flag in self.sh(shape, "uniqueLang"):
            if str(flag) == f'"true"^^<{_XSD}boolean>':
                check(
                    "uniqueLang",
                    f'{values} ?this {path} ?__other . FILTER(isLiteral(?value) && lang(?value) != ""'
                    " && LCASE(lang(?value)) = LCASE(lang(?__other)) && !sameTerm(?value, ?__other))",
                    "?this (LCASE(lang(?value)) AS ?__lang)",
                )

    def compile_pairs(self, shape: Any, check: Callable[..., None], values: str) -> None:
        """sh:hasValue and the constraints that compare the values with those of another property."""
        for v in self.sh(shape, "hasValue"):
            check("hasValue", f"FILTER NOT EXISTS {{ {values} FILTER(sameTerm(?value, {v})) }}", "?this")
        for other in self.sh(shape, "equals"):
            check(
                "equals",
                f"{{ {values} FILTER NOT EXISTS {{ ?this {other} ?value }} }} UNION "
                f"{{ ?this {other} ?value . FILTER NOT EXISTS {{ {values} }} }}",
            )
        for other in self.sh(shape, "disjoint"):
            check("disjoint", f"{values} ?this {other} ?value .")
        for name, operator in (("lessThan", "<"), ("lessThanOrEquals", "<=")):
            for other in self.sh(shape, name):
                check(name, f"{values} ?this {other} ?__other . FILTER(!COALESCE(?value {operator} ?__other, false))")

    def compile_qualified(self, shape: Any, check: Callable[..., None], values: str) -> None:
        inner = self.sh(shape, "qualifiedValueShape")
        if not inner:
            return
        if any(str(v) == f'"true"^^<{_XSD}boolean>' for v in self.sh(shape, "qualifiedValueShapesDisjoint")):
            raise self.fail(shape, "sh:qualifiedValueShapesDisjoint true")
        if len(inner) > 1:
            raise self.fail(shape, "more than one sh:qualifiedValueShape")
        condition = self.shape_condition(shape, inner[0])
        for n in self.sh(shape, "qualifiedMinCount"):
            check(
                "qualifiedMinCount",
                f"OPTIONAL {{ {values} FILTER(COALESCE({condition}, false)) }}",
                "?this",
                False,
                f" GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {int(n.value)})",
            )
        for n in self.sh(shape, "qualifiedMaxCount"):
            check(
                "qualifiedMaxCount",
                f"{values} FILTER(COALESCE({condition}, false))",
                "?this",
                False,
                f" GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {int(n.value)})",
            )

    def compile_closed(self, shape: Any, check: Callable[..., None]) -> None:
        if not any(str(v) == f'"true"^^<{_XSD}boolean>' for v in self.sh(shape, "closed")):
            return
        allowed = [self.sh1(p, "path") for p in self.sh(shape, "property")]
        allowed = [p for p in allowed if isinstance(p, ox.NamedNode)]
        for ignored in self.sh(shape, "ignoredProperties"):
            allowed += self.g.items(ignored)
        listed = ", ".join(map(str, allowed))
        where = "?this ?__p ?value ." + (f" FILTER(?__p NOT IN ({listed}))" if listed else "")
        check("closed", where, "?this ?__p ?value", result_path=None)

    def compile_sparql(self, shape: Any, constraint: Any, focus: str, path: str | None, severity: ox.NamedNode) -> None:
        if self.deactivated(constraint):
            return
        for predicate in self.g.index.get(constraint, {}):
            if predicate.startswith(SH) and predicate[len(SH) :] not in {
                "select",
                "message",
                "prefixes",
                "deactivated",
            }:
                raise self.fail(shape, f"sh:{predicate[len(SH) :]} in a SPARQL constraint")
        select = self.sh1(constraint, "select")
        if not isinstance(select, ox.Literal):
            raise self.fail(shape, "a SPARQL constraint without sh:select")
        text = select.value
        body = _strip_literals_and_comments(text)
        for variable in ("currentShape", "shapesGraph"):
            if re.search(rf"\${variable}\b", body):
                raise self.fail(shape, f"${variable} in a SPARQL constraint")
        if "$PATH" in body:
            if path is None:
                raise self.fail(shape, "$PATH in a SPARQL constraint of a node shape")
            text = text.replace("$PATH", path)
        text = re.sub(r"\$this\b", "?this", text)
        # Pre-binding $this is joining the focus nodes into the outermost group, unless $this is out of its
        # scope somewhere: in a subquery, a MINUS or a VALUES block.
        select_at = re.search(r"\bSELECT\b", body, re.I)
        if select_at is None:
            raise self.fail(shape, "a SPARQL constraint that is not a SELECT query")
        if re.search(r"\b(SELECT|MINUS|VALUES|SERVICE)\b", body[select_at.end() :], re.I):
            raise self.fail(shape, "a SPARQL constraint with a subquery, MINUS or VALUES")
        match = re.search(r"\bWHERE\s*\{", text, re.I) or re.search(r"\{", text)
        if match is None:
            raise self.fail(shape, "a SPARQL constraint without a WHERE clause")
        query = self.prefixes(shape, constraint) + text[: match.end()] + " " + focus + " " + text[match.end() :]
        messages = self.sh(constraint, "message") or self.sh(shape, "message")
        self.checks.append(_Check(shape, "sparql", query, path, _message(messages), severity, template=True))

    def prefixes(self, shape: Any, constraint: Any) -> str:
        lines = []
        seen: set[object] = set()
        todo = list(self.sh(constraint, "prefixes"))
        while todo:
            node = todo.pop()
            if node in seen:
                continue
            seen.add(node)
            for declaration in self.sh(node, "declare"):
                prefix, namespace = self.sh1(declaration, "prefix"), self.sh1(declaration, "namespace")
                if not isinstance(prefix, ox.Literal) or not isinstance(namespace, ox.Literal):
                    raise self.fail(shape, "an sh:declare without sh:prefix and sh:namespace literals")
                lines.append(f"PREFIX {prefix.value}: <{namespace.value}>")
            todo += self.g.objects(node, _OWL + "imports")
        return "\n".join(lines) + "\n"

    # Conditions on one value (?value) -------------------------------------------------------------------

    def value_condition(self, shape: Any, name: str, parameter: Any, var: str = "?value") -> str:
        if name == "class":
            closure = " ".join(map(str, self.subclasses([parameter])))
            return f"(!isLiteral({var}) && EXISTS {{ VALUES ?__c {{ {closure} }} {var} a ?__c }})"
        if name == "datatype":
            return _datatype_condition(str(parameter.value), var)
        if name == "nodeKind":
            kinds = {
                "IRI": f"isIRI({var})",
                "BlankNode": f"isBlank({var})",
                "Literal": f"isLiteral({var})",
                "BlankNodeOrIRI": f"!isLiteral({var})",
                "BlankNodeOrLiteral": f"!isIRI({var})",
                "IRIOrLiteral": f"!isBlank({var})",
            }
            kind = parameter.value.removeprefix(SH)
            if kind not in kinds:
                raise self.fail(shape, f"sh:nodeKind {parameter}")
            return kinds[kind]
        if name in ("minExclusive", "minInclusive", "maxExclusive", "maxInclusive"):
            operator = {"minExclusive": ">", "minInclusive": ">=", "maxExclusive": "<", "maxInclusive": "<="}[name]
            return f"({var} {operator} {parameter})"
        if name in ("minLength", "maxLength"):
            operator = ">=" if name == "minLength" else "<="
            return f"(!isBlank({var}) && STRLEN(STR({var})) {operator} {int(parameter.value)})"
        if name == "pattern":
            flags = self.sh1(shape, "flags")
            flag_text = f", {_sparql_string(flags.value)}" if isinstance(flags, ox.Literal) else ""
            return f"(!isBlank({var}) && REGEX(STR({var}), {_sparql_string(parameter.value)}{flag_text}))"
        if name == "languageIn":
            ranges = [t.value for t in self.g.items(parameter)]
            tests = " || ".join(f"langMatches(lang({var}), {_sparql_string(r)})" for r in ranges) or "false"
            return f'(isLiteral({var}) && lang({var}) != "" && ({tests}))'
        if name == "in":
            members = self.g.items(parameter)
            return "(" + (" || ".join(f"sameTerm({var}, {m})" for m in members) or "false") + ")"
        if name == "not":
            return f"!COALESCE({self.shape_condition(shape, parameter, var)}, false)"
        if name in ("and", "or", "xone"):
            parts = [
                f"COALESCE({self.shape_condition(shape, member, var)}, false)" for member in self.g.items(parameter)
            ]
            if name == "and":
                return "(" + (" && ".join(parts) or "true") + ")"
            if name == "or":
                return "(" + (" || ".join(parts) or "false") + ")"
            return "((" + " + ".join(f"IF({p}, 1, 0)" for p in parts) + ") = 1)" if parts else "false"
        if name == "node":
            return self.shape_condition(shape, parameter, var)
        raise self.fail(shape, f"sh:{name}")

    def shape_condition(self, outer: Any, shape: Any, var: str = "?value") -> str:
        """Whether ``var`` conforms to ``shape``, which must be made of value constraints only."""
        if self.deactivated(shape):
            return "true"
        parts = []
        for predicate, objects in self.g.index.get(shape, {}).items():
            if not predicate.startswith(SH):
                continue
            name = predicate[len(SH) :]
            if name in ("message", "severity", "name", "description", "flags", "deactivated"):
                continue
            if name == "hasValue":  # on a node shape: the node is that value
                parts += [f"sameTerm({var}, {o})" for o in objects]
                continue
            if name not in _VALUE_KEYS:
                raise self.fail(outer, f"sh:{name} in a shape nested in a logical or shape-based constraint")
            parts += [f"COALESCE({self.value_condition(shape, name, o, var)}, false)" for o in objects]
        return "(" + (" && ".join(parts) or "true") + ")"


def _datatype_condition(datatype: str, var: str) -> str:
    if datatype == _RDF + "langString":
        return f'(isLiteral({var}) && lang({var}) != "")'
    if datatype == _RDFS + "Literal":
        return f"isLiteral({var})"
    typed = f"isLiteral({var}) && datatype({var}) = <{datatype}>"
    if datatype in _CASTABLE:
        typed += f" && COALESCE(isLiteral(<{datatype}>(STR({var}))), false)"  # an ill-formed literal fails its datatype
    return f"({typed})"


def _sparql_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def _message(messages: list) -> str:
    for m in messages:
        if isinstance(m, ox.Literal) and m.language in (None, "", "en"):
            return m.value
    return messages[0].value if messages else ""


def _name(node: object) -> str:
    return node.value if isinstance(node, ox.NamedNode) else str(node)


_LITERALS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'|<[^<>\s]*>|#[^\n]*",
    re.S,
)


def _strip_literals_and_comments(text: str) -> str:
    return _LITERALS.sub(" ", text)


# -- running --------------------------------------------------------------------------------------------


def compile_shapes(
    shapes: Path | str | bytes, classes: Callable[[list[ox.NamedNode]], list[ox.NamedNode]], source: str | None = None
) -> CompiledShapes:
    """Compile a shapes graph (a Turtle file, or Turtle text) to SPARQL checks.

    Args:
        shapes: the shapes graph.
        classes: gives each class list extended with its subclasses (``rdfs:subClassOf*``) in the data.
        source: the name to give in errors (default: the file's path).

    Raises:
        DataError: the shapes cannot be parsed, or use a feature this engine does not support.
    """
    name = source or (str(shapes) if isinstance(shapes, Path) else "<shapes>")
    try:
        if isinstance(shapes, Path):
            quads = list(ox.parse(path=str(shapes), format=ox.RdfFormat.TURTLE))
        else:
            data = shapes.encode("utf-8") if isinstance(shapes, str) else shapes
            quads = list(ox.parse(data, format=ox.RdfFormat.TURTLE))
    except SyntaxError as error:
        raise DataError(name, getattr(error, "lineno", None), f"Turtle syntax: {error.msg}") from None
    except OSError as error:
        raise DataError(name, None, error.strerror or str(error)) from None
    checks = _Compiler(TripleIndex(quads), name, classes).compile()
    return CompiledShapes(checks, name)


def subclass_lookup(store: ox.Store, union: bool = False) -> Callable[[list[ox.NamedNode]], list[ox.NamedNode]]:
    """A function giving classes with their subclasses in ``store`` (``rdfs:subClassOf*``)."""
    cache: dict[tuple[str, ...], list[ox.NamedNode]] = {}

    def lookup(classes: list[ox.NamedNode]) -> list[ox.NamedNode]:
        key = tuple(sorted(str(c) for c in classes))
        if key not in cache:
            query = (
                "SELECT DISTINCT ?c WHERE { VALUES ?super { "
                + " ".join(key)
                + " } ?c <"
                + _RDFS
                + "subClassOf>* ?super }"
            )
            found = {str(c): c for c in classes}
            for row in cast(ox.QuerySolutions, store.query(query, use_default_graph_as_union=union)):
                found.setdefault(str(row[0]), row[0])
            cache[key] = [found[k] for k in sorted(found)]
        return cache[key]

    return lookup


def validate_store(store: ox.Store, shapes: Path | str | bytes, *, union: bool = False) -> list[ShaclResult]:
    """Validate the data in ``store`` against ``shapes``; every result of every shape.

    Args:
        store: the data graph (with the ontology, for ``rdfs:subClassOf``), in the default graph, or in named
            graphs read as one when ``union`` is true.
        shapes: the shapes graph: a Turtle file or Turtle text.
    """
    compiled = compile_shapes(shapes, subclass_lookup(store, union))
    return run_checks(store, compiled, union=union)


def run_checks(store: ox.Store, compiled: CompiledShapes, *, union: bool = False) -> list[ShaclResult]:
    """Run compiled checks on ``store``."""
    results: list[ShaclResult] = []
    for check in compiled.checks:
        try:
            solutions = cast(ox.QuerySolutions, store.query(check.query, use_default_graph_as_union=union))
        except SyntaxError as error:
            raise DataError(
                compiled.source, None, f"shape {_name(check.shape)}: its SPARQL does not parse: {error}"
            ) from None
        names = [v.value for v in solutions.variables]
        for row in solutions:
            bound = {n: row[n] for n in names if row[n] is not None}
            focus = bound.get("this")
            if focus is None:
                continue
            value = bound.get("value")
            path = check.path
            if check.component == "closed":
                path = str(bound["__p"])
            elif check.component == "sparql" and "path" in bound:
                path = str(bound["path"])
            message = _fill(check.message, bound) if check.template else check.message
            results.append(ShaclResult(focus, path, value, check.shape, check.severity, message, check.component))
    return results


def _fill(message: str, bound: dict[str, object]) -> str:
    def replace(match: re.Match[str]) -> str:
        term = bound.get(match.group(1))
        if term is None:
            return match.group(0)
        return term.value if isinstance(term, ox.NamedNode | ox.Literal) else str(term)

    return re.sub(r"\{[?$](\w+)\}", replace, message)


_REWRITTEN_IN_NTRIPLES = re.compile(
    rb"\^\^<"
    + re.escape(_XSD.encode())
    + rb"(?:"
    + b"|".join(re.escape(d[len(_XSD) :].encode()) for d in sorted(_REWRITTEN_DATATYPES))
    + rb")>"
)


def ntriples_rewrites(data: bytes) -> bool:
    """Whether N-Triples (or N-Quads) ``data`` has a literal Oxigraph's storage would rewrite (see
    :func:`store_rewrites`); a scan of the bytes, much quicker than walking the terms."""
    return _REWRITTEN_IN_NTRIPLES.search(data) is not None


def store_rewrites(literals: Iterable[object]) -> list[object]:
    """The literals among ``literals`` (rdflib or pyoxigraph) that Oxigraph's storage would rewrite: a value
    typed by a derived integer type (``xsd:int``...) is stored as an ``xsd:integer``."""
    out = []
    for term in literals:
        datatype = getattr(term, "datatype", None)
        if datatype is not None and str(getattr(datatype, "value", datatype)) in _REWRITTEN_DATATYPES:
            out.append(term)
    return out
