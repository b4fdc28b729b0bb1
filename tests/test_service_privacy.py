"""Privacy in the service: no personal data in logs, erasure removes everything (index entries
and stored files included), export is complete, retention deletes old documents, the audit
log names key ids only, and names are never matching features."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import MetaData, select

from extractor.ingest import document_from_text
from matcher.store.testing import POSTGRES_ENV, postgres_test_url, scratch_database_url
from service.testing import (
    FORKLIFT,
    WAREHOUSE_SKILLS,
    add_passport,
    add_role,
    new_organisation,
    scratch_app,
    state_of,
)

API = "/api/v1"
NAME = "Jantje Vermeulen"
ADDRESS = "Kastanjelaan 17, Oisterwijk"
CV = (
    f"{NAME}\n{ADDRESS}\n\nWerkervaring\n"
    "2018 - heden: Heftruckchauffeur bij Brabant Distributie B.V., Tilburg\n"
    "Ik rijd dagelijks heftruck en laad en los vrachtwagens.\n"
)


BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(postgres_test_url() is None, reason=f"{POSTGRES_ENV} not set"),
    ),
]


@pytest.fixture(params=BACKENDS)
def app(request, tmp_path):
    with scratch_database_url(request.param, tmp_path / "db") as url:
        yield scratch_app(tmp_path, database_url=url)


@pytest.fixture
def client(app):
    _, key = new_organisation(app, "Logistiek Oost BV")
    with TestClient(app, raise_server_exceptions=False) as client:
        client.headers["X-API-Key"] = key
        yield client


def test_logs_carry_no_names_file_names_or_cv_text(app, client, caplog):
    caplog.set_level(logging.DEBUG)
    employee = client.post(f"{API}/employees", json={"external_id": "emp-7"}).json()["id"]
    ok = client.post(
        f"{API}/employees/{employee}/cv",
        files={"file": (f"CV {NAME}.txt", CV.encode(), "text/plain")},
    )
    assert ok.status_code == 201, ok.text
    bad = client.post(
        f"{API}/employees/{employee}/cv",
        files={"file": (f"{NAME}.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64)},
    )
    assert bad.status_code == 415 and NAME in bad.json()["error"]["message"]  # to the uploader
    client.get(f"{API}/taxonomy/search", params={"q": NAME})
    client.post(f"{API}/employees", json={"external_id": NAME})  # a name where an id belongs
    client.get(f"{API}/employees/{employee}/export")
    # The test client's own request log (httpx) is the caller's side, not the server's.
    server = [r for r in caplog.records if not r.name.startswith("httpx")]
    assert server, "the access log should have written something"
    logged = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in server)
    for secret in ("Jantje", "Vermeulen", "Kastanjelaan", "dagelijks heftruck"):
        assert secret not in logged, secret
    assert "/api/v1/employees/{employee_id}/cv" in logged  # route templates, not values


def test_erasure_removes_everything_including_index_entries_and_files(app, client):
    state = state_of(app)
    org = client.get(f"{API}/me").json()["organisation"]["id"]
    jan = add_passport(
        app,
        org,
        "emp-0042",
        WAREHOUSE_SKILLS,
        text=CV + "\n".join(f"Ervaring met {label}." for _, label in WAREHOUSE_SKILLS),
        display_name=NAME,
        filename=f"cv {NAME}.txt",
    )
    other = add_passport(app, org, "emp-0043", WAREHOUSE_SKILLS[:2])
    role = add_role(app, org, "Heftruckchauffeur", WAREHOUSE_SKILLS)
    network, _ = state.networks.create_network(org, "Netwerk")
    state.networks.give_consent(org, jan.id, network.id, "test")
    candidates = client.get(f"{API}/roles/{role.id}/candidates").json()["candidates"]
    assert jan.id in [c["employee_id"] for c in candidates]  # the index holds Jan now
    document = client.get(f"{API}/employees/{jan.id}/documents").json()[0]["id"]
    extractor = state.loaded("extractor").extractor
    extractor.extract(document_from_text(CV, source="cv.txt", kind="cv"))
    assert [p for p in extractor.cached_phrases() if p in CV]  # phrases of Jan's CV

    erased = client.delete(f"{API}/employees/{jan.id}")
    assert erased.status_code == 200, erased.text
    assert not [p for p in extractor.cached_phrases() if p in CV]
    assert erased.json()["documents"] == 1 and erased.json()["consents"] == 1

    for path in (
        f"employees/{jan.id}",
        f"employees/{jan.id}/passport",
        f"employees/{jan.id}/export",
        f"documents/{document}",
        f"documents/{document}/content",
        f"employees/{jan.id}/consents",
    ):
        assert client.get(f"{API}/{path}").status_code == 404, path
    candidates = client.get(f"{API}/roles/{role.id}/candidates").json()["candidates"]
    assert [c["employee_id"] for c in candidates] == [other.id]
    index = state.workflow(org).indexes.get(org)
    assert jan.id not in index and index.vectors_in_faiss == 1
    # nothing of Jan in any table, the service's own included
    dump = _dump_database(state)
    for secret in (NAME, "emp-0042", ADDRESS, "dagelijks heftruck"):
        assert secret not in dump, secret
    # the audit log keeps the fact, by number only
    entries = client.get(f"{API}/audit", params={"subject_id": jan.id}).json()["items"]
    assert "employee.erased" in {e["action"] for e in entries}
    # no uploaded file left on disk either
    uploads = state.settings.data_dir / "uploads"
    assert not uploads.exists() or not any(p.is_file() for p in uploads.rglob("*"))


def test_erasure_in_another_worker_reaches_this_worker_s_index(tmp_path):
    first = scratch_app(tmp_path)
    org, key = new_organisation(first, "Twee Processen BV")
    second = scratch_app(tmp_path)  # another worker process on the same database
    jan = add_passport(first, org.id, "emp-1", WAREHOUSE_SKILLS)
    role = add_role(first, org.id, "Heftruckchauffeur", WAREHOUSE_SKILLS)
    with TestClient(first) as a, TestClient(second) as b:
        headers = {"X-API-Key": key}
        assert b.get(f"{API}/roles/{role.id}/candidates", headers=headers).json()["candidates"]
        assert a.delete(f"{API}/employees/{jan.id}", headers=headers).status_code == 200
        assert (
            b.get(f"{API}/roles/{role.id}/candidates", headers=headers).json()["candidates"] == []
        )


def test_export_holds_passport_documents_history_and_consents(app, client):
    org = client.get(f"{API}/me").json()["organisation"]["id"]
    jan = add_passport(app, org, "emp-9", WAREHOUSE_SKILLS[:2], display_name=NAME)
    network, _ = state_of(app).networks.create_network(org, "Netwerk")
    state_of(app).networks.give_consent(org, jan.id, network.id, "test")
    client.patch(
        f"{API}/employees/{jan.id}/claims", json={"skill_uri": FORKLIFT[0], "status": "confirmed"}
    )
    export = client.get(f"{API}/employees/{jan.id}/export", params={"include_content": True})
    assert export.status_code == 200
    body = export.json()
    assert body["employee"]["display_name"] == NAME
    assert {c["skill_uri"] for c in body["claims"]} == {uri for uri, _ in WAREHOUSE_SKILLS[:2]}
    assert body["documents"][0]["content"] and body["documents"][0]["text"]
    assert body["history"][-1]["action"] == "confirmed"
    assert body["consents"][0]["network_id"] == network.id
    actions = [e["action"] for e in client.get(f"{API}/audit").json()["items"]]
    assert "employee.exported" in actions


def test_retention_deletes_old_documents_but_keeps_the_passport(app, client):
    state = state_of(app)
    org = client.get(f"{API}/me").json()["organisation"]["id"]
    jan = add_passport(app, org, "emp-5", WAREHOUSE_SKILLS[:2])
    old = state.passports.add_document(
        org, jan.id, "cv", "old.txt", b"oud", "oud", "nl", at=datetime.now(UTC) - timedelta(days=40)
    )
    assert client.post(f"{API}/retention/purge").status_code == 409  # no period set yet
    updated = client.put(f"{API}/retention", json={"document_retention_days": 30})
    assert updated.status_code == 200 and updated.json()["document_retention_days"] == 30
    purged = client.post(f"{API}/retention/purge")
    assert purged.status_code == 200 and purged.json()["document_ids"] == [old.id]
    assert client.get(f"{API}/documents/{old.id}").status_code == 404
    assert len(client.get(f"{API}/employees/{jan.id}/passport").json()["claims"]) == 2


def test_names_are_not_matching_features(app, client):
    org = client.get(f"{API}/me").json()["organisation"]["id"]
    anna = add_passport(app, org, "emp-a", WAREHOUSE_SKILLS[:3], display_name="Anna de Boer")
    mo = add_passport(app, org, "emp-b", WAREHOUSE_SKILLS[:3], display_name="Mohammed El Amrani")
    role = add_role(app, org, "Heftruckchauffeur", WAREHOUSE_SKILLS)
    candidates = client.get(f"{API}/roles/{role.id}/candidates").json()["candidates"]
    scores = {c["employee_id"]: c["score"] for c in candidates}
    assert scores[anna.id] == scores[mo.id]
    assert "Anna" not in str(candidates) and "Mohammed" not in str(candidates)


def _dump_database(state) -> str:
    metadata = MetaData()
    metadata.reflect(state.database.engine)
    rows = []
    with state.database.engine.connect() as connection:
        for table in metadata.sorted_tables:
            rows += [repr(r) for r in connection.execute(select(table))]
    return "\n".join(rows)
