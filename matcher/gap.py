"""Workforce gap report (strategic personnel planning): for a set of (future) roles, how many
people are ready / near / far (:mod:`matcher.coverage`), which needed skills are scarce in the
organisation, and who could get there along the shortest reskilling paths.

A skill is **scarce** when at most ``SCARCE_SHARE`` of the workforce holds it, or fewer than
``SCARCE_MIN_HOLDERS`` people do (in a firm of three, one holder leaving takes it away). The
**shortest
paths** are computed for the ``PATH_CANDIDATES`` best-scoring people who are not ready, and the
``SHORTLIST`` with the fewest hours are reported.

Renderings (JSON, Markdown, HTML with an SVG chart) are in :mod:`matcher.gap_render`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from matcher.coverage import BANDS, RoleCoverage, role_coverage
from matcher.passport_index import PassportIndex
from matcher.paths import reskilling_path
from matcher.roles import RoleProfile
from matcher.skills import SkillSpace

SCARCE_SHARE = 0.2
SCARCE_MIN_HOLDERS = 2
PATH_CANDIDATES = 20
SHORTLIST = 5


@dataclass(frozen=True)
class PathSummary:
    external_id: str
    score: float
    band: str
    hours: int
    steps: int
    first_steps: tuple[str, ...]


@dataclass(frozen=True)
class RoleGap:
    coverage: RoleCoverage
    shortest: tuple[PathSummary, ...]

    @property
    def role(self) -> RoleProfile:
        return self.coverage.role


@dataclass(frozen=True)
class ScarceSkill:
    uri: str
    label: str
    needed_by: tuple[str, ...]  # role titles
    essential_for: int  # how many of those roles need it as essential
    holders: int
    near_holders: int
    share: float


@dataclass(frozen=True)
class GapReport:
    organisation_id: int | None
    headcount: int
    roles: tuple[RoleGap, ...]
    scarce: tuple[ScarceSkill, ...]
    generated_at: datetime
    attribution: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "organisation_id": self.organisation_id,
            "headcount": self.headcount,
            "generated_at": self.generated_at.isoformat(timespec="seconds"),
            "thresholds": {"scarce_share": SCARCE_SHARE, "scarce_min_holders": SCARCE_MIN_HOLDERS},
            "roles": [
                {
                    **gap.coverage.to_dict(max_people=0),
                    "ready": gap.coverage.in_band("ready"),
                    "near": gap.coverage.in_band("near"),
                    "far": gap.coverage.in_band("far"),
                    "shortest_paths": [asdict(p) for p in gap.shortest],
                }
                for gap in self.roles
            ],
            "scarce_skills": [asdict(s) for s in self.scarce],
            "attribution": self.attribution,
        }


def gap_report(
    space: SkillSpace,
    index: PassportIndex,
    roles: list[RoleProfile],
    *,
    organisation_id: int | None = None,
    shortlist: int = SHORTLIST,
    path_candidates: int = PATH_CANDIDATES,
    now: datetime | None = None,
) -> GapReport:
    """The gap report of one organisation's index for ``roles``."""
    if not roles:
        raise ValueError("a gap report needs at least one role")
    gaps = []
    for role in roles:
        coverage = role_coverage(space, index, role)
        summaries = []
        for person in [p for p in coverage.people if p.band != "ready"][:path_candidates]:
            path = reskilling_path(
                space,
                role,
                index.person(person.employee_id),
                colleagues=index,
                employee_id=person.employee_id,
                external_id=person.external_id,
            )
            summaries.append(
                PathSummary(
                    person.external_id,
                    person.score,
                    person.band,
                    path.total_hours,
                    len(path.steps),
                    tuple(s.label for s in path.steps[:3]),
                )
            )
        summaries.sort(key=lambda s: (s.hours, -s.score, s.external_id))
        gaps.append(RoleGap(coverage, tuple(summaries[:shortlist])))
    return GapReport(
        organisation_id=organisation_id,
        headcount=len(index),
        roles=tuple(gaps),
        scarce=tuple(_scarce(gaps)),
        generated_at=now or datetime.now(UTC),
        attribution=space.taxonomy.attribution,
    )


def _scarce(gaps: list[RoleGap]) -> list[ScarceSkill]:
    by_uri: dict[str, dict[str, Any]] = {}
    for gap in gaps:
        for supply in gap.coverage.skills:
            item = by_uri.setdefault(
                supply.uri,
                {"supply": supply, "roles": [], "essential": 0},
            )
            item["roles"].append(gap.role.title)
            item["essential"] += int(supply.essential)
    out = []
    for uri, item in by_uri.items():
        supply = item["supply"]
        if supply.holders < SCARCE_MIN_HOLDERS or supply.share <= SCARCE_SHARE:
            out.append(
                ScarceSkill(
                    uri,
                    supply.label,
                    tuple(dict.fromkeys(item["roles"])),
                    item["essential"],
                    supply.holders,
                    supply.near_holders,
                    supply.share,
                )
            )
    out.sort(key=lambda s: (-s.essential_for, s.holders, -len(s.needed_by), s.label))
    return out


__all__ = ["BANDS", "GapReport", "PathSummary", "RoleGap", "ScarceSkill", "gap_report"]
