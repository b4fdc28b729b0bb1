"""Screenshots of the main pages for the README, taken with headless Chromium (Selenium).

Start the demo first, then point this at it:

    vaardig serve --demo --port 8000 &
    python -m service.screenshots --url http://127.0.0.1:8000 \
        --key "$(cat ~/.local/share/vaardig/demo-key)" \
        --example-key "$(cat ~/.local/share/vaardig/demo-key-voorbeeldbedrijf)" --out docs/img

The example firm's key (``--example-key``) adds the Ontwikkeling pages (team coverage, a
T-profile, the learning KPIs): the demo's own CVs were only just uploaded and have no confirmed
skills or history to show there.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from service.testing import chromium_driver

PAGES_WIDTH = 1280


def take(url: str, key: str, out: Path, example_key: str | None = None) -> list[Path]:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="vaardig-shots-") as profile:
        driver = chromium_driver(Path(profile))
        wait = WebDriverWait(driver, 180)

        def save(name: str, height: int | None = None) -> None:
            full = driver.execute_script("return document.body.scrollHeight")
            driver.set_window_size(PAGES_WIDTH, min(height or full + 40, 2400))
            time.sleep(0.3)
            path = out / f"{name}.png"
            driver.save_screenshot(str(path))
            written.append(path)

        def log_in(with_key: str) -> None:
            driver.delete_all_cookies()
            driver.get(f"{url}/login")
            driver.find_element(By.ID, "api_key").send_keys(with_key)
            driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
            wait.until(ec.url_to_be(f"{url}/app"))

        try:
            driver.get(f"{url}/login")
            save("login", 520)
            log_in(key)
            save("medewerkers")
            employee = driver.find_elements(By.CSS_SELECTOR, "main table a")[1]
            employee.click()
            wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "ol.roles, p.muted")))
            wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "pre.source mark")))
            first = driver.find_elements(By.CSS_SELECTOR, "button.confirm")
            if first:
                first[0].click()
                time.sleep(1)
            save("paspoort", 1500)
            driver.get(f"{url}/app/vacancies")
            rows = driver.find_elements(By.CSS_SELECTOR, "main table tbody tr")
            vacancy = next((r for r in rows if "vacature" in r.text), rows[0])
            vacancy.find_element(By.TAG_NAME, "a").click()
            wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "li.candidate")))
            save("vacature", 1500)
            driver.find_element(By.CSS_SELECTOR, "a.path-link").click()
            wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "ol.path, p.ok")))
            save("ontwikkelpad", 1500)
            driver.get(f"{url}/app/gap")
            wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "figure.chart svg")))
            save("gap-rapport", 1300)
            driver.get(f"{url}/app/gap?scenario=ai_automatisering&scenario=energietransitie")
            wait.until(ec.presence_of_element_located((By.ID, "scenarios")))
            save("gap-scenarios")
            driver.get(f"{url}/app/trends")
            wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "figure.chart svg")))
            save("trends")
            driver.get(f"{url}/app/network")
            buttons = driver.find_elements(By.CSS_SELECTOR, "form[hx-post] button")
            if buttons:
                buttons[0].click()
                wait.until(
                    ec.presence_of_element_located((By.CSS_SELECTOR, "[id^=network-result] table"))
                )
            save("netwerk", 900)
            driver.get(f"{url}/docs")
            wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".opblock")))
            save("api-docs", 1400)
            if example_key:
                log_in(example_key)
                driver.get(f"{url}/app/tshape?team=kantoor")
                wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "figure.chart svg")))
                save("ontwikkeling-team")
                driver.find_element(By.CSS_SELECTOR, "main table tbody a").click()
                wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "figure.chart svg")))
                save("t-profiel")
                driver.get(f"{url}/app/kpi?period=2025")
                wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "main table")))
                save("leer-kpis")
        finally:
            driver.quit()
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Screenshots of the Vaardig web page.")
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--key", required=True, help="an API key of the demo organisation")
    parser.add_argument(
        "--example-key", help="an API key of the example firm: adds the Ontwikkeling pages"
    )
    parser.add_argument("--out", type=Path, default=Path("docs/img"))
    args = parser.parse_args(argv)
    for path in take(args.url.rstrip("/"), args.key, args.out, args.example_key):
        print(path)


if __name__ == "__main__":
    main()
