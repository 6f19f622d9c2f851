"""The store interface, run identically against every backend."""
from __future__ import annotations

import io

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDFS, XSD

from civgraph.graph import QueryError, open_store
from civgraph.graph.errors import FormatError
from civgraph.graph.formats import by_name
from civgraph.graph.terms import from_ox

EX = "http://example.org/"
G1, G2 = EX + "graph/1", EX + "graph/2"
A, B = URIRef(EX + "a"), URIRef(EX + "b")
NAME = URIRef(EX + "name")
HOSTILE = 'x" } ; DROP ALL ; INSERT DATA { <a> <b> "c'


def triples_a():
    return [(A, RDFS.label, Literal("Hit Peace Forum")),
            (A, NAME, Literal("منتدى هيت للسلام", lang="ar")),
            (A, URIRef(EX + "count"), Literal(13)),
            (A, URIRef(EX + "date"), Literal("2018-04-27", datatype=XSD.date))]


def test_replace_and_query_union(store):
    store.replace_graphs({G1: triples_a(), G2: [(B, RDFS.label, Literal("Iraqi Social Forum"))]})
    assert set(store.named_graphs()) >= {G1, G2}
    result = store.query("SELECT ?s ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } ORDER BY ?l")
    assert result.kind == "select"
    assert [str(l) for l in result.column("l")] == ["Hit Peace Forum", "Iraqi Social Forum"]


def test_terms_round_trip(store):
    store.replace_graphs({G1: triples_a()})
    got = {(p, o) for s, p, o, g in store.quads(G1)}
    assert got == {(p, o) for _, p, o in triples_a()}


def test_replacing_a_graph_never_duplicates(store):
    for _ in range(3):
        store.replace_graphs({G1: triples_a()})
    assert store.quad_count() == len(triples_a())


def test_replace_only_touches_its_graph(store):
    store.replace_graphs({G1: triples_a(), G2: [(B, RDFS.label, Literal("b"))]})
    store.replace_graphs({G1: [(A, RDFS.label, Literal("new"))]})
    assert [str(o) for _, _, o, _ in store.quads(G1)] == ["new"]
    assert [str(o) for _, _, o, _ in store.quads(G2)] == ["b"]


def test_drop_graphs(store):
    store.replace_graphs({G1: triples_a(), G2: [(B, RDFS.label, Literal("b"))]})
    store.drop_graphs([G1, EX + "graph/never-there"])
    assert G1 not in store.named_graphs()
    assert store.quad_count() == 1


def test_bindings_are_terms_not_text(store):
    store.replace_graphs({G1: triples_a()})
    q = "SELECT ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
    assert store.query(q, {"s": A}).column("l") == [Literal("Hit Peace Forum")]
    # a hostile value is only ever a literal: no injection, nothing dropped
    assert store.query(q, {"s": Literal(HOSTILE)}).rows == []
    assert store.quad_count() == len(triples_a())


def test_hostile_literal_is_stored_verbatim(store):
    store.replace_graphs({G1: [(A, RDFS.label, Literal(HOSTILE + "\n\\ \u0000 é"))]})
    assert store.query("SELECT ?o WHERE { ?s ?p ?o }").scalar() == Literal(HOSTILE + "\n\\ \u0000 é")


def test_ask_and_construct(store):
    store.replace_graphs({G1: triples_a()})
    assert store.query("ASK { ?s ?p 13 }").boolean is True
    result = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert result.kind == "graph" and len(result.triples) == len(triples_a())


def test_malformed_query_is_a_query_error(store):
    with pytest.raises(QueryError):
        store.query("SELECT WHERE {")


def test_load_keeps_named_graphs_and_uses_default(store):
    trig = f"""
    <{A}> <{RDFS.label}> "outside" .
    <{G2}> {{ <{B}> <{RDFS.label}> "inside" . }}
    """.encode()
    counts = store.load(trig, by_name("trig"), graph=G1)
    assert counts == {G1: 1, G2: 1}
    assert {str(o) for _, _, o, _ in store.quads(G2)} == {"inside"}


def test_load_of_a_broken_file_changes_nothing(store):
    store.replace_graphs({G1: triples_a()})
    with pytest.raises(FormatError):
        store.load(b"<a> <b> .", by_name("turtle"), graph=G1, base_iri=EX)
    assert store.quad_count() == len(triples_a())


def test_blank_nodes_load(store):
    data = f'_:x <{RDFS.label}> "anonymous" .'.encode()
    store.load(data, by_name("ntriples"), graph=G1)
    (s, _, o, _), = list(store.quads(G1))
    assert isinstance(s, BNode) and str(o) == "anonymous"


