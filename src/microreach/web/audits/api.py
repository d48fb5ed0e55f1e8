from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Router

from microreach.web.accounts.contracts import TenantRequest
from microreach.web.audits import findings, selectors
from microreach.web.audits.schemas import AuditOut
from microreach.web.audits.summary_view import summary_out, summary_view
from microreach.web.creators.contracts import account_find
from microreach.web.errors import ErrorCode, NotFound

router = Router(tags=["audits"])


@router.get(
    "/{network}/{handle}",
    response=AuditOut,
    summary="The latest audit of an account, with every figure's definition, window and evidence",
)
def audit_detail(request: TenantRequest, network: str, handle: str):
    account = account_find(network=network, handle=handle, tenant=request.tenant)
    record = selectors.audit_latest(account_id=account.account_id, tenant=request.tenant)
    if record is None:
        raise NotFound(
            ErrorCode.NOT_AUDITED_YET,
            _("@%(handle)s has not been audited yet: audits run after each import.")
            % {"handle": account.handle},
        )
    view = summary_view(record)
    return {
        **summary_out(view),
        "account_id": account.account_id,
        "network": account.network,
        "handle": account.handle,
        "status": record.status,
        "confidence": record.confidence,
        "pod_flagged": record.pod_flagged,
        "growth_spikes": record.growth_spikes,
        "sponsored_share": record.sponsored_share,
        "undisclosed_posts": record.undisclosed_posts,
        "uses_own_follower_sample": record.organisation_id is not None
        and record.organisation_id in request.tenant.organisation_ids,
        "as_of": record.as_of,
        "data_from": record.data_from,
        "data_to": record.data_to,
        "versions": record.versions,
        "result": record.result,
        "creator_answers": selectors.audit_answers(account_id=account.account_id),
        "flags": [
            findings.reply_out(f)
            for f in findings.flags_with_replies(
                flags=findings.audit_flags(
                    risk=record.risk, result=record.result, account_id=account.account_id
                ),
                replies=findings.account_replies(account_id=account.account_id),
            )
        ],
        "sources": [
            findings.source_out(s)
            for s in findings.account_sources(
                account_id=account.account_id,
                network=account.network,
                organisation_ids=request.tenant.organisation_ids,
            )
        ],
    }
