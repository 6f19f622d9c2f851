"""Dates as reports write them, as ISO 8601 strings."""
from __future__ import annotations

import re
from datetime import datetime

from dateutil import parser as dateparser

_DEFAULT = datetime(1900, 1, 1)


def parse_date(text: str, year: int | None = None) -> str | None:
    """``"the 3rd of May 2019"`` → ``2019-05-03``; a day and month take ``year``.

    Returns ``YYYY-MM-DD``, or ``YYYY-MM`` / ``YYYY`` when the text says no more, or
    ``None`` when it is not a date (or only a vague one).
    """
    num = re.fullmatch(r"\s*(\d{1,2})[/.](\d{1,2})[/.]((?:19|20)\d\d)\s*", text)
    if num:   # 12/3/2020: day first, as Iraqi and British writing has it
        return _iso(num.group(3), int(num.group(2)), int(num.group(1))) if 1 <= int(num.group(2)) <= 12 else None
    iso = re.fullmatch(r"\s*((?:19|20)\d\d)-(\d\d)-(\d\d)\s*", text)
    if iso:   # already ISO 8601: read as year-month-day, never day first
        return _iso(iso.group(1), int(iso.group(2)), int(iso.group(3))) if 1 <= int(iso.group(2)) <= 12 else None
    cleaned = re.sub(r"\b(?:the|of|on)\b", " ", text, flags=re.I)
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", cleaned).strip(" ,.")
    if re.fullmatch(r"\d{4}", cleaned):
        return cleaned
    has_day = bool(re.search(r"\b\d{1,2}\b", re.sub(r"\b\d{4}\b", "", cleaned)))
    has_year = bool(re.search(r"\b\d{4}\b", cleaned))
    if not has_year and year is None:
        return None
    try:
        default = _DEFAULT.replace(year=year) if year else _DEFAULT
        value = dateparser.parse(cleaned, default=default, dayfirst=True)
    except (ValueError, OverflowError):
        return None
    if value is None:
        return None
    if not has_day:
        return f"{value.year:04d}-{value.month:02d}"
    return value.strftime("%Y-%m-%d")


# -- dates inside running text ------------------------------------------------------------

from dataclasses import dataclass  # noqa: E402
from typing import Iterator  # noqa: E402

MONTH_NAMES = ("January|February|March|April|May|June|July|August|September|October|November|"
               "December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec")
_MONTH_NUMBER = {name[:3].lower(): n for n, name in enumerate(
    "January February March April May June July August September October November December".split(), 1)}
_WEEKDAY = r"(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+)?"
_DAY = r"(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?"
_MON = rf"(?:of\s+)?({MONTH_NAMES})\b\.?"
_YEAR = r"(?:,?\s+((?:19|20)\d{2}))?"
_TO = r"\s*(?:-|–|—|to|and|until|till|through)\s*"
# the order matters: ranges before single dates, so that a range is read as one
_PATTERNS: list[tuple[str, re.Pattern]] = [
    # 30 November – 2 December 2017
    ("dm-dm", re.compile(rf"{_WEEKDAY}{_DAY}\s+{_MON}{_YEAR}{_TO}{_WEEKDAY}{_DAY}\s+{_MON}{_YEAR}")),
    # 27-28 April 2018, from 1 to 2 June, 18 and 19 August 2017
    ("d-dm", re.compile(rf"{_WEEKDAY}{_DAY}{_TO}{_WEEKDAY}{_DAY}\s+{_MON}{_YEAR}")),
    # April 27-28, 2018
    ("md-d", re.compile(rf"{_WEEKDAY}({MONTH_NAMES})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?{_TO}(\d{{1,2}})(?:st|nd|rd|th)?{_YEAR}")),
    # Friday 7 June 2019, the 3rd of April
    ("dm", re.compile(rf"{_WEEKDAY}{_DAY}\s+{_MON}{_YEAR}")),
    # June 7, 2019
    ("md", re.compile(rf"{_WEEKDAY}({MONTH_NAMES})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b{_YEAR}")),
    # from April to June 2020, April–June 2020, between March and May (months)
    ("m-my", re.compile(rf"\b({MONTH_NAMES})\.?(?:\s+((?:19|20)\d{{2}}))?{_TO}({MONTH_NAMES})\.?(?:,?\s+((?:19|20)\d{{2}}))?\b"
                        rf"(?!\s*\d)")),
    # 12/3/2020, 12.03.2020: day first
    ("num", re.compile(r"(?<![\d/.])(\d{1,2})[/.](\d{1,2})[/.]((?:19|20)\d{2})(?![\d/])")),
    # February 2019 (a month)
    ("my", re.compile(rf"\b({MONTH_NAMES})\.?,?\s+((?:19|20)\d{{2}})\b")),
    # "In January", "during March": a month whose year is the report's
    # (at the head of a sentence or right after a verb of holding: a month in a list of
    # plans or "in December last year" says too little)
    ("m", re.compile(rf"(?:(?:^|(?<=[.!?:]\s)|(?<=\n)|(?<=[-•*]\s))(?:In|During|Throughout)|"
                     rf"(?:" + "|".join(rf"(?<=\b{v}\s)" for v in ("held", "organised", "organized", "launched", "hosted",
                                                   "conducted", "convened", "staged")) + r")in|took place in|was held in|"
                     rf"were held in)\s+(January|February|March|April|June|July|August|"
                     rf"September|October|November|December|May)\b(?!\s*\d)(?![\w\-])"
                     rf"(?!,?\s+(?:last|next|this|of (?:last|next|this|that|the same|the following|the previous))\s+year)")),
]

