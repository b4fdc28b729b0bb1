"""People development: T-shape profiles, team coverage, breadth suggestions, learning plans and
learning KPIs with targets.

Thin: the scoring is ``matcher.development``'s, the data the stores'. Every call is scoped to the
caller's organisation (another firm's employee or plan step answers 404, like one that never
existed). Viewing a person's T is logged in the audit trail, like viewing their passport, and
so is adding steps to their plan (``plan.steps_added``, the employee's numeric id only).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Query, status
from fastapi.responses import Response

from matcher.development import (
    FirmDevelopment,
    SkillAreas,
    effective_targets,
    learning_kpis,
    newly_confirmed,
    parse_period,
    path_plan,
    skill_areas,
)
from matcher.development.charts import coverage_svg, tshape_svg
from matcher.development.kpi import DEFAULT_TARGETS
from matcher.development.suggestions import STEP_SHARE
from matcher.roles import stored_role
from matcher.store import Employee, LearningStep, LearningStore, PlannedStep
from matcher.store.models import KPI_KEYS
from service.auth import Principal
from service.deps import Reader, ServiceState, State, Writer
from service.errors import ServiceError
from service.routing import api_router
from service.schemas.common import PathId
from service.schemas.development import (
    KpiReportOut,
    KpiTargetIn,
    KpiTargetOut,
    LearningStepOut,
    PlanCreate,
    TeamCoverageOut,
    TShapeOut,
)

router = api_router(tags=["development: T-shapes, learning plans, KPIs"])
Team = Annotated[str | None, Query(max_length=100, description="A team; none: the whole firm")]
Suggestions = Annotated[int, Query(ge=0, le=5, description="How many breadth suggestions")]
PeriodQuery = Annotated[
    str,
    Query(
        min_length=4,
        max_length=30,
        description="2026, 2026Q1, 2026-03 or 2026-01-01..2026-06-30 (Dutch calendar)",
    ),
]


def areas_of(state: ServiceState) -> SkillAreas:
    return state.cached("skill_areas", lambda: skill_areas(state.loaded("taxonomy").taxonomy))


def learning_of(state: ServiceState) -> LearningStore:
    return state.cached("learning_store", lambda: LearningStore(state.database))


def firm_of(state: ServiceState, organisation_id: int) -> FirmDevelopment:
    """The organisation's passports and open roles as Ts (read fresh at every request)."""
    return FirmDevelopment.load(areas_of(state), state.passports, state.roles, organisation_id)


@router.get("/employees/{employee_id}/tshape", summary="An employee's T-shape and how to widen it")
def employee_tshape(
    employee_id: PathId,
    principal: Reader,
    state: State,
    suggestions: Suggestions = 5,
    period: Annotated[
        str | None, Query(max_length=30, description="for newly_confirmed; default: this year")
    ] = None,
) -> TShapeOut:
    """Depth (the strongest skill area), breadth (areas and transversal themes), the shape
    (T-vormig, I-vormig, generalist, beginnend), up to five breadth suggestions with their
    70-20-10 steps, and the skills newly confirmed in the period. The rules and thresholds:
    README, "T-shape and learning KPIs"."""
    org = principal.organisation_id
    state.passports.get_employee(org, employee_id)  # 404 before anything is computed
    chosen = parse_period(period or str(datetime.now(UTC).year))
    firm = firm_of(state, org)
    profile = firm.profile(employee_id)
    ideas = firm.suggestions(profile, suggestions) if suggestions else []
    learned = newly_confirmed(learning_of(state).history(org), chosen, employee_id)
    state.audit.log(org, principal.actor, "tshape.viewed", "employee", employee_id)
    return TShapeOut.model_validate(
        {
            "profile": profile.to_dict(),
            "suggestions": [s.to_dict() for s in ideas],
            "newly_confirmed": {
                "period": chosen.label,
                "skills": [
                    {"uri": uri, "label": label, "confirmed_on": day} for uri, label, day in learned
                ],
            },
        }
    )


