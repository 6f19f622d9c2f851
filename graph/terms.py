"""Conversion between rdflib terms (what the rest of civgraph handles) and pyoxigraph
terms (what the embedded store and the fast parsers speak).

Serialising a term for a SPARQL update also goes through here: pyoxigraph writes
terms in N-Triples syntax with correct escaping, so no user text is ever pasted into
a query by hand.
"""
from __future__ import annotations

from typing import Iterable, Union

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

_XSD_STRING = str(XSD.string)

OxTerm = Union[ox.NamedNode, ox.BlankNode, ox.Literal]
Triple = tuple[Node, Node, Node]
Quad = tuple[Node, Node, Node, Node]


def to_ox(term: Node) -> OxTerm:
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def from_ox(term) -> Node | None:
    """A pyoxigraph term as an rdflib term (``None`` stays ``None``: unbound)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        # keep the lexical form as stored ("…Z" stays "…Z"): rdflib would rewrite it
        return Literal(term.value, datatype=URIRef(datatype), normalize=False)
    if isinstance(term, ox.DefaultGraph):
        return None
    raise TypeError(f"unsupported term: {term!r}")


def nt(term: Node) -> str:
    """A term in N-Triples syntax, escaped by pyoxigraph, safe inside SPARQL."""
    return str(to_ox(term))


def ntriples_block(triples: Iterable[Triple]) -> str:
    """Triples as N-Triples lines, for the body of an ``INSERT DATA`` graph block."""
    return "\n".join(f"{nt(s)} {nt(p)} {nt(o)} ." for s, p, o in triples)