# Where a match of each pattern can begin. Scanning a text with one of the patterns
# above tries it at every character, since none begins with a fixed letter; these
# scanners begin with one (or a digit), so re skips to the few places a date can start,
# and the pattern is tried there only. Each scanner consumes the first character alone,
# so that no later start is skipped. A scanner may find more places than a date starts
# at, never fewer: the dates found are the same (tests/test_ingest.py checks it).
_WEEKDAY_START = r"M(?=onday)|T(?=uesday|hursday)|W(?=ednesday)|F(?=riday)|S(?=aturday|unday)"
_MONTH_START = r"J(?=an|un|ul)|F(?=eb)|M(?=ar|ay)|A(?=pr|ug)|S(?=ep)|O(?=ct)|N(?=ov)|D(?=ec)"
_DAY_STARTS = (
    # "Friday 7 June", "the 3rd of April"
    re.compile(rf"{_WEEKDAY_START}|t(?=he\s+\d)"),
    # "7 June", "27-28 April", "18 and 19 August"
    re.compile(r"\d(?=\d?(?:st|nd|rd|th)?(?:\s|-|–|—|to|and|until|till|through))"),
)
_MONTH_STARTS = (re.compile(rf"{_WEEKDAY_START}|{_MONTH_START}"),)
_STARTS: dict[str, tuple[re.Pattern, ...]] = {
    "dm-dm": _DAY_STARTS,
    "d-dm": _DAY_STARTS,
    "md-d": _MONTH_STARTS,
    "dm": _DAY_STARTS,
    "md": _MONTH_STARTS,
    "m-my": _MONTH_STARTS,
    "num": (re.compile(r"\d(?=\d?[/.])"),),
    "my": _MONTH_STARTS,
    "m": (re.compile(r"I(?=n\s)|D(?=uring\s)|T(?=hroughout\s)|i(?=n\s)|t(?=ook place in\s)"
                     r"|w(?=as held in\s|ere held in\s)"),),
}


def _starts(scanners: tuple[re.Pattern, ...], text: str) -> list[int]:
    """The offsets where one of the scanners finds a possible start, in order."""
    found = [m.start() for scanner in scanners for m in scanner.finditer(text)]
    if len(scanners) > 1:
        found = sorted(set(found))
    return found


def _matches(pattern: re.Pattern, starts: list[int], text: str) -> Iterator[re.Match]:
    """What ``pattern.finditer(text)`` gives, trying the pattern at ``starts`` only.

    Like ``finditer``, a match is looked for again only after the end of the last one
    (no pattern here matches an empty string).
    """
    end = 0
    for start in starts:
        if start >= end:
            m = pattern.match(text, start)
            if m is not None:
                end = m.end()
                yield m


