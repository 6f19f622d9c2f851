"""The network explorer's server side: the network read from the store, the JSON
endpoints, the layout and its cache, the reduction of large graphs, the standalone
file and the `civgraph network` command."""
from __future__ import annotations

import math
import time
from urllib.parse import urlsplit

import networkx as nx
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from civgraph import ontology
from civgraph.graph import open_store
from civgraph.graph.namespaces import CG, ORG, SDO
from civgraph.graph.network import read_network, relation_labels
from civgraph.web.app import create_app
from civgraph.web.cli import main
from civgraph.web.network import NetworkCache, standalone_html
from civgraph.web.network_layout import SPRING_LIMIT, compute_layout

from conftest import Links, fresh_samples

BASE = "http://example.org/id/"
HOSTILE = "<img src=x onerror=alert(1)>"
HOSTILE_ORG = URIRef(BASE + "org/hostile")
ISF = BASE + "org/iraqi-social-forum"


def hostile_graph() -> dict:
    """An organisation whose name, report title and sentence are markup."""
    report = URIRef(BASE + "report/hostile-md")
    statement = URIRef(BASE + "report/hostile-md/fact/1")
    return {BASE + "graph/report/hostile-md": [
        (HOSTILE_ORG, RDF.type, ORG.Organization), (HOSTILE_ORG, RDFS.label, Literal(HOSTILE)),
        (HOSTILE_ORG, SKOS.altLabel, Literal("HOSTILE-ACRONYM")),
        (HOSTILE_ORG, CG.partner, URIRef(ISF)),
        (report, RDF.type, SDO.Report), (report, RDFS.label, Literal("<b>A report</b>")),
        (URIRef(BASE + "graph/report/hostile-md"), PROV.wasDerivedFrom, report),
        (statement, RDF.type, CG.FactStatement), (statement, RDF.subject, HOSTILE_ORG),
        (statement, RDF.predicate, CG.partner), (statement, RDF.object, URIRef(ISF)),
        (statement, PROV.wasDerivedFrom, report),
        (statement, CG.evidenceText, Literal("<script>alert(2)</script> works with the ISF.")),
    ]}


@pytest.fixture(scope="module")
def sample_store():
    store = fresh_samples(BASE)
    store.replace_graphs(hostile_graph())
    yield store
    store.close()


@pytest.fixture(scope="module")
def network(sample_store):
    return read_network(sample_store)


# -- the network read from the store ----------------------------------------------------

def test_nodes_are_the_entities_not_reports_nor_statements(network):
    classes = {n.cls for n in network.nodes.values()}
    drawn = {e["iri"] for e in ontology.legend()} - {str(SDO.Report)}
    assert classes <= drawn and str(CG.Forum) in classes and str(SDO.Place) in classes
    assert not any("/report/" in iri for iri in network.nodes)
    forum = network.nodes[BASE + "org/hit-peace-forum"]
    assert forum.cls == str(CG.Forum) and forum.label == "Hit Peace Forum"
    assert "ISF" in network.nodes[ISF].names  # acronyms are names too


def test_events_have_a_year_and_their_kind(network):
    events = [n for n in network.nodes.values() if n.cls == str(SDO.Event)]
    assert events and all(n.kinds for n in events)
    dated = [n for n in events if n.year is not None]
    assert dated and all(2000 < n.year < 2100 for n in dated)


def test_edges_join_drawn_nodes_once(network):
    assert network.edges
    assert all(e.source in network.nodes and e.target in network.nodes for e in network.edges)
    assert len({(e.source, e.relation, e.target) for e in network.edges}) == len(network.edges)
    assert str(RDF.type) not in {e.relation for e in network.edges}


def test_relation_labels_are_the_ontology_labels():
    labels = relation_labels()
    assert labels[str(SDO.organizer)] == "organiser"
    assert labels[str(ORG.memberOf)] == "member of"


# -- the page and its JSON ---------------------------------------------------------------

def test_page_loads_only_assets_of_this_app(client):
    page = client.get("/network")
    assert page.status_code == 200
    parser = Links()
    parser.feed(page.get_data(as_text=True))
    assert any("vis-network.min.js" in a for a in parser.assets)
    for src in parser.assets:
        assert not urlsplit(src).netloc, f"{src} points to another host"
        assert client.get(src).status_code == 200, src


def test_page_legend_is_read_from_the_ontology(client):
    html = client.get("/network").get_data(as_text=True)
    for entry in ontology.legend():
        if entry["iri"] != str(SDO.Report):
            assert f'data-class="{entry["iri"]}"' in html
            assert entry["colour"] in html and entry["label"] in html


def test_hostile_names_are_escaped_in_the_page_and_the_list(client):
    for url in ("/network", "/network?view=list"):
        html = client.get(url).get_data(as_text=True)
        assert HOSTILE not in html and "<script>alert(2)" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in client.get("/network?view=list").get_data(as_text=True)


