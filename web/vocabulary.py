"""The ontology as a page: ``/ontology`` documents every term of ``ontology/civgraph.ttl``.

The page is generated from the ontology and its SHACL shapes at request time, so it can
never drift from the model. Each term has a section whose ``id`` is its local name
(``#Forum``, ``#participantCount``): deployed behind ``https://w3id.org/civgraph/ontology``,
the term IRIs themselves open their section. Programs get the ontology in Turtle,
JSON-LD, N-Triples or RDF/XML by ``Accept`` or suffix (``/ontology.ttl``), and the
JSON-LD context at ``/ontology/context.jsonld``.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from flask import Blueprint, Response, make_response, render_template, url_for
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH
from rdflib.term import Node

from civgraph import ontology
from civgraph.graph.formats import FORMATS, RdfFormat
from civgraph.graph.namespaces import PREFIXES

from .negotiate import PAGE_FORMATS, rdf_response, suffix_format, vary, wanted

bp = Blueprint("vocabulary", __name__)

#: Where the vocabularies that civgraph reuses are documented, by prefix.
VOCABULARIES: dict[str, tuple[str, str]] = {
    "org": ("W3C Organization Ontology", "https://www.w3.org/TR/vocab-org/"),
    "schema": ("schema.org", "https://schema.org/docs/schemas.html"),
    "skos": ("SKOS", "https://www.w3.org/TR/skos-reference/"),
    "prov": ("PROV-O", "https://www.w3.org/TR/prov-o/"),
    "dcterms": ("DCMI Metadata Terms",
                "https://www.dublincore.org/specifications/dublin-core/dcmi-terms/"),
    "foaf": ("FOAF", "http://xmlns.com/foaf/spec/"),
    "rdf": ("RDF", "https://www.w3.org/TR/rdf11-concepts/"),
    "rdfs": ("RDF Schema", "https://www.w3.org/TR/rdf-schema/"),
    "owl": ("OWL 2", "https://www.w3.org/TR/owl2-overview/"),
    "xsd": ("XML Schema datatypes", "https://www.w3.org/TR/xmlschema11-2/"),
}

#: Prefixes for compact names on pages: civgraph's own, and those of the descriptions.
NAMES: dict[str, str] = PREFIXES | {
    "vann": "http://purl.org/vocab/vann/",
    "sh": str(SH),
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
}

#: The kinds of term, in the order the page lists them.
KINDS: list[tuple[URIRef, str, str]] = [
    (OWL.Class, "class", "classes"),
    (RDFS.Class, "class", "classes"),
    (OWL.ObjectProperty, "object property", "properties"),
    (OWL.DatatypeProperty, "datatype property", "properties"),
    (RDF.Property, "property", "properties"),
    (OWL.AnnotationProperty, "annotation property", "annotations"),
    (RDFS.Datatype, "datatype", "datatypes"),
]
#: ``id``s of the page's own sections; no term may take one.
SECTION_IDS = ("section-classes", "section-properties", "section-annotations",
               "section-datatypes", "section-vocabularies")

_INVERSE_LABEL = URIRef(ontology.NS + "inverseLabel")
_SLUG = URIRef(ontology.NS + "slug")
_COLOUR = re.compile(r"#[0-9A-Fa-f]{3,8}")


def qname(iri: str) -> str:
    """``cg:Forum`` for a term in a known namespace, else the IRI itself."""
    for prefix, namespace in NAMES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            local = iri[len(namespace):]
            if re.fullmatch(r"[A-Za-z_][\w.-]*", local):
                return f"{prefix}:{local}"
    return iri


def local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def safe_colour(value: str | None) -> str | None:
    """A legend colour fit for a ``style`` attribute, or None: autoescaping keeps a
    value inside its attribute, but only a check keeps it a colour."""
    return value if value and _COLOUR.fullmatch(value) else None


@dataclass(frozen=True)
class Ref:
    """A link to a term: to its section on this page, or out to its own IRI."""

    iri: str
    text: str
    name: str
    href: str
    local: bool


@dataclass
class Constraint:
    """One SHACL rule in words: the property it is about and the shape's message."""

    path: Ref | None
    message: str
    classes: list[Ref] = field(default_factory=list)


@dataclass
class Term:
    """Everything the page says about one class, property or datatype."""

    iri: str
    anchor: str
    qname: str
    label: str
    comment: str
    kind: str
    group: str
    own: bool
    superclasses: list[Ref] = field(default_factory=list)
    subclasses: list[Ref] = field(default_factory=list)
    equivalents: list[Ref] = field(default_factory=list)
    disjoint: list[Ref] = field(default_factory=list)
    domain: list[Ref] = field(default_factory=list)
    range: list[Ref] = field(default_factory=list)
    inverse_label: str | None = None
    slug: str | None = None
    legend: dict | None = None
    inherited_legend: Ref | None = None
    constraints: list[Constraint] = field(default_factory=list)
    inherited_constraints: list[Ref] = field(default_factory=list)
    checks: list[Constraint] = field(default_factory=list)
    depth: int = 0


