"""The workflow's in-memory matching indexes in a server process, kept in step with the database.

``vaardig.workflow.Workflow`` keeps one passport index per organisation in this process
(``workflow.indexes``). Several worker processes share one database, so each passport change
made through the service also bumps a counter per organisation (table ``passport_versions``);
before matching, a process compares its index's counter with the database's and drops a stale
index (the workflow rebuilds it from the database on next use). A change made in this process
is applied to its own index at once, without a rebuild.

Changes made outside the service (the ``vaardig`` CLI writing to the same database) do not
bump the counter; restart the service, or change a passport through the API, to pick them up.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from matcher.store import Database
from service.models import PassportVersionRow
from vaardig.workflow import Workflow


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


class SyncedWorkflow:
    """This process's ``Workflow``, whose passport indexes follow the other processes."""

    def __init__(self, workflow: Workflow, database: Database) -> None:
        self.workflow = workflow
        self.database = database
        self._versions: dict[int, int] = {}
        self._lock = threading.Lock()

    @property
    def space(self):
        return self.workflow.space

    def for_organisation(self, organisation_id: int) -> Workflow:
        """The workflow, with the organisation's index dropped if another process changed a
        passport since it was built (the workflow rebuilds it when it needs it). The change
        may have been an erasure, so the extractor's phrase caches are emptied too."""
        current = read_version(self.database, organisation_id)
        with self._lock:
            if self._versions.get(organisation_id) != current:
                self.workflow.indexes.forget(organisation_id)
                if organisation_id in self._versions:  # a change since this process looked
                    self.workflow.engine.forget_cached_phrases()
                self._versions[organisation_id] = current
        return self.workflow

    def changed(self, organisation_id: int, employee_id: int, erased: bool = False) -> None:
        """Record a passport change: bump the shared counter, update this process's index."""
        new = bump_version(self.database, organisation_id)
        indexes = self.workflow.indexes
        with self._lock:
            if not indexes.is_loaded(organisation_id):
                self._versions[organisation_id] = new
                return
            if self._versions.get(organisation_id) != new - 1:
                indexes.forget(organisation_id)  # missed someone else's change: rebuild
                self._versions[organisation_id] = new
                return
            if erased:
                indexes.remove(organisation_id, employee_id)
            else:
                indexes.refresh(organisation_id, employee_id)
            self._versions[organisation_id] = new
