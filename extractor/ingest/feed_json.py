"""Stream vacancy records out of JSON feeds without loading the file.

Handles a JSON array of vacancies, JSON Lines (one vacancy per line), a single object,
JSON-LD (`{"@context": ..., "@graph": [...]}`) and API-style wrappers
(`{"total": 20, "vacancies": [...]}`): the inner array is streamed item by item.
Memory stays bounded by the largest single vacancy (`max_record_chars`). The encoding is
UTF-8, UTF-16 or Windows-1252, as for CSV (see `feed_encoding`).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from extractor.errors import FeedError
from extractor.ingest.vacancy_record import RawRecord, feed_encoding

DEFAULT_MAX_RECORD_CHARS = 2_000_000
_CHUNK_CHARS = 64 * 1024
_DECODER = json.JSONDecoder()
# Top-level keys whose array holds the vacancies: {"@context": ..., "@graph": [...]},
# {"total": 20, "vacancies": [...]}. Arrays under other keys are fields of one vacancy.
_CONTAINER_KEYS = frozenset(
    {"@graph", "vacancies", "vacatures", "jobs", "jobpostings", "items", "results", "data"}
)


def iter_json_records(
    path: Path, feed_name: str, max_record_chars: int = DEFAULT_MAX_RECORD_CHARS
) -> Iterator[RawRecord]:
    """Records of a JSON, JSON Lines or JSON-LD feed, in file order.

    JSON Lines is recognised by content (the first line is a complete JSON value and more
    follows) and read line by line, so a broken line is one bad record. In an array a
    syntax error cannot be skipped: it ends the feed with a FeedError naming the line.

    Raises:
        FeedError: the feed is empty, malformed, in an unknown encoding, or has bytes
            further on that are not in the encoding of its start.
    """
    encoding = feed_encoding(path, feed_name)
    if _is_json_lines(path, encoding):
        yield from _json_lines(path, feed_name, max_record_chars, encoding)
        return
    with path.open(encoding=encoding) as handle:
        stream = _JsonStream(handle, feed_name, max_record_chars)
        counter = itertools.count(1)
        if not stream.peek():
            raise FeedError(feed_name, "the feed is empty", advice="Check the export.")
        while stream.peek():
            first = stream.peek()
            if first == "[":
                yield from _array(stream, counter)
            elif first == "{":
                yield from _object(stream, counter)
            else:
                raise FeedError(
                    feed_name,
                    f"expected a JSON array or object, found {first!r}",
                    line=stream.line(),
                    advice="Export the feed as JSON, JSON Lines or JSON-LD.",
                )


def _is_json_lines(path: Path, encoding: str) -> bool:
    with path.open(encoding=encoding, errors="replace") as handle:  # strict when read
        first = handle.readline(_CHUNK_CHARS).strip()
        rest = handle.read(_CHUNK_CHARS).strip()
    if not first.startswith("{") or not rest:
        return False
    try:
        json.loads(first)
    except json.JSONDecodeError:
        return False
    return True


def _json_lines(
    path: Path, feed_name: str, max_record_chars: int, encoding: str
) -> Iterator[RawRecord]:
    row = 0
    with path.open(encoding=encoding) as handle:
        lines = enumerate(handle, start=1)
        line_number = 0
        while True:
            try:
                line_number, line = next(lines)
            except StopIteration:
                return
            except UnicodeDecodeError as error:
                raise _encoding_error(feed_name, encoding, line_number) from error
            if not line.strip():
                continue
            if len(line) > max_record_chars:
                row += 1
                yield RawRecord(row, line_number, None, f"line longer than {max_record_chars:,}")
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as error:
                row += 1
                yield RawRecord(
                    row, line_number, None, f"invalid JSON: {error.msg} (column {error.colno})"
                )
                continue
            for item in _items(value):
                row += 1
                yield _record(row, line_number, item)


def _encoding_error(feed_name: str, encoding: str, after_line: int) -> FeedError:
    """A byte further on that the encoding judged from the file's start cannot decode."""
    return FeedError(
        feed_name,
        f"the feed is not {encoding.removesuffix('-sig').upper()} throughout: bytes after "
        f"line {after_line} are in another encoding",
        advice="Save the whole feed as UTF-8 (in an editor: Save as > Encoding UTF-8).",
    )


