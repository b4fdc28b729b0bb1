"""The evaluation harness: metric definitions, `vaardig eval` on real files, and bad eval files."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eval.metrics import ranking_metrics, rp_at_k, set_metrics
from vaardig.cli import app

runner = CliRunner()
FORKLIFT = "http://data.europa.eu/esco/skill/28cb374e-6261-4133-8371-f9a5470145da"
FIRST_AID = "http://data.europa.eu/esco/skill/f7464f30-662b-4177-85a0-3df9693e9e58"  # knowledge
PROVIDE_FIRST_AID = "http://data.europa.eu/esco/skill/1d21f6ad-340f-45da-a0a3-4e83867f47a6"
BOOKKEEPING = "http://data.europa.eu/esco/skill/ecc18804-a466-40d9-98b4-fba5cd67dd4b"
FORKLIFT_DRIVER = "http://data.europa.eu/esco/occupation/eeac6251-1974-42f5-91ed-513c6c883755"
BOOKKEEPER = "http://data.europa.eu/esco/occupation/c3aae59e-1441-4b3e-bdd1-6da50dc7cf42"


@pytest.fixture(scope="module", autouse=True)
def _index_built(index):
    """The CLI loads the same cached index the session fixture built."""


def one_line(text: str) -> str:
    """The CLI's message as one line (the terminal wraps it at spaces)."""
    return " ".join(text.split())


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


# --- metric definitions (the shared eval README's), computed by hand -------------------------


def test_ranking_metrics_follow_the_shared_definitions():
    rankings = [["a", "b", "c"], ["x", "y", "z", "w", "v", "g"], ["p"]]
    golds = [{"b"}, {"g", "q"}, {"q"}]  # ranks 2, 6 and none
    m = ranking_metrics(rankings, golds)
    assert m["mrr"] == pytest.approx((1 / 2 + 1 / 6 + 0) / 3)
    assert m["acc@1"] == 0.0
    assert m["r@5"] == pytest.approx(1 / 3)
    assert m["r@10"] == pytest.approx(2 / 3)
    with pytest.raises(ValueError):
        ranking_metrics([["a"]], [{"a"}, {"b"}])


def test_rp_at_k_divides_by_the_smaller_of_k_and_the_gold_size():
    ranking = ["a", "b", "c", "d", "e", "f"]
    two_gold = {"a", "f"}  # one of two in the top 5: 1 / min(5, 2)
    seven_gold = set("abcdefg")  # five of seven in the top 5: 5 / min(5, 7)
    assert rp_at_k([ranking], [two_gold], 5) == pytest.approx(50.0)
    assert rp_at_k([ranking], [seven_gold], 5) == pytest.approx(100.0)
    # a text without gold has nothing to rank: it does not count
    both = rp_at_k([ranking, ranking, ["z"]], [two_gold, seven_gold, set()], 5)
    assert both == pytest.approx(75.0)


def test_set_metrics_are_micro_averaged_over_texts():
    m = set_metrics([{"a", "b"}, {"c"}, {"x"}], [{"a"}, {"c", "d"}, set()])
    assert m["precision"] == pytest.approx(2 / 4)  # "x" claimed where nothing was named
    assert m["recall"] == pytest.approx(2 / 3)
    assert m["f1"] == pytest.approx(2 * (1 / 2) * (2 / 3) / (1 / 2 + 2 / 3))
    assert set_metrics([set()], [set()]) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


# --- vaardig eval on real files -----------------------------------------------------------


def test_eval_normalisation_json_scores_exact_labels_first(tmp_path):
    data = write_jsonl(
        tmp_path / "skills.jsonl",
        [
            {"id": "1", "query": "heftrucks bedienen", "lang": "nl", "gold": [FORKLIFT]},
            {"id": "2", "query": "EHBO", "lang": "nl", "gold": [FIRST_AID]},
            {"id": "3", "query": "boekhouding", "lang": "nl", "gold": [BOOKKEEPING]},
            # a wrong gold on purpose: the forklift skill is first, first aid lower or absent
            {"id": "4", "query": "heftrucks bedienen", "lang": "nl", "gold": [FIRST_AID]},
        ],
    )
    result = runner.invoke(app, ["eval", "normalisation", "--data", str(data), "--json"])
    assert result.exit_code == 0, result.output
    m = json.loads(result.stdout)
    assert set(m) == {"mrr", "acc@1", "r@5", "r@10", "n", "queries_per_s"}
    assert m["n"] == 4
    assert m["acc@1"] == pytest.approx(0.75)
    assert 0.75 <= m["mrr"] < 1.0
    assert m["queries_per_s"] > 0


