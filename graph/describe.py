"""Summaries of what a store holds: counts for `civgraph stats` and the home page."""
from __future__ import annotations

from dataclasses import dataclass, field

from .store import Store

CLASS_COUNTS = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class }
GROUP BY ?class ORDER BY DESC(?n) ?class
"""
TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"


@dataclass
class Stats:
    quads: int
    triples: int
    graphs: list[str]
    classes: list[tuple[str, int]] = field(default_factory=list)


def stats(store: Store) -> Stats:
    """Quads (all graphs), distinct triples (their union), graphs and resources per class."""
    classes = [(str(c), int(n)) for c, n in store.query(CLASS_COUNTS).rows]
    triples = store.query(TRIPLES).scalar()
    return Stats(quads=store.quad_count(), triples=int(triples or 0),
                 graphs=store.named_graphs(), classes=classes)
