"""The HTTP layer every network client shares: one httpx client, the one retry policy (tenacity), the
mapping of answers to typed errors, and the parsing of payloads into pydantic models with bounds.

Nothing here logs a URL's query (it may hold an API key), a header or a body: logs say the network, the
endpoint's name, the status and the attempt.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Annotated, Any, TypeVar

import httpx
import pydantic
from pydantic import AfterValidator, Field, ValidationInfo
from tenacity import RetryCallState as _RetryCallState
from tenacity import Retrying, retry_if_exception, stop_after_attempt

from microreach.core.records import Network
from microreach.sources.links import is_http_url
from microreach.sources.networks.base import (
    BadResponse,
    NetworkError,
    NetworkUnavailable,
    NotFound,
    PermissionMissing,
    RateLimited,
    RetryPolicy,
    TokenRevoked,
)

logger = logging.getLogger("microreach.sources.networks")

M = TypeVar("M", bound=pydantic.BaseModel)

# Bounds of what we accept from a network: a count above 10^12 or below 0 is not a measure, and a date
# more than a day ahead of our clock is not a publication.
MAX_COUNT = 10**12
FUTURE_TOLERANCE = timedelta(days=1)
MAX_TEXT = 100_000  # characters in one caption / description / bio
MAX_BODY_BYTES = 20 * 1024 * 1024  # one answer; a page of 100 items is far below


def _not_future(value: datetime, info: ValidationInfo) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    now = (info.context or {}).get("now") if isinstance(info.context, dict) else None
    if isinstance(now, datetime) and value > now + FUTURE_TOLERANCE:
        raise ValueError(f"date {value.isoformat()} is more than a day in the future")
    return value.astimezone(UTC)


def _clean_text(value: str) -> str:
    if "\x00" in value:
        raise ValueError("text holds a NUL character")
    return value


Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
Timestamp = Annotated[datetime, AfterValidator(_not_future)]
Text = Annotated[str, Field(max_length=MAX_TEXT), AfterValidator(_clean_text)]
Identifier = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_.:@-]+$")]


class Model(pydantic.BaseModel):
    """A documented response: unknown fields ignored, missing optional fields None."""

    model_config = pydantic.ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


def http_url_or_none(value: object) -> str | None:
    """A link we may store and render: an http(s) URL, else None."""
    return value if isinstance(value, str) and is_http_url(value) else None


def field_path(loc: tuple[int | str, ...]) -> str:
    """pydantic's error location as a path: ``items[3].statistics.viewCount``."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def retry_after_seconds(headers: Mapping[str, str], now: datetime) -> float | None:
    """``Retry-After`` as seconds (delta-seconds or an HTTP date), None when absent or unreadable."""
    raw = headers.get("retry-after")
    if not raw:
        return None
    raw = raw.strip()
    if raw.isdigit():
        return float(raw)
    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


class ApiClient:
    """Base of the network clients. Subclasses set ``network`` and override ``raise_for_error`` to read
    their network's error envelope; ``requests_made`` counts HTTP calls (retries included)."""

    network: Network

    def __init__(
        self,
        *,
        base_url: str,
        transport: httpx.BaseTransport | None = None,
        retry: RetryPolicy | None = None,
        timeout: float = 15.0,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.retry = retry or RetryPolicy()
        self.clock = clock or (lambda: datetime.now(UTC))
        self.requests_made = 0
        self._http = httpx.Client(
            transport=transport,
            timeout=timeout,
            follow_redirects=False,
            headers={
                "User-Agent": "microreach (+https://github.com/microreach)",
                "Accept": "application/json",
            },
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- sending -----------------------------------------------------------------------------------

    def url(self, path: str) -> str:
        return path if path.startswith(("http://", "https://")) else f"{self.base_url}{path}"

    def send(
        self,
        method: str,
        path: str,
        *,
        where: str,
        params: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        content: bytes | None = None,
    ) -> httpx.Response:
        """One call with the retry policy; a 2xx answer or a typed ``NetworkError``."""

        def attempt() -> httpx.Response:
            self.requests_made += 1
            try:
                response = self._http.request(
                    method, self.url(path), params=params, data=data, headers=headers, content=content
                )
            except httpx.TransportError as exc:
                logger.info("%s %s: transport error %s", self.network, where, type(exc).__name__)
                raise NetworkUnavailable(
                    f"could not reach the network ({type(exc).__name__})", network=self.network, where=where
                ) from None
            logger.debug("%s %s -> %s", self.network, where, response.status_code)
            if not 200 <= response.status_code < 300:
                self.raise_for_error(response, where)
                raise BadResponse(
                    f"unexpected HTTP status {response.status_code}", network=self.network, where=where
                )
            return response

        policy = self.retry

        def retryable(exc: BaseException) -> bool:
            if not isinstance(exc, NetworkError) or not exc.retryable:
                return False
            return not (isinstance(exc, RateLimited) and (exc.retry_after or 0) > policy.max_wait)

        def wait(state: _RetryCallState) -> float:
            exc = state.outcome.exception() if state.outcome else None
            if isinstance(exc, RateLimited) and exc.retry_after is not None:
                return exc.retry_after
            return policy.backoff(state.attempt_number)

        retrying = Retrying(
            stop=stop_after_attempt(policy.attempts),
            wait=wait,
            retry=retry_if_exception(retryable),
            sleep=policy.sleep,
            reraise=True,
        )
        return retrying(attempt)

    def raise_for_error(self, response: httpx.Response, where: str) -> None:
        """Raise the typed error for a non-2xx answer. The default reads the status only."""
        status = response.status_code
        net = self.network
        if status == 429:
            raise RateLimited(
                "too many requests",
                network=net,
                where=where,
                retry_after=retry_after_seconds(response.headers, self.clock()),
            )
        if status >= 500:
            raise NetworkUnavailable(f"the network answered {status}", network=net, where=where)
        if status == 401:
            raise TokenRevoked("the credentials were refused (401)", network=net, where=where)
        if status == 403:
            raise PermissionMissing("access refused (403)", network=net, where=where)
        if status == 404:
            raise NotFound("not found (404)", network=net, where=where)

    # --- parsing -----------------------------------------------------------------------------------

    def payload(self, response: httpx.Response, where: str) -> Any:
        if len(response.content) > MAX_BODY_BYTES:
            raise BadResponse(
                f"answer of {len(response.content)} bytes is larger than {MAX_BODY_BYTES}",
                network=self.network,
                where=where,
            )
        try:
            return json.loads(response.content)
        except (ValueError, UnicodeDecodeError):
            raise BadResponse("the answer is not JSON", network=self.network, where=where) from None

    def parse(self, model: type[M], data: Any, where: str) -> M:
        return parse_model(model, data, network=self.network, where=where, now=self.clock())

    def get(self, path: str, model: type[M], *, where: str, **kwargs: Any) -> M:
        response = self.send("GET", path, where=where, **kwargs)
        return self.parse(model, self.payload(response, where), where)


def parse_model(model: type[M], data: Any, *, network: str, where: str, now: datetime) -> M:
    """``data`` validated by ``model``; the first refused field becomes a ``BadResponse`` naming it."""
    try:
        return model.model_validate(data, context={"now": now})
    except pydantic.ValidationError as exc:
        first = exc.errors(include_url=False, include_input=False)[0]
        raise BadResponse(
            str(first.get("msg", "invalid")), network=network, where=where, field=field_path(first["loc"])
        ) from None
