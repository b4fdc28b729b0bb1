"""Background jobs: a small in-process thread pool, with status and progress in the database.

A job is a function ``work(progress) -> dict`` run on a worker thread; it reports with
``progress(done, total=None, failed=0)`` and may be cancelled between steps (``progress``
then raises ``JobCancelled``). Status lives in the ``jobs`` table so any worker process can
answer ``GET /jobs/{id}``; but the work itself runs in the process that accepted it, so a
restart marks the jobs it left unfinished as failed ("interrupted"), never as running forever.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from matcher.store import Database, NotFound
from service.models import JobRow

log = logging.getLogger("vaardig.service.jobs")

Progress = Callable[..., None]
Work = Callable[[Progress], dict[str, Any]]
PROGRESS_EVERY_S = 0.5  # at most two progress writes a second


class JobCancelled(Exception):
    """Raised inside a job's ``progress`` call once someone cancelled it."""


@dataclass(frozen=True)
class Job:
    id: str
    organisation_id: int
    kind: str
    status: str  # queued, running, done, failed, cancelled
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
    """Runs jobs on ``workers`` threads and records their progress."""

    def __init__(self, database: Database, workers: int = 1) -> None:
        self.database = database
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="vaardig-job")
        self._cancelled: set[str] = set()
        self._lock = threading.Lock()

    def recover(self) -> int:
        """Mark jobs left queued or running by a previous process as failed; returns how many."""

        def work(session: Session) -> int:
            result = session.execute(
                update(JobRow)
                .where(JobRow.status.in_(("queued", "running")))
                .values(
                    status="failed",
                    error="interrupted: the server restarted; submit the job again",
                    updated_at=datetime.now(UTC),
                )
            )
            return int(result.rowcount)  # type: ignore[attr-defined]

        return self.database.write(work)

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
        self._pool.submit(self._run, job.id, work, cleanup)
        return job

    def get(self, organisation_id: int, job_id: str) -> Job:
        """Raises ``NotFound`` for an unknown job or one of another organisation."""

        def work(session: Session) -> Job:
            row = session.get(JobRow, job_id)
            if row is None or row.organisation_id != organisation_id:
                raise NotFound("job", job_id)
            return _to_job(row)

        return self.database.read(work)

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
        """Ask a queued or running job to stop at its next progress report."""
        job = self.get(organisation_id, job_id)
        if not job.finished:
            with self._lock:
                self._cancelled.add(job_id)
        return job

    def shutdown(self, wait: bool = False) -> None:
        with self._lock:
            self._cancelled.update(self._running_ids())
        self._pool.shutdown(wait=wait, cancel_futures=True)

    def wait(self, organisation_id: int, job_id: str, timeout_s: float = 60.0) -> Job:
        """Poll until the job has finished (tests, the CLI). Raises ``TimeoutError``."""
        import time

        deadline = time.monotonic() + timeout_s
        while True:
            job = self.get(organisation_id, job_id)
            if job.finished:
                return job
            if time.monotonic() > deadline:
                raise TimeoutError(f"job {job_id} still {job.status} after {timeout_s:.0f} s")
            time.sleep(0.05)

    # -- worker side -----------------------------------------------------------------------

    def _running_ids(self) -> list[str]:
        return self.database.read(
            lambda s: list(
                s.scalars(select(JobRow.id).where(JobRow.status.in_(("queued", "running"))))
            )
        )

    def _set(self, job_id: str, **values: Any) -> None:
        values["updated_at"] = datetime.now(UTC)
        self.database.write(
            lambda s: s.execute(update(JobRow).where(JobRow.id == job_id).values(**values))
        )

    def _run(self, job_id: str, work: Work, cleanup: Callable[[], None] | None) -> None:
        import time

        last = 0.0

        def progress(done: int, total: int | None = None, failed: int = 0) -> None:
            nonlocal last
            if job_id in self._cancelled:
                raise JobCancelled(job_id)
            now = time.monotonic()
            if now - last >= PROGRESS_EVERY_S or (total is not None and done >= total):
                last = now
                self._set(job_id, done=done, total=total, failed=failed)

        try:
            if job_id in self._cancelled:
                raise JobCancelled(job_id)
            self._set(job_id, status="running")
            result = work(progress)
            self._set(
                job_id,
                status="done",
                result=json.dumps(result),
                done=result.get("done", 0),
                total=result.get("total"),
                failed=result.get("failed", 0),
            )
        except JobCancelled:
            self._set(job_id, status="cancelled", error="cancelled on request")
        except Exception as exc:  # a failed job must be reported, never kill the worker
            # The message may quote a document (an IngestError names the file): keep it out of
            # the log, and give the organisation its own job's message only.
            log.warning("job %s failed: %s", job_id, type(exc).__name__)
            self._set(job_id, status="failed", error=str(exc)[:2000])
        finally:
            with self._lock:
                self._cancelled.discard(job_id)
            if cleanup is not None:
                try:
                    cleanup()
                except OSError:
                    log.warning("job %s: could not clean up its temporary file", job_id)
