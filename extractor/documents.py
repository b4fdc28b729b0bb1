"""The data model every extractor stage starts from: a `Document` with `Section`s.

A `Document` is plain text plus what ingestion learned about it (language, kind, sections,
metadata). All positions are character offsets into `Document.text`, so later stages
(mentions, skill claims) can point back at the exact evidence.

    doc = read_document("cv.pdf")
    doc.section_at(doc.text.index("heftruck"))   # -> "experience"
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

SECTION_NAMES = (
    "profile",
    "experience",
    "education",
    "skills",
    "languages",
    "certificates",
    "requirements",
    "offer",  # what a vacancy's employer offers: pay, leave, a training budget
    "contact",  # how to apply, personal details, references
    "other",
)
# sections that never describe the work: no skill is extracted from them ("Korting op
# kinderopvang" in a vacancy's offer is no skill asked for; "Mail je cv naar ... (HR)" is none)
NO_SKILL_SECTIONS = frozenset({"offer", "contact"})
LANGUAGES = ("nl", "en")
KINDS = ("cv", "vacancy", "text")


@dataclass(frozen=True)
class Section:
    """A headed part of a document: `text[start:end]` begins with the heading line.

    Attributes:
        name: one of `SECTION_NAMES`; headings we recognise but have no name for
            (e.g. "Wat ga je doen?", "Over ons") are "other".
        start: char offset of the heading line in `Document.text` (inclusive).
        end: char offset where the next section starts, or `len(text)` (exclusive).
        heading: the heading line as written, e.g. "Werkervaring".
    """

    name: str
    start: int
    end: int
    heading: str = ""

    def __post_init__(self) -> None:
        if self.name not in SECTION_NAMES:
            raise ValueError(f"Section name {self.name!r} is not one of {SECTION_NAMES}")
        if not 0 <= self.start <= self.end:
            raise ValueError(f"Section offsets must satisfy 0 <= start <= end, got {self}")


@dataclass
class Document:
    """One CV, vacancy or free text, ready for skill extraction.

    Attributes:
        text: normalised text: "\\n" line breaks, single spaces, at most one blank line.
        lang: "nl" or "en" (document language; "nl" when detection is unsure).
        source: file name, or "<feed file>#<vacancy id or row>" for feed items.
        kind: "cv", "vacancy" or "text".
        sections: non-overlapping, sorted by `start`; text before the first heading
            belongs to no section.
        metadata: what ingestion found, e.g. {"title": str, "employer": str,
            "date_posted": "YYYY-MM-DD", "region": str, "location": str, "id": str,
            "dates": [{"text", "start", "end", "offset"}], "format": "pdf"}.
        sentence_langs: optional list of (start, end, lang) per sentence or line.
    """

    text: str
    lang: str
    source: str
    kind: str
    sections: list[Section] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    sentence_langs: list[tuple[int, int, str]] | None = None

    def __post_init__(self) -> None:
        if self.lang not in LANGUAGES:
            raise ValueError(f"Document.lang must be one of {LANGUAGES}, got {self.lang!r}")
        if self.kind not in KINDS:
            raise ValueError(f"Document.kind must be one of {KINDS}, got {self.kind!r}")
        previous_end = 0
        for section in self.sections:
            if section.start < previous_end or section.end > len(self.text):
                raise ValueError(
                    f"Document sections must be sorted, non-overlapping and inside the text "
                    f"(len {len(self.text)}); got {section}"
                )
            previous_end = section.end

    def section_at(self, offset: int) -> str:
        """Name of the section covering char `offset`, or "other" if no section does."""
        starts = [section.start for section in self.sections]
        index = bisect_right(starts, offset) - 1
        if index >= 0 and offset < self.sections[index].end:
            return self.sections[index].name
        return "other"

    def lang_at(self, offset: int) -> str:
        """Language of the sentence covering char `offset`; the document language if unknown."""
        spans = self.sentence_langs or []
        index = bisect_right([start for start, _end, _lang in spans], offset) - 1
        if index >= 0 and offset < spans[index][1]:
            return spans[index][2]
        return self.lang
