"""The query workbench `/query`: editor, worked examples, links, and nothing from other hosts."""
from __future__ import annotations

import threading
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from werkzeug.serving import make_server

from civgraph.graph.namespaces import PREFIXES
from civgraph.web.query import load_examples, parse_example, with_prefixes

from conftest import Links, ROOT, free_port, fresh_samples, skip_or_fail

BASE = "http://example.org/id/"
CHROMIUM = Path("/usr/bin/chromium")
EXAMPLES = load_examples()


@pytest.fixture(scope="module")
def sample_store():
    """The bundled sample corpus, ingested once for the whole module."""
    store = fresh_samples(BASE)
    yield store
    store.close()


def parse(html: str) -> Links:
    links = Links()
    links.feed(html)
    return links


# -- the page ----------------------------------------------------------------------------

def test_page_serves_editor_and_examples(client):
    page = client.get("/query")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="editor"' in html and 'id="query-text"' in html and "yasqe.min.js" in html
    assert '<label for="query-text">' in html
    for example in EXAMPLES:
        assert f'id="example-{example.slug}"' in html
    # the default query declares every civgraph prefix, written out from PREFIXES
    for name, iri in PREFIXES.items():
        assert f"PREFIX {name}: &lt;{iri}&gt;" in html


def test_every_asset_is_served_by_the_app(client):
    links = parse(client.get("/query").get_data(as_text=True))
    assert len(links.assets) >= 5  # site and editor stylesheets, editor and viewer scripts
    for src in links.assets:
        parts = urlsplit(src)
        assert not parts.scheme and not parts.netloc, f"{src} points to another host"
        answer = client.get(src)
        assert answer.status_code == 200, src
        assert answer.data, src


def test_no_link_points_to_another_host(client):
    links = parse(client.get("/query").get_data(as_text=True))
    for href in links.anchors:
        assert not urlsplit(href).netloc, href


def test_query_parameter_fills_the_editor_escaped(client):
    text = 'SELECT * WHERE { ?s rdfs:label "</textarea><script>alert(1)</script>" }'
    html = client.get("/query", query_string={"query": text}).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html
    links = parse(html)
    share = next(h for h in links.anchors if h.startswith("/query?"))
    assert parse_qs(urlsplit(share).query)["query"] == [text]
    downloads = {parse_qs(urlsplit(h).query).get("format", [""])[0]: h
                 for h in links.anchors if h.startswith("/sparql?")}
    assert set(downloads) == {"csv", "json"}
    assert parse_qs(urlsplit(downloads["csv"]).query)["query"] == [text]


def test_example_titles_are_escaped(app, client, monkeypatch):
    hostile = parse_example("99-hostile", "# title: <img src=x onerror=alert(1)>\n"
                                          "# description: a & b\nASK {}\n")
    monkeypatch.setattr("civgraph.web.query.load_examples", lambda: (hostile,))
    html = client.get("/query").get_data(as_text=True)
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "a &amp; b" in html


def test_prefixes_for_completion(client):
    assert client.get("/query/prefixes.json").get_json() == PREFIXES


def test_example_links_carry_their_query(client):
    links = parse(client.get("/query").get_data(as_text=True))
    carried = {parse_qs(urlsplit(h).query)["query"][0]
               for h in links.anchors if h.startswith("/query?") and "run=1" in h}
    assert carried == {example.text for example in EXAMPLES}


# -- the examples ------------------------------------------------------------------------

def test_at_least_twelve_examples_with_titles_and_descriptions():
    assert len(EXAMPLES) >= 12
    assert len({e.title for e in EXAMPLES}) == len(EXAMPLES)
    for example in EXAMPLES:
        assert example.title and example.description, example.slug
        assert "PREFIX" not in example.body.upper().split("SELECT")[0], \
            f"{example.slug}: prefixes are added by the workbench, not written in the file"


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.slug for e in EXAMPLES])
def test_example_returns_rows_on_the_samples(sample_store, example):
    result = sample_store.query(example.text)  # no prefixes pre-declared, as at /sparql
    assert result.kind == "select"
    assert result.rows, f"{example.slug} returns no rows on the sample corpus"


def test_with_prefixes_declares_only_what_is_used():
    text = with_prefixes("SELECT ?f WHERE { ?f a cg:Forum ; rdfs:label ?l }")
    assert text.startswith(f"PREFIX cg: <{PREFIXES['cg']}>\nPREFIX rdfs: <{PREFIXES['rdfs']}>\n")
    assert "PREFIX rdf:" not in text and "PREFIX schema:" not in text
    declared = "PREFIX cg: <http://other.example/>\nSELECT * { ?s a cg:X }"
    assert with_prefixes(declared) == declared


def test_download_links_answer(client):
    """The CSV and JSON links the page hands out give the example's answer."""
    example = EXAMPLES[0]
    html = client.get("/query", query_string={"query": example.text}).get_data(as_text=True)
    downloads = [h for h in parse(html).anchors if h.startswith("/sparql?")]
    for href in downloads:
        answer = client.get(href)
        assert answer.status_code == 200, answer.get_data(as_text=True)
        fmt = parse_qs(urlsplit(href).query)["format"][0]
        if fmt == "json":
            assert answer.get_json()["results"]["bindings"]
        else:
            assert len(answer.get_data(as_text=True).strip().splitlines()) > 1


# -- the vendored editor -----------------------------------------------------------------

def test_vendored_editor_ships_with_license_and_readme():
    folder = ROOT / "web" / "static" / "yasgui"
    assert "MIT License" in (folder / "LICENSE").read_text()
    readme = (folder / "README.md").read_text()
    assert "@zazuko/yasqe" in readme and "4.6.2" in readme
    for name in ("yasqe.min.js", "yasr.min.js", "yasqe.min.css", "yasr.min.css"):
        assert "sourceMappingURL" not in (folder / name).read_text(encoding="utf-8")


# -- in a browser ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def served_app(app):
    """The app on a free loopback port, in a thread."""
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    thread.join()


@pytest.mark.browser
def test_browser_runs_an_example_without_other_hosts(served_app):
    if not CHROMIUM.exists():
        skip_or_fail(f"no Chromium at {CHROMIUM} to drive the browser test")
    from playwright.sync_api import sync_playwright

    host = urlsplit(served_app).netloc
    elsewhere: list[str] = []
    failures: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            page = browser.new_page()
            page.on("request", lambda r: urlsplit(r.url).scheme in ("http", "https")
                    and urlsplit(r.url).netloc != host and elsewhere.append(r.url))
            page.on("pageerror", lambda error: failures.append(str(error)))
            page.goto(f"{served_app}/query")
            page.wait_for_selector(".yasqe .CodeMirror")
            example = EXAMPLES[0]
            page.click(f"#example-{example.slug} a.run-example")
            page.wait_for_selector("#yasr table tbody tr td")
            rows = page.locator("#yasr table tbody tr").count()
            assert rows >= 1
            assert "query=" in page.url  # the address now carries the query
            editor_text = page.evaluate(
                "() => document.querySelector('.CodeMirror').CodeMirror.getValue()")
            assert editor_text == example.text
            # the editor's own run button runs in place: the page is not reloaded
            page.goto(f"{served_app}/query")
            page.wait_for_selector(".yasqe .CodeMirror")
            page.evaluate("() => { window.stillHere = true; }")
            page.click(".yasqe .yasqe_queryButton")
            page.wait_for_selector("#yasr table tbody tr td")
            assert page.evaluate("() => window.stillHere === true")
        finally:
            browser.close()
    assert not failures, failures
    assert not elsewhere, f"requests to other hosts: {elsewhere}"
