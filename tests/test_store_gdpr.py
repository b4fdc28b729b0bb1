"""GDPR in the passport store: erasure leaves nothing behind, export is complete, retention
purges documents but keeps passports."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import MetaData

from matcher.store import AuditLog, NotFound, PassportStore, RoleStore
from matcher.store.testing import skill_claim

SKILL = "http://data.europa.eu/esco/skill/"
FORKLIFT = SKILL + "28cb374e-6261-4133-8371-f9a5470145da"  # heftrucks bedienen
STORE_GOODS = SKILL + "e883d55a-75ae-460b-ba0a-47fecf14f1b3"  # goederen opslaan in magazijnen
SAFETY = SKILL + "d2d9051a-10e1-41c5-9cfb-bbdc58016176"  # veiligheidsmaatregelen ... in acht nemen

# Strings that occur only in what we store about the employee who will be erased.
NAME = "Jan de Vries"
EXTERNAL_ID = "emp-0042"
ADDRESS = "Hoofdstraat 12, Zwolle"
CV = (
    f"{NAME}\n{ADDRESS}\n"
    "Werkervaring\n"
    "2019 – heden Heftruckchauffeur bij Transport Jansen BV\n"
    "Dagelijks heftruck rijden en goederen opslaan in het magazijn.\n"
)
OTHER_CV = "Werkervaring\nMagazijnmedewerker, heftruck rijden met certificaat.\n"
PERSONAL = (NAME, EXTERNAL_ID, ADDRESS, "Dagelijks heftruck rijden", "cv-jan.txt")
T0 = datetime(2024, 1, 15, 9, 0, tzinfo=UTC)


@pytest.fixture
def org(store: PassportStore):
    return store.create_organisation("Logistiek Oost BV")


@pytest.fixture
def jan(store: PassportStore, org):
    return build_jan(store, org)


@pytest.fixture
def piet(store: PassportStore, org):
    return build_piet(store, org)


def build_jan(store: PassportStore, org):
    """An employee with everything a passport can hold: two CVs, decisions, history."""
    jan = store.add_employee(org.id, EXTERNAL_ID, display_name=NAME, team="magazijn")
    for i, at in enumerate((T0, T0 + timedelta(days=200))):
        store.build_passport_from_document(
            org.id,
            jan.id,
            filename="cv-jan.txt",
            content=CV.encode(),
            text=CV,
            lang="nl",
            claims=[
                skill_claim(
                    FORKLIFT, "heftrucks bedienen", CV, "heftruck", confidence=0.7 + i / 10
                ),
                skill_claim(STORE_GOODS, "goederen opslaan", CV, "goederen opslaan"),
            ],
            at=at,
        )
    store.set_claim_status(org.id, jan.id, FORKLIFT, "confirmed", "hr@oost.nl")
    store.set_claim_status(org.id, jan.id, STORE_GOODS, "rejected", "hr@oost.nl")
    store.set_proficiency(org.id, jan.id, FORKLIFT, 3, "hr@oost.nl")
    store.add_manual_claim(org.id, jan.id, SAFETY, "veilig werken", "hr@oost.nl")
    store.export_employee(org.id, jan.id, actor="hr@oost.nl")
    return jan


def build_piet(store: PassportStore, org):
    """A colleague whose passport must survive Jan's erasure."""
    piet = store.add_employee(org.id, "emp-0043")
    store.build_passport_from_document(
        org.id,
        piet.id,
        filename="cv.txt",
        content=OTHER_CV.encode(),
        text=OTHER_CV,
        lang="nl",
        claims=[skill_claim(FORKLIFT, "heftrucks bedienen", OTHER_CV, "heftruck")],
        at=T0,
    )
    return piet


def test_erasure_leaves_no_row_and_no_personal_data_in_any_table(store, org, jan, piet):
    store.erase_employee(org.id, jan.id, actor="dpo@oost.nl")

    metadata = MetaData()
    with store.database.engine.connect() as connection:
        metadata.reflect(connection)
        for table in metadata.sorted_tables:
            rows = connection.execute(table.select()).all()
            if "employee_id" in table.c:
                ids = {row._mapping["employee_id"] for row in rows}
                assert jan.id not in ids, table.name
            for row in rows:
                for value in row:
                    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
                    if isinstance(text, str):
                        assert not any(p in text for p in PERSONAL), (table.name, text)
    assert len(store.passport(org.id, piet.id).claims) == 1


def test_erasure_leaves_no_personal_bytes_in_the_sqlite_files(tmp_path: Path):
    data_dir = tmp_path / "data"
    store = PassportStore.open(f"sqlite:///{data_dir / 'vaardig.db'}")
    org = store.create_organisation("Logistiek Oost BV")
    employee = build_jan(store, org)
    build_piet(store, org)

    store.erase_employee(org.id, employee.id)

    try:  # look while the store is open: the WAL file is still there
        files = [path for path in data_dir.rglob("*") if path.is_file()]
        assert {p.name for p in files} >= {"vaardig.db", "vaardig.db-wal"}
        for path in files:
            raw = path.read_bytes()
            for secret in PERSONAL:
                assert secret.encode() not in raw, (path.name, secret)
    finally:
        store.database.close()


