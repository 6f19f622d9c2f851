"""Query worker processes, so that a runaway query can be stopped.

pyoxigraph cannot cancel a query it has started, and a thread cannot be killed. A
public endpoint still has to answer "too slow" after its time limit and free the CPU,
so the embedded store runs endpoint queries that could run long in worker processes
(``direct`` says which need not): each opens the store directory read-only (RocksDB
allows that beside the one writer), or loads a copy of an in-memory store, and a
worker that runs past the limit is killed and replaced.

Workers are started when the first query comes, and reopen the store when the parent
has written to it since (``generation``).
"""
from __future__ import annotations

import os
import queue
import subprocess
import sys
import time
from multiprocessing.connection import Connection
from typing import Callable

from .errors import QueryError, StoreError, StoreUnavailable
from .protocol import Answer, Dataset, Limits, QueryTimeout, run_query, timed_out

#: How the parent tells a worker where the data is: ("directory", path) or
#: ("nquads", bytes of a dump).
Source = tuple[str, object]


def _worker_main(recv_conn: Connection, send_conn: Connection) -> None:
    """The loop of a worker process: open, then answer one query at a time."""
    import pyoxigraph as ox

    store = None
    while True:
        try:
            message = recv_conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        kind = message[0]
        try:
            if kind == "open":
                store = _open(ox, message[1])
                send_conn.send(("ok", None))
            elif kind == "query":
                _, sparql, dataset, result_format, graph_format, max_bytes, base, timeout = message
                send_conn.send(("ok", run_query(store, sparql, dataset, result_format,
                                                graph_format, max_bytes, base, timeout)))
        except QueryError as e:
            send_conn.send(("error", (type(e).__name__, str(e))))
        except Exception as e:  # anything else is reported, never kills the loop
            send_conn.send(("failure", f"{type(e).__name__}: {e}"))


def _open(ox, source: Source):
    how, what = source
    if how == "directory":
        return ox.Store.read_only(str(what))
    store = ox.Store()
    if what:
        store.load(what, format=ox.RdfFormat.N_QUADS)
    return store


class _Worker:
    """One worker process, reached over its stdin and stdout.

    A plain child process running this module (not multiprocessing's spawn, which
    re-imports the parent's main script and fails from an interactive session).
    """

    def __init__(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", __name__],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.to_child = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self.from_child = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        self.process.stdin.close()
        self.process.stdout.close()
        self.generation = -1

    def send(self, message) -> None:
        self.to_child.send(message)

    def recv(self, timeout: float | None = None):
        """The next reply, or None when ``timeout`` seconds pass first."""
        if timeout is not None and (timeout <= 0 or not self.from_child.poll(timeout)):
            return None
        return self.from_child.recv()

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)
        self.to_child.close()
        self.from_child.close()


class WorkerPool:
    """A fixed number of query worker processes over one store.

    ``source`` gives where the data is now and its generation; it is called when a
    worker needs to (re)open the store.
    """

    def __init__(self, source: Callable[[], tuple[int, Source]], size: int = 2):
        self._source = source
        self._size = max(1, size)
        self._idle: queue.LifoQueue[_Worker | None] = queue.LifoQueue()
        for _ in range(self._size):
            self._idle.put(None)  # a slot whose worker is not started yet
        self._closed = False

    def answer(self, sparql: str, dataset: Dataset, result_format: str | None,
               graph_format: str | None, limits: Limits, base_iri: str | None = None) -> Answer:
        deadline = time.monotonic() + limits.timeout
        try:
            worker = self._idle.get(timeout=limits.timeout)
        except queue.Empty:
            raise QueryTimeout(f"every query worker stayed busy for {limits.timeout:g} s; "
                               f"try again later") from None
        try:
            worker = self._ready(worker)
            worker.send(("query", sparql, dataset, result_format, graph_format,
                         limits.max_bytes, base_iri, limits.timeout))
            reply = worker.recv(deadline - time.monotonic())
            if reply is None:
                worker.kill()
                worker = None
                raise timed_out(limits.timeout)
            return _unpack(reply)
        except (EOFError, OSError, BrokenPipeError):
            if worker is not None:
                worker.kill()
            worker = None
            raise StoreError("a query worker stopped unexpectedly; try again") from None
        finally:
            if self._closed and worker is not None:
                worker.kill()
                worker = None
            self._idle.put(worker)

    def _ready(self, worker: _Worker | None) -> _Worker:
        """A live worker that has opened the current generation of the store."""
        if worker is not None and not worker.alive():
            worker.kill()
            worker = None
        if worker is None:
            worker = _Worker()
        generation, source = self._source()
        if worker.generation != generation:
            worker.send(("open", source))
            reply = worker.recv()
            if reply[0] != "ok":
                worker.kill()
                raise StoreUnavailable(f"a query worker could not open the store: {reply[1]}")
            worker.generation = generation
        return worker

    def close(self) -> None:
        """Stop every worker (those busy are stopped as they come back)."""
        self._closed = True
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                return
            if worker is not None:
                worker.kill()


def _unpack(reply) -> Answer:
    status, value = reply
    if status == "ok":
        return value
    if status == "error":
        from . import protocol
        from . import errors
        name, message = value
        cls = getattr(protocol, name, None) or getattr(errors, name, QueryError)
        raise cls(message)
    raise StoreError(f"the query failed inside the store: {value}")


if __name__ == "__main__":
    # replies go to the original stdout; anything printed goes to stderr instead
    _replies = Connection(os.dup(1), readable=False)
    os.dup2(2, 1)
    _worker_main(Connection(os.dup(0), writable=False), _replies)
