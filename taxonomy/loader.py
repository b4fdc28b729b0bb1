"""Read ESCO (and CompetentNL) CSV files into a :class:`~taxonomy.taxonomy.Taxonomy`.

A taxonomy folder holds ``manifest.json`` (version, languages) and one sub-folder per language
with the official ESCO file names (``skills_en.csv.gz``, ``occupations_nl.csv.gz``, ...). The
bundled Dutch data lacks ``skills_nl``; its Dutch skill labels come from
``nl/esco_skills_nl_partial_merged.csv.gz`` instead (see ``taxonomy/data/README.md``).

Parsing the CSVs takes several seconds, so the parsed form is pickled into the cache directory,
keyed by a hash of every source file; a changed file means a re-parse, a damaged pickle is
ignored and rebuilt.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import pickle
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from taxonomy.model import Concept, TaxonomyDataError
from taxonomy.taxonomy import Taxonomy

log = logging.getLogger(__name__)

BUNDLED_DIR = Path(__file__).parent / "data" / "esco-v1.1.1"
COMPETENTNL_DIR = Path(__file__).parent / "data" / "competentnl"
_PICKLE_FORMAT = 4  # bump when Concept or Taxonomy change shape

COLLECTIONS = {
    "digital": "digitalSkillsCollection",
    "green": "greenSkillsCollection",
    "transversal": "transversalSkillsCollection",
    "language": "languageSkillsCollection",
    "research": "researchSkillsCollection",
    "digcomp": "digCompSkillsCollection",
}


def _find(folder: Path, lang: str, stem: str) -> Path | None:
    for name in (f"{stem}_{lang}.csv.gz", f"{stem}_{lang}.csv", f"{stem}.csv.gz", f"{stem}.csv"):
        for sub in (folder / lang, folder):
            if (sub / name).is_file():
                return sub / name
    return None


def _read(path: Path | None, required: Iterable[str] = ()) -> pd.DataFrame:
    if path is None:
        raise TaxonomyDataError("(taxonomy folder)", "a required data file is missing")
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError as exc:
        raise TaxonomyDataError(path, "file not found") from exc
    except (UnicodeDecodeError, gzip.BadGzipFile, EOFError, OSError) as exc:
        raise TaxonomyDataError(path, f"cannot be read ({exc.__class__.__name__}: {exc})") from exc
    except pd.errors.ParserError as exc:
        raise TaxonomyDataError(path, f"is not valid CSV ({exc})") from exc
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise TaxonomyDataError(path, f"lacks the column(s) {', '.join(missing)}")
    return df


def _split(cell: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in cell.split("\n") if x.strip())


def _required(folder: Path, lang: str, stem: str) -> Path:
    path = _find(folder, lang, stem)
    if path is None:
        raise TaxonomyDataError(folder / lang / f"{stem}_{lang}.csv.gz", "file not found")
    return path


def source_files(folder: Path) -> list[Path]:
    """Every data file the taxonomy in ``folder`` is built from (sorted, for hashing)."""
    files = [p for p in folder.rglob("*") if p.is_file() and p.suffix in (".gz", ".csv", ".json")]
    if COMPETENTNL_DIR.is_dir():
        files += [p for p in COMPETENTNL_DIR.iterdir() if p.is_file()]
    return sorted(files)


def fingerprint(folder: Path) -> str:
    """A short hash of the taxonomy's source files (content, not mtimes)."""
    h = hashlib.sha256(f"format={_PICKLE_FORMAT}".encode())
    for path in source_files(folder):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def read_manifest(folder: Path) -> dict[str, object]:
    path = folder / "manifest.json"
    if not path.is_file():
        raise TaxonomyDataError(path, "file not found (every taxonomy folder needs a manifest)")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise TaxonomyDataError(path, f"is not valid JSON ({exc})") from exc
    if "version" not in manifest:
        raise TaxonomyDataError(path, "has no 'version'")
    return manifest


