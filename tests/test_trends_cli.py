"""``vaardig trends``, ``vaardig batch`` and ``vaardig scenario`` in-process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import vaardig.cli.trends_cmds  # noqa: F401  (registers the commands, as vaardig.cli will)
from matcher.trends.synthetic import SKILLS, generate_feed, write_records
from vaardig.cli import app

runner = CliRunner()
SCENARIOS = Path(__file__).parent / "fixtures" / "scenarios"


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def one_line(output: str) -> str:
    """The console wraps long messages at 80 columns; compare them unwrapped."""
    return " ".join(output.split())


@pytest.fixture(scope="module")
def records_file(tmp_path_factory, taxonomy) -> Path:
    path = tmp_path_factory.mktemp("trends") / "records.jsonl"
    write_records(generate_feed(5000, seed=4), path)
    return path


def test_trends_json_lists_the_rising_skills_with_a_scenario(records_file):
    result = run(
        "trends",
        records_file,
        "--by",
        "quarter",
        "--group",
        "isco1",
        "--top",
        "5",
        "--json",
        "--scenario",
        SCENARIOS / "ai_automatisering.yaml",
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    overall = payload["groups"][0]
    assert overall["group"] == "all" and [g["group"] for g in payload["groups"]][1:] == [
        "2",
        "3",
        "7",
        "8",
        "9",
    ]
    rising = [t["key"] for t in overall["trends"]["skill"]["rising"]]
    assert SKILLS["warmtepompen"].uri in rising
    factors = {s["key"]: s["factor"] for s in payload["scenario"]["series"]}
    assert factors[SKILLS["ai"].uri] == pytest.approx(1.5)  # digital
    assert "ESCO" in payload["attribution"]


def test_trends_table_by_month_with_charts(records_file, tmp_path):
    result = run(
        "trends", records_file, "--by", "month", "--top", "3", "--plot", tmp_path, "--format", "svg"
    )
    assert result.exit_code == 0, result.output
    assert "Stijgend – alle vacatures" in result.stdout
    assert "warmtepompen" in result.stdout
    assert (tmp_path / "alle_groei.svg").exists() and "alle_groei.svg" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--by", "week"), "--by must be one of month, quarter"),
        (("--group", "provincie"), "--group must be one of"),
        (("--format", "gif", "--plot", "charts"), "png or svg"),
    ],
)
def test_bad_trend_options_are_one_line_errors(records_file, args, message):
    result = run("trends", records_file, *args)
    assert result.exit_code == 2
    assert message in one_line(result.output) and "Traceback" not in result.output


def test_missing_input_is_a_user_error(tmp_path):
    result = run("trends", tmp_path / "nope.jsonl")
    assert result.exit_code == 2 and "no such file" in one_line(result.output)


def test_batch_refuses_to_overwrite_without_resume(records_file, tmp_path):
    out = tmp_path / "extracted.jsonl"
    out.write_text("")
    feed = Path(__file__).parent / "fixtures" / "feeds" / "synthetic_small.jsonl"
    result = run("batch", feed, "--out", out)
    assert result.exit_code == 2 and "pass --resume" in one_line(result.output)


def test_scenario_command_shows_resolved_rules():
    result = run(
        "scenario",
        SCENARIOS / "ai_automatisering.yaml",
        SCENARIOS / "energietransitie.json",
        "--json",
    )
    assert result.exit_code == 0, result.output
    first, second = json.loads(result.stdout)
    assert first["weights"][1]["label"] == "beheren van informatie"
    assert first["add"][0]["label"] == "principes van kunstmatige intelligentie"
    assert second["weights"][1] == {
        "kind": "skill",
        "target": SKILLS["verwarmingsketels"].uri,
        "factor": 0.0,
        "label": "verwarmingsketels installeren",
    }


def test_batch_on_worker_processes_writes_what_one_process_writes(index, tmp_path):
    feed = Path(__file__).parent / "fixtures" / "feeds" / "synthetic_small.jsonl"
    one, two = tmp_path / "one.jsonl", tmp_path / "workers.jsonl"
    assert run("batch", feed, "--out", one).exit_code == 0
    result = run("batch", feed, "--out", two, "--backend", "processes", "--workers", "1")
    assert result.exit_code == 0, result.output
    assert "processes" in result.output
    assert two.read_bytes() == one.read_bytes()


def test_batch_names_the_backends_when_given_an_unknown_one(tmp_path):
    feed = Path(__file__).parent / "fixtures" / "feeds" / "synthetic_small.jsonl"
    result = run("batch", feed, "--out", tmp_path / "o.jsonl", "--backend", "threads")
    assert result.exit_code == 2
    assert "'local', 'processes' or 'ray'" in one_line(result.output)
