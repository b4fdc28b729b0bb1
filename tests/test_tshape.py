"""T-shape profiles, team coverage, breadth suggestions and the T chart, on the real taxonomy
and the example firm (matcher/development/fixture_firm.py) in a real SQLite database."""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from pathlib import Path

import pytest

from matcher.development import (
    breadth_suggestions,
    firm_needs,
    skill_areas,
    team_coverage,
    tshape_profile,
)
from matcher.development.charts import (
    coverage_figure,
    coverage_svg,
    save_chart,
    tshape_figure,
    tshape_svg,
)
from matcher.development.fixture_firm import PEOPLE, SKILLS, build_fixture_firm, skill_uri
from matcher.development.suggestions import MAX_SUGGESTIONS, MIN_SUGGESTIONS
from matcher.development.tshape import DEEP_MIN_SKILLS, FirmNeeds
from matcher.store import (
    Employee,
    LearningStore,
    Passport,
    PassportClaim,
    PassportStore,
    Role,
    RoleSkill,
    RoleStore,
)

SKILL = "http://data.europa.eu/esco/skill/"
FORKLIFT = SKILL + "28cb374e-6261-4133-8371-f9a5470145da"  # heftrucks bedienen (S8.1)
ENGLISH = SKILL + "6d3edede-8951-4621-a835-e04323300fa0"  # Engels (a language)
SELF_REFLECTION = SKILL + "409a0245-0e6c-4aac-ba16-0920ecb76a8d"  # zelfreflectie uitoefenen
SPREADSHEETS = SKILL + "1973c966-f236-40c9-b2d4-5d71a89019be"
T0 = datetime(2025, 1, 6, 9, tzinfo=UTC)

# What the example firm's passports are, by the rules in matcher/development/tshape.py
EXPECTED_SHAPES = {
    "vdb-001": "t_shaped",  # S8.8: 6 at 3.7; 14 areas; 3 themes
    "vdb-002": "i_shaped",  # S8.8: 7 at 3.6; 5 areas; no theme
    "vdb-003": "t_shaped",  # S8.8: exactly 5 at exactly 3.0; 8 areas; 2 themes
    "vdb-004": "early_career",  # apprentice: 3 electrical skills at level 2
    "vdb-005": "t_shaped",
    "vdb-006": "generalist",  # 8 areas, 2 themes, no area above 2 skills
    "vdb-007": "i_shaped",  # S7.2: 7 at 3.4; 3 areas
    "vdb-008": "t_shaped",
    "vdb-009": "early_career",
    "vdb-010": "generalist",
    "vdb-011": "early_career",  # hired in 2026
    "vdb-012": "t_shaped",
    "vdb-013": "i_shaped",  # S6.1: exactly 5 at 3.0; 5 areas
    "vdb-014": "generalist",
    "vdb-015": "early_career",
    "vdb-016": "i_shaped",  # S4.4: 6 at 3.7; 4 areas though 2 themes
    "vdb-017": "t_shaped",
    "vdb-018": "generalist",
    "vdb-019": "early_career",  # S4.4: 5 skills but at level 2: learning it, not deep
    "vdb-020": "generalist",
}


@pytest.fixture(scope="module")
def areas(taxonomy):
    return skill_areas(taxonomy)


@pytest.fixture(scope="module")
def firm_db(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('firm') / 'firm.db'}"
    firm = build_fixture_firm(url)
    store = PassportStore.open(url)
    yield firm, store
    store.database.close()


@pytest.fixture(scope="module")
def profiles(firm_db, areas):
    firm, store = firm_db
    return {
        p.employee.external_id: tshape_profile(areas, p)
        for p in store.passports(firm.organisation_id)
    }


@pytest.fixture(scope="module")
def needs(firm_db, areas):
    firm, store = firm_db
    return firm_needs(areas, RoleStore(store.database).list_roles(firm.organisation_id))


def claim(uri: str, label: str, status: str = "confirmed", level: int | None = 3):
    return PassportClaim(
        skill_uri=uri,
        label=label,
        status=status,
        confidence=0.9,
        method="manual",
        proficiency=level,
        proficiency_source="set" if level else None,
        first_seen=T0,
        last_used=None,
        confirmed_at=T0 if status == "confirmed" else None,
        confirmed_by="hr" if status == "confirmed" else None,
        updated_at=T0,
        version=1,
    )


