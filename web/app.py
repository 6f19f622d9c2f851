"""The civgraph web app: one Flask app object over one store.

Each kind of page is a blueprint in a module of its own; they reach the store through
``current_store()`` and nothing else.
"""
from __future__ import annotations

from flask import Flask, current_app, render_template

from civgraph.graph import CivgraphError, Store, open_store
from civgraph.graph.config import base_iri


def create_app(store: Store | None = None, base: str | None = None, **config) -> Flask:
    """Build the app. ``store`` defaults to the configured store location."""
    app = Flask(__name__)
    app.config.update(CIVGRAPH_BASE=base_iri(base), **config)
    app.extensions["civgraph.store"] = store if store is not None else open_store()

    from . import home
    app.register_blueprint(home.bp)

    @app.errorhandler(CivgraphError)
    def store_failure(error: CivgraphError):
        return render_template("error.html", title="The graph could not answer",
                               message=str(error)), 503

    @app.errorhandler(404)
    def not_found(_error):
        return render_template("error.html", title="Not found",
                               message="There is no page at this address."), 404

    @app.errorhandler(500)
    def internal(_error):
        return render_template("error.html", title="Something went wrong",
                               message="The server failed to answer this request."), 500

    return app


def current_store() -> Store:
    return current_app.extensions["civgraph.store"]
