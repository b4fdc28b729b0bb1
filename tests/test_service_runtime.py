"""The service's runtime pieces on their own: request timeout, streamed body limit, the job
runner (progress, failure, cancellation, recovery after a restart), schema migrations."""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from matcher.store import Database, PassportStore
from service.jobs import JobRunner
from service.middleware import BodyLimitMiddleware, TimeoutMiddleware
from service.schema import upgrade_service_schema
from service.testing import new_organisation, scratch_app, state_of


def _slow_app(seconds: float):
    async def slow(request):
        await asyncio.sleep(seconds)
        return PlainTextResponse("late")

    async def echo(request):
        return PlainTextResponse(str(len(await request.body())))

    return Starlette(routes=[Route("/slow", slow), Route("/echo", echo, methods=["POST"])])


def test_a_request_that_takes_too_long_gets_a_504_with_the_error_body():
    client = TestClient(TimeoutMiddleware(_slow_app(2.0), seconds=0.2))
    t0 = time.perf_counter()
    response = client.get("/slow")
    assert response.status_code == 504
    assert response.json()["error"]["code"] == "timeout"
    assert time.perf_counter() - t0 < 1.5


def test_a_fast_request_is_untouched_by_the_timeout():
    client = TestClient(TimeoutMiddleware(_slow_app(0.0), seconds=5))
    assert client.get("/slow").text == "late"


def test_a_streamed_body_over_the_limit_is_cut_off_with_413():
    client = TestClient(BodyLimitMiddleware(_slow_app(0), max_bytes=1000))

    def chunks():
        for _ in range(10):
            yield b"x" * 500

    response = client.post("/echo", content=chunks())  # no Content-Length: chunked
    assert response.status_code == 413
    assert client.post("/echo", content=b"x" * 900).text == "900"


def test_a_path_can_have_its_own_body_limit():
    app = BodyLimitMiddleware(_slow_app(0), max_bytes=1000, per_path={"/echo": 5000})
    assert TestClient(app).post("/echo", content=b"x" * 4000).text == "4000"
    limited = BodyLimitMiddleware(_slow_app(0), max_bytes=1000)
    assert TestClient(limited).post("/echo", content=b"x" * 4000).status_code == 413


@pytest.fixture
def runner(tmp_path):
    database = Database.open(f"sqlite:///{tmp_path / 'db.sqlite'}")
    upgrade_service_schema(database)
    organisation = PassportStore(database).create_organisation("Org")
    runner = JobRunner(database, workers=1)
    yield runner, organisation.id
    runner.shutdown()
    database.close()


def test_a_job_reports_progress_and_its_result(runner):
    runner, org = runner
    seen = threading.Event()

    def work(progress):
        for i in range(1, 4):
            progress(i, 3)
        seen.set()
        return {"done": 3, "total": 3, "answer": 42}

    job = runner.submit(org, "test", "tester", work)
    finished = runner.wait(org, job.id, timeout_s=10)
    assert finished.status == "done" and finished.result["answer"] == 42
    assert (finished.done, finished.total) == (3, 3)


def test_a_failing_job_is_failed_with_its_message_and_cleans_up(runner):
    runner, org = runner
    cleaned = []

    def work(progress):
        raise ValueError("feed.jsonl: vacancy 3: no text")

    job = runner.submit(org, "test", "tester", work, cleanup=lambda: cleaned.append(True))
    finished = runner.wait(org, job.id, timeout_s=10)
    assert finished.status == "failed" and "vacancy 3" in finished.error
    assert cleaned == [True]


def test_a_job_can_be_cancelled_between_steps(runner):
    runner, org = runner
    started = threading.Event()

    def work(progress):
        started.set()
        for i in range(1000):
            progress(i, 1000)
            time.sleep(0.01)
        return {"done": 1000}

    job = runner.submit(org, "test", "tester", work)
    assert started.wait(5)
    runner.cancel(org, job.id)
    assert runner.wait(org, job.id, timeout_s=10).status == "cancelled"


def test_a_job_running_in_another_live_worker_is_left_alone(tmp_path):
    app = scratch_app(tmp_path)
    org, _ = new_organisation(app, "Org")
    state = state_of(app)
    blocker = threading.Event()
    job = state.jobs.submit(org.id, "feed", "tester", lambda progress: (blocker.wait(30), {})[1])
    _wait_for(lambda: state.jobs.get(org.id, job.id).status == "running")
    other_worker = scratch_app(tmp_path)  # another process starting on the same database
    assert state_of(other_worker).jobs.get(org.id, job.id).status == "running"
    state_of(other_worker).jobs.cancel(org.id, job.id)  # cancelling works from any worker
    blocker.set()
    assert state.jobs.wait(org.id, job.id, timeout_s=10).status == "cancelled"


def test_a_job_whose_process_died_is_marked_failed(tmp_path):
    from sqlalchemy import update

    from service.models import JobRow

    app = scratch_app(tmp_path)
    org, _ = new_organisation(app, "Org")
    state = state_of(app)
    job = state.jobs.submit(org.id, "feed", "tester", lambda progress: {"done": 0})
    state.jobs.wait(org.id, job.id)
    # what a SIGKILLed process leaves behind: "running", and no heartbeat for minutes
    state.database.write(
        lambda s: s.execute(
            update(JobRow)
            .where(JobRow.id == job.id)
            .values(status="running", updated_at=datetime.now(UTC) - timedelta(minutes=5))
        )
    )
    restarted = scratch_app(tmp_path)
    after = state_of(restarted).jobs.get(org.id, job.id)
    assert after.status == "failed" and "interrupted" in after.error


def _wait_for(condition, timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


# s0001 named its CHECK constraints twice over (``ck_jobs_ck_jobs_status``: the naming
# convention applied to a name that already was the full one); they stay as deployed. Later
# migrations name them with ``op.f()``, as the models do.
S0001_TABLES = {
    "api_keys",
    "networks",
    "network_members",
    "consents",
    "contact_requests",
    "jobs",
    "passport_versions",
}


def test_service_migrations_create_exactly_the_service_models(tmp_path, database_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import CheckConstraint, inspect

    from service.models import SERVICE_TABLES, metadata

    app = scratch_app(tmp_path, database_url=database_url)
    upgrade_service_schema(state_of(app).database)  # idempotent
    with state_of(app).database.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "include_object": lambda obj, name, type_, *_: (
                    type_ != "table" or name in SERVICE_TABLES
                ),
            },
        )
        assert compare_metadata(context, metadata) == []
        inspector = inspect(connection)
        for name in sorted(set(SERVICE_TABLES) - S0001_TABLES):  # alembic does not compare CHECKs
            checks = [
                c for c in metadata.tables[name].constraints if isinstance(c, CheckConstraint)
            ]
            in_database = {c["name"] for c in inspector.get_check_constraints(name)}
            assert in_database == {c.name for c in checks}, name
