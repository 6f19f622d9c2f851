"""Relations between organisations, people, projects and places.

The rules read the shapes in which reports state these relations: memberships ("one of
the local forums of X", "a member of X", "its members include A and B", a signature
"Name, Organisation"), units ("the Forum's media team"), where an organisation is
based ("Baghdad-based", "based in"), and who funds, implements or partners a project
or an organisation ("funded by", "implemented by", "in partnership with"). Facts about
events are left to ``events``: a cue whose topic is an event is not read here.
"""
from __future__ import annotations

import re

from rdflib import URIRef

from civgraph.graph.namespaces import CG, ORG, SDO

from .clauses import clause_subject, read_list
from .events import TRIGGER, _FUNDER, _is_plural
from .mentions import ORG_KINDS, ORG_NOUNS, PERSON_ROLES, Mention, Mentions
from .model import Fact, Span
from .sentences import prefiltered, sentence_at

AGENT_KINDS = ORG_KINDS | {SDO.Person}
_MEMBER_CUE = prefiltered(
     r"\b(?:(?:a|an|the)\s+)?(?:founding\s+|full\s+|active\s+|associate\s+|longtime\s+|long-time\s+)?"
     r"members?(?:\s+organi[sz]ations?)?\s+of\s+|"
     r"\bone of (?:the|its|their)\s+(?:[\w\-]+\s+){0,2}?(?:forums|members|member organi[sz]ations|"
     r"organi[sz]ations|founders|founding members|networks|groups|associations|coordinators|"
     r"directors|trainers|organi[sz]ers|leaders|volunteers|staff|activists)\s+"
     r"(?:of|in|within)\s+|"
     rf"\b(?i:{PERSON_ROLES})s?(?:\s+(?:in|of|for)\s+[a-z]+(?:\s+[a-z]+)?)?\s+(?:of|at|from|with)\s+|"
     r"\bwithin the (?:space|framework|umbrella|network) of\s+|"
     r"\b(?:is|are|was|were|became)\s+(?:also\s+|now\s+)?(?:a\s+)?part of\s+|"
     r"\b(?:belongs|belonged) to\s+|\baffiliated (?:with|to)\s+|"
     r"\bwho\s+(?:teaches|works|lectures|volunteers|studies)(?:\s+[a-z]+){0,3}?\s+(?:at|for|with)\s+|"
     r"\bwho\s+(?:also\s+)?(?:coordinates|directs|heads|leads|chairs|manages|runs|founded|co-founded|represents)\s+|"
     r"\b(?:works|worked|working|volunteers|volunteered)\s+(?:for|with|at)\s+")
_SUBJECT_GAPS = [
    re.compile(r"\s*(?:\([^)]*\))?,\s*(?:(?:a|an|the)\s+)?(?:[\w\-]+\s+){0,3}?"),                  # "X, a member of"
    re.compile(r"\s*,\s*"),                                                                      # "X, who works at"
    re.compile(r"\s*(?:\([^)]*\))?,\s*(?:a|an|the)\s+[^,;()]*?\s+and\s+(?:(?:a|an|also)\s+)?"),   # "X, a group based in Y and a member of"
    re.compile(r"\s*(?:\([^)]*\))?,\s*(?:a|an|the)\s+[^,;()]*?\b(?:that|which|who)\s+(?:is|was|are|has been)\s+(?:also\s+)?"),
    re.compile(r"\s*(?:\([^)]*\))?,\s*(?:a|an|the)\s+[^;()]*?,\s+(?:is|are|was|were|has been|became|remains)\s+"
               r"(?:also\s+|now\s+|still\s+)?(?:(?:a|an|the)\s+)?"),                                  # "X, a group …, is a member of"
    re.compile(r"\s*(?:\([^)]*\))?\s+(?:[^,;()]{0,40}?\s+)?(?:is|are|was|were|has been|have been|became|remains|"
               r"is now|was already)\s+(?:also\s+|now\s+|still\s+|already\s+)?(?:(?:a|an|the)\s+)?"),
    re.compile(r"\s*(?:\([^)]*\))?\s+(?:[^,;()]{0,40}?\s+)?(?:works|worked|operates|was founded|was set up|"
               r"was established|was created|is active|has worked)\s*"),
    # "X was admitted as a member of Y"
    re.compile(r"\s*(?:\([^)]*\))?\s+(?:was|were|has been|have been|is)\s+(?:formally\s+|officially\s+|also\s+)?"
               r"(?:admitted|accepted|welcomed|registered|recogni[sz]ed|confirmed|elected)\s+as\s+"),
    # "X is a Baghdad-based network of youth groups and one of the local forums of Y"
    re.compile(r"\s*(?:\([^)]*\))?\s+(?:is|was|are|were|remains|became)\s+(?:a|an|the)\s+[^,;()]*?\s+and\s+(?:also\s+)?"),
    # "the Forum, since its founding as one of the local forums of Y"
    re.compile(r"\s*,\s+(?:since|from|after|at)\s+(?:its|their)\s+(?:founding|foundation|creation|establishment|launch)\s+as\s+"),
]
# "together with" joins the authors of a statement as often as partners: not read here
_ORG_PARTNER = prefiltered(r"\b(?:in (?:close )?(?:cooperation|collaboration|partnership|coordination) with|"
                           r"with the participation of|jointly with)\s+")
