"""Ingest throughput: generate reports of ~300 words, ingest them with `civgraph ingest`'s
pipeline into a fresh embedded store, and print reports per second and peak memory.

    python benchmarks/ingest_throughput.py [--reports 10000] [--store memory:|DIR]

The reports are written from templates in the style of the network's news items (a
dateline, events with organisers, places, dates, counts, partners and funders, and
filler prose), with names drawn from the authority list, so extraction does real work.
"""
from __future__ import annotations

import argparse
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from civgraph.graph import open_store
from civgraph.graph.config import DEFAULT_BASE
from civgraph.ingest.gazetteer import Gazetteer, authority_graph
from civgraph.ingest.pipeline import ingest_paths

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
KINDS = ["workshop", "training", "campaign", "conference", "meeting", "festival"]
NUMBERS = ["twelve", "fifteen", "twenty", "thirty", "forty-two", "18", "25", "60", "110"]
FILLER = ("Participants discussed how local initiatives can strengthen social cohesion, "
          "how volunteers can reach people across community lines, and how to evaluate "
          "what an activity really changed. The organisers stressed the role of young "
          "people and women in building peace in their own neighbourhoods. ")


def names_by_class() -> tuple[list[str], list[str], list[str]]:
    gaz = Gazetteer.from_graph(authority_graph(DEFAULT_BASE))
    forums, orgs, places = [], [], []
    for known in gaz.by_iri.values():
        kind = str(known.cls).rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        {"Forum": forums, "Organization": orgs, "Place": places}.get(kind, []).append(known.label)
    return sorted(forums), sorted(orgs), sorted(places)


def report(rng: random.Random, n: int, forums, orgs, places) -> str:
    year, month, day = rng.randint(2012, 2023), rng.randrange(12), rng.randint(1, 26)
    place, forum = rng.choice(places), rng.choice(forums)
    partners = rng.sample(orgs, 2)
    funder = rng.choice(orgs)
    kind = rng.choice(KINDS)
    lines = [f"{day} {MONTHS[month]} {year}, {place}", "",
             f"# {forum} holds a {kind} in {place} (report {n})", "",
             f"The {forum} held a {kind} on {day} {MONTHS[month]} in {place}. "
             f"{rng.choice(NUMBERS).capitalize()} volunteers took part. "
             f"The {kind} was organised in cooperation with {partners[0]} and {partners[1]}, "
             f"with the support of {funder}.", ""]
    while sum(len(line.split()) for line in lines) < 300:
        lines.append(FILLER)
    lines.append("")
    lines.append(f"Layla Hassan, coordinator of the {forum}")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=10000)
    ap.add_argument("--store", default=None, help="default: a fresh directory store")
    args = ap.parse_args()
    rng = random.Random(11)
    forums, orgs, places = names_by_class()
    tmp = Path(tempfile.mkdtemp())
    try:
        folder = tmp / "reports"
        folder.mkdir()
        for n in range(args.reports):
            (folder / f"report-{n:05d}.md").write_text(report(rng, n, forums, orgs, places))
        words = sum(len(p.read_text().split()) for p in list(folder.iterdir())[:100]) / 100
        store = open_store(args.store or str(tmp / "store"))
        start, cpu = time.perf_counter(), time.process_time()
        summary = ingest_paths(store, [folder], DEFAULT_BASE, progress=False)
        elapsed = time.perf_counter() - start
        quads = store.quad_count()
        closing = time.perf_counter()
        store.close()
        # the store writes what it still buffers on closing: part of the cost of an ingest
        closed = elapsed + time.perf_counter() - closing
        cpu = time.process_time() - cpu      # all threads, RocksDB's too: less noisy on a busy machine
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{summary.reports} reports of ~{words:.0f} words, {sum(summary.facts.values())} facts, "
              f"{quads} quads: {elapsed:.1f} s, {summary.reports / elapsed:.0f} reports/s, "
              f"peak memory {peak:.0f} MiB ({'failures: ' + str(len(summary.failures)) if summary.failures else 'no failures'})")
        print(f"  with the store closed: {closed:.1f} s, {summary.reports / closed:.0f} reports/s; "
              f"CPU time {cpu:.1f} s, {summary.reports / cpu:.0f} reports per CPU second")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
