"""Exports: the whole dataset in any RDF format, streamed; and "everything about one
organisation" for partners who take their data elsewhere.

Both ``civgraph export`` and the web app's ``/export`` come through here, so a file
and a download are the same bytes.
"""
from __future__ import annotations

import json
import queue
import threading
from typing import BinaryIO, Iterable, Iterator

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from .errors import CivgraphError
from .formats import RdfFormat
from .namespaces import PREFIXES, RDF, sparql_prologue
from .store import Store
from .terms import Quad, nt

CHUNK = 64 * 1024


def export(store: Store, out: BinaryIO, fmt: RdfFormat) -> None:
    """Write the dataset to ``out``. TriG, N-Quads and JSON-LD keep the named graphs
    (one per report, with their provenance); Turtle, N-Triples and RDF/XML hold the
    union of the graphs. JSON-LD uses the ontology's context."""
    if fmt.name == "jsonld":
        from civgraph import ontology
        write_jsonld(store.quads(), out, ontology.context()["@context"])
    else:
        store.dump(out, fmt)


# -- streaming ------------------------------------------------------------------------
class _Closed(Exception):
    """The reader went away (a client closed its download)."""


class _QueueWriter:
    """A file-like sink whose chunks a reader takes from a bounded queue: the writer
    waits when the reader is slow, so memory stays bounded whatever the dataset."""

    def __init__(self, depth: int = 16):
        self.chunks: queue.Queue[bytes | BaseException | None] = queue.Queue(depth)
        self.buffer = bytearray()
        self.closed = False

    def write(self, data) -> int:
        if self.closed:
            raise _Closed()
        self.buffer += data
        if len(self.buffer) >= CHUNK:
            self._put(bytes(self.buffer))
            self.buffer.clear()
        return len(data)

    def flush(self) -> None:
        pass

    def _put(self, item) -> None:
        while True:
            if self.closed:
                raise _Closed()
            try:
                self.chunks.put(item, timeout=0.5)
                return
            except queue.Full:
                continue

    def finish(self, error: BaseException | None = None) -> None:
        try:
            if self.buffer and error is None:
                self._put(bytes(self.buffer))
            self._put(error)
        except _Closed:
            pass


def stream(store: Store, fmt: RdfFormat) -> Iterator[bytes]:
    """The export as chunks, produced by a thread while they are sent. Closing the
    iterator early (a client that hangs up) stops the export."""
    sink = _QueueWriter()

    def produce() -> None:
        try:
            export(store, sink, fmt)  # type: ignore[arg-type]
        except _Closed:
            return
        except BaseException as e:  # handed to the reader, raised there
            sink.finish(e)
            return
        sink.finish()

    thread = threading.Thread(target=produce, name="civgraph-export", daemon=True)
    thread.start()
    try:
        while True:
            item = sink.chunks.get()
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        sink.closed = True
        thread.join(timeout=5)


# -- JSON-LD with the ontology's context ----------------------------------------------
def write_jsonld(quads: Iterable[Quad], out: BinaryIO, context: dict) -> None:
    """Write quads as one JSON-LD document under ``context``, a node object per subject
    in each named graph, without holding the dataset in memory.

    Quads come grouped by graph and subject from the stores; where they are not, a
    subject or graph simply appears in more than one object, which JSON-LD merges.
    Properties and classes are written as compact IRIs (``schema:organizer``) with the
    context's prefixes; values keep their full form, so nothing depends on the
    context's term definitions to be read right.
    """
    prefixes = [(ns, p) for p, ns in PREFIXES.items() if isinstance(context.get(p), str)]
    prefixes.sort(key=lambda pair: len(pair[0]), reverse=True)

    def compact(iri: str) -> str:
        for ns, p in prefixes:
            if iri.startswith(ns) and _local_ok(iri[len(ns):]):
                return f"{p}:{iri[len(ns):]}"
        return iri

    def write(text: str) -> None:
        out.write(text.encode("utf-8"))

    write('{"@context": ' + json.dumps(context, ensure_ascii=False) + ',\n "@graph": [')
    first_top = True          # nothing written yet in the top-level @graph
    inner: bool | None = None  # inside a named graph's @graph: is the next node its first?
    graph: object = _NONE
    node: dict | None = None

    def item(text: str) -> None:
        """Write an entry of the list that is open: a named graph's, or the top one."""
        nonlocal first_top, inner
        if inner is None:
            write(("\n " if first_top else ",\n ") + text)
            first_top = False
        else:
            write(("\n  " if inner else ",\n  ") + text)
            inner = False

    def flush_node() -> None:
        nonlocal node
        if node is not None:
            item(json.dumps(node, ensure_ascii=False))
        node = None

    for s, p, o, g in quads:
        if g != graph:
            flush_node()
            if inner is not None:
                write("\n ]}")
                inner = None
            graph = g
            if g is not None:
                item('{"@id": ' + json.dumps(_id(g)) + ', "@graph": [')
                inner = True
        if node is None or node["@id"] != _id(s):
            flush_node()
            node = {"@id": _id(s)}
        if p == RDF.type and isinstance(o, URIRef):
            node.setdefault("@type", []).append(compact(str(o)))
        else:
            node.setdefault(compact(str(p)), []).append(_value(o, compact))
    flush_node()
    if inner is not None:
        write("\n ]}")
    write("\n]}\n")