def test_eval_occupations_ranks_dutch_and_english_titles(tmp_path):
    data = write_jsonl(
        tmp_path / "titles.jsonl",
        [
            {"id": "1", "query": "heftruckchauffeur", "lang": "nl", "gold": [FORKLIFT_DRIVER]},
            {"id": "2", "query": "bookkeeper", "lang": "en", "gold": [BOOKKEEPER]},
        ],
    )
    result = runner.invoke(app, ["eval", "occupations", "--data", str(data), "--json"])
    assert result.exit_code == 0, result.output
    m = json.loads(result.stdout)
    assert m["acc@1"] == 1.0 and m["mrr"] == 1.0


def test_eval_extraction_reports_ranking_and_returned_skills(tmp_path):
    data = write_jsonl(
        tmp_path / "sentences.jsonl",
        [
            {
                "id": "1",
                "text": "Je rijdt op een heftruck en hebt een geldig EHBO-diploma.",
                "lang": "nl",
                "gold": [FORKLIFT, PROVIDE_FIRST_AID],
            },
            # no skill named: counts for precision, not for RP@K or MRR
            {"id": "2", "text": "Ons bedrijf zit sinds 1982 in Tilburg.", "lang": "nl", "gold": []},
        ],
    )
    result = runner.invoke(app, ["eval", "extraction", "--data", str(data), "--json"])
    assert result.exit_code == 0, result.output
    m = json.loads(result.stdout)
    assert set(m) == {"rp@5", "rp@10", "mrr", "precision", "recall", "f1", "n", "texts_per_s"}
    assert m["n"] == 2
    assert m["rp@5"] == pytest.approx(100.0)
    assert m["mrr"] == pytest.approx(1.0)  # the text without gold does not pull MRR down
    assert m["recall"] == pytest.approx(1.0)
    assert 0.0 < m["precision"] <= 1.0


def test_eval_table_names_every_metric(tmp_path):
    data = write_jsonl(
        tmp_path / "skills.jsonl",
        [{"id": "1", "query": "EHBO", "lang": "nl", "gold": [FIRST_AID]}],
    )
    result = runner.invoke(app, ["eval", "normalisation", "--data", str(data)])
    assert result.exit_code == 0, result.output
    for name in ("mrr", "acc@1", "r@5", "r@10", "queries_per_s"):
        assert name in result.stdout


def test_make_eval_writes_dated_tables_with_the_encoder(tmp_path):
    from eval import run_all
    from vaardig.engine import Engine

    data = tmp_path / "data"
    data.mkdir()
    write_jsonl(
        data / "skills.jsonl",
        [{"id": "1", "query": "heftrucks bedienen", "lang": "nl", "gold": [FORKLIFT]}],
    )
    held_out = "extraction_nl_vaardig_vacatures_test.jsonl"  # a name in run_all.HELD_OUT
    write_jsonl(
        data / held_out,
        [{"id": "1", "text": "Je rijdt op een heftruck.", "lang": "nl", "gold": [FORKLIFT]}],
    )
    engine = Engine()
    suite = (
        ("normalisation", "skills.jsonl", "mrr", None),
        ("extraction", held_out, "rp@5", None),
    )
    run_all.main([], suite=suite, data=data, results=tmp_path / "results", engine=engine)
    payload = json.loads((tmp_path / "results" / "results.json").read_text())
    assert payload["encoder"] == engine.encoder.id
    row, extraction = payload["results"]
    assert row["metrics"]["mrr"] == 1.0 and row["date"] == payload["date"]
    assert extraction["metrics"]["rp@5"] == 100.0
    table = (tmp_path / "results" / "results.md").read_text()
    assert payload["date"] in table and engine.encoder.id in table
    assert "| normalisation | skills.jsonl | mrr | 1.000 | — |" in table
    assert f"| extraction | {held_out} (*held-out*) | rp@5 | 100.000 | — |" in table
    assert "| skills.jsonl (*held-out*)" not in table


# --- bad eval files: one line that says what is wrong, exit code 2 --------------------------


