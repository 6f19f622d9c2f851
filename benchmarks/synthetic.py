"""A synthetic civgraph-shaped graph, for benchmarks: organisations, forums, events,
places and report graphs in the proportions real reports give, at any size."""
from __future__ import annotations

import random
from typing import Iterator

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from civgraph.graph.namespaces import CG, ORG, SDO

BASE = "http://localhost:5000/id/"
EVENT_TYPES = [CG.Workshop, CG.Training, CG.Campaign, CG.Conference, CG.Meeting, CG.Festival]


def report_graphs(n_reports: int, seed: int = 7) -> Iterator[tuple[str, list]]:
    """Yield (graph IRI, triples) per report: ~100 triples each, like a real report."""
    rng = random.Random(seed)
    n_orgs, n_places = max(50, n_reports // 5), max(20, n_reports // 50)
    orgs = [URIRef(f"{BASE}org/org-{i}") for i in range(n_orgs)]
    places = [URIRef(f"{BASE}place/place-{i}") for i in range(n_places)]
    for r in range(n_reports):
        report = URIRef(f"{BASE}report/report-{r}")
        graph = f"{BASE}graph/report/report-{r}"
        triples = [(report, RDF.type, SDO.Report), (report, RDFS.label, Literal(f"Report {r}")),
                   (report, SDO.datePublished, Literal(f"{2010 + r % 12}-0{1 + r % 9}-1{r % 9}",
                                                       datatype=XSD.date))]
        for e in range(3):
            event = URIRef(f"{BASE}event/report-{r}-{e}")
            org, partner, place = rng.choice(orgs), rng.choice(orgs), rng.choice(places)
            triples += [(event, RDF.type, SDO.Event), (event, RDF.type, rng.choice(EVENT_TYPES)),
                        (event, SDO.organizer, org), (event, SDO.location, place),
                        (event, SDO.startDate, Literal(f"{2010 + r % 12}-05-0{1 + e}", datatype=XSD.date)),
                        (event, CG.participantCount, Literal(rng.randint(5, 200))),
                        (org, CG.partner, partner), (report, SDO.mentions, org),
                        (org, RDF.type, ORG.Organization), (org, RDFS.label, Literal(f"Organisation {org[-4:]}")),
                        (place, RDF.type, SDO.Place), (place, RDFS.label, Literal(f"Place {place[-4:]}"))]
            for k, (p, o) in enumerate([(SDO.organizer, org), (SDO.location, place)]):
                st = URIRef(f"{report}/fact/{e}-{k}")
                triples += [(st, RDF.type, CG.FactStatement), (st, RDF.subject, event),
                            (st, RDF.predicate, p), (st, RDF.object, o),
                            (st, CG.evidenceText, Literal("A sentence of about this length, " * 4)),
                            (st, CG.confidence, Literal("0.90", datatype=XSD.decimal))]
        yield graph, triples
