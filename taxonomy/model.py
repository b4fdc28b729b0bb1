"""The taxonomy's data model: one frozen ``Concept`` per ESCO (or CompetentNL) concept."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Literal

ConceptKind = Literal[
    "skill", "occupation", "skill_group", "isco_group", "capability", "knowledge_area"
]

ESCO_ATTRIBUTION = "This service uses the ESCO classification of the European Commission."
ESCO_ATTRIBUTION_NL = "Deze dienst gebruikt de ESCO-classificatie van de Europese Commissie."
ESCO_LICENCE = (
    "ESCO is © European Union, reusable under Commission Decision 2011/833/EU (CC BY 4.0). "
    "Dutch skill labels were merged from several ESCO releases (v1.0.3, v1.1.x); where no Dutch "
    "label exists the English one is shown and marked as such (changed data)."
)
COMPETENTNL_ATTRIBUTION = (
    "CompetentNL (UWV, CBS, TNO, SBB): partial public dump of human capabilities, used as "
    "reference data."
)


class TaxonomyError(Exception):
    """Base class for taxonomy problems a user can act on."""


class ConceptNotFound(TaxonomyError, KeyError):
    """An URI or label that the loaded taxonomy does not know."""

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0]) if self.args else "concept not found"


class TaxonomyDataError(TaxonomyError):
    """A taxonomy data file is missing, unreadable or malformed."""

    def __init__(self, path: object, problem: str, fix: str | None = None) -> None:
        self.path = str(path)
        self.problem = problem
        self.fix = fix or (
            "reinstall Vaardig (the bundled data may be damaged) or import an official ESCO "
            "download with `vaardig taxonomy import`"
        )
        super().__init__(f"{self.path}: {problem}. Fix: {self.fix}")


def normalise_label(text: str) -> str:
    """Lookup key for a label: case-folded, diacritics removed, whitespace collapsed.

    ``"  Coördineren  van Teams"`` → ``"coordineren van teams"``.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.split())


@dataclass(frozen=True, slots=True)
class Concept:
    """One taxonomy concept with its labels in Dutch and English.

    ``label`` is the Dutch preferred label, or the English one when no Dutch label exists;
    ``label_is_fallback`` then says so, so displays can mark it.
    """

    uri: str
    kind: ConceptKind
    pref_en: str
    pref_nl: str | None = None
    alt_en: tuple[str, ...] = ()
    alt_nl: tuple[str, ...] = ()
    description_en: str = ""
    description_nl: str = ""
    skill_type: str | None = None  # "skill/competence" | "knowledge" (skills only)
    reuse_level: str | None = None  # transversal | cross-sector | sector-specific | occupation-…
    collections: frozenset[str] = field(default_factory=frozenset)
    isco_group: str | None = None  # occupations: the 4-digit ISCO-08 code
    code: str | None = None
    vocabulary: Literal["esco", "competentnl"] = "esco"

    @property
    def label(self) -> str:
        return self.pref_nl or self.pref_en

    @property
    def label_is_fallback(self) -> bool:
        """True when ``label`` is English because the taxonomy has no Dutch label."""
        return not self.pref_nl

    @property
    def description(self) -> str:
        return self.description_nl or self.description_en

    def labels(self, lang: Literal["nl", "en"] | None = None) -> list[str]:
        """Preferred plus alternative labels, de-duplicated, preferred first."""
        out: list[str] = []
        if lang in (None, "nl") and self.pref_nl:
            out.append(self.pref_nl)
        if lang in (None, "en") and self.pref_en:
            out.append(self.pref_en)
        if lang in (None, "nl"):
            out.extend(self.alt_nl)
        if lang in (None, "en"):
            out.extend(self.alt_en)
        seen: set[str] = set()
        unique = []
        for text in out:
            if text and text not in seen:
                seen.add(text)
                unique.append(text)
        return unique

    def to_dict(self) -> dict[str, object]:
        return {
            "uri": self.uri,
            "kind": self.kind,
            "vocabulary": self.vocabulary,
            "label": self.label,
            "label_is_fallback": self.label_is_fallback,
            "pref_nl": self.pref_nl,
            "pref_en": self.pref_en,
            "alt_nl": list(self.alt_nl),
            "alt_en": list(self.alt_en),
            "description": self.description,
            "skill_type": self.skill_type,
            "reuse_level": self.reuse_level,
            "collections": sorted(self.collections),
            "isco_group": self.isco_group,
            "code": self.code,
        }
