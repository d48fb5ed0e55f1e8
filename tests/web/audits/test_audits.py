from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.test import Client

from microreach.web.accounts.models import Membership
from microreach.web.audits.models import AuditRecord
from microreach.web.creators.imports import import_batch_create, import_files
from microreach.web.creators.models import FollowerSample, ImportBatch, SocialAccount
from microreach.web.jobs.models import Job
from tests import factories

ACCOUNTS = """# microreach: record_type=account, version=1
network,handle,followers,following,country,language,topics
instagram,lea.cuisine,12000,300,FR,fr,food
instagram,empty.one,0,10,FR,fr,food
"""


def _days_ago(days: int) -> str:
    """A publication date inside the audit's window whenever the tests run (a fixed date leaves it)."""
    return (datetime.now(UTC) - timedelta(days=days)).strftime("%Y-%m-%dT10:00:00Z")


POSTS = f"""# microreach: record_type=post, version=1
network,handle,network_post_id,published_at,caption,likes,comments
instagram,lea.cuisine,p1,{_days_ago(30)},Recette,400,20
instagram,lea.cuisine,p2,{_days_ago(26)},Code LEA15 chez @verdure.box,380,12
instagram,lea.cuisine,p3,{_days_ago(22)},Publicité — tarte,420,25
"""


def _followers(n_fake: int, n_real: int) -> str:
    rows = [
        "# microreach: record_type=follower, version=1",
        "network,handle,follower_username,followers,following,posts,has_profile_picture",
    ]
    rows += [f"instagram,lea.cuisine,bot{i}_{i * 7919 % 100000},2,4800,0,false" for i in range(n_fake)]
    rows += [f"instagram,lea.cuisine,reader.{i},{200 + i},{300 + i},{40 + i},true" for i in range(n_real)]
    return "\n".join(rows) + "\n"


def _import(tmp_path: Path, org_id: int, django_capture_on_commit_callbacks, share: bool = False) -> None:
    files = []
    for name, text in (("a.csv", ACCOUNTS), ("p.csv", POSTS), ("f.csv", _followers(30, 70))):
        (tmp_path / name).write_text(text, encoding="utf-8")
        files.append(str(tmp_path / name))
    with django_capture_on_commit_callbacks(execute=True):
        import_files(batch=import_batch_create(files=files, organisation_id=org_id, share_aggregates=share))


@pytest.mark.django_db(transaction=True)
def test_an_import_audits_its_accounts_once_and_keeps_follower_samples_private(
    tmp_path, django_capture_on_commit_callbacks
):
    # given brand A imported accounts, posts and a follower sample
    admin_a, admin_b = factories.member(), factories.member()
    org_a = Membership.objects.get(user=admin_a).organisation
    _import(tmp_path, org_a.pk, django_capture_on_commit_callbacks)
    # then one audit job ran for the batch, storing a shared audit and brand A's own audit per account
    assert Job.objects.filter(kind="audits.refresh", state="done").count() == 1
    lea = SocialAccount.objects.get(handle="lea.cuisine")
    assert AuditRecord.objects.filter(account=lea, is_latest=True, organisation__isnull=True).count() == 1
    assert AuditRecord.objects.filter(account=lea, is_latest=True, organisation=org_a).count() == 1
    # and brand A sees the fake share measured on its sample, with an interval around it
    a = Client()
    a.force_login(admin_a)
    mine = a.get("/api/audits/instagram/lea.cuisine").json()
    assert mine["uses_own_follower_sample"] is True
    low, high = mine["fake_share_interval"]
    assert low <= mine["fake_share"] <= high
    assert mine["result"]["authenticity"]["sample_size"] == 100
    # while brand B sees the shared audit, without anything from A's sample
    b = Client()
    b.force_login(admin_b)
    theirs = b.get("/api/audits/instagram/lea.cuisine").json()
    assert theirs["uses_own_follower_sample"] is False
    assert theirs["fake_share"] is None
    assert theirs["result"]["authenticity"] is None


