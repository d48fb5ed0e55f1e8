"""Bulk actions on applicants (services/bulk.py): all or nothing, with a result per row."""

from __future__ import annotations

import pytest
from django.http import Http404

from microreach.web.campaigns.errors import InvalidInput
from microreach.web.campaigns.models import ActivityEvent, Application, Message, Shipment
from microreach.web.campaigns.services.bulk import applications_bulk
from microreach.web.campaigns.services.shipment import shipment_confirm_address
from microreach.web.jobs.models import Job, OutboundEmail
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db


def _states(apps) -> list[str]:
    return [Application.objects.get(pk=a.pk).state for a in apps]


def _stored() -> tuple[int, int, int, int]:
    return (
        ActivityEvent.objects.count(),
        Message.objects.count(),
        OutboundEmail.objects.count(),
        Job.objects.count(),
    )


def _campaign(wanted: int, applicants: int):
    _user, tenant = h.brand()
    campaign = h.open_campaign(tenant, creators_wanted=wanted)
    pairs = [h.apply(campaign) for _ in range(applicants)]
    return tenant, campaign, [c for c, _a in pairs], [a for _c, a in pairs]


def _address(creator_tenant, app) -> None:
    shipment_confirm_address(
        tenant=creator_tenant,
        application_id=app.pk,
        variant="M",
        recipient="Léa Martin",
        street="1 rue des Lilas",
        postcode="69001",
        city="Lyon",
        country="FR",
    )


def test_bulk_accept_accepts_every_selected_applicant_and_tells_each_creator():
    # given a campaign wanting 3 creators and 3 applicants
    tenant, campaign, _creators, apps = _campaign(3, 3)
    emails = OutboundEmail.objects.count()
    # when the brand accepts all three at once
    result = applications_bulk(
        tenant=tenant, campaign_id=campaign.pk, action="accept", application_ids=[a.pk for a in apps]
    )
    # then every row went through, each creator is accepted and e-mailed once
    assert result.done is True
    assert [(r.application_id, r.ok, r.code) for r in result.rows] == [(a.pk, True, "") for a in apps]
    assert _states(apps) == ["accepted", "accepted", "accepted"]
    assert OutboundEmail.objects.count() == emails + 3


def test_bulk_accept_beyond_creators_wanted_changes_nothing_and_names_the_refused_rows():
    # given a campaign wanting 2 creators and 3 applicants
    tenant, campaign, _creators, apps = _campaign(2, 3)
    before = _stored()
    # when the brand accepts the three
    result = applications_bulk(
        tenant=tenant,
        campaign_id=campaign.pk,
        action="accept",
        application_ids=[a.pk for a in apps],
        message="Welcome!",
    )
    # then the third row is refused as full, and nothing changed: no state, event, message or e-mail
    assert result.done is False
    assert [(r.ok, r.code) for r in result.rows] == [(True, ""), (True, ""), (False, "campaign_full")]
    assert [r.application_id for r in result.refused] == [apps[2].pk]
    assert result.refused[0].handle == apps[2].account.handle
    assert "2 creators" in result.refused[0].message
    assert _states(apps) == ["applied", "applied", "applied"]
    assert _stored() == before


def test_bulk_decline_with_one_already_decided_row_refuses_the_whole_action():
    tenant, campaign, _creators, apps = _campaign(5, 3)
    applications_bulk(tenant=tenant, campaign_id=campaign.pk, action="decline", application_ids=[apps[1].pk])
    before = _stored()
    result = applications_bulk(
        tenant=tenant, campaign_id=campaign.pk, action="decline", application_ids=[a.pk for a in apps]
    )
    assert result.done is False
    assert [(r.application_id, r.code) for r in result.refused] == [(apps[1].pk, "illegal_transition")]
    assert _states(apps) == ["applied", "declined", "applied"]
    assert _stored() == before


def test_bulk_refuses_an_application_of_another_campaign_or_brand():
    tenant, campaign, _creators, apps = _campaign(5, 1)
    _other_tenant, _other_campaign, _c, other_apps = _campaign(5, 1)
    own_other = h.apply(h.open_campaign(tenant, creators_wanted=5))[1]
    result = applications_bulk(
        tenant=tenant,
        campaign_id=campaign.pk,
        action="shortlist",
        application_ids=[apps[0].pk, other_apps[0].pk, own_other.pk],
    )
    assert result.done is False
    assert [(r.application_id, r.code) for r in result.refused] == [
        (other_apps[0].pk, "not_found"),
        (own_other.pk, "not_found"),
    ]
    assert _states([apps[0], other_apps[0], own_other]) == ["applied", "applied", "applied"]