def passport(*claims: PassportClaim) -> Passport:
    employee = Employee(1, 1, "emp-1", None, "team", T0)
    return Passport(employee, tuple(sorted(claims, key=lambda c: c.skill_uri)))


def fixture_claims(*keys: str, level: int | None = 3, status: str = "confirmed"):
    return [claim(skill_uri(k), SKILLS[k][1], status, level) for k in keys]


# -- areas and themes ------------------------------------------------------------------------


def test_an_area_is_the_level_two_skill_group(areas, taxonomy):
    (area,) = areas.areas_of(FORKLIFT)
    assert taxonomy.get(area).code == "S8.1"
    assert areas.depth(area) == 2


def test_language_skills_fall_back_to_the_languages_group(areas):
    (area,) = areas.areas_of(ENGLISH)
    assert areas.label(area) == "Talen" and areas.depth(area) == 1


def test_purely_transversal_skills_have_no_area_but_a_theme(areas):
    assert areas.areas_of(SELF_REFLECTION) == ()
    assert areas.themes_of(SELF_REFLECTION) == ("leren",)
    assert areas.themes_of(SPREADSHEETS) == ("digitaal",)
    assert areas.themes_of(FORKLIFT) == ()


def test_areas_that_occupations_combine_are_close(areas, taxonomy):
    by_code = {g.code: g.uri for g in taxonomy.iter("skill_group") if g.code}
    electrical, measuring, animals = by_code["S8.8"], by_code["S2.5"], by_code["S6.9"]
    near, bridge = areas.proximity({electrical}, measuring)
    far, _ = areas.proximity({electrical}, animals)
    assert bridge == electrical and 0 < far < near <= 1


def test_every_fixture_skill_is_real_esco_with_that_dutch_label(taxonomy):
    for key, (_id, label) in SKILLS.items():
        concept = taxonomy.get(skill_uri(key))
        assert (concept.kind, concept.label) == ("skill", label), key


# -- the classification ---------------------------------------------------------------------


def test_fixture_passports_get_the_documented_shapes(profiles):
    assert {k: p.shape for k, p in profiles.items()} == EXPECTED_SHAPES
    assert len(profiles) == len(PEOPLE) == 20


def test_depth_and_breadth_of_a_t_shaped_electrician(profiles, taxonomy):
    sanne = profiles["vdb-001"]
    assert taxonomy.get(sanne.depth.uri).code == "S8.8"
    assert (sanne.depth.count, sanne.depth.mean_level) == (6, 3.67)
    assert sanne.breadth == 14 and sanne.themes_covered == 3
    assert [t.key for t in sanne.themes if t.covered] == [
        "communicatie",
        "samenwerken",
        "problemen_oplossen",
    ]


def test_five_skills_at_level_two_are_not_deep(profiles):
    sem = profiles["vdb-019"]
    assert (sem.depth.count, sem.depth.mean_level) == (5, 2.0)
    assert not sem.deep and sem.shape == "early_career"


def test_deep_needs_five_confirmed_skills_at_level_three(areas):
    five = fixture_claims("el_install", "el_maint", "el_switch", "el_lowvolt", "el_splice")
    assert tshape_profile(areas, passport(*five)).deep
    assert not tshape_profile(areas, passport(*five[:4])).deep
    unrated = fixture_claims("el_install", "el_maint", "el_switch", "el_lowvolt", "el_splice")
    unrated = [claim(c.skill_uri, c.label, level=None) for c in unrated]
    assert tshape_profile(areas, passport(*unrated)).deep  # unrated counts as level 3


def test_only_confirmed_claims_count(areas):
    confirmed = fixture_claims("el_install", "el_maint", "el_switch", "el_lowvolt")
    pending = fixture_claims("el_splice", "el_comm", status="suggested")
    rejected = fixture_claims("forklift", status="rejected")
    profile = tshape_profile(areas, passport(*confirmed, *pending, *rejected))
    assert profile.confirmed == 4 and profile.breadth == 1 and not profile.deep


