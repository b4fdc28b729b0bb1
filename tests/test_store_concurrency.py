"""Two writers on one passport at the same time: no lost claims, no duplicates, no lost updates.

Each writer is a thread with its own ``PassportStore`` (own engine, own connections), as two
service workers would be. A barrier starts them together.
"""

from __future__ import annotations

import csv
import gzip
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise
from pathlib import Path

import pytest

from matcher.store import Conflict, PassportStore
from matcher.store.testing import skill_claim

MINI_SKILLS = Path(__file__).parent / "fixtures" / "taxonomy-mini" / "en" / "skills_en.csv.gz"
FORKLIFT = "http://data.europa.eu/esco/skill/28cb374e-6261-4133-8371-f9a5470145da"
ROUNDS = 15


@pytest.fixture
def passport_owner(database_url: str):
    """(organisation id, employee id) of an employee with an empty passport."""
    store = PassportStore.open(database_url)
    org = store.create_organisation("Transport Jansen BV")
    employee = store.add_employee(org.id, "emp-0042")
    store.database.close()
    return org.id, employee.id


def esco_skills(count: int) -> list[tuple[str, str]]:
    """(uri, label) of the first ``count`` skills of the mini taxonomy."""
    with gzip.open(MINI_SKILLS, "rt", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))[:count]
    return [(row["conceptUri"], row["preferredLabel"]) for row in rows]


def run_two_writers(url: str, writer: Callable[[PassportStore, int, threading.Barrier], object]):
    """Run ``writer(store, index, barrier)`` in two threads, each with its own store."""
    barrier = threading.Barrier(2, timeout=30)

    def run(index: int) -> object:
        store = PassportStore.open(url)
        try:
            return writer(store, index, barrier)
        finally:
            store.database.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(run, index) for index in (0, 1)]
        return [future.result(timeout=120) for future in futures]  # re-raises a writer's error


def cv_upload(store: PassportStore, org_id: int, employee_id: int, name: str, claims_for):
    text = f"Werkervaring\n{name}: heftruck rijden, voorraad beheren.\n"
    return store.build_passport_from_document(
        org_id,
        employee_id,
        filename=f"{name}.txt",
        content=text.encode(),
        text=text,
        lang="nl",
        claims=claims_for(text),
    )


def test_two_writers_merging_different_skills_lose_none(database_url, passport_owner):
    org_id, employee_id = passport_owner
    skills = esco_skills(2 * ROUNDS)

    def writer(store: PassportStore, index: int, barrier: threading.Barrier) -> None:
        barrier.wait()
        for round_ in range(ROUNDS):
            uri, label = skills[2 * round_ + index]
            cv_upload(
                store,
                org_id,
                employee_id,
                f"writer{index}-cv{round_}",
                lambda text, uri=uri, label=label: [skill_claim(uri, label, text, "heftruck")],
            )

    run_two_writers(database_url, writer)

    store = PassportStore.open(database_url)
    passport = store.passport(org_id, employee_id)
    store.database.close()
    assert sorted(c.skill_uri for c in passport.claims) == sorted(uri for uri, _ in skills)


def test_two_writers_merging_the_same_skill_make_one_claim_with_all_evidence(
    database_url, passport_owner
):
    org_id, employee_id = passport_owner

    def writer(store: PassportStore, index: int, barrier: threading.Barrier) -> None:
        barrier.wait()
        for round_ in range(ROUNDS):
            cv_upload(
                store,
                org_id,
                employee_id,
                f"writer{index}-cv{round_}",
                lambda text: [skill_claim(FORKLIFT, "heftrucks bedienen", text, "heftruck")],
            )

    run_two_writers(database_url, writer)

    store = PassportStore.open(database_url)
    (claim,) = store.passport(org_id, employee_id).claims
    documents = store.list_documents(org_id, employee_id=employee_id)
    store.database.close()
    assert len(documents) == 2 * ROUNDS
    assert sorted(e.document_id for e in claim.evidence) == sorted(d.id for d in documents)


def test_two_writers_changing_one_claims_status_lose_no_update(database_url, passport_owner):
    org_id, employee_id = passport_owner
    store = PassportStore.open(database_url)
    cv_upload(
        store,
        org_id,
        employee_id,
        "cv",
        lambda text: [skill_claim(FORKLIFT, "heftrucks bedienen", text, "heftruck")],
    )
    store.database.close()
    decisions = ("confirmed", "rejected")

    def writer(store: PassportStore, index: int, barrier: threading.Barrier) -> None:
        barrier.wait()
        for _ in range(ROUNDS):
            store.set_claim_status(
                org_id, employee_id, FORKLIFT, decisions[index], actor=f"hr-{index}"
            )

    run_two_writers(database_url, writer)

    store = PassportStore.open(database_url)
    claim = store.passport(org_id, employee_id).claim(FORKLIFT)
    history = store.export_employee(org_id, employee_id)["history"]
    store.database.close()
    changes = [h["action"] for h in history if h["action"] in decisions]
    # every change is recorded and counted exactly once, and the last one is what stuck
    assert claim.version == 1 + len(changes)
    assert claim.status == changes[-1]
    assert all(a != b for a, b in pairwise(changes))


def test_two_writers_with_the_same_expected_version_one_wins(database_url, passport_owner):
    org_id, employee_id = passport_owner
    store = PassportStore.open(database_url)
    cv_upload(
        store,
        org_id,
        employee_id,
        "cv",
        lambda text: [skill_claim(FORKLIFT, "heftrucks bedienen", text, "heftruck")],
    )
    seen = store.passport(org_id, employee_id).claim(FORKLIFT).version
    store.database.close()
    decisions = ("confirmed", "rejected")

    def writer(store: PassportStore, index: int, barrier: threading.Barrier) -> str:
        barrier.wait()
        try:
            store.set_claim_status(
                org_id,
                employee_id,
                FORKLIFT,
                decisions[index],
                f"hr-{index}",
                expected_version=seen,
            )
        except Conflict:
            return "conflict"
        return decisions[index]

    outcomes = run_two_writers(database_url, writer)

    assert sorted(outcomes).count("conflict") == 1
    store = PassportStore.open(database_url)
    claim = store.passport(org_id, employee_id).claim(FORKLIFT)
    store.database.close()
    (winner,) = [o for o in outcomes if o != "conflict"]
    assert (claim.status, claim.version) == (winner, seen + 1)
