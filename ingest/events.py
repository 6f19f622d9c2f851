"""Events: what happened, when, where, who organised it, who took part.

An event enters the text with a trigger noun in an indefinite or possessive phrase
("held a two-day training", "its first workshop"), a title ("“Streets For All”, a
campaign"), or a definite phrase with its own clause ("the campaign it ran"). Later
sentences come back to it with a definite phrase ("the training", "the sessions") or
no phrase at all ("Thirteen volunteers took part"), and their facts go to it.

Only events that took place (or are dated) are read: a planned or generic one ("similar
trainings are planned", "a campaign grows from an idea") gives no event.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from civgraph.graph.namespaces import CG, ORG, SDO

from .clauses import (AGENTS, EVENT_KINDS, GENERIC_ORG_REF, NUMBER, PEOPLE, clause_subject, find_counts,
                      number_value, read_list)
from .dates import DateMention, find_dates
from .mentions import ORG_KINDS, PLACE_HEADS, Mention, Mentions
from .model import Entity, Fact, Span
from .sentences import prefiltered

TRIGGERS: list[tuple[str, URIRef]] = [
    (r"press conferences?", CG.Conference),
    (r"training workshops?", CG.Workshop),
    (r"training courses?|training sessions?|trainings?|courses?(?!\s+of\b)", CG.Training),
    (r"workshops?", CG.Workshop),
    (r"campaigns?", CG.Campaign),
    (r"conferences?|symposium|summit|seasons?", CG.Conference),
    (r"meetings?|consultations?|dialogue sessions?|discussion sessions?|public hearings?|"
     r"round ?tables?|seminars?|panel discussions?|public debates?|town hall meetings?|hearings?|"
     r"(?:general |founding |annual )?assembl(?:y|ies)", CG.Meeting),
    (r"festivals?", CG.Festival),
    (r"celebrations?|ceremony|ceremonies|commemorations?", CG.Celebration),
    (r"sit-ins?|demonstrations?|protests?|vigils?|rall(?:y|ies)|(?<!in )march(?:es)?", CG.Demonstration),
    (r"marathons?|races?|football (?:match|tournament)|matches|match|tournaments?", CG.SportsEvent),
    # events of no kind of the list: a concert, an exhibition, a screening, a field visit
    (r"concerts?|exhibitions?|(?:film )?screenings?|field visits?|fairs?|bazaars?|"
     r"evenings? of (?:storytelling|stories|poetry|music|songs|films?|dialogue|solidarity|remembrance|readings?|testimon(?:y|ies))",
     SDO.Event),
]
TRIGGER = prefiltered(r"\b(" + "|".join(t for t, _ in TRIGGERS) + r")\b(?![\-–])")
TYPE_NAMES = {CG.Workshop: "Workshop", CG.Training: "Training", CG.Campaign: "Campaign",
              CG.Conference: "Conference", CG.Meeting: "Meeting", CG.Festival: "Festival",
              CG.Celebration: "Celebration", CG.Demonstration: "Demonstration",
              CG.SportsEvent: "Sports event"}
_REF_WORDS = prefiltered(r"\b(?:[Tt]he|[Tt]his|[Tt]hat)\s+(?:(?:same|whole|first|second|third|fourth|fifth|last|final|"
                         r"two-day|three-day|one-day|day-long|opening|closing|public)\s+)?"
                         r"(sessions?|event|activity|day|gathering|discussion|debate|panel|programme of the day|course|"
                         r"trainers?|trainees)\b")
EVENT_VERBS = (r"held|holds|called|organi[sz]ed|organi[sz]es|ran|runs|launched|launches|hosted|hosts|staged|"
               r"conducted|convened|carried out|implemented|opened|closed|presented|described|began|"
               r"started|ended|concluded|culminated|kicked off|took part in|participated in|attended|joined|came together for|"
               r"met for|gathered for|delivered|led|celebrated|marked|organi[sz]ing|holding|launching")
_PLANNED = re.compile(r"\b(?:[Ww]ill|[Ww]ould|[Ss]hall|plans? to|planned (?:for|to)|(?:is|are|was|were|be) planned|"
                      r"planning to|intends? to|intended to|hopes? to|hoping to|aims? to|(?:is|are) preparing|"
                      r"prepares|[Nn]ext (?:year|month|week|spring|summer|autumn|winter)|[Uu]pcoming|in the coming|"
                      r"wants? to|[Ii]n the future|"
                      r"later this year|getting ready|ready to|to be held|(?:is|are) to|could|should|might|may|"
                      r"cancell?ed|postponed|usually|regularly|whenever)\b")
_COMPOUND = re.compile(r"\s+(?:room|rooms|hall|halls|centre|center|venue|space|materials?|manual|module|needs|"
                       r"plans?|kit|tools?|skills|team|teams|staff|participants|organi[sz]ers|series|cycle|"
                       r"season|period|area|site|stage|tent|tents|calendar|cycle|methods?|topics?|agenda|"
                       r"slogan|poster|posters|route|committee|budget|goals?|strategy|strategies|"
                       r"proposals?|ideas?|trainers?|trainees|leaders?)\b")
_NAMED_EVENT = prefiltered(r"(?<![\w\-])((?:[A-Z][\w'’\-]*\s+){1,5}(Marathon|Festival|Conference|Race|Celebration|"
                           r"Workshop|Summit|Run|Walk|Cup|Tournament|Carnival|Days|Week|Camp|Fair))\b")
_EDITION_BEFORE = re.compile(r"\b(?:[Oo]ur|[Ii]ts|[Tt]heir|[Tt]he)\s+(?:first|second|third|fourth|fifth|\d+(?:st|nd|rd|th))\s+$")
_RELATIVE_WORD = re.compile(r"\b(?:who|which|that)\b")
_NAMED_TYPES = {"Marathon": CG.SportsEvent, "Race": CG.SportsEvent, "Run": CG.SportsEvent,
                "Walk": CG.SportsEvent, "Cup": CG.SportsEvent, "Tournament": CG.SportsEvent,
                "Festival": CG.Festival, "Carnival": CG.Festival, "Days": CG.Festival, "Week": CG.Festival,
                "Camp": CG.Training, "Conference": CG.Conference,
                "Summit": CG.Conference, "Celebration": CG.Celebration, "Workshop": CG.Workshop}
_NOT_EVENT_START = {"A", "An", "This", "That", "Its", "Their", "In", "On", "At", "For", "During",
                    "After", "Before", "Annual", "Every"}
_ORDINAL = prefiltered(r"\b(?:[Tt]he\s+)?([Ff]irst|[Ss]econd|[Tt]hird|[Ff]ourth|[Ff]ifth|[Ss]ixth|[Ss]eventh|[Ee]ighth|[Nn]inth|[Tt]enth|"
                       r"\d+(?:st|nd|rd|th)|20\d\d)\s+(?:edition\s+of\s+the\s+)?")
# "will hold", "plans to organise", "wants to launch": an event to come
_INTENT = re.compile(r"\b(?:(?:will|shall|plans? to|planning to|intends? to|wants? to|hopes? to|is preparing to|are preparing to|"
                     r"aims? to|is going to|are going to|is expected to|agreed to|decided to)\s+(?:\w+\s+){0,2}?"
                     r"(?:hold|organi[sz]e|launch|run|host|convene|stage|conduct|start|begin|call)|"
                     r"plans|is planning|are planning|prepares|is preparing|are preparing|foresees)\s+"
                     r"(?:[\w\-']+\s+){0,4}?$")
# "we trained 18 young women" (a training), "the committee met in Kut" (a meeting)
_VERB_EVENT = prefiltered(rf"\b(?:(trained)\s+(?:{NUMBER})\s+(?:[\w\-']+\s+){{0,3}}?{PEOPLE}\b|"
                          rf"(met)\s+(?=(?:in|at|on)\s))")
_FOUNDED_IN_YEAR = prefiltered(r"\b(?:since|founded|created|established)\s+in\s+(\d{4})")
_NUM_WORDS = r"(?:two|three|four|five|six|seven|eight|nine|ten|\d+)"
_HABITUAL = re.compile(r"\b(?:every|each|annual(?:ly)?|regular(?:ly)?|series of|always|usually)\b", re.I)
_CAPTION = re.compile(r"\s*(?:Organi[sz]ed|Moderated|Chaired|Facilitated|Hosted|Funded|Sponsored|Supported)\s+by\b|"
                      r"\s*(?:Speakers|Panell?ists|Trainers?|Facilitators?)\s*:")
_GATHERINGS = {CG.Meeting, CG.Conference, CG.Workshop, CG.Training}
_SAME_DAY = re.compile(r"\b(?:that|the) same (?:day|evening|morning|afternoon|night)\b|\bon the same day\b|"
                       r"\blater that (?:day|evening|afternoon)\b|\bthat (?:evening|afternoon|night)\b", re.I)
_LOC_BEFORE = re.compile(r"(?:\bon(?=\s+the\s+(?:[a-z]+\s+)?(?:banks?|shores?|[Cc]orniche|outskirts|streets)\s+of\b)|"
                         r"\bin|\bat|\bbetween|\bacross|\bthroughout|\bthrough|\bnear|\balong|\baround|\binside|\boutside|"
                         r"\bin front of|\bopposite)\s+"
                         r"(?:(?:the|a|an|its|their)\s+)?(?:(?:old|historic|ancient|new)\s+)?(?:(?:[a-z\-]+\s+)?(?:city|town|village|district|"
                         r"province|governorate|centre|center|streets|outskirts|heart|neighbourhood|area|camp|"
                         r"region|hall|room|classroom|library|building|gardens?|park|offices?|premises|citadel|"
                         r"market|souk|banks?|shores?|island|street|[Cc]orniche|"
                         r"headquarters|courtyard|auditorium|theatre|campus|square|grounds)\s+of\s+(?:the\s+)?)?$")
_BY_ORGANISER = prefiltered(r"\b(?:[Oo]rgani[sz]ed|held|run|[Cc]onvened|called|delivered|launched|staged|"
                            r"implemented|carried out|[Cc]oordinated|[Hh]osted|[Pp]repared|put together|[Cc]o-organi[sz]ed)"
                            r"\s+(?:jointly\s+)?by\s+")
# a caption or a label line: "At the invitation of X, …", "Organisers: A and B."
_ORGANISER_LABEL = prefiltered(r"^\W*(?:At the invitation of|(?:Organi[sz]ers?|Hosts?|Conveners?)\s*:)\s+")
_BY_FACILITATOR = prefiltered(r"\b(?:led|[Ll]ed|(?:[Cc]o-)?[Ff]acilitated|(?:[Cc]o-)?[Mm]oderated|[Cc]haired|trained|"
                              r"presented|conducted|managed|supervised|delivered|[Gg]iven|run|animated|guided|[Hh]osted)\s+by\s+")
# "were in the hands of X", "under the supervision of the two trainers X and Y"
_IN_HANDS_OF = prefiltered(r"(?:\b(?:were|was|are|is|will be) in the hands|\b[Uu]nder the (?:supervision|guidance|direction)) of\s+")
_FACILITATOR_VERB = prefiltered(r"\b(?:led|(?:co-)?facilitated|(?:co-)?moderated|chaired|ran|delivered|conducted|gave)\s+"
                                r"(?:the|this|both|all|our|their)\s+(?:[\w\-]+\s+){0,2}?(?:sessions?|training|workshop|"
                                r"meeting|discussion|conference|course|dialogue|debate|panel|day|evening|working groups?|"
                                r"exercises?|demonstration|classes|lessons?|hearing)\b")
_PARTNER = prefiltered(r"\b(?:in (?:close )?(?:cooperation|collaboration|partnership|coordination) with|"
                       r"with the (?:[a-z]+\s+)?(?:participation|cooperation|collaboration|partnership) of|"
                       r"together with|jointly with|co-organi[sz]ed with|alongside|hand in hand with)\s+", re.I)
_FUNDER = prefiltered(r"\b(?:support|funding|financing)\b[^.;]{0,40}?\b(?:was|were) (?:provided|given|offered) by\s+|"
                      r"\b(?:funded|sponsored|financed|supported|co-funded|co-financed|made possible)\s+(?:jointly\s+)?"
                      r"(?:by|with the support of|thanks to (?:a|the) (?:grant|support|funding) (?:from|of))\s+|"
                      r"\b[Ww]ith (?:the )?(?:[a-z]+ )?(?:financial )?(?:support|funding|backing|sponsorship) (?:of|from)\s+|"
                      r"\b(?:made possible|paid for|financed|covered) (?:by|with|thanks to) (?:a |the )?(?:grant|funding|support) (?:from|of)\s+|"
                      r"\b(?:[Uu]nder|[Ww]ith) the (?:[a-z]+ )?(?:patronage|sponsorship) of\s+|"
                      r"\b(?:receives|received|receiving|gets|got)\s+(?:financial\s+)?(?:support|funding|a grant)\s+from\s+|"
                      r"\b[Tt]hanks to (?:a |the )?(?:grant|support|funding|contribution) (?:from|of)\s+|"
                      r"\b(?:funded|financed|supported|sponsored|made possible|paid for)\s+(?:through|with|by means of|via)\s+"
                      r"(?:a|an|the)\s+(?:[a-z\-]+\s+)?(?:grant|contribution|donation|support|funding)\s+(?:of|from|by)\s+|"
                      r"\b[Ww]ith (?:a|an|the) (?:[a-z\-]+ )?(?:contribution|grant|donation) (?:of|from)\s+|"
                      r"\b(?:a )?(?:grant|contribution|donation) from\s+")
# "X brought together twenty mediators": the people an event gathered, told before the event's name
_GATHERING_VERB = re.compile(r"\b(?:brought together|gathered|welcomed|hosted|convened|assembled)\s+(?:some\s+)?"
                             r"(?:\d+|[a-z]+(?:-[a-z]+)?)\s+(?:[a-z\-]+\s+){0,3}?(?:people|participants|activists|"
                             r"women|men|youths?|students|volunteers|mediators|members|delegates|representatives|"
                             r"teachers|lawyers|journalists|leaders|elders|trainees)\b")
# a sentence that opens by telling who spoke at, led or attended the event just told
_PEOPLE_OF_EVENT = re.compile(r"\s*(?:The|Its|A)\s+(?:[a-z\-]+\s+){0,2}?(?:speech|address|talk|lecture|keynote|remarks|"
                              r"presentation|discussion|debate|panel|session|sessions|training|workshop|meeting)\s+"
                              r"(?:was|were)\s+(?:given|delivered|made|led|facilitated|moderated|chaired|opened|attended)\s+by\b|"
                              r"\s*(?:Among\s+the\s+(?:guests|speakers|participants|attendees)|"
                              r"(?:Speakers|Guests|Participants|Attendees)\s+(?:included|were))\b")
_ATTENDED = prefiltered(r"\b(?:attended|took part|participated|joined|featured|(?:participants|attendees) (?:included|were)|lectured by|"
                       r"among the (?:participants|guests|players|runners|"
                       r"trainees|performers|competitors|winners|"
                       r"speakers|attendees)|present were|brought together|(?:speakers|guests|panell?ists) "
                       r"(?:included|were)|(?:speakers|guests|panell?ists)\s*:|presence of|(?:speech|talk|"
                       r"lecture|presentation|address|keynote)(?: \w+)? (?:was )?(?:given|delivered|made) by|"
                       # people who came: "delegations from X made the journey", "X sent delegates"
                       r"(?:came|come|made the journey|travell?ed|arrived|sent|drawn from|staffed|among those|will join|"
                       r"for (?:\d+|[a-z]+(?:-[a-z]+)?) (?:[a-z]+ )?(?:members|delegates|representatives|activists|volunteers|staff))\b)", re.I)
# "Within the project, …", "As part of the programme, …": no name, the project told before
_THE_PROJECT = re.compile(r"(?:[Ww]ithin|[Uu]nder|[Aa]s part of|[Pp]art of|[Ii]n the (?:framework|context) of)\s+the\s+"
                          r"(?:project|programme|program)\b(?!\s+[A-Z\"“])")
_PART_OF = prefiltered(r"\b(?:(?:is|are|was|were|as)\s+(?:a\s+)?part of|[Uu]nder|[Ww]ithin(?: the (?:framework|activities|scope) of)?|"
                       r"[Ii]n the (?:framework|context) of|[Aa]s (?:part|one) of(?: the activities of)?|[Pp]art of|"
                       r"[Aa]mong the activities of)\s+(?:the\s+)?(?:(?:project|programme|program)\s+)?[\"“]?(?:[Tt]he\s+)?")


@dataclass(eq=False)
class Event:
    iri: URIRef
    cls: URIRef
    start: int                    # offset of the trigger that introduced it
    sentence: Span
    title: str | None = None
    date: DateMention | None = None
    organizers: list[URIRef] = field(default_factory=list)
    places: list[URIRef] = field(default_factory=list)
    paragraph: int = 0
    definite_first: bool = False     # introduced as "the training": described just before
    planned: bool = False            # "will hold a training": no date unless the text gives one
    headline: bool = False           # told in a headline line: the body tells it again
    line: Span | None = None         # told as a verbless item of a list: "Coordination meeting, Erbil, 2 March."
    of_org: URIRef | None = None     # "the celebration of the X Forum": X, unless another organiser is named
    relative: bool = False           # "yesterday's workshop": its day is only relative to the post's


@dataclass
class EventFacts:
    events: list[Event] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)


def paragraphs(text: str, spans: list[Span]) -> list[int]:
    """The paragraph number of each sentence (paragraphs end at blank lines)."""
    out, n, last = [], 0, 0
    for span in spans:
        if "\n\n" in text[last:span.start]:
            n += 1
        out.append(n)
        last = span.end
    return out


# a social forum's season ("the Forum's summer season", "a winter season"), not a
# season of the year ("the rainy season", "this season")
_SEASON_BEFORE = re.compile(r"(?:\b(?:summer|winter|spring|autumn|first|second|third|fourth|fifth|new)|[\w’']s)\s+$", re.I)
_SEASON_BACK = re.compile(r"\b(?:[Tt]he|[Tt]his|[Tt]hat)\s+$")
_SEASON_WEATHER = re.compile(r"\b(?:rainy|dry|harvest|hot|cold|holiday|football|wedding|planting|fishing)\s+(?:[\w\-]+\s+)?$", re.I)

_TRIGGER_TYPES = [(re.compile(pattern, re.I), cls) for pattern, cls in TRIGGERS]


def trigger_type(word: str) -> URIRef:
    for pattern, cls in _TRIGGER_TYPES:
        if pattern.fullmatch(word):
            return cls
    return SDO.Event


_IS_PLURAL_RE1 = re.compile(r"(?:s|ies|ches)$")


def _is_plural(word: str) -> bool:
    return bool(_IS_PLURAL_RE1.search(word)) and not word.endswith(("ss", "us"))


def _is_headline(text: str, sent: Span) -> bool:
    """A line of its own without a full stop: a headline over the story that tells it."""
    line = text[sent.start:sent.end].strip()
    return bool(line) and line[-1] not in ".!?:;\"”" and "\n" not in line and (
        sent.start == 0 or text[sent.start - 1] == "\n") and text[sent.end:sent.end + 1] in ("\n", "")


def _planned(clause: str) -> bool:
    return bool(_PLANNED.search(clause))


_CLAUSE_AROUND_RE1 = re.compile(r";|:\s|,\s+(?:while|whereas|but)\b|\.\s")


def _clause_around(text: str, sent: Span, pos: int) -> str:
    """The clause around ``pos``: the sentence cut at ";" and at ", while" / ", and"."""
    s = text[sent.start:sent.end]
    rel = pos - sent.start
    cuts = [0] + [m.end() for m in _CLAUSE_AROUND_RE1.finditer(s)] + [len(s)]
    lo = max(c for c in cuts if c <= rel)
    hi = min((c for c in cuts if c > rel), default=len(s))
    return s[lo:hi]


def _headings(text: str, title: str | None) -> list[tuple[int, int]]:
    from .mentions import heading_spans
    return heading_spans(text, title)


@dataclass(eq=False)
class _Here:
    """One sentence being read, with the events it introduces or refers back to."""
    idx: int
    sent: Span
    s_text: str
    para: int
    mentions: list[Mention]
    dates: list[DateMention]
    introduced: list[Event] = field(default_factory=list)
    referenced: list[tuple[int, Event]] = field(default_factory=list)
    implicit: Event | None = None      # the event a sentence with no event phrase goes on with
    recent: tuple[Event | None] | None = None   # worked out once: see ``_EventReader._recent``

    @property
    def focus(self) -> list[Event]:
        return self.introduced or [e for _, e in self.referenced]

    def nearest(self, pos: int, pool: list[Event] | None = None) -> Event | None:
        """The event whose phrase is nearest before ``pos`` (or else after it)."""
        pool = pool if pool is not None else self.focus
        if not pool:
            return self.implicit
        before = [e for e in pool if _anchor(e, self.referenced) <= pos]
        if before:
            return max(before, key=lambda e: _anchor(e, self.referenced))
        return min(pool, key=lambda e: _anchor(e, self.referenced))


@dataclass(eq=False)
class _Cue:
    """A trigger noun with the words around it, as the trigger rules read it."""
    word: str
    pos: int
    cls: URIRef
    before: str
    after: str
    clause: str
    plural: bool = False
    name: str | None = None
    title_m: re.Match | None = None
    indefinite: re.Match | None = None
    definite: re.Match | None = None
    relative: re.Match | None = None


_READ_RE1 = re.compile(r"\.\s+[A-Z]|\b(?:is|are|was|were|will|has|have)\b")
_CUE_RE1 = re.compile(r"[\"“]([^\"”]{3,120})[\"”]\s*(?:\([^)]*\)\s*)?,\s+(?:a|an|the)\s+(?:[\w\-']+\s+){0,4}$")
_CUE_RE2 = re.compile(r"\b(?:[Tt]he|[Ii]ts|[Tt]heir|[Oo]ur|[Aa]n?)\s+(?:[\w\-']+\s+){0,2}?[\"“]([^\"”]{3,120})[\"”]\s+(?:[\w\-]+\s+)?$")
_CUE_RE3 = re.compile(r",?\s+(?:titled|called|entitled|named|under the title|on the theme)\s*:?\s*(?:[\"“]([^\"”]{3,120})[\"”]|"
                               r"[‘']([A-Z][^’'\n]{2,120})[’'](?![\w']))|\s+[\"“]([^\"”]{3,120})[\"”]")
_CUE_RE4 = re.compile(r"\b(?:[Aa]n?|[Ii]ts|[Tt]heir|[Oo]ur|[Oo]ne|[Aa]nother)\s+(?:(?:[\w\-']+|\d+)\s+){0,4}?$")
_CUE_RE5 = re.compile(r"\b(?:[Tt]he|[Tt]his|[Tt]hat|[Tt]hese|[Tt]hose)\s+(?:[\w\-']+\s+){0,2}?$")
_CUE_RE6 = re.compile(r"\s+(?:that\s+|which\s+)?(?:it|they|he|she|we)\s+(?:had\s+|have\s+)?(?:ran|run|held|organi[sz]ed|launched|led|hosted)\b")
_CUE_RE7 = re.compile(r"\b(?:of|for|about|on)\s+(?:a|an)\s+(?:[\w\-']+\s+){0,2}?$")
_CUE_RE8 = re.compile(r"\s+(?:organi[sz]ed|held|hosted|facilitated|convened|called)\b")
_POSSESSIVE_EVENT_RE1 = re.compile(r"([A-Z][\w\-]*)['’]s\s+(?:[a-z\-]+\s+){0,2}$")
_POSSESSIVE_EVENT_RE2 = re.compile(r"\s+(?:will\s+be|was|is|were)\s+(?:held|hosted|organi[sz]ed|convened|launched)|"
                r"\s+(?:will\s+)?(?:take|took)\s+place")
# "the ICSSI annual conference": a name right before the event's noun and its modifiers
_GENERIC_POSSESSOR = re.compile(r"\b[Tt]he\s+(?:Forum|Network|Initiative|Association|Union|Group|Committee|Council)$")
_RELATIVE_DAY = re.compile(r"\b(?:[Yy]esterday|[Ll]ast (?:night|weekend)|[Tt]he day before)['’]s\s+(?:[\w\-]+\s+){0,2}$")
_PREMODIFIER = re.compile(r"\s+(?:(?:annual|national|regional|first|second|third|summer|winter|spring|autumn|general|"
                          r"youth|public|coordination|joint|closing|opening)\s+){0,2}")
_POSSESSIVE_PREP = re.compile(r"\b(?:at|after|during|before|since|following|to|for|attended|joined|visited)\s+(?:the\s+)?$")
_POSSESSIVE_EVENT_RE3 = re.compile(r"\b(?:every|each|always|usually)\b")
_POSSESSIVE_EVENT_RE4 = re.compile(r"\s+will\b")
# the opening of a verbless list item before its event noun: "Mediation ", "26–28 September —
# First ", "21 September — International Day of Peace: simultaneous "
_FRAGMENT_HEAD = re.compile(r"(?:[-*•]\s+|\d+[.)]\s+)?(?:\*\*|__)?(?:[^\n—:.]{0,40}?\s[—–]\s+)?(?:[A-Z][^\n:.]{0,50}:\s+)?"
                            r"(?:(?!(?:the|a|an|this|that|these|those|its|their|our|his|her|of|in|on|at|for|with|by|and|"
                            r"to|from|was|were|is|are|will|has|have|had)\b)[\w\-'’]+\s+){0,3}", re.I)
# a lead of a list item: "11 December — Basra."
_FRAGMENT_LEAD = re.compile(r"[^.;:\n]{3,25}\s[—–]\s+[A-Z][\w\-'’ ]{1,25}\.")
_PLANNED_EVENT_RE1 = re.compile(r"\s+(?:will|shall|is to|is going to)\s+be\s+(?:held|organi[sz]ed|hosted|"
                                  r"launched|convened|run)\b")
_PLANNED_EVENT_RE2 = re.compile(r"\b(?:[Ss]imilar|[Oo]ther|[Ff]urther|[Mm]ore|[Nn]ew)\s+\w+s\b")
_INDEFINITE_EVENT_RE1 = re.compile(rf"\b(?:{EVENT_VERBS})\b[^.;,:]{{0,70}}$")
_INDEFINITE_EVENT_RE2 = re.compile(r"[^.;]{0,80}?\b(?:organi[sz]ed|held|hosted|facilitated|led|took place|delivered|conducted|"
            r"run|given|offered|called|convened|staged|launched)\b")
_INDEFINITE_EVENT_RE3 = re.compile(r"\b(?:[Ii]ts|[Tt]heir|[Oo]ur)\s+")
_INDEFINITE_EVENT_RE4 = re.compile(r"\bin\s+[A-Z]")
_DEFINITE_EVENT_RE1 = re.compile(r"\bin ((?:19|20)\d\d)\b")
_DEFINITE_EVENT_RE2 = re.compile(r"[Tt]he\s+")
_DEFINITE_EVENT_RE3 = re.compile(r"\s+[\"“]")
_DEFINITE_EVENT_RE4 = re.compile(r"\bof\s+(?:the\s+)?$")
_PLURAL_EVENT_RE1 = re.compile(rf"\b(?:held|organi[sz]ed|ran|hosted|conducted|convened|delivered|staged|launched|"
                         rf"carried out|implemented)\s+(?:(?:{_NUM_WORDS}|several|two-day|three-day|one-day|"
                         rf"public|open|local|joint|awareness|training|street|cultural|youth|"
                         rf"interactive|online|community|[a-z]+-day)\s+){{0,2}}$")
_PLURAL_EVENT_RE2 = re.compile(r"\b(?:has|have|had)\s+(?:\w+\s+)?$")
_PLURAL_EVENT_RE3 = re.compile(r"\bsince\b")
_PLURAL_EVENT_RE4 = re.compile(r"\s+(?:[a-z\-]+\s+){0,6}?(?:in|at)\s+(?:the\s+)?[A-Z]")
_GENERIC_EVENT_RE1 = re.compile(r"\s*(?:The|This)\s+(?:(?:main|first|whole|public|big|final)\s+)?(event|activity|gathering)\b")
_GENERIC_EVENT_RE2 = re.compile(r"\b(?:took place|was held|was organi[sz]ed|was hosted|was staged|was convened)\b")
_GENERIC_EVENT_RE3 = re.compile(r"\s*(?:It|This|The (?:event|activity))\s+was\s+(?:a|an)\s+(?:[\w\-']+\s+){0,3}?"
                        r"(" + "|".join(t for t, _ in TRIGGERS) + r")\b")
_VERB_EVENTS_RE1 = re.compile(r"\b(?:to|be|been|had|have|has)\s+$")
_VERB_EVENTS_RE2 = re.compile(r"\b[Ww]e\s+(?:\w+\s+)?$")
_NAMED_EVENTS_RE1 = re.compile(rf"\b(?:{EVENT_VERBS}|started|finished|took place|was held|opened|closed)\b")
_NAMED_EVENTS_RE2 = prefiltered(r"\b(?:was|were)\s+held|took place|opened\b")
_REFERENCES_RE1 = prefiltered(r"\b[Tt]he\s+forum\b")
_REFERENCES_RE2 = re.compile(r"\s*(?:(?:The|Many|All|Most|Some)\s+(?:of\s+the\s+)?)?(?:[Ss]essions|[Pp]articipants|"
                            r"[Tt]rainees|[Tt]rainers|[Dd]elegates|[Ss]peakers|[Gg]uests|"
                            r"[Aa]mong the (?:guests|speakers|participants))\b")
# nouns that a report may save until after the sentences that tell the event: "Eighteen
# lawyers spent 6 to 9 July at the library … The course was part of …"
_SCENE_NOUNS = {"course", "training", "workshop", "meeting", "seminar", "camp", "festival", "conference"}
_SCENE_SPAN = re.compile(r"\s*(?:For|Over|During|Across)\s+(?:two|three|four|five|six|seven|\d+|a few|several)\s+"
                         r"(?:full\s+)?(?:days|evenings|nights|weeks|weekends)\s*,?\s+(?:on|from|between)\s")
_TOLD_AFTER = re.compile(r"\s*(?:It|This|(?:The|This|That) (?:[\w\-]+\s+)?[a-z]+)\s+(?:(?:was|were)\s+(?:held|organi[sz]ed|staged)|"
                         r"ran|took place|lasted|happened|went ahead|opened|began|started)\b")
_REFERENCES_RE3 = re.compile(r"\s*(?:It|This|The event|The activity)\b")
_DATES_RE1 = re.compile(r"\b(?:until|till)\s+(?:\w+\s+)?$")
_DATES_RE2 = re.compile(r"\b[Tt]oday\b")
_DATES_RE3 = re.compile(r"(?:^|[^\w])[Ii]n ((?:19|20)\d\d)\b(?![\-–/])")
_DATES_RE4 = re.compile(r"\b(?:until|till|through|to)\s+(?:\w+\s+)?$")
_ORGANISERS_RE1 = prefiltered(rf"\b(?:{EVENT_VERBS})\b")
_ORGANISERS_RE2 = re.compile(r"[.;]")
_ORGANISERS_RE3 = re.compile(r"(?:took part in|participated in|attended|joined|came together for|met for|gathered for)")
_ORGANISERS_RE4 = re.compile(r"(?:\b[Ww]e|\b[Oo]ur\s+(?:[Ff]orum|[Tt]eam|[Gg]roup|[Aa]ssociation|[Oo]rgani[sz]ation|[Nn]etwork|[Ii]nitiative|volunteers))\s+(?:\w+\s+)?$")
_ORGANISERS_RE5 = re.compile(r"(?:^|[,;]\s+|\band\s+)(?:[Ii]t|[Tt]hey)\s+(?:also\s+|then\s+|had\s+)?$")
_ORGANISERS_RE6 = re.compile(r"^[\w\-]+")
_ORGANISERS_RE7 = re.compile(r"\s+(?:that\s+|which\s+)?we\s+(?:had\s+|have\s+)?(?:ran|run|held|organi[sz]ed|launched|hosted)\b")
_ORGANISERS_RE8 = re.compile(r"\b(?:its|their)\s+(?:[\w\-']+\s+){0,3}$", re.I)
_ORGANISERS_RE9 = re.compile(r"\s+(?:that\s+|which\s+)?(?:it|they)\s+(?:had\s+)?(?:ran|held|organi[sz]ed|launched)")
_ORGANISERS_RE10 = re.compile(r"\b[a-z]+(?:ed|ted)\b")
_ORGANISERS_RE11 = re.compile(r"\b(?:organi[sz]ed|held|ran|hosted|launched|convened|staged)\s+(?:the|this|its|their)\s+"
                          r"(?:[\w\-']+\s+){0,3}$")
_ORGANISERS_RE12 = re.compile(r"\b(?:[Ww]e|[Oo]ur\s+\w+)\s+(?:\w+\s+)?$")
_PLACES_RE1 = re.compile(r"\b(?:held|took place|organi[sz]ed|hosted|ran from|lasted|went ahead)\b")
_PLACES_RE2 = re.compile(r"\b(?:met|gathered|came together|spent|took place|held|organi[sz]ed|staged|hosted|"
                    r"marched|ran|celebrated)\b[^.;]{0,60}$")
_PLACES_RE3 = re.compile(r"^[\w\-]*\s*(?:[\"“][^\"”]*[\"”])?\s*,?\s*(?:which|that)\s+")
_PLACES_RE4 = re.compile(r"[\"“][^\"”]*[\"”]")
_PLACES_RE5 = re.compile(r"\b(?:who|whose|which|that|where)\b")
_FACILITATORS_RE1 = re.compile(r"\b(?:will|would|to)\s+be\s+$")
_FACILITATORS_RE2 = prefiltered(r"\b(?<!the )(?<!The )(?:[Tt]rainer|[Ff]acilitator|[Mm]oderator)\s+(?:(?:Dr|Mr|Mrs|Ms|Prof)\.?\s+)?(?=[A-Z])")
# "The trainers were A and B", and a field line under the story: "Trainers: A, B"
_FACILITATOR_VERB_GATE = prefiltered(r"(?:led|facilitated|moderated|chaired|ran|delivered|conducted|gave) ")
_FACILITATOR_ROLE = prefiltered(r"\b(?:(?:[Tt]he|[Tt]heir|[Ii]ts|[Oo]ur)\s+)?(?:[Tt]rainers?|[Ff]acilitators?|[Mm]oderators?|"
                                r"[Tt]eachers|[Ii]nstructors?)\s+(?:was|were|is|are|will be|included|include|"
                                r"for the (?:day|session|sessions|training|workshop) (?:was|were))\s+|"
                                r"^\s*(?:[-*•]\s*)?(?:\*\*)?(?:Trainers?|Facilitators?|Facilitation|Moderators?|Moderation|"
                                r"Chair|Chairs|Chaired by)\s*:\s*(?:\*\*)?\s*")
_MEMBERS_OF = prefiltered(r"\b(?:[Mm]embers|[Dd]elegates|[Dd]elegations?|[Rr]epresentatives|[Ss]tudents|[Vv]olunteers|[Ss]taff|"
                                  r"[Aa]ctivists|[Tt]eams?|youth|women|pupils|employees|runners|participants|[Ff]ocal points|"
                                  r"[Cc]oordinators|officials|[Ss]peakers|[Pp]articipants (?:were|came) (?:drawn |selected )?)"
                                  r"(?:\s+of\s+[a-z]+)?\s+(?:of|from)\s+")
_AS_CO_ORGANISER = prefiltered(r"\s+as\s+(?:a\s+|the\s+)?(?:co-organi[sz]ers?|coorgani[sz]ers?|co-hosts?|cohosts?|"
                               r"joint organi[sz]ers?)\b")
# "the Newroz celebration of the Sulaymaniyah Social Forum": the forum's own event
_OF_ORG = re.compile(r"\s+of\s+(?:the\s+)?")
_ITEM_PLACE_LEFT = re.compile(r"(?:,|[—–])\s*$")
_ITEM_PLACE_RIGHT = re.compile(r"\s*(?:[,.;]|\s[—–]|$)")
_ATTENDEE_HEADING = re.compile(r"^[ \t#*_]*(?:Attendees|Participants|Present|In attendance|Attendance|"
                               r"List of participants)[ \t*_]*:?[ \t*_]*$", re.M)
# "two representatives of the X Group", "- members of X"
_LIST_MEMBERS = re.compile(r"\s*(?:[-*•]\s*)?(?:(?:\d+|[a-z]+)\s+)?(?:representatives?|members?|delegates?|"
                           r"coordinators?|observers?)\s+(?:of|from)\s+(?:the\s+)?")
_SENT_OR_CAME_GATE = prefiltered(r"(?: sent| send| came| come| travel| made the journey)")
_SENT_OR_CAME = prefiltered(r"\b(?:(?:each|both|all|also)\s+)?(?:(?:sent|send)\s+(?:(?:a|an|its|their|his|her|small|large|"
                             r"big|whole|own)\s+){0,2}(?:delegations?|delegates|representatives|coordinators|members|"
                             r"volunteers|team|teams|students|speakers|staff|observers)\b|(?:came|travell?ed|made the journey)"
                             r"\s+(?:with|along|from|to|all the way)\b|came along\b)|(will\s+(?:send|come|travel)\b)")
_SO_DID = re.compile(r"[^.;]{0,60}?,?\s+and so did\s+(?:the\s+)?")
_AMONG_THEM = re.compile(r",\s+(?:the\s+)?")
_AMONG_THEM_END = re.compile(r"\s+(?:among them|included|in particular)\b")
_ATTENDED_BY = prefiltered(r"\battended by\s+")
_PEOPLE_ATTENDING = prefiltered(r"\b(?:[Aa]mong (?:the )?(?:participants|guests|speakers|attendees|players|runners|trainees|"
                                  r"performers|panell?ists|competitors|winners) (?:was|were)|"
                                  r"(?:took part|participated|attended),\s+(?:among them|including)|"
                                  r"\bfeatured(?:\s+(?:speakers|guests|panell?ists))?|"
                                  r"(?:[Pp]articipants|[Aa]ttendees) (?:included|were)|(?:lectured|addressed) by|"
                                  r"(?:[Ss]peakers|[Gg]uests|[Pp]anellists|[Pp]anelists) (?:included|were)|"
                                  r"(?:[Ss]peakers|[Pp]anell?ists|[Gg]uests)\s*:|"
                                  r"(?:speech|talk|lecture|presentation|address|keynote)(?: \w+)? (?:was )?(?:given|delivered|made) by|"
                                  r"(?:[Ww]elcome|[Oo]pening|[Cc]losing)(?: (?:address|speech|remarks|words))? by|"
                                  r"(?:by )?the presence of(?: the \w+)?)\s+(?:(?:[a-z]+\s+){0,2}(?:(?:Dr|Prof|Professor|Sheikh|Sayyid)\.?\s+)?)?")
_TOOK_PART = prefiltered(r"\b(?:also\s+)?(?:attended|took part|participated|spoke (?:at|during|to|on|about)|"
                         r"(?:opened|closed) the (?:meeting|session|conference|workshop|festival|event|day|proceedings)|"
                         r"gave (?:a|the) (?:talk|speech|lecture|presentation|keynote))\b")
_WHO_ALSO = re.compile(r",\s+who\s+(?:also\s+|had\s+)?")
_LINKS_RE1 = re.compile(r",\s*$")
_LINKS_RE2 = re.compile(r"\b(?:organi[sz]ed|held|convened|called|put together|prepared|hosted)\s+by\s+[^,;]{2,80}$")
_LINKS_RE3 = re.compile(r"\bprovided by")
_LINKS_RE4 = re.compile(r"\s*(?:All|Both|Each|Every one)\b[^.]{0,40}$")
_LINKS_RE5 = re.compile(r"\b(?:project|programme|program)\b")
_LINKS_RE6 = re.compile(r"\s*(?:It|This|They)\b")
_MOVE_ON_RE1 = prefiltered(rf"\b(?:organi[sz]ed|held|ran|hosted)\s+(?:{_NUM_WORDS}|several|a series of)\s+"
                        rf"(?:[\w\-]+\s+)?(?:events|activities)\b")


class _EventReader:
    """Reads a report sentence by sentence, keeping track of the event under discussion.

    Each ``_…`` method is one rule family (triggers, dates, organisers, places, counts,
    people, links to organisations and projects) applied to one sentence."""

    def __init__(self, text: str, title: str | None, spans: list[Span], ms: Mentions, base: str,
                 report_slug: str, year: int | None, dateline: Span | None, self_org: URIRef | None):
        self.text, self.spans, self.ms = text, spans, ms
        self.base, self.slug, self.year, self.self_org = base, report_slug, year, self_org
        self.out = EventFacts()
        self.heads = _headings(text, title)
        self.paras = paragraphs(text, spans)
        # the dateline's own date is the report's, not an event's
        every = find_dates(text, year)
        own = [d for d in every if dateline is not None and dateline.start <= d.start < dateline.end][:1]
        self.dates_all = [d for d, item in _under_year_headings(text, every)
                          if d not in own and (item or not _is_dateline_date(text, d))]
        self.dateline_date = own[0].first if own and not own[0].first.startswith("--") else None
        if self.dateline_date is None and dateline is not None:
            found = find_dates(text[dateline.start:dateline.end])
            self.dateline_date = found[0].first if found and len(found[0].first) == 10 else None
        self.current: Event | None = None
        self.current_idx = -10
        self.pending_date: tuple[int, DateMention] | None = None
        self.pending_idx = -10
        self.scene: tuple[int, Span, int] | None = None     # the sentence before, when it named no event
        self.dated_scene: tuple[int, Span, int] | None = None   # the last such sentence with a date
        self.announced_organizer: list[URIRef] = []
        self.all_funders: list[tuple[URIRef, Span]] = []

    # -- bookkeeping -----------------------------------------------------------------------

    def new_event(self, cls: URIRef, pos: int, sent: Span, para: int, name: str | None) -> Event:
        n = len(self.out.events) + 1
        ev = Event(URIRef(f"{self.base}event/{self.slug}-{n}"), cls, pos, sent, title=name, paragraph=para)
        self.out.events.append(ev)
        return ev

    def add(self, ev: Event, pred: URIRef, obj, sent: Span, method: str, conf: float) -> None:
        if isinstance(obj, URIRef) and obj == ev.iri:
            return
        self.out.facts.append(Fact(ev.iri, pred, obj, sent, method, conf))

    def date_of(self, d: DateMention) -> DateMention:
        """A day and month with no dateline take the year of the last full date before."""
        if not d.first.startswith("--") or self.year is not None:
            return d
        before = [x for x in self.dates_all if x.start < d.start and not x.first.startswith("--")]
        if not before:
            return d
        y = before[-1].first[:4]
        return DateMention(d.start, d.end, f"{y}{d.first[1:]}",
                           f"{y}{d.last[1:]}" if d.last and d.last.startswith("--") else d.last)

    # -- the whole report --------------------------------------------------------------------

    def read(self) -> EventFacts:
        # an activity report's fact sheet names one event field by field
        sheet = read_fact_sheet(self.text, self.ms, self.year,
                                new_event_fn=lambda cls, pos, sent, name: self.new_event(cls, pos, sent, 0, name))
        if sheet is not None:
            ev, sheet_facts, sheet_span = sheet
            self.current = ev or self.current
            self.out.facts.extend(sheet_facts)
            # the field lines are read; a field written as prose ("**Trainer:** the trainer
            # will be X, …") is read again by the sentence rules
            self.heads = self.heads + [
                (f.start(), f.end()) for f in _SHEET_LINE.finditer(self.text, sheet_span.start, sheet_span.end)
                if len(f.group(2)) <= 60 and not _READ_RE1.search(f.group(2))]
            if ev is not None:
                self._attendee_list(ev, sheet_span.end)
        self._heading_event()
        date_starts = [d.start for d in self.dates_all]      # in order: a sentence's dates are a slice
        for idx, sent in enumerate(self.spans):
            if any(s <= sent.start < e for s, e in self.heads):
                continue
            lo, hi = bisect_left(date_starts, sent.start), bisect_left(date_starts, sent.end)
            h = _Here(idx, sent, self.text[sent.start:sent.end], self.paras[idx], self.ms.within(sent),
                      [self.date_of(d) for d in self.dates_all[lo:hi] if d.end <= sent.end])
            self._triggers(h)
            self._verb_events(h)
            self._generic_event(h)
            self._named_events(h)
            self._references(h)
            self._dates(h)
            self._organisers(h)
            self._places(h)
            self._counts(h)
            self._facilitators(h)
            self._attendees(h)
            self._links(h)
            self._move_on(h)
        return self._finish()

    def _attendee_list(self, ev: Event, after: int) -> None:
        """Minutes list who was present under a heading of its own ("Attendees", then one
        line each: "Omar Fathi (Al-Hadba Youth Network)", "two representatives of X")."""
        head = _ATTENDEE_HEADING.search(self.text, after, after + 400)
        if head is None:
            return
        end = self.text.find("\n\n", head.end())
        block = Span(head.end(), len(self.text) if end < 0 else end)
        facilitators = {f.object for f in self.out.facts if f.subject == ev.iri and f.predicate == CG.facilitator}
        line_starts = {head.end() + 1} | {m.end() for m in re.finditer(r"\n(?:[-*•]\s*)?", self.text[block.start:block.end])}
        for m in self.ms.sorted():
            if not block.start <= m.start < block.end or m.iri in facilitators:
                continue
            at_line = any(m.start == block.start + st for st in line_starts) or self.text[m.start - 1] == "\n"
            cls = self.ms.cls_of(m.iri)
            lead = self.text[self.text.rfind("\n", 0, m.start) + 1:m.start]
            if cls == SDO.Person and (at_line or _BULLET_DATE.fullmatch(lead)) or \
                    cls in ORG_KINDS and _LIST_MEMBERS.fullmatch(lead):
                self.add(ev, SDO.attendee, m.iri, block, "attendee-list", 0.75)

    def _heading_event(self) -> None:
        """A heading that names an event ("Second Mesopotamia Peace Conference —
        Programme") over a caption line with its dates and venue ("28–29 April 2023 ·
        Saad Abdullah Conference Hall, Erbil")."""
        if self.out.events:
            return
        for idx, sent in enumerate(self.spans[:4]):
            if not any(s <= sent.start < e for s, e in self.heads):
                continue
            m = _NAMED_EVENT.search(self.text[sent.start:sent.end])
            if m is None or _planned(self.text[sent.start:sent.end]):
                continue
            for j in range(idx + 1, min(idx + 2, len(self.spans))):
                cap = self.spans[j]
                found = [self.date_of(d) for d in self.dates_all if cap.start <= d.start < cap.end]
                if not found or cap.end - cap.start > 160 or self.text[cap.start:cap.end].rstrip().endswith("."):
                    continue   # a caption is a short line right under the heading, not a sentence
                ev = self.new_event(_NAMED_TYPES.get(m.group(2), SDO.Event), sent.start + m.start(1), sent,
                                    self.paras[idx], _strip_the(m.group(1)))
                ev.date = found[0]
                self.add(ev, SDO.startDate, _date_lit(found[0].first), cap, "caption-date", 0.75)
                if found[0].last:
                    self.add(ev, SDO.endDate, _date_lit(found[0].last), cap, "caption-date", 0.75)
                for pm in self.ms.within(cap):
                    if _is_place(self.ms, pm) and pm.iri not in ev.places:
                        ev.places.append(pm.iri)
                        self.add(ev, SDO.location, pm.iri, cap, "caption-venue", 0.7)
                self.current, self.current_idx = ev, j
                self.heads = self.heads + [(cap.start, cap.end)]
                return

    # -- rules, one sentence at a time ---------------------------------------------------------

    def _triggers(self, h: _Here) -> None:
        """New events and references back to known ones, one trigger noun at a time: each
        way an event enters the text is one method below, tried in turn until one of them
        takes the trigger (introduces an event, refers back to one, or sets it aside)."""
        for m in TRIGGER.finditer(h.s_text):
            cue = self._cue(h, m)
            if cue is None:
                continue
            for way in (self._titles_current, self._possessive_back, self._relative_day_event, self._possessive_event, self._planned_event,
                        self._titled_event, self._indefinite_event, self._relative_event,
                        self._definite_event, self._fragment_event, self._plural_event):
                taken = way(h, cue)
                if taken is None:
                    continue
                if isinstance(taken, Event):
                    h.introduced.append(taken)
                    taken.of_org = taken.of_org or self._of_org(h, cue)
                break

    def _cue(self, h: _Here, m: re.Match) -> "_Cue | None":
        """The trigger with the words around it, or None when it is no event phrase: part
        of a name, a compound ("a training room") or the object of "the history of"."""
        word = m.group(1)
        pos = h.sent.start + m.start(1)
        if any(x.start <= pos < x.end for x in h.mentions):
            return None   # part of a name ("Save the Tigris Campaign")
        before, after = h.s_text[:m.start(1)], h.s_text[m.end(1):]
        if _COMPOUND.match(after):
            return None   # "a training room", "conference participants"
        if word.lower().startswith("season") and not (_SEASON_BACK.search(before) and any(
                e.cls == CG.Conference for e in self.out.events)) and (
                not _SEASON_BEFORE.search(before) or _SEASON_WEATHER.search(before)
                or not any(self.ms.cls_of(x.iri) == CG.Forum for x in self.ms.sorted())):
            return None   # a season of the year, or no forum that could hold one
        cue = _Cue(word, pos, trigger_type(word), before, after, _clause_around(self.text, h.sent, pos),
                   plural=_is_plural(word))
        cue.title_m = _CUE_RE1.search(before) \
            or _CUE_RE2.search(before)
        title_after = _CUE_RE3.match(after)
        cue.indefinite = _CUE_RE4.search(before)
        cue.definite = _CUE_RE5.search(before)
        cue.relative = _CUE_RE6.match(after)
        if _CUE_RE7.search(before) and not cue.title_m \
                and not _CUE_RE8.match(after):
            return None   # "the history of a campaign", "tools for a campaign"
        if cue.title_m:
            cue.name = cue.title_m.group(1)
        elif title_after and (title_after.group(1) or title_after.group(2) or title_after.group(3)):
            cue.name = title_after.group(1) or title_after.group(2) or title_after.group(3)
        if cue.plural and (cue.indefinite or cue.name):
            return None   # "one of the workshops", "a series of trainings": read as plural below
        return cue

    def _new(self, h: _Here, cue: "_Cue", definite_first: bool = False, planned: bool = False) -> Event:
        told = next((e for e in self.out.events if e.headline and e.cls == cue.cls and e.paragraph < h.para
                     and e.date is None and not e.planned), None)
        if told is not None and not planned:
            # "Peace Day marked with a youth festival" over "… celebrated the day with a festival
            # held on 21 September": the headline and the body tell one event
            told.headline = False
            told.start, told.sentence, told.paragraph = cue.pos, h.sent, h.para
            told.title = told.title or cue.name
            return told
        ev = self.new_event(cue.cls, cue.pos, h.sent, h.para, cue.name)
        ev.headline = _is_headline(self.text, h.sent)
        ev.definite_first = definite_first or bool(cue.definite and not cue.indefinite)
        ev.planned = planned
        return ev

    def _titles_current(self, h: _Here, cue: "_Cue"):
        """"The campaign, called “X”, …": the title of the event just told."""
        current = self.current
        if cue.plural or not (cue.name and cue.definite and not cue.indefinite and current is not None
                              and current.cls == cue.cls and current.title is None and not cue.title_m):
            return None
        current.title = cue.name
        h.referenced.append((cue.pos, current))
        return True

    def _possessive_event(self, h: _Here, cue: "_Cue"):
        """"X's annual conference will be hosted in Erbil", "a week after the Forum's summer
        season", "at the ICSSI annual conference": the organisation's own event, told with
        a verb of taking place or as the time or place of something else."""
        if cue.plural or cue.indefinite:
            return None
        possessor = _POSSESSIVE_EVENT_RE1.search(cue.before)
        if possessor:
            at = h.sent.start + possessor.start(1)
            owner = next((x for x in h.mentions if x.end <= cue.pos and x.start <= at < x.end
                          and self.ms.cls_of(x.iri) in ORG_KINDS), None)
            if owner is None and _GENERIC_POSSESSOR.search(cue.before, 0, possessor.end(1)):
                owner = self._named_before(possessor.group(1), at)   # "the Forum's": the forum named before
        else:
            owner = next((x for x in h.mentions if self.ms.cls_of(x.iri) in ORG_KINDS
                          and _PREMODIFIER.fullmatch(self.text, x.end, cue.pos)), None)
            at = owner.start if owner else cue.pos
        if owner is None or _POSSESSIVE_EVENT_RE3.search(cue.clause):
            return None
        lead = self.text[h.sent.start:at]
        if not (_POSSESSIVE_EVENT_RE2.match(cue.after) or _POSSESSIVE_PREP.search(lead)):
            return None
        planned = bool(_POSSESSIVE_EVENT_RE4.match(cue.after)) or _planned(cue.clause)
        if _HABITUAL.search(cue.clause) and not planned:
            return None   # "the Forum's annual festival draws crowds": no one occasion
        ev = self._new(h, cue, planned=planned)
        ev.definite_first = False
        ev.organizers.append(owner.iri)
        self.add(ev, SDO.organizer, owner.iri, h.sent, "organizer-possessive", 0.75)
        return ev

    def _planned_event(self, h: _Here, cue: "_Cue"):
        """"X will hold a training in Y", "a workshop will be held": a planned event."""
        future_passive = _PLANNED_EVENT_RE1.match(cue.after)
        if cue.plural or not cue.indefinite:
            return None
        if (future_passive or _planned(cue.clause) and _INTENT.search(cue.before)) and not _HABITUAL.search(cue.clause) \
                and not _PLANNED_EVENT_RE2.search(cue.clause):
            return self._new(h, cue, planned=True)
        return None

    def _titled_event(self, h: _Here, cue: "_Cue"):
        """"“Streets For All”, a campaign …": an event with its title."""
        if cue.plural or not cue.name or _planned(cue.clause):
            return None
        return self._new(h, cue)

    def _indefinite_event(self, h: _Here, cue: "_Cue"):
        """"held a two-day training", "its first workshop was held": a new event, when a
        verb says that it took place."""
        if cue.plural or not cue.indefinite:
            return None
        if _planned(cue.clause):
            return False
        has_verb = _INDEFINITE_EVENT_RE1.search(cue.before) or _INDEFINITE_EVENT_RE2.match(cue.after)
        if not has_verb:
            return False
        if _INDEFINITE_EVENT_RE3.search(cue.indefinite.group(0)) and not (
                has_verb or h.dates or _INDEFINITE_EVENT_RE4.search(cue.after[:30])):
            return False
        return self._new(h, cue)

    def _relative_event(self, h: _Here, cue: "_Cue"):
        """"the campaign it ran": a definite phrase with its own clause."""
        if cue.plural or not (cue.definite and cue.relative):
            return None
        return self._new(h, cue)

    def _definite_event(self, h: _Here, cue: "_Cue"):
        """"the training": the event of that kind told before; or, the first time, a new
        event when the sentence gives its date, organiser or number of people."""
        if not cue.definite:
            return None
        current = self.current
        same = [e for e in self.out.events if e.cls == cue.cls]
        own_year = _DEFINITE_EVENT_RE1.search(cue.after[:80])
        if same and own_year and not (same[-1].date and same[-1].date.first.startswith(own_year.group(1))):
            return False   # "the national meeting held in Najaf in 2017": another, earlier event
        if same:
            h.referenced.append((cue.pos, same[-1]))
            return True
        if cue.plural:
            return False   # "the workshops" with none told before: no event of its own
        if self.out.events and current is not None and _DEFINITE_EVENT_RE2.fullmatch(cue.definite.group(0)) \
                and not own_year and cue.cls in _GATHERINGS and current.cls in _GATHERINGS:
            h.referenced.append((cue.pos, current))   # "the meeting" … "the conference"
            return True
        told_before = self.pending_date is not None and (self.pending_idx == h.idx - 1 or (
            self.pending_idx >= h.idx - 2 and self.pending_date[0] == h.para and cue.word.lower() in _SCENE_NOUNS))
        if cue.cls == CG.Campaign and _DEFINITE_EVENT_RE3.match(cue.after) is None and not h.dates and not told_before:
            return False
        if not _planned(cue.clause) and (h.dates or _BY_ORGANISER.search(h.s_text) or find_counts(self.text, h.sent)
                                         or told_before) and not _DEFINITE_EVENT_RE4.search(cue.before):
            return self._new(h, cue, definite_first=True)
        return False

    def _named_before(self, head: str, pos: int) -> Mention | None:
        """"the Forum", "the Network": the organisation named last before ``pos`` whose
        name ends with that word."""
        for x in reversed(self.ms.sorted()):
            if x.end <= pos and self.ms.cls_of(x.iri) in ORG_KINDS and \
                    self.ms.entities[x.iri].label.split()[-1].lower() == head.lower():
                return x
        return None

    def _of_org(self, h: _Here, cue: "_Cue") -> URIRef | None:
        """The organisation right after "of" behind the event's noun, unless the event is a
        meeting or an assembly of its members."""
        of = _OF_ORG.match(self.text, cue.pos + len(cue.word))
        if of is None or cue.cls == CG.Meeting:
            return None
        org = self.ms.at(of.end())
        return org.iri if org is not None and org.start == of.end() and self.ms.cls_of(org.iri) in ORG_KINDS else None

    def _possessive_back(self, h: _Here, cue: "_Cue"):
        """"About yesterday's photo workshop: … Fifteen young photographers joined our
        workshop": "our/its/their" + the kind of the event just told, with no date of its
        own, is that event again."""
        current = self.current
        if cue.plural or not cue.indefinite or not _INDEFINITE_EVENT_RE3.match(cue.indefinite.group(0)) \
                or current is None or current.cls != cue.cls or h.idx - self.current_idx > 2 or h.dates:
            return None
        h.referenced.append((cue.pos, current))
        current.title = current.title or cue.name
        return True

    def _relative_day_event(self, h: _Here, cue: "_Cue"):
        """"About yesterday's photo workshop at …": an event that took place, whose day the
        text gives only relative to its own (no date)."""
        if cue.plural or not _RELATIVE_DAY.search(cue.before):
            return None
        ev = self._new(h, cue)
        ev.relative = True
        return ev

    def _fragment_event(self, h: _Here, cue: "_Cue"):
        """"Mediation training, Mosul, 18–20 January 2023. Three days at …": an item of a
        list (or a chronology) that opens with the event's noun and no verb, and gives a
        date on its line, is an event; the rest of the line tells more of it."""
        line = self._fragment_line(h, cue.pos)
        if line is None or _planned(cue.clause) or any(e.start == cue.pos for e in self.out.events):
            return None
        ev = self._new(h, cue)
        ev.line = line
        return ev

    def _fragment_line(self, h: _Here, pos: int) -> Span | None:
        """The opening of a verbless list item whose noun phrase ends at ``pos`` (with the
        short lead before it: "11 December — Basra."), when it gives a date; None when
        ``pos`` is not in such an opening."""
        text, sent = self.text, h.sent
        if not _FRAGMENT_HEAD.fullmatch(text, sent.start, pos):
            return None
        start = sent.start
        if h.idx > 0:
            prev = self.spans[h.idx - 1]
            if prev.end - prev.start <= 40 and _FRAGMENT_LEAD.fullmatch(text, prev.start, prev.end):
                start = prev.start
        if not any(start <= d.start < sent.end and (start < sent.start or d.start < pos + 80) for d in self.dates_all):
            return None
        return Span(start, sent.end)

    def _plural_event(self, h: _Here, cue: "_Cue"):
        """"held workshops in Halabja", "organised three trainings for …": a bare plural
        right after a verb of holding, in a clause that tells what took place (not
        what is done every year or will be done), is one event of that kind."""
        if not cue.plural or _planned(cue.clause) or _HABITUAL.search(cue.clause):
            return None
        verb = _PLURAL_EVENT_RE1.search(cue.before)
        if verb is None or any(e.cls == cue.cls and e.start == cue.pos for e in self.out.events):
            return None
        if _PLURAL_EVENT_RE2.search(cue.before[:verb.start()]) or _PLURAL_EVENT_RE3.search(cue.clause):
            return None   # "has held workshops across Iraq since 2015": a record, not one event
        if not (h.dates or find_counts(self.text, h.sent) or _PLURAL_EVENT_RE4.match(cue.after)):
            return None   # nothing that tells one occasion: no date, no place, no number of people
        return self._new(h, cue)

    def _generic_event(self, h: _Here) -> None:
        """"The event, organised by X, took place on 25 May at Y": a first definite "event"
        or "activity" with its own date and a verb of taking place is a new event (of no
        kind until "It was a tournament" says which)."""
        if h.introduced or h.referenced:
            return
        m = _GENERIC_EVENT_RE1.match(h.s_text)
        if m and h.dates and (self.current is None or self.current.paragraph != h.para) and _GENERIC_EVENT_RE2.search(h.s_text) \
                and not _planned(h.s_text):
            ev = self.new_event(SDO.Event, h.sent.start + m.start(1), h.sent, h.para, None)
            ev.definite_first = True
            h.introduced.append(ev)
            return
        kind = _GENERIC_EVENT_RE3.match(h.s_text)
        if kind and self.current is not None and self.current.cls == SDO.Event and self.current_idx >= h.idx - 2:
            self.current.cls = trigger_type(kind.group(1))     # "It was a football tournament"
            h.referenced.append((h.sent.start, self.current))

    def _verb_events(self, h: _Here) -> None:
        """Events told by their verb alone, in a sentence that names no event: "we trained
        18 young women" (a training), "the committee met in Kut on 5 May" (a meeting). The
        subject of the verb organised it."""
        if h.introduced or h.referenced:
            return
        for m in _VERB_EVENT.finditer(h.s_text):
            pos = h.sent.start + m.start()
            clause = _clause_around(self.text, h.sent, pos)
            if _planned(clause) or _HABITUAL.search(clause) or _VERB_EVENTS_RE1.search(h.s_text[:m.start()]):
                continue
            subject = clause_subject(self.ms, self.text, h.sent, pos)
            we = self.self_org is not None and _VERB_EVENTS_RE2.search(h.s_text[:m.start()])
            if m.group(2) and not (subject and h.dates):
                continue   # "met in Kut": a meeting when a body met on a given day
            if not subject and not we:
                continue
            ev = self.new_event(CG.Training if m.group(1) else CG.Meeting, pos, h.sent, h.para, None)
            for org in [x.iri for x in subject] or [self.self_org]:
                ev.organizers.append(org)
                self.add(ev, SDO.organizer, org, h.sent, "organizer-verb-subject" if subject else "organizer-we", 0.75)
            h.introduced.append(ev)

    def _named_events(self, h: _Here) -> None:
        """Events named like organisations ("the Baghdad Peace Marathon") and seasons of
        a social forum ("the first Iraqi Social Forum", a conference)."""
        text, sent, s_text, ms = self.text, h.sent, h.s_text, self.ms
        for m in _NAMED_EVENT.finditer(s_text):
            pos = sent.start + m.start(1)
            if any(x.start <= sent.start + m.start(2) < x.end for x in h.mentions):
                continue
            name = _strip_the(m.group(1))
            if not name or name.split()[0] in _NOT_EVENT_START or s_text[m.start(1) - 1:m.start(1)] in ("\"", "“", "‘"):
                continue   # a part of a quoted title: "“Sixteen Days, Sixteen Voices” campaign"
            same = [e for e in self.out.events if e.title == name]
            if same:
                h.referenced.append((pos, same[-1]))
                continue
            clause = _clause_around(text, sent, pos)
            edition = _EDITION_BEFORE.search(s_text, 0, m.start(1))
            if edition:   # "I want to thank you who made our first X Days possible": the relative clause
                clause = clause[max((r.end() for r in _RELATIVE_WORD.finditer(clause, 0, max(0, clause.find(m.group(1))))),
                                    default=0):]
            if _planned(clause) or not (h.dates or _NAMED_EVENTS_RE1.search(clause) or edition):
                continue   # an edition ("our first Euphrates Peace Days") is one that took place
            h.introduced.append(self.new_event(_NAMED_TYPES.get(m.group(2), SDO.Event), pos, sent, h.para, name))
        for m in _ORDINAL.finditer(s_text):
            forum = next((x for x in h.mentions if x.start == sent.start + m.end()
                          and ms.cls_of(x.iri) == CG.Forum), None)
            if forum is None:
                forum = next((x for x in h.mentions if ms.cls_of(x.iri) == CG.Forum
                              and x.start == sent.start + m.end() - 4), None)
            if forum is None or _planned(_clause_around(text, sent, forum.start)):
                continue
            at = sent.start + m.start(1)
            if any(d.start <= at < d.end for d in h.dates):
                continue   # "On 22 May 2022 the Forum organised …": the year of a date, no edition
            if any(e.start == forum.start for e in self.out.events):
                continue
            if not (h.dates or _NAMED_EVENTS_RE2.search(s_text)):
                continue
            name = f"{m.group(1)} {ms.entities[forum.iri].label}"
            ev = self.new_event(CG.Conference, forum.start, sent, h.para, name[0].upper() + name[1:])
            ev.line = self._fragment_line(h, sent.start + m.start())
            h.introduced.append(ev)

    def _references(self, h: _Here) -> None:
        """Sentences that go on about the current event: "the sessions", "the participants",
        "It was …", or no event phrase at all right after it."""
        sent, s_text, current = h.sent, h.s_text, self.current
        if current is not None and not h.introduced:
            for m in _REF_WORDS.finditer(s_text):
                h.referenced.append((sent.start + m.start(), current))
            head = current.title.split()[-1] if current.title and len(current.title.split()) > 1 else None
            if head and head[0].isupper() and f"he {head}" in s_text:
                at = s_text.find(f"he {head}")
                if re.match(rf"[Tt]he {re.escape(head)}\b", s_text[at - 1:]):
                    h.referenced.append((sent.start + at - 1, current))     # "the Days", "the Marathon"
            if current.title and "Forum" in current.title:
                for m in _REFERENCES_RE1.finditer(s_text):
                    h.referenced.append((sent.start + m.start(), current))   # the season of a social forum
            lead = _REFERENCES_RE2.match(s_text)
            if lead and not h.referenced:
                h.referenced.append((sent.start, current))
            if _REFERENCES_RE3.match(s_text):
                h.referenced.append((sent.start, current))
        if not h.focus and current is not None and (current.paragraph == h.para or h.idx == self.current_idx + 1):
            h.implicit = current
        elif not h.focus and current is not None and len(self.out.events) == 1 and _CAPTION.match(s_text):
            h.implicit = current     # a caption under the one event of a programme
        elif not h.focus and current is not None and h.para == current.paragraph + 1 and not h.dates \
                and _PEOPLE_OF_EVENT.match(s_text):
            # a paragraph that goes on with who spoke or led: "The opening speech was delivered by X"
            h.implicit = current

    def _dates(self, h: _Here) -> None:
        """Dates of the events a sentence introduces; a date told in the sentence before
        ("On 21 September, … . The Forum organised a race …") and "that same evening"."""
        text, sent, s_text, out = self.text, h.sent, h.s_text, self.out
        if h.introduced:
            for d in h.dates:
                if _DATES_RE1.search(text[max(sent.start, d.start - 20):d.start]):
                    continue   # "runs until 11 May": the last day, read below
                ev = h.nearest(d.start, h.introduced)
                if ev is not None and ev.date is None:
                    ev.date = d
            if _SAME_DAY.search(s_text) and out.events[:-len(h.introduced)]:
                prev = [e for e in out.events if e not in h.introduced and e.date]
                for ev in h.introduced:
                    if ev.date is None and prev and not ev.planned:
                        ev.date = DateMention(sent.start, sent.start, prev[-1].date.first)
            if self.pending_date and (self.pending_date[0] == h.para or self.pending_idx == h.idx - 1):
                for ev in h.introduced:
                    if ev.date is None and not ev.planned and not ev.relative:
                        ev.date = self.pending_date[1]
            if _DATES_RE2.search(s_text) and self.dateline_date:
                for ev in h.introduced:      # "X today opened the festival": the dateline's day
                    if ev.date is None and not ev.planned:
                        ev.date = DateMention(sent.start, sent.start, self.dateline_date)
            self.pending_date = None
        elif h.dates and not h.referenced and len(h.dates) == 1:
            self.pending_date = (h.para, h.dates[0])
            self.pending_idx = h.idx
        elif len(h.dates) == 1 and h.referenced:
            self._date_told_after(h)
        if not h.introduced and not h.referenced and len(h.dates) == 1 and _SCENE_SPAN.match(h.s_text):
            self._scene_date(h)
        # "Thirty-six people attended …" before "The launch meeting was …": the sentence
        # before a definite first mention describes the same event
        scenes = [sc[1] for sc in (self.scene, self.dated_scene) if sc is not None and (
            sc[0] == h.idx - 1 or sc[0] == h.idx - 2 and sc[2] == h.para and sc is self.dated_scene)] if h.introduced else ()
        for prev in dict.fromkeys(scenes):
            for ev in h.introduced:
                if not ev.definite_first:
                    continue
                if not find_counts(text, sent) and not any(
                        f.subject == ev.iri and f.predicate == CG.participantCount for f in self.out.facts):
                    for _, value, rule in find_counts(text, prev)[:1]:
                        self.add(ev, CG.participantCount, Literal(value, datatype=XSD.integer), prev, rule + "-before", 0.7)
                for pm in _accepted_places(self.ms, text, prev, self.ms.within(prev)):
                    if pm.iri not in ev.places:
                        ev.places.append(pm.iri)
                        self.add(ev, SDO.location, pm.iri, prev, "event-location-before", 0.7)
                self._scene_agents(ev, prev, h)
        self.scene = (h.idx, sent, h.para) if not h.introduced and not h.referenced else None
        if h.introduced or h.referenced:
            self.dated_scene = None
        elif h.dates:
            self.dated_scene = (h.idx, sent, h.para)     # a dated sentence stays a scene one sentence longer
        for ev in h.introduced:
            if ev.date is None and not ev.planned:
                # "In 2018, … it organised a sit-in": the year is all the text gives
                year = _DATES_RE3.search(_clause_around(text, sent, ev.start))
                if year and year.group(1) not in {f.group(1) for f in _FOUNDED_IN_YEAR.finditer(s_text)}:
                    ev.date = DateMention(ev.start, ev.start, year.group(1))
            if ev.date is not None and ev.date.last is None:
                # "started on the 3rd of April and lasted until the 7th of April 2018"
                end = next((d for d in h.dates if (d.start > ev.date.start or ev.date.start == ev.date.end)
                            and d.last is None and d is not ev.date and _DATES_RE4.search(text[max(sent.start, d.start - 20):d.start])), None)
                if end is not None and end.first > ev.date.first:
                    ev.date = DateMention(ev.date.start, end.end, ev.date.first, end.first)
            if ev.date is not None:
                self.add(ev, SDO.startDate, _date_lit(ev.date.first), sent, "event-date", 0.85)
                if ev.date.last:
                    self.add(ev, SDO.endDate, _date_lit(ev.date.last), sent, "event-date-range", 0.85)

    def _scene_date(self, h: _Here) -> None:
        """"… our first Euphrates Peace Days. For two days, on 3 and 4 November, the hall was
        full": a sentence right after an event that opens with how long it lasted and when
        gives its date."""
        ev, d = self.current, h.dates[0]
        if ev is None or ev.date is not None or ev.planned or h.idx - self.current_idx > 1:
            return
        if d.first.startswith("--") and self.year is None:
            return
        ev.date = d
        self.add(ev, SDO.startDate, _date_lit(d.first), h.sent, "event-date-scene", 0.7)
        if d.last:
            self.add(ev, SDO.endDate, _date_lit(d.last), h.sent, "event-date-scene", 0.7)
        self.pending_date = None

    def _date_told_after(self, h: _Here) -> None:
        """"How did this year's season go? — It ran from 19 to 21 August at …": a sentence
        that opens with the event told before and a verb of taking place gives its date."""
        m = _TOLD_AFTER.match(h.s_text)
        ev = h.referenced[0][1]
        if m is None or ev.date is not None or ev.planned or h.referenced[0][0] > h.sent.start + m.end():
            return
        d = h.dates[0]
        if _planned(h.s_text) or d.first.startswith("--") and self.year is None:
            return
        ev.date = d
        self.add(ev, SDO.startDate, _date_lit(d.first), h.sent, "event-date-after", 0.75)
        if d.last:
            self.add(ev, SDO.endDate, _date_lit(d.last), h.sent, "event-date-after", 0.75)

    def _scene_agents(self, ev: Event, prev: Span, h: _Here) -> None:
        """"X, in partnership with Y, brought together twenty mediators in Halabja. The
        meeting took place at …": who gathered the people of the sentence before organised
        the event that this one names, and the partner named with them is its partner."""
        if _BY_ORGANISER.search(h.s_text) or ev.organizers:
            return
        p_text = self.text[prev.start:prev.end]
        verb = _GATHERING_VERB.search(p_text)
        if verb is None or _planned(p_text):
            return
        for subj in clause_subject(self.ms, self.text, prev, prev.start + verb.start()):
            ev.organizers.append(subj.iri)
            self.add(ev, SDO.organizer, subj.iri, prev, "organizer-subject-before", 0.7)
        if not ev.organizers:
            return
        for m in _PARTNER.finditer(p_text, 0, verb.start()):
            for obj in read_list(self.ms, self.text, prev.start + m.end(), prev.start + verb.start(), ORG_KINDS):
                if obj.iri not in ev.organizers:
                    self.add(ev, CG.partner, obj.iri, prev, "event-partner-before", 0.7)

    def _organisers(self, h: _Here) -> None:
        """The subject of "held/organised/launched a …" ("we" is the organisation that
        signs), the object of "organised by", "the group" for the organiser named last."""
        text, sent, s_text, ms = self.text, h.sent, h.s_text, self.ms
        for ev in h.introduced:
            rel = ev.start - sent.start
            before = s_text[:rel]
            verbs = list(_ORGANISERS_RE1.finditer(before))
            subject: list[Mention] = []
            intent = _INTENT.search(before) if ev.planned else None
            if intent is not None:       # "X will hold a training", "the committee wants to organise …"
                subject = clause_subject(ms, text, sent, sent.start + intent.start())
            elif verbs:
                v = verbs[-1]
                if not _ORGANISERS_RE2.search(before[v.end():]) and not _ORGANISERS_RE3.match(v.group()):
                    subject = clause_subject(ms, text, sent, sent.start + v.start())
                    if not subject and self.self_org is not None and _ORGANISERS_RE4.search(before[:v.start()]):
                        ev.organizers.append(self.self_org)       # "we organised", "our forum held"
                        self.add(ev, SDO.organizer, self.self_org, sent, "organizer-we", 0.7)
                    if not subject and _ORGANISERS_RE5.search(before[:v.start()]):
                        org = _subject_before(ms, self.text, self.spans, h.idx)
                        if org is not None:       # "In 2018 it organised a sit-in"
                            ev.organizers.append(org)
                            self.add(ev, SDO.organizer, org, sent, "organizer-pronoun", 0.7)
                    if not subject and GENERIC_ORG_REF.search(before[:v.start()]):
                        org = _generic_ref(ms, self.out.events, ev, sent.start + v.start())
                        if org is not None:
                            ev.organizers.append(org)
                            self.add(ev, SDO.organizer, org, sent, "organizer-generic-ref", 0.7)
            # "the march that we organised": the organisation the report speaks for
            tail = _ORGANISERS_RE6.sub("", text[ev.start:sent.end])
            if not subject and self.self_org is not None and _ORGANISERS_RE7.match(tail):
                ev.organizers.append(self.self_org)
                self.add(ev, SDO.organizer, self.self_org, sent, "organizer-we", 0.7)
            # "the campaign it ran", "its campaign": the clause's subject
            if not subject and _ORGANISERS_RE8.search(before) or \
                    _ORGANISERS_RE9.match(s_text[rel + 1:]):
                orgs = [m for m in h.mentions if m.end <= ev.start and ms.cls_of(m.iri) in ORG_KINDS]
                if orgs:
                    verbs2 = [v for v in _ORGANISERS_RE10.finditer(before) if v.start() > orgs[-1].end - sent.start]
                    subject = clause_subject(ms, text, sent, sent.start + verbs2[0].start() if verbs2 else orgs[-1].end)
            for subj in subject:
                if ms.cls_of(subj.iri) in ORG_KINDS:
                    ev.organizers.append(subj.iri)
                    self.add(ev, SDO.organizer, subj.iri, sent, "organizer-subject", 0.85)
        for pos, ev in h.referenced:
            v = _ORGANISERS_RE11.search(s_text[:pos - sent.start])
            if v and not ev.organizers:
                for subj in clause_subject(ms, text, sent, sent.start + v.start()):
                    ev.organizers.append(subj.iri)
                    self.add(ev, SDO.organizer, subj.iri, sent, "organizer-subject", 0.8)
                if not ev.organizers and self.self_org is not None and _ORGANISERS_RE12.search(s_text[:v.start()]):
                    ev.organizers.append(self.self_org)      # "We organised the tournament"
                    self.add(ev, SDO.organizer, self.self_org, sent, "organizer-we", 0.7)
        for m in _AS_CO_ORGANISER.finditer(s_text):
            ev = h.nearest(sent.start + m.start()) or h.implicit
            org = next((x for x in reversed(h.mentions) if x.end == sent.start + m.start()
                        and ms.cls_of(x.iri) in ORG_KINDS), None)
            if ev is not None and org is not None and org.iri not in ev.organizers:
                ev.organizers.append(org.iri)
                self.add(ev, SDO.organizer, org.iri, sent, "organizer-as-co", 0.8)
        for m in [*_BY_ORGANISER.finditer(s_text), *_ORGANISER_LABEL.finditer(s_text)]:
            pos = sent.start + m.start()
            ev = _event_before(pos, h.introduced, h.referenced, h.implicit, s_text, sent)
            if ev is None or _project_between(ms, text, sent, ev, h.referenced, pos):
                continue
            if m.group().lstrip().startswith(("hosted", "Hosted")) and self._organised_before(ev, sent):
                continue   # "X held a festival. It was hosted by Y": Y lends the place
            for obj in read_list(ms, text, sent.start + m.end(), sent.end, ORG_KINDS):
                ev.organizers.append(obj.iri)
                self.add(ev, SDO.organizer, obj.iri, sent, "organizer-by", 0.9)

    def _organised_before(self, ev: Event, sent: Span) -> bool:
        """Whether a sentence before this one already named the event's organiser."""
        return any(f.subject == ev.iri and f.predicate == SDO.organizer and f.evidence != sent for f in self.out.facts)

    def _places(self, h: _Here) -> None:
        """Places where an event's place stands, for the event nearest to them, never from
        a relative clause or an apposition about someone else."""
        text, sent, s_text = self.text, h.sent, h.s_text
        self._item_places(h)
        for pm in _accepted_places(self.ms, text, sent, h.mentions):
            pool = h.introduced or [e for _, e in h.referenced
                                    if _PLACES_RE1.search(s_text)]
            if not pool and h.implicit is not None and h.implicit.line is not None \
                    and 0 <= sent.start - h.implicit.line.end <= 3:
                pool = [h.implicit]     # "… 18–20 January 2023. Three days at the X House"
            if not pool:
                continue
            ev = h.nearest(pm.start, pool)
            if ev is None:
                continue
            anchor = _anchor(ev, h.referenced) if ev not in h.introduced else ev.start
            lo, hi = sorted((anchor, pm.start))
            if pm.start < anchor and "," in text[pm.end:anchor] and not _scene_place(text, sent, pm) and not _PLACES_RE2.search(text[max(sent.start, pm.start - 80):pm.start]):
                continue   # "after its launch in Baghdad, … a conference in Ramadi"
            between = text[lo:hi]
            if anchor < pm.start:
                # a relative clause on the event itself: "the campaign “X”, which ran … in Erbil"
                between = _PLACES_RE3.sub("", between)
            between = _PLACES_RE4.sub("", between)
            if _PLACES_RE5.search(between):
                continue   # a place in a relative clause: not the event's
            if pm.iri not in ev.places:
                ev.places.append(pm.iri)
                self.add(ev, SDO.location, pm.iri, sent, "event-location", 0.8)

    def _item_places(self, h: _Here) -> None:
        """"Coordination meeting, Erbil, 2 March", "11 December — Basra. Founding assembly":
        the places a list item names between commas or dashes, up to its event's noun phrase."""
        for ev in h.introduced:
            if ev.line is None:
                continue
            for pm in self.ms.sorted():
                if not (ev.line.start <= pm.start and pm.end <= ev.line.end) or not _is_place(self.ms, pm):
                    continue
                if _ITEM_PLACE_LEFT.search(self.text, ev.line.start, pm.start) and \
                        _ITEM_PLACE_RIGHT.match(self.text, pm.end) and pm.iri not in ev.places:
                    ev.places.append(pm.iri)
                    self.add(ev, SDO.location, pm.iri, h.sent, "event-location-item", 0.75)

    def _counts(self, h: _Here) -> None:
        """The exact number of people who took part (see ``clauses.find_counts``)."""
        for pos, value, rule in find_counts(self.text, h.sent):
            ev = h.nearest(pos) if h.focus else h.implicit
            if ev is None:
                continue
            if any(f.subject == ev.iri and f.predicate == CG.participantCount for f in self.out.facts):
                continue
            self.add(ev, CG.participantCount, Literal(value, datatype=XSD.integer), h.sent, rule, 0.8)

    def _facilitators(self, h: _Here) -> None:
        """"led/facilitated/moderated by X", "X led the training", "the trainer was X"."""
        text, sent, s_text, ms = self.text, h.sent, h.s_text, self.ms
        for m in [*_BY_FACILITATOR.finditer(s_text), *_IN_HANDS_OF.finditer(s_text)]:
            pos = sent.start + m.start()
            ev = _event_before(pos, h.introduced, h.referenced, self._recent(h), s_text, sent)
            if ev is None:
                continue
            if _FACILITATORS_RE1.search(s_text[:m.start()]) and not ev.planned:
                continue   # "which will be led by": not this event
            people = [x for x in h.mentions if x.start >= sent.start + m.end() and ms.cls_of(x.iri) == SDO.Person]
            chain = _people_chain(text, sent.start + m.end(), people)
            for p in chain:
                self.add(ev, CG.facilitator, p.iri, sent, "facilitator-by", 0.85)
            if not chain and m.group().startswith(("run", "delivered", "conducted")) \
                    and not _project_between(ms, text, sent, ev, h.referenced, pos):
                for o in read_list(ms, text, sent.start + m.end(), sent.end, ORG_KINDS):
                    self.add(ev, SDO.organizer, o.iri, sent, "organizer-by", 0.8)
        for m in _FACILITATOR_VERB.finditer(s_text) if _FACILITATOR_VERB_GATE.possible(s_text) else ():
            ev = _event_before(sent.start + m.end(), h.introduced, h.referenced, self._recent(h), s_text, sent,
                               allow_after=True) or self._recent(h)     # "X led the day": the day is the event's
            if ev is None:
                continue
            subjects = clause_subject(ms, text, sent, sent.start + m.start(), {SDO.Person})
            # "thanks to Hiba Naser, who moderated the panel"
            subjects = subjects or [x for x in h.mentions if ms.cls_of(x.iri) == SDO.Person
                                    and _WHO_ALSO.fullmatch(text, x.end, sent.start + m.start())][:1]
            for subj in subjects:
                self.add(ev, CG.facilitator, subj.iri, sent, "facilitator-subject", 0.8)
        for m in _FACILITATORS_RE2.finditer(s_text):
            person = next((x for x in h.mentions if x.start == sent.start + m.end() and ms.cls_of(x.iri) == SDO.Person), None)
            ev = h.nearest(sent.start + m.start()) or h.implicit
            if person is not None and ev is not None:   # "said trainer Dana Kamal"
                self.add(ev, CG.facilitator, person.iri, sent, "facilitator-title", 0.75)
        for m in _FACILITATOR_ROLE.finditer(s_text):
            self._people_after(h, m, CG.facilitator, "facilitator-role", 0.8)

    def _people_after(self, h: _Here, cue: re.Match, predicate: URIRef, method: str,
                      confidence: float) -> None:
        """The people a cue in the sentence introduces ("Trainers included A and B",
        "Speakers: A; B"), each linked to the event the cue is nearest to."""
        ev = h.nearest(h.sent.start + cue.start()) or self._recent(h)
        if ev is None:
            return
        after = h.sent.start + cue.end()
        people = [x for x in h.mentions if x.start >= after and self.ms.cls_of(x.iri) == SDO.Person]
        for person in _people_chain(self.text, after, people):
            self.add(ev, predicate, person.iri, h.sent, method, confidence)

    def _attendees(self, h: _Here) -> None:
        """Organisations whose members attend ("attended by members of X"), named
        participants and speakers; never the organiser."""
        text, sent, s_text, ms = self.text, h.sent, h.s_text, self.ms
        recent = None
        if _ATTENDED.search(s_text) and (h.focus or self._recent(h)):
            recent = self._recent(h)
            for m in _MEMBERS_OF.finditer(s_text):
                ev = h.nearest(sent.start + m.start()) or recent
                if ev is None:
                    continue
                for obj in read_list(ms, text, sent.start + m.end(), sent.end, ORG_KINDS):
                    if obj.iri not in ev.organizers:
                        self.add(ev, SDO.attendee, obj.iri, sent, "attendee-members-of", 0.8)
            for m in _ATTENDED_BY.finditer(s_text):
                ev = h.nearest(sent.start + m.start()) or recent
                if ev is None:
                    continue
                for obj in read_list(ms, text, sent.start + m.end(), sent.end, AGENTS):
                    if obj.iri not in ev.organizers:
                        self.add(ev, SDO.attendee, obj.iri, sent, "attendee-by", 0.8)
            for m in _PEOPLE_ATTENDING.finditer(s_text):
                self._people_after(h, m, SDO.attendee, "attendee-among", 0.75)
        for m in _TOOK_PART.finditer(s_text):
            ev = h.nearest(sent.start + m.start()) or self._recent(h)
            if ev is None:
                continue
            for subj in clause_subject(ms, text, sent, sent.start + m.start(), {SDO.Person}):
                if m.group().startswith(("opened", "closed")) and any(
                        subj.end <= x.start < sent.start + m.start() and x.iri in ev.organizers for x in h.mentions):
                    continue   # "Khalid Omar, the Network's director, opened the conference": the host
                self.add(ev, SDO.attendee, subj.iri, sent, "attendee-subject", 0.75)
            # "said Sheikh X, who attended the festival"
            who = next((x for x in h.mentions if ms.cls_of(x.iri) == SDO.Person and _WHO_ALSO.fullmatch(text[x.end:sent.start + m.start()])), None)
            if who is not None:
                self.add(ev, SDO.attendee, who.iri, sent, "attendee-who", 0.75)

        self._sent_or_came(h)

    def _recent(self, h: _Here) -> Event | None:
        """The event a sentence with no event phrase goes on with: the one it follows in its
        paragraph, or, across the short paragraphs of an interview or a list, the one told
        in the last few sentences."""
        if h.implicit is not None or h.focus:
            return h.implicit
        if h.recent is None:
            h.recent = (self._recent_event(h),)
        return h.recent[0]

    def _recent_event(self, h: _Here) -> Event | None:
        if self.current is not None and h.idx - self.current_idx <= 8 and not any(
                self.current.sentence.start < s < h.sent.start for s, _ in self.heads) and not any(
                self.text[sp.end:sp.end + 1] == "\n" and _is_headline(self.text, sp)
                for sp in self.spans[self.current_idx + 1:h.idx]):
            return self.current      # (a heading in between starts another story)
        return None

    def _sent_or_came(self, h: _Here) -> None:
        """Organisations that came or sent people: "X and Y each sent a delegation", "X came
        with half of its members, and so did Y", "sent delegates, Z among them"."""
        ms, text, sent = self.ms, self.text, h.sent
        if not _SENT_OR_CAME_GATE.possible(h.s_text):
            return
        for m in _SENT_OR_CAME.finditer(h.s_text):
            ev = h.nearest(sent.start + m.start()) or self._recent(h)
            if ev is None or ev.planned and not m.group(1):
                continue
            found = clause_subject(ms, text, sent, sent.start + m.start(), ORG_KINDS)
            tail = _SO_DID.match(h.s_text, m.end())
            if tail:
                found += read_list(ms, text, sent.start + tail.end(), sent.end, ORG_KINDS)[:1]
            among = _AMONG_THEM.match(h.s_text, m.end())
            if among:
                listed = read_list(ms, text, sent.start + among.end(), sent.end, ORG_KINDS)
                rest = h.s_text[listed[-1].end - sent.start:] if listed else ""
                if listed and _AMONG_THEM_END.match(rest):
                    found += listed
            for obj in found:
                if obj.iri not in ev.organizers:
                    self.add(ev, SDO.attendee, obj.iri, sent, "attendee-sent", 0.75)

    def _links(self, h: _Here) -> None:
        """Partners, funders and projects of the events a clause is about."""
        text, sent, s_text, ms = self.text, h.sent, h.s_text, self.ms
        for m in _PARTNER.finditer(s_text):
            ev = _topic_event(ms, text, sent, sent.start + m.start(), h.introduced, h.referenced)
            if ev is None:   # "…, in cooperation with Y, X held a workshop"; "Jointly with Y, X held …"
                ev = next((e for e in h.introduced if e.start > sent.start + m.start()
                           and (_LINKS_RE1.match(s_text[:m.start()][-2:]) or not s_text[:m.start()].strip())), None)
            if ev is None and h.implicit is not None and _CAPTION.match(s_text):
                ev = h.implicit          # "Organised by X in collaboration with Y."
            if ev is None:
                continue
            # "organised by A together with B": B organises too
            co = m.group().startswith(("together", "jointly")) and _LINKS_RE2.search(s_text[:m.start()])
            for obj in read_list(ms, text, sent.start + m.end(), sent.end, ORG_KINDS):
                if co:
                    ev.organizers.append(obj.iri)
                    self.add(ev, SDO.organizer, obj.iri, sent, "organizer-together-with", 0.8)
                elif obj.iri not in ev.organizers:
                    self.add(ev, CG.partner, obj.iri, sent, "event-partner", 0.8)
        for m in _FUNDER.finditer(s_text):
            # "support for the workshop was provided by X": the event is inside the cue
            at = sent.start + (m.end() if _LINKS_RE3.search(m.group()) else m.start())
            evs = _topic_events(ms, text, sent, at, h.introduced, h.referenced)
            funders = read_list(ms, text, sent.start + m.end(), sent.end, ORG_KINDS)
            if not evs and not s_text[:m.start()].strip():
                # "Under the patronage of X, and with …, Y held a seminar": the event that follows
                evs = [e for e in h.introduced if e.start > sent.start + m.end()][:1]
            if not evs and _LINKS_RE4.match(s_text[:m.start()]):
                self.all_funders.extend((obj.iri, sent) for obj in funders)   # "All four were funded by X"
                continue
            if not evs and h.implicit is not None and not any(
                    ms.cls_of(x.iri) in ORG_KINDS | {CG.Project} and x.start < sent.start + m.start() for x in h.mentions) \
                    and not _LINKS_RE5.search(s_text[:m.start()]):
                evs = [h.implicit]      # "The trophies were paid for with a grant from X"
            for ev in evs:
                for obj in funders:
                    self.add(ev, SDO.funder, obj.iri, sent, "event-funder", 0.8)
        for m in _PART_OF.finditer(s_text):
            end = sent.start + m.end()
            proj = [x for x in h.mentions if end <= x.start <= end + 2 and ms.cls_of(x.iri) == CG.Project]
            if not proj and _THE_PROJECT.match(s_text, m.start()):
                named = {x.iri: x for x in self.ms.sorted() if x.end <= end and ms.cls_of(x.iri) == CG.Project}
                proj = list(named.values())[-1:] if len(named) == 1 else []   # only when one project is named
            if not proj:
                continue
            evs = _topic_events(ms, text, sent, sent.start + m.start(), h.introduced, h.referenced)
            if not evs and _LINKS_RE6.match(s_text) and self.current is not None:
                evs = [self.current]
            if not evs and not s_text[:m.start()].strip():
                evs = [e for e in h.introduced if e.start > proj[0].end]   # "Within the X project, Y held a …"
            for ev in evs:
                self.add(ev, CG.partOfProject, proj[0].iri, sent, "event-part-of", 0.85)

    def _move_on(self, h: _Here) -> None:
        """"X organised four events" names the organiser of the events that follow; the
        last event a sentence named is the one the next sentences go on about."""
        ann = _MOVE_ON_RE1.search(h.s_text)
        if ann and not h.introduced:
            self.announced_organizer = [x.iri for x in clause_subject(self.ms, self.text, h.sent, h.sent.start + ann.start())]
        if h.introduced:
            self.current = h.introduced[-1]
            self.current_idx = h.idx
        elif h.referenced:
            self.current = h.referenced[-1][1]
            self.current.paragraph = h.para
            self.current_idx = h.idx

    def _finish(self) -> EventFacts:
        out = self.out
        for ev in out.events:
            if not ev.organizers and ev.of_org is not None:
                ev.organizers.append(ev.of_org)
                self.add(ev, SDO.organizer, ev.of_org, ev.sentence, "organizer-of", 0.7)
            if not ev.organizers and self.announced_organizer:
                for org in self.announced_organizer:
                    ev.organizers.append(org)
                    self.add(ev, SDO.organizer, org, ev.sentence, "organizer-announced", 0.65)
            for org, sent in self.all_funders:
                self.add(ev, SDO.funder, org, sent, "event-funder-all", 0.65)
            label = ev.title or _event_label(ev, self.ms, self.text)
            names = {ev.title} if ev.title else set()
            if ev.title and ":" in ev.title:
                names.add(ev.title.split(":")[0].strip())
            out.entities.append(Entity(ev.iri, ev.cls, label, names, known=False))
            out.facts.insert(0, Fact(ev.iri, RDF.type, SDO.Event, ev.sentence, "event-trigger", 0.85))
            if ev.cls != SDO.Event:
                out.facts.insert(1, Fact(ev.iri, RDF.type, ev.cls, ev.sentence, "event-type", 0.8))
        return out


def find_events(text: str, title: str | None, spans: list[Span], ms: Mentions, base: str,
                report_slug: str, year: int | None, dateline: Span | None = None,
                self_org: URIRef | None = None) -> EventFacts:
    """The events of a report with their facts. ``year`` dates a day and month (the
    dateline's year); ``self_org`` is the organisation the report speaks for (from its
    signature), which "we" and "our forum" refer to."""
    return _EventReader(text, title, spans, ms, base, report_slug, year, dateline, self_org).read()



_IS_DATELINE_DATE_RE1 = re.compile(r"\s*(?:[-*•]\s*)?(?:(?:Published|Posted|Updated|Date)(?:\s+on)?[:\s]+|"
                        r"[A-Z][\w'’\-]*(?:[ ,]+[A-Z][\w'’\-]*){0,2}\s*[,\-–—:(|]\s*)?")
_BULLET_DATE = re.compile(r"\s*[-*•]\s*")
_ITEM_AFTER_DATE = re.compile(r"\s*[—–-]\s+[A-Za-z]")
# a line that is a year alone ("**2013**", "## 2014"): the year of the dated items under it
_YEAR_HEADING = re.compile(r"^[#*_ \t]*((?:19|20)\d\d)[*_ \t]*$", re.M)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_BULLET_ITEM = re.compile(r"\s*:\s+[^\n]{0,40}?\b(?:held|organi[sz]ed|took place|hosted|launched|ran|staged|convened|met)\b")
_IS_DATELINE_DATE_RE2 = re.compile(r"\s*(?:[,\-–—:|)]|$|\n)")
_IS_DATELINE_DATE_RE3 = re.compile(r"\s*(?:[,\-–—:|.)]|$)")


def _under_year_headings(text: str, dates: list[DateMention]) -> list[tuple[DateMention, bool]]:
    """A chronology gives the year once, as a heading over its items: "**2013**" then
    "- 26–28 September — …". A day and month under such a heading take its year, and
    are the dates of its items (never a dateline). Each date comes with whether it is one."""
    if not any(w in text for w in ("\n19", "\n20", "*19", "*20", "# 19", "# 20")) or not _YEAR_HEADING.search(text):
        return [(d, False) for d in dates]
    heads = [(m.start(), m.group(1)) for m in _YEAR_HEADING.finditer(text)]
    out = []
    for d in dates:
        year = next((y for at, y in reversed(heads) if at < d.start), None)
        if year is None or _YEAR.search(text, d.start, d.end) or len(d.first) not in (7, 10):
            out.append((d, False))
            continue
        last = year + d.last[-6:] if d.last and len(d.last) in (7, 10) else d.last
        out.append((DateMention(d.start, d.end, year + d.first[-6:], last), True))
    return out


def _is_dateline_date(text: str, d: DateMention) -> bool:
    """A date that opens a line as a dateline ("Baghdad, 22 September 2019 –"): the
    report's date, not an event's."""
    line_start = text.rfind("\n", 0, d.start) + 1
    head = text[line_start:d.start]
    if not _IS_DATELINE_DATE_RE1.fullmatch(head):
        return False
    after = text[d.end:d.end + 3]
    if _BULLET_DATE.fullmatch(head) and _ITEM_AFTER_DATE.match(text, d.end):
        return False   # "- 26–28 September — First Iraqi Social Forum": a dated item of a chronology
    if (not head.strip() or _BULLET_DATE.fullmatch(head)) and _BULLET_ITEM.match(text, d.end) \
            and not _YEAR.search(text, d.start, d.end):
        return False   # "- 2 May: the Forum held …": an item of a list of dated activities
    if not head.strip():   # a bare date opening a line: a dateline only when it stands alone or leads "–", ","
        return bool(_IS_DATELINE_DATE_RE2.match(after))
    return bool(_IS_DATELINE_DATE_RE3.match(after))


_SHEET_KEYS = [
    ("title", r"activity|event|title|activity title|name of (?:the )?(?:activity|event)|topic|what"),
    ("date", r"dates?|when|date\(s\)|date of (?:the )?(?:meeting|event|activity|training|workshop)"),
    ("venue", r"venue|location|place|where"),
    ("count", r"number of participants|no\.? of participants|beneficiaries"),
    ("attendee", r"participants|attendance|attendees|present(?:\s*\(\d+\))?|in attendance|"
                 r"(?:participants|attendees) (?:included|were)"),
    ("organizer", r"organi[sz]ers?|organi[sz]ed by|organi[sz]ing (?:organi[sz]ation|body)|host|hosted by|"
                  r"(?:meeting\s+)?(?:called|convened) by"),
    ("implementer", r"implementers?|implemented by|implementing (?:organi[sz]ation|partner|agency)s?"),
    ("facilitator", r"trainers?|facilitators?|facilitation|moderators?|moderation|led by|facilitated by|chair|chaired by|"
                    r"chairperson|moderated by"),
    ("funder", r"funded by|donors?|funders?|sponsors?|sponsored by|supported by|with the support of"),
    ("partner", r"partners?|in partnership with|in cooperation with|in collaboration with"),
    ("project", r"project|programme|program|carried out under|part of|under"),
]
_PEOPLE_ITEM = re.compile(r"(?:(?!\s+and\s)[^,;&])+")
_SHEET_KEY_RES = [(k, re.compile(p, re.I)) for k, p in _SHEET_KEYS]
# "Venue: …", "- Venue: …", and in Markdown "**Venue:** …" or "**Venue**: …"
_SHEET_LINE = re.compile(r"^[ \t]*(?:[-*•][ \t]*)?(?:\*\*|__)?(" + "|".join(p for _, p in _SHEET_KEYS) +
                         r")(?:\*\*|__)?[ \t]*:[ \t]*(?:\*\*|__)?[ \t]*(\S.*)$", re.I | re.M)


_READ_FACT_SHEET_RE1 = re.compile(r"\n[ \t]*\n")
_READ_FACT_SHEET_RE2 = re.compile(r"[ \t]*(?:[-*•][ \t]*)?(?:\*\*|__)?[A-Z][\w ()/']{0,30}(?:\*\*|__)?:")
_READ_FACT_SHEET_RE3 = re.compile(r"(?<=[a-z)])\.\s+(?=[A-Z])")
_VALUES_RE1 = re.compile(r"\([^)]*\)")
_VALUES_RE2 = re.compile(r"[^,;&]+")
_VALUES_RE3 = re.compile(r"\s*(?:a|an|the|one|which|who)\s+[a-z]")
_VALUES_RE4 = re.compile(r"^(?:and|the)\s+")
_READ_FACT_SHEET_RE4 = re.compile(r"\((\d+)\)")
_READ_FACT_SHEET_RE5 = re.compile(r"\s*(\d+)\b")
_READ_FACT_SHEET_RE6 = re.compile(rf"\s*({NUMBER})\b(?!\s*%)", re.I)
_READ_FACT_SHEET_RE7 = re.compile(r"\s*(?:some|about|around|over|more|nearly|almost|approximately|up to)\b", re.I)
_READ_FACT_SHEET_RE8 = re.compile(r"\s*\d")


def _field_entities(ms: Mentions, fields: dict, more: dict, key: str, kinds: set[URIRef],
                    make: URIRef | None = None) -> list[URIRef]:
    """The entities a field names, item by item; an unknown name becomes a new entity."""
    if key not in fields:
        return []
    out = []
    for s0, _, raw in [fields[key]] + more.get(key, []):
        out.extend(_field_values(ms, s0, raw, kinds, make))
    return list(dict.fromkeys(out))

def _field_values(ms: Mentions, s0: int, raw: str, kinds: set[URIRef], make: URIRef | None) -> list[URIRef]:
    """The entities one field line names, item by item."""
    raw = _VALUES_RE1.sub(lambda p: " " * len(p.group()), raw)   # "Layla Yousif (UPP)": not a second name
    out = []
    # people are listed with "and" too ("Facilitated by: A and B"); an organisation's name may hold "and"
    for part in (_PEOPLE_ITEM if make == SDO.Person else _VALUES_RE2).finditer(raw):
        if _VALUES_RE3.match(part.group()):
            break   # "Ninewa Peace Forum, a local forum of the ISF": an apposition, not a second name
        ps, pe = s0 + part.start(), s0 + part.end()
        name = part.group().strip(" .")
        name = _VALUES_RE4.sub("", name)
        inside = [m for m in ms.sorted() if ps <= m.start < pe and (
            ms.cls_of(m.iri) in kinds or make == SDO.Place and _is_place(ms, m))]   # "Venue: Kut Cultural Centre"
        covered = any(m.start <= ps + part.group().find(name) and m.end >= ps + part.group().find(name) + len(name) for m in inside)
        if inside and (covered or make is None):
            out.extend(m.iri for m in inside)
        elif make is not None and name and name[0].isupper() and len(name) > 2 and not inside:
            known = ms.aliases.get(name) or (ms.gazetteer.lookup(name).iri if ms.gazetteer.lookup(name) else None)
            if known is not None and ms.cls_of(known) not in kinds:
                continue
            out.append(ms.entity(name, make, "fact-sheet").iri)
        elif inside:
            out.extend(m.iri for m in inside)
            if make == SDO.Place and name and name[0].isupper() and name.split()[-1] in PLACE_HEADS \
                    and name.split()[-1] not in {"District", "Province", "Governorate"}:
                out.append(ms.entity(name, make, "fact-sheet").iri)   # "Hillah Cultural Palace"
    return out


def _project_sheet(text: str, ms: Mentions, fields: dict, more: dict):
    """A project's fact sheet ("Project: X", "Implementing partner: Y", "Donor: Z") with
    no activity of its own: the fields are facts about the project."""
    start = min(v[0] for v in fields.values())
    end = max(v[1] for v in fields.values())
    block = Span(text.rfind("\n", 0, start) + 1, end)
    projects = _field_entities(ms, fields, more, "project", {CG.Project}, CG.Project)[:1]
    facts: list[Fact] = []
    for key, pred, method in (("implementer", CG.implementedBy, "sheet-project-implementer"),
                              ("funder", SDO.funder, "sheet-project-funder"),
                              ("partner", CG.partner, "sheet-project-partner")):
        for org in _field_entities(ms, fields, more, key, ORG_KINDS, ORG.Organization):
            facts.extend(Fact(proj, pred, org, block, method, 0.75) for proj in projects)
    return None, facts, block


def read_fact_sheet(text: str, ms: Mentions, year: int | None, new_event_fn):
    """An activity report's fact sheet ("Date: 12-14 March 2019", "Venue: …",
    "Organiser: …", "Trainer: …"): one event, its facts read field by field."""
    fields: dict[str, tuple[int, int, str]] = {}
    more: dict[str, list[tuple[int, int, str]]] = {}     # "Trainer: A" then "Moderator: B"
    last_end = None
    for m in _SHEET_LINE.finditer(text):
        gap = text[last_end:m.start()] if last_end is not None else ""
        # a blank line ends a block, unless all that comes between is more fields
        # (Markdown writes "**What:** …", "**Where:** …" as paragraphs of their own)
        if last_end is not None and _READ_FACT_SHEET_RE1.search(gap) and any(
                line.strip() and not _READ_FACT_SHEET_RE2.match(line)
                for line in gap.split("\n")):
            if len(fields) >= 3:
                break
            fields, more = {}, {}
        key = next(k for k, p in _SHEET_KEY_RES if p.fullmatch(m.group(1)))
        value = _READ_FACT_SHEET_RE3.split(m.group(2))[0]   # "Samawah. Meals are covered."
        if key in fields:
            more.setdefault(key, []).append((m.start(2), m.start(2) + len(value), value.strip()))
        fields.setdefault(key, (m.start(2), m.start(2) + len(value), value.strip()))
        last_end = m.end()
    if "project" in fields and {"implementer", "funder", "partner"} & set(fields) and not {"date", "title"} & set(fields):
        return _project_sheet(text, ms, fields, more)
    if len(fields) < 2 or not ({"date", "title"} & set(fields)) or not (
            {"venue", "organizer", "count", "facilitator", "attendee"} & set(fields)):
        return None
    if len(fields) == 2 and not TRIGGER.search(text[max(0, min(v[0] for v in fields.values()) - 300):
                                                    min(v[0] for v in fields.values())].lower()):
        return None   # two fields ("Date: …", "Venue: …") make an event only under its name
    start = min(v[0] for v in fields.values())
    end = max(v[1] for v in fields.values())
    block = Span(text.rfind("\n", 0, start) + 1, end)
    title = fields.get("title", (0, 0, ""))[2]
    t = TRIGGER.search(title.lower()) if title else None
    if t is None:   # "MINUTES OF THE COORDINATION MEETING" above the fields, or the text below
        t = TRIGGER.search(text[max(0, block.start - 300):block.start].lower()) or TRIGGER.search(text[end:end + 400])
    cls = trigger_type(t.group(1)) if t else SDO.Event
    ev = new_event_fn(cls, start, block, title or None)
    facts: list[Fact] = []

    def add(pred: URIRef, obj, method: str) -> None:
        facts.append(Fact(ev.iri, pred, obj, block, method, 0.8))

    def values(key: str, kinds: set[URIRef], make: URIRef | None = None) -> list[URIRef]:
        return _field_entities(ms, fields, more, key, kinds, make)

    if "date" in fields:
        found = find_dates(fields["date"][2], year)
        if found:
            ev.date = found[0]
            add(SDO.startDate, _date_lit(found[0].first), "sheet-date")
            if found[0].last:
                add(SDO.endDate, _date_lit(found[0].last), "sheet-date")
    for place in values("venue", {SDO.Place}, SDO.Place):
        ev.places.append(place)
        add(SDO.location, place, "sheet-venue")
    if "count" not in fields and "attendee" in fields:
        counted = _READ_FACT_SHEET_RE4.search(text[text.rfind("\n", 0, fields["attendee"][0]):fields["attendee"][0]])
        plain = _READ_FACT_SHEET_RE5.match(fields["attendee"][2])
        if counted or plain:     # "Present (6): …", "Participants: 24 (13 women, 11 men)"
            fields["count"] = (0, 0, (counted or plain).group(1))
    if "count" in fields:
        c = _READ_FACT_SHEET_RE6.match(fields["count"][2])
        if c and not _READ_FACT_SHEET_RE7.match(fields["count"][2]):
            value = number_value(c.group(1))
            if value and value > 1:
                add(CG.participantCount, Literal(value, datatype=XSD.integer), "sheet-count")
    for org in values("organizer", ORG_KINDS, ORG.Organization):
        ev.organizers.append(org)
        add(SDO.organizer, org, "sheet-organizer")
    for person in values("facilitator", {SDO.Person}, SDO.Person):
        add(CG.facilitator, person, "sheet-facilitator")
    projects = values("project", {CG.Project}, CG.Project)
    # "Project: X / Donor: Y" above the activity's own fields: Y funds the project
    project_head = projects and "funder" in fields and "title" in fields and fields["funder"][0] < fields["title"][0]
    for org in values("funder", ORG_KINDS, ORG.Organization):
        if project_head:
            facts.append(Fact(projects[0], SDO.funder, org, block, "sheet-project-funder", 0.75))
        else:
            add(SDO.funder, org, "sheet-funder")
    for org in values("implementer", ORG_KINDS, ORG.Organization):
        if projects:
            facts.append(Fact(projects[0], CG.implementedBy, org, block, "sheet-project-implementer", 0.75))
        else:
            ev.organizers.append(org)
            add(SDO.organizer, org, "sheet-organizer")
    for org in values("partner", ORG_KINDS, ORG.Organization):
        add(CG.partner, org, "sheet-partner")
    if "attendee" in fields and not _READ_FACT_SHEET_RE8.match(fields["attendee"][2]):
        facilitators = {f.object for f in facts if f.predicate == CG.facilitator}
        for person in values("attendee", {SDO.Person}, SDO.Person):
            if person not in facilitators:
                add(SDO.attendee, person, "sheet-attendee")
    for proj in projects[:1]:
        add(CG.partOfProject, proj, "sheet-project")
    return ev, facts, block


_SUBJECT_BEFORE_RE1 = re.compile(r"\s*(?:The\s+)?")


def _subject_before(ms: Mentions, text: str, spans: list[Span], idx: int) -> URIRef | None:
    """The organisation that "it" stands for: the one that opens the nearest sentence
    before (within three) that opens with one."""
    for sent in reversed(spans[max(0, idx - 3):idx]):
        first = next((m for m in ms.within(sent) if ms.cls_of(m.iri) in ORG_KINDS), None)
        if first is not None and _SUBJECT_BEFORE_RE1.fullmatch(text[sent.start:first.start]):
            return first.iri
    return None


_STRIP_THE_RE1 = re.compile(r"^(?:The|the)\s+")


def _strip_the(name: str) -> str:
    return _STRIP_THE_RE1.sub("", name.strip())


def _anchor(ev: Event, referenced: list[tuple[int, Event]]) -> int:
    refs = [p for p, e in referenced if e is ev]
    return refs[-1] if refs else ev.start


def _project_between(ms: Mentions, text: str, sent: Span, ev: Event,
                     referenced: list[tuple[int, Event]], pos: int) -> bool:
    """Whether a project comes between an event and a cue: "the workshop is part of the X
    project, which is implemented by Y" says nothing of the workshop's organiser."""
    anchor = max([p for p, e in referenced if e is ev and p <= pos] + [ev.start if ev.start <= pos else sent.start])
    if _LINKS_RE5.search(text[anchor:pos]):
        return True
    return any(anchor < m.start < pos and ms.cls_of(m.iri) == CG.Project for m in ms.within(sent))


_EVENT_BEFORE_RE1 = re.compile(r"\s*(?:[A-Z]{1,3}:\s+)?(?:It|This|They|The\s+(?:sessions?|event|activity))\b")
_EVENT_BEFORE_RE2 = re.compile(r"\s*(?:[A-Z]{1,3}:\s+)?(?:(?:The|Its|Their|Our|All|Both)\s+)?(?:[\w\-]+\s+)?(?:sessions?|trainers?|working groups?|"
                               r"panels?|discussions?|debates?|exercises|lectures?|classes|lessons|evening|morning|"
                               r"afternoon|day|programme|proceedings|activities|talks?)\b", re.I)


def _event_before(pos: int, introduced: list[Event], referenced: list[tuple[int, Event]],
                  implicit: Event | None, s_text: str, sent: Span, allow_after: bool = False) -> Event | None:
    """The event a "… by X" phrase at ``pos`` belongs to: the nearest trigger before it."""
    pool = [(e.start, e) for e in introduced] + referenced
    before = [(p, e) for p, e in pool if p <= pos]
    if before:
        return max(before, key=lambda pe: pe[0])[1]
    if allow_after and pool:
        return min(pool, key=lambda pe: pe[0])[1]
    if _EVENT_BEFORE_RE1.match(s_text) or (implicit and all(e is implicit for _, e in pool)
                                           and _EVENT_BEFORE_RE2.match(s_text)):
        return implicit
    if implicit is not None and not pool and pos - sent.start <= 2:
        return implicit      # a caption: "Organised by X.", "Moderated by Y."
    return None


_TOPIC_EVENTS_RE1 = re.compile(r"\b(?:project|programme|program)\b,?\s+(?:which|that)\b")
_TOPIC_EVENTS_RE2 = re.compile(r"\bwhich|\bwho\b")
_TOPIC_EVENTS_RE3 = re.compile(r"\b(?:training|workshop|campaign|festival|meeting|conference|race|event)\b,?\s+which")
_TOPIC_EVENTS_RE4 = re.compile(r"[\w\-]+\s*(?:,|and|, and)\s+(?:the\s+)?")


def _topic_events(ms: Mentions, text: str, sent: Span, pos: int, introduced: list[Event],
                  referenced: list[tuple[int, Event]]) -> list[Event]:
    """The events a cue at ``pos`` is about: the event phrase(s) the clause opens with,
    unless a project or an organisation comes between as the topic."""
    pool = sorted([(e.start, e) for e in introduced] + referenced, key=lambda pe: pe[0])
    before = [(p, e) for p, e in pool if p <= pos]
    if not before:
        return []
    last_pos, last = before[-1]
    between = [m for m in ms.within(sent) if last_pos < m.start < pos
                and ms.cls_of(m.iri) == CG.Project]
    if between or _TOPIC_EVENTS_RE1.search(text[last_pos:pos]):
        return []
    if _TOPIC_EVENTS_RE2.search(text[last_pos:pos]) and not _TOPIC_EVENTS_RE3.search(text[last_pos:pos]):
        return []
    out = [last]
    if len(before) >= 2:
        p_prev, e_prev = before[-2]
        if _TOPIC_EVENTS_RE4.fullmatch(text[p_prev:last_pos]):
            out.insert(0, e_prev)
    return list(dict.fromkeys(out))


def _topic_event(ms, text, sent, pos, introduced, referenced) -> Event | None:
    evs = _topic_events(ms, text, sent, pos, introduced, referenced)
    if not evs:
        return None
    # an organisation named as the subject between the event and the cue takes the cue
    # ("The Forum, which ran the training, works in cooperation with …")
    return evs[-1]


_PEOPLE_CHAIN_RE1 = re.compile(r",?\s+(?:assisted|supported|helped|seconded) by\s+(?:(?:Dr|Mr|Mrs|Ms|Prof|Professor|Eng)\.?\s+)?|"
                              r"(?:(?:,|\s+of\s|\s+from\s)[^.;]{0,120}?)?(?:,\s*|\s+)and\s+(?:by\s+)?(?:the\s+)?"
                              r"(?:[a-z][\w\-]*\s+){0,3}(?:(?:Dr|Mr|Mrs|Ms|Prof|Professor|Eng)\.?\s+)?|,\s+|"
                              # "Speakers: A (X); B (Y); Dr. C (Z)"
                              r"\s*(?:\([^()]{0,100}\)\s*)?[;,]\s*(?:and\s+)?(?:(?:Dr|Mr|Mrs|Ms|Prof|Professor|Eng)\.?\s+)?|"
                              r"\s*\([^()]{0,100}\)\s+and\s+(?:(?:Dr|Mr|Mrs|Ms|Prof|Professor|Eng)\.?\s+)?")
# "facilitated by two trainers from Un Ponte Per, A and B"
_PEOPLE_FROM_ORG = re.compile(r"(?:the\s+)?(?:[a-z][\w\-]*\s+){0,2}(?:trainers|facilitators|experts|moderators|speakers)\s+"
                              r"(?:from|of)\s+(?:the\s+)?[A-Z][^,;.:()]{1,60}(?:\s*\([^()]{1,20}\))?,\s+"
                              r"(?:(?:Dr|Mr|Mrs|Ms|Prof|Professor|Eng)\.?\s+)?")
_PEOPLE_CHAIN_RE2 = re.compile(r"(?:the\s+)?(?:(?!and\b)[a-z][\w\-]*\s+){0,3}(?:(?:Dr|Mr|Mrs|Ms|Prof|Professor|Eng)\.?\s+)?")


def _people_chain(text: str, pos: int, people: list[Mention]) -> list[Mention]:
    """People listed from ``pos``: "X", "X and Y", "X, a journalist, and by Y"."""
    out: list[Mention] = []
    p = pos
    for person in people:
        gap = text[p:person.start]
        if out:
            ok = _PEOPLE_CHAIN_RE1.fullmatch(gap)
        else:
            ok = _PEOPLE_CHAIN_RE2.fullmatch(gap) or _PEOPLE_FROM_ORG.fullmatch(gap)
        if not ok:
            break
        out.append(person)
        p = person.end
    return out


def _generic_ref(ms: Mentions, events: list[Event], ev: Event, pos: int) -> URIRef | None:
    """"the group", "the organisation": the organiser of the last event, or else the
    organisation last named."""
    for other in reversed(events):
        if other is not ev and other.organizers:
            return other.organizers[-1]
    orgs = [m for m in ms.sorted() if m.end <= pos and ms.cls_of(m.iri) in ORG_KINDS]
    return orgs[-1].iri if orgs else None


_ACCEPTED_PLACES_RE1 = re.compile(r"(?:based\s+in|-based|from|of)\s+(?:the\s+)?$")
_ACCEPTED_PLACES_RE2 = re.compile(r"\bfrom\s+(?:across|around|all over|throughout|all parts of)\s+(?:the\s+)?$")
_ACCEPTED_PLACES_RE3 = re.compile(r"['’]s\s+|,\s+|\s+and\s+|\s+in\s+(?:the\s+)?(?:city\s+of\s+)?")
_ACCEPTED_PLACES_RE4 = re.compile(r"\bbased\s+in\s+$")
_PLACE_OF_PLACE = re.compile(r"\s+(?:district|sub-district|province|governorate|region|area|neighbourhood)\s+of\s+(?:the\s+)?")


def _accepted_places(ms: Mentions, text: str, sent: Span, sent_mentions: list[Mention]) -> list[Mention]:
    """The places of a sentence that stand where an event's place stands: after "in",
    "at", "in the city of", "in front of", or chained to one ("in Basra's Ashar
    district", "at the Uruk Hotel in Baghdad"); never after "from" or "based in"."""
    accepted: list[Mention] = []
    for pm in sent_mentions:
        if not _is_place(ms, pm):
            continue
        left = text[max(sent.start, pm.start - 70):pm.start]
        if any(_PLACE_OF_PLACE.fullmatch(text[a.end:pm.start]) for a in accepted):
            accepted.append(pm)    # "in the Hawija district of Kirkuk governorate": both
            continue
        if _ACCEPTED_PLACES_RE1.search(left) and not _LOC_BEFORE.search(left):
            continue
        if _ACCEPTED_PLACES_RE2.search(left):
            continue
        if _LOC_BEFORE.search(left) or _scene_place(text, sent, pm) or any(
                _ACCEPTED_PLACES_RE3.fullmatch(text[a.end:pm.start]) for a in accepted):
            if _ACCEPTED_PLACES_RE4.search(left):
                continue
            accepted.append(pm)
    return accepted


_SCENE_PLACE_RE1 = re.compile(r"(?:(?:On|Last|This)\s+[^,.;]{0,40}?\s+)?(?:[Ii]n|[Aa]t)\s+(?:the\s+(?:city|town|village|"
                             r"district|province|governorate)\s+of\s+)?")
_SCENE_PLACE_RE2 = re.compile(r"(?:\s*,\s*[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*)*)?\s*,")


def _scene_place(text: str, sent: Span, pm: Mention) -> bool:
    """A place that sets the scene of the whole sentence: "In Kut, the Forum held …",
    "On 3 May in Kut, …" (the sentence opens with it, and a comma closes it)."""
    head = text[sent.start:pm.start]
    return bool(_SCENE_PLACE_RE1.fullmatch(head)
                and _SCENE_PLACE_RE2.match(text[pm.end:sent.end]))


def _is_place(ms: Mentions, m: Mention) -> bool:
    ent = ms.entities.get(m.iri)
    if ent is None:
        return False
    if ent.cls == SDO.Place:
        return True
    words = ent.label.split()
    return bool(words) and (words[-1] in PLACE_HEADS or words[0] in {"University"} or
                            words[-1] in {"University", "Centre", "Center", "College", "School"})


def _date_lit(value: str) -> Literal:
    if value.startswith("--"):
        return Literal(value, datatype=XSD.gMonthDay)
    kind = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}[len(value)]
    return Literal(value, datatype=kind)


def _event_label(ev: Event, ms: Mentions, text: str) -> str:
    label = TYPE_NAMES.get(ev.cls, "Event")
    if ev.places:
        place = ms.entities.get(ev.places[-1] if len(ev.places) == 1 else ev.places[0])
        if place is not None:
            label += f" in {place.label}"
    if ev.date is not None:
        label += f", {ev.date.first.lstrip('-')}"
    return label


__all__ = ["find_events", "Event", "EventFacts", "EVENT_KINDS"]
