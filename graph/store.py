"""The one interface through which civgraph reads and writes RDF.

Three backends sit behind it, chosen by a location string (see ``open_store``): an
embedded Oxigraph store in a directory, an in-memory Oxigraph store, and any SPARQL 1.1
server over HTTP. Everything above this layer speaks rdflib terms and this interface,
never a backend.

Two rules every backend keeps:
- queries see the union of the named graphs (each report is its own graph, and a
  researcher asks about the whole network);
- a set of graphs is replaced in one transaction (one SPARQL update request, which
  both Oxigraph and SPARQL servers apply as one; or, for graphs the embedded store does
  not hold yet, one transactional load), so a reader never sees half a report.
"""
from __future__ import annotations

import io
from abc import ABC, abstractmethod
from collections import defaultdict
from dataclasses import dataclass, field
from typing import BinaryIO, Iterable, Iterator, Mapping

import pyoxigraph as ox
import rdflib
from rdflib import Variable
from rdflib.term import Node

from .errors import FormatError, QueryError
from .formats import RdfFormat
from .protocol import Answer, Dataset, Limits
from .terms import Quad, Triple, from_ox, nt

RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml")


@dataclass
class QueryResult:
    """The answer to a query, in rdflib terms, whatever the backend.

    ``kind`` is ``select``, ``ask`` or ``graph`` (CONSTRUCT and DESCRIBE).
    """

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[Triple] = field(default_factory=list)

    def bindings(self) -> list[dict[str, Node]]:
        """Rows as dictionaries, leaving out unbound variables."""
        return [{v: t for v, t in zip(self.variables, row) if t is not None} for row in self.rows]

    def column(self, name: str) -> list[Node | None]:
        i = self.variables.index(name)
        return [row[i] for row in self.rows]

    def scalar(self) -> Node | None:
        """The first value of the first row: for COUNT queries and the like."""
        return self.rows[0][0] if self.rows and self.rows[0] else None

    def to_rdflib(self) -> rdflib.query.Result:
        """The same answer as an rdflib ``Result``, to use rdflib's serializers."""
        kinds = {"select": "SELECT", "ask": "ASK", "graph": "CONSTRUCT"}
        result = rdflib.query.Result(kinds[self.kind])
        if self.kind == "select":
            result.vars = [Variable(v) for v in self.variables]
            result.bindings = [{Variable(k): t for k, t in b.items()} for b in self.bindings()]
        elif self.kind == "ask":
            result.askAnswer = bool(self.boolean)
        else:
            graph = rdflib.Graph()
            for t in self.triples:
                graph.add(t)
            result.graph = graph
        return result