def test_broad_needs_six_areas_and_two_transversal_themes(areas):
    deep = fixture_claims("el_install", "el_maint", "el_switch", "el_lowvolt", "el_splice")
    # five more areas: S3.3, S6.7, S1.2, S6.1, and S1.8 + theme samenwerken
    wide = fixture_claims("ppe", "power_tools", "customers_comm", "pack", "colleagues")
    one_theme = tshape_profile(areas, passport(*deep, *wide))
    assert (one_theme.breadth, one_theme.themes_covered) == (6, 1)
    assert one_theme.shape == "i_shaped"
    two_themes = tshape_profile(areas, passport(*deep, *wide, *fixture_claims("spreadsheets")))
    assert two_themes.themes_covered == 2 and two_themes.shape == "t_shaped"
    without_depth = tshape_profile(
        areas, passport(*deep[:2], *wide, *fixture_claims("spreadsheets"))
    )
    assert without_depth.shape == "generalist"
    assert tshape_profile(areas, passport()).shape == "early_career"


# -- team coverage --------------------------------------------------------------------------


def test_firm_coverage_names_areas_nobody_and_one_person_holds(profiles, needs, areas):
    firm = team_coverage(areas, list(profiles.values()), needs)
    nobody = {a.label for a in firm.with_status("nobody")}
    assert nobody == {"berekenen en inschatten", "architectuur en bouwnijverheid"}
    needed_single = [(a.code, a.holders) for a in firm.with_status("one") if a.needed > 0]
    assert needed_single == [("S8.6", ("vdb-008",))]  # meetinstrumenten: only Anouk
    assert firm.shapes == {"t_shaped": 6, "i_shaped": 4, "generalist": 5, "early_career": 5}
    assert [a.status for a in firm.areas] == sorted(
        (a.status for a in firm.areas), key=["nobody", "one", "several"].index
    )


def test_team_coverage_flags_single_person_risks(profiles, needs, areas):
    office = [p for p in profiles.values() if p.team == "kantoor"]
    coverage = team_coverage(areas, office, needs, "kantoor")
    engineering = next(a for a in coverage.areas if a.label == "ingenieursopleiding")
    assert engineering.status == "one" and engineering.holders == ("vdb-020",)
    assert engineering.needed > 0  # the future roles ask for it: it leaves with Julia
    administration = next(a for a in coverage.areas if a.code == "S4.4")
    assert administration.status == "several"
    assert administration.holders == ("vdb-016", "vdb-019", "vdb-018")  # most skills first
    assert administration.deep_holders == ("vdb-016",)
    electrical = next(a for a in coverage.areas if a.code == "S8.8")
    assert electrical.status == "nobody" and electrical.needed > 0


# -- breadth suggestions --------------------------------------------------------------------


def test_suggestions_widen_the_t_with_needed_nearby_areas(profiles, needs, areas):
    mohamed = profiles["vdb-002"]
    suggestions = breadth_suggestions(areas, mohamed, list(profiles.values()), needs)
    assert MIN_SUGGESTIONS <= len(suggestions) <= MAX_SUGGESTIONS
    assert not any(mohamed.holds(s.area_uri) for s in suggestions)
    assert [s.score for s in suggestions] == sorted((s.score for s in suggestions), reverse=True)
    first = suggestions[0]
    # the open sales vacancy makes S1.6 the most needed area; electricians' work touches it
    assert first.label == "promoten, verkopen en inkopen" and first.need == 1.0
    # each open role's core area is needed alike: the future role's design area too
    design = next(s for s in suggestions if s.label == "ontwerpen van systemen en producten")
    assert design.need == 1.0 and design.roles == ("Energieadviseur verduurzaming",)
    assert first.bridge_label.startswith("installeren, onderhouden en repareren van elektrische")
    assert first.roles == ("Commercieel medewerker binnendienst",)
    assert [s.kind for s in first.steps] == ["rotation", "project", "colleague", "course"]
    assert [s.share for s in first.steps] == [70, 70, 20, 10]
    colleague = first.steps[2]
    assert colleague.mentor == "vdb-017" and "specialist" in colleague.text  # deep in sales
    assert "team kantoor" in first.steps[0].text
    assert "vdb-017" not in colleague.text  # names and ids stay out of the texts


