"""Roles (vacancies, future roles, ESCO occupations), vacancy feeds and jobs."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from service.schemas.common import Schema


class RoleSkillIn(Schema):
    skill_uri: str = Field(min_length=1, max_length=255)
    weight: float = Field(default=1.0, ge=0, le=100)
    essential: bool = True


class RoleSkillOut(Schema):
    skill_uri: str
    label: str
    weight: float
    essential: bool


class RoleCreate(Schema):
    title: str = Field(min_length=1, max_length=300, examples=["Teamleider magazijn 2027"])
    kind: Literal["future_role", "vacancy", "esco_occupation"] = "future_role"
    skills: list[RoleSkillIn] = Field(min_length=1, max_length=500)


class VacancyText(Schema):
    title: str | None = Field(default=None, max_length=300)
    text: str = Field(min_length=1, description="The vacancy text, as published")


class RoleOut(Schema):
    id: int
    kind: str
    title: str
    status: str
    source_document_id: int | None
    created_at: datetime
    closed_at: datetime | None
    skills: list[RoleSkillOut]


class RoleClose(Schema):
    status: Literal["filled_internal", "filled_external", "closed"]


class JobOut(Schema):
    id: str
    kind: str
    status: Literal["queued", "running", "cancelling", "done", "failed", "cancelled"]
    done: int
    total: int | None
    failed: int
    progress: float | None = Field(description="done / total in [0, 1], when total is known")
    result: dict[str, Any] | None
    error: str | None
    created_at: datetime
    updated_at: datetime
