"""Skill extraction on real CV and vacancy files: claims, evidence, methods, titles."""

import inspect

import pytest

from extractor.documents import Document
from extractor.ingest import read_document

DOCS = pytest.importorskip("pathlib").Path(__file__).parent / "fixtures" / "documents"
FORKLIFT = "http://data.europa.eu/esco/skill/28cb374e-6261-4133-8371-f9a5470145da"
ROOT_SAMPLES = DOCS.parent.parent.parent / "samples"
PYTHON = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"


@pytest.fixture(scope="module")
def extractor(index):
    from extractor.linking import ConceptLinker
    from extractor.pipeline import SkillExtractor

    return SkillExtractor(index, ConceptLinker(index))


@pytest.fixture(scope="module")
def forklift_cv(extractor):
    doc = read_document(DOCS / "cv_heftruckchauffeur.txt")
    return doc, extractor.extract(doc)


def test_forklift_cv_yields_the_forklift_skill_with_evidence(forklift_cv):
    doc, result = forklift_cv
    claim = next(c for c in result.skills if c.uri == FORKLIFT)
    assert claim.method in ("exact", "alias")
    assert claim.confidence >= 0.8
    ev = claim.evidence
    assert doc.text[ev.start : ev.end] == ev.text
    assert "heftruck" in ev.text.lower()
    assert ev.text in ev.sentence


def test_every_claim_has_consistent_evidence_and_confidence(forklift_cv):
    doc, result = forklift_cv
    assert len(result.skills) >= 8
    for c in result.skills:
        assert 0.0 <= c.confidence <= 1.0
        assert c.method in ("exact", "alias", "semantic", "inferred")
        assert doc.text[c.evidence.start : c.evidence.end] == c.evidence.text
        assert c.evidence.section == doc.section_at(c.evidence.start)
        assert c.label


def test_one_claim_per_skill(forklift_cv):
    _, result = forklift_cv
    uris = [c.uri for c in result.skills]
    assert len(uris) == len(set(uris))


def test_job_title_is_linked_and_inferred_skills_rank_below_evidence(forklift_cv):
    _, result = forklift_cv
    assert any(
        "heftruck" in o.label.lower() or "forklift" in o.matched_label.lower()
        for o in result.occupations
    )
    inferred = [c for c in result.skills if c.method == "inferred"]
    evidenced = [c for c in result.skills if c.method != "inferred"]
    assert inferred and evidenced
    assert max(c.confidence for c in inferred) < min(
        c.confidence for c in evidenced if c.method in ("exact", "alias")
    )
    assert all(c.inferred_from for c in inferred)
    # listed after every evidenced claim, even a semantic one with a lower confidence
    methods = [c.method for c in result.skills]
    assert methods.index("inferred") == len(evidenced)


def test_driving_licence_c_is_not_the_programming_language(forklift_cv):
    _, result = forklift_cv
    labels = " ".join(c.matched_label for c in result.skills if c.method == "alias")
    assert "computer programming" not in [c.label for c in result.skills if c.matched_label == "C"]
    assert " C " not in f" {labels} " or "programming" not in labels


def test_english_cv_finds_python(extractor):
    doc = read_document(DOCS / "cv_software_developer_en.txt")
    assert doc.lang == "en"
    result = extractor.extract(doc)
    assert PYTHON in {c.uri for c in result.skills}


def test_dutch_vacancy_finds_requirements(extractor):
    doc = read_document(DOCS / "vacature_monteur_elektrotechniek.txt", kind="vacancy")
    result = extractor.extract(doc)
    assert len([c for c in result.skills if c.method != "inferred"]) >= 5
    assert any(c.evidence.section == "requirements" for c in result.skills)


def test_semantic_claims_link_phrases_without_a_label(extractor):
    text = "Ik beantwoord de telefoon en help klanten met hun vragen."
    doc = Document(text=text, lang="nl", source="t", kind="text")
    result = extractor.extract(doc)
    semantic = [c for c in result.skills if c.method == "semantic"]
    assert semantic, "a phrase that is no ESCO label should still link semantically"
    best = max(semantic, key=lambda c: c.confidence)
    assert "customer" in extractor.taxonomy.concepts[best.uri].pref_en
    assert 0.0 < best.confidence < 0.95  # below the exact matches
    assert best.evidence.text in doc.text


CLOUD = "http://data.europa.eu/esco/skill/bd14968e-e409-45af-b362-3495ed7b10e0"
PUBLIC_RELATIONS = "http://data.europa.eu/esco/skill/5330b70e-16f5-43a7-a6de-18fd6a4bd063"


