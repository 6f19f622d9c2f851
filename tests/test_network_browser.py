"""The network explorer in a real browser: it draws the graph from this host only, search
and clicks open the right node, filters hide what they should, names stay text."""
from __future__ import annotations

import threading
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from werkzeug.serving import make_server

from civgraph.graph.namespaces import CG, SDO
from civgraph.web.app import create_app
from civgraph.web.network import standalone_html

from conftest import free_port, skip_or_fail
# the same samples with hostile names as the network tests (a fixture of this module too)
from test_network import BASE, HOSTILE, HOSTILE_ORG, ISF, sample_store  # noqa: F401

pytestmark = pytest.mark.browser
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def served(sample_store):
    """The app on a free loopback port, in a thread, and its test client."""
    app = create_app(store=sample_store, base=BASE)
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}", app.test_client()
    server.shutdown()
    thread.join()


class Watched:
    """A page with everything that must not happen recorded: other hosts, errors, dialogs."""

    def __init__(self, page, host: str | None):
        self.page = page
        self.elsewhere: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("request", self._request(host))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))

    def _request(self, host):
        def check(request):
            parts = urlsplit(request.url)
            if parts.scheme in ("http", "https") and parts.netloc != host:
                self.elsewhere.append(request.url)
            elif parts.scheme not in ("http", "https", "file", "data", "blob", "about"):
                self.elsewhere.append(request.url)
        return check

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_function("window.networkReady === true", timeout=30_000)

    def clean(self) -> None:
        assert not self.elsewhere, f"requests to other hosts: {self.elsewhere}"
        assert not self.errors, self.errors
        assert not self.dialogs, f"a dialog opened: {self.dialogs}"


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        skip_or_fail(f"no Chromium at {CHROMIUM} to drive the browser test")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield browser
        browser.close()


@pytest.fixture
def watched(browser, served):
    url, _ = served
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    yield Watched(page, urlsplit(url).netloc)
    page.close()


def visible_ids(page) -> list[str]:
    return page.evaluate("() => window.civgraphNetwork.visibleIds()")


def drawn_count(page) -> int:
    """The nodes vis-network actually draws (not hidden), from its own index."""
    return page.evaluate("() => window.civgraphNetwork.network.body.nodeIndices.length")


def click_node(page, iri: str, double: bool = False) -> None:
    """Click where vis-network draws the node, as a person would."""
    page.evaluate("(id) => window.civgraphNetwork.network.focus(id, {scale: 1.2})", iri)
    page.wait_for_timeout(100)
    point = page.evaluate("""(id) => {
        const net = window.civgraphNetwork.network;
        const dom = net.canvasToDOM(net.getPositions([id])[id]);
        const box = document.querySelector('#network-canvas').getBoundingClientRect();
        return {x: box.left + dom.x, y: box.top + dom.y};
    }""", iri)
    if double:
        page.mouse.dblclick(point["x"], point["y"])
    else:
        page.mouse.click(point["x"], point["y"])


def test_page_draws_every_node_from_this_host_only(watched, served):
    url, client = served
    graph = client.get("/network/graph.json").get_json()
    watched.open(f"{url}/network")
    assert drawn_count(watched.page) == graph["shown"] == len(visible_ids(watched.page))
    assert watched.page.evaluate("() => window.civgraphNetwork.edges.length") == len(graph["edges"])
    watched.clean()


def search_and_open(watched, url: str, name: str) -> None:
    """Search the network for ``name`` and wait for its node's panel."""
    watched.open(f"{url}/network")
    watched.page.fill("#search-input", name)
    watched.page.press("#search-input", "Enter")
    watched.page.wait_for_selector("#node-panel:not([hidden]) .panel-sources")


def test_search_by_acronym_focuses_the_node_and_opens_its_panel(watched, served):
    url, _ = served
    search_and_open(watched, url, "ISF")
    selected = watched.page.evaluate("() => window.civgraphNetwork.network.getSelectedNodes()")
    assert selected == [ISF]
    assert watched.page.text_content("#panel-title") == "Iraqi Social Forum"
    watched.clean()


def test_click_opens_the_panel_with_the_facts(watched, served):
    url, client = served
    events = [n for n in client.get("/network/graph.json").get_json()["nodes"]
              if n["cls"] == str(SDO.Event) and n.get("year")]
    event = events[0]
    details = client.get("/network/node.json", query_string={"iri": event["id"]}).get_json()
    watched.open(f"{url}/network")
    click_node(watched.page, event["id"])
    watched.page.wait_for_selector("#node-panel:not([hidden]) .panel-facts")
    panel = watched.page.locator("#node-panel")
    assert watched.page.text_content("#panel-title") == event["label"]
    start = next(f["value"] for f in details["facts"] if f["property"] == "start date")
    assert "start date" in panel.locator(".panel-facts").inner_text()
    assert start in panel.locator(".panel-facts").inner_text()
    sources = panel.locator(".panel-sources").inner_text()
    assert details["sources"][0]["title"] in sources
    link = panel.locator("a.entity-page")
    assert link.get_attribute("href") == urlsplit(event["id"]).path
    watched.clean()


