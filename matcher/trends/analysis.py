"""The trend report: counts → growth with confidence intervals → FDR → forecasts.

    report = analyse_trends(read_records("extracted.jsonl"), taxonomy, by="quarter",
                            group_by="isco1")
    for trend in report.rising(top=10):
        print(trend.label, f"x{trend.growth:.2f}/jaar", trend.ci_low, trend.ci_high)

Every skill (and skill group and collection) with enough vacancies in a group is tested; the
q-values control the false discovery rate over *all* tests of the report. A trend is "rising"
or "declining" when its q-value is at most ``alpha`` *and* its growth factor per year is at
least ``min_growth`` (or at most 1 / ``min_growth``): large feeds make tiny changes
significant, and a 2% change per year is nothing to plan training for.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from extractor.batch import VacancyRecord
from matcher.trends.counting import (
    ALL,
    LEVELS,
    PERIODS_PER_YEAR,
    DemandCounts,
    GroupBy,
    Level,
    NotEnoughData,
    PeriodKind,
    count_demand,
    group_label,
    label_of,
)
from matcher.trends.forecast import MIN_PERIODS, Forecast, forecast_share
from matcher.trends.growth import benjamini_hochberg, fit_growth
from taxonomy import Taxonomy

Direction = Literal["rising", "declining", "flat"]


@dataclass(frozen=True)
class SkillTrend:
    """The demand trend of one skill, skill group or collection in one group of vacancies.

    Attributes:
        group: "all", or the group's key (ISCO code, region, category).
        level: "skill", "group" or "collection".
        key: skill/group URI or collection name; ``label``: readable, Dutch where possible.
        counts: vacancies asking for it per period; ``shares``: counts / vacancies (0..1).
        growth: factor by which the share changes per year; ``ci_low``/``ci_high``: its
            confidence interval; ``p_value``/``q_value``: the test of "no change" before and
            after the false discovery rate correction.
        direction: "rising", "declining" or "flat" (not significant, or too small a change).
        forecast: next periods' share with prediction interval, when computed.
    """

    group: str
    level: str
    key: str
    label: str
    counts: tuple[int, ...]
    shares: tuple[float, ...]
    growth: float
    ci_low: float
    ci_high: float
    p_value: float
    q_value: float
    direction: Direction
    forecast: Forecast | None = None

    @property
    def total(self) -> int:
        return int(sum(self.counts))

    def to_dict(self) -> dict[str, object]:
        return {
            "group": self.group,
            "level": self.level,
            "key": self.key,
            "label": self.label,
            "counts": list(self.counts),
            "shares": [round(s, 5) for s in self.shares],
            "growth_per_year": round(self.growth, 4),
            "ci": [round(self.ci_low, 4), round(self.ci_high, 4)],
            "p_value": float(f"{self.p_value:.4g}"),
            "q_value": float(f"{self.q_value:.4g}"),
            "direction": self.direction,
            "forecast": self.forecast.to_dict() if self.forecast else None,
        }


@dataclass
class TrendReport:
    """Trends per group; :meth:`rising`/:meth:`declining` list the significant ones.

    Attributes:
        by, group_by, periods: as in :class:`DemandCounts`.
        groups: group key → readable label ("all" first).
        vacancies: group key → vacancies per period.
        trends: every tested series (all groups and levels).
        settings: the analysis parameters, for the record.
    """

    by: PeriodKind
    group_by: GroupBy
    periods: list[str]
    groups: dict[str, str]
    vacancies: dict[str, list[int]]
    trends: list[SkillTrend]
    records: int
    undated: int
    settings: dict[str, object] = field(default_factory=dict)

    def rising(self, group: str = ALL, level: str = "skill", top: int = 20) -> list[SkillTrend]:
        """Significantly rising series of ``group``, fastest growth first."""
        found = [t for t in self._of(group, level) if t.direction == "rising"]
        return sorted(found, key=lambda t: (-t.growth, t.q_value))[:top]

    def declining(self, group: str = ALL, level: str = "skill", top: int = 20) -> list[SkillTrend]:
        """Significantly declining series of ``group``, fastest decline first."""
        found = [t for t in self._of(group, level) if t.direction == "declining"]
        return sorted(found, key=lambda t: (t.growth, t.q_value))[:top]

    def trend(self, key: str, group: str = ALL, level: str = "skill") -> SkillTrend:
        """The tested series of one skill/group/collection.

        Raises:
            KeyError: it was not tested (unknown, or below ``min_count`` in this group).
        """
        for t in self._of(group, level):
            if t.key == key:
                return t
        raise KeyError(f"{key} was not tested in group {group!r} (too few vacancies?)")

    def _of(self, group: str, level: str) -> list[SkillTrend]:
        if group not in self.groups:
            raise ValueError(f"no group {group!r} (groups: {', '.join(self.groups)})")
        return [t for t in self.trends if t.group == group and t.level == level]

    def to_dict(self, top: int | None = None) -> dict[str, object]:
        """JSON-ready: per group its vacancies and ``trends[level]``: every tested series, or
        with ``top`` only ``{"rising": [...], "declining": [...]}``, the top ones."""
        out: dict[str, object] = {
            "by": self.by,
            "group_by": self.group_by,
            "periods": self.periods,
            "records": self.records,
            "undated": self.undated,
            "settings": self.settings,
            "groups": [],
        }
        levels = sorted({t.level for t in self.trends}, key=LEVELS.index)
        for group, label in self.groups.items():
            series: dict[str, object] = {}
            for level in levels:
                if top is None:
                    series[level] = [t.to_dict() for t in self._of(group, level)]
                else:
                    series[level] = {
                        "rising": [t.to_dict() for t in self.rising(group, level, top)],
                        "declining": [t.to_dict() for t in self.declining(group, level, top)],
                    }
            entry = {
                "group": group,
                "label": label,
                "vacancies": self.vacancies[group],
                "trends": series,
            }
            out["groups"].append(entry)  # type: ignore[attr-defined]
        return out


def analyse_trends(
    records: Iterable[VacancyRecord] | DemandCounts,
    taxonomy: Taxonomy | None = None,
    *,
    by: PeriodKind = "quarter",
    group_by: GroupBy = "none",
    levels: Iterable[Level] = LEVELS,
    min_count: int = 10,
    alpha: float = 0.05,
    min_growth: float = 1.1,
    confidence: float = 0.95,
    horizon: int = 4,
    forecast_top: int = 10,
    include_inferred: bool = False,
    min_confidence: float = 0.5,
    group_depth: int = 2,
) -> TrendReport:
    """Count, test and forecast skill demand over time.

    Args:
        records: extracted vacancies, or counts already made with :func:`count_demand`.
        taxonomy: for labels and the skill-group/collection rollups.
        by, group_by, levels, include_inferred, min_confidence, group_depth: see
            :func:`count_demand`.
        min_count: series with fewer vacancies in a group (all periods together), or present
            in fewer than two periods, are not tested.
        alpha: false discovery rate for "rising"/"declining".
        min_growth: smallest growth factor per year (or its inverse) called a trend.
        confidence: level of the confidence and prediction intervals.
        horizon: periods to forecast; ``forecast_top``: forecast the top N rising and the top
            N declining series per group and level (0: none).

    Raises:
        NotEnoughData: no dated vacancies, fewer than 4 periods, or no skill in
            ``min_count`` vacancies (a ``ValueError``).
        ValueError: bad parameters.
    """
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha}")
    if min_growth < 1:
        raise ValueError(f"min_growth is a factor per year >= 1, got {min_growth}")
    counts = (
        records
        if isinstance(records, DemandCounts)
        else count_demand(
            records,
            taxonomy,
            by,
            group_by,
            levels,
            include_inferred,
            min_confidence,
            group_depth,
        )
    )
    periods = counts.periods
    if len(periods) < 4:
        raise NotEnoughData(
            f"the vacancies span {len(periods)} {counts.by}(s) ({periods[0]}..{periods[-1]}); "
            "a trend needs at least 4 (use --by month, or a feed that spans more time)",
            "span",
            len(periods),
        )
    years = np.arange(len(periods)) / PERIODS_PER_YEAR[counts.by]

    rows: list[tuple[str, tuple[str, str], np.ndarray, np.ndarray]] = []
    fits = []
    for group in counts.groups:
        exposure = counts.vacancies[group]
        tested = [
            (key, series)
            for key, series in sorted(counts.series(group).items())
            if series.sum() >= min_count and np.count_nonzero(series) >= 2
        ]
        if not tested or np.count_nonzero(exposure) < 3:
            continue
        matrix = np.stack([s for _, s in tested])
        fit = fit_growth(matrix, exposure, years)
        fits.append(fit)
        rows += [(group, key, series, exposure) for key, series in tested]
    if not fits:
        raise NotEnoughData(
            f"no skill reaches {min_count} vacancies in at least two periods; lower --min-count "
            "or analyse a larger feed",
            "counts",
            len(periods),
        )
    slopes = np.concatenate([f.slope for f in fits])
    p_values = np.concatenate([f.p_value for f in fits])
    bounds = [f.rate_ratio(confidence) for f in fits]
    growth = np.concatenate([b[0] for b in bounds])
    low = np.concatenate([b[1] for b in bounds])
    high = np.concatenate([b[2] for b in bounds])
    q_values = benjamini_hochberg(p_values)

    trends = []
    for i, (group, (level, key), series, exposure) in enumerate(rows):
        significant = q_values[i] <= alpha and abs(slopes[i]) >= np.log(min_growth)
        direction: Direction = (
            ("rising" if slopes[i] > 0 else "declining") if significant else "flat"
        )
        with np.errstate(invalid="ignore", divide="ignore"):
            shares = np.where(exposure > 0, series / np.maximum(exposure, 1), np.nan)
        trends.append(
            SkillTrend(
                group=group,
                level=level,
                key=key,
                label=label_of(level, key, taxonomy),
                counts=tuple(int(c) for c in series),
                shares=tuple(float(s) for s in shares),
                growth=float(growth[i]),
                ci_low=float(low[i]),
                ci_high=float(high[i]),
                p_value=float(p_values[i]),
                q_value=float(q_values[i]),
                direction=direction,
            )
        )
    report = TrendReport(
        by=counts.by,
        group_by=counts.group_by,
        periods=periods,
        groups={
            g: ("alle vacatures" if g == ALL else group_label(g, counts.group_by, taxonomy))
            for g in counts.groups
        },
        vacancies={g: [int(v) for v in counts.vacancies[g]] for g in counts.groups},
        trends=trends,
        records=counts.records,
        undated=counts.undated,
        settings={
            "min_count": min_count,
            "alpha": alpha,
            "min_growth": min_growth,
            "confidence": confidence,
            "horizon": horizon,
            "include_inferred": include_inferred,
            "min_confidence": min_confidence,
            "group_depth": group_depth,
            "tests": len(trends),
        },
    )
    if forecast_top > 0 and len(periods) >= MIN_PERIODS:
        add_forecasts(report, forecast_top, horizon, confidence)
    return report


def add_forecasts(
    report: TrendReport, top: int, horizon: int = 4, level: float = 0.95
) -> TrendReport:
    """Forecast the top ``top`` rising and declining series of every group and level."""
    chosen: set[int] = set()
    levels = {t.level for t in report.trends}
    for group in report.groups:
        for lvl in levels:
            chosen.update(id(t) for t in report.rising(group, lvl, top))
            chosen.update(id(t) for t in report.declining(group, lvl, top))
    report.trends = [
        with_forecast(t, report, horizon, level) if id(t) in chosen else t for t in report.trends
    ]
    return report


def with_forecast(
    trend: SkillTrend, report: TrendReport, horizon: int | None = None, level: float | None = None
) -> SkillTrend:
    """``trend`` with its forecast filled in (horizon and level default to the report's)."""
    horizon = int(horizon or report.settings.get("horizon", 4))  # type: ignore[call-overload]
    level = float(level or report.settings.get("confidence", 0.95))  # type: ignore[arg-type]
    forecast = forecast_share(np.array(trend.shares), report.periods[-1], report.by, horizon, level)
    return SkillTrend(**{**trend.__dict__, "forecast": forecast})
