"""SHACL validation of the whole graph against ``ontology/shapes.ttl``.

The validator sees the union of the graphs with the ontology beside it and RDFS
inference on, so that a ``cg:Forum`` counts where the shapes ask for an
``org:Organization``.
"""
from __future__ import annotations

from dataclasses import dataclass

import pyshacl
import rdflib
from rdflib.namespace import RDF, SH

from civgraph import ontology

from .store import Store


@dataclass
class Violation:
    focus: str
    path: str
    message: str
    severity: str


@dataclass
class Report:
    conforms: bool
    violations: list[Violation]
    checked_triples: int


def union_graph(store: Store) -> rdflib.Graph:
    """All triples of the store as one rdflib graph (duplicates across graphs merge)."""
    graph = rdflib.Graph()
    for s, p, o, _g in store.quads():
        graph.add((s, p, o))
    return graph


def validate_graph(data: rdflib.Graph) -> Report:
    conforms, results, _text = pyshacl.validate(
        # pyshacl adds to the shapes graph it is given: hand it a copy of the shared one
        data, shacl_graph=rdflib.Graph() + ontology.load_shapes(), ont_graph=ontology.load_ontology(),
        inference="rdfs", abort_on_first=False, allow_warnings=True)
    violations = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        violations.append(Violation(
            focus=str(results.value(result, SH.focusNode)),
            path=str(results.value(result, SH.resultPath) or ""),
            message=str(results.value(result, SH.resultMessage) or ""),
            severity=str(results.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]))
    violations.sort(key=lambda v: (v.focus, v.path, v.message))
    return Report(conforms=bool(conforms), violations=violations, checked_triples=len(data))


def validate(store: Store) -> Report:
    """Validate everything the store holds."""
    return validate_graph(union_graph(store))
