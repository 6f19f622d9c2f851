"""Quick endpoint queries answered in the serving process: which ones, and that the
answer, the limits and the errors are those a query worker gives."""
from __future__ import annotations

import io

import pytest
from rdflib import URIRef

from civgraph.graph import open_store
from civgraph.graph.direct import QuickQueries, bounded
from civgraph.graph.formats import FORMATS
from civgraph.graph.protocol import Dataset, Limits, QueryTimeout, ResultTooLarge, run_query

from conftest import fresh_samples

BASE = "http://example.org/id/"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SDO = "https://schema.org/"


@pytest.mark.parametrize("query", [
    "ASK {}",
    "SELECT * {}",
    f"SELECT ?label WHERE {{ <{BASE}org/x> <{RDFS}label> ?label }}",
    "select distinct ?p where { ?s ?p ?o } limit 10",
    "SELECT ?o WHERE { ?s ?p ?o } LIMIT 10 OFFSET 5",
    f"PREFIX rdfs: <{RDFS}>\nSELECT ?s # the things called Forum\nWHERE {{ ?s rdfs:label 'Forum'@en . }}",
    f"PREFIX schema: <{SDO}> SELECT ?r {{ ?r schema:mentions <{BASE}org/x> }} LIMIT 100",
    f"PREFIX ex: <http://e/> SELECT * {{ ?s ex:p ex:o. ?s ex:q ?x }}",
    f"SELECT ?st ?text WHERE {{ ?st <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> <{BASE}e> ; <{SDO}text> ?text }}",
    "SELECT * { <x> ?b ?c . ?c ?e ?f } LIMIT 5",
    "SELECT * { ?s <p> 1.5, 2. }",
    "SELECT * { ?s ?p \"a \\\" quote\"^^<http://www.w3.org/2001/XMLSchema#string> }",
    "SELECT * { ?s a <x> ; }",
    f"DESCRIBE <{BASE}org/x> <{BASE}org/y>",
    "ASK { _:b <p> <o> }",
])
def test_bounded_shapes_are_admitted(query):
    assert bounded(query)


@pytest.mark.parametrize("query", [
    # nothing to bound the work by the answer: solutions computed and never written
    "SELECT ?s { ?s ?p ?o FILTER(?o) }",
    "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }",
    "SELECT ?s { ?s ?p ?o } ORDER BY ?o",
    "SELECT DISTINCT ?c { <x> <p> ?b . ?b <p> ?c }",
    "SELECT * { <x> <p> ?b . ?b <p> ?c } OFFSET 10",
    "SELECT DISTINCT * WHERE { ?s ?p ?o } OFFSET 1000000000",  # remembers every row
    "SELECT REDUCED ?o WHERE { ?s ?p ?o } OFFSET 10",
    "SELECT * { <x> <p> ?b . ?b <p> ?c . ?c <p> ?d }",
    # two patterns that share nothing, or name nothing
    "SELECT * { ?a ?b ?c . ?d ?e ?f }",
    "SELECT * { ?a <p> ?c . ?c <q> ?f }",
    # other operators
    "SELECT * { ?s <p>/<q> ?o }",
    "SELECT * { ?s <p>* ?o }",
    "SELECT * { ?s <p>+ ?o }",
    "SELECT * { ?s <p>? ?o }",
    "SELECT * { ?s ^<p> ?o }",
    "SELECT * { ?s !<p> ?o }",
    "ASK { ?s <p> ?o } ~",
    # a comment ends at a carriage return too: what follows it is read
    "SELECT * WHERE { # \r { SELECT DISTINCT ?n WHERE { ?a <k> ?b . ?c <k> ?n } } \n <h> <r> ?o }",
    "PREFIX ex: <http://e/>\nSELECT * { # \r SERVICEex:sparql { ?a ?b ?c } \n <s> <p> ?o }",
    # a variable twice in a pattern filters an index range, again for every solution
    "SELECT * WHERE { <hub> <p> ?x . ?x ?q ?q }",
    "ASK { <hub> ?r ?x . ?y ?x ?y }",
    # long lists cost work on every solution, or the parser's stack
    "SELECT DISTINCT " + " ".join(f"?v{i}" for i in range(40)) + " WHERE { ?s ?p ?o }",
    "SELECT ?nowhere WHERE { ?s ?p ?o }",
    "PREFIX : <http://e/> DESCRIBE " + " ".join([":a"] * 40),
    "SELECT * { ?s <p> ?o OPTIONAL { ?o <q> ?x } }",
    "SELECT * { { ?s <p> ?o } UNION { ?s <q> ?o } }",
    "SELECT * { GRAPH ?g { ?s <p> ?o } }",
    "SELECT * FROM <g> { ?s <p> ?o }",
    "SELECT * { ?s <p> [ <q> ?o ] }",
    "SELECT * { VALUES ?s { <a> } ?s <p> ?o }",
    "SELECT * { SERVICE <http://elsewhere.example/sparql> { ?s ?p ?o } }",
    "DESCRIBE ?x WHERE { ?x ?p ?o }",
    "CONSTRUCT WHERE { ?s ?p ?o }",
    # what the small reader does not know goes to a worker
    'SELECT * { ?s ?p """long""" }',
    "PREFIX ex: <http://e/> SELECT * { ?s ex:p ex:o.ex:q ?x }",
    "SELECT * { ?s A <x> }",
    "SELECT * { ?s ?p ?o } LIMIT 10 LIMIT 5",
    "SELECT * { ?s ?p ?o",
    "INSERT DATA { <a> <b> <c> }",
    "",
])
def test_other_shapes_go_to_a_worker(query):
    assert not bounded(query)


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    """The samples in a directory store, the default: its workers read the very same
    data (a worker over a ``memory:`` store loads a copy, whose unordered answers may
    come in another order)."""
    out = io.BytesIO()
    with fresh_samples(BASE) as memory:
        memory.dump(out, FORMATS["nquads"])
    store = open_store(str(tmp_path_factory.mktemp("direct") / "store"))
    store.load(out.getvalue(), FORMATS["nquads"], BASE + "graph/unnamed")
    yield store
    store.close()


