"""Stage 3: an Extraction becomes the triples of the report's named graph.

Each fact is stated plainly (so that researchers' queries stay simple) and once more as
a ``cg:FactStatement`` node that carries its evidence: the sentence, its offsets, the
rule that produced it and a confidence. See docs/provenance.md.
"""
from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from civgraph.graph.namespaces import CG, ORG, SDO
from civgraph.graph.terms import Triple

from .gazetteer import is_weak_name
from .model import Extraction, Fact
from .read import Document

EXTRACTOR = URIRef("https://w3id.org/civgraph/ontology#extractor")
VERSION = "0.1.0"

# entities that are a kind of organisation are typed org:Organization too
ORG_KINDS = {CG.Forum, ORG.OrganizationalUnit}

# the terms every report graph uses, looked up once: a namespace attribute builds a new
# URIRef at each use, and a report graph has some two hundred triples
_TYPE, _LABEL, _ALT_LABEL = RDF.type, RDFS.label, SKOS.altLabel
_SUBJECT, _PREDICATE, _OBJECT = RDF.subject, RDF.predicate, RDF.object
_DERIVED_FROM, _GENERATED_AT, _ATTRIBUTED_TO = PROV.wasDerivedFrom, PROV.generatedAtTime, PROV.wasAttributedTo
_REPORT, _SOURCE, _TEXT = SDO.Report, DCTERMS.source, SDO.text
_REPORT_GRAPH, _EXTRACTOR_VERSION, _VERSION = CG.ReportGraph, CG.extractorVersion, Literal(VERSION)
_FACT_STATEMENT, _EVIDENCE_TEXT = CG.FactStatement, CG.evidenceText
_EVIDENCE_START, _EVIDENCE_END = CG.evidenceStart, CG.evidenceEnd
_METHOD, _CONFIDENCE = CG.method, CG.confidence
_ORGANIZATION = ORG.Organization


# literals that recur from fact to fact and report to report (offsets, rule names,
# confidences, names), made once: rdflib takes microseconds to make a literal
@lru_cache(maxsize=8192, typed=True)
def _integer(n: int) -> Literal:
    return Literal(n)


@lru_cache(maxsize=1024)
def _plain(text: str) -> Literal:
    return Literal(text)


@lru_cache(maxsize=1024)
def _confidence(value: float) -> Literal:
    return Literal(f"{value:.2f}", datatype=XSD.decimal)


def report_triples(doc: Document, ex: Extraction, curated: set | frozenset = frozenset(),
                   when: datetime | None = None) -> list[Triple]:
    """The report's graph. Entities outside the authority list (``curated``) get their
    class and name here, in every report that names them, so that each report graph
    stands on its own and dropping one report never leaves a nameless entity."""
    when = when or datetime.now(timezone.utc)
    r = ex.report
    out: list[Triple] = [
        (r, _TYPE, _REPORT),
        (r, _SOURCE, Literal(doc.name)),
        (r, _LABEL, Literal(doc.title or doc.name)),
        (r, _TEXT, Literal(doc.text)),
        (ex.graph, _TYPE, _REPORT_GRAPH),
        (ex.graph, _DERIVED_FROM, r),
        (ex.graph, _GENERATED_AT, Literal(when.isoformat(timespec="seconds"),
                                          datatype=XSD.dateTime)),
        (ex.graph, _ATTRIBUTED_TO, EXTRACTOR),
        (ex.graph, _EXTRACTOR_VERSION, _VERSION),
    ]
    for entity in ex.entities.values():
        if entity.iri not in curated:
            out.append((entity.iri, _TYPE, entity.cls))
            if entity.cls in ORG_KINDS:
                out.append((entity.iri, _TYPE, _ORGANIZATION))
            out.append((entity.iri, _LABEL, _plain(entity.label)))
        for name in other_names(entity.names, entity.label, entity.cls):
            out.append((entity.iri, _ALT_LABEL, _plain(name)))
    prefix = f"{r}/fact/"
    text = doc.text
    for n, fact in enumerate(sorted(ex.facts, key=_reading_order), start=1):
        subject, predicate, obj = fact.subject, fact.predicate, fact.object
        st = URIRef(f"{prefix}{n}")
        start, end = fact.evidence.start, fact.evidence.end
        out += [
            (subject, predicate, obj),
            (st, _TYPE, _FACT_STATEMENT),
            (st, _SUBJECT, subject),
            (st, _PREDICATE, predicate),
            (st, _OBJECT, obj),
            (st, _DERIVED_FROM, r),
            (st, _EVIDENCE_TEXT, Literal(text[start:end])),
            (st, _EVIDENCE_START, _integer(start)),
            (st, _EVIDENCE_END, _integer(end)),
            (st, _METHOD, _plain(fact.method)),
            (st, _CONFIDENCE, _confidence(fact.confidence)),
        ]
    return out


def _reading_order(fact: Fact) -> tuple:
    """Statements are numbered in the order of the text, not of the rules that found
    them: a report ingested again, knowing more names, keeps its statement IRIs."""
    return (fact.evidence.start, fact.evidence.end, str(fact.predicate), str(fact.subject),
            str(fact.object))


def other_names(names: set[str], label: str, cls) -> list[str]:
    """The names worth publishing besides the label. A report's back-references ("the
    Forum", "the new Forum") and its names with an article in front ("the Iraqi Social
    Forum") helped read that report, but they are no other name of the entity."""
    kept = []
    for name in sorted(names - {label}):
        bare = name[4:] if name[:4].lower() == "the " else name
        if bare != name and (bare == label or bare in names):
            continue
        if is_weak_name(name, cls):
            continue
        kept.append(name)
    return kept
