"""Writes of the accounts context: sign-up, e-mail verification, invitations, API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from microreach.web.accounts.errors import (
    ConfirmationMismatch,
    EmailTaken,
    InvalidToken,
    InvitationForAnotherAddress,
    KeepOneAdmin,
    LastAdmin,
    NotAdmin,
    OperatorAccount,
    OrganisationNotFound,
    UsernameTaken,
)
from microreach.web.accounts.models import (
    ApiToken,
    DigestFrequency,
    Invitation,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    User,
    password_stamp,
)
from microreach.web.accounts.tenancy import Tenant
from microreach.web.countries import country_known
from microreach.web.errors import ApplicationError, ErrorCode, NotFound
from microreach.web.events import UserErasing, deliver
from microreach.web.jobs.contracts import EmailBrand, email_send, in_language, site_link

VERIFY_SALT = "microreach.accounts.verify-email"
VERIFY_MAX_AGE = 3 * 24 * 3600
INVITATION_DAYS = 14
TOKEN_PREFIX = "mr_"


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def password_confirms(*, user: User, password: str, request: HttpRequest | None) -> bool:
    """Whether ``password`` is ``user``'s, asked again to confirm an action (change the password or the
    address, delete the account). Given the request, it is checked as a log-in is: django-axes counts a wrong
    one against the account and the address, and after ``AXES_FAILURE_LIMIT`` of them refuses even the right
    one and shows the locked-out page, so a stolen session cannot be used to guess the password. Call it
    outside a transaction that a wrong password rolls back, or the count goes with it."""
    if request is None:  # code, not a person at a browser (a management command, a test of the rule)
        return user.check_password(password)
    confirmed = authenticate(request, username=user.get_username(), password=password)
    return confirmed is not None and confirmed.pk == user.pk


def link_key(token: str) -> str:
    """A short, stable name for the signed link an e-mail carries, for the e-mail's once-only key."""
    return _hash(token)[:16]


def normalised_email(email: str) -> str:
    """An e-mail address the one way accounts store and compare it."""
    return User.objects.normalize_email(email.strip()).lower()


def in_their_language(user: User) -> translation.override:
    """Write to ``user`` in the language they chose (else the site's), whoever's page caused the e-mail."""
    return in_language(user.preferred_language)


def _unique_slug(name: str) -> str:
    base = slugify(name)[:60] or "org"
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _create_user(*, username: str, email: str, password: str, language: str) -> User:
    email = normalised_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise EmailTaken(email)
    if User.objects.filter(username__iexact=username).exists():
        raise UsernameTaken(username)
    user = User(username=username, email=email, preferred_language=language)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    return user


def organisation_create(
    *,
    kind: str,
    name: str,
    country: str = "",
    currency: str = "EUR",
    jurisdictions: list[str] | None = None,
    managed_by: Organisation | None = None,
) -> Organisation:
    return Organisation.objects.create(
        kind=kind,
        name=name,
        slug=_unique_slug(name),
        country=country.upper()[:2],
        currency=currency.upper()[:3] or "EUR",
        default_jurisdictions=jurisdictions
        if jurisdictions is not None
        else ([country.upper()] if country else []),
        managed_by=managed_by,
    )


@transaction.atomic
def user_signup_brand(
    *,
    username: str,
    email: str,
    password: str,
    organisation_name: str,
    kind: str = "brand",
    country: str = "",
    language: str = "en",
) -> User:
    """A new brand (or agency) and its first admin; sends the verification e-mail on commit."""
    user = _create_user(username=username, email=email, password=password, language=language)
    org_kind = str(OrganisationKind.AGENCY if kind == OrganisationKind.AGENCY else OrganisationKind.BRAND)
    org = organisation_create(kind=org_kind, name=organisation_name, country=country)
    Membership.objects.create(user=user, organisation=org, role=Role.ADMIN)
    verification_send(user=user)
    return user


@transaction.atomic
def user_signup_creator(
    *,
    username: str,
    email: str,
    password: str,
    display_name: str = "",
    country: str = "",
    language: str = "en",
) -> User:
    """A creator user and their own creator organisation; sends the verification e-mail on commit."""
    user = _create_user(username=username, email=email, password=password, language=language)
    org = organisation_create(
        kind=str(OrganisationKind.CREATOR), name=display_name or username, country=country
    )
    Membership.objects.create(user=user, organisation=org, role=Role.CREATOR)
    verification_send(user=user)
    return user


