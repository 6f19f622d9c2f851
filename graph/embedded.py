"""The embedded backend: an Oxigraph store in a directory, or in memory.

This is the default for a new user: no server to run, and an order of magnitude faster
than rdflib's in-memory store on aggregates over a graph of this size.
"""
from __future__ import annotations

import io
import threading
import time
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator, Mapping

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.term import Node

from .errors import QueryError, StoreError, StoreUnavailable
from .formats import RdfFormat
from .namespaces import PREFIXES
from .config import direct_queries, default_query_workers
from .direct import QuickQueries, bounded
from .protocol import Answer, Dataset, Limits, run_query
from .store import QueryResult, Store, with_values
from .workers import Source, WorkerPool
from .terms import Quad, from_ox, nt

#: How many triples a union export remembers to write each one once (about 70 bytes
#: each): exact below that, bounded memory above it.
DEDUPLICATE = 500_000

# A directory store keeps what it is written in RocksDB's in-memory write buffers until
# they are flushed, about 1 KiB a quad, and does not flush them by itself for millions
# of quads. Flushed every so many quads, a long ingest stays in bounded memory. Measured
# over 10,000 reports: every 250,000 quads (some 200 MiB of buffers) writes fastest;
# every 50,000 holds 150 MiB less but writes a quarter slower, never flushing is slower too.
FLUSH_EVERY = 250_000

# Endpoint queries that cannot run long are answered in the serving process (see
# ``direct``). A query bounded by its shape may still pass over the store: a pass costs
# 0.2–0.5 µs a quad, and the worst two-pattern join one index seek per quad, 4.5 µs,
# when nothing it finds is answered. So such queries run here only while the store is
# at most this many quads per second of the time limit (1.5 million with the default of
# 30 s, whose worst case is then some 7 s), and no more of them at once than there are
# query workers: the others go to a worker.
DIRECT_QUADS_PER_SECOND = 50_000
# A query a worker answered within this share of the time limit (and at most
# ``QUICK_SECONDS``) runs here when the same text comes again on the same data.
QUICK_SHARE = 0.01
QUICK_SECONDS = 0.05


