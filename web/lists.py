"""Listing pages (organisations, forums, funders, projects, events, people, places,
reports) and the search across names and other names."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from civgraph.graph.listing import KINDS, PAGE_SIZE, event_places, list_kind, search, years

from .app import current_store

bp = Blueprint("lists", __name__)


def _int_arg(name: str, low: int, high: int) -> int | None:
    """An integer query parameter, or a 400 that says what was wrong."""
    text = request.args.get(name, "").strip()
    if not text:
        return None
    try:
        value = int(text)
    except ValueError:
        abort(400, description=f"{name} must be a whole number, not {text!r}")
    if not low <= value <= high:
        abort(400, description=f"{name} must be between {low} and {high}")
    return value


@bp.get("/<any(" + ",".join(KINDS) + "):slug>")
def listing(slug: str):
    page = _int_arg("page", 1, 1_000_000) or 1
    year = _int_arg("year", 1, 9999) if slug in ("events", "reports") else None
    place = request.args.get("place", "").strip() or None if slug == "events" else None
    if place is not None and not place.startswith(("http://", "https://")):
        abort(400, description="place must be the IRI of a place")
    store = current_store()
    try:
        result = list_kind(store, slug, page=page, year=year, place=place)
    except ValueError:
        abort(400, description="place must be a valid IRI")
    filters = {}
    if slug == "events":
        filters = {"years": years(store), "places": event_places(store)}
    elif slug == "reports":
        filters = {"years": years(store)}
    return render_template("list.html", title=result.kind.title, result=result, year=year,
                           place=place, filters=filters, page_size=PAGE_SIZE, kinds=KINDS)


@bp.get("/search")
def find():
    text = request.args.get("q", "")
    if len(text) > 200:
        abort(400, description="the search text is longer than 200 characters")
    hits = search(current_store(), text) if text.strip() else []
    return render_template("search.html", title="Search", q=text, hits=hits)
