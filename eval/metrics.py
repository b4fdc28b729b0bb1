"""Ranking and extraction metrics, with the definitions of the shared eval README.

- ranking (normalisation, occupations): MRR, Acc@1, R@5, R@10; a hit when any gold concept is
  in the top k; the reciprocal rank is 0 when no gold concept is ranked.
- extraction (Decorte et al. 2022): RP@K = mean over texts of |gold ∩ top K| / min(K, |gold|);
  MRR over the full ranking; precision/recall/F1 of the set the engine returns.
"""

from __future__ import annotations

from collections.abc import Sequence


def reciprocal_rank(ranked: Sequence[str], gold: set[str]) -> float:
    for i, uri in enumerate(ranked, start=1):
        if uri in gold:
            return 1.0 / i
    return 0.0


def ranking_metrics(
    rankings: Sequence[Sequence[str]], golds: Sequence[set[str]]
) -> dict[str, float]:
    """MRR, acc@1, r@5 and r@10 over queries (each a ranked list of URIs and a gold set)."""
    if not rankings or len(rankings) != len(golds):
        raise ValueError("need one ranking per gold set, and at least one query")
    n = len(rankings)
    out = {"mrr": sum(reciprocal_rank(r, g) for r, g in zip(rankings, golds, strict=True)) / n}
    for k, name in ((1, "acc@1"), (5, "r@5"), (10, "r@10")):
        out[name] = sum(bool(set(r[:k]) & g) for r, g in zip(rankings, golds, strict=True)) / n
    return out


def rp_at_k(rankings: Sequence[Sequence[str]], golds: Sequence[set[str]], k: int) -> float:
    """Ranked precision at k, in percent (as Decorte et al. report it)."""
    vals = [len(set(r[:k]) & g) / min(k, len(g)) for r, g in zip(rankings, golds, strict=True) if g]
    return 100.0 * sum(vals) / len(vals)


def set_metrics(predicted: Sequence[set[str]], golds: Sequence[set[str]]) -> dict[str, float]:
    """Micro precision, recall and F1 of predicted sets against gold sets."""
    tp = sum(len(p & g) for p, g in zip(predicted, golds, strict=True))
    n_pred = sum(len(p) for p in predicted)
    n_gold = sum(len(g) for g in golds)
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}
