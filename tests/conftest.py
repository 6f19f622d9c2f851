"""Shared fixtures: a store on each backend, and a real `oxigraph serve` for the remote one.

Set CIVGRAPH_REQUIRE_ALL=1 (CI does) to turn a missing server binary or browser into a
failure instead of a skip.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
import requests

from civgraph.graph import open_store

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DATA = Path(__file__).resolve().parent / "data"


class Links(HTMLParser):
    """Collects what a page loads (scripts, stylesheets, images) and where it links."""

    def __init__(self):
        super().__init__()
        self.assets: list[str] = []
        self.anchors: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "img") and attrs.get("src"):
            self.assets.append(attrs["src"])
        elif tag == "link" and attrs.get("href"):
            self.assets.append(attrs["href"])
        elif tag == "a" and attrs.get("href"):
            self.anchors.append(attrs["href"])


_SAMPLE_DUMPS: dict[str, bytes] = {}


def fresh_samples(base: str):
    """A new in-memory store holding the bundled samples ingested under ``base``.

    The corpus is ingested once per base for the whole run and copied into each new
    store, so every test module gets its own store to change without paying for the
    ingest again.
    """
    import io

    from civgraph.graph.formats import FORMATS
    from civgraph.ingest.pipeline import ingest_paths, sample_paths

    if base not in _SAMPLE_DUMPS:
        with open_store("memory:") as store:
            ingest_paths(store, sample_paths(), base, progress=False)
            out = io.BytesIO()
            store.dump(out, FORMATS["nquads"])
        _SAMPLE_DUMPS[base] = out.getvalue()
    store = open_store("memory:")
    store.load(_SAMPLE_DUMPS[base], FORMATS["nquads"], base + "graph/unnamed")
    return store


@pytest.fixture(scope="module")
def app(request, sample_store):
    """The app over the module's ``sample_store`` (a module that uses it defines that
    fixture, and its ``BASE``)."""
    from civgraph.web.app import create_app

    app = create_app(store=sample_store, base=request.module.BASE)
    app.config["TESTING"] = True
    return app


@pytest.fixture
def client(app):
    return app.test_client()


def skip_or_fail(reason: str) -> None:
    if os.environ.get("CIVGRAPH_REQUIRE_ALL") == "1":
        pytest.fail(f"{reason} (CIVGRAPH_REQUIRE_ALL=1 makes this a failure)")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def oxigraph_binary() -> str | None:
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.exists() else shutil.which("oxigraph")


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """A real Oxigraph SPARQL server on a free loopback port, for the whole session."""
    binary = oxigraph_binary()
    if binary is None:
        skip_or_fail("the oxigraph server binary is not installed (pip install oxigraph)")
    port = free_port()
    data = tmp_path_factory.mktemp("oxigraph-server")
    log = open(data / "server.log", "wb")
    proc = subprocess.Popen([binary, "serve", "--location", str(data / "db"), "--bind",
                             f"127.0.0.1:{port}", "--union-default-graph"],
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            requests.get(f"{url}/query", params={"query": "ASK {}"}, timeout=1)
            break
        except requests.ConnectionError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"oxigraph serve did not start: {(data / 'server.log').read_text()}")
            time.sleep(0.1)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(params=["memory", "directory", "remote"])
def store(request, tmp_path):
    """The same store, empty, on each of the three backends."""
    if request.param == "memory":
        location = "memory:"
    elif request.param == "directory":
        location = str(tmp_path / "store")
    else:
        server = request.getfixturevalue("oxigraph_server")
        location = f"{server}/query"
    st = open_store(location)
    if request.param == "remote":
        st.update("CLEAR ALL")
    yield st
    st.close()


@pytest.fixture
def base() -> str:
    return "http://example.org/id/"
