"""Roles: vacancies (from text, a file, or a whole feed as a background job) and future roles.

A vacancy's text is stored as a document of the organisation (kind "vacancy") and its skills,
as ``matcher.roles.vacancy_skills`` reads them from the extraction, become a stored role.
"""

from __future__ import annotations

from itertools import islice
from pathlib import Path
from typing import Annotated, Any

from fastapi import File, Form, Query, UploadFile, status
from fastapi.responses import JSONResponse

from extractor.documents import Document
from extractor.ingest import read_feed
from matcher.errors import NoSkillsFound
from matcher.roles import vacancy_skills
from matcher.store import Role, RoleSkill
from service.deps import RoleEditor, ServiceState, State
from service.jobs import Progress
from service.routers.jobs import job_out
from service.routing import api_router
from service.schemas.common import Offset, Page, PathId, page
from service.schemas.roles import (
    RoleClose,
    RoleCreate,
    RoleOut,
    RoleSkillOut,
    VacancyText,
)
from service.uploads import (
    discard_spooled,
    extract,
    feed_suffix,
    parse_document,
    parse_text,
    read_upload,
    safe_filename,
    spool_upload,
)

router = api_router(tags=["roles and vacancies"])
FEED_CHUNK = 32  # vacancies per extraction batch in a feed job


@router.get("/roles", summary="List roles: vacancies, future roles, occupations")
def list_roles(
    principal: RoleEditor,
    state: State,
    kind: str | None = Query(default=None, pattern="^(vacancy|future_role|esco_occupation)$"),
    role_status: str | None = Query(
        default=None, alias="status", pattern="^(open|filled_internal|filled_external|closed)$"
    ),
    offset: Offset = 0,
    limit: int = Query(default=50, ge=1, le=500),
) -> Page[RoleOut]:
    roles = state.roles.list_roles(
        principal.organisation_id, status=role_status, kind=kind, offset=offset, limit=limit + 1
    )
    return Page[RoleOut].model_validate(page([role_out(state, r) for r in roles], offset, limit))


@router.post("/roles", status_code=status.HTTP_201_CREATED, summary="Define a role by its skills")
def create_role(body: RoleCreate, principal: RoleEditor, state: State) -> RoleOut:
    taxonomy = state.loaded("taxonomy").taxonomy
    for skill in body.skills:
        if taxonomy.get(skill.skill_uri).kind != "skill":
            raise ValueError(f"{skill.skill_uri} is not an ESCO skill")
    role = state.roles.add_role(
        principal.organisation_id,
        body.kind,
        body.title,
        [RoleSkill(s.skill_uri, s.weight, s.essential) for s in body.skills],
    )
    return role_out(state, role)


@router.post(
    "/vacancies",
    status_code=status.HTTP_201_CREATED,
    summary="Create a vacancy from its text: skills are extracted and stored as a role",
)
def create_vacancy(body: VacancyText, principal: RoleEditor, state: State) -> RoleOut:
    document = parse_text(state, body.text, "vacancy", source="vacature")
    return _store_vacancy(
        state, principal.organisation_id, document, body.text.encode(), body.title
    )


@router.post(
    "/vacancies/file",
    status_code=status.HTTP_201_CREATED,
    summary="Create a vacancy from a file (PDF, DOCX, HTML or text)",
)
def create_vacancy_from_file(
    principal: RoleEditor,
    state: State,
    file: Annotated[UploadFile, File()],
    title: Annotated[str | None, Form(max_length=300)] = None,
) -> RoleOut:
    filename = safe_filename(file.filename, "vacature.txt")
    content = read_upload(state, file)
    document = parse_document(state, content, filename, "vacancy")
    return _store_vacancy(state, principal.organisation_id, document, content, title)