def test_a_bare_word_ranks_below_a_phrase_with_an_equal_score(extractor):
    """The bare word "public" links to *public relations* about as closely as the phrase
    "private cloud offerings" links to *cloud technologies*. A bare word needs a higher score
    to become a claim, and the ranking holds it to the same bar, so the phrase's skill leads."""
    text = "Experience with public and private cloud offerings"
    ranking = extractor.rank_and_extract([text], ["en"])[0].ranking
    assert CLOUD in ranking and PUBLIC_RELATIONS in ranking
    assert ranking[0] == CLOUD
    assert ranking.index(CLOUD) < ranking.index(PUBLIC_RELATIONS)


def test_extract_many_streams_and_matches_single_calls(extractor):
    docs = [read_document(DOCS / n) for n in ("cv_heftruckchauffeur.txt", "cv_boekhouder.txt")]
    stream = extractor.extract_many(iter(docs))
    assert inspect.isgenerator(stream)
    many = list(stream)
    single = extractor.extract(docs[1])
    assert [c.uri for c in many[1].skills] == [c.uri for c in single.skills]


def _claims(extraction):
    skills = [
        (c.uri, c.confidence, c.method, c.evidence, c.other_evidence) for c in extraction.skills
    ]
    return skills, [(o.uri, o.confidence, o.evidence) for o in extraction.occupations]


def test_a_pipelined_stream_equals_one_document_at_a_time(index):
    """Small batches, so the encoder works on the next batch while this one is linked, and
    phrases repeat across batches (one batch's new phrase is still being encoded for the
    batch before it); the claims are the same as one fresh extraction per document."""
    from extractor.ingest import read_feed
    from extractor.linking import ConceptLinker
    from extractor.pipeline import SkillExtractor

    feed = list(read_feed(DOCS / "vacatures.jsonl", per_sentence=False))[:8]
    cvs = [read_document(DOCS / n) for n in ("cv_heftruckchauffeur.txt", "cv_boekhouder.txt")]
    docs = [*feed[:4], cvs[0], *feed[4:], cvs[1], feed[0]]
    streamed = SkillExtractor(index, ConceptLinker(index), batch_size=2).extract_many(iter(docs))
    alone = [SkillExtractor(index, ConceptLinker(index)).extract(d) for d in docs]
    assert [_claims(x) for x in streamed] == [_claims(x) for x in alone]


def test_a_bad_document_ends_the_stream_after_the_documents_before_it(index):
    from extractor.linking import ConceptLinker
    from extractor.pipeline import SkillExtractor

    good = [read_document(DOCS / n) for n in ("cv_heftruckchauffeur.txt", "cv_boekhouder.txt")]
    empty = Document(text=" ", lang="nl", source="leeg.txt", kind="text")
    stream = SkillExtractor(index, ConceptLinker(index), batch_size=1).extract_many(
        [*good, empty, good[0]]
    )
    results = []
    with pytest.raises(ValueError, match=r"leeg\.txt: the document has no text"):
        for extraction in stream:
            results.append(extraction)
    assert [r.source for r in results] == [d.source for d in good]


def test_what_a_vacancy_offers_is_not_a_skill_it_asks_for(extractor):
    """Benefits ("korting op kinderopvang", "een leaseauto") are no demand for skills; the
    same lines under a requirements heading are."""
    from extractor.ingest import document_from_text

    body = "- Korting op kinderopvang\n- Een opleidingsbudget voor cursussen Excel\n"
    offer = document_from_text(
        f"Pedagogisch medewerker\n\nWat vragen wij?\n- Je kunt goed met kinderen omgaan\n\n"
        f"Wat bieden wij?\n{body}",
        kind="vacancy",
    )
    asked = document_from_text(f"Pedagogisch medewerker\n\nWat vragen wij?\n{body}", kind="vacancy")
    assert offer.section_at(offer.text.index("Korting")) == "offer"
    offered = extractor.extract(offer)
    start = offer.text.index("Korting")
    assert not [c for c in offered.skills if c.method != "inferred" and c.evidence.start >= start]
    required = extractor.extract(asked)
    start = asked.text.index("Korting")
    assert [c for c in required.skills if c.method != "inferred" and c.evidence.start >= start]


