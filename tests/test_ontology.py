"""The ontology folder: the model files parse, keep the public contract, and agree.

The contract below (classes and properties with their IRIs) is what the rest of
civgraph and its users' SPARQL queries rely on; these tests fail when a term of it is
renamed, dropped or left undocumented.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph
import pytest
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS

from civgraph import ontology

CG = Namespace(ontology.NS)
ORG = Namespace("http://www.w3.org/ns/org#")
SDO = Namespace("https://schema.org/")
EX = Namespace("https://example.org/civgraph/id/")
# A plain namespace: pytest probes module globals, and rdflib warns on unknown XSD names.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
DATA = Path(__file__).parent / "data"

CONTRACT_CLASSES = [
    ORG.Organization, CG.Forum, ORG.OrganizationalUnit, SDO.Person, CG.Project,
    SDO.Event, CG.Workshop, CG.Training, CG.Campaign, CG.Conference, CG.Meeting,
    CG.Festival, CG.Celebration, CG.Demonstration, CG.SportsEvent,
    SDO.Place, SDO.Report, CG.FactStatement,
]
EVENT_TYPES = [CG.Workshop, CG.Training, CG.Campaign, CG.Conference, CG.Meeting,
               CG.Festival, CG.Celebration, CG.Demonstration, CG.SportsEvent]
CONTRACT_PROPERTIES = [
    RDFS.label, SKOS.altLabel,
    SDO.organizer, SDO.location, SDO.startDate, SDO.endDate, CG.participantCount,
    CG.partOfProject, SDO.funder, CG.implementedBy, CG.partner, ORG.memberOf,
    ORG.unitOf, SDO.attendee, CG.facilitator,
    DCTERMS.source, SDO.text, SDO.author, SDO.datePublished, SDO.mentions,
    RDF.subject, RDF.predicate, RDF.object, PROV.wasDerivedFrom, CG.evidenceText,
    CG.evidenceStart, CG.evidenceEnd, CG.method, CG.confidence, CG.candidateMatch,
    CG.extractorVersion, PROV.generatedAtTime, PROV.wasAttributedTo,
    CG.legendColour, CG.legendShape, CG.legendOrder, CG.slug,
]
LEGEND_CLASSES = [ORG.Organization, CG.Forum, ORG.OrganizationalUnit, SDO.Person,
                  CG.Project, SDO.Event, SDO.Place, SDO.Report]
VIS_SHAPES = {"dot", "box", "diamond", "triangle", "square", "star", "ellipse",
              "hexagon", "triangleDown"}
PROPERTY_KINDS = [OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                  RDF.Property]
# Terms used as domains, ranges or superclasses that need no declaration of their own.
BUILT_IN = {RDFS.Resource, RDFS.Literal, RDF.Property, OWL.Thing, OWL.Class}


@pytest.fixture(scope="module")
def onto() -> Graph:
    return ontology.load_ontology()


def english(graph: Graph, node, prop) -> list[str]:
    return [str(v) for v in graph.objects(node, prop)
            if isinstance(v, Literal) and v.language == "en"]


def declared_properties(graph: Graph) -> set[URIRef]:
    return {p for kind in PROPERTY_KINDS for p in graph.subjects(RDF.type, kind)}


def class_members(graph: Graph, node) -> set:
    """A named class as itself, an owl:unionOf class as its members."""
    union = graph.value(node, OWL.unionOf)
    return set(Collection(graph, union)) if union is not None else {node}


# --- parsing -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["civgraph.ttl", "shapes.ttl"])
def test_turtle_parses_with_rdflib_and_pyoxigraph(name):
    file = ontology.path(name)
    rdflib_count = len(Graph().parse(file, format="turtle"))
    oxigraph_count = len(list(pyoxigraph.parse(path=str(file), format=pyoxigraph.RdfFormat.TURTLE)))
    assert rdflib_count > 100
    assert oxigraph_count == rdflib_count


def test_path_rejects_unknown_file():
    with pytest.raises(FileNotFoundError):
        ontology.path("no-such-file.ttl")


def test_ontology_header(onto):
    iri = URIRef(ontology.ONTOLOGY_IRI)
    assert (iri, RDF.type, OWL.Ontology) in onto
    assert onto.value(iri, OWL.versionInfo) == Literal("0.1.0")
    assert english(onto, iri, DCTERMS.title)
    assert english(onto, iri, DCTERMS.description)
    assert onto.value(iri, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")


# --- the contract ------------------------------------------------------------------


@pytest.mark.parametrize("cls", CONTRACT_CLASSES, ids=str)
def test_contract_class_is_documented(onto, cls):
    assert (cls, RDF.type, OWL.Class) in onto
    assert english(onto, cls, RDFS.label)
    assert english(onto, cls, RDFS.comment)


@pytest.mark.parametrize("prop", CONTRACT_PROPERTIES, ids=str)
def test_contract_property_is_documented(onto, prop):
    assert prop in declared_properties(onto)
    assert english(onto, prop, RDFS.label)
    assert english(onto, prop, RDFS.comment)
    assert onto.value(prop, RDFS.domain) is not None
    assert onto.value(prop, RDFS.range) is not None


def test_every_declared_term_is_documented(onto):
    classes = {c for c in onto.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    datatypes = {d for d in onto.subjects(RDF.type, RDFS.Datatype) if isinstance(d, URIRef)}
    for term in classes | datatypes | declared_properties(onto):
        assert len(english(onto, term, RDFS.label)) == 1, term
        assert len(english(onto, term, RDFS.comment)) == 1, term
    for prop in declared_properties(onto):
        assert len(list(onto.objects(prop, RDFS.domain))) == 1, prop
        assert len(list(onto.objects(prop, RDFS.range))) == 1, prop


def test_every_class_used_is_declared(onto):
    declared = set(onto.subjects(RDF.type, OWL.Class)) | set(onto.subjects(RDF.type, RDFS.Datatype))
    used = set()
    for prop in (RDFS.domain, RDFS.range, RDFS.subClassOf, OWL.equivalentClass):
        for value in onto.objects(None, prop):
            used |= class_members(onto, value)
    for node in onto.objects(None, OWL.members):
        used |= set(Collection(onto, node))
    missing = {c for c in used if isinstance(c, URIRef)} - declared - BUILT_IN
    missing = {c for c in missing if not str(c).startswith(str(XSD))}
    assert not missing


def test_class_hierarchy(onto):
    for sub, sup in [(CG.Forum, ORG.Organization), (ORG.OrganizationalUnit, ORG.Organization),
                     (CG.FactStatement, RDF.Statement), (CG.ReportGraph, PROV.Entity)]:
        assert (sub, RDFS.subClassOf, sup) in onto
    for event_type in EVENT_TYPES:
        assert (event_type, RDFS.subClassOf, SDO.Event) in onto


def test_domains_and_ranges_of_the_contract(onto):
    expected = {
        SDO.organizer: ({SDO.Event}, {ORG.Organization}),
        SDO.location: ({SDO.Event, CG.Project, ORG.Organization}, {SDO.Place}),
        CG.participantCount: ({SDO.Event}, {XSD.integer}),
        CG.partOfProject: ({SDO.Event}, {CG.Project}),
        SDO.funder: ({CG.Project, SDO.Event, ORG.Organization}, {ORG.Organization}),
        CG.implementedBy: ({CG.Project}, {ORG.Organization}),
        CG.partner: ({ORG.Organization, CG.Project, SDO.Event}, {ORG.Organization}),
        ORG.memberOf: ({ORG.Organization, SDO.Person}, {ORG.Organization}),
        ORG.unitOf: ({ORG.OrganizationalUnit}, {ORG.Organization}),
        SDO.attendee: ({SDO.Event}, {ORG.Organization, SDO.Person}),
        CG.facilitator: ({SDO.Event}, {SDO.Person}),
        SDO.author: ({SDO.Report}, {SDO.Person}),
        SDO.mentions: ({SDO.Report}, {ORG.Organization, SDO.Person, CG.Project, SDO.Event, SDO.Place}),
        DCTERMS.source: ({SDO.Report}, {XSD.string}),
        SDO.text: ({SDO.Report}, {XSD.string}),
        PROV.wasDerivedFrom: ({CG.FactStatement, CG.ReportGraph}, {SDO.Report}),
        CG.evidenceText: ({CG.FactStatement}, {XSD.string}),
        CG.evidenceStart: ({CG.FactStatement}, {XSD.integer}),
        CG.evidenceEnd: ({CG.FactStatement}, {XSD.integer}),
        CG.method: ({CG.FactStatement}, {XSD.string}),
        CG.confidence: ({CG.FactStatement}, {XSD.decimal}),
    }
    for prop, (domain, range_) in expected.items():
        assert class_members(onto, onto.value(prop, RDFS.domain)) == domain, prop
        assert class_members(onto, onto.value(prop, RDFS.range)) == range_, prop


def test_partner_is_not_declared_symmetric(onto):
    assert (CG.partner, RDF.type, OWL.SymmetricProperty) not in onto
    assert "both ways" in english(onto, CG.partner, RDFS.comment)[0]


def test_dates_are_a_union_datatype(onto):
    for prop in (SDO.startDate, SDO.endDate, SDO.datePublished):
        datatype = onto.value(prop, RDFS.range)
        assert (datatype, RDF.type, RDFS.Datatype) in onto
        union = onto.value(onto.value(datatype, OWL.equivalentClass), OWL.unionOf)
        assert {XSD.date, XSD.gYearMonth, XSD.gYear} <= set(Collection(onto, union))


# --- readers: legend, slugs, event types, labels -----------------------------------


def test_legend():
    entries = ontology.legend()
    assert [e["iri"] for e in entries] == [str(c) for c in LEGEND_CLASSES]
    assert [e["order"] for e in entries] == sorted({e["order"] for e in entries})
    for entry in entries:
        assert re.fullmatch(r"#[0-9a-fA-F]{6}", entry["colour"]), entry
        assert entry["shape"] in VIS_SHAPES, entry
        assert entry["label"] and entry["comment"], entry
    assert len({e["colour"].lower() for e in entries}) == len(entries)


def test_slugs():
    expected = {ORG.Organization: "org", CG.Forum: "org", ORG.OrganizationalUnit: "org",
                SDO.Person: "person", CG.Project: "project", SDO.Event: "event",
                CG.Training: "event", SDO.Place: "place", SDO.Report: "report"}
    for cls, slug in expected.items():
        assert ontology.slug_for(str(cls)) == slug, cls
    assert ontology.slug_for(str(CG.FactStatement)) is None
    assert ontology.slug_for("https://example.org/NotAClass") is None


def test_event_types():
    assert ontology.event_types() == sorted(str(t) for t in EVENT_TYPES)


def test_class_labels():
    labels = ontology.class_labels()
    assert labels[str(CG.Forum)] == "Forum"
    assert labels[str(CG.SportsEvent)] == "Sports event"
    assert set(map(str, CONTRACT_CLASSES)) <= set(labels)


# --- SHACL shapes ------------------------------------------------------------------


def run_shapes(name: str) -> tuple[bool, Graph, str]:
    data = Graph().parse(DATA / name, format="turtle")
    return validate(data, shacl_graph=Graph() + ontology.load_shapes(),
                    ont_graph=ontology.load_ontology(), inference="rdfs")


def test_every_constraint_has_a_message():
    shapes = ontology.load_shapes()
    property_shapes = set(shapes.objects(None, SH.property)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
    for shape in property_shapes:
        assert english(shapes, shape, SH.message), shapes.value(shape, SH.path)
    for shape in shapes.subjects(SH["not"], None):
        assert english(shapes, shape, SH.message), shape


def test_shapes_target_classes_of_the_ontology(onto):
    shapes = ontology.load_shapes()
    targets = set(shapes.objects(None, SH.targetClass))
    assert {ORG.Organization, ORG.OrganizationalUnit, SDO.Person, CG.Project, SDO.Event,
            SDO.Place, SDO.Report, CG.FactStatement} <= targets
    for cls in targets:
        assert (cls, RDF.type, OWL.Class) in onto


def test_valid_example_conforms():
    conforms, _, text = run_shapes("example-valid.ttl")
    assert conforms, text


@pytest.fixture(scope="module")
def invalid_results() -> tuple[bool, set, str]:
    conforms, report, text = run_shapes("example-invalid.ttl")
    found = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        found.add((report.value(result, SH.focusNode), report.value(result, SH.resultPath),
                   report.value(result, SH.sourceConstraintComponent),
                   str(report.value(result, SH.resultMessage))))
    return conforms, found, text


@pytest.mark.parametrize("focus, path, component, message", [
    (EX["event/workshop"], CG.participantCount, SH.DatatypeConstraintComponent,
     "The number of participants (cg:participantCount) must be a whole number"),
    (EX["event/meeting"], CG.participantCount, SH.MinInclusiveConstraintComponent,
     "The number of participants (cg:participantCount) must be a whole number"),
    (EX["event/workshop"], SDO.startDate, SH.MaxCountConstraintComponent,
     "at most one start date"),
    (EX["event/meeting"], SDO.startDate, SH.OrConstraintComponent,
     "A start date (schema:startDate) must be an xsd:date"),
    (EX["event/workshop"], SDO.attendee, SH.OrConstraintComponent,
     "An attendee (schema:attendee) must be an organisation or a person"),
    (EX["report/no-source"], DCTERMS.source, SH.MinCountConstraintComponent,
     "A report must have exactly one source"),
    (EX["report/no-source"], SDO.datePublished, SH.MaxCountConstraintComponent,
     "at most one publication date"),
    (EX["statement/overconfident"], CG.confidence, SH.MaxInclusiveConstraintComponent,
     "between 0 and 1"),
    (EX["statement/overconfident"], RDF.predicate, SH.MinCountConstraintComponent,
     "exactly one predicate"),
    (EX["statement/overconfident"], CG.evidenceStart, SH.MinInclusiveConstraintComponent,
     "The evidence start (cg:evidenceStart)"),
    (EX["org/nameless"], RDFS.label, SH.MinCountConstraintComponent,
     "at least one name (rdfs:label)"),
    (EX["person/noor-ahmed"], None, SH.NotConstraintComponent,
     "A person cannot also be an organisation"),
], ids=lambda v: str(v).rsplit("/", 1)[-1].rsplit("#", 1)[-1][:40])
def test_invalid_example_is_rejected_for_each_fault(invalid_results, focus, path, component, message):
    conforms, found, text = invalid_results
    assert not conforms
    matching = [m for f, p, c, m in found if (f, p, c) == (focus, path, component)]
    assert matching, text
    assert any(message in m for m in matching), matching


def test_invalid_example_breaks_nothing_else(invalid_results):
    _, found, _ = invalid_results
    valid_resources = {EX["org/basra-peace-forum"], EX["place/basra"]}
    assert not {f for f, *_ in found} & valid_resources


# --- JSON-LD context ---------------------------------------------------------------


def test_context_has_a_term_for_every_property_and_main_class(onto):
    terms = ontology.context()["@context"]
    assert terms["@version"] == 1.1
    for prefix in ("cg", "org", "schema", "skos", "dcterms", "prov", "rdfs", "xsd", "foaf"):
        assert prefix in terms
    prefixes = {k: v for k, v in terms.items() if isinstance(v, str) and v.endswith(("#", "/"))}

    def expand(term: str) -> str:
        definition = terms[term]
        iri = definition if isinstance(definition, str) else definition["@id"]
        prefix, _, local = iri.partition(":")
        return prefixes[prefix] + local

    mapped = {expand(t) for t in terms if not t.startswith("@") and t not in prefixes
              and t not in ("id", "type")}
    assert {str(p) for p in declared_properties(onto)} <= mapped
    assert {str(c) for c in CONTRACT_CLASSES} <= mapped
    for name in ("startDate", "endDate", "datePublished"):
        assert "@type" not in terms[name], name
    assert terms["participantCount"]["@type"] == "xsd:integer"
    assert terms["organizer"] == {"@id": "schema:organizer", "@type": "@id"}


def test_context_is_a_fresh_copy():
    ontology.context()["@context"]["label"] = "changed"
    assert ontology.context()["@context"]["label"] == {"@id": "rdfs:label"}


# rdflib's own JSON-LD parser still builds a ConjunctiveGraph internally.
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_context_expands_a_compact_document():
    document = {
        "@context": ontology.context()["@context"],
        "@graph": [
            {"id": str(EX["org/basra-peace-forum"]), "type": "Forum",
             "label": "Basra Peace Forum", "altLabel": ["BPF"],
             "memberOf": str(EX["org/peace-forums-network"])},
            {"id": str(EX["event/training"]), "type": "Training",
             "organizer": str(EX["org/basra-peace-forum"]),
             "location": str(EX["place/basra"]),
             "startDate": {"@value": "2019-03-11", "@type": "xsd:date"},
             "endDate": {"@value": "2019-03", "@type": "xsd:gYearMonth"},
             "participantCount": 25,
             "partOfProject": str(EX["project/voices-for-peace"])},
            {"id": str(EX["statement/1"]), "type": "FactStatement",
             "subject": str(EX["event/training"]), "predicate": "organizer",
             "object": {"id": str(EX["org/basra-peace-forum"])},
             "wasDerivedFrom": str(EX["report/1"]),
             "evidenceStart": 0, "evidenceEnd": 42, "confidence": "0.9"},
        ],
    }
    graph = Graph().parse(data=json.dumps(document), format="json-ld")

    forum, event, statement = EX["org/basra-peace-forum"], EX["event/training"], EX["statement/1"]
    expected = Graph()
    for triple in [
        (forum, RDF.type, CG.Forum),
        (forum, RDFS.label, Literal("Basra Peace Forum")),
        (forum, SKOS.altLabel, Literal("BPF")),
        (forum, ORG.memberOf, EX["org/peace-forums-network"]),
        (event, RDF.type, CG.Training),
        (event, SDO.organizer, forum),
        (event, SDO.location, EX["place/basra"]),
        (event, SDO.startDate, Literal("2019-03-11", datatype=XSD.date)),
        (event, SDO.endDate, Literal("2019-03", datatype=XSD.gYearMonth)),
        (event, CG.participantCount, Literal(25)),
        (event, CG.partOfProject, EX["project/voices-for-peace"]),
        (statement, RDF.type, CG.FactStatement),
        (statement, RDF.subject, event),
        (statement, RDF.predicate, SDO.organizer),
        (statement, RDF.object, forum),
        (statement, PROV.wasDerivedFrom, EX["report/1"]),
        (statement, CG.evidenceStart, Literal(0)),
        (statement, CG.evidenceEnd, Literal(42)),
        (statement, CG.confidence, Literal("0.9", datatype=XSD.decimal)),
    ]:
        expected.add(triple)
    assert isomorphic(graph, expected), sorted(set(graph) ^ set(expected))
