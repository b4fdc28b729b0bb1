"""Regional networks: a firm sees other firms' people only as counts, only with consent, and
as pseudonyms only after a contact request was accepted; revoking consent counts at once."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from matcher.store.testing import POSTGRES_ENV, postgres_test_url, scratch_database_url
from service.testing import (
    BOOKKEEPING,
    TAX_LAW,
    WAREHOUSE_SKILLS,
    add_passport,
    add_role,
    new_key,
    new_organisation,
    scratch_app,
    state_of,
)

API = "/api/v1"


BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(postgres_test_url() is None, reason=f"{POSTGRES_ENV} not set"),
    ),
]


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    with scratch_database_url(request.param, tmp_path / "db") as url:
        yield url


@pytest.fixture
def world(tmp_path, database_url):
    """Alfa (asks, coordinates the network), Bravo (member with warehouse people), Charlie
    (not a member)."""
    app = scratch_app(tmp_path, database_url=database_url)
    alfa, key_alfa = new_organisation(app, "Alfa Logistiek BV")
    bravo, key_bravo = new_organisation(app, "Bravo Distributie BV")
    _, key_charlie = new_organisation(app, "Charlie BV")
    role = add_role(app, alfa.id, "Heftruckchauffeur", WAREHOUSE_SKILLS)
    people = {
        name: add_passport(app, bravo.id, name, skills, display_name=f"Persoon {name}")
        for name, skills in (
            ("b-heftruck-1", WAREHOUSE_SKILLS),
            ("b-heftruck-2", WAREHOUSE_SKILLS[:4]),
            ("b-boekhouder", (BOOKKEEPING, TAX_LAW)),
        )
    }
    with TestClient(app, raise_server_exceptions=False) as client:
        alfa_h, bravo_h = {"X-API-Key": key_alfa}, {"X-API-Key": key_bravo}
        created = client.post(
            f"{API}/networks", json={"name": "HR-netwerk Midden-Brabant"}, headers=alfa_h
        )
        assert created.status_code == 201, created.text
        network = created.json()["network"]["id"]
        joined = client.post(
            f"{API}/networks/join", json={"join_code": created.json()["join_code"]}, headers=bravo_h
        )
        assert joined.status_code == 200, joined.text
        yield {
            "app": app,
            "client": client,
            "alfa": alfa_h,
            "bravo": bravo_h,
            "charlie": {"X-API-Key": key_charlie},
            "ids": {"alfa": alfa.id, "bravo": bravo.id},
            "network": network,
            "role": role.id,
            "people": {name: e.id for name, e in people.items()},
        }


def consent(world, person: str, give: bool = True):
    client, employee = world["client"], world["people"][person]
    if give:
        return client.post(
            f"{API}/employees/{employee}/consents",
            json={"network_id": world["network"]},
            headers=world["bravo"],
        )
    return client.delete(
        f"{API}/employees/{employee}/consents/{world['network']}", headers=world["bravo"]
    )


def match(world) -> dict:
    response = world["client"].post(
        f"{API}/networks/{world['network']}/matches",
        json={"role_id": world["role"]},
        headers=world["alfa"],
    )
    assert response.status_code == 200, response.text
    (firm,) = response.json()["firms"]
    assert firm["organisation_name"] == "Bravo Distributie BV"
    return firm


def test_without_consent_nobody_of_another_firm_is_counted(world):
    firm = match(world)
    assert firm["close_candidates"] == 0
    assert firm["candidates"] is None


def test_consenting_people_are_counted_but_never_named(world):
    consent(world, "b-heftruck-1")
    consent(world, "b-boekhouder")
    response = world["client"].post(
        f"{API}/networks/{world['network']}/matches",
        json={"role_id": world["role"]},
        headers=world["alfa"],
    )
    firm = response.json()["firms"][0]
    assert firm["close_candidates"] == 1  # the bookkeeper consented but is not close
    assert firm["skill_overlap"] == []  # one person: no per-skill totals
    for secret in ("b-heftruck-1", "Persoon", "employee_id", "external_id"):
        assert secret not in response.text
    for employee_id in world["people"].values():
        assert f'"id":{employee_id}' not in response.text


def test_per_skill_overlap_appears_from_two_close_people(world):
    consent(world, "b-heftruck-1")
    consent(world, "b-heftruck-2")
    firm = match(world)
    assert firm["close_candidates"] == 2
    overlap = {s["label"]: s["candidates"] for s in firm["skill_overlap"]}
    assert overlap["heftrucks bedienen"] == 2
    assert overlap["databanken van magazijnen bijhouden"] == 1


def test_revoking_consent_removes_the_person_immediately(world):
    consent(world, "b-heftruck-1")
    consent(world, "b-heftruck-2")
    assert match(world)["close_candidates"] == 2
    revoked = consent(world, "b-heftruck-1", give=False)
    assert revoked.status_code == 200 and revoked.json()["active"] is False
    assert revoked.json()["revoked_at"] is not None
    assert match(world)["close_candidates"] == 1


def test_consent_is_recorded_with_dates_and_history(world):
    consent(world, "b-heftruck-1")
    consent(world, "b-heftruck-1", give=False)
    consent(world, "b-heftruck-1")
    employee = world["people"]["b-heftruck-1"]
    history = (
        world["client"].get(f"{API}/employees/{employee}/consents", headers=world["bravo"]).json()
    )
    assert [c["active"] for c in history] == [False, True]
    assert all(c["given_at"] and c["network_id"] == world["network"] for c in history)
    assert history[0]["revoked_at"] >= history[0]["given_at"]


def test_pseudonyms_only_after_the_other_firm_accepts_and_only_of_consenting_people(world):
    client = world["client"]
    consent(world, "b-heftruck-1")
    consent(world, "b-heftruck-2")
    request = client.post(
        f"{API}/networks/{world['network']}/contact-requests",
        json={"to_organisation_id": world["ids"]["bravo"], "role_id": world["role"]},
        headers=world["alfa"],
    )
    assert request.status_code == 201, request.text
    request_id = request.json()["id"]
    assert match(world)["candidates"] is None  # pending: still counts only
    assert (
        client.get(
            f"{API}/contact-requests/{request_id}/candidates", headers=world["alfa"]
        ).status_code
        == 409
    )
    # only the receiving firm can accept
    assert (
        client.post(
            f"{API}/contact-requests/{request_id}/accept", headers=world["alfa"]
        ).status_code
        == 403
    )
    accepted = client.post(f"{API}/contact-requests/{request_id}/accept", headers=world["bravo"])
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"

    firm = match(world)
    pseudonyms = {c["pseudonym"] for c in firm["candidates"]}
    assert len(pseudonyms) == 2 and all(p.startswith("kandidaat-") for p in pseudonyms)
    seen_by_alfa = client.get(
        f"{API}/contact-requests/{request_id}/candidates", headers=world["alfa"]
    )
    assert seen_by_alfa.json()["employee_ids"] is None
    assert "b-heftruck" not in seen_by_alfa.text
    seen_by_bravo = client.get(
        f"{API}/contact-requests/{request_id}/candidates", headers=world["bravo"]
    ).json()
    mapping = seen_by_bravo["employee_ids"]
    assert set(mapping) == pseudonyms
    assert set(mapping.values()) == {
        world["people"]["b-heftruck-1"],
        world["people"]["b-heftruck-2"],
    }

    consent(world, "b-heftruck-1", give=False)
    remaining = client.get(
        f"{API}/contact-requests/{request_id}/candidates", headers=world["alfa"]
    ).json()["candidates"]
    assert len(remaining) == 1


def test_erasing_a_consenting_employee_removes_them_from_network_results(world):
    consent(world, "b-heftruck-1")
    assert match(world)["close_candidates"] == 1
    erased = world["client"].delete(
        f"{API}/employees/{world['people']['b-heftruck-1']}", headers=world["bravo"]
    )
    assert erased.status_code == 200 and erased.json()["consents"] == 1
    assert match(world)["close_candidates"] == 0


def test_leaving_the_network_revokes_consents_and_hides_the_firm(world):
    consent(world, "b-heftruck-1")
    left = world["client"].delete(
        f"{API}/networks/{world['network']}/membership", headers=world["bravo"]
    )
    assert left.status_code == 204
    response = world["client"].post(
        f"{API}/networks/{world['network']}/matches",
        json={"role_id": world["role"]},
        headers=world["alfa"],
    )
    assert response.json()["firms"] == []
    employee = world["people"]["b-heftruck-1"]
    history = (
        world["client"].get(f"{API}/employees/{employee}/consents", headers=world["bravo"]).json()
    )
    assert history[-1]["active"] is False


def test_outsiders_and_wrong_codes_see_no_network(world):
    client, network = world["client"], world["network"]
    assert client.get(f"{API}/networks/{network}", headers=world["charlie"]).status_code == 404
    wrong = client.post(
        f"{API}/networks/join", json={"join_code": "join_raden"}, headers=world["charlie"]
    )
    assert wrong.status_code == 404
    # Bravo cannot record consent for a network it is not in, nor for Alfa's people
    other, _ = state_of(world["app"]).networks.create_network(world["ids"]["alfa"], "Ander net")
    employee = world["people"]["b-heftruck-1"]
    response = client.post(
        f"{API}/employees/{employee}/consents",
        json={"network_id": other.id},
        headers=world["bravo"],
    )
    assert response.status_code == 404


def test_matches_across_the_network_are_in_the_audit_log_of_the_employees_firm(world):
    consent(world, "b-heftruck-1")
    match(world)
    entries = (
        world["client"]
        .get(f"{API}/audit", params={"subject_type": "employee"}, headers=world["bravo"])
        .json()["items"]
    )
    matched = [e for e in entries if e["action"] == "passport.matched"]
    assert matched and matched[-1]["subject_id"] == world["people"]["b-heftruck-1"]
    assert matched[-1]["actor"].startswith(f"network:org-{world['ids']['alfa']}:")


def test_a_coordinator_key_may_run_network_matches_but_not_read_passports(world):
    key = new_key(world["app"], world["ids"]["alfa"], "network-coordinator")
    headers = {"X-API-Key": key}
    client = world["client"]
    assert client.get(f"{API}/employees", headers=headers).status_code == 403
    response = client.post(
        f"{API}/networks/{world['network']}/matches",
        json={"role_id": world["role"]},
        headers=headers,
    )
    assert response.status_code == 200
    assert client.get("/app", headers=headers).status_code == 403  # the web page agrees
    assert client.get("/app/network", headers=headers).status_code == 200
