"""Errors that the store layer raises with a message a person can act on.

Everything above this layer catches ``CivgraphError`` and prints its message, so each
message must stand on its own: say what failed and, where possible, what to do.
"""


class CivgraphError(Exception):
    """A failure the user can understand and fix; never shown with a traceback."""


class StoreError(CivgraphError):
    """The store could not be opened, read or written."""


class StoreUnavailable(StoreError):
    """The store cannot be reached (remote server down, directory locked)."""


class QueryError(CivgraphError):
    """A SPARQL query or update was refused: malformed, or not allowed."""


class FormatError(CivgraphError):
    """An RDF format name is unknown, or a file does not parse in its format."""
