"""Skill trends: uploaded vacancy data and the trend analysis (see docs/trends.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from matcher.trends.counting import ALL, GroupBy, Level, PeriodKind
from service.schemas.common import Schema


class TrendQuery(BaseModel):
    """Which trends to show: the query parameters of ``GET /trends`` and its chart, and the
    choice on the Trends page. Invalid values raise pydantic's ``ValidationError``."""

    model_config = {"frozen": True}

    by: PeriodKind = Field("quarter", description="Period: month or quarter")
    group_by: GroupBy = Field(
        "none", description="Split the vacancies by ISCO group, region or the feed's category"
    )
    group: str = Field(ALL, max_length=200, description="Which group to show (default: all)")
    level: Level = Field("skill", description="Skills, ESCO skill groups or ESCO collections")
    top: int = Field(10, ge=1, le=50, description="Rising and declining series shown")


class TrendDatasetOut(Schema):
    id: int
    name: str
    source: str = Field(description="feed (extracted by the service) or records (vaardig batch)")
    records: int = Field(description="Vacancies stored")
    undated: int = Field(description="Vacancies without a posting date (left out of trends)")
    duplicates: int = Field(description="Near-duplicate postings dropped")
    skipped: int = Field(description="Malformed postings skipped")
    first_date: str | None
    last_date: str | None
    created_at: datetime


class TrendDatasetsOut(Schema):
    datasets: list[TrendDatasetOut]
    records: int = Field(description="Vacancies over all datasets")


class DeletedOut(Schema):
    deleted: int


class ForecastOut(Schema):
    periods: list[str]
    mean: list[float]
    low: list[float]
    high: list[float]
    level: float
    method: str


class TrendOut(Schema):
    group: str
    level: str
    key: str = Field(description="Skill or skill-group URI, or collection name")
    label: str
    counts: list[int] = Field(description="Vacancies asking for it, per period")
    shares: list[float | None] = Field(description="counts / vacancies per period (0–1)")
    growth_per_year: float = Field(description="Factor by which the share changes per year")
    ci: list[float | None] = Field(description="Confidence interval of the growth factor")
    p_value: float | None
    q_value: float | None = Field(description="Benjamini–Hochberg adjusted over the whole report")
    direction: str
    forecast: ForecastOut | None


class TrendGroupOut(Schema):
    key: str
    label: str


class TrendsOut(Schema):
    """One group (``group``) and level of the organisation's trend report."""

    by: str
    group_by: str
    group: str
    group_label: str
    level: str
    groups: list[TrendGroupOut]
    periods: list[str]
    vacancies: list[int] = Field(description="Vacancies of the group per period")
    records: int
    undated: int
    settings: dict[str, Any]
    rising: list[TrendOut]
    declining: list[TrendOut]
    attribution: str
