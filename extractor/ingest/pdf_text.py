"""PDF to plain text with pdfplumber, in reading order even for two-column CVs.

pdfplumber gives words with coordinates. We group them into rows, look for a vertical
gutter that hardly any row crosses and that has real text on both sides, and then emit the
left column fully before the right one. Rows that cross the gutter (a name or contact line
at the top, a footer at the bottom, a heading spanning the page) stay in place and split
the page into bands that are read top to bottom. A narrow left column of dates beside the
jobs (a CV table) is not a column: its rows are read across.

Words hyphenated at a line end are joined again, see `rejoin_hyphenated`; running headers and
footers repeated on every page are kept once, see `drop_running_lines`.
"""

from __future__ import annotations

import re
from io import BytesIO
from statistics import median
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from extractor.errors import (
    CorruptFileError,
    EmptyDocumentError,
    EncryptedPdfError,
    FileTooLargeError,
    IngestError,
    ScannedPdfError,
)
from extractor.ingest.dates import find_date_ranges

Word = dict[str, Any]  # pdfplumber word: {"text", "x0", "x1", "top", "bottom", ...}

_MIN_GUTTER = 8.0  # pt: narrowest white band we accept as a column gutter
_MIN_COLUMN_ROWS = 3  # rows of substantial text each column needs
_LEFT_MIN_SHARE = 0.15  # a left-column row is substantial at >= 15% of the page width
_RIGHT_MIN_SHARE = 0.25  # right: wider, so right-aligned dates are not taken for a column
_MAX_EDGE_ROWS = 3  # rows at the top (name, title) or bottom (footer) that may cross a gutter
_MAX_DEPTH = 2  # split at most twice: handles three-column pages too
# The last word of a line when it is cut after a lowercase letter: "voor nieuw-".
_LINE_END_FRAGMENT = re.compile(r"(?:^|\s)(\S*\w)-$")
_HYPHENATED_ABBREVIATIONS = {"vmbo", "mbo", "hbo", "wo", "havo", "vwo", "btw", "cv", "ict", "hr"}
_YEAR_ONLY = re.compile(r"(?:19|20)\d{2}")


def pdf_to_text(data: bytes, filename: str, max_pages: int) -> tuple[str, dict[str, Any]]:
    """Text of a PDF in reading order.

    Returns (text, metadata) with metadata["pages"] and metadata["pages_without_text"]
    (pages with no text layer, e.g. a scanned certificate appended to a digital CV).

    Raises:
        EncryptedPdfError: the PDF needs a password to open.
        CorruptFileError: pdfminer cannot parse the file (truncated, damaged).
        FileTooLargeError: more than `max_pages` pages (checked before extracting text).
        ScannedPdfError: pages hold images or drawings but no text layer.
        EmptyDocumentError: the pages are blank.
    """
    try:
        pdf = pdfplumber.open(BytesIO(data))
    except PdfminerException as error:
        raise _pdfminer_error(error, filename) from error
    with pdf:
        try:
            return _extract(pdf, filename, max_pages)
        except IngestError:
            raise
        except Exception as error:
            # pdfminer raises many unrelated exception types on damaged content streams;
            # whatever it is, the user's remedy is the same: export the file again.
            raise CorruptFileError(filename, f"the PDF is damaged ({error!r})") from error


def _extract(pdf: Any, filename: str, max_pages: int) -> tuple[str, dict[str, Any]]:
    n_pages = len(pdf.pages)
    if n_pages > max_pages:
        raise FileTooLargeError(filename, n_pages, max_pages, unit="pages")
    if n_pages == 0:
        raise CorruptFileError(filename, "the PDF has no pages")
    page_texts, has_graphics, pages_without_text = [], False, 0
    for page in pdf.pages:
        words = page.extract_words(keep_blank_chars=False, use_text_flow=False)
        if words:
            page_texts.append(_region_text(words, 0.0, float(page.width), float(page.width)))
        else:
            pages_without_text += 1
            has_graphics = has_graphics or bool(page.images or page.rects or page.curves)
        page.close()  # drop the page's cached layout: keeps memory flat on long files
    text = rejoin_hyphenated("\n\n".join(drop_running_lines(page_texts)))
    if not text.strip():
        if has_graphics:
            raise ScannedPdfError(filename)
        raise EmptyDocumentError(filename, "the PDF pages are blank")
    # A scanned page inside an otherwise digital PDF: worth a warning, not a failure.
    metadata: dict[str, Any] = {"pages": n_pages, "pages_without_text": pages_without_text}
    title = pdf.metadata.get("Title")
    if isinstance(title, str) and title.strip():
        metadata["pdf_title"] = title.strip()
    return text, metadata


_EDGE_LINES = 2  # lines at the top and at the bottom of a page where running heads sit
_DIGITS = re.compile(r"\d+")


