from __future__ import annotations

import csv
import io
from importlib import import_module
from urllib.parse import parse_qs

import pytest
from django.apps import apps

from microreach.web.discovery.lookalikes import _reason
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
    assert "Followers minimum (9) is greater than Followers maximum (1)" in response.content.decode()


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
    # the days' follower counts are drawn as a curve, the table folded under it
    chart = html.split('id="follower-chart">')[1].split("</div>")[0]
    assert "<svg" in chart and "Followers per day" in chart
    assert "The counts of the last" in html
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


def test_a_saved_search_reopens_with_its_numbers_as_typed(web):
    web.post(
        "/discover/saved/",
        {"name": "Clean", "quality_min": "70", "engagement_min": "2.5", "fake_share_max": "10"},
    )
    saved = SavedSearch.objects.get()
    _path, _, querystring = web.get(f"/discover/saved/{saved.pk}/")["Location"].partition("?")
    query = parse_qs(querystring)
    assert (query["quality_min"], query["engagement_min"], query["fake_share_max"]) == (
        ["70"],
        ["2.5"],
        ["10"],
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


def test_the_home_counts_every_shortlist_and_each_listed_one_opens(web):
    organisation_id = web.get("/discover/shortlists/").wsgi_request.tenant.organisation_id
    lists = [Shortlist.objects.create(organisation_id=organisation_id, name=f"List {i}") for i in range(7)]
    html = web.get("/accounts/home/").content.decode()
    # the figure counts the seven lists, though the table shows the five most recent
    assert '<a href="/discover/shortlists/">7</a>' in html
    linked = [s for s in lists if f'<a href="/discover/shortlists/{s.pk}/">{s.name}</a>' in html]
    assert len(linked) == 5


def test_the_home_names_one_shortlist_in_the_singular(web):
    organisation_id = web.get("/discover/shortlists/").wsgi_request.tenant.organisation_id
    Shortlist.objects.create(organisation_id=organisation_id, name="Creators to contact")
    section = next(s for s in web.get("/accounts/home/").context["sections"] if str(s.title) == "Discovery")
    assert [(f.label, f.value) for f in section.figures][1] == ("shortlist", "1")  # never "1 shortlists"


def test_bad_filters_while_typing_reach_the_results_area(web):
    response = web.get("/discover/", {"followers_min": "9", "followers_max": "1"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200  # htmx swaps 2xx only
    assert html.lstrip().startswith('<div id="results">')
    assert "Followers minimum (9) is greater than Followers maximum (1)" in html


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
    assert '<span class="muted">Instagram · France · French</span>' in page


def test_three_cards_shortlisted_with_new_list_make_one_list_of_three(web, world):
    # given three result cards, each still offering "New list" (the page was loaded before any list existed)
    accounts = [world["lea"], world["tom"], world["mia"]]
    # when "Shortlist" is clicked on each in a row
    responses = [
        web.post(
            "/discover/shortlists/add/", {"account_id": a.pk, "shortlist_id": ""}, HTTP_HX_REQUEST="true"
        )
        for a in accounts
    ]
    # then one list holds the three creators, in the order they were added
    shortlist = Shortlist.objects.get()
    assert shortlist.name == "My shortlist"
    assert list(shortlist.entries.values_list("account_id", flat=True)) == [a.pk for a in accounts]
    # and each answer refreshes every card's choices, the list just used chosen for the next add
    options = (
        '<select name="shortlist_id" class="shortlist-choices" aria-label="Shortlist" hx-swap-oob='
        f'"outerHTML:select.shortlist-choices"><option value="{shortlist.pk}" selected>My shortlist</option>'
        '<option value="">New list</option></select>'
    )
    assert [options in r.content.decode() for r in responses] == [True, True, True]


def test_a_list_of_another_brand_with_the_default_name_is_not_reused(web, world, other_brand_admin):
    # given another brand's "My shortlist"
    theirs = Shortlist.objects.create(
        organisation_id=other_brand_admin.memberships.get().organisation_id, name="My shortlist"
    )
    # when this brand shortlists a creator with "New list"
    web.post("/discover/shortlists/add/", {"account_id": world["lea"].pk, "shortlist_id": ""})
    # then it gets a list of its own, and the other brand's list is untouched
    ours = Shortlist.objects.exclude(pk=theirs.pk).get()
    assert list(ours.entries.values_list("account_id", flat=True)) == [world["lea"].pk]
    assert theirs.entries.count() == 0


def test_a_shortlist_row_shows_one_engagement_figure_at_one_precision(web, world):
    # given Léa (engagement 0.026 in her audit) on a shortlist
    shortlist = Shortlist.objects.create(
        organisation_id=web.get("/discover/shortlists/").wsgi_request.tenant.organisation_id, name="Food"
    )
    ShortlistEntry.objects.create(
        shortlist=shortlist, organisation_id=shortlist.organisation_id, account_id=world["lea"].pk
    )
    # when the shortlist is shown
    html = web.get(f"/discover/shortlists/{shortlist.pk}/").content.decode()
    # then the engagement column and the row's audit summary say the same figure, written the same way
    column = html.split('<td class="shortlist-engagement" data-label="Engagement">')[1].split("</td>")[0]
    in_summary = html.split('<strong class="summary-engagement">')[1].split("</strong>")[0]
    assert (column, in_summary) == ("2.60%", "2.60%")


def test_a_shortlist_note_is_shown_whole_in_a_box_as_tall_as_it(web, world):
    # given two shortlisted creators: one with a note of three paragraphs, one without a note
    shortlist = Shortlist.objects.create(
        organisation_id=web.get("/discover/shortlists/").wsgi_request.tenant.organisation_id, name="Food"
    )
    note = (
        "Great fit for the spring launch.\n"
        + "Ask for her rates in stories and reels; " * 3
        + "\nCall Monday."
    )
    for account, text in ((world["lea"], note), (world["tom"], "")):
        ShortlistEntry.objects.create(
            shortlist=shortlist, organisation_id=shortlist.organisation_id, account_id=account.pk, note=text
        )
    # when the shortlist is shown
    html = web.get(f"/discover/shortlists/{shortlist.pk}/").content.decode()
    # then the whole note is in a box of one line per 40 characters (1 + 3 + 1) and one more to type on; an
    # empty note gets three lines
    boxes = html.split('<textarea name="note" class="shortlist-note" ')[1:]
    assert [box.split(">")[0] for box in boxes] == [
        'rows="6" maxlength="5000" aria-label="Note"',
        'rows="3" maxlength="5000" aria-label="Note"',
    ]
    assert boxes[0].split(">", 1)[1].split("</textarea>")[0] == note


def test_lookalikes_show_the_audit_summary_of_the_cards_and_explain_similarity(web, world):
    # given Max (English, 80k followers), whom Mia resembles; Mia's audit: score 41, 31 % fake followers
    # measured on a sample, high risk
    # when his lookalikes are shown
    html = web.get(
        f"/discover/creators/{world['max'].pk}/lookalikes/", HTTP_HX_REQUEST="true"
    ).content.decode()
    # then Mia's card carries the audit summary of the search cards
    card = html.split('<article class="lookalike" data-handle="mia.glow">')[1].split("</article>")[0]
    search = web.get("/discover/", {"q": "skincare"}).content.decode()
    on_search = search.split('data-handle="mia.glow"')[1].split('<div class="audit-summary"')[1]
    summary = card.split('<div class="audit-summary"')[1]
    # (the figures, the fake share's interval and source, the risk verdict and its reasons)
    assert summary.split('<p class="risk">')[0] == on_search.split('<p class="risk">')[0]
    assert (
        summary.split('<p class="risk">')[1].split("</p>")[0]
        == on_search.split('<p class="risk">')[1].split("</p>")[0]
    )
    assert '<strong class="summary-score"' in summary and ">41</strong>" in summary
    assert '<span class="summary-fake-source">measured on a follower sample</span>' in summary
    # and similarity is explained: what it measures, from 0 to 1
    assert 'id="similarity-explained">Similarity runs from 0 to 1: ' in html
    assert "similarity (0–1)" in card


def test_lookalikes_opened_without_htmx_lead_to_the_creator_page(web, world):
    response = web.get(f"/discover/creators/{world['max'].pk}/lookalikes/")
    assert (response.status_code, response["Location"]) == (
        302,
        f"/discover/creators/{world['max'].pk}/#lookalikes",
    )


def test_tiers_networks_countries_and_languages_are_said_as_words_never_codes(web, world):
    # given the search page, a creator page and lookalikes, read in French
    page = web.get("/discover/", {"q": "cuisine"}, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    creator = web.get(f"/discover/creators/{world['lea'].pk}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    # then the filters name networks and tiers as the facets do
    network_select = page.split('<select id="id_network" name="network">')[1].split("</select>")[0]
    tier_select = page.split('<select id="id_tier" name="tier">')[1].split("</select>")[0]
    assert '<option value="tiktok" >TikTok</option>' in network_select
    assert '<option value="blog" >Blog</option>' in network_select
    assert '<option value="mid" >intermédiaire</option>' in tier_select
    # and a card names its country and language, the creator page its tier without the preset's code
    assert '<span class="muted">Instagram · France · Français</span>' in page
    assert "default-2026" not in creator and "(default" not in creator
    thresholds = creator.split('<span id="tier-thresholds">')[1].split("</span>")[0]
    assert "micro 10\xa0k–50\xa0k · intermédiaire 50\xa0k–500\xa0k · macro 500\xa0k–1\xa0M" in thresholds


def test_lookalike_reasons_name_tiers_languages_and_countries(world):
    # given Léa's features: French, micro tier, based in France, audience in Belgium
    # when her shared features are said as reasons
    reasons = [_reason(f) for f in ("lang:fr", "tier:mid", "country:FR", "audience:BE", "topic:home_decor")]
    # then each is a word, never a code
    assert reasons == [
        "French",
        "same tier (mid-tier)",
        "based in France",
        "audience in Belgium",
        "topic home decor",
    ]


def test_the_filters_fold_into_one_line_naming_those_in_use(web):
    # given a search by keywords, network, country and verified accounts
    params = {"q": "cuisine", "network": "instagram", "country": "FR", "verified": "true"}
    # when the page is shown, and when the results come while typing
    page = web.get("/discover/", params).content.decode()
    typing = web.get("/discover/", params, HTTP_HX_REQUEST="true").content.decode()
    # then the filters sit in a disclosure, folded (a phone sees the results first), whose one line names
    # the filters in use; the keywords box comes before it, outside the fold, so it is not named there; the
    # results brought while typing refresh that line
    line = "Network: Instagram · Country: France · Verified: Yes"
    assert (
        '<details class="filters-fold" id="filters">\n    <summary>Filters<span id="active-filters" '
        f'class="muted">: {line}</span></summary>'
    ) in page
    assert page.index('id="search-form"') < page.index('id="id_q"') < page.index('id="filters"')
    assert page.index('id="filters"') < page.index('id="results"')
    assert f'<span id="active-filters" class="muted" hx-swap-oob="true">: {line}</span>' in typing
    # and without filters the line says so
    assert '<span id="active-filters" class="muted">: none</span>' in web.get("/discover/").content.decode()


def test_number_filters_keep_their_value_in_french_as_a_browser_reads_it(web):
    # given a search with decimal filters, read in French (where 2,5 is written with a comma)
    response = web.get(
        "/discover/",
        {"engagement_min": "2.5", "quality_min": "70", "fake_share_max": "10", "followers_min": "10000"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    html = response.content.decode()
    assert response.status_code == 200
    # then each number box holds the value with a dot: a browser empties a number box holding '2,5', and
    # the next search would drop the filter the page seemed to have applied
    assert 'name="engagement_min" value="2.5"' in html
    assert 'name="quality_min" min="0" max="100" value="70.0"' in html
    assert 'name="fake_share_max" min="0" max="100" value="10.0"' in html
    assert 'name="followers_min" min="0" value="10000"' in html
    assert 'value="2,5"' not in html and 'value="70,0"' not in html
