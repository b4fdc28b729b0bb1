"""``vaardig tshape|kpi|kpi-targets|plan|role close`` on the example firm in a real SQLite
database (the CLI's own, under VAARDIG_DATA_DIR): tables, JSON, charts, exit code 2 for bad
input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from matcher.development.fixture_firm import build_fixture_firm
from vaardig.cli import app
from vaardig.settings import get_settings

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def firm(tmp_path_factory):
    """The example firm in the database the CLI opens (VAARDIG_DATA_DIR for this module)."""
    folder = tmp_path_factory.mktemp("cli") / "data"
    patch = pytest.MonkeyPatch()
    patch.setenv("VAARDIG_DATA_DIR", str(folder))
    patch.delenv("VAARDIG_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    built = build_fixture_firm(get_settings().effective_database_url)
    yield built
    patch.undo()
    get_settings.cache_clear()


@pytest.fixture(scope="module")
def scratch(firm):
    """A second copy of the firm in the same database, for the tests that change things (so
    the counts the other tests check stay as built)."""
    return build_fixture_firm(get_settings().effective_database_url)


def cli(*args: object):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


def test_tshape_of_an_employee_as_table(firm):
    result = cli("tshape", "vdb-002", "--org", firm.organisation_id, "-n", "3")
    assert result.exit_code == 0, result.output
    assert "vdb-002 (team installatie): I-vormig (specialist)" in result.output
    assert "7 bevestigde vaardigheden, gemiddeld niveau 3.6 (diep)" in result.output
    assert "breedte: 5 gebieden; transversaal 0/5" in result.output
    assert "1. promoten, verkopen en inkopen (70-20-10)" in result.output
    assert "20% van een collega" in result.output and "(vdb-017)" in result.output
    assert "4. " not in result.output  # -n 3


def test_tshape_json_and_chart(firm, tmp_path: Path):
    chart = tmp_path / "t.png"
    result = cli("tshape", "vdb-001", "--org", firm.organisation_id, "--json", "--plot", chart)
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    profile = body["profile"]
    assert (profile["shape"], profile["breadth"], profile["themes_covered"]) == ("t_shaped", 14, 3)
    assert profile["depth"]["code"] == "S8.8" and profile["depth"]["count"] == 6
    assert profile["thresholds"]["deep_min_skills"] == 5
    assert 3 <= len(body["suggestions"]) <= 5
    assert chart.read_bytes()[:4] == b"\x89PNG"


def test_tshape_of_a_team_names_the_risks(firm, tmp_path: Path):
    chart = tmp_path / "kantoor.svg"
    result = cli("tshape", "--team", "kantoor", "--org", firm.organisation_id, "--plot", chart)
    assert result.exit_code == 0, result.output
    assert "Team kantoor: 5 medewerkers" in result.output
    assert "Bij één persoon (continuïteitsrisico): 6 gebieden" in result.output
    assert "Gevraagd, maar niemand heeft het: 7 gebieden" in result.output
    assert "ingenieursopleiding" in result.output and "vdb-020" in result.output
    assert "team kantoor" in chart.read_text()


def test_tshape_of_the_whole_firm_as_json(firm):
    result = cli("tshape", "--org", firm.organisation_id, "--json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["team"] is None and body["headcount"] == 20
    assert body["shapes"] == {"t_shaped": 6, "i_shaped": 4, "generalist": 5, "early_career": 5}
    assert [a["label"] for a in body["nobody"]] == [
        "berekenen en inschatten",
        "architectuur en bouwnijverheid",
    ]


def test_kpi_table_shows_values_previous_targets_and_status(firm):
    result = cli("kpi", "--org", firm.organisation_id, "--period", "2026")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    learners = next(line for line in lines if "medewerkers met een nieuw" in line)
    assert "75%" in learners and "15 / 20" in learners and "89% ↓" in learners
    assert "≥ 80%" in learners and "niet op koers" in learners
    fill = next(line for line in lines if "intern vervulde vacatures" in line)
    assert "75%" in fill and "40% ↑" in fill and "stijgend" in fill and "✓ op koers" in fill
    assert "Gat gedicht voor ‘Energieadviseur verduurzaming’" in result.output


def test_kpi_json_with_a_targets_file(firm, tmp_path: Path):
    targets = tmp_path / "doelen.yaml"
    targets.write_text("learners_share: 0.7\nnew_skills_per_employee: rising\n")
    result = cli(
        "kpi", "--org", firm.organisation_id, "--period", "2026", "--targets", targets, "--json"
    )
    assert result.exit_code == 0, result.output
    kpis = {k["key"]: k for k in json.loads(result.stdout)["kpis"]}
    assert kpis["learners_share"]["status"] == "on_track"
    assert kpis["learners_share"]["target"] == {"minimum": 0.7, "rising": False}
    assert kpis["new_skills_per_employee"]["status"] == "off_track"  # 1.10 after 1.42
    assert kpis["steps_completed_share"]["value"] == pytest.approx(7 / 9, abs=1e-4)


def test_kpi_for_a_team(firm):
    result = cli("kpi", "--org", firm.organisation_id, "--period", "2026", "--team", "magazijn")
    assert result.exit_code == 0, result.output
    assert "team magazijn: 4 medewerkers" in result.output


def test_plan_add_from_suggestions_then_done(scratch):
    org = scratch.organisation_id
    added = cli("plan", "add", "vdb-013", "--org", org, "--suggestions", "1")
    assert added.exit_code == 0, added.output
    assert "70% job rotation" in added.output and "10% cursus" in added.output
    listed = json.loads(cli("plan", "list", "vdb-013", "--org", org, "--json").stdout)
    planned = [s for s in listed if s["status"] == "planned"]
    assert [s["kind"] for s in planned] == ["rotation", "colleague", "course"]  # one 70% option
    colleague = next(s for s in planned if s["kind"] == "colleague")
    assert colleague["mentor"] is not None and colleague["share"] == 20
    early = cli("plan", "done", planned[0]["id"], "--org", org, "--on", "2024-01-01")
    assert early.exit_code == 2 and "cannot be done on 2024-01-01" in early.output
    done = cli("plan", "done", planned[0]["id"], "--org", org)
    assert done.exit_code == 0, done.output
    assert f"Stap {planned[0]['id']} afgerond op" in done.output
    after = json.loads(cli("plan", "list", "vdb-013", "--org", org, "--json").stdout)
    assert next(s for s in after if s["id"] == planned[0]["id"])["status"] == "done"


def test_a_step_is_done_on_a_given_date(scratch):
    org = scratch.organisation_id
    steps = json.loads(cli("plan", "list", "vdb-002", "--org", org, "--json").stdout)
    (overdue,) = [s for s in steps if s["status"] == "planned" and s["due"] == "2026-06-30"]
    done = cli("plan", "done", overdue["id"], "--org", org, "--on", "2026-11-20")
    assert done.exit_code == 0, done.output
    assert f"Stap {overdue['id']} afgerond op 20-11-2026" in done.output


def test_plan_add_a_reskilling_path_to_a_role(scratch, index):
    org = scratch.organisation_id
    role_id = scratch.roles["Energieadviseur verduurzaming"]
    added = cli("plan", "add", "vdb-020", "--org", org, "--role", role_id)
    assert added.exit_code == 0, added.output
    steps = json.loads(cli("plan", "list", "vdb-020", "--org", org, "--json").stdout)
    path = [s for s in steps if s["role_id"] == role_id]
    assert path and {s["kind"] for s in path} == {"on_the_job"}
    assert [s["due"] for s in path] == sorted(s["due"] for s in path)
    skills = {s["skill_uri"].rsplit("/", 1)[-1]: s for s in path}
    assert "395ace35-e463-4dc7-8181-c2dd43885107" not in skills  # feasibility: she has it
    design_solar = skills["50ac5186-bb18-4ffb-9f29-00636853c8ea"]
    assert design_solar["mentor"] == "vdb-001"  # the one colleague who confirmed it


def test_plan_add_one_step_by_hand_and_cancel(scratch):
    org = scratch.organisation_id
    added = cli(
        "plan", "add", "vdb-019", "--org", org, "--kind", "course", "--title",
        "Cursus Exact Online", "--due", "2027-03-31", "--mentor", "vdb-016",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    step = json.loads(cli("plan", "list", "vdb-019", "--org", org, "--json").stdout)[-1]
    assert (step["title"], step["due"], step["mentor"]) == (
        "Cursus Exact Online",
        "2027-03-31",
        "vdb-016",
    )
    assert cli("plan", "cancel", step["id"], "--org", org).exit_code == 0


def test_role_close_records_an_internal_fill(scratch):
    org = scratch.organisation_id
    role_id = scratch.roles["Commercieel medewerker binnendienst"]
    result = cli("role", "close", role_id, "--org", org, "--as", "internal")
    assert result.exit_code == 0, result.output
    assert "filled_internal" in result.output
    again = cli("role", "close", role_id, "--org", org, "--as", "external")
    assert again.exit_code == 2 and "already filled_internal" in again.output


def test_kpi_targets_set_and_show(scratch):
    org = scratch.organisation_id
    result = cli("kpi-targets", "--org", org, "--set", "internal_fill_rate=0.6", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["internal_fill_rate"] == {
        "kpi": "internal_fill_rate",
        "minimum": 0.6,
        "must_rise": False,
    }
    restored = cli("kpi-targets", "--org", org, "--set", "internal_fill_rate=rising")
    assert restored.exit_code == 0 and "stijgend" in restored.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("tshape", "vdb-999"), "employee 'vdb-999' does not exist"),
        (("tshape", "--team", "nope"), "no employees in team 'nope'"),
        (("tshape", "vdb-001", "--team", "kantoor"), "not both"),
        (("tshape", "vdb-001", "--plot", "t.gif"), ".png or .svg"),
        (("kpi", "--period", "2026Q7"), "not understood"),
        (("kpi", "--period", "2026", "--team", "nope"), "no employees in team"),
        (("kpi", "--period", "2026", "--targets", "missing.yaml"), "no such targets file"),
        (("kpi-targets", "--set", "learners_share"), "KPI=VALUE"),
        (("kpi-targets", "--set", "geluk=1"), "unknown KPI"),
        (("plan", "add", "vdb-001"), "--suggestions N"),
        (("plan", "add", "vdb-001", "--suggestions", "1", "--role", "1"), "--role ROLE"),
        (("plan", "add", "vdb-001", "--kind", "reading", "--title", "x"), "step kind"),
        (("plan", "add", "vdb-001", "--kind", "course", "--title", "x", "--due", "morgen"), "date"),
        (("plan", "done", "999999"), "learning step 999999 does not exist"),
        (("role", "close", "1", "--as", "maybe"), "internal, external or closed"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(firm, args, message):
    command, *rest = args
    if command in ("plan", "role"):
        result = cli(command, rest[0], *rest[1:], "--org", firm.organisation_id)
    else:
        result = cli(command, *rest, "--org", firm.organisation_id)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_an_unknown_organisation_is_exit_code_2(firm):
    result = cli("kpi", "--org", 999, "--period", "2026")
    assert result.exit_code == 2 and "organisation 999 does not exist" in result.output


def test_the_script_builds_the_example_firm_into_a_sqlite_file(tmp_path: Path):
    database = tmp_path / "firm.db"
    result = subprocess.run(
        [sys.executable, "scripts/make_fixture_firm.py", "--db", str(database)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "organisation 1: 20 employees (installatie 6, klimaat 5, magazijn 4, kantoor 5), 13 roles"
    )
    assert database.is_file()
