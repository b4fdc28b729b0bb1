"""T-shape profiles of passports, and the areas a team covers.

**Depth** is the strongest area (see ``matcher.development.areas``): the one with the most
confirmed skills, then the highest mean proficiency. **Breadth** is the number of distinct
areas with at least one confirmed skill, together with the transversal themes covered. Only
*confirmed* claims count: a suggestion nobody looked at is not yet part of anyone's T.

The classification, with the reason for every threshold:

- **deep** when the strongest area holds at least ``DEEP_MIN_SKILLS`` = 5 confirmed skills at a
  mean level of at least ``DEEP_MIN_LEVEL`` = 3 (of 4). Five is what ESCO's own occupations
  put in their strongest area (the median over 2,997 occupations with five or more essential
  skills), i.e. the core of one trade. Level 3 ("zelfstandig") on average: many basic-level
  skills in one area means someone is learning it, not deep in it. A confirmed skill without a
  level counts as ``UNRATED_LEVEL`` = 3, as matching does (``matcher.profiles``): a person saw
  it used, and firms that never rate levels are then judged by counts alone.
- **broad** when the confirmed skills reach at least ``BROAD_MIN_AREAS`` = 6 areas and at least
  ``BROAD_MIN_THEMES`` = 2 of the 5 transversal themes. ESCO occupations' essential skills span
  a median of 13 areas; a passport holds what a CV showed and a person confirmed (typically
  half of an occupation's skills or fewer), so 6 areas, about half of 13, is a base as wide as
  a whole trade's, while a specialist's confirmed skills cluster in fewer. The crossbar of a T
  is also working across disciplines: two themes with a confirmed skill is evidence beyond one
  stray claim; all five would make almost nobody broad, because CVs rarely list them.

deep and broad: **T-vormig**; deep only: **I-vormig** (specialist); broad only:
**generalist**; neither: **beginnend** (early career, or too little confirmed to tell).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from matcher.development.areas import THEMES, SkillAreas
from matcher.store.records import Passport, Role

DEEP_MIN_SKILLS = 5
DEEP_MIN_LEVEL = 3.0
UNRATED_LEVEL = 3
BROAD_MIN_AREAS = 6
BROAD_MIN_THEMES = 2
NEED_KINDS = ("vacancy", "future_role")  # roles whose skills say what the firm needs

SHAPES = ("t_shaped", "i_shaped", "generalist", "early_career")
SHAPE_LABELS = {
    "t_shaped": "T-vormig",
    "i_shaped": "I-vormig (specialist)",
    "generalist": "generalist",
    "early_career": "beginnend",
}
COVERAGE_LABELS = {"nobody": "niemand", "one": "één persoon", "several": "meerdere"}


@dataclass(frozen=True)
class AreaDepth:
    """One area in a person's passport: the confirmed skills in it and their mean level."""

    uri: str
    label: str
    skills: tuple[str, ...]  # labels of the confirmed skills, sorted
    mean_level: float  # 1–4; unrated skills count as UNRATED_LEVEL
    code: str | None = None  # ESCO group code, e.g. "S8.8" (knowledge fields have none)

    @property
    def display(self) -> str:
        """The label with its code in front, e.g. "S8.1 bedienen van mobiele installaties"."""
        return f"{self.code} {self.label}" if self.code else self.label

    @property
    def count(self) -> int:
        return len(self.skills)

    @property
    def deep(self) -> bool:
        return self.count >= DEEP_MIN_SKILLS and self.mean_level >= DEEP_MIN_LEVEL


@dataclass(frozen=True)
class ThemeCoverage:
    key: str
    label: str
    skills: tuple[str, ...]  # labels of the confirmed skills that cover it

    @property
    def covered(self) -> bool:
        return bool(self.skills)


@dataclass(frozen=True)
class TShapeProfile:
    """A passport as a T: ``areas`` strongest first, ``themes`` in ``THEMES`` order."""

    employee_id: int
    external_id: str
    team: str | None
    confirmed: int  # confirmed skills in the passport
    areas: tuple[AreaDepth, ...]
    themes: tuple[ThemeCoverage, ...]

    @property
    def depth(self) -> AreaDepth | None:
        """The strongest area, or None without confirmed skills in any area."""
        return self.areas[0] if self.areas else None

    @property
    def breadth(self) -> int:
        return len(self.areas)

    @property
    def themes_covered(self) -> int:
        return sum(t.covered for t in self.themes)

    @property
    def deep(self) -> bool:
        return self.depth is not None and self.depth.deep

    @property
    def broad(self) -> bool:
        return self.breadth >= BROAD_MIN_AREAS and self.themes_covered >= BROAD_MIN_THEMES

    @property
    def shape(self) -> str:
        if self.deep:
            return "t_shaped" if self.broad else "i_shaped"
        return "generalist" if self.broad else "early_career"

    @property
    def shape_label(self) -> str:
        return SHAPE_LABELS[self.shape]

    def holds(self, area_uri: str) -> bool:
        return any(a.uri == area_uri for a in self.areas)

    def area_depth(self, area_uri: str) -> AreaDepth | None:
        return next((a for a in self.areas if a.uri == area_uri), None)

    def to_dict(self) -> dict[str, Any]:
        depth = self.depth
        return {
            "employee_id": self.employee_id,
            "external_id": self.external_id,
            "team": self.team,
            "shape": self.shape,
            "shape_label": self.shape_label,
            "deep": self.deep,
            "broad": self.broad,
            "confirmed_skills": self.confirmed,
            "depth": _area_dict(depth) if depth else None,
            "breadth": self.breadth,
            "themes_covered": self.themes_covered,
            "areas": [_area_dict(a) for a in self.areas],
            "themes": [{**asdict(t), "covered": t.covered} for t in self.themes],
            "thresholds": thresholds(),
        }


