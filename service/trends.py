"""Skill trends in the service: an organisation's vacancy data, its analysis and charts.

The organisation uploads a vacancy feed (extracted by :func:`extractor.batch.process_feed` in a
background job) or records written by ``vaardig batch``. The extracted vacancies are stored as
one *trend dataset* per upload, in the organisation's own rows (``trend_datasets``; deleted on
request and with the organisation). The analysis is ``matcher.trends``'; this module only
picks the organisation's records, caches results per process (keyed by the organisation's data
version, so a new upload or a deletion is seen at once by every worker), and turns charts into
inline SVG.
"""

from __future__ import annotations

import json
import math
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from extractor.batch import VacancyRecord, process_feed, read_records
from extractor.documents import Document
from extractor.ingest import read_feed
from matcher.trends.analysis import SkillTrend, TrendReport, analyse_trends, with_forecast
from matcher.trends.forecast import MIN_PERIODS
from service.deps import ServiceState
from service.errors import ServiceError
from service.jobs import Progress
from service.models import TrendDatasetRow
from service.schemas.trends import TrendQuery
from service.uploads import extract

FEED_BATCH = 16  # vacancies per extraction batch and checkpoint in a feed job
CACHE_SIZE = 32


@dataclass(frozen=True)
class TrendDataset:
    """One upload: how many vacancies it holds and the dates they span (no vacancy data)."""

    id: int
    name: str
    source: str  # "feed" (extracted here) or "records" (from `vaardig batch`)
    records: int
    undated: int
    duplicates: int
    skipped: int
    first_date: str | None
    last_date: str | None
    created_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {**vars(self), "created_at": self.created_at.isoformat(timespec="seconds")}


_COLUMNS = (
    TrendDatasetRow.id,
    TrendDatasetRow.name,
    TrendDatasetRow.source,
    TrendDatasetRow.records,
    TrendDatasetRow.undated,
    TrendDatasetRow.duplicates,
    TrendDatasetRow.skipped,
    TrendDatasetRow.first_date,
    TrendDatasetRow.last_date,
    TrendDatasetRow.created_at,
)


class TrendStore:
    """The organisation's trend datasets; every method is scoped to one organisation."""

    def __init__(self, database) -> None:
        self.database = database

    def add(
        self,
        organisation_id: int,
        name: str,
        source: str,
        records: Iterable[VacancyRecord],
        actor: str,
        duplicates: int = 0,
        skipped: int = 0,
    ) -> TrendDataset:
        """Store extracted vacancies as one dataset.

        Raises:
            ValueError: no vacancy in ``records``.
        """
        lines, dates, undated = [], [], 0
        for record in records:
            lines.append(record.to_json())
            if record.date:
                dates.append(record.date[:10])
            else:
                undated += 1
        if not lines:
            raise ValueError(f"{name}: no vacancy to store")
        row = TrendDatasetRow(
            organisation_id=organisation_id,
            name=name[:200],
            source=source,
            records=len(lines),
            undated=undated,
            duplicates=duplicates,
            skipped=skipped,
            first_date=min(dates) if dates else None,
            last_date=max(dates) if dates else None,
            data=zlib.compress(("\n".join(lines) + "\n").encode("utf-8"), 6),
            created_by=actor[:200],
            created_at=datetime.now(UTC),
        )

        def insert(session: Session) -> int:
            session.add(row)
            session.flush()
            return row.id

        dataset_id = self.database.write(insert)
        return next(d for d in self.list(organisation_id) if d.id == dataset_id)

    def list(self, organisation_id: int) -> list[TrendDataset]:
        """The organisation's datasets, oldest first."""
        query = (
            select(*_COLUMNS)
            .where(TrendDatasetRow.organisation_id == organisation_id)
            .order_by(TrendDatasetRow.id)
        )
        return self.database.read(lambda s: [TrendDataset(*row) for row in s.execute(query).all()])

    def version(self, organisation_id: int) -> tuple[int, int]:
        """(datasets, newest id): changes with every upload and deletion (ids never recur)."""
        query = select(func.count(TrendDatasetRow.id), func.max(TrendDatasetRow.id)).where(
            TrendDatasetRow.organisation_id == organisation_id
        )
        count, newest = self.database.read(lambda s: s.execute(query).one())
        return int(count), int(newest or 0)

    def records(self, organisation_id: int) -> Iterator[VacancyRecord]:
        """Every stored vacancy of the organisation; a vacancy id uploaded again (in a later
        dataset) counts once."""
        ids = [d.id for d in self.list(organisation_id)]
        seen: set[str] = set()
        for dataset_id in ids:
            data = self.database.read(
                lambda s, i=dataset_id: s.scalar(
                    select(TrendDatasetRow.data).where(
                        TrendDatasetRow.id == i,
                        TrendDatasetRow.organisation_id == organisation_id,
                    )
                )
            )
            if data is None:  # deleted meanwhile
                continue
            for line in zlib.decompress(data).decode("utf-8").splitlines():
                record = VacancyRecord.from_dict(json.loads(line))
                if record.id not in seen:
                    seen.add(record.id)
                    yield record

    def delete_all(self, organisation_id: int) -> int:
        """Delete every dataset of the organisation; returns how many."""

        def work(session: Session) -> int:
            result = session.execute(
                delete(TrendDatasetRow).where(TrendDatasetRow.organisation_id == organisation_id)
            )
            return int(result.rowcount)  # type: ignore[attr-defined]

        return self.database.write(work)


