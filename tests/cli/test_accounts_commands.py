"""`microreach org create`, `org list`, `user create` and `worker --drain`: a fresh installation from the
command line (issue 16, item 9)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from microreach.cli.main import app
from microreach.web.accounts.models import Membership, Organisation, User
from microreach.web.jobs.models import Job

runner = CliRunner()
PASSWORD = "correct-horse-battery-42"


@pytest.mark.django_db
def test_org_create_prints_the_id_that_user_create_takes(tmp_path):
    # given a password in a file
    (tmp_path / "pw").write_text(PASSWORD + "\n", encoding="utf-8")
    # when an operator creates an organisation and its admin
    org = runner.invoke(
        app, ["org", "create", "brand", "Maison Verte", "--slug", "maison-verte", "--country", "FR"]
    )
    assert org.exit_code == 0, org.output
    org_id = int(org.stdout.strip().splitlines()[-1])
    user = runner.invoke(
        app,
        ["user", "create", "alice", "--email", "alice@example.com", "--organisation", str(org_id)]
        + ["--password-file", str(tmp_path / "pw")],
    )
    # then both exist, the user is the brand's admin with a confirmed address and can sign in
    assert user.exit_code == 0, user.output
    created = Organisation.objects.get(pk=org_id)
    assert (created.kind, created.name, created.slug, created.country) == (
        "brand",
        "Maison Verte",
        "maison-verte",
        "FR",
    )
    alice = User.objects.get(pk=int(user.stdout.strip().splitlines()[-1]))
    assert alice.username == "alice" and alice.email_verified_at is not None and not alice.is_staff
    assert list(Membership.objects.filter(user=alice).values_list("organisation_id", "role")) == [
        (org_id, "admin")
    ]
    assert alice.check_password(PASSWORD) and alice.is_active


@pytest.mark.django_db
def test_user_create_reads_the_password_from_a_prompt_or_the_environment(monkeypatch):
    org = Organisation.objects.create(kind="creator", name="Léa", slug="lea")
    prompted = runner.invoke(
        app,
        ["user", "create", "lea", "--email", "lea@example.com", "--organisation", str(org.pk)],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert prompted.exit_code == 0, prompted.output
    assert Membership.objects.get(user__username="lea").role == "creator"
    monkeypatch.setenv("MICROREACH_PASSWORD", PASSWORD)
    operator = runner.invoke(app, ["user", "create", "ops", "--email", "ops@example.com", "--operator"])
    assert operator.exit_code == 0, operator.output
    ops = User.objects.get(username="ops")
    assert ops.is_staff and ops.is_superuser and not Membership.objects.filter(user=ops).exists()
    assert ops.check_password(PASSWORD)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--organisation", "999"], "organisation: No organisation with id 999"),
        ([], "organisation: A user belongs to an organisation"),
        (
            ["--organisation", "{org}", "--role", "creator"],
            "role: In a brand organisation the role is one of: admin, member",
        ),
        (["--operator", "--role", "admin"], "role: A role needs an organisation"),
    ],
)
def test_user_create_refuses_what_cannot_be_and_creates_nothing(monkeypatch, args, says):
    org = Organisation.objects.create(kind="brand", name="B", slug="b")
    monkeypatch.setenv("MICROREACH_PASSWORD", PASSWORD)
    args = [a.replace("{org}", str(org.pk)) for a in args]
    result = runner.invoke(app, ["user", "create", "bob", "--email", "bob@example.com", *args])
    assert result.exit_code == 2
    assert says in " ".join(result.output.split())
    assert not User.objects.filter(username="bob").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("email", "password", "says"),
    [
        ("not-an-address", PASSWORD, "email: Enter a valid email address."),
        ("bob@example.com", "short", "password: This password is too short"),
        ("bob@example.com", "bob@example.com-x", "password: The password is too similar"),
    ],
)
def test_user_create_checks_the_address_and_the_password(monkeypatch, email, password, says):
    monkeypatch.setenv("MICROREACH_PASSWORD", password)
    result = runner.invoke(app, ["user", "create", "bob", "--email", email, "--operator"])
    assert result.exit_code == 2
    assert says in " ".join(result.output.split())
    assert not User.objects.filter(username="bob").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["shop", "X"], "kind: Unknown kind 'shop'"),
        (["brand", "   "], "name: A name of 1 to 200 characters"),
        (["brand", "x" * 201], "name: A name of 1 to 200 characters"),
        (["brand", "X", "--slug", "Not A Slug"], "slug: A slug is up to 80"),
        (["brand", "X", "--slug", "taken"], "slug: An organisation already uses the slug taken"),
        (["brand", "X", "--country", "France"], "country: A country is a two-letter"),
        (["brand", "X", "--country", "ZZ"], "country: A country is a two-letter"),
        (["brand", "X", "--currency", "€"], "currency: A currency is a three-letter"),
    ],
)
def test_org_create_refuses_bad_values_and_creates_nothing(args, says):
    Organisation.objects.create(kind="brand", name="Taken", slug="taken")
    result = runner.invoke(app, ["org", "create", *args])
    assert result.exit_code == 2
    assert says in " ".join(result.output.split())
    assert Organisation.objects.count() == 1


@pytest.mark.django_db
def test_org_list_shows_ids_and_members():
    org = Organisation.objects.create(kind="agency", name="Agence Nord", slug="agence-nord")
    result = runner.invoke(app, ["org", "list"])
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if "Agence Nord" in line)
    assert str(org.pk) in row and "agency" in row and "agence-nord" in row


@pytest.mark.django_db
def test_worker_drain_runs_the_queued_jobs_and_exits():
    # given two jobs queued while no worker runs
    first = Job.objects.create(kind="discovery.refresh", key="drain-1", payload={})
    second = Job.objects.create(kind="discovery.refresh", key="drain-2", payload={})
    # when the worker drains
    result = runner.invoke(app, ["worker", "--drain"])
    # then both ran, nothing is left pending, and it said so
    assert result.exit_code == 0, result.output
    assert set(Job.objects.filter(pk__in=[first.pk, second.pk]).values_list("state", flat=True)) == {"done"}
    assert not Job.objects.filter(state="pending").exists()
    assert "2 queued job(s)" in result.output
    assert "Ran 2 job(s)" in result.output and "2 done" in result.output


@pytest.mark.django_db
def test_worker_drain_with_nothing_queued_says_so():
    result = runner.invoke(app, ["worker", "--drain"])
    assert result.exit_code == 0, result.output
    assert "Ran 0 job(s)" in result.output and "nothing to do" in result.output
