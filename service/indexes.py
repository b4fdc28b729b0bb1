"""The matcher's in-memory indexes in a server process, kept in step with the database.

``matcher.passport_index.PassportIndexes`` keeps one index per organisation in this process.
Several worker processes share one database, so each passport change made through the service
also bumps a counter per organisation (table ``passport_versions``); before answering a match,
a process compares its index's counter with the database's and rebuilds a stale one. A change
made in this process is applied to its own index at once (no rebuild).

Changes made outside the service (the ``vaardig`` CLI writing to the same database) do not
bump the counter; restart the service, or change a passport through the API, to pick them up.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from matcher.passport_index import PassportIndex, PassportIndexes
from matcher.role_index import RoleIndex
from matcher.roles import RoleProfile, occupation_roles, stored_role
from matcher.skills import SkillSpace
from matcher.store import Database, PassportStore, RoleStore
from service.models import PassportVersionRow


def read_version(database: Database, organisation_id: int) -> int:
    row = database.read(lambda s: s.get(PassportVersionRow, organisation_id))
    return row.version if row is not None else 0


def bump_version(database: Database, organisation_id: int) -> int:
    """Add one to the organisation's passport counter; returns the new value."""

    def work(session: Session) -> int:
        row = session.get(PassportVersionRow, organisation_id)
        now = datetime.now(UTC)
        if row is None:
            row = PassportVersionRow(organisation_id=organisation_id, version=1, changed_at=now)
            session.add(row)
        else:
            row.version, row.changed_at = row.version + 1, now
        session.flush()
        return row.version

    return database.write(work, retry_integrity=True)


class MatchingIndexes:
    """The skill space, the ESCO occupations as roles, and each organisation's passports."""

    def __init__(self, space: SkillSpace, database: Database, passports: PassportStore) -> None:
        self.space = space
        self.database = database
        self.store = passports
        self.passports = PassportIndexes(space, passports)
        self._versions: dict[int, int] = {}
        self._occupations: RoleIndex | None = None
        self._lock = threading.Lock()

    def passport_index(self, organisation_id: int) -> PassportIndex:
        """The organisation's index, rebuilt if another process changed a passport since."""
        current = read_version(self.database, organisation_id)
        with self._lock:
            if self._versions.get(organisation_id) != current:
                self.passports.forget(organisation_id)
            index = self.passports.get(organisation_id)
            self._versions[organisation_id] = current
            return index

    def occupations(self) -> RoleIndex:
        """ESCO occupations with their skills, as roles (built once per process)."""
        with self._lock:
            if self._occupations is None:
                self._occupations = RoleIndex(self.space, occupation_roles(self.space))
            return self._occupations

    def organisation_roles(self, roles: RoleStore, organisation_id: int) -> list[RoleProfile]:
        """The organisation's open roles as profiles (read fresh: roles are few)."""
        profiles, offset = [], 0
        while True:
            batch = roles.list_roles(organisation_id, status="open", offset=offset, limit=500)
            for role in batch:
                try:
                    profiles.append(stored_role(self.space, role))
                except ValueError:  # a role whose skills all left the taxonomy
                    continue
            if len(batch) < 500:
                return profiles
            offset += 500

    def changed(self, organisation_id: int, employee_id: int, erased: bool = False) -> None:
        """Record a passport change: bump the shared counter, update this process's index."""
        new = bump_version(self.database, organisation_id)
        with self._lock:
            if not self.passports.is_loaded(organisation_id):
                return
            if self._versions.get(organisation_id) != new - 1:
                self.passports.forget(organisation_id)  # missed someone else's change: rebuild
                return
            if erased:
                self.passports.remove(organisation_id, employee_id)
            else:
                self.passports.refresh(organisation_id, employee_id)
            self._versions[organisation_id] = new
