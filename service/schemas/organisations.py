"""Organisations, their API keys, retention, and the audit log."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from service.models import ROLES
from service.schemas.common import Schema

RoleName = str


class OrganisationOut(Schema):
    id: int
    name: str
    created_at: datetime
    document_retention_days: int | None


class OrganisationCreate(Schema):
    name: str = Field(min_length=1, max_length=200, examples=["Transport Jansen BV"])
    document_retention_days: int | None = Field(default=None, ge=1, le=36500)
    admin_key_name: str = Field(default="beheer", min_length=1, max_length=100)


class ApiKeyOut(Schema):
    id: int
    name: str
    role: str
    prefix: str
    created_at: datetime
    revoked_at: datetime | None


class OrganisationCreated(Schema):
    organisation: OrganisationOut
    admin_key: ApiKeyOut
    api_key: str = Field(description="The admin key itself: shown once, store it safely")


class ApiKeyCreate(Schema):
    name: str = Field(min_length=1, max_length=100, examples=["HR laptop"])
    role: str = Field(examples=["hr"], description=f"one of {', '.join(ROLES)}")


class ApiKeyCreated(Schema):
    key: ApiKeyOut
    api_key: str = Field(description="The key itself: shown once, store it safely")


class RetentionUpdate(Schema):
    document_retention_days: int | None = Field(
        ge=1, le=36500, description="Delete uploaded documents after this many days; null = keep"
    )


class PurgeOut(Schema):
    cutoff: datetime
    document_ids: list[int]
    evidence_scrubbed: int


class AuditEntryOut(Schema):
    id: int
    actor: str
    action: str
    subject_type: str
    subject_id: int | None
    at: datetime


class WhoAmI(Schema):
    organisation: OrganisationOut
    key_id: int
    key_name: str
    role: str
    permissions: list[str]