# "X was founded in 2018 and is part of Y": when the cue itself holds the verb
_FOUNDED_AND = re.compile(r"\s*(?:\([^)]*\))?\s+(?:(?:was|were)\s+(?:founded|established|created|set up|formed)\b"
                          r"[^,;()]{0,40}?\s+and\s+)?")
_VERB_CUE = re.compile(r"(?:is|are|was|were|became|belongs|belonged|affiliated)\b")
_BASED = prefiltered(r"\b(?:based|headquartered|located)\s+in\s+")
# "The group is part of …": the organisation the text is about, named by a common noun
_GENERIC_SUBJECT = (r"The\s+(?:new\s+)?(?:group|organi[sz]ation|network|association|team|initiative|collective|"
                    r"platform|forum|coalition|society|club|centre|center|foundation|union|NGO)")
_IMPLEMENTER = prefiltered(r"\b(?:implemented|carried out|managed|executed|run|led|coordinated|operated)\s+(?:jointly\s+)?by\s+")
# "UPP is implementing the X project", "Nakheel runs the Green Shatt project": the subject implements it
_IMPLEMENTS = prefiltered(r"\b(?:implements|implementing|implemented|runs|running|ran|manages|managing|coordinates|"
                          r"coordinating|carries out|carrying out|carried out|leads|leading)\s+"
                          r"(?:the\s+|its\s+|their\s+)?(?:(?:project|programme|program)\s+)?[\"“]?")
_AUXILIARY = re.compile(r"\b(?:is|are|was|were|has been|have been|had been)\s+(?:also\s+|now\s+|currently\s+)?$")
# "… the X project together with Y": Y implements it too
_TOGETHER_WITH = re.compile(r"(?:[\"”])?(?:\s+(?:project|programme|program))?[\"”]?\s*,?\s+together\s+with\s+(?:the\s+)?")
# "Cinema for Peace is a project of the Samawah Peace Forum"
_PROJECT_OF = re.compile(r"\s+(?:is|was|has been)\s+(?:a|an|the)\s+(?:[a-z\-]+\s+){0,2}(?:project|programme|program)\s+"
                         r"(?:of|by|run by|led by)\s+(?:the\s+)?")
# "its projects include X, implemented together with Y": the owner and Y implement X
_CO_IMPLEMENTER = re.compile(r"\b(?:implemented|carried out|run)\s+(?:together|jointly)\s+with\s+")
# "carried out by A together with B": B implements it too
_ALSO_WITH = re.compile(r"\s*(?:\([^)]*\)\s*)?,?\s+(?:together|jointly)\s+with\s+(?:the\s+)?")
# "X, which UPP runs in partnership with us": the organisation that implements a project,
# named in a relative clause after it
_IMPLEMENT_VERB = (r"(?:implements|implemented|is implementing|runs|ran|is running|carries out|carried out|is carrying out|"
                   r"manages|managed|executes|executed|leads|led|coordinates|coordinated|delivers|delivered)")
_RELATIVE_PROJECT = re.compile(r"[\"”]?(?:\s*\([^()]{1,12}\))?(?:\s+(?:project|programme|program))?[\"”]?\s*,\s+(?:(?:a|an|the)\s+(?:[\w\-]+\s+){0,2}?"
                               r"(?:project|programme|program)\s+)?(?:which|that)\s+(?:the\s+)?")
_RELATIVE_VERB = re.compile(rf"\s+(?:also\s+|now\s+|currently\s+)?{_IMPLEMENT_VERB}\b")
_RELATIVE_WITH = re.compile(r"\s+(?:((?:jointly|together)\s+with)|in\s+(?:partnership|cooperation|collaboration)\s+with)\s+(?:the\s+)?")
# "The Basra Social Forum (BSF) and the Mesopotamia Water Network (MWN) have worked together"
_WORKED_TOGETHER = prefiltered(r"\s+(?:have|has|had)\s+(?:long\s+|already\s+|successfully\s+)?(?:worked\s+together|cooperated|"
                               r"collaborated|partnered|joined forces)\b")
_RELATIVE_US = re.compile(r"us\b")
# "with financing from X", "with a grant from X" inside that clause: its funder
_RELATIVE_FUNDS = re.compile(r"[^.;]{0,60}?\bwith\s+(?:(?:a|the)\s+)?(?:[a-z]+\s+)?(?:financing|funding|grant|money|support)\s+"
                             r"(?:from|of)\s+(?:the\s+)?")
# "which the Network implements jointly with the Forum": partners in the work, both implement
_IMPLEMENTS_BEFORE = re.compile(rf"(?<!\bis\s)(?<!\bwas\s)(?<!\bare\s)(?<!\bwere\s)(?<!\bbeen\s)(?<!\bbe\s)\b{_IMPLEMENT_VERB}\s+$")
# ", and under the patronage of X, the Forum held …": a phrase after ", and" opens the main clause
_AND_PHRASE = re.compile(r",\s+and\s+$")


