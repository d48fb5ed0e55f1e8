"""What a creator may reply to (right of reply), and where an audit's figures come from.

A *flag* is one finding of an audit that weighs against the creator: a reason of the risk verdict
(``core.risk`` code, key empty), a growth anomaly (key ``series:date``), a flagged engagement pod (key: the
pod's id), fake followers above the red-flag line, an undisclosed sponsored post (key: the post's id). A
reply is keyed by (account, code, key), so it stays beside the occurrence it answers when the audit runs
again; a reply whose finding the newest audit no longer shows is still listed, with the finding as it was.

*Sources* are the account's stored data per kind and source (``creators.contracts.account_data_sources``)
said as ``followers from Instagram API, 3 days old`` (``engine_text.source_text``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from microreach.core.authenticity import RED_FLAG_MASS_AND_SUSPICIOUS
from microreach.core.risk import EVIDENCE_SECTION
from microreach.web import engine_text, formatting
from microreach.web.audits.models import AuditAnswer
from microreach.web.creators import contracts as creators
from microreach.web.post_names import post_name

REPLY_MAX_CHARS = 500


def fake_followers_red_flag_text() -> str:
    """The audience red flag (``core.authenticity``): ``mass followers and suspicious accounts above 25%``."""
    return _("mass followers and suspicious accounts above %(share)s") % {
        "share": formatting.percent(RED_FLAG_MASS_AND_SUSPICIOUS, 0)
    }


@dataclass(frozen=True)
class Reply:
    code: str
    key: str
    params: dict[str, Any]
    text: str
    updated_at: datetime


@dataclass(frozen=True)
class Flag:
    """A finding a creator may answer: its code and key, its parameters, its sentence, the audit page
    section that shows its evidence, and the creator's reply when there is one."""

    code: str
    key: str
    params: dict[str, Any]
    text: str
    section: str
    reply: Reply | None = None

    @property
    def label(self) -> str:
        return engine_text.term("flag", self.code) if self.key or self.code.startswith("flag_") else ""


def flag_text(
    code: str, params: Mapping[str, Any], posts: Mapping[str, creators.PostNaming] | None = None
) -> str:
    """The sentence of a flag in the reader's language (a verdict reason through ``finding_text``); a post
    is named by its day and the first words of its caption when ``posts`` has it (``web.post_names``),
    else by its day — never by the network's post id."""
    when = params.get("date")
    day = formatting.day(date.fromisoformat(str(when)[:10])) if when else ""
    if code in ("flag_growth_spike", "flag_growth_drop"):
        change = int(params.get("change") or 0)
        size = ("+" if change > 0 else "") + formatting.number(change)
        return _("%(flag)s of %(change)s %(series)s on %(date)s") % {
            "flag": engine_text.term("flag", code),
            "change": size,
            "series": engine_text.term("series", params.get("series", "followers")),
            "date": day,
        }
    if code == "flag_pod":
        # named by its size, never by its id (``pod-instagram:<a member's handle>`` names another creator)
        members = int(params.get("members") or 0)
        if not members:
            return _("comments from an engagement pod")
        return ngettext(
            "comments from an engagement pod of %(count)s account",
            "comments from an engagement pod of %(count)s accounts",
            members,
        ) % {"count": formatting.number(members)}
    if code == "flag_fake_followers":
        return fake_followers_red_flag_text()
    if code == "flag_undisclosed_post":
        found = (posts or {}).get(str(params.get("post", "")))
        name = post_name(found.published_at, found.caption) if found else post_name(when, "")
        return _("%(post)s: sponsored, not properly disclosed") % {"post": name}
    return engine_text.finding_text({"code": code, "params": dict(params)})


