"""The dataset's own description, ``/dataset``: VoID and DCAT, for people and for crawlers.

What it says of the graph (triples, resources per class, triples per property, named
graphs, the latest extraction) comes from aggregate SPARQL queries over the store. Those
scan the whole graph, so their answers are cached until the store changes: the embedded
store counts its writes in ``generation``; for other stores the figures live for
``TTL`` seconds. Everything else (links, licence, publisher) is read per request, so a
change of settings or of the address the app is reached at shows at once.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from flask import (Blueprint, current_app, make_response, redirect, render_template,
                   request, url_for)
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS

from civgraph import ontology
from civgraph.graph import Store
from civgraph.graph.config import graph_iri, ontology_graph
from civgraph.graph.describe import CLASS_COUNTS
from civgraph.graph.formats import FORMATS
from civgraph.graph.terms import nt

from .app import current_store
from .negotiate import PAGE_FORMATS, rdf_response, suffix_format, vary, wanted
from .vocabulary import NAMES, anchors, qname, safe_colour

bp = Blueprint("dataset", __name__)

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
IANA = "https://www.iana.org/assignments/media-types/"

#: How long figures are kept for a store that cannot tell when it changed (seconds).
TTL = 60.0
#: The dumps the export endpoint offers, in the order the page lists them.
DUMPS = ("turtle", "trig", "nquads", "jsonld")
DUMP_NOTES = {"turtle": "the union of the graphs",
              "trig": "every named graph: one per report, the ontology, the authority list",
              "nquads": "every named graph, one quad a line",
              "jsonld": "every named graph, under the civgraph JSON-LD context"}
EXAMPLES = 3
DEFAULT_TITLE = "civgraph"
DEFAULT_DESCRIPTION = (
    "A knowledge graph of the civil-society network around Iraqi peace forums and social "
    "forums: the forums, their partners, funders, projects and events, drawn from the "
    "reports they publish, every fact linked to the sentence it came from.")
KEYWORDS = ("Iraq", "peace forums", "social forums", "civil society", "linked data")

PROPERTY_COUNTS = """
SELECT ?p (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }
GROUP BY ?p
"""
GRAPH_COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
ENTITIES = """
SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {
  ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), %s))
}
"""
MODIFIED = """
SELECT (MAX(?t) AS ?m) WHERE { ?g a cg:ReportGraph ; prov:generatedAtTime ?t }
"""
FORUMS = """
SELECT ?forum (MIN(STR(?label)) AS ?name) WHERE {
  ?forum a cg:Forum OPTIONAL { ?forum rdfs:label ?label }
} GROUP BY ?forum ORDER BY ?name ?forum LIMIT %d
"""


@dataclass(frozen=True)
class Figures:
    """What the store holds, as counted by the aggregate queries."""

    quads: int
    triples: int
    entities: int
    classes: dict[str, int]
    properties: dict[str, int]
    graphs: dict[str, int]
    modified: Literal | None
    examples: list[tuple[str, str]]


def count(store: Store, base: str) -> Figures:
    """Count everything the description reports: a few full scans of the graph.

    ``void:triples`` counts distinct triples (the union of the graphs, as the SPARQL
    endpoint sees it); the quads are reported beside them. The base IRI goes into the
    entity count's filter through the store's term serializer, which escapes it: a
    VALUES binding cannot reach a FILTER under an aggregate.
    """
    properties = {str(p): int(n) for p, n in store.query(PROPERTY_COUNTS).rows
                  if isinstance(p, URIRef)}
    classes = {str(c): int(n) for c, n in store.query(CLASS_COUNTS).rows
               if isinstance(c, URIRef)}  # a class may be a blank node in loaded data
    graphs = {str(g): int(n) for g, n in store.query(GRAPH_COUNTS).rows if isinstance(g, URIRef)}
    for name in store.named_graphs():
        graphs.setdefault(name, 0)
    entities = store.query(ENTITIES % nt(Literal(base))).scalar()
    modified = store.query(MODIFIED, prefixes=True).scalar()
    examples = [(str(f), str(n) if n is not None else "")
                for f, n in store.query(FORUMS % EXAMPLES, prefixes=True).rows
                if isinstance(f, URIRef)]
    return Figures(
        quads=store.quad_count(), triples=sum(properties.values()),
        entities=int(entities or 0), classes=classes, properties=properties, graphs=graphs,
        modified=modified if isinstance(modified, Literal) else None, examples=examples)


class FigureCache:
    """The last figures counted, and the state of the store they were counted in.

    One lock: when many requests arrive together after a write, one of them counts and
    the others wait for its answer instead of scanning the graph too.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple | None = None
        self._figures: Figures | None = None
        self._counted_at = 0.0

    def get(self, store: Store, base: str) -> Figures:
        with self._lock:
            key = (id(store), base, _generation(store))
            fresh = (self._figures is not None and self._key == key
                     and (key[2] is not None or clock() - self._counted_at < TTL))
            if not fresh:
                self._figures = count(store, base)
                self._key = key
                self._counted_at = clock()
            return self._figures


