"""ASGI middleware: request size limit, request timeout, and an access log without personal data.

The access log names the route *template* (``/api/v1/employees/{employee_id}``), never the raw
path or query string, so search terms, file names or ids typed into a URL cannot leak into it.

The size limit and the timeout answer before any route runs, so they speak for the web page
themselves: a web path gets a Dutch message (JSON for the page's scripts, a small HTML page for
a plain browser request); the API keeps its English JSON.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from html import escape
from typing import Any

from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.deps import is_web_path
from service.errors import error_body

access_log = logging.getLogger("vaardig.service.access")


async def _send_error(
    send: Send, status: int, code: str, message: str, *, page: bool = False
) -> None:
    """The error body as JSON, or with ``page`` as a minimal Dutch HTML page (a browser that
    navigated here, not a script, shows it as it is)."""
    if page:
        body = (
            '<!doctype html><html lang="nl"><head><meta charset="utf-8">'
            f"<title>Niet gelukt · Vaardig</title></head><body><h1>Niet gelukt</h1>"
            f'<p>{escape(message)}</p><p><a href="/app">Terug naar de medewerkers</a></p>'
            "</body></html>"
        ).encode()
        content_type = b"text/html; charset=utf-8"
    else:
        body = json.dumps(error_body(code, message)).encode()
        content_type = b"application/json"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _web_request(scope: Scope) -> tuple[bool, bool]:
    """(is this a web page path, did a script send it): scripts (htmx, the upload) read JSON."""
    web = is_web_path(str(scope.get("path", "")))
    scripted = any(name == b"hx-request" for name, _ in scope.get("headers", ()))
    return web, scripted


class _TooLarge(StarletteHTTPException):
    """Raised from ``receive`` once the body passes the limit; FastAPI's exception handling
    turns it into the 413 error body (and so would any Starlette app)."""

    def __init__(self, message: str) -> None:
        super().__init__(status_code=413, detail=message)


class BodyLimitMiddleware:
    """Refuse request bodies over ``max_bytes`` with 413, by header or while streaming.

    ``per_path`` gives some paths their own limit (a vacancy feed may be larger than a CV).
    """

    def __init__(
        self, app: ASGIApp, max_bytes: int, per_path: dict[str, int] | None = None
    ) -> None:
        self.app, self.default_max_bytes = app, max_bytes
        self.per_path = per_path or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes = self.per_path.get(scope.get("path", ""), self.default_max_bytes)
        web, scripted = _web_request(scope)
        page = web and not scripted
        if web:
            message = (
                f"Samen te groot: hoogstens {max_bytes / 1_000_000:.0f} MB per keer. "
                "Upload minder of kleinere bestanden tegelijk."
            )
        else:
            message = (
                f"the request is larger than the limit of {max_bytes / 1_000_000:.0f} MB; "
                "upload fewer or smaller files"
            )
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    too_big = int(value) > max_bytes
                except ValueError:
                    invalid = (
                        "Ongeldige aanvraag (Content-Length). Herlaad de pagina en probeer het "
                        "opnieuw."
                        if web
                        else "invalid Content-Length header"
                    )
                    await _send_error(send, 400, "bad_request", invalid, page=page)
                    return
                if too_big:
                    await _send_error(send, 413, "too_large", message, page=page)
                    return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            msg = await receive()
            if msg["type"] == "http.request":
                received += len(msg.get("body", b""))
                if received > max_bytes:
                    raise _TooLarge(message)
            return msg

        async def tracking_send(msg: Message) -> None:
            nonlocal started
            if msg["type"] == "http.response.start":
                started = True
            await send(msg)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await _send_error(send, 413, "too_large", message, page=page)


class TimeoutMiddleware:
    """Answer 504 when a request has not started its response within ``seconds``.

    Work running in a thread (a long extraction) is not interrupted, only abandoned: the
    store's transactions are all-or-nothing, so nothing is half-written either way.
    """

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app, self.seconds = app, seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = asyncio.Event()

        async def tracking_send(msg: Message) -> None:
            if msg["type"] == "http.response.start":
                started.set()
            await send(msg)

        task = asyncio.ensure_future(self.app(scope, receive, tracking_send))
        waiter = asyncio.ensure_future(started.wait())
        try:
            done, _ = await asyncio.wait(
                {task, waiter}, timeout=self.seconds, return_when=asyncio.FIRST_COMPLETED
            )
            if task in done or waiter in done:
                await task  # the response is on its way (or done): let it finish
                return
            task.cancel()
            web, scripted = _web_request(scope)
            await _send_error(
                send, 504, "timeout", self._message(scope, web), page=web and not scripted
            )
        finally:
            waiter.cancel()

    def _message(self, scope: Scope, web: bool) -> str:
        # The work goes on in its thread and may still be saved: say so, or people upload
        # the same CV again and get a second employee.
        if not web:
            return f"the request took longer than {self.seconds:.0f} s; try a smaller upload"
        if scope.get("path") == "/app/cvs":
            return (
                "Het verwerken duurt langer dan verwacht; het cv wordt mogelijk nog verwerkt. "
                "Kijk over een minuut in de lijst voordat je het opnieuw probeert."
            )
        return (
            "Het verwerken duurt langer dan verwacht; het wordt mogelijk nog afgerond. Kijk "
            "over een minuut of het gelukt is (herlaad de pagina) voordat je het opnieuw "
            "probeert."
        )


class AccessLogMiddleware:
    """One line per request: id, method, route template, status, milliseconds."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = uuid.uuid4().hex[:12]
        t0 = time.perf_counter()
        status = 500

        async def tracking_send(msg: Message) -> None:
            nonlocal status
            if msg["type"] == "http.response.start":
                status = msg["status"]
                msg["headers"] = [*msg.get("headers", []), (b"x-request-id", request_id.encode())]
            await send(msg)

        try:
            await self.app(scope, receive, tracking_send)
        finally:
            access_log.info(
                "%s %s %s %d %.1fms",
                request_id,
                scope.get("method", "?"),
                _route_template(scope),
                status,
                (time.perf_counter() - t0) * 1000,
            )


def _route_template(scope: dict[str, Any]) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    if path:
        return path
    return "/static/*" if str(scope.get("path", "")).startswith("/static/") else "<unmatched>"
