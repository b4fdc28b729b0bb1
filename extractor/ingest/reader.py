"""`read_document`: one uploaded file (PDF, DOCX, HTML or plain text) to a `Document`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from extractor.documents import Document
from extractor.errors import (
    EmptyDocumentError,
    FileTooLargeError,
    UnreadableFileError,
    UnsupportedFormatError,
)
from extractor.ingest.build import build_document
from extractor.ingest.docx_text import docx_to_text
from extractor.ingest.html_text import html_to_text
from extractor.ingest.pdf_text import pdf_to_text
from extractor.ingest.plain_text import decode_text
from extractor.ingest.sniff import data_file_kind, is_html, sniff_format

DEFAULT_MAX_BYTES = 10_000_000  # 10 MB: a CV with a photo is well under 2 MB
DEFAULT_MAX_PAGES = 50


def read_document(
    path_or_bytes: str | os.PathLike[str] | bytes,
    filename: str | None = None,
    kind: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pages: int = DEFAULT_MAX_PAGES,
    per_sentence: bool = True,
) -> Document:
    """Read a CV, vacancy or other text file into a `Document`.

    The format is sniffed from the bytes (magic numbers), the extension is only a hint.

    Args:
        path_or_bytes: a file path, or the file's bytes (e.g. an upload).
        filename: name used in `Document.source` and error messages; defaults to the
            path's file name, or "<bytes>". Its extension helps tell HTML from text.
        kind: "cv", "vacancy" or "text"; guessed from the headings when None.
        max_bytes: refuse larger files (checked before reading a path).
        max_pages: refuse PDFs with more pages (checked before extracting text).
        per_sentence: also fill `Document.sentence_langs`.

    Returns:
        A Document with normalised text, lang, kind, sections and metadata
        ({"format": "pdf"|"docx"|"html"|"text", "dates": [...], ...}).

    Raises:
        FileTooLargeError, EmptyDocumentError, UnsupportedFormatError, EncodingError,
        ScannedPdfError, EncryptedPdfError, CorruptFileError, NotADocxError, ZipBombError
        UnreadableFileError (all `IngestError`s, each naming the file and what to do).
    """
    data, name = _load(path_or_bytes, filename, max_bytes)
    if not data:
        raise EmptyDocumentError(name, "the file is empty (0 bytes)")
    file_format = sniff_format(data, name)
    metadata: dict[str, Any]
    if file_format == "pdf":
        raw, metadata = pdf_to_text(data, name, max_pages)
    elif file_format == "docx":
        raw, metadata = docx_to_text(data, name)
    else:
        raw, metadata = decode_text(data, name), {}
        data_kind = data_file_kind(raw, name)
        if data_kind:
            raise UnsupportedFormatError(
                name,
                f"this is a data file ({data_kind}), not one CV or vacancy",
                "Load a vacancy feed as a feed (`vaardig feed FILE`, POST /vacancies/feed or "
                "the Trends page); give a CV or vacancy as PDF, Word (.docx), HTML or text.",
            )
        if is_html(raw, name):
            file_format = "html"
            raw, metadata = html_to_text(raw)
    metadata["format"] = file_format
    return build_document(raw, name, kind, metadata, per_sentence)


def document_from_text(
    text: str, source: str = "<text>", kind: str | None = None, per_sentence: bool = True
) -> Document:
    """A `Document` for text you already have (pasted into a form, sent to the API).

    Raises:
        EmptyDocumentError: `text` is empty or whitespace.
    """
    return build_document(text, source, kind, {"format": "text"}, per_sentence)


def _load(
    path_or_bytes: str | os.PathLike[str] | bytes, filename: str | None, max_bytes: int
) -> tuple[bytes, str]:
    if isinstance(path_or_bytes, bytes | bytearray | memoryview):
        data, name = bytes(path_or_bytes), filename or "<bytes>"
        if len(data) > max_bytes:
            raise FileTooLargeError(name, len(data), max_bytes)
        return data, name
    path = Path(path_or_bytes)
    name = filename or path.name
    if path.is_dir():
        raise UnsupportedFormatError(
            name, "this is a folder, not a file", f"Give the files in it, e.g. '{path}/*.pdf'."
        )
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise FileTooLargeError(name, size, max_bytes)
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)  # the file may grow between stat and read
    except FileNotFoundError:
        raise UnreadableFileError(str(path)) from None
    except PermissionError:
        raise UnreadableFileError(
            str(path),
            "this file may not be read (no permission)",
            "Give the user running Vaardig read access, or copy the file somewhere readable.",
        ) from None
    if len(data) > max_bytes:
        raise FileTooLargeError(name, None, max_bytes)  # it grew after stat
    return data, name
