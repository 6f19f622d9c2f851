"""Which endpoint queries may run in the serving process instead of a query worker.

A query worker costs a hand-over between processes on every query, 0.25–0.5 ms on a
busy two-core machine: more than a look-up query itself takes. The workers exist only
because pyoxigraph cannot stop a query that runs past the time limit; a query that
cannot run long does not need one. Two kinds of query are taken as such:

- **bounded by their shape** (``bounded``): at most two triple patterns and nothing
  that makes Oxigraph compute without answering. Their work is a pass over the index
  ranges the patterns name, plus what they answer; the answer is written as it is made,
  and every write checks the time and size limits (``protocol.run_query``). That holds
  only while a pass over the store is short next to the time limit, and over the
  default dataset, so ``EmbeddedStore.answer`` checks the store's size and the
  request's dataset too.
- **seen to be quick** (``QuickQueries``): the very same query text, dataset and base
  answered by a worker in a small fraction of the time limit, on the same data.
  Evaluation is deterministic, so it costs the same again; a write to the store forgets
  every such query.

Everything else, including any query this module cannot read, goes to a worker.
"""
from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from functools import lru_cache

from .protocol import Dataset

# -- bounded by shape -------------------------------------------------------------------
# A small lexer for the subset of SPARQL this module admits. Anything it does not know
# (parentheses, brackets, paths, long strings, escapes in names) fails to lex, and the
# query goes to a worker: a wrong "no" costs a few tenths of a millisecond, a wrong
# "yes" could hold a core past the time limit.
_LEX = re.compile(r'''
    (?P<space>\s+|\#[^\r\n]*)
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)
  | (?P<string>"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<dtype>\^\^)
  | (?P<number>[+-]?(?:\d*\.\d+|\d+)(?:[eE][+-]?\d+)?)
  | (?P<pname>(?:[A-Za-z_][\w-]*(?:\.[\w-]+)*)?:(?:[\w-]+(?:\.[\w-]+)*)?)
  | (?P<word>[A-Za-z]+)
  | (?P<punct>[{}.;,*])
  | (?P<other>.)
''', re.VERBOSE)

#: Tokens that are RDF terms; two of them may not touch (``ex:a:b`` is one name).
_TERMS = {"iri", "var", "string", "number", "pname", "word"}
#: Bare words of the admitted subset, upper-cased ("a" is checked apart: it is
#: case-sensitive).
_WORDS = {"PREFIX", "BASE", "SELECT", "ASK", "DESCRIBE", "WHERE", "DISTINCT", "REDUCED",
          "LIMIT", "OFFSET", "TRUE", "FALSE"}


#: Characters and words that no admitted query holds outside an IRI or a string: most
#: queries that go to a worker are told by a few substring tests, without reading them.
_NEVER_CHARS = "()[]|"
#: (a keyword may be glued to the name after it, ``SERVICEex:x``, so only what comes
#: before it is looked at)
_NEVER_WORDS = re.compile(r"(?<![\w:#/?$])(?:FILTER|OPTIONAL|UNION|GRAPH|ORDER|GROUP|VALUES"
                          r"|BIND|MINUS|SERVICE|FROM|CONSTRUCT|HAVING|EXISTS)")
#: At most this many resources to DESCRIBE, or variables to SELECT: a long list costs
#: Oxigraph work on every solution (and thousands of DESCRIBE names overflow its stack).
_MOST_NAMES = 16


class _NotAdmitted(Exception):
    """The query is outside the subset: it goes to a worker."""


def _tokens(sparql: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    previous_end, previous_kind = -1, ""
    for m in _LEX.finditer(sparql):
        kind = m.lastgroup
        if kind == "space":
            continue
        text = m.group()
        if kind == "other" or (kind == "word" and text != "a" and text.upper() not in _WORDS):
            raise _NotAdmitted
        if kind in _TERMS and previous_kind in _TERMS and previous_end == m.start():
            raise _NotAdmitted
        found.append((kind, text))
        previous_end, previous_kind = m.end(), kind
    return found


class _Reader:
    """Reads the admitted subset from a token list; raises ``_NotAdmitted`` elsewhere."""

    def __init__(self, tokens: list[tuple[str, str]]):
        self.tokens = tokens
        self.i = 0

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.i] if self.i < len(self.tokens) else ("end", "")

    def take(self, *kinds: str) -> tuple[str, str]:
        token = self.peek()
        if token[0] not in kinds:
            raise _NotAdmitted
        self.i += 1
        return token

    def keyword(self, *words: str) -> str | None:
        """The next token if it is one of ``words`` (any case), taken; else None."""
        kind, text = self.peek()
        if kind == "word" and text != "a" and text.upper() in words:
            self.i += 1
            return text.upper()
        return None

    def punct(self, char: str) -> bool:
        if self.peek() == ("punct", char):
            self.i += 1
            return True
        return False

    def term(self, predicate: bool = False) -> tuple[bool, str]:
        """One RDF term: (is it a constant, its identity for joins)."""
        kind, text = self.take("iri", "var", "string", "number", "pname", "word")
        if kind == "var":
            return False, "?" + text[1:]
        if kind == "pname" and text.startswith("_:"):
            return False, text  # a blank node in a pattern is a variable
        if kind == "word":
            if predicate and text == "a":
                return True, text
            if predicate or text.upper() not in ("TRUE", "FALSE"):
                raise _NotAdmitted
        if kind in ("string", "number") and predicate:
            raise _NotAdmitted
        if kind == "string":
            if self.peek()[0] == "lang":
                self.i += 1
            elif self.peek()[0] == "dtype":
                self.i += 1
                self.take("iri", "pname")
        return True, text


