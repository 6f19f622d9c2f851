"""Every IRI civgraph mints answers: ``/id/…`` pages for people, RDF for programs.

The IRI of a request is the configured base plus the path after ``/id/``, not the
address the request came to, so a deployment behind a proxy or at another host still
describes the IRIs its data uses. Reports get a page of their own (their text with the
mentions marked, and the facts drawn from them); a report's named graph redirects to
it, or gives its triples to an RDF client.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request
from rdflib import Graph, Literal, URIRef

from civgraph import ontology
from civgraph.graph.namespaces import CG, ORG, SDO
from civgraph.graph.resource import describe, description, group
from civgraph.graph.reports import report_view

from .app import current_store
from .negotiate import rdf_response, split_suffix, wanted

bp = Blueprint("entity", __name__)

ID_PREFIX = "id/"


def base() -> str:
    return current_app.config["CIVGRAPH_BASE"]


@bp.app_template_filter("href")
def href(term) -> str | None:
    """Where a link to ``term`` goes: its page on this app when the IRI is ours, the
    ontology's documentation for civgraph terms, else the IRI itself."""
    if not isinstance(term, URIRef):
        return None
    iri = str(term)
    if iri.startswith(base()):
        return request.script_root + "/" + ID_PREFIX + iri[len(base()):]
    if iri.startswith(ontology.NS):
        return request.script_root + "/ontology#" + iri[len(ontology.NS):]
    if iri.startswith(("http://", "https://")):
        return iri
    return None


@bp.app_template_filter("term")
def term_text(term) -> str:
    """A value as a reader sees it: the lexical form of a literal, else the IRI."""
    return str(term)


@bp.app_context_processor
def labels():
    """Names from the model for the templates. Keys are plain strings: an rdflib
    term never equals a str, so lookups go through these functions."""
    props, classes = ontology.property_labels(), ontology.class_labels()
    legend = {e["iri"]: e for e in ontology.legend()}
    return {
        "prop_label": lambda p: props.get(str(p), (_local(p), ""))[0],
        "prop_inverse": lambda p: props.get(str(p), ("", f"{_local(p)} of"))[1],
        "class_label": lambda c: classes.get(str(c), _local(c)),
        "legend_entry": lambda c: legend.get(str(c)),
    }


def _local(iri) -> str:
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


@bp.get("/id/<path:rest>")
def resource(rest: str):
    path, suffix_format = split_suffix(rest)
    fmt = suffix_format or wanted()
    iri = base() + path
    store = current_store()
    if path.startswith("graph/report/"):
        return _report_graph(iri, fmt)
    if fmt is not None:
        graph = description(store, iri)
        if not len(graph):
            return rdf_response(graph, fmt, status=404)
        return rdf_response(graph, fmt)
    if path.startswith("report/"):
        view = report_view(store, iri)
        if view is not None:
            response = current_app.make_response(render_template(
                "report.html", title=view.title, report=view, formats=_formats(path)))
            response.vary.add("Accept")
            return response
    found = describe(store, iri)
    if found is None:
        response = current_app.make_response((render_template(
            "error.html", title="Not found",
            message="The graph holds nothing about this IRI."), 404))
        response.vary.add("Accept")
        return response
    ego = _ego(store, found)
    outgoing = group(found.outgoing)
    incoming = group([l for l in found.incoming if l.predicate != SDO.mentions])
    is_org = URIRef(str(ORG.Organization)) in found.classes or CG.Forum in found.classes
    response = current_app.make_response(render_template(
        "entity.html", title=found.label, r=found, outgoing=outgoing, incoming=incoming,
        formats=_formats(path), is_org=is_org, main_class=_main_class(found.classes),
        ego=ego))
    response.vary.add("Accept")
    return response


EGO_SIZE = 24
CLASSES = "SELECT ?x ?type WHERE { VALUES ?x { %s } ?x a ?type }"


def _ego(store, found) -> dict | None:
    """A small picture of the resource and its neighbours: the resource in the middle,
    the resources it is linked to on a circle around it, coloured by class. Drawn on
    the server as SVG, so it needs no script and reads in any browser."""
    import math

    from civgraph.graph.terms import nt

    seen: dict[URIRef, dict] = {}
    for link in found.outgoing + found.incoming:
        other = link.other
        if (not isinstance(other, URIRef) or other == found.iri or other in seen
                or link.predicate == SDO.mentions or not str(other).startswith(base())):
            continue
        seen[other] = {"iri": other, "label": link.other_label or _local(other),
                       "relation": (ontology.property_labels().get(str(link.predicate), ("", ""))
                                    [1 if link.incoming else 0])}
        if len(seen) == EGO_SIZE:
            break
    if not seen:
        return None
    legend = {e["iri"]: e for e in ontology.legend()}
    colours: dict[URIRef, tuple[int, str]] = {}
    rows = store.query(CLASSES % " ".join(nt(x) for x in seen)).rows
    for x, cls in rows:
        entry = legend.get(str(cls))
        if entry and (x not in colours or entry["order"] > colours[x][0]):
            colours[x] = (entry["order"], entry["colour"])
    nodes = list(seen.values())
    radius = 150 if len(nodes) > 8 else 110
    for i, node in enumerate(nodes):
        angle = 2 * math.pi * i / len(nodes) - math.pi / 2
        node["x"], node["y"] = round(radius * math.cos(angle), 1), round(radius * math.sin(angle), 1)
        node["colour"] = colours.get(node["iri"], (0, "#7f7f7f"))[1]
        node["anchor"] = "start" if node["x"] > 5 else "end" if node["x"] < -5 else "middle"
        node["short"] = node["label"] if len(node["label"]) <= 30 else node["label"][:29] + "…"
    centre = _main_class(found.classes)
    return {"nodes": nodes, "radius": radius,
            "colour": centre["colour"] if centre else "#7f7f7f"}


def _report_graph(iri: str, fmt):
    """A report's named graph: its triples for RDF clients, its report for people."""
    store = current_store()
    rows = store.query("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": URIRef(iri)}).rows
    if fmt is None:
        if not rows:
            abort(404)
        report = store.query("SELECT ?r WHERE { ?g <http://www.w3.org/ns/prov#wasDerivedFrom> ?r }",
                             {"g": URIRef(iri)}).scalar()
        target = href(report) if isinstance(report, URIRef) else None
        if target is None:
            abort(404)
        return redirect(target, 303)
    graph = Graph()
    for s, p, o in rows:
        graph.add((s, p, o))
    return rdf_response(graph, fmt, status=200 if rows else 404)


def _formats(path: str) -> list[tuple[str, str]]:
    """Links to the same description in each RDF format, for people who click."""
    stem = request.script_root + "/" + ID_PREFIX + path
    return [("Turtle", stem + ".ttl"), ("JSON-LD", stem + ".jsonld"),
            ("N-Triples", stem + ".nt"), ("RDF/XML", stem + ".rdf")]


def _main_class(classes: list[URIRef]) -> dict | None:
    """The most specific class with a legend entry (a forum before an organisation)."""
    legend = {e["iri"]: e for e in ontology.legend()}
    entries = [legend[str(c)] for c in classes if str(c) in legend]
    if not entries:
        return None
    return max(entries, key=lambda e: e["order"] if e["iri"] != str(ORG.Organization) else -1)


def is_literal(value) -> bool:
    return isinstance(value, Literal)


bp.add_app_template_test(is_literal, "literal")
