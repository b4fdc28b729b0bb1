"""The passport store's tables, as SQLAlchemy 2.x typed ORM classes.

These ``*Row`` classes stay inside ``matcher.store``; callers get plain dataclasses from
``matcher.store.records``. Every table is scoped to an organisation, directly or through its
employee, and every foreign key says what happens on delete, so erasing an employee (or an
organisation) is enforced by the database and not only by our code.

Timestamps are timezone-aware UTC on the Python side (``UtcDateTime``). Ids are never reused
(``sqlite_autoincrement``; PostgreSQL sequences never reuse), so an audit entry that names an
erased employee's id can never point at someone else later.

The schema itself is created by the Alembic migrations in ``migrations/``; a test checks that
they and these classes agree.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

CLAIM_STATUSES = ("suggested", "confirmed", "rejected")
CLAIM_METHODS = ("exact", "alias", "semantic", "inferred", "manual")
PROFICIENCY_SOURCES = ("inferred", "set")
CLAIM_ACTIONS = ("suggested", "confirmed", "rejected", "proficiency_set", "removed")
DOCUMENT_KINDS = ("cv", "vacancy", "text")
ROLE_KINDS = ("vacancy", "future_role", "esco_occupation")
ROLE_STATUSES = ("open", "filled_internal", "filled_external", "closed")

# Stable constraint names, so migrations can refer to them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
_TABLE_ARGS: dict[str, Any] = {"sqlite_autoincrement": True}


def _one_of(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({quoted})"


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out (SQLite stores them without a zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"datetime {value.isoformat()} has no timezone; pass an aware one")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class OrganisationRow(Base):
    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint("document_retention_days > 0", name="retention_positive"),
        _TABLE_ARGS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    document_retention_days: Mapped[int | None] = mapped_column(Integer)


class EmployeeRow(Base):
    __tablename__ = "employees"
    __table_args__ = (
        UniqueConstraint("organisation_id", "external_id"),
        _TABLE_ARGS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    external_id: Mapped[str] = mapped_column(String(100))  # pseudonymous, e.g. "emp-0042"
    display_name: Mapped[str | None] = mapped_column(String(200))
    team: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    claims: Mapped[list[ClaimRow]] = relationship(
        back_populates="employee", order_by="ClaimRow.id", passive_deletes=True
    )


class DocumentRow(Base):
    """An uploaded CV, vacancy or text: the original bytes and the text extraction saw.

    The bytes live in the database (not in files beside it) so that a document and the claims
    derived from it commit or roll back together, and erasure is one transaction that leaves no
    orphaned file behind.
    """

    __tablename__ = "documents"
    __table_args__ = (
        CheckConstraint(_one_of("kind", DOCUMENT_KINDS), name="kind"),
        Index("ix_documents_organisation_uploaded", "organisation_id", "uploaded_at"),
        _TABLE_ARGS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    employee_id: Mapped[int | None] = mapped_column(
        ForeignKey("employees.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    filename: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    text: Mapped[str] = mapped_column(Text, deferred=True)
    lang: Mapped[str] = mapped_column(String(8))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)  # bytes
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ClaimRow(Base):
    """One skill in one employee's passport. ``version`` guards against lost updates."""

    __tablename__ = "claims"
    __table_args__ = (
        UniqueConstraint("employee_id", "skill_uri"),
        CheckConstraint(_one_of("status", CLAIM_STATUSES), name="status"),
        CheckConstraint(_one_of("method", CLAIM_METHODS), name="method"),
        CheckConstraint("proficiency BETWEEN 1 AND 4", name="proficiency_range"),
        CheckConstraint(_one_of("proficiency_source", PROFICIENCY_SOURCES), name="prof_source"),
        CheckConstraint("confidence >= 0 AND confidence <= 1", name="confidence_range"),
        _TABLE_ARGS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"))
    skill_uri: Mapped[str] = mapped_column(String(255), index=True)
    label: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(16))
    proficiency: Mapped[int | None] = mapped_column(Integer)
    proficiency_source: Mapped[str | None] = mapped_column(String(16))
    confidence: Mapped[float] = mapped_column(Float)
    method: Mapped[str] = mapped_column(String(16))
    first_seen: Mapped[datetime] = mapped_column(UtcDateTime)
    last_used: Mapped[date | None] = mapped_column(Date)
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    confirmed_by: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer)

    employee: Mapped[EmployeeRow] = relationship(back_populates="claims")
    evidence: Mapped[list[EvidenceRow]] = relationship(
        back_populates="claim", order_by="EvidenceRow.id", passive_deletes=True
    )

    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version}