def test_a_needed_area_wins_unless_five_times_farther(areas):
    person = tshape_profile(areas, passport(*fixture_claims("el_install", "el_maint")))
    by_code = {areas.area(a).code: a for a in areas.known_areas()}
    # from electrical work (S8.8): safety S3.3 is nearest (P = 0.89), administration S4.4
    # further (0.25 > 0.2 x 0.89), animals S6.9 far away (0.02)
    admin_need = FirmNeeds(demand={by_code["S4.4"]: 1})
    administration = breadth_suggestions(areas, person, [person], admin_need)
    assert administration[0].area_uri == by_code["S4.4"]
    animals = breadth_suggestions(areas, person, [person], FirmNeeds(demand={by_code["S6.9"]: 1}))
    assert animals[0].area_uri == by_code["S3.3"] and animals[0].need == 0
    for s in animals:
        assert s.score == pytest.approx(s.proximity * (0.2 + 0.8 * s.need), abs=1e-3)


def open_role(title: str, skill_uris: list[str], kind: str = "vacancy") -> Role:
    skills = tuple(RoleSkill(uri) for uri in skill_uris)
    return Role(1, 1, kind, title, "open", None, T0, None, skills)


def skills_only_in(areas, code: str, n: int) -> tuple[str, list[str]]:
    """An area by its code and ``n`` of its skills that count for no other area."""
    area = next(a for a in areas.known_areas() if areas.area(a).code == code)
    own = [c.uri for c in areas.typical_skills(area, 60) if areas.areas_of(c.uri) == (area,)]
    assert len(own) >= n, f"{code} has only {len(own)} skills of its own"
    return area, own[:n]


def test_every_open_role_counts_equally_however_many_skills_it_lists(areas):
    sales, sales_skills = skills_only_in(areas, "S1.6", 10)
    design, design_skills = skills_only_in(areas, "S1.11", 2)
    needs = firm_needs(
        areas,
        [
            open_role("Verkoper", sales_skills),
            open_role("Ontwerper", design_skills, kind="future_role"),
        ],
    )
    assert needs.weight[sales] == 10 and needs.weight[design] == 2  # coverage: raw weights
    assert needs.share(sales) == needs.share(design) == 1.0  # the old rule gave design 0.2
    newcomer = tshape_profile(areas, passport())
    first_two = breadth_suggestions(areas, newcomer, [newcomer], needs, k=2)
    assert {s.area_uri for s in first_two} == {sales, design}
    assert [s.need for s in first_two] == [1.0, 1.0]


def test_within_a_role_an_area_counts_by_how_much_the_role_relies_on_it(areas):
    sales, sales_skills = skills_only_in(areas, "S1.6", 4)
    design, design_skills = skills_only_in(areas, "S1.11", 1)
    closed = open_role("Oud", sales_skills)
    needs = firm_needs(
        areas,
        [
            open_role("Verkoper", sales_skills + design_skills),
            Role(2, 1, "vacancy", "Vervuld", "filled_internal", None, T0, T0, closed.skills),
        ],
    )
    assert needs.share(sales) == 1.0 and needs.share(design) == pytest.approx(0.25)
    assert needs.demand[sales] == 1.0  # the filled vacancy adds nothing


def test_without_confirmed_areas_the_firms_need_ranks(areas, needs, profiles):
    newcomer = tshape_profile(areas, passport())
    suggestions = breadth_suggestions(areas, newcomer, list(profiles.values()), needs)
    assert [s.need for s in suggestions] == sorted((s.need for s in suggestions), reverse=True)
    assert suggestions[0].need == 1.0


def test_suggested_steps_go_into_the_learning_plan(firm_db, profiles, needs, areas):
    firm, store = firm_db
    learning = LearningStore(store.database)
    yara = profiles["vdb-013"]
    suggestion = breadth_suggestions(areas, yara, list(profiles.values()), needs, k=1)[0]
    steps = learning.add_steps(
        firm.organisation_id, yara.employee_id, suggestion.planned_steps(firm.roles), at=T0
    )
    # the 70% options are alternatives: the first by default, the chosen one on request
    assert suggestion.work_options == ("rotation", "project")
    assert [s.kind for s in steps] == ["rotation", "colleague", "course"]
    project = [s.kind for s in suggestion.planned_steps(firm.roles, work="project")]
    assert project == ["project", "colleague", "course"]
    with pytest.raises(ValueError, match="'course' is not a 70% option"):
        suggestion.planned_steps(firm.roles, work="course")
    assert {s.area_uri for s in steps} == {suggestion.area_uri}
    assert all(s.status == "planned" and s.due.isoformat() == "2025-04-07" for s in steps)
    colleague = next(s for s in steps if s.kind == "colleague")
    assert colleague.mentor_id == suggestion.steps[2].mentor_id is not None
    planned = learning.list_steps(firm.organisation_id, employee_id=yara.employee_id)
    assert {s.id for s in steps} <= {s.id for s in planned}


