"""Run the app under waitress, a production WSGI server.

Waitress serves with threads in one process, which suits the embedded store: Oxigraph
locks its directory to one process, and its queries release the GIL.
"""
from __future__ import annotations

import sys

from flask import Flask

from civgraph.graph import CivgraphError


def serve(app: Flask, host: str, port: int, threads: int = 8) -> None:
    from waitress import create_server

    try:
        server = create_server(app, host=host, port=port, threads=threads, ident="civgraph")
    except OSError as e:
        raise CivgraphError(f"cannot listen on {host}:{port}: {e.strerror}") from None
    print(f"civgraph is serving on http://{host}:{port}/ (Ctrl-C to stop)", file=sys.stderr,
          flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
