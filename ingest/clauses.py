"""Small pieces of English grammar that the event and relation rules share.

A report says who did what in a few recurring shapes: a subject before a verb (with
an apposition in between: "Clean Kut, a volunteer group based in Kut,
organised"), a list of names after a cue ("in cooperation with A, B and C"), a number
of people ("Thirteen volunteers took part"). These helpers read those shapes from the
mentions of one sentence, and nothing else.
"""
from __future__ import annotations

import re
from functools import lru_cache

from rdflib import URIRef

from civgraph.graph.namespaces import CG, SDO

from .mentions import ORG_KINDS, ORG_NOUNS, PERSON_ROLES, Mention, Mentions
from .model import Span
from .sentences import Prefiltered, prefiltered

ADVERBS = (r"(?:(?:also|then|jointly|together|recently|had|has|have|finally|successfully|"
           r"once again|again|itself|themselves|first|officially|proudly|both|all)\s+)*")
# "Clean Kut organised", "the Clean Kut volunteer group organised"
# "Giulia Moretti of MWN ran": a person's organisation between the name and the verb
_DIRECT = re.compile(rf"\s*(?:\([^)]*\)\s*)?(?:(?:of|from)\s+(?:the\s+)?[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*){{0,5}}\s+)?(?:(?:volunteer\s+|youth\s+|women's\s+|student\s+)?{ORG_NOUNS}\s+)?{ADVERBS}")
_APPOSITION = re.compile(rf"\s*(?:\([^)]*\)\s*)?,\s*(?:a|an|the|one|who|which|whose|founded|based|(?i:{PERSON_ROLES})|"
                         rf"[A-Z][\w\-]*['’]s\s+(?:[\w\-]+\s+){{0,2}}?(?i:{PERSON_ROLES})|"
                         rf"itself|together|along|set up|created|established|member|in (?:close )?(?:cooperation|"
                         rf"collaboration|partnership|coordination) with|with the (?:support|help|participation) of|"
                         rf"jointly with|as usual|as every year|for the first time)\b[^;]*?,\s*{ADVERBS}")
_COORD = re.compile(r"\)?\s*(?:\([^)]*\)\s*)?(?:,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?")
GENERIC_ORG_REF = re.compile(r"\b(?:[Tt]he|[Tt]his)\s+(?:new\s+)?(group|organi[sz]ation|network|team|association|"
                             r"initiative|collective|platform|forum|coalition|organi[sz]ers)\s+(?:also\s+|then\s+|later\s+)?$")


_CLAUSE_SUBJECT_RE1 = re.compile(r"\band\b")
_CLAUSE_SUBJECT_RE2 = re.compile(r"[.;:]|\b(?:and|but|while|when|after|before)\b")


def clause_subject(ms: Mentions, text: str, sent: Span, pos: int,
                   kinds: set[URIRef] = ORG_KINDS) -> list[Mention]:
    """The mention(s) that are the subject of the verb at ``pos``: right before it, or
    before an apposition that ends right before it; "A and B" gives both."""
    cands = [m for m in ms.within(sent) if m.end <= pos and ms.cls_of(m.iri) in kinds]
    for i in range(len(cands) - 1, -1, -1):
        m = cands[i]
        gap = text[m.end:pos]
        if _DIRECT.fullmatch(gap) or _APPOSITION.fullmatch(gap):
            subject = [m]
            j = i - 1
            # "A and B", "A, B and C": a list ends with "and"; "…of the Council, the Forum held" is no list
            if j >= 0 and _COORD.fullmatch(text[cands[j].end:m.start]) and _CLAUSE_SUBJECT_RE1.search(text[cands[j].end:m.start]):
                while j >= 0 and _COORD.fullmatch(text[cands[j].end:subject[0].start]):
                    subject.insert(0, cands[j])
                    j -= 1
            return subject
        if _CLAUSE_SUBJECT_RE2.search(gap) and not _APPOSITION.match(gap):
            break
    return []


