"""``/dataset``: the VoID and DCAT description, counted from the store and cached."""
from __future__ import annotations

import json

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from civgraph.graph import open_store
from civgraph.graph.namespaces import CG, ORG
from civgraph.web import dataset
from civgraph.web.app import create_app

BASE = "http://example.org/id/"
ROOT = "http://localhost/"
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DS = URIRef(ROOT + "dataset#dataset")


def report(name: str, time: str, *triples) -> dict:
    graph = BASE + "graph/report/" + name
    return {graph: [(URIRef(graph), RDF.type, CG.ReportGraph),
                    (URIRef(graph), PROV.generatedAtTime, Literal(time, datatype=XSD.dateTime)),
                    *triples]}


def forum(slug: str, label: str) -> list:
    node = URIRef(BASE + "org/" + slug)
    return [(node, RDF.type, CG.Forum), (node, RDF.type, ORG.Organization),
            (node, RDFS.label, Literal(label))]


def fill(store) -> None:
    store.replace_graphs({
        **report("a", "2024-01-02T10:00:00Z", *forum("hit-peace-forum", "<b>Hit</b> Peace Forum")),
        **report("b", "2024-03-04T09:30:00Z", *forum("hit-peace-forum", "<b>Hit</b> Peace Forum"),
                 *forum("basra-social-forum", "Basra Social Forum")),
        BASE + "graph/authority": forum("iraqi-social-forum", "Iraqi Social Forum"),
    })


@pytest.fixture
def sample():
    """The sample graphs in an in-memory store."""
    store = open_store("memory:")
    fill(store)
    return store


def make_client(store, **config):
    app = create_app(store=store, base=BASE, **config)
    app.config["TESTING"] = True
    return app.test_client()


@pytest.fixture
def client(sample):
    return make_client(sample)


def turtle(client, path: str = "/dataset") -> Graph:
    answer = client.get(path, headers={"Accept": "text/turtle"})
    assert answer.status_code == 200
    assert answer.mimetype == "text/turtle"
    return Graph().parse(data=answer.get_data(as_text=True), format="turtle")


def partitions(graph: Graph, link, key, value) -> dict:
    return {graph.value(part, key): graph.value(part, value).toPython()
            for part in graph.objects(DS, link)}


def test_html_page_shows_the_counts_and_escapes_the_data(client):
    page = client.get("/dataset", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert page.mimetype == "text/html"
    assert "Accept" in page.headers["Vary"]
    html = page.get_data(as_text=True)
    assert "<b>Hit</b>" not in html
    assert "&lt;b&gt;Hit&lt;/b&gt; Peace Forum" in html
    assert "Resources per class" in html and "Triples per property" in html
    assert f'href="{ROOT}sparql"' in html
    for name in ("turtle", "trig", "nquads", "jsonld"):
        assert f'href="{ROOT}export?format={name}"' in html
    assert 'href="/ontology#Forum"' in html


def test_a_browser_gets_html(client):
    page = client.get("/dataset", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.mimetype == "text/html"


def test_class_partitions_match_a_direct_count(client, sample):
    graph = turtle(client)
    assert (DS, RDF.type, VOID.Dataset) in graph and (DS, RDF.type, DCAT.Dataset) in graph
    counted = partitions(graph, VOID.classPartition, VOID["class"], VOID.entities)
    assert counted[CG.Forum] == 3
    for cls, n in counted.items():
        direct = sample.query(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{cls}> }}").scalar()
        assert n == int(direct), cls
    # every kind of the legend has a partition, even with nothing in it
    assert counted[URIRef("https://schema.org/Person")] == 0


def test_property_partitions_and_totals(client, sample):
    graph = turtle(client)
    counted = partitions(graph, VOID.propertyPartition, VOID.property, VOID.triples)
    labels = sample.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?o WHERE "
                         "{ ?s <http://www.w3.org/2000/01/rdf-schema#label> ?o } }").scalar()
    assert counted[RDFS.label] == int(labels) == 3
    distinct = sample.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o "
                           "WHERE { ?s ?p ?o } }").scalar()
    assert graph.value(DS, VOID.triples).toPython() == int(distinct) == sum(counted.values())
    assert graph.value(DS, VOID.entities).toPython() == 5  # three forums, two report graphs
    assert str(graph.value(DS, VOID.uriSpace)) == BASE


def test_description_links_endpoint_dumps_and_vocabularies(client):
    graph = turtle(client)
    assert graph.value(DS, VOID.sparqlEndpoint) == URIRef(ROOT + "sparql")
    dumps = set(graph.objects(DS, VOID.dataDump))
    assert dumps == {URIRef(f"{ROOT}export?format={n}") for n in ("turtle", "trig", "nquads", "jsonld")}
    downloads = {graph.value(d, DCAT.downloadURL) for d in graph.objects(DS, DCAT.distribution)}
    assert dumps <= downloads
    vocabularies = set(graph.objects(DS, VOID.vocabulary))
    assert URIRef("https://w3id.org/civgraph/ontology") in vocabularies
    assert URIRef("http://www.w3.org/ns/org") in vocabularies
    examples = set(graph.objects(DS, VOID.exampleResource))
    assert URIRef(BASE + "org/basra-social-forum") in examples
    assert graph.value(DS, DCTERMS.modified) == Literal("2024-03-04T09:30:00Z", datatype=XSD.dateTime)


