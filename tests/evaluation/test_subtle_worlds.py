"""The subtle knob of both worlds: off, no subtle case; on, subtle cases and look-alikes are planted."""

from __future__ import annotations

from dataclasses import replace

from microreach.evaluation.world import WorldSpec, planted_world
from microreach.sources.simulator import simulate_in_memory
from microreach.sources.simulator.difficulty import DIFFICULTIES


def test_the_simulators_subtle_knob_keeps_todays_worlds_and_plants_subtle_cases():
    # given the same seed without and with subtle cases
    plain = simulate_in_memory(creators=60, seed=3, difficulty="hard", follower_sample=5, campaigns=False)
    subtle = simulate_in_memory(
        creators=60,
        seed=3,
        difficulty=replace(DIFFICULTIES["hard"], subtle=1.0),
        follower_sample=5,
        campaigns=False,
    )
    # then the accounts are the same draws (what follows a viral post's extra comments is drawn anew)
    assert [(a.handle, a.followers) for a in plain.accounts] == [
        (a.handle, a.followers) for a in subtle.accounts
    ]
    # and the subtle world has trickled purchases and reworded posts, today's none
    trickled = [e for g in subtle.ground_truth for e in g["growth_events"] if e.get("trickled")]
    assert trickled and all(3 <= int(e["days"]) <= 5 for e in trickled)
    assert not [e for g in plain.ground_truth for e in g["growth_events"] if e.get("trickled")]
    captions = {p.caption for p in subtle.posts} - {p.caption for p in plain.posts}
    assert any("Not an ad" in c or "Pas de pub" in c for c in captions)


def test_the_planted_worlds_subtle_variant_adds_only_subtle_cases():
    # given the base planted world and its subtle variant
    accounts, truth = planted_world(WorldSpec(accounts=24, posts_per_account=20, days_of_history=200))
    subtle_accounts, subtle_truth = planted_world(
        WorldSpec(accounts=24, posts_per_account=20, days_of_history=200, subtle=True)
    )
    # then the follower samples are the same and the subtle one has more events and undisclosed posts
    assert [a.followers for a in accounts] == [a.followers for a in subtle_accounts]
    assert set(truth.growth_events) < set(subtle_truth.growth_events)
    assert truth.undisclosed_posts < subtle_truth.undisclosed_posts
