"""The network explorer: an interactive drawing of the graph for people who know no RDF.

``/network`` draws organisations, forums, units, people, projects, events and places
with vis-network, at positions computed here (see ``network_layout``) so that the page
is interactive at once, physics off. The JSON endpoints beside it feed the side panel,
neighbour expansion and search; ``/network?view=list`` shows the same nodes and links
as plain lists for screen readers and keyboards; ``standalone_html`` writes the whole
explorer into one offline file (``civgraph network --output``).

Every name and sentence comes from reports anyone may write: templates escape them,
and the page's script puts them in the DOM as text only.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Callable, Hashable
from urllib.parse import urlsplit

import networkx as nx
from flask import Blueprint, current_app, jsonify, render_template, request, url_for

from civgraph import ontology
from civgraph.graph import Store
from civgraph.graph.config import authority_graph
from civgraph.graph.namespaces import CG, SDO
from civgraph.graph.network import (UNDRAWN, Network, all_node_facts, node_facts,
                                    read_network, relation_label)

from .app import current_store
from .network_layout import compute_layout

bp = Blueprint("network", __name__)

#: Settings a deployment may change with ``create_app(**config)``.
DEFAULTS = {
    "NETWORK_MAX_NODES": 5000,  # above this, a view keeps its most connected nodes
    "NETWORK_MAX_DEPTH": 3,  # the widest ego network ``focus=…&depth=N`` may ask for
    "NETWORK_CACHE_TTL": 60.0,  # seconds a layout is kept for a store without a generation
}
#: the most neighbours one expansion brings in (the most connected first)
MAX_NEIGHBOURS = 300
#: the most matches a search returns
MAX_MATCHES = 20


def setting(name: str) -> Any:
    return current_app.config.get(name, DEFAULTS[name])


class BadParameter(Exception):
    """A request parameter that cannot be used; ``status`` is 400 or 404."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


# -- the network, prepared once per version of the data ----------------------------------

@dataclass
class Prepared:
    """The network with what every view needs: an undirected graph and node importance."""

    network: Network
    graph: nx.Graph
    #: distinct neighbours of each node: the importance that sizes it
    degree: dict[str, int]
    #: edges by node, for the side panel and expansion
    incident: dict[str, list[int]] = field(default_factory=dict)


def prepare(network: Network) -> Prepared:
    graph = nx.Graph()
    graph.add_nodes_from(network.nodes)
    incident: dict[str, list[int]] = {iri: [] for iri in network.nodes}
    for i, edge in enumerate(network.edges):
        graph.add_edge(edge.source, edge.target)
        incident[edge.source].append(i)
        incident[edge.target].append(i)
    degree = dict(graph.degree())
    return Prepared(network, graph, degree, incident)


@dataclass
class View:
    """The nodes one page shows, with their positions: the whole graph or an ego network."""

    nodes: list[str]
    positions: dict[str, tuple[float, float]]
    total: int
    reduced: bool
    limit: int
    focus: str | None = None
    depth: int | None = None
    layout_seconds: float = 0.0


def build_view(prepared: Prepared, limit: int, focus: str | None = None,
               depth: int = 1) -> View:
    """Choose the nodes of a view (reduced to ``limit`` when larger) and lay them out."""
    if focus is not None:
        distance = nx.single_source_shortest_path_length(prepared.graph, focus, cutoff=depth)
        rank = lambda v: (distance[v], -prepared.degree[v], v)  # noqa: E731
        members = list(distance)
    else:
        rank = lambda v: (-prepared.degree[v], v)  # noqa: E731
        members = list(prepared.network.nodes)
    total = len(members)
    reduced = total > limit
    if reduced:
        members = sorted(members, key=rank)[:limit]
    started = time.perf_counter()
    positions = compute_layout(prepared.graph.subgraph(members))
    members.sort(key=lambda v: (-prepared.degree[v], v))
    return View(members, positions, total, reduced, limit, focus,
                depth if focus is not None else None, time.perf_counter() - started)


