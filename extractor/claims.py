"""What extraction produces: ``Mention`` (a candidate span) and ``SkillClaim`` (a linked skill)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from taxonomy import Taxonomy

Method = Literal["exact", "alias", "semantic", "inferred"]


@dataclass(frozen=True)
class Evidence:
    """Where a claim comes from: char offsets into ``Document.text`` and the sentence."""

    start: int
    end: int
    text: str  # document.text[start:end]
    sentence: str
    section: str = "other"


@dataclass(frozen=True)
class Mention:
    """A candidate span in a sentence, before linking."""

    start: int
    end: int
    text: str
    sentence_index: int
    source: Literal["lexicon", "alias", "phrase"]
    uris: tuple[str, ...] = ()  # known for lexicon/alias matches
    label: str = ""  # the taxonomy label or alias that matched


@dataclass(frozen=True)
class SkillClaim:
    """One ESCO skill found in a document.

    ``confidence`` is in [0, 1] (calibrated on the development sets); ``method`` says how it was
    found: ``exact`` (a taxonomy label), ``alias`` (the Dutch alias table), ``semantic`` (the
    encoder), or ``inferred`` (an essential skill of a recognised occupation, no span of its
    own: ``evidence`` then points at the job title).
    """

    uri: str
    label: str  # Dutch label, or English when ESCO has none (label_is_fallback)
    confidence: float
    method: Method
    evidence: Evidence
    label_is_fallback: bool = False
    matched_label: str = ""  # the taxonomy label or alias the span was linked through
    inferred_from: str | None = None  # occupation URI for inferred claims
    other_evidence: tuple[Evidence, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class OccupationClaim:
    """A job title recognised in a document and linked to an ESCO occupation."""

    uri: str
    label: str
    confidence: float
    evidence: Evidence
    matched_label: str = ""

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class Extraction:
    """Everything extraction found in one document."""

    source: str
    lang: str
    skills: list[SkillClaim]
    occupations: list[OccupationClaim]
    ranking: list[str] = field(default_factory=list)  # all scored skill URIs, best first

    @property
    def claims(self) -> list[SkillClaim]:
        return self.skills

    def notice(self, taxonomy: Taxonomy | None = None) -> str | None:
        """A line that says why the document gave no skills and what to check, for displays that
        would otherwise show an empty list as if it were a result; ``None`` when there are skills.
        With the ``taxonomy``, it names the nearest skill that stayed below the threshold."""
        if self.skills:
            return None
        nearest = (
            f" (nearest: '{taxonomy.get(self.ranking[0]).label}')"
            if taxonomy is not None and self.ranking
            else ""
        )
        return (
            f"No skills recognised in {self.source}: no phrase names an ESCO skill or a known "
            f"alias, and none came close enough to one to claim it{nearest}. Check that this is "
            "a CV or vacancy that writes out skills or tasks, e.g. 'ervaring met heftruck rijden'."
        )
