"""`vaardig extract` and `vaardig feed` on real files: output, JSON, and user errors."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vaardig.cli import app

DOCS = Path(__file__).parent / "fixtures" / "documents"
FORKLIFT = "http://data.europa.eu/esco/skill/28cb374e-6261-4133-8371-f9a5470145da"
runner = CliRunner()


@pytest.fixture(scope="module", autouse=True)
def _index_built(index):
    """The CLI loads the same cached index the session fixture built."""


def test_extract_json_has_claims_with_evidence_and_attribution():
    result = runner.invoke(
        app, ["extract", str(DOCS / "cv_heftruckchauffeur_2kolom.pdf"), "--json"]
    )
    assert result.exit_code == 0, result.output
    [doc] = json.loads(result.stdout)
    claim = next(c for c in doc["skills"] if c["uri"] == FORKLIFT)
    assert claim["evidence"]["text"] and claim["evidence"]["sentence"]
    assert "ESCO classification of the European Commission" in doc["attribution"]
    # the offsets index the text as read, which the answer carries
    for skill in doc["skills"]:
        span = skill["evidence"]
        assert doc["text"][span["start"] : span["end"]] == span["text"]


def test_extract_table_lists_skills_and_can_hide_inferred():
    result = runner.invoke(app, ["extract", str(DOCS / "cv_boekhouder.docx"), "--no-inferred"])
    assert result.exit_code == 0, result.output
    assert "inferred" not in result.stdout
    assert "alias" in result.stdout or "exact" in result.stdout


NO_SKILLS = "Met vriendelijke groet, Jan de Vries. Ik kijk uit naar uw reactie."


def test_a_text_without_skills_says_so_instead_of_an_empty_table(tmp_path):
    letter = tmp_path / "brief.txt"
    letter.write_text(NO_SKILLS, encoding="utf-8")
    table = runner.invoke(app, ["extract", str(letter)])
    assert table.exit_code == 0, table.output
    assert "No skills recognised in brief.txt" in table.stdout
    assert "(nearest: '" in table.stdout  # what came closest, so the user sees why
    [doc] = json.loads(runner.invoke(app, ["extract", str(letter), "--json"]).stdout)
    assert doc["skills"] == [] and doc["notice"].startswith("No skills recognised")


def test_options_that_hide_every_skill_say_which_option_did():
    cv = str(DOCS / "cv_boekhouder.docx")
    [found] = json.loads(runner.invoke(app, ["extract", cv, "--json"]).stdout)
    assert found["skills"] and found["notice"] is None
    [strict] = json.loads(
        runner.invoke(app, ["extract", cv, "--json", "--min-confidence", "1.5"]).stdout
    )
    assert strict["skills"] == []  # the option applies to JSON as well as to the table
    assert f"All {len(found['skills'])} skills found" in strict["notice"]
    assert "--min-confidence 1.5" in strict["notice"]
    table = runner.invoke(app, ["extract", cv, "--min-confidence", "0.8"])
    shown = [c for c in found["skills"] if c["confidence"] >= 0.8]
    assert shown and "below --min-confidence" not in table.stdout


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bad_scanned.pdf", "OCR"),
        ("bad_encrypted.pdf", "encrypt"),
        ("bad_not_a_zip.docx", "zip"),
        ("bad_empty.txt", "empty"),
    ],
)
def test_extract_bad_files_exit_2_with_a_clear_line(name, message):
    result = runner.invoke(app, ["extract", str(DOCS / name)])
    assert result.exit_code == 2
    assert message.lower() in result.output.lower()
    assert "Traceback" not in result.output


def test_feed_streams_all_vacancies_to_jsonl(tmp_path):
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["feed", str(DOCS / "vacatures.jsonl"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 20
    assert all(json.loads(line)["skills"] for line in lines)
    assert "Most requested skills" in result.stdout
    for line in map(json.loads, lines):  # each line carries the text its offsets index
        span = line["skills"][0]["evidence"]
        assert line["text"][span["start"] : span["end"]] == span["text"]


def test_feed_refuses_a_folder_as_output_and_reports_unreadable_dates(tmp_path):
    feed = tmp_path / "feed.csv"
    feed.write_text(
        "titel;omschrijving;datum\n"
        "Lasser;Je last constructies volgens tekening.;5 maart 2024\n"
        "Heftruckchauffeur;Je rijdt op een heftruck.;ergens in maart\n",
        encoding="utf-8",
    )
    folder = runner.invoke(app, ["feed", str(feed), "--out", str(tmp_path)])
    assert folder.exit_code == 2, folder.output
    assert "this is a folder; give --out a file name" in " ".join(folder.stderr.split())
    assert "Traceback" not in folder.output
    result = runner.invoke(app, ["feed", str(feed), "--out", str(tmp_path / "out.jsonl")])
    assert result.exit_code == 0, result.output
    assert "2 vacancies read" in result.stdout  # the vacancy with the odd date is kept
    assert "warning:" in result.stdout and "ergens in maart" in result.stdout


def test_feed_with_a_bad_row_fails_unless_skipping(tmp_path):
    bad = DOCS / "bad_feed_row.jsonl"
    assert runner.invoke(app, ["feed", str(bad)]).exit_code == 2
    result = runner.invoke(app, ["feed", str(bad), "--skip-bad"])
    assert result.exit_code == 0, result.output
    assert "skipped" in result.stdout


def test_a_feed_of_only_malformed_vacancies_says_so_even_when_skipping(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"id": "v1", "title": ""}\n{"id": "v2"}\n', encoding="utf-8")
    result = runner.invoke(app, ["feed", str(feed), "--skip-bad"])
    assert result.exit_code == 2, result.output
    assert "no vacancy could be read, all 2 are malformed" in " ".join(result.stderr.split())


def test_feed_says_how_many_vacancies_gave_no_skills(tmp_path):
    feed = tmp_path / "feed.jsonl"
    rows = [
        {"id": "v1", "title": "Heftruckchauffeur", "description": "Ervaring met heftruck rijden."},
        {"id": "v2", "title": "Vacature", "description": NO_SKILLS},
    ]
    feed.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["feed", str(feed), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 of 2 vacancies gave no skills" in " ".join(result.stdout.split())
    found, empty = (json.loads(line) for line in out.read_text(encoding="utf-8").splitlines())
    assert found["skills"] and found["notice"] is None
    assert empty["skills"] == [] and empty["notice"].startswith("No skills recognised")


def test_extract_refuses_a_missing_file_a_folder_and_a_feed_with_what_to_do_instead(tmp_path):
    folder = runner.invoke(app, ["extract", str(tmp_path)])
    assert folder.exit_code == 2
    assert "this is a folder, not a file" in " ".join(folder.stderr.split())
    missing = runner.invoke(app, ["extract", str(tmp_path / "cv_jansen.pdf")])
    assert missing.exit_code == 2
    assert "cv_jansen.pdf: no such file. Check the path" in " ".join(missing.stderr.split())
    feed = runner.invoke(app, ["extract", str(DOCS / "vacatures.jsonl")])
    assert feed.exit_code == 2
    assert "vaardig feed" in " ".join(feed.stderr.split())


def test_an_os_error_is_one_line_with_the_path_not_a_traceback(capsys):
    """A full disk or a file the process may not write ends the command with exit code 2 and
    a line naming the path, like every user error."""
    import errno

    import typer

    from vaardig.cli.common import user_errors

    @user_errors
    def write_results() -> None:
        raise OSError(errno.ENOSPC, "No space left on device", "/data/skills.jsonl")

    with pytest.raises(typer.Exit) as ended:
        write_results()
    assert ended.value.exit_code == 2
    line = " ".join(capsys.readouterr().err.split())
    assert "/data/skills.jsonl: No space left on device. Check the path" in line
