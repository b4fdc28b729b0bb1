"""One vacancy record from a feed (a dict of fields) to a `Document(kind="vacancy")`.

Records come from JSON, CSV or XML with varying field names ("title", "functietitel",
"Werkgever", ...) or as schema.org `JobPosting`s; both are mapped onto the same
metadata keys: title, employer, date_posted (YYYY-MM-DD), region, location, id, category.

Also what the CSV and JSON readers share: `feed_encoding`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from extractor.documents import Document
from extractor.errors import EmptyDocumentError, FeedError, IngestError
from extractor.ingest.build import build_document
from extractor.ingest.dates import month_number
from extractor.ingest.html_text import html_to_text, looks_like_html
from extractor.ingest.plain_text import text_encoding

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
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?"  # "05-03-2024 10:30": the time is dropped
_DAY_MONTH_YEAR = re.compile(rf"^(\d{{1,2}})[-/.](\d{{1,2}})[-/.](\d{{4}}){_TIME}$")
_YEAR_MONTH_DAY = re.compile(rf"^(\d{{4}})[-/.](\d{{1,2}})[-/.](\d{{1,2}}){_TIME}$")
# "5 maart 2024", "di 5 mrt. 2024", "5 March 2024"; and "March 5, 2024"
_DAY_NAME_YEAR = re.compile(r"^(?:[a-z]+\.?,?\s+)?(\d{1,2})\.?\s+([a-z]+\.?),?\s+(\d{4})$", re.I)
_NAME_DAY_YEAR = re.compile(r"^([a-z]+\.?)\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$", re.I)
_DATE_FORMATS = "YYYY-MM-DD, dd-mm-yyyy or 5 maart 2024"
_SAMPLE_BYTES = 64 * 1024


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
    *,
    warnings: list[FeedError] | None = None,
    sources: set[str] | None = None,
) -> Document:
    """A vacancy `Document` for one record; text is the text fields joined by blank lines.

    Its source is "<feed>#<id>" ("<feed>#<row>" without an id). With `sources` (the
    sources handed out so far, updated here) a repeated id gets "@row<row>" appended, so
    every vacancy of a feed has its own source.

    A date_posted we cannot read does not cost the vacancy: it is kept without one, the
    value is kept as metadata["date_posted_unreadable"], and a FeedError describing it is
    appended to `warnings` (when given).

    Raises:
        FeedError: the record has a problem or no text; the error names the feed, the
            record number and (when known) the line.
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
            metadata["date_posted_unreadable"] = metadata.pop("date_posted")
            if warnings is not None:
                warnings.append(
                    FeedError(
                        feed_name,
                        f"{error}; the vacancy is kept without a date",
                        row=record.row,
                        line=record.line,
                        advice=f"Write dates as {_DATE_FORMATS} to have them read.",
                    )
                )
    metadata["row"] = record.row
    source = f"{feed_name}#{metadata.get('id', record.row)}"
    if sources is not None:
        if source in sources:  # a repeated id: the row number tells the vacancies apart
            source = f"{source}@row{record.row}"
            while source in sources:  # only if an id itself reads "V2@row3"
                source += "+"
        sources.add(source)
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
    """ISO date string "YYYY-MM-DD" for the date forms feeds use: an ISO date or datetime,
    "2024/03/06", Dutch "06-03-2024" (also with / or .), "5 maart 2024", "di 5 mrt. 2024",
    "5 March 2024" or "March 5, 2024". A time after a numeric date is ignored.

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
    parts: tuple[int | None, ...] | None = None
    if match := _DAY_MONTH_YEAR.match(text):
        parts = (int(match[3]), int(match[2]), int(match[1]))
    elif match := _YEAR_MONTH_DAY.match(text):
        parts = (int(match[1]), int(match[2]), int(match[3]))
    elif match := _DAY_NAME_YEAR.match(text):
        parts = (int(match[3]), month_number(match[2]), int(match[1]))
    elif match := _NAME_DAY_YEAR.match(text):
        parts = (int(match[3]), month_number(match[1]), int(match[2]))
    if parts is not None and None not in parts:
        year, month, day = parts
        try:
            return date(year, month, day).isoformat()  # type: ignore[arg-type]
        except ValueError:
            pass
    raise ValueError(f"date {value!r} is not a date (use {_DATE_FORMATS})")


def feed_encoding(path: Path, feed_name: str) -> str:
    """The text encoding of a CSV or JSON feed, judged from its first 64 KB as a text upload's
    is (`plain_text.text_encoding`): UTF-8 with or without BOM, UTF-16 with a BOM or without
    (Excel's "Unicode text"), or Windows-1252 when the bytes read as text that way. A file
    that is UTF-8 at the start but not further on fails while it is read; the readers turn
    that UnicodeDecodeError into a FeedError.

    Raises:
        FeedError: the bytes are binary, or text in none of these encodings.
    """
    with path.open("rb") as handle:
        sample = handle.read(_SAMPLE_BYTES)
    try:
        return text_encoding(sample, feed_name, partial=True)
    except IngestError as error:
        raise FeedError(
            feed_name,
            f"the feed is not text in an encoding we know ({error.detail})",
            advice="Save the feed as UTF-8 (in Excel: CSV UTF-8; in an editor: "
            "Save as > Encoding UTF-8).",
        ) from error


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
