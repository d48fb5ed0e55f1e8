"""One creator, one set of figures: every place where a brand decides shows the same audit summary.

Two creators are audited for real (core engine, stored audits, search refresh, applications): Léa with a
follower sample the brand imported (her fake share is *measured*), Tom without one (*estimated* from his
account's signals). The brand then looks each of them up on the audit page and API, the search card and
API, the creator page, the applicants page and API, the comparison and the campaign report (page, API
and XLSX); every place shows the same score, fake share (with its source) and risk verdict, at the
precision it displays.
"""

from __future__ import annotations

import csv
import io
import math
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from pypdf import PdfReader

from microreach.web import shown_figures
from microreach.web.accounts.tenancy import tenant_for
from microreach.web.audits import services as audit_services
from microreach.web.audits.models import AuditRecord
from microreach.web.campaigns import selectors as campaign_selectors
from microreach.web.campaigns.models import Application, Campaign, CampaignState
from microreach.web.campaigns.services.application import application_accept, application_create
from microreach.web.creators.imports import import_batch_create, import_files
from microreach.web.creators.models import Creator, FollowerCountSnapshot, SocialAccount
from microreach.web.discovery import services as discovery_services
from microreach.web.engine_text import percent_text, score_text, term
from microreach.web.errors import ApplicationError
from tests import factories
from tests.web.campaigns import helpers as h

PROFILE_HEADER = [
    "network",
    "handle",
    "username",
    "full_name",
    "bio",
    "followers",
    "following",
    "posts",
    "has_profile_pic",
    "is_private",
    "is_verified",
    "external_url",
]


def _follower_file(path: Path, handle: str, n: int = 300) -> Path:
    """A follower sample: mostly real-looking profiles, one in five bought-looking."""
    with path.open("w", encoding="utf-8", newline="") as sink:
        writer = csv.writer(sink, lineterminator="\n")
        writer.writerow(PROFILE_HEADER)
        for i in range(n):
            fake = i % 5 == 0
            writer.writerow(
                [
                    "instagram",
                    handle,
                    f"user{9000 + i * 7}{i % 10}" if fake else f"friend.of.lea.{i}",
                    "" if fake else f"Friend {i}",
                    "" if fake else "Cuisine et voyages",
                    3 if fake else 150 + i,
                    4000 + i if fake else 200 + i % 300,
                    0 if fake else 20 + i % 50,
                    "false" if fake else "true",
                    "false",
                    "false",
                    "" if fake or i % 3 else "https://example.org/me",
                ]
            )
    return path


def _creator(handle: str, followers: int, seed: int):
    """An Instagram creator with 40 posts over four months, comments and a follower history; claimed."""
    user = factories.creator_user(username=f"{handle.replace('.', '_')}_user")
    account = factories.account(handle=handle, followers=followers, country="FR", language="fr")
    Creator.objects.filter(pk=account.creator_id).update(claimed_by=user, claimed_at=timezone.now())
    now = timezone.now()
    for k in range(40):
        factories.post(
            account=account,
            published_at=now - timedelta(days=3 * k + 1),
            likes=int(followers * (0.02 + 0.01 * ((k * seed) % 5) / 4)),
            comments=8 + (k * seed) % 13,
            shares=2 + k % 4,
            saves=5 + k % 6,
            caption=f"Recette du jour {k} #cuisine",
            hashtags=["cuisine"],
        )
    today = now.date()
    for d in range(120):
        FollowerCountSnapshot.objects.create(
            account=account, date=today - timedelta(days=120 - d), followers=followers - 3 * (120 - d)
        )
    return user, tenant_for(user), account