def subject_before(ms: Mentions, text: str, sent: Span, pos: int,
                   kinds: set[URIRef] = AGENT_KINDS) -> Mention | None:
    """The person or organisation a relation phrase at ``pos`` is said of: named right
    before it, in apposition, or as the subject of "is"."""
    cands = [m for m in ms.within(sent) if m.end <= pos and ms.cls_of(m.iri) in kinds]
    for m in reversed(cands):
        gap = text[m.end:pos]
        if any(g.fullmatch(gap) for g in _SUBJECT_GAPS):
            return m
        if _FOUNDED_AND.fullmatch(gap) and _VERB_CUE.match(text, pos):
            return m
    return None


_FIND_RELATIONS_RE1 = re.compile(r"\s+and\s+(?:also\s+)?of\s+(?:the\s+)?")
_FIND_RELATIONS_RE2 = re.compile(rf"\s*(?i:{PERSON_ROLES})|who\s+(?:also\s+)?(?:coordinates|directs|heads|leads|"
                                    rf"chairs|manages|runs|founded|co-founded|represents)\b")
_FIND_RELATIONS_RE3 = re.compile(rf"\s*(?:It|They|{_GENERIC_SUBJECT})\s+(?:(?:is|are|was|were|has been|became)\s+(?:also\s+|now\s+)?(?:(?:a|an)\s+)?)?")
_FIND_RELATIONS_RE4 = re.compile(r"\b(?:these|those|all (?:of )?the(?:se)?|the)\s+(?:\w+\s+)?(?:forums|organi[sz]ations|groups|networks|teams)\s+(?:are|were)\s+(?:all\s+)?$", re.I)
_FIND_RELATIONS_RE5 = re.compile(r"member")
_FIND_RELATIONS_RE6 = re.compile(r"\s*,\s*(?:all|both|each)\s+(?:of\s+them\s+)?")
_FIND_RELATIONS_RE7 = re.compile(r"\s+(?:of|from)\s+(?:the\s+)?")
_FIND_RELATIONS_RE8 = re.compile(r"\s*\(([^()]{2,80})\)")
_FIND_RELATIONS_RE9 = re.compile(r"[^()]*?(?:\s+(?:[a-z\-]+\s+){0,2}[A-Za-z\-]+)?")
_FIND_RELATIONS_RE10 = re.compile(r",\s+(?:the\s+)?")
_FIND_RELATIONS_RE11 = re.compile(rf"(?:['’]s)?\s+(?:[A-Za-z\-]+\s+){{0,2}}{PERSON_ROLES}\b")
_FIND_RELATIONS_RE12 = re.compile(rf"\b(?:[Ii]ts|[Tt]heir)\s+(?:[a-z\-]+\s+)?{PERSON_ROLES},?\s+(?:is\s+|was\s+)?$")
_ROLE_THEN_ORG = re.compile(rf",\s+(?:(?:the|a|an)\s+)?(?:[A-Za-z\-]+\s+){{0,2}}?(?i:{PERSON_ROLES}),\s+(?:the\s+)?")
_ONE_OF_OUR = re.compile(rf",\s+(?:one\s+of\s+our\s+(?:[a-z\-]+\s+)?(?i:{PERSON_ROLES})s|our\s+(?:[a-z\-]+\s+)?(?i:{PERSON_ROLES}))\b")
_FIND_RELATIONS_RE13 = prefiltered(r"\b(?:joined|joins)\s+(?:the\s+)?(?:(network|coalition|alliance|platform|federation)\s+of\s+(?:the\s+)?)?")
# "has joined UPP's Erbil office as security adviser": a person joins in a role
_JOINED_AS_ROLE = re.compile(rf"[^.;]*?\bas\s+(?:(?:a|an|the|its|their)\s+)?(?:[a-z\-]+\s+){{0,2}}(?i:{PERSON_ROLES})\b")
# "…, and joined the X": the verb shares the subject the sentence opens with
_ADVERB_BEFORE = re.compile(r"\s+(?:formally|officially|finally|also|now|then|later|recently)\s+$")
_AND_VERB = re.compile(r"(?:,\s*|\s+)and\s+(?:(?:also|later|then|formally|officially)\s+)?$")
_FIND_RELATIONS_RE14 = re.compile(r"\s+(?:network|coalition|alliance|platform|federation)\b")
_FIND_RELATIONS_RE15 = re.compile(r"\b(?:Network|Alliance|Coalition|Federation|Union|Forum|Platform|Council|League|"
                             r"Consortium|Movement)\b")
_FIND_RELATIONS_RE16 = re.compile(r"\s*(?:in\s+(?:\d{4}|[A-Z]\w+)|as\b|,|\.|;|$|\s+and\b)")
_FIND_RELATIONS_RE17 = re.compile(r"\bas\s+(?:a|an|one of)\b|\bmember")
_FIND_RELATIONS_RE18 = prefiltered(r"\b(?:[Ii]ts|[Tt]heir)\s+(?:\w+\s+)?(?:members|member organi[sz]ations|members and partners)\s+(?:include|are|comprise|have included)\s+")
_FIND_RELATIONS_RE19 = prefiltered(r"-based\b")
_FIND_RELATIONS_RE20 = re.compile(r"-based\s+(?:[a-z][\w\-]*\s+){0,2}")
_FIND_RELATIONS_RE21 = re.compile(rf"\s*(?:It|{_GENERIC_SUBJECT})\s+(?:also\s+)?(?:works|worked|operates|is|was|has|had|receives|received)\b[^,;]*$")
_FIND_RELATIONS_RE22 = prefiltered(r"\b(?:[Ii]ts|[Tt]heir)\s+(?:\w+\s+)?(?:projects|programmes|programs)\s+(?:include|includes|included|are|were)\b")
_FIND_RELATIONS_RE23 = re.compile(r"\s*(?:It|The\s+(?:project|programme|program))\b")