def parse_taxonomy(folder: Path) -> Taxonomy:
    """Parse the CSV files in ``folder`` (slow: seconds). Prefer :func:`load_taxonomy`."""
    manifest = read_manifest(folder)
    languages = list(manifest.get("languages", ["en"]))
    if "en" not in languages:
        raise TaxonomyDataError(folder / "manifest.json", "the English files are required")

    labels: dict[str, dict[str, object]] = defaultdict(dict)

    def add_lang(path: Path, lang: str, kind: str) -> pd.DataFrame:
        df = _read(path, ["conceptUri", "preferredLabel"])
        for row in df.itertuples(index=False):
            entry = labels[row.conceptUri]
            entry["kind"] = kind
            entry[f"pref_{lang}"] = row.preferredLabel.strip()
            entry[f"alt_{lang}"] = _split(getattr(row, "altLabels", ""))
            entry[f"description_{lang}"] = getattr(row, "description", "").strip()
            for attr in ("skillType", "reuseLevel", "iscoGroup", "code"):
                if hasattr(row, attr) and getattr(row, attr):
                    entry[attr] = getattr(row, attr)
        return df

    for lang in languages:
        occ = _find(folder, lang, "occupations")
        skills = _find(folder, lang, "skills")
        if lang == "en" or skills is not None:
            add_lang(_required(folder, lang, "skills"), lang, "skill")
        if lang == "en" or occ is not None:
            add_lang(_required(folder, lang, "occupations"), lang, "occupation")
        for stem, kind in (("skillGroups", "skill_group"), ("ISCOGroups", "isco_group")):
            path = _find(folder, lang, stem)
            if path is not None or lang == "en":
                add_lang(_required(folder, lang, stem), lang, kind)

    partial = folder / "nl" / "esco_skills_nl_partial_merged.csv.gz"
    if partial.is_file():
        df = _read(partial, ["conceptUri", "preferredLabel_nl", "altLabels_nl", "description_nl"])
        for row in df.itertuples(index=False):
            entry = labels.get(row.conceptUri)
            if entry is None or entry.get("pref_nl"):
                continue  # not in this version, or a full Dutch file already gave the label
            if row.preferredLabel_nl.strip():
                entry["pref_nl"] = row.preferredLabel_nl.strip()
            entry["alt_nl"] = _split(row.altLabels_nl)
            entry["description_nl"] = row.description_nl.strip()

    collections: dict[str, set[str]] = defaultdict(set)
    for name, stem in COLLECTIONS.items():
        path = _find(folder, "en", stem)
        if path is None:
            continue  # collections are optional in older ESCO versions
        for uri in _read(path, ["conceptUri"])["conceptUri"]:
            collections[uri].add(name)

    concepts: dict[str, Concept] = {}
    for uri, e in labels.items():
        if not e.get("pref_en"):
            raise TaxonomyDataError(folder, f"concept {uri} has no English preferred label")
        concepts[uri] = Concept(
            uri=uri,
            kind=e["kind"],  # type: ignore[arg-type]
            pref_en=e["pref_en"],  # type: ignore[arg-type]
            pref_nl=e.get("pref_nl") or None,  # type: ignore[arg-type]
            alt_en=e.get("alt_en", ()),  # type: ignore[arg-type]
            alt_nl=e.get("alt_nl", ()),  # type: ignore[arg-type]
            description_en=e.get("description_en", ""),  # type: ignore[arg-type]
            description_nl=e.get("description_nl", ""),  # type: ignore[arg-type]
            skill_type=e.get("skillType"),  # type: ignore[arg-type]
            reuse_level=e.get("reuseLevel"),  # type: ignore[arg-type]
            collections=frozenset(collections.get(uri, ())),
            isco_group=e.get("iscoGroup"),  # type: ignore[arg-type]
            code=e.get("code"),  # type: ignore[arg-type]
        )
    concepts.update(_competentnl_concepts())

    broader: dict[str, list[str]] = defaultdict(list)
    for stem in ("broaderRelationsSkillPillar", "broaderRelationsOccPillar"):
        df = _read(_required(folder, "en", stem), ["conceptUri", "broaderUri"])
        for child, parent in zip(df["conceptUri"], df["broaderUri"], strict=True):
            broader[child].append(parent)

    occupation_skills: dict[str, list[tuple[str, str]]] = defaultdict(list)
    df = _read(
        _required(folder, "en", "occupationSkillRelations"),
        ["occupationUri", "relationType", "skillUri"],
    )
    for occ, rel, skill in zip(
        df["occupationUri"], df["relationType"], df["skillUri"], strict=True
    ):
        occupation_skills[occ].append((skill, rel))

    related: dict[str, list[tuple[str, str]]] = defaultdict(list)
    path = _find(folder, "en", "skillSkillRelations")
    if path is not None:
        df = _read(path, ["originalSkillUri", "relationType", "relatedSkillUri"])
        cols = (df["originalSkillUri"], df["relationType"], df["relatedSkillUri"])
        for src, rel, dst in zip(*cols, strict=True):
            related[src].append((dst, rel))

    return Taxonomy(
        version=str(manifest["version"]),
        languages=tuple(languages),
        concepts=concepts,
        broader={k: tuple(v) for k, v in broader.items()},
        occupation_skills={k: tuple(v) for k, v in occupation_skills.items()},
        related_skills={k: tuple(v) for k, v in related.items()},
        fingerprint=fingerprint(folder),
    )


