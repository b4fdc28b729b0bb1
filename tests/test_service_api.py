"""The API end to end with the real app, a real SQLite database and the real extractor: CVs in,
passports out, claims confirmed, vacancies matched, paths and gap reports, jobs, limits."""

from __future__ import annotations

import html
import json
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.testing import (
    FORKLIFT,
    STORE_GOODS,
    WAREHOUSE_SKILLS,
    add_passport,
    new_key,
    new_organisation,
    scratch_app,
    state_of,
)

API = "/api/v1"
DOCS = Path(__file__).parent / "fixtures" / "documents"


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    app = scratch_app(
        tmp_path_factory.mktemp("api"),
        max_upload_bytes=300_000,
        max_pages=1,
        max_files_per_request=3,
        max_request_bytes=1_000_000,
    )
    org, key = new_organisation(app, "Transport Jansen BV")
    with TestClient(app, raise_server_exceptions=False) as client:
        client.headers["X-API-Key"] = key
        yield {"app": app, "client": client, "org": org, "key": key}


@pytest.fixture(scope="module")
def uploaded(api):
    """One real CV uploaded to a new employee: (employee id, upload response body)."""
    client = api["client"]
    employee = client.post(f"{API}/employees", json={"external_id": "emp-0042", "team": "magazijn"})
    assert employee.status_code == 201, employee.text
    employee_id = employee.json()["id"]
    with open(DOCS / "cv_heftruckchauffeur.txt", "rb") as handle:
        response = client.post(
            f"{API}/employees/{employee_id}/cv",
            files={"file": ("cv_heftruckchauffeur.txt", handle, "text/plain")},
        )
    assert response.status_code == 201, response.text
    return employee_id, response.json()


@pytest.fixture(scope="module")
def vacancy(api):
    text = (DOCS / "vacature_heftruckchauffeur.txt").read_text()
    response = api["client"].post(f"{API}/vacancies", json={"text": text})
    assert response.status_code == 201, response.text
    return response.json()


# -- basics ------------------------------------------------------------------------------------


def test_health_ready_and_openapi_docs(api):
    client = api["client"]
    assert client.get("/health").json()["status"] == "ok"
    assert client.get("/ready").json()["checks"]["database"] is True
    assert "swagger" in client.get("/docs").text.lower()
    paths = client.get("/openapi.json").json()["paths"]
    assert f"{API}/employees/{{employee_id}}/cv" in paths
    assert f"{API}/roles/{{role_id}}/candidates" in paths


def test_no_key_wrong_key_and_revoked_key_are_401_with_the_error_body(api):
    client = api["client"]
    for headers in ({"X-API-Key": ""}, {"X-API-Key": "vrd_000000000000_nope"}):
        response = client.get(f"{API}/employees", headers=headers)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthorized"
    key = new_key(api["app"], api["org"].id, "hr")
    assert client.get(f"{API}/employees", headers={"X-API-Key": key}).status_code == 200
    key_id = client.get(f"{API}/me", headers={"X-API-Key": key}).json()["key_id"]
    assert client.delete(f"{API}/api-keys/{key_id}").status_code == 200
    assert client.get(f"{API}/employees", headers={"X-API-Key": key}).status_code == 401


def test_roles_limit_what_a_key_may_do(api):
    client, org = api["client"], api["org"]
    recruiter = {"X-API-Key": new_key(api["app"], org.id, "recruiter")}
    coordinator = {"X-API-Key": new_key(api["app"], org.id, "network-coordinator")}
    assert client.get(f"{API}/employees", headers=recruiter).status_code == 200
    denied = client.post(f"{API}/employees", json={"external_id": "x"}, headers=recruiter)
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "forbidden"
    assert client.get(f"{API}/employees", headers=coordinator).status_code == 403
    assert client.get(f"{API}/api-keys", headers=recruiter).status_code == 403