# -- the cache ---------------------------------------------------------------------------

class NetworkCache:
    """Values computed from the data (the network, layouts), kept until the data changes.

    An embedded store counts its writes in ``generation``: a value is reused while that
    number is the one it was computed at. Other stores (a SPARQL server that others
    write to) give no such sign, so their values expire after ``ttl`` seconds.
    """

    def __init__(self, ttl: float, entries: int = 32):
        self.ttl = ttl
        self.entries = entries
        #: how many values were computed rather than reused (for tests and benchmarks)
        self.computed = 0
        self._items: OrderedDict[Hashable, tuple[Any, float, Any]] = OrderedDict()
        # one computation at a time: visitors arriving together wait for one layout
        # instead of each computing it on a machine with few cores
        self._lock = threading.Lock()

    @staticmethod
    def version(store: Store) -> int | None:
        generation = getattr(store, "generation", None)
        return generation if type(generation) is int else None

    def get(self, store: Store, key: Hashable, compute: Callable[[], Any]) -> Any:
        with self._lock:
            version = self.version(store)
            key = (id(store), key)
            item = self._items.get(key)
            if item is not None and item[0] == version and (
                    version is not None or time.monotonic() < item[1]):
                self._items.move_to_end(key)
                return item[2]
            value = compute()
            self.computed += 1
            self._items[key] = (version, time.monotonic() + self.ttl, value)
            while len(self._items) > self.entries:
                self._items.popitem(last=False)
            return value


def network_cache() -> NetworkCache:
    cache = current_app.extensions.get("civgraph.network_cache")
    if cache is None:
        cache = current_app.extensions["civgraph.network_cache"] = NetworkCache(
            float(setting("NETWORK_CACHE_TTL")))
    return cache


def prepared_network(store: Store, cache: NetworkCache) -> Prepared:
    return cache.get(store, ("network",), lambda: prepare(read_network(store)))


def cached_view(store: Store, cache: NetworkCache, limit: int, focus: str | None,
                depth: int) -> tuple[Prepared, View]:
    prepared = prepared_network(store, cache)
    if focus is not None and focus not in prepared.network.nodes:
        raise BadParameter(f"There is no node {focus} in the network: it may have been "
                           "removed, or the address is mistyped.", 404)
    key = ("view", limit, focus, depth if focus is not None else None)
    return prepared, cache.get(store, key, lambda: build_view(prepared, limit, focus, depth))


# -- what the page and the endpoints send ------------------------------------------------

def legend_entries() -> list[dict]:
    """The drawn classes in legend order, as the ontology styles them."""
    return [e for e in ontology.legend() if e["iri"] not in UNDRAWN]


def node_payload(prepared: Prepared, iri: str, page: Callable[[str], str | None],
                 position: tuple[float, float] | None = None) -> dict:
    node = prepared.network.nodes[iri]
    out = {"id": iri, "label": node.label, "names": node.names, "cls": node.cls,
           "kinds": node.kinds, "degree": prepared.degree.get(iri, 0), "page": page(iri)}
    if node.year is not None:
        out["year"] = node.year
    if position is not None:
        out["x"], out["y"] = position
    return out


def edges_among(prepared: Prepared, members: list[str]) -> list[dict]:
    inside = set(members)
    return [{"from": e.source, "to": e.target, "rel": e.relation}
            for e in prepared.network.edges if e.source in inside and e.target in inside]


def view_payload(prepared: Prepared, view: View, page: Callable[[str], str | None]) -> dict:
    """The view as JSON: nodes with positions, edges by IRI, and what was left out."""
    edges = edges_among(prepared, view.nodes)
    return {
        "nodes": [node_payload(prepared, v, page, view.positions.get(v)) for v in view.nodes],
        "edges": edges,
        "relations": _relations(edges),
        "total": view.total, "shown": len(view.nodes), "reduced": view.reduced,
        "limit": view.limit, "focus": view.focus, "depth": view.depth,
    }


