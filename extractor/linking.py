"""Link a phrase to taxonomy concepts: semantic (encoder + FAISS) fused with lexical evidence.

Embeddings alone confuse near-synonyms and miss exact wording; character n-gram TF-IDF over the
same labels catches spelling and compound variants ("heftruckcertificaat" ~ "heftruck") that
are frequent in Dutch. For each query, the candidates of both retrievers are merged and scored
exactly on all their labels::

    score = (1 - w) * max_label cos(query, label) + w * max_label tfidf_cos(query, label)

with ``w = lexical_weight`` (tuned on the development sets by ``scripts/calibrate.py``).
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from extractor.calibration import Calibration
from taxonomy.index import INDEX_KINDS, SearchHit, TaxonomyIndex
from taxonomy.model import ConceptKind, normalise_label

log = logging.getLogger(__name__)


class _Lexical:
    """Char n-gram TF-IDF over one kind's label texts."""

    def __init__(self, labels: list[str]) -> None:
        self.vectorizer = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(3, 5),
            min_df=1,
            sublinear_tf=True,
            dtype=np.float32,
            preprocessor=normalise_label,
        )
        self.matrix = self.vectorizer.fit_transform(labels)  # (n_labels, vocab), rows L2-normed
        self.matrix_t = self.matrix.T.tocsr()


class ConceptLinker:
    """Rank taxonomy concepts for short texts (skill phrases, job titles).

    ``rank(texts, kind, k)`` returns, per text, up to ``k`` :class:`SearchHit` best first, with
    ``score`` the fused similarity in [0, 1] (roughly; cosines of E5 rarely go below 0.6).
    """

    def __init__(
        self,
        index: TaxonomyIndex,
        lexical_weight: float | None = None,
        depth: int = 100,
        cache_dir: Path | None = None,
    ) -> None:
        if lexical_weight is None:
            lexical_weight = Calibration.load().lexical_weight
        if not 0.0 <= lexical_weight <= 1.0:
            raise ValueError("lexical_weight must be between 0 and 1")
        self.index = index
        self.lexical_weight = lexical_weight
        self.depth = depth
        self.cache_dir = cache_dir
        self._lexical: dict[str, _Lexical] = {}
        self._concept_rows: dict[str, dict[str, list[int]]] = {}

    # --- lazily built per kind -----------------------------------------------------------------
    def _rows_of(self, kind: str) -> dict[str, list[int]]:
        if kind not in self._concept_rows:
            rows: dict[str, list[int]] = defaultdict(list)
            for i, uri in enumerate(self.index._uris[kind]):
                rows[uri].append(i)
            self._concept_rows[kind] = dict(rows)
        return self._concept_rows[kind]

    def _lex(self, kind: str) -> _Lexical:
        if kind not in self._lexical:
            self._lexical[kind] = self._load_or_fit(kind)
        return self._lexical[kind]

    def _load_or_fit(self, kind: str) -> _Lexical:
        from vaardig.settings import get_settings

        labels = self.index._labels[kind]
        digest = hashlib.sha256("\n".join(labels).encode()).hexdigest()[:16]
        folder = Path(self.cache_dir or get_settings().cache_dir) / "lexical"
        path = folder / f"{kind}-{digest}.pickle"
        if path.is_file():
            try:
                with path.open("rb") as fh:
                    lex = pickle.load(fh)
                if isinstance(lex, _Lexical) and lex.matrix.shape[0] == len(labels):
                    return lex
            except Exception:  # damaged cache: refit below
                log.warning("lexical cache %s is damaged; refitting", path)
        lex = _Lexical(labels)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(lex, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError as exc:
            log.warning("cannot write lexical cache %s: %s", path, exc)
        return lex

    # --- ranking -------------------------------------------------------------------------------
    def rank(
        self,
        texts: Sequence[str],
        kind: ConceptKind = "skill",
        k: int = 10,
        vectors: np.ndarray | None = None,
    ) -> list[list[SearchHit]]:
        """Fused ranking per text. ``vectors`` (n, dim) may pass precomputed query embeddings."""
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
        depth = max(self.depth, k)
        semantic = self.index.search_vectors(vectors, kind, depth)
        w = self.lexical_weight
        if w == 0:
            return [hits[:k] for hits in semantic]
        lex = self._lex(kind)
        qmat = lex.vectorizer.transform(texts)  # (n, vocab)
        lex_scores = (qmat @ lex.matrix_t).tocsr()  # (n, n_labels) sparse
        rows_of = self._rows_of(kind)
        uris = self.index._uris[kind]
        label_rows = self.index._rows[kind]
        labels = self.index._labels[kind]
        emb = self.index.embeddings
        out = []
        for qi, hits in enumerate(semantic):
            row = lex_scores.getrow(qi)
            lex_by_label = dict(zip(row.indices.tolist(), row.data.tolist(), strict=True))
            top_lex = sorted(lex_by_label, key=lex_by_label.__getitem__, reverse=True)[:depth]
            candidates = {h.concept.uri for h in hits} | {uris[i] for i in top_lex}
            scored = []
            for uri in candidates:
                rows = rows_of[uri]
                sem = emb[label_rows[rows]] @ vectors[qi]
                lx = np.array([lex_by_label.get(r, 0.0) for r in rows], dtype=np.float32)
                fused = (1 - w) * sem + w * lx
                best = int(np.argmax(fused))
                scored.append((float(fused[best]), uri, labels[rows[best]]))
            scored.sort(key=lambda t: (-t[0], t[1]))
            concepts = self.index.taxonomy.concepts
            out.append([SearchHit(concepts[u], s, lab) for s, u, lab in scored[:k]])
        return out
