from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from microreach.config.loader import load_disclosure
from microreach.core.disclosure import (
    check_disclosure,
    detect_sponsorship,
    find_labels,
    find_promo_code,
    strong_sponsorship,
)

RULES = load_disclosure()


def test_french_law_wording_at_start_is_compliant(config):
    check = check_disclosure(
        text="Publicité — ma routine avec @marque #skincare",
        jurisdictions=["FR"],
        is_paid_partnership=False,
        rules=config.disclosure,
    )
    assert check.compliant and check.disclosed
    assert check.verdicts[0].reasons == ("label 'publicité' at character 0",)


def test_ftc_rejects_ambiguous_and_buried_labels(config):
    sp = check_disclosure(
        text="Love it thanks @brand #sp",
        jurisdictions=["US"],
        is_paid_partnership=False,
        rules=config.disclosure,
    )
    assert not sp.compliant and not sp.disclosed
    assert "ambiguous wording does not disclose: thanks @, #sp" in sp.reasons[1]
    buried = check_disclosure(
        text="Great day at the beach #sun #sea #summer #ad #fun",
        jurisdictions=["US"],
        is_paid_partnership=False,
        rules=config.disclosure,
    )
    assert not buried.compliant
    assert buried.reasons == ("US: label '#ad' buried among trailing hashtags",)


def test_label_after_more_cut_fails_ftc(config):
    text = "x" * 130 + " #ad"
    check = check_disclosure(
        text=text, jurisdictions=["US"], is_paid_partnership=False, rules=config.disclosure
    )
    assert check.reasons == ("US: label '#ad' after the first 125 characters",)


def test_platform_label_per_jurisdiction(config):
    check = check_disclosure(
        text="New drop", jurisdictions=["US", "UK"], is_paid_partnership=True, rules=config.disclosure
    )
    assert [v.compliant for v in check.verdicts] == [True, False]
    assert check.disclosed and not check.compliant


def test_restricted_category_is_a_warning_and_unknown_jurisdiction_reported(config):
    check = check_disclosure(
        text="Publicité : mes pronostics du week-end",
        jurisdictions=["FR", "XX"],
        is_paid_partnership=False,
        rules=config.disclosure,
    )
    assert check.verdicts[0].compliant
    assert "sports predictions" in check.verdicts[0].warnings[0]
    assert check.verdicts[1].reasons == ("no disclosure rule for 'XX'",)


def test_multilingual_labels_found(config):
    labels = find_labels(text="#Werbung #anzeige #sponsorisé #publi #ad", rules=config.disclosure)
    assert [m.label for m in labels] == ["#werbung", "#anzeige", "#sponsorisé", "#publi", "#ad"]
    assert find_labels(text="#adventure time", rules=config.disclosure) == ()


def test_promo_code_and_affiliate_make_undisclosed_sponsorship(config):
    rules = config.disclosure
    code = detect_sponsorship(
        text="Use code ANNA15 on @shop", mentions=(), is_paid_partnership=False, rules=rules
    )
    assert code.undisclosed and code.reasons == ("promo code ANNA15 with a brand mention",)
    link = detect_sponsorship(
        text="my picks https://amzn.to/xyz", mentions=(), is_paid_partnership=False, rules=rules
    )
    assert link.undisclosed
    disclosed = detect_sponsorship(
        text="#ad code ANNA15", mentions=(), is_paid_partnership=False, rules=rules
    )
    assert disclosed.sponsored and not disclosed.undisclosed
    organic = detect_sponsorship(
        text="New dress code at work with @tom", mentions=("tom",), is_paid_partnership=False, rules=rules
    )
    assert not organic.sponsored
    assert find_promo_code(text="code promo: lea20", rules=rules) is None
    thanks = detect_sponsorship(
        text="Thanks @lea for the photo", mentions=(), is_paid_partnership=False, rules=rules
    )
    assert not thanks.sponsored
    gifted = detect_sponsorship(
        text="Offert par @marque, merci !", mentions=(), is_paid_partnership=False, rules=rules
    )
    assert gifted.undisclosed and gifted.reasons == ("gifted wording 'offert par'",)


@given(st.text(max_size=300), st.booleans())
def test_check_never_crashes(text, paid):
    check = check_disclosure(
        text=text, jurisdictions=["FR", "US", "EU"], is_paid_partnership=paid, rules=RULES
    )
    assert len(check.verdicts) == 3


def _signal(text: str, sponsors: frozenset[str] = frozenset()):
    return detect_sponsorship(
        text=text, mentions=(), is_paid_partnership=False, rules=RULES, sponsors=sponsors
    )


def test_subtle_sponsored_posts_are_seen():
    # given the cases issue 13 found missed: a label at the end, a partnership wording, a code without the
    # word "code", a post that only tags a known sponsor
    pub = _signal("Ma routine du soir @marque_beaute #skincare #soir #pub")
    partner = _signal("En partenariat avec @marque_beaute : ma routine du soir")
    discount = _signal("Nouveau vélo ! -15 % avec VELO20 chez @velomania")
    tagged = _signal("My new favourite sneakers from @kicksco ✨", sponsors=frozenset({"kicksco"}))
    # then
    assert (pub.sponsored, pub.disclosed, pub.reasons) == (True, True, ("label '#pub'",))
    assert (partner.sponsored, partner.disclosed) == (True, True)
    assert (discount.undisclosed, discount.reasons) == (True, ("discount with code VELO20",))
    assert (tagged.undisclosed, tagged.reasons) == (True, ("tags @kicksco, a sponsor in other posts",))
    assert not _signal("My new favourite sneakers from @kicksco ✨").sponsored