def test_erasure_reports_what_it_removed(store, org, jan):
    documents = [d.id for d in store.list_documents(org.id, employee_id=jan.id)]

    report = store.erase_employee(org.id, jan.id, actor="dpo@oost.nl")

    assert (report.organisation_id, report.employee_id) == (org.id, jan.id)
    assert sorted(report.document_ids) == sorted(documents)
    assert report.skill_uris == tuple(sorted([FORKLIFT, STORE_GOODS, SAFETY]))
    assert len(report.claim_ids) == 3
    assert report.evidence_count == 4  # two spans in each of two CVs
    assert report.event_count == 6  # 2 suggested, confirmed, rejected, proficiency, manual


def test_erasure_is_audited_by_id_only(store, org, jan):
    store.erase_employee(org.id, jan.id, actor="dpo@oost.nl")

    entries = AuditLog(store.database).entries(org.id, subject_type="employee")
    assert [(e.action, e.actor, e.subject_id) for e in entries][-1] == (
        "employee.erased",
        "dpo@oost.nl",
        jan.id,
    )
    with pytest.raises(NotFound, match=f"employee {jan.id} does not exist"):
        store.get_employee(org.id, jan.id)


def test_an_erased_employees_id_is_never_given_to_someone_else(store, org, jan):
    store.erase_employee(org.id, jan.id)

    newcomer = store.add_employee(org.id, "emp-0044")

    assert newcomer.id > jan.id


def test_erasing_a_vacancy_source_keeps_the_role(store, org, jan):
    roles = RoleStore(store.database)
    vacancy = store.add_document(
        org.id, None, "vacancy", "vacature.txt", b"Heftruck", "Heftruck", "nl"
    )
    role = roles.add_role(
        org.id,
        "vacancy",
        "Heftruckchauffeur",
        [(FORKLIFT, 1.0, True)],
        source_document_id=vacancy.id,
    )

    store.erase_employee(org.id, jan.id)

    assert roles.get_role(org.id, role.id).source_document_id == vacancy.id


def test_export_contains_the_employee_claims_evidence_documents_and_history(store, org, jan):
    export = store.export_employee(org.id, jan.id, include_content=True)

    assert json.loads(json.dumps(export)) == export  # JSON-serialisable as it is
    assert export["employee"]["external_id"] == EXTERNAL_ID
    assert export["employee"]["display_name"] == NAME
    claims = {c["skill_uri"]: c for c in export["claims"]}
    assert set(claims) == {FORKLIFT, STORE_GOODS, SAFETY}
    assert claims[FORKLIFT]["status"] == "confirmed" and claims[FORKLIFT]["proficiency"] == 3
    assert len(claims[FORKLIFT]["evidence"]) == 2
    assert (
        claims[FORKLIFT]["evidence"][0]["sentence"]
        == "Dagelijks heftruck rijden en goederen opslaan in het magazijn."
    )
    assert [d["text"] for d in export["documents"]] == [CV, CV]
    assert export["documents"][0]["content"] is not None
    assert [h["action"] for h in export["history"]] == [
        "suggested",
        "suggested",
        "confirmed",
        "rejected",
        "proficiency_set",
        "confirmed",
    ]


def test_retention_deletes_old_documents_but_keeps_the_passport(store, org, jan):
    now = T0 + timedelta(days=400)
    old, recent = store.list_documents(org.id, employee_id=jan.id)

    report = store.purge_documents_older_than(org.id, 365, at=now)

    assert report.document_ids == (old.id,)
    assert [d.id for d in store.list_documents(org.id)] == [recent.id]
    claim = store.passport(org.id, jan.id).claim(FORKLIFT)
    assert claim.status == "confirmed"
    purged = [e for e in claim.evidence if e.document_id is None]
    assert [(e.text, e.sentence) for e in purged] == [("heftruck", "")]
    assert report.evidence_scrubbed == 2


def test_retention_defaults_to_the_organisations_period(store):
    org = store.create_organisation("Bakkerij Smit", document_retention_days=30)
    emp = store.add_employee(org.id, "emp-1")
    store.add_document(org.id, emp.id, "cv", "cv.txt", b"x", "x", "nl", at=T0)

    report = store.purge_documents_older_than(org.id, at=T0 + timedelta(days=31))

    assert len(report.document_ids) == 1


def test_retention_needs_a_period(store, org):
    with pytest.raises(ValueError, match="has no document retention period; pass days"):
        store.purge_documents_older_than(org.id)


def test_retention_period_can_be_set_and_cleared(store, org):
    emp = store.add_employee(org.id, "emp-9")
    store.add_document(org.id, emp.id, "cv", "cv.txt", b"x", "x", "nl", at=T0)

    assert store.set_document_retention(org.id, 30).document_retention_days == 30
    assert store.get_organisation(org.id).document_retention_days == 30
    assert len(store.purge_documents_older_than(org.id, at=T0 + timedelta(days=31)).document_ids)

    assert store.set_document_retention(org.id, None).document_retention_days is None
    with pytest.raises(ValueError, match="at least 1 day"):
        store.set_document_retention(org.id, 0)
    with pytest.raises(NotFound):
        store.set_document_retention(org.id + 999, 10)