def build_world(tmp_path: Path) -> dict[str, object]:
    """Two creators audited for real, a brand with Léa's follower sample, a campaign both joined."""
    brand_user, brand = h.brand()
    org_id = h.org_of(brand_user)
    _lea_user, lea_tenant, lea = _creator("lea.cuisine", 12_000, seed=3)
    _tom_user, tom_tenant, tom = _creator("tom.cuisine", 15_000, seed=7)
    # the brand imports a follower sample of Léa (private to it)
    followers = _follower_file(tmp_path / "followers.csv", "lea.cuisine")
    import_files(
        batch=import_batch_create(files=[str(followers)], organisation_id=org_id), record_type="follower"
    )
    # the worker's audit job: population, shared audits, then audits with the brand's sample
    ids = [lea.pk, tom.pk]
    audit_services.population_rebuild()
    audit_services.audits_run(account_ids=ids)
    audit_services.audits_run(account_ids=ids, organisation_id=org_id)
    discovery_services.search_index_refresh(account_ids=None)
    # both apply to the brand's campaign and are accepted (their figures must stay)
    campaign = h.open_campaign(brand, creators_wanted=3)
    apps = {}
    for tenant, account in ((lea_tenant, lea), (tom_tenant, tom)):
        apps[account.handle] = application_create(
            tenant=tenant,
            campaign_id=campaign.pk,
            account_id=account.pk,
            pitch="J'adore.",
            accept_brief=True,
            proposed_fee="120",
        )
    for app in apps.values():
        application_accept(tenant=brand, application_id=app.pk, agreed_fee=h.Decimal("130"))
    return {"brand": brand_user, "campaign": campaign, "apps": apps, "org": org_id}


@pytest.fixture
def world(transactional_db, tmp_path):
    return build_world(tmp_path)


def _expected(handle: str, org_id: int) -> dict[str, object]:
    account = SocialAccount.objects.get(handle=handle)
    own = AuditRecord.objects.filter(account=account, organisation_id=org_id, is_latest=True).first()
    record = own or AuditRecord.objects.get(account=account, organisation__isnull=True, is_latest=True)
    return {
        "record": record,
        "score": score_text(record.score),
        "fake": percent_text(record.fake_share),
        "source": record.fake_source,
        "risk": record.risk_level,
    }


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _card(html: str, handle: str) -> str:
    start = html.index(f'data-handle="{handle}"')
    end = html.find('class="result-card"', start)
    return html[start : end if end > 0 else len(html)]


def _cell(fragment: str, css: str) -> str:
    match = re.search(rf'class="{css}"[^>]*>([^<]*)<', fragment)
    assert match, f"no {css} in {fragment[:400]}"
    return match.group(1).strip()


