"""The HR web page for people development (Dutch): T-shapes, team coverage, learning plans,
learning KPIs. Server-rendered like the other pages (``service.web.pages``); the charts are
inline SVG from ``matcher.development.charts``; changes go through htmx with the CSRF token."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse

from matcher.development import (
    UnknownTeam,
    effective_targets,
    learning_kpis,
    newly_confirmed,
    parse_period,
)
from matcher.development.charts import coverage_svg, tshape_svg
from matcher.development.kpi import STATUS_LABELS as KPI_STATUS
from matcher.development.suggestions import STEP_LABELS
from matcher.development.tshape import COVERAGE_LABELS, SHAPE_LABELS, SHAPES
from matcher.store import NotFound
from service.auth import Principal
from service.deps import State
from service.errors import ServiceError
from service.routers import development as development_api
from service.schemas.common import MAX_ID, PathId
from service.web.pages import WebUser, denied, render

router = APIRouter(include_in_schema=False)
STEP_STATUS = {"planned": "gepland", "done": "afgerond", "cancelled": "geannuleerd"}
WORK_OPTIONS = {"rotation": "job rotation", "project": "een multidisciplinair project"}
KPI_BADGE = {"on_track": "confirmed", "off_track": "rejected", "no_target": "far", "no_data": "far"}
LABELS = {
    "shape_labels": SHAPE_LABELS,
    "shapes": SHAPES,
    "coverage_labels": COVERAGE_LABELS,
    "step_labels": STEP_LABELS,
    "work_options": WORK_OPTIONS,
    "step_status": STEP_STATUS,
    "kpi_badge": KPI_BADGE,
    "kpi_status": KPI_STATUS,
}


@router.get("/app/tshape", response_class=HTMLResponse)
def team_page(
    request: Request,
    state: State,
    principal: WebUser,
    team: development_api.Team = None,
) -> HTMLResponse:
    """The whole firm or one team: shapes, the coverage chart, areas nobody or one person holds."""
    if not principal.can("read"):
        return denied(request, state, principal)
    firm = development_api.firm_of(state, principal.organisation_id)
    try:
        coverage = firm.coverage(team or None)
    except UnknownTeam as exc:
        raise NotFound("team", exc.team) from exc
    return render(
        request,
        state,
        principal,
        "tshape.html",
        coverage=coverage,
        chart=coverage_svg(coverage) if any(a.holders for a in coverage.areas) else None,
        teams=firm.teams,
        profile=None,
        **LABELS,
    )


@router.get("/app/employees/{employee_id}/tshape", response_class=HTMLResponse)
def employee_page(
    employee_id: PathId, request: Request, state: State, principal: WebUser
) -> HTMLResponse:
    """One person's T with breadth suggestions and their learning plan."""
    if not principal.can("read"):
        return denied(request, state, principal)
    org = principal.organisation_id
    state.passports.get_employee(org, employee_id)
    firm = development_api.firm_of(state, org)
    profile = firm.profile(employee_id)
    state.audit.log(org, principal.actor, "tshape.viewed", "employee", employee_id)
    learning = development_api.learning_of(state)
    steps = learning.list_steps(org, employee_id=employee_id)
    year = str(datetime.now(UTC).year)
    return render(
        request,
        state,
        principal,
        "tshape.html",
        profile=profile,
        chart=tshape_svg(profile) if profile.areas else None,
        suggestions=firm.suggestions(profile),
        steps=development_api.steps_out(state, org, steps),
        year=year,
        learned=newly_confirmed(learning.history(org), year, employee_id),
        coverage=None,
        teams=firm.teams,
        **LABELS,
    )


