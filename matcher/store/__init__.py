"""Persistent storage for passports, documents, roles and the audit log (SQLAlchemy).

SQLite (a file under the data directory) by default, PostgreSQL by URL; the schema is managed
by the Alembic migrations in ``migrations/``.

    db = Database.open(get_settings().effective_database_url)  # upgrades the schema
    passports, roles, audit = PassportStore(db), RoleStore(db), AuditLog(db)
    learning = LearningStore(db)  # learning plans, KPI targets, history for the KPIs

Everything handed out is a plain dataclass from ``records``; errors are in ``errors``.
"""

from matcher.store.audit import AuditLog
from matcher.store.db import Database, make_engine, upgrade_database
from matcher.store.errors import AlreadyExists, Conflict, NotFound, StoreError
from matcher.store.learning import LearningStore
from matcher.store.passports import PassportStore
from matcher.store.records import (
    AuditEntry,
    ClaimEvent,
    ClaimEvidence,
    Employee,
    ErasureReport,
    KpiTarget,
    LearningHistory,
    LearningStep,
    MergeReport,
    Organisation,
    Passport,
    PassportClaim,
    PlannedStep,
    PurgeReport,
    Role,
    RoleSkill,
    StoredDocument,
)
from matcher.store.roles import RoleStore

__all__ = [
    "AlreadyExists",
    "AuditEntry",
    "AuditLog",
    "ClaimEvent",
    "ClaimEvidence",
    "Conflict",
    "Database",
    "Employee",
    "ErasureReport",
    "KpiTarget",
    "LearningHistory",
    "LearningStep",
    "LearningStore",
    "MergeReport",
    "NotFound",
    "Organisation",
    "Passport",
    "PassportClaim",
    "PassportStore",
    "PlannedStep",
    "PurgeReport",
    "Role",
    "RoleSkill",
    "RoleStore",
    "StoreError",
    "StoredDocument",
    "make_engine",
    "upgrade_database",
]
