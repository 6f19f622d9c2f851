"""The SPARQL 1.1 Protocol endpoint, ``/sparql``: read-only, bounded, open to any client.

Requests are parsed and refused here (wrong method, media type or encoding; updates);
the query itself goes to the store's ``answer``, which checks it, runs it under the
time and size limits, and serializes the answer. Errors are plain text with a status
that says whose fault it is, because SPARQL clients show the body to their user.

GET and POST reach the endpoint through ``FastPath``, in front of Flask: machine
clients send many small queries, and Flask's request context, routing and hooks cost
as much as a look-up query does. The handler takes the request and the app as
arguments, so Flask's route (HEAD, OPTIONS) runs the very same code.
"""
from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlencode

from flask import Blueprint, Flask, current_app, request, url_for
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS
from werkzeug.datastructures import MIMEAccept
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.http import HTTP_STATUS_CODES, parse_accept_header
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from civgraph.graph import CivgraphError, QueryError
from civgraph.graph.formats import FORMATS
from civgraph.graph.protocol import (GRAPH_FORMATS, RESULT_FORMATS, Dataset, Limits,
                                     NotAcceptable, QueryRefused, QueryTimeout,
                                     ResultTooLarge)

bp = Blueprint("sparql", __name__)

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
W3_FORMATS = Namespace("http://www.w3.org/ns/formats/")

#: Media types a client may ask for, and the format of each kind of answer they pick.
RESULT_TYPES = {f.media_type: f.name for f in RESULT_FORMATS.values()} | {
    "application/json": "json", "application/xml": "xml", "text/xml": "xml",
    "text/plain": "tsv"}
GRAPH_TYPES = {f.media_type: f.name for f in GRAPH_FORMATS.values()} | {
    "application/x-turtle": "turtle", "application/json": "jsonld",
    "application/xml": "rdfxml", "text/xml": "rdfxml", "text/plain": "ntriples"}
#: ``format=`` names for links: each gives a result format, a graph format, or both.
FORMAT_NAMES = {"json": ("json", "jsonld"), "xml": ("xml", "rdfxml"), "csv": ("csv", None),
                "tsv": ("tsv", None), "ttl": (None, "turtle"), "nt": (None, "ntriples"),
                "rdf": (None, "rdfxml")} | {name: (None, name) for name in GRAPH_FORMATS}
SD_FORMATS = ("turtle", "jsonld", "ntriples", "rdfxml")

CORS = {"Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
        "Access-Control-Allow-Headers": "Accept, Content-Type",
        "Access-Control-Max-Age": "86400"}


class ProtocolError(Exception):
    """A request the protocol does not allow, answered with ``status`` and a message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


#: What ``handle`` gives: status, headers, body. The fast path sends it as it is; Flask's
#: route wraps it in a Response.
Reply = tuple[int, list[tuple[str, str]], bytes]


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint():
    """What ``FastPath`` passes on to Flask: HEAD, and any request when it is not mounted."""
    status, headers, body = handle(request, current_app)
    return Response(body, status=status, headers=headers)


@bp.after_request
def allow_cross_origin(response: Response) -> Response:
    """Browser tools on other sites (YASGUI elsewhere, notebooks) may query us."""
    response.headers.update(CORS)
    return response


class FastPath:
    """WSGI middleware that answers GET and POST ``/sparql`` without Flask's machinery,
    and hands every other request to the app behind it.

    It builds the response headers itself, too: werkzeug's Response object costs as
    much as a look-up query.
    """

    def __init__(self, app: Flask, inner):
        self.app = app
        self.inner = inner

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") != "/sparql" or environ.get("REQUEST_METHOD") not in ("GET", "POST"):
            return self.inner(environ, start_response)
        req = Request(environ)
        req.max_content_length = self.app.config["MAX_CONTENT_LENGTH"]
        try:
            status, headers, body = handle(req, self.app)
        except Exception:  # what Flask's 500 handler would do, in the endpoint's plain text
            self.app.logger.exception("SPARQL request failed: %s", req.url)
            status, headers, body = _text("the server failed to answer this request", 500)
        start_response(f"{status} {HTTP_STATUS_CODES.get(status, '')}",
                       [*headers, ("Content-Length", str(len(body))), *_CORS_HEADERS])
        return [body]


#: An answer itself needs only the origin; the rest is for preflight requests (OPTIONS).
_CORS_HEADERS = [("Access-Control-Allow-Origin", CORS["Access-Control-Allow-Origin"])]


def install(app: Flask) -> None:
    """Register the endpoint's route and put its fast path in front of the app."""
    app.register_blueprint(bp)
    app.wsgi_app = FastPath(app, app.wsgi_app)


