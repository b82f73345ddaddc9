"""What a record concerns or is related to: plain links (``concerns``, ``related``) and links less certain than
the record (``[[KIND.link]]``), each a qualified statement with its own certainty, note and citations."""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDF

from ..namespaces import SZ, instance
from .compilation import Compilation
from .records import Record
from .values import LINK_TARGETS, RELATIONS, SLUG

__all__ = ["compile_links"]


def compile_links(c: Compilation, node: URIRef, kind: str, slug: str, rec: Record) -> None:
    """What a record concerns (``concerns``: dcterms:subject) or is related to (``related``: skos:related).

    ``concerns = ["cluster/biomedicine"]`` states a link as certain as the record itself (its quote is the
    record's). Each ``[[KIND.link]]`` (``relation``, ``to``, ``certainty``, ``note``, ``[[KIND.link.source]]``)
    states a link less certain than the record: the triple, and a qualified statement of it with its own
    certainty, note and citations (``statement/KIND/SLUG/subject/cluster/biomedicine``).
    """
    for relation, predicate in RELATIONS.items():
        targets = rec.values.get(relation, [])
        if not isinstance(targets, list):
            c.problem(rec, f'{relation!r} must be a list of KIND/SLUG, such as ["cluster/biomedicine"]')
            continue
        for target in targets:
            reference = _link_target(c, str(target), rec)
            if reference is not None:
                c.add(node, predicate, reference)
    links = rec.values.get("link", [])
    if not isinstance(links, list):
        c.problem(rec, "'link' must be an array of tables [[...link]]")
        return
    for raw in links:
        link = Record(rec.path, rec.line_of(str(raw.get("to", ""))), raw, rec.source_lines)
        if not c.required(link, "relation", "to", "certainty"):
            continue
        linked_by = c.choice(RELATIONS, link.get("relation"), "relation", link)
        target = _link_target(c, str(link.get("to")), link)
        if linked_by is None or target is None:
            continue
        words = "subject" if linked_by == DCTERMS.subject else "related"
        ident = f"{kind}/{slug}/{words}/{link.get('to')}"
        seen = c.defined.setdefault("statement", {})
        if ident in seen:
            c.problem(link, f"duplicate link {ident!r} (first at {seen[ident][0]}:{seen[ident][1]})")
            continue
        seen[ident] = (link.path, link.line)
        c.add(node, linked_by, target)
        statement = instance("statement", ident)
        c.add(statement, RDF.type, SZ.QualifiedStatement)
        c.add(statement, SZ.statementSubject, node)
        c.add(statement, SZ.statementProperty, linked_by)
        c.add(statement, SZ.statementValue, target)
        c.fact(statement, link, c.toml_sources(link))


def _link_target(c: Compilation, target: str, rec: Record) -> URIRef | None:
    """The node a link points to (KIND/SLUG, a reference checked once every file is read)."""
    rec = Record(rec.path, rec.line_of(target), rec.values, rec.source_lines)  # problems point at the target
    kind, _, slug = target.partition("/")
    if kind not in LINK_TARGETS or not SLUG.match(slug):
        c.problem(rec, f"bad link target {target!r}: expected {', '.join(k + '/SLUG' for k in LINK_TARGETS)}", target)
        return None
    return c.ref(kind, slug, rec)
