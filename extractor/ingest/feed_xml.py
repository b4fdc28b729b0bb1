"""Stream vacancy records out of an XML feed (`<vacancies><vacancy>...</vacancy>...`).

Uses `ElementTree.iterparse` and removes every finished record from the tree, so memory
stays flat. Feeds that declare a DOCTYPE or entities are refused outright: the stdlib
parser would expand entities ("billion laughs"), and defusedxml is not a dependency.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from extractor.errors import FeedError
from extractor.ingest.html_text import html_to_text
from extractor.ingest.vacancy_record import RawRecord, field_key

_PROLOG_BYTES = 64 * 1024
_ROOT_START = re.compile(r"<(?![?!])")
_TEXT_KEYS = frozenset({"title", "description"})
_BLOCK_ADVICE = "Export the feed without a DOCTYPE/DTD (plain XML); we do not expand entities."


def iter_xml_records(
    path: Path, feed_name: str, record_tag: str | None = None
) -> Iterator[RawRecord]:
    """Records of an XML feed; one record per `record_tag` element.

    With `record_tag=None` the record element is the first element that has a title or
    description child (e.g. <vacancy>, <job>, <vacature>). Fields are the record's
    attributes and leaf descendants by local tag name; a <description> holding XHTML is
    turned into text. Line numbers are only known for syntax errors.

    Raises:
        FeedError: the feed declares a DOCTYPE or entities, or the XML is malformed.
    """
    _refuse_doctype(path, feed_name)
    stack: list[ET.Element] = []
    row = 0
    with path.open("rb") as handle:
        try:
            for event, element in ET.iterparse(handle, events=("start", "end")):
                if event == "start":
                    stack.append(element)
                    continue
                stack.pop()
                tag = _local(element.tag)
                if record_tag is None and stack and _has_text_child(element):
                    record_tag = tag
                if tag != record_tag or not stack:
                    continue
                row += 1
                yield RawRecord(row, None, _fields(element))
                stack[-1].remove(element)  # drop the finished record: constant memory
        except ET.ParseError as error:
            line, _column = error.position
            raise FeedError(
                feed_name,
                f"the XML is malformed ({error})",
                row=row + 1,
                line=line,
                advice="Fix the XML export (every tag closed, & written as &amp;).",
            ) from error


def _refuse_doctype(path: Path, feed_name: str) -> None:
    """Raise FeedError when the prolog (before the root element) has a DOCTYPE or ENTITY."""
    with path.open("rb") as handle:
        head = handle.read(_PROLOG_BYTES)
    # Strip NULs so a UTF-16 prolog is checked too; comments cannot declare anything.
    text = re.sub(r"<!--.*?-->", "", head.replace(b"\x00", b"").decode("latin-1"), flags=re.S)
    root = _ROOT_START.search(text)
    prolog = text[: root.start()] if root else text
    if "<!DOCTYPE" in prolog.upper() or "<!ENTITY" in prolog.upper():
        raise FeedError(
            feed_name,
            "the XML declares a DOCTYPE or entities, which we refuse",
            advice=_BLOCK_ADVICE,
        )
    if root is None and len(head) == _PROLOG_BYTES:
        raise FeedError(
            feed_name, "no XML root element in the first 64 KB", advice="Check the export."
        )


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _has_text_child(element: ET.Element) -> bool:
    return any(field_key(_local(child.tag)) in _TEXT_KEYS for child in element)


def _fields(record: ET.Element) -> dict[str, str]:
    """Attributes and leaf descendants by local tag; the first occurrence of a tag wins."""
    fields = {_local(name): value for name, value in record.attrib.items()}
    for child in record:
        _add_fields(child, fields)
    return fields


def _add_fields(element: ET.Element, fields: dict[str, str]) -> None:
    tag = _local(element.tag)
    if len(element) == 0:
        fields.setdefault(tag, (element.text or "").strip())
    elif field_key(tag) == "description":
        inner = (element.text or "") + "".join(
            ET.tostring(child, encoding="unicode", method="html") for child in element
        )
        fields.setdefault(tag, html_to_text(inner)[0])
    else:
        for child in element:
            _add_fields(child, fields)