_LIST_LEAD = re.compile(r"(?:by\s+)?(?:the\s+)?(?:(?:\w+\s+){0,2}?(?:members|delegates|representatives|"
                        r"students|volunteers|staff|activists|teams?)\s+of\s+(?:the\s+)?)?"
                        r"(?:(?:[A-Z][a-z]+\s+)?(?:association|organi[sz]ation|group|network|NGO|foundation|"
                        r"initiative|team|platform|charity)\s+(?=[A-Z]))?"
                        r"(?:(?:Dr|Mr|Mrs|Ms|Prof|Professor|Sheikh|Sayyid|Imam|Father)\.?\s+(?=[A-Z]))?")
_LIST_ITEM_TAIL = re.compile(r"(?:\s+(?:volunteer\s+|youth\s+)?(?:team|group|network|association|club)\b)?(?:\s*\([^)]*\))?")
_LIST_SEP = re.compile(r"(?:,\s*(?:and\s+)?|\s+and\s+(?:of\s+(?:the\s+)?(?:[a-z]+\s+)?)?|\s+as well as\s+)(?=\S)")
_LIST_ARTICLE = re.compile(r"(?:the\s+)?")
_LIST_APPOSITION = re.compile(r",\s+(?:a|an|the|one|which|who|whose|based|itself)\b(?:(?!\bwith\b|\bby\b)[^.;:()]){0,160}?"
                      r"(?:,\s*and\s+|\s+and\s+)(?=(?:the\s+)?[A-Z])")


_PLACE_THEN_NAME = re.compile(r"\s+and\s+(?:the\s+)?")
# "hosted by A and attended by members of B": after "and" a verb goes on with the clause
_CLAUSE_GOES_ON = re.compile(r"(?:was|were|is|are|has|have|had|also|then|later|[a-z]+ed)\b")


def read_list(ms: Mentions, text: str, pos: int, limit: int, kinds: set[URIRef]) -> list[Mention]:
    """The names listed from ``pos`` on ("A, B and C", "members of A and of B", with
    appositions in between), stopping at the first stretch that is not a list."""
    out: list[Mention] = []
    by_start = {m.start: m for m in ms.sorted()}
    p = pos
    for _ in range(15):
        lead = _LIST_LEAD.match(text[p:limit])
        q = p + (lead.end() if lead else 0)
        m = by_start.get(q) or by_start.get(p)
        if m is None:
            break
        if ms.cls_of(m.iri) in kinds:
            out.append(m)
        elif ms.cls_of(m.iri) == SDO.Place:
            # "with the support of Iraq and UNESCO": a country, then the name the cue is about
            nxt = _PLACE_THEN_NAME.match(text, m.end, limit)
            item = by_start.get(nxt.end()) if nxt else None
            if item is None or ms.cls_of(item.iri) not in kinds:
                break
            p = nxt.end()
            continue
        rest = text[m.end:limit]
        tail = _LIST_ITEM_TAIL.match(rest)
        skip = tail.end() if tail else 0
        sep = _LIST_SEP.match(rest[skip:])
        if sep:
            nxt = m.end + skip + sep.end()
            art = _LIST_ARTICLE.match(text[nxt:limit])
            item = by_start.get(nxt) or by_start.get(nxt + art.end())
            if item is not None and ms.cls_of(item.iri) != SDO.Place:
                p = nxt
                continue
        ap = _LIST_APPOSITION.match(rest[skip:])
        if ap:
            p = m.end + skip + ap.end()
            continue
        if sep and not _CLAUSE_GOES_ON.match(text, m.end + skip + sep.end(), limit):
            p = m.end + skip + sep.end()     # a list item the rules did not name: read it anyway
            continue
        break
    return out


# -- numbers of people ----------------------------------------------------------------------

_UNITS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve "
                                      "thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if w != "_"}
NUMBER_WORD = "|".join(sorted(list(_UNITS) + list(_TENS) + ["hundred", "thousand"], key=len, reverse=True))
NUMBER = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+|(?:a\s+(?=hundred|thousand))?(?:{NUMBER_WORD})(?:[\s\-]+(?:and\s+)?(?:{NUMBER_WORD}))*)"


_NUMBER_VALUE_RE1 = re.compile(r"[\s\-]+")


def number_value(text: str) -> int | None:
    """"Thirty-five" → 35, "four hundred" → 400, "1,250" → 1250."""
    t = text.lower().replace(",", "").strip()
    if t.isdigit():
        return int(t)
    total, current = 0, 0
    for word in _NUMBER_VALUE_RE1.split(t):
        if word in ("and", "a"):
            continue
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word == "thousand":
            total += max(current, 1) * 1000
            current = 0
        else:
            return None
    return total + current