def test_extraction_from_several_threads_matches_serial_extraction(index):
    """The service and batch jobs share one extractor across threads."""
    from concurrent.futures import ThreadPoolExecutor

    from extractor.linking import ConceptLinker
    from extractor.pipeline import SkillExtractor

    names = ["cv_heftruckchauffeur.txt", "cv_boekhouder.txt", "cv_monteur_elektrotechniek.txt"]
    docs = [read_document(DOCS / n) for n in names] * 2
    serial = [
        [(c.uri, c.confidence) for c in r.skills]
        for r in SkillExtractor(index, ConceptLinker(index)).extract_many(docs)
    ]
    shared = SkillExtractor(index, ConceptLinker(index))  # fresh: lexicons load under the race
    with ThreadPoolExecutor(max_workers=4) as pool:
        threaded = list(pool.map(shared.extract, docs))
    assert [[(c.uri, c.confidence) for c in r.skills] for r in threaded] == serial


def test_nothing_is_extracted_from_how_to_apply_or_personal_details(extractor):
    """ "(HR)" after a contact person is not the skill "personeelsbeleid" (ESCO label "HR")."""
    from extractor.ingest import document_from_text

    text = (
        "Servicemonteur\n\nWat vragen wij?\n- Ervaring met personeelsbeleid.\n\n"
        "Interesse?\nMail je cv naar werken@devonk.nl of bel Sanne de Wit (HR)."
    )
    result = extractor.extract(document_from_text(text, kind="vacancy"))
    hr = [c for c in result.skills if c.label == "personeelsbeleid"]
    assert hr, "the requirement itself is found"
    assert all(c.evidence.section == "requirements" for c in hr)
    assert not any(c.evidence.section == "contact" for c in result.skills)


def test_compound_job_titles_match_their_head_noun(extractor):
    """A Dutch compound title ("servicemonteur") counts as its head ("monteur") in the lexical
    part of linking, so the title is not an embedding near-miss (operator stoomketel)."""
    from extractor.linking import compound_overlap, jaccard

    f = frozenset
    assert (
        compound_overlap(f({"servicemonteur", "zonnepaneel"}), f({"monteur", "zonnepaneel"})) == 1
    )
    assert jaccard(f({"servicemonteur", "zonnepaneel"}), f({"monteur", "zonnepaneel"})) == 1 / 3
    assert compound_overlap(f({"servicemonteur", "elektromonteur"}), f({"monteur"})) == 1 / 2
    assert compound_overlap(f({"voetbal"}), f({"bal"})) == 0  # short words match exactly only
    title = "Servicemonteur zonnepanelen en thuisbatterijen"
    top = extractor.linker.rank([title], kind="occupation", k=1)[0][0]
    assert top.concept.label == "monteur zonnepanelen"
    vacancy = read_document(ROOT_SAMPLES / "vacature_servicemonteur_zonnepanelen.txt")
    assert extractor.extract(vacancy).occupations[0].label == "monteur zonnepanelen"


def test_no_overlap_with_a_concepts_whole_vocabulary_means_none_with_any_label(extractor):
    """``ConceptLinker.rank`` skips the per-label lemma overlap of a concept when the union of
    its labels' lemmas shares nothing with the query; that is right only if 0 for the union
    means 0 for every label (Jaccard for skills, compound overlap for occupations)."""
    from extractor.linking import compound_overlap, content_lemmas, jaccard

    linker = extractor.linker
    skipped = scored = 0
    for kind, overlap, queries in (
        ("skill", jaccard, ["heftruck rijden", "klanten telefonisch te woord staan", "SQL"]),
        ("occupation", compound_overlap, ["Servicemonteur zonnepanelen", "wijkverpleegkundige"]),
    ):
        rows_of = linker._rows_of(kind)
        for query in queries:
            lemmas = content_lemmas(query)
            for hit in linker.index.search(query, kind=kind, k=50):
                label_sets, words = linker._concept_lemmas(
                    kind, hit.concept.uri, rows_of[hit.concept.uri]
                )
                best = max(overlap(lemmas, label) for label in label_sets)
                if overlap(lemmas, words) == 0:
                    assert best == 0, (query, hit.concept.uri)
                    skipped += 1
                else:
                    scored += best > 0
    assert skipped and scored  # both branches were exercised


