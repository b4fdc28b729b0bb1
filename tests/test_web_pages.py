"""The HR web page's answers, through the real app with a logged-in browser session (cookie and
CSRF token): English skill labels marked, inferred skills kept apart from evidence, decisions
set back, and Dutch messages where a check refuses a request before any page code runs."""

from __future__ import annotations

import asyncio
import html
import re
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from service.middleware import TimeoutMiddleware
from service.testing import FORKLIFT, new_organisation, scratch_app, state_of

DOCS = Path(__file__).parent / "fixtures" / "documents"
HTMX = {"HX-Request": "true"}


def log_in(client: TestClient, key: str) -> str:
    """Log in on the web page as ``key``; returns the page's CSRF token."""
    response = client.post("/login", data={"api_key": key}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return re.search(r'data-csrf="([^"]+)"', client.get("/app").text).group(1)


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    app = scratch_app(
        tmp_path_factory.mktemp("web"), max_upload_bytes=500_000, max_request_bytes=1_000_000
    )
    org, key = new_organisation(app, "Transport Jansen BV")
    with TestClient(app, raise_server_exceptions=False) as client:
        csrf = log_in(client, key)
        yield {"app": app, "client": client, "org": org, "key": key, "csrf": csrf}


@pytest.fixture(scope="module")
def forklift(web):
    """The forklift driver's CV uploaded on the web page: (employee id, passport, page HTML)."""
    client = web["client"]
    with open(DOCS / "cv_heftruckchauffeur.txt", "rb") as handle:
        response = client.post(
            "/app/cvs",
            files={"files": ("cv_heftruckchauffeur.txt", handle)},
            headers={**HTMX, "X-CSRF-Token": web["csrf"]},
        )
    assert response.status_code == 201, response.text
    employee_id = int(re.search(r"/app/employees/(\d+)", response.text).group(1))
    passport = state_of(web["app"]).passports.passport(web["org"].id, employee_id)
    page = client.get(f"/app/employees/{employee_id}")
    assert page.status_code == 200
    return employee_id, passport, page.text


def claim_row(page: str, skill_uri: str) -> str:
    row_id = "claim-" + skill_uri.rsplit("/", 1)[-1]
    return re.search(rf'<tr id="{row_id}".*?</tr>', page, re.S).group(0)


# -- the passport page -----------------------------------------------------------------------------


def test_a_skill_without_a_dutch_label_is_marked_english(web, forklift):
    _, passport, page = forklift
    taxonomy = state_of(web["app"]).loaded("taxonomy").taxonomy
    english = [c for c in passport.claims if taxonomy.get(c.skill_uri).label_is_fallback]
    assert english, "the forklift CV has skills that ESCO names only in English"
    for claim in english:
        row = claim_row(page, claim.skill_uri)
        label = row.split("<td>", 1)[1].split("<div", 1)[0]
        assert html.escape(claim.label) in label and "(Engels)</span>" in label
        assert "geen Nederlandse naam" in label  # the tooltip says why
    assert "(Engels)" not in claim_row(page, FORKLIFT[0])  # "heftrucks bedienen" is Dutch
    evidenced = next(c for c in english if c.method != "inferred")
    mark = re.search(rf'<mark [^>]*data-uri="{evidenced.skill_uri}"', page).group(0)
    assert "(Engels: geen Nederlandse ESCO-naam)" in mark


def test_inferred_skills_are_not_marked_as_evidence_in_the_cv(forklift):
    _, passport, page = forklift
    inferred = [c for c in passport.claims if c.method == "inferred"]
    from_title = [c for c in inferred if c.evidence[0].text == "Heftruckchauffeur"]
    assert len(from_title) > 1, "the CV's header line names the job"
    for claim in inferred:
        assert f'data-uri="{claim.skill_uri}"' not in page  # no <mark> for them
    # the title is underlined once, saying how many skills it stands for
    title = f'title="functietitel: {len(from_title)} afgeleide vaardigheden">Heftruckchauffeur</u>'
    assert page.count(title) == 1
    # the row names the title, not the header line with the person's name
    row = claim_row(page, from_title[0].skill_uri)
    assert "afgeleid van functietitel „Heftruckchauffeur”" in row
    assert "Kevin" not in row


def test_a_decision_can_be_set_back_to_suggested(web, forklift):
    client, (employee_id, _, _) = web["client"], forklift
    headers = {**HTMX, "X-CSRF-Token": web["csrf"]}
    url = f"/app/employees/{employee_id}/claims"
    decide = {"skill_uri": FORKLIFT[0], "status": "confirmed"}
    confirmed = client.post(url, data=decide, headers=headers)
    assert confirmed.status_code == 200 and "bevestigd" in confirmed.text
    assert ">Terugzetten</button>" in confirmed.text
    assert '"status": "suggested"' in confirmed.text
    reset = client.post(url, data={**decide, "status": "suggested"}, headers=headers)
    assert reset.status_code == 200 and "voorgesteld" in reset.text
    assert "Terugzetten" not in reset.text and "Bevestigen" in reset.text


# -- refused before any page code runs: Dutch for the web page, English JSON for the API ------


def test_a_page_older_than_the_last_login_says_to_reload_it(web, forklift):
    client, (employee_id, _, _) = web["client"], forklift
    time.sleep(1.1)  # a new session cookie (its expiry is in whole seconds), so a new token
    new_csrf = log_in(client, web["key"])
    assert new_csrf != web["csrf"]
    try:
        response = client.post(
            f"/app/employees/{employee_id}/claims",
            data={"skill_uri": FORKLIFT[0], "status": "rejected"},
            headers={**HTMX, "X-CSRF-Token": web["csrf"]},  # the old tab's token
        )
        assert response.status_code == 403
        assert response.headers["content-type"].startswith("application/json")
        assert response.json()["error"]["message"] == (
            "Deze pagina is verouderd (je bent opnieuw ingelogd). Herlaad de pagina."
        )
        api = client.post("/api/v1/employees", json={"external_id": "x"})  # cookie, no token
        assert api.status_code == 403 and "X-CSRF-Token" in api.json()["error"]["message"]
    finally:
        web["csrf"] = new_csrf


def test_uploads_over_the_total_limit_are_refused_in_dutch(web):
    client = web["client"]
    files = [("files", (f"cv{n}.txt", b"Ik rijd heftruck.\n" * 22_000)) for n in range(3)]
    scripted = client.post("/app/cvs", files=files, headers={**HTMX, "X-CSRF-Token": web["csrf"]})
    assert scripted.status_code == 413
    assert scripted.headers["content-type"].startswith("application/json")
    assert scripted.json()["error"]["message"] == (
        "Samen te groot: hoogstens 1 MB per keer. Upload minder of kleinere bestanden tegelijk."
    )
    browser = client.post("/app/cvs", files=files, headers={"X-CSRF-Token": web["csrf"]})
    assert browser.status_code == 413 and browser.headers["content-type"].startswith("text/html")
    assert "Samen te groot" in browser.text and 'lang="nl"' in browser.text
    api = client.post("/api/v1/cvs", files=files, headers={"X-API-Key": web["key"]})
    assert api.status_code == 413 and "larger than the limit of 1 MB" in api.text


def test_the_upload_form_states_the_total_limit(web):
    text = " ".join(web["client"].get("/app").text.split())
    assert "MB per bestand en 1 MB samen)" in text


def _slow_app(seconds: float) -> Starlette:
    async def slow(request):
        await asyncio.sleep(seconds)
        return PlainTextResponse("late")

    paths = ("/app/cvs", "/app/vacancies", "/api/v1/cvs")
    return Starlette(routes=[Route(path, slow, methods=["POST"]) for path in paths])


def test_a_timed_out_cv_upload_warns_that_it_may_still_be_saved():
    client = TestClient(TimeoutMiddleware(_slow_app(2.0), seconds=0.2))
    upload = client.post("/app/cvs", headers=HTMX)
    assert upload.status_code == 504
    assert upload.headers["content-type"].startswith("application/json")
    message = upload.json()["error"]["message"]
    assert message.startswith("Het verwerken duurt langer dan verwacht; het cv wordt mogelijk")
    assert "Kijk over een minuut in de lijst voordat je het opnieuw probeert." in message
    other = client.post("/app/vacancies")  # a browser, not a script: a page
    assert other.status_code == 504 and other.headers["content-type"].startswith("text/html")
    assert "Het verwerken duurt langer dan verwacht" in other.text
    api = client.post("/api/v1/cvs")
    assert api.status_code == 504 and "took longer than" in api.json()["error"]["message"]
