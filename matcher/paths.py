"""Reskilling paths: what one employee needs to learn for one role, in a sensible order, with an
effort estimate and 70-20-10 learning modes per step.

**Steps** are the role skills the person does not hold (near-matched ones included: partly
there, so cheaper). **Order**: prerequisites first — a skill's ESCO broader skills and the
skills ESCO marks as *essential* for it come before it when both are steps — then, among the
steps whose prerequisites are done, the one closest to what the person already has, then
essential before optional, then by weight.

**Effort** (hours, a documented heuristic, not a measurement)::

    hours = BASE_HOURS[skill type] * REUSE_FACTOR[reuse level] * distance_factor

``BASE_HOURS``: knowledge 24 h (a module's worth), skill/competence 40 h (practice takes
longer). ``REUSE_FACTOR``: transversal 0.5 … occupation-specific 1.3 (specialist skills take
longer to learn). ``distance_factor`` runs from 0.35 (the person holds a skill with similarity
>= 0.9) to 1.0 (nothing similar), linear in the similarity of the closest held skill. Rounded up
to whole 4-hour blocks; weeks assume ``HOURS_PER_WEEK`` of learning time next to the job.

**Modes** (70-20-10): a task on the job (template text by skill type and collection); colleagues
of the same organisation whose passport has the skill *confirmed*, as mentors (by employee id;
the index holds one organisation only, so never anyone else's people); a formal course type.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from matcher.passport_index import PassportIndex
from matcher.profiles import PersonSkills
from matcher.roles import RoleProfile
from matcher.scoring import NEAR_FULL, explain_pair
from matcher.skills import SkillSpace
from taxonomy.model import Concept

BASE_HOURS = {"knowledge": 24.0, "skill/competence": 40.0}
DEFAULT_BASE_HOURS = 32.0
REUSE_FACTOR = {
    "transversal": 0.5,
    "cross-sector": 0.8,
    "sector-specific": 1.0,
    "occupation-specific": 1.3,
}
MIN_DISTANCE_FACTOR = 0.35
HOURS_PER_WEEK = 4
MAX_MENTORS = 3
CLOSEST_MIN = 0.34  # below this (the 99th percentile of random pairs, matcher/skills.py)
# nothing held is "close"


@dataclass(frozen=True)
class LearningModes:
    """70-20-10: ``on_the_job`` (70%), ``mentors`` (20%: colleagues' employee ids, empty when no
    colleague has the skill confirmed), ``formal`` (10%: a course type)."""

    on_the_job: str
    mentors: tuple[str, ...]
    formal: str


@dataclass(frozen=True)
class PathStep:
    order: int
    uri: str
    label: str
    essential: bool
    weight: float
    status: str  # "near" (a similar skill is held) or "missing"
    closest_uri: str | None  # None when nothing held reaches ``CLOSEST_MIN``
    closest_label: str | None
    closeness: float  # similarity of the closest held skill (1 = the same skill)
    prerequisites: tuple[str, ...]  # labels of earlier steps this one builds on
    hours: int
    modes: LearningModes


@dataclass(frozen=True)
class ReskillingPath:
    employee_id: int | None
    external_id: str
    role_key: str
    role_title: str
    score: float  # the employee's score for the role today
    steps: tuple[PathStep, ...]

    @property
    def total_hours(self) -> int:
        return sum(step.hours for step in self.steps)

    @property
    def weeks(self) -> int:
        return math.ceil(self.total_hours / HOURS_PER_WEEK)

    def to_dict(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "total_hours": self.total_hours,
            "weeks": self.weeks,
            "hours_per_week": HOURS_PER_WEEK,
        }


def reskilling_path(
    space: SkillSpace,
    role: RoleProfile,
    person: PersonSkills,
    *,
    colleagues: PassportIndex | None = None,
    employee_id: int | None = None,
    external_id: str = "",
) -> ReskillingPath:
    """The ordered steps from ``person`` to ``role``; mentors come from ``colleagues`` (the
    person's own organisation's index; the person is never their own mentor)."""
    detail = explain_pair(space, person, role)
    todo = [j for j in range(len(role)) if not detail.held[j]]
    closeness = {j: _closeness(detail, j) for j in todo}
    prerequisites = _prerequisites(space, role, todo)
    steps = []
    for order, j in enumerate(_order(role, todo, closeness, prerequisites), 1):
        row = int(role.rows[j])
        concept = space.concept(row)
        nearest = int(detail.nearest[j])
        similar = nearest >= 0 and closeness[j] >= CLOSEST_MIN
        closest_row = int(person.rows[nearest]) if similar else None
        steps.append(
            PathStep(
                order=order,
                uri=concept.uri,
                label=concept.label,
                essential=bool(role.essential[j]),
                weight=float(role.weights[j]),
                status="near" if detail.score.credit[j] > 0 else "missing",
                closest_uri=space.uris[closest_row] if closest_row is not None else None,
                closest_label=space.label(closest_row) if closest_row is not None else None,
                closeness=round(closeness[j], 3),
                prerequisites=tuple(space.label(int(role.rows[p])) for p in prerequisites[j]),
                hours=effort_hours(concept, closeness[j]),
                modes=learning_modes(concept, _mentors(colleagues, concept.uri, employee_id)),
            )
        )
    return ReskillingPath(
        employee_id, external_id, role.key, role.title, detail.score.score, tuple(steps)
    )


def effort_hours(concept: Concept, closeness: float) -> int:
    """Estimated learning hours for a skill, given the similarity of the closest held skill."""
    base = BASE_HOURS.get(concept.skill_type or "", DEFAULT_BASE_HOURS)
    reuse = REUSE_FACTOR.get(concept.reuse_level or "", 1.0)
    distance = float(np.clip((NEAR_FULL - closeness) / NEAR_FULL, 0.0, 1.0))
    factor = MIN_DISTANCE_FACTOR + (1 - MIN_DISTANCE_FACTOR) * distance
    return max(4, 4 * math.ceil(base * reuse * factor / 4))


def learning_modes(concept: Concept, mentors: tuple[str, ...]) -> LearningModes:
    label = f"‘{concept.label}’"
    if "language" in concept.collections:
        task = (
            f"Gebruik {label} in het dagelijks werk: mails, telefoongesprekken of overleg met "
            "collega's of klanten."
        )
        formal = "taalcursus (bijv. NT2 of een conversatiecursus)"
    elif "digital" in concept.collections:
        task = f"Zet {label} in voor echt werk (een klein project of een terugkerende taak)."
        formal = "e-learning of leverancierscertificaat"
    elif concept.skill_type == "knowledge":
        task = (
            f"Pas {label} toe in een lopend project en bespreek met je leidinggevende wat je "
            "hebt geleerd."
        )
        formal = "mbo/hbo-module of e-learning"
    else:
        task = f"Neem taken op je die {label} vragen: eerst samen met een collega, dan zelfstandig."
        formal = (
            "korte training of workshop"
            if concept.reuse_level == "transversal"
            else "praktijkgerichte mbo-module (keuzedeel) of leverancierscertificaat"
        )
    return LearningModes(task, mentors, formal)


def _closeness(detail, j: int) -> float:
    if detail.nearest[j] < 0:
        return 0.0
    return float(detail.similarity[j])


def _prerequisites(space: SkillSpace, role: RoleProfile, todo: list[int]) -> dict[int, list[int]]:
    """For each step, the other steps it builds on: its ESCO broader skills (any level) and
    the skills ESCO lists as essential for it."""
    position = {space.uris[int(role.rows[j])]: j for j in todo}
    out: dict[int, list[int]] = {}
    for j in todo:
        uri = space.uris[int(role.rows[j])]
        before = {position[c.uri] for c in space.taxonomy.ancestors(uri) if c.uri in position}
        before |= {
            position[c.uri]
            for c, relation in space.taxonomy.related_of(uri)
            if relation == "essential" and c.uri in position
        }
        before.discard(j)
        out[j] = sorted(before)
    return out


def _order(
    role: RoleProfile,
    todo: list[int],
    closeness: dict[int, float],
    prerequisites: dict[int, list[int]],
) -> list[int]:
    """Kahn's topological sort; among ready steps the closest first. A cycle (possible through
    skill-skill relations) is broken at its best-placed step."""

    def priority(j: int) -> tuple:
        return (-closeness[j], not role.essential[j], -role.weights[j], j)

    waiting = {j: set(prerequisites[j]) for j in todo}
    ready = [priority(j) for j in todo if not waiting[j]]
    heapq.heapify(ready)
    order: list[int] = []
    while len(order) < len(todo):
        if not ready:  # a cycle: release the best remaining step
            heapq.heappush(ready, min(priority(j) for j in waiting))
        j = heapq.heappop(ready)[-1]
        if j not in waiting:
            continue
        del waiting[j]
        order.append(j)
        for other, needs in waiting.items():
            if j in needs:
                needs.discard(j)
                if not needs:
                    heapq.heappush(ready, priority(other))
    return order


def _mentors(
    colleagues: PassportIndex | None, uri: str, employee_id: int | None
) -> tuple[str, ...]:
    if colleagues is None:
        return ()
    holders = [i for i in colleagues.confirmed_holders(uri) if i != employee_id]
    return tuple(colleagues.entry(i).external_id for i in holders[:MAX_MENTORS])
