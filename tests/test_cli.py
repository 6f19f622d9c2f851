"""The `civgraph` command line, run for real.

Most tests call ``civgraph.web.cli.main`` in this process and read what it printed;
those about exit codes, tracebacks and serving run the command as a separate process.
Every test works on a fresh store under its own tmp_path (never ./civgraph-data) with
the base http://example.org/id/.

Sections: helpers · usage · ingest · ingest of bad input · load · export · query ·
validate · stats · store errors · a real SPARQL server · serve and demo.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from civgraph.graph import open_store
from civgraph.graph.config import authority_graph, ontology_graph
from civgraph.graph.formats import FORMATS
from civgraph.graph.store import RESULT_FORMATS
from civgraph.graph.terms import from_ox, to_ox
from civgraph.ingest import read
from civgraph.ingest.extract import report_graph
from civgraph.ingest.pipeline import sample_paths
from civgraph.ingest.slug import slugify
from civgraph.web.cli import EXPORT_FORMATS, main
from conftest import DATA, free_port

BASE = "http://example.org/id/"
EX = "http://example.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"

CLI_DATA = DATA / "cli"
FORUMS = CLI_DATA / "forums.trig"          # a small hand-written dataset
REPORTS = CLI_DATA / "reports"             # two short reports that name only known entities
FIRST_REPORT = "2019-05-hit-peace-forum-meeting.md"
SECOND_REPORT = "2019-06-basra-water-meeting.txt"
SAMPLE_FILES = read.find_reports(sample_paths())[0]


# == helpers ===========================================================================

@dataclass
class Result:
    """What one run of the command did."""

    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]

    def one_error_line(self, *words: str) -> str:
        """Check the run failed with status 1 and said why in one line holding every
        word; return that line."""
        assert self.code == 1, f"exit {self.code}\nstdout: {self.out}\nstderr: {self.err}"
        assert "Traceback" not in self.out + self.err, self.err
        assert len(self.err_lines) == 1, self.err
        line = self.err_lines[0]
        assert line.startswith("civgraph: "), line
        for word in words:
            assert word in line, f"{word!r} not in {line!r}"
        return line


def clean_env() -> dict[str, str]:
    """The environment without civgraph settings, so only the options given count."""
    return {k: v for k, v in os.environ.items() if not k.startswith("CIVGRAPH_")}


def command_line(*args) -> list[str]:
    return [sys.executable, "-m", "civgraph.web.cli", *map(str, args)]


def store_options(store) -> list[str]:
    return ["--store", str(store), "--base", BASE]


def run_process(command: str, *args, store, cwd: Path, timeout: float = 120) -> Result:
    """`civgraph COMMAND ARGS --store STORE --base BASE` as a separate process."""
    proc = subprocess.run(command_line(command, *args, *store_options(store)), cwd=cwd,
                          env=clean_env(), capture_output=True, text=True, timeout=timeout)
    return Result(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def store_dir(tmp_path) -> Path:
    """Where this test's store lives; nothing is there until a command makes it."""
    return tmp_path / "store"


@pytest.fixture
def cli(capsys, store_dir):
    """Run `civgraph COMMAND ARGS --store STORE --base BASE` in this process."""
    def run(command: str, *args, store=None) -> Result:
        capsys.readouterr()
        code = main([command, *map(str, args), *store_options(store or store_dir)])
        out, err = capsys.readouterr()
        return Result(code, out, err)
    return run


@pytest.fixture
def civgraph(tmp_path, store_dir):
    """Run the command as a separate process, where exit codes and tracebacks show."""
    def run(command: str, *args, store=None, timeout: float = 120) -> Result:
        return run_process(command, *args, store=store or store_dir, cwd=tmp_path,
                           timeout=timeout)
    return run


@pytest.fixture
def forums(cli, store_dir) -> Path:
    """A fresh store holding tests/data/cli/forums.trig."""
    result = cli("load", FORUMS)
    assert result.code == 0, result.err
    return store_dir


def to_quad(s, p, o, g=None) -> ox.Quad:
    return ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(g) if g is not None else ox.DefaultGraph())


def held(location) -> list[ox.Quad]:
    """Every quad the store holds, read through civgraph's own store layer (after the
    command has closed it)."""
    with open_store(str(location), create=False) as store:
        return [to_quad(*q) for q in store.quads()]


def graphs(location) -> set[str]:
    with open_store(str(location), create=False) as store:
        return set(store.named_graphs())


