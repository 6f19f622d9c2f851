"""The SPARQL endpoint: W3C protocol conformance, formats, limits, refusals, real clients."""
from __future__ import annotations

import json
import threading

import pytest
import rdflib
from rdflib import Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

from civgraph.graph import open_store
from civgraph.graph.formats import FORMATS
from civgraph.graph.namespaces import CG
from civgraph.web.app import create_app

from conftest import SHARED, free_port

W3C = SHARED / "w3c"
MANIFEST = W3C / "sparql11-protocol-manifest.ttl"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

BASE = "http://example.org/id/"
FORUM = URIRef(BASE + "org/hit-peace-forum")


# -- the W3C SPARQL 1.1 Protocol test suite ---------------------------------------------
def _manifest_cases() -> list:
    if not MANIFEST.exists():
        return [pytest.param(None, id="w3c-manifest-absent")]
    g = rdflib.Graph().parse(MANIFEST, format="turtle")
    entries = next(g.objects(None, MF.entries))
    return [pytest.param(test, id=str(test).rsplit("#", 1)[1])
            for test in Collection(g, entries)]


_GRAPH = None


def _manifest() -> rdflib.Graph:
    global _GRAPH
    if _GRAPH is None:
        _GRAPH = rdflib.Graph().parse(MANIFEST, format="turtle")
    return _GRAPH


def _requests(g: rdflib.Graph, test: URIRef) -> list[dict]:
    action = g.value(test, MF.action)
    found = []
    for req in Collection(g, g.value(action, HT.requests)):
        headers = {}
        header_list = g.value(req, HT.headers)
        if header_list is not None:
            for h in Collection(g, header_list):
                headers[str(g.value(h, HT.fieldName))] = str(g.value(h, HT.fieldValue))
        body = g.value(req, HT.body)
        resp = g.value(req, HT.resp)
        found.append({
            "method": str(g.value(req, HT.methodName)),
            "path": "/sparql" + str(g.value(req, HT.absolutePath))[len("/sparql/"):],
            "headers": headers,
            "body": str(g.value(body, CNT.chars)) if body is not None else None,
            "status": {str(s).rsplit("StatusCode", 1)[1][0] for s in g.objects(resp, MF.expectedStatus)},
            "format": g.value(resp, MF.expectedFormat),
            "boolean": g.value(resp, MF.expectedBoolean),
        })
    return found


def _load_graph_data(store, g: rdflib.Graph, test: URIRef) -> None:
    for data in g.objects(test, UT.graphData):
        name = str(g.value(data, UT.graph)).rsplit("/", 1)[1]
        path = W3C / f"protocol-{name}"
        store.load(path.read_bytes(), FORMATS["ntriples"], str(g.value(data, RDFS.label)))


@pytest.mark.parametrize("test", _manifest_cases())
def test_w3c_protocol(test, store):
    if test is None:
        pytest.skip(f"the W3C SPARQL protocol manifest is not at {MANIFEST}")
    g = _manifest()
    name = str(test).rsplit("#", 1)[1]
    _load_graph_data(store, g, test)
    before = sorted(store.quads(), key=str)
    client = create_app(store=store, base=BASE).test_client()
    # an update test is a sequence of requests; this endpoint refuses the first one
    requests = _requests(g, test)[:1] if name.startswith(("update_", "bad_update")) else _requests(g, test)
    for req in requests:
        response = client.open(req["path"], method=req["method"], headers=req["headers"],
                               data=req["body"].encode("utf-8") if req["body"] is not None else None)
        if name.startswith("update_"):
            assert 400 <= response.status_code < 500, response.data
            assert b"read-only" in response.data
            continue
        assert str(response.status_code)[0] in req["status"], (response.status_code, response.data)
        if req["format"] is not None:
            kind = response.mimetype
            if str(req["format"]) == "RDF":
                assert kind in {f.media_type for f in FORMATS.values()}
                rdflib.Graph().parse(data=response.data, format=kind)
            else:
                assert kind.startswith("application/sparql-results")
        if req["boolean"] is not None:
            assert json.loads(response.data)["boolean"] is req["boolean"].toPython()
    assert sorted(store.quads(), key=str) == before, "a request changed the store"


# -- formats, dataset, negotiation ------------------------------------------------------
@pytest.fixture
def app():
    store = open_store("memory:")
    store.replace_graphs({
        BASE + "graph/report/a": [(FORUM, RDF.type, CG.Forum),
                                  (FORUM, RDFS.label, Literal("Hit Peace Forum"))],
        BASE + "graph/report/b": [(FORUM, RDFS.label, Literal("منتدى هيت للسلام", lang="ar"))]})
    app = create_app(store=store, base=BASE)
    yield app
    store.close()


@pytest.fixture
def client(app):
    return app.test_client()


LABELS = "SELECT ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?label"


