"""The `civgraph` command.

It lives beside the web app because it is the top layer: `serve` and `demo` need the
app, and every other subcommand is a thin wrapper over the store layer and ingest.
Every failure a user can cause ends in one line on stderr and a non-zero exit code,
never a traceback, and never a half-written file or store.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from pathlib import Path
from typing import Callable, Sequence

from civgraph.graph import CivgraphError, open_store
from civgraph.graph.config import base_iri, graph_iri
from civgraph.graph.errors import FormatError
from civgraph.graph.formats import FORMATS, by_name, for_path
from civgraph.graph.store import RESULT_FORMATS, result_text

EXPORT_FORMATS = ("turtle", "trig", "nquads", "ntriples", "jsonld")


def main(argv: Sequence[str] | None = None) -> int:
    # rdflib logs a traceback for every ill-typed literal it meets ("twenty"^^xsd:integer);
    # such a literal is still data to show, not an error of this command
    logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return args.handler(args) or 0
    except CivgraphError as e:
        print(f"civgraph: error: {one_line(e)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("civgraph: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader of our output went away (`civgraph export | head`): not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--store", metavar="LOCATION",
                        help="a directory (embedded Oxigraph), memory:, or the URL of a SPARQL "
                             "query endpoint; default $CIVGRAPH_STORE or ./civgraph-data")
    common.add_argument("--base", metavar="IRI",
                        help="base IRI of minted resources; default $CIVGRAPH_BASE or "
                             "http://localhost:5000/id/")

    parser = argparse.ArgumentParser(
        prog="civgraph",
        description="A linked-data knowledge graph of the civil-society network around "
                    "Iraqi peace forums and social forums.")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(name: str, handler: Callable, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=help, description=help)
        p.set_defaults(handler=handler)
        return p

    p = command("ingest", cmd_ingest, "read reports (files or folders) into the graph")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--remove", action="store_true",
                   help="drop these reports and their facts instead (by path or file name)")
    p.add_argument("--no-progress", action="store_true", help="never show a progress bar")

    p = command("load", cmd_load, "load RDF that someone else made (named graphs kept)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--graph", metavar="IRI",
                   help="graph for triples outside any named graph (default: one per file)")
    p.add_argument("--format", choices=sorted(FORMATS), help="default: from the file ending")

    p = command("export", cmd_export, "write the whole dataset as RDF")
    p.add_argument("--format", default="trig", choices=EXPORT_FORMATS,
                   help="trig, nquads and jsonld keep the named graphs (default: trig)")
    p.add_argument("--output", "-o", metavar="FILE", help="default: standard output")
    p.add_argument("--about", metavar="IRI",
                   help="only everything about one organisation, as Turtle: its facts, "
                        "events, projects, partners and funders, with their sources")

    p = command("query", cmd_query, "run a SPARQL query over the union of the graphs")
    p.add_argument("query", nargs="?", metavar="QUERY")
    p.add_argument("--file", "-f", metavar="FILE", help="read the query from a file")
    p.add_argument("--format", default="table", choices=RESULT_FORMATS)

    command("validate", cmd_validate, "check the graph against the SHACL shapes")
    command("stats", cmd_stats, "count triples, graphs and resources per class")

    p = command("network", cmd_network, "write the network explorer as one offline HTML file")
    p.add_argument("--output", "-o", metavar="FILE", required=True, help="the HTML file to write")
    p.add_argument("--max-nodes", type=_positive_int, default=5000, metavar="N",
                   help="draw at most the N most connected nodes (default: 5000)")

    for name, handler, text in (
            ("serve", cmd_serve, "serve the web app"),
            ("demo", cmd_demo, "ingest the bundled sample reports into a fresh store, then serve")):
        p = command(name, handler, text)
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--port", type=int, default=5000)
        p.add_argument("--threads", type=int, default=8,
                       help="threads that serve requests (default: 8)")
        p.add_argument("--query-workers", type=_positive_int, default=None, metavar="N",
                       help="processes that run SPARQL queries at once (default: one per core)")
        p.add_argument("--timeout", type=_positive_float, default=30.0, metavar="SECONDS",
                       help="time limit of a SPARQL query (default: 30)")
        p.add_argument("--max-result-mb", type=_positive_float, default=50.0, metavar="MB",
                       help="size limit of a SPARQL answer (default: 50)")
    return parser


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, not {text!r}")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a number above 0, not {text!r}")
    return value


# -- commands --------------------------------------------------------------------------

def cmd_ingest(args) -> int:
    from civgraph.ingest.pipeline import ingest_paths, remove_reports

    base = base_iri(args.base)
    with open_store(args.store) as store:
        if args.remove:
            removed, unknown = remove_reports(store, args.paths, base)
            for name in removed:
                print(f"removed {name}")
            for name in unknown:
                print(f"civgraph: no report named {name} in the store", file=sys.stderr)
            return 1 if unknown else 0
        summary = ingest_paths(store, [Path(p) for p in args.paths], base,
                               progress=not args.no_progress)
    for path, message in summary.failures:
        print(f"civgraph: {path}: {message}", file=sys.stderr)
    print(summary.text())
    return 1 if summary.failures or not summary.reports else 0


def cmd_load(args) -> int:
    from civgraph.graph.store import parse_grouped

    base = base_iri(args.base)
    grouped: dict[str, list] = {}
    failed = 0
    for name in args.files:
        path = Path(name)
        try:
            fmt = by_name(args.format) if args.format else for_path(path)
            data = _read_bytes(path)
            graph = args.graph or graph_iri(base, "load", _slug(path.name))
            parsed = parse_grouped(data, fmt, graph, base_iri=base)
            if not parsed:
                raise FormatError(f"no triples in it (is it {fmt.name}?)")
            for g, triples in parsed.items():
                grouped.setdefault(g, []).extend(triples)
        except CivgraphError as e:
            print(f"civgraph: {name}: {one_line(e)}", file=sys.stderr)
            failed += 1
    if grouped:
        with open_store(args.store) as store:
            store.replace_graphs(grouped)
        total = sum(len(t) for t in grouped.values())
        print(f"loaded {total} triples into {len(grouped)} graph{'s' if len(grouped) != 1 else ''}"
              f" from {len(args.files) - failed} file{'s' if len(args.files) - failed != 1 else ''}")
    return 1 if failed else 0


def cmd_export(args) -> int:
    from civgraph.graph.export import about, checked_iri, export

    fmt = by_name(args.format)
    with open_store(args.store, create=False) as store:
        if args.about:
            graph = about(store, checked_iri(args.about))
            if args.format != "trig" and fmt.name != "turtle":
                raise CivgraphError("--about writes Turtle; leave out --format")
            write = lambda out: out.write(graph.serialize(format="turtle").encode("utf-8"))  # noqa: E731
            fmt = by_name("turtle")
        else:
            write = lambda out: export(store, out, fmt)  # noqa: E731
        if not args.output:
            write(sys.stdout.buffer)
            sys.stdout.buffer.flush()
            return 0
        target = Path(args.output)
        folder = target.parent if str(target.parent) else Path(".")
        if target.is_dir():
            raise CivgraphError(f"cannot write {target}: it is a folder; name a file")
        if not folder.is_dir():
            raise CivgraphError(f"cannot write {target}: folder {folder} does not exist")
        # write beside the target, then rename: a failure never leaves half a file
        try:
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".part")
        except OSError as e:
            raise CivgraphError(f"cannot write {target}: {e.strerror}") from None
        try:
            with os.fdopen(fd, "wb") as out:
                write(out)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    print(f"wrote {target} ({fmt.name})", file=sys.stderr)
    return 0


def cmd_query(args) -> int:
    if bool(args.query) == bool(args.file):
        raise CivgraphError("give a query, or --file with a query in it (not both)")
    if args.query:
        text = args.query
    else:
        try:
            text = _read_text(Path(args.file))
        except CivgraphError as e:
            raise CivgraphError(f"{args.file}: {e}") from None
    with open_store(args.store, create=False) as store:
        result = store.query(text, prefixes=True)
    output = result_text(result, args.format)
    sys.stdout.write(output if output.endswith("\n") else output + "\n")
    return 0


def cmd_validate(args) -> int:
    from civgraph.graph.validate import validate

    with open_store(args.store, create=False) as store:
        report = validate(store)
    if report.conforms:
        print(f"conforms: {report.checked_triples} triples satisfy the shapes")
        return 0
    for v in report.violations:
        path = f" {_short(v.path)}" if v.path else ""
        print(f"{v.severity}: {_short(v.focus)}{path}: {v.message}")
    print(f"does not conform: {len(report.violations)} problem"
          f"{'s' if len(report.violations) != 1 else ''} in {report.checked_triples} triples")
    return 1


def cmd_stats(args) -> int:
    from civgraph import ontology
    from civgraph.graph.describe import stats

    with open_store(args.store, create=False) as store:
        s = stats(store)
    labels = ontology.class_labels()
    print(f"store      {store.location}")
    print(f"triples    {s.triples} ({s.quads} quads)")
    print(f"graphs     {len(s.graphs)}")
    print("resources per class:")
    for cls, n in s.classes:
        name = labels.get(cls) or _short(cls)
        print(f"  {n:8}  {name} ({_short(cls)})")
    return 0


def cmd_network(args) -> int:
    """The explorer of /network in one file: assets and facts inlined, nothing fetched."""
    from civgraph.web.network import standalone_html

    target = Path(args.output)
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise CivgraphError(f"cannot write {target}: it is a folder; name a file")
    if not folder.is_dir():
        raise CivgraphError(f"cannot write {target}: folder {folder} does not exist")
    with open_store(args.store, create=False) as store:
        html = standalone_html(store, base_iri(args.base), limit=args.max_nodes)
    tmp = None
    try:  # beside the target, then renamed: a failure never leaves half a file
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".part")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(html)
        os.chmod(tmp, 0o644)  # a page to share, not a secret
        os.replace(tmp, target)
    except OSError as e:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
        raise CivgraphError(f"cannot write {target}: {e.strerror}") from None
    print(f"wrote {target} ({len(html.encode('utf-8')) // 1024:,} KiB)", file=sys.stderr)
    return 0


def cmd_serve(args) -> int:
    from civgraph.web.app import create_app
    from civgraph.web.server import serve

    store = open_store(args.store)
    app = create_app(store=store, base=base_iri(args.base), **_limits(args, store))
    serve(app, args.host, args.port, args.threads)
    return 0


def _limits(args, store) -> dict:
    """App settings from the serve options; the number of query workers is the store's."""
    if args.query_workers is not None:
        store.query_workers = args.query_workers
    return {"SPARQL_TIMEOUT": args.timeout,
            "SPARQL_MAX_RESULT_BYTES": int(args.max_result_mb * 1024 * 1024)}


