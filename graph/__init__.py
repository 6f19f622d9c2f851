"""The store layer: the only code in civgraph that talks to a store.

``open_store(location)`` picks a backend from a location string:

- ``memory:`` — an in-memory Oxigraph store (tests, one-off runs);
- ``http://…`` or ``https://…`` — a SPARQL 1.1 server (query endpoint URL);
- anything else — a directory holding an embedded, persistent Oxigraph store.
"""
from __future__ import annotations

import os

from .config import UPDATE_ENDPOINT_ENV, store_location
from .errors import CivgraphError, FormatError, QueryError, StoreError, StoreUnavailable
from .store import QueryResult, Store


def open_store(location: str | None = None, *, create: bool = True) -> Store:
    """Open the store at ``location`` (or the configured one).

    ``create=False`` refuses to make a new, empty directory store: commands that only
    read say "there is no store here" instead of answering from an empty one.
    """
    location = store_location(location)
    if location == "memory:":
        from .embedded import EmbeddedStore
        return EmbeddedStore(None)
    if location.startswith(("http://", "https://")):
        from .remote import RemoteStore
        return RemoteStore(location, os.environ.get(UPDATE_ENDPOINT_ENV) or None)
    from .embedded import EmbeddedStore
    return EmbeddedStore(location, create=create)


__all__ = ["open_store", "Store", "QueryResult", "CivgraphError", "StoreError",
           "StoreUnavailable", "QueryError", "FormatError"]
