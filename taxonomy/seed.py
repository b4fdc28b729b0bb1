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


def checksum_path(encoder_id: str, seed_dir: Path = SEED_DIR) -> Path:
    """The checksum file that lists every shard of a seed (``sha256sum`` format)."""
    return seed_dir / f"{encoder_id}.sha256"


def write_seed(
    encoder_id: str,
    texts: list[str],
    embeddings: np.ndarray,
    bits: int,
    seed_dir: Path = SEED_DIR,
    shards: int = 1,
) -> list[Path]:
    """Quantise and save a seed in ``shards`` files plus one checksum file listing them.

    Shards keep each file small enough for comfortable version control.
    """
    seed_dir.mkdir(parents=True, exist_ok=True)
    for old in seed_dir.glob(f"{encoder_id}-*of*.npz"):
        old.unlink()
    bounds = np.linspace(0, len(texts), shards + 1).astype(int)
    paths = []
    for i in range(shards):
        lo, hi = bounds[i], bounds[i + 1]
        codes, scales = quantise(embeddings[lo:hi], bits)
        path = seed_dir / f"{encoder_id}-{i + 1}of{shards}.npz"
        meta = {
            "encoder_id": encoder_id,
            "bits": bits,
            "dim": int(embeddings.shape[1]),
            "texts": texts[lo:hi],
            "shard": i + 1,
            "shards": shards,
        }
        np.savez_compressed(path, codes=codes, scales=scales, meta=np.array(json.dumps(meta)))
        paths.append(path)
    lines = [f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}" for p in paths]
    checksum_path(encoder_id, seed_dir).write_text("\n".join(lines) + "\n")
    return paths


def load_seed(encoder_id: str, seed_dir: Path = SEED_DIR) -> Seed | None:
    """The seed for ``encoder_id``, or None when none ships for it.

    Raises :class:`SeedError` when a shard is missing, fails its checksum or cannot be read.
    """
    checksum = checksum_path(encoder_id, seed_dir)
    if not checksum.is_file():
        return None
    fix = "reinstall Vaardig, or delete the seed to encode all labels at build time (slow)"
    texts: list[str] = []
    parts = []
    for line in checksum.read_text().splitlines():
        if not line.strip():
            continue
        expected, _, name = line.partition("  ")
        path = seed_dir / name.strip()
        if not path.is_file():
            raise SeedError(f"{path} is missing (listed in {checksum.name}); {fix}")
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != expected.strip():
            raise SeedError(f"{path} does not match its checksum (damaged or partial file); {fix}")
        try:
            with np.load(path) as npz:
                meta = json.loads(str(npz["meta"]))
                parts.append(dequantise(npz["codes"], npz["scales"], meta["bits"], meta["dim"]))
        except (ValueError, KeyError, OSError) as exc:
            raise SeedError(f"{path} cannot be read ({exc}); {fix}") from exc
        if meta["encoder_id"] != encoder_id or len(meta["texts"]) != len(parts[-1]):
            raise SeedError(f"{path} was made for another encoder or is inconsistent; {fix}")
        texts += meta["texts"]
    if not parts:
        raise SeedError(f"{checksum} lists no seed files; {fix}")
    return Seed(encoder_id=encoder_id, texts=texts, embeddings=np.concatenate(parts))
