"""Throw-away databases for tests of the store and of what is built on it (service, KPIs).

    with scratch_database_url("sqlite", tmp_path) as url: ...
    with scratch_database_url("postgresql", tmp_path) as url: ...  # needs POSTGRES_ENV

SQLite gets a fresh file in ``directory``. PostgreSQL gets a fresh schema in the database
named by ``VAARDIG_TEST_POSTGRES_URL`` (dropped afterwards), so the tests never touch tables
that were already there and can run side by side.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from extractor.claims import Evidence, Method, SkillClaim

POSTGRES_ENV = "VAARDIG_TEST_POSTGRES_URL"


def postgres_test_url() -> str | None:
    """The PostgreSQL URL tests may use, e.g. ``postgresql+psycopg://postgres@localhost/test``."""
    return os.environ.get(POSTGRES_ENV) or None


@contextmanager
def scratch_database_url(backend: str, directory: Path) -> Iterator[str]:
    """Yield the URL of an empty database; clean it up afterwards (PostgreSQL).

    Raises:
        RuntimeError: ``backend`` is "postgresql" and ``VAARDIG_TEST_POSTGRES_URL`` is unset.
    """
    if backend == "sqlite":
        yield f"sqlite:///{directory / 'db' / 'vaardig.db'}"
        return
    if backend != "postgresql":
        raise ValueError(f"backend must be 'sqlite' or 'postgresql', got {backend!r}")
    base = postgres_test_url()
    if base is None:
        raise RuntimeError(f"set {POSTGRES_ENV} to run the PostgreSQL tests")
    schema = f"vaardig_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    try:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()


def skill_claim(
    uri: str,
    label: str,
    text: str,
    phrase: str,
    *,
    confidence: float = 0.8,
    method: Method = "exact",
    section: str = "experience",
    inferred_from: str | None = None,
) -> SkillClaim:
    """A ``SkillClaim`` whose evidence is the first ``phrase`` in ``text`` (and its line)."""
    start = text.index(phrase)
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    sentence = text[line_start : line_end if line_end >= 0 else len(text)]
    evidence = Evidence(start, start + len(phrase), phrase, sentence, section)
    return SkillClaim(
        uri=uri,
        label=label,
        confidence=confidence,
        method=method,
        evidence=evidence,
        matched_label=label,
        inferred_from=inferred_from,
    )
