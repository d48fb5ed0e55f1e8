"""Published posts verified at the source: the link resolved to the post as the network gives it, then
checked against the brief.

Where the post's data comes from, best first: the creator's connected account (the network's official
API with their consent), a public API (the YouTube Data API with the installation's key, the TikTok
Research API where the installation has access), a public embed (TikTok's oEmbed: author and caption),
then what microreach already holds about the creator's account (a sync or an import, said as such). When
a better source failed and a lesser one gave the post, the fields the lesser one lacks say why the better
one did not give them (rate limited, not in the Research API's data yet…). A failure that may pass later
(rate limited, unreachable) has the verification job run again (the jobs' back-off). Each check is *passed*, *failed* or *could not verify* with its reason, never passed without the
data: a field the source does not give (oEmbed has no publish time nor media type) is "could not
verify", not a guess. The text checks (mentions, hashtags, disclosure per jurisdiction) are the drafts'
own (``content_checks.draft_checks``), so a published caption is judged by the same rules as its draft.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from microreach.sources.networks.base import (
    CredentialsRefused,
    NetworkError,
    NetworkPost,
    NetworkUnavailable,
    NotFound,
    PermissionMissing,
    RateLimited,
    TokenExpired,
    TokenRevoked,
    post_reference,
)
from microreach.sources.networks.tiktok_research import NotInResearchData
from microreach.web.campaigns import content_checks
from microreach.web.campaigns.choices import post_type_noun
from microreach.web.campaigns.models import Campaign, CampaignPost, PostCheck, PostCheckStatus
from microreach.web.connections.contracts import connected_post, embedded_post, public_post
from microreach.web.creators.contracts import post_id_for_link, post_stored
from microreach.web.engine_text import term
from microreach.web.jobs.contracts import job_enqueue

log = logging.getLogger("microreach.campaigns.verification")

TYPES_FILE = Path(__file__).resolve().parents[2] / "config" / "campaigns" / "deliverable_types.yaml"

# Networks whose post links microreach can read (``sources.networks.base.post_reference``): a link to
# anything else is refused for a deliverable on one of them.
LINKED_NETWORKS = ("youtube", "instagram", "tiktok")
LINK_EXAMPLES = {
    "youtube": "https://www.youtube.com/watch?v=…",
    "instagram": "https://www.instagram.com/reel/…",
    "tiktok": "https://www.tiktok.com/@name/video/…",
}


PASSED, FAILED, COULD_NOT_VERIFY = "passed", "failed", "could_not_verify"  # PostCheckStatus values
CHECK_ORDER = ("network", "account", "type", "window", "mentions", "hashtags", "disclosure")

CHECK_NAMES = {
    "network": gettext_lazy("Network"),
    "account": gettext_lazy("Published by the creator's account"),
    "type": gettext_lazy("Type of post"),
    "window": gettext_lazy("Published inside the window"),
    "mentions": gettext_lazy("Required mentions"),
    "hashtags": gettext_lazy("Required hashtags"),
    "disclosure": gettext_lazy("Disclosure"),
}

# The reason of a check, as a code with its parameters: said in the reader's language when shown.
REASONS = {
    # a network's name takes no article ("a Instagram post"): "a post on Instagram"
    "link": gettext_lazy("The link is a post on %(network)s."),
    "other_network": gettext_lazy("The link is a post on %(found)s; the brief asks for %(wanted)s."),
    "link_not_readable": gettext_lazy("microreach cannot read links of %(network)s posts."),
    "same_account": gettext_lazy("Published by @%(handle)s."),
    "other_account": gettext_lazy("Published by %(found)s, not by @%(handle)s."),
    # post types named as a sentence names them ("a reel": ``choices.post_type_noun``) when said
    "type_matches": gettext_lazy("This is %(found)s, which the brief accepts as %(wanted)s."),
    "type_is": gettext_lazy("This is %(found)s, as the brief asks."),  # type_matches of the very type
    "other_type": gettext_lazy("This is %(found)s; the brief asks for %(wanted)s."),
    "kind_unknown": gettext_lazy("microreach does not know which posts count as %(wanted)s."),
    "inside_window": gettext_lazy("Published on %(date)s, between %(start)s and %(end)s."),
    "outside_window": gettext_lazy("Published on %(date)s, outside the window %(start)s – %(end)s."),
    "all_present": gettext_lazy("All present: %(items)s."),
    "missing": gettext_lazy("Missing: %(items)s."),
    "nothing_required": gettext_lazy("The brief asks for none."),
    "disclosed": gettext_lazy("Disclosed as %(jurisdictions)s rules ask."),
    "not_disclosed": gettext_lazy("%(problems)s"),
    "equivalent_wording": gettext_lazy("%(problems)s"),
    # why the data is missing
    "no_source": gettext_lazy(
        "No source gives this post: the account is not connected and no public source covers %(network)s."
    ),
    "no_connected_account": gettext_lazy(
        "%(source)s does not give %(field)s; the creator can connect the account so that microreach reads it."
    ),
    "field_unavailable": gettext_lazy("%(source)s does not give %(field)s."),
    "not_found": gettext_lazy("The post was not found at %(network)s (deleted, private or a wrong link)."),
    "network_unreachable": gettext_lazy("%(network)s could not be reached; try again later."),
    "rate_limited": gettext_lazy(
        "%(network)s limits how often microreach may ask (rate limit reached): the check runs again later."
    ),
    "credentials_refused": gettext_lazy(
        "%(network)s refused this installation's app credentials: an administrator must set %(settings)s "
        "to those of an app with access."
    ),
    "research_not_found": gettext_lazy(
        "The TikTok Research API has no record of this post published between %(start)s and %(end)s. Its "
        "data lags TikTok by a few days: a new post may not be there yet, so verify again in a few days."
    ),
    "connection_lost": gettext_lazy(
        "The connection to %(network)s has expired or was withdrawn: the creator must connect again."
    ),
    "permission_missing": gettext_lazy("The connection to %(network)s lacks a permission (%(permission)s)."),
}

FIELD_NAMES = {
    "author": gettext_lazy("the author"),
    "media_type": gettext_lazy("the type of post"),
    "published_at": gettext_lazy("the publication time"),
    "caption": gettext_lazy("the caption"),
}

SOURCE_NAMES = {
    "connected_api": gettext_lazy("The connected account"),
    "public_api": gettext_lazy("The public API"),
    "file_import": gettext_lazy("An imported file"),
    "simulator": gettext_lazy("The simulator"),
    "manual": gettext_lazy("Data entered by hand"),
    "link": gettext_lazy("The link"),
}


@dataclass(frozen=True)
class Resolution:
    """The post as a source gives it, or why there is none (``reason`` with ``params``)."""

    post: NetworkPost | None
    source: str = ""
    fetched_at: datetime | None = None
    # without a post: why; with a post: why a better source did not give it (said for the fields missing)
    reason: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    # a source failed in a way that may pass later (rate limited, unreachable): verify again
    retryable: bool = False


@dataclass(frozen=True)
class CheckResult:
    check: str
    status: str
    reason: str
    params: dict[str, Any] = field(default_factory=dict)
    source: str = ""
    fetched_at: datetime | None = None


# A resolver returns the post, None when it has no way to get it (not connected, no key for this
# network), or raises ``NetworkError``; it is called with ``account_id``, ``network``, ``post_id``,
# ``url``, ``window`` (the campaign's publication days, or None) and ``submitted_at``. ``connections``
# gives the connected-account, public-API and embed resolvers; the stored data comes last.
Resolver = Callable[..., NetworkPost | None]
_RESOLVERS: list[tuple[str, Resolver]] = []


def resolver_register(name: str, resolver: Resolver, *, first: bool = False) -> None:
    """Add a way to fetch a post (``resolver(account_id=, network=, post_id=, url=, window=,
    submitted_at=)``); idempotent by name."""
    global _RESOLVERS
    kept = [(n, r) for n, r in _RESOLVERS if n != name]
    _RESOLVERS = [(name, resolver), *kept] if first else [*kept, (name, resolver)]


@lru_cache(maxsize=1)
def deliverable_types() -> dict[str, frozenset[str]]:
    data = yaml.safe_load(TYPES_FILE.read_text(encoding="utf-8"))
    return {str(kind).lower(): frozenset(str(t) for t in types) for kind, types in data["kinds"].items()}


def _deliverable_parts(deliverable: str) -> tuple[str, str]:
    """("tiktok", "video") from "tiktok video 1"."""
    words = deliverable.split()
    return (words[0].lower() if words else "", words[1].lower() if len(words) > 1 else "")


def wanted_networks(campaign: Campaign, deliverable: str = "") -> list[str]:
    """The networks a post may be on: the deliverable's, else the campaign's (its networks, else its
    deliverables')."""
    network, _kind = _deliverable_parts(deliverable)
    if network:
        return [network]
    if campaign.networks:
        return [str(n).lower() for n in campaign.networks]
    return sorted({str(d.get("network", "")).lower() for d in campaign.deliverables if d.get("network")})


def link_problem(*, campaign: Campaign, deliverable: str, url: str) -> str | None:
    """Why a link cannot be the published post of this deliverable (said to the creator), or None.

    For a deliverable on a network whose links microreach reads, the link must be a post of that network
    (``https://example.com`` is no TikTok post); other networks take any http(s) link.
    """
    wanted = [n for n in wanted_networks(campaign, deliverable) if n in LINKED_NETWORKS]
    if not wanted:
        return None
    if _deliverable_parts(deliverable)[1] in content_checks.content_policy().ephemeral_kinds:
        # a story's link dies within a day: its proof is the uploaded screen capture (``post_submit``)
        return None
    reference = post_reference(url)
    names = " / ".join(term("network", n) for n in wanted)
    examples = ", ".join(LINK_EXAMPLES[n] for n in wanted)
    if reference is None:
        return _("This is not a link to a post on %(network)s: give the post's own link (%(example)s).") % {
            "network": names,
            "example": examples,
        }
    if str(reference[0]) not in wanted:
        return _(
            "This is a link to a post on %(found)s; this deliverable is a post on %(network)s (%(example)s)."
        ) % {
            "found": term("network", reference[0]),
            "network": names,
            "example": examples,
        }
    return None


def _error_reason(exc: NetworkError, network: str) -> tuple[str, dict[str, Any]]:
    name = term("network", network)
    if isinstance(exc, NotInResearchData) and exc.searched:
        start, end = exc.searched
        return "research_not_found", {"network": name, "start": start.isoformat(), "end": end.isoformat()}
    if isinstance(exc, CredentialsRefused):
        return "credentials_refused", {"network": name, "settings": " / ".join(exc.settings) or "?"}
    if isinstance(exc, RateLimited):
        return "rate_limited", {"network": name}
    if isinstance(exc, NotFound):
        return "not_found", {"network": name}
    if isinstance(exc, TokenExpired | TokenRevoked):
        return "connection_lost", {"network": name}
    if isinstance(exc, PermissionMissing):
        return "permission_missing", {"network": name, "permission": exc.permission or "?"}
    if isinstance(exc, NetworkUnavailable | RateLimited):
        return "network_unreachable", {"network": name}
    return "network_unreachable", {"network": name}


def post_resolve(
    *,
    account_id: int,
    url: str,
    window: tuple[date, date] | None = None,
    submitted_at: datetime | None = None,
) -> Resolution:
    """The post behind a link, from the best source that gives it (see the module's docstring).
    ``window`` (the campaign's publication days) and ``submitted_at`` tell a source that searches by date
    (the TikTok Research API) where to look."""
    reference = post_reference(url)
    if reference is None:
        return Resolution(None, reason="link_not_readable", params={"network": "?"})
    network, post_id = str(reference[0]), reference[1]
    name = term("network", network)
    failure: tuple[str, dict[str, Any]] | None = None
    retryable = False
    for resolver_name, resolver in _RESOLVERS:
        try:
            post = resolver(
                account_id=account_id,
                network=network,
                post_id=post_id,
                url=url,
                window=window,
                submitted_at=submitted_at,
            )
        except NetworkError as exc:
            # the reason is a code; the exception's text never holds a token (sources.networks.base)
            log.info("post resolve via %s failed: %s", resolver_name, exc.code)
            retryable = retryable or exc.retryable
            reason = _error_reason(exc, network)
            if failure is None or reason[0] != "not_found":
                failure = reason
            continue
        if post is not None:
            reason_code, params = failure or ("", {})
            return Resolution(
                post,
                source=str(post.source),
                fetched_at=post.fetched_at,
                reason=reason_code,
                params=params,
                retryable=retryable,
            )
    if failure is not None:
        return Resolution(None, reason=failure[0], params=failure[1], retryable=retryable)
    return Resolution(None, reason="no_source", params={"network": name})


def _missing(resolution: Resolution, field_name: str) -> CheckResult:
    """A check without its data: why (no post at all, or the source lacks this field)."""
    if resolution.post is None:
        return CheckResult("", COULD_NOT_VERIFY, resolution.reason, dict(resolution.params))
    if resolution.reason:
        # a better source failed: why it did not give the field says more than what this one lacks
        return CheckResult(
            "",
            COULD_NOT_VERIFY,
            resolution.reason,
            dict(resolution.params),
            resolution.source,
            resolution.fetched_at,
        )
    reason = "field_unavailable" if resolution.source == "connected_api" else "no_connected_account"
    return CheckResult(
        "",
        COULD_NOT_VERIFY,
        reason,
        {"source": resolution.source, "field": field_name},
        resolution.source,
        resolution.fetched_at,
    )


def _result(check: str, result: CheckResult) -> CheckResult:
    return CheckResult(check, result.status, result.reason, result.params, result.source, result.fetched_at)


def _normal_handle(value: str | None) -> str:
    return (value or "").strip().lstrip("@").lower()


def post_checks(
    *,
    campaign: Campaign,
    deliverable: str,
    url: str,
    account_handle: str,
    account_network_user_id: str,
    resolution: Resolution,
) -> list[CheckResult]:
    """Every check of one published post, in ``CHECK_ORDER``."""
    post, source, fetched_at = resolution.post, resolution.source, resolution.fetched_at

    def found(check: str, status: str, reason: str, **params: Any) -> CheckResult:
        return CheckResult(check, status, reason, params, source, fetched_at)

    results: list[CheckResult] = []
    # network: what the link itself says
    reference = post_reference(url)
    wanted = wanted_networks(campaign, deliverable)
    wanted_names = " / ".join(term("network", n) for n in wanted)
    if reference is None:
        results.append(
            CheckResult("network", COULD_NOT_VERIFY, "link_not_readable", {"network": wanted_names}, "link")
        )
    else:
        link_network = str(reference[0])
        name = term("network", link_network)
        if wanted and link_network not in wanted:
            results.append(
                CheckResult(
                    "network", FAILED, "other_network", {"found": name, "wanted": wanted_names}, "link"
                )
            )
        else:
            results.append(CheckResult("network", PASSED, "link", {"network": name}, "link"))
    # account
    handle = _normal_handle(account_handle)
    if post is None:
        results.append(_result("account", _missing(resolution, "author")))
    elif post.account_id and account_network_user_id:
        if post.account_id == account_network_user_id:
            results.append(found("account", PASSED, "same_account", handle=handle))
        else:
            shown = f"@{post.handle}" if post.handle else post.account_id
            results.append(found("account", FAILED, "other_account", found=shown, handle=handle))
    elif post.handle:
        if _normal_handle(post.handle) == handle:
            results.append(found("account", PASSED, "same_account", handle=handle))
        else:
            results.append(found("account", FAILED, "other_account", found=f"@{post.handle}", handle=handle))
    else:
        results.append(_result("account", _missing(resolution, "author")))
    # type
    _network, kind = _deliverable_parts(deliverable)
    allowed = deliverable_types().get(kind)
    if kind and allowed is None:
        results.append(CheckResult("type", COULD_NOT_VERIFY, "kind_unknown", {"wanted": kind}))
    elif not kind:
        results.append(CheckResult("type", PASSED, "nothing_required", {}))
    elif post is None or post.media_type is None:
        results.append(_result("type", _missing(resolution, "media_type")))
    elif str(post.media_type) in (allowed or ()):
        results.append(found("type", PASSED, "type_matches", found=str(post.media_type), wanted=kind))
    else:
        results.append(found("type", FAILED, "other_type", found=str(post.media_type), wanted=kind))
    # window, in the installation's time zone (the campaign's dates are calendar days)
    if post is None or post.published_at is None:
        results.append(_result("window", _missing(resolution, "published_at")))
    else:
        day = timezone.localtime(post.published_at).date()
        dates = {
            "date": day.isoformat(),
            "start": campaign.publication_start.isoformat(),
            "end": campaign.publication_end.isoformat(),
        }
        inside = campaign.publication_start <= day <= campaign.publication_end
        results.append(
            found(
                "window",
                PASSED if inside else FAILED,
                "inside_window" if inside else "outside_window",
                **dates,
            )
        )
    results.extend(_text_checks(campaign=campaign, resolution=resolution))
    return results


def _text_checks(*, campaign: Campaign, resolution: Resolution) -> list[CheckResult]:
    post, source, fetched_at = resolution.post, resolution.source, resolution.fetched_at
    mentions = ["@" + str(m).strip().lstrip("@") for m in campaign.mandatory_mentions]
    hashtags = ["#" + str(t).strip().lstrip("#") for t in campaign.mandatory_hashtags]
    jurisdictions = [str(j).upper() for j in campaign.jurisdictions]
    wanted = {"mentions": mentions, "hashtags": hashtags, "disclosure": jurisdictions}
    if post is None or post.caption is None:
        return [
            _result(check, _missing(resolution, "caption"))
            if items
            else CheckResult(check, PASSED, "nothing_required")
            for check, items in wanted.items()
        ]
    items = content_checks.draft_checks(
        caption=post.caption,
        jurisdictions=jurisdictions,
        mandatory_mentions=list(campaign.mandatory_mentions),
        mandatory_hashtags=list(campaign.mandatory_hashtags),
    )
    results = []
    for check, code in (("mentions", "missing_mention"), ("hashtags", "missing_hashtag")):
        if not wanted[check]:
            results.append(CheckResult(check, PASSED, "nothing_required"))
            continue
        missing = [str(i.params.get("m") or i.params.get("t")) for i in items if i.code == code]
        if missing:
            results.append(
                CheckResult(check, FAILED, "missing", {"items": ", ".join(missing)}, source, fetched_at)
            )
        else:
            results.append(
                CheckResult(
                    check, PASSED, "all_present", {"items": ", ".join(wanted[check])}, source, fetched_at
                )
            )
    if not jurisdictions:
        results.append(CheckResult("disclosure", PASSED, "nothing_required"))
        return results
    disclosure = [i for i in items if i.jurisdiction]
    errors = [i for i in disclosure if i.severity == content_checks.ERROR]
    confirm = [i for i in disclosure if i.severity == content_checks.CONFIRM]
    # stored as the drafts' check items (code + parameters), said in the reader's language when shown
    if errors:
        results.append(
            CheckResult(
                "disclosure",
                FAILED,
                "not_disclosed",
                {"items": content_checks.as_json(errors)},
                source,
                fetched_at,
            )
        )
    elif confirm:
        results.append(
            CheckResult(
                "disclosure",
                COULD_NOT_VERIFY,
                "equivalent_wording",
                {"items": content_checks.as_json(confirm)},
                source,
                fetched_at,
            )
        )
    else:
        results.append(
            CheckResult(
                "disclosure",
                PASSED,
                "disclosed",
                {"jurisdictions": ", ".join(jurisdictions)},
                source,
                fetched_at,
            )
        )
    return results


# Reasons whose ``found`` / ``wanted`` are post types, stored as codes ("reel").
TYPE_REASONS = ("type_matches", "other_type", "kind_unknown")


def reason_text(reason: str, params: dict[str, Any]) -> str:
    """A check's reason in the active language."""
    values = dict(params)
    if reason in TYPE_REASONS:
        if reason == "type_matches" and str(values.get("found", "")) == str(values.get("wanted", "")):
            reason = "type_is"
        for name in ("found", "wanted"):
            if name in values:
                values[name] = post_type_noun(str(values[name]))
    template = REASONS.get(reason)
    if template is None:
        return reason
    if "items" in values and isinstance(values["items"], list):
        values["problems"] = " ".join(c["message"] for c in content_checks.checks_shown(values["items"]))
    if "source" in values:
        values["source"] = str(SOURCE_NAMES.get(str(values["source"]), values["source"]))
    if "field" in values:
        values["field"] = str(FIELD_NAMES.get(str(values["field"]), values["field"]))
    try:
        return str(template) % values
    except (KeyError, TypeError, ValueError):
        return str(template)


def checks_shown(checks: list[PostCheck]) -> list[dict[str, Any]]:
    """Stored checks as a page shows them: name, status, reason and the data's source and age."""
    order = {code: i for i, code in enumerate(CHECK_ORDER)}
    shown = []
    for row in sorted(checks, key=lambda c: order.get(c.check_code, len(order))):
        shown.append(
            {
                "check": row.check_code,
                "name": str(CHECK_NAMES.get(row.check_code, row.check_code)),
                "status": row.status,
                "status_label": str(PostCheckStatus(row.status).label),
                "reason": reason_text(row.reason, row.params),
                "source": row.source,
                "source_label": str(SOURCE_NAMES.get(row.source, row.source)) if row.source else "",
                "fetched_at": row.fetched_at,
            }
        )
    return shown


def checks_grouped(shown: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The checks as a page lists them: those with the same result, reason and source on one row naming them
    all (``names``), at the place of the first; six checks the source could not answer say why once."""
    rows: dict[tuple[str, str, str], dict[str, Any]] = {}
    for check in shown:
        key = (check["status"], check["reason"], check["source"])
        row = rows.get(key)
        if row is None:
            rows[key] = {**check, "names": [check["name"]], "codes": [check["check"]]}
            continue
        row["names"].append(check["name"])
        row["codes"].append(check["check"])
        if check["fetched_at"] and (row["fetched_at"] is None or check["fetched_at"] > row["fetched_at"]):
            row["fetched_at"] = check["fetched_at"]
    return list(rows.values())


def verification_status(statuses: list[str]) -> str:
    """One word for a post: "failed" if any check failed, "passed" if all passed, else "partial";
    "pending" before the checks ran."""
    if not statuses:
        return "pending"
    if FAILED in statuses:
        return FAILED
    if all(s == PASSED for s in statuses):
        return PASSED
    return "partial"


def campaign_post_verify(*, campaign_post_id: int) -> dict[str, int]:
    """Resolve a campaign post's link and store its checks (one row per check, replaced on each run)."""
    post = (
        CampaignPost.objects.select_related("application__campaign", "application__account")
        .filter(pk=campaign_post_id)
        .first()
    )
    if post is None:
        return {"checks": 0}
    app = post.application
    account = app.account
    # network calls outside any transaction: the rows are written in one short transaction after
    campaign = app.campaign
    resolution = post_resolve(
        account_id=account.pk,
        url=post.url,
        window=(campaign.publication_start, campaign.publication_end),
        submitted_at=post.published_at,  # set when the creator gave the link
    )
    results = post_checks(
        campaign=app.campaign,
        deliverable=post.deliverable,
        url=post.url,
        account_handle=account.handle,
        account_network_user_id=account.network_user_id,
        resolution=resolution,
    )
    now = timezone.now()
    with transaction.atomic():
        for result in results:
            PostCheck.objects.update_or_create(
                campaign_post=post,
                check_code=result.check,
                defaults={
                    "organisation_id": post.organisation_id,
                    "status": result.status,
                    "reason": result.reason,
                    "params": result.params,
                    "source": result.source,
                    "fetched_at": result.fetched_at,
                    "checked_at": now,
                },
            )
        CampaignPost.objects.filter(pk=post.pk).update(verified_at=now)
        if post.post_id is None:
            # the post synced since it was submitted: the campaign's figures now come from it
            found = post_id_for_link(account_id=account.pk, url=post.url)
            if found is not None:
                CampaignPost.objects.filter(pk=post.pk).update(post_id=found)
    return {
        "checks": len(results),
        "failed": sum(r.status == FAILED for r in results),
        "retry": int(resolution.retryable),
    }


def posts_verify_after_limits(*, now: datetime, limit: int = 500) -> int:
    """Verify again, once per UTC day, the posts whose last verification met a rate limit and ran before
    the last 00:00 UTC: the daily limits (the TikTok Research API's 1,000 requests) reset then, long after
    the verification job's own retries gave up. Returns the jobs enqueued."""
    midnight = datetime.combine(now.astimezone(UTC).date(), time.min, UTC)
    waiting = (
        CampaignPost.objects.filter(verified_at__lt=midnight, checks__reason="rate_limited")
        .values_list("pk", flat=True)
        .distinct()
        .order_by("pk")
    )
    count = 0
    for post_id in list(waiting[:limit]):
        job_enqueue(
            kind="campaigns.post_verify",
            payload={"campaign_post_id": post_id},
            key=f"post_verify:{post_id}:after_limit:{midnight.date().isoformat()}",
        )
        count += 1
    return count


def _stored_post(
    *,
    account_id: int,
    network: str,
    post_id: str | None,
    url: str,
    window: tuple[date, date] | None = None,
    submitted_at: datetime | None = None,
) -> NetworkPost | None:
    """What microreach already holds about the post under the creator's account (a sync or an import)."""
    return post_stored(account_id=account_id, network=network, post_id=post_id, url=url)


def running_campaign_account_ids() -> set[int]:
    """Accounts of accepted creators in a running campaign: their posts are synced every 15 minutes."""
    from microreach.web.campaigns.machine import A, C
    from microreach.web.campaigns.models import Application

    live = [A.ACCEPTED, A.SHIPPED, A.RECEIVED, A.CONTENT_SUBMITTED, A.APPROVED, A.PUBLISHED]
    return set(
        Application.objects.filter(campaign__state=C.RUNNING, state__in=live).values_list(
            "account_id", flat=True
        )
    )


# best source first: the creator's connected account, a public API, a public embed, then what microreach holds
resolver_register("connected", connected_post)
resolver_register("public", public_post)
resolver_register("embedded", embedded_post)
resolver_register("stored", _stored_post)


def posts_shown(*, application_id: int) -> list[dict[str, Any]]:
    """Each published post of an application with its checks as shown (the caller checked access)."""
    posts = (
        CampaignPost.objects.filter(application_id=application_id)
        .prefetch_related("checks")
        .order_by("published_at", "id")
    )
    shown = []
    for post in posts:
        checks = list(post.checks.all())
        shown_checks = checks_shown(checks)
        shown.append(
            {
                "post": post,
                "checks": shown_checks,
                "rows": checks_grouped(shown_checks),  # as the page lists them
                "status": verification_status([c.status for c in checks]),
            }
        )
    return shown
