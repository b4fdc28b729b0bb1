"""The bundled ESCO v1.1.1 taxonomy: counts, labels, hierarchy, relations and lookups."""

import gzip
import shutil

import pandas as pd
import pytest

from taxonomy import ConceptNotFound, TaxonomyDataError, load_taxonomy, normalise_label
from taxonomy.loader import BUNDLED_DIR


def _count_rows(rel: str) -> int:
    return len(pd.read_csv(BUNDLED_DIR / rel, dtype=str, keep_default_na=False))


def test_counts_match_the_source_files(taxonomy):
    assert taxonomy.count("skill") == _count_rows("en/skills_en.csv.gz") == 13896
    assert taxonomy.count("occupation") == _count_rows("en/occupations_en.csv.gz") == 3007
    assert taxonomy.count("skill_group") == _count_rows("en/skillGroups_en.csv.gz")
    assert taxonomy.count("capability") == 112
    relations = _count_rows("en/occupationSkillRelations.csv.gz")
    assert sum(len(v) for v in taxonomy.occupation_skills.values()) == relations


def test_dutch_labels_present_for_about_half_of_the_skills(taxonomy):
    with_nl = sum(1 for c in taxonomy.iter("skill") if not c.label_is_fallback)
    assert with_nl == 6940
    assert all(c.pref_nl for c in taxonomy.iter("occupation"))


def test_label_falls_back_to_english_and_says_so(taxonomy):
    c = taxonomy.get("http://data.europa.eu/esco/skill/0005c151-5b5a-4a66-8aac-60e734beb1ab")
    assert c.label == "manage musical staff"
    assert c.label_is_fallback


def test_skill_has_types_collections_and_groups(taxonomy):
    haskell = taxonomy.find_label("haskell", kind="skill")[0].concept
    assert haskell.skill_type == "knowledge"
    assert haskell.reuse_level == "sector-specific"
    assert "digital" in haskell.collections
    assert "computer programming" in [b.pref_en for b in taxonomy.broader_of(haskell.uri)]
    groups = [g.pref_en for g in taxonomy.skill_groups(haskell.uri)]
    assert groups[0] == "software and applications development and analysis"


def test_occupation_has_isco_group_and_essential_skills_first(taxonomy):
    nurse = taxonomy.find_label("Verpleegkundige algemene zorg", kind="occupation")
    assert nurse, "Dutch occupation label lookup failed"
    occ = nurse[0].concept
    assert occ.isco_group and occ.isco_group.isdigit()
    rels = taxonomy.skills_of(occ.uri)
    assert rels and rels[0][1] == "essential"
    assert {r for _, r in rels} <= {"essential", "optional"}
    assert any(o.uri == occ.uri for o, _ in taxonomy.occupations_of(rels[0][0].uri))


def test_broader_and_narrower_are_inverse(taxonomy):
    skill = taxonomy.find_label("haskell", kind="skill")[0].concept
    parent = taxonomy.broader_of(skill.uri)[0]
    assert skill in taxonomy.narrower_of(parent.uri)


def test_lookup_is_case_and_diacritic_insensitive(taxonomy):
    hits = taxonomy.find_label("  HEFTRUCKS   bedienen ")
    assert [h.concept.pref_en for h in hits] == ["operate forklift"]
    assert normalise_label("Coördineren") == "coordineren"


def test_exact_lookup_puts_the_concept_with_that_preferred_label_first(taxonomy):
    hits = taxonomy.find_label("boekhouder", kind="occupation")
    assert len(hits) > 1  # also an alternative label of e.g. "hoofd boekhouding"
    assert hits[0].concept.label == "boekhouder"
    assert all(h.label != h.concept.pref_nl for h in hits[1:])


def test_prefix_completion_returns_shortest_first(taxonomy):
    hits = taxonomy.complete("heftruck", limit=5)
    assert hits and all(normalise_label(h.label).startswith("heftruck") for h in hits)
    lengths = [len(h.label) for h in hits]
    assert lengths == sorted(lengths)
    assert all(h.concept.kind == "skill" for h in taxonomy.complete("las", kind="skill"))


