"""Vacancy feeds: JSON, JSON Lines, JSON-LD, CSV and XML streamed into vacancy Documents."""

from __future__ import annotations

import json
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from extractor.errors import FeedError, IngestError
from extractor.ingest import FeedReader, read_feed
from extractor.ingest.feed_json import iter_json_records
from extractor.ingest.feed_xml import iter_xml_records
from extractor.ingest.vacancy_record import parse_date

FIXTURES = Path(__file__).parent / "fixtures" / "documents"
FEEDS = ["vacatures.json", "vacatures.jsonl", "vacatures.jsonld", "vacatures.csv", "vacatures.xml"]
FIRST_VACANCY = {
    "title": "Logistiek medewerker",
    "employer": "Brabant Distributie B.V.",
    "date_posted": "2024-02-05",
    "region": "Noord-Brabant",
    "location": "Tilburg",
    "id": "V2024-001",
}


@pytest.mark.parametrize("name", FEEDS)
def test_feed_yields_every_vacancy(name):
    docs = list(read_feed(FIXTURES / name))
    assert len(docs) == 20
    assert {doc.kind for doc in docs} == {"vacancy"}
    assert len({doc.source for doc in docs}) == 20


@pytest.mark.parametrize("name", FEEDS)
def test_feed_metadata_is_mapped_onto_the_same_keys(name):
    first = next(read_feed(FIXTURES / name))
    assert {key: first.metadata.get(key) for key in FIRST_VACANCY} == FIRST_VACANCY
    assert first.source == f"{name}#V2024-001"


@pytest.mark.parametrize("name", FEEDS)
def test_feed_text_is_title_then_description_with_sections(name):
    doc = next(read_feed(FIXTURES / name))
    assert doc.text.startswith("Logistiek medewerker\n\nVoor ons distributiecentrum")
    assert "<" not in doc.text  # HTML descriptions (JSON-LD, XML) became text
    assert [s.name for s in doc.sections] == ["other", "requirements", "offer"]
    assert doc.section_at(doc.text.index("Heftruckcertificaat is een pré")) == "requirements"


@pytest.mark.parametrize("name", FEEDS)
def test_feed_dates_span_2024_to_2026(name):
    years = {doc.metadata["date_posted"][:4] for doc in read_feed(FIXTURES / name)}
    assert years == {"2024", "2025", "2026"}


def test_read_feed_returns_a_lazy_iterator():
    reader = read_feed(FIXTURES / "vacatures.jsonl")
    assert isinstance(reader, FeedReader)
    assert isinstance(reader, Iterator)
    assert reader.read == 0  # nothing parsed before the first next()
    next(reader)
    assert reader.read == 1


def test_json_array_is_parsed_one_vacancy_at_a_time(tmp_path):
    # A complete first vacancy, then a broken one: a whole-file json.load() would fail
    # before yielding anything; a streaming reader yields the first, then fails.
    first = json.dumps(json.loads((FIXTURES / "vacatures.json").read_text())[0])
    path = tmp_path / "afgebroken.json"
    path.write_text(f"[\n{first},\n" + '{"title": "Orderpicker", "description": "Orders ver')
    reader = read_feed(path)
    assert next(reader).metadata["id"] == "V2024-001"
    with pytest.raises(FeedError, match="malformed JSON") as raised:
        next(reader)
    assert raised.value.line == 3


def _peak_bytes(records: Iterator) -> int:
    tracemalloc.start()
    try:
        for _ in records:
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_json_ld_graph_is_streamed_in_constant_memory(tmp_path):
    graph = json.loads((FIXTURES / "vacatures.jsonld").read_text())["@graph"]
    path = tmp_path / "groot.jsonld"
    path.write_text(json.dumps({"@context": "https://schema.org", "@graph": graph * 120}))
    size = path.stat().st_size
    assert size > 2_000_000
    assert _peak_bytes(iter_json_records(path, path.name)) < size / 2


def test_xml_feed_is_streamed_in_constant_memory(tmp_path):
    xml = (FIXTURES / "vacatures.xml").read_text()
    records = xml[xml.index("<vacancy ") : xml.rindex("</vacancies>")]
    path = tmp_path / "groot.xml"
    path.write_text(f'<?xml version="1.0"?>\n<vacancies>{records * 150}</vacancies>')
    size = path.stat().st_size
    assert size > 2_000_000
    assert _peak_bytes(iter_xml_records(path, path.name)) < size / 4


