"""Experiment: four more signals for Dutch skill normalisation (VDAB), on the adapted encoder.

With the ESCO adapter, VDAB MRR is 0.393 against a target of 0.46. Each signal below re-ranks
the engine's own top 100 (the calibrated linker, exact search); nothing is trained, and each
weight is tried on a small grid, so the best figure of each is an upper bound:

1. **descriptions**: every ESCO skill description (English for all, Dutch where it exists;
   16,121 texts) embedded once as an E5 "passage"; a concept's score becomes
   ``(1 - w) * linker score + w * best description cosine``.
2. **compound splitting**: a Dutch compound the encoder's vocabulary splits badly
   ("moffeltechnieken", "pleidooipraktijken") is split into known words with simplemma's
   Dutch dictionary (parts of at least 4 letters, linking -s-/-e-/-en- allowed); the query
   vector becomes the mean of the original and the split text's vectors. Only words of 8+
   letters that the dictionary does not know are split. Also measured on MELO titles.
3. **the skill graph**: a concept among the top 10 passes ``lam * its score`` to the skills
   ESCO relates to it (skill-skill relations), or to its siblings under the same broader
   concept, where that is more than their own score.
4. **the lexicon**: the extractor's exact labels and Dutch alias table (what settles
   "heftruck" in a CV) matched inside the query; each concept matched gets ``+ b`` (``any``:
   times the share of the query's characters the match covers; ``whole``: only a match that
   covers the whole query). Added 2026-11-29.

Run: ``python -m eval.experiments.vdab_signals`` (about 5 minutes on 2 cores); writes
``eval/results/experiments/vdab_signals.json``. Outcome (2026-11-29): descriptions +0.001 at
best, compound splitting +0.009 on VDAB (+0.005 on MELO), the graph +0.000 or worse. None is
near the missing +0.067, and each costs encoding time or complexity, so none is used. The
lexicon (added later) changes MRR by +0.001 at best: where it matches, the encoder already
ranks the concept near the top.
"""

from __future__ import annotations

import functools
import json
import re
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from eval.experiments import write_results

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "eval" / "data"
OUT = ROOT / "eval" / "results" / "experiments" / "vdab_signals.json"
DEPTH = 100
MIN_PART = 4
LINKS = ("", "s", "e", "en")


def _examples(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).open(encoding="utf-8") if line.strip()]


def _mrr(rankings: list[list[str]], examples: list[dict]) -> float:
    total = 0.0
    for ranking, example in zip(rankings, examples, strict=True):
        gold = set(example["gold"])
        rank = next((i + 1 for i, uri in enumerate(ranking) if uri in gold), None)
        total += 1 / rank if rank else 0.0
    return round(total / len(examples), 4)


def _by_score(scores: dict[str, float]) -> list[str]:
    return sorted(scores, key=lambda u: -scores[u])


# --- 1. descriptions --------------------------------------------------------------------------


def descriptions(engine, examples, vectors, hits) -> dict[str, float]:
    uris, texts = [], []
    for concept in engine.taxonomy.iter("skill"):
        for text in (concept.description_en, concept.description_nl):
            if text.strip():
                uris.append(concept.uri)
                texts.append(text.strip()[:400])
    rows: dict[str, list[int]] = defaultdict(list)
    for i, uri in enumerate(uris):
        rows[uri].append(i)
    desc = engine.encoder.encode_passages(texts)
    sims = vectors @ desc.T
    out = {}
    for w in (0.1, 0.2, 0.3):
        rankings = []
        for q, candidates in enumerate(hits):
            scores = {}
            for h in candidates:
                r = rows.get(h.concept.uri)
                best = float(sims[q, r].max()) if r else h.score  # no description: own score
                scores[h.concept.uri] = (1 - w) * h.score + w * best
            rankings.append(_by_score(scores))
        out[f"w={w}"] = _mrr(rankings, examples)
    return out


# --- 2. compound splitting ----------------------------------------------------------------------


@functools.cache
def _dictionary() -> tuple[frozenset[str], frozenset[str]]:
    """(known word forms, split vocabulary) from simplemma's Dutch dictionary."""
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    pairs = DefaultDictionaryFactory().get_dictionary("nl")
    forms = frozenset(pairs.keys())
    lemmas = {v.decode() if isinstance(v, bytes) else v for v in pairs.values()}
    vocab = frozenset(w for w in forms | lemmas if w.isalpha() and len(w) >= MIN_PART)
    return forms, vocab


@functools.cache
def _split(word: str, first: bool = True) -> tuple[str, ...] | None:
    """The split of ``word`` into the fewest known parts (longest shortest part on ties)."""
    _, vocab = _dictionary()
    best = None if first or word not in vocab else (word,)
    for i in range(len(word) - MIN_PART, MIN_PART - 1, -1):
        head = word[:i]
        for link in LINKS:
            if link and not head.endswith(link):
                continue
            stem = head[: len(head) - len(link)] if link else head
            rest = _split(word[i:], False) if stem in vocab else None
            if rest:
                parts = (stem, *rest)
                if best is None or (len(parts), -min(map(len, parts))) < (
                    len(best),
                    -min(map(len, best)),
                ):
                    best = parts
    return best