def handle(req: Request, app: Flask) -> Reply:
    """Answer one protocol request: the query's answer, or a plain-text refusal."""
    config = app.config
    try:
        query = _query_text(req, config)
        if query is None:
            return _without_query(req, config)
        if _wants_html(req):
            return _redirect(_workbench(req, query))
        name = _format_name(req)
        result_format, graph_format = _formats(req, name)
        answer = app.extensions["civgraph.store"].answer(
            query, dataset=_dataset(req), result_format=result_format,
            graph_format=graph_format, limits=_limits(config), base_iri=_base_url(req))
    except RequestEntityTooLarge:
        return _text(f"the request is larger than the limit of "
                     f"{config['MAX_CONTENT_LENGTH']:,} bytes", 413)
    except ProtocolError as e:
        return _text(str(e), e.status)
    except NotAcceptable as e:
        return _text(str(e), 406)
    except QueryRefused as e:
        return _text(str(e), 403)
    except QueryTimeout as e:
        return _text(str(e), 503)
    except ResultTooLarge as e:
        return _text(str(e), 413)
    except QueryError as e:
        return _text(str(e), 400)
    except CivgraphError as e:
        return _text(f"the graph could not answer: {e}", 503)
    headers = [("Content-Type", _with_charset(answer.media_type)), ("Vary", "Accept")]
    if name:
        ext = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv"}.get(name) \
            or FORMATS.get(graph_format or "", FORMATS["turtle"]).extension
        headers.append(("Content-Disposition", f'inline; filename="results.{ext}"'))
    return 200, headers, answer.body


def _query_text(req: Request, config) -> str | None:
    """The query of a GET or POST, after every check the protocol asks for."""
    if req.method != "POST":
        if "update" in req.args:
            raise ProtocolError(403, _READ_ONLY)
        return _one("query", req.args.getlist("query"), config)
    content_type = req.mimetype
    if content_type == "application/x-www-form-urlencoded":
        _utf8_charset(req)
        if "update" in req.form:
            raise ProtocolError(403, _READ_ONLY)
        query = _one("query", req.form.getlist("query"), config)
        if query is None:
            raise ProtocolError(400, "the form has no query field: send query=…")
        return query
    if content_type == "application/sparql-query":
        _utf8_charset(req)
        try:
            return _checked_length(req.get_data().decode("utf-8"), config)
        except UnicodeDecodeError:
            raise ProtocolError(400, "the query is not valid UTF-8") from None
    if content_type == "application/sparql-update":
        raise ProtocolError(403, _READ_ONLY)
    raise ProtocolError(415, "send a query as application/x-www-form-urlencoded (query=…) or "
                             "as application/sparql-query"
                             + (f", not {content_type}" if content_type else
                                "; the request had no Content-Type"))


_READ_ONLY = ("this endpoint is read-only: SPARQL updates are not accepted "
              "(civgraph ingest and civgraph load change the graph)")


def _one(name: str, values: list[str], config) -> str | None:
    if len(values) > 1:
        raise ProtocolError(400, f"the request has {len(values)} {name} parameters; send one")
    return _checked_length(values[0], config) if values else None


def _checked_length(query: str, config) -> str:
    limit = config["SPARQL_MAX_QUERY_LENGTH"]
    if len(query) > limit:
        raise ProtocolError(413, f"the query is {len(query):,} characters long; the limit is "
                                 f"{limit:,}")
    if not query.strip():
        raise ProtocolError(400, "the query is empty")
    return query


def _utf8_charset(req: Request) -> None:
    charset = req.mimetype_params.get("charset")
    if charset and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise ProtocolError(415, f"send the query in UTF-8, not {charset}")


def _dataset(req: Request) -> Dataset:
    def values(name: str) -> tuple[str, ...]:
        found = req.args.getlist(name) + (
            req.form.getlist(name) if req.method == "POST" else [])
        return tuple(dict.fromkeys(v.strip() for v in found if v.strip()))

    return Dataset(default=values("default-graph-uri"), named=values("named-graph-uri"))


def _limits(config) -> Limits:
    return Limits(timeout=float(config["SPARQL_TIMEOUT"]),
                  max_bytes=int(config["SPARQL_MAX_RESULT_BYTES"]))


def _base_url(req: Request) -> str:
    """The endpoint's own address, the base of relative IRIs in a query."""
    environ = req.environ
    return _endpoint_url(req.scheme, environ.get("HTTP_HOST") or environ.get("SERVER_NAME", ""),
                         environ.get("SCRIPT_NAME", ""))


@lru_cache(maxsize=64)
def _endpoint_url(scheme: str, host: str, script: str) -> str:
    return f"{scheme}://{host}{script.rstrip('/')}/sparql"


def _first(values: list[str]) -> str | None:
    """The first of a parameter's values. (``MultiDict.get`` builds an exception for a
    missing key, which costs more than the rest of a look-up's request handling.)"""
    return values[0] if values else None


def _format_name(req: Request) -> str:
    name = _first(req.args.getlist("format")) or (
        _first(req.form.getlist("format")) if req.method == "POST" else None)
    return (name or "").strip().lower()


