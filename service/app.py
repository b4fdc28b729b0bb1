"""The app factory: ``create_app(settings) -> FastAPI``.

One app holds one database (store and service tables migrated at creation), one lazily loaded
``Engine`` and one job runner, in ``app.state.vaardig`` (a ``ServiceState``). Run it with

    vaardig serve --port 8000
    uvicorn --factory service.app:create_app --workers 4      # see docs/deployment.md
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from matcher.store import Database
from service.deps import ServiceState
from service.errors import install_error_handlers
from service.middleware import AccessLogMiddleware, BodyLimitMiddleware, TimeoutMiddleware
from service.schema import upgrade_service_schema
from service.settings import ServiceSettings, get_service_settings
from vaardig import __version__
from vaardig.engine import Engine
from vaardig.settings import Settings

log = logging.getLogger("vaardig.service")
STATIC_DIR = Path(__file__).parent / "static"
# Libraries that may log document content or form fields at DEBUG: never below WARNING.
_QUIET_LOGGERS = (
    "pdfminer",
    "pdfplumber",
    "multipart",
    "python_multipart",
    "httpx",
    "httpcore",
    "urllib3",
    "PIL",
    "docx",
    "faiss",
    "sentence_transformers",
    "transformers",
    "uvicorn.access",
)

DESCRIPTION = """
Vaardig: skills passports and internal matching for Dutch SMEs.

Authenticate with an API key in the `X-API-Key` header. Every request only ever sees the
organisation of its key: another organisation's ids answer exactly like ids that do not exist.
Errors always have the body `{"error": {"code": "...", "message": "..."}}`.
"""


def create_app(
    settings: Settings | None = None, *, engine: Engine | None = None, web: bool = True
) -> FastAPI:
    """Build the app: open (and migrate) the database, wire routers, middleware and pages.

    Args:
        settings: core or service settings; default: from the environment.
        engine: share an already loaded ``Engine`` (tests, the demo); default: a new, lazy one.
        web: also serve the HR web pages (``/``, ``/app/...``).
    """
    config = ServiceSettings.from_core(settings) if settings else get_service_settings()
    configure_logging(config.log_level)
    database = Database.open(config.effective_database_url)
    upgrade_service_schema(database)
    state = ServiceState(
        settings=config,
        database=database,
        engine=engine or Engine(encoder=config.encoder, model=config.encoder_model),
        secret=config.secret_key or _load_or_create_secret(config.data_dir),
    )
    recovered = state.jobs.recover()
    if recovered:
        log.warning("%d background job(s) of a stopped process were marked failed", recovered)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        stop = threading.Event()
        sweeper = _start_retention_sweeper(state, stop)
        _start_preload(state)
        try:
            yield
        finally:
            stop.set()
            if sweeper is not None:
                sweeper.join(timeout=5)
            state.jobs.shutdown(wait=False)
            database.close()

    app = FastAPI(
        title="Vaardig",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served below from vendored assets: no CDN, works offline
        redoc_url=None,
    )
    app.state.vaardig = state
    install_error_handlers(app)
    _include_routers(app)
    if web:
        from service.web import install_web

        install_web(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    _add_docs(app)
    # Outermost first on the way in: log, then limit size, then time out.
    app.add_middleware(TimeoutMiddleware, seconds=config.request_timeout_s)
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=config.max_request_bytes,
        per_path={
            path: config.max_feed_bytes + 1_000_000
            for path in ("/api/v1/vacancies/feed", "/api/v1/trends/uploads", "/app/trends/upload")
        },
    )
    app.add_middleware(AccessLogMiddleware)
    return app


def _include_routers(app: FastAPI) -> None:
    from service.routers import (
        development,
        employees,
        health,
        jobs,
        matching,
        network,
        organisations,
        roles,
        taxonomy,
        trends,
    )

    app.include_router(health.router)
    for module in (organisations, employees, roles, jobs, matching, taxonomy, network, trends):
        app.include_router(module.router)
    app.include_router(development.router)


def _add_docs(app: FastAPI) -> None:
    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.responses import HTMLResponse

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="Vaardig API",
            swagger_js_url="/static/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger/swagger-ui.css",
            swagger_favicon_url="/static/swagger/favicon-32x32.png",
        )


def configure_logging(level: str = "INFO") -> None:
    """Our loggers at ``level``; libraries that could log document text kept at WARNING.

    Log lines carry ids, route templates and counts only: never names, file names or text.
    """
    service_logger = logging.getLogger("vaardig")
    service_logger.setLevel(level.upper())
    if not logging.getLogger().handlers and not service_logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        service_logger.addHandler(handler)
    for name in _QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def _load_or_create_secret(data_dir: Path) -> str:
    """The server secret in ``<data dir>/service-secret`` (mode 0600), created once.

    Several workers may start together: the first to create the file wins (O_EXCL), the others
    read it.
    """
    path = Path(data_dir) / "service-secret"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):  # the creator may not have written it yet
            value = path.read_text().strip()
            if value:
                return value
            threading.Event().wait(0.05)
        raise RuntimeError(f"{path} is empty; delete it and restart") from None
    value = secrets.token_hex(32)
    with os.fdopen(fd, "w") as handle:
        handle.write(value)
        handle.flush()
        os.fsync(handle.fileno())
    return value


def _start_retention_sweeper(state: ServiceState, stop: threading.Event) -> threading.Thread | None:
    """Every ``retention_sweep_hours`` (first at start-up), delete documents past each
    organisation's retention period."""
    interval = state.settings.retention_sweep_hours * 3600
    if interval <= 0:
        return None

    def sweep() -> None:
        next_at = 0.0
        while not stop.is_set():
            if time.monotonic() >= next_at:
                _sweep_once(state)
                next_at = time.monotonic() + interval
            stop.wait(timeout=min(60.0, interval))

    thread = threading.Thread(target=sweep, name="vaardig-retention", daemon=True)
    thread.start()
    return thread


def _start_preload(state: ServiceState) -> threading.Thread | None:
    """Load taxonomy, index and extractor in the background, so the first upload is fast."""
    if not state.settings.preload:
        return None

    def load() -> None:
        try:
            state.loaded("taxonomy", "index", "extractor")
        except Exception as exc:  # /ready reports it; requests will retry the load
            log.error("preloading the engine failed: %s: %s", type(exc).__name__, exc)

    thread = threading.Thread(target=load, name="vaardig-preload", daemon=True)
    thread.start()
    return thread


def _sweep_once(state: ServiceState) -> None:
    from service.routers.organisations import purge_expired_documents

    for organisation_id in state.keys.organisation_ids():
        try:
            purge_expired_documents(state, organisation_id, actor="system:retention")
        except Exception as exc:  # one organisation's failure must not stop the others
            log.warning(
                "retention sweep failed for organisation %d: %s",
                organisation_id,
                type(exc).__name__,
            )
