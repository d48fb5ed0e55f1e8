"""REST endpoints of the connections context (creators): list, sync now, disconnect. Connecting itself
is a browser redirect to the network's consent page (``/connections/<network>/start/``)."""

from __future__ import annotations

from datetime import datetime

from ninja import Router, Schema
from pydantic import Field

from microreach.web.accounts.contracts import TenantRequest, creator_user_id
from microreach.web.apikit.schemas import InputSchema
from microreach.web.connections import selectors, services

router = Router(tags=["connections"])


class ConnectionOut(Schema):
    id: int
    network: str
    handle: str
    state: str = Field(description="active | lost (the creator must connect again)")
    account_id: int | None = Field(None, description="the account's id in /api/creators once synced")
    connected_at: datetime
    synced_at: datetime | None
    expires_at: datetime | None
    last_error: str = Field(description="code of the last sync error, empty when the last sync worked")


class DisconnectIn(InputSchema):
    delete_data: bool = Field(False, description="also delete the posts and follower counts read from it")


class DisconnectOut(Schema):
    revoked: int = Field(description="1 when the network confirmed the revocation")
    posts: int
    follower_points: int


@router.get("", response=list[ConnectionOut], summary="My connected accounts (creators)")
def connection_list(request: TenantRequest):
    return selectors.connection_list(user_id=creator_user_id(request.tenant))


@router.post("/{connection_id}/sync", response={202: ConnectionOut}, summary="Sync now (creators)")
def connection_sync(request: TenantRequest, connection_id: int):
    return 202, services.sync_request(user_id=creator_user_id(request.tenant), connection_id=connection_id)


@router.post(
    "/{connection_id}/disconnect",
    response=DisconnectOut,
    summary="Disconnect: revoke at the network, delete the tokens (and on request the synced data)",
)
def connection_disconnect(request: TenantRequest, connection_id: int, payload: DisconnectIn):
    return services.connection_disconnect(
        user_id=creator_user_id(request.tenant), connection_id=connection_id, delete_data=payload.delete_data
    )


class DeleteAllOut(Schema):
    scheduled: int = Field(description="connections being revoked at their network, then deleted")


@router.post(
    "/delete-all",
    response={202: DeleteAllOut},
    summary="Delete my connected data: revoke every connection at its network, then delete it and its data",
)
def connections_delete_all(request: TenantRequest):
    from microreach.web.connections.deletion import user_connections_delete

    return 202, {
        "scheduled": user_connections_delete(user_id=creator_user_id(request.tenant), delete_data=True)
    }
