"""Shapes shared by every part of the API: pages of results and the error body."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from fastapi import Path, Query
from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")

# Ids are 32-bit integers in the database; anything else is refused before it reaches SQL.
MAX_ID = 2_147_483_647
MAX_OFFSET = 1_000_000_000
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]


class Schema(BaseModel):
    """Base of every body: built from the library's dataclasses, unknown fields refused."""

    model_config = ConfigDict(from_attributes=True, extra="forbid")


class Page(Schema, Generic[T]):
    """One page of a list. Ask for the next with ``offset=next_offset``; null means the end."""

    items: list[T]
    offset: int
    limit: int
    next_offset: int | None


class ErrorDetail(Schema):
    code: str = Field(examples=["not_found"])
    message: str = Field(examples=["employee 42 not found"])


class ErrorBody(Schema):
    error: ErrorDetail


def page(items: list, offset: int, limit: int) -> dict:
    """A page from ``limit + 1`` fetched items (the extra one says there is a next page)."""
    more = len(items) > limit
    return {
        "items": items[:limit],
        "offset": offset,
        "limit": limit,
        "next_offset": offset + limit if more else None,
    }


ERROR_RESPONSES = {
    status: {"model": ErrorBody, "description": description}
    for status, description in (
        (400, "Malformed request (e.g. invalid JSON)"),
        (401, "Missing, unknown or revoked API key"),
        (403, "The key's role may not do this"),
        (404, "Not found (or not of your organisation: the answer is the same)"),
        (409, "Already exists, or changed by someone else"),
        (413, "Upload too large (bytes, pages or files)"),
        (415, "Wrong content type or unsupported file format"),
        (422, "Invalid input"),
    )
}
