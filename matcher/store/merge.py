"""Merging extracted ``SkillClaim``s into a passport: the rules, in one place.

- A skill not yet in the passport becomes a claim with status "suggested".
- A skill already there gets the new evidence; its confidence rises to the maximum seen and
  ``last_used`` to the latest date. Its status never changes here: a person's "confirmed" or
  "rejected" stays (a rejected claim still records the evidence, so the history is complete).
- An inferred claim (an occupation's essential skill, no span of its own) never overwrites an
  evidenced one (exact, alias, semantic, or manual); an evidenced claim does replace an inferred
  one's method and label.
- A claim added by hand ("manual") keeps its method.
- Evidence is keyed by (document, start, end): merging the same document twice adds nothing.
- An inferred proficiency never overwrites one a person set.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from extractor.claims import Evidence, SkillClaim
from matcher.store.models import (
    CLAIM_METHODS,
    ClaimEventRow,
    ClaimRow,
    DocumentRow,
    EmployeeRow,
    EvidenceRow,
)
from matcher.store.records import MergeReport

SYSTEM_ACTOR = "system"
MAX_URI_LENGTH = 255
MAX_LABEL_LENGTH = 255
MAX_SECTION_LENGTH = 32


def validate_claims(claims: Sequence[SkillClaim]) -> None:
    """Refuse claims the passport cannot hold, naming the first bad one.

    Raises:
        ValueError: empty or over-long URI or label, confidence outside [0, 1], unknown
            method, or evidence with an over-long section or negative or reversed offsets.
    """
    for claim in claims:
        validate_skill_uri(claim.uri)
        if not claim.label or len(claim.label) > MAX_LABEL_LENGTH:
            raise ValueError(f"label of {claim.uri} must be 1–{MAX_LABEL_LENGTH} characters")
        if not 0.0 <= claim.confidence <= 1.0:
            raise ValueError(f"confidence of {claim.uri} must be in [0, 1], got {claim.confidence}")
        if claim.method not in CLAIM_METHODS:
            raise ValueError(f"method of {claim.uri} must be one of {CLAIM_METHODS}")
        for evidence in (claim.evidence, *claim.other_evidence):
            if len(evidence.section) > MAX_SECTION_LENGTH:
                raise ValueError(f"section of {claim.uri} is too long: {evidence.section!r}")
            if not 0 <= evidence.start <= evidence.end:
                raise ValueError(
                    f"evidence of {claim.uri} needs 0 <= start <= end, "
                    f"got {evidence.start}..{evidence.end}"
                )


def validate_skill_uri(uri: str) -> None:
    if not isinstance(uri, str) or not uri.strip() or len(uri) > MAX_URI_LENGTH:
        raise ValueError(f"skill URI must be 1–{MAX_URI_LENGTH} characters, got {uri!r}")


def validate_proficiency(level: object) -> int:
    if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 4:
        raise ValueError(
            f"proficiency must be an integer from 1 (basic) to 4 (expert), got {level!r}"
        )
    return level


def merge_into_passport(
    session: Session,
    employee: EmployeeRow,
    document: DocumentRow,
    claims: Sequence[SkillClaim],
    at: datetime,
    *,
    last_used: Mapping[str, date] | None = None,
    proficiency: Mapping[str, int] | None = None,
) -> MergeReport:
    """Merge ``claims`` found in ``document`` into ``employee``'s passport (in ``session``'s
    transaction, which the caller commits). ``last_used`` and ``proficiency`` map skill URIs
    to what extraction inferred about them, when it did."""
    last_used = last_used or {}
    proficiency = {uri: validate_proficiency(level) for uri, level in (proficiency or {}).items()}
    uris = {claim.uri for claim in claims}
    existing = {
        row.skill_uri: row
        for row in session.scalars(
            select(ClaimRow)
            .where(ClaimRow.employee_id == employee.id, ClaimRow.skill_uri.in_(uris))
            .options(selectinload(ClaimRow.evidence))
        )
    }
    added: list[str] = []
    updated: list[str] = []
    kept_rejected: list[str] = []
    evidence_added = 0
    for claim in claims:
        row = existing.get(claim.uri)
        if row is None:
            row = _new_claim(session, employee, claim, at, last_used.get(claim.uri))
            existing[claim.uri] = row
            added.append(claim.uri)
        else:
            _absorb(row, claim, last_used.get(claim.uri), at)
            report = kept_rejected if row.status == "rejected" else updated
            if claim.uri not in added and claim.uri not in report:
                report.append(claim.uri)
        if claim.uri in proficiency and row.proficiency_source != "set":
            row.proficiency = proficiency[claim.uri]
            row.proficiency_source = "inferred"
        evidence_added += _add_evidence(row, document, claim, at)
    return MergeReport(
        document_id=document.id,
        added=tuple(added),
        updated=tuple(updated),
        kept_rejected=tuple(kept_rejected),
        evidence_added=evidence_added,
    )


def _new_claim(
    session: Session, employee: EmployeeRow, claim: SkillClaim, at: datetime, used: date | None
) -> ClaimRow:
    row = ClaimRow(
        employee_id=employee.id,
        skill_uri=claim.uri,
        label=claim.label,
        status="suggested",
        confidence=claim.confidence,
        method=claim.method,
        first_seen=at,
        last_used=used,
        updated_at=at,
        evidence=[],
    )
    session.add(row)
    session.flush()  # the event needs the claim id
    session.add(
        ClaimEventRow(
            organisation_id=employee.organisation_id,
            employee_id=employee.id,
            claim_id=row.id,
            skill_uri=claim.uri,
            action="suggested",
            actor=SYSTEM_ACTOR,
            at=at,
        )
    )
    return row


def _absorb(row: ClaimRow, claim: SkillClaim, used: date | None, at: datetime) -> None:
    """Fold a newly found claim into an existing one (status untouched)."""
    before = (row.confidence, row.method, row.label, row.last_used)
    new_inferred = claim.method == "inferred"
    if row.method == "manual" or (new_inferred and row.method != "inferred"):
        pass  # a person's claim, or evidence beats inference: keep method and label
    elif row.method == "inferred" and not new_inferred:
        row.method, row.label = claim.method, claim.label
    elif claim.confidence > row.confidence:
        row.method = claim.method
    if not (new_inferred and row.method != "inferred"):
        row.confidence = max(row.confidence, claim.confidence)
    if used is not None and (row.last_used is None or used > row.last_used):
        row.last_used = used
    if (row.confidence, row.method, row.label, row.last_used) != before:
        row.updated_at = at


def _add_evidence(row: ClaimRow, document: DocumentRow, claim: SkillClaim, at: datetime) -> int:
    seen = {(e.document_id, e.start, e.end) for e in row.evidence}
    count = 0
    for evidence in (claim.evidence, *claim.other_evidence):
        if (document.id, evidence.start, evidence.end) in seen:
            continue
        seen.add((document.id, evidence.start, evidence.end))
        row.evidence.append(_evidence_row(document, claim, evidence, at))
        count += 1
    return count


def _evidence_row(
    document: DocumentRow, claim: SkillClaim, evidence: Evidence, at: datetime
) -> EvidenceRow:
    return EvidenceRow(
        document_id=document.id,
        start=evidence.start,
        end=evidence.end,
        text=evidence.text,
        sentence=evidence.sentence,
        section=evidence.section,
        method=claim.method,
        confidence=claim.confidence,
        extracted_at=at,
    )
