"""Share links: signed, expiring, revocable, and showing nothing else of the organisation."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from microreach.web.accounts.tenancy import tenant_for
from microreach.web.reporting import selectors, services
from microreach.web.reporting.models import ReportShareLink
from tests.web.reporting.world import campaign

pytestmark = pytest.mark.django_db


def test_share_link_opens_the_report_and_nothing_else(brand, finished, brand_client):
    _admin, org = brand
    other = campaign(org, title="Secret winter launch")
    # when the brand creates a link on the page
    response = brand_client.post(
        f"/reports/campaigns/{finished.campaign.pk}/share/", {"days": 7, "label": "Client"}
    )
    assert response.status_code == 302
    link = ReportShareLink.objects.get()
    token = selectors.share_token(link=link)
    # then anyone with the link sees that report and its downloads, without signing in
    anonymous = Client()
    page = anonymous.get(f"/reports/shared/{token}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert finished.campaign.title in html and "€446.90" in html
    assert other.title not in html and "/campaigns/" not in html and "Log out" not in html
    assert anonymous.get(f"/reports/shared/{token}/report.csv").status_code == 200
    # but nothing else: not the campaign page, not another report
    assert anonymous.get(f"/reports/campaigns/{other.pk}/").status_code == 302  # to the login page
    assert ReportShareLink.objects.get().last_opened_at is not None


def test_expired_link_is_gone(brand, finished):
    admin, _org = brand
    _link, token = services.share_link_create(
        tenant=tenant_for(admin),
        campaign_id=finished.campaign.pk,
        days=1,
        now=timezone.now() - timedelta(days=2),
    )
    response = Client().get(f"/reports/shared/{token}/")
    assert response.status_code == 410
    assert "expired or was revoked" in response.content.decode()
    assert Client().get(f"/reports/shared/{token}/report.csv").status_code == 410


def test_revoked_link_stops_working_at_once(brand, finished, brand_client):
    admin, _org = brand
    link, token = services.share_link_create(
        tenant=tenant_for(admin), campaign_id=finished.campaign.pk, days=30
    )
    assert Client().get(f"/reports/shared/{token}/").status_code == 200
    assert brand_client.post(f"/reports/links/{link.pk}/revoke/").status_code == 302
    assert Client().get(f"/reports/shared/{token}/").status_code == 410
    first = ReportShareLink.objects.get().revoked_at
    services.share_link_revoke(tenant=tenant_for(admin), link_id=link.pk)
    assert ReportShareLink.objects.get().revoked_at == first


def test_forged_or_tampered_tokens_are_refused(brand, finished):
    admin, _org = brand
    link, token = services.share_link_create(
        tenant=tenant_for(admin), campaign_id=finished.campaign.pk, days=30
    )
    assert Client().get(f"/reports/shared/{token[:-2]}xx/").status_code == 404
    from django.core import signing

    guessed = signing.dumps({"l": link.pk, "k": "guess"}, salt=selectors.SHARE_SALT)
    assert Client().get(f"/reports/shared/{guessed}/").status_code == 404


def test_another_brand_cannot_revoke_or_create(brand, finished, client_for):
    from tests import factories

    admin, _org = brand
    link, _token = services.share_link_create(
        tenant=tenant_for(admin), campaign_id=finished.campaign.pk, days=30
    )
    stranger = client_for(factories.member())
    assert stranger.post(f"/reports/links/{link.pk}/revoke/").status_code == 404
    assert stranger.post(f"/api/reports/links/{link.pk}/revoke").status_code == 404
    assert stranger.post(f"/reports/campaigns/{finished.campaign.pk}/share/", {"days": 3}).status_code == 404
    assert ReportShareLink.objects.get().revoked_at is None
    assert ReportShareLink.objects.count() == 1


def test_validity_must_be_between_1_and_365_days(brand, finished):
    from microreach.web.errors import ApplicationError

    admin, _org = brand
    with pytest.raises(ApplicationError) as err:
        services.share_link_create(tenant=tenant_for(admin), campaign_id=finished.campaign.pk, days=0)
    assert err.value.code == "invalid_days"
    assert ReportShareLink.objects.count() == 0


def test_sharing_is_offered_beside_the_downloads_and_leads_back_to_the_new_link(
    brand, finished, brand_client
):
    pk = finished.campaign.pk
    # given the report page: the share section sits at the foot of a long page
    html = brand_client.get(f"/reports/campaigns/{pk}/").content.decode()
    # then the downloads line offers sharing too, pointing at that section
    downloads = html.split('aria-label="Downloads"')[1].split("</nav>")[0]
    assert '<a href="#share" id="to-share">Share with a client (read-only)</a>' in downloads
    # when a link is created, the brand lands on the list that holds it, not at the page's top
    created = brand_client.post(f"/reports/campaigns/{pk}/share/", {"days": 7, "label": "Client"})
    assert created.status_code == 302 and created["Location"] == f"/reports/campaigns/{pk}/#share"
    link = ReportShareLink.objects.get()
    # (a token is signed with the second it was made: the page's is read back, not made again)
    listed = re.findall(r"/reports/shared/([^/\"]+)/", brand_client.get(created["Location"]).content.decode())
    assert [selectors.share_link_resolve(token=t, now=timezone.now()) for t in listed] == [link]
    # while the client's shared page offers no sharing of its own
    shared = Client().get(f"/reports/shared/{selectors.share_token(link=link)}/")
    assert shared.status_code == 200 and 'id="to-share"' not in shared.content.decode()
    # and revoking the link leads back to the list too
    revoked = brand_client.post(f"/reports/links/{link.pk}/revoke/")
    assert revoked["Location"] == f"/reports/campaigns/{pk}/#share"
