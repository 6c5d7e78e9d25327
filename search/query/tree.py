"""Rewrites and readings of a parsed Whoosh query tree: the meaning people expect of
NOT and `field:`, typed field names to schema fields, and the words a query looks for."""

from __future__ import annotations

import copy

from whoosh import query as q

from search.index.schema import TEXT_FIELDS

# Query field names people type -> the schema's name-analysed fields.
FIELD_ALIASES = {"title": "title", "specialty": "specialty_name", "doctor": "doctor_names"}


def negations_fixed(node: q.Query) -> q.Query:
    """Give NOT and -word the meaning people expect, in an unnormalised parse tree.

    - `rash NOT markup` in an OR group is rash minus markup, not "rash, or anything
      without markup" (what Whoosh's OrGroup makes of it);
    - `-rash` or `the -rash` (nothing positive left) is everything but rash, not nothing.
    """
    if node.is_leaf():
        return node
    node = node.apply(negations_fixed)
    if isinstance(node, q.AndNot) and is_empty_tree(node.a):
        return q.Not(node.b)
    if isinstance(node, q.Or):
        negated = [sub.query for sub in node.subqueries if isinstance(sub, q.Not)]
        positive = [
            sub for sub in node.subqueries
            if not isinstance(sub, q.Not) and not is_empty_tree(sub)
        ]
        if negated and positive:
            kept = node.__class__(positive, boost=node.boost, scale=getattr(node, "scale", None))
            return q.AndNot(kept, q.Or(negated))
        if negated:
            return q.Not(q.Or(negated))
    return node


def fields_required(node: q.Query) -> q.Query:
    """`specialty:urology pain` means urology threads about pain, not "either".

    In the top-level OR, parts that name a field (title:, specialty:, doctor:) narrow the
    search: parts naming the same field are alternatives, different fields must all
    match, and the remaining words rank within them (like ticking a facet).
    """
    if isinstance(node, q.AndNot):
        return q.AndNot(fields_required(node.a), node.b)
    if not isinstance(node, q.Or):
        return node
    by_field: dict[str, list[q.Query]] = {}
    rest: list[q.Query] = []
    for sub in node.subqueries:
        field = single_named_field(sub)
        if field is None:
            rest.append(sub)
        else:
            by_field.setdefault(field, []).append(sub)
    if not by_field:
        return node
    required: list[q.Query] = [
        parts[0] if len(parts) == 1 else q.Or(parts) for parts in by_field.values()
    ]
    if rest:
        required.append(node.__class__(rest, boost=node.boost, scale=getattr(node, "scale", None)))
    return required[0] if len(required) == 1 else q.And(required)


def single_named_field(node: q.Query) -> str | None:
    """The field a part is restricted to when a person typed `field:` for all of it."""
    fields = {getattr(leaf, "fieldname", None) for leaf in node.leaves()}
    if len(fields) == 1 and (field := fields.pop()) in FIELD_ALIASES:
        # A plain word spreads over every text field; one typed field is a restriction.
        return field
    return None


def is_empty_tree(node: q.Query) -> bool:
    """True when nothing in the tree can match (stop words only, empty groups)."""
    if is_empty(node):
        return True
    if isinstance(node, q.Not):
        return False
    if node.is_leaf():
        return False
    return all(is_empty_tree(child) for child in node.children())


def renamed(node: q.Query) -> q.Query:
    """Point a leaf typed as `specialty:`/`doctor:` at the schema's name-analysed field."""
    fieldname = getattr(node, "fieldname", None)
    real = FIELD_ALIASES.get(fieldname) if fieldname else None
    if real is None or real == fieldname:
        return node
    node = copy.copy(node)
    node.fieldname = real
    return node


def term_text(term: bytes | str) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else term


def is_empty(query: q.Query) -> bool:
    return query is q.NullQuery or isinstance(query, q.NullQuery.__class__)


def query_terms(query: q.Query, fieldnames: tuple[str, ...] = TEXT_FIELDS) -> set[str]:
    """The indexed words a query looks for in the given fields, negated parts excluded:
    what a snippet should mark."""
    found: set[str] = set()

    def walk(node: q.Query) -> None:
        if isinstance(node, q.Not):
            return
        if isinstance(node, q.AndNot):
            walk(node.a)
            return
        if isinstance(node, q.Term):
            if node.fieldname in fieldnames:
                found.add(term_text(node.text))
            return
        if isinstance(node, q.Phrase):
            if node.fieldname in fieldnames:
                found.update(node.words)
            return
        for child in node.children():
            walk(child)

    walk(query)
    return found
