"""Taxonomy search and autocomplete, one concept, coverage, and extraction without storing.

These read public reference data (ESCO) or the text in the request only, so any valid key
may use them; ``/extract`` stores and logs nothing of the text it is given.
"""

from __future__ import annotations

import threading
from typing import Annotated, Any

from fastapi import File, Query, UploadFile

from service.deps import CurrentPrincipal, ServiceState, State
from service.routing import api_router
from service.schemas.taxonomy import (
    CompletionOut,
    ConceptOut,
    EvidenceSpan,
    ExtractedOccupation,
    ExtractedSkill,
    ExtractionOut,
    ExtractText,
    Kind,
    SearchHitOut,
    SearchOut,
)
from service.uploads import (
    extract,
    parse_document,
    parse_text,
    read_upload,
    safe_filename,
)
from taxonomy.index import SearchHit

router = api_router(tags=["taxonomy and extraction"])
_ENCODE_LOCK = threading.Lock()  # one query encoding at a time per process


def search_concepts(state: ServiceState, q: str, kind: str, k: int) -> list[SearchHit]:
    """The ``k`` concepts of ``kind`` nearest in meaning to ``q`` (one query encoding at a time
    per process); shared by the API and the web page."""
    index = state.loaded("index").index
    with _ENCODE_LOCK:
        return index.search(q, kind=kind, k=k)  # type: ignore[arg-type]


def _concept(concept) -> ConceptOut:
    return ConceptOut(
        uri=concept.uri,
        kind=concept.kind,
        label=concept.label,
        label_is_fallback=concept.label_is_fallback,
        description=concept.description[:1000],
    )


@router.get("/taxonomy/search", summary="Concepts closest in meaning to a phrase")
def search(
    _: CurrentPrincipal,
    state: State,
    q: str = Query(min_length=1, max_length=200, examples=["heftruck rijden"]),
    kind: Kind = "skill",
    k: int = Query(default=10, ge=1, le=50),
) -> SearchOut:
    index = state.loaded("index").index
    hits = search_concepts(state, q, kind, k)
    return SearchOut(
        query=q,
        kind=kind,
        hits=[
            SearchHitOut(
                concept=_concept(h.concept), score=round(h.score, 4), matched_label=h.label
            )
            for h in hits
        ],
        attribution=index.taxonomy.attribution,
    )


@router.get("/taxonomy/complete", summary="Autocomplete on labels (Dutch and English)")
def complete(
    _: CurrentPrincipal,
    state: State,
    prefix: str = Query(min_length=1, max_length=100, examples=["heftr"]),
    kind: Kind | None = None,
    limit: int = Query(default=10, ge=1, le=50),
) -> CompletionOut:
    taxonomy = state.loaded("taxonomy").taxonomy
    hits = taxonomy.complete(prefix, kind=kind, limit=limit)
    return CompletionOut(
        prefix=prefix,
        hits=[
            SearchHitOut(concept=_concept(h.concept), score=1.0, matched_label=h.label)
            for h in hits
        ],
        attribution=taxonomy.attribution,
    )


@router.get("/taxonomy/concept", summary="One concept by URI")
def concept(
    _: CurrentPrincipal,
    state: State,
    uri: str = Query(min_length=1, max_length=300),
) -> dict[str, Any]:
    taxonomy = state.loaded("taxonomy").taxonomy
    data = taxonomy.get(uri).to_dict()
    data["attribution"] = taxonomy.attribution
    return data


@router.get("/taxonomy/coverage", summary="Per language: labels, alt labels, descriptions")
def taxonomy_coverage(
    _: CurrentPrincipal,
    state: State,
    list_fallbacks: int = Query(default=20, ge=0, le=500),
) -> dict[str, Any]:
    """The same figures as `vaardig taxonomy coverage --json` for the active taxonomy, with the
    most used skills that are still shown in English."""
    from taxonomy.coverage import coverage_report

    state.loaded("taxonomy")  # the active taxonomy is parsed and cached once
    return coverage_report(list_fallbacks=list_fallbacks)


@router.post("/extract", summary="Extract skills from a text, without storing anything")
def extract_text(body: ExtractText, _: CurrentPrincipal, state: State) -> ExtractionOut:
    document = parse_text(state, body.text, body.kind)
    return _extraction_out(state, document)


@router.post("/extract/file", summary="Extract skills from a file, without storing anything")
def extract_file(
    _: CurrentPrincipal, state: State, file: Annotated[UploadFile, File()]
) -> ExtractionOut:
    filename = safe_filename(file.filename)
    document = parse_document(state, read_upload(state, file), filename, None)  # type: ignore[arg-type]
    return _extraction_out(state, document)


def _span(evidence) -> EvidenceSpan:
    return EvidenceSpan(
        start=evidence.start,
        end=evidence.end,
        text=evidence.text,
        sentence=evidence.sentence,
        section=evidence.section,
    )


def _extraction_out(state, document) -> ExtractionOut:
    (extraction,) = extract(state, [document])
    return ExtractionOut(
        lang=extraction.lang,
        kind=document.kind,
        text=document.text,
        skills=[
            ExtractedSkill(
                uri=c.uri,
                label=c.label,
                label_is_fallback=c.label_is_fallback,
                confidence=c.confidence,
                method=c.method,
                evidence=_span(c.evidence),
                other_evidence=[_span(e) for e in c.other_evidence],
            )
            for c in extraction.skills
        ],
        occupations=[
            ExtractedOccupation(
                uri=o.uri, label=o.label, confidence=o.confidence, evidence=_span(o.evidence)
            )
            for o in extraction.occupations
        ],
        notice=extraction.notice(state.engine.taxonomy),
        attribution=state.engine.taxonomy.attribution,
    )
