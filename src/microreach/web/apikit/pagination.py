"""One page shape for every list endpoint: bounded limits, a total, and the next offset."""

from __future__ import annotations

from typing import Generic, TypeVar

from django.db.models import QuerySet
from ninja import Schema
from pydantic import Field

from microreach.web.apikit.schemas import InputSchema

T = TypeVar("T")

MAX_PAGE_SIZE = 200


class PageIn(InputSchema):
    limit: int = Field(24, ge=1, le=MAX_PAGE_SIZE, description=f"Items per page, 1 to {MAX_PAGE_SIZE}")
    offset: int = Field(0, ge=0, le=10_000_000, description="Items to skip")


class Page(Schema, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int
    next_offset: int | None


def paginate(queryset: QuerySet, page: PageIn) -> dict[str, object]:
    total = queryset.count()
    items = list(queryset[page.offset : page.offset + page.limit])
    next_offset = page.offset + page.limit if page.offset + page.limit < total else None
    return {
        "items": items,
        "total": total,
        "limit": page.limit,
        "offset": page.offset,
        "next_offset": next_offset,
    }
