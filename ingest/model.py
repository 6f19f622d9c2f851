"""What the extraction stages hand to each other: plain data, no store, no I/O."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Union

from rdflib import Literal, URIRef
from rdflib.term import Node

# An Extraction as nested tuples of strings and numbers (see Extraction.packed): an IRI
# is a string, a literal its lexical form, datatype and language.
PackedTerm = Union[str, tuple[str, Optional[str], Optional[str]], Node]
PackedEntity = tuple[str, str, str, tuple[str, ...], bool]
PackedFact = tuple[str, str, PackedTerm, int, int, str, float]
PackedExtraction = tuple[str, str, tuple[PackedEntity, ...], tuple[PackedFact, ...]]


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

    def packed(self, strings: dict[str, str] | None = None) -> PackedExtraction:
        """This extraction as nested tuples of strings and numbers, which ``unpacked``
        turns back into an equal one.

        What a batch keeps of each report between its two passes: about a third of the
        memory of the objects, and nothing for the garbage collector to walk. Strings
        are shared through ``strings`` across the reports of a batch, since the same
        IRIs, classes and rule names recur in all of them.
        """
        strings = {} if strings is None else strings

        def text(value: str) -> str:
            value = str(value)
            return strings.setdefault(value, value)

        def term(node: Node) -> PackedTerm:
            if type(node) is URIRef:
                return text(node)
            if type(node) is Literal:
                datatype = node.datatype if node.datatype is not None and not node.language else None
                return (str(node), text(datatype) if datatype is not None else None, node.language)
            return node

        entities = tuple((text(e.iri), text(e.cls), text(e.label), tuple(text(n) for n in e.names), e.known)
                         for e in self.entities.values())
        facts = tuple((term(f.subject), term(f.predicate), term(f.object), f.evidence.start,
                       f.evidence.end, text(f.method), f.confidence) for f in self.facts)
        return (text(self.report), text(self.graph), entities, facts)

    @classmethod
    def unpacked(cls, packed: PackedExtraction) -> "Extraction":
        """The extraction that ``packed`` was made from."""
        report, graph, entities, facts = packed
        iris: dict[str, URIRef] = {}

        def iri(value: str) -> URIRef:
            node = iris.get(value)
            if node is None:
                node = iris[value] = URIRef(value)
            return node

        def term(value: PackedTerm) -> Node:
            if type(value) is str:
                return iri(value)
            if type(value) is tuple:
                lexical, datatype, language = value
                # the lexical form as it was: rdflib would rewrite some ("1.0" as "1")
                return Literal(lexical, lang=language, datatype=iri(datatype) if datatype else None,
                               normalize=False)
            return value

        out = cls(report=iri(report), graph=iri(graph))
        for e_iri, e_cls, label, names, known in entities:
            out.entities[iri(e_iri)] = Entity(iri(e_iri), iri(e_cls), label, set(names), known)
        spans: dict[tuple[int, int], Span] = {}
        for s, p, o, start, end, method, confidence in facts:
            span = spans.get((start, end))
            if span is None:
                span = spans[(start, end)] = Span(start, end)
            out.facts.append(Fact(term(s), term(p), term(o), span, method, confidence))
        return out
