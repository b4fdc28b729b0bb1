"""The shipped embedding seed: label embeddings for the default encoder, quantised.

Embedding all ~160,000 ESCO labels takes over 10 minutes on 2 cores, so the repository ships
them for the default encoder, quantised to ``bits`` bits per dimension with one float16 scale
per row (symmetric, round-to-nearest), and bit-packed. A ``.sha256`` file beside the seed is
checked on every load; a mismatch is an error, never a silent fallback.

The seed is a cache of ``label text -> vector``: labels it lacks (a newer taxonomy, an imported
language) are encoded at index-build time.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SEED_DIR = Path(__file__).parent / "data" / "embeddings"


class SeedError(RuntimeError):
    """The shipped seed is damaged or does not match its checksum."""


@dataclass(frozen=True)
class Seed:
    encoder_id: str
    texts: list[str]
    embeddings: np.ndarray  # (n, dim) float32, rows L2-normalised

    def lookup(self) -> dict[str, int]:
        return {t: i for i, t in enumerate(self.texts)}


def quantise(x: np.ndarray, bits: int) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric per-row quantisation. Returns (codes uint8 packed, scales float16 (n,)).

    Codes are offset by ``2**(bits-1)`` so they are unsigned, then bit-packed row-major.
    """
    if not 2 <= bits <= 8:
        raise ValueError("bits must be between 2 and 8")
    x = np.asarray(x, dtype=np.float32)
    levels = 2 ** (bits - 1) - 1
    scales = (np.abs(x).max(axis=1) / levels).astype(np.float16)
    safe = np.where(scales == 0, 1, scales).astype(np.float32)[:, None]
    q = np.clip(np.rint(x / safe), -levels, levels).astype(np.int16) + 2 ** (bits - 1)
    # unpack each code to `bits` bits (LSB first), then pack all bits into bytes
    bitplanes = ((q[..., None] >> np.arange(bits)) & 1).astype(np.uint8)
    return np.packbits(bitplanes.reshape(-1), bitorder="little"), scales


def dequantise(codes: np.ndarray, scales: np.ndarray, bits: int, dim: int) -> np.ndarray:
    """Inverse of :func:`quantise`: (n, dim) float32 with L2-normalised rows."""
    n = len(scales)
    bitplanes = np.unpackbits(codes, count=n * dim * bits, bitorder="little")
    bitplanes = bitplanes.reshape(n, dim, bits).astype(np.int16)
    q = (bitplanes << np.arange(bits, dtype=np.int16)).sum(axis=2) - 2 ** (bits - 1)
    x = q.astype(np.float32) * scales.astype(np.float32)[:, None]
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1
    return x / norms


def seed_path(encoder_id: str, seed_dir: Path = SEED_DIR) -> Path:
    return seed_dir / f"{encoder_id}.npz"


def write_seed(
    encoder_id: str, texts: list[str], embeddings: np.ndarray, bits: int, seed_dir: Path = SEED_DIR
) -> Path:
    """Quantise and save a seed plus its checksum file. Returns the seed path."""
    codes, scales = quantise(embeddings, bits)
    path = seed_path(encoder_id, seed_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        path,
        codes=codes,
        scales=scales,
        meta=np.array(
            json.dumps(
                {
                    "encoder_id": encoder_id,
                    "bits": bits,
                    "dim": int(embeddings.shape[1]),
                    "texts": texts,
                }
            )
        ),
    )
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    path.with_suffix(".sha256").write_text(f"{digest}  {path.name}\n")
    return path


def load_seed(encoder_id: str, seed_dir: Path = SEED_DIR) -> Seed | None:
    """The seed for ``encoder_id``, or None when none ships for it.

    Raises :class:`SeedError` when the seed exists but fails its checksum or cannot be read.
    """
    path = seed_path(encoder_id, seed_dir)
    if not path.is_file():
        return None
    checksum = path.with_suffix(".sha256")
    fix = "reinstall Vaardig, or delete it to encode all labels at build time (slow)"
    if not checksum.is_file():
        raise SeedError(f"{checksum} is missing, so {path} cannot be verified; {fix}")
    data = path.read_bytes()
    expected = checksum.read_text().split()[0] if checksum.read_text().split() else ""
    if hashlib.sha256(data).hexdigest() != expected:
        raise SeedError(f"{path} does not match its checksum (damaged or partial file); {fix}")
    try:
        with np.load(path) as npz:
            meta = json.loads(str(npz["meta"]))
            emb = dequantise(npz["codes"], npz["scales"], meta["bits"], meta["dim"])
    except (ValueError, KeyError, OSError) as exc:
        raise SeedError(f"{path} cannot be read ({exc}); {fix}") from exc
    if meta["encoder_id"] != encoder_id or len(meta["texts"]) != len(emb):
        raise SeedError(f"{path} was made for another encoder or is inconsistent; {fix}")
    return Seed(encoder_id=encoder_id, texts=meta["texts"], embeddings=emb)
