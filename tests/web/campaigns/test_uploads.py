"""Draft media and story screen captures through the API: checked by content, private to the campaign."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from microreach.web.accounts.models import User
from microreach.web.campaigns import uploads
from microreach.web.campaigns.models import ContentDraft
from microreach.web.campaigns.services.deliverable import draft_review
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db

STORY = [{"network": "instagram", "kind": "story", "count": 1}]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 120, 40)).save(out, format="PNG")
    return out.getvalue()


def _received(**campaign_overrides):
    """A brand, and an application of a creator who received the product."""
    brand_user, brand_tenant = h.brand()
    campaign = h.open_campaign(brand_tenant, **campaign_overrides)
    creator_tenant, app = h.apply(campaign)
    app = h.advance(brand_tenant, creator_tenant, app, "received")
    return brand_user, brand_tenant, User.objects.get(pk=creator_tenant.user_id), creator_tenant, app


def _draft_form(**extra):
    return {"deliverable": "instagram reel 1", "caption": h.CAPTION_OK, **extra}


def test_a_draft_with_its_image_is_seen_by_the_brand_and_no_other(client_for):
    brand_user, _bt, creator_user, _ct, app = _received()
    creator = client_for(creator_user)
    png = _png()
    response = creator.post(
        f"/api/campaigns/applications/{app.pk}/drafts/upload",
        _draft_form(media=SimpleUploadedFile("reel-cover.png", png, content_type="image/png")),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["has_media"], body["check_status"], body["review_state"]) == (True, "ok", "submitted")
    # the brand downloads exactly the bytes sent, sandboxed and never cached by a shared cache
    got = client_for(brand_user).get(f"/api/campaigns/drafts/{body['id']}/media")
    assert (got.status_code, b"".join(got.streaming_content)) == (200, png)
    assert got["Content-Security-Policy"].startswith("sandbox")
    assert (got["Content-Type"], got["X-Content-Type-Options"]) == ("image/png", "nosniff")
    assert got["Content-Disposition"] == 'attachment; filename="reel-cover.png"'
    assert got["Cache-Control"] == "private, max-age=0"
    # the page's link serves it too; another brand and another creator get 404
    assert client_for(creator_user).get(f"/campaigns/drafts/{body['id']}/media/").status_code == 200
    other_brand, _ = h.brand()
    other_creator = User.objects.get(pk=h.apply(h.open_campaign(h.brand()[1]))[0].user_id)
    for outsider in (other_brand, other_creator):
        assert client_for(outsider).get(f"/api/campaigns/drafts/{body['id']}/media").status_code == 404
        assert client_for(outsider).get(f"/campaigns/drafts/{body['id']}/media/").status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("cover.png", b"<script>alert(1)</script>", "unsupported_file"),  # a name is not a content
        ("cover.png", b"", "empty_file"),
        ("cover.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', "unsupported_file"),
    ],
)
def test_a_file_that_is_not_an_image_or_a_video_is_refused_and_nothing_is_stored(
    client_for, name, content, code
):
    _bu, _bt, creator_user, _ct, app = _received()
    response = client_for(creator_user).post(
        f"/api/campaigns/applications/{app.pk}/drafts/upload",
        _draft_form(media=SimpleUploadedFile(name, content)),
    )
    assert response.status_code == 400
    assert (response.json()["error"]["code"], response.json()["error"]["details"]["field"]) == (code, "media")
    assert not ContentDraft.objects.filter(application=app).exists()


def test_a_video_is_accepted_by_its_header_and_a_file_over_the_limit_is_refused(client_for, monkeypatch):
    _bu, _bt, creator_user, _ct, app = _received()
    creator = client_for(creator_user)
    mp4 = h.minimal_mp4()
    url = f"/api/campaigns/applications/{app.pk}/drafts/upload"
    assert creator.post(url, _draft_form(media=SimpleUploadedFile("reel.mp4", mp4))).status_code == 201
    monkeypatch.setattr(uploads, "MEDIA_MAX_BYTES", 128)
    refused = creator.post(url, _draft_form(media=SimpleUploadedFile("reel.mp4", mp4)))
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "file_too_large"
    assert refused.json()["error"]["details"]["limit_bytes"] == 128


def test_a_story_needs_an_image_capture_as_proof(client_for):
    brand_user, brand_tenant, creator_user, _ct, app = _received(deliverables=STORY)
    creator = client_for(creator_user)
    draft = creator.post(
        f"/api/campaigns/applications/{app.pk}/drafts/upload",
        {
            "deliverable": "instagram story 1",
            "caption": h.CAPTION_OK,
            "media": SimpleUploadedFile("story.png", _png()),
        },
    ).json()
    draft_review(tenant=brand_tenant, draft_id=draft["id"], approve=True)
    form = {"url": "https://instagram.com/stories/lea/1", "deliverable": "instagram story 1"}
    # a link alone (JSON) is refused, a video is no capture, an image is
    missing = creator.post(
        f"/api/campaigns/applications/{app.pk}/posts",
        form,
        content_type="application/json",
    )
    assert (missing.status_code, missing.json()["error"]["code"]) == (400, "capture_required")
    video = creator.post(
        f"/api/campaigns/applications/{app.pk}/posts/upload",
        {**form, "screen_capture": SimpleUploadedFile("s.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 8)},
    )
    assert (video.status_code, video.json()["error"]["code"]) == (400, "unsupported_file")
    png = _png()
    saved = creator.post(
        f"/api/campaigns/applications/{app.pk}/posts/upload",
        {**form, "screen_capture": SimpleUploadedFile("capture.png", png)},
    )
    assert (saved.status_code, saved.json()["has_capture"]) == (201, True)
    got = client_for(brand_user).get(f"/api/campaigns/posts/{saved.json()['id']}/capture")
    assert (got.status_code, b"".join(got.streaming_content)) == (200, png)
    assert (
        client_for(h.brand()[0]).get(f"/api/campaigns/posts/{saved.json()['id']}/capture").status_code == 404
    )
