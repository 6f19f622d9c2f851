"""Entity mentions: where a report names an organisation, person, project, unit or place.

Names come from three sources, in this order of trust:

1. the gazetteer (the authority list and the entities earlier reports created);
2. the shape of a name: a capitalised sequence with an organisation head noun
   ("Centre for Civic Studies and Dialogue"), an acronym defined in
   parentheses ("Un Ponte Per (UPP)"), a forum written possessively or inverted
   ("Hit's Peace Forum", "the Peace Forum in Hit" = "Hit Peace Forum");
3. the slot a name fills: the objects of "in cooperation with", "members of",
   "organised by", an apposition ("X, a volunteer group"), a role cue for people
   ("led by", "said", "a member of").

Short references ("the Forum", "the group", "its") resolve to a named entity that was
mentioned before them, and only when the choice is clear. Everything here is pure: a
text and a gazetteer in, entities and mention offsets out.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import cache
from operator import attrgetter
from dataclasses import dataclass, field
from typing import Iterator

from rapidfuzz import fuzz
from rdflib import URIRef

from civgraph.graph.namespaces import CG, ORG, SDO

from .gazetteer import Gazetteer
from .model import Entity, Span
from .sentences import Prefiltered, prefiltered
from .slug import slugify

ORG_KINDS = {ORG.Organization, CG.Forum, ORG.OrganizationalUnit}
AGENT_KINDS = ORG_KINDS | {SDO.Person}

# nouns that end (or head) the name of an organisation
ORG_HEADS = {
    "Forum", "Foundation", "Foundations", "Initiative", "Network", "Association", "Coalition",
    "Centre", "Center", "Organisation", "Organization", "Union", "Unions", "Society",
    "Committee", "Council", "Agency", "Institute", "University", "Embassy", "Ministry",
    "Federation", "Directorate", "Inspectorate", "Parliament", "Club", "Alliance", "Office",
    "Commission", "Chamber", "Fund", "Trust", "Movement", "League", "Syndicate", "Authority",
    "Municipality", "Department", "Delegation", "Mission", "College", "Faculty", "Secretariat",
    "Assembly", "Government", "Observatory", "Team", "Group", "Academy", "Platform",
    "Cooperative",
}
# lower-case nouns that say that a name in apposition is an organisation
ORG_NOUNS = (r"(?:group|organi[sz]ation|network|association|platform|team|initiative|NGO|"
             r"alliance|coalition|foundation|club|movement|collective|forum|union|charity|"
             r"institution|agency|body|federation|council|centre|center|society|company|"
             r"syndicate|cooperative|committee|consortium|donor|partner)")
UNIT_NOUNS = (r"(?:media team|communication team|communications team|working group|"
              r"secretariat|youth committee|women's committee|committee|media office|"
              r"media group|coordination committee|steering committee|unit|office|wing|branch)")
OWNED_UNIT_NOUNS = (r"(?:media team|communication team|communications team|working group|"
                    r"secretariat|youth committee|women's committee|media office|media group|"
                    r"coordination committee|steering committee|team of trainers|pool of trainers|"
                    r"team of facilitators|board of directors|board of trustees)")
PLACE_HEADS = {"Hotel", "House", "Hall", "Park", "Square", "Street", "Stadium", "Museum", "Theatre",
               "Theater", "Library", "Camp", "Gardens", "Garden", "Building", "Palace",
               "Mosque", "Church", "Market", "Bridge", "Island", "Beach", "Corniche", "River",
               "Lake", "Marsh", "Marshes", "Dam", "District", "Province", "Governorate"}
# capitalised words that open sentences and are not names
STOP = {
    "The", "A", "An", "This", "That", "These", "Those", "Its", "Their", "His", "Her", "Our",
    "In", "On", "At", "From", "For", "During", "After", "Before", "Over", "With", "By", "Both",
    "All", "Each", "Every", "Among", "When", "While", "Since", "Some", "Many", "Most", "We",
    "It", "They", "He", "She", "You", "As", "To", "Of", "And", "But", "Or", "If", "Then",
    "Today", "Yesterday", "Tomorrow", "Last", "Next", "One", "Two", "Three", "Four", "Five",
    "Six", "Seven", "Eight", "Nine", "Ten", "Through", "Thanks", "Under", "Within", "Across",
    "According", "About", "Around", "Despite", "Although", "However", "Also", "Only", "Such",
    "Other", "Another", "Several", "Young", "New", "First", "Second", "Third", "Final",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Yes", "No",
    "Participants", "Organisers", "Organizers", "Volunteers", "Activists", "Members", "Here",
    "There", "What", "Why", "How", "Where", "Who", "Which", "Read", "More", "Photo", "Photos",
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Eng", "Sheikh", "Imam", "Not", "Do", "Does", "Did",
}
MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"}
NOT_PLACE = STOP | MONTHS | {"Arabic", "English", "Kurdish", "Italian", "Turkish", "French",
                             "Syriac", "Persian", "German", "Iraqi", "Iraqis", "Kurds", "Arabs",
                             "Christians", "Muslims", "Islam", "God", "Facebook", "Twitter",
                             "Instagram", "WhatsApp", "YouTube", "Zoom", "International", "World",
                             "National", "Day", "Year", "Ramadan", "Eid"}
PERSON_ROLES = (r"(?:member|coordinator|director|head|founder|co-founder|president|chair|"
                r"chairman|chairwoman|chairperson|trainer|journalist|activist|researcher|engineer|"
                r"lawyer|expert|teacher|professor|lecturer|student|volunteer|spokesperson|"
                r"spokesman|spokeswoman|manager|officer|representative|secretary|leader|official|"
                r"doctor|artist|poet|writer|mediator|facilitator|consultant|photographer|"
                r"blogger|dean|governor|minister|ambassador|mayor|deputy|staff|employee|"
                r"advisor|adviser|specialist|psychologist|sociologist|economist|"
                r"human rights defender|defender|organiser|organizer|founding member)")

# a capitalised word; a plural possessive goes on with the name ("Kut Teachers' Union")
CAP = r"(?:[A-Z][\w'’\-]*[\w](?:(?<=s)['’](?= [A-Z]))?|[A-Z]|(?:al|el|ad|an|ar|as|at|az)-[A-Z][\w'’\-]*)"
NUMBER_TOKEN = r"\d{1,4}"
CONNECTOR = r"(?:of the|for the|of|for|and|in|per|de|del|di|al|el|du|des|la|le)"
NAME_PHRASE = re.compile(
    rf"(?<![\w'’\-]){CAP}(?: (?:{CONNECTOR} )?(?:{CAP}|{NUMBER_TOKEN}(?= [A-Z])))*(?![\w\-])")
# a particle with a hyphen ("Al-Hassan", "Abu-Bakr") is such a token too; a pattern that opens
# with a name then starts with a plain character class, which the regex engine scans for fast
PERSON_TOKEN = r"[A-Z][a-z'’]+(?:-[A-Z]?[a-z'’]+)*"
# the words of a name share a line: "Omar Fathi" over a heading "Attendees" is no name
PERSON_NAME = rf"{PERSON_TOKEN}(?:[ \t]+(?:(?:al|el|bin|ibn|abu|Abu|Abd|Bin)[\- ])?{PERSON_TOKEN}){{1,3}}"
ACRONYM = r"[A-Z][A-Za-z&\-]{1,9}"


@dataclass
class Mention:
    start: int
    end: int
    surface: str
    iri: URIRef
    cls: URIRef
    kind: str = "name"          # "name", "acronym", "ref" (a short reference), "pronoun"


_START = attrgetter("start")     # the sort key of mentions, without a Python call per item


@dataclass
class Mentions:
    """The entities of one report and where it names them."""
    base: str
    gazetteer: Gazetteer
    entities: dict[URIRef, Entity] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    aliases: dict[str, URIRef] = field(default_factory=dict)   # surface -> entity, this report
    methods: dict[URIRef, str] = field(default_factory=dict)    # how a new entity was found
    unit_of: dict[URIRef, URIRef] = field(default_factory=dict)  # unit -> its organisation

    # -- entities -------------------------------------------------------------------------

    def entity(self, surface: str, cls: URIRef, method: str = "name-shape",
               canonical: str | None = None) -> Entity:
        """The entity a name denotes: known to the gazetteer, seen before in this report,
        or new (with an IRI minted from its canonical name)."""
        surface = _clean(surface)
        for name in dict.fromkeys(n for n in (surface, canonical) if n):
            iri = self.aliases.get(name)
            if iri is not None:
                return self._remember(iri, surface)
            known = self.gazetteer.lookup(name)
            if known is not None and (known.cls == cls or _compatible(known.cls, cls)):
                ent = self.entities.get(known.iri) or Entity(known.iri, known.cls, known.label,
                                                            set(), known=True)
                self.entities[known.iri] = ent
                return self._remember(known.iri, surface)
        close = self._close_match(canonical or surface, cls)
        if close is not None:
            return self._remember(close, surface)
        label = canonical or surface
        segment = {SDO.Person: "person", CG.Project: "project", SDO.Place: "place"}.get(cls, "org")
        iri = URIRef(f"{self.base}{segment}/{slugify(label)}")
        ent = self.entities.get(iri)
        if ent is None:
            ent = Entity(iri, cls, label, set(), known=False)
            self.entities[iri] = ent
            self.methods[iri] = method
        return self._remember(iri, surface)

    def _remember(self, iri: URIRef, surface: str) -> Entity:
        ent = self.entities[iri]
        ent.names.add(surface)
        self.aliases.setdefault(surface, iri)
        return ent

    def _close_match(self, name: str, cls: URIRef) -> URIRef | None:
        """A spelling variant of a known name ("Falluja"/"Fallujah"): same words but for
        small differences in one of them, so "Haditha Peace Forum" never becomes "Haditha
        Social Forum"."""
        words = name.split()
        if len(name) < 8 or cls == SDO.Person:
            return None      # "Ali Hussein" and "Ali Husseini" are two people
        # against the authority list only: what earlier reports taught is matched exactly,
        # so a report reads the same whatever was ingested before it
        known_names = ((n, self.gazetteer.by_name[n]) for n in self.gazetteer.names_with_words(len(words))
                       if self.gazetteer.by_name[n].iri in self.gazetteer.curated)
        pool = list(self.aliases.items()) + [(n, k.iri) for n, k in known_names
                                             if _compatible(k.cls, cls)]
        for other, iri in pool:
            ow = other.split()
            if len(ow) != len(words) or other == name:
                continue
            diff = [(a, b) for a, b in zip(words, ow) if a != b]
            if len(diff) != 1:
                continue
            a, b = diff[0]
            if (len(a) >= 5 and len(b) >= 5 and a[:4].lower() == b[:4].lower()
                    and fuzz.ratio(a.lower(), b.lower()) >= 85):
                ent = self.entities.get(iri)
                if ent is None:
                    known = self.gazetteer.by_iri.get(iri)
                    if known is None:
                        continue
                    self.entities[iri] = Entity(iri, known.cls, known.label, set(), known=True)
                return iri
        return None

    def add(self, start: int, end: int, ent: Entity, kind: str = "name", text: str = "") -> Mention | None:
        """Record a mention unless it overlaps one already recorded."""
        if any(m.start < end and start < m.end for m in self.mentions):
            return None
        m = Mention(start, end, text[start:end] if text else ent.label, ent.iri, ent.cls, kind)
        self.mentions.append(m)
        return m

    def drop_overlapping(self, start: int, end: int) -> None:
        self.mentions = [m for m in self.mentions if not (m.start < end and start < m.end)]

    def sorted(self) -> list[Mention]:
        self.mentions.sort(key=_START)
        return self.mentions

    def within(self, span: Span, kinds: set[URIRef] | None = None) -> list[Mention]:
        ordered = self.sorted()
        # the mentions are in order of start: skip those before the span, stop after it
        lo = bisect_left(ordered, span.start, key=_START)
        out = []
        for m in ordered[lo:]:
            if m.start >= span.end:
                break
            if m.end <= span.end and (kinds is None or m.cls in kinds or self.cls_of(m.iri) in kinds):
                out.append(m)
        return out

    def at(self, pos: int) -> Mention | None:
        """The mention that starts at ``pos`` (after an optional "the ")."""
        for m in self.mentions:
            if m.start == pos:
                return m
        return None

    def cls_of(self, iri: URIRef) -> URIRef:
        """The class the rules work with: a known place that is also a body (a
        university, a municipality) acts as an organisation."""
        ent = self.entities.get(iri)
        if ent is None:
            return ORG.Organization
        # (compared as strings: rdflib's own equality is a Python call, and this runs often)
        if _str_eq(ent.cls, _PLACE_IRI) and has_org_head(ent.label):
            return ORG.Organization
        return ent.cls


