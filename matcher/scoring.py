"""Pair scores: how well one person fits one role, 0–100, computed from the two profiles alone.

For every role skill ``j`` (weight ``w_j``) the person earns a credit ``c_j`` in [0, 1], the best
over their skills ``i`` (strength ``s_i``, see :mod:`matcher.profiles`):

- the same skill: ``s_i``;
- a *near* skill: similarity ``sim_ij`` (cosine in the centred skill space) at least
  ``NEAR_THRESHOLD``, or an ESCO relation between the two (broader, narrower, skill-skill),
  which counts as at least ``NEAR_THRESHOLD``: ``s_i * near_credit(sim_ij)`` with
  ``near_credit`` rising linearly from ``NEAR_CREDIT_MIN`` at the threshold to
  ``NEAR_CREDIT_MAX`` at ``NEAR_FULL``.

Then::

    coverage = sum_j w_j c_j / sum_j w_j
    semantic = clip((cos(person vector, role vector) - COS_FLOOR) / (COS_CEIL - COS_FLOOR), 0, 1)
    score    = round(100 * (COVERAGE_SHARE * coverage + (1 - COVERAGE_SHARE) * semantic), 1)

Why these numbers (measured on ESCO v1.1.1 with the default encoder): random skill pairs have
a centred cosine of 0.00 ± 0.10 and a 99.99th percentile of 0.60 (``NEAR_THRESHOLD``: one
spurious near-match per ~10,000 pairs), a skill's nearest neighbour has a median of 0.63. A
synthetic person holding 60% of an occupation's essential skills, 30% of its optional ones, 30%
of a second occupation's skills and three random ones has a profile cosine of 0.76 (median)
with that occupation and 0.05 with a random one (95th percentile 0.40): ``COS_FLOOR`` 0.2 and
``COS_CEIL`` 0.8 map the first to about 1 and most of the second to 0. Coverage carries most
of the score because it is explainable skill by skill; the cosine adds credit for a profile
that points the right way.

Every number depends on the one person and the one role only (no normalisation over a batch,
similarities in float64 rounded to 6 decimals), so adding or removing anyone else never moves a
pair's score.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from matcher.profiles import PersonSkills
from matcher.roles import RoleProfile
from matcher.skills import NO_RELATION, SkillSpace

NEAR_THRESHOLD = 0.60
NEAR_FULL = 0.90
NEAR_CREDIT_MIN = 0.30
NEAR_CREDIT_MAX = 0.70
COS_FLOOR = 0.20
COS_CEIL = 0.80
COVERAGE_SHARE = 0.80
PEOPLE_BATCH = 2_000  # people scored per matrix in ``score_people`` (bounds memory)


@dataclass(frozen=True, eq=False)
class PairScore:
    """One (person, role) pair. ``credit`` has one entry per role skill (in the role's order).

    ``essential_coverage`` is the coverage over the essential skills alone (1.0 when the role
    has none); ``missing_essential`` counts essential skills with no credit at all.
    """

    score: float
    coverage: float
    essential_coverage: float
    cosine: float
    credit: np.ndarray = field(repr=False)
    missing_essential: int = 0


@dataclass(frozen=True, eq=False)
class PairDetail:
    """Per role skill (arrays of shape (n,)): the credit, whether the person holds the skill
    itself (``held``), and the person's closest skill: ``nearest`` (an index into the person's
    rows, -1 when they have no skills), its similarity (relation-boosted, 1.0 for the skill
    itself) and ESCO relation code (see :mod:`matcher.skills`)."""

    score: PairScore
    held: np.ndarray
    nearest: np.ndarray
    similarity: np.ndarray
    relation: np.ndarray


def near_credit(similarity: np.ndarray) -> np.ndarray:
    """Credit factor for a near skill: 0 below the threshold, then 0.3 … 0.7 (see module doc)."""
    ramp = np.clip((similarity - NEAR_THRESHOLD) / (NEAR_FULL - NEAR_THRESHOLD), 0.0, 1.0)
    factor = NEAR_CREDIT_MIN + (NEAR_CREDIT_MAX - NEAR_CREDIT_MIN) * ramp
    return np.where(similarity >= NEAR_THRESHOLD, factor, 0.0)


def semantic(cosine: np.ndarray) -> np.ndarray:
    return np.clip((cosine - COS_FLOOR) / (COS_CEIL - COS_FLOOR), 0.0, 1.0)


def score_roles(
    space: SkillSpace, person: PersonSkills, roles: Sequence[RoleProfile]
) -> list[PairScore]:
    """Score one person against many roles, in the roles' order (one matrix for all)."""
    if not roles:
        return []
    role_rows = np.concatenate([r.rows for r in roles])
    if len(person):
        credit = _credit_matrix(space, person.rows, person.strength, role_rows)[0].max(axis=0)
    else:
        credit = np.zeros(len(role_rows))
    bounds = np.cumsum([0, *(len(r) for r in roles)])
    person_vector = person.vector.astype(np.float64)[None, :]
    return [
        _combine(credit[None, bounds[k] : bounds[k + 1]], role, person_vector)[0]
        for k, role in enumerate(roles)
    ]


