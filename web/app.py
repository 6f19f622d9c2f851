"""The civgraph web app: one Flask app object over one store.

Each kind of page is a blueprint in a module of its own; they reach the store through
``current_store()`` and nothing else.
"""
from __future__ import annotations

from flask import Flask, current_app, render_template, request

from civgraph.graph import CivgraphError, Store, open_store
from civgraph.graph.config import base_iri


#: Settings a deployment may change (``create_app(**config)``, ``civgraph serve`` options).
DEFAULTS = {
    "SPARQL_TIMEOUT": 30.0,  # seconds a query may run before it is stopped
    "SPARQL_MAX_RESULT_BYTES": 50 * 1024 * 1024,  # size of one answer
    "SPARQL_MAX_QUERY_LENGTH": 100_000,  # characters of query text
    "MAX_CONTENT_LENGTH": 1024 * 1024,  # bytes of a request body (Flask answers 413)
    "CIVGRAPH_LICENSE": "https://creativecommons.org/licenses/by/4.0/",  # the data's licence, in /dataset
}


def create_app(store: Store | None = None, base: str | None = None, **config) -> Flask:
    """Build the app. ``store`` defaults to the configured store location."""
    app = Flask(__name__)
    app.config.update(CIVGRAPH_BASE=base_iri(base), **DEFAULTS)
    app.config.update(config)
    app.extensions["civgraph.store"] = store if store is not None else open_store()

    from . import dataset, entity, export, home, lists, network, query, sparql, vocabulary
    for module in (home, query, entity, lists, export, dataset, vocabulary, network):
        app.register_blueprint(module.bp)
    sparql.install(app)

    @app.errorhandler(CivgraphError)
    def store_failure(error: CivgraphError):
        return render_template("error.html", title="The graph could not answer",
                               message=str(error)), 503

    @app.errorhandler(400)
    def bad_request(error):
        return render_template("error.html", title="This request cannot be answered",
                               message=error.description), 400

    @app.errorhandler(404)
    def not_found(_error):
        return render_template("error.html", title="Not found",
                               message="There is no page at this address."), 404

    @app.errorhandler(413)
    def too_large(_error):
        limit = app.config["MAX_CONTENT_LENGTH"]
        return (f"the request is larger than the limit of {limit:,} bytes\n", 413,
                {"Content-Type": "text/plain; charset=utf-8"})

    @app.errorhandler(405)
    def wrong_method(error):
        allowed = ", ".join(sorted(error.valid_methods or ()))
        return (f"this address does not accept {request.method}; use {allowed}\n", 405,
                {"Content-Type": "text/plain; charset=utf-8", "Allow": allowed})

    @app.errorhandler(500)
    def internal(_error):
        return render_template("error.html", title="Something went wrong",
                               message="The server failed to answer this request."), 500

    return app


def current_store() -> Store:
    return current_app.extensions["civgraph.store"]