@pytest.mark.parametrize("handle, source", [("lea.cuisine", "measured"), ("tom.cuisine", "estimated")])
def test_one_creator_shows_the_same_figures_on_every_decision_point(world, client_for, handle, source):
    web = client_for(world["brand"])
    want = _expected(handle, world["org"])
    record = want["record"]
    # the audit has every figure a brand decides on: a score, a fake share with its source, a verdict
    assert record.status == "ok"
    assert want["source"] == source and record.fake_share is not None and record.score is not None
    assert want["risk"] in {"low", "medium", "high"}
    shown = {"score": want["score"], "fake": want["fake"]}

    # audit page and API
    page = web.get(f"/audits/instagram/{handle}/").content.decode()
    assert re.search(r'id="aqs-score">\s*' + re.escape(shown["score"]) + "<", page)
    assert re.search(r'id="fake-share">\s*' + re.escape(shown["fake"]) + "<", page)
    # its interval keeps the [low, high] form; the level is written by the one percent formatter
    assert "90% interval [" in page and 'class="summary-fake-interval" title="90% interval"' in page
    french = web.get(f"/audits/instagram/{handle}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "intervalle à 90\xa0% [" in french and 'title="intervalle à 90\xa0%"' in french
    api = web.get(f"/api/audits/instagram/{handle}").json()
    assert api["quality_score"] == api["score"]
    assert (api["score"], api["fake_share"], api["fake_share_source"]) == (
        record.score,
        record.fake_share,
        source,
    )
    assert api["risk"]["level"] == want["risk"]
    # a measured share says the size of its sample (what its interval's width depends on), everywhere
    samples = record.sample_size
    assert (samples is not None) == (source == "measured") and api["follower_sample_size"] == samples
    label = f"measured on a sample of {samples:,} followers" if samples else "estimated, no follower sample"
    assert label in page

    # search card and API (the brand sees its own measured figure even though search is shared)
    card = _card(web.get("/discover/", {"q": "cuisine"}).content.decode(), handle)
    assert (_cell(card, "summary-score"), _cell(card, "summary-fake")) == (shown["score"], shown["fake"])
    assert f'data-risk="{want["risk"]}"' in card and f'data-fake-source="{source}"' in card
    (item,) = [
        i for i in web.get("/api/discovery/search", {"q": "cuisine"}).json()["items"] if i["handle"] == handle
    ]
    assert (item["quality_score"], item["fake_share"], item["fake_share_source"]) == (
        record.score,
        record.fake_share,
        source,
    )
    assert item["risk"]["level"] == want["risk"] and item["follower_sample_size"] == samples
    assert label in card

    # creator page
    account = SocialAccount.objects.get(handle=handle)
    creator = web.get(f"/discover/creators/{account.pk}/").content.decode()
    assert (_cell(creator, "summary-score"), _cell(creator, "summary-fake")) == (
        shown["score"],
        shown["fake"],
    )

    # applicants page and API (accepted: the figures stay)
    campaign = world["campaign"]
    app = Application.objects.get(campaign=campaign, account=account)
    applicants = web.get(f"/campaigns/{campaign.pk}/applicants/").content.decode()
    row = applicants[applicants.index(f'name="id" value="{app.pk}"') :]
    row = row[: row.index("</tr>")]
    assert (_cell(row, "summary-score"), _cell(row, "summary-fake")) == (shown["score"], shown["fake"])
    assert f'data-risk="{want["risk"]}"' in row
    body = web.get(f"/api/campaigns/{campaign.pk}/applicants").json()
    (out,) = [a["application"] for a in body["rows"] if a["application"]["handle"] == handle]
    assert (out["quality_score"], out["fake_share"], out["fake_share_source"]) == (
        record.score,
        record.fake_share,
        source,
    )
    assert out["risk"]["level"] == want["risk"] and out["follower_sample_size"] == samples
    assert label in row

    # comparison
    ids = [a.pk for a in world["apps"].values()]
    compare = web.get(f"/campaigns/{campaign.pk}/compare/", {"id": ids}).content.decode()
    # (one column per application, in the header's order: each column's own summary cells)
    handles = re.findall(r">@([\w.]+)</a></th>", compare)
    scores = re.findall(r'class="summary-score"[^>]*>([^<]*)<', compare)
    fakes = re.findall(r'class="summary-fake">([^<]*)<', compare)
    assert len(handles) == len(scores) == len(fakes) == 2
    column = dict(zip(handles, zip(scores, fakes, strict=True), strict=True))
    assert column[handle] == (shown["score"], shown["fake"])

    # campaign report: page, API and spreadsheet
    report = web.get(f"/reports/campaigns/{campaign.pk}/").content.decode()
    summary_row = report[report.index(f'<tr data-handle="{handle}"') :]
    summary_row = summary_row[: summary_row.index("</tr>")]
    assert (_cell(summary_row, "summary-score"), _cell(summary_row, "summary-fake")) == (
        shown["score"],
        shown["fake"],
    )
    assert f"risk-{want['risk']}" in summary_row
    pdf = web.get(f"/reports/campaigns/{campaign.pk}/report.pdf")
    if (
        pdf.status_code == 200
    ):  # WeasyPrint needs Pango (installed by .ci/run); the page says when it is missing
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
        table = " ".join(text[text.index("Audit summary per creator") :].split())
        entry = table[table.index(f"@{handle}") + 1 :]
        entry = entry[: entry.index("@") if "@" in entry else len(entry)]
        assert f" {shown['score']} {shown['fake']} " in entry
    api_report = web.get(f"/api/reports/campaigns/{campaign.pk}").json()["report"]
    (creator_out,) = [c for c in api_report["creators"] if handle in c["label"]]
    assert creator_out["quality_score"] == record.score
    assert creator_out["fake_share"] == record.fake_share
    xlsx = web.get(f"/reports/campaigns/{campaign.pk}/report.xlsx")
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content), read_only=True)
    cells = {
        str(c)
        for sheet in book.worksheets
        for r in sheet.iter_rows(values_only=True)
        for c in r
        if c is not None
    }
    assert handle in cells

    # shortlist: page, API (list, entry) and CSV — the organisation's own figures too
    shortlist = web.post("/api/discovery/shortlists", {"name": "Cuisine"}, content_type="application/json")
    list_id = shortlist.json()["id"]
    added = web.post(
        f"/api/discovery/shortlists/{list_id}/entries",
        {"account_id": account.pk},
        content_type="application/json",
    ).json()
    detail = web.get(f"/api/discovery/shortlists/{list_id}").json()
    for creator_out in (added["creator"], detail["items"][0]["creator"]):
        assert (
            creator_out["quality_score"],
            creator_out["fake_share"],
            creator_out["fake_share_source"],
        ) == (
            record.score,
            record.fake_share,
            source,
        )
        assert creator_out["follower_sample_size"] == samples
    listed = web.get(f"/discover/shortlists/{list_id}/").content.decode()
    assert (_cell(listed, "summary-score"), _cell(listed, "summary-fake")) == (shown["score"], shown["fake"])
    csv_text = web.get(f"/api/discovery/shortlists/{list_id}/export.csv").content.decode()
    header, line = csv_text.splitlines()[:2]
    fake_cell = line.split(",")[header.split(",").index("fake_share")]
    assert abs(float(fake_cell) - record.fake_share) <= 0.00005 + 1e-12  # to its 4 written digits
    cells = dict(zip(header.split(","), line.split(","), strict=True))
    assert abs(float(cells["fake_share_low"]) - record.fake_low) <= 0.00005 + 1e-12
    assert abs(float(cells["fake_share_high"]) - record.fake_high) <= 0.00005 + 1e-12
    assert cells["follower_sample_size"] == (str(samples) if samples else "")


