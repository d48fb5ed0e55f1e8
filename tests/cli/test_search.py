from __future__ import annotations

import pytest
from django.utils import timezone
from typer.testing import CliRunner

from microreach.cli.main import app
from microreach.web.discovery.models import SearchRow
from tests.web.discovery.conftest import audit_provider, world  # noqa: F401  (fixtures)

runner = CliRunner()


@pytest.mark.usefixtures("world")
def test_search_prints_a_table_of_matching_creators():
    result = runner.invoke(
        app,
        ["search", "cuisine vegane lyon", "--country", "FR", "--network", "instagram", "--limit", "5"],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].strip() == "1 creator"
    assert "@lea.cuisine" in result.output
    # the figures come from the one formatting home (web/formatting.py), in the CLI's English
    line = next(line for line in result.output.splitlines() if "@lea.cuisine" in line)
    assert "2.60%" in line and "2.60 %" not in line
    assert "12,000" in line
    # and the columns stay those of before
    header = next(line for line in result.output.splitlines() if "engagement" in line)
    assert [cell.strip() for cell in header.split("┃") if cell.strip()] == [
        "network",
        "handle",
        "name",
        "country",
        "tier",
        "followers",
        "engagement",
        "quality",
        "topics",
        "fake",
        "risk",
    ]
    assert "@tom.photo" not in result.output


@pytest.mark.usefixtures("world")
def test_search_with_inverted_range_exits_2_with_the_reason():
    result = runner.invoke(app, ["search", "--followers-min", "10", "--followers-max", "1"])
    assert result.exit_code == 2
    # the two ends named as they were typed
    assert "--followers-min (10) is greater than --followers-max (1)" in result.output


@pytest.mark.usefixtures("world")
def test_each_refused_option_is_named_with_its_reason():
    # when two options are wrong at once
    result = runner.invoke(
        app, ["search", "--quality-min", "150", "--network", "myspace"], env={"COLUMNS": "200"}
    )
    # then each line names its option, and a choice lists the accepted values
    assert result.exit_code == 2
    assert sorted(result.output.splitlines()) == [
        "--network: not one of the choices (instagram, tiktok, youtube, x, twitch, blog)",
        "--quality-min: at most 100",
    ]


@pytest.mark.usefixtures("world")
def test_a_refused_sort_or_country_is_named_too():
    sort = runner.invoke(app, ["search", "--sort", "price"], env={"COLUMNS": "200"})
    country = runner.invoke(app, ["search", "--country", "France"], env={"COLUMNS": "200"})
    assert sort.output.strip() == (
        "--sort: not one of the choices (relevance, followers, engagement, quality, growth)"
    )
    assert country.output.strip() == "--country: not one of the choices"


