"""Employees, documents, passports and claims."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from service.schemas.common import MAX_ID, Schema


class EmployeeCreate(Schema):
    external_id: str = Field(
        min_length=1,
        max_length=100,
        examples=["emp-0042"],
        description="Your own pseudonymous id (personnel number); never a name",
    )
    display_name: str | None = Field(default=None, max_length=200)
    team: str | None = Field(default=None, max_length=100)


class EmployeeUpdate(Schema):
    """The fields to change; a field left out stays, ``null`` clears it."""

    display_name: str | None = Field(default=None, max_length=200)
    team: str | None = Field(default=None, max_length=100)


class EmployeeOut(Schema):
    id: int
    external_id: str
    display_name: str | None
    team: str | None
    created_at: datetime


class EvidenceOut(Schema):
    document_id: int | None
    start: int
    end: int
    text: str
    sentence: str
    section: str
    method: str
    confidence: float
    extracted_at: datetime


class ClaimOut(Schema):
    skill_uri: str
    label: str
    label_is_fallback: bool = Field(
        False, description="True when ESCO has no Dutch label for the skill: `label` is English."
    )
    status: Literal["suggested", "confirmed", "rejected"]
    confidence: float
    method: str
    proficiency: int | None
    proficiency_source: str | None
    first_seen: datetime
    last_used: date | None
    confirmed_at: datetime | None
    confirmed_by: str | None
    updated_at: datetime
    version: int
    evidence: list[EvidenceOut]


class PassportOut(Schema):
    employee: EmployeeOut
    claims: list[ClaimOut]
    attribution: str


class ClaimUpdate(Schema):
    skill_uri: str = Field(min_length=1, max_length=255)
    status: Literal["suggested", "confirmed", "rejected"] | None = None
    proficiency: int | None = Field(default=None, ge=1, le=4)
    expected_version: int | None = Field(
        default=None, ge=0, le=MAX_ID, description="The version you saw; 409 if it changed since"
    )


class ManualClaim(Schema):
    skill_uri: str = Field(min_length=1, max_length=255)
    proficiency: int | None = Field(default=None, ge=1, le=4)
    last_used: date | None = None


class DocumentOut(Schema):
    id: int
    employee_id: int | None
    kind: str
    filename: str
    lang: str
    sha256: str
    uploaded_at: datetime
    size: int


class DocumentText(DocumentOut):
    text: str


class UploadOut(Schema):
    """What one uploaded CV did to a passport."""

    employee: EmployeeOut
    document_id: int
    added: list[str]
    updated: list[str]
    kept_rejected: list[str]
    evidence_added: int
    notice: str | None = Field(
        None, description="When the CV gave no skills: why, and what to check (else null)."
    )


class ErasureOut(Schema):
    employee_id: int
    documents: int
    claims: int
    evidence: int
    events: int
    consents: int
    learning_steps: int  # the employee's own learning-plan steps (as a mentor: only unset)


class ConsentCreate(Schema):
    network_id: int = Field(ge=1, le=MAX_ID)


class ConsentOut(Schema):
    id: int
    network_id: int
    employee_id: int
    given_at: datetime
    given_by: str
    revoked_at: datetime | None
    revoked_by: str | None
    active: bool