def test_a_search_filters_and_sorts_on_the_figures_its_viewer_sees(world, client_for):
    # given Léa, whose fake share the brand measured on its own follower sample (the others see an estimate)
    account = SocialAccount.objects.get(handle="lea.cuisine")
    own = AuditRecord.objects.get(account=account, organisation_id=world["org"], is_latest=True)
    shared = AuditRecord.objects.get(account=account, organisation__isnull=True, is_latest=True)
    assert own.fake_share != shared.fake_share and own.score != shared.score
    web = client_for(world["brand"])
    other = client_for(h.brand()[0])

    def handles(client, **params):
        body = client.get("/api/discovery/search", {"q": "cuisine", **params}).json()
        return [i["handle"] for i in body["items"]], body

    # when a bound lies between the two fake shares, each viewer finds Léa by the share it is shown (as
    # shown: rounded, ADR 0005 point 7)
    low, high = sorted((own.fake_share, shared.fake_share))
    bound = round(100 * (low + high) / 2, 6)
    own_fake, shared_fake = (_shown_number(percent_text(f)) for f in (own.fake_share, shared.fake_share))
    assert ("lea.cuisine" in handles(web, fake_share_max=bound)[0]) == (own_fake <= Decimal(str(bound)))
    assert ("lea.cuisine" in handles(other, fake_share_max=bound)[0]) == (shared_fake <= Decimal(str(bound)))
    # and the total counts what the page lists
    found, body = handles(web, fake_share_max=bound)
    assert body["total"] == len(found)
    total = web.get("/api/discovery/search/total", {"q": "cuisine", "fake_share_max": bound}).json()
    assert total["total"] == len(found)
    # the same for the score: a minimum between the two
    floor = round((own.score + shared.score) / 2, 6)
    assert ("lea.cuisine" in handles(web, quality_min=floor)[0]) == (int(score_text(own.score)) >= floor)
    assert ("lea.cuisine" in handles(other, quality_min=floor)[0]) == (int(score_text(shared.score)) >= floor)
    # sorted by quality, the scores the page shows never rise
    for client in (web, other):
        items = client.get("/api/discovery/search", {"q": "cuisine", "sort": "quality"}).json()["items"]
        scores = [i["quality_score"] for i in items if i["quality_score"] is not None]
        assert scores == sorted(scores, reverse=True)
    # and without text, the default order is the score each viewer is shown, best first, unaudited last
    for client in (web, other):
        items = client.get("/api/discovery/search").json()["items"]
        shown = [i["quality_score"] for i in items]
        assert len(items) > 1 and shown[0] is not None
        audited = [score for score in shown if score is not None]
        assert shown == audited + [None] * (len(shown) - len(audited))
        assert audited == sorted(audited, reverse=True)


