"""The synthetic feed generator: deterministic, realistic shape, known trends and re-posts."""

from __future__ import annotations

import json
from datetime import date

import pytest

from extractor.ingest import read_feed
from matcher.trends.synthetic import (
    OCCUPATIONS,
    SKILLS,
    InjectedTrend,
    generate_feed,
    write_feed,
)


def test_same_arguments_give_the_same_feed():
    first = [v.feed_record() for v in generate_feed(300, seed=3)]
    assert first == [v.feed_record() for v in generate_feed(300, seed=3)]
    assert first != [v.feed_record() for v in generate_feed(300, seed=4)]


def test_feed_spans_the_period_with_reposts_on_other_boards():
    vacancies = list(generate_feed(2000, seed=1))
    originals = {v.id: v for v in vacancies if not v.duplicate_of}
    reposts = [v for v in vacancies if v.duplicate_of]
    assert len(originals) == 2000 and 100 < len(reposts) < 220
    assert min(v.date for v in vacancies) == date(2022, 1, 1)
    assert max(v.date for v in vacancies) <= date(2024, 12, 31)
    for repost in reposts:
        original = originals[repost.duplicate_of]
        assert repost.board != original.board and repost.region == original.region
        assert 0 <= (repost.date - original.date).days <= 14
    assert {v.occupation.key for v in vacancies} == {o.key for o in OCCUPATIONS}


def test_injected_trend_changes_the_share_and_others_stay_flat():
    vacancies = [v for v in generate_feed(20_000, seed=2) if not v.duplicate_of]

    def share(skill, occupation, year):
        pool = [v for v in vacancies if v.occupation.key == occupation and v.date.year == year]
        return sum(skill in v.skills for v in pool) / len(pool)

    assert share("warmtepompen", "verwarmingsmonteur", 2022) < 0.2
    assert share("warmtepompen", "verwarmingsmonteur", 2024) > 0.35
    assert abs(share("solderen", "verwarmingsmonteur", 2022) - 0.35) < 0.05
    assert abs(share("solderen", "verwarmingsmonteur", 2024) - 0.35) < 0.05


def test_written_feed_is_read_back_as_vacancies(tmp_path):
    path = tmp_path / "feed.jsonl"
    assert write_feed(generate_feed(20, seed=5), path) >= 20
    documents = list(read_feed(path))
    first = json.loads(path.read_text().splitlines()[0])
    assert documents[0].metadata["region"] == first["region"]
    assert documents[0].metadata["date_posted"] == first["date_posted"]
    assert documents[0].kind == "vacancy" and documents[0].text.startswith(first["title"])


def test_a_trend_on_an_unknown_skill_is_refused():
    with pytest.raises(ValueError, match="unknown skill 'blockchain'"):
        next(generate_feed(10, trends=[InjectedTrend("blockchain", ("boekhouder",), 0.1, 0.5)]))


@pytest.mark.slow
def test_every_skill_phrase_is_linked_to_its_skill_by_the_extractor(index):
    """The catalogue's promise: each phrase, as a vacancy bullet, yields its ESCO skill."""
    from extractor.ingest import document_from_text
    from extractor.linking import ConceptLinker
    from extractor.pipeline import SkillExtractor

    extractor = SkillExtractor(index, ConceptLinker(index))
    items = [(key, phrase) for key, skill in SKILLS.items() for phrase in skill.phrases]
    text = "Monteur\n\nWat vragen wij?\n" + "\n".join(f"- {p}" for _, p in items)
    result = extractor.extract(document_from_text(text, kind="vacancy"))
    found = {c.uri for c in result.skills if c.method != "inferred"}
    missing = [(key, phrase) for key, phrase in items if SKILLS[key].uri not in found]
    assert missing == []
