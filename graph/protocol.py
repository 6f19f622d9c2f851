"""Answering researchers' SPARQL queries: result formats, datasets, limits.

The web endpoint hands a query text from anyone on the internet to the store. This
module holds what every backend needs for that: which formats an answer can take, the
dataset a request names, the limits it runs under, and the checks made before a query
runs at all (read-only, no federation). The query text is never changed or pasted
into another query; it is only scanned.
"""
from __future__ import annotations

import io
import re
import time
from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox

from .errors import QueryError
from .formats import FORMATS, RdfFormat


class QueryRefused(QueryError):
    """The query asks for something this endpoint does not do (federation, updates)."""


class QueryTimeout(QueryError):
    """The query ran past the time limit and was stopped."""


class ResultTooLarge(QueryError):
    """The answer would be larger than the result-size limit."""


@dataclass(frozen=True)
class ResultFormat:
    """A serialization of SELECT and ASK results."""

    name: str
    media_type: str
    ox: ox.QueryResultsFormat


RESULT_FORMATS: dict[str, ResultFormat] = {
    f.name: f
    for f in (
        ResultFormat("json", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
        ResultFormat("xml", "application/sparql-results+xml", ox.QueryResultsFormat.XML),
        ResultFormat("csv", "text/csv", ox.QueryResultsFormat.CSV),
        ResultFormat("tsv", "text/tab-separated-values", ox.QueryResultsFormat.TSV),
    )
}

#: Graph formats a CONSTRUCT or DESCRIBE answer can take.
GRAPH_FORMATS: dict[str, RdfFormat] = {
    n: FORMATS[n] for n in ("turtle", "ntriples", "jsonld", "rdfxml")}


@dataclass(frozen=True)
class Dataset:
    """The RDF dataset a request names with ``default-graph-uri`` / ``named-graph-uri``.

    Empty means "as the query says": the union of all graphs as default graph, unless
    the query has FROM clauses of its own.
    """

    default: tuple[str, ...] = ()
    named: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.default or self.named)


@dataclass(frozen=True)
class Limits:
    """What one query may cost: wall-clock seconds and bytes of answer."""

    timeout: float = 30.0
    max_bytes: int = 50 * 1024 * 1024


@dataclass
class Answer:
    """A serialized answer, ready to send. ``kind`` is select, ask or graph."""

    kind: str
    media_type: str
    body: bytes = field(repr=False)


# -- scanning the query text ----------------------------------------------------------
# One token at a time, so that a keyword inside a string, an IRI or a comment is not
# taken for one: strings and IRIs first, then comments, variables, prefixed names, words.
_TOKEN = re.compile(r'''
    (?P<skip>
        """(?:[^"\\]|\\.|"(?!""))*"""
      | \'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
      | "(?:[^"\\\n]|\\.)*"
      | '(?:[^'\\\n]|\\.)*'
      | <[^<>"{}|^`\\\s]*>
      | \#[^\r\n]*
      | [?$][\w\u00b7\u00c0-\uffff]+
      | [\w\u00c0-\uffff.-]*:[\w\u00c0-\uffff.:%-]*
    )
  | (?P<word>[A-Za-z_][A-Za-z_0-9]*)
''', re.VERBOSE)


def keywords(sparql: str) -> set[str]:
    """The bare words of a query, upper-cased: its keywords and function names.

    Oxigraph also reads a keyword glued to the prefixed name after it
    (``SERVICEex:x { … }``), so a prefixed name that opens with SERVICE and is followed
    by a group counts as SERVICE.
    """
    words = set()
    for m in _TOKEN.finditer(sparql):
        word = m.group("word")
        if word:
            words.add(word.upper())
        elif m.group()[:7].upper() == "SERVICE" and _GROUP_NEXT.match(sparql, m.end()):
            words.add("SERVICE")
    return words


_GROUP_NEXT = re.compile(r"(?:\s|\#[^\r\n]*)*\{")


UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD"}


def check_query(sparql: str) -> frozenset[str]:
    """Refuse what a public read-only endpoint must not run; return the keywords.

    An update sent as a query fails to parse anyway; this gives it a clearer message.
    """
    return _checked_short(sparql) if len(sparql) <= 2048 else _checked(sparql)