class EmbeddedStore(Store):
    """Oxigraph through pyoxigraph: persistent when given a directory, else in memory."""

    #: quads written since the last flush of a directory store
    _unflushed: int = 0
    #: set while a write whose size is known runs (see ``_small_enough``)
    _counted_write = False
    #: held by every write, so that no other thread of the process writes a graph
    #: between a write's finding a graph new and its loading it (no other process can:
    #: Oxigraph locks its directory, and an in-memory store is the process's own)
    _write_lock = threading.RLock()

    def __init__(self, path: str | Path | None = None, *, create: bool = True):
        self.location = str(path) if path is not None else "memory:"
        self.path = Path(path) if path is not None else None
        self._store = _open(self.path, create) if self.path is not None else ox.Store()
        #: worker processes for ``answer``; how many, and how often the data changed
        self.query_workers = default_query_workers()
        self.generation = 0
        self._workers: WorkerPool | None = None
        self._snapshot: tuple[int, bytes] | None = None
        #: whether quick queries may run in this process (else every one goes to a worker)
        self.direct_queries = direct_queries()
        self._quick = QuickQueries()
        #: (generation, quads, whether counted or an upper bound), for ``_small_enough``
        self._size: tuple[int, int, bool] | None = None
        self._size_lock = threading.Lock()
        self._direct_slots: threading.BoundedSemaphore | None = None
        #: how many endpoint queries each way has answered, for operators and tests
        self.answered = {"direct": 0, "workers": 0}

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None, *,
              prefixes: bool = False) -> QueryResult:
        try:
            answer = self._store.query(with_values(sparql, bindings),
                                       use_default_graph_as_union=True,
                                       prefixes=dict(PREFIXES) if prefixes else None)
            return _result(answer)
        except SyntaxError as e:
            raise QueryError(f"malformed SPARQL query: {e}") from None
        except OSError as e:
            raise StoreError(f"the store at {self.location} could not be read: {e}") from None

    def answer(self, sparql: str, *, dataset: Dataset | None = None,
               result_format: str | None = "json", graph_format: str | None = "turtle",
               limits: Limits | None = None, base_iri: str | None = None) -> Answer:
        dataset, limits = dataset or Dataset(), limits or Limits()
        generation = self.generation
        direct, key = self._runs_here(sparql, dataset, base_iri, limits, generation)
        if direct:
            slots = self._slots()
            if slots.acquire(blocking=False):
                try:
                    self.answered["direct"] += 1
                    # one admitted by its shape holds no FROM, SERVICE or update, so its
                    # words need no second check; one seen to be quick is checked as ever
                    return run_query(self._store, sparql, dataset, result_format,
                                     graph_format, limits.max_bytes, base_iri, limits.timeout,
                                     words=None if key else frozenset())
                finally:
                    slots.release()
        if self._workers is None:
            self._workers = WorkerPool(self._worker_source, self.query_workers)
        self.answered["workers"] += 1
        started = time.monotonic()
        answer = self._workers.answer(sparql, dataset, result_format, graph_format, limits,
                                      base_iri)
        if key and time.monotonic() - started <= min(QUICK_SECONDS, limits.timeout * QUICK_SHARE):
            self._quick.add(key, generation)
        return answer

    def _runs_here(self, sparql: str, dataset: Dataset, base_iri: str | None,
                   limits: Limits, generation: int) -> tuple[bool, bytes]:
        """Whether a query may run in this process (see ``direct``), and the digest it
        is remembered by when it was not admitted by its shape (else empty)."""
        if not self.direct_queries:
            return False, b""
        # A request's own dataset multiplies every index seek by its graphs, which the
        # shape does not show; only a query seen to be quick with it runs here.
        if not dataset and bounded(sparql) and self._small_enough(limits):
            return True, b""
        key = QuickQueries.key(sparql, dataset, base_iri)
        return (key, generation) in self._quick, key

    def _slots(self) -> threading.BoundedSemaphore:
        """As many places for queries in this process as there are query workers (made
        on first use: ``serve`` sets the number of workers after opening the store)."""
        if self._direct_slots is None:
            self._direct_slots = threading.BoundedSemaphore(self.query_workers)
        return self._direct_slots

    def _small_enough(self, limits: Limits) -> bool:
        """Whether a pass over the whole store is short next to the time limit.

        Counting the quads takes a pass itself, so it is done once, by the first query
        that asks; then each write through ``replace_ntriples`` adds what it wrote, an
        upper bound, and only a bound past the limit or another kind of write makes it
        count again.
        """
        most = limits.timeout * DIRECT_QUADS_PER_SECOND

        def stale(size) -> bool:
            return size is None or size[0] != self.generation or (size[1] > most and not size[2])

        size = self._size
        if stale(size):
            with self._size_lock:
                size = self._size
                if stale(size):
                    try:
                        size = self._size = (self.generation, len(self._store), True)
                    except OSError:
                        return False
        return size[1] <= most

    def _worker_source(self) -> tuple[int, Source]:
        """Where query workers find the data as it is now (see ``workers``)."""
        generation = self.generation
        if self.path is not None:
            return generation, ("directory", str(self.path))
        if self._snapshot is None or self._snapshot[0] != generation:
            out = io.BytesIO()
            self._store.dump(out, ox.RdfFormat.N_QUADS)
            self._snapshot = (generation, out.getvalue())
        return generation, ("nquads", self._snapshot[1])

    def raw_query(self, sparql: str, **options):
        """The pyoxigraph answer itself, for callers that stream or serialize it."""
        try:
            return self._store.query(sparql, use_default_graph_as_union=True, **options)
        except SyntaxError as e:
            raise QueryError(f"malformed SPARQL query: {e}") from None

    def update(self, sparql: str) -> None:
        if not sparql.strip():
            return
        try:
            with self._write_lock:
                self._store.update(sparql)
        except SyntaxError as e:
            raise QueryError(f"malformed SPARQL update: {e}") from None
        except OSError as e:
            raise StoreError(f"the store at {self.location} could not be written: {e}") from None
        finally:
            # after the write: whoever read the old data under the old number rereads
            self.generation += 1
            if not self._counted_write:
                self._size = None  # what it added is not known: count again

    def replace_ntriples(self, blocks: Mapping[str, str], drop: Iterable[str] = ()) -> None:
        """Replace graphs in one transaction, as every backend does.

        Graphs the store does not hold yet (a first ingest) are loaded as one TriG
        document, which Oxigraph loads in one transaction and parses many times faster
        than the same triples in a SPARQL update: there is nothing to drop. Replacing a
        graph the store holds needs its drop and the insert in one transaction, which
        only a SPARQL update gives.
        """
        targets = list(dict.fromkeys([*blocks, *drop]))
        added = sum(body.count("\n") + 1 for body in blocks.values() if body)
        with self._write_lock:
            try:
                held = any(self._store.contains_named_graph(ox.NamedNode(g)) for g in targets)
            except OSError as e:
                raise StoreError(f"the store at {self.location} could not be read: {e}") from None
            self._counted_write = True
            try:
                if held:
                    super().replace_ntriples(blocks, drop)
                else:
                    self._load_new(blocks)
            finally:
                self._counted_write = False
            size = self._size
            if size is not None:  # at most this much larger (what it replaced is not taken off)
                self._size = (self.generation, size[1] + added, False)
        self._written(added)

    def _load_new(self, blocks: Mapping[str, str]) -> None:
        """Load graphs the store does not hold, as one TriG document."""
        trig = "".join(f"{nt(URIRef(g))} {{\n{body}\n}}\n" for g, body in blocks.items() if body)
        if not trig:
            return
        try:
            self._store.load(trig.encode("utf-8"), ox.RdfFormat.TRIG)
        except SyntaxError as e:
            raise QueryError(f"malformed N-Triples for the store: {e}") from None
        except OSError as e:
            raise StoreError(f"the store at {self.location} could not be written: {e}") from None
        finally:
            self.generation += 1

    def _written(self, quads: int) -> None:
        """Flush a directory store's write buffers once enough has been written."""
        self._unflushed += quads
        if self.path is not None and self._unflushed >= FLUSH_EVERY:
            self._unflushed = 0
            try:
                self._store.flush()
            except OSError as e:
                raise StoreError(f"the store at {self.location} could not be written: {e}") from None

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def quads(self, graph: str | None = None) -> Iterator[Quad]:
        g = ox.NamedNode(graph) if graph else None
        for q in self._store.quads_for_pattern(None, None, None, g):
            yield (from_ox(q.subject), from_ox(q.predicate), from_ox(q.object),
                   from_ox(q.graph_name))

    def quad_count(self) -> int:
        return len(self._store)

    def dump(self, out: BinaryIO, fmt: RdfFormat) -> None:
        try:
            if fmt.keeps_graphs:
                self._store.dump(out, fmt.ox, prefixes=dict(PREFIXES))
            else:
                ox.serialize(self._union_triples(), out, fmt.ox, prefixes=dict(PREFIXES))
        except OSError as e:
            raise StoreError(f"the store at {self.location} could not be read: {e}") from None

    def _union_triples(self) -> Iterator[ox.Triple]:
        """Every triple of every graph, streamed. A triple that several reports state
        is written once while the dataset is small; past ``DEDUPLICATE`` triples the
        memory of what was written is cleared rather than allowed to grow, and a
        repeated triple may be written again (parsers merge it: RDF is a set)."""
        seen: set[int] = set()
        for quad in self._store.quads_for_pattern(None, None, None, None):
            triple = quad.triple
            key = hash(triple)
            if key in seen:
                continue
            if len(seen) >= DEDUPLICATE:
                seen.clear()
            seen.add(key)
            yield triple

    def flush(self) -> None:
        if self.path is not None:
            self._store.flush()

    def close(self) -> None:
        if self._workers is not None:
            self._workers.close()
            self._workers = None
        if self._store is not None and self.path is not None:
            try:
                self._store.flush()
            except OSError:
                pass
        # dropping the last reference releases the directory lock
        self._store = None  # type: ignore[assignment]


