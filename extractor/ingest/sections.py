"""Find headed sections in CVs and vacancies, and guess which of the two a text is.

A heading is a short line (not ending in a full stop) whose normalised form is in the
heading vocabulary. A section runs from its heading line to the next heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.documents import Section
from extractor.ingest.headings import CV_HEADINGS, VACANCY_HEADINGS

_MAX_HEADING_CHARS = 60
_MAX_HEADING_WORDS = 8
# Words allowed after a multi-word phrase: "Wat vragen wij [van jou]", or more when the
# line ends like a heading: "Wat ga je doen [als monteur bij ons]?"
_MAX_EXTRA_WORDS = 2
_MAX_EXTRA_WORDS_QUESTION = 4
_EDGE_JUNK = re.compile(r"^[\W\d_]+|[\W_]+$")  # bullets, numbering, colons, question marks
# Cue words that give a vacancy away even without headings.
_VACANCY_CUES = re.compile(
    r"\b(vacature|solliciteer|sollicitatie|m/v|m/v/x|uur per week|per direct|"
    r"job opening|apply now|we are hiring|we zoeken|wij zoeken|ben jij onze)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Heading:
    """A heading line: char span of the line, its text, and its normalised key."""

    start: int
    end: int
    text: str
    key: str


def find_headings(text: str) -> list[Heading]:
    """All lines of `text` that match the CV or vacancy heading vocabulary, in order."""
    headings = []
    for line in re.finditer(r"[^\n]+", text):
        raw = line.group().strip()
        if len(raw) > _MAX_HEADING_CHARS or raw.endswith((".", ",", ";")):
            continue
        key = _vocabulary_key(raw)
        if key is not None:
            start = line.start() + (len(line.group()) - len(line.group().lstrip()))
            headings.append(Heading(start, line.end(), raw, key))
    return headings


def find_sections(text: str, kind: str) -> list[Section]:
    """Sections of `text` read as a `kind` ("cv", "vacancy" or "text") document.

    Returns sections sorted by start; `text[s.start:s.end]` starts with the heading line
    and runs up to the next heading (or the end of the text). Text before the first
    heading is in no section.
    """
    headings = find_headings(text)
    first, second = (
        (VACANCY_HEADINGS, CV_HEADINGS) if kind == "vacancy" else (CV_HEADINGS, VACANCY_HEADINGS)
    )
    sections = []
    ends = [heading.start for heading in headings[1:]] + [len(text)] if headings else []
    for heading, end in zip(headings, ends, strict=True):
        name = first.get(heading.key) or second[heading.key]
        sections.append(Section(name, heading.start, end, heading.text))
    return sections


def guess_kind(text: str) -> str:
    """ "cv", "vacancy" or "text", from which headings (and vacancy cue words) occur."""
    keys = {heading.key for heading in find_headings(text)}
    cv_score = sum(1 for key in keys if key in CV_HEADINGS and key not in VACANCY_HEADINGS)
    vacancy_score = sum(1 for key in keys if key in VACANCY_HEADINGS and key not in CV_HEADINGS)
    if _VACANCY_CUES.search(text[:5000]):
        vacancy_score += 1
    if max(cv_score, vacancy_score) < 2:
        return "text"
    return "vacancy" if vacancy_score > cv_score else "cv"


def _vocabulary_key(line: str) -> str | None:
    """The vocabulary phrase a heading line matches, or None."""
    normalised = " ".join(_EDGE_JUNK.sub("", line.lower()).split())
    if not normalised or len(normalised.split()) > _MAX_HEADING_WORDS:
        return None
    if normalised in CV_HEADINGS or normalised in VACANCY_HEADINGS:
        return normalised
    words = normalised.split()
    max_extra = _MAX_EXTRA_WORDS_QUESTION if line.endswith(("?", ":")) else _MAX_EXTRA_WORDS
    for n_words in range(len(words) - 1, 1, -1):
        prefix = " ".join(words[:n_words])
        if len(words) - n_words > max_extra:
            break
        if prefix in CV_HEADINGS or prefix in VACANCY_HEADINGS:
            return prefix
    return None
