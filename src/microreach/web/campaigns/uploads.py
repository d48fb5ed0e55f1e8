"""Files creators upload — a draft's media, a story's screen capture — checked before anything is stored.

The check reads the file's content, never trusts its name or declared type:

- the type is detected from the first bytes (``filetype``) and must be one of the media types we keep
  (JPEG, PNG, WebP, GIF images; MP4 / MOV and WebM videos); a declared media, markup or script type must
  agree with it;
- the structure must hold: an image opens and verifies with Pillow (whose decompression-bomb guard refuses
  absurd dimensions) in the detected format; an MP4 / MOV is a chain of boxes that covers the file exactly
  and holds a ``moov`` box; a WebM starts with an EBML header of doc type ``webm`` followed by a Segment —
  a 100 MB file of zeros behind an ``ftyp`` box is refused;
- no HTML or SVG markup anywhere (a GIF or MP4 header followed by a page is a polyglot a browser could
  render);
- each type has its size limit; names lose bidi controls (a right-to-left override makes ``gpj.html``
  read as ``lmth.jpg``) and every character outside letters, digits, ``- _ .``, and take the extension of
  the detected type.

Files are served as downloads (``Content-Disposition: attachment``), with their detected type,
``X-Content-Type-Options: nosniff`` and a sandboxing CSP, so that even a file stored before these checks
never renders as a page of ours.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

import filetype
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from PIL import Image

from microreach.web.campaigns.errors import InvalidInput
from microreach.web.errors import ErrorCode
from microreach.web.file_names import NAME_MAX_CHARS, readable_name
from microreach.web.pictures import MARKUP  # one home for what markup in a media file is

IMAGE_MAX_BYTES = 30 * 2**20  # a full-resolution phone photo is ~3–12 MB, a long GIF ~20 MB
MEDIA_MAX_BYTES = 200 * 2**20  # videos: a one-minute 4K reel is ~150 MB
CAPTURE_MAX_BYTES = 15 * 2**20  # a phone screenshot is ~1–5 MB
WEBM_SCANNED_BYTES = 2**20  # the EBML header, SeekHead, Info and Tracks sit in the first kilobytes
_SCAN_CHUNK = 4 * 2**20
_SCAN_OVERLAP = 32


@dataclass(frozen=True, slots=True)
class MediaType:
    mime: str
    extension: str
    video: bool
    pillow_format: str = ""  # images: the format Pillow must find


# The types we keep, by the extension ``filetype`` detects (APNG is a PNG to Pillow, M4V an MP4).
KEPT_TYPES: dict[str, MediaType] = {
    "jpg": MediaType("image/jpeg", "jpg", False, "JPEG"),
    "png": MediaType("image/png", "png", False, "PNG"),
    "apng": MediaType("image/png", "png", False, "PNG"),
    "webp": MediaType("image/webp", "webp", False, "WEBP"),
    "gif": MediaType("image/gif", "gif", False, "GIF"),
    "mp4": MediaType("video/mp4", "mp4", True),
    "m4v": MediaType("video/mp4", "mp4", True),
    "mov": MediaType("video/quicktime", "mov", True),
    "webm": MediaType("video/webm", "webm", True),
}


def media_type_of(name: str) -> MediaType | None:
    """The kept type of a stored file, by the extension the upload check gave it (None: not one of ours)."""
    return KEPT_TYPES.get(PurePath(name or "").suffix.lstrip(".").lower())


# A declared type is a claim: a media type (image/…, video/…, audio/…) or a markup or script type that
# disagrees with the content is refused; generic ones (an API client's default: octet-stream, text/plain)
# are not trusted either way — the content decides.
_CLAIMING_PREFIXES = ("image/", "video/", "audio/")
_CLAIMING_WORDS = ("html", "xml", "script")
_DECLARED_ALIASES = {"image/jpg": "image/jpeg", "image/pjpeg": "image/jpeg", "image/apng": "image/png"}


def safe_name(name: str, *, extension: str) -> str:
    """A stored file's name: bidi and other invisible controls removed, only letters, digits, ``-``,
    ``_`` and ``.`` kept, at most ``NAME_MAX_CHARS`` characters, ending in the detected ``extension``."""
    name = readable_name(name)
    stem = PurePath(name).stem if "." in name else name
    try:
        stem = get_valid_filename(stem).strip("._-")
    except Exception:  # Django refuses names it cannot make valid ("", ".", "..")
        stem = ""
    return f"{(stem or 'upload')[:NAME_MAX_CHARS]}.{extension}"


def checked_upload(file: UploadedFile, *, field: str, allow_video: bool) -> UploadedFile:
    """``file`` when it is an image (or, with ``allow_video``, a video) that passes every check above,
    renamed to a safe name with the extension of its detected type; else a 400 saying what is wrong."""
    shown = readable_name(file.name or "")
    limit = MEDIA_MAX_BYTES if allow_video else CAPTURE_MAX_BYTES
    size = file.size or 0
    if size > limit:
        raise _too_large(shown, size, limit, field)
    if size == 0:
        raise InvalidInput(ErrorCode.EMPTY_FILE, _("%(name)s is empty.") % {"name": shown}, {"field": field})
    file.seek(0)
    head = file.read(8192)
    file.seek(0)
    guessed = filetype.guess(head)
    kind = KEPT_TYPES.get(guessed.extension) if guessed is not None else None
    if kind is None or (kind.video and not allow_video):
        raise _unsupported(shown, allow_video, field)
    declared = (file.content_type or "").split(";")[0].strip().lower()
    declared = _DECLARED_ALIASES.get(declared, declared)
    claims = declared.startswith(_CLAIMING_PREFIXES) or any(w in declared for w in _CLAIMING_WORDS)
    if claims and declared != kind.mime:
        raise InvalidInput(
            ErrorCode.TYPE_MISMATCH,
            _("%(name)s was sent as %(declared)s but its content is %(found)s.")
            % {"name": shown, "declared": declared[:60], "found": kind.mime},
            {"field": field, "declared": declared[:60], "found": kind.mime},
        )
    type_limit = limit if kind.video else min(limit, IMAGE_MAX_BYTES)
    if size > type_limit:
        raise _too_large(shown, size, type_limit, field)
    problem, scanned = _structure_problem(file, kind, size)
    file.seek(0)
    if problem is not None:
        raise InvalidInput(
            ErrorCode.DAMAGED_FILE,
            _("%(name)s is not a valid %(type)s file: %(problem)s")
            % {"name": shown, "type": kind.extension.upper(), "problem": problem},
            {"field": field, "found": kind.mime},
        )
    if _holds_markup(file, scanned):
        raise InvalidInput(
            ErrorCode.MARKUP_IN_FILE,
            _("%(name)s holds web page or SVG markup besides its %(type)s content: it is refused.")
            % {"name": shown, "type": kind.extension.upper()},
            {"field": field, "found": kind.mime},
        )
    file.seek(0)
    file.name = safe_name(file.name or "", extension=kind.extension)
    return file


def _too_large(shown: str, size: int, limit: int, field: str) -> InvalidInput:
    return InvalidInput(
        ErrorCode.FILE_TOO_LARGE,
        _("%(name)s weighs %(size).1f MB: the limit is %(limit)d MB.")
        % {"name": shown, "size": size / 2**20, "limit": max(limit // 2**20, 1)},
        {"field": field, "bytes": size, "limit_bytes": limit},
    )


def _unsupported(shown: str, allow_video: bool, field: str) -> InvalidInput:
    wanted = (
        _("a JPEG, PNG, WebP or GIF image, or an MP4, MOV or WebM video")
        if allow_video
        else _("a JPEG, PNG, WebP or GIF image")
    )
    return InvalidInput(
        ErrorCode.UNSUPPORTED_FILE,
        _("%(name)s is not %(wanted)s.") % {"name": shown, "wanted": wanted},
        {"field": field},
    )


Ranges = list[tuple[int, int]]


def _structure_problem(file: IO[bytes], kind: MediaType, size: int) -> tuple[str | None, Ranges]:
    """Why the file's structure does not hold for its type (in the reader's words) or None, and the byte
    ranges to scan for markup (all but a video's media data)."""
    file.seek(0)
    if not kind.video:
        try:
            with Image.open(file) as image:
                image.verify()
                found = image.format
        except Exception:  # Pillow raises many kinds of errors for damaged images and bombs
            found = None
        return (None if found == kind.pillow_format else _("the image does not open.")), [(0, size)]
    if kind.extension == "webm":
        return _webm_problem(file, size), [(0, min(size, WEBM_SCANNED_BYTES))]
    return _iso_media_problem(file, size)


def _iso_media_problem(file: IO[bytes], size: int) -> tuple[str | None, Ranges]:
    """MP4 / MOV: top-level boxes (size, 4-letter type) chained from the ``ftyp`` box to the end of the
    file exactly, one of them a ``moov`` (the movie's index: without it nothing plays). The ranges to scan
    are every box but the payload of ``mdat`` boxes."""
    position, types = 0, list[bytes]()
    ranges: Ranges = []
    while position < size:
        file.seek(position)
        header = file.read(16)
        if len(header) < 8:
            return _("the file ends inside a box header."), ranges
        box_size, box_type = struct.unpack(">I4s", header[:8])
        if box_size == 1:
            if len(header) < 16:
                return _("the file ends inside a box header."), ranges
            box_size = struct.unpack(">Q", header[8:16])[0]
        elif box_size == 0:  # "to the end of the file": the last box
            box_size = size - position
        if not all(32 <= byte < 127 for byte in box_type) or box_size < 8:
            return _("bytes at offset %(at)d are not a box.") % {"at": position}, ranges
        if not types and box_type != b"ftyp":
            return _("it does not start with an ftyp box."), ranges
        types.append(box_type)
        ranges.append((position, min(position + 16, size) if box_type == b"mdat" else position + box_size))
        position += box_size
        if len(types) > 10_000:
            return _("too many boxes."), ranges
    if position != size:
        return _("the last box runs past the end of the file."), ranges
    if b"moov" not in types:
        return _("it has no moov box (the index of the video)."), ranges
    return None, ranges


_EBML_ID = b"\x1a\x45\xdf\xa3"
_SEGMENT_ID = b"\x18\x53\x80\x67"
# Elements that may open a WebM Segment: SeekHead, Info, Tracks, Cluster, Cues, Chapters, Tags,
# Attachments, Void.
_SEGMENT_CHILDREN = (
    b"\x11\x4d\x9b\x74",
    b"\x15\x49\xa9\x66",
    b"\x16\x54\xae\x6b",
    b"\x1f\x43\xb6\x75",
    b"\x1c\x53\xbb\x6b",
    b"\x10\x43\xa7\x70",
    b"\x12\x54\xc3\x67",
    b"\x19\x41\xa4\x69",
    b"\xec",
)


def _vint(data: bytes, at: int) -> tuple[int, int] | None:
    """An EBML variable-length size at ``at``: ``(value, length)``, or None when malformed."""
    if at >= len(data) or data[at] == 0:
        return None
    length = 8 - data[at].bit_length() + 1
    if at + length > len(data):
        return None
    value = data[at] & (0xFF >> length)
    for byte in data[at + 1 : at + length]:
        value = (value << 8) | byte
    return value, length


def _webm_problem(file: IO[bytes], size: int) -> str | None:
    """WebM: an EBML header of doc type ``webm``, then a Segment whose first child is a known element."""
    file.seek(0)
    data = file.read(4096)
    header = _vint(data, 4) if data.startswith(_EBML_ID) else None
    if header is None:
        return _("it has no EBML header.")
    header_size, length = header
    body_start = 4 + length
    body = data[body_start : body_start + header_size]
    if b"\x42\x82" not in body or b"webm" not in body:
        return _("its EBML header does not say webm.")
    at = body_start + header_size
    if data[at : at + 4] != _SEGMENT_ID:
        return _("no Segment follows the EBML header.")
    segment = _vint(data, at + 4)
    if segment is None:
        return _("the Segment's size is malformed.")
    segment_size, length = segment
    first_child = at + 4 + length
    known_size = segment_size != (1 << (7 * length)) - 1  # all ones: "unknown size" (live streams)
    if known_size and first_child + segment_size > size:
        return _("the Segment runs past the end of the file.")
    if not data[first_child:].startswith(_SEGMENT_CHILDREN):
        return _("the Segment does not start with a known element.")
    return None


def _holds_markup(file: IO[bytes], ranges: Ranges) -> bool:
    """True when HTML or SVG markup appears in one of the byte ``ranges`` (read in chunks, flat memory)."""
    for start, end in ranges:
        file.seek(start)
        tail, left = b"", end - start
        while left > 0 and (chunk := file.read(min(_SCAN_CHUNK, left))):
            if MARKUP.search(tail + chunk):
                return True
            tail, left = chunk[-_SCAN_OVERLAP:], left - len(chunk)
    return False


def file_response(file: FieldFile) -> FileResponse:
    """An uploaded file sent to someone allowed to see it: as a download with the type of its (checked)
    extension, never sniffed, sandboxed, and never cached by shared caches."""
    name = PurePath(file.name or "file").name
    kind = KEPT_TYPES.get(PurePath(name).suffix.lstrip(".").lower())
    response = FileResponse(
        file.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=kind.mime if kind is not None else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=0"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
