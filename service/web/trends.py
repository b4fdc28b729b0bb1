"""The "Trends" web page: which skills employers ask for more and less, from the
organisation's own vacancy data (a feed it uploads, extracted in the background, or
``vaardig batch`` records), with growth per year, confidence intervals, significance and the
forecast, as tables and inline SVG charts. Everything goes through :mod:`service.trends` and
the trends API's upload helper; nothing here analyses anything."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from extractor.errors import IngestError
from matcher.store import NotFound
from matcher.trends.counting import ALL
from service.deps import State
from service.errors import ServiceError
from service.routers.trends import accept_upload
from service.schemas.trends import TrendDatasetOut
from service.trends import (
    NoTrendData,
    TrendStore,
    growth_svg,
    series_svg,
    trend_view,
)
from service.web.pages import WebUser, denied, not_found, render

router = APIRouter(include_in_schema=False)

PERIODS = {"quarter": "kwartaal", "month": "maand"}
GROUPINGS = {
    "none": "alle vacatures samen",
    "isco1": "beroepsgroep (ISCO, hoofdgroep)",
    "isco2": "beroepsgroep (ISCO, subgroep)",
    "region": "regio",
    "category": "categorie van de feed",
}
LEVELS = {
    "skill": "vaardigheden",
    "group": "vaardigheidsgroepen (ESCO)",
    "collection": "collecties (digitaal, groen, …)",
}
TOP = 10


@router.get("/app/trends", response_class=HTMLResponse)
def trends_page(
    request: Request,
    state: State,
    principal: WebUser,
    by: Annotated[str, Query(max_length=20)] = "quarter",
    group_by: Annotated[str, Query(max_length=20)] = "none",
    group: Annotated[str, Query(max_length=200)] = ALL,
    level: Annotated[str, Query(max_length=20)] = "skill",
    serie: Annotated[str | None, Query(max_length=300)] = None,
) -> HTMLResponse:
    if not principal.can("roles"):
        return denied(request, state, principal)
    org = principal.organisation_id
    datasets = TrendStore(state.database).list(org)
    choice = {"by": by, "group_by": group_by, "group": group, "level": level}
    context = {
        "datasets": datasets,
        "total": sum(d.records for d in datasets),
        "choice": choice,
        "periods": PERIODS,
        "groupings": GROUPINGS,
        "levels": LEVELS,
        "view": None,
        "error": None,
        "growth_chart": None,
        "series_chart": None,
        "series": None,
        "max_mb": state.settings.max_feed_bytes / 1_000_000,
    }
    if datasets:
        try:
            view = trend_view(state, org, by, group_by, group, level, TOP)
        except (ValueError, NoTrendData) as exc:
            context["error"] = _message(exc)
        else:
            context["view"] = view
            if view.rising or view.declining:
                context["growth_chart"] = growth_svg(state, org, view)
                try:
                    series = view.series(serie)
                except KeyError:
                    series = view.series(None)
                context["series"] = series
                context["series_chart"] = series_svg(state, org, view, series)
    return render(request, state, principal, "trends.html", **context)


@router.post("/app/trends/upload", response_class=HTMLResponse)
def upload_trend_data(
    request: Request,
    state: State,
    principal: WebUser,
    file: Annotated[UploadFile, File()],
) -> Response:
    """A feed starts an extraction job (the answer polls it); records are stored at once."""
    if not principal.can("roles"):
        raise ServiceError(403, "forbidden", "deze sleutel mag geen vacaturegegevens uploaden")
    try:
        result = accept_upload(state, principal.organisation_id, principal.actor, file)
    except (IngestError, ServiceError, ValueError) as exc:
        status = exc.status if isinstance(exc, ServiceError) else 422
        return render(
            request, state, principal, "_form_error.html", status_code=status, error=_message(exc)
        )
    if isinstance(result, TrendDatasetOut):  # records: stored at once, show them
        return Response(status_code=201, headers={"HX-Refresh": "true"})
    job = state.jobs.get(principal.organisation_id, result.id)
    return render(request, state, principal, "_trends_job.html", status_code=202, job=job)


@router.get("/app/trends/jobs/{job_id}", response_class=HTMLResponse)
def trend_job_fragment(job_id: str, request: Request, state: State, principal: WebUser) -> Response:
    """The feed job's progress (the fragment polls itself); reloads the page when done."""
    if not principal.can("roles"):
        return denied(request, state, principal)
    try:
        job = state.jobs.get(principal.organisation_id, job_id)
    except NotFound as exc:
        return not_found(request, state, principal, exc)
    response = render(request, state, principal, "_trends_job.html", job=job)
    if job.status == "done":
        response.headers["HX-Refresh"] = "true"
    return response


@router.post("/app/trends/delete")
def delete_trend_data(state: State, principal: WebUser) -> Response:
    if not principal.can("roles"):
        raise ServiceError(403, "forbidden", "deze sleutel mag geen vacaturegegevens verwijderen")
    TrendStore(state.database).delete_all(principal.organisation_id)
    return Response(status_code=204, headers={"HX-Redirect": "/app/trends"})


def _message(exc: Exception) -> str:
    return exc.message if isinstance(exc, ServiceError) else str(exc)