# words that make a date vague: "mid-October", "early June", "the end of May"
_VAGUE_BEFORE = re.compile(r"(?:\bmid-?|\b(?:early|late|end of|beginning of|around|about|before|after|by|since))\s*(?:the\s+)?$",
                           re.I)


@dataclass(frozen=True)
class DateMention:
    """A date or a range of dates found in text, as ISO strings (``--MM-DD`` when no year)."""
    start: int
    end: int
    first: str
    last: str | None = None   # the last day of a range


def _month(name: str) -> int:
    return _MONTH_NUMBER[name[:3].lower()]


def _iso(year: str | int | None, month: int, day: int | None) -> str | None:
    if day is not None and not 1 <= day <= 31:
        return None
    if year is None:
        return f"--{month:02d}-{day:02d}" if day else None
    try:
        if day:
            return datetime(int(year), month, day).strftime("%Y-%m-%d")
    except ValueError:
        return None
    return f"{int(year):04d}-{month:02d}"


def find_dates(text: str, year: int | None = None) -> list[DateMention]:
    """Every date and date range in ``text``, not overlapping, in order.

    A day and month without a year take ``year`` (the dateline's); with no ``year``
    they stay ``--MM-DD``. A month on its own ("in September") takes ``year`` too, and
    is left out without one; a range of months ("from April to June 2020") gives the
    first and last month. Vague dates ("mid-October", "before 4 May") are left out.
    """
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    starts: dict[tuple[re.Pattern, ...], list[int]] = {}
    for kind, pattern in _PATTERNS:
        scanners = _STARTS[kind]
        if scanners not in starts:
            starts[scanners] = _starts(scanners, text)
        for m in _matches(pattern, starts[scanners], text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            if _VAGUE_BEFORE.search(text[max(0, m.start() - 14):m.start()]):
                taken.append((m.start(), m.end()))
                continue
            g = m.groups()
            first = last = None
            if kind == "dm-dm":
                y2 = g[5] or g[2] or year
                y1 = g[2] or y2
                first = _iso(y1, _month(g[1]), int(g[0]))
                last = _iso(y2, _month(g[4]), int(g[3]))
            elif kind == "d-dm":
                y = g[3] or year
                first = _iso(y, _month(g[2]), int(g[0]))
                last = _iso(y, _month(g[2]), int(g[1]))
            elif kind == "md-d":
                y = g[3] or year
                first = _iso(y, _month(g[0]), int(g[1]))
                last = _iso(y, _month(g[0]), int(g[2]))
            elif kind == "dm":
                first = _iso(g[2] or year, _month(g[1]), int(g[0]))
            elif kind == "md":
                first = _iso(g[2] or year, _month(g[0]), int(g[1]))
            elif kind == "m-my":
                if re.search(r"\sand\s", m.group(0)) and not re.search(r"\bbetween\s+$", text[max(0, m.start() - 9):m.start()]):
                    continue   # "in May and June": two months, a range only after "between"
                y2 = g[3] or g[1] or year
                y1 = g[1] or (int(y2) - 1 if y2 and _month(g[0]) > _month(g[2]) else y2)
                if y1 is None or y2 is None:
                    continue
                first = _iso(y1, _month(g[0]), None)
                last = _iso(y2, _month(g[2]), None)
            elif kind == "num":
                first = _iso(g[2], int(g[1]), int(g[0])) if 1 <= int(g[1]) <= 12 else None
            elif kind == "my":
                first = _iso(g[1], _month(g[0]), None)
            elif kind == "m":
                if year is None:
                    continue
                first = _iso(year, _month(g[0]), None)
            if first is None:
                continue
            if last is not None and last <= first:
                last = None          # one day, or a range that ends before it starts
            taken.append((m.start(), m.end()))
            found.append(DateMention(m.start(), m.end(), first, last))
    return sorted(found, key=lambda d: d.start)


def explicit_years(text: str) -> list[tuple[int, int]]:
    """(offset, year) of every full date that names its year, to date the ones that do not."""
    return [(d.start, int(d.first[:4])) for d in find_dates(text) if not d.first.startswith("--")]
