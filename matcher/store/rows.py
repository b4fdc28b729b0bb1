"""Reading rows inside a transaction: lookups scoped to an organisation, and row → record.

Every lookup takes the organisation id and filters on it, so a row of another organisation is
indistinguishable from one that does not exist (``NotFound`` either way): that is the whole of
tenant isolation, and it lives here.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from matcher.store.errors import NotFound
from matcher.store.models import (
    AuditRow,
    ClaimRow,
    DocumentRow,
    EmployeeRow,
    EvidenceRow,
    OrganisationRow,
    RoleRow,
)
from matcher.store.records import (
    AuditEntry,
    ClaimEvidence,
    Employee,
    Organisation,
    Passport,
    PassportClaim,
    Role,
    RoleSkill,
    StoredDocument,
)

MAX_PAGE = 1000


def check_page(offset: int, limit: int) -> None:
    if offset < 0 or not 1 <= limit <= MAX_PAGE:
        raise ValueError(f"need offset >= 0 and 1 <= limit <= {MAX_PAGE}, got {offset}, {limit}")


def utc(at: datetime | None) -> datetime:
    """``at`` as aware UTC, or now. Naive datetimes are refused: their zone is a guess."""
    if at is None:
        return datetime.now(UTC)
    if at.tzinfo is None:
        raise ValueError(f"datetime {at.isoformat()} has no timezone; pass an aware datetime")
    return at.astimezone(UTC)


def organisation_row(session: Session, organisation_id: int) -> OrganisationRow:
    row = session.get(OrganisationRow, organisation_id)
    if row is None:
        raise NotFound("organisation", organisation_id)
    return row


def employee_row(
    session: Session, organisation_id: int, employee: int | str, *, lock: bool = False
) -> EmployeeRow:
    """The employee by internal id (int) or external id (str), within the organisation.

    With ``lock``, the row is locked for the rest of the transaction (PostgreSQL
    ``FOR NO KEY UPDATE``; SQLite already holds the write lock): this serialises all writers
    of one passport, so none of them works from a stale read.
    """
    organisation_row(session, organisation_id)
    query = select(EmployeeRow).where(EmployeeRow.organisation_id == organisation_id)
    if isinstance(employee, str):
        query = query.where(EmployeeRow.external_id == employee)
    else:
        query = query.where(EmployeeRow.id == employee)
    if lock:
        query = query.with_for_update(key_share=True)
    row = session.scalars(query).one_or_none()
    if row is None:
        raise NotFound("employee", employee, f"organisation {organisation_id}")
    return row


def document_row(session: Session, organisation_id: int, document_id: int) -> DocumentRow:
    organisation_row(session, organisation_id)
    row = session.get(DocumentRow, document_id)
    if row is None or row.organisation_id != organisation_id:
        raise NotFound("document", document_id, f"organisation {organisation_id}")
    return row


def claim_row(session: Session, employee: EmployeeRow, skill_uri: str) -> ClaimRow:
    row = session.scalars(
        select(ClaimRow)
        .where(ClaimRow.employee_id == employee.id, ClaimRow.skill_uri == skill_uri)
        .options(selectinload(ClaimRow.evidence))
    ).one_or_none()
    if row is None:
        raise NotFound("claim", skill_uri, f"the passport of employee {employee.id}")
    return row


def role_row(session: Session, organisation_id: int, role_id: int) -> RoleRow:
    organisation_row(session, organisation_id)
    row = session.get(RoleRow, role_id, options=[selectinload(RoleRow.skills)])
    if row is None or row.organisation_id != organisation_id:
        raise NotFound("role", role_id, f"organisation {organisation_id}")
    return row


def to_organisation(row: OrganisationRow) -> Organisation:
    return Organisation(row.id, row.name, row.created_at, row.document_retention_days)


def to_employee(row: EmployeeRow) -> Employee:
    return Employee(
        id=row.id,
        organisation_id=row.organisation_id,
        external_id=row.external_id,
        display_name=row.display_name,
        team=row.team,
        created_at=row.created_at,
    )


def to_document(row: DocumentRow, *, with_content: bool = False) -> StoredDocument:
    return StoredDocument(
        id=row.id,
        organisation_id=row.organisation_id,
        employee_id=row.employee_id,
        kind=row.kind,
        filename=row.filename,
        lang=row.lang,
        sha256=row.sha256,
        uploaded_at=row.uploaded_at,
        size=row.size,
        content=row.content if with_content else None,
        text=row.text if with_content else None,
    )


def to_evidence(row: EvidenceRow) -> ClaimEvidence:
    return ClaimEvidence(
        document_id=row.document_id,
        start=row.start,
        end=row.end,
        text=row.text,
        sentence=row.sentence,
        section=row.section,
        method=row.method,
        confidence=row.confidence,
        extracted_at=row.extracted_at,
    )


def to_claim(row: ClaimRow) -> PassportClaim:
    return PassportClaim(
        skill_uri=row.skill_uri,
        label=row.label,
        status=row.status,
        confidence=row.confidence,
        method=row.method,
        proficiency=row.proficiency,
        proficiency_source=row.proficiency_source,
        first_seen=row.first_seen,
        last_used=row.last_used,
        confirmed_at=row.confirmed_at,
        confirmed_by=row.confirmed_by,
        updated_at=row.updated_at,
        version=row.version,
        evidence=tuple(to_evidence(e) for e in row.evidence),
    )


def to_passport(employee: EmployeeRow, claims: list[ClaimRow]) -> Passport:
    ordered = sorted(claims, key=lambda c: c.skill_uri)
    return Passport(to_employee(employee), tuple(to_claim(c) for c in ordered))


def to_role(row: RoleRow) -> Role:
    return Role(
        id=row.id,
        organisation_id=row.organisation_id,
        kind=row.kind,
        title=row.title,
        status=row.status,
        source_document_id=row.source_document_id,
        created_at=row.created_at,
        closed_at=row.closed_at,
        skills=tuple(RoleSkill(s.skill_uri, s.weight, s.essential) for s in row.skills),
    )


def to_audit(row: AuditRow) -> AuditEntry:
    return AuditEntry(
        id=row.id,
        organisation_id=row.organisation_id,
        actor=row.actor,
        action=row.action,
        subject_type=row.subject_type,
        subject_id=row.subject_id,
        at=row.at,
    )
