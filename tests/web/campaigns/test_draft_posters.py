"""A submitted video draft's poster frame (issue 16 item 3): the worker decodes the frame at about one
second with PyAV, stores it as a small WebP, and the inline preview shows it as the <video poster>; a
video nothing decodes keeps the browser's own first frame; the poster is served only to who sees the draft."""

from __future__ import annotations

import io

import av
import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from microreach.web.campaigns import posters
from microreach.web.campaigns.models import ContentDraft
from microreach.web.campaigns.services.deliverable import draft_poster_make, draft_submit
from microreach.web.jobs.models import Job
from tests import factories
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db

RED, GREEN = (220, 20, 20), (20, 200, 40)


def _video(seconds: float = 2.0, fps: int = 10, size: tuple[int, int] = (64, 112)) -> bytes:
    """A tiny MP4 (MPEG-4 part 2, ffmpeg's own encoder): red for the first second, green after."""
    out = io.BytesIO()
    with av.open(out, mode="w", format="mp4") as container:
        stream = container.add_stream("mpeg4", rate=fps)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        for n in range(int(seconds * fps)):
            colour = RED if n < fps else GREEN
            pixels = np.full((size[1], size[0], 3), colour, dtype=np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return out.getvalue()


def _centre(data: bytes) -> tuple[int, int, int]:
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "WEBP"
        return image.convert("RGB").getpixel((image.width // 2, image.height // 2))


def test_the_poster_is_the_frame_at_one_second_not_the_first():
    red, green, _blue = _centre(posters.video_poster(io.BytesIO(_video())))
    assert green > 150 and red < 80


def test_a_video_shorter_than_a_second_gives_its_last_frame():
    red, _green, _blue = _centre(posters.video_poster(io.BytesIO(_video(seconds=0.5))))
    assert red > 150


def test_bytes_that_do_not_decode_give_no_poster():
    with pytest.raises(posters.PosterRefused):
        posters.video_poster(io.BytesIO(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 200))


def test_a_submitted_video_gets_its_poster_from_the_worker_and_the_preview_shows_it(
    settings, tmp_path, client_for, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = str(tmp_path)
    user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    creator_tenant, app = h.apply(campaign)
    app = h.advance(tenant, creator_tenant, app, "received")

    with django_capture_on_commit_callbacks(execute=True):
        draft = draft_submit(
            tenant=creator_tenant,
            application_id=app.pk,
            deliverable="instagram reel 1",
            caption=h.CAPTION_OK,
            media=SimpleUploadedFile("reel.mp4", _video(), content_type="video/mp4"),
        )

    job = Job.objects.get(kind="campaigns.draft_poster")
    assert (job.key, job.state) == (f"campaigns.draft_poster:{draft.pk}", "done")
    draft.refresh_from_db()
    assert draft.poster.name.endswith(".webp")
    with Image.open(draft.poster.path) as image:
        assert max(image.size) <= posters.POSTER_PX and image.size == (64, 112)
    # a second run changes nothing
    assert draft_poster_make(draft_id=draft.pk) == {"poster": "skipped"}

    brand = client_for(user)
    page = brand.get(f"/campaigns/applications/{app.pk}/").content.decode()
    poster_url = f"/campaigns/drafts/{draft.pk}/poster/"
    assert f'preload="metadata" width="270" height="480" poster="{poster_url}"' in page
    served = brand.get(poster_url)
    assert served.status_code == 200 and served["Content-Type"] == "image/webp"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert _centre(b"".join(served.streaming_content))[1] > 150
    # nobody else sees it
    assert client_for(factories.member()).get(poster_url).status_code == 404


def test_an_image_draft_gets_no_poster_job(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = str(tmp_path)
    _user, tenant = h.brand()
    creator_tenant, app = h.apply(h.open_campaign(tenant))
    app = h.advance(tenant, creator_tenant, app, "received")
    png = io.BytesIO()
    Image.new("RGB", (40, 40), RED).save(png, format="PNG")
    with django_capture_on_commit_callbacks(execute=True):
        draft_submit(
            tenant=creator_tenant,
            application_id=app.pk,
            deliverable="instagram reel 1",
            caption=h.CAPTION_OK,
            media=SimpleUploadedFile("cover.png", png.getvalue(), content_type="image/png"),
        )
    assert not Job.objects.filter(kind="campaigns.draft_poster").exists()
    assert not ContentDraft.objects.get().poster
