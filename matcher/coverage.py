"""Role → workforce: how ready an organisation's people are for a role, and who has each skill.

Readiness bands, by pair score (:mod:`matcher.scoring`):

- **ready**: score >= ``READY_SCORE`` and every essential skill held or near-matched;
- **near**: score >= ``NEAR_SCORE`` (a few skills to learn);
- **far**: the rest.

At 70 a person holds (or nearly holds) most of the role with a profile pointing the right way;
below 40 more than half of the role's weight is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from matcher.passport_index import PassportIndex
from matcher.roles import RoleProfile
from matcher.scoring import PairScore, score_people
from matcher.skills import SkillSpace

READY_SCORE = 70.0
NEAR_SCORE = 40.0
BANDS = ("ready", "near", "far")


def readiness(pair: PairScore) -> str:
    """ "ready", "near" or "far" for one pair (see module doc)."""
    if pair.score >= READY_SCORE and pair.missing_essential == 0:
        return "ready"
    return "near" if pair.score >= NEAR_SCORE else "far"


@dataclass(frozen=True)
class PersonReadiness:
    employee_id: int
    external_id: str
    score: float
    band: str
    missing_essential: int


@dataclass(frozen=True)
class SkillSupply:
    """One role skill across the workforce: people holding it (an active claim), and people
    with only a near skill."""

    uri: str
    label: str
    essential: bool
    weight: float
    holders: int
    near_holders: int
    share: float  # holders / people (0 when there are no people)


@dataclass(frozen=True)
class RoleCoverage:
    """A role against everyone in one organisation; ``people`` best first."""

    role: RoleProfile
    people: tuple[PersonReadiness, ...]
    skills: tuple[SkillSupply, ...]

    def count(self, band: str) -> int:
        return sum(1 for p in self.people if p.band == band)

    def in_band(self, band: str) -> list[str]:
        return [p.external_id for p in self.people if p.band == band]

    def to_dict(self, max_people: int | None = None) -> dict[str, Any]:
        return {
            "role": self.role.to_dict(),
            "headcount": len(self.people),
            "counts": {band: self.count(band) for band in BANDS},
            "people": [vars(p) for p in self.people[:max_people]],
            "skills": [vars(s) for s in self.skills],
        }


def role_coverage(space: SkillSpace, index: PassportIndex, role: RoleProfile) -> RoleCoverage:
    """Score everyone in ``index`` for ``role`` (exhaustive: counts must be complete)."""
    ids = index.employee_ids()
    people = [index.person(i) for i in ids]
    pairs = score_people(space, people, role)
    held = np.zeros(len(role), dtype=np.int64)
    near = np.zeros(len(role), dtype=np.int64)
    for person, pair in zip(people, pairs, strict=True):
        has = np.isin(role.rows, person.rows)
        held += has
        near += (~has) & (pair.credit > 0)
    ranked = sorted(
        (
            PersonReadiness(
                i, index.entry(i).external_id, pair.score, readiness(pair), pair.missing_essential
            )
            for i, pair in zip(ids, pairs, strict=True)
        ),
        key=lambda p: (-p.score, p.employee_id),
    )
    headcount = len(ids)
    skills = tuple(
        SkillSupply(
            uri=need.skill_uri,
            label=space.label(int(role.rows[j])),
            essential=need.essential,
            weight=need.weight,
            holders=int(held[j]),
            near_holders=int(near[j]),
            share=round(held[j] / headcount, 4) if headcount else 0.0,
        )
        for j, need in enumerate(role.skills)
    )
    return RoleCoverage(role, tuple(ranked), skills)
