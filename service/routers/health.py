"""Liveness and readiness, for load balancers and ``docker healthcheck``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from service.deps import State
from vaardig import __version__

router = APIRouter(tags=["health"])


@router.get("/health", summary="Liveness: the process answers")
def health() -> dict[str, str]:
    return {"status": "ok", "version": __version__}


@router.get("/ready", summary="Readiness: the database answers (and the engine is loaded)")
def ready(state: State) -> JSONResponse:
    """503 while the database is unreachable, or (with ``VAARDIG_PRELOAD=true``) while the
    engine is still loading."""
    checks: dict[str, Any] = {"database": False, "engine": state.engine_state}
    try:
        state.database.read(lambda s: s.execute(text("SELECT 1")).scalar())
        checks["database"] = True
    except Exception:  # unreachable database: report, do not raise
        checks["database"] = False
    engine_ok = not state.settings.preload or all(state.engine_state.values())
    ok = checks["database"] and engine_ok
    return JSONResponse(
        {"status": "ready" if ok else "unavailable", "checks": checks},
        status_code=200 if ok else 503,
    )
