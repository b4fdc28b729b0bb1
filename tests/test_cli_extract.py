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


def test_extract_table_lists_skills_and_can_hide_inferred():
    result = runner.invoke(app, ["extract", str(DOCS / "cv_boekhouder.docx"), "--no-inferred"])
    assert result.exit_code == 0, result.output
    assert "inferred" not in result.stdout
    assert "alias" in result.stdout or "exact" in result.stdout


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


def test_feed_with_a_bad_row_fails_unless_skipping(tmp_path):
    bad = DOCS / "bad_feed_row.jsonl"
    assert runner.invoke(app, ["feed", str(bad)]).exit_code == 2
    result = runner.invoke(app, ["feed", str(bad), "--skip-bad"])
    assert result.exit_code == 0, result.output
    assert "skipped" in result.stdout
