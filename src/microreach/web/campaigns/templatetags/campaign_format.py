"""``{{ d|deliverable }}``: one line of a brief's deliverables in words (``campaigns.choices``);
``{{ draft.deliverable|deliverable_unit }}``: the one deliverable a draft or a post is for, in words;
``{{ app.state|application_state }}``: an application's state qualifying it; ``{{ codes|jurisdictions }}``: the
disclosure rules named;
``{{ campaign|who_may_apply }}``: its targeting in words (``campaigns.eligibility.campaign_rules``);
``{{ campaign|campaign_fee_paid }}``: what an accepted creator without a fee of their own is paid
(``budget.fee_paid``), None when the campaign pays no fixed fee."""

from __future__ import annotations

from typing import Any

from django import template

from microreach.web.campaigns.budget import fee_paid
from microreach.web.campaigns.choices import (
    application_state_text,
    deliverable_text,
    deliverable_unit_text,
    jurisdiction_names,
)
from microreach.web.campaigns.eligibility import campaign_rules

register = template.Library()


@register.filter
def deliverable(line: Any) -> str:
    return deliverable_text(line)


@register.filter
def deliverable_unit(name: Any) -> str:
    return deliverable_unit_text(name)


@register.filter
def application_state(state: Any) -> str:
    return application_state_text(state)


@register.filter
def jurisdictions(codes: Any) -> str:
    return jurisdiction_names(codes or [])


@register.filter
def who_may_apply(campaign: Any) -> list[str]:
    return campaign_rules(campaign)


@register.filter
def campaign_fee_paid(campaign: Any) -> Any:
    return fee_paid(compensation=campaign.compensation, campaign_fee=campaign.fee, agreed_fee=None)