def verification_token(*, user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.email}, salt=VERIFY_SALT)


def language_supported(language: str) -> bool:
    """Whether ``language`` is one the site speaks (``settings.LANGUAGES``), not only one Django knows."""
    return language in dict(settings.LANGUAGES)


def user_language_set(*, user_id: int, language: str) -> str:
    """Record the language the person reads the site and their e-mails in; returns it. Raises ``ValueError``
    for a language the site does not speak."""
    if not language_supported(language):
        raise ValueError(language)
    User.objects.filter(pk=user_id).update(preferred_language=language)
    return language


def verification_send(*, user: User) -> None:
    token = verification_token(user=user)
    link = site_link(reverse("accounts:verify", args=[token]))
    with in_their_language(user):
        email_send(
            essential=True,
            to=user.email,
            key=f"verify:{user.pk}:{link_key(token)}",
            subject=_("Confirm your e-mail address for microreach"),
            template="accounts/email/verify",
            context={"name": user.username, "link": link},
            action=(link, _("Confirm my e-mail address")),
        )


def verification_link_user(*, token: str, for_update: bool = False) -> User:
    """The account an address-verification link was made for, read without changing it. Raises
    ``InvalidToken`` for a damaged or expired link, or one made for an address the account no longer has."""
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
    except signing.BadSignature as exc:
        raise InvalidToken("verification") from exc
    users = User.objects.select_for_update() if for_update else User.objects.all()
    user = users.filter(pk=data.get("u"), email=data.get("e")).first()
    if user is None:
        raise InvalidToken("verification")
    return user


@transaction.atomic
def user_verify_email(*, token: str) -> User:
    user = verification_link_user(token=token, for_update=True)
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    return user


