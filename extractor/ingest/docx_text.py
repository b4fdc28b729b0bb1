"""Word (.docx) to plain text with python-docx: paragraphs and tables in document order.

A .docx is a zip archive, so before python-docx unpacks anything we check the archive's
directory: the declared uncompressed sizes bound what extraction can allocate (zipfile
stops reading an entry at its declared size), so checking them is enough to stop bombs.
"""

from __future__ import annotations

import zipfile
from io import BytesIO
from typing import Any

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml.etree import LxmlError

from extractor.errors import CorruptFileError, NotADocxError, ZipBombError

MAX_UNCOMPRESSED_BYTES = 200_000_000  # a CV with photos is a few MB unpacked
MAX_COMPRESSION_RATIO = 200  # Word XML compresses ~5-30x; zeros compress ~1000x
_RATIO_MIN_BYTES = 1_000_000  # tiny entries may compress oddly; only large ones count


def check_zip(data: bytes, filename: str) -> None:
    """Refuse archives that are not .docx or that would unpack to absurd sizes.

    Raises:
        NotADocxError: not a zip, or a zip without word/document.xml.
        CorruptFileError: a zip that is cut off or damaged.
        ZipBombError: total declared size > MAX_UNCOMPRESSED_BYTES, or an entry larger
            than 1 MB compressed more than MAX_COMPRESSION_RATIO times.
    """
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            entries = archive.infolist()
    except zipfile.BadZipFile as error:
        if data.startswith(b"PK"):  # a zip, but cut off or damaged
            raise CorruptFileError(
                filename, f"the Word file is damaged or incomplete ({error})"
            ) from error
        raise NotADocxError(filename, f"this is not a valid zip archive ({error})") from error
    total = sum(entry.file_size for entry in entries)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise ZipBombError(
            filename,
            f"the archive declares {total:,} bytes uncompressed "
            f"(limit {MAX_UNCOMPRESSED_BYTES:,}); this looks like a zip bomb",
        )
    for entry in entries:
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > _RATIO_MIN_BYTES and ratio > MAX_COMPRESSION_RATIO:
            raise ZipBombError(
                filename,
                f"entry {entry.filename!r} is compressed {ratio:,.0f}x "
                f"(limit {MAX_COMPRESSION_RATIO}x); this looks like a zip bomb",
            )
    if "word/document.xml" not in {entry.filename for entry in entries}:
        raise NotADocxError(filename, "this zip archive is not a Word document")


def docx_to_text(data: bytes, filename: str) -> tuple[str, dict[str, Any]]:
    """Text of a .docx: one line per paragraph, one line per table cell, tables in place.

    Returns (text, metadata), metadata may hold "docx_title" from the core properties.

    Raises:
        NotADocxError, ZipBombError: see `check_zip`.
        CorruptFileError: the zip is fine but python-docx cannot read the document.
    """
    check_zip(data, filename)
    try:
        document = docx.Document(BytesIO(data))
        blocks = [_block_text(block) for block in document.iter_inner_content()]
        title = document.core_properties.title
    except (KeyError, ValueError, zipfile.BadZipFile, OSError, LxmlError) as error:
        # KeyError: a part named in [Content_Types].xml is missing; LxmlError: bad XML.
        raise CorruptFileError(filename, f"the Word document is damaged ({error!r})") from error
    metadata = {"docx_title": title.strip()} if title and title.strip() else {}
    return "\n".join(blocks), metadata


def _block_text(block: Paragraph | Table) -> str:
    if isinstance(block, Paragraph):
        return block.text
    return _table_text(block) + "\n"


def _table_text(table: Table) -> str:
    """Each distinct cell on its own line(s), row by row; merged cells appear once."""
    lines: list[str] = []
    seen: set[Any] = set()  # the <w:tc> elements: a merged cell repeats the same one
    for row in table.rows:
        for cell in row.cells:
            if cell._tc in seen:
                continue
            seen.add(cell._tc)
            for inner in cell.iter_inner_content():
                lines.append(_block_text(inner))
    return "\n".join(lines)