@router.post("/app/employees/{employee_id}/plan", response_class=HTMLResponse)
def plan_suggestion(
    employee_id: PathId,
    request: Request,
    state: State,
    principal: WebUser,
    area_uri: Annotated[str, Form(max_length=255)],
    work: Annotated[str | None, Form(max_length=32)] = None,
) -> HTMLResponse:
    """Put one suggestion's 70-20-10 steps in the plan, with the 70% option the user chose
    (``work``; default the first); answers with the plan's table."""
    _may_change_plans(principal)
    org = principal.organisation_id
    state.passports.get_employee(org, employee_id)
    firm = development_api.firm_of(state, org)
    chosen = [s for s in firm.suggestions(firm.profile(employee_id)) if s.area_uri == area_uri]
    if not chosen:
        raise ServiceError(422, "invalid", "dit gebied staat niet (meer) tussen de suggesties")
    try:
        steps = chosen[0].planned_steps(firm.role_ids, work=work or None)
    except ValueError as exc:
        raise ServiceError(422, "invalid", "kies een van de 70%-opties van dit gebied") from exc
    development_api.add_plan_steps(state, principal, employee_id, steps)
    steps = development_api.learning_of(state).list_steps(org, employee_id=employee_id)
    return render(
        request,
        state,
        principal,
        "_plan_steps.html",
        status_code=201,
        steps=development_api.steps_out(state, org, steps),
        **LABELS,
    )


@router.post("/app/employees/{employee_id}/path/plan", response_class=HTMLResponse)
def plan_path(
    employee_id: PathId,
    request: Request,
    state: State,
    principal: WebUser,
    role_id: Annotated[int, Form(ge=1, le=MAX_ID)],
) -> HTMLResponse:
    """Put the reskilling path to a role in the learning plan, a step per skill (as
    ``POST /api/v1/employees/{id}/plan`` with ``role_id``); answers with a line that says how
    many steps went in, or why none did."""
    _may_change_plans(principal)
    if not principal.can("match"):
        raise ServiceError(403, "forbidden", "deze sleutel mag geen ontwikkelpaden berekenen")
    org = principal.organisation_id
    try:
        state.passports.get_employee(org, employee_id)
        planned = development_api.path_steps(state, principal, employee_id, role_id)
    except development_api.NothingToPlan:
        error = "Deze medewerker heeft alle vaardigheden van deze rol al: er valt niets te plannen."
        return render(request, state, principal, "_form_error.html", status_code=422, error=error)
    steps = development_api.add_plan_steps(state, principal, employee_id, planned)
    return render(
        request,
        state,
        principal,
        "_path_planned.html",
        status_code=201,
        steps=steps,
        employee_id=employee_id,
    )


@router.post("/app/plan-steps/{step_id}/done", response_class=HTMLResponse)
def step_done(step_id: PathId, request: Request, state: State, principal: WebUser) -> HTMLResponse:
    """Mark a step done; answers with its new table row."""
    _may_change_plans(principal)
    org = principal.organisation_id
    step = development_api.learning_of(state).mark_done(org, step_id)
    (row,) = development_api.steps_out(state, org, [step])
    return render(request, state, principal, "_plan_step_row.html", step=row, **LABELS)


@router.get("/app/kpi", response_class=HTMLResponse)
def kpi_page(
    request: Request,
    state: State,
    principal: WebUser,
    period: Annotated[str | None, Query(max_length=30)] = None,
    team: development_api.Team = None,
) -> HTMLResponse:
    """The learning KPIs of a period (default: this year) with targets and on/off track."""
    if not principal.can("read"):
        return denied(request, state, principal)
    org = principal.organisation_id
    learning = development_api.learning_of(state)
    history = learning.history(org)
    teams = sorted({e.team for e in history.employees if e.team})
    text = (period or str(datetime.now(UTC).year)).strip()
    error, report = None, None
    try:
        chosen = parse_period(text)
    except ValueError as exc:
        error = (
            f"De periode „{text}” is niet te lezen. Typ een jaar (2026), een kwartaal (2026Q1), "
            f"een maand (2026-03) of twee datums (2026-01-01..2026-06-30). Details: {exc}"
        )
    else:
        if team and team not in teams:
            error = f"Team „{team}” heeft geen medewerkers; kies een team uit de lijst."
        else:
            targets = effective_targets(learning.targets(org))
            report = learning_kpis(history, chosen, targets, team=team or None)
    return render(
        request,
        state,
        principal,
        "kpi.html",
        status_code=422 if error else 200,
        report=report,
        error=error,
        period=text,
        team=team or "",
        teams=teams,
        **LABELS,
    )


def _may_change_plans(principal: Principal) -> None:
    if not principal.can("write"):
        raise ServiceError(403, "forbidden", "deze sleutel mag leerplannen niet wijzigen")