def _relative_clause(ms: Mentions, text: str, sent: Span, proj: Mention,
                     self_org: URIRef | None) -> list[tuple[URIRef, URIRef]]:
    """"X, which UPP implemented with financing from AICS", "a project that the Network
    implements jointly with the Forum", "which UPP runs in partnership with us": the
    subject of the relative clause implements the project, so does whoever it works
    "jointly with" ("us": the organisation that writes), and "with financing from"
    names its funder."""
    rel = _RELATIVE_PROJECT.match(text, proj.end, sent.end)
    org = (ms.at(rel.end()) or ms.at(rel.end() - 4)) if rel else None     # "which the Network …"
    if org is None or ms.cls_of(org.iri) not in ORG_KINDS:
        return []
    verb = _RELATIVE_VERB.match(text, org.end, sent.end)
    if verb is None:
        return []
    out = [(org.iri, CG.implementedBy)]
    end = verb.end()
    co = _RELATIVE_WITH.match(text, end, sent.end)
    if co:
        # "jointly with": a co-implementer; "in partnership with": a partner of the project
        pred = CG.implementedBy if co.group(1) else CG.partner
        if _RELATIVE_US.match(text, co.end()) and self_org is not None:
            out.append((self_org, pred))
        else:
            out += [(x.iri, pred) for x in read_list(ms, text, co.end(), sent.end, ORG_KINDS)[:2]]
    funds = _RELATIVE_FUNDS.match(text, end, sent.end)
    if funds:
        out += [(x.iri, SDO.funder) for x in read_list(ms, text, funds.end(), sent.end, ORG_KINDS)[:2]]
    return out


