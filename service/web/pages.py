"""The HR web page: server-rendered Jinja2 templates with htmx, in Dutch.

Log in with an API key (it becomes a signed, HttpOnly, SameSite=Strict session cookie); every
page then acts as that key, through the same stores and matcher as the API, scoped to its
organisation. Changes go through htmx requests that carry the session's CSRF token.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from extractor.errors import IngestError
from matcher.errors import NoSkillsFound
from matcher.store import NotFound
from service.auth import Principal, csrf_token, sign_session
from service.deps import (
    SESSION_COOKIE,
    ServiceState,
    State,
    is_web_path,
    principal_from_request,
)
from service.errors import ServiceError
from service.routers import matching as matching_api
from service.routers import roles as roles_api
from service.routers import taxonomy as taxonomy_api
from service.scenarios import example_scenario, example_scenarios
from service.schemas.common import MAX_ID, Offset, PathId
from service.uploads import (
    DuplicateUpload,
    check_file_count,
    check_not_uploaded,
    extract,
    parse_document,
    parse_text,
    passport_for_new_employee,
    read_upload,
    safe_filename,
)
from service.web.present import (
    BAND_LABELS,
    METHOD_LABELS,
    SCORE_EXPLANATION,
    STATUS_LABELS,
    dutch_not_found,
    gap_chart_svg,
    highlighted_documents,
    label_is_english,
    nl_number,
    upload_message,
)

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent.parent / "templates"))
TEMPLATES.env.globals.update(
    status_labels=STATUS_LABELS,
    method_labels=METHOD_LABELS,
    band_labels=BAND_LABELS,
    score_explanation=SCORE_EXPLANATION,
    label_is_english=label_is_english,
)
TEMPLATES.env.filters["nl"] = nl_number
router = APIRouter(include_in_schema=False)


class LoginRequired(Exception):
    """No valid session: the page handler redirects to the login page."""


def web_principal(request: Request, state: State) -> Principal:
    try:
        return principal_from_request(request, state, request.headers.get("x-api-key"))
    except ServiceError as exc:
        if exc.status == 401:
            raise LoginRequired from None
        raise


WebUser = Annotated[Principal, Depends(web_principal)]


def install_web_handlers(app: Any) -> None:
    """What a web page answers instead of the API's JSON: a missing session redirects to the
    login page; a bad address or form, and a missing (or another firm's) employee, role,
    document or job, get a Dutch page. Web routes just let ``NotFound`` rise."""

    @app.exception_handler(LoginRequired)
    async def _redirect(request: Request, _: LoginRequired) -> Response:
        if request.headers.get("hx-request"):
            return Response(status_code=401, headers={"HX-Redirect": "/login"})
        target = quote(request.url.path)
        return RedirectResponse(f"/login?next={target}", status_code=303)

    api_validation = app.exception_handlers[RequestValidationError]

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        """A web page answers a bad address or form in Dutch HTML; the API keeps its JSON."""
        if not is_web_path(request.url.path):
            return await api_validation(request, exc)
        return invalid_request(request, exc)

    api_not_found = app.exception_handlers[NotFound]

    @app.exception_handler(NotFound)
    async def _missing(request: Request, exc: NotFound) -> Response:
        if not is_web_path(request.url.path):
            return await api_not_found(request, exc)
        state: ServiceState = request.app.state.vaardig
        return not_found(request, state, _principal_or_none(request, state), exc)


def _principal_or_none(request: Request, state: ServiceState) -> Principal | None:
    try:
        return web_principal(request, state)
    except (LoginRequired, ServiceError):
        return None


def invalid_request(request: Request, exc: RequestValidationError) -> Response:
    """The Dutch answer to a web request whose address or form does not validate: a page, or
    for an htmx request the error line its form shows."""
    state: ServiceState = request.app.state.vaardig
    principal = _principal_or_none(request, state)
    if principal is None and request.url.path.startswith("/app"):
        return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
    fields = sorted({str(e["loc"][-1]) for e in exc.errors() if e.get("loc")})
    message = (
        "Dit adres of formulier is niet volledig of bevat een ongeldige waarde "
        f"({', '.join(fields) or 'onbekend veld'}). Ga terug en kies opnieuw; blijft het "
        "misgaan, open de pagina dan via het menu."
    )
    if request.headers.get("hx-request"):
        return render(request, state, principal, "_form_error.html", status_code=422, error=message)
    return render(
        request,
        state,
        principal,
        "not_found.html",
        status_code=422,
        heading="Ongeldige aanvraag",
        message=message,
    )


def render(
    request: Request,
    state: ServiceState,
    principal: Principal | None,
    template: str,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    cookie = getattr(request.state, "session_cookie", None) or request.cookies.get(SESSION_COOKIE)
    organisation = (
        state.passports.get_organisation(principal.organisation_id) if principal else None
    )
    return TEMPLATES.TemplateResponse(
        request,
        template,
        {
            "principal": principal,
            "organisation": organisation,
            "csrf": csrf_token(state.secret, cookie) if cookie and principal else "",
            **context,
        },
        status_code=status_code,
    )


def denied(request: Request, state: ServiceState, principal: Principal) -> HTMLResponse:
    return render(
        request,
        state,
        principal,
        "not_found.html",
        status_code=403,
        heading="Geen toegang",
        message=f"Een sleutel met de rol '{principal.role}' mag deze pagina niet zien.",
    )


def not_found(
    request: Request, state: ServiceState, principal: Principal | None, exc: NotFound
) -> HTMLResponse:
    return render(
        request,
        state,
        principal,
        "not_found.html",
        status_code=404,
        message=dutch_not_found(exc.kind, exc.key),
    )


# -- login -------------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    target = "/app" if request.cookies.get(SESSION_COOKIE) else "/login"
    return RedirectResponse(target, status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, state: State, next: str = "/app") -> HTMLResponse:
    return render(request, state, None, "login.html", next=_safe_next(next), error=None)


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    state: State,
    api_key: Annotated[str, Form(max_length=200)],
    next: Annotated[str, Form(max_length=500)] = "/app",
) -> Response:
    principal = state.keys.authenticate(api_key.strip())
    if principal is None:
        return render(
            request,
            state,
            None,
            "login.html",
            status_code=401,
            next=_safe_next(next),
            error="Onbekende of ingetrokken sleutel.",
        )
    target = _safe_next(next)
    if target == "/app" and not principal.can("read"):
        target = "/app/network"  # a coordinator's start page: no passports
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        sign_session(state.secret, principal.key_id, state.settings.session_hours),
        max_age=int(state.settings.session_hours * 3600),
        httponly=True,
        samesite="strict",
        secure=state.settings.cookie_secure,
    )
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    if request.headers.get("hx-request"):
        response.headers["HX-Redirect"] = "/login"
    return response


def _safe_next(target: str) -> str:
    """Only local paths: never redirect to another site after logging in."""
    return target if target.startswith("/") and not target.startswith("//") else "/app"


# -- employees and passports -------------------------------------------------------------------


@router.get("/app", response_class=HTMLResponse)
def employees_page(
    request: Request, state: State, principal: WebUser, offset: Offset = 0
) -> HTMLResponse:
    if not principal.can("read"):
        return denied(request, state, principal)
    limit = 50
    employees = state.passports.list_employees(
        principal.organisation_id, offset=offset, limit=limit + 1
    )
    return render(
        request,
        state,
        principal,
        "employees.html",
        employees=employees[:limit],
        offset=offset,
        next_offset=offset + limit if len(employees) > limit else None,
        max_files=state.settings.max_files_per_request,
        max_mb=state.settings.max_upload_bytes / 1_000_000,
        max_request_mb=state.settings.max_request_bytes / 1_000_000,
    )


@router.post("/app/cvs", response_class=HTMLResponse)
def upload_cvs(
    request: Request,
    state: State,
    principal: WebUser,
    files: Annotated[list[UploadFile], File()],
) -> HTMLResponse:
    """Drag-and-drop upload: one new employee and passport per CV; answers with a summary."""
    if not principal.can("write"):  # a recruiter or network coordinator, as in the API
        message = "Deze sleutel mag geen cv's uploaden of medewerkers aanmaken."
        return render(
            request, state, principal, "_upload_result.html", 403, results=[], errors=[message]
        )
    max_mb = state.settings.max_upload_bytes / 1_000_000
    try:
        check_file_count(state, files)
    except ServiceError:
        limit = state.settings.max_files_per_request
        message = (
            f"Je koos {len(files)} bestanden; upload er hoogstens {limit} per keer."
            if files
            else "Er zat geen bestand in de upload. Kies een of meer cv's."
        )
        return render(
            request, state, principal, "_upload_result.html", 422, results=[], errors=[message]
        )
    org = principal.organisation_id
    results, errors = [], []
    seen: dict[str, str] = {}
    for upload in files:
        filename = safe_filename(upload.filename, "cv.txt")
        try:
            content = read_upload(state, upload)
            check_not_uploaded(state, org, filename, content, seen)
            document = parse_document(state, content, filename, "cv")
            (extraction,) = extract(state, [document])
        except DuplicateUpload as exc:  # a double click or a second tab: nobody new
            errors.append(exc.dutch())
            continue
        except (IngestError, ServiceError, ValueError) as exc:  # shown to the uploader, per file
            if getattr(exc, "code", None) == "duplicate_upload":  # twice in this upload
                errors.append(f"„{filename}” zat twee keer in deze upload; één keer is verwerkt.")
            else:
                errors.append(upload_message(exc, filename, "cv", max_mb))
            continue
        employee, report = passport_for_new_employee(
            state, org, filename, content, document, extraction
        )
        # nothing recognised: name the nearest skill that stayed below the threshold, as the
        # API's notice does, so HR sees how far off the text was
        nearest = (
            state.engine.taxonomy.get(extraction.ranking[0]).label
            if not extraction.skills and extraction.ranking
            else None
        )
        results.append((employee, filename, len(report.added), nearest))
    status = 201 if results else 422
    return render(
        request,
        state,
        principal,
        "_upload_result.html",
        status_code=status,
        results=results,
        errors=errors,
    )


@router.get("/app/employees/{employee_id}", response_class=HTMLResponse)
def passport_page(
    employee_id: PathId, request: Request, state: State, principal: WebUser
) -> HTMLResponse:
    if not principal.can("read"):
        return denied(request, state, principal)
    org = principal.organisation_id
    passport = state.passports.passport(org, employee_id)
    state.audit.log(org, principal.actor, "passport.viewed", "employee", employee_id)
    documents = [
        state.passports.get_document(org, d.id)
        for d in state.passports.list_documents(org, employee_id=employee_id)
    ]
    roles = state.roles.list_roles(org, status="open", limit=200)
    return render(
        request,
        state,
        principal,
        "passport.html",
        passport=passport,
        claims=_claims_in_order(passport),
        documents=highlighted_documents(documents, passport.claims),
        roles=roles,
    )


def _claims_in_order(passport) -> list:
    """Suggested claims first (they wait for a decision), then confirmed, then rejected."""
    return sorted(
        passport.claims,
        key=lambda c: ({"suggested": 0, "confirmed": 1}.get(c.status, 2), -c.confidence, c.label),
    )


SKILL_OPTIONS = 8


def _announce_change(response: HTMLResponse) -> HTMLResponse:
    """Tell the page (an htmx event) that the passport changed: "Past bij" reloads on it."""
    response.headers["HX-Trigger"] = "passport-changed"
    return response


@router.get("/app/employees/{employee_id}/skill-options", response_class=HTMLResponse)
def skill_options(
    employee_id: PathId,
    request: Request,
    state: State,
    principal: WebUser,
    q: Annotated[str, Query(max_length=200)] = "",
) -> HTMLResponse:
    """Skills to add by hand: a label typed in full first, then the nearest in meaning."""
    if not principal.can("write"):
        return denied(request, state, principal)
    # another organisation's employee gets the same 404 as one that never existed
    state.passports.get_employee(principal.organisation_id, employee_id)
    query = q.strip()
    if len(query) < 2:
        return render(
            request,
            state,
            principal,
            "_skill_options.html",
            options=[],
            message="Typ minstens twee letters van een vaardigheid, bijvoorbeeld ‘heftruck’.",
        )
    taxonomy = state.loaded("taxonomy").taxonomy
    options = {h.concept.uri: (h.concept, h.label) for h in taxonomy.find_label(query, "skill")}
    for hit in taxonomy_api.search_concepts(state, query, "skill", SKILL_OPTIONS):
        options.setdefault(hit.concept.uri, (hit.concept, hit.label))
    return render(
        request,
        state,
        principal,
        "_skill_options.html",
        options=list(options.values())[:SKILL_OPTIONS],
        employee_id=employee_id,
        attribution=taxonomy.attribution,
    )


@router.post("/app/employees/{employee_id}/skills", response_class=HTMLResponse)
def add_skill(
    employee_id: PathId,
    request: Request,
    state: State,
    principal: WebUser,
    skill_uri: Annotated[str, Form(max_length=255)],
) -> HTMLResponse:
    """HR adds a skill by hand (it counts as confirmed); answers with the whole skills card
    (count, table, search form), since a skill already in the passport changes its row rather
    than adding one."""
    if not principal.can("write"):
        raise ServiceError(403, "forbidden", "deze sleutel mag paspoorten niet wijzigen")
    org = principal.organisation_id
    taxonomy = state.loaded("taxonomy").taxonomy
    concept = taxonomy.resolve(skill_uri, "skill")
    if concept is None:
        return render(
            request,
            state,
            principal,
            "_form_error.html",
            status_code=422,
            error=(
                "Deze vaardigheid staat niet in de taxonomie. Zoek haar opnieuw en kies uit "
                "de lijst."
            ),
        )
    state.passports.add_manual_claim(org, employee_id, concept.uri, concept.label, principal.actor)
    passport = state.passports.passport(org, employee_id)
    state.passport_changed(org, employee_id)
    return _announce_change(
        render(
            request,
            state,
            principal,
            "_skills_card.html",
            claims=_claims_in_order(passport),
            employee_id=employee_id,
        )
    )


@router.post("/app/employees/{employee_id}/details", response_class=HTMLResponse)
def update_details(
    employee_id: PathId,
    request: Request,
    state: State,
    principal: WebUser,
    display_name: Annotated[str, Form(max_length=200)] = "",
    team: Annotated[str, Form(max_length=100)] = "",
) -> HTMLResponse:
    """Correct an employee's display name or team (rectification); an empty field clears it.
    Answers with the form, saying what was saved."""
    if not principal.can("write"):
        raise ServiceError(403, "forbidden", "deze sleutel mag medewerkers niet wijzigen")
    org = principal.organisation_id
    employee = state.passports.update_employee(
        org, employee_id, display_name=display_name.strip() or None, team=team.strip() or None
    )
    state.passport_changed(org, employee_id)
    return render(
        request, state, principal, "_employee_details.html", employee=employee, saved=True
    )


@router.post("/app/employees/{employee_id}/claims", response_class=HTMLResponse)
def decide_claim(
    employee_id: PathId,
    request: Request,
    state: State,
    principal: WebUser,
    skill_uri: Annotated[str, Form(max_length=255)],
    status: Annotated[str, Form(pattern="^(suggested|confirmed|rejected)$")],
) -> HTMLResponse:
    """Confirm or reject one claim; answers with the claim's new table row."""
    if not principal.can("write"):
        raise ServiceError(403, "forbidden", "deze sleutel mag paspoorten niet wijzigen")
    org = principal.organisation_id
    claim = state.passports.set_claim_status(org, employee_id, skill_uri, status, principal.actor)
    state.passport_changed(org, employee_id)
    return _announce_change(
        render(request, state, principal, "_claim_row.html", claim=claim, employee_id=employee_id)
    )


@router.get("/app/employees/{employee_id}/path", response_class=HTMLResponse)
def path_page(
    employee_id: PathId,
    request: Request,
    state: State,
    principal: WebUser,
    role_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> HTMLResponse:
    """The reskilling path to ``role_id``; without one, a page to choose the role."""
    if not principal.can("match"):
        return denied(request, state, principal)
    if role_id is None:
        employee = state.passports.get_employee(principal.organisation_id, employee_id)
        roles = state.roles.list_roles(principal.organisation_id, status="open", limit=200)
        return render(
            request,
            state,
            principal,
            "path.html",
            path=None,
            role=None,
            employee=employee,
            roles=roles,
            employee_id=employee_id,
        )
    path = matching_api.employee_path(employee_id, principal, state, role_id, None)
    role = state.roles.get_role(principal.organisation_id, role_id)
    return render(
        request, state, principal, "path.html", path=path, role=role, employee_id=employee_id
    )


@router.get("/app/employees/{employee_id}/roles", response_class=HTMLResponse)
def employee_roles_fragment(
    employee_id: PathId, request: Request, state: State, principal: WebUser
) -> HTMLResponse:
    if not principal.can("match"):
        return denied(request, state, principal)
    result = matching_api.employee_roles(employee_id, principal, state, 8, True)
    return render(
        request,
        state,
        principal,
        "_employee_roles.html",
        result=result,
        employee_id=employee_id,
    )


# -- vacancies ---------------------------------------------------------------------------------


@router.get("/app/vacancies", response_class=HTMLResponse)
def vacancies_page(request: Request, state: State, principal: WebUser) -> HTMLResponse:
    if not principal.can("roles"):
        return denied(request, state, principal)
    roles = state.roles.list_roles(principal.organisation_id, limit=500)
    return render(request, state, principal, "vacancies.html", roles=roles[::-1], error=None)


@router.post("/app/vacancies", response_class=HTMLResponse)
def create_vacancy(
    request: Request,
    state: State,
    principal: WebUser,
    text: Annotated[str, Form(max_length=200_000)] = "",
    title: Annotated[str, Form(max_length=300)] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Paste a vacancy or upload its file: store it as a role, then show its candidates."""
    if not principal.can("roles"):
        raise ServiceError(403, "forbidden", "deze sleutel mag geen vacatures aanmaken")
    org = principal.organisation_id
    has_file = file is not None and bool(file.filename)
    if not has_file and not text.strip():
        error = "Plak een vacaturetekst of kies een bestand."
        return render(request, state, principal, "_form_error.html", 422, error=error)
    name = "de geplakte vacaturetekst"
    try:
        if file is not None and has_file:
            name = filename = safe_filename(file.filename, "vacature.txt")
            content = read_upload(state, file)
            document = parse_document(state, content, filename, "vacancy")
        else:
            content = text.encode()
            document = parse_text(state, text, "vacancy", source="vacature")
        (extraction,) = extract(state, [document])
        role = roles_api._save_vacancy(
            state, org, document, content, extraction, title.strip() or None
        )
    except (IngestError, NoSkillsFound, ValueError, ServiceError) as exc:
        max_mb = state.settings.max_upload_bytes / 1_000_000
        error = upload_message(exc, name, "vacature", max_mb)
        return render(request, state, principal, "_form_error.html", 422, error=error)
    target = f"/app/vacancies/{role.id}"
    return Response(status_code=201, headers={"HX-Redirect": target, "Location": target})


@router.get("/app/vacancies/{role_id}", response_class=HTMLResponse)
def vacancy_page(
    role_id: PathId, request: Request, state: State, principal: WebUser
) -> HTMLResponse:
    if not principal.can("roles"):
        return denied(request, state, principal)
    role = roles_api.role_out(state, state.roles.get_role(principal.organisation_id, role_id))
    candidates = None
    if principal.can("match"):
        candidates = matching_api.role_candidates(role_id, principal, state, 10)
    return render(request, state, principal, "vacancy.html", role=role, result=candidates)


# -- gap report and network ---------------------------------------------------------------------


@router.get("/app/gap", response_class=HTMLResponse)
def gap_page(
    request: Request,
    state: State,
    principal: WebUser,
    scenario: Annotated[list[str] | None, Query(max_length=5)] = None,
) -> HTMLResponse:
    """The gap report; with ``scenario`` (example ids) also per scenario, compared. The
    scenario choice stays on the page whatever went wrong, with the reason next to it."""
    if not principal.can("match"):
        return denied(request, state, principal)
    org = principal.organisation_id
    examples = example_scenarios()
    chosen = list(dict.fromkeys(s[:100] for s in scenario or () if s))
    known = [s for s in chosen if s in examples]
    context: dict[str, Any] = {
        "examples": examples,
        "chosen": chosen,
        "report": None,
        "chart": None,
        "comparison": None,
        "no_roles": not state.roles.list_roles(org, status="open", limit=1),
        "scenario_error": _unknown_scenarios_message(set(chosen) - set(known)),
    }
    if context["no_roles"]:
        if chosen:
            context["scenario_error"] = "Vergelijken kan pas als er open rollen zijn."
        return render(request, state, principal, "gap.html", **context)
    report = None
    if known:
        taxonomy = state.loaded("taxonomy").taxonomy
        try:
            scenarios = [example_scenario(s).resolve(taxonomy) for s in known]
            context["comparison"] = matching_api.gap_comparison(state, org, None, scenarios)
            report = context["comparison"].baseline.report
        except ValueError as exc:  # an example that no longer fits the taxonomy
            context["scenario_error"] = f"Dit scenario kan niet worden doorgerekend: {exc}"
    if report is None:
        report = matching_api._gap_report(state, org, None)
    context["report"] = report.to_dict()
    context["chart"] = gap_chart_svg(context["report"])
    return render(request, state, principal, "gap.html", **context)


def _unknown_scenarios_message(unknown: set[str]) -> str | None:
    if not unknown:
        return None
    names = ", ".join(f"„{s}”" for s in sorted(unknown))
    return f"Onbekend scenario: {names}. Kies hieronder een of meer van de voorbeeldscenario's."


@router.get("/app/network", response_class=HTMLResponse)
def network_page(request: Request, state: State, principal: WebUser) -> HTMLResponse:
    org = principal.organisation_id
    networks = state.networks.networks(org) if principal.can("network") else []
    members = {n.id: state.networks.members(org, n.id) for n in networks}
    roles = state.roles.list_roles(org, status="open", limit=200) if principal.can("roles") else []
    requests = state.networks.contact_requests(org) if principal.can("network") else []
    return render(
        request,
        state,
        principal,
        "network.html",
        networks=networks,
        members=members,
        roles=roles,
        requests=requests,
    )


@router.post("/app/network/{network_id}/match", response_class=HTMLResponse)
def network_match_fragment(
    network_id: PathId,
    request: Request,
    state: State,
    principal: WebUser,
    role_id: Annotated[int, Form(ge=1, le=MAX_ID)],
) -> HTMLResponse:
    from service.schemas.matching import NetworkMatchRequest

    if not principal.can("network"):
        raise ServiceError(403, "forbidden", "deze sleutel mag niet in het netwerk zoeken")
    result = matching_api.network_match(
        network_id, NetworkMatchRequest(role_id=role_id), principal, state
    )
    return render(request, state, principal, "_network_result.html", result=result)
