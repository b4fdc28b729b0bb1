"""Split normalised text into sentence spans: every line, cut again at sentence ends.

CVs are mostly bullet lines and fragments, so a line break always ends a unit; inside a
line we cut after . ! ? when the next word starts with a capital or a digit (so "o.a. de
planning" or "bijv. Excel" stay whole unless a capital follows).
"""

from __future__ import annotations

import re

_LINE = re.compile(r"[^\n]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'“‘(]?[A-ZÀ-Ý0-9])")
_ABBREVIATION = re.compile(
    r"\b(?:bijv|bv|o\.a|m\.b\.t|i\.v\.m|e\.g|i\.e|etc|ca|vs|nr|dhr|mevr)\.$", re.I
)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) char spans of sentences in `text`, in order, without edge whitespace."""
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        start = line.start()
        for cut in _SENTENCE_END.finditer(line.group()):
            end = line.start() + cut.start()
            if _ABBREVIATION.search(text[start:end]):
                continue
            spans.append((start, end))
            start = line.start() + cut.end()
        spans.append((start, line.end()))
    return [(s, e) for s, e in (_strip(text, s, e) for s, e in spans) if e > s]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
