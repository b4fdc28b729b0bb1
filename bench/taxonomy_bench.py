"""Taxonomy load time (cold parse and cached), index build time, and search latency."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from bench.common import peak_rss_mb, percentiles, timed, write_result

QUERIES = [
    "heftruck rijden",
    "lassen",
    "boekhouding",
    "warmtepomp installeren",
    "klantvriendelijk",
    "Python programmeren",
    "verpleegkundige zorg",
    "vrachtwagen besturen",
    "Excel",
    "plannen",
    "leidinggeven",
    "zonnepanelen monteren",
    "orderpicken",
    "metselen",
    "koken",
    "projectmanagement",
    "social media marketing",
    "elektrische installaties",
    "HACCP",
    "Engels",
]


def run() -> dict:
    from taxonomy import load_taxonomy
    from taxonomy.encoders import get_encoder
    from taxonomy.index import get_index
    from taxonomy.loader import BUNDLED_DIR, parse_taxonomy

    cache = Path(tempfile.mkdtemp(prefix="vaardig-bench-"))
    try:
        _, parse_s = timed(parse_taxonomy, BUNDLED_DIR)
        load_taxonomy(cache_dir=cache)  # writes the parsed cache
        cached = [timed(load_taxonomy, cache_dir=cache)[1] for _ in range(3)]
        tx = load_taxonomy(cache_dir=cache)
        from taxonomy.onnx_e5 import ensure_model

        _, encoder_build_s = timed(ensure_model, cache)  # the one-time ONNX conversion, cold
        enc = get_encoder()
        _, build_s = timed(get_index, tx, enc, cache_dir=cache)
        _, load_s = timed(get_index, tx, enc, cache_dir=cache)
        idx = get_index(tx, enc, cache_dir=cache)
        lat = {}
        for kind in ("skill", "occupation"):
            samples = []
            for _ in range(3):
                for q in QUERIES:
                    t0 = time.perf_counter()
                    idx.search(q, kind=kind, k=10)
                    samples.append(time.perf_counter() - t0)
            lat[kind] = percentiles(samples)
        ann = _ann_vs_exact(idx)
        return {
            "taxonomy_parse_s": round(parse_s, 3),
            "taxonomy_load_cached_s": round(min(cached), 3),
            "encoder_onnx_build_s": round(encoder_build_s, 3),
            "index_build_from_seed_s": round(build_s, 3),
            "index_load_cached_s": round(load_s, 3),
            "index_labels": {k: idx.size(k) for k in ("skill", "occupation", "capability")},
            "search_latency_including_encoding": lat,
            "ann_vs_exact": ann,
            "encoder": enc.id,
            "peak_rss_mb": round(peak_rss_mb(), 1),
        }
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def _ann_vs_exact(idx) -> dict:
    """HNSW against exact search on the Dutch skill phrases of the VDAB dev set: recall of the
    exact top-50 concepts, the linker's MRR on each, and the search time."""
    import json

    import numpy as np

    from eval.metrics import ranking_metrics
    from extractor.linking import ConceptLinker

    path = Path(__file__).parent.parent / "eval" / "data" / "normalisation_nl_vdab_dev.jsonl"
    examples = [json.loads(line) for line in path.open(encoding="utf-8")]
    queries = [e["query"] for e in examples]
    vectors = idx.encoder.encode_queries(queries)
    linker = ConceptLinker(idx)
    out: dict = {"queries": len(queries)}
    hits = {}
    for name, exact in (("hnsw", False), ("exact", True)):
        t0 = time.perf_counter()
        hits[name] = idx.search_vectors(vectors, "skill", 50, exact=exact)
        search_s = time.perf_counter() - t0
        ranked = linker.rank(queries, "skill", k=100, vectors=vectors, exact=exact)
        rankings = [[h.concept.uri for h in r] for r in ranked]
        mrr = ranking_metrics(rankings, [set(e["gold"]) for e in examples])["mrr"]
        out[name] = {"search_ms_per_query": round(1000 * search_s / len(queries), 3)}
        out[name]["linker_mrr"] = round(mrr, 4)
    recall = [
        len({h.concept.uri for h in a} & {h.concept.uri for h in b}) / max(len(b), 1)
        for a, b in zip(hits["hnsw"], hits["exact"], strict=True)
    ]
    out["hnsw_recall_at_50"] = round(float(np.mean(recall)), 4)
    return out


if __name__ == "__main__":
    print(write_result("taxonomy", run()))