def clock() -> float:
    """Seconds on a clock that only goes forward; a function so tests can move it."""
    return time.monotonic()


def _generation(store: Store) -> int | None:
    """The store's write counter, if it keeps one (the embedded store does)."""
    generation = getattr(store, "generation", None)
    return generation if isinstance(generation, int) else None


@bp.record_once
def _setup(state) -> None:
    state.app.extensions.setdefault("civgraph.dataset_figures", FigureCache())


def figures() -> Figures:
    return current_app.extensions["civgraph.dataset_figures"].get(
        current_store(), current_app.config["CIVGRAPH_BASE"])


# -- the description ---------------------------------------------------------------------

@dataclass(frozen=True)
class Links:
    """Where things are, as absolute IRIs under the address the app is reached at."""

    root: str

    @property
    def page(self) -> URIRef:
        return URIRef(self.root + "dataset")

    @property
    def dataset(self) -> URIRef:
        return URIRef(self.root + "dataset#dataset")

    @property
    def sparql(self) -> URIRef:
        return URIRef(self.root + "sparql")

    @property
    def service(self) -> URIRef:
        return URIRef(self.root + "dataset#sparql")

    @property
    def reports(self) -> URIRef:
        return URIRef(self.root + "dataset#reports")

    def dump(self, name: str) -> URIRef:
        return URIRef(self.root + "export?" + urlencode({"format": name}))

    def distribution(self, name: str) -> URIRef:
        return URIRef(self.root + "dataset#dump-" + name)


def vocabulary_iri(namespace: str) -> str:
    """The IRI of a vocabulary from its namespace: a hash namespace without its hash."""
    return namespace[:-1] if namespace.endswith("#") else namespace


def vocabularies(fig: Figures) -> list[tuple[str, str]]:
    """(prefix or '', vocabulary IRI) of every vocabulary whose terms the data uses."""
    terms = [*fig.properties, *fig.classes]
    found: dict[str, str] = {}
    for term in terms:
        for prefix, namespace in NAMES.items():
            if term.startswith(namespace):
                found.setdefault(vocabulary_iri(namespace), prefix)
                break
        else:
            cut = max(term.rfind("#"), term.rfind("/"))
            if cut > len("https://"):
                found.setdefault(vocabulary_iri(term[:cut + 1]), "")
    return sorted(((p, iri) for iri, p in found.items()), key=lambda v: (v[0] == "", v[0], v[1]))


def settings() -> dict:
    """The deployment's title, description, licence and publisher."""
    config = current_app.config
    return {
        "title": config.get("CIVGRAPH_TITLE") or DEFAULT_TITLE,
        "description": config.get("CIVGRAPH_DESCRIPTION") or DEFAULT_DESCRIPTION,
        "license": config.get("CIVGRAPH_LICENSE") or None,
        "publisher": config.get("CIVGRAPH_PUBLISHER") or None,
    }


def _is_iri(value: str) -> bool:
    return value.startswith(("http://", "https://", "urn:", "mailto:"))


