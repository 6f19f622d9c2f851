"""A report as its reader checks it: metadata, text, the mentions found in it, and the
facts drawn from it with their evidence.

The mentions are found again in the stored text by the names of the entities the
report mentions (``schema:mentions``): the graph keeps facts' offsets, not every
mention's, and a name is the same string wherever it occurs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import URIRef
from rdflib.term import Node

from .namespaces import sparql_prologue
from .store import Store

PREFIX = sparql_prologue()

META = PREFIX + """
SELECT ?title ?text ?published ?author ?authorName ?source ?graph ?generated WHERE {
  ?r a schema:Report .
  OPTIONAL { ?r rdfs:label ?title }
  OPTIONAL { ?r schema:text ?text }
  OPTIONAL { ?r schema:datePublished ?published }
  OPTIONAL { ?r schema:author ?author OPTIONAL { ?author rdfs:label ?authorName } }
  OPTIONAL { ?r dcterms:source ?source }
  OPTIONAL { ?graph a cg:ReportGraph ; prov:wasDerivedFrom ?r
             OPTIONAL { ?graph prov:generatedAtTime ?generated } }
} LIMIT 1"""

MENTIONED = PREFIX + """
SELECT ?e ?name ?label ?type WHERE {
  ?r schema:mentions ?e .
  { ?e rdfs:label ?name } UNION { ?e skos:altLabel ?name }
  OPTIONAL { ?e rdfs:label ?label }
  OPTIONAL { ?e a ?type }
}"""

FACTS = PREFIX + """
SELECT ?st ?s ?slabel ?p ?o ?olabel ?text ?start ?confidence ?method WHERE {
  ?st a cg:FactStatement ; prov:wasDerivedFrom ?r ;
      rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  FILTER (?p != schema:mentions)
  OPTIONAL { ?st cg:evidenceText ?text }
  OPTIONAL { ?st cg:evidenceStart ?start }
  OPTIONAL { ?st cg:confidence ?confidence }
  OPTIONAL { ?st cg:method ?method }
  OPTIONAL { ?s rdfs:label ?slabel }
  OPTIONAL { ?o rdfs:label ?olabel }
} ORDER BY ?start ?st"""


@dataclass
class Fact:
    statement: URIRef
    subject: Node
    subject_label: str
    predicate: URIRef
    object: Node
    object_label: str | None
    text: str
    start: int | None
    confidence: str
    method: str


@dataclass
class Segment:
    """A piece of the report text: plain, or a mention of ``entity``."""

    text: str
    entity: URIRef | None = None
    label: str | None = None


@dataclass
class ReportView:
    iri: URIRef
    title: str
    published: Node | None
    author: Node | None
    author_name: str | None
    source: str | None
    graph: URIRef | None
    generated: Node | None
    segments: list[Segment]
    facts: list[Fact]
    mentioned: list[tuple[URIRef, str]]


def report_view(store: Store, iri: str) -> ReportView | None:
    """The report at ``iri``, or None when the graph holds no report there."""
    r = URIRef(iri)
    rows = store.query(META, {"r": r}).rows
    if not rows:
        return None
    title, text, published, author, author_name, source, graph, generated = rows[0]
    names: dict[str, URIRef] = {}
    labels: dict[URIRef, str] = {}
    for entity, name, label, _type in store.query(MENTIONED, {"r": r}).rows:
        if isinstance(entity, URIRef):
            names.setdefault(str(name), entity)
            labels.setdefault(entity, str(label or name))
    facts = {}
    for st, s, slabel, p, o, olabel, evidence, start, confidence, method in store.query(
            FACTS, {"r": r}).rows:
        if st in facts:
            continue
        facts[st] = Fact(st, s, str(slabel or s), p, o, None if olabel is None else str(olabel),
                         str(evidence or ""), int(start) if start is not None else None,
                         str(confidence or ""), str(method or ""))
    return ReportView(
        iri=r, title=str(title or iri), published=published, author=author,
        author_name=None if author_name is None else str(author_name),
        source=None if source is None else str(source), graph=graph, generated=generated,
        segments=mark_mentions(str(text or ""), names, labels),
        facts=sorted(facts.values(), key=lambda f: (f.start is None, f.start or 0, str(f.statement))),
        mentioned=sorted(labels.items(), key=lambda kv: kv[1].lower()))


def mark_mentions(text: str, names: dict[str, URIRef], labels: dict[URIRef, str]) -> list[Segment]:
    """Split ``text`` into plain segments and mentions, longest names first, whole
    words only, never overlapping. Generic back-references ("the Forum") are left
    plain: they are only a mention in context, which the text alone does not tell."""
    usable = sorted((n for n in names if len(n) > 2 and not _generic(n)), key=len, reverse=True)
    if not text or not usable:
        return [Segment(text)] if text else []
    # a name may break across lines in the stored text: any run of spaces matches
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(r"\s+".join(map(re.escape, n.split()))
                                                   for n in usable) + r")(?!\w)")
    by_words = {" ".join(n.split()): e for n, e in names.items()}
    segments: list[Segment] = []
    at = 0
    for m in pattern.finditer(text):
        if m.start() > at:
            segments.append(Segment(text[at:m.start()]))
        entity = by_words[" ".join(m.group(0).split())]
        segments.append(Segment(m.group(0), entity, labels.get(entity)))
        at = m.end()
    if at < len(text):
        segments.append(Segment(text[at:]))
    return segments


def _generic(name: str) -> bool:
    words = name.split()
    return words[0].lower() == "the" and len(words) <= 2 and not any(w.isupper() for w in words[1:])
