"""Reports mark measured figures with their source and age, and estimated ones as such (issue 17); the
creator's reply to a flag stands beside it in the report (issue 16 item 6)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from microreach.web.audits.models import AuditAnswer, AuditRecord
from microreach.web.campaigns.models import CampaignPost
from microreach.web.creators.models import Post, Source

pytestmark = pytest.mark.django_db


def _sources(finished) -> None:
    """Post a1 read from the connected Instagram account 2 days ago; a2 from a file import 9 days ago; the
    TikTok post from the simulator without a fetch time."""
    now = timezone.now()
    posts = {cp.post.network_post_id: cp.post for cp in CampaignPost.objects.select_related("post")}
    first, second, third = sorted(posts.values(), key=lambda p: p.pk)
    Post.objects.filter(pk=first.pk).update(
        source=Source.CONNECTED_API, fetched_at=now - timedelta(days=2, hours=1)
    )
    Post.objects.filter(pk=second.pk).update(
        source=Source.FILE_IMPORT, fetched_at=now - timedelta(days=9, hours=1)
    )
    Post.objects.filter(pk=third.pk).update(source=Source.SIMULATOR, fetched_at=None)


def test_csv_and_workbook_mark_each_post_measured_with_its_source_and_age(finished, brand_client):
    _sources(finished)
    pk = finished.campaign.pk
    rows = list(
        csv.DictReader(io.StringIO(brand_client.get(f"/reports/campaigns/{pk}/report.csv").content.decode()))
    )
    marks = sorted((r["data_source"], r["data_age_days"], r["emv_basis"]) for r in rows)
    assert marks == [
        ("connected_api", "2", "estimated"),
        ("file_import", "9", "estimated"),
        ("simulator", "", "estimated"),
    ]
    wb = load_workbook(io.BytesIO(brand_client.get(f"/reports/campaigns/{pk}/report.xlsx").content))
    posts = list(wb["Posts"].iter_rows(values_only=True))
    header = list(posts[0])
    source_col = header.index("Data source")
    assert sorted(r[source_col] for r in posts[1:]) == ["Instagram API", "imported file", "simulated data"]
    summary = {row[0]: row for row in wb["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Earned media value"][6] == "estimated"
    assert summary["Engagements"][6] == "measured"
    assert "1 post measured from Instagram API, newest data 2 days old" in summary


def test_report_page_says_measured_or_estimated_and_where_figures_come_from(finished, brand_client):
    _sources(finished)
    html = brand_client.get(f"/reports/campaigns/{finished.campaign.pk}/").content.decode()
    assert '<span class="basis basis-estimated" data-basis="estimated">(estimated)</span>' in html
    assert '<span class="basis basis-measured" data-basis="measured">(measured)</span>' in html
    assert "1 post measured from Instagram API, newest data 2 days old" in html
    assert "1 post measured from imported file, newest data 9 days old" in html
    assert "Estimated, not measured: earned media value" in html
    assert "Instagram API, 2 days old" in html  # the post's own row


def test_a_creators_reply_stands_beside_their_verdict_in_the_report(finished, brand_client):
    account = finished.app_a.account
    AuditRecord.objects.create(
        account=account,
        population_id="t",
        as_of=timezone.now(),
        status="ok",
        score=60.0,
        risk_level="medium",
        risk={"level": "medium", "reasons": [{"code": "risk_growth_spikes", "params": {"spikes": 1}}]},
        result={},
    )
    AuditAnswer.objects.create(account=account, code="risk_growth_spikes", text="Giveaway <b>12 March</b>")
    html = brand_client.get(f"/reports/campaigns/{finished.campaign.pk}/").content.decode()
    assert "Giveaway &lt;b&gt;12 March&lt;/b&gt;" in html
    assert 'class="creator-reply" data-code="risk_growth_spikes"' in html


def test_a_reply_to_a_flagged_post_names_the_post_by_its_caption_as_the_flag_does(finished, brand_client):
    # given a creator who replied to the flag on one of their posts (sponsored, not disclosed)
    account = finished.app_a.account
    post = Post.objects.filter(account=account).order_by("pk").first()
    Post.objects.filter(pk=post.pk).update(caption="Mon nouveau vélo de ville, merci @velo pour ce cadeau")
    params = {"post": post.network_post_id, "date": post.published_at.date().isoformat()}
    AuditAnswer.objects.create(
        account=account,
        code="flag_undisclosed_post",
        finding_key=post.network_post_id,
        params=params,
        text="Gifted, tagged #ad in the story",
    )
    # when the brand reads the campaign's report
    html = brand_client.get(f"/reports/campaigns/{finished.campaign.pk}/").content.decode()
    # then the reply names the post by its day and its caption's first words, never by the network's id
    reply = html.split('data-code="flag_undisclosed_post"')[1].split("</blockquote>")[0]
    assert (
        "“Mon nouveau vélo de ville, merci @velo pour ce cadeau”: sponsored, not properly disclosed" in reply
    )
    assert post.network_post_id not in reply


def test_api_marks_each_figure_and_lists_the_sources(finished, brand_client):
    _sources(finished)
    data = brand_client.get(f"/api/reports/campaigns/{finished.campaign.pk}").json()
    basis = {m["key"]: m["basis"] for m in data["summary"]}
    assert (basis["emv"], basis["engagements"], basis["spend"]) == ("estimated", "measured", "")
    assert "1 post measured from Instagram API, newest data 2 days old" in data["provenance"]
    sources = sorted(p["source"] for p in data["report"]["posts"])
    assert sources == ["connected_api", "file_import", "simulator"]


def test_pdf_carries_the_same_marks(finished, brand_client, needs_pdf):
    import re

    from pypdf import PdfReader

    _sources(finished)
    response = brand_client.get(f"/reports/campaigns/{finished.campaign.pk}/report.pdf")
    text = re.sub(
        r"\s+", "", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    )
    assert "(estimated)" in text and "(measured)" in text
    assert re.sub(r"\s+", "", "1 post measured from Instagram API, newest data 2 days old") in text
