"""Linked-data publishing: entity and report pages, content negotiation, listings,
search, exports and the partner export."""
from __future__ import annotations

import gzip
import io
import json

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from civgraph.graph import open_store
from civgraph.graph.export import stream
from civgraph.graph.formats import FORMATS
from civgraph.graph.namespaces import CG, ORG, SDO
from civgraph.graph.validate import validate_graph
from civgraph.web.app import create_app

from conftest import fresh_samples

BASE = "http://example.org/id/"
HIT = URIRef(BASE + "org/hit-peace-forum")
ISF = URIRef(BASE + "org/iraqi-social-forum")
HOSTILE = '<img src=x onerror=alert(1)>'


@pytest.fixture(scope="module")
def samples():
    store = fresh_samples(BASE)
    yield store
    store.close()


@pytest.fixture(scope="module")
def client(samples):
    return create_app(store=samples, base=BASE).test_client()


def _report_of(store, iri: URIRef) -> str:
    return str(store.query("SELECT ?r WHERE { ?r <https://schema.org/mentions> ?x } LIMIT 1",
                           {"x": iri}).scalar())


# -- entity pages ----------------------------------------------------------------------
def test_entity_page_for_people(client):
    page = client.get("/id/org/hit-peace-forum")
    assert page.status_code == 200
    assert page.mimetype == "text/html"
    assert "Accept" in page.headers["Vary"]
    html = page.get_data(as_text=True)
    assert "<h1>Hit Peace Forum</h1>" in html
    assert "member of" in html and 'href="/id/org/iraqi-social-forum"' in html
    assert "organised" in html  # an incoming relation read with its inverse label
    assert "<blockquote>" in html  # the sentences the facts come from
    assert 'href="/id/report/' in html
    assert "Also called" in html and "Hit&#39;s Peace Forum" in html


@pytest.mark.parametrize("accept,fmt", [("text/turtle", "turtle"),
                                        ("application/ld+json", "json-ld"),
                                        ("application/n-triples", "nt"),
                                        ("application/rdf+xml", "xml")])
def test_entity_as_rdf_by_accept(client, accept, fmt):
    response = client.get("/id/org/hit-peace-forum", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == accept
    assert "Accept" in response.headers["Vary"]
    graph = rdflib.Graph().parse(data=response.data, format=fmt)
    assert (HIT, ORG.memberOf, ISF) in graph
    assert (ISF, RDFS.label, None) in graph  # neighbours come with their names
    assert any(graph.subjects(RDF.subject, HIT))  # and the statements that source it


@pytest.mark.parametrize("suffix,fmt", [("ttl", "turtle"), ("jsonld", "json-ld"),
                                        ("nt", "nt"), ("rdf", "xml")])
def test_entity_as_rdf_by_suffix(client, suffix, fmt):
    response = client.get(f"/id/org/hit-peace-forum.{suffix}")
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.data, format=fmt)
    assert (HIT, RDF.type, CG.Forum) in graph


def test_browser_accept_gets_html(client):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert client.get("/id/org/hit-peace-forum", headers={"Accept": accept}).mimetype == "text/html"
    assert client.get("/id/org/hit-peace-forum", headers={"Accept": "*/*"}).mimetype == "text/html"


def test_unknown_iri_is_404_in_the_format_asked_for(client):
    page = client.get("/id/org/no-such-organisation")
    assert page.status_code == 404 and page.mimetype == "text/html"
    rdf = client.get("/id/org/no-such-organisation", headers={"Accept": "text/turtle"})
    assert rdf.status_code == 404 and rdf.mimetype == "text/turtle"
    assert len(rdflib.Graph().parse(data=rdf.data, format="turtle")) == 0
    assert client.get("/id/org/no-such-organisation.jsonld").status_code == 404


# -- report pages ----------------------------------------------------------------------
def test_report_page_marks_mentions_and_lists_facts(client, samples):
    report = _report_of(samples, HIT)
    path = "/id/" + report[len(BASE):]
    page = client.get(path)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'class="mention" href="/id/org/hit-peace-forum"' in html
    assert "Facts drawn from it" in html and "<blockquote>" in html
    assert "Published" in html


def test_report_graph_redirects_people_and_gives_rdf_to_programs(client, samples):
    report = _report_of(samples, HIT)
    graph_path = "/id/graph/" + report[len(BASE):]
    redirect = client.get(graph_path)
    assert redirect.status_code == 303
    assert redirect.headers["Location"].endswith("/id/" + report[len(BASE):])
    rdf = client.get(graph_path, headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=rdf.data, format="turtle")
    assert (URIRef(report), RDF.type, SDO.Report) in graph
    assert any(graph.subjects(RDF.type, CG.FactStatement))