class Store(ABC):
    """A dataset of named graphs that civgraph can query and change."""

    location: str
    #: how many endpoint queries may run at once, where the backend runs them itself
    query_workers: int = 1

    # -- reading ------------------------------------------------------------------
    @abstractmethod
    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None, *,
              prefixes: bool = False) -> QueryResult:
        """Run a SPARQL query over the union of the graphs.

        ``bindings`` fix variables to terms (for instance a resource a user asked for);
        use them instead of formatting values into the query text. ``prefixes``
        pre-declares civgraph's prefixes (cg:, org:, schema:, …) for people who type
        queries.
        """

    @abstractmethod
    def answer(self, sparql: str, *, dataset: Dataset | None = None,
               result_format: str | None = "json", graph_format: str | None = "turtle",
               limits: Limits | None = None, base_iri: str | None = None) -> Answer:
        """Answer a query from anyone, serialized, under time and size limits.

        This is what a public endpoint calls: the query is checked (no updates, no
        SERVICE), runs over ``dataset`` or the union of the graphs, and is stopped
        with ``QueryTimeout`` or ``ResultTooLarge`` when it passes ``limits``.
        SELECT and ASK answers come in ``result_format`` (json, xml, csv, tsv),
        CONSTRUCT and DESCRIBE in ``graph_format`` (turtle, ntriples, jsonld,
        rdfxml); a None format means the client accepts none of them. Relative
        IRIs in the query resolve against ``base_iri`` (the endpoint's address).
        """

    @abstractmethod
    def named_graphs(self) -> list[str]:
        """The IRIs of the named graphs the store holds."""

    @abstractmethod
    def quads(self, graph: str | None = None) -> Iterator[Quad]:
        """Every quad, or those of one graph, as rdflib terms."""

    @abstractmethod
    def quad_count(self) -> int:
        """The number of quads in all graphs."""

    @abstractmethod
    def dump(self, out: BinaryIO, fmt: RdfFormat) -> None:
        """Write the dataset to ``out``: all graphs for TriG and N-Quads, their union
        (without duplicates) for formats that hold triples only."""

    # -- writing ------------------------------------------------------------------
    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL update, as one transaction."""

    def replace_graphs(self, graphs: Mapping[str, Iterable[Triple]],
                       drop: Iterable[str] = ()) -> None:
        """Replace each named graph with the given triples and drop the graphs in
        ``drop``, all in one transaction."""
        lines = NTriples()
        self.replace_ntriples({g: lines.block(triples) for g, triples in graphs.items()}, drop)

    def replace_ntriples(self, blocks: Mapping[str, str], drop: Iterable[str] = ()) -> None:
        """``replace_graphs`` with each graph's triples already written as N-Triples
        lines by one ``NTriples`` (as ``GraphWriter`` does), in one transaction."""
        self.update(ntriples_update(blocks, drop))

    def graph_writer(self, batch: int = 32) -> "GraphWriter":
        """A writer that replaces graphs one by one and writes them ``batch`` to a
        transaction (see ``GraphWriter``)."""
        return GraphWriter(self, batch)

    def drop_graphs(self, graphs: Iterable[str]) -> None:
        """Drop named graphs (those that do not exist are ignored), in one transaction."""
        graphs = list(graphs)
        if graphs:
            self.update(replacement_update({}, graphs))

    def load(self, data: bytes | BinaryIO, fmt: RdfFormat, graph: str,
             base_iri: str | None = None) -> dict[str, int]:
        """Parse RDF and store it, replacing the graphs it fills, in one transaction.

        Triples outside any named graph go to ``graph``; a TriG or N-Quads file keeps
        its named graphs. The whole input is parsed before anything is written, so a
        file that does not parse changes nothing. Returns triples per graph.
        """
        grouped = parse_grouped(data, fmt, graph, base_iri)
        self.replace_graphs(grouped)
        return {g: len(ts) for g, ts in grouped.items()}

    def close(self) -> None:
        """Release the store (the embedded store's directory lock, a session)."""

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class GraphWriter:
    """Replaces graphs one at a time, and writes them a batch to a transaction.

    Each batch is written as one ``replace_graphs`` would write it, so a failure loses
    nothing already written and leaves no graph half written. A graph's triples are
    written out as N-Triples text as soon as they are given: a batch waiting for its
    transaction holds a string a graph rather than thousands of term objects, which
    Python's garbage collector would otherwise walk again and again. Used as a context
    manager, the last batch is written on leaving the block, unless by an exception.
    """

    def __init__(self, store: Store, batch: int = 32) -> None:
        self.store = store
        self.batch = batch
        self._blocks: dict[str, str] = {}
        self._lines = NTriples()

    def replace(self, graph: str, triples: Iterable[Triple]) -> None:
        """Replace ``graph`` with ``triples`` (at the latest when the batch is written)."""
        self._blocks[graph] = self._lines.block(triples)
        if len(self._blocks) >= self.batch:
            self.commit()

    def commit(self) -> None:
        """Write the graphs replaced since the last commit, in one transaction."""
        if self._blocks:
            blocks, self._blocks, self._lines = self._blocks, {}, NTriples()
            self.store.replace_ntriples(blocks)

    def __enter__(self) -> "GraphWriter":
        return self

    def __exit__(self, exc_type, *exc) -> None:
        if exc_type is None:
            self.commit()


class NTriples:
    """Triples as N-Triples lines: the body of a graph in an ``INSERT DATA`` request
    or in a TriG document.

    Every term is written by pyoxigraph's N-Triples serializer: nothing that came from
    a report or a user is pasted into a request unescaped. A term that recurs (a
    predicate, a class, an entity) is written once. A blank node gets a new label, the
    same in every graph written by one ``NTriples``: as in an ``INSERT DATA`` request,
    it is a new blank node, never one the store holds already.
    """

    def __init__(self) -> None:
        self._written: dict[Node, str] = {}

    def term(self, term: Node) -> str:
        text = self._written.get(term)
        if text is None:
            if isinstance(term, rdflib.BNode):
                text = str(ox.BlankNode())
            else:
                text = nt(term)
                if isinstance(term, rdflib.Literal) and term.language:
                    return text     # rdflib ignores the case of a language tag
            self._written[term] = text
        return text

    def block(self, triples: Iterable[Triple]) -> str:
        term = self.term
        return "\n".join([f"{term(s)} {term(p)} {term(o)} ." for s, p, o in triples])


def replacement_update(graphs: Mapping[str, Iterable[Triple]], drop: Iterable[str] = ()) -> str:
    """One SPARQL update that empties the given graphs and fills them anew."""
    lines = NTriples()
    return ntriples_update({g: lines.block(triples) for g, triples in graphs.items()}, drop)


def ntriples_update(blocks: Mapping[str, str], drop: Iterable[str] = ()) -> str:
    """One SPARQL update that empties the given graphs and fills them with their
    triples, written as N-Triples lines by one ``NTriples``."""
    targets = list(dict.fromkeys([*blocks, *drop]))
    ops = [f"DROP SILENT GRAPH {nt(rdflib.URIRef(g))}" for g in targets]
    graphs = [f"GRAPH {nt(rdflib.URIRef(g))} {{\n{body}\n}}" for g, body in blocks.items() if body]
    if graphs:
        ops.append("INSERT DATA {\n" + "\n".join(graphs) + "\n}")
    return " ;\n".join(ops) if ops else ""


def with_values(sparql: str, bindings: Mapping[str, Node] | None) -> str:
    """Bind variables with a trailing VALUES clause (terms escaped by pyoxigraph)."""
    if not bindings:
        return sparql
    names = " ".join(f"?{k}" for k in bindings)
    values = " ".join(nt(v) for v in bindings.values())
    return f"{sparql}\nVALUES ({names}) {{ ({values}) }}"


def parse_grouped(data: bytes | BinaryIO, fmt: RdfFormat, default_graph: str,
                  base_iri: str | None = None) -> dict[str, list[Triple]]:
    """Parse RDF with pyoxigraph into triples grouped by graph IRI."""
    source = data if isinstance(data, (bytes, bytearray)) else data.read()
    grouped: dict[str, list[Triple]] = defaultdict(list)
    try:
        for q in ox.parse(source, format=fmt.ox, base_iri=base_iri):
            g = q.graph_name
            name = default_graph if isinstance(g, ox.DefaultGraph) else g.value
            grouped[name].append((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    except SyntaxError as e:
        raise FormatError(f"not valid {fmt.name}: {e}") from None
    except (ValueError, OSError) as e:
        raise FormatError(f"cannot read the {fmt.name} data: {e}") from None
    return dict(grouped)


def serialize_quads(quads: Iterable[Quad], out: BinaryIO, fmt: RdfFormat) -> None:
    """Write rdflib quads with pyoxigraph's serializer (the graph is kept where the
    format can hold it)."""
    from .terms import to_ox

    def ox_quads():
        for s, p, o, g in quads:
            graph = to_ox(g) if g is not None and fmt.keeps_graphs else ox.DefaultGraph()
            yield ox.Quad(to_ox(s), to_ox(p), to_ox(o), graph)

    ox.serialize(ox_quads(), out, fmt.ox, prefixes=_prefixes())


def _prefixes() -> dict[str, str]:
    from .namespaces import PREFIXES
    return dict(PREFIXES)


def result_text(result: QueryResult, fmt: str) -> str:
    """A query result as text: an aligned table for people, or csv/tsv/json/xml.

    A graph (CONSTRUCT, DESCRIBE) comes out as Turtle, whatever the table format; the
    result formats of SPARQL do not hold graphs, so asking for one is an error.
    """
    if result.kind == "graph":
        if fmt != "table":
            raise QueryError(f"a CONSTRUCT or DESCRIBE query gives a graph, not a table: "
                             f"leave out --format {fmt} to get it as Turtle")
        return result.to_rdflib().graph.serialize(format="turtle")
    if fmt == "table":
        return _table(result)
    if result.kind == "ask" and fmt in ("csv", "tsv"):
        return "true" if result.boolean else "false"
    if fmt == "tsv":
        return _tsv(result)
    buf = io.BytesIO()
    result.to_rdflib().serialize(buf, format=fmt, encoding="utf-8")
    return buf.getvalue().decode("utf-8")


def _tsv(result: QueryResult) -> str:
    """SPARQL 1.1 TSV: a header of ?variables, then terms in N-Triples syntax."""
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join("" if t is None else nt(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def _table(result: QueryResult) -> str:
    if result.kind == "ask":
        return "yes" if result.boolean else "no"
    header = result.variables
    lines = [[_cell(t) for t in row] for row in result.rows]
    widths = [max([len(h)] + [min(len(r[i]), 80) for r in lines]) for i, h in enumerate(header)]
    out = ["  ".join(h.ljust(w) for h, w in zip(header, widths)),
           "  ".join("-" * w for w in widths)]
    for r in lines:
        out.append("  ".join(c[:80].ljust(w) for c, w in zip(r, widths)).rstrip())
    out.append(f"({len(lines)} row{'s' if len(lines) != 1 else ''})")
    return "\n".join(out)


def _cell(term: Node | None) -> str:
    if term is None:
        return ""
    return str(term).replace("\n", " ")
