"""The workforce gap report per scenario: the library comparison, its renderings, the
``vaardig gap-report --scenario`` command, the API endpoint and the gap web page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import vaardig.cli.passport_cmds as passport_cmds
from matcher.gap import gap_report
from matcher.gap_render import render_html, render_markdown
from matcher.gap_scenarios import compare_gap_scenarios
from matcher.passport_index import PassportIndexes
from matcher.roles import make_role
from matcher.skills import SkillSpace
from matcher.store import PassportStore
from matcher.store.records import RoleSkill
from matcher.trends.scenarios import scenario_from_dict
from service.testing import FORKLIFT, STORE_GOODS, add_passport, new_organisation, scratch_app
from service.testing import state_of as app_state
from vaardig.cli import app as cli_app
from vaardig.settings import get_settings

SKILL = "http://data.europa.eu/esco/skill/"
BOOKKEEPING = SKILL + "ecc18804-a466-40d9-98b4-fba5cd67dd4b"  # boekhouding
TAX_LAW = SKILL + "d669af41-756c-48d9-a286-1443253f54b1"  # belastingwetgeving
DATA_ANALYSIS = SKILL + "97bd1c21-66b2-4b7e-ad0f-e3cda590e378"  # gegevensanalyse: digital
SPREADSHEETS = SKILL + "1973c966-f236-40c9-b2d4-5d71a89019be"  # digital
FORKLIFT_URI = FORKLIFT[0]
SAMPLES = Path(__file__).resolve().parents[1] / "samples"
DIGITAL_X3 = {"name": "digitaal", "weights": [{"collection": "digital", "factor": 3}]}
API = "/api/v1"


@pytest.fixture(scope="module")
def space(index) -> SkillSpace:
    return SkillSpace.from_index(index)


@pytest.fixture(scope="module")
def workforce(space, tmp_path_factory):
    """Three people, two future roles that each want optional data analysis (digital)."""
    folder = tmp_path_factory.mktemp("scenario-gap")
    store = PassportStore.open(f"sqlite:///{folder / 'vaardig.db'}")
    org = store.create_organisation("Administratie & Logistiek BV")
    holdings = {
        "emp-1": [BOOKKEEPING, TAX_LAW],
        "emp-2": [BOOKKEEPING],
        "emp-3": [FORKLIFT_URI],
    }
    for external_id, uris in holdings.items():
        employee = store.add_employee(org.id, external_id)
        for uri in uris:
            label = space.label(space.row_of[uri])
            store.add_manual_claim(org.id, employee.id, uri, label, actor="hr")
    bookkeeper = make_role(
        space,
        "future:boekhouder",
        "boekhouder 2027",
        "future_role",
        [
            RoleSkill(BOOKKEEPING, 1.0, True),
            RoleSkill(TAX_LAW, 1.0, True),
            RoleSkill(DATA_ANALYSIS, 0.5, False),
        ],
    )
    warehouse = make_role(
        space,
        "future:magazijn",
        "magazijnmedewerker 2027",
        "future_role",
        [RoleSkill(FORKLIFT_URI, 1.0, True), RoleSkill(DATA_ANALYSIS, 0.5, False)],
    )
    index = PassportIndexes(space, store).get(org.id)
    yield {"index": index, "roles": [bookkeeper, warehouse], "org": org.id}
    store.database.close()


@pytest.fixture(scope="module")
def comparison(space, workforce):
    scenarios = [
        scenario_from_dict(DIGITAL_X3),
        scenario_from_dict(
            {
                "name": "zonder data-analyse",
                "weights": [{"skill": DATA_ANALYSIS, "factor": 0}],
                "add": [{"skill": "software voor spreadsheets gebruiken", "weight": 1.0}],
            }
        ),
    ]
    return compare_gap_scenarios(
        space, workforce["index"], workforce["roles"], scenarios, organisation_id=workforce["org"]
    )


# -- the library ---------------------------------------------------------------------------------


def test_weighting_digital_skills_up_makes_a_role_with_a_digital_gap_less_ready(comparison):
    basis, digital = comparison.outcome("basis").roles[0], comparison.outcome("digitaal").roles[0]
    assert (basis.ready, basis.best_external_id) == (1, "emp-1")
    assert digital.ready == 0  # emp-1 lacks the (now heavier) data analysis
    assert digital.best_score < basis.best_score - 10
    assert [(c.label, c.before, c.after) for c in digital.changes] == [
        ("gegevensanalyse", 0.5, 1.5)
    ]


def test_the_basis_is_the_plain_gap_report(space, workforce, comparison):
    plain = gap_report(
        space,
        workforce["index"],
        workforce["roles"],
        organisation_id=workforce["org"],
        now=comparison.generated_at,
    )
    assert comparison.outcomes[0].name == "basis"
    assert comparison.baseline.report.to_dict() == plain.to_dict()
    assert all(not r.changes for r in comparison.baseline.roles)


def test_removed_and_added_skills_are_listed_and_change_what_is_scarce(comparison):
    outcome = comparison.outcome("zonder data-analyse")
    changes = {(c.label, c.before, c.after) for c in outcome.roles[1].changes}
    assert changes == {
        ("gegevensanalyse", 0.5, None),
        ("software voor spreadsheets gebruiken", None, 1.0),
    }
    assert [s.uri for s in outcome.newly_scarce] == [SPREADSHEETS]  # nobody holds it
    assert [s.uri for s in outcome.no_longer_scarce] == [DATA_ANALYSIS]  # no longer needed


def test_a_role_whose_every_skill_a_scenario_removes_drops_out(space, workforce):
    forklift_gone = scenario_from_dict(
        {
            "name": "geen heftrucks",
            "weights": [
                {"skill": FORKLIFT_URI, "factor": 0},
                {"skill": DATA_ANALYSIS, "factor": 0},
            ],
        }
    )
    result = compare_gap_scenarios(
        space, workforce["index"], workforce["roles"], [forklift_gone]
    ).outcome("geen heftrucks")
    assert result.roles[1].dropped and (result.roles[1].ready, result.roles[1].far) == (0, 0)
    assert [g.role.title for g in result.report.roles] == ["boekhouder 2027"]
    assert result.to_dict(with_report=False)["roles"][1]["dropped"] is True


def test_unknown_targets_and_clashing_names_are_refused(space, workforce):
    unknown = scenario_from_dict({"name": "x", "weights": [{"skill": "tijdreizen", "factor": 2}]})
    with pytest.raises(ValueError, match="no ESCO skill 'tijdreizen'"):
        compare_gap_scenarios(space, workforce["index"], workforce["roles"], [unknown])
    basis = scenario_from_dict({**DIGITAL_X3, "name": "basis"})
    with pytest.raises(ValueError, match="unique"):
        compare_gap_scenarios(space, workforce["index"], workforce["roles"], [basis])
    with pytest.raises(ValueError, match="at most 100"):
        scenario_from_dict({"name": "x", "weights": [{"collection": "digital", "factor": 1e400}]})


def test_markdown_and_html_show_the_comparison(comparison):
    markdown = render_markdown(comparison.baseline.report, comparison=comparison)
    assert "## Scenarios" in markdown
    assert "| role | basis | digitaal | zonder data-analyse |" in markdown
    assert "gegevensanalyse 0.5 → 1.5" in markdown
    html = render_html(comparison.baseline.report, comparison)
    assert "<h2>Scenarios</h2>" in html and "<th>zonder data-analyse</th>" in html
    assert "software voor spreadsheets gebruiken" in html
    assert "## Scenarios" not in render_markdown(comparison.baseline.report)


# -- the command line ----------------------------------------------------------------------------


def test_cli_gap_report_compares_scenario_files(index, tmp_path, monkeypatch):
    monkeypatch.setenv("VAARDIG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("VAARDIG_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    try:
        flow = passport_cmds.workflow()
        org = flow.passports.create_organisation("Zon & Magazijn BV")
        for external_id, labels in {
            "emp-1": ["fotovoltaïsche panelen installeren", "technische tekeningen lezen"],
            "emp-2": ["heftrucks bedienen", "voorraad overbrengen"],
        }.items():
            employee = flow.passports.add_employee(org.id, external_id)
            for label in labels:
                uri = flow.engine.taxonomy.find_label(label)[0].concept.uri
                flow.passports.add_manual_claim(org.id, employee.id, uri, label, actor="hr")
        flow.close()
        roles = SAMPLES / "future_roles.yaml"
        energy = SAMPLES / "scenarios" / "energietransitie.yaml"
        robots = SAMPLES / "scenarios" / "robotisering_logistiek.yaml"
        runner = CliRunner()
        args = ["gap-report", str(roles), "--org", str(org.id)]
        args += ["--scenario", str(energy), "--scenario", str(robots)]
        result = runner.invoke(cli_app, [*args, "--json"])
        assert result.exit_code == 0, result.output
        payload = json.loads(result.output)
        names = [s["name"] for s in payload["scenarios"]]
        assert names == ["basis", "versnelde energietransitie", "robotisering in de logistiek"]
        robot_roles = payload["scenarios"][2]["roles"]
        changes = {c["label"]: c for r in robot_roles for c in r["skill_changes"]}
        assert changes["heftrucks bedienen"]["after"] == 0.5
        table = runner.invoke(cli_app, args)
        assert table.exit_code == 0 and "Gap report per scenario" in table.output
        assert "What robotisering in de logistiek changes" in table.output
        out = tmp_path / "gap.html"
        assert runner.invoke(cli_app, [*args, "--out", str(out)]).exit_code == 0
        assert "<h2>Scenarios</h2>" in out.read_text(encoding="utf-8")
        bad = tmp_path / "bad.yaml"
        bad.write_text("name: x\nweights:\n  - {skill: tijdreizen, factor: 2}\n")
        refused = runner.invoke(
            cli_app,
            ["gap-report", str(roles), "--org", str(org.id), "--scenario", str(bad)],
        )
        assert refused.exit_code == 2 and "tijdreizen" in refused.output
    finally:
        get_settings.cache_clear()


# -- the service ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def api(tmp_path_factory, module_database_url):
    app = scratch_app(tmp_path_factory.mktemp("scenario-api"), database_url=module_database_url)
    org, key = new_organisation(app, "Magazijn Oost BV")
    add_passport(app, org.id, "mw-1", [FORKLIFT, STORE_GOODS])
    add_passport(app, org.id, "mw-2", [FORKLIFT])
    state = app_state(app)
    state.roles.add_role(
        org.id,
        "future_role",
        "magazijnmedewerker met data 2027",
        [
            RoleSkill(FORKLIFT_URI, 1.0, True),
            RoleSkill(STORE_GOODS[0], 1.0, True),
            RoleSkill(DATA_ANALYSIS, 0.5, False),
        ],
    )
    with TestClient(app, raise_server_exceptions=False) as client:
        client.headers["X-API-Key"] = key
        yield client


def test_api_compares_posted_scenarios_with_the_basis_first(api):
    response = api.post(f"{API}/gap-report/scenarios", json={"scenarios": [DIGITAL_X3]})
    assert response.status_code == 200, response.text
    body = response.json()
    basis, digital = body["scenarios"]
    assert (basis["name"], digital["name"]) == ("basis", "digitaal")
    assert basis["report"] == {
        **api.get(f"{API}/gap-report").json(),
        "generated_at": basis["report"]["generated_at"],
    }
    assert basis["roles"][0]["counts"]["ready"] == 1
    assert digital["roles"][0]["counts"]["ready"] == 0
    assert (
        digital["roles"][0]["best_candidate"]["score"]
        < basis["roles"][0]["best_candidate"]["score"]
    )


@pytest.mark.parametrize(
    ("scenario", "message"),
    [
        ({"name": "x", "weights": [{"skill": "tijdreizen", "factor": 2}]}, "tijdreizen"),
        ({"name": "x", "weights": [{"collection": "paars", "factor": 2}]}, "unknown collection"),
        ({"name": "x", "weights": [{"collection": "digital", "factor": 1000}]}, "at most 100"),
        ({"name": "x", "weights": [{"factor": 2}]}, "exactly one of"),
        ({"name": "x"}, "no weights and adds no skills"),
        ({"name": "basis", "weights": [{"collection": "digital", "factor": 2}]}, "unique"),
    ],
)
def test_api_bad_scenarios_are_422_with_a_message(api, scenario, message):
    response = api.post(f"{API}/gap-report/scenarios", json={"scenarios": [scenario]})
    assert response.status_code == 422, response.text
    assert message in response.json()["error"]["message"]


def test_api_example_scenarios_can_be_posted_as_they_are(api):
    examples = api.get(f"{API}/scenarios/examples").json()
    assert {e["id"] for e in examples} >= {"ai_automatisering", "energietransitie"}
    posted = [{k: v for k, v in e.items() if k != "id"} for e in examples]
    response = api.post(f"{API}/gap-report/scenarios", json={"scenarios": posted})
    assert response.status_code == 200, response.text
    assert len(response.json()["scenarios"]) == len(examples) + 1


def test_the_gap_page_compares_the_chosen_example_scenarios(api):
    page = api.get("/app/gap")
    assert page.status_code == 200 and "Scenario's vergelijken" in page.text
    assert "Gap-rapport per scenario" not in page.text
    chosen = api.get("/app/gap", params={"scenario": ["ai_automatisering", "energietransitie"]})
    assert chosen.status_code == 200
    assert "Gap-rapport per scenario" in chosen.text
    assert (
        "vergaande AI-automatisering" in chosen.text and "versnelde energietransitie" in chosen.text
    )
    assert "principes van kunstmatige intelligentie" in chosen.text  # added by the AI scenario
    assert re.search(r" \d+(,\d+)? → \d+,\d+", chosen.text)  # reweighted: 0,5 → 0,75
    assert not re.search(r"\d\.\d+ →|→ \d+\.\d", chosen.text)


def test_an_unknown_scenario_is_named_in_dutch_next_to_the_choice(api):
    page = api.get("/app/gap", params={"scenario": ["bestaat-niet", "energietransitie"]})
    assert page.status_code == 200
    choice = page.text.index("Scenario's vergelijken")
    message = page.text.index("Onbekend scenario: „bestaat-niet”")
    assert choice < message < page.text.index('name="scenario"')
    assert "versnelde energietransitie" in page.text.split("Gap-rapport per scenario")[1]
    assert "Schaarse vaardigheden" in page.text  # the basis report is still there


def test_without_open_roles_the_gap_page_explains_and_keeps_the_scenario_choice(api):
    _, key = new_organisation(api.app, "Nog Leeg BV")
    page = api.get("/app/gap", params={"scenario": "ai_automatisering"}, headers={"X-API-Key": key})
    assert page.status_code == 200
    assert "nog geen open rollen" in page.text and 'href="/app/vacancies"' in page.text
    assert 'name="scenario" value="ai_automatisering"' in page.text
    assert "Vergelijken kan pas als er open rollen zijn." in page.text
    assert "no open roles" not in page.text