def test_the_wizard_counts_and_the_marketplace_judges_on_the_figures_the_campaign_brand_sees(
    world, client_for
):
    # given Léa, whose fake share the brand measured on its own follower sample above 12 % while the shared
    # estimate every other brand sees is under it; Tom, estimated under it for every brand
    lea = SocialAccount.objects.get(handle="lea.cuisine")
    own = AuditRecord.objects.get(account=lea, organisation_id=world["org"], is_latest=True)
    shared = AuditRecord.objects.get(account=lea, organisation__isnull=True, is_latest=True)
    assert shared.fake_share < 0.12 < own.fake_share
    web = client_for(world["brand"])
    criteria = {"country": "FR", "network": "instagram", "fake_share_max": "12"}
    # when the brand's wizard counts the creators its targeting lets in, and its Discover search counts them
    web.post("/campaigns/new/steps/", {"title": "Cuisine", "what_to_say": "Cuisinez.", "tone": "warm"})
    draft = Campaign.objects.filter(state=CampaignState.DRAFT).get()
    step = {
        "wizard_step": "creators",
        "networks": ["instagram"],
        "countries": ["FR"],
        "max_fake_share": "12",
        "unknown_figures": "exclude",
        "creators_wanted": "4",
        "languages": [],
    }
    summary = web.post(f"/campaigns/{draft.pk}/steps/summary/", step)
    searched = web.get("/api/discovery/search", criteria).json()
    total = web.get("/api/discovery/search/total", criteria).json()["total"]
    # then the wizard says as many as the search lists: Tom, not Léa (the brand sees her at 19.9 %)
    assert summary.status_code == 200
    assert [i["handle"] for i in searched["items"]] == ["tom.cuisine"]
    assert (summary.context["match"].matching, summary.context["match"].claimed, total) == (1, 1, 1)
    # and, on a campaign with that rule, Léa is told the brand's figure against its bound
    brand = tenant_for(world["brand"])
    campaign = h.open_campaign(brand, countries=["FR"], max_fake_share=0.12, unknown_figures="exclude")
    other_campaign = h.open_campaign(
        h.brand()[1], countries=["FR"], max_fake_share=0.12, unknown_figures="exclude"
    )
    lea_tenant = tenant_for(lea.creator.claimed_by)
    feed = {i.campaign.pk: i for i in campaign_selectors.creator_feed(tenant=lea_tenant)}
    reason = f"measured fake-follower share {percent_text(own.fake_share)} is above {percent_text(0.12)}"
    assert (feed[campaign.pk].fitting_accounts, feed[campaign.pk].reasons) == ([], {"@lea.cuisine": [reason]})
    # while another brand, which sees the shared estimate, takes her
    assert [a.handle for a in feed[other_campaign.pk].fitting_accounts] == ["lea.cuisine"]
    assert feed[other_campaign.pk].reasons == {}
    # and her application to the brand's campaign is refused for the same reason, nothing stored
    before = Application.objects.count()
    with pytest.raises(ApplicationError) as refused:
        application_create(
            tenant=lea_tenant,
            campaign_id=campaign.pk,
            account_id=lea.pk,
            pitch="Oui.",
            accept_brief=True,
            proposed_fee="120",
        )
    assert refused.value.details == {"reasons": [reason]}
    assert Application.objects.count() == before


