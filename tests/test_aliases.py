"""The curated Dutch alias table: real CSV, real ESCO taxonomy."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from extractor.aliases import (
    COLUMNS,
    DEFAULT_ALIAS_PATH,
    Alias,
    AliasFileError,
    alias_fires,
    load_aliases,
    validate_aliases,
)
from taxonomy import Taxonomy, load_taxonomy

ESCO_SKILL = "http://data.europa.eu/esco/skill/"
FORKLIFT = ESCO_SKILL + "28cb374e-6261-4133-8371-f9a5470145da"  # operate forklift
HEADER = ",".join(COLUMNS)


@pytest.fixture(scope="module")
def esco() -> Taxonomy:
    return load_taxonomy()


@pytest.fixture(scope="module")
def aliases() -> list[Alias]:
    return load_aliases()


def concepts_for(alias: str, aliases: list[Alias], esco: Taxonomy):
    found = [esco.get(a.uri) for a in aliases if a.alias == alias]
    assert found, f"alias {alias!r} missing from the bundled table"
    return found


def the_alias(alias: str, aliases: list[Alias]) -> Alias:
    (row,) = [a for a in aliases if a.alias == alias]
    return row


# --- the bundled table ----------------------------------------------------------------------
def test_bundled_table_has_at_least_300_rows(aliases):
    assert len(aliases) >= 300


def test_every_uri_is_an_existing_esco_skill(aliases, esco):
    assert validate_aliases(aliases, esco) == []


def test_no_duplicate_alias_uri_pairs(aliases):
    pairs = Counter((a.alias.casefold(), a.uri) for a in aliases)
    assert [pair for pair, n in pairs.items() if n > 1] == []


def test_every_kind_is_represented(aliases):
    assert {a.kind for a in aliases} == {
        "certificate",
        "acronym",
        "tool",
        "jargon",
        "language",
        "soft",
    }


def test_single_letter_aliases_require_context(aliases):
    single = [a for a in aliases if len(a.alias) == 1]
    assert {a.alias for a in single} >= {"C", "R"}
    assert all(a.requires_context and a.context_words for a in single)


def test_no_alias_lists_itself_as_context(aliases):
    assert [
        a.alias for a in aliases if a.alias.casefold() in map(str.casefold, a.context_words)
    ] == []


def test_language_aliases_point_at_esco_language_skills(aliases, esco):
    for a in aliases:
        if a.kind == "language":
            collections = esco.get(a.uri).collections
            assert any("language" in c for c in collections), a.alias


# --- spot checks: these fail if a mapping is wrong ------------------------------------------
def test_heftruckcertificaat_is_the_forklift_skill(aliases, esco):
    (concept,) = concepts_for("heftruckcertificaat", aliases, esco)
    assert concept.uri == FORKLIFT
    assert "forklift" in concept.pref_en


def test_reachtruck_is_the_forklift_skill(aliases, esco):
    assert [c.uri for c in concepts_for("reachtruck", aliases, esco)] == [FORKLIFT]


def test_vca_is_a_health_and_safety_skill(aliases, esco):
    (concept,) = concepts_for("VCA", aliases, esco)
    assert "health and safety" in concept.pref_en


def test_engels_is_the_english_language_skill(aliases, esco):
    (concept,) = concepts_for("Engels", aliases, esco)
    assert concept.pref_en == "English"
    assert any("language" in c for c in concept.collections)


def test_python_is_the_python_skill(aliases, esco):
    (concept,) = concepts_for("Python", aliases, esco)
    assert concept.pref_en.startswith("Python")


def test_rijbewijs_ce_maps_to_driving_and_heavy_trucks(aliases, esco):
    labels = {c.pref_en for c in concepts_for("rijbewijs CE", aliases, esco)}
    assert labels == {"drive vehicles", "manoeuvre heavy trucks"}


def test_bhv_covers_first_aid_fire_and_evacuation(aliases, esco):
    labels = " / ".join(c.pref_en for c in concepts_for("BHV", aliases, esco))
    assert "first aid" in labels
    assert "fire" in labels
    assert "evacuate" in labels


@pytest.mark.parametrize(
    ("alias", "english_label_part"),
    [
        ("EHBO", "first aid"),
        ("HACCP", "HACCP"),
        ("NEN 3140", "electrical safety"),
        ("Exact Online", "accounting systems"),
        ("Excel", "spreadsheet"),
        ("Word", "word processing"),
        ("loonadministratie", "payroll"),
        ("debiteurenbeheer", "accounts receivable"),
        ("orderpicken", "pick orders"),
        ("hoogwerker", "aerial work platforms"),
        ("MIG/MAG", "gas welding"),
        ("TIG", "tungsten inert gas welding"),
        ("warmtepomp", "heat pump"),
        ("zonnepanelen", "photovoltaic"),
        ("medicatie toedienen", "medication"),
        ("ADL-zorg", "basic support to patients"),
        ("Prince2", "Prince2"),
        ("SEO", "search engine optimisation"),
        ("stressbestendig", "stress"),
        ("teamspeler", "teams"),
        ("Duits", "German"),
    ],
)
def test_spot_check_mapping(alias, english_label_part, aliases, esco):
    labels = [c.pref_en for c in concepts_for(alias, aliases, esco)]
    assert any(english_label_part in label for label in labels), labels


# --- alias_fires ----------------------------------------------------------------------------
def test_c_needs_programming_context(aliases):
    c = the_alias("C", aliases)
    assert not alias_fires(c, "Ik heb rijbewijs C")
    assert alias_fires(c, "Programmeren in C en Python")


def test_word_is_not_the_dutch_verb(aliases):
    word = the_alias("Word", aliases)
    assert not alias_fires(word, "Word lid van ons team")
    assert alias_fires(word, "Kennis van Word en Excel")


def test_exact_needs_accounting_context(aliases):
    exact = the_alias("Exact", aliases)
    assert not alias_fires(exact, "Je werkt exact volgens de planning.")
    assert alias_fires(exact, "Ervaring met Exact Online is een pré.")


def test_language_alias_ignores_nationality(aliases):
    dutch = the_alias("Nederlands", aliases)
    assert not alias_fires(dutch, "Nationaliteit: Nederlands")
    assert alias_fires(dutch, "Talen: Nederlands (moedertaal), Engels")


def test_context_match_ignores_case_and_diacritics(aliases):
    adl = the_alias("ADL", aliases)
    assert alias_fires(adl, "ADL voor CLIENTEN thuis")  # context word is "cliënten"


def test_context_words_match_whole_words_only(aliases):
    r = the_alias("R", aliases)
    assert not alias_fires(r, "Rijbewijs R en een databank")  # 'data' inside 'databank'
    assert alias_fires(r, "Analyses in R en SPSS")


def test_alias_without_context_always_fires(aliases):
    assert alias_fires(the_alias("heftruckcertificaat", aliases), "Geen context nodig")


def test_alias_is_never_its_own_context():
    word = Alias(
        alias="Word",
        uri=ESCO_SKILL + "81633a44-f1db-4a01-a940-804c6905e330",
        lang="any",
        kind="tool",
        requires_context=True,
        context_words=("Word", "Excel"),
        note="",
    )
    assert not alias_fires(word, "Word lid")
    assert alias_fires(word, "Word en Excel")


# --- validation against the taxonomy --------------------------------------------------------
def test_validate_reports_unknown_and_non_skill_uris(esco):
    occupation = next(esco.iter("occupation"))
    unknown = ESCO_SKILL + "00000000-0000-0000-0000-000000000000"
    rows = [
        Alias("onbekend", unknown, "nl", "jargon", False, (), ""),
        Alias("beroep", occupation.uri, "nl", "jargon", False, (), ""),
        Alias("X", FORKLIFT, "nl", "acronym", False, (), ""),
    ]
    problems = validate_aliases(rows, esco)
    assert len(problems) == 3
    assert "onbekend" in problems[0] and "not in taxonomy" in problems[0]
    assert "beroep" in problems[1] and "not a skill" in problems[1]
    assert "single-letter" in problems[2]


# --- malformed files ------------------------------------------------------------------------
GOOD = f"heftruck,{FORKLIFT},nl,jargon,false,,forklift"


def write_csv(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "aliases.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_small_valid_file_loads(tmp_path):
    (alias,) = load_aliases(write_csv(tmp_path, HEADER, GOOD))
    assert alias == Alias("heftruck", FORKLIFT, "nl", "jargon", False, (), "forklift")


def test_default_path_is_the_bundled_csv():
    assert DEFAULT_ALIAS_PATH.name == "aliases_nl.csv"
    assert DEFAULT_ALIAS_PATH.is_file()


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        (f",{FORKLIFT},nl,jargon,false,,empty", "empty alias"),
        ("heftruck,http://data.europa.eu/esco/occupation/123,nl,jargon,false,,", "skill URI"),
        (f"heftruck,{FORKLIFT},nl,jargon,yes,,", "true or false"),
        (f"heftruck,{FORKLIFT},fr,jargon,false,,", "lang"),
        (f"heftruck,{FORKLIFT},nl,slang,false,,", "kind"),
        (f"Word,{FORKLIFT},any,tool,true,,", "no context_words"),
        (f"heftruck,{FORKLIFT},nl,jargon,false,magazijn,", "requires_context is false"),
        (f"C,{FORKLIFT},any,tool,false,,", "single-letter"),
        (f"heftruck,{FORKLIFT},nl,jargon,false,,a,b", "too many fields"),
        (GOOD, "duplicate row"),
    ],
)
def test_bad_row_names_file_and_line(tmp_path, bad_row, message):
    path = write_csv(tmp_path, HEADER, GOOD, bad_row)
    with pytest.raises(AliasFileError) as caught:
        load_aliases(path)
    assert caught.value.line == 3
    assert caught.value.path == str(path)
    assert message in str(caught.value)
    assert f"{path}, line 3" in str(caught.value)


def test_missing_column_is_reported_on_the_header_line(tmp_path):
    header = HEADER.replace(",note", "")
    path = write_csv(tmp_path, header, f"heftruck,{FORKLIFT},nl,jargon,false,")
    with pytest.raises(AliasFileError, match=r"line 1: missing column\(s\) note"):
        load_aliases(path)


def test_missing_file_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_aliases(tmp_path / "nope.csv")


# --- taxonomy labels that must not match exactly (label_blocks.csv) ---------------------------


def test_every_label_block_names_a_label_the_concept_really_has(esco):
    from extractor.aliases import load_label_blocks

    blocks = load_label_blocks()
    assert blocks
    for block in blocks:
        assert block.label in esco.get(block.uri).labels(), (block.label, block.uri)


def test_a_blocked_acronym_keeps_its_everyday_meaning(index):
    """'ICT' is an ESCO label of the in-circuit test of circuit boards too; in a Dutch text it
    is information technology, and only that is claimed."""
    from extractor.documents import Document
    from extractor.linking import ConceptLinker
    from extractor.pipeline import SkillExtractor

    text = "Je werkt op de afdeling ICT en beheert de laptops."
    doc = Document(text=text, lang="nl", source="t", kind="text")
    blocked = SkillExtractor(index, ConceptLinker(index))
    exact = {c.label for c in blocked.extract(doc).skills if c.evidence.text == "ICT"}
    assert exact == {"computertechnologie"}
    unblocked = SkillExtractor(index, ConceptLinker(index), label_blocks=[])
    everything = {c.label for c in unblocked.extract(doc).skills if c.evidence.text == "ICT"}
    assert "in-circuit test" in everything  # the same engine without the list: the test fails


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("label,esco_uri\nICT,x\n", "missing column(s) reason"),
        ("label,esco_uri,reason\nICT,http://example.org/x,why\n", "not an ESCO skill URI"),
        ("label,esco_uri,reason\n,http://data.europa.eu/esco/skill/x,why\n", "label and a reason"),
    ],
)
def test_a_bad_label_block_file_names_the_line(tmp_path, content, message):
    from extractor.aliases import load_label_blocks

    path = tmp_path / "blocks.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(AliasFileError) as raised:
        load_label_blocks(path)
    assert message in str(raised.value) and str(path) in str(raised.value)


@pytest.mark.parametrize(
    ("text", "word", "wrong"),
    [
        ("Wij zoeken een IC-verpleegkundige voor de afdeling IC.", "IC", "integrated circuits"),
        ("Ada de Vries, Utrecht", "Ada", "computer programming"),
        ("Je verzorgt de aangiftes via SBR.", "SBR", "operate call distribution system"),
        ("Je rijdt met GPS naar de klant.", "GPS", "geographic information systems"),
        ("Ervaring met WP en websites bouwen.", "WP", "Windows Phone"),
    ],
)
def test_dutch_abbreviations_do_not_claim_an_unrelated_esco_meaning(index, text, word, wrong):
    from extractor.documents import Document
    from extractor.linking import ConceptLinker
    from extractor.pipeline import SkillExtractor

    result = SkillExtractor(index, ConceptLinker(index)).extract(
        Document(text=text, lang="nl", source="t", kind="text")
    )
    taxonomy = index.taxonomy
    claimed = {taxonomy.get(c.uri).pref_en for c in result.skills if c.evidence.text == word}
    assert wrong not in claimed


def test_the_lexicon_cache_is_keyed_by_the_aliases_and_blocks(tmp_path, mini_taxonomy):
    """A changed alias table or block list must not reuse a lexicon built without it."""
    from extractor.aliases import LabelBlock
    from extractor.lexicon import load_lexicon

    alias = Alias("heftruck", FORKLIFT, "nl", "jargon", False, (), "")
    block = LabelBlock("heftrucks bedienen", FORKLIFT, "test")
    load_lexicon(mini_taxonomy, "nl", "skill", [], tmp_path)
    load_lexicon(mini_taxonomy, "nl", "skill", [alias], tmp_path)
    load_lexicon(mini_taxonomy, "nl", "skill", [alias], tmp_path, [block])
    load_lexicon(mini_taxonomy, "nl", "skill", [alias], tmp_path, [block])  # from the cache
    assert len(list((tmp_path / "lexicon").glob("*.pickle"))) == 3


# --- every alias fires in running text --------------------------------------------------------


@pytest.fixture(scope="module")
def dutch_lexicon(esco, aliases):
    """The lexicon the extractor uses, from the test session's cache (built once)."""
    from extractor.aliases import load_label_blocks
    from extractor.lexicon import load_lexicon
    from vaardig.settings import get_settings

    cache = get_settings().cache_dir
    return load_lexicon(esco, "nl", "skill", aliases, cache, load_label_blocks())