def _checked(sparql: str) -> frozenset[str]:
    words = frozenset(keywords(sparql))
    if "SERVICE" in words:
        raise QueryRefused("SERVICE is not allowed: this endpoint answers from its own "
                           "graph and does not send queries to other hosts")
    if not words & {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"} and words & UPDATE_KEYWORDS:
        raise QueryRefused("this endpoint is read-only: SPARQL updates (INSERT, DELETE, "
                           "LOAD, CLEAR, DROP, …) are not accepted")
    return words


#: the same short queries come again and again; a refusal is an exception, never cached
_checked_short = lru_cache(maxsize=2048)(_checked)


# -- running a query against a pyoxigraph store ---------------------------------------
def timed_out(timeout: float) -> QueryTimeout:
    return QueryTimeout(f"the query ran longer than the limit of {timeout:g} s and was "
                        f"stopped; add a LIMIT or narrow the query")


class _Capped(io.RawIOBase):
    """A byte buffer that stops a serializer once the answer passes the size limit, or
    once it is still writing when the time is up.

    Oxigraph writes an answer in pieces as it computes it, so a query that answers a lot
    passes through here often: that is where it can be stopped in the process that runs
    it.
    """

    def __init__(self, limit: int, timeout: float | None = None):
        self.limit = limit
        self.timeout = timeout
        self.deadline = time.monotonic() + timeout if timeout is not None else None
        self.parts: list[bytes] = []
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise ResultTooLarge(
                f"the answer is larger than the limit of {_megabytes(self.limit)}; "
                f"add a LIMIT or narrow the query")
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise timed_out(self.timeout or 0)
        self.parts.append(bytes(data))
        return len(data)

    def value(self) -> bytes:
        return b"".join(self.parts)


def run_query(store: ox.Store, sparql: str, dataset: Dataset, result_format: str | None,
              graph_format: str | None, max_bytes: int, base_iri: str | None = None,
              timeout: float | None = None, words: frozenset[str] | None = None) -> Answer:
    """Run a query on a pyoxigraph store and serialize its answer.

    ``result_format`` is used for SELECT and ASK, ``graph_format`` for CONSTRUCT and
    DESCRIBE; either may be None when the client accepts none of those formats. The
    answer stops at ``max_bytes``, and at ``timeout`` seconds if it is still being
    written then (a query that computes long before it writes is not stopped here).
    ``words`` are the query's keywords where the caller has checked them already.
    """
    if words is None:
        words = check_query(sparql)
    options: dict = {"base_iri": base_iri}
    if dataset:
        options["default_graph"] = [ox.NamedNode(g) for g in dataset.default]
        options["named_graphs"] = [ox.NamedNode(g) for g in dataset.named]
    elif "FROM" not in words:
        options["use_default_graph_as_union"] = True
    try:
        out = _Capped(max_bytes, timeout)
        answer = store.query(sparql, **options)
        if isinstance(answer, ox.QueryTriples):
            fmt = GRAPH_FORMATS.get(graph_format or "")
            if fmt is None:
                raise _not_acceptable("a CONSTRUCT or DESCRIBE query gives a graph", GRAPH_FORMATS)
            answer.serialize(out, format=fmt.ox)
            return Answer("graph", fmt.media_type, out.value())
        rfmt = RESULT_FORMATS.get(result_format or "")
        if rfmt is None:
            raise _not_acceptable("a SELECT or ASK query gives a table", RESULT_FORMATS)
        kind = "ask" if isinstance(answer, ox.QueryBoolean) else "select"
        answer.serialize(out, format=rfmt.ox)
        return Answer(kind, rfmt.media_type, out.value())
    except SyntaxError as e:
        raise QueryError(f"malformed SPARQL query: {syntax_message(str(e))}") from None
    except OSError as e:
        raise QueryError(f"the query failed: {e}") from None


def syntax_message(text: str, limit: int = 300) -> str:
    """The parser's message with its position, without the pages of character ranges
    it lists as expected."""
    text = re.sub(r"\s+", " ", text)
    if len(text) <= limit:
        return text
    cut = text.rfind(",", 0, limit)
    return text[: cut if cut > 0 else limit] + ", …"


class NotAcceptable(QueryError):
    """The client accepts no format that this kind of answer can take."""


def _not_acceptable(what: str, formats: dict) -> NotAcceptable:
    names = ", ".join(getattr(f, "media_type") for f in formats.values())
    return NotAcceptable(f"{what}, which can be sent as {names}; none of these was accepted")


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB"
