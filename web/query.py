"""The query workbench: a SPARQL editor over the graph, with worked examples.

The page itself never runs a query: the editor sends it to the SPARQL endpoint at
``/sparql``, which declares no prefixes of its own. So every query the page hands out
(the editor's text, the examples, the share and download links) carries its own
``PREFIX`` lines, taken from ``civgraph.graph.namespaces.PREFIXES`` so that they are
written down in one place only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from urllib.parse import urlencode

from flask import Blueprint, jsonify, render_template, request, url_for

from civgraph.graph.namespaces import PREFIXES

bp = Blueprint("query", __name__)

#: Where the SPARQL 1.1 Protocol endpoint answers, relative to the app's root.
ENDPOINT_PATH = "/sparql"

#: Formats offered as downloads; the endpoint takes them as ``format=``.
DOWNLOADS = ("csv", "json")

DEFAULT_BODY = """SELECT ?forum ?name (COUNT(DISTINCT ?event) AS ?events) WHERE {
  ?forum a cg:Forum ; rdfs:label ?name .
  OPTIONAL { ?event schema:organizer ?forum }
}
GROUP BY ?forum ?name
ORDER BY DESC(?events) ?name
"""

_HEADER = re.compile(r"#\s*(title|description):\s*(.*)")
_DECLARED = re.compile(r"^\s*PREFIX\s+([\w.-]*):", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class Example:
    """A worked example: a researcher's question and the query that answers it."""

    slug: str
    title: str
    description: str
    body: str

    @property
    def text(self) -> str:
        """The query as the endpoint needs it: with the PREFIX lines it uses."""
        return with_prefixes(self.body)


def prefix_lines(names: list[str] | None = None) -> str:
    """``PREFIX`` declarations, one a line, for ``names`` (default: all of them)."""
    chosen = PREFIXES if names is None else {n: PREFIXES[n] for n in PREFIXES if n in names}
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in chosen.items())


def with_prefixes(body: str) -> str:
    """``body`` preceded by a declaration of every civgraph prefix it uses and lacks.

    Only the prefixes a query uses are added, so that shared links stay short.
    """
    declared = {m.group(1) for m in _DECLARED.finditer(body)}
    used = [name for name in PREFIXES
            if name not in declared and re.search(rf"(?<![\w?$:-]){re.escape(name)}:", body)]
    return prefix_lines(used) + "\n" + body if used else body


def parse_example(slug: str, source: str) -> Example:
    """Read an example file: ``# title:`` and ``# description:`` lines, then the query."""
    fields: dict[str, str] = {}
    lines = source.splitlines()
    start = 0
    for start, line in enumerate(lines):
        match = _HEADER.match(line.strip())
        if not match:
            break
        fields[match.group(1)] = match.group(2).strip()
    else:
        start = len(lines)
    if "title" not in fields:
        raise ValueError(f"example {slug} has no '# title:' line")
    body = "\n".join(lines[start:]).strip() + "\n"
    return Example(slug, fields["title"], fields.get("description", ""), body)


@lru_cache(maxsize=1)
def load_examples() -> tuple[Example, ...]:
    """The examples in ``queries/``, in file-name order (the names start with a number)."""
    folder = resources.files(__package__).joinpath("queries")
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".rq")), key=lambda f: f.name)
    return tuple(parse_example(f.name[:-3], f.read_text(encoding="utf-8")) for f in files)


def endpoint_url() -> str:
    """The endpoint's path on this host (behind a path prefix too)."""
    return request.script_root + ENDPOINT_PATH


def download_url(text: str, fmt: str) -> str:
    return f"{endpoint_url()}?{urlencode({'query': text, 'format': fmt})}"


@bp.get("/query")
def workbench():
    text = request.args.get("query", "")
    if not text.strip():
        text = prefix_lines() + "\n" + DEFAULT_BODY
    examples = [{"slug": e.slug, "title": e.title, "description": e.description,
                 "open_url": url_for("query.workbench", query=e.text),
                 "run_url": url_for("query.workbench", query=e.text, run="1") + "#results"}
                for e in load_examples()]
    config = {
        "endpoint": endpoint_url(),
        "page": url_for("query.workbench"),
        "prefixesUrl": url_for("query.prefixes"),
        "prefixes": PREFIXES,
        "downloads": list(DOWNLOADS),
        "run": request.args.get("run") == "1",
    }
    return render_template(
        "query.html", title="Query the graph", text=text, examples=examples, config=config,
        share_url=url_for("query.workbench", query=text),
        downloads={fmt: download_url(text, fmt) for fmt in DOWNLOADS})


@bp.get("/query/prefixes.json")
def prefixes():
    """The prefixes, for the editor's prefix completion (instead of prefix.cc)."""
    return jsonify(PREFIXES)
