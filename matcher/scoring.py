"""Pair scores: how well one person fits one role, 0–100, computed from the two profiles alone.

For every role skill ``j`` (weight ``w_j``) the person earns a credit ``c_j`` in [0, 1], the best
over their skills ``i`` (strength ``s_i``, see :mod:`matcher.profiles`):

- the same skill: ``s_i``;
- a *near* skill (see :mod:`matcher.skills`): cosine ``sim_ij`` in the centred skill space at
  least ``NEAR_THRESHOLD``, or an ESCO relation between the two (broader, narrower,
  skill-skill), which counts as at least ``NEAR_THRESHOLD``: ``s_i * near_credit(sim_ij)``
  with ``near_credit`` rising linearly from ``NEAR_CREDIT_MIN`` at the threshold to
  ``NEAR_CREDIT_MAX`` at ``NEAR_FULL``.

Then::

    coverage = sum_j w_j c_j / sum_j w_j
    semantic = clip((cos(person vector, role vector) - COS_FLOOR) / (COS_CEIL - COS_FLOOR), 0, 1)
    score    = round(100 * (COVERAGE_SHARE * coverage + (1 - COVERAGE_SHARE) * semantic), 1)

Why these numbers (ESCO v1.1.1 with the default encoder, E5-small with the ESCO adapter;
``scripts/measure_skill_space.py`` writes them to ``eval/results/skill_space/<encoder>.json``):
random skill pairs have a centred cosine of 0.00 ± 0.12 and a 99.99th percentile of 0.675
(``NEAR_THRESHOLD`` 0.67: about one spurious near-match per 10,000 pairs); a skill's nearest
other skill has a median of 0.70. A synthetic person holding 60% of an occupation's essential
skills, 30% of its optional ones, 30% of a second occupation's skills and three random ones has
a profile cosine of 0.77 (median) with that occupation and 0.08 with a random one (95th
percentile 0.49): ``COS_FLOOR`` 0.2 and ``COS_CEIL`` 0.8 map the first to about 1 and most of
the second to 0. (With the plain E5-small the same figures were 0.00 ± 0.09, 0.64, 0.63, 0.74
and 0.04; the threshold was 0.60 then.) Coverage carries most
of the score because it is explainable skill by skill; the cosine adds credit for a profile
that points the right way.

Every number depends on the one person and the one role only: similarities come from one
precomputed matrix, vectors are summed per profile, and every sum runs over one pair's values
in the same order whether the pair is scored alone or in a batch. Adding or removing anyone
else never moves a pair's score.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from matcher.profiles import PersonSkills
from matcher.roles import RoleProfile
from matcher.skills import NEAR_THRESHOLD, SkillSpace

NEAR_FULL = 0.90
NEAR_CREDIT_MIN = 0.30
NEAR_CREDIT_MAX = 0.70
COS_FLOOR = 0.20
COS_CEIL = 0.80
COVERAGE_SHARE = 0.80
PEOPLE_BATCH = 2_000  # people scored per matrix in ``score_people`` (bounds memory)
_NUMBERS = ("score", "coverage", "essential_coverage", "cosine", "missing")

__all__ = [
    "NEAR_THRESHOLD",
    "PairDetail",
    "PairScore",
    "best_people",
    "best_roles",
    "explain_pair",
    "near_credit",
    "people_numbers",
    "roles_numbers",
    "score_people",
    "score_roles",
]


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
    """Per role skill (arrays of shape (n,)): whether the person holds the skill itself
    (``held``), and the person's closest skill: ``nearest`` (an index into the person's rows,
    -1 when they have no skills), its ``similarity`` (the near-similarity that gave the credit,
    else the plain cosine of the most similar held skill) and ESCO ``relation`` code."""

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
    numbers, credit, starts = roles_numbers(space, person, roles)
    return _pair_scores(numbers, np.split(credit, starts[1:]), range(len(roles)))


def best_roles(
    space: SkillSpace,
    person: PersonSkills,
    roles: Sequence[RoleProfile],
    k: int,
    tiebreak: Sequence[str],
) -> list[tuple[int, PairScore]]:
    """The ``k`` best of ``roles`` for ``person`` as (position in ``roles``, score): by score,
    then coverage, then ``tiebreak`` (e.g. role keys). Only the winners get a
    :class:`PairScore` object."""
    numbers, credit, starts = roles_numbers(space, person, roles)
    ends = np.append(starts[1:], len(credit))
    order = np.lexsort((np.asarray(tiebreak), -numbers["coverage"], -numbers["score"]))[:k]
    credits = {int(i): credit[starts[i] : ends[i]] for i in order}
    return list(zip(order.tolist(), _pair_scores(numbers, credits, order), strict=True))


def roles_numbers(
    space: SkillSpace, person: PersonSkills, roles: Sequence[RoleProfile]
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Per-role arrays (score, coverage, essential_coverage, cosine, missing), the flat credit
    array of all role skills, and where each role's skills start in it."""
    if not roles:
        return {key: np.zeros(0) for key in _NUMBERS}, np.zeros(0), np.zeros(0, dtype=np.int64)
    role_rows = np.concatenate([r.rows for r in roles])
    if len(person):
        credit = _credit_matrix(space, person.rows, person.strength, role_rows)[0].max(axis=0)
    else:
        credit = np.zeros(len(role_rows))
    starts = np.cumsum([0, *(len(r.rows) for r in roles)])[:-1]
    weights = np.concatenate([r.weights for r in roles])
    essential = np.concatenate([r.essential for r in roles])
    role_vectors = np.stack([r.vector for r in roles]).astype(np.float64)
    cosine = (role_vectors * person.vector.astype(np.float64)).sum(axis=1)
    return _combine(credit, weights, essential, starts, cosine), credit, starts