_str_eq = str.__eq__
_PLACE_IRI = str(SDO.Place)


def _compatible(known: URIRef, wanted: URIRef) -> bool:
    if known == wanted:
        return True
    return known in ORG_KINDS and wanted in ORG_KINDS


_CLEAN_RE1 = re.compile(r"\s+")


def _clean(name: str) -> str:
    name = _CLEAN_RE1.sub(" ", name.replace("\u2019", "'")).strip(" ,.;:")
    return name


_CANONICAL_FORUM_RE1 = re.compile(r"(?:the\s+)?(Peace|Social|Youth|Women's)\s+Forum\s+(?:in|of)\s+(?:the\s+)?([A-Z][\w\-]*(?:\s+[A-Z][\w\-]*)?)")
_CANONICAL_FORUM_RE2 = re.compile(r"(?:the\s+)?([A-Z][\w\-]*(?:\s+[A-Z][\w\-]*)?)['’]s\s+((?:[A-Z][\w\-']*\s+)*?(?:Forum|Team|Network|Initiative|Committee|Council|Coalition))")


def canonical_forum(name: str) -> str | None:
    """"Hit's Peace Forum", "Peace Forum in Hit", "Social Forum of Wasit" → "Hit Peace
    Forum", "Diyala Social Forum": the form most lists use, to find the known entity."""
    m = _CANONICAL_FORUM_RE1.fullmatch(name)
    if m:
        return f"{m.group(2)} {m.group(1)} Forum"
    m = _CANONICAL_FORUM_RE2.fullmatch(name)
    if m:
        return f"{m.group(1)} {m.group(2)}"
    return None


# -- finding names --------------------------------------------------------------------------

_HEADING_SPANS_RE1 = re.compile(r"[A-Za-z][\w'’\-]*")
_HEADING_SPANS_RE2 = re.compile(r"[,;]|:\s")
# "- Omar Fathi (Al-Hadba Youth Network)": a list of people with their affiliations
_HEADING_SPANS_RE3 = re.compile(rf"\s*[-*•]\s+{PERSON_NAME}\s*\(")


def heading_spans(text: str, title: str | None) -> list[tuple[int, int]]:
    """Lines written in title case (headings): their capitals say nothing about names."""
    out = []
    pos = 0
    for line in text.split("\n"):
        words = _HEADING_SPANS_RE1.findall(line)
        long_words = [w for w in words if len(w) > 3]
        # "Name, Organisation" is a signature and "Venue: X Hall" a field, not headings
        ratio = 0.7 if not _HEADING_SPANS_RE2.search(line) else 1.1
        if _HEADING_SPANS_RE3.match(line):
            pass
        elif (title and line.strip() == title.strip() and not line.rstrip().endswith(".")
                and len(line) < 160) or (
                long_words and len(line) < 160 and not line.rstrip().endswith(".")
                and sum(w[0].isupper() for w in long_words) >= max(2, ratio * len(long_words))):
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


_QUOTED_SPANS_RE1 = re.compile(r"\"[^\"\n]{1,200}\"|“[^”\n]{1,200}”|‘[^’\n]{1,200}’|(?<![\w'])'[A-Z][^'\n]{1,120}'(?![\w'])")


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Stretches in quotation marks: titles of events and projects, and speech."""
    return [(m.start(), m.end()) for m in _QUOTED_SPANS_RE1.finditer(text)]


def quotes_of(text: str) -> list[tuple[int, int]]:
    return quoted_spans(text)


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


_SPLIT_PHRASE_RE1 = re.compile(r"\S+")
_SPLIT_PHRASE_RE2 = re.compile(r"-(?:based|born|led|funded)$")
_SPLIT_PHRASE_RE3 = re.compile(PERSON_NAME)
_SPLIT_PHRASE_RE4 = re.compile(r"^the\s+")
_SPLIT_PHRASE_RE5 = re.compile(r"(?:Peace|Social|Youth|Women's) Forum")


def split_phrase(phrase: str) -> list[tuple[int, str]]:
    """A capitalised run as names, with offsets into it: leading sentence words dropped,
    split at "and" after a head noun ("X Forum and Y Society"), and "in" kept only in
    the inverted form of a forum ("Peace Forum in Hit")."""
    tokens = list(_SPLIT_PHRASE_RE1.finditer(phrase))
    while tokens and (tokens[0].group() in STOP or _SPLIT_PHRASE_RE2.search(tokens[0].group())
                      or tokens[0].group().lower() in
                      {"of", "for", "and", "on", "in", "the", "per", "de"}):
        tokens = tokens[1:]
    if not tokens:
        return []
    out: list[tuple[int, str]] = []
    start = tokens[0].start()
    current: list[re.Match] = []
    for i, tok in enumerate(tokens):
        word = tok.group()
        if word == "and" and current and (
                current[-1].group() in ORG_HEADS
                or canonical_forum(phrase[start:current[-1].end()])
                or _person_of_next(tokens, i + 1)):
            out.append((start, phrase[start:current[-1].end()]))
            current = []
            start = tokens[i + 1].start() if i + 1 < len(tokens) else tok.end()
            continue
        if word == "of" and current and not any(t.group() in ORG_HEADS for t in current) \
                and _SPLIT_PHRASE_RE3.fullmatch(" ".join(t.group() for t in current if t.group() not in TITLES)):
            out.append((start, phrase[start:current[-1].end()]))   # "Ahmed Kareem of the X Forum"
            current = []
            nxt = i + 2 if i + 1 < len(tokens) and tokens[i + 1].group() == "the" else i + 1
            start = tokens[nxt].start() if nxt < len(tokens) else tok.end()
            continue
        if word == "of" and current and not any(t.group() in ORG_HEADS for t in current):
            rest = " ".join(t.group() for t in tokens[i + 1:])
            if has_org_head(_SPLIT_PHRASE_RE4.sub("", rest)):
                # "Delegations of the Hit Peace Forum": the name starts after "of the"
                current = []
                nxt = i + 2 if i + 1 < len(tokens) and tokens[i + 1].group() == "the" else i + 1
                start = tokens[nxt].start() if nxt < len(tokens) else tok.end()
                continue
        if word in ("of", "the") and not current:
            continue
        if word == "in" and current:
            before = " ".join(t.group() for t in current)
            if not _SPLIT_PHRASE_RE5.fullmatch(before):
                out.append((start, phrase[start:current[-1].end()]))
                current = []
                start = tokens[i + 1].start() if i + 1 < len(tokens) else tok.end()
                continue
        current.append(tok)
    if current:
        out.append((start, phrase[start:current[-1].end()]))
    cleaned = []
    for off, name in out:
        words = name.split()
        while words and words[-1] in {"of", "for", "and", "on", "in", "the", "per", "de", "al", "el"}:
            words.pop()
        while words and (words[0] in STOP or words[0].lower() in {"of", "for", "and", "on", "in", "the"}):
            off += len(words[0]) + 1
            words.pop(0)
        if words:
            cleaned.append((off, " ".join(words)))
    return cleaned


def _person_of_next(tokens: list[re.Match], i: int) -> bool:
    """Whether the words from ``i`` are a person's name followed by "of": in "the rector
    of X and Ali Hassan of Y" the "and" joins two people, not the words of one name."""
    j = i
    while j < len(tokens) and tokens[j].group() != "of" and j - i < 4:
        j += 1
    if j == i or j >= len(tokens) or tokens[j].group() != "of":
        return False
    words = [t.group() for t in tokens[i:j]]
    return (len(words) >= 2 and not any(w in ORG_HEADS or w in PLACE_HEADS for w in words)
            and _SPLIT_PHRASE_RE3.fullmatch(" ".join(words)) is not None)


