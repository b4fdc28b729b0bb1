"""Initial schema: organisations, employees, documents, claims with evidence and history,
roles with their skills, and the audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-28

Written out in full (no imports from ``matcher.store.models``) so this revision keeps
creating the same schema after the models move on.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

METHODS = "('exact', 'alias', 'semantic', 'inferred', 'manual')"
AUTOINCREMENT = {"sqlite_autoincrement": True}  # never reuse an id (erased employees)


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), nullable=False)


def _at(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "organisations",
        _id(),
        sa.Column("name", sa.String(200), nullable=False),
        _at("created_at"),
        sa.Column("document_retention_days", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "document_retention_days > 0", name=op.f("ck_organisations_retention_positive")
        ),
        sa.PrimaryKeyConstraint("id", name="pk_organisations"),
        **AUTOINCREMENT,
    )
    op.create_table(
        "employees",
        _id(),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(100), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=True),
        sa.Column("team", sa.String(100), nullable=True),
        _at("created_at"),
        _fk("employees", "organisation_id", "organisations", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_employees"),
        sa.UniqueConstraint(
            "organisation_id", "external_id", name="uq_employees_organisation_id_external_id"
        ),
        **AUTOINCREMENT,
    )
    op.create_index("ix_employees_organisation_id", "employees", ["organisation_id"])

    op.create_table(
        "documents",
        _id(),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        _at("uploaded_at"),
        sa.CheckConstraint("kind IN ('cv', 'vacancy', 'text')", name=op.f("ck_documents_kind")),
        _fk("documents", "employee_id", "employees", "CASCADE"),
        _fk("documents", "organisation_id", "organisations", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
        **AUTOINCREMENT,
    )
    op.create_index("ix_documents_employee_id", "documents", ["employee_id"])
    op.create_index(
        "ix_documents_organisation_uploaded", "documents", ["organisation_id", "uploaded_at"]
    )

    op.create_table(
        "claims",
        _id(),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("skill_uri", sa.String(255), nullable=False),
        sa.Column("label", sa.String(255), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("proficiency", sa.Integer(), nullable=True),
        sa.Column("proficiency_source", sa.String(16), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("method", sa.String(16), nullable=False),
        _at("first_seen"),
        sa.Column("last_used", sa.Date(), nullable=True),
        _at("confirmed_at", nullable=True),
        sa.Column("confirmed_by", sa.String(200), nullable=True),
        _at("updated_at"),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(f"method IN {METHODS}", name=op.f("ck_claims_method")),
        sa.CheckConstraint(
            "proficiency_source IN ('inferred', 'set')", name=op.f("ck_claims_prof_source")
        ),
        sa.CheckConstraint(
            "status IN ('suggested', 'confirmed', 'rejected')", name=op.f("ck_claims_status")
        ),
        sa.CheckConstraint(
            "confidence >= 0 AND confidence <= 1", name=op.f("ck_claims_confidence_range")
        ),
        sa.CheckConstraint("proficiency BETWEEN 1 AND 4", name=op.f("ck_claims_proficiency_range")),
        _fk("claims", "employee_id", "employees", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_claims"),
        sa.UniqueConstraint("employee_id", "skill_uri", name="uq_claims_employee_id_skill_uri"),
        **AUTOINCREMENT,
    )
    op.create_index("ix_claims_skill_uri", "claims", ["skill_uri"])

    op.create_table(
        "evidence",
        _id(),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sentence", sa.Text(), nullable=False),
        sa.Column("section", sa.String(32), nullable=False),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        _at("extracted_at"),
        sa.CheckConstraint(f"method IN {METHODS}", name=op.f("ck_evidence_method")),
        _fk("evidence", "claim_id", "claims", "CASCADE"),
        _fk("evidence", "document_id", "documents", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_evidence"),
        sa.UniqueConstraint(
            "claim_id",
            "document_id",
            "start",
            "end",
            name="uq_evidence_claim_id_document_id_start_end",
        ),
        **AUTOINCREMENT,
    )
    op.create_index("ix_evidence_document_id", "evidence", ["document_id"])

    op.create_table(
        "claim_events",
        _id(),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("skill_uri", sa.String(255), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("proficiency", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(200), nullable=False),
        _at("at"),
        sa.CheckConstraint(
            "action IN ('suggested', 'confirmed', 'rejected', 'proficiency_set', 'removed')",
            name=op.f("ck_claim_events_action"),
        ),
        _fk("claim_events", "claim_id", "claims", "SET NULL"),
        _fk("claim_events", "employee_id", "employees", "CASCADE"),
        _fk("claim_events", "organisation_id", "organisations", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_claim_events"),
        **AUTOINCREMENT,
    )
    op.create_index("ix_claim_events_employee_id", "claim_events", ["employee_id"])
    op.create_index("ix_claim_events_organisation_at", "claim_events", ["organisation_id", "at"])

    op.create_table(
        "roles",
        _id(),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("source_document_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        _at("created_at"),
        _at("closed_at", nullable=True),
        sa.CheckConstraint(
            "kind IN ('vacancy', 'future_role', 'esco_occupation')", name=op.f("ck_roles_kind")
        ),
        sa.CheckConstraint(
            "status IN ('open', 'filled_internal', 'filled_external', 'closed')",
            name=op.f("ck_roles_status"),
        ),
        _fk("roles", "organisation_id", "organisations", "CASCADE"),
        _fk("roles", "source_document_id", "documents", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_roles"),
        **AUTOINCREMENT,
    )
    op.create_index("ix_roles_organisation_id", "roles", ["organisation_id"])

    op.create_table(
        "role_skills",
        sa.Column("role_id", sa.Integer(), nullable=False),
        sa.Column("skill_uri", sa.String(255), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("essential", sa.Boolean(), nullable=False),
        sa.CheckConstraint("weight >= 0", name=op.f("ck_role_skills_weight_positive")),
        _fk("role_skills", "role_id", "roles", "CASCADE"),
        sa.PrimaryKeyConstraint("role_id", "skill_uri", name="pk_role_skills"),
    )

    op.create_table(
        "audit_log",
        _id(),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(100), nullable=False),
        sa.Column("subject_type", sa.String(50), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        _at("at"),
        _fk("audit_log", "organisation_id", "organisations", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
        **AUTOINCREMENT,
    )
    op.create_index("ix_audit_log_organisation_at", "audit_log", ["organisation_id", "at"])


def downgrade() -> None:
    for table in (
        "audit_log",
        "role_skills",
        "roles",
        "claim_events",
        "evidence",
        "claims",
        "documents",
        "employees",
        "organisations",
    ):
        op.drop_table(table)