@pytest.mark.parametrize(
    ("cv", "titles", "not_titles"),
    [
        # date line, then "Boekhouder, Firma, Plaats"; "Curriculum vitae" heads the file
        ("cv_boekhouder.txt", {"boekhouder", "administratief medewerker"}, set()),
        # "Jeroen Bakker" is a person, not a baker; ESCO lists "servicemonteur elektrotechniek"
        # and "monteur elektrotechnische installaties" under elektromechanicus
        ("cv_monteur_elektrotechniek.txt", {"elektromechanicus"}, {"bakker"}),
        # "Mar 2021 – present": "present" is a date word, not a presenter
        ("cv_software_developer_en.txt", {"software ontwikkelaar"}, {"presentator"}),
    ],
)
def test_job_titles_come_from_title_lines_not_names_or_dates(extractor, cv, titles, not_titles):
    found = {o.label for o in extractor.extract(read_document(ROOT_SAMPLES / cv)).occupations}
    assert titles <= found
    assert not (not_titles & found)
    assert "opleidingsbeheerder" not in found  # what "Curriculum vitae" used to link to


def test_empty_document_is_an_error_not_an_empty_result(extractor):
    doc = Document(text="   ", lang="nl", source="leeg.txt", kind="text")
    with pytest.raises(ValueError, match="no text"):
        extractor.extract(doc)


APPLY_HACCP = "http://data.europa.eu/esco/skill/5ba1d5b9-3f8d-46ca-bf9f-2e9ca65d1350"
MIG_WELDING = "http://data.europa.eu/esco/skill/f015c5d5-6a1c-4f63-9012-a05f4f34105e"
MAG_WELDING = "http://data.europa.eu/esco/skill/60ff3eac-7d4d-4e51-87b8-74c3b5d62498"
DRIVE_VEHICLES = "http://data.europa.eu/esco/skill/2a82241a-216e-44d8-bb50-6b9a0ef82084"


@pytest.mark.parametrize(
    ("text", "uri", "evidence"),
    [
        ("Je werkt volgens de HACCP-normen.", APPLY_HACCP, "HACCP"),
        ("MIG/MAG-lassen van staalconstructies", MIG_WELDING, "MIG/MAG"),
        ("MIG/MAG-lassen van staalconstructies", MAG_WELDING, "MIG/MAG"),
        ("Je hebt VCA, BHV en rijbewijs C.", DRIVE_VEHICLES, "rijbewijs C"),
        (
            "Een geldig EHBO/BHV-diploma",
            "http://data.europa.eu/esco/skill/f7464f30-662b-4177-85a0-3df9693e9e58",
            "EHBO",
        ),
    ],
)
def test_skills_inside_hyphenated_and_slashed_dutch_words_are_found(extractor, text, uri, evidence):
    """These were missed before: the Dutch tokeniser kept "HACCP-normen" or "MIG/MAG-lassen"
    as one token, so the alias table never saw "HACCP" or "MIG/MAG"."""
    result = extractor.extract(Document(text=text, lang="nl", source="t", kind="text"))
    claim = next((c for c in result.skills if c.uri == uri), None)
    assert claim is not None, [c.label for c in result.skills]
    assert claim.method in ("exact", "alias")
    assert claim.evidence.text == evidence


@pytest.mark.parametrize("hyphen", ["\u2010", "\u2011", "\u2212"])
def test_a_word_processor_hyphen_splits_like_a_plain_one(extractor, hyphen):
    """Word writes a non-breaking hyphen (U+2011) in "HACCP\u2011normen"; read as written no
    tokeniser splits it and the alias was missed. Ingestion writes such hyphens as "-"."""
    from extractor.ingest import document_from_text

    document = document_from_text(f"Je werkt volgens de HACCP{hyphen}normen.", source="t")
    assert "HACCP-normen" in document.text
    result = extractor.extract(document)
    assert APPLY_HACCP in {c.uri for c in result.skills}


def _doc(text: str) -> Document:
    return Document(text=text, lang="nl", source="t", kind="text")


FRENCH = "http://data.europa.eu/esco/skill/e747e77e-0ea1-4001-8b07-1d11946b5f1b"


def test_an_acronym_alias_is_not_a_word_with_the_same_lemma(extractor):
    """simplemma reads "DELF" (the French diploma) and "Delft" (the town) as one lemma,
    "delven": a CV from TU Delft was claimed to speak French. Acronyms are keyed as written."""
    delft = "Ik studeerde werktuigbouwkunde aan de TU Delft en woon in Delft."
    assert FRENCH not in {c.uri for c in extractor.extract(_doc(delft)).skills}
    diploma = "Ik heb het DELF B2-diploma gehaald."
    assert FRENCH in {c.uri for c in extractor.extract(_doc(diploma)).skills}