def thresholds() -> dict[str, float]:
    """The classification's thresholds (for reports that show them)."""
    return {
        "deep_min_skills": DEEP_MIN_SKILLS,
        "deep_min_level": DEEP_MIN_LEVEL,
        "unrated_level": UNRATED_LEVEL,
        "broad_min_areas": BROAD_MIN_AREAS,
        "broad_min_themes": BROAD_MIN_THEMES,
    }


def tshape_profile(areas: SkillAreas, passport: Passport) -> TShapeProfile:
    """The T-shape of one passport (confirmed claims only)."""
    by_area: dict[str, list[tuple[str, int]]] = defaultdict(list)
    by_theme: dict[str, list[str]] = defaultdict(list)
    confirmed = [c for c in passport.claims if c.status == "confirmed"]
    for claim in confirmed:
        level = claim.proficiency or UNRATED_LEVEL
        for area in areas.areas_of(claim.skill_uri):
            by_area[area].append((claim.label, level))
        for theme in areas.themes_of(claim.skill_uri):
            by_theme[theme].append(claim.label)
    depths = [
        AreaDepth(
            uri=uri,
            label=areas.label(uri),
            skills=tuple(sorted(label for label, _ in held)),
            mean_level=round(sum(level for _, level in held) / len(held), 2),
            code=areas.area(uri).code,
        )
        for uri, held in by_area.items()
    ]
    depths.sort(key=lambda a: (-a.count, -a.mean_level, a.label, a.uri))
    themes = tuple(
        ThemeCoverage(t.key, t.label, tuple(sorted(by_theme.get(t.key, ())))) for t in THEMES
    )
    employee = passport.employee
    return TShapeProfile(
        employee.id, employee.external_id, employee.team, len(confirmed), tuple(depths), themes
    )


# -- what the firm needs -------------------------------------------------------------------


@dataclass(frozen=True)
class FirmNeeds:
    """What the firm's open vacancies and future roles ask for, per area.

    ``weight[area]`` sums the role-skill weights in the area (what team coverage shows as
    ``needed``); ``demand[area]`` is the area's need in roles' worth, every role counting
    equally (see ``firm_needs``); ``roles[area]`` the titles of the roles that ask for it;
    ``skills[area]`` the (skill URI, weight) pairs, heaviest first.
    """

    weight: dict[str, float] = field(default_factory=dict)
    demand: dict[str, float] = field(default_factory=dict)
    roles: dict[str, tuple[str, ...]] = field(default_factory=dict)
    skills: dict[str, tuple[tuple[str, float], ...]] = field(default_factory=dict)

    def share(self, area: str) -> float:
        """The area's demand relative to the most demanded area (0–1; 0 when nothing is
        needed): the ``need`` of breadth suggestions."""
        top = max(self.demand.values(), default=0.0)
        return self.demand.get(area, 0.0) / top if top > 0 else 0.0


def firm_needs(areas: SkillAreas, roles: Iterable[Role]) -> FirmNeeds:
    """Needs from the open vacancies and future roles among ``roles`` (others are ignored).

    ``demand``: per role, the area's role-skill weight relative to the role's heaviest area
    (0–1: the area a role is built around counts 1, its other areas as much as the role relies
    on them), summed over the roles. So every open role counts the same however many skills
    it lists: before, a role's raw skill weights were added up, and one vacancy listing many
    skills in one area outweighed everything else and became everyone's first suggestion.
    Relative to the heaviest area rather than to the role's total: a total would spread a
    broad future role thinly over its five areas while a focused vacancy keeps three quarters
    on one (the example firm: sales 0.75 against design 0.46), the same imbalance again.
    Summed rather than averaged: ``share`` divides by the most demanded area, so both give the
    same ``need``, and a sum reads as a count of roles (2: two roles are built around it).
    """
    weight: dict[str, float] = defaultdict(float)
    demand: dict[str, float] = defaultdict(float)
    titles: dict[str, list[str]] = defaultdict(list)
    skills: dict[str, dict[str, float]] = defaultdict(dict)
    for role in roles:
        if role.kind not in NEED_KINDS or role.status != "open":
            continue
        in_role: dict[str, float] = defaultdict(float)
        for need in role.skills:
            for area in areas.areas_of(need.skill_uri):
                in_role[area] += need.weight
                if role.title not in titles[area]:
                    titles[area].append(role.title)
                skills[area][need.skill_uri] = skills[area].get(need.skill_uri, 0.0) + need.weight
        heaviest = max(in_role.values(), default=0.0)
        for area, role_weight in in_role.items():
            weight[area] += role_weight
            if heaviest > 0:
                demand[area] += role_weight / heaviest
    return FirmNeeds(
        weight=dict(weight),
        demand=dict(demand),
        roles={a: tuple(t) for a, t in titles.items()},
        skills={
            a: tuple(sorted(s.items(), key=lambda item: (-item[1], item[0])))
            for a, s in skills.items()
        },
    )


