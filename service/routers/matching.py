"""Matching: vacancy → internal candidates, employee → roles, reskilling paths, gap reports,
and matching across a regional network.

All scoring is the matcher's (``matcher.matching``, ``paths``, ``gap``, ``scoring``); this module
picks the organisation's own index, loads what it needs, and writes the audit trail: every
passport that appears in a result is logged as "matched" with the key that asked.

Across a network, another firm's people are considered only with an active consent (read from
the database at every request, so a revocation counts at once), and only as counts and
per-skill totals, until that firm accepts a contact request; then as pseudonyms.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime
from typing import Annotated

import numpy as np
from fastapi import Query
from fastapi.responses import Response

from matcher.coverage import readiness
from matcher.errors import NoPassports, NoSkillsFound
from matcher.gap_render import readiness_chart
from matcher.gap_scenarios import ScenarioComparison
from matcher.profiles import PersonSkills, passport_skills
from matcher.roles import RoleProfile, occupation_role, stored_role
from matcher.scoring import score_people
from matcher.store import NotFound
from matcher.store.audit import record_audit
from service.deps import Matcher, NetworkUser, ServiceState, State
from service.errors import ServiceError
from service.network import ContactRequest
from service.routing import api_router
from service.scenarios import example_scenarios
from service.schemas.common import MAX_ID, Id, PathId
from service.schemas.matching import (
    CandidateOut,
    CandidatesOut,
    ContactCandidatesOut,
    ExplanationOut,
    FirmResult,
    GapReportOut,
    GapScenariosOut,
    GapScenariosRequest,
    NetworkMatchOut,
    NetworkMatchRequest,
    PathOut,
    PseudonymousCandidate,
    RoleMatchOut,
    RoleRef,
    RolesForEmployeeOut,
    ScenarioExampleOut,
    SkillOverlap,
)

router = api_router(tags=["matching"])
CLOSE_BANDS = ("ready", "near")
MIN_GROUP = 2  # per-skill totals of a firm are shown only for at least this many people


@router.get(
    "/roles/{role_id}/candidates",
    summary="Internal candidates for a role (vacancy), best first, with explanations",
)
def role_candidates(
    role_id: PathId,
    principal: Matcher,
    state: State,
    k: int = Query(default=10, ge=1, le=100),
) -> CandidatesOut:
    org = principal.organisation_id
    role = _org_role(state, org, role_id)
    workflow = state.workflow(org)
    try:
        matches = workflow.match_vacancy(org, role, k)
    except NoPassports:
        matches = []
    _audit_matched(state, org, principal.actor, [m.employee_id for m in matches])
    index = workflow.indexes.get(org)
    candidates = [
        CandidateOut(
            employee_id=match.employee_id,
            external_id=match.external_id,
            score=match.score,
            coverage=round(match.coverage, 4),
            essential_coverage=round(match.essential_coverage, 4),
            missing_essential=match.missing_essential,
            band=_band(workflow, index.person(match.employee_id), role),
            explanation=ExplanationOut.model_validate(match.explanation),
        )
        for match in matches
    ]
    return CandidatesOut(
        role_id=role_id,
        role_title=role.title,
        candidates=candidates,
        attribution=workflow.space.taxonomy.attribution,
    )


@router.get(
    "/employees/{employee_id}/roles",
    summary="Roles that fit an employee: the organisation's open roles and ESCO occupations",
)
def employee_roles(
    employee_id: PathId,
    principal: Matcher,
    state: State,
    k: int = Query(default=10, ge=1, le=100),
    esco: bool = Query(default=True, description="Include ESCO occupations"),
) -> RolesForEmployeeOut:
    org = principal.organisation_id
    passport = state.passports.passport(org, employee_id)
    workflow = state.workflow(org)
    try:
        matches = workflow.match_employee(org, employee_id, k, esco=esco)
    except NoSkillsFound:  # an empty passport fits nothing
        matches = []
    _audit_matched(state, org, principal.actor, [employee_id])
    person = passport_skills(workflow.space, passport)
    roles = [
        RoleMatchOut(
            role=RoleRef(**match.role.to_dict()),
            score=match.score,
            coverage=round(match.coverage, 4),
            essential_coverage=round(match.essential_coverage, 4),
            missing_essential=match.missing_essential,
            band=_band(workflow, person, match.role),
            explanation=ExplanationOut.model_validate(match.explanation),
        )
        for match in matches
    ]
    return RolesForEmployeeOut(
        employee_id=employee_id, roles=roles, attribution=workflow.space.taxonomy.attribution
    )


@router.get(
    "/employees/{employee_id}/path",
    summary="Reskilling path from an employee to a role: ordered steps, hours, 70-20-10",
)
def employee_path(
    employee_id: PathId,
    principal: Matcher,
    state: State,
    role_id: int | None = Query(default=None, ge=1, le=MAX_ID),
    occupation_uri: str | None = Query(default=None, max_length=300),
) -> PathOut:
    if (role_id is None) == (occupation_uri is None):
        raise ValueError("give either role_id (one of your roles) or occupation_uri (ESCO)")
    org = principal.organisation_id
    state.passports.get_employee(org, employee_id)
    role = (
        _org_role(state, org, role_id)
        if role_id is not None
        else occupation_role(state.matching().space, occupation_uri or "")
    )
    workflow = state.workflow(org)
    path = workflow.reskilling_path(org, employee_id, role)
    _audit_matched(state, org, principal.actor, [employee_id])
    return PathOut(**path.to_dict(), attribution=workflow.space.taxonomy.attribution)


@router.get(
    "/gap-report",
    summary="Workforce gap report: readiness per role, scarce skills, shortest paths",
)
def get_gap_report(
    principal: Matcher,
    state: State,
    role_id: Annotated[list[Id] | None, Query(description="Default: all open roles")] = None,
) -> GapReportOut:
    report = _gap_report(state, principal.organisation_id, role_id)
    return GapReportOut(**report.to_dict())


@router.get(
    "/gap-report.svg",
    summary="The gap report's readiness chart (SVG)",
    response_class=Response,
)
def get_gap_chart(
    principal: Matcher,
    state: State,
    role_id: Annotated[list[Id] | None, Query()] = None,
) -> Response:
    report = _gap_report(state, principal.organisation_id, role_id)
    return Response(readiness_chart(report), media_type="image/svg+xml")


@router.post(
    "/gap-report/scenarios",
    summary="The gap report per scenario (weights on skills), compared with the roles as they are",
)
def compare_gap_scenarios(
    body: GapScenariosRequest, principal: Matcher, state: State
) -> GapScenariosOut:
    """Each scenario reweights the skills of your open roles (or ``role_id``); the gap report
    is computed for the roles as they are ("basis", first) and under every scenario. Bad
    scenarios (unknown skill, group or collection; a factor outside 0–100) answer 422."""
    from matcher.trends.scenarios import scenario_from_dict

    taxonomy = state.loaded("taxonomy").taxonomy
    scenarios = [
        scenario_from_dict(s.model_dump(), f"scenario {n}").resolve(taxonomy)
        for n, s in enumerate(body.scenarios, 1)
    ]
    comparison = gap_comparison(state, principal.organisation_id, body.role_id, scenarios)
    return GapScenariosOut(**comparison.to_dict())


@router.get("/scenarios/examples", summary="Example scenarios shipped with Vaardig, to post as is")
def scenario_examples(principal: Matcher) -> list[ScenarioExampleOut]:
    return [ScenarioExampleOut(id=key, **value) for key, value in example_scenarios().items()]


@router.post(
    "/networks/{network_id}/matches",
    summary="Which member firms have people close to this role? (aggregated, pseudonymous)",
)
def network_match(
    network_id: PathId, body: NetworkMatchRequest, principal: NetworkUser, state: State
) -> NetworkMatchOut:
    """For every other member firm: how many of its *consenting* people are close (ready or
    near) and, from two such people on, how many hold each role skill. No person of another
    firm is named; after that firm accepts your contact request for this role, its close
    candidates appear as pseudonyms."""
    org = principal.organisation_id
    members = state.networks.members(org, network_id)  # NotFound unless a member
    role = _org_role(state, org, body.role_id)
    space = state.matching().space
    firms = []
    for member in members:
        if member.organisation_id == org:
            continue
        people = _consenting_people(state, network_id, member.organisation_id)
        pairs = score_people(space, [p for _, p in people], role) if people else []
        close = [
            (employee_id, person, pair)
            for (employee_id, person), pair in zip(people, pairs, strict=True)
            if readiness(pair) in CLOSE_BANDS
        ]
        _audit_network(state, member.organisation_id, org, principal, [e for e, _, _ in close])
        request = state.networks.accepted_request(
            network_id, org, member.organisation_id, body.role_id
        )
        accepted = request is not None and request.status == "accepted"
        firms.append(
            FirmResult(
                organisation_id=member.organisation_id,
                organisation_name=member.organisation_name,
                close_candidates=len(close),
                ready=sum(1 for _, _, pair in close if readiness(pair) == "ready"),
                skill_overlap=_overlap(space, role, close),
                contact_request_id=request.id if request else None,
                contact_status=request.status if request else None,
                candidates=_pseudonymous(state, space, role, request, close) if accepted else None,
            )
        )
    firms.sort(key=lambda f: (-f.close_candidates, -f.ready, f.organisation_name))
    return NetworkMatchOut(
        network_id=network_id,
        role_id=body.role_id,
        role_title=role.title,
        firms=firms,
        generated_at=datetime.now(UTC),
    )


@router.get(
    "/contact-requests/{request_id}/candidates",
    summary="The close, consenting candidates of an accepted contact request (pseudonymous)",
)
def contact_candidates(
    request_id: PathId, principal: NetworkUser, state: State
) -> ContactCandidatesOut:
    org = principal.organisation_id
    request = state.networks.contact_request(org, request_id)
    if request.status != "accepted":
        raise ServiceError(
            409, "conflict", f"contact request {request_id} is {request.status}, not accepted"
        )
    stored = state.roles.get_role(request.from_organisation_id, request.role_id)
    space = state.matching().space
    role = stored_role(space, stored)
    people = _consenting_people(state, request.network_id, request.to_organisation_id)
    pairs = score_people(space, [p for _, p in people], role) if people else []
    close = [
        (employee_id, person, pair)
        for (employee_id, person), pair in zip(people, pairs, strict=True)
        if readiness(pair) in CLOSE_BANDS
    ]
    candidates = _pseudonymous(state, space, role, request, close)
    own = org == request.to_organisation_id
    return ContactCandidatesOut(
        contact_request_id=request.id,
        role_title=role.title,
        candidates=candidates,
        employee_ids={
            _pseudonym(state, request, employee_id): employee_id for employee_id, _, _ in close
        }
        if own
        else None,
    )


# -- helpers -----------------------------------------------------------------------------------


def _org_role(state: ServiceState, organisation_id: int, role_id: int) -> RoleProfile:
    """The organisation's role as a profile; ``NotFound`` before anything heavy is loaded."""
    role = state.roles.get_role(organisation_id, role_id)
    return stored_role(state.matching().space, role)


