"""The application page's inline draft preview: an image at its own size, a video as a <video> that
fetches only its metadata and first frame, both from our own upload URL; nothing for other files."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image

from microreach.web.campaigns.templatetags.draft_preview import draft_preview


@dataclass
class _Media:
    name: str
    data: bytes = b""

    def __bool__(self) -> bool:
        return True

    def open(self, mode: str = "rb") -> io.BytesIO:
        return io.BytesIO(self.data)


@dataclass
class _Draft:
    pk: int
    media: _Media | None


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height)).save(out, format="PNG")
    return out.getvalue()


def test_an_image_draft_is_shown_at_its_own_size():
    html = draft_preview(_Draft(7, _Media("drafts/cover.png", _png(1080, 1350))))
    assert '<img src="/campaigns/drafts/7/media/" width="1080" height="1350"' in html
    assert 'loading="lazy"' in html and 'alt="Submitted image"' in html


def test_an_unreadable_image_keeps_a_square_place():
    html = draft_preview(_Draft(7, _Media("drafts/cover.jpg", b"gone")))
    assert 'width="480" height="480"' in html


def test_a_video_draft_loads_only_its_metadata_and_first_frame():
    html = draft_preview(_Draft(8, _Media("drafts/reel.mp4")))
    assert '<video controls preload="metadata" width="270" height="480"' in html
    assert '<source src="/campaigns/drafts/8/media/" type="video/mp4">' in html
    assert 'type="video/quicktime"' in draft_preview(_Draft(8, _Media("drafts/reel.mov")))


def test_no_preview_without_a_media_file_or_for_another_type():
    assert draft_preview(_Draft(9, None)) == ""
    assert draft_preview(_Draft(9, _Media("drafts/notes.pdf"))) == ""
