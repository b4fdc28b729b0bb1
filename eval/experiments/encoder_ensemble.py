"""Experiment: two encoders instead of one for Dutch skill normalisation (VDAB).

The plain E5-small and the ESCO-adapted one (the default) make different mistakes. Each ranks
the top 100 with its own calibrated linker (exact search); the fused score of a concept is
``w * adapted + (1 - w) * plain``, where a concept missing from one list takes that list's
lowest score. Also measured on the Dutch titles (MELO), and what the second encoder costs:
every phrase is encoded twice, which is what the CV throughput target (3 CVs/s, met by a
small margin) cannot afford.

Run: ``python -m eval.experiments.encoder_ensemble`` (under a minute once both indexes are in
the cache; building the plain one from scratch embeds 108,000 labels first, about 6 minutes).
Writes ``eval/results/experiments/encoder_ensemble.json``. Outcome (2026-11-29): VDAB 0.393 →
0.416 at w = 0.2, but MELO falls there (0.674 → 0.655); w = 0.5 keeps MELO (0.673) for VDAB
0.406. Each costs a second encoding of every phrase; +0.01 to +0.02 is far from the missing
+0.067, so not used.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from eval.experiments import write_results

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "eval" / "data"
OUT = ROOT / "eval" / "results" / "experiments" / "encoder_ensemble.json"
SETS = {
    "vdab": ("normalisation_nl_vdab_dev.jsonl", "skill"),
    "melo": ("occupations_nl_melo_bel.jsonl", "occupation"),
}
WEIGHTS = (0.0, 0.2, 0.3, 0.4, 0.5, 0.7, 1.0)
DEPTH = 100


def _fuse(a: dict[str, float], b: dict[str, float], w: float) -> list[str]:
    low_a, low_b = min(a.values()), min(b.values())
    scores = {u: w * a.get(u, low_a) + (1 - w) * b.get(u, low_b) for u in a.keys() | b.keys()}
    return sorted(scores, key=lambda u: -scores[u])


def main() -> None:
    from eval.metrics import ranking_metrics
    from eval.tasks import read_examples
    from extractor.linking import ConceptLinker
    from taxonomy import load_taxonomy
    from taxonomy.index import get_index
    from taxonomy.onnx_e5 import DEFAULT_ADAPTER, OnnxE5Encoder
    from vaardig.settings import get_settings

    started = time.perf_counter()
    taxonomy, cache = load_taxonomy(), get_settings().cache_dir
    linkers = {
        name: ConceptLinker(get_index(taxonomy, OnnxE5Encoder(cache, threads=2, adapter=adapter)))
        for name, adapter in (("adapted", DEFAULT_ADAPTER), ("plain", "none"))
    }
    out: dict = {"encoders": {n: lk.index.encoder.id for n, lk in linkers.items()}}
    for set_name, (file, kind) in SETS.items():
        examples = read_examples(DATA / file, "query")
        queries = [e.text for e in examples]
        golds = [set(e.gold) for e in examples]
        scores, seconds = {}, {}
        for name, linker in linkers.items():
            t0 = time.perf_counter()
            vectors = linker.index.encoder.encode_queries(queries)
            seconds[name] = round(time.perf_counter() - t0, 2)
            ranked = linker.rank(queries, kind, k=DEPTH, vectors=vectors, exact=True)
            scores[name] = [{h.concept.uri: h.score for h in hits} for hits in ranked]
        pairs = list(zip(scores["adapted"], scores["plain"], strict=True))
        fused = {
            f"w={w}": round(ranking_metrics([_fuse(a, b, w) for a, b in pairs], golds)["mrr"], 4)
            for w in WEIGHTS
        }
        out[set_name] = {"mrr (w = weight of the adapted encoder)": fused, "encode_s": seconds}
        print(set_name, json.dumps(out[set_name]), flush=True)
    write_results(OUT, out, started)


if __name__ == "__main__":
    main()
