"""Names of files people upload: shown in messages and used on disk, never trusted as sent.

A name keeps no folders, no bidi or other invisible control characters (a right-to-left override makes
``cover<RLO>gpj.html`` read as ``coverlmth.jpg``), and is never empty, ``.`` or ``..``.
"""

from __future__ import annotations

import unicodedata
from pathlib import PurePath

from django.utils.http import content_disposition_header

NAME_MAX_CHARS = 100


def readable_name(name: str) -> str:
    """The name as sent, without folders, bidi or other control / invisible format characters, at most
    ``NAME_MAX_CHARS`` characters (the extension kept); ``upload`` when nothing is left."""
    name = unicodedata.normalize("NFC", PurePath(str(name).replace("\\", "/")).name)
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if name in ("", ".", ".."):
        return "upload"
    if len(name) > NAME_MAX_CHARS:
        suffix = PurePath(name).suffix[:12]
        name = name[: NAME_MAX_CHARS - len(suffix)] + suffix
    return name


def unique_name(name: str, taken: set[str]) -> str:
    """``name``, or ``stem (2).ext``, ``stem (3).ext``… when another file of the same upload has it
    (case-insensitively); the name chosen is added to ``taken``."""
    path = PurePath(name)
    candidate, n = name, 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{path.stem} ({n}){path.suffix}"
    taken.add(candidate.lower())
    return candidate


def attachment_header(name: str) -> str:
    """The ``Content-Disposition`` value of a download named ``name``: the readable name, quoted, with
    an RFC 6266 ``filename*`` (UTF-8) when it is not plain ASCII — a bare non-ASCII ``filename="…"`` is
    dropped by browsers, which then save "export.csv"."""
    return content_disposition_header(True, readable_name(name)) or "attachment"