def score_people(
    space: SkillSpace, people: Sequence[PersonSkills], role: RoleProfile
) -> list[PairScore]:
    """Score many people against one role, in the people's order (batched matrices)."""
    numbers, credit = people_numbers(space, people, role)
    return _pair_scores(numbers, list(credit), range(len(people)))


def best_people(
    space: SkillSpace,
    people: Sequence[PersonSkills],
    role: RoleProfile,
    k: int,
    tiebreak: Sequence[int],
) -> list[tuple[int, PairScore]]:
    """The ``k`` best of ``people`` for ``role`` as (position in ``people``, score): by score,
    then coverage, then ``tiebreak`` (e.g. employee ids), ascending. Only the winners get a
    :class:`PairScore` object."""
    numbers, credit = people_numbers(space, people, role)
    order = np.lexsort((np.asarray(tiebreak), -numbers["coverage"], -numbers["score"]))[:k]
    return list(zip(order.tolist(), _pair_scores(numbers, credit, order), strict=True))


def people_numbers(
    space: SkillSpace, people: Sequence[PersonSkills], role: RoleProfile
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Per-person arrays (score, coverage, essential_coverage, cosine, missing), and the
    credit matrix (len(people), len(role)). Batched by ``PEOPLE_BATCH`` to bound memory."""
    n = len(role)
    parts: list[dict[str, np.ndarray]] = []
    credits: list[np.ndarray] = []
    for start in range(0, len(people), PEOPLE_BATCH):
        batch = people[start : start + PEOPLE_BATCH]
        credit = np.zeros((len(batch), n))
        sizes = np.array([len(p) for p in batch])
        if sizes.sum():
            rows = np.concatenate([p.rows for p in batch])
            strength = np.concatenate([p.strength for p in batch])
            matrix = _credit_matrix(space, rows, strength, role.rows)[0]
            offsets = np.cumsum(np.concatenate([[0], sizes[:-1]]))
            filled = sizes > 0
            credit[filled] = np.maximum.reduceat(matrix, offsets[filled], axis=0)
        vectors = np.stack([p.vector for p in batch]).astype(np.float64)
        cosine = (vectors * role.vector.astype(np.float64)).sum(axis=1)
        parts.append(
            _combine(
                credit.ravel(),
                np.tile(role.weights, len(batch)),
                np.tile(role.essential, len(batch)),
                np.arange(len(batch)) * n,
                cosine,
            )
        )
        credits.append(credit)
    if not parts:
        return {key: np.zeros(0) for key in _NUMBERS}, np.zeros((0, n))
    numbers = {key: np.concatenate([p[key] for p in parts]) for key in _NUMBERS}
    return numbers, np.concatenate(credits)


def explain_pair(space: SkillSpace, person: PersonSkills, role: RoleProfile) -> PairDetail:
    """The score of one pair plus, per role skill, where its credit comes from."""
    pair = score_roles(space, person, [role])[0]
    n = len(role)
    if not len(person):
        return PairDetail(
            pair, np.zeros(n, bool), np.full(n, -1), np.zeros(n), np.zeros(n, np.int8)
        )
    credit, near = _credit_matrix(space, person.rows, person.strength, role.rows)
    cosine = space.similarity(person.rows, role.rows)
    held = (person.rows[:, None] == role.rows[None, :]).any(axis=0)
    credited = credit.max(axis=0) > 0
    # the nearest skill is the one giving the credit; without credit, the most similar one
    nearest = np.where(credited, credit.argmax(axis=0), cosine.argmax(axis=0))
    columns = np.arange(n)
    similarity = np.where(credited, near[nearest, columns], cosine[nearest, columns])
    relation = space.relations(person.rows, role.rows)[nearest, columns]
    return PairDetail(pair, held, nearest, similarity, relation)


def _credit_matrix(
    space: SkillSpace, person_rows: np.ndarray, strength: np.ndarray, role_rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(credit, near-similarity), each (len person_rows, len role_rows), float64."""
    near = space.near_block(person_rows, role_rows).astype(np.float64)
    same = person_rows[:, None] == role_rows[None, :]
    factor = np.where(same, 1.0, near_credit(near))
    return factor * strength[:, None], near


def _combine(
    credit: np.ndarray,
    weights: np.ndarray,
    essential: np.ndarray,
    starts: np.ndarray,
    cosine: np.ndarray,
) -> dict[str, np.ndarray]:
    """Per pair numbers from flat per-skill arrays; pair ``k`` owns ``[starts[k]:starts[k+1]]``.
    Every sum is a segment sum of one pair's values (``np.add.reduceat``), so a pair gets the
    same numbers alone as in any batch."""
    total = np.add.reduceat(weights, starts)
    covered = np.add.reduceat(credit * weights, starts)
    essential_weights = np.where(essential, weights, 0.0)
    essential_total = np.add.reduceat(essential_weights, starts)
    essential_covered = np.add.reduceat(credit * essential_weights, starts)
    coverage = np.divide(covered, total, out=np.zeros_like(covered), where=total > 0)
    essential_coverage = np.divide(
        essential_covered, essential_total, out=np.ones_like(covered), where=essential_total > 0
    )
    cosine = np.round(cosine, 6)
    score = 100 * (COVERAGE_SHARE * coverage + (1 - COVERAGE_SHARE) * semantic(cosine))
    missing = np.add.reduceat(((credit <= 0) & essential).astype(np.int64), starts)
    return {
        "score": np.round(score, 1),
        "coverage": np.round(coverage, 4),
        "essential_coverage": np.round(essential_coverage, 4),
        "cosine": cosine,
        "missing": missing,
    }


def _pair_scores(
    numbers: dict[str, np.ndarray],
    credits: Sequence[np.ndarray] | dict[int, np.ndarray],
    which: Sequence[int],
) -> list[PairScore]:
    return [
        PairScore(
            score=float(numbers["score"][k]),
            coverage=float(numbers["coverage"][k]),
            essential_coverage=float(numbers["essential_coverage"][k]),
            cosine=float(numbers["cosine"][k]),
            credit=credits[int(k)],
            missing_essential=int(numbers["missing"][k]),
        )
        for k in which
    ]