@pytest.mark.parametrize(
    ("task", "content", "message"),
    [
        ("normalisation", b'{"id": 1, "query": "EHBO", "gold": ["u"]}\n{"id": 2}\n', ":2: "),
        ("normalisation", b"not json\n", ":1: not an eval record"),
        ("normalisation", b'{"id": 1, "query": "EHBO", "gold": "u"}\n', "list of URIs"),
        ("normalisation", b'{"id": 1, "query": "EHBO", "gold": []}\n', "needs a gold URI"),
        ("normalisation", b'{"id": 1, "query": "  ", "gold": ["u"]}\n', "'query' is empty"),
        ("extraction", b'{"id": 1, "text": "x", "lang": "de", "gold": []}\n', "nl or en"),
        ("extraction", b'{"id": 1, "query": "EHBO", "gold": ["u"]}\n', "no field 'text'"),
        ("extraction", b"\n\n", "no examples"),
        ("occupations", '{"id": 1, "query": "kok"}\n'.encode("utf-16"), "not UTF-8"),
        ("skills", b'{"id": 1, "query": "EHBO", "gold": ["u"]}\n', "unknown task 'skills'"),
    ],
    ids=[
        "line without query",
        "not json",
        "gold not a list",
        "ranking gold empty",
        "blank query",
        "unknown language",
        "wrong text field",
        "blank lines only",
        "utf-16",
        "unknown task",
    ],
)
def test_a_bad_eval_file_gets_one_clear_error(tmp_path, task, content, message):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(content)
    result = runner.invoke(app, ["eval", task, "--data", str(path), "--json"])
    assert result.exit_code == 2
    assert message in one_line(result.stderr)
    assert not result.stdout.strip()  # no metrics that look like a result


def test_a_missing_eval_file_says_what_to_give(tmp_path):
    result = runner.invoke(app, ["eval", "normalisation", "--data", str(tmp_path / "no.jsonl")])
    assert result.exit_code == 2
    assert "file not found" in one_line(result.stderr) and "eval/data/" in result.stderr


# --- the shipped dev sets ----------------------------------------------------------------

DEV_SETS = sorted((Path(__file__).parents[1] / "eval" / "data").glob("*.jsonl"))


@pytest.mark.parametrize("path", DEV_SETS, ids=[p.name for p in DEV_SETS])
def test_every_dev_set_reads_and_make_eval_runs_it(path):
    from eval.run_all import SUITE
    from eval.tasks import read_examples

    field = "text" if path.name.startswith("extraction") else "query"
    examples = read_examples(path, field, empty_gold=field == "text")
    assert len({e.id for e in examples}) == len(examples)  # ids are unique
    assert path.name in {name for _, name, _, _ in SUITE}


def _drawn(*args: str) -> list[dict]:
    import subprocess
    import sys

    script = Path(__file__).parents[1] / "scripts" / "sample_dutch_extraction_sentences.py"
    out = subprocess.run(
        [sys.executable, str(script), *args], capture_output=True, text=True, check=True
    ).stdout
    return [json.loads(line) for line in out.splitlines()]


def _rows(name: str) -> list[dict]:
    path = Path(__file__).parents[1] / "eval" / "data" / name
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


@pytest.mark.parametrize(
    ("name", "args", "n_gold", "n_empty"),
    [
        ("extraction_nl_vaardig_vacatures.jsonl", (), 147, 46),
        ("extraction_nl_vaardig_vacatures_test.jsonl", ("--held-out",), 110, 42),
    ],
)
def test_the_dutch_sets_are_the_scripted_samples_with_known_skills(
    taxonomy, name, args, n_gold, n_empty
):
    rows = _rows(name)
    assert [(r["id"], r["text"]) for r in rows] == [(d["id"], d["text"]) for d in _drawn(*args)]
    gold = [uri for r in rows for uri in r["gold"]]
    assert len(gold) == n_gold and all(uri in taxonomy for uri in gold)
    assert sum(not r["gold"] for r in rows) == n_empty


def test_the_held_out_dutch_set_shares_no_vacancy_with_the_dev_set_and_is_marked():
    from eval.run_all import HELD_OUT

    dev = {r["vacancy"] for r in _drawn()}
    held_out = {r["vacancy"] for r in _drawn("--held-out")}
    assert len(held_out) == 100 and not dev & held_out
    assert sorted(HELD_OUT) == ["extraction_nl_vaardig_vacatures_test.jsonl"]


# --- agreement between the two annotators of the Dutch set ------------------------------------


def _example(ident: str, gold: list[str], text: str = "t") -> object:
    from eval.tasks import Example

    return Example(ident, text, "nl", frozenset(gold))


