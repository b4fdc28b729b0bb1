"""Phrase candidates for semantic linking: list items and enumerations split into single skills.

Without a trained parser we cut each sentence at punctuation, bullets and coordinating words
("en", "of", "and", "or", "&", "/"), then trim cue words around the skill ("kennis van",
"ervaring met", "goede", "experience with", ...). What is left and holds a content word is a
candidate. Short sentences (list lines, vacancy requirements) are candidates as a whole too,
since ESCO skills are often phrased as a whole line ("klanten te woord staan").

The Dutch tokeniser splits hyphenated words ("HACCP-normen": "HACCP", "-", "normen") so the
lexicon can match their parts; in a Dutch sentence such a hyphen does not cut a phrase, so the
compound is still linked whole. English phrases are cut at a hyphen as before (the English
figures in eval/results were measured that way).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Span

from extractor.nlp import STOP_WORDS

SPLIT_TOKENS = frozenset(
    {
        ",",
        ";",
        ":",
        "(",
        ")",
        "[",
        "]",
        "/",
        "|",
        "•",
        "·",
        "*",
        "–",
        "—",
        "-",
        "+",
        "&",
        "en",
        "of",
        "and",
        "or",
        "alsmede",
        "evenals",
        "zoals",
        "e.g.",
        "bijv.",
        "bv.",
        "etc",
        "etc.",
        "incl.",
        "waaronder",
        "including",
        "such",
        '"',
        "'",
        "...",
    }
)
# cue words that frame a skill but are not part of it (lemma keys, see extractor.nlp)
CUE_WORDS = frozenset(
    {
        "kennis",
        "ervaring",
        "jaar",
        "jaren",
        "ruim",
        "goed",
        "goede",
        "uitstekend",
        "aantoonbaar",
        "bekend",
        "affiniteit",
        "vaardig",
        "sterk",
        "basis",
        "basiskennis",
        "gedegen",
        "minimaal",
        "zeer",
        "veel",
        "enig",
        "brede",
        "breed",
        "relevante",
        "relevant",
        "werkervaring",
        "knowledge",
        "experience",
        "year",
        "years",
        "strong",
        "good",
        "excellent",
        "solid",
        "proven",
        "familiar",
        "familiarity",
        "understanding",
        "proficient",
        "proficiency",
        "working",
        "hands-on",
        "plus",
        "preferred",
        "required",
        "ability",
        "able",
        "skill",
        "skills",
        "vaardigheid",
        "vaardigheden",
        "competentie",
        "competenties",
        "heden",
        "present",
        "etc",
    }
)
_APOSTROPHE_PLURAL = re.compile(r"[^\W\d_]+['’]s")
MAX_CHUNK_TOKENS = 8
MAX_SENTENCE_TOKENS = 40


@dataclass(frozen=True)
class Chunk:
    start: int  # char offsets into the document text
    end: int
    text: str
    whole_sentence: bool = False


def _content(token) -> bool:
    norm = token.norm_
    # "PLC's", "auto's": a Dutch plural with an apostrophe is a word too
    word = token.is_alpha or _APOSTROPHE_PLURAL.fullmatch(token.text) is not None
    return word and len(norm) >= 2 and norm not in STOP_WORDS and norm not in CUE_WORDS


def _trim(tokens: list) -> list:
    """Drop stop words, cue words, numbers and punctuation from both ends."""
    start, end = 0, len(tokens)
    while start < end and not _content(tokens[start]):
        start += 1
    while end > start and not _content(tokens[end - 1]):
        end -= 1
    return tokens[start:end]


def _inside_word(token) -> bool:
    """A hyphen with no space on either side, between two word tokens (not a list dash)."""
    doc = token.doc
    return (
        0 < token.i < len(doc) - 1
        and not token.whitespace_
        and not doc[token.i - 1].whitespace_
        and not doc[token.i - 1].is_punct
        and not doc[token.i + 1].is_punct
    )


def sentence_chunks(sent: Span, text: str | None = None) -> list[Chunk]:
    """Candidate phrases of one sentence, left to right, without duplicates.

    ``text`` is the document text (pass it: rebuilding it from the tokens is slow)."""
    doc_text = sent.doc.text if text is None else text
    dutch = sent.doc.lang_ == "nl"
    out: list[Chunk] = []
    seen: set[str] = set()

    def emit(tokens: list, whole: bool = False) -> None:
        tokens = _trim(tokens)
        if not tokens or (len(tokens) > MAX_CHUNK_TOKENS and not whole):
            return
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        phrase = doc_text[start:end]
        key = phrase.lower()
        if key not in seen:
            seen.add(key)
            out.append(Chunk(start, end, phrase, whole))

    current: list = []
    for token in sent:
        if dutch and token.text == "-" and _inside_word(token):
            current.append(token)  # "HACCP-normen", "e-commerce": one word, not a list
        elif token.is_space or token.text.lower() in SPLIT_TOKENS or token.is_bracket:
            emit(current)
            current = []
        else:
            current.append(token)
    emit(current)
    words = [t for t in sent if not t.is_space and not t.is_punct]
    if 1 < len(words) <= MAX_SENTENCE_TOKENS and len(out) != 1:
        emit([t for t in sent if not t.is_space], whole=True)
    return out
