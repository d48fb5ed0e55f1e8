"""What a topic code looks like: lower-case letters, digits, "_" and "-", at most 40 (how creators' topics are
indexed). The search filters on it (``schemas.SearchIn.topic``); a brief targets it (offered to the other
contexts by ``contracts.TOPIC_PATTERN``)."""

from __future__ import annotations

TOPIC_PATTERN = r"^[a-z0-9_\-]{1,40}$"