def test_a_denial_outweighs_weak_evidence_but_not_a_code():
    # given "not an ad" with a sponsor tag, and with a code
    denied = _signal("Not an ad, I just love my sneakers from @kicksco", sponsors=frozenset({"kicksco"}))
    coded = _signal("Not an ad, I just love them, use code KICKS10 @kicksco")
    # then
    assert not denied.sponsored and denied.reasons == ()
    assert coded.undisclosed
    assert coded.reasons == ("promo code KICKS10 with a brand mention", "says it is not an ad ('not an ad')")


def test_look_alikes_are_not_sponsored():
    # given a club name with digits beside a percentage, a dress code, friends tagged
    for text in (
        "Training with RUNN42, 20% gradient at the end",
        "Sortie du dimanche : 15 km avec TEAM75",
        "Trying the new dress code at the office",
        "Weekend with @lea.martin and @tom_b in the mountains",
    ):
        assert not _signal(text, sponsors=frozenset({"kicksco"})).sponsored, text


def test_partnership_wording_is_compliant_in_france_and_pub_at_the_end_is_not():
    partner = check_disclosure(
        text="En partenariat avec @marque : ma routine",
        jurisdictions=["FR"],
        is_paid_partnership=False,
        rules=RULES,
    )
    pub = check_disclosure(
        text="Ma routine @marque #skincare #soir #pub",
        jurisdictions=["FR", "EU"],
        is_paid_partnership=False,
        rules=RULES,
    )
    assert partner.compliant
    assert [(v.jurisdiction, v.compliant) for v in pub.verdicts] == [("FR", False), ("EU", True)]


def test_a_jurisdiction_that_accepts_a_word_accepts_its_hashtag():
    # given captions labelled with the hashtag form of a word the EU accepts ("publicité",
    # "collaboration commerciale"), which the French list names as hashtags itself
    for text, label in (
        ("#publicité avec @marque : ma routine", "#publicité"),
        ("#CollaborationCommerciale avec @marque", "#collaborationcommerciale"),
    ):
        check = check_disclosure(
            text=text, jurisdictions=["FR", "EU"], is_paid_partnership=False, rules=RULES
        )
        # then both jurisdictions accept it, at character 0
        assert [(v.jurisdiction, v.compliant) for v in check.verdicts] == [("FR", True), ("EU", True)], text
        assert f"EU: label '{label}' at character 0" in check.reasons
    # but a hashtag does not stand for a different word: "#pubs" is not "#pub"
    other = check_disclosure(
        text="#pubs @marque", jurisdictions=["EU"], is_paid_partnership=False, rules=RULES
    )
    assert not other.compliant


def _find_labels_reference(text: str) -> list[tuple[str, int, str, bool]]:
    """find_labels as it was before its first-word test: every label's pattern over every caption."""
    from microreach.core.disclosure import _label_pattern, _trailing_block_start, fold_text

    folded = fold_text(text)
    block = _trailing_block_start(folded)
    denied = [(m.start(), m.end()) for d in RULES.denials for m in _label_pattern(d).finditer(folded)]
    clear = {label for rule in RULES.jurisdictions for label in rule.accepted}
    found: dict[tuple[str, int], tuple[str, int, str, bool]] = {}
    taken: set[int] = set()
    for kind, labels in (("clear", sorted(clear)), ("ambiguous", RULES.ambiguous), ("gifted", RULES.gifted)):
        for label in labels:
            for m in _label_pattern(label).finditer(folded):
                if m.start() in taken or any(lo <= m.start() < hi for lo, hi in denied):
                    continue
                found[(label, m.start())] = (label, m.start(), kind, m.start() >= block)
                taken.add(m.start())
    return sorted(found.values(), key=lambda x: x[1])


LABEL_WORDS = sorted(
    {w for rule in RULES.jurisdictions for label in rule.accepted for w in label.split()}
    | {w for label in (*RULES.ambiguous, *RULES.gifted, *RULES.denials) for w in label.split()}
)


@given(
    st.lists(
        st.one_of(
            st.sampled_from(LABEL_WORDS),
            st.sampled_from(["#", "@", " ", "_", "-", "É", "pub", "not", "an", "ad", "merci", "\n", "é"]),
            st.text(max_size=6),
        ),
        max_size=14,
    )
)
def test_find_labels_finds_what_every_pattern_over_every_caption_finds(parts):
    text = " ".join(parts) if len(parts) % 2 else "".join(parts)
    got = [(m.label, m.position, m.kind, m.buried) for m in find_labels(text=text, rules=RULES)]
    assert got == _find_labels_reference(text)


CAPTIONS = [
    "Publicité — ma routine avec @marque #skincare",
    "Love it thanks @brand #sp",
    "Pas de pub, juste j'adore @velo #cadeau",
    "Code VELO20 pour -20 % chez @velo",
    "Sortie du dimanche #trail #run #nature #mountains",
    "",
]


@given(st.sampled_from(CAPTIONS), st.booleans())
def test_labels_found_once_and_passed_in_give_the_same_checks(text, paid):
    # given a caption's labels found by the caller
    labels = find_labels(text=text, rules=RULES)
    # when each check is given them, and when each finds them itself
    # then the results are the same
    assert detect_sponsorship(
        text=text, mentions=[], is_paid_partnership=paid, rules=RULES, labels=labels
    ) == detect_sponsorship(text=text, mentions=[], is_paid_partnership=paid, rules=RULES)
    assert check_disclosure(
        text=text, jurisdictions=["FR", "US"], is_paid_partnership=paid, rules=RULES, labels=labels
    ) == check_disclosure(text=text, jurisdictions=["FR", "US"], is_paid_partnership=paid, rules=RULES)
    assert strong_sponsorship(text=text, is_paid_partnership=paid, rules=RULES, labels=labels) == (
        strong_sponsorship(text=text, is_paid_partnership=paid, rules=RULES)
    )
