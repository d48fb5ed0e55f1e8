"""An application keeps the size of the follower sample behind its measured fake share (the applicants
list, the comparison and the API say it), and applications stored before the column are filled."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection

from microreach.web.audits.models import AuditRecord
from microreach.web.campaigns.models import Application
from microreach.web.campaigns.services.application import application_figures_refresh
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db


def test_an_application_keeps_its_measured_share_s_sample_size_and_old_rows_are_filled():
    # given an applicant whose fake share was measured on 800 followers
    _user, brand = h.brand()
    campaign = h.open_campaign(brand)
    _creator, app = h.apply(campaign)
    AuditRecord.objects.filter(account=app.account).update(fake_source="measured", sample_size=800)
    # when the applicants' figures are refreshed
    application_figures_refresh(application_ids=[app.pk])
    # then the application says it
    assert Application.objects.get(pk=app.pk).sample_size == 800
    # and an application stored before the column is filled from the audit it copied
    Application.objects.filter(pk=app.pk).update(sample_size=None)
    fill = importlib.import_module("microreach.web.campaigns.migrations.0008_application_sample_size").FILL
    with connection.cursor() as cursor:
        cursor.execute(fill)
    assert Application.objects.get(pk=app.pk).sample_size == 800
