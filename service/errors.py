"""One error body for every 4xx/5xx: ``{"error": {"code": "not_found", "message": "..."}}``.

Library exceptions map to status codes here, so routers never catch them:

- ``NotFound`` → 404 (the same body whether the thing is missing or another firm's);
- ``AlreadyExists``, ``Conflict`` → 409; ``PermissionError`` → 403;
- ``IngestError``: too large → 413, not a supported format → 415, anything else → 422;
- request validation → 422, unparsable JSON → 400; ``ValueError`` from the library → 422;
- anything else → 500, logged by type only (messages may quote a CV).
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from extractor.errors import (
    FileTooLargeError,
    IngestError,
    NotADocxError,
    UnsupportedFormatError,
)
from matcher.store import AlreadyExists, Conflict, NotFound
from taxonomy import ConceptNotFound

log = logging.getLogger("vaardig.service")

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_requests",
    503: "unavailable",
    504: "timeout",
}


class ServiceError(Exception):
    """An error a router raises on purpose, with its status, code and message."""

    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, **extra}}


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    return JSONResponse(error_body(code, message, **extra), status_code=status, headers=headers)


def not_found_message(kind: str, key: object) -> str:
    """The one message for a missing thing: identical for "never existed" and "not yours"."""
    return f"{kind} {key} not found"


def ingest_status(exc: IngestError) -> tuple[int, str]:
    """(HTTP status, error code) of an ingest failure."""
    if isinstance(exc, FileTooLargeError):
        return 413, "too_many_pages" if exc.unit == "pages" else "too_large"
    if isinstance(exc, UnsupportedFormatError | NotADocxError):
        return 415, "unsupported_format"
    return 422, "unreadable_document"


def _validation_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    # Only where and what: never echo the submitted value (it may be a CV or a name).
    return [
        {"loc": [str(part) for part in err.get("loc", ())], "type": err.get("type", "")}
        | {"msg": str(err.get("msg", ""))}
        for err in exc.errors()
    ]


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def _service(_: Request, exc: ServiceError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        return error_response(exc.status_code, code, message, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = _validation_details(exc)
        if any(d["type"] == "json_invalid" for d in details):
            return error_response(400, "bad_json", "the request body is not valid JSON")
        fields = ", ".join(".".join(d["loc"]) for d in details[:5])
        return error_response(
            422, "validation_error", f"invalid request: check {fields}", details=details
        )

    @app.exception_handler(NotFound)
    async def _not_found(_: Request, exc: NotFound) -> JSONResponse:
        return error_response(404, "not_found", not_found_message(exc.kind, exc.key))

    @app.exception_handler(ConceptNotFound)
    async def _concept(_: Request, exc: ConceptNotFound) -> JSONResponse:
        return error_response(404, "not_found", str(exc))

    @app.exception_handler(AlreadyExists)
    async def _exists(_: Request, exc: AlreadyExists) -> JSONResponse:
        return error_response(409, "already_exists", str(exc))

    @app.exception_handler(Conflict)
    async def _conflict(_: Request, exc: Conflict) -> JSONResponse:
        return error_response(409, "conflict", str(exc))

    @app.exception_handler(PermissionError)
    async def _forbidden(_: Request, exc: PermissionError) -> JSONResponse:
        return error_response(403, "forbidden", str(exc))

    @app.exception_handler(IngestError)
    async def _ingest(_: Request, exc: IngestError) -> JSONResponse:
        status, code = ingest_status(exc)
        return error_response(status, code, str(exc))

    @app.exception_handler(ValueError)
    async def _value(_: Request, exc: ValueError) -> JSONResponse:
        return error_response(422, "invalid", str(exc))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log_exception(request, exc)
        return error_response(500, "internal_error", "internal error; it has been logged")


def log_exception(request: Request, exc: BaseException) -> None:
    """Log an unexpected error by type and stack only: its message may quote personal data."""
    frames = "".join(traceback.format_tb(exc.__traceback__))
    route = request.scope.get("route")
    where = getattr(route, "path", "?")
    log.error("unhandled %s in %s %s\n%s", type(exc).__name__, request.method, where, frames)
