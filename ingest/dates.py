"""Dates as reports write them, as ISO 8601 strings."""
from __future__ import annotations

import re
from datetime import datetime

from dateutil import parser as dateparser

_DEFAULT = datetime(1900, 1, 1)


def parse_date(text: str, year: int | None = None) -> str | None:
    """``"the 3rd of May 2019"`` → ``2019-05-03``; a day and month take ``year``.

    Returns ``YYYY-MM-DD``, or ``YYYY-MM`` / ``YYYY`` when the text says no more, or
    ``None`` when it is not a date (or only a vague one).
    """
    cleaned = re.sub(r"\b(?:the|of|on)\b", " ", text, flags=re.I)
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", cleaned).strip(" ,.")
    if re.fullmatch(r"\d{4}", cleaned):
        return cleaned
    has_day = bool(re.search(r"\b\d{1,2}\b", re.sub(r"\b\d{4}\b", "", cleaned)))
    has_year = bool(re.search(r"\b\d{4}\b", cleaned))
    if not has_year and year is None:
        return None
    try:
        default = _DEFAULT.replace(year=year) if year else _DEFAULT
        value = dateparser.parse(cleaned, default=default, dayfirst=True)
    except (ValueError, OverflowError):
        return None
    if value is None:
        return None
    if not has_day:
        return f"{value.year:04d}-{value.month:02d}"
    return value.strftime("%Y-%m-%d")
