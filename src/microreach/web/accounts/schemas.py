from __future__ import annotations

from ninja import Schema


class OrganisationOut(Schema):
    id: int
    kind: str
    name: str
    country: str
    currency: str
    default_jurisdictions: list[str]


class MeOut(Schema):
    id: int
    username: str
    email: str
    email_verified: bool
    is_operator: bool
    organisation: OrganisationOut | None
    role: str | None
