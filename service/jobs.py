"""Background jobs: a small in-process thread pool, with status and progress in the database.

A job is a function ``work(progress) -> dict`` run on a worker thread; it reports with
``progress(done, total=None, failed=0)``. Status lives in the ``jobs`` table, so any worker
process can answer ``GET /jobs/{id}`` and take a cancellation (``status = 'cancelling'``, seen
by the job at its next progress report). The work itself runs in the process that accepted
it: while it runs, that process touches ``updated_at`` every ``HEARTBEAT_S``; a queued or
running job whose heartbeat is older than ``STALE_AFTER_S`` belonged to a process that died,
and is marked failed ("interrupted") at the next start-up or when it is read.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from matcher.store import Database, NotFound
from service.models import JobRow

log = logging.getLogger("vaardig.service.jobs")

Progress = Callable[..., None]
Work = Callable[[Progress], dict[str, Any]]
PROGRESS_EVERY_S = 0.5  # at most two progress writes a second
HEARTBEAT_S = 10.0
STALE_AFTER_S = 60.0
ACTIVE = ("queued", "running", "cancelling")
INTERRUPTED = "interrupted: the server process stopped; submit the job again"


class JobCancelled(Exception):
    """Raised inside a job's ``progress`` call once someone cancelled it."""


@dataclass(frozen=True)
class Job:
    id: str
    organisation_id: int
    kind: str
    status: str  # queued, running, cancelling, done, failed, cancelled
    done: int
    total: int | None
    failed: int
    result: dict[str, Any] | None
    error: str | None
    created_at: datetime
    updated_at: datetime

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed", "cancelled")


def _to_job(row: JobRow) -> Job:
    return Job(
        row.id,
        row.organisation_id,
        row.kind,
        row.status,
        row.done,
        row.total,
        row.failed,
        json.loads(row.result) if row.result else None,
        row.error,
        row.created_at,
        row.updated_at,
    )