def test_api_keys_are_created_once_and_listed_without_the_secret(api):
    client = api["client"]
    created = client.post(f"{API}/api-keys", json={"name": "HR laptop", "role": "hr"})
    assert created.status_code == 201
    secret = created.json()["api_key"]
    listing = client.get(f"{API}/api-keys")
    assert secret not in listing.text and "HR laptop" in listing.text
    bad = client.post(f"{API}/api-keys", json={"name": "x", "role": "god"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid"


def test_employees_page_through_a_list(api):
    client = api["client"]
    for n in range(3):
        assert client.post(f"{API}/employees", json={"external_id": f"page-{n}"}).status_code == 201
    first = client.get(f"{API}/employees", params={"limit": 2}).json()
    assert len(first["items"]) == 2 and first["next_offset"] == 2
    rest = client.get(f"{API}/employees", params={"offset": first["next_offset"], "limit": 500})
    assert rest.json()["next_offset"] is None
    duplicate = client.post(f"{API}/employees", json={"external_id": "page-0"})
    assert duplicate.status_code == 409 and duplicate.json()["error"]["code"] == "already_exists"


def test_an_employee_s_name_and_team_change_and_only_what_is_sent(api):
    client = api["client"]
    made = client.post(
        f"{API}/employees", json={"external_id": "team-1", "display_name": "An", "team": "magazijn"}
    ).json()
    url = f"{API}/employees/{made['id']}"
    moved = client.patch(url, json={"team": "planning"})
    assert moved.status_code == 200, moved.text
    assert (moved.json()["team"], moved.json()["display_name"]) == ("planning", "An")
    assert client.get(url).json()["team"] == "planning"
    cleared = client.patch(url, json={"display_name": None}).json()
    assert cleared["display_name"] is None and cleared["team"] == "planning"
    assert cleared["external_id"] == "team-1"
    nothing = client.patch(url, json={})
    assert nothing.status_code == 422 and "give a display_name, a team" in nothing.text
    blank = client.patch(url, json={"team": "  "})
    assert blank.status_code == 422 and "team must be 1–100 characters" in blank.text
    assert client.patch(f"{API}/employees/2000000000", json={"team": "x"}).status_code == 404
    recruiter = {"X-API-Key": new_key(api["app"], api["org"].id, "recruiter")}
    assert client.patch(url, json={"team": "x"}, headers=recruiter).status_code == 403


# -- CV → passport → claims --------------------------------------------------------------------


def test_an_uploaded_cv_becomes_a_passport_with_evidence(api, uploaded):
    employee_id, body = uploaded
    assert FORKLIFT[0] in body["added"] and body["notice"] is None
    passport = api["client"].get(f"{API}/employees/{employee_id}/passport").json()
    claim = next(c for c in passport["claims"] if c["skill_uri"] == FORKLIFT[0])
    assert claim["status"] == "suggested"
    evidence = claim["evidence"][0]
    document = api["client"].get(f"{API}/documents/{evidence['document_id']}").json()
    assert document["text"][evidence["start"] : evidence["end"]] == evidence["text"]
    assert "heftruck" in evidence["text"].lower()
    assert "ESCO" in passport["attribution"]


def test_the_original_file_is_kept_byte_for_byte(api, uploaded):
    employee_id, body = uploaded
    content = api["client"].get(f"{API}/documents/{body['document_id']}/content")
    assert content.status_code == 200
    assert content.content == (DOCS / "cv_heftruckchauffeur.txt").read_bytes()
    listing = api["client"].get(f"{API}/employees/{employee_id}/documents").json()
    assert [d["id"] for d in listing] == [body["document_id"]]


def test_confirm_reject_and_proficiency_with_optimistic_locking(api, uploaded):
    client, (employee_id, _) = api["client"], uploaded
    url = f"{API}/employees/{employee_id}/claims"
    confirmed = client.patch(url, json={"skill_uri": FORKLIFT[0], "status": "confirmed"})
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    assert confirmed.json()["confirmed_by"].startswith("api-key:")
    version = confirmed.json()["version"]
    levelled = client.patch(
        url, json={"skill_uri": FORKLIFT[0], "proficiency": 3, "expected_version": version}
    )
    assert levelled.status_code == 200 and levelled.json()["proficiency"] == 3
    stale = client.patch(
        url, json={"skill_uri": FORKLIFT[0], "status": "rejected", "expected_version": version}
    )
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"
    unknown = client.patch(url, json={"skill_uri": "http://example.org/x", "status": "rejected"})
    assert unknown.status_code == 404


def test_hr_can_add_a_skill_by_hand(api, uploaded):
    employee_id, _ = uploaded
    response = api["client"].post(
        f"{API}/employees/{employee_id}/claims",
        json={"skill_uri": STORE_GOODS[0], "proficiency": 2},
    )
    assert response.status_code == 201
    assert response.json()["status"] == "confirmed" and response.json()["method"] in (
        "manual",
        "exact",
        "alias",
        "semantic",
        "inferred",
    )
    not_a_skill = api["client"].post(
        f"{API}/employees/{employee_id}/claims",
        json={
            "skill_uri": "http://data.europa.eu/esco/occupation/eeac6251-1974-42f5-91ed-513c6c883755"
        },
    )
    assert not_a_skill.status_code == 422


def test_cvs_of_new_employees_get_pseudonymous_ids(api):
    with open(DOCS / "cv_monteur_elektrotechniek.txt", "rb") as handle:
        response = api["client"].post(f"{API}/cvs", files=[("files", ("Jan Jansen.txt", handle))])
    assert response.status_code == 201, response.text
    (result,) = response.json()
    assert result["employee"]["external_id"].startswith("mw-")
    assert result["employee"]["display_name"] is None
    assert len(result["added"]) > 5


# -- vacancies, matching, paths, gap report ----------------------------------------------------


def test_a_pasted_vacancy_finds_internal_candidates_with_explanations(api, uploaded, vacancy):
    employee_id, _ = uploaded
    add_passport(
        api["app"],
        api["org"].id,
        "emp-boek",
        [("http://data.europa.eu/esco/skill/99b163e8-7815-43e2-83f3-a47f3076354c", "boekingen")],
    )
    assert FORKLIFT[0] in {s["skill_uri"] for s in vacancy["skills"]}
    response = api["client"].get(f"{API}/roles/{vacancy['id']}/candidates", params={"k": 5})
    assert response.status_code == 200, response.text
    candidates = response.json()["candidates"]
    assert candidates[0]["employee_id"] == employee_id
    best = candidates[0]
    assert best["score"] > candidates[-1]["score"]
    matched = {s["uri"] for s in best["explanation"]["matched"]}
    assert FORKLIFT[0] in matched
    assert (
        best["explanation"]["matched"][0]["evidence"]
        or best["explanation"]["matched"][1]["evidence"]
    )


def test_matching_is_in_the_audit_log(api, uploaded, vacancy):
    employee_id, _ = uploaded
    api["client"].get(f"{API}/roles/{vacancy['id']}/candidates")
    entries = (
        api["client"]
        .get(f"{API}/audit", params={"subject_type": "employee", "subject_id": employee_id})
        .json()
    )
    actions = {e["action"] for e in entries["items"]}
    assert {"passport.viewed", "passport.matched"} <= actions
    assert all(e["actor"].startswith("api-key:") for e in entries["items"])


def test_roles_for_an_employee_and_a_reskilling_path(api, uploaded, vacancy):
    client, (employee_id, _) = api["client"], uploaded
    roles = client.get(f"{API}/employees/{employee_id}/roles", params={"k": 5}).json()["roles"]
    assert roles and roles[0]["score"] >= roles[-1]["score"]
    assert any(r["role"]["role_id"] == vacancy["id"] for r in roles)
    own = client.get(f"{API}/employees/{employee_id}/roles", params={"esco": False}).json()
    assert own["roles"] and all(r["role"]["kind"] != "esco_occupation" for r in own["roles"])
    path = client.get(f"{API}/employees/{employee_id}/path", params={"role_id": vacancy["id"]})
    assert path.status_code == 200, path.text
    body = path.json()
    assert body["total_hours"] == sum(step["hours"] for step in body["steps"])
    assert [s["order"] for s in body["steps"]] == list(range(1, len(body["steps"]) + 1))
    neither = client.get(f"{API}/employees/{employee_id}/path")
    assert neither.status_code == 422


def test_future_roles_and_the_gap_report_with_its_chart(api, uploaded):
    client = api["client"]
    role = client.post(
        f"{API}/roles",
        json={
            "title": "Teamleider magazijn 2027",
            "kind": "future_role",
            "skills": [{"skill_uri": uri} for uri, _ in WAREHOUSE_SKILLS],
        },
    )
    assert role.status_code == 201, role.text
    report = client.get(f"{API}/gap-report", params={"role_id": role.json()["id"]})
    assert report.status_code == 200, report.text
    body = report.json()
    assert (
        body["headcount"] >= 1 and body["roles"][0]["role"]["title"] == "Teamleider magazijn 2027"
    )
    assert sum(body["roles"][0]["counts"].values()) == body["headcount"]
    chart = client.get(f"{API}/gap-report.svg", params={"role_id": role.json()["id"]})
    assert chart.headers["content-type"].startswith("image/svg+xml")
    assert chart.text.startswith("<svg")
    unknown = client.post(f"{API}/roles", json={"title": "x", "skills": [{"skill_uri": "nope"}]})
    assert unknown.status_code == 404


def test_taxonomy_search_autocomplete_and_concept(api):
    client = api["client"]
    hits = client.get(f"{API}/taxonomy/search", params={"q": "heftruck rijden"}).json()["hits"]
    assert hits[0]["concept"]["uri"] == FORKLIFT[0]
    completions = client.get(f"{API}/taxonomy/complete", params={"prefix": "heftr"}).json()
    assert any(h["concept"]["uri"] == FORKLIFT[0] for h in completions["hits"])
    concept = client.get(f"{API}/taxonomy/concept", params={"uri": FORKLIFT[0]}).json()
    assert concept["label"] == "heftrucks bedienen" and "ESCO" in concept["attribution"]
    assert client.get(f"{API}/taxonomy/concept", params={"uri": "nope"}).status_code == 404


def test_taxonomy_coverage_matches_the_cli_figures(api):
    client = api["client"]
    report = client.get(f"{API}/taxonomy/coverage", params={"list_fallbacks": 3}).json()
    assert "ESCO" in report["attribution"]
    text = json.dumps(report)
    assert "6940" in text and "13896" in text  # Dutch skill labels of the bundled data
    assert len(report["fallback_skills"]) == 3
    assert client.get(f"{API}/taxonomy/coverage", params={"list_fallbacks": -1}).status_code == 422


def test_extraction_of_a_text_stores_nothing(api):
    client = api["client"]
    before = client.get(f"{API}/employees", params={"limit": 500}).json()["items"]
    response = client.post(
        f"{API}/extract",
        json={"text": "Ervaring met heftruck rijden en orderpicken in een magazijn."},
    )
    assert response.status_code == 200
    assert FORKLIFT[0] in {s["uri"] for s in response.json()["skills"]}
    assert response.json()["notice"] is None
    assert client.get(f"{API}/employees", params={"limit": 500}).json()["items"] == before


def test_extraction_returns_the_text_its_evidence_offsets_index(api):
    """Offsets index the text as read (line ends, spaces, soft hyphens normalised), which
    differs from what was sent; without it in the answer they pointed at wrong characters."""
    sent = "Profiel\r\n\r\nErvaring  met\u00a0heftruck\u00ad rijden.\r\nWerken met\tSAP."
    answer = api["client"].post(f"{API}/extract", json={"text": sent}).json()
    assert answer["text"] != sent and "\r" not in answer["text"]
    assert answer["skills"]
    for skill in answer["skills"]:
        for span in [skill["evidence"], *skill["other_evidence"]]:
            assert answer["text"][span["start"] : span["end"]] == span["text"]


def test_a_text_without_skills_gets_a_notice_not_a_bare_empty_list(api):
    letter = "Met vriendelijke groet, Jan de Vries. Ik kijk uit naar uw reactie."
    response = api["client"].post(f"{API}/extract", json={"text": letter})
    assert response.status_code == 200
    assert response.json()["skills"] == []
    assert "No skills recognised" in response.json()["notice"]
    upload = api["client"].post(f"{API}/cvs", files={"files": ("brief.txt", letter.encode())})
    assert upload.status_code == 201  # the document is kept: HR may add skills by hand
    [stored] = upload.json()
    assert stored["added"] == [] and "No skills recognised in brief.txt" in stored["notice"]
    other = letter + " Tot ziens."  # the same bytes again would be refused as a duplicate
    page = api["client"].post("/app/cvs", files={"files": ("brief.txt", other.encode())})
    assert page.status_code == 201 and "geen vaardigheden herkend" in page.text
    # like the API's notice, the page names the nearest skill that stayed below the threshold
    nearest = api["client"].post(f"{API}/extract", json={"text": other}).json()["notice"]
    label = nearest.split("nearest: '")[1].split("'")[0]
    assert f"Het dichtstbij kwam „{label}”" in page.text


# -- jobs --------------------------------------------------------------------------------------


def test_a_vacancy_feed_runs_as_a_background_job_with_progress(api, tmp_path):
    lines = [*(DOCS / "vacatures.jsonl").read_text().splitlines()[:3], '{"id": 1, "title": ""}']
    dated = json.loads(lines[0]) | {"id": "laat", "date_posted": "ergens in maart"}
    lines[0] = json.dumps(dated)  # kept, with a warning: its date cannot be read
    response = api["client"].post(
        f"{API}/vacancies/feed", files={"file": ("feed.jsonl", "\n".join(lines).encode())}
    )
    assert response.status_code == 202, response.text
    job_url = response.headers["location"]
    deadline = time.monotonic() + 120
    while (job := api["client"].get(job_url).json())["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, job
        time.sleep(0.2)
    assert job["status"] == "done", job
    assert job["total"] == 3 and job["done"] == 3 and job["progress"] == 1.0
    assert job["result"]["skipped_records"] == 1
    assert job["result"]["roles_created"] + job["failed"] == 3
    assert "feed.jsonl" in job["result"]["skipped"][0]  # the user's file, not the spooled copy
    assert "'ergens in maart'" in job["result"]["warnings"][0]
    roles = api["client"].get(f"{API}/roles", params={"kind": "vacancy", "limit": 500}).json()
    assert {r["id"] for r in roles["items"]} >= set(job["result"]["first_role_ids"])
    leftovers = list((Path(state_of(api["app"]).settings.data_dir) / "uploads" / "feeds").iterdir())
    assert leftovers == []  # the spooled feed is deleted when the job ends


def test_a_feed_of_an_unknown_format_is_refused(api):
    response = api["client"].post(f"{API}/vacancies/feed", files={"file": ("feed.pdf", b"%PDF-")})
    assert response.status_code == 415


# -- limits and bad input ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "status", "code"),
    [
        ("bad_empty.txt", 422, "unreadable_document"),
        ("bad_scanned.pdf", 422, "unreadable_document"),
        ("bad_encrypted.pdf", 422, "unreadable_document"),
        ("bad_not_a_zip.docx", 415, "unsupported_format"),
        ("bad_binary_junk.txt", 415, "unsupported_format"),
        ("vacatures.json", 415, "unsupported_format"),  # a feed, not one CV
        ("cv_monteur_elektrotechniek.pdf", 413, "too_many_pages"),  # 2 pages, limit 1
    ],
)
def test_bad_files_get_a_clear_4xx(api, uploaded, filename, status, code):
    employee_id, _ = uploaded
    with open(DOCS / filename, "rb") as handle:
        response = api["client"].post(
            f"{API}/employees/{employee_id}/cv", files={"file": (filename, handle)}
        )
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
    assert filename in response.json()["error"]["message"]


def test_too_large_files_requests_and_too_many_files_are_413(api, uploaded):
    client, (employee_id, _) = api["client"], uploaded
    big = b"heftruck rijden\n" * 25_000  # 400 kB > 300 kB per file
    response = client.post(f"{API}/employees/{employee_id}/cv", files={"file": ("big.txt", big)})
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"
    message = response.json()["error"]["message"]
    assert "is 400 kB; the limit is 300 kB" in message  # its size, not the bytes read
    huge = b"x" * 1_100_000  # > 1 MB per request: refused before the body is read
    response = client.post(f"{API}/cvs", files={"files": ("huge.txt", huge)})
    assert response.status_code == 413
    four = [("files", (f"cv{n}.txt", b"Heftruck rijden.")) for n in range(4)]
    response = client.post(f"{API}/cvs", files=four)
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_many_files"


def test_bad_json_wrong_content_type_and_unknown_ids(api):
    client = api["client"]
    bad_json = client.post(
        f"{API}/employees", content=b"{nope", headers={"Content-Type": "application/json"}
    )
    assert bad_json.status_code == 400 and bad_json.json()["error"]["code"] == "bad_json"
    wrong_type = client.post(
        f"{API}/employees", content=b"external_id=x", headers={"Content-Type": "text/plain"}
    )
    assert wrong_type.status_code == 415
    not_multipart = client.post(f"{API}/cvs", json={"files": []})
    assert not_multipart.status_code == 415
    invalid = client.post(f"{API}/employees", json={"external_id": ""})
    assert invalid.status_code == 422 and invalid.json()["error"]["code"] == "validation_error"
    assert "external_id" in json.dumps(invalid.json())
    for path in (f"{API}/employees/999999", f"{API}/roles/999999", f"{API}/jobs/nope"):
        response = client.get(path)
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert client.get(f"{API}/employees/0").status_code == 422
    assert client.get(f"{API}/employees/99999999999999999999").status_code == 422


# -- the web page's answers ----------------------------------------------------------------------


def test_the_path_page_without_a_role_asks_for_one_in_dutch(api, uploaded, vacancy):
    client, (employee_id, _) = api["client"], uploaded
    page = client.get(f"/app/employees/{employee_id}/path")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Kies de rol" in page.text and f'<option value="{vacancy["id"]}"' in page.text
    assert "validation_error" not in page.text
    assert client.get(f"{API}/employees/{employee_id}/path").status_code == 422  # API: JSON


def test_the_passport_page_adds_a_skill_by_hand_and_refuses_what_is_not_one(api):
    client = api["client"]
    employee = client.post(f"{API}/employees", json={"external_id": "mw-web-hand"}).json()
    base = f"/app/employees/{employee['id']}"
    page = client.get(base).text
    assert "Nog geen vaardigheden" in page and "Upload een cv op de pagina Medewerkers" in page
    short = client.get(f"{base}/skill-options", params={"q": "h "})
    assert short.status_code == 200 and "minstens twee letters" in short.text
    options = client.get(f"{base}/skill-options", params={"q": "heftruck rijden"})
    assert options.status_code == 200 and FORKLIFT[0] in options.text
    added = client.post(f"{base}/skills", data={"skill_uri": FORKLIFT[0]})
    assert added.status_code == 200 and "bevestigd" in added.text and "(1)" in added.text
    claims = client.get(f"{API}/employees/{employee['id']}/passport").json()["claims"]
    assert [(c["skill_uri"], c["status"], c["method"]) for c in claims] == [
        (FORKLIFT[0], "confirmed", "manual")
    ]
    again = client.post(f"{base}/skills", data={"skill_uri": FORKLIFT[0]})
    assert again.text.count('class="claim ') == 1  # the row is redrawn, not doubled
    occupation = "http://data.europa.eu/esco/occupation/eeac6251-1974-42f5-91ed-513c6c883755"
    for uri in (occupation, "http://data.europa.eu/esco/skill/nope"):
        refused = client.post(f"{base}/skills", data={"skill_uri": uri})
        assert refused.status_code == 422 and "staat niet in de taxonomie" in refused.text
    assert (
        client.post("/app/employees/999999/skills", data={"skill_uri": FORKLIFT[0]}).status_code
        == 404
    )


def test_a_recruiter_key_cannot_change_a_passport_from_the_web_page(api, uploaded):
    client, (employee_id, _) = api["client"], uploaded
    recruiter = {"X-API-Key": new_key(api["app"], api["org"].id, "recruiter")}
    base = f"/app/employees/{employee_id}"
    calls = (
        client.get(f"{base}/skill-options", params={"q": "heftruck"}, headers=recruiter),
        client.post(f"{base}/skills", data={"skill_uri": FORKLIFT[0]}, headers=recruiter),
        client.post(f"{base}/details", data={"team": "x"}, headers=recruiter),
    )
    assert [c.status_code for c in calls] == [403, 403, 403]
    assert client.get(f"{API}/employees/{employee_id}").json()["team"] == "magazijn"


def test_a_passport_marks_skills_shown_with_their_english_label(api, uploaded):
    """About a third of the forklift CV's skills have no Dutch ESCO label; the API showed
    their English label unmarked."""
    from taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    client, (employee_id, _) = api["client"], uploaded
    claims = client.get(f"{API}/employees/{employee_id}/passport").json()["claims"]
    marked = {c["skill_uri"] for c in claims if c["label_is_fallback"]}
    assert marked and len(marked) < len(claims)
    assert marked == {
        c["skill_uri"] for c in claims if taxonomy.get(c["skill_uri"]).pref_nl is None
    }


def test_a_cv_uploaded_again_is_refused_not_stored_twice(api, uploaded):
    """A double click, a second tab or a retry stored the same CV again (the same evidence
    twice) or made a second employee with the same passport."""
    client, (employee_id, _) = api["client"], uploaded
    cv = (DOCS / "cv_heftruckchauffeur.txt").read_bytes()
    documents = client.get(f"{API}/employees/{employee_id}/documents").json()
    employees = client.get(f"{API}/employees", params={"limit": 500}).json()["items"]
    again = client.post(f"{API}/employees/{employee_id}/cv", files={"file": ("kopie.txt", cv)})
    assert again.status_code == 409 and again.json()["error"]["code"] == "duplicate_upload"
    assert "emp-0042" in again.json()["error"]["message"]
    as_new = client.post(f"{API}/cvs", files={"files": ("cv.txt", cv)})
    assert as_new.status_code == 409
    fresh = b"Ervaring met lassen en het lezen van bouwtekeningen."
    twice = client.post(
        f"{API}/cvs", files=[("files", ("a.txt", fresh)), ("files", ("b.txt", fresh))]
    )
    assert twice.status_code == 409 and "a.txt" in twice.json()["error"]["message"]
    page = client.post("/app/cvs", files={"files": ("cv.txt", cv)})
    assert "is al geüpload" in page.text and "emp-0042" in page.text
    assert client.get(f"{API}/employees/{employee_id}/documents").json() == documents
    assert client.get(f"{API}/employees", params={"limit": 500}).json()["items"] == employees


def test_a_key_that_may_not_write_cannot_upload_cvs_from_the_web_page(api):
    """The API refused a recruiter's or coordinator's CV upload, the web page did not: it
    made an employee with a passport and the stored CV."""
    client, org = api["client"], api["org"]
    before = client.get(f"{API}/employees", params={"limit": 500}).json()["items"]
    for role in ("recruiter", "network-coordinator"):
        key = {"X-API-Key": new_key(api["app"], org.id, role)}
        cv = ("cv.txt", b"Ervaring met heftruck rijden en orderpicken.")
        page = client.post("/app/cvs", files={"files": cv}, headers=key)
        assert page.status_code == 403, (role, page.text)
        assert "mag geen cv&#39;s uploaden" in page.text
    assert client.get(f"{API}/employees", params={"limit": 500}).json()["items"] == before


def test_the_passport_page_corrects_name_and_team(api):
    client = api["client"]
    employee = client.post(
        f"{API}/employees", json={"external_id": "mw-web-fix", "display_name": "Jan", "team": "a"}
    ).json()
    saved = client.post(
        f"/app/employees/{employee['id']}/details",
        data={"display_name": "Jan de Vries", "team": ""},
    )
    assert saved.status_code == 200 and "Opgeslagen." in saved.text
    stored = client.get(f"{API}/employees/{employee['id']}").json()
    assert (stored["display_name"], stored["team"]) == ("Jan de Vries", None)
    too_long = client.post(f"/app/employees/{employee['id']}/details", data={"team": "x" * 101})
    assert too_long.status_code == 422


def test_a_bad_address_or_form_on_a_web_page_is_answered_in_dutch(api, uploaded):
    client, (employee_id, _) = api["client"], uploaded
    for response in (
        client.get(f"/app/employees/{employee_id}/path", params={"role_id": "abc"}),
        client.get("/app/employees/abc/tshape"),
        client.get("/app", params={"offset": "-3"}),
    ):
        assert response.status_code == 422
        assert response.headers["content-type"].startswith("text/html")
        assert "Ongeldige aanvraag" in response.text and "validation_error" not in response.text
    fragment = client.post("/app/network/1/match", data={}, headers={"HX-Request": "true"})
    assert fragment.status_code == 422 and 'class="error"' in fragment.text
    assert "role_id" in fragment.text and "<html" not in fragment.text
    api_answer = client.get(f"{API}/employees/abc")
    assert api_answer.json()["error"]["code"] == "validation_error"


@pytest.mark.parametrize(
    ("filename", "dutch"),
    [
        ("bad_scanned.pdf", "is een scan zonder tekstlaag"),
        ("bad_not_a_zip.docx", "is geen echt Word-bestand"),
        ("bad_binary_junk.txt", "is geen PDF-, Word- (.docx), HTML- of tekstbestand"),
        ("cv_monteur_elektrotechniek.pdf", "heeft 2 pagina's; een cv mag er hoogstens 1"),
    ],
)
def test_a_refused_cv_upload_is_explained_in_dutch_first(api, filename, dutch):
    with open(DOCS / filename, "rb") as handle:
        response = api["client"].post("/app/cvs", files={"files": (filename, handle)})
    assert response.status_code == 422
    error = html.unescape(response.text.split('class="error"', 1)[1])
    assert error.index(f"„{filename}” {dutch}") < error.index("Details:")
    assert filename in error.split("Details:", 1)[1]  # the technical detail follows


def test_too_many_cvs_at_once_are_refused_in_dutch(api):
    four = [("files", (f"cv{n}.txt", b"Heftruck rijden.")) for n in range(4)]
    response = api["client"].post("/app/cvs", files=four)
    assert response.status_code == 422 and "upload er hoogstens 3 per keer" in response.text


def test_a_refused_vacancy_is_explained_in_dutch_first(api):
    client = api["client"]
    empty = client.post("/app/vacancies", data={"text": " "})
    assert empty.status_code == 422 and "Plak een vacaturetekst of kies een bestand." in empty.text
    nothing = client.post("/app/vacancies", data={"text": "Hallo, wij zoeken iemand. Groet!"})
    assert nothing.status_code == 422
    assert nothing.text.index("zijn geen vaardigheden herkend") < nothing.text.index("Details:")
    with open(DOCS / "bad_encrypted.pdf", "rb") as handle:
        locked = client.post("/app/vacancies", files={"file": ("bad_encrypted.pdf", handle)})
    assert locked.status_code == 422
    assert "„bad_encrypted.pdf” is met een wachtwoord beveiligd" in locked.text


def test_match_scores_on_the_web_page_show_their_scale(api, uploaded, vacancy):
    client, (employee_id, _) = api["client"], uploaded
    page = client.get(f"/app/vacancies/{vacancy['id']}")
    candidates = client.get(f"{API}/roles/{vacancy['id']}/candidates").json()["candidates"]
    assert f"{candidates[0]['score']:.0f}/100</span>" in page.text
    assert "Score van 0 tot 100" in page.text
    roles = client.get(f"/app/employees/{employee_id}/roles")
    assert "/100</span>" in roles.text and "Score van 0 tot 100" in roles.text


def test_the_network_page_says_what_a_search_shows_before_searching(api, vacancy):
    state = state_of(api["app"])
    network, _ = state.networks.create_network(api["org"].id, "HR-netwerk West")
    page = api["client"].get("/app/network")
    assert page.status_code == 200
    result = page.text.split(f'id="network-result-{network.id}"', 1)[1].split("</div>", 1)[0]
    assert "Kies een rol en klik op Zoeken" in result
    assert "pseudoniem" in result and "toestemming" in result
