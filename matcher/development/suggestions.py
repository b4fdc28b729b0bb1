"""Breadth suggestions: the areas that would widen a person's T most cheaply, as 70-20-10 steps.

**Candidates** are the areas the person holds no confirmed skill in. Each gets

    score = proximity × (UNNEEDED_WEIGHT + (1 − UNNEEDED_WEIGHT) × need)

``proximity`` (0–1) is the largest ``P(area | held area)`` over the person's areas, from how
often ESCO occupations combine the two (``SkillAreas.proximity``): the closer, the cheaper,
because the work the person already does tends to touch it. ``need`` (0–1) is how much the
firm's open vacancies and future roles ask for the area, every role counting equally: per
role, the area's skill weight relative to the role's heaviest area, summed over the roles,
relative to the most needed area (``FirmNeeds.share``; why per role: ``firm_needs``).
``UNNEEDED_WEIGHT`` = 0.2: an area no role asks for still widens the T, but counts a fifth of
the most needed one, so a needed area wins unless it is five times farther away. For a person
without any confirmed area, proximity says nothing and the firm's need alone ranks.

The best ``MAX_SUGGESTIONS`` (5) are returned, at least ``MIN_SUGGESTIONS`` (3) when there are
that many candidates with a positive score. Each comes with the steps that feed the learning
plan, 70-20-10 as in ``matcher.paths``:

- 70, **job rotation**: a stint in the team where most colleagues hold the area (else the
  tasks of a role that asks for it);
- 70, **multidisciplinary project**: a project where the person's bridge area and the new one
  meet;
- 20, **a colleague**: the colleague deepest in the area (most confirmed skills, deep first);
- 10, **a course** on the area's first skill (course type as ``matcher.paths.learning_modes``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from matcher.development.areas import SkillAreas
from matcher.development.tshape import FirmNeeds, TShapeProfile
from matcher.paths import learning_modes
from matcher.store.records import PlannedStep

UNNEEDED_WEIGHT = 0.2
MAX_SUGGESTIONS = 5
MIN_SUGGESTIONS = 3
SKILLS_PER_SUGGESTION = 3
STEP_SHARE = {"on_the_job": 70, "rotation": 70, "project": 70, "colleague": 20, "course": 10}
STEP_LABELS = {
    "on_the_job": "op het werk",
    "rotation": "job rotation",
    "project": "multidisciplinair project",
    "colleague": "van een collega",
    "course": "cursus",
}


@dataclass(frozen=True)
class SuggestedStep:
    """A step of a suggestion; ``mentor_id``/``mentor`` name the colleague (never in ``text``)."""

    kind: str
    text: str
    mentor_id: int | None = None
    mentor: str | None = None  # the mentor's external id, for display

    @property
    def share(self) -> int:
        return STEP_SHARE[self.kind]


@dataclass(frozen=True)
class BreadthSuggestion:
    area_uri: str
    label: str
    score: float
    proximity: float
    need: float
    bridge_uri: str | None  # the held area it is closest to
    bridge_label: str | None
    skills: tuple[tuple[str, str], ...]  # (uri, label) to start with
    roles: tuple[str, ...]  # titles of the firm's roles that ask for the area
    steps: tuple[SuggestedStep, ...]

    @property
    def work_options(self) -> tuple[str, ...]:
        """The kinds of the 70% steps: alternatives (learn it on the job, or in a rotation or
        project); a plan takes one of them."""
        return tuple(s.kind for s in self.steps if s.share == 70)

    def planned_steps(
        self, role_ids: dict[str, int] | None = None, work: str | None = None
    ) -> list[PlannedStep]:
        """The steps as ``PlannedStep``s for ``LearningStore.add_steps`` (default due dates):
        one 70% option, ``work`` (a kind from :attr:`work_options`) or else the first, then the
        20% and 10% steps.

        Raises:
            ValueError: ``work`` is not one of this suggestion's 70% options.
        """
        options = self.work_options
        if work is not None and work not in options:
            raise ValueError(
                f"{work!r} is not a 70% option of this suggestion; choose one of "
                f"{', '.join(options) or '(none)'}"
            )
        chosen = work or (options[0] if options else None)
        skill = self.skills[0][0] if self.skills else None
        role_id = (role_ids or {}).get(self.roles[0]) if self.roles else None
        return [
            PlannedStep(
                kind=step.kind,
                title=step.text,
                area_uri=self.area_uri,
                skill_uri=skill if step.kind == "course" else None,
                role_id=role_id if step.kind in ("rotation", "project") else None,
                mentor_id=step.mentor_id,
            )
            for step in self.steps
            if step.share != 70 or step.kind == chosen
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "area_uri": self.area_uri,
            "label": self.label,
            "score": self.score,
            "proximity": self.proximity,
            "need": self.need,
            "bridge_uri": self.bridge_uri,
            "bridge_label": self.bridge_label,
            "skills": [{"uri": uri, "label": label} for uri, label in self.skills],
            "roles": list(self.roles),
            "steps": [
                {
                    "kind": s.kind,
                    "share": s.share,
                    "text": s.text,
                    "mentor_id": s.mentor_id,
                    "mentor": s.mentor,
                }
                for s in self.steps
            ],
        }


def breadth_suggestions(
    areas: SkillAreas,
    person: TShapeProfile,
    colleagues: Sequence[TShapeProfile],
    needs: FirmNeeds,
    k: int = MAX_SUGGESTIONS,
) -> list[BreadthSuggestion]:
    """The ``k`` (at most 5) areas that widen ``person``'s T most cheaply, best first.

    ``colleagues`` are the firm's profiles (the person among them or not): they supply mentors
    and rotation teams.
    """
    k = max(1, min(k, MAX_SUGGESTIONS))
    held = {a.uri for a in person.areas}
    others = [c for c in colleagues if c.employee_id != person.employee_id]
    candidates = (set(areas.known_areas()) | set(needs.weight)) - held
    scored = []
    for area in candidates:
        need = needs.share(area)
        if held:
            proximity, bridge = areas.proximity(held, area)
            score = proximity * (UNNEEDED_WEIGHT + (1 - UNNEEDED_WEIGHT) * need)
        else:
            proximity, bridge, score = 0.0, None, need
        if score > 0:
            scored.append((round(score, 4), round(proximity, 4), round(need, 4), area, bridge))
    scored.sort(key=lambda s: (-s[0], -s[2], areas.label(s[3]), s[3]))
    return [
        _suggestion(areas, person, others, needs, score, proximity, need, area, bridge)
        for score, proximity, need, area, bridge in scored[:k]
    ]


def _suggestion(
    areas: SkillAreas,
    person: TShapeProfile,
    others: Sequence[TShapeProfile],
    needs: FirmNeeds,
    score: float,
    proximity: float,
    need: float,
    area: str,
    bridge: str | None,
) -> BreadthSuggestion:
    label = areas.label(area)
    skills = _first_skills(areas, needs, area)
    roles = needs.roles.get(area, ())
    steps = [
        _rotation(person, others, area, label, roles),
        _project(areas, bridge, label, roles),
        _colleague(others, area, label),
    ]
    if skills:
        concept = areas.taxonomy.get(skills[0][0])
        formal = learning_modes(concept, ()).formal
        steps.append(SuggestedStep("course", f"{_capital(formal)} over ‘{concept.label}’."))
    return BreadthSuggestion(
        area_uri=area,
        label=label,
        score=score,
        proximity=proximity,
        need=need,
        bridge_uri=bridge,
        bridge_label=areas.label(bridge) if bridge else None,
        skills=tuple(skills),
        roles=roles,
        steps=tuple(steps),
    )


def _first_skills(areas: SkillAreas, needs: FirmNeeds, area: str) -> list[tuple[str, str]]:
    """The skills to start with: those the firm's roles ask for, heaviest first, then the
    area's most common skills in ESCO occupations."""
    out: list[tuple[str, str]] = []
    for uri, _weight in needs.skills.get(area, ()):
        if uri in areas.taxonomy.concepts:
            out.append((uri, areas.taxonomy.concepts[uri].label))
    for concept in areas.typical_skills(area, SKILLS_PER_SUGGESTION):
        if concept.uri not in {uri for uri, _ in out}:
            out.append((concept.uri, concept.label))
    return out[:SKILLS_PER_SUGGESTION]