def _array(stream: _JsonStream, counter: Iterator[int]) -> Iterator[RawRecord]:
    stream.take("[")
    if stream.peek() == "]":
        stream.take("]")
        return
    while True:
        line = stream.line()
        for item in _items(stream.value()):
            yield _record(next(counter), line, item)
        if stream.peek() == ",":
            stream.take(",")
        else:
            stream.take("]")
            return


def _object(stream: _JsonStream, counter: Iterator[int]) -> Iterator[RawRecord]:
    """Top-level object: stream its "@graph" (or "vacancies", ...) array, or yield the
    object itself as one record."""
    line = stream.line()
    stream.take("{")
    members: dict[str, Any] = {}
    streamed_graph = False  # the object was a container, not a vacancy
    while stream.peek() != "}":
        key = stream.value()
        stream.take(":")
        if isinstance(key, str) and key.lower() in _CONTAINER_KEYS and stream.peek() == "[":
            yield from _array(stream, counter)
            streamed_graph = True
        else:
            members[key] = stream.value()
        if stream.peek() == ",":
            stream.take(",")
        elif stream.peek() != "}":
            stream.take("}")  # raises FeedError naming what was found instead
    stream.take("}")
    if not streamed_graph:
        for item in _items(members):
            yield _record(next(counter), line, item)


def _items(value: Any) -> list[Any]:
    """A value as vacancy items: lists and JSON-LD graphs are unpacked."""
    if isinstance(value, list):
        return value
    if isinstance(value, dict) and isinstance(value.get("@graph"), list):
        return value["@graph"]
    return [value]


def _record(row: int, line: int | None, item: Any) -> RawRecord:
    if isinstance(item, dict):
        return RawRecord(row, line, item)
    return RawRecord(row, line, None, f"expected a JSON object, found {type(item).__name__}")


class _JsonStream:
    """Incremental reader over a text handle: peek at tokens, decode one value at a time.

    The buffer holds at most one value plus a chunk; consumed text is dropped.
    """

    def __init__(self, handle: IO[str], feed_name: str, max_record_chars: int):
        self._handle, self._feed = handle, feed_name
        self._encoding = getattr(handle, "encoding", None) or "utf-8"
        self._max = max_record_chars
        self._buffer, self._pos, self._eof = "", 0, False
        self._base_line = 1  # line number at buffer[0]

    def line(self) -> int:
        """1-based line number of the current position."""
        return self._base_line + self._buffer.count("\n", 0, self._pos)

    def peek(self) -> str:
        """Next non-whitespace character, or "" at the end of the file."""
        while True:
            while self._pos < len(self._buffer) and self._buffer[self._pos] in " \t\r\n":
                self._pos += 1
            if self._pos < len(self._buffer) or not self._fill():
                return self._buffer[self._pos : self._pos + 1]

    def take(self, expected: str) -> None:
        found = self.peek()
        if found != expected:
            raise FeedError(
                self._feed,
                f"malformed JSON: expected {expected!r}, found {found or 'end of file'!r}",
                line=self.line(),
                advice="Fix the JSON (a validator such as `python -m json.tool` shows where).",
            )
        self._pos += 1

    def value(self) -> Any:
        """Decode the next complete JSON value, reading more of the file as needed."""
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self._buffer, self._pos)
            except json.JSONDecodeError as error:
                line = self._base_line + self._buffer.count("\n", 0, error.pos)
                incomplete = error.pos >= len(self._buffer) - 8 or error.msg.startswith(
                    "Unterminated string"
                )
                if incomplete and self._fill():
                    continue
                raise FeedError(
                    self._feed,
                    f"malformed JSON ({error.msg})",
                    line=line,
                    advice="Fix the JSON (a validator such as `python -m json.tool` shows where).",
                ) from error
            if end == len(self._buffer) and self._fill():
                continue  # a number may continue in the next chunk
            self._pos = end
            return value

    def _fill(self) -> bool:
        """Append a chunk (dropping consumed text); False at the end of the file."""
        if self._eof:
            return False
        if len(self._buffer) - self._pos > self._max:
            raise FeedError(
                self._feed,
                f"a vacancy is longer than {self._max:,} characters",
                line=self.line(),
                advice="Split or shorten that vacancy, or raise max_record_chars.",
            )
        self._base_line += self._buffer.count("\n", 0, self._pos)
        self._buffer, self._pos = self._buffer[self._pos :], 0
        try:
            chunk = self._handle.read(_CHUNK_CHARS)
        except UnicodeDecodeError as error:
            raise _encoding_error(self._feed, self._encoding, self.line()) from error
        if not chunk:
            self._eof = True
            return False
        self._buffer += chunk
        return True