QUERIES = [
    (f"SELECT ?s ?label WHERE {{ ?s <{RDFS}label> ?label }}", "json", "turtle"),
    (f"SELECT ?s ?label WHERE {{ ?s <{RDFS}label> ?label }}", "xml", "turtle"),
    (f"SELECT ?s ?label WHERE {{ ?s <{RDFS}label> ?label }}", "csv", "turtle"),
    (f"SELECT ?s ?label WHERE {{ ?s <{RDFS}label> ?label }}", "tsv", "turtle"),
    ("SELECT DISTINCT ?type WHERE { ?s a ?type }", "json", "turtle"),
    ("ASK { ?s a ?type }", "json", "turtle"),
    (f"SELECT ?f ?l WHERE {{ ?f a <https://w3id.org/civgraph/ontology#Forum> ; <{RDFS}label> ?l }}",
     "json", "turtle"),
    (f"SELECT ?r ?o WHERE {{ ?r <{SDO}mentions> ?o }} LIMIT 7", "csv", "turtle"),
    ("DESCRIBE <https://w3id.org/civgraph/ontology#Forum>", "json", "turtle"),
    ("DESCRIBE <https://w3id.org/civgraph/ontology#Forum>", "json", "jsonld"),
    ("DESCRIBE <https://w3id.org/civgraph/ontology#Forum>", "json", "rdfxml"),
    ("SELECT ?s WHERE { ?s ?p ?o }", None, "turtle"),          # not acceptable
    ("SELECT ?s WHERE { ?s ex:p ?o }", "json", "turtle"),      # an undeclared prefix
    ("SELECT ?x WHERE { ?x a <missing> }", "json", "turtle"),  # empty
]


def _outcome(store, query, result_format, graph_format, **kwargs):
    try:
        answer = store.answer(query, result_format=result_format, graph_format=graph_format,
                              **kwargs)
        return answer.kind, answer.media_type, answer.body
    except Exception as e:  # the error a client would be shown
        return type(e).__name__, str(e)


@pytest.mark.parametrize("query,result_format,graph_format", QUERIES)
def test_the_serving_process_answers_as_a_worker_does(samples, query, result_format,
                                                      graph_format):
    samples.direct_queries = False
    before = dict(samples.answered)
    by_worker = _outcome(samples, query, result_format, graph_format)
    assert samples.answered["workers"] == before["workers"] + 1
    samples.direct_queries = True
    here = _outcome(samples, query, result_format, graph_format)
    assert samples.answered["direct"] == before["direct"] + 1
    assert here == by_worker


def test_a_query_a_worker_answered_quickly_runs_here_the_next_time(samples):
    query = f"SELECT ?s WHERE {{ ?s <{RDFS}label> ?l FILTER(STRSTARTS(?l, 'Hit')) }}"
    assert not bounded(query)
    samples.direct_queries = True
    samples.answer(query, limits=Limits(timeout=30))  # starts the workers, if need be
    first = samples.answer(query, limits=Limits(timeout=30))
    counts = dict(samples.answered)
    again = samples.answer(query, limits=Limits(timeout=30))
    assert samples.answered["direct"] == counts["direct"] + 1
    assert again.body == first.body
    # another dataset, or new data, is another query
    samples.answer(query, dataset=Dataset(default=(BASE + "graph/authority",)),
                   limits=Limits(timeout=30))
    assert samples.answered["workers"] == counts["workers"] + 1
    samples.load(b"<http://example.org/a> <http://example.org/b> <http://example.org/c> .",
                 FORMATS["ntriples"], BASE + "graph/extra")
    samples.answer(query, limits=Limits(timeout=30))
    assert samples.answered["workers"] == counts["workers"] + 2


