"""Write a synthetic Dutch vacancy feed with known injected trends (matcher.trends.synthetic).

    .venv/bin/python scripts/make_synthetic_feed.py --n 20000 --out feed.jsonl
    .venv/bin/python scripts/make_synthetic_feed.py --n 20000 --records records.jsonl
    .venv/bin/python scripts/make_synthetic_feed.py --fixtures     # tests/fixtures/feeds/
    .venv/bin/python scripts/make_synthetic_feed.py --docs         # docs/img/trends_*.svg

``--out`` writes the feed (what ``vaardig batch``/``vaardig trends`` read, re-posts included);
``--records`` the records a perfect extractor would write (re-posts left out), which the trend
analysis reads directly. Employers, people and phone numbers are invented. The same arguments
always give the same files.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from matcher.trends.synthetic import generate_feed, write_feed, write_records

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "feeds"
DOCS_IMG = Path(__file__).resolve().parent.parent / "docs" / "img"


def make_fixtures() -> None:
    """The small feed the tests run through the real extractor: 6 vacancies (2022-2024) in
    five occupations, 3 re-posts on other boards, and one malformed posting without text."""
    FIXTURES.mkdir(parents=True, exist_ok=True)
    path = FIXTURES / "synthetic_small.jsonl"
    n = write_feed(generate_feed(6, seed=11, duplicate_rate=0.4), path)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "KAPOT-1", "title": "", "description": ""}) + "\n")
    print(f"{path}: {n} postings and 1 malformed one")


def make_docs_charts() -> None:
    """The charts of docs/trends.md: 20,000 synthetic vacancies, perfect extraction."""
    from matcher.trends import analyse_trends, growth_chart, series_chart
    from matcher.trends.synthetic import SKILLS
    from taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    records = [v.extraction_record() for v in generate_feed(20_000, seed=7) if not v.duplicate_of]
    report = analyse_trends(records, taxonomy, by="quarter", group_by="isco1", forecast_top=10)
    print(growth_chart(report, DOCS_IMG / "trends_groei.svg", top=8))
    print(
        series_chart(
            report,
            report.trend(SKILLS["warmtepompen"].uri, group="7"),
            DOCS_IMG / "trends_warmtepompen.svg",
        )
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=20_000, help="distinct vacancies")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--start", type=date.fromisoformat, default=date(2022, 1, 1))
    parser.add_argument("--end", type=date.fromisoformat, default=date(2024, 12, 31))
    parser.add_argument("--duplicate-rate", type=float, default=0.08)
    parser.add_argument("--out", type=Path, help="feed file (JSON Lines)")
    parser.add_argument("--records", type=Path, help="perfect-extractor records (JSON Lines)")
    parser.add_argument("--fixtures", action="store_true", help="rewrite tests/fixtures/feeds/")
    parser.add_argument("--docs", action="store_true", help="rewrite the docs/img/trends_* charts")
    args = parser.parse_args(argv)
    if args.fixtures or args.docs:
        if args.fixtures:
            make_fixtures()
        if args.docs:
            make_docs_charts()
        return
    if not args.out and not args.records:
        parser.error("give --out, --records or --fixtures")

    def feed():
        return generate_feed(
            args.n, args.seed, args.start, args.end, duplicate_rate=args.duplicate_rate
        )

    if args.out:
        print(f"{args.out}: {write_feed(feed(), args.out)} postings")
    if args.records:
        print(f"{args.records}: {write_records(feed(), args.records)} records")


if __name__ == "__main__":
    main()
