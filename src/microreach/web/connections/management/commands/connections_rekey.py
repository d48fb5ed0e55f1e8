"""Re-encrypt every connected account's tokens under the first of ``MICROREACH_TOKEN_KEYS`` (rotation:
put a new key first, keep the old ones until this ran, then drop them)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from microreach.web.connections.services import tokens_reencrypt


class Command(BaseCommand):
    help = "Re-encrypt stored network tokens under the first key of MICROREACH_TOKEN_KEYS."

    def handle(self, *args: Any, **options: Any) -> None:
        done = tokens_reencrypt()
        self.stdout.write(f"{done} connections re-encrypted under the first key")
