"""Link a phrase to taxonomy concepts: semantic retrieval (encoder + FAISS), then exact rescoring.

The index scores a concept by its single best label. Rescoring the top candidates on all their
labels is more robust: a concept whose several labels all sit close to the query (a real
synonym set) beats one with a single lucky label, and shared content words (lemmas) add a
little lexical evidence::

    score = (1 - m) * max_label_cos + m * mean(top-3 label cos) + j * lemma_overlap

``lemma_overlap`` is the Jaccard index of the content lemmas. For job titles a Dutch compound
also matches its head: "servicemonteur" counts as "monteur" (:func:`compound_overlap`), so
"Servicemonteur zonnepanelen" prefers *monteur zonnepanelen* over an embedding near-miss
(*operator stoomketel*, whose label "service- en onderhoudsmonteur zonneboiler" shares no word
with it). When it was introduced, with the weight re-tuned by ``scripts/calibrate.py``, title
MRR on the dev sets was as good or better (MELO 0.632 → 0.634, JobBERT 0.390 → 0.390); for
skills it lowered VDAB MRR by 0.002, so skills keep the plain Jaccard index. The weights in use
are in the calibration file (0.12 for both kinds with the ESCO adapter).

``m`` and ``j`` are set per concept kind in ``extractor/data/calibration.json``, tuned on the
development sets by ``scripts/calibrate.py`` (measured there: character n-gram TF-IDF fusion
and a popularity prior both lowered MRR, so neither is used).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from itertools import repeat

import numpy as np

from extractor.calibration import Calibration
from extractor.nlp import STOP_WORDS, lemma_key
from taxonomy.index import INDEX_KINDS, SearchHit, TaxonomyIndex
from taxonomy.model import ConceptKind

_WORD = re.compile(r"\w+")
LEMMA_RESCORE_TOP = 15


def content_lemmas(text: str, lang: str = "nl") -> frozenset[str]:
    """Lemma keys of the content words of ``text`` (stop words dropped)."""
    words = _WORD.findall(text.lower())
    return frozenset(map(lemma_key, words, repeat(lang, len(words)))) - STOP_WORDS


MIN_COMPOUND_PART = 4  # shorter words ("bal", "pr") are too often the end of unrelated words


def compound_overlap(query: frozenset[str], label: frozenset[str]) -> float:
    """Jaccard index of two lemma sets in which a Dutch compound also matches its head:
    "servicemonteur" ~ "monteur" (Dutch compounds put the head last): two words of at least
    ``MIN_COMPOUND_PART`` letters match when one ends in the other. Shorter words only match
    exactly. One match per word on either side; 1.0 for equal sets, 0.0 when nothing is
    shared."""
    if not query or not label:
        return 0.0
    shared = len(query & label)
    if shared < len(query) and shared < len(label):
        rest_q = [a for a in query if len(a) >= MIN_COMPOUND_PART and a not in label]
        rest_l = [b for b in label if len(b) >= MIN_COMPOUND_PART and b not in query]
        if rest_q and rest_l:  # a handful of words each: pairwise tests are cheapest
            q_hits = sum(1 for a in rest_q if any(a.endswith(b) or b.endswith(a) for b in rest_l))
            l_hits = sum(1 for b in rest_l if any(b.endswith(a) or a.endswith(b) for a in rest_q))
            shared += min(q_hits, l_hits)
    return shared / (len(query) + len(label) - shared)


def jaccard(query: frozenset[str], label: frozenset[str]) -> float:
    """Plain Jaccard index of two lemma sets (0.0 when both are empty)."""
    union = len(query | label)
    return len(query & label) / union if union else 0.0


class ConceptLinker:
    """Rank taxonomy concepts for short texts (skill phrases, job titles).

    ``rank(texts, kind, k)`` returns, per text, up to ``k`` :class:`SearchHit` best first;
    ``score`` is the rescored similarity (comparable across calls, not a probability).
    """

    def __init__(
        self,
        index: TaxonomyIndex,
        calibration: Calibration | None = None,
        depth: int = 50,
    ) -> None:
        self.index = index
        self.calibration = calibration or Calibration.for_encoder(index.encoder)
        self.depth = depth
        self._concept_rows: dict[str, dict[str, np.ndarray]] = {}
        self._lemmas: dict[str, frozenset[str]] = {}
        self._concept_lemma_sets: dict[
            tuple[str, str], tuple[tuple[frozenset[str], ...], frozenset[str]]
        ] = {}

    def weights(self, kind: str) -> tuple[float, float]:
        """(mean-of-top-3 weight, lemma-overlap weight) for a concept kind."""
        cal = self.calibration
        if kind == "occupation":
            return cal.occupation_mean_weight, cal.occupation_lemma_weight
        return cal.skill_mean_weight, cal.skill_lemma_weight

    def _rows_of(self, kind: str) -> dict[str, np.ndarray]:
        if kind not in self._concept_rows:
            rows: dict[str, list[int]] = defaultdict(list)
            for i, uri in enumerate(self.index._uris[kind]):
                rows[uri].append(i)
            self._concept_rows[kind] = {u: np.array(r) for u, r in rows.items()}
        return self._concept_rows[kind]

    def _concept_lemmas(
        self, kind: str, uri: str, rows: np.ndarray
    ) -> tuple[tuple[frozenset[str], ...], frozenset[str]]:
        """The distinct lemma sets of a concept's labels (gendered and spelling variants of a
        title often share one) and their union, computed once per concept. ``rank`` tests the
        union first: an overlap of 0 with it is 0 with every label, for the Jaccard index and
        for :func:`compound_overlap` alike."""
        key = (kind, uri)
        if key not in self._concept_lemma_sets:
            labels = self.index._labels[kind]
            sets = tuple(dict.fromkeys(self._label_lemmas(labels[r]) for r in rows))
            self._concept_lemma_sets[key] = (sets, frozenset().union(*sets))
        return self._concept_lemma_sets[key]

    def _label_lemmas(self, label: str) -> frozenset[str]:
        if label not in self._lemmas:
            self._lemmas[label] = content_lemmas(label)
        return self._lemmas[label]

    def rank(
        self,
        texts: Sequence[str],
        kind: ConceptKind = "skill",
        k: int = 10,
        vectors: np.ndarray | None = None,
        depth: int | None = None,
        exact: bool = False,
    ) -> list[list[SearchHit]]:
        """Rescored ranking per text. ``vectors`` (n, dim) may pass precomputed embeddings;
        ``depth`` candidates per text are rescored (default: the linker's ``depth``);
        ``exact`` retrieves them by exact search instead of HNSW (slower, full recall)."""
        if kind not in INDEX_KINDS:
            raise ValueError(f"kind must be one of {', '.join(INDEX_KINDS)}, not {kind!r}")
        texts = list(texts)
        for t in texts:
            if not isinstance(t, str) or not t.strip():
                raise ValueError("empty query: give a word or phrase, e.g. 'lassen'")
        if not texts:
            return []
        if vectors is None:
            vectors = self.index.encoder.encode_queries(texts)
        candidates = self.index.search_vectors(
            vectors, kind, max(depth or self.depth, k), exact=exact
        )
        m, j = self.weights(kind)
        if m == 0 and j == 0:
            return [hits[:k] for hits in candidates]
        rows_of = self._rows_of(kind)
        label_rows = self.index._rows[kind]
        emb = self.index.embeddings
        out = []
        for text, vec, hits in zip(texts, vectors, candidates, strict=True):
            if not hits:
                out.append([])
                continue
            row_lists = [rows_of[h.concept.uri] for h in hits]
            scores = _fused_scores(emb, label_rows, row_lists, vec, m)
            order = np.argsort(-scores, kind="stable")
            if j:  # lemma overlap can only reorder close calls: score the leaders only
                overlap = compound_overlap if kind == "occupation" else jaccard
                query_lemmas = content_lemmas(text)
                for i in order[:LEMMA_RESCORE_TOP] if query_lemmas else ():
                    label_sets, words = self._concept_lemmas(
                        kind, hits[i].concept.uri, row_lists[i]
                    )
                    # all of the concept's words at once first: nothing shared, nothing to add
                    if len(label_sets) > 1 and not overlap(query_lemmas, words):
                        continue
                    scores[i] += j * max(overlap(query_lemmas, lemmas) for lemmas in label_sets)
                order = np.argsort(-scores, kind="stable")
            out.append(
                [SearchHit(hits[i].concept, float(scores[i]), hits[i].label) for i in order[:k]]
            )
        return out


def _fused_scores(
    emb: np.ndarray, label_rows: np.ndarray, row_lists: list[np.ndarray], vec: np.ndarray, m: float
) -> np.ndarray:
    """Per concept, ``(1 - m) * best label cosine + m * mean of its top-3 label cosines``.

    All labels of all concepts in one matmul, then one padded (concepts x labels) table:
    sorted ascending per row, so the top 3 are the last three finite entries."""
    lengths = np.fromiter(map(len, row_lists), dtype=np.intp, count=len(row_lists))
    sims = emb[label_rows[np.concatenate(row_lists)]] @ vec
    table = np.full((len(row_lists), int(lengths.max())), -np.inf, dtype=np.float32)
    owner = np.repeat(np.arange(len(row_lists)), lengths)
    table[owner, np.arange(len(sims)) - np.repeat(np.cumsum(lengths) - lengths, lengths)] = sims
    table.sort(axis=1)
    width = min(3, table.shape[1])
    top = table[:, -width:]  # ascending; -inf where a concept has fewer labels
    counts = np.minimum(lengths, 3)
    sums = np.where(np.isfinite(top), top, np.float32(0)).sum(axis=1, dtype=np.float32)
    return (1 - m) * top[:, -1] + m * sums / counts.astype(np.float32)
