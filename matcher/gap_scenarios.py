"""The workforce gap report per scenario, side by side (strategic personnel planning).

    comparison = compare_gap_scenarios(space, index, roles, [ai, energy], organisation_id=7)
    comparison.outcome("vergaande AI-automatisering").roles[0].ready      # people ready
    comparison.to_dict()                                                  # JSON-ready

The roles as they are ("basis") and every scenario's version of them
(:func:`matcher.trends.scenarios.apply_scenario`: weights multiplied, skills at factor 0 dropped,
added skills appended) each get a full :func:`matcher.gap.gap_report` against the same
workforce. Per role and scenario the comparison keeps how many people are ready / near / far,
the best internal candidate and their score, and which skill weights the scenario changed;
per scenario the scarce skills, and which became scarce or stopped being scarce against the
basis. A role whose every skill a scenario removes is listed as dropped in that scenario.

Renderings (Markdown, HTML) are in :mod:`matcher.gap_render`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from matcher.errors import NoSkillsFound
from matcher.gap import GapReport, RoleGap, ScarceSkill, gap_report
from matcher.passport_index import PassportIndex
from matcher.roles import RoleProfile, make_role
from matcher.skills import SkillSpace
from matcher.store.records import RoleSkill as StoredRoleSkill
from matcher.trends.scenarios import RoleSkill, Scenario, compare_scenarios

BASELINE = "basis"


@dataclass(frozen=True)
class SkillChange:
    """One skill whose weight a scenario changed in a role; ``before``/``after`` None: the
    skill is not in the role (added / removed by the scenario)."""

    uri: str
    label: str
    before: float | None
    after: float | None


@dataclass(frozen=True)
class RoleOutcome:
    """One role under one scenario.

    Attributes:
        title: the role's title (as in the basis).
        gap: the role's part of the scenario's gap report; None when the scenario removed
            every skill of the role (``dropped``).
        ready, near, far: people per readiness band (0 when dropped).
        best_external_id, best_score: the best internal candidate and their score (0–100);
            None without people or when dropped.
        changes: skills whose weight the scenario changed, added or removed.
    """

    title: str
    gap: RoleGap | None
    changes: tuple[SkillChange, ...] = ()

    @property
    def dropped(self) -> bool:
        return self.gap is None

    def count(self, band: str) -> int:
        return self.gap.coverage.count(band) if self.gap is not None else 0

    @property
    def ready(self) -> int:
        return self.count("ready")

    @property
    def near(self) -> int:
        return self.count("near")

    @property
    def far(self) -> int:
        return self.count("far")

    @property
    def best_external_id(self) -> str | None:
        people = self.gap.coverage.people if self.gap is not None else ()
        return people[0].external_id if people else None

    @property
    def best_score(self) -> float | None:
        people = self.gap.coverage.people if self.gap is not None else ()
        return people[0].score if people else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "dropped": self.dropped,
            "counts": {"ready": self.ready, "near": self.near, "far": self.far},
            "best_candidate": (
                {"external_id": self.best_external_id, "score": round(self.best_score, 1)}
                if self.best_score is not None
                else None
            ),
            "skill_changes": [vars(c) for c in self.changes],
        }


@dataclass(frozen=True)
class ScenarioOutcome:
    """One scenario's gap report, and how it differs from the basis.

    Attributes:
        name, description: the scenario's (the basis: "basis", "").
        report: the full gap report of the scenario's roles (dropped roles left out).
        roles: one :class:`RoleOutcome` per role of the basis, in the basis's order.
        newly_scarce: scarce here but not in the basis; ``no_longer_scarce``: the reverse.
    """

    name: str
    description: str
    report: GapReport
    roles: tuple[RoleOutcome, ...]
    newly_scarce: tuple[ScarceSkill, ...] = ()
    no_longer_scarce: tuple[ScarceSkill, ...] = ()

    @property
    def scarce(self) -> tuple[ScarceSkill, ...]:
        return self.report.scarce

    def to_dict(self, with_report: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "description": self.description,
            "roles": [r.to_dict() for r in self.roles],
            "scarce_skills": [{"uri": s.uri, "label": s.label} for s in self.scarce],
            "newly_scarce": [{"uri": s.uri, "label": s.label} for s in self.newly_scarce],
            "no_longer_scarce": [{"uri": s.uri, "label": s.label} for s in self.no_longer_scarce],
        }
        if with_report:
            out["report"] = self.report.to_dict()
        return out


@dataclass(frozen=True)
class ScenarioComparison:
    """The basis and every scenario, in that order (``outcomes[0]`` is the basis)."""

    organisation_id: int | None
    headcount: int
    outcomes: tuple[ScenarioOutcome, ...]
    generated_at: datetime
    attribution: str = ""

    @property
    def baseline(self) -> ScenarioOutcome:
        return self.outcomes[0]

    @property
    def role_titles(self) -> list[str]:
        return [r.title for r in self.baseline.roles]

    def outcome(self, name: str) -> ScenarioOutcome:
        """Raises ``KeyError`` for a scenario that is not in the comparison."""
        for outcome in self.outcomes:
            if outcome.name == name:
                return outcome
        raise KeyError(f"no scenario {name!r} (have: {', '.join(o.name for o in self.outcomes)})")

    def to_dict(self, with_reports: bool = True) -> dict[str, Any]:
        """JSON-ready; ``with_reports`` includes every scenario's full gap report."""
        return {
            "organisation_id": self.organisation_id,
            "headcount": self.headcount,
            "generated_at": self.generated_at.isoformat(timespec="seconds"),
            "baseline": self.baseline.name,
            "roles": self.role_titles,
            "scenarios": [o.to_dict(with_reports) for o in self.outcomes],
            "attribution": self.attribution,
        }


