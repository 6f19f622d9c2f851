"""Where the store is and which base IRI new resources get.

Both come from, in order: an explicit argument (a command-line option), an environment
variable, a default. Keeping this in the lowest layer lets ingest and the web app agree
on IRIs without passing settings around.
"""
from __future__ import annotations

import os

DEFAULT_STORE = "civgraph-data"
DEFAULT_BASE = "http://localhost:5000/id/"
STORE_ENV = "CIVGRAPH_STORE"
BASE_ENV = "CIVGRAPH_BASE"
UPDATE_ENDPOINT_ENV = "CIVGRAPH_UPDATE_ENDPOINT"
QUERY_WORKERS_ENV = "CIVGRAPH_QUERY_WORKERS"
DIRECT_QUERIES_ENV = "CIVGRAPH_DIRECT_QUERIES"


def store_location(explicit: str | None = None) -> str:
    """The store location: a directory, ``memory:``, or an http(s) SPARQL endpoint."""
    return explicit or os.environ.get(STORE_ENV) or DEFAULT_STORE


def base_iri(explicit: str | None = None) -> str:
    """The base under which resources are minted; always ends with a slash."""
    base = explicit or os.environ.get(BASE_ENV) or DEFAULT_BASE
    return base if base.endswith("/") else base + "/"


def graph_iri(base: str, *parts: str) -> str:
    """IRI of a named graph: ``{base}graph/...``, so graphs are resources too."""
    return base + "/".join(("graph", *parts))


def authority_graph(base: str) -> str:
    """The named graph that holds the curated authority list."""
    return graph_iri(base, "authority")


def ontology_graph() -> str:
    """The named graph that holds the ontology itself, for queries over labels and classes."""
    return "https://w3id.org/civgraph/ontology"


def default_query_workers() -> int:
    """How many queries from the endpoint may run at once: one per core by default."""
    try:
        return max(1, int(os.environ.get(QUERY_WORKERS_ENV) or 0) or os.cpu_count() or 2)
    except ValueError:
        return os.cpu_count() or 2


def direct_queries() -> bool:
    """Whether the endpoint may answer quick queries in the serving process rather
    than in a query worker; ``CIVGRAPH_DIRECT_QUERIES=0`` sends every query to a worker."""
    return (os.environ.get(DIRECT_QUERIES_ENV) or "1").strip().lower() not in (
        "0", "no", "false", "off")
