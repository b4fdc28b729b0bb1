"""T-shape profiles, team coverage, breadth suggestions, learning plans and KPIs.

The shapes follow the library's ``to_dict`` output (``matcher.development``) one to one."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from service.schemas.common import Id, Schema

Shape = Literal["t_shaped", "i_shaped", "generalist", "early_career"]
StepKind = Literal["on_the_job", "rotation", "project", "colleague", "course"]


class AreaDepthOut(Schema):
    uri: str
    label: str
    code: str | None = Field(description="ESCO group code, e.g. S8.1 (knowledge fields: none)")
    count: int = Field(description="confirmed skills in the area")
    mean_level: float = Field(description="mean proficiency 1–4 (unrated counts as 3)")
    deep: bool
    skills: list[str]


class ThemeOut(Schema):
    key: str
    label: str
    skills: list[str]
    covered: bool


class Thresholds(Schema):
    deep_min_skills: int
    deep_min_level: float
    unrated_level: int
    broad_min_areas: int
    broad_min_themes: int


class ProfileOut(Schema):
    employee_id: int
    external_id: str
    team: str | None
    shape: Shape
    shape_label: str
    deep: bool
    broad: bool
    confirmed_skills: int
    depth: AreaDepthOut | None
    breadth: int = Field(description="areas with at least one confirmed skill")
    themes_covered: int
    areas: list[AreaDepthOut]
    themes: list[ThemeOut]
    thresholds: Thresholds


class SkillRef(Schema):
    uri: str
    label: str


class SuggestedStepOut(Schema):
    kind: StepKind
    share: int = Field(description="70, 20 or 10 (the 70-20-10 model)")
    text: str
    mentor_id: int | None
    mentor: str | None


class SuggestionOut(Schema):
    area_uri: str
    label: str
    score: float
    proximity: float
    need: float
    bridge_uri: str | None
    bridge_label: str | None
    skills: list[SkillRef]
    roles: list[str]
    steps: list[SuggestedStepOut]


class NewSkillOut(Schema):
    uri: str
    label: str
    confirmed_on: date


class NewlyConfirmedOut(Schema):
    period: str
    skills: list[NewSkillOut]


class TShapeOut(Schema):
    profile: ProfileOut
    suggestions: list[SuggestionOut]
    newly_confirmed: NewlyConfirmedOut = Field(
        description="skills first confirmed in the period (default: this year)"
    )


class AreaCoverageOut(Schema):
    uri: str
    label: str
    code: str | None
    status: Literal["nobody", "one", "several"]
    needed: float = Field(description="role-skill weight the open roles put on the area")
    holders: list[str]
    deep_holders: list[str]


class MemberOut(Schema):
    employee_id: int
    external_id: str
    team: str | None
    shape: Shape
    shape_label: str
    depth: AreaDepthOut | None
    breadth: int
    themes_covered: int


class TeamCoverageOut(Schema):
    team: str | None
    headcount: int
    shapes: dict[str, int]
    nobody: list[AreaCoverageOut]
    one_person: list[AreaCoverageOut]
    several: list[AreaCoverageOut]
    members: list[MemberOut]


class PeriodOut(Schema):
    label: str
    kind: Literal["year", "quarter", "month", "range"]
    first_day: date
    last_day: date


class TargetOut(Schema):
    minimum: float | None
    rising: bool


class KpiOut(Schema):
    key: str
    label: str
    unit: Literal["share", "number"]
    value: float | None
    numerator: float
    denominator: float
    previous: float | None
    trend: Literal["up", "down", "flat"] | None
    target: TargetOut | None
    status: Literal["on_track", "off_track", "no_target", "no_data"]
    status_label: str


class GainedSkillOut(Schema):
    uri: str
    label: str
    employees: int


class ClosedGapOut(Schema):
    role: str
    uri: str
    label: str
    closed_on: date


class KpiReportOut(Schema):
    organisation_id: int
    period: PeriodOut
    previous_period: PeriodOut
    team: str | None
    headcount: int
    partial: bool
    generated_at: datetime
    kpis: list[KpiOut]
    top_skills: list[GainedSkillOut]
    gaps_closed: list[ClosedGapOut]


class KpiTargetIn(Schema):
    kpi: Literal[
        "learners_share",
        "new_skills_per_employee",
        "steps_completed_share",
        "internal_fill_rate",
        "future_gaps_closed_share",
    ]
    minimum: float | None = Field(default=None, ge=0, le=1_000_000)
    rising: bool = False


class KpiTargetOut(Schema):
    kpi: str
    minimum: float | None
    rising: bool
    source: Literal["default", "stored"]


class LearningStepOut(Schema):
    id: int
    employee_id: int
    external_id: str | None
    kind: StepKind
    share: int
    title: str
    area_uri: str | None
    skill_uri: str | None
    role_id: int | None
    mentor_id: int | None
    mentor: str | None
    status: Literal["planned", "done", "cancelled"]
    planned_at: datetime
    due: date
    done_at: datetime | None


class StepIn(Schema):
    kind: StepKind
    title: str = Field(min_length=1, max_length=500)
    due: date | None = None
    skill_uri: str | None = Field(default=None, max_length=255)
    mentor_id: Id | None = None


class PlanCreate(Schema):
    """One of: ``steps`` (by hand), ``from_suggestions`` (the 70-20-10 steps of the N best
    breadth suggestions: per suggestion its first 70% option, i.e. a rotation or project where
    a role of yours asks for the area, else learning on the job; then the 20% and 10% steps)
    or ``role_id`` (the reskilling path to one of your roles, a step per skill, due as the
    path's effort estimate says)."""

    steps: list[StepIn] = Field(default_factory=list, max_length=50)
    from_suggestions: int = Field(default=0, ge=0, le=5)
    role_id: Id | None = None
