"""Import the official ESCO CSV download (any language, any version) as a taxonomy version.

The ESCO portal publishes, per version, one *classification* zip per language (``skills_nl.csv``,
``occupations_nl.csv``, ``skillGroups_nl.csv``, ``ISCOGroups_nl.csv``, collections, ...) and a
language-independent *relations* zip (``occupationSkillRelations.csv``,
``broaderRelationsSkillPillar.csv``, ``broaderRelationsOccPillar.csv``,
``skillSkillRelations.csv``; newer versions may ship these inside the classification zip with a
language suffix). :func:`import_taxonomy` takes those zips, or the folders they unpack to:

1. finds the ESCO files by name (any folder depth), the language from the file names and the
   ESCO version from the zip or folder names (``...-v1.2.0-...``);
2. when the download lacks the English files or the relations (e.g. only the Dutch zip), takes
   them from an installed taxonomy of the same ESCO version (the bundled data for v1.1.1), and
   keeps that base's other languages; where both have a translation file (``occupations_nl``),
   labels merge per concept: the download's label wins, the base fills concepts it leaves out;
3. checks every file, in order, while writing it gzip-compressed into a temporary folder:
   UTF-8, well-formed CSV, required columns, URI format, no duplicate URIs, row counts in a
   plausible range (:class:`ImportLimits`), and relations that point to known concepts;
4. loads the result with the normal loader (which also warms its cache), then renames the
   folder into ``<data_dir>/taxonomies/<version id>/`` in one step and, unless told not to,
   makes it the active version.

Every problem raises a subclass of :class:`EscoImportError` naming the file (``zip/member``) and
the CSV line. Nothing is installed or activated until every check passed: a failed or
interrupted import removes its temporary folder and leaves the active taxonomy as it was.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import hashlib
import io
import json
import re
import shutil
import tempfile
import time
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from taxonomy.model import TaxonomyDataError
from taxonomy.versions import BUNDLED, find_base, get_version, taxonomies_dir, use_version

# --- errors ------------------------------------------------------------------------------------

_REDOWNLOAD = (
    "use the files exactly as downloaded from the ESCO portal (esco.ec.europa.eu > Download, "
    "format CSV); download them again if they were edited or the download was cut off"
)


class EscoImportError(TaxonomyDataError):
    """An ESCO download that cannot be imported. ``file`` names the file (``zip/member``) and
    ``line`` the physical CSV line (1 = header), when the problem has one."""

    def __init__(
        self, file: object, problem: str, fix: str | None = None, line: int | None = None
    ) -> None:
        self.file = str(file)
        self.line = line
        where = f"{self.file}, line {line}" if line else self.file
        super().__init__(where, problem, fix or _REDOWNLOAD)


class WrongDownloadError(EscoImportError):
    """Not the ESCO CSV package: no ESCO files, or a classification missing required files."""


class MalformedCsvError(EscoImportError):
    """Not well-formed CSV: truncated, a row with the wrong number of fields, missing columns."""


class NotUtf8Error(MalformedCsvError):
    """Bytes that are not UTF-8 (the official files are UTF-8)."""


class MissingLabelError(EscoImportError):
    """An English concept without a preferred label (the engine needs one for every concept)."""


class InvalidUriError(EscoImportError):
    """A concept URI that is not an ESCO URI (``http://data.europa.eu/esco/...``)."""


class DuplicateUriError(EscoImportError):
    """The same concept URI on two rows."""


class UnknownConceptError(EscoImportError):
    """Relations (or translations) that point to concepts the classification does not have."""


class RowCountError(EscoImportError):
    """A file with implausibly few or many rows (see :class:`ImportLimits`)."""


class EscoVersionError(EscoImportError):
    """The ESCO version cannot be told from the names, or the inputs disagree about it."""


class VersionExistsError(EscoImportError):
    """The target version id is already installed (pass ``replace=True`` to replace it)."""


# --- what the files are ------------------------------------------------------------------------

CONCEPT_FILES = {  # stem -> concept kind; every classification zip has all four
    "skills": "skill",
    "occupations": "occupation",
    "skillGroups": "skill_group",
    "ISCOGroups": "isco_group",
}
RELATION_FILES = {  # stem -> ((column, what it must point to), ...)
    "occupationSkillRelations": (("occupationUri", "occupation"), ("skillUri", "skill")),
    "broaderRelationsSkillPillar": (("conceptUri", "skill pillar"), ("broaderUri", "skill pillar")),
    "broaderRelationsOccPillar": (
        ("conceptUri", "occupation pillar"),
        ("broaderUri", "occupation pillar"),
    ),
    "skillSkillRelations": (("originalSkillUri", "skill"), ("relatedSkillUri", "skill")),
}
REQUIRED_RELATIONS = (
    "occupationSkillRelations",
    "broaderRelationsSkillPillar",
    "broaderRelationsOccPillar",
)
RELATION_TYPES = {"occupationSkillRelations": {"essential", "optional"}}
OTHER_FILES = ("skillsHierarchy", "conceptSchemes")  # kept as published, checked as CSV only
CONCEPT_COLUMNS = {
    "skills": ("conceptUri", "preferredLabel", "altLabels", "description"),
    "occupations": ("conceptUri", "preferredLabel", "altLabels", "description"),
    "skillGroups": ("conceptUri", "preferredLabel"),
    "ISCOGroups": ("conceptUri", "preferredLabel"),
}
URI_PREFIX = {
    "skills": "http://data.europa.eu/esco/skill/",
    "occupations": "http://data.europa.eu/esco/occupation/",
}
ESCO_URI = re.compile(
    r"^http://data\.europa\.eu/esco/[A-Za-z][A-Za-z-]*/[A-Za-z0-9][A-Za-z0-9._-]*$"
)
_FILE_NAME = re.compile(
    r"^(?P<stem>[A-Za-z]+)(?:_(?P<lang>[a-z]{2}(?:-[a-z]{2,4})?))?\.csv(?:\.gz)?$", re.IGNORECASE
)
_VERSION = re.compile(r"(?<![A-Za-z0-9])v(\d+\.\d+(?:\.\d+)?)", re.IGNORECASE)
_KNOWN_STEMS = {s.lower(): s for s in (*CONCEPT_FILES, *RELATION_FILES, *OTHER_FILES)}
_STALE_AFTER_S = 6 * 3600


@dataclass(frozen=True)
class ImportLimits:
    """Plausible row counts per file (``stem -> (min, max)`` data rows) and the share of relation
    rows that may point to concepts the download lacks.

    The defaults fit a complete ESCO release (v1.1.1: 13,896 skills, 3,007 occupations, 640
    skill groups, 619 ISCO groups, 123,855 occupation-skill relations) with wide margins, so a
    truncated or wrong file fails while later versions pass. The official v1.1.1 files
    themselves have a few relations to concepts they do not define (67 of 123,855 rows name an
    occupation that is not in ``occupations_en``): up to ``max_unknown_fraction`` of a file's
    rows are skipped by the engine and reported as a warning; more is an error.
    Use :meth:`relaxed` for trimmed test data.
    """

    rows: Mapping[str, tuple[int, int]] = field(
        default_factory=lambda: {
            "skills": (8_000, 60_000),
            "occupations": (1_500, 15_000),
            "skillGroups": (200, 5_000),
            "ISCOGroups": (300, 2_000),
            "occupationSkillRelations": (30_000, 1_000_000),
            "broaderRelationsSkillPillar": (5_000, 300_000),
            "broaderRelationsOccPillar": (1_000, 50_000),
            "skillSkillRelations": (0, 300_000),
        }
    )
    max_unknown_fraction: float = 0.01

    @classmethod
    def relaxed(cls) -> ImportLimits:
        """Same checks, but any non-empty file is large enough (for trimmed fixtures)."""
        default = cls()
        return cls(rows={k: (min(lo, 1), hi) for k, (lo, hi) in default.rows.items()})


DEFAULT_LIMITS = ImportLimits()


@dataclass(frozen=True)
class SourceFile:
    """One ESCO CSV inside a zip or a folder given to the import."""

    origin: Path  # the zip file or folder
    member: str  # the name inside the zip, or the path relative to the folder
    stem: str  # the canonical ESCO stem: "skills", "occupationSkillRelations", ...
    lang: str | None  # from the name ("skills_nl.csv" -> "nl"); None for unsuffixed relations

    @property
    def where(self) -> str:
        return f"{self.origin.name}/{self.member}"

    @property
    def kind(self) -> str:
        if self.stem in CONCEPT_FILES:
            return "concepts"
        if self.stem in RELATION_FILES:
            return "relations"
        return "collection" if self.stem.endswith("Collection") else "other"

    @property
    def target(self) -> str:
        """Where the loader expects it, relative to the version folder."""
        if self.kind == "relations":
            return f"en/{self.stem}.csv.gz"  # language-independent: the loader reads them from en/
        return f"{self.lang}/{self.stem}_{self.lang}.csv.gz"

    def read(self) -> bytes:
        """The file's bytes (gunzipped when the name ends in .gz)."""
        try:
            if self.origin.is_dir():
                data = (self.origin / self.member).read_bytes()
            else:
                with zipfile.ZipFile(self.origin) as zf:
                    data = zf.read(self.member)
            return gzip.decompress(data) if self.member.endswith(".gz") else data
        except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
            raise WrongDownloadError(
                self.where, f"cannot be unpacked ({exc.__class__.__name__}: {exc})"
            ) from exc


@dataclass(frozen=True)
class CsvTable:
    """A parsed CSV file: ``rows[i]`` starts on physical line ``lines[i]`` (quoted fields may
    span lines, so line numbers are tracked, not computed)."""

    where: str
    header: list[str]
    rows: list[list[str]]
    lines: list[int]
    text: str

    def column(self, name: str) -> int:
        return self.header.index(name)


@dataclass
class ImportReport:
    """What an import installed."""

    version_id: str
    path: Path
    esco_version: str
    languages: tuple[str, ...]
    base: str | None  # the installed version that supplied missing files, if any
    rows: dict[str, int]  # installed file -> data rows
    label_stats: dict[str, dict[str, dict[str, int]]]  # lang -> kind -> counts
    filled_from_base: dict[str, int]  # installed file -> concepts labelled from the base
    warnings: list[str]
    ignored: list[str]  # input files that are not ESCO data Vaardig reads
    activated: bool
    seconds: float

    def to_dict(self) -> dict[str, object]:
        return {**self.__dict__, "path": str(self.path), "languages": list(self.languages)}


Progress = Callable[[str], None]  # called with each file's name as it is checked


# --- finding the files -------------------------------------------------------------------------


def scan_sources(paths: Sequence[Path]) -> tuple[list[SourceFile], list[str]]:
    """The ESCO CSV files in ``paths`` (zips or folders), and the names of other files found.

    Raises :class:`WrongDownloadError` for a path that does not exist, is neither a zip nor a
    folder, or holds no ESCO CSV file at all.
    """
    found: list[SourceFile] = []
    ignored: list[str] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            names = sorted(str(p.relative_to(path)) for p in path.rglob("*") if p.is_file())
        elif path.is_file() and zipfile.is_zipfile(path):
            try:
                with zipfile.ZipFile(path) as zf:
                    names = [i.filename for i in zf.infolist() if not i.is_dir()]
            except (OSError, zipfile.BadZipFile) as exc:
                raise WrongDownloadError(path, f"is a damaged zip archive ({exc})") from exc
        elif path.is_file() and path.suffix.lower() == ".zip":
            raise WrongDownloadError(
                path, "is not a readable zip archive (damaged, or the download was cut off)"
            )
        elif path.exists():
            raise WrongDownloadError(
                path,
                "is neither a zip archive nor a folder",
                "give the ESCO CSV zips as downloaded (or the folders they unpack to)",
            )
        else:
            raise WrongDownloadError(path, "does not exist", "check the path")
        mine = []
        for name in names:
            base = name.replace("\\", "/").rsplit("/", 1)[-1]
            if "__MACOSX" in name or base.startswith("."):
                continue  # archive junk from macOS
            match = _FILE_NAME.match(base)
            stem = match and _canonical_stem(match["stem"])
            if match and stem:
                lang = match["lang"].lower() if match["lang"] else None
                if stem not in RELATION_FILES and lang is None:
                    ignored.append(f"{path.name}/{name}")  # e.g. a hand-renamed skills.csv
                    continue
                mine.append(SourceFile(path, name, stem, lang))
            else:
                ignored.append(f"{path.name}/{name}")
        if not mine:
            raise WrongDownloadError(
                path,
                "holds no ESCO CSV files (skills_xx.csv, occupations_xx.csv, "
                "occupationSkillRelations.csv, ...)",
                "download the ESCO package in CSV format (not RDF or ODS) from the ESCO portal",
            )
        found.extend(mine)
    return found, ignored


def _canonical_stem(stem: str) -> str | None:
    if stem.lower() in _KNOWN_STEMS:
        return _KNOWN_STEMS[stem.lower()]
    return stem if stem.endswith("Collection") else None


def detect_esco_version(paths: Sequence[Path], files: Sequence[SourceFile]) -> str | None:
    """The ESCO version named by the zips/folders (``...-v1.1.1-...`` -> ``"v1.1.1"``), or None.

    Raises :class:`EscoVersionError` when the inputs name different versions.
    """
    named: dict[str, set[str]] = {}
    for path in paths:
        texts = [Path(path).name] + [f.member for f in files if f.origin == Path(path)]
        versions = {f"v{m}" for t in texts for m in _VERSION.findall(t)}
        if len(versions) > 1:
            raise EscoVersionError(
                path, f"names several ESCO versions ({', '.join(sorted(versions))})"
            )
        if versions:
            named[str(Path(path).name)] = versions
    distinct = set().union(*named.values()) if named else set()
    if len(distinct) > 1:
        detail = "; ".join(f"{name}: {next(iter(v))}" for name, v in sorted(named.items()))
        raise EscoVersionError(
            "(inputs)",
            f"the downloads are from different ESCO versions ({detail})",
            "download the classification and relations packages of one ESCO version",
        )
    return next(iter(distinct)) if distinct else None


def _choose(files: Sequence[SourceFile]) -> dict[str, SourceFile]:
    """Target path -> source file; relations prefer the unsuffixed, then the English file."""
    chosen: dict[str, SourceFile] = {}
    order = sorted(
        files,
        key=lambda f: (f.kind != "relations" or f.lang not in (None, "en"), f.lang is not None),
    )
    for f in order:
        other = chosen.get(f.target)
        if other is None:
            chosen[f.target] = f
        elif f.kind != "relations" or (f.lang == other.lang):
            raise WrongDownloadError(
                f.where,
                f"is given twice (also {other.where})",
                "give each ESCO package once",
            )
    return chosen


def _check_complete(chosen: Mapping[str, SourceFile]) -> list[str]:
    """The languages whose classification the inputs hold; each must be complete."""
    by_lang: dict[str, set[str]] = {}
    origins: dict[str, set[str]] = {}
    for f in chosen.values():
        if f.kind != "relations":
            by_lang.setdefault(f.lang or "", set()).add(f.stem)
            origins.setdefault(f.lang or "", set()).add(f.origin.name)
    if not by_lang:
        names = ", ".join(sorted({f.origin.name for f in chosen.values()}))
        raise WrongDownloadError(
            names,
            "holds only relation files, no classification (skills_xx.csv, occupations_xx.csv)",
            "add the classification zip of a language (e.g. English or Dutch) from the ESCO portal",
        )
    for lang, stems in sorted(by_lang.items()):
        missing = [f"{s}_{lang}.csv" for s in CONCEPT_FILES if s not in stems]
        if missing:
            present = ", ".join(sorted(f"{s}_{lang}.csv" for s in stems))
            raise WrongDownloadError(
                " + ".join(sorted(origins[lang])),
                f"holds {present} but not {', '.join(missing)}: this is not a complete ESCO "
                "classification package",
                f"download the full 'classification' package for language '{lang}' (CSV) from "
                "the ESCO portal",
            )
    return sorted(by_lang)


def _resolve_base(
    base: str | None, esco_version: str, chosen: Mapping[str, SourceFile], data_dir: Path | None
) -> tuple[str | None, Path | None]:
    """The installed version that supplies what the download lacks (English, relations)."""
    has_en = "en/skills_en.csv.gz" in chosen
    has_relations = all(f"en/{s}.csv.gz" in chosen for s in REQUIRED_RELATIONS)
    if base is not None:
        version = get_version(base, data_dir)
        if version.esco_version and version.esco_version != esco_version:
            raise EscoVersionError(
                "(inputs)",
                f"the download is ESCO {esco_version} but --base {version.id} is "
                f"ESCO {version.esco_version}",
                "choose a base of the same ESCO version",
            )
        return version.id, version.path
    if has_en and has_relations:
        return None, None
    version = find_base(esco_version, data_dir)
    if version is None:
        lacking = ([] if has_en else ["the English classification zip"]) + (
            [] if has_relations else ["the relations zip"]
        )
        raise WrongDownloadError(
            ", ".join(sorted({f.origin.name for f in chosen.values()})),
            f"lacks {' and '.join(lacking)}, and no installed taxonomy of ESCO {esco_version} "
            "can supply them",
            f"download {' and '.join(lacking)} of ESCO {esco_version} too and import them together",
        )
    return version.id, version.path


# --- checking one file -------------------------------------------------------------------------


def parse_csv(
    data: bytes, where: str, required: Iterable[str] = (), ragged: bool = False
) -> CsvTable:
    """Decode (UTF-8, optional BOM) and parse a CSV file, tracking each row's first line.

    Raises :class:`NotUtf8Error`, or :class:`MalformedCsvError` for a missing header or column,
    a row with a different number of fields than the header (``ragged``: fewer are accepted, as
    the official ``skillsHierarchy`` file omits empty trailing fields), or a quoted field that
    never ends (a truncated file).
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise NotUtf8Error(
            where,
            f"byte 0x{data[exc.start]:02x} is not UTF-8: the file was saved in another encoding "
            "(e.g. Latin-1 or Windows-1252)",
            "use the file exactly as downloaded (ESCO files are UTF-8), or save it as UTF-8",
            line=line,
        ) from exc
    old_limit = csv.field_size_limit(1 << 30)  # conceptSchemes has fields of ~100 kB
    try:
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        last = 0
        try:
            header = next(reader, None)
            if not header:
                raise MalformedCsvError(where, "is empty (no header row)", line=1)
            last = reader.line_num
            missing = [c for c in required if c not in header]
            if missing:
                raise MalformedCsvError(where, f"lacks the column(s) {', '.join(missing)}", line=1)
            rows: list[list[str]] = []
            lines: list[int] = []
            for record in reader:
                start, last = last + 1, reader.line_num
                if not record:
                    continue  # a blank line
                if len(record) > len(header) or (len(record) < len(header) and not ragged):
                    raise MalformedCsvError(
                        where,
                        f"has {len(record)} fields where the header has {len(header)} "
                        "(a row cut short or an unquoted comma: is the file truncated or edited?)",
                        line=start,
                    )
                rows.append(record)
                lines.append(start)
        except csv.Error as exc:
            raise MalformedCsvError(
                where,
                f"is not valid CSV ({exc}); a quoted field that never ends means the file is "
                "truncated",
                line=last + 1,
            ) from exc
    finally:
        csv.field_size_limit(old_limit)
    return CsvTable(where, header, rows, lines, text)


def _check_rows(table: CsvTable, stem: str, limits: ImportLimits) -> None:
    lo, hi = limits.rows.get(stem, (0, 10_000_000))
    if not lo <= len(table.rows) <= hi:
        raise RowCountError(
            table.where,
            f"has {len(table.rows):,} data rows; a complete ESCO release has {lo:,} to {hi:,}",
            "use the complete file as downloaded; a short file usually means a cut-off download",
        )


def _check_uri(uri: str, table: CsvTable, i: int, column: str, prefix: str = "") -> None:
    if not ESCO_URI.match(uri) or not uri.startswith(prefix):
        shown = uri if len(uri) < 90 else uri[:87] + "..."
        expected = (prefix or "http://data.europa.eu/esco/") + "..."
        raise InvalidUriError(
            table.where, f"{column} {shown!r} is not an ESCO URI ({expected})", line=table.lines[i]
        )


class _Checker:
    """Checks the files of one import in dependency order, remembering the concepts seen."""

    def __init__(self, limits: ImportLimits) -> None:
        self.limits = limits
        self.known: dict[str, dict[str, tuple[str, int]]] = {k: {} for k in CONCEPT_FILES.values()}
        self.label_stats: dict[str, dict[str, dict[str, int]]] = {}
        self.warnings: list[str] = []

    def concepts(self, f: SourceFile, table: CsvTable) -> None:
        kind = CONCEPT_FILES[f.stem]
        uri_col, pref_col = table.column("conceptUri"), table.column("preferredLabel")
        english = f.lang == "en"
        seen: dict[str, int] = {}
        for i, row in enumerate(table.rows):
            uri, line = row[uri_col].strip(), table.lines[i]
            _check_uri(uri, table, i, "conceptUri", URI_PREFIX.get(f.stem, ""))
            if uri in seen:
                raise DuplicateUriError(
                    table.where,
                    f"concept {uri} is listed twice (first on line {seen[uri]})",
                    line=line,
                )
            seen[uri] = line
            if english:
                for other_kind, other in self.known.items():
                    if uri in other and other_kind != kind:
                        where, first = other[uri]
                        raise DuplicateUriError(
                            table.where,
                            f"concept {uri} is also in {where} (line {first})",
                            line=line,
                        )
                if not row[pref_col].strip():
                    raise MissingLabelError(
                        table.where, f"concept {uri} has an empty preferredLabel", line=line
                    )
                self.known[kind][uri] = (table.where, line)
            elif uri not in self.known[kind]:
                raise UnknownConceptError(
                    table.where,
                    f"concept {uri} is not in the English {f.stem}_en.csv: the files come from "
                    "different ESCO versions",
                    "import the classification and relations packages of one ESCO version",
                    line=line,
                )
        _check_rows(table, f.stem, self.limits)
        self.count_labels(f, table)

    def count_labels(self, f: SourceFile, table: CsvTable) -> None:
        """Rows with a preferred label, alt labels, a description (for the coverage report)."""
        counts = Counter[str]()
        columns = {
            k: c
            for k, c in (
                ("preferred", "preferredLabel"),
                ("alt", "altLabels"),
                ("description", "description"),
            )
            if c in table.header
        }
        for row in table.rows:
            counts["rows"] += 1
            for key, col in columns.items():
                counts[key] += bool(row[table.column(col)].strip())
        stats = {"rows": 0, "preferred": 0, "alt": 0, "description": 0, **counts}
        self.label_stats.setdefault(f.lang or "", {})[CONCEPT_FILES[f.stem]] = stats

    def _pool(self, what: str) -> Callable[[str], bool]:
        k = self.known
        pools = {
            "skill": (k["skill"],),
            "occupation": (k["occupation"],),
            "skill pillar": (k["skill"], k["skill_group"]),
            "occupation pillar": (k["occupation"], k["isco_group"]),
        }[what]
        return lambda uri: any(uri in pool for pool in pools)

    def links(self, table: CsvTable, columns: Sequence[tuple[str, str]], label: str) -> None:
        """Every URI in ``columns`` must be a known concept (up to the tolerated share)."""
        checks = [(table.column(col), col, self._pool(what), what) for col, what in columns]
        unknown = 0
        first: tuple[int, str, str, str] | None = None
        for i, row in enumerate(table.rows):
            for index, col, known, what in checks:
                uri = row[index].strip()
                _check_uri(uri, table, i, col)
                if not known(uri):
                    unknown += 1
                    if first is None:
                        first = (table.lines[i], col, uri, what)
                    break
        if not unknown or first is None:
            return
        line, col, uri, what = first
        if unknown > self.limits.max_unknown_fraction * len(table.rows):
            raise UnknownConceptError(
                table.where,
                f"{col} {uri} is not a known {what} ({unknown:,} of {len(table.rows):,} {label} "
                "point to unknown concepts): the relations do not belong to this classification",
                "import the classification and relations packages of the same ESCO version",
                line=line,
            )
        self.warnings.append(
            f"{table.where}: {unknown:,} of {len(table.rows):,} {label} point to concepts the "
            f"classification does not define (first: line {line}, {uri}); the engine skips them"
        )

    def relations(self, f: SourceFile, table: CsvTable) -> None:
        self.links(table, RELATION_FILES[f.stem], "rows")
        allowed = RELATION_TYPES.get(f.stem)
        if allowed:
            col = table.column("relationType")
            for i, row in enumerate(table.rows):
                if row[col] not in allowed:
                    raise MalformedCsvError(
                        table.where,
                        f"relationType {row[col]!r} is not one of {', '.join(sorted(allowed))}",
                        line=table.lines[i],
                    )
        _check_rows(table, f.stem, self.limits)

    def collection(self, f: SourceFile, table: CsvTable) -> None:
        if f.lang == "en":  # the loader reads the English collections; others are kept as-is
            what = "occupation" if "Occupation" in f.stem else "skill"
            self.links(table, (("conceptUri", what),), "members")


def _required_columns(f: SourceFile) -> tuple[str, ...]:
    if f.kind == "concepts":
        return CONCEPT_COLUMNS[f.stem]
    if f.kind == "relations":
        cols = tuple(c for c, _ in RELATION_FILES[f.stem])
        return cols + (
            ("relationType",)
            if f.stem in ("occupationSkillRelations", "skillSkillRelations")
            else ()
        )
    return ("conceptUri",) if f.kind == "collection" else ()


def _order(f: SourceFile) -> tuple[int, int, str]:
    """English concepts first (everything else is checked against them), then translations,
    relations, collections, the rest."""
    rank = {"concepts": 0, "relations": 2, "collection": 3, "other": 4}[f.kind]
    if f.kind == "concepts" and f.lang != "en":
        rank = 1
    return rank, list(CONCEPT_FILES).index(f.stem) if f.stem in CONCEPT_FILES else 0, f.target


def _fill_labels(
    table: CsvTable, fallback: CsvTable, known: Mapping[str, object]
) -> tuple[CsvTable, int]:
    """``table`` with the rows of ``fallback`` for concepts it gives no preferred label (and
    that the English files define): an imported translation file merged per concept with the
    same language's file of the base version. Returns the merged table and the rows taken."""
    uri, pref = table.column("conceptUri"), table.column("preferredLabel")
    f_uri, f_pref = fallback.column("conceptUri"), fallback.column("preferredLabel")
    position = {row[uri].strip(): i for i, row in enumerate(table.rows)}
    source = [fallback.header.index(h) if h in fallback.header else None for h in table.header]
    rows = list(table.rows)
    taken = 0
    for row in fallback.rows:
        key = row[f_uri].strip()
        if key not in known or not row[f_pref].strip():
            continue
        i = position.get(key)
        if i is not None and rows[i][pref].strip():
            continue  # the download has a label: it wins
        merged = [row[j] if j is not None and j < len(row) else "" for j in source]
        if i is None:
            rows.append(merged)
        else:
            rows[i] = merged
        taken += 1
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(table.header)
    writer.writerows(rows)
    return CsvTable(table.where, table.header, rows, [0] * len(rows), buf.getvalue()), taken


def _write_gzip(text: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
        gz.write(text.encode("utf-8"))


def _copy(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)  # not copy2: the bundled files are read-only


# --- the import ----------------------------------------------------------------------------------


@dataclass
class _Plan:
    """Which file goes where, decided before anything is written."""

    esco_version: str
    chosen: dict[str, SourceFile]  # installed path -> file (download first, then base)
    fill_from: dict[str, SourceFile]  # base translations that fill the download's per concept
    carried: list[tuple[Path, str]]  # base files that are not ESCO CSVs, copied verbatim
    base_id: str | None
    languages: list[str]
    imported_languages: list[str]
    ignored: list[str]


def _plan_import(
    inputs: Sequence[Path],
    esco_version: str | None = None,
    base: str | None = None,
    data_dir: Path | None = None,
) -> _Plan:
    """Find the ESCO files in ``inputs``, their version and languages, and the base (if any)."""
    if not inputs:
        raise WrongDownloadError("(no input)", "no ESCO download given", "give the ESCO CSV zips")
    files, ignored = scan_sources(inputs)
    detected = detect_esco_version(inputs, files)
    wanted = f"v{esco_version.lstrip('vV')}" if esco_version else None
    if wanted and detected and wanted != detected:
        raise EscoVersionError(
            "(inputs)",
            f"the file names say ESCO {detected}, not {wanted}",
            "drop --esco-version, or check that you downloaded the version you meant",
        )
    esco = wanted or detected
    if esco is None:
        raise EscoVersionError(
            ", ".join(p.name for p in inputs),
            "the ESCO version cannot be told from the zip or folder names",
            "pass it explicitly, e.g. --esco-version v1.2.0",
        )
    chosen = _choose(files)
    imported_languages = _check_complete(chosen)
    base_id, base_dir = _resolve_base(base, esco, chosen, data_dir)
    carried: list[tuple[Path, str]] = []
    fill_from: dict[str, SourceFile] = {}
    if base_dir is not None:
        base_files, _ = scan_sources([base_dir])
        for f in base_files:
            if f.target not in chosen:
                chosen[f.target] = f
            elif f.kind == "concepts" and f.lang != "en":
                fill_from[f.target] = f  # labels merge per concept: the download's win
        recognised = {f.member for f in base_files} | {"manifest.json"}
        for p in sorted(base_dir.rglob("*")):
            rel = p.relative_to(base_dir).as_posix()
            if p.is_file() and rel not in recognised:
                carried.append((p, rel))  # e.g. the bundled partial Dutch skill labels
    languages = sorted(
        {f.lang or "" for f in chosen.values() if f.kind == "concepts"},
        key=lambda lang: (lang != "en", lang),
    )
    return _Plan(esco, chosen, fill_from, carried, base_id, languages, imported_languages, ignored)


def _stage(
    plan: _Plan, staging: Path, checker: _Checker, progress: Progress | None
) -> tuple[dict[str, int], dict[str, int]]:
    """Check every planned file and write it into ``staging``: (rows per file, rows filled
    from the base per file). Raises on the first problem."""
    rows: dict[str, int] = {}
    filled: dict[str, int] = {}
    for f in sorted(plan.chosen.values(), key=_order):
        if progress is not None:
            progress(f.where)
        data = f.read()
        table = parse_csv(data, f.where, _required_columns(f), f.kind == "other")
        if f.kind == "concepts":
            checker.concepts(f, table)
            if f.target in plan.fill_from:
                fallback = plan.fill_from[f.target]
                fallback_table = parse_csv(fallback.read(), fallback.where, CONCEPT_COLUMNS[f.stem])
                table, filled[f.target] = _fill_labels(
                    table, fallback_table, checker.known[CONCEPT_FILES[f.stem]]
                )
                checker.count_labels(f, table)
                data = b""  # changed: written below, not copied
        elif f.kind == "relations":
            checker.relations(f, table)
        elif f.kind == "collection":
            checker.collection(f, table)
        gzipped = f.origin.is_dir() and f.member.endswith(".gz")
        if gzipped and data and not data.startswith(codecs.BOM_UTF8):
            _copy(f.origin / f.member, staging / f.target)  # already as installed: save a gzip
        else:
            _write_gzip(table.text, staging / f.target)
        rows[f.target] = len(table.rows)
    for src, rel in plan.carried:
        _copy(src, staging / rel)
    return rows, filled


def import_taxonomy(
    paths: Sequence[Path | str],
    *,
    version_id: str | None = None,
    esco_version: str | None = None,
    base: str | None = None,
    limits: ImportLimits = DEFAULT_LIMITS,
    activate: bool = True,
    replace: bool = False,
    data_dir: Path | None = None,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Check and install official ESCO CSV downloads as a new taxonomy version.

    ``paths``: classification zips (one per language) and the relations zip, or the folders
    they unpack to. ``version_id`` defaults to ``esco-<version>-<languages>`` (e.g.
    ``esco-v1.1.1-en-nl``); ``esco_version`` overrides what the file names say; ``base`` names
    the installed version that supplies the English files or relations when the download lacks
    them (default: the active, newest or bundled taxonomy of the same ESCO version; its other
    files, such as extra languages, are kept too, and its translations fill concepts the
    download leaves without a label). ``activate`` makes the new version active; ``progress``
    is called with each file's name as it is checked.

    Raises an :class:`EscoImportError` subclass naming the file and line; then nothing is
    installed and the active version is unchanged.
    """
    t0 = time.perf_counter()
    inputs = [Path(p) for p in paths]
    plan = _plan_import(inputs, esco_version, base, data_dir)
    version_id = version_id or f"esco-{plan.esco_version}-{'-'.join(plan.languages)}"
    if not re.match(r"^[A-Za-z0-9][A-Za-z0-9._-]*$", version_id) or version_id == BUNDLED:
        raise ValueError(f"version id {version_id!r}: use letters, digits, '.', '_' and '-'")
    root = taxonomies_dir(data_dir)
    final = root / version_id
    if final.exists() and not replace:
        raise VersionExistsError(
            final,
            "this taxonomy version is already installed",
            "pass --replace to replace it, or --id NAME to install the import beside it",
        )
    root.mkdir(parents=True, exist_ok=True)
    _remove_stale(root)
    staging = Path(tempfile.mkdtemp(dir=root, prefix=".import-"))
    checker = _Checker(limits)
    try:
        rows, filled = _stage(plan, staging, checker, progress)
        manifest = {
            "version": version_id,
            "esco_version": plan.esco_version,
            "languages": plan.languages,
            "imported_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "source": f"Official ESCO {plan.esco_version} CSV download, imported by "
            "`vaardig taxonomy import`",
            "inputs": [_describe(p) for p in inputs],
            "imported_languages": plan.imported_languages,
            "base": plan.base_id,
            "rows": rows,
            "label_stats": checker.label_stats,
            "filled_from_base": filled,
            "warnings": checker.warnings,
        }
        (staging / "manifest.json").write_text(
            json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        _check_loads(staging, cache_dir)
        _install(staging, final, replace)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if activate:
        use_version(version_id, data_dir)
    return ImportReport(
        version_id=version_id,
        path=final,
        esco_version=plan.esco_version,
        languages=tuple(plan.languages),
        base=plan.base_id,
        rows=rows,
        label_stats=checker.label_stats,
        filled_from_base=filled,
        warnings=checker.warnings,
        ignored=plan.ignored,
        activated=activate,
        seconds=round(time.perf_counter() - t0, 3),
    )


def _describe(path: Path) -> dict[str, str]:
    info = {"name": path.name}
    if path.is_file():
        h = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        info["sha256"] = h.hexdigest()
    return info


def _check_loads(folder: Path, cache_dir: Path | None) -> None:
    """Load the staged version with the normal loader (and so warm its cache: the cache key is
    the files' content, which the rename into place does not change)."""
    from taxonomy.loader import load_taxonomy

    try:
        load_taxonomy(folder, cache_dir=cache_dir)
    except TaxonomyDataError as exc:
        raise EscoImportError(
            Path(exc.path).name, f"the imported files do not load: {exc.problem}"
        ) from exc


def _install(staging: Path, final: Path, replace: bool) -> None:
    """Move the finished folder into place in one rename; a replaced version is renamed aside
    first and deleted after."""
    old = None
    if final.exists():
        if not replace:
            raise VersionExistsError(final, "this taxonomy version is already installed")
        old = final.with_name(f".old-{final.name}-{staging.name.rsplit('-', 1)[-1]}")
        final.rename(old)
    try:
        staging.rename(final)
    except OSError:
        if old is not None:
            old.rename(final)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _remove_stale(root: Path) -> None:
    """Delete leftovers of imports that were killed (no ``finally`` ran), after a grace period
    so a concurrent import is never touched."""
    now = time.time()
    for folder in root.glob(".*-*"):
        if folder.is_dir() and folder.name.startswith((".import-", ".old-")):
            try:
                if now - folder.stat().st_mtime > _STALE_AFTER_S:
                    shutil.rmtree(folder, ignore_errors=True)
            except OSError:
                pass
