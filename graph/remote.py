"""The remote backend: any SPARQL 1.1 server, over the query and update protocols.

A deployment that outgrows one machine points civgraph at Oxigraph server, Apache Jena
Fuseki, GraphDB or QLever. The server must answer queries over the union of its named
graphs (``oxigraph serve --union-default-graph``; Fuseki's ``unionDefaultGraph``),
because civgraph keeps every report in a graph of its own.
"""
from __future__ import annotations

from typing import BinaryIO, Iterator, Mapping

import pyoxigraph as ox
import requests
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .errors import QueryError, StoreError, StoreUnavailable
from .formats import RdfFormat
from .namespaces import sparql_prologue
from .protocol import (GRAPH_FORMATS, RESULT_FORMATS, Answer, Dataset, Limits, NotAcceptable,
                       QueryTimeout, ResultTooLarge, check_query)
from .store import QueryResult, Store, serialize_quads, with_values
from .terms import Quad, from_ox

JSON_RESULTS = "application/sparql-results+json"
ACCEPT = f"{JSON_RESULTS}, application/n-triples;q=0.9"
ALL_QUADS = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
UNION_DISTINCT = "CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"


def update_endpoint_for(query_url: str) -> str:
    """The update endpoint that goes with a query endpoint, by the common conventions:
    ``…/query`` pairs with ``…/update`` (Oxigraph, Fuseki); otherwise the same URL."""
    if query_url.rstrip("/").endswith("/query"):
        return query_url.rstrip("/")[: -len("query")] + "update"
    return query_url


