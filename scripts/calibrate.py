"""Tune the few free parameters on the development sets; write extractor/data/calibration.json.

1. Linker rescoring weights per concept kind (mean-of-top-3 and lemma overlap): MRR on the
   Dutch normalisation set (skills) and the two occupation sets.
   Then the score a job title's top occupation must reach (``occupation_threshold``).
2. Extraction: the sentence-context weight (RP@5 on the Decorte sets), the semantic claim
   threshold (F1 of the skills returned) and the confidence slope (logistic fit of "claim is
   correct" on the fused score, so confidence means something).

The dev sets are those in eval/data (none is a test split); README reports figures as dev-set
figures. Writes the configured encoder's calibration: extractor/data/calibration.json for the
default encoder, extractor/data/calibration/<encoder id>.json for any other.
Usage: python -u scripts/calibrate.py [--only extraction]   (about 8 minutes)
"""

import json
import sys
from dataclasses import asdict, replace

import numpy as np
from sklearn.linear_model import LogisticRegression

from eval.metrics import ranking_metrics, rp_at_k, set_metrics
from eval.run_all import DATA
from eval.tasks import read_examples
from extractor.calibration import (
    Calibration,
    calibration_file_for,
    lowest_score_with_precision,
    lowest_threshold_near_best,
)
from vaardig.engine import Engine

RANKING_SETS = {
    "skill": ["normalisation_nl_vdab_dev.jsonl"],
    "occupation": ["occupations_nl_melo_bel.jsonl", "occupations_en_jobbert_dev.jsonl"],
}
EXTRACTION_SETS = [
    "extraction_en_decorte_tech_validation.jsonl",
    "extraction_en_decorte_house_validation.jsonl",
]


def tune_linker(engine: Engine, cal: Calibration, kinds=tuple(RANKING_SETS)) -> Calibration:
    """Grid search per kind on exact search (HNSW results move by up to 0.003 MRR between
    index builds, which would make the choice depend on the build)."""
    for kind in kinds:
        names = RANKING_SETS[kind]
        data = []
        for name in names:
            ex = read_examples(DATA / name, "query")
            data.append((ex, engine.encoder.encode_queries([e.text for e in ex])))
        best = None
        for m in (0.0, 0.2, 0.4, 0.6):
            for j in (0.0, 0.01, 0.02, 0.03, 0.05, 0.08, 0.12):
                fields = {f"{kind}_mean_weight": m, f"{kind}_lemma_weight": j}
                engine.linker.calibration = replace(cal, **fields)
                mrrs = []
                for ex, vecs in data:
                    ranked = engine.linker.rank(
                        [e.text for e in ex], kind=kind, k=100, vectors=vecs, exact=True
                    )
                    rankings = [[h.concept.uri for h in r] for r in ranked]
                    mrrs.append(ranking_metrics(rankings, [set(e.gold) for e in ex])["mrr"])
                print(f"{kind} mean={m} lemma={j}: MRR {[round(x, 4) for x in mrrs]}", flush=True)
                if best is None or np.mean(mrrs) > best[0]:
                    best = (float(np.mean(mrrs)), fields)
        cal = replace(cal, **best[1])
    engine.linker.calibration = cal
    return cal


TITLE_PRECISION = 0.5  # of the job titles recognised without an exact label, at least half right


def tune_occupation_threshold(engine: Engine, cal: Calibration) -> Calibration:
    """The lowest score at which the top occupation of a title is right at least
    ``TITLE_PRECISION`` of the time (pooled over the occupation dev sets). A recognised title
    adds inferred skills to a passport, so a title the engine is unsure of is better left out."""
    engine.linker.calibration = cal
    scores, right = [], []
    for name in RANKING_SETS["occupation"]:
        ex = read_examples(DATA / name, "query")
        ranked = engine.linker.rank([e.text for e in ex], kind="occupation", k=1, exact=True)
        scores += [r[0].score for r in ranked]
        right += [r[0].concept.uri in e.gold for r, e in zip(ranked, ex, strict=True)]
    found = lowest_score_with_precision(
        scores, right, TITLE_PRECISION, np.round(np.arange(0.70, 1.0, 0.01), 2)
    )
    if found is None:
        return cal
    threshold, kept, precision = found
    print(f"occupation_threshold={threshold:.2f}: {kept:.3f} of titles kept, {precision:.3f} right")
    return replace(cal, occupation_threshold=threshold)


