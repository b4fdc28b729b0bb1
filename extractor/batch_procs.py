"""The "processes" backend of :func:`extractor.batch.process_feed`: worker processes on this
machine, one extractor each, without Ray.

    process_feed(feeds, None, "extracted.jsonl", backend="processes", workers=2)

One process leaves cores idle: the encoder uses two threads, but linking and lexicon matching,
about two thirds of extraction time, run in Python on one core. N workers on N cores keep them
all busy. The driver is the same as for Ray (reading, near-duplicate removal, writing,
checkpoints stay here); batches go to the workers with a bounded number in flight and results
are written in submission order, so the output is byte for byte the local backend's (all call
:func:`extractor.batch.extract_records`).

Workers are started with "spawn" (ONNX Runtime, FAISS and OpenMP threads do not survive a
fork) and each loads the model, the taxonomy index and both languages' spaCy pipelines and
lexicons once before its first batch: 12-16 s and 2 GB of memory per worker on the 2-core
reference machine, so it can pay off on long feeds only; a 100-vacancy feed is done sooner in
one process (``bench/results/batch.json``).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor

from extractor.batch import (
    Batch,
    Executor,
    ExtractorLike,
    extract_records,
    in_submission_order,
    load_languages,
)

_EXTRACTOR: ExtractorLike | None = None  # the worker's own extractor


def _start_worker(factory: Callable[[], ExtractorLike]) -> None:
    global _EXTRACTOR
    _EXTRACTOR = factory()
    load_languages(_EXTRACTOR)


def _extract(documents: list, min_confidence: float) -> list[str]:
    assert _EXTRACTOR is not None, "worker started without an extractor"
    return extract_records(_EXTRACTOR, documents, min_confidence)


def process_executor(
    factory: Callable[[], ExtractorLike] | None = None,
    workers: int | None = None,
    min_confidence: float = 0.0,
    max_in_flight: int | None = None,
) -> Executor:
    """An executor for :func:`process_feed` that extracts batches in worker processes, in order.

    Args:
        factory: builds the extractor inside each worker; must pickle (default
            :class:`extractor.batch_ray.EngineExtractorFactory`: the ``Engine`` with this
            process's ``VAARDIG_*`` settings, one encoder thread per worker).
        workers: number of worker processes (default: one per CPU).
        max_in_flight: batches submitted and not yet written (default 2 per worker); bounds
            the driver's memory and what a crash has to redo.
    """
    if workers is not None and workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    if factory is None:
        from extractor.batch_ray import EngineExtractorFactory  # no Ray needed for this

        factory = EngineExtractorFactory()

    def run(batches: Iterable[Batch]) -> Iterator[tuple[Batch, list[str]]]:
        n = workers or os.cpu_count() or 1
        limit = max_in_flight or 2 * n
        pool = ProcessPoolExecutor(
            n,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(factory,),
        )
        try:
            yield from in_submission_order(
                batches,
                lambda docs: pool.submit(_extract, docs, min_confidence),
                lambda job: job.result(),
                limit,
            )
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    return run
