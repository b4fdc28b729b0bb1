"""Evaluation tasks on the shared JSONL format, measuring the library the way users call it.

``normalisation`` and ``occupations`` rank concepts for a short query with
:class:`extractor.linking.ConceptLinker`; ``extraction`` runs the skill extractor on a text.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eval.metrics import ranking_metrics, rp_at_k, set_metrics

TASKS = ("normalisation", "occupations", "extraction")
RANK_DEPTH = 100


class EvalDataError(ValueError):
    """An eval file that is missing or not in the expected JSONL format."""


@dataclass(frozen=True)
class Example:
    id: str
    text: str
    lang: str
    gold: frozenset[str]


def read_examples(path: Path, text_field: str) -> list[Example]:
    """Read a JSONL eval file; every line needs ``id``, ``text_field``, ``lang`` and ``gold``."""
    path = Path(path)
    if not path.is_file():
        raise EvalDataError(f"{path}: file not found")
    out = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                out.append(
                    Example(
                        str(row["id"]),
                        str(row[text_field]),
                        str(row.get("lang", "nl")),
                        frozenset(row["gold"]),
                    )
                )
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise EvalDataError(
                    f"{path}:{lineno}: not an eval record with id, {text_field}, gold ({exc})"
                ) from exc
    if not out:
        raise EvalDataError(f"{path}: no examples")
    return out


def evaluate_ranking(task: str, path: Path, linker: Any) -> dict[str, Any]:
    """MRR/acc@1/r@5/r@10 of the linker's concept ranking for each query."""
    kind = "skill" if task == "normalisation" else "occupation"
    examples = read_examples(path, "query")
    t0 = time.perf_counter()
    # exact search: the HNSW index users get is within 0.001 MRR of it (bench/results/
    # taxonomy.json), but its graph varies a little between builds; exact figures reproduce
    ranked = linker.rank([e.text for e in examples], kind=kind, k=RANK_DEPTH, exact=True)
    elapsed = time.perf_counter() - t0
    rankings = [[h.concept.uri for h in hits] for hits in ranked]
    metrics = ranking_metrics(rankings, [set(e.gold) for e in examples])
    return {**metrics, "n": len(examples), "queries_per_s": len(examples) / elapsed}


def evaluate_extraction(path: Path, extractor: Any) -> dict[str, Any]:
    """RP@5/RP@10/MRR of the extractor's full skill ranking per text, and precision/recall/F1
    of the skills it returns at its operating threshold."""
    examples = read_examples(path, "text")
    t0 = time.perf_counter()
    results = extractor.rank_and_extract(
        [e.text for e in examples], langs=[e.lang for e in examples]
    )
    elapsed = time.perf_counter() - t0
    golds = [set(e.gold) for e in examples]
    rankings = [r.ranking for r in results]
    predicted = [{c.uri for c in r.claims} for r in results]
    return {
        "rp@5": rp_at_k(rankings, golds, 5),
        "rp@10": rp_at_k(rankings, golds, 10),
        "mrr": ranking_metrics(rankings, golds)["mrr"],
        **set_metrics(predicted, golds),
        "n": len(examples),
        "texts_per_s": len(examples) / elapsed,
    }


def run_task(task: str, path: Path, engine_factory: Callable[[], Any]) -> dict[str, Any]:
    if task not in TASKS:
        raise EvalDataError(f"unknown task {task!r}: use one of {', '.join(TASKS)}")
    engine = engine_factory()
    if task == "extraction":
        return evaluate_extraction(path, engine.extractor)
    return evaluate_ranking(task, path, engine.linker)
