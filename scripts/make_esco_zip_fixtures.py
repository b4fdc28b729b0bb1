"""Build trimmed ESCO downloads, in the official zip layout, for the import tests.

From the official ESCO v1.1.1 CSV zips (English classification + language-independent
relations) this keeps a handful of SME occupations, every skill they list, and everything those
concepts need (broader skills, skill groups, ISCO groups, the relation rows between kept
concepts, collection members), and writes:

- ``v1.1.1_classification_ESCOdataset-v1.1.1-classification-en-csv.zip``: trimmed, unchanged rows
- ``v1.1.1_relations_ESCOdataset-v1.1.1-classification--csv.zip``: trimmed, unchanged rows, plus
  one relation row of the official file that names an occupation the classification lacks (the
  real v1.1.1 download has 67 such rows; the import tolerates a small share and reports them)
- ``v1.1.1_classification_ESCOdataset-v1.1.1-classification-nl-csv.zip``: BUILT HERE, not
  downloaded: the official layout with Dutch file names (``skills_nl.csv``, ...), Dutch labels
  taken from the bundled ``taxonomy/data/esco-v1.1.1/nl/`` files, plus the few hand-made Dutch
  labels in ``FIXTURE_TRANSLATIONS`` for skills that have no Dutch label in the bundled data.
  Skills without any Dutch label are left out of ``skills_nl.csv``.

Usage: python scripts/make_esco_zip_fixtures.py [SOURCE_DIR] [OUT_DIR]
(defaults: ../shared/data/esco-official-zips and tests/fixtures/esco-zips). Deterministic: the
same inputs give byte-identical zips.
"""

from __future__ import annotations

import csv
import gzip
import io
import sys
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUNDLED_NL = ROOT / "taxonomy" / "data" / "esco-v1.1.1" / "nl"
SOURCE = ROOT.parent / "shared" / "data" / "esco-official-zips"
OUT = ROOT / "tests" / "fixtures" / "esco-zips"
CLASSIFICATION = "v1.1.1_classification_ESCOdataset-v1.1.1-classification-{lang}-csv.zip"
RELATIONS = "v1.1.1_relations_ESCOdataset-v1.1.1-classification--csv.zip"
ZIP_DATE = (2022, 9, 13, 17, 8, 0)

OCCUPATIONS = (
    "forklift operator",
    "welder",
    "bookkeeper",
    "domestic electrician",
    "shop assistant",
    "cook",
    "bricklayer",
    "software developer",
)
# Dutch labels written for this fixture (NOT ESCO data): skills that fall back to English in
# the bundled data, so the tests can show an import giving them a Dutch label.
_SKILL = "http://data.europa.eu/esco/skill/"
FIXTURE_TRANSLATIONS = {
    _SKILL + "27d26fd6-5795-4f0a-884e-112df7c68314": "booglastechnieken toepassen",
    _SKILL + "faf8943c-72ff-4736-a587-25508695d6f0": "financiële administratie bijhouden",
    _SKILL + "76b9e515-715d-4a53-a702-019adad1059b": "stroomonderbrekers installeren",
    _SKILL + "dfce2aba-783e-4e17-9c17-e74aca505ec2": "2D-plannen interpreteren",
    _SKILL + "5598739b-6718-4cff-8402-91d7f65b1505": "werkplek schoonhouden",
}
# an official relation row whose occupation is missing from occupations_en (see docstring)
DANGLING_OCCUPATION = "http://data.europa.eu/esco/occupation/a9e54177-a185-404d-b6e6-15663d31137e"

Table = tuple[list[str], list[list[str]]]


def read_zip(path: Path) -> dict[str, Table]:
    csv.field_size_limit(1 << 30)
    out = {}
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            rows = list(csv.reader(io.StringIO(zf.read(name).decode("utf-8"), newline="")))
            out[name] = (rows[0], rows[1:])
    return out


def read_gz(path: Path) -> Table:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def keep_rows(table: Table, test: Callable[[dict[str, str]], bool]) -> Table:
    header, rows = table
    return header, [r for r in rows if test(dict(zip(header, r, strict=True)))]


def column(table: Table, name: str) -> list[str]:
    i = table[0].index(name)
    return [r[i] for r in table[1]]


def closure(start: Iterable[str], parents: dict[str, list[str]]) -> set[str]:
    keep, frontier = set(start), list(start)
    while frontier:
        nxt = [p for u in frontier for p in parents.get(u, ()) if p not in keep]
        keep.update(nxt)
        frontier = nxt
    return keep


def to_csv(table: Table) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(table[0])
    writer.writerows(table[1])
    return buf.getvalue().encode("utf-8")


def write_zip(path: Path, files: dict[str, Table]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name in sorted(files, key=str.lower):
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, to_csv(files[name]))
    print(f"{path.name}: {path.stat().st_size / 1024:.0f} kB")


def trim_hierarchy(table: Table, keep: set[str]) -> Table:
    uri_cols = [i for i, h in enumerate(table[0]) if h.endswith(" URI")]
    return table[0], [r for r in table[1] if all(not r[i] or r[i] in keep for i in uri_cols)]


def trim_schemes(table: Table, keep: set[str]) -> Table:
    i = table[0].index("hasTopConcept")
    rows = []
    for r in table[1]:
        tops = [u.strip().rstrip(",") for u in r[i].split("\n") if u.strip()]
        rows.append([*r[:i], ",\n".join(u for u in tops if u in keep), *r[i + 1 :]])
    return table[0], rows


