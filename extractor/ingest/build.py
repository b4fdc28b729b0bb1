"""Assemble a `Document` from raw extracted text: the steps every source shares.

normalise -> kind -> language -> sections -> dates (-> vacancy title) -> sentence languages.
"""

from __future__ import annotations

from typing import Any

from extractor.documents import KINDS, Document
from extractor.errors import EmptyDocumentError
from extractor.ingest.dates import find_date_ranges
from extractor.ingest.language import DEFAULT_LANG, LANGS, detect_language, sentence_languages
from extractor.ingest.normalise import normalise_text
from extractor.ingest.sections import find_sections, guess_kind

_MAX_TITLE_CHARS = 120


def build_document(
    raw_text: str,
    source: str,
    kind: str | None = None,
    metadata: dict[str, Any] | None = None,
    per_sentence: bool = True,
) -> Document:
    """A `Document` for `raw_text` (any whitespace; normalised here).

    Args:
        raw_text: text as a reader extracted it.
        source: file name or feed id, used in the Document and in error messages.
        kind: "cv", "vacancy" or "text"; guessed from headings when None.
        metadata: reader metadata to keep; "dates" and (for vacancies) "title" are added.
            "html_lang" ("nl"/"en"), when present, is the fallback language; "html_h1" and
            "html_title", when present, are a web page's title (see `vacancy_title`).
        per_sentence: also detect the language of every sentence (`sentence_langs`).

    Raises:
        EmptyDocumentError: nothing but whitespace is left.
        ValueError: `kind` is not one of "cv", "vacancy", "text".
    """
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS} or None, got {kind!r}")
    text = normalise_text(raw_text)
    if not text:
        raise EmptyDocumentError(source)
    metadata = dict(metadata or {})
    kind = kind or guess_kind(text)
    hint = metadata.get("html_lang")
    lang = detect_language(text, default=hint if hint in LANGS else DEFAULT_LANG)
    metadata["dates"] = find_date_ranges(text)
    if kind == "vacancy" and not metadata.get("title"):
        metadata["title"] = vacancy_title(text, metadata)
    return Document(
        text=text,
        lang=lang,
        source=source,
        kind=kind,
        sections=find_sections(text, kind),
        metadata=metadata,
        sentence_langs=sentence_languages(text, lang) if per_sentence else None,
    )


def vacancy_title(text: str, metadata: dict[str, Any]) -> str:
    """A vacancy's title as written (decorations such as "(m/v)" are kept; linking strips
    them, `extractor.titles`): a web page's first <h1>, else its <title>, else the first line
    of `text` (normalised). At most 120 characters."""
    for key in ("html_h1", "html_title"):
        if heading := normalise_text(str(metadata.get(key) or "")).replace("\n", " "):
            return heading[:_MAX_TITLE_CHARS]
    return text.split("\n", 1)[0][:_MAX_TITLE_CHARS]
