"""Charts: rising/declining bars and per-skill series with the forecast band, PNG and SVG."""

from __future__ import annotations

import pytest

from matcher.trends import analyse_trends, growth_chart, plot_report, series_chart
from matcher.trends.analysis import with_forecast
from matcher.trends.synthetic import SKILLS, generate_feed


@pytest.fixture(scope="module")
def report(taxonomy):
    records = [v.extraction_record() for v in generate_feed(8000, seed=9) if not v.duplicate_of]
    return analyse_trends(records, taxonomy, levels=["skill"], forecast_top=2)


def test_growth_chart_is_a_png(report, tmp_path):
    path = growth_chart(report, tmp_path / "groei.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_svg_output_is_deterministic(report, tmp_path):
    first = growth_chart(report, tmp_path / "a.svg").read_bytes()
    second = growth_chart(report, tmp_path / "b.svg").read_bytes()
    assert first == second and b"<svg" in first
    assert b"warmtepompen installeren" in first  # labels are text, not paths


def test_svg_text_for_a_web_page(report):
    from matcher.trends.charts import chart_svg, growth_figure

    svg = chart_svg(growth_figure(report))
    assert svg.lstrip().startswith("<?xml") and "warmtepompen installeren" in svg


def test_series_chart_shows_the_forecast(report, tmp_path):
    trend = with_forecast(report.trend(SKILLS["warmtepompen"].uri), report)
    svg = series_chart(report, trend, tmp_path / "warmtepompen.svg").read_text()
    assert "prognose" in svg and trend.forecast.periods[-1] in svg


def test_plot_report_writes_one_growth_chart_and_a_series_per_moving_skill(report, tmp_path):
    files = plot_report(report, tmp_path / "out", fmt="png", series=3)
    names = sorted(p.name for p in files)
    assert "alle_groei.png" in names
    assert len(files) == 1 + len(report.rising(top=3)) + len(report.declining(top=3))
    assert all(p.stat().st_size > 1000 for p in files)


def test_unknown_chart_format_is_refused(report, tmp_path):
    with pytest.raises(ValueError, match=r"\.png or \.svg"):
        growth_chart(report, tmp_path / "groei.gif")
    with pytest.raises(ValueError, match="png or svg"):
        plot_report(report, tmp_path, fmt="pdf")
