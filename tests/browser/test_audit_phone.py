"""The audit page of a YouTube creator on a phone (390×844) and a laptop (1366×768), in English and French:
the page never scrolls sideways (the score table stacks its rows, a long handle breaks), every chart's text
is at least 11 px high, and the figures a brand decides on say why one is missing."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from microreach.core.population import PeerGroup, empty_population, population_to_data
from microreach.web.accounts.models import Membership
from microreach.web.audits import selectors
from microreach.web.audits.models import AuditRecord, PopulationSnapshot
from microreach.web.creators.imports import import_batch_create, import_files
from microreach.web.creators.models import FollowerCountSnapshot, SocialAccount
from tests import factories
from tests.browser.conftest import SCREENSHOTS, log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
HANDLE = "clemence_richard.32m"
QUANTILES = tuple(0.01 + 0.0005 * i for i in range(101))


def _days_ago(days: int) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).strftime("%Y-%m-%dT10:00:00Z")


def youtube_world(tmp_path: Path, org_id: int) -> AuditRecord:
    """A YouTube creator with a long handle, videos without shares or saves (no relay to measure), a
    follower sample, a history of follower counts and a 31-peer band; returns the brand's audit."""
    accounts = (
        "# microreach: record_type=account, version=1\n"
        "network,handle,followers,following,country,language,topics\n"
        f"youtube,{HANDLE},34802,120,FR,fr,lifestyle\n"
    )
    posts = [
        "# microreach: record_type=post, version=1",
        "network,handle,network_post_id,published_at,caption,likes,comments,views",
    ]
    posts += [
        f"youtube,{HANDLE},v{i},{_days_ago(5 + 4 * i)},Vlog {i},{900 + 20 * i},{40 + i},{20000 + 300 * i}"
        for i in range(12)
    ]
    followers = [
        "# microreach: record_type=follower, version=1",
        "network,handle,follower_username,followers,following,posts,has_profile_picture",
    ]
    followers += [f"youtube,{HANDLE},bot{i}_{i * 7919 % 100000},2,4800,0,false" for i in range(9)]
    followers += [f"youtube,{HANDLE},viewer.{i},{200 + i},{300 + i},{40 + i},true" for i in range(91)]
    files = []
    for name, text in (
        ("a.csv", accounts),
        ("p.csv", "\n".join(posts) + "\n"),
        ("f.csv", "\n".join(followers) + "\n"),
    ):
        (tmp_path / name).write_text(text, encoding="utf-8")
        files.append(str(tmp_path / name))
    # the account first, then its 60 days of follower counts, then its posts and sample (audited with them)
    import_files(batch=import_batch_create(files=files[:1], organisation_id=org_id))
    account = SocialAccount.objects.get(handle=HANDLE)
    today = datetime.now(UTC).date()
    for d in range(60):
        FollowerCountSnapshot.objects.create(
            account=account, date=today - timedelta(days=60 - d), followers=34_000 + 13 * d
        )
    import_files(batch=import_batch_create(files=files[1:], organisation_id=org_id))
    record = AuditRecord.objects.get(account__handle=HANDLE, organisation_id=org_id, is_latest=True)
    # compared with 31 YouTube peers of 15,849–70,795 followers (a stored band of quantiles)
    group = PeerGroup("youtube", 80, 15_849, 70_795, 31, {"engagement_rate": QUANTILES})
    snapshot = dataclasses.replace(
        empty_population(as_of=datetime(2026, 10, 1, tzinfo=UTC)),
        population_id="pop-yt",
        groups={("youtube", 80): group},
    )
    PopulationSnapshot.objects.create(
        population_id="pop-yt",
        as_of=snapshot.as_of,
        accounts=31,
        rules_version="t",
        data=population_to_data(snapshot=snapshot),
    )
    peer = {
        "network": "youtube",
        "low_followers": 15_849,
        "high_followers": 70_795,
        "peers": 31,
        "reason": None,
    }
    record.population_id = "pop-yt"
    record.result["peers"] = [
        {**peer, "metric": "engagement_rate", "value": 0.0485, "percentile": 93.0},
        {**peer, "metric": "relay_rate", "value": None, "percentile": None},
    ]
    record.save(update_fields=["population_id", "result"])
    selectors._peer_band_quantiles.cache_clear()
    return record


# Every chart text drawn on screen, with its size in CSS pixels (its font size times the chart's scale).
CHART_TEXT = """() => Array.from(document.querySelectorAll('svg.chart text')).filter(
  (t) => t.getBoundingClientRect().width > 0).map((t) => {
    const svg = t.ownerSVGElement;
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return [t.textContent, Math.round(parseFloat(t.getAttribute('font-size')) * scale * 10) / 10];
  })"""


@pytest.mark.parametrize("language", ["en-GB", "fr-FR"])
def test_a_youtube_audit_fits_a_phone_with_readable_charts(browser, live_server, tmp_path, language):
    # given a brand that audited a YouTube creator with a long handle, a follower sample and a peer band
    admin = factories.member(username="claire")
    youtube_world(tmp_path, Membership.objects.get(user=admin).organisation_id)
    context = browser.new_context(base_url=live_server.url, locale=language, viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(20_000)
    lang = language[:2]
    try:
        log_in(page, "claire")
        # when she opens the audit on a phone
        page.goto(f"/audits/youtube/{HANDLE}/")
        screenshot(page, f"audit-youtube-{lang}-390")
        for part in ("aqs", "engagement", "authenticity", "growth"):
            page.locator(f"#{part}").screenshot(
                path=str(SCREENSHOTS / f"audit-youtube-{lang}-390-{part}.png")
            )
        # then the page is no wider than the phone
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
        # the score table's every figure is inside the window (its rows stack, no column cut off)
        cells = page.evaluate(
            "() => Array.from(document.querySelectorAll('#aqs-parts td')).map((td) => td.getBoundingClientRect().right)"
        )
        assert cells and max(cells) <= 390, cells
        # and every chart text on screen is at least 11 px high
        texts = page.evaluate(CHART_TEXT)
        assert len(texts) > 10, texts
        small = [(text, size) for text, size in texts if size < 11]
        assert small == [], small
        # the peer band says what its shades are, in a legend
        legend = page.locator("#engagement-peers-chart .chart-legend").all_text_contents()
        assert len(legend) == 4, legend
        # and on a laptop too, nothing overflows
        page.set_viewport_size(LAPTOP)
        page.goto(f"/audits/youtube/{HANDLE}/")
        screenshot(page, f"audit-youtube-{lang}-1366")
        for part in ("engagement", "authenticity", "growth"):
            page.locator(f"#{part}").screenshot(
                path=str(SCREENSHOTS / f"audit-youtube-{lang}-1366-{part}.png")
            )
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 1366
        texts = page.evaluate(CHART_TEXT)
        assert [(t, s) for t, s in texts if s < 11 or s > 20] == [], texts
    finally:
        context.close()
