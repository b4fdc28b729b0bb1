"""The route class every API router uses: it refuses a body in the wrong content type (415)
before FastAPI tries to parse it, so a CV posted to a JSON endpoint is not a confusing 422."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Request, Response, params
from fastapi.routing import APIRoute

from service.errors import ServiceError
from service.schemas.common import ERROR_RESPONSES

_FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def _has_body(request: Request) -> bool:
    length = request.headers.get("content-length")
    return bool(length and length != "0") or "transfer-encoding" in request.headers


class StrictContentRoute(APIRoute):
    """An ``APIRoute`` that checks ``Content-Type`` against what the endpoint reads."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        expects: str | None = None
        if self.body_field is not None:
            is_form = isinstance(self.body_field.field_info, params.Form)
            expects = "form" if is_form else "json"

        async def route(request: Request) -> Response:
            if expects is not None and request.method in ("POST", "PUT", "PATCH"):
                content_type = request.headers.get("content-type", "")
                media = content_type.split(";")[0].strip().lower()
                if expects == "json" and _has_body(request) and not _is_json(media):
                    raise ServiceError(
                        415,
                        "unsupported_media_type",
                        f"send JSON (Content-Type: application/json), not {media or 'nothing'}",
                    )
                if expects == "form" and media not in _FORM_TYPES:
                    raise ServiceError(
                        415,
                        "unsupported_media_type",
                        f"send a multipart/form-data upload, not {media or 'nothing'}",
                    )
            return await handler(request)

        return route


def _is_json(media: str) -> bool:
    return media == "application/json" or media.endswith("+json")


API_PREFIX = "/api/v1"


def api_router(**kwargs: Any) -> APIRouter:
    """An ``APIRouter`` under ``/api/v1`` with the strict route class and the documented error
    responses. (The prefix is the router's own, so route templates carry it.)"""
    return APIRouter(
        prefix=API_PREFIX, route_class=StrictContentRoute, responses=ERROR_RESPONSES, **kwargs
    )
