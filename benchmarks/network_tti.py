"""Time to interactive of the network explorer (/network) in headless Chromium.

For generated civgraph-shaped graphs of 500, 2,000 and 10,000 nodes, prints:
- the server side: reading the network from the store, and the layout (cold cache);
- the page: from navigation start until the network is drawn (the page's first
  ``afterDrawing``, when it sets ``window.networkReady``), median of several loads with
  the layout cached, and how long a filter (hiding the places) then takes to redraw.

    python benchmarks/network_tti.py [--sizes 500 2000 10000] [--runs 3]

Needs Chromium at /usr/bin/chromium (or --chromium) and the playwright package.
Nothing here asserts a time.
"""
from __future__ import annotations

import argparse
import logging
import os
import platform
import random
import statistics
import subprocess
import threading
import time

import networkx as nx
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD
from werkzeug.serving import make_server

from civgraph.graph import open_store
from civgraph.graph.namespaces import CG, ORG, SDO
from civgraph.graph.network import read_network
from civgraph.web.app import create_app
from civgraph.web.network import build_view, prepare
from civgraph.web.network_layout import compute_layout

BASE = "http://localhost:5000/id/"
EVENT_TYPES = [CG.Workshop, CG.Training, CG.Campaign, CG.Conference, CG.Meeting, CG.Festival]


def network_graphs(n_nodes: int, seed: int = 11) -> dict[str, list]:
    """About ``n_nodes`` entities in the proportions of the sample corpus, in report graphs.

    Places form a containment tree; events have an organiser, a place, a date and now
    and then a project; people are members of organisations and facilitate events;
    organisations partner and fund; a few entities have no link at all.
    """
    rng = random.Random(seed)
    counts = {"org": 0.22, "forum": 0.06, "person": 0.12, "project": 0.03, "event": 0.22,
              "place": 0.35}
    made = {k: [URIRef(f"{BASE}{'org' if k == 'forum' else k}/{k}-{i}")
                for i in range(max(2, int(n_nodes * share)))] for k, share in counts.items()}
    classes = {"org": ORG.Organization, "forum": CG.Forum, "person": SDO.Person,
               "project": CG.Project, "event": SDO.Event, "place": SDO.Place}
    orgs = made["org"] + made["forum"]
    triples = []
    for kind, nodes in made.items():
        for i, node in enumerate(nodes):
            triples += [(node, RDF.type, classes[kind]),
                        (node, RDFS.label, Literal(f"{kind.title()} {i}"))]
            if kind in ("org", "forum"):
                triples += [(node, RDF.type, ORG.Organization),
                            (node, SKOS.altLabel, Literal(f"{kind[:1].upper()}{i}"))]
    places = made["place"]
    for i, place in enumerate(places[1:], start=1):
        triples.append((place, SDO.containedInPlace, places[rng.randrange(0, max(1, i // 4) + 1)]))
    for event in made["event"]:
        triples += [(event, RDF.type, rng.choice(EVENT_TYPES)),
                    (event, SDO.organizer, rng.choice(orgs)),
                    (event, SDO.location, rng.choice(places)),
                    (event, SDO.startDate, Literal(f"{rng.randint(2012, 2024)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                                                    datatype=XSD.date))]
        if rng.random() < 0.3:
            triples.append((event, CG.partOfProject, rng.choice(made["project"])))
        if rng.random() < 0.3:
            triples.append((event, CG.facilitator, rng.choice(made["person"])))
    for person in made["person"]:
        if rng.random() < 0.9:
            triples.append((person, ORG.memberOf, rng.choice(orgs)))
    for org in orgs:
        if rng.random() < 0.5:
            triples.append((org, CG.partner, rng.choice(orgs)))
        if rng.random() < 0.2:
            triples.append((org, SDO.location, rng.choice(places)))
    for project in made["project"]:
        triples += [(project, SDO.funder, rng.choice(orgs)), (project, CG.implementedBy, rng.choice(orgs))]
    graphs: dict[str, list] = {}
    for i in range(0, len(triples), 2000):
        graphs[f"{BASE}graph/load/bench-{i // 2000}"] = triples[i:i + 2000]
    return graphs


def machine() -> str:
    model = ""
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"{os.cpu_count()} cores ({model or 'unknown model'}), {platform.platform()}, "
            f"Python {platform.python_version()}; load average {load}")


def measure(size: int, runs: int, chromium: str, max_nodes: int) -> dict:
    compute_layout(nx.path_graph(400))  # imports (scipy) and first calls out of the timing
    store = open_store("memory:")
    store.replace_graphs(network_graphs(size))
    started = time.perf_counter()
    network = read_network(store)
    read_seconds = time.perf_counter() - started
    prepared = prepare(network)
    started = time.perf_counter()
    view = build_view(prepared, max_nodes)
    layout_seconds = time.perf_counter() - started

    app = create_app(store=store, base=BASE, NETWORK_MAX_NODES=max_nodes)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/network"
    started = time.perf_counter()
    app.test_client().get("/network")  # the first visit computes and caches the layout
    first_request = time.perf_counter() - started

    from playwright.sync_api import sync_playwright
    ttis, filters = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        for _ in range(runs):
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(url)
            page.wait_for_function("window.networkReady === true", timeout=120_000)
            ttis.append(page.evaluate("() => window.networkReadyAt") / 1000)
            filters.append(page.evaluate("""() => new Promise(resolve => {
                const net = window.civgraphNetwork.network;
                const box = document.querySelector('#filter-classes input[data-class="https://schema.org/Place"]');
                const t0 = performance.now();
                net.once('afterDrawing', () => resolve((performance.now() - t0) / 1000));
                box.click();
            })"""))
            page.close()
        browser.close()
    server.shutdown()
    store.close()
    return {"size": len(network.nodes), "edges": len(network.edges), "drawn": len(view.nodes),
            "read": read_seconds, "layout": layout_seconds, "first_request": first_request,
            "tti": statistics.median(ttis), "filter": statistics.median(filters)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--max-nodes", type=int, default=5000)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    print(machine())
    print("| nodes (links) | drawn | read network | layout | first /network (cold cache) | "
          "time to interactive (cached) | filter redraw |")
    print("|---|---|---|---|---|---|---|")
    for size in args.sizes:
        r = measure(size, args.runs, args.chromium, args.max_nodes)
        print(f"| {r['size']:,} ({r['edges']:,}) | {r['drawn']:,} | {r['read']:.2f} s | "
              f"{r['layout']:.2f} s | {r['first_request']:.2f} s | {r['tti']:.2f} s | "
              f"{r['filter'] * 1000:.0f} ms |", flush=True)
    print(machine())


if __name__ == "__main__":
    main()