@transaction.atomic
def invitation_create(*, tenant: Tenant, email: str, role: str = "member") -> tuple[Invitation, str]:
    """Invite a teammate to the tenant's organisation. Returns the invitation and its raw token."""
    if not tenant.is_admin or tenant.organisation_id is None:
        raise NotAdmin()
    raw = secrets.token_urlsafe(24)
    invitation = Invitation.objects.create(
        organisation_id=tenant.organisation_id,
        email=email.lower(),
        role=Role.ADMIN if role == Role.ADMIN else Role.MEMBER,
        token_hash=_hash(raw),
        invited_by_id=tenant.user_id,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    org = invitation.organisation
    link = site_link(reverse("accounts:invitation", args=[raw]))
    subject = _("You are invited to join %(org)s on microreach") % {"org": org.name}
    brand = EmailBrand(name=org.name, logo_url=site_link(org.logo.url) if org.logo else "")
    email_send(
        key=f"invitation:{invitation.pk}",
        to=invitation.email,
        subject=subject,
        template="accounts/email/invitation",
        context={"org": org.name, "link": link, "days": INVITATION_DAYS},
        action=(link, _("Accept the invitation")),
        brand=brand,
    )
    return invitation, raw


def _team_member(*, tenant: Tenant, membership_id: int, own: bool = False) -> Membership:
    """A membership of the tenant's organisation, locked for the change, that an admin may change (and, with
    ``own``, anyone their own); 404 for a membership of any other organisation."""
    if tenant.organisation_id is None:
        raise NotAdmin()
    membership = (
        Membership.objects.select_for_update()
        .select_related("organisation", "user")
        .filter(pk=membership_id, organisation_id=tenant.organisation_id)
        .exclude(role=Role.CREATOR)
        .first()
    )
    if membership is None:
        raise NotFound(ErrorCode.NOT_FOUND, _("No such member in your team."))
    if not tenant.is_admin and not (own and membership.user_id == tenant.user_id):
        raise NotAdmin()
    return membership


def _keeps_an_admin(membership: Membership) -> None:
    """Refuse a change that takes ``membership``'s admin role away when it is the organisation's last one
    (the admins are locked: two admins demoting each other at once cannot both succeed)."""
    if membership.role != Role.ADMIN:
        return
    admins = Membership.objects.select_for_update().filter(
        organisation_id=membership.organisation_id, role=Role.ADMIN
    )
    if not [pk for pk in admins.values_list("pk", flat=True) if pk != membership.pk]:
        raise KeepOneAdmin(membership.organisation.name)


@transaction.atomic
def membership_role_set(*, tenant: Tenant, membership_id: int, role: str) -> Membership:
    """An admin makes a teammate an admin or a member; the organisation always keeps an admin."""
    if role not in (Role.ADMIN, Role.MEMBER):
        raise _field_error("role", _("Choose admin or member."))
    membership = _team_member(tenant=tenant, membership_id=membership_id)
    if role == Role.MEMBER:
        _keeps_an_admin(membership)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, tenant: Tenant, membership_id: int) -> User:
    """An admin takes a teammate out of the organisation, or anyone leaves it: from the next request they
    no longer see its data, and their API tokens for it end. What they made (campaigns, lists, notes) stays
    the organisation's. The organisation always keeps an admin. Returns the person removed."""
    membership = _team_member(tenant=tenant, membership_id=membership_id, own=True)
    _keeps_an_admin(membership)
    ApiToken.objects.filter(
        user_id=membership.user_id, organisation_id=membership.organisation_id, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    membership_pk = membership.pk  # delete() empties it
    membership.delete()
    if membership.user_id != tenant.user_id and membership.user.email:
        _removed_notice(user=membership.user, organisation=membership.organisation.name, key=membership_pk)
    return membership.user


def _removed_notice(*, user: User, organisation: str, key: int) -> None:
    """The person an admin took out of a team is told, in their language (not left to find out)."""
    with in_their_language(user):
        email_send(
            essential=True,
            to=user.email,
            key=f"team-removed:{key}",
            subject=_("You no longer have access to %(org)s on microreach") % {"org": organisation},
            template="accounts/email/team_removed",
            context={"name": user.username, "org": organisation},
        )


@transaction.atomic
def invitation_cancel(*, tenant: Tenant, invitation_id: int) -> str:
    """An admin withdraws an invitation not yet accepted: its link stops working. Returns its address."""
    if not tenant.is_admin or tenant.organisation_id is None:
        raise NotAdmin()
    invitation = Invitation.objects.filter(
        pk=invitation_id, organisation_id=tenant.organisation_id, accepted_at__isnull=True
    ).first()
    if invitation is None:
        raise NotFound(ErrorCode.NOT_FOUND, _("No such invitation waiting."))
    invitation.delete()
    return invitation.email


def invitation_by_token(*, raw: str) -> Invitation:
    invitation = Invitation.objects.select_related("organisation").filter(token_hash=_hash(raw)).first()
    if invitation is None or invitation.accepted_at is not None or invitation.expires_at < timezone.now():
        raise InvalidToken("invitation")
    return invitation


def signup_on_taken_email(*, email: str) -> None:
    """Someone signed up with an address that has an account: the page answers as for a new account (it
    must not tell who has one), and the owner of the address gets an e-mail instead, at most one a day."""
    owner = User.objects.filter(email__iexact=normalised_email(email)).first()
    if owner is None:
        return
    # In the owner's language, not in the language of whoever tried to sign up.
    with in_their_language(owner):
        email_send(
            essential=True,
            to=owner.email,
            key=f"signup-taken:{owner.pk}:{timezone.now().date().isoformat()}",
            subject=_("Someone tried to sign up to microreach with your e-mail address"),
            template="accounts/email/signup_taken",
            context={
                "name": owner.username,
                "login": site_link(reverse("accounts:login")),
                "reset": site_link(reverse("accounts:password_reset")),
            },
        )


@transaction.atomic
def invitation_accept(*, raw: str, user: User) -> Membership:
    """Join the invitation's organisation: only as the person whose e-mail address it was sent to."""
    invitation = invitation_by_token(raw=raw)
    if user.email.strip().lower() != invitation.email.strip().lower():
        raise InvitationForAnotherAddress()
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now(), accepted_by=user)
    membership, _created = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    if user.email_verified_at is None:
        # The invitation link was sent to this address and opened by its account: that verifies it.
        User.objects.filter(pk=user.pk).update(email_verified_at=timezone.now())
    return membership


