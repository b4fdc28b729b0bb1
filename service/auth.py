"""API keys per organisation (hashed at rest), roles, and signed login cookies.

A key looks like ``vrd_<prefix>_<secret>``. The prefix (random, not secret) finds the row; the
SHA-256 of the whole key is compared in constant time. Keys carry 190 random bits, so a fast
hash is enough (no password stretching needed). The plaintext is shown once, when created.

The web page logs in with a key and gets a cookie ``<key id>.<expiry>.<signature>`` (HMAC with
the server secret); every request re-checks that the key still exists and is not revoked, so
revoking a key ends its sessions at once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.store import Database, NotFound
from service.models import ROLES, ApiKeyRow

KEY_PREFIX = "vrd"

# What each role may do. Coordinators run network matches and manage networks, but never see
# passports; recruiters see passports and match, but do not change or erase them.
PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset(
        {"read", "write", "match", "roles", "gdpr", "keys", "settings", "audit"}
        | {"network", "network-admin", "consent"}
    ),
    "hr": frozenset({"read", "write", "match", "roles", "gdpr", "network", "consent"}),
    "recruiter": frozenset({"read", "match", "roles", "network"}),
    "network-coordinator": frozenset({"roles", "network", "network-admin"}),
}


@dataclass(frozen=True)
class Principal:
    """Who is calling: a key of one organisation, with its role."""

    key_id: int
    organisation_id: int
    role: str
    name: str

    @property
    def actor(self) -> str:
        """What audit entries and claim decisions record: the key id, never a person's name."""
        return f"api-key:{self.key_id}"

    def can(self, permission: str) -> bool:
        return permission in PERMISSIONS.get(self.role, frozenset())


@dataclass(frozen=True)
class ApiKey:
    id: int
    organisation_id: int
    name: str
    role: str
    prefix: str
    created_at: datetime
    revoked_at: datetime | None


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _to_key(row: ApiKeyRow) -> ApiKey:
    return ApiKey(
        row.id, row.organisation_id, row.name, row.role, row.prefix, row.created_at, row.revoked_at
    )


class KeyRing:
    """The API keys of all organisations."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def create(self, organisation_id: int, name: str, role: str) -> tuple[ApiKey, str]:
        """A new key; returns it with its plaintext (shown once, never stored).

        Raises ``ValueError`` for an unknown role or an empty name.
        """
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}, got {role!r}")
        if not name.strip() or len(name) > 100:
            raise ValueError("key name must be 1–100 characters")
        prefix = secrets.token_hex(6)
        plaintext = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(24)}"
        row = ApiKeyRow(
            organisation_id=organisation_id,
            name=name.strip(),
            role=role,
            prefix=prefix,
            key_hash=hash_key(plaintext),
            created_at=datetime.now(UTC),
        )

        def work(session: Session) -> ApiKey:
            session.add(row)
            session.flush()
            return _to_key(row)

        return self.database.write(work), plaintext

    def authenticate(self, plaintext: str) -> Principal | None:
        """The principal of a valid, unrevoked key; None for anything else."""
        parts = plaintext.split("_", 2)
        if len(parts) != 3 or parts[0] != KEY_PREFIX or len(plaintext) > 100:
            return None
        row = self.database.read(
            lambda s: s.scalar(select(ApiKeyRow).where(ApiKeyRow.prefix == parts[1]))
        )
        if row is None or row.revoked_at is not None:
            return None
        if not hmac.compare_digest(row.key_hash, hash_key(plaintext)):
            return None
        return Principal(row.id, row.organisation_id, row.role, row.name)

    def principal(self, key_id: int) -> Principal | None:
        """The principal of key ``key_id`` if it still exists and is not revoked."""
        row = self.database.read(lambda s: s.get(ApiKeyRow, key_id))
        if row is None or row.revoked_at is not None:
            return None
        return Principal(row.id, row.organisation_id, row.role, row.name)

    def list(self, organisation_id: int) -> list[ApiKey]:
        def work(session: Session) -> list[ApiKey]:
            query = select(ApiKeyRow).where(ApiKeyRow.organisation_id == organisation_id)
            return [_to_key(row) for row in session.scalars(query.order_by(ApiKeyRow.id))]

        return self.database.read(work)

    def revoke(self, organisation_id: int, key_id: int) -> ApiKey:
        """Revoke a key of this organisation (idempotent). Raises ``NotFound``."""

        def work(session: Session) -> ApiKey:
            row = session.get(ApiKeyRow, key_id)
            if row is None or row.organisation_id != organisation_id:
                raise NotFound("api key", key_id)
            if row.revoked_at is None:
                row.revoked_at = datetime.now(UTC)
            session.flush()
            return _to_key(row)

        return self.database.write(work)

    def organisation_ids(self) -> list[int]:
        """Organisations that have at least one key (those this service serves)."""
        return self.database.read(
            lambda s: sorted(set(s.scalars(select(ApiKeyRow.organisation_id))))
        )


# -- login cookies ---------------------------------------------------------------------------


def sign_session(secret: str, key_id: int, hours: float, now: float | None = None) -> str:
    expires = int((now if now is not None else time.time()) + hours * 3600)
    payload = f"{key_id}.{expires}"
    return f"{payload}.{_mac(secret, payload)}"


def read_session(secret: str, value: str, now: float | None = None) -> int | None:
    """The key id in a valid, unexpired session cookie; None otherwise."""
    parts = value.split(".")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    payload = f"{parts[0]}.{parts[1]}"
    if not hmac.compare_digest(parts[2], _mac(secret, payload)):
        return None
    if int(parts[1]) < (now if now is not None else time.time()):
        return None
    return int(parts[0])


def csrf_token(secret: str, session_value: str) -> str:
    """The form token that goes with a session cookie (double-submit, bound to the session)."""
    return _mac(secret, "csrf:" + session_value)


def _mac(secret: str, payload: str) -> str:
    return hmac.new(secret.encode(), payload.encode(), hashlib.sha256).hexdigest()[:40]
