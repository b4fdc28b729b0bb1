"""Build the example firm (20 employees, two years of passport history) into a database.

    python scripts/make_fixture_firm.py                       # the configured database
    python scripts/make_fixture_firm.py --db /tmp/firm.db     # a SQLite file
    python scripts/make_fixture_firm.py --url postgresql+psycopg://user@host/vaardig

Then, e.g.: ``vaardig tshape vdb-001 --org N``, ``vaardig kpi --org N --period 2026``. The data
and what it is for: ``matcher/development/fixture_firm.py``. Deterministic: the same history
on every run (a new organisation each time).
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from matcher.development.fixture_firm import PEOPLE, build_fixture_firm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--db", type=Path, help="a SQLite file (created if missing)")
    where.add_argument("--url", help="a database URL (SQLite or PostgreSQL)")
    args = parser.parse_args()
    if args.db:
        url = f"sqlite:///{args.db.resolve()}"
    elif args.url:
        url = args.url
    else:
        from vaardig.settings import get_settings

        url = get_settings().effective_database_url
    firm = build_fixture_firm(url)
    teams = Counter(person.team for person in PEOPLE)
    print(
        f"organisation {firm.organisation_id}: {len(firm.employees)} employees "
        f"({', '.join(f'{team} {n}' for team, n in teams.items())}), {len(firm.roles)} roles"
    )


if __name__ == "__main__":
    main()
