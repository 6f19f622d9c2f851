"""The civgraph model as data: the ontology, its SHACL shapes and its JSON-LD context.

The files beside this module are the single source of truth of the model. Code reads
classes, labels, legend styles, IRI slugs and event types from them through the small
readers below instead of repeating them, so that a change to the model is made in one
place (``civgraph.ttl``) and the rest of the project follows.

The parsed graphs are cached for the life of the process: treat them as read-only and
copy one (``Graph() + load_ontology()``) before changing it.
"""

from __future__ import annotations

import copy
import json
from collections import deque
from functools import cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

__all__ = [
    "NS",
    "ONTOLOGY_IRI",
    "path",
    "load_ontology",
    "load_shapes",
    "context",
    "legend",
    "slug_for",
    "event_types",
    "class_labels",
    "property_labels",
]

NS = "https://w3id.org/civgraph/ontology#"
"""The namespace of the terms that civgraph defines (prefix ``cg:``)."""

ONTOLOGY_IRI = "https://w3id.org/civgraph/ontology"
"""The IRI of the ontology itself."""

_EVENT = URIRef("https://schema.org/Event")
_LEGEND_COLOUR = URIRef(NS + "legendColour")
_LEGEND_SHAPE = URIRef(NS + "legendShape")
_LEGEND_ORDER = URIRef(NS + "legendOrder")
_SLUG = URIRef(NS + "slug")
_INVERSE_LABEL = URIRef(NS + "inverseLabel")
_HERE = Path(__file__).parent


def path(name: str) -> Path:
    """The path of a file of the model (``"civgraph.ttl"``, ``"shapes.ttl"``, ...).

    Resolved next to this module, so it works from a source tree and from an installed
    package alike; a missing file raises ``FileNotFoundError`` here rather than later
    as a confusing parser error.
    """
    found = _HERE / name
    if not found.is_file():
        raise FileNotFoundError(f"no file {name!r} in the civgraph ontology package")
    return found


@cache
def load_ontology() -> Graph:
    """The ontology (``civgraph.ttl``), parsed once; read-only by convention."""
    return Graph().parse(path("civgraph.ttl"), format="turtle")


@cache
def load_shapes() -> Graph:
    """The SHACL shapes (``shapes.ttl``), parsed once; read-only by convention.

    Validate with ``ont_graph=load_ontology()`` and ``inference="rdfs"`` so that
    subclasses and the ontology's domains and ranges count.
    """
    return Graph().parse(path("shapes.ttl"), format="turtle")


@cache
def _context() -> dict:
    return json.loads(path("context.jsonld").read_text(encoding="utf-8"))


def context() -> dict:
    """The JSON-LD context document (``{"@context": {...}}``) for civgraph data.

    A fresh copy each time, so a caller may edit it without affecting others.
    """
    return copy.deepcopy(_context())


def _label(graph: Graph, node: URIRef) -> str:
    """The English (or untagged) rdfs:label of a term, else its local name."""
    fallback = None
    for value in graph.objects(node, RDFS.label):
        if isinstance(value, Literal) and value.language in ("en", None):
            return str(value)
        fallback = fallback or str(value)
    return fallback or _local_name(node)


def _comment(graph: Graph, node: URIRef) -> str:
    for value in graph.objects(node, RDFS.comment):
        if isinstance(value, Literal) and value.language in ("en", None):
            return str(value)
    return ""


def _local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


@cache
def property_labels() -> dict[str, tuple[str, str]]:
    """Each property's label and inverse label (``cg:inverseLabel``), by IRI: pages say
    "funder" on an event and "funds" on the funder, both read from the model."""
    graph = load_ontology()
    found = {}
    for prop in set(graph.subjects(RDFS.label, None)):
        if (prop, RDF.type, OWL.Class) in graph or not isinstance(prop, URIRef):
            continue
        label = _label(graph, prop)
        inverse = graph.value(prop, _INVERSE_LABEL)
        found[str(prop)] = (label, str(inverse) if inverse is not None else f"{label} of")
    return found


def legend() -> list[dict]:
    """The classes that the graph viewer styles, in legend order.

    Each entry is ``{"iri", "label", "comment", "colour", "shape", "order"}``, read
    from the ``cg:legend*`` annotations so that the viewer and its legend never
    disagree with the model. Event subclasses have no entry: draw them as events.
    """
    graph = load_ontology()
    entries = [
        {
            "iri": str(cls),
            "label": _label(graph, cls),
            "comment": _comment(graph, cls),
            "colour": str(colour),
            "shape": str(graph.value(cls, _LEGEND_SHAPE)),
            "order": int(graph.value(cls, _LEGEND_ORDER)),
        }
        for cls, colour in graph.subject_objects(_LEGEND_COLOUR)
    ]
    return sorted(entries, key=lambda e: (e["order"], e["iri"]))


def slug_for(class_iri: str) -> str | None:
    """The IRI path segment for minting resources of a class (``"org"``, ``"event"``...).

    Walks up ``rdfs:subClassOf`` to the nearest class with a ``cg:slug``, so every
    event type mints under ``event`` and a forum under ``org``; ``None`` when no
    superclass has one.
    """
    graph = load_ontology()
    seen = set()
    queue = deque([URIRef(class_iri)])
    while queue:
        cls = queue.popleft()
        if cls in seen:
            continue
        seen.add(cls)
        slug = graph.value(cls, _SLUG)
        if slug is not None:
            return str(slug)
        queue.extend(o for o in graph.objects(cls, RDFS.subClassOf) if isinstance(o, URIRef))
    return None


def event_types() -> list[str]:
    """The IRIs of the kinds of event (every subclass of schema:Event), sorted.

    Extractors and the viewer take the list of event types from here, so adding a
    kind of event to the ontology is enough to make it known.
    """
    graph = load_ontology()
    found = {
        str(cls)
        for cls in graph.transitive_subjects(RDFS.subClassOf, _EVENT)
        if isinstance(cls, URIRef) and cls != _EVENT
    }
    return sorted(found)


def class_labels() -> dict[str, str]:
    """The English label of every named class of the ontology, by class IRI."""
    graph = load_ontology()
    classes = {
        cls
        for kind in (OWL.Class, RDFS.Class)
        for cls in graph.subjects(RDF.type, kind)
        if isinstance(cls, URIRef)
    }
    return {str(cls): _label(graph, cls) for cls in sorted(classes)}
