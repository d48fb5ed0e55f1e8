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
    # and the operator's home lists the load, its row opening the import's page
    home = c.get("/accounts/home/").content.decode()
    assert f'<a href="/creators/imports/{batch_id}/">{batch_id}</a>' in home
    assert c.get(f"/creators/imports/{batch_id}/").status_code == 200


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


def _kept_files(data_dir) -> list[str]:
    uploads = data_dir / "uploads"
    return sorted(str(p.relative_to(uploads)) for p in uploads.rglob("*")) if uploads.exists() else []


@pytest.mark.django_db(transaction=True)
def test_two_files_with_the_same_name_are_both_imported_and_named_apart(client_for, settings, tmp_path):
    # given two different files sent under one name (a browser allows it from two folders)
    settings.DATA_DIR = tmp_path
    operator = factories.user(staff=True)
    second = GOOD.replace(b"api.user,1200", b"second.user,800")
    files = [SimpleUploadedFile("accounts.csv", GOOD), SimpleUploadedFile("accounts.csv", second)]
    # when they are imported together
    response = client_for(operator).post("/api/creators/imports", {"files": files})
    # then the rows of both are published, and the files are told apart
    detail = client_for(operator).get(f"/api/creators/imports/{response.json()['id']}").json()
    assert (detail["status"], detail["rows_inserted"]) == ("done", 2)
    assert detail["files"] == ["accounts.csv", "accounts (2).csv"]
    assert set(SocialAccount.objects.values_list("handle", flat=True)) == {"api.user", "second.user"}


@pytest.mark.django_db(transaction=True)
def test_a_duplicate_name_error_says_which_file(client_for, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    operator = factories.user(staff=True)
    bad = GOOD + b"instagram,bad handle!,12\n"
    files = [SimpleUploadedFile("a.csv", GOOD), SimpleUploadedFile("a.csv", bad)]
    body = client_for(operator).post("/api/creators/imports", {"files": files}).json()
    detail = client_for(operator).get(f"/api/creators/imports/{body['id']}").json()
    assert detail["status"] == "rejected"
    assert [(e["file"], e["line"]) for e in detail["errors"]] == [("a (2).csv", 4)]


@pytest.mark.django_db(transaction=True)
def test_uploaded_files_do_not_stay_on_disk_after_their_import(client_for, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    operator = factories.user(staff=True)
    c = client_for(operator)
    done = c.post("/api/creators/imports", {"files": SimpleUploadedFile("accounts.csv", GOOD)}).json()
    rejected = c.post(
        "/api/creators/imports", {"files": SimpleUploadedFile("a.csv", GOOD + b"instagram,bad handle!,1\n")}
    ).json()
    assert [c.get(f"/api/creators/imports/{b['id']}").json()["status"] for b in (done, rejected)] == [
        "done",
        "rejected",
    ]
    assert _kept_files(tmp_path) == []


@pytest.mark.django_db(transaction=True)
def test_upload_names_lose_folders_and_bidi_controls(client_for, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    operator = factories.user(staff=True)
    hostile = SimpleUploadedFile("../../evil\u202evsc.csv", GOOD)
    body = client_for(operator).post("/api/creators/imports", {"files": hostile}).json()
    detail = client_for(operator).get(f"/api/creators/imports/{body['id']}").json()
    assert (detail["status"], detail["files"]) == ("done", ["evilvsc.csv"])
    assert not (tmp_path.parent / "evil\u202evsc.csv").exists()


@pytest.mark.django_db(transaction=True)
def test_an_upload_that_fails_before_its_import_leaves_no_file(settings, tmp_path, monkeypatch):
    from microreach.web.creators import imports

    settings.DATA_DIR = tmp_path
    operator = factories.user(staff=True)

    def broken(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(imports, "import_batch_create", broken)
    with pytest.raises(RuntimeError):
        imports.import_upload(
            uploads=[SimpleUploadedFile("accounts.csv", GOOD)],
            user_id=operator.pk,
            organisation_id=None,
            record_type=None,
        )
    assert _kept_files(tmp_path) == []
