"""Why a report could not be read, in words for the person who gave it."""
from civgraph.graph.errors import CivgraphError


class ReportError(CivgraphError):
    """This one report is unusable; the rest of the batch goes on."""