@pytest.mark.usefixtures("world")
def test_empty_search_says_which_filter_emptied_it():
    result = runner.invoke(app, ["search", "--country", "FR", "--network", "youtube"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "Without network=youtube: 2 creators match." in result.output


@pytest.mark.usefixtures("world")
def test_search_on_a_narrow_terminal_leaves_out_columns_instead_of_squeezing_cells():
    # given a terminal 80 characters wide
    # when creators are searched
    result = runner.invoke(app, ["search", "--sort", "followers"], env={"COLUMNS": "80"})
    # then the table fits, its cells whole, and a note says which columns were left out
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    header = next(line for line in lines if "engagement" in line)
    # (the figures a brand decides on stay longest: the network and the tier go before them)
    assert [cell.strip() for cell in header.split("┃") if cell.strip()] == [
        "handle",
        "followers",
        "engagement",
        "quality",
        "fake",
        "risk",
    ]
    assert max(len(line) for line in lines if "│" in line) <= 80
    assert "…" not in result.output
    assert "@lea.cuisine" in result.output
    assert "Not shown at 80 characters wide: topics, name, country, tier, network." in lines
    # and at 100 characters the network and the tier are back
    wider = runner.invoke(app, ["search", "--sort", "followers"], env={"COLUMNS": "100"}).output.splitlines()
    header = next(line for line in wider if "engagement" in line)
    assert {"network", "tier", "fake", "risk"} <= {c.strip() for c in header.split("┃")}


@pytest.mark.usefixtures("world")
def test_search_shows_the_fake_share_and_risk_a_brand_decides_on():
    # given Mia, measured at 31 % fake followers with a High risk verdict, and Léa whose share is estimated
    SearchRow.objects.filter(handle="lea.cuisine").update(fake_source="estimated", fake_share=0.046)
    # when creators are searched
    result = runner.invoke(app, ["search", "--sort", "quality"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    header = [c.strip() for c in next(line for line in lines if "engagement" in line).split("┃") if c.strip()]

    def cells(handle: str) -> dict[str, str]:
        row = next(line for line in lines if f"@{handle} " in line)
        return dict(zip(header, [c.strip() for c in row.split("│")[1:-1]], strict=True))

    # then each row shows its share and verdict as its search card does; an estimated share is marked "~"
    assert (cells("mia.glow")["fake"], cells("mia.glow")["risk"]) == ("31.0%", "high")
    assert cells("lea.cuisine")["fake"] == "~4.6%"
    assert any(line.startswith("~ fake share estimated from account-level signals") for line in lines)


ACCOUNTS = """# microreach: record_type=account, version=1
network,handle,followers,following,country,language,topics
instagram,old.news,12000,300,FR,fr,food
"""

OLD_POSTS = """# microreach: record_type=post, version=1
network,handle,network_post_id,published_at,caption,likes,comments
instagram,old.news,p1,2025-03-01T10:00:00Z,Recette,400,20
instagram,old.news,p2,2025-03-02T10:00:00Z,Tarte,380,12
"""


@pytest.mark.django_db(transaction=True)
def test_search_says_why_rows_have_no_figures(tmp_path, django_capture_on_commit_callbacks):
    # given an account whose posts all ended long before today, imported and audited (not enough data)
    from microreach.web.creators.imports import import_batch_create, import_files

    files = []
    for name, text in (("a.csv", ACCOUNTS), ("p.csv", OLD_POSTS)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        files.append(str(tmp_path / name))
    with django_capture_on_commit_callbacks(execute=True):
        import_files(batch=import_batch_create(files=files))
    # when it is searched
    result = runner.invoke(app, ["search", "--network", "instagram"], env={"COLUMNS": "200"})
    # then its row shows no figures, and one line says why
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if "@old.news" in line)
    assert [cell.strip() for cell in row.split("│")][7:9] == ["—", "—"]
    today = f"{timezone.now():%Y-%m-%d}"
    assert (
        f"No figures (—) for 1 of these 1 creators: their audits as of {today} found not enough data "
        "(newest post 2025-03-02; audits count recent posts). "
        "`microreach audit account HANDLE --network NETWORK` says why."
    ) in result.output.splitlines()


@pytest.mark.django_db(transaction=True)
def test_search_shows_an_organisations_own_figures_with_organisation(
    tmp_path, django_capture_on_commit_callbacks
):
    # given a brand that imported lea.cuisine with a follower sample of its own (kept private)
    from django.test import Client

    from microreach.web.accounts.models import Membership
    from tests import factories
    from tests.web.audits.test_audits import _import as import_with_followers

    admin = factories.member()
    organisation = Membership.objects.get(user=admin).organisation_id
    import_with_followers(tmp_path, organisation, django_capture_on_commit_callbacks)
    client = Client()
    client.force_login(admin)
    item = client.get("/api/discovery/search?q=lea.cuisine").json()["items"][0]
    assert item["fake_share_source"] == "measured"

    def fake_cell(*extra: str) -> tuple[str, str]:
        result = runner.invoke(app, ["search", "lea.cuisine", *extra], env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.output
        lines = result.output.splitlines()
        header = [
            c.strip() for c in next(line for line in lines if "engagement" in line).split("┃") if c.strip()
        ]
        row = next(line for line in lines if "@lea.cuisine " in line)
        return dict(zip(header, [c.strip() for c in row.split("│")[1:-1]], strict=True))[
            "fake"
        ], result.output

    # when the operator searches as every brand, then as that brand
    everyone, said = fake_cell()
    own, said_own = fake_cell("--organisation", str(organisation))
    # then every brand's view has no measured share, and the brand's view its own, as its API reads it
    assert not everyone[:1].isdigit() and "Figures as every brand sees them" in said
    assert own == f"{item['fake_share'] * 100:.1f}%"
    assert f"Figures as organisation {organisation} sees them" in said_own