# -- charts ---------------------------------------------------------------------------------


def test_the_t_chart_is_deterministic_svg_and_writes_png(profiles, tmp_path: Path, needs, areas):
    svg = tshape_svg(profiles["vdb-001"])
    assert svg.startswith("<svg") and svg == tshape_svg(profiles["vdb-001"])
    assert "vdb-001: T-vormig" in svg and "diepte vanaf 5" in svg
    png = save_chart(tshape_figure(profiles["vdb-002"]), tmp_path / "t.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    coverage = team_coverage(areas, list(profiles.values()), needs)
    team_svg = save_chart(coverage_figure(coverage), tmp_path / "team.svg").read_text()
    assert "het hele bedrijf" in team_svg
    with pytest.raises(ValueError, match=r"\.png or \.svg"):
        save_chart(tshape_figure(profiles["vdb-002"]), tmp_path / "t.gif")


def test_the_coverage_chart_counts_whole_people_from_zero_when_nobody_has_a_skill(needs, areas):
    unconfirmed = tshape_profile(areas, passport(*fixture_claims("forklift", status="suggested")))
    coverage = team_coverage(areas, [unconfirmed], needs)
    assert coverage.areas and not any(a.holders for a in coverage.areas)
    ax = coverage_figure(coverage).axes[0]
    low, high = ax.get_xlim()
    assert low == 0 and high >= 1  # not 0.00–0.08: an axis of people
    ticks = [t for t in ax.get_xticks() if low <= t <= high]
    assert ticks and all(float(t).is_integer() for t in ticks)
    assert all(bar.get_width() <= 0.05 * high for bar in ax.patches)  # stubs, not full bars


def test_the_coverage_chart_has_a_legend_and_labels_cut_between_words(profiles, needs, areas):
    coverage = team_coverage(areas, list(profiles.values()), needs)
    fig = coverage_figure(coverage)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend[:3] == ["niemand", "één persoon (continuïteitsrisico)", "meerdere"]
    labels = [t.get_text().rstrip(" *") for t in fig.axes[0].get_yticklabels()]
    names = [a.display for a in coverage.areas[: len(labels)]]
    long = [(label, name) for label, name in zip(labels, names, strict=True) if len(name) > 34]
    assert long, "the example firm has long area names"
    for label, name in long:
        shown = label.replace("\n", " ").removesuffix(" …")
        assert name.startswith(shown) and name[len(shown) : len(shown) + 1] in ("", " ", ",")
    svg = coverage_svg(coverage)
    for i, area in enumerate(coverage.areas[:32]):  # the full name as the label's tooltip
        assert f'<g id="coverage-label-{i}"><title>{escape(area.display)}</title>' in svg


def test_the_documented_esco_medians_behind_the_thresholds(areas, taxonomy):
    """tshape.py and areas.py justify DEEP_MIN_SKILLS (and BROAD_MIN_AREAS, half of 13) by ESCO's
    own occupations: over those with five or more essential skills, the essential skills span a
    median of 13 level-2 areas and the strongest area holds a median of 5 of them."""
    import statistics
    from collections import Counter

    spans, strongest = [], []
    for occupation in taxonomy.iter("occupation"):
        skills = [s.uri for s, _ in taxonomy.skills_of(occupation.uri, "essential")]
        if len(skills) < 5:
            continue
        counts = Counter(a for uri in skills for a in areas.areas_of(uri))
        if counts:
            spans.append(len(counts))
            strongest.append(max(counts.values()))
    assert len(spans) == 2997
    assert statistics.median(spans) == 13 and statistics.median(strongest) == DEEP_MIN_SKILLS