def test_competentnl_is_a_separate_marked_vocabulary(taxonomy):
    caps = list(taxonomy.iter("capability"))
    assert all(c.vocabulary == "competentnl" and c.pref_nl for c in caps)
    assert all(c.vocabulary == "esco" for c in taxonomy.iter("skill"))


def test_unknown_uri_is_a_clear_not_found(taxonomy):
    with pytest.raises(ConceptNotFound, match="no concept with URI"):
        taxonomy.get("http://data.europa.eu/esco/skill/does-not-exist")


@pytest.mark.parametrize("query", ["", "   ", "\n"])
def test_empty_query_is_rejected(taxonomy, query):
    with pytest.raises(ValueError, match="empty query"):
        taxonomy.find_label(query)
    with pytest.raises(ValueError, match="empty query"):
        taxonomy.complete(query)


def test_attribution_names_esco(taxonomy):
    assert "This service uses the ESCO classification of the European Commission." in (
        taxonomy.attribution
    )


def test_missing_data_file_names_the_file(tmp_path):
    folder = tmp_path / "tax"
    shutil.copytree(BUNDLED_DIR, folder)
    (folder / "en" / "occupations_en.csv.gz").unlink()
    with pytest.raises(TaxonomyDataError, match=r"occupations_en\.csv\.gz: file not found"):
        load_taxonomy(folder, cache_dir=tmp_path / "cache")


def test_corrupt_data_file_names_the_file(tmp_path):
    folder = tmp_path / "tax"
    shutil.copytree(BUNDLED_DIR, folder)
    (folder / "en" / "skills_en.csv.gz").write_bytes(b"\x1f\x8b\x08garbage")
    with pytest.raises(TaxonomyDataError, match=r"skills_en.csv.gz: cannot be read"):
        load_taxonomy(folder, cache_dir=tmp_path / "cache")


def test_missing_column_names_the_file_and_column(tmp_path):
    folder = tmp_path / "tax"
    shutil.copytree(BUNDLED_DIR, folder)
    with gzip.open(folder / "en" / "skills_en.csv.gz", "wt") as fh:
        fh.write("conceptUri,label\nhttp://x,y\n")
    with pytest.raises(TaxonomyDataError, match=r"skills_en\.csv\.gz: lacks the column"):
        load_taxonomy(folder, cache_dir=tmp_path / "cache")


def test_parsed_cache_is_reused_and_a_damaged_one_is_rebuilt(tmp_path, mini_taxonomy_dir):
    first = load_taxonomy(mini_taxonomy_dir, cache_dir=tmp_path)
    cached = list((tmp_path / "taxonomy").glob("*.pickle"))
    assert len(cached) == 1
    cached[0].write_bytes(b"not a pickle")
    again = load_taxonomy(mini_taxonomy_dir, cache_dir=tmp_path)
    assert again.count("skill") == first.count("skill") > 100
    assert cached[0].read_bytes() != b"not a pickle"


def test_resolve_takes_a_uri_or_a_label_and_prefers_a_preferred_label(taxonomy):
    mentor = "http://data.europa.eu/esco/skill/a584a638-a2c0-4b3c-bdf3-a64f87225be9"
    # "mentor individuals" is this skill's preferred label and another skill's alternative one
    assert len({h.concept.uri for h in taxonomy.find_label("mentor individuals", "skill")}) == 2
    assert taxonomy.resolve("Mentor  Individuals", "skill").uri == mentor
    assert taxonomy.resolve(mentor, "skill").uri == mentor
    assert taxonomy.resolve(mentor, "occupation") is None  # a URI of another kind
    assert taxonomy.resolve("http://data.europa.eu/esco/skill/nope", "skill") is None
    assert taxonomy.resolve("tijdreizen", "skill") is None
