"""The namespaces that civgraph's data uses, as rdflib ``Namespace`` objects.

The terms themselves are defined in ``ontology/civgraph.ttl``; these are only the
prefixes, shared so that no module spells an IRI by hand.
"""
from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

class _Namespace(Namespace):
    """A namespace that makes each term once. rdflib builds and checks a new URIRef at
    every ``SDO.Person``; the extraction rules look terms up some 300 times a report."""

    def __getattr__(self, name: str):
        if name.startswith("__"):  # copy, pickle and friends probe for these
            raise AttributeError(name)
        term = self.term(name)
        self.__dict__[name] = term
        return term


CG = _Namespace("https://w3id.org/civgraph/ontology#")
ORG = _Namespace("http://www.w3.org/ns/org#")
SDO = _Namespace("https://schema.org/")

PREFIXES: dict[str, str] = {
    "cg": str(CG),
    "org": str(ORG),
    "schema": str(SDO),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "foaf": str(FOAF),
}


def sparql_prologue() -> str:
    """PREFIX declarations for every civgraph prefix, to put in front of a query.

    They stand on one line with the query's own first line, so that the line numbers
    in a parser's error message are those of the query as its author wrote it.
    """
    return "".join(f"PREFIX {p}: <{iri}> " for p, iri in PREFIXES.items())


__all__ = ["CG", "ORG", "SDO", "DCTERMS", "FOAF", "OWL", "PROV", "RDF", "RDFS", "SKOS",
           "XSD", "PREFIXES", "sparql_prologue"]
