"""The web app's frame: home page, errors as pages, no request to another host."""
from __future__ import annotations

import re

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from civgraph.graph import open_store
from civgraph.graph.namespaces import CG, ORG
from civgraph.web.app import create_app

BASE = "http://example.org/id/"


@pytest.fixture
def client():
    store = open_store("memory:")
    forum = URIRef(BASE + "org/hit-peace-forum")
    store.replace_graphs({BASE + "graph/report/a": [
        (forum, RDF.type, CG.Forum), (forum, RDF.type, ORG.Organization),
        (forum, RDFS.label, Literal("<b>Hit</b> Peace Forum"))]})
    app = create_app(store=store, base=BASE)
    app.config["TESTING"] = True
    return app.test_client()


def test_home_counts_resources_per_class(client):
    page = client.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Forum" in html and "Organisation" in html


def test_unknown_page_is_a_404_page(client):
    page = client.get("/no/such/page")
    assert page.status_code == 404
    assert "Not found" in page.get_data(as_text=True)


def test_pages_load_nothing_from_other_hosts(client):
    html = client.get("/").get_data(as_text=True)
    assert not re.findall(r"""(?:src|href)=["']https?://""", html)