def drop_running_lines(page_texts: list[str]) -> list[str]:
    """Drop the running header and footer lines that repeat on every page ("Kevin van den
    Berg – cv", "pagina 2 van 3"), keeping their first appearance: repeated, they add the
    same evidence (or the same job title) once per page.

    A line counts when it is among the first or last ``_EDGE_LINES`` lines of a page and the
    same, digits aside, on every page of a PDF of two or more pages.
    """
    if len(page_texts) < 2:
        return page_texts
    pages = [text.split("\n") for text in page_texts]

    def edges(lines: list[str]) -> set[str]:
        return {
            _DIGITS.sub("#", line.strip()) for line in lines[:_EDGE_LINES] + lines[-_EDGE_LINES:]
        }

    running = set.intersection(*(edges(lines) for lines in pages)) - {""}
    if not running:
        return page_texts
    out = [page_texts[0]]
    for lines in pages[1:]:
        n = len(lines)
        kept = [
            line
            for i, line in enumerate(lines)
            if not (
                (i < _EDGE_LINES or i >= n - _EDGE_LINES)
                and _DIGITS.sub("#", line.strip()) in running
            )
        ]
        out.append("\n".join(kept))
    return out


def rejoin_hyphenated(text: str) -> str:
    """Undo hyphenation at line ends: "nieuw-\nbouwprojecten en" becomes
    "nieuwbouwprojecten\nen" (the word moves up; the lines stay lines).

    Only a lowercase letter + "-" before a line that starts with a lowercase letter is
    rejoined; with a capital or a digit on either side the hyphen is likely part of the
    word ("VCA-VOL", "Noord-Brabant", "2-jarig") and the text stays as it is. The hyphen is
    kept when the word is spelled with it elsewhere in the text ("btw-aangifte") or follows
    an abbreviation that Dutch always hyphenates ("mbo-opleiding"). Blank lines (column and
    page breaks) are never crossed.
    """
    if "-\n" not in text:
        return text
    lines = text.split("\n")
    i = 0
    while i < len(lines) - 1:
        match = _LINE_END_FRAGMENT.search(lines[i])
        following = lines[i + 1]
        if match is None or not match.group(1)[-1].islower() or not following[:1].islower():
            i += 1
            continue
        head, _, rest = following.partition(" ")
        fragment = match.group(1)
        word = f"{fragment}-{head.rstrip('.,;:!?)')}"
        keep = fragment.lower() in _HYPHENATED_ABBREVIATIONS or word in text
        lines[i] = lines[i][: match.start(1)] + fragment + ("-" if keep else "") + head
        if rest.strip():
            lines[i + 1] = rest.lstrip()
            i += 1
        else:
            del lines[i + 1]  # the next line was only the rest of the word; look again
    return "\n".join(lines)


def _pdfminer_error(error: PdfminerException, filename: str) -> IngestError:
    cause = error.args[0] if error.args else error
    if isinstance(cause, PDFPasswordIncorrect):
        return EncryptedPdfError(filename)
    if isinstance(cause, PDFEncryptionError):
        return EncryptedPdfError(filename, f"PDF uses an unsupported encryption ({cause})")
    return CorruptFileError(filename, f"the PDF cannot be opened ({cause!r})")


def _region_text(words: list[Word], x_min: float, x_max: float, page_width: float) -> str:
    """Text of the words in one region, splitting it at a column gutter when there is one."""
    return "\n\n".join(_blocks(words, x_min, x_max, page_width, depth=0))


def _blocks(words: list[Word], x_min: float, x_max: float, width: float, depth: int) -> list[str]:
    rows = _rows(words)
    gutter = _find_gutter(rows, x_min, x_max, width) if depth < _MAX_DEPTH else None
    if gutter is None:
        return [_lines_text(rows)]
    # Runs of rows that cross the gutter (a name line, a footer, a full-width paragraph)
    # stay in place as they are; the rows between them are read column by column.
    blocks: list[str] = []
    run: list[list[Word]] = []
    run_crosses = False
    for row in [*rows, None]:
        crosses = row is not None and _crosses(row, gutter)
        if run and (row is None or crosses != run_crosses):
            if run_crosses:
                blocks.append(_lines_text(run))
            else:
                band = [word for band_row in run for word in band_row]
                blocks.extend(_band_blocks(band, gutter, x_min, x_max, width, depth))
            run = []
        if row is not None:
            run.append(row)
            run_crosses = crosses
    return [block for block in blocks if block]


def _band_blocks(
    band: list[Word], gutter: float, x_min: float, x_max: float, width: float, depth: int
) -> list[str]:
    left = [word for word in band if word["x1"] <= gutter]
    right = [word for word in band if word["x0"] >= gutter]
    blocks = []
    if left:
        blocks.extend(_blocks(left, x_min, gutter, width, depth + 1))
    if right:
        blocks.extend(_blocks(right, gutter, x_max, width, depth + 1))
    return blocks


def _rows(words: list[Word]) -> list[list[Word]]:
    """Group words into visual rows (same baseline within half a line), top to bottom."""
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        height = word["bottom"] - word["top"]
        if rows and abs(word["top"] - rows[-1][0]["top"]) <= height / 2:
            rows[-1].append(word)
        else:
            rows.append([word])
    return [sorted(row, key=lambda w: w["x0"]) for row in rows]