_HAS_ORG_HEAD_RE1 = re.compile(r"[\w'’\-]+")
_HAS_ORG_HEAD_RE2 = re.compile(r"(?:ian|ish|ese|i|an)$")


def has_org_head(name: str) -> bool:
    """A name with an organisation head noun and at least one word that is more than
    an adjective of nationality ("Italian Association" is no name)."""
    words = _HAS_ORG_HEAD_RE1.findall(name)
    if not any(w in ORG_HEADS for w in words):
        return False
    rest = [w for w in words if w not in ORG_HEADS and w.lower() not in {"of", "for", "the", "and", "in"}]
    return bool(rest) and not all(_HAS_ORG_HEAD_RE2.search(w) and w not in NOT_ADJ for w in rest)


NOT_ADJ = {"Iraqi"}   # "Iraqi Parliament" names one body


_IS_FORUM_NAME_RE1 = re.compile(r"\bForum\b")


def is_forum_name(name: str) -> bool:
    return bool(_IS_FORUM_NAME_RE1.search(name))


def org_class(name: str) -> URIRef:
    return CG.Forum if is_forum_name(name) else ORG.Organization


_FIND_MENTIONS_RE1 = re.compile(rf"\(({ACRONYM})\)")
# an acronym used alone: capitals, or capitals around small letters ("UoB", "KfW")
_FIND_MENTIONS_RE2 = re.compile(r"[A-Z][A-Z&\-]{1,9}|[A-Z][a-z]{0,2}[A-Z][A-Za-z]{0,3}")


def find_mentions(text: str, title: str | None, gazetteer: Gazetteer, base: str,
                  author: str | None = None) -> Mentions:
    """All the mentions of a report, each resolved to an entity."""
    ms = Mentions(base, gazetteer)
    headings = heading_spans(text, title)
    quotes = quoted_spans(text)

    # 1. the gazetteer: known names, longest first
    for hit in gazetteer.find(text):
        ent = ms.entities.get(hit.known.iri) or Entity(hit.known.iri, hit.known.cls,
                                                       hit.known.label, set(), known=True)
        ms.entities[hit.known.iri] = ent
        ent.names.add(hit.surface)
        ms.aliases.setdefault(hit.surface, ent.iri)
        ms.add(hit.start, hit.end, ent, "name", text)

    _caps_lines(ms, text)

    # 2. names by their shape: capitalised runs with an organisation head noun
    for m in NAME_PHRASE.finditer(text):
        if _inside(m.start(), headings) or _inside(m.start(), quotes):
            continue
        for off, name in split_phrase(m.group()):
            start = m.start() + off
            end = start + len(name)
            name = _strip_possessive_tail(name)
            end = start + len(name)
            if not (has_org_head(name) or _PEOPLE_HOUSE.search(name) and len(name.split()) > 2) \
                    or _head_is_place(name):
                continue
            covered = [x for x in ms.mentions if x.start < end and start < x.end]
            lead = next((x for x in covered if x.start == start and text[x.end:x.end + 5] == " and "), None)
            if lead is not None:   # "ISF and Basra's Social Forum": a known name, then another
                start = lead.end + 5
                name = text[start:end]
                if not has_org_head(name):
                    continue
                covered = [x for x in ms.mentions if x.start < end and start < x.end]
            canon = canonical_forum(name)
            if covered and all(x.start <= start and end <= x.end for x in covered):
                continue   # inside a longer known name
            if sum(1 for x in covered if ms.cls_of(x.iri) != SDO.Place) >= 2:
                continue   # two known names side by side ("the X Centre of the Y Government")
            ent = ms.entity(name, org_class(canon or name), "name-shape", canonical=canon)
            ms.drop_overlapping(start, end)
            ms.add(start, end, ent, "name", text)
            _descriptor_tail(ms, text, end, ent)

    # 3. acronyms defined in parentheses, then used alone
    for m in _FIND_MENTIONS_RE1.finditer(text):
        acr = m.group(1)
        if sum(c.isupper() for c in acr) < 2:
            continue
        before = [x for x in ms.sorted() if x.end <= m.start() and m.start() - x.end <= 2]
        if not before:
            continue
        ent = ms.entities[before[-1].iri]
        if ms.cls_of(ent.iri) == SDO.Place and acr not in ms.aliases:
            continue
        ms._remember(ent.iri, acr)
        ms.add(m.start() + 1, m.end() - 1, ent, "acronym", text)
    for acr, iri in list(ms.aliases.items()):
        if _FIND_MENTIONS_RE2.fullmatch(acr):
            for m in re.finditer(rf"(?<![\w\-]){re.escape(acr)}(?![\w\-])", text):
                ms.add(m.start(), m.end(), ms.entities[iri], "acronym", text)

    # 4. names by their slot: units, organisations in apposition and in lists, people
    find_units(ms, text, headings)
    find_project_lists(ms, text)
    find_slot_orgs(ms, text, headings, quotes)
    find_people(ms, text, headings, quotes, author)
    find_places(ms, text, headings)
    find_subject_orgs(ms, text, headings, quotes)
    find_projects(ms, text)
    academic_units(ms, text)
    known_units(ms, text)
    # 5. every later use of a name this report introduced
    _repeat_names(ms, text, headings)
    find_references(ms, text)
    ms.sorted()
    return ms


_CAPS_LINE = re.compile(r"^[ \t#*]*([A-Z][A-Z'’\-]+(?: [A-Z][A-Z'’\-]+){1,6})[ \t*]*$", re.M)


def _caps_lines(ms: Mentions, text: str) -> None:
    """A letterhead or heading in capitals ("NINEWA PEACE FORUM") names the body that
    writes: the gazetteer knows it in title case, or its head noun shows it."""
    if "\n" not in text[:400]:
        return
    for m in _CAPS_LINE.finditer(text, 0, 400):
        name = " ".join(w.capitalize() for w in m.group(1).split())
        if any(x.start < m.end(1) and m.start(1) < x.end for x in ms.mentions):
            continue
        known = ms.gazetteer.lookup(name)
        if known is not None:
            ent = ms.entity(name, known.cls)
        elif is_forum_name(name) and has_org_head(name):
            ent = ms.entity(name, CG.Forum, "name-shape")
        else:
            continue
        ent.names.add(m.group(1))
        ms.add(m.start(1), m.end(1), ent, "name", text)


_STRIP_POSSESSIVE_TAIL_RE1 = re.compile(r"['’]s$")


def _strip_possessive_tail(name: str) -> str:
    """"Forum's" at the end of a run belongs to a unit ("the Forum's media team")."""
    return _STRIP_POSSESSIVE_TAIL_RE1.sub("", name)


_PEOPLE_HOUSE = re.compile(r"(?:Women|Children|People|Youth|Workers|Mothers|Girls)['’]?s?\s+House$")


def _head_is_place(name: str) -> bool:
    words = name.split()
    return words[-1] in PLACE_HEADS and not any(w in ORG_HEADS for w in words[:-1]) \
        and not _PEOPLE_HOUSE.search(name)


_DESCRIPTOR_TAIL_RE1 = re.compile(rf"\s+((?:volunteer\s+|youth\s+|women's\s+)?{ORG_NOUNS})\b")


def _descriptor_tail(ms: Mentions, text: str, end: int, ent: Entity) -> None:
    """"the Green Kut volunteer team": the name with its lower-case descriptor is a name
    of the organisation too."""
    m = _DESCRIPTOR_TAIL_RE1.match(text[end:end + 40])
    if m and ent.cls != ORG.OrganizationalUnit:
        surface = _surface_before(ms, end)
        if surface:
            ms._remember(ent.iri, f"{surface} {m.group(1)}")


def _surface_before(ms: Mentions, end: int) -> str:
    for m in ms.mentions:
        if m.end == end:
            return m.surface
    return ""


_NAME_AT_RE1 = re.compile(r"(?:the\s+)?(?:[A-Z][a-z]+\s+)?(?:association|organi[sz]ation|group|network|"
                 r"NGO|foundation|initiative|team|platform|charity)\s+(?=[A-Z])")
_NAME_AT_RE2 = re.compile(r"the\s+")


def _name_at(text: str, pos: int, allow_stop: bool = False) -> tuple[int, int, str] | None:
    """The capitalised name that starts at ``pos`` (after "the " and an optional
    descriptor: "the Italian association Play For Peace")."""
    m = _NAME_AT_RE1.match(text[pos:])
    if m:
        pos += m.end()
    m = _NAME_AT_RE2.match(text[pos:])
    if m:
        pos += m.end()
    m = NAME_PHRASE.match(text, pos)
    if not m:
        return None
    parts = split_phrase(m.group())
    if not parts or parts[0][0] != 0:
        return None
    name = parts[0][1]
    first = name.split()[0]
    if first in STOP and not allow_stop:
        return None
    return pos, pos + len(name), name


# "the (Media) working group of X"
_OWNED_UNIT_OF = prefiltered(rf"\b(?:the\s+)?((?:(?!(?:{'|'.join(sorted(MONTHS | STOP))})\b)[A-Z][a-z]+\s+)?"
                             rf"(?:(?!the\b|a\b|an\b|its\b|their\b)[a-z'’]+\s+)?{OWNED_UNIT_NOUNS})\s+of\s+(?:the\s+)?")
# "the Forum's media team"; "UPP's Erbil office" (an office or branch named for its city)
_FIND_UNITS_RE1 = prefiltered(rf"['’]s\s+((?:[a-z'’]+\s+|[A-Z][a-z]+\s+(?=(?:office|branch)\b))?(?:{UNIT_NOUNS}|team|group))\b")
_FIND_UNITS_RE2 = re.compile(rf"\s+((?:[a-z'’]+\s+)?{UNIT_NOUNS})\b")
_FIND_UNITS_RE3 = re.compile(r"\s+(?:volunteer|youth)\s+team")
_FIND_UNITS_RE4 = re.compile(r"[A-Z]")
_FIND_UNITS_RE5 = re.compile(UNIT_NOUNS)
_FIND_UNITS_RE6 = re.compile(r"(?:media|communication|working|secretariat|youth|women|national|regional|"
                             r"team of|pool of|board of)")


