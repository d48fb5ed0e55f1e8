"""Tokens encrypted at rest: Fernet (AES-128-CBC + HMAC-SHA256) under the installation's keys.

``settings.MICROREACH["TOKEN_KEYS"]`` (``MICROREACH_TOKEN_KEYS``, read in ``web/environment.py``) lists the keys
newest first: the first encrypts, every one decrypts (``MultiFernet``). To rotate: put a new key first,
keep the old ones, run ``microreach manage connections_rekey`` (re-encrypts every token under the first
key), then drop the old keys.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class TokenUnreadable(Exception):
    """A stored token that no configured key decrypts (a key was dropped before re-encrypting)."""


def _cipher() -> MultiFernet:
    keys = settings.MICROREACH["TOKEN_KEYS"]
    return MultiFernet([Fernet(key.encode("ascii")) for key in keys])


def token_encrypt(value: str) -> str:
    return _cipher().encrypt(value.encode("utf-8")).decode("ascii") if value else ""


def token_decrypt(stored: str) -> str:
    if not stored:
        return ""
    try:
        return _cipher().decrypt(stored.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise TokenUnreadable("no configured key decrypts this token") from None


def token_rotate(stored: str) -> str:
    """The same token encrypted under the first key (a no-op for the reader)."""
    if not stored:
        return ""
    try:
        return _cipher().rotate(stored.encode("ascii")).decode("ascii")
    except InvalidToken:
        raise TokenUnreadable("no configured key decrypts this token") from None
