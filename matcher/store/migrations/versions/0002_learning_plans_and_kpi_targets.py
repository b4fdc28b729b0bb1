"""Learning plans (planned 70-20-10 steps that can be marked done) and KPI targets.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28

Written out in full (no imports from ``matcher.store.models``) so this revision keeps
creating the same schema after the models move on.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None

STEP_KINDS = "('on_the_job', 'rotation', 'project', 'colleague', 'course')"
STEP_STATUSES = "('planned', 'done', 'cancelled')"
KPI_KEYS = (
    "('learners_share', 'new_skills_per_employee', 'steps_completed_share', "
    "'internal_fill_rate', 'future_gaps_closed_share')"
)


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "learning_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("area_uri", sa.String(255), nullable=True),
        sa.Column("skill_uri", sa.String(255), nullable=True),
        sa.Column("role_id", sa.Integer(), nullable=True),
        sa.Column("mentor_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("planned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(f"kind IN {STEP_KINDS}", name=op.f("ck_learning_steps_kind")),
        sa.CheckConstraint(f"status IN {STEP_STATUSES}", name=op.f("ck_learning_steps_status")),
        _fk("learning_steps", "employee_id", "employees", "CASCADE"),
        _fk("learning_steps", "mentor_id", "employees", "SET NULL"),
        _fk("learning_steps", "organisation_id", "organisations", "CASCADE"),
        _fk("learning_steps", "role_id", "roles", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_learning_steps"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_learning_steps_employee_id", "learning_steps", ["employee_id"])
    op.create_index(
        "ix_learning_steps_organisation_due", "learning_steps", ["organisation_id", "due"]
    )

    op.create_table(
        "kpi_targets",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("kpi", sa.String(40), nullable=False),
        sa.Column("minimum", sa.Float(), nullable=True),
        sa.Column("must_rise", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(f"kpi IN {KPI_KEYS}", name=op.f("ck_kpi_targets_kpi")),
        sa.CheckConstraint(
            "minimum IS NULL OR minimum >= 0", name=op.f("ck_kpi_targets_minimum_positive")
        ),
        _fk("kpi_targets", "organisation_id", "organisations", "CASCADE"),
        sa.PrimaryKeyConstraint("organisation_id", "kpi", name="pk_kpi_targets"),
    )


def downgrade() -> None:
    op.drop_table("kpi_targets")
    op.drop_table("learning_steps")
