"""Unit vectors keyed by int64 ids, with inner-product search: the FAISS part of the passport and
role indexes.

Up to ``FLAT_MAX`` vectors the search is exact: ``IndexIDMap2(IndexFlatIP)``, which removes by
id (compacting in place; nothing is re-embedded) and reconstructs by id. Searches go to the
inner flat index directly, with our own copy of the position → id map: ``IndexIDMap.search``
translates ids in an OpenMP loop, which on a busy 2-core machine waits milliseconds for a second
thread to do ten lookups.

Beyond ``FLAT_MAX`` an exact search reads every vector (1.5 KB each: 150 MB at 100,000 people,
about 55 ms on the reference machine) and stops meeting the latency budget (bench/RESULTS.md),
so the vectors move, once, to an
``IndexIVFFlat`` (about √n lists trained by k-means on a sample, ``nprobe`` lists searched, raw
vectors kept, a hash-table direct map for O(1) removal and reconstruction by id). The benchmark
measures its recall@10 against exact search. Retrieval only chooses which pairs get scored;
scores never depend on it.
"""

from __future__ import annotations

import math

import faiss
import numpy as np

FLAT_MAX = 5_000
IVF_TRAIN_PER_LIST = 40  # FAISS wants at least 39 points per list
IVF_PROBE_SHARE = 1 / 12  # lists searched per query, as a share of all lists


class IdVectors:
    """Vectors (dim,) float32 keyed by int64 ids. Not thread-safe: callers hold a lock."""

    def __init__(self, dim: int, flat_max: int = FLAT_MAX) -> None:
        self.dim = dim
        self.flat_max = flat_max
        self._flat: faiss.IndexIDMap2 | None = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
        self._ids = np.zeros(0, dtype=np.int64)  # flat: ids in FAISS position order
        self._ivf: faiss.IndexIVFFlat | None = None

    def __len__(self) -> int:
        return int((self._ivf or self._flat).ntotal)

    @property
    def kind(self) -> str:
        """ "flat" (exact) or "ivf<lists>/<probes>"."""
        if self._ivf is None:
            return "flat"
        return f"ivf{self._ivf.nlist}/{self._ivf.nprobe}"

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Add vectors (n, dim) under new ids (n,); ids already present must be removed first."""
        ids = np.ascontiguousarray(ids, dtype=np.int64)
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if self._ivf is not None:
            self._ivf.add_with_ids(vectors, ids)
            return
        self._flat.add_with_ids(vectors, ids)
        self._ids = np.concatenate([self._ids, ids])
        if len(self) > self.flat_max:
            self._switch_to_ivf()

    def remove(self, ids: np.ndarray) -> int:
        """Remove these ids (absent ones are ignored); returns how many went."""
        ids = np.ascontiguousarray(ids, dtype=np.int64)
        if not len(ids):
            return 0
        if self._ivf is not None:
            return int(self._ivf.remove_ids(faiss.IDSelectorArray(len(ids), faiss.swig_ptr(ids))))
        removed = int(self._flat.remove_ids(ids))
        if removed:
            self._ids = self._ids[~np.isin(self._ids, ids)]  # FAISS compacts in the same order
        return removed

    def reconstruct(self, key: int) -> np.ndarray:
        """The stored vector of ``key`` (exact: both index types keep raw float32)."""
        return (self._ivf or self._flat).reconstruct(int(key))

    def reconstruct_many(self, keys: np.ndarray) -> np.ndarray:
        """Stored vectors of ``keys``, shape (len(keys), dim), in one call."""
        keys = np.ascontiguousarray(keys, dtype=np.int64)
        if not len(keys):
            return np.zeros((0, self.dim), dtype=np.float32)
        return (self._ivf or self._flat).reconstruct_batch(keys)

    def search(self, vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(ids, inner products) of the ``k`` nearest, best first; shorter when fewer stored."""
        k = min(k, len(self))
        if k < 1:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        query = np.ascontiguousarray(vector, dtype=np.float32).reshape(1, -1)
        if self._ivf is not None:
            scores, ids = self._ivf.search(query, k)
            keep = ids[0] >= 0
            return ids[0][keep], scores[0][keep]
        scores, positions = self._flat.index.search(query, k)
        keep = positions[0] >= 0
        return self._ids[positions[0][keep]], scores[0][keep]

    def _switch_to_ivf(self) -> None:
        n = len(self)
        vectors = self._flat.index.reconstruct_n(0, n)
        lists = max(64, int(math.sqrt(n)))
        rng = np.random.default_rng(0)
        sample = vectors[rng.choice(n, min(n, IVF_TRAIN_PER_LIST * lists), replace=False)]
        ivf = faiss.IndexIVFFlat(
            faiss.IndexFlatIP(self.dim), self.dim, lists, faiss.METRIC_INNER_PRODUCT
        )
        ivf.train(sample)
        ivf.set_direct_map_type(faiss.DirectMap.Hashtable)
        ivf.nprobe = max(8, round(lists * IVF_PROBE_SHARE))
        ivf.add_with_ids(vectors, self._ids)
        self._ivf, self._flat, self._ids = ivf, None, np.zeros(0, dtype=np.int64)