_NONE = object()


def _local_ok(local: str) -> bool:
    """Whether ``prefix:local`` reads back as the same IRI (no '/', '#', '?', ':')."""
    return bool(local) and not any(c in local for c in "/#?:") and not local.startswith("_")


def _id(term) -> str:
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def _value(term, compact) -> dict:
    if isinstance(term, URIRef):
        return {"@id": str(term)}
    if isinstance(term, BNode):
        return {"@id": f"_:{term}"}
    assert isinstance(term, Literal)
    if term.language:
        return {"@value": str(term), "@language": term.language}
    if term.datatype is None or term.datatype == XSD.string:
        return {"@value": str(term)}
    return {"@value": str(term), "@type": compact(str(term.datatype))}


# -- everything about one organisation ------------------------------------------------
def checked_iri(text: str) -> str:
    """``text`` if it is an absolute IRI, else a CivgraphError that says so."""
    import pyoxigraph as ox

    try:
        ox.NamedNode(text)
    except ValueError:
        raise CivgraphError(f"{text!r} is not an IRI (an address such as "
                            f"http://localhost:5000/id/org/…)") from None
    if ":" not in text:
        raise CivgraphError(f"{text!r} is not an absolute IRI")
    return text


ABOUT = sparql_prologue() + """
CONSTRUCT {
  ?x ?p ?o .
  ?o rdfs:label ?olabel . ?o a ?otype .
  ?st ?sp ?so .
  ?report a schema:Report ; rdfs:label ?rlabel ; schema:datePublished ?published ;
          dcterms:source ?source .
} WHERE {
  {
    # the organisation itself, its units and the events and projects it takes part in
    { BIND (%(org)s AS ?x) }
    UNION { ?x org:unitOf %(org)s }
    UNION { ?x schema:organizer|cg:partner|schema:funder|cg:implementedBy|schema:attendee|cg:facilitator %(org)s }
    UNION { %(org)s org:memberOf ?x }
    ?x ?p ?o .
    FILTER (?p NOT IN (rdf:subject, rdf:predicate, rdf:object, schema:text))
    FILTER NOT EXISTS { ?x a cg:FactStatement }
    FILTER NOT EXISTS { ?x a schema:Report }
    OPTIONAL { ?o rdfs:label ?olabel }
    OPTIONAL { ?o a ?otype }
  }
  UNION
  {
    # the statements that source those facts, and the reports they come from
    { BIND (%(org)s AS ?x) }
    UNION { ?x org:unitOf %(org)s }
    UNION { ?x schema:organizer|cg:partner|schema:funder|cg:implementedBy|schema:attendee|cg:facilitator %(org)s }
    UNION { %(org)s org:memberOf ?x }
    ?st a cg:FactStatement ; rdf:subject ?x ; ?sp ?so ; prov:wasDerivedFrom ?report .
    OPTIONAL { ?report rdfs:label ?rlabel }
    OPTIONAL { ?report schema:datePublished ?published }
    OPTIONAL { ?report dcterms:source ?source }
  }
}"""


def about(store: Store, iri: str) -> Graph:
    """Everything about an organisation, ready to load elsewhere: its own facts, its
    units, the events and projects it organises, funds, implements or joins (with all
    their facts), the organisations it is a member of, the names and classes of every
    resource named, and the statements and reports each fact comes from."""
    # the IRI is needed inside a BIND, where a trailing VALUES binding would come too
    # late: it goes in as a term written (and escaped) by pyoxigraph
    found = store.query(ABOUT % {"org": nt(URIRef(checked_iri(iri)))})
    graph = Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    for triple in found.triples:
        graph.add(triple)
    if not len(graph):
        raise CivgraphError(f"the graph holds nothing about {iri}")
    return graph
