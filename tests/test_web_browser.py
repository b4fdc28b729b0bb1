"""The HR web page in a real headless browser (Debian's Chromium, driven by Selenium): log in
with a key, upload a CV, confirm a skill, paste a vacancy and see the employee as a match."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from service.testing import (
    FORKLIFT,
    LiveServer,
    chromium_driver,
    chromium_missing,
    new_organisation,
    scratch_app,
)

pytestmark = pytest.mark.skipif(chromium_missing() is not None, reason=str(chromium_missing()))
DOCS = Path(__file__).parent / "fixtures" / "documents"
# Set VAARDIG_SCREENSHOT_DIR to keep a screenshot of every step (docs/img is made that way).
SHOTS = os.environ.get("VAARDIG_SCREENSHOT_DIR")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    directory = tmp_path_factory.mktemp("web")
    app = scratch_app(directory)
    _, key = new_organisation(app, "Transport Jansen BV")
    with LiveServer(app) as server:
        driver = chromium_driver(directory / "chromium-profile")
        driver.set_page_load_timeout(120)
        try:
            yield server.url, key, driver
        finally:
            driver.quit()


def shot(driver, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(SHOTS) / f"{name}.png"))


def test_upload_a_cv_confirm_a_skill_and_see_a_match(site):
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    url, key, driver = site
    # htmx swaps rows and fragments in place: an element found a moment ago may be replaced
    wait = WebDriverWait(driver, 120, ignored_exceptions=(StaleElementReferenceException,))

    # log in with the key
    driver.get(f"{url}/app")
    assert "/login" in driver.current_url
    driver.find_element(By.ID, "api_key").send_keys(key)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait.until(ec.url_to_be(f"{url}/app"))
    assert "Transport Jansen BV" in driver.page_source

    # upload a CV through the drop zone's file input (same script as drag and drop)
    driver.find_element(By.ID, "cv-files").send_keys(str(DOCS / "cv_heftruckchauffeur.txt"))
    link = wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, "#upload-result a")))
    assert "verwerkt" in driver.find_element(By.ID, "upload-result").text
    shot(driver, "medewerkers")
    external_id = link.text
    link.click()

    # the passport: evidence marked in the source text; confirm the forklift skill
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "pre.source mark")))
    row_id = "claim-" + FORKLIFT[0].rsplit("/", 1)[-1]
    row = driver.find_element(By.ID, row_id)
    assert "voorgesteld" in row.text
    row.find_element(By.CSS_SELECTOR, "button.confirm").click()
    wait.until(lambda d: "confirmed" in d.find_element(By.ID, row_id).get_attribute("class"))
    wait.until(lambda d: "bevestigd" in d.find_element(By.ID, row_id).text)
    marks = driver.find_elements(By.CSS_SELECTOR, f'mark[data-uri="{FORKLIFT[0]}"]')
    assert marks and "heftruck" in marks[0].text.lower()
    shot(driver, "paspoort")

    # paste a vacancy: the employee appears as an internal candidate, with the reason
    driver.get(f"{url}/app/vacancies")
    text = (DOCS / "vacature_heftruckchauffeur.txt").read_text()
    driver.execute_script("document.getElementById('text').value = arguments[0];", text)
    driver.find_element(By.CSS_SELECTOR, "#vacancy-form button[type=submit]").click()
    wait.until(ec.url_contains("/app/vacancies/"))
    candidate = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "li.candidate")))
    assert external_id in candidate.text
    assert "heftrucks bedienen" in candidate.find_element(
        By.CSS_SELECTOR, ".chip.have"
    ).text + " ".join(c.text for c in candidate.find_elements(By.CSS_SELECTOR, ".chip.have"))
    shot(driver, "vacature")

    # and the reskilling path from there
    candidate.find_element(By.CSS_SELECTOR, "a.path-link").click()
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "h1")))
    assert "Ontwikkelpad" in driver.find_element(By.TAG_NAME, "h1").text
    shot(driver, "ontwikkelpad")


def test_a_wrong_key_stays_on_the_login_page(site):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    url, _, driver = site
    driver.delete_all_cookies()
    driver.get(f"{url}/login")
    driver.find_element(By.ID, "api_key").send_keys("vrd_000000000000_fout")
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    error = WebDriverWait(driver, 30).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, "p.error"))
    )
    assert "Onbekende of ingetrokken sleutel" in error.text
    assert "/login" in driver.current_url


def test_a_refused_vacancy_shows_the_reason_in_the_form(site):
    """htmx swaps only 2xx answers by itself; a refused form's Dutch line must still show."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    url, key, driver = site
    driver.delete_all_cookies()
    driver.get(f"{url}/login")
    driver.find_element(By.ID, "api_key").send_keys(key)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait = WebDriverWait(driver, 60)
    wait.until(ec.url_to_be(f"{url}/app"))
    driver.get(f"{url}/app/vacancies")
    driver.find_element(By.ID, "vacancy-file").send_keys(str(DOCS / "bad_scanned.pdf"))
    driver.find_element(By.CSS_SELECTOR, "#vacancy-form button[type=submit]").click()
    error = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "#vacancy-error p.error")))
    assert error.text.startswith("„bad_scanned.pdf” is een scan zonder tekstlaag")
    assert driver.current_url.removeprefix(url) == "/app/vacancies"


