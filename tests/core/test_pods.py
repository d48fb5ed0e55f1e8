from __future__ import annotations

from microreach.core.pods import PodSettings, build_commenter_index, pod_verdict
from microreach.core.pseudonyms import pseudonymise
from tests.core import records_factory as f


def _ring(members: list[str], *, minutes: float, text: str, posts: int = 4, every: int = 1, pseudo_key=None):
    accounts = []
    for target in members:
        items = [f.post(f"{target}-{k}", handle=target, days_ago=2 + k) for k in range(posts)]
        comments = []
        for k, p in enumerate(items):
            if k % every:
                continue
            for source in members:
                if source == target:
                    continue
                author = pseudonymise(pseudo_key, "instagram", source) if pseudo_key else source
                comments.append(
                    f.comment(
                        f"{p.network_post_id}-{source}",
                        post_id=p.network_post_id,
                        author=author,
                        handle=target,
                        published_at=p.published_at,
                        minutes=minutes,
                        text=text,
                    )
                )
        accounts.append(
            f.data(account=f.account(handle=target), posts=tuple(items), comments=tuple(comments))
        )
    return accounts


def test_fast_generic_reciprocal_ring_is_a_pod(config):
    # given three accounts whose owners comment "wow" on each other's posts within 5 minutes
    accounts = _ring(["ann", "ben", "cat"], minutes=5, text="wow 🔥")
    # when
    index = build_commenter_index(accounts=accounts, lexicon=config.lexicon, settings=PodSettings())
    # then
    assert len(index.pods) == 1
    pod = index.pods[0]
    assert pod.members == ("instagram:ann", "instagram:ben", "instagram:cat")
    assert (pod.reciprocity, pod.density, pod.median_delay_minutes, pod.generic_share) == (1.0, 1.0, 5.0, 1.0)
    assert pod.signals == ("reciprocal-dense", "fast", "generic", "coverage")
    verdict = pod_verdict(
        key="instagram:ann",
        index=index,
        commenter_keys=["instagram:ben", "instagram:zed"],
        settings=PodSettings(),
    )
    assert verdict.flagged and verdict.pod_comment_share == 0.5


def test_pseudonymised_authors_are_linked_with_the_key(config):
    accounts = _ring(["ann", "ben", "cat"], minutes=5, text="wow", pseudo_key="k")
    index = build_commenter_index(
        accounts=accounts, lexicon=config.lexicon, settings=PodSettings(), pseudonym_key="k"
    )
    assert index.pods and index.pods[0].flagged


def test_friends_with_natural_slow_sparse_comments_are_not_flagged(config):
    # given reciprocal comments after 5 hours with natural text on a quarter of posts
    accounts = _ring(
        ["ann", "ben", "cat"],
        minutes=300,
        text="Where is this place? Looks lovely for a weekend",
        posts=16,
        every=4,
    )
    index = build_commenter_index(accounts=accounts, lexicon=config.lexicon, settings=PodSettings())
    assert [p.flagged for p in index.pods] == [False]
    assert index.pods[0].signals == ("reciprocal-dense",)


def test_late_or_one_way_comments_are_pruned(config):
    accounts = _ring(["ann", "ben", "cat"], minutes=60 * 24, text="wow")
    index = build_commenter_index(accounts=accounts, lexicon=config.lexicon, settings=PodSettings())
    assert index.pairs == () and index.pods == ()


def test_commenter_index_lists_authors_on_several_accounts(config):
    accounts = _ring(["ann", "ben"], minutes=5, text="wow")
    extra = [
        f.comment(
            f"z{i}",
            post_id=a.posts[0].network_post_id,
            author="zed",
            handle=a.account.handle,
            published_at=a.posts[0].published_at,
            minutes=2,
        )
        for i, a in enumerate(accounts)
    ]
    accounts = [
        f.data(account=a.account, posts=a.posts, comments=(*a.comments, extra[i]))
        for i, a in enumerate(accounts)
    ]
    index = build_commenter_index(accounts=accounts, lexicon=config.lexicon, settings=PodSettings())
    assert index.authors["instagram:zed"] == ("instagram:ann", "instagram:ben")