def describe(fig: Figures, links: Links, config: dict, base: str) -> Graph:
    """The VoID and DCAT description of the dataset as an RDF graph."""
    g = Graph()
    for prefix, namespace in (("void", VOID), ("dcat", DCAT), ("sd", SD), ("foaf", FOAF)):
        g.bind(prefix, namespace)
    ds = links.dataset
    g.add((links.page, RDF.type, VOID.DatasetDescription))
    g.add((links.page, DCTERMS.title, Literal(f"A description of the dataset {config['title']}", lang="en")))
    g.add((links.page, FOAF.primaryTopic, ds))

    for cls in (VOID.Dataset, DCAT.Dataset, SD.Dataset):
        g.add((ds, RDF.type, cls))
    g.add((ds, DCTERMS.title, Literal(config["title"], lang="en")))
    g.add((ds, DCTERMS.description, Literal(config["description"], lang="en")))
    for word in KEYWORDS:
        g.add((ds, DCAT.keyword, Literal(word, lang="en")))
    if config["license"]:
        g.add((ds, DCTERMS.license, URIRef(config["license"])))
    if config["publisher"]:
        publisher = config["publisher"]
        if _is_iri(publisher):
            g.add((ds, DCTERMS.publisher, URIRef(publisher)))
        else:
            agent = BNode()
            g.add((ds, DCTERMS.publisher, agent))
            g.add((agent, RDF.type, FOAF.Agent))
            g.add((agent, FOAF.name, Literal(publisher)))
    if fig.modified is not None:
        g.add((ds, DCTERMS.modified, fig.modified))
    g.add((ds, DCTERMS.conformsTo, URIRef(ontology.ONTOLOGY_IRI)))
    g.add((ds, DCAT.landingPage, URIRef(links.root)))
    g.add((ds, FOAF.homepage, URIRef(links.root)))

    g.add((ds, VOID.triples, Literal(fig.triples)))
    g.add((ds, VOID.entities, Literal(fig.entities)))
    g.add((ds, VOID.classes, Literal(len(fig.classes))))
    g.add((ds, VOID.properties, Literal(len(fig.properties))))
    g.add((ds, VOID.uriSpace, Literal(base)))
    g.add((ds, VOID.sparqlEndpoint, links.sparql))
    for _, iri in vocabularies(fig):
        g.add((ds, VOID.vocabulary, URIRef(iri)))
    for forum, _ in fig.examples:
        g.add((ds, VOID.exampleResource, URIRef(forum)))

    for cls, n in class_rows(fig):
        part = BNode()
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(cls)))
        g.add((part, VOID.entities, Literal(n)))
    for prop, n in sorted(fig.properties.items()):
        part = BNode()
        g.add((ds, VOID.propertyPartition, part))
        g.add((part, VOID.property, URIRef(prop)))
        g.add((part, VOID.triples, Literal(n)))

    reports, others = split_graphs(fig, base)
    for name, n in others:
        named, graph = BNode(), BNode()
        g.add((ds, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, URIRef(name)))
        g.add((named, SD.graph, graph))
        g.add((graph, RDF.type, SD.Graph))
        g.add((graph, VOID.triples, Literal(n)))
    # The report graphs, one per report, could be thousands: one subset stands for them
    # all, and each graph's own description is in the data (cg:ReportGraph).
    subset = links.reports
    g.add((ds, VOID.subset, subset))
    g.add((subset, RDF.type, VOID.Dataset))
    g.add((subset, DCTERMS.title, Literal("The report graphs", lang="en")))
    g.add((subset, DCTERMS.description, Literal(
        f"One named graph per report, named under {graph_iri(base, 'report')}/; "
        "void:documents is the number of report graphs.", lang="en")))
    g.add((subset, VOID.documents, Literal(len(reports))))
    g.add((subset, VOID.triples, Literal(sum(n for _, n in reports))))

    for name in DUMPS:
        fmt = FORMATS[name]
        dist = links.distribution(name)
        g.add((ds, VOID.dataDump, links.dump(name)))
        g.add((ds, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCTERMS.title, Literal(f"{_FORMAT_NAMES[name]} dump", lang="en")))
        g.add((dist, DCTERMS.description, Literal(DUMP_NOTES[name], lang="en")))
        g.add((dist, DCAT.downloadURL, links.dump(name)))
        g.add((dist, DCAT.accessURL, links.dump(name)))
        g.add((dist, DCAT.mediaType, URIRef(IANA + fmt.media_type)))
        if config["license"]:
            g.add((dist, DCTERMS.license, URIRef(config["license"])))

    service = links.service
    dist = links.distribution("sparql")
    g.add((ds, DCAT.distribution, dist))
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCTERMS.title, Literal("SPARQL endpoint", lang="en")))
    g.add((dist, DCAT.accessURL, links.sparql))
    g.add((dist, DCAT.accessService, service))
    g.add((service, RDF.type, DCAT.DataService))
    g.add((service, DCTERMS.title, Literal("civgraph SPARQL endpoint", lang="en")))
    g.add((service, DCAT.endpointURL, links.sparql))
    g.add((service, DCAT.endpointDescription, links.sparql))
    g.add((service, DCAT.servesDataset, ds))
    g.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    return g


