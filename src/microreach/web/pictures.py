"""Pictures shown on our pages: creators' avatars and posts' thumbnails — checked, resized, or drawn.

One home for what a picture we keep must be. The bytes decide, never a name or a declared type:

- the type is detected from the first bytes (``filetype``) and must be JPEG, PNG, WebP or GIF — an SVG,
  a page or anything else is refused (an SVG is a document that can carry scripts);
- no HTML or SVG markup anywhere in the bytes (``MARKUP``, also used by the upload checks of
  ``campaigns/uploads.py``): a GIF header followed by a page is a polyglot a browser could render;
- the dimensions are read from the header before anything is decoded and refused beyond
  ``PICTURE_MAX_PIXELS`` (a 50,000 × 50,000 PNG of a few kilobytes would take 7.5 GB to decode); Pillow's
  own decompression-bomb guard stays on behind it;
- the image then opens and decodes in the detected format.

A kept picture is stored re-encoded (WebP, square, ``AVATAR_PX`` / ``THUMBNAIL_PX`` wide, EXIF and every
other metadata dropped), never as the bytes we were given. Accounts and posts without a stored picture
get one drawn here from their handle or post id: deterministic, a few hundred bytes, nothing fetched.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from functools import lru_cache

import filetype
from PIL import Image, ImageDraw, ImageOps

PICTURE_MAX_BYTES = 8 * 2**20  # a profile picture or a post's preview is well under 1 MB
PICTURE_MAX_PIXELS = 40_000_000  # a 48-megapixel phone photo is 8000 × 6000: allowed; beyond, refused
AVATAR_PX = 96  # stored size; shown at 40-72 px, sharp on a 2× screen up to 48 px
THUMBNAIL_PX = 240  # stored size; shown at 120 px
PICTURE_MEDIA_TYPE = "image/webp"
_KEPT_FORMATS = {"jpg": "JPEG", "png": "PNG", "apng": "PNG", "webp": "WEBP", "gif": "GIF"}

# Tags of a web page or an SVG document: never inside a media file we keep. Long enough (a tag name and
# its delimiter) that random media bytes match once in ~10^11 bytes.
MARKUP = re.compile(
    rb"<(?:!doctype\s|html[\s>]|head>|body[\s>]|script[\s>/]|svg[\s>/]|iframe[\s>/]|object[\s>]|"
    rb"embed[\s>]|img\s|\?xml\s)|javascript:",
    re.IGNORECASE,
)


class PictureRefused(ValueError):
    """The bytes are not a picture we keep; ``str()`` says why, in English (logged, not shown)."""


@dataclass(frozen=True, slots=True)
class StoredPicture:
    data: bytes
    width: int
    height: int
    media_type: str = PICTURE_MEDIA_TYPE


def image_format_problem(data: bytes) -> str | None:
    """Why ``data`` is not a JPEG, PNG, WebP or GIF image we keep (type, markup, dimensions, structure),
    or None when it is."""
    if not data:
        return "empty"
    if len(data) > PICTURE_MAX_BYTES:
        return f"larger than {PICTURE_MAX_BYTES} bytes"
    guessed = filetype.guess(data[:8192])
    expected = _KEPT_FORMATS.get(guessed.extension) if guessed is not None else None
    if expected is None:
        return "not a JPEG, PNG, WebP or GIF image"
    if MARKUP.search(data):
        return "holds web page or SVG markup"
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != expected:
                return "the content does not match its type"
            width, height = image.size
            if width * height > PICTURE_MAX_PIXELS:
                return f"{width} × {height} pixels is more than {PICTURE_MAX_PIXELS} pixels"
            image.verify()
    except Exception:  # Pillow raises many kinds of errors for damaged images and bombs
        return "the image does not open"
    return None


def resized_picture(data: bytes, *, size: int) -> StoredPicture:
    """``data`` checked (``image_format_problem``), cropped to a centred square, resized to ``size`` px
    and re-encoded as WebP without metadata; ``PictureRefused`` when the bytes are not kept."""
    problem = image_format_problem(data)
    if problem is not None:
        raise PictureRefused(problem)
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.draft("RGB", (size * 2, size * 2))  # JPEG: decode at a fraction of the size
            image.seek(0)  # the first frame of an animation
            oriented = ImageOps.exif_transpose(image)
            rgb = oriented.convert("RGB")
    except Exception as error:  # a truncated image passes verify() and fails when decoded
        raise PictureRefused("the image does not decode") from error
    square = ImageOps.fit(rgb, (size, size), method=Image.Resampling.LANCZOS)
    return _encoded(square)


@lru_cache(maxsize=4096)  # pure: ~300 B each, so ~1.5 MB at most per process
def drawn_avatar(key: str, *, size: int = AVATAR_PX) -> StoredPicture:
    """A symmetric 5 × 5 pattern in a colour taken from ``key`` (the handle): the same key always gives
    the same picture, two accounts rarely share one."""
    digest = hashlib.sha256(f"avatar:{key}".encode()).digest()
    background = (240, 240, 236)
    colour = _colour(digest)
    image = Image.new("RGB", (size, size), background)
    draw = ImageDraw.Draw(image)
    cell = size / 6
    margin = cell / 2
    for row in range(5):
        for col in range(3):
            if digest[3 + row * 3 + col] % 2 == 0:
                continue
            for c in {col, 4 - col}:
                x0, y0 = margin + c * cell, margin + row * cell
                draw.rectangle((x0, y0, x0 + cell - 1, y0 + cell - 1), fill=colour)
    return _encoded(image)


@lru_cache(maxsize=2048)  # pure: ~1 KB each
def drawn_thumbnail(key: str, *, size: int = THUMBNAIL_PX) -> StoredPicture:
    """A post's stand-in preview: two colour bands and a few shapes taken from ``key`` (the post id)."""
    digest = hashlib.sha256(f"thumbnail:{key}".encode()).digest()
    top, bottom = _colour(digest), _colour(digest[8:])
    image = Image.new("RGB", (size, size), top)
    draw = ImageDraw.Draw(image)
    horizon = size * (40 + digest[16] % 30) // 100
    draw.rectangle((0, horizon, size, size), fill=bottom)
    for i in range(3):
        r = size * (6 + digest[17 + i] % 14) // 100
        x = size * (15 + digest[20 + i] % 70) // 100
        y = size * (15 + digest[23 + i] % 70) // 100
        draw.ellipse((x - r, y - r, x + r, y + r), fill=_colour(digest[i * 4 + 2 :]))
    return _encoded(image)


def _colour(digest: bytes) -> tuple[int, int, int]:
    # Mid-tone colours: readable on the light page, never near-white or near-black.
    return (60 + digest[0] % 150, 60 + digest[1] % 150, 60 + digest[2] % 150)


def _encoded(image: Image.Image) -> StoredPicture:
    out = io.BytesIO()
    image.save(out, format="WEBP", quality=80, method=4)
    return StoredPicture(out.getvalue(), image.width, image.height)
