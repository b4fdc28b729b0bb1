"""The lemma keys of taxonomy label words: computed once, cached on disk, rebuilt if damaged."""

import gzip
import json
import logging

from extractor import nlp

LABELS = ["Heftrucks besturen", "klanten adviseren"]


def test_label_lemma_keys_are_computed_once_then_read_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(nlp, "_KNOWN", {})
    assert nlp.preload_lemma_keys("nl", "fp", lambda: LABELS, tmp_path) == 4
    (path,) = (tmp_path / "lemmas").glob("nl-simplemma*-fp.json.gz")
    assert nlp._KNOWN["nl"]["heftrucks"] == "heftruck"
    assert nlp._KNOWN["nl"] == {w: nlp._compute_key(w, "nl") for w in nlp._KNOWN["nl"]}
    # another process reads the file instead of lemmatising (shown by a planted key)
    monkeypatch.setattr(nlp, "_KNOWN", {})
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        json.dump({"heftrucks": "planted"}, fh)
    assert nlp.preload_lemma_keys("nl", "fp", lambda: LABELS, tmp_path) == 1
    assert nlp._KNOWN["nl"] == {"heftrucks": "planted"}


def test_a_damaged_lemma_cache_is_rebuilt(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(nlp, "_KNOWN", {})
    nlp.preload_lemma_keys("nl", "fp", lambda: LABELS, tmp_path)
    (path,) = (tmp_path / "lemmas").glob("*.json.gz")
    for junk in (b"not gzip at all", gzip.compress(b"[1, 2]"), gzip.compress(b'{"a": ')):
        path.write_bytes(junk)
        monkeypatch.setattr(nlp, "_KNOWN", {})
        with caplog.at_level(logging.WARNING, logger="extractor.nlp"):
            assert nlp.preload_lemma_keys("nl", "fp", lambda: LABELS, tmp_path) == 4
        assert "damaged" in caplog.text
        assert nlp._KNOWN["nl"]["klanten"] == nlp._compute_key("klanten", "nl")
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            assert json.load(fh) == nlp._KNOWN["nl"]
        caplog.clear()


def test_a_text_of_label_words_gets_the_same_keys_with_and_without_the_cache(tmp_path, monkeypatch):
    words = ["Heftrucks", "besturen", "klanten", "adviseren", "en", "orders", "verzamelen"]
    computed = [nlp._compute_key(w.lower(), "nl") for w in words]
    monkeypatch.setattr(nlp, "_KNOWN", {})
    nlp.preload_lemma_keys("nl", "fp2", lambda: LABELS, tmp_path)
    nlp.lemma_key.cache_clear()
    try:
        assert [nlp.lemma_key(w, "nl") for w in words] == computed
    finally:
        nlp.lemma_key.cache_clear()
