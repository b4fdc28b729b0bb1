"""Matching: internal candidates, roles for a person, reskilling paths, gap reports, and the
pseudonymous, aggregated results of matching across a regional network."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from service.schemas.common import MAX_ID, Id, Schema
from service.schemas.passports import EvidenceOut

Band = Literal["ready", "near", "far"]


class MatchedSkillOut(Schema):
    uri: str
    label: str
    essential: bool
    weight: float
    credit: float
    status: str
    evidence: list[EvidenceOut]


class NearMatchOut(Schema):
    uri: str
    label: str
    essential: bool
    weight: float
    credit: float
    held_uri: str
    held_label: str
    similarity: float
    relation: str


class MissingSkillOut(Schema):
    uri: str
    label: str
    essential: bool
    weight: float


class ExplanationOut(Schema):
    matched: list[MatchedSkillOut]
    near: list[NearMatchOut]
    missing: list[MissingSkillOut]


class CandidateOut(Schema):
    employee_id: int
    external_id: str
    score: float = Field(description="0–100")
    coverage: float
    essential_coverage: float
    missing_essential: int
    band: Band
    explanation: ExplanationOut


class CandidatesOut(Schema):
    role_id: int
    role_title: str
    candidates: list[CandidateOut]
    attribution: str


class RoleRef(Schema):
    key: str
    title: str
    kind: str
    role_id: int | None
    occupation_uri: str | None


class RoleMatchOut(Schema):
    role: RoleRef
    score: float
    coverage: float
    essential_coverage: float
    missing_essential: int
    band: Band
    explanation: ExplanationOut


class RolesForEmployeeOut(Schema):
    employee_id: int
    roles: list[RoleMatchOut]
    attribution: str


class LearningModesOut(Schema):
    on_the_job: str
    mentors: list[str] = Field(description="Colleagues (pseudonymous ids) with the skill confirmed")
    formal: str


class PathStepOut(Schema):
    order: int
    uri: str
    label: str
    essential: bool
    weight: float
    status: Literal["near", "missing"]
    closest_uri: str | None
    closest_label: str | None
    closeness: float
    prerequisites: list[str]
    hours: int
    modes: LearningModesOut


class PathOut(Schema):
    employee_id: int | None
    external_id: str
    role_key: str
    role_title: str
    score: float
    steps: list[PathStepOut]
    total_hours: int
    weeks: int
    hours_per_week: int
    attribution: str = ""


class GapReportOut(Schema):
    """See ``matcher.gap.GapReport.to_dict`` for the fields of each role and scarce skill."""

    organisation_id: int | None
    headcount: int
    generated_at: str
    thresholds: dict[str, float]
    roles: list[dict[str, Any]]
    scarce_skills: list[dict[str, Any]]
    attribution: str


class NetworkMatchRequest(Schema):
    role_id: int = Field(
        ge=1, le=MAX_ID, description="One of your roles (a vacancy or future role)"
    )


class SkillOverlap(Schema):
    label: str
    uri: str
    essential: bool
    candidates: int = Field(description="Close candidates holding this skill (or a near one)")


class PseudonymousCandidate(Schema):
    pseudonym: str = Field(description="Stable within one contact request, meaningless outside")
    score: float
    band: Band
    matched: list[str]
    missing_essential: list[str]


class FirmResult(Schema):
    organisation_id: int
    organisation_name: str
    close_candidates: int = Field(description="Consenting people scoring 'ready' or 'near'")
    ready: int
    skill_overlap: list[SkillOverlap] = Field(
        description="Per role skill; empty below two close candidates (never one person's skills)"
    )
    contact_request_id: int | None
    contact_status: str | None
    candidates: list[PseudonymousCandidate] | None = Field(
        description="Only after the firm accepted your contact request"
    )


class NetworkMatchOut(Schema):
    network_id: int
    role_id: int
    role_title: str
    firms: list[FirmResult]
    generated_at: datetime


class ContactCandidatesOut(Schema):
    contact_request_id: int
    role_title: str
    candidates: list[PseudonymousCandidate]
    employee_ids: dict[str, int] | None = Field(
        description="For the firm that received the request: pseudonym → its own employee id"
    )


class ScenarioIn(Schema):
    """A scenario: weights on skills, skill groups (code, URI or exact label) or ESCO
    collections, and skills every role gains. See docs/trends.md#scenarios."""

    name: str = Field(min_length=1, max_length=200, examples=["vergaande AI-automatisering"])
    description: str = Field(default="", max_length=2000)
    weights: list[dict[str, Any]] = Field(
        default_factory=list,
        max_length=200,
        examples=[[{"collection": "digital", "factor": 1.5}, {"group": "S2.3", "factor": 0.5}]],
    )
    add: list[dict[str, Any]] = Field(
        default_factory=list,
        max_length=50,
        examples=[[{"skill": "principes van kunstmatige intelligentie", "weight": 1.0}]],
    )


class ScenarioExampleOut(ScenarioIn):
    id: str = Field(description="The example's name in samples/scenarios/")


class GapScenariosRequest(Schema):
    scenarios: list[ScenarioIn] = Field(min_length=1, max_length=5)
    role_id: list[Id] | None = Field(
        default=None, max_length=50, description="Your roles to compare; default: all open roles"
    )


class SkillRefOut(Schema):
    uri: str
    label: str


class ScenarioRoleOut(Schema):
    title: str
    dropped: bool = Field(description="The scenario removed every skill of the role")
    counts: dict[str, int] = Field(description="People ready / near / far")
    best_candidate: dict[str, Any] | None = Field(description="external_id and score (0–100)")
    skill_changes: list[dict[str, Any]] = Field(
        description="uri, label, before, after: weights the scenario changed (null: absent)"
    )


class ScenarioOutcomeOut(Schema):
    name: str
    description: str
    roles: list[ScenarioRoleOut]
    scarce_skills: list[SkillRefOut]
    newly_scarce: list[SkillRefOut]
    no_longer_scarce: list[SkillRefOut]
    report: GapReportOut


class GapScenariosOut(Schema):
    """``scenarios[0]`` is the basis: the roles as they are (its report is the plain gap
    report); every other entry is one posted scenario."""

    organisation_id: int | None
    headcount: int
    generated_at: str
    baseline: str
    roles: list[str]
    scenarios: list[ScenarioOutcomeOut]
    attribution: str
