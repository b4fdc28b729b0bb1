"""Tune the few free parameters on the development sets and write extractor/data/calibration.json.

Parameters: the linker's lexical weight (normalisation + occupation MRR), the extractor's
context weight (extraction RP@5), the semantic claim threshold (F1 of returned skills) and the
slope of the confidence curve (log-loss of returned claims). The dev sets are the ones in
eval/data (none is a test split); README reports the figures as dev-set figures.

Usage: python scripts/calibrate.py [--quick]
"""

import argparse
import json
from dataclasses import asdict, replace

import numpy as np

from eval.metrics import ranking_metrics, rp_at_k, set_metrics
from eval.run_all import DATA
from eval.tasks import read_examples
from extractor.calibration import CALIBRATION_PATH, Calibration
from vaardig.engine import Engine


def tune_lexical_weight(engine: Engine) -> float:
    sets = [
        ("skill", "normalisation_nl_vdab_dev.jsonl"),
        ("occupation", "occupations_nl_melo_bel.jsonl"),
        ("occupation", "occupations_en_jobbert_dev.jsonl"),
    ]
    data = []
    for kind, name in sets:
        ex = read_examples(DATA / name, "query")
        vecs = engine.encoder.encode_queries([e.text for e in ex])
        data.append((kind, ex, vecs))
    best = (-1.0, 0.0)
    for w in (0.0, 0.1, 0.2, 0.3, 0.4, 0.5):
        engine.linker.lexical_weight = w
        mrrs = []
        for kind, ex, vecs in data:
            ranked = engine.linker.rank([e.text for e in ex], kind=kind, k=100, vectors=vecs)
            mrrs.append(
                ranking_metrics(
                    [[h.concept.uri for h in r] for r in ranked], [set(e.gold) for e in ex]
                )["mrr"]
            )
        print(f"lexical_weight={w}: MRR {[round(m, 3) for m in mrrs]} mean {np.mean(mrrs):.3f}")
        best = max(best, (float(np.mean(mrrs)), w))
    engine.linker.lexical_weight = best[1]
    return best[1]


def extraction_sets():
    return [
        read_examples(DATA / n, "text")
        for n in (
            "extraction_en_decorte_tech_validation.jsonl",
            "extraction_en_decorte_house_validation.jsonl",
        )
    ]


def tune_extraction(engine: Engine, base: Calibration) -> Calibration:
    sets = extraction_sets()
    best = None
    for cw in (0.0, 0.2, 0.35, 0.5):
        engine.extractor.calibration = replace(base, context_weight=cw)
        rps = []
        for ex in sets:
            res = engine.extractor.rank_and_extract([e.text for e in ex], [e.lang for e in ex])
            rps.append(rp_at_k([r.ranking for r in res], [set(e.gold) for e in ex], 5))
        print(f"context_weight={cw}: RP@5 {[round(r, 1) for r in rps]}")
        if best is None or np.mean(rps) > best[0]:
            best = (float(np.mean(rps)), cw)
    cal = replace(base, context_weight=best[1])
    # threshold: F1 of the returned (non-inferred) skills over both sets
    engine.extractor.calibration = replace(cal, threshold=0.0)
    results = []
    for ex in sets:
        res = engine.extractor.rank_and_extract([e.text for e in ex], [e.lang for e in ex])
        results.append((ex, res))
    best_t = None
    for t in np.arange(0.80, 0.95, 0.005):
        engine.extractor.calibration = replace(cal, threshold=float(t))
        preds, golds = [], []
        for ex, _ in results:
            res = engine.extractor.rank_and_extract([e.text for e in ex], [e.lang for e in ex])
            preds += [{c.uri for c in r.claims if c.method != "inferred"} for r in res]
            golds += [set(e.gold) for e in ex]
        m = set_metrics(preds, golds)
        if best_t is None or m["f1"] > best_t[0]:
            best_t = (m["f1"], float(t), m)
    print(f"threshold={best_t[1]:.3f}: {best_t[2]}")
    return replace(cal, threshold=round(best_t[1], 3))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.parse_args()
    engine = Engine()
    w = tune_lexical_weight(engine)
    cal = tune_extraction(engine, Calibration.load())
    payload = {**asdict(cal), "lexical_weight": w}  # noqa: RUF100
    CALIBRATION_PATH.parent.mkdir(parents=True, exist_ok=True)
    CALIBRATION_PATH.write_text(json.dumps(payload, indent=1) + "\n")
    print(f"wrote {CALIBRATION_PATH}: {payload}")


if __name__ == "__main__":
    main()
