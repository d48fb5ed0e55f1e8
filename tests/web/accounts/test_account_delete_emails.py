"""A person who deletes their account gets no e-mail afterwards: those still queued for them are cancelled
in the deletion's transaction, a sender that claimed one before the deletion does not send it, and no
e-mail row keeps their address or what was written to them."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from microreach.web.accounts.services import user_account_delete
from microreach.web.jobs.models import OutboundEmail
from microreach.web.jobs.services import email_claim, email_deliver, email_queue, email_send
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _queued(key: str, to: str, body: str = "Hello Léa, your parcel is on its way.") -> OutboundEmail:
    with pytest.MonkeyPatch.context() as patch:
        # recorded only: the test sends (or not) by hand
        patch.setattr("microreach.web.jobs.services.job_enqueue", lambda **_kwargs: None)
        return email_queue(key=key, to=to, subject="Your parcel", body=body)


def test_deleting_the_account_cancels_queued_emails_and_blanks_sent_ones():
    # given a creator with one e-mail sent, one queued and one being sent; and someone else's queued e-mail
    user = factories.creator_user(email="lea@example.com")
    sent = _queued("shipped:1", "lea@example.com")
    OutboundEmail.objects.filter(pk=sent.pk).update(state="sent")
    queued = _queued("reminder:2", "Lea@Example.com")
    claimed = _queued("reminder:3", "lea@example.com")
    assert email_claim(email_id=claimed.pk) is True
    other = _queued("reminder:4", "someone@example.com")

    # when the creator deletes their account
    user_account_delete(user=user, password=PASSWORD)

    # then nothing to them is left to send, and no row keeps their address or what was written to them
    rows = {
        e.key: (e.state, e.to, e.subject, e.body, e.html_body)
        for e in OutboundEmail.objects.exclude(pk=other.pk)
    }
    assert rows == {
        "shipped:1": ("sent", "", "", "", ""),
        "reminder:2": ("cancelled", "", "", "", ""),
        "reminder:3": ("cancelled", "", "", "", ""),
    }
    assert email_send(email_id=queued.pk) is False
    assert email_deliver(email_id=claimed.pk) is False  # claimed before the deletion: not sent after it
    assert mail.outbox == []
    # someone else's e-mail is untouched and still goes
    assert OutboundEmail.objects.get(pk=other.pk).to == "someone@example.com"
    assert email_send(email_id=other.pk) is True
    assert [m.to for m in mail.outbox] == [["someone@example.com"]]


def test_a_trigger_whose_email_was_cancelled_queues_nothing_again():
    # given an e-mail cancelled by its recipient's deletion
    user = factories.creator_user(email="lea@example.com")
    _queued("reminder:2", "lea@example.com")
    user_account_delete(user=user, password=PASSWORD)

    # when the same trigger queues it again (a job run twice)
    again = _queued("reminder:2", "lea@example.com")

    # then the key stays claimed by the cancelled row: nothing is sent
    assert (again.state, again.to) == ("cancelled", "")
    assert OutboundEmail.objects.filter(key="reminder:2").count() == 1


def test_a_refused_deletion_erases_no_email():
    # given a queued e-mail to a creator
    user = factories.creator_user(email="lea@example.com")
    queued = _queued("reminder:2", "lea@example.com")
    client = Client()
    client.force_login(user)

    # when the deletion is refused (wrong password)
    client.post("/accounts/delete/", {"password": "wrong"})

    # then the e-mail is unchanged and still goes
    assert OutboundEmail.objects.get(pk=queued.pk).state == "pending"
    assert email_send(email_id=queued.pk) is True
    assert [m.to for m in mail.outbox] == [["lea@example.com"]]


@pytest.mark.parametrize("how", ["one", "bulk"])
def test_an_operator_deleting_a_person_in_the_admin_erases_them_as_their_own_deletion_does(how):
    # given a creator with a sent e-mail, and an operator
    user = factories.creator_user(email="lea@example.com")
    sent = _queued("shipped:1", "lea@example.com")
    OutboundEmail.objects.filter(pk=sent.pk).update(state="sent")
    operator = factories.user(staff=True)
    operator.is_superuser = True
    operator.save()
    web = Client()
    web.force_login(operator)
    # when the operator deletes the person in the admin, from their page or from the list
    if how == "one":
        answer = web.post(f"/admin/accounts/user/{user.pk}/delete/", {"post": "yes"})
    else:
        answer = web.post(
            "/admin/accounts/user/",
            {"action": "delete_selected", "_selected_action": [user.pk], "post": "yes"},
        )
    assert answer.status_code == 302
    # then the row is anonymised, not deleted (campaigns keep their history), and no e-mail row keeps
    # the address or what was written to them
    user.refresh_from_db()
    assert (user.username, user.email, user.is_active) == (
        f"deleted-user-{user.pk}",
        f"deleted-user-{user.pk}@deleted.invalid",
        False,
    )
    assert OutboundEmail.objects.values_list("to", "subject", "body").get(pk=sent.pk) == ("", "", "")
