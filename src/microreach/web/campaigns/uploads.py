"""Files creators upload — a draft's media, a story's screen capture — checked before anything is stored.

The check reads the file's content, not its name: an image must open and verify with Pillow, a video
must start like an MP4/QuickTime (``ftyp`` box) or a WebM (EBML header) file. Size limits keep one upload
from filling the disk; Pillow's decompression-bomb guard refuses images with absurd dimensions.
"""

from __future__ import annotations

from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.utils.translation import gettext as _
from PIL import Image

from microreach.web.campaigns.errors import InvalidInput

MEDIA_MAX_BYTES = 200 * 2**20  # a one-minute 4K reel is ~150 MB
CAPTURE_MAX_BYTES = 15 * 2**20  # a phone screenshot is ~1–5 MB
IMAGE_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF"})


def _is_video(head: bytes) -> bool:
    return head[4:8] == b"ftyp" or head.startswith(b"\x1a\x45\xdf\xa3")


def checked_upload(file: UploadedFile, *, field: str, allow_video: bool) -> UploadedFile:
    """``file`` when it is an image (or, with ``allow_video``, a video) within the size limit; else a 400."""
    limit = MEDIA_MAX_BYTES if allow_video else CAPTURE_MAX_BYTES
    size = file.size or 0
    if size > limit:
        raise InvalidInput(
            "file_too_large",
            _("%(name)s weighs %(size).1f MB: the limit is %(limit)d MB.")
            % {"name": file.name, "size": size / 2**20, "limit": limit // 2**20},
            {"field": field, "bytes": size, "limit_bytes": limit},
        )
    if size == 0:
        raise InvalidInput("empty_file", _("%(name)s is empty.") % {"name": file.name}, {"field": field})
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    if allow_video and _is_video(head):
        return file
    try:
        with Image.open(file) as image:
            image.verify()
            found = image.format
    except Exception:  # Pillow raises many kinds of errors for files that are not images
        found = None
    file.seek(0)
    if found not in IMAGE_FORMATS:
        wanted = (
            _("a JPEG, PNG, WebP or GIF image, or an MP4, MOV or WebM video")
            if allow_video
            else _("a JPEG, PNG, WebP or GIF image")
        )
        raise InvalidInput(
            "unsupported_file",
            _("%(name)s is not %(wanted)s.") % {"name": file.name, "wanted": wanted},
            {"field": field},
        )
    return file


def file_response(file: FieldFile) -> FileResponse:
    """An uploaded file sent to someone allowed to see it: never cached by shared caches, and sandboxed
    (no script runs even if a browser were to render it as a document)."""
    response = FileResponse(file.open("rb"), filename=PurePath(file.name or "file").name)
    response["Cache-Control"] = "private, max-age=0"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; media-src 'self'"
    return response