class RemoteStore(Store):
    """A SPARQL 1.1 server reached over HTTP."""

    def __init__(self, query_url: str, update_url: str | None = None, *,
                 timeout: float = 120.0):
        self.location = query_url
        self.query_url = query_url
        self.update_url = update_url or update_endpoint_for(query_url)
        self.timeout = timeout
        self._http = requests.Session()
        self._http.headers["User-Agent"] = "civgraph"

    # -- protocol -----------------------------------------------------------------
    def _post(self, url: str, **kwargs) -> requests.Response:
        try:
            response = self._http.post(url, timeout=(10, self.timeout), **kwargs)
        except requests.ConnectionError:
            raise StoreUnavailable(f"cannot reach the SPARQL server at {url}: is it running?") from None
        except requests.Timeout:
            raise StoreUnavailable(f"the SPARQL server at {url} did not answer within "
                                   f"{self.timeout:.0f} s") from None
        except requests.RequestException as e:
            raise StoreUnavailable(f"cannot talk to the SPARQL server at {url}: {e}") from None
        if response.status_code == 400:
            raise QueryError(f"the SPARQL server refused the request: {_body(response)}")
        if response.status_code >= 300:
            raise StoreError(f"the SPARQL server at {url} answered {response.status_code}: "
                             f"{_body(response)}")
        return response

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None, *,
              prefixes: bool = False) -> QueryResult:
        if prefixes:
            sparql = sparql_prologue() + sparql
        response = self._post(self.query_url, data=with_values(sparql, bindings).encode("utf-8"),
                              headers={"Content-Type": "application/sparql-query; charset=utf-8",
                                       "Accept": ACCEPT})
        kind = response.headers.get("Content-Type", "").split(";")[0].strip()
        if kind == JSON_RESULTS or kind.endswith("json"):
            return _json_result(response.json())
        try:
            triples = ox.parse(response.content, format=ox.RdfFormat.from_media_type(kind)
                               or ox.RdfFormat.N_TRIPLES)
            return QueryResult("graph", triples=[(from_ox(t.subject), from_ox(t.predicate),
                                                  from_ox(t.object)) for t in triples])
        except (SyntaxError, ValueError) as e:
            raise StoreError(f"the SPARQL server sent an answer civgraph cannot read ({kind}): {e}") from None

    def answer(self, sparql: str, *, dataset: Dataset | None = None,
               result_format: str | None = "json", graph_format: str | None = "turtle",
               limits: Limits | None = None, base_iri: str | None = None) -> Answer:
        check_query(sparql)
        dataset, limits = dataset or Dataset(), limits or Limits()
        accept = [f.media_type for f in (RESULT_FORMATS.get(result_format or ""),
                                          GRAPH_FORMATS.get(graph_format or "")) if f]
        params = [("default-graph-uri", g) for g in dataset.default]
        params += [("named-graph-uri", g) for g in dataset.named]
        try:
            response = self._http.post(
                self.query_url, params=params, data=sparql.encode("utf-8"), stream=True,
                timeout=(10, limits.timeout),
                headers={"Content-Type": "application/sparql-query; charset=utf-8",
                         "Accept": ", ".join(accept) or "*/*"})
        except requests.Timeout:
            raise QueryTimeout(f"the query ran longer than the limit of {limits.timeout:g} s; "
                               f"add a LIMIT or narrow the query") from None
        except requests.RequestException:
            raise StoreUnavailable(f"cannot reach the SPARQL server at {self.query_url}: "
                                   f"is it running?") from None
        with response:
            if response.status_code == 400:
                raise QueryError(f"malformed SPARQL query: {_body(response)}")
            if response.status_code == 406 or (response.status_code < 300 and not accept):
                raise NotAcceptable("the SPARQL server has no format that was accepted")
            if response.status_code >= 300:
                raise StoreError(f"the SPARQL server at {self.query_url} answered "
                                 f"{response.status_code}: {_body(response)}")
            media_type = response.headers.get("Content-Type", "").split(";")[0].strip()
            body, size = [], 0
            try:
                for chunk in response.iter_content(64 * 1024):
                    size += len(chunk)
                    if size > limits.max_bytes:
                        raise ResultTooLarge(
                            f"the answer is larger than the limit of "
                            f"{limits.max_bytes / 1048576:g} MB; add a LIMIT or narrow the query")
                    body.append(chunk)
            except requests.RequestException:
                raise QueryTimeout(f"the query ran longer than the limit of "
                                   f"{limits.timeout:g} s") from None
        kind = "graph" if media_type in {f.media_type for f in GRAPH_FORMATS.values()} else "select"
        return Answer(kind, media_type, b"".join(body))

    def update(self, sparql: str) -> None:
        if not sparql.strip():
            return
        self._post(self.update_url, data=sparql.encode("utf-8"),
                   headers={"Content-Type": "application/sparql-update; charset=utf-8"})

    # -- reading ------------------------------------------------------------------
    def named_graphs(self) -> list[str]:
        result = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(str(g) for g in result.column("g") if isinstance(g, URIRef))

    def quads(self, graph: str | None = None) -> Iterator[Quad]:
        bindings = {"g": URIRef(graph)} if graph else None
        for s, p, o, g in self.query(ALL_QUADS, bindings).rows:
            yield (s, p, o, g)

    def quad_count(self) -> int:
        n = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").scalar()
        return int(n) if n is not None else 0

    def dump(self, out: BinaryIO, fmt: RdfFormat) -> None:
        if fmt.keeps_graphs:
            serialize_quads(self.quads(), out, fmt)
        else:
            serialize_quads(((s, p, o, None) for s, p, o in self.query(UNION_DISTINCT).triples),
                            out, fmt)

    def close(self) -> None:
        self._http.close()


def _json_result(doc: dict) -> QueryResult:
    if "boolean" in doc:
        return QueryResult("ask", boolean=bool(doc["boolean"]))
    names = doc.get("head", {}).get("vars", [])
    rows = [tuple(_term(b.get(v)) for v in names) for b in doc.get("results", {}).get("bindings", [])]
    return QueryResult("select", variables=names, rows=rows)


def _term(cell: dict | None) -> Node | None:
    if cell is None:
        return None
    kind, value = cell["type"], cell["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if "xml:lang" in cell:
        return Literal(value, lang=cell["xml:lang"])
    datatype = cell.get("datatype")
    if datatype and datatype != "http://www.w3.org/2001/XMLSchema#string":
        return Literal(value, datatype=URIRef(datatype), normalize=False)
    return Literal(value)


def _body(response: requests.Response) -> str:
    text = response.text.strip().replace("\n", " ")
    return text[:500] or response.reason
