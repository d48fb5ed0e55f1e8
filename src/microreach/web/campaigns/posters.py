"""A submitted video draft's poster frame: the frame at about one second (the first is often black or a
fade-in), decoded by PyAV (ffmpeg in its wheels) in the worker, never in a request, shrunk to fit
``POSTER_PX`` and stored as WebP without metadata next to the draft; the inline preview shows it as the
``<video poster>`` until the video plays.

The video passed the upload checks (``uploads``: content type, box structure, no markup) before it was
stored; decoding stops after ``MAX_DECODED_FRAMES`` frames from the seek point, and a file ffmpeg cannot
read gives no poster (the preview then lets the browser draw a frame: ``preload="metadata"``).
"""

from __future__ import annotations

import io
import logging
from typing import IO

import av
from PIL import Image

from microreach.web.pictures import PICTURE_MAX_PIXELS

log = logging.getLogger(__name__)

POSTER_AT_SECONDS = 1.0
POSTER_PX = 960  # the long side: sharp at the preview's 480-px height on a 2× screen
MAX_DECODED_FRAMES = 600  # ~10 s at 60 fps from the seek point: a keyframe far back is not decoded forever


class PosterRefused(ValueError):
    """No frame could be read from the video; ``str()`` says why, in English (logged, not shown)."""


def video_poster(video: IO[bytes]) -> bytes:
    """The WebP poster of ``video`` (an MP4, MOV or WebM file object): the frame at ``POSTER_AT_SECONDS``,
    or the last one before it when the video is shorter; ``PosterRefused`` when none decodes."""
    try:
        with av.open(video, mode="r") as container:
            if not container.streams.video:
                raise PosterRefused("no video stream")
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            width, height = stream.codec_context.width, stream.codec_context.height
            if width * height > PICTURE_MAX_PIXELS:
                raise PosterRefused(f"{width} × {height} pixels is too large")
            if stream.time_base is not None:
                container.seek(int(POSTER_AT_SECONDS / stream.time_base), stream=stream, backward=True)
            chosen = None
            for count, frame in enumerate(container.decode(stream)):
                chosen = frame
                if (frame.time or 0.0) >= POSTER_AT_SECONDS or count >= MAX_DECODED_FRAMES:
                    break
            if chosen is None:
                raise PosterRefused("no frame decodes")
            image = chosen.to_image()
    except PosterRefused:
        raise
    except (av.FFmpegError, ValueError, OSError) as error:
        raise PosterRefused(f"the video does not decode: {error}") from error
    image = image.convert("RGB")
    image.thumbnail((POSTER_PX, POSTER_PX), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="WEBP", quality=80)
    return out.getvalue()
