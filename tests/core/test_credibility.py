from __future__ import annotations

from microreach.core.credibility import credibility, topic_consistency
from tests.core import records_factory as f


def test_sponsored_share_undisclosed_and_compliance(config):
    posts = [
        f.post("ad", caption="Publicité avec @marque, ma crème du soir"),
        f.post("code", caption="Use code LEA20 at @shop"),
        f.post("flag", caption="New in", is_paid_partnership=True),
        f.post("organic", caption="Sunday walk"),
    ]
    result = credibility(
        posts=posts,
        comments=[],
        creator_handle="alice",
        creator_language="fr",
        jurisdictions=("FR",),
        rules=config.disclosure,
        lexicon=config.lexicon,
    )
    assert result.sponsored_share == 0.75
    assert result.undisclosed_post_ids == ("code",)
    assert result.compliance_share == 2 / 3


def test_a_post_says_which_jurisdictions_its_label_fails(config):
    # given a French creator's posts (France and the EU): the law's hashtag, and an English "#ad"
    posts = [
        f.post("pub", caption="#publicité avec @marque : ma crème du soir"),
        f.post("ad", caption="#ad avec @marque : ma crème du soir"),
    ]
    result = credibility(
        posts=posts,
        comments=[],
        creator_handle="alice",
        creator_language="fr",
        jurisdictions=("FR", "EU"),
        rules=config.disclosure,
        lexicon=config.lexicon,
    )
    # then both are disclosed; "#publicité" meets both rules, "#ad" fails France's only
    by_id = {s.post_id: s for s in result.sponsored}
    assert (by_id["pub"].disclosed, by_id["pub"].compliant, by_id["pub"].failed_in) == (True, True, ())
    assert (by_id["ad"].disclosed, by_id["ad"].compliant, by_id["ad"].failed_in) == (True, False, ("FR",))
    assert result.undisclosed_post_ids == ()


def test_reply_rate_depth_and_language(config):
    comments = [
        f.comment("c1", text="C'est trop beau, tu l'as acheté où ?", creator_replied=True),
        f.comment("c2", text="Je veux la même pour mon salon"),
        f.comment("r1", author="alice", reply_to="c2", text="merci !"),
        f.comment("r2", author="bob", reply_to="c2", text="moi aussi"),
        f.comment("c3", text="Where did you get this and is it worth it"),
    ]
    result = credibility(
        posts=[],
        comments=comments,
        creator_handle="alice",
        creator_language="fr",
        jurisdictions=("FR",),
        rules=config.disclosure,
        lexicon=config.lexicon,
    )
    assert result.reply_rate == 2 / 3
    assert result.conversation_depth == 2.0
    assert result.comments_language_match == 2 / 3
    assert result.sponsored_share is None


def test_topic_consistency(config):
    same = [
        f.post(f"p{i}", days_ago=i + 1, hashtags=("vegan", "recipe"), caption="vegan recipe dinner")
        for i in range(6)
    ]
    assert round(topic_consistency(posts=same, lexicon=config.lexicon), 6) == 1.0
    older = [f.post(f"o{i}", days_ago=10 + i, hashtags=("vegan",), caption="vegan recipe") for i in range(3)]
    newer = [
        f.post(f"n{i}", days_ago=1 + i, hashtags=("crypto",), caption="bitcoin trading") for i in range(3)
    ]
    shifted = older + newer
    assert topic_consistency(posts=shifted, lexicon=config.lexicon) == 0.0
    assert topic_consistency(posts=same[:2], lexicon=config.lexicon) is None


def test_a_post_tagging_a_sponsor_of_the_creators_own_ads_is_sponsored(config):
    # given an ad with a code for @kicksco, then a post that only tags @kicksco, and one tagging a friend
    posts = (
        f.post("p1", days_ago=9, caption="Use code KICKS10 at @kicksco"),
        f.post("p2", days_ago=5, caption="My new favourite sneakers from @kicksco"),
        f.post("p3", days_ago=2, caption="Weekend with @lea.martin"),
    )
    # when
    result = credibility(
        posts=posts,
        comments=(),
        creator_handle="alice",
        creator_language="en",
        jurisdictions=["US"],
        rules=config.disclosure,
        lexicon=config.lexicon,
    )
    # then
    assert [s.post_id for s in result.sponsored] == ["p1", "p2"]
    assert result.undisclosed_post_ids == ("p1", "p2")
