"""Why a pair scores what it scores: matched skills (with the passport's evidence), near-matches
(a related skill the person has, with its similarity) and missing skills, essential first."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from matcher.profiles import PersonSkills
from matcher.roles import RoleProfile
from matcher.scoring import PairDetail
from matcher.skills import RELATION_NAMES, SkillSpace
from matcher.store.records import ClaimEvidence, Passport


@dataclass(frozen=True)
class MatchedSkill:
    """A role skill the person holds; ``evidence`` is where the passport found it."""

    uri: str
    label: str
    essential: bool
    weight: float
    credit: float
    status: str = ""  # the claim's status: "suggested" or "confirmed"
    method: str = ""  # how it was found; "inferred": from a job title, no sentence of its own
    evidence: tuple[ClaimEvidence, ...] = ()


@dataclass(frozen=True)
class NearMatch:
    """A role skill the person lacks, with the closest skill they do hold.

    ``relation`` is "similar" (by embedding), or the ESCO relation of the held skill to the
    role skill: "broader", "narrower" or "related".
    """

    uri: str
    label: str
    essential: bool
    weight: float
    credit: float
    held_uri: str
    held_label: str
    similarity: float
    relation: str


@dataclass(frozen=True)
class MissingSkill:
    uri: str
    label: str
    essential: bool
    weight: float


@dataclass(frozen=True)
class Explanation:
    """Matched, near and missing role skills; each list essential first, then by weight."""

    matched: tuple[MatchedSkill, ...]
    near: tuple[NearMatch, ...]
    missing: tuple[MissingSkill, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: evidence datetimes as ISO strings."""
        return _json_ready(asdict(self))


def explain(
    space: SkillSpace,
    role: RoleProfile,
    person: PersonSkills,
    detail: PairDetail,
    passport: Passport | None = None,
) -> Explanation:
    """Turn a :class:`PairDetail` into labelled lists; with ``passport``, matched skills carry
    their claim status and evidence."""
    matched, near, missing = [], [], []
    for j, need in enumerate(role.skills):
        label = space.label(int(role.rows[j]))
        credit = round(float(detail.score.credit[j]), 4)
        if detail.held[j]:
            claim = passport.claim(need.skill_uri) if passport is not None else None
            matched.append(
                MatchedSkill(
                    need.skill_uri,
                    label,
                    need.essential,
                    need.weight,
                    credit,
                    claim.status if claim else "",
                    claim.method if claim else "",
                    claim.evidence if claim else (),
                )
            )
        elif credit > 0:
            held_row = int(person.rows[detail.nearest[j]])
            relation = RELATION_NAMES.get(int(detail.relation[j]), "similar")
            near.append(
                NearMatch(
                    need.skill_uri,
                    label,
                    need.essential,
                    need.weight,
                    credit,
                    space.uris[held_row],
                    space.label(held_row),
                    round(float(detail.similarity[j]), 3),
                    relation,
                )
            )
        else:
            missing.append(MissingSkill(need.skill_uri, label, need.essential, need.weight))
    return Explanation(tuple(_ordered(matched)), tuple(_ordered(near)), tuple(_ordered(missing)))


def _json_ready(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _json_ready(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _ordered(items: list) -> list:
    return sorted(items, key=lambda s: (not s.essential, -s.weight, s.label))
