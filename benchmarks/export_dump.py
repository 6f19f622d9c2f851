"""Full exports of a generated graph: seconds and peak memory, at two sizes.

Generates civgraph-shaped graphs (~75 triples a report graph), loads each into an
embedded store directory with `oxigraph load`, then runs `civgraph export` for each
format in a fresh process and reads its peak resident memory. Memory that does not grow
with the graph shows as the same peak at both sizes.

    python benchmarks/export_dump.py [--reports 13500 3400] [--formats turtle nquads]

Prints one table; the figures go into benchmarks/README.md.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from sparql_endpoint import oxigraph_binary, write_data  # noqa: E402

CHILD = """
import resource, sys, time
from civgraph.web.cli import main
t = time.perf_counter()
code = main(["export", "--store", sys.argv[1], "--format", sys.argv[2], "--output", sys.argv[3]])
elapsed = time.perf_counter() - t
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, code)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, nargs="+", default=[13500, 3400])
    parser.add_argument("--formats", nargs="+", default=["turtle", "nquads", "trig", "jsonld"])
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="civgraph-export-bench-"))
    rows = []
    try:
        for n in args.reports:
            data, store = tmp / f"data-{n}.nq", tmp / f"store-{n}"
            quads = write_data(data, n)
            subprocess.run([oxigraph_binary(), "load", "--location", str(store), "--file", str(data)],
                           check=True, capture_output=True)
            data.unlink()
            for fmt in args.formats:
                out = tmp / f"out-{n}.{fmt}"
                result = subprocess.run([sys.executable, "-c", CHILD, str(store), fmt, str(out)],
                                        check=True, capture_output=True, text=True)
                elapsed, rss_kib, code = result.stdout.split()
                size = out.stat().st_size
                out.unlink()
                rows.append((quads, fmt, float(elapsed), int(rss_kib) / 1024, size / 1e6))
                print(f"{quads:>10,} quads  {fmt:8} {float(elapsed):7.2f} s  "
                      f"peak {int(rss_kib) / 1024:7.1f} MiB  {size / 1e6:8.1f} MB", flush=True)
            shutil.rmtree(store)
        print(f"\nmachine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