def test_a_bounded_query_on_a_store_too_large_for_the_limit_goes_to_a_worker(samples):
    samples.direct_queries = True
    counts = dict(samples.answered)
    # a limit so short that a pass over the samples would not fit in it
    samples.answer("SELECT * WHERE { ?s ?p ?o } LIMIT 1", limits=Limits(timeout=0.001))
    assert samples.answered["workers"] == counts["workers"] + 1


def test_a_bounded_query_over_a_dataset_of_its_own_goes_to_a_worker(samples):
    """Every graph named in the request is another index seek for each solution."""
    samples.direct_queries = True
    counts = dict(samples.answered)
    graphs = tuple(f"{BASE}graph/report/{i}" for i in range(50))
    samples.answer(f"SELECT ?s WHERE {{ ?s <{RDFS}label> ?l }}", dataset=Dataset(default=graphs))
    assert samples.answered["workers"] == counts["workers"] + 1


def test_no_more_queries_run_here_at_once_than_there_are_workers(samples):
    samples.direct_queries = True
    samples.answer("ASK {}")
    slots = samples._direct_slots
    taken = 0
    while slots.acquire(blocking=False):  # as if every slot were answering a query
        taken += 1
    try:
        assert taken == samples.query_workers
        counts = dict(samples.answered)
        assert samples.answer("ASK {}").body
        assert samples.answered["workers"] == counts["workers"] + 1
    finally:
        for _ in range(taken):
            slots.release()
    counts = dict(samples.answered)
    samples.answer("ASK {}")
    assert samples.answered["direct"] == counts["direct"] + 1


def test_the_store_is_counted_once_and_then_kept_as_a_bound_by_writes():
    with open_store("memory:") as store:
        store.replace_graphs({BASE + "graph/a": [(_iri("a"), _iri("p"), _iri("b"))]})
        store.answer("ASK {}")
        assert store._size == (store.generation, 1, True)
        # a replacement adds what it wrote, never less than the store holds
        store.replace_graphs({BASE + "graph/a": [(_iri("a"), _iri("p"), _iri(str(i)))
                                                 for i in range(3)]})
        assert store._size[0] == store.generation and store._size[1] >= len(store._store)
        # a write of unknown size is counted again
        store.update("INSERT DATA { GRAPH <http://example.org/g> { <a:x> <a:y> <a:z> } }")
        assert store._size is None
        store.answer("ASK {}")
        assert store._size == (store.generation, len(store._store), True)


def _iri(name: str) -> URIRef:
    return URIRef(BASE + name)


def test_the_setting_sends_every_query_to_a_worker(monkeypatch):
    monkeypatch.setenv("CIVGRAPH_DIRECT_QUERIES", "0")
    with open_store("memory:") as store:
        assert not store.direct_queries
        store.answer("ASK {}")
        store.answer("ASK {}")
        assert store.answered == {"direct": 0, "workers": 2}


def test_an_answer_still_being_written_at_the_time_limit_is_stopped(samples):
    with pytest.raises(QueryTimeout, match="limit of"):
        run_query(samples._store, "SELECT * WHERE { ?s ?p ?o }", Dataset(), "json", None,
                  50 * 1024 * 1024, None, timeout=1e-9)


def test_an_answer_past_the_size_limit_is_stopped_in_the_serving_process(samples):
    samples.direct_queries = True
    with pytest.raises(ResultTooLarge):
        samples.answer("SELECT * WHERE { ?s ?p ?o }", limits=Limits(max_bytes=1000))


def test_quick_queries_are_kept_by_digest_and_forgotten_by_age():
    quick = QuickQueries(size=2)
    keys = [QuickQueries.key(f"ASK {{ <a{i}> ?p ?o }}", Dataset(), None) for i in range(3)]
    assert len(set(keys)) == 3 and all(len(k) == 16 for k in keys)
    for k in keys:
        quick.add(k, 1)
    assert (keys[0], 1) not in quick and (keys[2], 1) in quick
    assert (keys[2], 2) not in quick  # other data
    quick.add(keys[0], 2)
    assert len(quick) == 1
