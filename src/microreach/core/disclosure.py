"""Disclosure of commercial content: label detection, per-jurisdiction compliance, sponsorship signals.

One module for audited feeds and for campaign content approval (``check_disclosure``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from microreach.core.evidence import Finding, finding


@dataclass(frozen=True, slots=True)
class JurisdictionRule:
    """Disclosure rule of one jurisdiction (from ``config/disclosure.yaml``).

    ``accepted``: labels that disclose (case- and accent-insensitive; ``#x`` matches the hashtag only);
    ``max_position``: the label must start before this character (the "more" cut), ``None`` = anywhere;
    ``not_buried``: a label only inside a trailing block of ≥ 3 hashtags does not count;
    ``platform_label_ok``: the platform's paid-partnership label suffices on its own;
    ``restricted``: (category, keywords) whose promotion is banned or restricted.
    """

    code: str
    name: str
    source: str
    accepted: tuple[str, ...]
    max_position: int | None = None
    not_buried: bool = False
    platform_label_ok: bool = True
    restricted: tuple[tuple[str, tuple[str, ...]], ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DisclosureRules:
    version: str
    jurisdictions: tuple[JurisdictionRule, ...]
    ambiguous: tuple[str, ...]
    gifted: tuple[str, ...]
    promo_code_words: tuple[str, ...]
    affiliate_patterns: tuple[str, ...]
    country_jurisdictions: tuple[tuple[str, tuple[str, ...]], ...]
    default_jurisdictions: tuple[str, ...]
    # Wording that says a post is *not* commercial ("not an ad", "pas de pub"): a label inside it is no
    # label, and it outweighs weak evidence (a brand tag, ambiguous wording) but not a code, a link or the
    # platform label.
    denials: tuple[str, ...] = ()
    # A discount ("-15 %", "20% off") beside a code-shaped token (letters then digits: VELO20) is a promo
    # code even without a code word; regular expressions, case-insensitive.
    discount_patterns: tuple[str, ...] = ()

    def rule(self, code: str) -> JurisdictionRule | None:
        """The rule of a jurisdiction code (case-insensitive), or ``None``."""
        return next((r for r in self.jurisdictions if r.code == code.upper()), None)

    def for_country(self, country: str) -> tuple[str, ...]:
        """Jurisdictions applying to a creator's country (ISO 3166 alpha-2), else the defaults."""
        wanted = country.strip().upper()
        for code, jurisdictions in self.country_jurisdictions:
            if code == wanted:
                return jurisdictions
        return self.default_jurisdictions


@dataclass(frozen=True, slots=True)
class LabelMatch:
    label: str
    position: int
    kind: Literal["clear", "ambiguous", "gifted"]
    buried: bool


# What a verdict found, as a code with its parameters, so that a user interface can say it in its
# own language; ``Finding.text`` says it in English (reports, the CLI, logs).
FINDING_TEXT: dict[str, str] = {
    "platform_label": "platform paid-partnership label",
    "label_at": "label '{label}' at character {position}",
    "label_late": "label '{label}' after the first {limit} characters",
    "label_buried": "label '{label}' buried among trailing hashtags",
    "no_label": "no accepted label ({accepted}…)",
    "ambiguous": "ambiguous wording does not disclose: {wording}",
    "platform_label_not_enough": "the platform label alone is not enough here",
    "no_rule": "no disclosure rule for '{jurisdiction}'",
    "restricted_category": "mentions a restricted category ({category}: '{keyword}') — {rule}",
    # Evidence that a post is sponsored (detect_sponsorship).
    "paid_partnership": "paid-partnership label",
    "label": "label '{label}'",
    "wording": "{kind} wording '{label}'",
    "promo_code": "promo code {code}",
    "promo_code_mentioned": "promo code {code} with a brand mention",
    "affiliate_link": "affiliate link ({link})",
    "affiliate_link_mentioned": "affiliate link ({link}) with a brand mention",
    "discount_code": "discount with code {code}",
    "sponsor_tag": "tags @{brand}, a sponsor in other posts",
    "denied": "says it is not an ad ('{wording}')",
}


def _finding(code: str, /, **params: object) -> Finding:
    return finding(FINDING_TEXT, code, **params)


@dataclass(frozen=True, slots=True)
class JurisdictionVerdict:
    """``reasons`` / ``warnings`` are the English texts of ``findings`` / ``warning_findings``."""

    jurisdiction: str
    compliant: bool
    reasons: tuple[str, ...]
    warnings: tuple[str, ...]
    findings: tuple[Finding, ...] = ()
    warning_findings: tuple[Finding, ...] = ()


def _verdict(
    jurisdiction: str, compliant: bool, findings: list[Finding], warnings: list[Finding]
) -> JurisdictionVerdict:
    return JurisdictionVerdict(
        jurisdiction,
        compliant,
        tuple(f.text for f in findings),
        tuple(w.text for w in warnings),
        tuple(findings),
        tuple(warnings),
    )


@dataclass(frozen=True, slots=True)
class DisclosureCheck:
    """``disclosed``: a clear label or the platform label is present (anywhere); ``compliant``: every
    requested jurisdiction is satisfied; ``verdicts``: per jurisdiction with reasons."""

    disclosed: bool
    compliant: bool
    labels: tuple[LabelMatch, ...]
    verdicts: tuple[JurisdictionVerdict, ...]
    reasons: tuple[str, ...]
    rules_version: str


def fold_text(text: str) -> str:
    """Lower-case and strip accents (``Publicité`` → ``publicite``), keeping length-stable positions
    for ASCII text; used for all label matching."""
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    # One character in, one out (positions stay stable): a translation table of the non-ASCII characters.
    return lowered.translate({ord(ch): _fold_char(ch) for ch in set(lowered) if not ch.isascii()})


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    decomposed = unicodedata.normalize("NFKD", ch)
    return "".join(c for c in decomposed if not unicodedata.combining(c))[:1] or ch


@lru_cache(maxsize=4096)
def _label_pattern(label: str) -> re.Pattern[str]:
    folded = fold_text(label.strip())
    body = re.escape(folded).replace(r"\ ", r"[\s_-]*")
    end = r"(?![\w])" if folded[-1:].isalnum() else ""
    if folded.startswith("#") or folded.startswith("@"):
        return re.compile(rf"(?<![\w]){body}{end}")
    joined = body.replace(r"[\s_-]*", "")
    return re.compile(rf"(?<![\w#@]){body}{end}|#{joined}{end}")


@lru_cache(maxsize=4096)
def _first_word(label: str) -> str:
    """What every match of ``_label_pattern(label)`` contains as it is: the folded label up to its first
    space (a cheap substring test before the pattern)."""
    return fold_text(label.strip()).split(" ", 1)[0]


_TRAILING_TAGS = re.compile(r"((?:[#@][\w.]+[\s,.;·|]*){3,})$")


def _trailing_block_start(folded: str) -> int:
    match = _TRAILING_TAGS.search(folded.rstrip())
    return match.start() if match else len(folded) + 1


_LabelGroups = tuple[tuple[Literal["clear", "ambiguous", "gifted"], Sequence[str]], ...]


@lru_cache(maxsize=16)
def _label_groups(rules: DisclosureRules) -> tuple[_LabelGroups, re.Pattern[str] | None]:
    """The labels to look for by kind, and one pattern that finds any label's first word (None: some
    label has an empty first word, so every text must be searched): built once per rule set."""
    clear = {label for rule in rules.jurisdictions for label in rule.accepted}
    groups: _LabelGroups = (
        ("clear", sorted(clear)),
        ("ambiguous", rules.ambiguous),
        ("gifted", rules.gifted),
    )
    words = {_first_word(label) for _kind, labels in groups for label in labels}
    if "" in words:
        return groups, None
    return groups, re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) or r"(?!)")


