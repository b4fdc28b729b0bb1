"""Learning plans, KPI targets and the history the learning KPIs are computed from.

    learning = LearningStore(database)
    step = learning.add_step(org.id, emp.id, PlannedStep("rotation", "Rouleer mee in ..."))
    learning.mark_done(org.id, step.id, at=when)
    learning.set_target(org.id, "learners_share", minimum=0.8)
    history = learning.history(org.id)        # -> LearningHistory, for matcher.development.kpi

Like the other stores, every method is one transaction and takes the organisation id first;
another organisation's step is ``NotFound``, exactly like one that never existed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from matcher.store.db import Database
from matcher.store.models import (
    KPI_KEYS,
    STEP_KINDS,
    STEP_STATUSES,
    ClaimEventRow,
    ClaimRow,
    EmployeeRow,
    KpiTargetRow,
    LearningStepRow,
    RoleRow,
)
from matcher.store.records import (
    ClaimEvent,
    KpiTarget,
    LearningHistory,
    LearningStep,
    PlannedStep,
)
from matcher.store.rows import (
    employee_row,
    organisation_row,
    owned_row,
    record_of,
    role_row,
    to_employee,
    to_role,
    utc,
)

# A step planned without a date is due a quarter later: the rhythm of most development
# talks (gesprekscyclus) in Dutch SMEs, and short enough to stay concrete.
DEFAULT_STEP_DAYS = 91
MAX_TITLE = 500


class LearningStore:
    """Learning plans and KPI targets of each organisation."""

    def __init__(self, database: Database) -> None:
        self.database = database

    # -- plan steps ----------------------------------------------------------------------

    def add_steps(
        self,
        organisation_id: int,
        employee_id: int,
        steps: Sequence[PlannedStep],
        *,
        at: datetime | None = None,
    ) -> list[LearningStep]:
        """Add planned steps to an employee's plan, in one transaction.

        Raises:
            NotFound: the organisation, employee, mentor or role (within the organisation).
            ValueError: an unknown kind, an empty or over-long title, the employee as their
                own mentor, or a due date before the planning date.
        """
        when = utc(at)
        for step in steps:
            _check_step(step, employee_id, when)

        def work(session: Session) -> list[LearningStep]:
            employee = employee_row(session, organisation_id, employee_id)
            rows = []
            for step in steps:
                if step.mentor_id is not None:
                    employee_row(session, organisation_id, step.mentor_id)
                if step.role_id is not None:
                    role_row(session, organisation_id, step.role_id)
                row = LearningStepRow(
                    organisation_id=organisation_id,
                    employee_id=employee.id,
                    kind=step.kind,
                    title=step.title.strip(),
                    area_uri=step.area_uri,
                    skill_uri=step.skill_uri,
                    role_id=step.role_id,
                    mentor_id=step.mentor_id,
                    status="planned",
                    planned_at=when,
                    due=step.due or (when + timedelta(days=DEFAULT_STEP_DAYS)).date(),
                )
                session.add(row)
                rows.append(row)
            session.flush()
            return [to_step(row) for row in rows]

        return self.database.write(work)

    def add_step(
        self,
        organisation_id: int,
        employee_id: int,
        step: PlannedStep,
        *,
        at: datetime | None = None,
    ) -> LearningStep:
        """One step; see ``add_steps``."""
        return self.add_steps(organisation_id, employee_id, [step], at=at)[0]

    def get_step(self, organisation_id: int, step_id: int) -> LearningStep:
        """Raises ``NotFound`` ("learning step 5 does not exist in organisation 2")."""
        return self.database.read(lambda s: to_step(_step_row(s, organisation_id, step_id)))

    def mark_done(
        self, organisation_id: int, step_id: int, *, at: datetime | None = None
    ) -> LearningStep:
        """Mark a step done (``done_at`` = ``at``). Marking a done step again changes nothing.

        Raises ``ValueError`` for a cancelled step, ``NotFound`` for an unknown one.
        """
        return self._set_status(organisation_id, step_id, "done", utc(at))

    def cancel_step(
        self, organisation_id: int, step_id: int, *, at: datetime | None = None
    ) -> LearningStep:
        """Cancel a planned step: it no longer counts in the completion KPI."""
        return self._set_status(organisation_id, step_id, "cancelled", utc(at))

    def _set_status(
        self, organisation_id: int, step_id: int, status: str, when: datetime
    ) -> LearningStep:
        def work(session: Session) -> LearningStep:
            row = _step_row(session, organisation_id, step_id)
            if row.status == status:
                return to_step(row)
            if row.status != "planned":
                raise ValueError(f"learning step {step_id} is already {row.status}")
            if when < row.planned_at:
                raise ValueError(
                    f"learning step {step_id} was planned on {row.planned_at:%Y-%m-%d}; "
                    f"it cannot be {status} on {when:%Y-%m-%d}"
                )
            row.status = status
            row.done_at = when if status == "done" else None
            session.flush()
            return to_step(row)

        return self.database.write(work)

    def list_steps(
        self,
        organisation_id: int,
        *,
        employee_id: int | None = None,
        status: str | None = None,
    ) -> list[LearningStep]:
        """The organisation's steps (one employee's with ``employee_id``), by due date."""
        if status is not None and status not in STEP_STATUSES:
            raise ValueError(f"step status must be one of {STEP_STATUSES}, got {status!r}")

        def work(session: Session) -> list[LearningStep]:
            query = select(LearningStepRow).where(
                LearningStepRow.organisation_id == organisation_id
            )
            if employee_id is not None:
                employee = employee_row(session, organisation_id, employee_id)
                query = query.where(LearningStepRow.employee_id == employee.id)
            else:
                organisation_row(session, organisation_id)
            if status is not None:
                query = query.where(LearningStepRow.status == status)
            query = query.order_by(LearningStepRow.due, LearningStepRow.id)
            return [to_step(row) for row in session.scalars(query)]

        return self.database.read(work)

    # -- KPI targets ---------------------------------------------------------------------

    def targets(self, organisation_id: int) -> dict[str, KpiTarget]:
        """The organisation's stored targets by KPI key (KPIs without one are absent)."""

        def work(session: Session) -> dict[str, KpiTarget]:
            organisation_row(session, organisation_id)
            rows = session.scalars(
                select(KpiTargetRow).where(KpiTargetRow.organisation_id == organisation_id)
            )
            return {row.kpi: KpiTarget(row.kpi, row.minimum, row.must_rise) for row in rows}

        return self.database.read(work)

    def set_target(
        self,
        organisation_id: int,
        kpi: str,
        *,
        minimum: float | None = None,
        must_rise: bool = False,
        at: datetime | None = None,
    ) -> KpiTarget:
        """Set (or replace) one KPI's target. Raises ``ValueError`` for an unknown KPI, a
        negative minimum, or a target that asks nothing (no minimum and not ``must_rise``)."""
        target = validate_target(KpiTarget(kpi, minimum, must_rise))
        when = utc(at)

        def work(session: Session) -> KpiTarget:
            organisation_row(session, organisation_id)
            row = session.get(KpiTargetRow, (organisation_id, kpi))
            if row is None:
                row = KpiTargetRow(organisation_id=organisation_id, kpi=kpi)
                session.add(row)
            row.minimum, row.must_rise, row.updated_at = minimum, must_rise, when
            session.flush()
            return target

        return self.database.write(work, retry_integrity=True)

    def clear_target(self, organisation_id: int, kpi: str) -> bool:
        """Remove one KPI's stored target; True when there was one."""
        _check_kpi(kpi)

        def work(session: Session) -> bool:
            organisation_row(session, organisation_id)
            row = session.get(KpiTargetRow, (organisation_id, kpi))
            if row is None:
                return False
            session.delete(row)
            return True

        return self.database.write(work)

    # -- history -------------------------------------------------------------------------

    def history(self, organisation_id: int) -> LearningHistory:
        """Employees, passport events (oldest first), roles and plan steps of the organisation,
        read in one consistent snapshot: what ``matcher.development.kpi`` needs, and all it
        needs, so a KPI report is reproducible from the database alone."""

        def work(session: Session) -> LearningHistory:
            organisation_row(session, organisation_id)
            employees = session.scalars(
                select(EmployeeRow)
                .where(EmployeeRow.organisation_id == organisation_id)
                .order_by(EmployeeRow.id)
            )
            events = session.execute(
                select(
                    ClaimEventRow.employee_id,
                    ClaimEventRow.skill_uri,
                    ClaimEventRow.action,
                    ClaimEventRow.at,
                )
                .where(ClaimEventRow.organisation_id == organisation_id)
                .order_by(ClaimEventRow.at, ClaimEventRow.id)
            )
            roles = session.scalars(
                select(RoleRow)
                .where(RoleRow.organisation_id == organisation_id)
                .order_by(RoleRow.id)
                .options(selectinload(RoleRow.skills))
            )
            steps = session.scalars(
                select(LearningStepRow)
                .where(LearningStepRow.organisation_id == organisation_id)
                .order_by(LearningStepRow.id)
            )
            labels = session.execute(
                select(ClaimRow.skill_uri, ClaimRow.label)
                .join(EmployeeRow, EmployeeRow.id == ClaimRow.employee_id)
                .where(EmployeeRow.organisation_id == organisation_id)
            )
            return LearningHistory(
                organisation_id=organisation_id,
                employees=tuple(to_employee(row) for row in employees),
                events=tuple(ClaimEvent(*row) for row in events),
                roles=tuple(to_role(row) for row in roles),
                steps=tuple(to_step(row) for row in steps),
                skill_labels={uri: label for uri, label in labels},
            )

        return self.database.read(work)


