"""The search page's topic filter is a list of the indexed creators' topics, counted once per version of
the search rows (not on every page), keeping a topic asked for that the index no longer lists."""

from __future__ import annotations

import re

import pytest

from microreach.web.discovery import contracts, services
from microreach.web.discovery.models import SearchAttribute
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def web(world, brand_admin, client_for):
    return client_for(brand_admin)


def _topic_options(html: str) -> list[tuple[str, bool]]:
    select = re.search(r'<select id="id_topic" name="topic">(.*?)</select>', html, re.S)
    assert select, "no topic list on the page"
    return [(v, bool(s)) for v, s in re.findall(r'<option value="([^"]*)"( selected)?>', select.group(1))]


def test_the_topic_filter_offers_the_indexed_topics_and_filters_on_the_chosen_one(world, web):
    html = web.get("/discover/").content.decode()
    offered = [value for value, _chosen in _topic_options(html)]
    assert offered[0] == "" and sorted(offered[1:]) == ["beauty", "food", "photo", "tech", "vegan"]
    chosen = web.get("/discover/", {"topic": "vegan"}).content.decode()
    assert ("vegan", True) in _topic_options(chosen)
    assert "@lea.cuisine" in chosen and "@max.tech" not in chosen


def test_the_topics_are_counted_once_per_version_of_the_search_rows(world, django_assert_num_queries):
    first = contracts.topic_choices()
    with django_assert_num_queries(0):
        assert contracts.topic_choices() == first
    # a topic written behind the index's back is not seen until the rows change...
    SearchAttribute.objects.create(
        row=SearchAttribute.objects.first().row, kind=SearchAttribute.Kind.TOPIC, value="zzz-hidden"
    )
    assert "zzz-hidden" not in contracts.topic_choices()
    # ...and a refresh of the rows is seen at once
    account = factories.account(handle="knits", topics=["knitting"])
    services.search_index_refresh(account_ids=[account.pk])
    assert "knitting" in contracts.topic_choices()


def test_a_topic_asked_for_that_the_index_no_longer_lists_stays_shown(world, web):
    html = web.get("/discover/", {"topic": "origami"}).content.decode()
    assert ("origami", True) in _topic_options(html)


def test_topics_are_named_in_the_readers_language_on_the_filter_and_the_cards(world, web):
    # given a creator indexed in food and in a topic the product has no name for
    account = factories.account(handle="deco.lyon", topics=["food", "urban_gardening"])
    services.search_index_refresh(account_ids=[account.pk])
    # when a French reader filters on food
    html = web.get("/discover/", {"topic": "food"}, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    # then the filter offers each topic by its French name (or in words), its code staying the value...
    assert '<option value="food" selected>cuisine</option>' in html
    assert '<option value="urban_gardening">urban gardening</option>' in html
    # ...and the card names the creator's topics the same way, never as codes
    assert "cuisine, urban gardening" in html
    assert ">food<" not in html and "urban_gardening<" not in html and "urban_gardening," not in html
    # and so does the creator's page
    page = web.get(f"/discover/creators/{account.pk}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<span class="flag ok">cuisine</span><span class="flag ok">urban gardening</span>' in page
