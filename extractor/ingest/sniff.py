"""Decide what format some bytes are in, from magic bytes first and the file name second.

The extension is only a hint: a PNG renamed to .txt is still rejected, and a PDF named
.docx is still read as a PDF.
"""

from __future__ import annotations

import json
from pathlib import PurePath

from extractor.errors import CorruptFileError, NotADocxError, UnsupportedFormatError

OLD_OFFICE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2: Word/Excel 97-2003
# Formats people upload by mistake: magic bytes, what the file is, and whether to add "not a
# document" when refusing it (an old .doc or an .rtf is a document, just not one we read).
_KNOWN_UNSUPPORTED = (
    (OLD_OFFICE, "an old Word 97-2003 (.doc) or Excel file", False),
    (b"{\\rtf", "a Rich Text (.rtf) file", False),
    (b"\x89PNG\r\n\x1a\n", "a PNG image", True),
    (b"\xff\xd8\xff", "a JPEG image", True),
    (b"GIF87a", "a GIF image", True),
    (b"GIF89a", "a GIF image", True),
    (b"II*\x00", "a TIFF image (a scan?)", True),
    (b"MM\x00*", "a TIFF image (a scan?)", True),
    (b"\x1f\x8b", "a gzip archive", True),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", True),
    (b"Rar!", "a RAR archive", True),
    (b"\x7fELF", "a program", True),
)
# file names that are vacancy feeds or data exports, and the format read_feed reads them as
FEED_SUFFIXES = {
    ".json": "json",
    ".jsonl": "json",
    ".ndjson": "json",
    ".jsonld": "json",
    ".csv": "csv",
    ".tsv": "csv",
    ".xml": "xml",
}
_HTML_MARKERS = ("<!doctype html", "<html", "<body", "<head", "<div", "<p>", "<p ")


def sniff_format(data: bytes, filename: str) -> str:
    """Return "pdf", "docx" or "text" (plain text or HTML: decide after decoding) for `data`.

    Raises:
        NotADocxError: the name ends in .docx but the bytes are not a zip archive.
        UnsupportedFormatError: the bytes are an image, archive, old .doc, program, etc.
    """
    suffix = PurePath(filename).suffix.lower()
    head = data[:1024]
    if _is_pdf(head):
        return "pdf"
    if _is_zip(head):
        if suffix in (".docx", ".docm", ".dotx") or b"word/" in data[:65536]:
            return "docx"
        what = binary_kind(data[:65536])  # an Excel workbook, or another zip archive
        raise UnsupportedFormatError(filename, f"this is {what}, not a Word (.docx) document")
    if suffix == ".docx":
        old_doc = head.startswith(OLD_OFFICE)
        raise NotADocxError(
            filename,
            "this is an old Word 97-2003 .doc file renamed to .docx" if old_doc else None,
        )
    for magic, what, not_a_document in _KNOWN_UNSUPPORTED:
        if head.startswith(magic):
            detail = f"this is {what}" + (", not a document" if not_a_document else "")
            raise UnsupportedFormatError(
                filename, detail, "Save it as PDF or Word (.docx) and upload that."
            )
    if suffix == ".pdf":
        raise CorruptFileError(filename, "the file is named .pdf but does not start like a PDF")
    return "text"


def is_html(text: str, filename: str) -> bool:
    """True for decoded text that is an HTML page (by extension or by its first tag)."""
    if PurePath(filename).suffix.lower() in (".html", ".htm", ".xhtml"):
        return True
    head = text.lstrip("\ufeff \t\r\n")[:400].lower()
    if head.startswith("<?xml") and "?>" in head:  # XHTML may open with an XML declaration
        head = head[head.index("?>") + 2 :].lstrip()
    return head.startswith(_HTML_MARKERS)


def _is_pdf(head: bytes) -> bool:
    return head.lstrip(b"\x00\t\n\r\f ").startswith(b"%PDF-")


def _is_zip(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06")


def data_file_kind(text: str, filename: str) -> str | None:
    """ "JSON", "CSV" or "XML" when decoded text is a data file (a vacancy feed, an export)
    rather than one CV or vacancy; None for prose. By extension first, then by content: text
    that parses as JSON (whole, or its first line for JSON Lines), or an XML declaration that
    does not open an HTML page."""
    known = FEED_SUFFIXES.get(PurePath(filename).suffix.lower())
    if known:
        return known.upper()
    head = text.lstrip("\ufeff \t\r\n")
    if head[:1] in ("{", "["):
        for candidate in (head, head.split("\n", 1)[0]):
            try:
                json.loads(candidate)
            except ValueError:
                continue
            return "JSON"
    if head[:5].lower() == "<?xml" and "<html" not in head[:2000].lower():
        return "XML"
    return None


def binary_kind(head: bytes) -> str | None:
    """What a file that is not text is ("a PDF document", "an Excel workbook (.xlsx)", "a PNG
    image", ...), from its first bytes (64 kB tell a Word from an Excel zip); None when it may
    be text."""
    if _is_pdf(head):
        return "a PDF document"
    if _is_zip(head):
        if b"xl/" in head:
            return "an Excel workbook (.xlsx)"
        return "a Word document" if b"word/" in head else "a zip archive"
    return next((what for magic, what, _ in _KNOWN_UNSUPPORTED if head.startswith(magic)), None)