def compare_gap_scenarios(
    space: SkillSpace,
    index: PassportIndex,
    roles: Sequence[RoleProfile],
    scenarios: Sequence[Scenario],
    *,
    organisation_id: int | None = None,
    baseline: str = BASELINE,
    now: datetime | None = None,
) -> ScenarioComparison:
    """The gap report of ``roles`` as they are and under each scenario, compared.

    Args:
        space, index: the skill space and the organisation's passport index (its workforce).
        roles: the (future) roles; a scenario changes their skill weights.
        scenarios: resolved or not (they are resolved against ``space.taxonomy``).
        baseline: the name of the unchanged roles' outcome, listed first.
        now: the reports' time stamp (default: now).

    Raises:
        ValueError: no roles; scenario names that repeat or equal ``baseline``; a scenario
            whose targets the taxonomy does not know (the message names them).
    """
    if not roles:
        raise ValueError("a gap report needs at least one role")
    now = now or datetime.now(UTC)
    taxonomy = space.taxonomy
    resolved = [s.resolve(taxonomy) for s in scenarios]
    originals = {str(i): role for i, role in enumerate(roles)}
    keyed = {
        key: [RoleSkill(s.skill_uri, s.weight, s.essential) for s in role.skills]
        for key, role in originals.items()
    }

    def report_for(adjusted: dict[str, list[RoleSkill]]) -> tuple[GapReport, list[str]]:
        profiles, kept = [], []
        for key, skills in adjusted.items():
            base = originals[key]
            if list(skills) == keyed[key]:
                profiles.append(base)  # unchanged: the very same profile as the plain report
                kept.append(key)
                continue
            try:
                profiles.append(
                    make_role(
                        space,
                        base.key,
                        base.title,
                        base.kind,
                        [StoredRoleSkill(u, w, e) for u, w, e in skills],
                        role_id=base.role_id,
                        occupation_uri=base.occupation_uri,
                    )
                )
                kept.append(key)
            except NoSkillsFound:  # the scenario removed every skill of the role
                continue
        if not profiles:
            raise ValueError("the scenario removes every skill of every role")
        report = gap_report(space, index, profiles, organisation_id=organisation_id, now=now)
        return report, kept

    results = compare_scenarios(keyed, resolved, taxonomy, report_for, baseline)
    descriptions = {s.name: s.description for s in resolved}
    base_scarce: dict[str, ScarceSkill] = {}
    outcomes = []
    for number, result in enumerate(results):
        report, kept = result.report  # type: ignore[misc]
        gaps = dict(zip(kept, report.roles, strict=True))
        outcome_roles = tuple(
            RoleOutcome(
                originals[key].title,
                gaps.get(key),
                _changes(space, keyed[key], result.roles[key]),
            )
            for key in originals
        )
        scarce = {s.uri: s for s in report.scarce}
        if number == 0:
            base_scarce = scarce
        outcomes.append(
            ScenarioOutcome(
                name=result.scenario,
                description=descriptions.get(result.scenario, ""),
                report=report,
                roles=outcome_roles,
                newly_scarce=tuple(s for u, s in scarce.items() if u not in base_scarce),
                no_longer_scarce=tuple(s for u, s in base_scarce.items() if u not in scarce),
            )
        )
    return ScenarioComparison(
        organisation_id=organisation_id,
        headcount=len(index),
        outcomes=tuple(outcomes),
        generated_at=now,
        attribution=taxonomy.attribution,
    )


def _changes(
    space: SkillSpace, before: Sequence[RoleSkill], after: Sequence[RoleSkill]
) -> tuple[SkillChange, ...]:
    old = {s.uri: s.weight for s in before}
    new = {s.uri: s.weight for s in after}
    out = []
    for uri in list(old) + [u for u in new if u not in old]:
        a, b = old.get(uri), new.get(uri)
        if a is not None and b is not None and abs(a - b) < 1e-9:
            continue
        label = space.label(space.row_of[uri]) if uri in space else uri
        out.append(SkillChange(uri, label, a, None if b is None else round(b, 4)))
    return tuple(out)


__all__ = [
    "BASELINE",
    "RoleOutcome",
    "ScenarioComparison",
    "ScenarioOutcome",
    "SkillChange",
    "compare_gap_scenarios",
]
