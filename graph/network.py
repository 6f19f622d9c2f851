"""The network of entities as nodes and links, read from a store for the explorer.

The network explorer draws organisations, forums, units, people, projects, events and
places, and the relations between them; reports and fact statements stay out of the
picture (they are where a node's facts come from, shown beside it). This module turns
SPARQL answers into plain data: no Flask and no layout here, so the web page, the JSON
endpoints and the standalone file all read the same thing.

Which classes are drawn, how each is styled and what each relation is called come from
the ontology (``civgraph.ontology``), never from constants in code.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from typing import Iterable, Mapping

from rdflib import Literal, URIRef
from rdflib.namespace import RDFS
from rdflib.term import Node

from civgraph import ontology

from .namespaces import SDO
from .store import Store
from .terms import nt

__all__ = ["NetworkNode", "NetworkEdge", "Network", "drawn_classes", "relation_labels",
           "read_network", "node_facts", "all_node_facts", "event_year"]

#: classes with a legend entry that are not drawn as nodes: reports are sources
UNDRAWN = frozenset({str(SDO.Report)})

#: SPARQL text of the queries below: ``{types}`` is filled with the IRIs of the drawn
#: classes (read from the ontology, written by pyoxigraph's serializer); every value a
#: user gives goes in as a binding.
NODE_TYPES = """
SELECT DISTINCT ?node ?type WHERE {{
  VALUES ?type {{ {types} }}
  ?node a ?type . FILTER(isIRI(?node))
}}"""

#: One value of the nodes of the drawn classes: their names, other names, start dates.
NODE_VALUES = """
SELECT DISTINCT ?node ?value WHERE {{{{
  VALUES ?type {{{{ {{types}} }}}}
  ?node a ?type ; {predicate} ?value .
}}}}"""
NODE_LABELS = NODE_VALUES.format(predicate="rdfs:label")
NODE_ALT_LABELS = NODE_VALUES.format(predicate="skos:altLabel")
NODE_START_DATES = NODE_VALUES.format(predicate="schema:startDate")

EDGES = """
SELECT DISTINCT ?source ?relation ?target WHERE {{
  VALUES ?sourceType {{ {types} }}
  ?source a ?sourceType ; ?relation ?target .
  FILTER(isIRI(?source) && isIRI(?target) && ?relation != rdf:type && ?source != ?target)
  VALUES ?targetType {{ {types} }}
  ?target a ?targetType .
}}"""

#: the facts of a node that are values, not links: dates, counts, other names aside
LITERAL_FACTS = """
SELECT DISTINCT ?node ?property ?value WHERE {{
  VALUES ?type {{ {types} }}
  ?node a ?type ; ?property ?value .
  FILTER(isLiteral(?value) && ?property NOT IN (rdfs:label, skos:altLabel))
}}"""

#: the named graphs a node is stated in, with the report each graph was read from
SOURCES = """
SELECT DISTINCT ?node ?graph ?report ?title ?file ?published WHERE {{
  VALUES ?type {{ {types} }}
  ?node a ?type .
  GRAPH ?graph {{ {{ ?node ?p ?o }} UNION {{ ?s ?q ?node }} }}
  OPTIONAL {{
    ?graph prov:wasDerivedFrom ?report .
    OPTIONAL {{ ?report rdfs:label ?title }}
    OPTIONAL {{ ?report dcterms:source ?file }}
    OPTIONAL {{ ?report schema:datePublished ?published }}
  }}
}}"""

#: the sentences that state a fact about a node (see docs/provenance.md); not joined
#: with the drawn classes, which makes the query of every node's sentences a hundred
#: times slower: rows of other nodes are dropped in Python
EVIDENCE = """
SELECT DISTINCT ?node ?graph ?predicate ?sentence ?start WHERE {{
  GRAPH ?graph {{
    {{ ?statement rdf:subject ?node }} UNION {{ ?statement rdf:object ?node }}
    ?statement a cg:FactStatement ; rdf:predicate ?predicate ; cg:evidenceText ?sentence .
    OPTIONAL {{ ?statement cg:evidenceStart ?start }}
  }}
}}"""

_YEAR = re.compile(r"^(-?\d{4})")


@dataclass
class NetworkNode:
    """One entity as the explorer draws it."""

    iri: str
    label: str
    #: other names (skos:altLabel, further rdfs:labels): search finds a node by any
    names: list[str] = field(default_factory=list)
    #: the legend class it is drawn as (colour, shape, filter)
    cls: str = ""
    #: the labels of its most specific classes ("Workshop"), for people to read
    kinds: list[str] = field(default_factory=list)
    #: the year an event (or project) starts, when its date gives one
    year: int | None = None


@dataclass(frozen=True)
class NetworkEdge:
    source: str
    relation: str
    target: str


@dataclass
class Network:
    """Nodes by IRI and the links between them (each triple once)."""

    nodes: dict[str, NetworkNode] = field(default_factory=dict)
    edges: list[NetworkEdge] = field(default_factory=list)


@dataclass(frozen=True)
class _Classes:
    """The drawn classes: each class IRI → the legend class it is drawn as."""

    legend_of: Mapping[str, str]
    order: Mapping[str, int]
    labels: Mapping[str, str]
    #: legend class → the legend classes it is a subclass of (itself included)
    ancestors: Mapping[str, frozenset[str]]


@cache
def _classes() -> _Classes:
    graph = ontology.load_ontology()
    legend = {e["iri"]: e for e in ontology.legend() if e["iri"] not in UNDRAWN}
    labels = ontology.class_labels()

    def supers(cls: str) -> list[str]:
        """``cls`` and its superclasses, nearest first."""
        seen: list[str] = []
        queue = [URIRef(cls)]
        while queue:
            current = queue.pop(0)
            if str(current) in seen:
                continue
            seen.append(str(current))
            queue.extend(o for o in graph.objects(current, RDFS.subClassOf) if isinstance(o, URIRef))
        return seen

    legend_of: dict[str, str] = {}
    for cls in labels:
        nearest = next((s for s in supers(cls) if s in legend), None)
        if nearest is not None:
            legend_of[cls] = nearest
    ancestors = {cls: frozenset(s for s in supers(cls) if s in legend) for cls in legend}
    return _Classes(legend_of=legend_of, order={k: v["order"] for k, v in legend.items()},
                    labels=labels, ancestors=ancestors)


def drawn_classes() -> dict[str, str]:
    """Every class whose instances are drawn, with the legend class that styles it."""
    return dict(_classes().legend_of)


@cache
def relation_labels() -> dict[str, str]:
    """The label of every property of the ontology (``"organiser"``), by IRI."""
    graph = ontology.load_ontology()
    found: dict[str, str] = {}
    for prop, label in graph.subject_objects(RDFS.label):
        if isinstance(prop, URIRef) and isinstance(label, Literal) and label.language in ("en", None):
            found.setdefault(str(prop), str(label))
    classes = set(ontology.class_labels())
    return {iri: label for iri, label in found.items() if iri not in classes}


def relation_label(iri: str) -> str:
    """A relation's label, or the local name of a property the ontology lacks."""
    return relation_labels().get(iri) or re.split(r"[#/]", iri.rstrip("/#"))[-1]