class JobRunner:
    """Runs jobs on ``workers`` threads of this process and records their progress."""

    def __init__(
        self, database: Database, workers: int = 1, stale_after_s: float = STALE_AFTER_S
    ) -> None:
        self.database = database
        self.stale_after_s = stale_after_s
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="vaardig-job")
        self._mine: set[str] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._heart = threading.Thread(target=self._beat, name="vaardig-job-heartbeat", daemon=True)
        self._heart.start()

    def recover(self) -> int:
        """Mark jobs whose process died (no heartbeat) as failed; returns how many."""
        return self.database.write(self._fail_stale)

    def submit(
        self,
        organisation_id: int,
        kind: str,
        actor: str,
        work: Work,
        cleanup: Callable[[], None] | None = None,
    ) -> Job:
        """Queue ``work``; ``cleanup`` runs after it whatever happens (e.g. delete a temp file)."""
        now = datetime.now(UTC)
        row = JobRow(
            id=uuid.uuid4().hex,
            organisation_id=organisation_id,
            kind=kind,
            status="queued",
            done=0,
            failed=0,
            created_by=actor,
            created_at=now,
            updated_at=now,
        )

        def insert(session: Session) -> Job:
            session.add(row)
            session.flush()
            return _to_job(row)

        job = self.database.write(insert)
        with self._lock:
            self._mine.add(job.id)
        self._pool.submit(self._run, job.id, work, cleanup)
        return job

    def get(self, organisation_id: int, job_id: str) -> Job:
        """Raises ``NotFound`` for an unknown job or one of another organisation."""

        def work(session: Session) -> Job:
            row = session.get(JobRow, job_id)
            if row is None or row.organisation_id != organisation_id:
                raise NotFound("job", job_id)
            return _to_job(row)

        job = self.database.read(work)
        if job.status in ACTIVE and self._is_stale(job.updated_at):
            self.recover()
            job = self.database.read(work)
        return job

    def list(self, organisation_id: int, limit: int = 50) -> list[Job]:
        def work(session: Session) -> list[Job]:
            query = (
                select(JobRow)
                .where(JobRow.organisation_id == organisation_id)
                .order_by(JobRow.created_at.desc())
                .limit(limit)
            )
            return [_to_job(row) for row in session.scalars(query)]

        return self.database.read(work)

    def cancel(self, organisation_id: int, job_id: str) -> Job:
        """Ask a queued or running job to stop at its next progress report (any process)."""
        self.get(organisation_id, job_id)
        self.database.write(
            lambda s: s.execute(
                update(JobRow)
                .where(JobRow.id == job_id, JobRow.status.in_(("queued", "running")))
                .values(status="cancelling")
            )
        )
        return self.get(organisation_id, job_id)

    def shutdown(self, wait: bool = False) -> None:
        """Stop taking work; running jobs stop at their next progress report."""
        self._stop.set()
        self._pool.shutdown(wait=wait, cancel_futures=True)

    def wait(self, organisation_id: int, job_id: str, timeout_s: float = 60.0) -> Job:
        """Poll until the job has finished (tests, the CLI). Raises ``TimeoutError``."""
        deadline = time.monotonic() + timeout_s
        while True:
            job = self.get(organisation_id, job_id)
            if job.finished:
                return job
            if time.monotonic() > deadline:
                raise TimeoutError(f"job {job_id} still {job.status} after {timeout_s:.0f} s")
            time.sleep(0.05)

    # -- worker side -----------------------------------------------------------------------

    def _is_stale(self, updated_at: datetime) -> bool:
        return updated_at < datetime.now(UTC) - timedelta(seconds=self.stale_after_s)

    def _fail_stale(self, session: Session) -> int:
        cutoff = datetime.now(UTC) - timedelta(seconds=self.stale_after_s)
        result = session.execute(
            update(JobRow)
            .where(JobRow.status.in_(ACTIVE), JobRow.updated_at < cutoff)
            .values(status="failed", error=INTERRUPTED, updated_at=datetime.now(UTC))
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    def _beat(self) -> None:
        while not self._stop.wait(HEARTBEAT_S):
            with self._lock:
                mine = list(self._mine)
            if mine:
                self.database.write(lambda s, ids=mine: self._touch(s, ids))

    @staticmethod
    def _touch(session: Session, job_ids: list[str]) -> None:
        session.execute(
            update(JobRow)
            .where(JobRow.id.in_(job_ids), JobRow.status.in_(ACTIVE))
            .values(updated_at=datetime.now(UTC))
        )

    def _set(self, job_id: str, only_if: tuple[str, ...] = ACTIVE, **values: Any) -> str | None:
        """Update the job if its status is in ``only_if``; return the status it had."""
        values["updated_at"] = datetime.now(UTC)

        def work(session: Session) -> str | None:
            status = session.scalar(select(JobRow.status).where(JobRow.id == job_id))
            if status in only_if:
                session.execute(update(JobRow).where(JobRow.id == job_id).values(**values))
            return status

        return self.database.write(work)

    def _run(self, job_id: str, work: Work, cleanup: Callable[[], None] | None) -> None:
        last = 0.0

        def progress(done: int, total: int | None = None, failed: int = 0) -> None:
            nonlocal last
            if self._stop.is_set():
                raise JobCancelled(job_id)
            now = time.monotonic()
            if now - last >= PROGRESS_EVERY_S or (total is not None and done >= total):
                last = now
                status = self._set(job_id, ("running",), done=done, total=total, failed=failed)
                if status != "running":
                    raise JobCancelled(job_id)

        try:
            if self._set(job_id, ("queued",), status="running") != "queued":
                raise JobCancelled(job_id)
            result = work(progress)
            finished = self._set(
                job_id,
                ("running",),
                status="done",
                result=json.dumps(result),
                done=result.get("done", 0),
                total=result.get("total"),
                failed=result.get("failed", 0),
            )
            if finished == "cancelling":  # cancelled after its last progress report
                raise JobCancelled(job_id)
        except JobCancelled:
            if self._stop.is_set():  # the process is shutting down, nobody asked
                self._set(job_id, status="failed", error=INTERRUPTED)
            else:
                self._set(job_id, status="cancelled", error="cancelled on request")
        except Exception as exc:  # a failed job must be reported, never kill the worker
            # The message may quote a document (an IngestError names the file): keep it out of
            # the log, and give the organisation its own job's message only.
            log.warning("job %s failed: %s", job_id, type(exc).__name__)
            self._set(job_id, status="failed", error=str(exc)[:2000])
        finally:
            with self._lock:
                self._mine.discard(job_id)
            if cleanup is not None:
                try:
                    cleanup()
                except OSError:
                    log.warning("job %s: could not clean up its temporary file", job_id)
