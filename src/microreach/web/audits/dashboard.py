"""What the audits context shows on each role's home page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from microreach.web import engine_text, formatting
from microreach.web.accounts.contracts import Tenant
from microreach.web.audits import selectors
from microreach.web.audits.summary_view import SummaryView, summary_view
from microreach.web.home import Figure, Section


def sections(tenant: Tenant) -> list[Section]:
    if tenant.is_creator and tenant.user_id is not None:
        rows = []
        for record in selectors.audits_of_creator(user_id=tenant.user_id):
            view = summary_view(record)
            rows.append(
                (
                    f"@{record.account.handle}",
                    record.account.get_network_display(),
                    engine_text.term("tier", record.tier) if record.tier else "",
                    view.score_text,
                    f"{view.fake_text} ({view.fake_source_label})",
                    _risk_cell(view),
                    reverse("audits:account", args=[record.account.network, record.account.handle]),
                )
            )
        if not rows:
            return []
        return [
            Section(
                title=_("My audited figures"),
                headers=(
                    _("Handle"),
                    _("Network"),
                    _("Tier"),
                    _("Audience Quality Score"),
                    _("Fake followers"),
                    _("Risk"),
                ),
                rows=tuple(r[:6] for r in rows),
                links=(
                    (_("My audits: sources and replies"), reverse("audits:mine")),
                    *((_("Audit of @%(handle)s") % {"handle": r[0][1:]}, r[6]) for r in rows),
                ),
                text=_(
                    "Every brand sees these figures, except a brand that measured your followers on a sample "
                    "of its own: its fake-follower share and score come from that sample. Open an audit to "
                    "read its evidence and answer a flag."
                ),
                order=15,
            )
        ]
    if tenant.is_brand_side or tenant.is_operator:
        summary = selectors.audit_summary()
        if not summary["audited"]:
            return [
                Section(
                    title=_("Audits"),
                    text=_("No account audited yet: audits run after each import."),
                    order=25,
                )
            ]
        figures = (
            Figure(
                ngettext("account audited", "accounts audited", summary["audited"]),
                formatting.number(summary["audited"]),
            ),
            Figure(
                _("median Audience Quality Score"),
                formatting.number(summary["median_score"]),
            ),
            Figure(
                ngettext("account in an engagement pod", "accounts in an engagement pod", summary["pods"]),
                formatting.number(summary["pods"]),
            ),
            Figure(
                ngettext(
                    "account with undisclosed sponsored posts",
                    "accounts with undisclosed sponsored posts",
                    summary["undisclosed"],
                ),
                formatting.number(summary["undisclosed"]),
            ),
        )
        return [
            Section(
                title=_("Audits"),
                figures=figures,
                order=25,
                # the moment in words; the snapshot's id is for whoever reproduces an audit (its technical details)
                text=_("Each creator is compared with their peers as measured on %(when)s.")
                % {"when": formatting.moment(summary["population_as_of"])},
            )
        ]
    return []


def _risk_cell(view: SummaryView) -> str:
    """The risk verdict in a cell its column already labels "Risk": the level alone ("medium", never
    "Risk: Medium risk"), then the reasons that made it (as the audit summary lists them), so a creator
    reads why without opening the audit. A cell starts with a capital, as the others do."""
    if not view.audited:
        return capfirst(engine_text.term("risk_short", ""))
    level = capfirst(engine_text.term("risk_short", view.risk_level or "unknown"))
    if not view.risk_level or not view.reasons:
        return level
    return _("%(label)s: %(value)s") % {"label": level, "value": " · ".join(r.text for r in view.reasons)}