def find_labels(*, text: str, rules: DisclosureRules) -> tuple[LabelMatch, ...]:
    """Every disclosure label in the text: clear (accepted by some jurisdiction), ambiguous (``#sp``,
    ``#partner``, "thanks @brand"…) or gifted; with its position and whether it is buried in a trailing
    block of ≥ 3 hashtags."""
    folded = fold_text(text)
    groups, any_first_word = _label_groups(rules)
    # Most captions carry no label: one search for every label's first word (a substring) skips them all.
    if any_first_word is not None and any_first_word.search(folded) is None:
        return ()
    block = _trailing_block_start(folded)
    denied = _denial_spans(folded, rules)
    found: dict[tuple[str, int], LabelMatch] = {}
    taken: set[int] = set()
    for kind, labels in groups:
        for label in labels:
            if _first_word(label) not in folded:
                continue
            for m in _label_pattern(label).finditer(folded):
                if m.start() in taken or any(lo <= m.start() < hi for lo, hi in denied):
                    continue
                found[(label, m.start())] = LabelMatch(label, m.start(), kind, m.start() >= block)
                taken.add(m.start())
    return tuple(sorted(found.values(), key=lambda x: x.position))


def _denial_spans(folded: str, rules: DisclosureRules) -> list[tuple[int, int]]:
    if not any(_first_word(d) in folded for d in rules.denials):
        return []
    return [(m.start(), m.end()) for d in rules.denials for m in _label_pattern(d).finditer(folded)]