class EvidenceRow(Base):
    """Where a claim was found: a span of a stored document, how, and how sure.

    ``document_id`` becomes NULL when retention purges the document; the span text stays.
    """

    __tablename__ = "evidence"
    __table_args__ = (
        UniqueConstraint("claim_id", "document_id", "start", "end"),
        CheckConstraint(_one_of("method", CLAIM_METHODS), name="method"),
        _TABLE_ARGS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), index=True
    )
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    sentence: Mapped[str] = mapped_column(Text)
    section: Mapped[str] = mapped_column(String(32))
    method: Mapped[str] = mapped_column(String(16))
    confidence: Mapped[float] = mapped_column(Float)
    extracted_at: Mapped[datetime] = mapped_column(UtcDateTime)

    claim: Mapped[ClaimRow] = relationship(back_populates="evidence")


class ClaimEventRow(Base):
    """History of a passport (who confirmed what, when), the basis of learning KPIs.

    Keeps ``skill_uri`` itself so the history survives a removed claim.
    """

    __tablename__ = "claim_events"
    __table_args__ = (
        CheckConstraint(_one_of("action", CLAIM_ACTIONS), name="action"),
        Index("ix_claim_events_organisation_at", "organisation_id", "at"),
        _TABLE_ARGS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    employee_id: Mapped[int] = mapped_column(
        ForeignKey("employees.id", ondelete="CASCADE"), index=True
    )
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id", ondelete="SET NULL"))
    skill_uri: Mapped[str] = mapped_column(String(255))
    action: Mapped[str] = mapped_column(String(20))
    proficiency: Mapped[int | None] = mapped_column(Integer)  # for "proficiency_set"
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class RoleRow(Base):
    """A vacancy, a future role or an ESCO occupation: what the matcher matches people to."""

    __tablename__ = "roles"
    __table_args__ = (
        CheckConstraint(_one_of("kind", ROLE_KINDS), name="kind"),
        CheckConstraint(_one_of("status", ROLE_STATUSES), name="status"),
        _TABLE_ARGS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    source_document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    skills: Mapped[list[RoleSkillRow]] = relationship(
        order_by="RoleSkillRow.skill_uri", passive_deletes=True
    )


class RoleSkillRow(Base):
    __tablename__ = "role_skills"
    __table_args__ = (CheckConstraint("weight >= 0", name="weight_positive"),)

    role_id: Mapped[int] = mapped_column(
        ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True
    )
    skill_uri: Mapped[str] = mapped_column(String(255), primary_key=True)
    weight: Mapped[float] = mapped_column(Float)
    essential: Mapped[bool] = mapped_column(Boolean)


class AuditRow(Base):
    """Who did what to which subject. Ids only: never names, texts or external ids."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_organisation_at", "organisation_id", "at"),
        _TABLE_ARGS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100))
    subject_type: Mapped[str] = mapped_column(String(50))
    subject_id: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcDateTime)


STEP_KINDS = ("on_the_job", "rotation", "project", "colleague", "course")
STEP_STATUSES = ("planned", "done", "cancelled")
KPI_KEYS = (
    "learners_share",
    "new_skills_per_employee",
    "steps_completed_share",
    "internal_fill_rate",
    "future_gaps_closed_share",
)


class LearningStepRow(Base):
    """One planned step of an employee's learning plan (70-20-10: on the job, rotation,
    project; a colleague; a course), which HR marks done. The basis of the completion KPI.

    ``mentor_id`` points at the colleague to learn from; erasing that colleague sets it to NULL
    (the step stays the learner's). Titles are generated without names or external ids.
    """

    __tablename__ = "learning_steps"
    __table_args__ = (
        CheckConstraint(_one_of("kind", STEP_KINDS), name="kind"),
        CheckConstraint(_one_of("status", STEP_STATUSES), name="status"),
        Index("ix_learning_steps_organisation_due", "organisation_id", "due"),
        _TABLE_ARGS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    employee_id: Mapped[int] = mapped_column(
        ForeignKey("employees.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(500))
    area_uri: Mapped[str | None] = mapped_column(String(255))  # an ESCO skill group
    skill_uri: Mapped[str | None] = mapped_column(String(255))
    role_id: Mapped[int | None] = mapped_column(ForeignKey("roles.id", ondelete="SET NULL"))
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16))
    planned_at: Mapped[datetime] = mapped_column(UtcDateTime)
    due: Mapped[date] = mapped_column(Date)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class KpiTargetRow(Base):
    """An organisation's target for one learning KPI: a minimum value, and/or "must rise"
    (above the previous period's value)."""

    __tablename__ = "kpi_targets"
    __table_args__ = (
        CheckConstraint(_one_of("kpi", KPI_KEYS), name="kpi"),
        CheckConstraint("minimum IS NULL OR minimum >= 0", name="minimum_positive"),
    )

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    kpi: Mapped[str] = mapped_column(String(40), primary_key=True)
    minimum: Mapped[float | None] = mapped_column(Float)
    must_rise: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