def find_units(ms: Mentions, text: str, headings) -> None:
    """Organisational units: "the Forum's media team", "media team of X", "X secretariat",
    "the Youth working group of X"; each is a unit of its organisation (org:unitOf)."""
    orgs = [m for m in ms.sorted() if ms.cls_of(m.iri) in (CG.Forum, ORG.Organization)]
    # X's media team / X media team / X secretariat
    for m in _FIND_UNITS_RE1.finditer(text):
        owner = _owner_before(ms, text, m.start())
        if owner:
            _make_unit(ms, text, owner, m.group(1), m.start(1), m.end(1), owner_start=_owner_start(ms, text, m.start()))
    for org in orgs:
        m = _FIND_UNITS_RE2.match(text[org.end:org.end + 40])
        if m and not _FIND_UNITS_RE3.match(text[org.end:]):
            _make_unit(ms, text, ms.entities[org.iri], m.group(1), org.end + m.start(1),
                       org.end + m.end(1), owner_start=org.start)
    # the (Media) working group of X
    for m in _OWNED_UNIT_OF.finditer(text):
        target = ms.at(m.end())
        unit_text = m.group(1)
        if target is None:
            nm = _name_at(text, m.end())
            if nm is None or not _FIND_UNITS_RE4.match(unit_text) and not _FIND_UNITS_RE5.search(unit_text):
                continue
            known = ms.gazetteer.lookup(nm[2])
            if known is not None and known.cls == SDO.Place:
                continue
            ent = ms.entity(nm[2], org_class(nm[2]), "unit-owner")
            ms.drop_overlapping(nm[0], nm[1])
            ms.add(nm[0], nm[1], ent, "name", text)
            target = ms.at(nm[0])
        if target is None or ms.cls_of(target.iri) not in (CG.Forum, ORG.Organization):
            continue
        owner = ms.entities[target.iri]
        if unit_text.split()[0][0].islower() and not _FIND_UNITS_RE6.match(unit_text):
            continue
        _make_unit(ms, text, owner, unit_text, m.start(1), target.end, owner_start=target.start,
                   surface=text[m.start(1):target.end])


_ACADEMIC_UNITS_RE1 = re.compile(r"(?:Faculty|College|Department|School|Institute)\s+of\s+")
_ACADEMIC_UNITS_RE2 = re.compile(r"(?:\s+(?:at|of|in)\s+|,\s+)(?:the\s+)?")
_ACADEMIC_UNITS_RE3 = re.compile(r"\b(?:University|Universit\w+)\b")


def academic_units(ms: Mentions, text: str) -> None:
    """"the Faculty of Law at the University of Kut", "the College of Arts, University of
    Kut": a faculty, college or department named with its university is a unit of it."""
    for m in ms.sorted():
        ent = ms.entities.get(m.iri)
        if ent is None or ent.known or ms.cls_of(m.iri) != ORG.Organization or not _ACADEMIC_UNITS_RE1.match(m.surface):
            continue
        gap = _ACADEMIC_UNITS_RE2.match(text[m.end:m.end + 12])
        if gap is None:
            continue
        owner = ms.at(m.end + gap.end())
        if owner is None or not _ACADEMIC_UNITS_RE3.search(ms.entities[owner.iri].label) \
                or ms.cls_of(owner.iri) not in (ORG.Organization, SDO.Place):
            continue
        noun = m.surface
        ms.mentions = [x for x in ms.mentions if x is not m]
        if not ent.names - {noun}:
            ms.entities.pop(m.iri, None)
            ms.aliases.pop(noun, None)
        _make_unit(ms, text, ms.entities[owner.iri], noun, m.start, owner.end, owner_start=m.start,
                   surface=text[m.start:owner.end])
        ms.aliases[noun] = next(x.iri for x in ms.mentions if x.start == m.start)


_OWNER_BEFORE_RE1 = re.compile(r"\b(?:[Tt]he|[Ii]ts|[Tt]heir)\s+(Forum|Coalition|Network|Initiative|Association|Foundation|forum|group|organi[sz]ation)$")


def _owner_before(ms: Mentions, text: str, pos: int) -> Entity | None:
    for m in reversed(ms.sorted()):
        if m.end == pos and ms.cls_of(m.iri) in (CG.Forum, ORG.Organization):
            return ms.entities[m.iri]
    ref = _OWNER_BEFORE_RE1.search(text[max(0, pos - 30):pos])
    if ref:
        return resolve_reference(ms, ref.group(1), pos - len(ref.group(1)))
    return None


_OWNER_START_RE1 = re.compile(r"\bthe\s+\w+$")


def _owner_start(ms: Mentions, text: str, pos: int) -> int:
    for m in ms.mentions:
        if m.end == pos:
            return m.start
    ref = _OWNER_START_RE1.search(text[max(0, pos - 30):pos])
    return pos - len(ref.group(0)) if ref else pos


def _make_unit(ms: Mentions, text: str, owner: Entity, noun: str, start: int, end: int,
               owner_start: int, surface: str | None = None) -> None:
    noun = noun.strip()
    label = f"{owner.label} {noun}" if noun[0].islower() else f"{noun} of {owner.label}"
    # the short, un-owned name of the unit ("ISF secretariat") from the owner's acronym
    ent = None
    owner_names = owner.names | {owner.label} | set(ms.gazetteer.names_of(owner.iri))
    for name in sorted(owner_names, key=len):
        cand = f"{name} {noun}"
        known = ms.gazetteer.lookup(cand) or ms.gazetteer.lookup(f"{name} {noun.lower()}")
        if known is not None and known.cls == ORG.OrganizationalUnit:
            ent = ms.entity(cand, ORG.OrganizationalUnit, "unit")
            break
    if ent is None:
        ent = ms.entity(label, ORG.OrganizationalUnit, "unit")
    full = surface or text[owner_start:end]
    ent.names.add(_clean(full))
    ent.names.add(_clean(_SPLIT_PHRASE_RE4.sub("", noun)))
    ms.aliases.setdefault(_clean(full), ent.iri)
    ms.unit_of[ent.iri] = owner.iri
    # the unit spans the owner's name too: drop the owner's mention, keep its link
    span_start = min(owner_start, start)
    ms.drop_overlapping(span_start, end)
    ms.add(span_start, end, ent, "name", text)


_KNOWN_UNITS_RE1 = re.compile(rf"(.+?)(?:['’]s)?\s+(?:[a-z'’]+\s+)?{UNIT_NOUNS}$", re.I)
_KNOWN_UNITS_RE2 = re.compile(r"(?:Faculty|College|Department|School|Institute)\s+of\s+.+?(?:\s+(?:at|of|in)|,)\s+(?:the\s+)?"
            r"((?:University|Universit\w+)\b.*|.*\bUniversity)$")


# "national team of trainers of the Iraqi Al-Amal Association": the owner named after "of"
_KNOWN_UNITS_RE3 = re.compile(rf"(?:[a-z]+\s+)?{OWNED_UNIT_NOUNS}\s+of\s+(?:the\s+)?(.+)$")


def known_units(ms: Mentions, text: str) -> None:
    """A unit named with its organisation ("the ISF secretariat") is a unit of it."""
    for m in ms.sorted():
        if ms.cls_of(m.iri) != ORG.OrganizationalUnit or m.iri in ms.unit_of:
            continue
        surface = _SPLIT_PHRASE_RE4.sub("", m.surface)
        own = _KNOWN_UNITS_RE1.match(surface) or _KNOWN_UNITS_RE2.match(surface) or _KNOWN_UNITS_RE3.match(surface)
        if not own:
            continue
        owner = ms.aliases.get(own.group(1))
        known = ms.gazetteer.lookup(own.group(1))
        if owner is None and known is not None and known.cls in (CG.Forum, ORG.Organization):
            owner = ms.entity(own.group(1), known.cls).iri
        if owner is not None and ms.cls_of(owner) in (CG.Forum, ORG.Organization):
            ms.unit_of[m.iri] = owner


# compiled once: these run over every report
_SLOT_CUE = prefiltered(
    r"\b(?:in (?:close )?(?:cooperation|collaboration|partnership|coordination) with|"
    r"with the (?:participation|support|help|backing) of|together with|jointly with|"
    r"(?:organi[sz]ed|sponsored|funded|financed|supported|implemented|run|hosted|called|"
    r"carried out|delivered|attended) by|thanks to (?:a|the) (?:grant|support|funding) (?:from|of)|"
    r"(?:grant|funding|contribution|donation|support) (?:from|of)|alongside|affiliated (?:to|with)|"
    r"(?:members?|delegates|representatives|volunteers|students|staff) of|"
    r"(?:coordinator|director|head|founder|co-founder|president|chair|chairperson|chairwoman|chairman|"
    r"spokesperson|spokesman|spokeswoman|secretary|manager) of the(?=\s+[A-Z])|"
    r"who (?:coordinates|directs|heads|leads|chairs|manages|runs|founded|co-founded|represents) the(?=\s+[A-Z])|"
    r"members include|member organi[sz]ations (?:are|include))\s+", re.I)
_APPOSITION = prefiltered(rf"(?:^|(?<=[.;:]\s)|(?<=\n)|(?<=,\s)|(?<=\band\s)|(?<=,\sthe\s)|(?<=^The\s)|(?<=\.\sThe\s))({CAP}(?:\s+(?:of|for|and|the)?\s*{CAP}){{0,5}})"
                         rf"(?:,\s+(?:a|an|the)\s+|\s+is\s+(?:a|an|the)\s+)(?:[\w\-']+\s+){{0,4}}?{ORG_NOUNS}\b")


# the same inside a clause, after a lower-case word: "and so did Basrawiyat, the women's group"
_APPOSED_NOUN = prefiltered(rf",\s+(?:a|an|the)\s+(?:[\w\-']+\s+){{0,4}}?{ORG_NOUNS}\b")
_NAME_BEFORE = re.compile(rf"(?<=[a-z] )({CAP}(?: (?:of |for |and |the )?{CAP}){{0,5}})$")


def _apposition_mid(text: str) -> list[re.Match]:
    """The names that an organisation noun in apposition follows inside a clause, after
    a lower-case word: "and so did Basrawiyat, the women's group from Zubair" (the
    noun is looked for first: it is rarer than a capital)."""
    out = []
    for m in _APPOSED_NOUN.finditer(text):
        name = _NAME_BEFORE.search(text, max(0, m.start() - 80), m.start())
        if name:
            out.append(name)
    return out