PEOPLE = (r"(?:people|persons|participants|attendees|volunteers|activists|members|youths?|"
          r"men|women|students|pupils|children|trainees|journalists|delegates|runners|visitors|"
          r"guests|representatives|teachers|lawyers|researchers|girls|boys|farmers|residents|"
          r"citizens|mothers|leaders|officials|employees|participants|cyclists|players|athletes|"
          r"artists|bloggers|mediators|peacebuilders|facilitators|survivors|fishermen|workers|"
          r"unionists|trade unionists|graduates|actors|musicians|individuals|staff|officers|nurses|doctors|"
          r"clerics|imams|judges|councillors|councilors|professionals|refugees|returnees|parents|"
          r"elders|farmers|labourers|engineers|housewives|widows|scouts|volunteer[s]?|beneficiaries|"
          r"owners|shopkeepers|traders|merchants|vendors|drivers|fishers|youngsters|adolescents|teenagers|"
          r"photographers|marchers|walkers|writers|poets|singers|dancers|painters|performers|grandparents|"
          r"speakers|panell?ists|coordinators|friends|families)")
_VAGUE = re.compile(r"\b(?:some|about|around|approximately|roughly|nearly|almost|over|more than|less than|"
                    r"fewer than|up to|at least|an estimated|estimated|dozens of|hundreds of|thousands of|"
                    r"several|tens of|close to|upwards of|just over|just under|well over|of|the|first|"
                    r"last|every|per)\s*$", re.I)
_PARTICIPATE = (r"\b(?:took part|take part|taking part|taken part|participated|attended|attend|joined|came together|gathered|"
                r"met|spent|crossed|competed|marched|were trained|received|benefited|completed|"
                r"graduated|came|turned out|filled)\b")
_NOT_A_COUNT = prefiltered(r"\b(?:registered|registration|registrations|signed up|sign-ups|applied|"
                           r"applications|expected|invited|will|would|hopes? to|plans? to|aims? to)\b", re.I)
_NOT_PEOPLE = (r"(?:days?|hours?|weeks?|months?|years?|times|events|activities|sessions|workshops|trainings|"
               r"organi[sz]ations|associations|forums|groups|teams|countries|cities|towns|villages|"
               r"governorates|provinces|schools|universities|percent|kilometres|kilometers|km|trees|"
               r"seedlings|bags|tons|tonnes|posters|leaflets|stands|boats|shops|houses|families)")
# an event to come may give its exact number: "the camp will host 40 participants"
_PLANNED_COUNT = prefiltered(rf"\b(?:will|is to|are to)\s+(?:host|welcome|bring together|gather|train|involve)\s+({NUMBER})\s+"
                             rf"(?:(?!of\b)[\w\-']+\s+){{0,3}}?{PEOPLE}\b", re.I)
_NOT_REGISTERED = prefiltered(r"\b(?:registered|registration|registrations|signed up|sign-ups|applied|applications)\b", re.I)
COUNT_PATTERNS = [
    # "Attendance was recorded at nineteen participants", "turnout reached 63"
    ("count-attendance", prefiltered(rf"\b(?:[Aa]ttendance|[Tt]urnout)\s+(?:was\s+(?:recorded|counted|registered)\s+at|"
                                     rf"stood at|reached|was)\s+({NUMBER})\b(?!\s*(?:%|percent))", re.I)),
    # "ninety-two people in all", "a total of 40 participants"
    ("count-in-all", prefiltered(rf"(?:\b(?:a total of|in total)\s+({NUMBER})\s+(?:[\w\-']+\s+){{0,2}}?{PEOPLE}\b|"
                                 rf"(?<![\w\-,.])({NUMBER})\s+(?:[\w\-']+\s+){{0,2}}?{PEOPLE}\s+(?:in all|in total)\b)", re.I)),
    # "brought together 150 young Arabs, Kurds and Turkmen": the verb says they are people
    ("count-gathered", prefiltered(rf"\b(?:brought together|bringing together|gathered|welcomed|attracted|drew)\s+"
                                   rf"({NUMBER})\s+(?!(?:[\w\-']+\s+){{0,2}}?{_NOT_PEOPLE}\b)(?=[A-Za-z])", re.I)),
    ("count-subject", prefiltered(rf"(?<![\w\-,.])({NUMBER})\s+(?:(?!of\b|and\b)[\w\-']+\s+){{0,3}}?{PEOPLE}\b[^.;]*?{_PARTICIPATE}", re.I)),
    ("count-attended-by", prefiltered(rf"\b(?:attended by|brought together|bringing together|with|for|trained|welcomed|gathered|"
                                      rf"involved|engaged|with the participation of)\s+({NUMBER})\s+(?:(?!of\b)[\w\-']+\s+){{0,4}}?{PEOPLE}\b", re.I)),
]