def _competentnl_concepts() -> dict[str, Concept]:
    """CompetentNL capabilities and knowledge areas: a second, Dutch-only vocabulary."""
    out: dict[str, Concept] = {}
    specs = (
        ("capability_labels.csv.gz", "capability_uri", "capability"),
        ("knowledge_labels.csv.gz", "knowledge_uri", "knowledge_area"),
    )
    for name, uri_col, kind in specs:
        path = COMPETENTNL_DIR / name
        if not path.is_file():
            continue
        df = _read(path, [uri_col, "pref_label", "label"])
        for uri, group in df.groupby(uri_col, sort=True):
            pref = group["pref_label"].iloc[0].strip()
            alts = tuple(dict.fromkeys(x.strip() for x in group["label"] if x.strip() != pref))
            out[str(uri)] = Concept(
                uri=str(uri),
                kind=kind,  # type: ignore[arg-type]
                pref_en="",
                pref_nl=pref,
                alt_nl=alts,
                vocabulary="competentnl",
            )
    return out


def load_taxonomy(folder: Path | None = None, cache_dir: Path | None = None) -> Taxonomy:
    """Load a taxonomy, from the on-disk cache when its source files are unchanged.

    ``folder`` defaults to ``VAARDIG_TAXONOMY_DIR`` if set, else the active imported version
    (``vaardig taxonomy use``), else the bundled ESCO v1.1.1 data; ``cache_dir`` to the
    configured cache. Raises :class:`TaxonomyDataError` naming the file when data is missing or
    malformed.
    """
    from taxonomy.versions import active_taxonomy_dir
    from vaardig.settings import get_settings

    settings = get_settings()
    folder = Path(folder or settings.taxonomy_dir or active_taxonomy_dir(settings.data_dir))
    cache_dir = Path(cache_dir or settings.cache_dir) / "taxonomy"
    if not folder.is_dir():
        raise TaxonomyDataError(folder, "taxonomy folder not found")
    key = fingerprint(folder)
    cached = cache_dir / f"taxonomy-{key}.pickle"
    if cached.is_file():
        try:
            with cached.open("rb") as fh:
                taxonomy = pickle.load(fh)
            if isinstance(taxonomy, Taxonomy):
                return taxonomy
        except Exception:  # a damaged cache is never fatal: it is rebuilt below
            log.warning("taxonomy cache %s is damaged; rebuilding it", cached)
    taxonomy = parse_taxonomy(folder)
    _atomic_pickle(taxonomy, cached)
    return taxonomy


def _atomic_pickle(obj: object, path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError as exc:  # a read-only cache only costs speed
        log.warning("cannot write taxonomy cache %s: %s", path, exc)
