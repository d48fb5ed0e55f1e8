from __future__ import annotations

from dataclasses import replace

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


def _world_with_a_pod():
    from tests.core.test_pods import _ring

    ring = _ring(["ann", "ben", "cat"], minutes=5, text="nice!!")
    return _accounts(30) + ring


def test_snapshot_as_plain_data_round_trips_to_an_equal_snapshot(config):
    # given a snapshot with peer groups, a commenter index with a pod, and sponsors
    import json

    from microreach.core.population import population_from_data, population_to_data

    population = build_population(accounts=_world_with_a_pod(), config=config, as_of=f.AS_OF)
    population = replace(population, sponsors=frozenset({"brandx", "acme"}))
    assert population.commenters.pods and population.groups
    # when written as JSON text and read back
    text = json.dumps(population_to_data(snapshot=population), allow_nan=False)
    back = population_from_data(data=json.loads(text))
    # then: the same snapshot, field for field
    assert back == population
    assert back.as_of == f.AS_OF


def test_snapshot_data_keeps_non_finite_numbers_in_json(config):
    import json
    import math

    from microreach.core.population import population_from_data, population_to_data

    population = build_population(accounts=_world_with_a_pod(), config=config, as_of=f.AS_OF)
    pod = replace(population.commenters.pods[0], median_delay_minutes=math.nan, generic_share=math.inf)
    population = replace(population, commenters=replace(population.commenters, pods=(pod,)))
    text = json.dumps(population_to_data(snapshot=population), allow_nan=False)
    back = population_from_data(data=json.loads(text)).commenters.pods[0]
    assert math.isnan(back.median_delay_minutes) and back.generic_share == math.inf


def test_snapshot_data_of_another_format_or_damaged_is_refused(config):
    import pytest

    from microreach.core.population import population_from_data, population_to_data

    data = population_to_data(snapshot=build_population(accounts=_accounts(5), config=config, as_of=f.AS_OF))
    with pytest.raises(ValueError, match="format 2, expected 1"):
        population_from_data(data={**data, "format": 2})
    with pytest.raises(ValueError, match="format 'list', expected 1"):
        population_from_data(data=[])
    with pytest.raises(ValueError, match="missing 'commenters'"):
        population_from_data(data={k: v for k, v in data.items() if k != "commenters"})
    with pytest.raises(ValueError, match="invalid value"):
        population_from_data(data={**data, "accounts": "many"})