@pytest.mark.parametrize("fmt", ["trig", "nquads", "jsonld"])
def test_dump_keeps_graphs_and_round_trips(store, fmt):
    store.replace_graphs({G1: triples_a(), G2: [(B, RDFS.label, Literal("b"))]})
    out = io.BytesIO()
    store.dump(out, by_name(fmt))
    parsed = {(from_ox(q.subject), from_ox(q.predicate), from_ox(q.object), from_ox(q.graph_name))
              for q in ox.parse(out.getvalue(), format=by_name(fmt).ox)}
    assert parsed == set(store.quads())


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "rdfxml"])
def test_dump_of_triple_formats_is_the_union_without_duplicates(store, fmt):
    store.replace_graphs({G1: triples_a(), G2: triples_a()})
    out = io.BytesIO()
    store.dump(out, by_name(fmt))
    parsed = [(from_ox(t.subject), from_ox(t.predicate), from_ox(t.object))
              for t in ox.parse(out.getvalue(), format=by_name(fmt).ox)]
    assert sorted(parsed) == sorted(triples_a())


def test_directory_store_persists(tmp_path):
    location = str(tmp_path / "store")
    with open_store(location) as st:
        st.replace_graphs({G1: triples_a()})
    with open_store(location) as st:
        assert st.quad_count() == len(triples_a())


# -- writing graphs a batch at a time ----------------------------------------------------

def test_graph_writer_writes_a_batch_per_transaction(store):
    with store.graph_writer(batch=2) as writer:
        writer.replace(G1, triples_a())
        assert store.named_graphs() == []             # waits for its batch
        writer.replace(G2, [(B, RDFS.label, Literal("b"))])
        assert set(store.named_graphs()) == {G1, G2}
        writer.replace(EX + "graph/3", [(B, RDFS.label, Literal("c"))])
    assert set(store.named_graphs()) == {G1, G2, EX + "graph/3"}
    assert store.quad_count() == len(triples_a()) + 2


def test_graph_writer_leaves_an_unfinished_batch_unwritten(store):
    with pytest.raises(RuntimeError):
        with store.graph_writer(batch=2) as writer:
            writer.replace(G1, triples_a())
            writer.replace(G2, [(B, RDFS.label, Literal("b"))])
            writer.replace(EX + "graph/3", [(B, RDFS.label, Literal("c"))])
            raise RuntimeError("extraction failed")
    assert set(store.named_graphs()) == {G1, G2}


def test_a_batch_may_replace_held_and_new_graphs_together(store):
    store.replace_graphs({G1: triples_a()})
    with store.graph_writer() as writer:
        writer.replace(G1, [(A, RDFS.label, Literal("new"))])
        writer.replace(G2, [(B, RDFS.label, Literal("b"))])
    assert {(str(o), g) for _, _, o, g in store.quads()} == {("new", URIRef(G1)), ("b", URIRef(G2))}


def test_a_graph_replaced_twice_in_a_batch_keeps_the_last(store):
    with store.graph_writer() as writer:
        writer.replace(G1, triples_a())
        writer.replace(G1, [(A, RDFS.label, Literal("last"))])
    assert [str(o) for _, _, o, _ in store.quads(G1)] == ["last"]


def test_blank_nodes_are_new_in_every_write(store):
    x = BNode("x")
    # one write: the same label is one blank node, in every graph of the write
    store.replace_graphs({G1: [(x, RDFS.label, Literal("one"))], G2: [(x, RDFS.label, Literal("two"))]})
    subjects = {s for s, _, _, _ in store.quads()}
    assert len(subjects) == 1 and isinstance(subjects.pop(), BNode)
    # another write: a new blank node, not the one already stored (as INSERT DATA does)
    store.replace_graphs({EX + "graph/3": [(x, RDFS.label, Literal("three"))]})
    assert len({s for s, _, _, _ in store.quads()}) == 2


def test_lines_that_do_not_parse_change_nothing(store):
    store.replace_graphs({G1: triples_a()})
    for graph in (G2, G1):      # a graph the store does not hold yet, and one it holds
        with pytest.raises(QueryError):
            store.replace_ntriples({graph: f"<{A}> <{NAME}> ."})
    assert store.quad_count() == len(triples_a())
    assert [g for g in store.named_graphs()] == [G1]


def test_directory_store_flushes_as_it_writes(tmp_path, monkeypatch):
    monkeypatch.setattr("civgraph.graph.embedded.FLUSH_EVERY", 5)
    location = str(tmp_path / "store")
    with open_store(location) as st:
        with st.graph_writer(batch=1) as writer:
            for n in range(4):
                writer.replace(f"{EX}graph/{n}", triples_a())
    with open_store(location) as st:
        assert st.quad_count() == 4 * len(triples_a())
