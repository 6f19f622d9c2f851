"""Readable, stable IRI path segments from names."""
from __future__ import annotations

import re
import unicodedata


def slugify(text: str, limit: int = 80) -> str:
    """``"Hit's Peace Forum"`` → ``hit-s-peace-forum``; ``"report.md"`` → ``report-md``.

    Lower-case ASCII, hyphens between words, so that the same name always gives the
    same IRI, whatever accents or quotes it was written with.
    """
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = text.replace("'", "").replace("\u2019", "")
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "unnamed"
