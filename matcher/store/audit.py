"""The audit log: who did what to which subject, by id only.

Entries name an actor (a user account or "system"), an action ("employee.erased"), and a
subject by type and numeric id. Never put names, external ids or document text in them: the
log outlives erasure, and ids of erased rows are never reused, so an entry can only ever refer
to what was there.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.store.db import Database
from matcher.store.models import AuditRow
from matcher.store.records import AuditEntry
from matcher.store.rows import check_page, organisation_row, to_audit, utc


def record_audit(
    session: Session,
    organisation_id: int,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: int | None,
    at: datetime,
) -> AuditRow:
    """Add an audit entry inside the caller's transaction (so it commits with the change)."""
    if not actor or not action or not subject_type:
        raise ValueError("an audit entry needs an actor, an action and a subject type")
    row = AuditRow(
        organisation_id=organisation_id,
        actor=actor,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        at=at,
    )
    session.add(row)
    return row


class AuditLog:
    """Append and read audit entries of one organisation at a time."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def log(
        self,
        organisation_id: int,
        actor: str,
        action: str,
        subject_type: str,
        subject_id: int | None = None,
        *,
        at: datetime | None = None,
    ) -> AuditEntry:
        """Record that ``actor`` did ``action`` to ``subject_type`` ``subject_id``.

        Raises:
            NotFound: the organisation does not exist.
        """
        when = utc(at)

        def work(session: Session) -> AuditEntry:
            organisation_row(session, organisation_id)
            row = record_audit(
                session, organisation_id, actor, action, subject_type, subject_id, when
            )
            session.flush()
            return to_audit(row)

        return self.database.write(work)

    def entries(
        self,
        organisation_id: int,
        *,
        subject_type: str | None = None,
        subject_id: int | None = None,
        offset: int = 0,
        limit: int = 100,
    ) -> list[AuditEntry]:
        """The organisation's entries, oldest first, optionally for one subject."""
        check_page(offset, limit)

        def work(session: Session) -> list[AuditEntry]:
            organisation_row(session, organisation_id)
            query = select(AuditRow).where(AuditRow.organisation_id == organisation_id)
            if subject_type is not None:
                query = query.where(AuditRow.subject_type == subject_type)
            if subject_id is not None:
                query = query.where(AuditRow.subject_id == subject_id)
            query = query.order_by(AuditRow.id).offset(offset).limit(limit)
            return [to_audit(row) for row in session.scalars(query)]

        return self.database.read(work)
