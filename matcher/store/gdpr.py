"""GDPR operations on one employee or one organisation: erasure, export, retention.

Each function runs inside the caller's transaction (``PassportStore`` opens it), so an erasure
or a purge happens completely or not at all.

Decisions:

- **Erasure** deletes the employee, their claims, evidence, claim history, learning plan and
  documents (the original bytes live in the database, so no file can be left behind). Steps of
  colleagues that named them as mentor stay, without the mentor. The audit log keeps an
  "employee.erased" entry naming only the numeric id, which no other row will ever reuse.
  SQLite runs with ``secure_delete`` and the store truncates the WAL after an erasure, so the
  bytes are gone from the files too. On PostgreSQL the deleted tuples are overwritten when
  (auto)vacuum reclaims them.
- **Retention** deletes whole documents (original bytes and extracted text) older than the
  cut-off. The claims stay (they are the passport), and their evidence keeps its span text
  (the skill phrase, e.g. "heftruck") and offsets but loses the surrounding sentence and the
  link to the document. Claims can no longer be re-derived from a purged document.
"""

from __future__ import annotations

import base64
from dataclasses import asdict
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, selectinload

from matcher.store.audit import record_audit
from matcher.store.models import (
    ClaimEventRow,
    ClaimRow,
    DocumentRow,
    EmployeeRow,
    EvidenceRow,
    LearningStepRow,
)
from matcher.store.records import ErasureReport, PurgeReport
from matcher.store.rows import employee_row, organisation_row, to_claim, to_document

EXPORT_FORMAT = "vaardig.employee-export/1"


def erase_employee(
    session: Session, organisation_id: int, employee_id: int, actor: str, at: datetime
) -> ErasureReport:
    """Delete everything about one employee; return the ids of what went."""
    employee = employee_row(session, organisation_id, employee_id, lock=True)
    claims = session.execute(
        select(ClaimRow.id, ClaimRow.skill_uri).where(ClaimRow.employee_id == employee.id)
    ).all()
    claim_ids = select(ClaimRow.id).where(ClaimRow.employee_id == employee.id)
    document_ids = select(DocumentRow.id).where(DocumentRow.employee_id == employee.id)
    documents = tuple(session.scalars(document_ids))
    evidence = _rowcount(
        session,
        delete(EvidenceRow).where(
            EvidenceRow.claim_id.in_(claim_ids) | EvidenceRow.document_id.in_(document_ids)
        ),
    )
    events = _rowcount(
        session, delete(ClaimEventRow).where(ClaimEventRow.employee_id == employee.id)
    )
    steps = _rowcount(
        session, delete(LearningStepRow).where(LearningStepRow.employee_id == employee.id)
    )
    _rowcount(
        session,
        update(LearningStepRow)
        .where(LearningStepRow.mentor_id == employee.id)
        .values(mentor_id=None),
    )
    _rowcount(session, delete(ClaimRow).where(ClaimRow.employee_id == employee.id))
    _rowcount(session, delete(DocumentRow).where(DocumentRow.employee_id == employee.id))
    _rowcount(session, delete(EmployeeRow).where(EmployeeRow.id == employee.id))
    session.expunge(employee)
    record_audit(session, organisation_id, actor, "employee.erased", "employee", employee_id, at)
    return ErasureReport(
        organisation_id=organisation_id,
        employee_id=employee_id,
        document_ids=documents,
        claim_ids=tuple(claim_id for claim_id, _uri in claims),
        skill_uris=tuple(sorted(uri for _id, uri in claims)),
        evidence_count=evidence,
        event_count=events,
        learning_step_count=steps,
    )


def export_employee(
    session: Session,
    organisation_id: int,
    employee_id: int,
    actor: str,
    at: datetime,
    *,
    include_content: bool = False,
) -> dict[str, Any]:
    """Everything stored about one employee, as JSON-ready data (right of access).

    Documents carry their extracted text; with ``include_content`` also the original bytes,
    base64-encoded.
    """
    employee = employee_row(session, organisation_id, employee_id)
    claims = session.scalars(
        select(ClaimRow)
        .where(ClaimRow.employee_id == employee.id)
        .order_by(ClaimRow.skill_uri)
        .options(selectinload(ClaimRow.evidence))
    ).all()
    documents = session.scalars(
        select(DocumentRow).where(DocumentRow.employee_id == employee.id).order_by(DocumentRow.id)
    ).all()
    events = session.scalars(
        select(ClaimEventRow)
        .where(ClaimEventRow.employee_id == employee.id)
        .order_by(ClaimEventRow.id)
    ).all()
    steps = session.scalars(
        select(LearningStepRow)
        .where(LearningStepRow.employee_id == employee.id)
        .order_by(LearningStepRow.id)
    ).all()
    exported_documents = []
    for row in documents:
        item = asdict(to_document(row))
        item["content"] = base64.b64encode(row.content).decode() if include_content else None
        item["text"] = row.text
        exported_documents.append(item)
    record_audit(session, organisation_id, actor, "employee.exported", "employee", employee_id, at)
    return _json_ready(
        {
            "format": EXPORT_FORMAT,
            "exported_at": at,
            "organisation_id": organisation_id,
            "employee": {
                "id": employee.id,
                "external_id": employee.external_id,
                "display_name": employee.display_name,
                "team": employee.team,
                "created_at": employee.created_at,
            },
            "claims": [asdict(to_claim(row)) for row in claims],
            "documents": exported_documents,
            "history": [
                {
                    "skill_uri": e.skill_uri,
                    "action": e.action,
                    "proficiency": e.proficiency,
                    "actor": e.actor,
                    "at": e.at,
                }
                for e in events
            ],
            "learning_plan": [
                {
                    "kind": step.kind,
                    "title": step.title,
                    "area_uri": step.area_uri,
                    "skill_uri": step.skill_uri,
                    "status": step.status,
                    "planned_at": step.planned_at,
                    "due": step.due,
                    "done_at": step.done_at,
                }
                for step in steps
            ],
        }
    )


def purge_documents(
    session: Session, organisation_id: int, days: int | None, actor: str, at: datetime
) -> PurgeReport:
    """Delete the organisation's documents uploaded more than ``days`` days before ``at``
    (default: the organisation's ``document_retention_days``).

    Raises:
        ValueError: ``days`` < 1, or no ``days`` and no retention period set.
    """
    organisation = organisation_row(session, organisation_id)
    days = days if days is not None else organisation.document_retention_days
    if days is None:
        raise ValueError(
            f"organisation {organisation_id} has no document retention period; pass days"
        )
    if days < 1:
        raise ValueError(f"retention must be at least 1 day, got {days}")
    cutoff = at - timedelta(days=days)
    expired = select(DocumentRow.id).where(
        DocumentRow.organisation_id == organisation_id, DocumentRow.uploaded_at < cutoff
    )
    document_ids = tuple(session.scalars(expired.order_by(DocumentRow.id)))
    scrubbed = 0
    if document_ids:
        scrubbed = _rowcount(
            session,
            update(EvidenceRow)
            .where(EvidenceRow.document_id.in_(document_ids))
            .values(sentence="", document_id=None),
        )
        _rowcount(session, delete(DocumentRow).where(DocumentRow.id.in_(document_ids)))
        for document_id in document_ids:
            record_audit(
                session, organisation_id, actor, "document.purged", "document", document_id, at
            )
    return PurgeReport(organisation_id, cutoff, document_ids, scrubbed)


def _rowcount(session: Session, statement: Any) -> int:
    result = session.execute(statement, execution_options={"synchronize_session": False})
    return int(result.rowcount)  # type: ignore[attr-defined]


def _json_ready(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _json_ready(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