def _open(path: Path, create: bool) -> ox.Store:
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path} is a file, not a store directory; point --store at a directory")
    if not path.exists():
        if not create:
            raise StoreError(f"there is no store at {path}: ingest or load something first, "
                             f"or point --store (or CIVGRAPH_STORE) at an existing store")
        try:
            path.mkdir(parents=True)
        except OSError as e:
            raise StoreError(f"cannot create the store directory {path}: {e.strerror}") from None
    elif any(path.iterdir()) and not (path / "CURRENT").exists():
        raise StoreError(f"{path} holds other files and is not a civgraph store; "
                         f"point --store at a new or empty directory")
    try:
        return ox.Store(str(path))
    except OSError as e:
        text = str(e)
        if "lock" in text.lower():
            raise StoreUnavailable(
                f"the store at {path} is in use by another process (a running "
                f"`civgraph serve`?); stop it or use another --store") from None
        if "Permission denied" in text or "Read-only" in text:
            raise StoreError(f"the store at {path} is not writable: {text}") from None
        raise StoreError(f"cannot open the store at {path}: {text}") from None


def _result(answer) -> QueryResult:
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        names = [v.value for v in answer.variables]
        rows = [tuple(from_ox(sol[i]) for i in range(len(names))) for sol in answer]
        return QueryResult("select", variables=names, rows=rows)
    triples = [(from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)) for t in answer]
    return QueryResult("graph", triples=triples)
