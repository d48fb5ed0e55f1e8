"""Checks of a content draft against its brief and the disclosure rules of the campaign's jurisdictions.

The disclosure verdicts come from the audit engine (``core.disclosure.check_disclosure``); this module
grades them for campaign work (error, warning, or wording the brand must confirm) with the policy of
``config/campaigns/content_checks.yaml``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from django.utils import translation
from django.utils.translation import gettext_lazy

from microreach.config.loader import load_disclosure
from microreach.core.disclosure import (
    DisclosureRules,
    JurisdictionRule,
    check_disclosure,
    find_labels,
    fold_text,
)
from microreach.web.engine_text import findings_text

POLICY_FILE = Path(__file__).resolve().parents[2] / "config" / "campaigns" / "content_checks.yaml"

ERROR, WARNING, CONFIRM = "error", "warning", "confirm"


@dataclass(frozen=True)
class ContentPolicy:
    version: str
    late_label_severity: dict[str, str]
    equivalent_wording: dict[str, tuple[str, ...]]
    image_labels: dict[str, dict[str, str]]
    ephemeral_kinds: frozenset[str]


# What each check says, by code (the disclosure findings inside are said by web.engine_text): stored as a
# code with its parameters, a check is said in the reader's language when shown (a French brand reads
# in French the check an English-speaking creator triggered).
MESSAGES = {
    "missing_mention": gettext_lazy("The brief asks you to mention %(m)s."),
    "missing_hashtag": gettext_lazy("The brief asks for the hashtag %(t)s."),
    "restricted_category": gettext_lazy(
        "%(j)s: mentions a restricted category (%(category)s: “%(keyword)s”) — %(rule)s"
    ),
    "label_not_prominent": gettext_lazy(
        '%(j)s: the disclosure label must come first, before the "more" cut and outside the '
        "trailing hashtags (%(reason)s)."
    ),
    "equivalent_wording": gettext_lazy(
        "%(j)s: « %(w)s » may be an equivalent wording; the brand must confirm it."
    ),
    "label_missing": gettext_lazy("%(j)s: no clear disclosure label (%(reason)s)."),
    "missing_retouched_label": gettext_lazy("%(j)s: add « %(l)s »."),
    "missing_virtual_label": gettext_lazy("%(j)s: add « %(l)s »."),
}


def check_message(code: str, params: dict[str, Any]) -> str:
    """A check said in the active language (``reasons``: disclosure findings, said one by one)."""
    values = {name: value for name, value in params.items() if name != "reasons"}
    if "reasons" in params:
        values["reason"] = findings_text(params["reasons"])
    return str(MESSAGES[code]) % values


@dataclass(frozen=True)
class CheckItem:
    severity: str  # error | warning | confirm
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    jurisdiction: str = ""

    @property
    def message(self) -> str:
        return check_message(self.code, self.params)


def checks_shown(stored: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stored checks with their ``message`` in the active language (older rows keep the stored text)."""
    shown = []
    for check in stored:
        message = check.get("message", "")
        if check.get("code") in MESSAGES and "params" in check:
            message = check_message(check["code"], check["params"])
        shown.append({**check, "message": message})
    return shown


@lru_cache(maxsize=1)
def content_policy() -> ContentPolicy:
    data = yaml.safe_load(POLICY_FILE.read_text(encoding="utf-8"))
    return ContentPolicy(
        version=str(data["version"]),
        late_label_severity={k.upper(): v for k, v in data["late_label_severity"].items()},
        equivalent_wording={k.upper(): tuple(v) for k, v in data["equivalent_wording"].items()},
        image_labels={k.upper(): dict(v) for k, v in data["image_labels"].items()},
        ephemeral_kinds=frozenset(data["ephemeral_kinds"]),
    )


@lru_cache(maxsize=1)
def disclosure_rules() -> DisclosureRules:
    return load_disclosure()


def _equivalent_present(text: str, code: str, wording: tuple[str, ...]) -> str | None:
    """The first equivalent wording found, matched with core's label matcher (its own one-rule set)."""
    if not wording:
        return None
    rules = DisclosureRules(
        version="equivalent",
        jurisdictions=(JurisdictionRule(code=f"{code}-EQ", name="", source="", accepted=wording),),
        ambiguous=(),
        gifted=(),
        promo_code_words=(),
        affiliate_patterns=(),
        country_jurisdictions=(),
        default_jurisdictions=(),
    )
    found = [m for m in find_labels(text=text, rules=rules) if m.kind == "clear"]
    return found[0].label if found else None


def draft_checks(
    *,
    caption: str,
    jurisdictions: list[str],
    mandatory_mentions: list[str],
    mandatory_hashtags: list[str],
    declared_retouched: bool = False,
    declared_virtual: bool = False,
    is_paid_partnership: bool = False,
) -> list[CheckItem]:
    """Every finding on a draft's text: missing brief items, disclosure per jurisdiction, image labels."""
    policy = content_policy()
    rules = disclosure_rules()
    items: list[CheckItem] = []
    folded = fold_text(caption)
    for mention in mandatory_mentions:
        wanted = "@" + mention.strip().lstrip("@")
        if fold_text(wanted) not in folded:
            items.append(CheckItem(ERROR, "missing_mention", {"m": wanted}))
    for tag in mandatory_hashtags:
        wanted = "#" + tag.strip().lstrip("#")
        if fold_text(wanted) not in folded:
            items.append(CheckItem(ERROR, "missing_hashtag", {"t": wanted}))
    if jurisdictions:
        check = check_disclosure(
            text=caption, jurisdictions=jurisdictions, is_paid_partnership=is_paid_partnership, rules=rules
        )
        for verdict in check.verdicts:
            code = verdict.jurisdiction
            for warning in verdict.warning_findings:
                items.append(
                    CheckItem(WARNING, "restricted_category", {"j": code, **dict(warning.params)}, code)
                )
            if verdict.compliant:
                continue
            rule = rules.rule(code)
            accepted = {fold_text(a) for a in (rule.accepted if rule else ())}
            clear = [m for m in check.labels if m.kind == "clear" and fold_text(m.label) in accepted]
            reasons = [finding.as_dict() for finding in verdict.findings]
            if clear:
                severity = policy.late_label_severity.get(code, ERROR)
                items.append(
                    CheckItem(severity, "label_not_prominent", {"j": code, "reasons": reasons}, code)
                )
                continue
            equivalent = _equivalent_present(caption, code, policy.equivalent_wording.get(code, ()))
            if equivalent:
                items.append(CheckItem(CONFIRM, "equivalent_wording", {"j": code, "w": equivalent}, code))
                continue
            items.append(CheckItem(ERROR, "label_missing", {"j": code, "reasons": reasons}, code))
    for code in jurisdictions:
        labels = policy.image_labels.get(code.upper(), {})
        for declared, key in ((declared_retouched, "retouched"), (declared_virtual, "virtual")):
            label = labels.get(key)
            if declared and label and fold_text(label) not in folded:
                items.append(CheckItem(ERROR, f"missing_{key}_label", {"j": code, "l": label}, code))
    return items


def check_status(items: list[CheckItem]) -> str:
    severities = {i.severity for i in items}
    for level in (ERROR, CONFIRM, WARNING):
        if level in severities:
            return level
    return "ok"


def as_json(items: list[CheckItem]) -> list[dict[str, Any]]:
    """Stored form: code and parameters (said in the reader's language when shown, ``checks_shown``),
    and the message in English for whoever reads the raw data."""
    with translation.override("en"):
        return [{**dataclasses.asdict(i), "message": i.message} for i in items]
