"""Roles people are matched to: vacancies, future roles and ESCO occupations, with the skills
each needs (a weight per skill, and whether it is essential).

A role is "open" until ``close_role`` records how it ended: "filled_internal" (one of our own
people, the outcome the KPIs count), "filled_external" or "closed".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from matcher.store.db import Database
from matcher.store.merge import validate_skill_uri
from matcher.store.models import ROLE_KINDS, ROLE_STATUSES, RoleRow, RoleSkillRow
from matcher.store.records import Role, RoleSkill
from matcher.store.rows import check_page, document_row, organisation_row, role_row, to_role, utc

CLOSED_STATUSES = tuple(status for status in ROLE_STATUSES if status != "open")


class RoleStore:
    """The roles of each organisation."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def add_role(
        self,
        organisation_id: int,
        kind: str,
        title: str,
        skills: Sequence[RoleSkill | tuple[str, float, bool]],
        *,
        source_document_id: int | None = None,
        at: datetime | None = None,
    ) -> Role:
        """Add an open role. ``skills`` are ``RoleSkill``s or ``(uri, weight, essential)``.

        Raises:
            NotFound: the organisation, or a source document not in it.
            ValueError: unknown kind, empty title, no skills, a skill twice, a weight < 0.
        """
        if kind not in ROLE_KINDS:
            raise ValueError(f"role kind must be one of {ROLE_KINDS}, got {kind!r}")
        if not title.strip() or len(title) > 300:
            raise ValueError(f"role title must be 1–300 characters, got {title!r}")
        needs = _role_skills(skills)
        when = utc(at)

        def work(session: Session) -> Role:
            organisation_row(session, organisation_id)
            if source_document_id is not None:
                document_row(session, organisation_id, source_document_id)
            row = RoleRow(
                organisation_id=organisation_id,
                kind=kind,
                title=title,
                source_document_id=source_document_id,
                status="open",
                created_at=when,
                skills=[
                    RoleSkillRow(skill_uri=n.skill_uri, weight=n.weight, essential=n.essential)
                    for n in needs
                ],
            )
            session.add(row)
            session.flush()
            return to_role(row)

        return self.database.write(work)

    def get_role(self, organisation_id: int, role_id: int) -> Role:
        """Raises ``NotFound`` ("role 5 does not exist in organisation 2")."""
        return self.database.read(lambda s: to_role(role_row(s, organisation_id, role_id)))

    def list_roles(
        self,
        organisation_id: int,
        *,
        status: str | None = None,
        kind: str | None = None,
        offset: int = 0,
        limit: int = 100,
    ) -> list[Role]:
        """The organisation's roles, oldest first, optionally of one status and kind."""
        check_page(offset, limit)
        if status is not None and status not in ROLE_STATUSES:
            raise ValueError(f"role status must be one of {ROLE_STATUSES}, got {status!r}")
        if kind is not None and kind not in ROLE_KINDS:
            raise ValueError(f"role kind must be one of {ROLE_KINDS}, got {kind!r}")

        def work(session: Session) -> list[Role]:
            organisation_row(session, organisation_id)
            query = select(RoleRow).where(RoleRow.organisation_id == organisation_id)
            if status is not None:
                query = query.where(RoleRow.status == status)
            if kind is not None:
                query = query.where(RoleRow.kind == kind)
            query = query.order_by(RoleRow.id).offset(offset).limit(limit)
            query = query.options(selectinload(RoleRow.skills))
            return [to_role(row) for row in session.scalars(query)]

        return self.database.read(work)

    def close_role(
        self, organisation_id: int, role_id: int, status: str, *, at: datetime | None = None
    ) -> Role:
        """Record how an open role ended: "filled_internal", "filled_external" or "closed".

        Raises ``ValueError`` for another status or a role that is already closed.
        """
        if status not in CLOSED_STATUSES:
            raise ValueError(f"a role closes as one of {CLOSED_STATUSES}, got {status!r}")
        when = utc(at)

        def work(session: Session) -> Role:
            row = role_row(session, organisation_id, role_id)
            if row.status != "open":
                raise ValueError(f"role {role_id} is already {row.status}")
            row.status, row.closed_at = status, when
            session.flush()
            return to_role(row)

        return self.database.write(work)


def _role_skills(skills: Sequence[RoleSkill | tuple[str, float, bool]]) -> list[RoleSkill]:
    needs = [s if isinstance(s, RoleSkill) else RoleSkill(*s) for s in skills]
    if not needs:
        raise ValueError("a role needs at least one skill")
    seen: set[str] = set()
    for need in needs:
        validate_skill_uri(need.skill_uri)
        if need.skill_uri in seen:
            raise ValueError(f"skill {need.skill_uri} is listed twice")
        if not need.weight >= 0:
            raise ValueError(f"weight of {need.skill_uri} must be >= 0, got {need.weight}")
        seen.add(need.skill_uri)
    return needs