_FIND_SLOT_ORGS_RE1 = re.compile(r",\s+(?:a|an|the)\s+(?:[\w\-]+\s+){0,3}?(?:member|trainer|journalist|activist)")


def find_slot_orgs(ms: Mentions, text: str, headings, quotes) -> None:
    """Names without a head noun that their slot shows to be organisations: objects of
    "in cooperation with", "organised by", "members of", "funded by", and names in
    apposition to an organisation noun ("Dijla Hands is a non-profit organisation")."""
    for m in _SLOT_CUE.finditer(text):
        if _inside(m.start(), headings):
            continue
        pos = m.end()
        for _ in range(12):
            pos = _list_item(ms, text, pos, quotes)
            if pos is None:
                break
    for m in [*_APPOSITION.finditer(text), *_apposition_mid(text)]:
        start, name = m.start(1), m.group(1)
        if _inside(start, headings) or _inside(start, quotes):
            continue
        parts = split_phrase(name)
        if not parts:
            continue
        off, name = parts[0]
        start += off
        end = start + len(name)
        existing = [x for x in ms.mentions if x.start < end and start < x.end]
        if existing and any(x.start <= start and end <= x.end for x in existing):
            continue
        if any(ms.cls_of(x.iri) in (SDO.Person,) for x in existing):
            continue
        if len(name.split()) == 1 and name in NOT_PLACE:
            continue
        if _SPLIT_PHRASE_RE3.fullmatch(name) and _FIND_SLOT_ORGS_RE1.match(text[end:end + 60]):
            continue
        ent = ms.entity(name, org_class(name), "apposition")
        ms.drop_overlapping(start, end)
        ms.add(start, end, ent, "name", text)


# English words that make a name a group's, not a person's ("the Kut Green Volunteers")
GROUP_WORDS = {"Volunteers", "Friends", "Keepers", "Guardians", "Makers", "Builders", "Hands", "Voices",
               "Youth", "Women", "Students", "Scouts", "Defenders", "Ambassadors", "Pioneers", "Messengers",
               "Champions", "Peace", "Green", "Clean", "Hope", "Future", "Together", "Bridges", "Arts",
               "Civic", "Rights", "Water", "Life", "Light", "Dialogue", "Development", "Citizens", "Children"}
_HOLD_VERB = (r"(?:has\s+|have\s+|had\s+|also\s+|then\s+|recently\s+|successfully\s+|jointly\s+)*"
              r"(?:(?:held|organi[sz]ed|launched|ran|hosted|convened|staged|conducted|delivered|carried out)\s+"
              r"(?:a|an|its|their|two|three|four|five|several|\d+)\b|"
              r"(?:held|organi[sz]ed|ran|hosted|conducted|delivered)\s+(?:[a-z\-]+\s+)?(?:workshops|trainings|"
              r"training sessions|meetings|campaigns|sessions|conferences|festivals|seminars)\b)")


_SUBJECT_NAME = prefiltered(rf"(?:^|(?<=[.;:]\s)|(?<=\n)|(?<=,\s)|(?<=\bthe\s)|(?<=\bThe\s))"
                            rf"({CAP}(?:\s+(?:of|for|and)?\s*{CAP}){{0,5}})"
                            rf"(\s+(?:volunteer\s+|youth\s+|women's\s+|student\s+)?{ORG_NOUNS})?,?\s+"
                            rf"(?:{_HOLD_VERB}|(?:also\s+|recently\s+|officially\s+)?(joined\s+(?:the\s+)?)(?=[A-Z]))")


_FIND_SUBJECT_ORGS_RE1 = re.compile(r"\b(?:Network|Alliance|Coalition|Federation|Platform|Consortium|League)$")


def find_subject_orgs(ms: Mentions, text: str, headings, quotes) -> None:
    """A name with no head noun that holds an event is an organisation: "Clean Kut
    organised a campaign", "the Green Hands team held a workshop". A name shaped like a
    person's is read so only with an organisation noun after it, or a known place in it."""
    for m in _SUBJECT_NAME.finditer(text):
        start, name = m.start(1), m.group(1)
        if _inside(start, headings) or _inside(start, quotes):
            continue
        parts = split_phrase(name)
        if not parts or parts[0][0] != 0 or parts[0][1] != name:
            continue
        end = start + len(name)
        words = name.split()
        if words[0] in STOP or words[0] in MONTHS or name in NOT_PLACE or words[0] in TITLES:
            continue
        if all(w in ORG_HEADS or w in REF_HEADS for w in words):
            continue   # "the Forum held": a short reference, read by find_references
        inside = [x for x in ms.mentions if x.start < end and start < x.end]
        if any(ms.cls_of(x.iri) != SDO.Place or not (start <= x.start and x.end <= end)
               or (x.start, x.end) == (start, end) for x in inside):
            continue   # a name already read, or a place that is all of it
        known = ms.gazetteer.lookup(name)
        if known is not None:
            continue
        if any(e.cls == SDO.Person and (name == e.label or name in e.names) for e in ms.entities.values()):
            continue   # a person named elsewhere in the report
        places = {e.label for e in ms.entities.values() if e.cls == SDO.Place}
        if _SPLIT_PHRASE_RE3.fullmatch(name) and not m.group(2) and not any(
                w in places or w in GROUP_WORDS or ((k := ms.gazetteer.lookup(w)) is not None and k.cls == SDO.Place)
                for w in words):
            continue   # "Ali Hassan organised a workshop" may be a person; "Clean Kut" names a town
        if len(words) == 1 and not m.group(2):
            continue   # "Zakho hosted a festival": a lone word is a town as often as a group
        if m.group(3) and not _FIND_SUBJECT_ORGS_RE1.search(ms.entities[ms.at(m.end(3)).iri].label if ms.at(m.end(3)) else ""):
            continue   # people join forums and teams; organisations join networks and alliances
        ent = ms.entity(name, org_class(name), "subject-slot")
        ms.drop_overlapping(start, end)
        ms.add(start, end, ent, "name", text)
        if m.group(2):
            ms._remember(ent.iri, f"{name}{m.group(2)}".strip())


_LIST_ITEM_RE1 = re.compile(r"(?:[A-Z][a-z]+\s+)*(?:NGO|Organi[sz]ation|Association|Network|Group|Team|"
                        r"Foundation|Charity|Agency)")
_LIST_ITEM_RE2 = re.compile(r"(?:ian|ish|ese|ch|i)$")
_LIST_ITEM_RE3 = re.compile(r"\s+[a-z]")
_SPOKEN_BY = re.compile(r"\b(?:speech|talk|lecture|address|presentation|keynote|remarks|words)\s+(?:was\s+|were\s+)?"
                        r"(?:given|delivered|made)\s+by\s+$")
# "Karim Naji, spokesperson of …", "X, a trainer": a person in apposition, not an organisation
_LIST_ITEM_RE4 = re.compile(rf",\s+(?:(?:a|an)\s+|(?:[a-z\-]+\s+){{0,2}}(?i:{PERSON_ROLES})\b)")
_LIST_ITEM_RE5 = re.compile(r"\s+(municipality|council|directorate|municipal council|provincial council|"
                        r"governorate office|education office|office)\b")
_LIST_ITEM_RE6 = re.compile(r",\s*(?:the\s+)?$")


# "The evening was hosted by Sozan Murad": people host evenings as often as bodies do
_HOSTED_BY = re.compile(r"\bhosted\s+by\s+$")


def _person_shaped(ms: Mentions, name: str) -> bool:
    """A name of two or three plain capitalised words, none a group word or a place."""
    words = name.split()
    return 2 <= len(words) <= 3 and not any(w in GROUP_WORDS or w in ORG_HEADS or _known_place(ms, w) for w in words)


def _known_place(ms: Mentions, name: str) -> bool:
    """Whether a name is a place the gazetteer or this report knows ("Iraq", "Jordan")."""
    known = ms.gazetteer.lookup(name)
    if known is not None:
        return known.cls == SDO.Place
    iri = ms.aliases.get(name)
    return iri is not None and ms.cls_of(iri) == SDO.Place


def _list_item(ms: Mentions, text: str, pos: int, quotes) -> int | None:
    """Read one organisation name of a list at ``pos``; return where the next may start."""
    existing = _mention_near(ms, text, pos)
    if existing is not None:
        end = existing.end
    else:
        nm = _name_at(text, pos, allow_stop=True)
        if nm is None or _inside(nm[0], quotes):
            return None
        start, end, name = nm
        if name.split()[0] in STOP - {"I"} or name.split()[0] in TITLES:
            return None   # "attended by Sayyid Ali Hashim": a person, read by find_people
        if name in REF_HEADS or name in ("Forum", "Group"):
            ent = resolve_reference(ms, name, start)     # "a member of the Campaign"
            if ent is None:
                return None
            ms.add(start, end, ent, "ref", text)
            ent.names.add(f"the {name}")
            return _after_item(ms, text, end)
        if name in MONTHS or name in NOT_PLACE or all(w in ORG_HEADS or w in STOP for w in name.split()):
            return None
        if _LIST_ITEM_RE1.fullmatch(name) and not has_org_head(name):
            return None   # "the Italian NGO that …": a description, not a name
        if len(name.split()) == 1 and _LIST_ITEM_RE2.search(name) and _LIST_ITEM_RE3.match(text[end:end + 3]):
            return None   # "the Dutch organisation for relief"
        if _SPLIT_PHRASE_RE3.fullmatch(name) and not has_org_head(name) and (
                _LIST_ITEM_RE4.match(text[end:end + 60]) or _SPOKEN_BY.search(text, max(0, start - 60), start)
                or _HOSTED_BY.search(text, max(0, start - 20), start) and _person_shaped(ms, name)):
            return None   # "X, spokesperson of …", "the speech was delivered by X": a person
        # "Zakho municipality": a name with a lower-case body noun is that body
        body = _LIST_ITEM_RE5.match(text[end:end + 30])
        if body and " and " not in name:
            full = f"{name} {body.group(1)}"
            ent = ms.entity(full, ORG.Organization, "list-slot")
            ms.drop_overlapping(start, end + body.end())
            ms.add(start, end + body.end(), ent, "name", text)
            return _after_item(ms, text, end + body.end())
        # the last item of a list "A, B and C" may hold "B and C"
        parts = [name]
        if " and " in name:
            left, right = name.rsplit(" and ", 1)
            if right.split()[0] not in STOP and (_LIST_ITEM_RE6.search(text[max(0, start - 40):start]) or has_org_head(left)
                                                 or _known_place(ms, left)):
                parts = [left, right]   # "with the support of Iraq and UNESCO": a place, then a name
        off = start
        for part in parts:
            s = text.index(part, off)
            e = s + len(part)
            off = e
            if _known_place(ms, part):
                continue
            ent = ms.entity(part, org_class(part), "list-slot")
            ms.drop_overlapping(s, e)
            ms.add(s, e, ent, "name", text)
            _descriptor_tail(ms, text, e, ent)
        end = start + len(name)
    return _after_item(ms, text, end)


