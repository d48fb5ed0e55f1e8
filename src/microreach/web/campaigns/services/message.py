"""Messages between a brand and a creator about one application."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from microreach.web.accounts.contracts import Tenant
from microreach.web.campaigns import machine
from microreach.web.campaigns.errors import InvalidInput
from microreach.web.campaigns.models import (
    Application,
    Message,
)
from microreach.web.campaigns.services._common import (
    brand_application,
    creator_application,
    creator_email,
    event_log,
    notify,
    recipient_language,
    site_url,
)
from microreach.web.errors import ErrorCode

_CONTACT = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|(?:\+?\d[\s.-]?){8,}")


def message_create(app: Application, *, author_id: int | None, from_brand: bool, body: str) -> Message:
    if app.state == machine.A.WITHDRAWN:
        # the creator left: their thread stays readable, and takes no more messages from either side
        raise InvalidInput(
            ErrorCode.APPLICATION_WITHDRAWN,
            _("This application was withdrawn: its conversation is closed."),
            {"field": "body"},
            status=409,
        )
    text = body.strip()
    if not text:
        raise InvalidInput(ErrorCode.EMPTY_MESSAGE, _("Write a message."), {"field": "body"})
    if app.state not in machine.ADDRESS_VISIBLE_STATES and _CONTACT.search(text):
        raise InvalidInput(
            ErrorCode.CONTACT_DETAILS,
            _("Keep contact details out of messages until the creator is accepted."),
            {"field": "body"},
        )
    message = Message.objects.create(
        organisation_id=app.organisation_id,
        application=app,
        author_id=author_id,
        from_brand=from_brand,
        body=text,
    )
    event_log(app.campaign, "message.posted", application=app, actor_id=author_id, message=message.pk)
    if not from_brand:
        owner = (
            get_user_model()
            .objects.filter(pk=app.campaign.created_by_id)
            .values_list("email", flat=True)
            .first()
        )
        with recipient_language(app.campaign.created_by_id):
            link = site_url(f"/campaigns/applications/{app.pk}/")
            notify(
                key=f"campaign-message:{message.pk}",
                user_id=app.campaign.created_by_id,
                to=owner or "",
                subject=_("New message about %(c)s") % {"c": app.campaign.title},
                campaign=app.campaign,
                template="message_to_brand",
                context={"u": link},
                action_url=link,
                action_label=_("Read the message"),
            )
    if from_brand:
        with recipient_language(app.creator_user_id):
            link = site_url(f"/campaigns/applications/{app.pk}/")
            notify(
                key=f"campaign-message:{message.pk}",
                user_id=app.creator_user_id,
                to=creator_email(app),
                subject=_("New message about %(c)s") % {"c": app.campaign.title},
                campaign=app.campaign,
                template="message_to_creator",
                context={"u": link},
                action_url=link,
                action_label=_("Read the message"),
            )
    return message


@transaction.atomic
def message_post(*, tenant: Tenant, application_id: int, body: str) -> Message:
    if tenant.is_brand_side:
        app = brand_application(tenant, application_id)
        return message_create(app, author_id=tenant.user_id, from_brand=True, body=body)
    app = creator_application(tenant, application_id)
    return message_create(app, author_id=tenant.user_id, from_brand=False, body=body)
