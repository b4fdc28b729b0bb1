"""ASGI middleware: request size limit, request timeout, and an access log without personal data.

The access log names the route *template* (``/api/v1/employees/{employee_id}``), never the raw
path or query string, so search terms, file names or ids typed into a URL cannot leak into it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from typing import Any

from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.errors import error_body

access_log = logging.getLogger("vaardig.service.access")


async def _send_error(send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps(error_body(code, message)).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


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
        message = (
            f"the request is larger than the limit of {max_bytes / 1_000_000:.0f} MB; "
            "upload fewer or smaller files"
        )
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    too_big = int(value) > max_bytes
                except ValueError:
                    await _send_error(send, 400, "bad_request", "invalid Content-Length header")
                    return
                if too_big:
                    await _send_error(send, 413, "too_large", message)
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
                await _send_error(send, 413, "too_large", message)


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
            await _send_error(
                send,
                504,
                "timeout",
                f"the request took longer than {self.seconds:.0f} s; try a smaller upload",
            )
        finally:
            waiter.cancel()


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