@pytest.mark.parametrize("handle", ["lea.cuisine", "tom.cuisine"])
def test_engagement_relay_and_tier_read_the_same_on_every_place(world, client_for, handle):
    """Item 3 beyond score and fake share: the engagement rate creators are compared on, the relay and the
    tier are the stored audit's, at the precision each place shows, in words (never a tier's code)."""
    web = client_for(world["brand"])
    record = _expected(handle, world["org"])["record"]
    assert record.engagement_rate is not None and record.relay_rate is not None and record.tier
    engagement, relay = percent_text(record.engagement_rate, 2), percent_text(record.relay_rate, 2)
    tier = term("tier", record.tier)
    account = SocialAccount.objects.get(handle=handle)
    # the audit page: its summary, the compared rate, the peers table's "this account" row and the relay
    page = web.get(f"/audits/instagram/{handle}/").content.decode()
    assert _cell(page, "summary-engagement") == engagement
    assert re.search(r'id="engagement-compared"><div class="figure">' + re.escape(engagement) + "<", page)
    peers = page[page.index('id="peers"') :]
    peers = peers[: peers.index("</table>")]
    assert [_text(v).strip() for v in re.findall(r'data-label="Value">(.*?)</td>', peers)] == [
        engagement,
        relay,
    ]
    assert re.search(r'id="relay"><div class="figure">' + re.escape(relay) + "<", page)
    api = web.get(f"/api/audits/instagram/{handle}").json()
    assert (api["engagement_rate"], api["relay_rate"], api["tier"]) == (
        record.engagement_rate,
        record.relay_rate,
        record.tier,
    )
    # the search card and API, the creator page
    card = _card(web.get("/discover/", {"q": "cuisine"}).content.decode(), handle)
    assert _cell(card, "summary-engagement") == engagement
    assert f">{tier}</strong>" in card
    (item,) = [
        i for i in web.get("/api/discovery/search", {"q": "cuisine"}).json()["items"] if i["handle"] == handle
    ]
    assert (item["engagement_rate"], item["tier"]) == (record.engagement_rate, record.tier)
    creator = web.get(f"/discover/creators/{account.pk}/").content.decode()
    assert _cell(creator, "summary-engagement") == engagement
    # the applicants row and API, the comparison
    campaign = world["campaign"]
    app = Application.objects.get(campaign=campaign, account=account)
    applicants = web.get(f"/campaigns/{campaign.pk}/applicants/").content.decode()
    row = applicants[applicants.index(f'name="id" value="{app.pk}"') :]
    row = row[: row.index("</tr>")]
    assert _text(_cell(row, "summary-engagement")).strip() == engagement
    assert re.search(r'data-label="Tier">\s*' + re.escape(tier) + r"\s*<", row)
    body = web.get(f"/api/campaigns/{campaign.pk}/applicants").json()
    (out,) = [a["application"] for a in body["rows"] if a["application"]["handle"] == handle]
    assert (out["engagement_rate"], out["tier"]) == (record.engagement_rate, record.tier)
    ids = [a.pk for a in world["apps"].values()]
    compare = web.get(f"/campaigns/{campaign.pk}/compare/", {"id": ids}).content.decode()
    handles = re.findall(r">@([\w.]+)</a></th>", compare)
    rates = re.findall(r'class="summary-engagement">([^<]*)<', compare)
    tiers = re.findall(
        r"<td>([^<]*)</td>",
        compare[compare.index("<tbody>") : compare.index("</tr>", compare.index("<tbody>"))],
    )
    assert dict(zip(handles, zip(rates, tiers, strict=True), strict=True))[handle] == (engagement, tier)


# A filter on a figure compares the figure as shown (web/shown_figures.py, ADR 0005 point 7).
SHOWN = {
    shown_figures.QUALITY_SCORE: score_text,
    shown_figures.FAKE_SHARE: lambda v: percent_text(v, shown_figures.FAKE_SHARE.digits),
    shown_figures.ENGAGEMENT_RATE: lambda v: percent_text(v, shown_figures.ENGAGEMENT_RATE.digits),
    shown_figures.SPONSORED_SHARE: lambda v: percent_text(v, shown_figures.SPONSORED_SHARE.digits),
}


def _shown_number(text: str) -> Decimal:
    return Decimal(text.rstrip("%").replace(",", "").replace("\N{MINUS SIGN}", "-"))