_FIND_COUNTS_RE1 = re.compile(r"\s*(?:of|%|percent)")


def find_counts(text: str, sent: Span) -> list[tuple[int, int, str]]:
    """Exact numbers of people taking part: (offset, value, rule); never an estimate
    ("some 40", "more than 300", "dozens") nor a registration."""
    return [(sent.start + rel, value, rule) for rel, value, rule in _counts_in(text[sent.start:sent.end])]


def _possible(pattern: Prefiltered, low: str | None) -> bool:
    """``pattern.possible`` for a pattern that ignores case, with the sentence lower-cased
    once for all the patterns (None when it is not plain ASCII)."""
    if low is None or not pattern.words:
        return True
    for word in pattern.words:
        if word in low:
            return True
    return False


_DIGIT = re.compile(r"\d")
# a piece of every number word ("fou" of "four", "fourteen", "forty" is "fort")
_NUMBER_PIECES = ("one", "two", "thr", "fou", "fiv", "six", "sev", "eig", "nin", "ten", "elev", "twel", "twen",
                  "thir", "fort", "fif", "hundred", "thousand", "zero")


def _has_number(low: str) -> bool:
    """Whether a lower-cased sentence may hold a number, in digits or in words."""
    if _DIGIT.search(low):
        return True
    for piece in _NUMBER_PIECES:
        if piece in low:
            return True
    return False


@lru_cache(maxsize=1024)
def _counts_in(s: str) -> tuple[tuple[int, int, str], ...]:
    """The counts of one sentence, offsets within it (the rules ask for them repeatedly)."""
    low = s.lower()
    if not _has_number(low):
        return ()     # no number, no count
    low = low if s.isascii() else None
    if _possible(_NOT_A_COUNT, low) and _NOT_A_COUNT.pattern.search(s):
        return _planned_counts(s, low)
    out = []
    seen = set()
    for rule, pattern in COUNT_PATTERNS:
        if not _possible(pattern, low):
            continue
        for m in pattern.pattern.finditer(s):
            group = 1 if m.group(1) is not None else 2
            raw = m.group(group)
            if _VAGUE.search(s[max(0, m.start(group) - 16):m.start(group)]):
                continue
            if rule == "count-subject" and _FIND_COUNTS_RE1.match(s[m.end(1):]):
                continue
            value = number_value(raw)
            if value is None or value < 2 or value in seen or (raw.isdigit() and 1900 <= value <= 2100):
                continue
            seen.add(value)
            out.append((m.start(group), value, rule))
    return tuple(out)


def _planned_counts(s: str, low: str | None) -> tuple[tuple[int, int, str], ...]:
    """The number of people an event to come will take in ("will host 40 participants"),
    never the number that registered or applied."""
    if _possible(_NOT_REGISTERED, low) and _NOT_REGISTERED.pattern.search(s) or not _possible(_PLANNED_COUNT, low):
        return ()
    out = []
    for m in _PLANNED_COUNT.pattern.finditer(s):
        value = number_value(m.group(1))
        if value is not None and value >= 2 and not _VAGUE.search(s[max(0, m.start(1) - 16):m.start(1)]):
            out.append((m.start(1), value, "count-planned"))
    return tuple(out)


EVENT_KINDS = {CG.Workshop, CG.Training, CG.Campaign, CG.Conference, CG.Meeting, CG.Festival,
               CG.Celebration, CG.Demonstration, CG.SportsEvent, SDO.Event}
AGENTS = ORG_KINDS | {SDO.Person}
