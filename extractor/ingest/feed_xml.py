"""Stream vacancy records out of an XML feed (`<vacancies><vacancy>...</vacancy>...`).

Uses `ElementTree.iterparse` and removes every finished record from the tree, so memory
stays flat. Feeds that declare a DOCTYPE or entities are refused outright: the stdlib
parser would expand entities ("billion laughs"), and defusedxml is not a dependency.

The record element is found, when not given, as the outermost element below the root
that has a title- or description-like child (<vacature><titel>...); an element inside a
vacancy that has one too (<bedrijf><naam>...) is not a record but a field of it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from extractor.errors import FeedError, IngestError
from extractor.ingest.html_text import html_to_text
from extractor.ingest.plain_text import text_encoding
from extractor.ingest.vacancy_record import RawRecord, field_key

_PROLOG_BYTES = 64 * 1024
_ROOT_START = re.compile(r"<(?![?!])")
_DECLARED_ENCODING = re.compile(rb"^\s*<\?xml[^>]*\sencoding\s*=", re.IGNORECASE)
_TEXT_KEYS = frozenset({"title", "description"})
_BLOCK_ADVICE = "Export the feed without a DOCTYPE/DTD (plain XML); we do not expand entities."


def iter_xml_records(
    path: Path, feed_name: str, record_tag: str | None = None
) -> Iterator[RawRecord]:
    """Records of an XML feed; one record per `record_tag` element (by local name).

    With `record_tag=None` the record element is detected (see the module docstring):
    normally from the first child of the root; in a feed such as RSS
    (<rss><channel><title/>...<item>...), where the root's child is a container with a
    title of its own, from the second of its children that repeat with a title and a
    description. Records read before the choice are kept in memory until it is made. A
    root that is itself one vacancy is read as one record.

    Fields are the record's attributes and leaf descendants by local tag name; a
    <description> holding XHTML is turned into text. Inside a nested element, a name
    (<bedrijf><naam>X</naam>) is the value of that element ("bedrijf" = X), never the
    vacancy's title. Line numbers are only known for syntax errors.

    Without an encoding declaration or BOM, a feed that is not UTF-8 is read as
    Windows-1252 when it reads as text that way.

    Raises:
        FeedError: the feed is empty, declares a DOCTYPE or entities, is malformed or in
            an unknown encoding, or has no vacancy elements.
    """
    head = _refuse_doctype(path, feed_name)
    parser = _parser_for(head, feed_name)
    finder = _RecordFinder() if record_tag is None else None
    stack: list[ET.Element] = []
    row = 0
    with path.open("rb") as handle:
        try:
            for event, element in ET.iterparse(handle, ("start", "end"), parser):
                if event == "start":
                    stack.append(element)
                    continue
                stack.pop()
                if record_tag is None:
                    assert finder is not None
                    record_tag = finder.end(element, stack)
                    if record_tag is None:
                        continue
                    if not stack:  # the root is the one vacancy
                        row += 1
                        yield RawRecord(row, None, _fields(element))
                        continue
                    # The choice was made at this element: the records that ended before
                    # it are still in the tree.
                    for parent, record in _ended_records(stack[0], record_tag, element, stack):
                        row += 1
                        yield RawRecord(row, None, _fields(record))
                        parent.remove(record)
                    continue
                if _local(element.tag) != record_tag or not stack:
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
                advice="Fix the XML export (every tag closed, & written as &amp;, the "
                "text in the encoding its <?xml ... encoding=...?> line names, else UTF-8).",
            ) from error
    if record_tag is None:
        raise FeedError(
            feed_name,
            "no vacancies found: no element has a title or description child "
            "(such as <vacature><titel>...</titel><omschrijving>...</omschrijving>)",
            advice="Check the export; or name the element that holds one vacancy "
            "(record_tag=... in the library).",
        )
    if row == 0 and finder is None:
        raise FeedError(
            feed_name,
            f"the XML has no <{record_tag}> elements",
            advice="Name the element that holds one vacancy (record_tag=...), or leave "
            "record_tag out to have it detected.",
        )


class _RecordFinder:
    """Chooses the record tag while the feed streams by; `end` is called for every
    element as it ends, with the stack of its open ancestors (the root first)."""

    def __init__(self) -> None:
        self.pending: ET.Element | None = None  # the outermost candidate so far
        self.depth = 0  # its number of ancestors
        self.parent: ET.Element | None = None

    def end(self, element: ET.Element, stack: list[ET.Element]) -> str | None:
        """The record tag once it is clear at this element, else None."""
        depth = len(stack)
        if depth == 0:  # the root: a file holding one vacancy, or none
            return _local(element.tag) if _text_keys(element) else None
        keys = _text_keys(element)
        if keys and (self.pending is None or depth < self.depth):
            # The first candidate, or an ancestor of it that is one: the outer one wins.
            self.pending, self.depth, self.parent = element, depth, stack[-1]
        elif (
            keys == _TEXT_KEYS
            and self.pending is not None
            and depth == self.depth == 2
            and stack[-1] is self.parent
            and _local(element.tag) == _local(self.pending.tag)
            and _text_keys(self.pending) == _TEXT_KEYS
        ):
            # <rss><channel><title/>...<item/><item/>: repeated vacancies inside a
            # container that has a title of its own.
            return _local(element.tag)
        if depth == 1:  # a child of the root has ended
            if self.pending is not None:
                return _local(self.pending.tag)
            if len(element) and not _text_keys(stack[0]):
                # No vacancy in it, and the root is not one either: drop it (memory).
                stack[0].remove(element)
        return None


def _text_keys(element: ET.Element) -> frozenset[str]:
    """Which of title and description the element has as children (by alias)."""
    return frozenset(field_key(_local(child.tag)) for child in element) & _TEXT_KEYS


def _ended_records(
    root: ET.Element, tag: str, last: ET.Element, open_elements: list[ET.Element]
) -> list[tuple[ET.Element, ET.Element]]:
    """(parent, record) for every `tag` element that has ended by the end of `last`, in
    document order (the outer one of nested ones). The parser reads ahead, so elements
    after `last` may be in the tree already: they are left to the event loop."""
    found: list[tuple[ET.Element, ET.Element]] = []

    def walk(parent: ET.Element) -> bool:  # True once `last` is passed
        for child in parent:
            if any(child is element for element in open_elements):  # holds `last`
                walk(child)
                return True
            if _local(child.tag) == tag:
                found.append((parent, child))
            elif len(child):
                walk(child)
            if child is last:
                return True
        return False

    walk(root)
    return found


def _refuse_doctype(path: Path, feed_name: str) -> bytes:
    """The first 64 KB; FeedError when the file is empty or the prolog (before the root
    element) has a DOCTYPE or ENTITY."""
    with path.open("rb") as handle:
        head = handle.read(_PROLOG_BYTES)
    if not head.strip():
        raise FeedError(feed_name, "the feed is empty", advice="Check the export.")
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
    return head


def _parser_for(head: bytes, feed_name: str) -> ET.XMLParser | None:
    """An XMLParser reading Windows-1252 for a feed that is neither UTF-8 nor UTF-16 and
    does not say what it is (expat would assume UTF-8 and stop at the first "é"); None
    (expat's own detection) otherwise. Judged as a text upload is
    (`plain_text.text_encoding`).

    Raises:
        FeedError: the undeclared encoding is not Windows-1252 either.
    """
    if _DECLARED_ENCODING.match(head):
        return None
    try:
        encoding = text_encoding(head, feed_name, partial=True)
    except IngestError as error:
        raise FeedError(
            feed_name,
            f"the XML is not UTF-8 and names no encoding ({error.detail})",
            advice="Save the feed as UTF-8, or name its encoding in the first line "
            '(<?xml version="1.0" encoding="windows-1252"?>).',
        ) from error
    return ET.XMLParser(encoding="cp1252") if encoding == "cp1252" else None


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _fields(record: ET.Element) -> dict[str, str]:
    """Attributes and leaf descendants by local tag; the first occurrence of a tag wins."""
    fields = {_local(name): value for name, value in record.attrib.items()}
    for child in record:
        _add_fields(child, fields)
    return fields


def _add_fields(element: ET.Element, fields: dict[str, str], container: str | None = None) -> None:
    """Add `element`: a child of the record, or (with `container`) of a nested element."""
    tag = _local(element.tag)
    key = field_key(tag)
    # A nested title or description belongs to its container (<bedrijf><naam>), not to
    # the vacancy: it is kept as "bedrijf_naam", so no text is lost.
    name = f"{container}_{tag}" if container is not None and key in _TEXT_KEYS else tag
    if len(element) == 0:
        text = (element.text or "").strip()
        fields.setdefault(name, text)
        # <bedrijf><naam>X</naam>: the employer is X
        if (
            container is not None
            and key == "title"
            and text
            and field_key(container) not in _TEXT_KEYS
        ):
            fields.setdefault(container, text)
    elif key == "description":
        inner = (element.text or "") + "".join(
            ET.tostring(child, encoding="unicode", method="html") for child in element
        )
        fields.setdefault(name, html_to_text(inner)[0])
    else:
        for child in element:
            _add_fields(child, fields, tag)