def test_bulk_refuses_an_empty_selection_an_unknown_action_and_a_message_without_text():
    tenant, campaign, _creators, apps = _campaign(5, 1)
    before = _stored()
    with pytest.raises(InvalidInput) as empty:
        applications_bulk(tenant=tenant, campaign_id=campaign.pk, action="accept", application_ids=[])
    with pytest.raises(InvalidInput) as unknown:
        applications_bulk(
            tenant=tenant, campaign_id=campaign.pk, action="delete", application_ids=[apps[0].pk]
        )
    with pytest.raises(InvalidInput) as blank:
        applications_bulk(
            tenant=tenant,
            campaign_id=campaign.pk,
            action="message",
            application_ids=[apps[0].pk],
            message=" ",
        )
    assert (empty.value.code, unknown.value.code, blank.value.code) == (
        "empty_selection",
        "invalid_input",
        "empty_message",
    )
    assert _states(apps) == ["applied"]
    assert _stored() == before


def test_bulk_is_for_the_campaigns_brand_only():
    _tenant, campaign, creators, apps = _campaign(5, 1)
    other_tenant = h.brand()[1]
    with pytest.raises(Http404):
        applications_bulk(
            tenant=creators[0], campaign_id=campaign.pk, action="accept", application_ids=[apps[0].pk]
        )
    with pytest.raises(Http404):
        applications_bulk(
            tenant=other_tenant, campaign_id=campaign.pk, action="accept", application_ids=[apps[0].pk]
        )
    assert _states(apps) == ["applied"]


def test_bulk_message_posts_one_message_per_selected_application():
    tenant, campaign, _creators, apps = _campaign(5, 2)
    result = applications_bulk(
        tenant=tenant,
        campaign_id=campaign.pk,
        action="message",
        application_ids=[a.pk for a in apps],
        message="Thanks for applying: we decide on Friday.",
    )
    assert result.done is True
    assert sorted(Message.objects.filter(from_brand=True).values_list("application_id", "body")) == sorted(
        (a.pk, "Thanks for applying: we decide on Friday.") for a in apps
    )


def test_bulk_mark_shipped_needs_every_address_confirmed():
    tenant, campaign, creators, apps = _campaign(5, 3)
    applications_bulk(
        tenant=tenant, campaign_id=campaign.pk, action="accept", application_ids=[a.pk for a in apps]
    )
    _address(creators[0], apps[0])
    _address(creators[1], apps[1])
    before = _stored()
    # when one of the three has no address yet, nothing is shipped
    refused = applications_bulk(
        tenant=tenant,
        campaign_id=campaign.pk,
        action="ship",
        application_ids=[a.pk for a in apps],
        carrier="Colissimo",
    )
    assert [(r.application_id, r.code) for r in refused.refused] == [(apps[2].pk, "no_address")]
    assert _states(apps) == ["accepted", "accepted", "accepted"]
    assert list(Shipment.objects.exclude(shipped_at=None)) == []
    assert _stored() == before
    # when the two with an address are shipped
    done = applications_bulk(
        tenant=tenant,
        campaign_id=campaign.pk,
        action="ship",
        application_ids=[apps[0].pk, apps[1].pk],
        carrier="Colissimo",
        tracking_number="6A1",
        cost="7.50",
    )
    assert done.done is True
    assert _states(apps) == ["shipped", "shipped", "accepted"]
    assert sorted(Shipment.objects.exclude(shipped_at=None).values_list("application_id", "carrier")) == [
        (apps[0].pk, "Colissimo"),
        (apps[1].pk, "Colissimo"),
    ]


def test_bulk_approve_approves_submitted_drafts_and_refuses_an_application_without_one():
    tenant, campaign, creators, apps = _campaign(5, 3)
    h.advance(tenant, creators[0], apps[0], "content_submitted")
    h.advance(tenant, creators[1], apps[1], "content_submitted")
    h.advance(tenant, creators[2], apps[2], "received")
    before = _stored()
    refused = applications_bulk(
        tenant=tenant, campaign_id=campaign.pk, action="approve", application_ids=[a.pk for a in apps]
    )
    assert [(r.application_id, r.code) for r in refused.refused] == [(apps[2].pk, "illegal_transition")]
    assert _states(apps) == ["content_submitted", "content_submitted", "received"]
    assert _stored() == before
    done = applications_bulk(
        tenant=tenant, campaign_id=campaign.pk, action="approve", application_ids=[apps[0].pk, apps[1].pk]
    )
    assert done.done is True
    assert _states(apps) == ["approved", "approved", "received"]
