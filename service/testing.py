"""Helpers for tests and benchmarks of the service: one shared engine, throw-away apps, keys.

app = scratch_app(tmp_path)                    # SQLite under tmp_path, the shared engine
org, key = new_organisation(app, "Jansen BV")  # an organisation with an admin key
with TestClient(app) as client:
    client.get("/api/v1/employees", headers={"X-API-Key": key})
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from matcher.store import Employee, Organisation, Role, RoleSkill
from service.deps import ServiceState
from service.settings import ServiceSettings
from vaardig.engine import Engine


@lru_cache(maxsize=1)
def shared_engine() -> Engine:
    """One engine per test process: the taxonomy, index and extractor load once for all apps."""
    from vaardig.settings import get_settings

    settings = get_settings()
    return Engine(encoder=settings.encoder, model=settings.encoder_model)


def scratch_settings(directory: Path, **overrides: Any) -> ServiceSettings:
    """Service settings with the data dir (and SQLite database) under ``directory``."""
    from vaardig.settings import get_settings

    base = get_settings()
    values: dict[str, Any] = {
        "data_dir": directory / "data",
        "cache_dir": base.cache_dir,
        "database_url": None,
        "secret_key": "test-secret-" + "0" * 20,
        "retention_sweep_hours": 0,
        "log_level": "INFO",
    }
    values.update(overrides)
    return ServiceSettings(**values)


def scratch_app(directory: Path, *, web: bool = True, **overrides: Any) -> FastAPI:
    """A fresh app on a fresh SQLite database, sharing the process's engine."""
    from service.app import create_app

    return create_app(scratch_settings(directory, **overrides), engine=shared_engine(), web=web)


def state_of(app: FastAPI) -> ServiceState:
    return app.state.vaardig


def new_organisation(
    app: FastAPI, name: str, role: str = "admin", **options: Any
) -> tuple[Organisation, str]:
    """An organisation with one key of ``role``; returns it and the plaintext key."""
    state = state_of(app)
    organisation = state.passports.create_organisation(name, **options)
    _, plaintext = state.keys.create(organisation.id, f"{role} key", role)
    return organisation, plaintext


def new_key(app: FastAPI, organisation_id: int, role: str) -> str:
    _, plaintext = state_of(app).keys.create(organisation_id, f"{role} key", role)
    return plaintext


SKILL = "http://data.europa.eu/esco/skill/"
# A few real ESCO skills (URI, Dutch label) for synthetic passports and roles in tests.
FORKLIFT = (SKILL + "28cb374e-6261-4133-8371-f9a5470145da", "heftrucks bedienen")
STORE_GOODS = (SKILL + "e883d55a-75ae-460b-ba0a-47fecf14f1b3", "goederen opslaan in magazijnen")
PICK_ORDERS = (
    SKILL + "ee5e2297-39cc-4ed6-89e5-d58016118a7f",
    "bestellingen selecteren voor verzending",
)
FORKLIFT_CHECKS = (
    SKILL + "3c84f7d9-7a3e-4343-814f-31de0aa61651",
    "controles van vorkheftrucks uitvoeren",
)
WAREHOUSE_DB = (
    SKILL + "e0ae0101-ab8f-47a2-938b-ab0cc367b3b5",
    "databanken van magazijnen bijhouden",
)
BOOKKEEPING = (SKILL + "99b163e8-7815-43e2-83f3-a47f3076354c", "boekingen")
TAX_LAW = (SKILL + "d669af41-756c-48d9-a286-1443253f54b1", "belastingwetgeving")
WAREHOUSE_SKILLS = (FORKLIFT, STORE_GOODS, PICK_ORDERS, FORKLIFT_CHECKS, WAREHOUSE_DB)


def add_passport(
    app: FastAPI,
    organisation_id: int,
    external_id: str,
    skills: Sequence[tuple[str, str]],
    *,
    text: str | None = None,
    display_name: str | None = None,
    filename: str = "cv.txt",
) -> Employee:
    """An employee whose CV lists ``skills`` (URI, label), one exact claim each, stored as if
    uploaded (document and claims in one transaction) but without running the extractor."""
    from matcher.store.testing import skill_claim

    state = state_of(app)
    text = text or "Werkervaring\n" + "\n".join(f"Ervaring met {label}." for _, label in skills)
    claims = [skill_claim(uri, label, text, label) for uri, label in skills]
    employee = state.passports.add_employee(organisation_id, external_id, display_name)
    state.passports.build_passport_from_document(
        organisation_id,
        employee.id,
        filename=filename,
        content=text.encode(),
        text=text,
        lang="nl",
        claims=claims,
    )
    state.passport_changed(organisation_id, employee.id)
    return employee


def add_role(
    app: FastAPI,
    organisation_id: int,
    title: str,
    skills: Sequence[tuple[str, str]],
    kind: str = "vacancy",
) -> Role:
    """A role needing ``skills`` (all essential, weight 1)."""
    needs = [RoleSkill(uri, 1.0, True) for uri, _ in skills]
    return state_of(app).roles.add_role(organisation_id, kind, title, needs)


def iter_routes(app: FastAPI) -> list[tuple[str, frozenset[str], str]]:
    """(path template, methods, endpoint name) of every route, routers included (FastAPI's
    routing nests included routers in newer versions; this flattens them)."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # FastAPI before 0.130: app.routes is already flat
        contexts: list[Any] = list(app.routes)
    else:
        contexts = list(iter_route_contexts(app.routes))
    out = []
    for route in contexts:
        path, methods = getattr(route, "path", None), getattr(route, "methods", None)
        if path and methods:
            out.append((path, frozenset(methods) - {"HEAD"}, getattr(route, "name", "") or ""))
    return out


CHROMIUM_ARGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,900",
)


def chromium_missing() -> str | None:
    """Why a browser test cannot run here (None when it can)."""
    import importlib.util
    import shutil

    if importlib.util.find_spec("selenium") is None:
        return "selenium is not installed (pip install selenium)"
    for binary in ("chromium", "chromedriver"):
        if shutil.which(binary) is None:
            return f"{binary} not found (Debian: apt-get install chromium chromium-driver)"
    return None


def chromium_driver(user_data_dir: Path):
    """A headless Chromium (Debian's) driven by Selenium, with a fresh profile."""
    import shutil

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in CHROMIUM_ARGS:
        options.add_argument(argument)
    options.add_argument(f"--user-data-dir={user_data_dir}")
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    return webdriver.Chrome(service=service, options=options)


class LiveServer:
    """The app served by uvicorn on 127.0.0.1 (a free port) in a background thread."""

    def __init__(self, app: FastAPI) -> None:
        import socket

        import uvicorn

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", access_log=False
        )
        self.server = uvicorn.Server(config)
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LiveServer:
        import threading
        import time

        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start within 30 s")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
