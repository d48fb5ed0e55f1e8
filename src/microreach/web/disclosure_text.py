"""What the audit engine's disclosure findings (``core.disclosure.Finding``) say, in the active language.

The engine records each finding as a code with its parameters (and says it in English); the pages that
show them — a draft's content checks, the sponsored posts of an audit — say them here, so that a French
reader reads French whatever language the finding was recorded in. A code this module does not know is
shown by its English text when there is one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FINDINGS = {
    # How a jurisdiction's rule judged the disclosure (check_disclosure).
    "platform_label": gettext_lazy("platform paid-partnership label"),
    "label_at": gettext_lazy("label “%(label)s” at character %(position)s"),
    "label_late": gettext_lazy("label “%(label)s” after the first %(limit)s characters"),
    "label_buried": gettext_lazy("label “%(label)s” buried among trailing hashtags"),
    "no_label": gettext_lazy("no accepted label (%(accepted)s…)"),
    "ambiguous": gettext_lazy("ambiguous wording does not disclose: %(wording)s"),
    "platform_label_not_enough": gettext_lazy("the platform label alone is not enough here"),
    "no_rule": gettext_lazy("no disclosure rule for “%(jurisdiction)s”"),
    # Why a post counts as sponsored (detect_sponsorship).
    "paid_partnership": gettext_lazy("paid-partnership label"),
    "label": gettext_lazy("label “%(label)s”"),
    "promo_code": gettext_lazy("promo code %(code)s"),
    "promo_code_mentioned": gettext_lazy("promo code %(code)s with a brand mention"),
    "affiliate_link": gettext_lazy("affiliate link (%(link)s)"),
    "affiliate_link_mentioned": gettext_lazy("affiliate link (%(link)s) with a brand mention"),
}
WORDING = {
    "ambiguous": gettext_lazy("ambiguous wording “%(label)s”"),
    "gifted": gettext_lazy("gifted-product wording “%(label)s”"),
}


def finding_text(finding: Mapping[str, Any]) -> str:
    """One finding (``{"code", "params"}``); a ``j`` parameter (the jurisdiction) prefixes it."""
    code = str(finding.get("code", ""))
    params = dict(finding.get("params") or {})
    if code == "wording" and params.get("kind") in WORDING:
        text = str(WORDING[params["kind"]]) % params
    elif code in FINDINGS:
        text = str(FINDINGS[code]) % params
    else:
        return str(finding.get("text") or code)
    if params.get("j"):
        return _("%(j)s: %(finding)s") % {"j": params["j"], "finding": text}
    return text


def findings_text(findings: Iterable[Mapping[str, Any]]) -> str:
    return "; ".join(finding_text(f) for f in findings)
