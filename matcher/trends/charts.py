"""Charts of a :class:`TrendReport` as PNG or SVG files (matplotlib, no display needed).

    growth_chart(report, "out/stijgers.png")                 # rising and declining skills
    series_chart(report, report.rising()[0], "out/warmtepompen.svg")
    plot_report(report, "out/", top=10, fmt="png")           # both kinds, one call
    chart_svg(growth_figure(report, group="7"))              # SVG text, e.g. for a web page

The format follows the file suffix (.png or .svg). SVG output is deterministic (fixed ids, no
date), so a chart committed to the docs only changes when its data does.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
from pathlib import Path

from matcher.trends.analysis import SkillTrend, TrendReport, with_forecast
from matcher.trends.counting import ALL
from matcher.trends.forecast import MIN_PERIODS

FORMATS = ("png", "svg")
_RISING, _DECLINING, _DATA, _FORECAST = "#1b7f5b", "#b3403a", "#2c5d8f", "#e08a1e"
_GROWTH_TICKS = (0.1, 0.2, 0.3, 0.5, 0.67, 0.8, 1, 1.25, 1.5, 2, 3, 5, 10)


def _pyplot():  # imported on first use: matplotlib is slow to import
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["svg.hashsalt"] = "vaardig"
    matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: small, searchable SVGs
    import matplotlib.pyplot as plt

    return plt


def save_chart(fig, path: str | os.PathLike[str]) -> Path:
    """Write a figure as .png or .svg (by suffix) and close it.

    Raises:
        ValueError: another suffix.
    """
    path = Path(path)
    suffix = path.suffix.lower().lstrip(".")
    try:
        if suffix not in FORMATS:
            raise ValueError(f"{path}: charts are written as .png or .svg, not .{suffix or '?'}")
        path.parent.mkdir(parents=True, exist_ok=True)
        metadata = {"Date": None} if suffix == "svg" else {"Software": None}
        fig.savefig(path, dpi=120, bbox_inches="tight", metadata=metadata)
        return path
    finally:
        _pyplot().close(fig)


def chart_svg(fig) -> str:
    """A figure as SVG text (deterministic), for embedding in a web page; closes the figure."""
    buffer = io.StringIO()
    try:
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
        return buffer.getvalue()
    finally:
        _pyplot().close(fig)


def growth_chart(
    report: TrendReport,
    path: str | os.PathLike[str],
    group: str = ALL,
    level: str = "skill",
    top: int = 10,
) -> Path:
    """Write :func:`growth_figure` to ``path`` (.png or .svg)."""
    return save_chart(growth_figure(report, group, level, top), path)


def growth_figure(report: TrendReport, group: str = ALL, level: str = "skill", top: int = 10):
    """Horizontal bars: growth factor per year of the top rising and declining series of
    ``group``, with their confidence intervals (log scale, 1 = no change).

    Raises:
        ValueError: nothing in the group is significantly rising or declining.
    """
    rising = report.rising(group, level, top)
    declining = report.declining(group, level, top)
    shown = rising + declining[::-1]
    if not shown:
        raise ValueError(
            f"no significantly rising or declining {level}s in {report.groups[group]}: "
            "nothing to chart"
        )
    plt = _pyplot()
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

    fig, ax = plt.subplots(figsize=(8, 0.42 * len(shown) + 1.4))
    ys = list(range(len(shown)))[::-1]
    for y, t in zip(ys, shown, strict=True):
        colour = _RISING if t.direction == "rising" else _DECLINING
        ax.barh(y, t.growth - 1, left=1, color=colour, alpha=0.85, height=0.6)
        ax.plot([t.ci_low, t.ci_high], [y, y], color="#333333", linewidth=1.2)
    ax.axvline(1, color="#555555", linewidth=0.8)
    ax.set_xscale("log")
    lo = min(t.ci_low for t in shown)
    hi = max(t.ci_high for t in shown)
    ticks = [v for v in _GROWTH_TICKS if min(lo, 1) / 1.05 <= v <= max(hi, 1) * 1.05]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"×{v:g}"))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_yticks(ys, [_short(t.label) for t in shown], fontsize=9)
    ax.set_xlabel(f"groei van het aandeel vacatures per jaar (×, {_pct(report)}%-BI)")
    title = f"Stijgende en dalende {_level_nl(level)} – {report.groups[group]}"
    ax.set_title(f"{title}\n{report.periods[0]} t/m {report.periods[-1]}", fontsize=11)
    ax.grid(axis="x", which="both", alpha=0.25)
    fig.tight_layout()
    return fig


def series_chart(report: TrendReport, trend: SkillTrend, path: str | os.PathLike[str]) -> Path:
    """Write :func:`series_figure` to ``path`` (.png or .svg)."""
    return save_chart(series_figure(report, trend), path)


def series_figure(report: TrendReport, trend: SkillTrend):
    """The share of vacancies per period for one series, with its forecast and band."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 3.6))
    xs = list(range(len(report.periods)))
    ax.plot(xs, [100 * s for s in trend.shares], marker="o", color=_DATA, label="gemeten")
    labels = list(report.periods)
    if trend.forecast is not None:
        f = trend.forecast
        fx = list(range(len(xs) - 1, len(xs) + len(f.periods)))
        last = 100 * trend.shares[-1]
        ax.plot(
            fx,
            [last, *(100 * m for m in f.mean)],
            linestyle="--",
            color=_FORECAST,
            label=f"prognose ({f.method})",
        )
        ax.fill_between(
            fx,
            [last, *(100 * v for v in f.low)],
            [last, *(100 * v for v in f.high)],
            color=_FORECAST,
            alpha=0.2,
            label=f"{round(100 * f.level)}%-voorspelinterval",
        )
        labels += list(f.periods)
    step = max(1, len(labels) // 12)
    ax.set_xticks(range(0, len(labels), step), labels[::step], rotation=45, ha="right", fontsize=8)
    ax.set_ylabel("% van de vacatures")
    ax.set_ylim(bottom=0)
    growth = f"×{trend.growth:.2f}/jaar [{trend.ci_low:.2f}–{trend.ci_high:.2f}]"
    ax.set_title(f"{_short(trend.label, 70)} – {report.groups[trend.group]}\n{growth}", fontsize=11)
    ax.grid(alpha=0.25)
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    return fig


def plot_report(
    report: TrendReport,
    out_dir: str | os.PathLike[str],
    top: int = 10,
    fmt: str = "png",
    level: str = "skill",
    series: int = 5,
) -> list[Path]:
    """Per group: a growth chart, and series charts (with forecast) of its ``series`` fastest
    rising and declining skills. Groups with nothing significant get no charts. Returns the
    files written.
    """
    if fmt not in FORMATS:
        raise ValueError(f"chart format must be png or svg, not {fmt!r}")
    out = Path(out_dir)
    written = []
    for group in report.groups:
        prefix = "alle" if group == ALL else _slug(group)
        moving = report.rising(group, level, series) + report.declining(group, level, series)
        if not moving:
            continue
        written.append(growth_chart(report, out / f"{prefix}_groei.{fmt}", group, level, top))
        for trend in moving:
            if trend.forecast is None and len(report.periods) >= MIN_PERIODS:
                trend = with_forecast(trend, report)
            name = f"{prefix}_{_slug(trend.label)[:50]}.{fmt}"
            written.append(series_chart(report, trend, out / name))
    return written


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "x"


def _short(text: str, width: int = 45) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _pct(report: TrendReport) -> int:
    return round(100 * float(report.settings.get("confidence", 0.95)))  # type: ignore[arg-type]


def _level_nl(level: str) -> str:
    return {"skill": "vaardigheden", "group": "vaardigheidsgroepen", "collection": "collecties"}[
        level
    ]
