"""The passport store: merge rules, transactions, tenant isolation, validation, roles, audit.

Real databases only: a SQLite file per test, and a fresh PostgreSQL schema per test when
VAARDIG_TEST_POSTGRES_URL is set.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import CheckConstraint, inspect

from matcher.store import (
    AlreadyExists,
    AuditLog,
    Conflict,
    NotFound,
    PassportStore,
    RoleSkill,
    RoleStore,
    make_engine,
    upgrade_database,
)
from matcher.store.models import Base
from matcher.store.testing import skill_claim

ROOT = Path(__file__).resolve().parents[1]
SKILL = "http://data.europa.eu/esco/skill/"
FORKLIFT = SKILL + "28cb374e-6261-4133-8371-f9a5470145da"  # heftrucks bedienen
STORE_GOODS = SKILL + "e883d55a-75ae-460b-ba0a-47fecf14f1b3"  # goederen opslaan in magazijnen
TRANSFER_STOCK = SKILL + "fc0fbc9c-b24d-42fa-ae66-c9b4945b6bc0"  # voorraad overbrengen
SAFETY = SKILL + "d2d9051a-10e1-41c5-9cfb-bbdc58016176"  # veiligheidsmaatregelen ... in acht nemen
FORKLIFT_DRIVER = "http://data.europa.eu/esco/occupation/eeac6251-1974-42f5-91ed-513c6c883755"

CV_2023 = (
    "Werkervaring\n"
    "2019 – heden Heftruckchauffeur bij Transport Jansen BV\n"
    "Dagelijks heftruck rijden en goederen opslaan in het magazijn.\n"
)
CV_2025 = (
    "Werkervaring\n"
    "2023 – heden Magazijnmedewerker bij Logistiek Noord\n"
    "Voorraad overbrengen tussen locaties en heftruck rijden met reachtruck-certificaat.\n"
)
T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
T1 = T0 + timedelta(days=30)


@pytest.fixture
def org(store: PassportStore):
    return store.create_organisation("Transport Jansen BV")


@pytest.fixture
def employee(store: PassportStore, org):
    return store.add_employee(org.id, "emp-0042", display_name="Jan de Vries", team="magazijn")


def forklift(text: str = CV_2023, phrase: str = "heftruck", **kwargs):
    return skill_claim(FORKLIFT, "heftrucks bedienen", text, phrase, **kwargs)


def store_goods(text: str = CV_2023, **kwargs):
    return skill_claim(STORE_GOODS, "goederen opslaan", text, "goederen opslaan", **kwargs)


def upload(store: PassportStore, employee, text: str, claims, at: datetime = T0, **kwargs):
    return store.build_passport_from_document(
        employee.organisation_id,
        employee.id,
        filename="cv.txt",
        content=text.encode(),
        text=text,
        lang="nl",
        claims=claims,
        at=at,
        **kwargs,
    )


# -- schema --------------------------------------------------------------------------------


def test_migrations_create_exactly_the_schema_of_the_models(database_url: str):
    upgrade_database(database_url)
    upgrade_database(database_url)  # idempotent: the app runs it at every start
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
            inspector = inspect(connection)
            for table in Base.metadata.sorted_tables:  # alembic does not compare CHECKs
                checks = [c for c in table.constraints if isinstance(c, CheckConstraint)]
                in_models = {c.name for c in checks}
                in_database = {c["name"] for c in inspector.get_check_constraints(table.name)}
                assert in_database == in_models, table.name
    finally:
        engine.dispose()


def test_sqlite_database_is_created_under_its_directory_with_safe_settings(tmp_path: Path):
    path = tmp_path / "data" / "nested" / "vaardig.db"
    store = PassportStore.open(f"sqlite:///{path}")
    try:
        assert path.is_file()
        with store.database.engine.connect() as connection:
            pragma = connection.exec_driver_sql
            assert pragma("PRAGMA journal_mode").scalar() == "wal"
            assert pragma("PRAGMA foreign_keys").scalar() == 1
            assert pragma("PRAGMA busy_timeout").scalar() == 30_000
            assert pragma("PRAGMA secure_delete").scalar() == 1
    finally:
        store.database.close()


# -- merging ---------------------------------------------------------------------------------


def test_new_skills_enter_the_passport_as_suggested_with_evidence(store, org, employee):
    report = upload(store, employee, CV_2023, [forklift(), store_goods()])

    passport = store.passport(org.id, employee.id)
    assert report.added == (FORKLIFT, STORE_GOODS)
    assert [c.skill_uri for c in passport.claims] == sorted([FORKLIFT, STORE_GOODS])
    claim = passport.claim(FORKLIFT)
    assert claim.status == "suggested" and claim.first_seen == T0 and claim.version == 1
    (evidence,) = claim.evidence
    assert evidence.document_id == report.document_id
    assert CV_2023[evidence.start : evidence.end] == "heftruck" == evidence.text
    assert evidence.sentence == "Dagelijks heftruck rijden en goederen opslaan in het magazijn."
    assert (evidence.section, evidence.method, evidence.confidence) == ("experience", "exact", 0.8)


def test_a_skill_found_in_two_cvs_is_one_claim_with_both_evidence(store, org, employee):
    used_2023, used_2025 = {FORKLIFT: date(2023, 1, 1)}, {FORKLIFT: date(2025, 3, 1)}
    upload(store, employee, CV_2023, [forklift(confidence=0.6)], last_used=used_2023)
    report = upload(
        store, employee, CV_2025, [forklift(CV_2025, confidence=0.9)], T1, last_used=used_2025
    )

    (claim,) = store.passport(org.id, employee.id).claims
    assert report.added == () and report.updated == (FORKLIFT,)
    assert len(claim.evidence) == 2
    assert claim.confidence == 0.9  # raised to the maximum
    assert claim.last_used == date(2025, 3, 1)
    assert claim.first_seen == T0


def test_merging_the_same_document_twice_adds_nothing(store, org, employee):
    first = upload(store, employee, CV_2023, [forklift()])
    again = store.merge_claims(org.id, employee.id, first.document_id, [forklift()], at=T1)

    (claim,) = store.passport(org.id, employee.id).claims
    assert again.evidence_added == 0
    assert len(claim.evidence) == 1


def test_lower_confidence_and_older_last_used_do_not_lower_a_claim(store, org, employee):
    used_2025, used_2020 = {FORKLIFT: date(2025, 1, 1)}, {FORKLIFT: date(2020, 1, 1)}
    upload(store, employee, CV_2023, [forklift(confidence=0.9)], last_used=used_2025)
    upload(store, employee, CV_2025, [forklift(CV_2025, confidence=0.5)], T1, last_used=used_2020)

    claim = store.passport(org.id, employee.id).claim(FORKLIFT)
    assert (claim.confidence, claim.last_used) == (0.9, date(2025, 1, 1))


def test_rejected_claim_stays_rejected_when_found_again(store, org, employee):
    upload(store, employee, CV_2023, [forklift()])
    store.set_claim_status(org.id, employee.id, FORKLIFT, "rejected", actor="hr@jansen.nl")

    report = upload(store, employee, CV_2025, [forklift(CV_2025)], at=T1)

    claim = store.passport(org.id, employee.id).claim(FORKLIFT)
    assert claim.status == "rejected"
    assert report.kept_rejected == (FORKLIFT,) and report.added == ()
    assert len(claim.evidence) == 2  # the evidence is still recorded


def test_confirmed_claim_stays_confirmed_when_found_again(store, org, employee):
    upload(store, employee, CV_2023, [forklift()])
    store.set_claim_status(org.id, employee.id, FORKLIFT, "confirmed", actor="hr@jansen.nl", at=T0)

    upload(store, employee, CV_2025, [forklift(CV_2025, confidence=0.95)], at=T1)

    claim = store.passport(org.id, employee.id).claim(FORKLIFT)
    assert claim.status == "confirmed"
    assert (claim.confirmed_by, claim.confirmed_at) == ("hr@jansen.nl", T0)
    assert claim.confidence == 0.95


def test_inferred_claim_does_not_overwrite_an_evidenced_one(store, org, employee):
    upload(store, employee, CV_2023, [forklift(confidence=0.7)])
    inferred = forklift(
        CV_2025,
        "Magazijnmedewerker",
        method="inferred",
        confidence=0.9,
        inferred_from=FORKLIFT_DRIVER,
    )

    upload(store, employee, CV_2025, [inferred], at=T1)

    claim = store.passport(org.id, employee.id).claim(FORKLIFT)
    assert (claim.method, claim.confidence, claim.updated_at) == ("exact", 0.7, T0)
    assert [e.method for e in claim.evidence] == ["exact", "inferred"]


def test_evidenced_claim_replaces_an_inferred_one(store, org, employee):
    inferred = forklift(CV_2023, "Heftruckchauffeur", method="inferred", confidence=0.5)
    upload(store, employee, CV_2023, [inferred])

    upload(store, employee, CV_2025, [forklift(CV_2025, method="alias", confidence=0.4)], T1)

    claim = store.passport(org.id, employee.id).claim(FORKLIFT)
    assert claim.method == "alias"
    assert claim.confidence == 0.5  # the maximum of what was seen


def test_merge_refuses_a_document_of_another_employee(store, org, employee):
    other = store.add_employee(org.id, "emp-0043")
    theirs = upload(store, other, CV_2025, [forklift(CV_2025)])

    with pytest.raises(NotFound, match=f"document {theirs.document_id} does not exist"):
        store.merge_claims(org.id, employee.id, theirs.document_id, [forklift()])


def test_malformed_claim_is_refused_before_anything_is_written(store, org, employee):
    bad = forklift(confidence=1.5)

    with pytest.raises(ValueError, match=r"confidence of .* must be in \[0, 1\], got 1.5"):
        upload(store, employee, CV_2023, [store_goods(), bad])

    assert store.passport(org.id, employee.id).claims == ()
    assert store.list_documents(org.id, employee_id=employee.id) == []


# -- transactions ------------------------------------------------------------------------------


def test_crash_mid_upload_leaves_the_previous_passport_intact(store, org, employee):
    upload(store, employee, CV_2023, [forklift()])
    before = store.passport(org.id, employee.id)

    def extraction_that_dies():
        yield skill_claim(TRANSFER_STOCK, "voorraad overbrengen", CV_2025, "Voorraad overbrengen")
        raise RuntimeError("extractor crashed half-way")

    with pytest.raises(RuntimeError, match="half-way"):
        upload(store, employee, CV_2025, extraction_that_dies(), at=T1)

    assert store.passport(org.id, employee.id) == before
    assert len(store.list_documents(org.id, employee_id=employee.id)) == 1


def test_killed_process_mid_upload_leaves_the_previous_passport_intact(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'vaardig.db'}"
    store = PassportStore.open(url)
    org = store.create_organisation("Transport Jansen BV")
    employee = store.add_employee(org.id, "emp-0042")
    upload(store, employee, CV_2023, [forklift()])
    before = store.passport(org.id, employee.id)
    store.database.close()
    # The child writes the new document, then dies without any cleanup (no rollback runs).
    script = textwrap.dedent(f"""
        import os
        from matcher.store import PassportStore
        from matcher.store.testing import skill_claim

        def dies():
            os._exit(3)
            yield

        store = PassportStore.open({url!r})
        store.build_passport_from_document(
            {org.id}, {employee.id}, filename="cv2.txt", content=b"x", text="x", lang="nl",
            claims=dies(),
        )
    """)
    child = subprocess.run([sys.executable, "-c", script], cwd=ROOT, timeout=60, check=False)
    assert child.returncode == 3

    store = PassportStore.open(url)
    try:
        assert store.passport(org.id, employee.id) == before
        assert len(store.list_documents(org.id)) == 1
    finally:
        store.database.close()


# -- tenants and unknown ids -------------------------------------------------------------------


def test_organisations_are_listed_with_their_number_of_employees(store, org, employee):
    empty = store.create_organisation("Bakkerij Jansen", document_retention_days=30)
    store.add_employee(org.id, "emp-0043")
    listed = store.list_organisations()
    assert [(o.id, o.name, n) for o, n in listed] == [
        (org.id, "Transport Jansen BV", 2),
        (empty.id, "Bakkerij Jansen", 0),
    ]
    assert listed[1][0].document_retention_days == 30


def test_an_organisation_cannot_see_another_organisations_employee(store, org, employee):
    other_org = store.create_organisation("Bakkerij Smit")

    with pytest.raises(NotFound):
        store.get_employee(other_org.id, employee.id)
    with pytest.raises(NotFound):
        store.get_employee(other_org.id, "emp-0042")
    with pytest.raises(NotFound):
        store.passport(other_org.id, employee.id)
    with pytest.raises(NotFound):
        store.erase_employee(other_org.id, employee.id)
    assert store.get_employee(org.id, "emp-0042") == employee


def test_the_same_external_id_may_exist_in_two_organisations(store, org, employee):
    other_org = store.create_organisation("Bakkerij Smit")

    theirs = store.add_employee(other_org.id, "emp-0042")

    assert theirs.id != employee.id
    assert store.get_employee(other_org.id, "emp-0042") == theirs


def test_an_external_id_is_unique_within_an_organisation(store, org, employee):
    with pytest.raises(AlreadyExists, match="employee 'emp-0042' already exists"):
        store.add_employee(org.id, "emp-0042")


def test_unknown_ids_raise_not_found_naming_what_and_which(store, org, employee):
    roles = RoleStore(store.database)
    cases = [
        (lambda: store.get_organisation(999), "organisation 999 does not exist"),
        (
            lambda: store.get_employee(org.id, 999),
            f"employee 999 does not exist in organisation {org.id}",
        ),
        (lambda: store.get_employee(org.id, "emp-9999"), "employee 'emp-9999' does not exist"),
        (lambda: store.add_employee(999, "emp-1"), "organisation 999 does not exist"),
        (lambda: store.get_document(org.id, 999), "document 999 does not exist"),
        (
            lambda: store.set_claim_status(org.id, employee.id, FORKLIFT, "confirmed", "hr"),
            f"claim '{FORKLIFT}' does not exist",
        ),
        (lambda: roles.get_role(org.id, 999), f"role 999 does not exist in organisation {org.id}"),
    ]
    for call, message in cases:
        with pytest.raises(NotFound, match=message):
            call()


# -- people's decisions ----------------------------------------------------------------------


def test_confirming_records_who_when_and_an_event(store, org, employee):
    upload(store, employee, CV_2023, [forklift()])

    claim = store.set_claim_status(
        org.id, employee.id, FORKLIFT, "confirmed", "hr@jansen.nl", at=T1
    )

    assert (claim.status, claim.version) == ("confirmed", 2)
    assert (claim.confirmed_by, claim.confirmed_at) == ("hr@jansen.nl", T1)
    history = store.export_employee(org.id, employee.id)["history"]
    assert [(h["action"], h["actor"]) for h in history] == [
        ("suggested", "system"),
        ("confirmed", "hr@jansen.nl"),
    ]


def test_unknown_status_is_refused(store, org, employee):
    upload(store, employee, CV_2023, [forklift()])

    with pytest.raises(ValueError, match=r"status must be one of .* got 'approved'"):
        store.set_claim_status(org.id, employee.id, FORKLIFT, "approved", "hr@jansen.nl")


def test_a_stale_version_is_refused_with_conflict(store, org, employee):
    upload(store, employee, CV_2023, [forklift()])
    seen = store.passport(org.id, employee.id).claim(FORKLIFT).version
    store.set_claim_status(org.id, employee.id, FORKLIFT, "confirmed", "hr@jansen.nl")

    with pytest.raises(Conflict, match="changed since version 1"):
        store.set_claim_status(
            org.id, employee.id, FORKLIFT, "rejected", "teamlead@jansen.nl", expected_version=seen
        )
    assert store.passport(org.id, employee.id).claim(FORKLIFT).status == "confirmed"


@pytest.mark.parametrize("level", [0, 5, -1, 2.5, True])
def test_proficiency_outside_1_to_4_is_refused(store, org, employee, level):
    upload(store, employee, CV_2023, [forklift()])

    with pytest.raises(ValueError, match=r"proficiency must be an integer from 1 .* to 4"):
        store.set_proficiency(org.id, employee.id, FORKLIFT, level, "hr@jansen.nl")


def test_a_set_proficiency_is_not_overwritten_by_an_inferred_one(store, org, employee):
    upload(store, employee, CV_2023, [forklift()], proficiency={FORKLIFT: 2})
    store.set_proficiency(org.id, employee.id, FORKLIFT, 4, "hr@jansen.nl")

    upload(store, employee, CV_2025, [forklift(CV_2025)], at=T1, proficiency={FORKLIFT: 1})

    claim = store.passport(org.id, employee.id).claim(FORKLIFT)
    assert (claim.proficiency, claim.proficiency_source) == (4, "set")


def test_hr_can_add_a_skill_by_hand(store, org, employee):
    claim = store.add_manual_claim(
        org.id,
        employee.id,
        SAFETY,
        "veiligheidsmaatregelen in acht nemen",
        "hr@jansen.nl",
        proficiency=3,
        at=T0,
    )

    assert (claim.status, claim.method, claim.confidence) == ("confirmed", "manual", 1.0)
    assert (claim.proficiency, claim.proficiency_source) == (3, "set")
    assert claim.evidence == ()
    upload(store, employee, CV_2023, [skill_claim(SAFETY, "veiligheid", CV_2023, "magazijn")])
    assert store.passport(org.id, employee.id).claim(SAFETY).method == "manual"


def test_passports_of_several_employees_in_one_call(store, org, employee):
    other = store.add_employee(org.id, "emp-0043")
    upload(store, employee, CV_2023, [forklift()])
    transfer_stock = skill_claim(TRANSFER_STOCK, "voorraad overbrengen", CV_2025, "Voorraad")
    upload(store, other, CV_2025, [forklift(CV_2025), transfer_stock])

    passports = store.passports(org.id)

    assert [p.employee.external_id for p in passports] == ["emp-0042", "emp-0043"]
    assert [len(p.claims) for p in passports] == [1, 2]
    assert store.passports(org.id, [other.id]) == passports[1:]
    assert [e.external_id for e in store.list_employees(org.id, offset=1, limit=10)] == ["emp-0043"]


# -- documents, roles, audit -----------------------------------------------------------------


def test_a_stored_document_keeps_its_original_bytes(store, org, employee):
    raw = "Werkervaring: heftruck — ¢".encode("cp1252")
    stored = store.add_document(org.id, employee.id, "cv", "cv.txt", raw, "heftruck", "nl")

    again = store.get_document(org.id, stored.id)
    assert again.content == raw and again.text == "heftruck" and again.size == len(raw)
    assert again.sha256 == hashlib.sha256(raw).hexdigest()
    assert store.list_documents(org.id)[0].content is None


def test_a_cv_needs_an_employee(store, org):
    with pytest.raises(ValueError, match="a CV belongs to an employee"):
        store.add_document(org.id, None, "cv", "cv.txt", b"x", "x", "nl")


def test_roles_are_added_listed_and_closed(store, org):
    roles = RoleStore(store.database)
    vacancy = store.add_document(org.id, None, "vacancy", "vacature.txt", b"...", "...", "nl")

    role = roles.add_role(
        org.id,
        "vacancy",
        "Heftruckchauffeur",
        [(FORKLIFT, 2.0, True), RoleSkill(SAFETY, 0.5, False)],
        source_document_id=vacancy.id,
        at=T0,
    )
    roles.add_role(org.id, "future_role", "Teamleider magazijn", [(STORE_GOODS, 1.0, True)])
    closed = roles.close_role(org.id, role.id, "filled_internal", at=T1)

    assert roles.get_role(org.id, role.id) == closed
    assert (closed.status, closed.closed_at) == ("filled_internal", T1)
    assert closed.skills == (RoleSkill(FORKLIFT, 2.0, True), RoleSkill(SAFETY, 0.5, False))
    assert [r.title for r in roles.list_roles(org.id, status="open")] == ["Teamleider magazijn"]
    with pytest.raises(ValueError, match=f"role {role.id} is already filled_internal"):
        roles.close_role(org.id, role.id, "closed")


def test_a_role_of_another_organisation_is_not_found(store, org):
    roles = RoleStore(store.database)
    role = roles.add_role(org.id, "esco_occupation", "heftruckchauffeur", [(FORKLIFT, 1.0, True)])
    other_org = store.create_organisation("Bakkerij Smit")

    with pytest.raises(NotFound, match=f"role {role.id} does not exist in organisation"):
        roles.get_role(other_org.id, role.id)


def test_audit_log_keeps_entries_per_organisation(store, org, employee):
    audit = AuditLog(store.database)
    other_org = store.create_organisation("Bakkerij Smit")
    audit.log(org.id, "hr@jansen.nl", "passport.viewed", "employee", employee.id, at=T0)
    audit.log(other_org.id, "hr@smit.nl", "role.created", "role", 1, at=T0)

    (entry,) = audit.entries(org.id)

    assert (entry.actor, entry.action, entry.subject_type, entry.subject_id, entry.at) == (
        "hr@jansen.nl",
        "passport.viewed",
        "employee",
        employee.id,
        T0,
    )


def test_naive_datetimes_are_refused(store, org, employee):
    with pytest.raises(ValueError, match="has no timezone"):
        upload(store, employee, CV_2023, [forklift()], at=datetime(2025, 3, 1, 9, 0))


def test_an_employee_s_name_and_team_change_and_the_external_id_stays(store, org):
    from matcher.store import NotFound

    person = store.add_employee(org.id, "emp-77", "Bo", "magazijn")
    moved = store.update_employee(org.id, "emp-77", team="planning")
    assert (moved.display_name, moved.team, moved.external_id) == ("Bo", "planning", "emp-77")
    cleared = store.update_employee(org.id, person.id, display_name=None)
    assert store.get_employee(org.id, person.id) == cleared
    assert (cleared.display_name, cleared.team) == (None, "planning")
    with pytest.raises(ValueError, match="give a display_name, a team, or both"):
        store.update_employee(org.id, person.id)
    with pytest.raises(ValueError, match="display name must be 1–200 characters"):
        store.update_employee(org.id, person.id, display_name="x" * 201)
    with pytest.raises(NotFound):
        store.update_employee(org.id, "emp-none", team="x")
