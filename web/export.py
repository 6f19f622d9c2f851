"""``/export``: the whole dataset for download, and a partner's "everything about us".

The dump is streamed while the store writes it (bounded memory, whatever the size),
gzipped on the fly when the client accepts it or asks for a ``.gz`` file.
"""
from __future__ import annotations

import zlib
from typing import Iterator

from flask import Blueprint, Response, abort, render_template, request, stream_with_context

from civgraph.graph import CivgraphError
from civgraph.graph.export import about, checked_iri, stream
from civgraph.graph.formats import FORMATS, by_name
from civgraph.graph.errors import FormatError

from .app import current_store
from .negotiate import PAGE_FORMATS, wanted

bp = Blueprint("export", __name__)

#: Formats offered for the whole dataset, those that keep the report graphs first.
DUMP_FORMATS = ("trig", "nquads", "jsonld", "turtle", "ntriples", "rdfxml")


@bp.get("/export")
def dataset():
    if "about" in request.args:
        return _about(request.args["about"])
    name = request.args.get("format", "").strip()
    if not name:
        if wanted() is None:
            return render_template("export.html", title="Export",
                                   formats=[FORMATS[n] for n in DUMP_FORMATS])
        name = wanted().name
    try:
        fmt = by_name(name)
    except FormatError as e:
        abort(400, description=str(e))
    gz = request.args.get("gzip", "") in ("1", "true", "yes")
    encode = not gz and "gzip" in request.headers.get("Accept-Encoding", "")
    chunks = stream(current_store(), fmt)
    filename = f"civgraph.{fmt.extension}" + (".gz" if gz else "")
    headers = {"Content-Disposition": f'attachment; filename="{filename}"', "Vary": "Accept-Encoding"}
    if gz or encode:
        chunks = _gzip(chunks)
    if encode:
        headers["Content-Encoding"] = "gzip"
    media_type = "application/gzip" if gz else f"{fmt.media_type}; charset=utf-8"
    return Response(stream_with_context(chunks), content_type=media_type, headers=headers)


def _about(iri: str):
    """Everything about one organisation, as Turtle (or another format by Accept)."""
    try:
        graph = about(current_store(), checked_iri(iri.strip()))
    except CivgraphError as e:
        status = 400 if "not an" in str(e) else 404
        return Response(f"{e}\n", status=status, content_type="text/plain; charset=utf-8")
    fmt = wanted() or PAGE_FORMATS["ttl"]
    name = {"turtle": "turtle", "jsonld": "json-ld", "ntriples": "nt", "rdfxml": "xml"}[fmt.name]
    slug = iri.rstrip("/").rsplit("/", 1)[-1] or "about"
    return Response(graph.serialize(format=name), content_type=f"{fmt.media_type}; charset=utf-8",
                    headers={"Content-Disposition":
                             f'attachment; filename="{_safe(slug)}.{fmt.extension}"',
                             "Vary": "Accept"})


def _gzip(chunks: Iterator[bytes]) -> Iterator[bytes]:
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)  # 31: a gzip header and trailer
    for chunk in chunks:
        data = compressor.compress(chunk)
        if data:
            yield data
    yield compressor.flush()


def _safe(name: str) -> str:
    """A file name made of safe characters only (it goes into a header)."""
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in name)[:80] or "about"