@router.get(
    "/employees/{employee_id}/tshape.svg",
    summary="An employee's T as an SVG chart (a bar per area, depth as height)",
    response_class=Response,
)
def employee_tshape_chart(employee_id: PathId, principal: Reader, state: State) -> Response:
    org = principal.organisation_id
    state.passports.get_employee(org, employee_id)
    profile = firm_of(state, org).profile(employee_id)
    state.audit.log(org, principal.actor, "tshape.viewed", "employee", employee_id)
    return Response(tshape_svg(profile), media_type="image/svg+xml")


@router.get("/team-coverage", summary="Areas a team covers: nobody, one person, several")
def team_coverage(principal: Reader, state: State, team: Team = None) -> TeamCoverageOut:
    """Every area the firm's open vacancies and future roles need, and every area a member
    holds, with who holds it. One holder is a continuity risk: it leaves with that person."""
    coverage = firm_of(state, principal.organisation_id).coverage(team)
    return TeamCoverageOut.model_validate(coverage.to_dict())


@router.get(
    "/team-coverage.svg", summary="A team's coverage as an SVG chart", response_class=Response
)
def team_coverage_chart(principal: Reader, state: State, team: Team = None) -> Response:
    coverage = firm_of(state, principal.organisation_id).coverage(team)
    return Response(coverage_svg(coverage), media_type="image/svg+xml")


@router.get("/kpis", summary="Learning KPIs for a period, with targets and on/off track")
def kpis(principal: Reader, state: State, period: PeriodQuery, team: Team = None) -> KpiReportOut:
    """Computed from the database alone: passport history, roles and learning plans. The
    previous period's values give the trend; targets: stored, else the defaults."""
    chosen = parse_period(period)
    learning = learning_of(state)
    history = learning.history(principal.organisation_id)
    if team is not None and not any(e.team == team for e in history.employees):
        raise ValueError(f"no employees in team {team!r}")
    targets = effective_targets(learning.targets(principal.organisation_id))
    report = learning_kpis(history, chosen, targets, team=team)
    return KpiReportOut.model_validate(report.to_dict())


@router.get("/kpi-targets", summary="The targets the KPIs are judged by")
def list_targets(principal: Reader, state: State) -> list[KpiTargetOut]:
    return _targets_out(state, principal.organisation_id)


@router.put("/kpi-targets", summary="Set one KPI's target (a minimum and/or rising)")
def set_target(body: KpiTargetIn, principal: Writer, state: State) -> list[KpiTargetOut]:
    learning_of(state).set_target(
        principal.organisation_id, body.kpi, minimum=body.minimum, must_rise=body.rising
    )
    return _targets_out(state, principal.organisation_id)


@router.get("/plan-steps", summary="The organisation's learning-plan steps, by due date")
def list_plan_steps(
    principal: Reader,
    state: State,
    step_status: str | None = Query(
        default=None, alias="status", pattern="^(planned|done|cancelled)$"
    ),
) -> list[LearningStepOut]:
    steps = learning_of(state).list_steps(principal.organisation_id, status=step_status)
    return steps_out(state, principal.organisation_id, steps)


@router.get("/employees/{employee_id}/plan", summary="An employee's learning plan")
def employee_plan(employee_id: PathId, principal: Reader, state: State) -> list[LearningStepOut]:
    steps = learning_of(state).list_steps(principal.organisation_id, employee_id=employee_id)
    return steps_out(state, principal.organisation_id, steps)


@router.post(
    "/employees/{employee_id}/plan",
    status_code=status.HTTP_201_CREATED,
    summary="Add steps to a learning plan: by hand, or from the breadth suggestions",
)
def add_to_plan(
    employee_id: PathId, body: PlanCreate, principal: Writer, state: State
) -> list[LearningStepOut]:
    """Steps by hand, the best breadth suggestions' 70-20-10 steps, or a reskilling path to one
    of the organisation's roles (needs the "match" permission too)."""
    org = principal.organisation_id
    chosen = [bool(body.steps), bool(body.from_suggestions), body.role_id is not None]
    if sum(chosen) != 1:
        raise ValueError("send exactly one of: steps, from_suggestions (1–5), role_id")
    state.passports.get_employee(org, employee_id)
    if body.from_suggestions:
        firm = firm_of(state, org)
        ideas = firm.suggestions(firm.profile(employee_id), body.from_suggestions)
        planned = [step for idea in ideas for step in idea.planned_steps(firm.role_ids)]
        if not planned:
            raise ValueError("no breadth suggestions for this employee: nothing to plan")
    elif body.role_id is not None:
        planned = path_steps(state, principal, employee_id, body.role_id)
    else:
        planned = [
            PlannedStep(s.kind, s.title, s.due, skill_uri=s.skill_uri, mentor_id=s.mentor_id)
            for s in body.steps
        ]
    return steps_out(state, org, add_plan_steps(state, principal, employee_id, planned))


