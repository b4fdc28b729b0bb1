"""The caller's organisation: who am I, API keys, document retention, the audit log.

Organisations themselves are created by the operator (``vaardig org create`` or
``POST /api/v1/organisations`` with the ``X-Operator-Token``), which returns the first admin key.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Header, Query, status

from matcher.store import PurgeReport
from service.auth import PERMISSIONS
from service.deps import Auditor, CurrentPrincipal, KeyAdmin, SettingsAdmin, State
from service.errors import ServiceError
from service.routing import api_router
from service.schemas.common import MAX_ID, Offset, Page, PathId, page
from service.schemas.organisations import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyOut,
    AuditEntryOut,
    OrganisationCreate,
    OrganisationCreated,
    OrganisationOut,
    PurgeOut,
    RetentionUpdate,
    WhoAmI,
)

router = api_router(tags=["organisation"])


@router.post(
    "/organisations",
    status_code=status.HTTP_201_CREATED,
    summary="Create an organisation and its first admin key (operator only)",
)
def create_organisation(
    body: OrganisationCreate,
    state: State,
    x_operator_token: Annotated[str | None, Header()] = None,
) -> OrganisationCreated:
    expected = state.settings.operator_token
    if (
        not expected
        or not x_operator_token
        or not hmac.compare_digest(x_operator_token.encode(), expected.encode())
    ):
        raise ServiceError(
            403, "forbidden", "creating organisations needs the operator token (X-Operator-Token)"
        )
    organisation = state.passports.create_organisation(
        body.name, document_retention_days=body.document_retention_days
    )
    key, plaintext = state.keys.create(organisation.id, body.admin_key_name, "admin")
    return OrganisationCreated(
        organisation=OrganisationOut.model_validate(organisation),
        admin_key=ApiKeyOut.model_validate(key),
        api_key=plaintext,
    )


@router.get("/me", summary="The calling key, its organisation and permissions")
def who_am_i(principal: CurrentPrincipal, state: State) -> WhoAmI:
    organisation = state.passports.get_organisation(principal.organisation_id)
    return WhoAmI(
        organisation=OrganisationOut.model_validate(organisation),
        key_id=principal.key_id,
        key_name=principal.name,
        role=principal.role,
        permissions=sorted(PERMISSIONS[principal.role]),
    )


@router.get("/api-keys", summary="The organisation's API keys (never the keys themselves)")
def list_keys(principal: KeyAdmin, state: State) -> list[ApiKeyOut]:
    return [ApiKeyOut.model_validate(k) for k in state.keys.list(principal.organisation_id)]


@router.post("/api-keys", status_code=status.HTTP_201_CREATED, summary="Create an API key")
def create_key(body: ApiKeyCreate, principal: KeyAdmin, state: State) -> ApiKeyCreated:
    key, plaintext = state.keys.create(principal.organisation_id, body.name, body.role)
    state.audit.log(
        principal.organisation_id, principal.actor, "api_key.created", "api_key", key.id
    )
    return ApiKeyCreated(key=ApiKeyOut.model_validate(key), api_key=plaintext)


@router.delete("/api-keys/{key_id}", summary="Revoke an API key (its sessions end at once)")
def revoke_key(key_id: PathId, principal: KeyAdmin, state: State) -> ApiKeyOut:
    key = state.keys.revoke(principal.organisation_id, key_id)
    state.audit.log(
        principal.organisation_id, principal.actor, "api_key.revoked", "api_key", key_id
    )
    return ApiKeyOut.model_validate(key)


@router.put("/retention", summary="Set how long uploaded documents are kept")
def set_retention(body: RetentionUpdate, principal: SettingsAdmin, state: State) -> OrganisationOut:
    """Documents older than this are deleted by the retention sweep (their claims stay, without
    the surrounding sentence). ``null`` keeps documents until the employee is erased."""
    organisation = state.passports.set_document_retention(
        principal.organisation_id, body.document_retention_days
    )
    state.audit.log(
        principal.organisation_id,
        principal.actor,
        "retention.set",
        "organisation",
        principal.organisation_id,
    )
    return OrganisationOut.model_validate(organisation)


@router.post("/retention/purge", summary="Delete documents past the retention period now")
def purge_now(principal: SettingsAdmin, state: State) -> PurgeOut:
    report = purge_expired_documents(state, principal.organisation_id, principal.actor)
    if report is None:
        raise ServiceError(
            409, "conflict", "no retention period is set; PUT /api/v1/retention first"
        )
    return PurgeOut(
        cutoff=report.cutoff,
        document_ids=list(report.document_ids),
        evidence_scrubbed=report.evidence_scrubbed,
    )


@router.get("/audit", summary="Who viewed, matched, exported or erased which passport")
def audit_log(
    principal: Auditor,
    state: State,
    subject_type: str | None = Query(default=None, max_length=50),
    subject_id: int | None = Query(default=None, ge=0, le=MAX_ID),
    offset: Offset = 0,
    limit: int = Query(default=100, ge=1, le=500),
) -> Page[AuditEntryOut]:
    entries = state.audit.entries(
        principal.organisation_id,
        subject_type=subject_type,
        subject_id=subject_id,
        offset=offset,
        limit=limit + 1,
    )
    return Page[AuditEntryOut].model_validate(
        page([AuditEntryOut.model_validate(e) for e in entries], offset, limit)
    )


def purge_expired_documents(state, organisation_id: int, actor: str) -> PurgeReport | None:
    """Apply the organisation's retention period; None when it has none."""
    organisation = state.passports.get_organisation(organisation_id)
    if organisation.document_retention_days is None:
        return None
    return state.passports.purge_documents_older_than(organisation_id, actor=actor)
