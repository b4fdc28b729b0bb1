"""Service tables: API keys, networks, memberships, consents, contact requests, jobs,
passport versions.

Revision ID: s0001
Revises:
Create Date: 2026-11-28

Written out in full (no imports from ``service.models``) so this revision keeps creating the
same schema after the models move on.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "s0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

AUTOINCREMENT = {"sqlite_autoincrement": True}


def _at(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        _at("created_at"),
        _at("revoked_at", nullable=True),
        sa.CheckConstraint(
            "role IN ('admin', 'hr', 'recruiter', 'network-coordinator')",
            name="ck_api_keys_role",
        ),
        _fk("api_keys", "organisation_id", "organisations"),
        sa.PrimaryKeyConstraint("id", name="pk_api_keys"),
        sa.UniqueConstraint("prefix", name="uq_api_keys_prefix"),
        **AUTOINCREMENT,
    )
    op.create_index("ix_api_keys_organisation_id", "api_keys", ["organisation_id"])
    op.create_table(
        "networks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("join_code_hash", sa.String(64), nullable=False),
        _at("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_networks"),
        sa.UniqueConstraint("join_code_hash", name="uq_networks_join_code_hash"),
        **AUTOINCREMENT,
    )
    op.create_table(
        "network_members",
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        _at("joined_at"),
        sa.CheckConstraint("role IN ('coordinator', 'member')", name="ck_network_members_role"),
        _fk("network_members", "network_id", "networks"),
        _fk("network_members", "organisation_id", "organisations"),
        sa.PrimaryKeyConstraint("network_id", "organisation_id", name="pk_network_members"),
    )
    op.create_index("ix_network_members_organisation_id", "network_members", ["organisation_id"])
    op.create_table(
        "consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        _at("given_at"),
        sa.Column("given_by", sa.String(200), nullable=False),
        _at("revoked_at", nullable=True),
        sa.Column("revoked_by", sa.String(200), nullable=True),
        _fk("consents", "network_id", "networks"),
        _fk("consents", "organisation_id", "organisations"),
        _fk("consents", "employee_id", "employees"),
        sa.PrimaryKeyConstraint("id", name="pk_consents"),
        **AUTOINCREMENT,
    )
    op.create_index("ix_consents_network_employee", "consents", ["network_id", "employee_id"])
    op.create_index("ix_consents_organisation_id", "consents", ["organisation_id"])
    op.create_table(
        "contact_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("from_organisation_id", sa.Integer(), nullable=False),
        sa.Column("to_organisation_id", sa.Integer(), nullable=False),
        sa.Column("role_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        _at("created_at"),
        sa.Column("created_by", sa.String(200), nullable=False),
        _at("decided_at", nullable=True),
        sa.Column("decided_by", sa.String(200), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'accepted', 'declined', 'withdrawn')",
            name="ck_contact_requests_status",
        ),
        _fk("contact_requests", "network_id", "networks"),
        _fk("contact_requests", "from_organisation_id", "organisations"),
        _fk("contact_requests", "to_organisation_id", "organisations"),
        _fk("contact_requests", "role_id", "roles"),
        sa.PrimaryKeyConstraint("id", name="pk_contact_requests"),
        sa.UniqueConstraint(
            "network_id",
            "from_organisation_id",
            "to_organisation_id",
            "role_id",
            name="uq_contact_requests_network_id",
        ),
        **AUTOINCREMENT,
    )
    op.create_index(
        "ix_contact_requests_from_organisation_id", "contact_requests", ["from_organisation_id"]
    )
    op.create_index(
        "ix_contact_requests_to_organisation_id", "contact_requests", ["to_organisation_id"]
    )
    op.create_table(
        "jobs",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=True),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(200), nullable=False),
        _at("created_at"),
        _at("updated_at"),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'cancelling', 'done', 'failed', 'cancelled')",
            name="ck_jobs_status",
        ),
        _fk("jobs", "organisation_id", "organisations"),
        sa.PrimaryKeyConstraint("id", name="pk_jobs"),
    )
    op.create_index("ix_jobs_organisation_id", "jobs", ["organisation_id"])
    op.create_table(
        "passport_versions",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _at("changed_at"),
        _fk("passport_versions", "organisation_id", "organisations"),
        sa.PrimaryKeyConstraint("organisation_id", name="pk_passport_versions"),
    )


def downgrade() -> None:
    for table in (
        "passport_versions",
        "jobs",
        "contact_requests",
        "consents",
        "network_members",
        "networks",
        "api_keys",
    ):
        op.drop_table(table)
