"""One vacancy record from a feed (a dict of fields) to a `Document(kind="vacancy")`.

Records come from JSON, CSV or XML with varying field names ("title", "functietitel",
"Werkgever", ...) or as schema.org `JobPosting`s; both are mapped onto the same
metadata keys: title, employer, date_posted (YYYY-MM-DD), region, location, id, category.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from extractor.documents import Document
from extractor.errors import EmptyDocumentError, FeedError
from extractor.ingest.build import build_document
from extractor.ingest.html_text import html_to_text, looks_like_html

DEFAULT_TEXT_FIELDS = ("title", "description")
METADATA_FIELDS = ("title", "employer", "date_posted", "region", "location", "id", "category")

_ALIASES = {
    "title": "title titel functie functietitel jobtitle vacaturetitel name naam",
    "description": "description omschrijving beschrijving functieomschrijving tekst text body "
    "vacaturetekst content",
    "employer": "employer werkgever company bedrijf organisation organization organisatie "
    "hiringorganization companyname",
    "date_posted": "dateposted date datum publicatiedatum posted published publishedat pubdate",
    "region": "region regio provincie province addressregion",
    "location": "location locatie plaats city standplaats woonplaats addresslocality",
    "id": "id identifier vacancyid vacatureid ref referentie reference jobid",
    "category": "category occupationalcategory beroep beroepsgroep occupation sector",
}
_CANONICAL = {alias: field for field, names in _ALIASES.items() for alias in names.split()}
_DUTCH_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")


@dataclass(frozen=True)
class RawRecord:
    """A record as a feed format yields it: its fields, or the problem that spoils it.

    row is the 1-based record number; line the 1-based line in the file (None if unknown).
    """

    row: int
    line: int | None
    fields: dict[str, Any] | None
    problem: str | None = None


def field_key(name: str) -> str:
    """Canonical field for a column or tag name ("Date_Posted" -> "date_posted"), or the
    squashed name itself when it is not a known alias."""
    squashed = re.sub(r"[^a-z0-9]", "", name.lower())
    return _CANONICAL.get(squashed, squashed)


def is_job_posting(fields: dict[str, Any]) -> bool:
    """True for a schema.org JobPosting node (its @type is or includes "JobPosting")."""
    kind = fields.get("@type")
    return kind == "JobPosting" or (isinstance(kind, list) and "JobPosting" in kind)


def is_typed_non_vacancy(fields: dict[str, Any]) -> bool:
    """True for other JSON-LD nodes (Organization, WebPage, ...) found next to vacancies."""
    return "@type" in fields and not is_job_posting(fields)


def record_to_document(
    record: RawRecord,
    feed_name: str,
    text_fields: tuple[str, ...] = DEFAULT_TEXT_FIELDS,
    per_sentence: bool = True,
) -> Document:
    """A vacancy `Document` for one record; text is the text fields joined by blank lines.

    Raises:
        FeedError: the record has a problem, no text, or a date we cannot read; the error
            names the feed, the record number and (when known) the line.
    """

    def bad(reason: str) -> FeedError:
        return FeedError(feed_name, reason, row=record.row, line=record.line)

    if record.problem is not None or record.fields is None:
        raise bad(record.problem or "the record is empty")
    fields = _job_posting_fields(record.fields) if is_job_posting(record.fields) else {}
    for name, value in record.fields.items():
        fields.setdefault(field_key(name), value)
    parts = []
    for name in text_fields:
        value = record.fields.get(name, fields.get(field_key(name)))
        text = _as_text(value)
        parts.append(html_to_text(text)[0] if looks_like_html(text) else text)
    if not any(part.strip() for part in parts):
        raise bad(f"no text: the fields {', '.join(text_fields)} are empty or missing")
    metadata: dict[str, Any] = {}
    for name in METADATA_FIELDS:
        value = " ".join(_as_text(fields.get(name)).split())
        if value:
            metadata[name] = value
    if "date_posted" in metadata:
        try:
            metadata["date_posted"] = parse_date(metadata["date_posted"])
        except ValueError as error:
            raise bad(str(error)) from error
    metadata["row"] = record.row
    source = f"{feed_name}#{metadata.get('id', record.row)}"
    try:
        return build_document(
            "\n\n".join(part for part in parts if part.strip()),
            source,
            kind="vacancy",
            metadata=metadata,
            per_sentence=per_sentence,
        )
    except EmptyDocumentError as error:
        raise bad("no text after removing markup") from error


def parse_date(value: str) -> str:
    """ISO date string "YYYY-MM-DD" for an ISO date/datetime or a Dutch "dd-mm-yyyy".

    Raises:
        ValueError: with a message that quotes the value and the accepted formats.
    """
    text = value.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text).isoformat()
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    match = _DUTCH_DATE.match(text)
    if match:
        day, month, year = map(int, match.groups())
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            pass
    raise ValueError(f"date {value!r} is not a date (use YYYY-MM-DD or dd-mm-yyyy)")


def _job_posting_fields(node: dict[str, Any]) -> dict[str, Any]:
    """Flatten the JobPosting properties we use onto canonical field names."""
    location = node.get("jobLocation")
    if isinstance(location, list):
        location = location[0] if location else None
    address = location.get("address") if isinstance(location, dict) else None
    if isinstance(address, list):
        address = address[0] if address else None
    if not isinstance(address, dict):
        address = {"addressLocality": address} if isinstance(address, str) else {}
    identifier = node.get("identifier")
    if isinstance(identifier, dict):
        identifier = identifier.get("value") or identifier.get("name")
    fields = {
        "title": node.get("title"),
        "description": node.get("description"),
        "employer": node.get("hiringOrganization"),
        "date_posted": node.get("datePosted"),
        "region": address.get("addressRegion"),
        "location": address.get("addressLocality"),
        "id": identifier,
        "category": node.get("occupationalCategory"),
    }
    return {name: value for name, value in fields.items() if value not in (None, "", [])}


def _as_text(value: Any) -> str:
    """Field value as text: lists joined by newlines, objects by their name/value."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "\n".join(text for text in map(_as_text, value) if text)
    if isinstance(value, dict):
        return _as_text(value.get("name") or value.get("value") or value.get("codeValue"))
    return str(value)
