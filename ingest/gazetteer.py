"""Known names: the authority list and the entities the graph already holds.

Matching is case-sensitive on purpose: these are proper names, and "Hit" the town must
not match "hit" the verb. Longer names win over the shorter names inside them ("Hit
Peace Forum" over "Hit").
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import rdflib
from rdflib import URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from civgraph.graph.namespaces import CG, ORG, SDO

AUTHORITY_FILE = Path(__file__).with_name("authority.ttl")

_FIRST_WORD = re.compile(r"\w+")
_WORD_START = re.compile(r"(?<![\w-])\w+")
_CONTINUES = re.compile(r"[\w-]")
_WORD_CHAR = re.compile(r"\w")

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
        # first word → the names that start with it, longest first
        self._index: dict[str, list[str]] = {}
        # number of words → names, and entity → its names: look-ups that would otherwise
        # walk every name the gazetteer has learnt
        self._by_words: dict[int, list[str]] = {}
        self._names_of: dict[URIRef, list[str]] = {}
        # the entities of the authority list: spelling variants are matched to these only
        self.curated: set[URIRef] = set()
        self._lowered: tuple[list[str], list[str]] | None = None

    @classmethod
    def from_graph(cls, graph: rdflib.Graph) -> "Gazetteer":
        """A gazetteer of a curated graph (the authority list)."""
        gaz = cls()
        gaz.add_triples(graph)
        gaz.curated = set(gaz.by_iri)
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
                if variant in self.by_name:
                    continue
                self.by_name[variant] = known
                self._lowered = None
                self._by_words.setdefault(len(variant.split()), []).append(variant)
                self._names_of.setdefault(known.iri, []).append(variant)
                first = _FIRST_WORD.match(variant)
                if first:
                    bisect.insort(self._index.setdefault(first.group(), []), variant,
                                  key=lambda n: -len(n))

    def lowered_names(self) -> tuple[list[str], list[str]]:
        """Every name in lower case, and the names themselves in the same order (for
        fuzzy comparison), kept until a name is added."""
        if self._lowered is None:
            names = list(self.by_name)
            self._lowered = ([n.lower() for n in names], names)
        return self._lowered

    def names_with_words(self, count: int) -> list[str]:
        """The names of exactly ``count`` words."""
        return self._by_words.get(count, [])

    def names_of(self, iri: URIRef) -> list[str]:
        """Every name that leads to this entity."""
        return self._names_of.get(iri, [])

    def lookup(self, name: str) -> Known | None:
        return self.by_name.get(name.strip())

    def find(self, text: str) -> list[Hit]:
        """Every known name in the text, longest first, not overlapping.

        Names are indexed by their first word (see ``add``), so finding costs a
        dictionary look-up per word of the text, however many names the gazetteer
        has learnt: a batch of reports does not slow down as the graph grows.
        """
        hits: list[Hit] = []
        free = 0
        for start, word in self._indexed_words(text):
            if start < free:
                continue
            for name in self._index[word]:
                end = start + len(name)
                if not text.startswith(name, start) or _CONTINUES.match(text, end):
                    continue
                # "the X" is found as "X": a leading "the" would hide a longer name
                # that starts one word later ("the United Nations Development Programme")
                if name[:4].lower() == "the " and name[4:] in self.by_name:
                    continue
                hits.append(Hit(start, end, name, self.by_name[name]))
                free = end
                break
        return hits


    def _indexed_words(self, text: str) -> list[tuple[int, str]]:
        """Where the words of ``text`` that open a known name start, in order: the
        matches of ``_WORD_START`` that the index holds, found by searching for those
        few words rather than visiting every word of the text."""
        out: list[tuple[int, str]] = []
        for word in self._index.keys() & set(_FIRST_WORD.findall(text)):
            at = text.find(word)
            while at >= 0:
                end = at + len(word)
                if not (at and _CONTINUES.match(text, at - 1)) and not _WORD_CHAR.match(text, end):
                    out.append((at, word))
                at = text.find(word, end)
        out.sort()
        return out


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


@cache
def authority_gazetteer(base: str) -> Gazetteer:
    """The names of the authority list alone: what a new name is compared with to find a
    curated entity it may be a variant of."""
    return Gazetteer.from_graph(authority_graph(base))


_ORG_CLASSES = {CG.Forum, ORG.Organization, ORG.OrganizationalUnit}


def _comparable(known: URIRef, wanted: URIRef) -> bool:
    return known == wanted or (known in _ORG_CLASSES and wanted in _ORG_CLASSES)


def near_misses(name: str, cls: URIRef, authority: Gazetteer, cutoff: float = 88.0) -> list[tuple[Known, float]]:
    """Curated entities whose name is very close to ``name`` without being it ("Kut
    Youth Forums", "Kut Youth Froum"): candidates for a curator, never merged here. Names
    that differ by a whole word ("Kut Peace Forum" and "Kut Youth Forum") are no
    candidates, and neither are names of another kind of entity."""
    from rapidfuzz import fuzz, process

    best: dict[URIRef, float] = {}
    words = name.lower().split()
    if len(name) < 6:
        return []
    lowered, originals = authority.lowered_names()
    # rapidfuzz scores every name in one call; the rest only reads the close ones
    for other, score, i in process.extract(name.lower(), lowered, scorer=fuzz.ratio,
                                           score_cutoff=cutoff, limit=None):
        known = authority.by_name[originals[i]]
        if not _comparable(known.cls, cls) or originals[i] == name:
            continue
        ow = other.lower().split()
        if len(ow) == len(words):
            diff = [(a, b) for a, b in zip(words, ow) if a != b]
            if any(fuzz.ratio(a, b) < 70 for a, b in diff):
                continue      # a different word, not a different spelling of it
        if score > best.get(known.iri, 0):
            best[known.iri] = score
    return sorted(((authority.by_iri[iri], score) for iri, score in best.items()), key=lambda ks: -ks[1])[:1]

