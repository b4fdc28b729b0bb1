"""Synthetic workforces and vacancies sampled from ESCO occupations, for benchmarks and tests.

A synthetic person has a main occupation (60–90% of its essential skills, 20–50% of its
optional ones), some of a second occupation (0–30%: a career switch), and 0–5 random skills
(noise). A third of the claims is confirmed (strength 1.0), the rest suggested with a
confidence of 0.6–0.95, and one in ten inferred (strength 0.35). A synthetic vacancy takes
6–15 skills of one occupation, essential ones first.
"""

from __future__ import annotations

import numpy as np

from matcher.passport_index import IndexEntry
from matcher.profiles import SUGGESTED_BASE as SUGGESTED
from matcher.profiles import claim_strength
from matcher.roles import RoleProfile, make_role
from matcher.skills import SkillSpace
from matcher.store.records import RoleSkill

INFERRED = claim_strength("suggested", 0.4, "inferred")


def synthetic_people(
    space: SkillSpace, occupations: list[RoleProfile], n: int, seed: int = 0, first_id: int = 1
) -> list[IndexEntry]:
    """``n`` index entries with ids ``first_id`` … and external ids "syn-000001" …"""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        main, other = (occupations[k] for k in rng.integers(0, len(occupations), 2))
        parts = [
            _sample(rng, main.rows[main.essential], rng.uniform(0.6, 0.9)),
            _sample(rng, main.rows[~main.essential], rng.uniform(0.2, 0.5)),
            _sample(rng, other.rows, rng.uniform(0.0, 0.3)),
            rng.integers(0, len(space), rng.integers(0, 6)),
        ]
        rows = np.unique(np.concatenate(parts).astype(np.int64))
        kind = rng.random(len(rows))
        suggested = SUGGESTED + (1 - SUGGESTED) * rng.uniform(0.6, 0.95, len(rows))
        strength = np.where(kind < 1 / 3, 1.0, np.where(kind < 0.9, suggested, INFERRED))
        employee_id = first_id + i
        out.append(IndexEntry(employee_id, f"syn-{employee_id:06d}", rows, strength, kind < 1 / 3))
    return out


def synthetic_vacancies(
    space: SkillSpace, occupations: list[RoleProfile], n: int, seed: int = 0
) -> list[RoleProfile]:
    """``n`` vacancies, each 6–15 skills of one occupation (keys "vacancy:syn-<i>")."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        occupation = occupations[rng.integers(0, len(occupations))]
        size = min(len(occupation), int(rng.integers(6, 16)))
        chosen = rng.choice(len(occupation), size, replace=False)
        needs = [
            RoleSkill(
                occupation.skills[j].skill_uri,
                occupation.skills[j].weight,
                occupation.skills[j].essential,
            )
            for j in sorted(chosen)
        ]
        out.append(
            make_role(space, f"vacancy:syn-{i}", f"{occupation.title} ({i})", "vacancy", needs)
        )
    return out


def _sample(rng: np.random.Generator, rows: np.ndarray, share: float) -> np.ndarray:
    if len(rows) == 0:
        return rows
    return rng.choice(rows, max(1, round(share * len(rows))), replace=False)
