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


def test_dutch_hyphenated_and_slashed_words_are_split_into_tokens_at_their_offsets():
    """spaCy's Dutch tokeniser keeps "HACCP-normen" whole, so the alias "HACCP" never
    matched in it; ours splits a hyphen or slash between letters or digits off."""
    text = "Werken volgens de HACCP-normen, EHBO/BHV en een NEN 3140-certificaat."
    doc = nlp.get_nlp("nl")(text)
    words = [t.text for t in doc]
    assert words[3:6] == ["HACCP", "-", "normen"]
    assert words[7:10] == ["EHBO", "/", "BHV"]
    assert words[13:16] == ["3140", "-", "certificaat"]
    assert all(text[t.idx : t.idx + len(t.text)] == t.text for t in doc)


def test_a_dash_between_spaces_and_a_hyphen_before_a_space_stay_as_they_were():
    doc = nlp.get_nlp("nl")("lassen - slijpen en voedingsmiddelen- en visserijsector")
    assert [t.text for t in doc] == [
        "lassen", "-", "slijpen", "en", "voedingsmiddelen-", "en", "visserijsector",
    ]  # fmt: skip


def test_a_letter_with_a_full_stop_has_the_letter_as_its_key():
    """spaCy keeps the full stop of "C." at a sentence end; "rijbewijs C." must still match
    the alias "rijbewijs C"."""
    doc = nlp.get_nlp("nl")("Je hebt rijbewijs C.")
    assert doc[-1].text == "C."
    assert doc[-1].norm_ == "c"


def test_a_full_stop_after_a_word_ending_in_a_capital_is_split_off():
    """spaCy's Dutch rules split a full stop off after a small letter or two capitals only, so
    "HiX." or "5S." at a sentence end stayed one word and the alias never matched."""
    for word in ("HiX", "5S", "RI&E"):
        doc = nlp.get_nlp("nl")(f"Ervaring met {word}. Daarna meer.")
        assert [t.text for t in doc][2:4] == [word, "."]
        assert len(list(doc.sents)) == 2
    # initials and abbreviations stay whole
    doc = nlp.get_nlp("nl")("J. de Vries werkt bijv. bij Shell B.V. in Delft.")
    assert {"J.", "bijv.", "B.V."} <= {t.text for t in doc}
