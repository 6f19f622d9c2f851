"""RDF formats by the names people type, the file endings they use, and media types."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .errors import FormatError


@dataclass(frozen=True)
class RdfFormat:
    name: str
    ox: ox.RdfFormat
    media_type: str
    extension: str

    @property
    def keeps_graphs(self) -> bool:
        """Whether the format can carry named graphs (TriG, N-Quads)."""
        return self.ox.supports_datasets


FORMATS: dict[str, RdfFormat] = {
    f.name: f
    for f in (
        RdfFormat("turtle", ox.RdfFormat.TURTLE, "text/turtle", "ttl"),
        RdfFormat("trig", ox.RdfFormat.TRIG, "application/trig", "trig"),
        RdfFormat("nquads", ox.RdfFormat.N_QUADS, "application/n-quads", "nq"),
        RdfFormat("ntriples", ox.RdfFormat.N_TRIPLES, "application/n-triples", "nt"),
        RdfFormat("jsonld", ox.RdfFormat.JSON_LD, "application/ld+json", "jsonld"),
        RdfFormat("rdfxml", ox.RdfFormat.RDF_XML, "application/rdf+xml", "rdf"),
    )
}

_ALIASES = {"ttl": "turtle", "nq": "nquads", "n-quads": "nquads", "nt": "ntriples",
            "n-triples": "ntriples", "json-ld": "jsonld", "json": "jsonld",
            "xml": "rdfxml", "rdf": "rdfxml", "rdf/xml": "rdfxml", "owl": "rdfxml"}

_BY_EXTENSION = {"ttl": "turtle", "turtle": "turtle", "trig": "trig", "nq": "nquads",
                 "nt": "ntriples", "jsonld": "jsonld", "json": "jsonld", "rdf": "rdfxml",
                 "owl": "rdfxml", "xml": "rdfxml"}


def by_name(name: str) -> RdfFormat:
    """The format a user named, or a FormatError listing the ones there are."""
    key = _ALIASES.get(name.lower(), name.lower())
    if key not in FORMATS:
        raise FormatError(f"unknown RDF format {name!r}; use one of: {', '.join(FORMATS)}")
    return FORMATS[key]


def for_path(path: str | Path) -> RdfFormat:
    """The format a file's ending says, or a FormatError that says how to name one."""
    suffixes = [s.lstrip(".").lower() for s in Path(path).suffixes]
    if suffixes and suffixes[-1] == "gz":
        suffixes.pop()
    ext = suffixes[-1] if suffixes else ""
    if ext not in _BY_EXTENSION:
        raise FormatError(
            f"cannot tell the RDF format from the file ending {('.' + ext) if ext else '(none)'}; "
            f"name it with --format ({', '.join(FORMATS)})")
    return FORMATS[_BY_EXTENSION[ext]]
