"""Skill trends in the service: uploading vacancy data (records at once, feeds as a job), the
trends API and its SVG charts, the Trends web page, tenant isolation, bad uploads, deletion
and the demo data."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from matcher.trends.synthetic import generate_feed
from service.demo import seed_trend_data
from service.testing import new_organisation, scratch_app, state_of

API = "/api/v1"
FEEDS = Path(__file__).parent / "fixtures" / "feeds"
HEAT_PUMPS = "http://data.europa.eu/esco/skill/00735755-adc6-4ea0-b034-b8caff339c9f"
BOILERS = "http://data.europa.eu/esco/skill/592188c6-7212-47bb-ba58-f9361026addc"
ARCHIVING = "http://data.europa.eu/esco/skill/3d427a49-4f85-42cd-8a92-62d4a34f41a1"


@pytest.fixture(scope="module")
def records_file(tmp_path_factory) -> Path:
    """3,000 synthetic vacancies 2022–2024 with injected trends (heat pumps up ×1.77 a year,
    archiving documents down ×0.74), as `vaardig batch` writes them."""
    path = tmp_path_factory.mktemp("records") / "vacatures_extracted.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for vacancy in generate_feed(3000, seed=7):
            if not vacancy.duplicate_of:
                handle.write(vacancy.extraction_record().to_json() + "\n")
    return path


@pytest.fixture(scope="module")
def world(tmp_path_factory, records_file, module_database_url):
    """Firm A with the synthetic records uploaded; firm B with nothing (SQLite, and PostgreSQL
    when VAARDIG_TEST_POSTGRES_URL is set)."""
    app = scratch_app(
        tmp_path_factory.mktemp("trends"),
        database_url=module_database_url,
        max_feed_bytes=3_000_000,
    )
    org_a, key_a = new_organisation(app, "Installatietechniek Alfa BV")
    org_b, key_b = new_organisation(app, "Bouw Bravo BV")
    with TestClient(app, raise_server_exceptions=False) as client:
        with records_file.open("rb") as handle:
            response = client.post(
                f"{API}/trends/uploads",
                files={"file": ("sector_2022_2024.jsonl", handle, "application/x-ndjson")},
                headers={"X-API-Key": key_a},
            )
        assert response.status_code == 201, response.text
        yield {
            "app": app,
            "client": client,
            "a": {"X-API-Key": key_a},
            "b": {"X-API-Key": key_b},
            "orgs": (org_a, org_b),
            "dataset": response.json(),
        }


def test_uploaded_records_are_stored_as_one_dataset(world):
    dataset = world["dataset"]
    assert dataset["source"] == "records" and dataset["records"] > 2500
    assert (dataset["first_date"][:4], dataset["last_date"][:4]) == ("2022", "2024")
    listed = world["client"].get(f"{API}/trends/uploads", headers=world["a"]).json()
    assert [d["name"] for d in listed["datasets"]] == ["sector_2022_2024.jsonl"]
    assert listed["records"] == dataset["records"]


def test_the_api_finds_the_injected_rising_and_declining_skills_with_ci_and_forecast(world):
    response = world["client"].get(f"{API}/trends", headers=world["a"])
    assert response.status_code == 200, response.text
    body = response.json()
    rising = {t["key"]: t for t in body["rising"]}
    heat_pumps = rising[HEAT_PUMPS]
    assert heat_pumps["label"] == "warmtepompen installeren"
    low, high = heat_pumps["ci"]
    assert 1.0 < low < heat_pumps["growth_per_year"] < high
    assert heat_pumps["q_value"] <= 0.05
    assert heat_pumps["forecast"]["periods"][0] == "2025Q1"
    assert ARCHIVING in {t["key"] for t in body["declining"]}
    assert body["periods"][0] == "2022Q1" and len(body["vacancies"]) == len(body["periods"])


def test_groups_levels_and_periods_can_be_chosen(world):
    client, headers = world["client"], world["a"]
    craft = client.get(
        f"{API}/trends",
        params={"by": "month", "group_by": "isco1", "group": "7", "top": 5},
        headers=headers,
    ).json()
    assert craft["group_label"].startswith("7 ") and craft["periods"][0] == "2022-01"
    assert HEAT_PUMPS in {t["key"] for t in craft["rising"]}
    collections = client.get(f"{API}/trends", params={"level": "collection"}, headers=headers)
    assert "green" in {t["key"] for t in collections.json()["rising"]}
    unknown = client.get(f"{API}/trends", params={"group": "99"}, headers=headers)
    assert unknown.status_code == 422 and "no group '99'" in unknown.json()["error"]["message"]
    bad = client.get(f"{API}/trends", params={"by": "week"}, headers=headers)
    assert bad.status_code == 422


def test_charts_come_as_svg(world):
    client, headers = world["client"], world["a"]
    growth = client.get(f"{API}/trends/chart.svg", headers=headers)
    assert growth.status_code == 200 and growth.headers["content-type"] == "image/svg+xml"
    assert growth.text.startswith("<svg") and "warmtepompen installeren" in growth.text
    series = client.get(
        f"{API}/trends/chart.svg", params={"kind": "series", "key": ARCHIVING}, headers=headers
    )
    assert series.status_code == 200 and "documenten archiveren" in series.text
    assert "prognose" in series.text  # the forecast band's legend
    missing = client.get(
        f"{API}/trends/chart.svg", params={"kind": "series", "key": "x"}, headers=headers
    )
    assert missing.status_code == 404 and "was not tested" in missing.json()["error"]["message"]


def test_the_trends_page_shows_the_tables_and_inline_svg_charts(world):
    client, headers = world["client"], world["a"]
    page = client.get("/app/trends", headers=headers)
    assert page.status_code == 200
    text = page.text
    assert 'href="/app/trends" aria-current="page"' in text
    assert "sector_2022_2024.jsonl" in text and "Stijgend" in text and "Dalend" in text
    assert text.count("<svg") == 2  # the growth bars and one series with its forecast band
    assert "warmtepompen installeren" in text
    assert "<?xml" not in text
    series = client.get(
        "/app/trends", params={"serie": BOILERS, "group_by": "isco1", "group": "7"}, headers=headers
    )
    assert "Verloop: verwarmingsketels installeren" in series.text
    assert "7 Ambachtslieden" in series.text


def test_the_trends_page_writes_numbers_the_dutch_way(world):
    page = world["client"].get("/app/trends", headers=world["a"]).text
    assert re.search(r"×\d,\d\d \[\d,\d\d–\d,\d\d\]", page)  # growth with its interval
    assert re.search(r"<td class=\"num\">\d+,\d%</td>", page)  # share now
    assert "minstens ×1,1" in page and "q ≤ 0,05" in page


def test_a_group_left_from_another_grouping_shows_all_vacancies(world):
    page = world["client"].get(
        "/app/trends", params={"group_by": "region", "group": "7"}, headers=world["a"]
    )
    assert page.status_code == 200
    assert "Stijgers en dalers – alle vacatures" in page.text and 'role="alert"' not in page.text


def test_a_bad_choice_on_the_trends_page_is_explained_in_dutch(world):
    page = world["client"].get("/app/trends", params={"by": "week"}, headers=world["a"])
    assert "Onbekende keuze" in page.text and "must be one of" not in page.text
    assert 'id="by"' in page.text  # the choice stays


def test_too_short_a_span_is_explained_in_dutch_with_what_to_do(world, records_file, tmp_path):
    _, key = new_organisation(world["app"], "Kort Bestaan BV")
    recent = [line for line in records_file.read_text().splitlines(True) if '"2024-1' in line]
    small = tmp_path / "recent.jsonl"
    small.write_text("".join(recent))
    headers = {"X-API-Key": key}
    with small.open("rb") as handle:
        client = world["client"]
        stored = client.post(f"{API}/trends/uploads", files={"file": handle}, headers=headers)
    assert stored.status_code == 201, stored.text
    page = client.get("/app/trends", headers=headers)
    assert "De vacatures beslaan maar 1 kwartaal" in page.text
    assert "Kies „per maand”" in page.text and "--by month" not in page.text


def test_tenant_b_sees_none_of_a_s_trend_data(world):
    client, headers = world["client"], world["b"]
    assert client.get(f"{API}/trends/uploads", headers=headers).json()["datasets"] == []
    response = client.get(f"{API}/trends", headers=headers)
    assert response.status_code == 404 and "upload" in response.json()["error"]["message"]
    assert client.get(f"{API}/trends/chart.svg", headers=headers).status_code == 404
    page = client.get("/app/trends", headers=headers)
    assert page.status_code == 200
    assert "sector_2022_2024" not in page.text and "<svg" not in page.text
    assert "Nog geen vacaturegegevens" in page.text


@pytest.mark.parametrize(
    ("filename", "content", "status", "message"),
    [
        ("vacatures.pdf", b"%PDF-1.4", 415, "must be one of"),
        ("vacatures.jsonl", b"", 422, "empty"),
        ("vacatures.json", b'[{"title": "Monteur", "description": "x"', 422, "vacatures.json"),
        (
            "vacatures.jsonl",
            b'{"id": "1", "title": "", "description": ""}\n{"id": "2"}\n',
            422,
            "no readable vacancy",
        ),
        (
            "records.jsonl",
            b'{"id": "1", "skills": [], "occupation": null}\n{"id": "2", "skills": 5}\n',
            422,
            "line 2",
        ),
        ("groot.jsonl", b"{}" + b" " * 3_100_000, 413, "larger than"),
    ],
)
def test_bad_uploads_are_refused_with_a_message(world, filename, content, status, message):
    client = world["client"]
    response = client.post(
        f"{API}/trends/uploads", files={"file": (filename, content)}, headers=world["b"]
    )
    assert response.status_code == status, response.text
    assert message in response.json()["error"]["message"]
    assert client.get(f"{API}/trends/uploads", headers=world["b"]).json()["datasets"] == []


def test_the_web_upload_shows_the_reason_for_a_bad_feed(world):
    response = world["client"].post(
        "/app/trends/upload",
        files={"file": ("kapot.xml", b"<vacatures><vacature>")},
        headers=world["b"],
    )
    assert response.status_code == 422
    assert 'class="error"' in response.text and "kapot.xml" in response.text
    assert "staat geen vacature die te lezen is" in response.text
    pdf = world["client"].post(
        "/app/trends/upload", files={"file": ("cv.pdf", b"%PDF-1.4")}, headers=world["b"]
    )
    assert pdf.status_code == 415 and "„cv.pdf” is geen vacaturefeed" in pdf.text


@pytest.mark.slow
def test_a_feed_is_extracted_in_a_background_job(world):
    """The real extractor over the small synthetic feed: 6 vacancies, 3 reposts, 1 broken."""
    client, headers = world["client"], world["b"]
    with (FEEDS / "synthetic_small.jsonl").open("rb") as handle:
        response = client.post(
            f"{API}/trends/uploads",
            files={"file": ("synthetic_small.jsonl", handle)},
            headers=headers,
        )
    assert response.status_code == 202, response.text
    assert response.headers["location"] == f"{API}/jobs/{response.json()['id']}"
    state = state_of(world["app"])
    org_b = world["orgs"][1].id
    job = state.jobs.wait(org_b, response.json()["id"], timeout_s=300)
    assert job.status == "done", job.error
    assert (job.result["records"], job.result["duplicates"], job.result["failed"]) == (6, 3, 1)
    fragment = client.get(f"/app/trends/jobs/{job.id}", headers=headers)
    assert "6 vacatures toegevoegd" in fragment.text and fragment.headers["hx-refresh"] == "true"
    datasets = client.get(f"{API}/trends/uploads", headers=headers).json()["datasets"]
    assert [(d["source"], d["records"]) for d in datasets] == [("feed", 6)]
    client.delete(f"{API}/trends/uploads", headers=headers)


def test_a_s_job_is_not_found_for_b(world):
    state = state_of(world["app"])
    org_a = world["orgs"][0].id
    job = state.jobs.submit(org_a, "trend_feed", "test", lambda progress: {"done": 0})
    theirs = world["client"].get(f"/app/trends/jobs/{job.id}", headers=world["b"])
    never = world["client"].get(f"/app/trends/jobs/{'0' * 32}", headers=world["b"])
    assert theirs.status_code == never.status_code == 404
    assert theirs.text.replace(job.id, "<id>") == never.text.replace("0" * 32, "<id>")


def test_deleting_removes_the_organisation_s_data_only(world, records_file, tmp_path):
    client = world["client"]
    app = world["app"]
    _, key_c = new_organisation(app, "Charlie Installaties BV")
    headers = {"X-API-Key": key_c}
    small = tmp_path / "records.jsonl"
    small.write_text("".join(records_file.read_text().splitlines(True)[:50]))
    with small.open("rb") as handle:
        assert (
            client.post(
                f"{API}/trends/uploads", files={"file": ("r.jsonl", handle)}, headers=headers
            ).status_code
            == 201
        )
    assert client.delete(f"{API}/trends/uploads", headers=headers).json() == {"deleted": 1}
    assert client.get(f"{API}/trends", headers=headers).status_code == 404
    assert client.get(f"{API}/trends", headers=world["a"]).status_code == 200  # A's data stays


def test_the_demo_organisation_gets_trend_data(world):
    app = world["app"]
    org, key = new_organisation(app, "Demo BV")
    seed_trend_data(state_of(app), org.id, vacancies=2500)
    page = world["client"].get("/app/trends", headers={"X-API-Key": key})
    assert "synthetische vacatures" in page.text and page.text.count("<svg") == 2
    rows = json.loads(
        world["client"].get(f"{API}/trends/uploads", headers={"X-API-Key": key}).content.decode()
    )
    assert rows["records"] > 2000
