"""A draft sent back for its caption is fixed without uploading its photo again: the reopened form offers
"Keep the media file you sent", ticked, and the new version points at the file already stored; a new file,
or unticking, replaces or drops it."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from microreach.web.campaigns.models import ContentDraft
from microreach.web.campaigns.services.deliverable import draft_review
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db

FIXED_CAPTION = "Publicité — ma chemise en lin, tissée à Lyon @maisonverte #lin"


def _jpeg(colour: tuple[int, int, int], name: str) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 50), colour).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def _sent_back_with_a_photo(settings, tmp_path):
    """A creator's draft with a photo, sent back by the brand for its caption; her logged-in client, the brand."""
    settings.MEDIA_ROOT = str(tmp_path)
    _user, brand = h.brand()
    creator, app = h.apply(h.open_campaign(brand))
    app = h.advance(brand, creator, app, "received")
    client = Client()
    client.force_login(h.User.objects.get(pk=creator.user_id))
    sent = client.post(
        f"/campaigns/applications/{app.pk}/draft/",
        {
            "deliverable": "instagram reel 1",
            "caption": h.CAPTION_OK,
            "media": _jpeg((200, 30, 30), "lin.jpg"),
        },
    )
    assert sent.status_code == 302
    first = ContentDraft.objects.get(application=app)
    assert first.media
    draft_review(tenant=brand, draft_id=first.pk, approve=False, comment="Say it is woven in Lyon.")
    return app, first, client, brand


def test_the_reopened_form_offers_to_keep_the_photo_ticked(settings, tmp_path):
    # given a draft with a photo the brand sent back
    app, _first, client, _brand = _sent_back_with_a_photo(settings, tmp_path)
    # when the creator opens her application
    page = client.get(f"/campaigns/applications/{app.pk}/")
    # then the form offers to keep the photo she sent, already ticked, and no longer asks to attach it again
    html = page.content.decode()
    assert page.context["draft_form"].initial["keep_media"] is True
    assert 'name="keep_media"' in html and "Keep the media file you sent" in html
    assert "attach it again" not in html


def test_resubmitting_only_the_caption_keeps_the_stored_photo(settings, tmp_path):
    # given the same draft sent back
    app, first, client, _brand = _sent_back_with_a_photo(settings, tmp_path)
    # when she changes only the caption and submits, the box left ticked, no file attached
    response = client.post(
        f"/campaigns/applications/{app.pk}/draft/",
        {"deliverable": "instagram reel 1", "caption": FIXED_CAPTION, "keep_media": "on"},
    )
    # then the new version has the new caption and the very file stored with the first version
    assert response.status_code == 302
    second = ContentDraft.objects.get(application=app, version=2)
    assert (second.caption, second.media.name) == (FIXED_CAPTION, first.media.name)
    assert second.review_state == "submitted"
    # and the brand is served that photo for the new version
    with second.media.open("rb") as stored, Image.open(stored) as image:
        assert image.getpixel((20, 25))[0] > 150


def test_a_new_file_replaces_the_kept_one_and_unticking_drops_it(settings, tmp_path):
    # given the same draft sent back
    app, first, client, brand = _sent_back_with_a_photo(settings, tmp_path)
    # when she attaches a new photo, the box still ticked
    client.post(
        f"/campaigns/applications/{app.pk}/draft/",
        {
            "deliverable": "instagram reel 1",
            "caption": FIXED_CAPTION,
            "keep_media": "on",
            "media": _jpeg((30, 30, 200), "lin-bleu.jpg"),
        },
    )
    # then the new file wins
    second = ContentDraft.objects.get(application=app, version=2)
    assert second.media and second.media.name != first.media.name
    # when the brand sends that one back too and she resubmits with the box unticked and no file
    draft_review(tenant=brand, draft_id=second.pk, approve=False, comment="Brighter, please.")
    client.post(
        f"/campaigns/applications/{app.pk}/draft/",
        {"deliverable": "instagram reel 1", "caption": FIXED_CAPTION},
    )
    # then the third version has no file
    assert not ContentDraft.objects.get(application=app, version=3).media


def test_a_draft_without_a_file_offers_nothing_to_keep(settings, tmp_path):
    # given a draft sent only as a link, sent back
    settings.MEDIA_ROOT = str(tmp_path)
    _user, brand = h.brand()
    creator, app = h.apply(h.open_campaign(brand))
    app = h.advance(brand, creator, app, "content_submitted")
    draft = ContentDraft.objects.get(application=app)
    assert not draft.media
    draft_review(tenant=brand, draft_id=draft.pk, approve=False, comment="Shorter, please.")
    client = Client()
    client.force_login(h.User.objects.get(pk=creator.user_id))
    # when the creator opens her application
    html = client.get(f"/campaigns/applications/{app.pk}/").content.decode()
    # then no box offers to keep a file that does not exist
    assert 'name="keep_media"' not in html