@dataclass
class Vocabulary:
    """A vocabulary that civgraph reuses, with the terms of it that the data uses."""

    prefix: str
    namespace: str
    name: str
    documentation: str
    terms: list[Ref]


@dataclass
class Document:
    """The whole page: the ontology's own description, its terms and the vocabularies."""

    iri: str
    title: str
    description: str
    version: str | None
    licence: str | None
    creator: str | None
    prefix: str | None
    namespace: str | None
    groups: dict[str, list[Term]]
    vocabularies: list[Vocabulary]


def _text(graph: Graph, node: Node, predicate: URIRef) -> str:
    """The English (or untagged) value of an annotation, else any value, else ''."""
    fallback = ""
    for value in graph.objects(node, predicate):
        if isinstance(value, Literal) and value.language in ("en", None):
            return str(value)
        fallback = fallback or str(value)
    return fallback


def term_kinds(graph: Graph) -> dict[URIRef, tuple[str, str]]:
    """Every named term the ontology declares, with its kind and the page group."""
    found: dict[URIRef, tuple[str, str]] = {}
    for kind, name, group in KINDS:
        for term in graph.subjects(RDF.type, kind):
            if isinstance(term, URIRef) and term not in found and str(term) != ontology.ONTOLOGY_IRI:
                found[term] = (name, group)
    return found


def anchors(graph: Graph) -> dict[str, str]:
    """The section ``id`` of every term: its local name, so that a civgraph term IRI
    (``…/ontology#Forum``) opens its section. A reused term whose local name another
    term shares (``foaf:Agent``, ``prov:Agent``) gets ``prefix-local`` instead."""
    styled = {entry["iri"] for entry in ontology.legend()}

    def rank(term: URIRef) -> int:
        """Who keeps a shared local name: a civgraph term, else a kind of the legend."""
        return 0 if str(term).startswith(ontology.NS) else 1 if str(term) in styled else 2

    sharing: dict[str, list[URIRef]] = defaultdict(list)
    for term in term_kinds(graph):
        sharing[local_name(term)].append(term)
    found = {}
    for local, terms in sharing.items():
        best = min(rank(t) for t in terms)
        keeper = [t for t in terms if rank(t) == best]
        for term in terms:
            if len(terms) == 1 or (len(keeper) == 1 and term == keeper[0]):
                found[str(term)] = local
            else:
                found[str(term)] = qname(str(term)).replace(":", "-")
            if found[str(term)] in SECTION_IDS:
                found[str(term)] = "term-" + found[str(term)]
    return found