def _rotation(
    person: TShapeProfile,
    others: Sequence[TShapeProfile],
    area: str,
    label: str,
    roles: tuple[str, ...],
) -> SuggestedStep:
    teams = Counter(c.team for c in others if c.team and c.team != person.team and c.holds(area))
    if teams:
        team, holders = min(teams.items(), key=lambda item: (-item[1], item[0]))
        if holders == 1:
            where = f"1 collega ‘{label}’ in de praktijk brengt"
        else:
            where = f"{holders} collega's ‘{label}’ in de praktijk brengen"
        return SuggestedStep("rotation", f"Werk een periode mee in team {team}, waar {where}.")
    if roles:
        return SuggestedStep(
            "rotation",
            f"Neem een periode taken over uit de rol ‘{roles[0]}’, die ‘{label}’ vraagt.",
        )
    return SuggestedStep(
        "rotation",
        f"Loop een aantal dagen mee bij een klant, leverancier of netwerkpartner die ‘{label}’ "
        "dagelijks toepast.",
    )


def _project(
    areas: SkillAreas, bridge: str | None, label: str, roles: tuple[str, ...]
) -> SuggestedStep:
    meet = f"‘{areas.label(bridge)}’ en ‘{label}’" if bridge else f"‘{label}’ en je eigen vak"
    towards = f", bijvoorbeeld als voorbereiding op de rol ‘{roles[0]}’" if roles else ""
    return SuggestedStep(
        "project",
        f"Doe mee in een multidisciplinair project waarin {meet} samenkomen{towards}.",
    )


def _colleague(others: Sequence[TShapeProfile], area: str, label: str) -> SuggestedStep:
    holders = [(c, c.area_depth(area)) for c in others]
    ranked = sorted(
        ((c, d) for c, d in holders if d is not None),
        key=lambda cd: (not cd[1].deep, -cd[1].count, -cd[1].mean_level, cd[0].external_id),
    )
    if not ranked:
        return SuggestedStep(
            "colleague",
            f"Nog niemand in het bedrijf heeft ‘{label}’ bevestigd: zoek een maatje bij een "
            "netwerkpartner of leverancier.",
        )
    mentor, depth = ranked[0]
    who = "die specialist is in" if depth.deep else "met ervaring in"
    return SuggestedStep(
        "colleague",
        f"Leer van een collega {who} ‘{label}’: meekijken, vragen stellen, samen een klus doen.",
        mentor_id=mentor.employee_id,
        mentor=mentor.external_id,
    )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