def test_json_ld_skips_nodes_that_are_not_job_postings():
    reader = read_feed(FIXTURES / "vacatures.jsonld")
    docs = list(reader)
    assert len(docs) == 20
    assert reader.ignored == 1  # the Organization node
    assert reader.skipped == []
    assert docs[0].metadata["category"] == "Overig"


def test_bad_row_raises_a_feed_error_naming_row_and_line():
    reader = read_feed(FIXTURES / "bad_feed_row.jsonl")
    assert len([next(reader), next(reader)]) == 2
    with pytest.raises(FeedError) as raised:
        next(reader)
    error = raised.value
    assert isinstance(error, IngestError)
    assert (error.row, error.line) == (3, 3)
    assert str(error).startswith("bad_feed_row.jsonl: vacancy 3, line 3: invalid JSON")
    assert "skip_bad=True" in str(error)


@pytest.mark.parametrize("name", ["bad_feed_row.jsonl", "bad_feed_row.csv"])
def test_skip_bad_reports_skipped_rows_instead_of_dropping_them(name):
    reader = read_feed(FIXTURES / name, skip_bad=True)
    docs = list(reader)
    assert len(docs) == 4
    assert reader.read == 4
    assert [error.row for error in reader.skipped] == [3]
    assert [doc.metadata["row"] for doc in docs] == [1, 2, 4, 5]


def test_csv_with_semicolons_and_dutch_headers_is_mapped():
    doc = next(read_feed(FIXTURES / "bad_feed_row.csv"))
    assert doc.metadata["title"] == "Logistiek medewerker"  # column "Functietitel"
    assert doc.metadata["employer"] == "Brabant Distributie B.V."  # "Werkgever"
    assert doc.metadata["date_posted"] == "2024-02-05"  # "05-02-2024" in the file
    assert doc.metadata["id"] == "V2024-001"  # "Vacature-ID"
    assert doc.text.startswith("Logistiek medewerker\n\nVoor ons distributiecentrum")


def test_csv_bad_row_names_its_line():
    reader = read_feed(FIXTURES / "bad_feed_row.csv")
    with pytest.raises(FeedError, match=r"vacancy 3, line 4: the row has 3 fields, the header 6"):
        list(reader)


def test_csv_text_columns_are_configurable():
    doc = next(read_feed(FIXTURES / "vacatures.csv", text_columns=["title", "employer"]))
    assert doc.text == "Logistiek medewerker\n\nBrabant Distributie B.V."


def test_csv_without_the_text_columns_fails_before_the_first_row():
    reader = read_feed(FIXTURES / "vacatures.csv", text_columns=["vacaturetekst_nl"])
    with pytest.raises(FeedError, match="none of the text columns vacaturetekst_nl") as raised:
        next(reader)
    assert "id, title, employer" in str(raised.value)
    assert "text_columns=" in str(raised.value)


def test_xml_feed_with_doctype_is_refused():
    with pytest.raises(FeedError, match="DOCTYPE") as raised:
        list(read_feed(FIXTURES / "bad_feed_doctype.xml"))
    assert str(raised.value).startswith("bad_feed_doctype.xml: ")
    assert "without a DOCTYPE" in str(raised.value)


def test_malformed_xml_names_the_line(tmp_path):
    path = tmp_path / "kapot.xml"
    path.write_text(
        "<vacancies>\n<vacancy><title>Lasser</title><description>MIG/MAG</description>"
        "</vacancy>\n<vacancy><title>Monteur & co</title></vacancy>\n</vacancies>\n"
    )
    reader = read_feed(path)
    assert next(reader).metadata["title"] == "Lasser"
    with pytest.raises(FeedError, match="XML is malformed") as raised:
        next(reader)
    assert raised.value.line == 3


def test_vacancy_with_unreadable_date_is_kept_without_it(tmp_path):
    path = tmp_path / "datum.jsonl"
    rows = [
        {"title": "Lasser", "description": "Lassen van constructies.", "date": "2025-03-01"},
        {"title": "Monteur", "description": "Monteren van kozijnen.", "date": "31-02-2025"},
    ]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    reader = read_feed(path)  # no skip_bad needed: a bad date does not cost the vacancy
    docs = list(reader)
    assert [doc.metadata.get("date_posted") for doc in docs] == ["2025-03-01", None]
    assert docs[1].metadata["date_posted_unreadable"] == "31-02-2025"
    assert reader.skipped == []
    [warning] = reader.warnings
    assert (warning.row, warning.line) == (2, 2)
    assert "'31-02-2025' is not a date" in str(warning)
    assert "kept without a date" in str(warning)


