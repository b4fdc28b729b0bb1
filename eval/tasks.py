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
LANGS = ("nl", "en")
RANK_DEPTH = 100


class EvalDataError(ValueError):
    """An eval file that is missing or not in the expected JSONL format."""


@dataclass(frozen=True)
class Example:
    id: str
    text: str
    lang: str
    gold: frozenset[str]


def read_examples(path: Path, text_field: str, empty_gold: bool = False) -> list[Example]:
    """Read a JSONL eval file; every line needs ``id``, ``text_field``, ``lang`` and ``gold``
    (a list of concept URIs). ``empty_gold`` allows ``"gold": []`` (extraction: a text that
    names no skill still counts for precision); ranking tasks need at least one URI."""
    path = Path(path)
    if not path.is_file():
        raise EvalDataError(
            f"{path}: file not found; give a JSONL eval file, e.g. "
            "eval/data/normalisation_nl_vdab_dev.jsonl"
        )
    shape = f'{{"id", "{text_field}", "lang", "gold": [URI, ...]}}'
    out: list[Example] = []
    try:
        _read_lines(path, text_field, empty_gold, shape, out)
    except UnicodeDecodeError:
        raise EvalDataError(f"{path}: not UTF-8 text; save the file as UTF-8 JSONL") from None
    if not out:
        raise EvalDataError(f"{path}: no examples; each line is {shape}")
    return out


def _read_lines(path: Path, text_field: str, empty_gold: bool, shape: str, out: list) -> None:
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            where = f"{path}:{lineno}"
            try:
                row = json.loads(line)
                ident, text, gold = row["id"], row[text_field], row["gold"]
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                problem = f"no field {exc}" if isinstance(exc, KeyError) else str(exc)
                message = f"{where}: not an eval record ({problem}); use {shape}"
                raise EvalDataError(message) from None
            if not isinstance(text, str) or not text.strip():
                raise EvalDataError(f"{where}: {text_field!r} is empty; use {shape}")
            if not isinstance(gold, list) or not all(isinstance(u, str) for u in gold):
                raise EvalDataError(f"{where}: 'gold' must be a list of URIs; use {shape}")
            if not gold and not empty_gold:
                raise EvalDataError(f"{where}: 'gold' is empty; a ranking query needs a gold URI")
            lang = row.get("lang", "nl")
            if lang not in LANGS:
                raise EvalDataError(f"{where}: 'lang' is {lang!r}; the engine reads nl or en")
            out.append(Example(str(ident), text, lang, frozenset(gold)))


def evaluate_ranking(task: str, examples: list[Example], linker: Any) -> dict[str, Any]:
    """MRR/acc@1/r@5/r@10 of the linker's concept ranking for each query."""
    kind = "skill" if task == "normalisation" else "occupation"
    t0 = time.perf_counter()
    # exact search: the HNSW index users get is within 0.001 MRR of it (bench/results/
    # taxonomy.json), but its graph varies a little between builds; exact figures reproduce
    ranked = linker.rank([e.text for e in examples], kind=kind, k=RANK_DEPTH, exact=True)
    elapsed = time.perf_counter() - t0
    rankings = [[h.concept.uri for h in hits] for hits in ranked]
    metrics = ranking_metrics(rankings, [set(e.gold) for e in examples])
    return {**metrics, "n": len(examples), "queries_per_s": len(examples) / elapsed}


def evaluate_extraction(examples: list[Example], extractor: Any) -> dict[str, Any]:
    """RP@5/RP@10/MRR of the extractor's full skill ranking per text, and precision/recall/F1
    of the skills it returns at its operating threshold."""
    t0 = time.perf_counter()
    results = extractor.rank_and_extract(
        [e.text for e in examples], langs=[e.lang for e in examples]
    )
    elapsed = time.perf_counter() - t0
    golds = [set(e.gold) for e in examples]
    rankings = [r.ranking for r in results]
    predicted = [{c.uri for c in r.claims} for r in results]
    # MRR over the texts that name a skill, as RP@K: a text without gold has no rank to find
    named = [(r, g) for r, g in zip(rankings, golds, strict=True) if g]
    return {
        "rp@5": rp_at_k(rankings, golds, 5),
        "rp@10": rp_at_k(rankings, golds, 10),
        "mrr": ranking_metrics([r for r, g in named], [g for _, g in named])["mrr"],
        **set_metrics(predicted, golds),
        "n": len(examples),
        "texts_per_s": len(examples) / elapsed,
    }


def run_task(task: str, path: Path, engine_factory: Callable[[], Any]) -> dict[str, Any]:
    """Metrics of one task on one eval file. The file is read and checked before the engine
    loads, so a bad file fails at once."""
    if task not in TASKS:
        raise EvalDataError(f"unknown task {task!r}: use one of {', '.join(TASKS)}")
    if task == "extraction":
        examples = read_examples(path, "text", empty_gold=True)
        return evaluate_extraction(examples, engine_factory().extractor)
    return evaluate_ranking(task, read_examples(path, "query"), engine_factory().linker)
