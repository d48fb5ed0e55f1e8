"""Restore drill: back up, wipe, restore, same rows and same files (on the database the run uses: SQLite,
or PostgreSQL when DATABASE_URL names it); wrong archives are refused before anything changes."""

from __future__ import annotations

import io
import json
import stat
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from typer.testing import CliRunner

import microreach
from microreach.cli.main import app
from microreach.web.accounts.models import User
from microreach.web.backups import _row_counts
from microreach.web.creators.models import Post, SocialAccount
from tests import factories

runner = CliRunner()
MEDIA = {
    "campaigns/7/brief.pdf": b"%PDF-1.4 brief",
    "deliverables/2026/12/photo.jpg": bytes(range(256)) * 40,
    "caf\u00e9 menu.txt": "crème brûlée".encode(),
}


def _said(result) -> str:
    return " ".join(result.output.split())


@pytest.fixture
def installation(tmp_path, settings):
    """A data directory with keys and media files, and rows of several kinds."""
    data = tmp_path / "data"
    settings.DATA_DIR = data
    settings.MEDIA_ROOT = data / "media"
    for name, content in MEDIA.items():
        path = data / "media" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    (data / "secret_key").write_text("the-secret\n", encoding="utf-8")
    (data / "pseudonym_key").write_text("the-pseudonym-key\n", encoding="utf-8")
    brand = factories.member(username="brand.admin")
    factories.creator_user(username="lea")
    account = factories.account(handle="lea.cuisine", bio="Cuisine végane à Lyon 🌱")
    for n in range(3):
        factories.post(account=account, caption=f"Recette {n}")
    return {"data": data, "brand": brand}


def _state() -> dict[str, object]:
    return {
        "rows": _row_counts(),
        "users": sorted(User.objects.values_list("username", "password")),
        "accounts": sorted(SocialAccount.objects.values_list("handle", "bio", "followers")),
        "posts": sorted(Post.objects.values_list("network_post_id", "caption")),
    }


def _files(data: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(data)): p.read_bytes()
        for p in sorted(data.rglob("*"))
        if p.is_file()
        and (p.name in ("secret_key", "pseudonym_key") or "media" in p.relative_to(data).parts[:1])
    }


def _wipe(data: Path) -> None:
    call_command("flush", interactive=False, verbosity=0)
    for p in sorted((data / "media").rglob("*"), reverse=True):
        p.unlink() if p.is_file() else p.rmdir()
    (data / "media" / "left-over.txt").write_text("not in the backup", encoding="utf-8")
    (data / "secret_key").unlink()
    (data / "pseudonym_key").write_text("another key\n", encoding="utf-8")
    factories.member(username="someone.new")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("portable", [False, True], ids=["native", "portable"])
def test_restore_drill_gives_back_the_same_rows_files_and_keys(installation, tmp_path, portable):
    # given an installation and its backup
    data = installation["data"]
    before, files_before = _state(), _files(data)
    archive = tmp_path / "backup.tar.gz"
    result = runner.invoke(app, ["backup", "--out", str(archive), *(["--portable"] if portable else [])])
    assert result.exit_code == 0, result.output
    method = "json" if portable else {"sqlite": "sqlite", "postgresql": "pg_dump"}[connection.vendor]
    assert f"({connection.vendor}, {method})" in _said(result)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    # when the installation is wiped, then restored
    _wipe(data)
    assert _state() != before
    result = runner.invoke(app, ["restore", str(archive), "--yes"])
    # then: the same rows, the same media files (the left-over one gone), the same keys (mode 0600)
    assert result.exit_code == 0, result.output
    assert f"Restored {sum(before['rows'].values()):,} rows" in _said(result)
    assert _state() == before
    assert _files(data) == files_before
    assert stat.S_IMODE((data / "secret_key").stat().st_mode) == 0o600
    # and a restored user signs in with the password they had
    assert User.objects.get(username="brand.admin").check_password(factories.PASSWORD)


@pytest.mark.django_db(transaction=True)
def test_backup_manifest_lists_every_file_with_its_digest(installation, tmp_path):
    archive = tmp_path / "b.tar.gz"
    assert runner.invoke(app, ["backup", "-o", str(archive)]).exit_code == 0
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        names = set(tar.getnames())
    assert manifest["format"] == "microreach-backup" and manifest["version"] == 1
    assert manifest["microreach_version"] == microreach.__version__
    assert names == {"manifest.json", *manifest["files"]}
    assert {n for n in manifest["files"] if not n.startswith("database/")} == {
        *(f"media/{n}" for n in MEDIA),
        "secrets/secret_key",
        "secrets/pseudonym_key",
    }
    assert manifest["database"]["rows"]["creators_post"] == 3
    assert all(len(f["sha256"]) == 64 for f in manifest["files"].values())