def main(source: Path = SOURCE, out: Path = OUT) -> None:
    cls = read_zip(source / CLASSIFICATION.format(lang="en"))
    rel = read_zip(source / RELATIONS)

    occ = keep_rows(cls["occupations_en.csv"], lambda r: r["preferredLabel"] in OCCUPATIONS)
    occ_uris = set(column(occ, "conceptUri"))
    osr_all = rel["occupationSkillRelations.csv"]
    listed = keep_rows(osr_all, lambda r: r["occupationUri"] in occ_uris)

    skill_parents: dict[str, list[str]] = {}
    for child, parent in zip(
        *(column(rel["broaderRelationsSkillPillar.csv"], c) for c in ("conceptUri", "broaderUri")),
        strict=True,
    ):
        skill_parents.setdefault(child, []).append(parent)
    occ_parents: dict[str, list[str]] = {}
    for child, parent in zip(
        *(column(rel["broaderRelationsOccPillar.csv"], c) for c in ("conceptUri", "broaderUri")),
        strict=True,
    ):
        occ_parents.setdefault(child, []).append(parent)
    dangling = next(r for r in osr_all[1] if r[0] == DANGLING_OCCUPATION)
    skill_side = closure([*column(listed, "skillUri"), dangling[3]], skill_parents)
    occ_side = closure(occ_uris, occ_parents)
    # a broader occupation pulled in by the closure is an occupation too
    occ = keep_rows(cls["occupations_en.csv"], lambda r: r["conceptUri"] in occ_side)
    keep = skill_side | occ_side

    osr = (listed[0], [*listed[1], dangling])

    en: dict[str, Table] = {
        "occupations_en.csv": occ,
        "skills_en.csv": keep_rows(cls["skills_en.csv"], lambda r: r["conceptUri"] in keep),
        "skillGroups_en.csv": keep_rows(
            cls["skillGroups_en.csv"], lambda r: r["conceptUri"] in keep
        ),
        "ISCOGroups_en.csv": keep_rows(cls["ISCOGroups_en.csv"], lambda r: r["conceptUri"] in keep),
        "skillsHierarchy_en.csv": trim_hierarchy(cls["skillsHierarchy_en.csv"], keep),
        "conceptSchemes_en.csv": trim_schemes(cls["conceptSchemes_en.csv"], keep),
    }
    for name, table in cls.items():
        if name.endswith("Collection_en.csv"):
            en[name] = keep_rows(table, lambda r: r["conceptUri"] in keep)
    relations = {
        "occupationSkillRelations.csv": osr,
        "skillSkillRelations.csv": keep_rows(
            rel["skillSkillRelations.csv"],
            lambda r: r["originalSkillUri"] in keep and r["relatedSkillUri"] in keep,
        ),
    }
    for name in ("broaderRelationsSkillPillar.csv", "broaderRelationsOccPillar.csv"):
        relations[name] = keep_rows(
            rel[name], lambda r: r["conceptUri"] in keep and r["broaderUri"] in keep
        )

    write_zip(out / CLASSIFICATION.format(lang="en"), en)
    write_zip(out / RELATIONS, relations)
    write_zip(out / CLASSIFICATION.format(lang="nl"), dutch(en, keep))
    skills = len(en["skills_en.csv"][1])
    dutch_skills = len(dutch(en, keep)["skills_nl.csv"][1])
    print(
        f"{len(occ[1])} occupations, {skills} skills ({dutch_skills} with a Dutch label), "
        f"{len(osr[1])} occupation-skill relations"
    )


def dutch(en: dict[str, Table], keep: set[str]) -> dict[str, Table]:
    """The Dutch classification package, in the official layout, from the bundled Dutch data."""
    partial = read_gz(BUNDLED_NL / "esco_skills_nl_partial_merged.csv.gz")
    nl_skill = {
        r["conceptUri"]: r
        for r in (dict(zip(partial[0], row, strict=True)) for row in partial[1])
        if r["preferredLabel_nl"]
    }
    header, rows = en["skills_en.csv"]
    col = {
        name: header.index(name)
        for name in (
            "conceptUri",
            "preferredLabel",
            "altLabels",
            "hiddenLabels",
            "description",
            "definition",
            "scopeNote",
        )
    }
    skills_nl = []
    for row in rows:
        uri = row[col["conceptUri"]]
        if uri in FIXTURE_TRANSLATIONS:
            labels = {
                "preferredLabel": FIXTURE_TRANSLATIONS[uri],
                "altLabels": "",
                "description": "",
            }
        elif uri in nl_skill:
            src = nl_skill[uri]
            labels = {
                "preferredLabel": src["preferredLabel_nl"],
                "altLabels": src["altLabels_nl"],
                "description": src["description_nl"],
            }
        else:
            continue  # no Dutch label available: not in the Dutch file
        new = list(row)
        for name in ("hiddenLabels", "definition", "scopeNote"):
            new[col[name]] = ""  # English free text: not part of a Dutch file
        for name, value in labels.items():
            new[col[name]] = value
        skills_nl.append(new)
    files: dict[str, Table] = {"skills_nl.csv": (header, skills_nl)}
    for stem in ("occupations", "skillGroups", "ISCOGroups"):
        files[f"{stem}_nl.csv"] = keep_rows(
            read_gz(BUNDLED_NL / f"{stem}_nl.csv.gz"), lambda r: r["conceptUri"] in keep
        )
    for name in en:
        if name.endswith("Collection_en.csv"):
            path = BUNDLED_NL / name.replace("_en.csv", "_nl.csv.gz")
            if path.is_file():
                files[path.name.removesuffix(".gz")] = keep_rows(
                    read_gz(path), lambda r: r["conceptUri"] in keep
                )
    files["skillsHierarchy_nl.csv"] = trim_hierarchy(
        read_gz(BUNDLED_NL / "skillsHierarchy_nl.csv.gz"), keep
    )
    return files


if __name__ == "__main__":
    args = [Path(a) for a in sys.argv[1:]]
    main(*args)