# -- uploads and the feed job ------------------------------------------------------------------


def check_feed(path: Path, name: str) -> None:
    """Refuse a feed without a single readable vacancy before a job is started.

    Raises:
        IngestError: the file is malformed as a whole (413/415/422 by the error handlers).
        ServiceError: 422, no readable vacancy (the first problems are named).
    """
    reader = read_feed(path, skip_bad=True, per_sentence=False)
    if next(reader, None) is None:
        problems = "; ".join(str(e)[:200] for e in reader.skipped[:3])
        raise ServiceError(
            422,
            "unreadable_document",
            f"{name}: no readable vacancy in the feed"
            + (f" ({len(reader.skipped)} unreadable: {problems})" if reader.skipped else "")
            + "; a vacancy needs a title or description (JSON, CSV, XML or JSON-LD JobPosting)",
        )


def read_record_upload(path: Path, name: str) -> list[VacancyRecord]:
    """The records of an uploaded ``vaardig batch`` output.

    Raises:
        ServiceError: 422 naming the first bad line.
    """
    try:
        records = list(read_records(path))
    except (ValueError, UnicodeDecodeError) as exc:
        message = str(exc).replace(str(path), name)
        raise ServiceError(422, "unreadable_document", message) from None
    if not records:
        raise ServiceError(422, "unreadable_document", f"{name}: no vacancy records")
    return records


class _AppExtractor:
    """The app's one extractor for :func:`process_feed`, a batch at a time through
    :func:`service.uploads.extract` (CV uploads and feed jobs share the extractor)."""

    def __init__(self, state: ServiceState) -> None:
        self.state = state
        self.taxonomy = state.loaded("extractor").taxonomy

    def extract_many(self, documents: Sequence[Document]):
        return iter(extract(self.state, list(documents)))


def feed_job(
    state: ServiceState,
    organisation_id: int,
    path: Path,
    name: str,
    actor: str,
    progress: Progress,
) -> dict[str, Any]:
    """Extract a feed (streaming, near-duplicates dropped) and store it as a trend dataset."""
    total = sum(1 for _ in read_feed(path, skip_bad=True, per_sentence=False))
    progress(0, total)
    out = path.with_name(path.name + ".extracted.jsonl")
    state_file = out.with_name(out.name + ".state")
    try:
        report = process_feed(
            [path],
            _AppExtractor(state),
            out,
            state_file,
            batch_size=FEED_BATCH,
            progress=lambda p: progress(p.consumed, total),
        )
        records = list(read_records(out))
    finally:
        out.unlink(missing_ok=True)
        state_file.unlink(missing_ok=True)
    dataset = TrendStore(state.database).add(
        organisation_id,
        name,
        "feed",
        records,
        actor,
        duplicates=report.duplicates,
        skipped=report.skipped_bad,
    )
    return {
        "dataset_id": dataset.id,
        "feed": name,
        "done": total,
        "total": total,
        "failed": report.skipped_bad,
        "records": dataset.records,
        "duplicates": report.duplicates,
        "first_date": dataset.first_date,
        "last_date": dataset.last_date,
    }


# -- analysis ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendView:
    """What a page or an API answer shows: one group and level of a report, the top rising
    and declining series with their forecasts."""

    report: TrendReport
    group: str
    level: str
    top: int
    rising: tuple[SkillTrend, ...]
    declining: tuple[SkillTrend, ...]

    def series(self, key: str | None) -> SkillTrend:
        """The series ``key`` (default: the fastest rising, else the fastest declining), with
        its forecast.

        Raises:
            KeyError: ``key`` was not tested in this group and level.
        """
        for trend in self.rising + self.declining:
            if key is None or trend.key == key:
                return trend
        if key is None:
            raise KeyError("nothing rises or declines significantly in this group")
        trend = self.report.trend(key, self.group, self.level)
        if trend.forecast is None and len(self.report.periods) >= MIN_PERIODS:
            trend = with_forecast(trend, self.report)
        return trend

    def to_dict(self) -> dict[str, Any]:
        report = self.report
        return {
            "by": report.by,
            "group_by": report.group_by,
            "group": self.group,
            "group_label": report.groups[self.group],
            "level": self.level,
            "groups": [{"key": k, "label": v} for k, v in report.groups.items()],
            "periods": report.periods,
            "vacancies": report.vacancies[self.group],
            "records": report.records,
            "undated": report.undated,
            "settings": report.settings,
            "rising": [_finite(t.to_dict()) for t in self.rising],
            "declining": [_finite(t.to_dict()) for t in self.declining],
        }


