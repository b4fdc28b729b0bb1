"""The Ray backend: actors holding one extractor each write exactly what the local path writes.

A local Ray cluster with two actors that each load the model takes about half a minute on the
2-core CI machine; it runs in the default suite because `make test` installs the `ray` extra
(without Ray installed the module is skipped with a reason).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.batch import process_feed

ray = pytest.importorskip("ray")

SMALL = Path(__file__).parent / "fixtures" / "feeds" / "synthetic_small.jsonl"


@pytest.fixture(scope="module")
def local_ray():
    """A local Ray cluster on this machine's cores (two actors on the 2-core CI machine)."""
    ray.init(num_cpus=2, include_dashboard=False, logging_level="ERROR")
    yield
    ray.shutdown()


def test_ray_backend_writes_the_same_bytes_as_the_local_backend(
    local_ray, small_feed_local_output, tmp_path
):
    out = tmp_path / "extracted.jsonl"
    # batches of 2 over 2 actors: results come back from both and must be put in feed order
    report = process_feed([SMALL], None, out, backend="ray", ray_actors=2, batch_size=2)
    assert (report.written, report.duplicates, report.backend) == (6, 3, "ray")
    assert out.read_bytes() == small_feed_local_output.read_bytes()
