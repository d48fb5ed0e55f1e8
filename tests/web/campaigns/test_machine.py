"""Property tests of the two state machines, pure and through the services."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microreach.web.campaigns import machine
from microreach.web.campaigns.errors import IllegalTransition
from microreach.web.campaigns.models import Application, ApplicationState, Campaign, CampaignState
from microreach.web.campaigns.services.application import (
    application_accept,
    application_decline,
    application_shortlist,
    application_withdraw,
)
from microreach.web.campaigns.services.campaign import campaign_create, campaign_transition
from microreach.web.campaigns.services.deliverable import draft_review, draft_submit, post_submit
from microreach.web.campaigns.services.shipment import (
    shipment_confirm_address,
    shipment_mark_received,
    shipment_mark_shipped,
)
from tests.web.campaigns import helpers as h

FINAL_CAMPAIGN = {CampaignState.COMPLETED, CampaignState.CANCELLED}
FINAL_APPLICATION = {
    ApplicationState.PUBLISHED,
    ApplicationState.DECLINED,
    ApplicationState.WITHDRAWN,
    ApplicationState.NO_SHOW,
}


def _reachable(graph: dict[str, frozenset[str]], start: str) -> set[str]:
    seen, todo = {start}, [start]
    while todo:
        for nxt in graph[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def test_every_state_is_reachable_and_final_states_have_no_exit():
    assert _reachable(machine.CAMPAIGN, CampaignState.DRAFT) == set(CampaignState.values)
    assert _reachable(machine.APPLICATION, ApplicationState.APPLIED) == set(ApplicationState.values)
    assert {s for s, nxt in machine.CAMPAIGN.items() if not nxt} == FINAL_CAMPAIGN
    assert {s for s, nxt in machine.APPLICATION.items() if not nxt} == FINAL_APPLICATION


@given(st.lists(st.sampled_from(ApplicationState.values), max_size=30))
def test_application_walks_never_leave_a_final_state_nor_revisit_one(moves):
    state, seen = ApplicationState.APPLIED.value, [ApplicationState.APPLIED.value]
    for wanted in moves:
        if machine.can_move(machine.APPLICATION, state, wanted):
            assert state not in FINAL_APPLICATION
            state = wanted
            # the graph has no cycle: a state is never entered twice
            assert state not in seen
            seen.append(state)
    assert state in ApplicationState.values


@given(st.lists(st.sampled_from(CampaignState.values), max_size=12))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@pytest.mark.django_db
def test_campaign_service_follows_the_machine_and_illegal_moves_change_nothing(moves):
    _user, tenant = h.brand()
    campaign = campaign_create(tenant=tenant, changes=h.campaign_changes())
    for wanted in moves:
        before = Campaign.objects.get(pk=campaign.pk).state
        legal = machine.can_move(machine.CAMPAIGN, before, wanted)
        if legal:
            campaign_transition(tenant=tenant, campaign_id=campaign.pk, to=wanted)
        else:
            with pytest.raises(IllegalTransition):
                campaign_transition(tenant=tenant, campaign_id=campaign.pk, to=wanted)
        assert Campaign.objects.get(pk=campaign.pk).state == (wanted if legal else before)


ACTIONS = ["shortlist", "accept", "decline", "withdraw", "ship", "receive", "submit", "approve", "publish"]


@given(st.lists(st.sampled_from(ACTIONS), min_size=1, max_size=10))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@pytest.mark.django_db
def test_application_services_refuse_illegal_moves_without_side_effects(actions):
    _user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    creator, app = h.apply(campaign)
    for action in actions:
        before = Application.objects.get(pk=app.pk).state
        try:
            _do(action, tenant, creator, app.pk)
        except IllegalTransition:
            assert Application.objects.get(pk=app.pk).state == before
        else:
            after = Application.objects.get(pk=app.pk).state
            # a service may keep the state (a second draft while content is submitted), never jump
            assert after == before or machine.can_move(machine.APPLICATION, before, after)


def _do(action: str, brand, creator, app_id: int) -> None:
    if action == "shortlist":
        application_shortlist(tenant=brand, application_id=app_id)
    elif action == "accept":
        application_accept(tenant=brand, application_id=app_id)
    elif action == "decline":
        application_decline(tenant=brand, application_id=app_id)
    elif action == "withdraw":
        application_withdraw(tenant=creator, application_id=app_id)
    elif action == "ship":
        if Application.objects.get(pk=app_id).state == ApplicationState.ACCEPTED:
            shipment_confirm_address(
                tenant=creator,
                application_id=app_id,
                variant="S",
                recipient="L",
                street="s",
                postcode="1",
                city="c",
                country="FR",
            )
        shipment_mark_shipped(tenant=brand, application_id=app_id, carrier="C", tracking_number="T")
    elif action == "receive":
        shipment_mark_received(tenant=creator, application_id=app_id)
    elif action == "submit":
        draft_submit(
            tenant=creator, application_id=app_id, deliverable="instagram reel 1", caption=h.CAPTION_OK
        )
    elif action == "approve":
        draft = Application.objects.get(pk=app_id).drafts.filter(review_state="submitted").first()
        if draft is None:
            raise IllegalTransition("draft", "none", "approved")
        draft_review(tenant=brand, draft_id=draft.pk, approve=True)
    elif action == "publish":
        post_submit(tenant=creator, application_id=app_id, url="https://instagram.com/p/Cmachine1")
