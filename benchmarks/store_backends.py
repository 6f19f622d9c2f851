"""Store backends side by side: write one report graph at a time (as ingest does), then
run the aggregate queries researchers run, on embedded Oxigraph (directory and memory),
a real `oxigraph serve`, and rdflib's in-memory Dataset for reference.

    python benchmarks/store_backends.py [--reports 4000]

Prints one line per backend and measure; the figures go into benchmarks/README.md.
"""
from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import rdflib
import requests

from civgraph.graph import open_store

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import report_graphs  # noqa: E402

QUERIES = {
    "events per type": """SELECT ?type (COUNT(?e) AS ?n) WHERE { ?e a ?type . ?e <https://schema.org/organizer> ?o } GROUP BY ?type""",
    "top organisers": """SELECT ?o (COUNT(DISTINCT ?e) AS ?n) (SUM(?c) AS ?people) WHERE {
        ?e <https://schema.org/organizer> ?o ; <https://w3id.org/civgraph/ontology#participantCount> ?c }
        GROUP BY ?o ORDER BY DESC(?n) LIMIT 10""",
    "partners of partners": """SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {
        <http://localhost:5000/id/org/org-1> <https://w3id.org/civgraph/ontology#partner> ?b .
        ?b <https://w3id.org/civgraph/ontology#partner> ?c }""",
}


def timed(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def bench_store(name: str, store, graphs) -> None:
    t = time.perf_counter()
    for g, triples in graphs:
        store.replace_graphs({g: triples})
    write = time.perf_counter() - t
    quads = store.quad_count()
    print(f"{name:12} write {len(graphs)} report graphs: {write:7.2f} s "
          f"({len(graphs) / write:7.0f} graphs/s, {quads / write:9.0f} quads/s); {quads} quads")
    for label, q in QUERIES.items():
        print(f"{name:12} query {label:22} {timed(lambda: store.query(q)) * 1000:9.1f} ms")


def bench_rdflib(graphs) -> None:
    ds = rdflib.Dataset(default_union=True)
    t = time.perf_counter()
    for g, triples in graphs:
        ctx = ds.graph(rdflib.URIRef(g))
        for tr in triples:
            ctx.add(tr)
    write = time.perf_counter() - t
    print(f"{'rdflib':12} write {len(graphs)} report graphs: {write:7.2f} s")
    for label, q in QUERIES.items():
        print(f"{'rdflib':12} query {label:22} {timed(lambda: list(ds.query(q)), 1) * 1000:9.1f} ms")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=4000)
    ap.add_argument("--skip-rdflib", action="store_true")
    args = ap.parse_args()
    graphs = list(report_graphs(args.reports))
    print(f"{args.reports} reports, {sum(len(t) for _, t in graphs)} triples")
    tmp = Path(tempfile.mkdtemp())
    try:
        bench_store("memory", open_store("memory:"), graphs)
        with open_store(str(tmp / "dir")) as st:
            bench_store("directory", st, graphs)
        binary = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        proc = subprocess.Popen([binary, "serve", "--location", str(tmp / "srv"), "--bind",
                                 f"127.0.0.1:{port}", "--union-default-graph"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(100):
                try:
                    requests.get(f"http://127.0.0.1:{port}/query", params={"query": "ASK{}"}, timeout=1)
                    break
                except requests.ConnectionError:
                    time.sleep(0.1)
            bench_store("remote", open_store(f"http://127.0.0.1:{port}/query"), graphs)
        finally:
            proc.terminate()
            proc.wait()
        if not args.skip_rdflib:
            bench_rdflib(graphs)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
