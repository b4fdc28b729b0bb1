"""Stream vacancy records out of a CSV export, one vacancy per row.

The delimiter (",", ";", tab or "|") is sniffed from the header, since Dutch Excel writes
";" and its "Unicode text" export a tab; Excel's "sep=;" first line names it outright. The
encoding is UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text"), or Windows-1252
when the start is neither (see `feed_encoding`).
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterator
from pathlib import Path

from extractor.errors import FeedError
from extractor.ingest.vacancy_record import RawRecord, feed_encoding, field_key

_SAMPLE_BYTES = 64 * 1024
_DELIMITERS = (",", ";", "\t", "|")
_SEP_LINE = re.compile(r'^"?sep=(.)"?[ \t]*$', re.IGNORECASE)  # Excel: "sep=;" before the header
_ENCODING_ADVICE = "Save the CSV as UTF-8 (in Excel: Save as > CSV UTF-8)."
_COLUMNS_ADVICE = (
    "Name the columns that hold the vacancy text (vaardig feed --text-columns A,B; "
    "text_columns=[...] in the library)."
)


def iter_csv_records(
    path: Path, feed_name: str, text_fields: tuple[str, ...], *, all_required: bool = False
) -> Iterator[RawRecord]:
    """Records of a CSV feed, with row (1-based, header excluded) and line numbers.

    `text_fields` must be columns (by name or alias): all of them with `all_required`
    (the caller named them), else at least one (the defaults, "title" and "description").

    Raises:
        FeedError: the file is empty or in an unknown encoding, text columns are missing
            (checked before the first row), or the CSV is malformed (e.g. a field over
            128 KB, or bytes that are not in the file's encoding).
    """
    encoding = feed_encoding(path, feed_name)
    delimiter, sep_line = _sniff(path, encoding)
    with path.open(encoding=encoding, newline="") as handle:
        if sep_line:
            handle.readline()
        reader = csv.DictReader(handle, delimiter=delimiter)
        try:
            header = reader.fieldnames
        except (csv.Error, UnicodeDecodeError) as error:
            raise FeedError(
                feed_name, f"the CSV header cannot be read ({error})", advice=_ENCODING_ADVICE
            ) from error
        if not header:
            raise FeedError(feed_name, "the CSV file is empty", advice="Check the export.")
        _check_text_columns(feed_name, header, text_fields, all_required)
        row = 0
        try:
            for values in reader:
                row += 1
                yield _record(row, reader.line_num + sep_line, values, len(header))
        except (csv.Error, UnicodeDecodeError) as error:
            raise FeedError(
                feed_name,
                f"the CSV is malformed ({error})",
                row=row + 1,
                line=reader.line_num + sep_line,
                advice=f"Fix the CSV (check its quotes); if the encoding is the problem: "
                f"{_ENCODING_ADVICE}",
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


def _check_text_columns(
    feed_name: str, header: list[str], text_fields: tuple[str, ...], all_required: bool
) -> None:
    keys = {field_key(column) for column in header}
    missing = [name for name in text_fields if name not in header and field_key(name) not in keys]
    columns = ", ".join(header)
    if len(missing) == len(text_fields):
        raise FeedError(
            feed_name,
            f"the CSV has none of the text columns {', '.join(text_fields)} "
            f"(its columns: {columns})",
            advice=_COLUMNS_ADVICE,
        )
    if missing and all_required:
        raise FeedError(
            feed_name,
            f"the CSV has no column {', '.join(missing)}, named as a text column "
            f"(its columns: {columns})",
            advice="Correct the name, or leave it out of the text columns (vaardig feed "
            "--text-columns A,B; text_columns=[...] in the library).",
        )


def _sniff(path: Path, encoding: str) -> tuple[str, int]:
    """(delimiter, 1 if the first line is Excel's "sep=X" else 0) from the first 64 KB."""
    with path.open("rb") as handle:
        sample = handle.read(_SAMPLE_BYTES)
    # errors="replace": a sample cut inside a character, or a later bad byte, must not stop
    # the sniffing; reading the file itself is strict.
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(sample, final=False)
    lines = text.lstrip("\ufeff").split("\n", 2)
    sep = _SEP_LINE.match(lines[0].rstrip("\r"))
    if sep:
        return sep[1], 1
    return _header_delimiter(lines[0]), 0


def _header_delimiter(header: str) -> str:
    """The candidate delimiter that occurs most often in the header line (outside quotes).

    csv.Sniffer guesses from the data rows and is easily misled by commas in descriptions;
    header lines hold only column names.
    """
    unquoted = re.sub(r'"[^"]*"', "", header)
    counts = {candidate: unquoted.count(candidate) for candidate in _DELIMITERS}
    best = max(counts, key=lambda candidate: counts[candidate])
    return best if counts[best] else ","
