"""Find date ranges such as "2019 - heden" or "jan 2020 – mrt 2023" (Dutch and English).

Ranges are what a CV uses for jobs and studies, so that is what we extract; single dates
are ambiguous (a postcode like "2011 AB" looks like a year) and are left alone.
"""

from __future__ import annotations

import re
from typing import Any

_MONTHS = {
    "jan": 1, "januari": 1, "january": 1,
    "feb": 2, "febr": 2, "februari": 2, "february": 2,
    "mrt": 3, "maart": 3, "mar": 3, "march": 3,
    "apr": 4, "april": 4,
    "mei": 5, "may": 5,
    "jun": 6, "juni": 6, "june": 6,
    "jul": 7, "juli": 7, "july": 7,
    "aug": 8, "augustus": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9,
    "okt": 10, "oktober": 10, "oct": 10, "october": 10,
    "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}  # fmt: skip
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_YEAR = r"(?:19|20)\d{2}"


def _date(tag: str) -> str:
    return (
        rf"(?:(?P<{tag}_name>{_MONTH})\.?\s+|(?P<{tag}_num>0?[1-9]|1[0-2])[-/.])?"
        rf"(?P<{tag}_year>{_YEAR})"
    )


_NOW = r"(?P<now>heden|nu|present|now|current|huidig|today)"
_RANGE = re.compile(
    rf"\b{_date('a')}\s*(?:-|–|—|t/m|tot en met|tot|to|until|till)\s*(?:{_date('b')}|{_NOW})\b",
    re.IGNORECASE,
)
_SINCE = re.compile(rf"\b(?:sinds|vanaf|since|from)\s+{_date('a')}\b", re.IGNORECASE)


def month_number(name: str) -> int | None:
    """1-12 for a Dutch or English month name or abbreviation ("mrt.", "maart", "March"),
    None for anything else."""
    return _MONTHS.get(name.lower().rstrip("."))


def find_date_ranges(text: str) -> list[dict[str, Any]]:
    """Date ranges in `text`, in order of appearance.

    Returns dicts {"text": str as written, "offset": char offset in `text`,
    "start": "YYYY" or "YYYY-MM", "end": "YYYY" / "YYYY-MM" or None,
    "current": True when the range runs to now ("heden", "present", "sinds 2018")}.
    Ranges whose end is before their start are skipped.
    """
    found = []
    for match in _RANGE.finditer(text):
        start, end = _value(match, "a"), None if match["now"] else _value(match, "b")
        if end is not None and end < start:
            continue
        found.append(_entry(match, start, end))
    covered = [(item["offset"], item["offset"] + len(item["text"])) for item in found]
    for match in _SINCE.finditer(text):
        if not any(lo <= match.start() < hi for lo, hi in covered):
            found.append(_entry(match, _value(match, "a"), None))
    return sorted(found, key=lambda item: item["offset"])


def _value(match: re.Match[str], tag: str) -> str:
    year = match[f"{tag}_year"]
    name, number = match[f"{tag}_name"], match[f"{tag}_num"]
    month = _MONTHS[name.lower()] if name else int(number) if number else None
    return f"{year}-{month:02d}" if month else year


def _entry(match: re.Match[str], start: str, end: str | None) -> dict[str, Any]:
    return {
        "text": match.group(),
        "offset": match.start(),
        "start": start,
        "end": end,
        "current": end is None,
    }
