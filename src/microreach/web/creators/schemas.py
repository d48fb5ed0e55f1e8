from __future__ import annotations

from datetime import date, datetime

from ninja import Schema
from pydantic import Field

from microreach.sources.columns import MAX_COUNT
from microreach.web.apikit.schemas import InputSchema


class AccountFilterIn(InputSchema):
    network: str | None = Field(None, pattern="^(instagram|tiktok|youtube|x|twitch|blog)$")
    country: str | None = Field(None, pattern="^[A-Za-z]{2}$")
    handle_prefix: str | None = Field(None, max_length=100)
    min_followers: int | None = Field(None, ge=0, le=MAX_COUNT)
    max_followers: int | None = Field(None, ge=0, le=MAX_COUNT)


class AccountOut(Schema):
    id: int
    network: str
    handle: str
    display_name: str
    bio: str
    topics: list[str]
    language: str
    country: str
    followers: int
    following: int | None
    posts_count: int | None
    verified: bool
    private: bool
    source: str
    batch_id: int | None
    fetched_at: datetime | None


class PostOut(Schema):
    id: int
    network_post_id: str
    post_type: str
    caption: str
    hashtags: list[str]
    published_at: datetime
    likes: int | None
    comments: int | None
    shares: int | None
    saves: int | None
    views: int | None
    reach: int | None
    is_paid_partnership: bool
    source: str
    batch_id: int | None


class FollowerCountOut(Schema):
    date: date
    followers: int
    following: int | None


class ImportErrorOut(Schema):
    file: str
    line: int
    field: str
    code: str
    reason: str


class ImportBatchOut(Schema):
    id: int
    status: str
    source: str
    record_type: str
    share_aggregates: bool = False
    files: list[str]
    rows_total: int
    rows_inserted: int
    rows_updated: int
    rows_unchanged: int
    error_count: int
    errors: list[dict[str, object]]
    accounts_touched: int
    progress: dict[str, object]
    created_at: datetime
    finished_at: datetime | None
