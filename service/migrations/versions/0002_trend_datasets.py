"""Trend datasets: an organisation's extracted vacancies for skill-trend analysis.

Revision ID: s0002
Revises: s0001
Create Date: 2026-12-05

Written out in full (no imports from ``service.models``), like s0001.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "s0002"
down_revision: str | None = "s0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "trend_datasets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("undated", sa.Integer(), nullable=False),
        sa.Column("duplicates", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("first_date", sa.String(10), nullable=True),
        sa.Column("last_date", sa.String(10), nullable=True),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("source IN ('feed', 'records')", name=op.f("ck_trend_datasets_source")),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name="fk_trend_datasets_organisation_id_organisations",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_trend_datasets"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_trend_datasets_organisation_id", "trend_datasets", ["organisation_id"])


def downgrade() -> None:
    op.drop_table("trend_datasets")
