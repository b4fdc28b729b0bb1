"""spaCy pipelines for Dutch and English: tokeniser, sentence splitter and a lemmatiser.

No trained Dutch spaCy pipeline is installable offline, so we use ``spacy.blank(lang)`` with the
rule-based ``sentencizer`` and a small component that sets ``token.norm_`` to the token's
lemma from ``simplemma``, case-folded and without diacritics. Matching on ``NORM`` then finds
"heftrucks bediend" for the label "heftruck bedienen".

spaCy's Dutch tokeniser keeps hyphenated and slashed words whole ("HACCP-normen",
"VCA-certificaat", "EHBO/BHV", "C/CE"), so a label or alias inside them never matched. The
Dutch pipeline splits a hyphen or slash between letters or digits off as its own token, as
the English one does; the matcher's patterns go through the same tokeniser, so labels that
contain one ("MAG-lassen", "e-commerce") still match.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

import simplemma
import spacy
from spacy.lang.en.stop_words import STOP_WORDS as EN_STOP
from spacy.lang.nl.stop_words import STOP_WORDS as NL_STOP
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_suffix_regex

from taxonomy.model import normalise_label

SUPPORTED = ("nl", "en")
STOP_WORDS = frozenset(NL_STOP) | frozenset(EN_STOP)
log = logging.getLogger(__name__)
_WORD = re.compile(r"\w+")
_KNOWN: dict[str, dict[str, str]] = {}  # lang -> lowercased word -> key, from the disk cache


MAX_ACRONYM = 5  # "HACCP", "TOEFL"; longer capitals are more often a shouted heading word


@lru_cache(maxsize=200_000)
def lemma_key(word: str, lang: str) -> str:
    """The matching key of one word: simplemma lemma, case-folded, diacritics removed. A word
    of two to five capitals is an acronym, kept as it is: simplemma would read "DELF" (the
    French diploma) as "delven", the lemma of the town "Delft", and "NEN" as "een"."""
    lower = word.lower()
    if 2 <= len(word) <= MAX_ACRONYM and word.isupper() and word.isalpha():
        return normalise_label(lower) or lower
    known = _KNOWN.get(lang)
    if known is not None and lower in known:
        return known[lower]
    return _compute_key(lower, lang)


def _compute_key(lower: str, lang: str) -> str:
    if len(lower) == 2 and lower[1] == "." and lower[0].isalpha():
        return lower[0]  # "C." (spaCy keeps a letter's full stop: "rijbewijs C.") is "c"
    if not lower.isalpha() or len(lower) < 3:
        return normalise_label(lower) or lower
    return normalise_label(simplemma.lemmatize(lower, lang=lang)) or lower


def preload_lemma_keys(
    lang: str, fingerprint: str, texts: Callable[[], Iterable[str]], cache_dir: Path
) -> int:
    """Load the keys of every word in ``texts()`` (the taxonomy's labels) for ``lang`` from the
    disk cache, computing and storing them the first time (seconds, once per machine for the
    31,000 label words). Without it every process lemmatises the labels it rescores on
    first use; with it the linker's per-label lemma sets cost dictionary lookups only. The file is
    keyed by the taxonomy fingerprint and simplemma's version, so the keys are exactly what
    :func:`lemma_key` would compute. Returns the number of words loaded."""
    if lang in _KNOWN:
        return len(_KNOWN[lang])
    name = f"{lang}-simplemma{simplemma.__version__}-{fingerprint}.json.gz"
    path = Path(cache_dir) / "lemmas" / name
    keys: dict[str, str] | None = None
    if path.is_file():
        try:
            with gzip.open(path, "rt", encoding="utf-8") as fh:
                keys = json.load(fh)
            if not isinstance(keys, dict):
                raise ValueError("not a word -> key mapping")
        except (OSError, ValueError, EOFError) as exc:  # damaged: computed again
            log.warning("lemma cache %s is damaged (%s); rebuilding", path, exc)
            keys = None
    if keys is None:
        words = sorted({w for text in texts() for w in _WORD.findall(text.lower())})
        keys = {w: _compute_key(w, lang) for w in words}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as raw, gzip.open(raw, "wt", encoding="utf-8") as fh:
                json.dump(keys, fh, ensure_ascii=False)
            os.replace(tmp, path)
        except OSError as exc:
            log.warning("cannot write lemma cache %s: %s", path, exc)
    _KNOWN[lang] = keys
    return len(keys)


@Language.factory("vaardig_lemmas", default_config={})
def _make_lemmatiser(nlp: Language, name: str):
    lang = nlp.lang

    def set_norms(doc: Doc) -> Doc:
        for token in doc:
            token.norm_ = lemma_key(token.text, lang)
        return doc

    return set_norms


@Language.component("vaardig_line_breaks")
def _line_breaks(doc: Doc) -> Doc:
    """A new line starts a new sentence (CVs are lists of lines more than prose)."""
    for i, token in enumerate(doc[:-1]):
        if "\n" in token.text:
            doc[i + 1].is_sent_start = True
    return doc


# a hyphen or slash between letters or digits: "HACCP-normen", "EHBO/BHV", "3140-certificaat"
COMPOUND_INFIX = r"(?<=[^\W_])[-/](?=[^\W_])"
# the full stop after a word that ends in a capital ("HiX.", "5S.", "RI&E."): spaCy's Dutch
# rules split it off after a small letter or two capitals only; a lone initial ("J.") and
# abbreviations ("bijv.") are exceptions of the tokeniser and stay whole
CAPITAL_FULL_STOP = r"(?<=[^\s.][A-Z])\."


@lru_cache(maxsize=2)
def get_nlp(lang: str) -> Language:
    """The (cached) pipeline for ``lang`` ("nl" or "en")."""
    if lang not in SUPPORTED:
        raise ValueError(f"language {lang!r} is not supported: use one of {', '.join(SUPPORTED)}")
    nlp = spacy.blank(lang)
    if lang == "nl":
        infixes = [*nlp.Defaults.infixes, COMPOUND_INFIX]
        nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
        suffixes = [*nlp.Defaults.suffixes, CAPITAL_FULL_STOP]
        nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    nlp.add_pipe("vaardig_line_breaks")
    nlp.add_pipe("sentencizer", config={"punct_chars": [".", "!", "?", ";"]})
    nlp.add_pipe("vaardig_lemmas")
    nlp.max_length = 2_000_000
    return nlp


def norm_tokens(text: str, lang: str) -> list[str]:
    """Lemma keys of the tokens of a short text (labels, aliases): the matcher's pattern form."""
    return [lemma_key(t.text, lang) for t in get_nlp(lang).make_doc(text)]
