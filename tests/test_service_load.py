"""The service under load and under a crash, as in ``make bench`` but smaller (marked slow:
each starts real server processes)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def test_concurrent_searches_and_matches_without_errors():
    from bench.load_bench import run

    result = run(duration_s=10, clients=20, passports=500, vacancies=5)
    assert result["errors"] == 0, result["error_kinds"]
    assert result["search"]["n"] > 0 and result["match"]["n"] > 0
    assert result["latency"]["p99_ms"] < 30_000


def test_a_killed_server_keeps_every_answered_upload_and_no_half_written_one():
    from bench.crash_bench import run

    result = run(uploads=24, kill_after=5, threads=3)
    assert result["killed_mid_upload"]
    assert result["answered_2xx"] >= 5
    assert result["missing"] == 0 and result["half_written"] == 0, result
    assert result["sqlite_integrity"] == "ok"
