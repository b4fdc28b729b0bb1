"""Scenarios: weights on skills, skill groups and collections applied to future roles."""

from __future__ import annotations

from pathlib import Path

import pytest

from matcher.trends.scenarios import (
    RoleSkill,
    Scenario,
    ScenarioWeight,
    apply_scenario,
    compare_scenarios,
    load_scenario,
    scenario_factor,
    scenario_from_dict,
)

SCENARIOS = Path(__file__).parent / "fixtures" / "scenarios"
SKILL = "http://data.europa.eu/esco/skill/"
ARCHIVING = SKILL + "3d427a49-4f85-42cd-8a92-62d4a34f41a1"  # digital, group S2.3
DONOR_DATABASES = SKILL + "0c66036a-3bdd-4955-8343-985f4697af64"  # digital, group S2.3
DIGITAL_DOCUMENTS = SKILL + "b769f524-0f25-44d7-8538-5c46710a040e"  # digital, group S5.5.2
FORKLIFT = SKILL + "28cb374e-6261-4133-8371-f9a5470145da"  # no collection
PLANNING = SKILL + "e49f4158-9d4c-425d-bf32-dfe89b19840a"  # research and transversal
AI = SKILL + "e465a154-93f7-4973-9ce1-31659fe16dd2"
BOILERS = SKILL + "592188c6-7212-47bb-ba58-f9361026addc"
HEAT_PUMPS = SKILL + "00735755-adc6-4ea0-b034-b8caff339c9f"  # green

OFFICE_ROLE = [
    (ARCHIVING, 1.0, True),
    (DONOR_DATABASES, 1.0, False),
    (DIGITAL_DOCUMENTS, 1.0, True),
    (FORKLIFT, 0.5, False),
]


@pytest.fixture(scope="module")
def ai_scenario():
    return load_scenario(SCENARIOS / "ai_automatisering.yaml")


def test_yaml_and_json_scenario_files_load(ai_scenario):
    assert ai_scenario.name == "vergaande AI-automatisering"
    assert [w.kind for w in ai_scenario.weights] == ["collection", "group", "skill"]
    assert ai_scenario.add[0].weight == 1.0
    energy = load_scenario(SCENARIOS / "energietransitie.json")
    assert energy.weights[1] == ScenarioWeight("skill", "verwarmingsketels installeren", 0.0)


def test_targets_resolve_by_label_code_and_uri(ai_scenario, taxonomy):
    resolved = ai_scenario.resolve(taxonomy)
    group, skill = resolved.weights[1].target, resolved.weights[2].target
    assert taxonomy.concepts[group].code == "S2.3"
    assert skill == ARCHIVING
    assert resolved.add[0].uri == AI
    assert resolved.resolve(taxonomy) == resolved  # URIs resolve to themselves


def test_the_most_specific_rule_wins(ai_scenario, taxonomy):
    role = {uri: weight for uri, weight, _ in apply_scenario(OFFICE_ROLE, ai_scenario, taxonomy)}
    assert role[ARCHIVING] == pytest.approx(0.2)  # skill rule over group and collection
    assert role[DONOR_DATABASES] == pytest.approx(0.5)  # group rule over the digital collection
    assert role[DIGITAL_DOCUMENTS] == pytest.approx(1.5)  # only the collection rule matches
    assert role[FORKLIFT] == pytest.approx(0.5)  # no rule: unchanged


def test_matching_collection_rules_multiply(taxonomy):
    both = scenario_from_dict(
        {
            "name": "x",
            "weights": [
                {"collection": "transversal", "factor": 2},
                {"collection": "research", "factor": 1.5},
            ],
        }
    )
    assert both.resolve(taxonomy).factor(PLANNING, taxonomy) == pytest.approx(3.0)


def test_factor_zero_drops_a_skill_and_added_skills_come_last(ai_scenario, taxonomy):
    energy = load_scenario(SCENARIOS / "energietransitie.json")
    technician = [(BOILERS, 1.0, True), (HEAT_PUMPS, 0.5, False)]
    assert apply_scenario(technician, energy, taxonomy) == [RoleSkill(HEAT_PUMPS, 1.0, False)]
    office = apply_scenario(OFFICE_ROLE, ai_scenario, taxonomy)
    assert office[-1] == RoleSkill(AI, 1.0, False)
    assert [s.essential for s in office[:4]] == [True, False, True, False]


def test_compare_scenarios_runs_the_gap_report_per_scenario(ai_scenario, taxonomy):
    energy = load_scenario(SCENARIOS / "energietransitie.json")
    roles = {"office": OFFICE_ROLE, "technician": [(BOILERS, 1.0, True), (HEAT_PUMPS, 1.0, True)]}

    def total_weight(adjusted: dict[str, list[RoleSkill]]) -> dict[str, float]:
        return {name: round(sum(s.weight for s in skills), 3) for name, skills in adjusted.items()}

    results = compare_scenarios(roles, [ai_scenario, energy], taxonomy, total_weight)
    assert [r.scenario for r in results] == ["basis", ai_scenario.name, energy.name]
    assert results[0].report == {"office": 3.5, "technician": 2.0}
    assert results[1].report["office"] == pytest.approx(0.2 + 0.5 + 1.5 + 0.5 + 1.0)
    assert results[2].report == {"office": 3.5, "technician": 2.0}  # boilers out, heat pumps x2


def test_scenario_factor_for_trend_series(ai_scenario, taxonomy):
    resolved = ai_scenario.resolve(taxonomy)
    assert scenario_factor(resolved, "collection", "digital", taxonomy) == 1.5
    assert scenario_factor(resolved, "collection", "green", taxonomy) == 1.0
    assert scenario_factor(resolved, "skill", ARCHIVING, taxonomy) == pytest.approx(0.2)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"weights": []}, "needs a 'name'"),
        ({"name": "x", "weights": [{"skill": "a", "group": "b", "factor": 1}]}, "exactly one"),
        ({"name": "x", "weights": [{"skill": "a", "factor": -1}]}, "number >= 0"),
        ({"name": "x", "weights": [{"skill": "a", "factor": "veel"}]}, "number >= 0"),
        ({"name": "x"}, "has no weights"),
    ],
)
def test_malformed_scenarios_say_what_is_wrong(data, message):
    with pytest.raises(ValueError, match=message):
        scenario_from_dict(data)


@pytest.mark.parametrize(
    ("weight", "message"),
    [
        (ScenarioWeight("skill", "vliegen als een vogel", 2), "no ESCO skill"),
        (ScenarioWeight("group", "S99.9", 2), "no ESCO skill group"),
        (ScenarioWeight("collection", "blauw", 2), "unknown collection"),
    ],
)
def test_unknown_targets_are_named(weight, message, taxonomy):
    with pytest.raises(ValueError, match=message):
        Scenario("x", (weight,)).resolve(taxonomy)


def test_compare_refuses_duplicate_names(ai_scenario, taxonomy):
    with pytest.raises(ValueError, match="unique"):
        compare_scenarios({}, [ai_scenario, ai_scenario], taxonomy, lambda roles: None)


def test_broken_yaml_is_a_user_error(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("name: [unclosed\n")
    with pytest.raises(ValueError, match="not valid YAML"):
        load_scenario(path)
