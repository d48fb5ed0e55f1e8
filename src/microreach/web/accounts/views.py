"""Pages of the accounts context: sign-up, verification, role home, team, invitations, API tokens."""

from __future__ import annotations

import math
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language

from microreach.web.accounts import digests, email_change, selectors, services
from microreach.web.accounts.errors import EmailTaken, InvitationForAnotherAddress
from microreach.web.accounts.forms import (
    AccountDeleteForm,
    BrandSignupForm,
    CreatorSignupForm,
    DigestForm,
    EmailChangeForm,
    InvitationForm,
    InvitedSignupForm,
    LanguageForm,
    TokenForm,
    TokenRevokingPasswordChangeForm,
)
from microreach.web.accounts.middleware import ACTIVE_ORGANISATION_SESSION_KEY
from microreach.web.accounts.models import Role
from microreach.web.accounts.tenancy import verified_email_required
from microreach.web.countries import country_of_languages
from microreach.web.errors import ApplicationError
from microreach.web.home import dashboard_sections
from microreach.web.jobs.contracts import email_opt_out, email_unsubscribe_address


def _language_cookie(response: HttpResponse, language: str) -> HttpResponse:
    """The language cookie ``LocaleMiddleware`` reads, set as Django's own language switcher sets it."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """The header's language switcher: the cookie for everyone (Django's ``set_language``), and, for a
    signed-in person, their preference too, which their next log-in and their e-mails follow."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and services.language_supported(language):
        services.user_language_set(user_id=request.user.pk, language=language)
    return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """A signed-in person changes their password: the current one first, then the new one twice (Django's
    validators). They stay signed in here, every other session of theirs ends (Django's session hash), so
    do their API tokens, and their address is told (``services.password_changed``)."""

    template_name = "accounts/password_change.html"
    form_class = TokenRevokingPasswordChangeForm
    success_url = reverse_lazy("accounts:settings")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request,
            _(
                "Your password is changed. Your other sessions and your API tokens have ended: create new "
                "tokens for your scripts."
            ),
        )
        return response


class LoginView(auth_views.LoginView):
    """Django's log-in, then the person's own language: the first page after it is in their preference,
    whatever the browser's cookie or Accept-Language said. A person who never chose one keeps the language
    they logged in in, which becomes their preference: their e-mails are then written in the language they
    read the site in (the settings page shows it, and changes it), not in the site's default."""

    template_name = "accounts/login.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        if services.language_supported(user.preferred_language):
            _language_cookie(response, user.preferred_language)
        elif services.language_supported(self.request.LANGUAGE_CODE):
            services.user_language_set(user_id=user.pk, language=self.request.LANGUAGE_CODE)
        return response


def _signup(request: HttpRequest, form_class, service, template: str) -> HttpResponse:
    # the country chosen at first is the one the browser's language names (fr-CH: Switzerland), if any
    country = country_of_languages(request.headers.get("Accept-Language", ""))
    form = form_class(request.POST or None, initial={"country": country})
    if request.method == "POST" and form.is_valid():
        try:
            service(**form.cleaned_data, language=request.LANGUAGE_CODE)
        except ValidationError as exc:
            form.add_error("password", exc)
        except EmailTaken:
            # The same answer as for a new account: the page never tells which addresses have one.
            services.signup_on_taken_email(email=form.cleaned_data["email"])
            return redirect("accounts:signup_sent")
        except ApplicationError as exc:
            form.add_error(exc.details.get("field"), exc.message)
        else:
            return redirect("accounts:signup_sent")
    return render(request, template, {"form": form})


def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signup_sent.html")


def signup_brand(request: HttpRequest) -> HttpResponse:
    return _signup(request, BrandSignupForm, services.user_signup_brand, "accounts/signup_brand.html")


def signup_creator(request: HttpRequest) -> HttpResponse:
    return _signup(request, CreatorSignupForm, services.user_signup_creator, "accounts/signup_creator.html")


def _opened_link(
    request: HttpRequest,
    read: Callable[[], dict[str, str]],
    confirm: Callable[[], object],
    done: str,
    then: str,
) -> HttpResponse:
    """A link from an e-mail. Opening it (GET) changes nothing: the page ``read`` describes says what
    confirming does, with one button, so a mail scanner that opens links acts on nobody's behalf. The button
    (POST) runs ``confirm``, then ``done`` is said on ``then`` (the log-in page for a visitor not signed in).
    A refused link says why (400), whether opened or confirmed."""
    try:
        page = read()
        if request.method == "POST":
            confirm()
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return render(request, "accounts/verify_failed.html", status=400)
    if request.method != "POST":
        return render(request, "accounts/link_confirm.html", page)
    messages.success(request, done)
    return redirect(then if request.user.is_authenticated else "accounts:login")