def _tar(path: Path, entries: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, blob in entries.items():
            info = tarfile.TarInfo(name)
            info.size = len(blob)
            tar.addfile(info, io.BytesIO(blob))
    return path


def _rewritten(
    source: Path, target: Path, *, manifest=None, extra: dict[str, bytes] | None = None, tamper: str = ""
) -> Path:
    """A copy of ``source`` with its manifest changed, entries added or one entry's bytes changed."""
    entries: dict[str, bytes] = {}
    with tarfile.open(source) as tar:
        for member in tar.getmembers():
            entries[member.name] = tar.extractfile(member).read()
    if manifest is not None:
        entries["manifest.json"] = json.dumps(manifest(json.loads(entries["manifest.json"]))).encode()
    if tamper:
        blob = bytearray(entries[tamper])
        blob[-1] ^= 1
        entries[tamper] = bytes(blob)
    entries.update(extra or {})
    return _tar(target, entries)


def _other_method(m: dict) -> dict:
    m["database"]["method"] = "pg_dump" if connection.vendor == "sqlite" else "sqlite"
    return m


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "make, said",
    [
        (lambda src, t: (t.write_bytes(b"just some bytes"), t)[1], "not a readable backup archive"),
        (lambda src, t: _tar(t, {"notes.txt": b"hello"}), "not a microreach backup (no manifest.json)"),
        (lambda src, t: _tar(t, {"manifest.json": b"{not json"}), "manifest.json is not valid JSON"),
        (
            lambda src, t: _rewritten(src, t, manifest=lambda m: {**m, "format": "other"}),
            "not a microreach backup (manifest.json has no format 'microreach-backup')",
        ),
        (
            lambda src, t: _rewritten(src, t, manifest=lambda m: {**m, "version": 9}),
            "backup format version 9; this microreach reads version 1",
        ),
        (
            lambda src, t: _rewritten(src, t, tamper="media/campaigns/7/brief.pdf"),
            "media/campaigns/7/brief.pdf is damaged",
        ),
        (
            lambda src, t: _rewritten(src, t, extra={"../outside.txt": b"x"}),
            "unexpected entry '../outside.txt'",
        ),
        (
            lambda src, t: _rewritten(src, t, extra={"secrets/id_rsa": b"x"}),
            "unexpected entry 'secrets/id_rsa'",
        ),
        (lambda src, t: _rewritten(src, t, manifest=_other_method), "restore it on"),
    ],
    ids=[
        "bytes",
        "no-manifest",
        "bad-json",
        "format",
        "version",
        "tampered",
        "traversal",
        "secret-name",
        "vendor",
    ],
)
def test_a_wrong_archive_is_refused_and_nothing_changes(installation, tmp_path, make, said):
    # given a good backup, and a wrong archive made from it (or from nothing)
    good = tmp_path / "good.tar.gz"
    assert runner.invoke(app, ["backup", "-o", str(good)]).exit_code == 0
    data = installation["data"]
    (data / "media" / "added-after.txt").write_text("new", encoding="utf-8")
    before, files_before = _state(), _files(data)
    wrong = make(good, tmp_path / "wrong.tar.gz")
    # when
    result = runner.invoke(app, ["restore", str(wrong), "--yes"])
    # then: a clear error naming the archive's problem, and the installation as it was
    assert result.exit_code in (1, 2)
    assert said in _said(result)
    assert _state() == before
    assert _files(data) == files_before


@pytest.mark.django_db(transaction=True)
def test_restore_of_a_missing_file_and_a_declined_confirmation_change_nothing(installation, tmp_path):
    result = runner.invoke(app, ["restore", str(tmp_path / "absent.tar.gz"), "--yes"])
    assert result.exit_code == 2 and "absent.tar.gz: no such file" in _said(result)
    good = tmp_path / "good.tar.gz"
    assert runner.invoke(app, ["backup", "-o", str(good)]).exit_code == 0
    factories.member(username="after.backup")
    result = runner.invoke(app, ["restore", str(good)], input="n\n")
    assert result.exit_code == 1
    assert User.objects.filter(username="after.backup").exists()


def test_backup_into_a_missing_directory_says_so(tmp_path, transactional_db):
    result = runner.invoke(app, ["backup", "-o", str(tmp_path / "no" / "such" / "b.tar.gz")])
    assert result.exit_code == 1
    assert "no/such: no such directory" in _said(result)


@pytest.mark.django_db
def test_backup_inside_a_transaction_is_refused_instead_of_waiting(tmp_path):
    result = runner.invoke(app, ["backup", "-o", str(tmp_path / "b.tar.gz")])
    assert result.exit_code == 1
    assert "cannot be taken inside a database transaction" in _said(result)
    assert not (tmp_path / "b.tar.gz").exists()


def test_version_comes_from_the_package_metadata():
    from importlib.metadata import version

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"microreach {version('microreach')}\n"