def test_vacancy_without_text_is_a_bad_row(tmp_path):
    path = tmp_path / "leeg.json"
    path.write_text(json.dumps([{"id": "A1", "title": "", "description": "  "}]))
    with pytest.raises(FeedError, match="vacancy 1, line 1: no text"):
        list(read_feed(path))


def test_json_wrapper_object_streams_its_vacancies_array(tmp_path):
    vacancies = json.loads((FIXTURES / "vacatures.json").read_text())[:3]
    path = tmp_path / "api.json"
    path.write_text(json.dumps({"total": 3, "page": 1, "vacancies": vacancies}, indent=2))
    reader = read_feed(path)
    assert [doc.metadata["id"] for doc in reader] == ["V2024-001", "V2024-002", "V2024-003"]
    assert reader.skipped == []


OLD_EXCEL = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)  # the OLE2 header of .xls/.doc


def _xlsx(path: Path) -> Path:
    import zipfile

    with zipfile.ZipFile(path, "w") as book:
        book.writestr("[Content_Types].xml", "<Types/>")
        book.writestr("xl/workbook.xml", "<workbook/>")
    return path


@pytest.mark.parametrize(
    ("source", "name", "what"),
    [
        (FIXTURES / "cv_monteur_elektrotechniek.pdf", "vacatures.csv", "a PDF document"),
        (FIXTURES / "cv_boekhouder.docx", "feed", "a Word document"),
        (None, "vacatures.xlsx", "an Excel workbook (.xlsx)"),
        (OLD_EXCEL, "vacatures.csv", "an old Word 97-2003 (.doc) or Excel file"),
    ],
    ids=["pdf named .csv", "docx without a name", "xlsx", "old excel named .csv"],
)
def test_a_document_or_workbook_is_not_read_as_csv_rows(tmp_path, source, name, what):
    """Its bytes used to be parsed as CSV ("none of the text columns ... its columns: %PDF-1.4");
    it is refused by what it is, with what to give instead, before any row is read."""
    path = tmp_path / name
    if source is None:
        _xlsx(path)
    elif source is OLD_EXCEL:
        path.write_bytes(source)
    else:
        path.write_bytes(source.read_bytes())
    with pytest.raises(FeedError) as raised:
        read_feed(path)
    message = str(raised.value)
    assert f"{name}: this is {what}, not a vacancy feed" in message
    assert "CSV UTF-8" in message and "vaardig extract" in message


def test_a_folder_is_not_a_feed(tmp_path):
    with pytest.raises(FeedError, match="this is a folder, not a feed file"):
        read_feed(tmp_path)


def test_xml_record_is_the_vacancy_not_an_element_nested_in_it(tmp_path):
    """<bedrijf><naam> has a title-like child too; it used to be taken for the record, so
    each "vacancy" was just the employer's name and the vacancy text was lost."""
    path = tmp_path / "genest.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<vacatures>\n'
        '<vacature id="X1"><bedrijf><naam>Bakkerij Smit</naam><plaats>Zeist</plaats></bedrijf>'
        "<titel>Bakker</titel><omschrijving><![CDATA[<p>Je bakt <b>brood</b>.</p>]]>"
        "</omschrijving><datum>2024-01-10</datum></vacature>\n"
        '<vacature id="X2"><bedrijf><naam>Garage Peters</naam><plaats>Venlo</plaats></bedrijf>'
        "<titel>Autotechnicus</titel><omschrijving>Je voert APK-keuringen uit.</omschrijving>"
        "</vacature>\n</vacatures>\n",
        encoding="utf-8",
    )
    docs = list(read_feed(path))
    assert [doc.source for doc in docs] == ["genest.xml#X1", "genest.xml#X2"]
    assert docs[0].text == "Bakker\n\nJe bakt brood."
    assert docs[0].metadata["title"] == "Bakker"
    assert docs[0].metadata["employer"] == "Bakkerij Smit"  # the nested <naam>
    assert docs[0].metadata["location"] == "Zeist"
    assert docs[1].text == "Autotechnicus\n\nJe voert APK-keuringen uit."


def test_xml_container_with_a_title_of_its_own_yields_its_items(tmp_path):
    items = "".join(
        f"<item><title>Lasser {n}</title><description>Je last constructies.</description>"
        f"<guid>L{n}</guid></item>"
        for n in range(1, 4)
    )
    path = tmp_path / "rss.xml"
    path.write_text(
        "<rss><channel><title>Vacatures bij Staalbouw</title>"
        f"<description>Alle vacatures</description>{items}</channel></rss>"
    )
    docs = list(read_feed(path))
    assert [doc.metadata["title"] for doc in docs] == ["Lasser 1", "Lasser 2", "Lasser 3"]


