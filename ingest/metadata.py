"""A report's own metadata: the date it was published and who wrote it.

Reports announce these at their edges: a dateline or "Published on …" at the top, a
byline ("By Layla Hassan"), or a signature at the end ("Ahmed Kareem, coordinator of the
Hit Peace Forum").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import parse_date
from .model import Span

MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|"
          "December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
DATE = (rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{MONTHS})\.?,?\s+\d{{4}}"
        rf"|(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
        rf"|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}/\d{{4}})")
PLACE = r"[A-Z][A-Za-z'’\-]+(?:\s+[A-Z][A-Za-z'’\-]+){0,2}"
_DATELINES = [
    re.compile(rf"^(?:[-*•]\s*)?(?:(?:Published|Posted|Updated|Date|Reporting date|Date of report|Issued|"
               rf"Circulated|Released)(?:\s+on)?[:\s]+)(?P<date>{DATE})", re.I),
    re.compile(rf"^(?P<date>{DATE})\s*[,\-–—:|]\s*(?P<place>{PLACE})\b"),
    re.compile(rf"^(?P<place>{PLACE}|[A-Z]{{3,}}(?:\s+[A-Z]{{3,}})?)\s*[,\-–—:(]\s*(?P<date>{DATE})"),
    re.compile(rf"^(?P<date>{DATE})\s*(?:$|[\-–—:|])"),
]
NAME = r"[A-Z][a-z'’\-]+(?: +(?:al-|Al-|el-|bin +|ibn +)?[A-Z][a-z'’\-]+){1,3}"
BY = (r"(?:By|Written by|Author:|Text:|Report by|Reported by|Story by|Interview by|Interviewed by|"
      r"Prepared by:?|Compiled by:?|Minutes taken by:?|Minutes by:?|Questions by:?|Notes by:?|"
      r"Note-taker:|Notetaker:|Note taker:|Minute-taker:|Rapporteur:|Interviewer:)")
_BYLINE = re.compile(rf"^(?:[-*•]\s*)?{BY}\s+(?P<name>{NAME})", re.M)
# "We sat down with her. Questions by Ahmed Sabah.": a credit that closes a sentence of the lead
_CREDIT = re.compile(rf"(?<=[.!?] )(?:Questions|Interview|Text|Report|Words) by:?\s+(?P<name>{NAME})[.]?")
# "Compiled by the media team, updated 15 January 2020": the date a byline gives
_DATED_BYLINE = re.compile(rf"\b(?:[Uu]pdated|[Pp]ublished|[Pp]osted|[Ii]ssued|[Rr]evised)(?:\s+on)?:?\s+(?P<date>{DATE})")
# "Circulated: 10 February 2022" at the foot of minutes, when the head has no date
_LABELLED_DATE = re.compile(rf"^(?:[-*•]\s*)?(?:Circulated|Issued|Reporting date|Date of report|Released)\s*:\s*(?P<date>{DATE})",
                            re.I | re.M)
_SIGNATURE = re.compile(rf"^[—–\-]*\s*(?:(?:Report|Text|Article|Story|Minutes)\s+)?(?:(?:written|prepared|compiled|taken)\s+)?"
                        rf"(?:(?:Reported|Written|Prepared|Compiled|Submitted|Drafted)\s+)?"
                        rf"(?:[Bb]y:?\s+)?(?P<name>{NAME})\s*(?:,\s*(?P<role>.+))?$")
# a signature that names an organisation is no person's byline
_NOT_A_PERSON = re.compile(
    r"\b(?:The|Forum|Foundation|Initiative|Network|Team|Office|Centre|Center|Organi[sz]ation|"
    r"Association|Union|Coalition|Committee|Council|Secretariat|Ministry|Agency|Group|"
    r"University|Institute|Campaign|Project|Programme|Program|Embassy|Iraq|Baghdad|League|Club|"
    r"Federation|Directorate|Assembly|Movement|Alliance|Parliament|Society|Fund|Trust|Office|"
    r"Secretariat|Newsletter|News|Editors?|Staff|Press|Media|Women's|Youth)\b")


@dataclass
class Metadata:
    date: str | None = None
    date_span: Span | None = None
    place: str | None = None
    author: str | None = None
    author_span: Span | None = None
    author_role: str | None = None


def read_metadata(text: str, title: str | None = None) -> Metadata:
    meta = Metadata()
    lines = _lines(text)
    for i, (start, line) in enumerate(lines[:6]):
        if _event_field(line, lines[i + 1:i + 3]):
            continue
        for pattern in _DATELINES:
            m = pattern.search(line)
            if m:
                value = parse_date(m.group("date"))
                if value:
                    meta.date = value
                    meta.date_span = Span(start, start + len(line))
                    place = m.groupdict().get("place")
                    meta.place = place.title() if place and place.isupper() else place
                break
        if meta.date:
            break
    if not meta.date:
        labelled = _LABELLED_DATE.search(text)
        if labelled:
            meta.date = parse_date(labelled.group("date"))
            line_start = text.rfind("\n", 0, labelled.start()) + 1
            meta.date_span = Span(line_start, labelled.end())
    if not meta.date:
        _dated_byline(meta, lines[:8])
    byline = _BYLINE.search("\n".join(line for _, line in lines[:8]))
    credit = None if byline else _credit(lines[:8])
    if byline:
        name = byline.group("name")
        for start, line in lines[:8]:
            if name in line:
                meta.author, meta.author_span = name, Span(start, start + len(line))
                # "Prepared by: Sara Benedetti, Grants Officer, Un Ponte Per"
                role = re.match(r"\s*,\s*(.+)$", line[line.index(name) + len(name):])
                if role:
                    meta.author_role = role.group(1).strip()
                break
    elif credit:
        meta.author, meta.author_span = credit
    else:
        lines = _closing_dateline(meta, lines)
        for back, (start, line) in enumerate(reversed(lines[-3:])):
            last = lines[-1][1].strip()
            role_below = (re.match(r"[A-Z][a-z]+(?: [A-Za-z]+){0,3},\s|[a-z]|\d|Circulated|Issued", last)
                          or (_NOT_A_PERSON.search(last) and len(last.split()) <= 8))
            if back > 1 or back == 1 and not role_below:
                break   # a signature sits on the last line, or right above a role line ("Coordinator, …")
            m = _SIGNATURE.match(line.strip())
            if (m and len(line) < 160 and not line.rstrip().endswith(".")
                    and not _NOT_A_PERSON.search(m.group("name"))):
                meta.author = m.group("name")
                meta.author_role = m.group("role")
                meta.author_span = Span(start, start + len(line))
                after = [(s, ln) for s, ln in lines if s > start]
                if not meta.author_role and after and len(after[0][1]) < 100 \
                        and not after[0][1].rstrip().endswith("."):
                    # the role on the line below: "Hassan Al-Jubouri" / "Coordinator, Najaf Social Forum"
                    meta.author_role = after[0][1].strip()
                    meta.author_span = Span(start, after[0][0] + len(after[0][1]))
                break
    return meta


def _dated_byline(meta: Metadata, head: list[tuple[int, str]]) -> None:
    """A byline or note at the top that dates the text: "…, updated 15 January 2020"."""
    for start, line in head:
        m = _DATED_BYLINE.search(line)
        value = parse_date(m.group("date")) if m else None
        if value:
            meta.date, meta.date_span = value, Span(start, start + len(line))
            return


def _credit(head: list[tuple[int, str]]) -> tuple[str, Span] | None:
    """A credit that closes a sentence of the lead: "… Questions by Ahmed Sabah."."""
    for start, line in head:
        m = _CREDIT.search(line)
        if m:
            return m.group("name"), Span(start + m.start(), start + m.end())
    return None


def _closing_dateline(meta: Metadata, lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A letter that closes with place and date under its signature ("Samawah, 20
    November 2022"): the date it was written, and the lines above it hold the signature."""
    if len(lines) < 2:
        return lines
    start, last = lines[-1]
    for pattern in _DATELINES[1:3]:
        m = pattern.search(last.strip())
        if m and len(last) < 60:
            value = parse_date(m.group("date"))
            if not value:
                return lines
            if not meta.date:
                meta.date, meta.date_span = value, Span(start, start + len(last))
            return lines[:-1]
    return lines


def _event_field(line: str, below: list[tuple[int, str]]) -> bool:
    """"Date: 21 May" over "Venue: …" or "Time: …": the date of the event a programme or
    an invitation announces, not the date the report was published."""
    return bool(re.match(r"\s*(?:[-*•]\s*)?Dates?\s*:", line)) and any(
        re.match(r"\s*(?:[-*•]\s*)?(?:Venue|Location|Place|Time|Where|Hours)\s*:", ln, re.I) for _, ln in below)


def is_dateline(line: str) -> bool:
    """Whether a line is a dateline or a "Published on" line rather than prose or a title."""
    return any(p.search(line.strip()) for p in _DATELINES)


def _lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, line))
        pos += len(line) + 1
    return out
