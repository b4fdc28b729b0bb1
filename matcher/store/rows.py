"""Reading rows inside a transaction: lookups scoped to an organisation, and row → record.

Every lookup takes the organisation id and filters on it, so a row of another organisation is
indistinguishable from one that does not exist (``NotFound`` either way): that is the whole of
tenant isolation, and it lives here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from datetime import UTC, datetime
from functools import cache
from typing import Any, TypeVar

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
Owned = TypeVar("Owned")
Record = TypeVar("Record")


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
    return owned_row(session, DocumentRow, "document", organisation_id, document_id)


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
    options = [selectinload(RoleRow.skills)]
    return owned_row(session, RoleRow, "role", organisation_id, role_id, options)


def owned_row(
    session: Session,
    model: type[Owned],
    kind: str,
    organisation_id: int,
    row_id: int,
    options: Sequence[Any] = (),
) -> Owned:
    """The ``model`` row with this primary key if it belongs to the organisation; raises
    ``NotFound`` (naming ``kind``) for an unknown organisation, or a row that does not exist or
    is another organisation's."""
    organisation_row(session, organisation_id)
    row = session.get(model, row_id, options=options)
    if row is None or row.organisation_id != organisation_id:
        raise NotFound(kind, row_id, f"organisation {organisation_id}")
    return row


def record_of(record: type[Record], row: Any, **given: Any) -> Record:
    """The record (a dataclass) whose fields are ``row``'s attributes of the same names;
    ``given`` supplies the rest (relations converted, columns left out)."""
    names = _field_names(record)
    return record(**{name: getattr(row, name) for name in names if name not in given}, **given)


@cache
def _field_names(record: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(record))


def to_organisation(row: OrganisationRow) -> Organisation:
    return Organisation(row.id, row.name, row.created_at, row.document_retention_days)


def to_employee(row: EmployeeRow) -> Employee:
    return record_of(Employee, row)


def to_document(row: DocumentRow, *, with_content: bool = False) -> StoredDocument:
    hidden = {} if with_content else {"content": None, "text": None}
    return record_of(StoredDocument, row, **hidden)


def to_evidence(row: EvidenceRow) -> ClaimEvidence:
    return record_of(ClaimEvidence, row)


def to_claim(row: ClaimRow) -> PassportClaim:
    return record_of(PassportClaim, row, evidence=tuple(to_evidence(e) for e in row.evidence))


def to_passport(employee: EmployeeRow, claims: list[ClaimRow]) -> Passport:
    ordered = sorted(claims, key=lambda c: c.skill_uri)
    return Passport(to_employee(employee), tuple(to_claim(c) for c in ordered))


def to_role(row: RoleRow) -> Role:
    skills = tuple(RoleSkill(s.skill_uri, s.weight, s.essential) for s in row.skills)
    return record_of(Role, row, skills=skills)


def to_audit(row: AuditRow) -> AuditEntry:
    return record_of(AuditEntry, row)
