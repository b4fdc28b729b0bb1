"""Write a small slice of the bundled ESCO data (same layout) for fast tests.

Keeps a handful of occupations, their essential skills, and the groups/relations between them.
Usage: python scripts/make_mini_taxonomy.py tests/fixtures/taxonomy-mini
"""

import json
import sys
from pathlib import Path

import pandas as pd

from taxonomy.loader import BUNDLED_DIR

OCCUPATIONS = (
    "forklift operator",
    "welder",
    "specialist nurse",
    "heat pump installer",
    "bookkeeper",
    "lorry driver",
    "software developer",
)


def read(rel: str) -> pd.DataFrame:
    return pd.read_csv(BUNDLED_DIR / rel, dtype=str, keep_default_na=False)


def main(out: str) -> None:
    dst = Path(out)
    occ = read("en/occupations_en.csv.gz")
    occ = occ[occ.preferredLabel.isin(OCCUPATIONS)]
    rel = read("en/occupationSkillRelations.csv.gz")
    rel = rel[rel.occupationUri.isin(occ.conceptUri) & (rel.relationType == "essential")]
    skills = read("en/skills_en.csv.gz")
    skills = skills[skills.conceptUri.isin(rel.skillUri)]
    keep = set(occ.conceptUri) | set(skills.conceptUri)
    frames = {
        "en/occupations_en.csv.gz": occ,
        "en/skills_en.csv.gz": skills,
        "en/occupationSkillRelations.csv.gz": rel,
    }
    for lang in ("en", "nl"):
        for stem in ("skillGroups", "ISCOGroups"):
            frames[f"{lang}/{stem}_{lang}.csv.gz"] = read(f"{lang}/{stem}_{lang}.csv.gz")
    nl = read("nl/occupations_nl.csv.gz")
    frames["nl/occupations_nl.csv.gz"] = nl[nl.conceptUri.isin(occ.conceptUri)]
    part = read("nl/esco_skills_nl_partial_merged.csv.gz")
    frames["nl/esco_skills_nl_partial_merged.csv.gz"] = part[part.conceptUri.isin(keep)]
    for stem in ("broaderRelationsSkillPillar", "broaderRelationsOccPillar"):
        df = read(f"en/{stem}.csv.gz")
        frames[f"en/{stem}.csv.gz"] = df[
            df.conceptUri.isin(keep) | ~df.conceptUri.str.contains("/skill/|/occupation/")
        ]
    ssr = read("en/skillSkillRelations.csv.gz")
    frames["en/skillSkillRelations.csv.gz"] = ssr[
        ssr.originalSkillUri.isin(keep) & ssr.relatedSkillUri.isin(keep)
    ]
    coll = read("en/digitalSkillsCollection_en.csv.gz")
    frames["en/digitalSkillsCollection_en.csv.gz"] = coll[coll.conceptUri.isin(keep)]
    for rel_path, df in frames.items():
        path = dst / rel_path
        path.parent.mkdir(parents=True, exist_ok=True)
        df.to_csv(path, index=False, compression={"method": "gzip", "mtime": 0})
    manifest = {"version": "esco-mini-test", "languages": ["en", "nl"]}
    (dst / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"{len(occ)} occupations, {len(skills)} skills -> {dst}")


if __name__ == "__main__":
    main(sys.argv[1])
