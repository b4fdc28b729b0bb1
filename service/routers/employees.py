"""Employees, their CVs, skill passports and claims, consents, and GDPR export/erasure.

Every call passes the caller's organisation to the store, which answers ``NotFound`` for
anything outside it, so another firm's employee is indistinguishable from a missing one.
Viewing a passport or document, exporting and erasing are written to the audit log with the
key id as actor.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import File, Query, Response, UploadFile, status

from service.deps import ConsentKeeper, GdprOfficer, Reader, ServiceState, State, Writer
from service.routing import api_router
from service.schemas.common import Offset, Page, PathId, page
from service.schemas.passports import (
    ClaimOut,
    ClaimUpdate,
    ConsentCreate,
    ConsentOut,
    DocumentOut,
    DocumentText,
    EmployeeCreate,
    EmployeeOut,
    EmployeeUpdate,
    ErasureOut,
    ManualClaim,
    PassportOut,
    UploadOut,
)
from service.uploads import (
    check_file_count,
    check_not_uploaded,
    extract,
    parse_document,
    passport_for_new_employee,
    read_upload,
    safe_filename,
    store_cv,
)

router = api_router(tags=["employees and passports"])
Files = Annotated[list[UploadFile], File(description="One or more CVs: PDF, DOCX, HTML or text")]


@router.get("/employees", summary="List employees, oldest first")
def list_employees(
    principal: Reader,
    state: State,
    offset: Offset = 0,
    limit: int = Query(default=50, ge=1, le=500),
) -> Page[EmployeeOut]:
    employees = state.passports.list_employees(
        principal.organisation_id, offset=offset, limit=limit + 1
    )
    items = [EmployeeOut.model_validate(e) for e in employees]
    return Page[EmployeeOut].model_validate(page(items, offset, limit))


@router.post("/employees", status_code=status.HTTP_201_CREATED, summary="Add an employee")
def create_employee(body: EmployeeCreate, principal: Writer, state: State) -> EmployeeOut:
    employee = state.passports.add_employee(
        principal.organisation_id, body.external_id, body.display_name, body.team
    )
    return EmployeeOut.model_validate(employee)


@router.patch("/employees/{employee_id}", summary="Change an employee's display name or team")
def update_employee(
    employee_id: PathId, body: EmployeeUpdate, principal: Writer, state: State
) -> EmployeeOut:
    """Only the fields sent change (``null`` clears one); the external id never changes. The
    team counts at once in team coverage and the T-shape pages."""
    fields = {name: getattr(body, name) for name in body.model_fields_set}
    employee = state.passports.update_employee(principal.organisation_id, employee_id, **fields)
    state.passport_changed(principal.organisation_id, employee_id)
    return EmployeeOut.model_validate(employee)


@router.get("/employees/{employee_id}", summary="One employee")
def get_employee(employee_id: PathId, principal: Reader, state: State) -> EmployeeOut:
    return EmployeeOut.model_validate(
        state.passports.get_employee(principal.organisation_id, employee_id)
    )


@router.delete(
    "/employees/{employee_id}",
    summary="GDPR erasure: delete the employee and everything about them",
)
def erase_employee(employee_id: PathId, principal: GdprOfficer, state: State) -> ErasureOut:
    """Deletes the employee, passport, documents (original files included), claim history,
    consents and learning-plan steps, and drops them from the in-memory matching index. The
    audit log keeps one ``employee.erased`` entry with the numeric id only."""
    consents = len(state.networks.consents(principal.organisation_id, employee_id))
    report = state.passports.erase_employee(
        principal.organisation_id, employee_id, actor=principal.actor
    )
    state.passport_changed(principal.organisation_id, employee_id, erased=True)
    return ErasureOut(
        employee_id=employee_id,
        documents=len(report.document_ids),
        claims=len(report.claim_ids),
        evidence=report.evidence_count,
        events=report.event_count,
        consents=consents,
        learning_steps=report.learning_step_count,
    )


@router.get(
    "/employees/{employee_id}/export",
    summary="GDPR access: everything stored about one employee, as JSON",
)
def export_employee(
    employee_id: PathId,
    principal: GdprOfficer,
    state: State,
    include_content: bool = Query(default=False, description="Add original files, base64"),
) -> dict[str, Any]:
    data = state.passports.export_employee(
        principal.organisation_id,
        employee_id,
        actor=principal.actor,
        include_content=include_content,
    )
    data["consents"] = [
        _consent_out(c).model_dump(mode="json")
        for c in state.networks.consents(principal.organisation_id, employee_id)
    ]
    return data


@router.get("/employees/{employee_id}/passport", summary="The skill passport, with evidence")
def get_passport(employee_id: PathId, principal: Reader, state: State) -> PassportOut:
    passport = state.passports.passport(principal.organisation_id, employee_id)
    state.audit.log(
        principal.organisation_id, principal.actor, "passport.viewed", "employee", employee_id
    )
    return passport_out(state, passport)


@router.patch(
    "/employees/{employee_id}/claims",
    summary="Confirm, reject or reset a claim, or set its proficiency (1–4)",
)
def update_claim(
    employee_id: PathId, body: ClaimUpdate, principal: Writer, state: State
) -> ClaimOut:
    if body.status is None and body.proficiency is None:
        raise ValueError("give a status, a proficiency, or both")
    org, version = principal.organisation_id, body.expected_version
    claim = None
    if body.status is not None:
        claim = state.passports.set_claim_status(
            org, employee_id, body.skill_uri, body.status, principal.actor, expected_version=version
        )
        version = claim.version if version is not None else None
    if body.proficiency is not None:
        claim = state.passports.set_proficiency(
            org,
            employee_id,
            body.skill_uri,
            body.proficiency,
            principal.actor,
            expected_version=version,
        )
    state.passport_changed(org, employee_id)
    return _claim_out(state, claim)


@router.post(
    "/employees/{employee_id}/claims",
    status_code=status.HTTP_201_CREATED,
    summary="Add a skill by hand (confirmed)",
)
def add_claim(employee_id: PathId, body: ManualClaim, principal: Writer, state: State) -> ClaimOut:
    concept = state.loaded("taxonomy").taxonomy.get(body.skill_uri)
    if concept.kind != "skill":
        raise ValueError(f"{body.skill_uri} is a {concept.kind}, not a skill")
    claim = state.passports.add_manual_claim(
        principal.organisation_id,
        employee_id,
        concept.uri,
        concept.label,
        principal.actor,
        proficiency=body.proficiency,
        last_used=body.last_used,
    )
    state.passport_changed(principal.organisation_id, employee_id)
    return _claim_out(state, claim)


@router.post(
    "/employees/{employee_id}/cv",
    status_code=status.HTTP_201_CREATED,
    summary="Upload a CV: its skills are added to the passport as suggestions",
)
def upload_cv(
    employee_id: PathId, principal: Writer, state: State, file: Annotated[UploadFile, File()]
) -> UploadOut:
    """The document and its claims are stored in one transaction: an upload is either complete
    (2xx) or absent."""
    org = principal.organisation_id
    employee = state.passports.get_employee(org, employee_id)
    return _store_cv(state, org, employee, file)


@router.post(
    "/cvs",
    status_code=status.HTTP_201_CREATED,
    summary="Upload CVs of new employees: one employee (pseudonymous id) and passport per file",
)
def upload_new_cvs(files: Files, principal: Writer, state: State) -> list[UploadOut]:
    check_file_count(state, files)
    org = principal.organisation_id
    parsed = []
    seen: dict[str, str] = {}
    for upload in files:  # read and extract everything first: a bad file adds nobody
        filename = safe_filename(upload.filename, "cv.txt")
        content = read_upload(state, upload)
        check_not_uploaded(state, org, filename, content, seen)
        parsed.append((filename, content, parse_document(state, content, filename, "cv")))
    extractions = extract(state, [document for _, _, document in parsed])
    results = []
    for (filename, content, document), extraction in zip(parsed, extractions, strict=True):
        employee, report = passport_for_new_employee(
            state, org, filename, content, document, extraction
        )
        results.append(_upload_out(employee, report, extraction.notice(state.engine.taxonomy)))
    return results


@router.get("/employees/{employee_id}/documents", summary="The employee's stored documents")
def list_documents(employee_id: PathId, principal: Reader, state: State) -> list[DocumentOut]:
    documents = state.passports.list_documents(principal.organisation_id, employee_id=employee_id)
    return [DocumentOut.model_validate(d) for d in documents]


@router.get("/documents/{document_id}", summary="A stored document with its extracted text")
def get_document(document_id: PathId, principal: Reader, state: State) -> DocumentText:
    document = state.passports.get_document(principal.organisation_id, document_id)
    state.audit.log(
        principal.organisation_id, principal.actor, "document.viewed", "document", document_id
    )
    return DocumentText.model_validate(document)


@router.get(
    "/documents/{document_id}/content",
    summary="The original uploaded file",
    response_class=Response,
)
def get_document_content(document_id: PathId, principal: Reader, state: State) -> Response:
    document = state.passports.get_document(principal.organisation_id, document_id)
    state.audit.log(
        principal.organisation_id, principal.actor, "document.downloaded", "document", document_id
    )
    return Response(
        document.content or b"",
        media_type="application/octet-stream",
        headers={
            "Content-Disposition": f'attachment; filename="document-{document_id}"',
            "X-Content-Type-Options": "nosniff",
        },
    )


@router.get("/employees/{employee_id}/consents", summary="Network consents, given and revoked")
def list_consents(employee_id: PathId, principal: Reader, state: State) -> list[ConsentOut]:
    return [
        _consent_out(c) for c in state.networks.consents(principal.organisation_id, employee_id)
    ]


@router.post(
    "/employees/{employee_id}/consents",
    status_code=status.HTTP_201_CREATED,
    summary="Record the employee's consent to be matchable in a network",
)
def give_consent(
    employee_id: PathId, body: ConsentCreate, principal: ConsentKeeper, state: State
) -> ConsentOut:
    consent = state.networks.give_consent(
        principal.organisation_id, employee_id, body.network_id, principal.actor
    )
    return _consent_out(consent)


@router.delete(
    "/employees/{employee_id}/consents/{network_id}",
    summary="Revoke consent: the employee leaves network results at once",
)
def revoke_consent(
    employee_id: PathId, network_id: PathId, principal: ConsentKeeper, state: State
) -> ConsentOut:
    consent = state.networks.revoke_consent(
        principal.organisation_id, employee_id, network_id, principal.actor
    )
    return _consent_out(consent)


# -- helpers -----------------------------------------------------------------------------------


def passport_out(state: ServiceState, passport) -> PassportOut:
    return PassportOut(
        employee=EmployeeOut.model_validate(passport.employee),
        claims=[_claim_out(state, c) for c in passport.claims],
        attribution=_attribution(state),
    )


def _attribution(state: ServiceState) -> str:
    return state.loaded("taxonomy").taxonomy.attribution


def _store_cv(state: ServiceState, org: int, employee, upload: UploadFile) -> UploadOut:
    filename = safe_filename(upload.filename, "cv.txt")
    content = read_upload(state, upload)
    check_not_uploaded(state, org, filename, content)
    document = parse_document(state, content, filename, "cv")
    (extraction,) = extract(state, [document])
    report = store_cv(state, org, employee.id, filename, content, document, extraction)
    return _upload_out(employee, report, extraction.notice(state.engine.taxonomy))


def _claim_out(state: ServiceState, claim) -> ClaimOut:
    """A claim as the API shows it, marked where its label is English (no Dutch ESCO label)."""
    taxonomy = state.loaded("taxonomy").taxonomy
    fallback = claim.skill_uri in taxonomy and taxonomy.get(claim.skill_uri).label_is_fallback
    return ClaimOut.model_validate(claim).model_copy(update={"label_is_fallback": fallback})


def _upload_out(employee, report, notice: str | None) -> UploadOut:
    return UploadOut(
        employee=EmployeeOut.model_validate(employee),
        document_id=report.document_id,
        added=list(report.added),
        updated=list(report.updated),
        kept_rejected=list(report.kept_rejected),
        evidence_added=report.evidence_added,
        notice=notice,
    )


def _consent_out(consent) -> ConsentOut:
    return ConsentOut(
        id=consent.id,
        network_id=consent.network_id,
        employee_id=consent.employee_id,
        given_at=consent.given_at,
        given_by=consent.given_by,
        revoked_at=consent.revoked_at,
        revoked_by=consent.revoked_by,
        active=consent.active,
    )