def _types_block() -> str:
    return " ".join(nt(URIRef(c)) for c in sorted(_classes().legend_of))


def _query(store: Store, template: str, bindings: Mapping[str, Node] | None = None):
    return store.query(template.format(types=_types_block()), bindings, prefixes=True)


def event_year(value: Node | str | None) -> int | None:
    """The year of a date, month or year literal (``"2018-04-27"`` → 2018).

    A day and month without a year (``--06-07``) gives none.
    """
    if value is None:
        return None
    match = _YEAR.match(str(value))
    return int(match.group(1)) if match else None


def _pick_class(types: Iterable[str]) -> tuple[str, list[str]]:
    """The legend class a node is drawn as, and the labels of its most specific types.

    Of the legend classes its types fall under, the most specific wins (a forum is
    drawn as a forum, not as an organisation); between unrelated ones (a university
    that is also a place), the one first in the legend.
    """
    c = _classes()
    types = [t for t in types if t in c.legend_of]
    legends = {c.legend_of[t] for t in types}
    specific = [l for l in legends if not any(l != o and l in c.ancestors[o] for o in legends)]
    chosen = min(specific, key=lambda l: (c.order[l], l))
    # the kinds shown: types that are not a superclass of another type of the node
    kinds = [t for t in types
             if not any(t != o and t in _supers_of(o) for o in types)]
    return chosen, sorted({c.labels.get(t, t) for t in kinds})


@cache
def _supers_of(cls: str) -> frozenset[str]:
    graph = ontology.load_ontology()
    return frozenset(str(s) for s in graph.transitive_objects(URIRef(cls), RDFS.subClassOf))


def _best_label(labels: list[Literal]) -> str:
    """The name to draw: an English or untagged label first, then the shortest."""
    return sorted(labels, key=lambda l: (l.language not in (None, "en"), len(str(l)), str(l)))[0]