def find_relations(text: str, spans: list[Span], ms: Mentions, event_starts: list[int],
                   author: URIRef | None = None, author_role: str | None = None,
                   author_span: Span | None = None, self_org: URIRef | None = None) -> list[Fact]:
    facts: list[Fact] = []

    def add(s: URIRef, p: URIRef, o: URIRef, sent: Span, method: str, conf: float) -> None:
        if s == o:
            return
        if p == ORG.memberOf and ms.cls_of(o) == ORG.OrganizationalUnit:
            o = ms.unit_of.get(o, o)
            if s == o:
                return
        facts.append(Fact(s, p, o, sent, method, conf))

    last_subject: Mention | None = None
    last_project: Mention | None = None
    previous_sentence: Span | None = None
    for sent in spans:
        s_text = text[sent.start:sent.end]
        sent_mentions = ms.within(sent)
        agents = [m for m in sent_mentions if ms.cls_of(m.iri) in AGENT_KINDS]

        # -- membership ----------------------------------------------------------------
        for m in _MEMBER_CUE.finditer(s_text):
            pos = sent.start + m.start()
            objects = read_list(ms, text, sent.start + m.end(), sent.end, ORG_KINDS)[:1] or \
                _unit_at(ms, text, sent.start + m.end())
            if not objects:
                continue
            also = _FIND_RELATIONS_RE1.match(text[objects[0].end:sent.end])
            if also:   # "a member of A and of B"
                objects += read_list(ms, text, objects[0].end + also.end(), sent.end, ORG_KINDS)[:1]
            cue = m.group()
            is_role = ("member" not in cue and not cue.startswith(("one of", "within"))
                       and _FIND_RELATIONS_RE2.match(cue) is not None) or None
            kinds = ({SDO.Person} if is_role or cue.startswith(("works", "worked", "working", "volunteer", "who"))
                     else AGENT_KINDS)
            subj = subject_before(ms, text, sent, pos, kinds)
            if subj is None and last_subject is not None and ms.cls_of(last_subject.iri) in ORG_KINDS \
                    and _FIND_RELATIONS_RE3.fullmatch(s_text[:m.start()]):
                subj = last_subject      # "It is a member of …": the organisation the text is about
            if subj is None:
                # "the new forum joined", "All of these forums are members of"
                plural = _FIND_RELATIONS_RE4.search(s_text[:m.start()])
                if plural and previous_sentence is not None:
                    for other in ms.within(previous_sentence):
                        if ms.cls_of(other.iri) in ORG_KINDS and other.iri != objects[0].iri:
                            add(other.iri, ORG.memberOf, objects[0].iri, sent, "member-of-these", 0.75)
                continue
            if ms.cls_of(subj.iri) == SDO.Person and is_role is None and not _FIND_RELATIONS_RE5.search(cue):
                continue
            for obj in objects:
                if ms.cls_of(subj.iri) == ORG.OrganizationalUnit:
                    continue
                add(subj.iri, ORG.memberOf, obj.iri, sent, "member-of", 0.85)
                # "A, B and C, all members of X"; "A and B, both experienced trainers of X"
                if _FIND_RELATIONS_RE6.fullmatch(text[subj.end:pos]) or (
                        _PLURAL_CUE.search(cue) and text.startswith(",", subj.end)):
                    kind = ms.cls_of(subj.iri)
                    for other in _list_before(ms, text, sent, subj, {kind} if kind == SDO.Person else ORG_KINDS):
                        add(other.iri, ORG.memberOf, obj.iri, sent, "member-of-list", 0.8)
        # "Ahmed Kareem of the Hit Peace Forum"; "Layla Yousif (UPP)"
        for person in agents:
            if ms.cls_of(person.iri) != SDO.Person:
                continue
            of = _FIND_RELATIONS_RE7.match(text[person.end:sent.end])
            if of:
                org = next((x for x in sent_mentions if x.start in (person.end + of.end(), person.end + len(of.group().rstrip()) - 3)
                            and ms.cls_of(x.iri) in ORG_KINDS), None)
                if org is not None:
                    add(person.iri, ORG.memberOf, org.iri, sent, "person-of-org", 0.75)
            # "Layla Yousif (UPP)", "Karim Naji (ISF spokesperson)"
            par = _FIND_RELATIONS_RE8.match(text[person.end:sent.end])
            if par:
                inner = [x for x in sent_mentions if person.end < x.start < person.end + par.end()
                         and ms.cls_of(x.iri) in ORG_KINDS]
                if inner and _FIND_RELATIONS_RE9.fullmatch(par.group(1)):
                    add(person.iri, ORG.memberOf, inner[0].iri, sent, "person-org-in-brackets", 0.75)
        # "Dilan Aziz, KYA spokesperson"; "its coordinator, Hadeel Sami"
        for person in agents:
            if ms.cls_of(person.iri) != SDO.Person:
                continue
            org = next((x for x in sent_mentions if ms.cls_of(x.iri) in ORG_KINDS and
                        _FIND_RELATIONS_RE10.fullmatch(text[person.end:x.start])), None)
            if org is not None and _FIND_RELATIONS_RE11.match(text[org.end:org.end + 50]):
                add(person.iri, ORG.memberOf, org.iri, sent, "person-org-role", 0.75)
            # "Zahraa Muhsin, press officer, Baghdad Peace Forum"
            role = _ROLE_THEN_ORG.match(text, person.end, sent.end)
            org = ms.at(role.end()) if role else None
            if org is not None and ms.cls_of(org.iri) in ORG_KINDS:
                add(person.iri, ORG.memberOf, org.iri, sent, "person-role-org", 0.75)
            # "Mustafa Ghanim, one of our volunteers": "our" is the organisation that writes
            if self_org is not None and _ONE_OF_OUR.match(text, person.end, sent.end):
                add(person.iri, ORG.memberOf, self_org, sent, "person-one-of-ours", 0.7)
            its = _FIND_RELATIONS_RE12.search(text[sent.start:person.start])
            owner = last_subject if its else None
            if owner is not None and ms.cls_of(owner.iri) in ORG_KINDS:
                add(person.iri, ORG.memberOf, owner.iri, sent, "person-its-role", 0.7)
        for m in _FIND_RELATIONS_RE13.finditer(s_text):
            objects = read_list(ms, text, sent.start + m.end(), sent.end, ORG_KINDS)[:1]
            if not objects:
                continue
            # "Paolo Ferri has joined UPP's Erbil office as security adviser"
            if _JOINED_AS_ROLE.match(text, objects[0].end, sent.end):
                for person in clause_subject(ms, text, sent, sent.start + m.start(), {SDO.Person}):
                    add(person.iri, ORG.memberOf, objects[0].iri, sent, "person-joined", 0.8)
            body = m.group(1) or _FIND_RELATIONS_RE14.match(text[objects[0].end:sent.end]) or _FIND_RELATIONS_RE15.search(ms.entities[objects[0].iri].label) and \
                _FIND_RELATIONS_RE16.match(text[objects[0].end:sent.end])
            if not body and not _FIND_RELATIONS_RE17.search(s_text[m.end():]):
                continue   # "joined the Network" (a body that has members), "joined X as a member"
            subj = clause_subject(ms, text, sent, sent.start + m.start())
            if not subj:
                lead = _ADVERB_BEFORE.search(s_text, 0, m.start())
                subj = clause_subject(ms, text, sent, sent.start + lead.start()) if lead else []
            if not subj and _AND_VERB.search(s_text, 0, m.start()):
                opener = _sentence_subject(ms, text, sent)
                subj = [opener] if opener is not None and ms.cls_of(opener.iri) in ORG_KINDS else []
            for s in subj:
                add(s.iri, ORG.memberOf, objects[0].iri, sent, "member-joined", 0.8)
        for m in _FIND_RELATIONS_RE18.finditer(s_text):
            owner = _sentence_subject(ms, text, sent) or last_subject
            if owner is None or ms.cls_of(owner.iri) not in ORG_KINDS:
                continue
            for member in read_list(ms, text, sent.start + m.end(), sent.end, ORG_KINDS):
                add(member.iri, ORG.memberOf, owner.iri, sent, "members-include", 0.8)

        # -- where an organisation is based ----------------------------------------------
        for m in _FIND_RELATIONS_RE19.finditer(s_text):
            pos = sent.start + m.start()
            place = next((x for x in sent_mentions if x.end == pos and ms.cls_of(x.iri) == SDO.Place), None)
            if place is None:
                continue
            after = [x for x in sent_mentions if x.start > pos and ms.cls_of(x.iri) in ORG_KINDS]
            org = None
            if after and _FIND_RELATIONS_RE20.fullmatch(text[pos:after[0].start]):
                org = after[0]
            else:
                org = subject_before(ms, text, sent, _article_start(text, place.start), ORG_KINDS)
            if org is not None:
                add(org.iri, SDO.location, place.iri, sent, "org-based", 0.8)
        for m in _BASED.finditer(s_text):
            pos = sent.start + m.start()
            place = next((x for x in sent_mentions if x.start == sent.start + m.end()
                          and ms.cls_of(x.iri) == SDO.Place), None)
            if place is None:
                continue
            org = _based_subject(ms, text, sent, pos)
            if org is not None:
                add(org.iri, SDO.location, place.iri, sent, "org-based-in", 0.8)

        for m in _WORKED_TOGETHER.finditer(s_text):
            pair = clause_subject(ms, text, sent, sent.start + m.start())
            if len(pair) == 2:
                add(pair[0].iri, CG.partner, pair[1].iri, sent, "org-worked-together", 0.75)
        for org, place in _bases(ms, text, sent, s_text, sent_mentions):
            add(org.iri, SDO.location, place.iri, sent, "org-based-at", 0.75)

        # -- projects and organisations: funders, implementers, partners -----------------
        for pattern, pred, method in ((_FUNDER, SDO.funder, "funder"), (_IMPLEMENTER, CG.implementedBy, "implementer"),
                                      (_ORG_PARTNER, CG.partner, "partner")):
            for m in pattern.finditer(s_text):
                pos = sent.start + m.start()
                topic = _topic(ms, text, sent, pos, event_starts, last_project)
                if topic is None and last_subject is not None and ms.cls_of(last_subject.iri) in ORG_KINDS \
                        and pred != CG.implementedBy and _FIND_RELATIONS_RE21.match(text[sent.start:pos]) and not any(sent.start <= e < sent.end for e in event_starts):
                    topic = last_subject   # "The group works in partnership with …"
                if topic is None:
                    continue
                kind = ms.cls_of(topic.iri)
                if pred == CG.implementedBy and kind != CG.Project:
                    continue
                if kind == CG.Project and _AND_PHRASE.search(text, max(sent.start, pos - 8), pos):
                    continue
                if pred == CG.partner and _IMPLEMENTS_BEFORE.search(text, max(sent.start, pos - 40), pos):
                    pred, method = CG.implementedBy, "co-implementer"
                    if kind != CG.Project:
                        continue
                objs = read_list(ms, text, sent.start + m.end(), sent.end, ORG_KINDS)
                also = _ALSO_WITH.match(text, objs[-1].end, sent.end) if objs and pred == CG.implementedBy else None
                if also:
                    objs += read_list(ms, text, also.end(), sent.end, ORG_KINDS)
                for obj in objs:
                    add(topic.iri, pred, obj.iri, sent, f"{'project' if kind == CG.Project else 'org'}-{method}", 0.8)

        # "UPP is implementing the Tigris Voices project together with MWN"
        for m in _IMPLEMENTS.finditer(s_text):
            proj = next((x for x in sent_mentions if x.start == sent.start + m.end() and ms.cls_of(x.iri) == CG.Project), None)
            if proj is None:
                continue
            aux = _AUXILIARY.search(s_text, 0, m.start())     # "UPP is implementing …"
            subj = clause_subject(ms, text, sent, sent.start + (aux.start() if aux else m.start()))
            for org in subj:
                add(proj.iri, CG.implementedBy, org.iri, sent, "project-implements", 0.8)
            co = _TOGETHER_WITH.match(text, proj.end) if subj else None
            for obj in read_list(ms, text, co.end(), sent.end, ORG_KINDS)[:3] if co else []:
                add(proj.iri, CG.implementedBy, obj.iri, sent, "project-co-implementer", 0.75)
        for proj in sent_mentions:
            if ms.cls_of(proj.iri) != CG.Project:
                continue
            for org, pred in _relative_clause(ms, text, sent, proj, self_org):
                add(proj.iri, pred, org, sent, "project-relative-clause", 0.75)
            of = _PROJECT_OF.match(text, proj.end)
            if of:   # "X is a project of the Y"
                for obj in read_list(ms, text, of.end(), sent.end, ORG_KINDS)[:1]:
                    add(proj.iri, CG.implementedBy, obj.iri, sent, "project-of", 0.75)
        # "Its projects include A, funded by X, and B": the organisation runs its projects
        owned = _FIND_RELATIONS_RE22.search(s_text)
        owner = (_sentence_subject(ms, text, sent) or last_subject) if owned else None
        if owner is not None and ms.cls_of(owner.iri) in ORG_KINDS:
            for proj in sent_mentions:
                if proj.start > sent.start + owned.end() and ms.cls_of(proj.iri) == CG.Project:
                    add(proj.iri, CG.implementedBy, owner.iri, sent, "own-project", 0.7)
                    co = _CO_IMPLEMENTER.match(text, proj.end + 2) if text[proj.end:proj.end + 2] == ", " else None
                    if co:
                        for obj in read_list(ms, text, co.end(), sent.end, ORG_KINDS)[:1]:
                            add(proj.iri, CG.implementedBy, obj.iri, sent, "project-co-implementer", 0.7)
        subj = _sentence_subject(ms, text, sent)
        if subj is not None:
            last_subject = subj
        # the project this sentence is about, for "It was funded by …" in the next one
        projects = [x for x in sent_mentions if ms.cls_of(x.iri) == CG.Project]
        last_project = projects[-1] if projects else (
            last_project if _FIND_RELATIONS_RE23.match(s_text) else None)
        previous_sentence = sent

    # units named with their organisation
    for unit, owner in ms.unit_of.items():
        first = next((m for m in ms.sorted() if m.iri == unit), None)
        if first is not None:
            add(unit, ORG.unitOf, owner, sentence_at(spans, first.start), "unit-of", 0.85)
    # the signature: "Name, Organisation"
    if author is not None and author_role and author_span is not None:
        for m in ms.sorted():
            if author_span.start <= m.start < author_span.end and ms.cls_of(m.iri) in ORG_KINDS:
                add(author, ORG.memberOf, m.iri, author_span, "signature-affiliation", 0.8)
                break
    return facts


