"""Message templates a brand picks when it accepts or declines (translated like every other string)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

TEMPLATES = {
    "accept_welcome": (
        _("Accept: welcome"),
        _("Welcome aboard! Please confirm your address and variant so we can ship your product."),
    ),
    "decline_full": (
        _("Decline: campaign full"),
        _("Thank you for applying. This campaign is now full; we hope to work with you on a future one."),
    ),
    "decline_fit": (
        _("Decline: not the right fit"),
        _(
            "Thank you for applying. Your profile is not the right fit for this brief, but we keep it in mind."
        ),
    ),
}