def test_xml_without_vacancy_elements_says_so(tmp_path):
    path = tmp_path / "leeg.xml"
    path.write_text("<vacatures><export datum='2024-01-01'/></vacatures>")
    with pytest.raises(FeedError, match="no element has a title or description child"):
        list(read_feed(path))


def test_xml_in_windows_1252_without_encoding_declaration_is_read(tmp_path):
    path = tmp_path / "ansi.xml"
    path.write_bytes(
        "<vacatures><vacature><titel>Café-medewerker</titel>"
        "<omschrijving>Je zet koffie en bedient gasten.</omschrijving></vacature>"
        "</vacatures>".encode("cp1252")
    )
    assert next(read_feed(path)).metadata["title"] == "Café-medewerker"


def _excel_rows(delimiter: str) -> str:
    rows = [
        ["id", "functietitel", "omschrijving", "publicatiedatum"],
        ["V1", "Heftruckchauffeur", "Je rijdt heftruck, laadt en lost.", "05-03-2024"],
        ["V2", "Kok", "Je kookt en bewaakt HACCP en hygiëne.", "06-03-2024"],
    ]
    return "".join(delimiter.join(row) + "\r\n" for row in rows)


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-16", "\t"), ("utf-16", ";"), ("utf-16", ","), ("utf-16-le", "\t")],
    ids=["excel unicode text", "utf-16 semicolons", "utf-16 commas", "utf-16 without bom"],
)
def test_csv_in_utf16_is_decoded(tmp_path, encoding, delimiter):
    text = _excel_rows(delimiter)
    if delimiter == ",":
        text = text.replace("Je rijdt heftruck, laadt en lost.", '"Je rijdt heftruck, laadt"')
    path = tmp_path / "vacatures.csv"
    path.write_bytes(text.encode(encoding))
    reader = read_feed(path)
    docs = list(reader)
    assert [doc.metadata["title"] for doc in docs] == ["Heftruckchauffeur", "Kok"]
    assert "hygiëne" in docs[1].text
    assert docs[1].metadata["date_posted"] == "2024-03-06"
    assert reader.skipped == []


def test_csv_excel_sep_line_names_the_delimiter_and_is_not_the_header(tmp_path):
    path = tmp_path / "sep.csv"
    path.write_text(
        'sep=;\nid;functietitel;omschrijving\n1;Kok;"Je kookt, bakt en bewaakt HACCP."\n2;Monteur\n'
    )
    reader = read_feed(path, skip_bad=True)
    [doc] = list(reader)
    assert doc.text == "Kok\n\nJe kookt, bakt en bewaakt HACCP."
    assert (reader.skipped[0].row, reader.skipped[0].line) == (2, 4)  # lines of the file


def test_json_in_windows_1252_is_decoded(tmp_path):
    path = tmp_path / "ansi.json"
    vacancy = {"id": "V1", "title": "Café-medewerker", "description": "Je zet koffie."}
    path.write_bytes(json.dumps([vacancy], ensure_ascii=False).encode("cp1252"))
    assert next(read_feed(path)).metadata["title"] == "Café-medewerker"


def test_json_that_changes_encoding_midway_is_a_feed_error(tmp_path):
    # The first 64 KB are ASCII (so UTF-8); a cp1252 "é" far below is not UTF-8.
    filler = [{"id": f"V{n}", "title": "Lasser", "description": "x" * 500} for n in range(200)]
    late = {"id": "V999", "title": "Café-medewerker", "description": "Je zet koffie."}
    path = tmp_path / "gemengd.json"
    path.write_bytes(json.dumps([*filler, late], ensure_ascii=False).encode("cp1252"))
    with pytest.raises(FeedError, match="not UTF-8 throughout") as raised:
        list(read_feed(path))
    assert "Save the whole feed as UTF-8" in str(raised.value)


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("5 maart 2024", "2024-03-05"),
        ("6 mrt. 2024", "2024-03-06"),
        ("di 5 mrt 2024", "2024-03-05"),
        ("2024/03/06", "2024-03-06"),
        ("06-03-2024", "2024-03-06"),
        ("06/03/2024 10:30", "2024-03-06"),
        ("March 5, 2024", "2024-03-05"),
        ("2024-03-06T09:00:00Z", "2024-03-06"),
    ],
)
def test_common_dutch_and_english_dates_are_read(written, iso):
    assert parse_date(written) == iso


