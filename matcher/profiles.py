"""A person's skills as matching sees them: rows of the skill space, each with a *strength*.

The strength (0–1) of a passport claim says how sure we are the person has the skill:

- rejected claims are left out;
- confirmed (or added by hand): 1.0; a person looked at it;
- suggested: 0.5 + 0.5 × confidence (a CV claim at 0.9 → 0.95, a semantic one at 0.6 → 0.8);
- inferred from a job title and not confirmed: half of that (no sentence shows the skill);
- a proficiency, when known, scales it: 1 basic × 0.6, 2 × 0.8, 3 and 4 × 1.0.

The profile vector is the strength-weighted mean of the skill vectors, L2-normalised. Claims on
URIs the skill space does not know (not an ESCO skill) are left out of matching.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from matcher.skills import SkillSpace
from matcher.store.records import Passport, PassportClaim

SUGGESTED_BASE = 0.5
INFERRED_FACTOR = 0.5
PROFICIENCY_FACTOR = {1: 0.6, 2: 0.8, 3: 1.0, 4: 1.0}


def claim_strength(
    status: str, confidence: float, method: str, proficiency: int | None = None
) -> float:
    """How sure matching is that the person has this skill, in [0, 1] (see module doc)."""
    if status == "rejected":
        return 0.0
    if status == "confirmed" or method == "manual":
        strength = 1.0
    else:
        strength = SUGGESTED_BASE + (1 - SUGGESTED_BASE) * min(max(confidence, 0.0), 1.0)
        if method == "inferred":
            strength *= INFERRED_FACTOR
    return strength * PROFICIENCY_FACTOR.get(proficiency or 3, 1.0)


@dataclass(frozen=True, eq=False)
class PersonSkills:
    """One person's skills: ``rows`` (m,) int64 into the skill space (ascending), ``strength``
    (m,) float64 in (0, 1], ``confirmed`` (m,) bool, and the profile ``vector`` (dim,) float32
    (unit length, or zeros for no skills). Build with :meth:`from_rows` or
    :func:`person_skills`."""

    rows: np.ndarray
    strength: np.ndarray
    confirmed: np.ndarray
    vector: np.ndarray

    def __len__(self) -> int:
        return len(self.rows)

    @classmethod
    def from_rows(
        cls,
        space: SkillSpace,
        rows: np.ndarray,
        strength: np.ndarray,
        confirmed: np.ndarray | None = None,
    ) -> PersonSkills:
        """A profile from skill rows in any order (stored ascending, so the same skills always
        give the same vector). Raises ``ValueError`` for repeated or negative rows."""
        rows = np.asarray(rows, dtype=np.int64)
        order = np.argsort(rows, kind="stable")
        rows = rows[order]
        strength = np.asarray(strength, dtype=np.float64)[order]
        if confirmed is None:
            confirmed = np.zeros(len(rows), dtype=bool)
        confirmed = np.asarray(confirmed, dtype=bool)[order]
        if (rows[1:] == rows[:-1]).any() or (rows < 0).any():
            raise ValueError("skill rows must be unique rows of the skill space")
        return cls(rows, strength, confirmed, space.profile_vector(rows, strength))


def person_skills(space: SkillSpace, claims: Iterable[PassportClaim]) -> PersonSkills:
    """The matching profile of a passport's claims (rejected and unknown skills left out)."""
    rows, strength, confirmed = [], [], []
    for claim in claims:
        row = space.row_of.get(claim.skill_uri)
        weight = claim_strength(claim.status, claim.confidence, claim.method, claim.proficiency)
        if row is None or weight <= 0:
            continue
        rows.append(row)
        strength.append(weight)
        confirmed.append(claim.status == "confirmed")
    return PersonSkills.from_rows(
        space, np.array(rows, dtype=np.int64), np.array(strength), np.array(confirmed, dtype=bool)
    )


def passport_skills(space: SkillSpace, passport: Passport) -> PersonSkills:
    return person_skills(space, passport.claims)