def test_cohen_kappa_against_hand_computed_values():
    from eval.agreement import cohen_kappa

    assert cohen_kappa([True, False, True, False], [True, False, True, False]) == 1.0
    # observed 0.5, chance 0.5 * 0.5 + 0.5 * 0.5 = 0.5: no better than chance
    assert cohen_kappa([True, True, False, False], [True, False, True, False]) == 0.0
    # observed 0.75, chance 0.75 * 0.5 + 0.25 * 0.5 = 0.5: kappa (0.75 - 0.5) / 0.5
    assert cohen_kappa([True, True, True, False], [True, True, False, False]) == 0.5


def test_agreement_counts_skills_sets_and_sentences_naming_one():
    from eval.agreement import agreement

    pairs = [
        (_example("1", ["a", "b"]), _example("1", ["a"])),  # one shared, one missed
        (_example("2", []), _example("2", [])),  # both: no skill
        (_example("3", ["c"]), _example("3", ["d"])),  # both name one, not the same
        (_example("4", []), _example("4", ["e"])),  # disagree on whether there is one
    ]
    result = agreement(pairs)
    assert result["skills"]["precision"] == 1 / 3 and result["skills"]["recall"] == 1 / 3
    assert result["same_set"] == 0.25
    assert result["names_a_skill"]["agree"] == 0.75
    assert (result["skills_first"], result["skills_second"]) == (3, 3)


def test_a_second_annotation_of_other_sentences_is_refused():
    from eval.agreement import paired
    from eval.tasks import EvalDataError

    with pytest.raises(EvalDataError, match="not in the first"):
        paired([_example("1", [])], [_example("2", [])])
    with pytest.raises(EvalDataError, match="same text"):
        paired([_example("1", [], "een zin")], [_example("1", [], "een andere zin")])


def test_the_second_annotation_covers_the_first_60_sentences_with_known_skills(taxonomy):
    from eval.agreement import FIRST, SECOND, paired
    from eval.tasks import read_examples

    first = read_examples(FIRST, "text", True)
    pairs = paired(first, read_examples(SECOND, "text", True))
    assert [a.id for a, _ in pairs] == [e.id for e in first[:60]]
    assert all(uri in taxonomy for _, b in pairs for uri in b.gold)


def test_agreement_run_writes_the_engine_against_each_annotator(tmp_path):
    from eval import agreement
    from vaardig.engine import Engine

    text = "Je rijdt op een heftruck en hebt een geldig EHBO-diploma."
    first = write_jsonl(
        tmp_path / "a.jsonl", [{"id": "1", "text": text, "lang": "nl", "gold": [FORKLIFT]}]
    )
    second = write_jsonl(
        tmp_path / "b.jsonl",
        [{"id": "1", "text": text, "lang": "nl", "gold": [FORKLIFT, FIRST_AID]}],
    )
    out = tmp_path / "agreement.json"
    agreement.main(first, second, out, engine=Engine())
    result = json.loads(out.read_text())
    assert result["skills"]["precision"] == 0.5 and result["skills"]["recall"] == 1.0
    engine = result["engine"]
    assert engine["against_first"]["recall"] == 1.0  # the forklift is found
    assert engine["against_second"]["recall"] > 0.0


def test_the_agreement_command_refuses_a_bad_annotation_file_with_exit_2(tmp_path):
    import subprocess
    import sys

    good = Path(__file__).parents[1] / "eval" / "data" / "extraction_nl_vaardig_vacatures.jsonl"
    bad = tmp_path / "b.jsonl"
    bad.write_text('{"id": "1", "text": "Je last."}\n', encoding="utf-8")
    out = tmp_path / "agreement.json"
    for second in (bad, tmp_path / "missing.jsonl"):
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "eval.agreement",
                "--first",
                str(good),
                "--second",
                str(second),
                "--out",
                str(out),
            ],
            capture_output=True,
            text=True,
            cwd=Path(__file__).parents[1],
        )
        assert run.returncode == 2, run.stderr
        assert run.stderr.startswith("error: ") and str(second) in run.stderr
        assert "Traceback" not in run.stderr
    assert not out.exists()


def test_an_experiment_writes_its_results_with_run_time_and_date(tmp_path):
    import time

    from eval.experiments import write_results

    path = tmp_path / "experiments" / "x.json"
    write_results(path, {"mrr": 0.5}, time.perf_counter() - 3)
    written = json.loads(path.read_text())
    assert written["mrr"] == 0.5 and written["seconds"] == 3
    assert written["measured"].startswith("20")
