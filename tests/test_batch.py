"""Batch extraction of feeds: records, near-duplicates, checkpoints and resuming after a crash."""

from __future__ import annotations

import json
import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from extractor.batch import (
    Checkpoint,
    DedupeSettings,
    MinHasher,
    RunState,
    VacancyRecord,
    is_record_file,
    process_feed,
    read_records,
)
from extractor.documents import Document
from matcher.trends.synthetic import SKILLS, generate_feed

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
SMALL = FEEDS / "synthetic_small.jsonl"


def _document(vacancy) -> Document:
    return Document(
        text=vacancy.text,
        lang="nl",
        source=vacancy.id,
        kind="vacancy",
        metadata={"id": vacancy.id, "date_posted": vacancy.date.isoformat()},
    )


# --- records -------------------------------------------------------------------------------
def test_record_round_trips_through_one_json_line(tmp_path):
    record = VacancyRecord(
        id="V-1",
        source="feed.jsonl#V-1",
        date="2024-03-01",
        region="Groningen",
        title="Monteur",
        occupation="http://data.europa.eu/esco/occupation/x",
        isco_group="7126",
        skills=(("http://data.europa.eu/esco/skill/a", 0.95, "exact"),),
    )
    line = record.to_json()
    assert "\n" not in line
    path = tmp_path / "r.jsonl"
    path.write_text(line + "\n\n")
    assert list(read_records(path)) == [record]
    assert is_record_file(path)


def test_a_feed_is_not_a_record_file_and_a_bad_line_names_file_and_line(tmp_path):
    assert not is_record_file(SMALL)
    path = tmp_path / "r.jsonl"
    path.write_text(VacancyRecord(id="a", source="a").to_json() + '\n{"title": 1}\n')
    with pytest.raises(ValueError, match=r"r\.jsonl, line 2: not an extracted vacancy record"):
        list(read_records(path))


# --- near-duplicates -----------------------------------------------------------------------
def test_minhash_estimates_jaccard_similarity():
    hasher = MinHasher()
    vacancies = list(generate_feed(400, seed=3))
    by_id = {v.id: v for v in vacancies}
    a, b = vacancies[0].text, vacancies[1].text
    assert (hasher.signature(a) == hasher.signature(a)).all()
    shingles_a, shingles_b = set(hasher.shingle_hashes(a)), set(hasher.shingle_hashes(b))
    jaccard = len(shingles_a & shingles_b) / len(shingles_a | shingles_b)
    estimate = float((hasher.signature(a) == hasher.signature(b)).mean())
    assert abs(estimate - jaccard) < 0.15
    repost = next(v for v in vacancies if v.duplicate_of)
    original = by_id[repost.duplicate_of]
    similarity = (hasher.signature(repost.text) == hasher.signature(original.text)).mean()
    assert similarity >= DedupeSettings().threshold


def test_duplicate_index_drops_reposts_and_keeps_distinct_vacancies(tmp_path):
    state = RunState(tmp_path / "state", {"test": 1}, DedupeSettings())
    found, missed, false = 0, 0, 0
    for seq, vacancy in enumerate(generate_feed(2000, seed=5), 1):
        original = state.duplicate_of(seq, _document(vacancy))
        if vacancy.duplicate_of:
            found += original == vacancy.duplicate_of
            missed += original != vacancy.duplicate_of
        else:
            false += original is not None
    assert found > 100
    assert missed <= 0.02 * found
    assert false <= 2  # of 2000 distinct vacancies
    assert len(state.duplicates()) == found + false


def test_the_same_text_months_later_is_new_demand(tmp_path):
    state = RunState(tmp_path / "state", {}, DedupeSettings(window_days=90))
    vacancy = next(iter(generate_feed(1)))
    first = _document(vacancy)
    later = Document(
        **{
            **first.__dict__,
            "metadata": {
                "id": "LATER",
                "date_posted": (vacancy.date + timedelta(days=200)).isoformat(),
            },
        }
    )
    soon = Document(
        **{
            **first.__dict__,
            "metadata": {
                "id": "SOON",
                "date_posted": (vacancy.date + timedelta(days=60)).isoformat(),
            },
        }
    )
    assert state.duplicate_of(1, first) is None
    assert state.duplicate_of(2, later) is None
    assert state.duplicate_of(3, soon) == vacancy.id


def test_forgetting_after_a_checkpoint_drops_uncommitted_postings(tmp_path):
    path = tmp_path / "state"
    vacancies = list(generate_feed(3, seed=2, duplicate_rate=0))
    state = RunState(path, {}, DedupeSettings())
    state.duplicate_of(1, _document(vacancies[0]))
    state.commit(Checkpoint(seq=1))
    state.duplicate_of(2, _document(vacancies[1]))
    state.commit(Checkpoint(seq=1))  # batch 2 was in flight when this checkpoint was taken
    state.close()
    resumed = RunState(path, {}, DedupeSettings())
    resumed.forget_after(resumed.checkpoint.seq)
    assert resumed.duplicate_of(2, _document(vacancies[1])) is None  # not its own duplicate
    assert resumed.duplicate_of(3, _document(vacancies[0])) == vacancies[0].id


# --- the batch job through the real extractor --------------------------------------------
@pytest.fixture(scope="module")
def extractor(index):
    from extractor.linking import ConceptLinker
    from extractor.pipeline import SkillExtractor

    return SkillExtractor(index, ConceptLinker(index))


@pytest.fixture(scope="module")
def full_run(extractor, tmp_path_factory):
    out = tmp_path_factory.mktemp("batch") / "extracted.jsonl"
    report = process_feed([SMALL], extractor, out, batch_size=2)
    return report, out


