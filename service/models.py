"""The service's own tables, beside the passport store's in the same database.

API keys, regional networks, memberships, consents, contact requests and background jobs are
service concerns, so they live here on a separate ``MetaData`` with their own Alembic history
(``service/migrations``, version table ``service_alembic_version``), upgraded at start-up after
the store's. Foreign keys point into the store's tables with ``ON DELETE CASCADE``: erasing an
employee removes their consents in the same transaction, by the database.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from matcher.store.models import NAMING_CONVENTION, UtcDateTime
from matcher.store.models import Base as StoreBase

ROLES = ("admin", "hr", "recruiter", "network-coordinator")
MEMBER_ROLES = ("coordinator", "member")
REQUEST_STATUSES = ("pending", "accepted", "declined", "withdrawn")
TREND_SOURCES = ("feed", "records")
JOB_STATUSES = ("queued", "running", "cancelling", "done", "failed", "cancelled")
SERVICE_TABLES = (
    "api_keys",
    "networks",
    "network_members",
    "consents",
    "contact_requests",
    "jobs",
    "passport_versions",
    "trend_datasets",
)

metadata = MetaData(naming_convention=NAMING_CONVENTION)
# The store's tables we point at, copied so foreign keys resolve; never created from here.
for _name in ("organisations", "employees", "documents", "roles"):
    StoreBase.metadata.tables[_name].to_metadata(metadata)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class ServiceBase(DeclarativeBase):
    metadata = metadata


class ApiKeyRow(ServiceBase):
    """A key of one organisation. Only the SHA-256 of the key is stored; ``prefix`` finds it."""

    __tablename__ = "api_keys"
    __table_args__ = (
        CheckConstraint(_one_of("role", ROLES), name="role"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(32))
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class NetworkRow(ServiceBase):
    """A regional network of firms; organisations join with its (hashed) join code."""

    __tablename__ = "networks"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    join_code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class NetworkMemberRow(ServiceBase):
    __tablename__ = "network_members"
    __table_args__ = (CheckConstraint(_one_of("role", MEMBER_ROLES), name="role"),)

    network_id: Mapped[int] = mapped_column(
        ForeignKey("networks.id", ondelete="CASCADE"), primary_key=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(16))
    joined_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ConsentRow(ServiceBase):
    """An employee's consent to be matchable in a network. Revoking sets ``revoked_at``;
    a new consent is a new row, so the history of dates is kept (until erasure)."""

    __tablename__ = "consents"
    __table_args__ = (
        Index("ix_consents_network_employee", "network_id", "employee_id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"))
    given_at: Mapped[datetime] = mapped_column(UtcDateTime)
    given_by: Mapped[str] = mapped_column(String(200))
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked_by: Mapped[str | None] = mapped_column(String(200))


class ContactRequestRow(ServiceBase):
    """Firm A asks firm B to get in touch about A's role; B accepts or declines."""

    __tablename__ = "contact_requests"
    __table_args__ = (
        CheckConstraint(_one_of("status", REQUEST_STATUSES), name="status"),
        UniqueConstraint(
            "network_id",
            "from_organisation_id",
            "to_organisation_id",
            "role_id",
            name="uq_contact_requests_network_id",
        ),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    from_organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    to_organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    role_id: Mapped[int] = mapped_column(ForeignKey("roles.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(200))


class JobRow(ServiceBase):
    """A background job (a vacancy feed): status and progress, readable by its organisation."""

    __tablename__ = "jobs"
    __table_args__ = (CheckConstraint(_one_of("status", JOB_STATUSES), name="status"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    done: Mapped[int] = mapped_column(Integer)
    total: Mapped[int | None] = mapped_column(Integer)
    failed: Mapped[int] = mapped_column(Integer)
    result: Mapped[str | None] = mapped_column(Text)  # JSON
    error: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PassportVersionRow(ServiceBase):
    """A counter per organisation, bumped by every passport change made through the service, so
    each worker process can tell that its in-memory matching index is stale and rebuild it."""

    __tablename__ = "passport_versions"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(Integer)
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class TrendDatasetRow(ServiceBase):
    """Extracted vacancies an organisation uploaded for its skill-trend analysis (a feed after
    extraction, or records from ``vaardig batch``): ``data`` is the zlib-compressed JSON Lines
    of ``extractor.batch.VacancyRecord``s. Vacancy feeds hold no personal data; they are still
    kept per organisation and deleted with it (or on request)."""

    __tablename__ = "trend_datasets"
    __table_args__ = (
        CheckConstraint(_one_of("source", TREND_SOURCES), name="source"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(16))
    records: Mapped[int] = mapped_column(Integer)
    undated: Mapped[int] = mapped_column(Integer)
    duplicates: Mapped[int] = mapped_column(Integer)
    skipped: Mapped[int] = mapped_column(Integer)
    first_date: Mapped[str | None] = mapped_column(String(10))
    last_date: Mapped[str | None] = mapped_column(String(10))
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
