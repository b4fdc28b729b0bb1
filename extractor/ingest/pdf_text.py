"""PDF to plain text with pdfplumber, in reading order even for two-column CVs.

pdfplumber gives words with coordinates. We group them into rows, look for a vertical
gutter that no row crosses and that has real text on both sides, and then emit the left
column fully before the right one. Rows that cross the gutter (a name or title spanning
the page) split the page into bands that are read top to bottom.
"""

from __future__ import annotations

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

Word = dict[str, Any]  # pdfplumber word: {"text", "x0", "x1", "top", "bottom", ...}

_MIN_GUTTER = 8.0  # pt: narrowest white band we accept as a column gutter
_MIN_COLUMN_ROWS = 3  # rows of substantial text each column needs
_LEFT_MIN_SHARE = 0.15  # a left-column row is substantial at >= 15% of the page width
_RIGHT_MIN_SHARE = 0.25  # right: wider, so right-aligned dates are not taken for a column
_MAX_DEPTH = 2  # split at most twice: handles three-column pages too


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
    text = "\n\n".join(page_texts)
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
    blocks: list[str] = []
    band: list[Word] = []
    for row in rows:
        if any(word["x0"] < gutter < word["x1"] for word in row):
            blocks.extend(_band_blocks(band, gutter, x_min, x_max, width, depth))
            band = []
            blocks.append(_lines_text([row]))
        else:
            band.extend(row)
    blocks.extend(_band_blocks(band, gutter, x_min, x_max, width, depth))
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


def _find_gutter(rows: list[list[Word]], x_min: float, x_max: float, width: float) -> float | None:
    """x of the middle of the widest white vertical band that splits two real columns."""
    if len(rows) < 2 * _MIN_COLUMN_ROWS:
        return None
    lo, hi = int(x_min + 0.15 * (x_max - x_min)), int(x_max - 0.15 * (x_max - x_min))
    if hi - lo < _MIN_GUTTER:
        return None
    covered = [0] * (hi - lo)
    for row in rows:
        for word in row:
            for x in range(max(lo, int(word["x0"]) - 1), min(hi, int(word["x1"]) + 2)):
                covered[x - lo] += 1
    # A few rows may cross the gutter (a name or heading spanning the page).
    allowed = len(rows) // 20
    best: tuple[float, float] | None = None  # (width, centre) of the widest free band
    start = None
    for i, count in enumerate([*covered, len(rows) + 1]):
        if count <= allowed and start is None:
            start = i
        elif count > allowed and start is not None:
            if i - start >= _MIN_GUTTER and (best is None or i - start > best[0]):
                best = (i - start, lo + (start + i) / 2)
            start = None
    if best is None:
        return None
    gutter = best[1]
    left_rows = sum(
        1 for row in rows if _extent(row, right_of=None, left_of=gutter) >= _LEFT_MIN_SHARE * width
    )
    right_rows = sum(
        1 for row in rows if _extent(row, right_of=gutter, left_of=None) >= _RIGHT_MIN_SHARE * width
    )
    if left_rows >= _MIN_COLUMN_ROWS and right_rows >= _MIN_COLUMN_ROWS:
        return gutter
    return None


def _extent(row: list[Word], right_of: float | None, left_of: float | None) -> float:
    """Horizontal extent of the row's words on one side of a gutter (0 if none)."""
    side = [
        word
        for word in row
        if (right_of is None or word["x0"] >= right_of)
        and (left_of is None or word["x1"] <= left_of)
    ]
    return max(w["x1"] for w in side) - min(w["x0"] for w in side) if side else 0.0


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
