from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    BRAND = "brand", _("Brand")
    AGENCY = "agency", _("Agency")
    CREATOR = "creator", _("Creator")


class Organisation(models.Model):
    """A tenant. Brands and agencies run campaigns; each creator user has a creator organisation."""

    kind = models.CharField(_("kind"), max_length=16, choices=OrganisationKind.choices)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO 3166-1 alpha-2"))
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    default_jurisdictions = models.JSONField(
        _("default jurisdictions"), default=list, blank=True, help_text=_('e.g. ["FR", "US"]')
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    managed_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="client_brands",
        limit_choices_to={"kind": OrganisationKind.AGENCY},
        verbose_name=_("managing agency"),
    )
    # The brand's key in imported files (``brand_key``); empty for organisations made in the app.
    external_key = models.CharField(_("external key"), max_length=120, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["external_key"],
                condition=~models.Q(external_key=""),
                name="uniq_organisation_external_key",
            )
        ]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"


class DigestFrequency(models.TextChoices):
    """How often a person gets the e-mail digest of their inbox (``web/inbox``)."""

    DAILY = "daily", _("Every day")
    WEEKLY = "weekly", _("Every week, on Monday")
    OFF = "off", _("Never")


class User(AbstractUser):
    """A person. Operators are staff users; everyone else acts through memberships."""

    email = models.EmailField(_("e-mail address"), unique=True)
    email_verified_at = models.DateTimeField(_("e-mail verified at"), null=True, blank=True)
    # Empty until the person chooses (the switcher, the settings page; sign-up records the language they
    # signed up in): logging in then keeps the browser's language, and e-mails use ``LANGUAGE_CODE``.
    preferred_language = models.CharField(_("language"), max_length=8, blank=True, default="")
    # Empty: the default of the person's side (``selectors.digest_default``): daily for brand and agency
    # members, who have decisions waiting every day; weekly for creators, whose tasks come a few a month.
    digest = models.CharField(
        _("e-mail digest"), max_length=8, choices=DigestFrequency.choices, blank=True, default=""
    )

    @property
    def is_operator(self) -> bool:
        return bool(self.is_staff)


class Role(models.TextChoices):
    MEMBER = "member", _("Brand member")
    ADMIN = "admin", _("Brand admin")
    CREATOR = "creator", _("Creator")


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="uniq_membership")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"


class Invitation(models.Model):
    """A teammate invited by e-mail. Only the hash of the token is stored."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]


# Also in migration accounts 0003, which stamped the tokens that existed before.
PASSWORD_STAMP_SALT = "microreach.accounts.api-token-password-stamp:"


def password_stamp(*, user: User) -> str:
    """A fingerprint of the user's current password hash: it changes whenever the password changes."""
    return hashlib.sha256((PASSWORD_STAMP_SALT + user.password).encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """A per-user token for scripts, scoped to one organisation. Stored as a SHA-256 hash."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="api_tokens", null=True
    )
    name = models.CharField(_("name"), max_length=100, default="cli")
    prefix = models.CharField(max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The owner's password when the token was made (``services.password_stamp``): a token stops working
    # when the password changes, whichever way it changed (reset, admin, ``changepassword``).
    password_stamp = models.CharField(max_length=64, default="", editable=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class OrganisationOwnedQuerySet(models.QuerySet):
    def for_organisations(self, organisation_ids: frozenset[int]) -> OrganisationOwnedQuerySet:
        return self.filter(organisation_id__in=organisation_ids)


class OrganisationOwned(models.Model):
    """Base of every row that belongs to one organisation.

    Selectors read these rows only through ``tenancy.scoped(Model, tenant)``; the tenancy test walks
    every subclass and proves one organisation cannot see another's rows.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")

    objects = OrganisationOwnedQuerySet.as_manager()

    class Meta:
        abstract = True
