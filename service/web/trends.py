"""The "Trends" web page: which skills employers ask for more and less, from the
organisation's own vacancy data (a feed it uploads, extracted in the background, or
``vaardig batch`` records), with growth per year, confidence intervals, significance and the
forecast, as tables and inline SVG charts. Everything goes through :mod:`service.trends` and
the trends API's upload helper; nothing here analyses anything."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from extractor.errors import IngestError
from matcher.trends import NotEnoughData
from matcher.trends.counting import ALL
from service.deps import State
from service.errors import ServiceError, ingest_status
from service.routers.trends import accept_upload
from service.schemas.trends import TrendDatasetOut, TrendQuery
from service.trends import (
    NoTrendData,
    TrendStore,
    UnknownGroup,
    growth_svg,
    series_svg,
    trend_view,
)
from service.uploads import safe_filename
from service.web.pages import WebUser, denied, render

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
    try:
        query = TrendQuery(by=by, group_by=group_by, group=group, level=level, top=TOP)
    except ValidationError:
        context["error"] = "Onbekende keuze; kies periode, indeling en niveau uit de lijsten."
        return render(request, state, principal, "trends.html", **context)
    if datasets:
        try:
            try:
                view = trend_view(state, org, query)
            except UnknownGroup:  # left over from another grouping: show all vacancies
                view = trend_view(state, org, query.model_copy(update={"group": ALL}))
        except NotEnoughData as exc:
            context["error"] = _not_enough_data(exc, by)
        except NoTrendData:  # deleted meanwhile
            context["datasets"] = []
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
        if isinstance(exc, IngestError):
            status = ingest_status(exc)[0]
        else:
            status = exc.status if isinstance(exc, ServiceError) else 422
        name = safe_filename(file.filename, "vacatures.jsonl")
        error = _upload_message(exc, status, name, state.settings.max_feed_bytes / 1_000_000)
        return render(
            request, state, principal, "_form_error.html", status_code=status, error=error
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
    job = state.jobs.get(principal.organisation_id, job_id)
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


def _not_enough_data(exc: NotEnoughData, by: str) -> str:
    """Why these vacancies show no trend, and what to do about it, in Dutch."""
    if exc.reason == "undated":
        return (
            "Geen van de vacatures heeft een plaatsingsdatum, dus er is geen verloop in de tijd te "
            "zien. Upload een feed waarin elke vacature een datum heeft (bijvoorbeeld datePosted)."
        )
    if exc.reason == "span":
        unit = "kwartaal" if exc.periods == 1 else "kwartalen"
        if by == "month":
            unit = "maand" if exc.periods == 1 else "maanden"
        advice = "Kies „per maand” of upload" if by == "quarter" else "Upload"
        return (
            f"De vacatures beslaan maar {exc.periods} {unit}; voor een trend zijn er minstens 4 "
            f"nodig. {advice} vacatures over een langere periode."
        )
    return (
        "Geen enkele vaardigheid komt in genoeg vacatures voor om een trend te toetsen (minstens "
        "10, verspreid over twee of meer perioden). Upload meer vacatures, bijvoorbeeld een feed "
        "van je hele sector of regio."
    )


def _upload_message(exc: Exception, status: int, name: str, max_mb: float) -> str:
    """Why an upload was refused, in Dutch; the technical detail (English, as in the API)
    follows, since it names the line or field to fix."""
    detail = exc.message if isinstance(exc, ServiceError) else str(exc)
    if status == 415:
        return (
            f"„{name}” is geen vacaturefeed: upload een bestand in JSON, JSON Lines, JSON-LD, CSV, "
            "TSV of XML."
        )
    if status == 413:
        return f"„{name}” is te groot: een upload mag hoogstens {max_mb:.0f} MB zijn."
    return f"In „{name}” staat geen vacature die te lezen is. Details: {detail}"
