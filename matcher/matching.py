"""Matching: vacancy → internal candidates, employee → roles. FAISS retrieves by profile cosine,
then every retrieved pair is scored exactly (:mod:`matcher.scoring`) and explained
(:mod:`matcher.explain`).

    matches = top_candidates(space, passport_index, role, k=10, passports=load)
    matches[0].external_id, matches[0].score, matches[0].explanation.missing

The cosine only chooses which pairs get scored: ``depth`` pairs per query, by default
``candidate_depth(n)`` = 2·√n clipped to 200…1,000 (all of a small organisation; 632 of
100,000), and the benchmark measures how often the exact top 10 over everyone is found that way.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

from matcher.explain import Explanation, explain
from matcher.passport_index import PassportIndex
from matcher.profiles import PersonSkills
from matcher.role_index import RoleIndex
from matcher.roles import RoleProfile
from matcher.scoring import PairScore, best_people, best_roles, explain_pair
from matcher.skills import SkillSpace
from matcher.store.records import Passport

MIN_CANDIDATE_DEPTH = 200
MAX_CANDIDATE_DEPTH = 1_000
ROLE_DEPTH = 200

PassportLoader = Callable[[Sequence[int]], Sequence[Passport]]


@dataclass(frozen=True)
class CandidateMatch:
    """An employee for a role: score 0–100, coverage 0–1 and why."""

    employee_id: int
    external_id: str
    score: float
    coverage: float
    essential_coverage: float
    missing_essential: int
    explanation: Explanation

    def to_dict(self) -> dict[str, Any]:
        return {
            "employee_id": self.employee_id,
            "external_id": self.external_id,
            **_numbers(self),
            "explanation": self.explanation.to_dict(),
        }


@dataclass(frozen=True)
class RoleMatch:
    """A role for an employee: score 0–100, coverage 0–1 and why."""

    role: RoleProfile
    score: float
    coverage: float
    essential_coverage: float
    missing_essential: int
    explanation: Explanation

    def to_dict(self) -> dict[str, Any]:
        return {
            "role": self.role.to_dict(),
            **_numbers(self),
            "explanation": self.explanation.to_dict(),
        }


def top_candidates(
    space: SkillSpace,
    index: PassportIndex,
    role: RoleProfile,
    k: int = 10,
    *,
    depth: int | None = None,
    passports: PassportLoader | None = None,
    exclude: Collection[int] = (),
) -> list[CandidateMatch]:
    """The ``k`` best employees of the index's organisation for ``role``, best first (ties by
    employee id). With ``passports`` (ids → passports), matched skills carry their evidence."""
    ranked = rank_candidates(space, index, role, k, depth=depth, exclude=exclude)
    by_id = {p.employee.id: p for p in passports([i for i, _ in ranked])} if passports else {}
    out = []
    for employee_id, pair in ranked:
        person = index.person(employee_id)
        explanation = explain(
            space, role, person, explain_pair(space, person, role), by_id.get(employee_id)
        )
        out.append(
            CandidateMatch(
                employee_id,
                index.entry(employee_id).external_id,
                pair.score,
                pair.coverage,
                pair.essential_coverage,
                pair.missing_essential,
                explanation,
            )
        )
    return out


def rank_candidates(
    space: SkillSpace,
    index: PassportIndex,
    role: RoleProfile,
    k: int = 10,
    *,
    depth: int | None = None,
    exclude: Collection[int] = (),
) -> list[tuple[int, PairScore]]:
    """Retrieve ``depth`` employees by cosine, score them exactly, keep the best ``k`` as
    (employee id, score) — no explanations (the fast path the benchmark times)."""
    depth = candidate_depth(len(index)) if depth is None else depth
    hits = index.search(role.vector, max(depth, k) + len(exclude))
    ids = [employee_id for employee_id, _ in hits if employee_id not in exclude]
    ranked = best_people(space, index.people(ids), role, k, ids)
    return [(ids[n], pair) for n, pair in ranked]


def candidate_depth(people: int) -> int:
    """How many employees to score exactly per query: 2·√n, at least 200, at most 1,000."""
    return max(MIN_CANDIDATE_DEPTH, min(MAX_CANDIDATE_DEPTH, int(2 * math.sqrt(people))))


def top_roles(
    space: SkillSpace,
    person: PersonSkills,
    indexes: Sequence[RoleIndex],
    k: int = 10,
    *,
    depth: int = ROLE_DEPTH,
    passport: Passport | None = None,
) -> list[RoleMatch]:
    """The ``k`` best roles for a person over several role indexes (e.g. ESCO occupations and
    the organisation's own roles), best first (ties by role key)."""
    ranked = rank_roles(space, person, indexes, k, depth=depth)
    out = []
    for role, pair in ranked:
        explanation = explain(space, role, person, explain_pair(space, person, role), passport)
        out.append(
            RoleMatch(
                role,
                pair.score,
                pair.coverage,
                pair.essential_coverage,
                pair.missing_essential,
                explanation,
            )
        )
    return out


def rank_roles(
    space: SkillSpace,
    person: PersonSkills,
    indexes: Sequence[RoleIndex],
    k: int = 10,
    *,
    depth: int = ROLE_DEPTH,
) -> list[tuple[RoleProfile, PairScore]]:
    """Retrieve ``depth`` roles per index by cosine, score them exactly, keep the best ``k``."""
    found: dict[str, RoleProfile] = {}
    for index in indexes:
        for role, _cosine in index.search(person.vector, max(depth, k)):
            found.setdefault(role.key, role)
    roles = list(found.values())
    ranked = best_roles(space, person, roles, k, [r.key for r in roles])
    return [(roles[n], pair) for n, pair in ranked]


def _numbers(match: CandidateMatch | RoleMatch) -> dict[str, Any]:
    return {
        "score": match.score,
        "coverage": match.coverage,
        "essential_coverage": match.essential_coverage,
        "missing_essential": match.missing_essential,
    }
