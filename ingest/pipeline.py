"""The ingest pipeline: read → extract → triples → store, one report at a time.

Each report is written as its own named graph in one transaction, so a failure part
way through a batch loses nothing already stored and leaves no half report. A bad file
gets one line in the summary and the batch goes on.
"""
from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from rdflib import URIRef
from tqdm import tqdm

from civgraph import ontology
from civgraph.graph import Store
from civgraph.graph.config import authority_graph, ontology_graph
from civgraph.graph.namespaces import sparql_prologue

from .errors import ReportError
from .extract import extract, report_graph
from .gazetteer import CLASS_ORDER, Gazetteer, authority_graph as load_authority
from .model import Extraction, PackedExtraction
from .rdf import report_triples
from .read import Document, find_reports, read_document

SAMPLES = Path(__file__).with_name("samples")

_WORD = re.compile(r"\w+")

# reports written per transaction: each report's graph is still replaced whole, and a
# transaction per report would spend more time committing than extracting
WRITE_BATCH = 32

# entities whose names later reports are matched against (events are the report's own)
LEARNED_CLASSES = set(CLASS_ORDER)

KNOWN_NAMES = sparql_prologue() + """
SELECT ?s ?p ?o WHERE {
  VALUES ?class { %s }
  ?s a ?class .
  { ?s rdfs:label ?o BIND(rdfs:label AS ?p) } UNION { ?s skos:altLabel ?o BIND(skos:altLabel AS ?p) }
  UNION { ?s a ?o BIND(rdf:type AS ?p) }
}""" % " ".join(f"<{c}>" for c in CLASS_ORDER)


@dataclass
class Summary:
    reports: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    facts: Counter = field(default_factory=Counter)
    new_entities: int = 0

    def text(self) -> str:
        facts = sum(self.facts.values())
        lines = [f"ingested {self.reports} report{'s' if self.reports != 1 else ''}: "
                 f"{facts} facts, {self.new_entities} new entities"
                 + (f", {len(self.failures)} failed" if self.failures else "")]
        for relation, n in sorted(self.facts.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"  {n:6}  {relation}")
        return "\n".join(lines)


def sample_paths() -> list[Path]:
    """The bundled sample corpus that `civgraph demo` ingests."""
    return [SAMPLES]


def ensure_reference_graphs(store: Store, base: str) -> rdflib.Graph:
    """Write the ontology and the authority list into their own graphs (replacing any
    older copy) and return the authority list."""
    authority = load_authority(base)
    store.replace_graphs({ontology_graph(): list(ontology.load_ontology()),
                          authority_graph(base): list(authority)})
    return authority


def gazetteer_for(store: Store, authority: rdflib.Graph) -> Gazetteer:
    """Known names: the authority list first (it wins a shared name), then the graph."""
    gaz = Gazetteer.from_graph(authority)
    gaz.add_triples(store.query(KNOWN_NAMES).rows)
    return gaz


def ingest_paths(store: Store, paths: list[Path], base: str, progress: bool = True) -> Summary:
    """Ingest report files and folders; each report replaces its own graph.

    Two passes: the first reads every report and learns the entities the batch names,
    the second writes each report as extracted knowing all of them. So a name that only
    a later report defines (a byline, an acronym) is recognised in every report, and
    ingesting the same reports again gives the same graphs. A report is extracted a
    second time only when a name learnt after its first reading could touch it.
    """
    summary = Summary()
    files, missing = find_reports(paths)
    summary.failures.extend(missing)
    authority = ensure_reference_graphs(store, base)
    curated = {s for s in authority.subjects() if isinstance(s, URIRef)}
    gaz = gazetteer_for(store, authority)
    quiet = None if progress else True

    # each report, its extraction (packed: the second pass reads it back, unless names
    # learnt later make it extract the report again) and the number of names known then
    first: list[tuple[Document, PackedExtraction, int]] = []
    strings: dict[str, str] = {}
    learned = LearntNames()
    for path in tqdm(files, desc="reading", unit="report", disable=quiet, file=sys.stderr,
                     dynamic_ncols=True):
        try:
            doc = read_document(path)
        except ReportError as e:
            summary.failures.append((str(path), str(e)))
            continue
        ex = extract(doc, gaz, base)
        first.append((doc, ex.packed(strings), len(learned)))
        for entity in ex.entities.values():
            if not entity.known and entity.cls in LEARNED_CLASSES:
                summary.new_entities += 1
                names = sorted(entity.names | {entity.label})
                gaz.add(entity.iri, entity.cls, entity.label, names)
                learned.add(names)

    bar = tqdm(first, desc="writing", unit="report", disable=quiet, file=sys.stderr,
               dynamic_ncols=True)
    with store.graph_writer(WRITE_BATCH) as writer:
        for doc, packed, known_then in bar:
            if learned.since(known_then, doc.text):
                ex = extract(doc, gaz, base)
            else:
                ex = Extraction.unpacked(packed)
            writer.replace(str(ex.graph), report_triples(doc, ex, curated))
            summary.reports += 1
            for fact in ex.facts:
                summary.facts[_short(fact.predicate)] += 1
            bar.set_postfix(facts=sum(summary.facts.values()), refresh=False)
    return summary


class LearntNames:
    """The names a batch teaches the gazetteer, in order, indexed by first word.

    A name learnt after a report was first read can change that report's reading only
    if the report contains it: known names are matched exactly, and spelling variants
    are matched against the authority list alone.
    """

    def __init__(self) -> None:
        self.count = 0
        self._by_first: dict[str, list[tuple[int, str]]] = {}

    def __len__(self) -> int:
        return self.count

    def add(self, names: list[str]) -> None:
        self.count += 1
        for name in names:
            first = _WORD.search(name)
            if first:
                self._by_first.setdefault(first.group(), []).append((self.count, name))

    def since(self, known: int, text: str) -> bool:
        """Whether a name learnt after the first ``known`` ones occurs in ``text``."""
        if known >= self.count:
            return False
        for word in set(_WORD.findall(text)):
            for when, name in self._by_first.get(word, ()):
                if when > known and name in text:
                    return True
        return False


def remove_reports(store: Store, names: list[str], base: str) -> tuple[list[str], list[str]]:
    """Drop reports (by path or file name) with their facts; return removed and unknown."""
    present = set(store.named_graphs())
    removed, unknown, graphs = [], [], []
    for name in names:
        graph = str(report_graph(base, Path(name).name))
        (removed if graph in present else unknown).append(name)
        if graph in present:
            graphs.append(graph)
    store.drop_graphs(graphs)
    return removed, unknown


def _short(iri) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
