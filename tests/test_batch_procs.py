"""The "processes" backend: worker processes on this machine write exactly what the local
path writes, in feed order, and refuse bad settings before starting any worker.

Two workers that each load the model take about half a minute on the 2-core CI machine.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.batch import process_feed
from extractor.batch_procs import process_executor

SMALL = Path(__file__).parent / "fixtures" / "feeds" / "synthetic_small.jsonl"


def test_processes_backend_writes_the_same_bytes_as_the_local_backend(
    index, small_feed_local_output, tmp_path
):
    out = tmp_path / "extracted.jsonl"
    # batches of 2 over 2 workers: results come back from both and must be put in feed order
    report = process_feed([SMALL], None, out, backend="processes", ray_actors=2, batch_size=2)
    assert (report.written, report.duplicates, report.backend) == (6, 3, "processes")
    assert out.read_bytes() == small_feed_local_output.read_bytes()
    # resuming a finished run does no work and leaves the output as it is
    again = process_feed([SMALL], None, out, backend="processes", resume=True, batch_size=2)
    assert again.extracted == 0
    assert out.read_bytes() == small_feed_local_output.read_bytes()


def test_zero_workers_is_refused():
    with pytest.raises(ValueError, match="workers must be at least 1"):
        process_executor(workers=0)


def test_an_unknown_backend_names_the_three_there_are(tmp_path):
    with pytest.raises(ValueError, match="'local', 'processes' or 'ray'"):
        process_feed([SMALL], None, tmp_path / "o.jsonl", backend="threads")  # type: ignore[arg-type]
