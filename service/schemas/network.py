"""Regional networks: membership, consent, cross-firm matching and contact requests."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from service.schemas.common import MAX_ID, Schema


class NetworkCreate(Schema):
    name: str = Field(min_length=1, max_length=200, examples=["HR-netwerk Twente"])


class NetworkOut(Schema):
    id: int
    name: str
    role: Literal["coordinator", "member"]
    members: int
    created_at: datetime


class NetworkCreated(Schema):
    network: NetworkOut
    join_code: str = Field(description="Give this to member firms; shown once")


class JoinCode(Schema):
    join_code: str = Field(min_length=1, max_length=100)


class MemberOut(Schema):
    organisation_id: int
    organisation_name: str
    role: str
    joined_at: datetime


class ContactRequestCreate(Schema):
    to_organisation_id: int = Field(ge=1, le=MAX_ID)
    role_id: int = Field(ge=1, le=MAX_ID)


class ContactRequestOut(Schema):
    id: int
    network_id: int
    from_organisation_id: int
    to_organisation_id: int
    role_id: int
    status: Literal["pending", "accepted", "declined", "withdrawn"]
    created_at: datetime
    decided_at: datetime | None
    direction: Literal["sent", "received"]