def test_the_refrigeration_certificate_stek_is_not_growing_plants(extractor):
    """ "STEK" (the refrigeration trade's certificate) and "stekken" (propagating plants from
    cuttings) share the key "stek"; a monteur's CV was claimed to grow plants."""
    grow = "http://data.europa.eu/esco/skill/844e9480-7aef-49f6-9260-d88c27249241"
    cv = "Certificaten: F-gassen categorie 1 (STEK), VCA-VOL."
    assert grow not in {c.uri for c in extractor.extract(_doc(cv)).skills}
    nursery = "In de kwekerij ben je verantwoordelijk voor het stekken van potplanten."
    assert grow in {c.uri for c in extractor.extract(_doc(nursery)).skills}


def test_a_bare_word_several_skills_share_as_a_label_claims_none_of_them(extractor):
    """ "programmeren" is an alternative label of three programming skills: the word alone
    does not say which is meant, so none is claimed (each was claimed at 1.0 before)."""
    result = extractor.extract(_doc("Je hebt ervaring met programmeren."))
    assert [c for c in result.skills if c.method == "semantic"] == []
    assert len(result.ranking) >= 3  # they still rank first for the sentence


def test_a_dutch_plural_with_an_apostrophe_stays_in_the_phrase():
    """ "PLC's programmeren" was trimmed to the bare word "programmeren": "PLC's" is not
    alphabetic, so it counted as punctuation at the phrase's edge."""
    from extractor.chunks import sentence_chunks
    from extractor.nlp import get_nlp

    text = "Ervaring met PLC's programmeren en auto's repareren."
    doc = get_nlp("nl")(text)
    phrases = [c.text for s in doc.sents for c in sentence_chunks(s, text)]
    assert "PLC's programmeren" in phrases and "auto's repareren" in phrases


def test_a_dutch_hyphenated_word_stays_one_phrase_for_semantic_linking():
    from extractor.chunks import sentence_chunks
    from extractor.nlp import get_nlp

    text = "Je verbetert onze CI-pipeline en de data-analyse."
    doc = get_nlp("nl")(text)
    phrases = [c.text for s in doc.sents for c in sentence_chunks(s, text)]
    assert "verbetert onze CI-pipeline" in phrases
    assert "data-analyse" in phrases


def test_an_english_passage_in_a_dutch_cv_is_matched_with_english_lemmas(extractor):
    """ "Managed budgets" is the English label *manage budgets* only with English lemmas; the
    Dutch lemmatiser leaves "managed" as it is. The passage is marked English per sentence
    (Document.sentence_langs) and matched with the English lexicon; the Dutch sentences
    around it keep theirs."""
    from extractor.ingest import document_from_text

    text = (
        "Ik werk sinds 2019 als boekhouder bij een accountantskantoor in Utrecht. Ik verwerk "
        "de inkoopfacturen en maak de btw-aangifte. In my previous job I managed budgets and "
        "trained new colleagues. Daarnaast doe ik de loonadministratie."
    )
    doc = document_from_text(text)
    assert doc.lang == "nl" and doc.lang_at(text.index("managed")) == "en"
    result = extractor.extract(doc)
    by_evidence = {c.evidence.text: c for c in result.skills}
    budgets = by_evidence["managed budgets"]
    assert budgets.method == "exact"
    assert extractor.taxonomy.concepts[budgets.uri].pref_en == "manage budgets"
    assert budgets.evidence.sentence.startswith("In my previous job")
    assert by_evidence["loonadministratie"].method == "alias"  # the Dutch sentence after it
    for c in result.skills:
        assert doc.text[c.evidence.start : c.evidence.end] == c.evidence.text


VACANCY_BODY = (
    "\n\nWat ga je doen?\nJe onderhoudt installaties bij klanten.\n\nWat vragen wij?\nMBO niveau 3."
)


