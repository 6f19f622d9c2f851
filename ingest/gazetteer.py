"""Known names: the authority list and the entities the graph already holds.

Matching is case-sensitive on purpose: these are proper names, and "Hit" the town must
not match "hit" the verb. Longer names win over the shorter names inside them ("Hit
Peace Forum" over "Hit").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import rdflib
from rdflib import URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from civgraph.graph.namespaces import CG, ORG, SDO

AUTHORITY_FILE = Path(__file__).with_name("authority.ttl")

# the most specific class wins when an entity has several
CLASS_ORDER = [CG.Forum, ORG.OrganizationalUnit, CG.Project, SDO.Person, SDO.Place, ORG.Organization]


@dataclass(frozen=True)
class Known:
    iri: URIRef
    cls: URIRef
    label: str


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    surface: str
    known: Known


def main_class(types: set[URIRef]) -> URIRef | None:
    for cls in CLASS_ORDER:
        if cls in types:
            return cls
    return None


@cache
def authority_graph(base: str) -> rdflib.Graph:
    """The curated authority list, its relative IRIs resolved against the base."""
    graph = rdflib.Graph()
    graph.parse(AUTHORITY_FILE, format="turtle", publicID=base)
    return graph


class Gazetteer:
    def __init__(self) -> None:
        self.by_name: dict[str, Known] = {}
        self.by_iri: dict[URIRef, Known] = {}
        self._pattern: re.Pattern | None = None

    @classmethod
    def from_graph(cls, graph: rdflib.Graph) -> "Gazetteer":
        gaz = cls()
        gaz.add_triples(graph)
        return gaz

    def add_triples(self, triples) -> None:
        """Learn names from triples (rdfs:label, skos:altLabel and rdf:type)."""
        types: dict[URIRef, set] = {}
        names: dict[URIRef, list[tuple[bool, str]]] = {}
        for s, p, o in triples:
            if not isinstance(s, URIRef):
                continue
            if p == RDF.type:
                types.setdefault(s, set()).add(o)
            elif p in (RDFS.label, SKOS.altLabel):
                names.setdefault(s, []).append((p == RDFS.label, str(o)))
        for iri, entity_names in names.items():
            kind = main_class(types.get(iri, set()))
            if kind is None:
                continue
            label = next((n for main, n in entity_names if main), entity_names[0][1])
            self.add(iri, kind, label, [n for _, n in entity_names])

    def add(self, iri: URIRef, cls: URIRef, label: str, names: list[str]) -> None:
        known = self.by_iri.get(iri) or Known(iri, cls, label)
        self.by_iri[iri] = known
        for name in names:
            name = name.strip()
            if len(name) < 2 or is_weak_name(name, cls):
                continue
            for variant in _variants(name):
                # the first entity to claim a name keeps it: the authority list loads first
                self.by_name.setdefault(variant, known)
        self._pattern = None

    def lookup(self, name: str) -> Known | None:
        return self.by_name.get(name.strip())

    def find(self, text: str) -> list[Hit]:
        """Every known name in the text, longest first, not overlapping."""
        if not self.by_name:
            return []
        if self._pattern is None:
            # "the X" is found as "X": a leading "the" would hide a longer name that
            # starts one word later ("the United Nations Development Programme")
            alternatives = sorted({n for n in self.by_name
                                   if not (n.lower().startswith("the ") and n[4:] in self.by_name)},
                                  key=len, reverse=True)
            self._pattern = re.compile(
                r"(?<![\w-])(?:" + "|".join(map(re.escape, alternatives)) + r")(?![\w-])")
        return [Hit(m.start(), m.end(), m.group(0), self.by_name[m.group(0)])
                for m in self._pattern.finditer(text)]


GENERIC_WORDS = {"forum", "coalition", "initiative", "network", "foundation", "association",
                 "centre", "center", "society", "union", "campaign", "committee", "secretariat",
                 "team", "group", "organisation", "organization", "project", "programme",
                 "council", "media team", "working group", "the group", "ministry", "university"}


def is_weak_name(name: str, cls: URIRef) -> bool:
    """A name too general to find an entity by in another report: "the Forum", "media
    team", or a person's given name alone ("Karim")."""
    bare = re.sub(r"^(?:the|The)\s+", "", name)
    if bare.lower() in GENERIC_WORDS or re.fullmatch(
            r"(?:[a-z'’]+\s+)?(?:media team|working group|team|group|secretariat|committee)", bare):
        return True
    if cls == SDO.Person and len(name.split()) == 1:
        return True
    # "the new Forum", "Forum's media team": once the lower-case words and possessives
    # are gone, nothing but generic nouns is left
    proper = [re.sub(r"['’]s$", "", w) for w in name.split() if not w[:1].islower()]
    proper = [w for w in proper if w.lower() != "the"]
    return not proper or all(w.lower() in GENERIC_WORDS for w in proper)


def _variants(name: str) -> list[str]:
    """A name as texts write it: with and without a leading "the"."""
    out = [name]
    if name.lower().startswith("the "):
        out.append(name[4:])
    return out
