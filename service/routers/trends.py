"""Skill trends of the organisation's vacancy data: upload (a feed becomes a background job),
the trend report as JSON, its charts as SVG, and deletion.

The analysis is ``matcher.trends``' (quasi-Poisson growth with confidence intervals,
Benjamini–Hochberg, ETS forecasts); :mod:`service.trends` stores and caches.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import File, Query, UploadFile, status
from fastapi.responses import JSONResponse, Response

from extractor.batch import is_record_file
from service.deps import RoleEditor, ServiceState, State
from service.errors import ServiceError
from service.routers.jobs import job_out
from service.routing import api_router
from service.schemas.trends import (
    DeletedOut,
    TrendDatasetOut,
    TrendDatasetsOut,
    TrendQuery,
    TrendsOut,
)
from service.trends import (
    TrendStore,
    check_feed,
    feed_job,
    growth_svg,
    read_record_upload,
    series_svg,
    trend_view,
)
from service.uploads import discard_spooled, feed_suffix, safe_filename, spool_upload

router = api_router(tags=["skill trends"])

TrendParams = Annotated[TrendQuery, Query()]


@router.post(
    "/trends/uploads",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Upload a vacancy feed (extracted as a job) or `vaardig batch` records",
    responses={201: {"description": "Records stored (a `vaardig batch` output)"}},
)
def upload_trend_data(
    principal: RoleEditor, state: State, file: Annotated[UploadFile, File()]
) -> JSONResponse:
    """A feed (JSON, JSON Lines, JSON-LD JobPosting, CSV, XML) answers 202 with a job
    (``Location: /api/v1/jobs/{id}``): its vacancies are extracted in the background,
    near-duplicates dropped, and stored as one dataset. Extracted records (the JSON Lines
    ``vaardig batch`` writes) are stored at once: 201 with the dataset. A file without one
    readable vacancy answers 422, another format 415, beyond ``max_feed_bytes`` 413."""
    result = accept_upload(state, principal.organisation_id, principal.actor, file)
    if isinstance(result, TrendDatasetOut):
        return JSONResponse(result.model_dump(mode="json"), status_code=201)
    body = job_out(result).model_dump(mode="json")
    return JSONResponse(body, status_code=202, headers={"Location": f"/api/v1/jobs/{result.id}"})


@router.get("/trends/uploads", summary="The organisation's uploaded vacancy data")
def list_trend_data(principal: RoleEditor, state: State) -> TrendDatasetsOut:
    datasets = TrendStore(state.database).list(principal.organisation_id)
    return TrendDatasetsOut(
        datasets=[TrendDatasetOut(**d.to_dict()) for d in datasets],
        records=sum(d.records for d in datasets),
    )


@router.delete("/trends/uploads", summary="Delete all of the organisation's vacancy data")
def delete_trend_data(principal: RoleEditor, state: State) -> DeletedOut:
    return DeletedOut(deleted=TrendStore(state.database).delete_all(principal.organisation_id))


@router.get(
    "/trends",
    summary="Rising and declining skills: growth per year with CI, q-values, forecasts",
)
def get_trends(principal: RoleEditor, state: State, query: TrendParams) -> TrendsOut:
    view = trend_view(state, principal.organisation_id, query)
    attribution = state.loaded("taxonomy").taxonomy.attribution
    return TrendsOut(**view.to_dict(), attribution=attribution)


@router.get(
    "/trends/chart.svg",
    summary="A trend chart (SVG): rising/declining bars, or one series with its forecast",
    response_class=Response,
)
def get_trend_chart(
    principal: RoleEditor,
    state: State,
    query: TrendParams,
    kind: Annotated[Literal["growth", "series"], Query()] = "growth",
    key: Annotated[
        str | None,
        Query(max_length=300, description="The series (URI or collection); default: top riser"),
    ] = None,
) -> Response:
    org = principal.organisation_id
    view = trend_view(state, org, query)
    if kind == "growth":
        svg = growth_svg(state, org, view)
    else:
        try:
            trend = view.series(key)
        except KeyError as exc:
            raise ServiceError(404, "not_found", str(exc).strip("'\"")) from None
        svg = series_svg(state, org, view, trend)
    return Response(svg, media_type="image/svg+xml")


# -- helpers (the web page uses them too) ------------------------------------------------------


def accept_upload(state: ServiceState, organisation_id: int, actor: str, upload: UploadFile):
    """Store records at once (→ ``TrendDatasetOut``) or start a feed job (→ ``Job``).

    Raises:
        ServiceError: 415 for another format, 413 too large, 422 nothing readable.
        IngestError: a feed malformed as a whole (mapped to 4xx).
    """
    name = safe_filename(upload.filename, "vacatures.jsonl")
    path = spool_upload(state, upload, feed_suffix(name), "trends", filename=name)
    try:
        if is_record_file(path):
            records = read_record_upload(path, name)
            dataset = TrendStore(state.database).add(
                organisation_id, name, "records", records, actor
            )
            discard_spooled(path)
            return TrendDatasetOut(**dataset.to_dict())
        check_feed(path, name)
    except BaseException:
        discard_spooled(path)
        raise
    return state.jobs.submit(
        organisation_id,
        "trend_feed",
        actor,
        lambda progress: feed_job(state, organisation_id, path, name, actor, progress),
        cleanup=lambda: discard_spooled(path),
    )
