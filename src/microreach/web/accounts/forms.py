from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.template import loader
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from microreach.web.accounts.models import DigestFrequency, OrganisationKind, Role
from microreach.web.accounts.services import in_their_language, password_changed, password_confirms
from microreach.web.countries import country_choices
from microreach.web.jobs.contracts import email_send, site_link


def _country_choices() -> list[tuple[str, str]]:
    """No country chosen, then every country named in the reader's language (``web/countries``)."""
    return [("", "—"), *country_choices()]


class CountryField(forms.ChoiceField):
    """A country chosen from the list, kept as its ISO 3166-1 alpha-2 code; a code sent in lower case (a
    script, an old form) is read in upper case, and a name (``France``) or an unknown code is refused."""

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).strip().upper()


# The password rules in one sentence (settings.AUTH_PASSWORD_VALIDATORS), wherever a password is chosen.
PASSWORD_RULES = _(
    "At least 10 characters, not only digits, not a common password, not like your name or e-mail address."
)


class SignupBaseForm(forms.Form):
    username = forms.RegexField(
        label=_("Username"),
        max_length=40,
        regex=r"^[A-Za-z0-9_.-]{3,40}$",
        error_messages={"invalid": _("3 to 40 letters, digits, dots, dashes or underscores.")},
    )
    email = forms.EmailField(label=_("E-mail address"))
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput,
        min_length=10,
        help_text=PASSWORD_RULES,
    )
    # the view preselects the country of the browser's language (``countries.country_of_languages``)
    country = CountryField(label=_("Country"), choices=_country_choices, required=False)


class BrandSignupForm(SignupBaseForm):
    organisation_name = forms.CharField(label=_("Brand or agency name"), max_length=200)
    kind = forms.ChoiceField(
        label=_("You are"),
        choices=[(OrganisationKind.BRAND, _("A brand")), (OrganisationKind.AGENCY, _("An agency"))],
    )


class CreatorSignupForm(SignupBaseForm):
    display_name = forms.CharField(label=_("Your name as a creator"), max_length=200, required=False)


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(
        label=_("Role"), choices=[(Role.MEMBER, _("Brand member")), (Role.ADMIN, _("Brand admin"))]
    )


class InvitedSignupForm(forms.Form):
    username = SignupBaseForm.base_fields["username"]
    password = SignupBaseForm.base_fields["password"]


class DigestForm(forms.Form):
    digest = forms.ChoiceField(
        label=_("Send me the digest of my inbox"),
        choices=DigestFrequency.choices,
        widget=forms.RadioSelect,
        help_text=_("Only when something waits for you; every digest has a link to stop them all."),
    )


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Show the site and send my e-mails in"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
    )


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password, to confirm"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        strip=False,
    )


class EmailChangeForm(forms.Form):
    email = forms.EmailField(label=_("New e-mail address"), max_length=254)
    password = forms.CharField(
        label=_("Your password, to confirm"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        strip=False,
    )


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100, initial="script")


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's password reset, but the e-mail goes through the worker's send-once outbox."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        # In the account owner's language, not in the language of whoever asked for the link.
        with in_their_language(context["user"]):
            subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
            # The link from the site setting, never from the request's host and port (``protocol``/``domain``).
            link = site_link(
                reverse(
                    "accounts:password_reset_confirm",
                    kwargs={"uidb64": context["uid"], "token": context["token"]},
                )
            )
            email_send(
                key=f"password-reset:{context['uid']}:{context['token']}",
                to=to_email,
                subject=subject,
                template="accounts/email/password_reset",
                context={**context, "reset_url": link},
                action=(link, _("Choose a new password")),
                essential=True,
            )


class TokenRevokingSetPasswordForm(SetPasswordForm):
    """Django's new-password form of the reset link; the new password also ends every API token, and the
    owner is told by e-mail (``services.password_changed``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # the rules in the sentence signing up says them in, rather than Django's list of four
        self.fields["new_password1"].help_text = PASSWORD_RULES
        self.fields["new_password2"].help_text = ""

    def save(self, commit: bool = True):
        user = super().save(commit=commit)
        if commit:
            password_changed(user=user)
        return user


class TokenRevokingPasswordChangeForm(PasswordChangeForm, TokenRevokingSetPasswordForm):
    """Django's change of password for a signed-in person (the current password first, checked and counted
    like a log-in: ``services.password_confirms``), with what a reset's new password does
    (``TokenRevokingSetPasswordForm.save``)."""

    def __init__(self, user: Any, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean_old_password(self) -> str:
        old_password = self.cleaned_data["old_password"]
        if not password_confirms(user=self.user, password=old_password, request=self.request):
            raise ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password
