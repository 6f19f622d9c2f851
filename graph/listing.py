"""Lists of resources by kind (organisations, forums, funders, …) and name search.

Each kind is a graph pattern that binds ``?x``; the pages add names, a date or a count
and a page of results. User input (a year, a place, a search string) is used inside
FILTERs, where a trailing VALUES binding would come too late (it joins after the
filters and the grouping): it goes in as a term written by pyoxigraph's serializer,
which escapes it, never as pasted text.
"""
from __future__ import annotations

from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from .namespaces import sparql_prologue
from .store import Store
from .terms import nt

PREFIX = sparql_prologue()
PAGE_SIZE = 100


@dataclass(frozen=True)
class Kind:
    slug: str
    title: str
    pattern: str  # binds ?x
    dated: bool = False  # listed by date, newest first, rather than by name


KINDS: dict[str, Kind] = {k.slug: k for k in (
    Kind("organisations", "Organisations", "?x a org:Organization ."),
    Kind("forums", "Forums", "?x a cg:Forum ."),
    Kind("funders", "Funders", "?funded schema:funder ?x ."),
    Kind("projects", "Projects", "?x a cg:Project ."),
    Kind("events", "Events", "?x a schema:Event .", dated=True),
    Kind("people", "People", "?x a schema:Person ."),
    Kind("places", "Places", "?x a schema:Place ."),
    Kind("reports", "Reports", "?x a schema:Report .", dated=True),
)}


@dataclass
class Row:
    iri: URIRef
    name: str
    date: Node | None
    detail: str
    reports: int


@dataclass
class Page:
    kind: Kind
    rows: list[Row]
    total: int
    page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def _filters(year: int | None, place: str | None) -> str:
    parts = []
    if year is not None:
        parts.append("?x schema:startDate|schema:datePublished ?fdate . "
                     f"FILTER (YEAR(?fdate) = {nt(Literal(int(year), datatype=XSD.integer))})")
    if place is not None:
        parts.append(f"?x schema:location {nt(URIRef(place))} .")
    return "\n".join(parts)


def list_kind(store: Store, slug: str, page: int = 1, year: int | None = None,
              place: str | None = None) -> Page:
    """One page of resources of a kind, with their names, dates and report counts."""
    kind = KINDS[slug]
    extra = _filters(year, place)
    where = f"{{ SELECT DISTINCT ?x WHERE {{ {kind.pattern} {extra} }} }}"
    total = store.query(PREFIX + f"SELECT (COUNT(*) AS ?n) WHERE {where}").scalar()
    order = "DESC(?date) ?name" if kind.dated else "LCASE(STR(?name))"
    query = PREFIX + f"""
SELECT ?x (SAMPLE(?label) AS ?name) (MIN(?d) AS ?date) (SAMPLE(?tlabel) AS ?detail)
       (COUNT(DISTINCT ?r) AS ?reports) WHERE {{
  {where}
  OPTIONAL {{ ?x rdfs:label ?label }}
  OPTIONAL {{ ?x schema:startDate|schema:datePublished ?d }}
  OPTIONAL {{ ?x schema:location/rdfs:label|schema:author/rdfs:label ?tlabel }}
  OPTIONAL {{ {{ ?r schema:mentions ?x }} UNION {{ ?st rdf:subject ?x ; prov:wasDerivedFrom ?r }} }}
}} GROUP BY ?x ORDER BY {order} LIMIT {PAGE_SIZE} OFFSET {(max(1, page) - 1) * PAGE_SIZE}"""
    rows = [Row(x, str(name or x), date, str(detail or ""), int(reports or 0))
            for x, name, date, detail, reports in store.query(query).rows]
    return Page(kind, rows, int(total or 0), max(1, page))


def years(store: Store) -> list[int]:
    """The years in which events took place, for the events filter."""
    rows = store.query(PREFIX + "SELECT DISTINCT (YEAR(?d) AS ?y) WHERE { ?e a schema:Event ; "
                                "schema:startDate ?d } ORDER BY DESC(?y)").rows
    return [int(y) for (y,) in rows if y is not None]


def event_places(store: Store) -> list[tuple[URIRef, str]]:
    """Places where events took place, for the events filter."""
    rows = store.query(PREFIX + """SELECT ?p (SAMPLE(?l) AS ?name) WHERE {
        ?e a schema:Event ; schema:location ?p . OPTIONAL { ?p rdfs:label ?l } }
        GROUP BY ?p ORDER BY LCASE(STR(?name))""").rows
    return [(p, str(name or p)) for p, name in rows]


SEARCH = PREFIX + """
SELECT ?x (SAMPLE(?label) AS ?name) (SAMPLE(?hit) AS ?matched) (MIN(?rank) AS ?best)
       (SAMPLE(?type) AS ?class) WHERE {
  { ?x rdfs:label ?hit } UNION { ?x skos:altLabel ?hit }
  BIND (LCASE(STR(?hit)) AS ?h)
  FILTER (CONTAINS(?h, %(q)s))
  BIND (IF(?h = %(q)s, 0, IF(STRSTARTS(?h, %(q)s), 1, 2)) AS ?rank)
  FILTER NOT EXISTS { ?x a cg:FactStatement }
  OPTIONAL { ?x rdfs:label ?label }
  OPTIONAL { ?x a ?type }
} GROUP BY ?x ORDER BY ?best LCASE(STR(?name)) LIMIT 50"""


@dataclass
class Hit:
    iri: URIRef
    name: str
    matched: str
    cls: URIRef | None


def search(store: Store, text: str) -> list[Hit]:
    """Resources whose name or other name contains ``text`` (any case): exact matches
    first, then names that start with it."""
    q = " ".join(text.split()).lower()
    if not q:
        return []
    rows = store.query(SEARCH % {"q": nt(Literal(q))}).rows
    return [Hit(x, str(name or matched), str(matched), cls if isinstance(cls, URIRef) else None)
            for x, name, matched, _rank, cls in rows]
