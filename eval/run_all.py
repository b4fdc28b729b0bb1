"""``make eval``: every set in eval/data, results to eval/results/ (JSON and Markdown).

All are development sets (parameters were tuned on them) except those in ``HELD_OUT``,
which are only measured; the table marks them.

The default encoder's results go to ``eval/results/results.{json,md}``; any other encoder's
(e.g. ``VAARDIG_ENCODER_ADAPTER=none make eval``) to ``eval/results/encoders/<encoder id>.*``.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from eval.tasks import run_task

DATA = Path(__file__).parent / "data"
RESULTS = Path(__file__).parent / "results"

SUITE = (
    ("normalisation", "normalisation_nl_vdab_dev.jsonl", "mrr", 0.46),
    ("occupations", "occupations_nl_melo_bel.jsonl", "mrr", 0.63),
    ("occupations", "occupations_en_jobbert_dev.jsonl", "mrr", 0.40),
    ("extraction", "extraction_en_decorte_tech_validation.jsonl", "rp@5", 62.0),
    ("extraction", "extraction_en_decorte_house_validation.jsonl", "rp@5", 50.0),
    # our own Dutch set (eval/data/SOURCES.md): no target in the issue, measured to see Dutch
    ("extraction", "extraction_nl_vaardig_vacatures.jsonl", "rp@5", None),
    # its held-out part: measured, never tuned on
    ("extraction", "extraction_nl_vaardig_vacatures_test.jsonl", "rp@5", None),
)
HELD_OUT = frozenset({"extraction_nl_vaardig_vacatures_test.jsonl"})


def main(
    only: list[str], suite=SUITE, data: Path = DATA, results: Path = RESULTS, engine=None
) -> None:
    """Run ``suite`` (rows of task, file in ``data``, headline metric, target or None), only
    the tasks in ``only`` when given, and write the tables under ``results``."""
    from extractor.calibration import made_for_default_encoder
    from vaardig.engine import Engine

    engine = engine or Engine()
    default = made_for_default_encoder(engine.encoder)
    out = results if default else results / "encoders"
    stem = "results" if default else engine.encoder.id
    rows = []
    for task, name, headline, target in suite:
        if only and task not in only:
            continue
        print(f"== {task} {name}", flush=True)
        metrics = run_task(task, data / name, lambda: engine)
        print(json.dumps(metrics), flush=True)
        rows.append(
            {"task": task, "data": name, "headline": headline, "target": target, "metrics": metrics}
        )
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    for r in rows:
        r["date"] = stamp
    previous = out / f"{stem}.json"
    if only and previous.is_file():  # a partial run keeps the other sets' latest figures
        done = {(r["task"], r["data"]) for r in rows}
        old = json.loads(previous.read_text()).get("results", [])
        rows = [r for r in old if (r["task"], r["data"]) not in done] + rows
        order = {name: i for i, (_, name, _, _) in enumerate(suite)}
        rows.sort(key=lambda r: order.get(r["data"], 99))
    payload = {"date": stamp, "encoder": engine.encoder.id, "results": rows}
    (out / f"{stem}.json").write_text(json.dumps(payload, indent=1) + "\n")
    lines = [
        f"# Evaluation results ({stamp})",
        "",
        f"Encoder: `{engine.encoder.id}`. Development sets (parameters were tuned on them),"
        " except those marked *held-out*: measured only, never tuned on.",
        "",
        "| task | set | headline | value | target | all metrics | measured |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        m = r["metrics"]
        rest = ", ".join(f"{k}={v:.3f}" for k, v in m.items() if isinstance(v, float))
        lines.append(
            f"| {r['task']} | {r['data']}{' (*held-out*)' if r['data'] in HELD_OUT else ''} "
            f"| {r['headline']} | {m[r['headline']]:.3f} "
            f"| {'—' if r['target'] is None else r['target']} | {rest} "
            f"| {r.get('date', stamp)[:10]} |"
        )
    (out / f"{stem}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1:])