def _crosses(row: list[Word], gutter: float) -> bool:
    return any(word["x0"] < gutter < word["x1"] for word in row)


def _find_gutter(rows: list[list[Word]], x_min: float, x_max: float, width: float) -> float | None:
    """x of the middle of the widest white vertical band that splits two real columns.

    Up to `_MAX_EDGE_ROWS` rows that cross a band at the top of the region (a name, a
    title) or at its bottom (a footer) do not count against it, nor do a few rows in
    between (a heading spanning the page); `_blocks` keeps all of them in place. The band
    must then have real columns on both sides, see `_are_columns`.
    """
    if len(rows) < 2 * _MIN_COLUMN_ROWS:
        return None
    lo, hi = int(x_min + 0.15 * (x_max - x_min)), int(x_max - 0.15 * (x_max - x_min))
    if hi - lo < _MIN_GUTTER:
        return None
    crossing: list[list[int]] = [[] for _ in range(hi - lo)]  # per x: rows over it, in order
    for index, row in enumerate(rows):
        covered: set[int] = set()
        for word in row:
            covered.update(range(max(lo, int(word["x0"]) - 1), min(hi, int(word["x1"]) + 2)))
        for x in covered:
            crossing[x - lo].append(index)
    allowed = max(1, len(rows) // 20)
    blocked = [_interior_count(indices, len(rows)) > allowed for indices in crossing]
    best: tuple[float, float] | None = None  # (width, centre) of the widest free band
    start = None
    for i, is_blocked in enumerate([*blocked, True]):
        if not is_blocked and start is None:
            start = i
        elif is_blocked and start is not None:
            if i - start >= _MIN_GUTTER and (best is None or i - start > best[0]):
                best = (i - start, lo + (start + i) / 2)
            start = None
    if best is None or not _are_columns(rows, best[1], width):
        return None
    return best[1]


def _interior_count(indices: list[int], n_rows: int) -> int:
    """How many of the rows `indices` (sorted) are not among the first or last
    `_MAX_EDGE_ROWS` rows of an unbroken run from the first or up to the last row."""
    leading = 0
    while leading < min(len(indices), _MAX_EDGE_ROWS) and indices[leading] == leading:
        leading += 1
    trailing = 0
    while (
        trailing < min(len(indices) - leading, _MAX_EDGE_ROWS)
        and indices[-1 - trailing] == n_rows - 1 - trailing
    ):
        trailing += 1
    return len(indices) - leading - trailing


def _are_columns(rows: list[list[Word]], gutter: float, width: float) -> bool:
    """Whether the rows that do not cross `gutter` form two real columns.

    The right side needs `_MIN_COLUMN_ROWS` wide rows, so right-aligned dates are no
    column. The left side needs as many wide rows, or, for a sidebar of short entries
    ("VCA", "Rijbewijs B"), as many rows with nothing to their right: a label or date
    column has its value or job beside every entry. A left side that is mostly dates is
    the period column of a CV table, and reading it apart from its jobs loses the pairing.
    """
    left_wide = right_wide = left_only = dates = left_rows = 0
    for row in rows:
        if _crosses(row, gutter):
            continue
        left = [word for word in row if word["x1"] <= gutter]
        right = [word for word in row if word["x0"] >= gutter]
        right_wide += _extent(right) >= _RIGHT_MIN_SHARE * width
        if not left:
            continue
        left_rows += 1
        left_wide += _extent(left) >= _LEFT_MIN_SHARE * width
        left_only += not right
        dates += _is_period(" ".join(word["text"] for word in left))
    if right_wide < _MIN_COLUMN_ROWS or 2 * dates >= left_rows:
        return False
    return left_wide >= _MIN_COLUMN_ROWS or left_only >= _MIN_COLUMN_ROWS


def _is_period(text: str) -> bool:
    """A short text that is a date range or a year: the period column of a CV table."""
    return len(text.split()) <= 6 and bool(_YEAR_ONLY.fullmatch(text) or find_date_ranges(text))


def _extent(words: list[Word]) -> float:
    """Horizontal extent of the words (0 if none)."""
    return max(w["x1"] for w in words) - min(w["x0"] for w in words) if words else 0.0


def _lines_text(rows: list[list[Word]]) -> str:
    """Rows to lines; a vertical gap larger than ~1 line height becomes a blank line."""
    if not rows:
        return ""
    heights = [row[0]["bottom"] - row[0]["top"] for row in rows]
    typical = median(heights)
    lines: list[str] = []
    previous_bottom = None
    for row in rows:
        top = min(word["top"] for word in row)
        if previous_bottom is not None and top - previous_bottom > 0.8 * typical:
            lines.append("")
        lines.append(" ".join(word["text"] for word in row))
        previous_bottom = max(word["bottom"] for word in row)
    return "\n".join(lines)
