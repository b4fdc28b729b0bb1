"""Regional networks: create or join one, members, and contact requests between firms.

Cross-firm matching lives in ``service.routers.matching`` (it needs the matcher); consent is
recorded per employee under ``/employees/{id}/consents``.
"""

from __future__ import annotations

from fastapi import status

from service.deps import NetworkAdmin, NetworkUser, State
from service.network import ContactRequest
from service.routing import api_router
from service.schemas.common import PathId
from service.schemas.network import (
    ContactRequestCreate,
    ContactRequestOut,
    JoinCode,
    MemberOut,
    NetworkCreate,
    NetworkCreated,
    NetworkOut,
)

router = api_router(tags=["regional networks"])


@router.get("/networks", summary="The networks the organisation is a member of")
def list_networks(principal: NetworkUser, state: State) -> list[NetworkOut]:
    return [
        NetworkOut.model_validate(n) for n in state.networks.networks(principal.organisation_id)
    ]


@router.post(
    "/networks",
    status_code=status.HTTP_201_CREATED,
    summary="Start a network (your organisation coordinates it); returns the join code once",
)
def create_network(body: NetworkCreate, principal: NetworkAdmin, state: State) -> NetworkCreated:
    network, code = state.networks.create_network(principal.organisation_id, body.name)
    return NetworkCreated(network=NetworkOut.model_validate(network), join_code=code)


@router.post("/networks/join", summary="Join a network with the code its coordinator gave you")
def join_network(body: JoinCode, principal: NetworkAdmin, state: State) -> NetworkOut:
    return NetworkOut.model_validate(state.networks.join(principal.organisation_id, body.join_code))


@router.get("/networks/{network_id}", summary="One network you are a member of")
def get_network(network_id: PathId, principal: NetworkUser, state: State) -> NetworkOut:
    return NetworkOut.model_validate(state.networks.network(principal.organisation_id, network_id))


@router.get("/networks/{network_id}/members", summary="Member organisations (names only)")
def list_members(network_id: PathId, principal: NetworkUser, state: State) -> list[MemberOut]:
    members = state.networks.members(principal.organisation_id, network_id)
    return [MemberOut.model_validate(m) for m in members]


@router.post(
    "/networks/{network_id}/join-code",
    summary="Replace the join code (coordinator); the old one stops working",
)
def rotate_join_code(network_id: PathId, principal: NetworkAdmin, state: State) -> dict[str, str]:
    return {"join_code": state.networks.rotate_join_code(principal.organisation_id, network_id)}


@router.delete(
    "/networks/{network_id}/membership",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Leave a network; your employees' consents in it are revoked",
)
def leave_network(network_id: PathId, principal: NetworkAdmin, state: State) -> None:
    state.networks.leave(principal.organisation_id, network_id, principal.actor)


@router.post(
    "/networks/{network_id}/contact-requests",
    status_code=status.HTTP_201_CREATED,
    summary="Ask another member firm for contact about one of your roles",
)
def request_contact(
    network_id: PathId, body: ContactRequestCreate, principal: NetworkUser, state: State
) -> ContactRequestOut:
    request = state.networks.request_contact(
        principal.organisation_id,
        network_id,
        body.to_organisation_id,
        body.role_id,
        principal.actor,
    )
    return contact_request_out(request, principal.organisation_id)


@router.get("/contact-requests", summary="Contact requests you sent or received")
def list_contact_requests(principal: NetworkUser, state: State) -> list[ContactRequestOut]:
    org = principal.organisation_id
    return [contact_request_out(r, org) for r in state.networks.contact_requests(org)]


@router.get("/contact-requests/{request_id}", summary="One contact request")
def get_contact_request(
    request_id: PathId, principal: NetworkUser, state: State
) -> ContactRequestOut:
    org = principal.organisation_id
    return contact_request_out(state.networks.contact_request(org, request_id), org)


@router.post("/contact-requests/{request_id}/accept", summary="Accept a request you received")
def accept_contact_request(
    request_id: PathId, principal: NetworkAdmin, state: State
) -> ContactRequestOut:
    org = principal.organisation_id
    return contact_request_out(state.networks.decide(org, request_id, True, principal.actor), org)


@router.post("/contact-requests/{request_id}/decline", summary="Decline a request you received")
def decline_contact_request(
    request_id: PathId, principal: NetworkAdmin, state: State
) -> ContactRequestOut:
    org = principal.organisation_id
    return contact_request_out(state.networks.decide(org, request_id, False, principal.actor), org)


@router.post("/contact-requests/{request_id}/withdraw", summary="Withdraw a request you sent")
def withdraw_contact_request(
    request_id: PathId, principal: NetworkUser, state: State
) -> ContactRequestOut:
    org = principal.organisation_id
    return contact_request_out(state.networks.withdraw(org, request_id, principal.actor), org)


def contact_request_out(request: ContactRequest, organisation_id: int) -> ContactRequestOut:
    return ContactRequestOut(
        id=request.id,
        network_id=request.network_id,
        from_organisation_id=request.from_organisation_id,
        to_organisation_id=request.to_organisation_id,
        role_id=request.role_id,
        status=request.status,  # type: ignore[arg-type]
        created_at=request.created_at,
        decided_at=request.decided_at,
        direction="sent" if request.from_organisation_id == organisation_id else "received",
    )
