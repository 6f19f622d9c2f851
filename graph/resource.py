"""What the graph says about one resource, with where each statement comes from.

Entity pages, report pages and the partner export all start here. The queries see the
union of the graphs, so a fact stated by three reports is one fact with three sources;
its sources are the ``cg:FactStatement`` nodes that point at it (docs/provenance.md).
Every resource IRI goes into the queries as a binding, never as text.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import Graph, URIRef
from rdflib.term import Node

from .namespaces import PREFIXES, RDF, RDFS, SDO, SKOS, sparql_prologue
from .store import Store

PREFIX = sparql_prologue()

EXISTS = PREFIX + "ASK { { ?s ?p ?o } UNION { ?x ?p ?s } }"

OUTGOING = PREFIX + """
SELECT DISTINCT ?p ?o ?label WHERE {
  ?s ?p ?o .
  OPTIONAL { ?o rdfs:label ?label }
}"""

INCOMING = PREFIX + """
SELECT DISTINCT ?x ?p ?label WHERE {
  ?x ?p ?s .
  FILTER (?p NOT IN (rdf:subject, rdf:object))
  OPTIONAL { ?x rdfs:label ?label }
}"""

SOURCES = PREFIX + """
SELECT ?st ?s2 ?p ?o ?report ?title ?text ?confidence ?method WHERE {
  { ?st rdf:subject ?s } UNION { ?st rdf:object ?s }
  ?st a cg:FactStatement ; rdf:subject ?s2 ; rdf:predicate ?p ; rdf:object ?o ;
      prov:wasDerivedFrom ?report .
  OPTIONAL { ?st cg:evidenceText ?text }
  OPTIONAL { ?st cg:confidence ?confidence }
  OPTIONAL { ?st cg:method ?method }
  OPTIONAL { ?report rdfs:label ?title }
}"""

#: Statements about statements: shown as sources, not as facts of their own.
BOOKKEEPING = {RDF.subject, RDF.predicate, RDF.object}


@dataclass(frozen=True)
class Source:
    """A report sentence that states a fact."""

    report: URIRef
    title: str
    text: str
    confidence: str
    method: str
    statement: URIRef


@dataclass
class Link:
    """One fact: ``subject predicate object``, seen from the resource described."""

    predicate: URIRef
    other: Node
    other_label: str | None
    incoming: bool
    sources: list[Source] = field(default_factory=list)


@dataclass
class Resource:
    iri: URIRef
    label: str
    other_names: list[str]
    classes: list[URIRef]
    outgoing: list[Link]
    incoming: list[Link]

    def value(self, predicate: URIRef) -> Node | None:
        """The first value of a property stated on the resource (dates, counts)."""
        for link in self.outgoing:
            if link.predicate == predicate:
                return link.other
        return None

    def values(self, predicate: URIRef) -> list[Node]:
        return [link.other for link in self.outgoing if link.predicate == predicate]

    @property
    def reports(self) -> list[tuple[URIRef, str]]:
        """Every report a fact about the resource comes from, or that mentions it."""
        found: dict[URIRef, str] = {}
        for link in self.outgoing + self.incoming:
            for s in link.sources:
                found.setdefault(s.report, s.title)
            if link.incoming and link.predicate == SDO.mentions and isinstance(link.other, URIRef):
                found.setdefault(link.other, link.other_label or str(link.other))
        return sorted(found.items(), key=lambda kv: kv[1])


def exists(store: Store, iri: str) -> bool:
    """Whether the graph says anything with ``iri`` as subject or object."""
    return bool(store.query(EXISTS, {"s": URIRef(iri)}).boolean)


def describe(store: Store, iri: str) -> Resource | None:
    """Everything the graph states about ``iri``, or None when it holds nothing."""
    s = URIRef(iri)
    out_rows = store.query(OUTGOING, {"s": s}).rows
    in_rows = store.query(INCOMING, {"s": s}).rows
    if not out_rows and not in_rows:
        return None
    outgoing: dict[tuple, Link] = {}
    for p, o, label in out_rows:
        if p in BOOKKEEPING:
            continue
        key = (p, o)
        if key not in outgoing:
            outgoing[key] = Link(p, o, None, False)
        if label is not None and outgoing[key].other_label is None:
            outgoing[key].other_label = str(label)
    incoming: dict[tuple, Link] = {}
    for x, p, label in in_rows:
        key = (p, x)
        if key not in incoming:
            incoming[key] = Link(p, x, None, True)
        if label is not None and incoming[key].other_label is None:
            incoming[key].other_label = str(label)
    for st, subj, p, o, report, title, text, confidence, method in store.query(SOURCES, {"s": s}).rows:
        source = Source(report, str(title or report), str(text or ""), str(confidence or ""),
                        str(method or ""), st)
        link = outgoing.get((p, o)) if subj == s else incoming.get((p, subj))
        if link is not None and source not in link.sources:
            link.sources.append(source)
    names = [str(link.other) for link in outgoing.values() if link.predicate == RDFS.label]
    others = sorted({str(link.other) for link in outgoing.values()
                     if link.predicate == SKOS.altLabel} - set(names))
    classes = sorted({link.other for link in outgoing.values() if link.predicate == RDF.type
                      and isinstance(link.other, URIRef)}, key=str)
    hidden = {RDFS.label, SKOS.altLabel, RDF.type}
    for link in list(outgoing.values()) + list(incoming.values()):
        link.sources.sort(key=lambda src: (src.title, src.statement))
    return Resource(
        iri=s, label=_best_name(names) or _local(iri), other_names=others, classes=classes,
        outgoing=sorted((l for l in outgoing.values() if l.predicate not in hidden),
                        key=lambda l: (str(l.predicate), l.other_label or str(l.other))),
        incoming=sorted(incoming.values(),
                        key=lambda l: (str(l.predicate), l.other_label or str(l.other))))


DESCRIPTION = PREFIX + """
CONSTRUCT {
  ?s ?p ?o . ?o rdfs:label ?olabel .
  ?x ?q ?s . ?x rdfs:label ?xlabel .
  ?st ?sp ?so .
} WHERE {
  { ?s ?p ?o . OPTIONAL { ?o rdfs:label ?olabel } }
  UNION
  { ?x ?q ?s . FILTER (?q NOT IN (rdf:subject, rdf:object)) OPTIONAL { ?x rdfs:label ?xlabel } }
  UNION
  { { ?st rdf:subject ?s } UNION { ?st rdf:object ?s } ?st a cg:FactStatement ; ?sp ?so }
}"""


def description(store: Store, iri: str) -> Graph:
    """The resource as RDF: its statements both ways, the names of its neighbours, and
    the statement nodes that source its facts (what an RDF client gets for its IRI)."""
    graph = Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    for triple in store.query(DESCRIPTION, {"s": URIRef(iri)}).triples:
        graph.add(triple)
    return graph


def _best_name(names: list[str]) -> str | None:
    """The longest name when a resource has several (a curated name and a report's)."""
    return max(sorted(names), key=len) if names else None


def _local(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def group(links: list[Link]) -> dict[URIRef, list[Link]]:
    """Links by predicate, in first-seen order."""
    grouped: dict[URIRef, list[Link]] = defaultdict(list)
    for link in links:
        grouped[link.predicate].append(link)
    return dict(grouped)


__all__ = ["Resource", "Link", "Source", "describe", "description", "exists", "group"]
