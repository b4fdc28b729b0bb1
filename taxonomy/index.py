"""A FAISS index over every taxonomy label, for semantic search of skills and occupations.

Each label (preferred and alternative, Dutch and English) is one row; a concept scores as its
best-matching label. Label embeddings are cached on disk under
``<cache>/index/<taxonomy version>-<taxonomy fingerprint>-<encoder id>/``; a changed taxonomy or
encoder gives a new key (so a rebuild), and a cache whose checksum fails is rebuilt, never
loaded. For the default encoder the build starts from the shipped seed (see ``taxonomy.seed``),
so only labels the seed lacks are encoded.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

from taxonomy.encoders import Encoder
from taxonomy.model import Concept, ConceptKind
from taxonomy.seed import load_seed
from taxonomy.taxonomy import Taxonomy, _checked_key

log = logging.getLogger(__name__)

INDEX_KINDS: tuple[ConceptKind, ...] = ("skill", "occupation", "capability")
_CACHE_FORMAT = 3  # 3: HNSW built with efConstruction 100 (was 40)
# HNSW parameters, chosen by measurement (bench/results/taxonomy.json, "ann_vs_exact"): with
# efConstruction 40 the graph missed concepts that exact search finds (Dutch skill phrases: MRR
# 0.380 against 0.387 exact); 100 closes that gap at the same search time, for a first build
# some seconds longer. A larger M did not help.
ANN_MIN_LABELS = 20_000
ANN_M = 16
ANN_EF_CONSTRUCTION = 100
ANN_EF_SEARCH = 128

BuildProgress = Callable[[int, int], None]  # (done, total) labels encoded


@dataclass(frozen=True)
class SearchHit:
    """A concept found by similarity: ``score`` is the cosine similarity of its best label."""

    concept: Concept
    score: float
    label: str


class TaxonomyIndex:
    """Label embeddings plus one exact inner-product FAISS index per concept kind.

    Build with :func:`get_index` (cached); ``search``/``search_many`` take text, and
    ``search_vectors`` takes already-encoded query vectors.
    """

    def __init__(
        self,
        taxonomy: Taxonomy,
        encoder: Encoder,
        texts: list[str],
        embeddings: np.ndarray,
        ann: dict[str, faiss.Index] | None = None,
    ) -> None:
        self.taxonomy = taxonomy
        self.encoder = encoder
        self.texts = texts
        self.embeddings = embeddings
        row_of = {t: i for i, t in enumerate(texts)}
        self._row_of = row_of
        self._rows: dict[str, np.ndarray] = {}
        self._uris: dict[str, list[str]] = {}
        self._labels: dict[str, list[str]] = {}
        self._faiss: dict[str, faiss.Index] = {}
        for kind in INDEX_KINDS:
            pairs = taxonomy.all_labels((kind,))
            rows = np.array([row_of[label] for label, _ in pairs], dtype=np.int64)
            index = faiss.IndexFlatIP(embeddings.shape[1])
            if len(rows):
                index.add(embeddings[rows])
            self._rows[kind] = rows
            self._uris[kind] = [uri for _, uri in pairs]
            self._labels[kind] = [label for label, _ in pairs]
            self._faiss[kind] = index
        # approximate (HNSW) indexes for the large kinds; exact search stays available
        self.ann: dict[str, faiss.Index] = dict(ann or {})

    def build_ann(self) -> None:
        """Build HNSW indexes for kinds with more than ``ANN_MIN_LABELS`` labels (seconds)."""
        for kind in INDEX_KINDS:
            rows = self._rows[kind]
            if len(rows) >= ANN_MIN_LABELS and kind not in self.ann:
                hnsw = faiss.IndexHNSWFlat(self.dim, ANN_M, faiss.METRIC_INNER_PRODUCT)
                hnsw.hnsw.efConstruction = ANN_EF_CONSTRUCTION
                hnsw.add(np.ascontiguousarray(self.embeddings[rows]))
                self.ann[kind] = hnsw

    @property
    def dim(self) -> int:
        return int(self.embeddings.shape[1])

    def size(self, kind: ConceptKind) -> int:
        return int(self._faiss[kind].ntotal)

    def label_vector(self, text: str) -> np.ndarray | None:
        """The cached embedding of a taxonomy label (exact text), or None."""
        row = self._row_of.get(text)
        return None if row is None else self.embeddings[row]

    def search(self, text: str, kind: ConceptKind = "skill", k: int = 10) -> list[SearchHit]:
        """The ``k`` concepts of ``kind`` closest to ``text``, best first."""
        return self.search_many([text], kind, k)[0]

    def search_many(
        self, texts: Sequence[str], kind: ConceptKind = "skill", k: int = 10
    ) -> list[list[SearchHit]]:
        """Batch version of :meth:`search` (one encoder call for all texts)."""
        for t in texts:
            _checked_key(t)
        return self.search_vectors(self.encoder.encode_queries(list(texts)), kind, k)

    def search_vectors(
        self, vectors: np.ndarray, kind: ConceptKind = "skill", k: int = 10, exact: bool = False
    ) -> list[list[SearchHit]]:
        """Search with query vectors of shape (n, dim); one ranked list per row.

        Large kinds use the HNSW index unless ``exact``; scores are exact inner products
        either way (HNSW stores the full vectors), only recall can differ.
        """
        if kind not in self._faiss:
            raise ValueError(f"kind must be one of {', '.join(INDEX_KINDS)}, not {kind!r}")
        if k < 1:
            raise ValueError("k must be at least 1")
        index = self._faiss[kind] if exact or kind not in self.ann else self.ann[kind]
        if hasattr(index, "hnsw"):
            index.hnsw.efSearch = max(ANN_EF_SEARCH, k * 3)
        if index.ntotal == 0:
            return [[] for _ in range(len(vectors))]
        # several labels per concept: fetch more label rows than concepts wanted (a larger k
        # makes FAISS's top-k selection the bottleneck, so stay modest)
        depth = min(index.ntotal, max(32, k * 3))
        scores, ids = index.search(np.ascontiguousarray(vectors, dtype=np.float32), depth)
        uris, labels = self._uris[kind], self._labels[kind]
        results = []
        for row_scores, row_ids in zip(scores, ids, strict=True):
            best: dict[str, SearchHit] = {}
            for score, i in zip(row_scores, row_ids, strict=True):
                if i < 0:
                    continue
                uri = uris[i]
                if uri not in best:
                    best[uri] = SearchHit(self.taxonomy.concepts[uri], float(score), labels[i])
                    if len(best) == k:
                        break
            results.append(list(best.values()))
        return results


# --- building and caching ----------------------------------------------------------------------


def cache_key(taxonomy: Taxonomy, encoder: Encoder) -> str:
    return f"{taxonomy.version}-{taxonomy.fingerprint}-{encoder.id}-f{_CACHE_FORMAT}"


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file, read in 1 MiB blocks (cache integrity checks)."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _load_cache(
    folder: Path,
) -> tuple[list[str], np.ndarray, dict[str, faiss.Index]] | None:
    """Texts, embeddings and HNSW indexes from a cache folder; None if absent or not intact."""
    manifest_path = folder / "manifest.json"
    if not manifest_path.is_file():
        return None
    try:
        manifest = json.loads(manifest_path.read_text())
        for name, digest in manifest["sha256"].items():
            if file_sha256(folder / name) != digest:
                raise ValueError(f"{name} fails its checksum")
        texts = json.loads((folder / "texts.json").read_text(encoding="utf-8"))
        emb = np.load(folder / "embeddings.npy").astype(np.float32)
        if emb.shape != (len(texts), manifest["dim"]):
            raise ValueError("shape mismatch")
        ann = {
            kind: faiss.read_index(str(folder / f"ann-{kind}.faiss"))
            for kind in manifest.get("ann", [])
        }
        return texts, emb, ann
    except (OSError, ValueError, KeyError, RuntimeError, json.JSONDecodeError) as exc:
        log.warning("index cache %s is damaged (%s); rebuilding", folder, exc)
        return None


def _save_cache(
    folder: Path,
    texts: list[str],
    emb: np.ndarray,
    meta: dict[str, str],
    ann: dict[str, faiss.Index],
) -> None:
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".build-"))
    try:
        (tmp / "texts.json").write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
        np.save(tmp / "embeddings.npy", emb.astype(np.float16))
        names = ["texts.json", "embeddings.npy"]
        for kind, index in ann.items():
            faiss.write_index(index, str(tmp / f"ann-{kind}.faiss"))
            names.append(f"ann-{kind}.faiss")
        manifest = {
            **meta,
            "dim": int(emb.shape[1]),
            "n": len(texts),
            "ann": sorted(ann),
            "sha256": {n: file_sha256(tmp / n) for n in names},
        }
        # the manifest goes last: a folder without one is an unfinished build
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1))
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(tmp, folder)
    except OSError as exc:
        log.warning("cannot write index cache %s: %s", folder, exc)
        shutil.rmtree(tmp, ignore_errors=True)


def _console_progress() -> BuildProgress | None:
    if not sys.stderr.isatty():
        return None
    from rich.progress import Progress

    bar = Progress(transient=True)
    task_id: list[int] = []

    def update(done: int, total: int) -> None:
        if not task_id:
            bar.start()
            task_id.append(bar.add_task("Embedding taxonomy labels", total=total))
        bar.update(task_id[0], completed=done)
        if done >= total:
            bar.stop()

    return update


def build_embeddings(
    taxonomy: Taxonomy,
    encoder: Encoder,
    progress: BuildProgress | None = None,
    use_seed: bool = True,
) -> tuple[list[str], np.ndarray]:
    """Embeddings for every unique label text of the indexed kinds (seed first, then encode)."""
    texts = sorted({label for label, _ in taxonomy.all_labels(INDEX_KINDS)})
    emb = np.zeros((len(texts), encoder.dim), dtype=np.float32)
    # an encoder that runs the same weights differently names the seed it can use
    seed = load_seed(getattr(encoder, "seed_id", encoder.id)) if use_seed else None
    missing = list(range(len(texts)))
    if seed is not None:
        lookup = seed.lookup()
        hit = [(i, lookup[t]) for i, t in enumerate(texts) if t in lookup]
        if hit:
            dst, src = map(list, zip(*hit, strict=True))
            emb[dst] = seed.embeddings[src]
        have = set(i for i, _ in hit)
        missing = [i for i in range(len(texts)) if i not in have]
    if missing:
        done = [0]

        def tick(n: int) -> None:
            done[0] += n
            if progress is not None:
                progress(done[0], len(missing))

        emb[missing] = encoder.encode_queries([texts[i] for i in missing], progress=tick)
    return texts, emb


def get_index(
    taxonomy: Taxonomy,
    encoder: Encoder,
    cache_dir: Path | None = None,
    progress: BuildProgress | None = None,
    rebuild: bool = False,
    use_seed: bool = True,
) -> TaxonomyIndex:
    """The taxonomy index for (taxonomy, encoder): from the disk cache, else built and cached.

    ``progress(done, total)`` is called while labels are encoded (never on a cache hit); by
    default a progress bar is shown when stderr is a terminal.
    """
    from vaardig.settings import get_settings

    root = Path(cache_dir or get_settings().cache_dir) / "index"
    folder = root / cache_key(taxonomy, encoder)
    cached = None if rebuild else _load_cache(folder)
    if cached is not None:
        texts, emb, ann = cached
        return TaxonomyIndex(taxonomy, encoder, texts, emb, ann)
    texts, emb = build_embeddings(
        taxonomy, encoder, progress or _console_progress(), use_seed=use_seed
    )
    # float16 on disk: use the same values in memory so a fresh and a cached index agree
    emb = emb.astype(np.float16).astype(np.float32)
    index = TaxonomyIndex(taxonomy, encoder, texts, emb)
    index.build_ann()
    meta = {
        "taxonomy": taxonomy.version,
        "encoder": encoder.id,
        "fingerprint": taxonomy.fingerprint,
    }
    _save_cache(folder, texts, emb, meta, index.ann)
    return index