def _finite(value: Any) -> Any:
    """``value`` with NaN and infinite floats as None (JSON has no NaN): a period without
    vacancies in a group has no share."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


class TrendCache:
    """Reports, views and SVG charts per (organisation, data version, parameters): a small LRU
    per process. Work is done outside the lock; two requests may compute the same thing once
    each, never a stale one."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._items: OrderedDict[tuple, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple, build: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = build()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


class NoTrendData(ServiceError):
    """The organisation has not uploaded any vacancies yet."""

    def __init__(self) -> None:
        super().__init__(
            404,
            "not_found",
            "no vacancy data for trends yet: upload a vacancy feed or `vaardig batch` records "
            "first (POST /api/v1/trends/uploads)",
        )


class UnknownGroup(ValueError):
    """The group is not one of the report's (e.g. a region asked for with ``group_by=isco1``)."""


def trend_view(state: ServiceState, organisation_id: int, query: TrendQuery) -> TrendView:
    """The organisation's trends for one group and level (cached).

    Raises:
        NoTrendData: nothing uploaded yet (404).
        UnknownGroup: ``query.group`` is not one of this grouping's (422).
        NotEnoughData: data the analysis cannot use (too short a span, too few vacancies):
            422 with the analysis's message.
    """
    store = TrendStore(state.database)
    version = store.version(organisation_id)
    if version[0] == 0:
        raise NoTrendData()
    cache: TrendCache = state.cached("trends", TrendCache)
    base = (organisation_id, version, query.by, query.group_by)

    def analyse() -> TrendReport:
        taxonomy = state.loaded("taxonomy").taxonomy
        return analyse_trends(
            store.records(organisation_id),
            taxonomy,
            by=query.by,
            group_by=query.group_by,
            forecast_top=0,  # forecasts only for what is shown (below)
        )

    report: TrendReport = cache.get(("report", *base), analyse)
    group, level, top = query.group, query.level, query.top
    if group not in report.groups:
        raise UnknownGroup(f"no group {group!r} (groups: {', '.join(report.groups)})")

    def view() -> TrendView:
        def forecast(trends: list[SkillTrend]) -> tuple[SkillTrend, ...]:
            if len(report.periods) < MIN_PERIODS:
                return tuple(trends)
            return tuple(with_forecast(t, report) for t in trends)

        return TrendView(
            report,
            group,
            level,
            top,
            forecast(report.rising(group, level, top)),
            forecast(report.declining(group, level, top)),
        )

    return cache.get(("view", *base, group, level, top), view)


def growth_svg(state: ServiceState, organisation_id: int, view: TrendView) -> str:
    """The rising/declining bar chart of the view as inline SVG (cached).

    Raises:
        ValueError: nothing significant to chart.
    """
    from matcher.trends.charts import chart_svg, growth_figure

    def draw() -> str:
        figure = growth_figure(view.report, view.group, view.level, view.top)
        return inline_svg(chart_svg(figure))

    key = _chart_key(state, organisation_id, view, "growth")
    return state.cached("trends", TrendCache).get(key, draw)


def series_svg(
    state: ServiceState, organisation_id: int, view: TrendView, trend: SkillTrend
) -> str:
    """One series' share per period with its forecast band, as inline SVG (cached)."""
    from matcher.trends.charts import chart_svg, series_figure

    def draw() -> str:
        return inline_svg(chart_svg(series_figure(view.report, trend)))

    key = (*_chart_key(state, organisation_id, view, "series"), trend.key)
    return state.cached("trends", TrendCache).get(key, draw)


def _chart_key(state: ServiceState, organisation_id: int, view: TrendView, kind: str) -> tuple:
    version = TrendStore(state.database).version(organisation_id)
    report = view.report
    return (
        kind,
        organisation_id,
        version,
        report.by,
        report.group_by,
        view.group,
        view.level,
        view.top,
    )


def inline_svg(svg: str) -> str:
    """SVG text without its XML prolog and doctype, ready to sit inside an HTML page."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg
