"""The end-to-end job (vaardig.workflow) and its command line: CV → passport → match → path →
gap report, erasure across database, files and index, user errors as one line and exit 2."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

import vaardig.cli.passport_cmds as passport_cmds
from matcher.errors import NoPassports, NoSkillsFound, UnknownRole
from matcher.store import NotFound, PassportStore
from vaardig.cli import app
from vaardig.settings import get_settings
from vaardig.workflow import Workflow, run_passport_demo

DOCS = Path(__file__).parent / "fixtures" / "documents"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"
FORKLIFT_DRIVER = "http://data.europa.eu/esco/occupation/eeac6251-1974-42f5-91ed-513c6c883755"
FORKLIFT_VACANCY = DOCS / "vacature_heftruckchauffeur.txt"
SOLAR_VACANCY = SAMPLES / "vacature_servicemonteur_zonnepanelen.txt"
NO_SKILLS = "Wij zoeken een nieuwe collega.\nBel ons gerust voor meer informatie.\n"
runner = CliRunner()


@pytest.fixture(scope="module")
def engine(index):
    """The CLI's engine (one per process), loaded once for this module."""
    return passport_cmds.engine()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A fresh data dir whose SQLite database the CLI and the workflow both use."""
    folder = tmp_path / "data"
    monkeypatch.setenv("VAARDIG_DATA_DIR", str(folder))
    monkeypatch.delenv("VAARDIG_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield folder
    get_settings.cache_clear()


@pytest.fixture
def flow(engine, data_dir):
    workflow = Workflow.open(engine)
    yield workflow
    workflow.close()


def cli(*args: str):
    return runner.invoke(app, [str(a) for a in args])


# --- the workflow ----------------------------------------------------------------------------


def test_cv_to_passport_to_internal_candidates(flow):
    org = flow.passports.create_organisation("Brabant Distributie")
    report = flow.add_cv(org.id, "emp-forklift", DOCS / "cv_heftruckchauffeur.txt")
    flow.add_cv(org.id, "emp-bookkeeper", DOCS / "cv_boekhouder.txt")
    assert report.added and flow.passport(org.id, "emp-forklift").claims
    matches = flow.match_vacancy(org.id, FORKLIFT_VACANCY)
    assert [m.external_id for m in matches] == ["emp-forklift", "emp-bookkeeper"]
    assert any(s.evidence for s in matches[0].explanation.matched)


def test_a_new_cv_is_in_the_next_match_without_a_rebuild(flow):
    org = flow.passports.create_organisation("Brabant Distributie")
    flow.add_cv(org.id, "emp-bookkeeper", DOCS / "cv_boekhouder.txt")
    index = flow.indexes.get(org.id)
    flow.add_cv(org.id, "emp-forklift", DOCS / "cv_heftruckchauffeur.txt")
    assert flow.indexes.get(org.id) is index and len(index) == 2
    assert flow.match_vacancy(org.id, FORKLIFT_VACANCY)[0].external_id == "emp-forklift"


def test_erasure_leaves_nothing_in_database_files_or_index(flow, data_dir):
    org = flow.passports.create_organisation("Brabant Distributie")
    flow.add_cv(org.id, "emp-forklift", DOCS / "cv_heftruckchauffeur.txt")
    flow.add_cv(org.id, "emp-bookkeeper", DOCS / "cv_boekhouder.txt")
    erased = flow.passports.get_employee(org.id, "emp-forklift").id
    assert flow.match_vacancy(org.id, FORKLIFT_VACANCY)[0].employee_id == erased
    cv_text = (DOCS / "cv_heftruckchauffeur.txt").read_text(encoding="utf-8")
    assert [p for p in flow.engine.extractor.cached_phrases() if p in cv_text]

    flow.erase_employee(org.id, "emp-forklift")

    assert not [p for p in flow.engine.extractor.cached_phrases() if p in cv_text]

    with pytest.raises(NotFound):
        flow.passport(org.id, "emp-forklift")
    index = flow.indexes.get(org.id)
    assert erased not in index and index.vectors_in_faiss == 1
    assert [m.external_id for m in flow.match_vacancy(org.id, FORKLIFT_VACANCY)] == [
        "emp-bookkeeper"
    ]
    personal = (b"Kevin van den Berg", b"18273645", b"kevin.vdberg", b"emp-forklift")
    for path in [p for p in data_dir.rglob("*") if p.is_file()]:
        content = path.read_bytes()
        assert not [s for s in personal if s in content], f"{path.name} still holds personal data"


def test_an_employee_erased_by_another_process_drops_out_of_the_results(flow, engine):
    org = flow.passports.create_organisation("Brabant Distributie")
    flow.add_cv(org.id, "emp-forklift", DOCS / "cv_heftruckchauffeur.txt")
    flow.add_cv(org.id, "emp-bookkeeper", DOCS / "cv_boekhouder.txt")
    flow.indexes.get(org.id)  # loaded here, then changed elsewhere
    other = Workflow.open(engine)
    other.erase_employee(org.id, "emp-forklift")
    other.close()
    assert [m.external_id for m in flow.match_vacancy(org.id, FORKLIFT_VACANCY)] == [
        "emp-bookkeeper"
    ]


def test_roles_resolve_from_id_uri_label_and_file(flow):
    org = flow.passports.create_organisation("Installatiebedrijf De Vonk")
    (stored,) = flow.add_roles(org.id, SOLAR_VACANCY)
    assert stored.kind == "vacancy" and stored.source_document_id
    assert flow.resolve_role(org.id, str(stored.id)).key == f"role:{stored.id}"
    assert flow.resolve_role(org.id, FORKLIFT_DRIVER).title == "heftruckchauffeur"
    assert flow.resolve_role(org.id, "heftruckchauffeur").occupation_uri == FORKLIFT_DRIVER
    assert flow.resolve_role(org.id, str(FORKLIFT_VACANCY)).kind == "vacancy"
    with pytest.raises(UnknownRole, match="closest ESCO occupations"):
        flow.resolve_role(org.id, "kapitein ruimteschip")
    with pytest.raises(UnknownRole, match="defines 3 roles"):
        flow.resolve_role(org.id, str(SAMPLES / "future_roles.yaml"))
    with pytest.raises(NotFound):
        flow.resolve_role(org.id, "999")


def test_employee_roles_include_the_organisations_own_roles(flow):
    org = flow.passports.create_organisation("Installatiebedrijf De Vonk")
    flow.add_cv(org.id, "emp-electrician", DOCS / "cv_monteur_elektrotechniek.txt")
    flow.add_roles(org.id, SAMPLES / "future_roles.yaml")
    matches = flow.match_employee(org.id, "emp-electrician", k=10)
    kinds = {m.role.kind for m in matches}
    assert "future_role" in kinds and "esco_occupation" in kinds
    titles = [m.role.title for m in matches]
    assert "medewerker zonnepanelen-installatie 2027" in titles


def test_matching_an_organisation_without_passports_is_an_error(flow):
    org = flow.passports.create_organisation("Leeg BV")
    with pytest.raises(NoPassports, match="no skill passports yet"):
        flow.match_vacancy(org.id, FORKLIFT_VACANCY)


def test_a_vacancy_without_skills_is_an_error_not_an_empty_ranking(flow, tmp_path):
    org = flow.passports.create_organisation("Brabant Distributie")
    flow.add_cv(org.id, "emp-forklift", DOCS / "cv_heftruckchauffeur.txt")
    vacancy = tmp_path / "vacature.txt"
    vacancy.write_text(NO_SKILLS, encoding="utf-8")
    with pytest.raises(NoSkillsFound):
        flow.match_vacancy(org.id, vacancy)


def test_an_oversized_cv_file_is_refused_before_it_is_read(flow, tmp_path):
    from extractor.errors import FileTooLargeError
    from extractor.ingest import DEFAULT_MAX_BYTES

    org = flow.passports.create_organisation("Groot Bestand BV")
    huge = tmp_path / "cv.txt"
    with huge.open("wb") as out:  # sparse: no disk space used
        out.truncate(DEFAULT_MAX_BYTES + 1)
    with pytest.raises(FileTooLargeError, match=r"larger than the limit of 10\.0 MB"):
        flow.add_cv(org.id, "emp-1", huge)
    assert flow.passports.list_employees(org.id) == []  # nothing stored


def test_demo_builds_passports_matches_the_sample_vacancy_and_prints_a_path(engine, data_dir):
    buffer = io.StringIO()
    run_passport_demo(Console(file=buffer, width=120), engine=engine)
    text = buffer.getvalue()
    assert "Internal candidates" in text and "Reskilling path" in text
    assert "emp-001" in text and "medewerker zonnepanelen-installatie 2027" in text
    assert not data_dir.exists()  # the demo never touches the configured database


# --- the command line ------------------------------------------------------------------------


def test_cli_passport_match_path_and_gap_report(engine, data_dir, tmp_path):
    assert "Organisation 1" in cli("org", "create", "De Vonk").output
    added = cli(
        "passport",
        "add",
        "--org",
        "1",
        "--employee",
        "emp-1",
        SAMPLES / "cv_monteur_elektrotechniek.txt",
    )
    assert added.exit_code == 0, added.output
    assert (
        cli(
            "passport",
            "add",
            "--org",
            "1",
            "--employee",
            "emp-2",
            SAMPLES / "cv_heftruckchauffeur.txt",
        ).exit_code
        == 0
    )
    assert cli("passport", "show", "--org", "1", "emp-1").exit_code == 0
    shown = json.loads(cli("passport", "show", "--org", "1", "emp-1", "--json").stdout)
    assert "fotovoltaïsche panelen installeren" in [c["label"] for c in shown["claims"]]

    vacancy = cli("match", "vacancy", "--org", "1", SOLAR_VACANCY, "--json")
    assert vacancy.exit_code == 0, vacancy.output
    candidates = json.loads(vacancy.stdout)["candidates"]
    assert [c["external_id"] for c in candidates] == ["emp-1", "emp-2"]
    assert candidates[0]["explanation"]["matched"][0]["evidence"]

    employee = cli("match", "employee", "--org", "1", "emp-2", "--json", "--top", "3")
    assert employee.exit_code == 0 and len(json.loads(employee.stdout)) == 3
    role = cli("match", "role", "--org", "1", "heftruckchauffeur", "--json")
    assert json.loads(role.stdout)["headcount"] == 2
    path = cli("path", "--org", "1", "emp-2", SOLAR_VACANCY, "--json")
    assert path.exit_code == 0 and json.loads(path.stdout)["steps"]

    html = tmp_path / "gap.html"
    assert (
        cli("gap-report", "--org", "1", SAMPLES / "future_roles.yaml", "--out", html).exit_code == 0
    )
    assert "<svg" in html.read_text(encoding="utf-8")
    markdown = tmp_path / "gap.md"
    assert (
        cli("gap-report", "--org", "1", SAMPLES / "future_roles.yaml", "--out", markdown).exit_code
        == 0
    )
    assert markdown.with_suffix(".svg").is_file() and "(gap.svg)" in markdown.read_text()

    erased = cli("passport", "erase", "--org", "1", "emp-2", "--yes")
    assert erased.exit_code == 0 and "Erased emp-2" in erased.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("match", "employee", "--org", "1", "emp-404"), "employee 'emp-404' does not exist"),
        (("match", "vacancy", "--org", "77", SOLAR_VACANCY), "organisation 77 does not exist"),
        (("path", "--org", "1", "emp-1", "kapitein ruimteschip"), "does not exist"),
        (("match", "vacancy", "--org", "1", "{no_skills}"), "no recognisable skills"),
        (("gap-report", "--org", "1", "{bad_roles}"), "unknown skill label(s): 'tijdreizen'"),
        (
            ("gap-report", "--org", "1", SAMPLES / "future_roles.yaml", "--out", "r.pdf"),
            "--out must end in",
        ),
    ],
)
def test_cli_user_errors_exit_2_with_one_line(engine, data_dir, tmp_path, args, message):
    store = PassportStore.open(get_settings().effective_database_url)
    org = store.create_organisation("De Vonk")
    employee = store.add_employee(org.id, "emp-1")
    store.add_manual_claim(
        org.id,
        employee.id,
        "http://data.europa.eu/esco/skill/28cb374e-6261-4133-8371-f9a5470145da",
        "heftrucks bedienen",
        "hr",
    )
    store.database.close()
    no_skills = tmp_path / "vacature.txt"
    no_skills.write_text(NO_SKILLS, encoding="utf-8")
    bad_roles = tmp_path / "roles.yaml"
    bad_roles.write_text("roles:\n  - title: x\n    skills: [heftrucks bedienen, tijdreizen]\n")
    filled = [str(a).format(no_skills=no_skills, bad_roles=bad_roles) for a in args]
    result = cli(*filled)
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.output.split())
    assert "Traceback" not in result.output
    assert result.output.strip().startswith("Error:")


def test_cli_says_when_a_stored_cv_gave_no_skills(engine, data_dir, tmp_path):
    store = PassportStore.open(get_settings().effective_database_url)
    org = store.create_organisation("De Vonk")
    letter = tmp_path / "brief.txt"
    letter.write_text("Met vriendelijke groet, Jan de Vries. Ik kijk uit naar uw reactie.")
    added = cli("passport", "add", "--org", org.id, "--employee", "emp-9", letter)
    assert added.exit_code == 0, added.output
    assert "emp-9: 0 new skills" in added.output
    assert "No skills recognised in brief.txt; the CV is stored" in " ".join(added.output.split())
    person = store.get_employee(org.id, "emp-9")
    assert len(store.list_documents(org.id, employee_id=person.id)) == 1


def test_the_same_cv_added_again_is_refused_and_nothing_is_stored_twice(engine, data_dir):
    """A batch run twice stored every CV again: the same evidence twice in each passport."""
    store = PassportStore.open(get_settings().effective_database_url)
    org = store.create_organisation("De Vonk")
    cv = DOCS / "cv_heftruckchauffeur.txt"
    assert cli("passport", "add", "--org", org.id, "--employee", "emp-1", cv).exit_code == 0
    again = cli("passport", "add", "--org", org.id, "--employee", "emp-2", cv)
    assert again.exit_code == 2, again.output
    assert "already in the passport of emp-1" in " ".join(again.output.split())
    assert len(store.list_documents(org.id)) == 1
    assert [e.external_id for e in store.list_employees(org.id)] == ["emp-1"]


OCCUPATION_URI = "http://data.europa.eu/esco/occupation/eeac6251-1974-42f5-91ed-513c6c883755"


def test_cli_confirms_rejects_and_adds_skills_by_label_or_uri(engine, data_dir):
    store = PassportStore.open(get_settings().effective_database_url)
    org = store.create_organisation("De Vonk")
    store.add_employee(org.id, "emp-8")
    forklift = "http://data.europa.eu/esco/skill/28cb374e-6261-4133-8371-f9a5470145da"

    added = cli("passport", "skill", "--org", org.id, "emp-8", "heftrucks bedienen", "-a", "add")
    assert added.exit_code == 0, added.output
    assert "emp-8: heftrucks bedienen added (confirmed)" in added.output
    rejected = cli(
        "passport", "skill", "--org", org.id, "emp-8", forklift, "-a", "reject", "--json"
    )
    assert rejected.exit_code == 0 and json.loads(rejected.stdout)["status"] == "rejected"
    [claim] = store.passport(org.id, "emp-8").claims
    assert (claim.skill_uri, claim.status, claim.method) == (forklift, "rejected", "manual")

    for args, message in (
        (("emp-8", "tijdreizen"), "no ESCO skill has the URI or label 'tijdreizen'"),
        (("emp-8", OCCUPATION_URI), "no ESCO skill has the URI or label"),
        (("emp-8", forklift, "-a", "delete"), "--action must be one of"),
        (("emp-404", forklift), "employee 'emp-404' does not exist"),
        (("emp-8", "http://data.europa.eu/esco/skill/nope"), "no ESCO skill has the URI or label"),
    ):
        refused = cli("passport", "skill", "--org", org.id, *args)
        assert refused.exit_code == 2 and message in " ".join(refused.output.split()), args
    # a claim the passport does not hold cannot be confirmed: it must be added
    other = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"
    missing = cli("passport", "skill", "--org", org.id, "emp-8", other)
    assert missing.exit_code == 2
    assert (
        "emp-8's passport does not hold 'Python (computerprogrammering)': add it with --action add"
        in " ".join(missing.output.split())
    )


def test_cli_corrects_an_employee_name_and_team(engine, data_dir):
    """Rectification from the command line: only what is given changes, --clear-… removes a
    value, the external id stays; nothing to change, or a value and a clear at once, is exit 2."""
    store = PassportStore.open(get_settings().effective_database_url)
    org = store.create_organisation("De Vonk")
    store.add_employee(org.id, "emp-7", display_name="J. Bakker", team="Montage")

    done = cli("passport", "update", "--org", org.id, "emp-7", "--name", "Jeroen Bakker")
    assert done.exit_code == 0, done.output
    assert "emp-7: name Jeroen Bakker, team Montage" in done.output
    person = store.get_employee(org.id, "emp-7")
    assert (person.external_id, person.display_name, person.team) == (
        "emp-7",
        "Jeroen Bakker",
        "Montage",
    )
    done = cli("passport", "update", "--org", org.id, "emp-7", "--clear-team", "--json")
    assert done.exit_code == 0 and json.loads(done.stdout)["team"] is None
    assert store.get_employee(org.id, "emp-7").display_name == "Jeroen Bakker"

    for args, message in [
        ((), "nothing to change"),
        (("--team", "Service", "--clear-team"), "not both"),
        (("--name", "x" * 201), "display name must be 1–200 characters"),
    ]:
        failed = cli("passport", "update", "--org", org.id, "emp-7", *args)
        assert failed.exit_code == 2 and message in failed.output, failed.output
    missing = cli("passport", "update", "--org", org.id, "emp-404", "--name", "X")
    assert missing.exit_code == 2 and "emp-404" in missing.output
    assert store.get_employee(org.id, "emp-7").team is None  # the failures changed nothing
    store.database.close()
