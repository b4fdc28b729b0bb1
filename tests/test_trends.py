"""Trend analysis on the synthetic feed: it finds the injected trends and calls flat skills flat."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from extractor.batch import VacancyRecord
from matcher.trends import analyse_trends, benjamini_hochberg, count_demand, fit_growth
from matcher.trends.counting import period_label, period_number
from matcher.trends.forecast import forecast_share
from matcher.trends.synthetic import (
    DEFAULT_TRENDS,
    SKILLS,
    declining_skills,
    expected_growth,
    flat_skills,
    generate_feed,
    rising_skills,
)

YEARS = 3  # the default synthetic feed spans 2022-2024


@pytest.fixture(scope="module")
def records() -> list[VacancyRecord]:
    """20,000 vacancies as a perfect extractor would record them (re-posts removed)."""
    return [v.extraction_record() for v in generate_feed(20_000, seed=5) if not v.duplicate_of]


@pytest.fixture(scope="module")
def report(records, taxonomy):
    return analyse_trends(records, taxonomy, by="quarter", group_by="isco1", forecast_top=3)


# --- counting ------------------------------------------------------------------------------
def test_periods_are_numbered_and_labelled_by_month_and_quarter():
    assert period_label(period_number("2024-05-17", "quarter"), "quarter") == "2024Q2"
    assert period_label(period_number("2024-05-17", "month"), "month") == "2024-05"
    assert period_number("2025-01-01", "quarter") - period_number("2024-12-31", "quarter") == 1


def test_counts_are_vacancies_per_period_asking_for_the_skill(records, taxonomy):
    counts = count_demand(records, taxonomy, by="quarter")
    assert counts.periods[0] == "2022Q1" and counts.periods[-1] == "2024Q4"
    assert counts.vacancies["all"].sum() == len(records)
    uri = SKILLS["warmtepompen"].uri
    first = [r for r in records if r.date < "2022-04-01"]
    asked = sum(uri in {u for u, _, _ in r.skills} for r in first)
    assert counts.counts["all"][("skill", uri)][0] == asked
    for key, series in counts.counts["all"].items():
        assert (series <= counts.vacancies["all"]).all(), key


def test_groups_and_collections_roll_up_each_vacancy_once(records, taxonomy):
    counts = count_demand(records, taxonomy, by="quarter", group_depth=2).counts["all"]
    heat_pump = SKILLS["warmtepompen"].uri
    green = counts[("collection", "green")]
    assert (green >= counts[("skill", heat_pump)]).all()
    green_skills = [
        s
        for (lvl, k), s in counts.items()
        if lvl == "skill" and "green" in taxonomy.concepts[k].collections
    ]
    assert (green <= sum(green_skills)).all()
    group = next(g for g in taxonomy.skill_groups(heat_pump) if g.code == "S7.2")
    assert (counts[("group", group.uri)] >= counts[("skill", heat_pump)]).all()


def test_grouping_by_isco_major_group_and_region(records, taxonomy):
    counts = count_demand(records[:3000], taxonomy, by="quarter", group_by="isco1")
    assert set(counts.groups) == {"all", "2", "3", "7", "8", "9"}
    assert sum(counts.vacancies[g].sum() for g in counts.groups if g != "all") == 3000
    regions = count_demand(records[:3000], None, group_by="region", levels=["skill"])
    assert "Groningen" in regions.groups


def test_undated_vacancies_are_left_out_and_reported(taxonomy):
    dated = VacancyRecord(id="a", source="a", date="2024-01-05", skills=(("u", 0.9, "exact"),))
    undated = VacancyRecord(id="b", source="b", skills=(("u", 0.9, "exact"),))
    counts = count_demand([dated, undated], None, levels=["skill"])
    assert (counts.records, counts.undated) == (2, 1)
    with pytest.raises(ValueError, match="none of the 1 vacancies has a posting date"):
        count_demand([undated], None, levels=["skill"])


def test_inferred_and_unsure_claims_are_not_counted_by_default():
    record = VacancyRecord(
        id="a",
        source="a",
        date="2024-01-05",
        skills=(
            ("sure", 0.9, "exact"),
            ("inferred", 0.45, "inferred"),
            ("unsure", 0.3, "semantic"),
        ),
    )
    counted = count_demand([record], None, levels=["skill"]).counts["all"]
    assert set(counted) == {("skill", "sure")}
    with_inferred = count_demand(
        [record], None, levels=["skill"], include_inferred=True, min_confidence=0.0
    ).counts["all"]
    assert set(with_inferred) == {("skill", "sure"), ("skill", "inferred"), ("skill", "unsure")}


# --- the growth model ----------------------------------------------------------------------
def test_growth_fit_matches_a_quasi_poisson_glm():
    import statsmodels.api as sm

    rng = np.random.default_rng(0)
    exposure = rng.integers(300, 600, size=12)
    years = np.arange(12) / 4
    counts = rng.negative_binomial(5, 5 / (5 + 0.08 * exposure * 1.5**years))  # overdispersed
    fit = fit_growth(counts[None, :], exposure, years)
    glm = sm.GLM(
        counts, sm.add_constant(years), family=sm.families.Poisson(), offset=np.log(exposure)
    ).fit(scale="X2")
    assert fit.slope[0] == pytest.approx(glm.params[1], rel=1e-6)
    assert fit.dispersion[0] > 1
    assert fit.se[0] == pytest.approx(glm.bse[1], rel=1e-6)


def test_benjamini_hochberg_matches_statsmodels():
    from statsmodels.stats.multitest import multipletests

    p = np.random.default_rng(1).uniform(size=200) ** 2
    assert benjamini_hochberg(p) == pytest.approx(multipletests(p, method="fdr_bh")[1])


def test_growth_needs_three_periods_with_vacancies():
    with pytest.raises(ValueError, match="only 2 periods have vacancies"):
        fit_growth(np.array([[1, 2, 0]]), np.array([10, 10, 0]), np.arange(3.0))


# --- the report on the synthetic feed ------------------------------------------------------
def test_injected_rising_and_declining_skills_are_found(report):
    rising = {t.key for t in report.rising(top=100)}
    declining = {t.key for t in report.declining(top=100)}
    # the Groningen-only solar trend is too diluted to show over all vacancies
    assert rising_skills() - {SKILLS["zonnepanelen"].uri} <= rising
    assert declining_skills() <= declining


def test_flat_skills_are_not_significant_in_any_group(report):
    flat = flat_skills()
    tested = [t for t in report.trends if t.level == "skill" and t.key in flat]
    assert len(tested) > 80  # about 45 skills, overall and per ISCO group
    assert [t for t in tested if t.q_value <= 0.05] == []
    assert all(t.direction == "flat" for t in tested)


@pytest.mark.parametrize("skill", ["warmtepompen", "verwarmingsketels"])
def test_confidence_interval_covers_the_injected_growth(report, skill):
    trend = next(t for t in DEFAULT_TRENDS if t.skill == skill)
    # in the technical occupations (ISCO 7) only the trend drives the share
    found = report.trend(SKILLS[skill].uri, group="7")
    assert found.ci_low <= expected_growth(trend, YEARS) <= found.ci_high


def test_trends_are_listed_per_occupation_group(report):
    assert report.groups["7"] == "7 Ambachtslieden"
    in_crafts = {t.key for t in report.rising("7")}
    in_office = {t.key for t in report.rising("3")}
    assert SKILLS["warmtepompen"].uri in in_crafts and SKILLS["warmtepompen"].uri not in in_office
    assert {SKILLS["ai"].uri, SKILLS["data_analyse"].uri} <= in_office


def test_a_regional_trend_shows_in_its_region(records, taxonomy):
    regional = analyse_trends(
        records, taxonomy, group_by="region", levels=["skill"], forecast_top=0
    )
    assert SKILLS["zonnepanelen"].uri in {t.key for t in regional.rising("Groningen")}
    assert SKILLS["zonnepanelen"].uri not in {t.key for t in regional.rising("Utrecht")}


def test_collections_roll_up_the_energy_transition(report):
    green = report.trend("green", level="collection")
    assert green.direction == "rising"
    assert green.label == "groene vaardigheden"


def test_rising_skills_get_a_forecast_with_an_interval(report):
    top = report.rising(top=1)[0]
    f = top.forecast
    assert f is not None and f.periods == ("2025Q1", "2025Q2", "2025Q3", "2025Q4")
    for low, mean, high in zip(f.low, f.mean, f.high, strict=True):
        assert 0 <= low <= mean <= high <= 1
    # the share keeps rising: next year's forecast is above last year's average share
    assert f.mean[-1] > np.mean(top.shares[-4:])


def test_forecast_needs_enough_periods():
    with pytest.raises(ValueError, match="at least 6 periods"):
        forecast_share(np.array([0.1, 0.2, 0.3]), "2024Q4", "quarter")


def test_report_is_json_serialisable(report):
    payload = json.loads(json.dumps(report.to_dict(top=5)))
    assert payload["periods"][0] == "2022Q1" and payload["groups"][0]["group"] == "all"
    assert payload["groups"][0]["trends"]["skill"]["rising"][0]["growth_per_year"] > 1


def test_too_few_periods_is_a_user_error(taxonomy):
    record = VacancyRecord(id="a", source="a", date="2024-01-05", skills=(("u", 0.9, "exact"),))
    with pytest.raises(ValueError, match="a trend needs at least 4"):
        analyse_trends([record], taxonomy)


@pytest.mark.slow
def test_false_discovery_rate_is_controlled_over_many_feeds(taxonomy):
    flat = flat_skills()
    false, found = 0, 0
    for seed in range(10):
        records = [
            v.extraction_record()
            for v in generate_feed(6000, seed=100 + seed)
            if not v.duplicate_of
        ]
        report = analyse_trends(
            records, taxonomy, group_by="isco1", levels=["skill"], forecast_top=0, min_growth=1.0
        )
        significant = [t for t in report.trends if t.direction != "flat"]
        false += sum(t.key in flat for t in significant)
        found += len(significant)
    assert found > 0 and false / found <= 0.05 + 1.96 * math.sqrt(0.05 * 0.95 / found)