def to_step(row: LearningStepRow) -> LearningStep:
    return record_of(LearningStep, row)


def validate_target(target: KpiTarget) -> KpiTarget:
    """The target itself, if it is one we can check; raises ``ValueError`` otherwise."""
    _check_kpi(target.kpi)
    if target.minimum is not None:
        if isinstance(target.minimum, bool) or not isinstance(target.minimum, int | float):
            raise ValueError(f"target for {target.kpi} must be a number, got {target.minimum!r}")
        if not 0 <= target.minimum < float("inf"):
            raise ValueError(f"target for {target.kpi} must be >= 0, got {target.minimum}")
    if target.minimum is None and not target.must_rise:
        raise ValueError(f"target for {target.kpi} needs a minimum, 'rising', or both")
    return target


def _check_kpi(kpi: str) -> None:
    if kpi not in KPI_KEYS:
        raise ValueError(f"unknown KPI {kpi!r}; the KPIs are {', '.join(KPI_KEYS)}")


def _check_step(step: PlannedStep, employee_id: int, when: datetime) -> None:
    if step.kind not in STEP_KINDS:
        raise ValueError(f"step kind must be one of {STEP_KINDS}, got {step.kind!r}")
    if not isinstance(step.title, str) or not step.title.strip() or len(step.title) > MAX_TITLE:
        raise ValueError(f"step title must be 1–{MAX_TITLE} characters, got {step.title!r}")
    if step.mentor_id is not None and step.mentor_id == employee_id:
        raise ValueError("an employee cannot be their own mentor")
    if step.due is not None:
        if not isinstance(step.due, date) or isinstance(step.due, datetime):
            raise ValueError(f"due must be a date, got {step.due!r}")
        if step.due < when.date():
            raise ValueError(
                f"due date {step.due.isoformat()} is before the planning date "
                f"{when.date().isoformat()}"
            )


def _step_row(session: Session, organisation_id: int, step_id: int) -> LearningStepRow:
    return owned_row(session, LearningStepRow, "learning step", organisation_id, step_id)
