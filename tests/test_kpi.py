"""Learning KPIs from the database alone: periods, the example firm's values counted by hand,
targets and on/off track, the learning plan in the store, and erasure of plans.

The expected values below are counted from the tables in matcher/development/fixture_firm.py
(PEOPLE, EVENTS, VACANCIES, FUTURE_ROLES, STEPS, TARGETS), not computed by the code under test.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from matcher.development import (
    DEFAULT_TARGETS,
    effective_targets,
    learning_kpis,
    newly_confirmed,
    parse_period,
    parse_targets,
)
from matcher.development.fixture_firm import build_fixture_firm, skill_uri
from matcher.development.plans import path_plan
from matcher.paths import LearningModes, PathStep, ReskillingPath
from matcher.store import KpiTarget, LearningStore, NotFound, PassportStore, PlannedStep

NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)
T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)


@pytest.fixture(scope="module")
def firm_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('kpi') / 'firm.db'}"
    return build_fixture_firm(url), url


@pytest.fixture(scope="module")
def learning(firm_url):
    _firm, url = firm_url
    store = PassportStore.open(url)
    yield LearningStore(store.database)
    store.database.close()


def report(learning: LearningStore, organisation_id: int, period: str, **kwargs):
    targets = effective_targets(learning.targets(organisation_id))
    return learning_kpis(learning.history(organisation_id), period, targets, now=NOW, **kwargs)


def values(rep) -> dict[str, tuple[float, float]]:
    return {k.key: (k.numerator, k.denominator) for k in rep.kpis}


# -- periods ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "first", "last", "previous"),
    [
        ("2026", "2026-01-01", "2026-12-31", "2025"),
        ("2026Q1", "2026-01-01", "2026-03-31", "2025Q4"),
        ("2026-q3", "2026-07-01", "2026-09-30", "2026Q2"),
        ("2026-03", "2026-03-01", "2026-03-31", "2026-02"),
        ("2026-01", "2026-01-01", "2026-01-31", "2025-12"),
        ("2026-01-01..2026-06-30", "2026-01-01", "2026-06-30", "2025-07-04..2025-12-31"),
    ],
)
def test_periods_parse_with_their_previous_period(text, first, last, previous):
    period = parse_period(text)
    assert (period.first_day.isoformat(), period.last_day.isoformat()) == (first, last)
    assert period.previous().label == previous


@pytest.mark.parametrize("text", ["", "26", "2026Q5", "2026-13", "2026-02-30..2026-03-01", "x"])
def test_bad_periods_say_what_is_accepted(text):
    with pytest.raises(ValueError, match="period"):
        parse_period(text)


def test_a_range_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="ends before it starts"):
        parse_period("2026-06-30..2026-01-01")


def test_periods_follow_the_dutch_calendar():
    year = parse_period("2026")
    # 23:30 UTC on New Year's Eve is already 2026 in Amsterdam
    assert year.contains(datetime(2025, 12, 31, 23, 30, tzinfo=UTC))
    assert not year.contains(datetime(2026, 12, 31, 23, 30, tzinfo=UTC))


# -- the example firm, counted by hand -------------------------------------------------------


def test_kpis_for_2026(firm_url, learning):
    firm, _url = firm_url
    rep = report(learning, firm.organisation_id, "2026")
    assert rep.headcount == 20  # vdb-011 joined in March 2026
    assert values(rep) == {
        # learners: 001 002 004 005 008 009 010 011 012 013 014 016 018 019 020; not 003, 006,
        # 007, 017, nor 015 (forklift re-confirmed in March: confirmed before, not new)
        "learners_share": (15, 20),
        # 1+1+3+2+1+1+1+4 (011's CV)+1+1+1+1+1+2+1
        "new_skills_per_employee": (22, 20),
        # due in 2026, not cancelled: 9 steps; open: vdb-002's rotation, vdb-007's project
        "steps_completed_share": (7, 9),
        # werkvoorbereider, laadpalen, magazijn internal; monteur warmtepompen external
        "internal_fill_rate": (3, 4),
        # open gaps on 1 January: 2 design skills, feasibility, energy needs, energy management,
        # sustainable materials; closed: energy management (Jan), feasibility (Mar), solar
        # design (Jun)
        "future_gaps_closed_share": (3, 6),
    }
    assert rep.kpi("learners_share").value == pytest.approx(0.75)
    assert rep.partial  # 2026 had not ended on NOW
    top = [(s.label, s.employees) for s in rep.top_skills[:3]]
    assert top == [
        ("een haalbaarheidsstudie naar warmtepompen uitvoeren", 2),
        ("risicoanalyses uitvoeren", 2),
        ("warmtepompen installeren", 2),
    ]
    closed = [(g.label, g.closed_on) for g in rep.gaps_closed]
    assert closed == [
        ("energiebeheer van installaties uitvoeren", date(2026, 1, 19)),
        ("een haalbaarheidsstudie naar warmtepompen uitvoeren", date(2026, 3, 16)),
        ("zonne-energiesystemen ontwerpen", date(2026, 6, 8)),
    ]


def test_per_person_the_newly_confirmed_skills(firm_url, learning):
    firm, _url = firm_url
    history = learning.history(firm.organisation_id)
    daan = newly_confirmed(history, "2026", firm.employees["vdb-004"])
    assert [(label, day.isoformat()) for _uri, label, day in daan] == [
        ("laagspanningskabels installeren", "2026-02-09"),
        ("elektrische schakelaars installeren", "2026-05-11"),
        ("elektrische eigenschappen meten", "2026-10-05"),
    ]
    assert newly_confirmed(history, "2026", firm.employees["vdb-015"]) == []  # re-confirmed
    assert len(newly_confirmed(history, "2025", firm.employees["vdb-020"])) == 8  # her CV


def test_kpis_for_2025_are_the_previous_values_of_2026(firm_url, learning):
    firm, _url = firm_url
    rep = report(learning, firm.organisation_id, "2025")
    assert rep.headcount == 19
    assert values(rep) == {
        "learners_share": (17, 19),  # all but vdb-014 and vdb-016
        "new_skills_per_employee": (27, 19),  # incl. the CVs of vdb-004 (3) and vdb-020 (8)
        "steps_completed_share": (4, 5),  # vdb-015's colleague step stayed open
        "internal_fill_rate": (2, 5),  # the withdrawn Chauffeur vacancy does not count
        "future_gaps_closed_share": (1, 7),  # el. regulations, by vdb-002 in November
    }
    later = report(learning, firm.organisation_id, "2026")
    for kpi in later.kpis:
        assert kpi.previous == rep.kpi(kpi.key).value, kpi.key


def test_targets_give_on_and_off_track(firm_url, learning):
    firm, _url = firm_url
    rep = report(learning, firm.organisation_id, "2026")
    assert {k.key: k.status for k in rep.kpis} == {
        "learners_share": "off_track",  # 0.75 < 0.80
        "new_skills_per_employee": "on_track",  # 1.10 >= 1.0
        "steps_completed_share": "on_track",  # 0.78 >= 0.75
        "internal_fill_rate": "on_track",  # rising: 0.75 > 0.40
        "future_gaps_closed_share": "on_track",  # 0.50 >= 0.50
    }
    assert rep.kpi("learners_share").trend == "down"
    assert rep.kpi("internal_fill_rate").trend == "up"
    first_year = report(learning, firm.organisation_id, "2025")
    # 2024 closed no vacancy: "rising" cannot be judged
    assert first_year.kpi("internal_fill_rate").status == "no_data"


def test_a_quarter_and_a_team(firm_url, learning):
    firm, _url = firm_url
    q1 = report(learning, firm.organisation_id, "2026Q1")
    assert values(q1)["learners_share"] == (6, 20)  # 004 008 010 011 014 019
    assert values(q1)["internal_fill_rate"] == (0, 1)  # only the external hire of March
    warehouse = report(learning, firm.organisation_id, "2026", team="magazijn")
    assert warehouse.headcount == 4
    assert values(warehouse)["learners_share"] == (3, 4)  # 012 013 014; not 015
    assert values(warehouse)["steps_completed_share"] == (1, 1)  # vdb-013's course
    assert values(warehouse)["internal_fill_rate"] == (3, 4)  # vacancies stay firm-wide


def test_targets_from_a_file_replace_the_stored_ones(firm_url, learning):
    firm, _url = firm_url
    stored = learning.targets(firm.organisation_id)
    assert stored["learners_share"] == KpiTarget("learners_share", 0.8, False)
    from_file = parse_targets(
        {
            "learners_share": 0.7,
            "steps_completed_share": {"minimum": 0.8, "rising": True},
            "new_skills_per_employee": "stijgend",
        }
    )
    targets = effective_targets(stored, from_file)
    history = learning.history(firm.organisation_id)
    rep = learning_kpis(history, "2026", targets, now=NOW)
    assert rep.kpi("learners_share").status == "on_track"  # 0.75 >= 0.70
    assert rep.kpi("steps_completed_share").status == "off_track"  # 0.78 < 0.80 (and falling)
    assert rep.kpi("new_skills_per_employee").status == "off_track"  # 1.10 < 1.42: not rising
    assert rep.kpi("internal_fill_rate").status == "on_track"  # stored target kept


def test_defaults_are_the_guidance_examples():
    assert effective_targets() == DEFAULT_TARGETS
    assert DEFAULT_TARGETS["learners_share"].minimum == 0.8
    assert DEFAULT_TARGETS["internal_fill_rate"].must_rise


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"learners_shares": 0.8}, "unknown KPI"),
        ({"learners_share": -1}, ">= 0"),
        ({"learners_share": "veel"}, "must be a number"),
        ({"learners_share": {"min": 1}}, "unknown keys"),
        ({"learners_share": {"rising": False}}, "needs a minimum"),
        (["learners_share"], "maps KPIs to targets"),
    ],
)
def test_bad_targets_name_the_problem(data, message):
    with pytest.raises(ValueError, match=message):
        parse_targets(data)


def test_kpis_are_reproducible_from_the_database_alone(database_url):
    firm = build_fixture_firm(database_url)
    results = []
    for _ in range(2):  # a fresh connection each time: nothing but the database in between
        store = PassportStore.open(database_url)
        learning = LearningStore(store.database)
        rep = report(learning, firm.organisation_id, "2026")
        results.append({**rep.to_dict(), "generated_at": None})
        store.database.close()
    assert results[0] == results[1]
    assert results[0]["kpis"][0]["numerator"] == 15


# -- the learning plan in the store ---------------------------------------------------------


@pytest.fixture
def plan(store):
    org = store.create_organisation("Planbureau BV", at=T0)
    learner = store.add_employee(org.id, "emp-1", at=T0)
    mentor = store.add_employee(org.id, "emp-2", at=T0)
    return org, learner, mentor, LearningStore(store.database)


def test_a_step_is_planned_with_a_default_due_date_and_marked_done(plan):
    org, learner, mentor, learning = plan
    step = learning.add_step(
        org.id,
        learner.id,
        PlannedStep("colleague", "Leer van een collega", mentor_id=mentor.id),
        at=T0,
    )
    assert step.status == "planned" and step.due == (T0 + timedelta(days=91)).date()
    done = learning.mark_done(org.id, step.id, at=T0 + timedelta(days=30))
    assert done.status == "done" and done.done_at == T0 + timedelta(days=30)
    again = learning.mark_done(org.id, step.id, at=T0 + timedelta(days=40))
    assert again.done_at == done.done_at  # marking it again changes nothing


def test_a_cancelled_step_cannot_be_done_and_bad_steps_are_refused(plan):
    org, learner, _mentor, learning = plan
    step = learning.add_step(org.id, learner.id, PlannedStep("course", "Cursus"), at=T0)
    learning.cancel_step(org.id, step.id, at=T0 + timedelta(days=1))
    with pytest.raises(ValueError, match="already cancelled"):
        learning.mark_done(org.id, step.id, at=T0 + timedelta(days=2))
    with pytest.raises(ValueError, match="step kind"):
        learning.add_step(org.id, learner.id, PlannedStep("reading", "Boek"), at=T0)
    with pytest.raises(ValueError, match="own mentor"):
        learning.add_step(
            org.id, learner.id, PlannedStep("colleague", "x", mentor_id=learner.id), at=T0
        )
    with pytest.raises(ValueError, match="before the planning date"):
        learning.add_step(
            org.id, learner.id, PlannedStep("course", "x", due=date(2025, 1, 1)), at=T0
        )
    with pytest.raises(ValueError, match="planned on"):
        other = learning.add_step(org.id, learner.id, PlannedStep("course", "y"), at=T0)
        learning.mark_done(org.id, other.id, at=T0 - timedelta(days=1))


def test_another_organisations_steps_and_mentors_do_not_exist(plan, store):
    org, learner, _mentor, learning = plan
    other = store.create_organisation("Ander BV", at=T0)
    outsider = store.add_employee(other.id, "emp-9", at=T0)
    step = learning.add_step(org.id, learner.id, PlannedStep("course", "Cursus"), at=T0)
    with pytest.raises(NotFound):
        learning.mark_done(other.id, step.id, at=T0)
    with pytest.raises(NotFound):
        learning.add_step(
            org.id, learner.id, PlannedStep("colleague", "x", mentor_id=outsider.id), at=T0
        )
    assert learning.list_steps(other.id) == []


def test_erasure_removes_the_plan_and_the_mentor_but_not_colleagues_steps(plan, store):
    org, learner, mentor, learning = plan
    learning.add_step(org.id, learner.id, PlannedStep("course", "Cursus"), at=T0)
    taught = learning.add_step(
        org.id,
        learner.id,
        PlannedStep("colleague", "Leer van een collega", mentor_id=mentor.id),
        at=T0,
    )
    own = learning.add_step(org.id, mentor.id, PlannedStep("project", "Project"), at=T0)
    exported = store.export_employee(org.id, mentor.id)
    assert [s["title"] for s in exported["learning_plan"]] == ["Project"]

    report_ = store.erase_employee(org.id, mentor.id)

    assert report_.learning_step_count == 1
    with pytest.raises(NotFound):
        learning.get_step(org.id, own.id)
    assert learning.get_step(org.id, taught.id).mentor_id is None  # the learner keeps it
    store.erase_employee(org.id, learner.id)
    assert learning.list_steps(org.id) == []
    assert learning.history(org.id).steps == ()


def test_targets_are_stored_per_organisation(plan, store):
    org, *_rest, learning = plan
    other = store.create_organisation("Ander BV", at=T0)
    learning.set_target(org.id, "internal_fill_rate", must_rise=True, at=T0)
    learning.set_target(org.id, "internal_fill_rate", minimum=0.5, at=T0)  # replaces
    assert learning.targets(org.id) == {
        "internal_fill_rate": KpiTarget("internal_fill_rate", 0.5, False)
    }
    assert learning.targets(other.id) == {}
    assert learning.clear_target(org.id, "internal_fill_rate")
    assert not learning.clear_target(org.id, "internal_fill_rate")
    with pytest.raises(ValueError, match="unknown KPI"):
        learning.set_target(org.id, "happiness", minimum=1)


def test_newly_confirmed_means_the_first_confirmation(plan, store):
    org, learner, _mentor, learning = plan
    uri = skill_uri("forklift")
    store.add_manual_claim(org.id, learner.id, uri, "heftrucks bedienen", "hr", at=T0)
    store.set_claim_status(org.id, learner.id, uri, "suggested", "hr", at=T0 + timedelta(days=400))
    store.set_claim_status(org.id, learner.id, uri, "confirmed", "hr", at=T0 + timedelta(days=401))
    history = learning.history(org.id)
    assert values(learning_kpis(history, "2026", now=NOW))["learners_share"] == (1, 2)
    assert values(learning_kpis(history, "2027", now=NOW))["learners_share"] == (0, 2)


def test_a_report_without_data_says_so(plan):
    org, *_rest, learning = plan
    rep = learning_kpis(learning.history(org.id), "2026", now=NOW)
    statuses = {k.key: (k.value, k.status) for k in rep.kpis}
    assert statuses["learners_share"] == (0.0, "off_track")  # two people, nothing learned
    assert statuses["internal_fill_rate"] == (None, "no_data")
    assert statuses["steps_completed_share"] == (None, "no_target")


def test_a_step_done_after_the_period_counts_as_not_done_in_it(plan):
    org, learner, _mentor, learning = plan
    step = learning.add_step(
        org.id, learner.id, PlannedStep("course", "Cursus", due=date(2026, 3, 31)), at=T0
    )
    learning.mark_done(org.id, step.id, at=datetime(2026, 4, 10, tzinfo=UTC))
    history = learning.history(org.id)
    assert values(learning_kpis(history, "2026Q1", now=NOW))["steps_completed_share"] == (0, 1)
    assert values(learning_kpis(history, "2026", now=NOW))["steps_completed_share"] == (1, 1)
    late = replace(history.steps[0], due=date(2026, 5, 1))
    moved = replace(history, steps=(late,))
    assert values(learning_kpis(moved, "2026Q1", now=NOW))["steps_completed_share"] == (0, 0)


def path_step(order: int, label: str, hours: int, mentors: tuple[str, ...] = ()) -> PathStep:
    return PathStep(
        order=order,
        uri=skill_uri(label),
        label=label,
        essential=True,
        weight=1.0,
        status="missing",
        closest_uri=None,
        closest_label=None,
        closeness=0.0,
        prerequisites=(),
        hours=hours,
        modes=LearningModes("Neem taken op je.", mentors, "korte training"),
    )


def test_a_reskilling_path_becomes_plan_steps_due_as_its_effort_says():
    path = ReskillingPath(
        7,
        "vdb-020",
        "role:1",
        "Energieadviseur",
        42.0,
        (path_step(1, "design_hp", 8), path_step(2, "design_solar", 16, ("vdb-999", "vdb-001"))),
    )
    steps = path_plan(path, {"vdb-001": 1}, start=date(2027, 1, 4), role_id=1)
    assert [s.kind for s in steps] == ["on_the_job", "on_the_job"]
    # 8 h at 4 h a week: 2 weeks; then 8 + 16 = 24 h: 6 weeks from the start
    assert [s.due for s in steps] == [date(2027, 1, 18), date(2027, 2, 15)]
    assert [s.mentor_id for s in steps] == [None, 1]  # unknown mentors are skipped
    assert steps[0].title == "design_hp: Neem taken op je. (cursus: korte training)"
    assert {s.role_id for s in steps} == {1} and steps[1].skill_uri == skill_uri("design_solar")