def _found(lexicon, text: str) -> set[str]:
    from extractor.nlp import get_nlp

    return {uri for m in lexicon.find(get_nlp("nl")(text)) for e in m.entries for uri in e.uris}


SENTENCES = ("Ervaring met {}.", "Je hebt kennis van {} en je bent flexibel.", "Wij vragen {}")


def test_every_alias_without_context_fires_in_a_sentence(aliases, dutch_lexicon):
    """Each alias, written as it is in the table, at a sentence end, mid-sentence and at the
    end of a line without a full stop. This found aliases that never fired: "C#" (two tokens
    with one-letter keys), "back-ups" (its tokens are English stop words), and "HiX.", "5S.",
    "RI&E." (spaCy kept the full stop on the word)."""
    misses = [
        (a.alias, template)
        for a in aliases
        if not a.requires_context
        for template in SENTENCES
        if a.uri not in _found(dutch_lexicon, template.format(a.alias))
    ]
    assert not misses


def test_every_alias_with_context_fires_beside_a_context_word_and_not_alone(aliases, dutch_lexicon):
    """ "Word" ('word' is a form of "worden", a stop word) never fired before this test."""
    from extractor.nlp import get_nlp

    def fired(text: str) -> set[Alias]:
        return {e.alias for m in dutch_lexicon.find(get_nlp("nl")(text)) for e in m.entries}

    context_bound = [a for a in aliases if a.requires_context]
    assert len(context_bound) > 40
    misses = [
        a.alias
        for a in context_bound
        if a.uri not in _found(dutch_lexicon, f"Ervaring met {a.alias} en {a.context_words[0]}.")
    ]
    # the concept may still be found alone through a taxonomy label ("Nederlands"): the alias
    # itself must not fire
    alone = [a.alias for a in context_bound if a in fired(f"Ervaring met {a.alias}.")]
    assert not misses
    assert not alone
