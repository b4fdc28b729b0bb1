"""The development API and web pages end to end: the real app on a real SQLite database holding
the example firm, the real taxonomy; roles and permissions; charts; plans marked done."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from matcher.development.fixture_firm import build_fixture_firm
from matcher.store import LearningStore, RoleSkill
from service.demo import ensure_example_firm
from service.testing import (
    FORKLIFT,
    STORE_GOODS,
    add_passport,
    add_role,
    new_key,
    new_organisation,
    scratch_app,
    state_of,
)

API = "/api/v1"


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    app = scratch_app(tmp_path_factory.mktemp("development"))
    state = state_of(app)
    firm = build_fixture_firm(state.passports)
    keys = {role: new_key(app, firm.organisation_id, role) for role in ("hr", "recruiter")}
    keys["coordinator"] = new_key(app, firm.organisation_id, "network-coordinator")
    with TestClient(app, raise_server_exceptions=False) as client:
        client.headers["X-API-Key"] = keys["hr"]
        yield {"app": app, "client": client, "firm": firm, "keys": keys}


def employee(service, external_id: str) -> int:
    return service["firm"].employees[external_id]


# -- API -------------------------------------------------------------------------------------


def test_an_employees_t_shape_with_suggestions(service):
    client = service["client"]
    response = client.get(f"{API}/employees/{employee(service, 'vdb-016')}/tshape")
    assert response.status_code == 200, response.text
    body = response.json()
    profile = body["profile"]
    assert (profile["shape"], profile["shape_label"]) == ("i_shaped", "I-vormig (specialist)")
    assert profile["depth"]["code"] == "S4.4" and profile["depth"]["count"] == 6
    assert profile["breadth"] == 4 and not profile["broad"]
    assert 3 <= len(body["suggestions"]) <= 5
    assert {s["kind"] for s in body["suggestions"][0]["steps"]} == {
        "rotation",
        "project",
        "colleague",
        "course",
    }
    audit = state_of(service["app"]).audit.entries(service["firm"].organisation_id, limit=1000)
    assert any(
        e.action == "tshape.viewed" and e.subject_id == employee(service, "vdb-016") for e in audit
    )


def test_the_t_shape_lists_what_was_newly_confirmed(service):
    response = service["client"].get(
        f"{API}/employees/{employee(service, 'vdb-004')}/tshape", params={"period": "2026"}
    )
    learned = response.json()["newly_confirmed"]
    assert learned["period"] == "2026"
    assert [s["confirmed_on"] for s in learned["skills"]] == [
        "2026-02-09",
        "2026-05-11",
        "2026-10-05",
    ]


def test_suggestions_can_be_switched_off(service):
    response = service["client"].get(
        f"{API}/employees/{employee(service, 'vdb-001')}/tshape", params={"suggestions": 0}
    )
    assert response.status_code == 200 and response.json()["suggestions"] == []


def test_the_t_chart_as_svg(service):
    response = service["client"].get(f"{API}/employees/{employee(service, 'vdb-001')}/tshape.svg")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    assert response.text.startswith("<svg") and "vdb-001: T-vormig" in response.text


def test_team_coverage_and_its_chart(service):
    client = service["client"]
    body = client.get(f"{API}/team-coverage", params={"team": "kantoor"}).json()
    assert body["headcount"] == 5
    single = {a["label"]: a["holders"] for a in body["one_person"]}
    assert single["ingenieursopleiding"] == ["vdb-020"]
    firm = client.get(f"{API}/team-coverage").json()
    assert [a["label"] for a in firm["nobody"]] == [
        "berekenen en inschatten",
        "architectuur en bouwnijverheid",
    ]
    chart = client.get(f"{API}/team-coverage.svg", params={"team": "kantoor"})
    assert chart.status_code == 200 and "team kantoor" in chart.text
    unknown = client.get(f"{API}/team-coverage", params={"team": "nope"})
    assert unknown.status_code == 422 and "no employees in team 'nope'" in unknown.text


def test_kpis_with_targets_and_status(service):
    client = service["client"]
    response = client.get(f"{API}/kpis", params={"period": "2026"})
    assert response.status_code == 200, response.text
    body = response.json()
    kpis = {k["key"]: k for k in body["kpis"]}
    assert body["headcount"] == 20 and body["previous_period"]["label"] == "2025"
    assert (kpis["learners_share"]["numerator"], kpis["learners_share"]["denominator"]) == (15, 20)
    assert kpis["learners_share"]["status"] == "off_track"
    assert kpis["internal_fill_rate"]["target"] == {"minimum": None, "rising": True}
    assert kpis["internal_fill_rate"]["status"] == "on_track"
    assert body["gaps_closed"][0]["label"] == "energiebeheer van installaties uitvoeren"
    team = client.get(f"{API}/kpis", params={"period": "2026", "team": "magazijn"}).json()
    assert team["headcount"] == 4
    bad = client.get(f"{API}/kpis", params={"period": "volgend jaar"})
    assert bad.status_code == 422 and "not understood" in bad.json()["error"]["message"]


def test_targets_are_read_by_all_and_set_by_hr(service):
    client, keys = service["client"], service["keys"]
    targets = client.get(f"{API}/kpi-targets").json()
    assert {t["kpi"]: t["source"] for t in targets}["learners_share"] == "stored"
    recruiter = {"X-API-Key": keys["recruiter"]}
    body = {"kpi": "steps_completed_share", "minimum": 0.7}
    assert client.put(f"{API}/kpi-targets", json=body, headers=recruiter).status_code == 403
    response = client.put(f"{API}/kpi-targets", json=body)
    assert response.status_code == 200
    stored = {t["kpi"]: t for t in response.json()}["steps_completed_share"]
    assert stored == {
        "kpi": "steps_completed_share",
        "minimum": 0.7,
        "rising": False,
        "source": "stored",
    }
    nothing = client.put(f"{API}/kpi-targets", json={"kpi": "learners_share"})
    assert nothing.status_code == 422 and "needs a minimum" in nothing.text


def test_a_plan_from_suggestions_and_a_step_marked_done(service):
    client = service["client"]
    sem = employee(service, "vdb-019")
    created = client.post(f"{API}/employees/{sem}/plan", json={"from_suggestions": 1})
    assert created.status_code == 201, created.text
    steps = created.json()
    # one of the two 70% options (they are alternatives), then the 20% and the 10% step
    assert [s["kind"] for s in steps] == ["rotation", "colleague", "course"]
    assert [s["share"] for s in steps] == [70, 20, 10]
    assert all(s["status"] == "planned" and s["external_id"] == "vdb-019" for s in steps)
    done = client.post(f"{API}/plan-steps/{steps[0]['id']}/done")
    assert done.status_code == 200 and done.json()["status"] == "done"
    plan = client.get(f"{API}/employees/{sem}/plan").json()
    assert next(s for s in plan if s["id"] == steps[0]["id"])["done_at"] is not None
    cancelled = client.post(f"{API}/plan-steps/{steps[1]['id']}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    again = client.post(f"{API}/plan-steps/{steps[1]['id']}/done")
    assert again.status_code == 422 and "already cancelled" in again.text


def test_a_step_by_hand_with_a_mentor(service):
    client = service["client"]
    body = {
        "steps": [
            {
                "kind": "colleague",
                "title": "Leer van een collega offertes maken",
                "due": "2027-03-31",
                "mentor_id": employee(service, "vdb-017"),
            }
        ]
    }
    response = client.post(f"{API}/employees/{employee(service, 'vdb-020')}/plan", json=body)
    assert response.status_code == 201, response.text
    (step,) = response.json()
    assert (step["mentor"], step["due"], step["share"]) == ("vdb-017", "2027-03-31", 20)
    listed = client.get(f"{API}/plan-steps", params={"status": "planned"}).json()
    assert step["id"] in {s["id"] for s in listed}
    both = client.post(
        f"{API}/employees/{employee(service, 'vdb-020')}/plan", json={**body, "from_suggestions": 1}
    )
    assert both.status_code == 422


def test_a_plan_from_the_reskilling_path_to_a_role(service, index):
    client = service["client"]
    role_id = service["firm"].roles["Monteur laadinfrastructuur"]
    daan = employee(service, "vdb-004")
    response = client.post(f"{API}/employees/{daan}/plan", json={"role_id": role_id})
    assert response.status_code == 201, response.text
    steps = response.json()
    assert {s["kind"] for s in steps} == {"on_the_job"} and {s["role_id"] for s in steps} == {
        role_id
    }
    assert [s["due"] for s in steps] == sorted(s["due"] for s in steps)
    missing = client.post(f"{API}/employees/{daan}/plan", json={"role_id": 2_000_000_000})
    assert missing.status_code == 404


def test_permissions_follow_the_roles(service):
    client, keys = service["client"], service["keys"]
    recruiter = {"X-API-Key": keys["recruiter"]}
    coordinator = {"X-API-Key": keys["coordinator"]}
    url = f"{API}/employees/{employee(service, 'vdb-001')}"
    assert client.get(f"{url}/tshape", headers=recruiter).status_code == 200
    assert (
        client.post(f"{url}/plan", json={"from_suggestions": 1}, headers=recruiter).status_code
        == 403
    )
    assert client.get(f"{url}/tshape", headers=coordinator).status_code == 403
    assert (
        client.get(f"{API}/kpis", params={"period": "2026"}, headers=coordinator).status_code == 403
    )


def test_erasing_an_employee_removes_their_plan_from_the_api(service):
    app = service["app"]
    org, key = new_organisation(app, "Kleine Firma BV")
    state = state_of(app)
    person = state.passports.add_employee(org.id, "k-1")
    with TestClient(app, raise_server_exceptions=False) as other:
        other.headers["X-API-Key"] = key
        step = {"steps": [{"kind": "course", "title": "Cursus"}]}
        assert other.post(f"{API}/employees/{person.id}/plan", json=step).status_code == 201
        erased = other.delete(f"{API}/employees/{person.id}")
        assert erased.status_code == 200 and erased.json()["learning_steps"] == 1
        assert other.get(f"{API}/employees/{person.id}/plan").status_code == 404
    assert LearningStore(state.database).list_steps(org.id) == []


# -- web pages -------------------------------------------------------------------------------


def test_the_development_page_shows_shapes_and_risks(service):
    client = service["client"]
    page = client.get("/app/tshape", params={"team": "kantoor"})
    assert page.status_code == 200
    assert "Ontwikkeling" in page.text and "team kantoor" in page.text
    assert "Bij één persoon" in page.text and "ingenieursopleiding: vdb-020" in page.text
    assert "<svg" in page.text  # the coverage chart, inline
    missing = client.get("/app/tshape", params={"team": "nope"})
    assert missing.status_code == 404
    assert "Team ‘nope’ bestaat niet in je organisatie." in missing.text  # Dutch, not the API's
    assert "not found" not in missing.text
    employee = client.get("/app/employees/999999/tshape")
    assert employee.status_code == 404 and "Medewerker ‘999999’ bestaat niet" in employee.text


def test_the_employee_page_shows_the_t_and_plans_a_suggestion(service):
    client = service["client"]
    yara = employee(service, "vdb-013")
    page = client.get(f"/app/employees/{yara}/tshape")
    assert page.status_code == 200
    assert "I-vormig (specialist)" in page.text and "<svg" in page.text
    assert "Zet in het leerplan" in page.text and "Leerplan" in page.text
    suggestion = service["client"].get(f"{API}/employees/{yara}/tshape").json()["suggestions"][0]
    planned = client.post(f"/app/employees/{yara}/plan", data={"area_uri": suggestion["area_uri"]})
    assert planned.status_code == 201 and "job rotation" in planned.text
    steps = client.get(f"{API}/employees/{yara}/plan").json()
    new = next(s for s in steps if s["status"] == "planned" and s["kind"] == "course")
    row = client.post(f"/app/plan-steps/{new['id']}/done")
    assert (
        row.status_code == 200 and "afgerond" in row.text and f'id="step-{new["id"]}"' in row.text
    )


def test_the_path_page_puts_the_path_in_the_plan(service, index):
    client, app = service["client"], service["app"]
    role_id = service["firm"].roles["Monteur laadinfrastructuur"]
    sanne = employee(service, "vdb-009")
    page = client.get(f"/app/employees/{sanne}/path", params={"role_id": role_id})
    assert page.status_code == 200 and "In leerplan zetten" in page.text
    path = client.get(f"{API}/employees/{sanne}/path", params={"role_id": role_id}).json()
    before = {s["id"] for s in client.get(f"{API}/employees/{sanne}/plan").json()}
    answer = client.post(f"/app/employees/{sanne}/path/plan", data={"role_id": role_id})
    assert answer.status_code == 201, answer.text
    assert f"{len(path['steps'])} stappen in het leerplan gezet" in answer.text
    assert f"/app/employees/{sanne}/tshape" in answer.text
    plan = client.get(f"{API}/employees/{sanne}/plan").json()
    new = [s for s in plan if s["id"] not in before]
    assert [s["skill_uri"] for s in new] == [step["uri"] for step in path["steps"]]
    assert {(s["kind"], s["role_id"], s["status"]) for s in new} == {
        ("on_the_job", role_id, "planned")
    }
    audit = state_of(app).audit.entries(service["firm"].organisation_id, limit=1000)
    assert any(e.action == "plan.steps_added" and e.subject_id == sanne for e in audit)
    missing = client.post(f"/app/employees/{sanne}/path/plan", data={"role_id": 2_000_000_000})
    assert missing.status_code == 404


def test_a_path_with_nothing_to_learn_says_so(service, index):
    client, app = service["client"], service["app"]
    state = state_of(app)
    org = service["firm"].organisation_id
    julia = employee(service, "vdb-020")
    claims = state.passports.passport(org, julia).claims
    held = [c.skill_uri for c in claims if c.status == "confirmed"][:3]
    role = state.roles.add_role(org, "vacancy", "Alles al in huis", [RoleSkill(u) for u in held])
    try:
        answer = client.post(f"/app/employees/{julia}/path/plan", data={"role_id": role.id})
        assert answer.status_code == 422 and "niets te plannen" in answer.text
    finally:
        state.roles.close_role(org, role.id, "closed")


def test_only_keys_that_may_write_and_match_plan_a_path(service, index):
    client, keys = service["client"], service["keys"]
    role_id = service["firm"].roles["Monteur laadinfrastructuur"]
    url = f"/app/employees/{employee(service, 'vdb-011')}/path"
    recruiter = {"X-API-Key": keys["recruiter"]}
    page = client.get(url, params={"role_id": role_id}, headers=recruiter)
    assert page.status_code == 200 and "In leerplan zetten" not in page.text
    refused = client.post(f"{url}/plan", data={"role_id": role_id}, headers=recruiter)
    assert refused.status_code == 403
    plan = client.get(f"{API}/employees/{employee(service, 'vdb-011')}/plan").json()
    assert not any(s["role_id"] == role_id for s in plan)


def test_the_kpi_page_shows_on_and_off_track(service):
    client = service["client"]
    page = client.get("/app/kpi", params={"period": "2025"})
    assert page.status_code == 200
    assert "Leer-KPI&#39;s" in page.text or "Leer-KPI's" in page.text
    assert "medewerkers met een nieuw bevestigde vaardigheid" in page.text
    assert "89%" in page.text and "op koers" in page.text
    bad = client.get("/app/kpi", params={"period": "ooit"})
    assert bad.status_code == 422 and "not understood" in bad.text


def test_pages_need_a_login(service):
    app = service["app"]
    with TestClient(app, raise_server_exceptions=False) as anonymous:
        response = anonymous.get("/app/kpi", follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/login")


# -- the demo --------------------------------------------------------------------------------


def test_the_demo_brings_the_example_firm_with_its_own_admin_key(tmp_path):
    app = scratch_app(tmp_path)
    state = state_of(app)
    said: list[str] = []
    org, key = ensure_example_firm(state, say=said.append)
    assert ensure_example_firm(state, say=said.append) == (org, key)  # a restart reuses it
    assert len(said) == 1 and "20 medewerkers" in said[0]
    key_file = state.settings.data_dir / "demo-key-voorbeeldbedrijf"
    assert key_file.read_text().strip() == key and key_file.stat().st_mode & 0o777 == 0o600
    principal = state.keys.authenticate(key)
    assert (principal.organisation_id, principal.role) == (org, "admin")
    with TestClient(app, raise_server_exceptions=False) as client:
        client.headers["X-API-Key"] = key
        team = client.get("/app/tshape")
        assert team.status_code == 200 and "T-vormig" in team.text and "kantoor" in team.text
        kpis = client.get("/app/kpi", params={"period": "2025"})
        assert kpis.status_code == 200 and "89%" in kpis.text


# -- web pages: what a new firm sees, numbers and explanations -------------------------------


@pytest.fixture(scope="module")
def unconfirmed(service):
    """A second firm whose one employee has only suggested skills (an uploaded CV nobody
    reviewed yet), and one open vacancy."""
    app = service["app"]
    org, _ = new_organisation(app, "Nieuw Bedrijf BV")
    person = add_passport(app, org.id, "nb-1", [FORKLIFT, STORE_GOODS])
    add_role(app, org.id, "Magazijnmedewerker", [FORKLIFT, STORE_GOODS])
    return {"person": person, "headers": {"X-API-Key": new_key(app, org.id, "hr")}}


def test_without_confirmed_skills_the_team_page_explains_instead_of_a_chart(service, unconfirmed):
    page = service["client"].get("/app/tshape", headers=unconfirmed["headers"])
    assert page.status_code == 200
    assert "<svg" not in page.text
    assert "niemand" in page.text and "heeft een bevestigde vaardigheid" in page.text
    assert (
        "„Beginnend” betekent" in page.text and "Alleen bevestigde vaardigheden tellen" in page.text
    )


def test_an_empty_t_profile_explains_its_areas_and_themes(service, unconfirmed):
    person = unconfirmed["person"]
    page = service["client"].get(
        f"/app/employees/{person.id}/tshape", headers=unconfirmed["headers"]
    )
    assert page.status_code == 200
    assert "<th>Gebied</th>" not in page.text and "Nog geen gebieden" in page.text
    assert "<svg" not in page.text and "Nog geen T te tekenen" in page.text
    assert "Nog geen thema gedekt" in page.text


def test_suggestions_show_scores_with_a_comma_and_two_options_within_the_70(service):
    yara = employee(service, "vdb-013")
    page = service["client"].get(f"/app/employees/{yara}/tshape")
    suggestion = service["client"].get(f"{API}/employees/{yara}/tshape").json()["suggestions"][0]
    shown = f"score {suggestion['score']:.2f}".replace(".", ",")
    assert shown in page.text and "De score loopt van 0 tot 1" in page.text
    assert '70% leren in het werk</strong> <span class="muted">(kies een van beide)' in page.text
    assert "<strong>job rotation:</strong>" in page.text
    assert "<strong>of een multidisciplinair project:</strong>" in page.text
    assert "70% job rotation" not in page.text and "70% multidisciplinair" not in page.text
    assert "Zet in het leerplan: job rotation" in page.text
    assert "Zet in het leerplan: een multidisciplinair project" in page.text


def test_the_web_plan_takes_the_70_option_the_user_chose(service):
    client = service["client"]
    yara = employee(service, "vdb-013")
    area = client.get(f"{API}/employees/{yara}/tshape").json()["suggestions"][0]["area_uri"]
    before = {s["id"] for s in client.get(f"{API}/employees/{yara}/plan").json()}
    answer = client.post(f"/app/employees/{yara}/plan", data={"area_uri": area, "work": "project"})
    assert answer.status_code == 201, answer.text
    added = [s for s in client.get(f"{API}/employees/{yara}/plan").json() if s["id"] not in before]
    assert [s["kind"] for s in added] == ["project", "colleague", "course"]
    wrong = client.post(f"/app/employees/{yara}/plan", data={"area_uri": area, "work": "cursus"})
    assert wrong.status_code == 422 and "kies een van de 70%-opties" in wrong.text


def test_the_kpi_page_without_gains_says_so_in_plain_words(service, unconfirmed):
    page = service["client"].get(
        "/app/kpi", params={"period": "2026"}, headers=unconfirmed["headers"]
    )
    assert page.status_code == 200
    assert "heeft niemand een nieuwe vaardigheid bevestigd gekregen" in page.text
    assert "Geen.</li>" not in page.text
    assert "2026Q1" in page.text and "2026-01-01..2026-06-30" in page.text  # the format hint


def test_kpi_numbers_use_a_decimal_comma_and_a_bad_period_is_explained_in_dutch(service):
    client = service["client"]
    page = client.get("/app/kpi", params={"period": "2025"})
    report = client.get(f"{API}/kpis", params={"period": "2025"}).json()
    decimals = [k for k in report["kpis"] if k["unit"] != "share" and k["value"] is not None]
    assert decimals, "the example firm has a KPI that is not a share"
    for kpi in decimals:
        assert f"<strong>{kpi['value']:.2f}</strong>".replace(".", ",") in page.text
    bad = client.get("/app/kpi", params={"period": "ooit"})
    assert bad.status_code == 422
    assert "De periode „ooit” is niet te lezen. Typ een jaar (2026)" in bad.text
    team = client.get("/app/kpi", params={"period": "2025", "team": "nergens"})
    assert team.status_code == 422 and "Team „nergens” heeft geen medewerkers" in team.text
