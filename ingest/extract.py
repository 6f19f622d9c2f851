"""Stage 2: a Document becomes an Extraction — entities and facts with their evidence.

Pure: it reads the document and the gazetteer of known names, and touches no store.
The work is done by small stages, each of which can be tested on its own:

- ``metadata``: the dateline and the byline or signature;
- ``mentions``: the entities that the report names, known or new;
- ``events``: the events it reports, with their dates, places, organisers and people;
- ``relations``: memberships, units, funders, implementers, partners, bases.
"""
from __future__ import annotations

import re

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from civgraph.graph.config import graph_iri
from civgraph.graph.namespaces import CG, SDO

from .dates import explicit_years
from .events import find_events
from .gazetteer import Gazetteer, authority_gazetteer, near_misses
from .mentions import ORG_KINDS, find_mentions
from .metadata import read_metadata
from .model import Entity, Extraction, Fact
from .read import Document
from .relations import find_relations
from .sentences import sentence_at, sentences, unwrap
from .slug import slugify


def report_iri(base: str, name: str) -> URIRef:
    return URIRef(f"{base}report/{slugify(name)}")


def report_graph(base: str, name: str) -> URIRef:
    return URIRef(graph_iri(base, "report", slugify(name)))


def entity_iri(base: str, segment: str, label: str) -> URIRef:
    return URIRef(f"{base}{segment}/{slugify(label)}")


def context_year(text: str) -> int | None:
    """The year a report without a dateline gives itself, for its dates that name no
    year: a date with a year in its opening lines ("Hit, April 2018. Seven months …"),
    or else the one year that all its full dates share."""
    years = explicit_years(text)
    opening = [year for at, year in years if at < 400]
    if opening:
        return opening[0]
    distinct = {year for _, year in years}
    return distinct.pop() if len(distinct) == 1 else None


def date_literal(value: str) -> Literal:
    """``2018-04-27``, ``2018-04``, ``2018`` or ``--04-27`` with the XSD type that fits."""
    if value.startswith("--"):
        return Literal(value, datatype=XSD.gMonthDay)
    kind = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}[len(value)]
    return Literal(value, datatype=kind)


def _interviewee_org(text: str, spans, ms, after: int) -> URIRef | None:
    """In an interview, "we" is the organisation of the person interviewed, as the
    introduction presents them: "Dana Aziz is the director of the Kut Women's League"."""
    from .mentions import PERSON_ROLES
    for span in [x for x in spans if x.start >= after][:3]:
        for m in ms.within(span):
            if ms.cls_of(m.iri) != SDO.Person:
                continue
            cue = re.match(rf"\s+(?:(?:is|was|has been)\s+(?:the|a|an|one of the)\s+(?:[\w\-]+\s+){{0,2}}?(?i:{PERSON_ROLES})s?"
                           rf"\s+(?:of|at)|(?:has|have)\s+(?:coordinated|directed|led|headed|chaired|run)|"
                           rf"(?:coordinates|directs|leads|heads|chairs|runs))\s+(?:the\s+)?", text[m.end:span.end])
            if cue:
                org = ms.at(m.end + cue.end())
                if org is not None and ms.cls_of(org.iri) in ORG_KINDS:
                    return org.iri
    return None     # only the introduction, right after the byline, says it


def extract(doc: Document, gazetteer: Gazetteer, base: str) -> Extraction:
    """The entities and facts of one report, each fact with the sentence behind it and
    the rule that produced it (``Fact.method``)."""
    out = Extraction(report=report_iri(base, doc.name), graph=report_graph(base, doc.name))
    text = unwrap(doc.text, doc.title)          # same offsets, soft line breaks read as spaces
    spans = sentences(text)
    meta = read_metadata(doc.text, doc.title)
    if meta.date and meta.date_span:
        out.add_fact(Fact(out.report, SDO.datePublished, date_literal(meta.date),
                          meta.date_span, "dateline", 0.95))

    ms = find_mentions(text, doc.title, gazetteer, base, meta.author)
    author: URIRef | None = None
    if meta.author and meta.author_span:
        person = ms.entity(meta.author, SDO.Person, "byline")
        author = person.iri
        out.add_fact(Fact(out.report, SDO.author, person.iri, meta.author_span, "byline", 0.9))

    # the entities the report names, each mentioned once (at its first mention)
    first_seen: dict[URIRef, int] = {}
    for m in ms.sorted():
        first_seen.setdefault(m.iri, m.start)
    for iri, ent in ms.entities.items():
        if iri not in first_seen and iri != author:
            continue
        out.add_entity(Entity(ent.iri, ent.cls, ent.label, set(ent.names), ent.known))
        method = "known-name" if ent.known else ms.methods.get(iri, "new-name")
        where = sentence_at(spans, first_seen.get(iri, meta.author_span.start if meta.author_span else 0))
        out.add_fact(Fact(out.report, SDO.mentions, ent.iri, where, method,
                          0.9 if ent.known else 0.75))

    # a new name very close to a curated one: a candidate for a curator, not a merge
    authority = authority_gazetteer(base)
    for iri, ent in ms.entities.items():
        if ent.known or iri not in first_seen or iri not in out.entities:
            continue
        for known, score in near_misses(ent.label, ent.cls, authority):
            if known.iri != iri:
                out.add_fact(Fact(iri, CG.candidateMatch, known.iri, sentence_at(spans, first_seen[iri]),
                                  "fuzzy-candidate", round(score / 100, 2)))

    year = int(meta.date[:4]) if meta.date else context_year(text)
    # the organisation the report speaks for: "we" in its text
    self_org = None
    interview = meta.author_span is not None and re.search(r"\bInterview|\bQuestions\b",
                                                           text[meta.author_span.start:meta.author_span.end])
    if meta.author_span is not None and not interview:
        # (in an interview "we" is the person interviewed, not the interviewer's organisation)
        self_org = next((m.iri for m in ms.sorted() if meta.author_span.start <= m.start < meta.author_span.end
                         and ms.cls_of(m.iri) in ORG_KINDS), None)
    if self_org is None and interview:
        # the introduction: from the line of the credit ("… Questions by X.") or after the byline
        line_start = text.rfind("\n", 0, meta.author_span.start) + 1
        self_org = _interviewee_org(text, spans, ms, line_start if line_start < meta.author_span.start
                                    and text[meta.author_span.start - 2] in ".!?" else meta.author_span.end)
    found = find_events(text, doc.title, spans, ms, base, slugify(doc.name), year, meta.date_span, self_org)
    for ent in found.entities:
        out.add_entity(ent)
    for fact in found.facts:
        out.add_fact(fact)
    for fact in find_relations(text, spans, ms, [e.start for e in found.events], author,
                               meta.author_role, meta.author_span, self_org):
        out.add_fact(fact)
    # an entity that a fact names is described in this report's graph
    for fact in out.facts:
        for node in (fact.subject, fact.object):
            if isinstance(node, URIRef) and node in ms.entities and node not in out.entities:
                ent = ms.entities[node]
                out.add_entity(Entity(ent.iri, ent.cls, ent.label, set(ent.names), ent.known))
    return out