def test_csv_with_dutch_written_dates_keeps_every_vacancy(tmp_path):
    path = tmp_path / "datums.csv"
    path.write_text(
        "id;functietitel;omschrijving;publicatiedatum\n"
        "1;Kok;Je kookt.;5 maart 2024\n2;Monteur;Je installeert.;2024/03/06\n"
        "3;Lasser;Je last.;ergens in maart\n"
    )
    reader = read_feed(path)
    docs = list(reader)
    assert [doc.metadata.get("date_posted") for doc in docs] == ["2024-03-05", "2024-03-06", None]
    assert [warning.row for warning in reader.warnings] == [3]


def test_a_named_text_column_that_is_missing_is_an_error(tmp_path):
    path = tmp_path / "vacatures.csv"
    path.write_text("id;functietitel;omschrijving\n1;Kok;Je kookt.\n")
    with pytest.raises(FeedError) as raised:
        list(read_feed(path, text_columns=["functietitel", "omschrijving", "eisen"]))
    message = str(raised.value)
    assert "the CSV has no column eisen" in message
    assert "its columns: id, functietitel, omschrijving" in message
    assert "--text-columns" in message


def test_default_text_columns_need_only_one_of_them(tmp_path):
    path = tmp_path / "alleen_tekst.csv"
    path.write_text('description\n"Je rijdt heftruck, laadt en lost."\n')
    assert next(read_feed(path)).text == "Je rijdt heftruck, laadt en lost."


def test_a_named_json_field_no_vacancy_has_is_reported(tmp_path):
    path = tmp_path / "vacatures.json"
    path.write_text(json.dumps([{"title": "Kok", "description": "Je kookt."}]))
    reader = read_feed(path, text_columns=["title", "description", "eisen"])
    assert len(list(reader)) == 1
    [warning] = reader.warnings
    assert "no vacancy has the text field(s) eisen" in str(warning)


def test_bad_vacancy_advice_is_for_command_line_and_library_users(tmp_path):
    path = tmp_path / "leeg.json"
    path.write_text(json.dumps([{"id": "A1", "title": "", "description": ""}]))
    with pytest.raises(FeedError) as raised:
        list(read_feed(path))
    assert "skip bad vacancies (vaardig feed --skip-bad; skip_bad=True in the library)" in str(
        raised.value
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("leeg.json", "[]"),
        ("kop.csv", "id;titel;omschrijving\n"),
        ("org.jsonld", '{"@graph": [{"@type": "Organization", "name": "Smit"}]}'),
    ],
    ids=["empty array", "csv header only", "json-ld without job postings"],
)
def test_a_feed_without_vacancies_is_an_error(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(FeedError, match="the feed holds no vacancies"):
        list(read_feed(path, skip_bad=True))


def test_repeated_vacancy_ids_get_distinct_sources(tmp_path):
    path = tmp_path / "dubbel.json"
    vacancies = [
        {"id": "V1", "title": "Kok", "description": "Je kookt."},
        {"id": "V2", "title": "Boekhouder", "description": "Je boekt facturen."},
        {"id": "V2", "title": "Monteur", "description": "Je monteert zonnepanelen."},
    ]
    path.write_text(json.dumps(vacancies))
    docs = list(read_feed(path))
    assert [doc.source for doc in docs] == [
        "dubbel.json#V1",
        "dubbel.json#V2",
        "dubbel.json#V2@row3",
    ]
    assert [doc.metadata["id"] for doc in docs] == ["V1", "V2", "V2"]


def test_xml_whose_root_is_one_vacancy_is_read(tmp_path):
    path = tmp_path / "vacature.xml"
    path.write_text(
        "<vacature><titel>Lasser</titel><omschrijving>Je last constructies.</omschrijving>"
        "</vacature>"
    )
    assert [doc.text for doc in read_feed(path)] == ["Lasser\n\nJe last constructies."]


def test_a_named_record_element_that_is_not_there_is_an_error(tmp_path):
    path = tmp_path / "vacatures.xml"
    path.write_text(
        "<vacatures><vacature><titel>Kok</titel><omschrijving>Je kookt.</omschrijving>"
        "</vacature></vacatures>",
        encoding="utf-8",
    )
    assert [d.metadata["title"] for d in read_feed(path, record_tag="vacature")] == ["Kok"]
    with pytest.raises(FeedError, match="the XML has no <job> elements"):
        list(read_feed(path, record_tag="job"))