def test_select_over_the_union_of_graphs(client):
    response = client.get("/sparql", query_string={"query": LABELS})
    assert response.status_code == 200
    assert response.mimetype == "application/sparql-results+json"
    labels = [b["label"]["value"] for b in response.json["results"]["bindings"]]
    assert labels == ["Hit Peace Forum", "منتدى هيت للسلام"]
    assert "Accept" in response.headers["Vary"]


@pytest.mark.parametrize("accept,mimetype,marker", [
    ("application/sparql-results+xml", "application/sparql-results+xml", b"<sparql"),
    ("text/csv", "text/csv", b"label\r\n"),
    ("text/tab-separated-values", "text/tab-separated-values", b"?label\n"),
    ("application/json", "application/sparql-results+json", b'"bindings"'),
])
def test_select_in_each_result_format(client, accept, mimetype, marker):
    response = client.get("/sparql", query_string={"query": LABELS}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert marker in response.data


@pytest.mark.parametrize("accept,fmt", [("text/turtle", "turtle"),
                                        ("application/n-triples", "nt"),
                                        ("application/ld+json", "json-ld"),
                                        ("application/rdf+xml", "xml")])
def test_construct_in_each_graph_format(client, accept, fmt):
    query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    response = client.post("/sparql", data=query, headers={
        "Content-Type": "application/sparql-query", "Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == accept
    graph = rdflib.Graph().parse(data=response.data, format=fmt)
    assert (FORUM, RDF.type, CG.Forum) in graph
    assert len(graph) == 3


def test_format_parameter_for_links(client):
    response = client.get("/sparql", query_string={"query": LABELS, "format": "csv"})
    assert response.mimetype == "text/csv"
    assert 'filename="results.csv"' in response.headers["Content-Disposition"]
    response = client.get("/sparql", query_string={"query": "DESCRIBE <%s>" % FORUM,
                                                    "format": "ttl"})
    assert response.mimetype == "text/turtle"
    assert client.get("/sparql", query_string={"query": LABELS, "format": "pdf"}).status_code == 400


def test_graph_answer_in_a_table_format_is_not_acceptable(client):
    response = client.get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                          headers={"Accept": "text/csv"})
    assert response.status_code == 406
    assert b"text/turtle" in response.data
    response = client.get("/sparql", query_string={"query": LABELS},
                          headers={"Accept": "image/png"})
    assert response.status_code == 406


def test_protocol_dataset_overrides_the_union(client):
    response = client.get("/sparql", query_string={
        "query": LABELS, "default-graph-uri": BASE + "graph/report/b"})
    labels = [b["label"]["value"] for b in response.json["results"]["bindings"]]
    assert labels == ["منتدى هيت للسلام"]


def test_from_clause_is_honoured(client):
    query = f"SELECT ?label FROM <{BASE}graph/report/a> WHERE {{ ?s <{RDFS.label}> ?label }}"
    response = client.post("/sparql", data={"query": query})
    assert [b["label"]["value"] for b in response.json["results"]["bindings"]] == ["Hit Peace Forum"]


# -- refusals and errors ----------------------------------------------------------------
@pytest.mark.parametrize("send", [
    lambda c: c.get("/sparql", query_string={"update": "CLEAR ALL"}),
    lambda c: c.post("/sparql", data={"update": "DROP ALL"}),
    lambda c: c.post("/sparql", data="LOAD <http://example.org/x.ttl>",
                     headers={"Content-Type": "application/sparql-update"}),
    lambda c: c.get("/sparql", query_string={"query": "CLEAR ALL"}),
    lambda c: c.get("/sparql", query_string={
        "query": "INSERT DATA { <http://a> <http://b> <http://c> }"}),
])
def test_updates_are_refused_and_change_nothing(app, client, send):
    before = app.extensions["civgraph.store"].quad_count()
    response = send(client)
    assert response.status_code == 403
    assert b"read-only" in response.data
    assert app.extensions["civgraph.store"].quad_count() == before


def test_service_to_another_host_is_refused(client):
    query = "SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }"
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 403
    assert b"SERVICE is not allowed" in response.data


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { # \r SERVICE <http://elsewhere.example/sparql> { ?s ?p ?o } }",
    "PREFIX ex: <http://elsewhere.example/>\nSELECT * { SERVICEex:sparql { ?a ?b ?c } }",
])
def test_service_hidden_from_a_quick_reading_is_refused(client, query):
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 403
    assert b"SERVICE is not allowed" in response.data


def test_the_word_service_in_a_string_is_not_a_service_call(client):
    query = 'SELECT * WHERE { BIND("SERVICE <http://x>" AS ?s) ?service ?p ?o } LIMIT 1'
    assert client.get("/sparql", query_string={"query": query}).status_code == 200


def test_malformed_query_gets_400_with_position(client):
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p }"})
    assert response.status_code == 400
    assert response.mimetype == "text/plain"
    text = response.data.decode()
    assert "error at 1:" in text and len(text) < 600
    assert "Traceback" not in text


