"""Tenant isolation: organisation B can never read, change, match against, or infer the
existence of anything of organisation A, through any endpoint.

The central test walks every route with an id in its path and asks, with B's key, for A's real
ids and for ids that never existed: the answers must be identical (status and body, the id
aside). A route added without an entry here fails the test, so nothing is skipped by accident.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from matcher.store import LearningStore, PlannedStep
from matcher.store.testing import POSTGRES_ENV, postgres_test_url, scratch_database_url
from service.testing import (
    FORKLIFT,
    STORE_GOODS,
    WAREHOUSE_SKILLS,
    add_passport,
    add_role,
    iter_routes,
    new_organisation,
    scratch_app,
    state_of,
)

MISSING = 2_000_000_000  # an id no row will ever have in these tests
MISSING_JOB = "0" * 32


BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(postgres_test_url() is None, reason=f"{POSTGRES_ENV} not set"),
    ),
]


@pytest.fixture(scope="module", params=BACKENDS)
def database_url(request, tmp_path_factory):
    with scratch_database_url(request.param, tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture(scope="module")
def world(tmp_path_factory, database_url):
    """A's data of every kind; B and C are other organisations; A and C share a network."""
    app = scratch_app(tmp_path_factory.mktemp("tenancy"), database_url=database_url)
    state = state_of(app)
    org_a, key_a = new_organisation(app, "Alfa Logistiek BV")
    org_b, key_b = new_organisation(app, "Bravo Bouw BV")
    org_c, key_c = new_organisation(app, "Charlie Transport BV")
    employee = add_passport(app, org_a.id, "a-0001", WAREHOUSE_SKILLS, display_name="Anna Alfa")
    role = add_role(app, org_a.id, "Magazijnkampioen Alfa", WAREHOUSE_SKILLS[:3])
    network, code = state.networks.create_network(org_a.id, "Netwerk Alfa-Charlie")
    state.networks.join(org_c.id, code)
    state.networks.give_consent(org_a.id, employee.id, network.id, "test")
    request = state.networks.request_contact(org_a.id, network.id, org_c.id, role.id, "test")
    job = state.jobs.submit(org_a.id, "test", "test", lambda progress: {"done": 0})
    document = state.passports.list_documents(org_a.id, employee_id=employee.id)[0]
    step = LearningStore(state.database).add_step(
        org_a.id, employee.id, PlannedStep("course", "Cursus voor Anna Alfa")
    )
    key = state.keys.list(org_a.id)[0]
    ids = {
        "employee_id": employee.id,
        "document_id": document.id,
        "role_id": role.id,
        "network_id": network.id,
        "request_id": request.id,
        "key_id": key.id,
        "job_id": job.id,
        "step_id": step.id,
    }
    with TestClient(app, raise_server_exceptions=False) as client:
        yield {
            "app": app,
            "client": client,
            "ids": ids,
            "orgs": (org_a, org_b, org_c),
            "keys": (key_a, key_b, key_c),
        }


# A body that passes validation for each endpoint that reads one, so the handler itself
# decides (a validation error would answer the same for any id and prove nothing).
def _json_bodies(ids: dict) -> dict[str, dict]:
    return {
        "update_claim": {"skill_uri": FORKLIFT[0], "status": "confirmed"},
        "update_employee": {"team": "planning"},
        "add_claim": {"skill_uri": STORE_GOODS[0]},
        "give_consent": {"network_id": ids["network_id"]},
        "close_role": {"status": "closed"},
        "add_to_plan": {"steps": [{"kind": "course", "title": "Cursus"}]},
        "network_match": {"role_id": ids["role_id"]},
        "request_contact": {"to_organisation_id": 1, "role_id": ids["role_id"]},
    }


FILE_UPLOADS = {"upload_cv"}
FORM_BODIES = {
    "decide_claim": {"skill_uri": FORKLIFT[0], "status": "confirmed"},
    "network_match_fragment": {"role_id": "1"},
    "plan_suggestion": {"area_uri": "http://data.europa.eu/esco/skill/x"},
    "plan_path": {"role_id": "1"},
    "add_skill": {"skill_uri": FORKLIFT[0]},
    "update_details": {"team": "planning"},
}
QUERIES = {
    "employee_path": {"role_id": 1},
    "path_page": {"role_id": 1},
    "skill_options": {"q": "heftruck"},
}


def _call(client, method, path, key, name, ids):
    headers = {"X-API-Key": key}
    kwargs: dict = {"params": QUERIES.get(name, {})}
    if name in FILE_UPLOADS:
        kwargs["files"] = {"file": ("cv.txt", b"Werkervaring\nHeftruck rijden.\n", "text/plain")}
    elif name in FORM_BODIES:
        kwargs["data"] = FORM_BODIES[name]
    elif name in _json_bodies(ids) and method in ("POST", "PATCH", "PUT"):
        kwargs["json"] = _json_bodies(ids)[name]
    return client.request(method, path, headers=headers, **kwargs)


