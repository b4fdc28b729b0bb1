"""Trend analysis on extracted records: time and memory for 10,000 and 100,000 vacancies.

Input: synthetic records as a perfect extractor would write them (``write_records``; the
re-posts left out), read back from JSON Lines, so the figures measure the analysis, not
extraction (see batch_bench for that). Each size runs in its own process:

- ``count_s``: stream the file and count demand per quarter, overall and per ISCO major group,
  for skills, skill groups and collections;
- ``test_s``: the quasi-Poisson growth fits and the FDR correction for every series;
- ``forecast_s``/``forecasts``: exponential smoothing for the top 10 rising and declining
  series per group and level;
- ``charts_s``: PNG charts for the top 5 rising/declining skills overall;
- ``peak_rss_mb``: the process's peak memory (the counts grow with distinct skill × group ×
  period combinations, not with the number of vacancies).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import peak_rss_mb, write_result

ROOT = Path(__file__).resolve().parent.parent


def run(sizes: tuple[int, ...] = (10_000, 100_000)) -> dict:
    """Figures per size; about a minute on 2 cores."""

    with tempfile.TemporaryDirectory(prefix="vaardig-trends-bench-") as name:
        return _run(Path(name), sizes)


def _run(tmp: Path, sizes: tuple[int, ...]) -> dict:
    from matcher.trends.synthetic import generate_feed, write_records

    result: dict = {}
    for n in sizes:
        path = tmp / f"records_{n}.jsonl"
        records = write_records(generate_feed(n, seed=23), path)
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.trends_bench",
                "--child",
                str(path),
                "--charts",
                str(tmp / f"charts_{n}"),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=900,
        )
        if done.returncode != 0:
            raise RuntimeError(f"trends bench child failed:\n{done.stderr[-3000:]}")
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        result[str(n)] = {"records": records, "file_mb": round(path.stat().st_size / 1e6, 1)}
        result[str(n)].update(figures)
        path.unlink()
    return result


def _child(path: Path, charts: Path) -> dict:
    from extractor.batch import read_records
    from matcher.trends import analyse_trends, count_demand, plot_report
    from matcher.trends.analysis import add_forecasts
    from taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    before = peak_rss_mb()
    t0 = time.perf_counter()
    counts = count_demand(read_records(path), taxonomy, by="quarter", group_by="isco1")
    t1 = time.perf_counter()
    report = analyse_trends(counts, taxonomy, forecast_top=0)
    t2 = time.perf_counter()
    add_forecasts(report, top=10)
    t3 = time.perf_counter()
    files = plot_report(report, charts, top=10, series=5, fmt="png")
    t4 = time.perf_counter()
    forecasts = sum(t.forecast is not None for t in report.trends)
    return {
        "count_s": round(t1 - t0, 2),
        "records_per_s": round(counts.records / (t1 - t0)),
        "series_tested": report.settings["tests"],
        "test_s": round(t2 - t1, 3),
        "forecasts": forecasts,
        "forecast_s": round(t3 - t2, 2),
        "charts": len(files),
        "charts_s": round(t4 - t3, 2),
        "rss_after_taxonomy_mb": round(before, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "rising_overall": [t.label for t in report.rising(top=5)],
        "declining_overall": [t.label for t in report.declining(top=5)],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", type=Path)
    parser.add_argument("--charts", type=Path)
    args = parser.parse_args()
    if args.child is None:
        print(write_result("trends", run()))
        return
    os.environ.setdefault("MPLBACKEND", "Agg")
    print(json.dumps(_child(args.child, args.charts)))


if __name__ == "__main__":
    main()
