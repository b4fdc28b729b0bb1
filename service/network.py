"""Regional networks of firms: membership, employee consent, and contact requests.

Every method takes the calling organisation first and treats anything it may not see (a
network it is not in, an employee of another firm, a request between two other firms) exactly
like something that does not exist: ``NotFound``.

Consent is per employee and network, recorded with its date and who recorded it; revoking sets
``revoked_at`` (a later consent is a new row, so the history stays until the employee is
erased, when the database cascades it away). Only employees with an active consent are ever
considered in cross-firm matching, and that is re-read at every match, so a revocation takes
effect for the next request.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from matcher.store import Conflict, Database, NotFound
from service.models import (
    ConsentRow,
    ContactRequestRow,
    NetworkMemberRow,
    NetworkRow,
    metadata,
)

_EMPLOYEES = metadata.tables["employees"]
_ROLES = metadata.tables["roles"]
_ORGANISATIONS = metadata.tables["organisations"]


@dataclass(frozen=True)
class Network:
    id: int
    name: str
    role: str  # the caller's role in it: "coordinator" or "member"
    members: int
    created_at: datetime


@dataclass(frozen=True)
class Member:
    organisation_id: int
    organisation_name: str
    role: str
    joined_at: datetime


@dataclass(frozen=True)
class Consent:
    id: int
    network_id: int
    employee_id: int
    given_at: datetime
    given_by: str
    revoked_at: datetime | None
    revoked_by: str | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class ContactRequest:
    id: int
    network_id: int
    from_organisation_id: int
    to_organisation_id: int
    role_id: int
    status: str
    created_at: datetime
    decided_at: datetime | None


def _hash_code(code: str) -> str:
    return hashlib.sha256(code.strip().encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def _to_consent(row: ConsentRow) -> Consent:
    return Consent(
        row.id,
        row.network_id,
        row.employee_id,
        row.given_at,
        row.given_by,
        row.revoked_at,
        row.revoked_by,
    )


def _to_request(row: ContactRequestRow) -> ContactRequest:
    return ContactRequest(
        row.id,
        row.network_id,
        row.from_organisation_id,
        row.to_organisation_id,
        row.role_id,
        row.status,
        row.created_at,
        row.decided_at,
    )


class NetworkStore:
    """Networks, memberships, consents and contact requests, in the service's tables."""

    def __init__(self, database: Database) -> None:
        self.database = database

    # -- networks ------------------------------------------------------------------------

    def create_network(self, organisation_id: int, name: str) -> tuple[Network, str]:
        """A new network with the caller as coordinator; returns it and its join code (shown
        once: other firms join with it)."""
        if not name.strip() or len(name) > 200:
            raise ValueError("network name must be 1–200 characters")
        code = f"join_{secrets.token_urlsafe(18)}"
        now = _now()

        def work(session: Session) -> Network:
            _organisation_exists(session, organisation_id)
            row = NetworkRow(name=name.strip(), join_code_hash=_hash_code(code), created_at=now)
            session.add(row)
            session.flush()
            session.add(
                NetworkMemberRow(
                    network_id=row.id,
                    organisation_id=organisation_id,
                    role="coordinator",
                    joined_at=now,
                )
            )
            session.flush()
            return _network(session, organisation_id, row.id)

        return self.database.write(work), code

    def join(self, organisation_id: int, join_code: str) -> Network:
        """Join the network whose code this is (idempotent). Raises ``NotFound``."""

        def work(session: Session) -> Network:
            _organisation_exists(session, organisation_id)
            row = session.scalar(
                select(NetworkRow).where(NetworkRow.join_code_hash == _hash_code(join_code))
            )
            if row is None:
                raise NotFound("network", "with this join code")
            if session.get(NetworkMemberRow, (row.id, organisation_id)) is None:
                session.add(
                    NetworkMemberRow(
                        network_id=row.id,
                        organisation_id=organisation_id,
                        role="member",
                        joined_at=_now(),
                    )
                )
                session.flush()
            return _network(session, organisation_id, row.id)

        return self.database.write(work, retry_integrity=True)

    def leave(self, organisation_id: int, network_id: int, actor: str) -> None:
        """Leave a network; the organisation's consents in it are revoked."""

        def work(session: Session) -> None:
            member = _membership(session, organisation_id, network_id)
            _revoke_where(
                session,
                actor,
                ConsentRow.network_id == network_id,
                ConsentRow.organisation_id == organisation_id,
            )
            session.delete(member)
            session.flush()

        self.database.write(work)

    def rotate_join_code(self, organisation_id: int, network_id: int) -> str:
        """A new join code (the old one stops working). Coordinators only."""
        code = f"join_{secrets.token_urlsafe(18)}"

        def work(session: Session) -> str:
            member = _membership(session, organisation_id, network_id)
            if member.role != "coordinator":
                raise PermissionError("only the network's coordinator can change its join code")
            session.get(NetworkRow, network_id).join_code_hash = _hash_code(code)  # type: ignore[union-attr]
            session.flush()
            return code

        return self.database.write(work)

    def networks(self, organisation_id: int) -> list[Network]:
        def work(session: Session) -> list[Network]:
            ids = session.scalars(
                select(NetworkMemberRow.network_id)
                .where(NetworkMemberRow.organisation_id == organisation_id)
                .order_by(NetworkMemberRow.network_id)
            ).all()
            return [_network(session, organisation_id, network_id) for network_id in ids]

        return self.database.read(work)

    def network(self, organisation_id: int, network_id: int) -> Network:
        """Raises ``NotFound`` unless the organisation is a member."""
        return self.database.read(lambda s: _network(s, organisation_id, network_id))

    def members(self, organisation_id: int, network_id: int) -> list[Member]:
        def work(session: Session) -> list[Member]:
            _membership(session, organisation_id, network_id)
            rows = session.execute(
                select(NetworkMemberRow, _ORGANISATIONS.c.name)
                .join(_ORGANISATIONS, _ORGANISATIONS.c.id == NetworkMemberRow.organisation_id)
                .where(NetworkMemberRow.network_id == network_id)
                .order_by(NetworkMemberRow.organisation_id)
            ).all()
            return [Member(m.organisation_id, name, m.role, m.joined_at) for m, name in rows]

        return self.database.read(work)

    # -- consent -------------------------------------------------------------------------

    def give_consent(
        self, organisation_id: int, employee_id: int, network_id: int, actor: str
    ) -> Consent:
        """Record that the employee consents to being matchable in the network (idempotent:
        an active consent is returned as is)."""

        def work(session: Session) -> Consent:
            _employee_exists(session, organisation_id, employee_id)
            _membership(session, organisation_id, network_id)
            active = _active_consent(session, employee_id, network_id)
            if active is not None:
                return _to_consent(active)
            row = ConsentRow(
                network_id=network_id,
                organisation_id=organisation_id,
                employee_id=employee_id,
                given_at=_now(),
                given_by=actor,
            )
            session.add(row)
            session.flush()
            return _to_consent(row)

        return self.database.write(work)

    def revoke_consent(
        self, organisation_id: int, employee_id: int, network_id: int, actor: str
    ) -> Consent:
        """Revoke the active consent. Raises ``NotFound`` when there is none."""

        def work(session: Session) -> Consent:
            _employee_exists(session, organisation_id, employee_id)
            _membership(session, organisation_id, network_id)
            active = _active_consent(session, employee_id, network_id)
            if active is None:
                raise NotFound("consent", f"of employee {employee_id} in network {network_id}")
            active.revoked_at, active.revoked_by = _now(), actor
            session.flush()
            return _to_consent(active)

        return self.database.write(work)

    def consents(self, organisation_id: int, employee_id: int) -> list[Consent]:
        """Every consent of the employee, given and revoked, oldest first."""

        def work(session: Session) -> list[Consent]:
            _employee_exists(session, organisation_id, employee_id)
            rows = session.scalars(
                select(ConsentRow)
                .where(
                    ConsentRow.employee_id == employee_id,
                    ConsentRow.organisation_id == organisation_id,
                )
                .order_by(ConsentRow.id)
            )
            return [_to_consent(row) for row in rows]

        return self.database.read(work)

    def consenting_employees(self, network_id: int, organisation_id: int) -> list[int]:
        """Ids of the organisation's employees with an active consent in the network."""
        return self.database.read(
            lambda s: list(
                s.scalars(
                    select(ConsentRow.employee_id)
                    .where(
                        ConsentRow.network_id == network_id,
                        ConsentRow.organisation_id == organisation_id,
                        ConsentRow.revoked_at.is_(None),
                    )
                    .order_by(ConsentRow.employee_id)
                    .distinct()
                )
            )
        )

    # -- contact requests ----------------------------------------------------------------

    def request_contact(
        self,
        organisation_id: int,
        network_id: int,
        to_organisation_id: int,
        role_id: int,
        actor: str,
    ) -> ContactRequest:
        """Ask another member firm for contact about one of our roles. Asking again returns
        the existing request."""
        if to_organisation_id == organisation_id:
            raise ValueError("a contact request goes to another organisation in the network")

        def work(session: Session) -> ContactRequest:
            _membership(session, organisation_id, network_id)
            if session.get(NetworkMemberRow, (network_id, to_organisation_id)) is None:
                raise NotFound("organisation", to_organisation_id, f"network {network_id}")
            _role_exists(session, organisation_id, role_id)
            existing = session.scalar(
                select(ContactRequestRow).where(
                    ContactRequestRow.network_id == network_id,
                    ContactRequestRow.from_organisation_id == organisation_id,
                    ContactRequestRow.to_organisation_id == to_organisation_id,
                    ContactRequestRow.role_id == role_id,
                )
            )
            if existing is not None:
                return _to_request(existing)
            row = ContactRequestRow(
                network_id=network_id,
                from_organisation_id=organisation_id,
                to_organisation_id=to_organisation_id,
                role_id=role_id,
                status="pending",
                created_at=_now(),
                created_by=actor,
            )
            session.add(row)
            try:
                session.flush()
            except IntegrityError as exc:  # a concurrent identical request won
                raise Conflict("this contact request was just made; reload") from exc
            return _to_request(row)

        return self.database.write(work, retry_integrity=True)

    def contact_requests(self, organisation_id: int) -> list[ContactRequest]:
        """Requests the organisation sent or received, newest first."""

        def work(session: Session) -> list[ContactRequest]:
            rows = session.scalars(
                select(ContactRequestRow)
                .where(
                    or_(
                        ContactRequestRow.from_organisation_id == organisation_id,
                        ContactRequestRow.to_organisation_id == organisation_id,
                    )
                )
                .order_by(ContactRequestRow.id.desc())
            )
            return [_to_request(row) for row in rows]

        return self.database.read(work)

    def contact_request(self, organisation_id: int, request_id: int) -> ContactRequest:
        """Raises ``NotFound`` unless the organisation sent or received it."""
        return self.database.read(
            lambda s: _to_request(_request_row(s, organisation_id, request_id))
        )

    def decide(
        self, organisation_id: int, request_id: int, accept: bool, actor: str
    ) -> ContactRequest:
        """The receiving firm accepts or declines a pending request.

        Raises ``NotFound`` (not the receiver) or ``Conflict`` (already decided).
        """

        def work(session: Session) -> ContactRequest:
            row = _request_row(session, organisation_id, request_id)
            if row.to_organisation_id != organisation_id:
                raise PermissionError("only the firm that received a request can answer it")
            if row.status != "pending":
                raise Conflict(f"contact request {request_id} is already {row.status}")
            _membership(session, organisation_id, row.network_id)
            row.status = "accepted" if accept else "declined"
            row.decided_at, row.decided_by = _now(), actor
            session.flush()
            return _to_request(row)

        return self.database.write(work)

    def withdraw(self, organisation_id: int, request_id: int, actor: str) -> ContactRequest:
        """The sending firm withdraws its request (the other firm's candidates disappear)."""

        def work(session: Session) -> ContactRequest:
            row = _request_row(session, organisation_id, request_id)
            if row.from_organisation_id != organisation_id:
                raise PermissionError("only the firm that sent a request can withdraw it")
            if row.status != "withdrawn":
                row.status, row.decided_at, row.decided_by = "withdrawn", _now(), actor
                session.flush()
            return _to_request(row)

        return self.database.write(work)

    def accepted_request(
        self, network_id: int, from_organisation_id: int, to_organisation_id: int, role_id: int
    ) -> ContactRequest | None:
        def work(session: Session) -> ContactRequest | None:
            row = session.scalar(
                select(ContactRequestRow).where(
                    ContactRequestRow.network_id == network_id,
                    ContactRequestRow.from_organisation_id == from_organisation_id,
                    ContactRequestRow.to_organisation_id == to_organisation_id,
                    ContactRequestRow.role_id == role_id,
                )
            )
            return None if row is None else _to_request(row)

        return self.database.read(work)


