"""The passport store: organisations, employees, their documents and skill passports.

    store = PassportStore(Database.open(settings.effective_database_url))
    org = store.create_organisation("Transport Jansen BV")
    emp = store.add_employee(org.id, "emp-0042")
    report = store.build_passport_from_document(
        org.id, emp.id, filename="cv.pdf", content=raw, text=doc.text, lang=doc.lang,
        claims=extraction.claims,
    )
    store.set_claim_status(org.id, emp.id, uri, "confirmed", actor="hr@jansen.nl")
    store.passport(org.id, emp.id)  # -> Passport (plain dataclasses)

Every method is one transaction and takes the organisation id first: nothing of another
organisation can be read or changed through it (``NotFound``). Datetimes are aware UTC;
``at`` defaults to now. Concurrent writers of one passport are serialised and retried (see
``matcher.store.db``), so no claim is lost.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from extractor.claims import SkillClaim
from matcher.store import gdpr
from matcher.store.db import Database
from matcher.store.errors import AlreadyExists, Conflict, NotFound
from matcher.store.merge import (
    merge_into_passport,
    validate_claims,
    validate_proficiency,
    validate_skill_uri,
)
from matcher.store.models import (
    CLAIM_STATUSES,
    DOCUMENT_KINDS,
    ClaimEventRow,
    ClaimRow,
    DocumentRow,
    EmployeeRow,
    OrganisationRow,
)
from matcher.store.records import (
    Employee,
    ErasureReport,
    MergeReport,
    Organisation,
    Passport,
    PassportClaim,
    PurgeReport,
    StoredDocument,
)
from matcher.store.rows import (
    check_page,
    claim_row,
    document_row,
    employee_row,
    organisation_row,
    to_claim,
    to_document,
    to_employee,
    to_organisation,
    to_passport,
    utc,
)


class _Keep:
    """Marks a field ``update_employee`` leaves as it is (``None`` would clear it)."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP = _Keep()


