"""The shipped, quantised label-embedding seed."""

import numpy as np
import pytest

from taxonomy.seed import SeedError, dequantise, load_seed, quantise, write_seed


@pytest.mark.parametrize("bits", [4, 6, 8])
def test_quantisation_round_trip_keeps_cosines(bits):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(50, 384)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    codes, scales = quantise(x, bits)
    y = dequantise(codes, scales, bits, 384)
    assert codes.nbytes == 50 * 384 * bits // 8
    cos = (x * y).sum(axis=1)
    assert cos.min() > {4: 0.97, 6: 0.998, 8: 0.9999}[bits]


def test_seed_round_trip_and_checksum(tmp_path):
    x = np.eye(4, 8, dtype=np.float32)
    write_seed("enc-x", ["a", "b", "c", "d"], x, bits=6, seed_dir=tmp_path, shards=2)
    seed = load_seed("enc-x", seed_dir=tmp_path)
    assert seed is not None and seed.texts == ["a", "b", "c", "d"]
    np.testing.assert_allclose(seed.embeddings, x, atol=1e-3)
    assert load_seed("other-encoder", seed_dir=tmp_path) is None


def test_damaged_seed_is_refused(tmp_path):
    paths = write_seed("enc-x", ["a", "b"], np.ones((2, 8), np.float32), 6, tmp_path, shards=2)
    paths[1].write_bytes(paths[1].read_bytes()[:-10])
    with pytest.raises(SeedError, match="does not match its checksum"):
        load_seed("enc-x", seed_dir=tmp_path)


def test_missing_shard_is_refused(tmp_path):
    paths = write_seed("enc-x", ["a", "b"], np.ones((2, 8), np.float32), 6, tmp_path, shards=2)
    paths[0].unlink()
    with pytest.raises(SeedError, match="is missing"):
        load_seed("enc-x", seed_dir=tmp_path)


def test_shipped_seed_matches_the_default_encoder(encoder, taxonomy):
    seed = load_seed(getattr(encoder, "seed_id", encoder.id))
    assert seed is not None, "the repository must ship a seed for the default encoder"
    lookup = seed.lookup()
    label = "heftrucks bedienen"
    fresh = encoder.encode_queries([label])[0]
    assert float(seed.embeddings[lookup[label]] @ fresh) > 0.98  # 4-bit quantisation