def _feed_truth() -> dict[str, dict]:
    return {r["id"]: r for r in map(json.loads, SMALL.read_text().splitlines())}


def test_batch_writes_one_record_per_distinct_vacancy(full_run):
    report, out = full_run
    truth = _feed_truth()
    records = list(read_records(out))
    originals = [i for i, r in truth.items() if r.get("date_posted") and not r["duplicate_of"]]
    assert [r.id for r in records] == originals
    assert (report.written, report.duplicates, report.skipped_bad) == (6, 3, 1)
    for record in records:
        assert record.date == truth[record.id]["date_posted"]
        assert record.region == truth[record.id]["region"]
        assert record.skills and record.occupation and record.isco_group


def test_batch_records_hold_the_skills_the_vacancies_ask_for(full_run):
    _, out = full_run
    by_phrase = {p: s.uri for s in SKILLS.values() for p in s.phrases}
    truth = _feed_truth()
    asked = found = 0
    for record in read_records(out):
        description = truth[record.id]["description"]
        expected = {uri for phrase, uri in by_phrase.items() if f"- {phrase}\n" in description}
        extracted = {uri for uri, _, method in record.skills if method != "inferred"}
        asked += len(expected)
        found += len(expected & extracted)
    assert asked >= 15
    assert found / asked >= 0.9


def test_a_crashed_run_resumes_without_counting_a_vacancy_twice(extractor, full_run, tmp_path):
    _, complete = full_run
    out = tmp_path / "extracted.jsonl"

    class Crash(Exception):
        pass

    def crash_after_first_checkpoint(progress):
        raise Crash

    with pytest.raises(Crash):
        process_feed([SMALL], extractor, out, batch_size=2, progress=crash_after_first_checkpoint)
    assert len(out.read_text().splitlines()) == 2
    with out.open("a") as handle:  # the process died halfway through writing the next batch
        handle.write('{"id":"VAC-0000')
    report = process_feed([SMALL], extractor, out, batch_size=2, resume=True)
    assert report.resumed_from > 0 and report.extracted == 4
    assert (report.written, report.duplicates) == (6, 3)
    assert out.read_bytes() == complete.read_bytes()
    again = process_feed([SMALL], extractor, out, batch_size=2, resume=True)
    assert again.extracted == 0 and out.read_bytes() == complete.read_bytes()


def test_an_existing_output_is_never_overwritten_without_resume(extractor, full_run, tmp_path):
    _, complete = full_run
    out = tmp_path / "extracted.jsonl"
    shutil.copy(complete, out)
    with pytest.raises(ValueError, match="pass --resume"):
        process_feed([SMALL], extractor, out)
    with pytest.raises(ValueError, match="has no checkpoint"):
        process_feed([SMALL], extractor, out, resume=True)


def test_resuming_a_damaged_output_is_refused(extractor, full_run, tmp_path):
    _, complete = full_run
    out = tmp_path / "extracted.jsonl"
    out.write_bytes(complete.read_bytes()[:100])
    shutil.copy(complete.with_name(complete.name + ".state"), out.with_name(out.name + ".state"))
    with pytest.raises(ValueError, match=r"shorter .* than its checkpoint"):
        process_feed([SMALL], extractor, out, batch_size=2, resume=True)


def test_resuming_with_another_feed_is_refused(extractor, full_run, tmp_path):
    _, complete = full_run
    out = tmp_path / "extracted.jsonl"
    shutil.copy(complete, out)
    shutil.copy(complete.with_name(complete.name + ".state"), out.with_name(out.name + ".state"))
    other = tmp_path / "other.jsonl"
    other.write_text(SMALL.read_text().split("\n", 1)[0] + "\n")
    with pytest.raises(ValueError, match="checkpoint of a different run"):
        process_feed([other], extractor, out, resume=True)


def test_trend_analysis_reads_the_extracted_feed(full_run, taxonomy):
    from matcher.trends import analyse_trends, count_demand

    _, out = full_run
    counts = count_demand(read_records(out), taxonomy, by="quarter")
    assert counts.records == 6 and counts.periods[0] == "2022Q1" and counts.periods[-1] == "2024Q3"
    assert counts.vacancies["all"].sum() == 6
    for record in read_records(out):
        for uri, confidence, method in record.skills:
            if method != "inferred" and confidence >= 0.5:
                assert counts.counts["all"][("skill", uri)].sum() >= 1
    report = analyse_trends(counts, taxonomy, min_count=2, forecast_top=1)
    assert report.settings["tests"] >= 1


def test_missing_feed_and_bad_backend_are_user_errors(extractor, tmp_path):
    with pytest.raises(FileNotFoundError, match="no such feed"):
        process_feed([tmp_path / "nope.jsonl"], extractor, tmp_path / "o.jsonl")
    with pytest.raises(ValueError, match="backend must be"):
        process_feed([SMALL], extractor, tmp_path / "o.jsonl", backend="spark")  # type: ignore[arg-type]


def test_one_vacancy_per_batch_gives_the_same_output_and_every_checkpoint(
    extractor, full_run, tmp_path
):
    """The local backend streams the documents of all batches through the extractor; every
    batch is still checkpointed, in feed order, each as soon as its vacancy is written."""
    _, complete = full_run
    seen: list = []
    out = tmp_path / "one_per_batch.jsonl"
    process_feed([SMALL], extractor, out, batch_size=1, progress=seen.append)
    assert out.read_bytes() == complete.read_bytes()
    consumed = [p.consumed for p in seen]
    assert consumed == sorted(set(consumed))
    assert [p.written for p in seen][:6] == [1, 2, 3, 4, 5, 6]
    assert (seen[-1].written, seen[-1].duplicates) == (6, 3)
