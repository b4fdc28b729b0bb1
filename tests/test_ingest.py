"""Ingestion of single documents: formats, reading order, language, sections, dates."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.documents import Document, Section
from extractor.ingest import document_from_text, read_document

FIXTURES = Path(__file__).parent / "fixtures" / "documents"


def read(name: str, **kwargs) -> Document:
    return read_document(FIXTURES / name, **kwargs)


# --------------------------------------------------------------------------- PDF


def test_two_column_pdf_reads_left_column_completely_before_right_column():
    text = read("cv_heftruckchauffeur_2kolom.pdf").text
    left_first, left_last = text.index("Contact"), text.index("Duits – basis")
    right_first = text.index("Profiel")
    # Interleaving rows would put "Profiel" (top of the right column) right after
    # "Contact" (top of the left column), long before the left column's last line.
    assert left_first < left_last < right_first
    left_block = text[left_first:right_first]
    assert "Werkervaring" not in left_block
    assert "Ervaren logistiek" not in left_block


def test_two_column_pdf_puts_the_full_width_name_first():
    text = read("cv_heftruckchauffeur_2kolom.pdf").text
    assert text.startswith("Kevin van den Berg – Logistiek medewerker / Heftruckchauffeur\n")


def test_two_column_pdf_keeps_right_column_lines_whole():
    text = read("cv_heftruckchauffeur_2kolom.pdf").text
    assert "\n2019 - heden: Heftruckchauffeur, Brabant Distributie B.V., Tilburg\n" in text
    assert "\nRijbewijs B, C en code 95\n" in text


def test_right_aligned_dates_are_not_mistaken_for_a_second_column():
    text = read("cv_heftruckchauffeur_datums_rechts.pdf").text
    assert "\nHeftruckchauffeur, Brabant Distributie B.V. 2019 – heden\n" in text
    assert "\nWoonplaats Tilburg\nTelefoon 06-18273645\n" in text


def test_single_column_pdf_is_read_line_by_line_across_pages():
    doc = read("cv_monteur_elektrotechniek.pdf")
    assert (doc.metadata["pages"], doc.metadata["pages_without_text"]) == (2, 0)
    assert "\nEerste monteur elektrotechniek, Eemland Installatietechniek, Amersfoort\n" in doc.text
    assert doc.text.index("Over mij") < doc.text.index("Werkervaring") < doc.text.index("Talen")
    assert doc.text.rstrip().endswith("Nederlands (moedertaal), Engels (redelijk)")


def test_pdf_sections_match_the_text_version():
    from_pdf = read("cv_heftruckchauffeur_2kolom.pdf")
    from_txt = read("cv_heftruckchauffeur.txt")
    assert sorted(s.name for s in from_pdf.sections) == sorted(
        s.name for s in from_txt.sections if s.heading != "Hobby's"
    )


def _lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line]


def test_two_column_pdf_under_a_name_and_contact_line_reads_column_by_column():
    text = read("cv_servicemonteur_2kolom_naam.pdf").text
    assert text.startswith("Ruben Hoekstra – Servicemonteur warmtepompen\nJulianastraat 8,")
    # The whole sidebar (Vaardigheden ... Talen) before the main column (Profiel ...).
    assert text.index("Vaardigheden") < text.index("Engels – goed") < text.index("Profiel")
    assert text.index("Profiel") < text.index("Werkervaring") < text.index("Opleiding")
    assert "\nVaardigheden\nStoringsdiagnose warmtepompen\nInregelen van cv-installaties\n" in text
    for line in _lines(text):
        assert not ("moedertaal" in line and "ervaring" in line), line


def test_sidebar_of_short_entries_with_a_footer_is_read_as_a_column():
    text = read("cv_lasser_zijbalk_voettekst.pdf").text
    sidebar = [
        "Contact", "Kanaalweg 3", "7902 KL Hoogeveen", "06-51627384",
        "Vaardigheden", "MIG/MAG lassen", "TIG lassen", "Brandsnijden", "Tekening lezen",
        "Plaatwerk",
        "Certificaten", "VCA", "Rijbewijs B", "Heftruck",
        "Talen", "Nederlands", "Duits", "Engels",
    ]  # fmt: skip
    # Name, the whole sidebar, then the main column, then the footer; no line mixes
    # the columns ("Contact Profiel", "VCA 2016 – 2019: Lasser machinebouw, ...").
    lines = _lines(text)
    assert lines[0] == "Sem de Groot – Lasser / constructiewerker"
    assert lines[1 : 1 + len(sidebar)] == sidebar
    assert lines[1 + len(sidebar)] == "Profiel"
    assert "2019 – heden: Constructielasser, Staalbouw Drenthe B.V., Hoogeveen" in lines
    assert lines[-2:] == [
        "2012 – 2016: MBO niveau 2 Lasser, Drenthe College, Emmen",
        "Sem de Groot – curriculum vitae – pagina 1 van 1",
    ]


def test_periods_in_a_cv_table_stay_beside_their_jobs():
    text = read("cv_boekhouder_periodes_links.pdf").text
    assert "\nmrt 2018 – heden Boekhouder, Veluwe Bouw & Onderhoud B.V., Apeldoorn\n" in text
    assert "\n2007 – 2011 MBO niveau 4 Financiële administratie, Aventus, Apeldoorn\n" in text
    assert "\n2021 Werken met AFAS Profit Salaris, AFAS Academy\n" in text


def test_words_hyphenated_at_a_line_end_are_rejoined():
    text = read("vacature_calculator_afgebroken.pdf").text
    assert "calculaties voor nieuwbouwprojecten\nen renovaties" in text
    assert "offertes aan bij onderaannemers\n" in text
    assert "nieuw-" not in text and "onder-" not in text


def test_line_end_hyphen_stays_where_it_may_belong_to_the_word():
    text = read("vacature_calculator_afgebroken.pdf").text
    assert "Een afgeronde mbo-opleiding\n" in text  # Dutch writes "mbo-opleiding"
    assert "Noord-\nHolland." in text  # capital after the hyphen: a compound name
    assert "certificaat VCA-\nVOL" in text


# --------------------------------------------------------------------------- DOCX


def test_docx_table_cells_appear_in_document_order():
    text = read("cv_boekhouder.docx").text
    role = "Boekhouder, Veluwe Bouw & Onderhoud B.V., Apeldoorn"
    assert f"mrt 2018 – heden\n{role}\n" in text
    assert text.index("Werkervaring") < text.index(role) < text.index("Opleidingen")
    assert "Verwerken van de salarisadministratie in AFAS Profit voor 45 medewerkers." in text


def test_docx_reads_headings_paragraphs_and_core_title():
    doc = read("cv_boekhouder.docx")
    assert doc.metadata["format"] == "docx"
    assert doc.metadata["docx_title"] == "CV Sandra de Jong"
    assert [s.name for s in doc.sections] == [
        "profile",
        "experience",
        "education",
        "skills",
        "languages",
    ]


def test_docx_reads_block_and_inline_content_controls():
    text = read("cv_verpleegkundige_sjabloon.docx").text
    assert text.startswith("Lisa Hendriks\nVerpleegkundige · Velperweg 21, 6824 BH Arnhem\n")
    assert (
        "\nIk ben een zorgzame verpleegkundige met acht jaar ervaring\n"
        "in het ziekenhuis en de wijkverpleging.\n" in text
    )


def test_docx_table_inside_a_content_control_stays_in_place():
    text = read("cv_verpleegkundige_sjabloon.docx").text
    assert "\n2019 – heden\nVerpleegkundige interne geneeskunde, Rijnstate, Arnhem\n" in text
    role = "Wijkverpleegkundige, Thuiszorg De Liemers, Zevenaar"
    assert text.index("Werkervaring") < text.index(role) < text.index("Vaardigheden")


def test_docx_reads_tracked_insertions_but_not_deletions():
    text = read("cv_verpleegkundige_sjabloon.docx").text
    assert "\nWondzorg, medicatie toedienen, palliatieve zorg\n" in text
    assert "bloedprikken" not in text


def test_docx_reads_fields_and_hyperlinks_but_not_field_codes():
    text = read("cv_verpleegkundige_sjabloon.docx").text
    assert "\n2012 – 2016: HBO-V, Hogeschool van Arnhem en Nijmegen\n" in text
    assert "E-mail: lisa.hendriks@mail.nl · LinkedIn: linkedin.com/in/lisa-hendriks-vpk\n" in text
    assert "HYPERLINK" not in text and "mailto" not in text


def test_docx_text_box_is_read_once_after_its_paragraph():
    text = read("cv_verpleegkundige_sjabloon.docx").text
    assert (
        "de wijkverpleging.\nTalen\nNederlands – moedertaal Engels – goed\nWerkervaring\n" in text
    )
    assert text.count("Nederlands – moedertaal") == 1  # not again from the VML fallback


def test_docx_header_and_footer_appear_once_after_the_body():
    doc = read("cv_verpleegkundige_sjabloon.docx")
    assert doc.text.endswith(
        "\n\nLisa Hendriks – curriculum vitae\n\n"
        "Certificaten: BIG-registratie verpleegkundige, Reanimatie (BLS), BHV"
    )
    assert doc.text.count("curriculum vitae") == 1  # first-page and default header agree
    assert doc.metadata["docx_title"] == "CV Lisa Hendriks"


# --------------------------------------------------------------------------- HTML


def test_html_drops_script_style_and_noscript_content():
    text = read("cv_software_developer_en.html").text
    for hidden in ("INJECTED BY SCRIPT", "trackingId", "font-family", "Enable JavaScript"):
        assert hidden not in text
    assert "Backend developer with six years of experience" in text


def test_html_block_elements_become_lines():
    doc = read("cv_software_developer_en.html")
    assert "\nPython, SQL, Docker\nFastAPI, Django, pandas\n" in doc.text
    assert doc.metadata["format"] == "html"
    assert doc.metadata["html_title"] == "CV Priya Raman"


# --------------------------------------------------------------------------- plain text


def test_utf16_with_bom_reads_the_same_as_utf8():
    assert read("cv_boekhouder_utf16.txt").text == read("cv_boekhouder.txt").text


def test_windows_1252_text_keeps_its_accents():
    doc = read("cv_monteur_cp1252.txt")
    assert "Ik coördineer graag" in doc.text
    assert "één leerling" in doc.text
    assert doc.text == read("cv_monteur_elektrotechniek.txt").text


def test_bytes_input_uses_the_given_filename_as_source():
    data = (FIXTURES / "cv_heftruckchauffeur.txt").read_bytes()
    doc = read_document(data, filename="upload-123.txt")
    assert doc.source == "upload-123.txt"
    assert doc.kind == "cv"


def test_format_is_sniffed_from_the_bytes_not_the_extension():
    data = (FIXTURES / "cv_monteur_elektrotechniek.pdf").read_bytes()
    doc = read_document(data, filename="cv_jeroen.txt")
    assert doc.metadata["format"] == "pdf"
    assert "NEN 3140" in doc.text


def test_text_is_normalised():
    doc = document_from_text("  Profiel\u00a0\u00a0\r\n\r\n\r\n\r\nIk  ben\u00admonteur.  \n")
    assert doc.text == "Profiel\n\nIk benmonteur."


# --------------------------------------------------------------------------- language


@pytest.mark.parametrize(
    "name",
    [
        "cv_heftruckchauffeur.txt",
        "cv_boekhouder.docx",
        "cv_monteur_elektrotechniek.pdf",
        "vacature_administratief_medewerker.txt",
    ],
)
def test_dutch_documents_are_detected_as_dutch(name):
    assert read(name).lang == "nl"


@pytest.mark.parametrize("name", ["cv_software_developer_en.txt", "cv_software_developer_en.html"])
def test_english_cv_is_detected_as_english(name):
    assert read(name).lang == "en"


def test_english_sentence_in_dutch_text_is_marked_english():
    doc = document_from_text(
        "Ik werk sinds 2019 als heftruckchauffeur bij een groot distributiecentrum in "
        "Tilburg. Ik laad en los vrachtwagens en zet pallets weg met de reachtruck. "
        "I am also responsible for training new colleagues on the reach truck. "
        "Daarnaast doe ik de voorraadtellingen en help ik bij het orderpicken."
    )
    english = doc.text.index("I am also")
    assert doc.lang == "nl"
    assert doc.lang_at(english) == "en"
    assert doc.lang_at(doc.text.index("Daarnaast")) == "nl"


def test_tool_names_alone_do_not_make_a_line_english():
    doc = read("cv_boekhouder.txt")
    assert doc.lang_at(doc.text.index("Microsoft Excel (gevorderd)")) == "nl"


def test_text_without_language_signal_defaults_to_dutch():
    assert document_from_text("Python, SQL, Docker").lang == "nl"


# --------------------------------------------------------------------------- sections


def test_cv_sections_are_named_and_start_at_their_heading():
    doc = read("cv_heftruckchauffeur.txt")
    assert [(s.name, s.heading) for s in doc.sections] == [
        ("profile", "Profiel"),
        ("experience", "Werkervaring"),
        ("education", "Opleiding"),
        ("contact", "Contact"),
        ("skills", "Vaardigheden"),
        ("certificates", "Certificaten"),
        ("languages", "Talen"),
        ("other", "Hobby's"),
    ]
    for section in doc.sections:
        assert doc.text[section.start : section.end].startswith(section.heading)


def test_sections_run_until_the_next_heading():
    doc = read("cv_monteur_elektrotechniek.txt")
    for current, following in zip(doc.sections, doc.sections[1:], strict=False):
        assert current.end == following.start
    assert doc.sections[-1].end == len(doc.text)


def test_section_at_maps_offsets_to_section_names():
    doc = read("cv_boekhouder.txt")
    assert doc.section_at(doc.text.index("AFAS Profit\n")) == "skills"
    assert doc.section_at(doc.text.index("SPD Bedrijfsadministratie")) == "education"
    assert doc.section_at(doc.text.index("Engels – goed")) == "languages"
    assert doc.section_at(0) == "other"  # the name above the first heading


def test_english_headings_are_recognised():
    doc = read("cv_software_developer_en.txt")
    assert [s.name for s in doc.sections] == [
        "profile",
        "experience",
        "education",
        "skills",
        "languages",
    ]


def test_vacancy_question_headings_become_requirements_and_offer():
    doc = read("vacature_monteur_elektrotechniek.txt")
    assert doc.section_at(doc.text.index("NEN 3140 (VOP of VP)")) == "requirements"
    assert doc.section_at(doc.text.index("Een eigen bus")) == "offer"
    assert doc.section_at(doc.text.index("Je installeert zonnepanelen")) == "other"


def test_how_to_apply_is_a_contact_section():
    text = (
        "Monteur\n\nWat vragen wij?\nJe hebt een mbo-diploma.\n\n"
        "Interesse?\nMail je cv naar Sanne de Wit (HR)."
    )
    doc = document_from_text(text, kind="vacancy")
    assert [s.name for s in doc.sections] == ["requirements", "contact"]


def test_profiel_means_requirements_in_a_vacancy_and_profile_in_a_cv():
    text = "Monteur\n\nProfiel\nJe hebt een mbo-diploma.\n\nWij bieden\nEen goed salaris."
    assert document_from_text(text, kind="vacancy").sections[0].name == "requirements"
    assert document_from_text(text, kind="cv").sections[0].name == "profile"


def test_sentence_that_starts_like_a_heading_is_not_a_heading():
    doc = document_from_text(
        "Wat vragen wij\n- Rijbewijs B\nWij bieden je een vast contract en een goed salaris.",
        kind="vacancy",
    )
    assert [s.heading for s in doc.sections] == ["Wat vragen wij"]


# --------------------------------------------------------------------------- kind, title, dates


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("cv_heftruckchauffeur.txt", "cv"),
        ("cv_boekhouder.docx", "cv"),
        ("cv_software_developer_en.html", "cv"),
        ("vacature_heftruckchauffeur.txt", "vacancy"),
        ("vacature_administratief_medewerker.txt", "vacancy"),
        ("vacature_monteur_elektrotechniek.txt", "vacancy"),
    ],
)
def test_kind_is_guessed_from_headings(name, kind):
    assert read(name).kind == kind


def test_plain_text_without_headings_is_kind_text():
    assert document_from_text("Ik heb tien jaar als lasser gewerkt.").kind == "text"


def test_explicit_kind_overrides_the_guess():
    assert read("cv_heftruckchauffeur.txt", kind="text").kind == "text"


def test_vacancy_title_is_its_first_line():
    doc = read("vacature_heftruckchauffeur.txt")
    assert doc.metadata["title"] == "Heftruckchauffeur (40 uur) – Tilburg"


def test_date_ranges_are_extracted_with_offsets():
    doc = read("cv_boekhouder.txt")
    dates = doc.metadata["dates"]
    assert dates[0] == {
        "text": "mrt 2018 – heden",
        "offset": doc.text.index("mrt 2018 – heden"),
        "start": "2018-03",
        "end": None,
        "current": True,
    }
    assert ("sep 2013 – feb 2018", "2013-09", "2018-02") in [
        (d["text"], d["start"], d["end"]) for d in dates
    ]
    assert ("2007 – 2011", "2007", "2011") in [(d["text"], d["start"], d["end"]) for d in dates]


# --------------------------------------------------------------------------- data model


def test_document_rejects_unknown_language_kind_and_section():
    with pytest.raises(ValueError, match="lang"):
        Document(text="x", lang="de", source="t", kind="cv")
    with pytest.raises(ValueError, match="kind"):
        Document(text="x", lang="nl", source="t", kind="brief")
    with pytest.raises(ValueError, match="Section name"):
        Section("hobbies", 0, 1)


def test_document_rejects_sections_outside_the_text():
    with pytest.raises(ValueError, match="inside the text"):
        Document(text="kort", lang="nl", source="t", kind="cv", sections=[Section("skills", 0, 9)])


def test_running_headers_and_footers_of_a_pdf_are_kept_once():
    """A header with the name and a "Pagina N van 2" footer on every page were read once per
    page: the same line twice as evidence, or as a job-title candidate."""
    text = read("cv_monteur_kop_voettekst.pdf").text
    assert text.count("Jeroen Bakker – Curriculum Vitae") == 1
    assert text.count("Pagina") == 1
    assert "Eerste monteur elektrotechniek" in text and "Nederlands (moedertaal)" in text


def test_only_lines_at_every_page_edge_count_as_running():
    from extractor.ingest.pdf_text import drop_running_lines

    pages = [
        "Naam – cv\nWerkervaring\nLasser bij Smit\nPagina 1",
        "Naam – cv\nOpleiding\nMBO Metaal\nWerkervaring bij Smit\nPagina 2",
    ]
    assert drop_running_lines(pages) == [
        pages[0],
        "Opleiding\nMBO Metaal\nWerkervaring bij Smit",
    ]
    assert drop_running_lines(pages[:1]) == pages[:1]  # one page: nothing repeats
    body = ["Kop\nx\nTekst A\ny\nVoet", "Andere kop\nz\nTekst A\nw\nVoet 2"]  # mid-page
    assert drop_running_lines(body) == body