def _band(workflow, person: PersonSkills, role: RoleProfile) -> str:
    """ "ready", "near" or "far" (``matcher.coverage.readiness``) for one pair."""
    return readiness(score_people(workflow.space, [person], role)[0])


def _report_roles(state: ServiceState, organisation_id: int, role_ids: list[int] | None):
    """The workflow and the roles of a gap report: ``role_ids``, or all open roles."""
    if role_ids:
        stored = [state.roles.get_role(organisation_id, role_id) for role_id in role_ids[:50]]
    else:
        stored = state.roles.list_roles(organisation_id, status="open", limit=50)
    if not stored:
        raise ValueError("no open roles: add a vacancy or a future role first")
    workflow = state.workflow(organisation_id)
    return workflow, [stored_role(workflow.space, role) for role in stored]


def _gap_report(state: ServiceState, organisation_id: int, role_ids: list[int] | None):
    workflow, roles = _report_roles(state, organisation_id, role_ids)
    return workflow.gap_report(organisation_id, roles)


def gap_comparison(
    state: ServiceState, organisation_id: int, role_ids: list[int] | None, scenarios
) -> ScenarioComparison:
    """The gap report of ``role_ids`` (default: all open roles) per scenario, compared."""
    workflow, roles = _report_roles(state, organisation_id, role_ids)
    return workflow.gap_scenarios(organisation_id, roles, scenarios)


