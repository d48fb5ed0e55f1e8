from __future__ import annotations

import csv
import io
from importlib import import_module
from urllib.parse import parse_qs

import pytest
from django.apps import apps

from microreach.web.discovery.models import SavedSearch, SearchRow, Shortlist, ShortlistEntry


@pytest.fixture
def web(world, brand_admin, client_for):
    return client_for(brand_admin)


def test_search_page_shows_result_cards(web):
    response = web.get("/discover/", {"q": "cuisine vegane lyon"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("@lea.cuisine") < html.index("@tom.photo")
    assert "2 creators" in html
    assert "data from" in html
    assert 'id="search-form"' in html


def test_htmx_search_returns_only_the_results_partial(web):
    response = web.get("/discover/", {"network": "tiktok"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results">')
    assert "@tom.photo" in html
    assert "@lea.cuisine" not in html
    assert 'id="search-form"' not in html


def test_while_typing_the_page_comes_first_and_the_total_follows_with_the_facets(web, monkeypatch):
    # given a page size smaller than the result, so that the page alone does not give the total
    monkeypatch.setattr("microreach.web.discovery.views.PAGE_SIZE", 1)
    html = web.get("/discover/", {"country": "FR"}, HTTP_HX_REQUEST="true").content.decode()
    assert '<p id="result-summary" class="muted">Counting…</p>' in html
    assert "count=1" in html  # the facets request is asked to count
    facets = web.get("/discover/facets/", {"country": "FR", "count": "1"}, HTTP_HX_REQUEST="true")
    html = facets.content.decode()
    assert '<p id="result-summary" hx-swap-oob="true">' in html
    assert "2 creators" in html
    # an empty page: what emptied it comes with the facets too
    empty = {"country": "FR", "network": "youtube", "count": "1"}
    html = web.get("/discover/facets/", empty, HTTP_HX_REQUEST="true").content.decode()
    assert '<div id="emptied-by" hx-swap-oob="true">' in html
    assert "without it, 2 creators match" in html


def test_facets_partial_links_to_filtered_searches(web):
    html = web.get("/discover/facets/", {"country": "FR"}, HTTP_HX_REQUEST="true").content.decode()
    assert "country=FR&amp;network=tiktok" in html
    assert "Counts over the first" not in html


def test_bad_filters_show_a_message_not_an_error_page(web):
    response = web.get("/discover/", {"followers_min": "9", "followers_max": "1"})
    assert response.status_code == 400
    assert "Followers minimum is greater than Followers maximum" in response.content.decode()


def _search_error(html: str) -> str:
    start = html.index('id="search-error">') + len('id="search-error">')
    return html[start : html.index("</li>", start)]


def test_each_refused_filter_is_named_as_the_form_names_it_and_why_in_the_readers_language(web):
    # an unknown filter is refused first, alone
    error = _search_error(web.get("/discover/", {"colour": "red", "tier": "giant"}).content.decode())
    assert error == "The search is not valid: colour: unknown filter"
    params = {"fake_share_max": "250", "quality_min": "abc", "tier": "giant"}
    error = _search_error(web.get("/discover/", params).content.decode())
    assert error.startswith("The search is not valid:")
    for said in (
        "Fake followers ≤ %: at most 100",
        "Audience Quality Score at least: not a number",
        "Tier: not one of the choices",
    ):
        assert said in error
    assert "Input should" not in error  # pydantic's English is not shown
    assert "100.0" not in error  # the bound as a person writes it
    # the form keeps what was typed, the wrong values included, to be corrected
    html = web.get("/discover/", {**params, "country": "FR", "q": "yoga"}).content.decode()
    assert 'name="fake_share_max" min="0" max="100" value="250"' in html
    assert 'value="yoga"' in html and '<option value="FR" selected>' in html
    # a yes/no filter typed as the API takes it keeps its choice too
    html = web.get("/discover/", {**params, "verified": "true", "has_contact": "no"}).content.decode()
    assert '<option value="true" selected>' in html and '<option value="false" selected>' in html
    # in French: the labels and reasons of the French page
    html = web.get(
        "/discover/", {"fake_share_max": "250", "followers_min": "-1"}, HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    error = _search_error(html)
    assert "au plus 100" in error and "au moins 0" in error and "Input should" not in error


def test_an_empty_search_page_says_which_filter_emptied_it(web):
    html = web.get("/discover/", {"country": "FR", "network": "youtube"}).content.decode()
    assert "No creator matches this search." in html
    assert "without it, 2 creators match" in html


def test_creator_page_shows_profile_posts_history_and_audience(web, world):
    html = web.get(f"/discover/creators/{world['lea'].pk}/").content.decode()
    assert "@lea.cuisine" in html
    assert '<small class="muted">Instagram</small>' in html
    assert "Curry végane du dimanche" in html
    assert 'id="follower-history"' in html
    assert "60.0%" in html  # audience in France
    assert "2.60%" in html  # engagement
    assert web.get("/discover/creators/999999/").status_code == 404


def test_an_audited_creator_links_to_the_audit_and_its_evidence(web, world):
    # the creator page and the result card lead to the audit page of an audited creator, not of the others
    audited = web.get(f"/discover/creators/{world['mia'].pk}/").content.decode()
    assert 'id="audit-link" href="/audits/youtube/mia.glow/"' in audited
    not_audited = web.get(f"/discover/creators/{world['max'].pk}/").content.decode()
    assert 'id="audit-link"' not in not_audited
    # a creator not audited yet says so, with a way to audit now (never a bare dash where a brand decides)
    assert "Not audited" in not_audited and 'action="/audits/instagram/max.tech/run/"' in not_audited
    assert 'href="/audits/youtube/mia.glow/"' in web.get("/discover/", {"q": "skincare"}).content.decode()


def test_red_flags_are_said_in_the_readers_language(web, world):
    # given a row whose audit found fake followers, an undisclosed sponsorship and a feed half ads (codes)
    path = f"/discover/creators/{world['mia'].pk}/"
    # then each reader reads the verdict and its reasons in their own language, on the card and the page
    english = web.get(path).content.decode()
    assert "High risk" in english and "1 sponsored post without the required label" in english
    assert 'href="/audits/youtube/mia.glow/#credibility"' in english
    french = web.get(path, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Risque élevé" in french and "1 publication sponsorisée sans la mention requise" in french
    results = web.get("/discover/", {"q": "skincare"}, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert (
        ">faux abonnés 31,0\xa0% (mesuré sur un échantillon d’abonnés)<" in results
        and ">risk_fake_share" not in results
    )
    # and the API gives the code
    (row,) = [
        r
        for r in web.get("/api/discovery/search", {"q": "skincare"}).json()["items"]
        if r["handle"] == "mia.glow"
    ]
    assert row["red_flags"] == ["undisclosed_sponsorship"]


def test_red_flag_labels_stored_before_become_codes(world):
    # given rows written before red flags had codes, in English and (by a French request) in French
    migration = import_module("microreach.web.discovery.migrations.0005_red_flag_codes")
    english = SearchRow.objects.get(account_id=world["lea"].pk)
    french = SearchRow.objects.get(account_id=world["tom"].pk)
    SearchRow.objects.filter(pk=english.pk).update(red_flags=["engagement pod", "fake followers"])
    SearchRow.objects.filter(pk=french.pk).update(red_flags=["partenariat non signalé", "pic d'abonnés"])
    # when the migration runs
    migration.to_codes(apps, None)
    # then both hold codes
    english.refresh_from_db()
    french.refresh_from_db()
    assert english.red_flags == ["engagement_pod", "fake_followers"]
    assert french.red_flags == ["undisclosed_sponsorship", "follower_spike"]


def test_lookalikes_partial(web, world):
    html = web.get(
        f"/discover/creators/{world['lea'].pk}/lookalikes/", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "@tom.photo" in html
    assert "French" in html
    assert "In common: " in html and "shares talks" not in html


def test_add_from_results_to_a_new_list_then_note_and_export(web, world, brand_admin):
    # when a creator is added from a result card with "New list"
    response = web.post(
        "/discover/shortlists/add/",
        {"account_id": world["lea"].pk, "shortlist_id": ""},
        HTTP_HX_REQUEST="true",
    )
    # then a list is created with it, and the card says where it went
    shortlist = Shortlist.objects.get()
    assert "Added to" in response.content.decode()
    assert (shortlist.name, shortlist.created_by_id) == ("My shortlist", brand_admin.pk)
    entry = ShortlistEntry.objects.get()
    web.post(f"/discover/shortlists/entries/{entry.pk}/note/", {"note": "great fit"})
    assert ShortlistEntry.objects.get().note == "great fit"
    csv_text = web.get(f"/discover/shortlists/{shortlist.pk}/export.csv").content.decode()
    assert "lea.cuisine" in csv_text and "great fit" in csv_text
    # and in French the file opens in French Excel: byte order mark, semicolons, decimal commas
    french = web.get(f"/discover/shortlists/{shortlist.pk}/export.csv", HTTP_ACCEPT_LANGUAGE="fr").content
    text = french.decode("utf-8")
    assert text.startswith("\ufeffnetwork;handle;display_name;")
    row = next(csv.reader(io.StringIO(text.splitlines()[1]), delimiter=";"))
    assert row[:2] == ["instagram", "lea.cuisine"] and row[7] == "0,0260" and row[11] == "great fit"
    assert "@lea.cuisine" in web.get(f"/discover/shortlists/{shortlist.pk}/").content.decode()


def test_saved_search_round_trip(web):
    web.post("/discover/saved/", {"name": "French food", "q": "cuisine", "country": "FR", "tier": ""})
    saved = SavedSearch.objects.get()
    assert saved.query == {"q": "cuisine", "country": "FR", "sort": "relevance"}
    response = web.get(f"/discover/saved/{saved.pk}/")
    assert response.status_code == 302
    path, _, querystring = response["Location"].partition("?")
    assert (path, parse_qs(querystring)) == (
        "/discover/",
        {"q": ["cuisine"], "country": ["FR"], "sort": ["relevance"]},
    )


def test_creators_do_not_see_discovery(world, creator, client_for):
    c = client_for(creator)
    assert c.get("/discover/").status_code == 404
    assert c.get("/discover/shortlists/").status_code == 404


def test_brand_home_has_a_discovery_section_and_nav(web):
    response = web.get("/accounts/home/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "searchable creators" in html
    assert 'href="/discover/"' in html
    # each network's count is named as people write the network
    assert "Instagram accounts" in html and "instagram accounts" not in html


def test_bad_filters_while_typing_reach_the_results_area(web):
    response = web.get("/discover/", {"followers_min": "9", "followers_max": "1"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200  # htmx swaps 2xx only
    assert html.lstrip().startswith('<div id="results">')
    assert "Followers minimum is greater than Followers maximum" in html


def test_language_and_country_filters_are_chosen_by_name_and_keep_the_choice(web):
    # given a search by language and country, read in French
    response = web.get("/discover/", {"language": "en", "country": "fr"}, HTTP_ACCEPT_LANGUAGE="fr")
    html = response.content.decode()
    assert response.status_code == 200
    # then the filters are lists named in the reader's language, the chosen codes selected
    assert '<select id="id_language" name="language">' in html
    assert '<option value="en" selected>Anglais</option>' in html
    assert '<option value="FR" selected>France</option>' in html
    assert '<option value="DE">Allemagne</option>' in html
    # and in English the same codes read as English names; nothing is selected without a filter
    english = web.get("/discover/").content.decode()
    assert (
        '<option value="de">German</option>' in english
        and " selected>" not in english.split('id="id_language"')[1].split("</select>")[0]
    )


def test_a_language_code_outside_the_list_is_kept_as_entered(web):
    html = web.get("/discover/", {"language": "xyz"}).content.decode()
    assert '<option value="xyz" selected>xyz</option>' in html


def test_a_page_past_the_end_says_so_instead_of_no_creator_matches(web):
    html = web.get("/discover/", {"q": "cuisine", "page": "50"}).content.decode()
    assert "Page 50 is past the last page of this search." in html
    assert "No creator matches this search." not in html
    assert 'href="?q=cuisine' in html and "page=1" in html


def test_facets_and_cards_name_networks_countries_and_languages(web):
    facets = web.get("/discover/facets/", {"q": "cuisine"}, HTTP_HX_REQUEST="true").content.decode()
    assert ">Instagram</a>" in facets and ">France</a>" in facets and ">French</a>" in facets
    assert ">instagram</a>" not in facets and ">FR</a>" not in facets
    page = web.get("/discover/", {"q": "cuisine"}).content.decode()
    assert '<span class="muted">Instagram · FR' in page
