"""Issue 14, accounts, throttling and CSP: each test replays a finding of the hostile client and fails
without its fix (login throttling, invitations, API throttles and tokens, sign-up enumeration, e-mail
verification gate, opt-out, Content-Security-Policy and the vendored API docs)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail, signing
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from typer.testing import CliRunner

from microreach.cli.main import app as cli
from microreach.web.accounts import services
from microreach.web.accounts.models import ApiToken, Membership, User
from microreach.web.accounts.tenancy import tenant_for
from microreach.web.jobs.models import EmailOptOut, OutboundEmail
from microreach.web.jobs.services import (
    UNSUBSCRIBE_SALT,
    email_queue,
    email_unsubscribe_address,
    email_unsubscribe_url,
)
from tests import factories

WRONG = "not-the-password-at-all"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Throttles count in the shared cache: each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


def _login(client: Client, username: str, password: str, *, address: str = "203.0.113.7", path: str = ""):
    return client.post(
        path or "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


# --- 1. Login throttling (django-axes): per account AND address, 429 with a cool-off -------------------


@pytest.mark.django_db
def test_five_wrong_passwords_lock_that_account_from_that_address_with_a_429_and_a_cool_off():
    factories.member(username="victim")
    codes = [_login(Client(), "victim", WRONG).status_code for _ in range(5)]
    # the form again with its error four times; the fifth wrong password locks
    assert codes == [200, 200, 200, 200, 429]
    # then even the right password from that address waits, and the answer says how long
    locked = _login(Client(), "victim", factories.PASSWORD)
    assert locked.status_code == 429
    assert "Try again in 15 minutes" in locked.content.decode()
    assert locked["Retry-After"] == "900"
    assert "_auth_user_id" not in locked.wsgi_request.session


@pytest.mark.django_db
def test_lockout_is_never_per_address_alone_nor_per_account_alone():
    factories.member(username="victim")
    factories.member(username="colleague")
    for _ in range(5):
        _login(Client(), "victim", WRONG, address="203.0.113.7")
    assert _login(Client(), "victim", factories.PASSWORD, address="203.0.113.7").status_code == 429
    # a colleague behind the same office address still logs in
    assert _login(Client(), "colleague", factories.PASSWORD, address="203.0.113.7").status_code == 302
    # and the victim, from their own address, too
    assert _login(Client(), "victim", factories.PASSWORD, address="198.51.100.9").status_code == 302


@pytest.mark.django_db
def test_the_cool_off_message_is_in_french_for_a_french_visitor():
    factories.member(username="victime")
    for _ in range(6):
        response = Client(HTTP_ACCEPT_LANGUAGE="fr").post(
            "/accounts/login/", {"username": "victime", "password": WRONG}, REMOTE_ADDR="203.0.113.7"
        )
    assert response.status_code == 429
    assert "Réessayez dans 15 minutes" in response.content.decode()


@pytest.mark.django_db
def test_admin_login_is_throttled_the_same_way():
    factories.user(username="root", staff=True)
    for _ in range(5):
        _login(Client(), "root", WRONG, path="/admin/login/")
    response = _login(Client(), "root", factories.PASSWORD, path="/admin/login/")
    assert response.status_code == 429
    assert "Try again in 15 minutes" in response.content.decode()


@pytest.mark.django_db
def test_passwords_asked_again_on_the_settings_pages_count_like_log_ins():
    # given a signed-in brand member whose session someone else holds
    user = factories.member(username="holder", email="holder@example.test")
    thief = Client()
    thief.force_login(user)
    attempts = [
        (
            "/accounts/password/change/",
            {"old_password": WRONG, "new_password1": "x" * 12, "new_password2": "x" * 12},
        ),
        ("/accounts/email/change/", {"email": "thief@example.test", "password": WRONG}),
        ("/accounts/delete/", {"password": WRONG}),
        (
            "/accounts/password/change/",
            {"old_password": WRONG, "new_password1": "x" * 12, "new_password2": "x" * 12},
        ),
    ]
    # when four wrong passwords are tried across the three forms, each says the password is wrong
    for path, data in attempts:
        assert thief.post(path, data, REMOTE_ADDR="203.0.113.7").status_code == 200
    # then the fifth locks the account from that address, like the log-in page
    fifth = thief.post("/accounts/delete/", {"password": WRONG}, REMOTE_ADDR="203.0.113.7")
    assert fifth.status_code == 429 and "Try again in 15 minutes" in fifth.content.decode()
    # and even the right password changes nothing from there, nor logs in
    right = thief.post("/accounts/delete/", {"password": factories.PASSWORD}, REMOTE_ADDR="203.0.113.7")
    assert right.status_code == 429
    user.refresh_from_db()
    assert user.is_active and user.email == "holder@example.test" and user.check_password(factories.PASSWORD)
    assert _login(Client(), "holder", factories.PASSWORD).status_code == 429
    # while the owner, from their own address, still works
    assert _login(Client(), "holder", factories.PASSWORD, address="198.51.100.9").status_code == 302


@pytest.mark.django_db
def test_the_right_password_asked_again_is_not_counted():
    user = factories.member(username="owner", email="owner@example.test")
    client = Client()
    client.force_login(user)
    for _ in range(6):
        response = client.post(
            "/accounts/email/change/",
            {"email": "owner.new@example.test", "password": factories.PASSWORD},
            REMOTE_ADDR="203.0.113.7",
        )
        assert response.status_code == 302
    assert _login(Client(), "owner", factories.PASSWORD).status_code == 302


# --- 2. A brand invitation is accepted only by the address it was sent to ---------------------------


@pytest.mark.django_db
def test_an_invitation_cannot_be_accepted_by_another_signed_in_user(client_for):
    admin = factories.member()
    org_id = Membership.objects.get(user=admin).organisation_id
    _invitation, raw = services.invitation_create(tenant=tenant_for(admin), email="tom@example.test")
    intruder = factories.member(email="mallory@example.test")
    c = client_for(intruder)
    # when another signed-in user opens or posts the link
    page = c.get(f"/accounts/invitation/{raw}/")
    post = c.post(f"/accounts/invitation/{raw}/")
    # then a clear 403 page, and nothing changed
    assert (page.status_code, post.status_code) == (403, 403)
    assert "This invitation was sent to another e-mail address" in post.content.decode()
    assert not Membership.objects.filter(user=intruder, organisation_id=org_id).exists()
    assert services.invitation_by_token(raw=raw).accepted_at is None


@pytest.mark.django_db
def test_the_invited_address_accepts_its_invitation(client_for):
    admin = factories.member()
    org_id = Membership.objects.get(user=admin).organisation_id
    _invitation, raw = services.invitation_create(tenant=tenant_for(admin), email="Tom@Example.test")
    tom = factories.member(email="tom@example.test")
    response = client_for(tom).post(f"/accounts/invitation/{raw}/")
    assert response.status_code == 302
    assert Membership.objects.filter(user=tom, organisation_id=org_id).exists()


# --- 3. API throttles, tokens, sign-up, verification gate, e-mails --------------------------------


def _limit(n: int):
    from django.conf import settings

    return override_settings(MICROREACH={**settings.MICROREACH, "API_RATE_LIMIT_PER_MINUTE": n})


@pytest.mark.django_db
def test_the_api_limit_is_per_user_across_all_their_tokens():
    user = factories.member()
    raws = [services.api_token_create(user=user, name=f"t{i}")[1] for i in range(4)]
    with _limit(3):
        codes = [
            Client().get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code for raw in raws
        ]
        other = factories.member()
        _t, other_raw = services.api_token_create(user=other)
        other_code = Client().get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer {other_raw}").status_code
    # a fourth token gives no fourth request; another user is not affected
    assert codes == [200, 200, 200, 429]
    assert other_code == 200


@pytest.mark.django_db
def test_the_api_limit_counts_the_session_and_the_tokens_of_one_user_together(client_for):
    user = factories.member()
    _t, raw = services.api_token_create(user=user)
    session = client_for(user)
    with _limit(2):
        first = session.get("/api/accounts/me").status_code
        second = Client().get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code
        third = session.get("/api/accounts/me")
    assert (first, second, third.status_code) == (200, 200, 429)
    assert third.json()["error"]["code"] == "rate_limited"
    assert third.json()["error"]["details"]["limit_per_minute"] == 2
    assert int(third["Retry-After"]) >= 1


@pytest.mark.django_db
def test_the_api_throttle_keeps_the_requests_of_two_threads_apart():
    import threading

    from django.test import RequestFactory

    from microreach.web.apikit.auth import API_THROTTLE

    throttle = API_THROTTLE[0]
    first, second = RequestFactory().get("/api/accounts/me"), RequestFactory().get("/api/accounts/me")
    first.user, second.user = factories.member(), factories.member()
    # one thread counts a request of the first user; meanwhile another counts one of the second
    assert throttle.allow_request(first)
    other = threading.Thread(target=throttle.allow_request, args=(second,))
    other.start()
    other.join()
    # the first thread still sees its own request's key (ninja reads it again for the retry delay)
    assert throttle.key == f"throttle_user_{first.user.pk}"


@pytest.mark.django_db
def test_wrong_bearer_tokens_are_throttled_per_client_address():
    user = factories.member()
    _t, good = services.api_token_create(user=user)
    codes = [
        Client()
        .get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer mr_guess{i}", REMOTE_ADDR="203.0.113.66")
        .status_code
        for i in range(25)
    ]
    assert codes[:20] == [401] * 20
    assert set(codes[20:]) == {429}
    blocked = Client().get("/api/accounts/me", HTTP_AUTHORIZATION="Bearer mr_x", REMOTE_ADDR="203.0.113.66")
    assert blocked.json()["error"]["code"] == "rate_limited"
    # another address is not affected
    other = Client().get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer {good}", REMOTE_ADDR="198.51.100.1")
    assert other.status_code == 200


@pytest.mark.django_db
def test_behind_the_proxy_a_client_cannot_choose_the_address_it_is_counted_under():
    with override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")):
        codes = [
            Client()
            .get(
                "/api/accounts/me",
                HTTP_AUTHORIZATION=f"Bearer mr_guess{i}",
                # the client forges the first entry; the proxy appends the address it saw
                HTTP_X_FORWARDED_FOR=f"10.0.0.{i}, 203.0.113.66",
                REMOTE_ADDR="127.0.0.1",
            )
            .status_code
            for i in range(21)
        ]
    assert codes[-1] == 429


@pytest.mark.django_db(transaction=True)
def test_a_password_reset_revokes_every_api_token(client):
    user = factories.member(email="dora@example.test")
    _t, raw = services.api_token_create(user=user)
    assert Client().get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    form_page = client.get(f"/accounts/password/reset/{uid}/{token}/", follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "another-long-passphrase", "new_password2": "another-long-passphrase"},
    )
    assert response.status_code == 302
    assert ApiToken.objects.get().revoked_at is not None
    assert Client().get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


@pytest.mark.django_db
def test_a_password_changed_any_other_way_ends_the_tokens_too(client_for):
    user = factories.member()
    _t, raw = services.api_token_create(user=user)
    # e.g. an operator in the admin, or `microreach manage changepassword`
    user.set_password("a-brand-new-passphrase")
    user.save()
    assert Client().get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert ApiToken.objects.get().revoked_at is not None
    assert 'id="new-token"' not in client_for(user).get("/accounts/tokens/").content.decode()
    assert not ApiToken.objects.filter(revoked_at__isnull=True).exists()


def _without_tokens(response) -> str:
    """The page without what differs at every request anyway (CSRF token, CSP nonce)."""
    body = response.content.decode()
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": "|nonce=")[^"]+', r"\1", body)


def _signup(client: Client, email: str, username: str):
    return client.post(
        "/accounts/signup/brand/",
        {
            "username": username,
            "email": email,
            "password": "correct-horse-battery",
            "organisation_name": "Maison Test",
            "kind": "brand",
        },
    )


@pytest.mark.django_db(transaction=True)
def test_signup_does_not_tell_which_addresses_have_an_account():
    owner = factories.member(username="owner", email="taken@example.test")
    users_before = User.objects.count()
    # when someone signs up with a taken address, and someone else with a new one
    taken = _signup(Client(), "TAKEN@example.test", "newcomer1")
    fresh = _signup(Client(), "fresh@example.test", "newcomer2")
    # then both get the same answer
    assert (taken.status_code, taken["Location"]) == (fresh.status_code, fresh["Location"])
    assert _without_tokens(Client().get(taken["Location"])) == _without_tokens(
        Client().get(fresh["Location"])
    )
    # no account was made for the taken address; its owner was told by e-mail instead
    assert User.objects.count() == users_before + 1
    assert not User.objects.filter(username="newcomer1").exists()
    to_owner = [m for m in mail.outbox if m.to == [owner.email]]
    assert len(to_owner) == 1
    assert "already has one" in to_owner[0].body


@pytest.mark.django_db
def test_an_unverified_account_cannot_search_create_campaigns_or_mint_tokens(client_for):
    user = factories.member(verified=False)
    c = client_for(user)
    # web: a 403 page that says what to do, with the resend button
    for path in ("/discover/", "/campaigns/new/", "/campaigns/new/steps/", "/accounts/tokens/"):
        response = c.get(path)
        assert response.status_code == 403, path
        body = response.content.decode()
        assert "Confirm your e-mail address first" in body
        assert 'action="/accounts/verify/resend/"' in body
    assert c.post("/accounts/tokens/", {"name": "x"}).status_code == 403
    assert not ApiToken.objects.exists()
    # API: the error shape, with the resend link
    search = c.get("/api/discovery/search?q=lin")
    assert search.status_code == 403
    assert search.json()["error"]["code"] == "email_not_verified"
    assert search.json()["error"]["details"]["resend_url"] == "/accounts/verify/resend/"
    created = c.post("/api/campaigns", {"title": "x"}, content_type="application/json")
    assert created.status_code in (403, 422)
    assert c.get("/api/accounts/me").json()["email_verified"] is False


@pytest.mark.django_db
def test_an_unverified_account_cannot_create_a_campaign_through_the_api(client_for):
    from tests.web.campaigns import helpers as h
    from tests.web.campaigns.helpers import campaign_data

    user = factories.member(verified=False)
    payload = {k: (str(v) if hasattr(v, "isoformat") else v) for k, v in campaign_data().items()}
    response = client_for(user).post("/api/campaigns", payload, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "email_not_verified"
    # nor copy a teammate's campaign
    teammate = factories.member(org=Membership.objects.get(user=user).organisation)
    campaign = h.open_campaign(tenant_for(teammate))
    duplicate = client_for(user).post(f"/api/campaigns/{campaign.pk}/duplicate")
    assert (duplicate.status_code, duplicate.json()["error"]["code"]) == (403, "email_not_verified")
    assert client_for(user).post(f"/campaigns/{campaign.pk}/duplicate/").status_code == 403
    verified = factories.member()
    assert (
        client_for(verified).post("/api/campaigns", payload, content_type="application/json").status_code
        == 201
    )


@pytest.mark.django_db
def test_the_operator_cli_mints_tokens_for_unverified_users():
    factories.member(username="script-user", verified=False)
    result = CliRunner().invoke(cli, ["token", "create", "script-user"])
    assert result.exit_code == 0, result.output
    raw = result.output.strip()
    assert Client().get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


@pytest.mark.django_db
def test_campaign_invitations_never_email_an_address_found_in_a_public_bio():
    from microreach.web.campaigns.services.application import invitations_from_shortlist
    from microreach.web.discovery.models import ShortlistEntry
    from microreach.web.discovery.services import shortlist_create
    from tests.web.campaigns import helpers as h

    _user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    unclaimed = factories.account(contact_email="from-the-bio@example.test")
    shortlist = shortlist_create(tenant=tenant, name="Bios")
    ShortlistEntry.objects.create(
        organisation_id=shortlist.organisation_id, shortlist=shortlist, account_id=unclaimed.pk
    )
    summary = invitations_from_shortlist(tenant=tenant, campaign_id=campaign.pk, shortlist_id=shortlist.pk)
    assert (summary.invited, summary.skipped) == (0, 1)
    assert not OutboundEmail.objects.filter(to="from-the-bio@example.test").exists()


def _unsubscribe_path(body: str) -> str:
    url = re.search(r"https?://\S+/accounts/unsubscribe/\S+/", body).group(0)
    return re.sub(r"^https?://[^/]+", "", url)


@pytest.mark.django_db(transaction=True)
def test_every_email_has_a_working_opt_out_that_the_mailer_honours():
    email_queue(key="notice-1", to="Lea@Example.test", subject="A notice", body="Hello")
    first = mail.outbox[0]
    assert first.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = _unsubscribe_path(first.body)
    assert first.extra_headers["List-Unsubscribe"].endswith(f"{path}>")
    # opening the link asks; confirming records the preference
    assert Client().get(path).status_code == 200
    assert not EmailOptOut.objects.exists()
    done = Client(enforce_csrf_checks=True).post(path)  # one click from a mail client: no CSRF token
    assert done.status_code == 200
    assert list(EmailOptOut.objects.values_list("address", flat=True)) == ["lea@example.test"]
    # then notifications stop; what the person asks for (a password reset) still arrives
    email_queue(key="notice-2", to="lea@example.test", subject="Another notice", body="Hello again")
    email_queue(key="reset-1", to="lea@example.test", subject="Reset", body="Your link", essential=True)
    assert [m.subject for m in mail.outbox] == ["A notice", "Reset"]
    assert OutboundEmail.objects.get(key="notice-2").state == "suppressed"


@pytest.mark.django_db
def test_an_opt_out_link_is_the_same_every_time_and_older_links_still_work():
    # the footer (made when queued) and the header (made when sent) give the same link, whenever
    assert email_unsubscribe_url(address="Lea@Example.test") == email_unsubscribe_url(
        address="lea@example.test"
    )
    token = email_unsubscribe_url(address="lea@example.test").rstrip("/").rsplit("/", 1)[-1]
    assert email_unsubscribe_address(token=token) == "lea@example.test"
    # a link sent before, with its signing time, still opts out; a damaged one does not
    older = signing.dumps("max@example.test", salt=UNSUBSCRIBE_SALT, compress=True)
    assert email_unsubscribe_address(token=older) == "max@example.test"
    assert Client().post(f"/accounts/unsubscribe/{older}/").status_code == 200
    assert list(EmailOptOut.objects.values_list("address", flat=True)) == ["max@example.test"]
    assert email_unsubscribe_address(token=older[:-2] + "xx") is None
    assert email_unsubscribe_address(token=token[:-2] + "xx") is None


@pytest.mark.django_db
def test_a_forged_opt_out_link_is_refused():
    response = Client().post("/accounts/unsubscribe/not-a-signed-token/")
    assert response.status_code == 400
    assert not EmailOptOut.objects.exists()


# --- 4. Content-Security-Policy on every page; API docs from our own files ---------------------------

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def _pages(client_for) -> list[tuple[Client, str]]:
    from tests.web.campaigns import helpers as h

    brand, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    creator = factories.creator_user()
    operator = factories.user(staff=True)
    anonymous = Client()
    return [
        (client_for(brand), f"/campaigns/{campaign.pk}/"),
        (client_for(creator), "/campaigns/"),
        (client_for(creator), "/accounts/home/"),
        (anonymous, "/"),
        (anonymous, "/accounts/login/"),
        (anonymous, "/accounts/signup/brand/"),
        (anonymous, "/accounts/password/reset/"),
        (anonymous, "/api/docs"),
        (client_for(brand), "/accounts/home/"),
        (client_for(brand), "/discover/"),
        (client_for(brand), "/campaigns/"),
        (client_for(brand), "/accounts/tokens/"),
        (client_for(operator), "/admin/"),
    ]


@pytest.mark.django_db
def test_every_page_has_a_csp_and_no_inline_script_without_its_nonce(client_for):
    for c, path in _pages(client_for):
        response = c.get(path)
        assert response.status_code == 200, path
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "object-src 'none'" in policy, path
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, path
        nonce = re.search(r"'nonce-([^']+)'", policy)
        body = response.content.decode()
        for attributes in INLINE_SCRIPT.findall(body):
            if 'type="application/json"' in attributes:
                continue  # data, never run
            assert nonce and f'nonce="{nonce.group(1)}"' in attributes, (path, attributes)
        assert not INLINE_HANDLER.search(body), (path, INLINE_HANDLER.search(body).group(0))


@pytest.mark.django_db
def test_api_docs_load_their_assets_from_our_static_files():
    response = Client().get("/api/docs")
    body = response.content.decode()
    assert response.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in body and "/static/ninja/swagger-ui.css" in body
    assert not re.search(r"(src|href)=\"(https?:)?//", body)
    # no CDN host anywhere (by its host name: a random CSRF token or nonce may hold the letters "cdn")
    assert not re.search(r"cdn\.|jsdelivr|unpkg|cdnjs", body, re.IGNORECASE)
    assert '"validatorUrl": null' in body
    assert Client().get("/static/ninja/swagger-ui-bundle.js").status_code == 200