def _consenting_people(
    state: ServiceState, network_id: int, organisation_id: int
) -> list[tuple[int, PersonSkills]]:
    """(employee id, skills) of the organisation's people with an active consent, read fresh.

    Only their passports are loaded: nobody else of that firm is even read."""
    space = state.matching().space
    for _ in range(3):  # someone erased between reading consents and passports: read again
        ids = state.networks.consenting_employees(network_id, organisation_id)
        try:
            passports = state.passports.passports(organisation_id, ids) if ids else []
        except NotFound:
            continue
        return [(p.employee.id, passport_skills(space, p)) for p in passports]
    return []


def _overlap(space, role: RoleProfile, close) -> list[SkillOverlap]:
    if len(close) < MIN_GROUP:
        return []
    counts = np.zeros(len(role), dtype=int)
    for _, _, pair in close:
        counts += np.asarray(pair.credit) > 0
    return [
        SkillOverlap(
            label=space.label(int(role.rows[j])),
            uri=need.skill_uri,
            essential=need.essential,
            candidates=int(counts[j]),
        )
        for j, need in enumerate(role.skills)
    ]


def _pseudonym(state: ServiceState, request: ContactRequest, employee_id: int) -> str:
    """Stable per (contact request, employee); says nothing outside that request."""
    digest = hmac.new(
        state.secret.encode(), f"contact:{request.id}:{employee_id}".encode(), hashlib.sha256
    ).hexdigest()
    return f"kandidaat-{digest[:10]}"


