"""`read_feed`: stream vacancy `Document`s out of a JSON, JSON Lines, JSON-LD, CSV or XML feed.

    reader = read_feed("vacatures.csv", skip_bad=True)
    for doc in reader:          # one Document(kind="vacancy") at a time
        ...
    reader.skipped              # FeedErrors for the rows that could not be read
    reader.warnings             # FeedErrors for what was read but not all of it (a bad date)

Memory stays constant in the number of vacancies (records are parsed one at a time), but
for the set of sources handed out, which keeps each vacancy's source unique.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from extractor.documents import Document
from extractor.errors import FeedError
from extractor.ingest.feed_csv import iter_csv_records
from extractor.ingest.feed_json import DEFAULT_MAX_RECORD_CHARS, iter_json_records
from extractor.ingest.feed_xml import iter_xml_records
from extractor.ingest.sniff import FEED_SUFFIXES, binary_kind
from extractor.ingest.vacancy_record import (
    DEFAULT_TEXT_FIELDS,
    RawRecord,
    field_key,
    is_typed_non_vacancy,
    record_to_document,
)

FEED_FORMATS = ("json", "csv", "xml")


class FeedReader(Iterator[Document]):
    """Iterator over the vacancies of one feed file, with an account of what it skipped.

    Attributes:
        name: the feed's file name (used in `Document.source` and errors).
        feed_format: "json" (array, JSON Lines or JSON-LD), "csv" or "xml".
        read: number of Documents yielded so far.
        skipped: FeedErrors for bad vacancies passed over (only with skip_bad=True).
        warnings: FeedErrors for vacancies that were read, but not all of them: a date we
            cannot read (the vacancy is kept without it); and, at the end of a JSON or XML
            feed, text columns you named that no vacancy has.
        ignored: JSON-LD nodes that are not JobPostings (Organization, WebPage, ...).
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        text_columns: tuple[str, ...] | list[str] | None = None,
        *,
        feed_format: str | None = None,
        skip_bad: bool = False,
        record_tag: str | None = None,
        per_sentence: bool = True,
        max_record_chars: int = DEFAULT_MAX_RECORD_CHARS,
    ):
        self.path = Path(path)
        self.name = self.path.name
        self.feed_format = feed_format or _detect_format(self.path)
        if self.feed_format not in FEED_FORMATS:
            raise ValueError(f"feed_format must be one of {FEED_FORMATS}, got {feed_format!r}")
        self.text_fields = tuple(text_columns or DEFAULT_TEXT_FIELDS)
        # Columns the caller named must exist; of the defaults one is enough.
        self._named_columns = bool(text_columns)
        self.skip_bad = skip_bad
        self.record_tag = record_tag
        self.per_sentence = per_sentence
        self.max_record_chars = max_record_chars
        self.read = 0
        self.skipped: list[FeedError] = []
        self.warnings: list[FeedError] = []
        self.ignored = 0
        self._documents: Iterator[Document] | None = None

    def __next__(self) -> Document:
        if self._documents is None:
            self._documents = self._generate()
        return next(self._documents)

    def _records(self) -> Iterator[RawRecord]:
        if self.feed_format == "json":
            return iter_json_records(self.path, self.name, self.max_record_chars)
        if self.feed_format == "csv":
            return iter_csv_records(
                self.path, self.name, self.text_fields, all_required=self._named_columns
            )
        return iter_xml_records(self.path, self.name, self.record_tag)

    def _generate(self) -> Iterator[Document]:
        sources: set[str] = set()
        # CSV checks its header; JSON and XML fields are looked for in the records.
        unseen = (
            set(self.text_fields) if self._named_columns and self.feed_format != "csv" else set()
        )
        for record in self._records():
            if record.fields is not None and is_typed_non_vacancy(record.fields):
                self.ignored += 1
                continue
            if unseen and record.fields is not None:
                keys = {field_key(name) for name in record.fields}
                unseen -= {n for n in unseen if n in record.fields or field_key(n) in keys}
            try:
                document = record_to_document(
                    record,
                    self.name,
                    self.text_fields,
                    self.per_sentence,
                    warnings=self.warnings,
                    sources=sources,
                )
            except FeedError as error:
                if not self.skip_bad:
                    raise
                self.skipped.append(error)
                continue
            self.read += 1
            yield document
        if self.read == 0 and not self.skipped:
            ignored = (
                f" ({self.ignored} JSON-LD nodes that are not JobPostings were passed over)"
                if self.ignored
                else ""
            )
            raise FeedError(
                self.name,
                f"the feed holds no vacancies{ignored}",
                advice="Check that you gave the right file and that the export is complete.",
            )
        if unseen and self.read:
            missing = ", ".join(name for name in self.text_fields if name in unseen)
            self.warnings.append(
                FeedError(
                    self.name,
                    f"no vacancy has the text field(s) {missing} you named",
                    advice="Check the spelling of the text columns (vaardig feed "
                    "--text-columns; text_columns=[...] in the library).",
                )
            )


