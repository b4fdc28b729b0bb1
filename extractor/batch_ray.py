"""The Ray backend of :func:`extractor.batch.process_feed`: actors holding one extractor each.

    process_feed(feeds, None, "extracted.jsonl", backend="ray", ray_actors=8)

The driver keeps everything that must be sequential (reading the feeds, near-duplicate removal,
writing the output, checkpoints); actors only extract. Batches go to the actors round-robin with
a bounded number in flight, and results are written in submission order, so the output is byte
for byte the one the local backend writes (both call :func:`extractor.batch.extract_records`).

Ray is an optional dependency (``pip install 'vaardig[ray]'``). Without a running cluster,
``ray.init`` starts a local one on this machine's cores; with ``RAY_ADDRESS`` set (or
``ray.init(address=...)`` called before), the same code uses that cluster.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from extractor.batch import (
    Batch,
    Executor,
    ExtractorLike,
    extract_records,
    in_submission_order,
    load_languages,
)


def _vaardig_environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k.startswith("VAARDIG_")}


@dataclass(frozen=True)
class EngineExtractorFactory:
    """Builds ``Engine().extractor`` inside an actor, with the driver's ``VAARDIG_*`` settings
    (cache dir, encoder, taxonomy) so every actor loads the same cached index.

    ``threads``: CPU threads per actor for the encoder and FAISS (one per actor by default,
    so N actors on N cores do not oversubscribe them).
    """

    encoder: str | None = None
    model: str | None = None
    threads: int = 1
    environment: dict[str, str] = field(default_factory=_vaardig_environment)

    def __call__(self) -> ExtractorLike:
        os.environ.update(self.environment)
        for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "VAARDIG_THREADS"):
            os.environ[name] = str(self.threads)
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        from vaardig.engine import Engine
        from vaardig.settings import get_settings

        get_settings.cache_clear()
        return Engine(self.encoder, self.model).extractor


class ExtractionActor:
    """One extractor, loaded once per actor process with both languages (wrapped with
    ``ray.remote``)."""

    def __init__(self, factory: Callable[[], ExtractorLike]) -> None:
        self.extractor = factory()
        load_languages(self.extractor)

    def extract(self, documents: list, min_confidence: float) -> list[str]:
        return extract_records(self.extractor, documents, min_confidence)


def ray_executor(
    factory: Callable[[], ExtractorLike] | None = None,
    actors: int | None = None,
    min_confidence: float = 0.0,
    max_in_flight: int | None = None,
) -> Executor:
    """An executor for :func:`process_feed` that extracts batches on Ray actors, in order.

    Args:
        factory: builds the extractor inside each actor (default :class:`EngineExtractorFactory`).
        actors: number of actors (default: the CPUs Ray sees, at least 1).
        max_in_flight: batches submitted and not yet written (default 2 per actor); bounds
            the driver's memory and what a crash has to redo.

    Raises:
        ImportError: Ray is not installed (with the pip command that installs it).
    """
    try:
        import ray
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise ImportError(
            "the Ray backend needs Ray: pip install 'vaardig[ray]' (or pip install ray)"
        ) from error
    factory = factory or EngineExtractorFactory()

    def run(batches: Iterable[Batch]) -> Iterator[tuple[Batch, list[str]]]:
        started_here = not ray.is_initialized()
        if started_here:
            ray.init(include_dashboard=False, logging_level="ERROR")
        n = actors or max(1, int(ray.cluster_resources().get("CPU", 1)))
        remote_actor = ray.remote(num_cpus=1)(ExtractionActor)
        pool = [remote_actor.remote(factory) for _ in range(n)]
        limit = max_in_flight or 2 * n
        turn = itertools.count()  # round-robin over the actors
        try:
            yield from in_submission_order(
                batches,
                lambda docs: pool[next(turn) % n].extract.remote(docs, min_confidence),
                ray.get,
                limit,
            )
        finally:
            for actor in pool:
                ray.kill(actor)
            if started_here:
                ray.shutdown()

    return run
