"""Future skill needs: skill demand trends from extracted vacancy feeds, scenarios and charts.

    from extractor.batch import process_feed, read_records
    from matcher.trends import analyse_trends, plot_report

    process_feed(["vacatures.jsonl"], engine.extractor, "extracted.jsonl")   # resumable
    report = analyse_trends(read_records("extracted.jsonl"), engine.taxonomy,
                            by="quarter", group_by="isco1")
    report.rising(top=20)            # significantly rising skills, with growth per year and CI
    plot_report(report, "out/")      # PNG charts with the forecast band

Modules: :mod:`~matcher.trends.counting` (demand per period and group, rollups),
:mod:`~matcher.trends.growth` (quasi-Poisson trend test, Benjamini–Hochberg),
:mod:`~matcher.trends.forecast` (exponential smoothing), :mod:`~matcher.trends.analysis`
(the report), :mod:`~matcher.trends.charts`, :mod:`~matcher.trends.scenarios`,
:mod:`~matcher.trends.synthetic` (a generated feed with known trends).
"""

from matcher.trends.analysis import SkillTrend, TrendReport, analyse_trends
from matcher.trends.charts import (
    chart_svg,
    growth_chart,
    growth_figure,
    plot_report,
    series_chart,
    series_figure,
)
from matcher.trends.counting import DemandCounts, NotEnoughData, count_demand
from matcher.trends.forecast import Forecast, forecast_share
from matcher.trends.growth import GrowthFit, benjamini_hochberg, fit_growth
from matcher.trends.scenarios import (
    RoleSkill,
    Scenario,
    ScenarioResult,
    apply_scenario,
    compare_scenarios,
    load_scenario,
)

__all__ = [
    "DemandCounts",
    "Forecast",
    "GrowthFit",
    "NotEnoughData",
    "RoleSkill",
    "Scenario",
    "ScenarioResult",
    "SkillTrend",
    "TrendReport",
    "analyse_trends",
    "apply_scenario",
    "benjamini_hochberg",
    "chart_svg",
    "compare_scenarios",
    "count_demand",
    "fit_growth",
    "forecast_share",
    "growth_chart",
    "growth_figure",
    "load_scenario",
    "plot_report",
    "series_chart",
    "series_figure",
]