def document(graph: Graph, shapes: Graph) -> Document:
    """The page's content, read from the ontology and shapes graphs."""
    kinds = term_kinds(graph)
    ids = anchors(graph)

    def label(node: Node) -> str:
        return _text(graph, node, RDFS.label) or qname(str(node))

    def ref(node: Node) -> Ref:
        iri = str(node)
        if iri in ids:
            return Ref(iri, label(node), qname(iri), "#" + ids[iri], True)
        return Ref(iri, qname(iri), qname(iri), iri, False)

    def members(node: Node | None) -> list[Ref]:
        """A class, or the classes of an ``owl:unionOf``, as links."""
        if node is None:
            return []
        if isinstance(node, BNode):
            union = graph.value(node, OWL.unionOf)
            if union is not None:
                return [ref(m) for m in Collection(graph, union)]
            return []
        return [ref(node)]

    legend = {entry["iri"]: entry for entry in ontology.legend()}
    disjoint = _disjoint(graph)
    constraints, checks = _constraints(shapes, ref)

    terms: dict[str, Term] = {}
    for node, (kind, group) in kinds.items():
        iri = str(node)
        term = Term(
            iri=iri, anchor=ids[iri], qname=qname(iri), label=label(node),
            comment=_text(graph, node, RDFS.comment), kind=kind, group=group,
            own=iri.startswith(ontology.NS),
            superclasses=[ref(o) for o in sorted(o for o in graph.objects(node, RDFS.subClassOf)
                                                  if isinstance(o, URIRef))],
            subclasses=sorted((ref(s) for s in graph.subjects(RDFS.subClassOf, node)
                               if isinstance(s, URIRef)), key=lambda r: r.text.lower()),
            equivalents=[ref(o) for o in sorted(
                o for o in {*graph.objects(node, OWL.equivalentClass),
                            *graph.subjects(OWL.equivalentClass, node)}
                if isinstance(o, URIRef))],
            disjoint=[ref(o) for o in sorted(disjoint.get(node, ()))],
            inverse_label=_text(graph, node, _INVERSE_LABEL) or None,
            slug=_text(graph, node, _SLUG) or None,
            constraints=constraints.get(iri, []),
            checks=checks.get(iri, []),
        )
        term.domain = [r for d in graph.objects(node, RDFS.domain) for r in members(d)]
        term.range = [r for d in graph.objects(node, RDFS.range) for r in members(d)]
        if iri in legend:
            entry = dict(legend[iri])
            entry["colour"] = safe_colour(entry.get("colour"))
            term.legend = entry
        terms[iri] = term

    for term in terms.values():
        if term.group != "classes":
            continue
        ancestors = _ancestors(graph, URIRef(term.iri))
        term.inherited_constraints = [ref(a) for a in ancestors if constraints.get(str(a))]
        if term.legend is None:
            styled = next((a for a in ancestors if str(a) in legend), None)
            term.inherited_legend = ref(styled) if styled is not None else None

    groups: dict[str, list[Term]] = {"classes": _class_tree(graph, terms)}
    for group in ("properties", "annotations", "datatypes"):
        groups[group] = sorted((t for t in terms.values() if t.group == group),
                               key=lambda t: (t.label.lower(), t.iri))

    node = URIRef(ontology.ONTOLOGY_IRI)
    licence = graph.value(node, DCTERMS.license)
    return Document(
        iri=ontology.ONTOLOGY_IRI,
        title=_text(graph, node, DCTERMS.title) or "civgraph ontology",
        description=_text(graph, node, DCTERMS.description),
        version=_text(graph, node, OWL.versionInfo) or None,
        licence=str(licence) if licence is not None else None,
        creator=_text(graph, node, DCTERMS.creator) or None,
        prefix=_text(graph, node, URIRef("http://purl.org/vocab/vann/preferredNamespacePrefix")) or None,
        namespace=_text(graph, node, URIRef("http://purl.org/vocab/vann/preferredNamespaceUri")) or None,
        groups=groups,
        vocabularies=_vocabularies(graph, kinds, ref),
    )


def _ancestors(graph: Graph, cls: URIRef) -> list[URIRef]:
    """Named superclasses, nearest first, without the class itself."""
    found: list[URIRef] = []
    queue = [o for o in graph.objects(cls, RDFS.subClassOf) if isinstance(o, URIRef)]
    while queue:
        current = queue.pop(0)
        if current in found or current == cls:
            continue
        found.append(current)
        queue.extend(o for o in graph.objects(current, RDFS.subClassOf) if isinstance(o, URIRef))
    return found


def _class_tree(graph: Graph, terms: dict[str, Term]) -> list[Term]:
    """Classes in reading order: the legend's kinds first, each followed by its subclasses."""
    classes = {iri: t for iri, t in terms.items() if t.group == "classes"}

    children: dict[str, list[Term]] = defaultdict(list)
    roots = []
    for term in classes.values():
        parents = [p.iri for p in term.superclasses if p.iri in classes]
        if parents:
            for parent in parents:
                children[parent].append(term)
        else:
            roots.append(term)

    def first(term: Term, seen: frozenset = frozenset()) -> int:
        """The smallest legend position in the class's subtree, so that foaf:Agent
        comes first, as the parent of organisations."""
        own = term.legend["order"] if term.legend else 10_000
        below = [first(c, seen | {term.iri}) for c in children[term.iri] if c.iri not in seen]
        return min([own, *below])

    def key(term: Term) -> tuple:
        return (first(term), not term.own, term.label.lower(), term.iri)

    ordered: list[Term] = []
    seen: set[str] = set()

    def visit(term: Term, depth: int) -> None:
        if term.iri in seen:
            return
        seen.add(term.iri)
        term.depth = depth
        ordered.append(term)
        for child in sorted(children[term.iri], key=key):
            visit(child, depth + 1)

    for root in sorted(roots, key=key):
        visit(root, 0)
    for term in sorted(classes.values(), key=key):  # a cycle leaves no root: list it anyway
        visit(term, 0)
    return ordered


def _disjoint(graph: Graph) -> dict[Node, set[Node]]:
    """For each class, the classes that ``owl:AllDisjointClasses`` or
    ``owl:disjointWith`` say it cannot share an instance with."""
    found: dict[Node, set[Node]] = defaultdict(set)
    for group in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        for listed in graph.objects(group, OWL.members):
            members = [m for m in Collection(graph, listed) if isinstance(m, URIRef)]
            for m in members:
                found[m].update(o for o in members if o != m)
    for a, b in graph.subject_objects(OWL.disjointWith):
        if isinstance(a, URIRef) and isinstance(b, URIRef):
            found[a].add(b)
            found[b].add(a)
    return found


