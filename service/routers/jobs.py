"""Background jobs of the caller's organisation: status, progress, cancellation."""

from __future__ import annotations

from fastapi import Query

from service.deps import CurrentPrincipal, State
from service.jobs import Job
from service.routing import api_router
from service.schemas.roles import JobOut

router = api_router(tags=["jobs"])


def job_out(job: Job) -> JobOut:
    progress = None
    if job.total:
        progress = round(min(job.done / job.total, 1.0), 4)
    elif job.status == "done":
        progress = 1.0
    return JobOut(
        id=job.id,
        kind=job.kind,
        status=job.status,  # type: ignore[arg-type]
        done=job.done,
        total=job.total,
        failed=job.failed,
        progress=progress,
        result=job.result,
        error=job.error,
        created_at=job.created_at,
        updated_at=job.updated_at,
    )


@router.get("/jobs", summary="The organisation's recent jobs, newest first")
def list_jobs(
    principal: CurrentPrincipal, state: State, limit: int = Query(default=50, ge=1, le=500)
) -> list[JobOut]:
    return [job_out(job) for job in state.jobs.list(principal.organisation_id, limit)]


@router.get("/jobs/{job_id}", summary="Status and progress of one job")
def get_job(job_id: str, principal: CurrentPrincipal, state: State) -> JobOut:
    return job_out(state.jobs.get(principal.organisation_id, job_id))


@router.delete("/jobs/{job_id}", summary="Cancel a job (it stops after its current batch)")
def cancel_job(job_id: str, principal: CurrentPrincipal, state: State) -> JobOut:
    return job_out(state.jobs.cancel(principal.organisation_id, job_id))
