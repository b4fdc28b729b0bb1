"""Uploaded files in, ``Document``s and extractions out, within the configured limits.

The glue between a multipart upload and the library: read the bytes (never more than the
limit), let ``extractor.ingest.read_document`` sniff and parse them, extract skills with the
app's one ``SkillExtractor`` (thread-safe: it serialises batches itself).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import uuid
from collections.abc import Sequence
from pathlib import Path

from fastapi import UploadFile

from extractor.claims import Extraction
from extractor.documents import Document
from extractor.errors import FileTooLargeError
from extractor.ingest import document_from_text, read_document
from matcher.store import AlreadyExists
from service.deps import ServiceState
from service.errors import ServiceError

_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]+")
FEED_SUFFIXES = (".json", ".jsonl", ".ndjson", ".jsonld", ".csv", ".tsv", ".xml")


def safe_filename(name: str | None, default: str = "upload") -> str:
    """The base name of an uploaded file, without path parts or control characters."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = _UNSAFE.sub("_", base).strip(" .")
    return (base or default)[:200]


def feed_suffix(filename: str) -> str:
    """The lower-case suffix of a vacancy feed's file name.

    Raises:
        ServiceError: 415, not a feed format (``FEED_SUFFIXES``).
    """
    suffix = Path(filename).suffix.lower()
    if suffix not in FEED_SUFFIXES:
        raise ServiceError(
            415,
            "unsupported_format",
            f"a vacancy feed must be one of {', '.join(FEED_SUFFIXES)}; got {filename!r}",
        )
    return suffix


def read_upload(state: ServiceState, upload: UploadFile, limit: int | None = None) -> bytes:
    """The upload's bytes; ``FileTooLargeError`` (413) beyond ``limit`` (default: the setting)."""
    limit = limit or state.settings.max_upload_bytes
    data = upload.file.read(limit + 1)
    if len(data) > limit:  # reading stopped just past the limit: the size is the upload's own
        size = upload.size if upload.size is not None and upload.size > limit else None
        raise FileTooLargeError(safe_filename(upload.filename), size, limit)
    return data


def spool_upload(
    state: ServiceState,
    upload: UploadFile,
    suffix: str,
    folder: str = "feeds",
    filename: str | None = None,
) -> Path:
    """Copy a large upload (a feed) to a private file under ``<data dir>/uploads/<folder>``,
    for a job that reads it after the request; at most ``max_feed_bytes`` (413 beyond, 422 for
    an empty file). With ``filename`` (a safe base name) the file keeps that name, in a folder
    of its own, so messages about it name the user's file. Remove it with
    :func:`discard_spooled`."""
    directory = Path(state.settings.data_dir) / "uploads" / folder
    if filename:
        directory = directory / uuid.uuid4().hex
        path = directory / filename
    else:
        path = directory / f"{uuid.uuid4().hex}{suffix}"
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    limit, written = state.settings.max_feed_bytes, 0
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := upload.file.read(1 << 20):
                written += len(chunk)
                if written > limit:
                    raise ServiceError(
                        413, "too_large", f"the feed is larger than {limit / 1e6:.0f} MB"
                    )
                out.write(chunk)
    except BaseException:
        discard_spooled(path)
        raise
    if written == 0:
        discard_spooled(path)
        raise ServiceError(422, "unreadable_document", "the feed is empty")
    return path


def discard_spooled(path: Path, *related: Path) -> None:
    """Delete a spooled upload (and ``related`` files next to it), and its own folder if it
    had one."""
    for item in (path, *related):
        item.unlink(missing_ok=True)
    if re.fullmatch(r"[0-9a-f]{32}", path.parent.name):
        with contextlib.suppress(OSError):  # not empty: something else is in it; leave it
            path.parent.rmdir()


def check_file_count(state: ServiceState, files: Sequence[UploadFile]) -> None:
    limit = state.settings.max_files_per_request
    if len(files) > limit:
        raise ServiceError(
            413, "too_many_files", f"{len(files)} files in one request; the limit is {limit}"
        )
    if not files:
        raise ServiceError(422, "validation_error", "no file in the upload")