_AFTER_ITEM_RE1 = re.compile(r"(?:\s+(?:volunteer\s+|youth\s+)?(?:team|group|network|association|club)\b)?(?:\s*\([^)]*\))?")
_AFTER_ITEM_RE2 = re.compile(r"(?:,\s*(?:and\s+)?|\s+and\s+(?:by\s+)?|\s+as well as\s+)(?:the\s+|by\s+(?:the\s+)?|(?:members|delegates|representatives|students|volunteers)\s+of\s+(?:the\s+)?)?")
_AFTER_ITEM_RE3 = re.compile(r"(?:with|who|which|among)\b", re.I)
_AFTER_ITEM_RE4 = re.compile(r",\s+(?:a|an|the|one|which|who|whose|based|itself)\b(?:(?!\bwith\b|\bby\b)[^.;:()]){0,140}?"
                  r"(,\s*and\s+|\s+and\s+)(?:the\s+)?(?=[A-Z])")


def _after_item(ms: Mentions, text: str, end: int) -> int | None:
    """Where the next item of a list starts after an item that ends at ``end``."""
    rest = text[end:end + 200]
    m = _AFTER_ITEM_RE1.match(rest)
    skip = m.end() if m else 0
    sep = _AFTER_ITEM_RE2.match(rest[skip:])
    if sep and sep.end() > 0:
        nxt = end + skip + sep.end()
        if _FIND_UNITS_RE4.match(text[nxt:nxt + 1]) and not _AFTER_ITEM_RE3.match(text[nxt:]):
            return nxt
        return None
    # an apposition between two items: ", the Rome-based association that …, and B"
    ap = _AFTER_ITEM_RE4.match(rest[skip:])
    if ap:
        return end + skip + ap.end()
    return None


_MENTION_NEAR_RE1 = re.compile(r"(?:the\s+)?(?:(?:[A-Z][a-z]+\s+)?(?:association|organi[sz]ation|group|network|NGO|"
                 r"foundation|initiative|team|platform|charity)\s+(?=[A-Z]))?")


def _mention_near(ms: Mentions, text: str, pos: int) -> Mention | None:
    m = _MENTION_NEAR_RE1.match(text[pos:])
    p2 = pos + (m.end() if m else 0)
    for x in ms.mentions:
        if (x.start in (pos, p2) or x.start <= pos < min(x.end, x.start + 5)) and ms.cls_of(x.iri) != SDO.Place:
            return x
    return None


@cache
def _person_cues() -> list[Prefiltered]:
    """The cues of ``find_people``, compiled once: they are long, and the regular
    expression module's own cache is too small to keep them between reports. Each
    first tests for the words it cannot match without."""
    name = rf"({PERSON_NAME})"
    role_by = (r"\b(?:led|facilitated|moderated|chaired|trained|presented|conducted|coordinated|hosted|"
               r"opened|managed|given|run|accompanied|introduced)\s+by\s+(?:the\s+)?"
               r"(?:(?!and\b)[a-z][\w\-]*\s+){0,3}")
    return [
        prefiltered(role_by + name),
        # "the opening speech was delivered by X", "a lecture given by Dr X"
        prefiltered(rf"\b(?:speech|talk|lecture|address|presentation|keynote|remarks)\s+(?:was\s+|were\s+)?"
                    rf"(?:given|delivered|made)\s+by\s+(?:the\s+)?(?:(?!and\b)[a-z][\w\-]*\s+){{0,2}}{name}"),
        prefiltered(rf"\band\s+by\s+(?:the\s+)?(?:(?!and\b)[a-z][\w\-]*\s+){{0,3}}{name}"),
        prefiltered(rf"{name},\s+(?:(?:a|an|the)\s+)?(?:[\w\-'’]+\s+){{0,4}}?{PERSON_ROLES}\b"),
        prefiltered(rf"{name},\s+who\s+(?:also\s+)?(?:coordinates|directs|heads|leads|chairs|manages|runs|founded|"
                    rf"co-founded|represents|works|teaches|volunteers|lectures|trains)\b"),
        prefiltered(rf"\b(?:said|says|told|added|explained|according to|asked|recalls|recalled|adds|explains)\s+"
                    rf"(?:(?:its|their|the)\s+(?:[a-z\-]+\s+)?{PERSON_ROLES},?\s+)?{name}"),
        prefiltered(rf"\b(?:[Ii]ts|[Tt]heir)\s+(?:[a-z\-]+\s+)?{PERSON_ROLES},?\s+(?:is\s+|was\s+)?{name}"),
        prefiltered(rf"{name}\s+(?:said|says|told|added|explained|stressed|noted|believes|recalled|pointed out)\b"),
        prefiltered(rf"\b(?:Dr|Mr|Mrs|Ms|Prof|Eng|Professor|Sheikh|Sayyid|Imam|Judge|Father|Sister)\.?\s+{name}"),
        prefiltered(rf"{name}\s+(?:is|was)\s+(?:the|a|an)\s+(?:[a-z\-]+\s+){{0,2}}{PERSON_ROLES}\b"),
        prefiltered(rf"\b(?:[Aa]ctivist|[Jj]ournalist|[Tt]rainer|[Rr]esearcher|[Ee]ngineer|[Ll]awyer|"
                    rf"[Ee]xpert|[Aa]rtist|[Pp]oet|[Tt]eacher|[Pp]rofessor|[Dd]irector|[Cc]oordinator|"
                    rf"[Pp]hotographer|[Bb]logger|[Ff]acilitator|[Mm]oderator)\s+{name}"),
        prefiltered(rf"\b[Aa]mong\s+(?:the\s+)?(?:guests|speakers|participants|attendees|players|runners|trainees|"
                    rf"performers|panell?ists|competitors|winners)\s+(?:was|were)\s+{name}"),
        prefiltered(rf"\b(?:[Tt]rainers?|[Tt]eachers|[Ff]acilitators?|[Mm]oderators?|[Ss]peakers|[Pp]anell?ists|[Gg]uests|[Pp]resenters?)"
                    rf"\s*(?:(?:for|of)\s+the\s+\w+\s+)?(?:(?<=\s)(?:included|include|were|was|are|is|will be)|:)\s+(?:(?:Dr|Mr|Mrs|Ms|Prof|Eng)\.?\s+)?{name}"),
        prefiltered(rf"{name}\s+of\s+the\s+(?:[A-Z][\w'’\-]*\s+){{0,4}}(?:Forum|Network|Association|Initiative|Society|Foundation|Union|Council|Organi[sz]ation|Coalition|Team)\b"),
        prefiltered(rf"(?:^|\.\s+|,\s+){name}\s+(?:also\s+)?(?:attended|participated|spoke|took part|led|facilitated|moderated|trained|chaired)\b"),
        # "X has coordinated the Basra Social Forum since 2017", "X heads the Y"
        prefiltered(rf"{name}\s+(?:(?:has|had)\s+(?:coordinated|directed|headed|chaired|led|managed)|coordinates|directs|heads|chairs)"
                    rf"\s+(?:the\s+)?[A-Z]"),
        # "X has joined UPP's Erbil office as security adviser"
        prefiltered(rf"{name}\s+(?:has\s+|had\s+)?joined\s+[^.;]{{0,60}}?\bas\s+(?:(?:a|an|the|its|their)\s+)?"
                    rf"(?:[a-z\-]+\s+){{0,2}}{PERSON_ROLES}\b"),
        # "X, one of our volunteers"
        prefiltered(rf"{name},\s+one\s+of\s+(?:our|the|its|their|his|her)\s+(?:[\w\-]+\s+){{0,2}}{PERSON_ROLES}s\b"),
    ]


_FIND_PEOPLE_RE1 = re.compile(PERSON_ROLES)
# "X (Kut Women's League)", "X of the Forum", and a list that goes on: "X, Y and Dr Z"
_PERSON_IN_BRACKETS = re.compile(rf"({PERSON_NAME})\s*\(([^()]{{2,80}})\)")
_PERSON_OF = re.compile(rf"({PERSON_NAME})\s+of\s+(?:the\s+)?")
_ROLE_WORD = re.compile(rf"(?i:{PERSON_ROLES})s?")
_PERSON_MORE = re.compile(rf"(?:,\s+(?:and\s+)?|\s+and\s+)(?:(?:Dr|Mr|Mrs|Ms|Prof|Eng)\.?\s+)?({PERSON_NAME})")


