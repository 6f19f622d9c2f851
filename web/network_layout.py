"""Node positions for the network explorer, computed once on the server.

A browser that lays out a graph itself (vis-network's physics) needs 16 s to settle 500
nodes and minutes for thousands. Here the layout is computed with networkx and numpy,
cached by the caller, and sent with the nodes, so the page draws at once with physics off.

Each connected component is laid out on its own and the components are then packed in
rows, largest first: a force layout of the whole graph would fling the many small
components (a report's lone event and its place) to the edges and squeeze the main one.

- small components: networkx's Fruchterman-Reingold (``spring_layout``), then a few
  steps of the short-range repulsion below to pull apart nodes crowded round a hub;
- large components (more than ``SPRING_LIMIT`` nodes), where that costs O(n²) a step:
  pivot MDS (Brandes and Pich) for the global shape, from breadth-first distances to
  50 pivots, then a few Fruchterman-Reingold steps in which nodes repel only neighbours
  within a short radius (found with a k-d tree), which spreads crowded nodes apart.
  Both are near linear in the size of the graph.
"""
from __future__ import annotations

import math

import networkx as nx
import numpy as np

#: components up to this size use networkx's spring layout
SPRING_LIMIT = 300
#: the distance between linked nodes the layout aims at, in screen pixels at zoom 1
SPACING = 90.0


def compute_layout(graph: nx.Graph, *, spacing: float = SPACING, seed: int = 7
                   ) -> dict[str, tuple[float, float]]:
    """Positions (x, y) of every node of an undirected graph, centred on (0, 0)."""
    if graph.number_of_nodes() == 0:
        return {}
    components = sorted((sorted(c) for c in nx.connected_components(graph)),
                        key=lambda c: (-len(c), c[0]))
    placed: list[tuple[list[str], np.ndarray]] = []
    for nodes in components:
        if len(nodes) <= 3:
            coords = _tiny(graph.subgraph(nodes), nodes, spacing)
        elif len(nodes) <= SPRING_LIMIT:
            coords = _spring(graph.subgraph(nodes), nodes, spacing, seed)
        else:
            coords = _large(graph.subgraph(nodes), nodes, spacing, seed)
        coords = coords - (coords.min(axis=0) + coords.max(axis=0)) / 2
        placed.append((nodes, coords))
    return _pack(placed, spacing)


def _tiny(sub: nx.Graph, nodes: list[str], spacing: float) -> np.ndarray:
    """One, two or three nodes: a point, a link, or a hub between two others."""
    if len(nodes) == 1:
        return np.zeros((1, 2))
    hub = max(nodes, key=lambda v: (sub.degree(v), v))
    others = [v for v in nodes if v != hub]
    spots = {hub: (0.0, 0.0)}
    for i, v in enumerate(others):
        spots[v] = (spacing * (1 if i == 0 else -1), 0.0)
    return np.array([spots[v] for v in nodes], dtype=float)


def _spring(sub: nx.Graph, nodes: list[str], spacing: float, seed: int) -> np.ndarray:
    n = len(nodes)
    pos = nx.spring_layout(sub, seed=seed, iterations=80, method="force")
    coords = np.array([pos[v] for v in nodes], dtype=float)
    coords = _to_spacing(sub, nodes, coords, spacing, n)
    return _refine(sub, nodes, coords, spacing, steps=20, heat=0.5) if n > 8 else coords


def _to_spacing(sub: nx.Graph, nodes: list[str], coords: np.ndarray, spacing: float,
                n: int) -> np.ndarray:
    """Scale so that the median link is ``spacing`` long (an area that grows with n)."""
    index = {v: i for i, v in enumerate(nodes)}
    edges = np.array([(index[u], index[v]) for u, v in sub.edges()], dtype=int)
    if len(edges):
        lengths = np.linalg.norm(coords[edges[:, 0]] - coords[edges[:, 1]], axis=1)
        median = float(np.median(lengths))
    else:
        median = 0.0
    if median <= 1e-9:
        extent = float(np.ptp(coords, axis=0).max()) or 1.0
        return coords / extent * spacing * math.sqrt(n)
    return coords / median * spacing


