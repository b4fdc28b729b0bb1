"""Stream vacancy records out of a CSV export, one vacancy per row.

The delimiter (",", ";", tab or "|") is sniffed, since Dutch Excel writes ";". The
encoding is UTF-8 (with or without BOM), or Windows-1252 when the start is not UTF-8.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterator
from pathlib import Path

from extractor.errors import FeedError
from extractor.ingest.vacancy_record import RawRecord, field_key

_SAMPLE_BYTES = 64 * 1024
_DELIMITERS = (",", ";", "\t", "|")


def iter_csv_records(
    path: Path, feed_name: str, text_fields: tuple[str, ...]
) -> Iterator[RawRecord]:
    """Records of a CSV feed, with row (1-based, header excluded) and line numbers.

    Raises:
        FeedError: the file has no header, none of `text_fields` is a column (checked
            before the first row), or the CSV is malformed (e.g. a field over 128 KB).
    """
    encoding, delimiter = _sniff(path)
    with path.open(encoding=encoding, newline="") as handle:
        reader = csv.DictReader(handle, delimiter=delimiter)
        try:
            header = reader.fieldnames
        except (csv.Error, UnicodeDecodeError) as error:
            raise FeedError(feed_name, f"the CSV header cannot be read ({error})") from error
        if not header:
            raise FeedError(feed_name, "the CSV file is empty", advice="Check the export.")
        _check_text_columns(feed_name, header, text_fields)
        row = 0
        try:
            for values in reader:
                row += 1
                yield _record(row, reader.line_num, values, len(header))
        except (csv.Error, UnicodeDecodeError) as error:
            raise FeedError(
                feed_name,
                f"the CSV is malformed ({error})",
                row=row + 1,
                line=reader.line_num,
                advice="Fix the CSV (check quotes and the encoding: save as UTF-8).",
            ) from error


def _record(row: int, line: int, values: dict, n_columns: int) -> RawRecord:
    extra = values.pop(None, None)
    if extra:
        return RawRecord(
            row, line, None, f"the row has {n_columns + len(extra)} fields, the header {n_columns}"
        )
    if any(value is None for value in values.values()):
        present = sum(value is not None for value in values.values())
        return RawRecord(row, line, None, f"the row has {present} fields, the header {n_columns}")
    return RawRecord(row, line, values)


def _check_text_columns(feed_name: str, header: list[str], text_fields: tuple[str, ...]) -> None:
    keys = {field_key(column) for column in header}
    found = [name for name in text_fields if name in header or field_key(name) in keys]
    if not found:
        raise FeedError(
            feed_name,
            f"the CSV has none of the text columns {', '.join(text_fields)} "
            f"(its columns: {', '.join(header)})",
            advice="Pass text_columns=[...] naming the columns that hold the vacancy text.",
        )


def _sniff(path: Path) -> tuple[str, str]:
    """(encoding, delimiter) from the first 64 KB."""
    with path.open("rb") as handle:
        sample = handle.read(_SAMPLE_BYTES)
    try:
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(sample, final=False)
        encoding = "utf-8-sig"
    except UnicodeDecodeError:
        text, encoding = sample.decode("cp1252", errors="replace"), "cp1252"
    delimiter = _header_delimiter(text.split("\n", 1)[0])
    return encoding, delimiter


def _header_delimiter(header: str) -> str:
    """The candidate delimiter that occurs most often in the header line (outside quotes).

    csv.Sniffer guesses from the data rows and is easily misled by commas in descriptions;
    header lines hold only column names.
    """
    unquoted = re.sub(r'"[^"]*"', "", header)
    counts = {candidate: unquoted.count(candidate) for candidate in _DELIMITERS}
    best = max(counts, key=lambda candidate: counts[candidate])
    return best if counts[best] else ","
