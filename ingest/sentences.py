"""Sentences with their offsets, so that every fact can point at the words behind it."""
from __future__ import annotations

import re

from .model import Span

# a sentence ends at . ! ? followed by space and an upper-case letter, digit or quote,
# or at a line break; common abbreviations do not end one
_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z0-9\"“‘(])|\n+")
_ABBREV = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Prof|St|No|Eng|Sheikh|Gen|Col|Capt|Jr|Sr|etc|vs|e\.g|i\.e)\.$", re.I)


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