def _pseudonymous(state, space, role, request, close) -> list[PseudonymousCandidate]:
    out = []
    for employee_id, person, pair in close:
        credit = np.asarray(pair.credit)
        held = np.isin(role.rows, person.rows)
        out.append(
            PseudonymousCandidate(
                pseudonym=_pseudonym(state, request, employee_id),
                score=pair.score,
                band=readiness(pair),  # type: ignore[arg-type]
                matched=[space.label(int(role.rows[j])) for j in range(len(role)) if held[j]],
                missing_essential=[
                    space.label(int(role.rows[j]))
                    for j in range(len(role))
                    if role.essential[j] and credit[j] <= 0
                ],
            )
        )
    out.sort(key=lambda c: (-c.score, c.pseudonym))
    return out


def _audit_matched(state: ServiceState, org: int, actor: str, employee_ids: list[int]) -> None:
    if not employee_ids:
        return
    now = datetime.now(UTC)
    state.database.write(
        lambda s: [
            record_audit(s, org, actor, "passport.matched", "employee", employee_id, now)
            for employee_id in employee_ids
        ]
    )


def _audit_network(state, member_org: int, by_org: int, principal, employee_ids) -> None:
    """Log in the *employee's own* organisation that another firm's query counted them."""
    _audit_matched(state, member_org, f"network:org-{by_org}:{principal.actor}", list(employee_ids))