@pytest.mark.parametrize(
    ("bare", "decorated"),
    [
        ("Lasser", "Lasser (m/v/x) 40 uur"),
        ("Lasser", "Vacature lasser"),
        ("Lasser", "Lasser (M/V/X) fulltime - Bouwbedrijf Jansen"),
        ("Servicemonteur warmtepompen", "Servicemonteur warmtepompen (m/v)"),
        ("Servicemonteur warmtepompen", "Vacature: Servicemonteur warmtepompen"),
        ("Servicemonteur warmtepompen", "Vacature: Servicemonteur warmtepompen (m/v/x)"),
        ("Servicemonteur warmtepompen", "Servicemonteur warmtepompen 32-40 uur in Utrecht"),
    ],
)
def test_a_decorated_vacancy_title_links_to_the_occupation_of_the_bare_title(
    extractor, bare, decorated
):
    """ "Lasser (m/v/x) 40 uur" reached no occupation, "Vacature lasser" lasser at 0.317 where
    "Lasser" is an exact label (0.9): gender tag, hours, lead-in, firm and place are left out
    when the title is linked. The evidence is the title's words in the document."""
    from extractor.ingest import document_from_text

    plain = extractor.extract(document_from_text(bare + VACANCY_BODY))
    doc = document_from_text(decorated + VACANCY_BODY)
    result = extractor.extract(doc)
    assert plain.occupations
    assert [(o.uri, o.confidence) for o in result.occupations] == [
        (o.uri, o.confidence) for o in plain.occupations
    ]
    evidence = result.occupations[0].evidence
    assert evidence.text.casefold() == bare.casefold()
    assert doc.text[evidence.start : evidence.end] == evidence.text
    inferred = {c.uri for c in result.skills if c.method == "inferred"}
    assert inferred and inferred == {c.uri for c in plain.skills if c.method == "inferred"}


@pytest.mark.parametrize(
    "decorated", ["Welder (m/f/d) full-time", "Job: Welder", "We are hiring: Welder"]
)
def test_a_decorated_english_vacancy_title_links_like_the_bare_title(extractor, decorated):
    from extractor.ingest import document_from_text

    body = "\n\nWhat you will do\nYou weld steel frames in our workshop."
    plain = extractor.extract(document_from_text("Welder" + body, kind="vacancy"))
    result = extractor.extract(document_from_text(decorated + body, kind="vacancy"))
    assert plain.occupations
    assert [o.uri for o in result.occupations] == [o.uri for o in plain.occupations]
    assert result.occupations[0].evidence.text == "Welder"


KOK_PAGE = """<!DOCTYPE html><html lang="nl"><head><title>Vacature Kok | Restaurant De Leeuw</title>
</head><body><nav>Home | Vacatures | Contact</nav>
<h1>Kok (m/v)</h1>
<h2>Wat ga je doen?</h2><p>Je bereidt gerechten en stelt menukaarten samen.</p>
<h2>Wat vragen wij?</h2><ul><li>Diploma kok niveau 3</li></ul>
<footer>© 2024 Restaurant De Leeuw</footer></body></html>"""


def test_a_web_page_vacancy_is_titled_by_its_h1_not_its_menu(extractor):
    """The menu in <nav> was the page's first line, so "Home | Vacatures | Contact" became the
    vacancy's title and no occupation was found. Menus are dropped; the title is the <h1>."""
    doc = read_document(KOK_PAGE.encode(), filename="vacature_kok.html", kind="vacancy")
    assert "Vacatures" not in doc.text
    assert doc.metadata["title"] == "Kok (m/v)"
    (kok,) = extractor.extract(doc).occupations
    assert (kok.label, kok.evidence.text) == ("kok", "Kok")
    assert doc.text[kok.evidence.start : kok.evidence.end] == "Kok"


def test_a_web_page_vacancy_without_h1_is_titled_by_its_title_element(extractor):
    """The <title> is not in the visible text: its job title ("Kok") is linked where the text
    has it."""
    page = KOK_PAGE.replace("<h1>Kok (m/v)</h1>", "<p><strong>Kok (m/v)</strong></p>")
    doc = read_document(page.encode(), filename="vacature_kok.html", kind="vacancy")
    assert doc.metadata["title"] == "Vacature Kok | Restaurant De Leeuw"
    (kok,) = extractor.extract(doc).occupations
    assert (kok.label, kok.evidence.text) == ("kok", "Kok")
    assert doc.text[kok.evidence.start : kok.evidence.end] == "Kok"


def test_a_title_whose_label_several_occupations_share_claims_only_the_ranked_one(extractor):
    """ESCO gives the Dutch label "monteur" to a film editor and to a forestry mechanic; a
    vacancy titled "Monteur" was claimed as *editor film en video*. Now a shared label names
    an occupation only where the ranking on all labels puts it first ("Chauffeur" still names
    a driver), else none."""
    from extractor.ingest import document_from_text

    def occupations(title: str) -> list[str]:
        text = f"{title}\n\nJe monteert en onderhoudt installaties bij klanten."
        document = document_from_text(text, source="v", kind="vacancy")
        return [o.label for o in extractor.extract(document).occupations]

    assert "editor film en video" not in occupations("Monteur")
    assert any("chauffeur" in label for label in occupations("Chauffeur"))