def test_named_graphs_are_described(client, sample):
    graph = turtle(client)
    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    names = {graph.value(n, sd.name) for n in graph.objects(DS, sd.namedGraph)}
    assert names == {URIRef(BASE + "graph/authority")}
    reports = URIRef(ROOT + "dataset#reports")
    assert (DS, VOID.subset, reports) in graph
    assert graph.value(reports, VOID.documents).toPython() == 2
    quads = sample.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                        f"FILTER STRSTARTS(STR(?g), \"{BASE}graph/report/\") }}").scalar()
    assert graph.value(reports, VOID.triples).toPython() == int(quads)


@pytest.mark.parametrize("suffix, fmt", [("ttl", "turtle"), ("jsonld", "json-ld"),
                                         ("nt", "nt"), ("rdf", "xml")])
def test_every_format_parses(client, suffix, fmt):
    answer = client.get(f"/dataset.{suffix}")
    assert answer.status_code == 200
    graph = Graph().parse(data=answer.get_data(as_text=True), format=fmt)
    assert (DS, RDF.type, VOID.Dataset) in graph


def test_json_ld_by_accept(client):
    answer = client.get("/dataset", headers={"Accept": "application/ld+json"})
    assert answer.mimetype == "application/ld+json"
    assert "Accept" in answer.headers["Vary"]
    json.loads(answer.get_data(as_text=True))
    graph = Graph().parse(data=answer.get_data(as_text=True), format="json-ld")
    assert graph.value(DS, VOID.triples) is not None


def test_unknown_suffix_is_not_found(client):
    assert client.get("/dataset.xyz").status_code == 404


def test_well_known_void_leads_to_the_description(client):
    answer = client.get("/.well-known/void")
    assert answer.status_code == 303
    assert answer.headers["Location"].endswith("/dataset")
    followed = client.get("/.well-known/void", headers={"Accept": "text/turtle"},
                          follow_redirects=True)
    assert followed.mimetype == "text/turtle"
    assert (DS, RDF.type, VOID.Dataset) in Graph().parse(data=followed.get_data(as_text=True),
                                                        format="turtle")


def test_figures_are_cached_until_the_store_changes(client, sample, monkeypatch):
    calls = []
    real = dataset.count
    monkeypatch.setattr(dataset, "count", lambda *a: calls.append(1) or real(*a))
    first = partitions(turtle(client), VOID.classPartition, VOID["class"], VOID.entities)
    client.get("/dataset")
    assert len(calls) == 1
    sample.replace_graphs(report("c", "2025-01-01T00:00:00Z", *forum("najaf-forum", "Najaf Forum")))
    after = partitions(turtle(client), VOID.classPartition, VOID["class"], VOID.entities)
    assert len(calls) == 2
    assert after[CG.Forum] == first[CG.Forum] + 1


def test_a_store_without_a_write_counter_recounts_after_a_while(sample, monkeypatch):
    del sample.generation  # as a remote store: it cannot tell when it changed
    now = [1000.0]
    monkeypatch.setattr(dataset, "clock", lambda: now[0])
    calls = []
    real = dataset.count
    monkeypatch.setattr(dataset, "count", lambda *a: calls.append(1) or real(*a))
    client = make_client(sample)
    client.get("/dataset")
    now[0] += dataset.TTL / 2
    client.get("/dataset")
    assert len(calls) == 1
    now[0] += dataset.TTL
    client.get("/dataset")
    assert len(calls) == 2


def test_licence_defaults_to_cc_by_and_follows_the_setting(sample):
    cc_by = URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert turtle(make_client(sample)).value(DS, DCTERMS.license) == cc_by
    client = make_client(sample, CIVGRAPH_LICENSE="https://example.org/licence?a=1&b=2")
    assert turtle(client).value(DS, DCTERMS.license) == URIRef("https://example.org/licence?a=1&b=2")
    html = client.get("/dataset").get_data(as_text=True)
    assert 'href="https://example.org/licence?a=1&amp;b=2"' in html


def test_publisher_shows_when_set(sample):
    assert turtle(make_client(sample)).value(DS, DCTERMS.publisher) is None
    client = make_client(sample, CIVGRAPH_PUBLISHER="<i>Peace</i> Network")
    graph = turtle(client)
    agent = graph.value(DS, DCTERMS.publisher)
    assert str(graph.value(agent, URIRef("http://xmlns.com/foaf/0.1/name"))) == "<i>Peace</i> Network"
    html = client.get("/dataset").get_data(as_text=True)
    assert "&lt;i&gt;Peace&lt;/i&gt; Network" in html and "<i>Peace</i>" not in html
    assert turtle(make_client(sample, CIVGRAPH_PUBLISHER="https://example.org/us")).value(
        DS, DCTERMS.publisher) == URIRef("https://example.org/us")


def test_every_backend_is_described(store):
    """The shared fixture: in memory, in a directory, and a real SPARQL server."""
    fill(store)
    graph = turtle(make_client(store))
    counted = partitions(graph, VOID.classPartition, VOID["class"], VOID.entities)
    assert counted[CG.Forum] == 3
    assert graph.value(DS, VOID.entities).toPython() == 5
    assert graph.value(DS, DCTERMS.modified) == Literal("2024-03-04T09:30:00Z", datatype=XSD.dateTime)


def test_an_empty_store_is_described():
    client = make_client(open_store("memory:"))
    graph = turtle(client)
    assert graph.value(DS, VOID.triples).toPython() == 0
    assert graph.value(DS, DCTERMS.modified) is None
    assert client.get("/dataset").status_code == 200


def test_home_page_links_to_the_dataset_and_the_ontology(client):
    html = client.get("/").get_data(as_text=True)
    assert 'href="/dataset"' in html and 'href="/ontology"' in html
