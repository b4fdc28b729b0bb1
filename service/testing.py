"""Helpers for tests and benchmarks of the service: one shared engine, throw-away apps, keys.

    app = scratch_app(tmp_path)                    # SQLite under tmp_path, the shared engine
    org, key = new_organisation(app, "Jansen BV")  # an organisation with an admin key
    with TestClient(app) as client:
        client.get("/api/v1/employees", headers={"X-API-Key": key})
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from matcher.store import Organisation
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
