"""The campaign side of the import format: a simulated world's brands, campaigns and all that follows
them are published with the creators' data, in one transaction, idempotently, and for their brand only."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from typer.testing import CliRunner

from microreach.cli.main import app
from microreach.sources import columns
from microreach.sources.simulator import CAMPAIGN_RECORD_TYPES, simulate
from microreach.web.accounts.models import Membership, Organisation, OrganisationKind, User
from microreach.web.campaigns.models import (
    ActivityEvent,
    Application,
    ApplicationState,
    Campaign,
    CampaignPost,
    CampaignState,
    Compensation,
    ContentDraft,
    Message,
    ReviewState,
    Sale,
    Shipment,
)
from microreach.web.creators.imports import ImportRejected, import_batch_create, import_files
from microreach.web.creators.models import Post, SocialAccount
from tests import factories

MODELS = {
    "campaign": Campaign,
    "application": Application,
    "shipment": Shipment,
    "draft": ContentDraft,
    "message": Message,
    "sale": Sale,
    "campaign_post": CampaignPost,
}


def _import(*files: Path | str):
    # Follower samples belong to an organisation: the operator's own, as in the demo.
    owner = Organisation.objects.filter(slug="follower-samples").first() or factories.organisation()
    Organisation.objects.filter(pk=owner.pk).update(slug="follower-samples")
    batch = import_batch_create(files=[str(f) for f in files], source="simulator", organisation_id=owner.pk)
    return import_files(batch=batch)


def _brands() -> int:
    return Organisation.objects.filter(kind=OrganisationKind.BRAND).exclude(external_key="").count()


def _nothing_written() -> bool:
    return (
        SocialAccount.objects.count() == 0
        and Post.objects.count() == 0
        and _brands() == 0
        and all(model.objects.count() == 0 for model in MODELS.values())
    )


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    return simulate(tmp_path_factory.mktemp("campaign-world"), creators=60, seed=3, file_format="csv")


def test_the_format_states_are_the_models_states():
    assert columns.CAMPAIGN_STATES == tuple(CampaignState.values)
    assert columns.APPLICATION_STATES == tuple(ApplicationState.values)
    assert columns.REVIEW_STATES == tuple(ReviewState.values)
    assert columns.COMPENSATIONS == tuple(Compensation.values)


@pytest.mark.django_db(transaction=True)
def test_a_simulated_world_loads_its_campaign_side_and_reimport_changes_nothing(world):
    # when the whole simulated world is imported
    first = _import(*world.files.values())
    # then every campaign-side row is there, once
    assert _brands() == world.rows["brand"] == 2
    for record_type, model in MODELS.items():
        assert model.objects.count() == world.rows[record_type], record_type
        assert first.per_type[record_type]["inserted"] == world.rows[record_type], record_type
    assert first.per_type["brand"]["inserted"] == 2
    # in every campaign state and every application state
    assert set(Campaign.objects.values_list("state", flat=True)) == set(CampaignState.values)
    assert set(Application.objects.values_list("state", flat=True)) == set(ApplicationState.values)
    # the campaign posts are imported posts of the applicant's account, with daily snapshots
    for link in CampaignPost.objects.select_related("post", "application"):
        assert link.post is not None and link.post.account_id == link.application.account_id
        assert link.post.snapshots.count() >= 1
    # applicants without a user get one inactive placeholder each, that cannot log in
    placeholders = User.objects.filter(pk__in=Application.objects.values("creator_user_id"))
    assert placeholders.count() == len(
        {a.account.creator_id for a in Application.objects.select_related("account")}
    )
    assert not any(u.is_active or u.has_usable_password() for u in placeholders)
    # no address reached the database, and the drafts were checked (some failed disclosure first)
    assert not Shipment.objects.exclude(street="", postcode="", city="", recipient="").exists()
    assert ContentDraft.objects.filter(check_status="error").exists()
    assert not ContentDraft.objects.filter(review_state="approved", check_status="error").exists()
    # sales of affiliate campaigns are matched to their creator by promo code, commission computed
    sale = Sale.objects.select_related("campaign", "application").first()
    assert sale is not None and sale.application is not None
    assert sale.commission == (sale.amount * sale.campaign.commission_rate / 100).quantize(sale.amount)
    # and the import left its trace in each campaign's history
    assert ActivityEvent.objects.filter(event="campaign.imported").count() == world.rows["campaign"]
    # when the same files are imported again, nothing changes
    events = ActivityEvent.objects.count()
    users = User.objects.count()
    second = _import(*world.files.values())
    assert (second.inserted, second.updated) == (0, 0)
    for record_type in CAMPAIGN_RECORD_TYPES:
        counts = second.per_type[record_type]
        assert (counts["inserted"], counts["updated"], counts["unchanged"]) == (0, 0, world.rows[record_type])
    assert (ActivityEvent.objects.count(), User.objects.count()) == (events, users)


def _with_line(path: Path, line: str) -> int:
    """Append a CSV row (padded with empty cells to the header's width); returns its line number."""
    text = path.read_text(encoding="utf-8")
    width = len(text.splitlines()[1].split(","))
    line += "," * (width - 1 - line.count(","))
    path.write_text(text + line + "\n", encoding="utf-8")
    return len(text.splitlines()) + 1


def _copy(world, folder: Path) -> dict[str, Path]:
    folder.mkdir()
    out = {}
    for record_type, path in world.files.items():
        target = folder / path.name
        target.write_bytes(path.read_bytes())
        out[record_type] = target
    return out


@pytest.mark.django_db(transaction=True)
def test_a_campaign_of_an_unknown_brand_refuses_the_whole_import(world, tmp_path):
    files = _copy(world, tmp_path / "bad")
    line = _with_line(files["campaign"], "sim-brand-nobody,c-1,Lost,2025-09-01,2025-09-10,2025-09-20,draft")
    with pytest.raises(ImportRejected) as caught:
        _import(*files.values())
    error = caught.value.details["errors"][0]
    assert (Path(error["file"]).name, error["line"], error["field"], error["code"]) == (
        "campaigns.csv",
        line,
        "brand_key",
        "unknown_parent",
    )
    # nothing at all was written, not even the accounts
    assert _nothing_written()


@pytest.mark.django_db(transaction=True)
def test_a_bad_state_is_refused_with_its_line(world, tmp_path):
    files = _copy(world, tmp_path / "bad")
    line = _with_line(files["campaign"], "sim-brand-0-0,c-2,Odd,2025-09-01,2025-09-10,2025-09-20,paused")
    with pytest.raises(ImportRejected) as caught:
        _import(*files.values())
    error = caught.value.details["errors"][0]
    assert (error["line"], error["field"], error["code"]) == (line, "state", "not_allowed")
    assert _nothing_written()


ACCOUNTS = """# microreach: record_type=account, version=1
network,handle,followers,creator_key,creator_name,country
instagram,lea.cuisine,12000,lea,Léa Martin,FR
instagram,tom.trail,3200,tom,Tom,BE
"""
BRANDS = """# microreach: record_type=brand, version=1
brand_key,name,country,currency,jurisdictions
verdure,Verdure,FR,EUR,FR
"""
CAMPAIGNS = """# microreach: record_type=campaign, version=1
brand_key,campaign_key,title,applications_close_on,publication_start,publication_end,state,deliverables,mandatory_mentions,product_name,product_value,product_variants,compensation,commission_rate
verdure,spring,Spring box,2025-08-01,2025-08-10,2025-08-31,running,instagram:reel:1,verdure.box,Box,39.90,S|M,affiliate,10
"""
APPLICATIONS = """# microreach: record_type=application, version=1
brand_key,campaign_key,network,handle,applied_at,state,accepted_at,promo_code
verdure,spring,instagram,lea.cuisine,2025-07-20T10:00:00Z,shipped,2025-08-02T10:00:00Z,LEA10
verdure,spring,instagram,tom.trail,2025-07-21T10:00:00Z,applied,,
"""
SHIPMENTS = """# microreach: record_type=shipment, version=1
brand_key,campaign_key,network,handle,variant,carrier,tracking_number,cost,shipped_at
verdure,spring,instagram,lea.cuisine,S,Colissimo,6A123,6.90,2025-08-03T10:00:00Z
verdure,spring,instagram,tom.trail,M,Colissimo,6A124,6.90,2025-08-03T10:00:00Z
"""


def _files(tmp_path: Path, **texts: str) -> list[Path]:
    paths = []
    for name, text in texts.items():
        path = tmp_path / f"{name}.csv"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


@pytest.mark.django_db(transaction=True)
def test_a_shipment_for_an_application_not_accepted_is_refused(tmp_path):
    files = _files(tmp_path, a=ACCOUNTS, b=BRANDS, c=CAMPAIGNS, d=APPLICATIONS, e=SHIPMENTS)
    with pytest.raises(ImportRejected) as caught:
        _import(*files)
    details = caught.value.details
    assert details["error_count"] == 1
    error = details["errors"][0]
    assert (Path(error["file"]).name, error["line"], error["code"]) == ("e.csv", 4, "inconsistent_state")
    assert "tom.trail" in error["reason"] and "is applied" in error["reason"]
    assert _nothing_written()
    # without the bad row, the same files are published, sales included
    files[-1].write_text(SHIPMENTS.rsplit("verdure,spring,instagram,tom", 1)[0], encoding="utf-8")
    sales = tmp_path / "s.csv"
    sales.write_text(
        "# microreach: record_type=sale, version=1\n"
        "brand_key,campaign_key,order_ref,amount,ordered_at,promo_code,currency\n"
        "verdure,spring,A-1,50.00,2025-08-20T10:00:00Z,lea10,EUR\n",
        encoding="utf-8",
    )
    result = _import(*files, sales)
    assert result.per_type["shipment"]["inserted"] == 1
    sale = Sale.objects.get()
    assert (str(sale.commission), sale.application.account.handle) == ("5.00", "lea.cuisine")


@pytest.mark.django_db(transaction=True)
def test_imported_campaigns_show_for_their_brand_only(tmp_path):
    _import(*_files(tmp_path, a=ACCOUNTS, b=BRANDS, c=CAMPAIGNS, d=APPLICATIONS))
    campaign = Campaign.objects.get()
    application = Application.objects.get(state="shipped")
    # given a member of the imported brand and a member of another brand
    own = factories.user()
    Membership.objects.create(
        user=own, organisation=Organisation.objects.get(external_key="verdure"), role="admin"
    )
    stranger = factories.member()
    own_client, other_client = Client(), Client()
    own_client.force_login(own)
    other_client.force_login(stranger)
    # then the brand's member sees the campaign and its applicants, the other brand gets 404
    for url in (f"/campaigns/{campaign.pk}/", f"/campaigns/applications/{application.pk}/"):
        assert own_client.get(url).status_code == 200, url
        assert other_client.get(url).status_code == 404, url
    assert b"Spring box" not in other_client.get("/campaigns/").content
    assert b"Spring box" in own_client.get("/campaigns/").content


@pytest.mark.django_db(transaction=True)
def test_microreach_import_loads_a_simulated_world(world):
    # when the CLI imports the world's directory
    owner = factories.organisation()
    command = ["import", str(world.out_dir), "--source", "simulator", "--organisation", str(owner.pk)]
    result = CliRunner().invoke(app, command)
    # then it succeeds and its summary lists the campaign side
    assert result.exit_code == 0, result.output
    for record_type in CAMPAIGN_RECORD_TYPES:
        assert record_type in result.output
    assert Campaign.objects.count() == world.rows["campaign"]
    assert Application.objects.count() == world.rows["application"]
    # and again: zero changes
    again = CliRunner().invoke(app, command)
    assert again.exit_code == 0, again.output
    assert Campaign.objects.count() == world.rows["campaign"]


CAMPAIGN_HEADER = (
    "# microreach: record_type=campaign, version=1\n"
    "brand_key,campaign_key,title,applications_close_on,ship_by,publication_start,publication_end,state,"
    "deliverables,compensation\n"
)


@pytest.mark.django_db(transaction=True)
def test_a_campaign_row_breaking_the_dates_rules_is_refused_in_the_wizards_words(tmp_path):
    # given a campaign row whose applications close after its window starts, whose window ends before it
    # starts and whose products ship before the creators are chosen
    bad = (
        CAMPAIGN_HEADER + "verdure,late,Late box,2025-08-12,2025-08-05,2025-08-10,2025-08-01,draft,,product\n"
    )
    files = _files(tmp_path, a=ACCOUNTS, b=BRANDS, c=bad)
    # when it is imported
    with pytest.raises(ImportRejected) as caught:
        _import(*files)
    # then each rule is refused on the row and the column it names, worded as the campaign form words it
    details = caught.value.details
    found = [(Path(e["file"]).name, e["line"], e["field"], e["code"], e["reason"]) for e in details["errors"]]
    assert details["error_count"] == 3
    assert found == [
        (
            "c.csv",
            3,
            "applications_close_on",
            "inverted_dates",
            "Applications must close before the publication window starts.",
        ),
        ("c.csv", 3, "publication_end", "inverted_dates", "The publication window ends before it starts."),
        (
            "c.csv",
            3,
            "ship_by",
            "inverted_dates",
            "The ship-by date (Aug 5, 2025) is before applications close (Aug 12, 2025): the creators to ship "
            "to are not chosen yet.",
        ),
    ]
    assert _nothing_written() and Campaign.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_an_imported_campaign_whose_ship_by_date_has_passed_is_published(tmp_path):
    # given a campaign of 2025, its products shipped between applications closing and its window
    past = (
        CAMPAIGN_HEADER
        + "verdure,past,Past box,2025-08-01,2025-08-05,2025-08-10,2025-08-31,completed,,product\n"
    )
    # when it is imported after that day
    _import(*_files(tmp_path, a=ACCOUNTS, b=BRANDS, c=past))
    # then it is published with its dates, a ship-by date of record not judged against today
    campaign = Campaign.objects.get()
    assert (campaign.external_key, campaign.ship_by.isoformat()) == ("past", "2025-08-05")
