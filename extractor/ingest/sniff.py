"""Decide what format some bytes are in, from magic bytes first and the file name second.

The extension is only a hint: a PNG renamed to .txt is still rejected, and a PDF named
.docx is still read as a PDF.
"""

from __future__ import annotations

import json
from pathlib import PurePath

from extractor.errors import CorruptFileError, NotADocxError, UnsupportedFormatError

# Formats people upload by mistake, with what to tell them.
_KNOWN_UNSUPPORTED = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "this is an old Word 97-2003 (.doc) or Excel file"),
    (b"{\\rtf", "this is a Rich Text (.rtf) file"),
    (b"\x89PNG\r\n\x1a\n", "this is a PNG image, not a document"),
    (b"\xff\xd8\xff", "this is a JPEG image, not a document"),
    (b"GIF87a", "this is a GIF image, not a document"),
    (b"GIF89a", "this is a GIF image, not a document"),
    (b"II*\x00", "this is a TIFF image (a scan?), not a document"),
    (b"MM\x00*", "this is a TIFF image (a scan?), not a document"),
    (b"\x1f\x8b", "this is a gzip archive, not a document"),
    (b"7z\xbc\xaf\x27\x1c", "this is a 7-Zip archive, not a document"),
    (b"Rar!", "this is a RAR archive, not a document"),
    (b"\x7fELF", "this is a program, not a document"),
)
_HTML_MARKERS = ("<!doctype html", "<html", "<body", "<head", "<div", "<p>", "<p ")


def sniff_format(data: bytes, filename: str) -> str:
    """Return "pdf", "docx" or "text" (plain text or HTML: decide after decoding) for `data`.

    Raises:
        NotADocxError: the name ends in .docx but the bytes are not a zip archive.
        UnsupportedFormatError: the bytes are an image, archive, old .doc, program, etc.
    """
    suffix = PurePath(filename).suffix.lower()
    head = data[:1024]
    if head.lstrip(b"\x00\t\n\r\f ").startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        if suffix in (".docx", ".docm", ".dotx") or b"word/" in data[:65536]:
            return "docx"
        raise UnsupportedFormatError(filename, "this is a zip archive, not a Word (.docx) document")
    if suffix == ".docx":
        old_doc = head.startswith(_KNOWN_UNSUPPORTED[0][0])
        raise NotADocxError(
            filename,
            "this is an old Word 97-2003 .doc file renamed to .docx" if old_doc else None,
        )
    for magic, detail in _KNOWN_UNSUPPORTED:
        if head.startswith(magic):
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


_FEED_SUFFIXES = {
    ".json": "JSON",
    ".jsonl": "JSON Lines",
    ".ndjson": "JSON Lines",
    ".jsonld": "JSON-LD",
    ".csv": "CSV",
    ".tsv": "CSV",
    ".xml": "XML",
}


def data_file_kind(text: str, filename: str) -> str | None:
    """ "JSON", "CSV", "XML", ... when decoded text is a data file (a vacancy feed, an export)
    rather than one CV or vacancy; None for prose. By extension first, then by content: text
    that parses as JSON (whole, or its first line for JSON Lines), or an XML declaration that
    does not open an HTML page."""
    known = _FEED_SUFFIXES.get(PurePath(filename).suffix.lower())
    if known:
        return known
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
    if head.lstrip(b"\x00\t\n\r\f ").startswith(b"%PDF-"):
        return "a PDF document"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        if b"xl/" in head:
            return "an Excel workbook (.xlsx)"
        return "a Word document" if b"word/" in head else "a zip archive"
    if head.startswith(_KNOWN_UNSUPPORTED[0][0]):
        return "an old Word or Excel (97-2003) file"
    for magic, detail in _KNOWN_UNSUPPORTED:
        if head.startswith(magic):
            return detail.removeprefix("this is ").split(", not")[0]
    return None