# -- team coverage -------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaCoverage:
    """Who in a team holds an area (at least one confirmed skill in it)."""

    uri: str
    label: str
    needed: float  # role-skill weight the firm's open roles put on it (0: not asked for)
    holders: tuple[str, ...]  # external ids, the most skills in the area first
    deep_holders: tuple[str, ...]  # holders for whom it is deep (DEEP_MIN_SKILLS, level)
    code: str | None = None

    @property
    def display(self) -> str:
        return f"{self.code} {self.label}" if self.code else self.label

    @property
    def status(self) -> str:
        """ "nobody", "one" (a continuity risk: it leaves with that person) or "several"."""
        if not self.holders:
            return "nobody"
        return "one" if len(self.holders) == 1 else "several"


@dataclass(frozen=True)
class TeamCoverage:
    """The areas a team (or the whole firm, ``team`` None) covers, against what the firm's
    open roles need: every needed area and every area a member holds."""

    team: str | None
    members: tuple[TShapeProfile, ...]
    areas: tuple[AreaCoverage, ...]  # nobody first, then one person, then several

    def with_status(self, status: str) -> list[AreaCoverage]:
        return [a for a in self.areas if a.status == status]

    @property
    def shapes(self) -> dict[str, int]:
        counts = dict.fromkeys(SHAPES, 0)
        for member in self.members:
            counts[member.shape] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        return {
            "team": self.team,
            "headcount": len(self.members),
            "shapes": self.shapes,
            "nobody": [_coverage_dict(a) for a in self.with_status("nobody")],
            "one_person": [_coverage_dict(a) for a in self.with_status("one")],
            "several": [_coverage_dict(a) for a in self.with_status("several")],
            "members": [
                {
                    "employee_id": m.employee_id,
                    "external_id": m.external_id,
                    "team": m.team,
                    "shape": m.shape,
                    "shape_label": m.shape_label,
                    "depth": _area_dict(m.depth) if m.depth else None,
                    "breadth": m.breadth,
                    "themes_covered": m.themes_covered,
                }
                for m in self.members
            ],
        }


def team_coverage(
    areas: SkillAreas,
    members: Sequence[TShapeProfile],
    needs: FirmNeeds,
    team: str | None = None,
) -> TeamCoverage:
    """Which areas nobody, one person, or several people in ``members`` hold."""
    held: dict[str, list[tuple[int, str, bool]]] = defaultdict(list)
    for member in members:
        for area in member.areas:
            held[area.uri].append((area.count, member.external_id, area.deep))
    coverage = []
    for uri in set(held) | {a for a, w in needs.weight.items() if w > 0}:
        holders = sorted(held.get(uri, []), key=lambda h: (-h[0], h[1]))
        coverage.append(
            AreaCoverage(
                uri=uri,
                label=areas.label(uri),
                needed=round(needs.weight.get(uri, 0.0), 3),
                holders=tuple(external for _, external, _ in holders),
                deep_holders=tuple(external for _, external, deep in holders if deep),
                code=areas.area(uri).code,
            )
        )
    order = {"nobody": 0, "one": 1, "several": 2}
    coverage.sort(key=lambda a: (order[a.status], -a.needed, a.label, a.uri))
    return TeamCoverage(team, tuple(members), tuple(coverage))


def _area_dict(area: AreaDepth) -> dict[str, Any]:
    return {
        "uri": area.uri,
        "label": area.label,
        "code": area.code,
        "count": area.count,
        "mean_level": area.mean_level,
        "deep": area.deep,
        "skills": list(area.skills),
    }


def _coverage_dict(area: AreaCoverage) -> dict[str, Any]:
    return {
        "uri": area.uri,
        "label": area.label,
        "code": area.code,
        "status": area.status,
        "needed": area.needed,
        "holders": list(area.holders),
        "deep_holders": list(area.deep_holders),
    }