@router.post("/plan-steps/{step_id}/done", summary="Mark a learning-plan step done")
def mark_step_done(step_id: PathId, principal: Writer, state: State) -> LearningStepOut:
    step = learning_of(state).mark_done(principal.organisation_id, step_id)
    return steps_out(state, principal.organisation_id, [step])[0]


@router.post("/plan-steps/{step_id}/cancel", summary="Cancel a planned step")
def cancel_step(step_id: PathId, principal: Writer, state: State) -> LearningStepOut:
    step = learning_of(state).cancel_step(principal.organisation_id, step_id)
    return steps_out(state, principal.organisation_id, [step])[0]


# -- helpers -----------------------------------------------------------------------------------


class NothingToPlan(ValueError):
    """The employee already holds every skill of the role: the path has no steps."""


def add_plan_steps(
    state: ServiceState, principal: Principal, employee_id: int, planned: list[PlannedStep]
) -> list[LearningStep]:
    """Store the steps in the employee's plan and write ``plan.steps_added`` to the audit log
    (API and web page alike). The caller has checked the "write" permission."""
    org = principal.organisation_id
    steps = learning_of(state).add_steps(org, employee_id, planned)
    state.audit.log(org, principal.actor, "plan.steps_added", "employee", employee_id)
    return steps


def path_steps(
    state: ServiceState, principal: Principal, employee_id: int, role_id: int
) -> list[PlannedStep]:
    """The reskilling path to one of the organisation's roles as plan steps (not stored yet).

    Raises ``ServiceError`` 403 without the "match" permission, ``NotFound`` for an unknown
    role or employee, ``NothingToPlan`` when the path is empty."""
    if not principal.can("match"):
        raise ServiceError(403, "forbidden", f"a {principal.role} key may not compute paths")
    org = principal.organisation_id
    role = state.roles.get_role(org, role_id)  # 404 before the index loads
    workflow = state.workflow(org)
    path = workflow.reskilling_path(org, employee_id, stored_role(workflow.space, role))
    if not path.steps:
        raise NothingToPlan("the employee already holds every skill of this role: nothing to plan")
    mentors = {e.external_id: e.id for e in _employees(state, org)}
    return path_plan(path, mentors, start=datetime.now(UTC).date(), role_id=role_id)


def _employees(state: ServiceState, organisation_id: int) -> list[Employee]:
    employees, offset = [], 0
    while True:
        page = state.passports.list_employees(organisation_id, offset=offset, limit=1000)
        employees += page
        offset += len(page)
        if len(page) < 1000:
            return employees


def steps_out(
    state: ServiceState, organisation_id: int, steps: list[LearningStep]
) -> list[LearningStepOut]:
    """Steps with the external ids of learner and mentor (pseudonyms, never names)."""
    wanted = {s.employee_id for s in steps} | {s.mentor_id for s in steps if s.mentor_id}
    names = {}
    for employee_id in wanted:
        names[employee_id] = state.passports.get_employee(organisation_id, employee_id).external_id
    return [
        LearningStepOut.model_validate(
            {
                **{k: v for k, v in asdict(s).items() if k != "organisation_id"},
                "external_id": names.get(s.employee_id),
                "mentor": names.get(s.mentor_id) if s.mentor_id else None,
                "share": STEP_SHARE[s.kind],
            }
        )
        for s in steps
    ]


def _targets_out(state: ServiceState, organisation_id: int) -> list[KpiTargetOut]:
    stored = learning_of(state).targets(organisation_id)
    targets = effective_targets(stored)
    return [
        KpiTargetOut(
            kpi=key,
            minimum=targets[key].minimum,
            rising=targets[key].must_rise,
            source="stored" if key in stored or key not in DEFAULT_TARGETS else "default",
        )
        for key in KPI_KEYS
        if key in targets
    ]