def find_people(ms: Mentions, text: str, headings, quotes, author: str | None) -> None:
    """People, by the cues that announce them: "led by", "facilitated by the journalist",
    "X, a member of", "said X", "trainer X", titles, and the byline."""
    found: list[tuple[int, int, str]] = []
    for pattern in _person_cues():
        for m in pattern.finditer(text):
            s, e = m.start(1), m.end(1)
            if _inside(s, headings):
                continue
            full = _trim_person(m.group(1))
            if full is None:
                continue
            s += m.group(1).find(full)          # "Sheikh X Y": the name starts after the title
            found.append((s, s + len(full), full))
    for m in _PERSON_IN_BRACKETS.finditer(text):
        inner = [x for x in ms.mentions if m.start(2) <= x.start < m.end(2) and ms.cls_of(x.iri) in ORG_KINDS]
        if (inner or _FIND_PEOPLE_RE1.search(m.group(2))) and not _inside(m.start(1), headings):
            full = _trim_person(m.group(1))
            if full and not any(x.start <= m.start(1) < x.end and ms.cls_of(x.iri) != SDO.Person for x in ms.mentions):
                s = m.start(1) + m.group(1).find(full)
                found.append((s, s + len(full), full))
    for m in _PERSON_OF.finditer(text):
        nxt = ms.at(m.end()) or ms.at(m.end() - 4)
        if nxt is not None and ms.cls_of(nxt.iri) in ORG_KINDS and not _inside(m.start(1), headings):
            full = _trim_person(m.group(1))
            if full:
                s = m.start(1) + m.group(1).find(full)
                found.append((s, s + len(full), full))
    # a list of people goes on after the first: "X, Y and Z", "X and Dr Y"; the first may
    # be a person the gazetteer knows
    queue = list(found) + [(x.start, x.end, x.surface) for x in ms.mentions if x.cls == SDO.Person]
    while queue:
        s, e, _ = queue.pop()
        m = _PERSON_MORE.match(text, e)
        if m is None or _inside(m.start(1), headings):
            continue
        full = _trim_person(m.group(1))
        if full is None or not m.group(1).startswith(full) or full.split()[-1] in NOT_PLACE \
                or _ROLE_WORD.fullmatch(full.split()[-1]):
            continue   # "Sara Benedetti, Grants Officer, …": a title in capitals, not a second person
        if ms.gazetteer.lookup(full) is not None or any(x.start <= m.start(1) < x.end and ms.cls_of(x.iri) != SDO.Person
                                                        for x in ms.mentions):
            continue
        item = (m.start(1), m.start(1) + len(full), full)
        if item not in found:
            found.append(item)
            queue.append(item)
    if author:
        for m in re.finditer(re.escape(author), text):
            found.append((m.start(), m.end(), author))
    for s, e, full in found:
        last = ms.gazetteer.lookup(full.split()[-1])
        if last is not None and last.cls == SDO.Place and full != author:
            continue   # "Clean Kut, a founding member of …": a name that ends in a town is no person's
        existing = [x for x in ms.mentions if x.start < e and s < x.end]
        if existing:
            if all(ms.cls_of(x.iri) == SDO.Person for x in existing):
                continue
            if any(ms.cls_of(x.iri) != SDO.Place or (x.start <= s and e <= x.end) for x in existing):
                continue
        ent = ms.entity(full, SDO.Person, "person-cue")
        ms.drop_overlapping(s, e)
        ms.add(s, e, ent, "name", text)


TITLES = {"Professor", "Doctor", "Judge", "Engineer", "Sheikh", "Sayyid", "Imam", "Father",
          "Bishop", "Minister", "Governor", "President", "Ambassador", "Mister", "Madam", "Lawyer",
          "Mayor", "Senator", "Colonel", "General", "Captain", "Sister", "Brother"}


def _trim_person(name: str) -> str | None:
    words = name.split()
    while words and (words[0] in STOP or words[0] in TITLES):
        words.pop(0)
    while words and (words[-1] in STOP or words[-1] in MONTHS):
        words.pop()
    if len(words) < 2:
        return None
    if any(w in ORG_HEADS or w in PLACE_HEADS or w in MONTHS for w in words):
        return None
    return " ".join(words)


_FIND_PLACES_RE1 = re.compile(r"(?:ian|ish|ese)$")
_FIND_PLACES_RE2 = re.compile(r"\b(?:" + "|".join(PLACE_HEADS) + r")$")
_FIND_PLACES_RE3 = re.compile(r"\s+(?:province|governorate)")


# a place by the words around it: "the city of X", "X province", "X-based", "based in X", "in X" after an event verb
_PLACE_TOKEN = r"[A-Z][a-z'’]+(?:[\- ](?:al-|el-)?[A-Z][a-z'’]+)?"
_PLACE_VENUES = "|".join(sorted(PLACE_HEADS - {"District", "Province", "Governorate"}))
_PLACE_PROVINCE = prefiltered(rf"\b({_PLACE_TOKEN})\s+(province|governorate)\b")
_PLACE_CUES = [
    prefiltered(rf"\b(?:city|town|village|district|province|governorate|neighbourhood|neighborhood|region|camp)\s+of\s+({_PLACE_TOKEN})"),
    prefiltered(rf"\b({_PLACE_TOKEN})\s+(?:province|governorate|district)\b"),
    prefiltered(rf"\b({_PLACE_TOKEN})-based\b"),
    prefiltered(rf"\bbased\s+in\s+({_PLACE_TOKEN})"),
    prefiltered(rf"\b{ORG_NOUNS}\s+from\s+({_PLACE_TOKEN})\b(?!\s+[A-Z])"),
    prefiltered(rf"\b(?:held|took place|organi[sz]ed|launched|met|gathered|ran|hosted)\s+(?:[a-z\-]+\s+){{0,6}}?in\s+({_PLACE_TOKEN})\b(?!\s+(?:[A-Z]|Forum))"),
    prefiltered(rf"\b(?:in|at)\s+({_PLACE_TOKEN})\s+(?:on|from)\s+(?:\w+\s+)?\d"),
    prefiltered(rf"\b(?:in|across)\s+({_PLACE_TOKEN}),\s+(?:a|the)\s+(?:city|town|village|district|province)\b"),
    prefiltered(r"(?<![\w\-])((?:[A-Z][\w'’\-]*\s+){1,2}(?:River|Marsh|Marshes|Lake|Dam))\b"),
    prefiltered(rf"\b(?:in|at|near|outside|inside)\s+(?:the\s+)?((?:[A-Z][\w'’\-]*\s+){{1,3}}(?:{_PLACE_VENUES}))\b"),
    prefiltered(rf"\b(?:in|at|In|At)\s+({_PLACE_TOKEN})(?=\s*(?:[,.;:)]|\s+(?:on|from|in|at|and|with|for|to|during|"
                rf"between|last|this|city|town|district|province|governorate)\b))"),
]


def find_places(ms: Mentions, text: str, headings) -> None:
    """Places the gazetteer does not know, by the words around them: "the city of X",
    "X province", "X-based", "based in X", "the X River", and "in X" after an event verb."""
    quotes = quoted_spans(text)
    for pattern in _PLACE_CUES:
        for m in pattern.finditer(text):
            s, e, name = m.start(1), m.end(1), m.group(1)
            if _inside(s, headings) or _inside(s, quotes):
                continue   # "a workshop titled 'Women in Public Life'"
            if name in NOT_PLACE or name.split()[0] in NOT_PLACE or _FIND_PLACES_RE1.search(name):
                continue
            if any(p.cls == SDO.Person and name in p.label.split() for p in ms.entities.values()):
                continue
            inside = [x for x in ms.mentions if x.start < e and s < x.end]
            if inside:
                # "the Duhok Public Library", "the Diyala River": the longer place, not the city
                if not (_FIND_PLACES_RE2.search(name)
                        and all(ms.cls_of(x.iri) == SDO.Place and s <= x.start and x.end <= e and x.end < e for x in inside)):
                    continue
                ms.drop_overlapping(s, e)
            tail = text[e:e + 14].lower()
            variants = ((f"{name} province", f"{name} Governorate", name)
                        if _FIND_PLACES_RE3.match(tail) else (name,))
            for variant in variants:
                known = ms.gazetteer.lookup(variant)
                if known and known.cls == SDO.Place:
                    ent = ms.entity(variant, SDO.Place)
                    break
            else:
                if name in ms.aliases and ms.cls_of(ms.aliases[name]) != SDO.Place:
                    continue
                ent = ms.entity(name, SDO.Place, "place-cue")
            ms.add(s, e, ent, "name", text)
    # "X province": the province, known under that name or as "X"
    for m in _PLACE_PROVINCE.finditer(text):
        inner = [x for x in ms.mentions if x.start == m.start(1)]
        full = m.group(0)
        known = ms.gazetteer.lookup(full)
        if known is None and inner and ms.cls_of(inner[0].iri) == SDO.Place:
            ent = ms.entities[inner[0].iri]
        elif known is not None and known.cls == SDO.Place:
            ent = ms.entity(full, SDO.Place)
        else:
            continue
        ent.names.add(full)
        ms.drop_overlapping(m.start(), m.end())
        ms.add(m.start(), m.end(), ent, "name", text)


_FIND_PROJECT_LISTS_RE1 = prefiltered(r"\b(?:projects|programmes|programs)\s+(?:include|includes|included|are|were|such as)\s+")
_FIND_PROJECT_LISTS_RE2 = re.compile(r"(?:,\s+(?:a|an|the|which|funded|supported|implemented|run|carried out|financed)\b[^,;.]*?)?"
                           r"(?:,\s*(?:and\s+)?|\s+and\s+)(?=[A-Z])")


def find_project_lists(ms: Mentions, text: str) -> None:
    """"Its projects include Open Doors, funded by …, and Street Libraries": the names
    listed after "projects include" are projects."""
    listed = []
    for m in _FIND_PROJECT_LISTS_RE1.finditer(text):
        pos = m.end()
        for _ in range(6):
            nm = _name_at(text, pos)
            if nm is None or _inside(nm[0], quotes_of(text)):
                break
            listed.append(nm)
            nxt = _FIND_PROJECT_LISTS_RE2.match(text[nm[1]:nm[1] + 160])
            if nxt is None:
                break
            pos = nm[1] + nxt.end()
    for start, end, name in listed:
        if has_org_head(name) or any(x.start < end and start < x.end and ms.cls_of(x.iri) != SDO.Place for x in ms.mentions):
            continue
        ent = ms.entity(name, CG.Project, "project-list")
        ms.drop_overlapping(start, end)
        ms.add(start, end, ent, "name", text)


_FIND_PROJECTS_RE1 = re.compile(r"^(?:The|the)\s+")
_FIND_PROJECTS_RE2 = re.compile(r"\bfor\b")


