"""Published posts verified at the source (issue 17 item 4): the link refused when it is no post of the
deliverable's network, each check passed / failed / could not verify with its reason and the data's
source, the brand's acceptance with a note, and applying only with an account on the campaign's network."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from microreach.core.records import Network, PostType, Source
from microreach.sources.networks.base import NetworkPost, NetworkUnavailable
from microreach.web.accounts.models import User
from microreach.web.campaigns import verification
from microreach.web.campaigns.choices import POST_TYPE_NOUNS, post_type_noun
from microreach.web.campaigns.errors import InvalidInput
from microreach.web.campaigns.models import Application, CampaignPost, PostCheck
from microreach.web.campaigns.services.application import application_create
from microreach.web.campaigns.services.deliverable import post_accept, post_submit
from microreach.web.creators.models import Creator
from microreach.web.jobs.models import Job
from tests import factories
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db

FETCHED = datetime(2026, 12, 20, 9, 30, tzinfo=UTC)
REEL_URL = "https://www.instagram.com/reel/Cxyz123abcd/"


@pytest.fixture
def resolvers():
    """The post sources during a test: ``add(post_or_error)`` puts a connected-account source first."""
    saved = list(verification._RESOLVERS)
    calls: list[dict] = []

    def add(answer):
        def resolve(**kwargs):
            calls.append(kwargs)
            if isinstance(answer, Exception):
                raise answer
            return answer

        verification.resolver_register("test", resolve, first=True)
        return calls

    yield add
    verification._RESOLVERS[:] = saved


def _campaign_post(**campaign_overrides):
    _user, brand = h.brand()
    campaign = h.open_campaign(brand, **campaign_overrides)
    creator, app = h.apply(campaign, handle="lea.lin")
    if campaign.deliverables == h.campaign_data()["deliverables"]:
        app = h.advance(brand, creator, app, "approved")
    else:  # the helper's drafts are for the default deliverable
        Application.objects.filter(pk=app.pk).update(state="approved")
        app.refresh_from_db()
    return brand, creator, app


def _network_post(**fields) -> NetworkPost:
    start = h.TODAY + timedelta(days=25)
    values = {
        "network": Network.INSTAGRAM,
        "post_id": "Cxyz123abcd",
        "account_id": None,
        "handle": "lea.lin",
        "url": REEL_URL,
        "media_type": PostType.REEL,
        "published_at": datetime(start.year, start.month, start.day, 18, 0, tzinfo=UTC),
        "caption": h.CAPTION_OK,
        "views": 1200,
        "likes": 90,
        "comments": 4,
        "shares": None,
        "source": Source.CONNECTED_API,
        "fetched_at": FETCHED,
    }
    values.update(fields)
    return NetworkPost(**values)


def _submit(creator, app, url=REEL_URL, deliverable="instagram reel 1") -> CampaignPost:
    post = post_submit(tenant=creator, application_id=app.pk, url=url, deliverable=deliverable)
    verification.campaign_post_verify(campaign_post_id=post.pk)
    return post


def _checks(post) -> dict[str, tuple[str, str]]:
    return {c.check_code: (c.status, c.reason) for c in PostCheck.objects.filter(campaign_post=post)}


def test_example_com_as_a_tiktok_link_is_refused_and_nothing_is_stored():
    # given an approved application for a TikTok video
    _brand, creator, app = _campaign_post(
        networks=["instagram", "tiktok"], deliverables=[{"network": "tiktok", "kind": "video", "count": 1}]
    )
    # when the creator gives https://example.com
    with pytest.raises(InvalidInput) as err:
        post_submit(
            tenant=creator, application_id=app.pk, url="https://example.com", deliverable="tiktok video 1"
        )
    # then it is refused with a message naming the network and the link's shape
    assert err.value.code == "not_a_post_link"
    assert err.value.message == (
        "This is not a link to a post on TikTok: give the post's own link (https://www.tiktok.com/@name/video/…)."
    )
    assert not CampaignPost.objects.filter(application=app).exists()


def test_a_link_of_another_network_is_refused():
    _brand, creator, app = _campaign_post()
    with pytest.raises(InvalidInput) as err:
        post_submit(
            tenant=creator,
            application_id=app.pk,
            url="https://www.tiktok.com/@lea.lin/video/7300000000000000001",
            deliverable="instagram reel 1",
        )
    assert err.value.message.startswith(
        "This is a link to a post on TikTok; this deliverable is a post on Instagram"
    )
    assert not CampaignPost.objects.filter(application=app).exists()


def test_the_api_refuses_example_com_with_a_400(client_for):
    _brand, creator, app = _campaign_post()
    client = client_for(User.objects.get(pk=creator.user_id))
    response = client.post(
        f"/api/campaigns/applications/{app.pk}/posts",
        {"url": "https://example.com", "deliverable": "instagram reel 1"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "not_a_post_link"
    assert not CampaignPost.objects.filter(application=app).exists()


def test_a_post_meeting_the_brief_passes_every_check_with_its_source_and_time(resolvers):
    _brand, creator, app = _campaign_post()
    calls = resolvers(_network_post())
    post = _submit(creator, app)
    assert calls[0] == {
        "account_id": app.account_id,
        "network": "instagram",
        "post_id": "Cxyz123abcd",
        "url": REEL_URL,
        "window": (h.TODAY + timedelta(days=20), h.TODAY + timedelta(days=40)),
        "submitted_at": post.published_at,
    }
    assert _checks(post) == {
        "network": ("passed", "link"),
        "account": ("passed", "same_account"),
        "type": ("passed", "type_matches"),
        "window": ("passed", "inside_window"),
        "mentions": ("passed", "all_present"),
        "hashtags": ("passed", "all_present"),
        "disclosure": ("passed", "disclosed"),
    }
    window = PostCheck.objects.get(campaign_post=post, check_code="window")
    assert (window.source, window.fetched_at) == ("connected_api", FETCHED)
    assert PostCheck.objects.get(campaign_post=post, check_code="network").source == "link"
    post.refresh_from_db()
    assert post.verified_at is not None


def test_each_broken_rule_fails_with_its_reason(resolvers):
    # given a photo by another account, published after the window, without hashtag nor disclosure
    _brand, creator, app = _campaign_post()
    late = datetime.combine(h.TODAY + timedelta(days=41), datetime.min.time(), tzinfo=UTC)
    resolvers(
        _network_post(
            handle="someone.else",
            media_type=PostType.PHOTO,
            published_at=late,
            caption="Ma chemise @maisonverte",
        )
    )
    post = _submit(creator, app)
    checks = {c.check_code: c for c in PostCheck.objects.filter(campaign_post=post)}
    assert {code: c.status for code, c in checks.items()} == {
        "network": "passed",
        "account": "failed",
        "type": "failed",
        "window": "failed",
        "mentions": "passed",
        "hashtags": "failed",
        "disclosure": "failed",
    }
    assert checks["account"].params == {"found": "@someone.else", "handle": "lea.lin"}
    assert checks["type"].params == {"found": "photo", "wanted": "reel"}
    assert checks["window"].params == {
        "date": (h.TODAY + timedelta(days=41)).isoformat(),
        "start": (h.TODAY + timedelta(days=20)).isoformat(),
        "end": (h.TODAY + timedelta(days=40)).isoformat(),
    }
    assert checks["hashtags"].params == {"items": "#lin"}
    assert checks["disclosure"].params["items"][0]["code"] == "label_missing"
    shown = {c["check"]: c["reason"] for c in verification.posts_shown(application_id=app.pk)[0]["checks"]}
    assert shown["account"] == "Published by @someone.else, not by @lea.lin."
    assert shown["hashtags"] == "Missing: #lin."
    assert shown["disclosure"].startswith("FR: no clear disclosure label")


def test_the_account_is_matched_by_the_networks_id_when_both_sides_have_it(resolvers):
    _brand, creator, app = _campaign_post()
    app.account.network_user_id = "17841400000000001"
    app.account.save(update_fields=["network_user_id"])
    resolvers(_network_post(account_id="17841400000000002", handle="lea.lin"))
    post = _submit(creator, app)
    assert _checks(post)["account"] == ("failed", "other_account")


def test_without_any_source_nothing_is_passed_but_what_the_link_says(resolvers):
    _brand, creator, app = _campaign_post()
    resolvers(None)
    post = _submit(creator, app)
    assert _checks(post) == {
        "network": ("passed", "link"),
        "account": ("could_not_verify", "no_source"),
        "type": ("could_not_verify", "no_source"),
        "window": ("could_not_verify", "no_source"),
        "mentions": ("could_not_verify", "no_source"),
        "hashtags": ("could_not_verify", "no_source"),
        "disclosure": ("could_not_verify", "no_source"),
    }
    assert verification.posts_shown(application_id=app.pk)[0]["status"] == "partial"


def test_a_public_source_without_time_nor_type_says_which_fields_it_lacks(resolvers):
    # given what an oEmbed answer gives: the author and the caption, no publish time, no media type
    _brand, creator, app = _campaign_post()
    resolvers(_network_post(media_type=None, published_at=None, source=Source.PUBLIC_API))
    post = _submit(creator, app)
    assert _checks(post) == {
        "network": ("passed", "link"),
        "account": ("passed", "same_account"),
        "type": ("could_not_verify", "no_connected_account"),
        "window": ("could_not_verify", "no_connected_account"),
        "mentions": ("passed", "all_present"),
        "hashtags": ("passed", "all_present"),
        "disclosure": ("passed", "disclosed"),
    }
    shown = {c["check"]: c["reason"] for c in verification.posts_shown(application_id=app.pk)[0]["checks"]}
    assert shown["window"] == (
        "The public API does not give the publication time; "
        "the creator can connect the account so that microreach reads it."
    )


def test_an_unreachable_network_is_could_not_verify_and_a_new_check_replaces_the_rows(resolvers):
    _brand, creator, app = _campaign_post()
    resolvers(NetworkUnavailable("502 after 4 attempts", network="instagram", where="media"))
    post = _submit(creator, app)
    assert _checks(post)["window"] == ("could_not_verify", "network_unreachable")
    # when the network answers again and the post is checked again
    resolvers(_network_post())
    verification.campaign_post_verify(campaign_post_id=post.pk)
    assert _checks(post)["window"] == ("passed", "inside_window")
    assert PostCheck.objects.filter(campaign_post=post).count() == 7


def test_stored_data_of_the_creators_account_is_used_and_named(resolvers):
    # given no live source, and the post imported earlier under the creator's account
    _brand, creator, app = _campaign_post()
    resolvers(None)
    start = h.TODAY + timedelta(days=22)
    factories.post(
        account=app.account,
        url=REEL_URL,
        post_type="reel",
        caption=h.CAPTION_OK,
        published_at=datetime(start.year, start.month, start.day, tzinfo=UTC),
        fetched_at=FETCHED,
    )
    post = _submit(creator, app)
    assert set(dict(_checks(post)).values()) == {
        ("passed", "link"),
        ("passed", "same_account"),
        ("passed", "type_matches"),
        ("passed", "inside_window"),
        ("passed", "all_present"),
        ("passed", "disclosed"),
    }
    window = PostCheck.objects.get(campaign_post=post, check_code="window")
    assert (window.source, window.fetched_at) == ("file_import", FETCHED)


def test_submitting_a_post_enqueues_its_verification_job(resolvers, django_capture_on_commit_callbacks):
    _brand, creator, app = _campaign_post()
    resolvers(_network_post())
    with django_capture_on_commit_callbacks(execute=True):
        post = post_submit(
            tenant=creator, application_id=app.pk, url=REEL_URL, deliverable="instagram reel 1"
        )
    job = Job.objects.get(key=f"post_verify:{post.pk}:0")
    assert (job.kind, job.state) == ("campaigns.post_verify", "done")
    assert PostCheck.objects.filter(campaign_post=post, status="passed").count() == 7


def test_the_brand_accepts_a_failing_post_only_with_a_note(resolvers):
    brand, creator, app = _campaign_post()
    resolvers(None)
    post = _submit(creator, app)
    with pytest.raises(InvalidInput) as err:
        post_accept(tenant=brand, post_id=post.pk, note="  ")
    assert err.value.code == "note_required"
    post.refresh_from_db()
    assert post.accepted_at is None
    post_accept(tenant=brand, post_id=post.pk, note="Seen on the phone, fine.")
    post.refresh_from_db()
    assert post.accepted_note == "Seen on the phone, fine."
    assert post.accepted_at is not None


def test_the_creator_cannot_accept_their_own_post(resolvers):
    from django.http import Http404

    _brand, creator, app = _campaign_post()
    resolvers(_network_post())
    post = _submit(creator, app)
    with pytest.raises(Http404):
        post_accept(tenant=creator, post_id=post.pk, note="ok")
    post.refresh_from_db()
    assert post.accepted_at is None


def test_checks_are_shown_to_both_sides_in_english_and_french(resolvers, client_for):
    brand, creator, app = _campaign_post()
    resolvers(_network_post(handle="someone.else"))
    post = _submit(creator, app)
    creator_page = client_for(User.objects.get(pk=creator.user_id)).get(f"/campaigns/applications/{app.pk}/")
    assert "Published by @someone.else, not by @lea.lin." in creator_page.content.decode()
    brand_client = client_for(User.objects.get(pk=brand.user_id))
    page = brand_client.get(f"/campaigns/applications/{app.pk}/", HTTP_ACCEPT_LANGUAGE="fr")
    html = page.content.decode()
    assert "Publié par @someone.else, pas par @lea.lin." in html
    assert "Le compte connecté" in html
    assert f'id="post-{post.pk}" data-status="failed"' in html


def test_the_api_gives_the_checks_and_accepts_with_a_note(resolvers, client_for):
    brand, creator, app = _campaign_post()
    resolvers(None)
    post = _submit(creator, app)
    brand_client = client_for(User.objects.get(pk=brand.user_id))
    body = brand_client.get(f"/api/campaigns/posts/{post.pk}/checks").json()
    assert body["status"] == "partial"
    assert [c["check"] for c in body["checks"]] == list(verification.CHECK_ORDER)
    assert body["checks"][1]["status"] == "could_not_verify"
    refused = brand_client.post(
        f"/api/campaigns/posts/{post.pk}/accept", {"note": ""}, content_type="application/json"
    )
    assert (refused.status_code, refused.json()["error"]["code"]) == (400, "note_required")
    accepted = brand_client.post(
        f"/api/campaigns/posts/{post.pk}/accept",
        {"note": "Checked by hand."},
        content_type="application/json",
    )
    assert accepted.status_code == 200
    assert accepted.json()["accepted_note"] == "Checked by hand."


def test_another_brand_gets_404_on_the_checks(resolvers, client_for):
    _brand, creator, app = _campaign_post()
    resolvers(None)
    post = _submit(creator, app)
    other = client_for(factories.member())
    assert other.get(f"/api/campaigns/posts/{post.pk}/checks").status_code == 404
    assert other.post(f"/api/campaigns/posts/{post.pk}/verify").status_code == 404


# --- applying needs an account on the campaign's network ----------------------------------------------


def _tiktok_creator():
    user = factories.creator_user()
    account = factories.account(network="tiktok", handle="lea.tt", country="FR")
    Creator.objects.filter(pk=account.creator_id).update(claimed_by=user, claimed_at=timezone.now())
    return user, account


def test_a_tiktok_only_creator_cannot_apply_to_a_campaign_of_instagram_reels():
    # given a campaign whose networks are only said by its deliverables
    _user, brand = h.brand()
    campaign = h.open_campaign(brand, networks=[])
    user, account = _tiktok_creator()
    from microreach.web.accounts.tenancy import tenant_for

    with pytest.raises(InvalidInput) as err:
        application_create(
            tenant=tenant_for(user),
            campaign_id=campaign.pk,
            account_id=account.pk,
            pitch="",
            accept_brief=True,
        )
    assert err.value.code == "not_eligible"
    assert err.value.details["reasons"][0] == (
        "the campaign asks for posts on Instagram and this profile is on TikTok; you have claimed no profile on "
        "Instagram"
    )
    assert not Application.objects.filter(campaign=campaign).exists()


def test_the_api_refuses_the_application_too(client_for):
    _user, brand = h.brand()
    campaign = h.open_campaign(brand, networks=[])
    user, account = _tiktok_creator()
    response = client_for(user).post(
        f"/api/campaigns/{campaign.pk}/applications",
        {"account_id": account.pk, "pitch": "", "accept_brief": True},
        content_type="application/json",
    )
    assert (response.status_code, response.json()["error"]["code"]) == (400, "not_eligible")
    assert not Application.objects.filter(campaign=campaign).exists()


# --- the type check said in sentences (post types named by choices.post_type_noun: "a reel") -----------


def test_a_photo_given_for_a_reel_is_said_in_a_plain_sentence(resolvers):
    # given an approved creator of a campaign of one Instagram reel, whose post is a photo
    _brand, creator, app = _campaign_post()
    resolvers(_network_post(media_type=PostType.PHOTO))
    # when the post is given and verified
    post = _submit(creator, app)
    # then the type check fails, stored as codes and said as a sentence
    check = PostCheck.objects.get(campaign_post=post, check_code="type")
    assert (check.status, check.reason, check.params) == (
        "failed",
        "other_type",
        {"found": "photo", "wanted": "reel"},
    )
    shown = {c["check"]: c["reason"] for c in verification.posts_shown(application_id=app.pk)[0]["checks"]}
    assert shown["type"] == "This is a photo; the brief asks for a reel."


def test_a_reel_given_for_a_reel_passes_and_says_so(resolvers):
    _brand, creator, app = _campaign_post()
    resolvers(_network_post(media_type=PostType.REEL))
    _submit(creator, app)
    shown = {c["check"]: c["reason"] for c in verification.posts_shown(application_id=app.pk)[0]["checks"]}
    assert shown["type"] == "This is a reel, as the brief asks."


@pytest.mark.parametrize(
    ("reason", "params", "said"),
    [
        ("other_type", {"found": "story", "wanted": "reel"}, "This is a story; the brief asks for a reel."),
        (
            "other_type",
            {"found": "live", "wanted": "photo"},
            "This is a live video; the brief asks for a photo.",
        ),
        ("type_matches", {"found": "reel", "wanted": "reel"}, "This is a reel, as the brief asks."),
        (
            "type_matches",
            {"found": "short", "wanted": "video"},
            "This is a short, which the brief accepts as a video.",
        ),
        ("kind_unknown", {"wanted": "text"}, "microreach does not know which posts count as a text post."),
        ("kind_unknown", {"wanted": "tweet"}, "microreach does not know which posts count as “tweet”."),
    ],
)
def test_each_type_reason_is_a_sentence_naming_the_types(reason, params, said):
    assert verification.reason_text(reason, params) == said


def test_every_post_type_has_its_name_in_a_sentence():
    assert sorted(POST_TYPE_NOUNS) == sorted(t.value for t in PostType)
    assert [post_type_noun(t.value) for t in PostType] == [str(POST_TYPE_NOUNS[t.value]) for t in PostType]
