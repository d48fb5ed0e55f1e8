"""The creator's application page says what comes next: once every deliverable's draft is with the brand,
"Your draft is with the brand" replaces an empty draft form (a new version stays one tap away); once every
post link is given, the link form folds under "Add or correct a post link"."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db


def _creator_page(to: str, *, brand_side: bool = False) -> str:
    brand_user, brand = h.brand()
    creator, app = h.apply(h.open_campaign(brand))
    app = h.advance(brand, creator, app, to)
    client = Client()
    client.force_login(brand_user if brand_side else h.User.objects.get(pk=creator.user_id))
    return client.get(f"/campaigns/applications/{app.pk}/").content.decode()


def test_the_creator_keeps_the_brief_at_hand_folded():
    # given an accepted creator, then their application page holds the campaign's brief, folded
    page = _creator_page("accepted")
    brief = re.search(r'<details id="application-brief">.*?</details>', page, re.S)
    assert brief is not None
    assert "Must include:" in brief.group() and "Deliverables:" in brief.group()
    assert "Products shipped by:" in brief.group() or "publish between" in brief.group()
    # and the brand, who wrote it, is not shown it again there
    assert 'id="application-brief"' not in _creator_page("accepted", brand_side=True)


def _folded(page: str) -> str:
    return "".join(re.findall(r"<details\b.*?</details>", page, re.S))


def test_before_any_draft_the_form_is_open():
    # given a creator whose product arrived, then the draft form is there to fill, not folded
    page = _creator_page("received")
    assert 'id="draft-waiting"' not in page
    assert "Submit a draft" in page and 'name="caption"' not in _folded(page)


def test_a_draft_with_the_brand_says_so_and_folds_the_form():
    # given a creator whose only deliverable's draft waits for the brand's review
    page = _creator_page("content_submitted")
    # then the page says the draft is with the brand and there is nothing to do
    assert 'id="draft-waiting"' in page and "Your draft is with the brand" in page
    assert "Submit a draft" not in page
    # and the form for a new version is folded, not offered as the next step
    assert 'name="caption"' in _folded(page)


def test_a_given_post_link_folds_the_link_form():
    # given an approved draft: the post link form is open
    approved = _creator_page("approved")
    assert 'name="url"' in approved and 'name="url"' not in _folded(approved)
    # when the link is given, then the page says it is saved and folds the form
    published = _creator_page("published")
    assert "Your post link is saved" in published
    assert 'name="url"' in _folded(published)
