/* The civgraph network explorer: draws the nodes and links that the page carries (at
 * positions computed on the server, physics off), and wires the search, the filters,
 * the side panel and neighbour expansion.
 *
 * Every name and sentence comes from reports anyone may write: they reach the DOM as
 * text (textContent, DOM elements for vis-network's tooltips), never as HTML. */
(function () {
  "use strict";
  var dataElement = document.getElementById("network-data");
  var canvas = document.getElementById("network-canvas");
  if (!dataElement || !canvas || !window.vis) { return; }

  var data = JSON.parse(dataElement.textContent);
  var config = JSON.parse(document.getElementById("network-config").textContent);
  var detailsElement = document.getElementById("network-details");
  var localDetails = detailsElement ? JSON.parse(detailsElement.textContent) : null;
  var standalone = config.mode === "standalone";
  var terms = config.terms || {};

  var legend = {};
  config.legend.forEach(function (entry) { legend[entry.iri] = entry; });
  var relationNames = {};
  data.relations.forEach(function (r) { relationNames[r.iri] = r.label; });

  var statusBox = document.getElementById("network-status");
  var panel = document.getElementById("node-panel");
  var panelTitle = document.getElementById("panel-title");
  var panelBody = document.getElementById("panel-body");

  /* -- what is known: nodes, links and who touches what ------------------------------ */
  var known = {};       // node id -> its payload from the server
  var edgeData = {};    // edge id -> {from, to, rel}
  var touching = {};    // node id -> [edge id]

  function edgeId(e) { return e.from + "\u0000" + e.rel + "\u0000" + e.to; }
  function remember(node) { known[node.id] = node; touching[node.id] = touching[node.id] || []; }
  function rememberEdge(e) {
    var id = edgeId(e);
    if (edgeData[id]) { return null; }
    edgeData[id] = e;
    (touching[e.from] = touching[e.from] || []).push(id);
    (touching[e.to] = touching[e.to] || []).push(id);
    return id;
  }

  function tooltip(node) {
    var box = document.createElement("div");
    box.className = "network-tooltip";
    var name = document.createElement("strong");
    name.textContent = node.label;
    box.appendChild(name);
    var kind = document.createElement("div");
    kind.textContent = kindText(node) + (node.year ? " · " + node.year : "");
    box.appendChild(kind);
    return box;
  }
  function kindText(node) {
    var entry = legend[node.cls];
    return (node.kinds && node.kinds.length ? node.kinds.join(", ") : (entry ? entry.label : ""));
  }
  function visNode(node) {
    var entry = legend[node.cls] || {};
    var drawn = {
      id: node.id, label: node.label, value: Math.sqrt((node.degree || 0) + 1),
      shape: entry.shape || "dot", color: entry.colour, title: tooltip(node)
    };
    if (typeof node.x === "number") { drawn.x = node.x; drawn.y = node.y; }
    return drawn;
  }
  function visEdge(e, id) {
    return {id: id, from: e.from, to: e.to, label: relationNames[e.rel] || e.rel};
  }

  data.nodes.forEach(remember);
  var nodes = new vis.DataSet(data.nodes.map(visNode));
  var edgeList = [];
  data.edges.forEach(function (e) {
    var id = rememberEdge(e);
    if (id) { edgeList.push(visEdge(e, id)); }
  });
  var edges = new vis.DataSet(edgeList);

  var large = data.nodes.length > 1000;
  var network = new vis.Network(canvas, {nodes: nodes, edges: edges}, {
    autoResize: true,
    physics: false,
    layout: {improvedLayout: false, randomSeed: 1},
    nodes: {
      borderWidth: 1,
      scaling: {min: 7, max: 42, label: {enabled: true, min: 11, max: 44, maxVisible: 28, drawThreshold: 10}},
      font: {size: 12, color: "#1d2330", strokeWidth: 3, strokeColor: "#ffffff",
             face: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"}
    },
    edges: {
      smooth: false, width: 1, selectionWidth: 2,
      arrows: {to: {enabled: true, scaleFactor: 0.45}},
      color: {color: "#a3abb9", highlight: "#1f6f8b", hover: "#1f6f8b", inherit: false},
      font: {size: 10, color: "#5b6475", strokeWidth: 3, strokeColor: "#ffffff", align: "middle"},
      scaling: {label: {drawThreshold: 9}}
    },
    interaction: {
      hover: !large, tooltipDelay: 250, hideEdgesOnDrag: large, hideEdgesOnZoom: large,
      keyboard: {enabled: true, bindToWindow: false}, multiselect: false, navigationButtons: false
    }
  });

  /* The first view shows the whole graph, where most names would be too small to read
   * (vis-network then leaves them out): the names of the most connected nodes are made
   * large enough to read at that zoom; the others appear as one zooms in. */
  function nameTheLargest(count) {
    var scale = network.getScale();
    var threshold = 12 / Math.max(scale, 0.01);
    var biggest = data.nodes.slice().sort(function (a, b) { return (b.degree || 0) - (a.degree || 0); })
      .slice(0, count).filter(function (n) { return (n.degree || 0) > 0; });
    nodes.update(biggest.map(function (n) {
      return {id: n.id, scaling: {label: {enabled: true, min: threshold, max: threshold * 1.8}}};
    }));
  }
  network.fit({animation: false});
  nameTheLargest(Math.round(Math.min(30, Math.max(12, Math.sqrt(data.nodes.length) * 1.2))));

  var ready = false;
  network.once("afterDrawing", function () {
    ready = true;
    window.networkReadyAt = window.performance ? performance.now() : 0;
    window.networkReady = true;
    document.documentElement.setAttribute("data-network-ready", "true");
  });

  function say(text) { statusBox.textContent = text; }

  /* -- filters ------------------------------------------------------------------------ */
  var classBoxes = Array.prototype.slice.call(document.querySelectorAll("#filter-classes input[data-class]"));
  var relationBoxes = Array.prototype.slice.call(document.querySelectorAll("#filter-relations input[data-relation]"));
  var yearFrom = document.getElementById("year-from");
  var yearTo = document.getElementById("year-to");
  var undated = document.getElementById("year-undated");
  var funderSelect = document.getElementById("filter-funder");
  var projectSelect = document.getElementById("filter-project");
  var placeSelect = document.getElementById("filter-place");

  var years = data.nodes.filter(function (n) { return n.cls === terms.event && n.year; })
    .map(function (n) { return n.year; });
  var firstYear = years.length ? Math.min.apply(null, years) : null;
  var lastYear = years.length ? Math.max.apply(null, years) : null;
  if (firstYear === null) {
    document.getElementById("filter-years").hidden = true;
  } else {
    [yearFrom, yearTo].forEach(function (input) { input.min = firstYear; input.max = lastYear; });
    yearFrom.value = firstYear;
    yearTo.value = lastYear;
  }

  function byLabel(a, b) { return known[a].label.localeCompare(known[b].label); }
  function fillSelect(select, ids) {
    var scope = select.closest("label") || select;
    ids.sort(byLabel).forEach(function (id) {
      var option = document.createElement("option");
      option.value = id;
      option.textContent = known[id].label;
      select.appendChild(option);
    });
    if (!ids.length) { select.disabled = true; }
    return scope;
  }
  function fillScopes() {
    var funders = {}, projects = [], places = [];
    Object.keys(edgeData).forEach(function (id) {
      if (edgeData[id].rel === terms.funder) { funders[edgeData[id].to] = true; }
    });
    Object.keys(known).forEach(function (id) {
      if (known[id].cls === terms.project) { projects.push(id); }
      if (known[id].cls === terms.place) { places.push(id); }
    });
    fillSelect(funderSelect, Object.keys(funders));
    fillSelect(projectSelect, projects);
    fillSelect(placeSelect, places);
  }
  fillScopes();

  function linked(id, rel, incoming) {
    // the nodes joined to ``id`` by ``rel``: those it points at, or those pointing at it
    return (touching[id] || []).map(function (e) { return edgeData[e]; })
      .filter(function (e) { return e.rel === rel && (incoming ? e.to === id : e.from === id); })
      .map(function (e) { return incoming ? e.from : e.to; });
  }
  function withNeighbours(core) {
    var scope = {};
    Object.keys(core).forEach(function (id) {
      scope[id] = true;
      (touching[id] || []).forEach(function (e) { scope[edgeData[e].from] = true; scope[edgeData[e].to] = true; });
    });
    return scope;
  }
  function projectCore(project, core) {
    core[project] = true;
    linked(project, terms.partOfProject, true).forEach(function (e) { core[e] = true; });
  }
  function scopeOf(kind, id) {
    var core = {};
    if (kind === "project") {
      projectCore(id, core);
    } else if (kind === "funder") {
      core[id] = true;
      linked(id, terms.funder, true).forEach(function (funded) { projectCore(funded, core); });
    } else if (kind === "place") {
      var queue = [id], places = {};
      while (queue.length) {
        var place = queue.pop();
        if (places[place]) { continue; }
        places[place] = true;
        core[place] = true;
        queue = queue.concat(linked(place, terms.containedInPlace, true));
      }
      Object.keys(places).forEach(function (p) {
        linked(p, terms.location, true).forEach(function (x) { core[x] = true; });
      });
    }
    return withNeighbours(core);
  }

  function shownClasses() {
    var shown = {};
    classBoxes.forEach(function (box) { if (box.checked) { shown[box.getAttribute("data-class")] = true; } });
    return shown;
  }
  function shownRelations() {
    var shown = {};
    // a relation with no box (brought in by an expansion) is shown
    relationBoxes.forEach(function (box) { shown[box.getAttribute("data-relation")] = box.checked; });
    return shown;
  }
  function number(input, fallback) {
    var value = parseInt(input.value, 10);
    return isNaN(value) ? fallback : value;
  }

  function applyFilters(quiet) {
    var classes = shownClasses(), relations = shownRelations();
    var from = number(yearFrom, -Infinity), to = number(yearTo, Infinity);
    var scopes = [];
    if (funderSelect.value) { scopes.push(scopeOf("funder", funderSelect.value)); }
    if (projectSelect.value) { scopes.push(scopeOf("project", projectSelect.value)); }
    if (placeSelect.value) { scopes.push(scopeOf("place", placeSelect.value)); }
    var visible = {}, nodeUpdates = [], shownNodes = 0, counts = {};
    nodes.forEach(function (drawn) {
      var node = known[drawn.id];
      var show = !!classes[node.cls];
      if (show && node.cls === terms.event) {
        show = node.year ? (node.year >= from && node.year <= to) : undated.checked;
      }
      for (var i = 0; show && i < scopes.length; i++) { show = !!scopes[i][node.id]; }
      if (show) { visible[node.id] = true; shownNodes++; }
      counts[node.cls] = (counts[node.cls] || 0) + (show ? 1 : 0);
      if (!!drawn.hidden === show) { nodeUpdates.push({id: drawn.id, hidden: !show}); }
    });
    var edgeUpdates = [], shownEdges = 0;
    edges.forEach(function (drawn) {
      var e = edgeData[drawn.id];
      var show = relations[e.rel] !== false && visible[e.from] && visible[e.to];
      if (show) { shownEdges++; }
      if (!!drawn.hidden === !!show) { edgeUpdates.push({id: drawn.id, hidden: !show}); }
    });
    if (nodeUpdates.length) { nodes.update(nodeUpdates); }
    if (edgeUpdates.length) { edges.update(edgeUpdates); }
    document.querySelectorAll("[data-count-for]").forEach(function (span) {
      span.textContent = "(" + (counts[span.getAttribute("data-count-for")] || 0) + ")";
    });
    if (!quiet) {
      say("Showing " + shownNodes + " of " + nodes.length + " nodes and " + shownEdges + " links.");
    }
    return shownNodes;
  }

  classBoxes.concat(relationBoxes, [undated]).forEach(function (box) {
    box.addEventListener("change", function () { applyFilters(); });
  });
  [yearFrom, yearTo].forEach(function (input) { input.addEventListener("input", function () { applyFilters(); }); });
  [funderSelect, projectSelect, placeSelect].forEach(function (select) {
    select.addEventListener("change", function () {
      var shown = applyFilters();
      if (select.value && shown) { network.fit({nodes: visibleIds(), animation: {duration: 300}}); }
    });
  });
  function resetFilters() {
    classBoxes.concat(relationBoxes, [undated]).forEach(function (box) { box.checked = true; });
    if (firstYear !== null) { yearFrom.value = firstYear; yearTo.value = lastYear; }
    [funderSelect, projectSelect, placeSelect].forEach(function (s) { s.value = ""; });
    applyFilters();
  }
  document.getElementById("filter-reset").addEventListener("click", function () {
    resetFilters();
    network.fit({animation: {duration: 300}});
  });
  function visibleIds() {
    return nodes.getIds({filter: function (n) { return !n.hidden; }});
  }
  applyFilters(true);

  /* -- the side panel ----------------------------------------------------------------- */
  function element(tag, text, className) {
    var made = document.createElement(tag);
    if (text !== undefined && text !== null) { made.textContent = String(text); }
    if (className) { made.className = className; }
    return made;
  }
  function nodeButton(id, label) {
    var button = element("button", label, "node-link");
    button.type = "button";
    button.addEventListener("click", function () { focusNode(id, {panel: true, moveFocus: true}); });
    return button;
  }

  function renderPanel(d) {
    panelTitle.textContent = d.label;
    panelBody.textContent = "";
    var kind = element("p", "", "panel-kind");
    var mark = element("span", null, "legend-mark shape-" + ((legend[d.cls] || {}).shape || "dot"));
    mark.style.setProperty("--mark", (legend[d.cls] || {}).colour || "#777");
    mark.setAttribute("aria-hidden", "true");
    kind.appendChild(mark);
    var kinds = d.kinds && d.kinds.length ? d.kinds.join(", ") : d.classLabel;
    kind.appendChild(document.createTextNode(
      kinds + (kinds !== d.classLabel ? " (" + d.classLabel + ")" : "")));
    panelBody.appendChild(kind);
    if (d.names && d.names.length) {
      panelBody.appendChild(element("p", "Also called: " + d.names.join("; "), "panel-names"));
    }
    if (d.facts && d.facts.length) {
      var facts = element("dl", null, "panel-facts");
      d.facts.forEach(function (f) {
        facts.appendChild(element("dt", f.property));
        facts.appendChild(element("dd", f.value));
      });
      panelBody.appendChild(facts);
    }
    panelBody.appendChild(element("h3", "Links (" + d.links.length + ")"));
    if (d.links.length) {
      var list = element("ul", null, "panel-links");
      d.links.slice(0, 60).forEach(function (link) {
        var item = element("li");
        if (link.direction === "out") {
          item.appendChild(document.createTextNode(link.relation + ": "));
          item.appendChild(nodeButton(link.id, link.label));
        } else {
          item.appendChild(nodeButton(link.id, link.label));
          item.appendChild(document.createTextNode(" → " + link.relation));
        }
        list.appendChild(item);
      });
      panelBody.appendChild(list);
      if (d.links.length > 60) {
        panelBody.appendChild(element("p", "and " + (d.links.length - 60) + " more: see the list view.", "hint"));
      }
    } else {
      panelBody.appendChild(element("p", "No links to other nodes.", "hint"));
    }
    panelBody.appendChild(element("h3", "Where this comes from (" + d.sources.length + ")"));
    var sources = element("ul", null, "panel-sources");
    d.sources.forEach(function (source) {
      var item = element("li");
      var title = source.authority ? "The authority list of known names" : (source.title || source.graph);
      item.appendChild(element("strong", title));
      var meta = [source.published, source.file].filter(Boolean).join(" · ");
      if (meta) { item.appendChild(element("div", meta, "source-meta")); }
      source.sentences.slice(0, 8).forEach(function (sentence) {
        var quote = element("blockquote", sentence.text);
        quote.appendChild(element("span", " (" + sentence.relations.join(", ") + ")", "relations"));
        item.appendChild(quote);
      });
      if (source.sentences.length > 8) {
        item.appendChild(element("div", "and " + (source.sentences.length - 8) + " more sentences", "hint"));
      }
      sources.appendChild(item);
    });
    panelBody.appendChild(sources);
    var more = element("p", null, "panel-actions");
    if (d.page) {
      var page = element("a", "Open the page of " + d.label);
      page.href = d.page;
      page.className = "entity-page";
      more.appendChild(page);
    }
    if (!standalone && config.endpoints) {
      var ego = element("a", "Its neighbourhood only");
      ego.href = config.endpoints.page + "?" + new URLSearchParams({focus: d.id, depth: "1"}).toString();
      ego.className = "ego-link";
      more.appendChild(ego);
    }
    if (more.childNodes.length) { panelBody.appendChild(more); }
  }

  var panelFor = null;
  function openPanel(id, moveFocus) {
    panelFor = id;
    panel.hidden = false;
    panelTitle.textContent = known[id] ? known[id].label : "";
    panelBody.textContent = "Loading…";
    details(id).then(function (d) {
      if (panelFor !== id) { return; }
      renderPanel(d);
      if (moveFocus) { panel.focus(); }
    }).catch(function () {
      if (panelFor === id) { panelBody.textContent = "The facts of this node could not be loaded."; }
    });
  }
  function closePanel() {
    panel.hidden = true;
    panelFor = null;
    network.unselectAll();
  }
  document.getElementById("panel-close").addEventListener("click", closePanel);
  panel.addEventListener("keydown", function (event) { if (event.key === "Escape") { closePanel(); } });

  function getJson(url, params) {
    return fetch(url + "?" + new URLSearchParams(params).toString(), {headers: {Accept: "application/json"}})
      .then(function (answer) {
        return answer.json().then(function (body) {
          if (!answer.ok) { throw new Error(body.error || "request failed"); }
          return body;
        });
      });
  }
  function details(id) {
    if (localDetails) {
      return localDetails[id] ? Promise.resolve(localDetails[id]) : Promise.reject(new Error("unknown"));
    }
    return getJson(config.endpoints.node, {iri: id});
  }

  /* -- focus, search ------------------------------------------------------------------ */
  function focusNode(id, options) {
    options = options || {};
    if (!nodes.get(id)) { return false; }
    if (nodes.get(id).hidden) {
      resetFilters();
      say("The filters hid " + known[id].label + ": they are reset.");
    }
    network.selectNodes([id]);
    network.focus(id, {scale: Math.max(network.getScale(), 1.1), animation: {duration: 350}});
    if (options.panel !== false) { openPanel(id, options.moveFocus); }
    return true;
  }

  function score(node, wanted) {
    var best = null;
    [node.label].concat(node.names || []).forEach(function (name) {
      var folded = name.toLowerCase(), s = null;
      if (folded === wanted) { s = 0; }
      else if (folded.indexOf(wanted) === 0) { s = 1; }
      else if ((" " + folded).indexOf(" " + wanted) >= 0) { s = 2; }
      else if (folded.indexOf(wanted) >= 0) { s = 3; }
      if (s !== null && (best === null || s < best.score)) { best = {score: s, name: name}; }
    });
    return best;
  }
  function searchLocal(text) {
    var wanted = text.toLowerCase().split(/\s+/).filter(Boolean).join(" ");
    var found = [];
    Object.keys(known).forEach(function (id) {
      if (!nodes.get(id)) { return; }
      var s = score(known[id], wanted);
      if (s) { found.push({id: id, label: known[id].label, match: s.name, score: s.score, degree: known[id].degree || 0}); }
    });
    found.sort(function (a, b) {
      return a.score - b.score || b.degree - a.degree || a.label.localeCompare(b.label);
    });
    return found.slice(0, 12);
  }

  var searchInput = document.getElementById("search-input");
  var results = document.getElementById("search-results");
  function showMatches(matches, remote) {
    results.textContent = "";
    matches.forEach(function (match) {
      var item = element("li");
      var label = match.label + (match.match && match.match !== match.label ? " (" + match.match + ")" : "");
      if (remote) {
        var link = element("a", label);
        link.href = config.endpoints.page + "?" + new URLSearchParams({focus: match.id, depth: "1"}).toString();
        item.appendChild(link);
      } else {
        item.appendChild(nodeButton(match.id, label));
      }
      results.appendChild(item);
    });
  }
  document.getElementById("network-search").addEventListener("submit", function (event) {
    event.preventDefault();
    var text = searchInput.value.trim();
    if (!text) { results.textContent = ""; return; }
    var matches = searchLocal(text);
    showMatches(matches, false);
    if (matches.length) {
      focusNode(matches[0].id, {panel: true});
      say(matches.length === 1 ? "Found " + matches[0].label + "."
        : "Found " + matches.length + " matches; showing " + matches[0].label + ".");
    } else if (!standalone && data.reduced) {
      say("Searching the whole graph…");
      getJson(config.endpoints.search, {q: text}).then(function (answer) {
        showMatches(answer.matches, true);
        say(answer.matches.length ? answer.matches.length + " matches outside this view: open one to see its neighbourhood."
          : "No node is called “" + text + "”.");
      }).catch(function () { say("The search failed."); });
    } else {
      say("No node is called “" + text + "”.");
    }
  });

  /* -- clicks: the panel; double-clicks: neighbours ----------------------------------- */
  network.on("click", function (params) {
    if (params.nodes.length) { openPanel(params.nodes[0], false); }
  });
  network.on("doubleClick", function (params) {
    if (params.nodes.length) { expand(params.nodes[0]); }
  });

  function addAround(centre, newNodes, newEdges) {
    var origin = network.getPositions([centre])[centre] || {x: 0, y: 0};
    var fresh = newNodes.filter(function (n) { return !nodes.get(n.id); });
    var radius = 160 + fresh.length * 6;
    var drawn = fresh.map(function (node, i) {
      var angle = 2 * Math.PI * i / Math.max(fresh.length, 1);
      remember(node);
      node.x = origin.x + radius * Math.cos(angle);
      node.y = origin.y + radius * Math.sin(angle);
      return visNode(node);
    });
    nodes.add(drawn);
    var added = [];
    newEdges.forEach(function (e) {
      var id = rememberEdge(e);
      if (id) { added.push(visEdge(e, id)); }
    });
    edges.add(added);
    applyFilters(true);
    return fresh.length;
  }
  function expand(id) {
    var label = known[id].label;
    if (standalone || !config.endpoints) {
      var count = (touching[id] || []).length;
      say("All " + count + " links of " + label + " are already shown.");
      return;
    }
    say("Fetching the neighbours of " + label + "…");
    getJson(config.endpoints.neighbours, {iri: id}).then(function (answer) {
      answer.relations.forEach(function (r) { relationNames[r.iri] = relationNames[r.iri] || r.label; });
      var added = addAround(id, answer.nodes, answer.edges);
      say(added ? "Added " + added + " neighbour" + (added === 1 ? "" : "s") + " of " + label +
        (answer.truncated ? " (the most connected " + (answer.nodes.length - 1) + " of " + answer.total + ")" : "") + "."
        : "All neighbours of " + label + " are already shown.");
    }).catch(function (error) { say("The neighbours could not be fetched: " + error.message); });
  }

  /* -- first view --------------------------------------------------------------------- */
  if (data.focus && nodes.get(data.focus)) {
    network.selectNodes([data.focus]);
    openPanel(data.focus, false);
  }

  window.civgraphNetwork = {
    network: network, nodes: nodes, edges: edges,
    visibleIds: visibleIds,
    isReady: function () { return ready; },
    focusNode: focusNode
  };
})();
