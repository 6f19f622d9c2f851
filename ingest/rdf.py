"""Stage 3: an Extraction becomes the triples of the report's named graph.

Each fact is stated plainly (so that researchers' queries stay simple) and once more as
a ``cg:FactStatement`` node that carries its evidence: the sentence, its offsets, the
rule that produced it and a confidence. See docs/provenance.md.
"""
from __future__ import annotations

from datetime import datetime, timezone

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from civgraph.graph.namespaces import CG, ORG, SDO
from civgraph.graph.terms import Triple

from .model import Extraction
from .read import Document

EXTRACTOR = URIRef("https://w3id.org/civgraph/ontology#extractor")
VERSION = "0.1.0"

# entities that are a kind of organisation are typed org:Organization too
ORG_KINDS = {CG.Forum, ORG.OrganizationalUnit}


def report_triples(doc: Document, ex: Extraction, curated: set | frozenset = frozenset(),
                   when: datetime | None = None) -> list[Triple]:
    """The report's graph. Entities outside the authority list (``curated``) get their
    class and name here, in every report that names them, so that each report graph
    stands on its own and dropping one report never leaves a nameless entity."""
    when = when or datetime.now(timezone.utc)
    r = ex.report
    out: list[Triple] = [
        (r, RDF.type, SDO.Report),
        (r, DCTERMS.source, Literal(doc.name)),
        (r, RDFS.label, Literal(doc.title or doc.name)),
        (r, SDO.text, Literal(doc.text)),
        (ex.graph, RDF.type, CG.ReportGraph),
        (ex.graph, PROV.wasDerivedFrom, r),
        (ex.graph, PROV.generatedAtTime, Literal(when.isoformat(timespec="seconds"),
                                                  datatype=XSD.dateTime)),
        (ex.graph, PROV.wasAttributedTo, EXTRACTOR),
        (ex.graph, CG.extractorVersion, Literal(VERSION)),
    ]
    for entity in ex.entities.values():
        if entity.iri not in curated:
            out.append((entity.iri, RDF.type, entity.cls))
            if entity.cls in ORG_KINDS:
                out.append((entity.iri, RDF.type, ORG.Organization))
            out.append((entity.iri, RDFS.label, Literal(entity.label)))
        for name in sorted(entity.names - {entity.label}):
            out.append((entity.iri, SKOS.altLabel, Literal(name)))
    for n, fact in enumerate(ex.facts, start=1):
        out.append((fact.subject, fact.predicate, fact.object))
        st = URIRef(f"{r}/fact/{n}")
        start, end = fact.evidence.start, fact.evidence.end
        out += [
            (st, RDF.type, CG.FactStatement),
            (st, RDF.subject, fact.subject),
            (st, RDF.predicate, fact.predicate),
            (st, RDF.object, fact.object),
            (st, PROV.wasDerivedFrom, r),
            (st, CG.evidenceText, Literal(doc.text[start:end])),
            (st, CG.evidenceStart, Literal(start)),
            (st, CG.evidenceEnd, Literal(end)),
            (st, CG.method, Literal(fact.method)),
            (st, CG.confidence, Literal(f"{fact.confidence:.2f}", datatype=XSD.decimal)),
        ]
    return out
