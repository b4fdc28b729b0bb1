"""Importing the complete official ESCO v1.1.1 English download (classification + relations).

Measures what a user waits for in ``vaardig taxonomy import``: checking and installing every
file, including the first parse of the new version (which warms the taxonomy cache), and then
loading it from that cache. Runs in a temporary data and cache directory.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from bench.common import peak_rss_mb, timed, write_result

OFFICIAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "esco-official-zips"


def run(source: Path = OFFICIAL) -> dict:
    """Time a full import of the zips in ``source``; raises FileNotFoundError without them."""
    from taxonomy import load_taxonomy
    from taxonomy.importer import import_taxonomy

    zips = sorted(source.glob("*.zip"))
    if not zips:
        raise FileNotFoundError(f"no official ESCO zips in {source}")
    tmp = Path(tempfile.mkdtemp(prefix="vaardig-import-bench-"))
    try:
        data, cache = tmp / "data", tmp / "cache"
        report, import_s = timed(
            import_taxonomy, zips, activate=False, data_dir=data, cache_dir=cache
        )
        tx, load_s = timed(load_taxonomy, report.path, cache_dir=cache)
        size = sum(p.stat().st_size for p in report.path.rglob("*") if p.is_file())
        return {
            "inputs": [z.name for z in zips],
            "input_mb": round(sum(z.stat().st_size for z in zips) / 1e6, 1),
            "version_id": report.version_id,
            "import_s": round(import_s, 3),
            "load_cached_s": round(load_s, 3),
            "rows": {
                "skills": report.rows["en/skills_en.csv.gz"],
                "occupations": report.rows["en/occupations_en.csv.gz"],
                "occupation_skill_relations": report.rows["en/occupationSkillRelations.csv.gz"],
                "all_files": sum(report.rows.values()),
            },
            "concepts_loaded": {k: tx.count(k) for k in ("skill", "occupation")},
            "warnings": len(report.warnings),
            "installed_mb": round(size / 1e6, 1),
            "peak_rss_mb": round(peak_rss_mb(), 1),
        }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    print(write_result("import", run()))
