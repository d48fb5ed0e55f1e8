"""Keyed pseudonyms for other people's handles (followers, comment authors)."""

from __future__ import annotations

import hashlib
import hmac


def pseudonymise(key: str, network: str, handle: str) -> str:
    """HMAC-SHA256 of ``network:handle`` (handle lower-cased, ``@`` stripped) under the installation key.

    Returns 32 hex characters. The same person gets the same pseudonym on every account of the
    installation, so pods can be linked across accounts, but the handle cannot be read back.
    """
    normalised = f"{network.strip().lower()}:{handle.strip().lstrip('@').lower()}"
    return hmac.new(key.encode("utf-8"), normalised.encode("utf-8"), hashlib.sha256).hexdigest()[:32]