def test_graph_json_has_every_node_with_a_position(client, network):
    data = client.get("/network/graph.json").get_json()
    assert data["total"] == data["shown"] == len(network.nodes) and not data["reduced"]
    ids = {n["id"] for n in data["nodes"]}
    assert ids == set(network.nodes)
    assert all(math.isfinite(n["x"]) and math.isfinite(n["y"]) for n in data["nodes"])
    assert all(e["from"] in ids and e["to"] in ids for e in data["edges"])
    labels = {r["iri"]: r["label"] for r in data["relations"]}
    assert labels[str(SDO.location)] == "location"
    hit = next(n for n in data["nodes"] if n["id"] == BASE + "org/hit-peace-forum")
    assert hit["page"] == "/id/org/hit-peace-forum"


def test_node_json_has_facts_links_and_sources(client, network):
    event = next(n for n in network.nodes.values() if n.year is not None)
    data = client.get("/network/node.json", query_string={"iri": event.iri}).get_json()
    assert data["label"] == event.label and data["classLabel"] == "Event"
    assert any(f["property"] == "start date" and f["value"].startswith(str(event.year))
               for f in data["facts"])
    assert data["links"] and data["sources"]
    report = data["sources"][0]
    assert report["title"] and report["file"] and report["sentences"]
    assert data["page"].startswith("/id/event/")


def test_node_json_of_an_authority_entry_names_the_authority_list(client):
    data = client.get("/network/node.json", query_string={"iri": ISF}).get_json()
    assert any(s["authority"] for s in data["sources"])
    assert any(l["relation"] == "has member" or l["relation"].endswith(" of") or l["direction"] == "in"
               for l in data["links"])


def test_neighbours_json(client, network):
    data = client.get("/network/neighbours.json", query_string={"iri": ISF}).get_json()
    ids = {n["id"] for n in data["nodes"]}
    assert ISF in ids and len(ids) == data["total"] + 1
    assert str(HOSTILE_ORG) in ids
    assert all(ISF in (e["from"], e["to"]) or (e["from"] in ids and e["to"] in ids)
               for e in data["edges"])


def test_search_finds_a_node_by_its_acronym(client):
    matches = client.get("/network/search.json", query_string={"q": "isf"}).get_json()["matches"]
    assert matches[0]["id"] == ISF and matches[0]["match"] == "ISF"
    hostile = client.get("/network/search.json", query_string={"q": "hostile-acronym"}).get_json()
    assert hostile["matches"][0]["label"] == HOSTILE


def test_ego_network_holds_the_nodes_within_depth(client, app, network):
    graph = nx.Graph()
    graph.add_nodes_from(network.nodes)
    graph.add_edges_from((e.source, e.target) for e in network.edges)
    for depth in (1, 2):
        data = client.get("/network/graph.json", query_string={"focus": ISF, "depth": depth}).get_json()
        expected = set(nx.single_source_shortest_path_length(graph, ISF, cutoff=depth))
        assert {n["id"] for n in data["nodes"]} == expected
        assert data["focus"] == ISF and data["depth"] == depth
    page = client.get("/network", query_string={"focus": ISF, "depth": 1})
    assert page.status_code == 200 and "around Iraqi Social Forum" in page.get_data(as_text=True)


@pytest.mark.parametrize("query, status, words", [
    ({"focus": BASE + "org/no-such-forum"}, 404, "There is no node"),
    ({"focus": "not-an-iri"}, 400, "full IRI"),
    ({"focus": ISF, "depth": "0"}, 400, "between 1 and 3"),
    ({"focus": ISF, "depth": "99"}, 400, "between 1 and 3"),
    ({"focus": ISF, "depth": "two"}, 400, "whole number"),
    ({"depth": "1.5"}, 400, "whole number"),
    ({"view": "chart"}, 400, "graph or list"),
])
def test_bad_parameters_get_a_clear_answer(client, query, status, words):
    page = client.get("/network", query_string=query)
    assert page.status_code == status
    html = page.get_data(as_text=True)
    assert words in html and "Traceback" not in html
    if "view" not in query:
        answer = client.get("/network/graph.json", query_string=query)
        assert answer.status_code == status and words in answer.get_json()["error"]


@pytest.mark.parametrize("url, status", [
    ("/network/node.json", 400), ("/network/node.json?iri=http://example.org/nothing", 404),
    ("/network/neighbours.json", 400), ("/network/neighbours.json?iri=urn:x", 404),
    ("/network/search.json", 400), ("/network/search.json?q=" + "x" * 300, 400),
])
def test_bad_endpoint_requests(client, url, status):
    answer = client.get(url)
    assert answer.status_code == status
    assert answer.get_json()["error"]


# -- layout and cache --------------------------------------------------------------------

def test_layout_places_every_node_apart():
    graph = nx.barabasi_albert_graph(SPRING_LIMIT + 200, 1, seed=3)
    graph = nx.relabel_nodes(graph, {i: f"n{i}" for i in graph})
    graph.add_edge("a", "b")
    graph.add_node("alone")
    positions = compute_layout(graph)
    assert set(positions) == set(graph)
    points = {p for p in positions.values()}
    assert len(points) == len(positions)
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in positions.values())


