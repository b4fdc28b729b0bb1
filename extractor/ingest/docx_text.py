"""Word (.docx) to plain text: the document XML walked in order, headers and footers last.

python-docx opens the package and gives the core title and the header/footer parts, but
its `Paragraph.text` only sees runs that are direct children of a paragraph, and its
block iterator only direct children of the body. Word CV templates put much of their text
elsewhere: in content controls (`w:sdt`, around paragraphs and tables and inside
paragraphs), tracked insertions (`w:ins`), simple fields (`w:fldSimple`), hyperlinks and
text boxes. So we walk the XML ourselves:

- blocks (`w:p`, `w:tbl`) in document order, descending into content controls and custom
  XML; one line per paragraph, one line per paragraph of each table cell, tables in place;
- every run under a paragraph, whatever wraps it, except deleted (`w:del`) and moved-away
  (`w:moveFrom`) text; `w:t` as is, tabs as "\\t", line breaks as "\\n";
- a text box as its own paragraphs right after the paragraph that anchors it; Word stores
  a box twice (DrawingML in `mc:Choice`, VML in `mc:Fallback`), we read the Choice only;
- headers and footers after the body, each distinct text once (first-page, even and
  default headers often repeat, and every section may repeat them again).

A .docx is a zip archive, so before python-docx unpacks anything we check the archive's
directory: the declared uncompressed sizes bound what extraction can allocate (zipfile
stops reading an entry at its declared size), so checking them is enough to stop bombs.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from io import BytesIO
from typing import Any

import docx
from lxml.etree import LxmlError, _Element

from extractor.errors import CorruptFileError, NotADocxError, ZipBombError

MAX_UNCOMPRESSED_BYTES = 200_000_000  # a CV with photos is a few MB unpacked
MAX_COMPRESSION_RATIO = 200  # Word XML compresses ~5-30x; zeros compress ~1000x
_RATIO_MIN_BYTES = 1_000_000  # tiny entries may compress oddly; only large ones count

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_P, _TBL, _TR, _TC, _R = f"{_W}p", f"{_W}tbl", f"{_W}tr", f"{_W}tc", f"{_W}r"
_SDT, _SDT_CONTENT, _TXBX = f"{_W}sdt", f"{_W}sdtContent", f"{_W}txbxContent"
_ALTERNATE, _CHOICE = f"{_MC}AlternateContent", f"{_MC}Choice"
# Wrappers whose children are more blocks (body level) or more cells/rows (table level).
_BLOCK_WRAPPERS = {_SDT_CONTENT, f"{_W}customXml"}
# Under a paragraph: never text (properties, deleted or moved-away text, field codes).
_NOT_TEXT = {
    f"{_W}pPr",
    f"{_W}rPr",
    f"{_W}sdtPr",
    f"{_W}sdtEndPr",
    f"{_W}del",
    f"{_W}moveFrom",
    f"{_W}customXmlPr",
    f"{_W}smartTagPr",
}
# Run children that are text, and what they read as (w:t holds its own text).
_RUN_TEXT = {
    f"{_W}tab": "\t",
    f"{_W}ptab": "\t",
    f"{_W}br": "\n",
    f"{_W}cr": "\n",
    f"{_W}noBreakHyphen": "-",
}
_RUN_T = f"{_W}t"
# Run children that can hold a text box (w:drawing, w:pict, w:object, mc:AlternateContent).
_RUN_SHAPES = {f"{_W}drawing", f"{_W}pict", f"{_W}object", _ALTERNATE}


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
    """Text of a .docx: one line per paragraph, one line per table cell paragraph, tables
    and text boxes in place, then the distinct header and footer texts.

    Returns (text, metadata), metadata may hold "docx_title" from the core properties.

    Raises:
        NotADocxError, ZipBombError: see `check_zip`.
        CorruptFileError: the zip is fine but python-docx cannot read the document.
    """
    check_zip(data, filename)
    try:
        document = docx.Document(BytesIO(data))
        body = document.element.body  # None in a document.xml without <w:body>
        lines = [] if body is None else _block_lines(body)
        lines.extend(_header_footer_lines(document))
        title = document.core_properties.title
    except (KeyError, ValueError, zipfile.BadZipFile, OSError, LxmlError) as error:
        # KeyError: a part named in [Content_Types].xml is missing; LxmlError: bad XML.
        raise CorruptFileError(filename, f"the Word document is damaged ({error!r})") from error
    metadata = {"docx_title": title.strip()} if title and title.strip() else {}
    return "\n".join(lines), metadata


def _header_footer_lines(document: Any) -> list[str]:
    """Lines of every header, then every footer, each distinct text once, after a blank line.

    A header "linked to previous" has no part of its own (python-docx would create one if
    we read it), so only parts a section really defines are read.
    """
    texts: list[str] = []
    for kind in ("header", "footer"):
        for section in document.sections:
            for variant in (f"first_page_{kind}", kind, f"even_page_{kind}"):
                part = getattr(section, variant)
                if part.is_linked_to_previous:
                    continue
                text = "\n".join(_block_lines(part._element)).strip("\n")
                if text and text not in texts:
                    texts.append(text)
    return [line for text in texts for line in ("", *text.split("\n"))]


def _block_lines(container: _Element) -> list[str]:
    """Lines of the paragraphs and tables directly in `container` (body, cell, text box...),
    looking through content controls; a table is followed by an empty line."""
    lines: list[str] = []
    for child in container:
        tag = child.tag
        if tag == _P:
            lines.extend(_paragraph_lines(child))
        elif tag == _TBL:
            lines.extend(_table_lines(child))
            lines.append("")
        elif tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                lines.extend(_block_lines(content))
        elif tag in _BLOCK_WRAPPERS:
            lines.extend(_block_lines(child))
    return lines


def _paragraph_lines(paragraph: _Element) -> list[str]:
    """The paragraph's text as one line (it may hold "\\n" from line breaks), followed by
    the lines of the text boxes anchored in it."""
    parts: list[str] = []
    boxes: list[_Element] = []
    _inline_text(paragraph, parts, boxes)
    text = "".join(parts)
    lines = [] if not text and _mark_deleted(paragraph) else [text]
    for box in boxes:
        lines.extend(_block_lines(box))
    return lines


def _inline_text(element: _Element, parts: list[str], boxes: list[_Element]) -> None:
    """Collect the text of the runs under `element` in order (through w:ins, w:hyperlink,
    w:fldSimple, w:smartTag, inline w:sdt...) and the text boxes they anchor."""
    for child in element:
        tag = child.tag
        if tag == _R:
            for item in child:
                item_tag = item.tag
                if item_tag == _RUN_T:
                    parts.append(item.text or "")
                elif item_tag in _RUN_TEXT:
                    parts.append(_RUN_TEXT[item_tag])
                elif item_tag in _RUN_SHAPES:
                    _find_text_boxes(item, boxes)
        elif tag == _ALTERNATE:
            _find_text_boxes(child, boxes)
        elif isinstance(tag, str) and tag not in _NOT_TEXT:
            _inline_text(child, parts, boxes)


def _find_text_boxes(element: _Element, boxes: list[_Element]) -> None:
    """Outermost w:txbxContent elements under `element`; of mc:AlternateContent only the
    first mc:Choice is read, so the VML fallback copy of a box is not read twice."""
    if element.tag == _TXBX:
        boxes.append(element)
        return
    if element.tag == _ALTERNATE:
        choice = element.find(_CHOICE)
        children = [] if choice is None else [choice]
    else:
        children = list(element)
    for child in children:
        if isinstance(child.tag, str):
            _find_text_boxes(child, boxes)


def _mark_deleted(paragraph: _Element) -> bool:
    """True when the paragraph mark itself is a tracked deletion (a deleted paragraph)."""
    return paragraph.find(f"{_W}pPr/{_W}rPr/{_W}del") is not None


def _table_lines(table: _Element) -> list[str]:
    """Each cell's lines, row by row. Rows and cells may sit in content controls too. A
    vertically merged cell appears once: the cells it continues into are empty."""
    lines: list[str] = []
    for row in _through_wrappers(table, _TR):
        for cell in _through_wrappers(row, _TC):
            cell_lines = _block_lines(cell)
            if _continues_merge(cell) and not any(line.strip() for line in cell_lines):
                continue
            lines.extend(cell_lines)
    return lines


def _through_wrappers(element: _Element, tag: str) -> Iterator[_Element]:
    """Children of `element` with `tag`, including those inside content controls."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _through_wrappers(content, tag)
        elif child.tag in _BLOCK_WRAPPERS:
            yield from _through_wrappers(child, tag)


def _continues_merge(cell: _Element) -> bool:
    merge = cell.find(f"{_W}tcPr/{_W}vMerge")
    return merge is not None and merge.get(f"{_W}val", "continue") == "continue"
