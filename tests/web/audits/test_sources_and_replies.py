"""The audit summary names its sources with their age (issue 17) and the creator's right of reply to a
flagged finding (issue 16 item 6): who may write, who reads, escaping, deletion."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from microreach.web.audits.models import AuditAnswer, AuditRecord
from microreach.web.creators.models import Creator, FollowerCountSnapshot, Post, Source
from tests import factories

SPIKE = {
    "series": "followers",
    "kind": "spike",
    "date": "2026-03-12",
    "start": "2026-03-11",
    "end": "2026-03-13",
    "change": 4200,
    "excess": 3900.0,
    "robust_z": 9.1,
    "days": 2,
}
PATH = "/audits/instagram/giveaway.one/answer/"


def _audited(creator_user=None, handle: str = "giveaway.one"):
    """An account claimed by ``creator_user`` whose audit flags a follower spike on 12 March."""
    account = factories.account(handle=handle)
    if creator_user is not None:
        Creator.objects.filter(pk=account.creator_id).update(
            claimed_by=creator_user, claimed_at=timezone.now()
        )
    AuditRecord.objects.create(
        account=account,
        population_id="test",
        as_of=datetime(2026, 11, 1, tzinfo=UTC),
        status="ok",
        score=61.0,
        tier="micro",
        growth_spikes=1,
        risk_level="medium",
        risk={
            "level": "medium",
            "reasons": [
                {
                    "code": "risk_growth_spikes",
                    "params": {"spikes": 1},
                    "level": "medium",
                    "evidence": "growth",
                }
            ],
        },
        result={"growth": {"status": "ok", "anomalies": [SPIKE]}, "authenticity": None},
    )
    return account


@pytest.mark.django_db
def test_audit_page_and_api_name_each_source_with_its_age(client_for, brand_admin):
    # given an account read from the connected Instagram account 3 days ago, its history from the same
    # connection and its posts from an imported file 10 days ago
    now = timezone.now()
    account = _audited()
    account.source, account.fetched_at = Source.CONNECTED_API, now - timedelta(days=3, hours=1)
    account.save()
    for day in (1, 2):
        FollowerCountSnapshot.objects.create(
            account=account,
            date=date(2026, 11, day),
            followers=12_000 + day,
            source=Source.CONNECTED_API,
            fetched_at=now - timedelta(days=3, hours=1),
        )
    factories.post(account=account, source=Source.FILE_IMPORT, fetched_at=now - timedelta(days=10, hours=1))
    brand = client_for(brand_admin)
    # when a brand opens the audit page
    page = brand.get("/audits/instagram/giveaway.one/").content.decode()
    # then the summary says where each figure comes from and how old it is
    assert 'id="sources"' in page
    assert "followers from Instagram API, 3 days old" in page
    assert "follower history from Instagram API, 3 days old" in page
    assert "(for growth anomalies)" in page  # which figures each source feeds
    assert "posts from imported file, 10 days old" in page
    assert 'data-kind="posts" data-source="file_import" data-age-days="10"' in page
    # and the API gives the same, with codes for programs
    sources = brand.get("/api/audits/instagram/giveaway.one").json()["sources"]
    by_kind = {s["kind"]: s for s in sources}
    assert (by_kind["profile"]["source"], by_kind["profile"]["age_days"]) == ("connected_api", 3)
    assert (by_kind["follower_history"]["rows"], by_kind["follower_history"]["first"]) == (2, "2026-11-01")
    assert by_kind["posts"]["text"] == "posts from imported file, 10 days old"


@pytest.mark.django_db
def test_sources_in_french(client_for, brand_admin):
    account = _audited()
    account.source, account.fetched_at = Source.CONNECTED_API, timezone.now() - timedelta(days=3, hours=1)
    account.save()
    brand = client_for(brand_admin)
    page = brand.get("/audits/instagram/giveaway.one/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "abonnés depuis API Instagram, il y a 3 jours" in page


@pytest.mark.django_db
def test_a_creator_replies_to_a_spike_edits_and_deletes_it_and_brands_read_it(
    client_for, creator, brand_admin
):
    # given a creator whose audit flags a follower spike on 12 March
    _audited(creator)
    own = client_for(creator)
    page = own.get("/audits/instagram/giveaway.one/").content.decode()
    assert 'name="key" value="followers:2026-03-12"' in page and 'maxlength="500"' in page
    # when they reply to that spike
    response = own.post(
        PATH, {"code": "flag_growth_spike", "key": "followers:2026-03-12", "text": "Giveaway on 12 March"}
    )
    assert response.status_code == 302
    reply = AuditAnswer.objects.get()
    assert (reply.code, reply.finding_key, reply.params["change"], reply.author_id) == (
        "flag_growth_spike",
        "followers:2026-03-12",
        4200,
        creator.pk,
    )
    # then a brand reads it beside the flag on the page and in the API, with no form
    brand = client_for(brand_admin)
    seen = brand.get("/audits/instagram/giveaway.one/").content.decode()
    assert "Giveaway on 12 March" in seen and "answer-form" not in seen
    assert "follower spike of +4,200 followers on" in seen
    # also on the spike's row of the growth table
    assert (
        '<tr class="creator-reply-row"><td colspan="5"><blockquote class="creator-reply" data-key="followers:2026-03-12">'
        in seen
    )
    flags = brand.get("/api/audits/instagram/giveaway.one").json()["flags"]
    spike = next(f for f in flags if f["code"] == "flag_growth_spike")
    assert (spike["key"], spike["reply"]) == ("followers:2026-03-12", "Giveaway on 12 March")
    assert next(f for f in flags if f["code"] == "risk_growth_spikes")["reply"] is None
    # and the creator edits it (one reply per finding), then deletes it
    own.post(PATH, {"code": "flag_growth_spike", "key": "followers:2026-03-12", "text": "Giveaway, 12 March"})
    assert list(AuditAnswer.objects.values_list("text", flat=True)) == ["Giveaway, 12 March"]
    own.post(PATH, {"code": "flag_growth_spike", "key": "followers:2026-03-12", "text": "x", "delete": "1"})
    assert not AuditAnswer.objects.exists()
    assert brand.get("/api/audits/instagram/giveaway.one").json()["creator_answers"] == {}


@pytest.mark.django_db
def test_a_reply_is_plain_text_shown_escaped_and_at_most_500_characters(client_for, creator, brand_admin):
    _audited(creator)
    own = client_for(creator)
    key = {"code": "flag_growth_spike", "key": "followers:2026-03-12"}
    own.post(PATH, {**key, "text": "x" * 501})
    assert not AuditAnswer.objects.exists()
    own.post(PATH, {**key, "text": "<script>alert(1)</script> & co"})
    seen = client_for(brand_admin).get("/audits/instagram/giveaway.one/").content.decode()
    assert "<script>alert(1)</script>" not in seen
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in seen


@pytest.mark.django_db
def test_only_the_claiming_creator_writes_and_only_to_a_finding_the_audit_shows(
    client_for, creator, brand_admin
):
    _audited(creator)
    key = {"code": "flag_growth_spike", "key": "followers:2026-03-12", "text": "mine"}
    # a brand, or another creator, cannot reply, edit or delete for the creator
    assert client_for(brand_admin).post(PATH, key).status_code == 404
    assert client_for(factories.creator_user()).post(PATH, key).status_code == 404
    AuditAnswer.objects.create(
        account=AuditRecord.objects.get().account,
        code="flag_growth_spike",
        finding_key=key["key"],
        text="mine",
    )
    assert client_for(factories.creator_user()).post(PATH, {**key, "delete": "1"}).status_code == 404
    assert AuditAnswer.objects.get().text == "mine"
    # a spike the audit does not show is refused, nothing stored
    own = client_for(creator)
    own.post(PATH, {"code": "flag_growth_spike", "key": "followers:2026-04-01", "text": "no such spike"})
    assert list(AuditAnswer.objects.values_list("finding_key", flat=True)) == ["followers:2026-03-12"]


@pytest.mark.django_db
def test_replies_go_with_the_account_and_with_their_author(client_for, creator):
    account = _audited(creator)
    key = {"code": "flag_growth_spike", "key": "followers:2026-03-12", "text": "Giveaway"}
    own = client_for(creator)
    own.post(PATH, key)
    assert AuditAnswer.objects.count() == 1
    # the creator erases all their replies from their own audit page
    response = own.post("/audits/mine/replies/delete/")
    assert (response.status_code, AuditAnswer.objects.count()) == (302, 0)
    # deleting the creator's user deletes what they wrote
    own.post(PATH, key)
    creator.delete()
    assert AuditAnswer.objects.count() == 0
    # and deleting the account deletes the replies on it
    AuditAnswer.objects.create(account=account, code="risk_growth_spikes", text="x")
    account.delete()
    assert AuditAnswer.objects.count() == 0


@pytest.mark.django_db
def test_a_creator_sees_their_own_audit_summary_with_sources_and_flags(client_for, creator, brand_admin):
    _audited(creator)
    factories.account(handle="someone.else")
    page = client_for(creator).get("/audits/mine/").content.decode()
    assert "<h1>My audits</h1>" in page
    assert "@giveaway.one" in page and "someone.else" not in page
    assert 'class="audit-summary"' in page and 'id="sources"' in page
    assert 'name="key" value="followers:2026-03-12"' in page and 'name="next" value="/audits/mine/"' in page
    # a brand has no such page
    assert client_for(brand_admin).get("/audits/mine/").status_code == 404


@pytest.mark.django_db
def test_post_metrics_keep_their_source(client_for):
    # the report's measured figures read each post's source through creators.contracts.post_metrics
    from microreach.web.creators.contracts import post_metrics

    account = factories.account(handle="src.one")
    p = factories.post(
        account=account, source=Source.CONNECTED_API, fetched_at=datetime(2026, 11, 2, tzinfo=UTC)
    )
    found = post_metrics(post_ids=[p.pk])[p.pk]
    assert (found.source, found.fetched_at) == ("connected_api", datetime(2026, 11, 2, tzinfo=UTC))
    assert Post.objects.count() == 1


@pytest.mark.django_db
def test_a_finding_only_an_organisations_private_audit_shows_cannot_be_replied_to(
    client_for, creator, brand_admin
):
    from microreach.web.accounts.models import Membership

    account = _audited(creator)
    org = Membership.objects.get(user=brand_admin).organisation
    AuditRecord.objects.create(
        account=account,
        organisation=org,
        population_id="test",
        as_of=datetime(2026, 11, 1, tzinfo=UTC),
        status="ok",
        result={"authenticity": {"red_flag": True}},
    )
    client_for(creator).post(PATH, {"code": "flag_fake_followers", "key": "sample", "text": "not fake"})
    assert not AuditAnswer.objects.exists()


@pytest.mark.django_db
def test_a_reply_over_500_characters_comes_back_in_its_form_as_typed(client_for, creator):
    # given a creator whose audit flags a spike, with an earlier reply to it
    _audited(creator)
    own = client_for(creator)
    key = {"code": "flag_growth_spike", "key": "followers:2026-03-12"}
    own.post(PATH, {**key, "text": "Giveaway on 12 March"})
    typed = "A long story. " * 36 + "The end."  # 512 characters
    # when they send a reply one paragraph too long
    response = own.post(PATH, {**key, "text": typed})
    # then the page they come back to says why, with the spike's form open and the text as they typed it
    assert (response.status_code, response["Location"]) == (302, "/audits/instagram/giveaway.one/#summary")
    page = own.get(response["Location"]).content.decode()
    assert "A reply is at most 500 characters (this one has 512)." in page
    assert f'rows="2">{typed}</textarea>' in page
    assert page.count('<details class="reply-details" open>') == 1
    # and the reply stored is still the earlier one, which the next visit shows again
    assert list(AuditAnswer.objects.values_list("text", flat=True)) == ["Giveaway on 12 March"]
    again = own.get("/audits/instagram/giveaway.one/").content.decode()
    assert typed not in again and 'rows="2">Giveaway on 12 March</textarea>' in again


@pytest.mark.django_db
def test_a_refused_reply_comes_back_on_my_audits_too(client_for, creator):
    # given a creator replying from their own audits page
    _audited(creator)
    own = client_for(creator)
    typed = "y" * 501
    # when the reply is too long
    response = own.post(
        PATH,
        {"code": "flag_growth_spike", "key": "followers:2026-03-12", "text": typed, "next": "/audits/mine/"},
    )
    # then their audits page shows it again in the spike's form
    assert response["Location"] == "/audits/mine/"
    assert f'rows="2">{typed}</textarea>' in own.get("/audits/mine/").content.decode()


@pytest.mark.django_db
def test_a_reply_too_long_is_refused_in_the_readers_language(client_for, creator):
    # given a creator reading in French whose audit flags a spike
    _audited(creator)
    own = client_for(creator)
    # when their reply is too long
    response = own.post(
        PATH,
        {"code": "flag_growth_spike", "key": "followers:2026-03-12", "text": "x" * 1200},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    # then the page says why in French, numbers written the French way
    page = own.get(response["Location"], HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Une réponse fait au plus 500 caractères (celle-ci en fait 1\u202f200)." in page
    assert not AuditAnswer.objects.exists()


def test_a_growth_anomaly_says_how_unusual_it_is_in_words(client_for, brand_admin):
    # given an audit with a follower spike 9.1 robust deviations from the usual growth
    _audited()
    brand = client_for(brand_admin)
    english = brand.get("/audits/instagram/giveaway.one/").content.decode()
    french = brand.get("/audits/instagram/giveaway.one/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    # then the table says it against the usual spread, its column named for a reader, not "Robust z"
    table = english.split('id="growth-anomalies"')[1].split("</table>")[0]
    assert "How unusual" in table and "9.1 × the usual spread" in table and "Robust z" not in table
    assert "9,1 × l’écart habituel" in french.split('id="growth-anomalies"')[1].split("</table>")[0]


def test_an_undisclosed_post_is_named_by_its_day_and_caption_never_by_its_network_id(client_for, creator):
    # given an audit flagging two sponsored posts without the required label, one still stored with its
    # caption, one no longer stored
    account = _audited(creator)
    factories.post(
        account=account,
        n=4242,
        published_at=datetime(2026, 10, 3, 12, 0, tzinfo=UTC),
        caption="Mon nouveau sérum préféré de chez @glowlab, je vous en reparle très vite ✨ #skincare",
    )
    record = AuditRecord.objects.get(account=account)
    record.result = {
        **record.result,
        "credibility": {
            "sponsored": [
                {
                    "post_id": "p4242",
                    "published_at": "2026-10-03T12:00:00+00:00",
                    "disclosed": False,
                    "compliant": False,
                },
                {
                    "post_id": "gone9",
                    "published_at": "2026-09-20T08:00:00+00:00",
                    "disclosed": True,
                    "compliant": False,
                },
                {
                    "post_id": "fine1",
                    "published_at": "2026-09-21T08:00:00+00:00",
                    "disclosed": True,
                    "compliant": True,
                },
            ]
        },
    }
    record.save()
    # when the creator reads their audits, and the API gives the findings
    page = client_for(creator).get("/audits/mine/").content.decode()
    api = client_for(creator).get("/api/audits/instagram/giveaway.one").json()
    # then each post is named by its day and its caption's first words (or its day alone), not its id
    named = "Oct 3, 2026 · “Mon nouveau sérum préféré de chez @glowlab, je vous en…”"
    assert f"{named}: sponsored, not properly disclosed" in [f["finding"] for f in api["flags"]]
    assert "post of Sep 20, 2026: sponsored, not properly disclosed" in [f["finding"] for f in api["flags"]]
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))  # what the creator reads (ids stay in attributes)
    assert f"{named}: sponsored, not properly disclosed" in text
    assert not {"p4242", "gone9", "fine1"} & set(re.findall(r"[\w.]+", text))


def test_a_pod_is_named_by_its_size_never_by_its_id(client_for, creator):
    # given an audit flagging a pod whose id carries another creator's handle
    account = _audited(creator)
    record = AuditRecord.objects.get(account=account)
    members = ["instagram:giveaway.one", *(f"instagram:other.{n}" for n in range(16))]
    record.result = {
        **record.result,
        "pods": {"flagged": True, "pod": {"pod_id": "pod-instagram:other.3", "members": members}},
    }
    record.save()
    page = client_for(creator).get("/audits/mine/").content.decode()
    api = client_for(creator).get("/api/audits/instagram/giveaway.one").json()
    # then the finding says how many accounts the pod holds, and names none of them
    assert "comments from an engagement pod of 17 accounts" in [f["finding"] for f in api["flags"]]
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    assert "comments from an engagement pod of 17 accounts" in text and "other.3" not in text
    # and the audit page's pod evidence gives its size and signals, not its id
    audit = html.unescape(
        re.sub(r"<[^>]+>", " ", client_for(creator).get("/audits/instagram/giveaway.one/").content.decode())
    )
    assert "17 members" in audit and "other.3" not in audit
