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


# -- cheap tests before costly patterns ----------------------------------------------------

try:
    from re import _parser as _sre
except ImportError:      # Python 3.10
    import sre_parse as _sre   # type: ignore[no-redef]

_REPEATS = {_sre.MAX_REPEAT, _sre.MIN_REPEAT} | ({_sre.POSSESSIVE_REPEAT} if hasattr(_sre, "POSSESSIVE_REPEAT") else set())
_MAX_WORDS = 64     # past this many, testing for the words costs about what the scan does


def _needed(items) -> frozenset[str] | None:
    """Strings one of which every match of the parsed sequence ``items`` contains: those
    of the item that narrows most (its shortest string the longest), or None."""
    best: frozenset[str] | None = None

    def consider(cand: frozenset[str] | None) -> None:
        nonlocal best
        if cand and (best is None or (min(map(len, cand)), -len(cand)) > (min(map(len, best)), -len(best))):
            best = cand

    run: list[str] = []
    for op, av in items:
        if op is _sre.LITERAL:
            run.append(chr(av))
            continue
        consider(frozenset({"".join(run)}) if run else None)
        run = []
        if op is _sre.SUBPATTERN:
            consider(None if av[1] & re.IGNORECASE else _needed(av[3]))
        elif op is _sre.BRANCH:
            alternatives = [_needed(alt) for alt in av[1]]
            consider(None if any(a is None for a in alternatives) else frozenset().union(*alternatives))
        elif op in _REPEATS and av[0] >= 1:
            consider(_needed(av[2]))
        # anything else (classes, anchors, look-arounds) needs no particular string
    consider(frozenset({"".join(run)}) if run else None)
    return best


#: the last text lower-cased for the patterns that ignore case, and its lower-case form
#: (None when it is not plain ASCII): dozens of patterns test one sentence in a row
_last_folded: tuple[str | None, str | None] = (None, None)


def _folded(string: str) -> str | None:
    global _last_folded
    last = _last_folded
    if last[0] is string:
        return last[1]
    lowered = string.lower() if string.isascii() else None
    _last_folded = (string, lowered)
    return lowered


class Prefiltered:
    """A compiled pattern that first tests for the strings one of which any match must
    contain (worked out from the pattern itself): a substring test is much cheaper than
    a scan, and most sentences hold none of a rule's cue words."""

    __slots__ = ("pattern", "words", "folded")

    def __init__(self, pattern: re.Pattern) -> None:
        self.pattern = pattern
        # ignoring case, a word is looked for in the lower-cased text; only in plain ASCII,
        # where upper and lower case are all that a letter may match
        self.folded = bool(pattern.flags & re.IGNORECASE)
        words = _needed(_sre.parse(pattern.pattern, pattern.flags & ~re.IGNORECASE))
        if words and self.folded:
            words = frozenset(w.lower() for w in words) if all(w.isascii() for w in words) else None
        self.words: tuple[str, ...] = tuple(sorted(words)) if words and len(words) <= _MAX_WORDS else ()

    def possible(self, string: str) -> bool:
        """False only when no match can exist in ``string``."""
        if not self.words:
            return True
        if self.folded:
            string = _folded(string)
            if string is None:
                return True
        for word in self.words:
            if word in string:
                return True
        return False

    def finditer(self, string: str, *args):
        return self.pattern.finditer(string, *args) if self.possible(string) else iter(())

    def search(self, string: str, *args) -> re.Match | None:
        return self.pattern.search(string, *args) if self.possible(string) else None

    def findall(self, string: str, *args) -> list:
        return self.pattern.findall(string, *args) if self.possible(string) else []

    def match(self, string: str, *args) -> re.Match | None:
        return self.pattern.match(string, *args)

    def fullmatch(self, string: str, *args) -> re.Match | None:
        return self.pattern.fullmatch(string, *args)


def prefiltered(pattern: str, flags: int = 0) -> Prefiltered:
    """``re.compile`` for a pattern that scans whole sentences or texts."""
    return Prefiltered(re.compile(pattern, flags))
