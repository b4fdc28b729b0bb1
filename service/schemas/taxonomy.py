"""Taxonomy search, autocomplete, concepts, and extraction of a text without storing it."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from service.schemas.common import Schema

Kind = Literal["skill", "occupation", "capability"]


class ConceptOut(Schema):
    uri: str
    kind: str
    label: str
    label_is_fallback: bool
    description: str = ""


class SearchHitOut(Schema):
    concept: ConceptOut
    score: float
    matched_label: str


class SearchOut(Schema):
    query: str
    kind: Kind
    hits: list[SearchHitOut]
    attribution: str


class CompletionOut(Schema):
    prefix: str
    hits: list[SearchHitOut]
    attribution: str


class ExtractText(Schema):
    text: str = Field(min_length=1, examples=["Ervaring met heftruck rijden en orderpicken."])
    kind: Literal["cv", "vacancy", "text"] | None = None


class EvidenceSpan(Schema):
    start: int = Field(description="Offset of the evidence in the answer's `text`.")
    end: int
    text: str
    sentence: str
    section: str


class ExtractedSkill(Schema):
    uri: str
    label: str
    label_is_fallback: bool
    confidence: float
    method: str
    evidence: EvidenceSpan
    other_evidence: list[EvidenceSpan]


class ExtractedOccupation(Schema):
    uri: str
    label: str
    confidence: float
    evidence: EvidenceSpan


class ExtractionOut(Schema):
    lang: str
    kind: str
    text: str = Field(
        description="The document text as read (whitespace and hyphens normalised): evidence "
        "offsets index this text, not the uploaded bytes."
    )
    skills: list[ExtractedSkill]
    occupations: list[ExtractedOccupation]
    notice: str | None = Field(
        None, description="When no skill was recognised: why, and what to check (else null)."
    )
    attribution: str