@pytest.mark.parametrize("figure", list(SHOWN), ids=lambda f: f.name)
@settings(max_examples=300, deadline=None)
@given(
    stored=st.floats(min_value=0, max_value=1, allow_nan=False),
    bound=st.decimals(min_value=0, max_value=100, places=3),
)
def test_a_figure_passes_a_bound_exactly_when_the_figure_shown_does(figure, stored, bound):
    # given a stored figure (a score is stored in points 0-100: scaled up) and a bound as a brand types it
    stored = stored * 100 if not figure.in_percent else stored
    shown = _shown_number(SHOWN[figure](stored))
    # then the thresholds search and eligibility compare the stored figure with say what the page shows
    assert shown_figures.meets_min(figure, stored, bound) == (shown >= bound)
    assert shown_figures.meets_max(figure, stored, bound) == (shown <= bound)
    assert shown_figures.shown(figure, stored) == shown


@pytest.mark.parametrize("figure", list(SHOWN), ids=lambda f: f.name)
@settings(max_examples=200, deadline=None)
@given(bound=st.decimals(min_value=0, max_value=100, places=3))
def test_a_threshold_is_the_first_stored_value_shown_past_the_bound(figure, bound):
    # "shown >= bound" starts at at_least, not one float before; "shown <= bound" stops one float before above
    least, beyond = shown_figures.at_least(figure, bound), shown_figures.above(figure, bound)
    assert _shown_number(SHOWN[figure](least)) >= bound
    assert _shown_number(SHOWN[figure](math.nextafter(least, -math.inf))) < bound
    assert _shown_number(SHOWN[figure](beyond)) > bound
    assert _shown_number(SHOWN[figure](math.nextafter(beyond, -math.inf))) <= bound


@pytest.mark.parametrize(
    ("figure", "stored", "shown"),
    [
        (shown_figures.QUALITY_SCORE, 79.49, "79"),
        (shown_figures.QUALITY_SCORE, 79.5, "80"),
        (shown_figures.QUALITY_SCORE, 78.5, "79"),
        (shown_figures.FAKE_SHARE, 0.12049, "12.0%"),
        (shown_figures.FAKE_SHARE, 0.1205, "12.1%"),
        (shown_figures.ENGAGEMENT_RATE, 0.02995, "3.00%"),
        (shown_figures.SPONSORED_SHARE, 0.205, "21%"),
    ],
)
def test_the_pages_show_the_figures_at_the_precision_their_filters_compare(figure, stored, shown):
    assert SHOWN[figure](stored) == shown
    assert (shown_figures.at_least(figure, _shown_number(shown)) <= stored) is True
    assert (stored < shown_figures.above(figure, _shown_number(shown))) is True


@pytest.mark.django_db
def test_the_applicants_filters_keep_the_applicants_shown_within_the_bounds(client_for):
    # given applicants either side of a score shown 80 and of a fake share shown 12.0 %
    user, brand = h.brand()
    campaign = h.open_campaign(brand, creators_wanted=10)
    for handle, score, fake in (
        ("score_79_49", 79.49, 0.05),
        ("score_79_5", 79.5, 0.05),
        ("fake_12_049", 80.0, 0.12049),
        ("fake_12_05", 80.0, 0.1205),
    ):
        h.apply(campaign, handle=handle, score=score, fake=fake)
    web = client_for(user)
    # when the brand filters on "score at least 80" and "fake share at most 12 %", on the page and the API
    html = web.get(f"/campaigns/{campaign.pk}/applicants/", {"min_score": "80", "fake_share_max": "12"})
    page = sorted(set(re.findall(r">@(\w+)<", html.content.decode())))
    api = web.get(f"/api/campaigns/{campaign.pk}/applicants", {"min_score": 80, "max_fake": 0.12}).json()
    # then both keep those shown 80 and 12.0 %, never those shown 79 or 12.1 %
    assert page == ["fake_12_049", "score_79_5"]
    assert (sorted(r["application"]["handle"] for r in api["rows"]), api["total"]) == (
        ["fake_12_049", "score_79_5"],
        2,
    )
