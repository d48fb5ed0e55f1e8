from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from microreach.web.creators.models import ImportBatch, SocialAccount
from tests import factories

GOOD = b"""# microreach: record_type=account, version=1
network,handle,followers
instagram,api.user,1200
"""


@pytest.mark.django_db(transaction=True)
def test_operator_uploads_through_the_api_and_reads_the_outcome(client_for):
    operator = factories.user(staff=True)
    c = client_for(operator)
    response = c.post("/api/creators/imports", {"files": SimpleUploadedFile("accounts.csv", GOOD)})
    assert response.status_code == 202
    batch_id = response.json()["id"]
    detail = c.get(f"/api/creators/imports/{batch_id}").json()
    assert (detail["status"], detail["rows_inserted"], detail["files"]) == ("done", 1, ["accounts.csv"])
    assert SocialAccount.objects.filter(handle="api.user").exists()


@pytest.mark.django_db(transaction=True)
def test_rejected_upload_reports_located_errors(client_for):
    operator = factories.user(staff=True)
    bad = GOOD + b"instagram,bad handle!,12\n"
    body = (
        client_for(operator).post("/api/creators/imports", {"files": SimpleUploadedFile("a.csv", bad)}).json()
    )
    detail = client_for(operator).get(f"/api/creators/imports/{body['id']}").json()
    assert detail["status"] == "rejected"
    assert (detail["errors"][0]["file"], detail["errors"][0]["line"], detail["errors"][0]["field"]) == (
        "a.csv",
        4,
        "handle",
    )
    assert SocialAccount.objects.count() == 0


@pytest.mark.django_db
def test_brands_cannot_import(client_for, brand_admin):
    response = client_for(brand_admin).post(
        "/api/creators/imports", {"files": SimpleUploadedFile("a.csv", GOOD)}
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "operators_only"
    assert ImportBatch.objects.count() == 0
    assert client_for(brand_admin).get("/creators/imports/").status_code == 404
