"""The space matching works in: one unit vector per ESCO skill, which skills are *near* each
other, and the ESCO relations between skills (broader/narrower, skill-skill).

Vectors are the taxonomy index's embeddings of each skill's *English* preferred label (every
ESCO skill has one, so all skills are compared in one language; a Dutch label next to an
English fallback would be compared across languages), minus the mean of all skill vectors,
re-normalised. E5 vectors share a large common component: raw cosines of random skill pairs are
0.79 ± 0.02 (nothing is far from anything); after centring they are 0.00 ± 0.12 with the default
encoder, with a 99.99th percentile of 0.675, so a threshold means something
(``scripts/measure_skill_space.py``, ``eval/results/skill_space/``). The mean is a property of
the taxonomy and encoder, never of a population, so scores built on it stay stable.

``near`` is a sparse, symmetric (n_skills, n_skills) matrix: 1.0 on the diagonal, the cosine
for pairs at or above ``NEAR_THRESHOLD``, and at least ``NEAR_THRESHOLD`` for pairs with an
ESCO relation; zero elsewhere. It is computed once (about 14,000² dot products, seconds) and
cached on disk under ``<cache>/matching/`` keyed by taxonomy and encoder, like the index. Every
score reads its similarities from this one matrix, so a pair's similarity never depends on
what else is scored with it.

    space = SkillSpace.from_index(index)          # cached: ~0.2 s; first time: a few seconds
    rows = space.rows([uri_a, uri_b])             # -> int64 rows, -1 for unknown URIs
    space.near_block(rows_a, rows_b)              # -> (len a, len b) near-similarities
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
from scipy import sparse

from taxonomy.index import TaxonomyIndex, cache_key
from taxonomy.model import Concept

log = logging.getLogger(__name__)

NEAR_THRESHOLD = 0.67  # see matcher/scoring.py
# Relation codes, read as "the second skill is ... of the first".
NO_RELATION, BROADER, NARROWER, RELATED = 0, 1, 2, 3
RELATION_NAMES = {BROADER: "broader", NARROWER: "narrower", RELATED: "related"}
_NEAR_FORMAT = 1
_BLOCK = 2048


class SkillSpace:
    """Unit vectors (``matrix``, shape (n_skills, dim), float32), near-similarities and
    relations of ESCO skills. Rows are the skills' URIs in sorted order (``row_of[uri]``).
    Build with :meth:`from_index`."""

    def __init__(
        self,
        index: TaxonomyIndex,
        uris: Sequence[str],
        matrix: np.ndarray,
        near: sparse.csr_matrix | None = None,
    ) -> None:
        self.index = index
        self.taxonomy = index.taxonomy
        self.uris: list[str] = list(uris)
        self.row_of: dict[str, int] = {uri: i for i, uri in enumerate(self.uris)}
        self.matrix = np.ascontiguousarray(matrix, dtype=np.float32)
        self._matrix64 = self.matrix.astype(np.float64)  # profile vectors are summed in float64
        self.relations_matrix = _relation_matrix(self.taxonomy, self.row_of)
        self.near = near if near is not None else near_matrix(self.matrix, self.relations_matrix)

    @classmethod
    def from_index(cls, index: TaxonomyIndex, cache_dir: Path | None = None) -> SkillSpace:
        """Centred label vectors of every ESCO skill (labels the index lacks are encoded), and
        the near matrix from the disk cache, or computed and cached."""
        taxonomy = index.taxonomy
        uris = sorted(c.uri for c in taxonomy.iter("skill"))
        labels = [taxonomy.concepts[uri].pref_en or taxonomy.concepts[uri].label for uri in uris]
        matrix = np.zeros((len(uris), index.dim), dtype=np.float32)
        missing = []
        for i, label in enumerate(labels):
            vector = index.label_vector(label)
            if vector is None:
                missing.append(i)
            else:
                matrix[i] = vector
        if missing:
            matrix[missing] = index.encoder.encode_queries([labels[i] for i in missing])
        matrix -= matrix.mean(axis=0)
        matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
        path = _near_cache_path(index, cache_dir)
        cached = _load_near(path, len(uris))
        space = cls(index, uris, matrix, near=cached)
        if cached is None:
            _save_near(path, space.near)
        return space

    @property
    def dim(self) -> int:
        return int(self.matrix.shape[1])

    def __len__(self) -> int:
        return len(self.uris)

    def __contains__(self, uri: object) -> bool:
        return uri in self.row_of

    def rows(self, uris: Iterable[str]) -> np.ndarray:
        """Rows of ``uris`` as int64; -1 where the URI is not an ESCO skill."""
        return np.array([self.row_of.get(uri, -1) for uri in uris], dtype=np.int64)

    def concept(self, row: int) -> Concept:
        return self.taxonomy.concepts[self.uris[row]]

    def label(self, row: int) -> str:
        return self.concept(row).label

    def near_block(self, rows_a: np.ndarray, rows_b: np.ndarray) -> np.ndarray:
        """Near-similarities, shape (len a, len b), float32: 1.0 for the same skill, the
        (relation-boosted) cosine for near pairs, 0 for the rest. Expands the shorter side's
        rows (the matrix is symmetric), so it is cheap for one person × many skills and for
        many people × one role."""
        if len(rows_a) <= len(rows_b):
            return self.near[rows_a].toarray()[:, rows_b]
        return self.near[rows_b].toarray()[:, rows_a].T

    def similarity(self, rows_a: np.ndarray, rows_b: np.ndarray) -> np.ndarray:
        """Plain cosines, shape (len a, len b), float64, for explanations (e.g. how far the
        closest held skill is when nothing is near); scores use :meth:`near_block`.

        ``einsum``, not BLAS: for these small blocks a multi-threaded BLAS call spends longer
        waking its threads on a busy machine than computing."""
        return np.einsum("id,jd->ij", self._matrix64[rows_a], self._matrix64[rows_b])

    def relations(self, rows_a: np.ndarray, rows_b: np.ndarray) -> np.ndarray:
        """Relation codes, shape (len a, len b), int8: ``BROADER`` where skill b is broader than
        skill a, ``NARROWER``, ``RELATED`` (an ESCO skill-skill relation either way), else 0."""
        if len(rows_a) == 0 or len(rows_b) == 0:
            return np.zeros((len(rows_a), len(rows_b)), dtype=np.int8)
        return self.relations_matrix[rows_a].toarray()[:, rows_b]

    def profile_vectors(
        self, rows: np.ndarray, weights: np.ndarray, offsets: np.ndarray
    ) -> np.ndarray:
        """Weighted means of skill vectors, L2-normalised (zeros for an empty profile): profile
        ``k`` owns ``rows[offsets[k]:offsets[k + 1]]``. Shape (len(offsets) - 1, dim), float32.

        Each row is summed on its own, in the order given, so a profile gets the same vector
        alone as in a batch of 100,000."""
        n = len(offsets) - 1
        weights_matrix = sparse.csr_matrix(
            (
                np.asarray(weights, dtype=np.float64),
                np.asarray(rows, dtype=np.int64),
                np.asarray(offsets, dtype=np.int64),
            ),
            shape=(n, len(self.uris)),
        )
        vectors = np.asarray(weights_matrix @ self._matrix64)
        norms = np.sqrt((vectors * vectors).sum(axis=1, keepdims=True))
        return (vectors / np.where(norms > 0, norms, 1.0)).astype(np.float32)

    def profile_vector(self, rows: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """:meth:`profile_vectors` for one profile: shape (dim,), float32."""
        return self.profile_vectors(rows, weights, np.array([0, len(rows)]))[0]


def near_matrix(matrix: np.ndarray, relations: sparse.csr_matrix) -> sparse.csr_matrix:
    """The symmetric near matrix (see module doc) of unit ``matrix`` rows; float32, values
    rounded to 4 decimals."""
    n = len(matrix)
    rows, cols, values = [], [], []
    for start in range(0, n, _BLOCK):
        block = matrix[start : start + _BLOCK] @ matrix.T
        r, c = np.nonzero(block >= NEAR_THRESHOLD)
        rows.append(r + start)
        cols.append(c)
        values.append(block[r, c])
    related = relations.tocoo()
    pairs = np.einsum("ij,ij->i", matrix[related.row], matrix[related.col])
    rows.append(related.row)
    cols.append(related.col)
    values.append(np.maximum(pairs, NEAR_THRESHOLD))
    near = sparse.coo_matrix(
        (np.concatenate(values), (np.concatenate(rows), np.concatenate(cols))), shape=(n, n)
    ).tocsr()
    near.sum_duplicates()
    near = near.maximum(near.T)  # both directions get the same value
    near.setdiag(1.0)
    near.data = np.round(np.minimum(near.data, 1.0), 4).astype(np.float32)
    near = near.astype(np.float32).tocsr()
    near.sort_indices()
    return near


def _near_cache_path(index: TaxonomyIndex, cache_dir: Path | None) -> Path:
    from vaardig.settings import get_settings

    root = Path(cache_dir or get_settings().cache_dir) / "matching"
    key = cache_key(index.taxonomy, index.encoder)
    return root / f"near-{key}-t{NEAR_THRESHOLD:.2f}-f{_NEAR_FORMAT}.npz"


def _load_near(path: Path, n: int) -> sparse.csr_matrix | None:
    if not path.is_file():
        return None
    try:
        near = sparse.load_npz(path).tocsr()
        if near.shape != (n, n) or near.dtype != np.float32:
            raise ValueError(f"shape {near.shape}, dtype {near.dtype}")
        return near
    except (OSError, ValueError, KeyError) as exc:
        log.warning("near-skill cache %s is damaged (%s); rebuilding", path, exc)
        return None


def _save_near(path: Path, near: sparse.csr_matrix) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".near-", suffix=".npz")
        os.close(fd)
        sparse.save_npz(tmp, near)
        os.replace(tmp, path)
    except OSError as exc:
        log.warning("cannot write near-skill cache %s: %s", path, exc)


def _relation_matrix(taxonomy, row_of: dict[str, int]) -> sparse.csr_matrix:
    """Sparse (n, n) int8 matrix of relation codes; the first relation found for a pair wins
    (broader/narrower before skill-skill)."""
    codes: dict[tuple[int, int], int] = {}
    for uri, row in row_of.items():
        for parent in taxonomy.broader.get(uri, ()):
            parent_row = row_of.get(parent)
            if parent_row is not None and parent_row != row:
                codes.setdefault((row, parent_row), BROADER)
                codes.setdefault((parent_row, row), NARROWER)
    for uri, related in taxonomy.related_skills.items():
        row = row_of.get(uri)
        if row is None:
            continue
        for other, _kind in related:
            other_row = row_of.get(other)
            if other_row is not None and other_row != row:
                codes.setdefault((row, other_row), RELATED)
                codes.setdefault((other_row, row), RELATED)
    if not codes:
        return sparse.csr_matrix((len(row_of), len(row_of)), dtype=np.int8)
    pairs = np.array(list(codes), dtype=np.int64)
    values = np.array(list(codes.values()), dtype=np.int8)
    return sparse.csr_matrix(
        (values, (pairs[:, 0], pairs[:, 1])), shape=(len(row_of), len(row_of)), dtype=np.int8
    )