# -- lookups inside a transaction ------------------------------------------------------------


def _organisation_exists(session: Session, organisation_id: int) -> None:
    found = session.scalar(
        select(_ORGANISATIONS.c.id).where(_ORGANISATIONS.c.id == organisation_id)
    )
    if found is None:
        raise NotFound("organisation", organisation_id)


def _employee_exists(session: Session, organisation_id: int, employee_id: int) -> None:
    found = session.scalar(
        select(_EMPLOYEES.c.id).where(
            and_(_EMPLOYEES.c.id == employee_id, _EMPLOYEES.c.organisation_id == organisation_id)
        )
    )
    if found is None:
        raise NotFound("employee", employee_id)


def _role_exists(session: Session, organisation_id: int, role_id: int) -> None:
    found = session.scalar(
        select(_ROLES.c.id).where(
            and_(_ROLES.c.id == role_id, _ROLES.c.organisation_id == organisation_id)
        )
    )
    if found is None:
        raise NotFound("role", role_id)


def _membership(session: Session, organisation_id: int, network_id: int) -> NetworkMemberRow:
    row = session.get(NetworkMemberRow, (network_id, organisation_id))
    if row is None:
        raise NotFound("network", network_id)
    return row


def _network(session: Session, organisation_id: int, network_id: int) -> Network:
    member = _membership(session, organisation_id, network_id)
    row = session.get(NetworkRow, network_id)
    assert row is not None  # a membership row keeps its network (ON DELETE CASCADE)
    count = session.scalar(select(func.count()).where(NetworkMemberRow.network_id == network_id))
    return Network(row.id, row.name, member.role, int(count or 0), row.created_at)


def _active_consent(session: Session, employee_id: int, network_id: int) -> ConsentRow | None:
    return session.scalar(
        select(ConsentRow).where(
            ConsentRow.employee_id == employee_id,
            ConsentRow.network_id == network_id,
            ConsentRow.revoked_at.is_(None),
        )
    )


def _revoke_where(session: Session, actor: str, *conditions) -> None:
    for row in session.scalars(
        select(ConsentRow).where(*conditions, ConsentRow.revoked_at.is_(None))
    ):
        row.revoked_at, row.revoked_by = _now(), actor


def _request_row(session: Session, organisation_id: int, request_id: int) -> ContactRequestRow:
    row = session.get(ContactRequestRow, request_id)
    if row is None or organisation_id not in (row.from_organisation_id, row.to_organisation_id):
        raise NotFound("contact request", request_id)
    return row
