"""The `/sparql` endpoint of `civgraph serve` beside `oxigraph serve`, on the same data.

Generates a civgraph-shaped graph of about a million triples, loads it into two store
directories with `oxigraph load`, serves one with `civgraph serve` and the other with
`oxigraph serve --union-default-graph`, and sends both the same query mix over HTTP,
one request at a time: each query goes to one server and then the other (the order
alternating from round to round), so that a change in the load of a shared machine
falls on both alike. Two passes:

- **fixed**: the same eight query texts every round, as a dashboard or a notebook
  sends them again;
- **fresh**: every round names other resources (another organisation, place, event),
  so no server has seen the text before.

Latency is p50 and p95 per query and over all requests; then throughput with
concurrent clients on the fixed mix.

    python benchmarks/sparql_endpoint.py [--reports 13500] [--rounds 20] [--clients 4]

Prints the tables; the figures go into benchmarks/README.md.
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

from civgraph.graph.formats import FORMATS
from civgraph.graph.store import serialize_quads

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import BASE, report_graphs  # noqa: E402

SDO, CG = "https://schema.org/", "https://w3id.org/civgraph/ontology#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"

#: (name, query for a resource number, Accept): aggregates, selective joins, look-ups
#: and a graph answer. The fixed pass uses the number after each template.
MIX = [
    ("events per type", lambda n: f"SELECT ?type (COUNT(?e) AS ?n) WHERE {{ ?e a ?type ; <{SDO}organizer> ?o }} GROUP BY ?type", 0, "json"),
    ("top organisers", lambda n: f"SELECT ?o (COUNT(DISTINCT ?e) AS ?n) (SUM(?c) AS ?people) WHERE {{ ?e <{SDO}organizer> ?o ; <{CG}participantCount> ?c }} GROUP BY ?o ORDER BY DESC(?n) LIMIT {10 + n % 2}", 0, "json"),
    ("partners of partners", lambda n: f"SELECT DISTINCT ?c WHERE {{ <{BASE}org/org-{n}> <{CG}partner> ?b . ?b <{CG}partner> ?c }}", 1, "json"),
    ("events in a place", lambda n: f"SELECT ?e ?date ?n WHERE {{ ?e <{SDO}location> <{BASE}place/place-{n % 270}> ; <{SDO}startDate> ?date ; <{CG}participantCount> ?n }} ORDER BY ?date LIMIT 100", 3, "json"),
    ("reports mentioning", lambda n: f"SELECT ?r WHERE {{ ?r <{SDO}mentions> <{BASE}org/org-{n}> }} LIMIT 100", 7, "json"),
    ("label lookup", lambda n: f"SELECT ?label WHERE {{ <{BASE}org/org-{n}> <{RDFS_LABEL}> ?label }}", 11, "json"),
    ("provenance of a fact", lambda n: f"SELECT ?st ?text WHERE {{ ?st <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> <{BASE}event/report-{n}-0> ; <{CG}evidenceText> ?text }}", 5, "csv"),
    ("describe an organisation", lambda n: f"DESCRIBE <{BASE}org/org-{n}>", 2, "turtle"),
]
ACCEPT = {"json": "application/sparql-results+json", "csv": "text/csv", "turtle": "text/turtle"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def oxigraph_binary() -> str:
    return shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))


def write_data(path: Path, n_reports: int) -> int:
    """The synthetic graph as N-Quads; returns the number of quads."""
    count = 0

    def quads():
        nonlocal count
        for graph, triples in report_graphs(n_reports):
            for s, p, o in triples:
                count += 1
                yield s, p, o, graph

    from rdflib import URIRef
    with open(path, "wb") as out:
        serialize_quads(((s, p, o, URIRef(g)) for s, p, o, g in quads()), out, FORMATS["nquads"])
    return count


def wait_for(url: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {proc.args}")
        try:
            requests.get(url, params={"query": "ASK {}"}, timeout=1)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise SystemExit(f"server did not start: {proc.args}")


def send(session: requests.Session, url: str, query: str, accept: str) -> float:
    t = time.perf_counter()
    r = session.get(url, params={"query": query}, headers={"Accept": ACCEPT[accept]}, timeout=120)
    r.raise_for_status()
    _ = r.content
    return time.perf_counter() - t


def latency(urls: list[str], rounds: int, fresh: bool) -> list[dict[str, list[float]]]:
    """Per server, per query: the time of each request. Each query goes to every server
    in turn, first to one and then to the other from round to round."""
    sessions = [requests.Session() for _ in urls]
    for session, url in zip(sessions, urls):  # connections, caches and query workers
        for _, template, n, a in MIX:
            send(session, url, template(n), a)
    times: list[dict[str, list[float]]] = [{name: [] for name, *_ in MIX} for _ in urls]
    for r in range(rounds):
        order = list(range(len(urls)))[::1 if r % 2 == 0 else -1]
        for name, template, n, a in MIX:
            query = template(100 + 17 * r if fresh else n)
            for k in order:
                times[k][name].append(send(sessions[k], urls[k], query, a))
    return times


def throughput(url: str, clients: int, seconds: float) -> float:
    stop = time.monotonic() + seconds

    def client(k: int) -> int:
        session, n = requests.Session(), 0
        while time.monotonic() < stop:
            _, template, fixed, a = MIX[(n + k) % len(MIX)]
            send(session, url, template(fixed), a)
            n += 1
        return n

    with ThreadPoolExecutor(clients) as pool:
        done = sum(pool.map(client, range(clients)))
    return done / seconds


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=13500, help="~75 triples each")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=15)
    args = parser.parse_args()
    binary = oxigraph_binary()
    civgraph = shutil.which("civgraph") or str(Path(sys.executable).with_name("civgraph"))
    tmp = Path(tempfile.mkdtemp(prefix="civgraph-sparql-bench-"))
    procs = []
    try:
        t = time.perf_counter()
        n = write_data(tmp / "data.nq", args.reports)
        for name in ("civgraph", "oxigraph"):
            subprocess.run([binary, "load", "--location", str(tmp / name), "--file",
                            str(tmp / "data.nq")], check=True, capture_output=True)
        print(f"{n:,} quads in {args.reports:,} report graphs, generated and loaded twice "
              f"in {time.perf_counter() - t:.1f} s")
        cg_port, ox_port = free_port(), free_port()
        servers = {
            "civgraph serve": (f"http://127.0.0.1:{cg_port}/sparql",
                               [civgraph, "serve", "--store", str(tmp / "civgraph"),
                                "--port", str(cg_port)]),
            "oxigraph serve": (f"http://127.0.0.1:{ox_port}/query",
                               [binary, "serve", "--location", str(tmp / "oxigraph"),
                                "--bind", f"127.0.0.1:{ox_port}", "--union-default-graph"]),
        }
        for url, cmd in servers.values():
            procs.append(subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL))
            wait_for(url, procs[-1])
        labels = list(servers)
        urls = [url for url, _ in servers.values()]
        for fresh in (False, True):
            times = latency(urls, args.rounds, fresh)
            print(f"\n{'fresh' if fresh else 'fixed'} query texts: latency over {args.rounds} "
                  f"rounds of {len(MIX)} queries, one at a time (ms, p50 / p95)")
            print(f"{'query':26} " + " ".join(f"{label:>22}" for label in labels) + "   ratio p50")
            ratios = []
            for name, *_ in MIX:
                cells = [f"{pct(t[name], 50):9.2f} / {pct(t[name], 95):9.2f}" for t in times]
                a, b = (pct(t[name], 50) for t in times)
                ratios.append(a / b)
                print(f"{name:26} " + " ".join(f"{c:>22}" for c in cells) + f"   {a / b:6.2f}")
            every = [[x for v in t.values() for x in v] for t in times]
            cells = [f"{pct(e, 50):9.2f} / {pct(e, 95):9.2f}" for e in every]
            a, b = (pct(e, 50) for e in every)
            print(f"{'all requests':26} " + " ".join(f"{c:>22}" for c in cells) + f"   {a / b:6.2f}")
            print(f"{'geometric mean of ratios':26} {'':45}   "
                  f"{statistics.geometric_mean(ratios):6.2f}")
        rates = [throughput(url, args.clients, args.seconds) for url in urls]
        print(f"\nthroughput, fixed texts, {args.clients} clients for {args.seconds:g} s: "
              + ", ".join(f"{label} {rate:.1f} queries/s" for label, rate in zip(labels, rates)))
        print(f"\nmachine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    finally:
        for p in procs:
            p.terminate()
            p.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