def test_hr_adds_a_skill_by_hand_and_corrects_the_team(site):
    """A CV that names no skill leaves an empty passport: HR searches a skill and adds it, and
    corrects the employee's team, all on the passport page."""
    import httpx
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    url, key, driver = site
    employee = httpx.post(
        f"{url}/api/v1/employees",
        json={"external_id": "mw-hand", "team": "magazijn"},
        headers={"X-API-Key": key},
    ).json()
    driver.delete_all_cookies()
    driver.get(f"{url}/login")
    driver.find_element(By.ID, "api_key").send_keys(key)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait = WebDriverWait(driver, 120, ignored_exceptions=(StaleElementReferenceException,))
    wait.until(ec.url_to_be(f"{url}/app"))
    driver.get(f"{url}/app/employees/{employee['id']}")
    assert "Nog geen vaardigheden" in driver.find_element(By.ID, "claims").text

    # search as you type; the options come from the taxonomy, the first is added
    driver.find_element(By.ID, "skill-q").send_keys("heftruck rijden")
    option = wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, "#skill-options li button")))
    label = option.find_element(By.XPATH, "..").text.removeprefix("Toevoegen").strip()
    option.click()
    row = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "#claims tr.claim")))
    assert "Vaardigheden (1)" in driver.find_element(By.ID, "skills-card").text
    # "Past bij" reloads by itself: with a skill, roles (ESCO occupations at least) fit
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".fit ol.roles li")))
    assert "bevestigd" in row.text and label.split(" — ")[0] in row.text
    shot(driver, "vaardigheid-toevoegen")

    # rectification: the team is corrected in place
    driver.find_element(By.CSS_SELECTOR, ".employee-details summary").click()
    team = driver.find_element(By.ID, "team")
    team.clear()
    team.send_keys("expeditie")
    driver.find_element(By.CSS_SELECTOR, ".employee-form button[type=submit]").click()
    wait.until(lambda d: "Opgeslagen" in d.find_element(By.CSS_SELECTOR, ".employee-form").text)
    stored = httpx.get(
        f"{url}/api/v1/employees/{employee['id']}", headers={"X-API-Key": key}
    ).json()
    assert stored["team"] == "expeditie"


def test_a_refused_click_says_why_instead_of_doing_nothing(site):
    """A button's answer that cannot be swapped in is shown in the page's message area, in
    Dutch: the stale token of a page opened before logging in again in another tab (JSON 403),
    and the "Niet gevonden" page of an employee erased meanwhile (which must not replace the
    table row)."""
    import time

    import httpx
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    url, key, driver = site
    api = {"X-API-Key": key}
    employee = httpx.post(f"{url}/api/v1/employees", json={"external_id": "mw-oud"}, headers=api)
    employee_id = employee.json()["id"]
    added = httpx.post(
        f"{url}/api/v1/employees/{employee_id}/claims",
        json={"skill_uri": FORKLIFT[0]},
        headers=api,
        timeout=120,
    )
    assert added.status_code == 201, added.text
    wait = WebDriverWait(driver, 60, ignored_exceptions=(StaleElementReferenceException,))

    def log_in() -> None:
        driver.get(f"{url}/login")
        driver.find_element(By.ID, "api_key").send_keys(key)
        driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        wait.until(ec.url_to_be(f"{url}/app"))

    driver.delete_all_cookies()
    log_in()
    driver.get(f"{url}/app/employees/{employee_id}")
    first_tab = driver.current_window_handle
    time.sleep(1.1)  # the new session cookie differs from the old one by its expiry second
    driver.switch_to.new_window("tab")
    log_in()
    driver.close()
    driver.switch_to.window(first_tab)

    row_id = "claim-" + FORKLIFT[0].rsplit("/", 1)[-1]
    driver.find_element(By.CSS_SELECTOR, f"#{row_id} button.reject").click()
    message = wait.until(ec.visibility_of_element_located((By.ID, "page-message")))
    assert "Deze pagina is verouderd" in message.text and "Herlaad de pagina" in message.text
    assert "bevestigd" in driver.find_element(By.ID, row_id).text  # nothing changed

    driver.refresh()  # a fresh token; then the employee is erased from elsewhere
    assert httpx.delete(f"{url}/api/v1/employees/{employee_id}", headers=api).status_code == 200
    driver.find_element(By.CSS_SELECTOR, f"#{row_id} button.reject").click()
    wait.until(lambda d: "bestaat niet" in d.find_element(By.ID, "page-message").text)
    assert driver.find_element(By.ID, row_id).tag_name == "tr"  # no page swapped into the row
    assert len(driver.find_elements(By.TAG_NAME, "h1")) == 1
