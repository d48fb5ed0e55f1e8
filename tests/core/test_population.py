from __future__ import annotations

from microreach.core.population import build_population, empty_population, percentile
from tests.core import records_factory as f


def _accounts(n: int):
    # account i has 10,000 + i followers and an engagement rate of (i + 1) / 1000
    return [
        f.data(
            account=f.account(handle=f"a{i}", followers=10_000 + i),
            posts=(f.post(f"a{i}-1", handle=f"a{i}", likes=(i + 1) * 10 + i // 100, comments=0),),
        )
        for i in range(n)
    ]


def test_peer_groups_hold_quantiles_and_ranges(config):
    population = build_population(accounts=_accounts(40), config=config, as_of=f.AS_OF)
    group = population.group(network="instagram", followers=10_020)
    assert group is not None
    assert group.accounts == 40
    assert (group.low, group.high) == (10_000, 11_221)
    assert round(group.quantiles["engagement_rate"][0], 6) == 0.001
    assert group.quantiles["engagement_rate"][100] == 400 / 10_039
    assert percentile(group=group, metric="engagement_rate", value=1.0) == 100.0
    assert population.population_id.startswith("pop-")


def test_small_bands_are_pooled_until_min_peers(config):
    accounts = _accounts(20) + [
        f.data(account=f.account(handle=f"b{i}", followers=13_000), posts=(f.post("x", handle=f"b{i}"),))
        for i in range(15)
    ]
    population = build_population(accounts=accounts, config=config, as_of=f.AS_OF)
    group = population.group(network="instagram", followers=13_000)
    assert group.accounts == 35
    assert group.low == 10_000


def test_population_id_is_deterministic(config):
    a = build_population(accounts=_accounts(5), config=config, as_of=f.AS_OF)
    b = build_population(accounts=_accounts(5), config=config, as_of=f.AS_OF)
    assert a.population_id == b.population_id
    assert empty_population(as_of=f.AS_OF).groups == {}