def _large(sub: nx.Graph, nodes: list[str], spacing: float, seed: int) -> np.ndarray:
    from scipy.sparse.csgraph import shortest_path

    rng = np.random.default_rng(seed)
    n = len(nodes)
    matrix = nx.to_scipy_sparse_array(sub, nodelist=nodes, format="csr", weight=None)
    degrees = np.asarray(matrix.sum(axis=1)).ravel()

    # pivot MDS: max-min pivots, breadth-first distances to them, classical scaling
    k = min(50, n)
    pivots = [int(np.argmax(degrees))]
    dist = np.empty((k, n))
    nearest = np.full(n, np.inf)
    for i in range(k):
        dist[i] = shortest_path(matrix, unweighted=True, directed=False, indices=pivots[i])
        nearest = np.minimum(nearest, dist[i])
        if i + 1 < k:
            pivots.append(int(np.argmax(nearest)))
    squared = dist.T ** 2
    centred = squared - squared.mean(axis=0) - squared.mean(axis=1)[:, None] + squared.mean()
    left, values, _ = np.linalg.svd(centred, full_matrices=False)
    coords = left[:, :2] * values[:2]
    # spread over an area of about ``spacing``² a node: crowded enough to read the
    # shape, loose enough for the short-range repulsion (``_refine``) to stay cheap
    rms = float(np.sqrt(((coords - coords.mean(axis=0)) ** 2).sum(axis=1).mean())) or 1.0
    coords = coords / rms * spacing * math.sqrt(n) * 0.5
    # nodes with the same distances (the leaves of one hub) start on one point: jitter
    coords += rng.normal(scale=spacing * 0.3, size=coords.shape)

    return _refine(sub, nodes, coords, spacing, steps=30, heat=1.5)


def _refine(sub: nx.Graph, nodes: list[str], coords: np.ndarray, spacing: float,
            steps: int, heat: float) -> np.ndarray:
    """Fruchterman-Reingold steps with repulsion cut off at a short radius.

    Cheap (a k-d tree finds the close pairs), so it also serves to pull apart the
    crowded nodes a spring layout leaves around hubs, whose labels would overlap.
    """
    from scipy.spatial import cKDTree

    n = len(nodes)
    index = {v: i for i, v in enumerate(nodes)}
    edges = np.array([(index[u], index[v]) for u, v in sub.edges()], dtype=int).reshape(-1, 2)
    radius = 2.0 * spacing
    coords = coords.copy()
    for step in range(steps):
        disp = np.zeros_like(coords)
        pairs = cKDTree(coords).query_pairs(radius, output_type="ndarray")
        if len(pairs):
            delta = coords[pairs[:, 0]] - coords[pairs[:, 1]]
            d = np.maximum(np.linalg.norm(delta, axis=1), 1e-3)
            # the usual k²/d, faded out towards the cut-off radius
            push = (spacing * spacing / d * (1 - (d / radius) ** 2))[:, None] * delta / d[:, None]
            _accumulate(disp, pairs[:, 0], push, n)
            _accumulate(disp, pairs[:, 1], -push, n)
        if len(edges):
            delta = coords[edges[:, 0]] - coords[edges[:, 1]]
            pull = (np.linalg.norm(delta, axis=1) / spacing)[:, None] * delta
            _accumulate(disp, edges[:, 0], -pull, n)
            _accumulate(disp, edges[:, 1], pull, n)
        temperature = spacing * heat * (1 - step / steps) + spacing * 0.05
        length = np.maximum(np.linalg.norm(disp, axis=1), 1e-9)
        coords += disp / length[:, None] * np.minimum(length, temperature)[:, None]
    return coords


def _accumulate(target: np.ndarray, index: np.ndarray, values: np.ndarray, n: int) -> None:
    target[:, 0] += np.bincount(index, weights=values[:, 0], minlength=n)
    target[:, 1] += np.bincount(index, weights=values[:, 1], minlength=n)


def _pack(placed: list[tuple[list[str], np.ndarray]], spacing: float
          ) -> dict[str, tuple[float, float]]:
    """Shelf-pack the components (largest first) into a roughly square block."""
    sizes = [np.ptp(c, axis=0) + spacing * (0.7 if len(c) == 1 else 1.2) for _, c in placed]
    area = sum(float(w * h) for w, h in sizes)
    row_width = max(math.sqrt(area) * 1.3, float(sizes[0][0]))
    x = y = row_height = 0.0
    out: dict[str, tuple[float, float]] = {}
    offsets = []
    for (w, h) in sizes:
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        offsets.append((x + w / 2, y + h / 2))
        x += w
        row_height = max(row_height, float(h))
    all_x = [ox for ox, _ in offsets]
    all_y = [oy for _, oy in offsets]
    centre = ((min(all_x) + max(all_x)) / 2, (min(all_y) + max(all_y)) / 2)
    for (nodes, coords), (ox, oy) in zip(placed, offsets):
        for v, (px, py) in zip(nodes, coords):
            out[v] = (round(float(px + ox - centre[0]), 1), round(float(py + oy - centre[1]), 1))
    return out