@lru_cache(maxsize=256)
def _accepted_folded(accepted: tuple[str, ...]) -> frozenset[str]:
    """The accepted labels folded, each word label with its hashtag form too ("publicité" accepts
    "#publicité", "collaboration commerciale" "#collaborationcommerciale"): ``_label_pattern`` finds a word
    label written as a hashtag, so a jurisdiction that accepts the word accepts the hashtag. Folded once
    per rule: reports check thousands of captions against the same few rules."""
    folded = {fold_text(a.strip()) for a in accepted}
    tags = {"#" + re.sub(r"[\s_-]+", "", a) for a in folded if a and not a.startswith(("#", "@"))}
    return frozenset(folded | tags)


def _clear_for(rule: JurisdictionRule, labels: Sequence[LabelMatch]) -> list[LabelMatch]:
    accepted = _accepted_folded(rule.accepted)
    return [m for m in labels if m.kind == "clear" and fold_text(m.label) in accepted]


def check_disclosure(
    *,
    text: str,
    jurisdictions: Sequence[str],
    is_paid_partnership: bool,
    rules: DisclosureRules,
    labels: tuple[LabelMatch, ...] | None = None,
) -> DisclosureCheck:
    """Is commercial content properly disclosed under each jurisdiction?

    Per jurisdiction: compliant when the platform's paid-partnership label is set and the rule accepts
    it, or when one of its accepted labels appears before ``max_position`` characters and (if
    ``not_buried``) outside a trailing block of ≥ 3 hashtags. Ambiguous labels never suffice. Mentions
    of restricted categories are warnings. Unknown jurisdiction codes are reported, not ignored.
    ``labels``: ``find_labels`` of this text and rules when the caller has them already.
    """
    if labels is None:
        labels = find_labels(text=text, rules=rules)
    folded = fold_text(text)
    verdicts: list[JurisdictionVerdict] = []
    for code in jurisdictions:
        rule = rules.rule(code)
        if rule is None:
            verdicts.append(_verdict(code.upper(), False, [_finding("no_rule", jurisdiction=code)], []))
            continue
        reasons: list[Finding] = []
        warnings = [
            _finding("restricted_category", category=category, keyword=kw, rule=rule.name)
            for category, keywords in rule.restricted
            for kw in keywords
            if _label_pattern(kw).search(folded)
        ]
        good = _clear_for(rule, labels)
        ok = False
        if is_paid_partnership and rule.platform_label_ok:
            ok = True
            reasons.append(_finding("platform_label"))
        visible = [m for m in good if rule.max_position is None or m.position < rule.max_position]
        placed = [m for m in visible if not (rule.not_buried and m.buried)]
        if placed:
            ok = True
            reasons.append(_finding("label_at", label=placed[0].label, position=placed[0].position))
        elif not ok:
            if good and not visible:
                reasons.append(_finding("label_late", label=good[0].label, limit=rule.max_position))
            elif visible:
                reasons.append(_finding("label_buried", label=visible[0].label))
            else:
                reasons.append(_finding("no_label", accepted=", ".join(rule.accepted[:4])))
            ambiguous = [m.label for m in labels if m.kind != "clear"]
            if ambiguous:
                reasons.append(_finding("ambiguous", wording=", ".join(ambiguous)))
            if is_paid_partnership and not rule.platform_label_ok:
                reasons.append(_finding("platform_label_not_enough"))
        verdicts.append(_verdict(rule.code, ok, reasons, warnings))
    disclosed = is_paid_partnership or any(m.kind == "clear" for m in labels)
    compliant = bool(verdicts) and all(v.compliant for v in verdicts)
    reasons_all = tuple(f"{v.jurisdiction}: {r}" for v in verdicts for r in v.reasons)
    return DisclosureCheck(disclosed, compliant, labels, tuple(verdicts), reasons_all, rules.version)


