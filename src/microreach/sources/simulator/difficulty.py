"""How hard the planted fraud is to find: how often it happens and how loud its traces are."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)
class Difficulty:
    """Knobs of the planted fraud. Rates are shares of accounts; ranges are drawn uniformly."""

    name: str
    bought_rate: float  # accounts that bought followers
    bought_jump: tuple[float, float]  # size of the purchase, as a fraction of organic followers
    jump_days: int  # days the purchase is delivered over (1 = one visible step)
    purge_fraction: tuple[float, float]  # part of the purchase the network removes afterwards
    fake_has_picture: float  # probability that a fake profile has a picture
    fake_following: tuple[int, int]  # how many accounts a fake profile follows
    follow_unfollow_rate: float  # accounts using follow / unfollow automation
    follow_unfollow_size: tuple[int, int]  # size of one burst of follows
    pod_rate: float  # Instagram and TikTok accounts in an engagement pod
    pod_sizes: tuple[int, int]  # members per pod
    pod_delay_minutes: tuple[float, float]  # mean delay of a pod member's comment after publication
    pod_participation: float  # chance that a member comments on a given post of another member
    bot_rate: float  # accounts whose comments include bot comments
    bot_share: tuple[float, float]  # share of such an account's sampled comments written by bots
    undisclosed_rate: float  # sponsoring accounts that mostly do not disclose
    undisclosed_disclosure: float  # chance that such an account discloses one sponsored post anyway
    # Share of accounts given subtle fraud and honest look-alikes (0 = today's worlds, unchanged): bought
    # followers trickled (2–6 % over 3–5 days), viral growth after a post with matching engagement, a
    # one-off follow batch (not churn), sponsored posts that only tag the brand or give a code without the
    # word "code", labels at the end ("#pub") or as "En partenariat avec @…", and organic posts that say
    # "not an ad" or tag friends. Drawn from a generator of their own, so the rest of a world is unchanged.
    subtle: float = 0.0


DIFFICULTIES: dict[str, Difficulty] = {
    "easy": Difficulty(
        name="easy",
        bought_rate=0.12,
        bought_jump=(0.4, 0.9),
        jump_days=1,
        purge_fraction=(0.3, 0.6),
        fake_has_picture=0.05,
        fake_following=(3000, 7500),
        follow_unfollow_rate=0.06,
        follow_unfollow_size=(1500, 4000),
        pod_rate=0.08,
        pod_sizes=(8, 30),
        pod_delay_minutes=(2.0, 8.0),
        pod_participation=0.95,
        bot_rate=0.08,
        bot_share=(0.4, 0.7),
        undisclosed_rate=0.3,
        undisclosed_disclosure=0.0,
    ),
    "normal": Difficulty(
        name="normal",
        bought_rate=0.08,
        bought_jump=(0.15, 0.45),
        jump_days=1,
        purge_fraction=(0.15, 0.45),
        fake_has_picture=0.2,
        fake_following=(1500, 7500),
        follow_unfollow_rate=0.04,
        follow_unfollow_size=(500, 2500),
        pod_rate=0.06,
        pod_sizes=(3, 30),
        pod_delay_minutes=(3.0, 30.0),
        pod_participation=0.8,
        bot_rate=0.05,
        bot_share=(0.2, 0.5),
        undisclosed_rate=0.2,
        undisclosed_disclosure=0.2,
    ),
    "hard": Difficulty(
        name="hard",
        bought_rate=0.06,
        bought_jump=(0.05, 0.15),
        jump_days=3,
        purge_fraction=(0.05, 0.2),
        fake_has_picture=0.6,
        fake_following=(800, 3000),
        follow_unfollow_rate=0.03,
        follow_unfollow_size=(200, 800),
        pod_rate=0.05,
        pod_sizes=(3, 12),
        pod_delay_minutes=(20.0, 120.0),
        pod_participation=0.6,
        bot_rate=0.04,
        bot_share=(0.1, 0.25),
        undisclosed_rate=0.15,
        undisclosed_disclosure=0.4,
    ),
}


DIFFICULTIES["subtle"] = replace(DIFFICULTIES["hard"], name="subtle", subtle=0.5)


def difficulty_named(name: str | Difficulty) -> Difficulty:
    """A preset by name (easy, normal, hard, subtle = hard with half the accounts subtle), or the given
    ``Difficulty`` unchanged."""
    if isinstance(name, Difficulty):
        return name
    try:
        return DIFFICULTIES[name]
    except KeyError:
        raise ValueError(f"unknown difficulty {name!r}; choose one of {', '.join(DIFFICULTIES)}") from None