def _relations(edges: list[dict]) -> list[dict]:
    """The relations the edges use, with their labels from the ontology, by label."""
    found = sorted({e["rel"] for e in edges}, key=lambda r: (relation_label(r), r))
    return [{"iri": r, "label": relation_label(r)} for r in found]


def terms() -> dict[str, str]:
    """The IRIs the page's filters need: which class has years, what a funder is."""
    return {"event": str(SDO.Event), "project": str(CG.Project), "place": str(SDO.Place),
            "funder": str(SDO.funder), "partOfProject": str(CG.partOfProject),
            "location": str(SDO.location), "containedInPlace": str(SDO.containedInPlace)}


def notice_for(view: View) -> str | None:
    """What the page says when it shows less than was asked for."""
    if not view.reduced:
        return None
    what = "This neighbourhood" if view.focus else "The graph"
    return (f"{what} has {view.total:,} nodes, more than the {view.limit:,} drawn at once: "
            f"the {view.limit:,} most connected are shown. Search for a name, or "
            f"double-click a node to bring in its neighbours.")


def entity_path(iri: str, base: str, root: str = "") -> str | None:
    """The page of a resource minted here: the path of its IRI on this app."""
    if not iri.startswith(base):
        return None
    return root + urlsplit(iri).path


def details_payload(prepared: Prepared, iri: str, facts: dict,
                    page: Callable[[str], str | None]) -> dict:
    """Everything the side panel shows of a node."""
    node = prepared.network.nodes[iri]
    labels = ontology.class_labels()
    links = []
    for i in prepared.incident.get(iri, ()):
        edge = prepared.network.edges[i]
        outgoing = edge.source == iri
        other = edge.target if outgoing else edge.source
        links.append({"relation": relation_label(edge.relation) if outgoing
                      else inverse_label(edge.relation), "rel": edge.relation,
                      "direction": "out" if outgoing else "in", "id": other,
                      "label": prepared.network.nodes[other].label})
    links.sort(key=lambda l: (l["direction"] != "out", l["relation"], l["label"]))
    return {"id": iri, "label": node.label, "names": node.names, "cls": node.cls,
            "classLabel": labels.get(node.cls, node.cls), "kinds": node.kinds,
            "year": node.year, "degree": prepared.degree.get(iri, 0), "page": page(iri),
            "links": links, "facts": facts.get("facts", []),
            "sources": facts.get("sources", [])}


def inverse_label(relation: str) -> str:
    """How a relation reads from its object back to its subject ("organised")."""
    inverse = getattr(ontology, "property_labels", lambda: {})().get(relation)
    return inverse[1] if inverse else f"{relation_label(relation)} of"


def search(prepared: Prepared, text: str, limit: int = MAX_MATCHES) -> list[dict]:
    """Nodes whose name or other name (an acronym too) contains ``text``, best first."""
    wanted = " ".join(text.casefold().split())
    found = []
    for iri, node in prepared.network.nodes.items():
        best = None
        for name in [node.label, *node.names]:
            folded = name.casefold()
            if wanted == folded:
                score = 0
            elif folded.startswith(wanted):
                score = 1
            elif f" {wanted}" in f" {folded}":
                score = 2
            elif wanted in folded:
                score = 3
            else:
                continue
            if best is None or score < best[0]:
                best = (score, name)
        if best is not None:
            found.append((best[0], -prepared.degree[iri], node.label, iri, best[1]))
    found.sort()
    return [{"id": iri, "label": label, "match": match,
             "cls": prepared.network.nodes[iri].cls, "kinds": prepared.network.nodes[iri].kinds}
            for _, _, label, iri, match in found[:limit]]


# -- request parameters ------------------------------------------------------------------

