"""What the extraction stages hand to each other: plain data, no store, no I/O."""
from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef
from rdflib.term import Node


@dataclass(frozen=True)
class Span:
    """A stretch of the report's plain text, by character offsets."""
    start: int
    end: int


@dataclass
class Entity:
    iri: URIRef
    cls: URIRef                 # the most specific class (cg:Forum, schema:Place, …)
    label: str
    names: set[str] = field(default_factory=set)   # every way this report names it
    known: bool = False         # already described by the authority list or the graph


@dataclass(frozen=True)
class Fact:
    subject: URIRef
    predicate: URIRef
    object: Node
    evidence: Span              # the sentence that states it
    method: str                 # the rule that produced it
    confidence: float


@dataclass
class Extraction:
    report: URIRef
    graph: URIRef
    entities: dict[URIRef, Entity] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)

    def add_entity(self, entity: Entity) -> Entity:
        known = self.entities.get(entity.iri)
        if known is None:
            self.entities[entity.iri] = entity
            return entity
        known.names |= entity.names
        return known

    def add_fact(self, fact: Fact) -> None:
        if all((f.subject, f.predicate, f.object) != (fact.subject, fact.predicate, fact.object)
               for f in self.facts):
            self.facts.append(fact)