def audit_flags(
    *, risk: Mapping[str, Any] | None, result: Mapping[str, Any] | None, account_id: int | None = None
) -> list[Flag]:
    """The flagged findings of one stored audit, the verdict's reasons first, without replies. With the
    audited ``account_id``, a flagged post is named by its caption's first words too (else by its day)."""
    result = result or {}
    undisclosed = [
        s
        for s in (result.get("credibility") or {}).get("sponsored") or []
        if not (s.get("disclosed") and s.get("compliant"))
    ]
    posts = (
        creators.account_posts_by_network_id(
            account_id=account_id, network_post_ids=[str(s.get("post_id", "")) for s in undisclosed]
        )
        if account_id is not None and undisclosed
        else {}
    )

    def _flag(code: str, key: str, params: dict[str, Any], section: str) -> Flag:
        return Flag(code=code, key=key, params=params, text=flag_text(code, params, posts), section=section)

    flags: list[Flag] = []
    for reason in (risk or {}).get("reasons") or []:
        code = str(reason.get("code", "")) if isinstance(reason, Mapping) else ""
        if EVIDENCE_SECTION.get(code):
            flags.append(
                Flag(
                    code=code,
                    key="",
                    params=dict(reason.get("params") or {}),
                    text=engine_text.finding_text(reason),
                    section=EVIDENCE_SECTION[code],
                )
            )
    for a in (result.get("growth") or {}).get("anomalies") or []:
        code = f"flag_growth_{a.get('kind')}"
        if code in ("flag_growth_spike", "flag_growth_drop"):
            params = {"date": str(a["date"]), "series": a.get("series", ""), "change": a.get("change", 0)}
            flags.append(_flag(code, f"{a.get('series')}:{a['date']}", params, "growth"))
    pods = result.get("pods") or {}
    if pods.get("flagged"):
        pod = pods.get("pod") or {}
        pod_id = str(pod.get("pod_id") or "")
        params = {"pod": pod_id, "members": len(pod.get("members") or ())}
        flags.append(_flag("flag_pod", pod_id or "pod", params, "pods"))
    authenticity = result.get("authenticity") or {}
    if authenticity.get("red_flag"):
        flags.append(_flag("flag_fake_followers", "sample", {}, "authenticity"))
    for s in undisclosed:
        params = {"post": str(s.get("post_id", "")), "date": str(s.get("published_at", ""))[:10]}
        flags.append(_flag("flag_undisclosed_post", params["post"], params, "credibility"))
    return flags


def account_replies(*, account_id: int) -> list[Reply]:
    return [
        Reply(a.code, a.finding_key, dict(a.params or {}), a.text, a.updated_at)
        for a in AuditAnswer.objects.filter(account_id=account_id).order_by("code", "finding_key")
    ]


def flags_with_replies(*, flags: Iterable[Flag], replies: Iterable[Reply]) -> list[Flag]:
    """The flags each with its reply, then the replies whose finding this audit no longer shows (said as
    the finding was when the reply was written)."""
    by_key = {(r.code, r.key): r for r in replies}
    out: list[Flag] = []
    for f in flags:
        out.append(Flag(f.code, f.key, f.params, f.text, f.section, by_key.pop((f.code, f.key), None)))
    for r in by_key.values():
        out.append(
            Flag(r.code, r.key, r.params, flag_text(r.code, r.params), EVIDENCE_SECTION.get(r.code, ""), r)
        )
    return out


def reply_out(flag: Flag) -> dict[str, object]:
    """A flag and its reply in API answers."""
    return {
        "code": flag.code,
        "key": flag.key,
        "params": flag.params,
        "finding": flag.text,
        "reply": flag.reply.text if flag.reply else None,
        "replied_at": flag.reply.updated_at if flag.reply else None,
    }


@dataclass(frozen=True)
class SourceView:
    kind: str
    source: str
    rows: int
    first: date | None
    last: date | None
    fetched_at: datetime | None
    age_days: int | None
    text: str

    @property
    def used_for(self) -> str:
        """The audit figures this data feeds (``engine_text.TERMS["data_use"]``)."""
        return engine_text.term("data_use", self.kind)


def account_sources(
    *, account_id: int, network: str, organisation_ids: Collection[int] = (), now: datetime | None = None
) -> list[SourceView]:
    """Where the account's figures come from, per kind of data and source, with the data's age."""
    now = now or timezone.now()
    return [
        SourceView(
            kind=line.kind,
            source=line.source,
            rows=line.rows,
            first=line.first,
            last=line.last,
            fetched_at=line.fetched_at,
            age_days=engine_text.age_days(line.fetched_at, now),
            text=engine_text.source_text(line.kind, line.source, network, line.fetched_at, now),
        )
        for line in creators.account_data_sources(
            account_id=account_id, organisation_ids=list(organisation_ids)
        )
    ]


def source_out(view: SourceView) -> dict[str, object]:
    return {
        "kind": view.kind,
        "source": view.source,
        "rows": view.rows,
        "first": view.first,
        "last": view.last,
        "fetched_at": view.fetched_at,
        "age_days": view.age_days,
        "text": view.text,
    }