@router.post(
    "/vacancies/feed",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Import a vacancy feed (JSON, JSON Lines, CSV, XML) as a background job",
)
def import_feed(
    principal: RoleEditor, state: State, file: Annotated[UploadFile, File()]
) -> JSONResponse:
    """Returns the job at once (202, ``Location: /api/v1/jobs/{id}``); follow its progress there.
    Bad records are skipped and counted; each vacancy becomes a role (kind "vacancy")."""
    filename = safe_filename(file.filename, "feed.jsonl")
    suffix = feed_suffix(filename)
    # the job reads it after the request; under the user's file name, so messages name it
    path = spool_upload(state, file, suffix, "feeds", filename=filename)
    org = principal.organisation_id
    job = state.jobs.submit(
        org,
        "vacancy_feed",
        principal.actor,
        lambda progress: import_feed_job(state, org, path, filename, progress),
        cleanup=lambda: discard_spooled(path),
    )
    body = job_out(job).model_dump(mode="json")
    return JSONResponse(body, status_code=202, headers={"Location": f"/api/v1/jobs/{job.id}"})


@router.get("/roles/{role_id}", summary="One role with its skills")
def get_role(role_id: PathId, principal: RoleEditor, state: State) -> RoleOut:
    return role_out(state, state.roles.get_role(principal.organisation_id, role_id))


@router.post("/roles/{role_id}/close", summary="Record how a role was filled or closed")
def close_role(role_id: PathId, body: RoleClose, principal: RoleEditor, state: State) -> RoleOut:
    return role_out(state, state.roles.close_role(principal.organisation_id, role_id, body.status))


# -- helpers -----------------------------------------------------------------------------------


def role_out(state: ServiceState, role: Role) -> RoleOut:
    taxonomy = state.loaded("taxonomy").taxonomy
    skills = [
        RoleSkillOut(
            skill_uri=s.skill_uri,
            label=taxonomy.concepts[s.skill_uri].label if s.skill_uri in taxonomy else s.skill_uri,
            weight=s.weight,
            essential=s.essential,
        )
        for s in role.skills
    ]
    return RoleOut(
        id=role.id,
        kind=role.kind,
        title=role.title,
        status=role.status,
        source_document_id=role.source_document_id,
        created_at=role.created_at,
        closed_at=role.closed_at,
        skills=skills,
    )


def _title(document: Document, given: str | None) -> str:
    title = (given or document.metadata.get("title") or "").strip()
    if not title:
        title = next((line.strip() for line in document.text.splitlines() if line.strip()), "")
    return (title or "Vacature")[:300]


def _store_vacancy(
    state: ServiceState, org: int, document: Document, content: bytes, title: str | None
) -> RoleOut:
    (extraction,) = extract(state, [document])
    return role_out(state, _save_vacancy(state, org, document, content, extraction, title))


def _save_vacancy(state, org, document, content, extraction, title) -> Role:
    needs = vacancy_skills(extraction, document)
    if not needs:
        raise NoSkillsFound(document.source)
    stored = state.passports.add_document(
        org,
        None,
        "vacancy",
        document.source[:255] or "vacature",
        content,
        document.text,
        document.lang,
    )
    return state.roles.add_role(
        org, "vacancy", _title(document, title), needs, source_document_id=stored.id
    )


def import_feed_job(
    state: ServiceState, org: int, path: Path, name: str, progress: Progress
) -> dict[str, Any]:
    """Read, extract and store every vacancy of a feed; report progress per batch."""
    counter = read_feed(path, skip_bad=True, per_sentence=False)
    total = sum(1 for _ in counter)
    progress(0, total)
    reader = read_feed(path, skip_bad=True)
    done = failed = 0
    role_ids: list[int] = []
    while chunk := list(islice(reader, FEED_CHUNK)):
        for document, extraction in zip(chunk, extract(state, chunk), strict=True):
            try:
                role = _save_vacancy(state, org, document, document.text.encode(), extraction, None)
                role_ids.append(role.id)
            except NoSkillsFound:
                failed += 1
            done += 1
        progress(done, total, failed)
    return {
        "feed": name,
        "done": done,
        "total": total,
        "failed": failed,
        "roles_created": len(role_ids),
        "first_role_ids": role_ids[:100],
        "skipped_records": len(reader.skipped),
        "skipped": [str(error)[:300] for error in reader.skipped[:20]],
        "warnings": [str(warning)[:300] for warning in reader.warnings[:20]],
    }