# -- listings and search ---------------------------------------------------------------
@pytest.mark.parametrize("slug,name", [("organisations", "Un Ponte Per"), ("forums", "Hit Peace Forum"),
                                       ("funders", ""), ("projects", ""), ("events", ""),
                                       ("people", ""), ("places", "Hit"), ("reports", "")])
def test_listing_pages(client, slug, name):
    page = client.get(f"/{slug}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count('href="/id/') >= 3
    assert name in html


def test_events_filter_by_year_and_place(client, samples):
    all_events = client.get("/events").get_data(as_text=True)
    in_2018 = client.get("/events?year=2018").get_data(as_text=True)
    assert 0 < in_2018.count('href="/id/event/') < all_events.count('href="/id/event/')
    rows = samples.query("SELECT ?p (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a <https://schema.org/Event> ; "
                         "<https://schema.org/location> ?p } GROUP BY ?p ORDER BY DESC(?n) LIMIT 1").rows
    place, n = rows[0][0], int(rows[0][1])
    at_hit = client.get("/events", query_string={"place": str(place)}).get_data(as_text=True)
    assert at_hit.count('href="/id/event/') == n > 0


@pytest.mark.parametrize("query", ["year=abc", "year=0", "page=0", "page=x",
                                   "place=not-an-iri", "place=http://x/a%20b>"])
def test_listing_bad_parameters_are_400(client, query):
    response = client.get(f"/events?{query}")
    assert response.status_code == 400
    assert b"Traceback" not in response.data


def test_search_finds_acronyms_and_other_names(client):
    html = client.get("/search?q=ISF").get_data(as_text=True)
    assert 'href="/id/org/iraqi-social-forum"' in html
    html = client.get("/search?q=heet").get_data(as_text=True)  # another spelling
    assert 'href="/id/org/hit-peace-forum"' in html


@pytest.mark.parametrize("q", ['") } DROP ALL #', "\\", '"""', "' OR 1=1"])
def test_search_text_is_never_sparql(client, samples, q):
    before = samples.quad_count()
    assert client.get("/search", query_string={"q": q}).status_code == 200
    assert samples.quad_count() == before


def test_search_too_long_is_400(client):
    assert client.get("/search", query_string={"q": "x" * 500}).status_code == 400


# -- hostile text ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def hostile_client():
    store = open_store("memory:")
    org, report = URIRef(BASE + "org/evil"), URIRef(BASE + "report/evil-md")
    event = URIRef(BASE + "event/evil-md-1")
    st = URIRef(str(report) + "/fact/1")
    store.replace_graphs({BASE + "graph/report/evil-md": [
        (org, RDF.type, ORG.Organization), (org, RDFS.label, Literal(HOSTILE)),
        (org, SKOS.altLabel, Literal(HOSTILE + " 2")),
        (event, RDF.type, SDO.Event), (event, RDFS.label, Literal("Workshop " + HOSTILE)),
        (event, SDO.organizer, org),
        (report, RDF.type, SDO.Report), (report, RDFS.label, Literal("Title " + HOSTILE)),
        (report, SDO.text, Literal(f"The {HOSTILE} held a workshop.")),
        (report, SDO.mentions, org),
        (st, RDF.type, CG.FactStatement), (st, RDF.subject, event), (st, RDF.predicate, SDO.organizer),
        (st, RDF.object, org), (st, PROV.wasDerivedFrom, report),
        (st, CG.evidenceText, Literal(f'The {HOSTILE} held a workshop "><script>alert(2)</script>')),
        (st, CG.confidence, Literal("0.90", datatype=XSD.decimal))]})
    yield create_app(store=store, base=BASE).test_client()
    store.close()


@pytest.mark.parametrize("path", ["/id/org/evil", "/id/event/evil-md-1", "/id/report/evil-md",
                                  "/organisations", "/events", "/reports", "/search?q=img"])
def test_hostile_names_are_escaped_everywhere(hostile_client, path):
    html = hostile_client.get(path).get_data(as_text=True)
    assert "<img" not in html and "<script>alert" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


# -- exports ---------------------------------------------------------------------------
def _quads(store) -> set:
    return {(q.subject, q.predicate, q.object, q.graph_name)
            for q in store._store.quads_for_pattern(None, None, None, None)}


@pytest.mark.parametrize("name", ["trig", "nquads", "jsonld"])
def test_dataset_exports_keep_every_graph(client, samples, name):
    response = client.get(f"/export?format={name}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    parsed = {(q.subject, q.predicate, q.object, q.graph_name)
              for q in ox.parse(response.data, format=FORMATS[name].ox)}
    assert parsed == _quads(samples)


@pytest.mark.parametrize("name", ["turtle", "ntriples", "rdfxml"])
def test_triple_exports_hold_the_union(client, samples, name):
    response = client.get(f"/export?format={name}")
    parsed = {(t.subject, t.predicate, t.object) for t in ox.parse(response.data, format=FORMATS[name].ox)}
    assert parsed == {(s, p, o) for s, p, o, _ in _quads(samples)}


def test_exports_satisfy_the_shapes(client):
    response = client.get("/export?format=turtle")
    report = validate_graph(rdflib.Graph().parse(data=response.data, format="turtle"))
    assert report.conforms, report.violations[:3]


def test_jsonld_export_uses_the_ontology_context(client):
    doc = json.loads(client.get("/export?format=jsonld").data)
    assert doc["@context"]["cg"] == str(CG)
    keys = {key for graph in doc["@graph"] for node in graph.get("@graph", [graph]) for key in node}
    assert {"rdfs:label", "schema:organizer", "cg:evidenceText"} <= keys
    assert not any(key.startswith("http") for key in keys if key.split(":")[0] in ("https", "http")
                   and key.startswith(("https://schema.org/", "http://www.w3.org/2000/01/rdf-schema#")))


def test_gzip_on_request_and_by_accept_encoding(client):
    plain = client.get("/export?format=nquads").data
    as_file = client.get("/export?format=nquads&gzip=1")
    assert as_file.mimetype == "application/gzip"
    assert 'civgraph.nq.gz' in as_file.headers["Content-Disposition"]
    assert gzip.decompress(as_file.data) == plain
    encoded = client.get("/export?format=nquads", headers={"Accept-Encoding": "gzip, br"})
    assert encoded.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(encoded.data) == plain


def test_export_page_and_bad_format(client):
    assert b"civgraph.trig" in client.get("/export").data
    response = client.get("/export?format=pdf")
    assert response.status_code == 400 and b"unknown RDF format" in response.data


def test_stream_stops_when_the_reader_leaves(samples):
    chunks = stream(samples, FORMATS["nquads"])
    first = next(chunks)
    assert first
    chunks.close()  # a client that hung up: the producing thread ends


# -- partner export --------------------------------------------------------------------
def test_about_export_holds_what_a_partner_needs(client, samples):
    response = client.get("/export", query_string={"about": str(HIT)})
    assert response.status_code == 200
    assert response.mimetype == "text/turtle"
    assert 'hit-peace-forum.ttl' in response.headers["Content-Disposition"]
    graph = rdflib.Graph().parse(data=response.data, format="turtle")
    assert (HIT, ORG.memberOf, ISF) in graph
    assert (ISF, RDFS.label, None) in graph
    events = set(graph.subjects(SDO.organizer, HIT))
    assert events and all((e, RDF.type, SDO.Event) in graph for e in events)
    statements = set(graph.subjects(RDF.type, CG.FactStatement))
    assert statements
    for st in statements:
        report = graph.value(st, PROV.wasDerivedFrom)
        assert (report, RDFS.label, None) in graph
    assert validate_graph(graph).conforms
    # ready to load elsewhere: a second parser reads it
    assert len(list(ox.parse(response.data, format=ox.RdfFormat.TURTLE))) == len(graph)


def test_about_export_errors(client):
    assert client.get("/export", query_string={"about": BASE + "org/none"}).status_code == 404
    bad = client.get("/export", query_string={"about": "not an iri"})
    assert bad.status_code == 400 and b"not an IRI" in bad.data


def test_entity_page_links_its_partner_export(client):
    html = client.get("/id/org/hit-peace-forum").get_data(as_text=True)
    assert 'class="about-export" href="/export?about=http%3A//example.org/id/org/hit-peace-forum"' in html \
        or "/export?about=http" in html


def test_cli_about_export(tmp_path, samples):
    from civgraph.web.cli import main

    store_dir = tmp_path / "store"
    with open_store(str(store_dir)) as store:
        buf = io.BytesIO()
        samples.dump(buf, FORMATS["nquads"])
        store.load(buf.getvalue(), FORMATS["nquads"], BASE + "graph/x")
    out = tmp_path / "hit.ttl"
    assert main(["export", "--store", str(store_dir), "--about", str(HIT), "--output", str(out)]) == 0
    graph = rdflib.Graph().parse(out, format="turtle")
    assert (HIT, ORG.memberOf, ISF) in graph
    assert main(["export", "--store", str(store_dir), "--about", "nope"]) == 1


def test_mentions_are_marked_across_line_breaks_and_longest_first():
    from civgraph.graph.reports import mark_mentions

    town, office = URIRef(BASE + "place/hit"), URIRef(BASE + "org/hit-municipality")
    names = {"Hit": town, "Hit Municipality": office, "the Forum": town}
    segments = mark_mentions("The Hit\nMunicipality met the Forum in Hit.", names,
                             {town: "Hit", office: "Hit Municipality"})
    marked = [(s.text, s.entity) for s in segments if s.entity]
    assert marked == [("Hit\nMunicipality", office), ("Hit", town)]
