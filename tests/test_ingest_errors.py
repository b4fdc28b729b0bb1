"""Bad uploads raise a specific IngestError that names the file and says what to do."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from extractor.errors import (
    CorruptFileError,
    EmptyDocumentError,
    EncodingError,
    EncryptedPdfError,
    FileTooLargeError,
    IngestError,
    NotADocxError,
    ScannedPdfError,
    UnreadableFileError,
    UnsupportedFormatError,
    ZipBombError,
)
from extractor.ingest import read_document

FIXTURES = Path(__file__).parent / "fixtures" / "documents"


@pytest.mark.parametrize(
    ("name", "error", "says"),
    [
        ("bad_scanned.pdf", ScannedPdfError, "no text layer"),
        ("bad_encrypted.pdf", EncryptedPdfError, "password"),
        ("bad_truncated.pdf", CorruptFileError, "cannot be opened"),
        ("bad_not_a_zip.docx", NotADocxError, "not a Word .docx file"),
        ("bad_zip_bomb.docx", ZipBombError, "zip bomb"),
        ("bad_binary_junk.txt", UnsupportedFormatError, "binary data"),
        ("bad_empty.txt", EmptyDocumentError, "empty"),
        ("bad_whitespace.txt", EmptyDocumentError, "no text"),
        ("bad_unknown_encoding.txt", EncodingError, "encoding is not recognised"),
    ],
)
def test_bad_input_raises_its_specific_error(name, error, says):
    with pytest.raises(error) as raised:
        read_document(FIXTURES / name)
    assert says in str(raised.value)


@pytest.mark.parametrize(
    ("name", "advice"),
    [
        ("bad_scanned.pdf", "Upload the original Word/PDF export"),
        ("bad_encrypted.pdf", "Remove the password"),
        ("bad_truncated.pdf", "Export or download the file again"),
        ("bad_not_a_zip.docx", "save it as .docx or PDF"),
        ("bad_zip_bomb.docx", "Save the document again"),
        ("bad_binary_junk.txt", "Upload the CV or vacancy as PDF"),
        ("bad_empty.txt", "Check that you uploaded the right file"),
        ("bad_unknown_encoding.txt", "Save the file as UTF-8"),
    ],
)
def test_error_message_names_the_file_and_what_to_do(name, advice):
    with pytest.raises(IngestError) as raised:
        read_document(FIXTURES / name)
    assert raised.value.filename == name
    assert str(raised.value).startswith(f"{name}: ")
    assert advice in str(raised.value)


def test_error_names_the_upload_name_for_bytes_input():
    data = (FIXTURES / "bad_encrypted.pdf").read_bytes()
    with pytest.raises(EncryptedPdfError, match=r"^mijn-cv\.pdf: "):
        read_document(data, filename="mijn-cv.pdf")


def test_zip_bomb_is_refused_from_the_zip_directory_before_unpacking():
    # The fixture is ~5 kB on disk and declares a 5 MB entry: far over the ratio limit.
    path = FIXTURES / "bad_zip_bomb.docx"
    assert path.stat().st_size < 10_000
    with pytest.raises(ZipBombError, match=r"compressed 1,0\d\dx"):
        read_document(path)


def test_old_word_doc_renamed_to_docx_says_so():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    with pytest.raises(NotADocxError, match=r"old Word 97-2003 \.doc"):
        read_document(data, filename="cv.docx")


def test_image_with_document_extension_is_unsupported():
    png = b"\x89PNG\r\n\x1a\n" + bytes(64)
    with pytest.raises(UnsupportedFormatError, match="PNG image"):
        read_document(png, filename="cv.txt")


XML_FEED = b'<?xml version="1.0"?>\n<vacatures><vacature><titel>Kok</titel></vacature></vacatures>'


@pytest.mark.parametrize(
    ("filename", "content", "kind"),
    [
        ("vacatures.json", (FIXTURES / "vacatures.json").read_bytes(), "JSON"),
        ("vacatures.csv", (FIXTURES / "vacatures.csv").read_bytes(), "CSV"),
        ("export.txt", b'[{"title": "Monteur", "description": "Je sluit panelen aan."}]', "JSON"),
        ("feed.txt", b'{"title": "Monteur"}\n{"title": "Kok"}\n', "JSON"),  # JSON Lines
        ("feed", XML_FEED, "XML"),
    ],
    ids=["json feed", "csv feed", "json named .txt", "json lines", "xml without a name"],
)
def test_a_feed_is_not_read_as_one_cv_or_vacancy(filename, content, kind):
    """A vacancy feed read as one document would be its syntax turned into 'text', with
    nothing or nonsense extracted: it is refused with where to load it instead."""
    with pytest.raises(UnsupportedFormatError) as raised:
        read_document(content, filename=filename)
    message = str(raised.value)
    assert f"a data file ({kind}), not one CV or vacancy" in message
    assert "vaardig feed" in message and message.startswith(filename)


def test_prose_and_xhtml_that_start_like_data_are_still_documents():
    cv = read_document(b"[Concept] Curriculum vitae\nIk rijd heftruck.\n", filename="cv.txt")
    assert cv.text.startswith("[Concept]")
    xhtml = b'<?xml version="1.0"?>\n<html><body><p>Ik rijd heftruck.</p></body></html>'
    page = read_document(xhtml, filename="cv")
    assert page.metadata["format"] == "html" and "heftruck" in page.text


def test_a_folder_is_refused_with_what_to_give_instead(tmp_path):
    with pytest.raises(UnsupportedFormatError, match="this is a folder, not a file") as raised:
        read_document(tmp_path)
    assert f"{tmp_path}/*.pdf" in str(raised.value)


def test_a_missing_file_is_refused_with_what_to_check(tmp_path):
    missing = tmp_path / "cv_jansen.pdf"
    with pytest.raises(UnreadableFileError, match="no such file") as raised:
        read_document(missing)
    assert str(missing) in str(raised.value) and "Check the path" in str(raised.value)


def test_size_limit_is_configurable(tmp_path):
    path = tmp_path / "cv.txt"
    shutil.copy(FIXTURES / "cv_heftruckchauffeur.txt", path)
    size = path.stat().st_size
    assert read_document(path).kind == "cv"  # under the 10 MB default
    with pytest.raises(FileTooLargeError) as raised:
        read_document(path, max_bytes=size - 1)
    assert raised.value.size == size
    assert raised.value.limit == size - 1
    assert "max_bytes" in str(raised.value)
    assert read_document(path, max_bytes=size).kind == "cv"


def test_size_limit_applies_to_bytes_input():
    data = (FIXTURES / "cv_boekhouder.docx").read_bytes()
    with pytest.raises(FileTooLargeError, match="the limit is 1 kB"):
        read_document(data, filename="cv.docx", max_bytes=1000)


def test_pdf_page_limit_is_configurable():
    path = FIXTURES / "cv_monteur_elektrotechniek.pdf"  # two pages
    with pytest.raises(FileTooLargeError) as raised:
        read_document(path, max_pages=1)
    assert (raised.value.size, raised.value.limit, raised.value.unit) == (2, 1, "pages")
    assert "document has 2 pages; the limit is 1 pages" in str(raised.value)
    assert read_document(path, max_pages=2).metadata["pages"] == 2


def test_an_excel_workbook_is_named_as_such():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        book.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(UnsupportedFormatError, match=r"an Excel workbook \(\.xlsx\), not a Word"):
        read_document(buffer.getvalue(), filename="cv.xlsx")
