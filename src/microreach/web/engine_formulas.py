"""The engine's formulas in the reader's words.

Each audit records the formula of a figure as the engine wrote it (``Evidence.formula``,
``core.engagement.FormulaSpec.text``); the pages say it in the active language (``formula_text``), its
field names translated and its numbers written the language's way. The API keeps the recorded text.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext_lazy

from microreach.web import formatting

# The engine's formulas (``Evidence.formula``, ``core.engagement.FormulaSpec.text``) as recorded, each said by
# ``formula_text``: a pattern of the recorded text, the sentence, and which of its parts are field names
# (``fields``: "likes + comments"; ``field``: one) or numbers. The API keeps the recorded text.
FORMULA_FIELDS = {
    "likes": gettext_lazy("likes"),
    "comments": gettext_lazy("comments"),
    "shares": gettext_lazy("shares"),
    "saves": gettext_lazy("saves"),
    "followers": gettext_lazy("followers"),
    "views": gettext_lazy("views"),
    "reach": gettext_lazy("reach"),
    "mean": gettext_lazy("mean"),
    "median": gettext_lazy("median"),
}
_FIELDS = r"\((?P<fields>[a-z]+(?: \+ [a-z]+)*)\)"
_NUMBER = r"[\d.]+"
FORMULAS: tuple[tuple[re.Pattern[str], Any], ...] = tuple(
    (re.compile(pattern), words)
    for pattern, words in (
        (
            rf"(?P<aggregate>mean|median) over posts of {_FIELDS} / (?P<basis>[a-z]+)",
            gettext_lazy("%(aggregate)s over posts of (%(fields)s) / %(basis)s"),
        ),
        (rf"{_FIELDS} / (?P<basis>[a-z]+)", "(%(fields)s) / %(basis)s"),
        (
            r"per post \((?P<fields>[a-z]+(?: \+ [a-z]+)*), where present\) / (?P<basis>[a-z]+); mean and median",
            gettext_lazy("per post (%(fields)s, where present) / %(basis)s; mean and median"),
        ),
        (
            "min_followers <= followers < max_followers",
            gettext_lazy("the tier’s lower bound ≤ followers < the tier’s upper bound"),
        ),
        (
            r"sponsored / posts; compliant / sponsored; answered / top-level comments; "
            r"cosine\(terms older half, terms newer half\)",
            gettext_lazy(
                "sponsored posts / posts; properly disclosed / sponsored posts; answered / top-level comments; "
                "cosine similarity of the words of the older and the newer half of the posts"
            ),
        ),
        (
            r"RG = \(apparent \+ Sp − 1\) / \(Se \+ Sp − 1\); interval: parametric bootstrap over "
            r"apparent \(Jeffreys\), Se and Sp \(Beta on validation counts\)",
            gettext_lazy(
                "true share = (flagged share + Sp − 1) / (Se + Sp − 1), Se and Sp being the model’s sensitivity "
                "and specificity; interval: parametric bootstrap over the flagged share (Jeffreys), Se and Sp "
                "(Beta on the validation counts)"
            ),
        ),
        (
            r"share = maximum-likelihood π of the sample's score histogram .*one reference generator per draw",
            gettext_lazy(
                "share = the π that best explains the sample’s score histogram as π · fake + (1 − π) · real "
                "score distributions (maximum likelihood); interval: Bayesian bootstrap of the sample, with the "
                "distributions of one reference generator per draw"
            ),
        ),
        (
            r"share = π whose mean reference mixture .*widened as calibrated on held-out generators",
            gettext_lazy(
                "share = the π whose mixture (1 − π) · real + π · fake of the reference distributions best "
                "explains the sample’s score histogram, the reference generators’ disagreement counted as "
                "error (random-effects least squares); interval: where that fit stays within the 90 % bound, "
                "widened as calibrated on held-out generators"
            ),
        ),
        (
            r"suspicious = P\(fake\) ≥ threshold; influencer = followers > 5,000 and following < 1,500; "
            r"mass_follower = following > 1,500; reachability = share following < 1,500",
            gettext_lazy(
                "suspicious: probability of being fake ≥ the model’s threshold; influencer: more than 5,000 "
                "followers and following fewer than 1,500 accounts; mass follower: following more than 1,500 "
                "accounts; reachability: share of followers following fewer than 1,500 accounts"
            ),
        ),
        (
            rf"z = \(Δ − k·rolling_median\(Δ/k\)\) / \(1\.4826·MAD·√k\); \|z\| ≥ (?P<z>{_NUMBER}) and "
            rf"\|excess\| ≥ max\((?P<least>{_NUMBER}), (?P<share>{_NUMBER})% of count\)",
            gettext_lazy(
                "z = (Δ − k·rolling median(Δ/k)) / (1.4826·MAD·√k), Δ being a change over k days; flagged when "
                "|z| ≥ %(z)s and the excess ≥ the larger of %(least)s and %(share)s of the count"
            ),
        ),
        (
            rf"pairs with ≥ (?P<pair_posts>{_NUMBER}) posts commented within (?P<minutes>{_NUMBER}) min; "
            rf"reciprocal graph; Louvain communities ≥ (?P<size>{_NUMBER}); flagged if reciprocity ≥ "
            rf"(?P<reciprocity>{_NUMBER}), density ≥ (?P<density>{_NUMBER}) and ≥ (?P<signals>{_NUMBER}) of: "
            rf"median delay ≤ (?P<fast>{_NUMBER}) min, generic share ≥ (?P<generic>{_NUMBER}), "
            rf"coverage ≥ (?P<coverage>{_NUMBER})",
            gettext_lazy(
                "accounts that commented on at least %(pair_posts)s of each other’s posts within %(minutes)s min "
                "of publication; reciprocal graph; Louvain communities of at least %(size)s accounts; flagged if "
                "reciprocity ≥ %(reciprocity)s, density ≥ %(density)s and at least %(signals)s of: median delay "
                "≤ %(fast)s min, share of generic comments ≥ %(generic)s, coverage of the posts ≥ %(coverage)s"
            ),
        ),
    )
)


def formula_text(formula: object) -> str:
    """A recorded formula in the reader's words (``median over posts of (likes + comments) / views`` →
    "médiane sur les publications de (j’aime + commentaires) / vues"): the same formula, its field names and
    words in the active language, its numbers the language's way; one this module does not know is shown as
    recorded."""
    text = "" if formula is None else str(formula)
    for pattern, words in FORMULAS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        params: dict[str, object] = {}
        for name, value in match.groupdict().items():
            if name == "fields":
                params[name] = " + ".join(_formula_word(field) for field in value.split(" + "))
            elif name in ("aggregate", "basis"):
                params[name] = _formula_word(value)
            elif name == "share":
                params[name] = formatting.percent_points(value)
            else:
                params[name] = formatting.decimal_text(value)
        return str(words) % params
    return text


def _formula_word(word: str) -> str:
    label = FORMULA_FIELDS.get(word)
    return str(label) if label is not None else word
