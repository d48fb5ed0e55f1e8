from __future__ import annotations

import os

import pytest

from microreach.web.accounts.models import Membership
from microreach.web.reporting.exports import pdf_support
from tests import factories
from tests.web.reporting.world import finished_campaign


@pytest.fixture
def brand(db):
    admin = factories.member()
    return admin, Membership.objects.get(user=admin).organisation


@pytest.fixture
def finished(brand):
    _admin, org = brand
    return finished_campaign(org)


@pytest.fixture
def brand_client(brand, client_for):
    return client_for(brand[0])


@pytest.fixture
def needs_pdf():
    support = pdf_support()
    if not support.available:
        message = f"PDF export unavailable here ({support.reason}): install Pango and a font"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