_FORMAT_NAMES = {"turtle": "Turtle", "trig": "TriG", "nquads": "N-Quads", "jsonld": "JSON-LD"}


def split_graphs(fig: Figures, base: str) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """(report graphs, other graphs), each as sorted (graph IRI, quads)."""
    prefix = graph_iri(base, "report") + "/"
    graphs = sorted(fig.graphs.items())
    return ([(g, n) for g, n in graphs if g.startswith(prefix)],
            [(g, n) for g, n in graphs if not g.startswith(prefix)])


def class_rows(fig: Figures) -> list[tuple[str, int]]:
    """Every class with instances, the legend's kinds first (always, even at zero),
    so the description has a partition for each main kind of resource."""
    legend = [entry["iri"] for entry in ontology.legend()]
    rows = [(iri, fig.classes.get(iri, 0)) for iri in legend]
    rows += sorted(((c, n) for c, n in fig.classes.items() if c not in legend),
                   key=lambda row: (-row[1], row[0]))
    return rows


# -- pages -------------------------------------------------------------------------------

def _respond(fmt):
    fig = figures()
    links = Links(request.url_root)
    config = settings()
    base = current_app.config["CIVGRAPH_BASE"]
    if fmt is not None:
        return rdf_response(describe(fig, links, config, base), fmt)
    response = make_response(render_template("dataset.html", **_page(fig, links, config, base)))
    response.headers["Link"] = ", ".join(
        f'<{url_for("dataset.description_file", ext=ext)}>; rel="alternate"; type="{f.media_type}"'
        for ext, f in PAGE_FORMATS.items())
    return vary(response)


def _page(fig: Figures, links: Links, config: dict, base: str) -> dict:
    """What the HTML page shows, as plain values for the template."""
    terms = anchors(ontology.load_ontology())
    labels = ontology.class_labels()
    legend = {entry["iri"]: entry for entry in ontology.legend()}
    props = {str(p): str(label) for p, label in ontology.load_ontology().subject_objects(RDFS.label)
             if getattr(label, "language", None) in ("en", None)}

    def term(iri: str, label: str | None) -> dict:
        anchor = terms.get(iri)
        return {"iri": iri, "name": qname(iri), "label": label or qname(iri),
                "href": url_for("vocabulary.ontology_page") + "#" + anchor if anchor else None}

    main, other = [], []
    for cls, n in class_rows(fig):
        row = term(cls, labels.get(cls)) | {"count": n}
        if cls in legend:
            row["colour"] = safe_colour(legend[cls]["colour"])
            main.append(row)
        else:
            other.append(row)
    properties = sorted((term(p, props.get(p)) | {"count": n} for p, n in fig.properties.items()),
                        key=lambda row: (-row["count"], row["name"]))
    reports, graphs = split_graphs(fig, base)
    others = []
    for g, n in graphs:
        kind = ("the ontology" if g == ontology_graph() else
                "the authority list" if g == graph_iri(base, "authority") else
                "loaded with civgraph load" if g.startswith(graph_iri(base, "load") + "/") else "")
        others.append({"iri": g, "count": n, "kind": kind})
    return {
        "fig": fig, "config": config, "base": base,
        "main_classes": main, "other_classes": other, "properties": properties,
        "reports": len(reports), "report_triples": sum(n for _, n in reports),
        "other_graphs": others,
        "vocabularies": vocabularies(fig),
        "sparql": str(links.sparql),
        "dumps": [{"name": name, "title": _FORMAT_NAMES[name], "note": DUMP_NOTES[name],
                   "media_type": FORMATS[name].media_type, "href": str(links.dump(name))}
                  for name in DUMPS],
        "formats": list(PAGE_FORMATS.items()),
        "licence_is_iri": bool(config["license"]) and _is_iri(config["license"]),
        "publisher_is_iri": bool(config["publisher"]) and _is_iri(config["publisher"]),
    }


@bp.get("/dataset")
def description():
    return _respond(wanted())


@bp.get("/dataset.<ext>")
def description_file(ext: str):
    fmt = suffix_format(ext)
    return _respond(fmt)


@bp.get("/.well-known/void")
def well_known():
    """RFC 8615 well-known address of the VoID description (VoID §7): a 303 to it, so
    the description has one address; clients keep their ``Accept`` across it."""
    response = redirect(url_for("dataset.description"), code=303)
    return vary(response)