@pytest.mark.django_db(transaction=True)
def test_audit_page_shows_score_parts_and_evidence(tmp_path, django_capture_on_commit_callbacks):
    admin = factories.member()
    _import(tmp_path, Membership.objects.get(user=admin).organisation_id, django_capture_on_commit_callbacks)
    c = Client()
    c.force_login(admin)
    body = c.get("/audits/instagram/lea.cuisine/").content.decode()
    assert 'id="aqs-parts"' in body
    assert "(likes + comments + shares + saves) / followers" in body
    assert "fake followers" in body
    # the undisclosed promo-code post is listed with its reason
    assert "promo code LEA15 with a brand mention" in body
    # and a French reader reads it in French: the audit keeps the evidence as codes
    record = AuditRecord.objects.get(account__handle="lea.cuisine", organisation__isnull=True, is_latest=True)
    (promo,) = [p for p in record.result["credibility"]["sponsored"] if p["post_id"] == "p2"]
    assert promo["findings"][0]["code"] == "promo_code_mentioned"
    assert promo["findings"][0]["params"] == {"code": "LEA15"}
    french = c.get("/audits/instagram/lea.cuisine/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "code promo LEA15 avec une mention de marque" in french
    # and so are the parts of the score, their evidence and what each figure is, with French numbers
    parts = {p["name"]: p for p in record.result["score"]["parts"]}
    assert parts["credibility"]["evidence"]["code"] == "sponsored"
    # percentages by the one formatter: 67% in English, 67 % (no-break space) in French
    assert "sponsored 67%, undisclosed 1" in body
    assert "sponsorisé 67\xa0%, non signalé 1" in french and "crédibilité" in french
    # the fake share's interval keeps its [low, high] form, its level and the 30 bots' red flag written alike
    own = AuditRecord.objects.get(account__handle="lea.cuisine", organisation__isnull=False, is_latest=True)
    assert own.result["authenticity"]["red_flag"] is True
    assert "90% interval [" in body and "intervalle à 90\xa0% [" in french
    assert "mass followers and suspicious accounts above 25%" in body
    assert "abonnés de masse et comptes suspects au-dessus de 25\xa0%" in french
    assert parts["growth"]["reason"]["code"] == "growth_too_short"
    assert parts["growth"]["reason"]["params"] == {"points": 0, "needed": 14}
    assert "0 relevé daté, il en faut au moins 14" in french  # French counts zero in the singular
    assert "engagements par publication rapportés à l’audience" in french
    assert "90 derniers jours, au plus 30 publications, publications de moins de 24 h écartées" in french
    assert "part des abonnés faux ou automatisés" in french
    for english in (
        "sponsored 67%",
        "spikes in the last",
        "dated counts",
        "posts younger than",
        "no flagged pod",
    ):
        assert english not in french


@pytest.mark.django_db(transaction=True)
def test_zero_follower_account_says_not_enough_data(tmp_path, django_capture_on_commit_callbacks):
    admin = factories.member()
    _import(tmp_path, Membership.objects.get(user=admin).organisation_id, django_capture_on_commit_callbacks)
    record = AuditRecord.objects.get(account__handle="empty.one", organisation__isnull=True, is_latest=True)
    assert record.status == "not_enough_data"
    assert record.score is None
    c = Client()
    c.force_login(admin)
    body = c.get("/audits/instagram/empty.one/").content.decode()
    assert 'id="not-enough-data"' in body and "zero followers" in body
    # no figure reads "nan" (a random token may hold those letters: a word is looked for)
    assert re.search(r"\bnan\b", body, re.IGNORECASE) is None
    # a French reader reads why in French
    french = c.get("/audits/instagram/empty.one/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "zéro abonné" in french and "zero followers" not in french


@pytest.mark.django_db(transaction=True)
def test_audit_stored_before_its_sentences_had_codes_still_shows_them(
    tmp_path, django_capture_on_commit_callbacks
):
    # given an audit stored by an older version, whose reasons and part evidence were plain English strings
    admin = factories.member()
    _import(tmp_path, Membership.objects.get(user=admin).organisation_id, django_capture_on_commit_callbacks)
    for record in AuditRecord.objects.filter(account__handle="empty.one", is_latest=True):
        result = record.result
        result["reasons"] = ["zero followers"]
        result["score"]["parts"][0]["reason"] = "no follower sample"
        result["engagement"]["evidence"]["definition"] = "engagements per post relative to the audience"
        AuditRecord.objects.filter(pk=record.pk).update(result=result)
    # when a French reader opens it
    c = Client()
    c.force_login(admin)
    french = c.get("/audits/instagram/empty.one/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    # then the old sentences are shown as they were stored, in English, rather than lost
    assert "zero followers" in french and "no follower sample" in french
    assert "engagements per post relative to the audience" in french


@pytest.mark.django_db
def test_account_never_audited_is_a_clear_404(client_for, brand_admin):
    factories.account(handle="fresh.one")
    response = client_for(brand_admin).get("/api/audits/instagram/fresh.one")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_audited_yet"


@pytest.mark.django_db(transaction=True)
def test_search_rows_get_the_shared_audit_figures_after_the_audit_run(
    tmp_path, django_capture_on_commit_callbacks
):
    from microreach.web.discovery.models import SearchRow

    admin = factories.member()
    _import(tmp_path, Membership.objects.get(user=admin).organisation_id, django_capture_on_commit_callbacks)
    shared = AuditRecord.objects.get(account__handle="lea.cuisine", organisation__isnull=True, is_latest=True)
    row = SearchRow.objects.get(account_id=shared.account_id)
    assert row.quality_score == shared.score
    # the search never shows a figure measured on one organisation's private follower sample
    assert row.fake_share is None
    assert "undisclosed_sponsorship" in row.red_flags


@pytest.mark.django_db
def test_audit_now_queues_one_audit_and_comes_back(client_for, brand_admin):
    # given a creator never audited, seen by a brand on the audit page
    account = factories.account(handle="new.face")
    web = client_for(brand_admin)
    page = web.get("/audits/instagram/new.face/").content.decode()
    assert "Not audited" in page and 'action="/audits/instagram/new.face/run/"' in page
    # when the brand clicks "Audit now" twice in a row
    for _ in range(2):
        response = web.post("/audits/instagram/new.face/run/", {"next": "/discover/?q=new"})
        assert (response.status_code, response["Location"]) == (302, "/discover/?q=new")
    # then one audit job waits for that account (a second click changes nothing)
    jobs = Job.objects.filter(kind="audits.refresh")
    assert [j.payload["account_ids"] for j in jobs] == [[account.pk]]


@pytest.mark.django_db
def test_audit_now_refuses_other_sites_and_other_creators_profiles(client_for, brand_admin, creator):
    factories.account(handle="new.face")
    # a "next" off this site is not followed
    response = client_for(brand_admin).post("/audits/instagram/new.face/run/", {"next": "https://evil.test/"})
    assert response["Location"] == "/audits/instagram/new.face/"
    # a creator may only ask for the profiles they claimed
    assert client_for(creator).post("/audits/instagram/new.face/run/").status_code == 404
    assert client_for(brand_admin).get("/audits/instagram/new.face/run/").status_code == 405
    assert Job.objects.filter(kind="audits.refresh").count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_import_marked_shared_shows_its_measured_fake_share_to_every_brand_not_its_rows(
    tmp_path, django_capture_on_commit_callbacks
):
    # given brand A imported a follower sample and chose to share its aggregate figures
    admin_a, admin_b = factories.member(), factories.member()
    org_a = Membership.objects.get(user=admin_a).organisation
    _import(tmp_path, org_a.pk, django_capture_on_commit_callbacks, share=True)
    own = AuditRecord.objects.get(account__handle="lea.cuisine", organisation=org_a, is_latest=True)
    assert (own.shares_aggregates, own.fake_source) == (True, "measured")
    # then brand B sees the measured share, its interval and its source, but not that it is its own
    b = Client()
    b.force_login(admin_b)
    theirs = b.get("/api/audits/instagram/lea.cuisine").json()
    assert (theirs["fake_share"], theirs["fake_share_source"], theirs["uses_own_follower_sample"]) == (
        own.fake_share,
        "measured",
        False,
    )
    assert theirs["fake_share_interval"] == [own.fake_low, own.fake_high]
    page = b.get("/audits/instagram/lea.cuisine/").content.decode()
    assert "shares its aggregate figures with every brand" in page
    # and the search read model, shared by every brand, carries it too
    from microreach.web.discovery.models import SearchRow

    assert SearchRow.objects.get(handle="lea.cuisine").fake_source == "measured"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("share_first", [False, True])
def test_importing_the_same_sample_with_the_other_sharing_choice_changes_it_and_reaudits(
    tmp_path, django_capture_on_commit_callbacks, share_first
):
    # given brand A imported its follower sample with one sharing choice, and the audits ran
    admin_a = factories.member()
    org_a = Membership.objects.get(user=admin_a).organisation
    _import(tmp_path, org_a.pk, django_capture_on_commit_callbacks, share=share_first)
    first_batch = ImportBatch.objects.latest("pk")
    # when the same follower file is imported again with the other choice
    with django_capture_on_commit_callbacks(execute=True):
        summary = import_files(
            batch=import_batch_create(
                files=[str(tmp_path / "f.csv")], organisation_id=org_a.pk, share_aggregates=not share_first
            )
        )
    # then the sample's rows count as updated, now carry the new choice, and the account was re-audited
    assert (summary.inserted, summary.updated, summary.unchanged, summary.accounts_touched) == (0, 100, 0, 1)
    samples = FollowerSample.objects.filter(organisation=org_a)
    assert set(samples.values_list("batch__share_aggregates", flat=True)) == {not share_first}
    assert Job.objects.filter(kind="audits.refresh", state="done").count() == 2
    own = AuditRecord.objects.get(account__handle="lea.cuisine", organisation=org_a, is_latest=True)
    assert (own.shares_aggregates, own.fake_source) == (not share_first, "measured")
    # and the accounts and posts of the first import were left alone
    assert set(SocialAccount.objects.values_list("batch_id", flat=True)) == {first_batch.pk}


def test_sharing_aggregates_needs_the_organisation_that_owns_the_samples(tmp_path, db):
    from microreach.web.errors import ApplicationError

    with pytest.raises(ApplicationError) as err:
        import_batch_create(files=[str(tmp_path / "f.csv")], share_aggregates=True)
    assert err.value.code == "share_needs_organisation"


def _flagged_creator(creator_user) -> SocialAccount:
    """A claimed account whose audit says High risk for a follower spike."""
    from django.utils import timezone

    from microreach.web.creators.models import Creator

    account = factories.account(handle="spiky.one")
    Creator.objects.filter(pk=account.creator_id).update(claimed_by=creator_user, claimed_at=timezone.now())
    AuditRecord.objects.create(
        account=account,
        population_id="test",
        as_of=datetime(2026, 11, 1, tzinfo=UTC),
        status="ok",
        score=55.0,
        tier="micro",
        growth_spikes=2,
        risk_level="high",
        risk={
            "level": "high",
            "reasons": [
                {
                    "code": "risk_growth_spikes",
                    "params": {"spikes": 2},
                    "text": "2 unexplained follower spikes in a year",
                    "level": "high",
                    "evidence": "growth",
                }
            ],
        },
        result={},
    )
    return account


@pytest.mark.django_db
def test_a_creator_answers_a_flag_and_brands_read_it_beside_the_evidence(client_for, creator, brand_admin):
    # given a creator whose audit flags follower spikes
    _flagged_creator(creator)
    own = client_for(creator)
    page = own.get("/audits/instagram/spiky.one/").content.decode()
    assert 'action="/audits/instagram/spiky.one/answer/"' in page and "2 unexplained follower spikes" in page
    # when they answer it
    response = own.post(
        "/audits/instagram/spiky.one/answer/",
        {"code": "risk_growth_spikes", "text": "A TV show featured my recipes that week."},
    )
    assert (response.status_code, response["Location"]) == (302, "/audits/instagram/spiky.one/#summary")
    # then a brand reads the answer on the audit page and in the API, without a form to change it
    brand = client_for(brand_admin)
    seen = brand.get("/audits/instagram/spiky.one/").content.decode()
    assert "A TV show featured my recipes that week." in seen and "answer-form" not in seen
    api = brand.get("/api/audits/instagram/spiky.one").json()
    assert api["creator_answers"] == {"risk_growth_spikes": "A TV show featured my recipes that week."}
    # and an empty answer removes it
    own.post("/audits/instagram/spiky.one/answer/", {"code": "risk_growth_spikes", "text": "  "})
    assert brand.get("/api/audits/instagram/spiky.one").json()["creator_answers"] == {}


@pytest.mark.django_db
def test_only_the_creator_answers_and_only_a_reason_a_verdict_gives(client_for, creator, brand_admin):
    from microreach.web.audits.models import AuditAnswer

    _flagged_creator(creator)
    path = "/audits/instagram/spiky.one/answer/"
    # a brand (or another creator) cannot answer for the creator
    assert client_for(brand_admin).post(path, {"code": "risk_growth_spikes", "text": "x"}).status_code == 404
    assert (
        client_for(factories.creator_user()).post(path, {"code": "risk_pod", "text": "x"}).status_code == 404
    )
    # an unknown reason or a text too long is refused with a message, nothing stored
    own = client_for(creator)
    own.post(path, {"code": "risk_made_up", "text": "x"})
    own.post(path, {"code": "risk_pod", "text": "x" * 1001})
    assert not AuditAnswer.objects.exists()


@pytest.mark.django_db
def test_audit_page_waiting_for_its_audit_says_so_and_asks_again(client_for, brand_admin):
    # given a creator never audited, whose "Audit now" is running
    account = factories.account(handle="queued.one")
    Job.objects.create(
        kind="audits.refresh",
        key=f"audits-now:{account.pk}:202612042100",
        state=Job.State.RUNNING,
        progress_done=0,
        progress_total=1,
        payload={"account_ids": [account.pk]},
    )
    page = client_for(brand_admin).get("/audits/instagram/queued.one/").content.decode()
    # then the page says the audit runs and asks again by itself, instead of "not audited yet"
    assert "Audit running…" in page and "0 of 1 accounts audited" in page
    assert 'hx-trigger="every 3s"' in page and 'hx-select="#summary"' in page
    assert "has not been audited yet" not in page
    # and once the job is done without an audit, it says "not audited yet" again
    Job.objects.filter(kind="audits.refresh").update(state=Job.State.DONE)
    assert (
        "has not been audited yet"
        in client_for(brand_admin).get("/audits/instagram/queued.one/").content.decode()
    )


def test_a_creator_sees_only_the_audits_and_accounts_of_the_profiles_they_claimed(db, client_for):
    # given a creator with a claimed, audited profile, and another creator's audited profile
    from tests.web.campaigns import helpers as h

    user, _tenant, own = h.audited_creator(handle="own.profile")
    _other_user, _other_tenant, other = h.audited_creator(handle="other.profile")
    web = client_for(user)
    # then their own audit and account answer, another creator's are not found (as if absent)
    assert web.get(f"/api/audits/instagram/{own.handle}").status_code == 200
    assert web.get(f"/api/audits/instagram/{other.handle}").status_code == 404
    assert web.get(f"/audits/instagram/{own.handle}/").status_code == 200
    assert web.get(f"/audits/instagram/{other.handle}/").status_code == 404
    for path in ("", "/posts", "/follower-history"):
        assert web.get(f"/api/creators/accounts/instagram/{own.handle}{path}").status_code == 200, path
        assert web.get(f"/api/creators/accounts/instagram/{other.handle}{path}").status_code == 404, path
    listed = [a["handle"] for a in web.get("/api/creators/accounts").json()["items"]]
    assert listed == [own.handle]
    # while a brand still finds both
    brand = client_for(h.brand()[0])
    assert brand.get(f"/api/audits/instagram/{other.handle}").status_code == 200
    assert {a["handle"] for a in brand.get("/api/creators/accounts").json()["items"]} >= {
        own.handle,
        other.handle,
    }


def test_a_creator_is_told_a_brand_with_its_own_sample_sees_other_figures(db, client_for):
    # given a creator with a claimed, audited profile
    from tests.web.campaigns import helpers as h

    user, _tenant, _account = h.audited_creator(handle="told.profile")
    home = client_for(user).get("/accounts/home/").content.decode()
    mine = client_for(user).get("/audits/mine/").content.decode()
    # then neither page claims every brand sees these exact figures
    assert "My audited figures" in home and "except a brand that measured your followers" in home
    assert "sees the fake-follower share and score of that sample instead" in mine


def test_a_creators_home_names_the_tier_in_their_language(db, client_for):
    # given a creator with a claimed, audited mid-tier profile, reading in French
    from microreach.web.audits.models import AuditRecord
    from tests.web.campaigns import helpers as h

    user, _tenant, account = h.audited_creator(handle="mid.profile")
    AuditRecord.objects.filter(account=account).update(tier="mid")
    home = client_for(user).get("/accounts/home/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    # then the tier is a word of their language, never the code
    section = home[home.index("Mes chiffres audités") :]
    assert "intermédiaire" in section and ">mid<" not in section
