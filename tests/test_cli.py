"""The command line: real commands in-process, user errors as one line and exit code 2."""

import json

import pytest
from typer.testing import CliRunner

from vaardig.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture(scope="module", autouse=True)
def _index_built(index):
    """The CLI loads the same cached index the session fixture built."""


def test_taxonomy_search_json_lists_forklift(index):
    result = run("taxonomy", "search", "heftruck rijden", "--json", "--top", "3")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert "operate forklift" in [r["pref_en"] for r in rows]
    assert {"score", "uri", "label", "label_is_fallback"} <= set(rows[0])


def test_taxonomy_search_occupations_table():
    result = run("taxonomy", "search", "verpleegkundige", "--kind", "occupation")
    assert result.exit_code == 0
    assert "verpleegkundige" in result.stdout.lower()


def test_taxonomy_show_prints_labels_and_skills():
    uri = "http://data.europa.eu/esco/occupation/eeac6251-1974-42f5-91ed-513c6c883755"
    result = run("taxonomy", "show", uri, "--json")
    assert result.exit_code == 0
    info = json.loads(result.stdout)
    assert info["pref_nl"] == "heftruckchauffeur"
    assert info["essential_skills"]


def test_complete_lists_prefix_matches():
    result = run("taxonomy", "complete", "heftruck")
    assert result.exit_code == 0 and "heftrucks bedienen" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("taxonomy", "show", "http://data.europa.eu/esco/skill/nope"), "no concept with URI"),
        (("taxonomy", "search", "   "), "empty query"),
        (("taxonomy", "search", "lassen", "--kind", "vacancy"), "--kind must be"),
        (("taxonomy", "search", "lassen", "--encoder", "word2vec"), "unknown encoder backend"),
    ],
)
def test_user_errors_exit_2_with_one_line_and_no_traceback(args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_index_build_reports_sizes():
    result = run("index", "build")
    assert result.exit_code == 0
    assert "skill labels" in result.output