# "hosted by X at its centre in the Salim Street area"
_AT_ITS_BASE = prefiltered(r"\b(?:at|in|from)\s+(?:its|their)\s+(?:own\s+|new\s+|main\s+)?(?:centre|center|office|offices|"
                           r"headquarters|premises|house|base|seat)\s+in\s+(?:the\s+)?")
# "X was established in 2016 by … in the town of Hit, in western Anbar"
_FOUNDED = prefiltered(r"\b(?:was|were|had been|has been)\s+(?:first\s+)?(?:established|founded|set up|created|formed)\b")
_FOUNDED_IN = re.compile(r"\bin\s+(?:the\s+(?:town|city|village|district|province|governorate|region)\s+of\s+)?")
_PLACE_CHAIN = re.compile(r",\s+in\s+(?:(?:the\s+)?[a-z]+\s+)?")
# "Basrawiyat, the women's group from Zubair"
_APPOSED_FROM = re.compile(rf",\s+(?:a|an|the)\s+(?:[\w'’\-]+\s+){{0,3}}?{ORG_NOUNS}\s+(?:from|in|based in)\s+(?:the\s+)?")


def _bases(ms: Mentions, text: str, sent: Span, s_text: str,
           sent_mentions: list[Mention]) -> list[tuple[Mention, Mention]]:
    """Where an organisation is based, in shapes other than "based in": "at its centre in
    X", "was founded … in the town of X, in Y", "X, the women's group from Y"."""
    out: list[tuple[Mention, Mention]] = []
    at_its = list(_AT_ITS_BASE.finditer(s_text))
    founded = list(_FOUNDED.finditer(s_text))
    apposed = (", a" in s_text or ", the" in s_text) and (" from " in s_text or " in " in s_text)
    if not (at_its or founded or apposed):
        return out
    places = {m.start: m for m in sent_mentions if m.cls == SDO.Place and ms.cls_of(m.iri) == SDO.Place}
    if not places:
        return out
    for m in at_its:
        place = places.get(sent.start + m.end())
        orgs = [x for x in sent_mentions if x.end <= sent.start + m.start() and ms.cls_of(x.iri) in ORG_KINDS]
        if place is not None and orgs:
            out.append((orgs[-1], place))
    for m in founded:
        subj = clause_subject(ms, text, sent, sent.start + m.start())
        if len(subj) != 1:
            continue
        stop = min(sent.end, sent.start + m.end() + 100)
        for cue in _FOUNDED_IN.finditer(text, sent.start + m.end(), stop):
            place = places.get(cue.end())
            while place is not None:
                out.append((subj[0], place))
                chain = _PLACE_CHAIN.match(text, place.end, sent.end)
                place = places.get(chain.end()) if chain else None
            if out and out[-1][0] is subj[0]:
                break
    if not apposed:
        return out
    for org in sent_mentions:
        if text.startswith(", ", org.end) and ms.cls_of(org.iri) in ORG_KINDS:
            ap = _APPOSED_FROM.match(text, org.end, sent.end)
            if ap and ap.end() in places:
                out.append((org, places[ap.end()]))
    return out