def _extract_all(engine: Engine, cal: Calibration, sets):
    engine.extractor.calibration = cal
    return [
        engine.extractor.rank_and_extract([e.text for e in ex], [e.lang for e in ex]) for ex in sets
    ]


def tune_extraction(engine: Engine, cal: Calibration) -> Calibration:
    sets = [read_examples(DATA / n, "text") for n in EXTRACTION_SETS]
    golds = [[set(e.gold) for e in ex] for ex in sets]
    best = None
    for cw in (0.0, 0.15, 0.3):
        results = _extract_all(engine, replace(cal, context_weight=cw), sets)
        rps = [
            rp_at_k([r.ranking for r in res], g, 5) for res, g in zip(results, golds, strict=True)
        ]
        print(f"context_weight={cw}: RP@5 {[round(r, 1) for r in rps]}", flush=True)
        if best is None or np.mean(rps) > best[0]:
            best = (float(np.mean(rps)), cw)
    cal = replace(cal, context_weight=best[1])
    grid = []
    for t in np.arange(0.70, 0.96, 0.01):
        results = _extract_all(engine, replace(cal, threshold=float(t)), sets)
        preds = [
            {c.uri for c in r.claims if c.method != "inferred"} for res in results for r in res
        ]
        grid.append((round(float(t), 3), set_metrics(preds, [g for gs in golds for g in gs])))
    threshold, m = lowest_threshold_near_best(grid)  # F1 is flat near its top: more recall
    print(f"threshold={threshold}: {m} (best F1 {max(g['f1'] for _, g in grid):.4f})", flush=True)
    cal = replace(cal, threshold=threshold)
    # confidence: logistic fit of "claim is correct" on (score - threshold) for semantic claims
    # found with a lowered threshold; when the fit is flat (sparse gold, as in Decorte), keep
    # the default slope and set the intercept to the observed precision near the threshold
    low = replace(cal, threshold=cal.threshold - 0.05, slope=1.0, intercept=0.0)
    results = _extract_all(engine, low, sets)
    xs, ys = [], []
    for res, gs in zip(results, golds, strict=True):
        for r, g in zip(res, gs, strict=True):
            for c in r.claims:
                if c.method == "semantic":
                    p = min(max(c.confidence, 1e-6), 1 - 1e-6)
                    score = low.threshold + float(np.log(p / (1 - p)))  # invert slope-1 sigmoid
                    xs.append(score - cal.threshold)
                    ys.append(c.uri in g)
    xs_a, ys_a = np.array(xs), np.array(ys)
    slope, intercept = Calibration().slope, 0.0
    if len(set(ys)) == 2:
        lr = LogisticRegression().fit(xs_a[:, None], ys_a)
        fitted = float(lr.coef_[0][0])
        print(f"logistic fit: slope {fitted:.1f}, intercept {lr.intercept_[0]:.2f}, n={len(xs)}")
        if fitted >= 5:
            slope, intercept = fitted, float(lr.intercept_[0])
        else:
            near = ys_a[(xs_a >= 0) & (xs_a < 0.02)]
            if len(near):
                p = min(max(float(near.mean()), 0.05), 0.95)
                intercept = float(np.log(p / (1 - p)))
                print(f"flat fit: precision near the threshold {p:.2f} (n={len(near)})")
    cal = replace(cal, slope=round(slope, 1), intercept=round(intercept, 2))
    return cal


def main(argv: list[str]) -> None:
    engine = Engine()
    cal = Calibration.for_encoder(engine.encoder)
    if argv != ["--only", "extraction"]:
        cal = tune_linker(engine, cal)
        cal = tune_occupation_threshold(engine, cal)
    cal = tune_extraction(engine, cal)
    out = calibration_file_for(engine.encoder)  # calibration.json or the encoder's own
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(asdict(cal), indent=1) + "\n")
    print(f"wrote {out}: {asdict(cal)}")


if __name__ == "__main__":
    main(sys.argv[1:])
