"""``/ontology``: the ontology documented from its own file, and served as RDF."""
from __future__ import annotations

import html as htmllib
import json
import re

import pytest
from rdflib import Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS, SH

from civgraph import ontology
from civgraph.graph import open_store
from civgraph.graph.namespaces import CG
from civgraph.web.app import create_app
from civgraph.web.vocabulary import anchors, term_kinds

SECTION = re.compile(r'<section class="term" id="([^"]+)">(.*?)</section>', re.S)


@pytest.fixture
def client():
    app = create_app(store=open_store("memory:"), base="http://example.org/id/")
    app.config["TESTING"] = True
    return app.test_client()


def sections(client) -> dict[str, str]:
    page = client.get("/ontology", headers={"Accept": "text/html"})
    assert page.status_code == 200
    found = SECTION.findall(page.get_data(as_text=True))
    ids = [i for i, _ in found]
    assert len(ids) == len(set(ids)), "section ids must be unique"
    return dict(found)


def source() -> Graph:
    return Graph().parse(ontology.path("civgraph.ttl"), format="turtle")


def test_every_term_has_a_section_at_its_anchor(client):
    found = sections(client)
    graph = ontology.load_ontology()
    ids = anchors(graph)
    terms = term_kinds(graph)
    assert any(kind == "class" for kind, _ in terms.values())
    for term in terms:
        anchor = ids[str(term)]
        assert anchor in found, term
        assert f'href="{term}"' in found[anchor]
        if str(term).startswith(ontology.NS):
            assert anchor == str(term)[len(ontology.NS):]


def test_civgraph_term_iris_resolve_to_their_section(client):
    found = sections(client)
    for name in ("Forum", "participantCount", "FactStatement", "partner"):
        assert name in found
    assert "Person" in found  # schema:Person keeps the short name; foaf:Person is prefixed
    assert "foaf-Person" in found


def test_class_sections_carry_legend_and_constraints(client):
    found = sections(client)
    forum = found["Forum"]
    colour = next(e["colour"] for e in ontology.legend() if e["iri"] == str(CG.Forum))
    assert f"background: {colour}" in forum
    assert 'href="#Organization"' in forum  # its superclass
    shapes = ontology.load_shapes()
    ids = anchors(ontology.load_ontology())
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        for target in shapes.objects(shape, SH.targetClass):
            section = found[ids[str(target)]]
            for prop in shapes.objects(shape, SH.property):
                message = shapes.value(prop, SH.message)
                if message is not None:
                    assert htmllib.escape(str(message), quote=False) in section, message


def test_property_sections_give_domain_and_range(client):
    section = sections(client)["participantCount"]
    assert "Domain" in section and 'href="#Event"' in section
    assert "xsd:integer" in section


def test_external_vocabularies_are_listed_with_links(client):
    html = client.get("/ontology").get_data(as_text=True)
    for prefix in ("org", "schema", "skos", "prov"):
        assert f"<code>{prefix}:</code>" in html
    assert 'href="http://www.w3.org/ns/org#memberOf"' in html
    assert 'href="https://www.w3.org/TR/prov-o/"' in html


@pytest.mark.parametrize("accept", ["text/turtle", "application/x-turtle"])
def test_turtle_is_the_ontology_file(client, accept):
    answer = client.get("/ontology", headers={"Accept": accept})
    assert answer.mimetype == "text/turtle"
    assert "Accept" in answer.headers["Vary"]
    served = Graph().parse(data=answer.get_data(as_text=True), format="turtle")
    assert isomorphic(served, source())


@pytest.mark.parametrize("suffix, fmt, media", [
    ("ttl", "turtle", "text/turtle"), ("jsonld", "json-ld", "application/ld+json"),
    ("nt", "nt", "application/n-triples"), ("rdf", "xml", "application/rdf+xml")])
def test_every_format_holds_the_whole_ontology(client, suffix, fmt, media):
    answer = client.get(f"/ontology.{suffix}")
    assert answer.status_code == 200
    assert answer.mimetype == media
    served = Graph().parse(data=answer.get_data(as_text=True), format=fmt)
    assert isomorphic(served, source())


def test_json_ld_by_accept(client):
    answer = client.get("/ontology", headers={"Accept": "application/ld+json"})
    assert answer.mimetype == "application/ld+json"
    assert isomorphic(Graph().parse(data=answer.get_data(as_text=True), format="json-ld"), source())


def test_html_page_says_vary_and_names_its_alternates(client):
    page = client.get("/ontology")
    assert page.mimetype == "text/html"
    assert "Accept" in page.headers["Vary"]
    assert 'rel="alternate"; type="text/turtle"' in page.headers["Link"]


def test_unknown_suffix_is_not_found(client):
    assert client.get("/ontology.xyz").status_code == 404


def test_json_ld_context(client):
    answer = client.get("/ontology/context.jsonld")
    assert answer.status_code == 200
    assert answer.mimetype == "application/ld+json"
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert json.loads(answer.get_data(as_text=True)) == ontology.context()


def test_shapes_are_served(client):
    answer = client.get("/ontology/shapes.ttl")
    assert answer.mimetype == "text/turtle"
    assert isomorphic(Graph().parse(data=answer.get_data(as_text=True), format="turtle"),
                      Graph().parse(ontology.path("shapes.ttl"), format="turtle"))


def test_the_page_escapes_what_the_ontology_says(client, monkeypatch):
    changed = Graph() + ontology.load_ontology()
    changed.set((CG.Forum, RDFS.comment, Literal("<script>alert('x')</script> & more", lang="en")))
    changed.set((CG.Forum, RDFS.label, Literal('Forum "<b>"', lang="en")))
    changed.set((CG.Forum, CG.legendColour, Literal('red" onmouseover="alert(1)')))
    monkeypatch.setattr(ontology, "load_ontology", lambda: changed)
    html = client.get("/ontology").get_data(as_text=True)
    assert "<script>alert" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more" in html
    assert "onmouseover" not in html.split('id="Forum"')[1].split("</h3>")[0]
    assert 'style="background: red' not in html