def _patterns(reader: _Reader) -> list[tuple[tuple[bool, str], ...]]:
    """The triple patterns of a ``{ … }`` group with nothing but triples in it."""
    found = []
    if not reader.punct("{"):
        raise _NotAdmitted
    while not reader.punct("}"):
        subject = reader.term()
        while True:
            verb = reader.term(predicate=True)
            while True:
                found.append((subject, verb, reader.term()))
                if not reader.punct(","):
                    break
            if not reader.punct(";"):
                break
            if reader.peek() in (("punct", "."), ("punct", "}")):
                break  # a trailing ';' before the end of the statement
        if not reader.punct(".") and reader.peek() != ("punct", "}"):
            raise _NotAdmitted
    return found


def _admits(sparql: str) -> bool:
    reader = _Reader(_tokens(sparql))
    while (word := reader.keyword("PREFIX", "BASE")) is not None:
        if word == "PREFIX":
            name = reader.take("pname")[1]
            if not name.endswith(":") or name.startswith("_:"):
                raise _NotAdmitted
        reader.take("iri")
    form = reader.keyword("SELECT", "ASK", "DESCRIBE")
    if form == "DESCRIBE":  # the description of a few named resources, and nothing else
        names = [reader.take("iri", "pname")]
        while reader.peek()[0] in ("iri", "pname"):
            names.append(reader.take("iri", "pname"))
        return reader.peek()[0] == "end" and len(names) <= _MOST_NAMES
    distinct, projected = False, []
    if form == "SELECT":
        distinct = reader.keyword("DISTINCT", "REDUCED") is not None
        if not reader.punct("*"):
            projected.append("?" + reader.take("var")[1][1:])
            while reader.peek()[0] == "var":
                projected.append("?" + reader.take("var")[1][1:])
    elif form is None:
        raise _NotAdmitted
    reader.keyword("WHERE")
    patterns = _patterns(reader)
    modifiers = set()
    while (word := reader.keyword("LIMIT", "OFFSET")) is not None:
        if word in modifiers or not reader.take("number")[1].isdigit():
            raise _NotAdmitted
        modifiers.add(word)
    if reader.peek()[0] != "end":
        raise _NotAdmitted
    variables = {t for pattern in patterns for c, t in pattern if not c}
    if len(projected) > _MOST_NAMES or not set(projected) <= variables:
        return False
    if len(patterns) <= 1:
        # one pass over one index range; but DISTINCT remembers every solution, and
        # with OFFSET it need not write them
        return not (distinct and "OFFSET" in modifiers)
    if len(patterns) > 2 or distinct or "OFFSET" in modifiers:
        # Past two patterns, or with solutions that are computed and not written
        # (DISTINCT folds them, OFFSET skips them), the work is no longer bounded by
        # what is written.
        return False
    first, second = patterns
    if any(len({t for c, t in p if not c}) < sum(not c for c, _ in p) for p in patterns):
        # a variable twice in one pattern (``?x ?q ?q``) is a filter inside an index
        # range, run again for every solution of the other pattern
        return False
    shared = {t for c, t in first if not c} & {t for c, t in second if not c}
    anchored = any(first[i][0] or second[i][0] for i in (0, 2))
    return bool(shared) and anchored


def bounded(sparql: str) -> bool:
    """Whether a query's work is bounded by a pass over the store and what it answers.

    Admitted: ``DESCRIBE`` of up to 16 named resources; ``SELECT`` (up to 16 of the
    patterns' variables, or ``*``) or ``ASK`` over one triple pattern (with DISTINCT or
    OFFSET, LIMIT); over two triple patterns that share a variable and name a subject
    or object, with no variable twice in one pattern, without DISTINCT or OFFSET.
    PREFIX and BASE are allowed; FILTER, OPTIONAL, GRAPH, paths, aggregates, ORDER BY,
    FROM and all else are not.
    """
    # clients send the same short queries again and again; reading one costs 20-40 µs
    return _bounded_short(sparql) if len(sparql) <= 2048 else _bounded(sparql)


def _bounded(sparql: str) -> bool:
    if any(c in sparql for c in _NEVER_CHARS) or _NEVER_WORDS.search(sparql.upper()):
        return False
    try:
        return _admits(sparql)
    except _NotAdmitted:
        return False


_bounded_short = lru_cache(maxsize=2048)(_bounded)


# -- seen to be quick -------------------------------------------------------------------
class QuickQueries:
    """Queries a worker answered quickly on the current data, by a digest of their text.

    Holds digests, not query texts (a text may be 100,000 characters), at most
    ``size`` of them, the least recently used dropped first.
    """

    def __init__(self, size: int = 4096):
        self._size = size
        self._seen: OrderedDict[bytes, None] = OrderedDict()
        self._generation: int | None = None
        self._lock = threading.Lock()

    @staticmethod
    def key(sparql: str, dataset: Dataset, base_iri: str | None) -> bytes:
        digest = hashlib.blake2b(digest_size=16)
        for part in (sparql, "\x00".join(dataset.default), "\x00".join(dataset.named),
                     base_iri or ""):
            digest.update(part.encode("utf-8", "surrogatepass"))
            digest.update(b"\x01")
        return digest.digest()

    def __contains__(self, item: tuple[bytes, int]) -> bool:
        key, generation = item
        with self._lock:
            if generation != self._generation or key not in self._seen:
                return False
            self._seen.move_to_end(key)
            return True

    def add(self, key: bytes, generation: int) -> None:
        with self._lock:
            if generation != self._generation:
                self._seen.clear()
                self._generation = generation
            self._seen[key] = None
            self._seen.move_to_end(key)
            while len(self._seen) > self._size:
                self._seen.popitem(last=False)

    def __len__(self) -> int:
        return len(self._seen)
