from __future__ import annotations

import re

import pytest
from django.core import mail

from microreach.web.accounts.models import Membership, User
from microreach.web.accounts.services import invitation_create
from microreach.web.accounts.tenancy import tenant_for
from tests import factories
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def _path_of_link(body: str) -> str:
    url = re.search(r"https?://\S+", body).group(0)
    return re.sub(r"^https?://[^/]+", "", url)


def test_brand_signs_up_and_verifies_email(page):
    page.goto("/")
    page.get_by_role("button", name="Create a brand account").click()
    page.get_by_label("Username").fill("claire")
    page.get_by_label("E-mail address").fill("claire@example.test")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_label("Brand or agency name").fill("Les Confitures de Claire")
    page.locator("main").get_by_role("button", name="Sign up").click()
    # the same page whether or not the address has an account (sign-up never tells who has one)
    page.get_by_role("heading", name="Check your e-mail").wait_for()
    screenshot(page, "brand-signup-sent")
    # the verification e-mail's link confirms the address, then the brand logs in
    assert len(mail.outbox) == 1
    page.goto(_path_of_link(mail.outbox[0].body))
    page.get_by_text(
        "Confirm that claire@example.test is the address of the microreach account claire."
    ).wait_for()
    assert User.objects.get(username="claire").email_verified_at is None  # opening the link is not confirming
    page.get_by_role("button", name="Confirm my e-mail address").click()
    page.get_by_text("Your e-mail address is confirmed.").wait_for()
    assert User.objects.get(username="claire").email_verified_at is not None
    page.get_by_label("Username").fill("claire")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name="Log out").wait_for()
    assert page.locator("h1").first.inner_text() == "Les Confitures de Claire"


def test_login_and_logout(page):
    factories.member(username="bruno")
    # the form's fields and button are reached by their labels, as a screen reader names them
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("bruno")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name="Log out").wait_for()
    assert page.url.endswith("/accounts/home/")
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("link", name="Log in").first.wait_for()


def test_wrong_password_is_refused(page):
    factories.member(username="bruno2")
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("bruno2")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    page.get_by_text("Please enter a correct username and password").wait_for()


def test_password_reset(page):
    factories.member(username="dora", email="dora@example.test")
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("dora@example.test")
    page.get_by_role("button", name="Send me a reset link").click()
    page.get_by_text("Check your e-mail").wait_for()
    assert len(mail.outbox) == 1
    page.goto(_path_of_link(mail.outbox[0].body))
    page.locator("#id_new_password1").fill("another-long-passphrase")
    page.get_by_label("New password confirmation").fill("another-long-passphrase")
    page.get_by_role("button", name="Change my password").click()
    page.get_by_text("Your password was changed").wait_for()
    assert User.objects.get(username="dora").check_password("another-long-passphrase")


def test_invited_teammate_joins(page):
    admin = factories.member(username="boss")
    org = Membership.objects.get(user=admin).organisation
    invitation_create(tenant=tenant_for(admin), email="newbie@example.test")
    page.goto(_path_of_link(mail.outbox[0].body))
    page.get_by_label("Username").fill("newbie")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Create my account and join").click()
    page.get_by_text(f"You joined {org.name}.").wait_for()
    assert Membership.objects.get(user__username="newbie").organisation_id == org.pk


def test_admin_sends_invitation_from_team_page(page):
    factories.member(username="lead")
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("lead")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Team").click()
    page.get_by_label("E-mail address").fill("mate@example.test")
    page.get_by_role("button", name="Send the invitation").click()
    page.get_by_text("Invitation sent to mate@example.test.").wait_for()
    assert mail.outbox[0].to == ["mate@example.test"]


def test_language_switch_to_french(page):
    page.goto("/")
    page.get_by_label("Language").select_option("fr")
    page.wait_for_load_state()
    page.get_by_text("Travaillez avec de petits créateurs").wait_for()
    assert page.locator("html").get_attribute("lang") == "fr"
    screenshot(page, "landing-fr")