def split_compounds(text: str) -> str:
    forms, _ = _dictionary()
    out = []
    for token in re.findall(r"\w+|\W+", text):
        word = token.lower()
        parts = _split(word) if token.isalpha() and len(token) >= 8 and word not in forms else None
        out.append(" ".join(parts) if parts and len(parts) > 1 else token)
    return "".join(out)


def compounds(engine, examples, vectors, kind: str) -> dict[str, float]:
    queries = [e["query"] for e in examples]
    split = [split_compounds(q) for q in queries]
    mixed = (vectors + engine.encoder.encode_queries(split)) / 2
    mixed /= np.linalg.norm(mixed, axis=1, keepdims=True)
    ranked = engine.linker.rank(queries, kind=kind, k=DEPTH, vectors=mixed, exact=True)
    return {
        "queries_split": sum(s != q for s, q in zip(split, queries, strict=True)),
        "mean_of_both": _mrr([[h.concept.uri for h in r] for r in ranked], examples),
    }


# --- 3. the skill graph -------------------------------------------------------------------------


def graph(engine, examples, hits) -> dict[str, float]:
    taxonomy = engine.taxonomy
    related: dict[str, set[str]] = defaultdict(set)
    for a, links in taxonomy.related_skills.items():
        for b, _ in links:
            related[a].add(b)
            related[b].add(a)
    children: dict[str, set[str]] = defaultdict(set)
    for child, parents in taxonomy.broader.items():
        for parent in parents:
            children[parent].add(child)
    siblings = {
        uri: set().union(*(children[p] for p in parents)) - {uri}
        for uri, parents in taxonomy.broader.items()
    }
    out = {}
    for name, neighbours in (("related", related), ("siblings", siblings)):
        for lam in (0.85, 0.9):
            rankings = []
            for candidates in hits:
                scores = {h.concept.uri: h.score for h in candidates}
                passed = dict(scores)
                for h in candidates[:10]:
                    for other in neighbours.get(h.concept.uri, ()):
                        passed[other] = max(passed.get(other, -1.0), lam * h.score)
                rankings.append(_by_score(passed))
            out[f"{name} lam={lam}"] = _mrr(rankings, examples)
    return out


# --- 4. the lexicon ----------------------------------------------------------------------------


def lexicon(engine, examples, hits) -> dict[str, float]:
    from extractor.nlp import get_nlp

    found = []
    for doc in get_nlp("nl").pipe(e["query"] for e in examples):
        covered: dict[str, float] = {}
        for match in engine.extractor.lexicon("nl").find(doc):
            share = len(match.span.text) / max(len(doc.text), 1)
            for entry in match.entries:
                for uri in entry.uris:
                    covered[uri] = max(covered.get(uri, 0.0), share)
        found.append(covered)
    out: dict[str, float] = {
        "queries_with_a_match": sum(1 for f in found if f),
        "of_which_gold_matched": sum(
            1 for f, e in zip(found, examples, strict=True) if set(f) & set(e["gold"])
        ),
    }
    for boost in (0.02, 0.05, 0.1, 1.0):
        for mode in ("any", "whole"):
            rankings = []
            for candidates, covered in zip(hits, found, strict=True):
                scores = {h.concept.uri: h.score for h in candidates}
                floor = min(scores.values(), default=0.0)
                for uri, share in covered.items():
                    if mode == "whole" and share < 0.99:
                        continue
                    weight = share if mode == "any" else 1.0
                    scores[uri] = scores.get(uri, floor) + boost * weight
                rankings.append(_by_score(scores))
            out[f"{mode} b={boost}"] = _mrr(rankings, examples)
    return out


def main() -> None:
    from vaardig.engine import Engine

    engine = Engine()
    started = time.perf_counter()
    vdab = _examples("normalisation_nl_vdab_dev.jsonl")
    melo = _examples("occupations_nl_melo_bel.jsonl")
    results: dict[str, object] = {"encoder": engine.encoder.id}
    for key, examples, kind in (("vdab", vdab, "skill"), ("melo", melo, "occupation")):
        queries = [e["query"] for e in examples]
        vectors = engine.encoder.encode_queries(queries)
        hits = engine.linker.rank(queries, kind=kind, k=DEPTH, vectors=vectors, exact=True)
        figures: dict[str, object] = {
            "baseline": _mrr([[h.concept.uri for h in r] for r in hits], examples),
            "compound_splitting": compounds(engine, examples, vectors, kind),
        }
        if kind == "skill":
            figures["descriptions"] = descriptions(engine, examples, vectors, hits)
            figures["graph"] = graph(engine, examples, hits)
            figures["lexicon"] = lexicon(engine, examples, hits)
        results[key] = figures
        print(key, json.dumps(figures), flush=True)
    write_results(OUT, results, started)


if __name__ == "__main__":
    main()
