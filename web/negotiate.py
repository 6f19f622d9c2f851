"""Content negotiation for linked-data pages: HTML for people, RDF for programs.

Every page that describes RDF (an entity, a report, the dataset, the ontology) answers
in the format the client asks for, by ``Accept`` or by a file-like suffix for people
who click (``.ttl``, ``.jsonld``, ``.nt``, ``.rdf``), and says ``Vary: Accept``.
"""
from __future__ import annotations

from functools import lru_cache

from flask import Response, request
from rdflib import Graph
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from civgraph.graph.formats import FORMATS, RdfFormat

#: RDF formats a page can be had in (those that hold one graph), by suffix.
PAGE_FORMATS: dict[str, RdfFormat] = {
    FORMATS[name].extension: FORMATS[name] for name in ("turtle", "jsonld", "ntriples", "rdfxml")}
_MEDIA = {f.media_type: f for f in PAGE_FORMATS.values()} | {
    "application/x-turtle": FORMATS["turtle"], "application/json": FORMATS["jsonld"],
    "text/n3": FORMATS["turtle"], "application/xml": FORMATS["rdfxml"]}
HTML = "text/html"


def split_suffix(path: str) -> tuple[str, RdfFormat | None]:
    """``org/x.ttl`` → (``org/x``, Turtle); a path without a known suffix is left alone."""
    stem, dot, ext = path.rpartition(".")
    if dot and ext in PAGE_FORMATS and "/" not in ext:
        return stem, PAGE_FORMATS[ext]
    return path, None


def suffix_format(ext: str) -> RdfFormat:
    """The format a file-like suffix names (``ttl``, ``jsonld``, …), or a 404."""
    from flask import abort

    fmt = PAGE_FORMATS.get(ext)
    if fmt is None:
        abort(404)
    return fmt


def wanted() -> RdfFormat | None:
    """The RDF format the request asks for, or None for HTML (the default: browsers
    send ``*/*`` too, and a person is the likelier reader of a bare request)."""
    return _best(request.headers.get("Accept", ""))


@lru_cache(maxsize=256)
def _best(header: str) -> RdfFormat | None:
    accept = parse_accept_header(header, MIMEAccept)
    if not accept:
        return None
    best = accept.best_match([HTML, "application/xhtml+xml", *_MEDIA])
    if best is None or best in (HTML, "application/xhtml+xml"):
        return None
    # "*/*" alone matches the first offer, HTML: only an explicit RDF type picks RDF
    return _MEDIA[best] if best in accept.values() or _explicit(accept, best) else None


def _explicit(accept: MIMEAccept, media_type: str) -> bool:
    kind = media_type.split("/")[0]
    return any(value in (media_type, f"{kind}/*") for value in accept.values())


def rdf_response(graph: Graph, fmt: RdfFormat, status: int = 200) -> Response:
    """A graph serialized in ``fmt``, with the headers a linked-data client expects."""
    from civgraph.graph.namespaces import PREFIXES

    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=False)
    name = {"turtle": "turtle", "jsonld": "json-ld", "ntriples": "nt", "rdfxml": "xml"}[fmt.name]
    options = {"auto_compact": True} if fmt.name == "jsonld" else {}
    body = graph.serialize(format=name, **options)
    response = Response(body, status=status, content_type=f"{fmt.media_type}; charset=utf-8")
    response.vary.add("Accept")
    return response


def vary(response: Response) -> Response:
    response.vary.add("Accept")
    return response