def read_feed(
    path: str | os.PathLike[str],
    text_columns: tuple[str, ...] | list[str] | None = None,
    *,
    feed_format: str | None = None,
    skip_bad: bool = False,
    record_tag: str | None = None,
    per_sentence: bool = True,
    max_record_chars: int = DEFAULT_MAX_RECORD_CHARS,
) -> FeedReader:
    """Stream the vacancies of a feed as `Document(kind="vacancy")`s.

    Args:
        path: .json (array, JSON Lines or JSON-LD JobPostings), .jsonl, .jsonld, .csv or
            .xml; other names are sniffed from the first character.
        text_columns: fields whose text makes up the Document, in order (default
            ("title", "description")); known aliases such as "functietitel",
            "omschrijving" are matched too.
        feed_format: "json", "csv" or "xml" to override detection.
        skip_bad: pass over bad vacancies (recorded in `reader.skipped`) instead of
            raising. Malformed files (broken JSON array, malformed XML) still raise.
        record_tag: XML element holding one vacancy; detected when None.
        per_sentence: also fill `Document.sentence_langs`.
        max_record_chars: longest single vacancy accepted in JSON feeds.

    Returns:
        A FeedReader: an iterator of Documents (metadata: title, employer, date_posted
        "YYYY-MM-DD", region, location, id, category, row, dates; date_posted_unreadable
        when a date could not be read) that also exposes `.skipped`, `.warnings`, `.read`
        and `.ignored`. Nothing is read until you iterate. Sources are
        "<feed name>#<id or row>", with "@row<row>" appended when an id repeats.

    Raises (while iterating):
        FeedError: naming the feed, the vacancy number and line where known; also for a
            feed that holds no vacancies at all (an empty array, a CSV with only a header),
            and for `text_columns` missing from a CSV's header.
    """
    return FeedReader(
        path,
        text_columns,
        feed_format=feed_format,
        skip_bad=skip_bad,
        record_tag=record_tag,
        per_sentence=per_sentence,
        max_record_chars=max_record_chars,
    )


def _detect_format(path: Path) -> str:
    if path.is_dir():
        raise FeedError(
            path.name, "this is a folder, not a feed file", advice="Give one feed file."
        )
    with path.open("rb") as handle:
        head = handle.read(65536)  # a zip names its parts (word/, xl/) within the first 64 kB
    _refuse_documents(head, path.name)
    known = FEED_SUFFIXES.get(path.suffix.lower())
    if known:
        return known
    # BOMs and UTF-16's NULs aside, the first character tells JSON and XML from CSV
    head = head[:1024].lstrip(b"\xef\xbb\xbf\xff\xfe").replace(b"\x00", b"").lstrip(b" \t\r\n")
    if head[:1] in (b"[", b"{"):
        return "json"
    if head[:1] == b"<":
        return "xml"
    return "csv"


def _refuse_documents(head: bytes, name: str) -> None:
    """A PDF, Word or Excel file, image or archive is not a feed: say so, instead of reading
    its bytes as CSV rows ("the CSV has none of the text columns ... its columns: %PDF-1.4")."""
    what = binary_kind(head)
    if what:
        raise FeedError(
            name,
            f"this is {what}, not a vacancy feed",
            advice="Give a JSON, JSON Lines, JSON-LD, CSV or XML feed (save an Excel sheet as "
            "CSV UTF-8); read one CV or vacancy with `vaardig extract FILE`.",
        )