_PROMO_CODE = r"(?:^|[^\w])(?:{words})\s*[:\-]?\s*[\"'«“]?\s*([A-Z0-9][A-Z0-9_-]{{2,19}})(?![\w])"


@lru_cache(maxsize=64)
def _promo_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))
    return re.compile(_PROMO_CODE.format(words=alternatives), re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class SponsorshipSignal:
    """``sponsored``: evidence of a commercial post; ``undisclosed``: sponsored without the platform
    label or any clear label; ``reasons`` says which evidence was found."""

    sponsored: bool
    disclosed: bool
    undisclosed: bool
    reasons: tuple[str, ...]
    findings: tuple[Finding, ...] = ()


def find_promo_code(*, text: str, rules: DisclosureRules) -> str | None:
    """A promo code after a code word ("code", "code promo", "use code", "Gutschein"…): 3–20 characters,
    upper-case letters / digits with at least one digit or at least 4 capitals; else ``None``."""
    for m in _promo_pattern(rules.promo_code_words).finditer(text):
        code = m.group(1)
        if code.upper() == code and (any(ch.isdigit() for ch in code) or len(code) >= 4):
            return code
    return None


_CODE_TOKEN = re.compile(r"(?<![\w@#/.])([A-Z][A-Z0-9]{1,14}[0-9]{1,3})(?![\w])")


@lru_cache(maxsize=64)
def _discount_pattern(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE) if patterns else None


def find_discount_code(*, text: str, rules: DisclosureRules) -> str | None:
    """A code given without a code word: a discount (``rules.discount_patterns``: "-15 %", "20% off"…) and,
    in the same text, a code-shaped token — capitals then 1–3 digits (VELO20, KICKS10); else ``None``."""
    pattern = _discount_pattern(rules.discount_patterns)
    if pattern is None or not pattern.search(text):
        return None
    match = _CODE_TOKEN.search(text)
    return match.group(1) if match else None


_MENTION = re.compile(r"(?<![\w.])@([\w.]*\w)")


def mentioned_handles(*, text: str, mentions: Sequence[str]) -> frozenset[str]:
    """Handles a post tags: its ``mentions`` and the @handles of its text, lower-cased without ``@``."""
    found = {m.strip().lstrip("@").lower() for m in mentions if m.strip()}
    found.update(m.lower() for m in _MENTION.findall(text))
    return frozenset(found)


def strong_sponsorship(
    *,
    text: str,
    is_paid_partnership: bool,
    rules: DisclosureRules,
    labels: tuple[LabelMatch, ...] | None = None,
) -> bool:
    """Evidence that stands on its own: the platform label, a clear label, a promo or discount code, an
    affiliate link (what makes a tagged account a known sponsor). ``labels``: ``find_labels`` of this
    text and rules when the caller has them already."""
    if is_paid_partnership:
        return True
    if labels is None:
        labels = find_labels(text=text, rules=rules)
    if any(m.kind == "clear" for m in labels):
        return True
    lowered = text.lower()
    return bool(
        find_promo_code(text=text, rules=rules)
        or find_discount_code(text=text, rules=rules)
        or any(p in lowered for p in rules.affiliate_patterns)
    )


def known_sponsors(
    *, posts: Sequence[tuple[str, str, Sequence[str], bool]], rules: DisclosureRules, min_accounts: int = 2
) -> frozenset[str]:
    """Handles tagged in posts with strong sponsorship evidence by at least ``min_accounts`` distinct
    accounts. ``posts`` items: (account key, caption, mentions, platform label)."""
    tagged_by: dict[str, set[str]] = {}
    for account, text, mentions, paid in posts:
        handles = mentioned_handles(text=text, mentions=mentions)
        if handles and strong_sponsorship(text=text, is_paid_partnership=paid, rules=rules):
            for handle in handles:
                tagged_by.setdefault(handle, set()).add(account)
    return frozenset(h for h, who in tagged_by.items() if len(who) >= min_accounts)


def detect_sponsorship(
    *,
    text: str,
    mentions: Sequence[str],
    is_paid_partnership: bool,
    rules: DisclosureRules,
    sponsors: frozenset[str] = frozenset(),
    labels: tuple[LabelMatch, ...] | None = None,
) -> SponsorshipSignal:
    """Sponsored when the platform label is set, a clear or ambiguous label (except "thanks @x"-style
    wording, no evidence alone) or a gifted wording is present, a promo code (after a code word, or a
    code-shaped token beside a discount) or an affiliate link appears (stronger with a brand @mention), or
    the post tags a known sponsor (``sponsors``: handles tagged in other posts that are clearly sponsored).
    A denial ("not an ad", "pas de pub") outweighs the weak evidence — ambiguous wording, a sponsor tag —
    never a code, a link or the platform label. Undisclosed = sponsored without platform label and
    without any clear label. ``labels``: ``find_labels`` of this text and rules when the caller has them
    already."""
    if labels is None:
        labels = find_labels(text=text, rules=rules)
    clear = [m for m in labels if m.kind == "clear"]
    folded_text = fold_text(text)
    denial = next(
        (d for d in rules.denials if _first_word(d) in folded_text and _label_pattern(d).search(folded_text)),
        None,
    )
    found: list[Finding] = []
    if is_paid_partnership:
        found.append(_finding("paid_partnership"))
    found += [_finding("label", label=m.label) for m in clear[:1]]
    # "thanks @x" is an inadequate disclosure when the post is paid, but on its own it is no evidence of
    # payment (people thank friends): only hashtag-style ambiguous labels and gifted wording count alone.
    weak = [
        _finding("wording", kind=m.kind, label=m.label)
        for m in labels
        if m.kind != "clear" and "@" not in m.label
    ]
    code = find_promo_code(text=text, rules=rules)
    discount = None if code else find_discount_code(text=text, rules=rules)
    folded = text.lower()
    link = next((p for p in rules.affiliate_patterns if p in folded), None)
    mentioned = bool(mentions) or "@" in text
    strong = bool(found) or bool(code or discount or link)
    if code:
        found.append(_finding("promo_code_mentioned" if mentioned else "promo_code", code=code))
    if discount:
        found.append(_finding("discount_code", code=discount))
    if link:
        found.append(_finding("affiliate_link_mentioned" if mentioned else "affiliate_link", link=link))
    tagged = sorted(mentioned_handles(text=text, mentions=mentions) & sponsors) if sponsors else []
    if denial is None or strong:
        found += weak
        if tagged and not found:
            found.append(_finding("sponsor_tag", brand=tagged[0]))
    if denial is not None and found:
        found.append(_finding("denied", wording=denial))
    sponsored = bool(found)
    disclosed = is_paid_partnership or bool(clear)
    return SponsorshipSignal(
        sponsored, disclosed, sponsored and not disclosed, tuple(f.text for f in found), tuple(found)
    )