def _constraints(shapes: Graph, ref) -> tuple[dict[str, list[Constraint]], dict[str, list[Constraint]]]:
    """The shapes' rules in plain words: by target class, and by the property checked.

    Each rule is its shape's ``sh:message``; a node shape's own message (the
    disjointness of the main kinds) has no path.
    """
    by_class: dict[str, list[Constraint]] = defaultdict(list)
    by_property: dict[str, dict[str, Constraint]] = defaultdict(dict)
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        targets = [t for t in shapes.objects(shape, SH.targetClass) if isinstance(t, URIRef)]
        rules = []
        message = _text(shapes, shape, SH.message)
        if message:
            rules.append(Constraint(None, message))
        for prop in shapes.objects(shape, SH.property):
            path = shapes.value(prop, SH.path)
            text = _text(shapes, prop, SH.message) or _text(shapes, prop, RDFS.comment)
            if not text:
                continue
            rules.append(Constraint(ref(path) if isinstance(path, URIRef) else None, text))
            if isinstance(path, URIRef):
                check = by_property[str(path)].setdefault(text, Constraint(ref(path), text))
                for target in targets:
                    if ref(target) not in check.classes:
                        check.classes.append(ref(target))
        for target in targets:
            by_class[str(target)].extend(rules)
    ordered = {
        cls: sorted(rules, key=lambda r: (r.path is not None, r.path.text if r.path else "", r.message))
        for cls, rules in by_class.items()}
    checks = {prop: sorted(found.values(), key=lambda r: r.message) for prop, found in by_property.items()}
    return ordered, checks


def _vocabularies(graph: Graph, kinds: dict[URIRef, tuple[str, str]], ref) -> list[Vocabulary]:
    """The reused vocabularies, each with the terms of it that the ontology declares or
    points to (domains, ranges, superclasses), so a reader sees what civgraph takes."""
    used: set[URIRef] = set(kinds)
    for predicate in (RDFS.domain, RDFS.range, RDFS.subClassOf, OWL.equivalentClass):
        for value in graph.objects(None, predicate):
            if isinstance(value, URIRef):
                used.add(value)
    for union in graph.objects(None, OWL.unionOf):
        used.update(m for m in Collection(graph, union) if isinstance(m, URIRef))
    found = []
    for prefix, (name, documentation) in VOCABULARIES.items():
        namespace = NAMES[prefix]
        terms = sorted((ref(t) for t in used if str(t).startswith(namespace)),
                       key=lambda r: qname(r.iri).lower())
        if terms:
            found.append(Vocabulary(prefix, namespace, name, documentation, terms))
    return found


# -- pages -------------------------------------------------------------------------------

def _alternates() -> str:
    """A ``Link`` header naming the RDF versions of the page, for crawlers."""
    links = [f'<{url_for("vocabulary.ontology_file", ext=ext)}>; rel="alternate"; type="{f.media_type}"'
             for ext, f in PAGE_FORMATS.items()]
    return ", ".join(links)


def _as(fmt: RdfFormat) -> Response:
    """The ontology in ``fmt``. Turtle is the source file as written, comments kept."""
    if fmt.name == "turtle":
        body = ontology.path("civgraph.ttl").read_bytes()
        response = Response(body, content_type=f"{fmt.media_type}; charset=utf-8")
        return vary(response)
    return rdf_response(Graph() + ontology.load_ontology(), fmt)


@bp.get("/ontology")
def ontology_page():
    fmt = wanted()
    if fmt is not None:
        return _as(fmt)
    doc = document(ontology.load_ontology(), ontology.load_shapes())
    formats = [(ext, f) for ext, f in PAGE_FORMATS.items()]
    response = make_response(render_template("ontology.html", doc=doc, formats=formats))
    response.headers["Link"] = _alternates()
    return vary(response)


@bp.get("/ontology.<ext>")
def ontology_file(ext: str):
    fmt = suffix_format(ext)
    return _as(fmt)


@bp.get("/ontology/context.jsonld")
def context():
    """The JSON-LD context, open to other sites: JSON-LD processors in a browser fetch
    a context across origins."""
    body = ontology.path("context.jsonld").read_bytes()
    response = Response(body, content_type=f"{FORMATS['jsonld'].media_type}; charset=utf-8")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/ontology/shapes.ttl")
def shapes():
    body = ontology.path("shapes.ttl").read_bytes()
    return Response(body, content_type=f"{FORMATS['turtle'].media_type}; charset=utf-8")
