"""Stage 2: a Document becomes an Extraction — entities and facts with their evidence.

Pure: it reads the document and the gazetteer of known names, and touches no store.
"""
from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from civgraph.graph.config import graph_iri
from civgraph.graph.namespaces import SDO

from .gazetteer import Gazetteer
from .metadata import read_metadata
from .model import Entity, Extraction, Fact
from .read import Document
from .sentences import sentence_at, sentences
from .slug import slugify


def report_iri(base: str, name: str) -> URIRef:
    return URIRef(f"{base}report/{slugify(name)}")


def report_graph(base: str, name: str) -> URIRef:
    return URIRef(graph_iri(base, "report", slugify(name)))


def entity_iri(base: str, segment: str, label: str) -> URIRef:
    return URIRef(f"{base}{segment}/{slugify(label)}")


def date_literal(value: str) -> Literal:
    """``2018-04-27``, ``2018-04``, ``2018`` or ``--04-27`` with the XSD type that fits."""
    if value.startswith("--"):
        return Literal(value, datatype=XSD.gMonthDay)
    kind = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}[len(value)]
    return Literal(value, datatype=kind)


def extract(doc: Document, gazetteer: Gazetteer, base: str) -> Extraction:
    out = Extraction(report=report_iri(base, doc.name), graph=report_graph(base, doc.name))
    spans = sentences(doc.text)
    meta = read_metadata(doc.text, doc.title)
    if meta.date and meta.date_span:
        out.add_fact(Fact(out.report, SDO.datePublished, date_literal(meta.date),
                          meta.date_span, "dateline", 0.95))
    if meta.author and meta.author_span:
        known = gazetteer.lookup(meta.author)
        person = out.add_entity(Entity(
            iri=known.iri if known else entity_iri(base, "person", meta.author),
            cls=SDO.Person, label=known.label if known else meta.author,
            names={meta.author}, known=known is not None))
        out.add_fact(Fact(out.report, SDO.author, person.iri, meta.author_span, "byline", 0.9))
    for hit in gazetteer.find(doc.text):
        entity = out.add_entity(Entity(hit.known.iri, hit.known.cls, hit.known.label,
                                       {hit.surface}, known=True))
        out.add_fact(Fact(out.report, SDO.mentions, entity.iri,
                          sentence_at(spans, hit.start), "known-name", 0.9))
    return out