def score_people(
    space: SkillSpace, people: Sequence[PersonSkills], role: RoleProfile
) -> list[PairScore]:
    """Score many people against one role, in the people's order (batched matrices)."""
    out: list[PairScore] = []
    for start in range(0, len(people), PEOPLE_BATCH):
        batch = people[start : start + PEOPLE_BATCH]
        credit = np.zeros((len(batch), len(role)))
        sizes = np.array([len(p) for p in batch])
        if sizes.sum():
            rows = np.concatenate([p.rows for p in batch])
            strength = np.concatenate([p.strength for p in batch])
            matrix = _credit_matrix(space, rows, strength, role.rows)[0]
            starts = np.cumsum(np.concatenate([[0], sizes[:-1]]))
            filled = sizes > 0
            credit[filled] = np.maximum.reduceat(matrix, starts[filled], axis=0)
        vectors = np.stack([p.vector for p in batch]).astype(np.float64)
        out.extend(_combine(credit, role, vectors))
    return out


def explain_pair(space: SkillSpace, person: PersonSkills, role: RoleProfile) -> PairDetail:
    """The score of one pair plus, per role skill, where its credit comes from."""
    pair = score_roles(space, person, [role])[0]
    n = len(role)
    if not len(person):
        return PairDetail(
            pair, np.zeros(n, bool), np.full(n, -1), np.zeros(n), np.zeros(n, np.int8)
        )
    credit, similarity, relation = _credit_matrix(space, person.rows, person.strength, role.rows)
    held = (person.rows[:, None] == role.rows[None, :]).any(axis=0)
    # the nearest skill is the one giving the credit; without credit, the most similar one
    nearest = np.where(credit.max(axis=0) > 0, credit.argmax(axis=0), similarity.argmax(axis=0))
    columns = np.arange(n)
    return PairDetail(pair, held, nearest, similarity[nearest, columns], relation[nearest, columns])


def _credit_matrix(
    space: SkillSpace, person_rows: np.ndarray, strength: np.ndarray, role_rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(credit, effective similarity, relation), each (len person_rows, len role_rows)."""
    similarity = space.similarity(person_rows, role_rows)
    relation = space.relations(person_rows, role_rows)
    similarity = np.where(
        relation != NO_RELATION, np.maximum(similarity, NEAR_THRESHOLD), similarity
    )
    same = person_rows[:, None] == role_rows[None, :]
    similarity = np.where(same, 1.0, similarity)
    factor = np.where(same, 1.0, near_credit(similarity))
    return factor * strength[:, None], similarity, relation


def _combine(credit: np.ndarray, role: RoleProfile, person_vectors: np.ndarray) -> list[PairScore]:
    """PairScores for rows of ``credit`` (k, n) against ``role``. Row sums only (never a
    matrix product), so one row gives the same numbers alone as in a batch."""
    weights = role.weights
    total = weights.sum()
    coverage = (credit * weights).sum(axis=1) / total if total > 0 else np.zeros(len(credit))
    essential_weights = np.where(role.essential, weights, 0.0)
    essential_total = essential_weights.sum()
    essential_coverage = (
        (credit * essential_weights).sum(axis=1) / essential_total
        if essential_total > 0
        else np.ones(len(credit))
    )
    cosine = np.round((person_vectors * role.vector.astype(np.float64)).sum(axis=1), 6)
    scores = 100 * (COVERAGE_SHARE * coverage + (1 - COVERAGE_SHARE) * semantic(cosine))
    missing = ((credit <= 0) & role.essential).sum(axis=1)
    return [
        PairScore(
            score=round(float(scores[k]), 1),
            coverage=round(float(coverage[k]), 4),
            essential_coverage=round(float(essential_coverage[k]), 4),
            cosine=float(cosine[k]),
            credit=credit[k],
            missing_essential=int(missing[k]),
        )
        for k in range(len(credit))
    ]