def _whole_number(name: str, text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise BadParameter(f"{name} must be a whole number, not {text[:40]!r}") from None


def view_parameters(args) -> tuple[str | None, int]:
    """``focus`` and ``depth`` of a request, checked."""
    focus = (args.get("focus") or "").strip() or None
    depth_text = args.get("depth")
    depth = 1 if depth_text in (None, "") else _whole_number("depth", depth_text)
    deepest = int(setting("NETWORK_MAX_DEPTH"))
    if not 1 <= depth <= deepest:
        raise BadParameter(f"depth must be between 1 and {deepest}, not {depth}")
    if focus is not None and not urlsplit(focus).scheme:
        raise BadParameter(f"focus must be the full IRI of a node (http://…), not {focus[:80]!r}")
    return focus, depth


def _iri_parameter(args) -> str:
    iri = (args.get("iri") or "").strip()
    if not iri:
        raise BadParameter("give the IRI of a node as iri=…")
    return iri


def _page_link() -> Callable[[str], str | None]:
    base, root = current_app.config["CIVGRAPH_BASE"], request.script_root
    return lambda iri: entity_path(iri, base, root)


@bp.errorhandler(BadParameter)
def bad_parameter(error: BadParameter):
    if request.path.endswith(".json"):
        return jsonify({"error": str(error)}), error.status
    title = "Not found" if error.status == 404 else "This address cannot be shown"
    return render_template("error.html", title=title, message=str(error)), error.status


# -- routes ------------------------------------------------------------------------------

@bp.get("/network")
def explorer():
    focus, depth = view_parameters(request.args)
    mode = request.args.get("view", "graph")
    if mode not in ("graph", "list"):
        raise BadParameter(f"view must be graph or list, not {mode[:40]!r}")
    store, cache = current_store(), network_cache()
    limit = int(setting("NETWORK_MAX_NODES"))
    prepared, view = cached_view(store, cache, limit, focus, depth)
    data = view_payload(prepared, view, _page_link())
    keep = {k: v for k, v in (("focus", focus), ("depth", depth if focus else None)) if v}
    common = dict(legend=legend_entries(), notice=notice_for(view), focus_label=(
        prepared.network.nodes[focus].label if focus else None), depth=depth)
    if mode == "list":
        return render_template("network_list.html", title="Network: list of nodes and links",
                               list_data=list_data(data), graph_url=url_for(
                                   "network.explorer", **keep), standalone=False, **common)
    config = {
        "mode": "server",
        "endpoints": {"node": url_for("network.node"), "neighbours": url_for("network.neighbours"),
                      "search": url_for("network.find"), "page": url_for("network.explorer")},
        "legend": common["legend"], "terms": terms(), "maxDepth": int(setting("NETWORK_MAX_DEPTH")),
    }
    return render_template("network.html", title="Network explorer", data=data, config=config,
                           list_url=url_for("network.explorer", view="list", **keep),
                           standalone=False, **common)


@bp.get("/network/graph.json")
def graph_json():
    focus, depth = view_parameters(request.args)
    prepared, view = cached_view(current_store(), network_cache(),
                                 int(setting("NETWORK_MAX_NODES")), focus, depth)
    return jsonify(view_payload(prepared, view, _page_link()))


@bp.get("/network/node.json")
def node():
    iri = _iri_parameter(request.args)
    store = current_store()
    prepared = prepared_network(store, network_cache())
    if iri not in prepared.network.nodes:
        raise BadParameter(f"There is no node {iri[:200]} in the network.", 404)
    facts = node_facts(store, iri, [authority_graph(current_app.config["CIVGRAPH_BASE"])])
    return jsonify(details_payload(prepared, iri, facts, _page_link()))


@bp.get("/network/neighbours.json")
def neighbours():
    iri = _iri_parameter(request.args)
    prepared = prepared_network(current_store(), network_cache())
    if iri not in prepared.network.nodes:
        raise BadParameter(f"There is no node {iri[:200]} in the network.", 404)
    around = sorted(prepared.graph.neighbors(iri), key=lambda v: (-prepared.degree[v], v))
    truncated = len(around) > MAX_NEIGHBOURS
    members = [iri, *around[:MAX_NEIGHBOURS]]
    page = _page_link()
    edges = edges_among(prepared, members)
    return jsonify({"id": iri, "nodes": [node_payload(prepared, v, page) for v in members],
                    "edges": edges, "relations": _relations(edges), "total": len(around),
                    "truncated": truncated})


@bp.get("/network/search.json")
def find():
    text = (request.args.get("q") or "").strip()
    if not text:
        raise BadParameter("give the text to search for as q=…")
    if len(text) > 200:
        raise BadParameter("the search text is longer than 200 characters")
    prepared = prepared_network(current_store(), network_cache())
    return jsonify({"q": text, "matches": search(prepared, text)})


# -- the list view and the standalone file -----------------------------------------------

def list_data(data: dict) -> dict:
    """The view as lists for reading: nodes by class, each with its links, in order."""
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    anchors = {n["id"]: f"node-{i}" for i, n in enumerate(data["nodes"])}
    relation_names = {r["iri"]: r["label"] for r in data["relations"]}
    links: dict[str, list[dict]] = {n["id"]: [] for n in data["nodes"]}
    for e in data["edges"]:
        rel = relation_names.get(e["rel"], e["rel"])
        links[e["from"]].append({"text": rel, "other": labels[e["to"]], "anchor": anchors[e["to"]],
                                 "out": True})
        links[e["to"]].append({"text": rel, "other": labels[e["from"]],
                               "anchor": anchors[e["from"]], "out": False})
    groups = []
    for entry in legend_entries():
        members = sorted((n for n in data["nodes"] if n["cls"] == entry["iri"]),
                         key=lambda n: n["label"].casefold())
        if members:
            groups.append({"entry": entry, "nodes": [
                dict(n, anchor=anchors[n["id"]],
                     links=sorted(links[n["id"]], key=lambda l: (not l["out"], l["text"], l["other"])))
                for n in members]})
    return {"groups": groups, "nodes": len(data["nodes"]), "edges": len(data["edges"])}


def _static(name: str) -> str:
    return resources.files("civgraph.web").joinpath("static", name).read_text(encoding="utf-8")


def _inline_script(text: str) -> str:
    """Script text safe inside a <script> element: no early ``</script``."""
    return text.replace("</script", "<\\/script").replace("<!--", "<\\!--")


def standalone_html(store: Store, base: str, limit: int = DEFAULTS["NETWORK_MAX_NODES"]) -> str:
    """The whole explorer as one HTML file that needs no server and no network.

    The side panel's facts are written into the file for every node; links to entity
    pages point at the IRIs themselves.
    """
    from jinja2 import Environment, PackageLoader, select_autoescape

    prepared = prepare(read_network(store))
    view = build_view(prepared, limit)
    page = lambda iri: iri if iri.startswith(("http://", "https://")) else None  # noqa: E731
    data = view_payload(prepared, view, page)
    facts = all_node_facts(store, [authority_graph(base)])
    details = {v: details_payload(prepared, v, facts.get(v, {}), page) for v in view.nodes}
    env = Environment(loader=PackageLoader("civgraph.web", "templates"),
                      autoescape=select_autoescape(default=True))
    template = env.get_template("network_standalone.html")
    legend = legend_entries()
    return template.render(
        title="Network explorer", data=data, details=details, standalone=True,
        config={"mode": "standalone", "legend": legend, "terms": terms(), "maxDepth": 0},
        legend=legend, notice=notice_for(view), focus_label=None, depth=None,
        list_url="#network-list", list_data=list_data(data),
        styles="\n".join(_static(n) for n in ("civgraph.css", "vis-network/vis-network.min.css",
                                               "network.css")),
        scripts=[_inline_script(_static("vis-network/vis-network.min.js")),
                 _inline_script(_static("network.js"))])