def _fill(path: str, values: dict) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)


def _normalise(text: str) -> str:
    """The body with the asked-for id taken out of "<kind> <id> not found" (API) and
    "<soort> ‘<id>’ bestaat niet" (web page)."""
    text = re.sub(r"(\w) (\d+|[0-9a-f]{32}) not found", r"\1 <id> not found", text)
    return re.sub(r"‘(\d+|[0-9a-f]{32})’ bestaat niet", "‘<id>’ bestaat niet", text)


def test_every_route_with_an_id_answers_b_as_if_a_s_things_did_not_exist(world):
    client, ids = world["client"], world["ids"]
    key_b = world["keys"][1]
    missing = {name: (MISSING_JOB if name == "job_id" else MISSING) for name in ids}
    checked = []
    for path, methods, name in iter_routes(world["app"]):
        params = re.findall(r"\{(\w+)\}", path)
        if not params:
            continue
        assert set(params) <= set(ids), f"{path}: add its id parameter to this test"
        for method in sorted(methods):
            real = _call(client, method, _fill(path, ids), key_b, name, ids)
            fake = _call(client, method, _fill(path, missing), key_b, name, missing)
            label = f"{method} {path}"
            assert real.status_code == fake.status_code, label
            assert real.status_code == 404, f"{label}: {real.status_code} {real.text}"
            assert _normalise(real.text) == _normalise(fake.text), label
            checked.append(label)
    assert len(checked) >= 35, checked


def test_a_still_sees_its_own_things_through_the_same_routes(world):
    client, ids = world["client"], world["ids"]
    headers = {"X-API-Key": world["keys"][0]}
    for path in (
        "/api/v1/employees/{employee_id}",
        "/api/v1/employees/{employee_id}/passport",
        "/api/v1/documents/{document_id}",
        "/api/v1/roles/{role_id}",
        "/api/v1/networks/{network_id}",
        "/api/v1/contact-requests/{request_id}",
        "/api/v1/jobs/{job_id}",
        "/api/v1/employees/{employee_id}/tshape",
        "/api/v1/employees/{employee_id}/plan",
        "/app/employees/{employee_id}/tshape",
    ):
        assert client.get(_fill(path, ids), headers=headers).status_code == 200, path


def test_lists_searches_and_reports_of_b_contain_nothing_of_a(world):
    client, ids = world["client"], world["ids"]
    headers = {"X-API-Key": world["keys"][1]}
    secrets = (
        "a-0001",
        "Anna Alfa",
        "Magazijnkampioen Alfa",
        "Netwerk Alfa-Charlie",
        "Cursus voor Anna Alfa",
    )
    for path in (
        "/api/v1/employees",
        "/api/v1/roles",
        "/api/v1/networks",
        "/api/v1/contact-requests",
        "/api/v1/jobs",
        "/api/v1/audit",
        "/api/v1/api-keys",
        f"/api/v1/audit?subject_type=employee&subject_id={ids['employee_id']}",
        "/app",
        "/app/vacancies",
        "/app/network",
        "/api/v1/plan-steps",
        "/api/v1/team-coverage",
        "/app/tshape",
    ):
        response = client.get(path, headers=headers)
        assert response.status_code == 200, path
        for secret in secrets:
            assert secret not in response.text, (path, secret)


def test_b_cannot_use_a_s_role_in_a_gap_report_or_a_s_organisation_as_contact(world):
    client, ids = world["client"], world["ids"]
    headers = {"X-API-Key": world["keys"][1]}
    real = client.get("/api/v1/gap-report", params={"role_id": ids["role_id"]}, headers=headers)
    fake = client.get("/api/v1/gap-report", params={"role_id": MISSING}, headers=headers)
    assert real.status_code == fake.status_code == 404
    assert _normalise(real.text) == _normalise(fake.text)


def test_the_same_external_id_in_b_reveals_nothing_about_a(world):
    client = world["client"]
    headers = {"X-API-Key": world["keys"][1]}
    response = client.post("/api/v1/employees", json={"external_id": "a-0001"}, headers=headers)
    assert response.status_code == 201  # B's numbering is B's own: no clash with A's


def test_c_shares_a_network_with_a_but_still_cannot_see_a_s_people(world):
    client, ids = world["client"], world["ids"]
    headers = {"X-API-Key": world["keys"][2]}
    assert client.get(f"/api/v1/employees/{ids['employee_id']}", headers=headers).status_code == 404
    members = client.get(f"/api/v1/networks/{ids['network_id']}/members", headers=headers)
    assert members.status_code == 200
    assert "a-0001" not in members.text and "Anna" not in members.text


def test_keys_are_stored_only_as_hashes(world):
    from sqlalchemy import text

    state = state_of(world["app"])
    rows = state.database.read(lambda s: s.execute(text("SELECT * FROM api_keys")).all())
    dumped = repr(rows)
    for key in world["keys"]:
        assert key not in dumped
        assert key.split("_", 2)[2] not in dumped
