"""The home page: what the graph holds, at a glance."""
from __future__ import annotations

from flask import Blueprint, render_template

from civgraph import ontology
from civgraph.graph.describe import stats

from .app import current_store

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    s = stats(current_store())
    legend = {entry["iri"]: entry for entry in ontology.legend()}
    counts = dict(s.classes)
    rows = [dict(entry, count=counts.get(iri, 0)) for iri, entry in legend.items()]
    return render_template("home.html", stats=s, rows=rows,
                           reports=sum(1 for g in s.graphs if "/graph/report/" in g))