def parse_document(state: ServiceState, data: bytes, filename: str, kind: str) -> Document:
    """Raises the ``IngestError``s of ``read_document`` (mapped to 413/415/422)."""
    return read_document(
        data,
        filename=filename,
        kind=kind,
        max_bytes=state.settings.max_upload_bytes,
        max_pages=state.settings.max_pages,
    )


def parse_text(
    state: ServiceState, text: str, kind: str | None, source: str = "<text>"
) -> Document:
    limit = state.settings.max_text_chars
    if len(text) > limit:
        raise ServiceError(413, "too_large", f"the text has {len(text)} characters; limit {limit}")
    return document_from_text(text, source=source, kind=kind)


def extract(state: ServiceState, documents: Sequence[Document]) -> list[Extraction]:
    """Skills in ``documents`` (one batch), with the app's extractor."""
    extractor = state.loaded("extractor").extractor
    return list(extractor.extract_many(documents))


def new_employee(state: ServiceState, org: int):
    """A new employee under a random pseudonymous id ("mw-3f9a1c2b"), never a name."""
    for _ in range(5):
        try:
            return state.passports.add_employee(org, f"mw-{secrets.token_hex(4)}")
        except AlreadyExists:
            continue
    raise AlreadyExists("could not find a free employee id; try again")


class DuplicateUpload(ServiceError):
    """409: this exact file (same bytes) is already stored for an employee of the organisation;
    uploading it again would only add the same evidence twice (or a second employee)."""

    def __init__(self, filename: str, existing, employee_id: str) -> None:
        self.filename, self.existing, self.employee = filename, existing, employee_id
        self.when = existing.uploaded_at.strftime("%d-%m-%Y")
        super().__init__(
            409,
            "duplicate_upload",
            f"{filename}: this file is already in the passport of employee {employee_id} "
            f"(uploaded {self.when} as {existing.filename}); open that passport instead of "
            "uploading it again",
        )

    def dutch(self) -> str:
        """The same for the web page."""
        return (
            f"„{self.filename}” is al geüpload op {self.when} (als „{self.existing.filename}”) "
            f"en staat in het paspoort van {self.employee}. Open dat paspoort in plaats van het "
            "cv opnieuw te uploaden."
        )


def check_not_uploaded(
    state: ServiceState, org: int, filename: str, content: bytes, seen: dict | None = None
) -> None:
    """Raise :class:`DuplicateUpload` when these bytes are already a stored CV of the
    organisation (a double click, a second tab, a retried upload). ``seen`` (sha256 of the
    bytes → filename) catches the same file twice in one request."""
    found = state.passports.find_documents(org, content)
    if found:
        first = found[0]
        who = (
            state.passports.get_employee(org, first.employee_id).external_id
            if first.employee_id is not None
            else "(no employee)"
        )
        raise DuplicateUpload(filename, first, who)
    if seen is not None:
        digest = hashlib.sha256(content).hexdigest()
        if digest in seen:
            raise ServiceError(
                409,
                "duplicate_upload",
                f"{filename}: the same file as {seen[digest]} in this upload; send it once",
            )
        seen[digest] = filename


def passport_for_new_employee(
    state: ServiceState,
    org: int,
    filename: str,
    content: bytes,
    document: Document,
    extraction: Extraction,
):
    """Add a pseudonymous employee and build their passport from one extracted CV.

    Returns ``(employee, MergeReport)``; other workers are told the passport changed.
    """
    employee = new_employee(state, org)
    return employee, store_cv(state, org, employee.id, filename, content, document, extraction)


def store_cv(
    state: ServiceState,
    org: int,
    employee_id: int,
    filename: str,
    content: bytes,
    document: Document,
    extraction: Extraction,
):
    """Store one extracted CV and its claims in the employee's passport (one transaction) and
    tell other workers the passport changed. Returns the ``MergeReport``."""
    report = state.passports.build_passport_from_document(
        org,
        employee_id,
        filename=filename,
        content=content,
        text=document.text,
        lang=document.lang,
        claims=extraction.claims,
    )
    state.passport_changed(org, employee_id)
    return report
