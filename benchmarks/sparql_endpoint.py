"""The `/sparql` endpoint of `civgraph serve` beside `oxigraph serve`, on the same data.

Generates a civgraph-shaped graph of about a million triples, loads it into two store
directories with `oxigraph load`, serves one with `civgraph serve` and the other with
`oxigraph serve --union-default-graph`, and sends both the same fixed query mix over
HTTP: latency (p50, p95) one request at a time, then throughput with concurrent clients.

    python benchmarks/sparql_endpoint.py [--reports 13500] [--rounds 20] [--clients 4]

Prints one table; the figures go into benchmarks/README.md.
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

#: (name, query, Accept) — aggregates, selective joins, lookups and a graph answer.
MIX = [
    ("events per type", f"SELECT ?type (COUNT(?e) AS ?n) WHERE {{ ?e a ?type ; <{SDO}organizer> ?o }} GROUP BY ?type", "json"),
    ("top organisers", f"SELECT ?o (COUNT(DISTINCT ?e) AS ?n) (SUM(?c) AS ?people) WHERE {{ ?e <{SDO}organizer> ?o ; <{CG}participantCount> ?c }} GROUP BY ?o ORDER BY DESC(?n) LIMIT 10", "json"),
    ("partners of partners", f"SELECT DISTINCT ?c WHERE {{ <{BASE}org/org-1> <{CG}partner> ?b . ?b <{CG}partner> ?c }}", "json"),
    ("events in a place", f"SELECT ?e ?date ?n WHERE {{ ?e <{SDO}location> <{BASE}place/place-3> ; <{SDO}startDate> ?date ; <{CG}participantCount> ?n }} ORDER BY ?date LIMIT 100", "json"),
    ("reports mentioning", f"SELECT ?r WHERE {{ ?r <{SDO}mentions> <{BASE}org/org-7> }} LIMIT 100", "json"),
    ("label lookup", f"SELECT ?label WHERE {{ <{BASE}org/org-11> <{RDFS_LABEL}> ?label }}", "json"),
    ("provenance of a fact", f"SELECT ?st ?text WHERE {{ ?st <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> <{BASE}event/report-5-0> ; <{CG}evidenceText> ?text }}", "csv"),
    ("describe an organisation", f"DESCRIBE <{BASE}org/org-2>", "turtle"),
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


def latency(url: str, rounds: int) -> dict[str, list[float]]:
    session = requests.Session()
    for name, q, a in MIX:  # warm up caches and query workers
        send(session, url, q, a)
    times: dict[str, list[float]] = {name: [] for name, _, _ in MIX}
    for _ in range(rounds):
        for name, q, a in MIX:
            times[name].append(send(session, url, q, a))
    return times


def throughput(url: str, clients: int, seconds: float) -> float:
    stop = time.monotonic() + seconds

    def client(k: int) -> int:
        session, n = requests.Session(), 0
        while time.monotonic() < stop:
            name, q, a = MIX[(n + k) % len(MIX)]
            send(session, url, q, a)
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
        results = {}
        for label, (url, _) in servers.items():
            times = latency(url, args.rounds)
            every = [x for v in times.values() for x in v]
            results[label] = (times, every, throughput(url, args.clients, args.seconds))
        print(f"\nlatency over {args.rounds} rounds of {len(MIX)} queries, one at a time "
              f"(ms, p50 / p95); throughput with {args.clients} clients for {args.seconds:g} s")
        print(f"{'query':26} " + " ".join(f"{label:>22}" for label in results) + "   ratio p50")
        for name, _, _ in MIX:
            cells = [f"{pct(r[0][name], 50):9.1f} / {pct(r[0][name], 95):9.1f}" for r in results.values()]
            a, b = (pct(r[0][name], 50) for r in results.values())
            print(f"{name:26} " + " ".join(f"{c:>22}" for c in cells) + f"   {a / b:6.2f}")
        cells = [f"{pct(r[1], 50):9.1f} / {pct(r[1], 95):9.1f}" for r in results.values()]
        a, b = (pct(r[1], 50) for r in results.values())
        print(f"{'all queries':26} " + " ".join(f"{c:>22}" for c in cells) + f"   {a / b:6.2f}")
        print(f"{'throughput (queries/s)':26} " + " ".join(
            f"{r[2]:22.1f}" for r in results.values()))
        print(f"\nmachine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    finally:
        for p in procs:
            p.terminate()
            p.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