_LIST_BEFORE_RE1 = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?:the\s+|(?:Dr|Mr|Mrs|Ms|Prof|Eng)\.?\s+)?")


def _unit_at(ms: Mentions, text: str, pos: int) -> list[Mention]:
    """The unit named at ``pos`` ("members of the national team of trainers of X"),
    whose own words a list reader would take for a lead-in."""
    unit = ms.at(pos) or (ms.at(pos + 4) if text.startswith("the ", pos) else None)
    return [unit] if unit is not None and ms.cls_of(unit.iri) == ORG.OrganizationalUnit else []


_PLURAL_CUE = re.compile(rf"\b(?:members|(?i:{PERSON_ROLES})s)\s")


def _list_before(ms: Mentions, text: str, sent: Span, last: Mention,
                 kinds: set[URIRef] = ORG_KINDS) -> list[Mention]:
    """The names listed before ``last`` in "A, B and C": B and A."""
    out = []
    cands = [m for m in ms.within(sent) if m.end <= last.start and ms.cls_of(m.iri) in kinds]
    edge = last
    for m in reversed(cands):
        if _LIST_BEFORE_RE1.fullmatch(text[m.end:edge.start]):
            out.append(m)
            edge = m
        else:
            break
    return out


_ARTICLE_START_RE1 = re.compile(r"\b(?:a|an|the)\s+$")


