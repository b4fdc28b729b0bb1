"""Experiment: a linear query adapter trained on the taxonomy alone. Does it close the gap?

A 384×384 matrix ``W`` (initialised to the identity, pulled back towards it with weight
``lam``) maps a query vector before search. It is trained only on ESCO itself: every label of
a concept with at least two labels is a query whose target is the mean of the concept's
*other* labels (leave-one-out), against the centroids of all concepts of that kind (softmax
cross-entropy, temperature 0.05, Adam, 2 epochs). No development-set example is used for
training; the dev sets only measure (MRR with the engine's own rescoring linker).

Run: ``python -m eval.experiments.query_adapter`` (about 5 minutes on 2 cores); writes
``eval/results/experiments/query_adapter.json``. Outcome (2026-11-28): small gains (about
+0.01 to +0.02 MRR), far from the missing +0.08 on VDAB, so it is not used.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
SETS = [
    ("normalisation_nl_vdab_dev.jsonl", "skill"),
    ("occupations_nl_melo_bel.jsonl", "occupation"),
    ("occupations_en_jobbert_dev.jsonl", "occupation"),
]
LAMBDAS = (0.1, 0.01)


def _train(index, kind: str, lam: float, epochs: int = 2, tau: float = 0.05) -> np.ndarray:
    import torch

    torch.manual_seed(0)
    x_all = index.embeddings[index._rows[kind]].astype(np.float32)
    ids: dict[str, int] = {}
    concept = np.array([ids.setdefault(u, len(ids)) for u in index._uris[kind]])
    sums = np.zeros((len(ids), x_all.shape[1]), np.float32)
    counts = np.zeros(len(ids))
    np.add.at(sums, concept, x_all)
    np.add.at(counts, concept, 1)
    keep = counts[concept] >= 2
    x, y = torch.tensor(x_all[keep]), torch.tensor(concept[keep])
    c_sum = torch.tensor(sums)
    centroids = torch.nn.functional.normalize(c_sum, dim=1)
    eye = torch.eye(x.shape[1])
    w = torch.nn.Parameter(eye.clone())
    opt = torch.optim.Adam([w], lr=1e-3)
    for _ in range(epochs):
        for batch in torch.randperm(len(x)).split(512):
            q = torch.nn.functional.normalize(x[batch] @ w, dim=1)
            scores = q @ centroids.T
            loo = torch.nn.functional.normalize(c_sum[y[batch]] - x[batch], dim=1)
            scores[torch.arange(len(batch)), y[batch]] = (q * loo).sum(1)
            loss = torch.nn.functional.cross_entropy(scores / tau, y[batch])
            loss = loss + lam * ((w - eye) ** 2).sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
    return w.detach().numpy()


def _mrr(linker, index, path: Path, kind: str, w: np.ndarray | None) -> float:
    examples = [json.loads(line) for line in path.open(encoding="utf-8")]
    queries = [e["query"] for e in examples]
    vectors = index.encoder.encode_queries(queries)
    if w is not None:
        vectors = vectors @ w
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    ranked = linker.rank(queries, kind=kind, k=100, vectors=vectors.astype(np.float32))
    rr = []
    for example, hits in zip(examples, ranked, strict=True):
        gold = set(example["gold"])
        rank = next((i + 1 for i, h in enumerate(hits) if h.concept.uri in gold), None)
        rr.append(1 / rank if rank else 0.0)
    return round(float(np.mean(rr)), 4)


def main() -> Path:
    import torch

    from vaardig.engine import Engine

    torch.set_num_threads(2)
    engine = Engine()
    index, linker = engine.index, engine.linker
    result: dict = {"date": datetime.now(UTC).isoformat(timespec="seconds")}
    result["encoder"] = engine.encoder.id
    result["baseline"] = {
        name: _mrr(linker, index, ROOT / "eval" / "data" / name, kind, None) for name, kind in SETS
    }
    for lam in LAMBDAS:
        t0 = time.perf_counter()
        adapters = {kind: _train(index, kind, lam) for kind in ("skill", "occupation")}
        result[f"lam={lam}"] = {
            "train_s": round(time.perf_counter() - t0, 1),
            **{
                name: _mrr(linker, index, ROOT / "eval" / "data" / name, kind, adapters[kind])
                for name, kind in SETS
            },
        }
    out = ROOT / "eval" / "results" / "experiments" / "query_adapter.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1) + "\n")
    return out


if __name__ == "__main__":
    print(main())