_PROJECT_QUOTED = r"[\"“]([^\"”\n]{3,80})[\"”]"
_PROJECT_CAP = rf"({CAP}(?: +(?:(?:of|for|in|and|the|to|from|on|against) +){{0,2}}{CAP}){{0,7}})"   # "Water for Peace in the Marshes"
_PROJECT_CUES = [
    prefiltered(rf"{_PROJECT_QUOTED}\s+(?:project|programme|program)\b"),
    # a label line: "Project: Peace Starts Local (PSL)"
    prefiltered(rf"^[ \t]*(?:[-*•][ \t]*)?(?:Project|Programme|Program)(?: title| name)?:[ \t]*{_PROJECT_CAP}(?=[ \t]*(?:\(|$))", re.M),
    # "the Return and Reconciliation in Anbar (RRA) programme"
    prefiltered(rf"\b[Tt]he\s+{_PROJECT_CAP}\s+\({ACRONYM}\)\s+(?:project|programme|program)\b"),
    prefiltered(rf"\b(?:project|programme|program)\s+(?:called|titled|entitled|named|known as)?\s*{_PROJECT_QUOTED}"),
    prefiltered(rf"{_PROJECT_QUOTED},\s+(?:a|an|the)\s+(?:[\w\-]+\s+){{0,3}}(?:project|programme|program)\b"),
    prefiltered(rf"\b[Tt]he\s+{_PROJECT_CAP}\s+(?:project|programme|program)\b"),
    # "Cinema for Peace is a project of the Samawah Peace Forum"
    prefiltered(rf"(?:^|(?<=[.;]\s)|(?<=\n)|(?<=,\s)){_PROJECT_CAP},?\s+(?:is|was)\s+(?:a|an)\s+(?:[a-z\-]+\s+){{0,2}}"
               rf"(?:project|programme|program)\s+(?:of|by|run by|led by)\b"),
]


def find_projects(ms: Mentions, text: str) -> None:
    """Projects: a quoted or capitalised name next to "project" or "programme"."""
    for pattern in _PROJECT_CUES:
        for m in pattern.finditer(text):
            name = _clean(m.group(1))
            s = m.start(1)
            e = m.end(1)
            inner = [x for x in ms.mentions if s <= x.start and x.end <= e]
            if any(ms.cls_of(x.iri) == CG.Project for x in inner):
                ent = ms.entities[next(x.iri for x in inner if ms.cls_of(x.iri) == CG.Project)]
                ent.names.add(name)
                continue
            bare = _FIND_PROJECTS_RE1.sub("", name)
            if bare.split()[0] in STOP or len(bare) < 4:
                continue
            if has_org_head(bare) and not _FIND_PROJECTS_RE2.search(bare):
                continue
            ent = ms.entity(bare, CG.Project, "project-cue")
            ent.names.add(name)
            ms.drop_overlapping(s, e)
            ms.add(s, e, ent, "name", text)
            _project_acronym(ms, text, e, ent)


_PROJECT_ACRONYM = re.compile(rf"\s*\(({ACRONYM})\)")


def _project_acronym(ms: Mentions, text: str, end: int, ent: Entity) -> None:
    """"Peace Starts Local (PSL)": the acronym a project is given names it wherever it
    stands alone."""
    m = _PROJECT_ACRONYM.match(text, end)
    if m is None or sum(c.isupper() for c in m.group(1)) < 2 or m.group(1) in ms.aliases:
        return
    ms._remember(ent.iri, m.group(1))
    for at in re.finditer(rf"(?<![\w\-]){re.escape(m.group(1))}(?![\w\-])", text):
        ms.add(at.start(), at.end(), ent, "acronym", text)


_REPEAT_NAMES_RE1 = re.compile(r"\s+[A-Z]")
_REPEAT_NAMES_RE2 = re.compile(r"(?<=[A-Z])")


def _repeat_names(ms: Mentions, text: str, headings) -> None:
    """Later (and earlier) uses of the names found by their slot or shape; people's
    given names or family names alone when only one person of the report bears them."""
    names = {n: iri for n, iri in ms.aliases.items() if len(n) >= 3}
    people = [e for e in ms.entities.values() if e.cls == SDO.Person]
    for person in people:
        for word in (person.label.split()[0], person.label.split()[-1]):
            if word in STOP or len(word) < 3:
                continue
            owners = [p for p in people if word in p.label.split()]
            if len(owners) == 1 and word not in names:
                if re.search(rf"(?<![\w\-])(?<!\w\s){re.escape(word)}(?!\s+[A-Z])(?![\w\-])", text):
                    names[word] = person.iri
    if not names:
        return
    for start, end, name in _whole_names(text, sorted(names, key=len, reverse=True)):
        iri = names[name]
        if iri not in ms.entities:
            continue
        ent = ms.entities[iri]
        if ent.cls == SDO.Person and len(name.split()) == 1:
            nxt = text[end:end + 3]
            if _REPEAT_NAMES_RE1.match(nxt) or _REPEAT_NAMES_RE2.match(""):
                continue
        if any(x.start < end and start < x.end for x in ms.mentions):
            continue
        ent.names.add(name)
        ms.add(start, end, ent, "name", text)


_WORD_OR_HYPHEN = re.compile(r"[\w\-]")


def _whole_names(text: str, names: list[str]) -> list[tuple[int, int, str]]:
    """Where ``names`` occur as whole words, left to right and without overlaps; where
    two start at the same place the one listed first wins. (What one regular expression
    of the names as alternatives finds, without compiling one for every report.)"""
    found: list[tuple[int, int, int, str]] = []
    for rank, name in enumerate(names):
        at = text.find(name)
        while at >= 0:
            end = at + len(name)
            if not (at and _WORD_OR_HYPHEN.match(text, at - 1)) and not _WORD_OR_HYPHEN.match(text, end):
                found.append((at, rank, end, name))
            at = text.find(name, at + 1)
    found.sort()
    out: list[tuple[int, int, str]] = []
    pos = 0
    for at, _, end, name in found:
        if at >= pos:
            out.append((at, end, name))
            pos = end
    return out


REF_HEADS = {"Forum": {CG.Forum}, "Coalition": {ORG.Organization}, "Initiative": {ORG.Organization},
             "Network": {ORG.Organization}, "Foundation": {ORG.Organization},
             "Association": {ORG.Organization}, "Centre": {ORG.Organization},
             "Center": {ORG.Organization}, "Society": {ORG.Organization},
             "Union": {ORG.Organization}, "Campaign": {ORG.Organization},
             "Committee": {ORG.OrganizationalUnit, ORG.Organization},
             "Secretariat": {ORG.OrganizationalUnit}, "Team": {ORG.Organization, ORG.OrganizationalUnit},
             "Group": {ORG.Organization, ORG.OrganizationalUnit}, "Club": {ORG.Organization},
             "Alliance": {ORG.Organization}, "Platform": {ORG.Organization}, "Federation": {ORG.Organization}}


def resolve_reference(ms: Mentions, head: str, pos: int) -> Entity | None:
    """The entity that "the Forum" (or "the Coalition", "the group") at ``pos`` refers
    back to: the named entity of that kind mentioned most before it (the most recent one
    on a tie); none when nothing fits."""
    before = [m for m in ms.sorted() if m.end <= pos and m.kind != "ref"]
    if head[0].isupper():
        kinds = REF_HEADS.get(head, {ORG.Organization, CG.Forum})
        cands = [m for m in before if ms.cls_of(m.iri) in kinds
                 and re.search(rf"\b{head}\b", " ".join(ms.entities[m.iri].names | {ms.entities[m.iri].label}))]
        if not cands and head == "Forum":
            cands = [m for m in before if ms.cls_of(m.iri) == CG.Forum]
    else:
        word = head.lower()
        if word == "forum":
            cands = [m for m in before if ms.cls_of(m.iri) == CG.Forum]
            if cands:
                return ms.entities[cands[-1].iri]
            return None
        cands = [m for m in before if ms.cls_of(m.iri) in (CG.Forum, ORG.Organization)]
        if cands:
            return ms.entities[cands[-1].iri]
        return None
    if not cands:
        return None
    counts: dict[URIRef, int] = {}
    last: dict[URIRef, int] = {}
    for i, m in enumerate(cands):
        counts[m.iri] = counts.get(m.iri, 0) + 1
        last[m.iri] = i
    best = max(counts, key=lambda iri: (counts[iri], last[iri]))
    return ms.entities[best]


_FIND_REFERENCES_RE1 = re.compile(r"[A-Z][a-z]{3,}")
# "the Forum", "this Coalition", "the new forum" with any capitalised head word; the
# heads a report may use are checked after matching, so the pattern is compiled once.
# Lower-case "the forum" may be a season of a social forum (an event): only "the new forum"
_REFERENCE = re.compile(rf"\b(?:[Tt]he|[Tt]his|[Tt]hat)\s+(?:(?:new\s+)?([A-Z][a-z]+)|new\s+(forum))\b(?!\s+(?:of|for)\s+[A-Z])"
                        rf"(?!['’]s(?!\s+(?:[a-z\-]+\s+)?{PERSON_ROLES}\b))(?!\s+[A-Z])")


def _reference_matches(text: str, heads: set[str]) -> Iterator[re.Match]:
    """The short references of ``text`` whose head is one of ``heads``, left to right
    and without overlaps, as a search for those heads alone would find them: a head is
    a whole word, so a match with another word fails only where it starts, and the
    search goes on from the next character."""
    pos = 0
    while (m := _REFERENCE.search(text, pos)) is not None:
        if m.group(2) is None and m.group(1) not in heads:
            pos = m.start() + 1
            continue
        yield m
        pos = m.end()


def find_references(ms: Mentions, text: str) -> None:
    """"the Forum", "the Coalition", "the new forum": a mention of the entity they refer to."""
    own = {e.label.split()[-1] for e in ms.entities.values()
           if e.cls in (ORG.Organization, CG.Forum) and len(e.label.split()) > 1
           and _FIND_REFERENCES_RE1.fullmatch(e.label.split()[-1]) and e.label.split()[-1] not in NOT_PLACE | PLACE_HEADS}
    heads = set(REF_HEADS) | own
    for m in _reference_matches(text, heads):
        if any(x.start < m.end() and m.start() < x.end for x in ms.mentions):
            continue
        head = m.group(1) or m.group(2)
        ent = resolve_reference(ms, head, m.start())
        if ent is None:
            continue
        if head[0].isupper():
            ent.names.add(_clean(m.group(0)[0].lower() + m.group(0)[1:]).replace("this ", "the ").replace("that ", "the "))
        ms.add(m.start(), m.end(), ent, "ref", text)