def cmd_demo(args) -> int:
    from civgraph.ingest.pipeline import ingest_paths, sample_paths
    from civgraph.web.app import create_app
    from civgraph.web.server import serve

    base = base_iri(args.base)
    with tempfile.TemporaryDirectory(prefix="civgraph-demo-") as tmp:
        location = args.store or str(Path(tmp) / "store")
        store = open_store(location)
        summary = ingest_paths(store, sample_paths(), base, progress=True)
        print(summary.text())
        print(f"store: {location}")
        app = create_app(store=store, base=base, **_limits(args, store))
        try:
            serve(app, args.host, args.port, args.threads)
        finally:
            store.close()
    return 0


# -- helpers ---------------------------------------------------------------------------

def one_line(error: Exception) -> str:
    """A message on one line: parsers list what they expected over several."""
    return " ".join(str(error).split())


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise CivgraphError("no such file") from None
    except IsADirectoryError:
        raise CivgraphError("is a folder, not a file") from None
    except OSError as e:
        raise CivgraphError(f"cannot read: {e.strerror}") from None


def _read_text(path: Path) -> str:
    try:
        return _read_bytes(path).decode("utf-8")
    except UnicodeDecodeError:
        raise FormatError("not UTF-8 text") from None


def _slug(name: str) -> str:
    from civgraph.ingest.slug import slugify
    return slugify(name)


def _short(iri: str) -> str:
    from civgraph.graph.namespaces import PREFIXES
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


if __name__ == "__main__":
    sys.exit(main())
