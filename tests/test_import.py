"""Importing official ESCO downloads: versions, switching, coverage, and every kind of bad input.

Inputs are the trimmed official v1.1.1 zips in ``tests/fixtures/esco-zips/`` (made by
``scripts/make_esco_zip_fixtures.py``) and broken copies of them built in ``tmp_path``. Each
test gets its own data directory, so nothing here touches the active taxonomy of other tests.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from taxonomy import load_taxonomy
from taxonomy.coverage import coverage, fallback_concepts
from taxonomy.importer import (
    DEFAULT_LIMITS,
    DuplicateUriError,
    EscoImportError,
    EscoVersionError,
    ImportLimits,
    InvalidUriError,
    MalformedCsvError,
    NotUtf8Error,
    RowCountError,
    UnknownConceptError,
    VersionExistsError,
    WrongDownloadError,
    import_taxonomy,
)
from taxonomy.loader import BUNDLED_DIR, fingerprint, read_manifest
from taxonomy.model import TaxonomyDataError
from taxonomy.versions import (
    BUNDLED,
    UnknownVersionError,
    active_taxonomy_dir,
    active_version_id,
    list_versions,
    missing_concepts,
    taxonomies_dir,
    use_version,
)
from vaardig.cli import app

ZIPS = Path(__file__).parent / "fixtures" / "esco-zips"
EN = ZIPS / "v1.1.1_classification_ESCOdataset-v1.1.1-classification-en-csv.zip"
NL = ZIPS / "v1.1.1_classification_ESCOdataset-v1.1.1-classification-nl-csv.zip"
REL = ZIPS / "v1.1.1_relations_ESCOdataset-v1.1.1-classification--csv.zip"
OFFICIAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "esco-official-zips"
SMALL = ImportLimits.relaxed()  # the fixtures hold a few hundred skills, not 13,896
# falls back to English in the bundled data; the Dutch fixture zip gives it a Dutch label
ARC_WELDING = "http://data.europa.eu/esco/skill/27d26fd6-5795-4f0a-884e-112df7c68314"
FORKLIFT = "http://data.europa.eu/esco/skill/28cb374e-6261-4133-8371-f9a5470145da"


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    """A fresh, empty Vaardig data directory per test (the bundled taxonomy is active)."""
    from vaardig.settings import get_settings

    folder = tmp_path / "data"
    monkeypatch.setenv("VAARDIG_DATA_DIR", str(folder))
    monkeypatch.delenv("VAARDIG_TAXONOMY_DIR", raising=False)
    get_settings.cache_clear()
    yield folder
    get_settings.cache_clear()


def rows_in(zip_path: Path, member: str) -> list[dict[str, str]]:
    with zipfile.ZipFile(zip_path) as zf:
        text = zf.read(member).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def member_text(zip_path: Path, member: str) -> str:
    with zipfile.ZipFile(zip_path) as zf:
        return zf.read(member).decode("utf-8")


def rebuild(
    src: Path,
    dst_dir: Path,
    member: str | None = None,
    edit: Callable[[str], bytes] | None = None,
    keep: Callable[[str], bool] = lambda name: True,
    name: str | None = None,
) -> Path:
    """A copy of the zip ``src`` in ``dst_dir`` (same name unless ``name``), with ``member``
    rewritten by ``edit(text) -> bytes`` and only the members ``keep`` accepts."""
    dst_dir.mkdir(parents=True, exist_ok=True)
    dst = dst_dir / (name or src.name)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if not keep(info.filename):
                continue
            data = zin.read(info)
            if info.filename == member and edit is not None:
                data = edit(data.decode("utf-8"))
            zout.writestr(info.filename, data)
    return dst


def line_of(text: str, offset: int) -> int:
    """The physical (1-based) line of a character offset."""
    return text.count("\n", 0, offset) + 1


def install_good(version_id: str = "good") -> Path:
    """An imported, active version that a failed import must leave alone."""
    report = import_taxonomy([EN, REL], version_id=version_id, limits=SMALL, activate=True)
    return report.path


def assert_untouched(active_before: str, installed: Path, print_before: str, data_dir: Path):
    """The active version, its files, and the versions folder are as before the failed import."""
    assert active_version_id() == active_before
    assert fingerprint(installed) == print_before
    leftovers = [p.name for p in taxonomies_dir().iterdir() if p.name.startswith(".")]
    assert leftovers == [], f"half-written folders left behind: {leftovers}"
    assert [v.id for v in list_versions()] == [BUNDLED, "good"]


# --- importing good downloads ------------------------------------------------------------------


def test_english_and_relations_zips_install_a_version_with_every_concept():
    report = import_taxonomy([EN, REL], limits=SMALL, activate=False)

    assert report.version_id == "esco-v1.1.1-en"
    assert report.esco_version == "v1.1.1" and report.languages == ("en",)
    assert "esco-v1.1.1-en" in [v.id for v in list_versions()]
    tx = load_taxonomy(report.path)
    assert tx.count("skill") == len(rows_in(EN, "skills_en.csv"))
    assert tx.count("occupation") == len(rows_in(EN, "occupations_en.csv"))
    forklift_operator = next(
        r["conceptUri"]
        for r in rows_in(EN, "occupations_en.csv")
        if r["preferredLabel"] == "forklift operator"
    )
    assert FORKLIFT in [s.uri for s, _ in tx.skills_of(forklift_operator, "essential")]
    assert active_version_id() == BUNDLED  # activate=False


def test_official_relation_to_a_missing_occupation_is_tolerated_and_reported():
    # the real v1.1.1 relations name an occupation that occupations_en lacks; the fixture keeps one
    report = import_taxonomy([EN, REL], limits=SMALL, activate=False)

    (warning,) = report.warnings
    assert "occupationSkillRelations.csv" in warning and "1 of 442 rows" in warning
    assert "a9e54177-a185-404d-b6e6-15663d31137e" in warning


def test_dutch_zip_gives_dutch_labels_and_raises_coverage():
    english = load_taxonomy(import_taxonomy([EN, REL], limits=SMALL, activate=False).path)
    report = import_taxonomy([EN, REL, NL], limits=SMALL, activate=False)
    dutch = load_taxonomy(report.path)

    assert report.version_id == "esco-v1.1.1-en-nl" and report.languages == ("en", "nl")
    before = coverage(english)["languages"]["nl"]["skill"]["preferred"]
    after = coverage(dutch)["languages"]["nl"]["skill"]["preferred"]
    assert before == 0
    assert after == len(rows_in(NL, "skills_nl.csv"))
    welding = dutch.get(ARC_WELDING)
    assert welding.label == "booglastechnieken toepassen" and not welding.label_is_fallback
    assert welding.pref_en == "apply arc welding techniques"


def test_dutch_zip_alone_builds_on_the_bundled_english_of_the_same_version(taxonomy):
    bundled = taxonomy  # the session's bundled taxonomy, shared with other test modules
    assert bundled.version == "esco-v1.1.1"
    assert bundled.get(ARC_WELDING).label_is_fallback  # the gap this import closes

    report = import_taxonomy([NL], limits=SMALL, activate=False)
    merged = load_taxonomy(report.path)

    assert report.base == BUNDLED and report.version_id == "esco-v1.1.1-en-nl"
    assert merged.count("skill") == bundled.count("skill")
    assert merged.get(ARC_WELDING).label == "booglastechnieken toepassen"
    skills_nl = lambda tx: coverage(tx)["languages"]["nl"]["skill"]["preferred"]  # noqa: E731
    assert skills_nl(merged) > skills_nl(bundled)
    # skills the Dutch file leaves out keep the bundled Dutch labels (merged per concept)
    in_file = {r["conceptUri"] for r in rows_in(NL, "skills_nl.csv")}
    other = next(c for c in bundled.iter("skill") if c.pref_nl and c.uri not in in_file)
    assert merged.get(other.uri).pref_nl == other.pref_nl
    # the trimmed occupations_nl has 10 rows; the bundled one fills the other occupations
    assert all(c.pref_nl for c in merged.iter("occupation"))
    assert report.filled_from_base["nl/occupations_nl.csv.gz"] == bundled.count("occupation") - 10


def test_several_languages_install_side_by_side_and_any_language_is_counted(tmp_path):
    # a German download has the same layout; built here from the Dutch fixture by renaming
    german = rebuild(NL, tmp_path, name=NL.name.replace("-nl-", "-de-"))
    with zipfile.ZipFile(german) as zf:
        files = {n.replace("_nl.csv", "_de.csv"): zf.read(n) for n in zf.namelist()}
    with zipfile.ZipFile(german, "w") as zf:
        for n, data in files.items():
            zf.writestr(n, data)

    report = import_taxonomy([EN, REL, NL, german], limits=SMALL, activate=False)
    tx = load_taxonomy(report.path)
    cov = coverage(tx, read_manifest(report.path))

    assert report.version_id == "esco-v1.1.1-en-de-nl"
    assert set(cov["languages"]) == {"nl", "en", "de"}
    assert cov["languages"]["de"]["skill"]["preferred"] == len(rows_in(NL, "skills_nl.csv"))
    assert tx.get(ARC_WELDING).label == "booglastechnieken toepassen"  # Dutch is still shown


def test_unpacked_folders_import_like_the_zips(tmp_path):
    folders = []
    for src, name in (
        (EN, "ESCO dataset - v1.1.1 - classification - en - csv"),
        (REL, "ESCO dataset - v1.1.1 - relations - csv"),
    ):
        with zipfile.ZipFile(src) as zf:
            zf.extractall(tmp_path / name)
        folders.append(tmp_path / name)

    from_folders = import_taxonomy(folders, version_id="folders", limits=SMALL, activate=False)
    from_zips = import_taxonomy([EN, REL], version_id="zips", limits=SMALL, activate=False)

    assert from_folders.rows == from_zips.rows
    a, b = load_taxonomy(from_folders.path), load_taxonomy(from_zips.path)
    assert a.concepts == b.concepts and a.occupation_skills == b.occupation_skills


def test_newer_layout_with_relations_inside_the_language_zip(tmp_path):
    # later ESCO downloads put the relation files, with a language suffix, in the language zip
    newer = tmp_path / "ESCO dataset - v1.2.0 - classification - en - csv.zip"
    with zipfile.ZipFile(newer, "w") as out:
        for src in (EN, REL):
            with zipfile.ZipFile(src) as zf:
                for name in zf.namelist():
                    renamed = name if name.endswith("_en.csv") else name.replace(".csv", "_en.csv")
                    out.writestr(f"ESCO dataset - v1.2.0/{renamed}", zf.read(name))

    report = import_taxonomy([newer], limits=SMALL, activate=False)

    assert report.version_id == "esco-v1.2.0-en" and report.base is None
    assert "en/occupationSkillRelations.csv.gz" in report.rows
    assert load_taxonomy(report.path).occupation_skills


def test_version_is_read_from_the_names_or_given(tmp_path):
    unnamed = [
        rebuild(EN, tmp_path, name="classification.zip"),
        rebuild(REL, tmp_path, name="relations.zip"),
    ]
    with pytest.raises(EscoVersionError, match="--esco-version"):
        import_taxonomy(unnamed, limits=SMALL)

    report = import_taxonomy(unnamed, esco_version="1.1.1", limits=SMALL, activate=False)
    assert report.version_id == "esco-v1.1.1-en"


def test_reimporting_a_version_needs_replace():
    import_taxonomy([EN, REL], limits=SMALL, activate=True)
    with pytest.raises(VersionExistsError, match="--replace"):
        import_taxonomy([EN, REL], limits=SMALL)

    report = import_taxonomy([EN, REL, NL], version_id="esco-v1.1.1-en", replace=True, limits=SMALL)
    assert load_taxonomy().get(ARC_WELDING).pref_nl == "booglastechnieken toepassen"
    assert [p.name for p in taxonomies_dir().iterdir() if p.name.startswith(".")] == []
    assert report.path.name == active_version_id() == "esco-v1.1.1-en"


# --- switching versions ------------------------------------------------------------------------


def test_use_switches_the_taxonomy_that_load_taxonomy_returns():
    report = import_taxonomy([EN, REL, NL], limits=SMALL, activate=False)
    assert active_taxonomy_dir() == BUNDLED_DIR

    use_version(report.version_id)
    assert load_taxonomy().version == "esco-v1.1.1-en-nl"
    assert [v.id for v in list_versions() if v.active] == ["esco-v1.1.1-en-nl"]

    use_version("bundled")
    assert active_taxonomy_dir() == BUNDLED_DIR
    with pytest.raises(UnknownVersionError, match=r"esco-v1\.1\.1-en-nl"):
        use_version("esco-v9")


def test_settings_taxonomy_dir_overrides_the_active_version(monkeypatch, mini_taxonomy_dir):
    from vaardig.settings import get_settings

    import_taxonomy([EN, REL], limits=SMALL, activate=True)
    monkeypatch.setenv("VAARDIG_TAXONOMY_DIR", str(mini_taxonomy_dir))
    get_settings.cache_clear()
    assert load_taxonomy().version == "esco-mini-test"


def test_active_version_deleted_by_hand_is_an_error_not_a_silent_fallback():
    report = import_taxonomy([EN, REL], limits=SMALL, activate=True)
    shutil.rmtree(report.path)
    with pytest.raises(TaxonomyDataError, match="taxonomy use bundled"):
        load_taxonomy()


def test_missing_concepts_lists_passport_uris_the_version_lacks():
    tx = load_taxonomy(import_taxonomy([EN, REL], limits=SMALL, activate=False).path)
    not_in_fixture = "http://data.europa.eu/esco/skill/0005c151-5b5a-4a66-8aac-60e734beb1ab"

    found = missing_concepts([FORKLIFT, f" {not_in_fixture} ", not_in_fixture, ""], tx)
    assert found == [not_in_fixture]


def test_fallback_concepts_lists_english_labels_most_used_first():
    tx = load_taxonomy(import_taxonomy([EN, REL, NL], limits=SMALL, activate=False).path)
    listed = fallback_concepts(tx, "skill")

    assert len(listed) == coverage(tx)["fallback"]["skill"] > 0
    assert all(c.label_is_fallback for c in listed)
    uses = [len(tx.occupations_of(c.uri)) for c in listed]
    assert uses == sorted(uses, reverse=True)


# --- bad input: a specific error naming file and line; nothing changes ---------------------------


def _truncated(text: str) -> tuple[bytes, int]:
    """Cut the file inside the multi-line altLabels of a row: an unterminated quote."""
    row = next(r for r in csv.DictReader(io.StringIO(text, newline="")) if "\n" in r["altLabels"])
    start = text.rfind("\n", 0, text.index(row["conceptUri"])) + 1
    cut = text.index(row["altLabels"].split("\n")[1], start)
    return text[:cut].encode(), line_of(text, start)


def _latin1(text: str) -> tuple[bytes, int]:
    text = text.replace("welding", "soudure à l'arc", 1)
    data = text.encode("cp1252", errors="replace")
    first = next(i for i, b in enumerate(data) if b >= 0x80)
    return data, data.count(b"\n", 0, first) + 1


def _duplicate(text: str) -> tuple[bytes, int]:
    header_end = text.index("\n") + 1
    first_row = next(csv.reader(io.StringIO(text[header_end:], newline="")))
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\n").writerow(first_row)
    return (text + buf.getvalue()).encode(), line_of(text, len(text))


def _short_last_row(text: str) -> tuple[bytes, int]:
    uri = "http://data.europa.eu/esco/skill/ffffffff-ffff-4fff-bfff-ffffffffffff"
    return (text + f"KnowledgeSkillCompetence,{uri},skill/competence\n").encode(), line_of(
        text, len(text)
    )


def _bad_uri(text: str) -> tuple[bytes, int]:
    at = text.index("http://data.europa.eu/esco/skill/")
    return (text[:at] + "https" + text[at + 4 :]).encode(), line_of(text, at)


def _unknown_skills(text: str) -> tuple[bytes, int]:
    lines = text.split("\n")
    for i in range(10, 60):  # one-line rows: 50 of 442 relations to skills that do not exist
        parts = lines[i].split(",")
        parts[3] = f"http://data.europa.eu/esco/skill/00000000-0000-4000-8000-{i:012d}"
        lines[i] = ",".join(parts)
    return "\n".join(lines).encode(), 11


def _broken_late_file(text: str) -> tuple[bytes, int]:
    return (text + '"http://data.europa.eu/esco/skill/x,optional\n').encode(), line_of(
        text, len(text)
    )


BAD_FILES = {  # case -> (zip, member to break, edit(text) -> (bytes, expected line), error)
    "truncated csv": (EN, "skills_en.csv", _truncated, MalformedCsvError),
    "wrong encoding": (EN, "skills_en.csv", _latin1, NotUtf8Error),
    "duplicate uri": (EN, "skills_en.csv", _duplicate, DuplicateUriError),
    "short last row": (EN, "skills_en.csv", _short_last_row, MalformedCsvError),
    "not an esco uri": (EN, "skills_en.csv", _bad_uri, InvalidUriError),
    "relations to unknown skills": (
        REL,
        "occupationSkillRelations.csv",
        _unknown_skills,
        UnknownConceptError,
    ),
    "late file broken": (REL, "skillSkillRelations.csv", _broken_late_file, MalformedCsvError),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_file_names_file_and_line_and_changes_nothing(case, tmp_path, data_dir):
    src, member, edit, error = BAD_FILES[case]
    installed = install_good()
    active, print_before = active_version_id(), fingerprint(installed)
    expected_line: list[int] = []

    def edit_text(text: str) -> bytes:
        data, line = edit(text)
        expected_line.append(line)
        return data

    broken = rebuild(src, tmp_path / "broken", member, edit_text)
    inputs = [broken if p == src else p for p in (EN, REL)]

    with pytest.raises(error) as caught:
        import_taxonomy(inputs, limits=SMALL)

    assert caught.value.file == f"{src.name}/{member}"
    assert caught.value.line == expected_line[0]
    assert f"{member}, line {expected_line[0]}:" in str(caught.value)
    assert_untouched(active, installed, print_before, data_dir)


def test_missing_column_is_reported_on_the_header_line(tmp_path, data_dir):
    broken = rebuild(
        EN,
        tmp_path / "b",
        "occupations_en.csv",
        lambda t: t.replace("preferredLabel", "prefLabel", 1).encode(),
    )
    with pytest.raises(MalformedCsvError, match=r"occupations_en.csv, line 1: lacks the column"):
        import_taxonomy([broken, REL], limits=SMALL)


def test_zip_with_only_occupations_is_the_wrong_kind(tmp_path, data_dir):
    installed = install_good()
    active, print_before = active_version_id(), fingerprint(installed)
    only_occupations = rebuild(EN, tmp_path / "b", keep=lambda n: n == "occupations_en.csv")

    with pytest.raises(WrongDownloadError, match=r"not skills_en\.csv") as caught:
        import_taxonomy([only_occupations, REL], limits=SMALL)
    assert EN.name in str(caught.value)
    assert_untouched(active, installed, print_before, data_dir)


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        (lambda tmp: [REL], "only relation files"),
        (lambda tmp: [(tmp / "notes.txt")], "neither a zip archive nor a folder"),
        (lambda tmp: [tmp / "missing.zip"], "does not exist"),
        (
            lambda tmp: [rebuild(EN, tmp, keep=lambda n: False, name="empty-v1.1.1.zip")],
            "holds no ESCO CSV files",
        ),
    ],
)
def test_other_wrong_inputs_are_rejected(inputs, message, tmp_path):
    (tmp_path / "notes.txt").write_text("not ESCO")
    with pytest.raises(WrongDownloadError, match=message):
        import_taxonomy(inputs(tmp_path), limits=SMALL)


def test_full_release_row_counts_reject_a_trimmed_file():
    with pytest.raises(RowCountError, match=r"skills_en.csv: has 539 data rows; .* 8,000 to"):
        import_taxonomy([EN, REL], limits=DEFAULT_LIMITS)


def test_strict_limits_reject_even_one_relation_to_an_unknown_concept():
    strict = dataclasses.replace(SMALL, max_unknown_fraction=0.0)
    with pytest.raises(UnknownConceptError) as caught:
        import_taxonomy([EN, REL], limits=strict)
    assert caught.value.line == 443 and "occupationSkillRelations.csv" in caught.value.file


def test_translation_of_a_concept_english_lacks_is_rejected(tmp_path):
    ghost = "http://data.europa.eu/esco/skill/ffffffff-ffff-4fff-bfff-ffffffffffff"
    text = member_text(NL, "skills_nl.csv")
    at = text.index("http://data.europa.eu/esco/skill/")
    end = text.index(",", at)
    broken = rebuild(NL, tmp_path, "skills_nl.csv", lambda t: (t[:at] + ghost + t[end:]).encode())
    with pytest.raises(UnknownConceptError, match=r"skills_nl.csv, line 2: .* not in the English"):
        import_taxonomy([EN, REL, broken], limits=SMALL)


def test_downloads_of_different_versions_are_not_mixed(tmp_path):
    newer = rebuild(NL, tmp_path, name=NL.name.replace("v1.1.1", "v1.2.0"))
    with pytest.raises(EscoVersionError, match="different ESCO versions"):
        import_taxonomy([EN, REL, newer], limits=SMALL)


def test_interrupted_import_leaves_nothing_behind(data_dir):
    installed = install_good()
    active, print_before = active_version_id(), fingerprint(installed)

    def interrupt(where: str) -> None:
        if where.endswith("skillSkillRelations.csv"):  # after most files were written
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_taxonomy([EN, REL, NL], limits=SMALL, progress=interrupt)
    assert_untouched(active, installed, print_before, data_dir)


def test_import_errors_are_taxonomy_data_errors():
    # the CLI and service treat every TaxonomyError as a user error (one line, exit code 2)
    assert issubclass(EscoImportError, TaxonomyDataError)


# --- command line ------------------------------------------------------------------------------

runner = CliRunner()


def test_cli_import_list_use_and_coverage():
    result = runner.invoke(
        app,
        ["taxonomy", "import", str(EN), str(REL), str(NL), "--allow-small", "--no-index", "--json"],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["version_id"] == "esco-v1.1.1-en-nl" and report["activated"]
    assert report["coverage_after"]["languages"]["nl"]["skill"]["preferred"] == len(
        rows_in(NL, "skills_nl.csv")
    )

    listed = json.loads(runner.invoke(app, ["taxonomy", "list", "--json"]).stdout)
    assert [v["id"] for v in listed if v["active"]] == ["esco-v1.1.1-en-nl"]

    result = runner.invoke(app, ["taxonomy", "coverage", "--json", "--list-fallbacks", "3"])
    cov = json.loads(result.stdout)
    assert cov["version"] == "esco-v1.1.1-en-nl" and len(cov["fallback_skills"]) == 3

    result = runner.invoke(app, ["taxonomy", "use", "bundled", "--no-index"])
    assert result.exit_code == 0 and "Active taxonomy: bundled" in result.output
    assert active_version_id() == BUNDLED


def test_cli_use_reports_passport_uris_missing_in_the_version(tmp_path):
    import_taxonomy([EN, REL], limits=SMALL, activate=False)
    gone = "http://data.europa.eu/esco/skill/0005c151-5b5a-4a66-8aac-60e734beb1ab"
    passport = tmp_path / "passport.json"
    passport.write_text(json.dumps({"skills": [{"uri": FORKLIFT}, {"uri": gone}]}))

    result = runner.invoke(
        app, ["taxonomy", "use", "esco-v1.1.1-en", "--no-index", "--check-uris", str(passport)]
    )
    assert result.exit_code == 0, result.output
    assert "1 of 2 URIs" in result.output and gone in result.output


def test_cli_bad_download_is_one_error_with_exit_code_2(tmp_path):
    broken = rebuild(EN, tmp_path, "skills_en.csv", lambda t: _duplicate(t)[0])
    result = runner.invoke(app, ["taxonomy", "import", str(broken), str(REL), "--allow-small"])
    assert result.exit_code == 2
    message = result.output.replace("\n", "")  # rich wraps long lines at the console width
    assert "skills_en.csv, line" in message and "listed twice" in message
    assert "Traceback" not in result.output
    assert active_version_id() == BUNDLED


# --- the complete official download (slow) -----------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(not OFFICIAL.is_dir(), reason="official ESCO zips not available")
def test_full_official_english_download_imports_with_default_limits(request):
    if "slow" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("the full import takes a while: run with -m slow")
    report = import_taxonomy(sorted(OFFICIAL.glob("*.zip")), activate=False)
    tx = load_taxonomy(report.path)
    assert report.rows["en/skills_en.csv.gz"] == tx.count("skill") == 13_896
    assert tx.count("occupation") == 3_007
    assert report.rows["en/occupationSkillRelations.csv.gz"] == 123_855
    assert len(report.warnings) == 3  # the official files' own dangling relations
    assert os.path.getsize(report.path / "en" / "skills_en.csv.gz") > 1_000_000