def canonical(quads, *, union: bool = False) -> set[str]:
    """Quads as a set that compares by content: blank nodes renamed canonically, literals
    in the form the store layer reads them, and graph names dropped with ``union``."""
    def normal(q: ox.Quad) -> ox.Quad:
        graph = ox.DefaultGraph() if union else q.graph_name
        return ox.Quad(*(to_ox(from_ox(t)) for t in (q.subject, q.predicate, q.object)), graph)

    dataset = ox.Dataset(normal(q) for q in quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return {str(q) for q in dataset}


def parse(data: str | bytes, fmt: str) -> list[ox.Quad]:
    return list(ox.parse(data.encode() if isinstance(data, str) else data, format=FORMATS[fmt].ox))


def stats_lines(cli, store=None) -> list[str]:
    """`civgraph stats` without its first line (which names the store)."""
    result = cli("stats", store=store)
    assert result.code == 0, result.err
    return result.out.splitlines()[1:]


def load_graph(file_name: str) -> str:
    """The graph that `load` gives the triples of a file outside any named graph."""
    return f"{BASE}graph/load/{slugify(file_name)}"


def copy_reports(folder: Path, *names: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_bytes((REPORTS / name).read_bytes())
    return folder


# == usage =============================================================================

def test_no_command_prints_help_and_exits_2(capsys):
    assert main([]) == 2
    out = capsys.readouterr().out
    assert out.startswith("usage: civgraph")
    for command in ("ingest", "load", "export", "query", "validate", "stats", "serve", "demo"):
        assert command in out


def test_no_command_exits_2_as_a_process(tmp_path):
    proc = subprocess.run(command_line(), cwd=tmp_path, env=clean_env(), capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stdout.startswith("usage: civgraph")
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("argv", [
    ["export", "--format", "pdf"],
    ["query", "ASK {}", "--format", "yaml"],
    ["load", "partner.ttl", "--format", "csv"],
    ["frobnicate"],
], ids=["export format", "query format", "load format", "unknown command"])
def test_a_wrong_choice_exits_2(capsys, store_dir, argv):
    with pytest.raises(SystemExit) as exit_:
        main([*argv, *store_options(store_dir)])
    assert exit_.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
    assert not store_dir.exists()


# == ingest ============================================================================

def test_ingest_the_sample_corpus(cli, store_dir):
    result = cli("ingest", *sample_paths())
    assert result.code == 0, result.err
    assert re.fullmatch(rf"ingested {len(SAMPLE_FILES)} reports: \d+ facts, \d+ new entities",
                        result.out.splitlines()[0])
    assert result.err == ""
    expected = {str(report_graph(BASE, p.name)) for p in SAMPLE_FILES}
    expected |= {authority_graph(BASE), ontology_graph()}
    assert graphs(store_dir) == expected


def test_reingesting_reports_that_name_known_entities_changes_nothing(cli, store_dir):
    first = cli("ingest", REPORTS)
    assert first.code == 0, first.err
    before = stats_lines(cli)
    second = cli("ingest", REPORTS)
    assert second.code == 0, second.err
    assert second.out == first.out
    assert stats_lines(cli) == before


def test_reingesting_the_samples_is_idempotent(cli):
    first = cli("ingest", *sample_paths())
    before = stats_lines(cli)
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    quads_before = cli("query", count, "--format", "csv").out
    second = cli("ingest", *sample_paths())
    assert second.code == 0, second.err
    assert cli("query", count, "--format", "csv").out == quads_before
    assert stats_lines(cli) == before
    # the same facts; the entities the first run minted are no longer new
    same_facts = re.compile(r"^ingested (\d+) reports: (\d+) facts")
    assert same_facts.match(second.out).groups() == same_facts.match(first.out).groups()
    assert ", 0 new entities" in second.out.splitlines()[0]


@pytest.mark.parametrize("given_as", ["file name", "path"])
def test_remove_drops_one_report_and_keeps_the_others(cli, store_dir, given_as):
    cli("ingest", *sample_paths())
    before = graphs(store_dir)
    gone = SAMPLE_FILES[0]
    name = gone.name if given_as == "file name" else str(gone)
    result = cli("ingest", "--remove", name)
    assert result.code == 0, result.err
    assert result.out.strip() == f"removed {name}"
    assert graphs(store_dir) == before - {str(report_graph(BASE, gone.name))}
    facts = cli("query", f"ASK {{ ?s prov:wasDerivedFrom <{BASE}report/{slugify(gone.name)}> }}")
    assert facts.out.strip() == "no"


def test_removing_an_unknown_report_exits_1(cli, store_dir):
    cli("ingest", REPORTS)
    before = canonical(held(store_dir))
    cli("ingest", "--remove", "no-such-report.md").one_error_line(
        "no-such-report.md", "no report named")
    assert canonical(held(store_dir)) == before


# == ingest of bad input ===============================================================

BAD_FILES = {   # file name: (its bytes, what the reason for refusing it must say)
    "empty.md": (b"", "empty file"),
    "binary.txt": (b"PK\x03\x04\x14\x00\x00\x00report.docx\x00\x00", "binary file"),
    "latin1.md": ("Café de la paix, Basra: a report.\n".encode("latin-1"), "not UTF-8"),
    "enormous.txt": ((b"Basra volunteers met the council. " * 60_000)[:read.MAX_BYTES + 1],
                     "too large"),
    "broken.html": (b'<!DOCTYPE html><html><head><title>Broken</title><script>var a = "<p>',
                    "no article text"),
}
MISSING = "missing-report.md"


@pytest.fixture(scope="module")
def bad_batch(tmp_path_factory) -> tuple[Result, Path]:
    """A store with one report, then (as a process) a batch of one good report, every
    kind of bad file, and a path that does not exist."""
    root = tmp_path_factory.mktemp("bad-batch")
    store = root / "store"
    first = run_process("ingest", copy_reports(root / "first", FIRST_REPORT), store=store, cwd=root)
    assert first.code == 0, first.err
    batch = copy_reports(root / "batch", SECOND_REPORT)
    for name, (data, _reason) in BAD_FILES.items():
        (batch / name).write_bytes(data)
    return run_process("ingest", batch, root / MISSING, store=store, cwd=root), store


@pytest.mark.parametrize("name, reason", [*((n, r) for n, (_d, r) in BAD_FILES.items()),
                                          (MISSING, "no such file")])
def test_each_bad_input_gets_one_line_naming_it(bad_batch, name, reason):
    result, _store = bad_batch
    lines = [line for line in result.err_lines if name in line]
    assert len(lines) == 1, result.err
    assert lines[0].startswith("civgraph: ") and reason in lines[0], lines[0]


def test_a_bad_batch_exits_1_without_a_traceback(bad_batch):
    result, _store = bad_batch
    assert result.code == 1
    assert "Traceback" not in result.out + result.err
    assert len(result.err_lines) == len(BAD_FILES) + 1, result.err
    assert result.out.splitlines()[0].startswith("ingested 1 report: ")
    assert result.out.splitlines()[0].endswith(f", {len(BAD_FILES) + 1} failed")


def test_a_bad_batch_stores_the_good_report_and_loses_nothing(bad_batch):
    _result, store = bad_batch
    present = graphs(store)
    assert str(report_graph(BASE, FIRST_REPORT)) in present
    assert str(report_graph(BASE, SECOND_REPORT)) in present
    assert not present & {str(report_graph(BASE, name)) for name in [*BAD_FILES, MISSING]}


# == load ==============================================================================

RDF_FILES = {   # format: (file name, text, the quads it holds once loaded)
    "turtle": ("partner.ttl", """\
@prefix ex: <http://example.org/> .
ex:forum ex:name "Turtle forum"@en ; ex:members 12 ; ex:contact [ ex:name "Desk" ] .
""", """\
<http://example.org/forum> <http://example.org/name> "Turtle forum"@en {load} .
<http://example.org/forum> <http://example.org/members> "12"^^<http://www.w3.org/2001/XMLSchema#integer> {load} .
<http://example.org/forum> <http://example.org/contact> _:desk {load} .
_:desk <http://example.org/name> "Desk" {load} .
"""),
    "trig": ("partner.trig", """\
@prefix ex: <http://example.org/> .
ex:forum ex:name "TriG forum" .
ex:graph1 { ex:forum ex:city "Hit" }
ex:graph2 { ex:forum ex:city "Ramadi" }
""", """\
<http://example.org/forum> <http://example.org/name> "TriG forum" {load} .
<http://example.org/forum> <http://example.org/city> "Hit" <http://example.org/graph1> .
<http://example.org/forum> <http://example.org/city> "Ramadi" <http://example.org/graph2> .
"""),
    "nquads": ("partner.nq", """\
<http://example.org/forum> <http://example.org/name> "N-Quads forum" <http://example.org/graph1> .
<http://example.org/forum> <http://example.org/city> "Hit" .
""", """\
<http://example.org/forum> <http://example.org/name> "N-Quads forum" <http://example.org/graph1> .
<http://example.org/forum> <http://example.org/city> "Hit" {load} .
"""),
    "ntriples": ("partner.nt", """\
<http://example.org/forum> <http://example.org/name> "N-Triples forum \\u0645\\u0646\\u062a\\u062f\\u0649" .
""", """\
<http://example.org/forum> <http://example.org/name> "N-Triples forum منتدى" {load} .
"""),
    "jsonld": ("partner.jsonld", """\
[{"@id": "http://example.org/forum", "http://example.org/name": "JSON-LD forum"},
 {"@id": "http://example.org/graph1",
  "@graph": [{"@id": "http://example.org/forum", "http://example.org/city": "Hit"}]}]
""", """\
<http://example.org/forum> <http://example.org/name> "JSON-LD forum" {load} .
<http://example.org/forum> <http://example.org/city> "Hit" <http://example.org/graph1> .
"""),
    "rdfxml": ("partner.rdf", """\
<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/forum">
    <ex:name xml:lang="en">RDF/XML forum</ex:name>
  </rdf:Description>
</rdf:RDF>
""", """\
<http://example.org/forum> <http://example.org/name> "RDF/XML forum"@en {load} .
"""),
}

MALFORMED = {   # format: (file name, text whose last statement is broken)
    "turtle": ("broken.ttl", '@prefix ex: <http://example.org/> .\nex:a ex:b "fine" .\n'
                             'ex:a ex:b "never closed .\n'),
    "nquads": ("broken.nq", '<http://example.org/a> <http://example.org/b> "fine" .\n'
                            '<http://example.org/a> <http://example.org/b> .\n'),
    "jsonld": ("broken.jsonld", '{"@id": "http://example.org/a", "http://example.org/b": '),
    "rdfxml": ("broken.rdf", '<?xml version="1.0"?>\n<rdf:RDF '
                             'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><oops'),
}


def write_rdf(folder: Path, fmt: str, table=RDF_FILES) -> Path:
    name, text, *_ = table[fmt]
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def parser_message(path: Path, fmt: str) -> str:
    """What the RDF parser itself says about a file that does not parse."""
    with pytest.raises(SyntaxError) as error:
        list(ox.parse(path.read_bytes(), format=FORMATS[fmt].ox))
    return str(error.value)


def expected_quads(fmt: str, graph: str | None = None) -> list[ox.Quad]:
    name, _text, quads = RDF_FILES[fmt]
    return parse(quads.replace("{load}", f"<{graph or load_graph(name)}>"), "nquads")


def loaded_message(quads: list[ox.Quad], files: int = 1) -> str:
    n = len({q.graph_name for q in quads})
    return (f"loaded {len(quads)} triples into {n} graph{'s' if n != 1 else ''} "
            f"from {files} file{'s' if files != 1 else ''}")


@pytest.mark.parametrize("fmt", RDF_FILES)
def test_load_each_format_twice_without_duplicates(cli, store_dir, tmp_path, fmt):
    path = write_rdf(tmp_path, fmt)
    expected = expected_quads(fmt)
    for _ in range(2):
        result = cli("load", path)
        assert result.code == 0, result.err
        assert result.out.strip() == loaded_message(expected)
        assert canonical(held(store_dir)) == canonical(expected)


@pytest.mark.parametrize("fmt", ["turtle", "trig"])
def test_load_into_a_named_graph(cli, store_dir, tmp_path, fmt):
    graph = EX + "partner-graph"
    result = cli("load", write_rdf(tmp_path, fmt), "--graph", graph)
    assert result.code == 0, result.err
    assert canonical(held(store_dir)) == canonical(expected_quads(fmt, graph))


def test_load_several_files_at_once(cli, store_dir, tmp_path):
    paths = [write_rdf(tmp_path, fmt) for fmt in RDF_FILES]
    expected = [q for fmt in RDF_FILES for q in expected_quads(fmt)]
    result = cli("load", *paths)
    assert result.code == 0, result.err
    assert canonical(held(store_dir)) == canonical(expected)


@pytest.mark.parametrize("fmt", MALFORMED)
def test_a_malformed_file_changes_nothing(cli, forums, tmp_path, fmt):
    before = canonical(held(forums))
    path = write_rdf(tmp_path, fmt, MALFORMED)
    cli("load", path).one_error_line(path.name, f"not valid {fmt}", parser_message(path, fmt))
    assert canonical(held(forums)) == before


def test_a_batch_with_a_malformed_file_loads_the_good_ones(cli, store_dir, tmp_path):
    good, bad = write_rdf(tmp_path, "turtle"), write_rdf(tmp_path, "turtle", MALFORMED)
    result = cli("load", good, bad)
    assert result.code == 1
    assert len(result.err_lines) == 1 and bad.name in result.err_lines[0], result.err
    assert result.out.strip() == loaded_message(expected_quads("turtle"))
    assert canonical(held(store_dir)) == canonical(expected_quads("turtle"))


@pytest.mark.parametrize("name, reason", [("missing.ttl", "no such file"),
                                          ("folder.ttl", "is a folder")])
def test_load_of_something_that_is_not_a_file(cli, store_dir, tmp_path, name, reason):
    (tmp_path / "folder.ttl").mkdir()
    cli("load", tmp_path / name).one_error_line(name, reason)
    assert not store_dir.exists()


def test_an_unknown_file_ending_needs_format(cli, store_dir, tmp_path):
    path = tmp_path / "partner.csv"
    path.write_text(RDF_FILES["turtle"][1])
    cli("load", path).one_error_line("partner.csv", "cannot tell the RDF format", "--format")
    assert not store_dir.exists()
    result = cli("load", path, "--format", "turtle")
    assert result.code == 0, result.err
    assert len(held(store_dir)) == len(expected_quads("turtle"))


def test_an_unknown_file_ending_is_named_once(cli, tmp_path):
    path = tmp_path / "partner.csv"
    path.write_text(RDF_FILES["turtle"][1])
    assert cli("load", path).one_error_line().count("partner.csv") == 1


def test_loading_a_changed_file_replaces_what_it_loaded(cli, store_dir, tmp_path):
    path = write_rdf(tmp_path, "turtle")
    assert cli("load", path).code == 0
    path.write_text('@prefix ex: <http://example.org/> .\nex:forum ex:city "Hit" .\n')
    assert cli("load", path).code == 0
    (only,) = held(store_dir)
    assert '"Hit"' in str(only) and "graph/load/partner-ttl" in str(only)


def test_loading_an_emptied_file_is_an_error_and_keeps_what_was_loaded(cli, store_dir, tmp_path):
    path = write_rdf(tmp_path, "turtle")
    assert cli("load", path).code == 0
    before = held(store_dir)
    path.write_text("")
    cli("load", path).one_error_line(path.name, "no triples")
    assert held(store_dir) == before


# == export ============================================================================

@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_export_to_stdout_and_to_a_file(cli, forums, tmp_path, fmt):
    union = not FORMATS[fmt].keeps_graphs          # turtle and ntriples: the union
    expected = canonical(held(forums), union=union)

    shown = cli("export", "--format", fmt)
    assert shown.code == 0 and shown.err == "", shown.err
    from_stdout = parse(shown.out, fmt)

    target = tmp_path / "out" / f"civgraph.{FORMATS[fmt].extension}"
    target.parent.mkdir()
    written = cli("export", "--format", fmt, "--output", target)
    assert written.code == 0 and written.out == ""
    assert written.err.strip() == f"wrote {target} ({fmt})"
    from_file = parse(target.read_bytes(), fmt)

    assert canonical(from_stdout, union=union) == expected
    assert canonical(from_file, union=union) == expected
    assert len(from_stdout) == len(from_file) == len(expected)   # no duplicates either
    assert os.listdir(target.parent) == [target.name]              # no leftover part file


@pytest.mark.parametrize("fmt", ["nquads", "trig"])
def test_export_round_trip_of_the_ingested_samples(cli, store_dir, tmp_path, fmt):
    assert cli("ingest", *sample_paths()).code == 0
    exported = cli("export", "--format", fmt)
    assert exported.code == 0, exported.err
    stored = canonical(held(store_dir))
    assert canonical(parse(exported.out, fmt)) == stored
    # and loaded into another store, it is the same dataset again
    copy = tmp_path / "copy"
    dump = tmp_path / f"dump.{FORMATS[fmt].extension}"
    dump.write_text(exported.out, encoding="utf-8")
    assert cli("load", dump, store=copy).code == 0
    assert canonical(held(copy)) == stored


def test_turtle_export_of_the_samples_is_the_union(cli, store_dir):
    assert cli("ingest", *sample_paths()).code == 0
    exported = parse(cli("export", "--format", "turtle").out, "turtle")
    union = canonical(held(store_dir), union=True)
    assert canonical(exported) == union and len(exported) == len(union)


def test_export_into_a_missing_folder(cli, forums, tmp_path):
    target = tmp_path / "no" / "such" / "civgraph.trig"
    cli("export", "--output", target).one_error_line(str(target), "does not exist")
    assert not (tmp_path / "no").exists()


def test_export_onto_a_folder_is_one_line(civgraph, forums, tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    civgraph("export", "--output", folder).one_error_line("exports")
    assert os.listdir(folder) == [] and not list(tmp_path.glob(".exports.*"))


def test_a_failed_export_leaves_the_existing_file_alone(cli, tmp_path):
    target = tmp_path / "civgraph.trig"
    target.write_text("previous export\n")
    cli("export", "--output", target, store=tmp_path / "no-store").one_error_line(
        "there is no store")
    assert target.read_text() == "previous export\n"


@pytest.mark.parametrize("argv", [["export"], ["query", "ASK {}"], ["validate"], ["stats"]],
                         ids=lambda argv: argv[0])
def test_reading_commands_refuse_a_store_that_does_not_exist(cli, store_dir, argv):
    cli(*argv).one_error_line("there is no store", str(store_dir))
    assert not store_dir.exists()


# == query =============================================================================

SELECT_FORUMS = """SELECT DISTINCT ?name ?place WHERE {
  ?forum a cg:Forum ; rdfs:label ?name ; schema:location/rdfs:label ?place
  FILTER(lang(?name) = "en")
} ORDER BY ?name"""
FORUM_ROWS = [("Basra Peace Forum", "Basra"), ("Hit Peace Forum", "Hit")]


def rows_from_table(text: str):
    lines = text.splitlines()
    assert lines[-1] == f"({len(lines) - 3} rows)"
    return lines[0].split(), [tuple(re.split(r"\s{2,}", line.strip())) for line in lines[2:-1]]


def rows_from_csv(text: str):
    header, *rows = csv.reader(io.StringIO(text))
    return header, [tuple(row) for row in rows]


def rows_from_tsv(text: str):
    def value(cell: str) -> str:      # SPARQL TSV writes terms as in Turtle
        m = re.fullmatch(r'"(.*)"(?:@[\w-]+|\^\^.*)?', cell)
        return m.group(1) if m else cell.strip("<>")
    header, *rows = [line.split("\t") for line in text.splitlines() if line]
    return [h.lstrip("?") for h in header], [tuple(value(c) for c in row) for row in rows]


def rows_from_json(text: str):
    doc = json.loads(text)
    names = doc["head"]["vars"]
    return names, [tuple(b[n]["value"] for n in names) for b in doc["results"]["bindings"]]


def rows_from_xml(text: str):
    root = ET.fromstring(text)
    names = [v.get("name") for v in root.iter(f"{RESULTS_NS}variable")]
    rows = [tuple(next(b for b in r if b.get("name") == n)[0].text for n in names)
            for r in root.iter(f"{RESULTS_NS}result")]
    return names, rows


ROW_READERS = {"table": rows_from_table, "csv": rows_from_csv, "tsv": rows_from_tsv,
               "json": rows_from_json, "xml": rows_from_xml}


def test_every_result_format_has_a_reader():
    assert set(ROW_READERS) == set(RESULT_FORMATS)


@pytest.mark.parametrize("fmt", list(RESULT_FORMATS))
def test_select_in_each_format(cli, forums, fmt):
    result = cli("query", SELECT_FORUMS, "--format", fmt)
    assert result.code == 0, result.err
    assert ROW_READERS[fmt](result.out) == (["name", "place"], FORUM_ROWS)


ASK_READERS = {
    "table": lambda out: {"yes": True, "no": False}[out.strip()],
    "json": lambda out: json.loads(out)["boolean"],
    "xml": lambda out: {"true": True, "false": False}[
        ET.fromstring(out).find(f"{RESULTS_NS}boolean").text],
}


@pytest.mark.parametrize("fmt", ASK_READERS)
@pytest.mark.parametrize("label, answer", [("Hit Peace Forum", True), ("Mosul Peace Forum", False)])
def test_ask_in_each_format(cli, forums, fmt, label, answer):
    result = cli("query", f'ASK {{ ?forum a cg:Forum ; rdfs:label "{label}"@en }}', "--format", fmt)
    assert result.code == 0, result.err
    assert ASK_READERS[fmt](result.out) is answer


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_ask_as_csv_or_tsv_is_an_answer_or_one_line(cli, forums, fmt):
    result = cli("query", "ASK { ?forum a cg:Forum }", "--format", fmt)
    if result.code == 0:
        assert "true" in result.out.lower()
    else:
        result.one_error_line(fmt)


def test_construct_gives_turtle(cli, forums):
    result = cli("query", "CONSTRUCT { ?forum schema:location ?place } "
                          "WHERE { ?forum a cg:Forum ; schema:location ?place }")
    assert result.code == 0, result.err
    assert canonical(parse(result.out, "turtle")) == canonical(parse(
        f"<{BASE}org/hit-peace-forum> <https://schema.org/location> <{BASE}place/hit> .\n"
        f"<{BASE}org/basra-peace-forum> <https://schema.org/location> <{BASE}place/basra> .\n",
        "ntriples"))


@pytest.mark.parametrize("query", [
    "ASK { ?forum a cg:Forum }",
    "ASK { ?place a schema:Place }",
    'ASK { ?place rdfs:label "Basra" }',
    "ASK { ?forum a org:Organization }",
    'ASK { ?forum schema:foundingDate "2017-04-15"^^xsd:date }',
], ids=["cg", "schema", "rdfs", "org", "xsd"])
def test_prefixes_need_no_prefix_lines(cli, forums, query):
    result = cli("query", query)
    assert result.code == 0, result.err
    assert result.out.strip() == "yes"


def test_query_from_a_file(cli, forums, tmp_path):
    path = tmp_path / "forums.rq"
    path.write_text(SELECT_FORUMS, encoding="utf-8")
    result = cli("query", "--file", path, "--format", "csv")
    assert result.code == 0, result.err
    assert rows_from_csv(result.out) == (["name", "place"], FORUM_ROWS)




@pytest.mark.parametrize("query, position", [
    ("SELECT ?name WHERE { ?forum rdfs:label ?name } LIMIT ten", "1:"),
    ("SELECT ?name\nWHERE { ?forum rdfs:label ?name .\n  FILTER(?name = ) }", "3:"),
    ("SELECT ?name WHERE { ?forum rdfs:label ?name", "1:"),
], ids=["line 1", "line 3", "cut off after a variable"])
def test_a_malformed_query_is_one_line_with_the_position(cli, forums, query, position):
    line = cli("query", query).one_error_line("malformed SPARQL query")
    assert re.search(rf"\b{position}\d+", line), line


@pytest.mark.parametrize("update", [
    "DELETE WHERE { ?s ?p ?o }",
    "DROP ALL",
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
])
def test_query_refuses_an_update(cli, forums, update):
    before = canonical(held(forums))
    cli("query", update).one_error_line()
    assert canonical(held(forums)) == before


@pytest.mark.parametrize("args", [[], ["ASK {}", "--file", "q.rq"]], ids=["neither", "both"])
def test_query_needs_a_query_or_a_file(cli, forums, args):
    cli("query", *args).one_error_line("give a query")


def test_a_missing_query_file_is_named(cli, forums):
    cli("query", "--file", "forums.rq").one_error_line("forums.rq")


def test_an_ill_typed_literal_prints_no_traceback(civgraph, tmp_path):
    path = tmp_path / "ill-typed.nt"
    path.write_text(f'<{EX}event> <{EX}participants> "twenty"^^<{XSD}integer> .\n')
    assert civgraph("load", path).code == 0
    result = civgraph("query", "SELECT ?n WHERE { ?event ?p ?n }")
    assert result.code == 0, result.err
    assert "twenty" in result.out
    assert "Traceback" not in result.err, result.err


# == validate ==========================================================================

def test_the_ingested_samples_conform(cli):
    assert cli("ingest", *sample_paths()).code == 0
    result = cli("validate")
    assert result.code == 0, f"violations:\n{result.out}"
    assert re.fullmatch(r"conforms: \d+ triples satisfy the shapes", result.out.strip())


def test_a_broken_graph_lists_its_violations(cli):
    assert cli("load", DATA / "example-invalid.ttl").code == 0
    result = cli("validate")
    assert result.code == 1
    *violations, last = result.out.splitlines()
    total = re.fullmatch(r"does not conform: (\d+) problems in \d+ triples", last)
    assert total and int(total.group(1)) == len(violations) > 0
    assert all(re.match(r"(Violation|Warning|Info): \S+", line) for line in violations)
    focus = " ".join(violations)
    for broken in ("org/nameless", "event/workshop", "event/meeting", "report/no-source",
                   "statement/overconfident", "person/noor-ahmed"):
        assert broken in focus


def test_a_valid_graph_conforms(cli):
    assert cli("load", DATA / "example-valid.ttl").code == 0
    result = cli("validate")
    assert result.code == 0 and result.out.startswith("conforms: "), result.out


# == stats =============================================================================

def class_counts(lines: list[str]) -> dict[str, int]:
    """`  N  Label (prefix:Name)` lines as {prefix:Name: N}."""
    found = (re.fullmatch(r"\s+(\d+)\s+.+ \((\S+)\)", line) for line in lines)
    return {m.group(2): int(m.group(1)) for m in found if m}


def test_stats_counts_triples_graphs_and_classes(cli, forums):
    quads = held(forums)
    lines = stats_lines(cli)
    assert lines[0] == f"triples    {len(canonical(quads, union=True))} ({len(quads)} quads)"
    assert lines[1] == f"graphs     {len(graphs(forums))}"
    assert lines[2] == "resources per class:"
    assert class_counts(lines[3:]) == {"org:Organization": 3, "cg:Forum": 2, "schema:Place": 2,
                                       "schema:Event": 1}
    assert any(re.fullmatch(r"\s+2\s+Forum \(cg:Forum\)", line) for line in lines)


def test_stats_of_the_ingested_samples(cli):
    assert cli("ingest", *sample_paths()).code == 0
    lines = stats_lines(cli)
    assert lines[1] == f"graphs     {len(SAMPLE_FILES) + 2}"
    counts = class_counts(lines[3:])
    assert counts["schema:Report"] == counts["cg:ReportGraph"] == len(SAMPLE_FILES)
    assert counts["cg:Forum"] > 0 and counts["cg:FactStatement"] > 0


# == store errors ======================================================================

def _a_regular_file(tmp_path: Path, request) -> tuple[str, str]:
    path = tmp_path / "store.txt"
    path.write_text("not a store\n")
    return str(path), "is a file, not a store directory"


def _a_folder_of_other_files(tmp_path: Path, request) -> tuple[str, str]:
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "notes.txt").write_text("minutes of the meeting\n")
    return str(folder), "not a civgraph store"


def _a_folder_not_writable(tmp_path: Path, request) -> tuple[str, str]:
    if os.geteuid() == 0:
        pytest.skip("running as root, where a folder's permissions do not stop writes")
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o500)
    request.addfinalizer(lambda: folder.chmod(0o700))
    return str(folder), str(folder)


def _a_server_not_running(tmp_path: Path, request) -> tuple[str, str]:
    return f"http://127.0.0.1:{free_port()}/query", "cannot reach the SPARQL server"


BAD_STORES = {"regular file": _a_regular_file, "folder of other files": _a_folder_of_other_files,
              "folder not writable": _a_folder_not_writable,
              "server not running": _a_server_not_running}
STORE_COMMANDS = {"stats": lambda: ["stats"], "load": lambda: ["load", FORUMS],
                  "ingest": lambda: ["ingest", REPORTS / FIRST_REPORT]}


def snapshot(location: str):
    """What is at a store location, to check that a failed command left it alone."""
    path = Path(location)
    if location.startswith("http"):
        return None
    return path.read_bytes() if path.is_file() else sorted(os.listdir(path))


@pytest.mark.parametrize("command", STORE_COMMANDS)
@pytest.mark.parametrize("kind", BAD_STORES)
def test_a_bad_store_is_one_line(civgraph, tmp_path, request, kind, command):
    location, words = BAD_STORES[kind](tmp_path, request)
    before = snapshot(location)
    civgraph(*STORE_COMMANDS[command](), store=location).one_error_line(words)
    assert snapshot(location) == before


# == a real SPARQL server ==============================================================

@pytest.fixture
def remote(oxigraph_server) -> str:
    """The query endpoint of the session's `oxigraph serve`, emptied for this test."""
    url = f"{oxigraph_server}/query"
    with open_store(url) as store:
        store.update("CLEAR ALL")
    return url


def test_remote_ingest_then_query(cli, remote):
    result = cli("ingest", *sample_paths(), store=remote)
    assert result.code == 0, result.err
    reports = cli("query", "SELECT ?report WHERE { ?report a schema:Report }", "--format", "csv",
                  store=remote)
    assert reports.code == 0, reports.err
    assert len(rows_from_csv(reports.out)[1]) == len(SAMPLE_FILES)


def test_remote_and_embedded_stores_hold_the_same(cli, store_dir, remote):
    for location in (store_dir, remote):
        assert cli("ingest", *sample_paths(), store=location).code == 0
    assert stats_lines(cli, remote) == stats_lines(cli, store_dir)


@pytest.mark.parametrize("fmt", ["nquads", "trig"])
def test_remote_export_round_trip(cli, remote, fmt):
    assert cli("ingest", *sample_paths(), store=remote).code == 0
    exported = cli("export", "--format", fmt, store=remote)
    assert exported.code == 0, exported.err
    assert canonical(parse(exported.out, fmt)) == canonical(held(remote))


def test_remote_export_keeps_literals_as_the_server_holds_them(cli, remote, oxigraph_server):
    assert cli("ingest", REPORTS, store=remote).code == 0
    exported = cli("export", "--format", "nquads", store=remote)
    dump = requests.get(f"{oxigraph_server}/store", headers={"Accept": "application/n-quads"},
                        timeout=30)
    assert {str(q) for q in parse(exported.out, "nquads")} == \
           {str(q) for q in parse(dump.content, "nquads")}


def test_remote_query_refuses_an_update(cli, remote):
    assert cli("ingest", REPORTS, store=remote).code == 0
    before = canonical(held(remote))
    cli("query", "DELETE WHERE { ?s ?p ?o }", store=remote).one_error_line()
    assert canonical(held(remote)) == before


def test_remote_malformed_query_gives_the_position_in_the_query(cli, remote):
    line = cli("query", "SELECT ?name WHERE { ?forum rdfs:label ?name } LIMIT ten",
               store=remote).one_error_line()
    assert re.search(r"\b1:\d+", line), line


# == serve and demo ====================================================================

@contextmanager
def running(*args, cwd: Path):
    """`civgraph ARGS` as a background process, killed on the way out if still alive."""
    out, err = open(cwd / "serve.out", "w+"), open(cwd / "serve.err", "w+")
    proc = subprocess.Popen(command_line(*args), cwd=cwd, env=clean_env(), stdout=out, stderr=err)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        out.close()
        err.close()


def output_of(cwd: Path) -> tuple[str, str]:
    return (cwd / "serve.out").read_text(), (cwd / "serve.err").read_text()


def wait_for_page(url: str, proc: subprocess.Popen, cwd: Path, timeout: float = 20) -> requests.Response:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return requests.get(url, timeout=5)
        except requests.ConnectionError:
            if proc.poll() is not None:
                pytest.fail(f"civgraph stopped (exit {proc.returncode}): {output_of(cwd)[1]}")
            if time.monotonic() > deadline:
                pytest.fail(f"nothing answered at {url} within {timeout:.0f} s")
            time.sleep(0.1)


def stop(proc: subprocess.Popen) -> int:
    """Ctrl-C, as a person at the terminal would; the exit status."""
    proc.send_signal(signal.SIGINT)
    return proc.wait(timeout=15)


def test_serve_answers_then_stops_cleanly(cli, forums, tmp_path):
    port = free_port()
    with running("serve", "--port", port, *store_options(forums), cwd=tmp_path) as proc:
        page = wait_for_page(f"http://127.0.0.1:{port}/", proc, tmp_path)
        assert page.status_code == 200
        assert "Forum" in page.text
        # while it serves, the store's folder is locked to other commands
        run_process("stats", store=forums, cwd=tmp_path).one_error_line("in use")
        assert stop(proc) == 0
    _out, err = output_of(tmp_path)
    assert f"serving on http://127.0.0.1:{port}/" in err
    assert "Traceback" not in err


def test_demo_ingests_the_samples_and_serves_them(tmp_path):
    port, store = free_port(), tmp_path / "demo-store"
    with running("demo", "--port", port, *store_options(store), cwd=tmp_path) as proc:
        page = wait_for_page(f"http://127.0.0.1:{port}/", proc, tmp_path, timeout=60)
        assert page.status_code == 200
        assert f"from {len(SAMPLE_FILES)} reports" in page.text
        assert "Forum" in page.text
        assert stop(proc) == 0
    out, err = output_of(tmp_path)
    assert out.startswith(f"ingested {len(SAMPLE_FILES)} reports: ")
    assert "Traceback" not in err
    assert {str(report_graph(BASE, p.name)) for p in SAMPLE_FILES} <= graphs(store)


def test_serving_on_a_port_in_use_is_one_line(civgraph):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = civgraph("serve", "--port", port, timeout=30)
    result.one_error_line(f"127.0.0.1:{port}", "in use")