def read_network(store: Store) -> Network:
    """The whole network in the store: a handful of queries, whatever its size."""
    types: dict[str, list[str]] = defaultdict(list)
    for node, cls in _query(store, NODE_TYPES).rows:
        types[str(node)].append(str(cls))
    labels: dict[str, list[Literal]] = defaultdict(list)
    for node, label in _query(store, NODE_LABELS).rows:
        labels[str(node)].append(label)
    alts: dict[str, list[str]] = defaultdict(list)
    for node, label in _query(store, NODE_ALT_LABELS).rows:
        alts[str(node)].append(str(label))
    years: dict[str, int] = {}
    for node, date in _query(store, NODE_START_DATES).rows:
        year = event_year(date)
        if year is not None:
            years[str(node)] = min(year, years.get(str(node), year))

    network = Network()
    for iri, node_types in types.items():
        cls, kinds = _pick_class(node_types)
        own = labels.get(iri)
        label = str(_best_label(own)) if own else _local_name(iri)
        names = [str(l) for l in own or () if str(l) != label]
        names += [a for a in alts.get(iri, ()) if a != label]
        network.nodes[iri] = NetworkNode(iri=iri, label=label, names=sorted(set(names)),
                                         cls=cls, kinds=kinds, year=years.get(iri))
    for source, relation, target in _query(store, EDGES).rows:
        s, t = str(source), str(target)
        if s in network.nodes and t in network.nodes:
            network.edges.append(NetworkEdge(s, str(relation), t))
    network.edges.sort(key=lambda e: (e.source, e.relation, e.target))
    return network


def _local_name(iri: str) -> str:
    return re.split(r"[#/]", iri.rstrip("/#"))[-1] or iri


# -- the facts beside a node: values and sources -----------------------------------------

def node_facts(store: Store, iri: str, authority_graphs: Iterable[str] = ()) -> dict:
    """What the side panel shows of one node besides its links (see ``_facts``)."""
    binding = {"node": URIRef(iri)}
    return _facts(store, binding, set(authority_graphs)).get(iri, _empty())


def all_node_facts(store: Store, authority_graphs: Iterable[str] = ()) -> dict[str, dict]:
    """``node_facts`` of every node at once, for the standalone file: three queries."""
    return _facts(store, None, set(authority_graphs))


def _empty() -> dict:
    return {"facts": [], "sources": []}


def _facts(store: Store, binding: Mapping[str, Node] | None,
           authority: set[str]) -> dict[str, dict]:
    """Per node: ``facts`` [{property, value}] and ``sources`` [{graph, title, file,
    published, authority, sentences: [{text, relation}]}], sources in date order."""
    out: dict[str, dict] = defaultdict(_empty)
    for node, prop, value in _query(store, LITERAL_FACTS, binding).rows:
        out[str(node)]["facts"].append({"property": relation_label(str(prop)), "value": str(value)})
    sources: dict[str, dict[str, dict]] = defaultdict(dict)
    for row in _query(store, SOURCES, binding).bindings():
        node, graph = str(row["node"]), str(row["graph"])
        entry = sources[node].setdefault(graph, {
            "graph": graph, "title": None, "file": None, "published": None,
            "authority": graph in authority, "sentences": []})
        for key, var in (("title", "title"), ("file", "file"), ("published", "published")):
            if entry[key] is None and var in row:
                entry[key] = str(row[var])
    evidence = _query(store, EVIDENCE, binding).bindings()
    evidence.sort(key=lambda r: (str(r["node"]), str(r["graph"]), _int(r.get("start")),
                                 str(r["sentence"])))
    for row in evidence:
        node, graph = str(row["node"]), str(row["graph"])
        entry = sources.get(node, {}).get(graph)
        if entry is None:  # a report or a statement, not a drawn node
            continue
        text = str(row["sentence"])
        relation = relation_label(str(row["predicate"]))
        same = next((s for s in entry["sentences"] if s["text"] == text), None)
        if same is None:
            entry["sentences"].append({"text": text, "relations": [relation]})
        elif relation not in same["relations"]:
            same["relations"].append(relation)
    for node, by_graph in sources.items():
        out[node]["sources"] = sorted(
            by_graph.values(),
            key=lambda s: (s["authority"], s["published"] or "9999", s["title"] or s["graph"]))
    for entry in out.values():
        entry["facts"].sort(key=lambda f: (f["property"], f["value"]))
    return dict(out)


def _int(term: Node | None) -> int:
    try:
        return int(term) if term is not None else 0
    except (TypeError, ValueError):
        return 0
