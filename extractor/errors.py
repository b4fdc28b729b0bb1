"""Errors raised while turning uploaded files and vacancy feeds into `Document`s.

Every error names the file it is about and tells the user what to do next, so the service
layer can show `str(error)` as is. Catch `IngestError` to handle all of them at once.

    try:
        doc = read_document(path)
    except IngestError as error:
        log.warning("rejected %s: %s", error.filename, error)
"""

from __future__ import annotations


class IngestError(Exception):
    """Base class: a file could not be read into a `Document`.

    Attributes:
        filename: the file (or feed id) the error is about, as given by the caller.
        detail: what is wrong with it.
        advice: what the user can do about it.
    """

    detail_default = "the file could not be read"
    advice_default = "Check the file and try again."

    def __init__(self, filename: str, detail: str | None = None, advice: str | None = None):
        self.filename = filename
        self.detail = detail or self.detail_default
        self.advice = advice or self.advice_default
        super().__init__(f"{filename}: {self.detail}. {self.advice}")


class UnsupportedFormatError(IngestError):
    """The bytes are not a PDF, DOCX, HTML or plain-text document (sniffed, not by extension)."""

    detail_default = "this is not a PDF, Word (.docx), HTML or plain-text document"
    advice_default = "Upload the CV or vacancy as PDF, Word (.docx), HTML or plain text."


class ScannedPdfError(IngestError):
    """The PDF has pages but no text layer: it is a scan or a picture of text."""

    detail_default = "PDF has no text layer: it is a scanned image; OCR is not supported"
    advice_default = (
        "Upload the original Word/PDF export instead (save as PDF from Word, not a scan)."
    )


class EncryptedPdfError(IngestError):
    """The PDF is password protected, so its text cannot be read."""

    detail_default = "PDF is password protected (encrypted)"
    advice_default = "Remove the password (save an unprotected copy) and upload that."


class CorruptFileError(IngestError):
    """The file claims a known format but is damaged or truncated."""

    detail_default = "the file is damaged or incomplete"
    advice_default = "Export or download the file again and upload the new copy."


class NotADocxError(IngestError):
    """A file named or typed as .docx is not a Word 2007+ (zip) document."""

    detail_default = "this is not a Word .docx file (a .docx is a zip archive; this is not)"
    advice_default = "Open it in Word and save it as .docx or PDF, then upload that."


class ZipBombError(IngestError):
    """The archive declares an absurd uncompressed size or compression ratio."""

    detail_default = "the archive would unpack to an unreasonable size (possible zip bomb)"
    advice_default = "Save the document again from Word as .docx or PDF and upload that."


class FileTooLargeError(IngestError):
    """The file exceeds the byte limit, or a PDF exceeds the page limit.

    Attributes:
        size: the measured size, in `unit` (None: more than the limit, not measured).
        limit: the configured limit, in `unit`.
        unit: "bytes" or "pages".
    """

    def __init__(self, filename: str, size: int | None, limit: int, unit: str = "bytes"):
        """``size`` None: the file is known to be over the limit (reading stopped just past
        it), not how far."""
        self.size, self.limit, self.unit = size, limit, unit
        if unit == "bytes":
            detail = (
                f"file is {_megabytes(size)}; the limit is {_megabytes(limit)}"
                if size is not None and _megabytes(size) != _megabytes(limit)
                else f"file is larger than the limit of {_megabytes(limit)}"
            )
            advice = (
                "Upload a smaller file (remove large images or split it), "
                "or raise max_bytes if you run the library yourself."
            )
        else:
            detail = f"document has {size} {unit}; the limit is {limit} {unit}"
            advice = (
                "Upload only the CV or vacancy itself, "
                "or raise max_pages if you run the library yourself."
            )
        super().__init__(filename, detail, advice)


class EmptyDocumentError(IngestError):
    """The file is empty, or contains only whitespace or markup without text."""

    detail_default = "the document contains no text"
    advice_default = "Check that you uploaded the right file; it appears to be empty."


class UnreadableFileError(IngestError):
    """A path that names no file, or a file the process may not read."""

    detail_default = "no such file"
    advice_default = "Check the path and the spelling of the file name."


class EncodingError(IngestError):
    """Text bytes are not UTF-8, UTF-16 (with BOM) or plausible Windows-1252."""

    detail_default = "the text encoding is not recognised (not UTF-8, UTF-16 or Windows-1252)"
    advice_default = "Save the file as UTF-8 text (in Notepad: Save as > Encoding UTF-8)."


class FeedError(IngestError):
    """A vacancy feed, or one vacancy in it, cannot be read.

    Attributes:
        row: 1-based number of the vacancy (record) in the feed, if known.
        line: 1-based line number in the file, if known.
        reason: what is wrong, without the position.
    """

    def __init__(
        self,
        filename: str,
        reason: str,
        row: int | None = None,
        line: int | None = None,
        advice: str | None = None,
    ):
        self.row, self.line, self.reason = row, line, reason
        where = ", ".join(
            part
            for part in (
                f"vacancy {row}" if row is not None else "",
                f"line {line}" if line is not None else "",
            )
            if part
        )
        detail = f"{where}: {reason}" if where else reason
        super().__init__(
            filename,
            detail,
            advice
            or "Fix or remove that vacancy, or skip bad vacancies (vaardig feed --skip-bad; "
            "skip_bad=True in the library).",
        )


def _megabytes(n_bytes: int) -> str:
    if n_bytes < 1_000_000:
        return f"{n_bytes / 1000:.0f} kB"
    return f"{n_bytes / 1_000_000:.1f} MB"