class PassportStore:
    """Skill passports of the employees of many organisations, in one database."""

    def __init__(self, database: Database) -> None:
        self.database = database

    @classmethod
    def open(cls, url: str) -> PassportStore:
        """Connect to ``url`` (SQLite file or PostgreSQL) and upgrade its schema."""
        return cls(Database.open(url))

    # -- organisations -------------------------------------------------------------------

    def create_organisation(
        self, name: str, *, document_retention_days: int | None = None, at: datetime | None = None
    ) -> Organisation:
        _check_text("organisation name", name, 200)
        if document_retention_days is not None and document_retention_days < 1:
            raise ValueError(f"retention must be at least 1 day, got {document_retention_days}")
        row = OrganisationRow(
            name=name, created_at=utc(at), document_retention_days=document_retention_days
        )

        def work(session: Session) -> Organisation:
            session.add(row)
            session.flush()
            return to_organisation(row)

        return self.database.write(work)

    def list_organisations(self) -> list[tuple[Organisation, int]]:
        """Every organisation in this database, oldest first, with its number of employees
        (for operators: no personal data)."""

        def work(session: Session) -> list[tuple[Organisation, int]]:
            staff = (
                select(EmployeeRow.organisation_id, func.count(EmployeeRow.id).label("n"))
                .group_by(EmployeeRow.organisation_id)
                .subquery()
            )
            rows = session.execute(
                select(OrganisationRow, func.coalesce(staff.c.n, 0))
                .outerjoin(staff, staff.c.organisation_id == OrganisationRow.id)
                .order_by(OrganisationRow.id)
            )
            return [(to_organisation(org), int(n)) for org, n in rows]

        return self.database.read(work)

    def get_organisation(self, organisation_id: int) -> Organisation:
        """Raises ``NotFound`` ("organisation 7 does not exist")."""
        return self.database.read(lambda s: to_organisation(organisation_row(s, organisation_id)))

    def set_document_retention(self, organisation_id: int, days: int | None) -> Organisation:
        """Keep uploaded documents ``days`` days (``None``: until the employee is erased).

        ``purge_documents_older_than`` uses it when called without a period.

        Raises:
            NotFound: the organisation does not exist.
            ValueError: ``days`` below 1.
        """
        if days is not None and (isinstance(days, bool) or days < 1):
            raise ValueError(f"retention must be at least 1 day, got {days}")

        def work(session: Session) -> Organisation:
            row = organisation_row(session, organisation_id)
            row.document_retention_days = days
            session.flush()
            return to_organisation(row)

        return self.database.write(work)

    # -- employees -----------------------------------------------------------------------

    def add_employee(
        self,
        organisation_id: int,
        external_id: str,
        display_name: str | None = None,
        team: str | None = None,
        *,
        at: datetime | None = None,
    ) -> Employee:
        """Add an employee under a pseudonymous ``external_id``, unique in the organisation.

        Raises:
            NotFound: the organisation does not exist.
            AlreadyExists: the external id is taken in this organisation.
        """
        _check_text("external id", external_id, 100)
        when = utc(at)
        taken = AlreadyExists(
            f"employee {external_id!r} already exists in organisation {organisation_id}"
        )

        def work(session: Session) -> Employee:
            organisation_row(session, organisation_id)
            clash = select(EmployeeRow.id).where(
                EmployeeRow.organisation_id == organisation_id,
                EmployeeRow.external_id == external_id,
            )
            if session.scalar(clash) is not None:
                raise taken
            row = EmployeeRow(
                organisation_id=organisation_id,
                external_id=external_id,
                display_name=display_name,
                team=team,
                created_at=when,
            )
            session.add(row)
            try:
                session.flush()
            except IntegrityError as exc:  # a concurrent add of the same external id won
                raise taken from exc
            return to_employee(row)

        return self.database.write(work)

    def update_employee(
        self,
        organisation_id: int,
        employee: int | str,
        *,
        display_name: str | _Keep | None = KEEP,
        team: str | _Keep | None = KEEP,
    ) -> Employee:
        """Change an employee's display name and/or team (``None`` clears one; a field not
        given stays). The pseudonymous external id never changes.

        Raises:
            NotFound: no such employee in this organisation.
            ValueError: a value is too long, or nothing to change was given.
        """
        if display_name is KEEP and team is KEEP:
            raise ValueError("give a display_name, a team, or both")
        for what, value, longest in (("display name", display_name, 200), ("team", team, 100)):
            if isinstance(value, str) and not 0 < len(value.strip()) <= len(value) <= longest:
                raise ValueError(f"{what} must be 1–{longest} characters (send null to clear it)")

        def work(session: Session) -> Employee:
            row = employee_row(session, organisation_id, employee)
            if display_name is not KEEP:
                row.display_name = display_name  # type: ignore[assignment]
            if team is not KEEP:
                row.team = team  # type: ignore[assignment]
            session.flush()
            return to_employee(row)

        return self.database.write(work)

    def get_employee(self, organisation_id: int, employee: int | str) -> Employee:
        """By internal id (int) or external id (str). Raises ``NotFound``."""
        return self.database.read(lambda s: to_employee(employee_row(s, organisation_id, employee)))

    def list_employees(
        self, organisation_id: int, *, offset: int = 0, limit: int = 100
    ) -> list[Employee]:
        """Employees in order of creation."""
        check_page(offset, limit)

        def work(session: Session) -> list[Employee]:
            organisation_row(session, organisation_id)
            rows = session.scalars(
                select(EmployeeRow)
                .where(EmployeeRow.organisation_id == organisation_id)
                .order_by(EmployeeRow.id)
                .offset(offset)
                .limit(limit)
            )
            return [to_employee(row) for row in rows]

        return self.database.read(work)

    # -- documents -----------------------------------------------------------------------

    def add_document(
        self,
        organisation_id: int,
        employee_id: int | None,
        kind: str,
        filename: str,
        content: bytes,
        text: str,
        lang: str,
        *,
        at: datetime | None = None,
    ) -> StoredDocument:
        """Store an uploaded document: the original bytes and the text extracted from them.

        ``employee_id`` is None for vacancies. Raises ``NotFound`` (organisation, employee) or
        ``ValueError`` (unknown kind, a CV without an employee).
        """
        _check_document(kind, employee_id, filename, content, lang)
        when = utc(at)

        def work(session: Session) -> StoredDocument:
            employee = None
            if employee_id is not None:
                employee = employee_row(session, organisation_id, employee_id)
            else:
                organisation_row(session, organisation_id)
            row = _insert_document(
                session, organisation_id, employee, kind, filename, content, text, lang, when
            )
            return to_document(row)

        return self.database.write(work)

    def get_document(self, organisation_id: int, document_id: int) -> StoredDocument:
        """The document with its original ``content`` and extracted ``text``."""
        return self.database.read(
            lambda s: to_document(document_row(s, organisation_id, document_id), with_content=True)
        )

    def list_documents(
        self, organisation_id: int, *, employee_id: int | None = None
    ) -> list[StoredDocument]:
        """Document metadata (no content), oldest first; one employee's with ``employee_id``."""

        def work(session: Session) -> list[StoredDocument]:
            query = select(DocumentRow).where(DocumentRow.organisation_id == organisation_id)
            if employee_id is not None:
                employee = employee_row(session, organisation_id, employee_id)
                query = query.where(DocumentRow.employee_id == employee.id)
            else:
                organisation_row(session, organisation_id)
            return [to_document(row) for row in session.scalars(query.order_by(DocumentRow.id))]

        return self.database.read(work)

    def find_documents(
        self, organisation_id: int, content: bytes, kind: str = "cv"
    ) -> list[StoredDocument]:
        """The organisation's stored documents of ``kind`` with exactly these bytes (by
        SHA-256), oldest first: an upload that is already in a passport."""
        digest = hashlib.sha256(content).hexdigest()

        def work(session: Session) -> list[StoredDocument]:
            query = select(DocumentRow).where(
                DocumentRow.organisation_id == organisation_id,
                DocumentRow.kind == kind,
                DocumentRow.sha256 == digest,
            )
            return [to_document(row) for row in session.scalars(query.order_by(DocumentRow.id))]

        return self.database.read(work)

    # -- claims --------------------------------------------------------------------------

    def merge_claims(
        self,
        organisation_id: int,
        employee_id: int,
        document_id: int,
        claims: Sequence[SkillClaim],
        *,
        at: datetime | None = None,
        last_used: Mapping[str, date] | None = None,
        proficiency: Mapping[str, int] | None = None,
    ) -> MergeReport:
        """Merge claims extracted from a stored document of this employee into their passport.

        See ``matcher.store.merge`` for the rules (no duplicates, rejected stays rejected,
        confirmed stays confirmed, inferred never overwrites evidenced).

        Raises:
            NotFound: organisation, employee, or a document that is not this employee's.
            ValueError: a malformed claim (nothing is written).
        """
        claims = list(claims)
        validate_claims(claims)
        when = utc(at)

        def work(session: Session) -> MergeReport:
            employee = employee_row(session, organisation_id, employee_id, lock=True)
            document = document_row(session, organisation_id, document_id)
            if document.employee_id != employee.id:
                raise NotFound("document", document_id, f"the documents of employee {employee.id}")
            return merge_into_passport(
                session,
                employee,
                document,
                claims,
                when,
                last_used=last_used,
                proficiency=proficiency,
            )

        return self.database.write(work, retry_integrity=True)

    def build_passport_from_document(
        self,
        organisation_id: int,
        employee_id: int,
        *,
        filename: str,
        content: bytes,
        text: str,
        lang: str,
        claims: Iterable[SkillClaim],
        kind: str = "cv",
        at: datetime | None = None,
        last_used: Mapping[str, date] | None = None,
        proficiency: Mapping[str, int] | None = None,
    ) -> MergeReport:
        """Store an uploaded document and merge its claims, in ONE transaction.

        ``claims`` is consumed once, inside the transaction and after the document is
        written: if it raises (extraction failed half-way), or the process dies, nothing of
        this upload is kept and the previous passport is untouched.
        """
        _check_document(kind, employee_id, filename, content, lang)
        when = utc(at)
        consumed: list[SkillClaim] | None = None

        def work(session: Session) -> MergeReport:
            nonlocal consumed
            employee = employee_row(session, organisation_id, employee_id, lock=True)
            document = _insert_document(
                session, organisation_id, employee, kind, filename, content, text, lang, when
            )
            if consumed is None:  # a retry reuses what the first attempt consumed
                consumed = list(claims)
                validate_claims(consumed)
            return merge_into_passport(
                session,
                employee,
                document,
                consumed,
                when,
                last_used=last_used,
                proficiency=proficiency,
            )

        return self.database.write(work, retry_integrity=True)

    def set_claim_status(
        self,
        organisation_id: int,
        employee_id: int,
        skill_uri: str,
        status: str,
        actor: str,
        *,
        expected_version: int | None = None,
        at: datetime | None = None,
    ) -> PassportClaim:
        """A person confirms or rejects a claim (or sets it back to "suggested").

        With ``expected_version`` (the ``version`` the person saw), refuses to overwrite a
        change made since: raises ``Conflict``. Setting the status it already has is a no-op.
        """
        if status not in CLAIM_STATUSES:
            raise ValueError(f"status must be one of {CLAIM_STATUSES}, got {status!r}")
        _check_text("actor", actor, 200)
        when = utc(at)

        def work(session: Session) -> PassportClaim:
            employee = employee_row(session, organisation_id, employee_id, lock=True)
            row = claim_row(session, employee, skill_uri)
            _check_version(row, expected_version)
            if row.status != status:
                row.status = status
                row.updated_at = when
                confirmed = status == "confirmed"
                row.confirmed_at = when if confirmed else None
                row.confirmed_by = actor if confirmed else None
                _add_event(session, employee, row, status, actor, when)
                session.flush()
            return to_claim(row)

        return self.database.write(work)

    def set_proficiency(
        self,
        organisation_id: int,
        employee_id: int,
        skill_uri: str,
        level: int,
        actor: str,
        *,
        expected_version: int | None = None,
        at: datetime | None = None,
    ) -> PassportClaim:
        """A person sets the proficiency (1 basic … 4 expert); later inferences keep off it.

        Raises ``ValueError`` for a level outside 1–4, ``NotFound``, or ``Conflict`` (see
        ``set_claim_status``).
        """
        level = validate_proficiency(level)
        _check_text("actor", actor, 200)
        when = utc(at)

        def work(session: Session) -> PassportClaim:
            employee = employee_row(session, organisation_id, employee_id, lock=True)
            row = claim_row(session, employee, skill_uri)
            _check_version(row, expected_version)
            row.proficiency, row.proficiency_source, row.updated_at = level, "set", when
            _add_event(session, employee, row, "proficiency_set", actor, when, proficiency=level)
            session.flush()
            return to_claim(row)

        return self.database.write(work)

    def add_manual_claim(
        self,
        organisation_id: int,
        employee_id: int,
        skill_uri: str,
        label: str,
        actor: str,
        *,
        proficiency: int | None = None,
        last_used: date | None = None,
        at: datetime | None = None,
    ) -> PassportClaim:
        """HR adds a skill by hand: a confirmed claim with method "manual" (confidence 1).

        If the skill is already in the passport, it is confirmed (even when it was rejected:
        the person adding it overrides that); its method and evidence stay.
        """
        validate_skill_uri(skill_uri)
        _check_text("label", label, 255)
        _check_text("actor", actor, 200)
        if proficiency is not None:
            validate_proficiency(proficiency)
        when = utc(at)

        def work(session: Session) -> PassportClaim:
            employee = employee_row(session, organisation_id, employee_id, lock=True)
            try:
                row = claim_row(session, employee, skill_uri)
            except NotFound:
                row = ClaimRow(
                    employee_id=employee.id,
                    skill_uri=skill_uri,
                    label=label,
                    status="suggested",
                    confidence=1.0,
                    method="manual",
                    first_seen=when,
                    updated_at=when,
                    evidence=[],
                )
                session.add(row)
            if row.status != "confirmed":
                row.status, row.confirmed_at, row.confirmed_by = "confirmed", when, actor
                row.updated_at = when
                session.flush()
                _add_event(session, employee, row, "confirmed", actor, when)
            if last_used is not None and (row.last_used is None or last_used > row.last_used):
                row.last_used = last_used
            if proficiency is not None:
                row.proficiency, row.proficiency_source = proficiency, "set"
                _add_event(session, employee, row, "proficiency_set", actor, when, proficiency)
            session.flush()
            return to_claim(row)

        return self.database.write(work, retry_integrity=True)

    # -- passports -----------------------------------------------------------------------

    def passport(self, organisation_id: int, employee: int | str) -> Passport:
        """The employee (by id or external id) with all claims and their evidence."""

        def work(session: Session) -> Passport:
            row = employee_row(session, organisation_id, employee)
            return to_passport(row, _claims_of(session, [row.id]).get(row.id, []))

        return self.database.read(work)

    def passports(
        self, organisation_id: int, employee_ids: Sequence[int] | None = None
    ) -> list[Passport]:
        """Passports of the given employees (all of the organisation's when None), in the
        order given (by employee id otherwise). Raises ``NotFound`` for an unknown id."""

        def work(session: Session) -> list[Passport]:
            organisation_row(session, organisation_id)
            query = select(EmployeeRow).where(EmployeeRow.organisation_id == organisation_id)
            if employee_ids is not None:
                query = query.where(EmployeeRow.id.in_(employee_ids))
            employees = {row.id: row for row in session.scalars(query)}
            order = list(employee_ids) if employee_ids is not None else sorted(employees)
            missing = [i for i in order if i not in employees]
            if missing:
                raise NotFound("employee", missing[0], f"organisation {organisation_id}")
            claims = _claims_of(session, order)
            return [to_passport(employees[i], claims.get(i, [])) for i in order]

        return self.database.read(work)

    # -- GDPR ----------------------------------------------------------------------------

    def erase_employee(
        self,
        organisation_id: int,
        employee_id: int,
        *,
        actor: str = "system",
        at: datetime | None = None,
    ) -> ErasureReport:
        """Right to erasure: delete the employee, passport, documents and history.

        Returns what was removed, so the caller can drop index entries (FAISS, caches) too.
        """
        when = utc(at)
        report = self.database.write(
            lambda s: gdpr.erase_employee(s, organisation_id, employee_id, actor, when)
        )
        self.database.compact_log()
        return report

    def export_employee(
        self,
        organisation_id: int,
        employee_id: int,
        *,
        actor: str = "system",
        include_content: bool = False,
        at: datetime | None = None,
    ) -> dict[str, Any]:
        """Right of access: everything about the employee as JSON-serialisable data."""
        when = utc(at)
        return self.database.write(
            lambda s: gdpr.export_employee(
                s, organisation_id, employee_id, actor, when, include_content=include_content
            )
        )

    def purge_documents_older_than(
        self,
        organisation_id: int,
        days: int | None = None,
        *,
        actor: str = "system",
        at: datetime | None = None,
    ) -> PurgeReport:
        """Retention: delete documents older than ``days`` (default: the organisation's
        ``document_retention_days``). Claims stay; see ``matcher.store.gdpr``."""
        when = utc(at)
        report = self.database.write(
            lambda s: gdpr.purge_documents(s, organisation_id, days, actor, when)
        )
        self.database.compact_log()
        return report


