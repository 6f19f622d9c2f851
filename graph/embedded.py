"""The embedded backend: an Oxigraph store in a directory, or in memory.

This is the default for a new user: no server to run, and an order of magnitude faster
than rdflib's in-memory store on aggregates over a graph of this size.
"""
from __future__ import annotations

from pathlib import Path
from typing import BinaryIO, Iterator, Mapping

import pyoxigraph as ox
from rdflib.term import Node

from .errors import QueryError, StoreError, StoreUnavailable
from .formats import RdfFormat
from .namespaces import PREFIXES
from .store import QueryResult, Store, with_values
from .terms import Quad, from_ox

UNION_DISTINCT = "CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"


class EmbeddedStore(Store):
    """Oxigraph through pyoxigraph: persistent when given a directory, else in memory."""

    def __init__(self, path: str | Path | None = None, *, create: bool = True):
        self.location = str(path) if path is not None else "memory:"
        self.path = Path(path) if path is not None else None
        self._store = _open(self.path, create) if self.path is not None else ox.Store()

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
            self._store.update(sparql)
        except SyntaxError as e:
            raise QueryError(f"malformed SPARQL update: {e}") from None
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
                triples = self._store.query(UNION_DISTINCT, use_default_graph_as_union=True)
                ox.serialize(triples, out, fmt.ox, prefixes=dict(PREFIXES))
        except OSError as e:
            raise StoreError(f"the store at {self.location} could not be read: {e}") from None

    def flush(self) -> None:
        if self.path is not None:
            self._store.flush()

    def close(self) -> None:
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