def _formats(req: Request, name: str) -> tuple[str | None, str | None]:
    """The result and graph formats, from ``format=`` (``name``) or else from Accept."""
    if name:
        if name in FORMAT_NAMES:
            return FORMAT_NAMES[name]
        if name in RESULT_TYPES or name in GRAPH_TYPES:
            return RESULT_TYPES.get(name), GRAPH_TYPES.get(name)
        raise ProtocolError(400, f"unknown format {name!r}; use one of: "
                                 f"{', '.join(FORMAT_NAMES)}")
    result, graph = _negotiate(req.headers.get("Accept", ""))
    if result is None and graph is None:
        raise NotAcceptable("none of the accepted media types can hold a SPARQL answer; "
                            "accept application/sparql-results+json or text/turtle, "
                            "for instance")
    return result, graph


@lru_cache(maxsize=256)
def _negotiate(header: str) -> tuple[str | None, str | None]:
    """Formats for an Accept header; clients send the same few headers over and over,
    and matching them costs more than running a small query."""
    accept = parse_accept_header(header, MIMEAccept)
    if not accept:
        return "json", "turtle"
    result = accept.best_match(list(RESULT_TYPES))
    graph = accept.best_match(list(GRAPH_TYPES))
    return RESULT_TYPES.get(result or ""), GRAPH_TYPES.get(graph or "")


def _wants_html(req: Request) -> bool:
    """A person in a browser, who is better served by the workbench than by JSON."""
    if req.method != "GET" or _first(req.args.getlist("format")):
        return False
    return _html_first(req.headers.get("Accept", ""))


@lru_cache(maxsize=256)
def _html_first(header: str) -> bool:
    accept = parse_accept_header(header, MIMEAccept)
    return (accept.best_match(["text/html", *RESULT_TYPES, *GRAPH_TYPES]) == "text/html"
            and "text/html" in accept.values())


def _without_query(req: Request, config) -> Reply:
    """GET /sparql with no query: the service description, or the workbench."""
    if req.method == "POST":
        raise ProtocolError(400, "the request has no query")
    accept = req.accept_mimetypes
    offered = [FORMATS[n].media_type for n in SD_FORMATS]
    if accept and accept.best_match(["text/html", *offered]) == "text/html" \
            and "text/html" in accept.values():
        return _redirect(_workbench(req, None))
    name = _first(req.args.getlist("format")) or ""
    if name in FORMAT_NAMES and FORMAT_NAMES[name][1] in SD_FORMATS:
        fmt = FORMATS[FORMAT_NAMES[name][1]]
    else:
        best = accept.best_match(offered) if accept else offered[0]
        if best is None:
            raise ProtocolError(406, "the service description is available as "
                                     + ", ".join(offered))
        fmt = next(f for f in FORMATS.values() if f.media_type == best)
    body = service_description(req.base_url, _limits(config)).serialize(
        format=_rdflib_name(fmt.name), encoding="utf-8")
    return 200, [("Content-Type", _with_charset(fmt.media_type)), ("Vary", "Accept")], body


def service_description(endpoint_url: str, limits: Limits) -> Graph:
    """What the endpoint is and does, in the SPARQL 1.1 Service Description vocabulary."""
    g = Graph()
    g.bind("sd", SD)
    g.bind("formats", W3_FORMATS)
    g.bind("dcterms", DCTERMS)
    service = URIRef(endpoint_url)
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, service))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    g.add((service, DCTERMS.title, Literal("civgraph SPARQL endpoint")))
    g.add((service, RDFS.comment, Literal(
        f"Read-only. The default graph is the union of all named graphs (one per report, "
        f"plus the ontology and the authority list). Queries stop after "
        f"{limits.timeout:g} s; answers are limited to {limits.max_bytes // 1048576} MB. "
        f"SERVICE is not allowed.")))
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                 "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML"):
        g.add((service, SD.resultFormat, W3_FORMATS[name]))
    dataset, default = BNode(), BNode()
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    return g


def _workbench(req: Request, query: str | None) -> str:
    """The query workbench page, with ``query`` in its editor."""
    return req.script_root + "/query" + (f"?{urlencode({'query': query})}" if query else "")


def _rdflib_name(name: str) -> str:
    return {"turtle": "turtle", "jsonld": "json-ld", "ntriples": "nt", "rdfxml": "xml"}[name]


def _with_charset(media_type: str) -> str:
    textual = media_type.startswith("text/") or media_type.endswith(("json", "xml", "triples"))
    return f"{media_type}; charset=utf-8" if textual else media_type


def _text(message: str, status: int) -> Reply:
    return (status, [("Content-Type", "text/plain; charset=utf-8")],
            (message.rstrip() + "\n").encode("utf-8"))


def _redirect(location: str) -> Reply:
    """A 303 to a page of this app, as werkzeug writes one."""
    response = redirect(location, 303)
    return response.status_code, list(response.headers.items()), response.get_data()


def query_link(query: str, **params: str) -> str:
    """A link to the endpoint that runs ``query`` (for download links)."""
    return url_for("sparql.endpoint") + "?" + urlencode({"query": query, **params})