def _claims_of(session: Session, employee_ids: Sequence[int]) -> dict[int, list[ClaimRow]]:
    rows = session.scalars(
        select(ClaimRow)
        .where(ClaimRow.employee_id.in_(employee_ids))
        .options(selectinload(ClaimRow.evidence))
    )
    by_employee: dict[int, list[ClaimRow]] = {}
    for row in rows:
        by_employee.setdefault(row.employee_id, []).append(row)
    return by_employee


def _insert_document(
    session: Session,
    organisation_id: int,
    employee: EmployeeRow | None,
    kind: str,
    filename: str,
    content: bytes,
    text: str,
    lang: str,
    at: datetime,
) -> DocumentRow:
    row = DocumentRow(
        organisation_id=organisation_id,
        employee_id=employee.id if employee is not None else None,
        kind=kind,
        filename=filename,
        content=content,
        text=text,
        lang=lang,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        uploaded_at=at,
    )
    session.add(row)
    session.flush()
    return row


def _add_event(
    session: Session,
    employee: EmployeeRow,
    claim: ClaimRow,
    action: str,
    actor: str,
    at: datetime,
    proficiency: int | None = None,
) -> None:
    session.add(
        ClaimEventRow(
            organisation_id=employee.organisation_id,
            employee_id=employee.id,
            claim_id=claim.id,
            skill_uri=claim.skill_uri,
            action=action,
            proficiency=proficiency,
            actor=actor,
            at=at,
        )
    )


def _check_version(row: ClaimRow, expected: int | None) -> None:
    if expected is not None and row.version != expected:
        raise Conflict(
            f"claim {row.skill_uri} was changed since version {expected} "
            f"(now version {row.version}); reload the passport and try again"
        )


def _check_text(what: str, value: str, max_length: int) -> None:
    if not isinstance(value, str) or not value.strip() or len(value) > max_length:
        raise ValueError(f"{what} must be 1–{max_length} characters, got {value!r}")


def _check_document(
    kind: str, employee_id: int | None, filename: str, content: bytes, lang: str
) -> None:
    if kind not in DOCUMENT_KINDS:
        raise ValueError(f"document kind must be one of {DOCUMENT_KINDS}, got {kind!r}")
    if kind == "cv" and employee_id is None:
        raise ValueError("a CV belongs to an employee: pass employee_id")
    if not isinstance(content, bytes):
        raise ValueError(f"document content must be bytes, got {type(content).__name__}")
    _check_text("filename", filename, 255)
    _check_text("language", lang, 8)
