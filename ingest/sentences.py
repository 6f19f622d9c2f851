"""Sentences with their offsets, so that every fact can point at the words behind it."""
from __future__ import annotations

import re

from .model import Span

# a sentence ends at . ! ? followed by space and an upper-case letter, digit or quote,
# or at a line break; common abbreviations do not end one
_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z0-9\"“‘(])|\n+")
_ABBREV = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Prof|St|No|Eng|Sheikh|Gen|Col|Capt|Jr|Sr|etc|vs|e\.g|i\.e|"
                     r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.$", re.I)


def sentences(text: str) -> list[Span]:
    spans: list[Span] = []
    start = 0
    for m in _END.finditer(text):
        if "\n" not in m.group(0) and _ABBREV.search(text[max(start, m.start() - 8):m.start()]):
            continue
        _add(text, start, m.start(), spans)
        start = m.end()
    _add(text, start, len(text), spans)
    return spans


def _add(text: str, start: int, end: int, spans: list[Span]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append(Span(start, end))


def sentence_at(spans: list[Span], offset: int) -> Span:
    """The sentence holding a character offset (the nearest one before, at worst)."""
    best = spans[0] if spans else Span(0, 0)
    for span in spans:
        if span.start <= offset:
            best = span
        else:
            break
    return best


_LIST_ITEM = re.compile(r"\s*(?:[-*•–—]|\d+[.)])\s")
_FIELD = re.compile(r"\s*[A-Z][\w ()/.'’]{0,30}:\s")      # "Venue: …", "Date: …"


def unwrap(text: str, title: str | None = None, min_width: int = 50) -> str:
    """The text with soft line breaks (a paragraph wrapped at a fixed width) turned into
    spaces, so that names and sentences that run over a line break read as one.

    Every character keeps its offset: only a lone ``\\n`` becomes a space, and only
    after a long line (short lines are headings, datelines or signatures) and before a
    line that is not a list item.
    """
    from .metadata import is_dateline

    lines = text.split("\n")
    out: list[str] = []
    for i, line in enumerate(lines):
        out.append(line)
        if i == len(lines) - 1:
            break
        nxt = lines[i + 1]
        soft = (len(line.strip()) >= min_width and nxt.strip() != ""
                and not _LIST_ITEM.match(nxt) and not line.rstrip().endswith(":")
                and not _FIELD.match(nxt) and not _FIELD.match(line)
                and not (title and line.strip() == title.strip()
                         and not re.search(r"\b(?:on|in|of|the|and|a|an|to|at|for|with|by|from)$", line.strip()))
                and not is_dateline(nxt))
        out.append(" " if soft else "\n")
    return "".join(out)