@require_http_methods(["GET", "HEAD", "POST"])
def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    def read() -> dict[str, str]:
        user = services.verification_link_user(token=token)
        return {
            "title": _("Confirm your e-mail address"),
            "text": _("Confirm that %(email)s is the address of the microreach account %(name)s.")
            % {"email": user.email, "name": user.username},
            "button": _("Confirm my e-mail address"),
        }

    return _opened_link(
        request,
        read,
        lambda: services.user_verify_email(token=token),
        _("Your e-mail address is confirmed."),
        "accounts:home",
    )


@login_required
@require_POST
def verify_resend(request: HttpRequest) -> HttpResponse:
    if request.user.email_verified_at is None:
        services.verification_send(user=request.user)
        messages.info(request, _("We sent a new confirmation e-mail."))
    return redirect("accounts:home")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The landing page of a signed-in user, made for their role."""
    tenant = request.tenant
    return render(
        request,
        "accounts/home.html",
        {
            "organisation": selectors.organisation_get(tenant=tenant),
            "memberships": selectors.user_organisations(user_id=request.user.pk),
            "sections": dashboard_sections(tenant=tenant),
        },
    )


@login_required
@require_POST
def switch_organisation(request: HttpRequest) -> HttpResponse:
    try:
        organisation_id = int(request.POST.get("organisation", ""))
    except ValueError:
        organisation_id = 0
    if selectors.user_organisations(user_id=request.user.pk).filter(organisation_id=organisation_id).exists():
        request.session[ACTIVE_ORGANISATION_SESSION_KEY] = organisation_id
    return redirect("accounts:home")


@login_required
def team(request: HttpRequest) -> HttpResponse:
    tenant = request.tenant
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _raw = services.invitation_create(tenant=tenant, **form.cleaned_data)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect("accounts:team")
    members = list(selectors.membership_list(tenant=tenant))
    admins = [m for m in members if m.role == Role.ADMIN]
    return render(
        request,
        "accounts/team.html",
        {
            "form": form,
            "organisation": selectors.organisation_get(tenant=tenant),
            "members": members,
            # the organisation's only admin can be neither demoted nor removed (services._keeps_an_admin)
            "sole_admin_id": admins[0].pk if len(admins) == 1 else None,
            "invitations": selectors.invitation_list_pending(tenant=tenant),
            "roles": [(value, label) for value, label in Role.choices if value != Role.CREATOR],
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def team_member_role(request: HttpRequest, membership_id: int) -> HttpResponse:
    """An admin makes a teammate an admin or a member."""
    try:
        changed = services.membership_role_set(
            tenant=request.tenant, membership_id=membership_id, role=str(request.POST.get("role", ""))
        )
    except ApplicationError as exc:
        if exc.status in (403, 404):  # not an admin, not this team's: the error page
            raise
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(user)s is now %(role)s.")
            % {"user": changed.user.username, "role": changed.get_role_display().lower()},
        )
    return redirect("accounts:team")


@login_required
@require_POST
def team_member_remove(request: HttpRequest, membership_id: int) -> HttpResponse:
    """An admin takes a teammate out of the organisation; anyone leaves it."""
    try:
        removed = services.membership_remove(tenant=request.tenant, membership_id=membership_id)
    except ApplicationError as exc:
        if exc.status in (403, 404):  # not an admin, not this team's: the error page
            raise
        messages.error(request, exc.message)
        return redirect("accounts:team")
    if removed.pk == request.user.pk:
        request.session.pop(ACTIVE_ORGANISATION_SESSION_KEY, None)
        messages.success(request, _("You left the team."))
        return redirect("accounts:home")
    messages.success(request, _("%(user)s no longer has access to your data.") % {"user": removed.username})
    return redirect("accounts:team")


@login_required
@require_POST
def team_invitation_cancel(request: HttpRequest, invitation_id: int) -> HttpResponse:
    """An admin withdraws an invitation not accepted yet: its link stops working."""
    email = services.invitation_cancel(tenant=request.tenant, invitation_id=invitation_id)
    messages.success(request, _("The invitation to %(email)s is withdrawn.") % {"email": email})
    return redirect("accounts:team")


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        pending = services.invitation_by_token(raw=token)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return render(request, "accounts/verify_failed.html", status=400)
    if request.user.is_authenticated:
        if request.user.email.strip().lower() != pending.email.strip().lower():
            return render(
                request,
                "accounts/invitation_wrong_account.html",
                {"message": InvitationForAnotherAddress().message},
                status=403,
            )
        if request.method == "POST":
            services.invitation_accept(raw=token, user=request.user)
            request.session[ACTIVE_ORGANISATION_SESSION_KEY] = pending.organisation_id
            messages.success(request, _("You joined %(org)s.") % {"org": pending.organisation.name})
            return redirect("accounts:home")
        return render(request, "accounts/invitation.html", {"invitation": pending, "form": None})
    form = InvitedSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_signup_invited(
                raw=token, language=request.LANGUAGE_CODE, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error("password", exc)
        except ApplicationError as exc:
            form.add_error(exc.details.get("field"), exc.message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            request.session[ACTIVE_ORGANISATION_SESSION_KEY] = pending.organisation_id
            messages.success(request, _("You joined %(org)s.") % {"org": pending.organisation.name})
            return redirect("accounts:home")
    return render(request, "accounts/invitation.html", {"invitation": pending, "form": form})


@login_required
@verified_email_required
def tokens(request: HttpRequest) -> HttpResponse:
    tenant = request.tenant
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_token = services.api_token_create(
                user=request.user, organisation_id=tenant.organisation_id, name=form.cleaned_data["name"]
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": selectors.api_token_list(tenant=tenant), "new_token": new_token},
    )


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    """The person's settings: their language, and how often their inbox digest is e-mailed. Each section
    is its own form (``section``), saved alone."""
    user_id = request.user.pk
    posted = request.POST if request.method == "POST" else None
    section = posted.get("section") if posted is not None else None
    language_form = LanguageForm(
        posted if section == "language" else None,
        initial={"language": request.user.preferred_language or request.LANGUAGE_CODE},
    )
    form = DigestForm(
        posted if section != "language" else None,
        initial={"digest": digests.digest_frequency_get(user_id=user_id)},
    )
    if section == "language" and language_form.is_valid():
        language = services.user_language_set(
            user_id=user_id, language=language_form.cleaned_data["language"]
        )
        translation.activate(language)  # the confirmation in the language just chosen
        messages.success(request, _("Your settings are saved."))
        return _language_cookie(redirect("accounts:settings"), language)
    if posted is not None and section != "language" and form.is_valid():
        digests.digest_frequency_set(user_id=user_id, frequency=form.cleaned_data["digest"])
        messages.success(request, _("Your settings are saved."))
        return redirect("accounts:settings")
    return render(request, "accounts/settings.html", {"digest_form": form, "language_form": language_form})


@login_required
def email_change_view(request: HttpRequest) -> HttpResponse:
    """GET: the new address and the password to confirm. POST: a link goes to the new address; the account
    keeps its address until it is opened (``email_change``)."""
    form = EmailChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = email_change.email_change_request(
                user=request.user,
                new_email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                request=request,
            )
        except ApplicationError as exc:
            form.add_error(exc.details.get("field") or None, exc.message)
        else:
            messages.info(
                request,
                _(
                    "Open the link we sent to %(new)s to use it (valid for 3 days). Until then your e-mails "
                    "still go to %(old)s."
                )
                % {"new": new, "old": request.user.email},
            )
            return redirect("accounts:settings")
    return render(request, "accounts/email_change.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
def email_change_confirm_view(request: HttpRequest, token: str) -> HttpResponse:
    """The link of the new address: once confirmed, the account moves there."""

    def read() -> dict[str, str]:
        user, new = email_change.email_change_link(token=token)
        return {
            "title": _("Use your new e-mail address"),
            "text": _("The microreach account %(name)s will use %(new)s instead of %(old)s.")
            % {"name": user.username, "new": new, "old": email_change.masked(user.email)},
            "button": _("Use this e-mail address"),
        }

    return _opened_link(
        request,
        read,
        lambda: email_change.email_change_confirm(token=token),
        _("Your account now uses this e-mail address."),
        "accounts:settings",
    )


@login_required
def account_delete(request: HttpRequest) -> HttpResponse:
    """GET: what deleting the account erases and what stays, and the password to confirm. POST: delete."""
    if request.user.is_staff:
        raise Http404
    form = AccountDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_account_delete(
                user=request.user, password=form.cleaned_data["password"], request=request
            )
        except ApplicationError as exc:
            form.add_error("password" if exc.details.get("field") == "password" else None, exc.message)
        else:
            logout(request)
            messages.success(request, _("Your account is deleted. Thank you for using microreach."))
            return redirect("/")
    is_creator = getattr(request, "tenant", None) is not None and request.tenant.is_creator
    return render(request, "accounts/delete.html", {"form": form, "is_creator": is_creator})


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    if services.api_token_revoke(user=request.user, token_id=token_id):
        messages.success(request, _("Token revoked."))
    return redirect("accounts:tokens")


@csrf_exempt  # the signed link is the credential; mail clients POST to it for one-click opt-out (RFC 8058)
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    address = email_unsubscribe_address(token=token)
    if address is None:
        return render(request, "accounts/verify_failed.html", status=400)
    if request.method == "POST":
        email_opt_out(address=address)
        return render(request, "accounts/unsubscribe.html", {"address": address, "done": True})
    return render(request, "accounts/unsubscribe.html", {"address": address, "done": False})


def login_locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer once an account failed too often from one address: 429 and when to retry."""
    minutes = max(1, math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    response = render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