def _article_start(text: str, pos: int) -> int:
    m = _ARTICLE_START_RE1.search(text[max(0, pos - 6):pos])
    return pos - len(m.group()) if m else pos


_BASED_SUBJECT_RE1 = re.compile(r"\s*(?:\([^)]*\))?(?:,\s*(?:a|an|the)\s+[^,;()]*?|\s+(?:is|was|are|were)\s+(?:(?:a|an|the)\s+[^,;()]*?)?|\s+is|\s+was)?\s*")


def _based_subject(ms: Mentions, text: str, sent: Span, pos: int) -> Mention | None:
    cands = [m for m in ms.within(sent) if m.end <= pos and ms.cls_of(m.iri) in ORG_KINDS]
    for m in reversed(cands):
        gap = text[m.end:pos]
        if _BASED_SUBJECT_RE1.fullmatch(gap):
            return m
    return None


_SENTENCE_SUBJECT_RE1 = re.compile(r"\s*(?:(?:The|the|For its part,?|In addition,?|Meanwhile,?)\s+)?")
_SENTENCE_SUBJECT_RE2 = re.compile(r"(?:,|--|–|—)\s+(?:[Tt]he\s+)?$")
_SENTENCE_SUBJECT_RE3 = re.compile(r"\s*(?:\([^)]*\)\s*)?(?:now\s+|also\s+)?[a-z]+")
_SENTENCE_SUBJECT_RE4 = re.compile(r"\s*(?:and|or|as well)\b")


def _sentence_subject(ms: Mentions, text: str, sent: Span) -> Mention | None:
    """The organisation a sentence opens with ("The Free Voices Coalition is …")."""
    for m in ms.within(sent):
        if ms.cls_of(m.iri) not in ORG_KINDS | {CG.Project}:
            continue
        head = text[sent.start:m.start]
        if _SENTENCE_SUBJECT_RE1.fullmatch(head):
            return m
        # "Founded in 2019 with …, the X now counts …", "KUT, 14 March -- The X …"
        if _SENTENCE_SUBJECT_RE2.search(head) and _SENTENCE_SUBJECT_RE3.match(text[m.end:m.end + 30]) \
                and not _SENTENCE_SUBJECT_RE4.match(text[m.end:m.end + 10]):
            return m
    return None


_TOPIC_RE1 = re.compile(r"\s*It\s+(?:(?:is|was|has been|had been)\s+)?(?:also\s+)?[a-z]+")
_TOPIC_RE2 = prefiltered(r"\b(?:[Tt]he|[Tt]his)\s+(?:project|programme|program)\b")
_TOPIC_RE3 = re.compile(r"\s*(?:All|Both|It|They)\b")
_TOPIC_RE4 = re.compile(r"\b(?:held|organi[sz]ed|launched|ran|hosted|staged|convened|called)\b")


def _topic(ms: Mentions, text: str, sent: Span, pos: int, event_starts: list[int],
           last_project: Mention | None = None) -> Mention | None:
    """What a funder/implementer/partner cue at ``pos`` is about: the latest project
    named before it (or "the project"), else the organisation the sentence opens with;
    none when an event is the topic (the event rules read it). "It" at the head of a
    sentence that follows one about a project is that project."""
    anchors: list[tuple[int, str, Mention | None]] = []
    if last_project is not None and _TOPIC_RE1.match(text[sent.start:pos]):
        anchors.append((sent.start, "project", last_project))
    for m in ms.within(sent):
        if m.end <= pos and ms.cls_of(m.iri) == CG.Project:
            anchors.append((m.start, "project", m))
    for m in _TOPIC_RE2.finditer(text[sent.start:pos]):
        proj = [x for x in ms.sorted() if x.end <= sent.start + m.start() and ms.cls_of(x.iri) == CG.Project]
        if proj:
            anchors.append((sent.start + m.start(), "project", proj[-1]))
    for m in TRIGGER.finditer(text[sent.start:pos]):
        if not _is_plural(m.group(1)) and not any(x.start <= sent.start + m.start() < x.end for x in ms.within(sent)):
            anchors.append((sent.start + m.start(), "event", None))
    if _TOPIC_RE3.match(text[sent.start:pos]) and not anchors:
        return None
    subj = _sentence_subject(ms, text, sent)
    if subj is not None and subj.end <= pos:
        # a project that opens the sentence is the topic even where the sentence goes on to an event
        anchors.append((subj.start, "project" if ms.cls_of(subj.iri) == CG.Project else "org", subj))
    if not anchors:
        return None
    anchors.sort(key=lambda a: a[0])
    _, kind, mention = anchors[-1]
    if kind == "event":
        return None
    if kind == "org" and any(sent.start <= e < sent.end for e in event_starts):
        return None   # a sentence that tells an event: the event rules read its partners
    if kind == "org" and _TOPIC_RE4.search(text[mention.end:pos]):
        return None   # "X held a panel on …, with the participation of Y": Y takes part in an event
    return mention


__all__ = ["find_relations", "subject_before"]
