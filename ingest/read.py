"""Stage 1: a file becomes a ``Document`` of plain text, or a ``ReportError``.

This is the only stage that touches the file system. It refuses what is not a report
(empty, binary, not UTF-8, too large) with one clear reason, and turns Markdown and
saved web pages into the plain text that every later stage, and every evidence
offset, refers to.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import ReportError

MAX_BYTES = 2_000_000
REPORT_SUFFIXES = {".md", ".markdown", ".txt", ".text", ".html", ".htm"}


@dataclass(frozen=True)
class Document:
    name: str        # the file name: a report's identity in the graph
    source: str      # where it was read from, as given
    text: str        # plain text; evidence offsets index into it
    title: str | None
    kind: str        # "markdown", "text" or "html"


def find_reports(paths: list[Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Expand folders (recursively) into report files; name paths that do not exist."""
    found: list[Path] = []
    missing: list[tuple[str, str]] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*")
                                if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES
                                and p.name.lower() != "readme.md"
                                and not any(part.startswith(".") for part in p.parts)))
        elif path.is_file():
            found.append(path)
        else:
            missing.append((str(path), "no such file or folder"))
    return found, missing


def read_document(path: Path, max_bytes: int = MAX_BYTES) -> Document:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ReportError(f"too large for a report ({size:,} bytes; the limit is {max_bytes:,})")
        data = path.read_bytes()
    except OSError as e:
        raise ReportError(f"cannot read: {e.strerror}") from None
    return parse_document(data, path.name, str(path))


def parse_document(data: bytes, name: str, source: str) -> Document:
    """Bytes of a report (by its file name) as a Document."""
    if not data.strip():
        raise ReportError("empty file")
    if b"\x00" in data[:8192]:
        raise ReportError("binary file, not a text report")
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ReportError(f"not UTF-8 text (byte 0x{data[e.start]:02x} at offset {e.start}); "
                          f"save it as UTF-8") from None
    suffix = Path(name).suffix.lower()
    if suffix in (".html", ".htm") or re.match(r"\s*(<!doctype html|<html)", raw[:200], re.I):
        text, title = html_text(raw)
        kind = "html"
    elif suffix in (".md", ".markdown"):
        text, title = markdown_text(raw)
        kind = "markdown"
    else:
        text, title = plain_text(raw)
        kind = "text"
    if not text.strip():
        raise ReportError("no text in it once markup is removed")
    return Document(name=name, source=source, text=text, title=title, kind=kind)


def plain_text(raw: str) -> tuple[str, str | None]:
    """Plain text; its title is the first short line that is neither prose nor a dateline."""
    from .metadata import is_dateline

    text = _tidy(raw)
    lines = [line.strip() for line in text.split("\n")[:4] if line.strip()]
    title = next((line for line in lines if not is_dateline(line)), None)
    if title and (len(title) > 160 or title.endswith((".", ":"))):
        title = None
    return text, title


_MD_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)[ \t]*#*[ \t]*$", re.M)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1")
_MD_LIST_MARKER = re.compile(r"^\s{0,3}(?:[-*+]|\d+\.)\s+", re.M)
_MD_QUOTE = re.compile(r"^\s{0,3}>\s?", re.M)
_MD_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$", re.M)


def markdown_text(raw: str) -> tuple[str, str | None]:
    """Markdown as plain text: headings, links and emphasis keep their words only."""
    heading = _MD_HEADING.search(raw)
    title = heading.group(1).strip() if heading else None
    text = _MD_HEADING.sub(lambda m: m.group(1), raw)
    # (a pattern is only run over a text that has what it needs: most reports have no
    # links, quotes or rules, and scanning for them costs as much as the rest)
    if "](" in text:
        text = _MD_LINK.sub(lambda m: m.group(1), text)
    text = _MD_EMPHASIS.sub(lambda m: m.group(2), text)
    text = _MD_LIST_MARKER.sub("", text)
    if ">" in text:
        text = _MD_QUOTE.sub("", text)
    if "---" in text or "***" in text or "___" in text:
        text = _MD_RULE.sub("", text)
    return _tidy(text), title


def html_text(raw: str) -> tuple[str, str | None]:
    """The article of a saved web page, without navigation, scripts and boilerplate."""
    import trafilatura  # imported here: it takes a tenth of a second to load

    try:
        # dates only from the page's markup (<time>, meta tags), never guessed from
        # its text: a copyright year is not the day a report was published
        extracted = trafilatura.bare_extraction(
            raw, include_comments=False, include_tables=True, favor_recall=True,
            with_metadata=True, date_extraction_params={"extensive_search": False,
                                                        "original_date": True})
    except (ValueError, TypeError, LookupError) as e:
        raise ReportError(f"this web page could not be parsed: {e}") from None
    if extracted is None:
        raise ReportError("no article text found in this web page")
    text = getattr(extracted, "text", None) or ""
    title = getattr(extracted, "title", None)
    head = _page_byline(text, getattr(extracted, "author", None), getattr(extracted, "date", None))
    if title and not text.lstrip().startswith(title):
        text = f"{title}\n\n{head}{text}"
    elif head:
        first, _, rest = text.partition("\n")
        text = f"{first}\n{head}{rest}" if title else f"{head}{text}"
    return _tidy(text), title


def _page_byline(text: str, author: str | None, date: str | None) -> str:
    """The byline and date that a page keeps in its markup (``<span class="author">``,
    ``<time>``) and the article extractor leaves out of the text, as the lines a
    plain-text report would have ("By …", "Published …"); only what the text itself
    does not say."""
    from .metadata import read_metadata

    meta = read_metadata(text)
    lines = []
    if author and not meta.author:
        lines.append(f"By {author.strip()}\n")
    if date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) and not meta.date:
        lines.append(f"Published {date}\n")
    return "".join(lines)


# a run of blanks becomes one space: tabs are made spaces first, so that a single
# space, most of a text, is not replaced by itself
_SPACES = re.compile(r"  +")
_BLANKS_AROUND_BREAK = re.compile(r" *\n *")
_BLANK_LINES = re.compile(r"\n{3,}")


def _tidy(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\t", " ")
    text = _SPACES.sub(" ", text)
    text = _BLANKS_AROUND_BREAK.sub("\n", text)
    text = _BLANK_LINES.sub("\n\n", text)
    return text.strip() + "\n"
