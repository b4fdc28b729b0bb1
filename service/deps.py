"""FastAPI dependencies: settings, stores, the engine, and the calling principal.

Routers declare what they need (``Depends(require("gdpr"))``) and get it from the app's
``ServiceState``; they never read globals. Authentication is by ``X-API-Key`` header (the API)
or the signed login cookie (the web page); either way the result is a ``Principal`` whose
``organisation_id`` scopes every query.
"""

from __future__ import annotations

import hmac
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader

from matcher.store import AuditLog, Database, PassportStore, RoleStore
from service.auth import KeyRing, Principal, csrf_token, read_session
from service.errors import ServiceError
from service.indexes import SyncedWorkflow, bump_version
from service.jobs import JobRunner
from service.network import NetworkStore
from service.settings import ServiceSettings
from vaardig.engine import Engine
from vaardig.workflow import Workflow

SESSION_COOKIE = "vaardig_session"
STALE_PAGE_MESSAGE = "Deze pagina is verouderd (je bent opnieuw ingelogd). Herlaad de pagina."
api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="API key")


@dataclass
class ServiceState:
    """Everything one app instance holds: one database, one engine, one job runner."""

    settings: ServiceSettings
    database: Database
    engine: Engine
    secret: str
    passports: PassportStore = field(init=False)
    roles: RoleStore = field(init=False)
    audit: AuditLog = field(init=False)
    keys: KeyRing = field(init=False)
    networks: NetworkStore = field(init=False)
    jobs: JobRunner = field(init=False)
    _engine_lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.passports = PassportStore(self.database)
        self.roles = RoleStore(self.database)
        self.audit = AuditLog(self.database)
        self.keys = KeyRing(self.database)
        self.networks = NetworkStore(self.database)
        self.jobs = JobRunner(self.database, self.settings.job_workers)

    def loaded(self, *parts: str) -> Engine:
        """The engine with ``parts`` ("taxonomy", "index", "extractor") loaded, once, even
        when many requests ask at the same moment."""
        with self._engine_lock:
            for part in parts:
                getattr(self.engine, part)
        return self.engine

    def cached(self, key: str, build: Callable[[], Any]) -> Any:
        """A derived object built once per app (e.g. the matcher's skill space)."""
        with self._engine_lock:
            if key not in self._cache:
                self._cache[key] = build()
            return self._cache[key]

    def matching(self) -> SyncedWorkflow:
        """This process's workflow (skill space, passport and role indexes), built on first
        use and kept in step with the other worker processes."""
        return self.cached(
            "matching",
            lambda: SyncedWorkflow(
                Workflow(self.loaded("index"), self.passports, self.roles), self.database
            ),
        )

    def workflow(self, organisation_id: int) -> Workflow:
        """The workflow, ready to match within ``organisation_id`` (stale index dropped)."""
        return self.matching().for_organisation(organisation_id)

    def passport_changed(
        self, organisation_id: int, employee_id: int, erased: bool = False
    ) -> None:
        """Tell every worker's matching index that this passport changed (or was erased).
        An erasure also empties this process's extractor phrase caches; another worker
        empties its own when it sees the organisation's counter move."""
        if erased:
            self.engine.forget_cached_phrases()
        synced = self._cache.get("matching")
        if synced is None:
            bump_version(self.database, organisation_id)
        else:
            synced.changed(organisation_id, employee_id, erased)

    @property
    def engine_state(self) -> dict[str, bool]:
        loaded = self.engine.__dict__
        return {part: part in loaded for part in ("taxonomy", "index", "extractor")}


def get_state(request: Request) -> ServiceState:
    return request.app.state.vaardig


State = Annotated[ServiceState, Depends(get_state)]


def get_settings(state: State) -> ServiceSettings:
    return state.settings


def principal_from_request(request: Request, state: ServiceState, key: str | None) -> Principal:
    """The caller, from the API key header or the login cookie; raises 401."""
    if key:
        principal = state.keys.authenticate(key)
        if principal is None:
            raise ServiceError(401, "unauthorized", "unknown or revoked API key")
        return principal
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        key_id = read_session(state.secret, cookie)
        principal = state.keys.principal(key_id) if key_id is not None else None
        if principal is not None:
            check_csrf(request, state, cookie)
            request.state.session_cookie = cookie
            return principal
    raise ServiceError(
        401,
        "unauthorized",
        "send an API key in the X-API-Key header (or log in on the web page)",
        headers={"WWW-Authenticate": "ApiKey"},
    )


def is_web_path(path: str) -> bool:
    """Whether ``path`` is the HR web page's (answered in Dutch) rather than the API's."""
    return path in ("/", "/login", "/logout", "/app") or path.startswith("/app/")


def check_csrf(request: Request, state: ServiceState, cookie: str) -> None:
    """A cookie-authenticated change must carry the session's token in ``X-CSRF-Token`` (the
    web page's scripts add it); a cross-site form cannot. Reads are not checked."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    sent = request.headers.get("x-csrf-token", "")
    if not hmac.compare_digest(sent.encode(), csrf_token(state.secret, cookie).encode()):
        # on the web page this nearly always means a newer login (another tab) changed the
        # session, so the page's token is stale: its scripts show this message
        message = (
            STALE_PAGE_MESSAGE
            if is_web_path(request.url.path)
            else "missing or wrong X-CSRF-Token; reload the page"
        )
        raise ServiceError(403, "forbidden", message)


def current_principal(
    request: Request,
    state: State,
    key: Annotated[str | None, Depends(api_key_header)] = None,
) -> Principal:
    return principal_from_request(request, state, key)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require(permission: str) -> Callable[..., Principal]:
    """A dependency that gives the principal if its role has ``permission``, else 403."""

    def dependency(principal: CurrentPrincipal) -> Principal:
        if not principal.can(permission):
            raise ServiceError(
                403,
                "forbidden",
                f"a {principal.role} key may not do this (needs the '{permission}' permission)",
            )
        return principal

    return dependency


Reader = Annotated[Principal, Depends(require("read"))]
Writer = Annotated[Principal, Depends(require("write"))]
Matcher = Annotated[Principal, Depends(require("match"))]
RoleEditor = Annotated[Principal, Depends(require("roles"))]
GdprOfficer = Annotated[Principal, Depends(require("gdpr"))]
KeyAdmin = Annotated[Principal, Depends(require("keys"))]
SettingsAdmin = Annotated[Principal, Depends(require("settings"))]
NetworkUser = Annotated[Principal, Depends(require("network"))]
NetworkAdmin = Annotated[Principal, Depends(require("network-admin"))]
ConsentKeeper = Annotated[Principal, Depends(require("consent"))]
Auditor = Annotated[Principal, Depends(require("audit"))]