def test_filters_hide_what_they_should(watched, served):
    url, client = served
    graph = client.get("/network/graph.json").get_json()
    places = {n["id"] for n in graph["nodes"] if n["cls"] == str(SDO.Place)}
    watched.open(f"{url}/network")
    watched.page.uncheck(f'#filter-classes input[data-class="{SDO.Place}"]')
    shown = set(visible_ids(watched.page))
    assert shown == {n["id"] for n in graph["nodes"]} - places
    assert drawn_count(watched.page) == len(shown)
    watched.page.check(f'#filter-classes input[data-class="{SDO.Place}"]')
    # only the events of 2019
    watched.page.fill("#year-from", "2019")
    watched.page.fill("#year-to", "2019")
    shown = set(visible_ids(watched.page))
    events = [n for n in graph["nodes"] if n["cls"] == str(SDO.Event)]
    assert {n["id"] for n in events if n.get("year") == 2019} <= shown
    assert not {n["id"] for n in events if n.get("year") and n["year"] != 2019} & shown
    # one project: itself, its events, and what they touch
    watched.page.click("#filter-reset")
    project = next(n for n in graph["nodes"] if n["cls"] == str(CG.Project))
    watched.page.select_option("#filter-project", project["id"])
    shown = set(visible_ids(watched.page))
    assert project["id"] in shown and len(shown) < len(graph["nodes"])
    watched.clean()


def test_hostile_name_is_text_in_panel_and_list(watched, served):
    url, _ = served
    search_and_open(watched, url, "HOSTILE-ACRONYM")
    assert watched.page.text_content("#panel-title") == HOSTILE
    assert "<script>alert(2)</script>" in watched.page.inner_text("#node-panel .panel-sources")
    assert watched.page.locator("#node-panel img, #search-results img").count() == 0
    click_node(watched.page, str(HOSTILE_ORG))  # its tooltip and label too
    watched.page.mouse.move(10, 10)
    watched.page.goto(f"{url}/network?view=list")
    assert watched.page.get_by_text(HOSTILE, exact=True).count() >= 1
    assert watched.page.locator("main img").count() == 0
    watched.clean()


def test_ego_network_from_the_address_and_expansion(watched, served):
    url, client = served
    ego = client.get("/network/graph.json", query_string={"focus": ISF, "depth": 1}).get_json()
    watched.open(f"{url}/network?focus={quote(ISF, safe='')}&depth=1")
    assert drawn_count(watched.page) == ego["shown"]
    watched.page.wait_for_selector("#node-panel:not([hidden])")
    assert watched.page.text_content("#panel-title") == "Iraqi Social Forum"
    # a neighbour with links of its own beyond the forum brings them in on double-click
    neighbour = next(n["id"] for n in ego["nodes"] if n["id"] == BASE + "org/hit-peace-forum")
    before = drawn_count(watched.page)
    click_node(watched.page, neighbour, double=True)
    watched.page.wait_for_function(f"() => window.civgraphNetwork.nodes.length > {before}")
    assert "neighbour" in watched.page.text_content("#network-status")
    watched.clean()


def test_list_view_is_reachable_by_keyboard(watched, served):
    url, _ = served
    watched.open(f"{url}/network")
    for _ in range(30):  # past the site's navigation, the skip link comes first
        watched.page.keyboard.press("Tab")
        if watched.page.evaluate("() => document.activeElement.id") == "list-link":
            break
    else:
        pytest.fail("the list link is not reachable with Tab")
    assert watched.page.locator("#list-link").is_visible()
    watched.page.keyboard.press("Enter")
    watched.page.wait_for_selector("#network-list")
    assert watched.page.locator("#network-list li").count() > 100
    watched.clean()


def test_standalone_file_works_offline(browser, sample_store, tmp_path):
    target = tmp_path / "explorer.html"
    target.write_text(standalone_html(sample_store, BASE), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    watched = Watched(page, host=None)
    try:
        watched.open(target.as_uri())
        assert drawn_count(page) > 200
        page.fill("#search-input", "ISF")
        page.press("#search-input", "Enter")
        page.wait_for_selector("#node-panel:not([hidden]) .panel-sources")
        assert page.text_content("#panel-title") == "Iraqi Social Forum"
        watched.clean()
    finally:
        page.close()