def test_time_limit_stops_a_runaway_query_and_the_next_one_runs(app, client):
    app.config["SPARQL_TIMEOUT"] = 1
    runaway = "SELECT * WHERE { " + " ".join(f"?a{i} ?b{i} ?c{i} ." for i in range(30)) + "} ORDER BY ?a1"
    response = client.get("/sparql", query_string={"query": runaway})
    assert response.status_code == 503
    assert b"limit of 1 s" in response.data
    assert client.get("/sparql", query_string={"query": LABELS}).status_code == 200


def test_result_size_limit(app, client):
    app.config["SPARQL_MAX_RESULT_BYTES"] = 100
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.status_code == 413
    assert b"LIMIT" in response.data


def test_request_size_limits(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = client.post("/sparql", data="SELECT * {} # " + "x" * 2000,
                           headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 413
    app.config["SPARQL_MAX_QUERY_LENGTH"] = 50
    response = client.get("/sparql", query_string={"query": "SELECT * {} # " + "x" * 60})
    assert response.status_code == 413
    assert b"limit is 50" in response.data


@pytest.mark.parametrize("headers,body,status", [
    ({}, "ASK {}", 415),
    ({"Content-Type": "text/plain"}, "ASK {}", 415),
    ({"Content-Type": "application/sparql-query; charset=latin-1"}, "ASK {}", 415),
    ({"Content-Type": "application/sparql-query"}, b"ASK { \xff }", 400),
    ({"Content-Type": "application/sparql-query"}, "   ", 400),
])
def test_bad_posts(client, headers, body, status):
    response = client.post("/sparql", data=body, headers=headers)
    assert response.status_code == status
    assert response.mimetype == "text/plain"


def test_wrong_method_is_405_with_allow(client):
    response = client.put("/sparql", data="ASK {}")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]


def test_cors(client):
    response = client.get("/sparql", query_string={"query": "ASK {}"},
                          headers={"Origin": "https://elsewhere.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options("/sparql", headers={
        "Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "Content-Type"})
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in preflight.headers["Access-Control-Allow-Headers"]



def test_head_and_preflight_go_through_flask_with_the_same_answers(client):
    """GET and POST are answered in front of Flask; HEAD and OPTIONS by Flask's route."""
    get = client.get("/sparql", query_string={"query": "ASK {}"})
    head = client.head("/sparql", query_string={"query": "ASK {}"})
    assert head.status_code == get.status_code == 200
    assert head.headers["Content-Type"] == get.headers["Content-Type"]
    assert head.headers["Access-Control-Allow-Origin"] == get.headers["Access-Control-Allow-Origin"]
    assert head.data == b""


class _FailingStore(type(open_store("memory:"))):
    """A real store whose endpoint answers fail as a bug would."""

    def answer(self, *args, **kwargs):
        raise RuntimeError("boom")


def test_an_unexpected_failure_is_a_plain_500_without_traceback(caplog):
    app = create_app(store=_FailingStore(None), base=BASE)
    response = app.test_client().get("/sparql", query_string={"query": "ASK {}"})
    assert response.status_code == 500
    assert response.mimetype == "text/plain"
    assert b"Traceback" not in response.data and b"boom" not in response.data
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "boom" in caplog.text  # for the operator, in the log

def test_service_description(client):
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.mimetype == "text/turtle"
    g = rdflib.Graph().parse(data=response.data, format="turtle")
    service = URIRef("http://localhost/sparql")
    assert (service, RDF.type, SD.Service) in g
    assert (service, SD.feature, SD.UnionDefaultGraph) in g
    jsonld = client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert jsonld.mimetype == "application/ld+json"


def test_browser_is_sent_to_the_workbench(client):
    html = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/sparql", headers={"Accept": html})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/query")
    response = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Accept": html})
    assert response.status_code == 303
    assert "/query?query=ASK" in response.headers["Location"]


# -- real clients over HTTP -------------------------------------------------------------
@pytest.fixture
def served(app):
    """The app under waitress on a free loopback port."""
    from waitress import create_server

    port = free_port()
    server = create_server(app, host="127.0.0.1", port=port, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}/sparql"
    server.close()
    thread.join(timeout=5)


def test_sparqlwrapper(served):
    from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

    client = SPARQLWrapper(served)
    client.setQuery(LABELS)
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    assert [r["label"]["value"] for r in rows] == ["Hit Peace Forum", "منتدى هيت للسلام"]
    client.setQuery("ASK { ?s a <%s> }" % CG.Forum)
    assert client.query().convert()["boolean"] is True
    client.setMethod("POST")
    client.setQuery("CONSTRUCT WHERE { ?s ?p ?o }")
    client.setReturnFormat(TURTLE)
    graph = rdflib.Graph().parse(data=client.query().convert(), format="turtle")
    assert len(graph) == 3


def test_rdflib_sparqlstore(served):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = rdflib.Graph(store=SPARQLStore(served))
    rows = list(graph.query(LABELS))
    assert [str(r.label) for r in rows] == ["Hit Peace Forum", "منتدى هيت للسلام"]
    assert (FORUM, RDF.type, CG.Forum) in graph
    assert graph.value(FORUM, RDFS.label) is not None