@transaction.atomic
def user_signup_invited(*, raw: str, username: str, password: str, language: str = "en") -> User:
    invitation = invitation_by_token(raw=raw)
    user = _create_user(username=username, email=invitation.email, password=password, language=language)
    invitation_accept(raw=raw, user=user)
    return user


@transaction.atomic
def api_token_create(
    *, user: User, organisation_id: int | None = None, name: str = "cli"
) -> tuple[ApiToken, str]:
    """A new API token for ``user`` scoped to one of their organisations. The raw token is shown once."""
    membership_qs = Membership.objects.filter(user=user)
    if organisation_id is not None:
        membership_qs = membership_qs.filter(organisation_id=organisation_id)
    membership = membership_qs.order_by("id").first()
    if membership is None and not user.is_staff:
        raise InvalidToken("organisation")
    prefix = secrets.token_hex(4)
    raw = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user,
        organisation_id=membership.organisation_id if membership else None,
        name=name[:100],
        prefix=prefix,
        token_hash=_hash(raw),
        password_stamp=password_stamp(user=user),
    )
    return token, raw


def api_token_authenticate(*, raw: str) -> ApiToken | None:
    """The live token for ``raw``, or None. A token made before the owner's last password change is
    revoked here: a password reset or change ends every token, however the password was changed."""
    token = (
        ApiToken.objects.select_related("user", "organisation")
        .filter(token_hash=_hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is not None and token.password_stamp != password_stamp(user=token.user):
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        return None
    if token is not None:
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def api_tokens_revoke_all(*, user: User) -> int:
    """Revoke every live token of ``user`` (their password was reset); returns how many."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def password_changed(*, user: User) -> None:
    """After the person changed their password (signed in) or chose a new one (reset link): every API token
    ends (made under the old password, ``password_stamp`` refuses them anyway; revoked, they say so on the
    tokens page), and the address on file is told, in the owner's language, so that a change they did not
    make is noticed. One e-mail per new password."""
    api_tokens_revoke_all(user=user)
    if not user.email:
        return
    with in_their_language(user):
        email_send(
            essential=True,
            to=user.email,
            key=f"password-changed:{user.pk}:{password_stamp(user=user)}",
            subject=_("Your microreach password was changed"),
            template="accounts/email/password_changed",
            context={"name": user.username, "reset": site_link(reverse("accounts:password_reset"))},
        )


def api_token_revoke(*, user: User, token_id: int) -> bool:
    return bool(
        ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )


@transaction.atomic
def demo_user_ensure(
    *,
    username: str,
    email: str,
    password: str,
    kind: str,
    organisation_name: str,
    country: str = "FR",
    operator: bool = False,
) -> User:
    """Create (or reset) a verified demo user with its organisation. Idempotent."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, email=email)
    user.set_password(password)
    user.email_verified_at = user.email_verified_at or timezone.now()
    user.is_staff = operator
    user.is_superuser = operator
    user.save()
    if not operator and not Membership.objects.filter(user=user).exists():
        org = organisation_create(
            kind=kind,
            name=organisation_name,
            country=country,
            jurisdictions=["FR", "EU"] if country == "FR" else None,
        )
        role = Role.CREATOR if kind == OrganisationKind.CREATOR else Role.ADMIN
        Membership.objects.create(user=user, organisation=org, role=role)
    return user


def demo_organisation_rename(*, user_id: int, name: str) -> None:
    """Give the demo user's organisation ``name`` (the demo creator takes the name of the simulated creator
    whose profile it claimed, so its space is not headed by another person's name)."""
    Organisation.objects.filter(memberships__user_id=user_id).update(name=name[:200])


def brand_upsert(
    *, external_key: str, name: str, country: str, currency: str, jurisdictions: list[str]
) -> tuple[Organisation, str]:
    """The brand organisation behind an imported ``brand_key``, created or brought up to date.

    Returns the organisation and what happened: ``inserted``, ``updated`` or ``unchanged``.
    """
    values: dict[str, Any] = {
        "name": name[:200],
        "country": country.upper()[:2],
        "currency": (currency or "EUR").upper()[:3],
        "default_jurisdictions": [j.upper() for j in jurisdictions],
    }
    org = Organisation.objects.select_for_update().filter(external_key=external_key).first()
    if org is None:
        org = Organisation.objects.create(
            kind=OrganisationKind.BRAND,
            slug=_unique_slug(values["name"]),
            external_key=external_key,
            **values,
        )
        return org, "inserted"
    changed = [field for field, value in values.items() if getattr(org, field) != value]
    if not changed:
        return org, "unchanged"
    for field in changed:
        setattr(org, field, values[field])
    org.save(update_fields=changed)
    return org, "updated"


def placeholder_creator_user_ensure(*, key: str, name: str, country: str = "") -> int:
    """The user standing for a creator known only from imported data (an applicant of a simulated or
    imported campaign): inactive, without a usable password, with its own creator organisation.

    Idempotent: the same ``key`` (the creator's external key) always gives the same user. The user
    cannot log in; a real creator who claims the profile later keeps their own account.
    """
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]
    username = f"imported-creator-{digest}"
    user = User.objects.filter(username=username).first()
    if user is not None:
        return int(user.pk)
    user = User(username=username, email=f"{username}@imported.invalid", is_active=False)
    user.set_unusable_password()
    user.save()
    org = organisation_create(
        kind=str(OrganisationKind.CREATOR), name=name[:200] or username, country=country
    )
    Membership.objects.create(user=user, organisation=org, role=Role.CREATOR)
    return int(user.pk)


def organisation_external_key_ensure(*, organisation_id: int, key: str) -> str:
    """Give an organisation ``key`` as its imported key unless it has one; returns the key it has."""
    org = Organisation.objects.get(pk=organisation_id)
    if not org.external_key:
        org.external_key = key
        org.save(update_fields=["external_key"])
    return org.external_key


def _field_error(field: str, message: str) -> ApplicationError:
    return ApplicationError(ErrorCode.INVALID, message, {"field": field})


@transaction.atomic
def organisation_register(
    *, kind: str, name: str, slug: str = "", country: str = "", currency: str = "EUR"
) -> Organisation:
    """An organisation made by an operator (``microreach org create``), each value checked at its column's
    bounds: a brand, agency or creator organisation; the slug is made from the name when not given."""
    if kind not in OrganisationKind.values:
        raise _field_error(
            "kind",
            _("Unknown kind %(kind)r: one of %(kinds)s.")
            % {"kind": kind, "kinds": ", ".join(OrganisationKind.values)},
        )
    name = name.strip()
    if not name or len(name) > 200:
        raise _field_error("name", _("A name of 1 to 200 characters is required."))
    if slug:
        if slug != slugify(slug) or len(slug) > 80:
            raise _field_error(
                "slug", _("A slug is up to 80 lowercase letters, digits and hyphens, e.g. maison-verte.")
            )
        if Organisation.objects.filter(slug=slug).exists():
            raise _field_error("slug", _("An organisation already uses the slug %(slug)s.") % {"slug": slug})
    if country and not country_known(country):  # "ZZ" has the shape of a code and is none
        raise _field_error("country", _("A country is a two-letter ISO 3166-1 code, e.g. FR."))
    if not (len(currency) == 3 and currency.isascii() and currency.isalpha()):
        raise _field_error("currency", _("A currency is a three-letter ISO 4217 code, e.g. EUR."))
    org = organisation_create(kind=kind, name=name, country=country, currency=currency)
    if slug:
        org.slug = slug
        org.save(update_fields=["slug"])
    return org


@transaction.atomic
def user_create(
    *,
    username: str,
    email: str,
    password: str,
    organisation_id: int | None = None,
    role: str | None = None,
    operator: bool = False,
    language: str = "en",
) -> User:
    """A user made by an operator (``microreach user create``): its address counts as confirmed (the operator
    vouches for it), its password passes the site's password rules, and it joins ``organisation_id`` with
    ``role`` (``creator`` in a creator organisation; ``admin`` or ``member`` in a brand or agency, default
    ``admin``). An operator is staff and superuser and may belong to no organisation."""
    org = None
    if organisation_id is not None:
        org = Organisation.objects.filter(pk=organisation_id).first()
        if org is None:
            raise OrganisationNotFound()
        allowed = [Role.CREATOR] if org.kind == OrganisationKind.CREATOR else [Role.ADMIN, Role.MEMBER]
        role = role or str(allowed[0])
        if role not in allowed:
            raise _field_error(
                "role",
                _("In a %(kind)s organisation the role is one of: %(roles)s.")
                % {"kind": org.kind, "roles": ", ".join(str(r) for r in allowed)},
            )
    elif role:
        raise _field_error("role", _("A role needs an organisation (--organisation ID)."))
    elif not operator:
        raise _field_error(
            "organisation", _("A user belongs to an organisation (--organisation ID) or is an operator.")
        )
    candidate = User(username=username, email=email)
    try:
        candidate.clean_fields(exclude=["password", "last_login", "date_joined"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise _field_error(field, " ".join(messages)) from None
    try:
        user = _create_user(username=username, email=email, password=password, language=language)
    except ValidationError as exc:
        raise _field_error("password", " ".join(exc.messages)) from None
    user.email_verified_at = timezone.now()
    user.is_staff = operator
    user.is_superuser = operator
    user.save(update_fields=["email_verified_at", "is_staff", "is_superuser"])
    if org is not None:
        Membership.objects.create(user=user, organisation=org, role=role)
    return user


def deleted_username(user_id: int) -> str:
    """The name a deleted account keeps (its row stays, anonymised: campaigns and logs point at it)."""
    return f"deleted-user-{user_id}"


def user_account_delete(*, user: User, password: str, request: HttpRequest | None = None) -> None:
    """The person deletes their own account, confirmed with their password (``password_confirms``).

    Each context first erases or anonymises what it holds about them (``events.UserErasing``, delivered
    now, in this transaction: connections revoked and deleted with their data, addresses erased, open
    applications withdrawn, pitches and their messages emptied, audit replies deleted, claimed profiles
    released — ``web/wiring.py`` lists who). Then the user row is anonymised rather than deleted, so that
    brands' campaigns, reports and activity logs keep their history without naming the person: username
    and e-mail replaced, names emptied, no password, inactive (every session and API token ends), their
    brand memberships gone, their own creator organisation renamed. Refused for an operator, for a wrong
    password (nothing changes), and for the last admin of an organisation that has other members."""
    if user.is_staff or user.is_superuser:
        raise OperatorAccount()
    if not password_confirms(user=user, password=password, request=request):
        raise ConfirmationMismatch()
    _account_delete(user=user)


@transaction.atomic
def _account_delete(*, user: User) -> None:
    admin_of = Membership.objects.filter(user=user, role=Role.ADMIN).select_related("organisation")
    for membership in admin_of:
        others = Membership.objects.filter(organisation=membership.organisation).exclude(user=user)
        if others.exists() and not others.filter(role=Role.ADMIN).exists():
            raise LastAdmin(membership.organisation.name)
    user_erase(user=user)


@transaction.atomic
def user_erase(*, user: User) -> None:
    """Erase what the contexts hold about ``user`` and anonymise the row (see ``user_account_delete``, which
    checks first). Also what an operator's "delete" in the admin does: a row deleted there would leave the
    person's e-mails, addresses and pitches behind, held by rows that do not point at the user."""
    deliver(UserErasing(user_id=user.pk))
    anonymous = deleted_username(user.pk)
    for membership in Membership.objects.filter(user=user, role=Role.CREATOR).select_related("organisation"):
        if not Membership.objects.filter(organisation=membership.organisation).exclude(user=user).exists():
            Organisation.objects.filter(pk=membership.organisation_id).update(
                name=anonymous, slug=anonymous, country=""
            )
    Membership.objects.filter(user=user).exclude(role=Role.CREATOR).delete()
    ApiToken.objects.filter(user=user).delete()
    user.username = anonymous
    user.email = f"{anonymous}@deleted.invalid"
    user.first_name = user.last_name = ""
    user.email_verified_at = None
    user.is_active = False
    user.digest = DigestFrequency.OFF
    user.set_unusable_password()
    user.save()
