"""Dutch or English? Per document and per sentence, with simplemma's language detector.

Only "nl" and "en" are candidates. Product and tool names (Excel, AFAS, Docker) look
English whatever language the CV is in, so per sentence we only look at words that start
with a lowercase letter, and a sentence too short to judge gets the document's language.
"""

from __future__ import annotations

import re

from simplemma import langdetect

from extractor.ingest.sentences import split_sentences

LANGS = ("nl", "en")
DEFAULT_LANG = "nl"
_SAMPLE_CHARS = 20_000  # language of a CV is clear long before this
_LOWER_WORD = re.compile(r"(?<![\w@.])[a-zà-ÿ][a-zà-ÿ'-]+")
_MIN_SENTENCE_WORDS = 3
_MIN_MARGIN = 0.2  # detector score gap needed to depart from the default


def detect_language(text: str, default: str = DEFAULT_LANG) -> str:
    """ "nl" or "en" for `text`; `default` when the detector cannot tell them apart."""
    words = _LOWER_WORD.findall(text[:_SAMPLE_CHARS])
    if not words:
        return default
    scores = dict(langdetect(" ".join(words), lang=LANGS))
    nl, en = scores.get("nl", 0.0), scores.get("en", 0.0)
    if abs(nl - en) < _MIN_MARGIN:
        return default
    return "nl" if nl > en else "en"


def sentence_languages(text: str, document_lang: str) -> list[tuple[int, int, str]]:
    """(start, end, lang) for every sentence span; short or unclear ones get `document_lang`."""
    spans = []
    for start, end in split_sentences(text):
        sentence = text[start:end]
        if len(_LOWER_WORD.findall(sentence)) < _MIN_SENTENCE_WORDS:
            lang = document_lang
        else:
            lang = detect_language(sentence, default=document_lang)
        spans.append((start, end, lang))
    return spans