def test_layout_is_cached_until_the_store_changes():
    store = open_store("memory:")
    store.replace_graphs(hostile_graph())
    app = create_app(store=store, base=BASE)
    client = app.test_client()
    first = client.get("/network/graph.json").get_json()
    cache = app.extensions["civgraph.network_cache"]
    computed = cache.computed
    assert client.get("/network/graph.json").get_json() == first
    client.get("/network")
    assert cache.computed == computed  # the page and the JSON share one layout
    other = URIRef(BASE + "org/other")
    store.replace_graphs({BASE + "graph/report/other": [
        (other, RDF.type, ORG.Organization), (other, RDFS.label, Literal("Other Org"))]})
    after = client.get("/network/graph.json").get_json()
    assert cache.computed > computed
    assert after["total"] == first["total"] + 1


def test_cache_of_a_store_without_generation_expires():
    class Remote:  # a store that cannot say when its data changed
        pass

    cache = NetworkCache(ttl=0.05)
    store = Remote()
    calls = []
    compute = lambda: calls.append(1) or len(calls)  # noqa: E731
    assert cache.get(store, "k", compute) == 1
    assert cache.get(store, "k", compute) == 1
    time.sleep(0.1)
    assert cache.get(store, "k", compute) == 2


# -- large graphs ------------------------------------------------------------------------

def test_large_graph_is_reduced_to_its_most_connected_nodes(sample_store, network):
    app = create_app(store=sample_store, base=BASE, NETWORK_MAX_NODES=25)
    client = app.test_client()
    data = client.get("/network/graph.json").get_json()
    assert data["reduced"] and data["shown"] == 25 and data["total"] == len(network.nodes)
    degree: dict[str, set] = {iri: set() for iri in network.nodes}
    for e in network.edges:
        degree[e.source].add(e.target)
        degree[e.target].add(e.source)
    threshold = sorted((len(v) for v in degree.values()), reverse=True)[24]
    assert all(len(degree[n["id"]]) >= threshold for n in data["nodes"])
    html = client.get("/network").get_data(as_text=True)
    assert "the 25 most connected are shown" in html
    ego = client.get("/network/graph.json", query_string={"focus": BASE + "org/hit-peace-forum",
                                                           "depth": 3}).get_json()
    assert BASE + "org/hit-peace-forum" in {n["id"] for n in ego["nodes"]}


# -- the standalone file and the command -------------------------------------------------

def test_standalone_file_inlines_everything(sample_store, network):
    html = standalone_html(sample_store, BASE)
    parser = Links()
    parser.feed(html)
    assert parser.assets == []  # no script, stylesheet or image is loaded from anywhere
    assert "vis.Network" in html or "Network" in html
    assert HOSTILE not in html and "<script>alert(2)" not in html
    assert 'id="network-details"' in html and 'id="network-list"' in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # in the list, as text


@pytest.fixture
def store_dir(tmp_path):
    location = str(tmp_path / "store")
    store = open_store(location)
    store.replace_graphs(hostile_graph())
    store.close()
    return location


def test_network_command_writes_the_file(store_dir, tmp_path, capsys):
    target = tmp_path / "explorer.html"
    assert main(["network", "--store", store_dir, "--base", BASE, "--output", str(target)]) == 0
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and "network-data" in html
    assert "wrote" in capsys.readouterr().err
    assert not list(tmp_path.glob(".explorer.html.*"))


@pytest.mark.parametrize("make_args, words", [
    (lambda d, t: ["--store", d, "--output", str(t / "missing" / "x.html")], "does not exist"),
    (lambda d, t: ["--store", d, "--output", str(t)], "it is a folder"),
    (lambda d, t: ["--store", str(t / "nothing-here"), "--output", str(t / "x.html")], "no store"),
])
def test_network_command_errors_are_one_line(store_dir, tmp_path, capsys, make_args, words):
    assert main(["network", *make_args(store_dir, tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("civgraph: error:") and words in err and err.count("\n") == 1


def test_network_command_needs_an_output(capsys):
    with pytest.raises(SystemExit) as exit:
        main(["network"])
    assert exit.value.code == 2
    with pytest.raises(SystemExit) as exit:
        main(["network", "--output", "x.html", "--max-nodes", "none"])
    assert exit.value.code == 2


def test_network_reads_the_same_on_every_backend(store):
    graphs = hostile_graph()
    graphs[BASE + "graph/authority"] = [(URIRef(ISF), RDF.type, CG.Forum),
                                       (URIRef(ISF), RDF.type, ORG.Organization),
                                       (URIRef(ISF), RDFS.label, Literal("Iraqi Social Forum"))]
    store.replace_graphs(graphs)
    network = read_network(store)
    assert network.nodes[ISF].cls == str(CG.Forum)
    assert set(network.nodes) == {str(HOSTILE_ORG), ISF}
    assert network.nodes[str(HOSTILE_ORG)].label == HOSTILE
    assert [(e.source, e.relation, e.target) for e in network.edges] == [
        (str(HOSTILE_ORG), str(CG.partner), ISF)]
