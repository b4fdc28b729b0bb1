"""spaCy pipelines for Dutch and English: tokeniser, sentence splitter and a lemmatiser.

No trained Dutch spaCy pipeline is installable offline, so we use ``spacy.blank(lang)`` with the
rule-based ``sentencizer`` and a small component that sets ``token.norm_`` to the token's
lemma from ``simplemma``, case-folded and without diacritics. Matching on ``NORM`` then finds
"heftrucks bediend" for the label "heftruck bedienen".
"""

from __future__ import annotations

from functools import lru_cache

import simplemma
import spacy
from spacy.lang.en.stop_words import STOP_WORDS as EN_STOP
from spacy.lang.nl.stop_words import STOP_WORDS as NL_STOP
from spacy.language import Language
from spacy.tokens import Doc

from taxonomy.model import normalise_label

SUPPORTED = ("nl", "en")
STOP_WORDS = frozenset(NL_STOP) | frozenset(EN_STOP)


@lru_cache(maxsize=200_000)
def lemma_key(word: str, lang: str) -> str:
    """The matching key of one word: simplemma lemma, case-folded, diacritics removed."""
    lower = word.lower()
    if not lower.isalpha() or len(lower) < 3:
        return normalise_label(lower) or lower
    return normalise_label(simplemma.lemmatize(lower, lang=lang)) or lower


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


@lru_cache(maxsize=2)
def get_nlp(lang: str) -> Language:
    """The (cached) pipeline for ``lang`` ("nl" or "en")."""
    if lang not in SUPPORTED:
        raise ValueError(f"language {lang!r} is not supported: use one of {', '.join(SUPPORTED)}")
    nlp = spacy.blank(lang)
    nlp.add_pipe("vaardig_line_breaks")
    nlp.add_pipe("sentencizer", config={"punct_chars": [".", "!", "?", ";"]})
    nlp.add_pipe("vaardig_lemmas")
    nlp.max_length = 2_000_000
    return nlp


def norm_tokens(text: str, lang: str) -> list[str]:
    """Lemma keys of the tokens of a short text (labels, aliases): the matcher's pattern form."""
    return [lemma_key(t.text, lang) for t in get_nlp(lang).make_doc(text)]
