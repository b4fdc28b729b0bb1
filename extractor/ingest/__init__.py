"""Ingestion: files and vacancy feeds in, `Document`s out (no skill logic here).

    from extractor.ingest import read_document, read_feed

    doc = read_document("cv_heftruckchauffeur.pdf")    # PDF, DOCX, HTML or text
    for vacancy in read_feed("vacatures.jsonl"):       # JSON(-LD/Lines), CSV, XML
        ...

Every failure is an `extractor.errors.IngestError` naming the file and what to do.
"""

from extractor.ingest.feeds import FeedReader, read_feed
from extractor.ingest.language import detect_language, sentence_languages
from extractor.ingest.reader import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_PAGES,
    document_from_text,
    read_document,
)
from extractor.ingest.sections import find_sections, guess_kind
from extractor.ingest.sentences import split_sentences

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_PAGES",
    "FeedReader",
    "detect_language",
    "document_from_text",
    "find_sections",
    "guess_kind",
    "read_document",
    "read_feed",
    "sentence_languages",
    "split_sentences",
]
